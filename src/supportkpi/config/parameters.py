"""The keyword parameters of each KPI for a run: kpi.yaml's ``kpis`` section, the vendors'
pricing, and the clock chosen on the command line (``--hours``)."""

from __future__ import annotations

from typing import Any

from supportkpi.config.schema import Config
from supportkpi.errors import UsageError
from supportkpi.metrics import REGISTRY

CLOCKS = ("calendar", "business")


def kpi_params(settings: Config, hours: str | None) -> dict[str, dict[str, Any]]:
    """kpi.yaml's KPI parameters, with ``hours`` (``--hours``: calendar or business; None keeps
    kpi.yaml's) setting the clock of every KPI that has one."""
    params = settings.kpi_parameters()
    if hours is not None:
        if hours not in CLOCKS:
            raise UsageError(f"--hours '{hours}': expected calendar or business")
        for kpi_id, module in REGISTRY.items():
            if module.INFO.business_clock:
                params[kpi_id]["clock"] = hours
    return params
