"""The base of every parameter model: a KPI's ``Params`` (in its module under
:mod:`supportkpi.metrics`) and the sections of kpi.yaml (:mod:`supportkpi.config`).

Unknown keys are errors and values are frozen, so that a typo in kpi.yaml is reported rather
than ignored and a run's parameters cannot change under it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Statistic = Literal["median", "mean", "p90"]
"""The statistics of a duration: the headline value is one of them, all three are reported."""


class StrictModel(BaseModel):
    # allow_inf_nan: "1e999999" (a string to YAML, infinity to a float field) is no setting
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class KpiParameters(StrictModel):
    """The base of a KPI's ``Params``: its ``kpis.<id>`` section of kpi.yaml, with defaults."""

    def direction(self, default: Literal["higher", "lower"] | None) -> Literal["higher", "lower"] | None:
        """Which way is better under these parameters (``default``: the KPI's own); a parameter
        may turn it (CES with ``higher_is_easier: false``)."""
        return default


SHARED = "shared"
"""Key of a field's ``json_schema_extra`` naming a parameter that several KPIs share (the
short-abandon threshold): set under one KPI, it applies to all of them; see
:func:`supportkpi.config.kpis.share`."""
