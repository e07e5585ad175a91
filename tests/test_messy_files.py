"""Messy real files (issue 3, "supportkpi validate"): UTF-8 with BOM, Windows-1252, ``;``-separated
European Excel exports with decimal commas, quoted newlines inside fields, trailing empty columns,
headers with spaces or different case, truncated rows. Each either loads correctly or fails with
a message that says what to pass.

Each class is tested through the Python API (``supportkpi.load`` + ``supportkpi.compute``) and
through ``supportkpi validate FILE --format json`` (exit 0 clean, 1 findings, 3 unreadable).
Every expected value is worked out by hand in the comments.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cli_support import run

import supportkpi
from supportkpi.errors import DataError

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "sources"


def validate(path: Path, *args: str) -> tuple[subprocess.CompletedProcess, dict | None]:
    proc = run("validate", path.name, *args, "--format", "json", cwd=path.parent)
    report = json.loads(proc.stdout) if proc.returncode in (0, 1) else None
    return proc, report


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def kpis_of(loaded) -> dict:
    return supportkpi.compute(loaded.frame, inputs=loaded.inputs).groups[0].kpis


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def visible(frame) -> list[str]:
    return [c for c in frame.columns if not c.startswith("_")]


# --------------------------------------------------------------------------------------------
# UTF-8 with a byte-order mark (Excel's "CSV UTF-8")
# --------------------------------------------------------------------------------------------
#
# EF BB BF then the header: the first header must read "ticket_id", not "\ufeffticket_id"
# (else the required column would be missing). 2 rows, both clean.
BOM = b"\xef\xbb\xbf" + (
    b"ticket_id,created_at,channel,csat\nB1,2025-01-15T10:00:00Z,email,5\nB2,2025-01-15T11:00:00Z,chat,2\n"
)


def test_bom_loads_with_ticket_id_first(tmp_path):
    loaded = supportkpi.load([str(write(tmp_path, "bom.csv", BOM))])
    frame = loaded.frame.collect()
    assert visible(frame)[0] == "ticket_id"
    assert not any("\ufeff" in c for c in frame.columns)
    assert loaded.inputs[0].source == "canonical"
    assert frame["ticket_id"].to_list() == ["B1", "B2"]
    kpis = kpis_of(loaded)
    assert kpis["ticket_volume"].value == 2
    # csat 5, 2: satisfied (>= 4) 1 of 2 = 50 %
    assert kpis["csat"].value == pytest.approx(50.0)


def test_bom_validates_clean(tmp_path):
    proc, report = validate(write(tmp_path, "bom.csv", BOM))
    assert proc.returncode == 0, proc.stderr
    assert report["columns_found"][0] == "ticket_id"
    assert {"ticket_id", "created_at", "channel", "csat"} <= set(report["columns_found"])
    assert report["extra_columns"] == []
    assert report["inputs"][0]["rows"] == 2
    assert report["findings"] == []


def test_bom_before_a_preset_export_keeps_its_first_header(tmp_path):
    # Freshdesk's CSV re-saved by Excel as "CSV UTF-8": its first header "Ticket ID" (the
    # preset's ticket_id) must survive the BOM; the fixture has 10 tickets, 1001..1010
    data = b"\xef\xbb\xbf" + (FIXTURES / "freshdesk.csv").read_bytes()
    loaded = supportkpi.load([str(write(tmp_path, "freshdesk_bom.csv", data))])
    assert loaded.inputs[0].source == "freshdesk"
    frame = loaded.frame.collect()
    assert frame["ticket_id"].to_list() == [str(n) for n in range(1001, 1011)]


# --------------------------------------------------------------------------------------------
# Windows-1252
# --------------------------------------------------------------------------------------------
#
# "Müller" in cp1252 is 4D FC 6C 6C 65 72: FC alone is not UTF-8. Without --encoding the read
# must fail (exit 3) saying to pass --encoding; with --encoding windows-1252 the name is right.
CP1252 = (
    "ticket_id,created_at,agent,channel\nW1,2025-01-15T10:00:00Z,Müller,email\nW2,2025-01-15T11:00:00Z,Désirée,phone\n"
).encode("cp1252")


def test_cp1252_bytes_are_not_utf8():
    assert b"M\xfcller" in CP1252
    with pytest.raises(UnicodeDecodeError):
        CP1252.decode("utf-8")


def test_cp1252_without_encoding_api_says_pass_encoding(tmp_path):
    path = write(tmp_path, "cp1252.csv", CP1252)
    with pytest.raises(DataError, match="--encoding") as caught:
        kpis_of(supportkpi.load([str(path)]))
    assert caught.value.exit_code == 3


def test_cp1252_without_encoding_validate_says_pass_encoding(tmp_path):
    proc, _ = validate(write(tmp_path, "cp1252.csv", CP1252))
    assert proc.returncode == 3
    assert "--encoding" in proc.stderr
    assert "cp1252.csv" in proc.stderr


def test_cp1252_without_encoding_validate_fails_with_exit_3(tmp_path):
    # the part of the contract that holds today: unreadable, exit 3, nothing on stdout
    proc, _ = validate(write(tmp_path, "cp1252.csv", CP1252))
    assert proc.returncode == 3
    assert proc.stdout == ""


def test_cp1252_without_encoding_compute_says_pass_encoding(tmp_path):
    write(tmp_path, "cp1252.csv", CP1252)
    proc = run("compute", "cp1252.csv", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 3
    # the first undecodable byte is on line 2 (the header is ASCII)
    assert "cp1252.csv: line 2" in proc.stderr
    assert "--encoding" in proc.stderr


def test_cp1252_with_encoding_loads_the_names(tmp_path):
    path = write(tmp_path, "cp1252.csv", CP1252)
    loaded = supportkpi.load([str(path)], encoding="windows-1252")
    frame = loaded.frame.collect()
    assert frame["agent"].to_list() == ["Müller", "Désirée"]
    assert frame["channel"].to_list() == ["email", "phone"]
    assert kpis_of(loaded)["ticket_volume"].value == 2


def test_cp1252_with_encoding_validates_clean(tmp_path):
    proc, report = validate(write(tmp_path, "cp1252.csv", CP1252), "--encoding", "windows-1252")
    assert proc.returncode == 0, proc.stderr
    assert report["inputs"][0]["rows"] == 2
    assert "agent" in report["columns_found"]
    assert report["findings"] == []


def test_cp1252_names_reach_the_report(tmp_path):
    # An unknown channel written in cp1252, "Büro", is reported decoded (lowercased: "büro"):
    # proof that --encoding reaches the values, not only the headers.
    data = "ticket_id,created_at,channel\nW1,2025-01-15T10:00:00Z,Büro\n".encode("cp1252")
    proc, report = validate(write(tmp_path, "buero.csv", data), "--encoding", "windows-1252")
    assert proc.returncode == 1, proc.stderr
    [finding] = report["findings"]
    assert finding["column"] == "channel"
    assert finding["examples"][0]["value"].lower() == "büro"
    assert finding["examples"][0]["row"] == 1


# --------------------------------------------------------------------------------------------
# ;-separated European Excel export with decimal commas
# --------------------------------------------------------------------------------------------
#
#   row  ticket_id  first_response_seconds  csat
#    1   E1         90,5  -> 90.5            4,5 -> 4.5
#    2   E2         30                       3
#    3   E3         120                      5
#
# Default (decimal comma on for ;-files):
#   first_response_time: 30, 90.5, 120 s -> median 90.5 s = 90.5/3600 h = 0.0251389 h, n 3
#   csat top-box (>= 4): 4.5 is a fraction on the whole-number 1-5 scale, off-scale (issue 17);
#   5 satisfied, 3 not: 1 of 2 = 50 % (with kpis.csat.fractions: true, 2 of 3 = 66.67 %)
# With --decimal-point: "90,5" and "4,5" are unparseable, row 1 leaves both KPIs:
#   first_response_time: 30, 120 -> median 75 s = 75/3600 h = 0.0208333 h, n 2
#   csat: 3, 5 -> 1 of 2 = 50 %
EUROPEAN = (
    "ticket_id;created_at;channel;first_response_seconds;csat\n"
    "E1;2025-02-03T09:00:00Z;email;90,5;4,5\n"
    "E2;2025-02-03T10:00:00Z;chat;30;3\n"
    "E3;2025-02-03T11:00:00Z;phone;120;5\n"
)


def test_european_export_separator_and_decimal_comma(tmp_path):
    loaded = supportkpi.load([str(write(tmp_path, "eu.csv", EUROPEAN))])
    frame = loaded.frame.collect()
    # the separator was found: five columns, not one called "ticket_id;created_at;..."
    assert visible(frame) == ["ticket_id", "created_at", "channel", "first_response_seconds", "csat"]
    assert frame["first_response_seconds"].to_list() == [90.5, 30.0, 120.0]
    assert frame["csat"].to_list() == [4.5, 3.0, 5.0]
    assert frame["created_at"].to_list() == [utc(2025, 2, 3, 9), utc(2025, 2, 3, 10), utc(2025, 2, 3, 11)]
    kpis = kpis_of(loaded)
    assert kpis["first_response_time"].value == pytest.approx(90.5 / 3600)
    assert kpis["first_response_time"].n == 3
    assert kpis["csat"].value == pytest.approx(50.0)
    assert kpis["csat"].excluded["off-scale value"] == 1


def test_european_export_with_decimal_point_leaves_4_5_unparseable(tmp_path):
    loaded = supportkpi.load([str(write(tmp_path, "eu.csv", EUROPEAN))], decimal_comma=False)
    frame = loaded.frame.collect()
    assert frame["csat"].to_list() == [None, 3.0, 5.0]
    assert frame["_invalid_csat"].to_list() == ["4,5", None, None]
    assert frame["first_response_seconds"].to_list() == [None, 30.0, 120.0]
    kpis = kpis_of(loaded)
    assert kpis["first_response_time"].value == pytest.approx(75 / 3600)
    assert kpis["first_response_time"].n == 2
    assert kpis["csat"].value == pytest.approx(50.0)
    assert kpis["csat"].excluded["unparseable csat"] == 1


def test_european_export_validates_clean(tmp_path):
    # its ratings are averages (4,5): said so in kpi.yaml, a 4.5 is no finding
    (tmp_path / "kpi.yaml").write_text("kpis:\n  csat:\n    fractions: true\n", encoding="utf-8")
    proc, report = validate(write(tmp_path, "eu.csv", EUROPEAN))
    assert proc.returncode == 0, proc.stderr
    assert {"channel", "first_response_seconds", "csat"} <= set(report["columns_found"])
    assert report["inputs"][0]["rows"] == 3
    assert report["findings"] == []


def test_european_export_validate_with_decimal_point(tmp_path):
    proc, report = validate(write(tmp_path, "eu.csv", EUROPEAN), "--decimal-point")
    assert proc.returncode == 1, proc.stderr
    findings = {f["column"]: f for f in report["findings"]}
    assert set(findings) == {"first_response_seconds", "csat"}
    for column, raw in (("first_response_seconds", "90,5"), ("csat", "4,5")):
        assert findings[column]["kind"] == "unparseable value"
        assert findings[column]["count"] == 1
        assert findings[column]["examples"] == [{"file": "eu.csv", "row": 1, "value": raw}]


def test_comma_separated_file_with_decimal_comma_flag(tmp_path):
    # A ,-separated file must quote "4,5"; decimal commas are off by default there (4,5 is
    # unparseable) and --decimal-comma turns them on (4.5)
    path = write(tmp_path, "quoted.csv", 'ticket_id,created_at,csat\nQ1,2025-02-03T09:00:00Z,"4,5"\n')
    assert supportkpi.load([str(path)]).frame.collect()["csat"].to_list() == [None]
    assert supportkpi.load([str(path)], decimal_comma=True).frame.collect()["csat"].to_list() == [4.5]


def test_european_resave_of_a_preset_export(tmp_path):
    # zendesk_csv fixture re-saved with ; and a decimal comma: ticket 48101's "First reply time
    # in minutes" 95 becomes 95,5 -> first_response_seconds 95.5 * 60 = 5730 s
    with open(FIXTURES / "zendesk_csv.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("First reply time in minutes")
    assert rows[1][column] == "95"
    rows[1][column] = "95,5"
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    loaded = supportkpi.load([str(write(tmp_path, "zendesk_eu.csv", out.getvalue()))])
    assert loaded.inputs[0].source == "zendesk_csv"
    frame = loaded.frame.collect()
    assert frame["first_response_seconds"][0] == pytest.approx(5730.0)
    assert frame["_invalid_first_response_seconds"][0] is None


# --------------------------------------------------------------------------------------------
# Quoted newlines inside fields
# --------------------------------------------------------------------------------------------
#
# 4 physical data lines, 3 rows: N1's comment spans two lines. Row numbers are rows, not lines.
NEWLINES = (
    "ticket_id,created_at,comment\n"
    'N1,2025-01-15T10:00:00Z,"Cannot log in,\nplease help"\n'
    "N2,2025-01-15T11:00:00Z,plain\n"
    'N3,2025-01-15T12:00:00Z,"also ""quoted"""\n'
)


def test_quoted_newlines_load_with_the_right_row_count(tmp_path):
    loaded = supportkpi.load([str(write(tmp_path, "newlines.csv", NEWLINES))])
    frame = loaded.frame.collect()
    assert frame.height == 3
    assert frame["ticket_id"].to_list() == ["N1", "N2", "N3"]
    assert frame["_row"].to_list() == [1, 2, 3]
    assert frame["comment"].to_list() == ["Cannot log in,\nplease help", "plain", 'also "quoted"']
    assert kpis_of(loaded)["ticket_volume"].value == 3


def test_quoted_newlines_validate_clean(tmp_path):
    proc, report = validate(write(tmp_path, "newlines.csv", NEWLINES))
    assert proc.returncode == 0, proc.stderr
    assert report["inputs"][0]["rows"] == 3
    assert report["extra_columns"] == ["comment"]
    assert report["findings"] == []


# A comment of three lines: the middle line holds no quote character. Still 2 rows.
THREE_LINES = (
    "ticket_id,created_at,comment\n"
    'N1,2025-01-15T10:00:00Z,"Hello,\nthe app crashes\nwhen I log in"\n'
    "N2,2025-01-15T11:00:00Z,plain\n"
)


def test_quoted_field_of_three_lines_loads(tmp_path):
    loaded = supportkpi.load([str(write(tmp_path, "three.csv", THREE_LINES))])
    frame = loaded.frame.collect()
    assert frame["ticket_id"].to_list() == ["N1", "N2"]
    assert frame["comment"][0] == "Hello,\nthe app crashes\nwhen I log in"


def test_quoted_field_of_three_lines_validates_clean(tmp_path):
    proc, report = validate(write(tmp_path, "three.csv", THREE_LINES))
    assert proc.returncode == 0, proc.stderr
    assert report["inputs"][0]["rows"] == 2


# --------------------------------------------------------------------------------------------
# Trailing empty columns
# --------------------------------------------------------------------------------------------
#
# Header "ticket_id,created_at,channel,," has two unnamed columns (Excel's trailing
# separators): dropped, leaving exactly the three named ones.
TRAILING = "ticket_id,created_at,channel,,\nT1,2025-01-15T10:00:00Z,email,,\nT2,2025-01-15T11:00:00Z,chat,,\n"


def test_trailing_empty_columns_are_dropped(tmp_path):
    loaded = supportkpi.load([str(write(tmp_path, "trailing.csv", TRAILING))])
    frame = loaded.frame.collect()
    assert visible(frame) == ["ticket_id", "created_at", "channel"]
    assert frame["channel"].to_list() == ["email", "chat"]
    assert kpis_of(loaded)["ticket_volume"].value == 2


def test_trailing_empty_columns_validate_clean(tmp_path):
    proc, report = validate(write(tmp_path, "trailing.csv", TRAILING))
    assert proc.returncode == 0, proc.stderr
    assert report["extra_columns"] == []
    assert report["inputs"][0]["rows"] == 2
    assert report["findings"] == []


# --------------------------------------------------------------------------------------------
# Headers with spaces or different case
# --------------------------------------------------------------------------------------------
#
#   " Ticket ID "              -> ticket_id    (trimmed, lowercased, space -> _)
#   "CREATED_AT"               -> created_at
#   "Channel"                  -> channel
#   "First Response Seconds"   -> first_response_seconds
# FRT 60 s and 180 s: median 120 s = 120/3600 h = 0.0333 h
HEADERS = (
    " Ticket ID ,CREATED_AT,Channel,First Response Seconds\n"
    "H1,2025-01-15T10:00:00Z,Email,60\n"
    "H2,2025-01-15T11:00:00Z,CHAT,180\n"
)


def test_headers_with_spaces_and_case_are_canonical(tmp_path):
    loaded = supportkpi.load([str(write(tmp_path, "headers.csv", HEADERS))])
    assert loaded.inputs[0].source == "canonical"
    frame = loaded.frame.collect()
    assert visible(frame) == ["ticket_id", "created_at", "channel", "first_response_seconds"]
    assert frame["ticket_id"].to_list() == ["H1", "H2"]
    assert frame["channel"].to_list() == ["email", "chat"]
    assert frame["created_at"].to_list() == [utc(2025, 1, 15, 10), utc(2025, 1, 15, 11)]
    assert kpis_of(loaded)["first_response_time"].value == pytest.approx(120 / 3600)


def test_headers_with_spaces_and_case_validate_clean(tmp_path):
    proc, report = validate(write(tmp_path, "headers.csv", HEADERS))
    assert proc.returncode == 0, proc.stderr
    assert report["inputs"][0]["source"] == "canonical"
    assert report["columns_found"] == ["ticket_id", "created_at", "channel", "first_response_seconds"]
    assert report["extra_columns"] == []
    assert "first_response_time" in report["kpis_available"]
    assert report["findings"] == []


# --------------------------------------------------------------------------------------------
# Truncated rows
# --------------------------------------------------------------------------------------------
#
# Row 2 (line 3: the header is line 1) has 2 fields where the header has 3.
TRUNCATED = (
    "ticket_id,created_at,channel\n"
    "T1,2025-01-15T10:00:00Z,email\n"
    "T2,2025-01-15T11:00:00Z\n"
    "T3,2025-01-15T12:00:00Z,chat\n"
)


def test_truncated_row_is_an_error_naming_row_and_line(tmp_path):
    path = write(tmp_path, "truncated.csv", TRUNCATED)
    with pytest.raises(DataError) as caught:
        kpis_of(supportkpi.load([str(path)]))
    message = str(caught.value)
    assert caught.value.exit_code == 3
    assert "truncated.csv" in message
    assert "row 2 (line 3)" in message
    assert "2 fields, expected 3" in message


def test_truncated_row_validate_exits_3(tmp_path):
    proc, _ = validate(write(tmp_path, "truncated.csv", TRUNCATED))
    assert proc.returncode == 3
    assert "truncated.csv: row 2 (line 3)" in proc.stderr
    assert proc.stdout == ""


# Salesforce's Data Loader quotes every field. Row 2 (line 3) lost its channel.
TRUNCATED_QUOTED = (
    '"ticket_id","created_at","channel"\n'
    '"T1","2025-01-15T10:00:00Z","email"\n'
    '"T2","2025-01-15T11:00:00Z"\n'
    '"T3","2025-01-15T12:00:00Z","chat"\n'
)


def test_truncated_row_in_a_fully_quoted_export_is_an_error(tmp_path):
    path = write(tmp_path, "quoted.csv", TRUNCATED_QUOTED)
    with pytest.raises(DataError, match=r"row 2 \(line 3\)"):
        kpis_of(supportkpi.load([str(path)]))


# Row 1 spans lines 2-3 (a quoted newline); row 2, on line 4, is truncated.
TRUNCATED_AFTER_NEWLINE = (
    "ticket_id,created_at,comment\n"
    'T1,2025-01-15T10:00:00Z,"line one\nline two"\n'
    "T2,2025-01-15T11:00:00Z\n"
    "T3,2025-01-15T12:00:00Z,ok\n"
)


def test_truncated_row_after_a_quoted_newline_names_the_right_row(tmp_path):
    path = write(tmp_path, "after.csv", TRUNCATED_AFTER_NEWLINE)
    with pytest.raises(DataError, match=r"row 2 \(line 4\)"):
        kpis_of(supportkpi.load([str(path)]))


def test_truncated_row_with_encoding_is_an_error(tmp_path):
    data = ("ticket_id,created_at,agent\nW1,2025-01-15T10:00:00Z,Müller\nW2,2025-01-15T11:00:00Z\n").encode("cp1252")
    path = write(tmp_path, "cp_truncated.csv", data)
    with pytest.raises(DataError, match=r"row 2 \(line 3\)"):
        kpis_of(supportkpi.load([str(path)], encoding="windows-1252"))
