"""Durations as people read them. The catalog's unit of a KPI (or of a check, an SLA policy, a
difference) says which form: a duration in **hours** is a ticket's time (first response,
resolution, SLA policies) and reads in hours and minutes; a duration in **seconds** is a call's
or chat's time (handle, talk, hold, wrap-up, speed of answer) and reads as a clock, minutes and
seconds. Only the human views write these forms; JSON and CSV keep numbers in the catalog's unit.

Tickets: hours and whole minutes up to 100 hours, whole hours beyond (a resolution time of a
week is not read to the minute); under ten minutes minutes and seconds, so that a chat's first
response of 1 min 28 s does not read as the "1 min" of its target::

    >>> ticket_time(3 + 20 / 60), ticket_time(0.25), ticket_time(2.0), ticket_time(15 / 3600)
    ('3 h 20 min', '15 min', '2 h', '15 s')
    >>> ticket_time(88 / 3600), ticket_time(1 / 60), ticket_time(599.7 / 3600)
    ('1 min 28 s', '1 min', '10 min')
    >>> ticket_time(51.5), ticket_time(250.2), ticket_time(12_345.0)
    ('51 h 30 min', '250 h', '12,345 h')

Hours never roll over into days: a business-hours clock counts only the open hours, and "1 d"
would read as 24 of them. Calls: ``m:ss``, and ``h:mm:ss`` from an hour::

    >>> call_time(511), call_time(7.35), call_time(0), call_time(3725.0)
    ('8:31', '0:07', '0:00', '1:02:05')

Zero, a value under one second (two significant digits, so that it does not read as zero), a
negative value or a difference (``signed``: a ``+`` on positive ones), and none::

    >>> ticket_time(0.0), ticket_time(0.3 / 3600), call_time(0.042), call_time(None)
    ('0 s', '0.3 s', '0.042 s', '—')
    >>> ticket_time(-0.5), call_time(-12.0), call_time(12.0, signed=True), ticket_time(0.0, signed=True)
    ('-30 min', '-0:12', '+0:12', '0 s')

Each form is exact to its last digit: half a second below ten minutes (and for calls), half a
minute up to 100 hours, half an hour beyond (:func:`precision`).
"""

from __future__ import annotations

import math

NONE = "—"
"""What a missing duration reads as (the same as any missing number)."""

DURATION_UNITS = ("hours", "seconds")
"""The catalog's units of durations: hours for tickets, seconds for calls."""

_WHOLE_HOURS_FROM = 100 * 3600
"""From 100 hours on, a ticket's time is read in whole hours."""
_SECONDS_UNTIL = 599.5
"""Under ten minutes, a ticket's time is read to the second."""


def is_duration(unit: str) -> bool:
    """Whether values in ``unit`` are durations written in a readable form."""
    return unit in DURATION_UNITS


def readable(value: float | int | None, unit: str, *, signed: bool = False) -> str:
    """A duration in the catalog's ``unit`` (hours or seconds) in its readable form.

    >>> readable(1.5, "hours"), readable(90, "seconds"), readable(-0.25, "hours", signed=True)
    ('1 h 30 min', '1:30', '-15 min')
    """
    if unit == "hours":
        return ticket_time(value, signed=signed)
    if unit == "seconds":
        return call_time(value, signed=signed)
    raise ValueError(f"{unit!r} is no unit of a duration")


def ticket_time(hours: float | int | None, *, signed: bool = False) -> str:
    """Hours as hours and minutes (``3 h 20 min``), or minutes and seconds under ten minutes."""
    if hours is None or not math.isfinite(hours):
        return _not_finite(hours)
    seconds = abs(float(hours)) * 3600
    if 0 < seconds < 1:
        text = f"{_small(seconds)} s"
    elif seconds < _SECONDS_UNTIL:
        text = _parts(divmod(_half_up(seconds), 60), ("min", "s")) or "0 s"
    elif seconds >= _WHOLE_HOURS_FROM:
        text = f"{_half_up(seconds / 3600):,} h"
    else:
        text = _parts(divmod(_half_up(seconds / 60), 60), ("h", "min"))
    return _sign(hours, text, signed, zero=text == "0 s")


def call_time(seconds: float | int | None, *, signed: bool = False) -> str:
    """Seconds as a clock: ``8:31``, ``1:02:05``; under a second as seconds."""
    if seconds is None or not math.isfinite(seconds):
        return _not_finite(seconds)
    size = abs(float(seconds))
    if 0 < size < 0.5:
        text = f"{_small(size)} s"
    else:
        whole = _half_up(size)
        hours, rest = divmod(whole, 3600)
        text = f"{hours:,}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"
    return _sign(seconds, text, signed, zero=text == "0:00")


def precision(value: float, unit: str) -> float:
    """How far the readable form of ``value`` may be from it, in ``unit``: half of its last
    digit.

    >>> precision(3.3, "hours") * 60, precision(511, "seconds"), precision(150.0, "hours")
    (0.5, 0.5, 0.5)
    """
    size = abs(value) * (3600 if unit == "hours" else 1)
    if 0 < size < (1 if unit == "hours" else 0.5):
        step = 10.0 ** (math.floor(math.log10(size)) - 1)  # two significant digits
    elif unit == "seconds" or size < _SECONDS_UNTIL:
        step = 1.0
    elif size >= _WHOLE_HOURS_FROM:
        step = 3600.0
    else:
        step = 60.0
    return step / 2 / (3600 if unit == "hours" else 1)


def _half_up(size: float) -> int:
    """A size rounded as people round, half up (Python's ``round`` takes 58.5 to 58).

    >>> _half_up(58.5), _half_up(33.5), _half_up(2.49)
    (59, 34, 2)
    """
    return math.floor(size + 0.5)


def _parts(numbers: tuple[int, int], units: tuple[str, str]) -> str:
    """``1 h 5 min``, ``2 h``, ``5 min``: the parts that are not zero."""
    return " ".join(f"{number} {unit}" for number, unit in zip(numbers, units) if number)


def _small(seconds: float) -> str:
    """Under a second, two significant digits: 0.3, 0.042."""
    return f"{seconds:.2g}"


def _sign(value: float | int, text: str, signed: bool, *, zero: bool) -> str:
    if zero:
        return text
    if value < 0:
        return "-" + text
    return "+" + text if signed else text


def _not_finite(value: float | int | None) -> str:
    if value is None or math.isnan(value):
        return NONE
    return "∞" if value > 0 else "-∞"
