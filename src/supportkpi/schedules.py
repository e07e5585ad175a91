"""kpi.yaml ``calendars`` turned into :class:`~supportkpi.calendars.Schedule` objects, and the
choice of a calendar per contact (a vendor's own, else the one named ``default``, else 24/7 in
the report's time zone).

This is the configuration side; the arithmetic is in :mod:`supportkpi.calendars`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, time
from typing import TYPE_CHECKING

import polars as pl

from supportkpi.calendars import Schedule, Window, holiday_dates

if TYPE_CHECKING:  # kpi.yaml's loading builds calendars to check them: no import at run time
    from supportkpi.config.schema import CalendarConfig, Config


class CalendarError(ValueError):
    """A calendar that cannot be built (unknown holiday country, bad hours)."""


DEFAULT = "default"
# Holidays are looked up for a fixed span of years, so the result never depends on the data.
HOLIDAY_YEARS = range(2000, 2051)
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_GROUPS = {"daily": _DAYS, "weekdays": _DAYS[:5], "weekend": _DAYS[5:]}


def _window(text: str) -> Window:
    start, end = text.split("-")
    h1, m1 = map(int, start.split(":"))
    h2, m2 = map(int, end.split(":"))
    if h2 == 24 and m2 == 0:
        h2 = 0
    return Window(time(h1, m1), time(h2, m2))


def build(name: str, settings: CalendarConfig) -> Schedule:
    """The schedule a calendar entry describes; errors name the calendar."""
    try:
        if settings.always_open:
            return Schedule.always_open(settings.timezone)
        days: dict[str, list[str]] = {}
        for key in ("daily", "weekdays", "weekend"):  # groups first, a named day wins
            for day in _GROUPS[key] if key in settings.hours else ():
                days[day] = settings.hours[key]
        for day in _DAYS:
            if day in settings.hours:
                days[day] = settings.hours[day]
        week = tuple(tuple(_window(w) for w in days.get(day, [])) for day in _DAYS)
        closed: set = set()
        if settings.holidays is not None:
            closed |= holiday_dates(settings.holidays.country, settings.holidays.subdiv, HOLIDAY_YEARS)
        closed -= set(settings.remove)
        partial = {}
        for extra in settings.add:
            if isinstance(extra, date):
                closed.add(extra)
            elif extra.hours:  # a DayConfig: a date with its own hours, or closed
                partial[extra.date] = tuple(_window(w) for w in extra.hours)
            else:
                closed.add(extra.date)
        return Schedule(settings.timezone, week, frozenset(closed), partial)
    except ValueError as exc:
        raise CalendarError(f"calendars.{name}: {exc}") from None


@dataclass(frozen=True)
class Calendars:
    """Every calendar of kpi.yaml, and which applies to which vendor."""

    schedules: Mapping[str, Schedule]
    vendors: Mapping[str, str] = field(default_factory=dict)
    default: Schedule | None = None
    teams: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: Config, timezone: str = "UTC") -> Calendars:
        schedules = {name: build(name, c) for name, c in config.calendars.items()}
        vendors = {v: s.calendar for v, s in config.vendors.items() if s.calendar is not None}
        teams = {t: s.calendar for t, s in config.teams.items() if s.calendar is not None}
        default = schedules.get(DEFAULT) or Schedule.always_open(timezone)
        return cls(schedules, vendors, default, teams)

    def with_default(self, timezone: str) -> Calendars:
        """These calendars, with 24/7 in ``timezone`` as the default when none is named."""
        if self.default is not None:
            return self
        return Calendars(self.schedules, self.vendors, Schedule.always_open(timezone), self.teams)

    def describe(self, name: str | None = None) -> str:
        if name is not None:
            return name
        if self.vendors or self.teams:
            owners = [
                *(f"team {t} -> {c}" for t, c in self.teams.items()),
                *(f"{v} -> {c}" for v, c in self.vendors.items()),
            ]
            return (
                "per team/vendor: "
                + ", ".join(owners)
                + (f"; others -> {DEFAULT}" if DEFAULT in self.schedules else "; others -> 24/7")
            )
        return DEFAULT if DEFAULT in self.schedules else "24/7 (no calendar declared)"

    def per_contact(
        self,
        compute: Callable[[Schedule], pl.Expr],
        calendar: str | None = None,
        has_vendor: bool = True,
        has_team: bool = False,
    ) -> pl.Expr:
        """``compute(schedule)`` with each contact's schedule: the named ``calendar`` for all,
        else the team's, else the vendor's (the most specific wins), else the default."""
        if calendar is not None:
            return compute(self.schedules[calendar])
        if self.default is None:
            raise ValueError("no default calendar: use with_default")
        expr = compute(self.default)
        owners = [("vendor", self.vendors)] if has_vendor else []
        owners += [("team", self.teams)] if has_team else []  # applied last: wins
        for column, calendars in owners:
            for owner, name in calendars.items():
                expr = pl.when(pl.col(column) == owner).then(compute(self.schedules[name])).otherwise(expr)
        return expr
