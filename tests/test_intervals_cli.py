"""`supportkpi compute` on an interval report: detected from its headers, mapped with --map,
and the voice KPIs equal to the sums in tests/fixtures/intervals/README.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import run

FIXTURE = Path(__file__).parent / "fixtures" / "intervals" / "acd_interval_report.csv"
MAP = [
    "answered_within_threshold=Answered in SL",
    "abandoned_within_threshold=Abandoned in SL",
    "short_abandoned=Short Abandons",
    "threshold_seconds=SL Threshold (s)",
    "wait_seconds_answered=Answer Wait Total (s)",
    "talk_seconds=Talk Total (s)",
    "hold_seconds=Hold Total (s)",
    "acw_seconds=ACW Total (s)",
    "interval_minutes=Interval (min)",
]


def test_an_interval_report_is_detected_and_computed(tmp_path):
    args = [f"--map={m}" for m in MAP]
    result = run("compute", FIXTURE, *args, "--tz", "Europe/Berlin", "-f", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (group,) = json.loads(result.stdout)["groups"]
    kpis = group["kpis"]
    # offered 65 + 43 = 108; short abandons 3 + 1 = 4; answered within 20 s 42 + 34 = 76
    assert kpis["ticket_volume"]["value"] == 108
    assert kpis["service_level"]["value"] == pytest.approx(76 / 104 * 100)
    # waits 990 + 400 s over 55 + 39 answered
    assert kpis["asa"]["value"] == pytest.approx((990 + 400) / 94)
    # abandoned beyond the short threshold: (10 - 3) + (4 - 1) = 10 of 104
    assert kpis["abandonment_rate"]["value"] == pytest.approx(10 / 104 * 100)
    assert kpis["first_response_time"]["available"] is False


def test_an_interval_report_mixed_with_contacts_is_a_usage_error(tmp_path):
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("ticket_id,created_at\n1,2025-01-01T00:00:00Z\n")
    result = run("compute", FIXTURE, contacts, cwd=tmp_path)
    assert result.returncode == 2 and "interval reports" in result.stderr


def test_an_interval_header_unknown_to_map_is_a_usage_error(tmp_path):
    result = run("compute", FIXTURE, "--map", "answered_in_sl=Answered in SL", cwd=tmp_path)
    assert result.returncode == 2 and "not a canonical column" in result.stderr
