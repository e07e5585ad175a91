"""Rows left out of every KPI, counted in the groups they belong to.

The data-quality report counts, over the whole run, the rows no KPI could use: an unreadable or
missing ``created_at``, a repeated ``ticket_id``, a row a preset's rule leaves out (a deleted
ticket). Here the same rows are attributed to their group by the values that can still be read
(a row whose ``created_at`` is unreadable still has its vendor and channel), and every KPI of
that group counts them in its ``excluded``, with the reason, so each view shows them next to
the figure they are missing from.

A row is counted once per group, under the first reason that applies: ``unparseable
created_at`` or ``no created_at`` (the row has no date), else ``duplicate ticket_id``, else its
rule. So, per group, the rows read are the rows ``ticket_volume`` counts plus the rows left out.

A row without a date cannot be placed in a ``--period``: its group is the one of its ``--by``
values with no period (``period`` null, shown as ``(none)``), after that group's periods. A
group none of whose rows has a date (a vendor whose dates are all unreadable) is still a group:
its KPIs have no data and say why (:attr:`supportkpi.results.Group.undated`).

    >>> import polars as pl
    >>> from datetime import datetime
    >>> from supportkpi import compute
    >>> frame = pl.DataFrame({"ticket_id": ["1", "2", "3", "4"], "vendor": ["A", "A", "A", "B"],
    ...     "created_at": [datetime(2025, 1, 1), None, datetime(2025, 1, 2), None],
    ...     "csat": [5, 4, None, 3]})
    >>> for group in compute(frame, ["csat"], by=["vendor"]).groups:
    ...     print(group.keys["vendor"], group.kpis["csat"].excluded, group.undated)
    A {'no answer': 1, 'off-scale value': 0, 'no created_at': 1} False
    B {'no answer': 0, 'off-scale value': 0, 'no created_at': 1} True
"""

from __future__ import annotations

from typing import Any

import polars as pl

from supportkpi.engine import columns as out
from supportkpi.schema import CONTACTS, DUPLICATE, LEFT_OUT_PREFIX, Table, invalid_flag, left_out_flags

UNPARSEABLE_CREATED = "unparseable created_at"
NO_CREATED = "no created_at"
REPEATED_ID = "duplicate ticket_id"
"""The reasons as KPIs name them in ``excluded`` (``ticket_volume`` already counts repeats and
rules under these names: the counts are the same). A mentions run names its own columns
(``unparseable posted_at``, ``duplicate mention_id``)."""


def reasons(columns: frozenset[str], table: Table = CONTACTS) -> dict[str, pl.Expr]:
    """Per reason, the rows it leaves out, each row under one reason only (see the module's
    docstring). Reads the pass's :data:`.columns.DATED`."""
    dated = pl.col(out.DATED)
    found: dict[str, pl.Expr] = {}
    time = table.time
    if time in columns:
        unreadable = pl.col(invalid_flag(time)).is_not_null() if invalid_flag(time) in columns else None
        if unreadable is not None:
            found[f"unparseable {time}"] = ~dated & unreadable
        found[f"no {time}"] = ~dated & ~unreadable if unreadable is not None else ~dated
    repeated = pl.col(DUPLICATE).fill_null(False) if DUPLICATE in columns else pl.lit(False)
    if DUPLICATE in columns:
        found[f"duplicate {table.id}"] = dated & repeated
    for flag in left_out_flags(sorted(columns)):
        # a repeat is never a rule's row (rule rows are not compared for repeats)
        found[flag.removeprefix(LEFT_OUT_PREFIX)] = dated & ~repeated & pl.col(flag).fill_null(False)
    return found


def aggregations(columns: frozenset[str], table: Table = CONTACTS) -> list[pl.Expr]:
    """The counts of :func:`reasons` per group, for the pass's aggregations over every row."""
    found = reasons(columns, table)
    return [mask.fill_null(False).sum().cast(pl.Int64).alias(out.left_out(r)) for r, mask in found.items()]


def attach(table: pl.DataFrame, every_group: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """The pass's table of dated groups with each group's left-out counts, and a row for each
    group that only left-out rows fall in (its KPI columns null)."""
    counted = [c for c in every_group.columns if c.startswith(out.LEFT_OUT)]
    if not counted:
        return table
    if not keys:
        totals = every_group.select(pl.col(c).sum() for c in counted)
        return pl.concat([table, totals], how="horizontal")
    per_group = every_group.group_by(keys).agg(pl.col(c).sum() for c in counted)
    # only the groups some row was left out of: the others have no row to add
    per_group = per_group.filter(pl.any_horizontal(pl.col(c) > 0 for c in counted))
    joined = table.join(per_group, on=keys, how="full", coalesce=True, nulls_equal=True)
    return joined.with_columns(pl.col(c).fill_null(0) for c in counted).sort(keys, nulls_last=True)


def counts(row: dict[str, Any]) -> dict[str, int]:
    """A group's rows left out of every KPI, per reason (those that count some)."""
    return {name.removeprefix(out.LEFT_OUT): int(v) for name, v in row.items() if name.startswith(out.LEFT_OUT) and v}


def undated(row: dict[str, Any]) -> bool:
    """Whether no row of the group has a date: all its rows are left out for their ``created_at``."""
    return not row.get(out.ROWS) and bool(counts(row))
