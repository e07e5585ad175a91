"""After-contact work time: the agent's wrap-up work after the contact, one part of AHT.

Formula: ``mean(acw_seconds)`` over answered contacts.
Headline: the mean (``statistic`` in kpi.yaml may pick median or p90); mean, median and nearest-
rank p90 are always reported.
Exclusions: unanswered (abandoned) contacts; contacts without queue data; answered contacts
without ``acw_seconds``; negative values (a data error).
Unit: seconds. Better: lower.

Example:

>>> import polars as pl
>>> from supportkpi import kpi
>>> frame = pl.DataFrame({"abandoned": [False, False, True], "acw_seconds": [40, 100, None]})
>>> kpi(frame, "acw_time").value
70.0
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
    id="acw_time",
    title="After-contact work time",
    unit="seconds",
    direction="lower",
    kind="duration",
    columns=("answered_at", "abandoned", "acw_seconds"),
    test="by statistic",
    noun="calls",
)


class Params(HandleTimeParams):
    """``kpis.acw_time`` in kpi.yaml: the headline statistic (default the mean)."""


def measure(ctx: Context, **params: Any) -> Measure:
    return handle_time(ctx, ("acw_seconds",), Params(**params).statistic)


def from_intervals(ictx: IntervalContext, statistic: str = "mean") -> IntervalMeasure:
    """From an interval report: Σ acw_seconds / Σ answered."""
    return mean_per_answered(ictx, INFO.id, ("acw_seconds",), statistic)
