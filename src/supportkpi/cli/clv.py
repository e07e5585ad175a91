"""``supportkpi clv CONTACTS... --orders ORDERS``: customer lifetime value and repeat purchase
rate, split by support experience (contacted or not, satisfied or not, resolved at first contact
or not). The definitions are in ``supportkpi.clv``'s docstring."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from supportkpi.cli import app, options
from supportkpi.cli.options import write_output
from supportkpi.errors import DataError, UsageError, first_line

FORMATS = ("table", "json", "csv", "markdown")
CSV_COLUMNS = (
    "family", "segment", "reference", "customers", "orders", "revenue", "customer_years", "aov",
    "frequency_per_year", "repeat_rate_pct", "clv", "clv_vs_reference_pct", "few_customers",
)
FAMILY_TITLES = {
    "all": "All customers",
    "contact": "Support contact",
    "csat": "Satisfaction (last survey)",
    "fcr": "FCR (last resolved contact)",
}


@app.command("clv")
def clv_command(
    files: list[str] = typer.Argument(..., help="Contact exports: files, globs, or - for stdin."),
    orders: str = typer.Option(
        ..., "--orders", help="Orders table (CSV, TSV, JSON, JSON Lines or Parquet): customer_id, ordered_at, order_value."
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
    orders_format: str = typer.Option(None, "--orders-format", help="Format of the orders file (default: from its name)."),
    config: Path = options.CONFIG,
    fmt: str = typer.Option("table", "--format", "-f", help="table, json, csv or markdown."),
    output: Path = options.OUTPUT,
    source: str = options.SOURCE,
    mapping: list[str] = options.MAP,
    tz: str = typer.Option(
        None, "--tz", help="Time zone of timestamps without an offset, contacts and orders (default UTC)."
    ),
    datetime_format: str = typer.Option(
        None, "--datetime-format", help="strftime format of timestamps, contacts and orders (ISO 8601 is always read)."
    ),
    input_format: str = options.INPUT_FORMAT,
    encoding: str = typer.Option(
        None, "--encoding", help="Text encoding of the exports and the orders, e.g. windows-1252."
    ),
    separator: str = options.SEPARATOR,
    decimal_comma: bool = options.DECIMAL_COMMA,
    strict: bool = typer.Option(False, "--strict", help="Exit 3 when orders hold data errors."),
    quiet: bool = options.QUIET,
    no_color: bool = options.NO_COLOR,
) -> None:
    """Customer lifetime value and repeat purchase rate, by support experience.

    CLV = average order value x purchases per customer per year x lifespan (years) x margin, in
    the orders' currency. Shows correlation, not causation."""
    import polars as pl

    from supportkpi import clv as model
    from supportkpi.cli.compute import read_failure, report_sources
    from supportkpi.loading import expand, readers

    # Usage errors first (exit 2 wins over a data error found while reading)
    if fmt not in FORMATS:
        raise UsageError(f"--format '{fmt}': expected one of {', '.join(FORMATS)}")
    if orders_format is not None and orders_format not in readers.FORMATS:
        raise UsageError(f"--orders-format '{orders_format}': expected one of {', '.join(readers.FORMATS)}")
    settings, _ = options.config_and_timezone(config, tz)
    if lifespan_years is None:
        lifespan_years = settings.kpis.clv.lifespan_years
    if margin is None:
        margin = settings.kpis.clv.margin
    for flag, values in (
        ("--lifespan-years", (lifespan_years, 1.0, 0)),
        ("--margin", (1.0, margin, 0)),
        ("--min-customers", (1.0, 1.0, min_customers)),
    ):
        try:
            model.check_params(*values)
        except UsageError as exc:
            raise UsageError(f"{flag}: {exc}") from None
    renames = _orders_mapping(orders_map)
    if orders == readers.STDIN:
        if readers.STDIN in files:
            raise UsageError("standard input (-) can be read only once: give the contacts or the orders as a file")
    elif not Path(orders).is_file():
        raise UsageError(f"--orders {orders}: no such file")
    expand(files)  # a missing contacts file is a usage error too, before anything is read
    order_fmt = orders_format or (None if orders == readers.STDIN else readers.detect_format(orders))

    settings, timezone, loaded = options.load_inputs(
        files, config, source=source, mapping=mapping, tz=tz, datetime_format=datetime_format,
        input_format=input_format, encoding=encoding, separator=separator, decimal_comma=decimal_comma,
        settings=settings,
    )
    frame, order_fmt, order_sep = read_orders(orders, order_fmt, encoding=encoding, separator=separator, renames=renames)
    comma = decimal_comma if decimal_comma is not None else order_sep == ";"
    try:
        result = model.clv(
            frame,
            loaded.frame,
            lifespan_years=lifespan_years,
            margin=margin,
            satisfied_min=settings.kpis.csat.satisfied_min,
            csat_scale=settings.kpis.csat.scale,
            fcr_definition=settings.kpis.fcr_rate.definition,
            after_contact=after_contact,
            min_customers=min_customers,
            timezone=timezone,
            datetime_format=datetime_format,
            decimal_comma=comma,
        )
    except pl.exceptions.PolarsError as exc:
        found = None
        if orders != readers.STDIN and order_fmt in ("csv", "tsv", "jsonl"):
            found = readers.diagnose_text(orders, order_fmt)
        raise DataError(found or read_failure(loaded.inputs, exc)) from None

    if not quiet:
        report_sources(loaded.inputs)
    if not quiet or strict:
        report_exclusions(result, orders)
    if strict and result.data_errors:
        raise DataError(f"{orders}: {result.data_errors} data error(s) and --strict is set; no report written")
    if fmt == "json":
        write_output(render_json(result), output)
    elif fmt == "csv":
        write_output(render_csv(result), output)
    elif fmt == "markdown":
        write_output(render_markdown(result), output)
    else:
        options.print_renderables(render_table(result), output, no_color)


def _orders_mapping(pairs: list[str] | None) -> dict[str, str]:
    """``--orders-map order_value=Total`` pairs: canonical name -> header."""
    from supportkpi.clv import ORDER_COLUMNS

    out: dict[str, str] = {}
    for pair in pairs or []:
        name, sep, header = (p.strip() for p in pair.partition("="))
        if not sep or not name or not header:
            raise UsageError(f"--orders-map '{pair}': expected name=Header, e.g. order_value='Order total'")
        if name not in (*ORDER_COLUMNS, "order_id"):
            raise UsageError(
                f"--orders-map '{pair}': '{name}' is not a column of the orders table "
                f"(expected one of {', '.join((*ORDER_COLUMNS, 'order_id'))})"
            )
        out[name] = header
    return out


def read_orders(
    path: str,
    fmt: str | None,
    *,
    encoding: str | None = None,
    separator: str | None = None,
    renames: dict[str, str] | None = None,
):
    """The orders file as a lazy frame of text columns named customer_id, ordered_at,
    order_value (headers matched ignoring case and spaces, or named with ``renames``), with its
    format and CSV separator. Raises a DataError naming the columns it lacks."""
    import io
    import re

    import polars as pl

    from supportkpi.clv import ORDER_COLUMNS
    from supportkpi.loading import readers

    sep = separator.encode().decode("unicode_escape") if separator else None
    options_ = readers.Options(encoding=encoding, separator=sep)
    try:
        if path == readers.STDIN:
            data = readers.read_bytes(path)
            fmt = fmt or readers.detect_format(path, data)
            stdin, sys.stdin = sys.stdin, io.TextIOWrapper(io.BytesIO(data))
            try:
                frame = readers.read(readers.STDIN, fmt, options_)
            finally:
                sys.stdin = stdin
        else:
            assert fmt is not None
            frame = readers.read(path, fmt, options_)
            if fmt == "csv" and sep is None and not path.lower().endswith(".gz"):
                sep = readers.sniff_separator(path, path)
        names = list(frame.collect_schema().names())
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as exc:
        raise DataError(
            (readers.diagnose_text(path, fmt) if fmt else None) or f"{path}: cannot read as {fmt}: {first_line(exc)}"
        ) from None
    wanted = (*ORDER_COLUMNS, "order_id")
    chosen = dict(renames or {})
    for canonical, header in chosen.items():
        if header not in names:
            raise DataError(
                f"{path}: no column '{header}' to map onto '{canonical}' (columns in the file: {', '.join(names)})"
            )
    for name in names:
        key = re.sub(r"[\s\-]+", "_", name.strip().lower())
        if key in wanted and key not in chosen and name not in chosen.values():
            chosen[key] = name
    missing = [c for c in ORDER_COLUMNS if c not in chosen]
    if missing:
        raise DataError(
            f"{path}: the orders lack required column(s) {', '.join(missing)} "
            f"(columns in the file: {', '.join(names) or 'none'}); name them with --orders-map "
            f"{missing[0]}=HEADER"
        )
    readers.check_field_counts(path, fmt, sep, encoding)
    return frame.select(pl.col(header).alias(canonical) for canonical, header in chosen.items()), fmt, sep


def report_exclusions(result, path: str) -> None:
    """What was left out, on stderr, with the first rows of each reason."""
    for reason, n in result.orders_excluded.items():
        print(f"supportkpi: orders: {n} left out: {reason}", file=sys.stderr)
        for example in result.examples.get(reason, [])[:3]:
            value = f", value {example['value']!r}" if example["value"] is not None else ""
            print(f"    file {path}, row {example['row']}{value}", file=sys.stderr)
    if result.orders_before_contact:
        print(
            f"supportkpi: orders: {result.orders_before_contact} placed before the customer's first contact "
            "(--after-contact)",
            file=sys.stderr,
        )
    if result.customers_contact_after_orders:
        print(
            f"supportkpi: contacts: {result.customers_contact_after_orders} customer(s) left out: first contact at or "
            "after the last order of the table (--after-contact)",
            file=sys.stderr,
        )
    for reason, n in result.contacts_excluded.items():
        print(f"supportkpi: contacts: {n} left out: {reason}", file=sys.stderr)
    if result.contacted_without_orders:
        print(
            f"supportkpi: contacts: {result.contacted_without_orders} contacted customer(s) have no order in the "
            "orders table (not in any segment)",
            file=sys.stderr,
        )


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
        f"x margin {result.margin:g}" + (" (revenue CLV)" if result.margin == 1 else " (profit CLV)")
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
    lines.append(
        "Correlation, not causation: customers who contact support, or are satisfied, may differ anyway."
    )
    return lines


def render_table(result) -> list:
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title="Customer lifetime value by support experience", title_justify="left", title_style="bold",
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
    import json

    return json.dumps(result.to_dict(), indent=2, allow_nan=False) + "\n"


def render_csv(result) -> str:
    import csv
    import io

    from supportkpi.render.csv import neutralise

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in result.segments:
        writer.writerow(["" if v is None else neutralise(v) for v in (
            s.family, s.segment, s.reference, s.customers, s.orders, s.revenue, s.customer_years, s.aov,
            s.frequency, s.repeat_rate, s.clv, s.clv_vs_reference_pct, str(s.few_customers).lower(),
        )])
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
            _label(s), f"{s.customers:,}", f"{s.orders:,}", money(s.aov), _number(s.frequency),
            _percent(s.repeat_rate), money(s.clv), _versus(s),
        ]
        lines.append("| " + " | ".join(markdown_cell(c) for c in cells) + " |")
    lines.append("")
    lines += [f"- {markdown_cell(line)}" for line in footnotes(result)]
    return "\n".join(lines) + "\n"
