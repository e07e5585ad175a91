"""Mentions through the command line: compare names its rows as mentions."""

from __future__ import annotations

import json

from cli_support import run

MENTIONS = """mention_id,posted_at,vendor,network,sentiment
a1,2025-03-01T10:00:00Z,A,x,negative
a2,2025-03-01T11:00:00Z,A,x,positive
a3,2025-03-02T10:00:00Z,A,facebook,neutral
a4,2025-03-02T12:00:00Z,A,facebook,positive
b1,2025-03-01T10:00:00Z,B,x,negative
b2,2025-03-01T11:00:00Z,B,x,negative
b3,2025-03-02T10:00:00Z,B,instagram,negative
b4,2025-03-02T12:00:00Z,B,instagram,neutral
"""


def test_compare_of_mentions_speaks_of_mentions(tmp_path):
    (tmp_path / "mentions.csv").write_text(MENTIONS)
    args = ["compare", "mentions.csv", "--by", "vendor", "--kpi", "negative_share"]
    shown = run(*args, "-f", "markdown", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "### All mentions" in shown.stdout
    assert "fewer than 30 mentions is too few to tell" in shown.stdout
    assert "contacts" not in shown.stdout
    # 1 of A's 4 mentions is negative, 3 of B's 4: 25 % and 75 %, a difference of 50 points
    data = json.loads(run(*args, "-f", "json", cwd=tmp_path).stdout)
    (item,) = data["comparisons"]
    values = {side["side"]: side["value"] for side in item["sides"]}
    assert values == {"A": 25.0, "B": 75.0}


def _replies() -> str:
    """Two negative mentions a month, January to April, answered after (1 h, 3 h), (2 h, 4 h),
    (1 h, 5 h) and (2 h, 2 h): monthly medians 2, 3, 3 and 2 hours."""
    rows = ["mention_id,posted_at,vendor,sentiment,replied_at"]
    hours = ((1, 3), (2, 4), (1, 5), (2, 2))
    for month, pair in enumerate(hours, start=1):
        for n, h in enumerate(pair):
            posted = f"2025-0{month}-10T10:00:00Z"
            rows.append(f"m{month}{n},{posted},A,negative,2025-0{month}-10T{10 + h:02d}:00:00Z")
    return "\n".join(rows) + "\n"


def test_forecast_of_a_mention_kpi_reads_the_mentions(tmp_path):
    (tmp_path / "replies.csv").write_text(_replies())
    shown = run("forecast", "replies.csv", "--kpi", "social_response_time", "-f", "json", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    (group,) = json.loads(shown.stdout)["groups"]
    assert [p["value"] for p in group["history"]] == [2.0, 3.0, 3.0, 2.0]
    assert group["current_period"] == "2025-04"


def test_forecast_of_a_contact_kpi_over_mentions_is_a_usage_error(tmp_path):
    (tmp_path / "replies.csv").write_text(_replies())
    shown = run("forecast", "replies.csv", cwd=tmp_path)  # the default KPI: average handle time
    assert shown.returncode == 2
    assert "reads contacts, and these inputs are mentions" in shown.stderr
    assert "social_response_time" in shown.stderr


def test_forecast_of_contacts_and_mentions_together_is_a_usage_error(tmp_path):
    (tmp_path / "replies.csv").write_text(_replies())
    (tmp_path / "contacts.csv").write_text("ticket_id,created_at,talk_seconds\n1,2025-01-10T10:00:00Z,300\n")
    shown = run("forecast", "contacts.csv", "replies.csv", cwd=tmp_path)
    assert shown.returncode == 2
    assert "forecast one table at a time" in shown.stderr
