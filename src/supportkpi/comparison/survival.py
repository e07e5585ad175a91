"""Resolution times with open tickets counted as censored (``compare --open censor``): the
per-ticket observations Kaplan-Meier needs, and the notes that say what was done with open
tickets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from supportkpi import stats
from supportkpi.comparison.model import KAPLAN_MEIER, KpiComparison
from supportkpi.engine import (
    PERIOD_COLUMN,
    conform,
    period_label,
    period_of,
    with_duplicate_flag,
)
from supportkpi.engine.assemble import sample_arrays
from supportkpi.metrics import REGISTRY
from supportkpi.metrics._base import Context
from supportkpi.sla import business_elapsed, end_timestamp


@dataclass
class Survival:
    """Resolution times as Kaplan-Meier sees them: per ticket, hours from creation to its
    resolution, or to ``as_of`` for a ticket still open then (censored)."""

    hours: Sequence[float] | np.ndarray | None
    resolved: Sequence[bool] | np.ndarray | None

    @property
    def still_open(self) -> int:
        resolved = self.resolved if self.resolved is not None else []
        return len(resolved) - int(np.count_nonzero(resolved))


def survival_data(lazy, side, by, period, timezone, as_of, params, calendars, kpi_id) -> dict:
    """Per stratum and side, every ticket's :class:`Survival` observation, all cut at ``as_of``
    alike: tickets created after it are left out, and one resolved after it counts as still open
    at ``as_of`` (so an early ``--as-of`` cannot mix later resolutions with earlier censoring).
    Same clock as the KPI ``kpi_id`` (business hours when configured); negative durations are
    data errors and left out, as the KPI leaves them out."""
    prepared = with_duplicate_flag(conform(lazy))
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
    clock = REGISTRY[kpi_id].Params(**params.get(kpi_id, {})).clock
    if clock == "business" and calendars is not None:
        seconds = business_elapsed(calendars, stop, None, columns)
    else:
        seconds = (stop - pl.col("created_at")).dt.total_microseconds() / 1e6
    rows = ctx.rows & ctx.known("created_at") & ~ctx.abandoned & (pl.col("created_at") <= cut)
    rows = rows & ~ctx.invalid("resolved_at") & ~ctx.invalid("resolution_seconds")
    frame = prepared.filter(rows).with_columns((seconds / 3600).alias("_hours"), resolved.alias("_resolved"))
    frame = frame.filter(pl.col("_hours") >= 0)
    keys = [side, *by]
    if period is not None:
        frame = frame.with_columns(period_of(pl.col("created_at"), period, timezone).alias("_period_start"))
        keys.append("_period_start")
    table = frame.group_by(keys).agg(pl.col("_hours"), pl.col("_resolved")).collect()
    # arrays, not lists: 8 bytes an hour and 1 a flag, against about 32 and 8 as Python objects
    hours, flags = sample_arrays(table["_hours"]), sample_arrays(table["_resolved"], pl.Boolean)
    out: dict[tuple, dict[str, Survival]] = {}
    for i, row in enumerate(table.drop("_hours", "_resolved").iter_rows(named=True)):
        stratum = [(k, row[k]) for k in by]
        if period is not None:
            stratum.append((PERIOD_COLUMN, period_label(row["_period_start"], period)))
        out.setdefault(tuple(stratum), {})[row[side]] = Survival(hours[i], flags[i])
    return out


def km_data(survival: Survival | None) -> tuple[np.ndarray, np.ndarray]:
    """Durations and whether each was observed (resolved), as the Kaplan-Meier functions take them."""
    if survival is None:
        return np.array([], dtype=float), np.array([], dtype=bool)
    return np.asarray(survival.hours, dtype=float), np.asarray(survival.resolved, dtype=bool)


def km_side(survival: Survival | None, confidence, entry):
    """A side's Kaplan-Meier median and its n; sets the entry's interval."""
    durations, observed = km_data(survival)
    if len(durations) == 0:
        return None, 0
    interval = stats.km_median(durations, observed, confidence)
    entry.low, entry.high = interval.low, interval.high
    return interval.estimate, len(durations)


def open_ticket_notes(items: list[KpiComparison], censored: dict, open_tickets: str, sides: list[str]) -> list[str]:
    """The default for open tickets and its effect, in words; the open tickets per side listed in
    the order of ``sides`` (rows of no side, a null ``side`` value, are not a side)."""
    counts: dict[str, int] = {}
    for per_side in censored.values():
        for name, survival in per_side.items():
            counts[name] = counts.get(name, 0) + survival.still_open
    tested = [i for i in items if i.info.censor_open]
    listed = [name for name in sides if name in counts]
    if not tested or not listed:
        return []
    listing = ", ".join(f"{name} {counts[name]:,}" for name in listed)
    if open_tickets == "censor":
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
