"""Readings of a column that run only on the rows that need them, batch by batch.

polars evaluates an expression over every row of a column, even where its input is null or
its result is thrown away. For the careful readings of exports (durations written as clocks or
ISO 8601, words of a vocabulary, language names) that costs more than reading the file: at a
million rows, each such column took 0.1 to 0.15 s of typing although almost every value was
read by the fast path. The helpers here wrap a reading in an elementwise batch function, so
that polars' streaming engine calls it per batch of rows (the in-memory engine: per column),
and the reading runs only where it is needed:

- :func:`unread` gives the careful reading only the values a fast one left, written so that
  a column the fast reading read entirely gives polars a single null constant to carry;
- :func:`where_given` skips the batches in which the input holds no value at all (the values a
  fast reading left unread are null elsewhere, and in most exports every batch is all null);
- :func:`by_distinct` reads each distinct value of a batch once and joins the readings back,
  for columns of few distinct values.

Both give exactly what the reading gives over the whole column; they only save work.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

Reading = Callable[[pl.Expr], pl.Expr]


def unread(value: pl.Expr, raw: pl.Expr) -> pl.Expr:
    """The raw values a first, fast reading (``value``) did not read: the input of the slower
    readings, null elsewhere. Both conditions matter for speed, not for the result: when the
    fast reading read every value, the mask is all false and polars carries a single null
    constant through the slower readings at no cost; with ``value.is_null()`` alone, the nulls of
    a column with blanks made each slower step run over a whole column of nulls (four timestamp
    columns with blanks took 0.7 s of typing at 1M rows, and 0.1 s with both conditions).

    >>> frame = pl.DataFrame({"raw": ["1", "x", None]})
    >>> frame.select(unread(pl.col("raw").cast(pl.Int64, strict=False), pl.col("raw"))).to_series().to_list()
    [None, 'x', None]
    """
    return pl.when(value.is_null() & raw.is_not_null()).then(raw)


def where_given(
    values: pl.Expr, reading: Callable[[pl.Series], pl.Series], dtype: pl.DataType | type[pl.DataType]
) -> pl.Expr:
    """``reading`` of the batches of ``values`` that hold a value; a batch of nulls gives nulls
    of ``dtype`` without running it.

    >>> frame = pl.DataFrame({"text": [None, "2 h", None]})
    >>> hours = lambda text: text.str.extract(r"(\\d+) h").cast(pl.Int64)
    >>> frame.select(where_given(pl.col("text"), hours, pl.Int64)).to_series().to_list()
    [None, 2, None]
    """

    def read(batch: pl.Series) -> pl.Series:
        if batch.null_count() == batch.len():
            return nulls(batch, dtype)
        return reading(batch).cast(dtype)

    return values.map_batches(read, return_dtype=dtype, is_elementwise=True)


def by_distinct(
    values: pl.Expr,
    reading: Reading,
    dtype: pl.DataType,
    as_is: Callable[[pl.Series], pl.Series | None] | None = None,
) -> pl.Expr:
    """``reading(values)``, computed once per distinct value of each batch and joined back
    (a batch of nulls gives nulls of ``dtype`` without running it).
    ``as_is``: a cheap reading that holds for a whole batch when the batch is only made of
    values it knows (it returns None otherwise), such as canonical words taken as they are.

    >>> frame = pl.DataFrame({"word": ["Email", "email", None, "Email"]})
    >>> frame.select(by_distinct(pl.col("word"), lambda w: w.str.to_lowercase(), pl.String)).to_series().to_list()
    ['email', 'email', None, 'email']
    """

    def read(batch: pl.Series) -> pl.Series:
        if batch.null_count() == batch.len():
            return nulls(batch, dtype)
        if as_is is not None:
            found = as_is(batch)
            if found is not None:
                return found
        distinct = pl.DataFrame({"value": batch.unique()}).with_columns(reading(pl.col("value")).alias("reading"))
        joined = batch.to_frame("value").join(distinct, on="value", how="left", nulls_equal=True, maintain_order="left")
        return joined["reading"].cast(dtype)

    return values.map_batches(read, return_dtype=dtype, is_elementwise=True)


def nulls(like: pl.Series, dtype: pl.DataType | type[pl.DataType]) -> pl.Series:
    """A series of nulls of ``dtype``, as long as ``like`` and named as it (made at once: a
    Python list of a million Nones took 0.17 s to convert).

    >>> nulls(pl.Series("x", ["a", None]), pl.Int64).to_list()
    [None, None]
    """
    return pl.Series(like.name, [], dtype).extend_constant(None, like.len())
