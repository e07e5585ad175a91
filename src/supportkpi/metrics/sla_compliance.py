"""SLA compliance: the share of contacts that met their policy's target.

Formula: ``100 × contacts whose measured time met the target / contacts the policy applies to``.
A policy (kpi.yaml ``sla``) names the metric (first response or resolution), a target per
priority, channel and/or vendor (the first matching target applies), and whether time counts on
the calendar or in business hours. A contact still waiting past its target at the report's end
(``--as-of``, default the latest timestamp in the data) is breached; one still inside its target
is "in progress" and left out. Met means measured ≤ target.
Numerator: contacts with a measured time ≤ target.
Denominator: met + breached (answered/resolved late, or still waiting past the target).
Exclusions: contacts no target applies to; in progress; contacts created after the report's
end; calls abandoned in the queue; negative durations (a data error). A contact is judged as
things stood at the report's end: an answer that came later had not happened yet.
Unit: %. Better: higher.

The engine builds the three per-contact expressions from kpi.yaml (this module only counts):

>>> import polars as pl
>>> frame = pl.DataFrame({"target": [3600.0, 3600.0, 3600.0, 3600.0, None],
...                       "measured": [600.0, 3600.0, 7200.0, None, 60.0],
...                       "waiting": [None, None, None, 4000.0, None]})
>>> from supportkpi.metrics._base import Context
>>> m = measure(Context(frozenset(frame.columns)), pl.col("target"), pl.col("measured"),
...             pl.col("waiting"))
>>> frame.select(m.value, m.n).row(0)  # met: 600 s and exactly 3600 s; breached: 2 h, waiting
(50.0, 4)
"""

from __future__ import annotations

import polars as pl

from supportkpi.metrics._base import Context, KpiInfo, Measure, count, rate

INFO = KpiInfo(
    id="sla_compliance",
    title="SLA compliance",
    unit="%",
    direction="higher",
    kind="rate",
    columns=("created_at", "first_response_at", "resolved_at"),
    test="proportion",
)


def measure(
    ctx: Context,
    target: pl.Expr,
    measured: pl.Expr,
    waiting: pl.Expr,
    after_end: pl.Expr | None = None,
    unknown: pl.Expr | None = None,
) -> Measure:
    """``target`` seconds per contact (null: no target applies), ``measured`` seconds to the
    metric's end (null while it had not happened by the report's end), ``waiting`` seconds from
    creation to the report's end for contacts still waiting; ``after_end`` marks contacts
    created after the report's end (left out); ``unknown`` marks contacts whose end could not be
    read (left out as unparseable, not taken for still waiting)."""
    later = ctx.rows & (after_end.fill_null(False) if after_end is not None else pl.lit(False))
    bad = unknown.fill_null(False) if unknown is not None else pl.lit(False)
    done = measured.is_not_null()
    unreadable = bad & ~done
    applies = ctx.rows & ~ctx.abandoned & target.is_not_null() & ~later & ~unreadable
    negative = done & (measured < 0)
    met = done & ~negative & (measured <= target)
    late = done & ~negative & (measured > target)
    overdue = ~done & (waiting > target).fill_null(False)
    value, n = rate(met, applies & (met | late | overdue))
    excluded = {
        "no target for this contact": ctx.rows & ~ctx.abandoned & target.is_null() & ~later,
        "created after the report's end": later & ~ctx.abandoned,
        "unparseable end time": ctx.rows & ~ctx.abandoned & target.is_not_null() & ~later & unreadable,
        "in progress": applies & ~done & ~overdue,
        "negative duration": applies & negative,
        "abandoned": ctx.rows & ctx.abandoned,
    }
    stats = {"breached": count(applies & (late | overdue))}
    return Measure(value=value, n=n, excluded=excluded, stats=stats)
