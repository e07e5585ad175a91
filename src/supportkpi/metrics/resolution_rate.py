"""Resolution rate: the share of contacts that were resolved.

Formula: ``100 × resolved contacts / contacts created``, both from the same cohort (the
contacts created in the period or group). Resolved means ``resolved_at`` (or
``resolution_seconds``) is present; an export with neither may say it with a ``resolved``
yes/no column or a status of solved or closed (the variant says which was read).
Exclusions: contacts whose ``resolved_at`` could not be parsed, or whose resolved flag or
status is missing or unknown (resolved or not is unknown);
calls and chats abandoned in the queue (never handled).
Unit: %. Better: higher.

Example: three of four contacts resolved.

>>> import polars as pl
>>> from datetime import datetime
>>> from supportkpi import kpi
>>> done = datetime(2025, 1, 7)
>>> kpi(pl.DataFrame({"resolved_at": [done, done, None, done]}), "resolution_rate").value
75.0

From statuses, when there is no resolution time: two of three known statuses are resolved.

>>> result = kpi(pl.DataFrame({"status": ["solved", "closed", "open", None]}), "resolution_rate")
>>> round(result.value, 2), result.n, result.variant
(66.67, 3, 'resolved taken from status (solved/closed)')
"""

from __future__ import annotations

from supportkpi.metrics._base import Context, KpiInfo, Measure, rate
from supportkpi.metrics._resolved import note, resolution_unknown, resolved, unknown_reasons

INFO = KpiInfo(
    id="resolution_rate",
    title="Resolution rate",
    unit="%",
    direction="higher",
    kind="rate",
    columns=("resolved_at", "resolution_seconds", "resolved", "status"),
    test="proportion",
)


def measure(ctx: Context) -> Measure:
    is_resolved = resolved(ctx)
    handled = ctx.rows & ~ctx.abandoned
    value, n = rate(is_resolved, handled & ~resolution_unknown(ctx))
    excluded = {reason: handled & unknown for reason, unknown in unknown_reasons(ctx).items()}
    excluded["abandoned"] = ctx.rows & ctx.abandoned
    return Measure(value=value, n=n, excluded=excluded, variant=note(ctx))
