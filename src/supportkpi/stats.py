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
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as _st
from scipy.special import ndtr, ndtri

__all__ = [
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

#: Smallest number of bootstrap resamples accepted: the p-value floor ``1/resamples`` must stay
#: below the usual significance levels.
MIN_RESAMPLES = 100
#: Largest number of values :func:`median_difference` holds at once (one batch of resamples).
BATCH_ELEMENTS = 5_000_000
#: ``S(t) <= 0.5`` is tested as ``S(t) <= 0.5 + KM_TOLERANCE``: scipy's survival curve is a
#: product of floats, so an exact 0.5 (e.g. 4 events of 8) may come out as 0.5000000000000001.
KM_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class Interval:
    """One side's estimate with a confidence interval (``low``/``high`` ``None``: not defined)."""

    estimate: float | None
    low: float | None
    high: float | None
    method: str


@dataclass(frozen=True, slots=True)
class Difference:
    """Side minus baseline: ``estimate = a - b``, its interval and a two-sided p-value.

    ``p_bound`` is ``True`` when ``p_value`` is an upper bound (``p <= p_value``), not a value.
    """

    estimate: float | None
    low: float | None
    high: float | None
    p_value: float | None
    method: str
    p_bound: bool = False


# --------------------------------------------------------------------------------------------
# helpers


def _check_confidence(confidence: float) -> float:
    confidence = float(confidence)
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1 (exclusive), not {confidence}")
    return confidence


def _z(confidence: float) -> float:
    """The two-sided normal quantile: 1.959963984540054 for 0.95."""
    return float(ndtri(0.5 + _check_confidence(confidence) / 2))


def _check_count(k: int, n: int, what: str = "k") -> None:
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"need 0 <= {what} <= n, got {what}={k}, n={n}")


def _sample(values, name: str = "x") -> np.ndarray:
    """A 1-D float array of finite values (NaN/inf raise: a sample must be cleaned first)."""
    arr = np.asarray(values if values is not None else [], dtype=float).ravel()
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} holds NaN or infinite values")
    return arr


def _two_sided_normal_p(z: float) -> float:
    """2 * P(Z > |z|), exactly 1.0 at z = 0."""
    return float(min(1.0, 2.0 * ndtr(-abs(z))))


def _clip(value: float, low: float, high: float) -> float:
    return float(min(high, max(low, value)))


# --------------------------------------------------------------------------------------------
# proportions


def wilson(k: int, n: int, confidence: float = 0.95) -> Interval:
    """Wilson score interval of a proportion ``k/n``, in percent (0-100).

    Method: the set of p whose score test ``|k/n - p| <= z*sqrt(p(1-p)/n)`` does not reject,
    i.e. ``(p^ + z^2/2n +- z*sqrt(p^(1-p^)/n + z^2/4n^2)) / (1 + z^2/n)`` with ``p^ = k/n`` and
    z the two-sided normal quantile, from ``scipy.stats.binomtest(k, n).proportion_ci(method=
    "wilson")``. Assumes n independent contacts with one common probability. Unlike the Wald
    interval it stays inside 0-100 and does not collapse at 0% or 100%. ``n = 0``: all ``None``.

    >>> w = wilson(81, 263)
    >>> round(w.estimate, 2), round(w.low, 2), round(w.high, 2)
    (30.8, 25.53, 36.62)
    >>> wilson(0, 0).estimate is None
    True
    """
    _check_count(k, n)
    confidence = _check_confidence(confidence)
    method = "Wilson score interval"
    if n == 0:
        return Interval(None, None, None, method)
    ci = _st.binomtest(int(k), int(n)).proportion_ci(confidence_level=confidence, method="wilson")
    return Interval(100.0 * k / n, 100.0 * float(ci.low), 100.0 * float(ci.high), method)


def proportion_difference(k1: int, n1: int, k2: int, n2: int,
                          confidence: float = 0.95) -> Difference:
    """Difference of two proportions ``k1/n1 - k2/n2`` in percentage points.

    Interval: Newcombe's hybrid score interval (Newcombe 1998, Statistics in Medicine 17:873-890,
    method 10), built from the two Wilson intervals ``(l1, u1)`` and ``(l2, u2)``::

        d = p1 - p2
        low  = d - sqrt((p1 - l1)^2 + (u2 - p2)^2)
        high = d + sqrt((u1 - p1)^2 + (p2 - l2)^2)

    scipy has no interval for a difference of proportions, so it is written here; its Wilson
    limits come from :func:`wilson`. It stays within -100..100 and is finite at 0% and 100%.

    Test: the two-sided pooled two-proportion z-test, ``z = d / sqrt(p(1-p)(1/n1 + 1/n2))`` with
    the pooled ``p = (k1+k2)/(n1+n2)``; when any expected cell count of the 2x2 table
    (``n_i*p``, ``n_i*(1-p)``) is below 5 the normal approximation is not trusted and Fisher's
    exact test (``scipy.stats.fisher_exact``, two-sided) is used instead, and ``method`` says so.
    Identical proportions (``k1*n2 == k2*n1``, including both 0% or both 100%) give p = 1.
    Assumes independent contacts, and the two sides independent of each other. Either ``n`` 0:
    all ``None``.

    >>> d = proportion_difference(56, 70, 48, 80)
    >>> round(d.estimate, 2), round(d.low, 2), round(d.high, 2), round(d.p_value, 4)
    (20.0, 5.24, 33.39, 0.008)
    >>> d.method
    'Newcombe hybrid score interval; two-proportion z-test'
    >>> proportion_difference(0, 10, 0, 10).p_value
    1.0
    """
    _check_count(k1, n1, "k1")
    _check_count(k2, n2, "k2")
    confidence = _check_confidence(confidence)
    if n1 == 0 or n2 == 0:
        return Difference(None, None, None, None, "Newcombe hybrid score interval")
    p1, p2 = k1 / n1, k2 / n2
    w1, w2 = wilson(k1, n1, confidence), wilson(k2, n2, confidence)
    l1, u1, l2, u2 = w1.low / 100, w1.high / 100, w2.low / 100, w2.high / 100
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    pooled = (k1 + k2) / (n1 + n2)
    expected = (n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled))
    if min(expected) < 5:
        test = "Fisher's exact test"
        if k1 * n2 == k2 * n1:
            p = 1.0
        else:
            table = [[k1, n1 - k1], [k2, n2 - k2]]
            p = float(_st.fisher_exact(table, alternative="two-sided").pvalue)
    else:
        test = "two-proportion z-test"
        if k1 * n2 == k2 * n1:
            p = 1.0
        else:
            se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
            p = _two_sided_normal_p(d / se)
    return Difference(100.0 * d, 100.0 * _clip(low, -1.0, d), 100.0 * _clip(high, d, 1.0),
                      _clip(p, 0.0, 1.0), f"Newcombe hybrid score interval; {test}")


# --------------------------------------------------------------------------------------------
# NPS


def _nps_parts(promoters: int, detractors: int, n: int) -> tuple[float, float]:
    """NPS and its standard error, both in NPS points."""
    if promoters < 0 or detractors < 0 or promoters + detractors > n:
        raise ValueError(f"need promoters + detractors <= n, got {promoters}+{detractors} > {n}")
    p, d = promoters / n, detractors / n
    variance = max(0.0, p + d - (p - d) ** 2) / n
    return 100.0 * (p - d), 100.0 * math.sqrt(variance)


def nps_interval(promoters: int, detractors: int, n: int, confidence: float = 0.95) -> Interval:
    """Net Promoter Score ``100*(p - d)`` with a normal-approximation interval.

    ``p``, ``d`` are the promoter and detractor shares of ``n`` answers. Each answer scores +1
    (promoter), 0 (passive) or -1 (detractor); its variance is ``p + d - (p - d)^2``, so the
    standard error of the NPS is ``100*sqrt((p + d - (p - d)^2)/n)`` and the interval is
    ``NPS +- z*SE``, cut to -100..100. Assumes independent answers and n large enough for the
    normal approximation; near +-100 or with few answers the interval is too narrow (it
    collapses to a point when every answer is in one category). ``n = 0``: all ``None``.

    >>> i = nps_interval(50, 20, 100)
    >>> round(i.estimate, 1), round(i.low, 2), round(i.high, 2)
    (30.0, 14.69, 45.31)
    """
    confidence = _check_confidence(confidence)
    method = "normal approximation (NPS standard error)"
    if n == 0:
        if promoters or detractors:
            raise ValueError("promoters/detractors given for n = 0")
        return Interval(None, None, None, method)
    nps, se = _nps_parts(promoters, detractors, n)
    half = _z(confidence) * se
    return Interval(nps, _clip(nps - half, -100.0, nps), _clip(nps + half, nps, 100.0), method)


def nps_difference(promoters1: int, detractors1: int, n1: int,
                   promoters2: int, detractors2: int, n2: int,
                   confidence: float = 0.95) -> Difference:
    """Difference of two NPS, in NPS points: normal interval and z-test.

    ``SE = sqrt(SE1^2 + SE2^2)`` with each side's ``SE_i = 100*sqrt((p_i + d_i - (p_i - d_i)^2)
    / n_i)`` (see :func:`nps_interval`); interval ``diff +- z*SE`` (cut to -200..200), p-value
    ``2*(1 - Phi(|diff|/SE))``. scipy has no NPS test, hence the formula here. Assumes
    independent answers, independent sides and large n. Equal NPS: p = 1. No variation on
    either side (SE = 0): p = 1 and a point interval when the NPS are equal, otherwise ``None``
    (the z-test is undefined). Either ``n`` 0: all ``None``.

    >>> d = nps_difference(50, 20, 100, 40, 30, 100)
    >>> round(d.estimate, 1), round(d.low, 2), round(d.high, 2), round(d.p_value, 4)
    (20.0, -2.35, 42.35, 0.0794)
    """
    confidence = _check_confidence(confidence)
    method = "normal approximation (NPS standard errors); z-test"
    if n1 == 0 or n2 == 0:
        return Difference(None, None, None, None, method)
    nps1, se1 = _nps_parts(promoters1, detractors1, n1)
    nps2, se2 = _nps_parts(promoters2, detractors2, n2)
    diff = nps1 - nps2
    se = math.hypot(se1, se2)
    if se == 0.0:
        if diff == 0.0:
            return Difference(diff, diff, diff, 1.0, method)
        return Difference(diff, None, None, None, method)
    half = _z(confidence) * se
    p = 1.0 if diff == 0.0 else _two_sided_normal_p(diff / se)
    return Difference(diff, _clip(diff - half, -200.0, diff), _clip(diff + half, diff, 200.0),
                      p, method)


# --------------------------------------------------------------------------------------------
# means


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
    confidence = _check_confidence(confidence)
    arr = _sample(x)
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


def welch(x_mean: float, x_sd: float, x_n: int, y_mean: float, y_sd: float, y_n: int,
          confidence: float = 0.95) -> Difference:
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
    confidence = _check_confidence(confidence)
    method = "Welch's t interval and test"
    if x_n < 0 or y_n < 0 or x_sd < 0 or y_sd < 0:
        raise ValueError("n and SD must not be negative")
    if x_n == 0 or y_n == 0:
        return Difference(None, None, None, None, method)
    diff = float(x_mean) - float(y_mean)
    if x_n < 2 or y_n < 2:
        return Difference(diff, None, None, None, method)
    vx, vy = x_sd ** 2 / x_n, y_sd ** 2 / y_n
    se = math.sqrt(vx + vy)
    if se == 0.0:
        if diff == 0.0:
            return Difference(diff, diff, diff, 1.0, method)
        return Difference(diff, None, None, None, method)
    df = (vx + vy) ** 2 / (vx ** 2 / (x_n - 1) + vy ** 2 / (y_n - 1))
    half = float(_st.t.ppf(0.5 + confidence / 2, df)) * se
    if diff == 0.0:
        p = 1.0
    else:
        p = float(_st.ttest_ind_from_stats(x_mean, x_sd, x_n, y_mean, y_sd, y_n,
                                           equal_var=False).pvalue)
    return Difference(diff, diff - half, diff + half, _clip(p, 0.0, 1.0), method)


def welch_samples(x: Sequence[float], y: Sequence[float], confidence: float = 0.95) -> Difference:
    """:func:`welch` from two samples (mean, sample SD with ddof 1, n of each).

    Same as ``scipy.stats.ttest_ind(x, y, equal_var=False)`` for the p-value.

    >>> d = welch_samples([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0, 10.0])
    >>> d.estimate, round(d.p_value, 4)
    (-3.5, 0.0691)
    """
    a, b = _sample(x, "x"), _sample(y, "y")

    def parts(arr: np.ndarray) -> tuple[float, float, int]:
        if arr.size == 0:
            return 0.0, 0.0, 0
        return float(arr.mean()), float(arr.std(ddof=1)) if arr.size > 1 else 0.0, int(arr.size)

    return welch(*parts(a), *parts(b), confidence=confidence)


# --------------------------------------------------------------------------------------------
# medians: BCa bootstrap


def _bootstrap_medians(sorted_x: np.ndarray, resamples: int,
                       rng: np.random.Generator) -> np.ndarray:
    """``resamples`` bootstrap medians of a sorted sample, in O(resamples) time and memory.

    A resample is n independent indices ``floor(n*U_i)`` with ``U_i`` uniform on (0, 1). Index
    and value are non-decreasing functions of ``U`` (the sample is sorted), so the k-th smallest
    value of the resample is ``x[floor(n*U_(k))]`` with ``U_(k)`` the k-th order statistic of
    n uniforms, which is Beta(k, n-k+1). For even n the median also needs ``U_(k+1)``: given
    ``U_(k) = u`` the other n-k uniforms are uniform on (u, 1), so ``U_(k+1) = u + (1-u)*V``
    with V ~ Beta(1, n-k) (their minimum). This is exactly the distribution of
    ``numpy.median(x[rng.integers(0, n, n)])`` without drawing the n indices, so memory stays
    bounded by the number of resamples whatever n is; it is drawn in batches of at most
    :data:`BATCH_ELEMENTS` values anyway (four arrays of one batch's length).
    """
    n = sorted_x.size
    k = (n + 1) // 2  # the k-th smallest (1-based) is the median (odd n) or its lower half
    out = np.empty(resamples)
    batch = max(1, BATCH_ELEMENTS // 4)
    for start in range(0, resamples, batch):
        size = min(batch, resamples - start)
        u = rng.beta(k, n - k + 1, size)
        lower = sorted_x[np.minimum((u * n).astype(np.int64), n - 1)]
        if n % 2:
            out[start:start + size] = lower
        else:
            u2 = u + (1.0 - u) * rng.beta(1, n - k, size)
            upper = sorted_x[np.minimum((u2 * n).astype(np.int64), n - 1)]
            out[start:start + size] = (lower + upper) / 2
    return out


def _median_jackknife(sorted_x: np.ndarray) -> tuple[float, float]:
    """``(sum U^3, sum U^2)`` of the median's jackknife, ``U_i = (n-1)*(mean - theta_(i))``.

    Leaving out one value of a sorted sample moves the median in only two or three ways, so the
    n leave-one-out medians are known without recomputing any (O(1) after the sort):

    * n = 2m+1 (median ``x[m]``): leaving out one of the m values below the middle gives
      ``(x[m] + x[m+1])/2``; the middle one itself gives ``(x[m-1] + x[m+1])/2``; one of the m
      above gives ``(x[m-1] + x[m])/2``.
    * n = 2m (median ``(x[m-1] + x[m])/2``): leaving out one of the lower m gives ``x[m]``, one
      of the upper m gives ``x[m-1]``.

    The sums over the n jackknife values are then sums over these 2 or 3 values weighted by
    their counts. Needs n >= 2.
    """
    n = sorted_x.size
    m = n // 2
    if n % 2:
        values = np.array([(sorted_x[m] + sorted_x[m + 1]) / 2,
                           (sorted_x[m - 1] + sorted_x[m + 1]) / 2,
                           (sorted_x[m - 1] + sorted_x[m]) / 2])
        counts = np.array([m, 1, m], dtype=float)
    else:
        values = np.array([sorted_x[m], sorted_x[m - 1]])
        counts = np.array([m, m], dtype=float)
    if np.ptp(values) <= 1e-12 * max(1.0, float(np.abs(values).max())):
        return 0.0, 0.0  # every leave-one-out median is the same (ties): no skew to correct
    mean = float((values * counts).sum() / n)
    u = (n - 1) * (mean - values)
    return float((counts * u ** 3).sum()), float((counts * u ** 2).sum())


def _acceleration(parts: list[tuple[float, float, int, int]]) -> float:
    """BCa acceleration from per-sample jackknife sums, as ``scipy.stats.bootstrap`` pools them.

    Each sample j is jackknifed with the other samples intact; with ``U_ji`` as in
    :func:`_median_jackknife` and ``s_j`` = +1 (the statistic increases with that sample's
    median) or -1 (it decreases: the subtracted baseline)::

        a = 1/6 * sum_j s_j * sum_i U_ji^3 / n_j^3  /  (sum_j sum_i U_ji^2 / n_j^2)^(3/2)

    No jackknife variation at all: a = 0.
    """
    num = sum(sign * cube / n ** 3 for cube, _, n, sign in parts)
    den = sum(square / n ** 2 for _, square, n, _ in parts)
    if den <= 0.0:
        return 0.0
    return float(num / 6.0 / den ** 1.5)


class _MidDistribution:
    """The bootstrap distribution as a continuous, increasing function (and its inverse).

    At each distinct bootstrap value ``v`` the level is the share of values below ``v`` plus
    half the share equal to ``v`` (ties counted half); between two neighbouring values it is
    linear; below the smallest value it is 0 and above the largest 1. The quantile function is
    its inverse (kept at the smallest/largest value outside their levels). Because the BCa
    interval's limits and the p-value's share of bootstrap values at 0 come from this one
    function, "p < alpha" and "0 outside the (1 - alpha) interval" are the same statement.
    """

    def __init__(self, values: np.ndarray) -> None:
        self.values, counts = np.unique(values, return_counts=True)
        self.levels = (np.cumsum(counts) - counts / 2) / values.size

    def level(self, t: float) -> float:
        if t < self.values[0]:
            return 0.0
        if t > self.values[-1]:
            return 1.0
        return float(np.interp(t, self.values, self.levels))

    def quantile(self, level: float) -> float:
        return float(np.interp(level, self.levels, self.values))


def _bca_level(z0: float, a: float, z_alpha: float) -> float:
    """BCa-adjusted level ``Phi(z0 + v/(1 - a*v))``, ``v = z0 + z_alpha``.

    Past the pole ``1 - a*v <= 0`` (only for extreme levels) the limit is used (0 or 1), which
    keeps the adjusted level monotone in ``z_alpha``.
    """
    v = z0 + z_alpha
    den = 1.0 - a * v
    if den <= 0.0:
        return 1.0 if v > 0 else 0.0
    return float(ndtr(z0 + v / den))


def _bca(theta_hat: float, boot: np.ndarray, a: float, confidence: float):
    """BCa limits, z0 and the mid-distribution of the bootstrap values."""
    dist = _MidDistribution(boot)
    resamples = boot.size
    share = _clip(dist.level(theta_hat), 0.5 / resamples, 1 - 0.5 / resamples)
    z0 = float(ndtri(share))
    z_hi = _z(confidence)
    low = dist.quantile(_bca_level(z0, a, -z_hi))
    high = dist.quantile(_bca_level(z0, a, z_hi))
    return low, high, z0, dist


def _check_resamples(resamples: int) -> int:
    resamples = int(resamples)
    if resamples < MIN_RESAMPLES:
        raise ValueError(f"resamples must be at least {MIN_RESAMPLES}, not {resamples}")
    return resamples


def _first_in_order(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether sorted sample ``a`` comes before ``b`` (by size, then by value)."""
    if a.size != b.size:
        return a.size < b.size
    differ = np.flatnonzero(a != b)
    return True if differ.size == 0 else bool(a[differ[0]] < b[differ[0]])


def median_difference(x: Sequence[float], y: Sequence[float], *, resamples: int = 2000,
                      confidence: float = 0.95, seed: int = 0) -> Difference:
    """Difference of medians ``median(x) - median(y)``: BCa bootstrap interval and p-value.

    **Bootstrap.** Each sample is resampled with replacement independently of the other (the
    sides are independent groups), ``resamples`` times; each replicate is
    ``median(x*) - median(y*)``. Medians of resamples are drawn exactly from order statistics
    of uniforms (see ``_bootstrap_medians``): O(resamples) time and memory whatever the sample
    sizes, so 100k contacts per side take milliseconds. Reproducible with ``seed``
    (``numpy.random.default_rng(seed)``); the random streams go to the two samples in a fixed
    order of the data (size, then values), so swapping x and y mirrors the result exactly.

    **BCa interval** (Efron & Tibshirani 1993, ch. 14), with z the normal quantile:
    ``z0 = Phi^-1(share of replicates below the estimate, ties counted half)`` (durations in
    whole seconds tie a lot; when no replicate equals the estimate, the share is interpolated
    between its neighbours, see below); acceleration ``a`` from the jackknife, two-sample as
    ``scipy.stats.bootstrap`` does it (each sample jackknifed with the other intact, pooled; see
    ``_acceleration``); limits at the replicate quantiles of levels
    ``Phi(z0 + (z0 +- z)/(1 - a*(z0 +- z)))``. Written here because ``scipy.stats.bootstrap``'s
    BCa recomputes the statistic on every jackknife sample, O(n^2) (infeasible for 100k
    contacts per side), whereas the median's n leave-one-out values take only two or three
    distinct values on the sorted sample (``_median_jackknife``), so ``a`` costs one sort,
    O(n log n). Quantiles come from the mid-distribution of the replicates (``_MidDistribution``:
    ties half, linear between neighbouring values); this differs from numpy's percentile by at
    most one gap between neighbouring replicate values.

    **p-value** by inverting the BCa interval: the smallest alpha at which the (1 - alpha)
    interval excludes 0. With ``q`` the share of replicates at or below 0 (ties counted half,
    from the same mid-distribution as the limits) the lower limit is above 0 when the lower
    level ``Phi(z0 + v/(1 - a*v))``, ``v = z0 + z_(alpha/2)``, exceeds q. Solving
    ``Phi^-1(q) - z0 = w = v/(1 - a*v)`` gives ``v = w/(1 + a*w)``, so the interval excludes 0
    from ``z_(alpha/2) = z := w/(1 + a*w) - z0`` on (the upper limit is symmetric), hence::

        p = 2 * min(Phi(z), 1 - Phi(z))

    and "p < alpha" holds exactly when 0 is outside the (1 - alpha) interval (up to float
    rounding when p equals alpha). Without the rule below for a zero estimate, the inversion
    alone would give ``2*Phi(-|z0|)`` there. When
    ``1 + a*w <= 0`` no BCa interval reaches 0 (p = 0). The bootstrap cannot resolve p below
    ``1/resamples``: a smaller p (including every replicate on one side of 0) is reported as
    ``1/resamples`` with ``p_bound=True`` (read "p <= 1/resamples"). An observed difference of
    exactly 0 has p = 1 (the interval contains the estimate unless ``|z0|`` exceeds the normal
    quantile of the level, which the median's bootstrap does not produce in practice).

    **Assumptions:** independent contacts, each side a random sample of its own population.
    The bootstrap is approximate for small samples. Either side empty: all ``None``; a side
    with a single value: the estimate only (one value says nothing about its own spread).
    ``resamples`` must be at least :data:`MIN_RESAMPLES` and above ``1/(1 - confidence)``, so
    that the floor ``1/resamples`` stays below the level the interval is read at.

    >>> d = median_difference(range(100, 200), range(0, 100))
    >>> d.estimate, d.low > 0, d.p_value, d.p_bound
    (100.0, True, 0.0005, True)
    >>> d.method
    'BCa bootstrap of the difference in medians (2000 resamples, seed 0)'
    >>> median_difference([3, 1, 2], [2, 3, 1]).p_value
    1.0
    """
    confidence = _check_confidence(confidence)
    resamples = _check_resamples(resamples)
    if 1.0 / resamples >= (1.0 - confidence) - 1e-12:
        raise ValueError(f"{resamples} resamples cannot resolve p-values below "
                         f"{1 - confidence:g}: use more than {1 / (1 - confidence):.0f}")
    method = f"BCa bootstrap of the difference in medians ({resamples} resamples, seed {seed})"
    xs, ys = np.sort(_sample(x, "x")), np.sort(_sample(y, "y"))
    if xs.size == 0 or ys.size == 0:
        return Difference(None, None, None, None, method)
    estimate = float(np.median(xs) - np.median(ys))
    if xs.size < 2 or ys.size < 2:
        return Difference(estimate, None, None, None, method)
    rng = np.random.default_rng(seed)
    if _first_in_order(xs, ys):
        bx = _bootstrap_medians(xs, resamples, rng)
        by = _bootstrap_medians(ys, resamples, rng)
    else:
        by = _bootstrap_medians(ys, resamples, rng)
        bx = _bootstrap_medians(xs, resamples, rng)
    boot = bx - by
    a = _acceleration([(*_median_jackknife(xs), xs.size, 1), (*_median_jackknife(ys), ys.size, -1)])
    low, high, z0, dist = _bca(estimate, boot, a, confidence)
    low, high = min(low, high), max(low, high)
    if estimate == 0.0:
        return Difference(estimate, low, high, 1.0, method)
    p = _bca_p_value(dist.level(0.0), z0, a)
    if p < 1.0 / resamples:
        return Difference(estimate, low, high, 1.0 / resamples, method, p_bound=True)
    return Difference(estimate, low, high, p, method)


def _bca_p_value(q: float, z0: float, a: float) -> float:
    """Two-sided p from inverting the BCa interval (see :func:`median_difference`)."""
    if q <= 0.0 or q >= 1.0:
        return 0.0
    if a == 0.0 and z0 == 0.0:  # the percentile case: p = 2*min(q, 1-q), without rounding
        return _clip(2.0 * min(q, 1.0 - q), 0.0, 1.0)
    w = float(ndtri(q)) - z0
    den = 1.0 + a * w
    if den <= 0.0:
        return 0.0
    z = w / den - z0
    return _clip(2.0 * min(float(ndtr(z)), float(ndtr(-z))), 0.0, 1.0)


def median_interval(x: Sequence[float], *, resamples: int = 2000, confidence: float = 0.95,
                    seed: int = 0) -> Interval:
    """Median of one sample with a BCa bootstrap interval.

    The one-sample case of :func:`median_difference`: replicate medians drawn exactly from
    order statistics, ``z0`` with ties counted half, acceleration from the closed-form jackknife
    of the median (``a = 1/6 * sum U^3 / (sum U^2)^(3/2)``, 0 when the jackknife does not vary,
    where scipy gives NaN). BCa rather than percentile because the median of skewed durations
    has a skewed sampling distribution. With no p-value to agree with, the limits are the
    replicate quantiles as ``scipy.stats.bootstrap`` takes them (linear interpolation between
    order statistics of the replicates), so the interval is scipy's BCa up to Monte Carlo error.
    Assumes independent values. ``n = 0``: all ``None``; ``n = 1``: the value without an
    interval.

    >>> i = median_interval(range(1, 102))
    >>> i.estimate, i.low < 51 < i.high
    (51.0, True)
    """
    confidence = _check_confidence(confidence)
    resamples = _check_resamples(resamples)
    method = f"BCa bootstrap of the median ({resamples} resamples, seed {seed})"
    xs = np.sort(_sample(x))
    if xs.size == 0:
        return Interval(None, None, None, method)
    estimate = float(np.median(xs))
    if xs.size < 2:
        return Interval(estimate, None, None, method)
    boot = _bootstrap_medians(xs, resamples, np.random.default_rng(seed))
    a = _acceleration([(*_median_jackknife(xs), xs.size, 1)])
    share = (np.count_nonzero(boot < estimate) + np.count_nonzero(boot <= estimate)) / (2 * resamples)
    z0 = float(ndtri(_clip(share, 0.5 / resamples, 1 - 0.5 / resamples)))
    z = _z(confidence)
    low, high = np.quantile(boot, [_bca_level(z0, a, -z), _bca_level(z0, a, z)])
    return Interval(estimate, float(min(low, high)), float(max(low, high)), method)


# --------------------------------------------------------------------------------------------
# resolution times with open tickets: Kaplan-Meier


def _censored(durations, resolved, name: str):
    t = _sample(durations, name)
    r = np.asarray(resolved if resolved is not None else [], dtype=bool).ravel()
    if r.shape != t.shape:
        raise ValueError(f"{name}: durations and resolved flags differ in length")
    return t, r


def _first_at_or_below_half(times: np.ndarray, curve: np.ndarray) -> float | None:
    hits = np.flatnonzero(curve <= 0.5 + KM_TOLERANCE)
    return float(times[hits[0]]) if hits.size else None


def km_median(durations: Sequence[float], resolved: Sequence[bool],
              confidence: float = 0.95) -> Interval:
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
    confidence = _check_confidence(confidence)
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
        later = np.flatnonzero(surv[at + 1:] < 0.5 - KM_TOLERANCE)
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
    return Interval(median, min(low, median) if low is not None else None,
                    max(high, median) if high is not None else None, method)


def logrank(x: Sequence[float], x_resolved: Sequence[bool],
            y: Sequence[float], y_resolved: Sequence[bool]) -> float | None:
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
        result = _st.logrank(_st.CensoredData(uncensored=tx[rx], right=tx[~rx]),
                             _st.CensoredData(uncensored=ty[ry], right=ty[~ry]))
    p = float(result.pvalue)
    if math.isnan(p):
        return None
    return 1.0 if float(result.statistic) == 0.0 else _clip(p, 0.0, 1.0)


def km_median_difference(x: Sequence[float], x_resolved: Sequence[bool],
                         y: Sequence[float], y_resolved: Sequence[bool],
                         confidence: float = 0.95) -> Difference:
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
    _check_confidence(confidence)
    method = "difference of Kaplan-Meier medians (no interval); log-rank test"
    mx = km_median(x, x_resolved).estimate
    my = km_median(y, y_resolved).estimate
    estimate = mx - my if mx is not None and my is not None else None
    return Difference(estimate, None, None, logrank(x, x_resolved, y, y_resolved), method)


# --------------------------------------------------------------------------------------------
# multiple comparisons


def holm(p_values: Sequence[float | None]) -> list[float | None]:
    """Holm-Bonferroni adjusted p-values (step-down), in the input order.

    With the m given p-values sorted ascending ``p_(1) <= ... <= p_(m)``, the adjusted value of
    ``p_(i)`` is ``max_{j <= i} min(1, (m - j + 1) * p_(j))``: monotone in the raw p and capped
    at 1. Rejecting where the adjusted p < alpha controls the family-wise error rate at alpha
    under any dependence. ``None`` (no test) passes through and does not count in m. scipy has
    no Holm adjustment, hence written here.

    >>> [round(p, 4) for p in holm([0.01, 0.04, 0.03, 0.005])]
    [0.03, 0.06, 0.06, 0.02]
    >>> holm([0.02, None, 0.5])
    [0.04, None, 0.5]
    """
    given = [(i, float(p)) for i, p in enumerate(p_values) if p is not None]
    for _, p in given:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"p-values must be within 0..1, got {p}")
    out: list[float | None] = [None] * len(p_values)
    m = len(given)
    running = 0.0
    for rank, (i, p) in enumerate(sorted(given, key=lambda item: item[1])):
        running = max(running, min(1.0, (m - rank) * p))
        out[i] = running
    return out
