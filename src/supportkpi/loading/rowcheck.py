"""The row check of CSV/TSV: every row has as many fields as the header, no quoted field is
left open at the end of the file, and the text is UTF-8.

polars pads a short row with nulls, so without this a truncated export would be read as if its
last fields were empty. The check reads the file once, in blocks of ``BLOCK_BYTES``, in constant
memory whatever its size, quoted or not: per block, numpy finds the line breaks and separators
and, where the block holds quotes, which of them lie inside a quoted field (the parity of the
quotes before them: exact for CSV quoted as RFC 4180 and as helpdesks write it, where a quote
opens a field, is doubled inside one or closes it), then counts the separators of each row.

A quote inside an unquoted field (``12" screen``) shifts that parity, so a bad row found in a
file with quotes is confirmed by a second pass that also checks where every quote stands; a
file quoted otherwise is judged by Python's csv parser, streaming too. A good file costs one
pass. A field may be as large as ``FIELD_LIMIT`` (e-mail bodies of several MB are normal).
"""

from __future__ import annotations

import csv
import os
from typing import TYPE_CHECKING, TextIO

from supportkpi.errors import DataError

if TYPE_CHECKING:
    import numpy as np

BLOCK_BYTES = 8 << 20
SMALL_BYTES = 4 << 20
"""Files up to this size are checked by Python's csv parser alone (tens of milliseconds),
which spares a small export numpy's start-up (a fifth of a second)."""
FIELD_LIMIT = 256 * 1024 * 1024
"""The largest field the row check reads (Python's csv module stops at 128 KiB by default,
which a quoted e-mail body in a real export passes): as large as a field polars reads."""

_QUOTE, _NEWLINE, _RETURN = ord('"'), ord("\n"), ord("\r")
_BOM = b"\xef\xbb\xbf"
_TRUNCATED = "as in the header (a truncated or damaged export?)"
_OPEN_AT_END = "a quoted field is not closed before the end of the file (a truncated export?)"


def check(path: str, plain: str, separator: str) -> None:
    """Raise a DataError naming ``path`` and the first bad row of ``plain`` (the file's text as
    UTF-8: the file itself or its copy, :mod:`.compressed`)."""
    found = problem(plain, separator)
    if found:
        raise DataError(f"{path}: {found}")


def problem(plain: str, separator: str) -> str | None:
    """The first bad row of a CSV/TSV file as ``row N (line L): ...`` (rows counted from 1
    after the header, lines from 1 with the header), or None."""
    if os.path.getsize(plain) <= SMALL_BYTES:
        return _exact_problem(plain, separator)
    found, quoted = _blocks_problem(plain, ord(separator))
    if found and quoted:
        # A quote inside an unquoted field (12" screen) shifts the parity of every quote after
        # it: the row found is confirmed by a pass that checks the quoting, or by the csv parser.
        again, _ = _blocks_problem(plain, ord(separator), quoting=True)
        return _exact_problem(plain, separator) if again == _IRREGULAR else again
    return found


_IRREGULAR = "irregular quoting"


def _blocks_problem(plain: str, separator: int, quoting: bool = False) -> tuple[str | None, bool]:
    """The first bad row by the block check, and whether a quote was seen before it;
    ``quoting``: _IRREGULAR at the first block whose quotes are not all at field edges."""
    expected: int | None = None  # separators in the header row
    rows = lines = 0  # rows (the header is row 0) and line breaks before the current block
    carry = b""
    quoted = False
    with open(plain, "rb") as handle:
        while True:
            data = handle.read(BLOCK_BYTES)
            block = carry + data if carry else data
            if not data:
                if not block:
                    return None, quoted
                if block.count(b'"') % 2:
                    if quoting and not _quotes_regular(block, separator, rows == 0 and block.startswith(_BOM)):
                        return _IRREGULAR, True
                    where = f"row {rows} (line {lines + 1})" if rows else "the header"
                    return f"{where}: {_OPEN_AT_END}", True
                block += b"\n"  # the last row, without its line break
            found = _rows(block, separator, quoting, bom=rows == 0 and block.startswith(_BOM))
            if found == _IRREGULAR:
                return _IRREGULAR, True
            if found is None:  # no row ends in the block: a field longer than it
                carry = block
                continue
            assert not isinstance(found, str)
            cut, breaks, ends, counts, quotes = found
            quoted = quoted or quotes
            if expected is None:
                expected = int(counts[0])
            text_problem = _utf8_problem(block[:cut], lines)
            if text_problem:
                return text_problem, quoted
            bad = _first_bad(block, ends, counts, expected)
            if bad is not None:
                index, start, count = bad
                line = lines + block.count(b"\n", 0, start) + 1
                return (
                    f"row {rows + index} (line {line}): {count + 1} fields, expected {expected + 1} {_TRUNCATED}",
                    quoted,
                )
            rows += ends.size
            lines += breaks
            carry = block[cut:]
            if not data:
                return None, quoted


def _rows(
    block: bytes, separator: int, quoting: bool, bom: bool
) -> tuple[int, int, np.ndarray, np.ndarray, bool] | str | None:
    """The complete rows of a block (up to its last line break outside quotes, ``cut``): the
    line breaks before ``cut``, those ending rows, the rows' separator counts and whether the
    block holds a quote; None when no row ends in the block; _IRREGULAR (``quoting``)."""
    import numpy as np  # heavy: only large files come here

    a = np.frombuffer(block, np.uint8)
    breaks = np.flatnonzero(a == _NEWLINE)
    seps = np.flatnonzero(a == separator)
    quoted = block.find(b'"') >= 0
    ends = breaks
    if quoted:
        quote = a == _QUOTE
        packed = _inside_packed(quote)
        if quoting and not _regular(a, quote, _unpacked(packed, a.size), separator, bom):
            return _IRREGULAR
        ends = breaks[~_at(packed, breaks)]
        seps = seps[~_at(packed, seps)]
    if ends.size == 0:
        return None
    cut = int(ends[-1]) + 1
    counts = np.diff(np.searchsorted(seps, ends), prepend=0)
    return cut, int(np.searchsorted(breaks, cut)), ends, counts, quoted


def _quotes_regular(block: bytes, separator: int, bom: bool) -> bool:
    import numpy as np  # heavy: only large files come here

    a = np.frombuffer(block, np.uint8)
    quote = a == _QUOTE
    return _regular(a, quote, _unpacked(_inside_packed(quote), a.size), separator, bom)


def _inside_packed(quote: np.ndarray) -> np.ndarray:
    """Whether an odd number of quotes stands at or before each byte (inside a quoted field; at
    a quote: it opens one), as packed bits in 64-bit words: the parity of the running count by a
    prefix XOR within each word, then the carry of the words before; about 15 times faster than
    a running sum, and never unpacked to a byte per byte of the block."""
    import numpy as np  # heavy: only large files come here

    bits = np.packbits(quote, bitorder="little")
    bits = np.concatenate((bits, np.zeros(-bits.size % 8, np.uint8)))
    words = bits.view("<u8").copy()
    for shift in (1, 2, 4, 8, 16, 32):
        words ^= words << np.uint64(shift)
    before = np.bitwise_xor.accumulate(words >> np.uint64(63))  # parity at the end of each word
    words ^= np.concatenate(([np.uint64(0)], before[:-1])).astype(np.uint64) * np.uint64(2**64 - 1)
    return words.view(np.uint8)


def _at(packed: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The packed bits at some positions.

    >>> import numpy as np
    >>> quotes = np.array([0, 1, 0, 0, 1, 0, 1, 1, 0], bool)
    >>> _at(_inside_packed(quotes), np.arange(9)).astype(int).tolist()
    [0, 1, 1, 1, 0, 0, 1, 0, 0]
    """
    import numpy as np  # heavy: only large files come here

    return ((packed[positions >> 3] >> (positions & 7).astype(np.uint8)) & 1).astype(bool)


def _unpacked(packed: np.ndarray, size: int) -> np.ndarray:
    import numpy as np  # heavy: only large files come here

    return np.unpackbits(packed, count=size, bitorder="little").view(bool)


def _regular(a: np.ndarray, quote: np.ndarray, inside: np.ndarray, separator: int, bom: bool) -> bool:
    """Whether every quote opens a field (after a separator, a line break or the start), closes
    one (before a separator, a line break) or is doubled inside one: whole-array comparisons
    shifted by one byte."""
    before, after = a[:-1], a[1:]
    opens_well = (before == separator) | (before == _NEWLINE) | (before == _QUOTE)
    if bom:  # a quoted first header after the UTF-8 byte-order mark
        opens_well[len(_BOM) - 1] = True
    if (quote[1:] & inside[1:] & ~opens_well).any():
        return False
    closes_well = (after == separator) | (after == _NEWLINE) | (after == _RETURN) | (after == _QUOTE)
    return not (quote[:-1] & ~inside[:-1] & ~closes_well).any()  # a quote at the end: the block ends in it


def _first_bad(block: bytes, ends: np.ndarray, counts: np.ndarray, expected: int) -> tuple[int, int, int] | None:
    """The first row whose separators are not ``expected`` (blank lines aside): its index in
    the block, its first byte and its count."""
    import numpy as np  # heavy: only large files come here

    bad = counts != expected
    if not bad.any():
        return None
    starts = np.concatenate(([0], ends[:-1] + 1))
    length = ends - starts
    blank = (length == 0) | ((length == 1) & (np.frombuffer(block, np.uint8)[starts] == _RETURN))
    bad &= ~blank
    if not bad.any():
        return None
    index = int(np.argmax(bad))
    return index, int(starts[index]), int(counts[index])


def _utf8_problem(text: bytes, lines: int) -> str | None:
    if text.isascii():  # most exports: no decoding needed
        return None
    try:
        text.decode("utf-8")
    except UnicodeDecodeError as exc:
        return not_utf8(lines + text.count(b"\n", 0, exc.start) + 1)
    return None


def _utf8_file_problem(plain: str) -> str | None:
    """The first line of a file that is not UTF-8, read in blocks."""
    lines, carry = 0, b""
    with open(plain, "rb") as handle:
        while data := handle.read(BLOCK_BYTES):
            block = carry + data
            cut = block.rfind(b"\n") + 1
            found = _utf8_problem(block[:cut], lines)
            if found:
                return found
            lines += block.count(b"\n", 0, cut)
            carry = block[cut:]
    return _utf8_problem(carry, lines)


def not_utf8(line: int) -> str:
    return (
        f"line {line}: not UTF-8 text; pass --encoding with the export's encoding "
        "(e.g. --encoding windows-1252) or save it as UTF-8"
    )


def _exact_problem(plain: str, separator: str) -> str | None:
    """The row check by Python's csv parser, streaming: strict first (it tells a quoted field
    left open at the end of the file), lenient where the file does not keep strict quoting."""
    csv.field_size_limit(FIELD_LIMIT)
    for strict in (True, False):
        try:
            with open(plain, encoding="utf-8", newline="") as handle:
                return _csv_problem(handle, separator, strict)
        except UnicodeDecodeError:
            return _utf8_file_problem(plain)
        except _NotStrict:
            continue
    return None


class _NotStrict(Exception):
    """The file breaks strict quoting somewhere (text after a closing quote)."""


def _csv_problem(handle: TextIO, separator: str, strict: bool) -> str | None:
    reader = csv.reader(handle, delimiter=separator, strict=strict)
    number, first_line, header = 0, 1, None
    try:
        header = next(reader, None)
        if header is None:
            return None
        first_line = reader.line_num + 1
        for number, row in enumerate(reader, start=1):  # noqa: B007 (the row read when csv fails)
            if row and len(row) != len(header):
                return f"row {number} (line {first_line}): {len(row)} fields, expected {len(header)} {_TRUNCATED}"
            first_line = reader.line_num + 1
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            where = f"row {number + 1} (line {first_line})" if header is not None else "the header"
            return f"{where}: {_OPEN_AT_END}"
        if strict:
            raise _NotStrict from None
        return f"line {reader.line_num}: {exc}"
    return None
