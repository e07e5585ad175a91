"""The model of open hours: a :class:`Window` on the local wall clock and a weekly
:class:`Schedule` in a named time zone, with closed dates (holidays) and partial dates (half days).
Checked when built: known time zone, seven days, no overlapping windows."""

from __future__ import annotations

import datetime as _dt
import zoneinfo
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

DAY_US = 86_400_000_000  # microseconds
EPOCH = _dt.date(1970, 1, 1)
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
            raise ValueError(f"Window {self} is empty (start == end); use 00:00-00:00 for a whole day")

    @property
    def start_us(self) -> int:
        """Opening, in microseconds after midnight of the day the window starts."""
        return _time_us(self.start)

    @property
    def end_us(self) -> int:
        """Closing, in microseconds after midnight of the day the window starts (> 24 h for an
        overnight window)."""
        end = _time_us(self.end)
        return end + DAY_US if end <= self.start_us else end

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
    spans += [(w.start_us + DAY_US, w.end_us + DAY_US, tomorrow_name, w) for w in tomorrow]
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
                    _check_no_overlap(self.windows_on(first), self.windows_on(second), str(first), str(second))

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
