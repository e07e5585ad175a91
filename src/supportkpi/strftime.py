"""Checking a timestamp format (``--datetime-format``, kpi.yaml's ``datetime_format``) before
any data is read. polars reads formats with chrono's strftime directives and takes any text
as a format: a misspelt directive (``%Q``) or a format without a date simply reads no value,
and every timestamp of a file would be reported unparseable. Here they are usage errors.
"""

from __future__ import annotations

import re

_DIRECTIVE = re.compile(r"%(?:[-_0]?[A-Za-z+]|\.?[369]?f|:{1,3}z|#z|%)")
"""One directive: a letter (with a padding modifier), chrono's fractions (``%.f``, ``%.3f``,
``%6f``), offsets (``%:z``, ``%#z``) or ``%%``."""
KNOWN = frozenset("YCyqmbBhdeaAwuUWGgVjDxFvHkIlPpMSfRTXrZzcstn%+")
"""chrono's directive letters."""
YEAR = frozenset("YCyGgDxFvcs+")
"""Directives that read a year (or a whole timestamp: %c, %+, %s): without one, chrono builds
no timestamp."""


def problem(fmt: str) -> str | None:
    """What is wrong with a timestamp format, else None.

    >>> problem("%Y-%m-%d %H:%M"), problem("%d.%m.%Y"), problem("%Y-%m-%dT%H:%M:%S%.f%:z")
    (None, None, None)
    >>> problem("%Q")
    "'%Q' is no strftime directive"
    >>> problem("%H:%M")
    'no year in it (%Y, %y, or a whole date such as %F): it would read no timestamp'
    >>> problem("%d/%m %H:%M")[:13]
    'no year in it'
    >>> problem("%Y-%m-%d %")
    "a lone '%' at its end (write %% for a percent sign)"
    """
    letters = set()
    position = 0
    while (start := fmt.find("%", position)) >= 0:
        match = _DIRECTIVE.match(fmt, start)
        if match is None:
            if start == len(fmt) - 1:
                return "a lone '%' at its end (write %% for a percent sign)"
            return f"'{fmt[start : start + 2]}' is no strftime directive"
        directive = match.group()
        if directive != "%%":
            if directive[-1] not in KNOWN:
                return f"'{directive}' is no strftime directive"
            letters.add(directive[-1])
        position = match.end()
    if not letters & YEAR:
        return "no year in it (%Y, %y, or a whole date such as %F): it would read no timestamp"
    return None
