"""The "did you mean ...?" of every error about a misspelt name (a KPI, a column, a calendar)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def suggest(name: str, choices: Iterable[str], listing: str = "expected one of") -> str:
    """'did you mean ...' for a misspelt name, else ``listing: `` and the names.

    >>> suggest("cstat", ["csat", "nps"]), suggest("x", ["csat", "nps"]), suggest("x", [])
    ("did you mean 'csat'?", 'expected one of: csat, nps', 'expected one of: none')
    """
    choices = list(choices)
    if not choices:
        return f"{listing}: none"
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"{listing}: " + ", ".join(choices)
