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
