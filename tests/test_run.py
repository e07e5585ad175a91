"""The library run object (supportkpi.Run): what the CLI does, from Python."""

from __future__ import annotations

from pathlib import Path

import pytest

from supportkpi import Run
from supportkpi.api import Listener
from supportkpi.errors import DataError, UsageError

EXAMPLES = Path(__file__).parents[1] / "examples"
CONTACTS = str(EXAMPLES / "messy" / "contacts.csv")  # with data findings


def test_usage_errors_come_before_kpi_yaml_is_read(tmp_path):
    run = Run.from_config(tmp_path / "missing.yaml").add_inputs([CONTACTS])
    with pytest.raises(UsageError, match="unknown KPI 'zz'"):
        run.compute(["zz"])
    with pytest.raises(UsageError, match="missing.yaml"):
        run.compute(["csat"])


def test_inputs_added_in_two_calls_count_like_one(tmp_path):
    half = tmp_path / "b.csv"
    lines = Path(CONTACTS).read_text().splitlines(keepends=True)
    (tmp_path / "a.csv").write_text("".join(lines[:200]))
    half.write_text("".join(lines[:1] + lines[200:]))
    one = Run().add_inputs([str(tmp_path / "a.csv"), str(half)]).compute(["ticket_volume", "csat"], by=["vendor"])
    two = (
        Run()
        .add_inputs([str(tmp_path / "a.csv")])
        .add_inputs([str(half)])
        .compute(["ticket_volume", "csat"], by=["vendor"])
    )
    assert [g.kpis["csat"].value for g in one.groups] == [g.kpis["csat"].value for g in two.groups]
    assert [g.kpis["ticket_volume"].value for g in one.groups] == [g.kpis["ticket_volume"].value for g in two.groups]


def test_listener_hears_findings_and_strict_stops(tmp_path):
    heard = []

    class Notes(Listener):
        def findings(self, findings):
            heard.extend(f.message() for f in findings)

    result = Run(listener=Notes()).add_inputs([CONTACTS]).compute(["csat"])
    assert result.findings and heard == [f.message() for f in result.findings]
    with pytest.raises(DataError, match="--strict is set; no report written"):
        Run(strict=True).add_inputs([CONTACTS]).compute(["csat"])


def test_no_inputs_is_a_usage_error():
    with pytest.raises(UsageError, match="no inputs"):
        Run().validate()
