"""helpscout preset: the fixture (one Mailbox API 2.0 list response with 8 conversations) read
through the preset's prepare hook, its KPIs worked out by hand, and the same conversations
written in canonical columns."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from twin import assert_same_kpis

import supportkpi

FIXTURE = str(Path(__file__).parent.parent / "fixtures" / "sources" / "helpscout.json")


def _kpis(loaded):
    return supportkpi.compute(loaded.frame, inputs=loaded.inputs).groups[0].kpis


@pytest.fixture(scope="module")
def result():
    loaded = supportkpi.load([FIXTURE])
    return loaded, _kpis(loaded)


def test_detected(result):
    loaded, _ = result
    assert loaded.inputs[0].source == "helpscout"
    assert loaded.inputs[0].confidence == 1.0


def test_prepare_picks_the_conversations():
    from supportkpi.sources import helpscout

    doc = json.loads(Path(FIXTURE).read_text())
    records = helpscout.SOURCE.prepare(doc)
    assert [r["number"] for r in records] == list(range(101, 109))
    assert not any(k.startswith("_") for r in records for k in r)  # HAL _links/_embedded dropped
    assert helpscout.SOURCE.prepare({"tickets": [{"id": 1}], "users": [{"id": 2}]}) is None
    assert helpscout.SOURCE.prepare([{"id": 1}]) is None


def test_values_translated(result):
    loaded, _ = result
    frame = loaded.frame.collect()
    first = frame.row(0, named=True)
    assert first["ticket_id"] == "2001001" and first["agent"] == "11" and first["team"] == "301"
    assert first["customer_id"] == "238601"
    assert first["created_at"] == datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
    assert frame["channel"].to_list() == ["email", "chat", "phone", "email", "email", "email", "email", "chat"]
    assert frame["status"].to_list() == ["closed", "closed", "open", "pending", "closed", None, "open", "closed"]


def test_conversation_kpis_by_hand(result):
    _, kpis = result
    assert kpis["ticket_volume"].value == 8
    # closed: 101 4 h, 102 30 min, 105 48 h, 108 12 h; 107 is active again after its close
    # sorted 0.5, 4, 12, 48 -> median (4 + 12) / 2 = 8
    res = kpis["resolution_time"]
    assert res.n == 4
    assert res.value == pytest.approx(8.0, abs=1e-9)
    assert res.stats["mean"] == pytest.approx((4 + 0.5 + 48 + 12) / 4, abs=1e-9)
    assert res.stats["p90"] == pytest.approx(48.0, abs=1e-9)
    assert kpis["resolution_rate"].value == pytest.approx(50.0, abs=1e-9)
    assert kpis["backlog"].value == 4  # 103 active, 104 pending, 106 spam, 107 active


def test_what_the_list_endpoint_cannot_give(result):
    _, kpis = result
    for kpi_id in (
        "first_response_time",
        "reopen_rate",
        "fcr_rate",
        "csat",
        "nps",
        "transfer_rate",
        "escalation_rate",
        "aht",
    ):
        assert not kpis[kpi_id].available, kpi_id


def test_spam_status_is_a_finding(result):
    loaded, _ = result
    run = supportkpi.compute(loaded.frame, ["ticket_volume"], inputs=loaded.inputs)
    (finding,) = [f for f in run.findings if f.column == "status"]
    assert finding.kind == "unknown value"
    assert finding.examples[0]["value"] == "spam" and finding.examples[0]["row"] == 6


def test_pages_as_separate_files(tmp_path):
    # Each page is its own response document; several pages load together.
    doc = json.loads(Path(FIXTURE).read_text())
    conversations = doc["_embedded"]["conversations"]
    paths = []
    for page, part in enumerate((conversations[:5], conversations[5:]), start=1):
        path = tmp_path / f"page{page}.json"
        path.write_text(json.dumps(dict(doc, _embedded={"conversations": part})))
        paths.append(str(path))
    loaded = supportkpi.load(paths)
    assert [i.source for i in loaded.inputs] == ["helpscout", "helpscout"]
    kpis = _kpis(loaded)
    assert kpis["ticket_volume"].value == 8
    assert kpis["resolution_time"].value == pytest.approx(8.0, abs=1e-9)


CANONICAL = """\
ticket_id,created_at,channel,agent,team,status,customer_id,resolved_at
2001001,2024-03-04T09:00:00Z,email,11,301,closed,238601,2024-03-04T13:00:00Z
2001002,2024-03-04T10:00:00Z,chat,12,302,closed,238602,2024-03-04T10:30:00Z
2001003,2024-03-05T08:00:00Z,phone,11,301,open,238601,
2001004,2024-03-05T14:00:00Z,email,13,301,pending,238603,
2001005,2024-03-06T11:00:00Z,email,13,302,closed,238604,2024-03-08T11:00:00Z
2001006,2024-03-06T16:30:00Z,email,,301,,238605,
2001007,2024-03-07T10:00:00Z,email,12,301,open,238602,
2001008,2024-03-08T09:00:00Z,chat,,302,closed,238601,2024-03-08T21:00:00Z
"""


def test_canonical_twin(result, tmp_path):
    _, kpis = result
    path = tmp_path / "canonical.csv"
    path.write_text(CANONICAL)
    twin = supportkpi.load([str(path)])
    assert twin.inputs[0].source == "canonical"
    theirs = _kpis(twin)
    assert set(theirs) == set(kpis)
    assert_same_kpis(theirs, kpis)
