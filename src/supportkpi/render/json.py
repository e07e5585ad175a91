"""JSON view: ``groups`` (``keys`` and ``kpis``), ``inputs``, ``parameters``, ``data_quality``."""

from __future__ import annotations

import json
from datetime import date, datetime

from supportkpi.results import ComputeResult


def _default(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dumps(document: object) -> str:
    """A view's document as JSON text (dates in ISO 8601, no NaN), as every JSON view writes it."""
    return json.dumps(document, indent=2, default=_default, allow_nan=False) + "\n"


def render(result: ComputeResult) -> str:
    return dumps(result.to_dict())
