"""Golden files: the text reports, byte for byte, as the command line writes them.

Each case runs one command in-process on the messy example (examples/messy/contacts.csv and
examples/messy/kpi.yaml, copied into a temporary directory so that input paths read the same
everywhere) or renders a small frame of another test module, and compares the output with
``tests/golden/<case>``. Dates come from the data (``--as-of`` defaults to its latest
timestamp) and the version in the HTML footer is pinned to ``VERSION``.

When a change to a report is intended, regenerate the files and review the diff::

    SUPPORTKPI_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
    git diff tests/golden
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import supportkpi.render.html
from supportkpi.cli import app
from supportkpi.config import parse_config
from supportkpi.render import github, junit
from supportkpi.render.html import render as render_html
from supportkpi.scorecard import scorecard

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
UPDATE = os.environ.get("SUPPORTKPI_UPDATE_GOLDEN") == "1"
PINNED_VERSION = "VERSION"

SCORECARD = ["contacts.csv", "--config", "kpi.yaml", "--by", "vendor"]
COMPARE = [
    "compare",
    "contacts.csv",
    "--by",
    "vendor",
    "--kpi",
    "csat,nps,aht,first_response_time,fcr_rate,service_level,abandonment_rate,escalation_rate",
]
# case: the command's arguments (the report is written with --output)
COMMANDS = {
    "compute.md": ["compute", "contacts.csv", "--config", "kpi.yaml", "--by", "vendor", "-f", "markdown"],
    "compute.csv": ["compute", "contacts.csv", "--config", "kpi.yaml", "--by", "vendor", "-f", "csv"],
    "compute_long.md": [
        "compute",
        "contacts.csv",
        "--config",
        "kpi.yaml",
        "--by",
        "vendor",
        "--layout",
        "long",
        "-f",
        "markdown",
    ],
    "compute_channel.md": [
        "compute",
        "contacts.csv",
        "--config",
        "kpi.yaml",
        "--by",
        "channel",
        "--period",
        "quarter",
        "-f",
        "markdown",
    ],
    "scorecard.md": ["scorecard", *SCORECARD, "-f", "markdown"],
    "scorecard.csv": ["scorecard", *SCORECARD, "-f", "csv"],
    "scorecard.html": ["scorecard", *SCORECARD, "-f", "html"],
    "scorecard_quarter.md": ["scorecard", *SCORECARD, "--period", "quarter", "-f", "markdown"],
    "scorecard_quarter.html": ["scorecard", *SCORECARD, "--period", "quarter", "-f", "html"],
    "check.md": ["check", *SCORECARD, "-f", "markdown"],
    "check.junit.xml": ["check", *SCORECARD, "-f", "junit"],
    "check.github.txt": ["check", *SCORECARD, "-f", "github"],
    "check_warn.junit.xml": ["check", *SCORECARD, "--fail-on", "warn", "-f", "junit"],
    "compare.md": [*COMPARE, "-f", "markdown"],
    "compare.csv": [*COMPARE, "-f", "csv"],
    "compare.html": [*COMPARE, "-f", "html"],
    "compare_benchmark.md": [*COMPARE, "--benchmark", "ecommerce", "--baseline", "best", "-f", "markdown"],
    # resolution_time's note lists the open tickets per side, in the sides' order
    "compare_resolution.md": [
        "compare",
        "contacts.csv",
        "--by",
        "vendor",
        "--kpi",
        "resolution_time",
        "-f",
        "markdown",
    ],
    "staffing.md": ["staffing", "contacts.csv", "--by", "vendor", "-f", "markdown"],
    "staffing.csv": ["staffing", "contacts.csv", "--by", "vendor", "-f", "csv"],
    "staffing_numbers.md": ["staffing", "--volume", "120", "--aht", "300", "-f", "markdown"],
    # the terminal tables, as written to a file (100 columns, no colour)
    "compute.table.txt": ["compute", "contacts.csv", "--config", "kpi.yaml", "--by", "vendor"],
    "compute_long.table.txt": ["compute", "contacts.csv", "--config", "kpi.yaml", "--by", "vendor", "--layout", "long"],
    "compute_channel.table.txt": [
        "compute",
        "contacts.csv",
        "--by",
        "channel",
        "--period",
        "quarter",
        "-k",
        "csat,aht,resolution_time",
    ],
    "scorecard_quarter.table.txt": ["scorecard", *SCORECARD, "--period", "quarter"],
    "check.table.txt": ["check", *SCORECARD],
    "compare_benchmark.table.txt": [*COMPARE, "--benchmark", "ecommerce"],
    "staffing.table.txt": ["staffing", "contacts.csv", "--by", "channel"],
    "staffing_numbers.table.txt": ["staffing", "--volume", "120", "--aht", "300"],
}


def _compare_with_golden(case: str, text: str) -> None:
    path = GOLDEN / case
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        return
    assert path.exists(), f"no golden file {path.name}: run with SUPPORTKPI_UPDATE_GOLDEN=1"
    expected = path.read_bytes().decode("utf-8")
    assert text == expected, f"{case} differs from tests/golden/{case} (see the module docstring)"


@pytest.fixture(autouse=True)
def pinned_version(monkeypatch):
    monkeypatch.setattr(supportkpi.render.html, "__version__", PINNED_VERSION)


@pytest.fixture
def example(tmp_path, monkeypatch):
    for name in ("contacts.csv", "kpi.yaml"):
        shutil.copy(ROOT / "examples" / "messy" / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    return tmp_path


@pytest.mark.parametrize("case", sorted(COMMANDS))
def test_command_output(case, example):
    output = example / "report.out"
    result = CliRunner().invoke(app, [*COMMANDS[case], "--quiet", "--output", str(output)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1, 4), result.output
    _compare_with_golden(case, output.read_text(encoding="utf-8"))
    if case == "check.github.txt":
        _compare_with_golden("check.summary.md", (example / "summary.md").read_text(encoding="utf-8"))


def test_html_of_names_that_need_escaping():
    from test_render_html import _card

    _compare_with_golden("escaping_month.html", render_html(_card("month")))
    _compare_with_golden("escaping_overall_week.html", render_html(_card("week", by=())))


# a signed KPI (nps) failing and warning, so that its levels are written with their sign
SIGNED_YAML = """\
targets:
  - {kpi: nps, warn: 60, fail: 40}
  - {kpi: csat, warn: 60, fail: 50, min_sample: 4}
"""


@pytest.mark.parametrize(("name", "fail_on"), [("small", "fail"), ("small", "warn"), ("signed", "fail")])
def test_ci_reports_of_a_small_frame(name, fail_on):
    from test_render_ci import FRAME, KPI_YAML

    config = parse_config(KPI_YAML if name == "small" else SIGNED_YAML, "kpi.yaml")
    card = scorecard(FRAME, config, by=["vendor"])
    outcomes = card.outcomes(insufficient="warn")
    _compare_with_golden(f"{name}_{fail_on}.junit.xml", junit.render(card, outcomes, fail_on=fail_on))
    annotations = github.annotations(card, outcomes, config_path="kpi.yaml", config=config, fail_on=fail_on)
    _compare_with_golden(f"{name}_{fail_on}.github.txt", annotations)
    _compare_with_golden(f"{name}_{fail_on}.summary.md", github.summary(card, outcomes, fail_on=fail_on))
