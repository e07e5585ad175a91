"""``compute --breaches``: one row per contact and SLA policy that missed its target, as JSON,
CSV, Markdown or a Rich table (times as hours and minutes, :mod:`supportkpi.render.durations`). The CSV and Markdown tables are written by
:mod:`supportkpi.render.tabular`, safe as every other view's."""

from __future__ import annotations

import polars as pl

from supportkpi.render.durations import ticket_time
from supportkpi.render.json import dumps
from supportkpi.render.tabular import csv_text, markdown_cell, markdown_table
from supportkpi.render.text import shown_name

SHOWN = ("ticket_id", "vendor", "policy", "state", "target_hours", "measured_hours", "over_by_hours")
"""The table's columns (the other views have every column)."""
NAMES = {"ticket_id": "ticket", "target_hours": "target", "measured_hours": "measured", "over_by_hours": "over by"}


def render_breaches(frame: pl.DataFrame, fmt: str) -> str:
    """The breaches as ``json``, ``csv`` or ``markdown`` text; timestamps in ISO 8601."""
    frame = _iso(frame)
    if fmt == "json":
        return dumps({"breaches": frame.to_dicts()})
    if fmt == "csv":
        return csv_text(frame.columns, frame.iter_rows())
    if fmt == "markdown":
        return "\n".join(markdown_table(frame.columns, frame.iter_rows(), cell=_cell)) + "\n"
    raise ValueError(f"format {fmt!r}: expected json, csv or markdown")


def _cell(value: object) -> str:
    return ticket_time(value) if isinstance(value, float) else markdown_cell(value)


def breaches_renderables(frame: pl.DataFrame) -> list:
    """The breaches as a Rich table (or a line saying there are none)."""
    from rich.table import Table
    from rich.text import Text

    frame = _iso(frame)
    if not frame.height:
        return ["No SLA breaches."]
    shown = [c for c in SHOWN if c in frame.columns]
    table = Table(title=f"SLA breaches: {frame.height}", title_justify="left")
    for c in shown:
        table.add_column(
            NAMES.get(c, c),
            no_wrap=c != "vendor",
            min_width=10 if c == "vendor" else None,
            justify="right" if "hours" in c else "left",
        )
    for row in frame.select(shown).iter_rows():
        # ids and vendor names from the data: escaped, on one line
        table.add_row(*(ticket_time(v) if isinstance(v, float) else Text(shown_name(v)) for v in row))
    return [table]


def _iso(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.col(c).dt.to_string("%Y-%m-%dT%H:%M:%S%z") for c, d in frame.schema.items() if isinstance(d, pl.Datetime)
    )
