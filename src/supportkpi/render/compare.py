"""Views of a :class:`~supportkpi.comparison.Comparison`: Rich tables, JSON, CSV, Markdown and
a self-contained HTML page. Every view reads the same comparison; each names the methods, the
multiple-comparison correction and the notes (mix, open tickets, benchmark sources)."""

from __future__ import annotations

import csv
import io
import json
from html import escape
from typing import Any

from supportkpi.comparison import Comparison, KpiComparison, PairResult, SideValue, format_p
from supportkpi.render.csv import neutralise
from supportkpi.render.json import _default
from supportkpi.render.scorecard import level_text, measure
from supportkpi.render.text import markdown_cell


def stratum_title(item_keys: dict[str, Any]) -> str:
    return " · ".join(f"{k} {'(none)' if v is None else v}" for k, v in item_keys.items()) or "All contacts"


def side_text(kpi: KpiComparison, side: SideValue) -> str:
    if not side.available:
        return "n/a"
    value = measure(side.value, kpi.unit, signed=kpi.kpi == "nps")
    return f"{value}\nn = {side.n:,}"


def difference_text(kpi: KpiComparison, pair: PairResult) -> str:
    """``+3.20 pp [-1.10, 7.50]``: the difference and its interval, in the KPI's unit (a
    difference of percentages in percentage points)."""
    if pair.difference is None:
        return "—"
    unit = "pp" if kpi.unit == "%" else kpi.unit
    text = measure(pair.difference, unit, signed=True)
    if pair.low is not None and pair.high is not None:
        text += f" [{measure(pair.low, unit, signed=True)}, {measure(pair.high, unit, signed=True)}]"
    return text


def pair_label(kpi: KpiComparison, pair: PairResult) -> str:
    return f"{pair.side} − {pair.baseline}"


def benchmark_text(comparison: Comparison, kpi: KpiComparison) -> str | None:
    figure = benchmark_for(comparison, kpi)
    if figure is None:
        return None
    return f"{level_text(figure.value, kpi.unit)} ({figure.statistic}, {figure.year})"


def benchmark_for(comparison: Comparison, kpi: KpiComparison):
    table = getattr(comparison, "benchmark", None)
    if table is None:
        return None
    return table.figure(kpi.kpi, kpi.keys.get("channel"), kpi.unit)


def footnotes(comparison: Comparison) -> list[str]:
    level = f"{comparison.confidence:.0%}"
    lines = [
        f"Differences are side − baseline ({'the first side' if comparison.baseline == 'first' else 'the best side of each KPI'}) "
        f"with {level} intervals; p-values Holm-adjusted over {comparison.comparisons} comparisons "
        f"(significant below {comparison.alpha:g}); a side with fewer than {comparison.min_n} "
        "contacts is too few to tell.",
    ]
    lines += [f"Method: {m}" for m in comparison.methods()]
    lines += comparison.notes
    table = getattr(comparison, "benchmark", None)
    if table is not None:
        used = {}
        for item in comparison.items:
            figure = benchmark_for(comparison, item)
            if figure is not None:
                channel = item.keys.get("channel")
                used[(item.kpi, channel)] = (
                    f"Benchmark {item.kpi}{f' ({channel})' if channel else ''}: "
                    f"{level_text(figure.value, item.unit)}, {figure.statistic}, {figure.segment or 'segment not stated'}; "
                    f"{figure.source}, {figure.year}"
                )
        lines += list(used.values()) or [f"Benchmark {table.spec.name}: no figure for these KPIs"]
        lines.append(f"Benchmarks are context, not targets: sources define KPIs their own way ({table.origin}).")
    return lines


# --- Rich -------------------------------------------------------------------------------------


def tables(comparison: Comparison) -> list:
    from rich.table import Table
    from rich.text import Text

    out: list = []
    strata: dict[tuple, list[KpiComparison]] = {}
    for item in comparison.items:
        strata.setdefault(tuple(item.keys.items()), []).append(item)
    has_benchmark = getattr(comparison, "benchmark", None) is not None
    for keys, items in strata.items():
        table = Table(title=Text(stratum_title(dict(keys))), title_justify="left", title_style="bold")
        table.add_column("KPI", overflow="fold", min_width=12, ratio=2)
        for name in comparison.sides:
            table.add_column(Text(name), justify="right", overflow="fold")
        if has_benchmark:
            table.add_column("Benchmark", overflow="fold")
        table.add_column("Difference [interval]", justify="right", overflow="fold", ratio=2)
        table.add_column("Verdict", overflow="fold", ratio=3)
        for item in items:
            if all(not s.available for s in item.sides):
                continue
            cells = [Text(item.title)]
            cells += [Text(side_text(item, s)) for s in item.sides]
            if has_benchmark:
                cells.append(Text(benchmark_text(comparison, item) or ""))
            cells.append(Text("\n".join(
                (f"{pair_label(item, p)}: " if len(item.pairs) > 1 else "") + difference_text(item, p)
                for p in item.pairs
            )))
            cells.append(Text("\n".join(
                (f"{p.side}: " if len(item.pairs) > 1 else "") + p.verdict for p in item.pairs
            )))
            table.add_row(*cells)
        out.append(table)
    unavailable = sorted({i.kpi for i in comparison.items if all(not s.available for s in i.sides)})
    if unavailable:
        out.append(Text("Not available in these exports: " + ", ".join(unavailable), style="dim"))
    out += [Text(line, style="dim") for line in footnotes(comparison)]
    return out


# --- JSON, CSV, Markdown, HTML -------------------------------------------------------------------


def render_json(comparison: Comparison) -> str:
    body = comparison.to_dict()
    table = getattr(comparison, "benchmark", None)
    if table is not None:
        body["benchmark"] = table.to_dict()
    return json.dumps(body, indent=2, default=_default, allow_nan=False) + "\n"


CSV_COLUMNS = (
    "kpi", "side", "value", "unit", "n", "low", "high", "status", "baseline", "difference",
    "relative_pct", "difference_low", "difference_high", "p_value", "p_adjusted", "method", "verdict",
)


def rows(comparison: Comparison) -> tuple[list[str], list[list[Any]]]:
    keys = [*comparison.by] + (["period"] if comparison.period else [])
    header = [*keys, *CSV_COLUMNS]
    out = []
    for item in comparison.items:
        pairs = {p.side: p for p in item.pairs}
        for side in item.sides:
            pair = pairs.get(side.side)
            out.append([
                *(item.keys.get(k) for k in keys), item.kpi, side.side, side.value, item.unit, side.n,
                side.low, side.high, side.status,
                *((pair.baseline, pair.difference, pair.relative, pair.low, pair.high, pair.p_value,
                   pair.p_adjusted, pair.method, pair.verdict) if pair else ("",) * 9),
            ])
    return header, out


def render_csv(comparison: Comparison) -> str:
    header, body = rows(comparison)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else neutralise(v) for v in row] for row in body)
    return buffer.getvalue()


def _md(text: str) -> str:
    return "<br>".join(markdown_cell(line) for line in str(text).split("\n"))


def render_markdown(comparison: Comparison) -> str:
    lines: list[str] = []
    strata: dict[tuple, list[KpiComparison]] = {}
    for item in comparison.items:
        strata.setdefault(tuple(item.keys.items()), []).append(item)
    for keys, items in strata.items():
        lines += [f"### {_md(stratum_title(dict(keys)))}", ""]
        header = ["KPI", *comparison.sides, "Difference [interval]", "Verdict"]
        lines += ["| " + " | ".join(_md(h) for h in header) + " |", "|---|" + "---:|" * (len(header) - 2) + "---|"]
        for item in items:
            if all(not s.available for s in item.sides):
                continue
            cells = [item.title, *(side_text(item, s) for s in item.sides)]
            cells.append("\n".join((f"{pair_label(item, p)}: " if len(item.pairs) > 1 else "") + difference_text(item, p) for p in item.pairs))
            cells.append("\n".join((f"{p.side}: " if len(item.pairs) > 1 else "") + p.verdict for p in item.pairs))
            lines.append("| " + " | ".join(_md(c) for c in cells) + " |")
        lines.append("")
    lines += [f"- {_md(line)}" for line in footnotes(comparison)]
    return "\n".join(lines) + "\n"


def render_html(comparison: Comparison) -> str:
    from supportkpi.render.html import _table, page

    def cell(text: str) -> str:
        return escape(text).replace("\n", "<br>")

    sections = [
        "<header><h1>Vendor comparison</h1>"
        f"<p>Sides: {cell(', '.join(comparison.sides))}</p></header>\n"
    ]
    strata: dict[tuple, list[KpiComparison]] = {}
    for item in comparison.items:
        strata.setdefault(tuple(item.keys.items()), []).append(item)
    for keys, items in strata.items():
        header = ["KPI", *comparison.sides, "Difference [interval]", "p (Holm)", "Verdict"]
        body = []
        for item in items:
            if all(not s.available for s in item.sides):
                continue
            body.append([
                cell(item.title),
                *(cell(side_text(item, s)) for s in item.sides),
                "<br>".join(cell(difference_text(item, p)) for p in item.pairs),
                "<br>".join(cell(format_p(p.p_adjusted, p.p_bound)) if p.p_adjusted is not None else "—" for p in item.pairs),
                "<br>".join(cell(p.verdict) for p in item.pairs),
            ])
        sections.append(f"<section><h2>{cell(stratum_title(dict(keys)))}</h2>\n"
                        + _table("", header, body, numeric=set(range(1, len(comparison.sides) + 3))) + "</section>\n")
    sections.append("<section><h2>Method and notes</h2><ul>"
                    + "".join(f"<li>{cell(line)}</li>" for line in footnotes(comparison)) + "</ul></section>\n")
    return page("Vendor comparison — " + ", ".join(comparison.sides), sections)


def render_text(comparison: Comparison, fmt: str) -> str:
    return {"json": render_json, "csv": render_csv, "markdown": render_markdown, "html": render_html}[fmt](comparison)
