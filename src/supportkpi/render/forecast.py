"""Views of a forecast (``supportkpi forecast``): a Rich table, JSON, CSV and Markdown. Every
view shows the same numbers: JSON and CSV at full precision, Markdown to two decimals.

Rendering never computes: the forecast arrives computed (:mod:`supportkpi.forecast`)."""

from __future__ import annotations

from typing import Any

from supportkpi import __version__
from supportkpi.forecast import ForecastReport, describe
from supportkpi.render.durations import is_duration
from supportkpi.render.formatting import NONE, change_percent, format_measure, rounded
from supportkpi.render.json import dumps
from supportkpi.render.tabular import csv_text, markdown_cell, markdown_table
from supportkpi.render.text import group_title
from supportkpi.results import ComputeResult, Group

FORMATS = ("table", "json", "csv", "markdown")
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
"""The columns of the CSV and Markdown views, after the group's keys."""
RIGHT_ALIGNED = ("current", "forecast", "change_pct", "low", "high", "periods_used", "alpha", "beta", "sigma")
"""The Markdown view's right-aligned columns."""


def rows(report: ForecastReport) -> tuple[list[str], list[list[object]]]:
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


def render_json(report: ForecastReport, result: ComputeResult) -> str:
    """The forecast with its parameters and the data quality of the per-period result."""
    return dumps(
        {
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
    )


def render_csv(report: ForecastReport) -> str:
    return csv_text(*rows(report))


def render_markdown(report: ForecastReport) -> str:
    """A title line, the pipe table, then the report's notes as a list."""
    header, body = rows(report)
    offset = len(report.by)
    lines = [
        f"**{markdown_cell(report.name)}** for {markdown_cell(report.forecast_period)} "
        f"({markdown_cell(report.unit)}; Holt's linear trend, "
        f"{report.confidence:.0%} prediction interval)",
        "",
        *markdown_table(header, body, right={offset + COLUMNS.index(c) for c in RIGHT_ALIGNED}, cell=_cell),
    ]
    if report.notes:
        lines += [""] + [f"- {markdown_cell(n)}" for n in report.notes]
    return "\n".join(lines) + "\n"


def _cell(value: object) -> str:
    return rounded(value) if isinstance(value, float) else markdown_cell(value)


def tables(report: ForecastReport) -> list[Any]:
    """A Rich table, one row per group, then the notes (the report's and each group's)."""
    from rich.table import Table
    from rich.text import Text

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
            forecast, change, interval = NONE, NONE, NONE
        else:
            forecast = format_measure(f.forecast, report.unit)
            change = change_percent(f.change_pct)
            low_unit = report.unit if is_duration(report.unit) else ""  # 4.0–5.0 h, but 6:10–7:02
            interval = f"{format_measure(f.low, low_unit)}–{format_measure(f.high, report.unit)}"
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
    out: list[Any] = [table]
    if notes:
        out.append(Text("Notes:\n" + "\n".join(f"  {n}" for n in notes)))
    return out


def render_text(report: ForecastReport, result: ComputeResult, fmt: str) -> str:
    """The forecast as ``json``, ``csv`` or ``markdown`` text."""
    if fmt == "json":
        return render_json(report, result)
    if fmt == "csv":
        return render_csv(report)
    if fmt == "markdown":
        return render_markdown(report)
    raise ValueError(fmt)
