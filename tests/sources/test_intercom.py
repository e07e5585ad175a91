"""intercom preset: the fixture (8 conversations in the API's conversation.list document) read,
its KPIs worked out by hand, and the same conversations written in canonical columns. 4507 was
started by a teammate (``delivered_as`` admin_initiated): it is left out of every KPI, with its
reason, so the hand values count the 7 inbound conversations."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from twin import assert_same_kpis

import supportkpi

FIXTURE = str(Path(__file__).parent.parent / "fixtures" / "sources" / "intercom.json")


def _kpis(loaded, params=None):
    return supportkpi.compute(loaded.frame, inputs=loaded.inputs, params=params).groups[0].kpis


@pytest.fixture(scope="module")
def result():
    loaded = supportkpi.load([FIXTURE])
    return loaded, _kpis(loaded)


def test_detected(result):
    loaded, _ = result
    assert loaded.inputs[0].source == "intercom"
    assert loaded.inputs[0].confidence == 1.0


def test_values_translated(result):
    loaded, _ = result
    frame = loaded.frame.collect()
    first = frame.row(0, named=True)
    assert first["created_at"] == datetime(2024, 3, 4, 9, 0, tzinfo=UTC)  # 1709542800
    assert first["first_response_at"] == datetime(2024, 3, 4, 9, 5, tzinfo=UTC)
    assert first["customer_id"] == "65e1a0c1d2b3" and first["agent"] == "7101"
    assert frame["channel"].to_list() == ["chat", "email", "chat", "messaging", "chat", "chat", "phone", None]
    assert frame["status"].to_list() == ["closed", "closed", "open", "pending", "closed", "open", "closed", "closed"]
    assert frame["priority"].to_list() == ["normal", "high", "normal", "normal", "normal", "normal", "high", "normal"]
    # count_assignments 1, 2, 1, 1, 0, 1, 3, 1 -> hand-overs after the first assignment
    assert frame["transfers"].to_list() == [0, 1, 0, 0, 0, 0, 2, 0]


def test_conversation_kpis_by_hand(result):
    _, kpis = result
    # 8 conversations, 4507 outbound (left out with its reason)
    assert kpis["ticket_volume"].value == 7
    assert kpis["ticket_volume"].excluded["outbound conversation (started by a teammate)"] == 1
    # first_admin_reply_at - created_at (4505 closed by a bot, no human reply):
    # 5 min, 2 h, 10 min, 1 h, 30 min, 45 min -> sorted 1/12, 1/6, 0.5, 0.75, 1, 2
    frt = kpis["first_response_time"]
    assert frt.n == 6 and frt.excluded["no response yet"] == 1
    assert frt.value == pytest.approx((0.5 + 0.75) / 2, abs=1e-9)
    assert frt.stats["mean"] == pytest.approx((1 / 12 + 2 + 1 / 6 + 1 + 0.5 + 0.75) / 6, abs=1e-9)
    assert frt.stats["p90"] == pytest.approx(2.0, abs=1e-9)  # nearest rank: the 6th of 6
    # closed: 4501 1 h, 4502 26 h, 4505 15 min, 4508 3 h; 4506 was reopened after its close
    # and is open -> sorted 0.25, 1, 3, 26 -> median 2
    res = kpis["resolution_time"]
    assert res.n == 4
    assert res.value == pytest.approx(2.0, abs=1e-9)
    assert res.stats["mean"] == pytest.approx((1 + 26 + 0.25 + 3) / 4, abs=1e-9)
    assert kpis["resolution_rate"].value == pytest.approx(100 * 4 / 7, abs=1e-9)
    assert kpis["backlog"].value == 3  # 4503 open, 4504 snoozed, 4506 reopened
    # resolved 4, reopened among them: 4502 (1), 4508 (2)
    assert kpis["reopen_rate"].value == pytest.approx(50.0, abs=1e-9)
    # transfers > 0: 4502 of 7
    assert kpis["transfer_rate"].value == pytest.approx(100 / 7, abs=1e-9)
    # ratings 5, 2, 4, 5 (3 unrated): top-2-box 3 of 4
    assert kpis["csat"].value == pytest.approx(75.0, abs=1e-9)
    assert kpis["csat"].n == 4


def test_variants(result):
    loaded, _ = result
    kpis = _kpis(loaded, {"csat": {"variant": "exclude_neutral"}, "fcr_rate": {"definition": "no_reopen"}})
    # satisfied 5, 4, 5; dissatisfied 2 -> 3 of 4
    assert kpis["csat"].value == pytest.approx(75.0, abs=1e-9)
    # resolved 4501, 4502, 4505, 4508; never reopened 4501, 4505 -> 2 of 4
    assert kpis["fcr_rate"].value == pytest.approx(50.0, abs=1e-9) and kpis["fcr_rate"].n == 4


def test_what_the_api_cannot_give(result):
    _, kpis = result
    for kpi_id in ("fcr_rate", "nps", "ces", "escalation_rate", "aht", "asa", "service_level", "abandonment_rate"):
        assert not kpis[kpi_id].available, kpi_id


def test_unknown_source_type_is_a_finding(result):
    loaded, _ = result
    run = supportkpi.compute(loaded.frame, ["ticket_volume"], inputs=loaded.inputs)
    (finding,) = [f for f in run.findings if f.column == "channel"]
    assert finding.kind == "unknown value"
    assert finding.examples[0]["value"] == "slack" and finding.examples[0]["row"] == 8


def test_bare_array_and_unreadable_close_time(tmp_path):
    # A plain array of conversations (older API: contacts as a list) reads the same; a close
    # time that is not a number is reported, not dropped.
    doc = json.loads(Path(FIXTURE).read_text())
    conversations = doc["conversations"]
    conversations[0]["contacts"] = conversations[0]["contacts"]["contacts"]
    conversations[0]["statistics"]["last_close_at"] = "soon"
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps(conversations))
    loaded = supportkpi.load([str(path)], source="intercom")
    assert loaded.frame.collect()["customer_id"][0] == "65e1a0c1d2b3"
    run = supportkpi.compute(loaded.frame, ["resolution_rate"], inputs=loaded.inputs)
    (finding,) = [f for f in run.findings if f.column == "resolved_at"]
    assert finding.kind == "unparseable value"
    assert finding.examples[0]["value"] == "soon" and finding.examples[0]["row"] == 1
    # resolved or not is unknown for 4501: left out of the rate; 4507 is outbound; 3 of the
    # other 6 resolved (4502, 4505, 4508)
    rate = run.groups[0].kpis["resolution_rate"]
    assert rate.n == 6 and rate.value == pytest.approx(100 * 3 / 6, abs=1e-9)


CANONICAL = """\
ticket_id,created_at,channel,agent,team,priority,status,customer_id,first_response_at,resolved_at,reopens,transfers,csat
4501,2024-03-04T09:00:00Z,chat,7101,5501,normal,closed,65e1a0c1d2b3,2024-03-04T09:05:00Z,2024-03-04T10:00:00Z,0,0,5
4502,2024-03-04T10:00:00Z,email,7102,5502,high,closed,65e1a0c1d2b4,2024-03-04T12:00:00Z,2024-03-05T12:00:00Z,1,1,2
4503,2024-03-05T08:00:00Z,chat,7101,5501,normal,open,65e1a0c1d2b5,2024-03-05T08:10:00Z,,0,0,
4504,2024-03-05T14:00:00Z,messaging,7103,5501,normal,pending,65e1a0c1d2b6,2024-03-05T15:00:00Z,,0,0,
4505,2024-03-06T11:00:00Z,chat,,,normal,closed,65e1a0c1d2b7,,2024-03-06T11:15:00Z,0,0,
4506,2024-03-06T16:30:00Z,chat,7102,5502,normal,open,65e1a0c1d2b4,2024-03-06T17:00:00Z,,1,0,4
4508,2024-03-08T09:00:00Z,,7103,5503,normal,closed,65e1a0c1d2b9,2024-03-08T09:45:00Z,2024-03-08T12:00:00Z,2,0,5
"""


def test_outbound_and_automated_are_left_out_with_their_reason(tmp_path):
    # 4507 admin_initiated; 4501 made automated and 4502 operator_initiated (a bot): three
    # reasons counted apart, one note each, and the other 5 conversations counted
    doc = json.loads(Path(FIXTURE).read_text())
    doc["conversations"][0]["source"]["delivered_as"] = "automated"
    doc["conversations"][1]["source"]["delivered_as"] = "operator_initiated"
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps(doc))
    loaded = supportkpi.load([str(path)])
    run = supportkpi.compute(loaded.frame, ["ticket_volume"], inputs=loaded.inputs)
    volume = run.groups[0].kpis["ticket_volume"]
    assert volume.value == 5
    assert volume.excluded["outbound conversation (started by a teammate)"] == 1
    assert volume.excluded["automated conversation (outbound message or bot)"] == 2
    notes = {f.effect: f.count for f in run.findings if f.kind == "note"}
    assert notes == {
        "left out of every KPI: outbound conversation (started by a teammate)": 1,
        "left out of every KPI: automated conversation (outbound message or bot)": 2,
    }
    assert run.data_errors == 1  # the unknown channel "slack" only: left-out rows are no error


def test_canonical_twin(result, tmp_path):
    loaded, _ = result
    path = tmp_path / "canonical.csv"
    path.write_text(CANONICAL)
    twin = supportkpi.load([str(path)])
    assert twin.inputs[0].source == "canonical"
    params = {"fcr_rate": {"definition": "no_reopen"}}
    ours, theirs = _kpis(loaded, params), _kpis(twin, params)
    assert set(theirs) == set(ours)
    assert_same_kpis(theirs, ours)
