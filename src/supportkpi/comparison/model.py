"""What a comparison returns: each KPI's sides, the pairs tested against the baseline, and the
run's parameters."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, get_args

from supportkpi import __version__
from supportkpi.metrics import REGISTRY, KpiInfo, sla_compliance
from supportkpi.metrics._base import Test
from supportkpi.results import ComputeResult

PROPORTION, NPS, MEAN, BY_STATISTIC, COUNT, NO_TEST = get_args(Test)
"""The tests a KPI declares as its ``INFO.test`` (:data:`supportkpi.metrics._base.Test`);
``BY_STATISTIC``: the test follows the headline statistic (durations: mean or median)."""
MEDIAN, KAPLAN_MEIER = "median", "kaplan-meier"
"""The tests the comparison chooses itself: for a duration's median, and for the median of a
KPI that censors open tickets under ``--open censor``."""
ADJUSTMENTS = ("kpi", "run", "none")


def kpi_info(kpi_id: str) -> KpiInfo:
    """The metadata of a KPI of the registry, or of SLA compliance for ``sla_compliance.<policy>``."""
    module = REGISTRY.get(kpi_id)
    return module.INFO if module is not None else sla_compliance.INFO


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

    @property
    def info(self) -> KpiInfo:
        """The KPI's metadata (an SLA policy's compliance: :mod:`supportkpi.metrics.sla_compliance`)."""
        return kpi_info(self.kpi)

    @property
    def signed(self) -> bool:
        """Values are shown with a sign (NPS)."""
        return self.info.signed


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
