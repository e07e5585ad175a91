"""Every real public export under tests/fixtures/real/ is read as found: no flags, no kpi.yaml
(each run in an empty directory), detected as the right preset, with every row accounted for.

The hand-worked figures of each export are checked in the test of its reader (test_real_*.py);
this test is the net under all of them: a file added to the fixtures and not listed here fails,
and so does one that stops reading with no flags.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import run

REAL = Path(__file__).parent / "fixtures" / "real"

# file -> (preset that reads it, contacts counted, rows a preset's rule left out or replaced by a
# later version of the same record). Counted by hand from each file (see FINDINGS.md): e.g.
# fivetran-zendesk 10 tickets of which 2 are deleted; airbyte-intercom 3 conversations of which 2
# automated; amazon-connect 6 deliveries of one contact; fivetran-intercom 9 versions of 2
# conversations; zendesk-explore 200 rows of 189 distinct tickets.
EXPECTED = {
    "airbyte-intercom/expected_records.jsonl": ("intercom", 1, 2),
    "airbyte-zendesk/expected_records.jsonl": ("zendesk", 3, 0),
    "amazon-connect-ctr/duplicated_samples.json": ("amazon_connect", 1, 5),
    "callcenter-pwc-dots/01 Call-Center-Dataset.csv": ("callcenter_sample", 200, 0),
    "callcenter-pwc-iso/Call-Center-Dataset.csv": ("callcenter_sample", 200, 0),
    "callcenter-pwc-mdy/01 Call-Center-Dataset.csv": ("callcenter_sample", 200, 0),
    "callcenter-pwc-pandas/call.csv": ("callcenter_sample", 200, 0),
    "callcenter-pwc-semicolon/Call-Center-Dataset.csv": ("callcenter_sample", 200, 0),
    "callcenter-pwc/01 Call-Center-Dataset.csv": ("callcenter_sample", 200, 0),
    "callcenter-synthetic/call_center_data.csv": ("callcenter_sample", 5000, 0),
    "fivetran-intercom/conversation_history_data.csv": ("intercom_fivetran", 2, 7),
    "fivetran-jira/issue.csv": ("jira_fivetran", 4, 0),
    "fivetran-zendesk/ticket_data.csv": ("zendesk", 8, 2),
    "freshdesk-export-excel/80000422910_tickets-February-04-2025-12_12(Sheet1).csv": ("freshdesk", 21, 0),
    "freshdesk-python/all_tickets.json": ("freshdesk_api", 1, 0),
    "freshdesk-python/search_tickets.json": ("freshdesk_api", 1, 0),
    "freshdesk-python/ticket_1.json": ("freshdesk_api", 1, 0),
    "genesys-blueprint/conversation1.json": ("genesys", 1, 0),
    "genesys-blueprint/conversation2.json": ("genesys", 1, 0),
    "helpscout-java/conversation_10.json": ("helpscout", 1, 0),
    "helpscout-java/conversation_11.json": ("helpscout", 1, 0),
    "helpscout-java/conversation_13.json": ("helpscout", 1, 0),
    "intercom-java/conversations.json": ("intercom", 3, 0),
    "jira-go-agile/issues_in_sprint.json": ("jira_sm", 1, 0),
    "kaggle-support-tickets/customer_support_tickets.csv": ("canonical", 200, 0),
    "salesforce-ebikes/Cases.json": ("salesforce_case", 1, 0),
    "support-tickets-gpl/customer_support_tickets.csv": ("canonical", 1000, 0),
    "zendesk-explore-export/Weekly_Raw_Data.csv": ("zendesk_explore", 189, 0),
    # mentions (reviews and comments): the volume is mention_volume; trustpilot's 1,049 rows hold
    # 19 repeats (overlapping pages, duplicates, not a rule); the YouTube page's 20 threads
    # include the channel's own pinned comment, left out by the preset's rule
    "appstore-scraper-mox/as-reviews.json": ("app_store_scraper", 484, 0),
    "googlemaps-gosom-scraper/results.json": ("google_maps_scraper", 120, 0),
    "googleplay-scraper-mox/ps-reviews.json": ("google_play_scraper", 709, 0),
    "playconsole-firefox-csv/just-3-reviews-for-testing.csv": ("google_play_console", 3, 0),
    "talkwalker-carrefour-twitter/sample.xlsx": ("talkwalker", 7368, 0),
    "trustpilot-keytrade-nextdata/reviews.json": ("trustpilot", 1030, 0),
    "youtube-commentthreads-khoai/output.json": ("youtube_comments", 19, 1),
}
DUPLICATES = ("duplicate ticket_id", "duplicate mention_id")
ONLY_COUNTED = {"youtube-commentthreads-khoai/output.json"}
"""Exports that give nothing but their rows to count: a page of YouTube comment threads has no
sentiment, rating, complaint flag, reach, nor the channel's reply times (see its preset)."""
NOT_EXPORTS = ("PROVENANCE.md", "NOTES.md")
"""Each directory's provenance, and the notes of the mentions exports' collector (column
mapping, hand-worked values), are no exports."""


def test_every_real_export_is_listed():
    found = {str(p.relative_to(REAL)) for p in REAL.glob("*/*") if p.is_file() and p.name not in NOT_EXPORTS}
    assert found == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_real_export_reads_as_found(name, tmp_path):
    preset, contacts, by_rule = EXPECTED[name]
    result = run("compute", str(REAL / name), "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [i["source"] for i in report["inputs"]] == [preset]
    (group,) = report["groups"]
    counted = "mention_volume" if report.get("table") == "mentions" else "ticket_volume"
    volume = group["kpis"][counted]
    assert volume["value"] == contacts
    rules = sum(n for reason, n in volume["excluded"].items() if reason not in DUPLICATES)
    assert rules == by_rule
    # something beyond counting is computed from every export (but those that have nothing else)
    beyond = any(k["value"] is not None for kpi, k in group["kpis"].items() if kpi != counted)
    assert beyond != (name in ONLY_COUNTED)


def test_intercom_api_1_conversation_list_by_hand(tmp_path):
    # three conversations, "open": true on each (API 1.x has no state): none resolved
    path = REAL / "intercom-java" / "conversations.json"
    report = json.loads(run("compute", str(path), "--format", "json", cwd=tmp_path).stdout)
    kpis = report["groups"][0]["kpis"]
    assert kpis["resolution_rate"]["value"] == 0.0 and kpis["resolution_rate"]["n"] == 3
