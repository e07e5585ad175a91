"""First response time: how long customers wait for the first agent reply.

Formula: ``first_response_at − created_at`` per contact (or ``first_response_seconds`` where
the source gives a duration instead of a timestamp; the timestamp wins when both exist).
Headline: the median (``statistic`` in kpi.yaml: median, mean or p90); mean, median and p90 are
always reported. p90 is nearest-rank.
With ``clock="business"`` (``--hours business``) the open hours of the contact's calendar
count instead of calendar time.
Exclusions: no response yet; unparseable timestamps; negative durations (a data error).
Unit: hours. Better: lower.

Example: replies after 1 h, 2 h, 4 h and 10 h; one contact has no reply yet.

>>> import polars as pl
>>> from datetime import datetime
>>> from supportkpi import kpi
>>> t0 = datetime(2025, 1, 6, 9)
>>> frame = pl.DataFrame({
...     "created_at": [t0] * 5,
...     "first_response_at": [datetime(2025, 1, 6, h) for h in (10, 11, 13, 19)] + [None],
... })
>>> result = kpi(frame, "first_response_time")
>>> result.value, result.stats["mean"], result.stats["p90"], result.n
(3.0, 4.25, 10.0, 4)
>>> result.excluded["no response yet"]
1
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from supportkpi.metrics._base import Context, KpiInfo, Measure, RunEnv
from supportkpi.metrics._durations import TicketDurationParams, on_calendars, per_row_columns, ticket_duration

INFO = KpiInfo(
    id="first_response_time",
    title="First response time",
    unit="hours",
    direction="lower",
    kind="duration",
    columns=("created_at", "first_response_at", "first_response_seconds"),
    test="by statistic",
    business_clock=True,
)


class Params(TicketDurationParams):
    """``kpis.first_response_time`` in kpi.yaml: the headline statistic (default the median) and the clock."""


def measure(ctx: Context, **params: Any) -> Measure:
    p = Params(**params)
    return ticket_duration(ctx, "first_response_at", "first_response_seconds", "no response yet", p.statistic, p.clock)


END = ("first_response_at", "first_response_seconds")
"""The timestamp this duration ends at, and the seconds some sources give instead (SLA
policies on this metric measure the same)."""


def prepare(ctx: Context, params: Mapping[str, Any], env: RunEnv) -> list[pl.Expr]:
    return per_row_columns(ctx, *END, params, env)


def for_run(m: Measure, ctx: Context, params: Mapping[str, Any], env: RunEnv) -> Measure:
    return on_calendars(m, env)
