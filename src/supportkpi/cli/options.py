"""Options and steps shared by the commands: kpi.yaml, --map, output."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from typing import TYPE_CHECKING

import typer

from supportkpi.errors import DataError, UsageError

if TYPE_CHECKING:
    from supportkpi.config import Config


def config_and_timezone(config_path: Path | None, tz: str | None) -> tuple[Config, str]:
    from supportkpi.config import check_timezone, load_config  # deferred: the KPI modules load polars

    config, _ = load_config(config_path)
    timezone = tz or config.timezone
    if tz is not None:
        try:
            check_timezone(tz)
        except ValueError as exc:
            raise UsageError(f"--tz: {exc}") from None
    return config, timezone


def column_mapping(config: Config, pairs: list[str], intervals: bool = False) -> dict[str, str]:
    """kpi.yaml ``columns`` overridden by ``--map canonical=Header`` pairs (the interval
    report's columns when ``intervals``)."""
    from supportkpi.config import suggest
    from supportkpi.schema import COLUMNS

    if intervals:
        from supportkpi.intervals import INTERVAL_SCHEMA as COLUMNS  # noqa: N811
    mapping = dict(config.columns)
    for pair in pairs:
        canonical, sep, header = pair.partition("=")
        canonical, header = canonical.strip(), header.strip()
        if not sep or not canonical or not header:
            raise UsageError(f"--map '{pair}': expected canonical=Header, e.g. created_at='Created time'")
        if canonical not in COLUMNS:
            raise UsageError(f"--map '{pair}': '{canonical}' is not a canonical column ({suggest(canonical, COLUMNS)})")
        mapping[canonical] = header
    return mapping


def split_list(values: list[str] | None) -> list[str]:
    """``--by a,b --by c`` -> [a, b, c]."""
    out: list[str] = []
    for value in values or []:
        out += [v.strip() for v in value.split(",") if v.strip()]
    return out


def write_output(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{output}: cannot write the report ({exc.strerror or exc})") from None


def print_renderables(renderables: list, output: Path | None, no_color: bool) -> None:
    """Rich tables and text to the terminal (colour as Rich decides), or plain to a file."""
    from rich.console import Console

    if output is None:
        console = Console(no_color=use_color(no_color) is False)
        for item in renderables:
            console.print(item)
        return
    import io

    buffer = io.StringIO()
    console = Console(file=buffer, width=100, no_color=True, color_system=None)
    for item in renderables:
        console.print(item)
    write_output(buffer.getvalue(), output)


class working:  # noqa: N801 (used as a context manager: `with working(...)`)
    """A progress line on stderr while exports are read and computed: spinner, what is being
    done (``step``, told by the engine), the size of the input in rows and MiB, and the elapsed
    time. Shown only on a terminal, only after half a second (quick runs stay quiet), and never
    with ``--quiet`` or when stderr is piped (CI logs get no control characters).

    polars does not report rows as it reads them, so the rows shown are the loader's estimate
    of the input (exact for Parquet)."""

    DELAY = 0.5

    def __init__(self, what: str, quiet: bool = False, inputs: list[str] | None = None, rows: int | None = None):
        self.what, self.quiet = what, quiet
        self.size = sum(_size(p) for p in inputs or [])
        self.rows = rows
        self._progress = self._task = self._timer = None

    def __enter__(self) -> working:
        if self.quiet or not sys.stderr.isatty() or os.environ.get("CI"):
            return self
        import threading

        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        size = [f"{self.rows:,} rows" if self.rows else "", f"{self.size / 2**20:,.0f} MiB" if self.size else ""]
        size_text = ", ".join(s for s in size if s)
        self._progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
            console=Console(stderr=True), transient=True,
        )
        self._task = self._progress.add_task(f"{self.what}{f' ({size_text})' if size_text else ''}…")
        self._timer = threading.Timer(self.DELAY, self._progress.start)
        self._timer.daemon = True
        self._timer.start()
        return self

    def step(self, doing: str) -> None:
        """What the run is doing now (the engine's ``on_step``)."""
        if self._progress is not None:
            self._progress.update(self._task, description=f"{self.what}: {doing}…")

    def __exit__(self, *exc) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._progress.stop()


def _size(path: str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


def use_color(no_color: bool) -> bool | None:
    """False when colour is switched off; None lets Rich decide (terminal, NO_COLOR)."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return None


def parse_as_of(text: str | None, timezone: str):
    """--as-of as an instant: ISO 8601, naive values in the report's time zone."""
    if text is None:
        return None
    import polars as pl

    from supportkpi.loading import parse

    value = pl.select(
        parse.timestamp(pl.lit(text), pl.String, timezone, None).alias("t")
    ).item()
    if value is None:
        raise UsageError(f"--as-of '{text}': expected an ISO 8601 time such as 2025-06-30T23:59:59Z")
    return value


# Options shared by every command that reads exports
FILES = typer.Argument(..., help="Exports to read: files, globs, or - for stdin.")
CONFIG = typer.Option(None, "--config", "-c", help="kpi.yaml (default: ./kpi.yaml if present).")
SOURCE = typer.Option(
    None, "--source", "-s", help="Source preset of the inputs (see `supportkpi sources`); default: detect."
)
MAP = typer.Option(None, "--map", "-m", help="canonical=Header (repeatable).")
TZ = typer.Option(None, "--tz", help="Time zone of timestamps without an offset (default UTC).")
DATETIME_FORMAT = typer.Option(None, "--datetime-format", help="strftime format of timestamps.")
INPUT_FORMAT = typer.Option(None, "--input-format", help="csv, tsv, json, jsonl or parquet.")
ENCODING = typer.Option(None, "--encoding", help="Text encoding of the exports, e.g. windows-1252.")
SEPARATOR = typer.Option(None, "--separator", help="CSV field separator (default: detected).")
HOURS = typer.Option(
    None, "--hours", help="calendar or business: how ticket durations count (default: kpi.yaml)."
)
AS_OF = typer.Option(
    None, "--as-of", help="The report's end for SLA policies (default: latest timestamp in the data)."
)
PERIOD = typer.Option(None, "--period", "-p", help="day, week, month or quarter (by created_at).")
QUIET = typer.Option(False, "--quiet", "-q", help="No data-quality messages on stderr.")
NO_COLOR = typer.Option(False, "--no-color", help="No colour in the table.")
OUTPUT = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout.")
MEMORY = typer.Option(
    "auto", "--memory",
    help="in-memory (fast), bounded (large inputs: a temporary typed copy, one streaming pass at a "
    "time) or auto: bounded above 10 million rows. The numbers are the same.",
)
DECIMAL_COMMA = typer.Option(
    None, "--decimal-comma/--decimal-point", help="Numbers written 4,5 (default: on for ;-separated files)."
)


def load_inputs(
    files: list[str],
    config_path: Path | None,
    *,
    source: str | None,
    mapping: list[str] | None,
    tz: str | None,
    datetime_format: str | None,
    input_format: str | None,
    encoding: str | None,
    separator: str | None,
    decimal_comma: bool | None,
    group_by: list[str] | None = None,
    intervals: bool = False,
    settings: Config | None = None,
):
    """kpi.yaml, then every input loaded through its source preset: (settings, timezone, loaded).
    ``intervals``: the inputs are interval reports (:mod:`supportkpi.intervals`). ``settings``:
    kpi.yaml as the command read it already (it is not read and validated twice)."""
    from supportkpi.loading import load, readers

    if input_format is not None and input_format not in readers.FORMATS:
        raise UsageError(f"--input-format '{input_format}': expected one of {', '.join(readers.FORMATS)}")
    if separator is not None and len(separator.encode().decode("unicode_escape")) != 1:
        raise UsageError(f"--separator '{separator}': expected one character, e.g. ';' or '\\t'")
    if settings is None:
        settings, timezone = config_and_timezone(config_path, tz)
    else:
        timezone = tz or settings.timezone  # --tz was checked when kpi.yaml was read
    if intervals:
        from supportkpi.loading import load_intervals

        loaded = load_intervals(
            files, mapping=column_mapping(settings, mapping or [], intervals=True), timezone=timezone,
            datetime_format=datetime_format, input_format=input_format, encoding=encoding,
            separator=separator.encode().decode("unicode_escape") if separator else None,
            decimal_comma=decimal_comma,
            vendors_by_path={v: c.match for v, c in settings.vendors.items() if c.match},
        )
        return settings, timezone, loaded
    loaded = load(
        files,
        mapping=column_mapping(settings, mapping or []),
        timezone=timezone,
        datetime_format=datetime_format,
        input_format=input_format,
        source=source,
        sources_by_path=settings.sources,
        encoding=encoding,
        separator=separator.encode().decode("unicode_escape") if separator else None,
        decimal_comma=decimal_comma,
        group_by=group_by or (),
        values=settings.values,
        vendors_by_path={v: c.match for v, c in settings.vendors.items() if c.match},
    )
    return settings, timezone, loaded
