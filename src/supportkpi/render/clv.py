"""Views of a CLV run (``supportkpi clv``): a Rich table with footnotes, JSON, CSV and Markdown.
Every view shows the same segments; JSON and CSV at full precision. Money is written with two
decimals and no currency symbol (the orders' currency); a missing figure reads "-".

Rendering never computes: the result arrives computed (:mod:`supportkpi.clv`)."""

from __future__ import annotations

from typing import Any

from supportkpi.clv.model import ClvResult, Segment
from supportkpi.render.formatting import change_percent, count, fixed, percent
from supportkpi.render.json import dumps
from supportkpi.render.tabular import csv_text, markdown_cell, markdown_table

FORMATS = ("table", "json", "csv", "markdown")
CSV_COLUMNS = (
    "family",
    "segment",
    "reference",
    "customers",
    "orders",
    "revenue",
    "customer_years",
    "aov",
    "frequency_per_year",
    "repeat_rate_pct",
    "clv",
    "clv_vs_reference_pct",
    "few_customers",
)
HEADER = ("Segment", "Customers", "Orders", "AOV", "Per year", "Repeat", "CLV", "vs ref.")
"""The columns of the table and Markdown views."""
FAMILY_TITLES = {
    "all": "All customers",
    "contact": "Support contact",
    "csat": "Satisfaction (last survey)",
    "fcr": "FCR (last resolved contact)",
}
MISSING = "-"
"""A figure that cannot be computed, as these views have always written it (the others: "—")."""


def _two_places(value: float | None) -> str:
    """Money (no currency symbol) and rates, to two decimals with thousands separated.

    >>> _two_places(1234.5), _two_places(None)
    ('1,234.50', '-')
    """
    return MISSING if value is None else fixed(value, 2)


def _share(value: float | None) -> str:
    return MISSING if value is None else percent(value)


def _versus(segment: Segment) -> str:
    if segment.reference is None:
        return "ref." if segment.family != "all" else ""
    if segment.clv_vs_reference_pct is None:
        return MISSING
    return change_percent(segment.clv_vs_reference_pct)


def _label(segment: Segment) -> str:
    return segment.segment + (" *" if segment.few_customers and segment.customers else "")


def _cells(segment: Segment) -> list[str]:
    """A segment's row of the table and Markdown views."""
    return [
        _label(segment),
        count(segment.customers),
        count(segment.orders),
        _two_places(segment.aov),
        _two_places(segment.frequency),
        _share(segment.repeat_rate),
        _two_places(segment.clv),
        _versus(segment),
    ]


def _opens_family(result: ClvResult) -> list[bool]:
    """Per segment, whether it is the first of its family (families are consecutive)."""
    families = [s.family for s in result.segments]
    return [i == 0 or family != families[i - 1] for i, family in enumerate(families)]


def footnotes(result: ClvResult) -> list[str]:
    """What the table's figures mean and what was left out, one sentence a line."""
    lines = [
        f"CLV = average order value x orders per customer per year x lifespan {result.lifespan_years:g} years "
        f"x margin {result.margin:g}"
        + (" (revenue CLV)" if result.margin == 1 else " (profit CLV)")
        + "; money in the orders' currency, undiscounted.",
    ]
    if result.window_start is not None and result.window_end is not None and result.years_observed is not None:
        lines.append(
            f"Orders observed {result.window_start:%Y-%m-%d} to {result.window_end:%Y-%m-%d} "
            f"({result.years_observed:.2f} years); orders per year = orders / customer-years observed"
            + (", from each contacted customer's first contact (--after-contact)." if result.after_contact else ".")
        )
    lines.append(
        f"Satisfied: last answered survey at or above {result.satisfied_min:g} on "
        f"{result.csat_scale[0]:g}-{result.csat_scale[1]:g}; first contact resolution: the last resolved "
        f"contact met {result.fcr_definition}. Per year: orders per customer per year; repeat: customers "
        "with 2+ orders; vs ref.: CLV compared with the family's reference (ref.)."
    )
    left = [f"{reason} {n}" for reason, n in result.orders_excluded.items()]
    if result.orders_before_contact:
        left.append(f"before first contact {result.orders_before_contact}")
    lines.append(
        f"Orders: {result.orders_read:,} read, {result.orders_used:,} used"
        + (f"; left out: {', '.join(left)}." if left else ".")
    )
    contacts = [f"{reason} {n}" for reason, n in result.contacts_excluded.items()]
    if result.contacted_without_orders:
        contacts.append(f"customers without orders {result.contacted_without_orders}")
    if contacts:
        lines.append(f"Contacts: {', '.join(contacts)}.")
    lines += [note[:1].upper() + note[1:] + "." for note in result.notes()]
    if any(s.few_customers and s.customers for s in result.segments):
        lines.append(f"* fewer than {result.min_customers} customers.")
    lines.append("Correlation, not causation: customers who contact support, or are satisfied, may differ anyway.")
    return lines


def tables(result: ClvResult) -> list[Any]:
    """The segments as a Rich table, a section per family, then the footnotes."""
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title="Customer lifetime value by support experience",
        title_justify="left",
        title_style="bold",
        show_edge=False,
    )
    table.add_column(HEADER[0], no_wrap=True)
    for name in HEADER[1:]:
        table.add_column(name, justify="right", no_wrap=True)
    for i, (segment, opens) in enumerate(zip(result.segments, _opens_family(result))):
        if opens and i:
            table.add_section()
        if opens and segment.family != "all":
            table.add_row(Text(FAMILY_TITLES[segment.family], style="bold"), *[""] * (len(HEADER) - 1))
        label, *figures = _cells(segment)
        table.add_row(Text(label), *figures, style="dim" if segment.customers == 0 else None)
    return [table, Text("\n".join(footnotes(result)), style="dim")]


def render_json(result: ClvResult) -> str:
    return dumps(result.to_dict())


def render_csv(result: ClvResult) -> str:
    rows = [
        (
            s.family,
            s.segment,
            s.reference,
            s.customers,
            s.orders,
            s.revenue,
            s.customer_years,
            s.aov,
            s.frequency,
            s.repeat_rate,
            s.clv,
            s.clv_vs_reference_pct,
            str(s.few_customers).lower(),
        )
        for s in result.segments
    ]
    return csv_text(CSV_COLUMNS, rows)


def render_markdown(result: ClvResult) -> str:
    """The pipe table, a bold row opening each family, then the footnotes as a list."""
    table = markdown_table(HEADER, [_cells(s) for s in result.segments], right=range(1, len(HEADER)))
    lines = table[:2]
    for line, segment, opens in zip(table[2:], result.segments, _opens_family(result)):
        if opens and segment.family != "all":
            lines.append(f"| **{markdown_cell(FAMILY_TITLES[segment.family])}** |" + " |" * (len(HEADER) - 1))
        lines.append(line)
    lines.append("")
    lines += [f"- {markdown_cell(line)}" for line in footnotes(result)]
    return "\n".join(lines) + "\n"


def render_text(result: ClvResult, fmt: str) -> str:
    """The result as ``json``, ``csv`` or ``markdown`` text."""
    views = {"json": render_json, "csv": render_csv, "markdown": render_markdown}
    if fmt not in views:
        raise ValueError(fmt)
    return views[fmt](result)
