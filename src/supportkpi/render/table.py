"""Rich table view. Several groups are shown side by side (:mod:`supportkpi.render.side_by_side`)
when they fit the width; otherwise, and with ``--layout long``, one table per group, one row per
KPI, readable on a 100-column terminal.

KPIs the data cannot support are listed under the tables with the columns they need, rather
than as rows of blanks."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from supportkpi.render import side_by_side
from supportkpi.render.formatting import count, printable
from supportkpi.render.text import excluded_text, format_value, group_title, notes
from supportkpi.results import ComputeResult, Group


def view(result: ComputeResult, layout: str, width: int) -> list:
    """The tables in the ``layout`` asked for (``auto``, ``wide`` or ``long``), ``auto`` judged
    for a console ``width`` columns wide."""
    if layout == "auto" and len(result.groups) > 1:
        layout = "wide" if side_by_side.fits(result, width) else "long"
    return tables(result, wide_width=width if layout == "wide" and result.groups else None)


def tables(result: ComputeResult, *, wide_width: int | None = None) -> list:
    """The tables (side by side, for a console of ``wide_width`` columns, when given), then
    one line naming the KPIs the data cannot support (the same for every group, since it
    depends only on the columns), then the data-quality findings."""
    if wide_width is not None:
        out: list = side_by_side.renderables(result, wide_width)
    else:
        out = [_group_table(result, g) for g in result.groups]
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
