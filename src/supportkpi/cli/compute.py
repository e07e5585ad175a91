"""``supportkpi compute FILE...``: every KPI per group, as a table, JSON, CSV or Markdown."""

from __future__ import annotations

from pathlib import Path

import typer

from supportkpi.cli import app
from supportkpi.cli.options import (
    column_mapping,
    config_and_timezone,
    split_list,
    use_color,
    write_output,
)
from supportkpi.errors import DataError, UsageError


@app.command("compute")
def compute_command(
    files: list[str] = typer.Argument(..., help="Exports to read: files, globs, or - for stdin."),
    by: list[str] = typer.Option(None, "--by", "-b", help="Group by columns, e.g. vendor,channel."),
    period: str = typer.Option(None, "--period", "-p", help="day, week, month or quarter (by created_at)."),
    kpi: list[str] = typer.Option(None, "--kpi", "-k", help="Only these KPI ids (comma-separated)."),
    config: Path = typer.Option(None, "--config", "-c", help="kpi.yaml (default: ./kpi.yaml if present)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, json, csv or markdown."),
    output: Path = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    mapping: list[str] = typer.Option(None, "--map", "-m", help="canonical=Header (repeatable)."),
    tz: str = typer.Option(None, "--tz", help="Time zone of timestamps without an offset (default UTC)."),
    datetime_format: str = typer.Option(None, "--datetime-format", help="strftime format of timestamps."),
    input_format: str = typer.Option(None, "--input-format", help="csv, tsv, json, jsonl or parquet."),
    strict: bool = typer.Option(False, "--strict", help="Exit 3 on any data error."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No data-quality messages on stderr."),
    no_color: bool = typer.Option(False, "--no-color", help="No colour in the table."),
) -> None:
    """Compute KPIs from exports in canonical columns (see `supportkpi kpis`)."""
    import polars as pl

    from supportkpi.engine import check_kpis, check_period, compute
    from supportkpi.loading import load, readers
    from supportkpi.render import FORMATS, render_text

    if fmt not in FORMATS:
        raise UsageError(f"--format '{fmt}': expected one of {', '.join(FORMATS)}")
    if input_format is not None and input_format not in readers.FORMATS:
        raise UsageError(f"--input-format '{input_format}': expected one of {', '.join(readers.FORMATS)}")
    # Usage errors first (exit 2 wins over a data error found while loading)
    kpi_ids = check_kpis(split_list(kpi))
    check_period(period)
    settings, timezone = config_and_timezone(config, tz)
    loaded = load(
        files,
        mapping=column_mapping(settings, mapping or []),
        timezone=timezone,
        datetime_format=datetime_format,
        input_format=input_format,
    )
    params = settings.kpis.model_dump()
    try:
        result = compute(
            loaded.frame,
            kpi_ids,
            by=split_list(by),
            period=period,
            timezone=timezone,
            params=params,
            inputs=loaded.inputs,
        )
    except pl.exceptions.PolarsError as exc:
        raise DataError(_read_failure(loaded.inputs, exc)) from None

    if not quiet or strict:
        _report_findings(result)
    if strict and result.data_errors:
        raise DataError(f"{result.data_errors} data error(s) and --strict is set; no report written")
    if fmt == "table":
        _print_tables(result, output, no_color)
    else:
        write_output(render_text(result, fmt), output)


def _read_failure(inputs, exc: Exception) -> str:
    from supportkpi.loading import readers

    for item in inputs:
        if item.format in ("csv", "tsv", "jsonl"):
            found = readers.diagnose_text(item.path, item.format)
            if found:
                return found
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"cannot read the input: {first}"


def _report_findings(result) -> None:
    import sys

    for finding in result.findings:
        print(f"supportkpi: data: {finding.message()}", file=sys.stderr)
        for example in finding.examples[:3]:
            where = ", ".join(f"{k} {v!r}" if k == "value" else f"{k} {v}" for k, v in example.items())
            print(f"    {where}", file=sys.stderr)


def _print_tables(result, output: Path | None, no_color: bool) -> None:
    from rich.console import Console

    from supportkpi.render.table import tables

    if output is not None:
        import io

        buffer = io.StringIO()
        console = Console(file=buffer, width=100, no_color=True, color_system=None)
        for table in tables(result):
            console.print(table)
        write_output(buffer.getvalue(), output)
        return
    console = Console(no_color=use_color(no_color) is False, width=None)
    if not result.groups:
        console.print("No contacts.")
    for table in tables(result):
        console.print(table)
