"""How every view writes a number: values with their units, durations, levels, differences,
percentages, counts and scores. The views (terminal tables, Markdown, HTML, JUnit, GitHub
annotations) call these and never format a figure themselves, so a number reads the same in
all of them; CSV and JSON keep full precision and do not come here.

Measured values, with a short unit; durations in the readable form of
:mod:`supportkpi.render.durations` (hours and minutes for tickets, ``m:ss`` for calls)::

    >>> format_measure(4.25, "hours"), format_measure(92.5, "%"), format_measure(None, "%")
    ('4 h 15 min', '92.50 %', '—')
    >>> measure(0.004583, "hours"), measure(511, "seconds"), measure(12, "contacts")
    ('16 s', '8:31', '12')
    >>> measure(33.33, "points", signed=True)
    '+33.3 pts'

Levels as declared in kpi.yaml, and figures as the CI reports write them::

    >>> level_text(4.0, "hours"), level(5 / 60, "hours"), level(20, "seconds"), level(None, "%")
    ('4 h', '5 min', '0:20', '—')
    >>> figure(66.666, "%"), figure(40.0, "points", level=True, signed=True)
    ('66.67 %', '+40 pts')

Differences. Two spellings are in use and both are kept, as the reports show them today: the
HTML page writes the size of a difference as a measured value is written (two decimals), the
terminal, Markdown and comparison views as a signed number (one decimal)::

    >>> signed_measure(-6.11, "%"), signed_measure(0.25, "hours"), signed_measure(0.0, "%")
    ('-6.11 pp', '+15 min', '0.00 pp')
    >>> difference(-6.11, "%"), difference(0.25, "hours"), difference(-12.0, "seconds")
    ('-6.1 pp', '+15 min', '-0:12')

Scores, counts, percentages and plain numbers::

    >>> score(41.666), score(-7.5, signed=True), score(0.0, signed=True), score(None)
    ('41.7', '-7.5', '0.0', '—')
    >>> score(0.0, signed=True, plus_zero=True)
    '+0.0'
    >>> count(1234), count(None), percent(20.914), plain_number(80.0), duration(1800)
    ('1,234', '—', '20.9 %', '80', '30 min')
    >>> fixed(1234.56, 1), fixed(374.2, 0, "seconds"), fixed(20.0, 2, "erlangs"), rounded(2 / 3)
    ('1,234.6', '374 s', '20.00 erlangs', '0.67')
"""

from __future__ import annotations

import re

from supportkpi.render.durations import NONE, is_duration, readable

SHORT_UNITS = {"hours": "h", "seconds": "s", "%": "%", "points": "pts"}
BARE_UNITS = ("", "contacts", "score")
"""Units written without a unit: counts and scores."""


def format_number(value: float | int | None, unit: str, signed: bool = False) -> str:
    """A number without its unit: two decimals (one from 100 up, and for signed numbers),
    thousands separated, small values to two significant digits (0.0042 h, not 0.00 h)."""
    if value is None:
        return NONE
    if isinstance(value, int):
        return f"{value:+,}" if signed and value else f"{value:,}"
    if signed:
        return f"{value:+.1f}" if value else "0.0"
    if 0 < abs(value) < 0.1:
        return f"{value:.2g}"
    return f"{value:,.1f}" if abs(value) >= 100 else f"{value:,.2f}"


def with_unit(text: str, unit: str) -> str:
    """A formatted number and its short unit: ``4.25 h``, ``92.50 %``; counts and scores bare."""
    if unit in BARE_UNITS:
        return text
    return f"{text} {SHORT_UNITS.get(unit, unit)}"


def format_measure(value: float | int | None, unit: str, signed: bool = False) -> str:
    """A number with its short unit: ``92.50 %``, ``+31.0 pts``; a duration in its readable
    form (``3 h 20 min``, ``8:31``); "—" for none."""
    if value is None:
        return NONE
    if is_duration(unit):
        return readable(value, unit, signed=signed)
    return with_unit(format_number(value, unit, signed=signed), unit)


def measure(value: float | int | None, unit: str, signed: bool = False) -> str:
    """A measured value as every human view writes it (:func:`format_measure`)."""
    return format_measure(value, unit, signed=signed)


def level_text(value: float, unit: str) -> str:
    """A level as declared, without padding decimals: ``4 h``, ``2 min``, ``95 %``; a duration
    in its readable form (``1 h 30 min``, ``3:00``).

    >>> level_text(2 / 60, "hours"), level_text(95.0, "%"), level_text(180.0, "seconds")
    ('2 min', '95 %', '3:00')
    """
    if is_duration(unit):
        return readable(value, unit)
    short = {"points": "pts"}.get(unit, unit)
    if abs(value) >= 1000:
        number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    else:
        number = f"{value:.4g}" if abs(value) < 1 else f"{round(value, 3):g}"
    return number if unit in ("contacts", "score") else f"{number} {short}"


def level(value: float | None, unit: str) -> str:
    """A warn or fail level as declared, "—" for none."""
    return NONE if value is None else level_text(value, unit)


def figure(number: float | None, unit: str, *, level: bool = False, signed: bool = False) -> str:
    """A value (or, with ``level``, a level) as the CI reports write it; a signed KPI's
    positive levels with their ``+``.

    >>> figure(80.0, "%", level=True), figure(0.25, "hours", level=True), figure(None, "%")
    ('80 %', '15 min', '—')
    """
    if number is None:
        return NONE
    if level:
        text = level_text(number, unit)
        return "+" + text if signed and number > 0 else text
    return measure(number, unit, signed=signed)


def difference_unit(unit: str) -> str:
    """The unit of a difference: percentage points for percentages."""
    return "pp" if unit == "%" else unit


def difference(value: float | None, unit: str) -> str:
    """A difference (side − baseline, change since a period) signed, in the difference's unit."""
    return measure(value, difference_unit(unit), signed=True)


def signed_measure(value: float | None, unit: str) -> str:
    """A difference (distance to target, change) written as a measured value with its sign;
    a difference of percentages in percentage points."""
    if value is None:
        return NONE
    sign = "-" if value < 0 else "+" if value > 0 else ""
    if unit == "%":
        return f"{sign}{format_number(abs(float(value)), unit)} pp"
    if is_duration(unit):
        return readable(value, unit, signed=True)
    return sign + measure(abs(float(value)), unit)


def score(value: float | None, signed: bool = False, *, plus_zero: bool = False) -> str:
    """An overall score (0–100), or a change of it, to one decimal. A change of zero reads
    "0.0" on the HTML page and "+0.0" (``plus_zero``) in the terminal and Markdown views."""
    if value is None:
        return NONE
    return f"{value:+.1f}" if signed and (value or plus_zero) else f"{value:.1f}"


def count(value: int | None) -> str:
    """A count with thousands separated."""
    return NONE if value is None else f"{value:,}"


def percent(value: float | None) -> str:
    """A share already in percent, to one decimal: ``20.9 %``."""
    return NONE if value is None else f"{value:.1f} %"


def change_percent(value: float | None) -> str:
    """A relative change in percent, signed, to one decimal.

    >>> change_percent(2.94), change_percent(-20.0), change_percent(0.0), change_percent(None)
    ('+2.9 %', '-20.0 %', '+0.0 %', '—')
    """
    return NONE if value is None else f"{value:+.1f} %"


def fixed(value: float | None, places: int, unit: str = "") -> str:
    """A number to a fixed number of decimals, thousands separated, with its short unit:
    ``1,234.5``, ``374 s``, ``20.00 erlangs``."""
    return NONE if value is None else with_unit(f"{value:,.{places}f}", unit)


def rounded(value: float) -> str:
    """Two decimals, no separators: the Markdown tables of the views whose CSV has the number
    at full precision."""
    return f"{value:.2f}"


def plain_number(value: float | None) -> str:
    """A parameter as a person typed it, to six significant digits: 80.0 → "80", 0.85 → "0.85";
    none → ""."""
    if value is None:
        return ""
    return f"{value:g}"


def duration(seconds: float | None) -> str:
    """A length of time in its largest whole unit: 1800 → "30 min", 3600 → "1 h", 90 → "90 s".

    >>> duration(3600), duration(90), duration(None)
    ('1 h', '90 s', '')
    """
    if not seconds:
        return ""
    if seconds % 3600 == 0:
        return f"{int(seconds // 3600)} h"
    if seconds % 60 == 0:
        return f"{int(seconds // 60)} min"
    return f"{plain_number(seconds)} s"


# -- text from the data on a terminal ------------------------------------------------------

_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
"""What a terminal would act on rather than show: C0 controls (ESC starts a colour, a cursor
move, a window title) but the line break, DEL, C1 controls (U+009B is a CSI of its own), and
the bidirectional overrides and marks that show text in another order than it is stored."""
_CONTROL_AND_NEWLINE = re.compile(_CONTROL.pattern[:-1] + "\n\r]")
_REPEATED = re.compile(r"((\\x[0-9a-f]{2}|\\u[0-9a-f]{4})\2{4,})")

LIMIT = 2000
"""Characters of a message from the data shown at most (a file of binary junk echoed whole
would bury the message)."""


def printable(text: object, *, one_line: bool = False, limit: int | None = None) -> str:
    r"""Text from the data made safe to show on a terminal: control characters written as
    visible escapes (``\x1b``, ``\u202e``), a run of one escape shortened, and with ``limit``
    the text cut to that many characters, saying how many more there were. ``one_line``
    escapes line breaks too (a name in a table must not start a new line of output).

    >>> printable("Acme\x1b[31m BPO"), printable("a\u202eb"), printable("two\nlines", one_line=True)
    ('Acme\\x1b[31m BPO', 'a\\u202eb', 'two\\nlines')
    >>> printable("\x00" * 600 + "ok")
    '\\x00 (600 times)ok'
    >>> printable("x" * 30, limit=10)
    'xxxxxxxxxx… (20 more characters)'
    """
    text = str(text)
    pattern = _CONTROL_AND_NEWLINE if one_line else _CONTROL
    if pattern.search(text):
        text = pattern.sub(_escape, text)
        text = _REPEATED.sub(lambda m: f"{m.group(2)} ({len(m.group(1)) // len(m.group(2))} times)", text)
    if limit is not None and len(text) > limit:
        text = f"{text[:limit]}… ({len(text) - limit:,} more characters)"
    return text


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return {10: "\\n", 13: "\\r", 9: "\\t"}.get(code) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
