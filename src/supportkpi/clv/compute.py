"""CLV per segment of support experience: the customers' segments from their contacts, their
orders and exposure, and the figures of each segment (definitions in :mod:`supportkpi.clv`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

import polars as pl

from supportkpi.clv.model import (
    ALL,
    CONTACTED,
    DAYS_PER_YEAR,
    FAMILIES,
    FCR_NO,
    FCR_YES,
    NO_RESOLVED,
    NO_SURVEY,
    NOT_CONTACTED,
    NOT_SATISFIED,
    SATISFIED,
    ClvResult,
    Segment,
)
from supportkpi.clv.orders import LINE, ORDER_REASONS, RAW, REASON, prepare_orders
from supportkpi.engine import with_duplicate_flag
from supportkpi.errors import DataError, UsageError
from supportkpi.loading import parse
from supportkpi.metrics import NotAvailable, csat, fcr_rate
from supportkpi.metrics._base import Context
from supportkpi.schema import DUPLICATE, LEFT_OUT_PREFIX, left_out_flags

DEFAULT_LIFESPAN_YEARS = 3.0
DEFAULT_MARGIN = 1.0
DEFAULT_MIN_CUSTOMERS = 30
DEFAULT_CSAT, DEFAULT_FCR = csat.Params(), fcr_rate.Params()
"""kpi.yaml's defaults: what counts as an answer, as satisfied and as resolved at first contact."""
_ORDER = "__order"


def check_params(lifespan_years: float, margin: float, min_customers: int = DEFAULT_MIN_CUSTOMERS) -> None:
    """Raise a UsageError for a lifespan or margin that makes no sense."""
    if not (math.isfinite(lifespan_years) and lifespan_years > 0):
        raise UsageError(f"lifespan {lifespan_years:g} years: expected a number of years above 0, e.g. 3")
    if not (math.isfinite(margin) and 0 < margin <= 1):
        raise UsageError(
            f"margin {margin:g}: expected a share of revenue above 0 and at most 1 (0.3 = 30 %; 1 = revenue CLV)"
        )
    if min_customers < 0:
        raise UsageError(f"min customers {min_customers}: expected 0 or more")


def clv(
    orders: pl.LazyFrame | pl.DataFrame,
    contacts: pl.LazyFrame | pl.DataFrame,
    *,
    lifespan_years: float = DEFAULT_LIFESPAN_YEARS,
    margin: float = DEFAULT_MARGIN,
    csat_params: csat.Params = DEFAULT_CSAT,
    fcr_params: fcr_rate.Params = DEFAULT_FCR,
    after_contact: bool = False,
    min_customers: int = DEFAULT_MIN_CUSTOMERS,
    timezone: str = "UTC",
    datetime_format: str | Sequence[str] | None = None,
    decimal_comma: bool = False,
) -> ClvResult:
    """CLV and repeat purchase rate per segment of support experience (see the module's
    docstring for every definition; ``csat_params`` and ``fcr_params`` are kpi.yaml's
    ``kpis.csat`` and ``kpis.fcr_rate``). ``orders`` as read or typed; ``contacts`` in the canonical
    columns (``supportkpi.load(...).frame`` or a frame with ``customer_id``, ``created_at``,
    ``csat``, ``resolved_at``, ``agent_replies``, ``reopens`` ...)."""
    check_params(lifespan_years, margin, min_customers)
    prepared = prepare_orders(orders, timezone=timezone, datetime_format=datetime_format, decimal_comma=decimal_comma)
    per_customer, contact_counts, unavailable = _contacts_per_customer(
        contacts, csat_params=csat_params, fcr_params=fcr_params
    )

    # collected once, then reused: the typed orders and one row per contacted customer
    prepared_frame, per_customer_frame = pl.collect_all([prepared, per_customer])
    prepared, per_customer = prepared_frame.lazy(), per_customer_frame.lazy()
    counts, examples, window = pl.collect_all(
        [
            prepared.group_by(REASON).agg(pl.len().alias("n")),
            prepared.filter(pl.col(REASON).is_not_null())
            .group_by(REASON, maintain_order=True)
            .agg(pl.col(LINE).head(3), pl.col(RAW).head(3)),
            prepared.filter(pl.col(REASON).is_null()).select(
                pl.col("ordered_at").min().alias("start"), pl.col("ordered_at").max().alias("end")
            ),
        ]
    )
    by_reason = dict(counts.iter_rows())
    orders_read = sum(by_reason.values())
    excluded = {r: by_reason[r] for r in ORDER_REASONS if by_reason.get(r)}
    shown = {
        reason: [{"row": line, "value": value} for line, value in zip(lines, values)]
        for reason, lines, values in examples.iter_rows()
    }
    start, end = window.row(0)
    years = None if start is None else (end - start).total_seconds() / 86400 / DAYS_PER_YEAR

    customers = _customer_table(prepared, per_customer, start, end, years, after_contact)
    counted = customers.filter(pl.col("__exposure") > 0) if after_contact else customers
    before_contact = int(customers["__before"].sum()) if after_contact else 0
    late = customers.height - counted.height

    with_orders = prepared.filter(pl.col(REASON).is_null()).select("customer_id").unique()
    without_orders = (
        per_customer.select("customer_id")
        .join(with_orders, on="customer_id", how="anti")
        .select(pl.len())
        .collect()
        .item()
    )

    segments = _segments(counted, lifespan_years, margin, min_customers, unavailable)
    return ClvResult(
        segments=segments,
        lifespan_years=lifespan_years,
        margin=margin,
        after_contact=after_contact,
        window_start=start,
        window_end=end,
        years_observed=years,
        satisfied_min=csat_params.satisfied_min,
        csat_scale=(float(csat_params.scale[0]), float(csat_params.scale[1])),
        fcr_definition=fcr_params.definition,
        min_customers=min_customers,
        orders_read=orders_read,
        orders_used=int(counted["__orders"].sum()) if counted.height else 0,
        orders_excluded=excluded,
        orders_before_contact=before_contact,
        customers_contact_after_orders=late,
        contacts_read=contact_counts.pop("read"),
        contacts_excluded={k: v for k, v in contact_counts.items() if v},
        contacted_without_orders=int(without_orders),
        unavailable=unavailable,
        examples=shown,
    )


def _contacts_per_customer(
    contacts: pl.LazyFrame | pl.DataFrame,
    *,
    csat_params: csat.Params,
    fcr_params: fcr_rate.Params,
) -> tuple[pl.LazyFrame, dict[str, int], dict[str, list[str]]]:
    """One row per contacted customer: first contact, csat and fcr segment; the counts of
    contacts left out; the families the columns cannot support."""
    frame = contacts.lazy() if isinstance(contacts, pl.DataFrame) else contacts
    names = frame.collect_schema().names()
    if "customer_id" not in names:
        raise DataError(
            "the contacts have no customer_id column, so customers cannot be matched with orders; "
            "map one with --map customer_id=HEADER"
        )
    schema = frame.collect_schema()
    typed = [parse.string(pl.col("customer_id"), schema["customer_id"]).alias("customer_id")]
    created = schema.get("created_at")
    if isinstance(created, pl.Datetime):  # naive times are UTC, as the engine reads them
        fix = pl.col("created_at")
        fix = fix.dt.replace_time_zone("UTC") if created.time_zone is None else fix.dt.convert_time_zone("UTC")
        typed.append(fix.dt.cast_time_unit("us"))
    frame = with_duplicate_flag(frame.with_columns(typed).with_row_index(_ORDER))
    ctx = Context(frozenset(frame.collect_schema().names()))
    kept = ctx.rows & pl.col("customer_id").is_not_null()
    unavailable: dict[str, list[str]] = {}

    count_exprs = [
        pl.len().alias("read"),
        # repeats, and rows a preset's rule left out (a deleted ticket), each under its own reason
        (pl.col(DUPLICATE) if ctx.has(DUPLICATE) else pl.lit(False)).sum().alias("duplicate ticket_id"),
        *(pl.col(f).sum().alias(f.removeprefix(LEFT_OUT_PREFIX)) for f in left_out_flags(sorted(ctx.columns))),
        (ctx.rows & pl.col("customer_id").is_null()).sum().alias("no customer_id"),
    ]
    aggs: list[pl.Expr] = [
        (pl.col("created_at").min() if ctx.has("created_at") else pl.lit(None, pl.Datetime("us", "UTC"))).alias(
            "__first_contact"
        ),
        pl.lit(True).alias("__contacted"),
    ]
    if ctx.has("csat"):
        answered = csat.answered(csat_params)
        count_exprs += [
            (kept & pl.col("csat").is_not_null() & ~answered).sum().alias("csat off the scale (not an answer)"),
            (kept & ctx.invalid("csat")).sum().alias("unparseable csat (not an answer)"),
        ]
        last = pl.col("csat").filter(answered).last()
        aggs.append(
            pl.when(last.is_null())
            .then(pl.lit(NO_SURVEY))
            .when(csat.satisfied(csat_params).filter(answered).last())
            .then(pl.lit(SATISFIED))
            .otherwise(pl.lit(NOT_SATISFIED))
            .alias("__csat")
        )
    else:
        unavailable["csat"] = ["csat"]
        aggs.append(pl.lit(None, pl.String).alias("__csat"))
    try:
        counted, first_contact = fcr_rate.at_first_contact(ctx, fcr_params)
        last = first_contact.filter(counted).last()
        aggs.append(
            pl.when(last.is_null())
            .then(pl.lit(NO_RESOLVED))
            .when(last)
            .then(pl.lit(FCR_YES))
            .otherwise(pl.lit(FCR_NO))
            .alias("__fcr")
        )
    except NotAvailable as exc:
        unavailable["fcr"] = list(exc.needs)
        aggs.append(pl.lit(None, pl.String).alias("__fcr"))

    counts = frame.select(c.cast(pl.Int64) for c in count_exprs).collect().row(0, named=True)
    order = ["created_at", _ORDER] if ctx.has("created_at") else [_ORDER]
    per_customer = (
        frame.filter(kept).sort(order, nulls_last=False).group_by("customer_id", maintain_order=True).agg(aggs)
    )
    return per_customer, counts, unavailable


def _customer_table(
    prepared: pl.LazyFrame,
    per_customer: pl.LazyFrame,
    start: datetime | None,
    end: datetime | None,
    years: float | None,
    after_contact: bool,
) -> pl.DataFrame:
    """One row per customer with an order that counts: orders, revenue, exposure in years and
    the segment of each family."""
    valid = prepared.filter(pl.col(REASON).is_null())
    joined = valid.join(per_customer, on="customer_id", how="left").with_columns(pl.col("__contacted").fill_null(False))
    first = pl.col("__first_contact")
    if after_contact:
        counts = pl.col("__contacted").not_() | first.is_null() | (pl.col("ordered_at") >= first)
    else:
        counts = pl.lit(True)
    joined = joined.with_columns(counts.alias("__counts"))
    table = joined.group_by("customer_id", maintain_order=True).agg(
        pl.col("__counts").sum().cast(pl.Int64).alias("__orders"),
        # float sums in sorted order: the same figures whatever order the join leaves the rows in
        pl.col("order_value").filter(pl.col("__counts")).sort().sum().alias("__revenue"),
        (~pl.col("__counts")).sum().cast(pl.Int64).alias("__before"),
        pl.col("__contacted").first(),
        first.first(),
        pl.col("__csat").first(),
        pl.col("__fcr").first(),
    )
    if years is None:
        exposure = pl.lit(0.0)
    elif after_contact:
        begin = (
            pl.when(pl.col("__contacted") & first.is_not_null() & (first > pl.lit(start)))
            .then(first)
            .otherwise(pl.lit(start))
        )
        exposure = (pl.lit(end) - begin).dt.total_microseconds() / (86_400_000_000 * DAYS_PER_YEAR)
    else:
        exposure = pl.lit(years)
    return table.with_columns(
        exposure.cast(pl.Float64).alias("__exposure"),
        pl.lit(ALL).alias("__all"),
        pl.when(pl.col("__contacted")).then(pl.lit(CONTACTED)).otherwise(pl.lit(NOT_CONTACTED)).alias("__contact"),
    ).collect()


def _segments(
    customers: pl.DataFrame,
    lifespan_years: float,
    margin: float,
    min_customers: int,
    unavailable: dict[str, list[str]],
) -> list[Segment]:
    out: list[Segment] = []
    for family, labels, reference in FAMILIES:
        if family in unavailable:
            continue
        column = f"__{family}"
        sums = {
            row[0]: row[1:]
            for row in customers.group_by(column)
            .agg(
                pl.len().alias("n"),
                pl.col("__orders").sum().alias("orders"),
                pl.col("__revenue").sort().sum().alias("revenue"),  # sorted: see _customer_table
                pl.col("__exposure").sort().sum().alias("years"),
                (pl.col("__orders") >= 2).sum().alias("repeaters"),
            )
            .iter_rows()
            if row[0] is not None
        }
        rows = []
        for label in labels:
            n, orders, revenue, years, repeaters = sums.get(label, (0, 0, 0.0, 0.0, 0))
            clv_value = revenue / years * lifespan_years * margin if years > 0 else None
            rows.append(
                Segment(
                    family=family,
                    segment=label,
                    reference=reference if label != reference else None,
                    customers=int(n),
                    orders=int(orders),
                    revenue=float(revenue),
                    customer_years=float(years),
                    aov=revenue / orders if orders else None,
                    frequency=orders / years if years > 0 else None,
                    repeat_rate=100 * repeaters / n if n else None,
                    clv=clv_value,
                    clv_vs_reference_pct=None,
                    few_customers=n < min_customers,
                )
            )
        base = next((r.clv for r in rows if r.segment == reference), None)
        for row in rows:
            if row.reference is not None and row.clv is not None and base:
                row.clv_vs_reference_pct = 100 * (row.clv / base - 1)
        out += rows
    return out
