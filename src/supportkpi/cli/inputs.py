"""The options shared by every command that reads exports, declared once.

``@input_options(...)`` adds them to a command's parameters (so that ``--help`` lists them with
their help text) and hands them to the command packed in one :class:`Inputs` argument::

    @app.command("compute")
    @input_options("hours", "as_of", "strict", "memory", "quiet", "no_color")
    def compute_command(inputs: Inputs, by: list[str] = ...): ...
"""

from __future__ import annotations

import copy
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer

from supportkpi.api import Run
from supportkpi.cli import options
from supportkpi.cli.speak import Speaker


@dataclass
class Inputs:
    """The shared options as given on the command line."""

    files: list[str] | None = None
    config: Path | None = None
    source: str | None = None
    mapping: list[str] | None = None
    tz: str | None = None
    datetime_format: list[str] | None = None
    input_format: str | None = None
    encoding: str | None = None
    separator: str | None = None
    decimal_comma: bool | None = None
    max_left_out: str | None = None
    hours: str | None = None
    as_of: str | None = None
    strict: bool = False
    memory: str = "auto"
    quiet: bool = False
    no_color: bool = False

    def run(self) -> Run:
        """A library run with these options, telling on stderr what it reads and finds."""
        run = Run.from_config(
            self.config,
            tz=self.tz,
            hours=self.hours,
            strict=self.strict,
            listener=Speaker(self.quiet, self.strict),
            max_left_out=self.max_left_out,
        )
        if self.files:
            run.add_inputs(
                self.files,
                source=self.source,
                mapping=self.mapping or (),
                datetime_format=tuple(self.datetime_format or ()),
                input_format=self.input_format,
                encoding=self.encoding,
                separator=self.separator,
                decimal_comma=self.decimal_comma,
            )
        return run


OPTIONS: dict[str, Any] = {
    "files": typer.Argument(..., metavar="FILE...", help="Exports to read: files, globs, or - for stdin."),
    "config": typer.Option(
        None,
        "--config",
        "-c",
        metavar="FILE",
        help="kpi.yaml (default: $SUPPORTKPI_CONFIG, else kpi.yaml here or in a parent directory).",
    ),
    "source": typer.Option(
        None,
        "--source",
        "-s",
        metavar="PRESET",
        help="Source preset of the inputs (see `supportkpi sources`); default: detect.",
    ),
    "mapping": typer.Option(
        None,
        "--map",
        "-m",
        metavar="COLUMN=HEADER",
        help="Read a canonical column from this header, e.g. created_at=Opened (repeatable).",
    ),
    "tz": typer.Option(None, "--tz", metavar="ZONE", help="Time zone of timestamps without an offset (default UTC)."),
    "datetime_format": typer.Option(
        None,
        "--datetime-format",
        metavar="PATTERN",
        help="strftime format of timestamps, e.g. '%m/%d/%Y' (repeatable; other layouts are still read).",
    ),
    "input_format": typer.Option(None, "--input-format", metavar="FORMAT", help="csv, tsv, json, jsonl or parquet."),
    "encoding": typer.Option(
        None, "--encoding", metavar="ENCODING", help="Text encoding of the exports, e.g. windows-1252."
    ),
    "separator": typer.Option(None, "--separator", metavar="CHAR", help="CSV field separator (default: detected)."),
    "decimal_comma": typer.Option(
        None, "--decimal-comma/--decimal-point", help="Numbers written 4,5 (default: on for ;-separated files)."
    ),
    "max_left_out": typer.Option(
        None,
        "--max-left-out",
        metavar="SHARE",
        help="Warn (and fail under --strict) when more rows than this are left out of every KPI, "
        "e.g. 20% (default: kpi.yaml max_left_out, else 50%).",
    ),
    "hours": typer.Option(
        None, "--hours", metavar="CLOCK", help="calendar or business: how ticket durations count (default: kpi.yaml)."
    ),
    "as_of": typer.Option(
        None,
        "--as-of",
        metavar="TIME",
        help="The report's end for SLA policies (default: latest timestamp in the data).",
    ),
    "strict": typer.Option(False, "--strict", help="Exit 3 on any data error."),
    "memory": typer.Option(
        "auto",
        "--memory",
        metavar="MODE",
        help="in-memory (fast), bounded (large inputs: a temporary typed copy, one streaming pass at a "
        "time) or auto: bounded above 10 million rows. The numbers are the same.",
    ),
    "quiet": typer.Option(False, "--quiet", "-q", help="No data-quality messages on stderr."),
    "no_color": options.NO_COLOR,
}
READING = (
    "files",
    "config",
    "source",
    "mapping",
    "tz",
    "datetime_format",
    "input_format",
    "encoding",
    "separator",
    "decimal_comma",
    "max_left_out",
)
"""The options every command that reads exports takes; ``input_options`` adds the others named."""
READING_PANEL = "Reading the exports"
"""Where ``--help`` lists the reading options (after the command's own)."""

_TYPES: dict[str, Any] = {
    "files": list[str],
    "config": Path,
    "mapping": list[str],
    "datetime_format": list[str],
    "decimal_comma": bool,
    "strict": bool,
    "quiet": bool,
    "no_color": bool,
}


def input_options(*extra: str, **overrides: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Adds the reading options and those named in ``extra`` to the decorated command, whose
    ``inputs`` parameter receives them as :class:`Inputs`; ``overrides`` replace an option's
    declaration (another help text) for one command."""
    names = [*READING, *extra]
    unknown = [n for n in [*names, *overrides] if n not in OPTIONS]
    assert not unknown, f"no shared option {unknown}"

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        own = [p for p in inspect.signature(command, eval_str=True).parameters.values() if p.name != "inputs"]
        shared = [
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=_declaration(name, overrides),
                annotation=_TYPES.get(name, str),
            )
            for name in names
        ]
        # the files argument first, as the usage line shows it
        parameters = [*shared[:1], *(p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own), *shared[1:]]

        @functools.wraps(command)
        def with_inputs(**given: Any) -> Any:
            packed = Inputs(**{name: given.pop(name) for name in names})
            return command(inputs=packed, **given)

        with_inputs.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        with_inputs.__annotations__ = {p.name: p.annotation for p in parameters}
        del with_inputs.__wrapped__  # typer reads the signature above, not the command's
        return with_inputs

    return decorate


def _declaration(name: str, overrides: dict[str, Any]) -> Any:
    """The option's declaration, the reading options' in their own panel of ``--help``."""
    declaration = overrides.get(name, OPTIONS[name])
    if name in READING[1:]:
        declaration = copy.copy(declaration)
        declaration.rich_help_panel = READING_PANEL
    return declaration
