"""``supportkpi scorecard FILE...``: every target of kpi.yaml judged per vendor (and period)."""

from __future__ import annotations

from pathlib import Path

import typer

from supportkpi.cli import app, options, scoring
from supportkpi.cli.options import write_output
from supportkpi.errors import UsageError

FORMATS = ("table", "json", "csv", "markdown", "html")


@app.command("scorecard")
def scorecard_command(
    files: list[str] = options.FILES,
    by: list[str] = scoring.BY,
    period: str = options.PERIOD,
    config: Path = options.CONFIG,
    fmt: str = typer.Option("table", "--format", "-f", help="table, json, csv, markdown or html."),
    output: Path = options.OUTPUT,
    source: str = options.SOURCE,
    mapping: list[str] = options.MAP,
    tz: str = options.TZ,
    datetime_format: str = options.DATETIME_FORMAT,
    input_format: str = options.INPUT_FORMAT,
    encoding: str = options.ENCODING,
    separator: str = options.SEPARATOR,
    decimal_comma: bool = options.DECIMAL_COMMA,
    benchmark: str = typer.Option(None, "--benchmark", help="Industry figures beside the checks: ecommerce, or a YAML file."),
    hours: str = options.HOURS,
    as_of: str = options.AS_OF,
    strict: bool = scoring.STRICT,
    quiet: bool = options.QUIET,
    no_color: bool = options.NO_COLOR,
) -> None:
    """Scorecard per vendor: each target's value, status and distance, and an overall score."""
    if fmt not in FORMATS:
        raise UsageError(f"--format '{fmt}': expected one of {', '.join(FORMATS)}")
    from supportkpi.cli.compare import load_benchmark_option

    figures = load_benchmark_option(benchmark)
    card, _ = scoring.build_scorecard(
        files, config, by=by, period=period, hours=hours, as_of=as_of, quiet=quiet, strict=strict,
        source=source, mapping=mapping, tz=tz, datetime_format=datetime_format,
        input_format=input_format, encoding=encoding, separator=separator,
        decimal_comma=decimal_comma,
    )
    card.benchmark = figures
    if fmt == "table":
        from supportkpi.render.scorecard import tables

        options.print_renderables(tables(card), output, no_color)
    elif fmt == "html":
        from supportkpi.render.html import render

        write_output(render(card), output)
    else:
        from supportkpi.render.scorecard import render_text

        write_output(render_text(card, fmt), output)
