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

Method (exact, vectorised: no Python per row)
---------------------------------------------
Let ``F(t)`` be the open time of all occurrences before ``t`` (from any fixed origin), so that the
answer is ``F(end) - F(start)``. For one distinct weekly window ``w`` and the local date ``D`` of
``t``, every occurrence starting before ``X = D`` (``D - 1`` for a window that runs past
midnight) has ended by ``t``; the others start on ``X .. D``. Hence::

    F_w(end) - F_w(start) = business_day_count(X_start, X_end; weekdays of w, holidays) * len(w)
                            + dst(X_end) - dst(X_start)
                            + edge(end) - edge(start)

``holidays`` are the closed and the partial dates. ``edge(t)`` adds, for the one or two
occurrences starting on ``X .. D``, ``clip(t, open, close) - open`` with ``open``/``close``
computed per row as instants (``replace_time_zone``), so it is exact across DST changes.
``dst(X)`` is the sum, over active dates before ``X``, of each occurrence's real minus nominal
length; it is non-zero only on dates next to a DST change, so it is a small table precomputed per
schedule and looked up with ``search_sorted``. Partial dates' occurrences are a finite list of
instants, summed the same way with a cumulative table. Non-existent wall times are resolved from
a precomputed table of the zone's DST gaps.

Limitations: DST tables cover local dates 1900-2101 (polars' zone data has no changes after 2100);
before 1900 whole-day counts use nominal lengths and a window edge that falls in a gap gives null.
Local dates are assumed never to go backwards (true of every zone shifting on whole hours).

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
_TABLE_FIRST = _dt.date(1900, 1, 1)
_TABLE_LAST = _dt.date(2101, 12, 31)
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
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
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
# Plan: everything about a schedule that does not depend on the rows, computed once.


@dataclass(frozen=True)
class _Boundary:
    offset_us: int  # after midnight of the occurrence's start date
    gap_days: tuple[int, ...]  # start dates (days since 1970) on which it is a non-existent time
    gap_instants: tuple[int, ...]  # ... and the instant the clocks jump there (UTC µs)


@dataclass(frozen=True)
class _WindowPlan:
    open: _Boundary
    close: _Boundary
    nominal_us: int
    spills: bool  # ends after the midnight following its start date
    week_mask: tuple[bool, ...]
    dst_days: tuple[int, ...]  # active dates whose occurrence is not nominal_us long
    dst_cumulative: tuple[int, ...]  # len(dst_days) + 1 running sums of (real - nominal)
    can_be_empty: bool  # DST shrinks some occurrence to nothing


@dataclass(frozen=True)
class _Plan:
    timezone: str
    holidays: tuple[_dt.date, ...]  # closed and partial dates: weekly windows do not start
    windows: tuple[_WindowPlan, ...]
    partial_open: tuple[int, ...]  # partial occurrences, sorted, disjoint, non-empty (UTC µs)
    partial_close: tuple[int, ...]
    partial_before: tuple[int, ...]  # open time of the partial occurrences before each one


def _to_instant(naive: pl.Expr, timezone: str) -> pl.Expr:
    """Local wall time (naive Datetime µs) -> UTC µs (Int64); null where it does not exist."""
    return (
        naive.dt.replace_time_zone(timezone, ambiguous="earliest", non_existent="null")
        .dt.convert_time_zone("UTC")
        .dt.cast_time_unit("us")
        .cast(pl.Int64)
    )


def _naive(days: pl.Expr, offset_us: int) -> pl.Expr:
    return (days.cast(pl.Int64) * _DAY + offset_us).cast(pl.Datetime("us"))


def _occurrence_instant(days: pl.Expr, boundary: _Boundary, timezone: str) -> pl.Expr:
    """UTC µs of ``boundary`` on start date ``days`` (Int32 days since 1970), per row."""
    instant = _to_instant(_naive(days, boundary.offset_us), timezone)
    if boundary.gap_days:
        jump = days.cast(pl.Int32).replace_strict(
            list(boundary.gap_days),
            list(boundary.gap_instants),
            default=None,
            return_dtype=pl.Int64,
        )
        instant = pl.coalesce(instant, jump)
    return instant


@lru_cache(maxsize=64)
def _transition_days(timezone: str) -> tuple[int, ...]:
    """Local dates (days since 1970) within a day of a UTC-offset change, 1900-2101."""
    samples = pl.select(
        t=pl.datetime_range(
            _dt.datetime(_TABLE_FIRST.year - 1, 12, 30),
            _dt.datetime(_TABLE_LAST.year + 1, 1, 2),
            "3h",
            time_zone="UTC",
            eager=True,
        )
    ).with_columns(local=pl.col("t").dt.convert_time_zone(timezone))
    samples = samples.with_columns(
        offset=pl.col("local").dt.base_utc_offset() + pl.col("local").dt.dst_offset(),
        day=pl.col("local").dt.date().cast(pl.Int32),
    )
    changed = samples.filter(pl.col("offset") != pl.col("offset").shift(1))
    previous = samples.filter(pl.col("offset").shift(-1) != pl.col("offset"))
    days = set(changed["day"].to_list()) | set(previous["day"].to_list())
    return tuple(sorted({d + k for d in days for k in (-2, -1, 0, 1)}))


def _gap_instants(naive_us: list[int], timezone: str) -> list[int]:
    """For non-existent local times: the instant the clocks jump (earliest instant whose wall
    clock reads at or after the time), by bisection on small vectors."""
    frame = pl.DataFrame({"n": naive_us}, schema={"n": pl.Int64})
    frame = frame.with_columns(
        # offset after the change (n + 1 day exists): wall clock earlier than n
        lo=_to_instant((pl.col("n") + _DAY).cast(pl.Datetime("us")), timezone) - _DAY,
        # offset before the change (n - 1 day exists): wall clock later than n
        hi=_to_instant((pl.col("n") - _DAY).cast(pl.Datetime("us")), timezone) + _DAY,
    )
    while True:
        frame = frame.with_columns(mid=(pl.col("lo") + pl.col("hi")) // 2)
        if frame.select((pl.col("hi") - pl.col("lo") <= 1).all()).item():
            return frame["hi"].to_list()
        wall = (
            pl.col("mid")
            .cast(pl.Datetime("us", "UTC"))
            .dt.convert_time_zone(timezone)
            .dt.replace_time_zone(None)
            .cast(pl.Int64)
        )
        later = wall >= pl.col("n")
        frame = frame.with_columns(
            lo=pl.when(later).then(pl.col("lo")).otherwise(pl.col("mid")),
            hi=pl.when(later).then(pl.col("mid")).otherwise(pl.col("hi")),
        )


def _boundary(offset_us: int, timezone: str, candidates: tuple[int, ...]) -> _Boundary:
    if not candidates:
        return _Boundary(offset_us, (), ())
    frame = pl.DataFrame({"d": candidates}, schema={"d": pl.Int32})
    frame = frame.with_columns(
        n=pl.col("d").cast(pl.Int64) * _DAY + offset_us,
        at=_to_instant(_naive(pl.col("d"), offset_us), timezone),
    ).filter(pl.col("at").is_null())
    if frame.is_empty():
        return _Boundary(offset_us, (), ())
    jumps = _gap_instants(frame["n"].to_list(), timezone)
    return _Boundary(offset_us, tuple(frame["d"].to_list()), tuple(jumps))


def _days(d: _dt.date) -> int:
    return (d - _EPOCH).days


@lru_cache(maxsize=64)
def _plan(schedule: Schedule) -> _Plan:
    tz = schedule.timezone
    holidays = tuple(sorted(schedule.closed | set(schedule.partial)))
    holiday_days = {_days(d) for d in holidays}
    transitions = _transition_days(tz)

    distinct: dict[tuple[int, int], list[bool]] = {}
    for weekday, day in enumerate(schedule.week):
        for w in day:
            distinct.setdefault((w.start_us, w.end_us), [False] * 7)[weekday] = True

    windows = []
    for (open_us, close_us), mask in sorted(distinct.items()):
        open_b = _boundary(open_us, tz, transitions)
        close_b = _boundary(close_us, tz, transitions)
        nominal = close_us - open_us
        dst_days: list[int] = []
        cumulative = [0]
        can_be_empty = False
        if transitions:
            frame = pl.DataFrame({"d": transitions}, schema={"d": pl.Int32})
            frame = frame.with_columns(
                length=_occurrence_instant(pl.col("d"), close_b, tz)
                - _occurrence_instant(pl.col("d"), open_b, tz),
                weekday=pl.col("d").cast(pl.Date).dt.weekday() - 1,
            ).filter(
                pl.col("weekday").is_in([i for i in range(7) if mask[i]])
                & ~pl.col("d").is_in(list(holiday_days))
            )
            can_be_empty = bool(frame.select((pl.col("length") <= 0).any()).item())
            irregular = frame.filter(pl.col("length") != nominal).sort("d")
            for d, length in irregular.select("d", "length").iter_rows():
                dst_days.append(d)
                cumulative.append(cumulative[-1] + length - nominal)
        windows.append(
            _WindowPlan(
                open=open_b,
                close=close_b,
                nominal_us=nominal,
                spills=close_us > _DAY,
                week_mask=tuple(mask),
                dst_days=tuple(dst_days),
                dst_cumulative=tuple(cumulative),
                can_be_empty=can_be_empty,
            )
        )

    occurrences = [
        (_days(d), w.start_us, w.end_us) for d, day in schedule.partial.items() for w in day
    ]
    partial_open: list[int] = []
    partial_close: list[int] = []
    partial_before: list[int] = []
    if occurrences:
        frame = pl.DataFrame(
            occurrences, schema={"d": pl.Int32, "a": pl.Int64, "b": pl.Int64}, orient="row"
        )
        frame = frame.with_columns(
            na=pl.col("d").cast(pl.Int64) * _DAY + pl.col("a"),
            nb=pl.col("d").cast(pl.Int64) * _DAY + pl.col("b"),
        )
        opens = _to_instants_with_gaps(frame["na"].to_list(), tz)
        closes = _to_instants_with_gaps(frame["nb"].to_list(), tz)
        total = 0
        for a, b in sorted(zip(opens, closes)):
            if b > a:
                partial_open.append(a)
                partial_close.append(b)
                partial_before.append(total)
                total += b - a
    return _Plan(
        timezone=tz,
        holidays=holidays,
        windows=tuple(windows),
        partial_open=tuple(partial_open),
        partial_close=tuple(partial_close),
        partial_before=tuple(partial_before),
    )


def _to_instants_with_gaps(naive_us: list[int], timezone: str) -> list[int]:
    instants = pl.select(
        _to_instant(pl.Series(naive_us, dtype=pl.Int64).cast(pl.Datetime("us")), timezone)
    ).to_series().to_list()
    missing = [i for i, x in enumerate(instants) if x is None]
    if missing:
        for i, jump in zip(missing, _gap_instants([naive_us[i] for i in missing], timezone)):
            instants[i] = jump
    return instants


# --------------------------------------------------------------------------------------------
# Row expressions


def _lit(values: Iterable[int], dtype: pl.DataType) -> pl.Expr:
    return pl.lit(pl.Series(list(values), dtype=dtype))


def _utc_us(ts: pl.Expr) -> pl.Expr:
    return ts.dt.convert_time_zone("UTC").dt.cast_time_unit("us").cast(pl.Int64)


def _local_days(ts: pl.Expr, timezone: str) -> pl.Expr:
    return ts.dt.convert_time_zone(timezone).dt.date().cast(pl.Int32)


def _active(days: pl.Expr, w: _WindowPlan, plan: _Plan) -> pl.Expr:
    return days.cast(pl.Date).dt.is_business_day(week_mask=w.week_mask, holidays=plan.holidays)


def _edge(t: pl.Expr, days: pl.Expr, w: _WindowPlan, plan: _Plan) -> pl.Expr:
    """Open time before ``t`` of the occurrence of ``w`` starting on ``days``."""
    opens = _occurrence_instant(days, w.open, plan.timezone)
    closes = _occurrence_instant(days, w.close, plan.timezone)
    return pl.when(_active(days, w, plan)).then(t.clip(opens, closes) - opens).otherwise(0)


def _dst(days: pl.Expr, w: _WindowPlan) -> pl.Expr:
    """Sum of (real - nominal) length over active occurrences starting before ``days``."""
    index = _lit(w.dst_days, pl.Int32).search_sorted(days, side="left")
    return _lit(w.dst_cumulative, pl.Int64).gather(index)


def _partial_before(t: pl.Expr, plan: _Plan) -> pl.Expr:
    """Open time of partial-date occurrences before ``t``."""
    index = _lit(plan.partial_open, pl.Int64).search_sorted(t, side="right")
    opens = _lit((0, *plan.partial_open), pl.Int64).gather(index)
    closes = _lit((0, *plan.partial_close), pl.Int64).gather(index)
    before = _lit((0, *plan.partial_before), pl.Int64).gather(index)
    return before + t.clip(opens, closes) - opens


def business_seconds(start: pl.Expr, end: pl.Expr, schedule: Schedule) -> pl.Expr:
    """Seconds (Float64) of ``[start, end)`` inside the open hours of ``schedule``, per row.

    ``start``/``end`` are time-zone-aware Datetime expressions (normally ``Datetime("us",
    "UTC")``). Null if either is null; 0 if ``end <= start``.
    """
    plan = _plan(schedule)
    tz = plan.timezone
    s, e = _utc_us(start), _utc_us(end)
    s_day, e_day = _local_days(start, tz), _local_days(end, tz)
    total: pl.Expr = pl.lit(0, dtype=pl.Int64)
    for w in plan.windows:
        s_x, e_x = (s_day - 1, e_day - 1) if w.spills else (s_day, e_day)
        whole = pl.business_day_count(
            s_x.cast(pl.Date), e_x.cast(pl.Date), week_mask=w.week_mask, holidays=plan.holidays
        )
        total = total + whole.cast(pl.Int64) * w.nominal_us
        if w.dst_days:
            total = total + _dst(e_x, w) - _dst(s_x, w)
        total = total + _edge(e, e_day, w, plan) - _edge(s, s_day, w, plan)
        if w.spills:
            total = total + _edge(e, e_day - 1, w, plan) - _edge(s, s_day - 1, w, plan)
    if plan.partial_open:
        total = total + _partial_before(e, plan) - _partial_before(s, plan)
    return (
        pl.when(s.is_null() | e.is_null())
        .then(None)
        .when(e <= s)
        .then(0.0)
        .otherwise(total / 1_000_000)
        .cast(pl.Float64)
    )


def clock_start(start: pl.Expr, schedule: Schedule) -> pl.Expr:
    """The first instant at or after ``start`` at which ``schedule`` is open (Datetime("us",
    "UTC")); ``start`` itself if open then. Null if ``start`` is null or nothing opens again."""
    plan = _plan(schedule)
    tz = plan.timezone
    t = _utc_us(start)
    day = _local_days(start, tz)
    candidates: list[pl.Expr] = []
    for w in plan.windows:

        def forward(days: pl.Expr, n: int, w: _WindowPlan = w) -> pl.Expr:
            return (
                days.cast(pl.Date)
                .dt.add_business_days(
                    n, week_mask=w.week_mask, holidays=plan.holidays, roll="forward"
                )
                .cast(pl.Int32)
            )

        def closes(days: pl.Expr, w: _WindowPlan = w) -> pl.Expr:
            return _occurrence_instant(days, w.close, tz)

        def opens(days: pl.Expr, w: _WindowPlan = w) -> pl.Expr:
            return _occurrence_instant(days, w.open, tz)

        # first active date on or after the local date; move on if its occurrence is over
        days = forward(day, 0)
        over = closes(days) <= t
        if w.can_be_empty:
            over = over | (closes(days) <= opens(days))
        days = pl.when(over).then(forward(days, 1)).otherwise(days)
        if w.can_be_empty:
            days = pl.when(closes(days) <= opens(days)).then(forward(days, 1)).otherwise(days)
        candidates.append(pl.max_horizontal(t, opens(days)))
        if w.spills:  # still open since yesterday
            yesterday = day - 1
            running = _active(yesterday, w, plan) & (closes(yesterday) > t)
            candidates.append(pl.when(running).then(t))
    if plan.partial_open:
        n = len(plan.partial_open)
        index = _lit(plan.partial_close, pl.Int64).search_sorted(t, side="right")
        next_open = _lit((*plan.partial_open, 0), pl.Int64).gather(index)
        candidates.append(pl.when(index < n).then(pl.max_horizontal(t, next_open)))
    if not candidates:
        return pl.lit(None, dtype=pl.Datetime("us", "UTC"))
    return (
        pl.when(t.is_null())
        .then(None)
        .otherwise(pl.min_horizontal(candidates))
        .cast(pl.Datetime("us", "UTC"))
    )


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
