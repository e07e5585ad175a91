"""Business-hours calendars: how many seconds of ``[start, end)`` fall inside open hours.

Definition
----------
A :class:`Schedule` is a weekly timetable of :class:`Window` s on the *wall clock* of a named IANA
time zone, plus ``closed`` dates (holidays) and ``partial`` dates that have their own windows
(half days). Each window *occurrence* belongs to the local date it starts on: a window that starts
on a closed date does not open (an overnight window from the day before still runs into it), and
on a partial date only that date's own windows open. An occurrence on date ``d`` is the interval
of real time ``[L(d + start), L(d' + end))`` where ``d'`` is ``d`` or, for an overnight window or
an end of 00:00 (midnight), ``d + 1``, and ``L`` turns a local wall-clock time into an instant:

* a wall time that happens twice (clocks going back) means its first occurrence;
* a wall time that does not exist (clocks going forward) means the instant the clocks jump, i.e.
  the earliest instant whose wall clock reads at or after that time.

``L`` never decreases, so windows that do not overlap on the wall clock do not overlap in real
time. The business-hours length of ``[start, end)`` is the sum over occurrences of their overlap
with it, in real elapsed seconds: an overnight window 22:00-06:00 on the night the clocks go
forward lasts 7 h. A contact created outside open hours starts its clock at the next opening,
:func:`clock_start`.

Method (exact, vectorised: a few array look-ups per row, no Python per row)
---------------------------------------------------------------------------
Let ``F(t)`` be the open time of all occurrences before instant ``t``, from a fixed origin; the
answer is ``F(end) - F(start)``. ``F`` sums over *slots*, the distinct (start, end) windows of the
week and of the partial dates. Once per schedule (cached), whole-column polars code tabulates for
each slot, over every local date of a span (two weeks either side of all the zone's offset
changes, closed and partial dates): the opening and closing instants of that date's occurrence
(none if it does not open: weekday, holiday, partial date, or made empty by a DST jump), the open
time of all occurrences on earlier dates (a cumulative sum), and the days to the next date with an
occurrence. Per row, with ``D`` the local date of ``t`` and ``D' = D`` (``D - 1`` for a slot that
runs past midnight)::

    F_slot(t) = before[D'] + sum over d in D'..D of max(0, min(t, close[d]) - open[d])

since every occurrence starting before ``D'`` has ended by ``t`` and none starting after ``D`` has
begun (nor after ``D + 1`` in zones where clocks once went back over midnight, e.g. at 00:01 in
America/Goose_Bay, so that the local date stepped back: there ``D + 1`` is added). Nothing
irregular happens outside the span (no holidays there; polars' zone data has no offset changes
after 2100, and the offset of 1800 is used before), so a date outside it reads the row of the
same weekday in the span's first or last week, plus whole weeks of the weekly open time.
Wall clock and instants are converted with a table of the zone's UTC-offset changes (read
from polars, bisected to the microsecond): the local date of ``t`` by a look-up on its UTC day,
``L`` by ``search_sorted`` when tabulating. :func:`clock_start` takes the next date with an
occurrence from the table, one further if that occurrence is already over, or ``t`` itself if an
occurrence from the day before is still open.

Limitations: time zones follow polars' database (chrono-tz), like ``convert_time_zone``: it has no
DST after 2100 and may lag the system's tz data on recent rule changes; offset changes before
1800 are ignored.
Timestamps are taken at microsecond precision.

Example: Mon-Fri 08:00-18:00 Berlin; Friday 17:00 to Monday 09:00 local (16:00 and 08:00 UTC in
January) is 2 h, and a contact created on Saturday starts its clock on Monday at 08:00:

>>> from datetime import datetime, time, timezone
>>> office = (Window(time(8), time(18)),)
>>> berlin = Schedule("Europe/Berlin", week=(office,) * 5 + ((), ()))
>>> df = pl.DataFrame({
...     "created": [datetime(2025, 1, 3, 16, tzinfo=timezone.utc),
...                 datetime(2025, 1, 4, 11, tzinfo=timezone.utc)],
...     "answered": [datetime(2025, 1, 6, 8, tzinfo=timezone.utc), None],
... })
>>> df.select(
...     hours=business_seconds(pl.col("created"), pl.col("answered"), berlin) / 3600,
...     clock=clock_start(pl.col("created"), berlin)
...     .dt.convert_time_zone("Europe/Berlin")
...     .dt.strftime("%a %d %H:%M"),
... ).rows()
[(2.0, 'Fri 03 17:00'), (None, 'Mon 06 08:00')]
"""

from __future__ import annotations

import datetime as _dt
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import polars as pl

__all__ = ["Window", "Schedule", "business_seconds", "clock_start", "holiday_dates"]

_DAY = 86_400_000_000  # microseconds
_EPOCH = _dt.date(1970, 1, 1)
# offset changes are read from polars' time-zone data between these dates (days since 1970)
_ZONE_FIRST = (_dt.date(1800, 1, 1) - _EPOCH).days
_ZONE_END = (_dt.date(2102, 1, 1) - _EPOCH).days
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _time_us(t: _dt.time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


@dataclass(frozen=True)
class Window:
    """Open from ``start`` to ``end`` on the local wall clock of the day it starts.

    ``end == time(0)`` is midnight (24:00); ``end < start`` runs overnight into the next day;
    ``Window(time(0), time(0))`` is the whole day.
    """

    start: _dt.time
    end: _dt.time

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, _dt.time):
                raise TypeError(f"Window.{name} must be a datetime.time, got {value!r}")
            if value.tzinfo is not None:
                raise ValueError(f"Window.{name} must be a wall-clock time without tzinfo")
        if self.start == self.end and self.start != _dt.time(0):
            raise ValueError(
                f"Window {self} is empty (start == end); use 00:00-00:00 for a whole day"
            )

    @property
    def start_us(self) -> int:
        """Opening, in microseconds after midnight of the day the window starts."""
        return _time_us(self.start)

    @property
    def end_us(self) -> int:
        """Closing, in microseconds after midnight of the day the window starts (> 24 h for an
        overnight window)."""
        end = _time_us(self.end)
        return end + _DAY if end <= self.start_us else end

    def __str__(self) -> str:
        end = "24:00" if self.end == _dt.time(0) else self.end.isoformat()
        return f"{self.start.isoformat()}-{end}"


class _FrozenMap(Mapping[_dt.date, tuple[Window, ...]]):
    """A read-only, hashable mapping (so that a Schedule is hashable and its plan cacheable)."""

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[_dt.date, tuple[Window, ...]]) -> None:
        self._data = dict(data)
        self._hash = hash(frozenset(self._data.items()))

    def __getitem__(self, key: _dt.date) -> tuple[Window, ...]:
        return self._data[key]

    def __iter__(self) -> Iterator[_dt.date]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self._data) == dict(other)

    def __repr__(self) -> str:
        return repr(self._data)


def _windows(value: Any, where: str) -> tuple[Window, ...]:
    if isinstance(value, Window):
        raise TypeError(f"{where}: expected a tuple of Window, got a single Window")
    windows = tuple(value)
    for w in windows:
        if not isinstance(w, Window):
            raise TypeError(f"{where}: expected Window, got {w!r}")
    return windows


def _is_date(value: Any) -> bool:
    return isinstance(value, _dt.date) and not isinstance(value, _dt.datetime)


def _check_no_overlap(
    today: tuple[Window, ...], tomorrow: tuple[Window, ...], today_name: str, tomorrow_name: str
) -> None:
    spans = [(w.start_us, w.end_us, today_name, w) for w in today]
    spans += [(w.start_us + _DAY, w.end_us + _DAY, tomorrow_name, w) for w in tomorrow]
    spans.sort(key=lambda span: (span[0], span[1]))
    for (_, end_a, day_a, win_a), (start_b, _, day_b, win_b) in zip(spans, spans[1:]):
        if start_b < end_a:
            raise ValueError(f"overlapping windows: {day_a} {win_a} and {day_b} {win_b}")


@dataclass(frozen=True)
class Schedule:
    """Open hours: ``week`` (7 tuples of windows, Monday first; empty = closed) on the wall clock
    of ``timezone``; ``closed`` dates on which no window starts; ``partial`` dates with their own
    windows (overriding the week and ``closed`` for windows starting on that date)."""

    timezone: str
    week: tuple[tuple[Window, ...], ...]
    closed: frozenset[_dt.date] = frozenset()
    partial: Mapping[_dt.date, tuple[Window, ...]] = field(default_factory=lambda: _FrozenMap({}))

    def __post_init__(self) -> None:
        if not isinstance(self.timezone, str) or not self.timezone:
            raise ValueError(f"timezone must be an IANA name, got {self.timezone!r}")
        try:  # known both to the system's tz database and to polars
            zoneinfo.ZoneInfo(self.timezone)
            pl.Series([0]).cast(pl.Datetime("us", "UTC")).dt.convert_time_zone(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, pl.exceptions.PolarsError) as exc:
            raise ValueError(f"unknown time zone {self.timezone!r}") from exc
        week = tuple(self.week)
        if len(week) != 7:
            raise ValueError(f"week must have 7 entries (Monday first), got {len(week)}")
        week = tuple(_windows(day, f"week[{_DAY_NAMES[i]}]") for i, day in enumerate(week))
        closed = frozenset(self.closed)
        for d in closed:
            if not _is_date(d):
                raise TypeError(f"closed: expected datetime.date, got {d!r}")
        partial: dict[_dt.date, tuple[Window, ...]] = {}
        for d, day in dict(self.partial).items():
            if not _is_date(d):
                raise TypeError(f"partial: expected datetime.date keys, got {d!r}")
            partial[d] = _windows(day, f"partial[{d}]")
        object.__setattr__(self, "week", week)
        object.__setattr__(self, "closed", closed)
        object.__setattr__(self, "partial", _FrozenMap(partial))

        for i in range(7):
            j = (i + 1) % 7
            _check_no_overlap(week[i], week[j], _DAY_NAMES[i], _DAY_NAMES[j])
        checked: set[_dt.date] = set()
        for d in partial:
            for first in (d - _dt.timedelta(days=1), d):
                if first not in checked:
                    checked.add(first)
                    second = first + _dt.timedelta(days=1)
                    _check_no_overlap(
                        self.windows_on(first), self.windows_on(second), str(first), str(second)
                    )

    @classmethod
    def always_open(cls, timezone: str = "UTC") -> Schedule:
        """Open 24/7: business time equals elapsed time."""
        whole_day = (Window(_dt.time(0), _dt.time(0)),)
        return cls(timezone, (whole_day,) * 7)

    def windows_on(self, day: _dt.date) -> tuple[Window, ...]:
        """The windows that start on local date ``day``."""
        if day in self.partial:
            return self.partial[day]
        if day in self.closed:
            return ()
        return self.week[day.weekday()]


# --------------------------------------------------------------------------------------------
# The time zone as a table of UTC-offset changes


@dataclass(frozen=True)
class _Zone:
    name: str
    changes: tuple[int, ...]  # instants (UTC µs) at which the offset changes, ascending
    offsets: tuple[int, ...]  # offsets (µs) before the first change, after each change
    wall_ends: tuple[int, ...]  # wall clock (µs since 1970) at which each period's wall time ends
    steps_back: int  # days by which the local date can step back (clocks going back over 00:00)


def _lit(values: Iterable[int], dtype: pl.DataType = pl.Int64) -> pl.Expr:
    return pl.lit(pl.Series(list(values), dtype=dtype))


def _offsets_at(instants: pl.Expr, timezone: str) -> pl.Expr:
    local = instants.cast(pl.Datetime("us", "UTC")).dt.convert_time_zone(timezone)
    return (local.dt.base_utc_offset() + local.dt.dst_offset()).dt.total_microseconds()


@lru_cache(maxsize=64)
def _zone(timezone: str) -> _Zone:
    """The offset changes in polars' time-zone data between 1800 and 2102 (it has none after
    2100): sampled every 6 h, then each change bisected to the microsecond."""
    samples = pl.select(
        t=pl.int_range(_ZONE_FIRST * _DAY, _ZONE_END * _DAY, 6 * 3_600_000_000, eager=True)
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
    steps_back = max(
        [0, *((t + a) // _DAY - (t + b) // _DAY for t, a, b in zip(changes, offsets, offsets[1:]))]
    )
    return _Zone(timezone, changes, offsets, wall_ends, steps_back)


def _instant(wall: pl.Expr, zone: _Zone) -> pl.Expr:
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
    zone = _zone(timezone)
    frame = pl.DataFrame(
        {"start": pl.int_range(_ZONE_FIRST, _ZONE_END, dtype=pl.Int64, eager=True) * _DAY}
    ).with_columns(j=_lit(zone.changes).search_sorted(pl.col("start"), side="right"))
    frame = frame.select(
        before=_lit(zone.offsets).gather(pl.col("j")),
        change=_lit((*zone.changes, 2**62)).gather(pl.col("j")),
        after=_lit((*zone.offsets[1:], zone.offsets[-1])).gather(pl.col("j")),
    )
    return frame["before"], frame["change"], frame["after"]


def _local_day(instant: pl.Expr, zone: _Zone) -> pl.Expr:
    """Local date (Int64 days since 1970) of an instant (UTC µs)."""
    if not zone.changes:
        return (instant + zone.offsets[0]) // _DAY
    if any(b - a < _DAY for a, b in zip(zone.changes, zone.changes[1:])):
        offset = _lit(zone.offsets).gather(_lit(zone.changes).search_sorted(instant, side="right"))
        return (instant + offset) // _DAY
    # one change a UTC day at most: look the offset up by the UTC day (clamped to the span,
    # outside which the offset does not change)
    before, change, after = (pl.lit(table) for table in _utc_day_tables(zone.name))
    t, row = pl.field("t"), pl.field("row")
    offset = pl.when(t >= change.gather(row)).then(after.gather(row)).otherwise(before.gather(row))
    return (
        pl.struct(t=instant)
        .struct.with_fields(row=(t // _DAY - _ZONE_FIRST).clip(0, _ZONE_END - _ZONE_FIRST - 1))
        .struct.with_fields(day=(t + offset) // _DAY)
        .struct.field("day")
    )


# --------------------------------------------------------------------------------------------
# Plan: per distinct window ("slot"), tables over the local dates of a span: when it opens and
# closes on each date (0, 0 if not then), the open time of all earlier dates, and the days to
# the next date it opens. Outside the span nothing irregular happens (no holidays, no offset
# changes), so a date there reads the row of the same weekday at the span's nearer end, plus
# whole weeks of open time.


@dataclass(frozen=True, eq=False)
class _Slot:
    spills: bool  # may close after the midnight that follows its start date
    weekly_us: int  # open time in a regular week
    opens: pl.Series  # per date d: opening instant - d * 1 day (µs), 0 if closed
    closes: pl.Series  # ... closing instant - d * 1 day, 0 if closed
    before: pl.Series  # open time of the occurrences starting on earlier dates of the span
    wait: pl.Series  # days to the next date with an occurrence (null: never again)


@dataclass(frozen=True, eq=False)
class _Plan:
    zone: _Zone
    first_day: int  # days since 1970 of the tables' first row
    last_day: int
    slots: tuple[_Slot, ...]


def _days(d: _dt.date) -> int:
    return (d - _EPOCH).days


@lru_cache(maxsize=32)
def _wall_clock_instants(timezone: str, offset_us: int, first: int, n_days: int) -> pl.Series:
    """Per local date ``d`` from ``first``: the instant of wall time ``d + offset_us``, minus
    ``d`` (µs since 1970 counted in whole days)."""
    days = pl.int_range(first, first + n_days, dtype=pl.Int64, eager=True)
    return pl.select(_instant(days * _DAY + offset_us, _zone(timezone)) - days * _DAY).to_series()


@lru_cache(maxsize=8)
def _plan(schedule: Schedule) -> _Plan:
    zone = _zone(schedule.timezone)
    closed = [_days(d) for d in schedule.closed]
    partial = {_days(d): day for d, day in schedule.partial.items()}
    special = [*closed, *partial]
    # the span: every offset change and special date, with two weeks to spare either side
    irregular = [*special, *(t // _DAY for t in zone.changes)]
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
        d = pl.col("d")
        active = ((d + 3) % 7).is_in(weekdays) & ~d.is_in(special) | d.is_in(partial_days)
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
        weekly = frame["length"].tail(7).sum()
        if frame["length"].head(7).sum() != weekly:  # pragma: no cover - a span end not regular
            raise RuntimeError(f"irregular calendar at the end of the table span in {zone.name}")
        # days to the next opening, looking on into the periodic week after the span
        on = pl.concat([frame["on"], frame["on"].tail(7)])
        index = pl.int_range(0, n_days + 7, eager=True)
        ahead = pl.select(
            wait=(pl.when(on).then(index).otherwise(None).backward_fill() - index).head(n_days)
        )["wait"]
        plans.append(
            _Slot(
                spills=close_us > _DAY,
                weekly_us=weekly,
                opens=frame["opens"],
                closes=frame["closes"],
                before=frame["before"],
                wait=ahead.cast(pl.Int64),
            )
        )
    return _Plan(zone=zone, first_day=first, last_day=last, slots=tuple(plans))


# --------------------------------------------------------------------------------------------
# Row expressions: a few table look-ups per row. Eager polars does not share repeated
# sub-expressions, so values used more than once become fields of a struct built in stages
# (``with_fields``, read with ``pl.field``).

F = pl.field  # noqa: N816


class _Stages:
    def __init__(self, **fields: pl.Expr) -> None:
        self.expr = pl.struct(**fields)

    def add(self, **fields: pl.Expr) -> None:
        if fields:
            self.expr = self.expr.struct.with_fields(**fields)

    def get(self, name: str) -> pl.Expr:
        return self.expr.struct.field(name)


def _week_rows(days: pl.Expr, plan: _Plan, name: str) -> dict[str, dict[str, pl.Expr]]:
    """Three stages of fields locating a date in the tables: ``q<name>`` its week from the span's
    start, ``w<name>`` the whole weeks by which it lies after (> 0) or before (< 0) the span, and
    ``r<name>`` its table row: itself inside the span, else the same weekday in the first or last
    week of the span (which is whole weeks, starting on a Monday)."""
    q, w = F(f"q{name}"), F(f"w{name}")
    return {
        "q": {f"q{name}": (days - plan.first_day) // 7},
        "w": {f"w{name}": q - q.clip(0, (plan.last_day - plan.first_day) // 7)},
        "r": {f"r{name}": days - plan.first_day - 7 * w},
    }


def _row(days: pl.Expr, plan: _Plan) -> pl.Expr:
    """Table row of a date (see :func:`_week_rows`), as one expression (``days`` is repeated)."""
    q = (days - plan.first_day) // 7
    return days - plan.first_day - 7 * (q - q.clip(0, (plan.last_day - plan.first_day) // 7))


def _tag(p: str, k: int) -> str:
    """Field-name suffix for endpoint ``p`` and the date ``k`` days before its local date."""
    return f"{p}{k}" if k >= 0 else f"{p}m{-k}"


def _utc_us(ts: pl.Expr) -> pl.Expr:
    return ts.dt.convert_time_zone("UTC").dt.cast_time_unit("us").cast(pl.Int64)


def business_seconds(start: pl.Expr, end: pl.Expr, schedule: Schedule) -> pl.Expr:
    """Seconds (Float64) of ``[start, end)`` inside the open hours of ``schedule``, per row.

    ``start``/``end`` are time-zone-aware Datetime expressions (normally ``Datetime("us",
    "UTC")``). Null if either is null; 0 if ``end <= start``.
    """
    plan = _plan(schedule)

    def days_of(slot: _Slot) -> range:
        """Days before the local date D of t on which occurrences that may straddle t start:
        D, also D - 1 for a slot running past midnight, and D + 1 (-1 days before) where clocks
        once went back over midnight."""
        return range(1 if slot.spills else 0, -plan.zone.steps_back - 1, -1)

    shifts = sorted({k for slot in plan.slots for k in days_of(slot)})
    st = _Stages(s=_utc_us(start), e=_utc_us(end))
    st.add(s_day=_local_day(F("s"), plan.zone), e_day=_local_day(F("e"), plan.zone))
    located = [_week_rows(F(f"{p}_day") - k, plan, _tag(p, k)) for p in ("s", "e") for k in shifts]
    for stage in ("q", "w", "r"):
        st.add(**{k: v for fields in located for k, v in fields[stage].items()})

    def open_before(p: str) -> pl.Expr:
        """Open time before instant ``p`` from the span's start: whole earlier dates from the
        table, plus the part before ``p`` of the occurrences that may straddle it."""
        parts = []
        for slot in plan.slots:
            ks = days_of(slot)
            whole = pl.lit(slot.before).gather(F(f"r{_tag(p, ks[0])}"))
            parts += [whole, F(f"w{_tag(p, ks[0])}") * slot.weekly_us]
            for k in ks:
                midnight = (F(f"{p}_day") - k) * _DAY
                opens = midnight + pl.lit(slot.opens).gather(F(f"r{_tag(p, k)}"))
                closes = midnight + pl.lit(slot.closes).gather(F(f"r{_tag(p, k)}"))
                parts.append((pl.min_horizontal(F(p), closes) - opens).clip(lower_bound=0))
        return pl.sum_horizontal(parts) if parts else pl.lit(0, dtype=pl.Int64)

    st.add(total=open_before("e") - open_before("s"))
    st.add(
        seconds=pl.when(F("s").is_null() | F("e").is_null())
        .then(None)
        .when(F("e") <= F("s"))
        .then(0.0)
        # whole and fractional seconds apart: polars divides by a scalar via its reciprocal,
        # which is 1 ulp off for about a quarter of all values
        .otherwise(
            (F("total") // 1_000_000).cast(pl.Float64) + (F("total") % 1_000_000) / 1_000_000
        )
        .cast(pl.Float64)
    )
    return st.get("seconds")


def clock_start(start: pl.Expr, schedule: Schedule) -> pl.Expr:
    """The first instant at or after ``start`` at which ``schedule`` is open (Datetime("us",
    "UTC")); ``start`` itself if open then. Null if ``start`` is null or nothing opens again."""
    plan = _plan(schedule)
    slots = list(enumerate(plan.slots))
    if not slots:
        return pl.lit(None, dtype=pl.Datetime("us", "UTC"))

    def at(table: pl.Series, days: pl.Expr) -> pl.Expr:
        return days * _DAY + pl.lit(table).gather(_row(days, plan))

    def next_date(slot: _Slot, days: pl.Expr) -> pl.Expr:
        # within a week: the same weekday pattern holds outside the span; further (a slot that
        # only opens on partial dates, seen from before the span): a date inside the span
        row = _row(days, plan)
        wait = pl.lit(slot.wait).gather(row)
        return pl.when(wait < 7).then(days + wait).otherwise(plan.first_day + row + wait)

    st = _Stages(t=_utc_us(start))
    st.add(day=_local_day(F("t"), plan.zone))
    if any(slot.spills for slot in plan.slots):
        st.add(yesterday=_row(F("day") - 1, plan))
    # the first date on or after the local date with an occurrence; the next one if that is over
    st.add(**{f"n{i}": next_date(slot, F("day")) for i, slot in slots})
    for _ in range(1 + plan.zone.steps_back):
        st.add(**{f"c{i}": at(slot.closes, F(f"n{i}")) for i, slot in slots})
        st.add(
            **{
                f"n{i}": pl.when(F(f"c{i}") <= F("t"))
                .then(next_date(slot, F(f"n{i}") + 1))
                .otherwise(F(f"n{i}"))
                for i, slot in slots
            }
        )
    opens = {f"o{i}": at(slot.opens, F(f"n{i}")) for i, slot in slots}
    # an occurrence from yesterday still open (closing after t, and not a date it is closed)
    yesterday = {
        name: pl.lit(table).gather(F("yesterday"))
        for i, slot in slots
        if slot.spills
        for name, table in ((f"yo{i}", slot.opens), (f"yc{i}", slot.closes))
    }
    st.add(**yesterday)
    running = {
        f"y{i}": ((F("day") - 1) * _DAY + F(f"yc{i}") > F("t")) & (F(f"yc{i}") > F(f"yo{i}"))
        for i, slot in slots
        if slot.spills
    }
    st.add(**opens, **running)
    candidates = [
        pl.when(F(name).is_not_null()).then(pl.max_horizontal(F("t"), F(name))) for name in opens
    ]
    candidates += [pl.when(F(name)).then(F("t")) for name in running]
    st.add(
        opening=pl.when(F("t").is_null())
        .then(None)
        .otherwise(pl.min_horizontal(candidates))
        .cast(pl.Datetime("us", "UTC"))
    )
    return st.get("opening")


def holiday_dates(country: str, subdiv: str | None, years: Iterable[int]) -> frozenset[_dt.date]:
    """Public holidays of ``country`` (ISO code, e.g. ``"DE"``) and optional subdivision (e.g.
    ``"BY"``) in ``years``, from the ``holidays`` package."""
    import holidays

    years = sorted(set(years))
    supported = holidays.list_supported_countries()
    if country not in supported:
        raise ValueError(
            f"unknown country {country!r} for holidays; use an ISO 3166-1 alpha-2 code "
            f"such as 'DE', 'US' or 'GB'"
        )
    if subdiv is not None and subdiv not in supported[country]:
        known = ", ".join(supported[country]) or "none"
        raise ValueError(
            f"unknown subdivision {subdiv!r} of {country} for holidays; known: {known}"
        )
    calendar = holidays.country_holidays(country, subdiv=subdiv, years=years)
    return frozenset(calendar.keys())
