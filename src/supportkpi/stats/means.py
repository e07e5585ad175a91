"""Means: the Student t interval of one mean and Welch's t interval and test of two."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats as _st

from supportkpi.stats.core import Difference, Interval, as_sample, check_confidence, clip


def mean_interval(x: Sequence[float], confidence: float = 0.95) -> Interval:
    """Mean with the Student t interval ``mean +- t(n-1) * s/sqrt(n)`` (s: sample SD, ddof 1).

    The interval is ``scipy.stats.ttest_1samp(x, 0).confidence_interval(confidence)``. Assumes
    independent values; the mean is roughly normal for large n even when the values are skewed
    (durations), but with few, very skewed values the coverage is below nominal. ``n = 0``: all
    ``None``; ``n = 1``: the mean without an interval; no variation: a point interval.

    >>> i = mean_interval([2.0, 4.0, 6.0])
    >>> i.estimate, round(i.low, 3), round(i.high, 3)
    (4.0, -0.968, 8.968)
    """
    confidence = check_confidence(confidence)
    arr = as_sample(x)
    method = "Student t interval"
    if arr.size == 0:
        return Interval(None, None, None, method)
    mean = float(arr.mean())
    if arr.size < 2:
        return Interval(mean, None, None, method)
    if float(arr.std(ddof=1)) == 0.0:
        return Interval(mean, mean, mean, method)
    ci = _st.ttest_1samp(arr, 0.0).confidence_interval(confidence_level=confidence)
    return Interval(mean, min(float(ci.low), mean), max(float(ci.high), mean), method)


def welch(
    x_mean: float, x_sd: float, x_n: int, y_mean: float, y_sd: float, y_n: int, confidence: float = 0.95
) -> Difference:
    """Difference of two means ``x_mean - y_mean``: Welch's t interval and test.

    ``SE = sqrt(sx^2/nx + sy^2/ny)``; Welch-Satterthwaite degrees of freedom
    ``df = SE^4 / ((sx^2/nx)^2/(nx-1) + (sy^2/ny)^2/(ny-1))``; interval ``diff +- t(df)*SE``
    from the t quantile; p-value from ``scipy.stats.ttest_ind_from_stats(..., equal_var=False)``.
    SDs are sample SDs (ddof 1). Assumes independent values and roughly normal means (fine for
    large n); unequal variances are allowed. Fewer than 2 values on a side: no interval and no
    p (the estimate is kept when both sides have a mean). Both SDs 0: p = 1 and a point
    interval when the means are equal, otherwise ``None`` (the t statistic is undefined).

    >>> d = welch(10.0, 2.0, 30, 9.0, 3.0, 40)
    >>> round(d.estimate, 1), round(d.low, 3), round(d.high, 3), round(d.p_value, 4)
    (1.0, -0.195, 2.195, 0.0995)
    """
    confidence = check_confidence(confidence)
    method = "Welch's t interval and test"
    if x_n < 0 or y_n < 0 or x_sd < 0 or y_sd < 0:
        raise ValueError("n and SD must not be negative")
    if x_n == 0 or y_n == 0:
        return Difference(None, None, None, None, method)
    diff = float(x_mean) - float(y_mean)
    if x_n < 2 or y_n < 2:
        return Difference(diff, None, None, None, method)
    vx, vy = x_sd**2 / x_n, y_sd**2 / y_n
    se = math.sqrt(vx + vy)
    if se == 0.0:
        if diff == 0.0:
            return Difference(diff, diff, diff, 1.0, method)
        return Difference(diff, None, None, None, method)
    df = (vx + vy) ** 2 / (vx**2 / (x_n - 1) + vy**2 / (y_n - 1))
    half = float(_st.t.ppf(0.5 + confidence / 2, df)) * se
    if diff == 0.0:
        p = 1.0
    else:
        p = float(_st.ttest_ind_from_stats(x_mean, x_sd, x_n, y_mean, y_sd, y_n, equal_var=False).pvalue)
    return Difference(diff, diff - half, diff + half, clip(p, 0.0, 1.0), method)


def welch_samples(x: Sequence[float], y: Sequence[float], confidence: float = 0.95) -> Difference:
    """:func:`welch` from two samples (mean, sample SD with ddof 1, n of each).

    Same as ``scipy.stats.ttest_ind(x, y, equal_var=False)`` for the p-value.

    >>> d = welch_samples([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0, 10.0])
    >>> d.estimate, round(d.p_value, 4)
    (-3.5, 0.0691)
    """
    a, b = as_sample(x, "x"), as_sample(y, "y")

    def parts(arr: np.ndarray) -> tuple[float, float, int]:
        if arr.size == 0:
            return 0.0, 0.0, 0
        return float(arr.mean()), float(arr.std(ddof=1)) if arr.size > 1 else 0.0, int(arr.size)

    return welch(*parts(a), *parts(b), confidence=confidence)
