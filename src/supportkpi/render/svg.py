"""Trend charts as inline SVG: one line per group across the periods, the warn and fail levels as
dashed lines. Drawn here rather than by a library so that the page needs nothing from the
network; every text in a chart (groups, periods, levels) is escaped as it is written, and the
chart is handed to the template as :class:`~supportkpi.render.markup.Html` built only from such
parts.

Lines are told apart without colour too: a marker shape and a dash pattern per group."""

from __future__ import annotations

import math
from collections.abc import Mapping

from supportkpi.render.formatting import level, measure, plain_number, score, with_unit
from supportkpi.render.markup import Html
from supportkpi.render.scorecard import status_word
from supportkpi.targets import Check, CheckResult

# Okabe–Ito colours (distinguishable with colour-blindness), and a marker per series so that
# lines are told apart without colour too
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")
MARKERS = ("●", "■", "▲", "◆")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
WARN_COLOUR, FAIL_COLOUR = "#9a6700", "#b42318"
FONT_SIZE = 11
CHAR_WIDTH = 0.65 * FONT_SIZE
"""The width of a period label's characters on average, in the chart's units, with room to
spare (digits and "-" of system-ui fonts are 0.3-0.6 em, a "W" 0.9 em)."""
LABEL_GAP = 6

Lines = Mapping[tuple, Mapping[str, CheckResult]]
"""A chart's lines: per group (keys without the period), its result per period."""


def group_label(keys: Mapping[str, object]) -> str:
    """A group as a person names it: its values joined by " · " (not escaped)."""
    return " · ".join("(none)" if v is None else str(v) for v in keys.values()) or "All contacts"


def chart(check: Check, label: str, lines: Lines, periods: list[str], table_id: str) -> Html:
    """An inline SVG line chart: one line per group, the warn and fail levels as dashed lines;
    its numbers are in the table with id ``table_id``."""
    width, height = 560, 200
    left, right, top, bottom = 64, 76, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [r.value for by_period in lines.values() for r in by_period.values() if r.value is not None]
    levels = sorted(
        {
            (kind, v)
            for by_period in lines.values()
            for r in by_period.values()
            for kind, v in (("warn", r.levels.warn), ("fail", r.levels.fail))
            if v is not None
        }
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
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-describedby="{table_id}" '
        f'aria-label="{Html.escape(label)}: trend by period, numbers in the table below" '
        f'font-family="system-ui, sans-serif" font-size="{FONT_SIZE}">',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fff" stroke="#d0d7de"/>',
    ]
    for tick in ticks:  # y axis: gridlines at round values
        at = y(tick / factor)
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{at:.1f}" y2="{at:.1f}" stroke="#eaeef2"/>'
            f'<text x="{left - 6}" y="{at + 4:.1f}" text-anchor="end" fill="#57606a">'
            f"{Html.escape(with_unit(plain_number(tick), axis_unit))}</text>"
        )
    for i in labelled(periods, plot_w):  # x axis: the periods, thinned so that none collide
        out.append(
            f'<text class="x-label" x="{x(i):.1f}" y="{height - 8}" text-anchor="middle" fill="#57606a">'
            f"{Html.escape(periods[i])}</text>"
        )
    several = {kind for kind, _ in levels if sum(k == kind for k, _ in levels) > 1}
    for kind, v in levels:  # named with their value when groups have different levels
        colour = WARN_COLOUR if kind == "warn" else FAIL_COLOUR
        name = f"{kind} {level(v, check.unit)}"
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="{colour}" '
            f'stroke-width="1.2" stroke-dasharray="5 4"><title>{Html.escape(name)}</title></line>'
            f'<text x="{left + plot_w + 4}" y="{y(v) + 4:.1f}" fill="{colour}">'
            f"{Html.escape(name if kind in several else kind)}</text>"
        )
    for index, (key, by_period) in enumerate(lines.items()):
        out.append(_series(index, group_label(dict(key)), by_period, periods, x, y, check.unit))
    out.append("</svg>\n")
    return Html("".join(out))  # every text above is escaped


def sparkline(periods: list[str], scores: list[float | None], colour: str, table_id: str) -> Html:
    """A series' score (0-100, the same scale for every series) across the periods as a small
    line, the latest score as a dot in ``colour``; the numbers are in the aria label and in the
    table with id ``table_id``."""
    width, height, pad = 120, 32, 4

    def x(i: int) -> float:
        return pad + (width - 2 * pad) * i / max(1, len(periods) - 1)

    def y(value: float) -> float:
        return pad + (height - 2 * pad) * (100 - value) / 100

    said = ", ".join(f"{p} {score(s)}" for p, s in zip(periods, scores) if s is not None)
    out = [
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-describedby="{table_id}" aria-label="Score by period: {Html.escape(said)}">',
        f'<line x1="{pad}" x2="{width - pad}" y1="{y(50):.1f}" y2="{y(50):.1f}" stroke="#d0d7de" '
        'stroke-dasharray="2 2"/>',
    ]
    runs: list[list[str]] = [[]]
    for i, value in enumerate(scores):  # broken where a period has no score
        if value is None:
            runs.append([])
        else:
            runs[-1].append(f"{x(i):.1f},{y(value):.1f}")
    out += [
        f'<polyline points="{" ".join(run)}" fill="none" stroke="#57606a" stroke-width="1.5"/>'
        for run in runs
        if len(run) > 1
    ]
    scored = [(i, v) for i, v in enumerate(scores) if v is not None]
    if scored:
        i, value = scored[-1]
        out.append(f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="3" fill="{colour}"/>')
    out.append("</svg>")
    return Html("".join(out))  # the only text, the aria label, is escaped


def labelled(periods: list[str], plot_width: float) -> range:
    """The indexes of the periods to label on an x axis ``plot_width`` wide: evenly spaced,
    ending with the latest, and far enough apart that no two labels touch.

    >>> months = [f"{2024 + m // 12}-{m % 12 + 1:02d}" for m in range(36)]
    >>> list(labelled(months[:3], 420)), list(labelled(months, 420))
    ([0, 1, 2], [0, 5, 10, 15, 20, 25, 30, 35])
    """
    if len(periods) < 2:
        return range(len(periods))
    spacing = plot_width / (len(periods) - 1)
    widest = max(len(p) for p in periods) * CHAR_WIDTH + LABEL_GAP
    step = math.ceil(widest / spacing)
    return range((len(periods) - 1) % step, len(periods), step)


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


def _series(index: int, name: str, by_period: Mapping[str, CheckResult], periods: list[str], x, y, unit: str) -> str:
    """One group's line (broken where a period has no value) and its markers."""
    colour, dash = PALETTE[index % len(PALETTE)], DASHES[index % len(DASHES)]
    points = [
        (i, by_period[p]) if p in by_period and by_period[p].value is not None else None for i, p in enumerate(periods)
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
            f"<title>{Html.escape(name)} · {Html.escape(periods[i])}: {Html.escape(measure(result.value, unit))} "
            f"({Html.escape(status_word(result.status))})</title>"
        )
        hollow = result.status == "insufficient data"
        out.append(_marker(index, x(i), y(result.value), colour, tip, hollow))
    return f"<g>{''.join(out)}</g>"


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
