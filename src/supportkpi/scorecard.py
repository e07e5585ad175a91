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

A target with overrides is judged once per slice of each group: the contacts of each override
(most specific first), then the others (one more aggregation over the same data per such target;
see :mod:`supportkpi.targets`).

The overall score of a group is the weighted mean of points (pass 100, warn 50, fail 0) over
its judged checks (see :func:`supportkpi.targets.score`); a check judged in several slices
shares its weight equally among the slices judged, so overrides do not make it count more.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import polars as pl

from supportkpi import spill
from supportkpi.config import Config
from supportkpi.engine import PERIOD_COLUMN, SLA_COMPLIANCE, bounded, compute, conform
from supportkpi.errors import UsageError
from supportkpi.metrics import REGISTRY
from supportkpi.results import ComputeResult, InputInfo
from supportkpi.schedules import Calendars
from supportkpi.targets import POINTS, Check, CheckResult, build_checks, judge, outcome, score

SLICE = "slice"
"""Column of the override each contact falls under, for targets with overrides."""
GROUPS_ONLY = next(iter(REGISTRY))
"""The KPI a run computes when no target needs one, to list the groups (the registry's first,
ticket volume: a count every export supports)."""


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
    """The run without slices: inputs, data quality, and every SLA policy's compliance."""
    benchmark: Any = None
    """Industry figures shown beside the checks (:mod:`supportkpi.benchmark`)."""
    mentions: Scorecard | None = None
    """A run that read contact and mentions exports: the mentions targets' scorecard."""

    def benchmark_figures(self) -> list[dict[str, Any]]:
        """The benchmark's figure for each check (and each channel a check's override names)."""
        if self.benchmark is None:
            return []
        out = []
        for check in self.checks:
            channels = [None] + list(
                dict.fromkeys(o.conditions["channel"] for o in check.overrides if "channel" in o.conditions)
            )
            for channel in channels:
                figure = self.benchmark.figure(check.kpi, channel, check.unit)
                if figure is not None:
                    out.append(
                        {
                            "check": check.name,
                            "channel": channel,
                            "value": figure.value,
                            "unit": check.unit,
                            "statistic": figure.statistic,
                            "segment": figure.segment,
                            "source": figure.source,
                            "year": figure.year,
                        }
                    )
        return out

    @property
    def policies(self) -> list[str]:
        return [k for k in self.base.kpi_ids if k.startswith(SLA_COMPLIANCE + ".")]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for result in self.results:
            out[result.status] += 1
        return dict(out)

    def outcomes(self, insufficient: str = "warn", missing: str = "error") -> list[tuple[CheckResult, str]]:
        """Each result with what `check` makes of it (see :func:`supportkpi.targets.outcome`),
        the mentions section's too."""
        own = [(r, outcome(r, insufficient, missing)) for r in self.results]
        return own + (self.mentions.outcomes(insufficient, missing) if self.mentions is not None else [])

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
                rows.append(
                    {
                        "keys": dict(group.keys),
                        "policy": kpi_id.split(".", 1)[1],
                        "value": kpi.value,
                        "n": kpi.n,
                        "excluded": dict(kpi.excluded),
                        "available": kpi.available,
                    }
                )
        return rows

    def to_dict(self) -> dict[str, Any]:
        base = self.base.to_dict()
        return {
            "supportkpi_version": base["supportkpi_version"],
            "parameters": base["parameters"],
            "inputs": base["inputs"],
            "scoring": {
                "points": POINTS,
                "formula": "score = sum(weight x points) / sum(weight) over checks judged pass, "
                "warn or fail; a check judged per channel/priority/language/vendor shares its weight",
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
            SLA_COMPLIANCE: self.sla_rows(),
            **(
                {"benchmark": {"name": self.benchmark.spec.name, "figures": self.benchmark_figures()}}
                if self.benchmark is not None
                else {}
            ),
            "data_quality": base["data_quality"],
            **({"mentions": self.mentions.to_dict()} if self.mentions is not None else {}),
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
    table: str = "contacts",
    memory: str = "auto",
) -> Scorecard:
    """Judge every target of ``config`` per group of ``by`` (and ``period``): the targets of
    the KPIs of ``table`` (contacts, with the SLA policies; or mentions), over a frame of it.
    ``memory``: as for :func:`supportkpi.engine.compute`, for each of its runs."""
    checks = [c for c in build_checks(config) if kpi_table(c.kpi) == table]
    sla = config.sla if table == "contacts" else []
    timezone = timezone or config.timezone
    params = params if params is not None else config.kpi_parameters()
    if calendars is None:
        calendars = Calendars.from_config(config, timezone)
    by = list(by)
    sliced = [c for c in checks if c.overrides]

    def run(frame, kpi_ids, keys):
        return compute(
            frame,
            kpi_ids or [GROUPS_ONLY],
            by=keys,
            period=period,
            timezone=timezone,
            params=params,
            inputs=inputs,
            calendars=calendars,
            sla=sla,
            as_of=as_of,
            table=table,
            memory=memory,
        )

    with contextlib.ExitStack() as stack:
        if sliced and isinstance(frame, pl.LazyFrame):
            # the exports are read once for the several runs: into memory, or in a bounded run
            # into a temporary Parquet copy that each run streams from
            if bounded(memory, inputs):
                frame = stack.enter_context(spill.on_disk(conform(frame)))
            else:
                frame = frame.collect()
        runs = _runs(frame, checks, sliced, by, bool(sla), run)
    results = evaluate(checks, runs, by)
    return Scorecard(
        checks=checks,
        results=results,
        scores=group_scores(results, by, period is not None),
        by=by,
        period=period,
        base=runs[""],
    )


def _runs(frame, checks: list[Check], sliced: list[Check], by: list[str], policies: bool, run) -> dict:
    """The base run (every KPI of a target without overrides, and every SLA policy) and one run
    per target with overrides, its contacts labelled with their slice."""
    columns = set(frame.collect_schema().names())
    if sliced and SLICE in columns:
        raise UsageError(
            f"the data has a column named '{SLICE}', which targets with overrides need; rename it with --map"
        )
    base_kpis = [c.kpi for c in checks if not c.overrides and not c.kpi.startswith(SLA_COMPLIANCE)]
    runs = {"": run(frame, list(dict.fromkeys(base_kpis)) + ([SLA_COMPLIANCE] if policies else []), by)}
    for check in sliced:
        kpi_id = SLA_COMPLIANCE if check.kpi.startswith(SLA_COMPLIANCE) else check.kpi
        labelled = frame.with_columns(check.slice_expression(columns).alias(SLICE))
        runs[check.name] = run(labelled, [kpi_id], [*by, SLICE])
    return runs


def kpi_table(kpi_id: str) -> str:
    """The canonical table a target's KPI reads (an SLA policy's compliance: contacts)."""
    module = REGISTRY.get(kpi_id)
    return module.INFO.table if module is not None else "contacts"


def evaluate(checks: Sequence[Check], runs: Mapping[str, ComputeResult], by: Sequence[str]) -> list[CheckResult]:
    """Pure: judge each check in each group (and slice) of its run: ``runs[""]`` for targets
    without overrides, ``runs[check.name]`` grouped also by the ``slice`` column for the others.
    Results are ordered by group, then by the order of the targets in kpi.yaml."""
    by_group: dict[tuple, list[CheckResult]] = defaultdict(list)
    for check in checks:
        previous: dict[tuple, tuple[str | None, float | None]] = {}
        mine: dict[tuple, list[CheckResult]] = defaultdict(list)
        # an undated group has no row to judge: its left-out rows are in the SLA table and findings
        for group in runs[check.name if check.overrides else ""].judged_groups:
            kpi = group.kpis.get(check.kpi)
            keys = {k: v for k, v in group.keys.items() if k != SLICE}
            levels, override = check.levels_for_slice(group.keys.get(SLICE))
            needs: tuple[str, ...]
            if kpi is None:  # an SLA policy the run could not judge
                value, n, available, needs = None, 0, False, ("created_at",)
            else:
                value = kpi.stats.get(check.statistic) if check.statistic else kpi.value
                n, available, needs = kpi.n, kpi.available, kpi.needs
            result = CheckResult(
                check=check,
                keys=keys,
                value=value,
                n=n,
                levels=levels,
                status=judge(value, n, levels, check.direction, available),
                override=override,
                available=available,
                needs=tuple(needs),
            )
            if PERIOD_COLUMN in keys:
                # against the series' previous period with contacts (named in `since`)
                series = (*((k, v) for k, v in keys.items() if k != PERIOD_COLUMN), group.keys.get(SLICE))
                since, before = previous.get(series, (None, None))
                if before is not None and value is not None:
                    result.change, result.since = value - before, since
                previous[series] = (keys[PERIOD_COLUMN], value)
            mine[_group_key(keys, by)].append(result)
        for group_key, results in mine.items():
            _name_slices(results)
            by_group[group_key] += results
    return [r for key in sorted(by_group, key=_sort_key) for r in by_group[key]]


def _name_slices(results: list[CheckResult]) -> None:
    """Label the results of one check in one group: an override's slice by what it adds to the
    group (``channel=chat``); the contacts no override took as ``other`` when the group has
    other slices too."""
    labelled = [r for r in results if r.split]
    for result in results:
        if result.split:
            result.slice_text = ", ".join(f"{k}={v}" for k, v in result.split.items())
        elif result.override is None and labelled:
            result.slice_text = "other"
    results.sort(key=lambda r: (r.override is None, r.slice_text))


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
        weighted = []
        for check_results in per_check.values():
            judged = [r for r in check_results if r.status in POINTS] or check_results
            weighted += [(r.status, r.check.weight / len(judged)) for r in judged]
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
