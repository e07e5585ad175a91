"""`supportkpi check` and `supportkpi scorecard` end to end: exit codes of
docs/cli-conventions.md, the JUnit file, and every view showing the same numbers.

The data set (vendor, csat): Acme 5, 4, 2 -> 2 of 3 satisfied = 66.67 %; Beta 5, 5, 4 -> 100 %.
First response: Acme 1 h, 3 h, 5 h -> median 3 h; Beta 6 h, 6 h, 7 h -> median 6 h.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from cli_support import run

ROWS = [
    # ticket, vendor, created, first reply, csat
    ("1", "Acme", "2025-03-03T08:00:00Z", "2025-03-03T09:00:00Z", 5),
    ("2", "Acme", "2025-03-03T08:00:00Z", "2025-03-03T11:00:00Z", 4),
    ("3", "Acme", "2025-03-03T08:00:00Z", "2025-03-03T13:00:00Z", 2),
    ("4", "Beta", "2025-03-03T08:00:00Z", "2025-03-03T14:00:00Z", 5),
    ("5", "Beta", "2025-03-03T08:00:00Z", "2025-03-03T14:00:00Z", 5),
    ("6", "Beta", "2025-03-03T08:00:00Z", "2025-03-03T15:00:00Z", 4),
]


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "contacts.csv"
    lines = ["ticket_id,vendor,created_at,first_response_at,csat"]
    lines += [",".join(map(str, row)) for row in ROWS]
    path.write_text("\n".join(lines) + "\n")
    return path


def write_config(tmp_path: Path, targets: str) -> Path:
    path = tmp_path / "kpi.yaml"
    path.write_text("version: 1\ntargets:\n" + targets)
    return path


PASSING = "  - {kpi: csat, warn: 60, fail: 50}\n"
WARNING = "  - {kpi: first_response_time, warn: 4h, fail: 8h}\n"  # Beta 6 h: warn
FAILING = "  - {kpi: csat, warn: 80, fail: 70}\n"  # Acme 66.67 %: fail


@pytest.mark.parametrize(
    ("targets", "extra", "code"),
    [
        (PASSING, [], 0),
        (PASSING + WARNING, [], 0),
        (PASSING + WARNING, ["--fail-on", "warn"], 4),
        (FAILING + WARNING, ["--fail-on", "warn"], 1),
        (FAILING, [], 1),
        ("  - {kpi: csat, warn: 60, min_sample: 10}\n", [], 0),  # insufficient -> warn
        ("  - {kpi: csat, warn: 60, min_sample: 10}\n", ["--insufficient", "error"], 3),
        ("  - {kpi: csat, warn: 60, min_sample: 10}\n", ["--insufficient", "skip", "--fail-on", "warn"], 0),
        ("  - {kpi: csat, warn: 60, min_sample: 10, insufficient: error}\n", [], 3),
    ],
)
def test_check_exit_codes(export, tmp_path, targets, extra, code):
    config = write_config(tmp_path, targets)
    result = run("check", export, "--config", config, *extra, cwd=tmp_path)
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_check_prints_what_failed_and_warned_as_words(export, tmp_path):
    config = write_config(tmp_path, FAILING + WARNING)
    result = run("check", export, "--config", config, cwd=tmp_path)
    assert result.returncode == 1
    out = result.stdout
    assert "FAIL" in out and "WARN" in out and "66.67 %" in out and " 6 h " in out
    assert "check: 1 FAIL, 1 WARN, 2 PASS — exit 1" in out


def test_a_target_the_exports_cannot_measure_is_an_error_by_default(export, tmp_path):
    config = write_config(tmp_path, PASSING + "  - {kpi: aht, warn: 300}\n")  # no call columns
    result = run("check", export, "--config", config, cwd=tmp_path)
    assert result.returncode == 3 and "ERROR" in result.stdout and "needs" in result.stdout
    assert run("check", export, "--config", config, "--missing", "warn", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize(
    ("body", "why"),
    [("", "no rows to read"), ("1,garbage,A,5\n", "none of the 1 rows of")],
)
def test_an_export_with_nothing_to_judge_fails_the_gate(tmp_path, body, why):
    path = tmp_path / "empty.csv"
    path.write_text("ticket_id,created_at,vendor,csat\n" + body)
    config = write_config(tmp_path, PASSING)
    result = run("check", path, "--config", config, cwd=tmp_path)
    assert result.returncode == 3 and why in result.stderr


def test_usage_errors_win_over_data_errors(tmp_path):
    (tmp_path / "kpi.yaml").write_text("version: 1\n")
    (tmp_path / "bad.csv").write_text("ticket_id,csat\n1,5\n")  # no created_at: a data error
    result = run("check", tmp_path / "bad.csv", "--config", tmp_path / "kpi.yaml", cwd=tmp_path)
    assert result.returncode == 2 and "no `targets:`" in result.stderr
    config = write_config(tmp_path, PASSING)
    result = run("check", tmp_path / "bad.csv", "--config", config, "--as-of", "soon", cwd=tmp_path)
    assert result.returncode == 2 and "--as-of" in result.stderr


def test_check_bad_config_exits_2_with_the_line(export, tmp_path):
    config = write_config(tmp_path, "  - {kpi: csat, warn: 60}\n  - {kpi: cast, warn: 1}\n")
    result = run("check", export, "--config", config, cwd=tmp_path)
    assert result.returncode == 2
    assert "kpi.yaml:4:" in result.stderr and "unknown KPI 'cast'" in result.stderr


def test_check_without_targets_is_a_usage_error(export, tmp_path):
    (tmp_path / "kpi.yaml").write_text("version: 1\n")
    result = run("check", export, "--config", tmp_path / "kpi.yaml", cwd=tmp_path)
    assert result.returncode == 2 and "no `targets:`" in result.stderr


def test_check_unreadable_input_exits_3(tmp_path):
    config = write_config(tmp_path, PASSING)
    (tmp_path / "bad.csv").write_text('ticket_id,csat\n"1,5\n')
    result = run("check", tmp_path / "bad.csv", "--config", config, cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr


def test_check_missing_file_exits_2(tmp_path):
    config = write_config(tmp_path, PASSING)
    result = run("check", tmp_path / "nope.csv", "--config", config, cwd=tmp_path)
    assert result.returncode == 2


def test_junit_file_parses_and_holds_the_right_counts(export, tmp_path):
    config = write_config(tmp_path, FAILING + WARNING + "  - {kpi: nps, warn: 0}\n")
    report = tmp_path / "junit.xml"
    result = run("check", export, "--config", config, "--junit", report, "--missing", "skip", cwd=tmp_path)
    assert result.returncode == 1
    suite = ET.parse(report).getroot().find("testsuite")
    # 2 vendors x 3 checks; csat fails for Acme; nps has no column -> not available -> skipped x2
    assert {k: suite.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "6",
        "failures": "1",
        "errors": "0",
        "skipped": "2",
    }
    names = [(c.get("classname"), c.get("name")) for c in suite.iter("testcase")]
    assert len(set(names)) == 6
    (failure,) = suite.iter("failure")
    assert "66.67 %" in failure.get("message") and "70 %" in failure.get("message")


def test_github_format_points_at_the_targets_line(export, tmp_path, monkeypatch):
    config = write_config(tmp_path, PASSING + FAILING.replace("csat,", "csat, name: csat_contract,"))
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    result = run(
        "check",
        export,
        "--config",
        config,
        "--format",
        "github",
        cwd=tmp_path,
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert result.returncode == 1
    (line,) = [x for x in result.stdout.splitlines() if x.startswith("::error")]
    assert "file=kpi.yaml," in line and ",line=4," in line and "66.67 %25" in line  # relative to the checkout
    assert summary.read_text().startswith("earlier step\n") and "csat_contract" in summary.read_text()


def test_json_carries_outcomes_and_the_exit_code(export, tmp_path):
    config = write_config(tmp_path, FAILING)
    result = run("check", export, "--config", config, "--format", "json", cwd=tmp_path)
    body = json.loads(result.stdout)
    assert body["check"]["exit_code"] == 1 == result.returncode
    outcomes = {g["keys"]["vendor"]: g["checks"][0]["outcome"] for g in body["groups"]}
    assert outcomes == {"Acme": "fail", "Beta": "pass"}


# --- scorecard ----------------------------------------------------------------------------------


def test_scorecard_views_show_the_same_numbers(export, tmp_path):
    config = write_config(tmp_path, FAILING + WARNING)
    as_json = json.loads(run("scorecard", export, "--config", config, "-f", "json", cwd=tmp_path).stdout)
    as_csv = list(
        csv.DictReader(io.StringIO(run("scorecard", export, "--config", config, "-f", "csv", cwd=tmp_path).stdout))
    )
    table = run("scorecard", export, "--config", config, cwd=tmp_path).stdout
    markdown = run("scorecard", export, "--config", config, "-f", "markdown", cwd=tmp_path).stdout
    checks = [
        (g["keys"]["vendor"], c["name"], c["value"], c["status"], g["score"])
        for g in as_json["groups"]
        for c in g["checks"]
    ]
    assert checks == [
        # Acme: csat fail (0), first response 3 h pass (100) -> 50; Beta: csat pass, 6 h warn -> 75
        ("Acme", "csat", pytest.approx(200 / 3), "fail", 50.0),
        ("Acme", "first_response_time", 3.0, "pass", 50.0),
        ("Beta", "csat", 100.0, "pass", 75.0),
        ("Beta", "first_response_time", 6.0, "warn", 75.0),
    ]
    assert [(r["vendor"], r["check"], float(r["value"]), r["status"], float(r["score"])) for r in as_csv] == checks
    for view in (table, markdown):
        for text in ("66.67 %", "3 h", "100.0 %", "6 h", "score 50.0 / 100", "score 75.0 / 100"):
            assert text in view
        for word in ("FAIL", "PASS", "WARN"):
            assert word in view


def test_scorecard_html_is_written_to_a_file(export, tmp_path):
    config = write_config(tmp_path, FAILING)
    out = tmp_path / "card.html"
    result = run("scorecard", export, "--config", config, "-f", "html", "-o", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert out.read_text().lstrip().lower().startswith("<!doctype html>")


def test_scorecard_by_none_judges_all_contacts_together(export, tmp_path):
    config = write_config(tmp_path, FAILING)
    body = json.loads(run("scorecard", export, "--config", config, "--by", "none", "-f", "json", cwd=tmp_path).stdout)
    # 5 of 6 satisfied = 83.33 %
    (group,) = body["groups"]
    assert group["keys"] == {} and group["checks"][0]["value"] == pytest.approx(500 / 6)


def test_scorecard_vendor_names_are_not_markup_or_formulas(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("ticket_id,created_at,vendor,csat\n1,2025-01-01T00:00:00Z,[bold]=HYPERLINK(1),5\n")
    config = write_config(tmp_path, "  - {kpi: csat, warn: 60}\n")
    table = run("scorecard", path, "--config", config, cwd=tmp_path).stdout
    assert "[bold]=HYPERLINK(1)" in table
    as_csv = run("scorecard", path, "--config", config, "-f", "csv", cwd=tmp_path).stdout
    assert "[bold]=HYPERLINK(1)" in as_csv  # starts with "[": harmless in a spreadsheet
    path.write_text("ticket_id,created_at,vendor,csat\n1,2025-01-01T00:00:00Z,=HYPERLINK(1),5\n")
    as_csv = run("scorecard", path, "--config", config, "-f", "csv", cwd=tmp_path).stdout
    assert "'=HYPERLINK(1)" in as_csv


# --- documented examples ------------------------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent


def test_guide_targets_example_is_a_valid_kpi_yaml():
    from supportkpi.config import parse_config
    from supportkpi.targets import build_checks

    text = (REPO / "docs" / "configuration.md").read_text()
    section = text.split("\n## Targets\n", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    checks = build_checks(parse_config(block))
    assert [c.name for c in checks] == ["csat", "first_response_time.p90"]


def test_example_config_checks_the_example_data(tmp_path):
    result = run(
        "check",
        REPO / "examples/contacts.csv",
        "--config",
        REPO / "examples/kpi.yaml",
        "--format",
        "json",
        "-q",
        cwd=tmp_path,
    )
    body = json.loads(result.stdout)
    assert result.returncode == body["check"]["exit_code"] in (0, 1, 4)
    vendors = {g["keys"]["vendor"] for g in body["groups"]}
    assert {"Acme BPO", "Contoso Care", "Fabrikam Helpdesk", "Northwind Support"} <= vendors


def test_scorecard_benchmark_figures_with_their_source(export, tmp_path):
    own = tmp_path / "bench.yaml"
    own.write_text(
        "name: mine\ntitle: Ours\nbenchmarks:\n"
        "  - {kpi: csat, value: 82, statistic: median, segment: retail, source: Panel, year: 2024}\n"
    )
    config = write_config(tmp_path, FAILING + WARNING)
    table = run("scorecard", export, "--config", config, "--benchmark", own, cwd=tmp_path).stdout
    assert "Benchmark csat: 82 % (median, retail; Panel, 2024)" in table
    body = json.loads(
        run("scorecard", export, "--config", config, "--benchmark", own, "-f", "json", cwd=tmp_path).stdout
    )
    assert body["benchmark"]["figures"] == [
        {
            "check": "csat",
            "channel": None,
            "value": 82.0,
            "unit": "%",
            "statistic": "median",
            "segment": "retail",
            "source": "Panel",
            "year": 2024,
        }
    ]
    bad = run("scorecard", export, "--config", config, "--benchmark", tmp_path / "none.yaml", cwd=tmp_path)
    assert bad.returncode == 2
