"""A typed copy of the input on disk, for runs that read their input several times.

Bounded-memory runs (:mod:`supportkpi.engine`, inputs above ``engine.IN_MEMORY_ROWS`` rows)
make several streaming passes: the KPIs, each duration's histogram and its values, duplicate
ids, the data-quality counts. Parsing a CSV export again for each pass would cost more than all
the rest, so the input is parsed and typed once, streamed into a Parquet file in a temporary
directory (``$TMPDIR``), and every pass reads only the columns it needs from there. The file is
deleted when the run ends. Parquet inputs are copied too: typing them again in each pass (the
data-quality flags above all) took longer than the copy (10M rows: 29 s against 28 s).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from supportkpi.errors import DataError


@contextmanager
def on_disk(frame: pl.LazyFrame) -> Iterator[pl.LazyFrame]:
    """``frame`` written once (streaming) and scanned back, for the length of the ``with``."""
    with tempfile.TemporaryDirectory(prefix="supportkpi-") as directory:
        path = Path(directory) / "contacts.parquet"
        try:
            # lz4: fast to write and read back; the file lives only for this run
            frame.sink_parquet(path, compression="lz4")
        except OSError as exc:
            raise DataError(
                f"cannot write the temporary copy of the input in {directory}: {exc.strerror or exc}; "
                "a large input needs free space about the size of the input (set TMPDIR to use "
                "another disk)"
            ) from None
        yield pl.scan_parquet(path)
