"""Reading export files into lazy frames, format by format. No typing or mapping here."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard

import polars as pl

from supportkpi.errors import DataError, UsageError
from supportkpi.loading import documents, envelopes
from supportkpi.loading.tables import Table

FORMATS = ("csv", "tsv", "json", "jsonl", "parquet")
_SUFFIXES = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
STDIN = "-"


def detect_format(path: str, data: bytes | None = None) -> str:
    """The format from the file name (``.gz`` looked through), or from the first bytes of
    standard input."""
    if path == STDIN:
        return _sniff(data or b"")
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    fmt = _SUFFIXES.get(suffixes[-1]) if suffixes else None
    if fmt is None:
        raise UsageError(
            f"{path}: cannot tell the format from the file name; pass --input-format ({', '.join(FORMATS)})"
        )
    return fmt


def _sniff(data: bytes) -> str:
    head = data.lstrip()[:1]
    if head == b"[":
        return "json"
    if head == b"{":
        first_line = data.lstrip().split(b"\n", 1)[0].strip()
        try:
            record = json.loads(first_line)
        except ValueError:
            return "json"  # an object spread over several lines
        # One line holding {"tickets": [{...}, ...]} is a JSON document, not one JSON Lines record.
        holds_records = any(isinstance(v, list) and v and all(isinstance(r, dict) for r in v) for v in record.values())
        return "json" if holds_records else "jsonl"
    if data.startswith(b"PAR1"):
        return "parquet"
    header = data.split(b"\n", 1)[0]
    return "tsv" if header.count(b"\t") > header.count(b",") else "csv"


@dataclass(frozen=True)
class Options:
    """How to read text exports; None means: find out from the file."""

    encoding: str | None = None
    separator: str | None = None
    source: str | None = None


def read(path: str, fmt: str, options: Options = Options()) -> pl.LazyFrame:
    """A lazy frame of the file's rows, every field as text (Parquet keeps its types). Nested
    JSON objects are flattened into dotted names (``via.channel``). Of a file holding several
    tables (a sync tool's streams), the first."""
    return read_tables(path, fmt, options)[0].frame


def read_tables(path: str, fmt: str, options: Options = Options()) -> list[Table]:
    """The tables of a file: one, or one per stream of a sync tool's envelope (unwrapped, with a
    note saying so); see :func:`read`."""
    compressed = path != STDIN and path.lower().endswith(".gz")
    encoding = options.encoding
    recode_from = encoding if encoding is not None and encoding.replace("-", "").lower() not in ("utf8",) else None
    if path == STDIN or compressed or recode_from is not None:
        data = read_bytes(path)
        if recode_from is not None:
            data = _recode(path, data, recode_from)
        source: str | io.BytesIO = io.BytesIO(data)
    else:
        source = path
    if fmt in ("csv", "tsv"):
        separator = "\t" if fmt == "tsv" else options.separator or sniff_separator(path, source)
        if isinstance(source, io.BytesIO):
            frame = pl.read_csv(source, infer_schema=False, separator=separator).lazy()
        else:
            frame = pl.scan_csv(source, infer_schema=False, separator=separator, glob=False)
        if envelopes.RAW_DATA in frame.collect_schema().names():
            return [documents.raw_table(path, frame.select(envelopes.RAW_DATA).collect().to_series().to_list())]
        return [Table(frame)]
    if fmt == "parquet":
        if isinstance(source, io.BytesIO):
            return [Table(pl.read_parquet(source).lazy())]
        return [Table(pl.scan_parquet(source, glob=False))]
    text = source.getvalue() if isinstance(source, io.BytesIO) else Path(source).read_bytes()
    if fmt == "jsonl":
        return documents.json_lines_tables(path, text, options.source)
    return documents.json_tables(path, text, options.source)


def estimate_rows(path: str, fmt: str) -> int | None:
    """Rows the file holds, known before reading it: exact for Parquet (its footer), estimated
    for CSV/TSV from the file size and the mean length of the first 64 KiB of lines (compressed
    files and standard input: None). The engine uses it to pick memory-bounded methods."""
    try:
        if fmt == "parquet" and path != STDIN:
            return int(pl.scan_parquet(path, glob=False).select(pl.len()).collect().item())
        if fmt in ("csv", "tsv") and path != STDIN and not path.endswith(".gz"):
            size = os.path.getsize(path)
            with open(path, "rb") as fh:
                head = fh.read(65536)
            lines = head.count(b"\n")
            return size // max(len(head) // lines, 1) if lines else 1
    except (OSError, pl.exceptions.PolarsError):
        return None
    return None


def _recode(path: str, data: bytes, encoding: str) -> bytes:
    try:
        return data.decode(encoding).encode("utf-8")
    except LookupError:
        raise UsageError(f"--encoding '{encoding}': unknown encoding (e.g. utf-8, windows-1252, latin-1)") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not readable as {encoding} at byte {exc.start}") from None


def sniff_separator(path: str, source: str | io.BytesIO) -> str:
    """Comma, semicolon (European spreadsheets) or tab, whichever the header line has most of."""
    if isinstance(source, io.BytesIO):
        head = source.getvalue()[:65536]
    else:
        with open(source, "rb") as handle:
            head = handle.read(65536)
    header = head.split(b"\n", 1)[0]
    counts = {sep: header.count(sep.encode()) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def read_bytes(path: str) -> bytes:
    if path == STDIN:
        return sys.stdin.buffer.read()
    data = Path(path).read_bytes()
    if path.lower().endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise DataError(f"{path}: not a readable gzip file ({exc})") from None
    return data


# Files up to this size holding quote characters get the exact (Python csv) row check.
EXACT_CHECK_BYTES = 64 * 2**20


def check_field_counts(path: str, fmt: str, separator: str | None = None, encoding: str | None = None) -> None:
    """Raise a DataError naming the first row whose number of fields differs from the header's,
    or a line that is not text in the expected encoding.

    polars pads a short row with nulls and notices a long one only when it reads the last
    column, so without this a truncated row would pass silently. Files without quote characters
    are checked line by line with polars (about 0.3 s per million rows here); files with quotes
    (fields may hold separators and line breaks) with Python's csv parser up to
    ``EXACT_CHECK_BYTES``; larger quoted files are not checked.
    """
    if fmt not in ("csv", "tsv") or path == STDIN:
        return
    delimiter = "\t" if fmt == "tsv" else separator
    if path.lower().endswith(".gz") or recodes(encoding):
        if Path(path).stat().st_size <= EXACT_CHECK_BYTES:
            data = read_bytes(path)
            text = data.decode(encoding) if recodes(encoding) else _utf8(path, data)
            _raise_first_bad_row(path, text, delimiter or sniff_separator(path, io.BytesIO(data)))
        return
    delimiter = delimiter or sniff_separator(path, path)
    lines = pl.scan_csv(
        path, has_header=False, separator="\x1f", quote_char=None, schema={"text": pl.String}, glob=False
    ).with_row_index("line", offset=1)
    # quotes (a field may hold separators and line breaks) and the unit separator (the byte the
    # lines are read with below) need the csv parser
    if _holds_quote(path):
        if Path(path).stat().st_size <= EXACT_CHECK_BYTES:
            _raise_first_bad_row(path, _utf8(path, read_bytes(path)), delimiter)
        return
    fields = pl.col("text").str.count_matches(delimiter, literal=True) + 1
    try:
        header = lines.head(1).collect()
        if header.height == 0:
            return
        expected = header.select(fields).item()
        # the first bad line as a min() aggregation, which streams in constant memory (a
        # filter().head(1) kept 18 GiB on a 17 GiB file)
        bad = pl.col("text").is_not_null() & (fields != expected)
        line = lines.select(pl.when(bad).then(pl.col("line")).min()).collect().item()
        found = lines.slice(line - 1, 1).select(fields).collect().item() if line is not None else None
    except pl.exceptions.ComputeError:
        _utf8(path, read_bytes(path))  # names the line that is not UTF-8
        raise
    if line is not None:
        raise DataError(
            f"{path}: row {line - 1} (line {line}): {found} fields, expected {expected} as in the "
            "header (a truncated or damaged export?)"
        )


def _holds_quote(path: str) -> bool:
    """Whether the file has a quote character (or a unit separator) anywhere (a byte search, no parsing). Read in
    blocks: a memory map of the whole file counted every page of it in the peak RSS (17 GiB for
    a 100M-row export)."""
    with open(path, "rb") as handle:
        while block := handle.read(1 << 24):
            if b'"' in block or b"\x1f" in block:
                return True
    return False


def recodes(encoding: str | None) -> TypeGuard[str]:
    return encoding is not None and encoding.replace("-", "").replace("_", "").lower() != "utf8"


def _utf8(path: str, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{path}: line {line}: not UTF-8 text; pass --encoding with the export's encoding "
            "(e.g. --encoding windows-1252) or save it as UTF-8"
        ) from None


FIELD_LIMIT = 256 * 1024 * 1024
"""The largest field the row check reads (Python's csv module stops at 128 KiB by default, which
a quoted e-mail body in a real export passes): as large as a field polars reads."""


def _first_bad_row(text: str, delimiter: str) -> str | None:
    csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        first_line = reader.line_num + 1
        for number, row in enumerate(reader, start=1):
            if row and len(row) != len(header):
                return (
                    f"row {number} (line {first_line}): {len(row)} fields, expected "
                    f"{len(header)} as in the header (a truncated or damaged export?)"
                )
            first_line = reader.line_num + 1
    except StopIteration:
        return None
    except csv.Error as exc:
        return f"line {reader.line_num}: {exc}"
    return None


def _raise_first_bad_row(path: str, text: str, delimiter: str) -> None:
    problem = _first_bad_row(text, delimiter)
    if problem:
        raise DataError(f"{path}: {problem}")


def diagnose_text(path: str, fmt: str) -> str | None:
    """After polars failed to read a CSV/TSV or JSON Lines file: find the first bad row, since
    polars reports byte offsets at best. Returns a message naming file and row, or None."""
    try:
        data = read_bytes(path) if path != STDIN else None
    except (OSError, DataError):
        return None
    if data is None:
        return None
    try:
        text = _utf8(path, data)
    except DataError as exc:
        return str(exc)
    if fmt == "jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    json.loads(line)
                except ValueError as exc:
                    return f"{path}: line {number}: not a JSON object ({exc})"
        return None
    delimiter = "\t" if fmt == "tsv" else sniff_separator(path, io.BytesIO(data))
    problem = _first_bad_row(text, delimiter)
    return f"{path}: {problem}" if problem else None
