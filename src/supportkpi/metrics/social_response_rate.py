"""Social response rate: the share of mentions calling for an answer that the brand answered.

Formula: ``100 × mentions needing a reply that were replied to / mentions needing a reply``
Numerator: mentions needing a reply with a ``replied_at`` (with ``within_hours`` in kpi.yaml:
replied at most that many hours after ``posted_at``; a reply timed before the post does not
count then).
Denominator: mentions needing a reply: ``needs_reply`` where the source says, else negative
mentions and complaints.
Denominator with ``reply_to: all``: every mention (for exports that say nothing of sentiment,
such as most review sites').
Exclusions: mentions not needing a reply; unparseable ``replied_at`` (neither replied nor not).
Unit: %. Better: higher.

Example: three mentions need a reply (a complaint, a negative post, one marked so); two were
answered, after 1 h and after 30 h. A positive post needs none.

>>> import polars as pl
>>> from datetime import datetime
>>> from supportkpi import kpi
>>> t0 = datetime(2025, 1, 6, 9)
>>> frame = pl.DataFrame({
...     "posted_at": [t0] * 4,
...     "sentiment": ["neutral", "negative", "positive", "positive"],
...     "is_complaint": [True, False, False, False],
...     "needs_reply": [None, None, True, None],
...     "replied_at": [datetime(2025, 1, 6, 10), datetime(2025, 1, 7, 15), None, None],
... })
>>> result = kpi(frame, "social_response_rate")
>>> round(result.value, 2), result.n, result.excluded["no reply needed"]
(66.67, 3, 1)
>>> round(kpi(frame, "social_response_rate", within_hours=24).value, 2)
33.33
>>> kpi(frame, "social_response_rate", reply_to="all").value
50.0
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from supportkpi.metrics._base import Context, KpiInfo, Measure, rate
from supportkpi.metrics._mentions import REPLY_TO_HELP, needing_reply, reply_seconds
from supportkpi.params import KpiParameters

INFO = KpiInfo(
    id="social_response_rate",
    title="Social response rate",
    unit="%",
    direction="higher",
    kind="rate",
    columns=("replied_at", "needs_reply", "sentiment", "is_complaint", "posted_at"),
    test="proportion",
    noun="mentions",
    table="mentions",
)


class Params(KpiParameters):
    """``kpis.social_response_rate`` in kpi.yaml: a window within which a reply counts."""

    within_hours: float | None = Field(
        None, gt=0, description="count a reply only when it came at most this many hours after the post"
    )
    reply_to: Literal["needing", "all"] = Field("needing", description=REPLY_TO_HELP)


def measure(ctx: Context, **params: Any) -> Measure:
    p = Params(**params)
    ctx.need("replied_at")
    needed = ctx.rows & needing_reply(ctx, p.reply_to)
    bad = ctx.invalid("replied_at")
    replied = ctx.known("replied_at")
    variant = None
    if p.within_hours is not None:
        ctx.need("posted_at")
        seconds = reply_seconds()
        replied = replied & (seconds >= 0) & (seconds <= p.within_hours * 3600)
        variant = f"within {p.within_hours:g} h"
    if p.reply_to == "all":
        variant = ", ".join(v for v in (variant, "every mention needs a reply") if v)
    value, n = rate(replied, needed & ~bad)
    excluded = {
        "no reply needed": ctx.rows & ~needing_reply(ctx, p.reply_to).fill_null(False),
        **{k: needed & v for k, v in ctx.unparseable("replied_at").items()},
    }
    return Measure(value=value, n=n, excluded=excluded, variant=variant)
