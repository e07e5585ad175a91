"""One look at an input file before it is read: its format, encoding, separator, quoting, header
and size, found once and handed to every later step (interval-report detection, reading, the
decimal comma, the field-count check, the input's row estimate), so that no step opens and
sniffs the file again for what another already knows.

A file is opened once for its first ``HEAD_BYTES`` (decompressed for ``.gz``, as a stream:
only the head); standard input, which cannot be read twice, is spooled to a temporary file
first (:mod:`.compressed`), never held whole. Parquet's header and row count come from its
footer.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass

import polars as pl

from supportkpi.errors import DataError
from supportkpi.loading import compressed, readers

HEAD_BYTES = 65536
"""How much of a file the probe reads: enough for the header and a row-length estimate."""


@dataclass(frozen=True)
class Probe:
    """What one look at an input told (None where the probe cannot tell without reading more)."""

    path: str
    format: str
    encoding: str | None = None
    """As given (``--encoding``); None is UTF-8."""
    separator: str | None = None
    """The field separator of CSV/TSV: given, else sniffed from the header line."""
    sniffed: bool = False
    """Whether ``separator`` was sniffed (not given) from a plain file's header line; the
    decimal comma defaults on only then (for a ``;`` separator)."""
    quoting: bool = False
    """Whether the first ``HEAD_BYTES`` hold a quote character (fields may hold separators)."""
    header: tuple[str, ...] | None = None
    """The column names as the reader will see them (CSV/TSV from the head, Parquet from its
    footer; JSON: None, known only once the document is read)."""
    estimated_rows: int | None = None
    """Rows the file holds before reading it (see :func:`estimate_rows`)."""
    envelope: str | None = None
    """The sync tool's envelope a JSON Lines file is wrapped in, when one is recognised."""


def probe(
    path: str, input_format: str | None = None, encoding: str | None = None, separator: str | None = None
) -> Probe:
    """Look at ``path`` once (``-``: standard input, spooled). ``separator`` is the
    ``--separator`` character (escapes already read)."""
    if path == readers.STDIN:
        head, size = compressed.head(path, HEAD_BYTES), None
        fmt = input_format or readers.detect_format(path, head)
    else:
        fmt = input_format or readers.detect_format(path)
        head, size = _head(path) if fmt not in readers.BINARY else (b"", None)
    if fmt in readers.BINARY:
        encoding = None  # a workbook or Parquet file holds its own encoding
    elif encoding is None:
        encoding = bom_encoding(head)  # UTF-16/32 as Excel and Windows tools save "Unicode text"
    text = _as_utf8(head, encoding)
    nul = text.find(b"\x00") if text is not None and fmt not in readers.BINARY else -1
    if nul >= 0:
        # text exports hold no NUL byte: a binary file, or a damaged one (polars would abort)
        raise DataError(
            f"{path}: not a text export: it holds NUL bytes (the first at byte {nul}); "
            "a binary or damaged file? (UTF-16 text needs its byte-order mark, or --encoding utf-16)"
        )
    sep = _separator(fmt, text if text is not None else head, separator)
    sniffed = fmt == "csv" and separator is None and path != readers.STDIN and not _compressed(path)
    header, rows = None, None
    if fmt == "parquet":
        header, rows = _parquet(path)
    elif fmt in ("csv", "tsv") and sep is not None:
        if text is not None:
            header = _text_header(text, sep, complete=size is not None and size <= len(head))
        if size is not None and not _compressed(path):
            rows = estimate_rows(head, size)
    return Probe(
        path=path,
        format=fmt,
        encoding=encoding,
        separator=sep,
        sniffed=sniffed,
        quoting=b'"' in head,
        header=header,
        estimated_rows=rows,
    )


_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark names (UTF-16 or UTF-32), or None.

    >>> bom_encoding("a,b".encode("utf-16")), bom_encoding(b"a,b")
    ('utf-16-le', None)
    """
    return next((name for bom, name in _BOMS if head.startswith(bom)), None)


def estimate_rows(head: bytes, size: int) -> int:
    """Rows of a text file of ``size`` bytes from the mean length of the lines in its head.

    >>> estimate_rows(b"a,b\\n1,2\\n", 8000)
    2000
    """
    lines = head.count(b"\n")
    return size // max(len(head) // lines, 1) if lines else 1


def _compressed(path: str) -> bool:
    return path != readers.STDIN and path.lower().endswith(".gz")


def _head(path: str) -> tuple[bytes, int | None]:
    """The first bytes of a file (decompressed for .gz) and its size on disk (None for .gz).
    A file that cannot be read gives no head: the reader reports why, with its own message."""
    try:
        size = None if _compressed(path) else os.path.getsize(path)
        return compressed.head(path, HEAD_BYTES), size
    except OSError:
        return b"", None


def _separator(fmt: str, head: bytes, given: str | None) -> str | None:
    if fmt == "tsv":
        return "\t"
    if fmt != "csv":
        return None
    return given or readers.sniff_separator("", io.BytesIO(head))


def _as_utf8(head: bytes, encoding: str | None) -> bytes | None:
    """The head as UTF-8 (cut characters at its end dropped); None for an unknown encoding,
    which the reader reports as a usage error."""
    if not readers.recodes(encoding):
        return head
    try:
        return head.decode(encoding, errors="ignore").encode("utf-8")
    except LookupError:
        return None


def _text_header(head: bytes, separator: str, complete: bool) -> tuple[str, ...] | None:
    """The header of CSV/TSV as polars reads it, from the head's complete lines (UTF-8)."""
    if not complete:
        end = head.rfind(b"\n")
        if end < 0:
            return None  # a header longer than the head: the reader will tell
        head = head[: end + 1]
    try:
        frame = pl.read_csv(io.BytesIO(head), n_rows=0, infer_schema=False, separator=separator)
    except (pl.exceptions.PolarsError, UnicodeDecodeError):
        return None
    return tuple(frame.columns)


def _parquet(path: str) -> tuple[tuple[str, ...] | None, int | None]:
    try:
        scan = pl.scan_parquet(path, glob=False)
        return tuple(scan.collect_schema().names()), int(scan.select(pl.len()).collect().item())
    except (OSError, pl.exceptions.PolarsError):
        return None, None
