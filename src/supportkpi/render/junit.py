"""`supportkpi check` as a JUnit XML report, for CI test-report views (GitHub, GitLab, Jenkins).

One ``<testsuite name="supportkpi check">`` with one ``<testcase>`` per group × check: the
classname is the group (``vendor=Acme BPO``, or ``all contacts`` for an ungrouped run), the name
the check (plus its split and period, see :attr:`~supportkpi.targets.CheckResult.testcase`).
What each outcome of :func:`supportkpi.targets.outcome` becomes:

    pass    a passing testcase
    warn    a passing testcase with ``<system-out>WARN …</system-out>``; under
            ``fail_on="warn"`` a ``<failure type="warn">``
    fail    ``<failure type="fail">``
    error   ``<error>`` (insufficient data or a missing column, under ``insufficient: error``)
    skip    ``<skipped>``

The message of a failure names the measured value, the level it breached and the target, with
units, and the sample size::

    csat 66.67 % below fail level 70 % (warn 80 %), n = 3

Pure: no I/O. The message helpers here are shared with :mod:`supportkpi.render.github`.

    >>> from supportkpi.targets import Check, CheckResult, Levels
    >>> check = Check(name="aht", kpi="aht", title="Average handle time", unit="seconds",
    ...               direction="lower", statistic=None, weight=1, insufficient=None,
    ...               levels=Levels(warn=300, fail=420))
    >>> result = CheckResult(check=check, keys={}, value=451.5, n=212, levels=check.levels,
    ...                      status="fail")
    >>> describe(result)
    'aht 7:32 above fail level 7:00 (warn 5:00), n = 212'
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from supportkpi.render.formatting import difference, figure
from supportkpi.targets import FAIL, INSUFFICIENT, NOT_AVAILABLE, WARN, CheckResult

SUITE_NAME = "supportkpi check"
# characters XML 1.0 cannot carry at all (not even escaped); a vendor name comes from the data
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# -- wording shared with the GitHub renderer ------------------------------------------------


def group_label(keys: Mapping[str, Any], by: Sequence[str]) -> str:
    """The group of a result by the run's grouping columns: ``vendor=Acme BPO``, or
    ``all contacts`` for an ungrouped run.

    >>> group_label({"vendor": "Acme BPO", "channel": "email"}, ["vendor"])
    'vendor=Acme BPO'
    >>> group_label({"channel": "email"}, [])
    'all contacts'
    """
    parts = [f"{k}={'(none)' if keys.get(k) is None else keys.get(k)}" for k in by if k in keys]
    return ", ".join(parts) if parts else "all contacts"


def describe(result: CheckResult) -> str:
    """One line on a result: the value, the level it breached (or why it was not judged), the
    target, n."""
    check, levels = result.check, result.levels
    signed = check.signed
    name = result.testcase

    def lvl(value: float | None) -> str:
        return figure(value, check.unit, level=True, signed=signed)

    if result.status == NOT_AVAILABLE:
        needs = ", ".join(result.needs) or "its input columns"
        return f"{name} not available: the data lacks {needs}"
    if result.status == INSUFFICIENT:
        if result.value is None and result.n >= max(levels.min_sample, 1):
            return f"{name}: insufficient data: no value (n = {result.n})"
        return f"{name}: insufficient data: n = {result.n} < min_sample {max(levels.min_sample, 1)}"
    value = figure(result.value, check.unit, signed=signed)
    worse = "below" if check.direction == "higher" else "above"
    better = "at or above" if check.direction == "higher" else "at or below"
    if result.status == FAIL:
        extra = f" (warn {lvl(levels.warn)})" if levels.warn is not None else ""
        return f"{name} {value} {worse} fail level {lvl(levels.fail)}{extra}, n = {result.n}"
    if result.status == WARN:
        extra = f" (fail {lvl(levels.fail)})" if levels.fail is not None else ""
        return f"{name} {value} {worse} warn level {lvl(levels.warn)}{extra}, n = {result.n}"
    return f"{name} {value} {better} target {lvl(levels.target)}, n = {result.n}"


def skip_reason(result: CheckResult) -> str:
    """Why a result was not judged, without the check's name (for ``<skipped message>``).

    ``insufficient data: n = 3 < min_sample 30``
    """
    text = describe(result)
    prefix = result.testcase
    text = text[len(prefix) :] if text.startswith(prefix) else text
    return text.lstrip(": ").strip()


def details(result: CheckResult, by: Sequence[str]) -> str:
    """Multi-line details of a result (the text of a failure, error or skipped element)."""
    check, levels = result.check, result.levels
    signed = check.signed
    lines = [
        f"check: {check.name} ({check.title}, kpi {check.kpi}"
        + (f", statistic {check.statistic}" if check.statistic else "")
        + ")",
        f"group: {group_label(result.keys, by)}",
    ]
    if result.slice_text:
        lines.append(f"slice: {result.slice_text}")
    if "period" in result.keys:
        lines.append(f"period: {result.keys['period']}")
    lines += [
        f"status: {result.status}",
        f"value: {figure(result.value, check.unit, signed=signed)}",
        f"n: {result.n} (min_sample {levels.min_sample})",
        f"better: {check.direction}",
        f"warn level: {figure(levels.warn, check.unit, level=True, signed=signed)}",
        f"fail level: {figure(levels.fail, check.unit, level=True, signed=signed)}",
        f"target: {figure(levels.target, check.unit, level=True, signed=signed)}",
    ]
    if result.gap is not None:
        lines.append(f"gap to target: {difference(result.gap, check.unit)} (+ is better)")
    if result.override is not None:
        conditions = ", ".join(f"{k}={v}" for k, v in result.override.conditions.items())
        lines.append(f"levels from override: {conditions}")
    if result.needs and not result.available:
        lines.append("needs columns: " + ", ".join(result.needs))
    return "\n".join(lines)


# -- the report ------------------------------------------------------------------------------


def render(card, outcomes: Sequence[tuple[CheckResult, str]], *, fail_on: str = "fail") -> str:
    """The outcomes of ``supportkpi check`` as a JUnit XML document (a string, with an XML
    declaration). ``outcomes`` are ``card.outcomes(...)``; ``fail_on="warn"`` reports
    warnings as failures, as ``--fail-on warn`` makes them fail the run."""
    by = list(card.by)
    root = ET.Element("testsuites", name="supportkpi")
    suite = ET.SubElement(root, "testsuite", name=SUITE_NAME)
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    seen: dict[tuple[str, str], int] = {}
    for result, outcome in outcomes:
        classname = group_label(result.keys, by)
        name = result.testcase
        key = (classname, name)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:  # two groups that print alike (None and "(none)"): keep names unique
            name = f"{name} #{seen[key]}"
        case = _element(suite, "testcase", classname=classname, name=name)
        counts["tests"] += 1
        if outcome == "fail" or (outcome == "warn" and fail_on == "warn"):
            counts["failures"] += 1
            _element(case, "failure", details(result, by), message=describe(result), type=outcome)
        elif outcome == "error":
            counts["errors"] += 1
            _element(case, "error", details(result, by), message=describe(result), type=result.status)
        elif outcome == "skip":
            counts["skipped"] += 1
            _element(case, "skipped", details(result, by), message=skip_reason(result))
        elif outcome == "warn":
            _element(case, "system-out", f"WARN {describe(result)}\n{details(result, by)}")
        elif outcome != "pass":
            raise ValueError(f"unknown outcome {outcome!r}")
    for element in (root, suite):
        for attribute, count in counts.items():
            element.set(attribute, str(count))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _element(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    """A child element; ElementTree escapes markup, and characters XML cannot hold at all
    (control characters in a vendor name) become U+FFFD, so the report always parses."""
    element = ET.SubElement(parent, tag, {k: _NOT_XML.sub("\ufffd", v) for k, v in attributes.items()})
    if text is not None:
        element.text = _NOT_XML.sub("\ufffd", text)
    return element
