"""The metrics core: one module per KPI, each with its formula in the docstring and a pure
function from parameters to polars aggregation expressions.

Nothing here reads files, prints or parses configuration. :data:`REGISTRY` lists the KPIs in the
catalog's order.
"""

from __future__ import annotations

from types import ModuleType

from supportkpi.metrics import (
    abandonment_rate,
    acw_time,
    aht,
    asa,
    backlog,
    ces,
    complaint_share,
    conversion_rate,
    cost_per_contact,
    csat,
    escalation_rate,
    fcr_rate,
    first_response_time,
    hold_time,
    mention_volume,
    negative_share,
    net_sentiment,
    nps,
    qa_score,
    reach_weighted_negative_share,
    reopen_rate,
    resolution_rate,
    resolution_time,
    review_rating,
    service_level,
    social_response_rate,
    social_response_time,
    talk_time,
    ticket_volume,
    transfer_rate,
)
from supportkpi.metrics._base import Context, KpiInfo, Measure, NotAvailable

_MODULES: tuple[ModuleType, ...] = (
    ticket_volume,
    first_response_time,
    resolution_time,
    resolution_rate,
    reopen_rate,
    fcr_rate,
    backlog,
    escalation_rate,
    transfer_rate,
    csat,
    nps,
    ces,
    qa_score,
    aht,
    talk_time,
    hold_time,
    acw_time,
    asa,
    service_level,
    abandonment_rate,
    conversion_rate,
    cost_per_contact,
    # the mentions table: social posts, comments and reviews
    mention_volume,
    negative_share,
    net_sentiment,
    reach_weighted_negative_share,
    review_rating,
    complaint_share,
    social_response_rate,
    social_response_time,
)

REGISTRY: dict[str, ModuleType] = {m.INFO.id: m for m in _MODULES}
"""KPI id -> module (with ``INFO``, ``measure(ctx, **params)`` and, for a KPI with parameters,
their model ``Params``)."""

FORECAST_DEFAULT = aht.INFO.id
"""What ``forecast`` projects when no KPI is named: the figure staffing plans depend on."""


def signed(kpi_id: str) -> bool:
    """Whether a KPI's values are shown with a sign (+12 for an NPS); false for an id that is
    not in the registry (an SLA policy's compliance)."""
    module = REGISTRY.get(kpi_id)
    return module is not None and module.INFO.signed


PARAMETERIZED: dict[str, ModuleType] = {k: m for k, m in REGISTRY.items() if hasattr(m, "Params")}
"""The KPIs with parameters in kpi.yaml (``kpis.<id>``): their module's ``Params`` model holds
the defaults and the validation."""


__all__ = ["FORECAST_DEFAULT", "PARAMETERIZED", "REGISTRY", "Context", "KpiInfo", "Measure", "NotAvailable", "signed"]
