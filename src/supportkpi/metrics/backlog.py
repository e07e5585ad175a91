"""Backlog: contacts waiting for a resolution at the end of the period.

Formula: ``count(contacts created at or before the period's end and not resolved by then)``.
Without ``--period`` the end is the end of the data: every contact without a resolution is in the
backlog (so results do not depend on the day the report runs).
Backlog is a stock, not a flow: a contact created in January and still open at the end of March is
in March's backlog. With a period, the engine therefore adds one small aggregation over (keys,
period) for it (see :func:`stock_per_period`); every other KPI comes from the single group-by pass.
Exclusions: contacts whose ``resolved_at`` could not be parsed (open or not is unknown); calls
and chats abandoned in the queue (never a case to resolve). A contact resolved "before" it was
created counts as resolved when it was created.
Unit: contacts. Better: lower.

Example: two of three contacts are still open.

>>> import polars as pl
>>> from datetime import datetime
>>> from supportkpi import kpi
>>> frame = pl.DataFrame({"created_at": [datetime(2025, 1, d) for d in (1, 2, 3)],
...                       "resolved_at": [datetime(2025, 1, 2), None, None]})
>>> kpi(frame, "backlog").value
2
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from supportkpi.metrics._base import Context, KpiInfo, Measure, count
from supportkpi.metrics._resolved import resolution_unknown

INFO = KpiInfo(
    id="backlog",
    title="Backlog",
    unit="contacts",
    direction="lower",
    kind="count",
    columns=("created_at", "resolved_at", "resolution_seconds"),
    test="count",
)


def resolved_at(ctx: Context) -> pl.Expr:
    """When the contact was resolved: ``resolved_at``, else ``created_at + resolution_seconds``;
    never before it was created."""
    parts = []
    if ctx.has("resolved_at"):
        parts.append(pl.col("resolved_at"))
    if ctx.has("resolution_seconds"):
        parts.append(pl.col("created_at") + pl.duration(seconds=pl.col("resolution_seconds")))
    when = pl.coalesce(parts) if len(parts) > 1 else parts[0]
    return pl.when(when.is_not_null()).then(pl.max_horizontal(when, pl.col("created_at")))


def measure(ctx: Context) -> Measure:
    ctx.need("created_at")
    ctx.need_any("resolved_at", "resolution_seconds")
    counted = _counted(ctx)
    excluded = {
        reason: ctx.rows & resolution_unknown(ctx) & bad
        for reason, bad in ctx.unparseable("resolved_at", "resolution_seconds").items()
    }
    excluded["abandoned"] = ctx.rows & ctx.abandoned
    return Measure(value=count(counted & resolved_at(ctx).is_null()), n=count(counted), excluded=excluded)


def _counted(ctx: Context) -> pl.Expr:
    return ctx.rows & ctx.known("created_at") & ~resolution_unknown(ctx) & ~ctx.abandoned


CREATED = "_backlog_created"


def created(ctx: Context) -> pl.Expr:
    """For backlog by period, an aggregation of the KPI pass (groups are keys × period of
    creation): how many contacts each group created."""
    return count(_counted(ctx))


def resolved_per_period(
    frame: pl.LazyFrame, ctx: Context, keys: list[str], period_of: Callable[[pl.Expr], pl.Expr]
) -> pl.LazyFrame:
    """For backlog by period, a query collected with the KPI pass: how many contacts of each
    group of ``keys`` were resolved in each period (``_period``, ``_resolved``)."""
    resolved = resolved_at(ctx)
    return (
        frame.filter(_counted(ctx) & resolved.is_not_null())
        .group_by(*keys, period_of(resolved).alias("_period"))
        .agg(pl.len().alias("_resolved"))
    )


def carry_over(
    table: pl.DataFrame,
    resolved: pl.DataFrame,
    keys: list[str],
    period_column: str,
    value_column: str,
    n_column: str,
) -> pl.DataFrame:
    """Backlog at the end of each period: contacts created up to the period's end (``table``'s
    :data:`CREATED` per keys and period) minus those of them resolved by then
    (:func:`resolved_per_period`), per group of ``keys``. Sets the engine's ``value_column`` and
    ``n_column`` (contacts created up to the period's end)."""
    created = table.select(*keys, period_column, pl.col(CREATED).alias("_created"))
    resolved = resolved.rename({"_period": period_column}).with_columns(
        pl.col(period_column).cast(table.schema[period_column])
    )
    both = created.join(resolved, on=[*keys, period_column], how="full", coalesce=True, nulls_equal=True)
    cumulative = [
        pl.col(c).fill_null(0).cum_sum().over(keys or pl.lit(0), order_by=period_column)
        for c in ("_created", "_resolved")
    ]
    stock = both.select(
        *keys,
        period_column,
        (cumulative[0] - cumulative[1]).cast(pl.Int64).alias(value_column),
        cumulative[0].cast(pl.Int64).alias(n_column),
    )
    return table.drop(value_column, n_column, CREATED, strict=False).join(
        stock, on=[*keys, period_column], how="left", nulls_equal=True
    )


def stock_per_period(
    ctx: Context, frame: pl.LazyFrame, keys: list[str], period_of: Callable[[pl.Expr], pl.Expr]
) -> tuple[list[pl.Expr], pl.LazyFrame]:
    """The hook of a stock carried across periods: aggregations for the KPI pass (contacts
    created per group) and a query collected with it (:func:`resolved_per_period`); the engine
    then calls :func:`carry_over` with the two results."""
    return [created(ctx).alias(CREATED)], resolved_per_period(frame, ctx, keys, period_of)
