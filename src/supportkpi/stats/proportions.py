"""Proportions (Wilson, Newcombe with a z or Fisher test) and the Net Promoter Score (normal
approximation with the NPS standard error)."""

from __future__ import annotations

import math

from scipy import stats as _st

from supportkpi.stats.core import (
    Difference,
    Interval,
    check_confidence,
    check_count,
    clip,
    two_sided_normal_p,
    z_value,
)


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
    check_count(k, n)
    confidence = check_confidence(confidence)
    method = "Wilson score interval"
    if n == 0:
        return Interval(None, None, None, method)
    ci = _st.binomtest(int(k), int(n)).proportion_ci(confidence_level=confidence, method="wilson")
    return Interval(100.0 * k / n, 100.0 * float(ci.low), 100.0 * float(ci.high), method)


def proportion_difference(k1: int, n1: int, k2: int, n2: int, confidence: float = 0.95) -> Difference:
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
    check_count(k1, n1, "k1")
    check_count(k2, n2, "k2")
    confidence = check_confidence(confidence)
    if n1 == 0 or n2 == 0:
        return Difference(None, None, None, None, "Newcombe hybrid score interval")
    p1, p2 = k1 / n1, k2 / n2
    w1, w2 = wilson(k1, n1, confidence), wilson(k2, n2, confidence)
    # n1, n2 > 0: both intervals have limits
    assert w1.low is not None and w1.high is not None and w2.low is not None and w2.high is not None
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
            p = two_sided_normal_p(d / se)
    return Difference(
        100.0 * d,
        100.0 * clip(low, -1.0, d),
        100.0 * clip(high, d, 1.0),
        clip(p, 0.0, 1.0),
        f"Newcombe hybrid score interval; {test}",
    )


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
    confidence = check_confidence(confidence)
    method = "normal approximation (NPS standard error)"
    if n == 0:
        if promoters or detractors:
            raise ValueError("promoters/detractors given for n = 0")
        return Interval(None, None, None, method)
    nps, se = _nps_parts(promoters, detractors, n)
    half = z_value(confidence) * se
    return Interval(nps, clip(nps - half, -100.0, nps), clip(nps + half, nps, 100.0), method)


def nps_difference(
    promoters1: int, detractors1: int, n1: int, promoters2: int, detractors2: int, n2: int, confidence: float = 0.95
) -> Difference:
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
    confidence = check_confidence(confidence)
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
    half = z_value(confidence) * se
    p = 1.0 if diff == 0.0 else two_sided_normal_p(diff / se)
    return Difference(diff, clip(diff - half, -200.0, diff), clip(diff + half, diff, 200.0), p, method)
