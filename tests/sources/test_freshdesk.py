"""freshdesk (CSV ticket export) and freshdesk_api (API v2 tickets with stats) presets: each
fixture read, its KPIs worked out by hand, and the same contacts written in canonical columns."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from twin import assert_same_kpis

import supportkpi

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sources"
CSV = str(FIXTURES / "freshdesk.csv")
API = str(FIXTURES / "freshdesk_api.json")
TZ = "America/New_York"  # the export's times are local to the helpdesk

CANNOT = (
    "reopen_rate",
    "fcr_rate",
    "csat",
    "nps",
    "ces",
    "escalation_rate",
    "transfer_rate",
    "aht",
    "asa",
    "service_level",
    "abandonment_rate",
)


def _kpis(loaded, params=None):
    return supportkpi.compute(loaded.frame, inputs=loaded.inputs, params=params).groups[0].kpis


def _twin(tmp_path, text):
    path = tmp_path / "canonical.csv"
    path.write_text(text)
    return path


# --- CSV export --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def csv_result():
    loaded = supportkpi.load([CSV], timezone=TZ)
    return loaded, _kpis(loaded)


def test_csv_detected(csv_result):
    loaded, _ = csv_result
    assert loaded.inputs[0].source == "freshdesk"
    assert loaded.inputs[0].confidence == 1.0


def test_csv_local_times_read_in_the_given_zone(csv_result):
    loaded, _ = csv_result
    frame = loaded.frame.collect()
    first = frame.row(0, named=True)
    # 2024-03-04 09:00:00 in New York (EST, UTC-5)
    assert first["created_at"] == datetime(2024, 3, 4, 14, 0, tzinfo=UTC)
    assert first["channel"] == "email" and first["priority"] == "normal"
    assert first["status"] == "closed" and first["agent_replies"] == 1
    assert frame["channel"].to_list() == [
        "email",
        "web",
        "phone",
        "chat",
        "web",
        "email",
        "email",
        "email",
        "email",
        "chat",
    ]
    assert frame["status"].to_list() == [
        "closed",
        "solved",
        "open",
        "pending",
        "closed",
        "pending",
        "closed",
        None,
        "closed",
        "solved",
    ]


def test_csv_ticket_kpis_by_hand(csv_result):
    _, kpis = csv_result
    assert kpis["ticket_volume"].value == 10
    # Initial response time - Created time, hours (1007 was closed without a response):
    # 1001 0.5, 1002 2, 1003 0.1, 1004 0.05, 1005 6, 1006 17, 1008 1, 1009 10, 1010 1/60
    # sorted 1/60, 0.05, 0.1, 0.5, 1, 2, 6, 10, 17 -> median 1 (5th of 9)
    frt = kpis["first_response_time"]
    assert frt.n == 9 and frt.excluded["no response yet"] == 1
    assert frt.value == pytest.approx(1.0, abs=1e-9)
    assert frt.stats["mean"] == pytest.approx((1 / 60 + 0.05 + 0.1 + 0.5 + 1 + 2 + 6 + 10 + 17) / 9, abs=1e-9)
    assert frt.stats["p90"] == pytest.approx(17.0, abs=1e-9)  # ceil(0.9 * 9) = 9th value
    # Resolved/Closed tickets: 1001 4 h, 1002 24 h, 1005 48 h, 1007 2 h (Closed time only),
    # 1009 12 h, 1010 31 min -> sorted 31/60, 2, 4, 12, 24, 48 -> median (4 + 12) / 2 = 8
    res = kpis["resolution_time"]
    assert res.n == 6
    assert res.value == pytest.approx(8.0, abs=1e-9)
    assert res.stats["mean"] == pytest.approx((4 + 24 + 48 + 2 + 12 + 31 / 60) / 6, abs=1e-9)
    # 6 of 10 resolved; open 1003, pending 1004, waiting 1006, custom status 1008
    assert kpis["resolution_rate"].value == pytest.approx(60.0, abs=1e-9)
    assert kpis["backlog"].value == 4


def test_csv_what_the_export_cannot_give(csv_result):
    _, kpis = csv_result
    for kpi_id in CANNOT:
        assert not kpis[kpi_id].available, kpi_id


def test_csv_custom_status_is_a_finding(csv_result):
    loaded, _ = csv_result
    result = supportkpi.compute(loaded.frame, ["ticket_volume"], inputs=loaded.inputs)
    (finding,) = [f for f in result.findings if f.column == "status"]
    assert finding.kind == "unknown value" and finding.count == 1
    assert finding.examples[0]["value"] == "Awaiting Parts" and finding.examples[0]["row"] == 8


def test_csv_reopened_ticket_is_not_resolved(tmp_path):
    # A Resolved time left from before a reopen does not count while the ticket is Open.
    text = (
        Path(CSV)
        .read_text()
        .replace(
            '1002,"Invoice shows wrong VAT, please fix",Resolved,', '1002,"Invoice shows wrong VAT, please fix",Open,'
        )
    )
    loaded = supportkpi.load([str(_twin(tmp_path, text))], timezone=TZ, source="freshdesk")
    kpis = _kpis(loaded)
    assert kpis["resolution_rate"].value == pytest.approx(50.0, abs=1e-9)
    assert kpis["backlog"].value == 5


CSV_TWIN = """\
ticket_id,created_at,channel,agent,team,priority,status,customer_id,topic,first_response_at,resolved_at,agent_replies
1001,2024-03-04 09:00:00,email,Priya Nair,Tier 1,normal,closed,43000501,Question,2024-03-04 09:30:00,2024-03-04 13:00:00,1
1002,2024-03-04 10:15:00,web,Marco Rossi,Billing,high,solved,43000502,Incident,2024-03-04 12:15:00,2024-03-05 10:15:00,3
1003,2024-03-05 08:00:00,phone,Priya Nair,Tier 2,urgent,open,43000501,Problem,2024-03-05 08:06:00,,1
1004,2024-03-05 14:00:00,chat,Lena Vogel,Tier 1,low,pending,43000503,Question,2024-03-05 14:03:00,,1
1005,2024-03-06 11:00:00,web,Lena Vogel,Product,normal,closed,43000504,Feature Request,2024-03-06 17:00:00,2024-03-08 11:00:00,2
1006,2024-03-06 16:30:00,email,Marco Rossi,Tier 1,normal,pending,43000502,Incident,2024-03-07 09:30:00,,1
1007,2024-03-07 10:00:00,email,,Tier 1,low,closed,43000501,Question,,2024-03-07 12:00:00,0
1008,2024-03-08 09:00:00,email,Marco Rossi,Field Ops,high,,43000505,Incident,2024-03-08 10:00:00,,2
1009,2024-03-10 22:00:00,email,Priya Nair,Billing,low,closed,43000506,Refund,2024-03-11 08:00:00,2024-03-11 10:00:00,2
1010,2024-03-11 09:00:00,chat,Lena Vogel,Tier 2,normal,solved,43000503,Question,2024-03-11 09:01:00,2024-03-11 09:31:00,1
"""


def test_csv_canonical_twin(csv_result, tmp_path):
    _, kpis = csv_result
    twin = supportkpi.load([str(_twin(tmp_path, CSV_TWIN))], timezone=TZ)
    assert twin.inputs[0].source == "canonical"
    twin_kpis = _kpis(twin)
    assert set(twin_kpis) == set(kpis)
    assert_same_kpis(twin_kpis, kpis)


# --- API v2 tickets with stats ----------------------------------------------------------------


@pytest.fixture(scope="module")
def api_result():
    loaded = supportkpi.load([API])
    return loaded, _kpis(loaded)


def test_api_detected(api_result):
    loaded, _ = api_result
    assert loaded.inputs[0].source == "freshdesk_api"
    assert loaded.inputs[0].confidence == 1.0


def test_api_values_translated(api_result):
    loaded, _ = api_result
    frame = loaded.frame.collect()
    assert frame["ticket_id"].to_list() == [str(i) for i in range(101, 109)]
    assert frame["channel"].to_list() == ["email", "web", "phone", "chat", "web", "email", "email", "email"]
    assert frame["priority"].to_list() == ["normal", "high", "urgent", "low", "normal", "normal", "low", "normal"]
    assert frame["reopens"].to_list() == [0, 1, 0, 0, 1, 0, 0, 0]
    assert frame["agent"][0] == "43000011001" and frame["customer_id"][0] == "43000501001"


def test_api_ticket_kpis_by_hand(api_result):
    _, kpis = api_result
    assert kpis["ticket_volume"].value == 8
    # stats.first_responded_at - created_at, hours (107 closed without a response):
    # 0.5, 2, 0.1, 0.05, 6, 17, 1 -> sorted 0.05, 0.1, 0.5, 1, 2, 6, 17 -> median 1
    frt = kpis["first_response_time"]
    assert frt.n == 7
    assert frt.value == pytest.approx(1.0, abs=1e-9)
    assert frt.stats["mean"] == pytest.approx((0.5 + 2 + 0.1 + 0.05 + 6 + 17 + 1) / 7, abs=1e-9)
    assert frt.stats["p90"] == pytest.approx(17.0, abs=1e-9)
    # status 4/5: 101 4 h, 102 24 h, 105 48 h, 107 2 h (closed_at only), 108 12 h -> median 12
    res = kpis["resolution_time"]
    assert res.n == 5
    assert res.value == pytest.approx(12.0, abs=1e-9)
    assert res.stats["mean"] == pytest.approx(90 / 5, abs=1e-9)
    assert kpis["resolution_rate"].value == pytest.approx(100 * 5 / 8, abs=1e-9)
    assert kpis["backlog"].value == 3  # 103 open, 104 pending, 106 custom status
    # resolved 5; reopened_at set on 102 and 105
    assert kpis["reopen_rate"].value == pytest.approx(40.0, abs=1e-9)
    assert kpis["reopen_rate"].n == 5


def test_api_fcr_without_reopens(api_result):
    loaded, kpis = api_result
    assert not kpis["fcr_rate"].available  # one_touch needs agent_replies
    no_reopen = _kpis(loaded, {"fcr_rate": {"definition": "no_reopen"}})["fcr_rate"]
    # resolved 101, 102, 105, 107, 108; never reopened 101, 107, 108 -> 3 of 5
    assert no_reopen.value == pytest.approx(60.0, abs=1e-9) and no_reopen.n == 5


def test_api_what_the_endpoint_cannot_give(api_result):
    _, kpis = api_result
    for kpi_id in ("fcr_rate", "csat", "nps", "ces", "escalation_rate", "transfer_rate", "aht", "asa"):
        assert not kpis[kpi_id].available, kpi_id


def test_api_custom_status_is_a_finding(api_result):
    loaded, _ = api_result
    result = supportkpi.compute(loaded.frame, ["ticket_volume"], inputs=loaded.inputs)
    (finding,) = [f for f in result.findings if f.column == "status"]
    assert finding.kind == "unknown value"
    assert finding.examples[0]["value"] == "6" and finding.examples[0]["row"] == 6


API_TWIN = """\
ticket_id,created_at,channel,agent,team,priority,status,customer_id,topic,first_response_at,resolved_at,reopens
101,2024-03-04T09:00:00Z,email,43000011001,43000001001,normal,closed,43000501001,Question,2024-03-04T09:30:00Z,2024-03-04T13:00:00Z,0
102,2024-03-04T10:00:00Z,web,43000011002,43000001002,high,solved,43000501002,Incident,2024-03-04T12:00:00Z,2024-03-05T10:00:00Z,1
103,2024-03-05T08:00:00Z,phone,43000011001,43000001003,urgent,open,43000501001,Problem,2024-03-05T08:06:00Z,,0
104,2024-03-05T14:00:00Z,chat,43000011003,43000001001,low,pending,43000501003,Question,2024-03-05T14:03:00Z,,0
105,2024-03-06T11:00:00Z,web,43000011003,43000001004,normal,closed,43000501004,Feature Request,2024-03-06T17:00:00Z,2024-03-08T11:00:00Z,1
106,2024-03-06T16:30:00Z,email,43000011002,43000001001,normal,,43000501002,Incident,2024-03-07T09:30:00Z,,0
107,2024-03-07T10:00:00Z,email,,43000001001,low,closed,43000501001,Question,,2024-03-07T12:00:00Z,0
108,2024-03-08T09:00:00Z,email,43000011002,43000001005,normal,solved,43000501005,Incident,2024-03-08T10:00:00Z,2024-03-08T21:00:00Z,0
"""


def test_api_canonical_twin(api_result, tmp_path):
    loaded, kpis = api_result
    twin = supportkpi.load([str(_twin(tmp_path, API_TWIN))])
    assert twin.inputs[0].source == "canonical"
    params = {"fcr_rate": {"definition": "no_reopen"}}
    ours, theirs = _kpis(loaded, params), _kpis(twin, params)
    assert set(theirs) == set(ours)
    for kpi_id, result in ours.items():
        other = theirs[kpi_id]
        assert (other.available, other.n) == (result.available, result.n), kpi_id
        assert other.value == pytest.approx(result.value, abs=1e-9), kpi_id
        assert other.stats == pytest.approx(result.stats, abs=1e-9), kpi_id
