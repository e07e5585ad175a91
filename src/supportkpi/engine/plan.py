"""The KPIs of a run as expressions: each KPI module's per-row columns (its ``prepare`` hook),
its :class:`~supportkpi.metrics.Measure` with the run's parameters, and the output names of its
aggregations. The engine names no KPI: it loops over the registry and calls the hooks a module
defines (listed in :data:`~supportkpi.metrics._base.HOOKS`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import polars as pl

from supportkpi import quantiles
from supportkpi.engine import columns as out
from supportkpi.metrics import REGISTRY, Context, KpiInfo, Measure, NotAvailable
from supportkpi.metrics._base import OrderStatistic, RunEnv

Params = Mapping[str, Mapping[str, Any]]


@dataclass
class KpiPlan:
    """The KPIs of a run in the order of the output: those the data can give (``measures``) and
    those it cannot (``unavailable``, with what they need)."""

    kpi_ids: list[str]
    infos: dict[str, KpiInfo]
    measures: dict[str, Measure]
    unavailable: dict[str, tuple[str, ...]]


def prepared_columns(kpi_ids: Iterable[str], params: Params, ctx: Context, env: RunEnv) -> list[pl.Expr]:
    """The per-row columns the KPIs of the run read, each once."""
    exprs: dict[str, pl.Expr] = {}
    for kpi_id in kpi_ids:
        prepare = getattr(REGISTRY[kpi_id], "prepare", None)
        if prepare is not None:
            for expr in prepare(ctx, dict(params.get(kpi_id, {})), env):
                exprs.setdefault(expr.meta.output_name(), expr)
    return list(exprs.values())


def kpi_plan(ctx: Context, kpi_ids: list[str], params: Params, env: RunEnv) -> KpiPlan:
    """Each KPI's measure with the run's parameters, or what it needs."""
    plan = KpiPlan(list(kpi_ids), {k: REGISTRY[k].INFO for k in kpi_ids}, {}, {})
    for kpi_id in kpi_ids:
        module = REGISTRY[kpi_id]
        given = dict(params.get(kpi_id, {}))
        run_params = getattr(module, "run_params", None)
        kwargs = run_params(given, env) if run_params is not None else given
        try:
            m = module.measure(ctx, **kwargs)
        except NotAvailable as missing:
            plan.unavailable[kpi_id] = missing.needs
            continue
        for_run = getattr(module, "for_run", None)
        plan.measures[kpi_id] = for_run(m, ctx, given, env) if for_run is not None else m
    return plan


def stocks(plan: KpiPlan) -> dict[str, ModuleType]:
    """The KPI modules of the plan that are stocks carried across periods (backlog)."""
    return {k: REGISTRY[k] for k in plan.measures if hasattr(REGISTRY.get(k), "stock_per_period")}


def aggregations(kpi_id: str, m: Measure) -> Iterable[pl.Expr]:
    """The aggregation expressions of one KPI under their output names (:mod:`.columns`);
    order statistics are left out (:func:`order_requests`)."""
    if not isinstance(m.value, OrderStatistic):
        yield m.value.alias(out.value(kpi_id))
    yield m.n.alias(out.n(kpi_id))
    for i, expr in enumerate(m.excluded.values()):
        # a mask counts its rows; interval reports exclude counts of contacts per row
        yield expr.fill_null(False).sum().cast(pl.Int64).alias(out.excluded(kpi_id, i))
    for name, stat in m.stats.items():
        if not isinstance(stat, OrderStatistic):
            yield stat.alias(out.stat(kpi_id, name))
    for name, expr in m.checks.items():
        yield expr.alias(out.check(kpi_id, name))


def _order_statistics(kpi_id: str, m: Measure) -> Iterable[tuple[str, OrderStatistic]]:
    """The order statistics of one KPI, under the output names :func:`aggregations` leaves out."""
    if isinstance(m.value, OrderStatistic):
        yield out.value(kpi_id), m.value
    for name, stat in m.stats.items():
        if isinstance(stat, OrderStatistic):
            yield out.stat(kpi_id, name), stat


def order_requests(measures: Mapping[str, Measure]) -> tuple[list[pl.Expr], list[quantiles.Request]]:
    """Order statistics (medians, p90) are not aggregations that stream: their per-row values
    become columns (one per distinct expression: a KPI's median and p90 share theirs), and
    :mod:`supportkpi.quantiles` computes them apart."""
    value_columns: list[pl.Expr] = []
    requests: list[quantiles.Request] = []
    for kpi_id, m in measures.items():
        for name, stat in _order_statistics(kpi_id, m):
            column = next((c for c in value_columns if c.meta.undo_aliases().meta.eq(stat.values)), None)
            if column is None:
                column = stat.values.alias(f"_order_values_{len(value_columns)}")
                value_columns.append(column)
            requests.append(quantiles.Request(name, column.meta.output_name(), stat.percent))
    return value_columns, requests
