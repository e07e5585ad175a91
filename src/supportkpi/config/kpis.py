"""The ``kpis`` section of kpi.yaml: the parameters of each KPI, keyed by KPI id.

Each KPI with parameters has them in its own module as a pydantic ``Params`` model (defaults
and validation in one place, :data:`supportkpi.metrics.PARAMETERIZED`); this section is built
from those models, plus the assumptions of ``supportkpi clv``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import Field, create_model, model_validator

from supportkpi.metrics import PARAMETERIZED
from supportkpi.params import SHARED, StrictModel


class ClvParams(StrictModel):
    """Customer lifetime value (``supportkpi clv``): the expected customer lifespan and the
    margin (1 = revenue CLV)."""

    lifespan_years: float = Field(3.0, gt=0, le=100, allow_inf_nan=False)
    margin: float = Field(1.0, gt=0, le=1, allow_inf_nan=False)


def shared_parameters() -> dict[str, tuple[str, list[str]]]:
    """Parameter name -> (what it is, the KPIs that share it), for the parameters marked
    :data:`supportkpi.params.SHARED` in the KPIs' ``Params``."""
    shared: dict[str, tuple[str, list[str]]] = {}
    for kpi_id, module in PARAMETERIZED.items():
        for name, field in module.Params.model_fields.items():
            extra = field.json_schema_extra
            if isinstance(extra, dict) and SHARED in extra:
                shared.setdefault(name, (str(extra[SHARED]), []))[1].append(kpi_id)
    return shared


class _Section(StrictModel):
    if TYPE_CHECKING:
        # the fields, one per KPI id, are made at run time (KpiParams below)
        def __getattr__(self, kpi_id: str) -> Any: ...

    @model_validator(mode="after")
    def _share(self) -> Any:
        """A parameter shared by several KPIs (the catalog has one short-abandon threshold, for
        service level and abandonment rate): set under one KPI, it is set for all; setting
        different values is an error."""
        for name, (what, kpi_ids) in shared_parameters().items():
            given = [k for k in kpi_ids if name in getattr(self, k).model_fields_set]
            if not given:
                continue
            values = [getattr(getattr(self, k), name) for k in given]
            if len(set(values)) > 1:
                differ = [k for k in given if getattr(getattr(self, k), name) != values[0]]
                raise ValueError(
                    f"{given[0]}.{name} and {differ[0]}.{name} differ; the catalog has one {what} (set it once)"
                )
            for kpi_id in kpi_ids:
                if kpi_id not in given:
                    params = getattr(self, kpi_id)
                    object.__setattr__(self, kpi_id, params.model_copy(update={name: values[0]}))
        return self


_FIELDS: dict[str, Any] = {kpi_id: (module.Params, module.Params()) for kpi_id, module in PARAMETERIZED.items()}
_FIELDS["clv"] = (ClvParams, ClvParams())
KpiParams = create_model(
    "KpiParams",
    __base__=_Section,
    __doc__="Parameters of each KPI, keyed by KPI id (each its module's ``Params``), and ``clv``.",
    **_FIELDS,
)
