"""Every public copy of the call-centre dataset under tests/fixtures/real/ read as found, with no
flags, by the callcenter_sample preset; the values are the hand counts of
tests/fixtures/real/FINDINGS.md."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from cli_support import run

import supportkpi

REAL = Path(__file__).parent / "fixtures" / "real"
PWC = {
    "callcenter-pwc": "01 Call-Center-Dataset.csv",
    "callcenter-pwc-semicolon": "Call-Center-Dataset.csv",
    "callcenter-pwc-iso": "Call-Center-Dataset.csv",
    "callcenter-pwc-pandas": "call.csv",
    "callcenter-pwc-dots": "01 Call-Center-Dataset.csv",
    "callcenter-pwc-mdy": "01 Call-Center-Dataset.csv",
}
SYNTHETIC = REAL / "callcenter-synthetic" / "call_center_data.csv"


def _path(name: str) -> Path:
    return REAL / name / PWC[name]


def _compute(path: Path, tmp_path: Path, *extra: str) -> tuple[dict, str]:
    proc = run("compute", str(path), "--format", "json", *extra, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), proc.stderr


@pytest.mark.parametrize("name", sorted(PWC))
def test_every_pwc_copy_gives_the_hand_values(name, tmp_path):
    doc, _ = _compute(_path(name), tmp_path)
    assert doc["inputs"][0]["source"] == "callcenter_sample"
    kpis = doc["groups"][0]["kpis"]
    assert kpis["ticket_volume"]["value"] == 200
    # 42 'N' of 200 calls
    assert kpis["abandonment_rate"]["value"] == pytest.approx(100 * 42 / 200)
    # ratings >= 4: 74 of the 158 answered calls (the 0 or empty of unanswered calls are no answer)
    assert (kpis["csat"]["value"], kpis["csat"]["n"]) == (pytest.approx(100 * 74 / 158), 158)
    # speed of answer: 11,229 s over 158 answered calls
    assert (kpis["asa"]["value"], kpis["asa"]["n"]) == (pytest.approx(11229 / 158), 158)
    assert kpis["talk_time"]["value"] == pytest.approx(231.4, abs=0.05)
    assert kpis["talk_time"]["n"] == 158


def test_every_pwc_copy_gives_the_same_call_times():
    """Day-first, month-first, dotted, ISO, Excel fractions and pandas' day-0 times: the same
    200 calls at the same instants (the ISO copy is the reference)."""
    reference = supportkpi.load([str(_path("callcenter-pwc-iso"))]).frame.collect()["created_at"]
    assert reference[0] == datetime(2021, 1, 1, 9, 12, 58, tzinfo=UTC)
    assert reference[199] == datetime(2021, 1, 4, 12, 15, 50, tzinfo=UTC)  # ID0200
    for name in PWC:
        stamps = supportkpi.load([str(_path(name))]).frame.collect()["created_at"]
        assert stamps.null_count() == 0, name
        assert stamps.to_list() == reference.to_list(), name


def test_synthetic_copy(tmp_path):
    doc, _ = _compute(SYNTHETIC, tmp_path)
    assert doc["inputs"][0]["source"] == "callcenter_sample"
    kpis = doc["groups"][0]["kpis"]
    assert kpis["ticket_volume"]["value"] == 5000
    # 2,482 'N' of 5,000 calls
    assert kpis["abandonment_rate"]["value"] == pytest.approx(49.64)
    # mean speed of answer over the 2,518 answered calls: 63.20 s
    assert kpis["asa"]["n"] == 2518
    assert kpis["asa"]["value"] == pytest.approx(63.20, abs=0.005)


def test_synthetic_date_holds_the_time():
    """``Date`` is a full timestamp there; its ``Time`` column (``5:59``) is not the time of day."""
    frame = supportkpi.load([str(SYNTHETIC)]).frame.collect()
    assert frame["created_at"].null_count() == 0
    assert frame["created_at"][0] == datetime(2023, 7, 30, 10, 23, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "chosen", "flag"),
    [("callcenter-pwc", "day-first", "%m/%d/%Y"), ("callcenter-pwc-mdy", "month-first", "%d/%m/%Y")],
)
def test_all_ambiguous_dates_are_a_finding_naming_the_choice_and_the_flag(name, chosen, flag, tmp_path):
    # 200 calls on 1-4 January; the 58 of 1 January read the same either way, 142 do not
    proc = run("validate", str(_path(name)), "--format", "json", cwd=tmp_path)
    findings = [f for f in json.loads(proc.stdout)["findings"] if f["kind"] == "ambiguous dates"]
    assert len(findings) == 1
    (finding,) = findings
    assert finding["column"] == "created_at" and finding["count"] == 142
    assert f"read {chosen}" in finding["effect"] and f"--datetime-format '{flag}'" in finding["effect"]


def test_the_flag_the_finding_names_changes_the_order(tmp_path):
    proc = run(
        "validate", str(_path("callcenter-pwc")), "--datetime-format", "%m/%d/%Y", "--format", "json", cwd=tmp_path
    )
    kinds = [f["kind"] for f in json.loads(proc.stdout)["findings"]]
    assert "ambiguous dates" not in kinds
    loaded = supportkpi.Run.from_config(None).add_inputs([_path("callcenter-pwc")], datetime_format=["%m/%d/%Y"])
    stamps = loaded.load().frame.collect()["created_at"]
    # 02/01/2021 read month-first: 1 February
    assert stamps.dt.month().unique().sort().to_list() == [1, 2, 3, 4]


def _copy_with(tmp_path: Path, old: str, new: str) -> Path:
    source = _path("callcenter-pwc")
    text = source.read_bytes().replace(old.encode(), new.encode(), 1)
    path = tmp_path / "calls.csv"
    path.write_bytes(text)
    return path


def test_unreadable_date_is_reported_with_its_text(tmp_path):
    path = _copy_with(tmp_path, "ID0003,Stewart,01/01/2021", "ID0003,Stewart,32/01/2021")
    proc = run("validate", str(path), "--format", "json", cwd=tmp_path)
    (finding,) = [
        f
        for f in json.loads(proc.stdout)["findings"]
        if f["kind"] == "unparseable value" and f["column"] == "created_at"
    ]
    assert finding["count"] == 1
    assert finding["examples"][0]["row"] == 3 and finding["examples"][0]["value"] == "32/01/2021 9:47:31"


def test_a_value_that_contradicts_the_columns_order_is_unparseable(tmp_path):
    # 13/01 says day-first; 01/13 then reads no way
    path = _copy_with(tmp_path, "ID0003,Stewart,01/01/2021", "ID0003,Stewart,13/01/2021")
    path.write_bytes(path.read_bytes().replace(b"ID0004,Greg,01/01/2021", b"ID0004,Greg,01/13/2021", 1))
    loaded = supportkpi.load([str(path)])
    frame = loaded.frame.collect()
    assert frame["created_at"][2] == datetime(2021, 1, 13, 9, 47, 31, tzinfo=UTC)
    assert frame["created_at"][3] is None and frame["_invalid_created_at"][3] == "01/13/2021 9:47:31"
    # the rest read day-first, and no finding calls them ambiguous: 13/01 decided
    assert frame["created_at"][59] == datetime(2021, 1, 2, 9, 5, 46, tzinfo=UTC)  # ID0060, 02/01/2021
    assert frame["created_at"].null_count() == 1
    result = supportkpi.compute(loaded.frame, ["ticket_volume"], inputs=loaded.inputs)
    assert "ambiguous dates" not in [f.kind for f in result.findings]


def test_datetime_format_reaches_the_preset(tmp_path):
    """The preset's created_at is text for the loader: a user's format applies to it."""
    path = _copy_with(tmp_path, "ID0003,Stewart,01/01/2021", "ID0003,Stewart,2021|01|01")
    loaded = supportkpi.load([str(path)], datetime_format=["%Y|%m|%d"])
    frame = loaded.frame.collect()
    assert frame["created_at"][2] == datetime(2021, 1, 1, 9, 47, 31, tzinfo=UTC)
    assert frame["created_at"].null_count() == 0


def test_time_zone_applies_to_the_local_times():
    frame = supportkpi.load([str(_path("callcenter-pwc-dots"))], timezone="Europe/Berlin").frame.collect()
    assert frame["created_at"][0] == datetime(2021, 1, 1, 8, 12, 58, tzinfo=UTC)


def test_compute_tells_the_ambiguity_on_stderr(tmp_path):
    _, stderr = _compute(_path("callcenter-pwc"), tmp_path)
    assert "ambiguous dates" in stderr and "--datetime-format '%m/%d/%Y'" in stderr


def test_rows_of_the_mdy_copy_read_as_the_day_first_copy():
    first = supportkpi.load([str(_path("callcenter-pwc"))]).frame.collect()
    second = supportkpi.load([str(_path("callcenter-pwc-mdy"))]).frame.collect()
    assert first["created_at"].to_list() == second["created_at"].to_list()
    assert first.select(pl.col("talk_seconds").sum()).item() == second.select(pl.col("talk_seconds").sum()).item()
