"""Time-zone arithmetic on whole columns: a zone as its table of UTC-offset changes, the local date
of an instant, and the instant of a local wall-clock time (:func:`instant`, the ``L`` of
:mod:`supportkpi.calendars`)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import polars as pl

from supportkpi.calendars.schedule import DAY_US, EPOCH

# offset changes are read from polars' time-zone data between these dates (days since 1970)
_ZONE_FIRST = (_dt.date(1800, 1, 1) - EPOCH).days
_ZONE_END = (_dt.date(2102, 1, 1) - EPOCH).days


@dataclass(frozen=True)
class Zone:
    name: str
    changes: tuple[int, ...]  # instants (UTC µs) at which the offset changes, ascending
    offsets: tuple[int, ...]  # offsets (µs) before the first change, after each change
    wall_ends: tuple[int, ...]  # wall clock (µs since 1970) at which each period's wall time ends
    steps_back: int  # days by which the local date can step back (clocks going back over 00:00)


def _lit(values: Iterable[int]) -> pl.Expr:
    return pl.lit(pl.Series(list(values), dtype=pl.Int64))


def _offsets_at(instants: pl.Expr, timezone: str) -> pl.Expr:
    local = instants.cast(pl.Datetime("us", "UTC")).dt.convert_time_zone(timezone)
    return (local.dt.base_utc_offset() + local.dt.dst_offset()).dt.total_microseconds()


@lru_cache(maxsize=64)
def zone_of(timezone: str) -> Zone:
    """The offset changes in polars' time-zone data between 1800 and 2102 (it has none after
    2100): sampled every 6 h, then each change bisected to the microsecond."""
    samples = pl.select(
        t=pl.int_range(_ZONE_FIRST * DAY_US, _ZONE_END * DAY_US, 6 * 3_600_000_000, eager=True)
    ).with_columns(offset=_offsets_at(pl.col("t"), timezone))
    first_offset = samples["offset"][0]
    frame = samples.select(
        lo=pl.col("t").shift(1),
        hi=pl.col("t"),
        before=pl.col("offset").shift(1),
        after=pl.col("offset"),
    ).filter(pl.col("before") != pl.col("after"))
    while not frame.is_empty() and frame.select((pl.col("hi") - pl.col("lo") > 1).any()).item():
        frame = frame.with_columns(mid=(pl.col("lo") + pl.col("hi")) // 2)
        changed = _offsets_at(pl.col("mid"), timezone) != pl.col("before")
        frame = frame.with_columns(
            lo=pl.when(changed).then(pl.col("lo")).otherwise(pl.col("mid")),
            hi=pl.when(changed).then(pl.col("mid")).otherwise(pl.col("hi")),
        ).drop("mid")
    changes = tuple(frame["hi"].to_list())
    offsets = (first_offset, *frame["after"].to_list())
    wall_ends = tuple(t + o for t, o in zip(changes, offsets))
    if any(b <= a for a, b in zip(wall_ends, wall_ends[1:])):
        raise ValueError(f"time zone {timezone!r}: offset changes too close together")
    steps_back = max([0, *((t + a) // DAY_US - (t + b) // DAY_US for t, a, b in zip(changes, offsets, offsets[1:]))])
    return Zone(timezone, changes, offsets, wall_ends, steps_back)


def instant(wall: pl.Expr | pl.Series, zone: Zone) -> pl.Expr | pl.Series:
    """The earliest instant (UTC µs) at which the wall clock reads ``wall`` (µs since 1970) or,
    if it never does (clocks jump over it), later. Period ``j`` (offset ``o_j``) starts at change
    ``T_j`` and its wall clock ends at ``wall_ends[j]``; the first period whose wall clock ends
    after ``wall`` has it, from ``max(T_j, wall - o_j)``."""
    if not zone.changes:
        return wall - zone.offsets[0]
    period = _lit(zone.wall_ends).search_sorted(pl.field("wall"), side="right")
    return (
        pl.struct(wall=wall)
        .struct.with_fields(period=period)
        .struct.with_fields(
            at=pl.max_horizontal(
                _lit((-(2**62), *zone.changes)).gather(pl.field("period")),
                pl.field("wall") - _lit(zone.offsets).gather(pl.field("period")),
            )
        )
        .struct.field("at")
    )


@lru_cache(maxsize=64)
def _utc_day_tables(timezone: str) -> tuple[pl.Series, pl.Series, pl.Series]:
    """Per UTC day of the zone's span: the offset at its start, the instant of the next change
    and the offset after that change."""
    zone = zone_of(timezone)
    frame = pl.DataFrame(
        {"start": pl.int_range(_ZONE_FIRST, _ZONE_END, dtype=pl.Int64, eager=True) * DAY_US}
    ).with_columns(j=_lit(zone.changes).search_sorted(pl.col("start"), side="right"))
    frame = frame.select(
        before=_lit(zone.offsets).gather(pl.col("j")),
        change=_lit((*zone.changes, 2**62)).gather(pl.col("j")),
        after=_lit((*zone.offsets[1:], zone.offsets[-1])).gather(pl.col("j")),
    )
    return frame["before"], frame["change"], frame["after"]


def local_day(instant: pl.Expr, zone: Zone) -> pl.Expr:
    """Local date (Int64 days since 1970) of an instant (UTC µs)."""
    if not zone.changes:
        return (instant + zone.offsets[0]) // DAY_US
    if any(b - a < DAY_US for a, b in zip(zone.changes, zone.changes[1:])):
        offset = _lit(zone.offsets).gather(_lit(zone.changes).search_sorted(instant, side="right"))
        return (instant + offset) // DAY_US
    # one change a UTC day at most: look the offset up by the UTC day (clamped to the span,
    # outside which the offset does not change)
    before, change, after = (pl.lit(table) for table in _utc_day_tables(zone.name))
    t, row = pl.field("t"), pl.field("row")
    offset = pl.when(t >= change.gather(row)).then(after.gather(row)).otherwise(before.gather(row))
    return (
        pl.struct(t=instant)
        .struct.with_fields(row=(t // DAY_US - _ZONE_FIRST).clip(0, _ZONE_END - _ZONE_FIRST - 1))
        .struct.with_fields(day=(t + offset) // DAY_US)
        .struct.field("day")
    )
