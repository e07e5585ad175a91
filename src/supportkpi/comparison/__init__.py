"""Vendors side by side: every KPI per side, the difference against a baseline side, and whether
the difference is real.

This is the Python API behind ``supportkpi compare``. The sides are the values of one column of
the frame (``side``): the inputs of the command line, or the vendors of one export. Every side's
KPIs come from the same formulas in one pass (:func:`supportkpi.engine.compute`, with the
per-contact values of durations and means collected for the tests).

Which test, as each KPI's ``INFO.test`` says (methods in :mod:`supportkpi.stats`):

    proportions (CSAT, FCR, SLA compliance, abandonment...)   Wilson interval per side; Newcombe
                                                               interval of the difference and a
                                                               two-proportion test
    NPS                                                        standard error from the promoter
                                                               and detractor shares
    medians of durations (first response, resolution)          BCa bootstrap of the difference,
                                                               p from inverting it
    means (AHT, ASA, CES, QA)                                  Welch's t
    resolution time with ``open="censor"``                     Kaplan-Meier medians, log-rank
    counts (volume, backlog)                                   no test: a count is not a sample

p-values are Holm-adjusted within each KPI (over its sides, strata and periods: each KPI is
one question; ``adjust="run"`` treats the whole report as one family, ``"none"`` does not
adjust), and the output says so. A side
with fewer than ``min_n`` contacts (surveys, calls) is "too few to tell": small samples give wide
intervals that read as "no difference" when the truth is "we cannot know".

The package: :mod:`~supportkpi.comparison.model` (what a comparison returns),
:mod:`~supportkpi.comparison.run` (:func:`compare` and the choice of test),
:mod:`~supportkpi.comparison.differences` (intervals, differences, p-values),
:mod:`~supportkpi.comparison.survival` (Kaplan-Meier data, open tickets),
:mod:`~supportkpi.comparison.verdicts` (results in words), :mod:`~supportkpi.comparison.mix`
(channel and priority mixes).
"""

from supportkpi.comparison.mix import MIX_COLUMNS, MIX_THRESHOLD, mix_notes
from supportkpi.comparison.model import (
    ADJUSTMENTS,
    COUNT,
    KAPLAN_MEIER,
    MEAN,
    MEDIAN,
    NO_TEST,
    NPS,
    PROPORTION,
    Comparison,
    KpiComparison,
    PairResult,
    SideValue,
    kpi_info,
)
from supportkpi.comparison.run import choose_test, compare
from supportkpi.comparison.survival import Survival, open_ticket_notes, survival_data
from supportkpi.comparison.verdicts import format_p, verdict

__all__ = [
    "ADJUSTMENTS",
    "COUNT",
    "KAPLAN_MEIER",
    "MEAN",
    "MEDIAN",
    "MIX_COLUMNS",
    "MIX_THRESHOLD",
    "NO_TEST",
    "NPS",
    "PROPORTION",
    "Comparison",
    "KpiComparison",
    "PairResult",
    "SideValue",
    "Survival",
    "choose_test",
    "compare",
    "format_p",
    "kpi_info",
    "mix_notes",
    "open_ticket_notes",
    "survival_data",
    "verdict",
]
