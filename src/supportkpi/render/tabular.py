"""The one writer of tables as text: CSV for spreadsheets, pipe tables for Markdown. Every view's
CSV and Markdown table goes through here, so that every one is safe in the same way.

CSV is safe to open in a spreadsheet: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return is prefixed with ``'`` so it is not run as a formula; None is an empty
cell::

    >>> print(csv_text(["vendor", "value"], [["=HYPERLINK()", 1.5], [None, 2]]), end="")
    vendor,value
    '=HYPERLINK(),1.5
    ,2

The header too, since a group-by column is named by the data::

    >>> print(csv_text(["=HYPERLINK('http://x')", "kpi"], []), end="")
    '=HYPERLINK('http://x'),kpi

A Markdown cell cannot break the table or carry HTML from the data (it would render in a GitHub
summary or a wiki): pipes and backslashes are escaped, ``&``, ``<`` and ``>`` written as
entities, line breaks as spaces. Columns given as ``right`` are right-aligned::

    >>> print("\\n".join(markdown_table(["vendor", "n"], [["A|B <b>", "3"]], right={1})))
    | vendor | n |
    |---|---:|
    | A\\|B &lt;b&gt; | 3 |
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection, Iterable, Sequence

from supportkpi.render.formatting import printable

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, prefixed with ``'``."""
    if isinstance(value, str) and value[:1] in _FORMULA_STARTS:
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Header and rows as spreadsheet-safe CSV text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([neutralise(h) for h in header])  # a group-by column is named by the data
    writer.writerows(["" if v is None else neutralise(v) for v in row] for row in rows)
    return out.getvalue()


def markdown_cell(value: object) -> str:
    """Text for a Markdown table cell: pipes and backslashes escaped, HTML from the data kept
    out, line breaks as spaces, other control characters visible (a Markdown file is read in
    a terminal too).

    >>> print(markdown_cell("A|B <b>&"), markdown_cell("two\\nlines"), markdown_cell("x\\x1b[31m"))
    A\\|B &lt;b&gt;&amp; two lines x\\\\x1b[31m
    """
    text = "" if value is None else printable(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\\", "\\\\")
    text = text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    return text.replace("|", "\\|")


def markdown_lines(value: object) -> str:
    """A cell of several lines (a view's own text, not data): each line escaped, joined by
    ``<br>``."""
    return "<br>".join(markdown_cell(line) for line in str(value).split("\n"))


def markdown_table(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    right: Collection[int] = (),
    cell: Callable[[object], str] = markdown_cell,
) -> list[str]:
    """A pipe table as lines: the header, the alignment row (``right``: indexes of the
    right-aligned columns), one line per row with each value written by ``cell``."""
    lines = [
        _row(markdown_cell(h) for h in header),
        "|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|",
    ]
    lines += [_row(cell(v) for v in row) for row in rows]
    return lines


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"
