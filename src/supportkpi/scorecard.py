"""Scorecards: every target of kpi.yaml judged in each group (vendor, period) of a run.

This is the Python API behind ``supportkpi scorecard`` and ``supportkpi check``::

    >>> import polars as pl
    >>> from supportkpi.config import parse_config
    >>> from supportkpi.scorecard import scorecard
    >>> config = parse_config('''
    ... targets:
    ...   - {kpi: csat, warn: 80, fail: 60}
    ...   - {kpi: reopen_rate, warn: 10, fail: 20, weight: 3}
    ... ''')
    >>> frame = pl.DataFrame({"ticket_id": ["1", "2", "3", "4"], "vendor": ["A", "A", "B", "B"],
    ...                       "csat": [5, 4, 5, 2], "resolved_at": [None] * 4, "reopens": [0] * 4})
    >>> card = scorecard(frame, config, by=["vendor"])
    >>> [(r.keys["vendor"], r.check.name, r.value, r.status) for r in card.results]
    [('A', 'csat', 100.0, 'pass'), ('A', 'reopen_rate', None, 'insufficient data'), ('B', 'csat', 50.0, 'fail'), ('B', 'reopen_rate', None, 'insufficient data')]
    >>> [(s.keys, s.score) for s in card.scores]
    [({'vendor': 'A'}, 100.0), ({'vendor': 'B'}, 0.0)]

Checks whose overrides name a channel or priority are judged per channel or priority: the run
is grouped by those columns too for them (one more aggregation over the same data).

The overall score of a group is the weighted mean of points (pass 100, warn 50, fail 0) over
its judged checks (see :func:`supportkpi.targets.score`); a check judged per channel shares its
weight equally among its channels, so splitting a check does not make it count more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import polars as pl

from supportkpi.config import Config
from supportkpi.engine import PERIOD_COLUMN, SLA_COMPLIANCE, compute
from supportkpi.results import ComputeResult, InputInfo
from supportkpi.schedules import Calendars
from supportkpi.targets import Check, CheckResult, build_checks, judge, outcome, score


@dataclass
class GroupScore:
    keys: dict[str, Any]
    score: float | None
    change: float | None = None
    since: str | None = None
    """The period ``change`` is measured from: the group's previous period with contacts."""
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Scorecard:
    checks: list[Check]
    results: list[CheckResult]
    scores: list[GroupScore]
    by: list[str]
    period: str | None
    base: ComputeResult
    """The run without splits: inputs, data quality, and every SLA policy's compliance."""

    @property
    def policies(self) -> list[str]:
        return [k for k in self.base.kpi_ids if k.startswith(SLA_COMPLIANCE + ".")]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for result in self.results:
            out[result.status] += 1
        return dict(out)

    def outcomes(self, insufficient: str = "warn") -> list[tuple[CheckResult, str]]:
        """Each result with what `check` makes of it (see :func:`supportkpi.targets.outcome`)."""
        return [(r, outcome(r, insufficient)) for r in self.results]

    def group_results(self) -> list[tuple[GroupScore, list[CheckResult]]]:
        """Each group's score with its check results, in output order."""
        keyed: dict[tuple, list[CheckResult]] = defaultdict(list)
        for result in self.results:
            keyed[_group_key(result.keys, self.by)].append(result)
        return [(s, keyed[_group_key(s.keys, self.by)]) for s in self.scores]

    def sla_rows(self) -> list[dict[str, Any]]:
        """Every SLA policy's compliance per group of the run (targeted or not)."""
        rows = []
        for group in self.base.groups:
            for kpi_id in self.policies:
                kpi = group.kpis[kpi_id]
                rows.append({
                    "keys": dict(group.keys),
                    "policy": kpi_id.split(".", 1)[1],
                    "value": kpi.value,
                    "n": kpi.n,
                    "excluded": dict(kpi.excluded),
                    "available": kpi.available,
                })
        return rows

    def to_dict(self) -> dict[str, Any]:
        from supportkpi.targets import POINTS

        base = self.base.to_dict()
        return {
            "supportkpi_version": base["supportkpi_version"],
            "parameters": base["parameters"],
            "inputs": base["inputs"],
            "scoring": {
                "points": POINTS,
                "formula": "score = sum(weight x points) / sum(weight) over checks judged pass, "
                "warn or fail; a check judged per channel/priority/vendor shares its weight",
            },
            "summary": self.counts(),
            "groups": [
                {
                    "keys": score.keys,
                    "score": score.score,
                    "score_change": score.change,
                    "score_change_since": score.since,
                    "counts": score.counts,
                    "checks": [r.to_dict() for r in results],
                }
                for score, results in self.group_results()
            ],
            "sla_compliance": self.sla_rows(),
            "data_quality": base["data_quality"],
        }


def scorecard(
    frame: pl.LazyFrame | pl.DataFrame,
    config: Config,
    *,
    by: Sequence[str] = (),
    period: str | None = None,
    timezone: str | None = None,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    calendars: Calendars | None = None,
    as_of: datetime | None = None,
    inputs: Sequence[InputInfo] = (),
) -> Scorecard:
    """Judge every target of ``config`` per group of ``by`` (and ``period``)."""
    checks = build_checks(config)
    timezone = timezone or config.timezone
    params = params if params is not None else config.kpis.model_dump()
    if calendars is None:
        calendars = Calendars.from_config(config, timezone)
    by = list(by)
    splits: dict[tuple[str, ...], list[Check]] = defaultdict(list)
    for check in checks:
        splits[tuple(d for d in check.split_by if d not in by)].append(check)
    splits.setdefault((), [])
    if len(splits) > 1 and isinstance(frame, pl.LazyFrame):
        frame = frame.collect()  # read the exports once for the several groupings

    columns = frame.collect_schema().names()
    runs: dict[tuple[str, ...], ComputeResult] = {}
    for split, members in splits.items():
        kpi_ids = list(dict.fromkeys(c.kpi for c in members if not c.kpi.startswith(SLA_COMPLIANCE)))
        if split == ():
            # the base run also carries every SLA policy, targeted or not
            kpi_ids += [SLA_COMPLIANCE] if config.sla else []
        elif any(c.kpi.startswith(SLA_COMPLIANCE) for c in members):
            kpi_ids.append(SLA_COMPLIANCE)
        if not kpi_ids:
            kpi_ids = ["ticket_volume"]
        runs[split] = compute(
            frame, kpi_ids,
            # a split column the export lacks: judged per group only
            by=by + [d for d in split if d in columns], period=period, timezone=timezone,
            params=params, inputs=inputs, calendars=calendars,
            sla=config.sla, as_of=as_of,
        )
    base = runs[()]
    results = evaluate(checks, runs, by)
    return Scorecard(
        checks=checks, results=results, scores=group_scores(results, by, period is not None),
        by=by, period=period, base=base,
    )


def evaluate(
    checks: Sequence[Check], runs: Mapping[tuple[str, ...], ComputeResult], by: Sequence[str]
) -> list[CheckResult]:
    """Pure: judge each check in each group of the run that has its split. Results are ordered
    by group (as the run sorts them), then by the order of the targets in kpi.yaml."""
    by_group: dict[tuple, list[CheckResult]] = defaultdict(list)
    order: list[tuple] = []
    for check in checks:
        split = tuple(d for d in check.split_by if d not in by)
        run = runs[split]
        previous: dict[tuple, tuple[str | None, float | None]] = {}
        for group in run.groups:
            kpi = group.kpis.get(check.kpi)
            keys = dict(group.keys)
            levels, override = check.levels_for(keys)
            if kpi is None:  # an SLA policy the run could not judge
                value, n, available, needs = None, 0, False, ("created_at",)
            else:
                value = kpi.stats.get(check.statistic) if check.statistic else kpi.value
                n, available, needs = kpi.n, kpi.available, kpi.needs
            result = CheckResult(
                check=check, keys=keys, value=value, n=n, levels=levels,
                status=judge(value, n, levels, check.direction, available),
                override=override, available=available, needs=tuple(needs),
                split_on=tuple(d for d in split if d in keys),
            )
            if PERIOD_COLUMN in keys:
                # against the series' previous period with contacts (named in `since`)
                series = tuple((k, v) for k, v in keys.items() if k != PERIOD_COLUMN)
                since, before = previous.get(series, (None, None))
                if before is not None and value is not None:
                    result.change, result.since = value - before, since
                previous[series] = (keys[PERIOD_COLUMN], value)
            group_key = _group_key(keys, by)
            if group_key not in by_group:
                order.append(group_key)
            by_group[group_key].append(result)
    return [r for key in sorted(order, key=_sort_key) for r in by_group[key]]


def _group_key(keys: Mapping[str, Any], by: Sequence[str]) -> tuple:
    return tuple((k, keys.get(k)) for k in [*by, PERIOD_COLUMN] if k in keys)


def _sort_key(group_key: tuple) -> tuple:
    return tuple((v is None, str(v)) for _, v in group_key)


def group_scores(results: Sequence[CheckResult], by: Sequence[str], periods: bool) -> list[GroupScore]:
    """The overall score per group (by keys and period), and its change since the group's
    previous period."""
    members: dict[tuple, list[CheckResult]] = defaultdict(list)
    for result in results:
        key = _group_key(result.keys, by)
        members[key].append(result)
    scores = []
    previous: dict[tuple, tuple[str | None, float | None]] = {}
    for key, group in members.items():
        per_check: dict[str, list[CheckResult]] = defaultdict(list)
        for result in group:
            per_check[result.check.name].append(result)
        weighted = [
            (r.status, r.check.weight / len(split)) for split in per_check.values() for r in split
        ]
        counts: dict[str, int] = defaultdict(int)
        for result in group:
            counts[result.status] += 1
        entry = GroupScore(keys=dict(key), score=score(weighted), counts=dict(counts))
        if periods:
            series = tuple(kv for kv in key if kv[0] != PERIOD_COLUMN)
            since, before = previous.get(series, (None, None))
            if before is not None and entry.score is not None:
                entry.change, entry.since = entry.score - before, since
            previous[series] = (entry.keys.get(PERIOD_COLUMN), entry.score)
        scores.append(entry)
    return scores
