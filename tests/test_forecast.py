"""``aht_forecast``: Holt's linear trend (supportkpi.forecast) and ``supportkpi forecast``.

Expected numbers are worked out by hand in the comments; the CLI data set is built below call by
call so that each month's AHT is known exactly.
"""

from __future__ import annotations

import csv
import json
import math
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from cli_support import run
from hypothesis import given, settings
from hypothesis import strategies as st

from supportkpi.engine import period_label
from supportkpi.forecast import (
    GRID,
    MIN_PERIODS,
    forecast_groups,
    holt,
    label_of,
    labels_between,
    last_day,
    period_start,
    shift,
)

Z95 = 1.959963984540054

# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------


def test_known_linear_trend_is_forecast_exactly_and_the_interval_collapses():
    f = holt([300, 310, 320, 330, 340, 350])
    assert f.forecast == 360.0
    assert f.current == 350.0
    assert f.change_pct == pytest.approx(10 / 350 * 100)
    assert f.sigma == 0.0
    assert f.low == f.high == 360.0  # zero one-step errors: no spread to put around the point
    assert f.periods_used == 6
    assert f.note is None
    assert f.method == "holt"
    assert (f.alpha, f.beta) == (0.01, 0.01)  # a perfect fit ties everywhere: smallest α, β


def test_known_trend_further_ahead():
    assert holt([300, 310, 320, 330, 340, 350], horizon=3).forecast == 380.0


def test_falling_trend():
    f = holt([400, 390, 380, 370])
    assert f.forecast == 360.0
    assert f.change_pct == pytest.approx(-10 / 370 * 100)


def test_constant_series_gives_the_same_value_and_no_change():
    f = holt([180.0] * 8)
    assert f.forecast == 180.0
    assert f.change_pct == 0.0
    assert f.low == f.high == 180.0


def test_by_hand_with_fixed_parameters():
    # y = 10, 12, 15, 19 with α = β = 0.5; l = 10, b = 12 − 10 = 2
    # t=2: ŷ = 12, e = 0 (by construction, not counted); l = 12, b = 2
    # t=3: ŷ = 14, e = 1; l = 14 + 0.5 = 14.5; b = 2 + 0.25 · 1 = 2.25
    # t=4: ŷ = 16.75, e = 2.25; l = 16.75 + 1.125 = 17.875; b = 2.25 + 0.25 · 2.25 = 2.8125
    # forecast = 17.875 + 2.8125 = 20.6875; σ² = (1² + 2.25²) / 2
    f = holt([10, 12, 15, 19], alpha=0.5, beta=0.5)
    assert f.forecast == pytest.approx(20.6875)
    sigma = math.sqrt((1 + 2.25**2) / 2)
    assert f.sigma == pytest.approx(sigma)
    assert f.low == pytest.approx(20.6875 - Z95 * sigma)
    assert f.high == pytest.approx(20.6875 + Z95 * sigma)
    # two steps: multiplier 1 + α²(1 + β)² = 1 + 0.25 · 2.25
    f2 = holt([10, 12, 15, 19], alpha=0.5, beta=0.5, horizon=2)
    assert f2.forecast == pytest.approx(17.875 + 2 * 2.8125)
    assert f2.high - f2.forecast == pytest.approx(Z95 * sigma * math.sqrt(1 + 0.25 * 2.25))


def noisy_trend(n: int = 24, seed: int = 7, sd: float = 4.0) -> tuple[np.ndarray, float]:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return 300 + 10 * t + rng.normal(0, sd, n), 300 + 10 * n


def test_noisy_trend_forecast_is_close_to_the_true_next_value_and_inside_the_interval():
    values, truth = noisy_trend()
    f = holt(list(values))
    assert f.low <= truth <= f.high
    assert f.forecast == pytest.approx(truth, abs=8)
    assert 0 < f.sigma < 10
    assert f.low < f.forecast < f.high


def test_fitted_parameters_minimise_the_one_step_errors_on_the_grid():
    values, _ = noisy_trend(seed=3)
    best = holt(list(values))
    assert best.alpha in GRID and best.beta in GRID
    for a in (0.05, 0.2, 0.5, 0.8, 0.99):
        for b in (0.01, 0.1, 0.3, 0.9):
            assert holt(list(values), alpha=a, beta=b).sigma >= best.sigma - 1e-12


def test_fit_is_deterministic():
    values, _ = noisy_trend(seed=11)
    assert holt(list(values)) == holt(list(values))


def test_interval_widens_with_the_horizon_by_holts_multiplier():
    values, _ = noisy_trend(seed=5)
    f1, f3 = holt(list(values)), holt(list(values), horizon=3)
    a, b = f1.alpha, f1.beta
    multiplier = 1 + a**2 * (1 + b) ** 2 + a**2 * (1 + 2 * b) ** 2
    assert (f3.high - f3.forecast) == pytest.approx((f1.high - f1.forecast) * math.sqrt(multiplier))


def test_confidence_sets_the_width():
    values, _ = noisy_trend(seed=5)
    f95, f80 = holt(list(values)), holt(list(values), confidence=0.8)
    assert f80.forecast == f95.forecast
    assert (f80.high - f80.forecast) == pytest.approx((f95.high - f95.forecast) * 1.2815515655446004 / Z95)


def test_forecast_and_interval_are_clipped_at_zero():
    f = holt([400, 300, 200, 100], horizon=2)  # the line reaches −100
    assert f.forecast == 0.0 and f.low == 0.0 and f.high == 0.0
    assert "clipped at 0" in f.note
    assert f.change_pct == -100.0


# --------------------------------------------------------------------------------------------
# Minimum history and gaps
# --------------------------------------------------------------------------------------------


def test_three_periods_are_insufficient_history_not_a_guess():
    assert MIN_PERIODS == 4
    f = holt([300, 310, 320])
    assert f.forecast is None and f.low is None and f.high is None and f.change_pct is None
    assert f.alpha is None and f.beta is None
    assert f.current == 320.0
    assert f.periods_used == 3
    assert f.note == "insufficient history (3 periods, needs 4)"


@pytest.mark.parametrize("values, used", [([], 0), ([None, None], 0), ([5.0], 1), ([1, None, 2, None, 3], 3)])
def test_fewer_than_four_values_are_insufficient(values, used):
    f = holt(values)
    assert f.forecast is None
    assert f.periods_used == used
    assert f"({used} period" in f.note


def test_four_periods_are_enough():
    assert holt([300, 310, 320, 330]).forecast == 340.0


def test_a_gap_is_bridged_by_the_model_and_keeps_the_time_axis():
    # 330 is missing: the model carries 320 + 10 through it, so the line still holds
    f = holt([300, 310, 320, None, 340, 350])
    assert f.forecast == 360.0
    assert f.periods_used == 5
    assert f.sigma == 0.0
    assert "1 period without a value bridged" in f.note


def test_nan_is_a_gap_too():
    assert holt([300, 310, float("nan"), 330, 340]).forecast == 350.0


def test_gap_after_the_first_value_spreads_the_initial_trend():
    # second value two periods after the first: b = (320 − 300) / 2 = 10
    assert holt([300, None, 320, 330, 340]).forecast == 350.0


def test_leading_gaps_are_dropped():
    f = holt([None, None, 300, 310, 320, 330])
    assert f.forecast == 340.0
    assert f.periods_used == 4
    assert f.note is None


def test_trailing_gap_forecasts_further_from_the_last_value():
    # no value in the latest period: current is 340, the forecast period is two steps after it
    f = holt([300, 310, 320, 330, 340, None])
    assert f.current == 340.0
    assert f.forecast == 360.0
    assert f.steps == 2
    assert "no value in the last period" in f.note


def test_bad_arguments():
    with pytest.raises(ValueError):
        holt([1, 2, 3, 4], horizon=0)
    with pytest.raises(ValueError):
        holt([1, 2, 3, 4], confidence=1.0)


series = st.lists(st.one_of(st.none(), st.floats(min_value=0, max_value=10_000, allow_nan=False)), max_size=40)


@settings(max_examples=200, deadline=None)
@given(series, st.integers(min_value=1, max_value=6), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_properties(values, horizon, confidence):
    f = holt(values, horizon=horizon, confidence=confidence)
    n = sum(v is not None for v in values)
    assert f.periods_used == n
    if n < MIN_PERIODS:
        assert f.forecast is None and "insufficient history" in f.note
        return
    assert math.isfinite(f.forecast) and math.isfinite(f.low) and math.isfinite(f.high)
    assert 0 <= f.low <= f.forecast <= f.high
    assert 0 < f.alpha < 1 and 0 < f.beta < 1


# --------------------------------------------------------------------------------------------
# Period labels (the same as the engine's)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("period", ["day", "week", "month", "quarter"])
def test_labels_match_the_engine_and_round_trip(period):
    day = date(2023, 12, 20)
    for _ in range(60):
        start = datetime(day.year, day.month, day.day)
        label = period_label(start, period)
        assert label_of(day, period) == label
        assert period_start(label, period) <= day <= last_day(label, period)
        assert shift(shift(label, period, 1), period, -1) == label
        day += timedelta(days=5)


def test_label_arithmetic_across_year_ends():
    assert shift("2025-12", "month", 1) == "2026-01"
    assert shift("2026-W01", "week", -1) == "2025-W52"
    assert shift("2020-W53", "week", 1) == "2021-W01"
    assert shift("2025-Q4", "quarter", 1) == "2026-Q1"
    assert last_day("2024-02", "month") == date(2024, 2, 29)
    assert labels_between("2025-11", "2026-02", "month") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert labels_between("2025-Q2", "2025-Q2", "quarter") == ["2025-Q2"]


# --------------------------------------------------------------------------------------------
# Per group, through the engine (Python API)
# --------------------------------------------------------------------------------------------


def calls(months: dict[int, float], vendor: str = "Acme", last_day_of_last_month: bool = True) -> list[dict]:
    """Four answered calls per month (2025) whose handle times average exactly ``mean``:
    mean − 20, mean + 20, mean − 5, mean + 5 (hold 30 s and wrap-up 20 s each, talk the rest)."""
    rows = []
    last = max(months)
    for month, mean in months.items():
        days = [3, 10, 17, 24]
        if month == last and last_day_of_last_month:
            days[-1] = last_day(f"2025-{month:02d}", "month").day
        for day, delta in zip(days, (-20, 20, -5, 5)):
            rows.append(
                {
                    "ticket_id": f"{vendor}-{month}-{day}",
                    "vendor": vendor,
                    "created_at": f"2025-{month:02d}-{day:02d}T10:00:00Z",
                    "answered_at": f"2025-{month:02d}-{day:02d}T10:00:15Z",
                    "abandoned": "false",
                    "talk_seconds": mean + delta - 50,
                    "hold_seconds": 30,
                    "acw_seconds": 20,
                }
            )
    return rows


def test_forecast_groups_from_the_engine():
    import polars as pl

    from supportkpi import compute

    frame = pl.DataFrame(calls({1: 300, 2: 310, 3: 320, 4: 330, 5: 340}, last_day_of_last_month=False))
    frame = frame.with_columns(
        pl.col("created_at", "answered_at").str.to_datetime(time_zone="UTC"), pl.col("abandoned") == "true"
    )
    result = compute(frame, ["aht"], by=["vendor"], period="month")
    report = forecast_groups(result, "aht", data_end=date(2025, 5, 24))
    assert report.name == "aht forecast"
    assert (report.last_period, report.forecast_period) == ("2025-05", "2025-06")
    assert report.notes == [
        "2025-05 is partial (data ends 2025-05-24); used as the current period (--exclude-partial to leave it out)"
    ]
    (group,) = report.groups
    assert group.keys == {"vendor": "Acme"}
    assert group.forecast.forecast == pytest.approx(350.0)
    left_out = forecast_groups(result, "aht", data_end=date(2025, 5, 24), exclude_partial=True)
    assert (left_out.last_period, left_out.forecast_period) == ("2025-04", "2025-05")
    assert left_out.groups[0].forecast.forecast == pytest.approx(340.0)
    assert left_out.groups[0].current_period == "2025-04"


# --------------------------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------------------------

FIELDS = [
    "ticket_id",
    "vendor",
    "created_at",
    "answered_at",
    "abandoned",
    "talk_seconds",
    "hold_seconds",
    "acw_seconds",
]


def write_calls(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def rising(tmp_path: Path) -> Path:
    """Acme: AHT 300, 310, 320, 330, 340 s in January to May 2025 (the last call on May 31)."""
    return write_calls(tmp_path / "calls.csv", calls({1: 300, 2: 310, 3: 320, 4: 330, 5: 340}))


@pytest.fixture
def vendors(tmp_path: Path) -> Path:
    """Acme rising 10 s a month; Beta flat at 200 s; Gamma only March to May (too short);
    Delta with no calls in March (a gap)."""
    rows = calls({1: 300, 2: 310, 3: 320, 4: 330, 5: 340}, "Acme")
    rows += calls({1: 200, 2: 200, 3: 200, 4: 200, 5: 200}, "Beta")
    rows += calls({3: 250, 4: 260, 5: 270}, "Gamma")
    rows += calls({1: 400, 2: 390, 4: 370, 5: 360}, "Delta")
    return write_calls(tmp_path / "vendors.csv", rows)


def forecast_json(*args, cwd: Path) -> dict:
    proc = run("forecast", *args, "--format", "json", cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_cli_forecasts_next_month_about_ten_seconds_up(rising, tmp_path):
    doc = forecast_json(rising, "--period", "month", cwd=tmp_path)
    assert doc["name"] == "aht forecast"
    assert (doc["last_period"], doc["forecast_period"]) == ("2025-05", "2025-06")
    assert doc["notes"] == []  # the data reaches May 31: May is complete
    (group,) = doc["groups"]
    assert group["keys"] == {}
    assert group["current"] == pytest.approx(340.0)
    assert group["forecast"] == pytest.approx(350.0)
    assert group["change_pct"] == pytest.approx(10 / 340 * 100)  # +2.94 %
    assert group["low"] == pytest.approx(350.0) and group["high"] == pytest.approx(350.0)
    assert group["periods_used"] == 5
    assert [h["value"] for h in group["history"]] == pytest.approx([300, 310, 320, 330, 340])


def test_cli_table_shows_current_forecast_change_and_model(rising, tmp_path):
    proc = run("forecast", rising, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "aht forecast for 2025-06" in out
    for text in (
        "All contacts",
        "5:40",  # 340 s
        "5:50",  # 350 s
        "+2.9 %",
        "5:50–5:50",
        "Holt α=0.01, β=0.01",
        "95 % interval",
    ):
        assert text in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_cli_by_vendor(vendors, tmp_path):
    doc = forecast_json(vendors, "--by", "vendor", cwd=tmp_path)
    groups = {g["keys"]["vendor"]: g for g in doc["groups"]}
    assert list(groups) == ["Acme", "Beta", "Delta", "Gamma"]
    assert groups["Acme"]["forecast"] == pytest.approx(350.0)
    assert groups["Beta"]["forecast"] == pytest.approx(200.0)
    assert groups["Beta"]["change_pct"] == pytest.approx(0.0)
    # Gamma: three months only
    assert groups["Gamma"]["forecast"] is None
    assert groups["Gamma"]["note"] == "insufficient history (3 periods, needs 4)"
    assert groups["Gamma"]["current"] == pytest.approx(270.0)
    # Delta: March has no calls; the model bridges it and the line 400, 390, ... holds
    assert [h["period"] for h in groups["Delta"]["history"]] == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05"]
    assert groups["Delta"]["history"][2]["value"] is None
    assert groups["Delta"]["forecast"] == pytest.approx(350.0)
    assert groups["Delta"]["periods_used"] == 4
    assert "bridged" in groups["Delta"]["note"]


def test_cli_by_vendor_table_and_csv_show_the_same_numbers(vendors, tmp_path):
    table = run("forecast", vendors, "--by", "vendor", cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert "vendor Gamma: insufficient history (3 periods, needs 4)" in table.stdout
    proc = run("forecast", vendors, "--by", "vendor", "--format", "csv", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(proc.stdout.splitlines()))
    assert [r["vendor"] for r in rows] == ["Acme", "Beta", "Delta", "Gamma"]
    assert float(rows[0]["forecast"]) == pytest.approx(350.0)
    assert rows[3]["forecast"] == ""
    md = run("forecast", vendors, "--by", "vendor", "--format", "markdown", cwd=tmp_path)
    assert md.returncode == 0 and "| Acme | aht | 2025-05 | 340.00 | 2025-06 | 350.00 |" in md.stdout


def test_cli_partial_last_month_is_noted_or_left_out(tmp_path):
    path = write_calls(
        tmp_path / "calls.csv", calls({1: 300, 2: 310, 3: 320, 4: 330, 5: 340}, last_day_of_last_month=False)
    )
    doc = forecast_json(path, cwd=tmp_path)
    assert "2025-05 is partial (data ends 2025-05-24)" in doc["notes"][0]
    assert doc["groups"][0]["forecast"] == pytest.approx(350.0)
    doc = forecast_json(path, "--exclude-partial", cwd=tmp_path)
    assert doc["forecast_period"] == "2025-05"
    assert doc["groups"][0]["forecast"] == pytest.approx(340.0)


def test_cli_other_kpi_and_horizon(rising, tmp_path):
    # talk = AHT − 50: 250 ... 290, two months ahead 310
    doc = forecast_json(rising, "--kpi", "talk_time", "--horizon", "2", cwd=tmp_path)
    assert doc["name"] == "talk_time forecast"
    assert doc["forecast_period"] == "2025-07"
    assert doc["groups"][0]["forecast"] == pytest.approx(310.0)


def test_cli_output_file(rising, tmp_path):
    target = tmp_path / "out.json"
    proc = run("forecast", rising, "--format", "json", "-o", target, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout == ""
    assert json.loads(target.read_text())["groups"][0]["forecast"] == pytest.approx(350.0)


@pytest.mark.parametrize(
    "args",
    [
        ["--kpi", "nope"],
        ["--kpi", "csat"],  # a rate, not a duration or mean
        ["--period", "year"],
        ["--horizon", "0"],
        ["--format", "xml"],
        ["--by", "nosuchcolumn"],
    ],
)
def test_cli_usage_errors_exit_2(rising, tmp_path, args):
    proc = run("forecast", rising, *args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr


def test_cli_missing_column_exits_3(rising, tmp_path):
    proc = run("forecast", rising, "--kpi", "asa", cwd=tmp_path)  # no wait_seconds
    assert proc.returncode == 3
    assert "needs wait_seconds" in proc.stderr


def test_cli_help(tmp_path):
    proc = run("forecast", "--help", cwd=tmp_path)
    assert proc.returncode == 0
    for option in ("--period", "--by", "--kpi", "--horizon", "--exclude-partial", "--format", "--output"):
        assert option in proc.stdout
