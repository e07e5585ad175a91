"""What a vendor manager reads first: per series (vendor), its latest score, the score's course
over the periods, and its failing and warning checks, worst first, each with the period since
which it has been so.

A series is a group of the run without its period: with ``--by vendor --period month``, one
series per vendor, one group per vendor and month. The HTML scorecard shows these at the top
(:mod:`supportkpi.render.html`)::

    >>> course(["2025-01", "2025-02", "2025-03", "2025-04"], [90.0, 95.0, 70.0, 40.0])
    ('down', 55.0, '2025-02')
    >>> course(["2025-01", "2025-02"], [50.0, 50.0]), course(["2025-01"], [50.0])
    (('steady', 0.0, '2025-01'), None)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from supportkpi.engine import PERIOD_COLUMN
from supportkpi.scorecard import GroupScore, Scorecard
from supportkpi.targets import FAIL, WARN, CheckResult

WORST_FIRST = {FAIL: 0, WARN: 1}
"""The statuses a summary names, worst first."""


@dataclass
class Slip:
    """A failing or warning check of a series' latest period."""

    result: CheckResult
    since: str | None
    """The first period of the unbroken run of periods in which the check was this bad or worse
    (None without periods)."""


@dataclass
class SeriesSummary:
    keys: dict[str, Any]
    """The group's keys without the period."""
    latest: GroupScore
    results: list[CheckResult]
    """The latest period's check results."""
    periods: list[str] = field(default_factory=list)
    scores: list[float | None] = field(default_factory=list)
    """The series' score per period of ``periods`` (None where no check was judged)."""
    slips: list[Slip] = field(default_factory=list)

    @property
    def period(self) -> str | None:
        return self.latest.keys.get(PERIOD_COLUMN)

    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for result in self.results:
            out[result.status] += 1
        return dict(out)

    @property
    def course(self) -> tuple[str, float, str] | None:
        return course(self.periods, self.scores)


def series_key(keys: dict[str, Any]) -> tuple:
    """A group's keys without its period, as a hashable key."""
    return tuple((k, v) for k, v in keys.items() if k != PERIOD_COLUMN)


def summarise(card: Scorecard) -> list[SeriesSummary]:
    """One summary per series, in the order of the run's groups."""
    series: dict[tuple, list[tuple[GroupScore, list[CheckResult]]]] = defaultdict(list)
    for group, results in card.group_results():
        series[series_key(group.keys)].append((group, results))
    out = []
    for key, groups in series.items():
        if card.period:
            groups = sorted(groups, key=lambda g: str(g[0].keys.get(PERIOD_COLUMN)))
        latest, results = groups[-1]
        history = [{_check_key(r): r.status for r in rs} for _, rs in groups]
        summary = SeriesSummary(dict(key), latest, results)
        if card.period:
            summary.periods = [str(g.keys.get(PERIOD_COLUMN)) for g, _ in groups]
            summary.scores = [g.score for g, _ in groups]
        bad = sorted((r for r in results if r.status in WORST_FIRST), key=_severity)
        summary.slips = [Slip(r, _since(r, history, summary.periods)) for r in bad]
        out.append(summary)
    return out


def course(periods: list[str], scores: list[float | None]) -> tuple[str, float, str] | None:
    """How the score went in its latest run of one direction: ``("down", 55.0, "2025-02")`` reads
    "down 55 points since 2025-02" (the period before the run began); None with fewer than two
    scored periods. Periods without a score are passed over."""
    scored = [(p, s) for p, s in zip(periods, scores) if s is not None]
    if len(scored) < 2:
        return None
    last = scored[-1][1]
    direction = (last > scored[-2][1]) - (last < scored[-2][1])
    start = len(scored) - 2
    while direction and start > 0:
        step = scored[start][1] - scored[start - 1][1]
        if (step > 0) - (step < 0) != direction:
            break
        start -= 1
    word = {1: "up", -1: "down", 0: "steady"}[direction]
    return word, abs(last - scored[start][1]), scored[start][0]


def _check_key(result: CheckResult) -> tuple[str, str]:
    return result.check.name, result.slice_text


def _severity(result: CheckResult) -> tuple[int, float]:
    """Fails before warnings; within each, the furthest behind its target first (the gap in
    steps between the warn and fail levels, so that checks in different units compare)."""
    levels = result.levels
    scale = abs(levels.warn - levels.fail) if levels.warn is not None and levels.fail is not None else 0.0
    scale = scale or abs(levels.target or 0.0) or 1.0
    return WORST_FIRST[result.status], (result.gap or 0.0) / scale


def _since(result: CheckResult, history: list[dict[tuple, str]], periods: list[str]) -> str | None:
    """The first period of the run, ending in the latest, in which the check was as bad as it is
    now or worse."""
    if not periods:
        return None
    as_bad = {FAIL} if result.status == FAIL else {FAIL, WARN}
    start = len(history) - 1
    while start > 0 and history[start - 1].get(_check_key(result)) in as_bad:
        start -= 1
    return periods[start]
