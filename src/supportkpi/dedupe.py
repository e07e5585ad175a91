"""Duplicate ``ticket_id``s in bounded memory, for inputs too large to hold every id at once.

The in-memory way (:func:`supportkpi.engine.with_duplicate_flag`) remembers every id it has
seen: about 70 bytes per row, 7 GiB at 100M rows. Here the ids are split by a hash into
partitions of about ``PARTITION_ROWS`` rows, and each partition is grouped on its own (one
streaming pass over the id column each, about 0.6 GiB at 10M rows): the ids that occur more
than once in their source, with the rows of their repeats, are usually few. A row is a repeat
when its id occurred in an earlier row of its source: the same rule as in memory, exact (the
hash only partitions; ids are compared as they are).

    >>> import polars as pl
    >>> frame = pl.LazyFrame({"_source": [0, 0, 0, 1], "_row": [1, 2, 3, 1],
    ...                       "ticket_id": ["a", "b", "a", "a"]})
    >>> repeated_ids(frame, partitions=2).rows()
    [(0, 'a', [3])]
    >>> with_duplicate_flag(frame, rows=4).collect()["_duplicate"].to_list()
    [False, False, True, False]
"""

from __future__ import annotations

import polars as pl

from supportkpi.schema import DUPLICATE, ROW, SOURCE

PARTITION_ROWS = 10_000_000
_REPEATS = "_repeat_rows"
_SEED = 20261126  # any fixed seed: the partitions only need to be the same in every pass


def applies(columns: frozenset[str] | set[str]) -> bool:
    """Whether the frame has what the partitioned search needs (loaded frames do)."""
    return {SOURCE, ROW, "ticket_id"} <= set(columns)


def repeated_ids(frame: pl.LazyFrame, partitions: int) -> pl.DataFrame:
    """Every (source, ticket_id) that occurs more than once, with the rows of its repeats (every
    row but the first)."""
    found = []
    ids = frame.select(SOURCE, ROW, "ticket_id").filter(pl.col("ticket_id").is_not_null())
    for part in range(partitions):
        in_part = pl.col("ticket_id").hash(_SEED) % partitions == part
        found.append(
            ids.filter(in_part)
            .group_by(SOURCE, "ticket_id")
            .agg(pl.col(ROW).sort().slice(1).alias(_REPEATS))
            .filter(pl.col(_REPEATS).list.len() > 0)
            .collect()
        )
    return pl.concat(found)


def with_duplicate_flag(frame: pl.LazyFrame, rows: int) -> pl.LazyFrame:
    """``frame`` with the ``_duplicate`` flag (see the module docstring); ``rows`` sizes the
    partitions. The repeats are named by source and row number, so each later pass flags them
    with a lookup of whole numbers instead of a join on the ids."""
    partitions = max(1, -(-rows // PARTITION_ROWS))
    repeats = repeated_ids(frame, partitions).explode(_REPEATS).select(_key(pl.col(SOURCE), pl.col(_REPEATS)))
    if repeats.is_empty():
        return frame.with_columns(pl.lit(False).alias(DUPLICATE))
    return frame.with_columns(_key(pl.col(SOURCE), pl.col(ROW)).is_in(repeats.to_series().implode()).alias(DUPLICATE))


def _key(source: pl.Expr, row: pl.Expr) -> pl.Expr:
    # one whole number per (source, row): row numbers stay far below 2**40
    return source.cast(pl.Int64) * (1 << 40) + row.cast(pl.Int64)
