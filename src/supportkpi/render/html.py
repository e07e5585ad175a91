"""HTML view of a scorecard: one self-contained page a vendor manager can mail to a vendor.

The page needs nothing from the network: the CSS is inline, the trend charts are inline SVG drawn
here, and there is no script at all. Every name that comes from the data or from kpi.yaml
(vendors, check names, keys, input paths, finding examples) is escaped, so a vendor called
``<script>`` is shown as text, never run.

Sections: header (inputs, grouping, period, time zone, as-of), headline scorecard per group
(latest period first), trend per check across periods (with ``--period`` and two periods or
more; every charted number is in a table beside the chart), SLA compliance per policy, data
quality and how the score is computed.

Numbers are written as the other scorecard views write them (durations under an hour in minutes
or seconds, levels as declared), by :func:`number`, :func:`level`, :func:`signed` and
:func:`score_text`, the functions the tests use too::

    >>> number(70.0, "%"), number(0.004583, "hours"), number(None, "%"), number(12, "contacts")
    ('70.00 %', '16.50 s', '—', '12')
    >>> level(5 / 60, "hours"), level(4.0, "hours"), level(95.0, "%"), level(None, "%")
    ('5 min', '4 h', '95 %', '—')
    >>> signed(-6.11, "%"), signed(1.5, "hours"), signed(0.25, "hours"), signed(0.0, "%")
    ('-6.11 pp', '+1.50 h', '+15.00 min', '0.00 pp')
    >>> score_text(41.666), score_text(-7.5, signed=True), score_text(None)
    ('41.7', '-7.5', '—')
    >>> status_word("insufficient data"), status_word("not available")
    ('INSUFFICIENT DATA', 'N/A')
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence, Set
from html import escape
from typing import Any

from supportkpi import __version__
from supportkpi.engine import PERIOD_COLUMN
from supportkpi.render.scorecard import WORDS as STATUS_WORDS
from supportkpi.render.formatting import level_text, measure
from supportkpi.render.scorecard import status_word
from supportkpi.render.formatting import format_number, with_unit
from supportkpi.scorecard import GroupScore, Scorecard
from supportkpi.targets import Check, CheckResult

_STATUS_CLASS = {
    "pass": "pass", "warn": "warn", "fail": "fail",
    "insufficient data": "insufficient", "not available": "na",
}
# Okabe–Ito colours (distinguishable with colour-blindness), and a marker per series so that
# lines are told apart without colour too
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")
MARKERS = ("●", "■", "▲", "◆")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
WARN_COLOUR, FAIL_COLOUR = "#9a6700", "#b42318"

Lines = Mapping[tuple, Mapping[str, CheckResult]]
"""A chart's lines: per group (keys without the period), its result per period."""

CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1f2328; background: #fff; max-width: 62rem; margin: 0 auto; padding: 1.5rem;
  line-height: 1.45; font-size: 15px; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #d0d7de; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
h4 { font-size: .95rem; margin: 1rem 0 .3rem; color: #57606a; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .8rem 0; }
dl.meta dt { font-weight: 600; color: #57606a; }
dl.meta dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .9rem; }
caption { text-align: left; padding: .3rem 0; }
th, td { border-bottom: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.muted { color: #57606a; font-size: .85em; }
.score { font-size: 1.1rem; font-weight: 700; }
.badge { display: inline-block; padding: .05rem .45rem; border-radius: .3rem; font-weight: 700;
  font-size: .8rem; border: 1px solid transparent; white-space: nowrap; }
.s-pass { color: #0f5132; background: #d1e7dd; border-color: #a3cfbb; }
.s-warn { color: #664d03; background: #fff3cd; border-color: #ffda6a; }
.s-fail { color: #842029; background: #f8d7da; border-color: #f1aeb5; }
.s-insufficient { color: #41464b; background: #e2e3e5; border-color: #c4c8cb; }
.s-na { color: #41464b; background: #f8f9fa; border-color: #adb5bd; border-style: dashed; }
figure { margin: 1rem 0 1.5rem; }
figcaption { font-weight: 600; margin-bottom: .3rem; }
svg.chart { width: 100%; max-width: 36rem; height: auto; display: block; }
.legend { list-style: none; padding: 0; margin: .2rem 0; display: flex; flex-wrap: wrap; gap: .2rem 1rem;
  font-size: .85rem; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
footer { margin-top: 2rem; color: #57606a; font-size: .8rem; }
@page { margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; }
  table, figure, caption { break-inside: avoid; }
  .badge, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


# -- formatting (shared with the tests) ---------------------------------------------------


def number(value: float | int | None, unit: str) -> str:
    """A value with its unit."""
    return measure(value, unit)


def level(value: float | None, unit: str) -> str:
    """A warn or fail level, as declared in kpi.yaml."""
    return "—" if value is None else level_text(value, unit)


def signed(value: float | None, unit: str) -> str:
    """A difference (distance to target, change) with its sign; a difference of percentages is
    in percentage points."""
    if value is None:
        return "—"
    sign = "-" if value < 0 else "+" if value > 0 else ""
    if unit == "%":
        return f"{sign}{format_number(abs(float(value)), unit)} pp"
    return sign + measure(abs(float(value)), unit)


def score_text(value: float | None, signed: bool = False) -> str:
    """An overall score (0–100), or a change of it, to one decimal."""
    if value is None:
        return "—"
    return f"{value:+.1f}" if signed and value else f"{value:.1f}"


def count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _e(value: Any) -> str:
    """Escaped text of a name from the data (None reads "(none)")."""
    return escape("(none)" if value is None else str(value), quote=True)


def _label(keys: Mapping[str, Any]) -> str:
    """A group as a person names it: its values joined by " · " (not escaped)."""
    return " · ".join("(none)" if v is None else str(v) for v in keys.values()) or "All contacts"


def _slice_text(text: str) -> str:
    return f"[{text}]" if text else ""


def check_name(result: CheckResult) -> str:
    """The check's name with its slice, e.g. ``first_response_time [channel=chat]`` (not
    escaped)."""
    return " ".join(p for p in (result.check.name, _slice_text(result.slice_text)) if p)


def _badge(status: str) -> str:
    return f'<span class="badge s-{_STATUS_CLASS.get(status, "na")}">{escape(status_word(status))}</span>'


def _judged(value: float | None, higher_is_better: bool) -> str:
    """"better", "worse" or "same" for a difference, given the direction of better."""
    if value is None:
        return ""
    if value == 0:
        return "same"
    return "better" if (value > 0) == higher_is_better else "worse"


def _table(
    caption: str, header: Sequence[str], rows: Iterable[Sequence[str]], numeric: Set[int] = frozenset()
) -> str:
    """A table; ``caption`` and cells are HTML already (escaped by the caller)."""
    head = "".join(
        f'<th scope="col"{" class=num" if i in numeric else ""}>{escape(h)}</th>' for i, h in enumerate(header)
    )
    body = "".join(
        "<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{c}</td>' for i, c in enumerate(row))
        + "</tr>\n"
        for row in rows
    )
    cap = f"<caption>{caption}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody></table>\n"


# -- the page -------------------------------------------------------------------------------


def render(card: Scorecard) -> str:
    """The scorecard as one self-contained HTML page."""
    title = _title(card)
    return page(
        title, [_header(card, title), _headline(card), _trend(card), _sla(card), _benchmark(card), _quality(card)]
    )


def _benchmark(card: Scorecard) -> str:
    """Industry figures beside the checks (``--benchmark``), each with its source and year."""
    from supportkpi.render.scorecard import benchmark_lines

    lines = benchmark_lines(card)
    if not lines:
        return ""
    items = "".join(f"<li>{_e(line)}</li>\n" for line in lines)
    return (
        '<section id="benchmark">\n<h2>Industry benchmark</h2>\n'
        "<p class=muted>Context, not targets: sources define KPIs their own way.</p>\n"
        f"<ul>\n{items}</ul>\n</section>\n"
    )


def page(title: str, sections: Sequence[str]) -> str:
    """A self-contained page: ``title`` is plain text, ``sections`` HTML already escaped."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "".join(s for s in sections if s)
        + f"<footer>Generated by supportkpi {_e(__version__)}. Self-contained: no scripts, "
        "no external resources.</footer>\n</body>\n</html>\n"
    )


def _title(card: Scorecard) -> str:
    series = {_series_key(s.keys) for s in card.scores}
    if card.by and len(series) == 1:
        return f"Support scorecard — {_label(dict(next(iter(series))))}"
    return "Support scorecard"


def _series_key(keys: Mapping[str, Any]) -> tuple:
    return tuple((k, v) for k, v in keys.items() if k != PERIOD_COLUMN)


def _header(card: Scorecard, title: str) -> str:
    base = card.base
    inputs = "<br>".join(
        f"<code>{_e(i.path)}</code> <span class=muted>({_e(i.format)}, {count(i.rows)} rows"
        + (f", {_e(i.source)}" if i.source else "") + ")</span>"
        for i in base.inputs
    ) or "—"
    counts = sorted(card.counts().items(), key=lambda kv: _status_order(kv[0]))
    summary = " ".join(f"{_badge(status)} {count(n)}" for status, n in counts) or "no checks"
    rows = [
        ("Generated by", f"supportkpi {_e(__version__)}"),
        ("Inputs", inputs),
        ("Grouping", ", ".join(f"<code>{_e(b)}</code>" for b in card.by) or "none (all contacts)"),
        ("Period", _e(card.period) if card.period else "none (whole range)"),
        ("Time zone", _e(base.timezone)),
        ("As of", _e(base.as_of.isoformat()) if base.as_of else "—"),
        ("Checks", summary),
    ]
    meta = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return f'<header>\n<h1>{_e(title)}</h1>\n<dl class="meta">{meta}</dl>\n</header>\n'


def _status_order(status: str) -> int:
    return list(STATUS_WORDS).index(status) if status in STATUS_WORDS else len(STATUS_WORDS)


# -- headline -------------------------------------------------------------------------------


CHECK_HEADER = ("Check", "Value", "Warn", "Fail", "Status", "n", "To target", "Change")


def _headline(card: Scorecard) -> str:
    """Per series (vendor): its latest period first, then the earlier ones."""
    series: dict[tuple, list[tuple[GroupScore, list[CheckResult]]]] = defaultdict(list)
    for score, results in card.group_results():
        series[_series_key(score.keys)].append((score, results))
    parts = ['<section id="scorecard">\n<h2>Scorecard</h2>\n']
    if not series:
        parts.append("<p>No groups: the data has no rows to judge.</p>\n")
    for key, groups in series.items():
        parts.append(f"<h3>{_e(_label(dict(key)))}</h3>\n")
        ordered = list(reversed(groups)) if card.period else groups
        for position, (score, results) in enumerate(ordered):
            if card.period and position == 1:
                parts.append("<h4>Earlier periods</h4>\n")
            parts.append(_group_table(score, results))
    parts.append("</section>\n")
    return "".join(parts)


def _group_table(score: GroupScore, results: list[CheckResult]) -> str:
    change = ""
    if score.change is not None:
        since = f" since {_e(score.since)}" if score.since else ""
        change = (
            f' <span class="muted">{score_text(score.change, signed=True)}{since} '
            f"({_judged(score.change, True)})</span>"
        )
    caption = (
        f"<strong>{_e(_label(score.keys))}</strong> — "
        f'<span class="score">Score {score_text(score.score)} / 100</span>{change}'
    )
    if score.score is None:
        caption += ' <span class="muted">(no check judged)</span>'
    return _table(caption, CHECK_HEADER, (_check_row(r) for r in results), numeric={1, 2, 3, 5, 6, 7})


def _check_row(result: CheckResult) -> list[str]:
    check, unit = result.check, result.check.unit
    notes = [escape(check.title)]
    if result.override is not None:
        notes.append("levels for " + _e(", ".join(f"{k}={v}" for k, v in result.override.conditions.items())))
    status = _badge(result.status)
    if result.status == "insufficient data":
        status += f' <span class="muted">(n &lt; {result.levels.min_sample})</span>'
    elif result.status == "not available":
        status += f' <span class="muted">(needs {_e(", ".join(result.needs))})</span>'
    higher = check.direction == "higher"
    gap = result.gap
    gap_word = "" if gap is None else "on target" if gap == 0 else "ahead" if gap > 0 else "behind"
    return [
        f"<code>{_e(check_name(result))}</code><br><span class=muted>{'; '.join(notes)}</span>",
        escape(number(result.value, unit)) if result.available else "n/a",
        escape(level(result.levels.warn, unit)),
        escape(level(result.levels.fail, unit)),
        status,
        escape(count(result.n)),
        escape(signed(gap, unit)) + (f" <span class=muted>{gap_word}</span>" if gap_word else ""),
        escape(signed(result.change, unit))
        + (f" <span class=muted>{_judged(result.change, higher)}</span>" if result.change is not None else ""),
    ]


# -- trend ----------------------------------------------------------------------------------


def periods_of(card: Scorecard) -> list[str]:
    """The periods of the run, in order."""
    found = {s.keys.get(PERIOD_COLUMN) for s in card.scores if PERIOD_COLUMN in s.keys}
    return sorted(p for p in found if p is not None)


def _trend(card: Scorecard) -> str:
    periods = periods_of(card)
    if card.period is None or len(periods) < 2:
        return ""
    parts = [
        '<section id="trend">\n<h2>Trend by period</h2>\n',
        "<p class=muted>One chart per check (and per channel or priority where the check is judged "
        "so); dashed lines are the warn and fail levels; a hollow marker is a value on fewer contacts "
        "than the target's minimum sample. The numbers are in the table under each chart. "
        f"Periods: {_e(card.period)}.</p>\n",
    ]
    for check in card.checks:
        results = [r for r in card.results if r.check.name == check.name]
        by_slice: dict[str, list[CheckResult]] = defaultdict(list)
        for result in results:
            by_slice[result.slice_text].append(result)
        for slice_text, members in by_slice.items():
            parts.append(_trend_figure(check, slice_text, members, periods))
    parts.append("</section>\n")
    return "".join(parts)


def _trend_figure(check: Check, slice_text: str, results: list[CheckResult], periods: list[str]) -> str:
    lines: dict[tuple, dict[str, CheckResult]] = defaultdict(dict)
    for result in results:
        key = tuple((k, v) for k, v in result.keys.items() if k != PERIOD_COLUMN)
        lines[key][result.keys.get(PERIOD_COLUMN)] = result
    label = " ".join(p for p in (check.name, _slice_text(slice_text)) if p)
    better = "higher is better" if check.direction == "higher" else "lower is better"
    caption = (
        f"<figcaption><code>{_e(label)}</code> — {escape(check.title)} "
        f'<span class="muted">({better})</span></figcaption>'
    )
    legend = "".join(
        f'<li><span style="color:{PALETTE[i % len(PALETTE)]}" aria-hidden="true">'
        f"{MARKERS[i % len(MARKERS)]}</span> {_e(_label(dict(key)))}</li>"
        for i, key in enumerate(lines)
    )
    return (
        f"<figure>{caption}\n{_chart(check, label, lines, periods)}"
        f'<ul class="legend">{legend}</ul>\n{_trend_table(check, lines, periods)}</figure>\n'
    )


def _trend_table(check: Check, lines: Lines, periods: list[str]) -> str:
    rows = []
    for key, by_period in lines.items():
        levels = {(r.levels.warn, r.levels.fail) for r in by_period.values()}
        warn = " / ".join(level(w, check.unit) for w, _ in sorted(levels, key=str))
        fail = " / ".join(level(f, check.unit) for _, f in sorted(levels, key=str))
        cells = []
        for period in periods:
            result = by_period.get(period)
            if result is None:
                cells.append('<span class="muted">no data</span>')
            else:
                cells.append(
                    escape(number(result.value, check.unit))
                    + f"<br><span class=muted>{escape(status_word(result.status))}</span>"
                )
        rows.append([_e(_label(dict(key))), escape(warn), escape(fail), *cells])
    header = ("Group", "Warn", "Fail", *periods)
    return _table("", header, rows, numeric=set(range(1, len(header))))


def _chart(check: Check, label: str, lines: Lines, periods: list[str]) -> str:
    """An inline SVG line chart: one line per group, the warn and fail levels as dashed lines."""
    width, height = 560, 200
    left, right, top, bottom = 64, 76, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [r.value for by_period in lines.values() for r in by_period.values() if r.value is not None]
    levels = sorted(
        {(kind, v) for by_period in lines.values() for r in by_period.values()
         for kind, v in (("warn", r.levels.warn), ("fail", r.levels.fail)) if v is not None}
    )
    factor, axis_unit = _axis_unit(check.unit, values + [v for _, v in levels])
    ticks = _ticks([v * factor for v in values + [v for _, v in levels]])
    lo, hi = ticks[0], ticks[-1]

    def x(i: int) -> float:
        return left + plot_w * i / (len(periods) - 1)

    def y(v: float) -> float:
        """The height of a value in the check's unit."""
        return top + plot_h * (hi - v * factor) / (hi - lo)

    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_e(label)}: trend by period, numbers in the table below" '
        'font-family="system-ui, sans-serif" font-size="11">',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fff" stroke="#d0d7de"/>',
    ]
    for tick in ticks:  # y axis: gridlines at round values
        at = y(tick / factor)
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{at:.1f}" y2="{at:.1f}" stroke="#eaeef2"/>'
            f'<text x="{left - 6}" y="{at + 4:.1f}" text-anchor="end" fill="#57606a">'
            f"{escape(with_unit(f'{tick:g}', axis_unit))}</text>"
        )
    step = max(1, math.ceil(len(periods) / 8))
    for i, period in enumerate(periods):  # x axis: the periods, thinned when many
        if i % step == 0 or i == len(periods) - 1:
            out.append(
                f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="middle" fill="#57606a">{_e(period)}</text>'
            )
    several = {kind for kind, _ in levels if sum(k == kind for k, _ in levels) > 1}
    for kind, v in levels:  # named with their value when groups have different levels
        colour = WARN_COLOUR if kind == "warn" else FAIL_COLOUR
        name = f"{kind} {level(v, check.unit)}"
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="{colour}" '
            f'stroke-width="1.2" stroke-dasharray="5 4"><title>{escape(name)}</title></line>'
            f'<text x="{left + plot_w + 4}" y="{y(v) + 4:.1f}" fill="{colour}">'
            f"{escape(name if kind in several else kind)}</text>"
        )
    for index, (key, by_period) in enumerate(lines.items()):
        out.append(_series(index, _label(dict(key)), by_period, periods, x, y, check.unit))
    out.append("</svg>\n")
    return "".join(out)


def _axis_unit(unit: str, values: list[float]) -> tuple[float, str]:
    """Durations in hours that all stay under an hour are charted in minutes (or seconds), as
    the tables write them: the factor from the check's unit, and the axis' unit.

    >>> _axis_unit("hours", [0.004, 0.25]), _axis_unit("hours", [0.5, 8.0]), _axis_unit("%", [5.0])
    ((60.0, 'min'), (1.0, 'hours'), (1.0, '%'))
    """
    top = max((abs(v) for v in values), default=0.0)
    if unit == "hours" and top < 1:
        return (60.0, "min") if top * 60 >= 1 else (3600.0, "seconds")
    return 1.0, unit


def _ticks(values: list[float], count: int = 4) -> list[float]:
    """Round values for the y axis (steps of 1, 2, 2.5 or 5 times a power of ten), spanning
    ``values``.

    >>> _ticks([46.0, 100.0]), _ticks([0.0033, 0.25]), _ticks([5.0])
    ([40.0, 60.0, 80.0, 100.0], [0.0, 0.1, 0.2, 0.3], [4.5, 4.75, 5.0, 5.25, 5.5])
    """
    if not values:
        return [0.0, 1.0]
    lo, hi = min(values), max(values)
    if hi == lo:
        pad = abs(hi) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [float(round(i * step, 12)) for i in range(math.floor(lo / step), math.ceil(hi / step) + 1)]


def _series(
    index: int, name: str, by_period: Mapping[str, CheckResult], periods: list[str], x, y, unit: str
) -> str:
    """One group's line (broken where a period has no value) and its markers."""
    colour, dash = PALETTE[index % len(PALETTE)], DASHES[index % len(DASHES)]
    points = [
        (i, by_period[p]) if p in by_period and by_period[p].value is not None else None
        for i, p in enumerate(periods)
    ]
    out = []
    run: list[str] = []
    for point in [*points, None]:
        if point is not None:
            run.append(f"{x(point[0]):.1f},{y(point[1].value):.1f}")
            continue
        if len(run) > 1:
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="2"{dashed}/>')
        run = []
    for point in points:
        if point is None:
            continue
        i, result = point
        tip = (
            f"<title>{_e(name)} · {_e(periods[i])}: {escape(number(result.value, unit))} "
            f"({escape(status_word(result.status))})</title>"
        )
        hollow = result.status == "insufficient data"
        out.append(_marker(index, x(i), y(result.value), colour, tip, hollow))
    return f'<g>{"".join(out)}</g>'


def _marker(index: int, cx: float, cy: float, colour: str, tip: str, hollow: bool = False) -> str:
    """The group's marker shape at a point; hollow for a value on too small a sample."""
    shape = index % len(MARKERS)
    paint = f'fill="#fff" stroke="{colour}" stroke-width="1.5"' if hollow else f'fill="{colour}"'
    if shape == 0:
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" {paint}>{tip}</circle>'
    if shape == 1:
        return f'<rect x="{cx - 3.2:.1f}" y="{cy - 3.2:.1f}" width="6.4" height="6.4" {paint}>{tip}</rect>'
    if shape == 2:
        pts = f"{cx:.1f},{cy - 4.2:.1f} {cx + 4:.1f},{cy + 3:.1f} {cx - 4:.1f},{cy + 3:.1f}"
    else:
        pts = f"{cx:.1f},{cy - 4.5:.1f} {cx + 4:.1f},{cy:.1f} {cx:.1f},{cy + 4.5:.1f} {cx - 4:.1f},{cy:.1f}"
    return f'<polygon points="{pts}" {paint}>{tip}</polygon>'


# -- SLA ------------------------------------------------------------------------------------


def _sla(card: Scorecard) -> str:
    rows = card.sla_rows()
    if not card.policies:
        return ""
    checks = {c.kpi.split(".", 1)[1]: c for c in card.checks if c.kpi.startswith("sla_compliance.")}
    parts = [
        '<section id="sla">\n<h2>SLA compliance</h2>\n'
        "<p class=muted>Share of contacts that met each policy's targets, per group (every policy of "
        "kpi.yaml, whether it has a target or not).</p>\n"
    ]
    for policy in (p.split(".", 1)[1] for p in card.policies):
        members = [r for r in rows if r["policy"] == policy]
        keys = list(members[0]["keys"]) if members else []
        check = checks.get(policy)
        caption = f"<strong>Policy <code>{_e(policy)}</code></strong>"
        if check is not None:
            caption += (
                f' <span class="muted">target: warn below {escape(level(check.levels.warn, "%"))}, '
                f"fail below {escape(level(check.levels.fail, '%'))}</span>"
            )
        body = [
            [
                *(_e(r["keys"].get(k)) for k in keys),
                escape(number(r["value"], "%")) if r["available"] else "n/a",
                escape(count(r["n"])),
                _e(", ".join(f"{reason} {n:,}" for reason, n in r["excluded"].items() if n)),
            ]
            for r in members
        ]
        header = (*keys, "Compliance", "n", "Left out")
        parts.append(_table(caption, header, body, numeric={len(keys), len(keys) + 1}))
    parts.append("</section>\n")
    return "".join(parts)


# -- data quality and scoring ---------------------------------------------------------------


def _quality(card: Scorecard) -> str:
    base = card.base
    if base.findings:
        items = "".join(f"<li>{_e(f.message())}{_examples(f.examples)}</li>\n" for f in base.findings)
        findings = f"<p>{count(base.data_errors)} row(s) with data errors.</p>\n<ul>\n{items}</ul>\n"
    else:
        findings = "<p>No findings: every row was read as expected.</p>\n"
    return (
        '<section id="data-quality">\n<h2>Data quality</h2>\n'
        + findings
        + _scoring(card)
        + "</section>\n"
    )


def _examples(examples: list[dict[str, Any]]) -> str:
    if not examples:
        return ""
    shown = "; ".join(
        ", ".join(f"{k} {v}" for k, v in example.items()) for example in examples[:3]
    )
    return f'<br><span class="muted">e.g. {_e(shown)}</span>'


def _scoring(card: Scorecard) -> str:
    scoring = card.to_dict()["scoring"]
    points = ", ".join(f"{escape(status_word(s))} = {p:g}" for s, p in scoring["points"].items())
    rows = []
    for check in card.checks:
        overrides = "; ".join(
            ", ".join(f"{k}={v}" for k, v in o.conditions.items())
            + f": warn {level(o.levels.warn, check.unit)}, fail {level(o.levels.fail, check.unit)}"
            for o in check.overrides
        )
        rows.append([
            f"<code>{_e(check.name)}</code>",
            f"{check.weight:g}",
            "higher" if check.direction == "higher" else "lower",
            escape(level(check.levels.warn, check.unit)),
            escape(level(check.levels.fail, check.unit)),
            escape(count(check.levels.min_sample)),
            _e(overrides) or '<span class="muted">none</span>',
        ])
    table = _table(
        "<strong>Targets</strong>",
        ("Check", "Weight", "Better", "Warn", "Fail", "Min sample", "Overrides"),
        rows, numeric={1, 3, 4, 5},
    )
    return (
        "<h3>How the score is computed</h3>\n"
        f"<p>Points per judged check: {points}. {_e(scoring['formula'])}. Checks with "
        "insufficient data or not available are left out of the score.</p>\n"
        + table
    )
