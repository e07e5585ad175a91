"""Views of a :class:`~supportkpi.scorecard.Scorecard`: Rich tables, JSON, CSV and Markdown.

Every view reads the same scorecard. A status is always written as a word (PASS, WARN, FAIL,
INSUFFICIENT DATA, N/A), so it survives ``NO_COLOR``, copy-paste and a printer; colour only
repeats it.
"""

from __future__ import annotations

from typing import Any

from supportkpi.render.formatting import count, difference, difference_unit, level_text, measure, score
from supportkpi.render.json import dumps
from supportkpi.render.tabular import csv_text, markdown_cell, markdown_table
from supportkpi.render.text import one_line
from supportkpi.scorecard import GroupScore, Scorecard
from supportkpi.targets import FAIL, INSUFFICIENT, NOT_AVAILABLE, PASS, WARN, CheckResult

WORDS = {PASS: "PASS", WARN: "WARN", FAIL: "FAIL", INSUFFICIENT: "INSUFFICIENT DATA", NOT_AVAILABLE: "N/A"}
STYLES = {PASS: "green", WARN: "yellow", FAIL: "bold red", INSUFFICIENT: "dim", NOT_AVAILABLE: "dim"}
SCORE_NOTE = (
    "Score 0–100: weighted mean of points per judged check (PASS 100, WARN 50, FAIL 0); "
    "insufficient data and N/A are left out."
)


def status_word(status: str) -> str:
    return WORDS[status]


def check_label(result: CheckResult) -> str:
    """The check's title (and its name, when kpi.yaml gives one), with the slice it was judged
    on: ``First response time [channel=chat]``, ``Customer satisfaction (csat_contract)``."""
    title = result.check.title + (f" ({result.check.name})" if result.check.named else "")
    return title + (f" [{result.slice_text}]" if result.slice_text else "")


def target_text(result: CheckResult) -> str:
    """The level to meet: ``≤ 4 h`` (the warn level, else the fail level)."""
    level = result.levels.target
    assert level is not None, "a target has a warn or a fail level (checked when kpi.yaml is read)"
    return f"{'≥' if result.check.direction == 'higher' else '≤'} {level_text(level, result.check.unit)}"


def fail_text(result: CheckResult) -> str:
    """Where a fail starts: ``> 8 h``; "(same)" when the target is the fail level itself."""
    if result.levels.fail is None:
        return ""
    if result.levels.warn is None:
        return "(same)"
    return f"{'<' if result.check.direction == 'higher' else '>'} {level_text(result.levels.fail, result.check.unit)}"


def levels_text(result: CheckResult) -> str:
    """Both levels in one cell: ``≤ 4 h (fail > 8 h)``."""
    fail = fail_text(result)
    return target_text(result) + (f" (fail {fail})" if fail and fail != "(same)" else "")


def gap_text(result: CheckResult) -> str:
    gap = result.gap
    if gap is None:
        return ""
    if gap == 0:
        return "on target"
    return f"{measure(abs(gap), difference_unit(result.check.unit))} {'better' if gap > 0 else 'worse'}"


def change_text(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    return difference(value, unit)


def score_text(group: GroupScore) -> str:
    if group.score is None:
        return "score — (no check with a weight judged)"
    text = f"score {score(group.score)} / 100"
    if group.change is not None:
        text += f" ({score(group.change, signed=True, plus_zero=True)} since {group.since})"
    return text


def group_title(group: GroupScore) -> str:
    keys = " · ".join(f"{k} {'(none)' if v is None else v}" for k, v in group.keys.items())
    return one_line(f"{keys or 'All contacts'} — {score_text(group)}")


# --- Rich -------------------------------------------------------------------------------------


def tables(card: Scorecard) -> list:
    from rich.table import Table
    from rich.text import Text

    out: list = []
    periods = card.period is not None
    for group, results in card.group_results():
        table = Table(title=Text(group_title(group)), title_justify="left", title_style="bold")
        table.add_column("Check", overflow="fold", min_width=14, ratio=3)
        table.add_column("Value", justify="right", no_wrap=True)
        table.add_column("Target", no_wrap=True)
        table.add_column("Fail", no_wrap=True)
        table.add_column("Status", overflow="fold", min_width=12)
        table.add_column("vs target", justify="right", overflow="fold", ratio=1)
        table.add_column("n", justify="right", no_wrap=True)
        if periods:
            table.add_column("Change", justify="right", no_wrap=True)
        for result in results:
            row: list[Text | str] = [
                Text(check_label(result)),
                measure(result.value, result.check.unit),
                target_text(result),
                fail_text(result),
                Text(status_word(result.status), style=STYLES[result.status]),
                gap_text(result),
                count(result.n),
            ]
            if periods:
                row.append(change_text(result.change, result.check.unit))
            table.add_row(*row)
        out.append(table)
    out += [Text(line, style="dim") for line in notes(card)]
    if card.mentions is not None:
        out += [Text(MENTIONS_TITLE, style="bold underline"), *tables(card.mentions)]
    return out


MENTIONS_TITLE = "Mentions (social posts, comments and reviews)"
"""The heading of a scorecard's mentions section (the targets of mention KPIs, judged over the
mentions exports of the run)."""


def benchmark_lines(card: Scorecard) -> list[str]:
    """``Benchmark csat: 86.21 % (average, e-commerce; LiveChat ..., 2014)`` per check."""
    if card.benchmark is None:
        return []
    lines = []
    for figure in card.benchmark_figures():
        where = f" [channel={figure['channel']}]" if figure["channel"] else ""
        lines.append(
            f"Benchmark {figure['check']}{where}: {level_text(figure['value'], figure['unit'])} "
            f"({figure['statistic']}, {figure['segment'] or 'segment not stated'}; "
            f"{figure['source']}, {figure['year']})"
        )
    return lines or [f"Benchmark {card.benchmark.spec.name}: no figure for these checks"]


def notes(card: Scorecard) -> list[str]:
    """Lines under every view: the score's formula, policies without a target, data quality."""
    lines = [SCORE_NOTE]
    targeted = {c.kpi for c in card.checks}
    untargeted = [p for p in card.policies if p not in targeted]
    if untargeted:
        lines.append(
            "SLA policies without a target (reported, not judged): "
            + ", ".join(untargeted)
            + "; add `- {kpi: <policy>, warn: 95, fail: 90}` under targets"
        )
    unavailable = sorted({f"{r.check.name} (needs {', '.join(r.needs)})" for r in card.results if not r.available})
    if unavailable:
        lines.append("Not available in these exports: " + "; ".join(unavailable))
    lines += benchmark_lines(card)
    findings = card.base.findings
    lines.append("Data quality: " + ("no findings" if not findings else "; ".join(f.message() for f in findings)))
    return lines


# --- JSON, CSV, Markdown ---------------------------------------------------------------------


def render_json(card: Scorecard) -> str:
    return dumps(card.to_dict())


CSV_COLUMNS = (
    "check",
    "kpi",
    "statistic",
    "slice",
    "value",
    "unit",
    "n",
    "warn",
    "fail",
    "min_sample",
    "weight",
    "status",
    "gap",
    "change",
    "change_since",
    "score",
    "score_change",
)


def rows(card: Scorecard) -> tuple[list[str], list[list[Any]]]:
    """Header and rows (one per group and check) shared by the CSV and Markdown views."""
    keys = [*card.by] + (["period"] if card.period else [])
    header = [*keys, *CSV_COLUMNS]
    out = []
    for group, results in card.group_results():
        for r in results:
            out.append(
                [
                    *(group.keys.get(k) for k in keys),
                    r.check.name,
                    r.check.kpi,
                    r.check.statistic,
                    r.slice_text,
                    r.value,
                    r.check.unit,
                    r.n,
                    r.levels.warn,
                    r.levels.fail,
                    r.levels.min_sample,
                    r.check.weight,
                    r.status,
                    r.gap,
                    r.change,
                    r.since,
                    group.score,
                    group.change,
                ]
            )
    return header, out


def render_csv(card: Scorecard) -> str:
    header, body = rows(card)
    if card.mentions is None:
        return csv_text(header, body)
    # one table: a "table" column says which section a row is of, the group keys of both
    more_header, more = rows(card.mentions)
    columns = ["table", *dict.fromkeys([*header, *more_header])]
    merged = [
        [name, *(dict(zip(head, row, strict=True)).get(c) for c in columns[1:])]
        for name, head, part in (("contacts", header, body), ("mentions", more_header, more))
        for row in part
    ]
    return csv_text(columns, merged)


def render_markdown(card: Scorecard) -> str:
    lines: list[str] = []
    periods = card.period is not None
    header = ["Check", "Value", "Target", "Fail", "Status", "vs target", "n"] + (["Change"] if periods else [])
    for group, results in card.group_results():
        lines += [f"### {markdown_cell(group_title(group))}", ""]
        rows = [
            [
                check_label(r),
                measure(r.value, r.check.unit),
                target_text(r),
                fail_text(r),
                f"**{status_word(r.status)}**",
                gap_text(r),
                count(r.n),
            ]
            + ([change_text(r.change, r.check.unit)] if periods else [])
            for r in results
        ]
        lines += markdown_table(header, rows, right={1, 5, 6, 7})
        lines.append("")
    lines += [f"- {markdown_cell(line)}" for line in notes(card)]
    if card.mentions is not None:
        lines += ["", f"## {MENTIONS_TITLE}", "", render_markdown(card.mentions)]
    return "\n".join(lines) + "\n"


def render_text(card: Scorecard, fmt: str) -> str:
    return {"json": render_json, "csv": render_csv, "markdown": render_markdown}[fmt](card)
