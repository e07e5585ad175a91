"""Mention volume: how many public posts, comments and reviews mention the store.

Formula: ``count(mentions posted in the period)``
Numerator: —; the value is a count.
Exclusions: repeated ``mention_id``s (the first row is kept, the rest are counted under
"duplicate mention_id"), and rows a preset's rule leaves out, each under its reason.
Unit: mentions. Better: neither (context for the other mention KPIs).

Example: four rows, one of them a repeat of ``m2``:

>>> import polars as pl
>>> from supportkpi import kpi
>>> result = kpi(pl.DataFrame({"mention_id": ["m1", "m2", "m2", "m3"]}), "mention_volume")
>>> result.value, result.excluded["duplicate mention_id"]
(3, 1)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import polars as pl

from supportkpi.metrics._base import Context, KpiInfo, Measure, RunEnv, count
from supportkpi.schema import DUPLICATE, LEFT_OUT_PREFIX, left_out_flags

INFO = KpiInfo(
    id="mention_volume",
    title="Mention volume",
    unit="mentions",
    direction=None,
    kind="count",
    columns=("mention_id",),
    test="count",
    noun="mentions",
    table="mentions",
)


def measure(ctx: Context) -> Measure:
    ctx.need("mention_id")
    volume = count(ctx.rows)
    return Measure(value=volume, n=volume)


def for_run(m: Measure, ctx: Context, params: Mapping[str, Any], env: RunEnv) -> Measure:
    """Repeats and rows a preset's rule leaves out are counted under the volume, each with its
    reason (the data-quality report lists them too)."""
    repeats = pl.col(DUPLICATE) if ctx.has(DUPLICATE) else pl.lit(False)
    left_out = {flag.removeprefix(LEFT_OUT_PREFIX): pl.col(flag) for flag in left_out_flags(sorted(ctx.columns))}
    return dataclasses.replace(m, excluded={**m.excluded, "duplicate mention_id": repeats, **left_out})
