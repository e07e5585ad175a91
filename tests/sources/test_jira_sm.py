"""jira_sm preset: the fixture (8 Jira Service Management requests as the REST search returns
them, timestamps in +0100/+0200) read and its KPIs worked out by hand."""

import json
from pathlib import Path

import pytest
from twin import assert_same_kpis

import supportkpi

FIXTURE = str(Path(__file__).parent.parent / "fixtures" / "sources" / "jira_sm.json")

# The same 8 requests by hand in canonical columns (UTC). HELP-104 has priority "P1", a site's own
# name, so its priority is empty here; it has no first response yet, and the first-response SLA
# does not apply to HELP-107.
CANONICAL = """\
ticket_id,created_at,first_response_at,resolved_at,status,priority,agent,customer_id,topic
HELP-101,2024-03-05T13:22:10.123Z,2024-03-05T14:07:10.123Z,2024-03-05T17:22:10.123Z,closed,normal,Jana Novak,qm:8f1c2e7a-33b0-4c1e-9d0a-000000000001,Get IT help
HELP-102,2024-03-06T08:00:00Z,2024-03-06T08:12:00Z,2024-03-06T09:30:00Z,closed,high,Luis Ortega,qm:8f1c2e7a-33b0-4c1e-9d0a-000000000002,Request a new account
HELP-103,2024-03-06T10:30:00Z,2024-03-06T12:30:00Z,,open,low,Jana Novak,qm:8f1c2e7a-33b0-4c1e-9d0a-000000000003,Get IT help
HELP-104,2024-03-07T07:00:00Z,,,new,,,qm:8f1c2e7a-33b0-4c1e-9d0a-000000000004,Report a system problem
HELP-105,2024-03-07T15:45:00Z,2024-03-08T08:15:00Z,2024-03-08T11:45:00Z,closed,urgent,Luis Ortega,qm:8f1c2e7a-33b0-4c1e-9d0a-000000000001,Report a system problem
HELP-106,2024-03-29T09:00:00Z,2024-03-29T10:00:00Z,2024-04-02T07:00:00Z,closed,low,Jana Novak,qm:8f1c2e7a-33b0-4c1e-9d0a-000000000005,Request a new account
HELP-107,2024-03-08T09:00:00Z,,2024-03-08T10:00:00Z,closed,normal,Luis Ortega,qm:8f1c2e7a-33b0-4c1e-9d0a-000000000006,Get IT help
HELP-108,2024-03-08T12:00:00Z,2024-03-08T12:30:00Z,,open,normal,Jana Novak,qm:8f1c2e7a-33b0-4c1e-9d0a-000000000007,Get IT help
"""


@pytest.fixture(scope="module")
def loaded():
    return supportkpi.load([FIXTURE])


@pytest.fixture(scope="module")
def kpis(loaded):
    return supportkpi.compute(loaded.frame, inputs=loaded.inputs).groups[0].kpis


def _kpis(path):
    loaded = supportkpi.load([str(path)], source="jira_sm")
    return supportkpi.compute(loaded.frame, inputs=loaded.inputs).groups[0].kpis


def test_detected(loaded):
    assert loaded.inputs[0].source == "jira_sm"
    assert loaded.inputs[0].confidence == 1.0


def test_values_translated(loaded):
    frame = loaded.frame.collect().sort("ticket_id")
    # status from the status category: Waiting for customer / In Progress are open, Waiting for
    # support is new, Resolved / Closed / Canceled are closed
    assert frame["status"].to_list() == ["closed", "closed", "open", "new", "closed", "closed", "closed", "open"]
    # Medium, High, Low, P1 (unknown), Highest, Lowest, Medium, Medium
    assert frame["priority"].to_list() == ["normal", "high", "low", None, "urgent", "low", "normal", "normal"]
    assert frame["topic"].to_list()[3] == "Report a system problem"
    assert frame["agent"].to_list()[3] is None
    assert frame["customer_id"].to_list()[0] == "qm:8f1c2e7a-33b0-4c1e-9d0a-000000000001"


def test_ticket_kpis_by_hand(kpis):
    assert kpis["ticket_volume"].value == 8
    # first response = the "Time to first response" SLA's first stopTime - created (hours):
    # 101 0.75, 102 0.2, 103 2, 105 16.5 (overnight), 106 1, 108 0.5; 104 still running and
    # 107 without that SLA: no response yet
    frt = kpis["first_response_time"]
    assert frt.n == 6 and frt.excluded["no response yet"] == 2
    assert frt.value == pytest.approx((0.75 + 1) / 2, abs=1e-9)  # median of 0.2 .5 .75 1 2 16.5
    assert frt.stats["mean"] == pytest.approx(20.95 / 6, abs=1e-9)
    assert frt.stats["p90"] == pytest.approx(16.5, abs=1e-9)
    # resolution (resolutiondate - created, hours): 101 4, 102 1.5, 105 20, 107 1, and 106 from
    # 2024-03-29 10:00 +0100 to 2024-04-02 09:00 +0200 = 09:00Z to 07:00Z four days later = 94
    res = kpis["resolution_time"]
    assert res.n == 5
    assert res.value == pytest.approx(4.0, abs=1e-9)  # median of 1 1.5 4 20 94
    assert res.stats["mean"] == pytest.approx(120.5 / 5, abs=1e-9)
    assert res.stats["p90"] == pytest.approx(94.0, abs=1e-9)
    assert kpis["resolution_rate"].value == pytest.approx(100 * 5 / 8, abs=1e-9)
    assert kpis["backlog"].value == 3  # 103, 104, 108


def test_what_the_export_cannot_give(kpis):
    for kpi_id in (
        "csat",
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


def test_unknown_priority_is_a_finding(loaded):
    result = supportkpi.compute(loaded.frame, ["ticket_volume"], inputs=loaded.inputs)
    (finding,) = [f for f in result.findings if f.column == "priority"]
    assert finding.kind == "unknown value"
    assert finding.examples[0]["value"] == "P1" and finding.examples[0]["row"] == 4


def test_canonical_twin(loaded, tmp_path):
    path = tmp_path / "twin.csv"
    path.write_text(CANONICAL)
    twin = supportkpi.load([str(path)])
    assert twin.inputs[0].source == "canonical"
    mine = supportkpi.compute(loaded.frame, inputs=loaded.inputs).groups[0].kpis
    theirs = supportkpi.compute(twin.frame, inputs=twin.inputs).groups[0].kpis
    assert_same_kpis(mine, theirs)
    frame = loaded.frame.collect().sort("ticket_id")
    twin_frame = twin.frame.collect().sort("ticket_id")
    for column in ("created_at", "first_response_at", "resolved_at", "status", "priority", "topic"):
        assert frame[column].to_list() == twin_frame[column].to_list(), column


def test_custom_field_ids_of_another_site(tmp_path, kpis):
    # the same requests on a site where the SLA and request-type fields have other ids
    text = Path(FIXTURE).read_text()
    text = text.replace('"customfield_10031"', '"customfield_11266"').replace(
        '"customfield_10010"', '"customfield_10203"'
    )
    path = tmp_path / "other_site.json"
    path.write_text(text)
    other = _kpis(path)
    for kpi_id in ("first_response_time", "resolution_time", "backlog"):
        assert other[kpi_id].value == pytest.approx(kpis[kpi_id].value, abs=1e-9), kpi_id
        assert other[kpi_id].n == kpis[kpi_id].n, kpi_id


def test_renamed_sla_gives_no_first_response(tmp_path):
    # a site that renamed the SLA: no response is found (documented; every request then counts
    # as "no response yet")
    doc = json.loads(Path(FIXTURE).read_text())
    for issue in doc["issues"]:
        sla = issue["fields"]["customfield_10031"]
        if sla:
            sla["name"] = "First Reply Time"
    path = tmp_path / "renamed.json"
    path.write_text(json.dumps(doc))
    frt = _kpis(path)["first_response_time"]
    assert frt.n == 0 and frt.excluded["no response yet"] == 8


def test_old_sla_format_has_no_stop_time(tmp_path):
    doc = json.loads(Path(FIXTURE).read_text())
    for issue in doc["issues"]:
        sla = issue["fields"]["customfield_10031"]
        if sla:
            sla["slaDisplayFormat"] = "OLD_SLA_FORMAT"
            for cycle in sla["completedCycles"]:
                del cycle["startTime"], cycle["stopTime"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(doc))
    assert _kpis(path)["first_response_time"].n == 0


def test_map_overrides_a_preset_column():
    loaded = supportkpi.load([FIXTURE], source="jira_sm", mapping={"team": "fields.customfield_10010.requestType.id"})
    assert loaded.frame.collect()["team"].to_list()[0] == "12"
