"""Data-quality findings: what was wrong in the input and what it did to the KPIs.

Nothing is dropped silently. Unparseable values, duplicate ids and rows without a usable
``created_at`` are counted here, over the whole input, with the first examples (file, row,
value). Exclusions that belong to one KPI (a negative duration, an off-scale survey answer) are
counted in that KPI's ``excluded`` and summed here too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import polars as pl

from supportkpi import languages
from supportkpi.loading import datetimes
from supportkpi.results import Finding, Group, InputInfo, LeftOut
from supportkpi.schema import (
    COLUMNS,
    DUPLICATE,
    LEFT_OUT_PREFIX,
    ROW,
    SOURCE,
    TABLES,
    VOCABULARIES,
    Kind,
    Table,
    invalid_flag,
    left_out_flags,
    table_of,
)

EXAMPLES = 5
_EXPECTED = {
    Kind.DATETIME: (
        "an ISO 8601 timestamp such as 2025-01-31T14:05:00Z (years 1970-2099 unless kpi.yaml's plausible says otherwise), or a local time "
        "that exists in the time zone (else pass --datetime-format)"
    ),
    Kind.FLOAT: "a number",
    Kind.INT: "a whole number",
    Kind.BOOL: "true/false, yes/no, y/n or 1/0",
}
_DURATION = "a duration under a century (or kpi.yaml's plausible longest_days): seconds, h:mm:ss, ISO 8601 (PT1H2M) or with a unit (15 min)"


def _unparsed_effect(column: str, time: str) -> str:
    """What becomes of a row whose value of ``column`` could not be read (``time``: the
    table's timestamp, without which a row has no place)."""
    if column == time:
        return "left out of every KPI"
    if column == languages.COLUMN:  # no KPI needs it: the row only loses its language
        return languages.UNKNOWN_EFFECT
    return "left out of the KPIs that need it"


def _expected(column: str) -> str | None:
    """What a column's values should look like, for the report of those that do not."""
    if column == languages.COLUMN:
        return languages.EXPECTED
    return _DURATION if column.endswith("_seconds") else _EXPECTED.get(COLUMNS[column].kind)


TIMESTAMPS = ("created_at", "first_response_at", "resolved_at", "answered_at", "posted_at", "replied_at")
_DISAGREEMENTS = (
    ("first_response_at", "first_response_seconds"),
    ("resolved_at", "resolution_seconds"),
)
DATA_ERROR_REASONS = ("negative duration", "off-scale value")
_MISSING_TIME = ("a timestamp (required)", "left out of every KPI")
_MISSING_ID = ("an id (required)", "counted, but cannot be checked for duplicates")


_RULE = "rule:"
"""Prefix of the counts of rows a preset's rule left out (``rule:deleted ticket``)."""
LEFT_OUT = "left_out:"
"""Prefix of the counts of rows left out of every KPI, one per reason (``left_out:no
created_at``); ``left_out`` alone counts the rows with any reason, each once. A reason is
phrased to follow "rows that have": ``200 have no created_at``."""
UNREADABLE_CREATED = "an unreadable created_at"
REPEATED_ID = "a repeated ticket_id"
# the same reasons of each canonical table, named by its id and time columns (mentions:
# "an unreadable posted_at", "a repeated mention_id")
_REASON_FINDINGS = {
    reason: finding
    for t in TABLES.values()
    for reason, finding in (
        (f"an unreadable {t.time}", (t.time, ("unparseable value", "unknown value"))),
        (f"a repeated {t.id}", (t.id, (f"duplicate {t.id}",))),
    )
}
"""The findings that hold a reason's examples (else: the finding of the reason's own kind)."""


def left_out_reasons(columns: frozenset[str], table: Table | None = None) -> dict[str, pl.Expr]:
    """Per reason, the rows that no KPI counts (a row may have several reasons). A new reason
    (a preset leaving rows out) is one more entry here: the run's left-out share and its
    "no usable row" error read them all from the counts."""
    reasons: dict[str, pl.Expr] = {}
    table = table or table_of(columns)
    time = table.time
    if time in columns:
        unreadable = pl.col(invalid_flag(time)).is_not_null() if invalid_flag(time) in columns else None
        if unreadable is not None:
            reasons[f"an unreadable {time}"] = unreadable
        missing = pl.col(time).is_null()
        reasons[f"no {time}"] = missing & ~unreadable if unreadable is not None else missing
    if DUPLICATE in columns:
        reasons[f"a repeated {table.id}"] = pl.col(DUPLICATE).fill_null(False)
    return reasons


def counts(columns: frozenset[str], table: Table | None = None) -> list[pl.Expr]:
    """The report's counts, as aggregations that add up over groups (sums, and a max for the
    latest timestamp): the engine evaluates them in its KPI pass and adds them up with
    :func:`totals`."""
    flags = [c for c in COLUMNS if invalid_flag(c) in columns]
    counted: list[pl.Expr] = [pl.len().alias("rows")]
    counted += [(pl.len() - pl.col(invalid_flag(c)).null_count()).alias(f"invalid:{c}") for c in flags]
    if DUPLICATE in columns:
        counted.append(pl.col(DUPLICATE).sum().alias("duplicates"))
    # a preset's rules are counted apart from the reasons of :func:`left_out_reasons`: what an
    # export itself says to leave out (a deleted ticket) is no data error and no share to warn of
    counted += [
        pl.col(flag).sum().alias(_RULE + flag.removeprefix(LEFT_OUT_PREFIX)) for flag in left_out_flags(sorted(columns))
    ]
    table = table or table_of(columns)
    for column in (table.id, table.time):
        if column in columns:
            missing = pl.col(column).is_null()
            if invalid_flag(column) in columns:
                missing = missing & pl.col(invalid_flag(column)).is_null()
            counted.append(missing.sum().alias(f"missing:{column}"))
    for stamp, seconds in _DISAGREEMENTS:
        if stamp in columns and seconds in columns and "created_at" in columns:
            elapsed = (pl.col(stamp) - pl.col("created_at")).dt.total_microseconds() / 1e6
            # sources give durations in whole minutes (Zendesk): a minute's rounding is no
            # disagreement
            differs = (elapsed - pl.col(seconds)).abs() >= 60
            counted.append(differs.fill_null(False).sum().alias(f"disagree:{stamp}"))
    counted += datetimes.note_counts(columns, TIMESTAMPS)
    reasons = left_out_reasons(columns, table)
    counted += [expr.sum().alias(LEFT_OUT + reason) for reason, expr in reasons.items()]
    every = pl.any_horizontal(reasons.values()).sum() if reasons else pl.lit(0, pl.UInt32)
    counted.append(every.alias(LEFT_OUT.rstrip(":")))
    stamps = [c for c in TIMESTAMPS if c in columns]
    if stamps:
        counted.append(pl.max_horizontal(pl.col(c).max() for c in stamps).alias("as_of"))
    return counted


def totals(table: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    """The counts of :func:`counts` added up over the groups of ``table`` (one row)."""
    return table.select(pl.col(n).max() if n == "as_of" else pl.col(n).sum() for n in names)


def examples(frame: pl.LazyFrame, columns: frozenset[str], table: Table | None = None) -> pl.LazyFrame:
    """The first rows with a problem (unparseable value, repeated id), for the report's examples."""
    flags = [c for c in COLUMNS if invalid_flag(c) in columns]
    problem = [pl.col(invalid_flag(c)).is_not_null() for c in flags]
    if DUPLICATE in columns:
        problem.append(pl.col(DUPLICATE))
    where = [c for c in (SOURCE, ROW) if c in columns]
    detail = [invalid_flag(c) for c in flags]
    if DUPLICATE in columns:
        id_column = (table or table_of(columns)).id
        detail += [DUPLICATE, *([id_column] if id_column in columns else [])]
    if problem:
        return frame.filter(pl.any_horizontal(problem)).select(*where, *detail).head(1000)
    return pl.LazyFrame()


def plan(frame: pl.LazyFrame, columns: frozenset[str], table: Table | None = None) -> list[pl.LazyFrame]:
    """The report's queries on their own (``validate``): counts, examples, rows per source."""
    if SOURCE in columns:
        per_source = frame.group_by(SOURCE).agg(pl.len().alias("rows"))
    else:
        per_source = pl.LazyFrame({SOURCE: [0], "rows": [0]}).head(0)
    return [frame.select(counts(columns, table)), examples(frame, columns, table), per_source]


def input_findings(inputs: Sequence[InputInfo], rows_per_source: Mapping[int, int]) -> list[Finding]:
    """What the loader found about whole files (:attr:`InputInfo.findings`), each counting the
    rows of its file and naming it."""
    found = []
    for index, item in enumerate(inputs):
        for note in item.findings or ():
            found.append(
                dataclasses.replace(note, count=rows_per_source.get(index, item.rows), examples=[{"file": item.path}])
            )
    return found


def left_out(counts_frame: pl.DataFrame, findings: Sequence[Finding]) -> LeftOut:
    """The rows read and those left out of every KPI, per reason with the first examples (from
    the findings about the same rows), from the counts of :func:`counts`."""
    row = counts_frame.row(0, named=True) if counts_frame.height else {}
    reasons = {k.removeprefix(LEFT_OUT): int(v) for k, v in row.items() if k.startswith(LEFT_OUT) and v}
    examples = {}
    for reason in reasons:
        finding = next((f for f in findings if _about(f, reason) and f.examples), None)
        if finding is not None:
            examples[reason] = finding.examples[:EXAMPLES]
    return LeftOut(
        rows=int(row.get("rows") or 0),
        left_out=int(row.get(LEFT_OUT.rstrip(":")) or 0),
        reasons=reasons,
        examples=examples,
    )


def _about(finding: Finding, reason: str) -> bool:
    """Whether a finding tells of the rows of a left-out reason (its kind, or an unreadable
    value of the reason's column)."""
    if reason in _REASON_FINDINGS:
        column, kinds = _REASON_FINDINGS[reason]
        return finding.column == column and finding.kind in kinds
    return finding.kind == reason


def has_problems(counts: pl.DataFrame) -> bool:
    """Whether the counts query of :func:`plan` found rows its examples query would list."""
    row = counts.row(0, named=True)
    return any(v for k, v in row.items() if k.startswith("invalid:") or k == "duplicates")


def report(
    collected: Sequence[pl.DataFrame], columns: frozenset[str], paths: Sequence[str], table: Table | None = None
) -> tuple[list[Finding], datetime | None, dict[int, int]]:
    """The findings from the collected queries of :func:`plan` (or their equivalents from the
    KPI pass), the latest timestamp, and the rows per input file."""
    counts_frame, examples, per_source = collected
    counts = counts_frame.row(0, named=True)
    table = table or table_of(columns)
    findings = _left_out(counts) + _value_findings(counts, examples, paths, table.time)
    findings += _row_findings(counts, examples, paths, table)
    findings += datetimes.note_findings(counts, TIMESTAMPS)  # ambiguous and date-only timestamps
    as_of = counts.get("as_of")
    rows_per_source = dict(per_source.iter_rows()) if SOURCE in per_source.columns else {}
    return findings, as_of, rows_per_source


def _left_out(counts: dict[str, Any]) -> list[Finding]:
    """Rows a preset's rule (or kpi.yaml ``dedupe``) left out, per reason: a note, not an error."""
    return [
        Finding(kind="note", count=n, effect=f"left out of every KPI: {name.removeprefix(_RULE)}")
        for name, n in counts.items()
        if name.startswith(_RULE) and n
    ]


def _value_findings(counts: dict[str, Any], examples: pl.DataFrame, paths: Sequence[str], time: str) -> list[Finding]:
    """Values that could not be parsed, or are outside their column's vocabulary."""
    findings: list[Finding] = []
    for column in COLUMNS:
        bad = counts.get(f"invalid:{column}") or 0
        if bad:
            rows = examples.filter(pl.col(invalid_flag(column)).is_not_null()).head(EXAMPLES)
            vocabulary = VOCABULARIES.get(column)
            language = column == languages.COLUMN
            findings.append(
                Finding(
                    kind="unknown value" if vocabulary or language else "unparseable value",
                    column=column,
                    count=bad,
                    expected="one of " + ", ".join(vocabulary) if vocabulary else _expected(column),
                    effect=_unparsed_effect(column, time),
                    examples=_examples(rows, invalid_flag(column), paths),
                )
            )
    return findings


def _row_findings(counts: dict[str, Any], examples: pl.DataFrame, paths: Sequence[str], table: Table) -> list[Finding]:
    """Repeated ids, missing required values, timestamps that disagree with given durations."""
    findings: list[Finding] = []
    if counts.get("duplicates"):
        rows = examples.filter(pl.col(DUPLICATE)).head(EXAMPLES)
        findings.append(
            Finding(
                kind=f"duplicate {table.id}",
                column=table.id,
                count=counts["duplicates"],
                effect="the first row of each id is kept, the others are left out of every KPI",
                examples=_examples(rows, table.id, paths),
            )
        )
    for column, (expected, effect) in ((table.time, _MISSING_TIME), (table.id, _MISSING_ID)):
        if counts.get(f"missing:{column}"):
            findings.append(
                Finding(
                    kind="missing value",
                    column=column,
                    count=counts[f"missing:{column}"],
                    expected=expected,
                    effect=effect,
                )
            )
    for stamp, seconds in _DISAGREEMENTS:
        if counts.get(f"disagree:{stamp}"):
            findings.append(
                Finding(
                    kind=f"{stamp} and {seconds} disagree by a minute or more",
                    column=seconds,
                    count=counts[f"disagree:{stamp}"],
                    effect="the timestamps were used",
                )
            )
    return findings


def kpi_findings(groups: Sequence[Group]) -> list[Finding]:
    """Data errors that single KPIs left out (negative durations, off-scale answers), summed
    over all groups."""
    totals: dict[tuple[str, str], int] = {}
    for group in groups:
        for kpi_id, result in group.kpis.items():
            for reason, count in result.excluded.items():
                if reason in DATA_ERROR_REASONS and count:
                    totals[(reason, kpi_id)] = totals.get((reason, kpi_id), 0) + count
    return [
        Finding(kind=reason, count=count, effect=f"left out of {kpi_id}") for (reason, kpi_id), count in totals.items()
    ]


def _examples(rows: pl.DataFrame, value_column: str, paths: Sequence[str]) -> list[dict[str, Any]]:
    out = []
    for row in rows.iter_rows(named=True):
        example: dict[str, Any] = {}
        if SOURCE in row and row[SOURCE] is not None and row[SOURCE] < len(paths):
            example["file"] = paths[row[SOURCE]]
        if ROW in row:
            example["row"] = row[ROW]
        example["value"] = row[value_column]
        out.append(example)
    return out
