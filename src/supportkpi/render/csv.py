"""CSV view: one row per group and KPI, the numbers at full precision, then one row per
data-quality finding (``kpi`` = ``data_quality``, ``value`` = rows affected).

Safe to open in a spreadsheet (see :mod:`supportkpi.render.tabular`).
"""

from __future__ import annotations

from supportkpi.render.tabular import csv_text
from supportkpi.render.text import kpi_rows
from supportkpi.results import ComputeResult

STATS = ("mean", "median", "p90")


def table(result: ComputeResult) -> tuple[list[str], list[list[object]]]:
    """Header and rows shared by the CSV and Markdown views."""
    keys = list(result.groups[0].keys) if result.groups else [*result.by]
    header = [*keys, "kpi", "value", "unit", "n", "excluded", "excluded_detail", *STATS, "variant", "status"]
    rows: list[list[object]] = []
    for group, kpi in kpi_rows(result):
        detail = "; ".join(f"{reason}: {count}" for reason, count in kpi.excluded.items() if count)
        rows.append(
            [
                *(group.keys.get(k) for k in keys),
                kpi.id,
                kpi.value,
                kpi.unit,
                kpi.n,
                sum(kpi.excluded.values()),
                detail,
                *(kpi.stats.get(s) for s in STATS),
                kpi.variant,
                kpi.status,
            ]
        )
    # data-quality findings as rows of their own, so the counts travel with the numbers
    for finding in result.findings:
        detail = finding.message().split(": ", 1)[1]
        row: list[object] = [None] * len(header)
        row[header.index("kpi")] = "data_quality"
        row[header.index("value")] = finding.count
        row[header.index("unit")] = "rows"
        row[header.index("excluded_detail")] = detail
        row[header.index("status")] = "finding"
        rows.append(row)
    return header, rows


def render(result: ComputeResult) -> str:
    return csv_text(*table(result))
