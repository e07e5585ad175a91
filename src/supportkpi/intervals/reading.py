"""Reading interval reports: the same readers as contact exports, with the report's own header
matching and typing (:mod:`supportkpi.intervals.columns`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from supportkpi import loading
from supportkpi.intervals.columns import INTERVAL_SCHEMA, conform, normalized_name
from supportkpi.loading import readers
from supportkpi.results import InputInfo
from supportkpi.schema import ROW, SOURCE


def load_intervals(
    paths: Sequence[str],
    *,
    mapping: Mapping[str, str] | None = None,
    timezone: str = "UTC",
    datetime_format: str | Sequence[str] | None = None,
    input_format: str | None = None,
    encoding: str | None = None,
    separator: str | None = None,
    decimal_comma: bool | None = None,
    vendors_by_path: Mapping[str, Sequence[str]] | None = None,
) -> loading.Loaded:
    """Read interval reports (:mod:`supportkpi.intervals`) into one lazy frame of the interval
    columns: headers matched to them ignoring case, spaces and hyphens, or named with
    ``mapping`` (``--map answered_within_threshold="Answered in SL"``), then typed."""
    frames, inputs = [], []
    for index, path in enumerate(loading.expand(paths)):
        fmt = input_format or readers.detect_format(path)
        options = readers.Options(encoding=encoding, separator=separator, source="canonical")
        raw = (
            loading.read_stdin(readers.read_bytes(path), fmt, options)
            if path == readers.STDIN
            else loading.read_path(path, fmt, options)
        )
        names = raw.collect_schema().names()
        renames = {h: c for c, h in (mapping or {}).items() if h in names}
        for name in names:
            key = normalized_name(name)
            if name not in renames and key in INTERVAL_SCHEMA and key not in renames.values():
                renames[name] = key
        raw, _ = loading.clean_headers(raw.rename(renames), [renames.get(n, n) for n in names])
        sep = (
            separator
            if separator is not None
            else (
                readers.sniff_separator(path, path)
                if fmt == "csv" and path != readers.STDIN and not path.endswith(".gz")
                else None
            )
        )
        readers.check_field_counts(path, fmt, sep, encoding)
        comma = decimal_comma if decimal_comma is not None else sep == ";"
        frame = conform(
            raw.with_row_index(ROW, offset=1).with_columns(pl.lit(index, pl.Int32).alias(SOURCE)),
            timezone=timezone,
            datetime_format=datetime_format,
            decimal_comma=comma,
        )
        frame = loading.with_vendor(frame, path, vendors_by_path)
        frames.append(frame)
        inputs.append(InputInfo(path=path, format=fmt, rows=0, source="interval report"))
    frame = pl.concat(frames, how="diagonal_relaxed") if len(frames) > 1 else frames[0]
    return loading.Loaded(frame=frame, inputs=inputs)
