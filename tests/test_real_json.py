"""Real JSON exports read as found, with no flags: sync tools' envelopes (Airbyte, Singer),
single-record documents (Freshdesk, Help Scout v1), Salesforce tree exports, and a source's
tables joined on the ticket id. Hand values from tests/fixtures/real/FINDINGS.md."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from cli_support import run
from hypothesis import given, settings
from hypothesis import strategies as st

from supportkpi.loading import load, tables

REAL = Path(__file__).parent / "fixtures" / "real"
AIRBYTE = REAL / "airbyte-zendesk" / "expected_records.jsonl"
FRESHDESK = REAL / "freshdesk-python"
HELPSCOUT = REAL / "helpscout-java"
SALESFORCE = REAL / "salesforce-ebikes" / "Cases.json"
HOUR = 3600.0


def compute(tmp_path: Path, *args: str, code: int = 0) -> dict:
    result = run("compute", *map(str, args), "--format", "json", cwd=tmp_path)
    assert result.returncode == code, result.stderr
    return json.loads(result.stdout)


def kpis(report: dict) -> dict:
    (group,) = report["groups"]
    return group["kpis"]


def airbyte_lines(*streams: str) -> list[str]:
    """The fixture's lines of these streams, verbatim."""
    lines = AIRBYTE.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if json.loads(line)["stream"] in streams]


def split_by_stream(tmp_path: Path) -> list[Path]:
    """The fixture's streams as the separate files a sync tool lands: one JSON array each."""
    paths = []
    for stream in ("tickets", "ticket_metrics", "satisfaction_ratings"):
        path = tmp_path / f"{stream}.json"
        path.write_text(json.dumps([json.loads(line)["data"] for line in airbyte_lines(stream)]), encoding="utf-8")
        paths.append(path)
    return paths


# --- Airbyte Zendesk: one JSON Lines file of three streams ---------------------------------------


def test_airbyte_zendesk_is_unwrapped_joined_and_counted_once(tmp_path):
    report = compute(tmp_path, AIRBYTE)
    (item,) = report["inputs"]
    assert item["source"] == "zendesk"
    assert item["rows"] == 3  # 3 tickets; the 6 metric and rating lines are not contacts
    assert "Airbyte records of streams satisfaction_ratings, tickets, ticket_metrics unwrapped" in item["notes"]
    # the metrics are of tickets 159-161, none of the three; one rating is of ticket 146
    assert "joined zendesk ticket_metrics by ticket_id; 3 of its rows match no ticket and are left out" in item["notes"]
    assert (
        "joined zendesk satisfaction_ratings by ticket_id; 2 of its rows match no ticket and are left out"
        in (item["notes"])
    )
    values = kpis(report)
    assert values["ticket_volume"]["value"] == 3
    # every rating is "offered" or "unoffered": no answer, so CSAT has n = 0 and no value
    assert values["csat"]["n"] == 0
    assert values["csat"]["value"] is None


def test_airbyte_zendesk_says_on_stderr_what_it_unwrapped(tmp_path):
    result = run("compute", str(AIRBYTE), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Airbyte records of streams satisfaction_ratings, tickets, ticket_metrics unwrapped" in result.stderr
    assert "read as zendesk" in result.stderr


def test_airbyte_zendesk_statuses_give_one_closed_ticket_of_three():
    frame = load([str(AIRBYTE)]).frame.collect()
    assert sorted(frame["ticket_id"]) == ["1", "145", "146"]
    assert sorted(frame["status"]) == ["closed", "new", "open"]
    assert frame["status"].is_in(["solved", "closed"]).sum() == 1


def test_airbyte_zendesk_resolution_rate_is_one_of_three(tmp_path):
    values = kpis(compute(tmp_path, AIRBYTE))
    assert values["resolution_rate"]["value"] == pytest.approx(100 / 3)
    assert values["resolution_rate"]["n"] == 3


def test_airbyte_streams_as_separate_files_read_the_same(tmp_path):
    tickets, metrics, ratings = split_by_stream(tmp_path)
    report = compute(tmp_path, tickets, metrics, ratings)
    (item,) = report["inputs"]  # the metrics and ratings files are joined, not inputs of their own
    assert item["path"] == str(tickets)
    assert item["rows"] == 3
    assert (
        f"joined zendesk ticket_metrics ({metrics}) by ticket_id; 3 of its rows match no ticket and are left out"
        in (item["notes"])
    )
    values = kpis(report)
    assert values["ticket_volume"]["value"] == 3
    assert values["csat"]["n"] == 0


@pytest.mark.parametrize("stream", ["ticket_metrics", "satisfaction_ratings"])
def test_a_companion_table_alone_is_a_data_error_naming_the_missing_tickets(tmp_path, stream):
    alone = tmp_path / f"{stream}.jsonl"
    alone.write_text("\n".join(airbyte_lines(stream)) + "\n", encoding="utf-8")
    for what in ("compute", "validate"):
        result = run(what, str(alone), cwd=tmp_path)
        assert result.returncode == 3, result.stderr
        assert f"this is the {stream} table of zendesk" in result.stderr
        assert "its tickets table is missing" in result.stderr
        assert "CLEAN" not in result.stdout


def test_a_companion_file_alone_is_a_data_error_too(tmp_path):
    _, metrics, _ = split_by_stream(tmp_path)
    result = run("compute", str(metrics), cwd=tmp_path)
    assert result.returncode == 3
    assert f"{metrics}: this is the ticket_metrics table of zendesk" in result.stderr


def test_a_ticket_and_its_metrics_are_one_contact_and_the_last_metrics_row_wins(tmp_path):
    tickets = tmp_path / "tickets.json"
    tickets.write_text(
        json.dumps(
            [
                {"id": 1, "created_at": "2024-01-01T00:00:00Z", "status": "open", "via": {"channel": "email"}},
                {"id": 2, "created_at": "2024-01-02T00:00:00Z", "status": "open", "via": {"channel": "web"}},
            ]
        ),
        encoding="utf-8",
    )
    metrics = tmp_path / "ticket_metrics.jsonl"
    rows = [(1, 10), (1, 20), (99, 5)]  # ticket 1 synced twice (an update), ticket 99 unknown
    metrics.write_text(
        "".join(
            json.dumps({"ticket_id": t, "reply_time_in_minutes": {"calendar": m, "business": m}, "reopens": 0}) + "\n"
            for t, m in rows
        ),
        encoding="utf-8",
    )
    report = compute(tmp_path, tickets, metrics, "--source", "zendesk")
    values = kpis(report)
    assert values["ticket_volume"]["value"] == 2
    # ticket 1: 20 minutes (the later row) = 1200 s; ticket 2 has no metrics
    assert values["first_response_time"]["n"] == 1
    assert values["first_response_time"]["value"] * HOUR == pytest.approx(1200)
    assert "1 of its rows match no ticket and are left out" in report["inputs"][0]["notes"][0]


# --- other envelopes --------------------------------------------------------------------------------

TICKET = {"ticket_id": "T-1", "created_at": "2024-03-01T09:00:00Z", "status": "solved"}
RESOLVED = {**TICKET, "resolved_at": "2024-03-01T10:30:00Z"}


def test_singer_messages_are_unwrapped_and_schema_and_state_skipped(tmp_path):
    path = tmp_path / "tap.jsonl"
    lines = [
        {"type": "SCHEMA", "stream": "tickets", "schema": {"type": "object"}, "key_properties": ["ticket_id"]},
        {"type": "RECORD", "stream": "tickets", "record": RESOLVED, "time_extracted": "2024-03-02T00:00:00Z"},
        {"type": "RECORD", "stream": "tickets", "record": {**TICKET, "ticket_id": "T-2"}},
        {"type": "STATE", "value": {"bookmarks": {"tickets": "2024-03-02"}}},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    report = compute(tmp_path, path)
    assert report["inputs"][0]["notes"] == ["Singer messages of stream tickets unwrapped (skipped: 1 SCHEMA, 1 STATE)"]
    values = kpis(report)
    assert values["ticket_volume"]["value"] == 2
    assert values["resolution_time"]["value"] == pytest.approx(1.5)  # hours: 09:00 to 10:30


def test_airbyte_protocol_messages_are_unwrapped(tmp_path):
    path = tmp_path / "source.jsonl"
    lines = [
        {"type": "LOG", "log": {"level": "INFO", "message": "Starting syncing"}},
        {"type": "RECORD", "record": {"stream": "tickets", "data": RESOLVED, "emitted_at": 1709283600000}},
        {"type": "STATE", "state": {"type": "STREAM"}},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    report = compute(tmp_path, path)
    assert report["inputs"][0]["notes"] == [
        "Airbyte protocol messages of stream tickets unwrapped (skipped: 1 LOG, 1 STATE)"
    ]
    assert kpis(report)["resolution_rate"]["value"] == 100.0


def test_an_airbyte_raw_table_csv_is_unwrapped_from_its_airbyte_data_column(tmp_path):
    path = tmp_path / "_airbyte_raw_tickets.csv"
    rows = [("a1", RESOLVED), ("a2", {**TICKET, "ticket_id": "T-2", "status": "open"})]
    body = "".join(
        f'{raw_id},"{json.dumps(data).replace(chr(34), chr(34) * 2)}",2024-03-02 00:00:00\n' for raw_id, data in rows
    )
    path.write_text("_airbyte_ab_id,_airbyte_data,_airbyte_emitted_at\n" + body, encoding="utf-8")
    report = compute(tmp_path, path)
    assert report["inputs"][0]["notes"] == ["Airbyte raw table of stream tickets unwrapped"]
    values = kpis(report)
    assert values["ticket_volume"]["value"] == 2
    assert values["resolution_rate"]["value"] == 50.0


def test_a_line_that_breaks_the_envelope_is_named(tmp_path):
    path = tmp_path / "mixed.jsonl"
    good = {"stream": "tickets", "data": TICKET, "emitted_at": 1}
    path.write_text(json.dumps(good) + "\n" + json.dumps(TICKET) + "\n", encoding="utf-8")
    result = run("compute", str(path), cwd=tmp_path)
    assert result.returncode == 3
    assert "line 2: not one of the Airbyte records of the lines before it" in result.stderr


# --- JSON document shapes ----------------------------------------------------------------------------


def test_freshdesk_single_ticket_document_gives_the_hand_checked_durations(tmp_path):
    report = compute(tmp_path, FRESHDESK / "ticket_1.json")
    assert report["inputs"][0]["source"] == "freshdesk_api"
    values = kpis(report)
    # stats.first_responded_at - created_at = 2020-06-17T20:23:43Z - 2016-05-18T04:36:04Z
    assert values["first_response_time"]["value"] * HOUR == pytest.approx(128_879_259)
    # stats.resolved_at - created_at = 2020-07-24T15:35:21Z - 2016-05-18T04:36:04Z (never reopened)
    assert values["resolution_time"]["value"] * HOUR == pytest.approx(132_058_757)


def test_freshdesk_list_and_search_documents_are_detected(tmp_path):
    listed = compute(tmp_path, FRESHDESK / "all_tickets.json")
    assert listed["inputs"][0]["source"] == "freshdesk_api"
    assert kpis(listed)["backlog"]["value"] == 1  # status 2 (open)
    searched = compute(tmp_path, FRESHDESK / "search_tickets.json")
    assert searched["inputs"][0]["source"] == "freshdesk_api"
    # two results, both id 1: one ticket, the repeat left out
    assert kpis(searched)["ticket_volume"]["value"] == 1
    assert kpis(searched)["ticket_volume"]["excluded"]["duplicate ticket_id"] == 1


def test_freshdesk_satisfaction_ratings_are_joined_as_csat(tmp_path):
    ratings = tmp_path / "satisfaction_ratings.json"
    answer = {"id": 7, "survey_id": 1, "user_id": 6012691534, "agent_id": 6010396333, "ticket_id": 1}
    ratings.write_text(json.dumps([{**answer, "ratings": {"default_question": 103}}]), encoding="utf-8")
    values = kpis(compute(tmp_path, FRESHDESK / "ticket_1.json", ratings))
    assert (values["csat"]["value"], values["csat"]["n"]) == (100.0, 1)  # 103 = extremely happy


def test_helpscout_v1_items_are_read_as_one_conversation_each(tmp_path):
    report = compute(tmp_path, HELPSCOUT / "conversation_10.json", HELPSCOUT / "conversation_11.json")
    assert [i["source"] for i in report["inputs"]] == ["helpscout", "helpscout"]
    values = kpis(report)
    assert values["ticket_volume"]["value"] == 2
    assert values["backlog"]["value"] == 2  # both active, closedAt null
    assert values["resolution_rate"]["value"] == 0.0


def test_helpscout_v1_files_hold_two_distinct_conversations():
    paths = sorted(str(p) for p in HELPSCOUT.glob("*.json"))
    frame = load(paths).frame.collect()
    assert frame.height == 3  # one record per file; conversation_13 is conversation 11 again
    assert sorted(set(frame["ticket_id"])) == ["10", "11"]
    assert set(frame["status"]) == {"open"}


def test_salesforce_tree_export_gives_its_escalation_without_times(tmp_path):
    result = run("compute", str(SALESFORCE), "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["inputs"][0]["source"] == "salesforce_case"
    assert "no created_at ('CreatedDate') in this salesforce_case file" in report["inputs"][0]["notes"][0]
    values = kpis(report)
    assert (values["escalation_rate"]["value"], values["escalation_rate"]["n"]) == (100.0, 1)


def test_a_record_is_never_split_into_its_nested_array(tmp_path):
    path = tmp_path / "one.json"
    record = {**TICKET, "id": "c1", "participants": [{"purpose": "customer"}, {"purpose": "agent"}]}
    path.write_text(json.dumps(record), encoding="utf-8")
    assert kpis(compute(tmp_path, path))["ticket_volume"]["value"] == 1


def test_a_wrapped_single_record_is_read(tmp_path):
    path = tmp_path / "item.json"
    path.write_text(json.dumps({"item": RESOLVED}), encoding="utf-8")
    assert kpis(compute(tmp_path, path))["resolution_rate"]["value"] == 100.0


def test_a_landed_zendesk_tickets_table_is_detected_as_zendesk():
    # Fivetran's ticket table: via.channel flattened to via_channel, no metric sets
    loaded = load([str(REAL / "fivetran-zendesk" / "ticket_data.csv")])
    assert loaded.inputs[0].source == "zendesk"
    channels = loaded.frame.collect()["channel"].value_counts(sort=True)
    assert channels.rows() == [("email", 9), ("web", 1)]


def test_companion_streams_beside_unknown_streams_name_the_missing_tickets(tmp_path):
    path = tmp_path / "sync.jsonl"
    users = json.dumps({"stream": "users", "data": {"id": 5, "name": "Ann"}, "emitted_at": 1})
    path.write_text(users + "\n" + "\n".join(airbyte_lines("ticket_metrics")) + "\n", encoding="utf-8")
    result = run("compute", str(path), cwd=tmp_path)
    assert result.returncode == 3
    assert "stream 'ticket_metrics'" in result.stderr and "its tickets table is missing" in result.stderr


def test_an_airbyte_raw_table_in_json_lines_holds_objects(tmp_path):
    path = tmp_path / "zendesk_raw__stream_tickets.jsonl"
    rows = [{"_airbyte_raw_id": "r1", "_airbyte_extracted_at": "2024-03-02T00:00:00Z", "_airbyte_data": RESOLVED}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = compute(tmp_path, path)
    assert report["inputs"][0]["notes"] == ["Airbyte raw table of stream tickets unwrapped"]
    assert kpis(report)["resolution_rate"]["value"] == 100.0


def test_freshdesk_csv_export_joins_its_satisfaction_ratings(tmp_path):
    # the preset's own test export: tickets 1001 and 1002; ratings as the API returns them
    export = Path(__file__).parent / "fixtures" / "sources" / "freshdesk.csv"
    ratings = tmp_path / "satisfaction_ratings.json"
    answers = [(1001, 103), (1002, -103), (1002, 101), (4242, 100)]  # 1002 re-rated; 4242 unknown
    ratings.write_text(
        json.dumps(
            [
                {"id": n, "survey_id": 1, "ticket_id": t, "ratings": {"default_question": r}}
                for n, (t, r) in enumerate(answers)
            ]
        ),
        encoding="utf-8",
    )
    report = compute(tmp_path, export, ratings)
    assert report["inputs"][0]["source"] == "freshdesk"
    assert "1 of its rows match no ticket and are left out" in report["inputs"][0]["notes"][0]
    csat = kpis(report)["csat"]
    # 1001 extremely happy (5), 1002's last rating happy (4): both satisfied
    assert (csat["value"], csat["n"]) == (100.0, 2)


@settings(max_examples=40, deadline=None)
@given(
    ticket_ids=st.lists(st.integers(1, 30), min_size=1, max_size=12, unique=True),
    metric_ids=st.lists(st.integers(1, 40), max_size=25),
)
def test_a_join_never_adds_or_drops_a_ticket(ticket_ids, metric_ids):
    fields = {"has_incidents": "false", "submitter_id": "7", "requester_id": "8", "is_public": "true"}
    tickets = [{"id": str(t), "via.channel": "web", "ticket_form_id": "1", **fields} for t in ticket_ids]
    metrics = [{"ticket_id": str(t), "reply_time_in_minutes.calendar": str(n)} for n, t in enumerate(metric_ids)]
    inputs = [tables.Input("tickets.json", "json", None, [tables.Table(pl.LazyFrame(tickets), name="tickets")])]
    if metrics:
        inputs[0].tables.append(tables.Table(pl.LazyFrame(metrics), name="ticket_metrics"))
    (joined,) = tables.join(inputs)
    frame = joined.frame.collect()
    assert frame["id"].to_list() == [str(t) for t in ticket_ids]  # same tickets, same order
    unmatched = sum(t not in ticket_ids for t in metric_ids)
    assert any(f"{unmatched:,} of its rows match no ticket" in n for n in joined.notes) == (unmatched > 0)
    if metrics:  # each ticket carries its last metrics row
        last = {str(t): str(n) for n, t in enumerate(metric_ids)}
        assert frame["metric_set.reply_time_in_minutes.calendar"].to_list() == [last.get(str(t)) for t in ticket_ids]
