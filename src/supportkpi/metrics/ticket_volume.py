"""Ticket volume: how many contacts were created.

Formula: ``count(contacts created in the period)``
Numerator: —; the value is a count.
Exclusions: repeated ``ticket_id``s (the first row is kept, the rest are counted under
"duplicate ticket_id").
Unit: contacts. Better: neither (context for the other KPIs).

Example:

>>> import polars as pl
>>> from supportkpi import kpi
>>> kpi(pl.DataFrame({"ticket_id": ["a", "b", "b", "c"]}), "ticket_volume").value
3
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import polars as pl

from supportkpi.metrics._base import Context, KpiInfo, Measure, RunEnv, count
from supportkpi.metrics._intervals import IntervalContext, IntervalMeasure, sums
from supportkpi.schema import DUPLICATE, LEFT_OUT_PREFIX, left_out_flags

INFO = KpiInfo(
    id="ticket_volume",
    title="Ticket volume",
    unit="contacts",
    direction=None,
    kind="count",
    columns=("ticket_id",),
    test="count",
)


def measure(ctx: Context) -> Measure:
    ctx.need("ticket_id")
    volume = count(ctx.rows)
    return Measure(value=volume, n=volume)


def for_run(m: Measure, ctx: Context, params: Mapping[str, Any], env: RunEnv) -> Measure:
    """Repeats, and rows a preset's rule leaves out (a deleted ticket, an outbound
    conversation), are left out of every KPI; the catalog counts them under the volume, each
    with its reason (and the data-quality report lists them)."""
    repeats = pl.col(DUPLICATE) if ctx.has(DUPLICATE) else pl.lit(False)
    left_out = {flag.removeprefix(LEFT_OUT_PREFIX): pl.col(flag) for flag in left_out_flags(sorted(ctx.columns))}
    return dataclasses.replace(m, excluded={**m.excluded, "duplicate ticket_id": repeats, **left_out})


def from_intervals(ictx: IntervalContext) -> IntervalMeasure:
    """From an interval report: Σ offered (its contacts are offered contacts)."""
    offered, reads = ictx.offered()
    label = "offered contacts (interval report)"
    if not ictx.has("offered"):
        label = "offered = answered + abandoned (interval report)"
    return sums(ictx, INFO.id, "count", None, offered, reads, variant=label)
