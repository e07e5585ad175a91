"""Typing of a translated export: every canonical column from its text (or its file's own
type) into the canonical dtype, with unparseable values flagged rather than silently nulled."""

from __future__ import annotations

import polars as pl

from supportkpi import batches, languages, words
from supportkpi.loading import datetimes, durations, naming, parse
from supportkpi.loading.datetimes import note_flag
from supportkpi.plausible import Plausible
from supportkpi.schema import COLUMNS, CONTACTS, ROW, SOURCE, VOCABULARIES, Kind, Table, invalid_flag, left_out_flags


def typed(frame: pl.LazyFrame, reading: naming.Reading, table: Table = CONTACTS) -> pl.LazyFrame:
    """The canonical columns of a translated frame in their canonical types, with the raw text
    of each value that did not parse in ``_invalid_<column>`` and the notes of timestamps in
    ``_note_<column>`` (:mod:`supportkpi.loading.datetimes`). Only the columns of the file's
    ``table`` are typed: another table's column name (a ``Sentiment`` in a ticket export) passes
    through as a dimension."""
    canonical = table.by_name
    timezone, datetime_format, units = reading.timezone, reading.datetime_format, reading.units
    decimal_comma = reading.decimal_comma
    schema = frame.collect_schema()
    dtypes = {n: d for n, d in schema.items() if not n.startswith("_")}
    earlier_flags = {n for n in schema.names() if n.startswith("_invalid_")}
    # Typing runs in steps so that each costly expression is evaluated once: trimmed text, then
    # the fast timestamp parse, then the typed values, then the flags comparing them to the text.
    # Values a typed format (Parquet, JSON numbers) already holds in the canonical type cannot
    # be unparseable: they are only cast, with no parsing and no flag column.
    ready = {
        n
        for n, d in dtypes.items()
        if n in canonical and _already_typed(d, canonical[n].kind) and units.get(n, "s") == "s"
    }
    parsed = {
        n: canonical[n] for n in dtypes if n in canonical and canonical[n].kind is not Kind.STRING and n not in ready
    }
    text = [n for n, c in parsed.items() if dtypes[n] == pl.String]
    # Text is parsed as it is: the parsers trim and retry only the values that do not read
    # directly (trimming every value of every column would cost more than the parsing).
    commas = []
    if decimal_comma:
        commas = [
            pl.col(n).str.replace(",", ".", literal=True).alias(n)
            for n in text
            if parsed[n].kind in (Kind.FLOAT, Kind.INT)
        ]
    vocabularies = [n for n in dtypes if (n in VOCABULARIES or n == languages.COLUMN) and n in canonical]
    frame = frame.with_columns(*commas, *(_vocabulary_reading(n).alias(_vocabulary(n)) for n in vocabularies))
    # Timestamps written as text: the fast ISO reading (or, with --datetime-format, the given
    # formats) first, then the values it did not read through the general layouts, in steps,
    # each kept as a column: written as one expression, its parts repeat and polars' plan grows
    # to megabytes (seconds of planning for a few thousand rows)
    # (datetimes.inferred_where_given runs the same steps as one Python function of the column,
    # for small readings; not here: polars runs it on its main thread, where a Ctrl-C or SIGTERM
    # raised inside it makes polars panic instead of stopping the query)
    stamps = [n for n in text if parsed[n].kind is Kind.DATETIME]
    first = {
        n: datetimes.with_formats(parse.blank_to_null(pl.col(n)), timezone, datetime_format)
        if datetime_format
        else parse.fast_timestamp(pl.col(n))
        for n in stamps
    }
    frame = frame.with_columns(expr.alias(_step(n, "first")) for n, expr in first.items())
    frame = frame.with_columns(
        datetimes.layout(batches.unread(pl.col(_step(n, "first")), pl.col(n))).alias(_step(n, "layout")) for n in stamps
    )
    frame = frame.with_columns(
        expr.alias(_step(n, kind))
        for n in stamps
        for kind, expr in zip(("day", "month"), datetimes.candidates(pl.col(_step(n, "layout"))), strict=True)
    )
    frame = frame.with_columns(
        expr.alias(_step(n, kind))
        for n in stamps
        for kind, expr in zip(("choice", "undecided"), datetimes.choice(*_parts(n)), strict=True)
    )
    frame = frame.with_columns(
        datetimes.wall_time(*_parts(n), pl.col(_step(n, "choice"))).alias(_step(n, "wall")) for n in stamps
    )
    frame = frame.with_columns(
        datetimes.zoned(pl.col(_step(n, "layout")), pl.col(_step(n, "wall")), timezone).alias(_step(n, "inferred"))
        for n in stamps
    )
    # durations written as text likewise: plain numbers, and the text of the others
    spans = [n for n in text if durations.is_duration(n)]
    frame = frame.with_columns(
        expr.alias(_step(n, kind))
        for n in spans
        for kind, expr in zip(("plain", "written"), durations.split(pl.col(n), units.get(n, "s")), strict=True)
    )
    frame = frame.with_columns(
        durations.from_parts(pl.col(_step(n, "plain")), pl.col(_step(n, "written"))).alias(_step(n, "seconds"))
        for n in spans
    )
    typed: list[pl.Expr] = []
    notes: list[pl.Expr] = []
    for name, kind in ((n, c.kind) for n, c in parsed.items()):
        if kind is Kind.DATETIME and name in stamps:
            inferred = pl.col(_step(name, "inferred"))
            choice, undecided = pl.col(_step(name, "choice")), pl.col(_step(name, "undecided"))
            inferred_note = datetimes.notes(pl.col(_step(name, "layout")), inferred, choice, undecided)
            read_first = pl.col(_step(name, "first"))
            value = pl.coalesce(read_first, inferred)
            notes.append(
                pl.when(read_first.is_null() & pl.col(name).is_not_null()).then(inferred_note).alias(note_flag(name))
            )
        elif kind is Kind.DATETIME:
            value, note = parse.timestamp_noted(pl.col(name), dtypes[name], timezone, datetime_format)
            if note is not None:
                notes.append(note.alias(note_flag(name)))
        elif name in spans:
            value = pl.col(_step(name, "seconds"))
        elif durations.is_duration(name):
            value = durations.seconds(pl.col(name), dtypes[name], units.get(name, "s"))
        else:
            value = parse.parse(kind, pl.col(name), dtypes[name], timezone, datetime_format)
        typed.append(_plausible(value, kind, name, reading.plausible).alias(_typed_name(name)))
    frame = frame.with_columns(*typed, *notes)
    columns: list[pl.Expr] = []
    flags: list[pl.Expr] = []
    for name, dtype in dtypes.items():
        column = canonical.get(name)
        if column is None:
            columns.append(pl.col(name))  # a dimension passed through under its own name
        elif name in ready:
            value = pl.col(name)
            if column.kind is Kind.DATETIME:
                value = value.dt.convert_time_zone("UTC")
            columns.append(value.cast(column.dtype).alias(name))
        elif name in vocabularies:
            # a value outside the canonical vocabulary is reported (as written), not kept as an
            # "other"
            columns.append(pl.col(_vocabulary(name)).struct.field("value").alias(name))
            flags.append(pl.col(_vocabulary(name)).struct.field("invalid").alias(invalid_flag(name)))
        elif column.kind is Kind.STRING:
            columns.append(parse.string(pl.col(name), dtype).alias(name))
        else:
            columns.append(pl.col(_typed_name(name)).alias(name))
            # the raw value of each value that did not parse; blanks are missing values, not errors
            failed = pl.when(pl.col(_typed_name(name)).is_null() & pl.col(name).is_not_null())  # see batches.unread
            if name in text:
                given = parse.blank_to_null(failed.then(pl.col(name)))
            else:
                given = failed.then(parse.raw_text(pl.col(name), dtype))
            flags.append(given.alias(invalid_flag(name)))
    columns = [_inverted(c, reading) for c in columns]
    # a preset's own flag (a value it did not understand) wins over the typing's
    merged = []
    for flag in flags:
        name = flag.meta.output_name()
        merged.append(pl.coalesce(pl.col(name), flag).alias(name) if name in earlier_flags else flag)
    merged += [pl.col(n) for n in earlier_flags if n not in {f.meta.output_name() for f in flags}]
    left_out = [pl.col(n) for n in left_out_flags(schema.names())]
    kept_notes = [pl.col(n.meta.output_name()) for n in notes]
    return frame.select(pl.col(SOURCE), pl.col(ROW).cast(pl.Int64), *columns, *merged, *left_out, *kept_notes)


def _plausible(value: pl.Expr, kind: Kind, name: str, plausible: Plausible) -> pl.Expr:
    """Timestamps and durations outside the plausible range (:mod:`supportkpi.plausible`) are
    typing accidents, not contacts: null, so they are reported as unparseable values."""
    if kind is Kind.DATETIME:
        return pl.when(value.is_between(pl.lit(plausible.earliest), pl.lit(plausible.latest), closed="left")).then(
            value
        )
    if durations.is_duration(name):
        return pl.when(value.abs() <= plausible.longest_seconds).then(value)
    return value


def _inverted(value: pl.Expr, reading: naming.Reading) -> pl.Expr:
    """A yes/no mapped with ``!``: the opposite of its header's value."""
    name = value.meta.output_name()
    if name in reading.inverted and name in COLUMNS and COLUMNS[name].kind is Kind.BOOL:
        return (~value).alias(name)
    return value


def _already_typed(dtype: pl.DataType, kind: Kind) -> bool:
    """Whether a column of this dtype holds the canonical kind already (casting cannot fail or
    lose anything; naive datetimes still need their time zone, so they are not)."""
    if kind is Kind.DATETIME:
        return isinstance(dtype, pl.Datetime) and dtype.time_zone is not None
    if kind is Kind.FLOAT:
        return dtype.is_numeric()
    if kind is Kind.INT:
        return dtype.is_integer()
    if kind is Kind.BOOL:
        return dtype == pl.Boolean
    return False


def _vocabulary_reading(name: str) -> pl.Expr:
    # the language has rules of its own (codes, locale tags, names); the others have word lists
    if name == languages.COLUMN:
        return languages.language_reading(pl.col(name))
    return parse.vocabulary(pl.col(name), words.lookup(name))


def _vocabulary(name: str) -> str:
    return f"__vocabulary_{name}"


def _parts(name: str) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """The layout of a timestamp column's values and its day-first and month-first dates."""
    return pl.col(_step(name, "layout")), pl.col(_step(name, "day")), pl.col(_step(name, "month"))


def _step(name: str, kind: str) -> str:
    return f"__{kind}_{name}"


def _typed_name(name: str) -> str:
    return f"__typed_{name}"
