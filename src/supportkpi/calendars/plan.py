"""A schedule's plan: per distinct window ("slot"), tables over the local dates of a span: when it
opens and closes on each date (0, 0 if not then), the open time of all earlier dates, and the days
to the next date it opens. Outside the span nothing irregular happens (no holidays, no offset
changes), so a date there reads the row of the same weekday at the span's nearer end, plus whole
weeks of open time. Built once per schedule (cached)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from functools import lru_cache

import polars as pl

from supportkpi.calendars.schedule import DAY_US, EPOCH, Schedule
from supportkpi.calendars.zone import Zone, instant, zone_of


@dataclass(frozen=True, eq=False)
class Slot:
    spills: bool  # may close after the midnight that follows its start date
    weekly_us: int  # open time in a regular week
    opens: pl.Series  # per date d: opening instant - d * 1 day (µs), 0 if closed
    closes: pl.Series  # ... closing instant - d * 1 day, 0 if closed
    before: pl.Series  # open time of the occurrences starting on earlier dates of the span
    wait: pl.Series  # days to the next date with an occurrence (null: never again)


@dataclass(frozen=True, eq=False)
class Plan:
    zone: Zone
    first_day: int  # days since 1970 of the tables' first row
    last_day: int
    slots: tuple[Slot, ...]


def _days(d: _dt.date) -> int:
    return (d - EPOCH).days


@lru_cache(maxsize=32)
def _wall_clock_instants(timezone: str, offset_us: int, first: int, n_days: int) -> pl.Series:
    """Per local date ``d`` from ``first``: the instant of wall time ``d + offset_us``, minus
    ``d`` (µs since 1970 counted in whole days)."""
    days = pl.int_range(first, first + n_days, dtype=pl.Int64, eager=True)
    return pl.select(instant(days * DAY_US + offset_us, zone_of(timezone)) - days * DAY_US).to_series()


@lru_cache(maxsize=8)
def plan_of(schedule: Schedule) -> Plan:
    zone = zone_of(schedule.timezone)
    closed = [_days(d) for d in schedule.closed]
    partial = {_days(d): day for d, day in schedule.partial.items()}
    special = [*closed, *partial]
    # the span: every offset change and special date, with two weeks to spare either side
    irregular = [*special, *(t // DAY_US for t in zone.changes)]
    first = min(irregular, default=0) - 16
    first -= (first + 3) % 7  # a Monday (1970-01-01 was a Thursday) ...
    last = max(irregular, default=0) + 16
    n_days = (last - first) // 7 * 7 + 7  # ... and whole weeks
    last = first + n_days - 1

    slots: dict[tuple[int, int], tuple[list[int], list[int]]] = {}
    for weekday, day in enumerate(schedule.week):
        for w in day:
            slots.setdefault((w.start_us, w.end_us), ([], []))[0].append(weekday)
    for d, day in partial.items():
        for w in day:
            slots.setdefault((w.start_us, w.end_us), ([], []))[1].append(d)

    days = pl.int_range(first, last + 1, dtype=pl.Int64, eager=True)
    plans = []
    for (open_us, close_us), (weekdays, partial_days) in sorted(slots.items()):
        day_number = pl.col("d")
        active = ((day_number + 3) % 7).is_in(weekdays) & ~day_number.is_in(special) | day_number.is_in(partial_days)
        opening = _wall_clock_instants(zone.name, open_us, first, n_days)
        closing = _wall_clock_instants(zone.name, close_us, first, n_days)
        frame = (
            pl.LazyFrame({"d": days, "o": opening, "c": closing})
            .with_columns(on=active & (pl.col("c") > pl.col("o")))
            .select(
                opens=pl.when("on").then("o").otherwise(0),
                closes=pl.when("on").then("c").otherwise(0),
                length=pl.when("on").then(pl.col("c") - pl.col("o")).otherwise(0),
                on="on",
            )
            .with_columns(before=pl.col("length").cum_sum() - pl.col("length"))
            .collect()
        )
        weekly = int(frame["length"].tail(7).sum())
        if frame["length"].head(7).sum() != weekly:  # pragma: no cover - a span end not regular
            raise RuntimeError(f"irregular calendar at the end of the table span in {zone.name}")
        # days to the next opening, looking on into the periodic week after the span
        on = pl.concat([frame["on"], frame["on"].tail(7)])
        index = pl.int_range(0, n_days + 7, eager=True)
        ahead = pl.select(wait=(pl.when(on).then(index).otherwise(None).backward_fill() - index).head(n_days))["wait"]
        plans.append(
            Slot(
                spills=close_us > DAY_US,
                weekly_us=weekly,
                opens=frame["opens"],
                closes=frame["closes"],
                before=frame["before"],
                wait=ahead.cast(pl.Int64),
            )
        )
    return Plan(zone=zone, first_day=first, last_day=last, slots=tuple(plans))
