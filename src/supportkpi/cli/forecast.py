"""``supportkpi forecast FILE...``: next period's AHT (or another duration or mean KPI) per group,
beside the current value, with the change in % and a prediction interval.

The KPI is computed per period by the engine; each group's series then goes through Holt's
linear trend (:mod:`supportkpi.forecast`, where the model, its fit, the interval, the minimum
history and the handling of gaps are stated). Every group is forecast for the same period: the
one after the latest period in the data. That latest period may be partial (the data ends before
its last day): it is used, with a note, or left out with ``--exclude-partial``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import typer

from supportkpi.cli import app, options
from supportkpi.cli.inputs import Inputs, input_options
from supportkpi.cli.options import split_list, write_output
from supportkpi.errors import UsageError

FORMATS = ("table", "json", "csv", "markdown")


@app.command("forecast")
@input_options("hours", "strict", "quiet", "no_color")
def forecast_command(
    inputs: Inputs,
    period: str = typer.Option("month", "--period", "-p", help="day, week, month or quarter (by created_at)."),
    by: list[str] = typer.Option(None, "--by", "-b", help="A forecast per group, e.g. vendor."),
    kpi: str = typer.Option(
        None, "--kpi", "-k", help="A duration or mean KPI id: aht (the default), talk_time, asa, ..."
    ),
    horizon: int = typer.Option(1, "--horizon", help="Periods ahead of the latest period (1 = the next)."),
    confidence: float = typer.Option(0.95, "--confidence", help="Coverage of the prediction interval."),
    exclude_partial: bool = typer.Option(
        False, "--exclude-partial", help="Leave out the latest period when the data ends before its last day."
    ),
    fmt: str = typer.Option("table", "--format", "-f", help="table, json, csv or markdown."),
    output: Path = options.OUTPUT,
) -> None:
    """Forecast next period's AHT (Holt's linear trend) beside the current value, per group."""
    if fmt not in FORMATS:
        raise UsageError(f"--format '{fmt}': expected one of {', '.join(FORMATS)}")
    report, result = inputs.run().forecast(
        kpi,
        by=split_list(by),
        period=period,
        horizon=horizon,
        confidence=confidence,
        exclude_partial=exclude_partial,
    )
    if fmt == "table":
        options.print_renderables(tables(report), output, inputs.no_color)
    elif fmt == "json":
        write_output(render_json(report, result), output)
    elif fmt == "csv":
        write_output(render_csv(report), output)
    else:
        write_output(render_markdown(report), output)


# ------------------------------------------------------------------------------------------
# Views: every view shows the same numbers
# ------------------------------------------------------------------------------------------

COLUMNS = (
    "kpi",
    "current_period",
    "current",
    "forecast_period",
    "forecast",
    "change_pct",
    "low",
    "high",
    "confidence",
    "periods_used",
    "alpha",
    "beta",
    "sigma",
    "method",
    "note",
)


def rows(report) -> tuple[list[str], list[list[object]]]:
    """Header and one row per group, shared by the CSV and Markdown views."""
    keys = list(report.by)
    header = [*keys, *COLUMNS]
    out = []
    for g in report.groups:
        f = g.forecast
        out.append(
            [
                *(g.keys.get(k) for k in keys),
                report.kpi,
                g.current_period,
                f.current,
                report.forecast_period,
                f.forecast,
                f.change_pct,
                f.low,
                f.high,
                f.confidence,
                f.periods_used,
                f.alpha,
                f.beta,
                f.sigma,
                f.method,
                f.note,
            ]
        )
    return header, out


def render_json(report, result) -> str:
    from supportkpi import __version__

    doc = {
        "supportkpi_version": __version__,
        "parameters": {
            "kpi": report.kpi,
            "by": report.by,
            "period": report.period,
            "horizon": report.horizon,
            "confidence": report.confidence,
            "timezone": result.timezone,
        },
        **report.to_dict(),
        "data_quality": {
            "errors": result.data_errors,
            "findings": [f.to_dict() for f in result.findings],
        },
    }
    return json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n"


def render_csv(report) -> str:
    from supportkpi.render.csv import neutralise

    header, body = rows(report)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else neutralise(v) for v in row] for row in body])
    return buffer.getvalue()


def render_markdown(report) -> str:
    from supportkpi.render.text import markdown_cell

    header, body = rows(report)

    def cell(value: object) -> str:
        return f"{value:.2f}" if isinstance(value, float) else markdown_cell(value)

    numeric = {"current", "forecast", "change_pct", "low", "high", "periods_used", "alpha", "beta", "sigma"}
    lines = [
        f"**{markdown_cell(report.name)}** for {markdown_cell(report.forecast_period)} "
        f"({markdown_cell(report.unit)}; Holt's linear trend, "
        f"{report.confidence:.0%} prediction interval)",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---:" if h in numeric else "---" for h in header) + "|",
    ]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in body]
    if report.notes:
        lines += [""] + [f"- {markdown_cell(n)}" for n in report.notes]
    return "\n".join(lines) + "\n"


def tables(report) -> list:
    from rich.table import Table
    from rich.text import Text

    from supportkpi.forecast import describe
    from supportkpi.render.text import format_measure, group_title
    from supportkpi.results import Group

    if not report.groups:
        return ["No contacts."]
    level = f"{report.confidence * 100:g} %"
    table = Table(
        title=Text(
            f"{report.name} for {report.forecast_period} ({report.title}; current: {report.last_period}; "
            "Holt's linear trend)"
        ),
        title_justify="left",
        title_style="bold",
    )
    table.add_column("Group", overflow="fold", min_width=8, max_width=24)
    table.add_column("Periods", justify="right", no_wrap=True)
    table.add_column("Current", justify="right", no_wrap=True)
    table.add_column("Forecast", justify="right")
    table.add_column("Change", justify="right", no_wrap=True)
    table.add_column(f"{level} interval", justify="right")
    table.add_column("Model")
    notes = list(report.notes)
    for g in report.groups:
        f = g.forecast
        title = group_title(Group(keys=g.keys, kpis={}))
        if f.forecast is None:
            forecast, change, interval = "—", "—", "—"
        else:
            forecast = format_measure(f.forecast, report.unit)
            change = "—" if f.change_pct is None else f"{f.change_pct:+.1f} %"
            interval = f"{format_measure(f.low, '')}–{format_measure(f.high, report.unit)}"
        table.add_row(
            Text(title),
            str(f.periods_used),
            format_measure(f.current, report.unit),
            forecast,
            change,
            interval,
            describe(f) if f.forecast is not None else "too few periods",
            style="dim" if f.forecast is None else None,
        )
        if f.note:
            notes.append(f"{title}: {f.note}")
    out: list = [table]
    if notes:
        out.append(Text("Notes:\n" + "\n".join(f"  {n}" for n in notes)))
    return out
