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

The package: :mod:`.request` checks what a run asks for, :mod:`.frames` reads the input,
:mod:`.plan` turns the KPI modules into expressions through their hooks, :mod:`.policies` adds
kpi.yaml's SLA policies, :mod:`.grouppass` runs the group-by pass and :mod:`.assemble` makes the
results. :mod:`supportkpi.intervals` runs the same pass and assembly over interval reports.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import polars as pl

from supportkpi import quality, spill
from supportkpi import sla as sla_rules
from supportkpi.config import SlaPolicy
from supportkpi.engine import columns as out
from supportkpi.engine import excluded, grouppass
from supportkpi.engine.assemble import groups as assemble_groups
from supportkpi.engine.frames import (
    conform,
    deduplicated,
    estimated_rows,
    in_memory,
    latest_timestamp,
    with_duplicate_flag,
)
from supportkpi.engine.plan import KpiPlan, kpi_plan, prepared_columns
from supportkpi.engine.policies import breaches, with_policies
from supportkpi.engine.request import (
    PERIOD_COLUMN,
    PERIODS,
    check_by,
    check_kpis,
    check_period,
    kpi_table,
    of_table,
    period_label,
    period_of,
)
from supportkpi.errors import UsageError
from supportkpi.metrics import Context
from supportkpi.metrics._base import RunEnv
from supportkpi.results import ComputeResult, InputInfo, KpiResult
from supportkpi.schedules import Calendars
from supportkpi.schema import CONTACTS, SOURCE, TABLES, Table
from supportkpi.sla import SLA_COMPLIANCE

Params = Mapping[str, Mapping[str, Any]]
Keep = Callable[[pl.LazyFrame], pl.LazyFrame]


def compute(
    frame: pl.LazyFrame | pl.DataFrame,
    kpis: Sequence[str] | None = None,
    *,
    by: Sequence[str] = (),
    period: str | None = None,
    timezone: str = "UTC",
    params: Params | None = None,
    inputs: Sequence[InputInfo] = (),
    calendars: Calendars | None = None,
    sla: Sequence[SlaPolicy] = (),
    as_of: datetime | None = None,
    samples: bool = False,
    memory: str = "auto",
    on_step: Callable[[str], None] | None = None,
    table: str | None = None,
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
    doing as it goes (a progress display shows it). ``table`` names the canonical table the
    frame is (``contacts``, ``mentions``; default: the one of the KPIs asked for, else the one
    its columns are): its id column is checked for repeats, its timestamp places rows in
    periods, and without ``kpis`` its KPIs are computed.
    """
    step = on_step or (lambda _: None)
    is_bounded = bounded(memory, inputs)
    conformed = conform(frame.lazy())
    read = TABLES[table] if table else kpi_table(kpis or (), frozenset(conformed.collect_schema().names()))
    with contextlib.ExitStack() as stack:
        if is_bounded:

            def keep(lazy: pl.LazyFrame) -> pl.LazyFrame:
                step("reading and typing into a temporary Parquet copy")
                typed = stack.enter_context(spill.on_disk(lazy))
                step(f"looking for repeated {read.id.replace('_', ' ')}s")
                return deduplicated(typed, inputs, read.id)
        else:

            def keep(lazy: pl.LazyFrame) -> pl.LazyFrame:
                step("reading and typing")
                return in_memory(with_duplicate_flag(lazy, read.id), inputs)

        run = _Run(
            by=list(by),
            period=period,
            timezone=timezone,
            params=params or {},
            inputs=list(inputs),
            calendars=calendars or Calendars({}, {}, None).with_default(timezone),
            samples=samples,
            bounded=is_bounded,
            step=step,
            table=read,
        )
        return _compute(conformed, kpis, run, sla if read is CONTACTS else (), as_of, keep)


@dataclasses.dataclass
class _Run:
    """The options of one :func:`compute` call that every step reads."""

    by: list[str]
    period: str | None
    timezone: str
    params: Params
    inputs: list[InputInfo]
    calendars: Calendars
    samples: bool
    bounded: bool
    step: Callable[[str], None]
    table: Table = CONTACTS
    """The canonical table the frame is (contacts or mentions): its id, its time, its KPIs."""


def _compute(
    conformed: pl.LazyFrame,
    kpis: Sequence[str] | None,
    run: _Run,
    sla: Sequence[SlaPolicy],
    as_of: datetime | None,
    keep: Keep,
) -> ComputeResult:
    """:func:`compute` on the conformed input; ``keep`` reads it into its store (memory or a
    temporary file) with the duplicate flag, once the per-row columns are added."""
    columns = frozenset(conformed.collect_schema().names())
    kpi_ids, sla = _requested(kpis, sla)
    if not kpis:
        kpi_ids = of_table(kpi_ids, run.table)
    run.by = check_by(run.by, columns)
    check_period(run.period)
    time = run.table.time
    if run.period is not None and time not in columns:
        raise UsageError(f"--period needs a `{time}` column, and the input has none (map one with --map {time}=HEADER)")
    env = _environment(run, columns)
    extra = prepared_columns(kpi_ids, run.params, Context(columns=columns), env)
    # every query below reads the input from where keep() stored it, typed and flagged once
    stored = keep(conformed.with_columns(extra) if extra else conformed)
    columns = frozenset(stored.collect_schema().names())
    plan = kpi_plan(Context(columns=columns), kpi_ids, run.params, env)
    lazy = stored
    if sla:
        as_of = as_of or latest_timestamp(stored, columns)
        lazy = with_policies(stored, plan, sla, run.calendars, as_of)
    return _results(stored, lazy, plan, run, as_of)


def _requested(kpis: Sequence[str] | None, sla: Sequence[SlaPolicy]) -> tuple[list[str], Sequence[SlaPolicy]]:
    """The registry's KPIs asked for, and the SLA policies: every policy of kpi.yaml, unless
    ``kpis`` names KPIs without ``sla_compliance``."""
    kpi_ids = check_kpis(kpis)
    if kpis and SLA_COMPLIANCE not in kpi_ids:
        sla = ()
    return [k for k in kpi_ids if k != SLA_COMPLIANCE], sla


def _environment(run: _Run, columns: frozenset[str]) -> RunEnv:
    """What the KPI modules' hooks may know of the run."""
    calendars = run.calendars
    return RunEnv(
        period=run.period,
        timezone=run.timezone,
        business_seconds=lambda stop: sla_rules.business_elapsed(calendars, stop, None, columns, run.table.time),
        calendars=calendars.describe(),
    )


def _results(
    stored: pl.LazyFrame,
    lazy: pl.LazyFrame,
    plan: KpiPlan,
    run: _Run,
    as_of: datetime | None,
) -> ComputeResult:
    """The pass over ``lazy`` (``stored`` with the policies' columns), with the data-quality
    report over ``stored``."""
    columns = frozenset(stored.collect_schema().names())
    report_counts = quality.counts(columns, run.table)
    sources = range(len(run.inputs)) if SOURCE in columns else range(0)
    # The data-quality counts add up over groups: in memory they are aggregations of the same
    # pass, over every row (dated or not), and so are the rows per input file. In bounded runs
    # the counts are a query of their own: in the KPI pass, counting the flag columns (text)
    # per group raised its peak at 100M rows from 4.8 to 6.6 GiB (before polars' memory budget).
    in_pass = [] if run.bounded else [e.alias(out.quality(e.meta.output_name())) for e in report_counts]
    in_pass += [(pl.col(SOURCE) == i).sum().alias(out.source_rows(i)) for i in sources]
    in_pass += excluded.aggregations(columns, run.table)  # rows left out of every KPI, per group
    examples = quality.examples(stored, columns, run.table)
    grouping = grouppass.Grouping(run.by, run.period, run.timezone, run.table.time)
    result = grouppass.run(
        lazy,
        plan,
        grouping,
        samples=run.samples,
        over_every_row=in_pass,
        queries=[] if run.bounded else [examples],
        collect=grouppass.collector(run.bounded),
        step=run.step,
    )
    collected = _quality_tables(stored, examples, report_counts, result, sources, run.bounded)
    findings, latest, rows_per_source = quality.report(collected, columns, [i.path for i in run.inputs], run.table)
    table = excluded.attach(result.table, result.every_group, grouping.keys)
    groups = assemble_groups(table, run.by, run.period, plan)
    findings += quality.input_findings(run.inputs, rows_per_source)
    findings += quality.kpi_findings(groups)
    inputs = [dataclasses.replace(i, rows=rows_per_source.get(idx, i.rows)) for idx, i in enumerate(run.inputs)]
    return ComputeResult(
        groups=groups,
        by=list(run.by),
        period=run.period,
        timezone=run.timezone,
        as_of=as_of or latest,
        inputs=inputs,
        findings=findings,
        kpi_ids=plan.kpi_ids,
        left_out=quality.left_out(collected[0], findings),
        table=run.table.name,
    )


def _quality_tables(
    stored: pl.LazyFrame,
    examples: pl.LazyFrame,
    report_counts: list[pl.Expr],
    result: grouppass.PassResult,
    sources: range,
    bounded: bool,
) -> list[pl.DataFrame]:
    """What :func:`supportkpi.quality.report` reads: the counts' totals, the example rows and
    the rows per input file; in memory from the pass, in bounded runs from queries of their own."""
    if bounded:
        totals = stored.select(report_counts).collect()
        # the examples only when the counts found something: that query reads every flag column
        found = examples.collect() if quality.has_problems(totals) else pl.DataFrame()
    else:
        names = [e.meta.output_name() for e in report_counts]
        # only the counts: a group key may be named like a count (`--by rows`)
        counts = result.every_group.select(c for c in result.every_group.columns if c.startswith(out.QUALITY))
        totals = quality.totals(counts.rename(lambda c: c.removeprefix(out.QUALITY)), names)
        found = result.queries[0]
    per_source = pl.DataFrame(
        {SOURCE: list(sources), "rows": [result.every_group[out.source_rows(i)].sum() for i in sources]},
        schema={SOURCE: pl.Int32, "rows": pl.Int64},
    )
    return [totals, found, per_source]


def kpi(frame: pl.LazyFrame | pl.DataFrame, kpi_id: str, **params: Any) -> KpiResult:
    """One KPI over a whole frame: ``kpi(frame, "csat").value``. For examples and notebooks."""
    result = compute(frame, [kpi_id], params={kpi_id: params})
    return result.groups[0].kpis[kpi_id]


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
    return estimated_rows(inputs) > IN_MEMORY_ROWS


__all__ = [
    "IN_MEMORY_ROWS",
    "MEMORY",
    "PERIODS",
    "PERIOD_COLUMN",
    "SLA_COMPLIANCE",
    "bounded",
    "breaches",
    "check_by",
    "check_kpis",
    "check_memory",
    "check_period",
    "compute",
    "conform",
    "kpi",
    "latest_timestamp",
    "period_label",
    "period_of",
    "with_duplicate_flag",
]
