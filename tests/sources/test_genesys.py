"""genesys preset: the fixture (8 conversations as POST /api/v2/analytics/conversations/details/query
returns them, metrics in milliseconds) read and its KPIs worked out by hand.

The conversations (queue seconds / talk + hold + ACW seconds summed over the agents):

1. inbound voice, 12 s, answered by anna: 300 + 30 + 45 (talk split by the hold: two tTalk
   metrics and one tTalkComplete); survey promoter score 9
2. inbound voice, 25 s, ben 420 + 0 + 60, nTransferred 1 to Billing, carla 200 + 20 + 25
   -> 620 + 20 + 85, one transfer; promoter score 6
3. inbound voice, abandoned after 48 s (tAbandon 48000)
4. inbound voice, abandoned after 3 s: a short abandon
5. inbound web messaging, 8 s, anna 600 + 0 + 30; survey pending (no score)
6. outbound voice placed by ben: no queue data; promoter score 10
7. inbound voice, 90 s in queue then a flow-out to voicemail: neither answered nor abandoned
8. ended in the IVR; mediaType "webchat" (read as chat)
"""

import json
from pathlib import Path

import pytest
from twin import assert_same_kpis

import supportkpi
from supportkpi.sources import Field
from supportkpi.sources.genesys import SOURCE, summarize

FIXTURE = str(Path(__file__).parent.parent / "fixtures" / "sources" / "genesys.json")

# The same conversations in canonical columns, written by hand.
CANONICAL = """\
ticket_id,created_at,channel,agent,team,customer_id,answered_at,abandoned,wait_seconds,talk_seconds,hold_seconds,acw_seconds,transfers,nps
g1,2024-03-04T09:00:00Z,phone,anna,Support,k1,2024-03-04T09:00:32Z,false,12,300,30,45,0,9
g2,2024-03-04T09:10:00Z,phone,ben,Support,+14155550102,2024-03-04T09:10:40Z,false,25,620,20,85,1,6
g3,2024-03-04T09:20:00Z,phone,,Support,+14155550103,,true,48,,,,,
g4,2024-03-04T09:25:00Z,phone,,Support,+14155550104,,true,3,,,,,
g5,2024-03-04T10:00:00Z,messaging,anna,Messaging,k5,2024-03-04T10:00:10Z,false,8,600,0,30,0,
g6,2024-03-04T10:30:00Z,phone,ben,,+14155550106,,,,,,,,10
g7,2024-03-04T11:00:00Z,phone,,Support,+14155550107,,,,,,,,
g8,2024-03-04T11:30:00Z,,,,,,,,,,,,
"""


@pytest.fixture(scope="module")
def result():
    loaded = supportkpi.load([FIXTURE])
    return loaded, supportkpi.compute(loaded.frame, inputs=loaded.inputs)


def test_detected(result):
    loaded, _ = result
    assert loaded.inputs[0].source == "genesys"
    assert loaded.inputs[0].confidence == 1.0


def test_call_kpis_by_hand(result):
    _, computed = result
    kpis = computed.groups[0].kpis
    assert kpis["ticket_volume"].value == 8
    # answered: 1, 2, 5; first tAnswered 12, 25, 8 s -> 45 / 3
    assert kpis["asa"].value == pytest.approx(45 / 3, abs=1e-9)
    assert kpis["asa"].n == 3
    # talk 300 + 620 + 600 = 1520; hold 30 + 20 + 0 = 50; ACW 45 + 85 + 30 = 160
    assert kpis["talk_time"].value == pytest.approx(1520 / 3, abs=1e-9)
    assert kpis["hold_time"].value == pytest.approx(50 / 3, abs=1e-9)
    assert kpis["acw_time"].value == pytest.approx(160 / 3, abs=1e-9)
    assert kpis["aht"].value == pytest.approx((1520 + 50 + 160) / 3, abs=1e-9)
    assert kpis["aht"].n == 3
    # offered 5 (1-5), short abandon 1 (4) -> 4 counted; within 20 s: 12, 8 -> 2 of 4
    assert kpis["service_level"].value == pytest.approx(200 / 4, abs=1e-9)
    assert kpis["service_level"].n == 4
    # abandoned after 48 s: 1 of 4
    assert kpis["abandonment_rate"].value == pytest.approx(100 / 4, abs=1e-9)
    # transferred: conversation 2 of the 3 answered
    assert kpis["transfer_rate"].value == pytest.approx(100 / 3, abs=1e-9)
    # promoter scores 9, 6, 10: promoters 2, detractors 1 of 3 -> 100 * (2 - 1) / 3
    assert kpis["nps"].value == pytest.approx(100 / 3, abs=1e-9)
    assert kpis["nps"].n == 3


def test_outbound_flow_out_and_ivr_have_no_queue_data(result):
    _, computed = result
    kpis = computed.groups[0].kpis
    # conversations 6 (outbound), 7 (flow-out), 8 (IVR only)
    assert kpis["abandonment_rate"].excluded["no queue data (not a call or chat)"] == 3
    assert kpis["aht"].excluded["no queue data (not a call or chat)"] == 3


def test_what_conversation_details_cannot_give(result):
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
        "ces",
    ):
        assert not kpis[kpi_id].available, kpi_id


def test_webchat_media_type_is_read_as_chat(result):
    # "webchat" (the older Genesys chat widget) is one of the words channel understands
    # (supportkpi.words); it was an unknown value before the vocabularies were broadened
    loaded, computed = result
    assert not [f for f in computed.findings if f.column == "channel"]
    channels = loaded.frame.collect()["channel"].to_list()
    assert channels[7] == "chat"


def test_several_arrays_go_through_prepare(tmp_path, result):
    """A details query that also asked for aggregations holds two arrays: prepare still picks
    the conversations (and leaves the aggregations); the KPIs are the same."""
    _, expected = result
    document = json.loads(Path(FIXTURE).read_text())
    document["aggregations"] = [{"group": {"mediaType": "voice"}, "data": []}]
    path = tmp_path / "details.json"
    path.write_text(json.dumps(document))
    loaded = supportkpi.load([str(path)])
    assert loaded.inputs[0].source == "genesys"
    kpis = supportkpi.compute(loaded.frame, inputs=loaded.inputs).groups[0].kpis
    assert_same_kpis(kpis, expected.groups[0].kpis)


def test_prepare_reduces_each_conversation_to_one_flat_record():
    """prepare does the reduction once per conversation in plain Python; the fields only name
    the flat keys it emits (no per-row Python in the expressions)."""
    records = SOURCE.prepare(json.loads(Path(FIXTURE).read_text()))
    assert len(records) == 8
    for record in records:
        assert "participants" not in record and "surveys" not in record
        assert all(not isinstance(v, (list, dict)) for k, v in record.items() if k != "divisionIds")
        assert SOURCE.signature <= record.keys()
    assert all(type(spec) is Field for spec in SOURCE.fields.values())
    assert {spec.source for spec in SOURCE.fields.values()} <= records[0].keys()
    # conversation 2: ben 420 + 0 + 60 and carla 200 + 20 + 25, one transfer, 25 s in queue
    g2 = records[1]
    assert (g2["queue"], g2["channel"], g2["answered_at"], g2["abandoned"]) == (
        "Support",
        "phone",
        "2024-03-04T09:10:40.000Z",
        False,
    )
    assert (g2["wait_seconds"], g2["talk_seconds"], g2["hold_seconds"], g2["acw_seconds"]) == (
        25.0,
        620.0,
        20.0,
        85.0,
    )
    assert (g2["transfers"], g2["nps"]) == (1, 6.0)
    # conversation 6 is outbound: its agent and score stay, its queue facts are empty
    g6 = records[5]
    assert g6["agent"] and g6["nps"] == 10.0
    assert all(
        g6[k] is None
        for k in (
            "answered_at",
            "abandoned",
            "wait_seconds",
            "talk_seconds",
            "hold_seconds",
            "acw_seconds",
            "transfers",
        )
    )
    # conversation 8: the unknown media type passes through for typing to report
    assert records[7]["channel"] == "webchat"


def test_prepare_leaves_other_documents_alone():
    intercom = {"type": "conversation.list", "conversations": [{"type": "conversation", "id": "1"}]}
    assert SOURCE.prepare(intercom) is None
    # conversations with an id but no participants are not conversation details either
    assert SOURCE.prepare({"conversations": [{"conversationId": "a", "id": "1"}]}) is None
    assert SOURCE.prepare({"conversations": []}) is None
    assert SOURCE.prepare({"tickets": [{"id": 1}]}) is None
    assert SOURCE.prepare([{"id": 1}]) is None


def test_a_bare_array_of_conversations_is_read_too(tmp_path):
    import json

    document = json.loads(Path(FIXTURE).read_text())
    path = tmp_path / "bare.json"
    path.write_text(json.dumps(document["conversations"]))
    loaded = supportkpi.load([str(path)])
    assert loaded.inputs[0].source == "genesys"
    assert loaded.frame.collect().height == len(document["conversations"])


def test_talk_segments_count_once():
    """tTalk is per segment and tTalkComplete their sum: a session with both counts the
    complete one; a session with only tTalk counts their sum."""

    def agent(*metrics):
        return {
            "purpose": "agent",
            "userId": "u",
            "sessions": [
                {
                    "mediaType": "voice",
                    "metrics": [
                        {"name": name, "value": value, "emitDate": "2024-03-04T09:00:00.000Z"}
                        for name, value in metrics
                    ],
                }
            ],
        }

    queued = {"purpose": "acd", "participantName": "Q", "sessions": [{"metrics": [{"name": "nOffered", "value": 1}]}]}
    both = summarize([queued, agent(("tAnswered", 5000), ("tTalk", 1000), ("tTalk", 2000), ("tTalkComplete", 3000))])
    only_segments = summarize([queued, agent(("tAnswered", 5000), ("tTalk", 1000), ("tTalk", 2000))])
    assert both["talk"] == only_segments["talk"] == 3.0
    assert both["wait"] == 5.0 and both["abandoned"] is False


def test_canonical_twin(tmp_path, result):
    _, computed = result
    path = tmp_path / "canonical.csv"
    path.write_text(CANONICAL)
    twin = supportkpi.load([str(path)], source="canonical")
    kpis = supportkpi.compute(twin.frame, inputs=twin.inputs).groups[0].kpis
    assert_same_kpis(kpis, computed.groups[0].kpis)
