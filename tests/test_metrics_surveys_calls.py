"""Survey and contact-center KPIs against values worked out by hand."""

from datetime import datetime, timedelta

import polars as pl
import pytest

from supportkpi import kpi

T0 = datetime(2025, 1, 6, 9, 0)


def frame(**columns):
    n = len(next(iter(columns.values())))
    base = {"ticket_id": [str(i) for i in range(n)], "created_at": [T0] * n}
    return pl.DataFrame({**base, **columns})


class TestCsat:
    DATA = frame(csat=[5, 5, 4, 3, 2, 1, None, 6, 0])

    def test_top_two_box(self):
        # answers on scale: 5,5,4,3,2,1 -> satisfied 3 of 6; 6 and 0 are off the 1-5 scale
        result = kpi(self.DATA, "csat")
        assert result.value == 50.0
        assert result.n == 6
        assert result.excluded["off-scale value"] == 2
        assert result.excluded["no answer"] == 1

    def test_exclude_neutral(self):
        # satisfied 3, dissatisfied (<= 2) 2, neutral 3 left out: 3 / 5
        result = kpi(self.DATA, "csat", variant="exclude_neutral")
        assert result.value == 60.0
        assert result.excluded["neutral answer"] == 1

    def test_other_scale_and_threshold(self):
        data = frame(csat=[10, 9, 8, 7, 1])
        result = kpi(data, "csat", scale=(1, 10), satisfied_min=8, dissatisfied_max=4)
        assert result.value == 60.0  # 10, 9, 8 of 5

    def test_all_null_column_has_no_value(self):
        result = kpi(frame(csat=pl.Series([None, None], dtype=pl.Float64)), "csat")
        assert result.value is None
        assert result.n == 0
        assert result.excluded["no answer"] == 2


class TestNps:
    def test_promoters_minus_detractors(self):
        # 10, 9, 9 promoters (3); 8, 7 passive; 6, 0 detractors (2); of 7: (3-2)/7
        result = kpi(frame(nps=[10, 9, 9, 8, 7, 6, 0]), "nps")
        assert result.value == pytest.approx(100 / 7)
        assert result.stats["promoters_pct"] == pytest.approx(300 / 7)
        assert result.stats["detractors_pct"] == pytest.approx(200 / 7)

    def test_off_scale_and_fractional_answers_are_left_out(self):
        result = kpi(frame(nps=[10.0, 11.0, -1.0, 7.5, 0.0]), "nps")
        assert result.value == 0.0  # one promoter, one detractor of 2
        assert result.excluded["off-scale value"] == 3

    def test_all_detractors_is_minus_100(self):
        assert kpi(frame(nps=[0, 3, 6]), "nps").value == -100.0


class TestCes:
    def test_mean_on_default_scale(self):
        result = kpi(frame(ces=[7, 5, 3, 8]), "ces")
        assert result.value == 5.0  # 8 is off the 1-7 scale
        assert result.direction == "higher"

    def test_older_scale_where_high_is_hard(self):
        result = kpi(frame(ces=[1, 2, 6]), "ces", scale=(1, 5), higher_is_easier=False)
        assert result.value == 1.5
        assert result.direction == "lower"


class TestQa:
    def test_mean_of_reviewed(self):
        result = kpi(frame(qa_score=[100, 75, None, -5, 101]), "qa_score")
        assert result.value == 87.5
        assert result.excluded["not reviewed"] == 1
        assert result.excluded["off-scale value"] == 2


def calls():
    # five answered calls, two abandons (one short, 3 s), one email without queue data
    answered = [T0 + timedelta(seconds=s) for s in (10, 20, 25, 60, 5)] + [None, None, None]
    return frame(
        channel=["phone"] * 7 + ["email"],
        answered_at=answered,
        abandoned=[False] * 5 + [True, True, None],
        wait_seconds=[10.0, 20.0, 25.0, 60.0, 5.0, 40.0, 3.0, None],
        talk_seconds=[300.0, 200.0, 100.0, 400.0, 0.0, None, None, None],
        hold_seconds=[60.0, 0.0, 0.0, 120.0, 0.0, None, None, None],
        acw_seconds=[30.0, 30.0, 20.0, 80.0, 10.0, None, None, None],
        converted=[True, False, None, True, False, False, None, None],
    )


class TestContactCenter:
    def test_aht_is_mean_of_talk_hold_acw_over_answered(self):
        # 390, 230, 120, 600, 10 -> 1350 / 5 = 270
        result = kpi(calls(), "aht")
        assert result.value == 270.0
        assert result.n == 5
        assert result.stats["median"] == 230.0
        assert result.stats["p90"] == 600.0  # ceil(0.9*5) = 5th
        assert result.excluded["unanswered"] == 2
        assert result.excluded["no queue data (not a call or chat)"] == 1

    @pytest.mark.parametrize(
        ("kpi_id", "expected"),
        [("talk_time", 200.0), ("hold_time", 36.0), ("acw_time", 34.0), ("asa", 24.0)],
    )
    def test_parts_and_asa(self, kpi_id, expected):
        # talk 1000/5, hold 180/5, acw 170/5, wait of answered 120/5
        assert kpi(calls(), kpi_id).value == expected

    def test_service_level_default_counts_abandons_as_misses(self):
        # offered 7, short abandon 1 -> denominator 6; answered within 20 s: 10, 20, 5 -> 3
        result = kpi(calls(), "service_level")
        assert result.value == 50.0
        assert result.n == 6
        assert result.excluded["short abandon"] == 1

    def test_service_level_variants(self):
        assert kpi(calls(), "service_level", variant="abandons_ignored").value == 60.0  # 3 / 5
        # abandoned within T: none (40 s); the short one is left out: still 3 / 6
        assert kpi(calls(), "service_level", variant="abandons_within_t_met").value == 50.0
        assert kpi(calls(), "service_level", threshold_seconds=30).value == pytest.approx(400 / 6)

    def test_abandonment_rate(self):
        # one abandon >= 5 s over (7 offered - 1 short)
        result = kpi(calls(), "abandonment_rate")
        assert result.value == pytest.approx(100 / 6)
        # with a 2 s threshold the 3 s abandon counts: 2 / 7
        assert kpi(calls(), "abandonment_rate", short_abandon_seconds=2).value == pytest.approx(200 / 7)

    def test_conversion_rate_over_answered_sales_contacts(self):
        # answered with a converted value: T, F, T, F -> 2 / 4; the abandoned False is left out
        result = kpi(calls(), "conversion_rate")
        assert result.value == 50.0
        assert result.excluded["abandoned"] == 1

    def test_negative_handle_time_is_left_out(self):
        data = frame(
            abandoned=[False, False],
            talk_seconds=[100.0, -50.0],
            hold_seconds=[0.0, 0.0],
            acw_seconds=[0.0, 0.0],
        )
        result = kpi(data, "aht")
        assert (result.value, result.excluded["negative duration"]) == (100.0, 1)

    def test_call_kpis_not_available_without_queue_columns(self):
        result = kpi(frame(talk_seconds=[1.0]), "talk_time")
        assert not result.available
