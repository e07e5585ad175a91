"""Talk time: talk (or chat) time with the agent, ATT, one part of AHT.

Formula: ``mean(talk_seconds)`` over answered contacts.
Headline: the mean (``statistic`` in kpi.yaml may pick median or p90); mean, median and nearest-
rank p90 are always reported.
Exclusions: unanswered (abandoned) contacts; contacts without queue data; answered contacts
without ``talk_seconds``; negative values (a data error).
Unit: seconds. Better: lower.

Example:

>>> import polars as pl
>>> from supportkpi import kpi
>>> frame = pl.DataFrame({"abandoned": [False, False, True], "talk_seconds": [300, 200, None]})
>>> kpi(frame, "talk_time").value
250.0
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
    id="talk_time",
    title="Talk time",
    unit="seconds",
    direction="lower",
    kind="duration",
    columns=("answered_at", "abandoned", "talk_seconds"),
    test="by statistic",
    noun="calls",
)


class Params(HandleTimeParams):
    """``kpis.talk_time`` in kpi.yaml: the headline statistic (default the mean)."""


def measure(ctx: Context, **params: Any) -> Measure:
    return handle_time(ctx, ("talk_seconds",), Params(**params).statistic)


def from_intervals(ictx: IntervalContext, statistic: str = "mean") -> IntervalMeasure:
    """From an interval report: Σ talk_seconds / Σ answered."""
    return mean_per_answered(ictx, INFO.id, ("talk_seconds",), statistic)
