"""Repeated ``ticket_id``s: re-delivered records resolved by their update time
(:func:`keep_latest`), and duplicates found in bounded memory, for inputs too large to hold every
id at once.

Some exports deliver a record again when it changes (Amazon Connect contact records, sync tools'
history tables): the version with the latest update time is the record, the earlier ones are left
out of every KPI and counted as replaced, not reported as duplicates. A preset declares its
update-time field (``Source.latest``); kpi.yaml ``dedupe: {keep: latest, by: HEADER}`` asks the
same of any export.

    >>> import polars as pl
    >>> from datetime import datetime
    >>> versions = pl.LazyFrame({"_source": [0, 0, 0], "_row": [1, 2, 3], "ticket_id": ["a"] * 3,
    ...     UPDATED: [datetime(2024, 1, 1), datetime(2024, 1, 3), datetime(2024, 1, 2)]})
    >>> keep_latest(versions, "Updated").collect()[left_out_flag(replaced("Updated"))].to_list()
    [True, False, True]

The in-memory way (:func:`supportkpi.engine.with_duplicate_flag`) remembers every id it has
seen: about 70 bytes per row, 7 GiB at 100M rows. Here the ids are split by a hash into
partitions of about ``PARTITION_ROWS`` rows, and each partition is grouped on its own (one
streaming pass over the id column each, about 0.6 GiB at 10M rows): the ids that occur more
than once in their source, with the rows of their repeats, are usually few. A row is a repeat
when its id occurred in an earlier row of its source: the same rule as in memory, exact (the
hash only partitions; ids are compared as they are).

    >>> frame = pl.LazyFrame({"_source": [0, 0, 0, 1], "_row": [1, 2, 3, 1],
    ...                       "ticket_id": ["a", "b", "a", "a"]})
    >>> repeated_ids(frame, partitions=2).rows()
    [(0, 3)]
    >>> with_duplicate_flag(frame, rows=4).collect()["_duplicate"].to_list()
    [False, False, True, False]
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from supportkpi.errors import DataError
from supportkpi.schema import DUPLICATE, ROW, SOURCE, left_out_flag, left_out_flags
from supportkpi.sources._base import Headers

PARTITION_ROWS = 10_000_000
_FIRST = "_first_row"
_SEED = 20261126  # any fixed seed: the partitions only need to be the same in every pass
UPDATED = "__updated"
"""The loader's column of the parsed update time, read by :func:`keep_latest`."""
KEEP = ("first", "latest")


def replaced(field: str) -> str:
    """The reason a replaced version is left out for (``field``: the update-time field)."""
    return f"earlier version (latest {field} kept)"


def keep_latest(frame: pl.LazyFrame, field: str) -> pl.LazyFrame:
    """Of the rows of one ``ticket_id`` (within its source), the one with the latest
    :data:`UPDATED` time is kept (of equal times, the first row); the others are flagged left
    out as replaced (:func:`replaced`). An id whose rows have no update time at all is left to
    the duplicate check. Drops :data:`UPDATED`."""
    key = [SOURCE, "ticket_id"]
    latest = pl.col(UPDATED) == pl.col(UPDATED).max().over(key)
    kept_row = pl.when(latest.fill_null(False)).then(pl.col(ROW)).min().over(key)
    superseded = pl.col("ticket_id").is_not_null() & kept_row.is_not_null() & (pl.col(ROW) != kept_row)
    return frame.with_columns(superseded.fill_null(False).alias(left_out_flag(replaced(field)))).drop(UPDATED)


def update_field(
    names: Sequence[str], preset_fields: Sequence[str], keep: str | None, by: str | None, path: str
) -> str | None:
    """The header whose latest value picks the version of a record to keep, or None for no
    such rule: kpi.yaml ``dedupe.by``, else the preset's update field (``keep`` None: the
    preset's rule if it has one; ``"first"``: no rule; ``"latest"``: a rule is required)."""
    if keep == "first":
        return None
    headers = Headers(list(names))
    if by is not None:
        found = headers.find(by)
        if found is None:
            raise DataError(f"{path}: kpi.yaml dedupe.by names '{by}', which is not a column of this file")
        return found
    found = headers.find(*preset_fields) if preset_fields else None
    if found is None and keep == "latest":
        raise DataError(
            f"{path}: kpi.yaml dedupe: latest needs the update-time column of this export (dedupe.by: HEADER)"
        )
    return found


def kept(columns) -> pl.Expr:
    """True for the rows no rule left out (``_left_out:<reason>`` flags all false)."""
    flags = [pl.col(c) for c in left_out_flags(columns)]
    return ~pl.any_horizontal(flags) if flags else pl.lit(True)


def applies(columns: frozenset[str] | set[str]) -> bool:
    """Whether the frame has what the partitioned search needs (loaded frames do)."""
    return {SOURCE, ROW, "ticket_id"} <= set(columns)


def repeated_ids(frame: pl.LazyFrame, partitions: int) -> pl.DataFrame:
    """The (source, row) of every repeat: a row whose ticket_id occurred in an earlier row of its
    source. Per partition, one streaming aggregation finds the repeated ids with their first
    row (count and min only: a list of rows per id would stop the query from streaming), and,
    only when there are some, a join of the partition with them names their other rows."""
    found = []
    names = frame.collect_schema().names()
    ids = frame.filter(pl.col("ticket_id").is_not_null() & kept(names)).select(SOURCE, ROW, "ticket_id")
    for part in range(partitions):
        in_part = ids.filter(pl.col("ticket_id").hash(_SEED) % partitions == part)
        repeated = (
            in_part.group_by(SOURCE, "ticket_id")
            .agg(pl.len().alias("_n"), pl.col(ROW).min().alias(_FIRST))
            .filter(pl.col("_n") > 1)
            .drop("_n")
            .collect()
        )
        if repeated.height:
            found.append(
                in_part.join(repeated.lazy(), on=[SOURCE, "ticket_id"], how="inner")
                .filter(pl.col(ROW) != pl.col(_FIRST))
                .select(SOURCE, ROW)
                .collect()
            )
    schema = frame.collect_schema()
    return pl.concat(found) if found else pl.DataFrame(schema={SOURCE: schema[SOURCE], ROW: schema[ROW]})


def with_duplicate_flag(frame: pl.LazyFrame, rows: int) -> pl.LazyFrame:
    """``frame`` with the ``_duplicate`` flag (see the module docstring); ``rows`` sizes the
    partitions. The repeats are named by source and row number, so each later pass flags them
    with a lookup of whole numbers instead of a join on the ids."""
    partitions = max(1, -(-rows // PARTITION_ROWS))
    repeats = repeated_ids(frame, partitions).select(_key(pl.col(SOURCE), pl.col(ROW)))
    if repeats.is_empty():
        return frame.with_columns(pl.lit(False).alias(DUPLICATE))
    return frame.with_columns(_key(pl.col(SOURCE), pl.col(ROW)).is_in(repeats.to_series().implode()).alias(DUPLICATE))


def _key(source: pl.Expr, row: pl.Expr) -> pl.Expr:
    # one whole number per (source, row): row numbers stay far below 2**40
    return source.cast(pl.Int64) * (1 << 40) + row.cast(pl.Int64)
