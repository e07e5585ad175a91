"""Durations as people read them (render/durations.py): each form checked by hand, and read back
within its precision for any value."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supportkpi.render.durations import call_time, precision, readable, ticket_time
from supportkpi.render.formatting import difference, format_measure, level_text, signed_measure

# hours -> text, worked out by hand: 3.3333 h = 3 h 20 min; 63.3 h = 63 h 18 min
TICKETS = [
    (0.0, "0 s"),
    (0.3 / 3600, "0.3 s"),
    (0.999 / 3600, "1 s"),  # two significant digits of 0.999
    (15 / 3600, "15 s"),
    (59.4 / 3600, "59 s"),
    (60 / 3600, "1 min"),
    (88 / 3600, "1 min 28 s"),
    (599.4 / 3600, "9 min 59 s"),
    (599.5 / 3600, "10 min"),
    (0.25, "15 min"),
    (59.6 / 60, "1 h"),  # 59 min 36 s rounds to the hour
    (1.0, "1 h"),
    (3 + 20 / 60, "3 h 20 min"),
    (63.3, "63 h 18 min"),  # no days: a business-hours clock has no 24-hour day
    (99.99, "99 h 59 min"),  # 59.4 min
    (99.995, "100 h"),  # 59.7 min rounds up to the hour
    (250.2, "250 h"),
    (12_345.4, "12,345 h"),
    (-0.5, "-30 min"),
]
# seconds -> text: 511 s = 8 min 31 s; 3725 s = 1 h 2 min 5 s
CALLS = [
    (0, "0:00"),
    (0.042, "0.042 s"),
    (0.4, "0.4 s"),
    (0.6, "0:01"),
    (7.35, "0:07"),
    (33.5, "0:34"),  # halves up, as people round them (Python's round() takes 58.5 to 58)
    (58.5, "0:59"),
    (59.5, "1:00"),
    (511, "8:31"),
    (3599.4, "59:59"),
    (3725.0, "1:02:05"),
    (360_000.0, "100:00:00"),
    (-12.0, "-0:12"),
]


@pytest.mark.parametrize(("hours", "text"), TICKETS)
def test_ticket_times_read_in_hours_and_minutes(hours, text):
    assert ticket_time(hours) == text


@pytest.mark.parametrize(("seconds", "text"), CALLS)
def test_call_times_read_as_a_clock(seconds, text):
    assert call_time(seconds) == text


def test_none_nan_and_infinity_never_read_as_a_number():
    assert ticket_time(None) == call_time(None) == ticket_time(math.nan) == "—"
    assert call_time(math.inf) == "∞" and ticket_time(-math.inf) == "-∞"


def test_signs_only_where_asked_and_never_on_zero():
    assert call_time(12, signed=True) == "+0:12"
    assert ticket_time(0.25, signed=True) == "+15 min"
    assert call_time(0.2, signed=True) == "+0.2 s"
    assert call_time(0.0, signed=True) == "0:00" and ticket_time(-0.0, signed=True) == "0 s"
    assert call_time(0.5, signed=True) == "+0:01"  # half up, as people round


def test_the_unit_of_the_catalog_picks_the_form_in_every_formatter():
    assert format_measure(511.3, "seconds") == "8:31"
    assert format_measure(22.31, "hours") == "22 h 19 min"  # 0.31 h = 18.6 min
    assert level_text(420.0, "seconds") == "7:00" and level_text(4.0, "hours") == "4 h"
    assert difference(107.1, "seconds") == "+1:47" and signed_measure(-1.2, "hours") == "-1 h 12 min"
    assert format_measure(92.5, "%") == "92.50 %"  # not a duration: as before
    with pytest.raises(ValueError, match="no unit of a duration"):
        readable(1.0, "%")


# -- read back ----------------------------------------------------------------------------

_PART = re.compile(r"([\d,.e+-]+) (h|min|s)")
_UNITS = {"h": 3600, "min": 60, "s": 1}


def read_back(text: str) -> float:
    """Seconds from a readable form (a test's own reader: the tool never parses its output)."""
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-")
    if ":" in text:
        parts = [int(p.replace(",", "")) for p in text.split(":")]
        return sign * sum(p * 60**i for i, p in enumerate(reversed(parts)))
    parts = _PART.findall(text)
    assert " ".join(f"{n} {u}" for n, u in parts) == text, text
    return sign * sum(float(n.replace(",", "")) * _UNITS[u] for n, u in parts)


durations = st.floats(min_value=-1e7, max_value=1e7, allow_nan=False)


@given(durations)
def test_a_ticket_time_reads_back_within_its_precision(hours):
    text = ticket_time(hours)
    assert abs(read_back(text) / 3600 - hours) <= precision(hours, "hours") * (1 + 1e-9) + 1e-12
    assert text.startswith("-") == (hours < 0 and text.lstrip("-") != "0 s")


@given(durations)
def test_a_call_time_reads_back_within_its_precision(seconds):
    text = call_time(seconds)
    assert abs(read_back(text) - seconds) <= precision(seconds, "seconds") * (1 + 1e-9) + 1e-12


@given(st.floats(min_value=0, max_value=1e6), st.floats(min_value=0, max_value=1e6))
def test_readable_forms_keep_the_order_of_their_values(a, b):
    """A longer time never reads shorter (rounding may make them read the same)."""
    low, high = sorted((a, b))
    assert read_back(call_time(low)) <= read_back(call_time(high))
    assert read_back(ticket_time(low / 3600)) <= read_back(ticket_time(high / 3600)) + 1e-9
