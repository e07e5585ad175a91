"""Rich table view: one table per group, one row per KPI, readable on a 100-column terminal.

KPIs the data cannot support are listed under the table with the columns they need, rather than
as rows of blanks."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from supportkpi.render.formatting import count, printable
from supportkpi.render.text import excluded_text, format_value, group_title, notes
from supportkpi.results import ComputeResult, Group


def tables(result: ComputeResult) -> list:
    """The tables, then one line naming the KPIs the data cannot support (the same for every
    group, since it depends only on the columns)."""
    out: list = [_group_table(result, group) for group in result.groups]
    if result.groups:
        kpis = result.groups[0].kpis
        missing = [f"{k.id} (needs {', '.join(k.needs)})" for k in (kpis[i] for i in result.kpi_ids) if not k.available]
        if missing:
            out.append(Text("Not available: " + "; ".join(missing), style="dim"))
    if result.findings:
        lines = "\n".join(f"  {printable(f.message(), one_line=True)}" for f in result.findings)
        out.append(Text("Data quality:\n" + lines))
    else:
        out.append(Text("Data quality: no findings", style="dim"))
    return out


def _group_table(result: ComputeResult, group: Group) -> Table:
    table = Table(title=Text(group_title(group)), title_justify="left", title_style="bold")
    table.add_column("KPI", no_wrap=True)
    table.add_column("Value", justify="right", no_wrap=True)
    table.add_column("n", justify="right", no_wrap=True)
    table.add_column("Left out", overflow="fold", max_width=26)
    table.add_column("Notes", overflow="fold", max_width=30)
    for kpi_id in result.kpi_ids:
        kpi = group.kpis[kpi_id]
        if not kpi.available:
            continue
        table.add_row(
            kpi.title,
            format_value(kpi),
            count(kpi.n),
            excluded_text(kpi),
            notes(kpi),
            style="dim" if kpi.value is None else None,
        )
    return table
