"""HTML view of a scorecard: one self-contained page a vendor manager can mail to a vendor.

The page needs nothing from the network: the CSS is inline, the trend charts are inline SVG
(:mod:`supportkpi.render.svg`), and there is no script at all. The page is a jinja2 template
(``templates/scorecard.html.j2``) with autoescaping: every value is escaped as it is written, so
a vendor called ``<script>`` is shown as text, never run. Cells that hold markup (a badge, a
muted note) are built here with :meth:`~supportkpi.render.markup.Html.format`, which escapes
what it is given.

Sections, in the order a vendor manager reads them: header (inputs, grouping, period, time zone,
as-of); a summary with one row per vendor (group) -- its latest score, the score's course as a
sparkline with words ("down 27.8 since 2025-10"), its checks by status and its failing and
warning checks worst first, since when (:mod:`supportkpi.render.summary`) -- and, with periods,
the table of scores the sparklines draw; the trend charts per check (with ``--period`` and two
periods or more); then the detail: the scorecard per group (latest period first), SLA
compliance per policy, industry benchmark, data quality and how the score is computed.

Every chart names the table of its numbers (``aria-describedby``); every table sits in a box of
its own that scrolls sideways when the table is wider than the page; the page prints on A4.

Numbers are written by :mod:`supportkpi.render.formatting`, as in the other scorecard views
(durations under an hour in minutes or seconds, levels as declared).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import jinja2

from supportkpi import __version__
from supportkpi.engine import PERIOD_COLUMN
from supportkpi.render.formatting import count, level, measure, plain_number, score, signed_measure
from supportkpi.render.markup import Html, line_breaks
from supportkpi.render.scorecard import WORDS as STATUS_WORDS
from supportkpi.render.scorecard import benchmark_lines, status_word, target_text
from supportkpi.render.summary import SeriesSummary, series_key, summarise
from supportkpi.render.svg import FAIL_COLOUR, MARKERS, PALETTE, WARN_COLOUR, chart, group_label, sparkline
from supportkpi.scorecard import GroupScore, Scorecard
from supportkpi.sla import SLA_COMPLIANCE
from supportkpi.targets import FAIL, PASS, WARN, Check, CheckResult

_STATUS_CLASS = {
    "pass": "pass",
    "warn": "warn",
    "fail": "fail",
    "insufficient data": "insufficient",
    "not available": "na",
}
CHECK_HEADER = ("Check", "Value", "Warn", "Fail", "Status", "n", "To target", "Change")
SCORE_TABLE = "score-by-period"
"""The id of the table of scores per series and period, which the summary's sparklines draw."""
SLIPS_SHOWN = 3
"""Failing and warning checks named per series in the summary; the others are counted."""
_DOT_COLOUR = {FAIL: FAIL_COLOUR, WARN: WARN_COLOUR, PASS: "#1a7f37"}
"""The colour of a sparkline's latest dot: the worst status judged in the latest period."""


_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("supportkpi.render", "templates"),
    autoescape=True,
    finalize=Html.escape,  # every value escaped the one way, before autoescape sees it as safe
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_ENVIRONMENT.filters["line_breaks"] = line_breaks


def render_page(template: str, title: str, **context: Any) -> str:
    """A self-contained page from one of the templates; ``title`` and the context are plain
    values (escaped by the template) or :class:`~supportkpi.render.markup.Html` built from
    escaped parts."""
    return _ENVIRONMENT.get_template(template).render(title=title, version=__version__, **context)


def _badge(status: str) -> Html:
    return Html('<span class="badge s-{}">{}</span>').format(_STATUS_CLASS.get(status, "na"), status_word(status))


def _muted(text: str) -> Html:
    return Html(" <span class=muted>{}</span>").format(text) if text else Html()


def _judged(value: float | None, higher_is_better: bool) -> str:
    """ "better", "worse" or "same" for a difference, given the direction of better."""
    if value is None:
        return ""
    if value == 0:
        return "same"
    return "better" if (value > 0) == higher_is_better else "worse"


def _check_label(check: Check, slice_text: str) -> str:
    """The check's name with its slice, e.g. ``first_response_time [channel=chat]``."""
    return " ".join(p for p in (check.name, f"[{slice_text}]" if slice_text else "") if p)


# -- the page -------------------------------------------------------------------------------


def render(card: Scorecard) -> str:
    """The scorecard as one self-contained HTML page."""
    series = {series_key(s.keys) for s in card.scores}
    title = "Support scorecard"
    if card.by and len(series) == 1:
        title += f" — {group_label(dict(next(iter(series))))}"
    periods = periods_of(card)
    summaries = summarise(card)
    charted = card.period is not None and len(periods) >= 2
    return render_page(
        "scorecard.html.j2",
        title,
        meta=_meta(card),
        summary=_summary(card, summaries, periods if charted else []),
        scores=_score_table(card, summaries, periods) if charted else None,
        headline=_headline(card),
        check_header=CHECK_HEADER,
        check_numeric={1, 2, 3, 5, 6, 7},
        period=card.period,
        trend=_trend(card, periods) if charted else [],
        sla=_sla(card) if card.policies else [],
        benchmark=benchmark_lines(card),
        findings=[{"message": f.message(), "examples": _examples(f.examples)} for f in card.base.findings],
        data_errors=count(card.base.data_errors),
        **_scoring(card),
    )


def _meta(card: Scorecard) -> list[tuple[str, object]]:
    base = card.base
    inputs = (
        Html("<br>").join(
            Html("<code>{}</code> <span class=muted>({}, {} rows{})</span>").format(
                i.path, i.format, count(i.rows), f", {i.source}" if i.source else ""
            )
            for i in base.inputs
        )
        or "—"
    )
    counts = sorted(card.counts().items(), key=lambda kv: _status_order(kv[0]))
    summary = Html(" ").join(Html("{} {}").format(_badge(status), count(n)) for status, n in counts)
    grouping = Html(", ").join(Html("<code>{}</code>").format(b) for b in card.by)
    return [
        ("Generated by", f"supportkpi {__version__}"),
        ("Inputs", inputs),
        ("Grouping", grouping or "none (all contacts)"),
        ("Period", card.period if card.period else "none (whole range)"),
        ("Time zone", base.timezone),
        ("As of", base.as_of.isoformat() if base.as_of else "—"),
        ("Checks", summary or "no checks"),
    ]


def _status_order(status: str) -> int:
    return list(STATUS_WORDS).index(status) if status in STATUS_WORDS else len(STATUS_WORDS)


# -- summary --------------------------------------------------------------------------------


def _summary(card: Scorecard, summaries: list[SeriesSummary], periods: list[str]) -> dict[str, Any]:
    """One row per series: its latest score, the score's course over ``periods`` (a sparkline
    and its words; none without periods), its checks by status, and its failing and warning
    checks, worst first."""
    header = [", ".join(card.by) or "Group", "Score"] + (["Trend"] if periods else []) + ["Checks", "Worst checks"]
    rows = []
    for summary in summaries:
        row: list[object] = [group_label(summary.keys), _summary_score(summary)]
        if periods:
            row.append(_summary_trend(summary, periods))
        counts = sorted(summary.counts.items(), key=lambda kv: _status_order(kv[0]))
        row.append(Html(" ").join(Html("{}&nbsp;{}").format(_badge(status), count(n)) for status, n in counts))
        row.append(_summary_slips(summary))
        rows.append(row)
    return {"header": header, "rows": rows, "numeric": {1}}


def _summary_score(summary: SeriesSummary) -> Html:
    if summary.latest.score is None:
        text = Html('— <span class="muted">(no check judged)</span>')
    else:
        text = Html('<span class="score">{}</span> <span class="muted">/ 100</span>').format(
            score(summary.latest.score)
        )
    if summary.period is not None:
        text += Html('<br><span class="muted">{}</span>').format(summary.period)
    return text


def _summary_trend(summary: SeriesSummary, periods: list[str]) -> Html:
    """The series' sparkline on the run's periods (so that all series share one time axis)."""
    worst = next((s for s in (FAIL, WARN, PASS) if s in summary.counts), "")
    by_period = dict(zip(summary.periods, summary.scores))
    scores = [by_period.get(p) for p in periods]
    line = sparkline(periods, scores, _DOT_COLOUR.get(worst, "#57606a"), SCORE_TABLE)
    course = summary.course
    if course is None:
        return line + Html('<span class="muted">one period scored</span>')
    direction, change, since = course
    if direction == "steady":
        return line + Html('<span class="muted course">steady since {}</span>').format(since)
    return line + Html(
        '<span class="course"><span class="{}">{} {}</span> <span class="muted">since {}</span></span>'
    ).format(direction, direction, score(change), since)


def _summary_slips(summary: SeriesSummary) -> Html:
    if not summary.slips:
        judged = any(s in summary.counts for s in (FAIL, WARN, PASS))
        return Html('<span class="muted">{}</span>').format(
            "none: every judged check passes" if judged else "no check judged"
        )
    items = [
        Html("<li>{} <code>{}</code> {} <span class=muted>(target {}){}</span></li>").format(
            _badge(slip.result.status),
            _check_label(slip.result.check, slip.result.slice_text),
            measure(slip.result.value, slip.result.check.unit),
            target_text(slip.result),
            f" since {slip.since}" if slip.since else "",
        )
        for slip in summary.slips[:SLIPS_SHOWN]
    ]
    if len(summary.slips) > SLIPS_SHOWN:
        items.append(Html('<li class="muted">and {} more</li>').format(len(summary.slips) - SLIPS_SHOWN))
    return Html('<ul class="slips">{}</ul>').format(Html("").join(items))


def _score_table(card: Scorecard, summaries: list[SeriesSummary], periods: list[str]) -> dict[str, Any]:
    """The numbers of the summary's sparklines: each series' score per period."""
    rows = []
    for summary in summaries:
        by_period = dict(zip(summary.periods, summary.scores))
        rows.append([group_label(summary.keys), *(score(by_period.get(p)) for p in periods)])
    return {
        "id": SCORE_TABLE,
        "caption": Html("<strong>Score by period</strong> <span class=muted>(the trend lines above)</span>"),
        "header": (", ".join(card.by) or "Group", *periods),
        "rows": rows,
        "numeric": set(range(1, len(periods) + 1)),
    }


# -- headline -------------------------------------------------------------------------------


def _headline(card: Scorecard) -> list[dict[str, Any]]:
    """Per series (vendor): its latest period first, then the earlier ones."""
    series: dict[tuple, list[tuple[GroupScore, list[CheckResult]]]] = defaultdict(list)
    for group, results in card.group_results():
        series[series_key(group.keys)].append((group, results))
    out = []
    for key, groups in series.items():
        ordered = list(reversed(groups)) if card.period else groups
        out.append(
            {
                "label": group_label(dict(key)),
                "groups": [
                    {
                        "earlier": bool(card.period) and position == 1,
                        "caption": _caption(group),
                        "rows": [_check_row(r) for r in results],
                    }
                    for position, (group, results) in enumerate(ordered)
                ],
            }
        )
    return out


def _caption(group: GroupScore) -> Html:
    caption = Html('<strong>{}</strong> — <span class="score">Score {} / 100</span>').format(
        group_label(group.keys), score(group.score)
    )
    if group.change is not None:
        since = f" since {group.since}" if group.since else ""
        caption += Html(' <span class="muted">{}{} ({})</span>').format(
            score(group.change, signed=True), since, _judged(group.change, True)
        )
    if group.score is None:
        caption += Html(' <span class="muted">(no check judged)</span>')
    return caption


def _check_row(result: CheckResult) -> list[object]:
    check, unit = result.check, result.check.unit
    notes = [check.title]
    if result.override is not None:
        notes.append("levels for " + ", ".join(f"{k}={v}" for k, v in result.override.conditions.items()))
    status = _badge(result.status)
    if result.status == "insufficient data":
        status += Html(' <span class="muted">(n &lt; {})</span>').format(result.levels.min_sample)
    elif result.status == "not available":
        status += Html(' <span class="muted">(needs {})</span>').format(", ".join(result.needs))
    gap = result.gap
    gap_word = "" if gap is None else "on target" if gap == 0 else "ahead" if gap > 0 else "behind"
    change_word = _judged(result.change, check.direction == "higher") if result.change is not None else ""
    return [
        Html("<code>{}</code><br><span class=muted>{}</span>").format(
            _check_label(check, result.slice_text), "; ".join(notes)
        ),
        measure(result.value, unit) if result.available else "n/a",
        level(result.levels.warn, unit),
        level(result.levels.fail, unit),
        status,
        count(result.n),
        Html.escape(signed_measure(gap, unit)) + _muted(gap_word),
        Html.escape(signed_measure(result.change, unit)) + _muted(change_word),
    ]


# -- trend ----------------------------------------------------------------------------------


def periods_of(card: Scorecard) -> list[str]:
    """The periods of the run, in order."""
    found = {s.keys.get(PERIOD_COLUMN) for s in card.scores if PERIOD_COLUMN in s.keys}
    return sorted(p for p in found if p is not None)


def _trend(card: Scorecard, periods: list[str]) -> list[dict[str, Any]]:
    """One figure per check (and per slice it is judged on)."""
    figures: list[dict[str, Any]] = []
    for check in card.checks:
        by_slice: dict[str, list[CheckResult]] = defaultdict(list)
        for result in card.results:
            if result.check.name == check.name:
                by_slice[result.slice_text].append(result)
        for slice_text, members in by_slice.items():
            figures.append(_trend_figure(check, slice_text, members, periods, f"trend-{len(figures) + 1}"))
    return figures


def _trend_figure(
    check: Check, slice_text: str, results: list[CheckResult], periods: list[str], table_id: str
) -> dict[str, Any]:
    lines_of: dict[tuple, dict[str, CheckResult]] = defaultdict(dict)
    for result in results:
        lines_of[series_key(result.keys)][result.keys[PERIOD_COLUMN]] = result
    label = _check_label(check, slice_text)
    rows = []
    for key, by_period in lines_of.items():
        levels = sorted({(r.levels.warn, r.levels.fail) for r in by_period.values()}, key=str)
        cells: list[object] = [group_label(dict(key))]
        cells.append(" / ".join(level(w, check.unit) for w, _ in levels))
        cells.append(" / ".join(level(f, check.unit) for _, f in levels))
        for period in periods:
            measured = by_period.get(period)
            cells.append(
                Html('<span class="muted">no data</span>')
                if measured is None
                else Html("{}<br><span class=muted>{}</span>").format(
                    measure(measured.value, check.unit), status_word(measured.status)
                )
            )
        rows.append(cells)
    header = ("Group", "Warn", "Fail", *periods)
    return {
        "label": label,
        "title": check.title,
        "better": "higher is better" if check.direction == "higher" else "lower is better",
        "chart": chart(check, label, lines_of, periods, table_id),
        "id": table_id,
        "legend": [
            {"colour": PALETTE[i % len(PALETTE)], "marker": MARKERS[i % len(MARKERS)], "label": group_label(dict(key))}
            for i, key in enumerate(lines_of)
        ],
        "header": header,
        "rows": rows,
        "numeric": set(range(1, len(header))),
    }


# -- SLA ------------------------------------------------------------------------------------


def _sla(card: Scorecard) -> list[dict[str, Any]]:
    """One table per policy of kpi.yaml, with its target when there is one."""
    rows = card.sla_rows()
    checks = {c.kpi.split(".", 1)[1]: c for c in card.checks if c.kpi.startswith(SLA_COMPLIANCE + ".")}
    tables = []
    for policy in (p.split(".", 1)[1] for p in card.policies):
        members = [r for r in rows if r["policy"] == policy]
        keys = list(members[0]["keys"]) if members else []
        check = checks.get(policy)
        caption = Html("<strong>Policy <code>{}</code></strong>").format(policy)
        if check is not None:
            caption += Html(' <span class="muted">target: warn below {}, fail below {}</span>').format(
                level(check.levels.warn, "%"), level(check.levels.fail, "%")
            )
        tables.append(
            {
                "caption": caption,
                "header": (*keys, "Compliance", "n", "Left out"),
                "rows": [
                    [
                        *(r["keys"].get(k) for k in keys),
                        measure(r["value"], "%") if r["available"] else "n/a",
                        count(r["n"]),
                        ", ".join(f"{reason} {count(n)}" for reason, n in r["excluded"].items() if n),
                    ]
                    for r in members
                ],
                "numeric": {len(keys), len(keys) + 1},
            }
        )
    return tables


# -- data quality and scoring ---------------------------------------------------------------


def _examples(examples: list[dict[str, Any]]) -> str | None:
    """Up to three example rows of a finding, or None."""
    if not examples:
        return None
    return "; ".join(", ".join(f"{k} {v}" for k, v in example.items()) for example in examples[:3])


def _scoring(card: Scorecard) -> dict[str, Any]:
    scoring = card.to_dict()["scoring"]
    rows = []
    for check in card.checks:
        overrides = "; ".join(
            ", ".join(f"{k}={v}" for k, v in o.conditions.items())
            + f": warn {level(o.levels.warn, check.unit)}, fail {level(o.levels.fail, check.unit)}"
            for o in check.overrides
        )
        rows.append(
            [
                Html("<code>{}</code>").format(check.name),
                plain_number(check.weight),
                "higher" if check.direction == "higher" else "lower",
                level(check.levels.warn, check.unit),
                level(check.levels.fail, check.unit),
                count(check.levels.min_sample),
                overrides or Html('<span class="muted">none</span>'),
            ]
        )
    return {
        "points": ", ".join(f"{status_word(s)} = {plain_number(p)}" for s, p in scoring["points"].items()),
        "formula": scoring["formula"],
        "targets": {
            "caption": Html("<strong>Targets</strong>"),
            "header": ("Check", "Weight", "Better", "Warn", "Fail", "Min sample", "Overrides"),
            "rows": rows,
            "numeric": {1, 3, 4, 5},
        },
    }
