"""Complaint share: the share of mentions that are complaints.

Formula: ``100 × complaints / mentions whose is_complaint is known``
Numerator: mentions with ``is_complaint`` true.
Denominator: mentions with an ``is_complaint`` value (true or false).
Exclusions: unknown ``is_complaint`` (empty, or a value that is no yes/no).
Unit: %. Better: lower.

Example: one complaint among four mentions that say; one does not say.

>>> import polars as pl
>>> from supportkpi import kpi
>>> frame = pl.DataFrame({"is_complaint": [True, False, False, False, None]})
>>> result = kpi(frame, "complaint_share")
>>> result.value, result.n, result.excluded["unknown is_complaint"]
(25.0, 4, 1)
"""

from __future__ import annotations

import polars as pl

from supportkpi.metrics._base import Context, KpiInfo, Measure, rate

INFO = KpiInfo(
    id="complaint_share",
    title="Complaint share",
    unit="%",
    direction="lower",
    kind="rate",
    columns=("is_complaint",),
    test="proportion",
    noun="mentions",
    table="mentions",
)


def measure(ctx: Context) -> Measure:
    ctx.need("is_complaint")
    value, n = rate(pl.col("is_complaint"), ctx.rows & ctx.known("is_complaint"))
    excluded = {
        "unknown is_complaint": ctx.rows & ctx.missing("is_complaint"),
        **{k: ctx.rows & v for k, v in ctx.unparseable("is_complaint").items()},
    }
    return Measure(value=value, n=n, excluded=excluded)
