"""Inputs that polars cannot scan where they are (gzip files, standard input, text in another
encoding) copied once, block by block, to a plain UTF-8 temporary file that the probe, the
reader and the row check then share.

Nothing is held whole in memory: a gzip file is decompressed as a stream (once per run, never
into memory), standard input is spooled as it arrives, and a ``--encoding`` file is recoded on
the way. The copies live in one temporary directory of the process (``$TMPDIR``), removed when
the process ends (or by :func:`release`).

A gzip input may decompress to at most ``SUPPORTKPI_GZIP_RATIO`` (default 200) times its
compressed size, counted as at least 1 MiB: real exports compress 5 to 20 times, a gzip bomb
about 1000 times, and is stopped as soon as it passes the limit.
"""

from __future__ import annotations

import atexit
import codecs
import gzip
import os
import shutil
import sys
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TypeGuard

from supportkpi.errors import DataError, UsageError

STDIN = "-"
RATIO_VARIABLE = "SUPPORTKPI_GZIP_RATIO"
DEFAULT_RATIO = 200
BUDGET_FLOOR = 1 << 20
"""The compressed size a limit is computed from is at least this: a small file may always
decompress to ``ratio`` MiB."""
BLOCK_BYTES = 1 << 20

_copies: dict[tuple[object, ...], str] = {}
_stdin: list[tuple[object, str]] = []  # (the stdin object spooled, its copy): keeps it alive
_folder: list[str] = []


def recodes(encoding: str | None) -> TypeGuard[str]:
    """Whether text in ``encoding`` must be recoded to be read as UTF-8."""
    return encoding is not None and encoding.replace("-", "").replace("_", "").lower() != "utf8"


def is_gzip(path: str) -> bool:
    return path != STDIN and path.lower().endswith(".gz")


def plain_file(path: str, encoding: str | None = None) -> str:
    """A file holding the input's bytes as plain text (UTF-8 when ``encoding`` is given): the
    file itself when it is one already, else a copy made once per run (``-``: standard input,
    spooled). Raises DataError for a damaged gzip file or one past the decompression limit."""
    if path != STDIN and not is_gzip(path) and not recodes(encoding):
        return path
    key: tuple[object, ...]
    if path == STDIN:
        raw, key = _stdin_copy(), ("stdin", id(sys.stdin))
    else:
        stat = os.stat(path)
        raw, key = path, (os.path.realpath(path), stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    wanted = (*key, _encoding_key(encoding))
    if wanted in _copies and os.path.exists(_copies[wanted]):
        return _copies[wanted]
    if path == STDIN and not recodes(encoding):
        return raw
    copy = _new_copy(path)
    try:
        with open(copy, "wb") as out:
            blocks = gunzip(path) if is_gzip(path) else _blocks(raw)
            for block in _recoded(path, blocks, encoding) if recodes(encoding) else blocks:
                out.write(block)
    except BaseException:
        os.unlink(copy)
        raise
    _copies[wanted] = copy
    return copy


def spooled_stdin() -> str | None:
    """The copy of the standard input this process has spooled, if any (it cannot be read
    again)."""
    return next((copy for stream, copy in _stdin if stream is sys.stdin), None)


def head(path: str, size: int) -> bytes:
    """The first ``size`` bytes of the input (decompressed for ``.gz``; standard input is
    spooled first). Reads no further."""
    if path == STDIN:
        path = _stdin_copy()
    elif is_gzip(path):
        try:
            with gzip.open(path, "rb") as stream:
                return stream.read(size)
        except (OSError, EOFError, zlib.error):
            return b""  # the reader names the damage
    with open(path, "rb") as handle:
        return handle.read(size)


def gunzip(path: str) -> Iterator[bytes]:
    """The decompressed blocks of a gzip file, stopped with a DataError past the limit."""
    ratio = ratio_limit()
    limit = ratio * max(os.path.getsize(path), BUDGET_FLOOR)
    total = 0
    try:
        with gzip.open(path, "rb") as stream:
            while block := stream.read(BLOCK_BYTES):
                total += len(block)
                if total > limit:
                    raise DataError(
                        f"{path}: decompresses to more than {_size(limit)}, {ratio} times its compressed size "
                        "(a gzip bomb, or an export that compresses unusually well?); to read it anyway, raise "
                        f"the limit with the environment variable {RATIO_VARIABLE} (e.g. {RATIO_VARIABLE}={ratio * 10})"
                    )
                yield block
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(f"{path}: not a readable gzip file ({exc})") from None


def ratio_limit() -> int:
    """The decompression limit: ``$SUPPORTKPI_GZIP_RATIO`` times the compressed size."""
    value = os.environ.get(RATIO_VARIABLE, "").strip()
    if not value:
        return DEFAULT_RATIO
    if not value.isdigit() or int(value) < 1:
        raise UsageError(f"{RATIO_VARIABLE}={value!r}: expected a whole number of times, e.g. {DEFAULT_RATIO}")
    return int(value)


def release() -> None:
    """Remove every copy made so far (they are removed at exit anyway); for long-running
    Python callers between runs."""
    for folder in _folder:
        shutil.rmtree(folder, ignore_errors=True)
    _folder.clear()
    _copies.clear()
    _stdin.clear()


def _stdin_copy() -> str:
    """Standard input spooled to a file, block by block, once per stdin object."""
    spooled = spooled_stdin()
    if spooled is not None and os.path.exists(spooled):
        return spooled
    copy = _new_copy("stdin")
    source: BinaryIO = sys.stdin.buffer
    try:
        with open(copy, "wb") as out:
            shutil.copyfileobj(source, out, BLOCK_BYTES)
    except BaseException:
        os.unlink(copy)
        raise
    _stdin.append((sys.stdin, copy))
    return copy


def _blocks(path: str) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        while block := handle.read(BLOCK_BYTES):
            yield block


def _recoded(path: str, blocks: Iterator[bytes], encoding: str) -> Iterator[bytes]:
    try:
        decoder = codecs.getincrementaldecoder(encoding)()
    except LookupError:
        raise UsageError(f"--encoding '{encoding}': unknown encoding (e.g. utf-8, windows-1252, latin-1)") from None
    done = 0
    try:
        for block in blocks:
            yield decoder.decode(block).encode("utf-8")
            done += len(block)
        yield decoder.decode(b"", final=True).encode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not readable as {encoding} at byte {done + exc.start}") from None


def _encoding_key(encoding: str | None) -> str | None:
    return encoding.replace("-", "").replace("_", "").lower() if recodes(encoding) else None


def _new_copy(path: str) -> str:
    if not _folder:
        _folder.append(tempfile.mkdtemp(prefix="supportkpi-inputs-"))
        atexit.register(shutil.rmtree, _folder[0], ignore_errors=True)
    handle, name = tempfile.mkstemp(dir=_folder[0], prefix=Path(path).name.removesuffix(".gz") + "-")
    os.close(handle)
    return name


def _size(count: int) -> str:
    """A byte count for a message.

    >>> _size(200 * 2**20), _size(3 * 2**30)
    ('200 MiB', '3.0 GiB')
    """
    return f"{count / 2**30:.1f} GiB" if count >= 2**30 else f"{count // 2**20} MiB"
