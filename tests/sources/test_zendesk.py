"""zendesk and zendesk_csv presets: the fixtures (the same nine tickets as an incremental API
export with side-loaded metric sets, and as the account's ticket CSV export) read, and their KPIs
worked out by hand.

The nine tickets (times UTC; the CSV writes them to the minute in Europe/Berlin, UTC+2):

=====  ================  ========  =====  ==========  ===========  ======  =======  ========
id     channel           status    reply  solved      full res.    reopen  replies  CSAT
=====  ================  ========  =====  ==========  ===========  ======  =======  ========
48101  email             closed    95 m   05-06 13:40 328 m        0       1        good
48102  web               solved    42 m   05-07 10:30 1500 m       0       3        bad
48103  chat              solved    0 m    05-06 11:23 18 m         0       1        offered
48104  voice (phone)     closed    12 m   05-09 09:15 2595 m       1       2        good
48105  native_messaging  pending   7 m    -           -            0       1        unoffered
48106  email             new       -      -           -            0       0        unoffered
48107  api (other)       hold      180 m  -           -            0       1        unoffered
48108  whatsapp          solved    -      05-09 10:25 15 m         0       0        unoffered
48109  email             deleted   (no metric set: a deleted ticket)                unoffered
=====  ================  ========  =====  ==========  ===========  ======  =======  ========

48102 was solved at 10:30:47, 25 h 0 min 37 s after creation; Zendesk counts 1500 minutes. The
CSV has it at the minute (11:30 -> 12:30 local), so there it is 25 h exactly. In the CSV 48107 is
"Open" and 48108 came by "Instagram DM" (the via names confirmed for the CSV).
"""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from twin import assert_same_kpis

import supportkpi
from supportkpi.sources.zendesk import prepare

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sources"
JSON_FIXTURE = str(FIXTURES / "zendesk.json")
CSV_FIXTURE = str(FIXTURES / "zendesk_csv.csv")
BERLIN = "Europe/Berlin"

NOT_AVAILABLE = (
    "escalation_rate",
    "transfer_rate",
    "nps",
    "ces",
    "qa_score",
    "aht",
    "talk_time",
    "hold_time",
    "acw_time",
    "asa",
    "service_level",
    "abandonment_rate",
    "conversion_rate",
)
TICKET_KPIS = (
    "ticket_volume",
    "first_response_time",
    "resolution_time",
    "resolution_rate",
    "reopen_rate",
    "fcr_rate",
    "backlog",
    "csat",
)
H = 3600.0


def kpis_of(path, **load):
    loaded = supportkpi.load([path], **load)
    return loaded, supportkpi.compute(loaded.frame, inputs=loaded.inputs)


@pytest.fixture(scope="module")
def api():
    return kpis_of(JSON_FIXTURE)


@pytest.fixture(scope="module")
def csv_export():
    return kpis_of(CSV_FIXTURE, timezone=BERLIN)


# --- the API / incremental export (JSON) -------------------------------------------------------


def test_api_export_detected(api):
    loaded, _ = api
    assert loaded.inputs[0].source == "zendesk"
    assert loaded.inputs[0].confidence == 1.0


def test_prepare_joins_metric_sets_by_ticket_id():
    document = {
        "tickets": [{"id": 5, "status": "open"}, {"id": 6, "status": "new"}],
        "metric_sets": [{"ticket_id": "5", "reopens": 2}, {"ticket_id": 99, "reopens": 1}],
        "end_of_stream": True,
    }
    records = prepare(document)
    assert records == [
        {"id": 5, "status": "open", "metric_set": {"ticket_id": "5", "reopens": 2}},
        {"id": 6, "status": "new"},  # no metric set: the ticket fields only
    ]
    assert prepare({"users": [{"id": 1}], "groups": [{"id": 2}]}) is None
    assert prepare([{"id": 1}]) is None


def test_prepared_fields_flatten_to_dotted_names():
    document = json.loads(Path(JSON_FIXTURE).read_text())
    first = prepare(document)[0]
    assert first["metric_set"]["reply_time_in_minutes"] == {"calendar": 95, "business": 95}
    assert first["metric_set"]["ticket_id"] == first["id"] == 48101


def test_api_ticket_kpis_by_hand(api):
    _, result = api
    kpis = result.groups[0].kpis
    # 48109 is a deleted ticket: left out of every KPI, as Zendesk's own reports do
    assert kpis["ticket_volume"].value == 8
    assert kpis["ticket_volume"].excluded["deleted ticket"] == 1

    # first reply (calendar minutes): 95, 42, 0, 12, 7, 180; none for 48106, 48108
    # sorted 0, 7, 12, 42, 95, 180: median (12 + 42) / 2 = 27 min, mean 336 / 6 = 56 min,
    # p90 = 6th of 6 (ceil 5.4) = 180 min
    frt = kpis["first_response_time"]
    assert frt.n == 6 and frt.excluded["no response yet"] == 2
    assert frt.value == pytest.approx(27 / 60, abs=1e-9)
    assert frt.stats["mean"] == pytest.approx(56 / 60, abs=1e-9)
    assert frt.stats["p90"] == pytest.approx(3.0, abs=1e-9)

    # resolution from the timestamps (they win over the minutes): 48101 5 h 28 min = 19680 s,
    # 48102 25 h 0 min 37 s = 90037 s, 48103 1080 s, 48104 43 h 15 min = 155700 s, 48108 900 s
    # sorted 900, 1080, 19680, 90037, 155700: median 19680 s, mean 267397 / 5 s, p90 155700 s
    res = kpis["resolution_time"]
    assert res.n == 5 and res.excluded["unresolved"] == 3
    assert res.value == pytest.approx(19680 / H, abs=1e-9)
    assert res.stats["mean"] == pytest.approx(267397 / 5 / H, abs=1e-9)
    assert res.stats["p90"] == pytest.approx(43.25, abs=1e-9)

    # resolved 5 of 8 (the deleted ticket is left out)
    assert kpis["resolution_rate"].value == pytest.approx(500 / 8, abs=1e-9)
    # reopened: 48104 only, of 5 resolved
    assert kpis["reopen_rate"].value == pytest.approx(20.0, abs=1e-9)
    assert kpis["reopen_rate"].n == 5
    # one-touch (<= 1 public reply, no reopen): 48101 (1), 48103 (1), 48108 (0) -> 3 of 5
    assert kpis["fcr_rate"].value == pytest.approx(60.0, abs=1e-9)
    # backlog at the report's end: 48105, 48106 and 48107 are not resolved
    assert kpis["backlog"].value == 3 and kpis["backlog"].n == 8
    assert result.as_of == datetime(2024, 5, 10, 12, 0, tzinfo=UTC)
    # CSAT: good (5) 48101, 48104; bad (1) 48102; offered/unoffered are no answer -> 2 of 3
    assert kpis["csat"].value == pytest.approx(200 / 3, abs=1e-9)
    assert kpis["csat"].n == 3 and kpis["csat"].excluded["no answer"] == 5


def test_api_variants_reproduce_zendesk(api):
    loaded, _ = api
    params = {"csat": {"variant": "exclude_neutral"}, "fcr_rate": {"definition": "exactly_one_reply"}}
    kpis = supportkpi.compute(loaded.frame, ["csat", "fcr_rate"], params=params).groups[0].kpis
    # good / (good + bad) as Zendesk counts it: 2 / 3, the same as top-2-box on 5 and 1
    assert kpis["csat"].value == pytest.approx(200 / 3, abs=1e-9)
    # exactly one reply and no reopen: 48101, 48103 -> 2 of 5
    assert kpis["fcr_rate"].value == pytest.approx(40.0, abs=1e-9)


def test_api_vocabularies(api):
    loaded, _ = api
    frame = loaded.frame.collect().sort("ticket_id")
    assert frame["channel"].to_list() == [
        "email",
        "web",
        "chat",
        "phone",
        "messaging",
        "email",
        "other",
        "messaging",
        "email",
    ]
    assert frame["status"].to_list() == [
        "closed",
        "solved",
        "solved",
        "closed",
        "pending",
        "new",
        "on_hold",
        "solved",
        None,
    ]
    assert frame["priority"].to_list() == [
        "normal",
        "high",
        "normal",
        "normal",
        "low",
        None,
        "normal",
        "high",
        None,
    ]
    assert frame["agent"][0] == "9001" and frame["team"][0] == "360000111001"
    assert frame["customer_id"][0] == "7001" and frame["topic"][0] == "question"


def test_api_what_the_export_cannot_give(api):
    _, result = api
    kpis = result.groups[0].kpis
    for kpi_id in NOT_AVAILABLE:
        assert not kpis[kpi_id].available, kpi_id


def test_api_deleted_ticket_is_left_out_with_its_reason(api):
    _, result = api
    assert not [f for f in result.findings if f.column == "status"]
    (note,) = [f for f in result.findings if "deleted ticket" in (f.effect or "")]
    assert note.count == 1


def test_api_unknown_channel_is_a_finding(tmp_path):
    document = json.loads(Path(JSON_FIXTURE).read_text())
    document["tickets"][2]["via"]["channel"] = "side_conversation"
    path = tmp_path / "tickets.json"
    path.write_text(json.dumps(document))
    loaded = supportkpi.load([str(path)])
    result = supportkpi.compute(loaded.frame, ["ticket_volume"], inputs=loaded.inputs)
    (finding,) = [f for f in result.findings if f.column == "channel"]
    assert finding.examples[0]["value"] == "side_conversation" and finding.examples[0]["row"] == 3


def test_tickets_without_metric_sets(tmp_path):
    # GET /api/v2/tickets.json without include: one array, read without the prepare hook
    document = json.loads(Path(JSON_FIXTURE).read_text())
    path = tmp_path / "tickets.json"
    path.write_text(json.dumps({"tickets": document["tickets"], "next_page": None, "count": 9}))
    loaded, result = kpis_of(str(path))
    assert loaded.inputs[0].source == "zendesk"
    # the tickets without metric sets are the layout sync tools land: a variant of its own
    assert loaded.inputs[0].confidence == 1.0
    kpis = result.groups[0].kpis
    assert kpis["csat"].value == pytest.approx(200 / 3, abs=1e-9)
    for kpi_id in ("first_response_time", "resolution_time", "reopen_rate", "fcr_rate"):
        assert not kpis[kpi_id].available, kpi_id


API_TWIN = """\
ticket_id,created_at,channel,agent,team,priority,status,customer_id,topic,first_response_seconds,resolved_at,resolution_seconds,reopens,agent_replies,csat
48101,2024-05-06T08:12:44Z,email,9001,360000111001,normal,closed,7001,question,5700,2024-05-06T13:40:44Z,19680,0,1,5
48102,2024-05-06T09:30:10Z,web,9002,360000111002,high,solved,7002,incident,2520,2024-05-07T10:30:47Z,90000,0,3,1
48103,2024-05-06T11:05:00Z,chat,9001,360000111001,normal,solved,7003,question,0,2024-05-06T11:23:00Z,1080,0,1,
48104,2024-05-07T14:00:00Z,phone,9003,360000111002,normal,closed,7004,problem,720,2024-05-09T09:15:00Z,155700,1,2,5
48105,2024-05-08T16:20:05Z,messaging,9002,360000111001,low,pending,7005,question,420,,,0,1,
48106,2024-05-09T22:47:31Z,email,,,,new,7001,,,,,0,0,
48107,2024-05-08T07:00:00Z,other,9001,360000111001,normal,on_hold,7006,task,10800,,,0,1,
48108,2024-05-09T10:10:10Z,messaging,9002,360000111002,high,solved,7007,problem,,2024-05-09T10:25:10Z,900,0,0,
"""

CSV_TWIN = """\
ticket_id,created_at,channel,agent,team,priority,status,customer_id,topic,first_response_seconds,resolved_at,resolution_seconds,reopens,agent_replies,csat
48101,2024-05-06T08:12:00Z,email,Mara Klein,Support,normal,closed,7001,question,5700,2024-05-06T13:40:00Z,19680,0,1,5
48102,2024-05-06T09:30:00Z,web,Oskar Lind,Tech,high,solved,7002,incident,2520,2024-05-07T10:30:00Z,90000,0,3,1
48103,2024-05-06T11:05:00Z,chat,Mara Klein,Support,normal,solved,7003,question,0,2024-05-06T11:23:00Z,1080,0,1,
48104,2024-05-07T14:00:00Z,phone,Pia Roth,Tech,normal,closed,7004,problem,720,2024-05-09T09:15:00Z,155700,1,2,5
48105,2024-05-08T16:20:00Z,messaging,Oskar Lind,Support,low,pending,7005,question,420,,,0,1,
48106,2024-05-09T22:47:00Z,email,,,,new,7001,,,,,0,0,
48107,2024-05-08T07:00:00Z,other,Mara Klein,Support,normal,open,7006,task,10800,,,0,1,
48108,2024-05-09T10:10:00Z,messaging,Oskar Lind,Tech,high,solved,7007,problem,,2024-05-09T10:25:00Z,900,0,0,
"""


def assert_twins(preset_result, twin_text, tmp_path):
    path = tmp_path / "canonical.csv"
    path.write_text(twin_text)
    _, twin = kpis_of(str(path), source="canonical")
    assert_same_kpis(preset_result.groups[0].kpis, twin.groups[0].kpis)


def test_api_canonical_twin(api, tmp_path):
    _, result = api
    assert_twins(result, API_TWIN, tmp_path)


def test_minute_rounding_is_not_a_disagreement(api):
    _, result = api
    assert not [f for f in result.findings if "disagree" in f.kind]


# --- the account's ticket CSV export -----------------------------------------------------------


def test_csv_export_detected(csv_export):
    loaded, _ = csv_export
    assert loaded.inputs[0].source == "zendesk_csv"
    assert loaded.inputs[0].confidence == 1.0


def test_csv_local_times(csv_export):
    loaded, _ = csv_export
    frame = loaded.frame.collect().sort("ticket_id")
    # "2024-05-10 00:47" in Berlin (CEST) is the 9th at 22:47 UTC
    assert frame["created_at"][5] == datetime(2024, 5, 9, 22, 47, tzinfo=UTC)
    assert frame["resolved_at"][0] == datetime(2024, 5, 6, 13, 40, tzinfo=UTC)


def test_csv_ticket_kpis_by_hand(csv_export):
    _, result = csv_export
    kpis = result.groups[0].kpis
    # 48109 ("Deleted") is left out of every KPI, as in the API preset
    assert kpis["ticket_volume"].value == 8
    assert kpis["ticket_volume"].excluded["deleted ticket"] == 1

    # first reply minutes as in the API: 0, 7, 12, 42, 95, 180 -> median 27, mean 56, p90 180
    frt = kpis["first_response_time"]
    assert frt.n == 6 and frt.excluded["no response yet"] == 2
    assert frt.value == pytest.approx(27 / 60, abs=1e-9)
    assert frt.stats["mean"] == pytest.approx(56 / 60, abs=1e-9)
    assert frt.stats["p90"] == pytest.approx(3.0, abs=1e-9)

    # resolution from the minute timestamps: 15, 18, 328, 1500, 2595 min
    # median 328 min, mean 4456 / 5 min, p90 2595 min = 43.25 h
    res = kpis["resolution_time"]
    assert res.n == 5 and res.excluded["unresolved"] == 3
    assert res.value == pytest.approx(328 / 60, abs=1e-9)
    assert res.stats["mean"] == pytest.approx(4456 / 5 / 60, abs=1e-9)
    assert res.stats["p90"] == pytest.approx(43.25, abs=1e-9)

    # resolved 5 of 8; backlog 48105, 48106, 48107 (the deleted ticket is neither)
    assert kpis["resolution_rate"].value == pytest.approx(500 / 8, abs=1e-9)
    assert kpis["reopen_rate"].value == pytest.approx(20.0, abs=1e-9)
    assert kpis["fcr_rate"].value == pytest.approx(60.0, abs=1e-9)
    assert kpis["backlog"].value == 3 and kpis["backlog"].n == 8
    # Good, Bad, Good answered; Offered and Not Offered are no answer
    assert kpis["csat"].value == pytest.approx(200 / 3, abs=1e-9)
    assert kpis["csat"].n == 3 and kpis["csat"].excluded["no answer"] == 5
    # minute timestamps and minute counts agree: no disagreement here
    assert not [f for f in result.findings if "disagree" in f.kind]


def test_csv_vocabularies(csv_export):
    loaded, _ = csv_export
    frame = loaded.frame.collect().sort("ticket_id")
    assert frame["channel"].to_list() == [
        "email",
        "web",
        "chat",
        "phone",
        "messaging",
        "email",
        "other",
        "messaging",
        "email",
    ]
    assert frame["status"].to_list() == [
        "closed",
        "solved",
        "solved",
        "closed",
        "pending",
        "new",
        "open",
        "solved",
        None,
    ]
    # "-" is the export's empty mark
    assert frame["priority"][5] is None and frame["topic"][5] is None
    assert frame["topic"][0] == "question" and frame["agent"][0] == "Mara Klein"
    assert frame["customer_id"][0] == "7001"


def test_csv_what_the_export_cannot_give(csv_export):
    _, result = csv_export
    kpis = result.groups[0].kpis
    for kpi_id in NOT_AVAILABLE:
        assert not kpis[kpi_id].available, kpi_id
    for kpi_id in TICKET_KPIS:
        assert kpis[kpi_id].available, kpi_id


def test_csv_deleted_ticket_is_left_out_with_its_reason(csv_export):
    """As the API preset does (the CSV preset reported "Deleted" as an unknown status and
    counted the ticket in every KPI)."""
    _, result = csv_export
    assert not [f for f in result.findings if f.column == "status"]
    (note,) = [f for f in result.findings if "deleted ticket" in (f.effect or "")]
    assert note.count == 1


def test_csv_canonical_twin(csv_export, tmp_path):
    _, result = csv_export
    assert_twins(result, CSV_TWIN, tmp_path)
