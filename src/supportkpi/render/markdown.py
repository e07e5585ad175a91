"""Markdown view: the CSV view's rows as a pipe table, numbers rounded for reading."""

from __future__ import annotations

from supportkpi.render.csv import STATS, table
from supportkpi.render.formatting import rounded
from supportkpi.render.tabular import markdown_cell, markdown_table
from supportkpi.results import ComputeResult

NUMERIC = {"value", "n", "excluded", *STATS}


def _cell(value: object) -> str:
    return rounded(value) if isinstance(value, float) else markdown_cell(value)


def render(result: ComputeResult) -> str:
    header, rows = table(result)
    kpi = header.index("kpi")
    lines = markdown_table(
        header,
        (row for row in rows if row[kpi] != "data_quality"),
        right={i for i, name in enumerate(header) if name in NUMERIC},
        cell=_cell,
    )
    lines += ["", "**Data quality:** " + ("no findings" if not result.findings else "")]
    lines += [f"- {_cell(f.message())}" for f in result.findings]
    return "\n".join(lines) + "\n"
