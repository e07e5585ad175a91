"""Social response time: how long a public post calling for an answer waits for one.

Formula: ``replied_at − posted_at`` per mention that needs a reply and was replied to.
Headline: the median (``statistic`` in kpi.yaml: median, mean or p90); mean, median and p90 are
always reported. p90 is nearest-rank. With ``clock="business"`` (``--hours business``) only
the open hours of the row's calendar count, as for first response time.
With ``reply_to: all`` every mention needs a reply (exports that say nothing of sentiment).
Exclusions: mentions not needing a reply; no reply yet; unparseable timestamps; negative
durations (a reply timed before its post: a data error).
Unit: hours. Better: lower.

Example: replies after 1 h, 2 h and 6 h to three posts needing one; one still waits, and a
positive post needs no reply.

>>> import polars as pl
>>> from datetime import datetime
>>> from supportkpi import kpi
>>> t0 = datetime(2025, 1, 6, 9)
>>> frame = pl.DataFrame({
...     "posted_at": [t0] * 5,
...     "sentiment": ["negative"] * 4 + ["positive"],
...     "replied_at": [datetime(2025, 1, 6, h) for h in (10, 11, 15)] + [None, datetime(2025, 1, 6, 9, 30)],
... })
>>> result = kpi(frame, "social_response_time")
>>> result.value, result.stats["mean"], result.stats["p90"], result.n
(2.0, 3.0, 6.0, 3)
>>> result.excluded["no reply yet"], result.excluded["no reply needed"]
(1, 1)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import polars as pl
from pydantic import Field

from supportkpi.metrics._base import Context, KpiInfo, Measure, NotAvailable, RunEnv
from supportkpi.metrics._durations import (
    TicketDurationParams,
    business_column,
    calendar_column,
    elapsed_measure,
    on_calendars,
)
from supportkpi.metrics._mentions import REPLY_TO_HELP, needing_reply, reply_seconds

INFO = KpiInfo(
    id="social_response_time",
    title="Social response time",
    unit="hours",
    direction="lower",
    kind="duration",
    columns=("posted_at", "replied_at", "needs_reply", "sentiment", "is_complaint"),
    test="by statistic",
    noun="mentions",
    business_clock=True,
    table="mentions",
)

_REPLY = "replied_at"


class Params(TicketDurationParams):
    """``kpis.social_response_time`` in kpi.yaml: the headline statistic (default the median), the
    clock, and which mentions need a reply."""

    reply_to: Literal["needing", "all"] = Field("needing", description=REPLY_TO_HELP)


def measure(ctx: Context, **params: Any) -> Measure:
    p = Params(**params)
    ctx.need("posted_at", "replied_at")
    if p.clock == "business":
        if not ctx.has(business_column(_REPLY)):
            raise NotAvailable(["a business-hours calendar"])
        seconds = pl.col(business_column(_REPLY))
    else:
        seconds = pl.col(calendar_column(_REPLY)) if ctx.has(calendar_column(_REPLY)) else reply_seconds()
    return elapsed_measure(
        seconds,
        ctx.rows & needing_reply(ctx, p.reply_to),
        bad=ctx.invalid("posted_at") | ctx.invalid(_REPLY),
        unparseable=ctx.unparseable("posted_at", _REPLY),
        pending_reason="no reply yet",
        statistic=p.statistic,
        clock=p.clock,
        before={"no reply needed": ctx.rows & ~needing_reply(ctx, p.reply_to).fill_null(False)},
    )


def prepare(ctx: Context, params: Mapping[str, Any], env: RunEnv) -> list[pl.Expr]:
    """The seconds from post to reply per row, once, on the clock of ``params``."""
    if not (ctx.has("posted_at") and ctx.has(_REPLY)):
        return []
    if params.get("clock") == "business":
        if env.business_seconds is None:
            return []
        return [env.business_seconds(pl.col(_REPLY)).alias(business_column(_REPLY))]
    return [reply_seconds().alias(calendar_column(_REPLY))]


def for_run(m: Measure, ctx: Context, params: Mapping[str, Any], env: RunEnv) -> Measure:
    return on_calendars(m, env)
