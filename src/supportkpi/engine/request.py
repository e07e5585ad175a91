"""What a run asks for, checked against the registry and the input: KPI ids, group keys and
the period; and the period arithmetic the engine groups by."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import polars as pl

from supportkpi.errors import UsageError
from supportkpi.metrics import REGISTRY
from supportkpi.schema import TABLES, Table, is_internal, table_of
from supportkpi.sla import SLA_COMPLIANCE
from supportkpi.suggest import suggest

PERIODS = {"day": "1d", "week": "1w", "month": "1mo", "quarter": "1q"}
PERIOD_COLUMN = "period"


def check_period(period: str | None) -> None:
    if period is not None and period not in PERIODS:
        raise UsageError(f"unknown period '{period}' ({suggest(period, PERIODS)})")


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


def kpi_table(kpis: Sequence[str], columns: frozenset[str]) -> Table:
    """The canonical table a run reads: the one of the KPIs asked for (all of one table), else
    the one the input's columns are (:func:`supportkpi.schema.table_of`)."""
    tables = {REGISTRY[k].INFO.table for k in kpis if k in REGISTRY}
    if len(tables) > 1:
        raise UsageError(
            f"KPIs of the {' and the '.join(sorted(tables))} tables cannot be computed over one frame: "
            "compute each from its own input"
        )
    return TABLES[tables.pop()] if tables else table_of(columns)


def of_table(kpi_ids: Sequence[str], table: Table) -> list[str]:
    """The KPIs among ``kpi_ids`` that read ``table`` (SLA compliance reads contacts)."""
    return [k for k in kpi_ids if (REGISTRY[k].INFO.table if k in REGISTRY else "contacts") == table.name]


def check_by(by: Iterable[str], columns: frozenset[str]) -> list[str]:
    """The group keys, each once; an error names a key that is no column of the input."""
    by = list(dict.fromkeys(by))
    visible = sorted(c for c in columns if not is_internal(c))
    for key in by:
        if key not in columns or is_internal(key):
            raise UsageError(f"cannot group by '{key}': no such column ({suggest(key, visible)})")
    if PERIOD_COLUMN in by:
        raise UsageError("'period' is reserved for --period; rename that column with --map")
    return by


def period_of(timestamp: pl.Expr, period: str, timezone: str) -> pl.Expr:
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
