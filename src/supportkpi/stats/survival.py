"""Resolution times with open tickets: the Kaplan-Meier median (open tickets right-censored),
its band-crossing interval, and the log-rank test of two curves."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
from scipy import stats as _st

from supportkpi.stats.core import Difference, Interval, as_sample, check_confidence, clip

#: ``S(t) <= 0.5`` is tested as ``S(t) <= 0.5 + KM_TOLERANCE``: scipy's survival curve is a
#: product of floats, so an exact 0.5 (e.g. 4 events of 8) may come out as 0.5000000000000001.
KM_TOLERANCE = 1e-9

Durations: TypeAlias = Sequence[float] | np.ndarray
"""Times to resolution, or open so far: a sequence or a numpy array (read with ``np.asarray``)."""
ResolvedFlags: TypeAlias = Sequence[bool] | np.ndarray
"""Per duration, whether the ticket was resolved (else it is still open: censored)."""


def _censored(durations, resolved, name: str):
    t = as_sample(durations, name)
    r = np.asarray(resolved if resolved is not None else [], dtype=bool).ravel()
    if r.shape != t.shape:
        raise ValueError(f"{name}: durations and resolved flags differ in length")
    return t, r


def _first_at_or_below_half(times: np.ndarray, curve: np.ndarray) -> float | None:
    hits = np.flatnonzero(curve <= 0.5 + KM_TOLERANCE)
    return float(times[hits[0]]) if hits.size else None


def km_median(durations: Durations, resolved: ResolvedFlags, confidence: float = 0.95) -> Interval:
    """Kaplan-Meier median of resolution times, open tickets right-censored.

    ``durations``: time to resolution (resolved) or time open so far (still open, censored);
    ``resolved``: ``True`` for resolved. The survival curve S(t) (the share still unresolved at
    t) is the product-limit estimate of ``scipy.stats.ecdf(scipy.stats.CensoredData(
    uncensored=..., right=...)).sf``; the median is the smallest t with ``S(t) <= 0.5``
    (Kalbfleisch & Prentice), and where S stays exactly at 0.5 between two resolution times, the
    midpoint of those times (as R's ``survfit`` does), so that with no open tickets it equals the
    catalog's median (the mean of the two middle values of an even count); ``None`` when S
    never reaches 0.5.

    Interval (Brookmeyer-Crowley style): the times where the pointwise confidence band of S
    crosses 0.5 -- lower limit the first t where the band's lower curve is <= 0.5, upper limit
    the first t where its upper curve is. The band is scipy's log-log ("exponential Greenwood")
    interval, ``sf.confidence_interval(confidence, method="log-log")``; it is undefined where
    S = 1 (taken as 1) and where S = 0 (lower curve taken as 0, upper as not crossing). This is
    the inversion of the pointwise test of ``S(t) = 0.5``, as R's ``survfit`` reports it.
    ``high`` is ``None`` when the upper curve never reaches 0.5 in the data (the upper limit
    lies beyond the follow-up). Assumes censoring independent of resolution time.

    >>> i = km_median([2, 3, 4, 5, 6, 7, 8, 9], [True] * 8)
    >>> i.estimate, i.low, i.high
    (5.5, 2.0, 8.0)
    """
    confidence = check_confidence(confidence)
    method = "Kaplan-Meier median; log-log band crossing 0.5"
    t, r = _censored(durations, resolved, "durations")
    if t.size == 0 or not r.any():
        return Interval(None, None, None, method)
    sf = _st.ecdf(_st.CensoredData(uncensored=t[r], right=t[~r])).sf
    times, surv = np.asarray(sf.quantiles), np.asarray(sf.probabilities)
    median = _first_at_or_below_half(times, surv)
    if median is None:
        return Interval(None, None, None, method)
    at = int(np.searchsorted(times, median))
    if abs(surv[at] - 0.5) <= KM_TOLERANCE:
        # S = 0.5 until the next resolution: the midpoint (none later: only censoring follows,
        # and the median is the first time)
        later = np.flatnonzero(surv[at + 1 :] < 0.5 - KM_TOLERANCE)
        if later.size:
            median = (median + float(times[at + 1 + later[0]])) / 2
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        band = sf.confidence_interval(confidence_level=confidence, method="log-log")
    lower = np.asarray(band.low.probabilities, dtype=float)
    upper = np.asarray(band.high.probabilities, dtype=float)
    lower = np.where(np.isnan(lower), np.where(surv >= 1.0, 1.0, 0.0), lower)
    upper = np.where(np.isnan(upper), 1.0, upper)
    low = _first_at_or_below_half(times, lower)
    high = _first_at_or_below_half(times, upper)
    return Interval(
        median, min(low, median) if low is not None else None, max(high, median) if high is not None else None, method
    )


def logrank(x: Durations, x_resolved: ResolvedFlags, y: Durations, y_resolved: ResolvedFlags) -> float | None:
    """Two-sided log-rank p-value for equal resolution-time curves (``scipy.stats.logrank``).

    At each resolution time the resolutions of x are compared with their expected number given
    who is still open on both sides; the standardised sum is normal under equal curves. It tests
    the whole curves, not the medians; it is most powerful when one side resolves faster at
    every time (proportional hazards). ``None`` when a side is empty or nothing was resolved.

    >>> logrank([1, 2, 3], [True] * 3, [1, 2, 3], [True] * 3)
    1.0
    """
    tx, rx = _censored(x, x_resolved, "x")
    ty, ry = _censored(y, y_resolved, "y")
    if tx.size == 0 or ty.size == 0 or not (rx.any() or ry.any()):
        return None
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        result = _st.logrank(
            _st.CensoredData(uncensored=tx[rx], right=tx[~rx]), _st.CensoredData(uncensored=ty[ry], right=ty[~ry])
        )
    p = float(result.pvalue)
    if math.isnan(p):
        return None
    return 1.0 if float(result.statistic) == 0.0 else clip(p, 0.0, 1.0)


def km_median_difference(
    x: Durations,
    x_resolved: ResolvedFlags,
    y: Durations,
    y_resolved: ResolvedFlags,
    confidence: float = 0.95,
) -> Difference:
    """Difference of Kaplan-Meier medians (:func:`km_median`) with the log-rank p-value.

    ``estimate`` is ``median_x - median_y`` (``None`` if either curve never reaches 0.5). No
    interval: a sound interval for a difference of KM medians needs a bootstrap of both curves,
    not done here; ``low``/``high`` are ``None`` and ``method`` says so. The p-value is the
    log-rank test of equal curves (:func:`logrank`), which is about the whole curves rather
    than the medians. ``confidence`` is accepted for a uniform call and unused.

    >>> d = km_median_difference([4, 5, 6], [True] * 3, [1, 2, 3], [True] * 3)
    >>> d.estimate, d.low, round(d.p_value, 4)
    (3.0, None, 0.0246)
    """
    check_confidence(confidence)
    method = "difference of Kaplan-Meier medians (no interval); log-rank test"
    mx = km_median(x, x_resolved).estimate
    my = km_median(y, y_resolved).estimate
    estimate = mx - my if mx is not None and my is not None else None
    return Difference(estimate, None, None, logrank(x, x_resolved, y, y_resolved), method)
