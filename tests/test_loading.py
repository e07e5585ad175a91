"""supportkpi.load: export files in every supported format become one lazy frame in the canonical
columns (docs/data-model.md), typed, in UTC, with unparseable values flagged rather than
silently nulled, and with each row's file and 1-based row number kept for the quality report.

Every expected value below is worked out by hand from the input written in the test.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

import supportkpi
from supportkpi.errors import DataError, UsageError
from supportkpi.loading.readers import diagnose_text

CSV = "ticket_id,created_at,channel,csat\nT1,2025-01-15T10:00:00Z,Email,5\nT2,2025-01-16T11:30:00Z,chat,3\n"
RECORDS = [
    {"ticket_id": "T1", "created_at": "2025-01-15T10:00:00Z", "channel": "Email", "csat": 5},
    {"ticket_id": "T2", "created_at": "2025-01-16T11:30:00Z", "channel": "chat", "csat": 3},
]
# What CSV and RECORDS hold, typed: ids as text, "Z" times as UTC, channel lowercased, csat float.
EXPECTED = {
    "ticket_id": ["T1", "T2"],
    "created_at": [
        datetime(2025, 1, 15, 10, 0, tzinfo=UTC),
        datetime(2025, 1, 16, 11, 30, tzinfo=UTC),
    ],
    "channel": ["email", "chat"],
    "csat": [5.0, 3.0],
}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def load(paths: str | list[str], **options) -> pl.DataFrame:
    if isinstance(paths, str):
        paths = [paths]
    return supportkpi.load(paths, **options).frame.collect()


def assert_canonical(frame: pl.DataFrame) -> None:
    for column, values in EXPECTED.items():
        assert frame[column].to_list() == values, column
    assert frame["_row"].to_list() == [1, 2]
    assert frame["_source"].to_list() == [0, 0]


class FakeStdin:
    """Stands in for sys.stdin: the loader reads bytes from ``sys.stdin.buffer``."""

    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)


# --- formats -------------------------------------------------------------------------------


def test_csv_is_read_and_typed(tmp_path):
    assert_canonical(load(write(tmp_path, "t.csv", CSV)))


def test_tsv_is_read_with_tab_separator(tmp_path):
    assert_canonical(load(write(tmp_path, "t.tsv", CSV.replace(",", "\t"))))


def test_json_array_of_objects(tmp_path):
    assert_canonical(load(write(tmp_path, "t.json", json.dumps(RECORDS))))


def test_json_object_holding_one_array(tmp_path):
    path = write(tmp_path, "t.json", json.dumps({"tickets": RECORDS}))
    assert_canonical(load(path))


def test_json_object_holding_two_arrays_is_a_data_error(tmp_path):
    path = write(tmp_path, "t.json", json.dumps({"rows": RECORDS, "more": RECORDS}))
    with pytest.raises(DataError) as info:
        load(path)
    assert path in str(info.value)
    assert info.value.exit_code == 3


def test_json_lines(tmp_path):
    assert_canonical(load(write(tmp_path, "t.jsonl", jsonl(RECORDS))))


def test_parquet_with_typed_columns(tmp_path):
    path = str(tmp_path / "t.parquet")
    pl.DataFrame(
        {
            "ticket_id": ["T1", "T2"],
            # naive datetimes are read in the declared zone, UTC by default: unchanged
            "created_at": [datetime(2025, 1, 15, 10, 0), datetime(2025, 1, 16, 11, 30)],
            "channel": ["Email", "chat"],
            "csat": [5, 3],  # Int64 in the file, float in the canonical model
            "reopens": [0, 2],
            "escalated": [True, False],
        }
    ).write_parquet(path)
    frame = load(path)
    assert_canonical(frame)
    assert frame["reopens"].dtype == pl.Int64
    assert frame["reopens"].to_list() == [0, 2]
    assert frame["escalated"].to_list() == [True, False]


def test_parquet_zone_aware_timestamps_are_converted_to_utc(tmp_path):
    path = str(tmp_path / "t.parquet")
    pl.DataFrame({"ticket_id": ["T1"], "created_at": [datetime(2025, 7, 15, 10, 0)]}).with_columns(
        pl.col("created_at").dt.replace_time_zone("Europe/Berlin")
    ).write_parquet(path)
    # 10:00 in Berlin in July is CEST, UTC+2, so 08:00 UTC
    assert load(path)["created_at"].to_list() == [utc(2025, 7, 15, 8, 0)]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("t.csv.gz", CSV),
        ("t.json.gz", json.dumps(RECORDS)),
        ("t.jsonl.gz", jsonl(RECORDS)),
    ],
)
def test_gzip_compressed_input(tmp_path, name, content):
    path = write(tmp_path, name, gzip.compress(content.encode("utf-8")))
    assert_canonical(load(path))


def test_several_files_are_concatenated_with_source_and_row(tmp_path):
    first = write(tmp_path, "a.csv", CSV)  # T1, T2
    second = write(tmp_path, "b.jsonl", jsonl([{"ticket_id": "T3", "created_at": "2025-01-17"}]))
    loaded = supportkpi.load([first, second])
    frame = loaded.frame.collect()
    assert frame["ticket_id"].to_list() == ["T1", "T2", "T3"]
    assert frame["_source"].to_list() == [0, 0, 1]
    assert frame["_row"].to_list() == [1, 2, 1]  # 1-based within each file
    # the second file has no csat or channel: its row has nulls there
    assert frame["csat"].to_list() == [5.0, 3.0, None]
    assert [(i.path, i.format) for i in loaded.inputs] == [(first, "csv"), (second, "jsonl")]


def test_glob_expands_to_sorted_files(tmp_path):
    for name in ("b.csv", "c.csv", "a.csv"):  # written out of order
        write(tmp_path, name, f"ticket_id,created_at\n{name[0].upper()}1,2025-01-15\n")
    loaded = supportkpi.load([str(tmp_path / "*.csv")])
    assert [Path(i.path).name for i in loaded.inputs] == ["a.csv", "b.csv", "c.csv"]
    frame = loaded.frame.collect()
    assert frame["ticket_id"].to_list() == ["A1", "B1", "C1"]
    assert frame["_source"].to_list() == [0, 1, 2]


def test_missing_file_is_a_usage_error(tmp_path):
    path = str(tmp_path / "nope.csv")
    with pytest.raises(UsageError) as info:
        supportkpi.load([path])
    assert info.value.exit_code == 2
    assert path in str(info.value)


def test_glob_matching_nothing_is_a_usage_error(tmp_path):
    pattern = str(tmp_path / "*.csv")
    with pytest.raises(UsageError) as info:
        supportkpi.load([pattern])
    assert info.value.exit_code == 2
    assert pattern in str(info.value)


def test_unknown_extension_is_a_usage_error(tmp_path):
    path = write(tmp_path, "tickets.xyz", CSV)
    with pytest.raises(UsageError) as info:
        supportkpi.load([path])
    assert info.value.exit_code == 2
    assert path in str(info.value)


def test_input_format_overrides_the_extension(tmp_path):
    path = write(tmp_path, "tickets.export", CSV)
    assert_canonical(load(path, input_format="csv"))


@pytest.mark.parametrize(
    ("content", "fmt"),
    [(CSV, "csv"), (json.dumps(RECORDS), "json"), (jsonl(RECORDS), "jsonl")],
)
def test_standard_input(monkeypatch, content, fmt):
    monkeypatch.setattr(sys, "stdin", FakeStdin(content.encode("utf-8")))
    loaded = supportkpi.load(["-"])
    assert [(i.path, i.format) for i in loaded.inputs] == [("-", fmt)]
    assert_canonical(loaded.frame.collect())


def test_standard_input_minified_json_object_holding_one_array(monkeypatch):
    data = json.dumps({"tickets": RECORDS})  # json.dumps writes a single line
    monkeypatch.setattr(sys, "stdin", FakeStdin(data.encode("utf-8")))
    loaded = supportkpi.load(["-"])
    assert [(i.path, i.format) for i in loaded.inputs] == [("-", "json")]
    assert_canonical(loaded.frame.collect())


def test_standard_input_with_explicit_format(monkeypatch):
    monkeypatch.setattr(sys, "stdin", FakeStdin(CSV.replace(",", "\t").encode("utf-8")))
    loaded = supportkpi.load(["-"], input_format="tsv")
    assert [(i.path, i.format) for i in loaded.inputs] == [("-", "tsv")]
    assert_canonical(loaded.frame.collect())


def test_standard_input_may_be_named_once(monkeypatch):
    monkeypatch.setattr(sys, "stdin", FakeStdin(CSV.encode("utf-8")))
    with pytest.raises(UsageError) as info:
        supportkpi.load(["-", "-"])
    assert info.value.exit_code == 2


# --- timestamps ----------------------------------------------------------------------------


def created_at(tmp_path: Path, values: list[str], **options) -> pl.DataFrame:
    """Load a CSV whose created_at column holds ``values`` (one row each)."""
    rows = "".join(f"T{i},{v}\n" for i, v in enumerate(values, start=1))
    return load(write(tmp_path, "t.csv", "ticket_id,created_at\n" + rows), **options)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-15T10:00:00Z", utc(2025, 1, 15, 10, 0)),
        ("2025-01-15T10:00:00+02:00", utc(2025, 1, 15, 8, 0)),  # 10:00 - 2 h
        ("2025-01-15T10:00:00+0530", utc(2025, 1, 15, 4, 30)),  # 10:00 - 5 h 30
        ("2025-01-15T10:00:00-05:00", utc(2025, 1, 15, 15, 0)),  # 10:00 + 5 h
        ("2025-01-15T10:00:00.250Z", utc(2025, 1, 15, 10, 0, 0, 250_000)),  # 0.25 s
        ("2025-01-15 10:00:00Z", utc(2025, 1, 15, 10, 0)),  # space instead of T
        ("2025-01-15T10:00", utc(2025, 1, 15, 10, 0)),  # no seconds, naive, UTC default
        ("2025-01-15", utc(2025, 1, 15, 0, 0)),  # date only: midnight
    ],
)
def test_iso_timestamp_forms(tmp_path, text, expected):
    frame = created_at(tmp_path, [text])
    assert frame["created_at"].to_list() == [expected]
    assert frame["_invalid_created_at"].to_list() == [None]


def test_timestamps_are_utc_datetimes(tmp_path):
    dtype = created_at(tmp_path, ["2025-01-15T10:00:00+02:00"])["created_at"].dtype
    assert isinstance(dtype, pl.Datetime)
    assert dtype.time_zone == "UTC"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-15 10:00", utc(2025, 1, 15, 9, 0)),  # CET, UTC+1 in winter
        ("2025-07-15 10:00", utc(2025, 7, 15, 8, 0)),  # CEST, UTC+2 in summer
        ("2025-01-15", utc(2025, 1, 14, 23, 0)),  # Berlin midnight is 23:00 UTC the day before
    ],
)
def test_naive_timestamps_are_read_in_the_given_timezone(tmp_path, text, expected):
    frame = created_at(tmp_path, [text], timezone="Europe/Berlin")
    assert frame["created_at"].to_list() == [expected]


def test_offset_wins_over_the_given_timezone(tmp_path):
    frame = created_at(tmp_path, ["2025-01-15T10:00:00Z"], timezone="Europe/Berlin")
    assert frame["created_at"].to_list() == [utc(2025, 1, 15, 10, 0)]


def test_mixed_forms_in_one_column(tmp_path):
    frame = created_at(
        tmp_path,
        ["2025-01-15T10:00:00Z", "2025-01-15T10:00:00+02:00", "2025-01-15 10:00", "2025-01-15"],
        timezone="Europe/Berlin",
    )
    assert frame["created_at"].to_list() == [
        utc(2025, 1, 15, 10, 0),  # Z: as is
        utc(2025, 1, 15, 8, 0),  # +02:00: minus 2 h
        utc(2025, 1, 15, 9, 0),  # naive Berlin winter: minus 1 h
        utc(2025, 1, 14, 23, 0),  # Berlin midnight: minus 1 h
    ]


def test_time_in_spring_forward_gap_is_flagged(tmp_path):
    # On 2025-03-30 Berlin clocks jump from 02:00 to 03:00: 02:30 never happened there.
    frame = created_at(tmp_path, ["2025-03-30 02:30"], timezone="Europe/Berlin")
    assert frame["created_at"].to_list() == [None]
    assert frame["_invalid_created_at"].to_list() == ["2025-03-30 02:30"]


def test_ambiguous_fall_back_time_is_read_as_the_earlier(tmp_path):
    # On 2025-10-26 Berlin goes from 03:00 CEST back to 02:00 CET: 02:30 happens twice. The
    # earlier one is CEST (UTC+2): 00:30 UTC (the later would be 01:30 UTC).
    frame = created_at(tmp_path, ["2025-10-26 02:30"], timezone="Europe/Berlin")
    assert frame["created_at"].to_list() == [utc(2025, 10, 26, 0, 30)]


def test_datetime_format(tmp_path):
    frame = created_at(tmp_path, ["15/01/2025 10:00", "01/07/2025 23:45"], datetime_format="%d/%m/%Y %H:%M")
    # day first: 15 January and 1 July, read in UTC
    assert frame["created_at"].to_list() == [utc(2025, 1, 15, 10, 0), utc(2025, 7, 1, 23, 45)]


def test_datetime_format_with_timezone(tmp_path):
    frame = created_at(tmp_path, ["15/01/2025 10:00"], datetime_format="%d/%m/%Y %H:%M", timezone="Europe/Berlin")
    assert frame["created_at"].to_list() == [utc(2025, 1, 15, 9, 0)]  # CET: minus 1 h


def test_datetime_format_adds_to_iso_and_other_values_are_flagged(tmp_path):
    # the format is tried first; ISO 8601 values still parse; anything else is flagged
    frame = created_at(
        tmp_path, ["15/01/2025 10:00", "2025-01-15T10:00:00Z", "Jan 15"], datetime_format="%d/%m/%Y %H:%M"
    )
    assert frame["created_at"].to_list() == [utc(2025, 1, 15, 10, 0), utc(2025, 1, 15, 10, 0), None]
    assert frame["_invalid_created_at"].to_list() == [None, None, "Jan 15"]


@pytest.mark.parametrize("text", ["yesterday", "2025-02-30T10:00:00Z", "2025-01-15T25:00:00Z"])
def test_unparseable_timestamp_is_null_and_flagged(tmp_path, text):
    frame = created_at(tmp_path, [text])
    assert frame["created_at"].to_list() == [None]
    assert frame["_invalid_created_at"].to_list() == [text]


# --- typing --------------------------------------------------------------------------------


def column(tmp_path: Path, name: str, values: list[str], **options) -> pl.DataFrame:
    """Load a CSV with one extra column ``name`` holding ``values`` (one row each)."""
    rows = "".join(f"T{i},2025-01-15,{v}\n" for i, v in enumerate(values, start=1))
    return load(write(tmp_path, "t.csv", f"ticket_id,created_at,{name}\n" + rows), **options)


def test_floats_are_parsed(tmp_path):
    frame = column(tmp_path, "first_response_seconds", ["3600", "90.5", "-1e3"])
    assert frame["first_response_seconds"].dtype == pl.Float64
    assert frame["first_response_seconds"].to_list() == [3600.0, 90.5, -1000.0]
    assert frame["_invalid_first_response_seconds"].to_list() == [None, None, None]


def test_unparseable_float_is_null_and_flagged(tmp_path):
    frame = column(tmp_path, "csat", ["4", "great"])
    assert frame["csat"].to_list() == [4.0, None]
    assert frame["_invalid_csat"].to_list() == [None, "great"]


def test_whole_numbers_accept_integral_text(tmp_path):
    frame = column(tmp_path, "reopens", ["3", "3.0", "0"])
    assert frame["reopens"].dtype == pl.Int64
    assert frame["reopens"].to_list() == [3, 3, 0]
    assert frame["_invalid_reopens"].to_list() == [None, None, None]


@pytest.mark.parametrize("text", ["3.5", "three"])
def test_non_whole_number_is_null_and_flagged(tmp_path, text):
    frame = column(tmp_path, "reopens", [text])
    assert frame["reopens"].to_list() == [None]
    assert frame["_invalid_reopens"].to_list() == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        ("yes", True),
        ("Yes", True),
        ("Y", True),
        ("y", True),
        ("1", True),
        ("false", False),
        ("False", False),
        ("no", False),
        ("NO", False),
        ("N", False),
        ("n", False),
        ("0", False),
    ],
)
def test_boolean_spellings(tmp_path, text, expected):
    frame = column(tmp_path, "escalated", [text])
    assert frame["escalated"].dtype == pl.Boolean
    assert frame["escalated"].to_list() == [expected]
    assert frame["_invalid_escalated"].to_list() == [None]


def test_unparseable_boolean_is_null_and_flagged(tmp_path):
    frame = column(tmp_path, "escalated", ["maybe"])
    assert frame["escalated"].to_list() == [None]
    assert frame["_invalid_escalated"].to_list() == ["maybe"]


@pytest.mark.parametrize(
    ("name", "dtype"),
    [
        ("csat", pl.Float64),
        ("reopens", pl.Int64),
        ("escalated", pl.Boolean),
        ("resolved_at", pl.Datetime("us", "UTC")),
    ],
)
def test_empty_value_is_missing_not_flagged(tmp_path, name, dtype):
    frame = column(tmp_path, name, ["", "  "])  # empty and blank cells
    assert frame[name].dtype == dtype
    assert frame[name].to_list() == [None, None]
    assert frame[f"_invalid_{name}"].to_list() == [None, None]


def test_empty_strings_in_json_are_missing_not_flagged(tmp_path):
    record = {"ticket_id": "T1", "created_at": "2025-01-15", "csat": "", "resolved_at": ""}
    frame = load(write(tmp_path, "t.json", json.dumps([record])))
    assert frame["csat"].to_list() == [None]
    assert frame["resolved_at"].to_list() == [None]
    assert frame["_invalid_csat"].to_list() == [None]
    assert frame["_invalid_resolved_at"].to_list() == [None]


def test_mixed_json_types_in_one_field_are_typed_per_value(tmp_path):
    records = [
        {"ticket_id": "T1", "created_at": "2025-01-15", "csat": 5},
        {"ticket_id": "T2", "created_at": "2025-01-15", "csat": "4"},
        {"ticket_id": "T3", "created_at": "2025-01-15", "csat": "n/a"},
    ]
    frame = load(write(tmp_path, "t.json", json.dumps(records)))
    assert frame["csat"].to_list() == [5.0, 4.0, None]
    assert frame["_invalid_csat"].to_list() == [None, None, "n/a"]


def test_json_boolean_in_a_number_field_is_flagged(tmp_path):
    records = [
        {"ticket_id": "T1", "created_at": "2025-01-15", "csat": 5},
        {"ticket_id": "T2", "created_at": "2025-01-15", "csat": True},
    ]
    frame = load(write(tmp_path, "t.json", json.dumps(records)))
    assert frame["csat"].to_list() == [5.0, None]
    assert frame["_invalid_csat"].to_list() == [None, "true"]


def test_jsonl_boolean_in_a_number_field_is_flagged(tmp_path):
    records = [
        {"ticket_id": "T1", "created_at": "2025-01-15", "csat": 5},
        {"ticket_id": "T2", "created_at": "2025-01-15", "csat": True},
    ]
    frame = load(write(tmp_path, "t.jsonl", jsonl(records)))
    assert frame["csat"].to_list() == [5.0, None]
    assert frame["_invalid_csat"].to_list() == [None, "true"]


def test_vocabulary_columns_are_lowercased(tmp_path):
    text = "ticket_id,created_at,channel,priority,status\nT1,2025-01-15,EMAIL,High,Solved\n"
    frame = load(write(tmp_path, "t.csv", text))
    assert frame.select("channel", "priority", "status").row(0) == ("email", "high", "solved")


def test_unknown_columns_pass_through_unchanged(tmp_path):
    text = "ticket_id,created_at,Brand,region_code\nT1,2025-01-15,DE,007\n"
    frame = load(write(tmp_path, "t.csv", text))
    # not typed (007 stays text), not renamed, not lowercased, no flag column
    assert frame["Brand"].to_list() == ["DE"]
    assert frame["region_code"].to_list() == ["007"]
    assert "_invalid_Brand" not in frame.columns
    assert "_invalid_region_code" not in frame.columns


# --- mapping -------------------------------------------------------------------------------


def test_mapping_renames_headers_to_canonical_names(tmp_path):
    text = "Ticket ID,Created time\nT1,2025-01-15T10:00:00Z\n"
    frame = load(
        write(tmp_path, "t.csv", text),
        mapping={"ticket_id": "Ticket ID", "created_at": "Created time"},
    )
    assert frame["ticket_id"].to_list() == ["T1"]
    assert frame["created_at"].to_list() == [utc(2025, 1, 15, 10, 0)]
    assert "Created time" not in frame.columns


def test_mapped_header_absent_from_file_is_a_usage_error_with_suggestion(tmp_path):
    # issue 17: a --map naming no header of the file is the user's mistake (2), not the data's (3)
    path = write(tmp_path, "t.csv", "ticket_id,Created time\nT1,2025-01-15\n")
    with pytest.raises(UsageError) as info:
        supportkpi.load([path], mapping={"created_at": "Created Time"})  # capital T: a typo
    message = str(info.value)
    assert info.value.exit_code == 2
    assert path in message
    assert "'Created Time'" in message
    assert "did you mean 'Created time'" in message


@pytest.mark.parametrize(("header", "missing"), [("reference,created_at", "ticket_id")])
def test_missing_required_column_is_a_data_error(tmp_path, header, missing):
    path = write(tmp_path, "t.csv", f"{header}\nT1,2025-01-15\n")
    with pytest.raises(DataError) as info:
        supportkpi.load([path])
    message = str(info.value)
    assert info.value.exit_code == 3
    assert path in message
    assert f"'{missing}'" in message
    assert header.replace(",", ", ") in message  # the file's columns are listed


# --- unreadable input ----------------------------------------------------------------------


def test_diagnose_ragged_csv_row(tmp_path):
    # header on line 1; data row 1 on line 2; data row 2 (three fields) on line 3
    path = write(tmp_path, "t.csv", "ticket_id,created_at\nT1,2025-01-15\nT2,2025-01-16,extra\n")
    message = diagnose_text(path, "csv")
    assert message is not None
    assert path in message
    assert "row 2" in message
    assert "line 3" in message


def test_diagnose_non_utf8_byte(tmp_path):
    # \xe9 is Latin-1 "é", not valid UTF-8 on its own; it is on line 3
    path = write(tmp_path, "t.csv", b"ticket_id,created_at\nT1,2025-01-15\nT\xe92,2025-01-16\n")
    message = diagnose_text(path, "csv")
    assert message is not None
    assert path in message
    assert "line 3" in message


def test_diagnose_finds_nothing_in_a_good_csv(tmp_path):
    assert diagnose_text(write(tmp_path, "t.csv", CSV), "csv") is None


def test_diagnose_bad_json_line(tmp_path):
    path = write(tmp_path, "t.jsonl", jsonl(RECORDS[:1]) + "{not json\n")
    message = diagnose_text(path, "jsonl")
    assert message is not None
    assert path in message
    assert "line 2" in message


def test_invalid_json_is_a_data_error(tmp_path):
    path = write(tmp_path, "t.json", '[{"ticket_id": "T1", "created_at": ')
    with pytest.raises(DataError) as info:
        supportkpi.load([path])
    assert info.value.exit_code == 3
    assert path in str(info.value)


def test_corrupt_gzip_is_a_data_error(tmp_path):
    path = write(tmp_path, "t.csv.gz", b"this is not gzip")
    with pytest.raises(DataError) as info:
        supportkpi.load([path])
    assert info.value.exit_code == 3
    assert path in str(info.value)


# --- data quality end to end ---------------------------------------------------------------

QUALITY_CSV = (
    "ticket_id,created_at,csat\n"
    "T1,2025-01-15T10:00:00Z,5\n"  # row 1
    "T2,2025-01-15T11:00:00Z,great\n"  # row 2: csat unparseable
    "T1,2025-01-15T12:00:00Z,4\n"  # row 3: repeats T1
    "T3,,3\n"  # row 4: no created_at
    "T4,not a date,2\n"  # row 5: created_at unparseable
)


def compute_quality(tmp_path: Path, kpis: list[str] | None = None):
    path = write(tmp_path, "t.csv", QUALITY_CSV)
    loaded = supportkpi.load([path])
    return path, supportkpi.compute(loaded.frame, kpis, inputs=loaded.inputs)


def finding(result, kind: str, column: str):
    matches = [f for f in result.findings if f.kind == kind and f.column == column]
    assert len(matches) == 1, [(f.kind, f.column) for f in result.findings]
    return matches[0]


def test_duplicate_ticket_id_is_counted_once(tmp_path):
    _, result = compute_quality(tmp_path, ["ticket_volume"])
    volume = result.groups[0].kpis["ticket_volume"]
    # rows with a created_at: T1, T2, T1 again; the repeat is left out -> T1, T2
    assert volume.value == 2
    assert volume.excluded["duplicate ticket_id"] == 1


def test_duplicate_ticket_id_finding_names_file_and_row(tmp_path):
    path, result = compute_quality(tmp_path)
    duplicate = finding(result, "duplicate ticket_id", "ticket_id")
    assert duplicate.count == 1
    assert duplicate.examples == [{"file": path, "row": 3, "value": "T1"}]


def test_unparseable_values_are_findings_with_file_row_and_value(tmp_path):
    path, result = compute_quality(tmp_path)
    csat = finding(result, "unparseable value", "csat")
    assert csat.count == 1
    assert csat.examples == [{"file": path, "row": 2, "value": "great"}]
    stamp = finding(result, "unparseable value", "created_at")
    assert stamp.count == 1
    assert stamp.examples == [{"file": path, "row": 5, "value": "not a date"}]


def test_rows_without_created_at_are_reported_and_left_out(tmp_path):
    _, result = compute_quality(tmp_path, ["ticket_volume"])
    # T3 is empty (missing); T4's value is unparseable and reported as such, not as missing
    assert finding(result, "missing value", "created_at").count == 1
    # left out: ticket_volume counts only T1 and T2 (T3 and T4 have no created_at)
    assert result.groups[0].kpis["ticket_volume"].value == 2


def test_findings_examples_name_the_file_the_row_came_from(tmp_path):
    first = write(tmp_path, "a.csv", "ticket_id,created_at\nT1,2025-01-15\nT2,2025-01-15\n")
    second = write(tmp_path, "b.csv", "ticket_id,created_at,csat\nT2,2025-01-16,\nT3,2025-01-16,x\nT2,2025-01-17,\n")
    loaded = supportkpi.load([first, second])
    result = supportkpi.compute(loaded.frame, ["ticket_volume"], inputs=loaded.inputs)
    # b.csv row 3 repeats T2 from b.csv row 1 (ids are unique within a file, so a.csv's T2 is
    # another contact); b.csv row 2 has csat "x"
    assert finding(result, "duplicate ticket_id", "ticket_id").examples == [{"file": second, "row": 3, "value": "T2"}]
    assert finding(result, "unparseable value", "csat").examples == [{"file": second, "row": 2, "value": "x"}]
    assert [i.rows for i in result.inputs] == [2, 3]
    assert result.groups[0].kpis["ticket_volume"].value == 4  # T1, T2 (a), T2 (b), T3


def test_nan_and_infinity_are_flagged_not_measurements(tmp_path):
    path = write(
        tmp_path,
        "nan.csv",
        "ticket_id,created_at,csat\nT1,2025-01-15T10:00:00Z,NaN\nT2,2025-01-15T10:00:00Z,inf\n"
        "T3,2025-01-15T10:00:00Z,4\n",
    )
    frame = supportkpi.load([path]).frame.collect()
    assert frame["csat"].to_list() == [None, None, 4.0]
    assert frame["_invalid_csat"].to_list() == ["NaN", "inf", None]


def test_blank_line_is_reported_as_a_row_without_created_at(tmp_path):
    path = write(
        tmp_path,
        "blank.csv",
        "ticket_id,created_at,csat\nT1,2025-01-15T10:00:00Z,5\n\nT2,2025-01-15T10:00:00Z,x\n",
    )
    loaded = supportkpi.load([path])
    result = supportkpi.compute(loaded.frame, ["ticket_volume"], inputs=loaded.inputs)
    assert result.groups[0].kpis["ticket_volume"].value == 2
    found = {(f.kind, f.column): f for f in result.findings}
    # the blank line is row 2, left out of every KPI as a row without created_at, not silently
    assert found[("missing value", "created_at")].count == 1
    # T2 comes after it: row 3
    assert found[("unparseable value", "csat")].examples[0]["row"] == 3


def test_padded_and_blank_values_are_read_and_bad_ones_kept(tmp_path):
    """Text is parsed as it is and only the values that do not read are trimmed and retried:
    padded values still read, blanks are missing (not errors), bad ones keep their raw text."""
    from supportkpi.loading import load

    path = tmp_path / "edge.csv"
    path.write_text(
        "ticket_id,created_at,csat,abandoned,wait_seconds,channel\n"
        "1, 2025-01-01T00:00:00Z , 5 ,  true ,  12.5 , Email \n"
        "2,2025-01-01T01:00:00Z,   ,,   ,\n"
        "3,2025-01-01T02:00:00Z,x,maybe,abc,fax\n"
    )
    frame = load([str(path)]).frame.collect()
    assert frame["csat"].to_list() == [5.0, None, None]
    assert frame["abandoned"].to_list() == [True, None, None]
    assert frame["wait_seconds"].to_list() == [12.5, None, None]
    assert frame["channel"].to_list() == ["email", None, None]
    assert frame["created_at"].null_count() == 0
    flags = frame.select("_invalid_csat", "_invalid_abandoned", "_invalid_wait_seconds", "_invalid_channel")
    assert flags.rows() == [(None,) * 4, (None,) * 4, ("x", "maybe", "abc", "fax")]


# --- both polars engines type an input alike --------------------------------------------------

REAL = Path(__file__).parent / "fixtures" / "real"


@pytest.mark.parametrize(
    "path",
    [
        Path(__file__).parents[1] / "examples" / "contacts.csv",
        REAL / "callcenter-pwc-mdy" / "01 Call-Center-Dataset.csv",
        REAL / "freshdesk-export-excel" / "80000422910_tickets-February-04-2025-12_12(Sheet1).csv",
        REAL / "support-tickets-gpl" / "customer_support_tickets.csv",
    ],
    ids=lambda p: p.parent.name,
)
def test_the_in_memory_and_streaming_engines_type_an_input_alike(path):
    """Small inputs are typed by polars' in-memory engine, large ones streaming
    (engine.frames.IN_MEMORY_ENGINE_ROWS): every value, flag and note is the same either way."""
    frame = supportkpi.load([str(path)]).frame
    assert frame.collect(engine="in-memory").equals(frame.collect(engine="streaming"))
