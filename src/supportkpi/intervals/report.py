"""The data-quality side of interval reports: rows whose figures contradict each other
(negative counts, answered > offered, answered within T > answered, ...) are data errors,
counted as findings and left out of the KPIs that read the suspect figure; unparseable values,
missing interval starts and what the report does not state are reported too."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from supportkpi.intervals.columns import COUNTS, INTERVAL_SCHEMA, TOTALS
from supportkpi.metrics._intervals import IntervalMeasure, RowCheck
from supportkpi.results import Finding
from supportkpi.schema import ROW, SOURCE, Kind, invalid_flag

EXAMPLES = 5


@dataclass(frozen=True)
class Contradiction:
    """A contradiction within a row: a data error. Rows failing it are left out of every KPI
    that reads one of the ``suspects``; the report shows the figures ``shows``."""

    key: str
    kind: str
    column: str
    expected: str
    mask: pl.Expr
    suspects: tuple[str, ...]
    shows: tuple[str, ...]

    @property
    def flag(self) -> str:
        """The per-row column of the check's result, read by the KPI pass and the report."""
        return f"_check_{self.key}"

    def row_check(self) -> RowCheck:
        """The check as the KPIs see it."""
        reason = f"interval rows with {self.kind}" + (f" ({self.column})" if self.kind.startswith("negative") else "")
        return RowCheck(self.flag, reason, self.suspects)


def contradictions(columns: frozenset[str], thresholds: Mapping[str, float]) -> list[Contradiction]:
    """The checks that the report's columns allow; ``thresholds`` are kpi.yaml's T and
    short-abandon threshold."""
    checks = [*_negative(columns), *_more_than_the_whole(columns, thresholds), *_unanswered(columns)]
    out = []
    for k in checks:
        mask = k.mask
        if not k.kind.startswith("negative"):
            # a negative figure is reported as such, not again as a contradiction
            mask = mask & pl.all_horizontal(pl.col(n) >= 0 for n in k.shows)
        out.append(dataclasses.replace(k, mask=mask.fill_null(False)))
    return out


def _negative(columns: frozenset[str]) -> list[Contradiction]:
    checks = [
        Contradiction(f"neg_{name}", "negative count", name, "a count of 0 or more", pl.col(name) < 0, (name,), (name,))
        for name in COUNTS
        if name in columns
    ]
    checks += [
        Contradiction(
            f"neg_{name}", "negative duration", name, "a total of 0 s or more", pl.col(name) < 0, (name,), (name,)
        )
        for name in TOTALS
        if name in columns
    ]
    return checks


def _more_than_the_whole(columns: frozenset[str], thresholds: Mapping[str, float]) -> list[Contradiction]:
    """A part counted larger than what it is part of (answered > offered, ...)."""
    has, c = columns.__contains__, pl.col
    checks = []
    if has("offered") and has("answered") and has("abandoned"):
        checks.append(
            Contradiction(
                "over_offered",
                "answered + abandoned > offered",
                "offered",
                "answered + abandoned ≤ offered",
                c("answered") + c("abandoned") > c("offered"),
                ("offered", "answered", "abandoned"),
                ("offered", "answered", "abandoned"),
            )
        )
    elif has("offered") and has("answered"):
        checks.append(
            Contradiction(
                "answered_over_offered",
                "answered > offered",
                "answered",
                "answered ≤ offered",
                c("answered") > c("offered"),
                ("offered", "answered"),
                ("offered", "answered"),
            )
        )
    for part, whole, key, expected in _PARTS_OF:
        if has(part) and has(whole):
            checks.append(
                Contradiction(key, f"{part} > {whole}", part, expected, c(part) > c(whole), (part,), (whole, part))
            )
    if (
        has("abandoned_within_threshold")
        and has("short_abandoned")
        and (thresholds["short_abandon_seconds"] <= thresholds["threshold_seconds"])
    ):
        # with the short-abandon threshold at or below T every short abandon is within T
        checks.append(
            Contradiction(
                "short_over_abwt",
                "short_abandoned > abandoned_within_threshold",
                "short_abandoned",
                "short_abandoned ≤ abandoned_within_threshold (a short abandon waited less than T)",
                c("short_abandoned") > c("abandoned_within_threshold"),
                ("abandoned_within_threshold",),  # short_abandoned is checked against abandoned
                ("short_abandoned", "abandoned_within_threshold"),
            )
        )
    return checks


_PARTS_OF = (
    (
        "short_abandoned",
        "abandoned",
        "short_over_abandoned",
        "short_abandoned ≤ abandoned (short abandons are abandons)",
    ),
    ("answered_within_threshold", "answered", "awt_over_answered", "answered_within_threshold ≤ answered"),
    ("abandoned_within_threshold", "abandoned", "abwt_over_abandoned", "abandoned_within_threshold ≤ abandoned"),
)
"""Counts that are part of another: the part, the whole, the check's key and what is expected."""


def _unanswered(columns: frozenset[str]) -> list[Contradiction]:
    if "answered" not in columns:
        return []
    return [
        Contradiction(
            f"{name}_unanswered",
            f"{name} without answered contacts",
            name,
            "a total of 0 s when no contact was answered",
            (pl.col(name) > 0) & (pl.col("answered") == 0),
            (name,),
            ("answered", name),
        )
        for name in TOTALS
        if name in columns
    ]


_EXPECTED = {
    Kind.DATETIME: "an ISO 8601 timestamp such as 2025-01-31T14:00:00Z, or a local time that exists in the time zone",
    Kind.FLOAT: "a number",
    Kind.INT: "a whole number",
}


def report_queries(
    lazy: pl.LazyFrame,
    checks: Sequence[Contradiction],
    flags: Sequence[str],
    notes: Sequence[str],
    columns: frozenset[str],
) -> list[pl.LazyFrame]:
    """The report's queries, collected with the KPI pass: counts, example rows, rows per file."""
    if SOURCE in columns:
        per_source = lazy.group_by(SOURCE).agg(pl.len().alias("rows"))
    else:
        per_source = pl.LazyFrame({SOURCE: [0], "rows": [0]}).head(0)
    counts = _counts(checks, flags, notes, columns)
    return [lazy.select(counts), _examples_query(lazy, checks, flags, columns), per_source]


def _counts(
    checks: Sequence[Contradiction], flags: Sequence[str], notes: Sequence[str], columns: frozenset[str]
) -> list[pl.Expr]:
    """Rows, missing and unparseable values, failed checks and notes, over the whole report."""
    counts = [
        pl.len().alias("rows"),
        pl.col("interval_start").is_null().sum().alias("missing:interval_start"),
        pl.col("interval_start").max().alias("as_of"),
    ]
    if invalid_flag("interval_start") in columns:
        # an unparseable start is reported as such, not also as missing
        counts[1] = (
            (pl.col("interval_start").is_null() & pl.col(invalid_flag("interval_start")).is_null())
            .sum()
            .alias("missing:interval_start")
        )
    counts += [pl.col(invalid_flag(n)).is_not_null().sum().alias(f"invalid:{n}") for n in flags]
    on_rows = pl.col("interval_start").is_not_null()
    counts += [(pl.col(k.flag) & on_rows).sum().alias(f"check:{k.key}") for k in checks]
    if "offered" in columns and "answered" in columns and "abandoned" in columns:
        neither = (pl.col("offered") - pl.col("answered") - pl.col("abandoned")).filter(on_rows)
        counts += [
            (neither > 0).sum().alias("note:neither_rows"),
            neither.filter(neither > 0).sum().alias("note:neither_contacts"),
        ]
    for note in notes:
        # rows without the declaration (all rows when the report lacks the column)
        known = pl.col(note).is_not_null() if note in columns else pl.lit(False)
        counts.append((on_rows & ~known).sum().alias(f"note:{note}"))

    return counts


def _examples_query(
    lazy: pl.LazyFrame, checks: Sequence[Contradiction], flags: Sequence[str], columns: frozenset[str]
) -> pl.LazyFrame:
    """The first rows with a problem, with the figures the report shows of them."""
    on_rows = pl.col("interval_start").is_not_null()
    where = [c for c in (SOURCE, ROW) if c in columns]
    shown = sorted({c for k in checks for c in k.shows} | {"interval_start"}, key=list(INTERVAL_SCHEMA).index)
    problem = [pl.col(k.flag) & on_rows for k in checks]
    problem += [pl.col(invalid_flag(n)).is_not_null() for n in flags]
    if problem:
        return (
            lazy.filter(pl.any_horizontal(problem))
            .select(*where, *shown, *[k.flag for k in checks], *[invalid_flag(n) for n in flags])
            .head(1000)
        )
    return pl.LazyFrame()


def findings(
    counts: Mapping[str, Any],
    examples: pl.DataFrame,
    checks: Sequence[Contradiction],
    flags: Sequence[str],
    notes: Sequence[str],
    measures: Mapping[str, IntervalMeasure],
    thresholds: Mapping[str, float],
    paths: Sequence[str],
) -> tuple[list[Finding], Any]:
    """The report's findings from the collected queries of :func:`report_queries`, and the
    latest interval start."""
    found = _value_findings(counts, examples, flags, paths)
    found += _check_findings(counts, examples, checks, measures, paths)
    found += _note_findings(counts, notes, measures, thresholds)
    return found, counts.get("as_of")


def _value_findings(
    counts: Mapping[str, Any], examples: pl.DataFrame, flags: Sequence[str], paths: Sequence[str]
) -> list[Finding]:
    """Unparseable values and missing interval starts."""
    findings: list[Finding] = []
    for name in flags:
        bad = counts.get(f"invalid:{name}") or 0
        if bad:
            rows = examples.filter(pl.col(invalid_flag(name)).is_not_null()).head(EXAMPLES)
            findings.append(
                Finding(
                    kind="unparseable value",
                    column=name,
                    count=bad,
                    expected=_EXPECTED.get(INTERVAL_SCHEMA[name].kind),
                    effect="left out of every KPI"
                    if name == "interval_start"
                    else "those interval rows are left out of the KPIs that need it",
                    examples=_examples(rows, lambda r, n=name: r[invalid_flag(n)], paths),
                )
            )
    if counts.get("missing:interval_start"):
        findings.append(
            Finding(
                kind="missing value",
                column="interval_start",
                count=counts["missing:interval_start"],
                expected="a timestamp (required)",
                effect="left out of every KPI",
            )
        )
    return findings


def _check_findings(
    counts: Mapping[str, Any],
    examples: pl.DataFrame,
    checks: Sequence[Contradiction],
    measures: Mapping[str, IntervalMeasure],
    paths: Sequence[str],
) -> list[Finding]:
    """Rows whose figures contradict each other, and the KPIs they are left out of."""
    findings: list[Finding] = []
    for check in checks:
        bad = counts.get(f"check:{check.key}") or 0
        if not bad:
            continue
        hit = [k for k, s in measures.items() if set(check.suspects) & set(s.reads)]
        rows = examples.filter(pl.col(check.flag)).head(EXAMPLES)
        findings.append(
            Finding(
                kind=check.kind,
                column=check.column,
                count=bad,
                expected=check.expected,
                effect=("those interval rows are left out of " + ", ".join(hit))
                if hit
                else "no KPI of this run reads it",
                examples=_examples(rows, lambda r, k=check: _figures(r, k.shows), paths),
            )
        )
    return findings


def _note_findings(
    counts: Mapping[str, Any],
    notes: Sequence[str],
    measures: Mapping[str, IntervalMeasure],
    thresholds: Mapping[str, float],
) -> list[Finding]:
    """What the report leaves open: contacts neither answered nor abandoned, short abandons it
    does not separate, thresholds it does not state."""
    findings: list[Finding] = []
    if counts.get("note:neither_rows"):
        findings.append(
            Finding(
                kind="note",
                column="offered",
                count=counts["note:neither_rows"],
                expected="offered = answered + abandoned",
                effect=f"{counts['note:neither_contacts']} offered contact(s) neither answered nor "
                "abandoned (overflowed, or still queued at the interval's end): kept in offered "
                "as the report counts them, so they are misses of service level and in the "
                "abandonment rate's denominator",
            )
        )
    if "short_abandoned" in notes and counts.get("note:short_abandoned"):
        findings.append(
            Finding(
                kind="note",
                column="short_abandoned",
                count=counts["note:short_abandoned"],
                effect="the report does not separate short abandons: none are subtracted, so service "
                "level and abandonment rate count every abandon (kpi.yaml's short-abandon "
                f"threshold of {thresholds['short_abandon_seconds']:g} s is not applied)",
            )
        )
    if "threshold_seconds" in notes and counts.get("note:threshold_seconds"):
        findings.append(
            Finding(
                kind="note",
                column="threshold_seconds",
                count=counts["note:threshold_seconds"],
                effect="the report does not state the T it counted *_within_threshold with: taken as "
                f"kpi.yaml's {thresholds['threshold_seconds']:g} s",
            )
        )
    if "short_abandon_seconds" in notes and counts.get("note:short_abandon_seconds"):
        asked = next(s.short_threshold for s in measures.values() if s.short_threshold is not None)
        findings.append(
            Finding(
                kind="note",
                column="short_abandon_seconds",
                count=counts["note:short_abandon_seconds"],
                effect="the report does not state the threshold it counted short_abandoned with: "
                f"taken as kpi.yaml's {asked:g} s",
            )
        )
    return findings


def _figures(row: Mapping[str, Any], names: Sequence[str]) -> str:
    """``offered 10, answered 12, abandoned 2``: the figures a check compared."""
    return ", ".join(f"{n} {_show(row[n])}" for n in names)


def _show(value: Any) -> str:
    return "(empty)" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _examples(rows: pl.DataFrame, value, paths: Sequence[str]) -> list[dict[str, Any]]:
    out = []
    for row in rows.iter_rows(named=True):
        example: dict[str, Any] = {}
        if row.get(SOURCE) is not None and row[SOURCE] < len(paths):
            example["file"] = paths[row[SOURCE]]
        if ROW in row:
            example["row"] = row[ROW]
        example["value"] = value(row)
        out.append(example)
    return out
