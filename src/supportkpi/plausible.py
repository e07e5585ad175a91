"""The range of values a contact can hold: timestamps from ``earliest`` up to (not including)
``latest``, durations up to ``longest_seconds``. A value outside is a typing accident (a year
0000 or 10000, 1e308 seconds), not a contact: the loader reports it as an unparseable value,
with its file, row and raw text, and leaves it out like one. kpi.yaml's ``plausible:`` section
changes the range (an archive from the 1960s, a plan for the next century).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
LONGEST_DAYS = 100 * 365.25
"""A century."""


@dataclass(frozen=True)
class Plausible:
    """The range, in UTC; the defaults are 1970-01-01 to 2100-01-01 and a century.

    >>> Plausible().longest_seconds
    3155760000.0
    """

    earliest: datetime = EARLIEST
    latest: datetime = LATEST
    longest_seconds: float = LONGEST_DAYS * 86400
