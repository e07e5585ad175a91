"""Views of a :class:`~supportkpi.comparison.Comparison`: Rich tables, JSON, CSV, Markdown and
a self-contained HTML page. Every view reads the same comparison; each names the methods, the
multiple-comparison correction and the notes (mix, open tickets, benchmark sources)."""

from __future__ import annotations

from typing import Any

from supportkpi.comparison import Comparison, KpiComparison, PairResult, SideValue, format_p
from supportkpi.render.formatting import (
    count,
    difference,
    difference_unit,
    level_text,
    measure,
    plain_number,
)
from supportkpi.render.json import dumps
from supportkpi.render.markup import line_breaks
from supportkpi.render.tabular import csv_text, markdown_lines, markdown_table
from supportkpi.render.text import rows_noun, shown_name


def stratum_title(item_keys: dict[str, Any], noun: str = "contacts") -> str:
    return " · ".join(f"{k} {'(none)' if v is None else v}" for k, v in item_keys.items()) or f"All {noun}"


def value_text(kpi: KpiComparison, side: SideValue) -> str:
    if not side.available:
        return "n/a"
    return measure(side.value, kpi.unit, signed=kpi.signed)


def difference_text(kpi: KpiComparison, pair: PairResult) -> str:
    """``+3.2 pp``: the difference in the KPI's unit (a difference of percentages in
    percentage points)."""
    return difference(pair.difference, kpi.unit)


def interval_text(kpi: KpiComparison, pair: PairResult) -> str:
    if pair.low is None or pair.high is None:
        return ""
    unit = difference_unit(kpi.unit)
    return f"[{measure(pair.low, unit, signed=True)}, {measure(pair.high, unit, signed=True)}]"


def rows_of(comparison: Comparison, item: KpiComparison) -> list[tuple[SideValue, PairResult | None]]:
    """The baseline side first, then the others with their comparison to it."""
    pairs = {p.side: p for p in item.pairs}
    baseline = next((s for s in item.sides if s.side not in pairs), item.sides[0])
    return [(baseline, None)] + [(s, pairs.get(s.side)) for s in item.sides if s is not baseline]


def benchmark_text(comparison: Comparison, kpi: KpiComparison) -> str | None:
    figure = benchmark_for(comparison, kpi)
    if figure is None:
        return None
    return f"{level_text(figure.value, kpi.unit)} ({figure.statistic}, {figure.year})"


def benchmark_for(comparison: Comparison, kpi: KpiComparison):
    table = comparison.benchmark
    if table is None:
        return None
    return table.figure(kpi.kpi, kpi.keys.get("channel"), kpi.unit)


def footnotes(comparison: Comparison) -> list[str]:
    level = f"{comparison.confidence:.0%}"
    baseline = "the first side" if comparison.baseline == "first" else "the best side of each KPI"
    lines = [
        f"Differences are side − baseline ({baseline}) "
        f"with {level} intervals; p-values: {comparison.correction()}; significant below "
        f"{plain_number(comparison.alpha)}; a side with fewer than {comparison.min_n} {rows_noun(item.kpi for item in comparison.items)} is too few to tell.",
    ]
    lines += [f"Method: {m}" for m in comparison.methods()]
    lines += comparison.notes
    table = comparison.benchmark
    if table is not None:
        used = {}
        for item in comparison.items:
            figure = benchmark_for(comparison, item)
            if figure is not None:
                channel = item.keys.get("channel")
                note = f" Note: {' '.join(figure.note.split())}" if figure.note else ""
                used[(item.kpi, channel)] = (
                    f"Benchmark {item.kpi}{f' ({channel})' if channel else ''}: "
                    f"{level_text(figure.value, item.unit)}, {figure.statistic}, "
                    f"{figure.segment or 'segment not stated'}; "
                    f"{figure.source}, {figure.year}.{note}"
                )
        lines += list(used.values()) or [f"Benchmark {table.spec.name}: no figure for these KPIs"]
        lines.append(f"Benchmarks are context, not targets: sources define KPIs their own way ({table.origin}).")
    return lines


# --- Rich -------------------------------------------------------------------------------------


def tables(comparison: Comparison) -> list:
    """One table per stratum: per KPI, the baseline side, then each other side with its
    difference, interval and verdict."""
    from rich.table import Table
    from rich.text import Text

    out: list = []
    has_benchmark = comparison.benchmark is not None
    for keys, items in strata(comparison).items():
        title = Text(shown_name(stratum_title(dict(keys), rows_noun(item.kpi for item in comparison.items))))
        table = Table(title=title, title_justify="left", title_style="bold")
        table.add_column("KPI", overflow="fold", ratio=2, min_width=12)
        table.add_column("Side", overflow="fold", ratio=2, min_width=8)
        table.add_column("Value", justify="right", no_wrap=True)
        table.add_column("n", justify="right", no_wrap=True)
        table.add_column("Difference", justify="right", no_wrap=True)
        table.add_column("Interval", justify="right", overflow="fold", ratio=2)
        table.add_column("Verdict", overflow="fold", ratio=3, min_width=14)
        for item in items:
            if all(not s.available for s in item.sides):
                continue
            benchmark = benchmark_text(comparison, item) if has_benchmark else None
            kpi_title = shown_name(item.title) + (f"\nbenchmark {benchmark}" if benchmark else "")
            for position, (side, pair) in enumerate(rows_of(comparison, item)):
                table.add_row(
                    Text(kpi_title if position == 0 else ""),
                    # side names come from the data (vendor values) or the command line
                    Text(shown_name(side.side)),
                    value_text(item, side),
                    count(side.n),
                    difference_text(item, pair) if pair else "baseline",
                    interval_text(item, pair) if pair else "",
                    Text(shown_name(pair.verdict) if pair else ""),
                    end_section=position == len(item.sides) - 1,
                )
        out.append(table)
    unavailable = sorted({i.kpi for i in comparison.items if all(not s.available for s in i.sides)})
    if unavailable:
        out.append(Text("Not available in these exports: " + ", ".join(unavailable), style="dim"))
    out += [Text(shown_name(line), style="dim") for line in footnotes(comparison)]
    return out


def strata(comparison: Comparison) -> dict[tuple, list[KpiComparison]]:
    out: dict[tuple, list[KpiComparison]] = {}
    for item in comparison.items:
        out.setdefault(tuple(item.keys.items()), []).append(item)
    return out


# --- JSON, CSV, Markdown, HTML -------------------------------------------------------------------


def render_json(comparison: Comparison) -> str:
    body = comparison.to_dict()
    if comparison.benchmark is not None:
        body["benchmark"] = comparison.benchmark.to_dict()
    return dumps(body)


CSV_COLUMNS = (
    "kpi",
    "side",
    "value",
    "unit",
    "n",
    "low",
    "high",
    "status",
    "baseline",
    "difference",
    "relative_pct",
    "difference_low",
    "difference_high",
    "p_value",
    "p_adjusted",
    "method",
    "verdict",
)


def rows(comparison: Comparison) -> tuple[list[str], list[list[Any]]]:
    keys = [*comparison.by] + (["period"] if comparison.period else [])
    header = [*keys, *CSV_COLUMNS]
    out = []
    for item in comparison.items:
        pairs = {p.side: p for p in item.pairs}
        for side in item.sides:
            pair = pairs.get(side.side)
            out.append(
                [
                    *(item.keys.get(k) for k in keys),
                    item.kpi,
                    side.side,
                    side.value,
                    item.unit,
                    side.n,
                    side.low,
                    side.high,
                    side.status,
                    *(
                        (
                            pair.baseline,
                            pair.difference,
                            pair.relative,
                            pair.low,
                            pair.high,
                            pair.p_value,
                            pair.p_adjusted,
                            pair.method,
                            pair.verdict,
                        )
                        if pair
                        else ("",) * 9
                    ),
                ]
            )
    return header, out


def render_csv(comparison: Comparison) -> str:
    return csv_text(*rows(comparison))


def render_markdown(comparison: Comparison) -> str:
    lines: list[str] = []
    header = ["KPI", "Side", "Value", "n", "Difference", "Interval", "Verdict"]
    for keys, items in strata(comparison).items():
        lines += [
            f"### {markdown_lines(stratum_title(dict(keys), rows_noun(item.kpi for item in comparison.items)))}",
            "",
        ]
        rows = [
            [
                item.title if position == 0 else "",
                side.side,
                value_text(item, side),
                count(side.n),
                difference_text(item, pair) if pair else "baseline",
                interval_text(item, pair) if pair else "",
                pair.verdict if pair else "",
            ]
            for item in items
            if any(s.available for s in item.sides)
            for position, (side, pair) in enumerate(rows_of(comparison, item))
        ]
        lines += markdown_table(header, rows, right={2, 3, 4, 5}, cell=markdown_lines)
        lines.append("")
    lines += [f"- {markdown_lines(line)}" for line in footnotes(comparison)]
    return "\n".join(lines) + "\n"


UNJUDGED = ("too few", "no data", "not available")
"""Verdicts of pairs that were not tested (their p-value is not shown)."""


def _p_adjusted_text(pair: PairResult | None) -> str:
    """The adjusted p-value of a tested pair; empty for the baseline and untested pairs."""
    if pair is None or pair.p_adjusted is None or pair.verdict.startswith(UNJUDGED):
        return ""
    return format_p(pair.p_adjusted, pair.p_bound)


def render_html(comparison: Comparison) -> str:
    """A self-contained page: one table per stratum, then the method and notes."""
    # jinja2 is loaded only when a page is asked for
    from supportkpi.render.html import render_page

    strata_rows = []
    for keys, items in strata(comparison).items():
        rows = []
        for item in items:
            if all(not s.available for s in item.sides):
                continue
            for position, (side, pair) in enumerate(rows_of(comparison, item)):
                cells = [
                    item.title if position == 0 else "",
                    side.side,
                    value_text(item, side),
                    count(side.n),
                    difference_text(item, pair) if pair else "baseline",
                    interval_text(item, pair) if pair else "",
                    _p_adjusted_text(pair),
                    pair.verdict if pair else "",
                ]
                rows.append([line_breaks(c) for c in cells])
        strata_rows.append(
            {"title": stratum_title(dict(keys), rows_noun(item.kpi for item in comparison.items)), "rows": rows}
        )
    return render_page(
        "compare.html.j2",
        "Vendor comparison — " + ", ".join(comparison.sides),
        sides=", ".join(comparison.sides),
        header=["KPI", "Side", "Value", "n", "Difference", "Interval", "p (adjusted)", "Verdict"],
        numeric={2, 3, 4, 5},
        strata=strata_rows,
        notes=footnotes(comparison),
    )


def render_text(comparison: Comparison, fmt: str) -> str:
    return {"json": render_json, "csv": render_csv, "markdown": render_markdown, "html": render_html}[fmt](comparison)
