"""Plain result objects shared by the engine and every renderer, so all views show the same
numbers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import supportkpi


@dataclass
class KpiResult:
    id: str
    title: str
    unit: str
    direction: str | None
    value: float | int | None
    n: int
    excluded: dict[str, int] = field(default_factory=dict)
    stats: dict[str, float | None] = field(default_factory=dict)
    variant: str | None = None
    available: bool = True
    needs: tuple[str, ...] = ()
    sample: Sequence[float] | None = field(default=None, repr=False)
    """Per-contact values (when ``compute(samples=True)``), for statistical comparisons: a
    float array (numpy) from the engine."""

    @property
    def status(self) -> str:
        if not self.available:
            return "not available (needs " + ", ".join(f"`{c}`" for c in self.needs) + ")"
        if self.value is None:
            return "no data"
        return "ok"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "title": self.title,
            "value": self.value,
            "unit": self.unit,
            "direction": self.direction,
            "n": self.n,
            "excluded": dict(self.excluded),
        }
        out.update(self.stats)
        if self.variant is not None:
            out["variant"] = self.variant
        if not self.available:
            out["available"] = False
            out["needs"] = list(self.needs)
        out["status"] = self.status
        return out


@dataclass
class Group:
    keys: dict[str, Any]
    kpis: dict[str, KpiResult]
    undated: bool = False
    """No row of the group has a readable ``created_at``, so every one was left out of every KPI:
    its KPIs have no data and their ``excluded`` say why. With ``--period`` these rows form a
    group of their own, its period None, since they fall in no period. Judging (scorecard,
    check, compare) passes these groups over."""


@dataclass
class InputInfo:
    path: str
    format: str
    rows: int
    source: str | None = None
    confidence: float | None = None
    """Share of the preset's signature fields found, when the source was detected."""
    estimated_rows: int | None = None
    """Rows the file holds, as the loader estimated them before reading (for the engine's
    choice of memory-bounded methods); not part of any output."""
    notes: list[str] | None = None
    """What the loader did to read the file that the user should know (an envelope unwrapped,
    tables joined on); None when nothing."""
    findings: list[Finding] | None = None
    """What the loader found about the file as a whole (a column it could not take, a mapping
    its header contradicts), reported as findings over the file's rows."""


@dataclass
class LeftOut:
    """The rows read and those no KPI could use ("left out of every KPI": an unreadable or
    missing ``created_at``, a repeated ``ticket_id``, ...), per reason. A row with several
    reasons is counted once in ``left_out`` and under each of its reasons."""

    rows: int
    left_out: int
    reasons: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Per reason, the first rows (file, row, value) where the findings name them."""

    @property
    def used(self) -> int:
        return self.rows - self.left_out

    @property
    def share(self) -> float:
        """The share of the rows read that was left out (0 when nothing was read)."""
        return self.left_out / self.rows if self.rows else 0.0


LEFT_OUT_WARNING = "most rows left out of every KPI"
"""The kind of the finding that warns of a left-out share above the run's threshold: a warning
about the run, not one more data error (its rows are counted by the findings of their reasons)."""


@dataclass
class Finding:
    """A data-quality finding: what is wrong, where, how often, and what was expected."""

    kind: str
    count: int
    column: str | None = None
    expected: str | None = None
    effect: str | None = None
    examples: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_error(self) -> bool:
        return self.kind not in ("note", LEFT_OUT_WARNING)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, [])}

    def message(self) -> str:
        what = f"{self.count} row(s): {self.kind}"
        if self.column:
            what += f" in column '{self.column}'"
        if self.expected:
            what += f" (expected {self.expected})"
        if self.effect:
            what += f"; {self.effect}"
        return what


@dataclass
class ComputeResult:
    groups: list[Group]
    by: list[str]
    period: str | None
    timezone: str
    as_of: datetime | None
    inputs: list[InputInfo] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    kpi_ids: list[str] = field(default_factory=list)
    left_out: LeftOut | None = None
    """The rows read and those left out of every KPI (None when not counted)."""
    table: str = "contacts"
    """The canonical table these KPIs were computed over (``contacts`` or ``mentions``)."""
    mentions: ComputeResult | None = None
    """A run that read contact and mentions exports: the mentions section (its own groups,
    inputs and findings)."""

    @property
    def data_errors(self) -> int:
        return sum(f.count for f in self.findings if f.is_error)

    @property
    def judged_groups(self) -> list[Group]:
        """The groups there is something to judge or compare in: all but those made only of
        rows without a date (:attr:`Group.undated`), whose left-out rows the views show."""
        return [g for g in self.groups if not g.undated]

    def to_dict(self) -> dict[str, Any]:
        return {
            "supportkpi_version": supportkpi.__version__,
            "parameters": {
                "by": self.by,
                "period": self.period,
                "timezone": self.timezone,
                "as_of": self.as_of.isoformat() if self.as_of else None,
            },
            "inputs": [
                {k: v for k, v in asdict(i).items() if v is not None and k not in ("estimated_rows", "findings")}
                for i in self.inputs
            ],
            "groups": [{"keys": g.keys, "kpis": {k: r.to_dict() for k, r in g.kpis.items()}} for g in self.groups],
            "data_quality": {
                "errors": self.data_errors,
                "findings": [f.to_dict() for f in self.findings],
            },
            # only where mentions are involved: a contacts-only document is as it always was
            **({"table": self.table} if self.table != "contacts" else {}),
            **({"mentions": self.mentions.to_dict()} if self.mentions is not None else {}),
        }
