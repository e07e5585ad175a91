"""supportkpi.stats: known answers (published tables, closed formulas worked by hand, scipy on
the cases it can do), the BCa bootstrap against scipy's, and properties with hypothesis."""

from __future__ import annotations

import itertools
import math
import time
import warnings
from fractions import Fraction

import numpy as np
import pytest
import scipy.stats as sst
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from supportkpi import stats

Z95 = 1.959963984540054  # Phi^-1(0.975)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def wilson_closed(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson (1927): (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)."""
    p = k / n
    centre = p + z * z / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - half) / (1 + z * z / n), (centre + half) / (1 + z * z / n)


def newcombe_closed(k1: int, n1: int, k2: int, n2: int, z: float = Z95) -> tuple[float, float]:
    """Newcombe (1998) method 10 from the two closed-form Wilson intervals."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson_closed(k1, n1, z)
    l2, u2 = wilson_closed(k2, n2, z)
    d = p1 - p2
    return d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


def two_sided_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


# --- Wilson ---------------------------------------------------------------------------------


def test_wilson_published_values():
    # Newcombe (1998a), Statistics in Medicine 17:857-872, Table I: 81/263 -> 0.2553-0.3662 and
    # 15/148 -> 0.0624-0.1605 (the same values are asserted by the R package propint,
    # m-Py/propint tests/testthat/test_Single_Proportion_CI.R).
    for k, n, low, high in [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605)]:
        closed = wilson_closed(k, n)
        assert closed[0] == pytest.approx(low, abs=5e-5) and closed[1] == pytest.approx(high, abs=5e-5)
        w = stats.wilson(k, n)
        assert w.estimate == pytest.approx(100 * k / n)
        assert w.low == pytest.approx(100 * closed[0], abs=1e-9)
        assert w.high == pytest.approx(100 * closed[1], abs=1e-9)


@pytest.mark.parametrize("k,n", [(0, 1), (0, 10), (10, 10), (3, 7), (500, 1000), (1, 100000)])
@pytest.mark.parametrize("confidence", [0.8, 0.95, 0.99])
def test_wilson_equals_closed_formula(k, n, confidence):
    z = float(sst.norm.ppf(0.5 + confidence / 2))
    low, high = wilson_closed(k, n, z)
    w = stats.wilson(k, n, confidence)
    assert (w.low, w.high) == pytest.approx((100 * low, 100 * high), abs=1e-9)
    assert 0 <= w.low <= w.estimate <= w.high <= 100


def test_wilson_empty_and_invalid():
    assert stats.wilson(0, 0) == stats.Interval(None, None, None, "Wilson score interval")
    with pytest.raises(ValueError):
        stats.wilson(5, 4)
    with pytest.raises(ValueError):
        stats.wilson(1, 4, confidence=1.0)


# --- Newcombe difference and the two-proportion tests --------------------------------------


def test_newcombe_published_values():
    # Newcombe (1998b), "Interval estimation for the difference between independent
    # proportions: comparison of eleven methods", Statistics in Medicine 17:873-890, Table II,
    # method 10: 56/70 - 48/80 -> (0.0524, 0.3339); 9/10 - 3/10 -> (0.1705, 0.8090). (The same
    # values are asserted by m-Py/propint tests/testthat/test_Two_Independent_Props_CI.R.)
    for k1, n1, k2, n2, low, high in [(56, 70, 48, 80, 0.0524, 0.3339), (9, 10, 3, 10, 0.1705, 0.8090)]:
        closed = newcombe_closed(k1, n1, k2, n2)
        assert closed == pytest.approx((low, high), abs=5e-5)
        d = stats.proportion_difference(k1, n1, k2, n2)
        assert d.estimate == pytest.approx(100 * (k1 / n1 - k2 / n2))
        assert (d.low, d.high) == pytest.approx((100 * closed[0], 100 * closed[1]), abs=1e-9)
        assert d.method.startswith("Newcombe hybrid score interval")


@pytest.mark.parametrize(
    "k1,n1,k2,n2",
    [(0, 10, 0, 20), (0, 10, 0, 10), (10, 10, 0, 20), (5, 56, 0, 29), (1, 3, 2, 3), (700, 1000, 650, 900)],
)
def test_newcombe_equals_closed_formula(k1, n1, k2, n2):
    low, high = newcombe_closed(k1, n1, k2, n2)
    d = stats.proportion_difference(k1, n1, k2, n2)
    assert (d.low, d.high) == pytest.approx((100 * low, 100 * high), abs=1e-9)


def test_degenerate_proportions_have_p_one_and_a_finite_interval():
    u10, u20 = wilson_closed(0, 10)[1], wilson_closed(0, 20)[1]  # z²/(n + z²)
    d = stats.proportion_difference(0, 10, 0, 20)
    assert d.p_value == 1.0 and d.estimate == 0.0
    assert (d.low, d.high) == pytest.approx((-100 * u20, 100 * u10))
    d = stats.proportion_difference(20, 20, 10, 10)
    assert d.p_value == 1.0 and (d.low, d.high) == pytest.approx((-100 * u20, 100 * u10))
    assert stats.proportion_difference(30, 100, 60, 200).p_value == 1.0  # identical, z-test path
    assert stats.proportion_difference(3, 10, 6, 20).p_value == 1.0  # identical, Fisher path
    assert stats.proportion_difference(0, 0, 3, 10).estimate is None


def test_two_proportion_z_by_hand():
    # 56/70 vs 48/80: pooled p = 104/150; z = 0.2 / sqrt(p(1-p)(1/70 + 1/80)) = 2.6501...
    pooled = 104 / 150
    z = (56 / 70 - 48 / 80) / math.sqrt(pooled * (1 - pooled) * (1 / 70 + 1 / 80))
    assert z == pytest.approx(2.65017, abs=1e-5)
    d = stats.proportion_difference(56, 70, 48, 80)
    assert d.method == "Newcombe hybrid score interval; two-proportion z-test"
    assert d.p_value == pytest.approx(two_sided_p(z), rel=1e-12)
    # z² is the uncorrected Pearson chi-square of the 2x2 table
    chi2 = sst.chi2_contingency([[56, 14], [48, 32]], correction=False)
    assert d.p_value == pytest.approx(chi2.pvalue, rel=1e-9)


def test_fisher_when_an_expected_count_is_below_5():
    # 3/10 vs 8/10: pooled 11/20, expected failures 4.5 < 5 -> Fisher's exact test.
    d = stats.proportion_difference(3, 10, 8, 10)
    assert d.method == "Newcombe hybrid score interval; Fisher's exact test"
    assert d.p_value == pytest.approx(sst.fisher_exact([[3, 7], [8, 2]]).pvalue, rel=1e-12)

    # by hand: hypergeometric tables with 11 successes in 20, 10 in the first row; two-sided p
    # sums the tables no more probable than the observed one.
    def prob(a):
        return Fraction(math.comb(10, a) * math.comb(10, 11 - a), math.comb(20, 11))

    observed = prob(3)
    p = sum(prob(a) for a in range(1, 11) if prob(a) <= observed)
    # C(10,a)*C(10,11-a) for a = 1..10: 10, 450, 5400, 25200, 52920, 52920, 25200, 5400, 450, 10
    # (sum 167960 = C(20,11)); p = 2*(10 + 450 + 5400)/167960 = 293/4199 = 0.06978
    assert p == Fraction(293, 4199)
    assert d.p_value == pytest.approx(float(p), rel=1e-9)


# --- NPS ------------------------------------------------------------------------------------


def test_nps_standard_error_by_hand():
    # 50 promoters, 20 detractors, 30 passives: NPS 30; the scores +1/0/-1 have variance
    # p + d - (p - d)^2 = 0.5 + 0.2 - 0.09 = 0.61, so SE = 100*sqrt(0.61/100) = 7.8102.
    scores = np.array([1] * 50 + [-1] * 20 + [0] * 30, dtype=float)
    se = 100 * scores.std() / math.sqrt(scores.size)
    assert se == pytest.approx(100 * math.sqrt(0.61 / 100)) == pytest.approx(7.81025, abs=1e-5)
    i = stats.nps_interval(50, 20, 100)
    assert i.estimate == pytest.approx(30.0)
    assert (i.low, i.high) == pytest.approx((30 - Z95 * se, 30 + Z95 * se))
    # second side: 40 promoters, 30 detractors -> NPS 10, variance 0.7 - 0.01 = 0.69
    se2 = 100 * math.sqrt(0.69 / 100)
    d = stats.nps_difference(50, 20, 100, 40, 30, 100)
    se_diff = math.hypot(se, se2)
    assert d.estimate == pytest.approx(20.0)
    assert (d.low, d.high) == pytest.approx((20 - Z95 * se_diff, 20 + Z95 * se_diff))
    assert d.p_value == pytest.approx(two_sided_p(20 / se_diff), rel=1e-12)


def test_nps_edges():
    assert stats.nps_interval(0, 0, 0).estimate is None
    assert stats.nps_difference(1, 0, 1, 0, 0, 0).p_value is None
    same = stats.nps_difference(10, 0, 10, 20, 0, 20)  # both all promoters: SE 0, equal
    assert (same.estimate, same.low, same.high, same.p_value) == (0.0, 0.0, 0.0, 1.0)
    apart = stats.nps_difference(10, 0, 10, 0, 20, 20)  # all promoters vs all detractors
    assert apart.estimate == 200.0 and apart.p_value is None
    assert stats.nps_interval(5, 0, 5).low == 100.0
    with pytest.raises(ValueError):
        stats.nps_interval(6, 5, 10)


# --- Welch ----------------------------------------------------------------------------------


def test_welch_against_scipy_and_by_hand():
    rng = np.random.default_rng(3)
    x, y = rng.normal(10, 2, 25), rng.normal(9, 4, 40)
    d = stats.welch_samples(x, y)
    ref = sst.ttest_ind(x, y, equal_var=False)
    ci = ref.confidence_interval(0.95)
    assert d.estimate == pytest.approx(x.mean() - y.mean())
    assert d.p_value == pytest.approx(ref.pvalue, rel=1e-10)
    assert (d.low, d.high) == pytest.approx((ci.low, ci.high), rel=1e-10)
    # by hand: Welch-Satterthwaite df and the t quantile
    vx, vy = x.var(ddof=1) / 25, y.var(ddof=1) / 40
    df = (vx + vy) ** 2 / (vx**2 / 24 + vy**2 / 39)
    half = sst.t.ppf(0.975, df) * math.sqrt(vx + vy)
    assert (d.low, d.high) == pytest.approx((d.estimate - half, d.estimate + half), rel=1e-12)
    assert df == pytest.approx(float(ref.df), rel=1e-12)


def test_welch_summary_example_by_hand():
    # mean 10 (SD 2, n 30) vs 9 (SD 3, n 40): SE = sqrt(4/30 + 9/40) = 0.59861, t = 1.67054,
    # df = 0.358333^2 / ((4/30)^2/29 + (9/40)^2/39) = 67.19
    d = stats.welch(10.0, 2.0, 30, 9.0, 3.0, 40)
    se = math.sqrt(4 / 30 + 9 / 40)
    df = (4 / 30 + 9 / 40) ** 2 / ((4 / 30) ** 2 / 29 + (9 / 40) ** 2 / 39)
    assert se == pytest.approx(0.598609, abs=1e-6) and df == pytest.approx(67.19, abs=0.01)
    assert d.p_value == pytest.approx(2 * sst.t.sf(1 / se, df), rel=1e-10)


def test_welch_edges():
    assert stats.welch_samples([1.0], [1.0, 2.0]).p_value is None
    assert stats.welch_samples([1.0], [1.0, 2.0]).estimate == -0.5
    assert stats.welch_samples([], [1.0, 2.0]).estimate is None
    same = stats.welch_samples([3.0, 3.0], [3.0, 3.0, 3.0])
    assert (same.estimate, same.p_value, same.low, same.high) == (0.0, 1.0, 0.0, 0.0)
    assert stats.welch_samples([3.0, 3.0], [4.0, 4.0]).p_value is None
    m = stats.mean_interval([2.0, 4.0, 6.0])
    half = sst.t.ppf(0.975, 2) * 2 / math.sqrt(3)
    assert (m.low, m.high) == pytest.approx((4 - half, 4 + half))
    m90 = stats.mean_interval([2.0, 4.0, 6.0], 0.9)
    half = sst.t.ppf(0.95, 2) * 2 / math.sqrt(3)
    assert (m90.low, m90.high) == pytest.approx((4 - half, 4 + half))
    assert stats.mean_interval([5.0]).low is None and stats.mean_interval([]).estimate is None
    with pytest.raises(ValueError):
        stats.welch_samples([1.0, float("nan")], [1.0, 2.0])


# --- BCa bootstrap of medians ---------------------------------------------------------------


@pytest.mark.parametrize("sample", [[1.0, 2.0, 4.0, 8.0, 16.0], [1.0, 1.0, 3.0, 4.0, 9.0, 9.0]])
def test_bootstrap_medians_match_the_exact_bootstrap_distribution(sample):
    # Every one of the n^n equally likely index tuples, against the order-statistic sampler.
    xs = np.array(sample)
    n = xs.size
    tuples = np.array(list(itertools.product(range(n), repeat=n)))
    exact = np.median(xs[tuples], axis=1)
    drawn = stats._bootstrap_medians(xs, 200_000, np.random.default_rng(0))
    for v in np.unique(exact):
        assert np.mean(drawn <= v) == pytest.approx(np.mean(exact <= v), abs=0.005)
    assert set(np.unique(drawn)) <= set(np.unique(exact))


def brute_jackknife(sorted_x):
    loo = np.array([np.median(np.delete(sorted_x, i)) for i in range(sorted_x.size)])
    u = (sorted_x.size - 1) * (loo.mean() - loo)
    return (u**3).sum(), (u**2).sum()


def test_median_jackknife_closed_form_equals_brute_force():
    rng = np.random.default_rng(11)
    for n in range(2, 40):
        for sample in (rng.normal(size=n), rng.integers(0, 4, n).astype(float), rng.lognormal(size=n)):
            xs = np.sort(sample)
            assert stats._median_jackknife(xs) == pytest.approx(brute_jackknife(xs), rel=1e-9, abs=1e-9)


def test_two_sample_acceleration_equals_scipys_formula():
    # scipy.stats._resampling._bca_interval: jackknife each sample with the other intact, then
    # a = sum_j sum_i U^3 / n_j^3 / 6 / (sum_j sum_i U^2 / n_j^2)^(3/2), statistic = med x - med y
    rng = np.random.default_rng(5)
    x, y = np.sort(rng.lognormal(size=17)), np.sort(rng.lognormal(size=24))
    theta_x = np.array([np.median(np.delete(x, i)) - np.median(y) for i in range(x.size)])
    theta_y = np.array([np.median(x) - np.median(np.delete(y, i)) for i in range(y.size)])
    ux, uy = (x.size - 1) * (theta_x.mean() - theta_x), (y.size - 1) * (theta_y.mean() - theta_y)
    num = (ux**3).sum() / x.size**3 + (uy**3).sum() / y.size**3
    den = (ux**2).sum() / x.size**2 + (uy**2).sum() / y.size**2
    expected = num / 6 / den**1.5
    got = stats._acceleration([(*stats._median_jackknife(x), x.size, 1), (*stats._median_jackknife(y), y.size, -1)])
    assert got == pytest.approx(expected, rel=1e-9)


def median_diff(a, b, axis=-1):
    return np.median(a, axis=axis) - np.median(b, axis=axis)


@pytest.mark.parametrize("case", range(4))
def test_bca_agrees_with_scipy_on_small_samples(case):
    rng = np.random.default_rng(100 + case)
    nx, ny = rng.integers(30, 61, 2)
    x, y = rng.lognormal(3, 1, nx), rng.lognormal(3.4, 1, ny)
    if case % 2:  # whole seconds: many ties
        x, y = np.round(x), np.round(y)
    ref = sst.bootstrap(
        (x, y), median_diff, method="BCa", n_resamples=30_000, rng=np.random.default_rng(1), vectorized=True
    ).confidence_interval
    d = stats.median_difference(x, y, resamples=30_000, seed=2)
    width = ref.high - ref.low
    assert d.estimate == pytest.approx(np.median(x) - np.median(y))
    assert abs(d.low - ref.low) <= 0.05 * width and abs(d.high - ref.high) <= 0.05 * width
    # one sample; with many ties the median's jackknife may not vary: scipy gives NaN, we a = 0
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        one = sst.bootstrap(
            (x,), np.median, method="BCa", n_resamples=30_000, rng=np.random.default_rng(1)
        ).confidence_interval
    i = stats.median_interval(x, resamples=30_000, seed=2)
    if np.isnan(one.low):
        assert stats._median_jackknife(np.sort(x))[1] == 0.0 and i.low <= i.estimate <= i.high
        return
    width = one.high - one.low
    assert abs(i.low - one.low) <= 0.05 * width and abs(i.high - one.high) <= 0.05 * width


def mid_distribution(boot):
    """Level (ties half, linear between values) and quantile functions of the replicates."""
    values, counts = np.unique(boot, return_counts=True)
    levels = (np.cumsum(counts) - counts / 2) / boot.size
    return (lambda t: float(np.interp(t, values, levels))), (lambda b: float(np.interp(b, levels, values)))


def test_median_difference_recomputed_from_its_parts():
    # The same replicates (same generator, same order of the samples), then BCa by the book:
    # z0 ties half, a from the brute-force jackknife, limits at the adjusted levels, and the
    # p-value of the brief: w = Phi^-1(q) - z0, z = w/(1 + a*w) - z0, p = 2*min(Phi(z), 1 - Phi(z)).
    x = np.array([3.0, 4.0, 4.5, 9.0, 30.0, 31.0, 33.0, 60.0, 61.0])
    y = np.array([1.0, 2.0, 2.5, 3.0, 20.0, 24.0, 25.0, 26.0, 27.0, 40.0, 41.0])
    xs, ys = np.sort(x), np.sort(y)
    rng = np.random.default_rng(0)
    if stats._first_in_order(xs, ys):
        bx = stats._bootstrap_medians(xs, 2000, rng)
        by = stats._bootstrap_medians(ys, 2000, rng)
    else:
        by = stats._bootstrap_medians(ys, 2000, rng)
        bx = stats._bootstrap_medians(xs, 2000, rng)
    boot = bx - by
    level, quantile = mid_distribution(boot)
    estimate = 30.0 - 24.0
    z0 = sst.norm.ppf(level(estimate))
    theta_x = np.array([np.median(np.delete(xs, i)) - 24.0 for i in range(xs.size)])
    theta_y = np.array([30.0 - np.median(np.delete(ys, i)) for i in range(ys.size)])
    ux, uy = 8 * (theta_x.mean() - theta_x), 10 * (theta_y.mean() - theta_y)
    a = ((ux**3).sum() / 9**3 + (uy**3).sum() / 11**3) / 6 / ((ux**2).sum() / 9**2 + (uy**2).sum() / 11**2) ** 1.5
    assert abs(a) > 0.01 and abs(z0) > 0.01  # both corrections matter here
    levels = [sst.norm.cdf(z0 + v / (1 - a * v)) for v in (z0 - Z95, z0 + Z95)]
    w = sst.norm.ppf(level(0.0)) - z0
    z = w / (1 + a * w) - z0
    d = stats.median_difference(x, y)
    assert d.estimate == estimate
    assert (d.low, d.high) == pytest.approx((quantile(levels[0]), quantile(levels[1])), rel=1e-9)
    assert d.p_value == pytest.approx(2 * min(sst.norm.cdf(z), sst.norm.sf(z)), rel=1e-9)
    assert 0.0005 < d.p_value < 1 and not d.p_bound

    # one sample: scipy's conventions (ties-half z0, linear quantiles of the replicates)
    boot = stats._bootstrap_medians(xs, 2000, np.random.default_rng(0))
    z0 = sst.norm.ppf((np.sum(boot < 30.0) + np.sum(boot <= 30.0)) / 4000)
    loo = np.array([np.median(np.delete(xs, i)) for i in range(xs.size)])
    u = 8 * (loo.mean() - loo)
    a = (u**3).sum() / 6 / ((u**2).sum()) ** 1.5
    levels = [sst.norm.cdf(z0 + v / (1 - a * v)) for v in (z0 - Z95, z0 + Z95)]
    i = stats.median_interval(x)
    assert (i.low, i.high) == pytest.approx(tuple(np.quantile(boot, levels)), rel=1e-9)


@pytest.mark.parametrize("a", [-0.16, -0.05, 0.0, 0.03, 0.16])
@pytest.mark.parametrize("z0", [-0.4, 0.0, 0.25])
def test_bca_p_value_inverts_the_adjusted_levels(a, z0):
    # For p from q, the (1 - p) interval has a limit exactly at level q: p is where 0 leaves it.
    for q in (0.001, 0.02, 0.3, 0.5, 0.81, 0.995):
        p = stats._bca_p_value(q, z0, a)
        assert 0 <= p <= 1
        if p in (0.0, 1.0):
            continue
        zq = sst.norm.isf(p / 2)
        limits = (stats._bca_level(z0, a, -zq), stats._bca_level(z0, a, zq))
        assert min(abs(limits[0] - q), abs(limits[1] - q)) == pytest.approx(0, abs=1e-9)


def test_median_difference_is_reproducible_and_seeded():
    rng = np.random.default_rng(9)
    x, y = rng.exponential(100, 300).round(), rng.exponential(120, 250).round()
    first, again = stats.median_difference(x, y), stats.median_difference(list(x), list(y))
    assert first == again
    assert first.method == "BCa bootstrap of the difference in medians (2000 resamples, seed 0)"
    other = stats.median_difference(x, y, seed=1)
    assert other.estimate == first.estimate and (other.low, other.high) != (first.low, first.high)
    assert other.method.endswith("seed 1)")


def test_identical_samples_give_zero_and_p_one():
    x = [5.0, 9.0, 12.0, 30.0, 31.0, 64.0, 120.0]
    d = stats.median_difference(x, list(reversed(x)))
    assert d.estimate == 0.0 and d.p_value == 1.0 and not d.p_bound
    assert d.low <= 0.0 <= d.high


def test_clearly_shifted_samples():
    rng = np.random.default_rng(4)
    x, y = rng.normal(200, 10, 80), rng.normal(100, 10, 90)
    d = stats.median_difference(x, y)
    assert d.p_bound and d.p_value == 1 / 2000
    assert d.low > 0 and d.low <= d.estimate <= d.high
    mirror = stats.median_difference(y, x)
    assert mirror.estimate == -d.estimate and mirror.high < 0
    assert (mirror.low, mirror.high) == pytest.approx((-d.high, -d.low))


def test_median_difference_small_and_empty_sides():
    one = stats.median_difference([42.0], [1.0, 2.0, 3.0])
    assert one.estimate == 40.0 and one.low is None and one.high is None and one.p_value is None
    assert stats.median_difference([], [1.0, 2.0]).estimate is None
    assert stats.median_difference([1.0, 2.0], []).p_value is None
    two = stats.median_difference([1.0, 2.0], [5.0, 8.0])
    assert two.low <= two.estimate <= two.high and 0 < two.p_value <= 1
    assert stats.median_interval([7.0]) == stats.Interval(7.0, None, None, stats.median_interval([]).method)
    constant = stats.median_difference([5.0] * 4, [3.0] * 6)
    assert (constant.estimate, constant.low, constant.high, constant.p_bound) == (2.0, 2.0, 2.0, True)
    with pytest.raises(ValueError):
        stats.median_difference([1.0, 2.0], [3.0, 4.0], resamples=50)
    with pytest.raises(ValueError):  # 1/resamples must stay below 1 - confidence
        stats.median_difference([1.0, 2.0], [3.0, 4.0], resamples=100, confidence=0.99)


def test_median_difference_is_fast_on_100k_per_side():
    rng = np.random.default_rng(0)
    x, y = rng.lognormal(6, 1, 100_000).round(), rng.lognormal(6.02, 1, 100_000).round()
    start = time.perf_counter()
    d = stats.median_difference(x, y)
    assert time.perf_counter() - start < 2.0
    assert d.low <= d.estimate <= d.high


# --- Kaplan-Meier and log-rank ----------------------------------------------------------------

# 8 tickets, "+" still open (censored): 1, 2, 3+, 4, 5+, 6, 8, 9+.
# Product-limit steps S(t) = prod (1 - d_i/n_i) over resolution times:
#   t=1: 8 open, 1 resolved -> S = 7/8          = 0.875
#   t=2: 7 open, 1 resolved -> S = 7/8 * 6/7    = 0.75
#   t=3: censored (5 left at risk after it)
#   t=4: 5 open, 1 resolved -> S = 0.75 * 4/5   = 0.6
#   t=5: censored (3 left)
#   t=6: 3 open, 1 resolved -> S = 0.6 * 2/3    = 0.4   <- first S <= 0.5: median 6
#   t=8: 2 open, 1 resolved -> S = 0.4 * 1/2    = 0.2
#   t=9: censored, S stays 0.2
KM_T = [1, 2, 3, 4, 5, 6, 8, 9]
KM_R = [True, True, False, True, False, True, True, False]
KM_S = {1: 7 / 8, 2: 0.75, 4: 0.6, 6: 0.4, 8: 0.2}
# Greenwood sums d/(n(n-d)) at each resolution time
KM_G = {
    1: 1 / 56,
    2: 1 / 56 + 1 / 42,
    4: 1 / 56 + 1 / 42 + 1 / 20,
    6: 1 / 56 + 1 / 42 + 1 / 20 + 1 / 6,
    8: 1 / 56 + 1 / 42 + 1 / 20 + 1 / 6 + 1 / 2,
}


def test_km_median_by_hand():
    sf = sst.ecdf(sst.CensoredData(uncensored=[1, 2, 4, 6, 8], right=[3, 5, 9])).sf
    for t, s in KM_S.items():
        assert sf.evaluate(t) == pytest.approx(s)
    i = stats.km_median(KM_T, KM_R)
    assert i.estimate == 6.0
    # log-log band by hand: S^exp(+-z*se), se = sqrt(G)/|log S|
    lower, upper = {}, {}
    for t, s in KM_S.items():
        se = math.sqrt(KM_G[t]) / abs(math.log(s))
        lower[t], upper[t] = s ** math.exp(Z95 * se), s ** math.exp(-Z95 * se)
    first_low = min(t for t in KM_S if lower[t] <= 0.5)
    crossing_up = [t for t in KM_S if upper[t] <= 0.5]
    assert i.low == first_low
    assert i.high == (min(crossing_up) if crossing_up else None)
    assert i.low <= i.estimate and (i.high is None or i.estimate <= i.high)


def test_km_median_edges():
    assert stats.km_median([1, 2, 3, 4], [True, False, False, False]).estimate is None  # S = 0.75
    assert stats.km_median([1, 2], [False, False]).estimate is None
    assert stats.km_median([], []).estimate is None
    # exactly 0.5 from 4 until 5 (floating point 0.5 must count): the midpoint, which is the
    # catalog's median of an even count
    assert stats.km_median(list(range(1, 9)), [True] * 8).estimate == 4.5
    # 1,1,2,3,3,4,4+,4,5,6: S = 8/10 * 7/8 * 5/7 = 1/2 exactly at t=3, which scipy's product
    # gives as 0.5000000000000001: still 0.5, held until the next resolution at 4 -> 3.5
    t = [1, 1, 2, 3, 3, 4, 4, 4, 5, 6]
    r = [True] * 6 + [False] + [True] * 3
    assert sst.ecdf(sst.CensoredData(uncensored=[v for v, f in zip(t, r) if f], right=[4])).sf.evaluate(3) > 0.5
    assert stats.km_median(t, r).estimate == 3.5
    # S = 2/3, 1/3, 0: the band is undefined at S = 0, so the upper limit is not reached
    assert stats.km_median([1, 2, 3], [True] * 3) == stats.Interval(2.0, 1.0, None, stats.km_median([], []).method)
    # no open tickets, odd count: the ordinary median
    assert stats.km_median([5, 1, 3, 9, 7], [True] * 5).estimate == 5.0
    with pytest.raises(ValueError):
        stats.km_median([1, 2], [True])


def logrank_by_hand(x, xr, y, yr):
    """Observed minus expected resolutions of x over the pooled resolution times, with the
    hypergeometric variance d*(n1/n)*(1 - n1/n)*(n - d)/(n - 1)."""
    times = sorted({t for t, r in zip(x + y, xr + yr) if r})
    o_minus_e = variance = 0.0
    for t in times:
        n1, n2 = sum(v >= t for v in x), sum(v >= t for v in y)
        d1 = sum(v == t and r for v, r in zip(x, xr))
        d = d1 + sum(v == t and r for v, r in zip(y, yr))
        n = n1 + n2
        o_minus_e += d1 - d * n1 / n
        if n > 1:
            variance += d * (n1 / n) * (1 - n1 / n) * (n - d) / (n - 1)
    return two_sided_p(o_minus_e / math.sqrt(variance))


def test_logrank_by_hand_and_edges():
    x, xr = [1, 2, 2, 3, 4, 7, 8], [True, True, False, True, True, False, True]
    y, yr = [2, 3, 5, 6, 6, 9, 10, 12], [True, False, True, True, True, True, False, True]
    assert stats.logrank(x, xr, y, yr) == pytest.approx(logrank_by_hand(x, xr, y, yr), rel=1e-9)
    assert stats.logrank(x, xr, x, xr) == 1.0
    fast, slow = list(range(1, 51)), list(range(100, 150))
    assert stats.logrank(fast, [True] * 50, slow, [True] * 50) < 0.001
    assert stats.logrank([], [], y, yr) is None
    assert stats.logrank([1, 2], [False, False], [3], [False]) is None


def test_km_median_difference():
    x, xr = KM_T, KM_R
    y, yr = [2, 3, 5, 7, 9, 11], [True] * 6
    d = stats.km_median_difference(x, xr, y, yr)
    # y: S = 3/6 = 0.5 from 5 until 7 -> median 6, as x's
    assert d.estimate == 6.0 - 6.0
    assert d.low is None and d.high is None
    assert d.p_value == pytest.approx(stats.logrank(x, xr, y, yr))
    assert "no interval" in d.method and "log-rank" in d.method
    none = stats.km_median_difference([1, 2, 3, 4], [True, False, False, False], y, yr)
    assert none.estimate is None and none.p_value is not None


# --- Holm -------------------------------------------------------------------------------------


def test_holm_by_hand():
    # sorted: 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, max(0.04*1, 0.06) = 0.06
    assert stats.holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert stats.holm([0.02, None, 0.5, None]) == [pytest.approx(0.04), None, 0.5, None]
    assert stats.holm([0.5, 0.6]) == [1.0, 1.0]
    assert stats.holm([]) == [] and stats.holm([None]) == [None]
    with pytest.raises(ValueError):
        stats.holm([1.5])


@SETTINGS
@given(st.lists(st.one_of(st.none(), st.floats(0, 1)), max_size=12))
def test_holm_properties(ps):
    adjusted = stats.holm(ps)
    given_ = [(p, a) for p, a in zip(ps, adjusted) if p is not None]
    assert all((a is None) == (p is None) for p, a in zip(ps, adjusted))
    for p, a in given_:
        assert p <= a <= 1.0
    for (p1, a1), (p2, a2) in itertools.product(given_, repeat=2):
        if p1 <= p2:
            assert a1 <= a2


# --- properties ---------------------------------------------------------------------------------


def contains(d) -> bool:
    return d.low <= d.estimate <= d.high


def mirrored(d, e) -> bool:
    return (
        e.estimate == pytest.approx(-d.estimate, abs=1e-9)
        and e.p_value == pytest.approx(d.p_value, abs=1e-12)
        and (e.low, e.high) == pytest.approx((-d.high, -d.low), abs=1e-9)
    )


@st.composite
def counts(draw):
    n = draw(st.integers(1, 400))
    return draw(st.integers(0, n)), n


@SETTINGS
@given(counts(), counts(), st.sampled_from([0.8, 0.95, 0.99]))
def test_proportion_properties(a, b, confidence):
    d = stats.proportion_difference(*a, *b, confidence)
    assert contains(d) and -100 <= d.low and d.high <= 100 and 0 <= d.p_value <= 1
    assert mirrored(d, stats.proportion_difference(*b, *a, confidence))
    w = stats.wilson(*a, confidence)
    assert 0 <= w.low <= w.estimate <= w.high <= 100


@st.composite
def nps_counts(draw):
    n = draw(st.integers(1, 300))
    promoters = draw(st.integers(0, n))
    return promoters, draw(st.integers(0, n - promoters)), n


@SETTINGS
@given(nps_counts(), nps_counts())
def test_nps_properties(a, b):
    d = stats.nps_difference(*a, *b)
    if d.p_value is None:  # no variation on either side and different scores
        assert d.low is None
        return
    assert contains(d) and 0 <= d.p_value <= 1
    assert mirrored(d, stats.nps_difference(*b, *a))
    i = stats.nps_interval(*a)
    assert -100 <= i.low <= i.estimate <= i.high <= 100


samples = st.lists(st.floats(-1e3, 1e3, allow_nan=False).map(lambda v: round(v, 2)), min_size=2, max_size=40)


@SETTINGS
@given(samples, samples)
def test_welch_properties(x, y):
    d = stats.welch_samples(x, y)
    if d.p_value is None:
        return
    assert contains(d) and 0 <= d.p_value <= 1
    assert mirrored(d, stats.welch_samples(y, x))
    if np.std(x) > 0 and np.std(y) > 0:
        ref = sst.ttest_ind(x, y, equal_var=False).pvalue
        assert d.p_value == pytest.approx(ref, rel=1e-6, abs=1e-12)


durations = st.lists(st.integers(0, 25), min_size=1, max_size=30)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    durations,
    durations,
    st.integers(0, 8),
    st.sampled_from([0.8, 0.9, 0.95]),
    st.sampled_from([200, 500]),
    st.integers(0, 3),
)
def test_bca_properties(x, y, shift, confidence, resamples, seed):
    y = [v + shift for v in y]
    d = stats.median_difference(x, y, resamples=resamples, confidence=confidence, seed=seed)
    if len(x) < 2 or len(y) < 2:
        assert d.low is None and d.p_value is None and d.estimate == np.median(x) - np.median(y)
        return
    assert contains(d) and 0 < d.p_value <= 1
    alpha = 1 - confidence
    # p < alpha exactly when 0 is outside the (1 - alpha) interval (up to rounding at p = alpha)
    assume(abs(d.p_value - alpha) > 1e-9)
    assert (d.p_value < alpha) == (d.low > 0 or d.high < 0)
    if sorted(x) != sorted(y):  # equal samples: estimate 0 and p = 1 whichever way round
        assert mirrored(d, stats.median_difference(y, x, resamples=resamples, confidence=confidence, seed=seed))
    i = stats.median_interval(x, resamples=resamples, confidence=confidence, seed=seed)
    assert i.low <= i.estimate <= i.high


@SETTINGS
@given(
    st.lists(st.tuples(st.integers(1, 30), st.booleans()), min_size=1, max_size=40),
    st.lists(st.tuples(st.integers(1, 30), st.booleans()), min_size=1, max_size=40),
)
def test_km_properties(a, b):
    (x, xr), (y, yr) = zip(*a), zip(*b)
    i = stats.km_median(x, xr)
    if i.estimate is not None:
        assert i.low is not None and i.low <= i.estimate
        assert i.high is None or i.estimate <= i.high
    d = stats.km_median_difference(x, xr, y, yr)
    e = stats.km_median_difference(y, yr, x, xr)
    assert (d.p_value is None) == (e.p_value is None)
    if d.p_value is not None:
        assert 0 <= d.p_value <= 1 and d.p_value == pytest.approx(e.p_value, abs=1e-12)
    if d.estimate is not None:
        assert e.estimate == -d.estimate
