"""Names of the columns of the engine's group-by table and of the per-row columns it adds.

A KPI's figures are flat columns ``<kpi id>__<part>``: KPI ids have no double underscore, so the
names cannot collide. Internal columns start with an underscore, which no canonical column does.
"""

from __future__ import annotations

PERIOD_START = "_period_start"
"""Start of the period (of ``--period``) a row falls in."""
DATED = "_dated"
"""Whether a row has the timestamp its period is read from: rows without one are in no KPI, and
the pass still reads them for the data-quality counts."""
ROWS = "_rows"
"""Rows per group: keeps one row per group in the table when every KPI is not available."""
QUALITY = "_quality_"
"""Prefix of the data-quality counts computed in the KPI pass (in-memory runs). Like every
internal column it starts with an underscore, which no group key may (``--by`` refuses internal
columns), and no other column of the table starts with it."""

LEFT_OUT = "_group_left_out:"
"""Prefix of the per-group counts of rows left out of every KPI, one per reason
(:mod:`supportkpi.engine.excluded`)."""


def value(kpi_id: str) -> str:
    """The KPI's headline value."""
    return f"{kpi_id}__value"


def n(kpi_id: str) -> str:
    """The number of rows the value was computed on."""
    return f"{kpi_id}__n"


def excluded(kpi_id: str, index: int) -> str:
    """The count of the KPI's ``index``-th exclusion reason (reasons are free text, so they are
    named by position)."""
    return f"{kpi_id}__x{index}"


def stat(kpi_id: str, name: str) -> str:
    """One of the KPI's extra figures (mean, median, p90)."""
    return f"{kpi_id}__s_{name}"


def check(kpi_id: str, name: str) -> str:
    """One of the figures the KPI reads to decide whether it is available in a group."""
    return f"{kpi_id}__c_{name}"


def sample(kpi_id: str) -> str:
    """The per-contact values of the KPI (for statistical comparisons)."""
    return f"{kpi_id}__sample"


def quality(name: str) -> str:
    """A data-quality count computed in the KPI pass."""
    return QUALITY + name


def source_rows(index: int) -> str:
    """Rows of the ``index``-th input file, counted in the KPI pass."""
    return quality(f"source {index}")


def left_out(reason: str) -> str:
    """The count of a group's rows left out of every KPI for ``reason``."""
    return LEFT_OUT + reason
