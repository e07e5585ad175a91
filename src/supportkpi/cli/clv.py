"""``supportkpi clv CONTACTS... --orders ORDERS``: customer lifetime value and repeat purchase
rate, split by support experience (contacted or not, satisfied or not, resolved at first contact
or not). The definitions are in ``supportkpi.clv``'s docstring."""

from __future__ import annotations

from pathlib import Path

import typer

from supportkpi.cli import app, options
from supportkpi.cli.inputs import Inputs, input_options
from supportkpi.cli.options import write_output
from supportkpi.cli.usage import Command, examples
from supportkpi.errors import UsageError

EXAMPLES = examples(
    ("CLV by support experience", "supportkpi clv examples/contacts.csv --orders examples/orders.csv"),
    (
        "Profit CLV, at a 30 % gross margin",
        "supportkpi clv examples/contacts.csv --orders examples/orders.csv --margin 0.3",
    ),
)


@app.command("clv", cls=Command, epilog=EXAMPLES)
@input_options(
    "strict",
    "quiet",
    "no_color",
    files=typer.Argument(..., metavar="FILE...", help="Contact exports: files, globs, or - for stdin."),
    tz=typer.Option(
        None,
        "--tz",
        metavar="ZONE",
        help="Time zone of timestamps without an offset, contacts and orders (default UTC).",
    ),
    datetime_format=typer.Option(
        None,
        "--datetime-format",
        metavar="PATTERN",
        help="strftime format of timestamps, contacts and orders (repeatable; other layouts are still read).",
    ),
    encoding=typer.Option(
        None, "--encoding", metavar="ENCODING", help="Text encoding of the exports and the orders, e.g. windows-1252."
    ),
    strict=typer.Option(False, "--strict", help="Exit 3 when orders hold data errors."),
)
def clv_command(
    inputs: Inputs,
    orders: str = typer.Option(
        ...,
        "--orders",
        metavar="FILE",
        help="Orders table (CSV, TSV, JSON, JSON Lines or Parquet): customer_id, ordered_at, order_value.",
    ),
    lifespan_years: float = typer.Option(
        None,
        "--lifespan-years",
        metavar="YEARS",
        help="Expected customer lifespan in years, the same for every segment (default 3).",
    ),
    margin: float = typer.Option(
        None, "--margin", metavar="SHARE", help="Share of revenue kept as gross profit, 0-1 (default 1: revenue CLV)."
    ),
    after_contact: bool = typer.Option(
        False, "--after-contact", help="Count a contacted customer's orders only from their first contact on."
    ),
    min_customers: int = typer.Option(
        30, "--min-customers", metavar="N", help="Segments with fewer customers are marked too few to tell."
    ),
    orders_map: list[str] = typer.Option(
        None,
        "--orders-map",
        metavar="COLUMN=HEADER",
        help="A column of the orders file from this header, e.g. order_value=Total (repeatable).",
    ),
    orders_format: str = typer.Option(
        None, "--orders-format", metavar="FORMAT", help="Format of the orders file (default: from its name)."
    ),
    fmt: str = typer.Option("table", "--format", "-f", metavar="FORMAT", help="table, json, csv or markdown."),
    output: Path = options.OUTPUT,
) -> None:
    """Customer lifetime value and repeat purchase rate, by support experience.

    CLV = average order value x purchases per customer per year x lifespan (years) x margin, in
    the orders' currency. Shows correlation, not causation."""
    from supportkpi.render import clv as view

    # Usage errors first (exit 2 wins over a data error found while reading)
    if fmt not in view.FORMATS:
        raise UsageError(f"--format '{fmt}': expected one of {', '.join(view.FORMATS)}")
    options.refuse_overwriting(inputs.files, inputs.config, {"--output": output}, {"--orders": orders})
    result = inputs.run().clv(
        orders,
        orders_format=orders_format,
        orders_map=orders_map or (),
        lifespan_years=lifespan_years,
        margin=margin,
        after_contact=after_contact,
        min_customers=min_customers,
    )
    if fmt == "table":
        options.print_renderables(view.tables(result), output, inputs.no_color)
    else:
        write_output(view.render_text(result, fmt), output)
