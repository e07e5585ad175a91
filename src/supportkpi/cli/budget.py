"""polars' out-of-core memory budget for bounded runs, set before polars is imported.

polars reads ``POLARS_OOC_MEMORY_BUDGET_MB`` once, when it loads (setting it later has no effect).
Without it the streaming KPI pass over 100M rows buffered 4.8 GiB, with a 1 GiB budget 1.3 GiB;
but an in-memory run with it is eight times slower, since polars then spills the data it holds.
So the command line decides from its arguments, before anything imports polars, whether the run
will be bounded: ``--memory bounded``, or ``auto`` with inputs estimated above
``IN_MEMORY_ROWS`` rows (the loader's estimate, made here without polars: a Parquet footer's row
count, or a text file's size over the mean length of its first lines). The same rule for every
command that takes ``--memory`` (``MEMORY_COMMANDS``): the files among its arguments add up,
``compare``'s sides (``name=path`` too) as the engine adds them up. The other commands always
run in memory, so they never get the budget. A budget the user set is kept. (It used to
restart itself through ``os.execve`` once the loader had decided.)
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Sequence

OUT_OF_CORE_BUDGET = "POLARS_OOC_MEMORY_BUDGET_MB"
BOUNDED_BUDGET_MB = "1024"
IN_MEMORY_ROWS = 10_000_000
"""The same threshold as ``supportkpi.engine.IN_MEMORY_ROWS`` (which loads polars; a test
checks that they agree)."""
MEMORY_COMMANDS = ("compute", "check", "scorecard", "compare", "forecast")
"""The commands that take ``--memory`` and can run bounded."""
NOT_INPUTS = ("-o", "--output", "--junit", "-c", "--config", "--benchmark")
"""Options whose value is a file but not an export to read."""
HEAD_BYTES = 65536
_TEXT = (".csv", ".tsv", ".txt")


def prepare(args: Sequence[str]) -> bool:
    """Set the budget in the environment when the command line ``args`` ask for a bounded run
    and polars is not loaded yet; whether it is set (by the user or here) when polars loads."""
    if OUT_OF_CORE_BUDGET in os.environ:
        return True
    if "polars" in sys.modules or command(args) not in MEMORY_COMMANDS:
        return False
    memory = option_value(args, "--memory") or "auto"
    if memory == "bounded" or (memory == "auto" and estimated_rows(args) > IN_MEMORY_ROWS):
        os.environ[OUT_OF_CORE_BUDGET] = BOUNDED_BUDGET_MB
        return True
    return False


def command(args: Sequence[str]) -> str | None:
    """The command the arguments run: the first that is not a flag (the program's own options,
    ``--debug`` and ``--version``, take no value).

    >>> command(["--debug", "check", "a.csv"]), command(["--version"])
    ('check', None)
    """
    return next((arg for arg in args if not arg.startswith("-")), None)


def option_value(args: Sequence[str], name: str) -> str | None:
    """The value of option ``name`` in ``args`` (``--name value`` or ``--name=value``; the last
    one wins, as the parser has it).

    >>> option_value(["compute", "a.csv", "--memory", "bounded"], "--memory")
    'bounded'
    >>> option_value(["compute", "--memory=in-memory"], "--memory"), option_value(["x"], "--memory")
    ('in-memory', None)
    """
    value = None
    end = list(args).index("--") if "--" in args else len(args)
    for i, arg in enumerate(args[:end]):
        if arg == name and i + 1 < end:
            value = args[i + 1]
        elif arg.startswith(name + "="):
            value = arg.split("=", 1)[1]
    return value


def estimated_rows(args: Sequence[str]) -> int:
    """The rows of the existing files among ``args``, as far as they can be told without
    reading them (compressed files, directories and standard input count nothing). A side of
    ``compare`` named ``name=path`` counts its file, and a glob the shell did not expand its
    files, as the commands read them: the sides of a comparison add up, as in the engine."""
    total = 0
    for before, arg in zip(["", *args], args, strict=False):
        if before in NOT_INPUTS:
            continue  # a report or kpi.yaml, not an export: `-o last.csv` counts nothing
        for path in _files(arg):
            try:
                lower = path.lower()
                if lower.endswith(".parquet"):
                    total += parquet_rows(path)
                elif lower.endswith(_TEXT):
                    total += text_rows(path)
            except (OSError, ValueError, IndexError):
                continue
    return total


def _files(arg: str) -> list[str]:
    """The files an argument names: itself, the path of ``name=path``, or a glob's matches.

    >>> _files("--by"), _files("Acme=no/such.csv")
    ([], [])
    """
    if arg.startswith("-"):
        return []
    if os.path.isfile(arg):
        return [arg]
    name, sep, path = arg.partition("=")
    if sep and name and os.path.isfile(path):
        return [path]
    if any(c in arg for c in "*?["):
        return sorted(p for p in glob.glob(arg, recursive=True) if os.path.isfile(p))
    return []


def text_rows(path: str) -> int:
    """A text file's size over the mean length of the lines in its first 64 KiB."""
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    lines = head.count(b"\n")
    return size // max(len(head) // lines, 1) if lines else 1


def parquet_rows(path: str) -> int:
    """The row count in a Parquet file's footer (``FileMetaData.num_rows``, Thrift compact)."""
    with open(path, "rb") as fh:
        fh.seek(-8, os.SEEK_END)
        tail = fh.read(8)
        if tail[4:] != b"PAR1":
            raise ValueError("not a Parquet file")
        length = int.from_bytes(tail[:4], "little")
        fh.seek(-8 - length, os.SEEK_END)
        footer = _Compact(fh.read(length))
    field = 0
    while True:
        header = footer.byte()
        if header == 0:
            raise ValueError("no num_rows in the footer")
        kind, delta = header & 0x0F, header >> 4
        field = field + delta if delta else footer.zigzag()
        if field == 3 and kind == 6:
            return footer.zigzag()
        footer.skip(kind)


class _Compact:
    """Just enough of the Thrift compact protocol to skip to a field."""

    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def byte(self) -> int:
        self.at += 1
        return self.data[self.at - 1]

    def varint(self) -> int:
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return result

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def skip(self, kind: int) -> None:
        if kind in (1, 2):  # booleans are in the field header
            return
        if kind == 3:
            self.at += 1
        elif kind in (4, 5, 6):
            self.varint()
        elif kind == 7:
            self.at += 8
        elif kind == 8:
            length = self.varint()  # read before self.at is (``self.at += ...`` would lose it)
            self.at += length
        elif kind in (9, 10):
            header = self.byte()
            size = header >> 4 if header >> 4 != 15 else self.varint()
            for _ in range(size):
                self.skip_element(header & 0x0F)
        elif kind == 11:
            size = self.varint()
            if size:
                types = self.byte()
                for _ in range(size):
                    self.skip_element(types >> 4)
                    self.skip_element(types & 0x0F)
        elif kind == 12:
            while (header := self.byte()) != 0:
                if not header >> 4:
                    self.zigzag()
                self.skip(header & 0x0F)
        else:
            raise ValueError(f"unknown Thrift type {kind}")

    def skip_element(self, kind: int) -> None:
        """A list's or map's element: booleans take a byte there."""
        if kind in (1, 2):
            self.at += 1
        else:
            self.skip(kind)
