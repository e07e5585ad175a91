"""Hold time: time the customer spent on hold, one part of AHT.

Formula: ``mean(hold_seconds)`` over answered contacts.
Headline: the mean (``statistic`` in kpi.yaml may pick median or p90); mean, median and nearest-
rank p90 are always reported.
Exclusions: unanswered (abandoned) contacts; contacts without queue data; answered contacts
without ``hold_seconds``; negative values (a data error).
Unit: seconds. Better: lower.

Example:

>>> import polars as pl
>>> from supportkpi import kpi
>>> frame = pl.DataFrame({"abandoned": [False, False, True], "hold_seconds": [60, 0, None]})
>>> kpi(frame, "hold_time").value
30.0
"""

from __future__ import annotations

from typing import Any

from supportkpi.metrics._base import Context, KpiInfo, Measure
from supportkpi.metrics._intervals import (
    IntervalContext,
    IntervalMeasure,
    mean_per_answered,
)
from supportkpi.metrics._queue import HandleTimeParams, handle_time

INFO = KpiInfo(
    id="hold_time",
    title="Hold time",
    unit="seconds",
    direction="lower",
    kind="duration",
    columns=("answered_at", "abandoned", "hold_seconds"),
    test="by statistic",
    noun="calls",
)


class Params(HandleTimeParams):
    """``kpis.hold_time`` in kpi.yaml: the headline statistic (default the mean)."""


def measure(ctx: Context, **params: Any) -> Measure:
    return handle_time(ctx, ("hold_seconds",), Params(**params).statistic)


def from_intervals(ictx: IntervalContext, statistic: str = "mean") -> IntervalMeasure:
    """From an interval report: Σ hold_seconds / Σ answered."""
    return mean_per_answered(ictx, INFO.id, ("hold_seconds",), statistic)
