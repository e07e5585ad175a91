"""Offered volume and AHT per weekday and time of day, from call-level data: the input of
Erlang C staffing (:mod:`supportkpi.erlang`).

Which contacts count (the same definitions as the voice KPIs, :mod:`supportkpi.metrics._queue`):

* offered: calls and chats with queue data (``answered_at`` known, or ``abandoned`` known);
  emails and other contacts without queue data are left out, and so are repeats of a
  ``ticket_id`` and contacts without ``created_at``;
* handle time: ``talk_seconds + hold_seconds + acw_seconds`` of answered contacts with all three
  parts, none negative (the ``aht`` KPI).

Bucketing: ``created_at`` on the wall clock of the report's time zone, by weekday (1 = Monday …
7 = Sunday) and time of day, in slots of the interval (``08:30`` = 08:30:00–08:59:59 for 30 m).
On the days clocks change, the repeated hour counts twice and the skipped hour not at all.

Averaging: a slot's ``offered_per_week`` is its offered contacts divided by ``weeks``, the
number of times that weekday occurs in the group's observation window: the calendar days from
the group's first offered contact to its last, in the report's time zone, both ends counted as
whole days. Weeks in which the slot had no contact count as 0: they were observed, and nobody
called. For exports covering whole weeks, ``weeks`` is the number of weeks spanned; with a
partial week at either end, a weekday outside it is not diluted by a week it was not observed
in. Each group (``by``) has its own window, so a vendor whose export covers a shorter period is
averaged over its own weeks.

AHT per slot: the mean handle time of the slot's answered contacts over all weeks (every
contact weighs the same), null when no answered contact in the slot has a handle time.

Example: two Mondays of data; the 08:00 slot had 3 calls the first week and 1 the second.

>>> from datetime import datetime
>>> import polars as pl
>>> calls = pl.DataFrame({
...     "created_at": [datetime(2025, 6, 2, 8, m) for m in (0, 10, 20)] + [datetime(2025, 6, 9, 8, 5)],
...     "abandoned": [False, False, True, False],
...     "talk_seconds": [100.0, 200, None, 300], "hold_seconds": [0.0, 0, None, 0],
...     "acw_seconds": [20.0, 40, None, 60]})
>>> interval_demand(calls, "30m", timezone="UTC").to_dicts()
[{'weekday': 1, 'time': '08:00', 'weeks': 2, 'offered_per_week': 2.0, 'aht_seconds': 240.0, 'calls': 4}]
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import cast

import polars as pl

from supportkpi.erlang import staff
from supportkpi.metrics._base import Context, NotAvailable
from supportkpi.metrics._queue import HANDLE_PARTS, NO_QUEUE_DATA, answered, handle_time, offered
from supportkpi.schema import DUPLICATE, LEFT_OUT_PREFIX, left_out_flags

DEMAND_COLUMNS = ("weekday", "time", "weeks", "offered_per_week", "aht_seconds", "calls")
_DAY = 86_400
_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600}


def parse_interval(text: str) -> int:
    """An interval such as ``30m``, ``15min``, ``1h`` or ``900s`` in seconds: a whole number of
    minutes that divides a day (so that every day has the same slots).

    >>> parse_interval("30m"), parse_interval("15m"), parse_interval("1h"), parse_interval("900s")
    (1800, 900, 3600, 900)
    >>> parse_interval("7m")
    Traceback (most recent call last):
    ...
    ValueError: interval '7m': must divide a day into equal slots, e.g. 15m, 30m or 1h
    """
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*", str(text).lower())
    if match is None or match.group(2) not in _UNITS:
        raise ValueError(f"interval '{text}': expected a number and a unit, e.g. 15m, 30m or 1h")
    seconds = float(match.group(1)) * _UNITS[match.group(2)]
    if seconds <= 0 or seconds != int(seconds) or seconds % 60 or _DAY % seconds:
        raise ValueError(f"interval '{text}': must divide a day into equal slots, e.g. 15m, 30m or 1h")
    return int(seconds)


def interval_demand(
    frame: pl.LazyFrame | pl.DataFrame,
    interval: str = "30m",
    *,
    timezone: str,
    by: Sequence[str] = (),
) -> pl.DataFrame:
    """Offered contacts per week and AHT per (``by`` groups,) weekday and slot of the day.

    Columns: the ``by`` columns, ``weekday`` (1 = Monday), ``time`` (``"08:30"``), ``weeks``
    (occurrences of the weekday in the group's window), ``offered_per_week`` (``calls /
    weeks``), ``aht_seconds`` and ``calls`` (offered in total). Only slots with at least one
    offered contact appear. Raises :class:`NotAvailable` without ``created_at`` or queue data;
    ``aht_seconds`` is null throughout when the handle-time columns are missing.
    """
    seconds = parse_interval(interval)
    lazy, ctx, is_offered, keys = _prepare(frame, by)
    try:
        # a mean is an aggregation expression (order statistics are medians and percentiles)
        aht = cast(pl.Expr, handle_time(ctx, HANDLE_PARTS, "mean").value)
    except NotAvailable:
        aht = pl.lit(None, pl.Float64)
    local = _local(timezone)
    placed = lazy.filter(is_offered).with_columns(
        local.dt.weekday().cast(pl.Int8).alias("weekday"),
        local.dt.date().alias("_date"),
        (
            (local.dt.hour().cast(pl.Int32) * 3600 + local.dt.minute().cast(pl.Int32) * 60 + local.dt.second())
            // seconds
            * seconds
        ).alias("_slot"),
    )
    counts = placed.group_by([*keys, "weekday", "_slot"]).agg(
        pl.len().cast(pl.Int64).alias("calls"), aht.cast(pl.Float64).alias("aht_seconds")
    )
    windows = placed.group_by(keys).agg(pl.col("_date").min().alias("_first"), pl.col("_date").max().alias("_last"))
    weeks = (
        windows.with_columns(pl.date_ranges("_first", "_last").alias("_day"))
        .explode("_day")
        .group_by([*keys, pl.col("_day").dt.weekday().cast(pl.Int8).alias("weekday")])
        .agg(pl.len().cast(pl.Int64).alias("weeks"))
    )
    out = (
        counts.join(weeks, on=[*keys, "weekday"], how="left", nulls_equal=True)
        .with_columns(
            (pl.col("calls") / pl.col("weeks")).alias("offered_per_week"),
            pl.format(
                "{}:{}",
                (pl.col("_slot") // 3600).cast(pl.String).str.zfill(2),
                (pl.col("_slot") % 3600 // 60).cast(pl.String).str.zfill(2),
            ).alias("time"),
        )
        .sort([*keys, "weekday", "_slot"], nulls_last=True)
        .select(*by, *DEMAND_COLUMNS)
    )
    return out.collect()


def demand_exclusions(frame: pl.LazyFrame | pl.DataFrame, by: Sequence[str] = ()) -> dict[str, int]:
    """Contacts left out of :func:`interval_demand`, per reason (only reasons that occur).

    >>> from datetime import datetime
    >>> contacts = pl.DataFrame({"created_at": [datetime(2025, 6, 2, 8), None, datetime(2025, 6, 2, 9)],
    ...                          "abandoned": [False, True, None], "talk_seconds": [60.0, None, None],
    ...                          "hold_seconds": [0.0, None, None], "acw_seconds": [None, None, None]})
    >>> demand_exclusions(contacts)
    {'no created_at': 1, 'no queue data (not a call or chat)': 1, 'answered without talk, hold and acw (not in AHT)': 1}
    """
    lazy, ctx, is_offered, _ = _prepare(frame, by)
    has_parts = all(ctx.has(p) for p in HANDLE_PARTS)
    complete = pl.all_horizontal(ctx.known(p) for p in HANDLE_PARTS) if has_parts else pl.lit(False)
    # repeats, and rows a preset's rule left out (a deleted ticket), each under its own reason
    rules = {flag.removeprefix(LEFT_OUT_PREFIX): pl.col(flag) for flag in left_out_flags(sorted(ctx.columns))}
    reasons = {
        "duplicate ticket_id": pl.col(DUPLICATE) if ctx.has(DUPLICATE) else pl.lit(False),
        **rules,
        "no created_at": ctx.rows & pl.col("created_at").is_null(),
        NO_QUEUE_DATA: ctx.rows & pl.col("created_at").is_not_null() & ~offered(ctx),
        "answered without talk, hold and acw (not in AHT)": is_offered & answered(ctx) & ~complete,
    }
    counts = lazy.select(
        **{reason: mask.fill_null(False).sum().cast(pl.Int64) for reason, mask in reasons.items()}
    ).collect()
    return {reason: count for reason, count in counts.row(0, named=True).items() if count}


def _prepare(frame: pl.LazyFrame | pl.DataFrame, by: Sequence[str]):
    """The frame with duplicates flagged and ``created_at`` in UTC, its context, the mask of
    offered contacts that can be placed, and the group keys (a constant one without ``by``)."""
    from supportkpi.engine import with_duplicate_flag

    lazy = frame.lazy()
    schema = lazy.collect_schema()
    if "created_at" not in schema:
        raise NotAvailable(["created_at"])
    missing = [c for c in by if c not in schema]
    if missing:
        raise ValueError(f"no column {', '.join(missing)} to group by")
    reserved = set(DEMAND_COLUMNS) & set(by)
    if reserved:
        raise ValueError(f"cannot group by {', '.join(sorted(reserved))}: the name of an output column")
    if isinstance(schema["created_at"], pl.Datetime) and schema["created_at"].time_zone is None:
        lazy = lazy.with_columns(pl.col("created_at").dt.replace_time_zone("UTC"))
    lazy = with_duplicate_flag(lazy)
    ctx = Context(columns=frozenset(lazy.collect_schema().names()))
    is_offered = ctx.rows & offered(ctx).fill_null(False) & pl.col("created_at").is_not_null()
    keys = list(by)
    if not keys:
        lazy = lazy.with_columns(pl.lit(0, pl.Int8).alias("_all"))
        keys = ["_all"]
    return lazy, ctx, is_offered, keys


def _local(timezone: str) -> pl.Expr:
    return pl.col("created_at").dt.convert_time_zone(timezone)


def staff_intervals(
    demand: pl.DataFrame,
    interval_seconds: int,
    *,
    target: tuple[float, float] = (0.80, 20),
    shrinkage: float = 0.0,
    agents: int | None = None,
    growth: float = 1.0,
    max_occupancy: float | None = None,
    aht_seconds: float | None = None,
) -> pl.DataFrame:
    """:func:`interval_demand` with Erlang C per slot (:func:`supportkpi.erlang.staff`):
    ``volume`` (offered per week × growth), ``traffic``, ``agents``, ``probability_of_waiting``,
    ``service_level``, ``asa_seconds`` (``inf`` when unstable), ``occupancy``, ``headcount``
    and ``stable``. ``aht_seconds`` given replaces the measured AHT of every slot; a slot
    without a finite AHT gets nulls. A slot needing more than
    :data:`supportkpi.erlang.MAX_AGENTS` agents raises :class:`supportkpi.erlang.BeyondCap`.

    >>> demand = pl.DataFrame({"weekday": [1], "time": ["08:00"], "weeks": [2],
    ...                        "offered_per_week": [100.0], "aht_seconds": [180.0], "calls": [200]})
    >>> staff_intervals(demand, 1800, shrinkage=0.3).select("traffic", "agents", "headcount").row(0)
    (10.0, 14, 20)
    """
    rows = []
    for row in demand.iter_rows(named=True):
        aht = aht_seconds if aht_seconds is not None else row["aht_seconds"]
        if aht is None or not 0 < aht < math.inf:  # NaN or infinite: no usable handle time
            rows.append(dict.fromkeys(_STAFFING_COLUMNS) | {"aht_seconds": aht})
            continue
        result = staff(
            row["offered_per_week"],
            interval_seconds,
            aht,
            target=target,
            shrinkage=shrinkage,
            agents=agents,
            growth=growth,
            max_occupancy=max_occupancy,
        )
        rows.append({c: getattr(result, c) for c in _STAFFING_COLUMNS} | {"aht_seconds": aht})
    added = pl.DataFrame(rows, schema=_STAFFING_SCHEMA | {"aht_seconds": pl.Float64}, orient="row")
    return demand.with_columns(added.get_column("aht_seconds")).hstack(added.drop("aht_seconds"))


_STAFFING_SCHEMA = {
    "volume": pl.Float64,
    "traffic": pl.Float64,
    "agents": pl.Int64,
    "probability_of_waiting": pl.Float64,
    "service_level": pl.Float64,
    "asa_seconds": pl.Float64,
    "occupancy": pl.Float64,
    "headcount": pl.Int64,
    "stable": pl.Boolean,
}
_STAFFING_COLUMNS = tuple(_STAFFING_SCHEMA)
