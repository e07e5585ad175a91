"""Formatting shared by the human-readable views (table, Markdown)."""

from __future__ import annotations

from supportkpi.metrics import signed
from supportkpi.results import ComputeResult, Group, KpiResult

_SHORT_UNITS = {"hours": "h", "seconds": "s", "%": "%", "points": "pts"}


def format_number(value: float | int | None, unit: str, signed: bool = False) -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:+,}" if signed and value else f"{value:,}"
    if signed:
        return f"{value:+.1f}" if value else "0.0"
    if 0 < abs(value) < 0.1:
        return f"{value:.2g}"  # 0.0042 h, not 0.00 h
    return f"{value:,.1f}" if abs(value) >= 100 else f"{value:,.2f}"


def markdown_cell(value: object) -> str:
    """Text for a Markdown table cell: pipes and backslashes escaped, HTML from the data kept
    out (it would render in a GitHub summary or a wiki), line breaks as spaces.

    >>> print(markdown_cell("A|B <b>&"), markdown_cell("two\\nlines"))
    A\\|B &lt;b&gt;&amp; two lines
    """
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\\", "\\\\")
    text = text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    return text.replace("|", "\\|")


def format_value(result: KpiResult) -> str:
    """The headline value with its unit, as a person reads it."""
    if not result.available:
        return "n/a"
    return format_measure(result.value, result.unit, signed=signed(result.id))


def format_measure(value: float | int | None, unit: str, signed: bool = False, readable: bool = False) -> str:
    """A number with its short unit: ``4.25 h``, ``92.50 %``, ``180.0 s``; "—" for none.

    ``readable`` shows hours under one as minutes or seconds (scorecards: a chat's first
    response of 0.0042 h reads as 15 s).

    >>> format_measure(0.25, "hours", readable=True), format_measure(15 / 3600, "hours", readable=True)
    ('15.00 min', '15.00 s')
    """
    if value is None:
        return "—"
    if readable and unit == "hours" and abs(value) < 1:
        if abs(value) * 60 < 1:
            return format_measure(value * 3600, "seconds", signed)
        return format_measure(value * 60, "min", signed)
    return with_unit(format_number(value, unit, signed=signed), unit)


def with_unit(text: str, unit: str) -> str:
    """A formatted number and its short unit: ``4.25 h``, ``92.50 %``; counts and scores bare."""
    if unit in ("", "contacts", "score"):
        return text
    return f"{text} {_SHORT_UNITS.get(unit, unit)}"


def notes(result: KpiResult) -> str:
    """What else a reader needs: which statistic or variant, the spread, why n/a."""
    if not result.available:
        return result.status
    parts = []
    if {"mean", "median", "p90"} <= result.stats.keys() and result.value is not None:
        short = _SHORT_UNITS.get(result.unit, result.unit)
        others = [
            f"{name} {format_number(result.stats[name], result.unit)}"
            for name in ("mean", "median", "p90")
            if name != result.variant
        ]
        parts.append(f"{result.variant} ({short}); " + ", ".join(others))
    elif result.variant:
        parts.append(result.variant)
    if "promoters_pct" in result.stats and result.value is not None:
        parts.append(
            f"promoters {result.stats['promoters_pct']:.1f} %, "
            f"detractors {result.stats['detractors_pct']:.1f} %"
        )
    return "; ".join(parts)


def excluded_text(result: KpiResult) -> str:
    reasons = [f"{reason} {count:,}" for reason, count in result.excluded.items() if count]
    return ", ".join(reasons)


def group_title(group: Group) -> str:
    if not group.keys:
        return "All contacts"
    return one_line(" · ".join(f"{k} {'(none)' if v is None else v}" for k, v in group.keys.items()))


def one_line(text: str) -> str:
    """A title on one line: line breaks in names from the data become spaces."""
    return " ".join(str(text).splitlines()) if "\n" in str(text) or "\r" in str(text) else str(text)


def kpi_rows(result: ComputeResult):
    """(group, kpi result) in output order: groups as sorted, KPIs in the catalog's order."""
    for group in result.groups:
        for kpi_id in result.kpi_ids:
            yield group, group.kpis[kpi_id]
