"""kpi.yaml ``sla`` policies turned into the per-contact expressions that
:mod:`supportkpi.metrics.sla_compliance` counts, and the per-contact breach list.

Per policy and contact: the target (the first target whose channel/priority/language/vendor
match; none: the policy does not apply), the measured time from ``created_at`` to the metric's
end (first response or resolution) on the calendar or in business hours of the contact's
calendar, and for a contact still waiting, the time from ``created_at`` to the report's end
(``as_of``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import polars as pl

from supportkpi.calendars import business_seconds
from supportkpi.metrics import REGISTRY, sla_compliance
from supportkpi.metrics._base import Context, KpiInfo, Measure
from supportkpi.metrics._durations import elapsed_seconds, end_timestamp
from supportkpi.schedules import Calendars

if TYPE_CHECKING:  # config imports targets, which imports SLA_COMPLIANCE from here: annotations only
    from supportkpi.config import SlaPolicy

SLA_COMPLIANCE = sla_compliance.INFO.id
"""The KPI id that stands for every SLA policy of kpi.yaml."""


def ends(policy: SlaPolicy) -> tuple[str, str]:
    """The end timestamp of the policy's metric and the seconds some sources give instead."""
    return REGISTRY[policy.metric].END


def kpi_id(policy: SlaPolicy) -> str:
    return f"{SLA_COMPLIANCE}.{policy.name}"


def info(policy: SlaPolicy) -> KpiInfo:
    base = sla_compliance.INFO
    return KpiInfo(kpi_id(policy), f"SLA {policy.name}", base.unit, base.direction, base.kind, base.columns)


def business_elapsed(
    calendars: Calendars, stop: pl.Expr, calendar: str | None, columns: frozenset[str], start_column: str = "created_at"
) -> pl.Expr:
    """Business seconds from ``start_column`` (created_at; a mention's posted_at) to ``stop`` in
    each row's calendar. An end before the start keeps its (negative) calendar length, so that
    it is left out as a data error rather than counted as 0 h."""
    start = pl.col(start_column)
    open_time = calendars.per_contact(
        lambda s: business_seconds(start, stop, s), calendar, "vendor" in columns, "team" in columns
    )
    backwards = (stop - start).dt.total_microseconds() / 1e6
    return pl.when(stop < start).then(backwards).otherwise(open_time)


def target(policy: SlaPolicy, columns: frozenset[str]) -> pl.Expr:
    expr = pl.lit(None, pl.Float64)
    for t in reversed(policy.targets):  # the first matching target wins
        conditions = [
            (pl.col(column) == value) if column in columns else pl.lit(False) for column, value in t.conditions.items()
        ]
        matches = pl.all_horizontal(conditions) if conditions else pl.lit(True)
        expr = pl.when(matches.fill_null(False)).then(pl.lit(t.seconds)).otherwise(expr)
    return expr


def measured_and_waiting(
    policy: SlaPolicy, ctx: Context, calendars: Calendars, as_of: datetime
) -> tuple[pl.Expr, pl.Expr]:
    end, given = ends(policy)
    ctx.need("created_at")
    ctx.need_any(end, given)
    stop = end_timestamp(end, given, ctx.columns)
    if policy.clock == "business":
        measured = business_elapsed(calendars, stop, policy.calendar, ctx.columns)
    else:
        measured = elapsed_seconds(ctx, end, given)
    # judged as things stood at the report's end: an answer after as_of had not happened yet
    measured = pl.when(stop <= as_of).then(measured)
    return measured, pl.when(measured.is_null()).then(waiting_at(policy, ctx, calendars, as_of))


def waiting_at(policy: SlaPolicy, ctx: Context, calendars: Calendars, as_of: datetime) -> pl.Expr:
    """Time from created_at to the report's end, on the policy's clock."""
    if policy.clock == "business":
        return business_elapsed(calendars, pl.lit(as_of), policy.calendar, ctx.columns)
    return (pl.lit(as_of) - pl.col("created_at")).dt.total_microseconds() / 1e6


def column(policy: SlaPolicy, part: str) -> str:
    return f"_sla_{policy.name}_{part}"


def per_contact_columns(policy: SlaPolicy, ctx: Context, calendars: Calendars, as_of: datetime) -> list[list[pl.Expr]]:
    """Two steps of columns the engine adds before its group-by, so that the business-hours
    arithmetic runs once per contact, not once per aggregation: target and measured, then the
    time waited so far by contacts still waiting at ``as_of``."""
    measured, _ = measured_and_waiting(policy, ctx, calendars, as_of)
    first = [
        target(policy, ctx.columns).alias(column(policy, "target")),
        measured.alias(column(policy, "measured")),
    ]
    waited = waiting_at(policy, ctx, calendars, as_of)
    still_waiting = pl.col(column(policy, "measured")).is_null()
    second = [pl.when(still_waiting).then(waited).alias(column(policy, "waiting"))]
    return [first, second]


def measure(policy: SlaPolicy, ctx: Context, calendars: Calendars, as_of: datetime) -> Measure:
    """The policy's Measure over the columns of :func:`per_contact_columns`."""
    end, given = ends(policy)
    unknown = ctx.invalid(end) | ctx.invalid(given)
    m = sla_compliance.measure(
        ctx,
        pl.col(column(policy, "target")),
        pl.col(column(policy, "measured")),
        pl.col(column(policy, "waiting")),
        after_end=pl.col("created_at") > as_of,
        unknown=unknown,
    )
    clock = "business hours: " + calendars.describe(policy.calendar) if policy.clock == "business" else "calendar time"
    label = f"{policy.metric}, {clock}, as of {as_of:%Y-%m-%d %H:%M:%S} UTC"
    return Measure(m.value, m.n, m.excluded, m.stats, variant=label)


def breaches(
    frame: pl.LazyFrame,
    policies: Sequence[SlaPolicy],
    ctx: Context,
    calendars: Calendars,
    as_of: datetime,
) -> pl.LazyFrame:
    """One row per breached contact and policy: ticket id, policy, target, measured (or waited
    so far, for a contact still waiting), and by how much, in hours."""
    parts = []
    keep = [c for c in ("ticket_id", "vendor", "channel", "priority", "language", "created_at") if ctx.has(c)]
    for policy in policies:
        measured, waiting = measured_and_waiting(policy, ctx, calendars, as_of)
        goal = target(policy, ctx.columns)
        spent = pl.coalesce(measured, waiting)
        late = (
            ctx.rows
            & ~ctx.abandoned
            & goal.is_not_null()
            & (pl.col("created_at") <= as_of)
            & (spent > goal).fill_null(False)
            & (spent >= 0)
        )
        parts.append(
            frame.filter(late).select(
                *keep,
                pl.lit(policy.name).alias("policy"),
                pl.lit(policy.metric).alias("metric"),
                pl.when(measured.is_null()).then(pl.lit("still waiting")).otherwise(pl.lit("late")).alias("state"),
                (goal / 3600).alias("target_hours"),
                (spent / 3600).alias("measured_hours"),
                ((spent - goal) / 3600).alias("over_by_hours"),
            )
        )
    return pl.concat(parts) if parts else pl.LazyFrame()
