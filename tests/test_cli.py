"""End-to-end tests of the ``supportkpi`` command line, run as a subprocess so that exit codes,
stdout and stderr are the real ones (contract: docs/cli-conventions.md, docs/data-model.md).

Every expected number below is worked out by hand from the small data sets in this file; the
comments show how.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import tomllib
from pathlib import Path

import pytest
from cli_support import run

# --------------------------------------------------------------------------------------------
# The hand-made data set
# --------------------------------------------------------------------------------------------
#
#        created (UTC)     vendor channel  first reply       resolved           csat  nps
#   T1   Jan  6 09:00      Acme   email    Jan  6 10:00 (1h)  Jan  6 13:00 (4h)   5    10
#   T2   Jan  6 12:00      Acme   chat     Jan  6 14:00 (2h)  Jan  7 12:00 (24h)  4    -
#   T3   Jan 20 08:00      Beta   email    Jan 20 12:00 (4h)  -                   1     6
#   T4   Feb  3 10:00      Beta   email    Feb  3 20:00 (10h) Feb  4 16:00 (30h)  4     9
#   T5   Feb 10 09:00      Acme   email    -                  -                   3    -
#
# All contacts:
#   ticket_volume       5
#   first_response_time 1, 2, 4, 10 h (T5 has no reply: excluded 1), n 4
#                       median (2+4)/2 = 3.0, mean 17/4 = 4.25, p90 = ceil(0.9*4) = 4th = 10.0
#   resolution_time     4, 24, 30 h (T3, T5 unresolved: excluded 2), n 3
#                       median 24.0, mean 58/3, p90 = ceil(0.9*3) = 3rd = 30.0
#   resolution_rate     3 resolved of 5 = 60.0 %
#   csat (top-2-box)    answers 5,4,1,4,3: satisfied (>=4) 5,4,4 = 3 of 5 = 60.0 %
#   csat excl. neutral  the 3 is neutral: 3 satisfied / (3 + 1 dissatisfied) = 75.0 %, n 4
#   nps                 answers 10, 6, 9: 2 promoters - 1 detractor = 1 of 3 = 33.33 points
#   qa_score            no qa_score column: not available
#
# By vendor:
#   Acme (T1, T2, T5): volume 3, FRT 1, 2 -> median 1.5; csat 5,4,3 -> 2/3 = 66.67 %; nps 10 -> 100
#   Beta (T3, T4):     volume 2, FRT 4, 10 -> median 7.0, p90 ceil(1.8)=2nd = 10.0;
#                      csat 1,4 -> 1/2 = 50 %; nps 6, 9 -> (1-1)/2 = 0
#
# By month (created_at): 2025-01 = T1, T2, T3 (3), 2025-02 = T4, T5 (2);
#   csat Jan 5,4,1 -> 2/3 = 66.67 %, Feb 4,3 -> 1/2 = 50 %.

HEADER = ["ticket_id", "created_at", "vendor", "channel", "first_response_at", "resolved_at", "csat", "nps"]
ROWS = [
    ["T1", "2025-01-06T09:00:00Z", "Acme", "email", "2025-01-06T10:00:00Z", "2025-01-06T13:00:00Z", "5", "10"],
    ["T2", "2025-01-06T12:00:00Z", "Acme", "chat", "2025-01-06T14:00:00Z", "2025-01-07T12:00:00Z", "4", ""],
    ["T3", "2025-01-20T08:00:00Z", "Beta", "email", "2025-01-20T12:00:00Z", "", "1", "6"],
    ["T4", "2025-02-03T10:00:00Z", "Beta", "email", "2025-02-03T20:00:00Z", "2025-02-04T16:00:00Z", "4", "9"],
    ["T5", "2025-02-10T09:00:00Z", "Acme", "email", "", "", "3", ""],
]

DURATION_KPIS = ("first_response_time", "resolution_time")
STATS = ("mean", "median", "p90")


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def write_csv(path: Path, header: list[str] = HEADER, rows: list[list[str]] = ROWS) -> Path:
    path.write_text(csv_text(header, rows), encoding="utf-8")
    return path


@pytest.fixture
def tickets(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "tickets.csv")


def compute_json(*args: str, cwd: Path) -> dict:
    proc = run("compute", *args, "--format", "json", cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def by_keys(doc: dict) -> dict[tuple, dict]:
    """JSON groups keyed by the tuple of their key values."""
    return {tuple(g["keys"].values()): g["kpis"] for g in doc["groups"]}


def assert_one_line_error(proc: subprocess.CompletedProcess, code: int) -> str:
    """Exit ``code``, nothing on stdout, exactly one line on stderr, no traceback."""
    assert proc.returncode == code, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("supportkpi: error: ")
    return lines[0]


# --------------------------------------------------------------------------------------------
# Version and help
# --------------------------------------------------------------------------------------------


def test_version_prints_project_version_and_exits_0(tmp_path):
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    proc = run("--version", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"supportkpi {pyproject['project']['version']}"


def test_help_lists_compute_and_exits_0(tmp_path):
    proc = run("--help", cwd=tmp_path)
    assert proc.returncode == 0
    assert "compute" in proc.stdout


def test_compute_help_lists_options_and_exits_0(tmp_path):
    proc = run("compute", "--help", cwd=tmp_path)
    assert proc.returncode == 0
    for option in ("--format", "--by", "--period", "--kpi", "--output", "--map", "--tz", "--strict"):
        assert option in proc.stdout


# --------------------------------------------------------------------------------------------
# Formats
# --------------------------------------------------------------------------------------------


def test_json_has_groups_inputs_and_data_quality(tickets, tmp_path):
    doc = compute_json(tickets, cwd=tmp_path)
    assert doc["inputs"] == [
        {"path": str(tickets), "format": "csv", "rows": 5, "source": "canonical", "confidence": 1.0}
    ]
    assert doc["data_quality"] == {"errors": 0, "findings": []}
    # without --by: one group with empty keys
    assert len(doc["groups"]) == 1
    assert doc["groups"][0]["keys"] == {}
    for kpi in doc["groups"][0]["kpis"].values():
        assert {"value", "unit", "n", "excluded"} <= kpi.keys()


def test_json_values_match_hand_computation(tickets, tmp_path):
    kpis = compute_json(tickets, cwd=tmp_path)["groups"][0]["kpis"]
    assert kpis["ticket_volume"]["value"] == 5
    assert kpis["resolution_rate"]["value"] == pytest.approx(60.0)  # 3 of 5
    assert kpis["resolution_rate"]["unit"] == "%"
    assert kpis["csat"]["value"] == pytest.approx(60.0)  # 3 of 5 answers >= 4
    assert kpis["csat"]["n"] == 5
    assert kpis["nps"]["value"] == pytest.approx(100 / 3)  # (2 - 1) / 3
    assert kpis["nps"]["n"] == 3
    assert kpis["nps"]["excluded"]["no answer"] == 2  # T2, T5


def test_json_duration_kpis_have_mean_median_p90_in_hours(tickets, tmp_path):
    kpis = compute_json(tickets, cwd=tmp_path)["groups"][0]["kpis"]
    frt = kpis["first_response_time"]
    assert frt["unit"] == "hours"
    assert frt["n"] == 4
    assert frt["excluded"]["no response yet"] == 1  # T5
    assert frt["value"] == pytest.approx(3.0)  # median of 1, 2, 4, 10
    assert frt["median"] == pytest.approx(3.0)
    assert frt["mean"] == pytest.approx(4.25)  # 17 / 4
    assert frt["p90"] == pytest.approx(10.0)  # nearest rank ceil(3.6) = 4th
    res = kpis["resolution_time"]
    assert res["unit"] == "hours"
    assert res["n"] == 3
    assert res["excluded"]["unresolved"] == 2  # T3, T5
    assert res["value"] == pytest.approx(24.0)  # median of 4, 24, 30
    assert res["mean"] == pytest.approx(58 / 3)
    assert res["p90"] == pytest.approx(30.0)  # nearest rank ceil(2.7) = 3rd


def test_csv_has_one_row_per_group_and_kpi_with_json_numbers_at_full_precision(tickets, tmp_path):
    doc = compute_json(tickets, "--by", "vendor", cwd=tmp_path)
    proc = run("compute", tickets, "--by", "vendor", "--format", "csv", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    groups = by_keys(doc)
    n_kpis = len(doc["groups"][0]["kpis"])
    assert len(rows) == len(groups) * n_kpis  # 2 vendors x every KPI
    assert {(r["vendor"], r["kpi"]) for r in rows} == {(v, k) for (v,), kpis in groups.items() for k in kpis}
    for row in rows:
        expected = groups[(row["vendor"],)][row["kpi"]]
        for column in ("value", *STATS):
            want = expected.get(column)
            if want is None:
                assert row[column] == ""
            else:
                assert float(row[column]) == want  # exact: full precision, not rounded
        assert int(row["n"]) == expected["n"]
        assert row["unit"] == expected["unit"]


def test_csv_values_match_hand_computation_by_vendor(tickets, tmp_path):
    proc = run("compute", tickets, "--by", "vendor", "--format", "csv", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    cell = {(r["vendor"], r["kpi"]): r for r in csv.DictReader(io.StringIO(proc.stdout))}
    assert float(cell["Acme", "csat"]["value"]) == pytest.approx(200 / 3)  # 5,4,3 -> 2 of 3
    assert float(cell["Beta", "csat"]["value"]) == pytest.approx(50.0)  # 1,4 -> 1 of 2
    assert float(cell["Beta", "first_response_time"]["value"]) == pytest.approx(7.0)  # (4+10)/2
    assert float(cell["Beta", "first_response_time"]["p90"]) == pytest.approx(10.0)


def test_markdown_is_a_pipe_table_with_the_same_kpis(tickets, tmp_path):
    kpis = compute_json(tickets, cwd=tmp_path)["groups"][0]["kpis"]
    proc = run("compute", tickets, "--format", "markdown", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    table, _, quality = proc.stdout.strip().partition("\n\n")
    assert quality.startswith("**Data quality:**")  # the counts travel with the table
    lines = table.splitlines()
    assert all(line.startswith("|") and line.endswith("|") for line in lines)
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    assert header[:2] == ["kpi", "value"]
    assert set(lines[1]) <= set("|-: ")  # the separator row
    body = {}
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        body[cells[0]] = dict(zip(header, cells))
    assert set(body) == set(kpis)
    assert body["ticket_volume"]["value"] == "5"
    assert body["csat"]["value"] == "60.00"
    assert body["first_response_time"]["value"] == "3 h"  # durations as people read them
    assert body["first_response_time"]["mean"] == "4 h 15 min"  # 4.25 h
    assert body["nps"]["value"] == "33.33"  # 100 / 3 rounded for reading


@pytest.mark.parametrize("by", [[], ["--by", "vendor,channel"]], ids=["all", "by-vendor-channel"])
def test_table_fits_100_columns(tickets, tmp_path, by):
    proc = run("compute", tickets, *by, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()
    assert max(len(line) for line in proc.stdout.splitlines()) <= 100


def test_table_shows_kpi_titles_values_and_not_available(tickets, tmp_path):
    proc = run("compute", tickets, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "\x1b[" not in out  # NO_COLOR: no escape codes
    for title in (
        "Ticket volume",
        "First response time",
        "Resolution time",
        "Customer satisfaction",
        "Net promoter score",
    ):
        assert title in out
    assert " 3 h " in out  # FRT median
    assert " 24 h " in out  # resolution time median
    assert "60.00 %" in out  # csat and resolution rate
    assert "+33.3 pts" in out  # nps
    assert "Not available" in out and "qa_score" in out


# --------------------------------------------------------------------------------------------
# Grouping, periods, KPI selection, output, inputs
# --------------------------------------------------------------------------------------------


def test_by_vendor_gives_one_group_per_vendor(tickets, tmp_path):
    doc = compute_json(tickets, "--by", "vendor", cwd=tmp_path)
    assert [g["keys"] for g in doc["groups"]] == [{"vendor": "Acme"}, {"vendor": "Beta"}]
    groups = by_keys(doc)
    assert groups["Acme",]["ticket_volume"]["value"] == 3
    assert groups["Beta",]["ticket_volume"]["value"] == 2
    assert groups["Acme",]["first_response_time"]["value"] == pytest.approx(1.5)  # (1+2)/2
    assert groups["Acme",]["nps"]["value"] == pytest.approx(100.0)  # one 10
    assert groups["Beta",]["nps"]["value"] == pytest.approx(0.0)  # 9 and 6 cancel


def test_by_vendor_and_channel_gives_each_combination(tickets, tmp_path):
    doc = compute_json(tickets, "--by", "vendor,channel", cwd=tmp_path)
    volumes = {k: v["ticket_volume"]["value"] for k, v in by_keys(doc).items()}
    # Acme/chat: T2; Acme/email: T1, T5; Beta/email: T3, T4
    assert volumes == {("Acme", "chat"): 1, ("Acme", "email"): 2, ("Beta", "email"): 2}
    assert all(list(g["keys"]) == ["vendor", "channel"] for g in doc["groups"])


def test_period_month_labels_groups_by_month(tickets, tmp_path):
    doc = compute_json(tickets, "--period", "month", cwd=tmp_path)
    assert [g["keys"] for g in doc["groups"]] == [{"period": "2025-01"}, {"period": "2025-02"}]
    groups = by_keys(doc)
    assert groups["2025-01",]["ticket_volume"]["value"] == 3  # T1, T2, T3
    assert groups["2025-02",]["ticket_volume"]["value"] == 2  # T4, T5
    assert groups["2025-01",]["csat"]["value"] == pytest.approx(200 / 3)  # 5,4,1
    assert groups["2025-02",]["csat"]["value"] == pytest.approx(50.0)  # 4,3


def test_kpi_option_selects_only_those_kpis(tickets, tmp_path):
    doc = compute_json(tickets, "--kpi", "csat,nps", cwd=tmp_path)
    kpis = doc["groups"][0]["kpis"]
    assert set(kpis) == {"csat", "nps"}
    assert kpis["csat"]["value"] == pytest.approx(60.0)


def test_output_writes_file_and_leaves_stdout_empty(tickets, tmp_path):
    target = tmp_path / "report.json"
    proc = run("compute", tickets, "--format", "json", "--output", target, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["groups"][0]["kpis"]["ticket_volume"]["value"] == 5


def test_dash_reads_csv_from_stdin(tmp_path):
    proc = run("compute", "-", "--format", "json", cwd=tmp_path, stdin=csv_text(HEADER, ROWS))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["inputs"][0]["path"] == "-"
    assert doc["inputs"][0]["rows"] == 5
    assert doc["groups"][0]["kpis"]["csat"]["value"] == pytest.approx(60.0)


def test_two_files_are_combined(tmp_path):
    first = write_csv(tmp_path / "part-1.csv", rows=ROWS[:3])
    second = write_csv(tmp_path / "part-2.csv", rows=ROWS[3:])
    doc = compute_json(first, second, cwd=tmp_path)
    assert [(i["path"], i["rows"]) for i in doc["inputs"]] == [(str(first), 3), (str(second), 2)]
    kpis = doc["groups"][0]["kpis"]
    assert kpis["ticket_volume"]["value"] == 5
    assert kpis["csat"]["value"] == pytest.approx(60.0)
    assert kpis["first_response_time"]["value"] == pytest.approx(3.0)


def test_glob_expands_to_matching_files(tmp_path):
    write_csv(tmp_path / "part-1.csv", rows=ROWS[:3])
    write_csv(tmp_path / "part-2.csv", rows=ROWS[3:])
    doc = compute_json("part-*.csv", cwd=tmp_path)
    assert [(i["path"], i["rows"]) for i in doc["inputs"]] == [("part-1.csv", 3), ("part-2.csv", 2)]
    assert doc["groups"][0]["kpis"]["ticket_volume"]["value"] == 5


# --------------------------------------------------------------------------------------------
# Column mapping, kpi.yaml, time zones
# --------------------------------------------------------------------------------------------

RENAMED_HEADER = ["Created time" if h == "created_at" else h for h in HEADER]


def test_map_option_maps_a_header_onto_created_at(tmp_path):
    export = write_csv(tmp_path / "export.csv", header=RENAMED_HEADER)
    doc = compute_json(export, "--map", "created_at=Created time", cwd=tmp_path)
    kpis = doc["groups"][0]["kpis"]
    assert kpis["ticket_volume"]["value"] == 5
    assert kpis["first_response_time"]["value"] == pytest.approx(3.0)  # created_at was used


def test_kpi_yaml_columns_in_current_directory_map_created_at(tmp_path):
    export = write_csv(tmp_path / "export.csv", header=RENAMED_HEADER)
    (tmp_path / "kpi.yaml").write_text('version: 1\ncolumns:\n  created_at: "Created time"\n')
    doc = compute_json(export, cwd=tmp_path)
    kpis = doc["groups"][0]["kpis"]
    assert kpis["ticket_volume"]["value"] == 5
    assert kpis["resolution_time"]["value"] == pytest.approx(24.0)


def test_config_csat_exclude_neutral_changes_csat(tickets, tmp_path):
    config = tmp_path / "conf" / "my-kpi.yaml"
    config.parent.mkdir()
    config.write_text("version: 1\nkpis:\n  csat:\n    variant: exclude_neutral\n")
    csat = compute_json(tickets, "--config", config, cwd=tmp_path)["groups"][0]["kpis"]["csat"]
    # the neutral 3 (T5) is left out: 3 satisfied of 4 = 75 % (default top_box gives 60 %)
    assert csat["value"] == pytest.approx(75.0)
    assert csat["n"] == 4
    assert csat["excluded"]["neutral answer"] == 1


# A: naive 23:30 on Jan 6; B: naive 00:30 on Jan 7; C: 23:30 UTC on Jan 6 (= 00:30 Berlin, Jan 7).
TZ_HEADER = ["ticket_id", "created_at"]
TZ_ROWS = [["A", "2025-01-06 23:30:00"], ["B", "2025-01-07 00:30:00"], ["C", "2025-01-06T23:30:00Z"]]


def test_period_day_in_utc_by_default(tmp_path):
    data = write_csv(tmp_path / "tz.csv", TZ_HEADER, TZ_ROWS)
    doc = compute_json(data, "--period", "day", "--kpi", "ticket_volume", cwd=tmp_path)
    volumes = {k: v["ticket_volume"]["value"] for k, v in by_keys(doc).items()}
    assert volumes == {("2025-01-06",): 2, ("2025-01-07",): 1}  # A, C | B


def test_tz_berlin_moves_the_day_boundary_to_berlin_midnight(tmp_path):
    data = write_csv(tmp_path / "tz.csv", TZ_HEADER, TZ_ROWS)
    doc = compute_json(data, "--period", "day", "--tz", "Europe/Berlin", "--kpi", "ticket_volume", cwd=tmp_path)
    assert doc["parameters"]["timezone"] == "Europe/Berlin"
    volumes = {k: v["ticket_volume"]["value"] for k, v in by_keys(doc).items()}
    # naive A and B are Berlin wall-clock times and stay on their days; C (23:30Z) is 00:30 in
    # Berlin, past the boundary (Berlin midnight = 23:00Z), so it moves to Jan 7.
    assert volumes == {("2025-01-06",): 1, ("2025-01-07",): 2}


def test_tz_reads_naive_timestamps_as_local_time(tmp_path):
    data = write_csv(
        tmp_path / "tz.csv",
        ["ticket_id", "created_at", "first_response_at"],
        [["A", "2025-01-06 10:00:00", "2025-01-06T10:00:00Z"]],
    )
    utc = compute_json(data, "--kpi", "first_response_time", cwd=tmp_path)
    berlin = compute_json(data, "--kpi", "first_response_time", "--tz", "Europe/Berlin", cwd=tmp_path)
    # UTC: 10:00 -> 10:00Z is 0 h; Berlin (UTC+1 in January): created 09:00Z -> 1 h
    assert utc["groups"][0]["kpis"]["first_response_time"]["value"] == pytest.approx(0.0)
    assert berlin["groups"][0]["kpis"]["first_response_time"]["value"] == pytest.approx(1.0)


# --------------------------------------------------------------------------------------------
# Spreadsheet safety and "not available"
# --------------------------------------------------------------------------------------------


def test_csv_output_neutralises_formula_from_data(tmp_path):
    data = write_csv(
        tmp_path / "evil.csv",
        ["ticket_id", "created_at", "vendor"],
        [["T1", "2025-01-06T09:00:00Z", '=HYPERLINK("x")'], ["T2", "2025-01-06T10:00:00Z", "Acme"]],
    )
    proc = run("compute", data, "--by", "vendor", "--kpi", "ticket_volume", "--format", "csv", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    vendors = [r["vendor"] for r in csv.DictReader(io.StringIO(proc.stdout))]
    assert sorted(vendors) == sorted(['\'=HYPERLINK("x")', "Acme"])


def test_missing_column_kpi_is_not_available_in_json_never_zero(tickets, tmp_path):
    qa = compute_json(tickets, cwd=tmp_path)["groups"][0]["kpis"]["qa_score"]
    assert qa["available"] is False
    assert qa["needs"] == ["qa_score"]
    assert qa["value"] is None
    assert qa["status"].startswith("not available")


def test_missing_column_kpi_is_blank_in_csv_never_zero(tickets, tmp_path):
    proc = run("compute", tickets, "--format", "csv", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    row = next(r for r in csv.DictReader(io.StringIO(proc.stdout)) if r["kpi"] == "qa_score")
    assert row["value"] == ""
    assert row["status"].startswith("not available")


# --------------------------------------------------------------------------------------------
# Usage and configuration errors: exit 2
# --------------------------------------------------------------------------------------------


def test_missing_file_exits_2(tmp_path):
    line = assert_one_line_error(run("compute", "nope.csv", cwd=tmp_path), 2)
    assert "nope.csv" in line


def test_unknown_format_exits_2(tickets, tmp_path):
    line = assert_one_line_error(run("compute", tickets, "--format", "xml", cwd=tmp_path), 2)
    assert "xml" in line and "json" in line


def test_unknown_kpi_exits_2_with_did_you_mean(tickets, tmp_path):
    line = assert_one_line_error(run("compute", tickets, "--kpi", "csta", cwd=tmp_path), 2)
    assert "csta" in line
    assert "did you mean 'csat'" in line


def test_unknown_by_column_exits_2(tickets, tmp_path):
    line = assert_one_line_error(run("compute", tickets, "--by", "vendro", cwd=tmp_path), 2)
    assert "vendro" in line and "vendor" in line


def test_unknown_period_exits_2(tickets, tmp_path):
    line = assert_one_line_error(run("compute", tickets, "--period", "fortnight", cwd=tmp_path), 2)
    assert "fortnight" in line and "month" in line


def test_bad_map_syntax_exits_2(tickets, tmp_path):
    line = assert_one_line_error(run("compute", tickets, "--map", "created_at", cwd=tmp_path), 2)
    assert "--map" in line and "created_at" in line


@pytest.mark.parametrize(
    "args, option",
    [
        (["--separator", ";;"], "--separator ';;'"),
        (["--input-format", "xml"], "--input-format 'xml'"),
        (["--breaches", "--separator", ";;"], "--separator ';;'"),
    ],
)
def test_bad_reading_option_exits_2_before_the_header_is_read(tickets, tmp_path, args, option):
    # the interval-report sniff reads each header with these options: they are checked first
    line = assert_one_line_error(run("compute", tickets, *args, cwd=tmp_path), 2)
    assert option in line


def test_separator_escape_reads_a_tab_separated_file(tmp_path):
    data = tmp_path / "tickets.txt"
    data.write_text(csv_text(HEADER, ROWS).replace(",", "\t"))
    doc = compute_json(data, "--separator", "\\t", "--kpi", "ticket_volume", cwd=tmp_path)
    assert doc["groups"][0]["kpis"]["ticket_volume"]["value"] == len(ROWS)


def test_bad_tz_exits_2(tickets, tmp_path):
    line = assert_one_line_error(run("compute", tickets, "--tz", "Mars/Olympus", cwd=tmp_path), 2)
    assert "Mars/Olympus" in line


def test_kpi_yaml_unknown_key_exits_2_with_line_number(tickets, tmp_path):
    config = tmp_path / "kpi.yaml"
    # line 1 version, 2 kpis, 3 csat, 4 the misspelt key
    config.write_text("version: 1\nkpis:\n  csat:\n    varaint: exclude_neutral\n")
    line = assert_one_line_error(run("compute", tickets, "--config", config, cwd=tmp_path), 2)
    assert "kpi.yaml:4" in line
    assert "varaint" in line


@pytest.mark.parametrize(
    "row2, args",
    [
        ("T2,2025-01-06T10:00:00Z,email,oops", []),  # 4 fields, the header 3
        ("T2,2025-01-06T10:00:00Z,email,oops", ["--by", "channel"]),  # reads the last column
        ("T2,2025-01-06T10:00:00Z", ["--by", "channel"]),  # 2 fields: polars would pad it
    ],
    ids=["extra-field", "extra-field-last-column-read", "missing-field"],
)
def test_ragged_row_exits_3_naming_file_and_row(tmp_path, row2, args):
    data = tmp_path / "ragged.csv"
    data.write_text(
        f"ticket_id,created_at,channel\nT1,2025-01-06T09:00:00Z,email\n{row2}\nT3,2025-01-06T11:00:00Z,chat\n"
    )
    line = assert_one_line_error(run("compute", data, *args, cwd=tmp_path), 3)
    assert "ragged.csv" in line and "row 2" in line


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_unwritable_output_exits_3(tickets, tmp_path, fmt):
    target = tmp_path / "no-such-dir" / "report.out"
    line = assert_one_line_error(run("compute", tickets, "--format", fmt, "--output", target, cwd=tmp_path), 3)
    assert "report.out" in line
    assert not target.exists()


def bad_timestamp_file(tmp_path: Path) -> Path:
    # T3's first_response_at (data row 3) cannot be parsed
    rows = [list(r) for r in ROWS]
    rows[2][4] = "not-a-date"
    return write_csv(tmp_path / "bad-ts.csv", rows=rows)


def test_strict_with_unparseable_timestamp_exits_3_without_report(tmp_path):
    data = bad_timestamp_file(tmp_path)
    proc = run("compute", data, "--strict", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 3, proc.stderr
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("supportkpi: error: ") and "--strict" in last


def test_unparseable_timestamp_without_strict_exits_0_and_names_file_row_column(tmp_path):
    data = bad_timestamp_file(tmp_path)
    proc = run("compute", data, "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "bad-ts.csv" in proc.stderr
    assert "row 3" in proc.stderr
    assert "first_response_at" in proc.stderr
    assert "not-a-date" in proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["data_quality"]["errors"] == 1
    frt = doc["groups"][0]["kpis"]["first_response_time"]
    # T3 left out: replies after 1, 2, 10 h -> median 2.0, n 3
    assert frt["excluded"]["unparseable first_response_at"] == 1
    assert frt["n"] == 3
    assert frt["value"] == pytest.approx(2.0)


def test_csv_and_table_carry_the_data_quality_counts(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("ticket_id,created_at,csat\nT1,2025-01-15T10:00:00Z,5\nT2,yesterday,4\nT1,2025-01-16T10:00:00Z,1\n")
    # 2 of the 3 rows are left out: above the default 50 %, which would add its warning
    proc = run("compute", path, "--format", "csv", "-q", "--kpi", "csat", "--max-left-out", "70%", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    quality = [r for r in rows if r["kpi"] == "data_quality"]
    # one unparseable created_at (row 2), one repeated id (row 3)
    assert sorted((r["value"], r["excluded_detail"].split(" in column")[0]) for r in quality) == [
        ("1", "duplicate ticket_id"),
        ("1", "unparseable value"),
    ]
    table = run("compute", path, "-q", "--kpi", "csat", cwd=tmp_path)
    assert "Data quality:" in table.stdout and "duplicate ticket_id" in table.stdout


def test_validate_reports_findings_and_exits_1(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("ticket_id,created_at,csat\nT1,2025-01-15T10:00:00Z,9\nT2,2025-01-15T11:00:00Z,4\n")
    proc = run("validate", path, "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    (finding,) = report["findings"]
    assert (finding["kind"], finding["column"], finding["count"]) == ("off-scale value", "csat", 1)
    assert finding["examples"] == [{"file": str(path), "row": 1, "value": "9.0"}]
    assert "csat" in report["kpis_available"] and "aht" in report["kpis_not_available"]
    clean = tmp_path / "ok.csv"
    clean.write_text("ticket_id,created_at\nT1,2025-01-15T10:00:00Z\n")
    assert run("validate", clean, cwd=tmp_path).returncode == 0


def test_vendor_per_file_from_kpi_yaml_match(tmp_path):
    # two exports from two helpdesks; kpi.yaml names the vendor of each file pattern
    fixtures = Path(__file__).parent / "fixtures" / "sources"
    (tmp_path / "kpi.yaml").write_text(
        "version: 1\nvendors:\n  Zen: {match: ['*zendesk.json']}\n  Fresh: {match: ['*freshdesk.csv']}\n"
    )
    proc = run(
        "compute",
        fixtures / "zendesk.json",
        fixtures / "freshdesk.csv",
        "--by",
        "vendor",
        "--kpi",
        "ticket_volume",
        "--format",
        "json",
        "-q",
        "--tz",
        "Europe/Berlin",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    volumes = {g["keys"]["vendor"]: g["kpis"]["ticket_volume"]["value"] for g in json.loads(proc.stdout)["groups"]}
    # the fixtures hold 9 Zendesk tickets (one of them deleted, so left out) and 10 Freshdesk
    # tickets; Freshdesk's rows know nothing of Zendesk's deleted-ticket rule and all count
    assert volumes == {"Zen": 8, "Fresh": 10}
