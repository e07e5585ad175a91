"""Statistical tests and intervals behind ``supportkpi compare``: pure functions, no I/O.

Every function takes plain numbers or sequences and returns a small frozen dataclass:

* :class:`Interval` -- one side: ``estimate``, ``low``, ``high``, ``method``;
* :class:`Difference` -- side minus baseline: ``estimate`` (``a - b``), ``low``, ``high``,
  ``p_value`` (two-sided), ``method`` and ``p_bound`` (``True`` when ``p_value`` is only an
  upper bound, see :func:`median_difference`).

``None`` means "not defined for these data" (an empty side, too few values, no variation); no
function returns NaN. ``confidence`` is the two-sided confidence level everywhere (0.95 -> 95%
intervals). ``method`` is a short human name of the interval and the test, for the output.

scipy is used wherever it has the method (Wilson interval, Fisher's exact test, Welch's t test,
Kaplan-Meier, log-rank). Written here: Newcombe's interval (scipy has none), the NPS standard
error, the BCa bootstrap of medians (scipy's BCa jackknife is O(n^2)) and Holm's adjustment
(scipy has none; statsmodels is not a dependency).

One module per family: :mod:`~supportkpi.stats.proportions` (proportions and NPS),
:mod:`~supportkpi.stats.means` (Student t, Welch), :mod:`~supportkpi.stats.bootstrap` (BCa
medians), :mod:`~supportkpi.stats.survival` (Kaplan-Meier, log-rank),
:mod:`~supportkpi.stats.multiple_testing` (Holm) and :mod:`~supportkpi.stats.core` (the result
types and argument checks); every name is importable from :mod:`supportkpi.stats`.
"""

from __future__ import annotations

# the underscored names: the bootstrap's internals, checked one by one by tests/test_stats.py
from supportkpi.stats.bootstrap import (
    BATCH_ELEMENTS,
    MIN_RESAMPLES,
    _acceleration,
    _bca_level,
    _bca_p_value,
    _bootstrap_medians,
    _first_in_order,
    _median_jackknife,
    median_difference,
    median_interval,
)
from supportkpi.stats.core import Difference, Interval
from supportkpi.stats.means import mean_interval, welch, welch_samples
from supportkpi.stats.multiple_testing import holm
from supportkpi.stats.proportions import (
    nps_difference,
    nps_interval,
    proportion_difference,
    wilson,
)
from supportkpi.stats.survival import KM_TOLERANCE, km_median, km_median_difference, logrank

__all__ = [
    "BATCH_ELEMENTS",
    "KM_TOLERANCE",
    "MIN_RESAMPLES",
    "Difference",
    "Interval",
    "holm",
    "km_median",
    "km_median_difference",
    "logrank",
    "mean_interval",
    "median_difference",
    "median_interval",
    "nps_difference",
    "nps_interval",
    "proportion_difference",
    "welch",
    "welch_samples",
    "wilson",
]
