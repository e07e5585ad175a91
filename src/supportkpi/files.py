"""Writing the files a run produces, without ever destroying one.

Every report, JUnit file and starter kpi.yaml is written by :func:`write_atomically`: into a
temporary file beside the target, flushed and synced, then renamed over it. A write that fails
midway (disk full, a file-size limit, an interrupt) leaves the previous file as it was and no
temporary file behind. :func:`refuse_clobbering` stops a run, before it reads anything, whose
output would land on one of its inputs, its kpi.yaml or another of its outputs.

A failed write is one line and an exit code (docs/cli-conventions.md): a report that cannot be
written (its directory missing, permission denied, disk full, a file-size limit) is exit 3;
``init``, whose only job is its file, makes it a usage error (exit 2).
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

from supportkpi.errors import DataError, SupportKpiError, UsageError

CHUNK = 1 << 20
"""Bytes per write call: a large report is written in pieces, so a full disk stops it early."""


def write_atomically(
    path: str | os.PathLike[str],
    content: str | bytes,
    *,
    overwrite: bool = True,
    failure: type[SupportKpiError] = DataError,
) -> None:
    """Write ``content`` (text as UTF-8) to ``path`` all at once or not at all.

    An existing file keeps its permissions and stays untouched until the new content is
    complete on disk; a symbolic link keeps pointing where it did (its target is replaced).
    A file that is not a regular one (``/dev/null``, a named pipe) is written to directly.
    ``overwrite=False`` raises :class:`FileExistsError` when ``path`` exists, atomically too.
    Any other failure is a ``failure`` (default :class:`~supportkpi.errors.DataError`, exit 3)
    naming the path and the reason.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     target = Path(folder) / "report.csv"
    ...     write_atomically(target, "a,b\\n")
    ...     write_atomically(target, "c,d\\n")
    ...     target.read_text(), sorted(p.name for p in Path(folder).iterdir())
    ('c,d\\n', ['report.csv'])
    """
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    shown = os.fspath(path)
    target = os.path.realpath(shown)  # through symbolic links: the link stays a link
    try:
        existing = os.stat(target)
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise _failure(shown, exc, None, failure) from None
    if existing is not None:
        if not overwrite:
            raise FileExistsError(errno.EEXIST, "File exists", shown)
        if stat.S_ISDIR(existing.st_mode):
            raise failure(f"{shown}: cannot write it (a directory; give a file name)")
        if not stat.S_ISREG(existing.st_mode):
            _write_in_place(shown, target, data, failure)
            return
        if not os.access(target, os.W_OK):
            # rename would replace a read-only file; open() would refuse, and so do we
            raise _failure(shown, PermissionError(errno.EACCES, os.strerror(errno.EACCES)), existing, failure)
    temporary = _temporary_name(target)
    try:
        _write_file(temporary, data, None if existing is None else stat.S_IMODE(existing.st_mode))
        if overwrite:
            os.replace(temporary, target)
        else:
            _link_new(temporary, target)
    except BaseException as exc:
        _remove(temporary)
        if isinstance(exc, FileExistsError) and not overwrite:
            raise FileExistsError(errno.EEXIST, "File exists", shown) from None
        if isinstance(exc, OSError):
            raise _failure(shown, exc, existing, failure) from None
        raise
    _sync_directory(os.path.dirname(target))


def _temporary_name(target: str) -> str:
    """A hidden name beside ``target`` (same file system, so the rename is atomic), that a glob
    such as ``*.csv`` does not pick up."""
    folder, name = os.path.split(target)
    return os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")


def _write_file(path: str, data: bytes, mode: int | None) -> None:
    # 0o666 lets the umask decide for a new file, as open() would; an existing file's mode is kept
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        view = memoryview(data)
        while view:
            written = os.write(fd, view[:CHUNK])
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)


def _link_new(temporary: str, target: str) -> None:
    """The complete temporary file under ``target`` only if no file is there (no overwrite)."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: create exclusively, then fill
        with open(temporary, "rb") as source:
            data = source.read()
        try:
            _write_file(target, data, None)
        except FileExistsError:
            raise
        except BaseException:
            _remove(target)
            raise
    _remove(temporary)


def _write_in_place(shown: str, target: str, data: bytes, failure: type[SupportKpiError]) -> None:
    """A device or a pipe (``-o /dev/null``): nothing to rename over, written as it is."""
    try:
        with open(target, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise _failure(shown, exc, None, failure) from None


def _sync_directory(folder: str) -> None:
    """The rename on disk too (best effort: not every system can sync a directory)."""
    try:
        fd = os.open(folder or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _failure(
    shown: str, exc: OSError, existing: os.stat_result | None, failure: type[SupportKpiError]
) -> SupportKpiError:
    reason = exc.strerror or str(exc)
    if exc.errno == errno.EFBIG:
        reason += ": the file-size limit (ulimit -f) is lower than the report"
    folder = os.path.dirname(shown) or "."
    if exc.errno == errno.ENOENT and not os.path.isdir(folder):
        reason += f": there is no directory {folder}"
    kept = "; the previous file is unchanged" if existing is not None else ""
    return failure(f"{shown}: cannot write it ({reason}){kept}")


# -- outputs that would overwrite what a run reads ---------------------------------------


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name one file: the same path once symbolic links are resolved, or one
    existing file under two names (a hard link, another spelling of the same directory).

    >>> same_file("a/../b.csv", "b.csv"), same_file("a.csv", "b.csv")
    (True, False)
    """
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        first, second = os.stat(a), os.stat(b)
    except OSError:
        return False
    return stat.S_ISREG(first.st_mode) and (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


def refuse_clobbering(outputs: Iterable[tuple[str, str]], reads: Iterable[tuple[str, str]]) -> None:
    """A usage error (exit 2, naming both paths) when an output, given as (what, path) such as
    ``("--output", "report.csv")``, is one of the files the run reads or another output.

    >>> refuse_clobbering([("--output", "x.csv"), ("--junit", "./x.csv")], [])
    Traceback (most recent call last):
    ...
    supportkpi.errors.UsageError: --junit ./x.csv and --output x.csv are the same file; write each to its own file
    """
    seen: list[tuple[str, str]] = []
    reads = list(reads)
    for what, path in outputs:
        for read_what, read_path in reads:
            if same_file(path, read_path):
                raise UsageError(
                    f"{what} {path} would overwrite {read_what} {read_path}{_linked(path, read_path)}, "
                    "which this run reads; choose another file"
                )
        for other_what, other_path in seen:
            if same_file(path, other_path):
                raise UsageError(
                    f"{what} {path} and {other_what} {other_path} are the same file; write each to its own file"
                )
        seen.append((what, path))


def _linked(path: str, other: str) -> str:
    return "" if os.path.abspath(path) == os.path.abspath(other) else " (the same file)"


def existing_files(paths: Iterable[str]) -> list[str]:
    """The paths that name an existing file (inputs that are not there cannot be overwritten)."""
    return [p for p in paths if Path(p).exists() and not Path(p).is_dir()]
