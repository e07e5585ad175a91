"""Exact order statistics (medians, nearest-rank percentiles) per group, in bounded memory.

A median needs every value of its group: as an aggregation of the KPI pass it would keep the
whole input in memory (seven durations of 8 bytes each per contact) and stop the pass from
streaming. So the engine computes order statistics in two steps, the same on a frame in memory
and on a file of 100M rows:

* :func:`histogram` counts each group's values in buckets ``floor(sqrt(|v|) * 32)``, mirrored
  for negative values. The buckets are in the order of the values, because IEEE 754 square
  roots are correctly rounded (so monotone) and multiplying by 32 is exact. :func:`locate` finds
  the bucket holding each wanted rank, and the rank within it.
* :func:`fetch` keeps only the values in those buckets, as distinct values with their counts,
  and :func:`finish` reads the rank off them.

Memory is bounded by the number of buckets and of distinct values in the wanted buckets, not by
rows, and the work is two hash aggregations instead of a sort per group. Each step is one
streaming query for every column (the columns' values stacked into one long column), so a
file is read twice, not twice per column. A run whose input is in memory anyway reads the same
ranks off each group's sorted values instead, collected with its KPI pass
(:func:`sorted_values`, :func:`from_sorted`): there a sort per group costs less than the two
steps (1M rows: 0.6 s of CPU against 1.4 s). A median of an even
count is the mean of the two middle values, and the p-th nearest-rank percentile the
``ceil(p/100 * n)``-th smallest value (property tests compare both with a plain sort)::

    >>> import polars as pl
    >>> frame = pl.LazyFrame({"g": ["a", "a", "a", "a", "b"], "v": [4.0, 1.0, 3.0, None, 7.0]})
    >>> wanted = [Request("median", "v"), Request("p90", "v", 90)]
    >>> counts = pl.concat(pl.collect_all(histogram(frame, ["g"], wanted)))
    >>> targets = locate(counts, ["g"], wanted)
    >>> values = pl.concat(pl.collect_all(fetch(frame, ["g"], targets)))
    >>> finish(targets, values, ["g"], wanted).sort("g").rows()
    [('a', 3.0, 4.0), ('b', 7.0, 7.0)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

BUCKETS_PER_UNIT = 32.0
_ALL = "_all_rows"  # the one group of a run without keys
_VARIABLE, _VALUE, _BUCKET, _COUNT = "_column", "_value", "_bucket", "_count"


@dataclass(frozen=True)
class Request:
    """The statistic ``name`` of the per-row values in ``column`` (null: the row does not count):
    the median when ``percent`` is None, else the nearest-rank ``percent``-th percentile."""

    name: str
    column: str
    percent: int | None = None


def ranks(n: pl.Expr, percent: int | None) -> list[pl.Expr]:
    """The 1-based ranks a statistic of ``n`` sorted values reads: the one or two middle ranks
    of a median (equal for odd ``n``), or ``ceil(percent * n / 100)`` in integer arithmetic, so
    no rounding can move it."""
    if percent is None:
        return [(n + 1) // 2, n // 2 + 1]
    return [(n * percent + 99) // 100]


def bucket(values: pl.Expr) -> pl.Expr:
    """Bucket numbers in the order of the values: ``floor(sqrt(v) * 32)`` for ``v >= 0`` and
    ``-floor(sqrt(-v) * 32) - 1`` below zero.

    >>> s = pl.Series([-4.0, -0.01, 0.0, 0.001, 1.0, 1.0001, 100.0])
    >>> pl.select(bucket(pl.lit(s))).to_series().to_list()
    [-65, -4, 0, 1, 32, 32, 320]
    """
    root = (values.abs().sqrt() * BUCKETS_PER_UNIT).floor().cast(pl.Int64)
    return pl.when(values >= 0).then(root).otherwise(-root - 1)


def sorted_values(requests: Sequence[Request]) -> list[pl.Expr]:
    """In memory: aggregations of each column's non-null values per group, sorted, one per
    column, for :func:`from_sorted`."""
    return [pl.col(c).drop_nulls().sort().alias(_sorted(c)) for c in dict.fromkeys(r.column for r in requests)]


def from_sorted(table: pl.DataFrame, requests: Sequence[Request]) -> pl.DataFrame:
    """``table`` (with the columns of :func:`sorted_values`) with one column per request
    instead: the values at the statistic's :func:`ranks`, the two of a median averaged as
    :func:`finish` does.

    >>> wanted = [Request("median", "v"), Request("p90", "v", 90)]
    >>> frame = pl.DataFrame({"g": ["a", "a", "a", "a", "b", "c"], "v": [4.0, 1.0, 3.0, None, 7.0, None]})
    >>> grouped = frame.group_by("g").agg(sorted_values(wanted)).sort("g")
    >>> from_sorted(grouped, wanted).rows()
    [('a', 3.0, 4.0), ('b', 7.0, 7.0), ('c', None, None)]
    """
    statistics = []
    for request in requests:
        values = pl.col(_sorted(request.column))
        # a rank of 0 (no values) reads past the start of an empty list: null
        picked = [
            values.list.get(rank - 1, null_on_oob=True).cast(pl.Float64)
            for rank in ranks(values.list.len(), request.percent)
        ]
        statistic = (picked[0] + picked[1]) / 2 if len(picked) == 2 else picked[0]
        statistics.append(statistic.alias(request.name))
    return table.with_columns(statistics).drop(_sorted(c) for c in dict.fromkeys(r.column for r in requests))


def _sorted(column: str) -> str:
    return f"_sorted{column}"


def _index(keys: Sequence[str]) -> list[str]:
    return list(keys) or [_ALL]


def _long_values(frame: pl.LazyFrame, keys: Sequence[str], columns: Sequence[str]) -> pl.LazyFrame:
    """The non-null values of every column, one row each, with their group keys and the
    column's position in ``columns`` (``_column``, named by :func:`_named` once aggregated), as
    one query: each column is read once, with the keys. (A union of one projection per column
    rather than an ``unpivot``, which does not stream: 1M rows took 170 MB more; positions
    rather than names: a name is hashed again for each row.)"""
    index = _index(keys)
    frame = frame if keys else frame.with_columns(pl.lit(0, pl.Int8).alias(_ALL))
    return pl.concat(
        [
            frame.select(
                *index, pl.lit(i, pl.UInt16).alias(_VARIABLE), pl.col(column).cast(pl.Float64).alias(_VALUE)
            ).filter(pl.col(_VALUE).is_not_null())
            for i, column in enumerate(columns)
        ]
    )


def _named(positions: pl.Expr, columns: Sequence[str]) -> pl.Expr:
    return positions.replace_strict(list(range(len(columns))), list(columns), return_dtype=pl.String)


def histogram(frame: pl.LazyFrame, keys: Sequence[str], requests: Sequence[Request]) -> list[pl.LazyFrame]:
    """First pass: how many values of each group fall in each bucket (``_column``, ``_bucket``,
    ``_count``), for every column in one streaming query."""
    index = _index(keys)
    columns = list(dict.fromkeys(r.column for r in requests))
    if not columns:
        return []
    return [
        _long_values(frame, keys, columns)
        .group_by(*index, _VARIABLE, bucket(pl.col(_VALUE)).alias(_BUCKET))
        .agg(pl.len().alias(_COUNT))
        .select(*index, _named(pl.col(_VARIABLE), columns), _BUCKET, _COUNT)
    ]


def locate(counts: pl.DataFrame, keys: Sequence[str], requests: Sequence[Request]) -> pl.DataFrame:
    """For each group, request and rank: the bucket holding that rank and the rank within it
    (``_within``, 1-based), from the first pass's counts. One join of the counts with the ranks
    wanted, rather than a query per request."""
    index = _index(keys)
    per_column = [*index, _VARIABLE]
    wanted = pl.DataFrame(
        [(r.column, r.name, k, r.percent) for r in requests for k in range(1 if r.percent is not None else 2)],
        schema={_VARIABLE: pl.String, "_name": pl.String, "_k": pl.Int8, "_percent": pl.Int64},
        orient="row",
    )
    n = pl.col("_n")
    median_rank = pl.when(pl.col("_k") == 0).then(ranks(n, None)[0]).otherwise(ranks(n, None)[1])
    rank = pl.when(pl.col("_percent").is_null()).then(median_rank).otherwise((n * pl.col("_percent") + 99) // 100)
    return (
        counts.sort([*per_column, _BUCKET], nulls_last=True)
        .with_columns(
            pl.col(_COUNT).cum_sum().over(per_column).alias("_upto"),
            pl.col(_COUNT).sum().over(per_column).alias("_n"),
        )
        .join(wanted, on=_VARIABLE)
        .with_columns(rank.alias("_rank"))
        # the bucket where the running count first reaches the rank
        .filter((pl.col("_upto") >= pl.col("_rank")) & (pl.col("_upto") - pl.col(_COUNT) < pl.col("_rank")))
        .select(
            *per_column,
            _BUCKET,
            (pl.col("_rank") - (pl.col("_upto") - pl.col(_COUNT))).alias("_within"),
            "_name",
            "_k",
        )
    )


def fetch(frame: pl.LazyFrame, keys: Sequence[str], targets: pl.DataFrame) -> list[pl.LazyFrame]:
    """Second pass: the distinct values (with their counts) in the buckets :func:`locate` chose,
    for every column in one streaming query."""
    index = _index(keys)
    wanted = targets.select(*index, _VARIABLE, _BUCKET).unique()
    columns = wanted[_VARIABLE].unique(maintain_order=True).to_list()
    if not columns:
        return []
    positions = pl.col(_VARIABLE).replace_strict(columns, list(range(len(columns))), return_dtype=pl.UInt16)
    return [
        _long_values(frame, keys, columns)
        .with_columns(bucket(pl.col(_VALUE)).alias(_BUCKET))
        .join(wanted.with_columns(positions).lazy(), on=[*index, _VARIABLE, _BUCKET], how="semi", nulls_equal=True)
        .group_by(*index, _VARIABLE, _BUCKET, _VALUE)
        .agg(pl.len().alias(_COUNT))
        .select(*index, _named(pl.col(_VARIABLE), columns), _BUCKET, _VALUE, _COUNT)
    ]


def finish(
    targets: pl.DataFrame, values: pl.DataFrame, keys: Sequence[str], requests: Sequence[Request]
) -> pl.DataFrame:
    """The statistics per group (one column per request) from the fetched values: the value
    whose running count within its bucket first reaches the rank; a median is the mean of its
    two middle values."""
    index = _index(keys)
    names = [r.name for r in requests]
    if targets.is_empty():
        picked = pl.DataFrame(schema={**{k: pl.Null for k in index}, "_name": pl.String, _VALUE: pl.Float64})
    else:
        within_bucket = [*index, _VARIABLE, _BUCKET, "_name", "_k"]
        picked = (
            targets.join(values, on=[*index, _VARIABLE, _BUCKET], how="inner", nulls_equal=True)
            .sort([*within_bucket, _VALUE], nulls_last=True)
            .with_columns(pl.col(_COUNT).cum_sum().over(within_bucket).alias("_upto"))
            .filter((pl.col("_upto") >= pl.col("_within")) & (pl.col("_upto") - pl.col(_COUNT) < pl.col("_within")))
            .sort("_k")  # the mean of the middle two adds them in rank order
            .group_by([*index, "_name"], maintain_order=True)
            .agg(pl.col(_VALUE).mean())
        )
    if picked.is_empty():
        wide = pl.DataFrame(schema={k: targets.schema.get(k, pl.Null) for k in index})
    else:
        wide = picked.pivot(on="_name", index=index, values=_VALUE)
    wide = wide.with_columns(pl.lit(None, pl.Float64).alias(n) for n in names if n not in wide.columns)
    wide = wide.select(*index, *(pl.col(n).cast(pl.Float64) for n in names))
    return wide.drop(_ALL) if not keys else wide
