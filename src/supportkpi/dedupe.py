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
    [(0, 3)]
    >>> with_duplicate_flag(frame, rows=4).collect()["_duplicate"].to_list()
    [False, False, True, False]
"""

from __future__ import annotations

import polars as pl

from supportkpi.schema import DUPLICATE, ROW, SOURCE

PARTITION_ROWS = 10_000_000
_FIRST = "_first_row"
_SEED = 20261126  # any fixed seed: the partitions only need to be the same in every pass


def applies(columns: frozenset[str] | set[str]) -> bool:
    """Whether the frame has what the partitioned search needs (loaded frames do)."""
    return {SOURCE, ROW, "ticket_id"} <= set(columns)


def repeated_ids(frame: pl.LazyFrame, partitions: int) -> pl.DataFrame:
    """The (source, row) of every repeat: a row whose ticket_id occurred in an earlier row of its
    source. Per partition, one streaming aggregation finds the repeated ids with their first
    row (count and min only: a list of rows per id would stop the query from streaming), and,
    only when there are some, a join of the partition with them names their other rows."""
    found = []
    ids = frame.select(SOURCE, ROW, "ticket_id").filter(pl.col("ticket_id").is_not_null())
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
