"""Rows left out of every KPI, judged for the whole run: no usable row at all is a data error
(exit 3), and a left-out share above the run's threshold (``--max-left-out``, kpi.yaml
``max_left_out``, default 50 %) is a warning in every view (and exit 3 under ``--strict``).

Which rows count is :func:`supportkpi.quality.left_out_reasons`: an unreadable or missing
``created_at`` and repeats of a ``ticket_id`` (the first row of an id is used). Rows that only
some KPIs leave out (a survey not answered, a ticket still open) are not counted here: they are
in each KPI's ``excluded``. The rows counted here are also counted in each KPI of their group,
by the values still readable (:mod:`supportkpi.engine.excluded`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from supportkpi.errors import DataError, UsageError
from supportkpi.results import LEFT_OUT_WARNING, Finding, LeftOut

DEFAULT_MAX_LEFT_OUT = 0.5

_HINTS = {
    "an unreadable created_at": "pass --datetime-format with the timestamps' pattern",
    "no created_at": "map another column with --map created_at=HEADER",
}


def parse_share(value: str | float, what: str = "--max-left-out") -> float:
    """A share of rows written as a percentage (``50%``) or a fraction (``0.5``).

    >>> parse_share("50%"), parse_share("0.25"), parse_share(1), parse_share("12.5 %")
    (0.5, 0.25, 1.0, 0.125)
    """
    text = str(value).strip()
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(%?)", text)
    share = None
    if match:
        number = float(match.group(1))
        share = number / 100 if match.group(2) else number
    if share is None or not 0 <= share <= 1:
        raise UsageError(f"{what} '{value}': expected a percentage such as 50% or a share from 0 to 1 such as 0.5")
    return share


def describe(left_out: LeftOut) -> str:
    """The reasons with their counts and first example, e.g.
    ``200 have an unreadable created_at (e.g. file calls.csv, row 1: '01/01/2021')``."""
    parts = []
    for reason, count in sorted(left_out.reasons.items(), key=lambda item: -item[1]):
        text = f"{count:,} {'has' if count == 1 else 'have'} {reason}"
        examples = left_out.examples.get(reason)
        if examples:
            example = examples[0]
            where = ", ".join(f"{k} {example[k]}" for k in ("file", "row") if k in example)
            value = f": {example['value']!r}" if example.get("value") is not None else ""
            text += f" (e.g. {where}{value})"
        parts.append(text)
    return "; ".join(parts) or "no reason counted"


def nothing_used(left_out: LeftOut, paths: Sequence[str]) -> str | None:
    """The error message when no row could be used (None when some could)."""
    if left_out.used > 0:
        return None
    files = ", ".join(paths) or "the inputs"
    if left_out.rows == 0:
        return f"{files}: no rows to read (only a header?): nothing to compute"
    hints = [_HINTS[r] for r in left_out.reasons if r in _HINTS]
    hint = f"; {', or '.join(hints)}" if hints else ""
    return f"none of the {left_out.rows:,} rows of {files} could be used: {describe(left_out)}{hint}"


def warning(left_out: LeftOut, threshold: float) -> Finding | None:
    """A finding for every view when more than ``threshold`` of the rows were left out (when
    none could be used, the run ends with :func:`nothing_used` instead)."""
    if not left_out.used or left_out.share <= threshold:
        return None
    return Finding(
        kind=LEFT_OUT_WARNING,
        count=left_out.left_out,
        effect=(
            f"{left_out.share:.0%} of the {left_out.rows:,} rows read, above the limit of {threshold * 100:g}% "
            f"(--max-left-out, kpi.yaml max_left_out): {describe(left_out)}; the KPIs describe only the "
            f"other {left_out.used:,} rows"
        ),
    )


def judge(
    listener, inputs, left_out: LeftOut, threshold: float, strict: bool, consequence: str, findings: list | None = None
) -> Finding | None:
    """Tell ``listener`` the ``findings``, with the warning of :func:`warning` added (so that
    every view shows it); no usable row is a data error naming the reasons, and so is the
    warning under ``strict`` (``consequence``: what is not done, "no report written"). Returns
    the warning, for views that show no findings."""
    findings = [] if findings is None else findings
    warned = warning(left_out, threshold)
    if warned is not None:
        findings.append(warned)
    listener.findings(findings)
    message = nothing_used(left_out, [i.path for i in inputs])
    if message is not None:
        raise DataError(message)
    if strict and warned is not None:
        raise DataError(f"{warned.message()}; --strict is set, {consequence}")
    return warned


def judge_sides(comparison) -> None:
    """``compare``: a side none of whose rows could be used is a data error, like a run's; the
    run's left-out warning joins the comparison's notes, which every view of it shows."""
    comparison.notes += [f"Warning: {f.message()}" for f in comparison.base.findings if f.kind == LEFT_OUT_WARNING]
    column = comparison.side_column
    present = {g.keys.get(column) for g in comparison.base.judged_groups}
    for side in comparison.sides:
        if side not in present:
            raise DataError(
                f"{column} {side!r}: none of its rows could be used (a side needs contacts with a readable "
                "created_at; see the data-quality messages)"
            )
