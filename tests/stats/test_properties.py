"""Hypothesis property tests for hwb.stats: what must hold for every input."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as hs

from hwb import stats

settings.register_profile("hwb-stats", max_examples=200, deadline=None, database=None)
settings.load_profile("hwb-stats")

confs = hs.sampled_from([0.8, 0.9, 0.95, 0.99, 0.998])


@hs.composite
def x_and_n(draw, max_n=100_000, integer=True):
    n = draw(hs.integers(1, max_n))
    if integer:
        x = draw(hs.integers(0, n))
    else:
        x = draw(hs.floats(0, n, allow_nan=False))
    return x, n


@given(x_and_n(integer=False), confs)
def test_wilson_bounds_ordered_and_within_unit_interval(xn, conf):
    x, n = xn
    lo, hi = stats.wilson_ci(x, n, conf)
    p = x / n
    assert 0.0 <= lo <= hi <= 1.0
    assert lo <= p + 1e-12 and p <= hi + 1e-12


@given(x_and_n())
def test_wilson_widens_with_confidence(xn):
    x, n = xn
    a = stats.wilson_ci(x, n, 0.95)
    b = stats.wilson_ci(x, n, 0.998)
    assert b.lower <= a.lower + 1e-15 and b.upper >= a.upper - 1e-15


@given(x_and_n(), confs)
def test_wilson_symmetry_x_and_n_minus_x(xn, conf):
    x, n = xn
    lo, hi = stats.wilson_ci(x, n, conf)
    lo2, hi2 = stats.wilson_ci(n - x, n, conf)
    assert math.isclose(lo, 1 - hi2, abs_tol=1e-12)
    assert math.isclose(hi, 1 - lo2, abs_tol=1e-12)


@given(x_and_n(max_n=5000), confs)
def test_wilson_monotone_in_x(xn, conf):
    _, n = xn
    x = np.arange(0, n + 1)
    lo, hi = stats.wilson_ci(x, n, conf)
    assert np.all(np.diff(lo) >= -1e-15) and np.all(np.diff(hi) >= -1e-15)


@given(x_and_n(max_n=2000), confs)
def test_clopper_pearson_contains_estimate_and_widens(xn, conf):
    x, n = xn
    lo, hi = stats.clopper_pearson_ci(x, n, conf)
    assert 0 <= lo <= x / n <= hi <= 1
    lo2, hi2 = stats.clopper_pearson_ci(x, n, 0.999)
    assert lo2 <= lo + 1e-12 and hi2 >= hi - 1e-12


@given(hs.integers(0, 100_000), confs)
def test_poisson_limits_contain_the_count(x, conf):
    lo, hi = stats.exact_poisson_ci(x, conf)
    assert 0 <= lo <= x <= hi
    lo_f, hi_f = stats.poisson_ci(x, conf)
    assert hi_f > x and (math.isnan(lo_f) or lo_f <= x)


@given(hs.integers(0, 5000))
def test_exact_poisson_monotone_in_x(x):
    a, b = stats.exact_poisson_ci(x), stats.exact_poisson_ci(x + 1)
    assert b.lower >= a.lower and b.upper > a.upper


@given(hs.integers(0, 10_000), hs.floats(1, 1e7), confs)
def test_rate_ci_contains_rate_and_widens(x, n, conf):
    e = stats.rate_ci(x, n, conf)
    assert e.lower <= e.value <= e.upper or math.isnan(e.lower)
    w = stats.rate_ci(x, n, 0.999)
    if not math.isnan(w.lower):
        assert w.lower <= e.lower and w.upper >= e.upper


@given(hs.lists(hs.tuples(hs.integers(0, 500), hs.integers(1, 100_000)), min_size=2,
                max_size=19))
def test_dsr_limits_bracket_value_when_calculated(bands):
    counts = [c for c, _ in bands]
    pops = [p for _, p in bands]
    w = np.arange(1, len(bands) + 1, dtype=float)
    e = stats.dsr(counts, pops, w)
    if sum(counts) < 10:
        assert math.isnan(e.value)
    else:
        assert e.lower <= e.value <= e.upper


@given(hs.floats(0, 100), hs.floats(0, 100), hs.floats(0, 100),
       hs.sampled_from([None, "high is good", "low is good"]))
def test_benchmark_labels_consistent(a, b, bench, polarity):
    lo, hi = min(a, b), max(a, b)
    label = stats.compare_to_benchmark(lo, hi, bench, polarity)
    if lo <= bench <= hi:
        assert label == "Similar"
    elif lo > bench:
        assert label == {"high is good": "Better", "low is good": "Worse", None: "Higher"}[polarity]
    else:
        assert label == {"high is good": "Worse", "low is good": "Better", None: "Lower"}[polarity]
