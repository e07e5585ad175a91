"""``supportkpi compute FILE...``: every KPI per group, as a table, JSON, CSV or Markdown."""

from __future__ import annotations

from pathlib import Path

import typer

from supportkpi.cli import app
from supportkpi.cli import options
from supportkpi.cli.options import split_list, write_output
from supportkpi.errors import DataError, UsageError, first_line


@app.command("compute")
def compute_command(
    files: list[str] = options.FILES,
    by: list[str] = typer.Option(None, "--by", "-b", help="Group by columns, e.g. vendor,channel."),
    period: str = options.PERIOD,
    kpi: list[str] = typer.Option(None, "--kpi", "-k", help="Only these KPI ids (comma-separated)."),
    config: Path = options.CONFIG,
    fmt: str = typer.Option("table", "--format", "-f", help="table, json, csv or markdown."),
    output: Path = options.OUTPUT,
    source: str = options.SOURCE,
    mapping: list[str] = options.MAP,
    tz: str = options.TZ,
    datetime_format: str = options.DATETIME_FORMAT,
    input_format: str = options.INPUT_FORMAT,
    encoding: str = options.ENCODING,
    separator: str = options.SEPARATOR,
    decimal_comma: bool = options.DECIMAL_COMMA,
    hours: str = options.HOURS,
    as_of: str = options.AS_OF,
    breaches: bool = typer.Option(False, "--breaches", help="List the contacts that breached an SLA policy."),
    strict: bool = typer.Option(False, "--strict", help="Exit 3 on any data error."),
    memory: str = options.MEMORY,
    quiet: bool = options.QUIET,
    no_color: bool = options.NO_COLOR,
) -> None:
    """Compute KPIs from exports (canonical columns or a source preset; see `supportkpi kpis`)."""
    import polars as pl

    from supportkpi.config import kpi_params
    from supportkpi.engine import check_kpis, check_memory, check_period, compute
    from supportkpi.render import FORMATS, render_text
    from supportkpi.schedules import Calendars

    if fmt not in FORMATS:
        raise UsageError(f"--format '{fmt}': expected one of {', '.join(FORMATS)}")
    # Usage errors first (exit 2 wins over a data error found while loading)
    kpi_ids = check_kpis(split_list(kpi))
    check_period(period)
    check_memory(memory)
    settings, timezone = options.config_and_timezone(config, tz)
    params = kpi_params(settings, hours)
    end = options.parse_as_of(as_of, timezone)
    interval_report = _interval_report(files, input_format, encoding, separator)
    settings, timezone, loaded = options.load_inputs(
        files, config, source=source, mapping=mapping, tz=tz, datetime_format=datetime_format,
        input_format=input_format, encoding=encoding, separator=separator,
        decimal_comma=decimal_comma, group_by=split_list(by), intervals=interval_report,
        settings=settings,
    )
    if interval_report:
        if breaches:
            raise UsageError("--breaches needs contact-level data; these inputs are interval reports")
        from supportkpi.intervals import compute_intervals

        try:
            result = compute_intervals(
                loaded.frame, kpi_ids, by=split_list(by), period=period, timezone=timezone,
                params=params, inputs=loaded.inputs,
            )
        except pl.exceptions.PolarsError as exc:
            raise DataError(read_failure(loaded.inputs, exc)) from None
        _show(result, fmt, output, quiet, strict, no_color)
        return
    _with_memory_budget(memory, loaded.inputs)
    calendars = Calendars.from_config(settings, timezone)
    if breaches:
        _write_breaches(loaded, settings, calendars, timezone, end, fmt, output)
        return
    try:
        rows = sum(i.estimated_rows or 0 for i in loaded.inputs) or None
        with options.working("Reading and computing", quiet, [i.path for i in loaded.inputs], rows) as progress:
            result = compute(
                loaded.frame, kpi_ids, by=split_list(by), period=period, timezone=timezone,
                params=params, inputs=loaded.inputs, calendars=calendars, sla=settings.sla, as_of=end,
                memory=memory, on_step=progress.step,
            )
    except pl.exceptions.PolarsError as exc:
        raise DataError(read_failure(loaded.inputs, exc)) from None

    if not quiet:
        report_sources(loaded.inputs)
    _show(result, fmt, output, quiet, strict, no_color)


def _interval_report(files, input_format, encoding, separator) -> bool:
    """Whether the inputs are interval reports (every one; a mix is a usage error)."""
    from supportkpi.intervals import is_interval_table
    from supportkpi.loading import expand, headers

    kinds = {is_interval_table(headers(path, input_format, encoding, separator)) for path in expand(files)}
    if len(kinds) > 1:
        raise UsageError("some inputs are interval reports and some contact exports: compute them separately")
    return kinds == {True}


def _show(result, fmt, output, quiet, strict, no_color) -> None:
    from supportkpi.render import render_text

    if not quiet or strict:
        report_findings(result.findings)
    if strict and result.data_errors:
        raise DataError(f"{result.data_errors} data error(s) and --strict is set; no report written")
    if fmt == "table":
        from supportkpi.render.table import tables

        options.print_renderables(tables(result) if result.groups else ["No contacts.", *tables(result)], output, no_color)
    else:
        write_output(render_text(result, fmt), output)


def _write_breaches(loaded, settings, calendars, timezone, end, fmt, output) -> None:
    """--breaches: one row per contact and policy that missed its target."""
    import csv
    import io
    import json
    import sys

    from supportkpi.engine import breaches
    from supportkpi.render.csv import neutralise

    if not settings.sla:
        raise UsageError("--breaches needs SLA policies (an `sla:` section in kpi.yaml)")
    frame, skipped = breaches(loaded.frame, settings.sla, calendars=calendars, timezone=timezone, as_of=end)
    for name, needs in skipped.items():
        print(f"supportkpi: SLA policy {name} not judged: needs {', '.join(needs)}", file=sys.stderr)
    frame = frame.with_columns(pl_iso(frame))
    if fmt == "json":
        write_output(json.dumps({"breaches": frame.to_dicts()}, indent=2) + "\n", output)
        return
    cells = [
        ["" if v is None else neutralise(v) if isinstance(v, str) else v for v in row]
        for row in frame.iter_rows()
    ]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(frame.columns)
        writer.writerows(cells)
        write_output(buffer.getvalue(), output)
    elif fmt == "markdown":
        def cell(v):
            return f"{v:.2f}" if isinstance(v, float) else str(v).replace("|", "\\|")

        lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
        lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in cells]
        write_output("\n".join(lines) + "\n", output)
    else:
        from rich.table import Table
        from rich.text import Text

        shown = ["ticket_id", "vendor", "policy", "state", "target_hours", "measured_hours", "over_by_hours"]
        shown = [c for c in shown if c in frame.columns]
        names = {"ticket_id": "ticket", "target_hours": "target", "measured_hours": "measured",
                 "over_by_hours": "over by"}
        table = Table(
            title=f"SLA breaches: {frame.height} (times as h:mm:ss)", title_justify="left"
        )
        for c in shown:
            table.add_column(
                names.get(c, c), no_wrap=c != "vendor", min_width=10 if c == "vendor" else None,
                justify="right" if "hours" in c else "left",
            )
        for row in frame.select(shown).iter_rows() if frame.height else ():
            table.add_row(*(_clock(v) if isinstance(v, float) else Text(str(v)) for v in row))
        options.print_renderables([table if frame.height else "No SLA breaches."], output, False)


def _clock(hours: float) -> str:
    """Hours as h:mm:ss, so that a breach by one second does not read as 0.00."""
    seconds = round(hours * 3600)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def pl_iso(frame):
    import polars as pl

    return [pl.col(c).dt.to_string("%Y-%m-%dT%H:%M:%S%z") for c, d in frame.schema.items() if isinstance(d, pl.Datetime)]


def read_failure(inputs, exc: Exception) -> str:
    from supportkpi.loading import readers

    for item in inputs:
        if item.format in ("csv", "tsv", "jsonl"):
            found = readers.diagnose_text(item.path, item.format)
            if found:
                return found
    return f"cannot read the input: {first_line(exc)}"


def report_sources(inputs) -> None:
    """Which preset read each input, when it was detected rather than named."""
    import sys

    for item in inputs:
        if item.confidence is not None and item.source != "canonical":
            print(
                f"supportkpi: {item.path}: read as {item.source} (detected, "
                f"{item.confidence:.0%} of its fields found; --source to choose)",
                file=sys.stderr,
            )


def report_findings(findings) -> None:
    """Data-quality findings on stderr, each with its first examples (file, row, value)."""
    import sys

    for finding in findings:
        print(f"supportkpi: data: {finding.message()}", file=sys.stderr)
        for example in finding.examples[:3]:
            where = ", ".join(f"{k} {v!r}" if k == "value" else f"{k} {v}" for k, v in example.items())
            print(f"    {where}", file=sys.stderr)


OUT_OF_CORE_BUDGET = "POLARS_OOC_MEMORY_BUDGET_MB"
BOUNDED_BUDGET_MB = "1024"


def _with_memory_budget(memory: str, inputs) -> None:
    """A bounded run restarts itself with polars' out-of-core memory budget set: polars reads it
    once, when it loads, and without it the streaming KPI pass of 100M rows buffered 4.8 GiB
    (1.3 GiB with a 1 GiB budget). The budget would slow an in-memory run eightfold, so only
    bounded runs get it. A budget the user set is kept, and standard input is never re-read."""
    import os
    import sys

    from supportkpi.engine import bounded

    if OUT_OF_CORE_BUDGET in os.environ or not bounded(memory, inputs):
        return
    if any(i.path == "-" for i in inputs):
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(
        sys.executable,
        [sys.executable, "-m", "supportkpi", *sys.argv[1:]],
        {**os.environ, OUT_OF_CORE_BUDGET: BOUNDED_BUDGET_MB},
    )
