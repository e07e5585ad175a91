"""The groups of a run side by side: one table with the KPIs down and the groups across, each
cell the value and, under it, its n (what the value was computed on; a count is its own n and
shows none). What varies between the KPIs but not between the columns (the statistic or variant)
and the rows left out, per reason and column, come in a short block under the table.

With ``--period`` and ``--by``, one table per period with the groups across; with ``--period``
alone (or a ``--by`` that finds one group), the periods are the columns (:func:`sections`). The
terminal view (:func:`renderables`) is chosen when every table fits the console's width
(:func:`fits`), the Markdown view (:func:`markdown`) when a table has at most
:data:`MARKDOWN_COLUMNS` columns; otherwise the long layout (one table per group) is shown.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from supportkpi.engine import PERIOD_COLUMN
from supportkpi.metrics import REGISTRY
from supportkpi.render.formatting import count, printable
from supportkpi.render.tabular import markdown_cell, markdown_table
from supportkpi.render.text import format_value, group_title, one_line, rows_noun
from supportkpi.results import ComputeResult, Group, KpiResult

MARKDOWN_COLUMNS = 8
"""Markdown has no width to fit: a side-by-side table has at most this many groups (a page's
width of columns), else the long layout is written."""


@dataclass
class Section:
    """One side-by-side table: its title and its columns (groups)."""

    title: str
    groups: list[Group]
    names: list[str]
    """Each column's header: the values of the group's keys (its period aside when the tables
    are per period), one per line."""


def _period(period: object) -> str:
    """A period's name; rows without a date have none."""
    return "(none)" if period is None else str(period)


def sections(result: ComputeResult) -> list[Section]:
    """The tables of the wide layout: with periods and several series (groups but for their
    period), one table per period, in their order; with periods and one series, the periods
    across; else one table of every group."""
    series = {tuple((k, v) for k, v in g.keys.items() if k != PERIOD_COLUMN) for g in result.groups}
    if result.period and len(series) > 1 and any(k != PERIOD_COLUMN for k in result.by):
        tables: dict[str | None, list[Group]] = defaultdict(list)
        for group in result.groups:
            tables[group.keys.get(PERIOD_COLUMN)].append(group)
        # rows without a date (no period) last, in a table of their own
        order = sorted(tables, key=lambda p: (p is None, str(p)))
        return [
            Section(
                f"{PERIOD_COLUMN} {_period(p)}",
                tables[p],
                [_column_name(g, leave_out=PERIOD_COLUMN) for g in tables[p]],
            )
            for p in order
        ]
    if result.period and len(series) == 1 and any(series):
        title = group_title(Group(keys=dict(next(iter(series))), kpis={}))
        return [Section(title, result.groups, [_period(g.keys.get(PERIOD_COLUMN)) for g in result.groups])]
    title = "KPIs by " + " · ".join(result.by or [PERIOD_COLUMN])
    return [Section(title, result.groups, [_column_name(g, leave_out=None) for g in result.groups])]


def layout(result: ComputeResult, asked: str, fits: bool) -> str:
    """``wide`` or ``long``: as asked, or with ``auto`` wide when there are several groups and
    ``fits`` (the wide tables fit the width)."""
    if asked != "auto":
        return asked
    return "wide" if len(result.groups) > 1 and fits else "long"


def markdown_fits(result: ComputeResult) -> bool:
    return all(len(s.groups) <= MARKDOWN_COLUMNS for s in sections(result))


def shown_kpis(result: ComputeResult) -> list[str]:
    """The KPIs with a row: those available in some group (the others are listed apart)."""
    return [k for k in result.kpi_ids if any(g.kpis[k].available for g in result.groups)]


def shows_n(kpi: KpiResult) -> bool:
    """Whether the cell shows its n: not for a count, which is its own n."""
    module = REGISTRY.get(kpi.id)
    return module is None or module.INFO.kind != "count"


def cell(kpi: KpiResult) -> tuple[str, str | None]:
    """A cell's value and its n ("n 548"; None for a count or a KPI not available)."""
    if not kpi.available:
        return "n/a", None
    return format_value(kpi), f"n {count(kpi.n)}" if shows_n(kpi) else None


def variants(result: ComputeResult, kpi_ids: Iterable[str]) -> list[tuple[str, list[str]]]:
    """(the statistic or variant, the KPIs measured so), in the order of the KPIs: what the
    long layout's notes say the same in every group."""
    out: dict[str, list[str]] = {}
    for kpi_id in kpi_ids:
        seen = {g.kpis[kpi_id].variant for g in result.groups if g.kpis[kpi_id].available}
        seen.discard(None)
        if seen:
            text = " | ".join(sorted(str(v) for v in seen))
            out.setdefault(text, []).append(_title(result, kpi_id))
    return list(out.items())


def left_out(section: Section, kpi_ids: Sequence[str]) -> list[tuple[str, list[int], list[str]]]:
    """(reason, the rows left out for it per column, the KPIs that left them out), one entry per
    reason and set of counts: KPIs that leave out the same rows are named together."""
    out: dict[tuple[str, tuple[int, ...]], list[str]] = {}
    for kpi_id in kpi_ids:
        reasons = dict.fromkeys(r for g in section.groups for r in g.kpis[kpi_id].excluded)
        for reason in reasons:
            counts = tuple(g.kpis[kpi_id].excluded.get(reason, 0) for g in section.groups)
            if any(counts):
                out.setdefault((reason, counts), []).append(section.groups[0].kpis[kpi_id].title)
    # rows left out before the pass (unreadable dates, repeats) are in every KPI: say so once
    every = len(kpi_ids) > 1
    return [
        (reason, list(counts), ["every KPI"] if every and len(titles) == len(kpi_ids) else titles)
        for (reason, counts), titles in out.items()
    ]


# -- the terminal ---------------------------------------------------------------------------

_BORDERS = 4
"""Characters a Rich table adds to the KPI column: the left border, padding, a border."""
_PER_COLUMN = 3
"""Characters a Rich table adds to each group's column: padding and a border."""


def renderables(result: ComputeResult, width: int) -> list:
    """The side-by-side tables for a console ``width`` columns wide (KPI titles wrapped at
    their spaces where needed), each with its block of left-out rows, then the variants."""
    from rich.text import Text

    kpi_ids = shown_kpis(result)
    out: list = []
    for section in sections(result):
        out.append(_table(result, section, kpi_ids, width))
        rows = left_out(section, kpi_ids)
        if rows:
            out.append(Text(printable(f"Left out ({' / '.join(_flat(n) for n in section.names)}):")))
            out.append(_block([(f"{reason} {' / '.join(count(n) for n in counts)}", t) for reason, counts, t in rows]))
    notes = variants(result, kpi_ids)
    if notes:
        out += [Text("Measured as:", style="dim"), _block(notes, style="dim")]
    return out


def fits(result: ComputeResult, width: int) -> bool:
    """Whether every side-by-side table fits ``width`` columns with no value cut and no word
    of a KPI's title broken."""
    kpi_ids = shown_kpis(result)
    return all(_fit(result, s, kpi_ids, width) is not None for s in sections(result))


def _block(rows: list[tuple[str, list[str]]], style: str = ""):
    """Lines of "what: KPIs", indented, a long line wrapped under its indent."""
    from rich.console import Group as Lines
    from rich.padding import Padding
    from rich.text import Text

    return Lines(
        *(Padding(Text(printable(f"{what}: {', '.join(titles)}"), style=style), (0, 0, 0, 2)) for what, titles in rows)
    )


Columns = list[tuple[str, list[tuple[str, str | None]]]]
"""Per group: its header and its cells (value, n)."""


def _columns(section: Section, kpi_ids: list[str], *, wrap: bool) -> Columns:
    """Per group: its header (with ``wrap``, wrapped at spaces to its widest cell) and its
    cells."""
    from rich.cells import cell_len

    out = []
    for name, group in zip(section.names, section.groups):
        cells = [cell(group.kpis[k]) for k in kpi_ids]
        widest = max((cell_len(t) for value, n in cells for t in (value, n or "")), default=0)
        out.append((_wrap(name, widest) if wrap else name, cells))
    return out


def _fit(result: ComputeResult, section: Section, kpi_ids: list[str], width: int) -> tuple[Columns, int] | None:
    """The columns and the KPI titles' width that fit ``width``, in this order of preference:
    nothing wrapped; the groups' names wrapped at their spaces; the KPI titles too. None when
    not even the longest word of a title fits."""
    from rich.cells import cell_len

    titles = [_title(result, k) for k in kpi_ids] or ["KPI"]
    longest = max(cell_len(t) for t in titles)
    longest_word = max(cell_len(w) for t in titles for w in [*t.split(), "KPI"])
    for wrap, least in ((False, longest), (True, longest), (True, longest_word)):
        columns = _columns(section, kpi_ids, wrap=wrap)
        used = sum(
            max(cell_len(x) for x in [*header.splitlines(), *(t for v, n in cells for t in (v, n or ""))]) + _PER_COLUMN
            for header, cells in columns
        )
        room = width - used - _BORDERS
        if room >= least:
            return columns, min(room, longest)
    return None


def _table(result: ComputeResult, section: Section, kpi_ids: list[str], width: int):
    from rich.table import Table
    from rich.text import Text

    columns, title_width = _fit(result, section, kpi_ids, width) or (
        _columns(section, kpi_ids, wrap=True),
        max(len(_title(result, k)) for k in kpi_ids),
    )
    table = Table(title=Text(printable(section.title)), title_justify="left", title_style="bold")
    table.add_column("KPI", no_wrap=True)
    for header, _ in columns:
        table.add_column(Text(printable(header)), justify="right", no_wrap=True)
    for row, kpi_id in enumerate(kpi_ids):
        texts = []
        for group, (_, cells) in zip(section.groups, columns):
            value, n = cells[row]
            text = Text(value, style="dim" if group.kpis[kpi_id].value is None else "")
            if n is not None:
                text.append("\n" + n, style="dim")
            texts.append(text)
        table.add_row("\n".join(textwrap.wrap(_title(result, kpi_id), title_width)), *texts)
    return table


def _wrap(name: str, width: int) -> str:
    """A column's header wrapped at its spaces to the width of its widest cell (a long vendor
    name must not widen the table); a word longer than that stays whole."""
    return "\n".join(
        "\n".join(textwrap.wrap(line, max(width, 1), break_long_words=False) or [line]) for line in name.splitlines()
    )


# -- Markdown -------------------------------------------------------------------------------


def markdown(result: ComputeResult) -> list[str]:
    """The side-by-side tables as Markdown lines, each with its left-out rows, then the
    variants (the caller adds what is not available and the data-quality findings)."""
    kpi_ids = shown_kpis(result)
    lines: list[str] = []
    for section in sections(result):
        lines += [f"### {markdown_cell(section.title)}", ""]
        header = ["KPI", *(_flat(name) for name in section.names)]
        rows = []
        for kpi_id in kpi_ids:
            cells = [cell(g.kpis[kpi_id]) for g in section.groups]
            rows.append([_title(result, kpi_id), *(v if n is None else f"{v} ({n})" for v, n in cells)])
        lines += markdown_table(header, rows, right=set(range(1, len(header))))
        rows_out = left_out(section, kpi_ids)
        if rows_out:
            lines += ["", f"**Left out** ({markdown_cell(' / '.join(header[1:]))}):", ""]
            lines += [
                f"- {markdown_cell(reason)} {' / '.join(count(n) for n in counts)}: {markdown_cell(', '.join(t))}"
                for reason, counts, t in rows_out
            ]
        lines.append("")
    notes = variants(result, kpi_ids)
    if notes:
        lines += ["**Measured as:**", ""]
        lines += [f"- {markdown_cell(v)}: {markdown_cell(', '.join(t))}" for v, t in notes]
        lines.append("")
    return lines


def _title(result: ComputeResult, kpi_id: str) -> str:
    return next(g.kpis[kpi_id].title for g in result.groups)


def _column_name(group: Group, leave_out: str | None) -> str:
    values = ["(none)" if v is None else one_line(str(v)) for k, v in group.keys.items() if k != leave_out]
    return "\n".join(values) or f"All {rows_noun(group.kpis)}"


def _flat(name: str) -> str:
    """A column's header on one line."""
    return " · ".join(name.splitlines())
