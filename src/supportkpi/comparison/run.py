"""The comparison itself: every KPI per side in one pass, then each KPI's sides and pairs,
with the test that suits the KPI (its ``INFO.test``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import polars as pl

from supportkpi.comparison.differences import adjust_p, pair_result, side_interval
from supportkpi.comparison.mix import mix_notes
from supportkpi.comparison.model import (
    ADJUSTMENTS,
    BY_STATISTIC,
    KAPLAN_MEIER,
    MEAN,
    MEDIAN,
    NO_TEST,
    Comparison,
    KpiComparison,
    SideValue,
    kpi_info,
)
from supportkpi.comparison.survival import km_side, open_ticket_notes, survival_data
from supportkpi.engine import compute
from supportkpi.metrics import REGISTRY, KpiInfo
from supportkpi.results import InputInfo, KpiResult
from supportkpi.schedules import Calendars
from supportkpi.targets import judge


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
    table: str | None = None,
    memory: str = "auto",
) -> Comparison:
    """Compare the sides (values of column ``side``, in the order of ``sides``; default: sorted)
    on each KPI, per stratum of ``by`` and per ``period``.

    ``baseline`` is ``first`` (the first side) or ``best`` (the side with the best value of each
    KPI). ``open_tickets`` is ``exclude`` (resolution time over resolved tickets, the catalog's
    formula) or ``censor`` (Kaplan-Meier: open tickets count as "not resolved after this long").
    ``table``: the canonical table the frame is (contacts or mentions), and ``memory``, as for
    :func:`supportkpi.engine.compute`: bounded, the KPI pass streams, but the tests still hold
    the per-contact values of each side's durations and means (8 bytes a value; see
    docs/commands/compare.md).
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
        lazy,
        kpis,
        by=[side, *by],
        period=period,
        timezone=timezone,
        params=params,
        inputs=inputs,
        calendars=calendars,
        sla=sla,
        as_of=as_of,
        samples=True,
        table=table,
        memory=memory,
    )
    if sides is None:
        sides = sorted({g.keys[side] for g in result.judged_groups if g.keys[side] is not None})
    sides = list(sides)
    censored = {}
    censorable = [k for k in result.kpi_ids if kpi_info(k).censor_open]
    if censorable:
        censored = survival_data(
            lazy, side, [*by], period, timezone, result.as_of, params or {}, calendars, censorable[0]
        )

    strata: dict[tuple, dict[str, dict[str, KpiResult]]] = {}
    for group in result.judged_groups:  # groups of no usable row compare nothing
        keys = tuple((k, v) for k, v in group.keys.items() if k != side)
        strata.setdefault(keys, {})[group.keys[side]] = group.kpis

    items = []
    for keys, per_side in strata.items():
        for kpi_id in result.kpi_ids:
            items.append(
                _compare_kpi(
                    kpi_id,
                    dict(keys),
                    per_side,
                    sides,
                    baseline,
                    confidence,
                    min_n,
                    resamples,
                    seed,
                    open_tickets,
                    censored.get(keys, {}),
                    checks,
                    side,
                    params or {},
                )
            )
    adjust_p(items, round(1 - confidence, 10), min_n, adjust)
    notes = mix_notes(lazy, side, sides, by) + open_ticket_notes(items, censored, open_tickets, sides)
    return Comparison(
        sides=sides,
        side_column=side,
        by=list(by),
        period=period,
        baseline=baseline,
        confidence=confidence,
        alpha=round(1 - confidence, 10),
        min_n=min_n,
        open_tickets=open_tickets,
        items=items,
        notes=notes,
        base=result,
        adjust=adjust,
    )


def choose_test(info: KpiInfo, statistic: str | None, open_tickets: str) -> str:
    """Which test compares two sides of a KPI: the KPI's own (``info.test``), by its headline
    statistic for durations, and Kaplan-Meier for the median of a KPI that censors open tickets
    under ``--open censor`` (see the package docstring)."""
    if info.censor_open and open_tickets == "censor" and statistic == "median":
        return KAPLAN_MEIER
    if info.test == BY_STATISTIC:
        return {"mean": MEAN, "median": MEDIAN}.get(statistic or "", NO_TEST)
    return info.test


def _statistic(kpi_id: str, result: KpiResult | None, params: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The statistic the headline value is: the ``statistic`` parameter of a duration (None for
    other KPIs, and when the KPI was not computed)."""
    module = REGISTRY.get(kpi_id)
    if result is None or not result.available or module is None or not hasattr(module, "Params"):
        return None
    return getattr(module.Params(**params.get(kpi_id, {})), "statistic", None)


def _compare_kpi(
    kpi_id,
    keys,
    per_side,
    sides,
    baseline,
    confidence,
    min_n,
    resamples,
    seed,
    open_tickets,
    censored,
    checks,
    side_column,
    params,
) -> KpiComparison:
    results = {s: per_side.get(s, {}).get(kpi_id) for s in sides}
    some = next((r for r in results.values() if r is not None), None)
    info = REGISTRY[kpi_id].INFO if kpi_id in REGISTRY else None
    title = some.title if some else (info.title if info else kpi_id)
    unit = some.unit if some else (info.unit if info else "%")
    direction = some.direction if some else (info.direction if info else "higher")
    statistic = _statistic(kpi_id, some, params)
    test = choose_test(kpi_info(kpi_id), statistic, open_tickets)
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
            entry.value, entry.n = km_side(censored.get(name), confidence, entry)
        else:
            side_interval(test, r, entry, confidence, resamples, seed)
        entry.status = _status(checks, kpi_id, entry, {side_column: name, **keys}, direction)
        values.append(entry)
    base = _baseline(values, baseline, direction, min_n)
    pairs = [
        pair_result(test, kpi_id, v, base, results, censored, direction, confidence, resamples, seed)
        for v in values
        if base is not None and v.side != base.side
    ]
    others = []
    if baseline == "best" and base is not None:
        # the best side is chosen from the data: every pair is in the family Holm controls
        rest = [v for v in values if v.side != base.side]
        others = [
            pair_result(test, kpi_id, a, b, results, censored, direction, confidence, resamples, seed)
            for i, b in enumerate(rest)
            for a in rest[i + 1 :]
        ]
    return KpiComparison(
        kpi=kpi_id,
        title=title,
        unit=unit,
        direction=direction,
        keys=keys,
        test=test,
        sides=values,
        pairs=pairs,
        variant=some.variant if some else None,
        other_pairs=others,
    )


def _baseline(values: list[SideValue], baseline: str, direction: str | None, min_n: int) -> SideValue | None:
    """The first side, or the best one among the sides with enough data (a side of 9 surveys
    would make every verdict "too few")."""
    if not values:
        return None
    if baseline == "first" or direction is None:
        return values[0]
    judged = [(v.value, v) for v in values if v.value is not None and v.n >= min_n]
    if not judged:
        return values[0]
    pick = max if direction == "higher" else min
    return pick(judged, key=lambda value_and_side: value_and_side[0])[1]


def _status(checks, kpi_id, entry, keys, direction) -> str | None:
    for check in checks:
        if check.kpi == kpi_id and check.statistic is None:
            levels, _ = check.levels_for({"vendor": keys.get("vendor", entry.side), **keys})
            return judge(entry.value, entry.n, levels, check.direction, entry.available)
    return None
