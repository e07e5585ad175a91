"""amazon_connect preset: the fixture (10 contact records as the export stream writes them, one
JSON object per line) read and its KPIs worked out by hand.

The contacts (queue seconds / talk + hold + ACW seconds):

1. INBOUND voice, 12 s, answered: 300 + 30 + 45
2. INBOUND voice, 25 s, answered: 420 + 0 + 60, then transferred (NextContactId -> 8)
3. INBOUND voice, abandoned after 48 s
4. INBOUND voice, abandoned after 3 s (a short abandon: < 5 s)
5. API chat, 8 s, answered: 600 + 0 + 30
6. OUTBOUND voice, no queue: not offered
7. INBOUND, ended in the IVR (no queue): not offered; Channel "VIDEO" is unknown
8. TRANSFER leg of 2, 15 s in the Billing queue, answered: 200 + 20 + 25
9. INBOUND voice, left the queue for a callback after 95 s (NextContactId, no agent): no queue data
10. CALLBACK leg of 9, 1200 s in the callback queue: not offered (the customer was not waiting)
"""

import json
from pathlib import Path

import pytest
from twin import assert_same_kpis

import supportkpi

FIXTURE = str(Path(__file__).parent.parent / "fixtures" / "sources" / "amazon_connect.jsonl")

# The same contacts in canonical columns, written by hand. Contact 7's channel is empty: its
# "VIDEO" is reported and left out. Contacts 6, 7, 9 and 10 have no queue data (no answered_at,
# no abandoned); the outbound one keeps its durations, which no KPI reads without queue data.
CANONICAL = """\
ticket_id,created_at,channel,agent,team,customer_id,answered_at,abandoned,wait_seconds,talk_seconds,hold_seconds,acw_seconds,transfers
c1,2024-03-04T09:00:05Z,phone,jdoe,Support,+14155550101,2024-03-04T09:00:32Z,false,12,300,30,45,0
c2,2024-03-04T09:10:00Z,phone,asmith,Support,+14155550102,2024-03-04T09:10:40Z,false,25,420,0,60,1
c3,2024-03-04T09:20:00Z,phone,,Support,+14155550103,,true,48,,,,
c4,2024-03-04T09:25:00Z,phone,,Support,+14155550104,,true,3,,,,
c5,2024-03-04T10:00:00Z,chat,jdoe,Chat,,2024-03-04T10:00:15Z,false,8,600,0,30,0
c6,2024-03-04T10:30:00Z,phone,asmith,,+14155550106,,,,180,0,20,
c7,2024-03-04T10:40:00Z,,,,+14155550107,,,,,,,
c8,2024-03-04T09:17:25Z,phone,mlee,Billing,+14155550102,2024-03-04T09:17:40Z,false,15,200,20,25,0
c9,2024-03-04T11:00:00Z,phone,,Support,+14155550109,,,95,,,,
c10,2024-03-04T11:01:50Z,phone,jdoe,Support,+14155550109,,,1200,240,0,35,
"""


@pytest.fixture(scope="module")
def result():
    loaded = supportkpi.load([FIXTURE])
    return loaded, supportkpi.compute(loaded.frame, inputs=loaded.inputs)


def test_detected(result):
    loaded, _ = result
    assert loaded.inputs[0].source == "amazon_connect"
    assert loaded.inputs[0].confidence == 1.0


def test_call_kpis_by_hand(result):
    _, computed = result
    kpis = computed.groups[0].kpis
    assert kpis["ticket_volume"].value == 10
    # answered (offered with an agent): 1, 2, 5, 8; waits 12, 25, 8, 15 -> 60 / 4
    assert kpis["asa"].value == pytest.approx(60 / 4, abs=1e-9)
    assert kpis["asa"].n == 4
    # talk 300 + 420 + 600 + 200 = 1520; hold 30 + 0 + 0 + 20 = 50; ACW 45 + 60 + 30 + 25 = 160
    assert kpis["talk_time"].value == pytest.approx(1520 / 4, abs=1e-9)
    assert kpis["hold_time"].value == pytest.approx(50 / 4, abs=1e-9)
    assert kpis["acw_time"].value == pytest.approx(160 / 4, abs=1e-9)
    assert kpis["aht"].value == pytest.approx((1520 + 50 + 160) / 4, abs=1e-9)
    assert kpis["aht"].n == 4
    # offered 6 (1-5, 8), short abandons 1 (contact 4) -> 5 counted;
    # answered within 20 s: 12, 8, 15 -> 3 of 5
    assert kpis["service_level"].value == pytest.approx(300 / 5, abs=1e-9)
    assert kpis["service_level"].n == 5
    # abandoned with wait >= 5 s: contact 3 -> 1 of 5
    assert kpis["abandonment_rate"].value == pytest.approx(100 / 5, abs=1e-9)
    # transfers among the 4 answered: contact 2 -> 1 of 4
    assert kpis["transfer_rate"].value == pytest.approx(100 / 4, abs=1e-9)
    assert kpis["transfer_rate"].n == 4


def test_no_queue_data_for_outbound_ivr_and_callbacks(result):
    _, computed = result
    kpis = computed.groups[0].kpis
    # contacts 6 (outbound), 7 (IVR only), 9 (moved on to a callback), 10 (callback leg)
    assert kpis["abandonment_rate"].excluded["no queue data (not a call or chat)"] == 4
    assert kpis["aht"].excluded["no queue data (not a call or chat)"] == 4


def test_what_contact_records_cannot_give(result):
    _, computed = result
    kpis = computed.groups[0].kpis
    for kpi_id in (
        "first_response_time",
        "resolution_time",
        "resolution_rate",
        "reopen_rate",
        "fcr_rate",
        "backlog",
        "escalation_rate",
        "csat",
        "nps",
        "ces",
    ):
        assert not kpis[kpi_id].available, kpi_id


def test_unknown_channel_is_a_finding(result):
    _, computed = result
    (finding,) = [f for f in computed.findings if f.column == "channel"]
    assert finding.kind == "unknown value"
    assert finding.examples[0]["value"] == "VIDEO" and finding.examples[0]["row"] == 7


def test_json_array_reads_the_same(tmp_path, result):
    _, expected = result
    records = [json.loads(line) for line in Path(FIXTURE).read_text().splitlines()]
    path = tmp_path / "ctr.json"
    path.write_text(json.dumps(records, indent=2))
    loaded = supportkpi.load([str(path)])
    assert loaded.inputs[0].source == "amazon_connect"
    kpis = supportkpi.compute(loaded.frame, inputs=loaded.inputs).groups[0].kpis
    assert_same_kpis(kpis, expected.groups[0].kpis)


def test_canonical_twin(tmp_path, result):
    _, computed = result
    path = tmp_path / "canonical.csv"
    path.write_text(CANONICAL)
    twin = supportkpi.load([str(path)], source="canonical")
    kpis = supportkpi.compute(twin.frame, inputs=twin.inputs).groups[0].kpis
    assert_same_kpis(kpis, computed.groups[0].kpis)
