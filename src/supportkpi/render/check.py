"""Views of a ``check`` run: what failed and warned, compactly; the counts; the exit code.

Each outcome is written as a word (PASS, WARN, FAIL, SKIP, ERROR); colour only repeats it.
"""

from __future__ import annotations

from collections import Counter

from supportkpi.render.formatting import count, measure
from supportkpi.render.json import dumps
from supportkpi.render.scorecard import check_label, fail_text, notes, target_text
from supportkpi.render.tabular import markdown_cell, markdown_table
from supportkpi.render.text import shown_name
from supportkpi.scorecard import Scorecard
from supportkpi.targets import EXIT_MEANINGS, INSUFFICIENT, NOT_AVAILABLE, CheckResult

OUTCOME_STYLES = {"fail": "bold red", "error": "bold red", "warn": "yellow", "skip": "dim", "pass": "green"}
_ORDER = ("error", "fail", "warn", "skip", "pass")


def counts_line(outcomes: list[tuple[CheckResult, str]], code: int) -> str:
    """``check: 1 FAIL, 5 WARN (3 of them insufficient data), 9 PASS — exit 1: ...``"""
    counts = Counter(o for _, o in outcomes)
    unjudged = Counter(o for r, o in outcomes if r.status in (INSUFFICIENT, NOT_AVAILABLE))
    parts = []
    for o in _ORDER:
        if counts[o]:
            why = (
                ""
                if o in ("pass", "fail") or not unjudged[o] or o == "skip"
                else (f" ({'all' if unjudged[o] == counts[o] else f'{unjudged[o]} of them'} insufficient data or n/a)")
            )
            parts.append(f"{counts[o]} {o.upper()}{why}")
    return f"check: {', '.join(parts) or 'nothing judged'} — exit {code}: {EXIT_MEANINGS[code]}"


def reason(result: CheckResult) -> str:
    """Why a result is not a plain pass, in words."""
    if result.status == NOT_AVAILABLE:
        return "not available: needs " + ", ".join(result.needs)
    if result.status == INSUFFICIENT:
        if result.value is None and result.n == 0:
            return "no data"
        return f"insufficient data: n = {result.n} < min_sample {result.levels.min_sample}"
    return ""


def group_text(result: CheckResult, by: list[str]) -> str:
    keys = [f"{result.keys[k]}" for k in [*by, "period"] if k in result.keys]
    return " · ".join("(none)" if k == "None" else k for k in keys) or "all contacts"


def _shown(outcomes):
    """Results that are not a plain pass, worst first."""
    rank = {o: i for i, o in enumerate(_ORDER)}
    return sorted((p for p in outcomes if p[1] != "pass"), key=lambda p: rank[p[1]])


def summary(card: Scorecard, outcomes: list[tuple[CheckResult, str]], code: int) -> list:
    from rich.table import Table
    from rich.text import Text

    out: list = []
    shown = _shown(outcomes)
    if shown:
        table = Table(title="Checks not passed", title_justify="left", title_style="bold")
        for name in ("Outcome", "Group", "Check", "Value", "Target", "Fail", "n"):
            wide = name in ("Group", "Check")
            table.add_column(
                name,
                justify="right" if name in ("Value", "n") else "left",
                # the narrow columns too: rich gives text without an overflow its default, fold
                overflow="fold",
                no_wrap=not wide,
                ratio=2 if wide else None,
            )
        for result, outcome in shown:
            table.add_row(
                Text(outcome.upper(), style=OUTCOME_STYLES[outcome]),
                # names from the data and kpi.yaml: escaped, on one line
                Text(shown_name(group_text(result, card.by))),
                Text(shown_name(check_label(result) + (f" ({reason(result)})" if reason(result) else ""))),
                measure(result.value, result.check.unit),
                target_text(result),
                fail_text(result),
                count(result.n),
            )
        out.append(table)
    style = OUTCOME_STYLES["fail" if code in (1, 3) else "warn" if code == 4 or shown else "pass"]
    out.append(Text(counts_line(outcomes, code), style=style))
    out += [Text(shown_name(line), style="dim") for line in notes(card)[1:]]
    return out


def render_json(card: Scorecard, outcomes, code: int, fail_on: str) -> str:
    body = card.to_dict()
    outcome_of = {id(r): o for r, o in outcomes}
    results = iter(card.group_results())
    for group in body["groups"]:
        _, members = next(results)
        for entry, result in zip(group["checks"], members):
            entry["outcome"] = outcome_of[id(result)]
    body["check"] = {
        "exit_code": code,
        "meaning": EXIT_MEANINGS[code],
        "fail_on": fail_on,
        "outcomes": dict(Counter(o for _, o in outcomes)),
    }
    return dumps(body)


def render_markdown(card: Scorecard, outcomes, code: int) -> str:
    lines = [f"**{markdown_cell(counts_line(outcomes, code))}**", ""]
    shown = _shown(outcomes)
    if shown:
        rows = [
            [
                f"**{outcome.upper()}**",
                group_text(result, card.by),
                check_label(result) + (f" ({reason(result)})" if reason(result) else ""),
                measure(result.value, result.check.unit),
                target_text(result),
                fail_text(result),
                count(result.n),
            ]
            for result, outcome in shown
        ]
        lines += markdown_table(["Outcome", "Group", "Check", "Value", "Target", "Fail", "n"], rows, right={3, 6})
    return "\n".join(lines) + "\n"
