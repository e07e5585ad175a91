"""The sections of a run that read contact and mentions exports together: the contacts
section as it always is, then the mentions section under a heading of its own, in every view.
A run of one table shows that table alone, as before."""

from __future__ import annotations

from supportkpi.render.csv import table
from supportkpi.render.tabular import csv_text
from supportkpi.results import ComputeResult

TITLES = {"contacts": "Contacts", "mentions": "Mentions (social posts, comments and reviews)"}


def sections(result: ComputeResult) -> list[ComputeResult]:
    """The result's sections, contacts first."""
    return [result] if result.mentions is None else [result, result.mentions]


def table_renderables(result: ComputeResult, layout: str = "auto", width: int = 80) -> list:
    """The terminal tables of each section (``layout`` and ``width`` as
    :func:`supportkpi.render.table.view` takes them), with a heading per section when there are
    two."""
    from rich.text import Text

    from supportkpi.render.table import view

    parts = sections(result)
    shown: list = []
    for part in parts:
        if len(parts) > 1:
            shown.append(Text(TITLES[part.table], style="bold underline"))
        if not part.groups:
            shown.append(f"No {part.table}.")
        shown += view(part, layout, width)
    return shown


def render_text(result: ComputeResult, fmt: str, render_one) -> str:
    """JSON, CSV or Markdown of each section (``render_one``: the one-section view). JSON holds
    the mentions section in its ``mentions`` member; CSV writes one table whose ``table`` column
    says which section a row is of; Markdown one heading per section."""
    parts = sections(result)
    if len(parts) == 1 or fmt == "json":
        return render_one(result, fmt)
    if fmt == "markdown":
        return "\n".join(f"## {TITLES[p.table]}\n\n{render_one(p, fmt)}" for p in parts)
    tables = [(p.table, *table(p)) for p in parts]
    header = ["table", *dict.fromkeys(h for _, head, _ in tables for h in head)]
    rows = [
        [name, *(dict(zip(head, row, strict=True)).get(h) for h in header[1:])]
        for name, head, body in tables
        for row in body
    ]
    return csv_text(header, rows)
