"""The canonical columns of interval reports: recognising a report by its headers, and typing
its columns as the loader types contact columns."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl

from supportkpi.loading import parse
from supportkpi.schema import ROW, Column, Kind, column_spelling, invalid_flag

INTERVAL_COLUMNS: tuple[Column, ...] = (
    Column(
        "interval_start",
        Kind.DATETIME,
        "start of the interval (UTC once loaded); the interval's contacts fall in the period of this instant",
        required=True,
    ),
    Column(
        "interval_minutes", Kind.INT, "length of the interval in minutes (15, 30, 60); informational, passed through"
    ),
    Column("vendor", Kind.STRING, "outsourcing partner or in-house team responsible"),
    Column("queue", Kind.STRING, "queue, skill, split or campaign (the contacts table's `team`)"),
    Column("channel", Kind.STRING, "phone, chat, ... as in the contacts table"),
    Column("offered", Kind.INT, "contacts that entered the queue in the interval; when absent, answered + abandoned"),
    Column("answered", Kind.INT, "offered contacts an agent picked up"),
    Column("abandoned", Kind.INT, "offered contacts that left while waiting, short abandons included"),
    Column(
        "short_abandoned",
        Kind.INT,
        "abandons with a wait below the short-abandon threshold "
        "(part of `abandoned`); when absent none are subtracted (stated in the output)",
    ),
    Column("answered_within_threshold", Kind.INT, "answered with a wait at or below T"),
    Column(
        "abandoned_within_threshold",
        Kind.INT,
        "abandoned with a wait at or below T, short abandons included; for the `abandons_within_t_met` variant",
    ),
    Column(
        "threshold_seconds", Kind.FLOAT, "the T the report counted `*_within_threshold` with; checked against kpi.yaml"
    ),
    Column(
        "short_abandon_seconds",
        Kind.FLOAT,
        "the short-abandon threshold the report counted `short_abandoned` with; checked against kpi.yaml",
    ),
    Column("wait_seconds_answered", Kind.FLOAT, "total queue wait of the answered contacts (for ASA), seconds"),
    Column("talk_seconds", Kind.FLOAT, "total talk time of the answered contacts, seconds"),
    Column("hold_seconds", Kind.FLOAT, "total hold time of the answered contacts, seconds"),
    Column("acw_seconds", Kind.FLOAT, "total after-contact work of the answered contacts, seconds"),
)
"""One definition of every interval column: name, kind (hence dtype) and meaning. Counts are
whole numbers of contacts, the ``*_seconds`` figures are *totals* over the interval's answered
contacts (not averages: a vendor's average × answered gives the total). Columns beyond these pass
through under their own names and may be used in ``by``.

``abandoned``, ``talk_seconds``, ``hold_seconds`` and ``acw_seconds`` share their names with
contact columns but not their meaning (a count, totals): an interval table is typed by
:func:`conform`, never by the contacts loader."""

INTERVAL_SCHEMA: dict[str, Column] = {c.name: c for c in INTERVAL_COLUMNS}
COUNTS = (
    "offered",
    "answered",
    "abandoned",
    "short_abandoned",
    "answered_within_threshold",
    "abandoned_within_threshold",
)
TOTALS = ("wait_seconds_answered", "talk_seconds", "hold_seconds", "acw_seconds")


def is_interval_table(columns: Iterable[str]) -> bool:
    """Whether headers (canonical names, or the same but for case, spaces and hyphens) are an
    interval report's: an ``interval_start`` and queue counts, and no ``ticket_id``.

    >>> is_interval_table(["Interval Start", "Queue", "Offered", "Answered", "Abandoned"])
    True
    >>> is_interval_table(["ticket_id", "created_at", "abandoned", "wait_seconds"])
    False
    """
    names = {normalized_name(c) for c in columns}
    counts = "offered" in names or {"answered", "abandoned"} <= names
    return "interval_start" in names and counts and "ticket_id" not in names


def normalized_name(name: str) -> str:
    """A header as an interval column name: lower case, spaces and hyphens as underscores."""
    return column_spelling(name)


def conform(
    frame: pl.LazyFrame | pl.DataFrame,
    *,
    timezone: str = "UTC",
    datetime_format: str | Sequence[str] | None = None,
    decimal_comma: bool = False,
) -> pl.LazyFrame:
    """The interval columns in their canonical dtypes, as the loader types contact columns.

    Text is parsed (timestamps without an offset are wall-clock times in ``timezone``); a value
    that cannot be parsed becomes null and is kept in ``_invalid_<column>`` for the report.
    Datetimes without a time zone are taken as UTC (as :func:`supportkpi.compute` takes them);
    rows get a ``_row`` number (1-based) unless they have one. Other columns pass through.
    """
    lazy = frame.lazy()
    schema = lazy.collect_schema()
    if ROW not in schema:
        lazy = lazy.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))
    typed: list[pl.Expr] = []
    flags: list[pl.Expr] = []
    for name, dtype in schema.items():
        column = INTERVAL_SCHEMA.get(name)
        if column is None or dtype == column.dtype:
            continue
        if column.kind is Kind.STRING:
            typed.append(pl.col(name).cast(pl.String).alias(name))
            continue
        if isinstance(dtype, pl.Datetime) and column.kind is Kind.DATETIME:
            value = (
                pl.col(name).dt.replace_time_zone("UTC")
                if dtype.time_zone is None
                else pl.col(name).dt.convert_time_zone("UTC")
            )
            typed.append(value.cast(column.dtype).alias(name))
            continue
        if dtype.is_integer() and column.kind in (Kind.INT, Kind.FLOAT):
            typed.append(pl.col(name).cast(column.dtype).alias(name))
            continue
        raw = pl.col(name)
        if dtype == pl.String:
            raw = parse.blank_to_null(raw)
            if decimal_comma and column.kind in (Kind.INT, Kind.FLOAT):
                raw = raw.str.replace(",", ".", literal=True)
        value = parse.parse(column.kind, raw, dtype, timezone, datetime_format)
        typed.append(value.cast(column.dtype).alias(name))
        given = raw if dtype == pl.String else parse.raw_text(pl.col(name), dtype)
        flag = pl.when(given.is_not_null() & value.is_null()).then(given.cast(pl.String))
        earlier = invalid_flag(name)
        flags.append((pl.coalesce(pl.col(earlier), flag) if earlier in schema else flag).alias(earlier))
    if typed or flags:
        lazy = lazy.with_columns(*typed, *flags)
    return lazy
