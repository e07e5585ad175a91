"""The engine's group-by pass: every KPI's aggregations in one ``group_by(keys).agg(...)``, and
the queries that go with it (value histograms for medians and percentiles, stocks carried across
periods, the caller's own queries) collected together, so the input is read once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import ModuleType

import polars as pl

from supportkpi import quantiles
from supportkpi.engine import columns as out
from supportkpi.engine import stages
from supportkpi.engine.plan import KpiPlan, aggregations, order_requests, stocks
from supportkpi.engine.request import period_of
from supportkpi.metrics import Context


@dataclass(frozen=True)
class Collect:
    """How the pass's queries are collected: in memory (``bounded`` False) side by side, with
    medians and percentiles read off each group's sorted values in the pass itself; in bounded
    runs one query at a time, with medians and percentiles from value histograms
    (:mod:`supportkpi.quantiles`)."""

    bounded: bool = False

    def __call__(self, plans: Sequence[pl.LazyFrame]) -> list[pl.DataFrame]:
        if self.bounded:
            # One query at a time: queries collected together share one scan, but the streaming
            # engine then buffers rows for whichever query is behind, in memory that grows with
            # the input (10M rows: 0.8 GiB for one extra query). The input is a typed Parquet
            # copy here, so each query reads only its columns.
            return [p.collect() for p in plans]
        return pl.collect_all(plans)  # the input is in memory: the queries run side by side


def collector(bounded: bool) -> Collect:
    return Collect(bounded)


@dataclass(frozen=True)
class Grouping:
    """How rows fall into groups: by the ``by`` columns and the ``period`` (in ``timezone``) of
    the ``timestamp`` column; rows without that timestamp are in no group."""

    by: list[str]
    period: str | None
    timezone: str
    timestamp: str

    @property
    def keys(self) -> list[str]:
        return [*self.by, out.PERIOD_START] if self.period is not None else list(self.by)

    def period_of(self, timestamp: pl.Expr) -> pl.Expr:
        assert self.period is not None
        return period_of(timestamp, self.period, self.timezone)


@dataclass
class PassResult:
    """``table``: one row per group of dated rows with the KPIs' figures; ``every_group``: the
    pass's groups dated or not, with the caller's aggregations over every row; ``queries``: the
    caller's queries, collected with the pass."""

    table: pl.DataFrame
    every_group: pl.DataFrame
    queries: list[pl.DataFrame] = field(default_factory=list)


def run(
    lazy: pl.LazyFrame,
    plan: KpiPlan,
    grouping: Grouping,
    *,
    samples: bool = False,
    over_every_row: Sequence[pl.Expr] = (),
    queries: Sequence[pl.LazyFrame] = (),
    collect: Collect = Collect(),
    step: Callable[[str], None] = lambda _: None,
) -> PassResult:
    """The KPIs of ``plan`` per group, with ``over_every_row`` (named by
    :func:`.columns.quality`) aggregated per group whether its rows are dated or not, and
    ``queries`` collected in the same go."""
    columns = frozenset(lazy.collect_schema().names())
    keys = grouping.keys
    value_columns, requests = order_requests(plan.measures)
    lazy = _with_pass_columns(lazy, grouping, columns, value_columns)
    counted = lazy.filter(pl.col(out.DATED))
    kpi_aggregations = _kpi_aggregations(plan, samples)
    # in memory, medians and percentiles are read off each group's sorted values, collected
    # with the pass (a query of its own: in the pass's group_by, lists of values change how
    # polars adds up the means, in their last digit); in bounded runs, from value histograms
    in_memory = bool(requests) and not collect.bounded
    sorted_values = [_sorted_values(counted, keys, requests)] if in_memory else []
    stock_queries = _stock_queries(plan, grouping, counted, columns)
    for _, stock_aggregations, _ in stock_queries.values():
        kpi_aggregations += stock_aggregations
    # each distinct row mask and aggregation once (:mod:`.stages`), rather than per figure
    staged = stages.split([*kpi_aggregations, *over_every_row], lazy.collect_schema())
    table_plan = staged.apply(lazy, [*keys, out.DATED])
    histograms = quantiles.histogram(counted, keys, requests) if requests and not in_memory else []
    step("computing the KPIs" + (" and value histograms" if histograms else ""))
    stock_plans = [query for _, _, query in stock_queries.values()]
    every_group, stock_tables, counts, results = _split(
        collect([table_plan, *stock_plans, *histograms, *sorted_values, *queries]),
        len(stock_plans),
        len(histograms) + len(sorted_values),
    )
    table = _dated_groups(every_group, counted, keys, kpi_aggregations)
    if in_memory:
        table = _joined(table, quantiles.from_sorted(counts[0], requests), keys)
    elif requests:
        table = _with_order_statistics(table, counted, keys, requests, counts, collect, step)
    for (kpi_id, (module, _, _)), resolved in zip(stock_queries.items(), stock_tables):
        table = module.carry_over(
            table, resolved, list(grouping.by), out.PERIOD_START, out.value(kpi_id), out.n(kpi_id)
        ).sort(keys, nulls_last=True)
    return PassResult(table, every_group, results)


def _with_pass_columns(
    lazy: pl.LazyFrame, grouping: Grouping, columns: frozenset[str], value_columns: list[pl.Expr]
) -> pl.LazyFrame:
    """The input with the columns the pass reads: the period, whether the row is dated, the
    values of order statistics."""
    if grouping.period is not None:
        lazy = lazy.with_columns(grouping.period_of(pl.col(grouping.timestamp)).alias(out.PERIOD_START))
    dated = pl.col(grouping.timestamp).is_not_null() if grouping.timestamp in columns else pl.lit(True)
    return lazy.with_columns(*value_columns, dated.alias(out.DATED))


def _dated_groups(
    every_group: pl.DataFrame, counted: pl.LazyFrame, keys: list[str], kpi_aggregations: list[pl.Expr]
) -> pl.DataFrame:
    """The groups of dated rows, sorted by their keys, without the caller's columns; without
    keys, one group even when no row is dated."""
    callers = [c for c in every_group.columns if c.startswith((out.QUALITY, out.LEFT_OUT))]
    table = every_group.filter(pl.col(out.DATED)).drop(out.DATED, *callers)
    if not keys and table.is_empty():
        table = counted.head(0).select(kpi_aggregations).collect()  # one group, of no contacts
    return table.sort(keys, nulls_last=True) if keys else table


def _split(
    collected: list[pl.DataFrame], stocks: int, histograms: int
) -> tuple[pl.DataFrame, list[pl.DataFrame], list[pl.DataFrame], list[pl.DataFrame]]:
    """The pass's table, the stocks' tables, the histograms (or sorted values) and the caller's
    query results."""
    return (
        collected[0],
        collected[1 : 1 + stocks],
        collected[1 + stocks : 1 + stocks + histograms],
        collected[1 + stocks + histograms :],
    )


def _kpi_aggregations(plan: KpiPlan, samples: bool) -> list[pl.Expr]:
    exprs = [expr for kpi_id, m in plan.measures.items() for expr in aggregations(kpi_id, m)]
    if samples:
        exprs += [
            m.sample.implode().alias(out.sample(kpi_id)) for kpi_id, m in plan.measures.items() if m.sample is not None
        ]
    exprs.append(pl.len().alias(out.ROWS))
    return exprs


def _stock_queries(
    plan: KpiPlan, grouping: Grouping, counted: pl.LazyFrame, columns: frozenset[str]
) -> dict[str, tuple[ModuleType, list[pl.Expr], pl.LazyFrame]]:
    """A stock (backlog) is carried across periods: per period, counts collected in this same
    pass and a query of its own."""
    if grouping.period is None:
        return {}
    ctx = Context(columns=columns)
    return {
        kpi_id: (module, *module.stock_per_period(ctx, counted, list(grouping.by), grouping.period_of))
        for kpi_id, module in stocks(plan).items()
    }


def _with_order_statistics(
    table: pl.DataFrame,
    counted: pl.LazyFrame,
    keys: list[str],
    requests: list[quantiles.Request],
    counts: list[pl.DataFrame],
    collect: Collect,
    step: Callable[[str], None],
) -> pl.DataFrame:
    """The KPI table with the order statistics' columns, matched on the group keys."""
    targets = quantiles.locate(pl.concat(counts), keys, requests)
    step("reading the medians and percentiles")
    fetched = collect(quantiles.fetch(counted, keys, targets)) if not targets.is_empty() else []
    order = quantiles.finish(targets, pl.concat(fetched) if fetched else pl.DataFrame(), keys, requests)
    return _joined(table, order, keys)


def _sorted_values(counted: pl.LazyFrame, keys: list[str], requests: list[quantiles.Request]) -> pl.LazyFrame:
    """Each group's values of the order statistics, sorted (:func:`.quantiles.sorted_values`)."""
    if not keys:
        return counted.select(e.implode() for e in quantiles.sorted_values(requests))
    return counted.group_by(*keys).agg(quantiles.sorted_values(requests))


def _joined(table: pl.DataFrame, order: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """The KPI table with the order statistics' columns, matched on the group keys."""
    if not keys:
        return (
            pl.concat([table, order], how="horizontal")
            if order.height
            else table.with_columns(pl.lit(None, pl.Float64).alias(c) for c in order.columns)
        )
    order = order.with_columns(pl.col(k).cast(table.schema[k]) for k in keys)
    return table.join(order, on=keys, how="left", nulls_equal=True, maintain_order="left")
