"""The orders table typed, each order with the reason it is left out (or none)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from supportkpi.errors import DataError
from supportkpi.loading import parse

ORDER_COLUMNS = ("customer_id", "ordered_at", "order_value")

ORDER_REASONS = (
    "no customer_id",
    "no ordered_at",
    "unparseable ordered_at",
    "no order_value",
    "unparseable order_value",
    "negative order_value",
    "duplicate order_id",
)
"""Why an order is left out, in the order the reasons are tried (each order counts under one)."""
DATA_ERRORS = frozenset(
    {"unparseable ordered_at", "unparseable order_value", "negative order_value", "duplicate order_id"}
)
"""The reasons that are errors in the data (``--strict``), rather than orders outside the scope."""
REASON, RAW, LINE = "__reason", "__raw", "__line"


def prepare_orders(
    orders: pl.LazyFrame | pl.DataFrame,
    *,
    timezone: str = "UTC",
    datetime_format: str | Sequence[str] | None = None,
    decimal_comma: bool = False,
) -> pl.LazyFrame:
    """The orders typed (``customer_id`` text, ``ordered_at`` UTC, ``order_value`` float), with
    their 1-based data row in ``__line``, the reason an order is left out in ``__reason`` (null:
    it counts) and the offending raw value in ``__raw``. Columns may be text (as read from CSV or
    JSON) or already typed."""
    frame = orders.lazy() if isinstance(orders, pl.DataFrame) else orders
    schema = frame.collect_schema()
    missing = [c for c in ORDER_COLUMNS if c not in schema]
    if missing:
        raise DataError(
            f"orders lack required column(s) {', '.join(missing)} "
            f"(columns found: {', '.join(schema.names()) or 'none'})"
        )
    frame = frame.with_row_index(LINE, offset=1)
    customer = parse.string(pl.col("customer_id"), schema["customer_id"])
    when_raw = parse.raw_text(pl.col("ordered_at"), schema["ordered_at"])
    when = parse.timestamp(pl.col("ordered_at"), schema["ordered_at"], timezone, datetime_format)
    value_raw = parse.raw_text(pl.col("order_value"), schema["order_value"])
    value_text = pl.col("order_value")
    if schema["order_value"] == pl.String and decimal_comma:
        value_text = parse.blank_to_null(value_text).str.replace(",", ".", literal=True)
    value = parse.number(value_text, schema["order_value"])
    frame = frame.with_columns(
        customer.alias("customer_id"),
        when_raw.alias("__when_raw"),
        when.alias("ordered_at"),
        value_raw.alias("__value_raw"),
        value.alias("order_value"),
    )
    if "order_id" in schema:
        order_id = parse.string(pl.col("order_id"), schema["order_id"])
        repeat = order_id.is_not_null() & ~order_id.is_first_distinct()
    else:
        order_id, repeat = pl.lit(None, pl.String), pl.lit(False)
    checks = [
        (pl.col("customer_id").is_null(), pl.lit(None, pl.String)),
        (pl.col("__when_raw").is_null(), pl.lit(None, pl.String)),
        (pl.col("ordered_at").is_null(), pl.col("__when_raw")),
        (pl.col("__value_raw").is_null(), pl.lit(None, pl.String)),
        (pl.col("order_value").is_null(), pl.col("__value_raw")),
        (pl.col("order_value") < 0, pl.col("__value_raw")),
        (repeat, order_id),
    ]
    reason: Any = pl
    raw: Any = pl
    for name, (condition, shown) in zip(ORDER_REASONS, checks):
        reason = reason.when(condition).then(pl.lit(name))
        raw = raw.when(condition).then(shown)
    return frame.with_columns(reason.otherwise(None).alias(REASON), raw.otherwise(None).alias(RAW)).select(
        LINE, "customer_id", "ordered_at", "order_value", REASON, RAW
    )
