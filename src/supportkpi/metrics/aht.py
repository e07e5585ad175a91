"""Average handle time (AHT): how long an agent spends on a contact, wrap-up included.

Formula: ``mean(talk_seconds + hold_seconds + acw_seconds)`` over answered contacts.
Headline: the mean (``statistic`` in kpi.yaml may pick median or p90); mean, median and nearest-
rank p90 are always reported.
Exclusions: unanswered (abandoned) contacts; contacts without queue data; answered contacts
lacking one of the three parts; negative parts (a data error).
Unit: seconds. Better: lower.

Example: two answered calls of 300 + 60 + 40 = 400 s and 200 + 0 + 100 = 300 s; one abandoned.

>>> import polars as pl
>>> from supportkpi import kpi
>>> frame = pl.DataFrame({"abandoned": [False, False, True], "talk_seconds": [300, 200, None],
...                       "hold_seconds": [60, 0, None], "acw_seconds": [40, 100, None]})
>>> kpi(frame, "aht").value
350.0
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from supportkpi.metrics._base import Context, KpiInfo, Measure, RunEnv
from supportkpi.metrics._intervals import (
    IntervalContext,
    IntervalMeasure,
    mean_per_answered,
)
from supportkpi.metrics._queue import HANDLE_PARTS, HANDLE_TIME, HandleTimeParams, handle_time

INFO = KpiInfo(
    id="aht",
    title="Average handle time",
    unit="seconds",
    direction="lower",
    kind="duration",
    columns=("answered_at", "abandoned", *HANDLE_PARTS),
    test="by statistic",
    noun="calls",
)


class Params(HandleTimeParams):
    """``kpis.aht`` in kpi.yaml: the headline statistic (default the mean)."""


def measure(ctx: Context, **params: Any) -> Measure:
    return handle_time(ctx, HANDLE_PARTS, Params(**params).statistic)


def prepare(ctx: Context, params: Mapping[str, Any], env: RunEnv) -> list[pl.Expr]:
    """The handle time per contact, summed once rather than in each of AHT's aggregations."""
    if not set(HANDLE_PARTS) <= ctx.columns:
        return []
    return [pl.sum_horizontal(pl.col(p) for p in HANDLE_PARTS).alias(HANDLE_TIME)]


def from_intervals(ictx: IntervalContext, statistic: str = "mean") -> IntervalMeasure:
    """From an interval report: Σ (talk_seconds + hold_seconds + acw_seconds) / Σ answered."""
    return mean_per_answered(ictx, INFO.id, HANDLE_PARTS, statistic)
