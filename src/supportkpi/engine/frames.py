"""The input frame as the engine reads it: conformed, flagged for repeated ids, and stored
(in memory, or in a temporary Parquet copy for bounded runs)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import polars as pl

from supportkpi import dedupe, quality
from supportkpi.results import InputInfo
from supportkpi.schema import COLUMNS, DUPLICATE, SOURCE


def conform(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Frames built by hand (the Python API): all-null canonical columns get their canonical
    dtype, and naive timestamps are taken as UTC. Loaded frames are already conformant."""
    schema = frame.collect_schema()
    casts = []
    for name, dtype in schema.items():
        if name not in COLUMNS:
            continue
        if dtype == pl.Null:
            casts.append(pl.col(name).cast(COLUMNS[name].dtype))
        elif isinstance(dtype, pl.Datetime) and dtype.time_zone is None:
            casts.append(pl.col(name).dt.replace_time_zone("UTC"))
    return frame.with_columns(casts) if casts else frame


def with_duplicate_flag(frame: pl.LazyFrame, id_column: str = "ticket_id") -> pl.LazyFrame:
    """Flag repeats of an ``id_column`` (the table's id: ``ticket_id``, ``mention_id``): the
    first row is kept, the rest are left out of every KPI and counted. Ids are unique within
    one input file. Without ids every row counts. Rows already left out by a rule
    (``_left_out:<reason>``) are not compared."""
    names = frame.collect_schema().names()
    if DUPLICATE in names:
        return frame
    if id_column in names:
        # ids are unique within a source: the same id in two vendors' files is two contacts;
        # rows a rule left out (an earlier version of a record) repeat no id of a kept row
        kept = dedupe.kept(names)
        key = pl.struct(*([SOURCE] if SOURCE in names else []), id_column, kept.alias("_kept"))
        repeat = ~key.is_first_distinct() & pl.col(id_column).is_not_null() & kept
    else:
        repeat = pl.repeat(False, pl.len())
    return frame.with_columns(repeat.alias(DUPLICATE))


IN_MEMORY_ENGINE_ROWS = 2_000_000
"""Inputs up to this many rows (by the loader's estimate) are typed by polars' in-memory engine,
above it by the streaming one. The in-memory engine takes less CPU (at 1M canonical contacts
15 % less; on the bundled example 40 % less) but holds every intermediate column of the typing:
1.2 GB at its peak at 1M rows, against 0.8 GB streaming."""


def in_memory(lazy: pl.LazyFrame, inputs: Sequence[InputInfo] = ()) -> pl.LazyFrame:
    """The typed input, read once into memory, for the queries of the run; small ``inputs``
    (:data:`IN_MEMORY_ENGINE_ROWS`, all of known size) by the in-memory engine, the others
    streaming."""
    known = bool(inputs) and all(i.estimated_rows is not None for i in inputs)
    small = known and estimated_rows(inputs) <= IN_MEMORY_ENGINE_ROWS
    return lazy.collect(engine="in-memory" if small else "streaming").lazy()


def deduplicated(typed: pl.LazyFrame, inputs: Sequence[InputInfo], id_column: str = "ticket_id") -> pl.LazyFrame:
    """The duplicate flag of a bounded run: repeated ids found per hash partition (of mentions,
    whose files are small, in one query)."""
    columns = typed.collect_schema().names()
    if DUPLICATE in columns or id_column != "ticket_id" or not dedupe.applies(set(columns)):
        return with_duplicate_flag(typed, id_column)
    return dedupe.with_duplicate_flag(typed, estimated_rows(inputs))


def estimated_rows(inputs: Sequence[InputInfo]) -> int:
    return sum(i.estimated_rows or 0 for i in inputs)


def latest_timestamp(frame: pl.LazyFrame, columns: frozenset[str]) -> datetime | None:
    """The report's default end: the latest timestamp in the data (never the wall clock, so a
    report can be reproduced). One small extra pass over the timestamp columns."""
    stamps = [c for c in quality.TIMESTAMPS if c in columns]
    if not stamps:
        return None
    return frame.select(pl.max_horizontal(pl.col(c).max() for c in stamps)).collect().item()
