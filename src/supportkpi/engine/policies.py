"""kpi.yaml's SLA policies in a run: one KPI per policy (``sla_compliance.<name>``), judged at
the report's end, and the list of breaches."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import polars as pl

from supportkpi import sla as sla_rules
from supportkpi.config import SlaPolicy
from supportkpi.engine.frames import conform, latest_timestamp, with_duplicate_flag
from supportkpi.engine.plan import KpiPlan
from supportkpi.metrics import Context, NotAvailable
from supportkpi.schedules import Calendars


def with_policies(
    lazy: pl.LazyFrame,
    plan: KpiPlan,
    sla: Sequence[SlaPolicy],
    calendars: Calendars,
    as_of: datetime | None,
) -> pl.LazyFrame:
    """``lazy`` with each policy's per-contact columns; the policies join ``plan`` (measured, or
    not available with what they need)."""
    stages: list[list[pl.Expr]] = [[], []]
    ctx = Context(columns=frozenset(lazy.collect_schema().names()))
    for policy in sla:
        key = sla_rules.kpi_id(policy)
        plan.infos[key] = sla_rules.info(policy)
        plan.kpi_ids.append(key)
        if as_of is None:
            plan.unavailable[key] = ("created_at",)
            continue
        try:
            for stage, exprs in zip(stages, sla_rules.per_contact_columns(policy, ctx, calendars, as_of)):
                stage += exprs
        except NotAvailable as missing:
            plan.unavailable[key] = missing.needs
    for stage in stages:
        if stage:
            lazy = lazy.with_columns(stage)
    ctx = Context(columns=frozenset(lazy.collect_schema().names()))
    for policy in sla:
        key = sla_rules.kpi_id(policy)
        if key not in plan.unavailable and as_of is not None:
            plan.measures[key] = sla_rules.measure(policy, ctx, calendars, as_of)
    return lazy


def breaches(
    frame: pl.LazyFrame | pl.DataFrame,
    sla: Sequence[SlaPolicy],
    *,
    calendars: Calendars | None = None,
    timezone: str = "UTC",
    as_of: datetime | None = None,
) -> tuple[pl.DataFrame, dict[str, tuple[str, ...]]]:
    """Every contact that breached a policy: ticket id, policy, target, measured, over by; and
    the policies the data cannot judge, with the columns they need."""
    prepared = with_duplicate_flag(conform(frame.lazy()))
    columns = frozenset(prepared.collect_schema().names())
    calendars = calendars or Calendars({}, {}, None).with_default(timezone)
    as_of = as_of or latest_timestamp(prepared, columns)
    if as_of is None or not sla:
        return pl.DataFrame(), {}
    ctx = Context(columns=columns)
    usable, skipped = [], {}
    for policy in sla:
        try:
            sla_rules.measured_and_waiting(policy, ctx, calendars, as_of)
            usable.append(policy)
        except NotAvailable as missing:
            skipped[policy.name] = missing.needs
    if not usable:
        return pl.DataFrame(), skipped
    return sla_rules.breaches(prepared, usable, ctx, calendars, as_of).collect(), skipped
