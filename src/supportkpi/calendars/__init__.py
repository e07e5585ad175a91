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

Modules: :mod:`~supportkpi.calendars.schedule` (the model and its checks),
:mod:`~supportkpi.calendars.zone` (offset changes, ``L`` and local dates),
:mod:`~supportkpi.calendars.plan` (the per-slot tables), :mod:`~supportkpi.calendars.expressions`
(the row expressions) and :mod:`~supportkpi.calendars.public_holidays`; every public name is
importable from :mod:`supportkpi.calendars`.

Example: Mon-Fri 08:00-18:00 Berlin; Friday 17:00 to Monday 09:00 local (16:00 and 08:00 UTC in
January) is 2 h, and a contact created on Saturday starts its clock on Monday at 08:00:

>>> from datetime import datetime, time, timezone
>>> import polars as pl
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

from supportkpi.calendars.expressions import business_seconds, clock_start
from supportkpi.calendars.public_holidays import holiday_dates
from supportkpi.calendars.schedule import Schedule, Window

__all__ = ["Window", "Schedule", "business_seconds", "clock_start", "holiday_dates"]
