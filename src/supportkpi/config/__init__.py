"""kpi.yaml: the parameters of a run, validated with pydantic.

The package is split by concern; the names other modules use are re-exported here:

* :mod:`~supportkpi.config.schema`: the models (:class:`Config` and its sections);
* :mod:`~supportkpi.config.kpis`: the ``kpis`` section, built from each KPI module's ``Params``;
* :mod:`~supportkpi.config.loading`: finding and reading the file, errors with their line;
* :mod:`~supportkpi.config.references`: names that must point at something declared;
* :mod:`~supportkpi.config.parameters`: the keyword parameters of each KPI for a run;
* :mod:`supportkpi.units` (target levels with units) and :mod:`supportkpi.suggest` (the
  "did you mean" of error messages), which modules outside configuration use too.
"""

from supportkpi.config.kpis import ClvParams, KpiParams
from supportkpi.config.loading import ENV_VAR, find_config, load_config, parse_config
from supportkpi.config.parameters import kpi_params
from supportkpi.config.references import cross_reference_errors
from supportkpi.config.schema import (
    CalendarConfig,
    Config,
    DayConfig,
    HolidaysConfig,
    SlaPolicy,
    SlaTarget,
    Target,
    TargetOverride,
    VendorConfig,
    check_timezone,
)
from supportkpi.params import Statistic
from supportkpi.suggest import suggest
from supportkpi.units import Level, level_in_unit

__all__ = [
    "ENV_VAR",
    "CalendarConfig",
    "ClvParams",
    "Config",
    "DayConfig",
    "HolidaysConfig",
    "KpiParams",
    "Level",
    "SlaPolicy",
    "SlaTarget",
    "Statistic",
    "Target",
    "TargetOverride",
    "VendorConfig",
    "check_timezone",
    "cross_reference_errors",
    "find_config",
    "kpi_params",
    "level_in_unit",
    "load_config",
    "parse_config",
    "suggest",
]
