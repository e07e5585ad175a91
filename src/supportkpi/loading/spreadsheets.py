"""Spreadsheet workbooks (``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``), read with the optional
``fastexcel`` package (the calamine engine polars uses for ``read_excel``).

The first sheet that holds data is read, its first row as the header, and every cell as text:
numbers as they read (``3``, ``12.5``), cells Excel stores as dates (a serial number with a date
format) as ISO text (``2024-01-01 10:30:00``). The tool's own typing then reads the text as it
reads a CSV file's, with the same reports of bad values.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import polars as pl

from supportkpi.errors import DataError, UsageError

INSTALL = "pip install 'supportkpi[excel]'"
"""How to get the optional dependency that reads workbooks."""

ZIP_MAGIC = b"PK\x03\x04"
"""An .xlsx, .xlsm or .ods file is a zip archive."""
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
"""A legacy .xls file is an OLE compound document."""


def is_workbook(head: bytes) -> bool:
    """Whether the first bytes are a workbook's (a zip archive or an OLE document).

    >>> is_workbook(b"PK\\x03\\x04..."), is_workbook(b"ticket_id,created_at")
    (True, False)
    """
    return head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC)


def read_sheet(path: str, source: str) -> pl.LazyFrame:
    """The first sheet of the workbook at ``source`` that holds data, every cell as text
    (``path`` names the input in messages). A run looks at an input several times (its headers
    for detection, then its rows): a workbook, which cannot be scanned lazily, is read once."""
    stat = os.stat(source)
    return _read_once(path, os.path.realpath(source), stat.st_size, stat.st_mtime_ns).lazy()


@functools.lru_cache(maxsize=4)
def _read_once(path: str, source: str, size: int, modified: int) -> pl.DataFrame:
    """The sheet's frame, kept for the few workbooks of a run (the key: the file as it is now)."""
    try:
        import fastexcel  # deferred: optional, and loaded only for a workbook
    except ImportError:
        raise UsageError(
            f"{path}: reading a spreadsheet workbook needs the optional 'fastexcel' package: {INSTALL}"
        ) from None
    try:
        reader = fastexcel.read_excel(Path(source).read_bytes())
        header_only = None
        for name in reader.sheet_names:  # the first sheet with rows; else one with a header only
            sheet = reader.load_sheet(name, dtypes="string")
            if sheet.width > 0 and sheet.height > 0:
                return _as_text(sheet.to_polars())
            header_only = header_only or (sheet if sheet.width > 0 else None)
    except (fastexcel.FastExcelError, OSError) as exc:
        raise DataError(f"{path}: cannot read as a spreadsheet workbook: {str(exc).splitlines()[0]}") from None
    if header_only is None:
        raise DataError(f"{path}: the workbook holds no sheet with data")
    return _as_text(header_only.to_polars())


def _as_text(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.all().cast(pl.String))
