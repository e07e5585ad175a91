"""Targets of kpi.yaml as checks, and how a KPI result is judged against them.

A check judges one KPI (or one statistic of a duration KPI, or one SLA policy's compliance) in
each group of a run. Overrides slice it: each contact belongs to the most specific override whose
channel / priority / language / vendor match it (more conditions win; between as many, channel
outranks priority, which outranks language, which outranks vendor), and the contacts no override
matches stay with the target.
The check is judged once per slice that has contacts, each with its own levels (a level an
override leaves out is the target's). So ``first_response_time`` at 4 h with a chat override of
2 minutes is judged on chats against 2 minutes and on everything else against 4 hours; an
override for one vendor changes nothing for the others.

Status, with "worse" following the KPI's direction (lower-is-better for durations, higher for
rates): a level is breached only by a value strictly worse than it, so a value exactly at the
warn level passes and a value exactly at the fail level warns::

    fail      if value is worse than `fail`
    warn      else if value is worse than `warn`
    pass      otherwise
    insufficient data   when n < min_sample (or there is no value at all)
    not available       when the export lacks the KPI's columns

Pure: no I/O, no printing.

    >>> from supportkpi.targets import Levels, judge
    >>> csat = Levels(warn=85, fail=80, min_sample=30)
    >>> [judge(v, 100, csat, "higher") for v in (90, 85, 84.9, 80, 79.9)]
    ['pass', 'pass', 'warn', 'warn', 'fail']
    >>> judge(90, 12, csat, "higher")
    'insufficient data'
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from supportkpi.metrics import REGISTRY
from supportkpi.sla import SLA_COMPLIANCE
from supportkpi.suggest import suggest
from supportkpi.units import level_in_unit

if TYPE_CHECKING:  # kpi.yaml's loading checks the targets with build_checks: no import at run time
    from polars.expr.whenthen import ChainedThen, Then

    from supportkpi.config.schema import Config, Target

PASS, WARN, FAIL = "pass", "warn", "fail"
INSUFFICIENT, NOT_AVAILABLE = "insufficient data", "not available"


@dataclass(frozen=True)
class Levels:
    warn: float | None
    fail: float | None
    min_sample: int = 1

    @property
    def target(self) -> float | None:
        """The level to meet: warn if given (meeting it passes), else fail."""
        return self.warn if self.warn is not None else self.fail


@dataclass(frozen=True)
class Override:
    conditions: dict[str, str]
    levels: Levels
    specificity: tuple[int, int]
    index: int
    """Position in the target's `overrides` list (for the line of an annotation)."""

    @property
    def label(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.conditions.items())

    @property
    def matches(self) -> pl.Expr:
        """Per contact, whether the override applies to it."""
        return pl.all_horizontal((pl.col(k).cast(pl.String) == v).fill_null(False) for k, v in self.conditions.items())


@dataclass(frozen=True)
class Check:
    """One target, resolved: numeric levels in the KPI's unit and the direction of "better"."""

    name: str
    kpi: str
    title: str
    unit: str
    direction: Literal["higher", "lower"]
    statistic: str | None
    weight: float
    insufficient: str | None
    levels: Levels
    overrides: tuple[Override, ...] = ()
    """Most specific first: the order in which contacts are assigned to slices."""
    index: int = 0
    """Position in kpi.yaml's `targets` list (for the line of an annotation)."""
    named: bool = False
    """The target has its own `name:` (shown beside the title)."""
    signed: bool = False
    """The KPI's values are shown with a sign (NPS)."""

    def slice_expression(self, columns: Set[str]):
        """Per contact, the label of the override it belongs to (null: the target's own), as a
        polars expression; None when the target has no overrides. An override on a column the
        data lacks matches nothing."""
        usable = [o for o in self.overrides if set(o.conditions) <= columns]
        if not self.overrides:
            return None
        if not usable:
            return pl.lit(None, pl.String)
        first, *others = usable
        chain: Then | ChainedThen = pl.when(first.matches).then(pl.lit(first.label))
        for item in others:
            chain = chain.when(item.matches).then(pl.lit(item.label))
        return chain.otherwise(pl.lit(None, pl.String))

    def levels_for_slice(self, label: str | None) -> tuple[Levels, Override | None]:
        """The levels of a slice (by its label), and its override (None: the target's own)."""
        for item in self.overrides:
            if item.label == label:
                return item.levels, item
        return self.levels, None

    def levels_for(self, keys: Mapping[str, Any]) -> tuple[Levels, Override | None]:
        """The levels that apply to a group, and the override they came from (None: the
        target's own)."""
        matching = [o for o in self.overrides if all(keys.get(k) == v for k, v in o.conditions.items())]
        if not matching:
            return self.levels, None
        best = max(matching, key=lambda o: o.specificity)
        return best.levels, best


@dataclass
class TargetError(Exception):
    loc: tuple
    message: str


def judge(value: float | None, n: int, levels: Levels, direction: str, available: bool = True) -> str:
    """The status of one value against its levels (see the module docstring)."""
    if not available:
        return NOT_AVAILABLE
    if value is None or n < max(levels.min_sample, 1):
        return INSUFFICIENT
    if levels.fail is not None and _worse(value, levels.fail, direction):
        return FAIL
    if levels.warn is not None and _worse(value, levels.warn, direction):
        return WARN
    return PASS


def _worse(value: float, level: float, direction: str) -> bool:
    return value < level if direction == "higher" else value > level


def gap(value: float | None, levels: Levels, direction: str) -> float | None:
    """Distance to the target (the warn level, else fail) in the KPI's unit; positive means
    better than the target, negative worse.

    >>> gap(4.5, Levels(warn=4, fail=8), "lower"), gap(92.0, Levels(warn=90, fail=85), "higher")
    (-0.5, 2.0)
    """
    target = levels.target
    if value is None or target is None:
        return None
    return value - target if direction == "higher" else target - value


POINTS = {PASS: 100.0, WARN: 50.0, FAIL: 0.0}


def score(statuses_and_weights: list[tuple[str, float]]) -> float | None:
    """Overall score 0–100: the weighted mean of points per judged check, pass = 100,
    warn = 50, fail = 0. Checks with insufficient data or not available are left out of both
    sums; with none judged the score is None.

    >>> score([("pass", 2), ("warn", 1), ("fail", 1), ("insufficient data", 5)])
    62.5
    """
    judged = [(POINTS[s], w) for s, w in statuses_and_weights if s in POINTS]
    total = sum(w for _, w in judged)
    if not judged or total == 0:
        return None
    return round(sum(p * w for p, w in judged) / total, 9)  # 100.00000000000001 is 100


def build_checks(config: Config) -> list[Check]:
    """kpi.yaml ``targets`` as checks; a :class:`TargetError` names the place of a mistake."""
    checks = [_check(config, index, target) for index, target in enumerate(config.targets)]
    seen: dict[str, int] = {}
    for check in checks:
        if check.name in seen:
            where = ("targets", check.index, "name" if config.targets[check.index].name else "kpi")
            raise TargetError(
                where,
                f"two targets are named '{check.name}' (targets {seen[check.name] + 1} and "
                f"{check.index + 1}); give each a unique `name:`",
            )
        seen[check.name] = check.index
    return checks


def _check(config: Config, index: int, target: Target) -> Check:
    here = ("targets", index)
    policies = {f"{SLA_COMPLIANCE}.{p.name}": p for p in config.sla}
    bounds = _PERCENT
    if target.kpi in REGISTRY:
        info = REGISTRY[target.kpi].INFO
        params = getattr(config.kpis, target.kpi, None)  # None: a KPI without parameters
        unit, title, kind = info.unit, info.title, info.kind
        direction = params.direction(info.direction) if params is not None else info.direction
        bounds = _bounds(info, params)
    elif target.kpi in policies:
        unit, direction, title, kind = "%", "higher", f"SLA {target.kpi.split('.', 1)[1]}", "rate"
    else:
        known = [*REGISTRY, *policies]
        hint = f" (SLA policies are named {SLA_COMPLIANCE}.<policy name>)" if target.kpi.startswith("sla") else ""
        raise TargetError((*here, "kpi"), f"unknown KPI '{target.kpi}' ({suggest(target.kpi, known)}){hint}")
    if target.statistic is not None and kind != "duration":
        raise TargetError((*here, "statistic"), f"`statistic` is for duration KPIs; {target.kpi} is a {kind}")
    if target.direction is not None and direction is not None:
        raise TargetError(
            (*here, "direction"),
            f"{target.kpi} is better {direction} by its definition; `direction:` is only for KPIs "
            "without one (ticket_volume)",
        )
    direction = target.direction or direction
    if direction is None:
        raise TargetError((*here, "kpi"), f"{target.kpi} has no better direction; say `direction: higher` or `lower`")
    base = _levels(target.warn, target.fail, target.min_sample, unit, direction, here, bounds)
    overrides = []
    for position, item in enumerate(target.overrides):
        where = (*here, "overrides", position)
        if item.vendor is not None and item.vendor not in config.vendors:
            raise TargetError(
                (*where, "vendor"),
                f"no vendor '{item.vendor}' under `vendors:` "
                f"({suggest(item.vendor, config.vendors, 'vendors declared')})",
            )
        levels = _levels(
            item.warn if item.warn is not None else target.warn,
            item.fail if item.fail is not None else target.fail,
            item.min_sample if item.min_sample is not None else target.min_sample,
            unit,
            direction,
            where,
            bounds,
            inherited={"warn": item.warn is None, "fail": item.fail is None},
        )
        overrides.append(Override(item.conditions, levels, item.specificity, position))
    overrides.sort(key=lambda o: (-o.specificity[0], -o.specificity[1], o.index))
    return Check(
        name=target.check_name,
        kpi=target.kpi,
        title=title + (f" ({target.statistic})" if target.statistic else ""),
        unit=unit,
        direction=direction,
        statistic=target.statistic,
        weight=target.weight,
        insufficient=target.insufficient,
        levels=base,
        overrides=tuple(overrides),
        index=index,
        named=target.name is not None,
        signed=target.kpi in REGISTRY and REGISTRY[target.kpi].INFO.signed,
    )


_PERCENT = (0.0, 100.0)


def _bounds(info: Any, params: Any) -> tuple[float, float]:
    """The values a KPI can take, so that a level outside them (a CSAT of 150 %) is an error: a
    mean of answers stays on their scale (as kpi.yaml sets it), a percentage or points from 0
    to 100 (from -100 when signed: NPS), anything else is 0 or more."""
    if info.kind == "mean" and info.scale is not None:
        scale = getattr(params, "scale", info.scale)
        return (float(scale[0]), float(scale[1]))
    if info.unit in ("%", "points"):
        return (-100.0 if info.signed else 0.0, 100.0)
    return (0.0, float("inf"))


def _levels(
    warn,
    fail,
    min_sample: int,
    unit: str,
    direction: str,
    where: tuple,
    bounds: tuple[float, float] = (float("-inf"), float("inf")),
    inherited: Mapping[str, bool] | None = None,
) -> Levels:
    inherited = inherited or {}
    values = {}
    for name, level in (("warn", warn), ("fail", fail)):
        try:
            value = level_in_unit(level, unit)
        except ValueError as exc:
            raise TargetError((*where, name), str(exc)) from None
        values[name] = value
        low, high = bounds
        if value is not None and not low <= value <= high:
            raise TargetError(
                (*where, name),
                f"{name} {level} is outside the values this KPI takes ({low:g} to {high:g} {unit})",
            )
    warn_value, fail_value = values["warn"], values["fail"]
    if warn_value is not None and fail_value is not None and _worse(warn_value, fail_value, direction):
        better = "higher" if direction == "higher" else "lower"
        origin = " (the target's warn, which this override inherits)" if inherited.get("warn") else ""
        origin += " (the target's fail, which this override inherits)" if inherited.get("fail") else ""
        raise TargetError(
            (*where, "fail" if inherited.get("warn") else "warn"),
            f"warn {warn} is on the wrong side of fail {fail}{origin}: {better} is better here, so the "
            f"warn level must be {'at or above' if direction == 'higher' else 'at or below'} the fail level",
        )
    return Levels(warn_value, fail_value, min_sample)


INSUFFICIENT_MODES = ("warn", "skip", "error")


def outcome(result: CheckResult, insufficient: str = "warn", missing: str = "error") -> str:
    """What `check` makes of a result: pass, warn or fail as judged; insufficient data becomes
    warn, skip or error as the target's `insufficient` says (else ``insufficient``); a KPI the
    exports lack the columns for becomes ``missing`` (default error: the gate cannot vouch for
    a target it cannot measure)."""
    if result.status == NOT_AVAILABLE:
        return missing
    if result.status == INSUFFICIENT:
        return result.check.insufficient or insufficient
    return result.status


EXIT_MEANINGS = {
    0: "every check passed (warnings do not fail the run)",
    1: "at least one check is at fail level",
    3: "a check could not be evaluated (too little data or a missing column, as set)",
    4: "only warnings, which fail the run under --fail-on warn",
}


def exit_code(outcomes: list[str], fail_on: str = "fail") -> int:
    """docs/cli-conventions.md: 3 (an evaluation error) over 1 (a fail) over 4 (only warnings, under
    ``--fail-on warn``) over 0.

    >>> exit_code(["pass", "warn"]), exit_code(["warn"], "warn"), exit_code(["fail", "error"])
    (0, 4, 3)
    """
    if "error" in outcomes:
        return 3
    if "fail" in outcomes:
        return 1
    if fail_on == "warn" and "warn" in outcomes:
        return 4
    return 0


@dataclass
class CheckResult:
    """One check judged in one group."""

    check: Check
    keys: dict[str, Any]
    value: float | None
    n: int
    levels: Levels
    status: str
    override: Override | None = None
    available: bool = True
    needs: tuple[str, ...] = ()
    change: float | None = None
    """Change of the value since the previous period (same group), when periods are used."""
    since: str | None = None
    """The period ``change`` is measured from (the previous period with contacts)."""

    @property
    def gap(self) -> float | None:
        return gap(self.value, self.levels, self.check.direction)

    slice_text: str = ""
    """Which contacts of the group this result is about, when overrides slice the check:
    ``channel=chat``, or ``other`` for those no override took (set by the scorecard; empty
    when the result covers the whole group)."""

    @property
    def split(self) -> dict[str, Any]:
        """The override's conditions that the group's keys do not already say
        (``{"channel": "chat"}``); empty for the target's own levels."""
        if self.override is None:
            return {}
        return {k: v for k, v in self.override.conditions.items() if self.keys.get(k) != v}

    def to_dict(self) -> dict[str, Any]:
        check = self.check
        return {
            "name": check.name,
            "kpi": check.kpi,
            "title": check.title,
            "unit": check.unit,
            "direction": check.direction,
            "statistic": check.statistic,
            "split": self.split,
            "slice": self.slice_text or None,
            "value": self.value,
            "n": self.n,
            "warn": self.levels.warn,
            "fail": self.levels.fail,
            "min_sample": self.levels.min_sample,
            "weight": check.weight,
            "override": dict(self.override.conditions) if self.override else None,
            "status": self.status,
            "gap": self.gap,
            "change": self.change,
            "change_since": self.since,
            "available": self.available,
            "needs": list(self.needs),
        }

    @property
    def testcase(self) -> str:
        """A name unique within a run: the check, then the split and period keys."""
        parts = [self.slice_text] if self.slice_text else []
        parts += [f"period={self.keys['period']}"] if "period" in self.keys else []
        return self.check.name + (f" [{', '.join(parts)}]" if parts else "")
