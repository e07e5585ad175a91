"""Interval reports: the voice KPIs from per-interval sums equal the KPIs of the same calls
computed one by one, and hand-worked figures on small tables."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from supportkpi import compute
from supportkpi.errors import UsageError
from supportkpi.intervals import (
    INTERVAL_COLUMNS,
    INTERVAL_KPIS,
    compute_intervals,
    conform,
    is_interval_table,
)
from supportkpi.render import render_text

FIXTURES = Path(__file__).parent / "fixtures" / "intervals"
UTC = UTC
T, SHORT = 20, 5
VOICE = ["ticket_volume", "aht", "talk_time", "hold_time", "acw_time", "asa", "service_level", "abandonment_rate"]
VARIANTS = ["abandons_missed", "abandons_ignored", "abandons_within_t_met"]


# ---------------------------------------------------------------------------------------------
# Call-level data and its interval report, built independently of supportkpi.intervals
# ---------------------------------------------------------------------------------------------


def generate_calls(seed: int = 20250303) -> list[dict]:
    """Several hundred calls in 30-minute intervals on two days, for two vendors. Waits cluster
    around the thresholds (exactly 5 s and 20 s included), about a fifth abandon, some of them
    short; answered calls have talk, hold (often 0) and after-call work."""
    rng = random.Random(seed)
    # 04:00-06:00 UTC spans midnight in New York (UTC-5 in early March); 14:00 is mid-day
    starts = [
        datetime(2025, 3, day, hour, minute, tzinfo=UTC)
        for day in (3, 4)
        for hour, minute in ((4, 0), (4, 30), (5, 0), (5, 30), (14, 0), (14, 30))
    ]
    boundary_waits = [0.0, 4.9, 5.0, 5.1, 19.9, 20.0, 20.1]
    calls = []
    for start in starts:
        for vendor in ("Acme", "Bolt"):
            for _ in range(rng.randint(12, 30)):
                arrival = start + timedelta(seconds=rng.randrange(0, 1800))
                if rng.random() < 0.25:
                    wait = rng.choice(boundary_waits)
                else:
                    wait = round(rng.uniform(0, 60 if vendor == "Acme" else 120), 1)
                abandoned = rng.random() < (0.35 if wait < 8 else 0.18)
                call = {
                    "ticket_id": f"{vendor}-{len(calls)}",
                    "created_at": arrival,
                    "vendor": vendor,
                    "abandoned": abandoned,
                    "wait_seconds": wait,
                    "answered_at": None if abandoned else arrival + timedelta(seconds=wait),
                    "talk_seconds": None,
                    "hold_seconds": None,
                    "acw_seconds": None,
                }
                if not abandoned:
                    call["talk_seconds"] = round(rng.uniform(30, 900), 1)
                    call["hold_seconds"] = 0.0 if rng.random() < 0.6 else round(rng.uniform(1, 180), 1)
                    call["acw_seconds"] = round(rng.uniform(0, 150), 1)
                calls.append(call)
    return calls


def contacts_frame(calls: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(
        calls,
        schema={
            "ticket_id": pl.String,
            "created_at": pl.Datetime("us", "UTC"),
            "vendor": pl.String,
            "abandoned": pl.Boolean,
            "wait_seconds": pl.Float64,
            "answered_at": pl.Datetime("us", "UTC"),
            "talk_seconds": pl.Float64,
            "hold_seconds": pl.Float64,
            "acw_seconds": pl.Float64,
        },
    )


def interval_report(calls: list[dict], threshold: float = T, short: float = SHORT) -> pl.DataFrame:
    """What a vendor's ACD would send for these calls: one row per 30-minute interval and
    vendor, plain Python sums."""
    rows: dict[tuple, dict] = defaultdict(lambda: defaultdict(float))
    for call in calls:
        at = call["created_at"]
        start = at.replace(minute=at.minute // 30 * 30, second=0, microsecond=0)
        row = rows[(start, call["vendor"])]
        row["offered"] += 1
        wait = call["wait_seconds"]
        if call["abandoned"]:
            row["abandoned"] += 1
            row["short_abandoned"] += wait < short
            row["abandoned_within_threshold"] += wait <= threshold
        else:
            row["answered"] += 1
            row["answered_within_threshold"] += wait <= threshold
            row["wait_seconds_answered"] += wait
            row["talk_seconds"] += call["talk_seconds"]
            row["hold_seconds"] += call["hold_seconds"]
            row["acw_seconds"] += call["acw_seconds"]
    counts = (
        "offered",
        "answered",
        "abandoned",
        "short_abandoned",
        "answered_within_threshold",
        "abandoned_within_threshold",
    )
    records = []
    for (start, vendor), row in sorted(rows.items()):
        record = {
            "interval_start": start,
            "interval_minutes": 30,
            "vendor": vendor,
            "threshold_seconds": float(threshold),
            "short_abandon_seconds": float(short),
        }
        record |= {c: int(row[c]) for c in counts}
        record |= {c: float(row[c]) for c in ("wait_seconds_answered", "talk_seconds", "hold_seconds", "acw_seconds")}
        records.append(record)
    return pl.DataFrame(records)


CALLS = generate_calls()


def by_keys(result) -> dict[tuple, dict]:
    return {tuple(g.keys.items()): g.kpis for g in result.groups}


def assert_same(expected, actual) -> None:
    """The same groups with the same figures; means to floating-point rounding (a mean of
    values and a sum divided by a count add in different orders), counts and rates exactly."""
    want, got = by_keys(expected), by_keys(actual)
    assert list(want) == list(got)
    for key, kpis in want.items():
        for kpi_id in VOICE:
            a, b = kpis[kpi_id], got[key][kpi_id]
            assert b.available, (key, kpi_id, b.needs)
            assert b.n == a.n, (key, kpi_id)
            if a.unit == "seconds":
                assert b.value == pytest.approx(a.value, rel=1e-12), (key, kpi_id)
                assert b.stats["mean"] == pytest.approx(a.stats["mean"], rel=1e-12)
            else:
                assert b.value == a.value, (key, kpi_id)
            for reason in ("short abandon", "unanswered", "abandoned"):
                if reason in a.excluded:
                    assert b.excluded[reason] == a.excluded[reason], (key, kpi_id, reason)


class TestSameAsCallLevel:
    """The key property: the interval form and the call form give the same voice KPIs."""

    def test_the_generated_data_exercises_every_case(self):
        frame = contacts_frame(CALLS)
        assert 400 <= frame.height <= 900
        abandoned = frame.filter(pl.col("abandoned"))
        assert abandoned.filter(pl.col("wait_seconds") < SHORT).height > 10  # short abandons
        assert abandoned.filter(pl.col("wait_seconds") == SHORT).height > 0  # exactly 5 s: not short
        assert frame.filter(pl.col("wait_seconds") == T).height > 0  # exactly T: within
        assert frame.filter(pl.col("wait_seconds") > T).height > 50
        assert frame.filter(pl.col("hold_seconds") > 0).height > 50
        assert interval_report(CALLS).height == 24

    @pytest.mark.parametrize("variant", VARIANTS)
    @pytest.mark.parametrize(
        "by, period, zone",
        [
            ((), None, "UTC"),
            (("vendor",), None, "UTC"),
            ((), "day", "UTC"),
            (("vendor",), "day", "UTC"),
            (("vendor",), "day", "America/New_York"),
            ((), "week", "Asia/Kolkata"),
        ],
    )
    def test_voice_kpis_equal(self, variant, by, period, zone):
        params = {
            "service_level": {"variant": variant, "threshold_seconds": T, "short_abandon_seconds": SHORT},
            "abandonment_rate": {"short_abandon_seconds": SHORT},
        }
        expected = compute(contacts_frame(CALLS), VOICE, by=list(by), period=period, timezone=zone, params=params)
        actual = compute_intervals(interval_report(CALLS), VOICE, by=by, period=period, timezone=zone, params=params)
        assert_same(expected, actual)
        assert actual.findings == []  # the generated report is consistent and fully declared

    def test_per_day_in_new_york_moves_calls_across_midnight(self):
        # 04:00-05:00 UTC is 23:00-24:00 the day before in New York: three local days
        result = compute_intervals(interval_report(CALLS), ["ticket_volume"], period="day", timezone="America/New_York")
        assert [g.keys["period"] for g in result.groups] == ["2025-03-02", "2025-03-03", "2025-03-04"]
        assert sum(g.kpis["ticket_volume"].value for g in result.groups) == len(CALLS)

    def test_other_thresholds_equal_too(self):
        # a report counted with T = 30 s and short abandons below 10 s, and kpi.yaml saying so
        params = {
            "service_level": {"threshold_seconds": 30, "short_abandon_seconds": 10},
            "abandonment_rate": {"short_abandon_seconds": 10},
        }
        expected = compute(contacts_frame(CALLS), VOICE, by=["vendor"], params=params)
        actual = compute_intervals(interval_report(CALLS, 30, 10), VOICE, by=["vendor"], params=params)
        assert_same(expected, actual)

    def test_short_abandon_threshold_above_t(self):
        # short abandons < 25 s, T = 20 s: no abandon is both within T and not short
        params = {
            "service_level": {"variant": "abandons_within_t_met", "threshold_seconds": 20, "short_abandon_seconds": 25},
            "abandonment_rate": {"short_abandon_seconds": 25},
        }
        expected = compute(contacts_frame(CALLS), VOICE, by=["vendor"], params=params)
        actual = compute_intervals(interval_report(CALLS, 20, 25), VOICE, by=["vendor"], params=params)
        assert_same(expected, actual)

    def test_headline_labels_match(self):
        expected = compute(contacts_frame(CALLS), ["service_level", "abandonment_rate"])
        actual = compute_intervals(interval_report(CALLS), ["service_level", "abandonment_rate"])
        for kpi_id in ("service_level", "abandonment_rate"):
            assert actual.groups[0].kpis[kpi_id].variant == expected.groups[0].kpis[kpi_id].variant


# ---------------------------------------------------------------------------------------------
# By hand
# ---------------------------------------------------------------------------------------------

T9 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def small(**overrides) -> pl.DataFrame:
    """Three intervals of one queue (ab. T = abandoned within T; seconds are totals):

    | start | offered | answered | abandoned | short | within T | ab. T | wait | talk | hold | acw |
    | 09:00 | 20      | 15       | 5         | 1     | 12       | 3     | 150  | 3000 | 300  | 600 |
    | 09:30 | 10      | 8        | 2         | 1     | 6        | 1     | 120  | 1600 | 0    | 400 |
    | 10:00 | 0       | 0        | 0         | 0     | 0        | 0     | 0    | 0    | 0    | 0   |
    """
    data = {
        "interval_start": [T9, T9 + timedelta(minutes=30), T9 + timedelta(minutes=60)],
        "queue": ["support"] * 3,
        "offered": [20, 10, 0],
        "answered": [15, 8, 0],
        "abandoned": [5, 2, 0],
        "short_abandoned": [1, 1, 0],
        "answered_within_threshold": [12, 6, 0],
        "abandoned_within_threshold": [3, 1, 0],
        "threshold_seconds": [20.0, 20.0, 20.0],
        "wait_seconds_answered": [150.0, 120.0, 0.0],
        "talk_seconds": [3000.0, 1600.0, 0.0],
        "hold_seconds": [300.0, 0.0, 0.0],
        "acw_seconds": [600.0, 400.0, 0.0],
    }
    data |= overrides
    return pl.DataFrame({k: v for k, v in data.items() if v is not None})


def one(frame, kpi_id, **params):
    return compute_intervals(frame, [kpi_id], params={kpi_id: params}).groups[0].kpis[kpi_id]


class TestByHand:
    def test_service_level_default(self):
        # within T 12 + 6 = 18; offered 30 - short 2 = 28
        r = one(small(), "service_level")
        assert r.value == 18 * 100.0 / 28
        assert r.n == 28
        assert r.excluded["short abandon"] == 2
        assert r.variant == "abandons_missed, T=20s, short abandon <5s"

    def test_service_level_abandons_ignored(self):
        # 18 within T / 23 answered
        r = one(small(), "service_level", variant="abandons_ignored")
        assert r.value == 18 * 100.0 / 23
        assert r.n == 23
        assert r.excluded["abandoned"] == 7

    def test_service_level_abandons_within_t_met(self):
        # answered within 18 + abandoned within T 4, less the 2 short abandons (all within T) = 20
        r = one(small(), "service_level", variant="abandons_within_t_met")
        assert r.value == 20 * 100.0 / 28
        assert r.n == 28

    def test_abandonment_rate(self):
        # (7 abandoned - 2 short) / 28
        r = one(small(), "abandonment_rate")
        assert r.value == 5 * 100.0 / 28
        assert r.n == 28

    def test_asa(self):
        # waits 150 + 120 = 270 s over 23 answered
        r = one(small(), "asa")
        assert r.value == pytest.approx(270 / 23)
        assert r.n == 23
        assert r.stats == {"mean": r.value}  # no median or p90 from sums
        assert "median and p90 need call-level data" in r.variant
        assert r.excluded["unanswered"] == 7

    def test_aht_and_parts(self):
        # talk 4600 + hold 300 + acw 1000 = 5900 s over 23 answered
        assert one(small(), "aht").value == pytest.approx(5900 / 23)
        assert one(small(), "talk_time").value == pytest.approx(4600 / 23)
        assert one(small(), "hold_time").value == pytest.approx(300 / 23)
        assert one(small(), "acw_time").value == pytest.approx(1000 / 23)

    def test_volume_is_offered(self):
        r = one(small(), "ticket_volume")
        assert (r.value, r.n) == (30, 30)
        assert "offered" in r.variant

    def test_grouped_by_queue_and_hour(self):
        frame = small(queue=["support", "sales", "sales"])
        result = compute_intervals(frame, ["ticket_volume", "service_level"], by=["queue"])
        groups = {g.keys["queue"]: g.kpis for g in result.groups}
        assert list(groups) == ["sales", "support"]  # sorted, as compute sorts
        assert groups["sales"]["service_level"].value == 6 * 100.0 / 9  # 6 / (10 - 1)
        assert groups["support"]["service_level"].value == 12 * 100.0 / 19  # 12 / (20 - 1)

    def test_an_empty_group_has_no_value(self):
        # only the 10:00 interval, with nothing offered: no value, never 0 or NaN
        frame = small().slice(2, 1)
        for kpi_id in ("service_level", "abandonment_rate", "asa", "aht"):
            r = one(frame, kpi_id)
            assert r.value is None and r.n == 0 and r.status == "no data"

    def test_median_headline_is_not_available(self):
        r = one(small(), "aht", statistic="median")
        assert not r.available
        assert "interval sums give only the mean" in r.needs[0]

    def test_ticket_and_survey_kpis_are_not_available(self):
        result = compute_intervals(small())
        kpis = result.groups[0].kpis
        assert result.kpi_ids[: len(kpis)] == list(kpis)
        for kpi_id in ("first_response_time", "resolution_time", "csat", "nps", "fcr_rate", "backlog"):
            assert not kpis[kpi_id].available
            assert "contact-level data" in kpis[kpi_id].needs[0]
        assert all(kpis[k].available for k in INTERVAL_KPIS)

    def test_as_of_is_the_latest_interval(self):
        assert compute_intervals(small(), ["ticket_volume"]).as_of == T9 + timedelta(minutes=60)

    def test_by_an_unknown_column_is_a_usage_error(self):
        with pytest.raises(UsageError, match="cannot group by 'team'"):
            compute_intervals(small(), by=["team"])

    def test_bad_parameters_are_usage_errors(self):
        with pytest.raises(UsageError, match="kpis.service_level.variant"):
            compute_intervals(small(), params={"service_level": {"variant": "nope"}})

    def test_without_interval_start(self):
        with pytest.raises(UsageError, match="interval_start"):
            compute_intervals(small().drop("interval_start"))


# ---------------------------------------------------------------------------------------------
# Thresholds the report counted with
# ---------------------------------------------------------------------------------------------


class TestThresholds:
    def test_another_t_makes_service_level_not_available(self):
        frame = small(threshold_seconds=[30.0, 30.0, 30.0])
        result = compute_intervals(frame, ["service_level", "abandonment_rate", "asa"])
        sl = result.groups[0].kpis["service_level"]
        assert not sl.available and sl.value is None
        assert "the report counts within 30 s; kpi.yaml asks for 20 s" in sl.needs[0]
        # the KPIs that do not depend on T are unaffected
        assert result.groups[0].kpis["abandonment_rate"].available
        assert result.groups[0].kpis["asa"].available

    def test_matching_t_from_kpi_yaml(self):
        frame = small(threshold_seconds=[30.0, 30.0, 30.0])
        assert one(frame, "service_level", threshold_seconds=30).value == 18 * 100.0 / 28

    def test_mismatch_is_judged_per_group(self):
        frame = small(queue=["support", "sales", "sales"], threshold_seconds=[20.0, 15.0, 30.0])
        result = compute_intervals(frame, ["service_level"], by=["queue"])
        groups = {g.keys["queue"]: g.kpis["service_level"] for g in result.groups}
        assert groups["support"].value == 12 * 100.0 / 19
        assert not groups["sales"].available
        assert "the report counts within 15 s to 30 s" in groups["sales"].needs[0]
        overall = compute_intervals(frame, ["service_level"]).groups[0].kpis["service_level"]
        assert not overall.available

    def test_another_short_abandon_threshold(self):
        frame = small(short_abandon_seconds=[10.0, 10.0, 10.0])
        result = compute_intervals(frame, ["service_level", "abandonment_rate"])
        for kpi_id in ("service_level", "abandonment_rate"):
            r = result.groups[0].kpis[kpi_id]
            assert not r.available
            assert "the report counts short abandons below 10 s; kpi.yaml asks for 5 s" in r.needs[0]
        # abandons_ignored does not use short abandons
        assert one(frame, "service_level", variant="abandons_ignored").available

    def test_undeclared_t_is_taken_as_kpi_yaml_and_noted(self):
        result = compute_intervals(small(threshold_seconds=None), ["service_level"])
        assert result.groups[0].kpis["service_level"].value == 18 * 100.0 / 28
        notes = [f for f in result.findings if f.column == "threshold_seconds"]
        assert len(notes) == 1 and notes[0].kind == "note" and not notes[0].is_error
        assert notes[0].count == 3
        assert result.data_errors == 0


# ---------------------------------------------------------------------------------------------
# Optional columns
# ---------------------------------------------------------------------------------------------


class TestMissingColumns:
    def test_without_short_abandons_nothing_is_subtracted_and_it_says_so(self):
        result = compute_intervals(small(short_abandoned=None), ["service_level", "abandonment_rate"])
        sl = result.groups[0].kpis["service_level"]
        ab = result.groups[0].kpis["abandonment_rate"]
        assert sl.value == 18 * 100.0 / 30 and sl.n == 30  # every abandon is a miss
        assert ab.value == 7 * 100.0 / 30
        assert "short abandons not in the report" in sl.variant
        assert "short abandons not in the report" in ab.variant
        note = next(f for f in result.findings if f.column == "short_abandoned")
        assert note.kind == "note" and "none are subtracted" in note.effect

    def test_without_offered_it_is_answered_plus_abandoned(self):
        r = one(small(offered=None), "ticket_volume")
        assert r.value == 30
        assert "answered + abandoned" in r.variant
        assert one(small(offered=None), "service_level").value == 18 * 100.0 / 28

    def test_within_t_met_needs_abandoned_within_threshold(self):
        r = one(small(abandoned_within_threshold=None), "service_level", variant="abandons_within_t_met")
        assert not r.available and r.needs == ("abandoned_within_threshold",)
        # the default variant does not need it
        assert one(small(abandoned_within_threshold=None), "service_level").available

    def test_without_handle_time_totals(self):
        frame = small(talk_seconds=None, wait_seconds_answered=None)
        result = compute_intervals(frame, VOICE)
        kpis = result.groups[0].kpis
        assert kpis["aht"].needs == ("talk_seconds",)
        assert kpis["talk_time"].needs == ("talk_seconds",)
        assert kpis["asa"].needs == ("wait_seconds_answered",)
        assert kpis["hold_time"].value == pytest.approx(300 / 23)
        assert kpis["service_level"].available

    def test_a_row_without_a_figure_is_left_out_of_the_kpis_that_need_it(self):
        frame = small(hold_seconds=[300.0, None, 0.0])
        result = compute_intervals(frame, ["aht", "talk_time", "hold_time"])
        kpis = result.groups[0].kpis
        assert kpis["aht"].value == pytest.approx(3900 / 15)  # the 09:30 row is left out
        assert kpis["aht"].excluded["interval rows lacking hold_seconds"] == 1
        assert kpis["talk_time"].value == pytest.approx(4600 / 23)  # talk is complete

    def test_other_columns_pass_through_as_dimensions(self):
        frame = small(skill=["en", "de", "de"])
        result = compute_intervals(frame, ["ticket_volume"], by=["skill"])
        assert {g.keys["skill"]: g.kpis["ticket_volume"].value for g in result.groups} == {"de": 10, "en": 20}


# ---------------------------------------------------------------------------------------------
# Data errors
# ---------------------------------------------------------------------------------------------


class TestDataErrors:
    def test_contradictions_are_counted_and_left_out(self):
        # rows 1-3 as in small(); row 4: answered 12 + abandoned 2 > offered 10;
        # row 5: answered within T 9 > answered 8; row 6: a negative count
        base = small()
        bad = pl.DataFrame(
            {
                "interval_start": [T9 + timedelta(minutes=m) for m in (90, 120, 150)],
                "queue": ["support"] * 3,
                "offered": [10, 10, 10],
                "answered": [12, 8, 8],
                "abandoned": [2, 2, 2],
                "short_abandoned": [0, 0, 0],
                "answered_within_threshold": [5, 9, 5],
                "abandoned_within_threshold": [0, 0, -1],
                "threshold_seconds": [20.0] * 3,
                "wait_seconds_answered": [100.0] * 3,
                "talk_seconds": [1000.0] * 3,
                "hold_seconds": [0.0] * 3,
                "acw_seconds": [100.0] * 3,
            }
        )
        frame = pl.concat([base, bad])
        result = compute_intervals(frame, VOICE, params={"service_level": {"variant": "abandons_missed"}})
        kpis = result.groups[0].kpis
        # service level: row 4 (counts) and row 5 (within T) are out; row 6's bad figure is not
        # read by this variant: (18 + 5) / (28 + 10)
        sl = kpis["service_level"]
        assert sl.value == 23 * 100.0 / 38
        assert sl.excluded["interval rows with answered + abandoned > offered"] == 1
        assert sl.excluded["interval rows with answered_within_threshold > answered"] == 1
        # AHT: row 4 out (answered is suspect), rows 5 and 6 in: (5900 + 2 × 1100) / (23 + 16)
        assert kpis["aht"].value == pytest.approx(8100 / 39)
        assert kpis["ticket_volume"].value == 30 + 20
        kinds = {(f.kind, f.column): f for f in result.findings}
        over = kinds[("answered + abandoned > offered", "offered")]
        assert over.count == 1 and over.is_error
        assert over.examples == [{"row": 4, "value": "offered 10, answered 12, abandoned 2"}]
        assert "service_level" in over.effect and "aht" in over.effect
        assert kinds[("answered_within_threshold > answered", "answered_within_threshold")].count == 1
        negative = kinds[("negative count", "abandoned_within_threshold")]
        assert negative.count == 1 and negative.effect == "no KPI of this run reads it"
        assert result.data_errors == 3

    def test_within_t_met_reads_the_abandons_within_t(self):
        frame = small(abandoned_within_threshold=[3, 1, -2])
        r = one(frame, "service_level", variant="abandons_within_t_met")
        assert r.value == 20 * 100.0 / 28  # the empty third row is the one left out
        assert r.excluded["interval rows with negative count (abandoned_within_threshold)"] == 1

    def test_short_abandons_beyond_the_abandons(self):
        frame = small(short_abandoned=[6, 1, 0], abandoned_within_threshold=[6, 1, 0])
        result = compute_intervals(frame, ["abandonment_rate", "service_level", "asa"])
        kpis = result.groups[0].kpis
        assert kpis["abandonment_rate"].value == 1 * 100.0 / 9  # only 09:30: (2 - 1) / (10 - 1)
        assert kpis["asa"].value == pytest.approx(270 / 23)  # waits are not in doubt
        finding = next(f for f in result.findings if f.kind == "short_abandoned > abandoned")
        assert finding.count == 1

    def test_negative_and_orphan_durations(self):
        # 09:00 talk is negative; 10:00 has talk but nobody was answered
        frame = small(talk_seconds=[-5.0, 1600.0, 120.0])
        result = compute_intervals(frame, ["talk_time", "hold_time"])
        kpis = result.groups[0].kpis
        assert kpis["talk_time"].value == pytest.approx(1600 / 8)
        assert kpis["talk_time"].excluded["interval rows with negative duration (talk_seconds)"] == 1
        assert kpis["talk_time"].excluded["interval rows with talk_seconds without answered contacts"] == 1
        assert kpis["hold_time"].value == pytest.approx(300 / 23)
        kinds = {f.kind for f in result.findings}
        assert {"negative duration", "talk_seconds without answered contacts"} <= kinds

    def test_offered_beyond_answered_and_abandoned_is_a_note(self):
        # 2 calls of 09:00 were neither answered nor abandoned (overflowed): they stay in offered
        frame = small(offered=[22, 10, 0])
        result = compute_intervals(frame, ["service_level"])
        assert result.groups[0].kpis["service_level"].value == 18 * 100.0 / 30
        note = next(f for f in result.findings if f.column == "offered")
        assert note.kind == "note" and note.count == 1 and "2 offered contact(s)" in note.effect
        assert result.data_errors == 0

    def test_unparseable_and_missing_values(self):
        # as text, the way a CSV arrives: row 2 has offered "ten", row 3 no interval_start
        frame = small().with_columns(pl.col("offered", "interval_start").cast(pl.String))
        frame = frame.with_columns(
            offered=pl.Series(["20", "ten", "0"]),
            interval_start=pl.Series([frame["interval_start"][0], frame["interval_start"][1], None]),
        )
        result = compute_intervals(frame, ["ticket_volume", "service_level"])
        kpis = result.groups[0].kpis
        assert kpis["ticket_volume"].value == 20
        assert kpis["ticket_volume"].excluded["interval rows lacking offered"] == 1
        unparseable = next(f for f in result.findings if f.kind == "unparseable value")
        assert (unparseable.column, unparseable.count) == ("offered", 1)
        assert unparseable.examples == [{"row": 2, "value": "ten"}]
        missing = next(f for f in result.findings if f.kind == "missing value")
        assert (missing.column, missing.count) == ("interval_start", 1)


# ---------------------------------------------------------------------------------------------
# A vendor's file
# ---------------------------------------------------------------------------------------------

VENDOR_HEADERS = {
    "interval_start": "Interval Start",
    "interval_minutes": "Interval (min)",
    "vendor": "Vendor",
    "queue": "Queue",
    "offered": "Offered",
    "answered": "Answered",
    "abandoned": "Abandoned",
    "short_abandoned": "Short Abandons",
    "answered_within_threshold": "Answered in SL",
    "abandoned_within_threshold": "Abandoned in SL",
    "threshold_seconds": "SL Threshold (s)",
    "wait_seconds_answered": "Answer Wait Total (s)",
    "talk_seconds": "Talk Total (s)",
    "hold_seconds": "Hold Total (s)",
    "acw_seconds": "ACW Total (s)",
}


def vendor_file() -> pl.DataFrame:
    """Read as the loader reads (every field as text), headers mapped as ``--map`` would."""
    raw = pl.read_csv(FIXTURES / "acd_interval_report.csv", infer_schema=False)
    return raw.rename({header: canonical for canonical, header in VENDOR_HEADERS.items()})


class TestVendorFile:
    def test_detected_as_an_interval_table(self):
        raw = pl.read_csv(FIXTURES / "acd_interval_report.csv", n_rows=0)
        assert is_interval_table(raw.columns)  # "Interval Start", "Offered": canonical but for case
        assert is_interval_table(vendor_file().columns)
        assert not is_interval_table(contacts_frame(CALLS[:1]).columns)

    def test_typed_in_the_vendors_time_zone(self):
        typed = conform(vendor_file(), timezone="Europe/Berlin").collect()
        assert typed["interval_start"][0] == datetime(2025, 3, 3, 7, 0, tzinfo=UTC)  # 08:00 CET
        assert typed["offered"].dtype == pl.Int64 and typed["talk_seconds"].dtype == pl.Float64
        assert typed["queue"].to_list()[:1] == ["billing"]

    def test_kpis_per_queue(self):
        result = compute_intervals(vendor_file(), VOICE, by=["queue"], period="day", timezone="Europe/Berlin")
        # the file states its T (20 s) but not its short-abandon threshold: noted, no error
        assert [(f.kind, f.column, f.count) for f in result.findings] == [("note", "short_abandon_seconds", 8)]
        assert result.data_errors == 0
        groups = {g.keys["queue"]: g.kpis for g in result.groups}
        assert [g.keys for g in result.groups] == [
            {"queue": "billing", "period": "2025-03-03"},
            {"queue": "tech", "period": "2025-03-03"},
        ]
        billing, tech = groups["billing"], groups["tech"]
        # billing: offered 65, short 3, within T 42 -> 42 / 62; abandoned 10 -> 7 / 62
        assert billing["service_level"].value == 42 * 100.0 / 62
        assert billing["abandonment_rate"].value == 7 * 100.0 / 62
        # billing: 55 answered, waits 990 s, talk 13550 + hold 720 + acw 2530 = 16800 s
        assert billing["asa"].value == pytest.approx(990 / 55)
        assert billing["aht"].value == pytest.approx(16800 / 55)
        # tech: 34 / (43 - 1); talk 13800 + 1350 + 2190 = 17340 s over 39
        assert tech["service_level"].value == 34 * 100.0 / 42
        assert tech["aht"].value == pytest.approx(17340 / 39)
        assert billing["ticket_volume"].value + tech["ticket_volume"].value == 108

    def test_overall_variants(self):
        frame = vendor_file()

        def sl(variant):
            return one(frame, "service_level", variant=variant).value

        # all: offered 108, answered 94, short 4, within T 76, abandoned within T 7
        assert sl("abandons_missed") == 76 * 100.0 / 104
        assert sl("abandons_ignored") == 76 * 100.0 / 94
        assert sl("abandons_within_t_met") == (76 + 7 - 4) * 100.0 / 104

    def test_every_renderer_takes_the_result(self):
        result = compute_intervals(vendor_file(), by=["queue"])
        data = json.loads(render_text(result, "json"))
        assert data["groups"][0]["kpis"]["service_level"]["n"] == 62
        assert data["groups"][0]["kpis"]["csat"]["available"] is False
        assert "billing" in render_text(result, "csv")
        assert "| KPI | billing | tech |" in render_text(result, "markdown")  # the queues side by side
        assert "| billing | service_level |" in render_text(result, "markdown", "long")


def test_the_columns_are_defined_once():
    names = [c.name for c in INTERVAL_COLUMNS]
    assert len(names) == len(set(names))
    assert names[0] == "interval_start" and INTERVAL_COLUMNS[0].required
    assert all(c.meaning for c in INTERVAL_COLUMNS)
