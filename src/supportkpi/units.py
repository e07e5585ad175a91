"""Target levels with units: ``4h``, ``15 min``, ``90s``, ``95%``, or a number in the KPI's
unit, as kpi.yaml and benchmark files write them."""

from __future__ import annotations

import re
from typing import Annotated, overload

from pydantic import Field, Strict, StringConstraints

_LEVEL = r"^\s*([-+]?\d+(?:\.\d+)?)\s*(s|sec|secs|seconds|m|min|mins|minutes|h|hr|hrs|hours|d|days|%)?\s*$"
Level = (
    Annotated[int, Strict()]
    | Annotated[float, Strict(), Field(allow_inf_nan=False)]
    | Annotated[str, StringConstraints(pattern=_LEVEL)]
)
"""A target level: a number in the KPI's unit (hours for ticket durations, seconds for call
durations, % for rates), or a duration with its unit ("90s", "15 min", "4h", "1d")."""

_TO_SECONDS = {
    "s": 1,
    "sec": 1,
    "secs": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "mins": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hours": 3600,
    "d": 86400,
    "days": 86400,
}


@overload
def level_in_unit(level: float | str, unit: str) -> float: ...
@overload
def level_in_unit(level: None, unit: str) -> None: ...
@overload
def level_in_unit(level: float | str | None, unit: str) -> float | None: ...
def level_in_unit(level: float | str | None, unit: str) -> float | None:
    """A level in the KPI's unit: ``level_in_unit("15 min", "hours") == 0.25``.

    >>> level_in_unit("90s", "seconds"), level_in_unit("4h", "hours"), level_in_unit(95, "%")
    (90.0, 4.0, 95.0)
    """
    if level is None or isinstance(level, (int, float)):
        return None if level is None else float(level)
    match = re.match(_LEVEL, level)
    if match is None:  # kpi.yaml and benchmark files validate their levels: only a direct call gets here
        raise ValueError(f"'{level}' is not a level: a number, or a number and a unit (90s, 15 min, 4h, 95%)")
    number, suffix = float(match.group(1)), match.group(2)
    if not suffix:
        return number
    if suffix == "%":
        if unit != "%":
            raise ValueError(f"'{level}': a percentage, but this KPI is measured in {unit}")
        return number
    if unit not in ("hours", "seconds"):
        raise ValueError(f"'{level}': a duration, but this KPI is measured in {unit}")
    return number * _TO_SECONDS[suffix] / (3600 if unit == "hours" else 1)
