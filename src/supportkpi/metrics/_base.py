"""Building blocks shared by the KPI modules: metadata, the evaluation context, and the few
aggregation shapes every KPI is made of (a rate, a mean, a duration with its statistics).

A KPI module builds *aggregation expressions* only. The engine puts the expressions of every KPI
of a run into one ``group_by(keys).agg(...)``, so each KPI is computed per group in a single pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import polars as pl

from supportkpi.schema import DUPLICATE, invalid_flag, left_out_flags

Direction = Literal["higher", "lower"] | None
Kind = Literal["count", "rate", "duration", "mean", "score", "money"]
Test = Literal["proportion", "nps", "mean", "by statistic", "count", "none"]
"""How ``compare`` tests a difference between two sides (:mod:`supportkpi.comparison`, whose
constants are these names, in this order): ``by statistic`` for durations, whose test follows
the headline statistic (mean: Welch's t, median: bootstrap, p90: none). The name is output
(``test`` in compare's JSON, the KPI reference), so ``nps`` stays although it is a KPI id too."""


@dataclass(frozen=True)
class KpiInfo:
    """What the CLI, renderers and scorecards need to know about a KPI."""

    id: str
    title: str
    unit: str
    direction: Direction
    kind: Kind
    columns: tuple[str, ...]
    """Columns the KPI reads (alternatives included); the module decides which are required."""
    test: Test = "none"
    """The statistical test that compares two sides of this KPI."""
    noun: str = "contacts"
    """What its n counts, in the plural ("surveys", "calls"): "too few surveys to tell"."""
    signed: bool = False
    """Its values are shown with a sign (+12 for an NPS)."""
    scale: tuple[float, float] | None = None
    """Survey and review scores: the answers that count, ``(low, high)`` (a ``scale``
    parameter, where the KPI has one, changes it)."""
    whole: bool = False
    """Survey scores: only whole numbers are answers (NPS)."""
    business_clock: bool = False
    """It accepts ``clock: business`` (time counted in the open hours of a calendar), and an SLA
    policy may name it as its metric."""
    censor_open: bool = False
    """``compare --open censor`` compares its median by Kaplan-Meier, open tickets censored."""
    table: Literal["contacts", "mentions"] = "contacts"
    """The canonical table it reads (``schema.TABLES``): a run computes each table's KPIs over
    the inputs of that table, and reports them in that table's section."""


class NotAvailable(Exception):
    """The frame lacks columns the KPI needs: reported as "not available", never as zero."""

    def __init__(self, needs: Iterable[str]):
        self.needs = tuple(needs)
        super().__init__("not available (needs " + ", ".join(f"`{c}`" for c in self.needs) + ")")


@dataclass(frozen=True)
class Measure:
    """The aggregation expressions of one KPI, evaluated within each group.

    ``value`` is the headline figure, ``n`` the number of rows it was computed on, ``excluded``
    the rows left out per reason, ``stats`` extra figures (mean/median/p90 of durations).
    """

    value: pl.Expr | OrderStatistic
    n: pl.Expr
    excluded: dict[str, pl.Expr] = field(default_factory=dict)
    stats: Mapping[str, pl.Expr | OrderStatistic] = field(default_factory=dict)
    variant: str | None = None
    unit: str | None = None
    direction: Direction | Literal["unset"] = "unset"
    """Overrides of the module's unit or direction when a parameter changes them (CES scale)."""
    sample: pl.Expr | None = None
    """The per-contact values the value is computed from, in the KPI's unit (durations and
    means), for the statistical tests of ``compare``; collected only when asked for."""
    statistic: str | None = None
    """Durations: which statistic the value is (median, mean, p90)."""
    clock: str | None = None
    """Ticket durations: ``calendar`` or ``business`` hours."""
    only_if_any: frozenset[str] = frozenset()
    """Exclusion reasons listed only in groups where they count something (interval rows left
    out of an interval report's KPI)."""
    checks: dict[str, pl.Expr] = field(default_factory=dict)
    """Aggregations that are no figure of the KPI, read by :attr:`needs_in_group`."""
    needs_in_group: Callable[[Mapping[str, Any]], tuple[str, ...]] | None = None
    """Given a group's ``checks`` figures, why the KPI is not available in that group (empty:
    it is); e.g. an interval report counted with another threshold than kpi.yaml's."""


@dataclass(frozen=True)
class Context:
    """What a KPI may know about the frame: which columns exist.

    ``rows`` selects the rows every KPI considers: duplicates of a ``ticket_id`` and rows a
    preset's rule leaves out (``_left_out:<reason>``) are not among them.
    """

    columns: frozenset[str]

    def has(self, column: str) -> bool:
        return column in self.columns

    def need(self, *columns: str) -> None:
        missing = [c for c in columns if c not in self.columns]
        if missing:
            raise NotAvailable(missing)

    def need_any(self, *columns: str) -> None:
        if not any(c in self.columns for c in columns):
            raise NotAvailable([" or ".join(f"{c}" for c in columns)])

    @property
    def rows(self) -> pl.Expr:
        left_out = [pl.col(c) for c in left_out_flags(sorted(self.columns))]
        if DUPLICATE in self.columns:
            left_out.append(pl.col(DUPLICATE))
        return ~pl.any_horizontal(left_out) if left_out else pl.lit(True)

    @property
    def abandoned(self) -> pl.Expr:
        """Calls and chats abandoned in the queue: never handled, so no ticket KPI (response,
        resolution, FCR, reopen, backlog) counts them; they are counted as "abandoned"."""
        if "abandoned" not in self.columns:
            return pl.lit(False)
        answered = self.known("answered_at")
        return pl.col("abandoned").fill_null(False) & ~answered

    def invalid(self, column: str) -> pl.Expr:
        """True where ``column`` held a value that could not be parsed (the flag column keeps
        the raw value for the data-quality report)."""
        flag = invalid_flag(column)
        if flag in self.columns:
            return pl.col(flag).is_not_null()
        return pl.lit(False)

    def missing(self, column: str) -> pl.Expr:
        """True where ``column`` is empty (and not because its value was unparseable)."""
        if column not in self.columns:
            return pl.lit(True)
        return pl.col(column).is_null() & ~self.invalid(column)

    def known(self, column: str) -> pl.Expr:
        if column not in self.columns:
            return pl.lit(False)
        return pl.col(column).is_not_null()

    def unparseable(self, *columns: str) -> dict[str, pl.Expr]:
        """Exclusion masks "unparseable <column>" for the columns that have bad values."""
        return {f"unparseable {c}": self.invalid(c) for c in columns if invalid_flag(c) in self.columns}


def count(mask: pl.Expr) -> pl.Expr:
    """Number of rows where ``mask`` is true (null counts as false)."""
    return mask.fill_null(False).sum().cast(pl.Int64)


def rate(numerator: pl.Expr, denominator: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Percentage ``100 * count(numerator & denominator) / count(denominator)`` and its n.

    The value is null for an empty denominator, never zero or NaN.
    """
    denominator = denominator.fill_null(False)
    numerator = numerator.fill_null(False) & denominator
    n = count(denominator)
    value = pl.when(n > 0).then(count(numerator) * 100.0 / n).otherwise(None)
    return value, n


def mean_of(values: pl.Expr, eligible: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """Mean of ``values`` over eligible rows, their count, and the values themselves."""
    eligible = eligible.fill_null(False)
    sample = values.filter(eligible)
    return sample.mean(), count(eligible), sample


@dataclass(frozen=True)
class OrderStatistic:
    """A statistic of sorted values (a median, a nearest-rank percentile) over the non-null
    ``values`` of each group. It is not an aggregation expression: a median needs every value
    of its group, which would keep the whole input in memory, so the engine computes order
    statistics apart (:mod:`supportkpi.quantiles`, exact, in bounded memory for large inputs).

    ``values`` is a per-row expression, null where the row does not count; ``percent`` None
    is the median (the mean of the two middle values of an even count, as the catalog says),
    else the nearest-rank percentile: the ``ceil(percent/100 * n)``-th smallest value.
    """

    values: pl.Expr
    percent: int | None = None


def duration(
    seconds: pl.Expr,
    eligible: pl.Expr,
    statistic: str,
    scale: float,
) -> tuple[pl.Expr | OrderStatistic, pl.Expr, dict[str, pl.Expr | OrderStatistic], pl.Expr]:
    """Headline value, n, mean/median/p90 and the values of a duration, converted from seconds
    by ``scale`` (3600 for hours, 1 for seconds). The values are a per-row expression (null
    where not eligible), so the mean streams; median and p90 are :class:`OrderStatistic`."""
    eligible = eligible.fill_null(False)
    per_row = pl.when(eligible).then(seconds / scale)
    stats: dict[str, pl.Expr | OrderStatistic] = {
        "mean": per_row.mean(),
        "median": OrderStatistic(per_row),
        "p90": OrderStatistic(per_row, 90),
    }
    return stats[statistic], count(eligible), stats, per_row.drop_nulls()


@dataclass(frozen=True)
class RunEnv:
    """What a KPI's hooks (:data:`HOOKS`) may know about the run beyond the frame's columns."""

    period: str | None = None
    timezone: str = "UTC"
    business_seconds: Callable[[pl.Expr], pl.Expr] | None = None
    """Business seconds from the row's start (a contact's ``created_at``, a mention's
    ``posted_at``) to a per-row end, on each row's calendar."""
    calendars: str = ""
    """The calendars a business clock runs on, as the output names them."""


HOOKS = (
    "prepare",
    "run_params",
    "for_run",
    "stock_per_period",
    "carry_over",
    "from_intervals",
    "END",
    "REPORT_THRESHOLDS",
    "NOT_FROM_INTERVALS",
)
"""What a KPI module may define besides ``INFO``, ``measure(ctx, **params) -> Measure`` and
``Params`` (its kpi.yaml section as a :class:`~supportkpi.params.KpiParameters` model). The
engine, the SLA policies and the interval reports look these up by name in every KPI module of
a run (``params`` is the KPI's kpi.yaml section, as given to ``measure``; ``env`` a
:class:`RunEnv`); ``tests/test_kpi_metadata.py`` fails on a public name that is none of them
and is used nowhere, such as a misspelt hook.

* ``prepare(ctx, params, env) -> list[pl.Expr]``: per-row columns the KPI reads, added once
  before the input is stored (durations computed per row rather than in each aggregation);
* ``run_params(params, env) -> dict[str, Any]``: ``measure``'s parameters with those that depend
  on the run (the reporting period);
* ``for_run(measure, ctx, params, env) -> Measure``: the measure adjusted to the run (the
  calendars a business clock runs on, the duplicates a count reports);
* ``stock_per_period(ctx, frame, keys, period_of) -> tuple[list[pl.Expr], pl.LazyFrame]``
  and ``carry_over(table, resolved, keys, period_column, value_column, n_column) ->
  pl.DataFrame``: a stock (backlog) carried across periods, see
  :mod:`supportkpi.metrics.backlog`;
* ``from_intervals(ictx, **params) -> IntervalMeasure``: the KPI from interval reports' sums,
  see :mod:`supportkpi.metrics._intervals`;
* ``END: tuple[str, str]``: a duration's end timestamp and the seconds column some sources
  give instead, for the SLA policies that measure it (:mod:`supportkpi.sla`);
* ``REPORT_THRESHOLDS: tuple[str, ...]``: parameters an interval report states in columns of
  the same name (its thresholds), checked against kpi.yaml's;
* ``NOT_FROM_INTERVALS: str``: why the KPI is not available from interval reports, when the
  general reason (contact-level data) does not say it.
"""
