"""Timestamps and durations as exports write them (loading/datetimes.py, loading/durations.py),
units and joined columns in --map (loading/mapped.py): hand-worked values and properties."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from cli_support import run
from hypothesis import given, settings
from hypothesis import strategies as st

import supportkpi
from supportkpi.loading import datetimes, durations

T = datetime


def _read(values: list[str | None], timezone: str = "UTC", formats: tuple[str, ...] = ()) -> list:
    frame = pl.DataFrame({"t": values}, schema={"t": pl.String})
    value, _ = datetimes.read(pl.col("t"), timezone, formats)
    return frame.select(value).to_series().to_list()


def _notes(values: list[str]) -> list:
    frame = pl.DataFrame({"t": values}, schema={"t": pl.String})
    _, note = datetimes.read(pl.col("t"), "UTC")
    return frame.select(note).to_series().to_list()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-01-31T14:05:00Z", T(2021, 1, 31, 14, 5, tzinfo=UTC)),
        ("2021-01-31 14:05:00.25+02:00", T(2021, 1, 31, 12, 5, 0, 250000, tzinfo=UTC)),
        ("2021-1-31 9:05", T(2021, 1, 31, 9, 5, tzinfo=UTC)),
        ("31/01/2021", T(2021, 1, 31, tzinfo=UTC)),
        ("31/01/2021 9:12", T(2021, 1, 31, 9, 12, tzinfo=UTC)),
        ("31.01.2021 9.12.58", T(2021, 1, 31, 9, 12, 58, tzinfo=UTC)),
        ("31-01-2021 09:12:58", T(2021, 1, 31, 9, 12, 58, tzinfo=UTC)),
        ("1/31/2021 9:12:58 PM", T(2021, 1, 31, 21, 12, 58, tzinfo=UTC)),
        ("1/31/2021 12:00:01 AM", T(2021, 1, 31, 0, 0, 1, tzinfo=UTC)),
        ("1/31/2021 12:00 pm", T(2021, 1, 31, 12, 0, tzinfo=UTC)),
        ("2021/01/31 23:59:59", T(2021, 1, 31, 23, 59, 59, tzinfo=UTC)),
    ],
)
def test_layouts_by_hand(text, expected):
    assert _read([text]) == [expected]


@pytest.mark.parametrize(
    "text", ["31/02/2021", "1/31/2021 13:00 PM", "2021-01-31 24:00", "31/01/21", "yesterday", "31/01-2021"]
)
def test_what_is_no_timestamp(text):
    assert _read([text]) == [None]


def test_a_deciding_value_sets_the_order_of_the_column():
    # 13/01 is day-first; so 02/01 is 2 January and 01/13 reads no way
    assert _read(["02/01/2021", "13/01/2021", "01/13/2021"]) == [
        T(2021, 1, 2, tzinfo=UTC),
        T(2021, 1, 13, tzinfo=UTC),
        None,
    ]
    # 1/13 is month-first; so 02/01 is 1 February, and 01-12-2021 (another separator) 12 January
    assert _read(["02/01/2021", "1/13/2021", "01-12-2021"]) == [
        T(2021, 2, 1, tzinfo=UTC),
        T(2021, 1, 13, tzinfo=UTC),
        T(2021, 1, 12, tzinfo=UTC),
    ]


def test_without_a_deciding_value_the_closest_dates_win():
    # day-first: 1-4 January (3 days); month-first: January to April
    assert _read(["01/01/2021", "02/01/2021", "04/01/2021"])[2] == T(2021, 1, 4, tzinfo=UTC)
    assert _read(["1/1/2021", "1/2/2021", "1/4/2021"])[2] == T(2021, 1, 4, tzinfo=UTC)


def test_notes_say_date_only_and_the_order_chosen():
    # bit 0: no time of day; bits 1-3: the order no value decided (1 day-first '/', 3 month-first '/')
    assert _notes(["2021-01-05", "2021-01-05 10:00"]) == [1, None]
    assert _notes(["01/02/2021 10:00", "03/02/2021 10:00", "01/01/2021 10:00"]) == [2, 2, None]
    assert _notes(["1/2/2021", "1/4/2021"]) == [7, 7]


def test_dots_are_day_first_and_decide_nothing():
    assert _read(["02.01.2021", "1/13/2021", "02/01/2021"]) == [
        T(2021, 1, 2, tzinfo=UTC),
        T(2021, 1, 13, tzinfo=UTC),
        T(2021, 2, 1, tzinfo=UTC),
    ]


def test_formats_first_and_a_date_layout_takes_a_time():
    assert _read(["02/01/2021 9:12:58", "2021-03-04T05:06:07Z"], formats=("%m/%d/%Y",)) == [
        T(2021, 2, 1, 9, 12, 58, tzinfo=UTC),
        T(2021, 3, 4, 5, 6, 7, tzinfo=UTC),
    ]
    assert _read(["2021|01|02 10:00"], formats=("%d/%m/%Y", "%Y|%m|%d")) == [T(2021, 1, 2, 10, tzinfo=UTC)]


def test_local_times_in_the_time_zone():
    assert _read(["31/01/2021 9:00"], timezone="Europe/Berlin") == [T(2021, 1, 31, 8, 0, tzinfo=UTC)]


_LAYOUTS = {
    "iso": lambda d: d.strftime("%Y-%m-%d %H:%M:%S"),
    "iso-t": lambda d: d.strftime("%Y-%m-%dT%H:%M:%S"),
    "dmy/": lambda d: f"{d.day:02}/{d.month:02}/{d.year} {d.hour}:{d.minute:02}:{d.second:02}",
    "mdy/": lambda d: f"{d.month}/{d.day}/{d.year} {d.hour}:{d.minute:02}:{d.second:02}",
    "dmy.": lambda d: f"{d.day:02}.{d.month:02}.{d.year} {d.hour}.{d.minute:02}.{d.second:02}",
    "dmy-": lambda d: f"{d.day:02}-{d.month:02}-{d.year} {d.hour:02}:{d.minute:02}",
    "mdy-ampm": lambda d: (
        f"{d.month}/{d.day}/{d.year} {(d.hour % 12) or 12}:{d.minute:02}:{d.second:02} "
        + ("PM" if d.hour >= 12 else "AM")
    ),
}
_DECIDER = datetime(2021, 1, 13, 10, 0)  # day 13: shows the order of any day/month layout
stamps = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2060, 12, 31)).map(
    lambda d: d.replace(microsecond=0)
)


@settings(max_examples=60, deadline=None)
@given(stamp=stamps, layout=st.sampled_from(sorted(_LAYOUTS)))
def test_a_timestamp_in_any_layout_round_trips(stamp, layout):
    write = _LAYOUTS[layout]
    if layout == "dmy-":
        stamp = stamp.replace(second=0)
    got = _read([write(stamp), write(_DECIDER)])
    assert got[0] == stamp.replace(tzinfo=UTC)


dates = st.dates(min_value=datetime(2000, 1, 1).date(), max_value=datetime(2030, 12, 31).date())


@settings(max_examples=60, deadline=None)
@given(values=st.lists(dates, min_size=1, max_size=12), month_first=st.booleans(), data=st.data())
def test_day_first_inference_does_not_depend_on_the_order_of_rows(values, month_first, data):
    texts = [f"{d.month}/{d.day}/{d.year}" if month_first else f"{d.day}/{d.month}/{d.year}" for d in values]
    shuffled = data.draw(st.permutations(texts))
    once = dict(zip(texts, _read(texts), strict=True))
    again = dict(zip(shuffled, _read(list(shuffled)), strict=True))
    assert once == again


# --- durations --------------------------------------------------------------------------------


def _seconds(values: list, unit: str = "s", dtype=pl.String) -> list:
    frame = pl.DataFrame({"d": values}, schema={"d": dtype})
    return frame.select(durations.seconds(pl.col("d"), dtype, unit)).to_series().to_list()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("143", 143.0),
        ("0:02:23", 143.0),
        ("26:00:01", 93601.0),
        ("02:23", 143.0),
        ("0.02.23", 143.0),
        ("12:02:23 AM", 143.0),
        ("1:00:00 PM", 46800.0),
        ("1900-01-01 00:02:23", 143.0),
        ("PT1H2M3S", 3723.0),
        ("P1DT2H", 93600.0),
        ("PT1.5M", 90.0),
        ("90s", 90.0),
        ("15 min", 900.0),
        ("1.5 h", 5400.0),
        ("250 ms", 0.25),
        ("2 days", 172800.0),
        ("1:75", None),
        ("P", None),
        ("12 parsecs", None),
        ("", None),
    ],
)
def test_durations_by_hand(text, expected):
    assert _seconds([text]) == [expected]


def test_a_unit_applies_to_plain_numbers_only():
    assert _seconds(["1.5", "0:01:00", "30 s"], unit="min") == [90.0, 60.0, 30.0]
    assert _seconds([2, 3], unit="h", dtype=pl.Int64) == [7200.0, 10800.0]
    assert _seconds([1500], unit="ms", dtype=pl.Int64) == [1.5]


@settings(max_examples=80, deadline=None)
@given(
    total=st.integers(min_value=0, max_value=400_000), style=st.sampled_from(["clock", "iso", "min", "plain", "short"])
)
def test_durations_round_trip(total, style):
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    text = {
        "clock": f"{hours}:{minutes:02}:{secs:02}",
        "iso": f"PT{hours}H{minutes}M{secs}S",
        "min": f"{total / 60!r} min",
        "plain": str(total),
        "short": f"{total // 60}:{total % 60:02}" if total < 3600 else f"{hours}.{minutes:02}.{secs:02}",
    }[style]
    assert _seconds([text]) == [pytest.approx(total)]


# --- units and joined columns through the loader ------------------------------------------------


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tickets.csv"
    path.write_text(text)
    return path


TICKETS = (
    "ticket_id,created_at,reply_time_in_minutes.calendar,Date,Time\n"
    "T1,2025-01-06T09:00:00Z,90,06/01/2025,9:00\n"
    "T2,2025-01-06T10:00:00Z,30,13/01/2025,10:30:15\n"
)


def test_map_with_a_unit(tmp_path):
    path = _write(tmp_path, TICKETS)
    loaded = supportkpi.load([str(path)], mapping={"first_response_seconds": "reply_time_in_minutes.calendar:min"})
    assert loaded.frame.collect()["first_response_seconds"].to_list() == [5400.0, 1800.0]


def test_units_mapping_for_other_callers(tmp_path):
    path = _write(tmp_path, TICKETS)
    loaded = supportkpi.load(
        [str(path)],
        mapping={"first_response_seconds": "reply_time_in_minutes.calendar"},
        units={"first_response_seconds": "h"},
    )
    assert loaded.frame.collect()["first_response_seconds"].to_list() == [324000.0, 108000.0]


def test_a_header_with_a_colon_is_the_header(tmp_path):
    path = _write(tmp_path, "ticket_id,created_at,wait:min\nT1,2025-01-06T09:00:00Z,7\n")
    loaded = supportkpi.load([str(path)], mapping={"wait_seconds": "wait:min"})
    assert loaded.frame.collect()["wait_seconds"].to_list() == [7.0]


def test_the_unit_in_the_cli_and_in_kpi_yaml(tmp_path):
    path = _write(tmp_path, TICKETS)
    args = ("compute", str(path), "-k", "first_response_time", "--format", "json")
    proc = run(*args, "--map", "first_response_seconds=reply_time_in_minutes.calendar:min", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    # mean of 90 and 30 minutes, in hours
    assert json.loads(proc.stdout)["groups"][0]["kpis"]["first_response_time"]["value"] == pytest.approx(1.0)
    (tmp_path / "kpi.yaml").write_text(
        "version: 1\ncolumns:\n  first_response_seconds: reply_time_in_minutes.calendar:min\n"
    )
    proc = run(*args, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["groups"][0]["kpis"]["first_response_time"]["value"] == pytest.approx(1.0)


def test_a_unit_on_a_column_that_is_no_duration_is_a_usage_error(tmp_path):
    path = _write(tmp_path, TICKETS)
    proc = run("compute", str(path), "--map", "created_at=created_at:min", cwd=tmp_path)
    assert proc.returncode == 2
    assert "takes no unit" in proc.stderr


def test_date_and_time_columns_joined_by_map(tmp_path):
    path = _write(tmp_path, TICKETS.replace("ticket_id,created_at,", "ticket_id,opened,"))
    loaded = supportkpi.load([str(path)], mapping={"created_at": "Date+Time"})
    assert loaded.frame.collect()["created_at"].to_list() == [
        T(2025, 1, 6, 9, 0, tzinfo=UTC),
        T(2025, 1, 13, 10, 30, 15, tzinfo=UTC),
    ]


def test_date_only_values_are_a_note(tmp_path):
    path = _write(tmp_path, "ticket_id,created_at,resolved_at\nT1,2025-01-06,2025-01-08\nT2,2025-01-06,\n")
    proc = run("validate", str(path), "--format", "json", cwd=tmp_path)
    notes = [f for f in json.loads(proc.stdout)["findings"] if f["kind"] == "note"]
    assert {(n["column"], n["count"]) for n in notes} == {("created_at", 2), ("resolved_at", 1)}
    assert all("whole days" in n["effect"] for n in notes)
    frame = supportkpi.load([str(path)]).frame.collect()
    assert frame["resolved_at"][0] - frame["created_at"][0] == timedelta(days=2)


def test_several_datetime_formats_on_the_command_line(tmp_path):
    path = _write(tmp_path, "ticket_id,created_at\nT1,2025|01|06 9:00\nT2,06 Jan 2025 10:00\n")
    proc = run(
        "validate",
        str(path),
        "--datetime-format",
        "%Y|%m|%d",
        "--datetime-format",
        "%d %b %Y %H:%M",
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert not [f for f in json.loads(proc.stdout)["findings"] if f["kind"] == "unparseable value"], proc.stdout
    (tmp_path / "kpi.yaml").write_text("version: 1\ndatetime_format: ['%Y|%m|%d', '%d %b %Y %H:%M']\n")
    proc = run("validate", str(path), "--format", "json", cwd=tmp_path)
    assert not [f for f in json.loads(proc.stdout)["findings"] if f["kind"] == "unparseable value"], proc.stdout
