"""Medians: BCa bootstrap interval of one median and of a difference of medians, with its p-value
by inverting the interval. Replicate medians are drawn from order statistics, so the cost does not
grow with the sample size."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.special import ndtr, ndtri

from supportkpi.stats.core import Difference, Interval, as_sample, check_confidence, clip, z_value

#: Smallest number of bootstrap resamples accepted: the p-value floor ``1/resamples`` must stay
#: below the usual significance levels.
MIN_RESAMPLES = 100
#: Largest number of values :func:`median_difference` holds at once (one batch of resamples).
BATCH_ELEMENTS = 5_000_000


def _bootstrap_medians(sorted_x: np.ndarray, resamples: int, rng: np.random.Generator) -> np.ndarray:
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
            out[start : start + size] = lower
        else:
            u2 = u + (1.0 - u) * rng.beta(1, n - k, size)
            upper = sorted_x[np.minimum((u2 * n).astype(np.int64), n - 1)]
            out[start : start + size] = (lower + upper) / 2
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
        values = np.array(
            [
                (sorted_x[m] + sorted_x[m + 1]) / 2,
                (sorted_x[m - 1] + sorted_x[m + 1]) / 2,
                (sorted_x[m - 1] + sorted_x[m]) / 2,
            ]
        )
        counts = np.array([m, 1, m], dtype=float)
    else:
        values = np.array([sorted_x[m], sorted_x[m - 1]])
        counts = np.array([m, m], dtype=float)
    if np.ptp(values) <= 1e-12 * max(1.0, float(np.abs(values).max())):
        return 0.0, 0.0  # every leave-one-out median is the same (ties): no skew to correct
    mean = float((values * counts).sum() / n)
    u = (n - 1) * (mean - values)
    return float((counts * u**3).sum()), float((counts * u**2).sum())


def _acceleration(parts: list[tuple[float, float, int, int]]) -> float:
    """BCa acceleration from per-sample jackknife sums, as ``scipy.stats.bootstrap`` pools them.

    Each sample j is jackknifed with the other samples intact; with ``U_ji`` as in
    :func:`_median_jackknife` and ``s_j`` = +1 (the statistic increases with that sample's
    median) or -1 (it decreases: the subtracted baseline)::

        a = 1/6 * sum_j s_j * sum_i U_ji^3 / n_j^3  /  (sum_j sum_i U_ji^2 / n_j^2)^(3/2)

    No jackknife variation at all: a = 0.
    """
    num = sum(sign * cube / n**3 for cube, _, n, sign in parts)
    den = sum(square / n**2 for _, square, n, _ in parts)
    if den <= 0.0:
        return 0.0
    return float(num / 6.0 / den**1.5)


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
    share = clip(dist.level(theta_hat), 0.5 / resamples, 1 - 0.5 / resamples)
    z0 = float(ndtri(share))
    z_hi = z_value(confidence)
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


def median_difference(
    x: Sequence[float], y: Sequence[float], *, resamples: int = 2000, confidence: float = 0.95, seed: int = 0
) -> Difference:
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
    confidence = check_confidence(confidence)
    resamples = _check_resamples(resamples)
    if 1.0 / resamples >= (1.0 - confidence) - 1e-12:
        raise ValueError(
            f"{resamples} resamples cannot resolve p-values below "
            f"{1 - confidence:g}: use more than {1 / (1 - confidence):.0f}"
        )
    method = f"BCa bootstrap of the difference in medians ({resamples} resamples, seed {seed})"
    xs, ys = np.sort(as_sample(x, "x")), np.sort(as_sample(y, "y"))
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
        return clip(2.0 * min(q, 1.0 - q), 0.0, 1.0)
    w = float(ndtri(q)) - z0
    den = 1.0 + a * w
    if den <= 0.0:
        return 0.0
    z = w / den - z0
    return clip(2.0 * min(float(ndtr(z)), float(ndtr(-z))), 0.0, 1.0)


def median_interval(x: Sequence[float], *, resamples: int = 2000, confidence: float = 0.95, seed: int = 0) -> Interval:
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
    confidence = check_confidence(confidence)
    resamples = _check_resamples(resamples)
    method = f"BCa bootstrap of the median ({resamples} resamples, seed {seed})"
    xs = np.sort(as_sample(x))
    if xs.size == 0:
        return Interval(None, None, None, method)
    estimate = float(np.median(xs))
    if xs.size < 2:
        return Interval(estimate, None, None, method)
    boot = _bootstrap_medians(xs, resamples, np.random.default_rng(seed))
    a = _acceleration([(*_median_jackknife(xs), xs.size, 1)])
    share = (np.count_nonzero(boot < estimate) + np.count_nonzero(boot <= estimate)) / (2 * resamples)
    z0 = float(ndtri(clip(share, 0.5 / resamples, 1 - 0.5 / resamples)))
    z = z_value(confidence)
    low, high = np.quantile(boot, [_bca_level(z0, a, -z), _bca_level(z0, a, z)])
    return Interval(estimate, float(min(low, high)), float(max(low, high)), method)
