"""Wording shared by the human-readable views of a compute result (table, Markdown)."""

from __future__ import annotations

from collections.abc import Iterable

from supportkpi.metrics import REGISTRY, signed
from supportkpi.render.durations import is_duration
from supportkpi.render.formatting import SHORT_UNITS, count, format_measure, percent, printable
from supportkpi.results import ComputeResult, Group, KpiResult
from supportkpi.schema import CONTACTS, TABLES


def format_value(result: KpiResult) -> str:
    """The headline value with its unit, as a person reads it."""
    if not result.available:
        return "n/a"
    return format_measure(result.value, result.unit, signed=signed(result.id))


def notes(result: KpiResult) -> str:
    """What else a reader needs: which statistic or variant, the spread, why n/a."""
    if not result.available:
        return result.status
    parts = []
    if {"mean", "median", "p90"} <= result.stats.keys() and result.value is not None:
        others = [
            f"{name} {format_measure(result.stats[name], result.unit)}"
            for name in ("mean", "median", "p90")
            if name != result.variant
        ]
        shown = (
            result.variant
            if is_duration(result.unit)
            else f"{result.variant} ({SHORT_UNITS.get(result.unit, result.unit)})"
        )
        parts.append(f"{shown}; " + ", ".join(others))
    elif result.variant:
        parts.append(result.variant)
    if "promoters_pct" in result.stats and result.value is not None:
        parts.append(
            f"promoters {percent(result.stats['promoters_pct'])}, detractors {percent(result.stats['detractors_pct'])}"
        )
    if "positive_pct" in result.stats and result.value is not None:
        parts.append(
            f"positive {percent(result.stats['positive_pct'])}, negative {percent(result.stats['negative_pct'])}"
        )
    stars = sorted((k for k in result.stats if k.startswith("stars_")), reverse=True)
    if stars and result.value is not None:
        parts.append(", ".join(f"{k.split('_')[1]}★ {percent(result.stats[k])}" for k in stars))
    return "; ".join(parts)


def excluded_text(result: KpiResult) -> str:
    reasons = [f"{reason} {count(n)}" for reason, n in result.excluded.items() if n]
    return ", ".join(reasons)


def group_title(group: Group) -> str:
    """The group's columns and values, on one line and safe on a terminal (names come from
    the data).

    >>> print(group_title(Group(keys={"vendor": "Acme\\x1b[2J"}, kpis={})))
    vendor Acme\\x1b[2J
    """
    if not group.keys:
        return f"All {rows_noun(group.kpis)}"
    return printable(one_line(" · ".join(f"{k} {'(none)' if v is None else v}" for k, v in group.keys.items())))


def rows_noun(kpi_ids: Iterable[str]) -> str:
    """What the rows of some KPIs are, their table's noun: mentions when the KPIs read the
    mentions table, else contacts."""
    tables = {REGISTRY[k].INFO.table for k in kpi_ids if k in REGISTRY}
    return TABLES[tables.pop()].noun if len(tables) == 1 else CONTACTS.noun


def one_line(text: str) -> str:
    """A title on one line: line breaks in names from the data become spaces."""
    return " ".join(str(text).splitlines()) if "\n" in str(text) or "\r" in str(text) else str(text)


def kpi_rows(result: ComputeResult):
    """(group, kpi result) in output order: groups as sorted, KPIs in the catalog's order."""
    for group in result.groups:
        for kpi_id in result.kpi_ids:
            yield group, group.kpis[kpi_id]


def shown_name(text: object) -> str:
    """A name from the data (a vendor, a channel, a side) as a table cell or title shows it: on
    one line and with control characters written as visible escapes.

    >>> shown_name("Evil\\x1b[31m\\nCo")
    'Evil\\\\x1b[31m Co'
    """
    return printable(one_line(str(text)))
