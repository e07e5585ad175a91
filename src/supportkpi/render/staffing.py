"""Views of a staffing plan (``supportkpi staffing``): Rich tables (one per group), JSON, CSV
and Markdown. Every view shows the same numbers: JSON and CSV at full precision, probabilities
and shares in % (``*_pct``), an infinite ASA (agents ≤ traffic) as null / empty.

Rendering never computes: the plan arrives computed (:func:`supportkpi.demand.staff_intervals`,
:func:`supportkpi.erlang.staff`)."""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from supportkpi.erlang import UNSTABLE
from supportkpi.render.csv import neutralise
from supportkpi.render.text import markdown_cell, one_line

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
    goal = f"{_number(level * 100)} % answered within {_number(threshold)} s"
    if agents is None:
        need = f"agents needed for {goal}"
        if max_occupancy is not None:
            need += f" and occupancy ≤ {_number(max_occupancy * 100)} %"
        parts.append(f"{need}, per {_duration(interval_seconds)} interval")
    else:
        parts.append(f"{_plural(agents, 'agent')} evaluated against {goal}, per {_duration(interval_seconds)} interval")
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
        parts.append(f"volume × {_number(growth)} (growth)")
    if shrinkage:
        parts.append(f"headcount = ⌈agents / (1 − {_number(shrinkage * 100)} % shrinkage)⌉")
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
    header, rows = records(report)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return out.getvalue()


def render_markdown(report: StaffingReport) -> str:
    header, rows = records(report)
    numeric = set(header) - {*report.by, "time", "stable"}
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---:" if h in numeric else "---" for h in header) + "|",
    ]
    for row in rows:
        cells = []
        for name, value in zip(header, row):
            if name == "asa_seconds" and value is None and row[header.index("agents")] is not None:
                cells.append("unstable")
            elif isinstance(value, float):
                cells.append(f"{value:.2f}")
            else:
                cells.append(markdown_cell(value))
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", markdown_cell(report.method)]
    if _has_unstable(report):
        lines += ["", f"unstable = {markdown_cell(UNSTABLE)}: every contact waits and the queue grows."]
    return "\n".join(lines) + "\n"


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
        title=Text(one_line(title)), title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
        show_edge=False, pad_edge=False, collapse_padding=True,
    )
    columns = [
        "Slot", "Calls/wk", "AHT", "Erl.", "Agents", "P(wait)",
        f"SL≤{_number(threshold)}s" if threshold is not None else "SL", "ASA", "Occ.", "Heads",
    ]
    for name in columns:
        table.add_column(name, justify="left" if name == "Slot" else "right", no_wrap=True)
    for row in group.iter_rows(named=True):
        table.add_row(
            f"{WEEKDAY_NAMES[row['weekday'] - 1]} {row['time']}",
            f"{row['offered_per_week']:,.1f}",
            _seconds(row["aht_seconds"], 0),
            f"{row['traffic']:,.2f}" if row["traffic"] is not None else "—",
            _count(row["agents"]),
            _percent(row["probability_of_waiting"]),
            _percent(row["service_level"]),
            _asa(row["asa_seconds"]),
            _percent(row["occupancy"]),
            _count(row["headcount"]),
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
    table.add_row(f"Volume per {_duration(interval)}" if interval else "Volume", f"{row['volume']:,.1f}")
    table.add_row("AHT", _seconds(row["aht_seconds"]))
    table.add_row("Traffic", f"{row['traffic']:,.2f} erlangs")
    table.add_row("Agents", _count(row["agents"]))
    table.add_row("P(wait)", _percent(row["probability_of_waiting"]))
    table.add_row(f"Service level ≤{_number(threshold)} s" if threshold is not None else "Service level",
                  _percent(row["service_level"]))
    table.add_row("ASA", _asa(row["asa_seconds"]))
    table.add_row("Occupancy", _percent(row["occupancy"]))
    table.add_row("Headcount", _count(row["headcount"]))
    return table


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def _has_unstable(report: StaffingReport) -> bool:
    return "stable" in report.plan.columns and bool((report.plan["stable"] == False).any())  # noqa: E712


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def _seconds(value: float | None, decimals: int = 1) -> str:
    return "—" if value is None else f"{value:,.{decimals}f} s"


def _asa(value: float | None) -> str:
    if value is None:
        return "—"
    return "unstable" if not math.isfinite(value) else f"{value:,.1f} s"


def _count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _number(value: float | None) -> str:
    """80.0 → "80", 0.85 → "0.85"."""
    if value is None:
        return ""
    return f"{value:g}" if abs(value - round(value, 6)) < 1e-9 else f"{value:.6g}"


def _duration(seconds: float | None) -> str:
    """1800 → "30 min", 3600 → "1 h", 90 → "90 s".

    >>> _duration(1800), _duration(3600), _duration(90)
    ('30 min', '1 h', '90 s')
    """
    if not seconds:
        return ""
    if seconds % 3600 == 0:
        return f"{int(seconds // 3600)} h"
    if seconds % 60 == 0:
        return f"{int(seconds // 60)} min"
    return f"{_number(seconds)} s"
