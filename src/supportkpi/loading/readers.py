"""Reading export files into lazy frames, format by format. No typing or mapping here."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from supportkpi.errors import DataError, UsageError
from supportkpi.loading import compressed, documents, envelopes, rowcheck, spreadsheets
from supportkpi.loading.tables import Table

FORMATS = ("csv", "tsv", "json", "jsonl", "parquet", "xlsx")
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
    # workbooks: one reader (calamine) for Excel's and OpenDocument's formats
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xlsx",
    ".ods": "xlsx",
}
BINARY = ("parquet", "xlsx")
"""Formats that are not text: no encoding, separator or row check applies."""
STDIN = compressed.STDIN
recodes = compressed.recodes


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
    if spreadsheets.is_workbook(data):
        return "xlsx"
    header = data.split(b"\n", 1)[0]
    return "tsv" if header.count(b"\t") > header.count(b",") else "csv"


@dataclass(frozen=True)
class Options:
    """How to read text exports; None means: find out from the file."""

    encoding: str | None = None
    separator: str | None = None
    source: str | None = None


def read(path: str, fmt: str, options: Options = Options()) -> pl.LazyFrame:
    """A lazy frame of the file's rows, every field as text (Parquet keeps its types; of a
    workbook, the first sheet with data). Nested
    JSON objects are flattened into dotted names (``via.channel``). Of a file holding several
    tables (a sync tool's streams), the first."""
    return read_tables(path, fmt, options)[0].frame


def read_tables(path: str, fmt: str, options: Options = Options()) -> list[Table]:
    """The tables of a file: one, or one per stream of a sync tool's envelope (unwrapped, with a
    note saying so); see :func:`read`. A gzip file, standard input or a ``--encoding`` file is
    read from its plain UTF-8 copy (:mod:`.compressed`), made once, never held whole."""
    source = compressed.plain_file(path, options.encoding if fmt not in BINARY else None)
    if fmt in ("csv", "tsv"):
        separator = "\t" if fmt == "tsv" else options.separator or sniff_separator(path, source)
        frame = pl.scan_csv(source, infer_schema=False, separator=separator, glob=False)
        if envelopes.RAW_DATA in frame.collect_schema().names():
            return [documents.raw_table(path, frame.select(envelopes.RAW_DATA).collect().to_series().to_list())]
        return [Table(frame)]
    if fmt == "parquet":
        return [Table(pl.scan_parquet(source, glob=False))]
    if fmt == "xlsx":
        return [Table(spreadsheets.read_sheet(path, source))]
    text = Path(source).read_bytes()
    if fmt == "jsonl":
        return documents.json_lines_tables(path, text, options.source)
    return documents.json_tables(path, text, options.source)


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
    """The whole input in memory (decompressed; standard input spooled first): for small
    inputs only, such as an orders file on standard input."""
    return Path(compressed.plain_file(path)).read_bytes()


def check_field_counts(path: str, fmt: str, separator: str | None = None, encoding: str | None = None) -> None:
    """Raise a DataError naming the first row whose number of fields differs from the header's,
    a quoted field left open at the end of the file, or a line that is not text in the expected
    encoding (:mod:`.rowcheck`: one read in blocks, constant memory, any size, quoted or not;
    gzip files, standard input and ``--encoding`` files through their plain copy).

    polars pads a short row with nulls, so without this a truncated row would pass silently.
    """
    if fmt not in ("csv", "tsv"):
        return
    plain = compressed.plain_file(path, encoding)
    delimiter = "\t" if fmt == "tsv" else separator or sniff_separator(path, plain)
    rowcheck.check(path, plain, delimiter)


def diagnose_text(path: str, fmt: str) -> str | None:
    """After polars failed to read a CSV/TSV or JSON Lines file: find the first bad row, since
    polars reports byte offsets at best. Returns a message naming file and row, or None.
    Streams the file (or its plain copy: gzip, standard input)."""
    if fmt in BINARY:
        return None
    try:
        plain = compressed.spooled_stdin() if path == STDIN else compressed.plain_file(path)
    except (OSError, DataError, UsageError):
        return None
    if plain is None:
        return None
    if fmt == "jsonl":
        return _first_bad_json_line(path, plain)
    found = rowcheck.problem(plain, "\t" if fmt == "tsv" else sniff_separator(path, plain))
    return f"{path}: {found}" if found else None


def _first_bad_json_line(path: str, plain: str) -> str | None:
    with open(plain, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                return f"{path}: {rowcheck.not_utf8(number)}"
            if text.strip():
                try:
                    json.loads(text)
                except ValueError as exc:
                    return f"{path}: line {number}: not a JSON object ({exc})"
    return None
