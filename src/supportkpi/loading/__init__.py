"""Loaders: turn export files into one lazy frame in the canonical columns and dtypes.

Loaders translate; they compute nothing. Each input is read (``readers``), translated by its
source preset (``supportkpi.sources``: given with ``--source`` or detected from the headers) or
mapped with ``--map``/kpi.yaml ``columns``, and each canonical column typed (``parse``), with
unparseable values flagged rather than silently nulled. Rows keep their file and row number for
error messages.
"""

from __future__ import annotations

import glob
import io
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

import polars as pl

from supportkpi import sources as presets
from supportkpi.errors import DataError, UsageError, first_line
from supportkpi.loading import parse, readers
from supportkpi.results import InputInfo
from supportkpi.schema import COLUMNS, REQUIRED, ROW, SOURCE, VOCABULARIES, Kind, invalid_flag
from supportkpi.sources._base import Derived, apply
from supportkpi.suggest import suggest


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
    source: str | None = None,
    sources_by_path: Mapping[str, str] | None = None,
    encoding: str | None = None,
    separator: str | None = None,
    decimal_comma: bool | None = None,
    group_by: Sequence[str] = (),
    values: Mapping[str, Mapping[str, object]] | None = None,
    vendors_by_path: Mapping[str, Sequence[str]] | None = None,
) -> Loaded:
    """Read every input (files, globs, ``-``) into one lazy canonical frame.

    ``source`` names the preset of every input (``"canonical"`` for none; None: detect per
    file); ``sources_by_path`` maps glob patterns to presets (kpi.yaml ``sources``).
    ``decimal_comma`` None means: on for ``;``-separated files, as European spreadsheets write.
    ``group_by`` columns are checked as soon as the headers are known (a usage error, exit 2,
    wins over data errors found while reading). ``values`` maps an export's own words onto
    canonical values per column (kpi.yaml ``values``), before typing. ``vendors_by_path`` maps
    a vendor to the file patterns of its exports (kpi.yaml ``vendors.<name>.match``): those
    contacts get that ``vendor``.
    """
    mapping = dict(mapping or {})
    frames = []
    inputs = []
    for index, path in enumerate(expand(paths)):
        name = source or _source_for(path, sources_by_path or {})
        if name is not None:
            presets.get(name)  # an unknown name is a usage error before anything is read
        options = readers.Options(encoding=encoding, separator=separator, source=name)
        fmt = input_format or readers.detect_format(path)
        if path == readers.STDIN and input_format is None:
            data = readers.read_bytes(path)
            fmt = readers.detect_format(path, data)
            raw = read_stdin(data, fmt, options)
        else:
            raw = read_path(path, fmt, options)
        sep = separator
        if fmt == "csv" and sep is None and path != readers.STDIN and not path.endswith(".gz"):
            sep = readers.sniff_separator(path, path)
        comma = decimal_comma if decimal_comma is not None else sep == ";"
        frame, chosen, confidence = _canonical(
            raw, path, index, mapping, timezone, datetime_format, name, comma, values or {}
        )
        frame = with_vendor(frame, path, vendors_by_path)
        frames.append(frame)
        inputs.append(
            InputInfo(
                path=path,
                format=fmt,
                rows=0,
                source=chosen,
                confidence=confidence,
                estimated_rows=readers.estimate_rows(path, fmt),
            )
        )
    frame = pl.concat(frames, how="diagonal_relaxed") if len(frames) > 1 else frames[0]
    names = [n for n in frame.collect_schema().names() if not n.startswith("_")]
    for key in group_by:  # noqa: B007
        if key not in names and key != "period":
            raise UsageError(f"cannot group by '{key}': no such column ({suggest(key, names)})")
    for item in inputs:
        readers.check_field_counts(item.path, item.format, separator, encoding)
    return Loaded(frame=frame, inputs=inputs)


def headers(path: str, input_format: str | None, encoding: str | None, separator: str | None) -> list[str]:
    """The column names of a file (stdin is not peeked at: empty)."""
    if path == readers.STDIN:
        return []
    fmt = input_format or readers.detect_format(path)
    options = readers.Options(encoding=encoding, separator=separator, source="canonical")
    return read_path(path, fmt, options).collect_schema().names()


def with_vendor(frame: pl.LazyFrame, path: str, vendors_by_path: Mapping[str, Sequence[str]] | None) -> pl.LazyFrame:
    """The vendor whose file patterns (kpi.yaml ``vendors.<name>.match``) match the path, as the
    ``vendor`` of every row of that file."""
    vendor = next(
        (v for v, patterns in (vendors_by_path or {}).items() if any(matches(path, p) for p in patterns)),
        None,
    )
    return frame if vendor is None else frame.with_columns(pl.lit(vendor, pl.String).alias("vendor"))


def _source_for(path: str, patterns: Mapping[str, str]) -> str | None:
    for pattern, name in patterns.items():
        if matches(path, pattern):
            return name
    return None


def matches(path: str, pattern: str) -> bool:
    """A kpi.yaml file pattern matches the path as typed, relative to the current directory
    (``./exports/a.csv`` and an absolute path alike), or the file name alone."""
    if path == readers.STDIN:
        return False
    candidates = {path, Path(path).name, os.path.relpath(Path(path).resolve())}
    return any(fnmatch(c, pattern) for c in candidates)


def read_path(path: str, fmt: str, options: readers.Options) -> pl.LazyFrame:
    try:
        return readers.read(path, fmt, options)
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as exc:
        raise DataError(
            readers.diagnose_text(path, fmt) or f"{path}: cannot read as {fmt}: {first_line(exc)}"
        ) from None


def read_stdin(data: bytes, fmt: str, options: readers.Options) -> pl.LazyFrame:
    stdin, sys.stdin = sys.stdin, io.TextIOWrapper(io.BytesIO(data))
    try:
        return read_path(readers.STDIN, fmt, options)
    finally:
        sys.stdin = stdin


_EMPTY_HEADER = re.compile(r"^(|_duplicated_\d+)$")


def clean_headers(frame: pl.LazyFrame, names: list[str]) -> tuple[pl.LazyFrame, list[str]]:
    """Headers trimmed; columns without a header (trailing separators) dropped."""
    drop = [n for n in names if _EMPTY_HEADER.match(n.strip())]
    keep = [n for n in names if n not in drop]
    renames = {n: n.strip() for n in keep if n != n.strip()}
    if drop:
        frame = frame.drop(drop)
    if renames:
        frame = frame.rename(renames)
    return frame, [renames.get(n, n) for n in keep]


def _canonical_names(names: list[str], mapping: Mapping[str, str]) -> dict[str, str]:
    """Renames onto canonical names: ``mapping`` (canonical -> header), then headers that are
    canonical names but for case and spaces ("Ticket ID" -> ticket_id)."""
    renames = {header: canonical for canonical, header in mapping.items() if header in names}
    taken = set(renames.values()) | set(names)
    for name in names:
        key = re.sub(r"[\s\-]+", "_", name.strip().lower())
        if name not in renames and key in COLUMNS and key != name and key not in taken:
            renames[name] = key
            taken.add(key)
    return renames


def _canonical(
    raw: pl.LazyFrame,
    path: str,
    index: int,
    mapping: Mapping[str, str],
    timezone: str,
    datetime_format: str | None,
    source_name: str | None,
    decimal_comma: bool,
    values: Mapping[str, Mapping[str, object]],
) -> tuple[pl.LazyFrame, str, float | None]:
    try:
        schema = raw.collect_schema()
    except pl.exceptions.PolarsError as exc:
        raise DataError(f"{path}: cannot read: {first_line(exc)}") from None
    frame, names = clean_headers(raw, list(schema.names()))
    # names starting with "_" are the loader's own (row numbers, flags): an export's such fields
    # (HAL's "_links", "_embedded") pass through as "x_links" etc.
    internal = {n: "x" + n for n in names if n.startswith("_")}
    if internal:
        frame = frame.rename(internal)
        names = [internal.get(n, n) for n in names]
    frame = frame.with_row_index(ROW, offset=1).with_columns(pl.lit(index, pl.Int32).alias(SOURCE))

    confidence = None
    file_names = list(names)
    detection_candidates: list[tuple[str, float]] = []
    if source_name:
        preset = presets.get(source_name)
    else:
        detection = presets.detect(names, path)
        preset, confidence = detection.source, detection.confidence
        detection_candidates = detection.candidates
    for canonical, header in mapping.items():
        if header not in names and header != canonical:
            # a mapping (--map, kpi.yaml columns) naming no header is a usage mistake: exit 2
            raise UsageError(
                f"{path}: no column '{header}' to map onto '{canonical}' "
                f"({suggest(header, names, 'columns in the file')})"
            )
    if preset is not None:
        # --map / kpi.yaml columns override the preset's field for that column
        overrides = {c: h for c, h in mapping.items() if h in names}
        kept = list(dict.fromkeys(overrides.values()))
        frame = apply(
            preset,
            frame,
            names,
            [ROW, SOURCE],
            extra={f"__map_{h}": h for h in kept},
            decimal_comma=decimal_comma,
            values=_text_values(values),
        )
        if overrides:
            frame = frame.with_columns(pl.col(f"__map_{h}").alias(c) for c, h in overrides.items()).drop(
                f"__map_{h}" for h in kept
            )
            stale = [invalid_flag(c) for c in overrides if invalid_flag(c) in frame.collect_schema()]
            frame = frame.drop(stale)  # the preset's conversion of that column no longer applies
        names = list(dict.fromkeys([*preset_columns(frame), *overrides]))
        chosen = preset.name
    else:
        clashes = [c for c, h in mapping.items() if h in names and c in names and c != h]
        if clashes:
            raise DataError(
                f"{path}: '{clashes[0]}' is both a column of the file and the target of --map; rename one of them"
            )
        renames = _canonical_names(names, mapping)
        frame = frame.rename(renames) if renames else frame
        names = [renames.get(n, n) for n in names]
        chosen = presets.CANONICAL
    for required in REQUIRED:
        if required not in names:
            if preset is not None:
                raise DataError(
                    f"{path}: read as {preset.name}, but its field for '{required}' "
                    f"({_field_name(preset, required)}) is not in the file; is it another "
                    f"export? Columns in the file: {', '.join(file_names)}. Pass --source NAME "
                    f"(see `supportkpi sources`) or --map {required}=HEADER"
                )
            near = [f"{n} ({s:.0%})" for n, s in detection_candidates if s >= 0.3]
            hint = f"; it looks partly like: {', '.join(near)} (--source NAME)" if near else ""
            raise DataError(
                f"{path}: required column '{required}' is missing; "
                f"{suggest(required, names, 'columns in the file')}. Map one with "
                f"--map {required}=HEADER{hint}"
            )
    if preset is not None:
        # the preset's converters applied the value maps of their columns already
        converted = {c for c, f in preset.fields.items() if getattr(f, "convert", None) and c not in overrides}
        values = {c: t for c, t in values.items() if c not in converted}
    frame = _map_values(frame, names, values)
    return _typed(frame, path, timezone, datetime_format, decimal_comma), chosen, confidence


def _map_values(frame: pl.LazyFrame, names: list[str], values: Mapping[str, Mapping[str, object]]) -> pl.LazyFrame:
    """kpi.yaml ``values``: an export's words replaced by canonical values (as text, so typing
    and its checks still apply); words not in the map are left for typing to judge."""
    maps = []
    for column, table in values.items():
        if column not in names or not table:
            continue
        lowered = _text_values({column: table})[column]
        key = pl.col(column).cast(pl.String).str.strip_chars().str.to_lowercase()
        mapped = key.replace_strict(lowered, default=None, return_dtype=pl.String)
        maps.append(
            pl.when(key.is_in(list(lowered))).then(mapped).otherwise(pl.col(column).cast(pl.String)).alias(column)
        )
    return frame.with_columns(maps) if maps else frame


def _text_values(values: Mapping[str, Mapping[str, object]]) -> dict[str, dict[str, str | None]]:
    return {column: {str(k).strip().lower(): _as_text(v) for k, v in table.items()} for column, table in values.items()}


def _as_text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _field_name(preset, canonical: str) -> str:
    spec = preset.fields.get(canonical)
    sources = spec.sources if isinstance(spec, Derived) else spec.names if spec is not None else ()
    return ", ".join(f"'{s}'" for s in sources) or "none"


def preset_columns(frame: pl.LazyFrame) -> list[str]:
    return [n for n in frame.collect_schema().names() if not n.startswith("_")]


def _typed(
    frame: pl.LazyFrame, path: str, timezone: str, datetime_format: str | None, decimal_comma: bool
) -> pl.LazyFrame:
    schema = frame.collect_schema()
    dtypes = {n: d for n, d in schema.items() if not n.startswith("_")}
    earlier_flags = {n for n in schema.names() if n.startswith("_invalid_")}
    # Typing runs in steps so that each costly expression is evaluated once: trimmed text, then
    # the fast timestamp parse, then the typed values, then the flags comparing them to the text.
    # Values a typed format (Parquet, JSON numbers) already holds in the canonical type cannot
    # be unparseable: they are only cast, with no parsing and no flag column.
    ready = {n for n, d in dtypes.items() if n in COLUMNS and _already_typed(d, COLUMNS[n].kind)}
    parsed = {n: COLUMNS[n] for n in dtypes if n in COLUMNS and COLUMNS[n].kind is not Kind.STRING and n not in ready}
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
    vocabularies = [n for n in dtypes if n in VOCABULARIES and n in COLUMNS]
    frame = frame.with_columns(
        *commas, *(parse.vocabulary(pl.col(n), VOCABULARIES[n]).alias(_vocabulary(n)) for n in vocabularies)
    )
    fast = [n for n in text if parsed[n].kind is Kind.DATETIME and datetime_format is None]
    frame = frame.with_columns(parse.fast_timestamp(pl.col(n)).alias(_fast(n)) for n in fast)
    frame = frame.with_columns(
        parse.parse(
            column.kind,
            pl.col(name),
            dtypes[name],
            timezone,
            datetime_format,
            fast=pl.col(_fast(name)) if name in fast else None,
        ).alias(_typed_name(name))
        for name, column in parsed.items()
    )
    columns: list[pl.Expr] = []
    flags: list[pl.Expr] = []
    for name, dtype in dtypes.items():
        column = COLUMNS.get(name)
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
            failed = pl.when(pl.col(_typed_name(name)).is_null())
            if name in text:
                given = parse.blank_to_null(failed.then(pl.col(name)))
            else:
                given = failed.then(parse.raw_text(pl.col(name), dtype))
            flags.append(given.alias(invalid_flag(name)))
    # a preset's own flag (a value it did not understand) wins over the typing's
    merged = []
    for flag in flags:
        name = flag.meta.output_name()
        merged.append(pl.coalesce(pl.col(name), flag).alias(name) if name in earlier_flags else flag)
    merged += [pl.col(n) for n in earlier_flags if n not in {f.meta.output_name() for f in flags}]
    return frame.select(pl.col(SOURCE), pl.col(ROW).cast(pl.Int64), *columns, *merged)


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


def _vocabulary(name: str) -> str:
    return f"__vocabulary_{name}"


def _fast(name: str) -> str:
    return f"__fast_{name}"


def _typed_name(name: str) -> str:
    return f"__typed_{name}"
