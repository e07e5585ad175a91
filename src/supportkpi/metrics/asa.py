"""Average speed of answer (ASA): how long answered callers waited in the queue.

Formula: ``mean(wait_seconds)`` over answered contacts.
Headline: the mean (``statistic`` in kpi.yaml may pick median or p90); mean, median and nearest-
rank p90 are always reported.
Exclusions: unanswered (abandoned) contacts; contacts without queue data; answered contacts
without ``wait_seconds``; negative waits (a data error).
Unit: seconds. Better: lower.

Example: answered after 10 s and 30 s; the abandoned call's wait does not count.

>>> import polars as pl
>>> from supportkpi import kpi
>>> frame = pl.DataFrame({"abandoned": [False, False, True], "wait_seconds": [10, 30, 90]})
>>> kpi(frame, "asa").value
20.0
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
    id="asa",
    title="Average speed of answer",
    unit="seconds",
    direction="lower",
    kind="duration",
    columns=("answered_at", "abandoned", "wait_seconds"),
    test="by statistic",
    noun="calls",
)


class Params(HandleTimeParams):
    """``kpis.asa`` in kpi.yaml: the headline statistic (default the mean)."""


def measure(ctx: Context, **params: Any) -> Measure:
    return handle_time(ctx, ("wait_seconds",), Params(**params).statistic)


def from_intervals(ictx: IntervalContext, statistic: str = "mean") -> IntervalMeasure:
    """From an interval report: Σ wait_seconds_answered / Σ answered."""
    return mean_per_answered(ictx, INFO.id, ("wait_seconds_answered",), statistic)
