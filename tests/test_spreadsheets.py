"""Spreadsheet workbooks as inputs (loading/spreadsheets.py): the first sheet with data, every
cell read as text and typed as a CSV file's would be, rows named as the sheet numbers them."""

from __future__ import annotations

import json
import sys

import pytest
from cli_support import run
from xlsx_support import Date, write_xlsx

from supportkpi.errors import UsageError
from supportkpi.loading import readers, spreadsheets

HEADER = ["ticket_id", "created_at", "first_response_at", "channel"]
# created 2024-01-01 10:30 (serial 45292.4375, a date cell), answered 11:00 (text): 0.5 h;
# created 10:00 (text), answered 2024-01-02 12:00 (serial 45293.5): 2 h; a bad date on sheet row 4
ROWS = [
    ["1", Date(45292.4375), "2024-01-01 11:00", "email"],
    [2, "2024-01-02 10:00", Date(45293.5), "chat"],
    [3, "not a date", None, "email"],
]


def compute(path, tmp_path, *args: str):
    result = run("compute", str(path), "--format", "json", *args, cwd=tmp_path)
    return result, json.loads(result.stdout) if result.stdout.strip() else None


def test_a_workbook_is_read_as_text_and_typed_like_csv(tmp_path):
    path = write_xlsx(tmp_path / "tickets.xlsx", [HEADER, *ROWS])
    result, report = compute(path, tmp_path)
    assert result.returncode == 0, result.stderr
    assert report["inputs"][0]["format"] == "xlsx"
    kpis = report["groups"][0]["kpis"]
    assert kpis["ticket_volume"]["value"] == 2
    assert kpis["ticket_volume"]["excluded"]["unparseable created_at"] == 1
    # Excel's date cells come out as ISO text, which the typing reads: 0.5 h and 2 h
    frt = kpis["first_response_time"]
    assert (frt["n"], frt["value"], frt["mean"]) == (2, pytest.approx(1.25), pytest.approx(1.25))
    # the bad value is named by its row on the sheet (the header is row 1)
    assert "tickets.xlsx, row 4, value 'not a date'" in result.stderr


def test_the_first_sheet_with_rows_is_read(tmp_path):
    path = write_xlsx(tmp_path / "book.xlsx", [], [HEADER, *ROWS[:2]], [HEADER, *ROWS])
    _, report = compute(path, tmp_path)
    assert report["groups"][0]["kpis"]["ticket_volume"]["value"] == 2


def test_input_format_xlsx_reads_a_workbook_of_any_name(tmp_path):
    path = write_xlsx(tmp_path / "download.bin", [HEADER, *ROWS[:2]])
    assert run("compute", str(path), cwd=tmp_path).returncode == 2  # no format from the name
    result, report = compute(path, tmp_path, "--input-format", "xlsx")
    assert result.returncode == 0, result.stderr
    assert report["groups"][0]["kpis"]["ticket_volume"]["value"] == 2


@pytest.mark.parametrize("name", ["a.xlsx", "a.XLSM", "a.xls", "a.ods"])
def test_workbook_names_are_read_by_the_workbook_reader(name):
    assert readers.detect_format(name) == "xlsx"


def test_a_workbook_on_standard_input_is_told_by_its_first_bytes(tmp_path):
    data = write_xlsx(tmp_path / "a.xlsx", [HEADER]).read_bytes()
    assert readers.detect_format(readers.STDIN, data) == "xlsx"
    assert readers.detect_format(readers.STDIN, b"\xd0\xcf\x11\xe0legacy") == "xlsx"
    assert readers.detect_format(readers.STDIN, b"ticket_id,created_at\n") == "csv"


def test_a_damaged_workbook_is_a_data_error(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip archive")
    result = run("compute", str(path), cwd=tmp_path)
    assert result.returncode == 3
    assert "broken.xlsx: cannot read as a spreadsheet workbook" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_fastexcel_reading_a_workbook_says_what_to_install(tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "tickets.xlsx", [HEADER, *ROWS])
    monkeypatch.setitem(sys.modules, "fastexcel", None)  # import fastexcel raises ImportError
    with pytest.raises(UsageError, match=r"pip install 'supportkpi\[excel\]'"):
        spreadsheets.read_sheet(str(path), str(path))
    result = run("compute", str(path), cwd=tmp_path)
    assert result.returncode == 2
    assert "tickets.xlsx: reading a spreadsheet workbook needs the optional 'fastexcel' package" in result.stderr
    assert "pip install 'supportkpi[excel]'" in result.stderr
