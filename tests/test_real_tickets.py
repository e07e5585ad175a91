"""Two public ticket datasets read as found, with no flags and no kpi.yaml: their headers
(``Created_Date``, ``Ticket Status``, ``CSAT_Score``, ``First_Response_Time_Hours``...) are
taken as the canonical columns they mean, their words (``In Progress``, ``Medium``,
``Critical``, ``Web Portal``, ``Pending Customer Response``, ``Social media``) as canonical
values, and the Kaggle file, which has no creation time at all, is read without one.

The expected values were worked out by hand from the files (tests/fixtures/real/FINDINGS.md):
Python ``csv`` and ``statistics.median`` over the columns named in each test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import run

import supportkpi

REAL = Path(__file__).parent / "fixtures" / "real"
GPL = REAL / "support-tickets-gpl" / "customer_support_tickets.csv"
KAGGLE = REAL / "kaggle-support-tickets" / "customer_support_tickets.csv"


def computed(path: Path, tmp_path: Path, *args: str) -> dict:
    proc = run("compute", str(path), "--format", "json", *args, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def unknown_values(report: dict) -> list[dict]:
    return [f for f in report["data_quality"]["findings"] if f["kind"] in ("unknown value", "unparseable value")]


def test_gpl_tickets_are_read_as_found(tmp_path):
    report = computed(GPL, tmp_path)
    kpis = report["groups"][0]["kpis"]
    assert report["inputs"][0]["source"] == "canonical"
    assert kpis["ticket_volume"]["value"] == 1000
    # CSAT_Score >= 4: 132 fours and 123 fives of 428 answers (572 empty)
    assert kpis["csat"]["n"] == 428
    assert kpis["csat"]["value"] == pytest.approx(100 * 255 / 428)
    # First_Response_Time_Hours and Resolution_Time_Hours are hours: medians of the 1,000 values
    assert kpis["first_response_time"]["value"] == pytest.approx(10.195)
    assert kpis["first_response_time"]["n"] == 1000
    assert kpis["resolution_time"]["value"] == pytest.approx(40.17)
    # every Status, Priority and Channel word is understood (In Progress, Resolved, Medium,
    # Critical, Web Portal...)
    assert unknown_values(report) == []


def test_gpl_two_headers_for_topic_take_neither_and_say_so(tmp_path):
    report = computed(GPL, tmp_path)
    [note] = [f for f in report["data_quality"]["findings"] if f.get("column") == "topic"]
    assert note["kind"] == "note"
    assert "'Ticket_Type' and 'Category'" in note["effect"]
    # the user's choice wins, and the note goes (Category counted with awk on column 8)
    chosen = computed(GPL, tmp_path, "--map", "topic=Category", "--by", "topic")
    volume = {g["keys"]["topic"]: g["kpis"]["ticket_volume"]["value"] for g in chosen["groups"]}
    assert volume == {
        "Authentication": 137,
        "Data Loss": 128,
        "Documentation": 147,
        "Integration": 165,
        "Payment": 127,
        "Performance": 149,
        "UI/UX": 147,
    }
    assert not [f for f in chosen["data_quality"]["findings"] if f.get("column") == "topic"]


def test_kaggle_tickets_without_a_creation_time(tmp_path):
    report = computed(KAGGLE, tmp_path)
    kpis = report["groups"][0]["kpis"]
    assert kpis["ticket_volume"]["value"] == 200
    # Customer Satisfaction Rating >= 4: 12 fours and 15 fives of 74 ratings
    assert kpis["csat"]["n"] == 74
    assert kpis["csat"]["value"] == pytest.approx(100 * 27 / 74)
    # Ticket Status: 74 Closed, 75 Pending Customer Response, 51 Open
    assert kpis["resolution_rate"]["value"] == pytest.approx(37.0)
    assert kpis["resolution_rate"]["n"] == 200
    assert kpis["resolution_rate"]["variant"] == "resolved taken from status (solved/closed)"
    assert kpis["backlog"]["available"] is False and kpis["backlog"]["needs"] == ["created_at"]
    assert kpis["first_response_time"]["available"] is False
    assert unknown_values(report) == []
    [note] = [f for f in report["data_quality"]["findings"] if f.get("column") == "created_at"]
    assert note["kind"] == "note" and note["count"] == 200
    assert "no creation time" in note["effect"]


def test_kaggle_period_is_a_usage_error(tmp_path):
    proc = run("compute", str(KAGGLE), "--period", "month", cwd=tmp_path)
    assert proc.returncode == 2
    assert "--period needs a `created_at` column" in proc.stderr


def test_kaggle_through_the_python_api(tmp_path):
    (tmp_path / "kpi.yaml").write_text("version: 1\n", encoding="utf-8")
    result = supportkpi.Run.from_config(tmp_path / "kpi.yaml").add_inputs([KAGGLE]).compute(["csat", "resolution_rate"])
    kpis = result.groups[0].kpis
    assert kpis["csat"].value == pytest.approx(100 * 27 / 74)
    assert kpis["resolution_rate"].value == pytest.approx(100 * 74 / 200)
