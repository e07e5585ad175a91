"""Escalation rate: the share of contacts escalated to a higher tier or to the client.

Formula: ``100 × escalated contacts / contacts with an escalated value``
Exclusions: rows without ``escalated`` (or with an unparseable value).
Unit: %. Better: lower.

Example:

>>> import polars as pl
>>> from supportkpi import kpi
>>> kpi(pl.DataFrame({"escalated": [True, False, False, False, None]}), "escalation_rate").value
25.0
"""

from __future__ import annotations

import polars as pl

from supportkpi.metrics._base import Context, KpiInfo, Measure, rate

INFO = KpiInfo(
    id="escalation_rate",
    title="Escalation rate",
    unit="%",
    direction="lower",
    kind="rate",
    columns=("escalated",),
    test="proportion",
)


def measure(ctx: Context) -> Measure:
    ctx.need("escalated")
    value, n = rate(pl.col("escalated"), ctx.rows & ctx.known("escalated"))
    excluded = {
        "no escalated value": ctx.rows & ctx.missing("escalated"),
        **{k: ctx.rows & v for k, v in ctx.unparseable("escalated").items()},
    }
    return Measure(value=value, n=n, excluded=excluded)
