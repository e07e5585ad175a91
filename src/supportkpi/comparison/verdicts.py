"""A pair's result in words: the p-value as printed, and the verdict (a clear winner, no
significant difference, or too little data to tell)."""

from __future__ import annotations

import math

from supportkpi.comparison.model import (
    COUNT,
    KAPLAN_MEIER,
    NO_TEST,
    KpiComparison,
    PairResult,
)


def format_p(p: float, bound: bool = False) -> str:
    """``p = 0.003``, ``p < 0.001``; near 0.05 four decimals, so that a significant and a
    non-significant p never read alike; an upper bound is rounded up.

    >>> format_p(0.0031), format_p(0.00001), format_p(1.0), format_p(0.0499), format_p(0.00143, bound=True)
    ('p = 0.003', 'p < 0.001', 'p = 1', 'p = 0.0499', 'p ≤ 0.002')
    """
    if bound:
        return f"p ≤ {max(math.ceil(p * 1000) / 1000, 0.001):.3f}"
    if p < 0.001:
        return "p < 0.001"
    if p >= 0.9995:
        return "p = 1"
    if 0.0445 <= p < 0.0555:
        return f"p = {p:.4f}"
    return f"p = {p:.3f}"


def verdict(item: KpiComparison, pair: PairResult, alpha: float, min_n: int) -> str:
    """The plain-words verdict of one pair: a clear winner, no significant difference, or too
    little data to tell."""
    by_side = {v.side: v for v in item.sides}
    a, b = by_side[pair.side], by_side[pair.baseline]
    for side in (a, b):
        if not side.available:
            return f"not available for {side.side}"
        if side.value is None:
            return f"no data for {side.side}"
    noun = item.info.noun
    small = min((a, b), key=lambda s: s.n)
    if item.test == COUNT:
        return "a count: no test"
    if small.n < min_n:
        return f"too few {noun} for {small.side} to tell (n = {small.n})"
    if pair.p_adjusted is None:
        if item.test == NO_TEST:
            return "no test for this statistic"
        if pair.difference and pair.better is not None:
            return f"no variation to test; {pair.better} is better by this sample"
        return "no difference, and no variation to test"
    shown = format_p(pair.p_adjusted, pair.p_bound)
    significant = pair.p_adjusted < alpha
    if item.test == KAPLAN_MEIER:
        # the log-rank test compares whole curves, not medians: no winner by the median
        if not significant:
            return f"no significant difference in resolution times (log-rank, {shown})"
        faster = (
            ""
            if not pair.difference
            else (f"; {pair.side if pair.difference < 0 else pair.baseline} has the lower median")
        )
        return f"resolution-time curves differ (log-rank, {shown}){faster}"
    if significant and pair.better is not None:
        return f"{pair.better} is better ({shown})"
    return f"no significant difference ({shown})"
