"""The mentions KPIs (social posts, comments, reviews), each against figures worked out by hand
in the comments, then hypothesis properties against a plain-Python reference written from the
catalog: ranges, row order, and a split into groups that adds back up to the whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from supportkpi import compute, kpi
from supportkpi.config import parse_config
from supportkpi.errors import UsageError
from supportkpi.schedules import Calendars

MENTION_KPIS = [
    "mention_volume",
    "negative_share",
    "net_sentiment",
    "reach_weighted_negative_share",
    "review_rating",
    "complaint_share",
    "social_response_rate",
    "social_response_time",
]
T0 = datetime(2025, 3, 3, 9, tzinfo=UTC)  # a Monday
SCHEMA = {
    "mention_id": pl.String,
    "posted_at": pl.Datetime("us", "UTC"),
    "vendor": pl.String,
    "network": pl.String,
    "sentiment": pl.String,
    "rating": pl.Float64,
    "is_complaint": pl.Boolean,
    "needs_reply": pl.Boolean,
    "replied_at": pl.Datetime("us", "UTC"),
    "reach": pl.Int64,
}


def mentions(rows: list[dict]) -> pl.DataFrame:
    """Canonical mentions from row dicts (absent keys are nulls; each row has an id and is
    posted at T0 unless it says otherwise: a row without posted_at is in no KPI)."""
    rows = [{"mention_id": f"m{i}", "posted_at": T0, **r} for i, r in enumerate(rows)]
    return pl.DataFrame({c: [r.get(c) for r in rows] for c in SCHEMA}, schema=SCHEMA)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


# -- hand-worked ---------------------------------------------------------------------------------

SENTIMENTS = ["negative"] * 3 + ["positive"] * 4 + ["neutral"] * 2 + [None]


def test_mention_volume_counts_each_id_once_per_file():
    # m1 twice in file 0 (one repeat), m1 again in file 1 (another source's m1): 4 rows, 3 mentions
    frame = mentions([{"mention_id": i, "posted_at": T0} for i in ("m1", "m1", "m2", "m1")])
    frame = frame.with_columns(pl.Series("_source", [0, 0, 0, 1], dtype=pl.Int32))
    result = kpi(frame, "mention_volume")
    assert result.value == 3
    assert result.excluded["duplicate mention_id"] == 1


def test_negative_share_by_hand():
    # 3 negative of 9 with a sentiment (the tenth has none): 100 * 3 / 9 = 33.33 %
    result = kpi(mentions([{"sentiment": s} for s in SENTIMENTS]), "negative_share")
    assert result.value == pytest.approx(100 * 3 / 9)
    assert result.n == 9
    assert result.excluded["no sentiment"] == 1


def test_net_sentiment_by_hand():
    # (4 positive - 3 negative) / 9 = +11.11 points; positive 44.44 %, negative 33.33 %
    result = kpi(mentions([{"sentiment": s} for s in SENTIMENTS]), "net_sentiment")
    assert result.value == pytest.approx(100 * 1 / 9)
    assert result.stats["positive_pct"] == pytest.approx(100 * 4 / 9)
    assert result.stats["negative_pct"] == pytest.approx(100 * 3 / 9)
    assert result.n == 9


def test_reach_weighted_negative_share_by_hand():
    # negative posts reaching 100 and 300, a positive one 600, a neutral one 0 (weighed, adds
    # nothing): 400 / 1000 = 40 %. A negative post without reach and one without sentiment are
    # left out; n = 4 posts weighed.
    rows = [
        {"sentiment": "negative", "reach": 100},
        {"sentiment": "negative", "reach": 300},
        {"sentiment": "positive", "reach": 600},
        {"sentiment": "neutral", "reach": 0},
        {"sentiment": "negative"},
        {"reach": 5000},
    ]
    result = kpi(mentions(rows), "reach_weighted_negative_share")
    assert result.value == pytest.approx(40.0)
    assert result.n == 4
    assert result.excluded["no reach"] == 1
    assert result.excluded["no sentiment"] == 1


def test_reach_weighted_negative_share_of_no_audience_has_no_value():
    result = kpi(mentions([{"sentiment": "negative", "reach": 0}]), "reach_weighted_negative_share")
    assert result.value is None


def test_review_rating_by_hand():
    # on the scale: 5, 4, 4, 2, 1 -> 16 / 5 = 3.2 stars; 4 stars 2 of 5 = 40 %, 3 stars 0 %.
    # 0 and 4.5 are off the whole-star scale; a post without a rating is no review.
    rows = [{"rating": r} for r in (5, 4, 4, 2, 1, None, 0, 4.5)]
    result = kpi(mentions(rows), "review_rating")
    assert result.value == pytest.approx(3.2)
    assert result.n == 5
    assert result.stats["stars_4_pct"] == pytest.approx(40.0)
    assert result.stats["stars_3_pct"] == 0.0
    assert result.excluded["off-scale value"] == 2
    assert result.excluded["no rating"] == 1
    # with half stars accepted the 4.5 counts: (16 + 4.5) / 6 = 3.4167
    half = kpi(mentions(rows), "review_rating", fractions=True)
    assert half.value == pytest.approx(20.5 / 6)
    assert half.n == 6


def test_complaint_share_by_hand():
    # 2 complaints of 5 that say: 40 %
    result = kpi(mentions([{"is_complaint": c} for c in (True, True, False, False, False, None)]), "complaint_share")
    assert result.value == pytest.approx(40.0)
    assert result.n == 5
    assert result.excluded["unknown is_complaint"] == 1


RESPONSES = [
    # needs a reply (negative), answered after 2 h
    {"sentiment": "negative", "replied_at": at(2)},
    # needs one (complaint), answered after 30 h
    {"sentiment": "neutral", "is_complaint": True, "replied_at": at(30)},
    # needs one (marked so), never answered
    {"sentiment": "positive", "needs_reply": True},
    # negative but marked as needing none (spam): not counted, although answered after 1 h
    {"sentiment": "negative", "needs_reply": False, "replied_at": at(1)},
    # positive, no complaint: needs none
    {"sentiment": "positive"},
    # needs one (negative), answered after 5 h
    {"sentiment": "negative", "replied_at": at(5)},
]


def test_social_response_rate_by_hand():
    # needing a reply: rows 1, 2, 3, 6 -> 4; replied: 1, 2, 6 -> 3 / 4 = 75 %
    frame = mentions([{"posted_at": T0, **r} for r in RESPONSES])
    result = kpi(frame, "social_response_rate")
    assert result.value == pytest.approx(75.0)
    assert result.n == 4
    assert result.excluded["no reply needed"] == 2
    # within 24 h: rows 1 and 6 (2 h, 5 h) -> 2 / 4 = 50 %, and the variant says so
    within = kpi(frame, "social_response_rate", within_hours=24)
    assert within.value == pytest.approx(50.0)
    assert within.variant == "within 24 h"


def test_social_response_time_by_hand():
    # replied mentions needing a reply: 2 h, 30 h, 5 h -> median 5, mean 37 / 3, p90 (3rd of 3) 30
    frame = mentions([{"posted_at": T0, **r} for r in RESPONSES])
    result = kpi(frame, "social_response_time")
    assert result.value == pytest.approx(5.0)
    assert result.stats["mean"] == pytest.approx(37 / 3)
    assert result.stats["p90"] == pytest.approx(30.0)
    assert result.n == 3
    assert result.excluded["no reply yet"] == 1
    assert result.excluded["no reply needed"] == 2
    assert kpi(frame, "social_response_time", statistic="mean").value == pytest.approx(37 / 3)


def test_social_response_time_reply_before_post_is_a_data_error():
    frame = mentions([{"posted_at": T0, "sentiment": "negative", "replied_at": at(-1)}])
    result = kpi(frame, "social_response_time")
    assert result.value is None
    assert result.excluded["negative duration"] == 1


OFFICE = """
calendars:
  default:
    timezone: Europe/Berlin
    hours:
      weekdays: ["08:00-18:00"]
"""


def test_social_response_time_in_business_hours():
    # Posted Fri 2025-03-07 17:00 Berlin (16:00 UTC, CET), answered Mon 2025-03-10 09:00 Berlin
    # (08:00 UTC): Friday 17-18 = 1 h, the weekend closed, Monday 08-09 = 1 h -> 2 business hours
    # (64 calendar hours: Fri 16:00 UTC to Mon 08:00 UTC).
    posted = datetime(2025, 3, 7, 16, tzinfo=UTC)
    frame = mentions(
        [{"posted_at": posted, "sentiment": "negative", "replied_at": datetime(2025, 3, 10, 8, tzinfo=UTC)}]
    )
    calendars = Calendars.from_config(parse_config(OFFICE))
    result = compute(
        frame, ["social_response_time"], calendars=calendars, params={"social_response_time": {"clock": "business"}}
    )
    (group,) = result.groups
    assert group.kpis["social_response_time"].value == pytest.approx(2.0)
    assert "business hours" in group.kpis["social_response_time"].variant
    assert kpi(frame, "social_response_time").value == pytest.approx(64.0)


def test_sentiment_kpis_not_available_without_sentiment():
    result = kpi(mentions([{"rating": 5}]).drop("sentiment"), "negative_share")
    assert not result.available
    assert "sentiment" in result.status


def test_a_run_of_mentions_computes_only_mention_kpis_grouped_by_network_and_month():
    rows = [
        {
            "mention_id": "a",
            "posted_at": datetime(2025, 1, 31, 23, tzinfo=UTC),
            "network": "x",
            "sentiment": "negative",
        },
        {"mention_id": "b", "posted_at": datetime(2025, 2, 1, 1, tzinfo=UTC), "network": "x", "sentiment": "positive"},
        {
            "mention_id": "c",
            "posted_at": datetime(2025, 2, 2, tzinfo=UTC),
            "network": "google",
            "sentiment": "negative",
        },
    ]
    result = compute(mentions(rows), by=["network"], period="month")
    assert result.kpi_ids == MENTION_KPIS
    assert result.table == "mentions"
    cells = {(g.keys["network"], g.keys["period"]): g.kpis["negative_share"].value for g in result.groups}
    # a in January, b in February (x); c in February (google)
    assert cells == {("x", "2025-01"): 100.0, ("x", "2025-02"): 0.0, ("google", "2025-02"): 100.0}


def test_contact_and_mention_kpis_cannot_share_one_frame():
    with pytest.raises(UsageError, match="contacts and the mentions"):
        compute(mentions([{"mention_id": "a", "posted_at": T0}]), ["mention_volume", "ticket_volume"])


# -- properties against a plain-Python reference ---------------------------------------------------


def _pct(num: float, den: float):
    return None if den == 0 else 100.0 * num / den


def _needs(r) -> bool:
    if r.get("needs_reply") is not None:
        return r["needs_reply"]
    return r.get("sentiment") == "negative" or r.get("is_complaint") is True


def reference(rows: list[dict], kpi_id: str):
    """The catalog's formulas over row dicts (no duplicates among them)."""
    with_sentiment = [r for r in rows if r.get("sentiment") is not None]
    negative = [r for r in with_sentiment if r["sentiment"] == "negative"]
    positive = [r for r in with_sentiment if r["sentiment"] == "positive"]
    if kpi_id == "mention_volume":
        return len(rows)
    if kpi_id == "negative_share":
        return _pct(len(negative), len(with_sentiment))
    if kpi_id == "net_sentiment":
        return _pct(len(positive) - len(negative), len(with_sentiment))
    if kpi_id == "reach_weighted_negative_share":
        weighed = [r for r in with_sentiment if r.get("reach") is not None]
        return _pct(sum(r["reach"] for r in weighed if r["sentiment"] == "negative"), sum(r["reach"] for r in weighed))
    if kpi_id == "review_rating":
        ratings = [r["rating"] for r in rows if r.get("rating") is not None and 1 <= r["rating"] <= 5]
        return sum(ratings) / len(ratings) if ratings else None
    if kpi_id == "complaint_share":
        known = [r for r in rows if r.get("is_complaint") is not None]
        return _pct(sum(r["is_complaint"] for r in known), len(known))
    needing = [r for r in rows if _needs(r)]
    replied = [r for r in needing if r.get("replied_at") is not None]
    if kpi_id == "social_response_rate":
        return _pct(len(replied), len(needing))
    hours = sorted((r["replied_at"] - r["posted_at"]).total_seconds() / 3600 for r in replied)
    if not hours:
        return None
    middle = len(hours) // 2
    return hours[middle] if len(hours) % 2 else (hours[middle - 1] + hours[middle]) / 2


row_strategy = st.fixed_dictionaries(
    {
        "posted_at": st.integers(0, 500).map(at),
        "vendor": st.sampled_from(["A", "B", "C"]),
        "sentiment": st.sampled_from(["positive", "neutral", "negative", None]),
        "rating": st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0, None]),
        "is_complaint": st.sampled_from([True, False, None]),
        "needs_reply": st.sampled_from([True, False, None, None]),
        "reply_after": st.one_of(st.none(), st.integers(0, 200)),
        "reach": st.one_of(st.none(), st.integers(0, 10_000)),
    }
)


def _rows(drawn: list[dict]) -> list[dict]:
    rows = []
    for index, r in enumerate(drawn):
        row = {k: v for k, v in r.items() if k != "reply_after"}
        row["mention_id"] = f"m{index}"
        row["replied_at"] = None if r["reply_after"] is None else r["posted_at"] + timedelta(hours=r["reply_after"])
        rows.append(row)
    return rows


def _values(frame: pl.DataFrame, by=()) -> dict:
    result = compute(frame, MENTION_KPIS, by=list(by))
    return {tuple(g.keys.values()): {k: g.kpis[k] for k in MENTION_KPIS} for g in result.groups}


@settings(max_examples=40, deadline=None)
@given(st.lists(row_strategy, min_size=1, max_size=30))
def test_every_mention_kpi_matches_the_reference_and_stays_in_range(drawn):
    rows = _rows(drawn)
    (values,) = _values(mentions(rows)).values()
    for kpi_id in MENTION_KPIS:
        expected = reference(rows, kpi_id)
        got = values[kpi_id].value
        if expected is None:
            assert got is None, kpi_id
        else:
            assert got == pytest.approx(expected), kpi_id
    for kpi_id in ("negative_share", "reach_weighted_negative_share", "complaint_share", "social_response_rate"):
        assert values[kpi_id].value is None or 0 <= values[kpi_id].value <= 100
    assert values["net_sentiment"].value is None or -100 <= values["net_sentiment"].value <= 100
    assert values["review_rating"].value is None or 1 <= values["review_rating"].value <= 5


@settings(max_examples=30, deadline=None)
@given(st.lists(row_strategy, min_size=1, max_size=30), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(drawn, random):
    rows = _rows(drawn)
    shuffled = rows[:]
    random.shuffle(shuffled)
    (a,) = _values(mentions(rows)).values()
    (b,) = _values(mentions(shuffled)).values()
    for kpi_id in MENTION_KPIS:
        assert a[kpi_id].value == pytest.approx(b[kpi_id].value), kpi_id
        assert a[kpi_id].n == b[kpi_id].n


@settings(max_examples=30, deadline=None)
@given(st.lists(row_strategy, min_size=1, max_size=30))
def test_groups_add_back_up_to_the_whole(drawn):
    # counts and the numerators of rates are additive over a split by vendor: the whole's value
    # is the n-weighted combination of the groups' values
    rows = _rows(drawn)
    frame = mentions(rows)
    (whole,) = _values(frame).values()
    parts = _values(frame, ["vendor"])
    assert sum(p["mention_volume"].value for p in parts.values()) == whole["mention_volume"].value
    for kpi_id in ("negative_share", "net_sentiment", "complaint_share", "social_response_rate", "review_rating"):
        n = sum(p[kpi_id].n for p in parts.values())
        assert n == whole[kpi_id].n, kpi_id
        if n:
            combined = sum((p[kpi_id].value or 0) * p[kpi_id].n for p in parts.values()) / n
            assert combined == pytest.approx(whole[kpi_id].value), kpi_id
