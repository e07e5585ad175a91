"""Real review and comment exports (tests/fixtures/real/, see FINDINGS.md and each directory's
NOTES.md): the mention KPIs against the values worked out by hand from the files as found.

Review sites' exports say nothing of sentiment, so which reviews need a reply cannot be told
from them: the response KPIs are checked with ``reply_to: all`` (every review needs a reply,
the sites' usual reply rate), set in kpi.yaml, and are not available without it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import run
from xlsx_support import write_xlsx

import supportkpi

REAL = Path(__file__).parent / "fixtures" / "real"
EVERY_REVIEW = """
kpis:
  social_response_rate: {reply_to: all}
  social_response_time: {reply_to: all}
"""


def kpis(name: str, tmp_path: Path, config: str | None = None) -> dict:
    args = ["compute", str(REAL / name), "--format", "json"]
    if config is not None:
        (tmp_path / "kpi.yaml").write_text(config, encoding="utf-8")
        args += ["--config", str(tmp_path / "kpi.yaml")]
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["table"] == "mentions"
    (group,) = report["groups"]
    return group["kpis"]


def test_trustpilot_reviews_by_hand(tmp_path):
    # 1,049 rows, 1,030 distinct ids: 19 repeats of overlapping pages, the first kept.
    # 2,741 stars over 1,030 reviews; 498 one-star reviews (48.35 %). 367 replied of 1,030.
    got = kpis("trustpilot-keytrade-nextdata/reviews.json", tmp_path, EVERY_REVIEW)
    assert got["mention_volume"]["value"] == 1030
    assert got["mention_volume"]["excluded"]["duplicate mention_id"] == 19
    assert got["review_rating"]["value"] == pytest.approx(2741 / 1030)
    assert got["review_rating"]["stars_1_pct"] == pytest.approx(100 * 498 / 1030)
    assert got["social_response_rate"]["value"] == pytest.approx(100 * 367 / 1030)
    time = got["social_response_time"]
    assert time["n"] == 367
    assert time["value"] == pytest.approx(148.0769, abs=1e-4)
    assert time["mean"] == pytest.approx(296.6484, abs=1e-4)
    assert time["p90"] == pytest.approx(649.8033, abs=1e-4)
    assert got["negative_share"]["status"].startswith("not available")


def test_review_exports_need_reply_to_all_for_reply_kpis(tmp_path):
    got = kpis("trustpilot-keytrade-nextdata/reviews.json", tmp_path)
    assert got["social_response_rate"]["value"] is None
    assert "needs_reply or sentiment or is_complaint" in " ".join(got["social_response_rate"]["needs"])


def test_google_play_scraper_by_hand(tmp_path):
    # 709 reviews, 2,508 stars; 120 replied; 19 replies older than the review's latest edit are
    # negative durations, left out: n = 101
    got = kpis("googleplay-scraper-mox/ps-reviews.json", tmp_path, EVERY_REVIEW)
    assert got["mention_volume"]["value"] == 709
    assert got["review_rating"]["value"] == pytest.approx(2508 / 709)
    assert got["review_rating"]["stars_5_pct"] == pytest.approx(100 * 360 / 709)
    assert got["social_response_rate"]["value"] == pytest.approx(100 * 120 / 709)
    time = got["social_response_time"]
    assert (time["n"], time["excluded"]["negative duration"]) == (101, 19)
    assert time["value"] == pytest.approx(12.8139, abs=1e-4)
    assert time["mean"] == pytest.approx(32.2974, abs=1e-4)
    assert time["p90"] == pytest.approx(49.4022, abs=1e-4)


def test_app_store_scraper_by_hand(tmp_path):
    # no review id: 484 distinct (userName, date) pairs; 1,350 stars; 77 answered, 6 answers
    # older than an edited review (negative), n = 71
    got = kpis("appstore-scraper-mox/as-reviews.json", tmp_path, EVERY_REVIEW)
    assert got["mention_volume"]["value"] == 484
    assert got["mention_volume"]["excluded"]["duplicate mention_id"] == 0
    assert got["review_rating"]["value"] == pytest.approx(1350 / 484)
    assert got["review_rating"]["stars_1_pct"] == pytest.approx(100 * 227 / 484)
    assert got["social_response_rate"]["value"] == pytest.approx(100 * 77 / 484)
    time = got["social_response_time"]
    assert (time["n"], time["excluded"]["negative duration"]) == (71, 6)
    assert time["value"] == pytest.approx(44.1025, abs=1e-4)
    assert time["mean"] == pytest.approx(66.5646, abs=1e-4)
    assert time["p90"] == pytest.approx(75.4844, abs=1e-4)


def test_google_play_console_report_by_hand(tmp_path):
    # three five-star reviews, none answered; the third has no link: its id is made of the
    # package and the submit millis
    got = kpis("playconsole-firefox-csv/just-3-reviews-for-testing.csv", tmp_path, EVERY_REVIEW)
    assert got["mention_volume"]["value"] == 3
    assert got["review_rating"]["value"] == 5.0
    assert got["review_rating"]["stars_5_pct"] == 100.0
    assert got["social_response_rate"]["value"] == 0.0
    assert got["social_response_time"]["value"] is None
    assert got["social_response_time"]["excluded"]["no reply yet"] == 3


def test_google_maps_scraper_by_hand(tmp_path):
    # one place, 120 reviews, 540 stars; 113 answered by the owner
    got = kpis("googlemaps-gosom-scraper/results.json", tmp_path, EVERY_REVIEW)
    assert got["mention_volume"]["value"] == 120
    assert got["review_rating"]["value"] == pytest.approx(4.5)
    assert got["review_rating"]["stars_5_pct"] == pytest.approx(100 * 91 / 120)
    assert got["social_response_rate"]["value"] == pytest.approx(100 * 113 / 120)
    time = got["social_response_time"]
    assert time["n"] == 113
    assert time["value"] == pytest.approx(15.7467, abs=1e-4)
    assert time["mean"] == pytest.approx(36.0831, abs=1e-4)
    assert time["p90"] == pytest.approx(107.7545, abs=1e-4)


def test_youtube_comment_threads_by_hand(tmp_path):
    # 20 threads on the page; one is the channel's own pinned comment, left out: 19 mentions
    got = kpis("youtube-commentthreads-khoai/output.json", tmp_path)
    assert got["mention_volume"]["value"] == 19
    assert got["mention_volume"]["excluded"]["the channel's own comment"] == 1


TALKWALKER = "talkwalker-carrefour-twitter/sample.xlsx"


def test_talkwalker_workbook_by_hand(tmp_path):
    # 7,368 tweets (distinct url); sentiment -5 on 756, 0 on 6,429, 5 on 183 (Talkwalker's -5..5);
    # reach 46,321,195 in all, 3,892,881 on the negative ones
    got = kpis(TALKWALKER, tmp_path)
    assert got["mention_volume"]["value"] == 7368
    assert got["negative_share"]["value"] == pytest.approx(100 * 756 / 7368)
    assert got["negative_share"]["value"] == pytest.approx(10.2606, abs=1e-4)
    assert got["net_sentiment"]["value"] == pytest.approx(100 * (183 - 756) / 7368)
    assert got["net_sentiment"]["value"] == pytest.approx(-7.7769, abs=1e-4)
    assert got["net_sentiment"]["positive_pct"] == pytest.approx(100 * 183 / 7368)
    weighted = got["reach_weighted_negative_share"]
    assert (weighted["value"], weighted["n"]) == (pytest.approx(100 * 3_892_881 / 46_321_195), 7368)
    assert weighted["value"] == pytest.approx(8.4041, abs=1e-4)
    for kpi in ("review_rating", "complaint_share", "social_response_rate", "social_response_time"):
        assert got[kpi]["value"] is None


def test_talkwalker_networks_languages_and_zone_less_times(tmp_path):
    # every row SOCIALMEDIA,SOCIALMEDIA_TWITTER; lang fr 7,361, en 6, pt 1; published from
    # 20/09/17 00:00:52 to 22/09/17 17:12:41, no zone: local time of the run's --tz
    args = ["compute", str(REAL / TALKWALKER), "--format", "json", "--by", "network,language"]
    report = json.loads(run(*args, "--tz", "Europe/Paris", cwd=tmp_path).stdout)
    volumes = {tuple(g["keys"].values()): g["kpis"]["mention_volume"]["value"] for g in report["groups"]}
    assert volumes == {("x", "fr"): 7361, ("x", "en"): 6, ("x", "pt"): 1}
    assert report["parameters"]["as_of"] == "2017-09-22T15:12:41+00:00"  # 17:12:41 in Paris (UTC+2)


def test_talkwalker_networks_and_scores_off_the_scale(tmp_path):
    # the small fixture's four posts: x -5 and 0, facebook 5 (a page: a name, no handle), news 0;
    # then a score of 7 (off Talkwalker's -5..5) and an unknown source type, both reported
    fixture = Path(__file__).parent / "fixtures" / "sources" / "talkwalker.xlsx"
    loaded = supportkpi.load([str(fixture)])
    frame = loaded.frame.collect()
    assert frame["network"].to_list() == ["x", "x", "facebook", "other"]
    assert frame["sentiment"].to_list() == ["negative", "neutral", "positive", "neutral"]
    assert frame["author"].to_list() == ["a_shopper", "b_fan", "C Kunde", "News Desk"]
    header = ["url", "published", "source_type", "sentiment", "reach"]
    rows = [
        ["http://twitter.com/a/status/1", "01/10/17 09:00:00", "SOCIALMEDIA,SOCIALMEDIA_TWITTER", "7", "10"],
        ["http://twitter.com/b/status/2", "01/10/17 09:05:00", "CARRIER_PIGEON", "-5", "30"],
    ]
    path = write_xlsx(tmp_path / "export.xlsx", [header, *rows])
    result = run("compute", str(path), "--source", "talkwalker", "--format", "json", cwd=tmp_path)
    assert "row 2, value '7'" in result.stderr and "row 3, value 'CARRIER_PIGEON'" in result.stderr
    got = json.loads(result.stdout)["groups"][0]["kpis"]
    assert got["negative_share"]["excluded"]["unparseable sentiment"] == 1
    assert got["negative_share"]["value"] == pytest.approx(100.0)  # the one scored post, -5
