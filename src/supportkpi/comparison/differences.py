"""The statistics of a comparison: each side's interval, each pair's difference with its
interval and p-value (methods in :mod:`supportkpi.stats`), and the adjustment for multiple
comparisons."""

from __future__ import annotations

from typing import cast

from supportkpi import stats
from supportkpi.comparison.model import (
    COUNT,
    KAPLAN_MEIER,
    MEAN,
    MEDIAN,
    NO_TEST,
    NPS,
    PROPORTION,
    KpiComparison,
    PairResult,
)
from supportkpi.comparison.survival import km_data
from supportkpi.comparison.verdicts import verdict
from supportkpi.results import KpiResult


def side_interval(test, result, entry, confidence, resamples, seed) -> None:
    """The interval of one side's value, by the KPI's test (set on ``entry``)."""
    if result is None or result.value is None or not result.available:
        return
    interval = None
    if test == PROPORTION:
        interval = stats.wilson(_successes(result), result.n, confidence)
    elif test == NPS:
        promoters, detractors = _nps_counts(result)
        interval = stats.nps_interval(promoters, detractors, result.n, confidence)
    elif test == MEAN and _values(result):
        interval = stats.mean_interval(result.sample, confidence)
    elif test == MEDIAN and _values(result):
        interval = stats.median_interval(result.sample, confidence=confidence, resamples=resamples, seed=seed)
    if interval is not None:
        entry.low, entry.high = interval.low, interval.high


def _values(result: KpiResult) -> bool:
    """Whether a side has per-contact values to test (an array: no truth value of its own)."""
    return result.sample is not None and len(result.sample) > 0


def _successes(result: KpiResult) -> int:
    """The numerator of a rate: ``value`` is 100·k/n, so k comes back exactly by rounding."""
    return round(result.value * result.n / 100) if result.value is not None else 0


NET_SHARES = (("promoters_pct", "detractors_pct"), ("positive_pct", "negative_pct"))
"""The shares a net score (NPS; net sentiment of mentions) reports of its two ends."""


def _nps_counts(result: KpiResult) -> tuple[int, int]:
    n = result.n
    # the shares are null only where the NPS is (no answers); pair_result counts NPSs with a value
    up, down = next((pair for pair in NET_SHARES if pair[0] in result.stats), NET_SHARES[0])
    promoters = cast(float, result.stats.get(up, 0))
    detractors = cast(float, result.stats.get(down, 0))
    return round(promoters * n / 100), round(detractors * n / 100)


def pair_result(test, kpi_id, side, base, results, censored, direction, confidence, resamples, seed) -> PairResult:
    """One side against the baseline: the difference, its interval and p-value by the test."""
    difference = None
    if side.value is not None and base.value is not None:
        difference = side.value - base.value
    relative = (difference / abs(base.value) * 100) if difference is not None and base.value else None
    pair = PairResult(side.side, base.side, difference, relative, None, None, None)
    a, b = results.get(side.side), results.get(base.side)
    if difference is None or a is None or b is None:
        return pair
    outcome = None
    if test == PROPORTION:
        outcome = stats.proportion_difference(_successes(a), a.n, _successes(b), b.n, confidence)
    elif test == NPS:
        outcome = stats.nps_difference(*_nps_counts(a), a.n, *_nps_counts(b), b.n, confidence)
    elif test == MEAN and _values(a) and _values(b):
        outcome = stats.welch_samples(a.sample, b.sample, confidence)
    elif test == MEDIAN and _values(a) and _values(b):
        outcome = stats.median_difference(a.sample, b.sample, resamples=resamples, confidence=confidence, seed=seed)
    elif test == KAPLAN_MEIER:
        x, xr = km_data(censored.get(side.side))
        y, yr = km_data(censored.get(base.side))
        if len(x) and len(y):
            outcome = stats.km_median_difference(x, xr, y, yr, confidence)
    if outcome is not None:
        pair.low, pair.high, pair.p_value = outcome.low, outcome.high, outcome.p_value
        pair.method = outcome.method
        pair.p_bound = bool(getattr(outcome, "p_bound", False))
        if test == KAPLAN_MEIER and outcome.estimate is not None:
            pair.difference = outcome.estimate
    elif test == COUNT:
        pair.method = "a count: no test"
    elif test == NO_TEST:
        pair.method = "no test for this statistic"
    if direction is not None and pair.difference:
        side_better = (pair.difference > 0) == (direction == "higher")
        pair.better = side.side if side_better else base.side
    return pair


def adjust_p(items: list[KpiComparison], alpha: float, min_n: int, adjust: str) -> None:
    """Holm-adjust the p-values per family (each KPI, or the whole run), then word each
    verdict."""
    families: dict[str, list[PairResult]] = {}
    for item in items:
        family = item.kpi if adjust == "kpi" else ""
        families.setdefault(family, []).extend(item.pairs + item.other_pairs)
    for pairs in families.values():
        adjusted = stats.holm([p.p_value for p in pairs]) if adjust != "none" else [p.p_value for p in pairs]
        for pair, value in zip(pairs, adjusted):
            pair.p_adjusted = value
    for item in items:
        for pair in item.pairs:
            pair.verdict = verdict(item, pair, alpha, min_n)
