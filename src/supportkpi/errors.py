"""Errors that end a run with a clear message, and the exit codes they end it with.

The whole table of exit codes is in ``docs/cli-conventions.md``; ``check`` works out its verdict
(0, 1 or 4) in :func:`supportkpi.targets.exit_code`."""

from __future__ import annotations

EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_DATA = 3
EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 70
"""A bug (an unexpected exception): not 1 or 3, so CI never mistakes it for a verdict on data."""


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (polars' messages run to many lines)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class SupportKpiError(Exception):
    """Base class: ``str(error)`` is the one-line message shown to the user."""

    exit_code = EXIT_DATA


class UsageError(SupportKpiError):
    """Bad arguments, a missing file, an invalid kpi.yaml, an unknown KPI id or column."""

    exit_code = EXIT_USAGE


class ConfigError(UsageError):
    """kpi.yaml is invalid; ``line`` points at the offending key when it is known."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        where = path or "kpi.yaml"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line


class DataError(SupportKpiError):
    """Unreadable input, a missing required column, or data errors under ``--strict``."""

    exit_code = EXIT_DATA
