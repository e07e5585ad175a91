"""salesforce_case preset: the fixture (8 Case records as Data Loader / the Bulk API write them)
and the same records as REST query JSON, read and their KPIs worked out by hand."""

import csv
import json
from pathlib import Path

import pytest
from twin import assert_same_kpis

import supportkpi

FIXTURE = str(Path(__file__).parent.parent / "fixtures" / "sources" / "salesforce_case.csv")

# The same 8 cases by hand in canonical columns. 00001003 is owned by a queue (team, no agent);
# 00001007's Origin "Facebook" is not a default origin, so its channel is empty here; 00001008 was
# reopened (IsClosed false), so its old ClosedDate is no resolution.
CANONICAL = """\
ticket_id,created_at,resolved_at,status,priority,channel,escalated,agent,team,customer_id,topic
00001001,2024-03-04T08:00:00Z,2024-03-04T12:00:00Z,closed,high,email,false,0053X00000Ab1xYQAR,,0033X00003Lm1aAQAR,Performance
00001002,2024-03-04T09:30:00Z,2024-03-04T10:00:00Z,closed,normal,phone,false,0053X00000Ab2yZQAR,,0033X00003Lm2bBQAR,Instructions not clear
00001003,2024-03-04T15:10:00Z,,open,low,web,false,,00G3X000004ZqWtUAK,0033X00003Lm3cCQAR,Breakdown
00001004,2024-03-05T07:45:00Z,,open,high,email,true,0053X00000Ab1xYQAR,,0033X00003Lm4dDQAR,Breakdown
00001005,2024-03-05T10:00:00Z,2024-03-06T16:00:00Z,closed,normal,chat,false,0053X00000Ab2yZQAR,,0033X00003Lm1aAQAR,Feedback
00001006,2024-03-05T13:20:00Z,,on_hold,low,phone,false,0053X00000Ab1xYQAR,,0033X00003Lm5eEQAR,Installation
00001007,2024-03-06T11:00:00Z,2024-03-06T13:00:00Z,closed,normal,,false,0053X00000Ab2yZQAR,,0033X00003Lm6fFQAR,Other
00001008,2024-03-07T08:00:00Z,,open,normal,web,false,0053X00000Ab1xYQAR,,0033X00003Lm3cCQAR,Performance
"""


def _compute(loaded):
    return supportkpi.compute(loaded.frame, inputs=loaded.inputs).groups[0].kpis


@pytest.fixture(scope="module")
def loaded():
    return supportkpi.load([FIXTURE])


@pytest.fixture(scope="module")
def kpis(loaded):
    return _compute(loaded)


def test_detected(loaded):
    assert loaded.inputs[0].source == "salesforce_case"
    assert loaded.inputs[0].confidence == 1.0


def test_values_translated(loaded):
    frame = loaded.frame.collect().sort("ticket_id")
    assert frame["status"].to_list() == ["closed", "closed", "open", "open", "closed", "on_hold", "closed", "open"]
    assert frame["priority"].to_list() == ["high", "normal", "low", "high", "normal", "low", "normal", "normal"]
    assert frame["channel"].to_list() == ["email", "phone", "web", "email", "chat", "phone", None, "web"]
    # the queue-owned case has a team and no agent
    assert frame["agent"].to_list()[2] is None and frame["team"].to_list()[2] == "00G3X000004ZqWtUAK"
    assert frame["agent"].to_list()[0] == "0053X00000Ab1xYQAR" and frame["team"].to_list()[0] is None
    assert frame["topic"].to_list()[1] == "Instructions not clear"


def test_ticket_kpis_by_hand(kpis):
    assert kpis["ticket_volume"].value == 8
    # resolved (IsClosed true; ClosedDate - CreatedDate, hours): 1001 4, 1002 0.5, 1005 30,
    # 1007 2; 1003, 1004, 1006 open, 1008 reopened (its ClosedDate is stale)
    res = kpis["resolution_time"]
    assert res.n == 4
    assert res.value == pytest.approx((2 + 4) / 2, abs=1e-9)  # median of 0.5 2 4 30
    assert res.stats["mean"] == pytest.approx(36.5 / 4, abs=1e-9)
    assert res.stats["p90"] == pytest.approx(30.0, abs=1e-9)  # nearest rank: 4th of 4
    assert kpis["resolution_rate"].value == pytest.approx(100 * 4 / 8, abs=1e-9)
    assert kpis["backlog"].value == 4
    # IsEscalated true: 1004 only
    assert kpis["escalation_rate"].value == pytest.approx(100 * 1 / 8, abs=1e-9)
    assert kpis["escalation_rate"].n == 8


def test_what_the_export_cannot_give(kpis):
    for kpi_id in (
        "first_response_time",
        "csat",
        "reopen_rate",
        "fcr_rate",
        "transfer_rate",
        "aht",
        "asa",
        "service_level",
        "abandonment_rate",
    ):
        assert not kpis[kpi_id].available, kpi_id


def test_unknown_origin_is_a_finding(loaded):
    result = supportkpi.compute(loaded.frame, ["ticket_volume"], inputs=loaded.inputs)
    (finding,) = [f for f in result.findings if f.column == "channel"]
    assert finding.kind == "unknown value"
    assert finding.examples[0]["value"] == "Facebook" and finding.examples[0]["row"] == 7


def test_canonical_twin(loaded, kpis, tmp_path):
    path = tmp_path / "twin.csv"
    path.write_text(CANONICAL)
    twin = supportkpi.load([str(path)])
    assert twin.inputs[0].source == "canonical"
    theirs = _compute(twin)
    assert_same_kpis(kpis, theirs)
    frame = loaded.frame.collect().sort("ticket_id")
    twin_frame = twin.frame.collect().sort("ticket_id")
    for column in ("resolved_at", "status", "priority", "channel", "escalated", "agent", "team", "customer_id"):
        assert frame[column].to_list() == twin_frame[column].to_list(), column


def test_rest_query_json_gives_the_same(kpis, tmp_path):
    # the same records as GET /services/data/vXX.X/query returns them: attributes, JSON booleans
    # and nulls, times with +0000
    with open(FIXTURE, newline="") as handle:
        rows = list(csv.DictReader(handle))
    records = []
    for row in rows:
        record = {"attributes": {"type": "Case", "url": f"/services/data/v59.0/sobjects/Case/{row['Id']}"}}
        for key, value in row.items():
            if key in ("IsClosed", "IsEscalated"):
                record[key] = value == "true"
            elif value == "":
                record[key] = None
            elif key.endswith("Date"):
                record[key] = value.replace("Z", "+0000")
            else:
                record[key] = value
        records.append(record)
    path = tmp_path / "cases.json"
    path.write_text(json.dumps({"totalSize": len(records), "done": True, "records": records}))
    loaded = supportkpi.load([str(path)])
    assert loaded.inputs[0].source == "salesforce_case"
    rest = _compute(loaded)
    for kpi_id, result in kpis.items():
        assert result.n == rest[kpi_id].n, kpi_id
        assert result.value == pytest.approx(rest[kpi_id].value, abs=1e-9), kpi_id
