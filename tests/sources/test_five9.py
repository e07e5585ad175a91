"""five9 preset: the fixture (9 calls in the Call Log report layout, HH:MM:SS durations, local
time stamps) read and its KPIs worked out by hand.

The calls (queue wait / talk + hold + ACW seconds):

1. Inbound, 12 s, answered: 300 + 30 + 45
2. Inbound, 25 s, answered: 420 + 0 + 60, TRANSFERS 1
3. Inbound, abandoned after 48 s
4. Inbound, abandoned after 3 s (a short abandon)
5. Inbound, 8 s, answered: 600 + 0 + 30, TRANSFERS empty (= 0)
6. Manual (outbound): no queue data
7. Inbound that ended in the IVR ([None] agent, not abandoned): no queue data
8. Queue Callback (the callback leg, 20 min "queue wait"): no queue data
9. CALL TYPE "Web Callback": not a call type the preset knows
"""

from pathlib import Path

import pytest
from twin import assert_same_kpis

import supportkpi

FIXTURE = str(Path(__file__).parent.parent / "fixtures" / "sources" / "five9.csv")

# The same calls in canonical columns, written by hand (times as in the file: local, read in the
# same --tz).
CANONICAL = """\
ticket_id,created_at,channel,agent,team,customer_id,abandoned,wait_seconds,talk_seconds,hold_seconds,acw_seconds,transfers
300001,2024-03-04 09:00:05,phone,jdoe@acme.example,Support,4155550101,false,12,300,30,45,0
300002,2024-03-04 09:10:00,phone,asmith@acme.example,Support,4155550102,false,25,420,0,60,1
300003,2024-03-04 09:20:00,phone,,Support,4155550103,true,48,0,0,0,
300004,2024-03-04 09:25:00,phone,,Support,4155550104,true,3,0,0,0,
300005,2024-03-04 10:00:00,phone,jdoe@acme.example,Billing,4155550105,false,8,600,0,30,0
300006,2024-03-04 10:30:00,phone,asmith@acme.example,Outbound Follow-up,8005550100,,0,172,0,20,
300007,2024-03-04 10:40:00,phone,,Support Inbound,4155550107,,0,0,0,0,
300008,2024-03-04 11:22:05,phone,jdoe@acme.example,Support,8005550100,,1200,240,0,35,
300009,2024-03-04 11:40:00,,mlee@acme.example,Support,8005550100,,0,124,0,15,
"""


@pytest.fixture(scope="module")
def result():
    loaded = supportkpi.load([FIXTURE])
    return loaded, supportkpi.compute(loaded.frame, inputs=loaded.inputs)


def test_detected(result):
    loaded, _ = result
    assert loaded.inputs[0].source == "five9"
    assert loaded.inputs[0].confidence == 1.0


def test_call_kpis_by_hand(result):
    _, computed = result
    kpis = computed.groups[0].kpis
    assert kpis["ticket_volume"].value == 9
    # answered inbound calls: 1, 2, 5; waits 12, 25, 8 -> 45 / 3
    assert kpis["asa"].value == pytest.approx(45 / 3, abs=1e-9)
    assert kpis["asa"].n == 3
    # talk 300 + 420 + 600 = 1320; hold 30; ACW 45 + 60 + 30 = 135
    assert kpis["talk_time"].value == pytest.approx(1320 / 3, abs=1e-9)
    assert kpis["hold_time"].value == pytest.approx(30 / 3, abs=1e-9)
    assert kpis["acw_time"].value == pytest.approx(135 / 3, abs=1e-9)
    assert kpis["aht"].value == pytest.approx((1320 + 30 + 135) / 3, abs=1e-9)
    assert kpis["aht"].n == 3
    # offered 5 (1-5), short abandons 1 (4) -> 4; within 20 s: 12, 8 -> 2 of 4
    assert kpis["service_level"].value == pytest.approx(200 / 4, abs=1e-9)
    assert kpis["service_level"].n == 4
    # abandoned after 48 s: 1 of 4
    assert kpis["abandonment_rate"].value == pytest.approx(100 / 4, abs=1e-9)
    # TRANSFERS 0, 1, empty (0) on the answered calls -> 1 of 3
    assert kpis["transfer_rate"].value == pytest.approx(100 / 3, abs=1e-9)
    assert kpis["transfer_rate"].n == 3


def test_only_inbound_calls_are_offered(result):
    _, computed = result
    kpis = computed.groups[0].kpis
    # calls 6 (manual), 7 (IVR only), 8 (queue callback), 9 (unknown call type)
    assert kpis["abandonment_rate"].excluded["no queue data (not a call or chat)"] == 4


def test_what_the_call_log_cannot_give(result):
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


def test_unknown_call_type_is_a_finding(result):
    _, computed = result
    (finding,) = [f for f in computed.findings if f.column == "channel"]
    assert finding.kind == "unknown value"
    assert finding.examples[0]["value"] == "Web Callback" and finding.examples[0]["row"] == 9


def test_local_times_are_read_in_the_given_zone():
    loaded = supportkpi.load([FIXTURE], timezone="America/Los_Angeles")
    first = loaded.frame.collect().row(0, named=True)["created_at"]
    # 09:00:05 in Los Angeles on 4 March 2024 (PST, UTC-8)
    assert first.isoformat() == "2024-03-04T17:00:05+00:00"


def test_date_and_time_columns_instead_of_timestamp(tmp_path, result):
    """Custom call log reports may have DATE (yyyy/mm/dd) and TIME instead of TIMESTAMP."""
    lines = Path(FIXTURE).read_text().splitlines()
    header = lines[0].replace("TIMESTAMP", "DATE,TIME")
    rows = []
    for line in lines[1:]:
        start = line.index('"')
        end = line.index('"', start + 1)
        day, month, year, clock = line[start + 6 : end].split(" ")
        months = {"Mar": "03"}
        rows.append(f"{line[:start]}{year}/{months[month]}/{day},{clock}{line[end + 1 :]}")
    path = tmp_path / "call_log.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    loaded = supportkpi.load([str(path)], source="five9")
    stamps = loaded.frame.collect()["created_at"].to_list()
    expected = result[0].frame.collect()["created_at"].to_list()
    assert stamps == expected and None not in stamps


def test_unreadable_timestamp_is_a_finding(tmp_path):
    text = (
        Path(FIXTURE).read_text().replace('"Mon, 04 Mar 2024 10:00:00"', '"04.03.2024 at 10"')
    )  # no layout reads 'at 10'
    path = tmp_path / "call_log.csv"
    path.write_text(text)
    loaded = supportkpi.load([str(path)], source="five9")
    computed = supportkpi.compute(loaded.frame, ["ticket_volume"], inputs=loaded.inputs)
    (finding,) = [f for f in computed.findings if f.column == "created_at"]
    assert finding.examples[0]["value"] == "04.03.2024 at 10" and finding.examples[0]["row"] == 5


def test_canonical_twin(tmp_path, result):
    _, computed = result
    path = tmp_path / "canonical.csv"
    path.write_text(CANONICAL)
    twin = supportkpi.load([str(path)], source="canonical")
    kpis = supportkpi.compute(twin.frame, inputs=twin.inputs).groups[0].kpis
    assert_same_kpis(kpis, computed.groups[0].kpis)
