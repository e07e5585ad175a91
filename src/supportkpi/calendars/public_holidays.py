"""Public holidays by country and subdivision, for a schedule's closed dates."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable


def holiday_dates(country: str, subdiv: str | None, years: Iterable[int]) -> frozenset[_dt.date]:
    """Public holidays of ``country`` (ISO code, e.g. ``"DE"``) and optional subdivision (e.g.
    ``"BY"``) in ``years``, from the ``holidays`` package."""
    import holidays

    years = sorted(set(years))
    supported = holidays.list_supported_countries()
    if country not in supported:
        raise ValueError(
            f"unknown country {country!r} for holidays; use an ISO 3166-1 alpha-2 code such as 'DE', 'US' or 'GB'"
        )
    if subdiv is not None and subdiv not in supported[country]:
        known = ", ".join(supported[country]) or "none"
        raise ValueError(f"unknown subdivision {subdiv!r} of {country} for holidays; known: {known}")
    calendar = holidays.country_holidays(country, subdiv=subdiv, years=years)
    return frozenset(calendar.keys())
