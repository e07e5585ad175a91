"""A real Zendesk Explore report export, read as found with no flags and no kpi.yaml; its
figures checked against the values worked out by hand in tests/fixtures/real/FINDINGS.md
("zendesk-explore-export": first row per ticket id, counted with csv.DictReader)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from cli_support import run

import supportkpi

EXPORT = Path(__file__).parent / "fixtures" / "real" / "zendesk-explore-export" / "Weekly_Raw_Data.csv"


def _compute(tmp_path: Path) -> dict:
    ran = run("compute", str(EXPORT), "--format", "json", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert "read as zendesk_explore (detected" in ran.stderr
    return json.loads(ran.stdout)


def test_explore_export_detected_and_counted(tmp_path):
    report = _compute(tmp_path)
    assert report["inputs"][0]["source"] == "zendesk_explore"
    (group,) = report["groups"]
    kpis = group["kpis"]
    # 200 rows, 189 tickets: 11 rows repeat a ticket once per organisation domain
    assert kpis["ticket_volume"]["value"] == 189
    assert kpis["ticket_volume"]["excluded"] == {"duplicate ticket_id": 11}
    # Good / (Good + Bad) = 15 / 19; Offered and Unoffered are no answer
    assert kpis["csat"]["value"] == pytest.approx(100 * 15 / 19)
    assert kpis["csat"]["n"] == 19 and kpis["csat"]["excluded"]["no answer"] == 170
    # the account's custom `Escalated` field: 5 of 189 true
    assert kpis["escalation_rate"]["value"] == pytest.approx(100 * 5 / 189)
    # brackets are not durations: no response or resolution time is made up from them
    assert kpis["first_response_time"]["value"] is None
    assert kpis["resolution_time"]["value"] is None
    # no resolution time either: resolved taken from the status, 189 of 189 solved or closed
    assert kpis["resolution_rate"]["value"] == 100.0 and kpis["resolution_rate"]["n"] == 189
    assert kpis["resolution_rate"]["variant"] == "resolved taken from status (solved/closed)"


def test_duplicates_reported_with_rows(tmp_path):
    ran = run("validate", str(EXPORT), "--format", "json", cwd=tmp_path)
    assert ran.returncode == 1, ran.stderr
    (finding,) = json.loads(ran.stdout)["findings"]
    assert finding["kind"] == "duplicate ticket_id" and finding["count"] == 11
    assert finding["effect"].startswith("the first row of each id is kept")
    assert finding["examples"][0]["row"] == 26
    # the only finding: no-break-space cells are empty values, not unknown words


def test_statuses_and_empty_cells_read(tmp_path):
    frame = supportkpi.Run().add_inputs([str(EXPORT)]).load().frame.collect()
    with EXPORT.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(frame) == len(rows) == 200
    # every ticket (first row per id) is solved or closed: 189 of 189
    first = frame.unique("ticket_id", keep="first", maintain_order=True)
    assert len(first) == 189
    assert set(first["status"].to_list()) == {"closed", "solved"}
    # a lone U+00A0 is an empty value: Explore's empty attribute
    blanks = sum(row["Ticket satisfaction rating"].strip() == "" for row in rows)
    assert frame["csat"].null_count() == blanks + sum(
        row["Ticket satisfaction rating"] in ("Offered", "Unoffered") for row in rows
    )
