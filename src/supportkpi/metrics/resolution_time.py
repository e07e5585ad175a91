"""Resolution time (average resolution time when the statistic is the mean).

Formula: ``resolved_at − created_at`` per resolved contact (or ``resolution_seconds`` where the
source gives a duration; the timestamp wins when both exist).
Headline: the median (``statistic`` in kpi.yaml: median, mean or p90); mean, median and p90 are
always reported. p90 is nearest-rank.
With ``clock="business"`` (``--hours business``) the open hours of the contact's calendar
count instead of calendar time.
Exclusions: unresolved contacts; unparseable timestamps; negative durations (a data error).
Unit: hours. Better: lower.

Example: resolved after 2 h and 5 h (the median of an even count is the mean of the middle two),
one resolved before it was created (left out), one still open.

>>> import polars as pl
>>> from datetime import datetime
>>> from supportkpi import kpi
>>> frame = pl.DataFrame({
...     "created_at": [datetime(2025, 1, 6, 9)] * 4,
...     "resolved_at": [datetime(2025, 1, 6, 11), datetime(2025, 1, 6, 14),
...                     datetime(2025, 1, 6, 8), None],
... })
>>> result = kpi(frame, "resolution_time")
>>> result.value, result.n, result.excluded["negative duration"], result.excluded["unresolved"]
(3.5, 2, 1, 1)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from supportkpi.metrics._base import Context, KpiInfo, Measure, RunEnv
from supportkpi.metrics._durations import TicketDurationParams, on_calendars, per_row_columns, ticket_duration

INFO = KpiInfo(
    id="resolution_time",
    title="Resolution time",
    unit="hours",
    direction="lower",
    kind="duration",
    columns=("created_at", "resolved_at", "resolution_seconds"),
    test="by statistic",
    business_clock=True,
    censor_open=True,
)


class Params(TicketDurationParams):
    """``kpis.resolution_time`` in kpi.yaml: the headline statistic (default the median) and the clock."""


def measure(ctx: Context, **params: Any) -> Measure:
    p = Params(**params)
    return ticket_duration(ctx, "resolved_at", "resolution_seconds", "unresolved", p.statistic, p.clock)


END = ("resolved_at", "resolution_seconds")
"""The timestamp this duration ends at, and the seconds some sources give instead (SLA
policies on this metric measure the same)."""


def prepare(ctx: Context, params: Mapping[str, Any], env: RunEnv) -> list[pl.Expr]:
    return per_row_columns(ctx, *END, params, env)


def for_run(m: Measure, ctx: Context, params: Mapping[str, Any], env: RunEnv) -> Measure:
    return on_calendars(m, env)
