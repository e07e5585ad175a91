"""callcenter_sample preset: the fixture (8 calls in the public sample layout) read and its KPIs
worked out by hand."""

from pathlib import Path

import pytest

import supportkpi

FIXTURE = str(Path(__file__).parent.parent / "fixtures" / "sources" / "callcenter_sample.csv")


@pytest.fixture(scope="module")
def result():
    loaded = supportkpi.load([FIXTURE])
    return loaded, supportkpi.compute(loaded.frame, inputs=loaded.inputs).groups[0].kpis


def test_detected(result):
    loaded, _ = result
    assert loaded.inputs[0].source == "callcenter_sample"
    assert loaded.inputs[0].confidence == 1.0


def test_call_kpis_by_hand(result):
    _, kpis = result
    # answered waits: 109, 70, 10, 53, 95, 24, 16 -> 377 / 7
    assert kpis["asa"].value == pytest.approx(377 / 7)
    # talk: 143, 242, 131, 37, 60, 201, 37 -> 851 / 7
    assert kpis["talk_time"].value == pytest.approx(851 / 7)
    # within 20 s: 10, 16 -> 2; offered 8 (the abandon has no wait: a miss, not short)
    assert kpis["service_level"].value == pytest.approx(200 / 8)
    assert kpis["abandonment_rate"].value == pytest.approx(100 / 8)
    # ratings 3, 3, 3, 2, 3, 5, 4 -> 2 satisfied of 7
    assert kpis["csat"].value == pytest.approx(200 / 7)
    assert kpis["ticket_volume"].value == 8


def test_what_the_layout_cannot_give(result):
    _, kpis = result
    for kpi_id in ("aht", "resolution_time", "backlog", "first_response_time"):
        assert not kpis[kpi_id].available, kpi_id


def test_unknown_answer_flag_is_a_finding(tmp_path):
    text = (
        Path(FIXTURE)
        .read_text()
        .replace(
            "ID0003,Stewart,2021-01-01,9:47:31,Contract related,Y",
            "ID0003,Stewart,2021-01-01,9:47:31,Contract related,maybe",
        )
    )
    path = tmp_path / "calls.csv"
    path.write_text(text)
    loaded = supportkpi.load([str(path)], source="callcenter_sample")
    result = supportkpi.compute(loaded.frame, ["ticket_volume"], inputs=loaded.inputs)
    (finding,) = [f for f in result.findings if f.column == "abandoned"]
    assert finding.examples[0]["value"] == "maybe" and finding.examples[0]["row"] == 3
