"""Runs the metrics core over a loaded frame: every KPI of a run in one lazy
``group_by(keys).agg(...)`` pass, plus the data-quality counts, collected together so the input is
read once.

This is the Python API behind ``supportkpi compute``::

    >>> import polars as pl
    >>> from supportkpi import compute
    >>> frame = pl.DataFrame({"ticket_id": ["1", "2", "3"], "vendor": ["A", "A", "B"],
    ...                       "csat": [5, 2, 4]})
    >>> result = compute(frame, ["csat"], by=["vendor"])
    >>> [(g.keys["vendor"], g.kpis["csat"].value) for g in result.groups]
    [('A', 50.0), ('B', 100.0)]
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import polars as pl

from supportkpi import dedupe, quality, quantiles, spill
from supportkpi import sla as sla_rules
from supportkpi.config import SlaPolicy, suggest
from supportkpi.errors import UsageError
from supportkpi.metrics import REGISTRY, Context, Measure, NotAvailable, backlog
from supportkpi.metrics._base import OrderStatistic
from supportkpi.metrics._durations import calendar_column, elapsed_seconds
from supportkpi.metrics._queue import HANDLE_PARTS, HANDLE_TIME
from supportkpi.results import ComputeResult, Group, InputInfo, KpiResult
from supportkpi.schedules import Calendars
from supportkpi.schema import COLUMNS, DUPLICATE, SOURCE, is_internal

PERIODS = {"day": "1d", "week": "1w", "month": "1mo", "quarter": "1q"}
PERIOD_COLUMN = "period"
_PERIOD_START = "_period_start"
_DATED = "_dated"
_QUALITY = "_quality "


def compute(
    frame: pl.LazyFrame | pl.DataFrame,
    kpis: Sequence[str] | None = None,
    *,
    by: Sequence[str] = (),
    period: str | None = None,
    timezone: str = "UTC",
    params: Mapping[str, Mapping[str, Any]] | None = None,
    inputs: Sequence[InputInfo] = (),
    calendars: Calendars | None = None,
    sla: Sequence[SlaPolicy] = (),
    as_of: datetime | None = None,
    samples: bool = False,
    memory: str = "auto",
    on_step: Callable[[str], None] | None = None,
) -> ComputeResult:
    """Compute KPIs per group of ``by`` (and ``period`` of ``created_at`` in ``timezone``).

    ``kpis`` defaults to every KPI of the registry; ``params`` maps a KPI id to its keyword
    parameters (kpi.yaml's ``kpis`` section). ``calendars`` serve business-hours durations
    (``clock: business``) and ``sla`` policies, which are judged at ``as_of`` (default: the
    latest timestamp in the data). ``samples`` also collects, per group, the per-contact values
    of duration and mean KPIs (``KpiResult.sample``) for statistical comparisons.

    ``memory`` picks how the input is read, with the same numbers either way: ``"in-memory"``
    reads it once for every query of the run, and memory grows with the rows (medians need every
    value); ``"bounded"`` keeps memory bounded: the input is typed once into a temporary Parquet
    file (:mod:`supportkpi.spill`), and one streaming query at a time reads it, with medians and
    percentiles in two passes (:mod:`supportkpi.quantiles`) and duplicate ids found per hash
    partition (:mod:`supportkpi.dedupe`). ``"auto"``: bounded when the inputs hold more than
    ``IN_MEMORY_ROWS`` rows by their ``estimated_rows``. ``on_step`` is told what the run is
    doing as it goes (a progress display shows it).
    """
    step = on_step or (lambda _: None)
    is_bounded = bounded(memory, inputs)
    with contextlib.ExitStack() as stack:
        if is_bounded:
            def keep(lazy: pl.LazyFrame) -> pl.LazyFrame:
                step("reading and typing into a temporary Parquet copy")
                typed = stack.enter_context(spill.on_disk(lazy))
                step("looking for repeated ticket ids")
                return _deduplicated(typed, inputs)
        else:
            def keep(lazy: pl.LazyFrame) -> pl.LazyFrame:
                step("reading and typing")
                return _in_memory(with_duplicate_flag(lazy))
        return _compute(
            _conform(frame.lazy()), kpis, by=by, period=period, timezone=timezone, params=params,
            inputs=inputs, calendars=calendars, sla=sla, as_of=as_of, samples=samples, keep=keep,
            bounded=is_bounded, step=step,
        )


def _in_memory(lazy: pl.LazyFrame) -> pl.LazyFrame:
    """The typed input, read once into memory (streaming), for the queries of the run."""
    return lazy.collect().lazy()


def _deduplicated(typed: pl.LazyFrame, inputs: Sequence[InputInfo]) -> pl.LazyFrame:
    columns = typed.collect_schema().names()
    if DUPLICATE in columns or not dedupe.applies(set(columns)):
        return with_duplicate_flag(typed)
    return dedupe.with_duplicate_flag(typed, _rows(inputs))


def _compute(
    prepared: pl.LazyFrame,
    kpis: Sequence[str] | None,
    *,
    by: Sequence[str],
    period: str | None,
    timezone: str,
    params: Mapping[str, Mapping[str, Any]] | None,
    inputs: Sequence[InputInfo],
    calendars: Calendars | None,
    sla: Sequence[SlaPolicy],
    as_of: datetime | None,
    samples: bool,
    keep: Callable[[pl.LazyFrame], pl.LazyFrame],
    bounded: bool,
    step: Callable[[str], None],
) -> ComputeResult:
    """:func:`compute` on the conformed input; ``keep`` reads it into its store (memory or a
    temporary file) with the duplicate flag, once the per-row columns are added."""
    params = params or {}
    columns = frozenset(prepared.collect_schema().names())
    kpi_ids = check_kpis(kpis)
    if kpis and SLA_COMPLIANCE not in kpi_ids:
        sla = ()
    kpi_ids = [k for k in kpi_ids if k != SLA_COMPLIANCE]
    by = _check_by(by, columns)
    check_period(period)
    if period is not None and "created_at" not in columns:
        raise UsageError("--period needs a `created_at` column")
    calendars = calendars or Calendars({}, {}, None).with_default(timezone)
    business_ends = [
        end for kpi_id, end in (("first_response_time", "first_response_at"), ("resolution_time", "resolved_at"))
        if kpi_id in kpi_ids and dict(params.get(kpi_id, {})).get("clock") == "business"
    ]
    if business_ends and "created_at" in columns:
        prepared = prepared.with_columns(sla_rules.business_columns(calendars, columns, business_ends))
        columns = frozenset(prepared.collect_schema().names())
    calendar_ends = [
        (end, given) for kpi_id, (end, given) in sla_rules.ENDS.items()
        if kpi_id in kpi_ids and end not in business_ends and (end in columns or given in columns)
    ]
    if "aht" in kpi_ids and set(HANDLE_PARTS) <= columns:
        prepared = prepared.with_columns(pl.sum_horizontal(pl.col(p) for p in HANDLE_PARTS).alias(HANDLE_TIME))
        columns = frozenset(prepared.collect_schema().names())
    if calendar_ends and "created_at" in columns:
        ctx = Context(columns=columns)
        prepared = prepared.with_columns(
            elapsed_seconds(ctx, end, given).alias(calendar_column(end)) for end, given in calendar_ends
        )
        columns = frozenset(prepared.collect_schema().names())
    # every query below reads the input from where keep() stored it, typed and flagged once
    prepared = lazy = keep(prepared)
    columns = frozenset(lazy.collect_schema().names())
    ctx = Context(columns=columns)
    if "cost_per_contact" in kpi_ids:
        # fixed monthly fees are charged per month of the reporting period
        params = {**params, "cost_per_contact": {**dict(params.get("cost_per_contact", {})), "period": period}}
    measures, unavailable = _measures(ctx, kpi_ids, params)
    for kpi_id in ("first_response_time", "resolution_time"):
        m = measures.get(kpi_id)
        if m is not None and m.variant and m.variant.endswith("business hours"):
            # the output names the calendars the clock ran on
            measures[kpi_id] = dataclasses.replace(m, variant=f"{m.variant}: {calendars.describe()}")
    infos = {kpi_id: REGISTRY[kpi_id].INFO for kpi_id in kpi_ids}
    if sla:
        if as_of is None:
            as_of = latest_timestamp(prepared, columns)
        stages: list[list[pl.Expr]] = [[], []]
        for policy in sla:
            key = sla_rules.kpi_id(policy)
            infos[key] = sla_rules.info(policy)
            kpi_ids.append(key)
            if as_of is None:
                unavailable[key] = ("created_at",)
                continue
            try:
                for stage, exprs in zip(stages, sla_rules.per_contact_columns(policy, ctx, calendars, as_of)):
                    stage += exprs
            except NotAvailable as missing:
                unavailable[key] = missing.needs
        for stage in stages:
            if stage:
                lazy = lazy.with_columns(stage)
        ctx = Context(columns=frozenset(lazy.collect_schema().names()))
        for policy in sla:
            key = sla_rules.kpi_id(policy)
            if key not in unavailable:
                measures[key] = sla_rules.measure(policy, ctx, calendars, as_of)

    keys = list(by)
    if period is not None:
        lazy = lazy.with_columns(_period_of(pl.col("created_at"), period, timezone).alias(_PERIOD_START))
        keys.append(_PERIOD_START)
    # Rows without a usable created_at are in no KPI; the pass still reads them, for the report
    dated = pl.col("created_at").is_not_null() if "created_at" in columns else pl.lit(True)

    if bounded:
        # One query at a time: queries collected together share one scan, but the streaming
        # engine then buffers rows for whichever query is behind, in memory that grows with the
        # input (10M rows: 0.8 GiB for one extra query). The input is a typed Parquet copy here,
        # so each query reads only its columns.
        def collect(plans: Sequence[pl.LazyFrame]) -> list[pl.DataFrame]:
            return [p.collect() for p in plans]
    else:
        collect = pl.collect_all  # the input is in memory: the queries run side by side

    value_columns, requests = _order_requests(measures)
    lazy = lazy.with_columns(*value_columns, dated.alias(_DATED))
    counted = lazy.filter(pl.col(_DATED))
    aggregations = [
        expr.alias(name) for kpi_id, m in measures.items() for name, expr in _named(kpi_id, m)
    ]
    if samples:
        aggregations += [
            m.sample.implode().alias(f"{kpi_id}__sample") for kpi_id, m in measures.items() if m.sample is not None
        ]
    aggregations.append(pl.len().alias("_rows"))
    if DUPLICATE in columns:
        aggregations.append(pl.col(DUPLICATE).sum().cast(pl.Int64).alias("_duplicates"))
    backlog_by_period = period is not None and "backlog" in measures
    extra: list[pl.LazyFrame] = []
    if backlog_by_period:
        # Backlog is a stock carried across periods: counts collected in this same pass
        period_of = lambda e: _period_of(e, period, timezone)  # noqa: E731
        aggregations.append(backlog.created(ctx).alias(backlog.CREATED))
        extra.append(backlog.resolved_per_period(counted, ctx, list(by), period_of))
    # The data-quality counts add up over groups: in memory they are aggregations of the same
    # pass, over every row (dated or not), and so are the rows per input file. In bounded runs
    # the counts are a query of their own: in the KPI pass, counting the flag columns (text)
    # per group raised its peak at 100M rows from 4.8 to 6.6 GiB (before polars' memory budget).
    report_counts = quality.counts(columns)
    names = [e.meta.output_name() for e in report_counts]
    sources = range(len(inputs)) if SOURCE in columns else range(0)
    plan = lazy.group_by(*keys, _DATED).agg(
        *aggregations,
        *(e.alias(_QUALITY + e.meta.output_name()) for e in ([] if bounded else report_counts)),
        *((pl.col(SOURCE) == i).sum().alias(f"{_QUALITY}source {i}") for i in sources),
    )
    examples = quality.examples(prepared, columns)
    histograms = quantiles.histogram(counted, keys, requests)
    step("computing the KPIs" + (" and value histograms" if histograms else ""))
    collected = collect([plan, *extra, *histograms, *([] if bounded else [examples])])
    table, extra_tables = collected[0], collected[1 : 1 + len(extra)]
    counts = collected[1 + len(extra) : 1 + len(extra) + len(histograms)]
    if bounded:
        totals = prepared.select(report_counts).collect()
        # the examples only when the counts found something: that query reads every flag column
        examples = examples.collect() if quality.has_problems(totals) else pl.DataFrame()
    else:
        totals = quality.totals(table.rename(lambda c: c.removeprefix(_QUALITY)), names)
        examples = collected[-1]
    per_source = pl.DataFrame(
        {SOURCE: list(sources), "rows": [table[f"{_QUALITY}source {i}"].sum() for i in sources]},
        schema={SOURCE: pl.Int32, "rows": pl.Int64},
    )
    table = table.filter(pl.col(_DATED)).drop(_DATED, *(c for c in table.columns if c.startswith(_QUALITY)))
    if not keys and table.is_empty():
        table = counted.head(0).select(aggregations).collect()  # one group, of no contacts
    table = table.sort(keys, nulls_last=True) if keys else table
    if requests:
        targets = quantiles.locate(pl.concat(counts), keys, requests)
        step("reading the medians and percentiles")
        fetched = collect(quantiles.fetch(counted, keys, targets)) if not targets.is_empty() else []
        order = quantiles.finish(targets, pl.concat(fetched) if fetched else pl.DataFrame(), keys, requests)
        table = _with_order_statistics(table, order, keys)
    if backlog_by_period:
        table = backlog.carry_over(table, extra_tables[0], list(by), _PERIOD_START).sort(keys, nulls_last=True)
    findings, latest, rows_per_source = quality.report([totals, examples, per_source], columns, [i.path for i in inputs])
    as_of = as_of or latest

    groups = [
        _group(row, by, period, measures, unavailable, kpi_ids, infos)
        for row in table.iter_rows(named=True)
    ]
    findings += quality.kpi_findings(groups)
    inputs = [
        dataclasses.replace(i, rows=rows_per_source.get(idx, i.rows)) for idx, i in enumerate(inputs)
    ]
    return ComputeResult(
        groups=groups,
        by=list(by),
        period=period,
        timezone=timezone,
        as_of=as_of,
        inputs=inputs,
        findings=findings,
        kpi_ids=kpi_ids,
    )


def _conform(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Frames built by hand (the Python API): all-null canonical columns get their canonical
    dtype, and naive timestamps are taken as UTC. Loaded frames are already conformant."""
    schema = frame.collect_schema()
    casts = []
    for name, dtype in schema.items():
        if name not in COLUMNS:
            continue
        if dtype == pl.Null:
            casts.append(pl.col(name).cast(COLUMNS[name].dtype))
        elif isinstance(dtype, pl.Datetime) and dtype.time_zone is None:
            casts.append(pl.col(name).dt.replace_time_zone("UTC"))
    return frame.with_columns(casts) if casts else frame


def with_duplicate_flag(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Flag repeats of a ``ticket_id``: the first row is kept, the rest are left out of every
    KPI and counted. Ids are unique within one input file. Without ids every row counts."""
    names = frame.collect_schema().names()
    if DUPLICATE in names:
        return frame
    if "ticket_id" in names:
        # ids are unique within a source: the same id in two vendors' files is two contacts
        key = pl.struct(SOURCE, "ticket_id") if SOURCE in names else pl.col("ticket_id")
        repeat = ~key.is_first_distinct() & pl.col("ticket_id").is_not_null()
    else:
        repeat = pl.repeat(False, pl.len())
    return frame.with_columns(repeat.alias(DUPLICATE))


def kpi(frame: pl.LazyFrame | pl.DataFrame, kpi_id: str, **params: Any) -> KpiResult:
    """One KPI over a whole frame: ``kpi(frame, "csat").value``. For examples and notebooks."""
    result = compute(frame, [kpi_id], params={kpi_id: params})
    return result.groups[0].kpis[kpi_id]


def check_period(period: str | None) -> None:
    if period is not None and period not in PERIODS:
        raise UsageError(f"unknown period '{period}' ({suggest(period, PERIODS)})")


SLA_COMPLIANCE = "sla_compliance"


def check_kpis(kpis: Sequence[str] | None) -> list[str]:
    """The KPI ids asked for (default: all). ``sla_compliance`` stands for every SLA policy of
    kpi.yaml, which are computed whenever policies exist and no ``--kpi`` narrows the run."""
    if not kpis:
        return list(REGISTRY)
    for kpi_id in kpis:
        if kpi_id not in REGISTRY and kpi_id != SLA_COMPLIANCE:
            choices = [*REGISTRY, SLA_COMPLIANCE]
            raise UsageError(f"unknown KPI '{kpi_id}' ({suggest(kpi_id, choices)})")
    return list(dict.fromkeys(kpis))


def _check_by(by: Iterable[str], columns: frozenset[str]) -> list[str]:
    by = list(dict.fromkeys(by))
    visible = sorted(c for c in columns if not is_internal(c))
    for key in by:
        if key not in columns or is_internal(key):
            raise UsageError(
                f"cannot group by '{key}': no such column ({suggest(key, visible)})"
            )
    if PERIOD_COLUMN in by:
        raise UsageError("'period' is reserved for --period; rename that column with --map")
    return by


def _measures(
    ctx: Context, kpi_ids: list[str], params: Mapping[str, Mapping[str, Any]]
) -> tuple[dict[str, Measure], dict[str, tuple[str, ...]]]:
    measures: dict[str, Measure] = {}
    unavailable: dict[str, tuple[str, ...]] = {}
    for kpi_id in kpi_ids:
        try:
            measures[kpi_id] = REGISTRY[kpi_id].measure(ctx, **dict(params.get(kpi_id, {})))
        except NotAvailable as missing:
            unavailable[kpi_id] = missing.needs
    return measures, unavailable


def _named(kpi_id: str, m: Measure) -> Iterable[tuple[str, pl.Expr]]:
    """Flat, collision-free output names for the aggregation expressions of one KPI."""
    if not isinstance(m.value, OrderStatistic):
        yield f"{kpi_id}__value", m.value
    yield f"{kpi_id}__n", m.n
    for i, expr in enumerate(m.excluded.values()):
        yield f"{kpi_id}__x{i}", expr.fill_null(False).sum().cast(pl.Int64)
    for name, expr in m.stats.items():
        if not isinstance(expr, OrderStatistic):
            yield f"{kpi_id}__s_{name}", expr


def _order_statistics(kpi_id: str, m: Measure) -> Iterable[tuple[str, OrderStatistic]]:
    """The order statistics of one KPI, under the output names :func:`_named` leaves out."""
    if isinstance(m.value, OrderStatistic):
        yield f"{kpi_id}__value", m.value
    for name, stat in m.stats.items():
        if isinstance(stat, OrderStatistic):
            yield f"{kpi_id}__s_{name}", stat


def _order_requests(measures: Mapping[str, Measure]) -> tuple[list[pl.Expr], list[quantiles.Request]]:
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


MEMORY = ("auto", "in-memory", "bounded")
IN_MEMORY_ROWS = 10_000_000
"""With ``memory="auto"``, inputs of more rows (as the loader estimated them) are computed in
bounded memory. In memory, 10M contacts take about 4 GiB at the peak."""


def check_memory(memory: str) -> None:
    if memory not in MEMORY:
        raise UsageError(f"--memory '{memory}': expected one of {', '.join(MEMORY)}")


def bounded(memory: str, inputs: Sequence[InputInfo]) -> bool:
    """Whether :func:`compute` with this ``memory`` runs in bounded memory on these inputs."""
    check_memory(memory)
    if memory != "auto":
        return memory == "bounded"
    return _rows(inputs) > IN_MEMORY_ROWS


def _rows(inputs: Sequence[InputInfo]) -> int:
    return sum(i.estimated_rows or 0 for i in inputs)


def _with_order_statistics(table: pl.DataFrame, order: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """The KPI table with the order statistics' columns, matched on the group keys."""
    if not keys:
        return pl.concat([table, order], how="horizontal") if order.height else table.with_columns(
            pl.lit(None, pl.Float64).alias(c) for c in order.columns
        )
    order = order.with_columns(pl.col(k).cast(table.schema[k]) for k in keys)
    return table.join(order, on=keys, how="left", nulls_equal=True, maintain_order="left")


def _period_of(timestamp: pl.Expr, period: str, timezone: str) -> pl.Expr:
    """Start of the period a UTC timestamp falls in, on the wall clock of ``timezone``."""
    return timestamp.dt.convert_time_zone(timezone).dt.truncate(PERIODS[period])


def period_label(start: datetime | None, period: str) -> str | None:
    if start is None:
        return None
    if period == "day":
        return start.strftime("%Y-%m-%d")
    if period == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return start.strftime("%Y-%m")
    return f"{start.year}-Q{(start.month - 1) // 3 + 1}"


def latest_timestamp(frame: pl.LazyFrame, columns: frozenset[str]) -> datetime | None:
    """The report's default end: the latest timestamp in the data (never the wall clock, so a
    report can be reproduced). One small extra pass over the timestamp columns."""
    stamps = [c for c in quality.TIMESTAMPS if c in columns]
    if not stamps:
        return None
    return frame.select(pl.max_horizontal(pl.col(c).max() for c in stamps)).collect().item()


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
    prepared = with_duplicate_flag(_conform(frame.lazy()))
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


def _group(
    row: dict[str, Any],
    by: list[str],
    period: str | None,
    measures: dict[str, Measure],
    unavailable: dict[str, tuple[str, ...]],
    kpi_ids: list[str],
    infos: Mapping[str, Any],
) -> Group:
    keys = {k: _plain(row[k]) for k in by}
    if period is not None:
        keys[PERIOD_COLUMN] = period_label(row[_PERIOD_START], period)
    kpis: dict[str, KpiResult] = {}
    for kpi_id in kpi_ids:
        info = infos[kpi_id]
        if kpi_id in unavailable:
            kpis[kpi_id] = KpiResult(
                kpi_id, info.title, info.unit, info.direction, None, 0,
                available=False, needs=unavailable[kpi_id],
            )
            continue
        m = measures[kpi_id]
        excluded = {reason: int(row[f"{kpi_id}__x{i}"] or 0) for i, reason in enumerate(m.excluded)}
        if kpi_id == "ticket_volume":
            # Repeats are left out of every KPI; the catalog counts them under the volume (and
            # the data-quality report lists them).
            excluded["duplicate ticket_id"] = int(row.get("_duplicates") or 0)
        kpis[kpi_id] = KpiResult(
            id=kpi_id,
            title=info.title,
            unit=m.unit or info.unit,
            direction=info.direction if m.direction == "unset" else m.direction,
            value=_plain(row[f"{kpi_id}__value"]),
            n=int(row[f"{kpi_id}__n"] or 0),
            excluded=excluded,
            stats={name: _plain(row[f"{kpi_id}__s_{name}"]) for name in m.stats},
            variant=m.variant,
            sample=row.get(f"{kpi_id}__sample"),
        )
    return Group(keys=keys, kpis=kpis)


def _plain(value: Any) -> Any:
    """Python value for output: NaN becomes None; datetimes stay datetimes."""
    if isinstance(value, float) and value != value:
        return None
    return value
