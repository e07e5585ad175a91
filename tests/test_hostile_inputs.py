"""Hostile and awkward input files (issue 17, the readers' side): file names that look like
globs, headers written twice."""

from __future__ import annotations

import json

import pytest
from cli_support import run

ROWS = "T1,2025-01-01T09:00:00Z,a,b\nT2,2025-01-02T09:00:00Z,c,d\n"


def test_a_file_named_like_a_glob_is_read_as_that_file(tmp_path):
    (tmp_path / "export[1].csv").write_text("ticket_id,created_at,Tags,Note\n" + ROWS)
    (tmp_path / "export1.csv").write_text("ticket_id,created_at\nX1,2025-01-01T09:00:00Z\n")  # what the glob matches
    result = run("compute", "export[1].csv", "-k", "ticket_volume", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [i["path"] for i in report["inputs"]] == ["export[1].csv"]
    assert report["groups"][0]["kpis"]["ticket_volume"]["value"] == 2


def test_a_pattern_that_is_no_file_is_still_a_glob(tmp_path):
    (tmp_path / "export1.csv").write_text("ticket_id,created_at\nX1,2025-01-01T09:00:00Z\n")
    result = run("compute", "export[0-9].csv", "-k", "ticket_volume", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [i["path"] for i in json.loads(result.stdout)["inputs"]] == ["export1.csv"]


def test_a_column_the_run_reads_written_twice_is_an_error(tmp_path):
    text = "ticket_id,created_at,created_at\nT1,2025-01-01T09:00:00Z,2025-02-01T09:00:00Z\n"
    (tmp_path / "t.csv").write_text(text)
    for command in ("compute", "validate"):
        result = run(command, "t.csv", cwd=tmp_path)
        assert result.returncode == 3
        assert "t.csv: the header 'created_at' appears 2 times" in result.stderr
        assert "Traceback" not in result.stderr
    assert (tmp_path / "t.csv").read_text() == text


def test_another_header_written_twice_is_read_once_with_a_note(tmp_path):
    (tmp_path / "t.csv").write_text("ticket_id,created_at,Tags,Tags\n" + ROWS)
    result = run("validate", "t.csv", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr  # a note is no data error
    (note,) = [f for f in json.loads(result.stdout)["findings"] if f["column"] == "Tags"]
    assert note["kind"] == "note" and "appears 2 times" in note["effect"]
    report = json.loads(run("compute", "t.csv", "--format", "json", cwd=tmp_path).stdout)
    assert report["groups"][0]["kpis"]["ticket_volume"]["value"] == 2


def test_utf16_and_utf32_text_is_recognised_by_its_byte_order_mark(tmp_path):
    text = "ticket_id,created_at,vendor\nT1,2025-01-01T09:00:00Z,Ünïcode BPO\nT2,2025-01-02T09:00:00Z,Ünïcode BPO\n"
    for encoding in ("utf-16", "utf-32", "utf-16-be"):
        path = tmp_path / f"{encoding}.csv"
        data = text.encode(encoding)
        if encoding == "utf-16-be":
            data = b"\xfe\xff" + data  # the explicit codecs write no mark
        path.write_bytes(data)
        result = run("compute", path.name, "--by", "vendor", "--format", "json", cwd=tmp_path)
        assert result.returncode == 0, (encoding, result.stderr)
        (group,) = json.loads(result.stdout)["groups"]
        assert group["keys"]["vendor"] == "Ünïcode BPO" and group["kpis"]["ticket_volume"]["value"] == 2
        assert path.read_bytes() == data


def test_json_nested_beyond_reason_is_a_data_error(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    for name in ("deep.json", "deep.jsonl"):
        (tmp_path / name).write_text(deep)
        for command in ("compute", "validate"):
            result = run(command, name, cwd=tmp_path)
            assert result.returncode == 3, result.stderr
            assert f"{name}: nested too deeply" in result.stderr and "Traceback" not in result.stderr


def test_a_quoted_body_of_several_megabytes_is_read(tmp_path):
    body = "line of a long e-mail, with commas\\n" * 100_000  # 3.6 MB in one quoted field
    text = f'ticket_id,created_at,description\nT1,2025-01-01T09:00:00Z,"{body}"\nT2,2025-01-02T09:00:00Z,short\n'
    (tmp_path / "mail.csv").write_text(text)
    result = run("compute", "mail.csv", "-k", "ticket_volume", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["groups"][0]["kpis"]["ticket_volume"]["value"] == 2


def test_timestamps_and_durations_out_of_any_plausible_range_are_reported_not_used(tmp_path):
    (tmp_path / "t.csv").write_text(
        "ticket_id,created_at,resolved_at,talk_seconds,answered_at\n"
        "T1,2025-01-01T09:00:00Z,2025-01-01T10:00:00Z,60,2025-01-01T09:00:10Z\n"
        "T2,0000-01-01T00:00:00Z,2025-01-01T10:00:00Z,60,2025-01-01T09:00:10Z\n"  # year 0000
        "T3,2025-01-01T09:00:00Z,10000-01-01T00:00:00+02:00,60,2025-01-01T09:00:10Z\n"  # after 9999
        "T4,2025-01-01T09:00:00Z,2025-01-01T11:00:00Z,1e308,2025-01-01T09:00:10Z\n"
        "T5,2025-01-01T09:00:00Z,2025-01-01T11:00:00Z,NaN,2025-01-01T09:00:10Z\n"
    )
    for command in ("compute", "validate"):
        result = run(command, "t.csv", cwd=tmp_path)
        assert result.returncode in (0, 1), (command, result.stderr)
        assert "Traceback" not in result.stderr and "unexpected error" not in result.stderr
    report = json.loads(run("validate", "t.csv", "--format", "json", cwd=tmp_path).stdout)
    found = {f["column"]: sorted(e["value"] for e in f["examples"]) for f in report["findings"]}
    assert found["created_at"] == ["0000-01-01T00:00:00Z"]
    assert found["resolved_at"] == ["10000-01-01T00:00:00+02:00"]
    assert found["talk_seconds"] == ["1e308", "NaN"]
    kpis = json.loads(run("compute", "t.csv", "--format", "json", cwd=tmp_path).stdout)["groups"][0]["kpis"]
    # resolution: T1 1 h, T4 2 h, T5 2 h (median 2 h); T3's is unusable, T2 has no creation time
    assert kpis["resolution_time"]["n"] == 3 and kpis["resolution_time"]["value"] == pytest.approx(2.0)
    # talk: T1 and T3 (60 s each); T2 is left out of every KPI, T4's and T5's are unusable
    assert kpis["talk_time"]["n"] == 2 and kpis["talk_time"]["value"] == 60


def test_a_file_of_nul_bytes_after_its_header_is_a_clear_data_error(tmp_path):
    data = b"ticket_id,created_at\n" + b"\x00" * 200_000
    (tmp_path / "nul.csv").write_bytes(data)
    for command in ("compute", "validate"):
        result = run(command, "nul.csv", cwd=tmp_path)
        assert result.returncode == 3
        assert "nul.csv: not a text export: it holds NUL bytes (the first at byte 21)" in result.stderr
        assert "\x00" not in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "nul.csv").read_bytes() == data


def test_an_unknown_encoding_is_a_usage_error(tmp_path):
    (tmp_path / "t.csv").write_text("ticket_id,created_at\nT1,2025-01-01T09:00:00Z\n")
    result = run("compute", "t.csv", "--encoding", "nope", cwd=tmp_path)
    assert result.returncode == 2
    assert "--encoding 'nope': unknown encoding" in result.stderr and "unexpected error" not in result.stderr
