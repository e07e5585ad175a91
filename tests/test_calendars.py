"""Business-hours calendars: hand-worked cases, then hypothesis properties against a slow,
obviously correct reference (walk the local dates, build each open interval with zoneinfo,
intersect with [start, end) and sum) on random schedules, holidays, half days and time zones
with DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supportkpi.calendars import (
    Schedule,
    Window,
    business_seconds,
    clock_start,
    holiday_dates,
)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US = timedelta(microseconds=1)
H = 3600.0

OFFICE = (Window(time(8), time(18)),)
WEEKDAYS = (OFFICE,) * 5 + ((), ())
BERLIN = Schedule("Europe/Berlin", WEEKDAYS)


def local(tz: str, *args: int) -> datetime:
    """A local wall-clock time as a UTC datetime (first occurrence if ambiguous)."""
    return datetime(*args, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def seconds(schedule: Schedule, pairs: list[tuple[datetime | None, datetime | None]]) -> list:
    frame = pl.DataFrame(
        {"s": [p[0] for p in pairs], "e": [p[1] for p in pairs]},
        schema={"s": pl.Datetime("us", "UTC"), "e": pl.Datetime("us", "UTC")},
    )
    return frame.select(business_seconds(pl.col("s"), pl.col("e"), schedule)).to_series().to_list()


def one(schedule: Schedule, start: datetime, end: datetime) -> float:
    return seconds(schedule, [(start, end)])[0]


def clocks(schedule: Schedule, starts: list[datetime | None]) -> list:
    frame = pl.DataFrame({"s": starts}, schema={"s": pl.Datetime("us", "UTC")})
    return frame.select(clock_start(pl.col("s"), schedule)).to_series().to_list()


# ------------------------------------------------------------------------------------------
# Hand-worked cases


def test_friday_evening_to_monday_morning_is_two_hours():
    # Fri 17:00 -> Mon 09:00 Berlin: 1 h on Friday, 1 h on Monday
    b = "Europe/Berlin"
    assert one(BERLIN, local(b, 2025, 1, 3, 17), local(b, 2025, 1, 6, 9)) == 2 * H


def test_same_day_inside_and_outside_hours():
    b = "Europe/Berlin"
    assert one(BERLIN, local(b, 2025, 1, 7, 9, 15), local(b, 2025, 1, 7, 11, 45)) == 2.5 * H
    assert one(BERLIN, local(b, 2025, 1, 7, 6), local(b, 2025, 1, 7, 20)) == 10 * H
    assert one(BERLIN, local(b, 2025, 1, 7, 18), local(b, 2025, 1, 8, 8)) == 0.0
    # two full weeks Monday 00:00 -> Monday 00:00
    assert one(BERLIN, local(b, 2025, 1, 6), local(b, 2025, 1, 20)) == 100 * H


def test_across_a_holiday():
    # Thursday 1 May 2025 closed: Wed 17:00 -> Fri 09:00 = 1 h + 1 h
    schedule = Schedule("Europe/Berlin", WEEKDAYS, closed=frozenset({date(2025, 5, 1)}))
    b = "Europe/Berlin"
    assert one(schedule, local(b, 2025, 4, 30, 17), local(b, 2025, 5, 2, 9)) == 2 * H
    assert one(schedule, local(b, 2025, 5, 1, 9), local(b, 2025, 5, 1, 17)) == 0.0
    assert one(BERLIN, local(b, 2025, 4, 30, 17), local(b, 2025, 5, 2, 9)) == 12 * H


def test_two_windows_a_day():
    split = (Window(time(8), time(12)), Window(time(13), time(17)))
    schedule = Schedule("Europe/Berlin", (split,) * 5 + ((), ()))
    b = "Europe/Berlin"
    assert one(schedule, local(b, 2025, 1, 7, 11), local(b, 2025, 1, 7, 14)) == 2 * H
    assert one(schedule, local(b, 2025, 1, 7, 7), local(b, 2025, 1, 7, 18)) == 8 * H
    assert one(schedule, local(b, 2025, 1, 7, 12), local(b, 2025, 1, 7, 13)) == 0.0
    assert one(schedule, local(b, 2025, 1, 6), local(b, 2025, 1, 13)) == 40 * H


def test_overnight_shift():
    night = (Window(time(22), time(6)),)
    schedule = Schedule("Europe/Berlin", (night,) * 7)
    b = "Europe/Berlin"
    # Mon 23:00 -> Tue 07:00: 23:00-06:00
    assert one(schedule, local(b, 2025, 1, 6, 23), local(b, 2025, 1, 7, 7)) == 7 * H
    # Mon 05:00 -> Mon 23:00: 05:00-06:00 (Sunday's shift) + 22:00-23:00
    assert one(schedule, local(b, 2025, 1, 6, 5), local(b, 2025, 1, 6, 23)) == 2 * H
    # a whole week: 7 shifts of 8 h
    assert one(schedule, local(b, 2025, 1, 6, 12), local(b, 2025, 1, 13, 12)) == 56 * H


def test_overnight_shift_on_a_holiday_eve_still_runs_into_the_holiday():
    night = (Window(time(22), time(6)),)
    schedule = Schedule("Europe/Berlin", (night,) * 7, closed=frozenset({date(2025, 1, 7)}))
    b = "Europe/Berlin"
    # Monday's shift runs 22:00-06:00 into the holiday; the holiday's own 22:00 shift is closed
    assert one(schedule, local(b, 2025, 1, 6, 12), local(b, 2025, 1, 8, 12)) == 8 * H


def test_overnight_shift_across_dst_changes():
    night = (Window(time(22), time(6)),)
    schedule = Schedule("Europe/Berlin", (night,) * 7)
    b = "Europe/Berlin"
    # 29/30 March 2025 clocks go forward: 7 h; 25/26 October back: 9 h
    assert one(schedule, local(b, 2025, 3, 29, 12), local(b, 2025, 3, 30, 12)) == 7 * H
    assert one(schedule, local(b, 2025, 10, 25, 12), local(b, 2025, 10, 26, 12)) == 9 * H
    # whole weeks around them: 6 * 8 + 7 and 6 * 8 + 9
    assert one(schedule, local(b, 2025, 3, 26, 12), local(b, 2025, 4, 2, 12)) == 55 * H
    assert one(schedule, local(b, 2025, 10, 22, 12), local(b, 2025, 10, 29, 12)) == 57 * H
    # half of the short night, ending inside it
    assert one(schedule, local(b, 2025, 3, 29, 12), local(b, 2025, 3, 30, 4)) == 5 * H


def test_dst_new_york_spring_and_autumn():
    ny = "America/New_York"
    sunday_morning = (Window(time(0), time(12)),)
    schedule = Schedule(ny, ((),) * 6 + (sunday_morning,))
    # 9 March 2025 (02:00 -> 03:00): 11 h; 2 November 2025 (02:00 -> 01:00): 13 h
    assert one(schedule, local(ny, 2025, 3, 8), local(ny, 2025, 3, 11)) == 11 * H
    assert one(schedule, local(ny, 2025, 11, 1), local(ny, 2025, 11, 4)) == 13 * H
    # from 01:30 (first time) to 03:30 on the autumn Sunday: 3 h of real time
    start = datetime(2025, 11, 2, 5, 30, tzinfo=UTC)  # 01:30 EDT
    assert one(schedule, start, local(ny, 2025, 11, 2, 3, 30)) == 3 * H
    # an office day 08-18 on DST Sundays is unaffected
    office = Schedule(ny, ((),) * 6 + (OFFICE,))
    assert one(office, local(ny, 2025, 3, 8), local(ny, 2025, 3, 11)) == 10 * H


def test_dst_berlin_window_edges_in_the_gap_and_the_fold():
    b = "Europe/Berlin"
    early = (Window(time(2, 30), time(5)),)
    schedule = Schedule(b, (early,) * 7)
    # 30 March 2025: 02:30 does not exist, the window opens when clocks jump (03:00 CEST)
    assert one(schedule, local(b, 2025, 3, 29, 12), local(b, 2025, 3, 30, 12)) == 2 * H
    # 26 October 2025: opens at the first 02:30 (CEST), closes 05:00 CET: 3.5 h
    assert one(schedule, local(b, 2025, 10, 25, 12), local(b, 2025, 10, 26, 12)) == 3.5 * H
    assert clocks(schedule, [local(b, 2025, 3, 29, 12)]) == [datetime(2025, 3, 30, 1, tzinfo=UTC)]
    # a window wholly inside the gap is empty that day
    gap = Schedule(b, ((Window(time(2, 10), time(2, 50)),),) * 7)
    assert one(gap, local(b, 2025, 3, 29, 12), local(b, 2025, 3, 31, 12)) == 40 * 60.0
    assert clocks(gap, [local(b, 2025, 3, 29, 12)]) == [local(b, 2025, 3, 31, 2, 10)]


@pytest.mark.parametrize("tz", ["UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney"])
def test_always_open_equals_elapsed_time(tz):
    schedule = Schedule.always_open(tz)
    pairs = [
        (datetime(2025, 3, 28, 7, 13, tzinfo=UTC), datetime(2025, 4, 8, 19, 1, 2, 3, tzinfo=UTC)),
        (datetime(2025, 10, 1, tzinfo=UTC), datetime(2025, 11, 30, tzinfo=UTC)),
        (datetime(2024, 12, 31, 23, 59, tzinfo=UTC), datetime(2025, 1, 1, 0, 1, tzinfo=UTC)),
        (datetime(2020, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, 0, 0, 0, 1, tzinfo=UTC)),
    ]
    expected = [(e - s) / timedelta(seconds=1) for s, e in pairs]
    assert seconds(schedule, pairs) == expected
    assert clocks(schedule, [p[0] for p in pairs]) == [p[0] for p in pairs]


def test_local_date_stepping_back():
    # America/Goose_Bay, 29 October 2000: at 00:01 ADT clocks went back to 23:01 AST on the 28th
    gb = "America/Goose_Bay"
    fold = datetime(2000, 10, 29, 3, 1, tzinfo=UTC)
    pairs = [
        (fold - timedelta(hours=15), fold + timedelta(minutes=29)),
        (fold + timedelta(minutes=29), fold + timedelta(hours=2)),
    ]
    expected = [(e - s) / timedelta(seconds=1) for s, e in pairs]
    assert seconds(Schedule.always_open(gb), pairs) == expected
    # the 29th's 00:00-00:30 window opens at the first 00:00 (03:00 UTC) and closes at the only
    # 00:30 (AST, 04:30 UTC): 90 minutes, partly while the wall clock reads the 28th again
    midnight = Schedule(gb, ((Window(time(0), time(0, 30)),),) * 7)
    s, e = fold - timedelta(hours=1), fold + timedelta(hours=2)
    assert round(one(midnight, s, e) * 1e6) == reference_us(midnight, us(s), us(e)) == 90 * 60e6
    assert one(midnight, s, fold + timedelta(minutes=29)) == 30 * 60.0
    assert clocks(midnight, [fold + timedelta(minutes=29)]) == [fold + timedelta(minutes=29)]


def test_dates_far_outside_the_tables():
    b = "Europe/Berlin"
    # a week from Monday 00:00, its Saturday's next opening, a longer span against the reference
    for monday in (date(2500, 1, 4), date(1751, 1, 4), date(1970, 1, 5)):
        assert monday.weekday() == 0
        start = local(b, monday.year, monday.month, monday.day)
        week = start + timedelta(days=7)
        assert one(BERLIN, start, week) == 50 * H
        assert clocks(BERLIN, [start - timedelta(days=2)]) == [local(b, *monday.timetuple()[:3], 8)]
        s, e = us(start) - 3 * 86_400_000_000, us(week) + 10**9
        got = one(BERLIN, EPOCH + s * US, EPOCH + e * US)
        assert round(got * 1e6) == reference_us(BERLIN, s, e)
    # a holiday far in the future widens the tables
    closed = Schedule(b, WEEKDAYS, closed=frozenset({date(2500, 1, 5)}))
    assert one(closed, local(b, 2500, 1, 4), local(b, 2500, 1, 11)) == 40 * H
    # a schedule open only on one half day, seen from centuries before and after
    once = Schedule(b, ((),) * 7, partial={date(2025, 12, 24): (Window(time(8), time(12)),)})
    far_past, far_future = datetime(1750, 1, 1, tzinfo=UTC), datetime(2600, 1, 1, tzinfo=UTC)
    assert one(once, far_past, far_future) == 4 * H
    assert clocks(once, [far_past, far_future, None]) == [local(b, 2025, 12, 24, 8), None, None]


def test_end_not_after_start_is_zero_and_nulls_stay_null():
    s = local("Europe/Berlin", 2025, 1, 7, 10)
    got = seconds(BERLIN, [(s, s - timedelta(hours=3)), (s, s), (None, s), (s, None), (None, None)])
    assert got == [0.0, 0.0, None, None, None]


def test_null_in_first_row_keeps_the_holidays():
    # regression guard: polars' business_day_count / add_business_days once lost all holidays
    # when the first row's date was null; whatever the method, holidays must hold for every row
    b = "Europe/Berlin"
    schedule = Schedule(b, WEEKDAYS, closed=frozenset({date(2025, 5, 1), date(2025, 5, 2)}))
    pairs = [(None, None), (local(b, 2025, 4, 30, 17), local(b, 2025, 5, 5, 9))]
    assert seconds(schedule, pairs) == [None, 2 * H]
    wednesday = local(b, 2025, 4, 30, 17)
    pairs = [(wednesday, None), (wednesday, local(b, 2025, 5, 5, 9))]
    assert seconds(schedule, pairs) == [None, 2 * H]
    starts = [None, local(b, 2025, 4, 30, 19)]
    assert clocks(schedule, starts) == [None, local(b, 2025, 5, 5, 8)]


def test_partial_half_days_and_holidays_at_christmas():
    b = "Europe/Berlin"
    schedule = Schedule(
        b,
        WEEKDAYS,
        closed=frozenset({date(2025, 12, 25), date(2025, 12, 26)}),
        partial={date(2025, 12, 24): (Window(time(8), time(12)),)},
    )
    # Tue 23rd 17:00 -> Mon 29th 09:00: 1 h + 4 h (half day) + 1 h
    assert one(schedule, local(b, 2025, 12, 23, 17), local(b, 2025, 12, 29, 9)) == 6 * H
    assert one(schedule, local(b, 2025, 12, 24, 11), local(b, 2025, 12, 24, 15)) == 1 * H
    assert clocks(schedule, [local(b, 2025, 12, 24, 12)]) == [local(b, 2025, 12, 29, 8)]
    assert clocks(schedule, [local(b, 2025, 12, 24, 7)]) == [local(b, 2025, 12, 24, 8)]


def test_partial_overrides_holiday_and_weekend_and_can_run_overnight():
    b = "Europe/Berlin"
    schedule = Schedule(
        b,
        WEEKDAYS,
        closed=frozenset({date(2025, 1, 8)}),
        partial={
            date(2025, 1, 8): (Window(time(10), time(11)),),  # holiday, but open 1 h
            date(2025, 1, 11): (Window(time(20), time(2)),),  # Saturday night special
        },
    )
    assert one(schedule, local(b, 2025, 1, 8), local(b, 2025, 1, 9)) == 1 * H
    assert one(schedule, local(b, 2025, 1, 11), local(b, 2025, 1, 13)) == 6 * H
    assert one(schedule, local(b, 2025, 1, 12, 1), local(b, 2025, 1, 12, 3)) == 1 * H
    assert clocks(schedule, [local(b, 2025, 1, 12, 1), local(b, 2025, 1, 10, 19)]) == [
        local(b, 2025, 1, 12, 1),
        local(b, 2025, 1, 11, 20),
    ]


def test_clock_start_next_opening():
    b = "Europe/Berlin"
    starts = [
        local(b, 2025, 1, 4, 11),  # Saturday -> Monday 08:00
        local(b, 2025, 1, 7, 10),  # open: itself
        local(b, 2025, 1, 7, 18),  # closing instant -> next morning
        local(b, 2025, 1, 7, 7, 59, 59),  # just before opening
        local(b, 2025, 1, 10, 18, 30),  # Friday evening -> Monday
    ]
    assert clocks(BERLIN, starts) == [
        local(b, 2025, 1, 6, 8),
        local(b, 2025, 1, 7, 10),
        local(b, 2025, 1, 8, 8),
        local(b, 2025, 1, 7, 8),
        local(b, 2025, 1, 13, 8),
    ]
    # Saturday in summer (UTC+2): Monday 08:00 local is 06:00 UTC
    assert clocks(BERLIN, [datetime(2025, 7, 5, 9, tzinfo=UTC)]) == [datetime(2025, 7, 7, 6, tzinfo=UTC)]


def test_clock_start_overnight_and_holidays():
    b = "Europe/Berlin"
    night = (Window(time(22), time(6)),)
    schedule = Schedule(b, (night,) * 5 + ((), ()), closed=frozenset({date(2025, 1, 8)}))
    starts = [
        local(b, 2025, 1, 7, 3),  # inside Monday's shift
        local(b, 2025, 1, 7, 7),  # -> Tuesday 22:00
        local(b, 2025, 1, 8, 7),  # Wednesday closed -> Thursday 22:00
        local(b, 2025, 1, 11, 5),  # Friday's shift runs into Saturday
        local(b, 2025, 1, 11, 7),  # -> Monday 22:00
    ]
    assert clocks(schedule, starts) == [
        local(b, 2025, 1, 7, 3),
        local(b, 2025, 1, 7, 22),
        local(b, 2025, 1, 9, 22),
        local(b, 2025, 1, 11, 5),
        local(b, 2025, 1, 13, 22),
    ]


def test_closed_schedule_never_opens():
    schedule = Schedule("UTC", ((),) * 7)
    s = datetime(2025, 1, 1, tzinfo=UTC)
    assert seconds(schedule, [(s, s + timedelta(days=30))]) == [0.0]
    assert clocks(schedule, [s]) == [None]


def test_other_time_units_and_zones_are_accepted():
    frame = pl.DataFrame(
        {"s": [datetime(2025, 1, 3, 17)], "e": [datetime(2025, 1, 6, 9)]},
        schema={"s": pl.Datetime("ms"), "e": pl.Datetime("ns")},
    ).with_columns(pl.all().dt.replace_time_zone("Europe/Berlin"))
    got = frame.select(business_seconds(pl.col("s"), pl.col("e"), BERLIN)).item()
    assert got == 2 * H


def test_lazy_streaming_and_eager_agree():
    b = "Europe/Berlin"
    schedule = Schedule(
        b,
        ((Window(time(8), time(12)), Window(time(13), time(17))),) * 5 + ((Window(time(22), time(6)),), ()),
        closed=frozenset({date(2025, 5, 1)}),
        partial={date(2025, 12, 24): (Window(time(8), time(12)),)},
    )
    starts = [local(b, 2025, 1, 1) + timedelta(hours=7 * i + 0.5) for i in range(1200)]
    frame = pl.DataFrame({"s": starts, "e": [s + timedelta(hours=31 * (i % 17)) for i, s in enumerate(starts)]})
    exprs = [
        business_seconds(pl.col("s"), pl.col("e"), schedule),
        clock_start(pl.col("s"), schedule),
    ]
    eager = frame.select(exprs)
    assert frame.lazy().select(exprs).collect().equals(eager)
    assert frame.lazy().select(exprs).collect(engine="in-memory").equals(eager)
    expected = [reference_us(schedule, us(s), us(e)) for s, e in frame.iter_rows()]
    assert [round(x * 1e6) for x in eager.to_series(0)] == expected


def test_no_python_per_row():
    expr = business_seconds(pl.col("s"), pl.col("e"), BERLIN)
    tree = str(expr) + str(clock_start(pl.col("s"), BERLIN))
    assert "python" not in tree.lower() and "map" not in tree.lower()


def test_validation():
    with pytest.raises(ValueError, match="overlapping"):
        Schedule("UTC", ((Window(time(8), time(12)), Window(time(11), time(13))),) * 7)
    with pytest.raises(ValueError, match="overlapping"):  # Monday night runs into Tuesday 05:00
        Schedule("UTC", ((Window(time(22), time(6)),), (Window(time(5), time(9)),)) + ((),) * 5)
    with pytest.raises(ValueError, match="overlapping"):  # Sunday night into Monday
        monday, sunday = (Window(time(5), time(9)),), (Window(time(22), time(6)),)
        Schedule("UTC", (monday,) + ((),) * 5 + (sunday,))
    # a partial overnight window: Saturday into (closed) Sunday is fine, Sunday into Monday's
    # 08:00 opening is not
    Schedule("UTC", WEEKDAYS, partial={date(2025, 1, 4): (Window(time(20), time(9)),)})
    with pytest.raises(ValueError, match="overlapping"):
        Schedule("UTC", WEEKDAYS, partial={date(2025, 1, 5): (Window(time(20), time(9)),)})
    with pytest.raises(ValueError, match="7 entries"):
        Schedule("UTC", (OFFICE,) * 5)
    with pytest.raises(ValueError, match="empty"):
        Window(time(8), time(8))
    with pytest.raises(ValueError, match="time zone"):
        Schedule("Mars/Olympus", WEEKDAYS)
    with pytest.raises(TypeError):
        Schedule("UTC", (Window(time(8), time(18)),) * 7)
    assert Window(time(0), time(0)).end_us == 86_400_000_000
    adjacent = (Window(time(8), time(12)), Window(time(12), time(18)))
    assert Schedule("UTC", (adjacent,) * 7).week[0] == adjacent
    # hashable and equal by value (plans are cached per schedule)
    assert hash(BERLIN) == hash(Schedule("Europe/Berlin", WEEKDAYS)) and BERLIN == Schedule(
        "Europe/Berlin", list(WEEKDAYS)
    )


def test_holiday_dates():
    pytest.importorskip("holidays")
    bavaria = holiday_dates("DE", "BY", [2025])
    assert date(2025, 1, 6) in bavaria and date(2025, 12, 25) in bavaria
    assert date(2025, 1, 6) not in holiday_dates("DE", "BE", range(2025, 2026))
    assert date(2024, 12, 25) in holiday_dates("DE", None, [2024, 2025])
    with pytest.raises(ValueError, match="unknown country 'XX'"):
        holiday_dates("XX", None, [2025])
    with pytest.raises(ValueError, match="unknown subdivision 'ZZ' of DE"):
        holiday_dates("DE", "ZZ", [2025])


def test_year_with_german_holidays_matches_reference():
    pytest.importorskip("holidays")
    closed = holiday_dates("DE", "BY", [2024, 2025, 2026])
    schedule = Schedule("Europe/Berlin", WEEKDAYS, closed=closed)
    s, e = local("Europe/Berlin", 2024, 12, 20, 12), local("Europe/Berlin", 2026, 1, 10, 12)
    assert round(one(schedule, s, e) * 1e6) == reference_us(schedule, us(s), us(e))


# ------------------------------------------------------------------------------------------
# Slow, obviously correct reference


def us(d: datetime) -> int:
    return (d - EPOCH) // US


def wall(instant_us: int, zone: ZoneInfo) -> datetime:
    return (EPOCH + instant_us * US).astimezone(zone).replace(tzinfo=None)


def to_utc_us(naive: datetime, tz: str) -> int:
    """Earliest instant whose wall clock reads ``naive``; if none (clocks jumped over it), the
    earliest instant whose wall clock reads later than ``naive`` (found by bisection)."""
    zone = ZoneInfo(tz)
    candidates = sorted({us(naive.replace(tzinfo=zone, fold=fold)) for fold in (0, 1)})
    exact = [u for u in candidates if wall(u, zone) == naive]
    if exact:
        return exact[0]
    lo, hi = candidates
    assert wall(lo, zone) < naive < wall(hi, zone)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if wall(mid, zone) >= naive:
            hi = mid
        else:
            lo = mid
    return hi


def windows_on(schedule: Schedule, day: date) -> tuple[Window, ...]:
    if day in schedule.partial:
        return schedule.partial[day]
    if day in schedule.closed:
        return ()
    return schedule.week[day.weekday()]


def occurrences(schedule: Schedule, day: date) -> list[tuple[int, int]]:
    out = []
    for w in sorted(windows_on(schedule, day), key=lambda w: w.start):
        next_day = w.end <= w.start  # overnight or ends at midnight
        close_day = day + timedelta(days=1) if next_day else day
        out.append(
            (
                to_utc_us(datetime.combine(day, w.start), schedule.timezone),
                to_utc_us(datetime.combine(close_day, w.end), schedule.timezone),
            )
        )
    return out


def reference_us(schedule: Schedule, s: int, e: int) -> int:
    if e <= s:
        return 0
    zone = ZoneInfo(schedule.timezone)
    first, last = wall(s, zone).date(), wall(e, zone).date()
    total = 0
    day = first - timedelta(days=2)
    while day <= last:
        for a, b in occurrences(schedule, day):
            total += max(0, min(b, e) - max(a, s))
        day += timedelta(days=1)
    return total


def reference_clock_us(schedule: Schedule, s: int) -> int | None:
    zone = ZoneInfo(schedule.timezone)
    day = wall(s, zone).date() - timedelta(days=1)
    for _ in range(400):
        for a, b in occurrences(schedule, day):
            if b > a and b > s:
                return max(a, s)
        day += timedelta(days=1)
    return None


# ------------------------------------------------------------------------------------------
# Hypothesis

ZONES = {
    "Europe/Berlin": [date(2024, 3, 31), date(2024, 10, 27), date(2025, 3, 30), date(2025, 10, 26)],
    "America/New_York": [date(2024, 3, 10), date(2024, 11, 3), date(2025, 3, 9), date(2025, 11, 2)],
    "Australia/Sydney": [date(2024, 4, 7), date(2024, 10, 6), date(2025, 4, 6), date(2025, 10, 5)],
    "UTC": [date(2024, 12, 31), date(2025, 6, 30)],
    # midnight changes (back to 23:00 of the day before; 00:00 -> 01:00), 30-minute DST, and
    # Samoa skipping 30 December 2011 altogether
    "America/Santiago": [date(2022, 4, 2), date(2022, 9, 11), date(2023, 4, 2)],
    "Australia/Lord_Howe": [date(2023, 4, 2), date(2023, 10, 1)],
    "Pacific/Apia": [date(2011, 12, 30), date(2011, 9, 24)],
    # clocks went back at 00:01 to 23:01 of the day before: the local date steps back
    "America/Goose_Bay": [date(2000, 10, 29), date(2000, 4, 2)],
}
TIMES = [
    time(h, m)
    for h, m in [
        (0, 0),
        (0, 30),
        (1, 0),
        (1, 30),
        (2, 0),
        (2, 30),
        (3, 0),
        (3, 30),
        (6, 0),
        (8, 0),
        (12, 0),
        (13, 0),
        (17, 0),
        (18, 0),
        (22, 0),
        (23, 0),
        (23, 30),
    ]
]
a_time = st.one_of(
    st.sampled_from(TIMES),
    st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45, 59])),
)


def _day_windows(points: list[time], tail: tuple[time, time] | None) -> list[Window]:
    points = sorted(set(points))
    windows = [Window(a, b) for a, b in zip(points[::2], points[1::2])]
    if tail is not None:
        start, end = tail
        if (not points or start > points[-1]) and (start != end or start == time(0)):
            windows.append(Window(start, end))
    return windows


def _spill_end(windows) -> time:
    """Wall time on the next day until which the day's windows run (00:00 if none)."""
    ends = [w.end for w in windows if time(0) < w.end < w.start]
    return max(ends, default=time(0))


@st.composite
def schedules(draw):
    tz = draw(st.sampled_from(sorted(ZONES)))
    week = []
    for _ in range(7):
        points = draw(st.lists(a_time, max_size=4))
        tail = draw(st.none() | st.tuples(a_time, a_time))
        week.append(_day_windows(points, tail))
    # an overnight window may only run until the next day's first opening
    for i in range(7):
        following = week[(i + 1) % 7]
        first = min((w.start for w in following), default=None)
        fixed = []
        for w in week[i]:
            if time(0) < w.end < w.start and first is not None and w.end > first:
                if first == w.start:
                    continue
                w = Window(w.start, first)
            fixed.append(w)
        week[i] = fixed
    spill = max(_spill_end(day) for day in week)
    anchors = ZONES[tz]
    anchor = draw(st.sampled_from(anchors))
    near = st.builds(lambda k: anchor + timedelta(days=k), st.integers(-4, 9))
    closed = draw(st.frozensets(near, max_size=4))
    partial = {}
    for day in draw(st.lists(near, max_size=3, unique=True)):
        points = [p for p in draw(st.lists(a_time, max_size=4)) if p >= spill]
        tail = (max(draw(a_time), spill), time(0)) if draw(st.booleans()) else None
        partial[day] = tuple(_day_windows(points, tail))
    schedule = Schedule(tz, tuple(tuple(day) for day in week), closed, partial)
    return schedule, anchor


@st.composite
def instants(draw, anchor: date, tz: str):
    day = anchor + timedelta(days=draw(st.integers(-3, 8)))
    wall_time = draw(a_time)
    naive = datetime.combine(day, wall_time)
    base = to_utc_us(naive, tz)
    jitter = draw(st.sampled_from([0, 0, 0, 1, -1, 1_000_000, -1_000_000, 3_600_000_000]))
    return base + jitter + draw(st.sampled_from([0, 0, 3_600_000_000, -3_600_000_000]))


@st.composite
def cases(draw):
    schedule, anchor = draw(schedules())
    tz = schedule.timezone
    pairs = []
    for _ in range(draw(st.integers(1, 12))):
        s = draw(instants(anchor, tz))
        if draw(st.booleans()):
            e = draw(instants(anchor, tz))
        else:
            e = s + draw(st.sampled_from([1, 1_800_000_000, 25_200_000_000, 86_400_000_000]))
        pairs.append((s, e))
    return schedule, pairs


def _frame(pairs):
    return pl.DataFrame(
        {"s": [p[0] for p in pairs], "e": [p[1] for p in pairs]},
        schema={"s": pl.Int64, "e": pl.Int64},
    ).with_columns(pl.all().cast(pl.Datetime("us", "UTC")))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_business_seconds_equals_reference(case):
    schedule, pairs = case
    got = _frame(pairs).select(
        b=business_seconds(pl.col("s"), pl.col("e"), schedule),
        c=clock_start(pl.col("s"), schedule).cast(pl.Int64),
    )
    expected = [reference_us(schedule, s, e) for s, e in pairs]
    assert [round(x * 1e6) for x in got["b"]] == expected
    assert got["c"].to_list() == [reference_clock_us(schedule, s) for s, _ in pairs]


@settings(max_examples=40, deadline=None)
@given(cases())
def test_business_seconds_is_additive(case):
    # splitting [s, e) at any point m gives the same total
    schedule, pairs = case
    rows = [(min(s, e), (s + e) // 2, max(s, e)) for s, e in pairs]
    frame = pl.DataFrame(rows, schema=["s", "m", "e"], orient="row").with_columns(
        pl.all().cast(pl.Datetime("us", "UTC"))
    )
    got = frame.select(
        whole=business_seconds(pl.col("s"), pl.col("e"), schedule),
        parts=business_seconds(pl.col("s"), pl.col("m"), schedule)
        + business_seconds(pl.col("m"), pl.col("e"), schedule),
    )
    assert [round(x * 1e6) for x in got["whole"]] == [round(x * 1e6) for x in got["parts"]]
