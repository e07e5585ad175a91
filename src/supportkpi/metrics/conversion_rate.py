"""Conversion rate: the share of handled sales contacts that ended in an order.

Formula: ``100 × converted / handled sales contacts``; a sales contact is one with a
``converted`` value, handled unless it was abandoned in the queue (a chat or email without
queue data is handled).
Exclusions: contacts without ``converted``; abandoned sales contacts.
Unit: %. Better: higher.

Example: two of three handled sales calls converted; the abandoned one does not count.

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
from supportkpi.metrics._queue import abandoned

INFO = KpiInfo(
    id="conversion_rate",
    title="Conversion rate",
    unit="%",
    direction="higher",
    kind="rate",
    columns=("converted", "answered_at", "abandoned"),
    test="proportion",
)


def measure(ctx: Context) -> Measure:
    ctx.need("converted")
    sales = ctx.rows & ctx.known("converted")
    was_abandoned = abandoned(ctx)
    value, n = rate(pl.col("converted"), sales & ~was_abandoned)
    excluded = {
        "no converted value": ctx.rows & ctx.missing("converted"),
        **{k: ctx.rows & v for k, v in ctx.unparseable("converted").items()},
        "abandoned": sales & was_abandoned,
    }
    return Measure(value=value, n=n, excluded=excluded)
