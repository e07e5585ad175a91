"""Service level (e.g. 80/20): the share of offered calls answered within T seconds.

Formula (default variant ``abandons_missed``):
``100 × answered within T / (offered − short abandons)``; abandons count as misses.
Variants (``kpis.service_level.variant``):

* ``abandons_ignored``: ``answered within T / answered``;
* ``abandons_within_t_met``: ``(answered within T + abandoned within T) / (offered − short
  abandons)``.

"Within T" is ``wait_seconds <= T``. T (``threshold_seconds``, default 20) and the short-abandon
threshold (``short_abandon_seconds``, default 5: an abandon that waited less is "short") are set in
kpi.yaml.
Exclusions: short abandons; contacts without queue data; answered contacts without
``wait_seconds``; negative waits (a data error). An abandon without ``wait_seconds`` counts as a
miss.
Unit: %. Better: higher.

Example: waits of 5, 15 and 40 s answered, one abandon after 30 s, one short abandon after 2 s.
Two of four count: 50 %.

>>> import polars as pl
>>> from supportkpi import kpi
>>> frame = pl.DataFrame({"abandoned": [False, False, False, True, True],
...                       "wait_seconds": [5, 15, 40, 30, 2]})
>>> kpi(frame, "service_level").value
50.0
>>> round(kpi(frame, "service_level", variant="abandons_ignored").value, 6)
66.666667
"""

from __future__ import annotations

from typing import Any, Literal

import polars as pl
from pydantic import Field

from supportkpi.metrics._base import Context, KpiInfo, Measure, rate
from supportkpi.metrics._intervals import (
    IntervalContext,
    IntervalMeasure,
    short_note,
    sums,
)
from supportkpi.metrics._queue import (
    NO_QUEUE_DATA,
    abandoned,
    answered,
    has_wait,
    negative_wait,
    offered,
    short_abandon,
    short_abandon_field,
)
from supportkpi.params import KpiParameters

INFO = KpiInfo(
    id="service_level",
    title="Service level",
    unit="%",
    direction="higher",
    kind="rate",
    columns=("answered_at", "abandoned", "wait_seconds"),
    test="proportion",
    noun="calls",
)


class Params(KpiParameters):
    """``kpis.service_level`` in kpi.yaml: T, the short-abandon threshold (shared with the
    abandonment rate) and the variant of the formula."""

    threshold_seconds: float = Field(20, gt=0)
    short_abandon_seconds: float = short_abandon_field()
    variant: Literal["abandons_missed", "abandons_ignored", "abandons_within_t_met"] = "abandons_missed"


def measure(ctx: Context, **params: Any) -> Measure:
    p = Params(**params)
    threshold_seconds, short_abandon_seconds, variant = p.threshold_seconds, p.short_abandon_seconds, p.variant
    ctx.need("wait_seconds")
    is_offered = ctx.rows & offered(ctx) & ~negative_wait(ctx)
    within = has_wait(ctx) & (pl.col("wait_seconds") <= threshold_seconds)
    short = short_abandon(ctx, short_abandon_seconds)
    if variant == "abandons_ignored":
        met, counted = answered(ctx) & within, is_offered & answered(ctx) & has_wait(ctx)
        excluded = {"abandoned": is_offered & abandoned(ctx)}
    else:
        met = within & (answered(ctx) if variant == "abandons_missed" else pl.lit(True))
        # an abandon without a wait is a miss (nothing shows it was short or within T); an
        # answered call without one cannot be placed
        counted = is_offered & ~short & (has_wait(ctx) | abandoned(ctx))
        excluded = {"short abandon": is_offered & short}
    value, n = rate(met, counted)
    excluded |= {
        NO_QUEUE_DATA: ctx.rows & ~offered(ctx),
        "answered without wait_seconds": is_offered & answered(ctx) & ~ctx.known("wait_seconds"),
        "negative duration": ctx.rows & offered(ctx) & negative_wait(ctx),
    }
    label = f"{variant}, T={threshold_seconds:g}s, short abandon <{short_abandon_seconds:g}s"
    return Measure(value=value, n=n, excluded=excluded, variant=label)


def from_intervals(
    ictx: IntervalContext,
    threshold_seconds: float = 20,
    short_abandon_seconds: float = 5,
    variant: str = "abandons_missed",
) -> IntervalMeasure:
    """From an interval report: Σ answered within T / (Σ offered − Σ short abandons);
    ``abandons_ignored``: Σ answered within T / Σ answered; ``abandons_within_t_met``: (Σ
    answered within T + Σ abandoned within T but not short) / (Σ offered − Σ short abandons)."""
    label = f"{variant}, T={threshold_seconds:g}s, short abandon <{short_abandon_seconds:g}s"
    within = pl.col("answered_within_threshold")
    if variant == "abandons_ignored":
        ictx.need("answered_within_threshold", "answered")
        excluded = {"abandoned": pl.col("abandoned")} if ictx.has("abandoned") else {}
        return sums(
            ictx,
            INFO.id,
            "rate",
            within,
            pl.col("answered"),
            ("answered", "answered_within_threshold"),
            contacts_excluded=excluded,
            variant=label,
            threshold=threshold_seconds,
        )
    offered, offered_reads = ictx.offered()
    met_t = variant == "abandons_within_t_met"
    ictx.need("answered_within_threshold", *(["abandoned_within_threshold"] if met_t else []))
    short, short_reads = ictx.short_abandons()
    reads = (*offered_reads, "answered_within_threshold", *short_reads)
    if met_t:
        # abandoned within T but not short: every short abandon is within T when the
        # short-abandon threshold is at or below T, none is when it is above
        abandoned_within = pl.col("abandoned_within_threshold")
        within = within + abandoned_within - pl.min_horizontal(short, abandoned_within)
        reads = (*reads, "abandoned_within_threshold")
    return sums(
        ictx,
        INFO.id,
        "rate",
        within,
        offered - short,
        reads,
        contacts_excluded={"short abandon": short},
        variant=label + short_note(ictx),
        threshold=threshold_seconds,
        short_threshold=short_abandon_seconds if short_reads else None,
    )


REPORT_THRESHOLDS = ("threshold_seconds", "short_abandon_seconds")
"""Parameters an interval report states in columns of the same name (the T and short-abandon
threshold it counted with): the report's row checks and notes take kpi.yaml's values from
this KPI."""
