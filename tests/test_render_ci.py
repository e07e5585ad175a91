"""The CI renderers of `supportkpi check` (JUnit XML, GitHub workflow commands and job summary)
and the CI examples under examples/ci.

Every expected value is worked out by hand from the small frame below."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import polars as pl
import pytest
import yaml

from supportkpi.config import Config, parse_config
from supportkpi.errors import DataError
from supportkpi.render import github, junit
from supportkpi.scorecard import scorecard
from supportkpi.targets import exit_code

ROOT = Path(__file__).resolve().parents[1]
CI = ROOT / "examples" / "ci"

# line numbers (1-based) are written next to the lines annotations must point at
KPI_YAML = """\
vendors:
  Acme BPO: {}
  Northwind: {}
targets:
  - kpi: csat
    warn: 80
    fail: 70
  - kpi: escalation_rate
    warn: 10
    fail: 30
    overrides:
      - vendor: Northwind
        fail: 60
  - kpi: qa_score
    warn: 80
    fail: 60
    min_sample: 5
    insufficient: skip
  - kpi: nps
    warn: 30
    fail: 0
    min_sample: 4
    insufficient: error
"""
CSAT_LINE = 5  # "  - kpi: csat"
ESCALATION_LINE = 8  # "  - kpi: escalation_rate"
NORTHWIND_OVERRIDE_LINE = 12  # "      - vendor: Northwind"
QA_LINE = 14  # "  - kpi: qa_score"
NPS_LINE = 19  # "  - kpi: nps"

# Acme BPO (3 contacts)
#   csat 5, 4, 2           -> 2 of 3 satisfied = 66.67 %  < fail 70            -> fail
#   escalated none of 3    -> 0 %                        <= warn 10           -> pass
#   qa_score 90 x 3        -> n = 3 < min_sample 5, insufficient: skip        -> skip
#   nps 10, 9, 0           -> n = 3 < min_sample 4, insufficient: error       -> error
# Northwind (4 contacts)
#   csat 5, 5, 4, 1        -> 3 of 4 = 75 %, below warn 80, not below fail 70 -> warn
#   escalated 2 of 4       -> 50 % > warn 10, not > fail 60 (override)        -> warn
#   qa_score 70 x 4        -> n = 4 < min_sample 5                            -> skip
#   nps 10, 10, 9, 0       -> (3 promoters - 1 detractor) / 4 = 50 >= warn 30 -> pass
FRAME = pl.DataFrame(
    {
        "ticket_id": [f"T{i}" for i in range(7)],
        "vendor": ["Acme BPO"] * 3 + ["Northwind"] * 4,
        "csat": [5, 4, 2, 5, 5, 4, 1],
        "escalated": [False, False, False, True, True, False, False],
        "qa_score": [90, 90, 90, 70, 70, 70, 70],
        "nps": [10, 9, 0, 10, 10, 9, 0],
    }
)
EXPECTED = {
    ("vendor=Acme BPO", "csat"): "fail",
    ("vendor=Acme BPO", "escalation_rate"): "pass",
    ("vendor=Acme BPO", "qa_score"): "skip",
    ("vendor=Acme BPO", "nps"): "error",
    ("vendor=Northwind", "csat"): "warn",
    ("vendor=Northwind", "escalation_rate"): "warn",
    ("vendor=Northwind", "qa_score"): "skip",
    ("vendor=Northwind", "nps"): "pass",
}


@pytest.fixture(scope="module")
def config():
    return parse_config(KPI_YAML, "kpi.yaml")


@pytest.fixture(scope="module")
def card(config):
    return scorecard(FRAME, config, by=["vendor"])


@pytest.fixture(scope="module")
def outcomes(card):
    return card.outcomes(insufficient="warn")


def _cases(xml_text: str) -> dict[tuple[str, str], ET.Element]:
    suite = ET.fromstring(xml_text).find("testsuite")
    cases = suite.findall("testcase")
    keys = [(c.get("classname"), c.get("name")) for c in cases]
    assert len(keys) == len(set(keys)), f"duplicate test names: {keys}"
    return dict(zip(keys, cases))


# -- the frame is what the comments say ---------------------------------------------------------


def test_hand_worked_outcomes(outcomes):
    got = {(junit.group_label(r.keys, ["vendor"]), r.testcase): o for r, o in outcomes}
    assert got == EXPECTED
    assert exit_code([o for _, o in outcomes]) == 3


# -- JUnit --------------------------------------------------------------------------------------


def test_junit_counts_match_the_hand_counted_outcomes(card, outcomes):
    text = junit.render(card, outcomes)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(text)
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    assert suite.get("name") == "supportkpi check"
    expected = {"tests": "8", "failures": "1", "errors": "1", "skipped": "2"}
    for element in (root, suite):
        assert {k: element.get(k) for k in expected} == expected
    cases = _cases(text)
    assert set(cases) == set(EXPECTED)
    for key, outcome in EXPECTED.items():
        children = {child.tag for child in cases[key]}
        assert (
            children
            == {
                "pass": set(),
                "warn": {"system-out"},
                "fail": {"failure"},
                "error": {"error"},
                "skip": {"skipped"},
            }[outcome]
        ), key


def test_junit_messages_state_value_level_target_and_n(card, outcomes):
    cases = _cases(junit.render(card, outcomes))
    failure = cases[("vendor=Acme BPO", "csat")].find("failure")
    assert failure.get("type") == "fail"
    assert failure.get("message") == "csat 66.67 % below fail level 70 % (warn 80 %), n = 3"
    assert "target: 80 %" in failure.text
    skipped = cases[("vendor=Acme BPO", "qa_score")].find("skipped")
    assert skipped.get("message") == "insufficient data: n = 3 < min_sample 5"
    error = cases[("vendor=Acme BPO", "nps")].find("error")
    assert error.get("message") == "nps: insufficient data: n = 3 < min_sample 4"
    warn = cases[("vendor=Northwind", "escalation_rate")].find("system-out")
    assert warn.text.startswith("WARN escalation_rate 50.00 % above warn level 10 % (fail 60 %), n = 4")
    assert "levels from override: vendor=Northwind" in warn.text


def test_junit_fail_on_warn_turns_warnings_into_failures(card, outcomes):
    text = junit.render(card, outcomes, fail_on="warn")
    suite = ET.fromstring(text).find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped")) == (
        "8",
        "3",
        "1",
        "2",
    )
    cases = _cases(text)
    failure = cases[("vendor=Northwind", "csat")].find("failure")
    assert failure.get("type") == "warn"
    assert failure.get("message") == "csat 75.00 % below warn level 80 % (fail 70 %), n = 4"
    assert cases[("vendor=Northwind", "csat")].find("system-out") is None
    assert cases[("vendor=Acme BPO", "csat")].find("failure").get("type") == "fail"


def test_junit_escapes_data_and_keeps_names_unique():
    config = parse_config("targets:\n  - {kpi: csat, warn: 80, fail: 70}\n")
    hostile = 'Evil <b>&"Co"\x01'
    frame = pl.DataFrame(
        {
            "ticket_id": ["1", "2", "3", "4"],
            "vendor": [hostile, None, "(none)", "(none)"],
            "csat": [1, 5, 5, 1],
        }
    )
    card = scorecard(frame, config, by=["vendor"])
    text = junit.render(card, card.outcomes())
    cases = _cases(text)  # parses: markup escaped, the control character replaced
    assert set(cases) == {
        ('vendor=Evil <b>&"Co"\ufffd', "csat"),
        ("vendor=(none)", "csat"),
        ("vendor=(none)", "csat #2"),  # a missing vendor and one named "(none)" print alike
    }
    assert cases[('vendor=Evil <b>&"Co"\ufffd', "csat")].find("failure") is not None


def test_junit_ungrouped_run_is_all_contacts():
    config = parse_config("targets:\n  - {kpi: csat, warn: 80, fail: 70}\n")
    card = scorecard(FRAME, config)
    cases = _cases(junit.render(card, card.outcomes()))
    # csat 5, 4, 2, 5, 5, 4, 1: 5 of 7 satisfied = 71.43 %, below warn 80, not below fail 70
    assert list(cases) == [("all contacts", "csat")]
    assert (
        cases[("all contacts", "csat")]
        .find("system-out")
        .text.startswith("WARN csat 71.43 % below warn level 80 % (fail 70 %), n = 7\n")
    )


# -- GitHub annotations --------------------------------------------------------------------------


def test_annotations_point_at_the_target_or_override_line(card, outcomes, config):
    text = github.annotations(card, outcomes, config_path="kpi.yaml", config=config)
    assert text.endswith("\n")
    assert text.splitlines() == [
        f"::error file=kpi.yaml,line={CSAT_LINE},title=FAIL csat · vendor=Acme BPO::"
        "vendor=Acme BPO: csat 66.67 %25 below fail level 70 %25 (warn 80 %25), n = 3",
        f"::warning file=kpi.yaml,line={QA_LINE},title=SKIP qa_score · vendor=Acme BPO::"
        "vendor=Acme BPO: qa_score: insufficient data: n = 3 < min_sample 5",
        f"::error file=kpi.yaml,line={NPS_LINE},title=ERROR nps · vendor=Acme BPO::"
        "vendor=Acme BPO: nps: insufficient data: n = 3 < min_sample 4",
        f"::warning file=kpi.yaml,line={CSAT_LINE},title=WARN csat · vendor=Northwind::"
        "vendor=Northwind: csat 75.00 %25 below warn level 80 %25 (fail 70 %25), n = 4",
        f"::warning file=kpi.yaml,line={NORTHWIND_OVERRIDE_LINE},"
        "title=WARN escalation_rate · vendor=Northwind::"
        "vendor=Northwind: escalation_rate 50.00 %25 above warn level 10 %25 "
        "(fail 60 %25), n = 4",
        f"::warning file=kpi.yaml,line={QA_LINE},title=SKIP qa_score · vendor=Northwind::"
        "vendor=Northwind: qa_score: insufficient data: n = 4 < min_sample 5",
    ]
    assert config.line_of(("targets", 1)) == ESCALATION_LINE  # not used: the override applied


def test_annotations_fail_on_warn_makes_warnings_errors(card, outcomes, config):
    lines = github.annotations(card, outcomes, config_path="kpi.yaml", config=config, fail_on="warn")
    kinds = [line.split(" ", 1)[0] for line in lines.splitlines()]
    # fail, skip, error, warn, warn, skip: skips stay warnings
    assert kinds == ["::error", "::warning", "::error", "::error", "::error", "::warning"]


def test_annotations_leave_out_line_when_unknown(card, outcomes):
    bare = Config.model_validate(yaml.safe_load(KPI_YAML))  # no YAML node tree: no lines
    lines = github.annotations(card, outcomes, config_path="ci/kpi.yaml", config=bare).splitlines()
    assert lines[0].startswith("::error file=ci/kpi.yaml,title=FAIL csat · vendor=Acme BPO::")
    assert not any("line=" in line for line in lines)


def test_annotations_escape_a_hostile_vendor_name():
    text = "targets:\n  - {kpi: csat, warn: 80, fail: 70}\n"
    config = parse_config(text, "kpi.yaml")
    frame = pl.DataFrame(
        {
            "ticket_id": ["1", "2", "3"],
            "vendor": ["Acme, Inc: 100%\nX"] * 3,
            "csat": [5, 4, 2],  # 66.67 % -> fail
        }
    )
    card = scorecard(frame, config, by=["vendor"])
    out = github.annotations(card, card.outcomes(), config_path="kpi.yaml", config=config)
    assert out == (
        "::error file=kpi.yaml,line=2,title=FAIL csat · vendor=Acme%2C Inc%3A 100%25%0AX::"
        "vendor=Acme, Inc: 100%25%0AX: csat 66.67 %25 below fail level 70 %25 (warn 80 %25), n = 3\n"
    )


def test_escape_rules():
    assert github.escape_data("a%b\r\nc:d,e") == "a%25b%0D%0Ac:d,e"
    assert github.escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce"
    # % first: an already escaped-looking text is escaped again, not decoded
    assert github.escape_data("%0A") == "%250A"


def test_annotations_empty_when_everything_passes(config):
    frame = pl.DataFrame(
        {
            "ticket_id": [f"T{i}" for i in range(5)],
            "vendor": ["Acme BPO"] * 5,
            "csat": [5] * 5,  # 100 %
            "escalated": [False] * 5,  # 0 %
            "qa_score": [95] * 5,  # 95, n = 5 = min_sample
            "nps": [10] * 5,  # 100
        }
    )
    card = scorecard(frame, config, by=["vendor"])
    outcomes = card.outcomes()
    assert [o for _, o in outcomes] == ["pass"] * 4
    assert github.annotations(card, outcomes, config_path="kpi.yaml", config=config) == ""
    summary = github.summary(card, outcomes)
    assert "**4 checks:** 4 pass" in summary and "| vendor |" not in summary
    assert summary.rstrip().endswith("Exit code 0: every check passed (warnings do not fail the run).")


# -- GitHub job summary ----------------------------------------------------------------------------


def test_summary_counts_table_and_exit_code(card, outcomes):
    text = github.summary(card, outcomes)
    assert "**8 checks:** 1 fail, 1 error, 2 warn, 2 skip, 2 pass" in text
    assert "| vendor | check | value | target | n | status |" in text
    assert "| Acme BPO | csat | 66.67 % | ≥ 80 % (fail &lt; 70 %) | 3 | FAIL |" in text
    assert "| Northwind | escalation_rate | 50.00 % | ≤ 10 % (fail &gt; 60 %) | 4 | WARN |" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 1 + 6  # header and the six checks that did not pass
    assert not any("| nps |" in row and "Northwind" in row for row in rows)  # passed: not listed
    assert text.rstrip().endswith(
        "Exit code 3: a check could not be evaluated (too little data or a missing column, as set)."
    )
    assert "Exit code 1" in github.summary(card, [(r, o) for r, o in outcomes if o != "error"])


def test_summary_escapes_pipes_in_names():
    config = parse_config("targets:\n  - {kpi: csat, warn: 80, fail: 70}\n")
    frame = pl.DataFrame({"ticket_id": ["1", "2"], "vendor": ["Pipe | Co\nLtd"] * 2, "csat": [1, 2]})
    card = scorecard(frame, config, by=["vendor"])
    text = github.summary(card, card.outcomes())
    row = next(line for line in text.splitlines() if "Pipe" in line)
    assert row == "| Pipe \\| Co Ltd | csat | 0.00 % | ≥ 80 % (fail &lt; 70 %) | 2 | FAIL |"
    assert len(re.findall(r"(?<!\\)\|", row)) == 7  # 6 cells: the vendor's pipe is escaped


def test_summary_under_fail_on_warn(card, outcomes):
    only_warnings = [(r, o) for r, o in outcomes if o in ("warn", "pass")]
    text = github.summary(card, only_warnings, fail_on="warn")
    assert "| Northwind | csat | 75.00 % | ≥ 80 % (fail &lt; 70 %) | 4 | WARN (fails the run) |" in text
    assert "Exit code 4: only warnings" in text
    assert "Exit code 0" in github.summary(card, only_warnings)


def test_append_summary_appends_to_the_step_summary(tmp_path, monkeypatch, card, outcomes):
    path = tmp_path / "step_summary.md"
    path.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(path))
    text = github.summary(card, outcomes)
    github.append_summary(text)
    github.append_summary("second part")
    assert path.read_text(encoding="utf-8") == "earlier step\n" + text + "second part\n"


def test_append_summary_without_the_variable_does_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)
    github.append_summary("text")
    assert list(tmp_path.iterdir()) == []


def test_append_summary_unwritable_is_a_data_error(tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "no such dir" / "summary.md"))
    with pytest.raises(DataError, match="cannot write the job summary"):
        github.append_summary("text")


# -- examples/ci ------------------------------------------------------------------------------------


def test_github_actions_example():
    workflow = yaml.safe_load((CI / "github-actions.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "schedule" in triggers and triggers["schedule"][0]["cron"]
    assert "workflow_dispatch" in triggers
    (job,) = workflow["jobs"].values()
    steps = job["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/checkout@") for u in uses)
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(setup["with"]["python-version"]) == "3.11"
    runs = [s.get("run", "") for s in steps]
    assert any("pip install" in r and "supportkpi" in r for r in runs)
    check_at = next(i for i, r in enumerate(runs) if "supportkpi check" in r)
    check = steps[check_at]
    assert (
        "supportkpi check exports/contacts.csv --config kpi.yaml --format github "
        "--junit reports/kpi-junit.xml" in check["run"]
    )
    assert "continue-on-error" not in check and "if" not in check  # exit 1 fails the job
    after = steps[check_at + 1 :]
    publishers = [
        s
        for s in after
        if s.get("uses", "").split("@")[0] in ("mikepenz/action-junit-report", "actions/upload-artifact")
    ]
    assert len(publishers) == 2
    assert all(s.get("if") == "always()" for s in publishers)
    assert all("reports/kpi-junit.xml" in str(s["with"]) for s in publishers)
    assert any("examples/contacts.csv" in r for r in runs[:check_at])  # the placeholder fetch


def test_gitlab_ci_example():
    jobs = yaml.safe_load((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))
    (job,) = jobs.values()
    assert {"if": '$CI_PIPELINE_SOURCE == "schedule"'} in job["rules"]
    script = " ".join(job["script"])
    junit_path = job["artifacts"]["reports"]["junit"]
    assert f"supportkpi check exports/contacts.csv --config kpi.yaml --junit {junit_path}" in script
    assert job["artifacts"]["when"] == "always"
    assert "allow_failure" not in job  # a fail (exit 1) fails the job


def test_readme_kpi_yaml_example_is_valid():
    readme = (CI / "README.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```yaml\n(.*?)```", readme, re.S)
    config = parse_config(block, "kpi.yaml")
    assert [t.kpi for t in config.targets] == ["csat", "first_response_time"]
    for code in (0, 1, 2, 3, 4):
        assert f"| {code} |" in readme
