"""Independent cross-checks of hwb.stats against scipy and statsmodels implementations.

Each test computes the same interval by a different code path (scipy's
``binomtest(...).proportion_ci``, statsmodels' ``proportion_confint`` and
``confint_poisson``, Poisson tail probabilities from ``scipy.stats.poisson``,
statsmodels' weighted least squares), so an error in hwb.stats would show as a
disagreement.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as st
from statsmodels.regression.linear_model import WLS
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.rates import confint_poisson, confint_poisson_2indep

from hwb import stats

GRID = [(x, n) for n in (1, 2, 7, 20, 100, 263, 5000) for x in sorted({0, 1, n // 3, n - 1, n})
        if 0 <= x <= n]


@pytest.mark.parametrize("conf", [0.95, 0.998])
@pytest.mark.parametrize("x,n", GRID)
def test_wilson_against_scipy_binomtest(x, n, conf):
    ref = st.binomtest(x, n).proportion_ci(confidence_level=conf, method="wilson")
    lo, hi = stats.wilson_ci(x, n, conf)
    assert lo == pytest.approx(ref.low, abs=1e-12)
    assert hi == pytest.approx(ref.high, abs=1e-12)


@pytest.mark.parametrize("conf", [0.95, 0.998])
@pytest.mark.parametrize("x,n", GRID)
def test_clopper_pearson_against_scipy_binomtest(x, n, conf):
    ref = st.binomtest(x, n).proportion_ci(confidence_level=conf, method="exact")
    lo, hi = stats.clopper_pearson_ci(x, n, conf)
    assert lo == pytest.approx(ref.low, abs=1e-10)
    assert hi == pytest.approx(ref.high, abs=1e-10)


def test_wilson_and_exact_against_statsmodels_vectorised():
    x = np.array([0, 3, 50, 99, 100])
    n = np.array([100, 100, 100, 100, 100])
    for method, fn in (("wilson", stats.wilson_ci), ("beta", stats.clopper_pearson_ci)):
        lo_ref, hi_ref = proportion_confint(x, n, alpha=0.05, method=method)
        lo, hi = fn(x, n)
        assert np.allclose(lo, lo_ref, atol=1e-10) and np.allclose(hi, hi_ref, atol=1e-10)


@pytest.mark.parametrize("x", [0, 1, 2, 5, 9, 10, 37, 500])
def test_exact_poisson_against_statsmodels(x):
    lo_ref, hi_ref = confint_poisson(x, 1, method="exact-c", alpha=0.05)
    lo, hi = stats.exact_poisson_ci(x)
    assert lo == pytest.approx(lo_ref, abs=1e-9)
    assert hi == pytest.approx(hi_ref, rel=1e-9)


@pytest.mark.parametrize("x", [1, 3, 9, 10, 100])
@pytest.mark.parametrize("conf", [0.95, 0.998])
def test_exact_poisson_solves_the_tail_equations(x, conf):
    # The exact limits are the means at which P(X >= x) and P(X <= x) equal α/2.
    a = (1 - conf) / 2
    lo, hi = stats.exact_poisson_ci(x, conf)
    assert st.poisson.sf(x - 1, lo) == pytest.approx(a, rel=1e-8)
    assert st.poisson.cdf(x, hi) == pytest.approx(a, rel=1e-8)


def test_rate_ratio_log_against_statsmodels():
    lo_ref, hi_ref = confint_poisson_2indep(37, 12_000, 20, 15_000, method="wald-log",
                                            compare="ratio", alpha=0.05)
    e = stats.rate_ratio(37, 12_000, 20, 15_000)
    assert e.lower == pytest.approx(lo_ref, rel=1e-10)
    assert e.upper == pytest.approx(hi_ref, rel=1e-10)


def test_rate_ratio_exact_conditional_against_binomtest():
    # Conditional on 57 events, x1 = 37 is binomial with π = RR n1 / (RR n1 + n2).
    ci = st.binomtest(37, 57).proportion_ci(confidence_level=0.95, method="exact")
    k = 15_000 / 12_000
    e = stats.rate_ratio(37, 12_000, 20, 15_000, method="exact")
    assert e.lower == pytest.approx(ci.low / (1 - ci.low) * k, rel=1e-10)
    assert e.upper == pytest.approx(ci.high / (1 - ci.high) * k, rel=1e-10)


@pytest.mark.parametrize("n", [10, 57, 400, 12_000])
@pytest.mark.parametrize("p0", [0.03, 0.5, 0.92])
def test_funnel_proportion_limits_invert_wilson(n, p0):
    # At each limit, the area's own Wilson interval just touches p0.
    f = stats.funnel_proportion_limits([n], p0, multiplier=1).iloc[0]
    for col, conf, side in (("lower95", 0.95, "upper"), ("upper95", 0.95, "lower"),
                            ("lower99_8", 0.998, "upper"), ("upper99_8", 0.998, "lower")):
        p = f[col]
        if p in (0.0, 1.0):  # clipped
            continue
        ci = stats.wilson_ci(p * n, n, conf)
        assert getattr(ci, side) == pytest.approx(p0, abs=1e-9)


@pytest.mark.parametrize("obs", [1, 4, 10, 250])
def test_funnel_ratio_limits_solve_the_poisson_tails(obs):
    # Lower 95% limit O/μ with P(X <= O | μ) = 0.025; upper with P(X >= O | μ) = 0.025.
    f = stats.funnel_ratio_limits([obs]).iloc[0]
    mu_hi, mu_lo = obs / f.lower95, obs / f.upper95
    assert st.poisson.cdf(obs, mu_hi) == pytest.approx(0.025, rel=1e-8)
    assert st.poisson.sf(obs - 1, mu_lo) == pytest.approx(0.025, rel=1e-8)
    mu_hi3 = obs / f.lower99_8
    assert st.poisson.cdf(obs, mu_hi3) == pytest.approx(0.001, rel=1e-8)


def test_sii_point_estimate_against_statsmodels_wls():
    pops = np.array([7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534], float)
    vals = np.array([75.9, 78.3, 83.8, 83.6, 80.5, 81.1, 81.7, 84.2, 80.6, 86.3])
    a = pops / pops.sum()
    mid = np.cumsum(a) - a / 2
    fit = WLS(vals, np.column_stack([np.ones(10), mid]), weights=a).fit()
    r = stats.sii(pops, vals, se=np.full(10, 1.6), repetitions=1000)
    assert r.sii == pytest.approx(fit.params[1], rel=1e-10)
    assert r.rii == pytest.approx((fit.params[0] + fit.params[1]) / fit.params[0], rel=1e-10)


def test_sii_simulated_interval_matches_analytic_normal_interval():
    # For normally distributed values the slope is a linear combination of them, so its
    # standard error is √(Σ cᵢ² seᵢ²); the simulated 95% interval must match slope ± z·se
    # to within simulation error.
    pops = np.array([21675, 20065, 19750, 24713, 20112, 19618, 22408, 19752, 18939, 19312.0])
    vals = np.array([70.5, 71.6, 72.5, 73.5, 73.1, 76.2, 78.7, 80.6, 80.9, 80.0])
    se = np.array([0.23, 0.26, 0.3, 0.16, 0.79, 0.78, 0.4, 0.28, 0.23, 0.35])
    a = pops / pops.sum()
    mid = np.cumsum(a) - a / 2
    x = np.column_stack([np.ones(10), mid])
    w = np.diag(a)
    coef_rows = np.linalg.solve(x.T @ w @ x, x.T @ w)  # slope = coef_rows[1] @ values
    slope_se = np.sqrt(np.sum(coef_rows[1] ** 2 * se**2))
    r = stats.sii(pops, vals, se=se, repetitions=100_000, seed=2024)
    z = st.norm.ppf(0.975)
    assert r.sii_lower == pytest.approx(r.sii - z * slope_se, abs=0.02 * slope_se * 3)
    assert r.sii_upper == pytest.approx(r.sii + z * slope_se, abs=0.02 * slope_se * 3)


def test_sii_limits_from_confidence_limits_equal_those_from_se():
    pops = [7291, 7997, 6105, 7666, 5790]
    vals = np.array([75.9, 78.3, 83.8, 83.6, 80.5])
    se = np.array([1.64, 1.58, 1.51, 1.78, 1.7])
    z = st.norm.ppf(0.975)
    a = stats.sii(pops, vals, se=se, seed=5, repetitions=4000)
    b = stats.sii(pops, vals, lower=vals - z * se, upper=vals + z * se, seed=5, repetitions=4000)
    assert a.sii_lower == pytest.approx(b.sii_lower, rel=1e-9)
    assert a.sii_upper == pytest.approx(b.sii_upper, rel=1e-9)
