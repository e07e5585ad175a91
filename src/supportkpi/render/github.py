"""`supportkpi check` for GitHub Actions: workflow-command annotations and a job summary.

:func:`annotations` gives one workflow command per result that did not pass, pointing at the
line of kpi.yaml whose levels applied (the override's, else the target's)::

    ::error file=kpi.yaml,line=5,title=FAIL csat · vendor=Acme BPO::vendor=Acme BPO: csat 66.67 %25 below …

fail and error become ``::error``; warn (also insufficient data reported as a warning) and skip
become ``::warning`` — except that under ``fail_on="warn"`` a warn is an ``::error``, as it
fails the run. Text from the data (vendor names) is escaped by GitHub's rules, so it cannot end
the command or inject another one; its other control characters (an escape sequence) are
written as visible escapes, as on every terminal view.

:func:`summary` is the Markdown for ``$GITHUB_STEP_SUMMARY``; :func:`append_summary` appends it
there. Apart from :func:`append_summary`, pure.
"""

# no `from __future__ import annotations`: the import binds the module's name `annotations`,
# which is the function below (the annotations here need no postponing)
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from supportkpi.errors import DataError
from supportkpi.render.formatting import count, figure, printable
from supportkpi.render.junit import describe, group_label
from supportkpi.render.scorecard import levels_text
from supportkpi.render.tabular import markdown_cell, markdown_table
from supportkpi.targets import EXIT_MEANINGS, INSUFFICIENT, NOT_AVAILABLE, CheckResult, exit_code

OUTCOMES = ("fail", "error", "warn", "skip", "pass")


def repository_path(path: str) -> str:
    """kpi.yaml's path as GitHub attaches annotations to files: relative to the checkout
    (``$GITHUB_WORKSPACE``, else the current directory) when it lies inside it."""
    resolved = Path(path).resolve()
    for root in (os.environ.get("GITHUB_WORKSPACE"), os.getcwd()):
        if root:
            try:
                return resolved.relative_to(Path(root).resolve()).as_posix()
            except ValueError:
                continue
    return path


def escape_data(text: str) -> str:
    """The message of a workflow command, escaped: ``%``, CR and LF.

    >>> escape_data("100%\\ndone")
    '100%25%0Adone'
    """
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value of a workflow command (file, title), escaped: as the message, and
    ``:`` and ``,`` too.

    >>> escape_property("Acme, Inc: 100%")
    'Acme%2C Inc%3A 100%25'
    """
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **properties: Any) -> str:
    """One workflow command line; properties that are None are left out. Other control
    characters than CR and LF (an escape sequence in a vendor name) are written as visible
    escapes first, as on every terminal view: the log shows them, it does not act on them.

    >>> command("warning", "a: b", file="kpi.yaml", line=None, title="x, y")
    '::warning file=kpi.yaml,title=x%2C y::a: b'
    >>> command("error", "Evil\\x1b[31m\\r\\nCo: 100%", title="vendor=Evil\\x1b[31m\\nCo")
    '::error title=vendor=Evil\\\\x1b[31m%0ACo::Evil\\\\x1b[31m%0D%0ACo: 100%25'
    """
    props = ",".join(f"{k}={escape_property(visible(str(v)))}" for k, v in properties.items() if v is not None)
    return f"::{kind}{' ' + props if props else ''}::{escape_data(visible(message))}"


def visible(text: str) -> str:
    """``text`` with its control characters as visible escapes (:func:`printable`), but CR and
    LF, which a workflow command escapes its own way (``%0D``, ``%0A``)."""
    return "\r".join(printable(part) for part in text.split("\r"))


def _line(config, result: CheckResult) -> int | None:
    if config is None:
        return None
    check = result.check
    if result.override is not None:
        line = config.line_of(("targets", check.index, "overrides", result.override.index))
        if line is not None:
            return line
    return config.line_of(("targets", check.index))


def _word(result: CheckResult, outcome: str) -> str:
    """What happened: FAIL, WARN, SKIP, ERROR, and why when the check was not judged."""
    if result.status in (INSUFFICIENT, NOT_AVAILABLE):
        return f"{outcome.upper()} ({result.status})"
    return outcome.upper()


def annotations(
    card, outcomes: Sequence[tuple[CheckResult, str]], *, config_path: str, config, fail_on: str = "fail"
) -> str:
    """GitHub workflow commands, one line per result that did not pass (a trailing newline
    when there are any; an empty string when everything passed)."""
    by = list(card.by)
    lines = []
    for result, outcome in outcomes:
        if outcome == "pass":
            continue
        failing = outcome in ("fail", "error") or (outcome == "warn" and fail_on == "warn")
        group = group_label(result.keys, by)
        title = f"{outcome.upper()} {result.testcase}" + (f" · {group}" if by else "")
        lines.append(
            command(
                "error" if failing else "warning",
                f"{group}: {describe(result)}",
                file=config_path,
                line=_line(config, result),
                title=title,
            )
        )
    return "".join(line + "\n" for line in lines)


def _cell(value: object) -> str:
    return "(none)" if value is None else markdown_cell(value)


def summary(card, outcomes: Sequence[tuple[CheckResult, str]], *, fail_on: str = "fail") -> str:
    """A Markdown job summary: the counts, a table of the checks that did not pass, and what
    the exit code means."""
    by = list(card.by)
    counts = Counter(outcome for _, outcome in outcomes)
    code = exit_code([outcome for _, outcome in outcomes], fail_on)
    verdict = {0: "passed", 1: "failed", 3: "errored", 4: "failed on warnings"}.get(code, "finished")
    headline = ", ".join(f"{counts[o]} {o}" for o in OUTCOMES if counts[o])
    out = [f"## supportkpi check {verdict}", ""]
    out.append(f"**{len(outcomes)} checks:** {headline or 'none'}")
    out.append("")
    flagged = [(r, o) for r, o in outcomes if o != "pass"]
    if flagged:
        columns = [*by, "check", "value", "target", "n", "status"]
        rows = []
        for result, outcome in flagged:
            check = result.check
            value = figure(result.value, check.unit, signed=check.signed)
            if not result.available:
                value = "n/a"
            status = _word(result, outcome)
            if outcome == "warn" and fail_on == "warn":
                status += " (fails the run)"
            rows.append(
                [
                    *(result.keys.get(k) for k in by),
                    result.testcase,
                    value,
                    levels_text(result),
                    count(result.n),
                    status,
                ]
            )
        out += markdown_table(columns, rows, right={len(by) + 1, len(by) + 3}, cell=_cell)
        out.append("")
    elif outcomes:
        out += ["Every check passed.", ""]
    out.append(f"Exit code {code}: {EXIT_MEANINGS.get(code, 'see supportkpi check --help')}.")
    return "\n".join(out) + "\n"


def append_summary(text: str) -> None:
    """Append ``text`` to the file named by ``$GITHUB_STEP_SUMMARY`` (nothing happens when the
    variable is unset or empty, as outside GitHub Actions). A file that cannot be written is
    a :class:`~supportkpi.errors.DataError` (exit 3, as any report that cannot be written)."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    if text and not text.endswith("\n"):
        text += "\n"
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise DataError(f"{path}: cannot write the job summary ({exc.strerror or exc})") from None
