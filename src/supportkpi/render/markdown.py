"""Markdown view. Several groups side by side (:mod:`supportkpi.render.side_by_side`) when a
table has at most ``MARKDOWN_COLUMNS`` of them; otherwise, and with ``layout="long"``, the CSV
view's rows as a pipe table, numbers rounded for reading and durations in their readable form
(``3 h 20 min``, ``8:31``)."""

from __future__ import annotations

from supportkpi.render import side_by_side
from supportkpi.render.csv import STATS, table
from supportkpi.render.durations import is_duration
from supportkpi.render.formatting import format_measure, rounded
from supportkpi.render.tabular import markdown_cell, markdown_table
from supportkpi.results import ComputeResult

NUMERIC = {"value", "n", "excluded", *STATS}


def _cell(value: object) -> str:
    return rounded(value) if isinstance(value, float) else markdown_cell(value)


def render(result: ComputeResult, layout: str = "auto") -> str:
    """The result as Markdown, in the ``layout`` asked for (``auto``, ``wide`` or ``long``)."""
    wide = result.groups and side_by_side.layout(result, layout, side_by_side.markdown_fits(result)) == "wide"
    lines = side_by_side.markdown(result) if wide else _long(result)
    if wide and result.groups:
        kpis = result.groups[0].kpis
        missing = [f"{k.id} (needs {', '.join(k.needs)})" for k in (kpis[i] for i in result.kpi_ids) if not k.available]
        if missing:
            lines += [f"**Not available:** {markdown_cell('; '.join(missing))}", ""]
    else:
        lines.append("")
    lines += ["**Data quality:** " + ("no findings" if not result.findings else "")]
    lines += [f"- {_cell(f.message())}" for f in result.findings]
    return "\n".join(lines) + "\n"


def _long(result: ComputeResult) -> list[str]:
    header, rows = table(result)
    kpi, unit = header.index("kpi"), header.index("unit")
    durations = [i for i, name in enumerate(header) if name in ("value", *STATS)]
    for row in rows:
        row_unit, values = row[unit], [row[i] for i in durations]
        if isinstance(row_unit, str) and is_duration(row_unit):
            for i, value in zip(durations, values):
                row[i] = format_measure(value, row_unit) if isinstance(value, (int, float)) else value
    return markdown_table(
        header,
        (row for row in rows if row[kpi] != "data_quality"),
        right={i for i, name in enumerate(header) if name in NUMERIC},
        cell=_cell,
    )
