"""Conversion rate: the share of answered sales contacts that ended in an order.

Formula: ``100 × converted / answered sales contacts``; a sales contact is one with a
``converted`` value. Where queue data exists (``answered_at`` or ``abandoned``), only answered
contacts count; without it every contact with a ``converted`` value does.
Exclusions: contacts without ``converted``; unanswered sales contacts.
Unit: %. Better: higher.

Example: two of three answered sales calls converted; the abandoned one does not count.

>>> import polars as pl
>>> from supportkpi import kpi
>>> frame = pl.DataFrame({"abandoned": [False, False, False, True],
...                       "converted": [True, True, False, False]})
>>> round(kpi(frame, "conversion_rate").value, 6)
66.666667
"""

from __future__ import annotations

import polars as pl

from supportkpi.metrics._base import Context, KpiInfo, Measure, rate
from supportkpi.metrics._queue import answered

INFO = KpiInfo(
    id="conversion_rate",
    title="Conversion rate",
    unit="%",
    direction="higher",
    kind="rate",
    columns=("converted", "answered_at", "abandoned"),
)


def measure(ctx: Context) -> Measure:
    ctx.need("converted")
    sales = ctx.rows & ctx.known("converted")
    has_queue = ctx.has("answered_at") or ctx.has("abandoned")
    is_answered = answered(ctx) if has_queue else pl.lit(True)
    value, n = rate(pl.col("converted"), sales & is_answered)
    excluded = {
        "no converted value": ctx.rows & ctx.missing("converted"),
        **{k: ctx.rows & v for k, v in ctx.unparseable("converted").items()},
        "unanswered": sales & ~is_answered,
    }
    return Measure(value=value, n=n, excluded=excluded)
