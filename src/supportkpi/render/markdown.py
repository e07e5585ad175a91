"""Markdown view: the CSV view's rows as a pipe table, numbers rounded for reading."""

from __future__ import annotations

from supportkpi.render.csv import table
from supportkpi.render.text import markdown_cell
from supportkpi.results import ComputeResult


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return markdown_cell(value)


def render(result: ComputeResult) -> str:
    header, rows = table(result)
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---:" if h in ("value", "n", "excluded", "mean", "median", "p90") else "---" for h in header) + "|",
    ]
    lines += [
        "| " + " | ".join(_cell(v) for v in row) + " |" for row in rows if row[header.index("kpi")] != "data_quality"
    ]
    lines += ["", "**Data quality:** " + ("no findings" if not result.findings else "")]
    lines += [f"- {_cell(f.message())}" for f in result.findings]
    return "\n".join(lines) + "\n"
