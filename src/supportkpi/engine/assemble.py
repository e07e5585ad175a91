"""The results of a run from the pass's table: one :class:`~supportkpi.results.Group` per row,
one :class:`~supportkpi.results.KpiResult` per KPI of the plan."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from supportkpi.engine import columns as out
from supportkpi.engine import excluded
from supportkpi.engine.plan import KpiPlan
from supportkpi.engine.request import PERIOD_COLUMN, period_label
from supportkpi.metrics import KpiInfo, Measure
from supportkpi.results import Group, KpiResult


def groups(table: pl.DataFrame, by: Sequence[str], period: str | None, plan: KpiPlan) -> list[Group]:
    names = [c for c in (out.sample(k) for k in plan.measures) if c in table.columns]
    samples = {name: sample_arrays(table[name]) for name in names}
    rows = table.drop(names).iter_rows(named=True)
    return [
        group({**row, **{name: arrays[i] for name, arrays in samples.items()}}, by, period, plan)
        for i, row in enumerate(rows)
    ]


def sample_arrays(column: pl.Series, dtype: type[pl.DataType] = pl.Float64) -> list[np.ndarray | None]:
    """Each group's per-contact values (a list column) as a slice of one array of ``dtype``: as
    Python lists, 10M values took about 32 bytes each, as floats in an array they take 8.

    >>> sample_arrays(pl.Series([[1.0, 2.0], None, [], [3.0]]))
    [array([1., 2.]), None, array([], dtype=float64), array([3.])]
    """
    lengths = column.list.len().to_list()
    # a null or empty list adds no value, so that the offsets are the lengths
    values = column.list.explode(empty_as_null=False, keep_nulls=False).cast(dtype).to_numpy()
    arrays: list[np.ndarray | None] = []
    start = 0
    for length in lengths:
        arrays.append(None if length is None else values[start : start + length])
        start += length or 0
    return arrays


def group(row: dict[str, Any], by: Sequence[str], period: str | None, plan: KpiPlan) -> Group:
    keys = {k: plain(row[k]) for k in by}
    if period is not None:
        keys[PERIOD_COLUMN] = period_label(row[out.PERIOD_START], period)
    kpis: dict[str, KpiResult] = {}
    left_out = excluded.counts(row)
    for kpi_id in plan.kpi_ids:
        info = plan.infos[kpi_id]
        m = plan.measures.get(kpi_id)
        needs = plan.unavailable.get(kpi_id) or (m is not None and _needs_in_group(row, kpi_id, m))
        if needs or m is None:
            kpis[kpi_id] = unavailable(kpi_id, info, needs or ())
        else:
            result = kpi_result(row, kpi_id, info, m)
            # rows no KPI could use, after the KPI's own reasons (ticket_volume counts repeats
            # and rules itself, with the same numbers)
            result.excluded = {**{r: v for r, v in result.excluded.items() if r not in left_out}, **left_out}
            kpis[kpi_id] = result
    return Group(keys=keys, kpis=kpis, undated=excluded.undated(row))


def unavailable(kpi_id: str, info: KpiInfo, needs: tuple[str, ...]) -> KpiResult:
    return KpiResult(kpi_id, info.title, info.unit, info.direction, None, 0, available=False, needs=needs)


def kpi_result(row: dict[str, Any], kpi_id: str, info: KpiInfo, m: Measure) -> KpiResult:
    excluded = {reason: int(row[out.excluded(kpi_id, i)] or 0) for i, reason in enumerate(m.excluded)}
    return KpiResult(
        id=kpi_id,
        title=info.title,
        unit=m.unit or info.unit,
        direction=info.direction if m.direction == "unset" else m.direction,
        value=plain(row[out.value(kpi_id)]),
        n=int(row[out.n(kpi_id)] or 0),
        excluded={r: v for r, v in excluded.items() if v or r not in m.only_if_any},
        stats={name: plain(row[out.stat(kpi_id, name)]) for name in m.stats},
        variant=m.variant,
        sample=row.get(out.sample(kpi_id)),
    )


def _needs_in_group(row: dict[str, Any], kpi_id: str, m: Measure) -> tuple[str, ...]:
    if m.needs_in_group is None:
        return ()
    return m.needs_in_group({name: row.get(out.check(kpi_id, name)) for name in m.checks})


def plain(value: Any) -> Any:
    """Python value for output: NaN becomes None; datetimes stay datetimes."""
    if isinstance(value, float) and value != value:
        return None
    return value
