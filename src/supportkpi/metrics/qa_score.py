"""Quality assurance (QA) score: the mean internal review score of reviewed contacts.

Formula: ``mean(qa_score)`` over reviewed contacts.
Exclusions: not reviewed; unparseable scores; scores outside 0–100.
Unit: points (0–100). Better: higher.

Example:

>>> import polars as pl
>>> from supportkpi import kpi
>>> kpi(pl.DataFrame({"qa_score": [90, 80, 100, None, 120]}), "qa_score").value
90.0
"""

from __future__ import annotations

import polars as pl

from supportkpi.metrics._base import Context, KpiInfo, Measure, mean_of
from supportkpi.metrics._survey import on_scale

SCALE: tuple[float, float] = (0, 100)
"""The review scores that count."""

INFO = KpiInfo(
    id="qa_score",
    title="QA score",
    unit="points",
    direction="higher",
    kind="mean",
    columns=("qa_score",),
    test="mean",
    noun="reviews",
    scale=SCALE,
)


def measure(ctx: Context) -> Measure:
    reviewed, excluded = on_scale(ctx, "qa_score", *SCALE)
    excluded["not reviewed"] = excluded.pop("no answer")
    value, n, sample = mean_of(pl.col("qa_score"), reviewed)
    return Measure(value=value, n=n, excluded=excluded, sample=sample)
