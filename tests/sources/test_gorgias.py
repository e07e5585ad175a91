"""gorgias preset: the fixture (8 tickets as GET /api/tickets returns them) read and its KPIs
worked out by hand."""

import json
from pathlib import Path

import pytest
from twin import assert_same_kpis

import supportkpi

FIXTURE = str(Path(__file__).parent.parent / "fixtures" / "sources" / "gorgias.json")

# The same 8 tickets written by hand in canonical columns. 1003 was reopened (status open, its old
# closed_datetime ignored); 1006 is snoozed (closed); 1007's channel "tiktok-shop" is unknown,
# so its channel is empty here.
CANONICAL = """\
ticket_id,created_at,channel,agent,team,priority,status,customer_id,resolved_at,csat
1001,2024-03-04T09:00:00Z,email,alice@shop.example,Tier 1,normal,closed,501,2024-03-04T13:00:00Z,5
1002,2024-03-04T10:30:00Z,chat,bruno@shop.example,Tier 1,high,closed,502,2024-03-04T11:00:00Z,4
1003,2024-03-04T12:00:00Z,email,alice@shop.example,Tier 1,low,open,503,,
1004,2024-03-05T08:15:00Z,messaging,bruno@shop.example,Social,normal,closed,504,2024-03-06T08:15:00Z,2
1005,2024-03-05T14:00:00Z,phone,alice@shop.example,Tier 1,urgent,closed,505,2024-03-05T14:45:00Z,
1006,2024-03-06T09:00:00Z,social,bruno@shop.example,Social,normal,closed,506,2024-03-06T12:00:00Z,3
1007,2024-03-06T16:00:00Z,,,,normal,open,507,,
1008,2024-03-07T07:30:00Z,sms,alice@shop.example,Tier 1,low,closed,501,2024-03-07T09:30:00Z,1
"""


@pytest.fixture(scope="module")
def loaded():
    return supportkpi.load([FIXTURE])


@pytest.fixture(scope="module")
def kpis(loaded):
    return supportkpi.compute(loaded.frame, inputs=loaded.inputs).groups[0].kpis


def test_detected(loaded):
    assert loaded.inputs[0].source == "gorgias"
    assert loaded.inputs[0].confidence == 1.0


def test_values_translated(loaded):
    frame = loaded.frame.collect().sort("ticket_id")
    assert frame["channel"].to_list() == ["email", "chat", "email", "messaging", "phone", "social", None, "sms"]
    assert frame["priority"].to_list()[4] == "urgent"  # Gorgias "critical"
    assert frame["agent"].to_list()[0] == "alice@shop.example"
    assert frame["team"].to_list()[3] == "Social"
    assert frame["customer_id"].to_list()[7] == "501"
    # 1003 was reopened: its status is open, so its earlier closed_datetime is not a resolution
    assert frame["resolved_at"].is_null().to_list() == [False, False, True, False, False, False, True, False]


def test_language_read(loaded):
    # every ticket of the fixture has "language": "en"
    frame = loaded.frame.collect()
    assert frame["language"].value_counts().rows() == [("en", 8)]


def test_ticket_kpis_by_hand(kpis):
    assert kpis["ticket_volume"].value == 8
    # resolved (closed_datetime - created_datetime, hours): 1001 4, 1002 0.5, 1004 24,
    # 1005 0.75, 1006 3 (snoozed counts as closed), 1008 2; 1003 (reopened) and 1007 unresolved
    res = kpis["resolution_time"]
    assert res.n == 6
    assert res.value == pytest.approx((2 + 3) / 2, abs=1e-9)  # median of 0.5 0.75 2 3 4 24
    assert res.stats["mean"] == pytest.approx(34.25 / 6, abs=1e-9)
    assert res.stats["p90"] == pytest.approx(24.0, abs=1e-9)  # nearest rank: 6th of 6
    assert kpis["resolution_rate"].value == pytest.approx(100 * 6 / 8, abs=1e-9)
    assert kpis["backlog"].value == 2  # 1003 and 1007
    # survey scores 5, 4, 2, 3, 1 (1003 sent, not answered; 1005 and 1007 no survey):
    # 4 or 5 -> 2 of 5
    assert kpis["csat"].value == pytest.approx(100 * 2 / 5, abs=1e-9)
    assert kpis["csat"].n == 5


def test_csat_exclude_neutral(loaded):
    result = supportkpi.compute(
        loaded.frame, ["csat"], params={"csat": {"variant": "exclude_neutral"}}, inputs=loaded.inputs
    )
    # satisfied 5, 4; dissatisfied 2, 1; the 3 left out -> 2 / 4
    assert result.groups[0].kpis["csat"].value == pytest.approx(50.0, abs=1e-9)


def test_what_the_export_cannot_give(kpis):
    for kpi_id in (
        "first_response_time",
        "reopen_rate",
        "fcr_rate",
        "escalation_rate",
        "transfer_rate",
        "aht",
        "asa",
        "service_level",
        "abandonment_rate",
    ):
        assert not kpis[kpi_id].available, kpi_id


def test_unknown_channel_is_a_finding(loaded):
    result = supportkpi.compute(loaded.frame, ["ticket_volume"], inputs=loaded.inputs)
    (finding,) = [f for f in result.findings if f.column == "channel"]
    assert finding.kind == "unknown value"
    assert finding.examples[0]["value"] == "tiktok-shop" and finding.examples[0]["row"] == 7


def test_canonical_twin(loaded, tmp_path):
    path = tmp_path / "twin.csv"
    path.write_text(CANONICAL)
    twin = supportkpi.load([str(path)])
    assert twin.inputs[0].source == "canonical"
    mine = supportkpi.compute(loaded.frame, inputs=loaded.inputs).groups[0].kpis
    theirs = supportkpi.compute(twin.frame, inputs=twin.inputs).groups[0].kpis
    assert_same_kpis(mine, theirs)
    frame = loaded.frame.collect().sort("ticket_id").drop("_source", "_row")
    twin_frame = twin.frame.collect().sort("ticket_id")
    for column in ("channel", "priority", "status", "agent", "team", "customer_id", "csat"):
        assert frame[column].to_list() == twin_frame[column].to_list(), column


def test_plain_array_and_naive_utc_times(tmp_path):
    # Gorgias' documented examples write naive times (UTC); a plain array of tickets also reads
    doc = json.loads(Path(FIXTURE).read_text())
    for ticket in doc["data"]:
        for key, value in list(ticket.items()):
            if key.endswith("_datetime") and isinstance(value, str):
                ticket[key] = value.replace("+00:00", "")
    path = tmp_path / "tickets.json"
    path.write_text(json.dumps(doc["data"]))
    loaded = supportkpi.load([str(path)], source="gorgias")
    kpis = supportkpi.compute(loaded.frame, ["resolution_time"], inputs=loaded.inputs).groups[0].kpis
    assert kpis["resolution_time"].value == pytest.approx(2.5, abs=1e-9)
