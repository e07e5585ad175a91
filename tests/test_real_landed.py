"""Real exports landed by sync tools (Fivetran), Genesys conversation details, Amazon Connect
re-deliveries: read as found, with no flags and no kpi.yaml, their figures checked against the
values worked out by hand in tests/fixtures/real/FINDINGS.md. Rows a preset leaves out (deleted
tickets, earlier versions of a record) are counted with their reason."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from cli_support import run

import supportkpi
from supportkpi.schema import left_out_flags

REAL = Path(__file__).parent / "fixtures" / "real"
ZENDESK = REAL / "fivetran-zendesk" / "ticket_data.csv"
INTERCOM = REAL / "fivetran-intercom" / "conversation_history_data.csv"
JIRA = REAL / "fivetran-jira" / "issue.csv"
GENESYS = [REAL / "genesys-blueprint" / f"conversation{n}.json" for n in (1, 2)]
CONNECT = REAL / "amazon-connect-ctr" / "duplicated_samples.json"
REPLACED = "earlier version (latest {} kept)"


def _compute(tmp_path: Path, *args: str) -> dict:
    """``supportkpi compute ARGS --format json`` in-process, as a user runs it: exit 0."""
    ran = run("compute", *args, "--format", "json", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    return json.loads(ran.stdout)


def _kpis(report: dict) -> dict:
    (group,) = report["groups"]
    return group["kpis"]


def _notes(report: dict) -> dict[str, int]:
    return {f["effect"]: f["count"] for f in report["data_quality"]["findings"] if f["kind"] == "note"}


def test_fivetran_zendesk_ticket_table(tmp_path):
    report = _compute(tmp_path, str(ZENDESK))
    assert report["inputs"][0]["source"] == "zendesk"
    volume = _kpis(report)["ticket_volume"]
    # 10 rows: 7 closed, 1 solved, 2 deleted; deleted tickets are left out, as Zendesk's reports do
    assert volume["value"] == 8 and volume["excluded"]["deleted ticket"] == 2
    assert _notes(report) == {"left out of every KPI: deleted ticket": 2}
    assert report["data_quality"]["errors"] == 0  # `deleted` is no unknown status
    frame = supportkpi.load([str(ZENDESK)]).frame.collect()
    kept = frame.filter(~pl.any_horizontal(pl.col(c) for c in left_out_flags(frame.columns)))
    assert sorted(kept["status"].to_list()) == ["closed"] * 7 + ["solved"]
    assert kept["channel"].to_list().count("email") + kept["channel"].to_list().count("web") == 8


def test_fivetran_intercom_history_table(tmp_path):
    report = _compute(tmp_path, str(INTERCOM), "-k", "ticket_volume,resolution_rate,backlog")
    assert report["inputs"][0]["source"] == "intercom_fivetran"
    kpis = _kpis(report)
    # 9 versions of 2 conversations (...1311: 3, ...1372: 6); the active versions are closed
    assert kpis["ticket_volume"]["value"] == 2
    assert kpis["ticket_volume"]["excluded"][REPLACED.format("_fivetran_start")] == 7
    assert kpis["resolution_rate"]["value"] == pytest.approx(100.0) and kpis["resolution_rate"]["n"] == 2
    assert kpis["backlog"]["value"] == 0
    assert _notes(report) == {f"left out of every KPI: {REPLACED.format('_fivetran_start')}": 7}
    assert report["data_quality"]["errors"] == 0  # `2020-10-28 23:59:37` read, not flagged


def test_fivetran_intercom_keeps_the_active_version():
    frame = supportkpi.load([str(INTERCOM)]).frame.collect()
    kept = frame.filter(~pl.any_horizontal(pl.col(c) for c in left_out_flags(frame.columns)))
    # the rows with _fivetran_active = true: file rows 3 and 6 (created 2020-10-28 / 2020-11-04)
    assert sorted(kept["_row"].to_list()) == [3, 6]
    assert kept["status"].to_list() == ["closed", "closed"]
    assert [t.isoformat() for t in kept.sort("_row")["created_at"]] == [
        "2020-10-28T23:59:37+00:00",
        "2020-11-04T03:12:03+00:00",
    ]


def test_fivetran_jira_issue_table(tmp_path):
    report = _compute(tmp_path, str(JIRA), "-k", "ticket_volume,resolution_rate,resolution_time")
    assert report["inputs"][0]["source"] == "jira_fivetran"
    kpis = _kpis(report)
    assert kpis["ticket_volume"]["value"] == 4
    # resolved: TP-8 58.125 d, TP-12 0 s, TCP-1 18 d; TP-10 open -> 3 of 4, median 18 d
    assert kpis["resolution_rate"]["value"] == pytest.approx(75.0)
    assert kpis["resolution_time"]["n"] == 3
    assert kpis["resolution_time"]["value"] == pytest.approx(18 * 24)  # hours
    # status and priority are ids into other tables: not mapped, so no per-row findings
    assert report["data_quality"]["findings"] == []


@pytest.mark.parametrize(
    ("path", "asa", "talk", "hold"),
    [(GENESYS[0], 11.179, 374.561, 544.176), (GENESYS[1], 6.384, 923.484, 0.0)],
    ids=["conversation1", "conversation2"],
)
def test_genesys_single_conversation(tmp_path, path, asa, talk, hold):
    report = _compute(tmp_path, str(path), "-k", "ticket_volume,asa,talk_time,hold_time,aht")
    assert report["inputs"][0]["source"] == "genesys"
    kpis = _kpis(report)
    assert kpis["ticket_volume"]["value"] == 1
    assert kpis["asa"]["value"] == pytest.approx(asa, abs=1e-6)
    assert kpis["talk_time"]["value"] == pytest.approx(talk, abs=1e-6)
    assert kpis["hold_time"]["value"] == pytest.approx(hold, abs=1e-6)
    # handle = talk + hold + ACW (none): conversation1 918.737 s (= its tHandle)
    assert kpis["aht"]["value"] == pytest.approx(talk + hold, abs=1e-6)


def test_genesys_from_segments_when_there_are_no_metrics(tmp_path):
    # The same two conversations with every metrics[] removed, as JSON Lines: the segments give
    # the same figures (queue segment 11.179 s; interact 374.561 s; hold 544.176 s)
    lines = []
    for path in GENESYS:
        conversation = json.loads(path.read_text())
        for participant in conversation["participants"]:
            for session in participant["sessions"]:
                session.pop("metrics", None)
        lines.append(json.dumps(conversation))
    segments = tmp_path / "segments.jsonl"
    segments.write_text("\n".join(lines) + "\n")
    report = _compute(tmp_path, str(segments), "-k", "ticket_volume,asa,talk_time,hold_time,aht,abandonment_rate")
    kpis = _kpis(report)
    assert kpis["ticket_volume"]["value"] == 2
    assert kpis["asa"]["n"] == 2 and kpis["asa"]["value"] == pytest.approx((11.179 + 6.384) / 2, abs=1e-6)
    assert kpis["talk_time"]["value"] == pytest.approx((374.561 + 923.484) / 2, abs=1e-6)
    assert kpis["hold_time"]["value"] == pytest.approx(544.176 / 2, abs=1e-6)
    assert kpis["aht"]["value"] == pytest.approx((918.737 + 923.484) / 2, abs=1e-6)
    assert kpis["abandonment_rate"]["value"] == 0


def test_amazon_connect_keeps_the_latest_redelivery(tmp_path):
    report = _compute(tmp_path, str(CONNECT), "-k", "ticket_volume,asa,aht,service_level")
    kpis = _kpis(report)
    # 6 deliveries of one contact (3 updates, each twice); the latest LastUpdateTimestamp
    # (2022-01-11T04:09:47Z, file row 5) has Queue.Duration 346, 239 + 221 + 5 handled
    assert kpis["ticket_volume"]["value"] == 1
    replaced = REPLACED.format("LastUpdateTimestamp")
    assert kpis["ticket_volume"]["excluded"] == {"duplicate ticket_id": 0, replaced: 5}
    assert kpis["asa"]["value"] == pytest.approx(346.0)
    assert kpis["aht"]["value"] == pytest.approx(465.0)
    assert kpis["service_level"]["value"] == 0
    assert _notes(report) == {f"left out of every KPI: {replaced}": 5}
    assert report["data_quality"]["errors"] == 0  # re-deliveries are no duplicates
    frame = supportkpi.load([str(CONNECT)]).frame.collect()
    kept = frame.filter(~pl.any_horizontal(pl.col(c) for c in left_out_flags(frame.columns)))
    assert kept["_row"].to_list() == [5]


def test_kpi_yaml_dedupe_first_restores_the_first_row_rule(tmp_path):
    (tmp_path / "kpi.yaml").write_text("version: 1\ndedupe: first\n")
    report = _compute(tmp_path, str(CONNECT), "-k", "ticket_volume")
    volume = _kpis(report)["ticket_volume"]
    assert volume["value"] == 1 and volume["excluded"] == {"duplicate ticket_id": 5}


def test_kpi_yaml_dedupe_latest_on_any_export(tmp_path):
    # a canonical export with an update column: two versions of t1 (the later resolved), one t2
    (tmp_path / "contacts.csv").write_text(
        "ticket_id,created_at,resolved_at,updated\n"
        "t1,2024-01-01T09:00:00Z,,2024-01-01T10:00:00Z\n"
        "t2,2024-01-01T09:30:00Z,,2024-01-01T09:30:00Z\n"
        "t1,2024-01-01T09:00:00Z,2024-01-01T12:00:00Z,2024-01-01T12:00:00Z\n"
    )
    (tmp_path / "kpi.yaml").write_text("version: 1\ndedupe:\n  keep: latest\n  by: updated\n")
    report = _compute(tmp_path, "contacts.csv", "-k", "ticket_volume,resolution_rate")
    kpis = _kpis(report)
    assert kpis["ticket_volume"]["value"] == 2
    assert kpis["ticket_volume"]["excluded"][REPLACED.format("updated")] == 1
    assert kpis["resolution_rate"]["value"] == pytest.approx(50.0)  # t1 resolved, t2 open
    # without the setting the first row of t1 is kept (unresolved) and the other a duplicate
    (tmp_path / "kpi.yaml").write_text("version: 1\n")
    kpis = _kpis(_compute(tmp_path, "contacts.csv", "-k", "ticket_volume,resolution_rate"))
    assert kpis["ticket_volume"]["excluded"] == {"duplicate ticket_id": 1}
    assert kpis["resolution_rate"]["value"] == 0


def test_kpi_yaml_dedupe_names_a_missing_column(tmp_path):
    (tmp_path / "kpi.yaml").write_text("version: 1\ndedupe:\n  keep: latest\n  by: modified\n")
    ran = run("compute", str(JIRA), cwd=tmp_path)
    assert ran.returncode == 3
    assert "dedupe.by names 'modified', which is not a column of this file" in ran.stderr
    assert str(JIRA) in ran.stderr


def test_validate_reports_left_out_rows_as_notes_not_errors(tmp_path):
    ran = run("validate", str(ZENDESK), cwd=tmp_path)
    assert ran.returncode == 0, ran.stdout
    assert "left out of every KPI: deleted ticket" in ran.stdout
    assert "CLEAN" in ran.stdout
    report = json.loads(run("validate", str(CONNECT), "--format", "json", cwd=tmp_path).stdout)
    assert [(f["kind"], f["count"]) for f in report["findings"]] == [("note", 5)]


def test_bounded_memory_resolves_redeliveries_the_same_way(tmp_path):
    # bounded runs find repeated ids per hash partition (dedupe.py): replaced versions are not
    # compared there, so no duplicate is reported and the same latest version is measured
    report = _compute(tmp_path, str(CONNECT), "-k", "ticket_volume,asa", "--memory", "bounded")
    kpis = _kpis(report)
    assert kpis["ticket_volume"]["value"] == 1
    assert kpis["ticket_volume"]["excluded"] == {"duplicate ticket_id": 0, REPLACED.format("LastUpdateTimestamp"): 5}
    assert kpis["asa"]["value"] == pytest.approx(346.0)
