"""The shape of a KPI measured from interval reports (:mod:`supportkpi.intervals`): sums over
the interval rows, ``Σ numerator / Σ denominator`` (× 100 for a rate; a count is the Σ
denominator), over the rows that have every figure the KPI reads and pass the row checks on
them. A KPI module that interval reports can give defines
``from_intervals(ictx, **params) -> IntervalMeasure``; it raises :class:`NotAvailable` with what
is missing, like ``measure``.

The :class:`Measure` inside counts as ``excluded`` the contacts left out (short abandons,
unanswered: always listed) and, per reason, the interval rows left out (listed where there are
any: those reasons say "interval rows", they count rows).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl

from supportkpi.metrics._base import Measure, NotAvailable


@dataclass(frozen=True)
class RowCheck:
    """A contradiction within an interval row (answered > offered, a negative count, ...),
    evaluated into the boolean column ``flag``. Rows failing it are left out of every KPI that
    reads one of the ``suspects``, counted under ``reason``."""

    flag: str
    reason: str
    suspects: tuple[str, ...]


@dataclass(frozen=True)
class IntervalContext:
    """What an interval KPI may know about the report: its columns and its row checks."""

    columns: frozenset[str]
    checks: tuple[RowCheck, ...] = ()

    def has(self, column: str) -> bool:
        return column in self.columns

    def need(self, *columns: str) -> None:
        missing = [c for c in columns if c not in self.columns]
        if missing:
            raise NotAvailable(missing)

    def offered(self) -> tuple[pl.Expr, tuple[str, ...]]:
        """Offered contacts per row and the columns they are read from: ``offered``, else
        answered + abandoned."""
        if self.has("offered"):
            return pl.col("offered"), ("offered",)
        if self.has("answered") and self.has("abandoned"):
            return pl.col("answered") + pl.col("abandoned"), ("answered", "abandoned")
        raise NotAvailable(["offered or answered and abandoned"])

    def short_abandons(self) -> tuple[pl.Expr, tuple[str, ...]]:
        """Short abandons per row; none when the report does not separate them (the KPI's
        label says so, :func:`short_note`)."""
        if self.has("short_abandoned"):
            return pl.col("short_abandoned"), ("short_abandoned",)
        return pl.lit(0, pl.Int64), ()

    def exclusions(self, reads: tuple[str, ...]) -> tuple[pl.Expr, dict[str, pl.Expr]]:
        """Rows usable for a KPI reading ``reads`` and, per reason, the rows left out (each row
        under its first reason): a figure the KPI reads is missing, or a check on it failed."""
        reasons: dict[str, pl.Expr] = {}
        out = pl.lit(False)
        for name in reads:
            reasons[f"interval rows lacking {name}"] = pl.col(name).is_null() & ~out
            out = out | pl.col(name).is_null()  # not `| mask`: that nests `out` twice per reason
        for check in self.checks:
            if not set(check.suspects) & set(reads):
                continue
            mask = pl.col(check.flag) & ~out
            reasons[check.reason] = reasons[check.reason] | mask if check.reason in reasons else mask
            out = out | pl.col(check.flag)
        return ~out, reasons


@dataclass(frozen=True)
class IntervalMeasure:
    """A KPI's :class:`Measure` from interval sums, with what the report's checks and notes
    need: the figures it reads, the T and short-abandon threshold the report must have counted
    with, and whether it subtracts short abandons."""

    measure: Measure
    reads: tuple[str, ...]
    threshold: float | None = None
    short_threshold: float | None = None
    subtracts_short: bool = False


def sums(
    ictx: IntervalContext,
    kpi_id: str,
    kind: Literal["count", "rate", "mean"],
    numerator: pl.Expr | None,
    denominator: pl.Expr,
    reads: tuple[str, ...],
    *,
    contacts_excluded: Mapping[str, pl.Expr] | None = None,
    variant: str | None = None,
    threshold: float | None = None,
    short_threshold: float | None = None,
) -> IntervalMeasure:
    """``Σ numerator / Σ denominator`` over the usable rows; ``n`` is the Σ denominator."""
    usable, reasons = ictx.exclusions(reads)
    den = denominator.filter(usable).sum()
    if kind == "count" or numerator is None:
        value = den
    elif kind == "rate":
        value = pl.when(den > 0).then(numerator.filter(usable).sum() * 100.0 / den)
    else:
        value = pl.when(den > 0).then(numerator.filter(usable).sum() / den)
    contacts = dict(contacts_excluded or {})
    excluded = {reason: pl.when(usable).then(count) for reason, count in contacts.items()}
    checks, needs = _threshold_checks(ictx, kpi_id, threshold, short_threshold)
    m = Measure(
        value=value,
        n=den.cast(pl.Int64),
        excluded={**excluded, **reasons},
        stats={"mean": value} if kind == "mean" else {},
        variant=variant,
        only_if_any=frozenset(reasons),
        checks=checks,
        needs_in_group=needs,
    )
    return IntervalMeasure(m, reads, threshold, short_threshold, "short abandon" in contacts)


def mean_per_answered(ictx: IntervalContext, kpi_id: str, parts: tuple[str, ...], statistic: str) -> IntervalMeasure:
    """A duration as Σ of its total columns / Σ answered: only the mean, which sums give."""
    ictx.need("answered", *parts)
    if statistic != "mean":
        raise NotAvailable(
            [
                f"call-level data for the {statistic}: interval sums give only the mean "
                f"(kpi.yaml asks for the {statistic})"
            ]
        )
    excluded = {"unanswered": pl.col("abandoned")} if ictx.has("abandoned") else {}
    total = pl.sum_horizontal(pl.col(x) for x in parts) if len(parts) > 1 else pl.col(parts[0])
    return sums(
        ictx,
        kpi_id,
        "mean",
        total,
        pl.col("answered"),
        ("answered", *parts),
        contacts_excluded=excluded,
        variant="mean (median and p90 need call-level data)",
    )


def short_note(ictx: IntervalContext) -> str:
    """What a label adds when the report does not separate short abandons."""
    if ictx.has("short_abandoned"):
        return ""
    return " (short abandons not in the report: none subtracted)"


_DECLARED = (
    ("t", "threshold_seconds", "service level counted within", "counts within"),
    ("s", "short_abandon_seconds", "short abandons counted below", "counts short abandons below"),
)
"""The thresholds a report may state per row: check name, the column (and kpi.yaml parameter)
that states it, and how the message says it."""


def _threshold_checks(
    ictx: IntervalContext, kpi_id: str, threshold: float | None, short_threshold: float | None
) -> tuple[dict[str, pl.Expr], Callable[[Mapping[str, Any]], tuple[str, ...]] | None]:
    """Per group, the other thresholds than kpi.yaml's that rows were counted with (lowest and
    highest), and the reasons they make the KPI not available: a figure counted with another T
    is another KPI, never silently the one asked for."""
    asked = {"t": threshold, "s": short_threshold}
    checks: dict[str, pl.Expr] = {}
    for name, declared, _, _ in _DECLARED:
        value = asked[name]
        if value is None or not ictx.has(declared):
            continue
        other = pl.col(declared).filter((pl.col(declared) - value).abs() > 1e-9)
        checks[f"{name}_min"], checks[f"{name}_max"] = other.min(), other.max()
    if not checks:
        return {}, None

    def needs(figures: Mapping[str, Any]) -> tuple[str, ...]:
        out = []
        for name, param, what, verb in _DECLARED:
            low, high, value = figures.get(f"{name}_min"), figures.get(f"{name}_max"), asked[name]
            if value is None or low is None:
                continue
            counted = f"{low:g} s" if low == high else f"{low:g} s to {high:g} s"
            out.append(
                f"{what} {value:g} s: the report {verb} {counted}; kpi.yaml asks for {value:g} s ({kpi_id}.{param})"
            )
        return tuple(out)

    return checks, needs
