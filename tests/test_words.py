"""The words exports use: vocabularies read case- and punctuation-insensitively, header
spellings of files without a preset (with the unit a duration's header states), inverted
yes/no mappings and the finding when a header contradicts its target, files with no creation
time, and resolution taken from a status or a resolved flag.

Every expected value is worked out by hand from the few rows written in the test.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from cli_support import run
from hypothesis import given, settings
from hypothesis import strategies as st

import supportkpi
from supportkpi import words
from supportkpi.errors import UsageError
from supportkpi.loading import parse
from supportkpi.schema import VOCABULARIES
from supportkpi.sources._base import vocabulary as preset_vocabulary

KNOWN = [
    (column, word, canonical)
    for column, table in words.SYNONYMS.items()
    for canonical, others in table.items()
    for word in (canonical, *others)
]


def _read(column: str, texts: list[str]) -> list[tuple[str | None, str | None]]:
    expression = parse.vocabulary(pl.lit(pl.Series(texts, dtype=pl.String)), words.lookup(column))
    return pl.select(expression.alias("v")).unnest("v").rows()


@st.composite
def spelled(draw, word: str) -> str:
    """``word`` in another case, its parts joined by other punctuation, with spaces around."""
    parts = re.findall(r"[^\W_]+", word)
    joints = draw(
        st.lists(st.sampled_from([" ", "_", "-", ".", "/", "  ", ""]), min_size=len(parts), max_size=len(parts))
    )
    text = "".join(p + j for p, j in zip(parts, joints, strict=True)).rstrip("./-")
    cased = "".join(c.upper() if draw(st.booleans()) else c.lower() for c in text)
    return draw(st.sampled_from(["", " ", "\t"])) + cased + draw(st.sampled_from(["", " "]))


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_known_word_in_any_case_and_punctuation_is_its_canonical_word(data):
    column, word, canonical = data.draw(st.sampled_from(KNOWN))
    text = data.draw(spelled(word))
    assert _read(column, [text]) == [(canonical, None)]
    convert = preset_vocabulary({word: canonical})
    value, ok = pl.select(*(e.alias(n) for e, n in zip(convert(pl.lit(text)), ("v", "ok"), strict=True))).row(0)
    assert (value, ok) == (canonical, True)


def test_the_words_of_the_issue():
    assert _read("status", ["In Progress", "in_progress", "Pending Customer Response", "Resolved", "open", "New"]) == [
        ("open", None),
        ("open", None),
        ("pending", None),
        ("solved", None),
        ("open", None),
        ("new", None),
    ]
    assert _read("priority", ["Medium", "Critical", "P1", "p4"]) == [
        ("normal", None),
        ("urgent", None),
        ("urgent", None),
        ("low", None),
    ]
    assert _read("channel", ["Web Portal", "Web form", "Social media", "Phone call", "Live chat"]) == [
        ("web", None),
        ("web", None),
        ("social", None),
        ("phone", None),
        ("chat", None),
    ]


@pytest.mark.parametrize(("column", "text"), [("status", "Waiting"), ("status", "Unresolved"), ("priority", "P5")])
def test_a_word_that_could_mean_two_things_stays_unknown(column, text):
    assert _read(column, [text]) == [(None, text)]


def test_every_synonym_means_one_canonical_word():
    for column, table in words.SYNONYMS.items():
        seen: dict[str, str] = {}
        for canonical, others in table.items():
            assert canonical in VOCABULARIES[column]
            for word in (canonical, *others):
                assert seen.setdefault(words.word_key(word), canonical) == canonical, (column, word)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- headers ------------------------------------------------------------------------------


def test_header_spellings_and_units(tmp_path):
    path = write(
        tmp_path,
        "t.csv",
        "Ticket ID,Date Created,Assigned_Agent,Ticket Priority,First_Response_Time_Hours,"
        "Resolution time (min),Customer Satisfaction Rating\n"
        "T1,2025-01-15 10:00:00,Ann,Medium,1.5,90,4\n",
    )
    frame = supportkpi.load([path]).frame.collect()
    row = frame.row(0, named=True)
    assert row["ticket_id"] == "T1"
    assert row["created_at"] == datetime(2025, 1, 15, 10, tzinfo=UTC)
    assert row["agent"] == "Ann"
    assert row["priority"] == "normal"
    assert row["first_response_seconds"] == pytest.approx(1.5 * 3600)
    assert row["resolution_seconds"] == pytest.approx(90 * 60)
    assert row["csat"] == 4.0


def test_a_header_without_a_unit_is_not_taken_as_a_duration():
    # Kaggle's "First Response Time" holds timestamps
    assert words.duration_header("First Response Time") is None
    assert words.duration_header("Speed of answer in seconds") == ("wait_seconds", "s")


def test_a_spelling_never_takes_a_mapped_header(tmp_path):
    path = write(tmp_path, "t.csv", "Ticket ID,Created,Opened\nT1,2025-01-15,2025-01-10\n")
    frame = supportkpi.load([path], mapping={"created_at": "Opened"}).frame.collect()
    assert frame["created_at"].to_list() == [datetime(2025, 1, 10, tzinfo=UTC)]
    assert "Created" in frame.columns  # passed through under its own name


def test_two_headers_for_one_column_take_neither(tmp_path):
    path = write(tmp_path, "t.csv", "ticket_id,created_at,Ticket Type,Category\nT1,2025-01-15,Bug,Login\n")
    loaded = supportkpi.load([path])
    assert "topic" not in loaded.frame.collect_schema().names()
    [note] = loaded.inputs[0].findings
    assert note.column == "topic" and "'Ticket Type' and 'Category'" in note.effect


def test_units_given_to_load_win_over_the_header(tmp_path):
    path = write(tmp_path, "t.csv", "ticket_id,created_at,Wait time (s)\nT1,2025-01-15,2\n")
    frame = supportkpi.load([path], units={"wait_seconds": "min"}).frame.collect()
    assert frame["wait_seconds"].to_list() == [120.0]


# --- yes/no -------------------------------------------------------------------------------

CALLS = "Call Id,Date,Answered (Y/N),Wait\nC1,2025-01-15 09:00:00,Y,10\nC2,2025-01-15 09:05:00,N,40\nC3,2025-01-15 09:09:00,Y,5\n"


def test_inverted_mapping(tmp_path):
    path = write(tmp_path, "calls.csv", CALLS)
    mapping = {"created_at": "Date", "abandoned": "!Answered (Y/N)", "wait_seconds": "Wait"}
    frame = supportkpi.load([path], mapping=mapping).frame.collect()
    assert frame["abandoned"].to_list() == [False, True, False]


def test_answered_column_gives_abandoned(tmp_path):
    path = write(tmp_path, "calls.csv", CALLS)
    frame = supportkpi.load([path], mapping={"created_at": "Date", "wait_seconds": "Wait"}).frame.collect()
    assert frame["answered"].to_list() == [True, False, True]
    assert frame["abandoned"].to_list() == [False, True, False]


def test_inverted_canonical_name_stands_for_its_header(tmp_path):
    path = write(tmp_path, "calls.csv", CALLS)
    mapping = {"created_at": "Date", "abandoned": "!answered", "wait_seconds": "Wait"}
    frame = supportkpi.load([path], mapping=mapping).frame.collect()
    assert frame["abandoned"].to_list() == [False, True, False]


def test_a_header_contradicting_its_target_is_a_finding(tmp_path):
    write(tmp_path, "calls.csv", CALLS)
    proc = run(
        "compute", "calls.csv", "--map", "created_at=Date", "--map", "abandoned=Answered (Y/N)",
        "--map", "wait_seconds=Wait", "-k", "abandonment_rate", "--format", "json", cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    [finding] = [f for f in report["data_quality"]["findings"] if f["kind"] == "mapping contradicts header"]
    assert finding["column"] == "abandoned" and finding["count"] == 3
    assert "abandoned=!Answered (Y/N)" in finding["effect"]
    # as mapped, the two answered calls are the abandoned ones
    assert report["groups"][0]["kpis"]["abandonment_rate"]["value"] == pytest.approx(100 * 2 / 3)


def test_inverted_mapping_of_a_non_yes_no_column_is_a_usage_error(tmp_path):
    path = write(tmp_path, "calls.csv", CALLS)
    with pytest.raises(UsageError, match="only a yes/no column"):
        supportkpi.load([path], mapping={"created_at": "!Date"})
    write(tmp_path, "calls.csv", CALLS)
    proc = run("compute", "calls.csv", "--map", "csat=!Wait", cwd=tmp_path)
    assert proc.returncode == 2 and "only a yes/no column" in proc.stderr


# --- no creation time; resolution from a status or a flag ------------------------------------


def test_a_file_with_a_created_at_column_still_reports_empty_values(tmp_path):
    write(tmp_path, "t.csv", "ticket_id,created_at,status\nT1,2025-01-15,open\nT2,,closed\n")
    proc = run("compute", "t.csv", "-k", "ticket_volume", "--format", "json", cwd=tmp_path)
    report = json.loads(proc.stdout)
    assert report["groups"][0]["kpis"]["ticket_volume"]["value"] == 1
    # T1's date-only value is a note; T2's empty one is left out and reported
    missing = [f for f in report["data_quality"]["findings"] if f["column"] == "created_at" and f["kind"] != "note"]
    assert [f["kind"] for f in missing] == ["missing value"] and missing[0]["count"] == 1


def test_resolution_from_a_resolved_flag(tmp_path):
    write(tmp_path, "t.csv", "Ticket ID,Status,Resolved\nT1,open,No\nT2,open,Yes\nT3,closed,Y\nT4,open,\n")
    report = json.loads(run("compute", "t.csv", "-k", "resolution_rate", "--format", "json", cwd=tmp_path).stdout)
    rate = report["groups"][0]["kpis"]["resolution_rate"]
    # the flag wins over the status: 2 of the 3 flagged resolved; T4's is unknown
    assert rate["value"] == pytest.approx(100 * 2 / 3) and rate["n"] == 3
    assert rate["variant"] == "resolved taken from the resolved (yes/no) column"
    assert rate["excluded"]["no resolved"] == 1


def test_a_resolution_time_wins_over_the_status_and_a_closed_contact_without_one_is_resolved(tmp_path):
    # T1 closed without its time (resolved, time unknown); T2 has a time (resolved, whatever its
    # status says); T3 open, no time (unresolved); T4 closed with an unreadable time (unknown)
    write(
        tmp_path,
        "t.csv",
        "ticket_id,created_at,status,resolved_at\nT1,2025-01-15,closed,\nT2,2025-01-15,open,2025-01-16\n"
        "T3,2025-01-15,open,\nT4,2025-01-15,closed,soon\n",
    )
    out = run("compute", "t.csv", "-k", "resolution_rate,resolution_time", "--format", "json", cwd=tmp_path).stdout
    kpis = json.loads(out)["groups"][0]["kpis"]
    rate = kpis["resolution_rate"]
    assert rate["value"] == pytest.approx(200 / 3) and rate["n"] == 3 and "variant" not in rate
    assert kpis["resolution_time"]["n"] == 1  # only T2 has a time


def test_every_header_spelling_means_one_column():
    seen: dict[str, str] = {}
    for table in (words.HEADER_SYNONYMS, words.DURATION_HEADERS):
        for column, names in table.items():
            for name in names:
                assert seen.setdefault(words.word_key(name), column) == column, name
                assert words.word_key(name) != words.word_key(column)  # canonical names need no entry
