"""Vendors side by side: every KPI per side, the difference against a baseline side, and whether
the difference is real.

This is the Python API behind ``supportkpi compare``. The sides are the values of one column of
the frame (``side``): the inputs of the command line, or the vendors of one export. Every side's
KPIs come from the same formulas in one pass (:func:`supportkpi.engine.compute`, with the
per-contact values of durations and means collected for the tests).

Which test, by the kind of KPI (methods in :mod:`supportkpi.stats`):

    proportions (CSAT, FCR, SLA compliance, abandonment...)   Wilson interval per side; Newcombe
                                                               interval of the difference and a
                                                               two-proportion test
    NPS                                                        standard error from the promoter
                                                               and detractor shares
    medians of durations (first response, resolution)          BCa bootstrap of the difference,
                                                               p from inverting it
    means (AHT, ASA, CES, QA)                                  Welch's t
    resolution time with ``open="censor"``                     Kaplan-Meier medians, log-rank
    counts (volume, backlog)                                   no test: a count is not a sample

p-values are Holm-adjusted within each KPI (over its sides, strata and periods: each KPI is
one question; ``adjust="run"`` treats the whole report as one family, ``"none"`` does not
adjust), and the output says so. A side
with fewer than ``min_n`` contacts (surveys, calls) is "too few to tell": small samples give wide
intervals that read as "no difference" when the truth is "we cannot know".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import polars as pl

from supportkpi.engine import PERIOD_COLUMN, SLA_COMPLIANCE, compute
from supportkpi.metrics import REGISTRY
from supportkpi.results import ComputeResult, InputInfo, KpiResult
from supportkpi.schedules import Calendars

PROPORTION, NPS, MEDIAN, MEAN, KAPLAN_MEIER, COUNT, NO_TEST = (
    "proportion", "nps", "median", "mean", "kaplan-meier", "count", "none",
)
NOUNS = {"csat": "surveys", "nps": "surveys", "ces": "surveys", "qa_score": "reviews"}
CALL_KPIS = {"aht", "talk_time", "hold_time", "acw_time", "asa", "service_level", "abandonment_rate"}
MIX_COLUMNS = ("channel", "priority")
MIX_THRESHOLD = 0.2
"""Total variation distance between two sides' channel (or priority) mixes above which the
comparison warns: at 0.2, a fifth of one side's contacts would have to change channel to match."""


@dataclass
class SideValue:
    side: str
    value: float | None
    n: int
    low: float | None = None
    high: float | None = None
    available: bool = True
    status: str | None = None
    """Target status (pass/warn/fail/...) when kpi.yaml has a target for this KPI."""


@dataclass
class PairResult:
    side: str
    baseline: str
    difference: float | None
    relative: float | None
    """Difference in % of the baseline's value."""
    low: float | None
    high: float | None
    p_value: float | None
    p_adjusted: float | None = None
    method: str = ""
    better: str | None = None
    """The side whose value is better by the KPI's direction (None: equal or undirected)."""
    verdict: str = ""
    p_bound: bool = False
    """The p-value is an upper bound (every bootstrap resample fell on one side of 0)."""


@dataclass
class KpiComparison:
    kpi: str
    title: str
    unit: str
    direction: str | None
    keys: dict[str, Any]
    """Strata (``--by`` columns) and period of this comparison."""
    test: str
    sides: list[SideValue]
    pairs: list[PairResult]
    variant: str | None = None
    other_pairs: list[PairResult] = field(default_factory=list)
    """With ``baseline="best"``: the pairs of the other sides among themselves, tested so that
    Holm's family covers every pair (the best side is picked from the data); not shown."""


@dataclass
class Comparison:
    sides: list[str]
    side_column: str
    by: list[str]
    period: str | None
    baseline: str
    confidence: float
    alpha: float
    min_n: int
    open_tickets: str
    items: list[KpiComparison]
    notes: list[str] = field(default_factory=list)
    base: ComputeResult | None = None
    adjust: str = "kpi"
    benchmark: Any = None
    """Industry figures shown beside the sides (:mod:`supportkpi.benchmark`)."""

    @property
    def comparisons(self) -> int:
        return sum(1 for item in self.items for pair in item.pairs if pair.p_value is not None)

    def correction(self) -> str:
        if self.adjust == "none":
            return "none: p-values are not adjusted for multiple comparisons"
        if self.adjust == "run":
            return f"Holm over all {self.comparisons} comparisons of the report"
        return "Holm within each KPI (over its sides, strata and periods)"

    def methods(self) -> list[str]:
        """Each test used and the KPIs it was used for: ``Welch's t interval and test: aht, asa``."""
        used: dict[str, list[str]] = {}
        for item in self.items:
            for pair in item.pairs:
                if pair.method and pair.p_value is not None:
                    kpis = used.setdefault(pair.method, [])
                    if item.kpi not in kpis:
                        kpis.append(item.kpi)
        return [f"{method}: {', '.join(kpis)}" for method, kpis in used.items()]

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        from supportkpi import __version__

        return {
            "supportkpi_version": __version__,
            "parameters": {
                "sides": self.sides,
                "side_column": self.side_column,
                "by": self.by,
                "period": self.period,
                "baseline": self.baseline,
                "confidence": self.confidence,
                "alpha": self.alpha,
                "min_n": self.min_n,
                "open_tickets": self.open_tickets,
                "correction": self.correction(),
            },
            "inputs": self.base.to_dict()["inputs"] if self.base else [],
            "comparisons": [asdict(item) for item in self.items],
            "methods": self.methods(),
            "notes": self.notes,
            "data_quality": self.base.to_dict()["data_quality"] if self.base else {},
        }


def compare(
    frame: pl.LazyFrame | pl.DataFrame,
    kpis: Sequence[str] | None = None,
    *,
    side: str = "side",
    sides: Sequence[str] | None = None,
    by: Sequence[str] = (),
    period: str | None = None,
    baseline: str = "first",
    timezone: str = "UTC",
    params: Mapping[str, Mapping[str, Any]] | None = None,
    calendars: Calendars | None = None,
    sla: Sequence[Any] = (),
    as_of: datetime | None = None,
    inputs: Sequence[InputInfo] = (),
    open_tickets: str = "exclude",
    confidence: float = 0.95,
    min_n: int = 30,
    resamples: int = 2000,
    seed: int = 0,
    checks: Sequence[Any] = (),
    adjust: str = "kpi",
) -> Comparison:
    """Compare the sides (values of column ``side``, in the order of ``sides``; default: sorted)
    on each KPI, per stratum of ``by`` and per ``period``.

    ``baseline`` is ``first`` (the first side) or ``best`` (the side with the best value of each
    KPI). ``open_tickets`` is ``exclude`` (resolution time over resolved tickets, the catalog's
    formula) or ``censor`` (Kaplan-Meier: open tickets count as "not resolved after this long").
    """
    if baseline not in ("first", "best"):
        raise ValueError(f"baseline must be first or best, got {baseline!r}")
    if open_tickets not in ("exclude", "censor"):
        raise ValueError(f"open_tickets must be exclude or censor, got {open_tickets!r}")
    if adjust not in ADJUSTMENTS:
        raise ValueError(f"adjust must be one of {', '.join(ADJUSTMENTS)}, got {adjust!r}")
    lazy = frame.lazy()
    if sides is not None:
        lazy = lazy.filter(pl.col(side).is_in(list(sides)))
    result = compute(
        lazy, kpis, by=[side, *by], period=period, timezone=timezone, params=params,
        inputs=inputs, calendars=calendars, sla=sla, as_of=as_of, samples=True,
    )
    if sides is None:
        sides = sorted({g.keys[side] for g in result.groups if g.keys[side] is not None})
    sides = list(sides)
    censored = {}
    if "resolution_time" in result.kpi_ids:
        censored = survival_data(lazy, side, [*by], period, timezone, result.as_of, params or {}, calendars)

    strata: dict[tuple, dict[str, dict[str, KpiResult]]] = {}
    for group in result.groups:
        keys = tuple((k, v) for k, v in group.keys.items() if k != side)
        strata.setdefault(keys, {})[group.keys[side]] = group.kpis

    items = []
    for keys, per_side in strata.items():
        for kpi_id in result.kpi_ids:
            items.append(_compare_kpi(
                kpi_id, dict(keys), per_side, sides, baseline, confidence, min_n, resamples, seed,
                open_tickets, censored.get(keys, {}), checks, side,
            ))
    _adjust(items, round(1 - confidence, 10), min_n, adjust)
    notes = mix_notes(lazy, side, sides, by) + open_ticket_notes(items, censored, open_tickets)
    return Comparison(
        sides=sides, side_column=side, by=list(by), period=period, baseline=baseline,
        confidence=confidence, alpha=round(1 - confidence, 10), min_n=min_n, open_tickets=open_tickets,
        items=items, notes=notes, base=result, adjust=adjust,
    )


def choose_test(kpi_id: str, kind: str, statistic: str | None, open_tickets: str) -> str:
    """Which test compares two sides of a KPI (see the module docstring)."""
    if kpi_id == "nps":
        return NPS
    if kpi_id == "resolution_time" and open_tickets == "censor" and statistic == "median":
        return KAPLAN_MEIER
    if kind == "rate" or kpi_id.startswith(SLA_COMPLIANCE):
        return PROPORTION
    if kind == "count":
        return COUNT
    if kind == "mean" or (kind == "duration" and statistic == "mean"):
        return MEAN
    if kind == "duration" and statistic == "median":
        return MEDIAN
    return NO_TEST


def _kind(kpi_id: str) -> str:
    if kpi_id in REGISTRY:
        return REGISTRY[kpi_id].INFO.kind
    return "rate"  # sla_compliance.<policy>


def _statistic(result: KpiResult) -> str | None:
    """The statistic the headline value is (durations: from the variant, e.g. "median, business
    hours")."""
    if {"mean", "median", "p90"} <= result.stats.keys() and result.variant:
        return result.variant.split(",")[0].split(":")[0].strip()
    return None


def _compare_kpi(
    kpi_id, keys, per_side, sides, baseline, confidence, min_n, resamples, seed, open_tickets,
    censored, checks, side_column,
) -> KpiComparison:
    results = {s: per_side.get(s, {}).get(kpi_id) for s in sides}
    some = next((r for r in results.values() if r is not None), None)
    info = REGISTRY[kpi_id].INFO if kpi_id in REGISTRY else None
    title = some.title if some else (info.title if info else kpi_id)
    unit = some.unit if some else (info.unit if info else "%")
    direction = some.direction if some else (info.direction if info else "higher")
    statistic = _statistic(some) if some else None
    test = choose_test(kpi_id, _kind(kpi_id), statistic, open_tickets)
    values = []
    for name in sides:
        r = results[name]
        entry = SideValue(
            side=name,
            value=r.value if r else None,
            n=r.n if r else 0,
            available=r.available if r else True,
        )
        if test == KAPLAN_MEIER and r is not None:
            entry.value, entry.n = _km_side(censored.get(name), confidence, entry)
        else:
            _side_interval(test, r, entry, confidence, resamples, seed)
        entry.status = _status(checks, kpi_id, entry, {side_column: name, **keys}, direction)
        values.append(entry)
    base = _baseline(values, baseline, direction, min_n)
    pairs = [
        _pair(test, kpi_id, v, base, results, censored, direction, confidence, resamples, seed)
        for v in values if base is not None and v.side != base.side
    ]
    others = []
    if baseline == "best" and base is not None:
        # the best side is chosen from the data: every pair is in the family Holm controls
        rest = [v for v in values if v.side != base.side]
        others = [
            _pair(test, kpi_id, a, b, results, censored, direction, confidence, resamples, seed)
            for i, b in enumerate(rest) for a in rest[i + 1:]
        ]
    return KpiComparison(
        kpi=kpi_id, title=title, unit=unit, direction=direction, keys=keys, test=test,
        sides=values, pairs=pairs, variant=some.variant if some else None, other_pairs=others,
    )


def _baseline(values: list[SideValue], baseline: str, direction: str | None, min_n: int) -> SideValue | None:
    """The first side, or the best one among the sides with enough data (a side of 9 surveys
    would make every verdict "too few")."""
    if not values:
        return None
    if baseline == "first" or direction is None:
        return values[0]
    judged = [v for v in values if v.value is not None and v.n >= min_n]
    if not judged:
        return values[0]
    pick = max if direction == "higher" else min
    return pick(judged, key=lambda v: v.value)


def _side_interval(test, result, entry, confidence, resamples, seed) -> None:
    from supportkpi import stats

    if result is None or result.value is None or not result.available:
        return
    interval = None
    if test == PROPORTION:
        interval = stats.wilson(_successes(result), result.n, confidence)
    elif test == NPS:
        promoters, detractors = _nps_counts(result)
        interval = stats.nps_interval(promoters, detractors, result.n, confidence)
    elif test == MEAN and result.sample:
        interval = stats.mean_interval(result.sample, confidence)
    elif test == MEDIAN and result.sample:
        interval = stats.median_interval(result.sample, confidence=confidence, resamples=resamples, seed=seed)
    if interval is not None:
        entry.low, entry.high = interval.low, interval.high


def _successes(result: KpiResult) -> int:
    """The numerator of a rate: ``value`` is 100·k/n, so k comes back exactly by rounding."""
    return round(result.value * result.n / 100) if result.value is not None else 0


def _nps_counts(result: KpiResult) -> tuple[int, int]:
    n = result.n
    return (round(result.stats.get("promoters_pct", 0) * n / 100),
            round(result.stats.get("detractors_pct", 0) * n / 100))


def _pair(test, kpi_id, side, base, results, censored, direction, confidence, resamples, seed) -> PairResult:
    from supportkpi import stats

    difference = None
    if side.value is not None and base.value is not None:
        difference = side.value - base.value
    relative = (difference / abs(base.value) * 100) if difference is not None and base.value else None
    pair = PairResult(side.side, base.side, difference, relative, None, None, None)
    a, b = results.get(side.side), results.get(base.side)
    if difference is None or a is None or b is None:
        return pair
    outcome = None
    if test == PROPORTION:
        outcome = stats.proportion_difference(_successes(a), a.n, _successes(b), b.n, confidence)
    elif test == NPS:
        outcome = stats.nps_difference(*_nps_counts(a), a.n, *_nps_counts(b), b.n, confidence)
    elif test == MEAN and a.sample and b.sample:
        outcome = stats.welch_samples(a.sample, b.sample, confidence)
    elif test == MEDIAN and a.sample and b.sample:
        outcome = stats.median_difference(a.sample, b.sample, resamples=resamples, confidence=confidence, seed=seed)
    elif test == KAPLAN_MEIER:
        x, xr = _km_data(censored.get(side.side))
        y, yr = _km_data(censored.get(base.side))
        if len(x) and len(y):
            outcome = stats.km_median_difference(x, xr, y, yr, confidence)
    if outcome is not None:
        pair.low, pair.high, pair.p_value = outcome.low, outcome.high, outcome.p_value
        pair.method = outcome.method
        pair.p_bound = bool(getattr(outcome, "p_bound", False))
        if test == KAPLAN_MEIER and outcome.estimate is not None:
            pair.difference = outcome.estimate
    elif test == COUNT:
        pair.method = "a count: no test"
    elif test == NO_TEST:
        pair.method = "no test for this statistic"
    if direction is not None and pair.difference:
        side_better = (pair.difference > 0) == (direction == "higher")
        pair.better = side.side if side_better else base.side
    return pair


def _km_data(survival: Survival | None):
    import numpy as np

    if survival is None:
        return np.array([], dtype=float), np.array([], dtype=bool)
    return np.asarray(survival.hours, dtype=float), np.asarray(survival.resolved, dtype=bool)


def _km_side(survival: Survival | None, confidence, entry):
    from supportkpi import stats

    durations, observed = _km_data(survival)
    if len(durations) == 0:
        return None, 0
    interval = stats.km_median(durations, observed, confidence)
    entry.low, entry.high = interval.low, interval.high
    return interval.estimate, len(durations)


def _status(checks, kpi_id, entry, keys, direction) -> str | None:
    from supportkpi.targets import judge

    for check in checks:
        if check.kpi == kpi_id and check.statistic is None:
            levels, _ = check.levels_for({"vendor": keys.get("vendor", entry.side), **keys})
            return judge(entry.value, entry.n, levels, check.direction, entry.available)
    return None


ADJUSTMENTS = ("kpi", "run", "none")


def _adjust(items: list[KpiComparison], alpha: float, min_n: int, adjust: str) -> None:
    """Holm-adjust the p-values per family (each KPI, or the whole run), then word each
    verdict."""
    from supportkpi import stats

    families: dict[str, list[PairResult]] = {}
    for item in items:
        family = item.kpi if adjust == "kpi" else ""
        families.setdefault(family, []).extend(item.pairs + item.other_pairs)
    for pairs in families.values():
        adjusted = stats.holm([p.p_value for p in pairs]) if adjust != "none" else [p.p_value for p in pairs]
        for pair, value in zip(pairs, adjusted):
            pair.p_adjusted = value
    for item in items:
        for pair in item.pairs:
            pair.verdict = verdict(item, pair, alpha, min_n)


def format_p(p: float, bound: bool = False) -> str:
    """``p = 0.003``, ``p < 0.001``; near 0.05 four decimals, so that a significant and a
    non-significant p never read alike; an upper bound is rounded up.

    >>> format_p(0.0031), format_p(0.00001), format_p(1.0), format_p(0.0499), format_p(0.00143, bound=True)
    ('p = 0.003', 'p < 0.001', 'p = 1', 'p = 0.0499', 'p ≤ 0.002')
    """
    import math

    if bound:
        return f"p ≤ {max(math.ceil(p * 1000) / 1000, 0.001):.3f}"
    if p < 0.001:
        return "p < 0.001"
    if p >= 0.9995:
        return "p = 1"
    if 0.0445 <= p < 0.0555:
        return f"p = {p:.4f}"
    return f"p = {p:.3f}"


def verdict(item: KpiComparison, pair: PairResult, alpha: float, min_n: int) -> str:
    """The plain-words verdict of one pair: a clear winner, no significant difference, or too
    little data to tell."""
    by_side = {v.side: v for v in item.sides}
    a, b = by_side[pair.side], by_side[pair.baseline]
    for side in (a, b):
        if not side.available:
            return f"not available for {side.side}"
        if side.value is None:
            return f"no data for {side.side}"
    noun = NOUNS.get(item.kpi, "calls" if item.kpi in CALL_KPIS else "contacts")
    small = min((a, b), key=lambda s: s.n)
    if item.test == COUNT:
        return "a count: no test"
    if small.n < min_n:
        return f"too few {noun} for {small.side} to tell (n = {small.n})"
    if pair.p_adjusted is None:
        if item.test == NO_TEST:
            return "no test for this statistic"
        if pair.difference and pair.better is not None:
            return f"no variation to test; {pair.better} is better by this sample"
        return "no difference, and no variation to test"
    shown = format_p(pair.p_adjusted, pair.p_bound)
    significant = pair.p_adjusted < alpha
    if item.test == KAPLAN_MEIER:
        # the log-rank test compares whole curves, not medians: no winner by the median
        if not significant:
            return f"no significant difference in resolution times (log-rank, {shown})"
        faster = "" if not pair.difference else (
            f"; {pair.side if pair.difference < 0 else pair.baseline} has the lower median")
        return f"resolution-time curves differ (log-rank, {shown}){faster}"
    if significant and pair.better is not None:
        return f"{pair.better} is better ({shown})"
    return f"no significant difference ({shown})"


@dataclass
class Survival:
    """Resolution times as Kaplan-Meier sees them: per ticket, hours from creation to its
    resolution, or to ``as_of`` for a ticket still open then (censored)."""

    hours: list[float]
    resolved: list[bool]

    @property
    def still_open(self) -> int:
        return sum(not r for r in self.resolved)


def survival_data(lazy, side, by, period, timezone, as_of, params, calendars) -> dict:
    """Per stratum and side, every ticket's :class:`Survival` observation, all cut at ``as_of``
    alike: tickets created after it are left out, and one resolved after it counts as still open
    at ``as_of`` (so an early ``--as-of`` cannot mix later resolutions with earlier censoring).
    Same clock as the KPI (business hours when configured); negative durations are data errors
    and left out, as the KPI leaves them out."""
    from supportkpi.engine import _conform, _period_of, period_label, with_duplicate_flag
    from supportkpi.metrics._base import Context
    from supportkpi.sla import end_timestamp

    prepared = with_duplicate_flag(_conform(lazy))
    columns = frozenset(prepared.collect_schema().names())
    if as_of is None or "created_at" not in columns:
        return {}
    ctx = Context(columns=columns)
    cut = pl.lit(as_of)
    if "resolved_at" in columns or "resolution_seconds" in columns:
        resolved_at = end_timestamp("resolved_at", "resolution_seconds", columns)
    else:
        resolved_at = pl.lit(None, pl.Datetime("us", "UTC"))
    resolved = (resolved_at <= cut).fill_null(False)
    stop = pl.when(resolved).then(resolved_at).otherwise(cut)
    clock = dict(params.get("resolution_time", {})).get("clock", "calendar")
    if clock == "business" and calendars is not None:
        from supportkpi.sla import business_elapsed

        seconds = business_elapsed(calendars, stop, None, columns)
    else:
        seconds = (stop - pl.col("created_at")).dt.total_microseconds() / 1e6
    rows = ctx.rows & ctx.known("created_at") & ~ctx.abandoned & (pl.col("created_at") <= cut)
    rows = rows & ~ctx.invalid("resolved_at") & ~ctx.invalid("resolution_seconds")
    frame = prepared.filter(rows).with_columns((seconds / 3600).alias("_hours"), resolved.alias("_resolved"))
    frame = frame.filter(pl.col("_hours") >= 0)
    keys = [side, *by]
    if period is not None:
        frame = frame.with_columns(_period_of(pl.col("created_at"), period, timezone).alias("_period_start"))
        keys.append("_period_start")
    table = frame.group_by(keys).agg(pl.col("_hours"), pl.col("_resolved")).collect()
    out: dict[tuple, dict[str, Survival]] = {}
    for row in table.iter_rows(named=True):
        stratum = [(k, row[k]) for k in by]
        if period is not None:
            stratum.append((PERIOD_COLUMN, period_label(row["_period_start"], period)))
        out.setdefault(tuple(stratum), {})[row[side]] = Survival(row["_hours"], row["_resolved"])
    return out


def open_ticket_notes(items: list[KpiComparison], censored: dict, open_tickets: str) -> list[str]:
    """The default for open tickets and its effect, in words."""
    counts: dict[str, int] = {}
    for per_side in censored.values():
        for name, survival in per_side.items():
            counts[name] = counts.get(name, 0) + survival.still_open
    if not any(item.kpi == "resolution_time" for item in items) or not counts:
        return []
    listing = ", ".join(f"{name} {count:,}" for name, count in counts.items())
    if open_tickets == "censor":
        tested = [i for i in items if i.kpi == "resolution_time"]
        if tested and all(i.test != KAPLAN_MEIER for i in tested):
            return [
                "--open censor applies to the median of resolution time; its statistic here is "
                f"not the median, so open tickets are left out (per side: {listing})."
            ]
        return [
            f"Resolution time: open tickets counted as censored at the report's end (Kaplan-Meier "
            f"medians, log-rank test of the curves); open tickets per side: {listing}."
        ]
    return [
        f"Resolution time covers resolved tickets only (the catalog's formula); open tickets left "
        f"out per side: {listing}. A side that leaves hard tickets open looks faster this way: "
        "--open censor counts them as censored (Kaplan-Meier)."
    ]


def mix_notes(lazy: pl.LazyFrame, side: str, sides: Sequence[str], by: Sequence[str]) -> list[str]:
    """A warning when two sides' channel or priority mixes differ a lot (total variation
    distance ≥ 0.2): comparing one side's chats with another's emails says little."""
    names = lazy.collect_schema().names()
    notes = []
    for column in MIX_COLUMNS:
        if column not in names or column in by:
            continue
        counts = lazy.group_by(side, column).agg(pl.len().alias("n")).collect()
        shares: dict[str, dict[Any, float]] = {}
        for name in sides:
            rows = counts.filter(pl.col(side) == name)
            total = rows["n"].sum()
            if total:
                shares[name] = {k: n / total for k, n in rows.select(column, "n").iter_rows()}
        worst = None
        for i, a in enumerate(sides):
            for b in sides[i + 1:]:
                if a in shares and b in shares:
                    keys = set(shares[a]) | set(shares[b])
                    distance = sum(abs(shares[a].get(k, 0) - shares[b].get(k, 0)) for k in keys) / 2
                    if worst is None or distance > worst[0]:
                        worst = (distance, a, b)
        if worst and worst[0] >= MIX_THRESHOLD:
            distance, a, b = worst
            notes.append(
                f"The {column} mix differs between {a} ({_mix(shares[a])}) and {b} "
                f"({_mix(shares[b])}); distance {distance:.2f}. Compare like with like: --by {column}."
            )
    return notes


def _mix(shares: Mapping[Any, float]) -> str:
    top = sorted(shares.items(), key=lambda kv: -kv[1])[:3]
    return ", ".join(f"{'(none)' if k is None else k} {v:.0%}" for k, v in top)
