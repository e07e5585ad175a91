"""Transfer rate: the share of handled contacts passed between agents or queues.

Formula: ``100 × contacts with transfers > 0 / handled contacts``; handled means not abandoned
and never answered (every contact where no ``abandoned`` value says otherwise).
Exclusions: abandoned contacts; contacts without a ``transfers`` value.
Unit: %. Better: lower.

Example:

>>> import polars as pl
>>> from supportkpi import kpi
>>> kpi(pl.DataFrame({"transfers": [0, 1, 0, 3, None]}), "transfer_rate").value
50.0
"""

from __future__ import annotations

import polars as pl

from supportkpi.metrics._base import Context, KpiInfo, Measure, rate
from supportkpi.metrics._queue import abandoned

INFO = KpiInfo(
    id="transfer_rate",
    title="Transfer rate",
    unit="%",
    direction="lower",
    kind="rate",
    columns=("transfers", "abandoned"),
    test="proportion",
)


def measure(ctx: Context) -> Measure:
    ctx.need("transfers")
    was_abandoned = abandoned(ctx)
    handled = ctx.rows & ~was_abandoned
    value, n = rate(pl.col("transfers") > 0, handled & ctx.known("transfers"))
    excluded = {
        "abandoned": ctx.rows & was_abandoned,
        "no transfers value": handled & ctx.missing("transfers"),
        **{k: handled & v for k, v in ctx.unparseable("transfers").items()},
    }
    return Measure(value=value, n=n, excluded=excluded)
