"""Interval reports: the voice KPIs from the per-interval counts and totals that contact-center
vendors send instead of call-level data (``docs/data-model.md``, optional side table
``intervals``).

One row is one interval (15, 30 or 60 minutes) of one queue; every count and total covers the
contacts that *arrived* (were offered) in that interval. The same voice KPIs come out of either
form, with the catalog's formulas written as sums:

* ``service_level`` (default ``abandons_missed``): answered within T / (offered − short abandons);
  ``abandons_ignored``: answered within T / answered; ``abandons_within_t_met``: (answered
  within T + abandoned within T but not short) / (offered − short abandons);
* ``abandonment_rate``: (abandoned − short abandons) / (offered − short abandons);
* ``asa``: Σ wait of answered contacts / answered;
* ``aht``: Σ (talk + hold + after-contact work) / answered; ``talk_time``, ``hold_time``,
  ``acw_time``: each part / answered;
* ``ticket_volume``: Σ offered (the interval report's contacts are offered contacts).

Each formula is the KPI module's ``from_intervals`` (:mod:`supportkpi.metrics._intervals`);
this package recognises and types the report (:mod:`.columns`), checks its rows
(:mod:`.report`) and runs the engine's group-by pass and result assembly over it.

``n`` is the denominator (offered − short abandons, or answered). Durations are means: a median
or p90 needs each call's value, which sums cannot give, so those statistics are left out (and a
kpi.yaml that asks for them as the headline gets "not available"). KPIs about tickets and surveys
(response and resolution times, FCR, CSAT, ...) are "not available": an interval report has no
contacts. A report counted with another T (or short-abandon threshold) than kpi.yaml's makes
service level (abandonment rate) "not available" with both figures named, never silently wrong.

Rows whose figures contradict each other (negative counts, answered > offered, answered within T
> answered, ...) are data errors: counted as findings, left out of the KPIs that read the suspect
figure, and counted in those KPIs' ``excluded`` (in interval rows; the other reasons count
contacts).

By hand: two intervals, 20 + 10 offered, 15 + 8 answered, 5 + 2 abandoned of which 1 + 1 short,
12 + 6 answered within 20 s, waits of answered 150 + 120 s:

>>> import polars as pl
>>> from datetime import datetime
>>> table = pl.DataFrame({
...     "interval_start": [datetime(2025, 3, 3, 9, 0), datetime(2025, 3, 3, 9, 30)],
...     "offered": [20, 10], "answered": [15, 8], "abandoned": [5, 2],
...     "short_abandoned": [1, 1], "answered_within_threshold": [12, 6],
...     "wait_seconds_answered": [150.0, 120.0]})
>>> result = compute_intervals(table, ["service_level", "abandonment_rate", "asa"])
>>> kpis = result.groups[0].kpis
>>> kpis["service_level"].value, kpis["service_level"].n  # 18 / (30 - 2)
(64.28571428571429, 28)
>>> kpis["abandonment_rate"].value  # (7 - 2) / 28
17.857142857142858
>>> round(kpis["asa"].value, 6), kpis["asa"].n  # 270 / 23
(11.73913, 23)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl
from pydantic import ValidationError

from supportkpi.engine import grouppass
from supportkpi.engine.assemble import groups as assemble_groups
from supportkpi.engine.plan import KpiPlan
from supportkpi.engine.request import check_by, check_kpis, check_period
from supportkpi.errors import UsageError
from supportkpi.intervals import report
from supportkpi.intervals.columns import (
    COUNTS,
    INTERVAL_COLUMNS,
    INTERVAL_SCHEMA,
    TOTALS,
    conform,
    is_interval_table,
    normalized_name,
)
from supportkpi.intervals.reading import load_intervals
from supportkpi.metrics import REGISTRY, NotAvailable, sla_compliance
from supportkpi.metrics._intervals import IntervalContext, IntervalMeasure
from supportkpi.results import ComputeResult, InputInfo
from supportkpi.schema import SOURCE, invalid_flag

Params = Mapping[str, Mapping[str, Any]]

INTERVAL_KPIS = tuple(k for k, module in REGISTRY.items() if hasattr(module, "from_intervals"))
"""The KPIs an interval report can give, in the catalog's order."""

CONTACT_LEVEL = "contact-level data: an interval report holds only queue counts and handle-time totals per interval"


def compute_intervals(
    frame: pl.LazyFrame | pl.DataFrame,
    kpis: Sequence[str] | None = None,
    *,
    by: Sequence[str] = (),
    period: str | None = None,
    timezone: str = "UTC",
    params: Params | None = None,
    inputs: Sequence[InputInfo] = (),
) -> ComputeResult:
    """The voice KPIs of an interval table per group of ``by`` (and ``period`` of
    ``interval_start`` in ``timezone``), as :func:`supportkpi.compute` gives them from contacts.

    ``kpis`` defaults to every KPI of the registry, as ``compute`` does: those interval data
    cannot give are "not available" with the reason. ``params`` is kpi.yaml's ``kpis`` section
    (service level's T, variant and short-abandon threshold; abandonment's threshold; the
    durations' statistic, of which only ``mean`` can come from sums). Text columns are typed by
    :func:`conform` (naive text timestamps read in ``timezone``). All KPIs and the data-quality
    counts are computed in one ``group_by().agg()`` pass, collected together.
    """
    params = params or {}
    kpi_ids = check_kpis(kpis)
    check_period(period)
    lazy = conform(frame, timezone=timezone)
    columns = frozenset(lazy.collect_schema().names())
    if "interval_start" not in columns:
        raise UsageError("an interval table needs an `interval_start` column")
    by = check_by(by, columns)
    thresholds = _report_thresholds(params)
    checks = report.contradictions(columns, thresholds)
    ictx = IntervalContext(columns, tuple(k.row_check() for k in checks))
    measures, plan = _interval_plan(ictx, kpi_ids, params)
    notes = _notes(ictx, measures)
    flags = [n for n in INTERVAL_SCHEMA if invalid_flag(n) in columns]
    # per-row check results as columns, so that the KPI pass and the report read them once;
    # the typed report held in memory (a row per interval and queue: small): the pass's queries
    # then start from it, not each from the typing's plan (megabytes, seconds of planning)
    lazy = lazy.with_columns(k.mask.alias(k.flag) for k in checks).collect().lazy()
    result = grouppass.run(
        lazy,
        plan,
        grouppass.Grouping(by, period, timezone, "interval_start"),
        queries=report.report_queries(lazy, checks, flags, notes, columns),
    )
    counts, examples, per_source = result.queries
    paths = [i.path for i in inputs]
    findings, as_of = report.findings(
        counts.row(0, named=True), examples, checks, flags, notes, measures, thresholds, paths
    )
    rows_per_source = dict(per_source.iter_rows()) if SOURCE in per_source.columns else {}
    inputs = [
        InputInfo(i.path, i.format, rows_per_source.get(idx, i.rows), i.source, i.confidence)
        for idx, i in enumerate(inputs)
    ]
    return ComputeResult(
        groups=assemble_groups(result.table, by, period, plan),
        by=list(by),
        period=period,
        timezone=timezone,
        as_of=as_of,
        inputs=inputs,
        findings=findings,
        kpi_ids=kpi_ids,
    )


def _interval_plan(
    ictx: IntervalContext, kpi_ids: list[str], params: Params
) -> tuple[dict[str, IntervalMeasure], KpiPlan]:
    """Each KPI from its module's ``from_intervals``, or why the report cannot give it."""
    infos = {k: REGISTRY[k].INFO if k in REGISTRY else sla_compliance.INFO for k in kpi_ids}
    plan = KpiPlan(list(kpi_ids), infos, {}, {})
    measures: dict[str, IntervalMeasure] = {}
    for kpi_id in kpi_ids:
        module = REGISTRY.get(kpi_id)
        from_intervals = getattr(module, "from_intervals", None)
        if from_intervals is None:
            plan.unavailable[kpi_id] = (getattr(module, "NOT_FROM_INTERVALS", CONTACT_LEVEL),)
            continue
        try:
            measures[kpi_id] = from_intervals(ictx, **_validated(kpi_id, params))
        except NotAvailable as missing:
            plan.unavailable[kpi_id] = missing.needs
            continue
        plan.measures[kpi_id] = measures[kpi_id].measure
    return measures, plan


def _notes(ictx: IntervalContext, measures: Mapping[str, IntervalMeasure]) -> list[str]:
    """The report's own declarations that the output must speak of: short abandons it does not
    separate, the thresholds it does not state."""
    notes = []
    if not ictx.has("short_abandoned") and any(m.subtracts_short for m in measures.values()):
        notes.append("short_abandoned")
    if any(m.threshold is not None for m in measures.values()):
        notes.append("threshold_seconds")
    if any(m.short_threshold is not None for m in measures.values()):
        notes.append("short_abandon_seconds")
    return notes


def _validated(kpi_id: str, params: Params) -> dict[str, Any]:
    """The KPI's parameters, checked and with their defaults; an error names the parameter."""
    given = dict(params.get(kpi_id, {}) or {})
    model = getattr(REGISTRY[kpi_id], "Params", None)
    if model is None:
        return given
    try:
        return model.model_validate(given).model_dump()
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(x) for x in error["loc"])
        raise UsageError(f"kpis.{kpi_id}.{where}: {error['msg']}") from None


def _report_thresholds(params: Params) -> dict[str, float]:
    """kpi.yaml's values of the thresholds a report states (T, short-abandon threshold), from
    the KPI whose parameters they are (``REPORT_THRESHOLDS``), whether it is computed or not."""
    for kpi_id, module in REGISTRY.items():
        names = getattr(module, "REPORT_THRESHOLDS", ())
        if names:
            validated = _validated(kpi_id, params)
            return {name: validated[name] for name in names}
    return {}


__all__ = [
    "load_intervals",
    "COUNTS",
    "INTERVAL_COLUMNS",
    "INTERVAL_KPIS",
    "INTERVAL_SCHEMA",
    "TOTALS",
    "compute_intervals",
    "conform",
    "is_interval_table",
    "normalized_name",
]
