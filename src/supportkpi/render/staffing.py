"""Views of a staffing plan (``supportkpi staffing``): Rich tables (one per group), JSON, CSV
and Markdown. Every view shows the same numbers: JSON and CSV at full precision, probabilities
and shares in % (``*_pct``), an infinite ASA (agents ≤ traffic) as null / empty.

Rendering never computes: the plan arrives computed (:func:`supportkpi.demand.staff_intervals`,
:func:`supportkpi.erlang.staff`)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from supportkpi.erlang import UNSTABLE
from supportkpi.render.formatting import count, duration, fixed, percent, plain_number, rounded
from supportkpi.render.tabular import csv_text, markdown_cell, markdown_table
from supportkpi.render.text import one_line

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FORMATS = ("table", "json", "csv", "markdown")

# output name: (column of the plan, scale) -- fractions become percentages
_FIELDS = {
    "weekday": ("weekday", None),
    "time": ("time", None),
    "weeks": ("weeks", None),
    "calls": ("calls", None),
    "offered_per_week": ("offered_per_week", None),
    "volume": ("volume", None),
    "aht_seconds": ("aht_seconds", None),
    "traffic_erlangs": ("traffic", None),
    "agents": ("agents", None),
    "probability_of_waiting_pct": ("probability_of_waiting", 100.0),
    "service_level_pct": ("service_level", 100.0),
    "asa_seconds": ("asa_seconds", None),
    "occupancy_pct": ("occupancy", 100.0),
    "headcount": ("headcount", None),
    "stable": ("stable", None),
}


@dataclass(frozen=True)
class StaffingReport:
    """A computed plan and how it was made.

    ``plan`` has the Erlang C columns of :func:`supportkpi.demand.staff_intervals`; from
    call-level data also the ``by`` columns, ``weekday``, ``time``, ``weeks``, ``calls`` and
    ``offered_per_week``. ``method`` is the sentence that says how the numbers were made."""

    plan: pl.DataFrame
    method: str
    parameters: dict[str, Any] = field(default_factory=dict)
    by: tuple[str, ...] = ()

    @property
    def from_calls(self) -> bool:
        return "weekday" in self.plan.columns


def describe_method(
    *,
    target: tuple[float, float],
    interval_seconds: int,
    shrinkage: float,
    growth: float,
    agents: int | None,
    max_occupancy: float | None,
    weeks: tuple[int, int] | None = None,
    timezone: str | None = None,
    aht_given: bool = False,
) -> str:
    """One paragraph: the model, the target, how volume and AHT were measured, the adjustments.

    >>> print(describe_method(target=(0.8, 20), interval_seconds=1800, shrinkage=0.3, growth=1.0,
    ...                       agents=None, max_occupancy=None))
    Erlang C (random arrivals, exponential handle times, no abandonment); agents needed for 80 % answered within 20 s, per 30 min interval; headcount = ⌈agents / (1 − 30 % shrinkage)⌉.
    """
    level, threshold = target
    parts = ["Erlang C (random arrivals, exponential handle times, no abandonment)"]
    goal = f"{plain_number(level * 100)} % answered within {plain_number(threshold)} s"
    if agents is None:
        need = f"agents needed for {goal}"
        if max_occupancy is not None:
            need += f" and occupancy ≤ {plain_number(max_occupancy * 100)} %"
        parts.append(f"{need}, per {duration(interval_seconds)} interval")
    else:
        parts.append(f"{_plural(agents, 'agent')} evaluated against {goal}, per {duration(interval_seconds)} interval")
    if weeks is not None:
        low, high = weeks
        span = _plural(low, "week") if low == high else f"{low}–{high} weeks (per weekday)"
        parts.append(
            f"volume averaged over {span}: offered calls and chats (answered or abandoned) per "
            "weekday and time of day, weeks without a call in a slot counted as 0"
        )
        parts.append(
            "AHT per slot = mean talk + hold + after-call work of its answered calls"
            if not aht_given
            else "AHT as given, the same for every slot"
        )
        if timezone:
            parts.append(f"times in {timezone}")
    if growth != 1:
        parts.append(f"volume × {plain_number(growth)} (growth)")
    if shrinkage:
        parts.append(f"headcount = ⌈agents / (1 − {plain_number(shrinkage * 100)} % shrinkage)⌉")
    return "; ".join(parts) + "."


def records(report: StaffingReport) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of the JSON, CSV and Markdown views: ``by`` columns first, fractions as
    %, an infinite ASA as None."""
    present = [name for name, (column, _) in _FIELDS.items() if column in report.plan.columns]
    header = [*report.by, *present]
    rows = []
    for row in report.plan.iter_rows(named=True):
        values: list[Any] = [row[k] for k in report.by]
        for name in present:
            column, scale = _FIELDS[name]
            value = row[column]
            if isinstance(value, float) and not math.isfinite(value):
                value = None
            elif value is not None and scale is not None:
                value = value * scale
            values.append(value)
        rows.append(values)
    return header, rows


def render_text(report: StaffingReport, fmt: str) -> str:
    if fmt == "json":
        return render_json(report)
    if fmt == "csv":
        return render_csv(report)
    if fmt == "markdown":
        return render_markdown(report)
    raise ValueError(fmt)


def render_json(report: StaffingReport) -> str:
    """``{"method", "parameters", "intervals": [...]}``."""
    header, rows = records(report)
    document = {
        "method": report.method,
        "parameters": report.parameters,
        "intervals": [dict(zip(header, row)) for row in rows],
    }
    return json.dumps(document, indent=2, allow_nan=False, ensure_ascii=False, default=str) + "\n"


def render_csv(report: StaffingReport) -> str:
    return csv_text(*records(report))


def render_markdown(report: StaffingReport) -> str:
    header, rows = records(report)
    numeric = set(header) - {*report.by, "time", "stable"}
    if "asa_seconds" in header:
        asa, agents = header.index("asa_seconds"), header.index("agents")
        for row in rows:  # an infinite ASA (None in the records) with agents: the queue grows
            if row[asa] is None and row[agents] is not None:
                row[asa] = "unstable"
    lines = markdown_table(
        header, rows, right={i for i, name in enumerate(header) if name in numeric}, cell=_markdown_value
    )
    lines += ["", markdown_cell(report.method)]
    if _has_unstable(report):
        lines += ["", f"unstable = {markdown_cell(UNSTABLE)}: every contact waits and the queue grows."]
    return "\n".join(lines) + "\n"


def _markdown_value(value: object) -> str:
    return rounded(value) if isinstance(value, float) else markdown_cell(value)


def tables(report: StaffingReport) -> list:
    """Rich renderables: one table per group (only intervals with volume), then the method."""
    from rich.text import Text

    if report.plan.height == 0:
        out: list = [Text("No offered calls or chats: nothing to staff.")]
    elif report.from_calls:
        out = [_interval_table(report, keys, group) for keys, group in _groups(report)]
    else:
        out = [_single_table(report)]
    out.append(Text(report.method, style="dim"))
    if _has_unstable(report):
        out.append(Text(f"unstable = {UNSTABLE}: every contact waits and the queue grows.", style="dim"))
    return out


def _groups(report: StaffingReport):
    if not report.by:
        yield {}, report.plan
        return
    for keys, group in report.plan.group_by(list(report.by), maintain_order=True):
        yield dict(zip(report.by, keys)), group


def _interval_table(report: StaffingReport, keys: dict, group: pl.DataFrame):
    """Compact enough for an 80-column terminal: short headers, no outer edge. ``Calls/wk`` is
    the measured volume; the traffic (``Erl.``) includes any growth, as the method line says."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    threshold = report.parameters.get("threshold_seconds")
    title = " · ".join(f"{k} {'(none)' if v is None else v}" for k, v in keys.items()) or "All calls and chats"
    table = Table(
        title=Text(one_line(title)),
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    columns = [
        "Slot",
        "Calls/wk",
        "AHT",
        "Erl.",
        "Agents",
        "P(wait)",
        f"SL≤{plain_number(threshold)}s" if threshold is not None else "SL",
        "ASA",
        "Occ.",
        "Heads",
    ]
    for name in columns:
        table.add_column(name, justify="left" if name == "Slot" else "right", no_wrap=True)
    for row in group.iter_rows(named=True):
        table.add_row(
            f"{WEEKDAY_NAMES[row['weekday'] - 1]} {row['time']}",
            fixed(row["offered_per_week"], 1),
            fixed(row["aht_seconds"], 0, "seconds"),
            fixed(row["traffic"], 2),
            count(row["agents"]),
            _share(row["probability_of_waiting"]),
            _share(row["service_level"]),
            _asa(row["asa_seconds"]),
            _share(row["occupancy"]),
            count(row["headcount"]),
        )
    return table


def _single_table(report: StaffingReport):
    from rich.table import Table
    from rich.text import Text

    row = report.plan.row(0, named=True)
    threshold = report.parameters.get("threshold_seconds")
    table = Table(title=Text("Staffing"), title_justify="left", title_style="bold")
    table.add_column("Measure", no_wrap=True)
    table.add_column("Value", justify="right", no_wrap=True)
    interval = report.parameters.get("interval_seconds")
    table.add_row(f"Volume per {duration(interval)}" if interval else "Volume", fixed(row["volume"], 1))
    table.add_row("AHT", fixed(row["aht_seconds"], 1, "seconds"))
    table.add_row("Traffic", fixed(row["traffic"], 2, "erlangs"))
    table.add_row("Agents", count(row["agents"]))
    table.add_row("P(wait)", _share(row["probability_of_waiting"]))
    table.add_row(
        f"Service level ≤{plain_number(threshold)} s" if threshold is not None else "Service level",
        _share(row["service_level"]),
    )
    table.add_row("ASA", _asa(row["asa_seconds"]))
    table.add_row("Occupancy", _share(row["occupancy"]))
    table.add_row("Headcount", count(row["headcount"]))
    return table


def _plural(n: int, noun: str) -> str:
    return f"{count(n)} {noun}" + ("" if n == 1 else "s")


def _has_unstable(report: StaffingReport) -> bool:
    return "stable" in report.plan.columns and bool((report.plan["stable"] == False).any())  # noqa: E712


def _share(fraction: float | None) -> str:
    """A probability or occupancy (a fraction) in percent."""
    return percent(None if fraction is None else fraction * 100)


def _asa(value: float | None) -> str:
    if value is not None and not math.isfinite(value):
        return "unstable"
    return fixed(value, 1, "seconds")
