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

from supportkpi import dedupe as versions
from supportkpi import sources as presets
from supportkpi import words
from supportkpi.errors import DataError, UsageError, first_line
from supportkpi.loading import mapped, naming, parse, readers, sentiment, tables
from supportkpi.loading.probe import Probe, probe
from supportkpi.loading.typed import typed
from supportkpi.plausible import Plausible
from supportkpi.results import Finding, InputInfo
from supportkpi.schema import COLUMNS, ROW, SOURCE, TABLES, column_spelling, invalid_flag, left_out_flags, table_of
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
        elif glob.has_magic(path) and not Path(path).is_file():  # "export[1].csv" is a file
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
    datetime_format: str | Sequence[str] | None = None,
    input_format: str | None = None,
    source: str | None = None,
    sources_by_path: Mapping[str, str] | None = None,
    encoding: str | None = None,
    separator: str | None = None,
    decimal_comma: bool | None = None,
    group_by: Sequence[str] = (),
    values: Mapping[str, Mapping[str, object]] | None = None,
    vendors_by_path: Mapping[str, Sequence[str]] | None = None,
    dedupe: tuple[str | None, str | None] = (None, None),
    units: Mapping[str, str] | None = None,
    probes: Mapping[str, Probe] | None = None,
    plausible: Plausible | None = None,
) -> Loaded:
    """Read every input (files, globs, ``-``) into one lazy canonical frame.

    ``source`` names the preset of every input (``"canonical"`` for none; None: detect per
    file); ``sources_by_path`` maps glob patterns to presets (kpi.yaml ``sources``).
    ``decimal_comma`` None means: on for ``;``-separated files, as European spreadsheets write.
    ``group_by`` columns are checked as soon as the headers are known (a usage error, exit 2,
    wins over data errors found while reading). ``values`` maps an export's own words onto
    canonical values per column (kpi.yaml ``values``), before typing. ``vendors_by_path`` maps
    a vendor to the file patterns of its exports (kpi.yaml ``vendors.<name>.match``): those
    contacts get that ``vendor``. ``dedupe`` is kpi.yaml's ``(keep, by)``: which version of a
    record delivered again to keep (:func:`supportkpi.dedupe.update_field`).

    ``datetime_format``: one or several strftime formats tried before the layouts read without
    one (:mod:`supportkpi.loading.datetimes`). ``units`` maps a duration column (``*_seconds``)
    to the unit its plain numbers are in (``{"first_response_seconds": "h"}``; s, ms, min, h,
    d); a ``Header:unit`` in ``mapping`` adds to it (:mod:`supportkpi.loading.mapped`); without
    one, a duration whose header states its unit (``Resolution_Time_Hours``) is read in that
    unit, else in seconds. A preset's converted columns keep the unit their converter declares.
    A mapped header written ``!Header`` is a yes/no read inverted (``abandoned=!Answered``).
    ``plausible``: the range of timestamps and durations read as values (default 1970 to 2100,
    a century: :mod:`supportkpi.plausible`); a value outside is reported as unparseable. ``probes``: what earlier steps found out about a path
    (:mod:`.probe`), reused instead of looking at the file again.
    """
    mapping = dict(mapping or {})
    frames = []
    inputs = []
    looks: dict[str, Probe] = {}
    read_in = []
    for path in expand(paths):
        name = source or _source_for(path, sources_by_path or {})
        if name is not None:
            presets.get(name)  # an unknown name is a usage error before anything is read
        look = looks[path] = (probes or {}).get(path) or probe(path, input_format, encoding, separator)
        read_in.append(tables.Input(path, look.format, name, read_probed_tables(look, name)))
    # a source's companion tables (ticket metrics, ratings) joined onto its tickets
    for index, joined in enumerate(tables.join(read_in)):
        path, name, raw, look = joined.path, joined.source, joined.frame, looks[joined.path]
        # the decimal comma follows a given separator, or one sniffed from a plain CSV file
        sep = separator if separator is not None else look.separator if look.sniffed else None
        comma = decimal_comma if decimal_comma is not None else sep == ";"
        reading = naming.Reading(path, index, timezone, parse.formats_of(datetime_format), comma, dict(units or {}))
        reading.plausible = plausible or reading.plausible
        reading.first_row = 2 if look.format == "xlsx" else 1
        frame, chosen, confidence = _canonical(raw, reading, mapping, name, values or {}, joined.notes, dedupe)
        frame = with_vendor(frame, path, vendors_by_path)
        frames.append(frame)
        inputs.append(
            InputInfo(
                path=path,
                format=look.format,
                rows=0,
                source=chosen,
                confidence=confidence,
                estimated_rows=look.estimated_rows,
                notes=joined.notes or None,
                findings=reading.notes or None,
            )
        )
    frame = stack(frames)
    names = [n for n in frame.collect_schema().names() if not n.startswith("_")]
    for key in group_by:  # noqa: B007
        if key not in names and key != "period":
            raise UsageError(f"cannot group by '{key}': no such column ({suggest(key, names)})")
    for look in looks.values():  # companion tables' files too
        readers.check_field_counts(look.path, look.format, look.separator, look.encoding)
    return Loaded(frame=frame, inputs=inputs)


def stack(frames: Sequence[pl.LazyFrame]) -> pl.LazyFrame:
    """Inputs' frames as one. A file without a preset's leave-out rule has none of its rows left
    out by it: its flags are false, not null (a null would leave every row of it out)."""
    if len(frames) == 1:
        return frames[0]
    frame = pl.concat(frames, how="diagonal_relaxed")
    flags = left_out_flags(frame.collect_schema().names())
    return frame.with_columns(pl.col(f).fill_null(False) for f in flags) if flags else frame


def headers(look: Probe) -> list[str]:
    """The column names of a probed file (stdin is not peeked at: empty)."""
    if look.path == readers.STDIN:
        return []
    if look.header is not None:
        return list(look.header)
    return read_probed(look, "canonical").collect_schema().names()


def read_probed(look: Probe, source: str | None) -> pl.LazyFrame:
    """The raw rows of a probed input, read with what the probe found (``source``: the preset
    that reads a JSON document, as in :class:`readers.Options`); of a sync tool's file of
    several streams, the first."""
    return read_probed_tables(look, source)[0].frame


def read_probed_tables(look: Probe, source: str | None) -> list[tables.Table]:
    """The tables of a probed input (several for a sync tool's file of several streams)."""
    options = readers.Options(encoding=look.encoding, separator=look.separator, source=source)
    return read_tables(look.path, look.format, options)


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
    """A file as one frame (of a sync tool's file of several streams, the first)."""
    return read_tables(path, fmt, options)[0].frame


def read_stdin(data: bytes, fmt: str, options: readers.Options) -> pl.LazyFrame:
    return read_stdin_tables(data, fmt, options)[0].frame


def read_tables(path: str, fmt: str, options: readers.Options) -> list[tables.Table]:
    """The tables of a file (several for a sync tool's file of several streams)."""
    try:
        return readers.read_tables(path, fmt, options)
    except RecursionError:
        raise DataError(f"{path}: nested too deeply to be an export (arrays or objects inside each other)") from None
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as exc:
        raise DataError(
            readers.diagnose_text(path, fmt) or f"{path}: cannot read as {fmt}: {first_line(exc)}"
        ) from None


def read_stdin_tables(data: bytes, fmt: str, options: readers.Options) -> list[tables.Table]:
    stdin, sys.stdin = sys.stdin, io.TextIOWrapper(io.BytesIO(data))
    try:
        return read_tables(readers.STDIN, fmt, options)
    finally:
        sys.stdin = stdin


_EMPTY_HEADER = re.compile(r"^(|_duplicated_\d+)$")


def clean_headers(frame: pl.LazyFrame, names: list[str]) -> tuple[pl.LazyFrame, list[str]]:
    """Headers trimmed; columns without a header (trailing separators) dropped. A header that
    trims to another one (``ticket_id`` and ``ticket_id\\r``) is that header written again, named
    as the reader names a repeated header (``ticket_id_duplicated_0``).

    >>> clean_headers(pl.LazyFrame(schema=["id", " id", "a ", ""]), ["id", " id", "a ", ""])[1]
    ['id', 'id_duplicated_0', 'a']
    """
    drop = [n for n in names if _EMPTY_HEADER.match(n.strip())]
    keep = [n for n in names if n not in drop]
    renames = {}
    taken = {n for n in keep if n == n.strip()}
    for name in (n for n in keep if n != n.strip()):
        trimmed = name.strip()
        repeat = 0
        while trimmed in taken:
            trimmed = f"{name.strip()}_duplicated_{repeat}"
            repeat += 1
        renames[name] = trimmed
        taken.add(trimmed)
    if drop:
        frame = frame.drop(drop)
    if renames:
        frame = frame.rename(renames)
    return frame, [renames.get(n, n) for n in keep]


_REPEATED = re.compile(r"^(.+)_duplicated_(\d+)$")


def _repeated_headers(
    frame: pl.LazyFrame, names: list[str], mapping: Mapping[str, str], reading: naming.Reading
) -> tuple[pl.LazyFrame, list[str]]:
    """A header written twice (the reader renames the second ``X_duplicated_0``): for a column
    the run reads, which of the two is meant cannot be told, so it is an error; any other is
    read once, the first, with a note."""
    repeated: dict[str, int] = {}
    for name in names:
        match = _REPEATED.match(name)
        if match and match.group(1) in names:
            repeated[match.group(1)] = repeated.get(match.group(1), 1) + 1
    if not repeated:
        return frame, names
    used = set(COLUMNS) | set(mapping.values())
    for header, times in repeated.items():
        if header in used or column_spelling(header) in COLUMNS:
            raise DataError(
                f"{reading.path}: the header '{header}' appears {times} times; which column is "
                "meant cannot be told: rename all but one (or --map the column to another header)"
            )
        reading.notes.append(
            Finding(
                kind="note",
                column=header,
                count=0,  # counted as the file's rows by quality.input_findings
                effect=f"the header appears {times} times: only its first column is read",
            )
        )
    drop = [n for n in names if (m := _REPEATED.match(n)) and m.group(1) in repeated]
    return frame.drop(drop), [n for n in names if n not in drop]


def _canonical(
    raw: pl.LazyFrame,
    reading: naming.Reading,
    mapping: Mapping[str, str],
    source_name: str | None,
    values: Mapping[str, Mapping[str, object]],
    notes: list[str],
    dedupe: tuple[str | None, str | None] = (None, None),
) -> tuple[pl.LazyFrame, str, float | None]:
    path, index = reading.path, reading.index
    try:
        schema = raw.collect_schema()
    except pl.exceptions.PolarsError as exc:
        raise DataError(f"{path}: cannot read: {first_line(exc)}") from None
    frame, names = clean_headers(raw, list(schema.names()))
    frame, names = _repeated_headers(frame, names, mapping, reading)
    # names starting with "_" are the loader's own (row numbers, flags): an export's such fields
    # (HAL's "_links", "_embedded") pass through as "x_links" etc.
    internal = {n: "x" + n for n in names if n.startswith("_")}
    if internal:
        frame = frame.rename(internal)
        names = [internal.get(n, n) for n in names]
    frame = frame.with_row_index(ROW, offset=reading.first_row).with_columns(pl.lit(index, pl.Int32).alias(SOURCE))

    confidence = None
    file_names = list(names)
    detection_candidates: list[tuple[str, float]] = []
    if source_name:
        preset = presets.get(source_name)
    else:
        detection = presets.detect(names, path)
        preset, confidence = detection.source, detection.confidence
        detection_candidates = detection.candidates
    mapping = naming.split_inverted(mapping, names, reading)
    resolved = mapped.resolve(frame, names, mapping, reading.units, path)
    frame, names, reading.units = resolved.frame, resolved.names, resolved.units
    mapping = naming.resolve_headers(resolved.mapping, names)
    naming.contradictions(mapping, reading)
    for canonical, header in mapping.items():
        if header not in names and header != canonical:
            # a mapping (--map, kpi.yaml columns) naming no header is a usage mistake: exit 2
            raise UsageError(
                f"{path}: no column '{header}' to map onto '{canonical}' "
                f"({suggest(header, names, 'columns in the file')})"
            )
    updated = versions.update_field(names, preset.latest if preset else (), *dedupe, path)
    if updated is not None:
        stamp = parse.timestamp(pl.col(updated), frame.collect_schema()[updated], reading.timezone, None)
        frame = frame.with_columns(stamp.alias(versions.UPDATED))
    if preset is not None:
        # --map / kpi.yaml columns override the preset's field for that column
        overrides = {c: h for c, h in mapping.items() if h in names}
        kept = list(dict.fromkeys(overrides.values()))
        frame = apply(
            preset,
            frame,
            names,
            [ROW, SOURCE, *([versions.UPDATED] if updated else [])],
            extra={f"__map_{h}": h for h in kept},
            decimal_comma=reading.decimal_comma,
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
        renames = naming.canonical_names(names, mapping, reading)
        frame = frame.rename(renames) if renames else frame
        names = [renames.get(n, n) for n in names]
        chosen = presets.CANONICAL
    table = TABLES[preset.canonical_table] if preset is not None else table_of(names)
    for required in table.required:
        if required == "created_at" and preset is None and required not in names:
            # a file with no creation time at all is read without one (counts, surveys and
            # statuses need none); a file that has the column still needs its values
            reading.notes.append(naming.no_created_at(names))
            continue
        if required not in names:
            if preset is not None and required in preset.optional and table.id in names:
                notes.append(
                    f"no {required} ({_field_name(preset, required)}) in this {preset.name} file: "
                    "only the KPIs that need no time can be computed"
                )
                continue
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
    if updated is not None:
        # named as in the file (the loader renamed a "_" header)
        frame = versions.keep_latest(frame, {v: k for k, v in internal.items()}.get(updated, updated))
    if preset is not None:
        # the preset's converters applied the value maps of their columns already
        converted = {c for c, f in preset.fields.items() if getattr(f, "convert", None) and c not in overrides}
        values = {c: t for c, t in values.items() if c not in converted}
        reading.units = {c: u for c, u in reading.units.items() if c not in converted}  # the converter's unit holds
    frame = sentiment.as_words(_map_values(frame, names, values), names)
    return _answered_as_abandoned(typed(frame, reading, table)), chosen, confidence


def _answered_as_abandoned(frame: pl.LazyFrame) -> pl.LazyFrame:
    """A typed file that says which contacts were answered, and not which were abandoned: the
    ``abandoned`` flag is the opposite of ``answered`` (what the abandonment KPIs read)."""
    names = frame.collect_schema().names()
    if "answered" not in names or "abandoned" in names:
        return frame
    return frame.with_columns((~pl.col("answered")).alias("abandoned"))


def _map_values(frame: pl.LazyFrame, names: list[str], values: Mapping[str, Mapping[str, object]]) -> pl.LazyFrame:
    """kpi.yaml ``values``: an export's words replaced by canonical values (as text, so typing
    and its checks still apply), compared as :func:`supportkpi.words.word_key` does; words not
    in the map are left for typing to judge."""
    maps = []
    for column, table in values.items():
        if column not in names or not table:
            continue
        lowered = _text_values({column: table})[column]
        key = words.word_key_expr(pl.col(column).cast(pl.String))
        mapped = key.replace_strict(lowered, default=None, return_dtype=pl.String)
        maps.append(
            pl.when(key.is_in(list(lowered))).then(mapped).otherwise(pl.col(column).cast(pl.String)).alias(column)
        )
    return frame.with_columns(maps) if maps else frame


def _text_values(values: Mapping[str, Mapping[str, object]]) -> dict[str, dict[str, str | None]]:
    return {column: {words.word_key(str(k)): _as_text(v) for k, v in table.items()} for column, table in values.items()}


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
