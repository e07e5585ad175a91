"""Interval reports: the voice KPIs from the per-interval counts and totals that contact-center
vendors send instead of call-level data (``shared/data-model.md``, optional side table
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

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from pydantic import BaseModel, ValidationError

from supportkpi.config import AbandonmentParams, CallDurationParams, ServiceLevelParams
from supportkpi.engine import (
    PERIOD_COLUMN,
    SLA_COMPLIANCE,
    check_by as _check_by,
    period_of as _period_of,
    check_kpis,
    check_period,
    period_label,
)
from supportkpi.errors import UsageError
from supportkpi.loading import parse
from supportkpi.metrics import REGISTRY
from supportkpi.results import ComputeResult, Finding, Group, InputInfo, KpiResult
from supportkpi.schema import ROW, SOURCE, Column, Kind, invalid_flag

# ---------------------------------------------------------------------------------------------
# The canonical interval columns
# ---------------------------------------------------------------------------------------------

INTERVAL_COLUMNS: tuple[Column, ...] = (
    Column("interval_start", Kind.DATETIME, "start of the interval (UTC once loaded); the "
           "interval's contacts fall in the period of this instant", required=True),
    Column("interval_minutes", Kind.INT, "length of the interval in minutes (15, 30, 60); "
           "informational, passed through"),
    Column("vendor", Kind.STRING, "outsourcing partner or in-house team responsible"),
    Column("queue", Kind.STRING, "queue, skill, split or campaign (the contacts table's `team`)"),
    Column("channel", Kind.STRING, "phone, chat, ... as in the contacts table"),
    Column("offered", Kind.INT, "contacts that entered the queue in the interval; when absent, "
           "answered + abandoned"),
    Column("answered", Kind.INT, "offered contacts an agent picked up"),
    Column("abandoned", Kind.INT, "offered contacts that left while waiting, short abandons "
           "included"),
    Column("short_abandoned", Kind.INT, "abandons with a wait below the short-abandon threshold "
           "(part of `abandoned`); when absent none are subtracted (stated in the output)"),
    Column("answered_within_threshold", Kind.INT, "answered with a wait at or below T"),
    Column("abandoned_within_threshold", Kind.INT, "abandoned with a wait at or below T, short "
           "abandons included; for the `abandons_within_t_met` variant"),
    Column("threshold_seconds", Kind.FLOAT, "the T the report counted `*_within_threshold` "
           "with; checked against kpi.yaml"),
    Column("short_abandon_seconds", Kind.FLOAT, "the short-abandon threshold the report counted "
           "`short_abandoned` with; checked against kpi.yaml"),
    Column("wait_seconds_answered", Kind.FLOAT, "total queue wait of the answered contacts (for "
           "ASA), seconds"),
    Column("talk_seconds", Kind.FLOAT, "total talk time of the answered contacts, seconds"),
    Column("hold_seconds", Kind.FLOAT, "total hold time of the answered contacts, seconds"),
    Column("acw_seconds", Kind.FLOAT, "total after-contact work of the answered contacts, seconds"),
)
"""One definition of every interval column: name, kind (hence dtype) and meaning. Counts are
whole numbers of contacts, the ``*_seconds`` figures are *totals* over the interval's answered
contacts (not averages: a vendor's average × answered gives the total). Columns beyond these pass
through under their own names and may be used in ``by``.

``abandoned``, ``talk_seconds``, ``hold_seconds`` and ``acw_seconds`` share their names with
contact columns but not their meaning (a count, totals): an interval table is typed by
:func:`conform`, never by the contacts loader."""

INTERVAL_SCHEMA: dict[str, Column] = {c.name: c for c in INTERVAL_COLUMNS}
COUNTS = ("offered", "answered", "abandoned", "short_abandoned", "answered_within_threshold",
          "abandoned_within_threshold")
TOTALS = ("wait_seconds_answered", "talk_seconds", "hold_seconds", "acw_seconds")

INTERVAL_KPIS = ("ticket_volume", "aht", "talk_time", "hold_time", "acw_time", "asa",
                 "service_level", "abandonment_rate")
"""The KPIs an interval report can give, in the catalog's order."""

CONTACT_LEVEL = ("contact-level data: an interval report holds only queue counts and "
                 "handle-time totals per interval")
NOT_FROM_INTERVALS = {
    "cost_per_contact": "contact-level data: cost per contact is not computed from interval "
                        "reports (yet)",
}
_PARTS = {"aht": ("talk_seconds", "hold_seconds", "acw_seconds"), "talk_time": ("talk_seconds",),
          "hold_time": ("hold_seconds",), "acw_time": ("acw_seconds",),
          "asa": ("wait_seconds_answered",)}
EXAMPLES = 5


def is_interval_table(columns: Iterable[str]) -> bool:
    """Whether headers (canonical names, or the same but for case, spaces and hyphens) are an
    interval report's: an ``interval_start`` and queue counts, and no ``ticket_id``.

    >>> is_interval_table(["Interval Start", "Queue", "Offered", "Answered", "Abandoned"])
    True
    >>> is_interval_table(["ticket_id", "created_at", "abandoned", "wait_seconds"])
    False
    """
    names = {normalized_name(c) for c in columns}
    counts = "offered" in names or {"answered", "abandoned"} <= names
    return "interval_start" in names and counts and "ticket_id" not in names


def normalized_name(name: str) -> str:
    """A header as an interval column name: lower case, spaces and hyphens as underscores."""
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


# ---------------------------------------------------------------------------------------------
# Typing
# ---------------------------------------------------------------------------------------------


def conform(
    frame: pl.LazyFrame | pl.DataFrame,
    *,
    timezone: str = "UTC",
    datetime_format: str | None = None,
    decimal_comma: bool = False,
) -> pl.LazyFrame:
    """The interval columns in their canonical dtypes, as the loader types contact columns.

    Text is parsed (timestamps without an offset are wall-clock times in ``timezone``); a value
    that cannot be parsed becomes null and is kept in ``_invalid_<column>`` for the report.
    Datetimes without a time zone are taken as UTC (as :func:`supportkpi.compute` takes them);
    rows get a ``_row`` number (1-based) unless they have one. Other columns pass through.
    """
    lazy = frame.lazy()
    schema = lazy.collect_schema()
    if ROW not in schema:
        lazy = lazy.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))
    typed: list[pl.Expr] = []
    flags: list[pl.Expr] = []
    for name, dtype in schema.items():
        column = INTERVAL_SCHEMA.get(name)
        if column is None or dtype == column.dtype:
            continue
        if column.kind is Kind.STRING:
            typed.append(pl.col(name).cast(pl.String).alias(name))
            continue
        if isinstance(dtype, pl.Datetime) and column.kind is Kind.DATETIME:
            value = (
                pl.col(name).dt.replace_time_zone("UTC")
                if dtype.time_zone is None
                else pl.col(name).dt.convert_time_zone("UTC")
            )
            typed.append(value.cast(column.dtype).alias(name))
            continue
        if dtype.is_integer() and column.kind in (Kind.INT, Kind.FLOAT):
            typed.append(pl.col(name).cast(column.dtype).alias(name))
            continue
        raw = pl.col(name)
        if dtype == pl.String:
            raw = parse.blank_to_null(raw)
            if decimal_comma and column.kind in (Kind.INT, Kind.FLOAT):
                raw = raw.str.replace(",", ".", literal=True)
        value = parse.parse(column.kind, raw, dtype, timezone, datetime_format)
        typed.append(value.cast(column.dtype).alias(name))
        given = raw if dtype == pl.String else parse.raw_text(pl.col(name), dtype)
        flag = pl.when(given.is_not_null() & value.is_null()).then(given.cast(pl.String))
        earlier = invalid_flag(name)
        flags.append((pl.coalesce(pl.col(earlier), flag) if earlier in schema else flag).alias(earlier))
    if typed or flags:
        lazy = lazy.with_columns(*typed, *flags)
    return lazy


# ---------------------------------------------------------------------------------------------
# Row checks: data errors
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Check:
    """A contradiction within a row. Rows failing it are left out of every KPI that reads one of
    the ``suspects``."""

    key: str
    kind: str
    column: str
    expected: str
    mask: pl.Expr
    suspects: tuple[str, ...]
    shows: tuple[str, ...]


def _checks(columns: frozenset[str], sl: ServiceLevelParams) -> list[_Check]:
    has = columns.__contains__
    c = pl.col
    checks: list[_Check] = []
    for name in COUNTS:
        if has(name):
            checks.append(_Check(f"neg_{name}", "negative count", name, "a count of 0 or more",
                                 c(name) < 0, (name,), (name,)))
    for name in TOTALS:
        if has(name):
            checks.append(_Check(f"neg_{name}", "negative duration", name, "a total of 0 s or more",
                                 c(name) < 0, (name,), (name,)))
    if has("offered") and has("answered") and has("abandoned"):
        checks.append(_Check(
            "over_offered", "answered + abandoned > offered", "offered",
            "answered + abandoned ≤ offered", c("answered") + c("abandoned") > c("offered"),
            ("offered", "answered", "abandoned"), ("offered", "answered", "abandoned")))
    elif has("offered") and has("answered"):
        checks.append(_Check("answered_over_offered", "answered > offered", "answered",
                             "answered ≤ offered", c("answered") > c("offered"),
                             ("offered", "answered"), ("offered", "answered")))
    if has("short_abandoned") and has("abandoned"):
        checks.append(_Check("short_over_abandoned", "short_abandoned > abandoned", "short_abandoned",
                             "short_abandoned ≤ abandoned (short abandons are abandons)",
                             c("short_abandoned") > c("abandoned"), ("short_abandoned",),
                             ("abandoned", "short_abandoned")))
    if has("answered_within_threshold") and has("answered"):
        checks.append(_Check("awt_over_answered", "answered_within_threshold > answered",
                             "answered_within_threshold", "answered_within_threshold ≤ answered",
                             c("answered_within_threshold") > c("answered"),
                             ("answered_within_threshold",), ("answered", "answered_within_threshold")))
    if has("abandoned_within_threshold") and has("abandoned"):
        checks.append(_Check("abwt_over_abandoned", "abandoned_within_threshold > abandoned",
                             "abandoned_within_threshold", "abandoned_within_threshold ≤ abandoned",
                             c("abandoned_within_threshold") > c("abandoned"),
                             ("abandoned_within_threshold",), ("abandoned", "abandoned_within_threshold")))
    if has("abandoned_within_threshold") and has("short_abandoned") and (
        sl.short_abandon_seconds <= sl.threshold_seconds
    ):
        # with the short-abandon threshold at or below T every short abandon is within T
        checks.append(_Check(
            "short_over_abwt", "short_abandoned > abandoned_within_threshold", "short_abandoned",
            "short_abandoned ≤ abandoned_within_threshold (a short abandon waited less than T)",
            c("short_abandoned") > c("abandoned_within_threshold"),
            ("abandoned_within_threshold",),  # short_abandoned is checked against abandoned
            ("short_abandoned", "abandoned_within_threshold")))
    if has("answered"):
        for name in TOTALS:
            if has(name):
                checks.append(_Check(
                    f"{name}_unanswered", f"{name} without answered contacts", name,
                    "a total of 0 s when no contact was answered",
                    (c(name) > 0) & (c("answered") == 0), (name,), ("answered", name)))
    out = []
    for k in checks:
        mask = k.mask
        if not k.kind.startswith("negative"):
            # a negative figure is reported as such, not again as a contradiction
            mask = mask & pl.all_horizontal(c(n) >= 0 for n in k.shows)
        out.append(_Check(k.key, k.kind, k.column, k.expected, mask.fill_null(False), k.suspects, k.shows))
    return out


# ---------------------------------------------------------------------------------------------
# KPIs as sums
# ---------------------------------------------------------------------------------------------


@dataclass
class _Spec:
    """One KPI over interval rows: Σ numerator / Σ denominator (× 100 for a rate; the count is
    Σ denominator) over the rows that have every ``reads`` column and pass the checks."""

    kind: str  # "count", "rate", "mean"
    numerator: pl.Expr | None
    denominator: pl.Expr
    reads: tuple[str, ...]
    contacts_excluded: dict[str, pl.Expr] = field(default_factory=dict)
    variant: str | None = None
    threshold: float | None = None  # the T the report must have counted with
    short_threshold: float | None = None  # likewise the short-abandon threshold


def _specs(
    kpi_ids: Sequence[str],
    columns: frozenset[str],
    params: Mapping[str, Mapping[str, Any]],
) -> tuple[dict[str, _Spec], dict[str, tuple[str, ...]], list[str]]:
    """The KPIs the table can give, the ones it cannot (with what they need), and notes."""
    has = columns.__contains__
    c = pl.col
    specs: dict[str, _Spec] = {}
    unavailable: dict[str, tuple[str, ...]] = {}
    notes: list[str] = []

    def need(kpi_id: str, *names: str) -> bool:
        missing = [n for n in names if not has(n)]
        if missing:
            unavailable[kpi_id] = tuple(missing)
        return not missing

    if has("offered"):
        offered, offered_reads = c("offered"), ("offered",)
    elif has("answered") and has("abandoned"):
        offered, offered_reads = c("answered") + c("abandoned"), ("answered", "abandoned")
    else:
        offered, offered_reads = None, ()
    short = c("short_abandoned") if has("short_abandoned") else pl.lit(0, pl.Int64)
    short_reads = ("short_abandoned",) if has("short_abandoned") else ()

    for kpi_id in kpi_ids:
        if kpi_id not in INTERVAL_KPIS:
            unavailable[kpi_id] = (NOT_FROM_INTERVALS.get(kpi_id, CONTACT_LEVEL),)
            continue
        if kpi_id == "ticket_volume":
            if offered is None:
                unavailable[kpi_id] = ("offered or answered and abandoned",)
                continue
            label = "offered contacts (interval report)"
            if not has("offered"):
                label = "offered = answered + abandoned (interval report)"
            specs[kpi_id] = _Spec("count", None, offered, offered_reads, variant=label)
        elif kpi_id == "service_level":
            p = _params(ServiceLevelParams, kpi_id, params)
            label = (f"{p.variant}, T={p.threshold_seconds:g}s, short abandon "
                     f"<{p.short_abandon_seconds:g}s")
            if p.variant == "abandons_ignored":
                if not need(kpi_id, "answered_within_threshold", "answered"):
                    continue
                excluded = {"abandoned": c("abandoned")} if has("abandoned") else {}
                specs[kpi_id] = _Spec("rate", c("answered_within_threshold"), c("answered"),
                                      ("answered", "answered_within_threshold"), excluded, label,
                                      threshold=p.threshold_seconds)
                continue
            if offered is None:
                unavailable[kpi_id] = ("offered or answered and abandoned",)
                continue
            needs = ["answered_within_threshold"]
            if p.variant == "abandons_within_t_met":
                needs.append("abandoned_within_threshold")
            if not need(kpi_id, *needs):
                continue
            met = c("answered_within_threshold")
            reads = (*offered_reads, "answered_within_threshold", *short_reads)
            if p.variant == "abandons_within_t_met":
                # abandoned within T but not short: every short abandon is within T when the
                # short-abandon threshold is at or below T, none is when it is above
                within = c("abandoned_within_threshold")
                met = met + within - pl.min_horizontal(short, within)
                reads = (*reads, "abandoned_within_threshold")
            label += _short_note(has)
            specs[kpi_id] = _Spec("rate", met, offered - short, reads,
                                  {"short abandon": short}, label,
                                  threshold=p.threshold_seconds,
                                  short_threshold=p.short_abandon_seconds if short_reads else None)
        elif kpi_id == "abandonment_rate":
            p = _params(AbandonmentParams, kpi_id, params)
            if offered is None or not need(kpi_id, "abandoned"):
                unavailable.setdefault(kpi_id, ("offered",))
                continue
            label = f"short abandon <{p.short_abandon_seconds:g}s" + _short_note(has)
            specs[kpi_id] = _Spec("rate", c("abandoned") - short, offered - short,
                                  tuple(dict.fromkeys((*offered_reads, "abandoned", *short_reads))),
                                  {"short abandon": short}, label,
                                  short_threshold=p.short_abandon_seconds if short_reads else None)
        else:  # the durations: means over answered contacts
            p = _params(CallDurationParams, kpi_id, params)
            parts = _PARTS[kpi_id]
            if not need(kpi_id, "answered", *parts):
                continue
            if p.statistic != "mean":
                unavailable[kpi_id] = (
                    f"call-level data for the {p.statistic}: interval sums give only the mean "
                    f"(kpi.yaml asks for the {p.statistic})",
                )
                continue
            excluded = {"unanswered": c("abandoned")} if has("abandoned") else {}
            total = pl.sum_horizontal(c(x) for x in parts) if len(parts) > 1 else c(parts[0])
            specs[kpi_id] = _Spec("mean", total, c("answered"), ("answered", *parts), excluded,
                                  "mean (median and p90 need call-level data)")
    # what the output must say about the report's own declarations
    if not has("short_abandoned") and any("short abandon" in s.contacts_excluded for s in specs.values()):
        notes.append("short_abandoned")
    if any(s.threshold is not None for s in specs.values()):
        notes.append("threshold_seconds")
    if any(s.short_threshold is not None for s in specs.values()):
        notes.append("short_abandon_seconds")
    return specs, unavailable, notes


def _short_note(has) -> str:
    if has("short_abandoned"):
        return ""
    return " (short abandons not in the report: none subtracted)"


def _params(model: type[BaseModel], kpi_id: str, params: Mapping[str, Mapping[str, Any]]) -> Any:
    try:
        return model.model_validate(dict(params.get(kpi_id, {}) or {}))
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(x) for x in error["loc"])
        raise UsageError(f"kpis.{kpi_id}.{where}: {error['msg']}") from None


# ---------------------------------------------------------------------------------------------
# compute_intervals
# ---------------------------------------------------------------------------------------------

_PERIOD_START = "_period_start"


def compute_intervals(
    frame: pl.LazyFrame | pl.DataFrame,
    kpis: Sequence[str] | None = None,
    *,
    by: Sequence[str] = (),
    period: str | None = None,
    timezone: str = "UTC",
    params: Mapping[str, Mapping[str, Any]] | None = None,
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
    if not kpis:
        kpi_ids = [k for k in kpi_ids if k != SLA_COMPLIANCE]
    check_period(period)
    lazy = conform(frame, timezone=timezone)
    columns = frozenset(lazy.collect_schema().names())
    if "interval_start" not in columns:
        raise UsageError("an interval table needs an `interval_start` column")
    by = _check_by(by, columns)

    sl = _params(ServiceLevelParams, "service_level", params)
    specs, unavailable, notes = _specs(kpi_ids, columns, params)
    checks = _checks(columns, sl)
    flags = [n for n in INTERVAL_SCHEMA if invalid_flag(n) in columns]

    # per-row check results as columns, so that the KPI pass and the report read them once
    check_col = {k.key: f"_check_{k.key}" for k in checks}
    lazy = lazy.with_columns(k.mask.alias(check_col[k.key]) for k in checks)
    considered = lazy.filter(pl.col("interval_start").is_not_null())

    keys = list(by)
    if period is not None:
        considered = considered.with_columns(
            _period_of(pl.col("interval_start"), period, timezone).alias(_PERIOD_START)
        )
        keys.append(_PERIOD_START)

    aggregations: list[pl.Expr] = []
    excluded_names: dict[str, list[str]] = {}
    for kpi_id, spec in specs.items():
        usable, reasons = _exclusions(spec, checks, check_col)
        excluded_names[kpi_id] = [*spec.contacts_excluded, *reasons]
        den = spec.denominator.filter(usable).sum()
        if spec.kind == "count":
            value = den
        elif spec.kind == "rate":
            value = pl.when(den > 0).then(spec.numerator.filter(usable).sum() * 100.0 / den)
        else:
            value = pl.when(den > 0).then(spec.numerator.filter(usable).sum() / den)
        aggregations += [value.alias(f"{kpi_id}__value"), den.cast(pl.Int64).alias(f"{kpi_id}__n")]
        for i, expr in enumerate(spec.contacts_excluded.values()):
            aggregations.append(expr.filter(usable).sum().cast(pl.Int64).alias(f"{kpi_id}__x{i}"))
        offset = len(spec.contacts_excluded)
        for i, mask in enumerate(reasons.values()):
            aggregations.append(mask.sum().cast(pl.Int64).alias(f"{kpi_id}__x{offset + i}"))
        for name, threshold in (("t", spec.threshold), ("s", spec.short_threshold)):
            declared = "threshold_seconds" if name == "t" else "short_abandon_seconds"
            if threshold is None or declared not in columns:
                continue
            other = pl.col(declared).filter((pl.col(declared) - threshold).abs() > 1e-9)
            aggregations += [
                other.min().alias(f"{kpi_id}__{name}_min"),
                other.max().alias(f"{kpi_id}__{name}_max"),
            ]
    aggregations.append(pl.len().alias("_rows"))
    if keys:
        plan = considered.group_by(keys).agg(aggregations).sort(keys, nulls_last=True)
    else:
        plan = considered.select(aggregations)

    report = _quality_plan(lazy, considered, checks, check_col, flags, notes, columns)
    collected = pl.collect_all([plan, *report])
    table, counts, examples, per_source = collected
    groups = [
        _group(row, by, period, specs, unavailable, kpi_ids, excluded_names)
        for row in table.iter_rows(named=True)
    ]
    paths = [i.path for i in inputs]
    findings, as_of = _findings(counts.row(0, named=True), examples, checks, check_col, flags,
                                notes, specs, sl, paths)
    rows_per_source = dict(per_source.iter_rows()) if SOURCE in per_source.columns else {}
    inputs = [
        InputInfo(i.path, i.format, rows_per_source.get(idx, i.rows), i.source, i.confidence)
        for idx, i in enumerate(inputs)
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


def _exclusions(
    spec: _Spec, checks: Sequence[_Check], check_col: Mapping[str, str]
) -> tuple[pl.Expr, dict[str, pl.Expr]]:
    """Rows usable for a KPI and, per reason, the rows left out (each row under its first
    reason): a figure the KPI reads is missing, or a check on it failed."""
    reasons: dict[str, pl.Expr] = {}
    out = pl.lit(False)
    for name in spec.reads:
        reasons[f"interval rows lacking {name}"] = pl.col(name).is_null() & ~out
        out = out | pl.col(name).is_null()  # not `| mask`: that would nest `out` twice per reason
    for check in checks:
        if not set(check.suspects) & set(spec.reads):
            continue
        mask = pl.col(check_col[check.key]) & ~out
        reason = f"interval rows with {check.kind}" + (
            f" ({check.column})" if check.kind.startswith("negative") else ""
        )
        reasons[reason] = reasons[reason] | mask if reason in reasons else mask
        out = out | pl.col(check_col[check.key])
    return ~out, reasons


def _group(
    row: dict[str, Any],
    by: list[str],
    period: str | None,
    specs: Mapping[str, _Spec],
    unavailable: Mapping[str, tuple[str, ...]],
    kpi_ids: Sequence[str],
    excluded_names: Mapping[str, list[str]],
) -> Group:
    keys = {k: row[k] for k in by}
    if period is not None:
        keys[PERIOD_COLUMN] = period_label(row[_PERIOD_START], period)
    kpis: dict[str, KpiResult] = {}
    for kpi_id in kpi_ids:
        info = REGISTRY[kpi_id].INFO if kpi_id in REGISTRY else None
        title = info.title if info else "SLA compliance"
        unit = info.unit if info else "%"
        direction = info.direction if info else "higher"
        needs = unavailable.get(kpi_id) or _threshold_mismatch(kpi_id, row, specs.get(kpi_id))
        if needs:
            kpis[kpi_id] = KpiResult(kpi_id, title, unit, direction, None, 0,
                                     available=False, needs=needs)
            continue
        spec = specs[kpi_id]
        value = row[f"{kpi_id}__value"]
        if isinstance(value, float) and value != value:
            value = None
        kpis[kpi_id] = KpiResult(
            id=kpi_id,
            title=title,
            unit=unit,
            direction=direction,
            value=value,
            n=int(row[f"{kpi_id}__n"] or 0),
            excluded=_excluded(row, kpi_id, excluded_names[kpi_id], len(spec.contacts_excluded)),
            stats={"mean": value} if spec.kind == "mean" else {},
            variant=spec.variant,
        )
    return Group(keys=keys, kpis=kpis)


def _excluded(row: Mapping[str, Any], kpi_id: str, names: Sequence[str], contacts: int) -> dict[str, int]:
    """Contacts left out (short abandons, unanswered), always; interval rows left out, per
    reason, where there are any (those reasons say "interval rows": they count rows)."""
    counts = {r: int(row[f"{kpi_id}__x{i}"] or 0) for i, r in enumerate(names)}
    return {r: v for i, (r, v) in enumerate(counts.items()) if i < contacts or v}


def _threshold_mismatch(kpi_id: str, row: Mapping[str, Any], spec: _Spec | None) -> tuple[str, ...]:
    """Why the group's figure would be another KPI than kpi.yaml's: rows counted with another T
    or short-abandon threshold."""
    if spec is None:
        return ()
    out = []
    for name, asked, what, param in (
        ("t", spec.threshold, "service level counted within", "threshold_seconds"),
        ("s", spec.short_threshold, "short abandons counted below", "short_abandon_seconds"),
    ):
        low, high = row.get(f"{kpi_id}__{name}_min"), row.get(f"{kpi_id}__{name}_max")
        if asked is None or low is None:
            continue
        counted = f"{low:g} s" if low == high else f"{low:g} s to {high:g} s"
        verb = "counts within" if name == "t" else "counts short abandons below"
        out.append(
            f"{what} {asked:g} s: the report {verb} {counted}; kpi.yaml asks for {asked:g} s "
            f"({kpi_id}.{param})"
        )
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Data-quality report
# ---------------------------------------------------------------------------------------------

_EXPECTED = {
    Kind.DATETIME: "an ISO 8601 timestamp such as 2025-01-31T14:00:00Z, or a local time that "
                   "exists in the time zone",
    Kind.FLOAT: "a number",
    Kind.INT: "a whole number",
}


def _quality_plan(
    lazy: pl.LazyFrame,
    considered: pl.LazyFrame,
    checks: Sequence[_Check],
    check_col: Mapping[str, str],
    flags: Sequence[str],
    notes: Sequence[str],
    columns: frozenset[str],
) -> list[pl.LazyFrame]:
    counts = [
        pl.len().alias("rows"),
        pl.col("interval_start").is_null().sum().alias("missing:interval_start"),
        pl.col("interval_start").max().alias("as_of"),
    ]
    if invalid_flag("interval_start") in columns:
        # an unparseable start is reported as such, not also as missing
        counts[1] = (
            pl.col("interval_start").is_null() & pl.col(invalid_flag("interval_start")).is_null()
        ).sum().alias("missing:interval_start")
    counts += [pl.col(invalid_flag(n)).is_not_null().sum().alias(f"invalid:{n}") for n in flags]
    on_rows = pl.col("interval_start").is_not_null()
    counts += [(pl.col(check_col[k.key]) & on_rows).sum().alias(f"check:{k.key}") for k in checks]
    if "offered" in columns and "answered" in columns and "abandoned" in columns:
        neither = (pl.col("offered") - pl.col("answered") - pl.col("abandoned")).filter(on_rows)
        counts += [
            (neither > 0).sum().alias("note:neither_rows"),
            neither.filter(neither > 0).sum().alias("note:neither_contacts"),
        ]
    for note in notes:
        # rows without the declaration (all rows when the report lacks the column)
        known = pl.col(note).is_not_null() if note in columns else pl.lit(False)
        counts.append((on_rows & ~known).sum().alias(f"note:{note}"))

    where = [c for c in (SOURCE, ROW) if c in columns]
    shown = sorted({c for k in checks for c in k.shows} | {"interval_start"}, key=list(INTERVAL_SCHEMA).index)
    problem = [pl.col(check_col[k.key]) & on_rows for k in checks]
    problem += [pl.col(invalid_flag(n)).is_not_null() for n in flags]
    if problem:
        examples = lazy.filter(pl.any_horizontal(problem)).select(
            *where, *shown, *[check_col[k.key] for k in checks], *[invalid_flag(n) for n in flags]
        ).head(1000)
    else:
        examples = pl.LazyFrame()
    if SOURCE in columns:
        per_source = lazy.group_by(SOURCE).agg(pl.len().alias("rows"))
    else:
        per_source = pl.LazyFrame({SOURCE: [0], "rows": [0]}).head(0)
    return [lazy.select(counts), examples, per_source]


def _findings(
    counts: Mapping[str, Any],
    examples: pl.DataFrame,
    checks: Sequence[_Check],
    check_col: Mapping[str, str],
    flags: Sequence[str],
    notes: Sequence[str],
    specs: Mapping[str, _Spec],
    sl: ServiceLevelParams,
    paths: Sequence[str],
) -> tuple[list[Finding], Any]:
    findings: list[Finding] = []
    for name in flags:
        bad = counts.get(f"invalid:{name}") or 0
        if bad:
            rows = examples.filter(pl.col(invalid_flag(name)).is_not_null()).head(EXAMPLES)
            findings.append(Finding(
                kind="unparseable value", column=name, count=bad,
                expected=_EXPECTED.get(INTERVAL_SCHEMA[name].kind),
                effect="left out of every KPI" if name == "interval_start"
                else "those interval rows are left out of the KPIs that need it",
                examples=_examples(rows, lambda r, n=name: r[invalid_flag(n)], paths),
            ))
    if counts.get("missing:interval_start"):
        findings.append(Finding(kind="missing value", column="interval_start",
                                count=counts["missing:interval_start"],
                                expected="a timestamp (required)", effect="left out of every KPI"))
    for check in checks:
        bad = counts.get(f"check:{check.key}") or 0
        if not bad:
            continue
        hit = [k for k, s in specs.items() if set(check.suspects) & set(s.reads)]
        rows = examples.filter(pl.col(check_col[check.key])).head(EXAMPLES)
        findings.append(Finding(
            kind=check.kind, column=check.column, count=bad, expected=check.expected,
            effect=("those interval rows are left out of " + ", ".join(hit)) if hit
            else "no KPI of this run reads it",
            examples=_examples(rows, lambda r, k=check: _figures(r, k.shows), paths),
        ))
    if counts.get("note:neither_rows"):
        findings.append(Finding(
            kind="note", column="offered", count=counts["note:neither_rows"],
            expected="offered = answered + abandoned",
            effect=f"{counts['note:neither_contacts']} offered contact(s) neither answered nor "
                   "abandoned (overflowed, or still queued at the interval's end): kept in offered "
                   "as the report counts them, so they are misses of service level and in the "
                   "abandonment rate's denominator",
        ))
    if "short_abandoned" in notes and counts.get("note:short_abandoned"):
        findings.append(Finding(
            kind="note", column="short_abandoned", count=counts["note:short_abandoned"],
            effect="the report does not separate short abandons: none are subtracted, so service "
                   "level and abandonment rate count every abandon (kpi.yaml's short-abandon "
                   f"threshold of {sl.short_abandon_seconds:g} s is not applied)",
        ))
    if "threshold_seconds" in notes and counts.get("note:threshold_seconds"):
        findings.append(Finding(
            kind="note", column="threshold_seconds", count=counts["note:threshold_seconds"],
            effect="the report does not state the T it counted *_within_threshold with: taken as "
                   f"kpi.yaml's {sl.threshold_seconds:g} s",
        ))
    if "short_abandon_seconds" in notes and counts.get("note:short_abandon_seconds"):
        asked = next(s.short_threshold for s in specs.values() if s.short_threshold is not None)
        findings.append(Finding(
            kind="note", column="short_abandon_seconds", count=counts["note:short_abandon_seconds"],
            effect="the report does not state the threshold it counted short_abandoned with: "
                   f"taken as kpi.yaml's {asked:g} s",
        ))
    return findings, counts.get("as_of")


def _figures(row: Mapping[str, Any], names: Sequence[str]) -> str:
    """``offered 10, answered 12, abandoned 2``: the figures a check compared."""
    return ", ".join(f"{n} {_show(row[n])}" for n in names)


def _show(value: Any) -> str:
    return "(empty)" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _examples(rows: pl.DataFrame, value, paths: Sequence[str]) -> list[dict[str, Any]]:
    out = []
    for row in rows.iter_rows(named=True):
        example: dict[str, Any] = {}
        if row.get(SOURCE) is not None and row[SOURCE] < len(paths):
            example["file"] = paths[row[SOURCE]]
        if ROW in row:
            example["row"] = row[ROW]
        example["value"] = value(row)
        out.append(example)
    return out


__all__ = [
    "INTERVAL_COLUMNS",
    "INTERVAL_KPIS",
    "INTERVAL_SCHEMA",
    "compute_intervals",
    "conform",
    "is_interval_table",
]
