"""What the DuckDB and pandas workloads share (standard library only): the canonical columns of
``generate_contacts.py`` with their kinds, the KPI figures they report, and how they write them.

Results are written as JSON, one entry per (vendor, period)::

    {"groups": [{"keys": {"vendor": "Acme BPO", "period": "2025-01"},
                 "kpis": {"csat": {"value": 80.1, "n": 12345}, ...}}]}

the same nesting as ``supportkpi compute --by vendor --period month -f json``, so that
``run.py`` can compare every figure with supportkpi's.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

# Canonical contact columns, in the generator's order, with their kinds (docs/data-model.md)
COLUMNS: dict[str, str] = {
    "ticket_id": "string", "created_at": "datetime", "channel": "string", "vendor": "string",
    "agent": "string", "team": "string", "priority": "string", "status": "string",
    "customer_id": "string", "topic": "string", "first_response_at": "datetime",
    "resolved_at": "datetime", "first_response_seconds": "float", "resolution_seconds": "float",
    "reopens": "int", "agent_replies": "int", "customer_contacts": "int", "transfers": "int",
    "escalated": "bool", "csat": "float", "nps": "float", "ces": "float", "qa_score": "float",
    "answered_at": "datetime", "abandoned": "bool", "wait_seconds": "float",
    "talk_seconds": "float", "hold_seconds": "float", "acw_seconds": "float",
    "converted": "bool", "order_value": "float",
}  # fmt: skip

# The columns the KPIs read (the others are only carried by the file)
USED = [
    "ticket_id", "created_at", "vendor", "first_response_at", "resolved_at",
    "first_response_seconds", "resolution_seconds", "reopens", "agent_replies", "transfers",
    "escalated", "csat", "nps", "ces", "qa_score", "answered_at", "abandoned", "wait_seconds",
    "talk_seconds", "hold_seconds", "acw_seconds", "converted",
]  # fmt: skip

# KPI ids computed by the workloads: every KPI of the catalog that the data supports.
# cost_per_contact needs vendor pricing in kpi.yaml, which the benchmark has none of, so
# supportkpi reports it "not available" and no workload computes it.
DURATIONS = [  # value is the median for ticket durations, the mean for call durations
    "first_response_time", "resolution_time", "aht", "talk_time", "hold_time", "acw_time", "asa",
]  # fmt: skip
KPIS = [
    "ticket_volume", "first_response_time", "resolution_time", "resolution_rate",
    "reopen_rate", "fcr_rate", "backlog", "escalation_rate", "transfer_rate", "csat", "nps",
    "ces", "qa_score", "aht", "talk_time", "hold_time", "acw_time", "asa", "service_level",
    "abandonment_rate", "conversion_rate",
]  # fmt: skip


def _plain(value):
    if value is None:
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def write_results(path: str | Path, rows: list[dict]) -> None:
    """``rows``: one dict per group with ``vendor``, ``period`` ("YYYY-MM") and flat
    ``<kpi>__<field>`` figures; written nested as described above."""
    groups = []
    for row in rows:
        kpis: dict[str, dict] = {}
        for name, value in row.items():
            if "__" in name:
                kpi, field = name.split("__", 1)
                kpis.setdefault(kpi, {})[field] = _plain(value)
        groups.append({"keys": {"vendor": row["vendor"], "period": row["period"]}, "kpis": kpis})
    Path(path).write_text(json.dumps({"groups": groups}, indent=1) + "\n")
