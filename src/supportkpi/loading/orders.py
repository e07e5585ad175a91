"""The orders table of ``clv``: read as text columns named customer_id, ordered_at and
order_value (and order_id if present); :mod:`supportkpi.clv` types and checks the values."""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence

import polars as pl

from supportkpi.clv import ORDER_COLUMNS
from supportkpi.errors import DataError, UsageError, first_line
from supportkpi.loading import readers
from supportkpi.schema import column_spelling

OPTIONAL_COLUMNS = ("order_id",)


def orders_mapping(pairs: Sequence[str]) -> dict[str, str]:
    """``--orders-map order_value=Total`` pairs: canonical name -> header."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, header = (p.strip() for p in pair.partition("="))
        if not sep or not name or not header:
            raise UsageError(f"--orders-map '{pair}': expected name=Header, e.g. order_value='Order total'")
        if name not in (*ORDER_COLUMNS, *OPTIONAL_COLUMNS):
            raise UsageError(
                f"--orders-map '{pair}': '{name}' is not a column of the orders table "
                f"(expected one of {', '.join((*ORDER_COLUMNS, *OPTIONAL_COLUMNS))})"
            )
        out[name] = header
    return out


def read_orders(
    path: str,
    fmt: str | None,
    *,
    encoding: str | None = None,
    separator: str | None = None,
    renames: dict[str, str] | None = None,
) -> tuple[pl.LazyFrame, str | None, str | None]:
    """The orders file as a lazy frame of text columns named customer_id, ordered_at,
    order_value (headers matched ignoring case and spaces, or named with ``renames``), with its
    format and CSV separator. Raises a DataError naming the columns it lacks."""
    sep = separator.encode().decode("unicode_escape") if separator else None
    options = readers.Options(encoding=encoding, separator=sep)
    try:
        if path == readers.STDIN:
            data = readers.read_bytes(path)
            fmt = fmt or readers.detect_format(path, data)
            stdin, sys.stdin = sys.stdin, io.TextIOWrapper(io.BytesIO(data))
            try:
                frame = readers.read(readers.STDIN, fmt, options)
            finally:
                sys.stdin = stdin
        else:
            assert fmt is not None
            frame = readers.read(path, fmt, options)
            if fmt == "csv" and sep is None and not path.lower().endswith(".gz"):
                sep = readers.sniff_separator(path, path)
        names = list(frame.collect_schema().names())
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as exc:
        raise DataError(
            (readers.diagnose_text(path, fmt) if fmt else None) or f"{path}: cannot read as {fmt}: {first_line(exc)}"
        ) from None
    wanted = (*ORDER_COLUMNS, *OPTIONAL_COLUMNS)
    chosen = dict(renames or {})
    for canonical, header in chosen.items():
        if header not in names:
            raise DataError(
                f"{path}: no column '{header}' to map onto '{canonical}' (columns in the file: {', '.join(names)})"
            )
    for name in names:
        key = column_spelling(name)
        if key in wanted and key not in chosen and name not in chosen.values():
            chosen[key] = name
    missing = [c for c in ORDER_COLUMNS if c not in chosen]
    if missing:
        raise DataError(
            f"{path}: the orders lack required column(s) {', '.join(missing)} "
            f"(columns in the file: {', '.join(names) or 'none'}); name them with --orders-map "
            f"{missing[0]}=HEADER"
        )
    readers.check_field_counts(path, fmt, sep, encoding)
    return frame.select(pl.col(header).alias(canonical) for canonical, header in chosen.items()), fmt, sep
