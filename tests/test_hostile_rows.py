"""Broken rows and hostile compressed input (issue 17, items 2 and 5): one row check for every
input path (plain, quoted, gzip, standard input, any size), gzip read as a stream with a
decompression limit, standard input checked like a file."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from cli_support import run
from hypothesis import given, settings
from hypothesis import strategies as st

from supportkpi.loading import compressed, rowcheck

HEADER = "ticket_id,created_at,channel\n"
GOOD = "T1,2025-01-15T10:00:00Z,email\nT3,2025-01-15T12:00:00Z,chat\n"
TRUNCATED_LAST = HEADER + GOOD + "T4,2025-01-15T13:00:00Z"  # the export cut off mid-row


def volume(result) -> int:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["groups"][0]["kpis"]["ticket_volume"]["value"]


# --- standard input is checked like a file -------------------------------------------------


def test_a_truncated_last_row_on_stdin_is_an_error_as_in_a_file(tmp_path):
    (tmp_path / "t.csv").write_text(TRUNCATED_LAST)
    for source, stdin in (("t.csv", None), ("-", TRUNCATED_LAST)):
        result = run("compute", source, "-k", "ticket_volume", cwd=tmp_path, stdin=stdin)
        assert result.returncode == 3, (source, result.stderr)
        assert f"{source}: row 3 (line 4): 2 fields, expected 3 as in the header" in result.stderr
        assert "Traceback" not in result.stderr


def test_a_row_with_too_many_fields_on_stdin_names_its_row(tmp_path):
    text = HEADER + "T1,2025-01-15T10:00:00Z,email,extra\n" + GOOD
    result = run("validate", "-", cwd=tmp_path, stdin=text)
    assert result.returncode == 3
    assert "-: row 1 (line 2): 4 fields, expected 3 as in the header" in result.stderr


def test_a_quoted_field_left_open_on_stdin_is_an_error(tmp_path):
    text = HEADER + GOOD + 'T4,2025-01-15T13:00:00Z,"chat\n'
    result = run("compute", "-", "-k", "ticket_volume", cwd=tmp_path, stdin=text)
    assert result.returncode == 3
    assert "-: row 3 (line 4): a quoted field is not closed before the end of the file" in result.stderr


def test_good_stdin_is_read_and_its_spool_removed_at_exit(tmp_path):
    spools = tmp_path / "tmp"
    spools.mkdir()
    result = run(
        "compute", "-", "-k", "ticket_volume", "--format", "json",
        cwd=tmp_path, stdin=HEADER + GOOD, env={"TMPDIR": str(spools)}, subprocess=True,
    )  # fmt: skip
    assert volume(result) == 2
    assert list(spools.iterdir()) == []


# --- quoted files: every size, unterminated quotes, large fields ----------------------------


def test_a_quoted_field_left_open_at_the_end_of_a_file_is_an_error(tmp_path):
    (tmp_path / "t.csv").write_text(HEADER + GOOD + 'T4,2025-01-15T13:00:00Z,"chat\nT5,2025-01-15T14:00:00Z,email\n')
    result = run("compute", "t.csv", "-k", "ticket_volume", cwd=tmp_path)
    assert result.returncode == 3
    assert "t.csv: row 3 (line 4): a quoted field is not closed before the end of the file" in result.stderr


def test_a_truncated_row_in_a_quoted_export_over_64_mib_is_an_error(tmp_path):
    # every field quoted (as Salesforce writes), 65 MiB: the old check skipped such files
    row = b'"T%07d","2025-01-15T10:00:00Z","a, quoted ""email"" channel"\n'
    rows = (65 * 2**20) // len(row % 0)
    data = b'"ticket_id","created_at","channel"\n' + b"".join(row % i for i in range(rows))
    (tmp_path / "big.csv").write_bytes(data + b'"T9999999","2025-01-15T10:00:00Z"\n')
    result = run("validate", "big.csv", cwd=tmp_path)
    assert result.returncode == 3
    assert f"big.csv: row {rows + 1} (line {rows + 2}): 2 fields, expected 3 as in the header" in result.stderr


@pytest.mark.parametrize("name", ["mail.csv", "mail.csv.gz", "-"])
def test_an_export_with_quoted_bodies_of_several_megabytes_is_read(tmp_path, name):
    body = 'Hello,\n\nthe "order" 12, item 3;\r\nregards\n' * 150_000  # 6 MB, quotes, commas, line breaks
    quoted = '"' + body.replace('"', '""') + '"'
    text = f"ticket_id,created_at,description\nT1,2025-01-01T09:00:00Z,{quoted}\nT2,2025-01-02T09:00:00Z,{quoted}\n"
    if name.endswith(".gz"):
        (tmp_path / name).write_bytes(gzip.compress(text.encode()))
    elif name != "-":
        (tmp_path / name).write_text(text, newline="")
    result = run("compute", name, "-k", "ticket_volume", "--format", "json", cwd=tmp_path, stdin=text)
    assert volume(result) == 2


# --- gzip: streamed once, limited, damage named ---------------------------------------------


def test_a_truncated_row_in_a_gzip_export_is_an_error(tmp_path):
    (tmp_path / "t.csv.gz").write_bytes(gzip.compress(TRUNCATED_LAST.encode()))
    result = run("compute", "t.csv.gz", cwd=tmp_path)
    assert result.returncode == 3
    assert "t.csv.gz: row 3 (line 4): 2 fields, expected 3 as in the header" in result.stderr


def test_a_gzip_bomb_stops_at_the_limit_with_a_clear_error(tmp_path):
    # 8 MiB of blank lines after a header compress to ~8 KB: 1000 times; the limit lowered to 2
    # allows 2 MiB (the compressed size counts as 1 MiB at least)
    (tmp_path / "bomb.csv.gz").write_bytes(gzip.compress(HEADER.encode() + b"\n" * (8 << 20)))
    for command in ("compute", "validate"):
        result = run(command, "bomb.csv.gz", cwd=tmp_path, env={"SUPPORTKPI_GZIP_RATIO": "2"})
        assert result.returncode == 3, result.stderr
        assert "bomb.csv.gz: decompresses to more than 2 MiB, 2 times its compressed size" in result.stderr
        assert "SUPPORTKPI_GZIP_RATIO" in result.stderr and "Traceback" not in result.stderr


def test_the_default_limit_reads_an_ordinary_gzip_export(tmp_path):
    text = HEADER + "".join(f"T{i},2025-01-15T10:00:00Z,email\n" for i in range(40_000))  # 1.3 MB, 13:1
    (tmp_path / "t.csv.gz").write_bytes(gzip.compress(text.encode()))
    assert volume(run("compute", "t.csv.gz", "-k", "ticket_volume", "--format", "json", cwd=tmp_path)) == 40_000


def test_a_limit_that_is_no_number_is_a_usage_error(tmp_path):
    (tmp_path / "t.csv.gz").write_bytes(gzip.compress((HEADER + GOOD).encode()))
    result = run("compute", "t.csv.gz", cwd=tmp_path, env={"SUPPORTKPI_GZIP_RATIO": "lots"})
    assert result.returncode == 2
    assert "SUPPORTKPI_GZIP_RATIO='lots': expected a whole number" in result.stderr


def test_a_corrupt_gzip_body_is_a_data_error(tmp_path):
    packed = bytearray(gzip.compress((HEADER + GOOD * 2000).encode()))
    packed[40:60] = b"\xff" * 20  # a valid gzip header, damaged deflate data
    (tmp_path / "t.csv.gz").write_bytes(bytes(packed))
    for command in ("compute", "validate"):
        result = run(command, "t.csv.gz", cwd=tmp_path)
        assert result.returncode == 3, result.stderr
        assert "t.csv.gz: not a readable gzip file" in result.stderr and "Traceback" not in result.stderr


def test_a_gzip_input_is_decompressed_once_as_a_stream(tmp_path, monkeypatch):
    import supportkpi

    def whole(*_):
        raise AssertionError("a gzip input decompressed whole into memory")

    monkeypatch.setattr(gzip, "decompress", whole)
    monkeypatch.setattr(zlib, "decompress", whole)
    calls = []
    streamed = compressed.gunzip
    monkeypatch.setattr(compressed, "gunzip", lambda path: calls.append(path) or streamed(path))
    path = tmp_path / "t.csv.gz"
    path.write_bytes(gzip.compress((HEADER + GOOD).encode()))
    loaded = supportkpi.load([str(path)])
    assert loaded.frame.select("ticket_id").collect().to_series().to_list() == ["T1", "T3"]
    assert calls == [str(path)]


# --- the block check against Python's csv parser --------------------------------------------

FIELD = st.one_of(
    st.text(alphabet="ab ,\n\"'", max_size=6).map(lambda v: '"' + v.replace('"', '""') + '"'),
    st.text(alphabet="ab 1", max_size=4),
)
ROWS = st.lists(st.lists(FIELD, min_size=1, max_size=4), max_size=8)


def reference(text: str) -> str | None:
    """The first bad row by Python's csv parser, as ``row N (line L)``."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = next(reader)
    first_line = reader.line_num + 1
    try:
        for number, row in enumerate(reader, start=1):
            if row and len(row) != len(header):
                return f"row {number} (line {first_line}): {len(row)} fields"
            first_line = reader.line_num + 1
    except csv.Error:
        return "open quote"
    return None


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=4), ROWS, st.sampled_from(["\n", "\r\n"]), st.booleans(), st.integers(1, 40))
def test_the_block_check_finds_the_row_the_csv_parser_finds(tmp_path_factory, columns, rows, newline, cut_short, block):
    header = ",".join(f"h{i}" for i in range(columns))
    text = newline.join([header, *(",".join(row) for row in rows)]) + newline
    if cut_short:
        text = text[: len(text) * 2 // 3]
    path = tmp_path_factory.mktemp("rows") / "t.csv"
    path.write_text(text, newline="")
    expected = reference(text)
    saved = rowcheck.BLOCK_BYTES, rowcheck.SMALL_BYTES
    # the block check (every file taken as large), then the csv parser's (every file small)
    for small in (-1, 1 << 40):
        rowcheck.BLOCK_BYTES, rowcheck.SMALL_BYTES = block, small  # rows across block boundaries
        try:
            found = rowcheck.problem(str(path), ",")
        finally:
            rowcheck.BLOCK_BYTES, rowcheck.SMALL_BYTES = saved
        if expected == "open quote":
            assert found is not None and "a quoted field is not closed" in found
        elif expected is None:
            assert found is None
        else:
            assert found is not None and found.startswith(expected), (found, expected)


def test_the_copies_of_a_run_are_removed_at_exit(tmp_path):
    (tmp_path / "t.csv.gz").write_bytes(gzip.compress((HEADER + GOOD).encode()))
    spools = tmp_path / "tmp"
    spools.mkdir()
    environment = {**os.environ, "TMPDIR": str(spools), "PYTHONPATH": os.pathsep.join(sys.path)}
    script = "import supportkpi; supportkpi.load(['t.csv.gz']).frame.collect()"
    subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=environment, check=True, timeout=120)
    assert list(Path(spools).iterdir()) == []


def test_a_truncated_row_in_an_interval_report_is_an_error(tmp_path):
    fixture = Path(__file__).parent / "fixtures" / "intervals" / "acd_interval_report.csv"
    lines = fixture.read_text().splitlines(keepends=True)
    (tmp_path / "acd.csv").write_text("".join(lines[:3]) + lines[3][: len(lines[3]) // 2] + "\n")
    result = run("compute", "acd.csv", cwd=tmp_path)
    assert result.returncode == 3
    assert "acd.csv: row 3 (line 4):" in result.stderr and "expected 15 as in the header" in result.stderr
