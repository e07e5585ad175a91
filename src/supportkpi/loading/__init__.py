"""Loaders: turn export files into one lazy frame in the canonical columns and dtypes.

Loaders translate; they compute nothing. Each input is read (``readers``), its headers mapped
onto canonical names (``--map``/kpi.yaml ``columns``), and each canonical column typed
(``parse``), with unparseable values flagged rather than silently nulled. Rows keep their file
and row number for error messages.
"""

from __future__ import annotations

import glob
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from supportkpi.config import suggest
from supportkpi.errors import DataError, UsageError
from supportkpi.loading import parse, readers
from supportkpi.results import InputInfo
from supportkpi.schema import COLUMNS, REQUIRED, ROW, SOURCE, Kind, invalid_flag

_VOCABULARY_COLUMNS = ("channel", "priority", "status")


@dataclass
class Loaded:
    frame: pl.LazyFrame
    inputs: list[InputInfo] = field(default_factory=list)


def expand(paths: Sequence[str]) -> list[str]:
    """File arguments with globs expanded (sorted), ``-`` kept for standard input."""
    out: list[str] = []
    for path in paths:
        if path == readers.STDIN:
            out.append(path)
        elif glob.has_magic(path):
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                raise UsageError(f"{path}: no file matches this pattern")
            out.extend(matches)
        elif not Path(path).is_file():
            raise UsageError(f"{path}: no such file")
        else:
            out.append(path)
    if out.count(readers.STDIN) > 1:
        raise UsageError("standard input (-) can be read only once")
    return out


def load(
    paths: Sequence[str],
    *,
    mapping: Mapping[str, str] | None = None,
    timezone: str = "UTC",
    datetime_format: str | None = None,
    input_format: str | None = None,
) -> Loaded:
    """Read every input (files, globs, ``-``) into one lazy canonical frame."""
    mapping = dict(mapping or {})
    frames = []
    inputs = []
    for index, path in enumerate(expand(paths)):
        fmt = input_format or readers.detect_format(path)
        if path == readers.STDIN and input_format is None:
            data = readers.read_bytes(path)
            fmt = readers.detect_format(path, data)
            raw = _read_stdin(data, fmt)
        else:
            readers.check_field_counts(path, fmt)
            raw = _read(path, fmt)
        frames.append(_canonical(raw, path, index, mapping, timezone, datetime_format))
        inputs.append(InputInfo(path=path, format=fmt, rows=0))
    frame = pl.concat(frames, how="diagonal_relaxed") if len(frames) > 1 else frames[0]
    return Loaded(frame=frame, inputs=inputs)


def _read(path: str, fmt: str) -> pl.LazyFrame:
    try:
        return readers.read(path, fmt)
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as exc:
        raise DataError(readers.diagnose_text(path, fmt) or f"{path}: cannot read as {fmt}: {_first_line(exc)}") from None


def _read_stdin(data: bytes, fmt: str) -> pl.LazyFrame:
    import io
    import sys

    stdin, sys.stdin = sys.stdin, io.TextIOWrapper(io.BytesIO(data))
    try:
        return _read(readers.STDIN, fmt)
    finally:
        sys.stdin = stdin


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _canonical(
    raw: pl.LazyFrame,
    path: str,
    index: int,
    mapping: Mapping[str, str],
    timezone: str,
    datetime_format: str | None,
) -> pl.LazyFrame:
    try:
        schema = raw.collect_schema()
    except pl.exceptions.PolarsError as exc:
        raise DataError(f"{path}: cannot read: {_first_line(exc)}") from None
    names = list(schema.names())
    renames = {}
    for canonical, header in mapping.items():
        if header in names:
            renames[header] = canonical
        elif canonical not in names:
            raise DataError(
                f"{path}: no column '{header}' to map onto '{canonical}' "
                f"({suggest(header, names)})"
            )
    clashes = [c for c, h in mapping.items() if h in names and c in names and c != h]
    if clashes:
        raise DataError(
            f"{path}: '{clashes[0]}' is both a column of the file and the target of --map; "
            "rename one of them"
        )
    names = [renames.get(n, n) for n in names]
    for required in REQUIRED:
        if required not in names:
            raise DataError(
                f"{path}: required column '{required}' is missing ({suggest(required, names)}); "
                f"columns in the file: {', '.join(names)}. Map one with --map {required}=HEADER"
            )
    internal = [n for n in names if n.startswith("_")]
    if internal:
        raise DataError(f"{path}: column names may not start with '_' ({internal[0]})")
    dtypes = {renames.get(n, n): schema[n] for n in schema.names()}
    frame = raw.rename(renames) if renames else raw
    frame = frame.with_row_index(ROW, offset=1).with_columns(pl.lit(index, pl.Int32).alias(SOURCE))

    # Typing runs in steps so that each costly expression is evaluated once: trimmed text, then
    # the fast timestamp parse, then the typed values, then the flags comparing them to the text.
    parsed = {n: COLUMNS[n] for n in dtypes if n in COLUMNS and COLUMNS[n].kind is not Kind.STRING}
    text = [n for n, c in parsed.items() if dtypes[n] == pl.String]
    frame = frame.with_columns(parse.blank_to_null(pl.col(n)).alias(n) for n in text)
    fast = [n for n in text if parsed[n].kind is Kind.DATETIME and datetime_format is None]
    frame = frame.with_columns(parse.fast_timestamp(pl.col(n)).alias(_fast(n)) for n in fast)
    frame = frame.with_columns(
        parse.parse(
            column.kind, pl.col(name), dtypes[name], timezone, datetime_format,
            fast=pl.col(_fast(name)) if name in fast else None,
        ).alias(_typed(name))
        for name, column in parsed.items()
    )
    columns: list[pl.Expr] = []
    for name, dtype in dtypes.items():
        column = COLUMNS.get(name)
        if column is None:
            columns.append(pl.col(name))  # a dimension passed through under its own name
        elif column.kind is Kind.STRING:
            value = parse.string(pl.col(name), dtype)
            if name in _VOCABULARY_COLUMNS:
                value = value.str.to_lowercase()
            columns.append(value.alias(name))
        else:
            columns.append(pl.col(_typed(name)).alias(name))
    flags = [
        pl.when(given.is_not_null() & pl.col(_typed(name)).is_null())
        .then(given)
        .otherwise(None)
        .alias(invalid_flag(name))
        for name in parsed
        # text columns were trimmed and blanked to null in the first step already
        for given in [pl.col(name) if name in text else parse.raw_text(pl.col(name), dtypes[name])]
    ]
    return frame.select(pl.col(SOURCE), pl.col(ROW).cast(pl.Int64), *columns, *flags)


def _fast(name: str) -> str:
    return f"__fast_{name}"


def _typed(name: str) -> str:
    return f"__typed_{name}"
