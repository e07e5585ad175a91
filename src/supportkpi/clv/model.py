"""What a CLV run returns: the segments of customers and the counts behind them (definitions
in :mod:`supportkpi.clv`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from supportkpi.clv.orders import DATA_ERRORS

DAYS_PER_YEAR = 365.25
CONTACTED, NOT_CONTACTED = "contacted", "not contacted"
SATISFIED, NOT_SATISFIED, NO_SURVEY = "satisfied", "not satisfied", "no survey"
FCR_YES, FCR_NO, NO_RESOLVED = "resolved first contact", "not resolved first contact", "no resolved contact"
ALL = "all customers"

FAMILIES: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
    ("all", (ALL,), None),
    ("contact", (CONTACTED, NOT_CONTACTED), NOT_CONTACTED),
    ("csat", (SATISFIED, NOT_SATISFIED, NO_SURVEY), NOT_SATISFIED),
    ("fcr", (FCR_YES, FCR_NO, NO_RESOLVED), FCR_NO),
)
"""Family id, its segments in display order, its reference segment."""


@dataclass
class Segment:
    family: str
    segment: str
    reference: str | None
    """The segment of the family this one is compared with (None: it is the reference)."""
    customers: int
    orders: int
    revenue: float
    customer_years: float
    aov: float | None
    frequency: float | None
    """Purchases per customer per year."""
    repeat_rate: float | None
    """% of customers with 2+ orders."""
    clv: float | None
    clv_vs_reference_pct: float | None
    few_customers: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ClvResult:
    segments: list[Segment]
    lifespan_years: float
    margin: float
    after_contact: bool
    window_start: datetime | None
    window_end: datetime | None
    years_observed: float | None
    satisfied_min: float
    csat_scale: tuple[float, float]
    fcr_definition: str
    min_customers: int
    orders_read: int
    orders_used: int
    orders_excluded: dict[str, int] = field(default_factory=dict)
    """Orders left out per reason (zero counts are not listed)."""
    orders_before_contact: int = 0
    """With ``after_contact``: orders of contacted customers placed before their first contact."""
    customers_contact_after_orders: int = 0
    """With ``after_contact``: customers left out because their first contact is at or after the
    last order of the table."""
    contacts_read: int = 0
    contacts_excluded: dict[str, int] = field(default_factory=dict)
    """Contacts left out (duplicates, no customer_id) and survey answers not counted."""
    contacted_without_orders: int = 0
    """Customers in the contacts with no order that counts: not in any segment."""
    unavailable: dict[str, list[str]] = field(default_factory=dict)
    """Families the contacts cannot support -> the columns they need."""
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """First orders left out per reason: ``{"row": data row (1-based), "value": raw value}``."""

    @property
    def data_errors(self) -> int:
        return sum(n for reason, n in self.orders_excluded.items() if reason in DATA_ERRORS)

    def segment(self, family: str, name: str) -> Segment:
        for item in self.segments:
            if item.family == family and item.segment == name:
                return item
        raise KeyError((family, name))

    def notes(self) -> list[str]:
        """Plain-words caveats of this run (short window, small segments, missing columns)."""
        out = []
        if self.years_observed is None:
            out.append("no order counts: nothing to compute")
        elif self.years_observed == 0:
            out.append("all orders fall on one instant: purchases per year cannot be computed")
        elif self.years_observed * DAYS_PER_YEAR < 365:
            days = self.years_observed * DAYS_PER_YEAR
            out.append(f"the orders cover only {days:.0f} days: yearly figures are extrapolated")
        few = [s.segment for s in self.segments if s.few_customers and s.customers]
        if few:
            out.append(
                f"fewer than {self.min_customers} customers in: {', '.join(dict.fromkeys(few))} "
                "(too few to tell a difference)"
            )
        for family, needs in self.unavailable.items():
            out.append(f"{family} split not available (needs {', '.join(needs)})")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "kpi": "clv",
            "unit": "orders' currency",
            "formula": "aov * frequency_per_year * lifespan_years * margin",
            "lifespan_years": self.lifespan_years,
            "margin": self.margin,
            "after_contact": self.after_contact,
            "window": {
                "start": _iso(self.window_start),
                "end": _iso(self.window_end),
                "years_observed": self.years_observed,
            },
            "csat": {
                "satisfied_min": self.satisfied_min,
                "scale": list(self.csat_scale),
                "rule": "last answered survey",
            },
            "fcr": {"definition": self.fcr_definition, "rule": "last resolved contact"},
            "min_customers": self.min_customers,
            "segments": [s.to_dict() for s in self.segments],
            "orders": {
                "read": self.orders_read,
                "used": self.orders_used,
                "excluded": dict(self.orders_excluded),
                "examples": {k: list(v) for k, v in self.examples.items()},
                "before_first_contact": self.orders_before_contact,
            },
            "contacts": {
                "read": self.contacts_read,
                "excluded": dict(self.contacts_excluded),
                "customers_without_orders": self.contacted_without_orders,
                "customers_contact_after_orders": self.customers_contact_after_orders,
            },
            "unavailable": {k: list(v) for k, v in self.unavailable.items()},
            "notes": self.notes(),
        }


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")
