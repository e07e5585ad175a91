"""Reopen rate: the share of resolved contacts that were reopened at least once.

Formula: ``100 × resolved contacts with reopens > 0 / resolved contacts``
Exclusions: unresolved contacts; calls and chats abandoned in the queue; resolved contacts without a ``reopens`` value (or with an
unparseable one).
Unit: %. Better: lower.

Example: of three resolved contacts one was reopened (twice); the open one does not count.

>>> import polars as pl
>>> from datetime import datetime
>>> from supportkpi import kpi
>>> done = datetime(2025, 1, 7)
>>> frame = pl.DataFrame({"resolved_at": [done, done, done, None], "reopens": [0, 2, 0, 1]})
>>> round(kpi(frame, "reopen_rate").value, 6)
33.333333
"""

from __future__ import annotations

import polars as pl

from supportkpi.metrics._base import Context, KpiInfo, Measure, rate
from supportkpi.metrics._resolved import note, resolved

INFO = KpiInfo(
    id="reopen_rate",
    title="Reopen rate",
    unit="%",
    direction="lower",
    kind="rate",
    columns=("resolved_at", "resolution_seconds", "resolved", "status", "reopens"),
    test="proportion",
)


def measure(ctx: Context) -> Measure:
    ctx.need("reopens")
    is_resolved = ctx.rows & resolved(ctx)
    value, n = rate(pl.col("reopens") > 0, is_resolved & ctx.known("reopens"))
    excluded = {
        "unresolved": ctx.rows & ~resolved(ctx) & ~ctx.abandoned,
        "abandoned": ctx.rows & ctx.abandoned,
        "no reopens value": is_resolved & ctx.missing("reopens"),
        **{k: is_resolved & v for k, v in ctx.unparseable("reopens").items()},
    }
    return Measure(value=value, n=n, excluded=excluded, variant=note(ctx))
