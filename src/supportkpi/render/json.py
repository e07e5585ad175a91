"""JSON view: ``groups`` (``keys`` and ``kpis``), ``inputs``, ``parameters``, ``data_quality``."""

from __future__ import annotations

import json
from datetime import date, datetime

from supportkpi.results import ComputeResult


def _default(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def render(result: ComputeResult) -> str:
    return json.dumps(result.to_dict(), indent=2, default=_default, allow_nan=False) + "\n"
