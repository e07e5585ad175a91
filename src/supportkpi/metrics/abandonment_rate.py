"""Abandonment rate: the share of offered calls whose caller hung up while waiting.

Formula: ``100 × abandoned with wait ≥ short-abandon threshold / (offered − short abandons)``;
offered = contacts with queue data (answered, or ``abandoned`` known true).
The short-abandon threshold (``short_abandon_seconds``, default 5) is set in kpi.yaml.
Exclusions: short abandons (wait below the threshold: misdials, not service failures); contacts
without queue data; negative waits (a data error). An abandon without ``wait_seconds`` counts as an abandon: nothing shows it
was short.
Unit: %. Better: lower.

Example: three answered calls, one abandon after 40 s, one short abandon after 2 s: 1 of 4.

>>> import polars as pl
>>> from supportkpi import kpi
>>> frame = pl.DataFrame({"abandoned": [False, False, False, True, True],
...                       "wait_seconds": [5, 15, 40, 40, 2]})
>>> kpi(frame, "abandonment_rate").value
25.0
"""

from __future__ import annotations

from typing import Any

import polars as pl

from supportkpi.metrics._base import Context, KpiInfo, Measure, NotAvailable, rate
from supportkpi.metrics._intervals import (
    IntervalContext,
    IntervalMeasure,
    short_note,
    sums,
)
from supportkpi.metrics._queue import (
    NO_QUEUE_DATA,
    abandoned,
    negative_wait,
    offered,
    short_abandon,
    short_abandon_field,
)
from supportkpi.params import KpiParameters

INFO = KpiInfo(
    id="abandonment_rate",
    title="Abandonment rate",
    unit="%",
    direction="lower",
    kind="rate",
    columns=("answered_at", "abandoned", "wait_seconds"),
    test="proportion",
    noun="calls",
)


class Params(KpiParameters):
    """``kpis.abandonment_rate`` in kpi.yaml: the short-abandon threshold (shared with the
    service level)."""

    short_abandon_seconds: float = short_abandon_field()


def measure(ctx: Context, **params: Any) -> Measure:
    short_abandon_seconds = Params(**params).short_abandon_seconds
    ctx.need("abandoned", "wait_seconds")
    is_offered = ctx.rows & offered(ctx) & ~negative_wait(ctx)
    short = short_abandon(ctx, short_abandon_seconds)
    value, n = rate(abandoned(ctx), is_offered & ~short)
    excluded = {
        "short abandon": is_offered & short,
        NO_QUEUE_DATA: ctx.rows & ~offered(ctx),
        "negative duration": ctx.rows & offered(ctx) & negative_wait(ctx),
    }
    label = f"short abandon <{short_abandon_seconds:g}s"
    return Measure(value=value, n=n, excluded=excluded, variant=label)


def from_intervals(ictx: IntervalContext, short_abandon_seconds: float = 5) -> IntervalMeasure:
    """From an interval report: (Σ abandoned − Σ short abandons) / (Σ offered − Σ short
    abandons)."""
    try:
        offered, offered_reads = ictx.offered()
    except NotAvailable:
        raise NotAvailable(["offered"]) from None
    ictx.need("abandoned")
    short, short_reads = ictx.short_abandons()
    return sums(
        ictx,
        INFO.id,
        "rate",
        pl.col("abandoned") - short,
        offered - short,
        tuple(dict.fromkeys((*offered_reads, "abandoned", *short_reads))),
        contacts_excluded={"short abandon": short},
        variant=f"short abandon <{short_abandon_seconds:g}s" + short_note(ictx),
        short_threshold=short_abandon_seconds if short_reads else None,
    )
