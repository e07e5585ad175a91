"""``supportkpi clv CONTACTS... --orders ORDERS``: customer lifetime value and repeat purchase
rate, split by support experience (contacted or not, satisfied or not, resolved at first contact
or not). The definitions are in ``supportkpi.clv``'s docstring."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import typer

from supportkpi.cli import app, options
from supportkpi.cli.inputs import Inputs, input_options
from supportkpi.cli.options import write_output
from supportkpi.errors import UsageError

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
FAMILY_TITLES = {
    "all": "All customers",
    "contact": "Support contact",
    "csat": "Satisfaction (last survey)",
    "fcr": "FCR (last resolved contact)",
}


@app.command("clv")
@input_options(
    "strict",
    "quiet",
    "no_color",
    files=typer.Argument(..., help="Contact exports: files, globs, or - for stdin."),
    tz=typer.Option(None, "--tz", help="Time zone of timestamps without an offset, contacts and orders (default UTC)."),
    datetime_format=typer.Option(
        None, "--datetime-format", help="strftime format of timestamps, contacts and orders (ISO 8601 is always read)."
    ),
    encoding=typer.Option(None, "--encoding", help="Text encoding of the exports and the orders, e.g. windows-1252."),
    strict=typer.Option(False, "--strict", help="Exit 3 when orders hold data errors."),
)
def clv_command(
    inputs: Inputs,
    orders: str = typer.Option(
        ...,
        "--orders",
        help="Orders table (CSV, TSV, JSON, JSON Lines or Parquet): customer_id, ordered_at, order_value.",
    ),
    lifespan_years: float = typer.Option(
        None, "--lifespan-years", help="Expected customer lifespan in years, the same for every segment (default 3)."
    ),
    margin: float = typer.Option(
        None, "--margin", help="Share of revenue kept as gross profit, 0-1 (default 1: revenue CLV)."
    ),
    after_contact: bool = typer.Option(
        False, "--after-contact", help="Count a contacted customer's orders only from their first contact on."
    ),
    min_customers: int = typer.Option(
        30, "--min-customers", help="Segments with fewer customers are marked too few to tell."
    ),
    orders_map: list[str] = typer.Option(
        None, "--orders-map", help="NAME=Header of the orders file, e.g. order_value=Total (repeatable)."
    ),
    orders_format: str = typer.Option(
        None, "--orders-format", help="Format of the orders file (default: from its name)."
    ),
    fmt: str = typer.Option("table", "--format", "-f", help="table, json, csv or markdown."),
    output: Path = options.OUTPUT,
) -> None:
    """Customer lifetime value and repeat purchase rate, by support experience.

    CLV = average order value x purchases per customer per year x lifespan (years) x margin, in
    the orders' currency. Shows correlation, not causation."""
    # Usage errors first (exit 2 wins over a data error found while reading)
    if fmt not in FORMATS:
        raise UsageError(f"--format '{fmt}': expected one of {', '.join(FORMATS)}")
    result = inputs.run().clv(
        orders,
        orders_format=orders_format,
        orders_map=orders_map or (),
        lifespan_years=lifespan_years,
        margin=margin,
        after_contact=after_contact,
        min_customers=min_customers,
    )
    if fmt == "json":
        write_output(render_json(result), output)
    elif fmt == "csv":
        write_output(render_csv(result), output)
    elif fmt == "markdown":
        write_output(render_markdown(result), output)
    else:
        options.print_renderables(render_table(result), output, inputs.no_color)


# Views ------------------------------------------------------------------------------------------


def money(value: float | None) -> str:
    """Money with 2 decimals and thousands separators, no currency symbol."""
    return "-" if value is None else f"{value:,.2f}"


def _number(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} %"


def _versus(segment) -> str:
    if segment.reference is None:
        return "ref." if segment.family != "all" else ""
    if segment.clv_vs_reference_pct is None:
        return "-"
    return f"{segment.clv_vs_reference_pct:+.1f} %"


def _label(segment) -> str:
    return segment.segment + (" *" if segment.few_customers and segment.customers else "")


def footnotes(result) -> list[str]:
    lines = [
        f"CLV = average order value x orders per customer per year x lifespan {result.lifespan_years:g} years "
        f"x margin {result.margin:g}"
        + (" (revenue CLV)" if result.margin == 1 else " (profit CLV)")
        + "; money in the orders' currency, undiscounted.",
    ]
    if result.window_start is not None:
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


def render_table(result) -> list:
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title="Customer lifetime value by support experience",
        title_justify="left",
        title_style="bold",
        show_edge=False,
    )
    table.add_column("Segment", no_wrap=True)
    for name in ("Customers", "Orders", "AOV", "Per year", "Repeat", "CLV", "vs ref."):
        table.add_column(name, justify="right", no_wrap=True)
    family = None
    for segment in result.segments:
        if segment.family != family:
            if family is not None:
                table.add_section()
            family = segment.family
            if family != "all":
                table.add_row(Text(FAMILY_TITLES[family], style="bold"), *[""] * 7)
        table.add_row(
            Text(_label(segment)),
            f"{segment.customers:,}",
            f"{segment.orders:,}",
            money(segment.aov),
            _number(segment.frequency),
            _percent(segment.repeat_rate),
            money(segment.clv),
            _versus(segment),
            style="dim" if segment.customers == 0 else None,
        )
    return [table, Text("\n".join(footnotes(result)), style="dim")]


def render_json(result) -> str:
    return json.dumps(result.to_dict(), indent=2, allow_nan=False) + "\n"


def render_csv(result) -> str:
    from supportkpi.render.csv import neutralise

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in result.segments:
        writer.writerow(
            [
                "" if v is None else neutralise(v)
                for v in (
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
            ]
        )
    return buffer.getvalue()


def render_markdown(result) -> str:
    from supportkpi.render.text import markdown_cell

    lines = [
        "| Segment | Customers | Orders | AOV | Per year | Repeat | CLV | vs ref. |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    family = None
    for s in result.segments:
        if s.family != family:
            family = s.family
            if family != "all":
                lines.append(f"| **{markdown_cell(FAMILY_TITLES[family])}** | | | | | | | |")
        cells = [
            _label(s),
            f"{s.customers:,}",
            f"{s.orders:,}",
            money(s.aov),
            _number(s.frequency),
            _percent(s.repeat_rate),
            money(s.clv),
            _versus(s),
        ]
        lines.append("| " + " | ".join(markdown_cell(c) for c in cells) + " |")
    lines.append("")
    lines += [f"- {markdown_cell(line)}" for line in footnotes(result)]
    return "\n".join(lines) + "\n"
