"""Worked examples for hwb.stats, each value from a published table or a hand calculation.

Sources of the expected values:

* Newcombe RG (1998), "Two-sided confidence intervals for the single proportion:
  comparison of seven methods", Stat Med 17:857-72, Table II: examples
  (a) 81/263, (b) 15/148, (c) 0/20, (d) 1/29, method 3 (Wilson score) and
  method 5 (Clopper-Pearson), printed to 4 decimals.
* The classical table of exact 95% Poisson limits (Armitage and Berry,
  *Statistical methods in medical research*; Documenta Geigy), printed to 4
  significant places.
* Hand calculations, written out in each test with the arithmetic shown.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from hwb import stats
from hwb.errors import DataError, HwbError

Z95 = 1.959963984540054  # Φ⁻¹(0.975), printed in every normal table as 1.95996
Z998 = 3.090232306167813  # Φ⁻¹(0.999), printed as 3.0902


def test_z_values_are_exact_quantiles():
    assert stats.z_value(0.95) == pytest.approx(Z95, abs=1e-12)
    assert stats.z_value(99.8) == pytest.approx(Z998, abs=1e-12)


# --------------------------------------------------------------------------- proportions

NEWCOMBE = [  # x, n, Wilson (lower, upper), Clopper-Pearson (lower, upper)
    (81, 263, (0.2553, 0.3662), (0.2527, 0.3676)),
    (15, 148, (0.0624, 0.1605), (0.0578, 0.1617)),
    (0, 20, (0.0000, 0.1611), (0.0000, 0.1684)),
    (1, 29, (0.0061, 0.1718), (0.0009, 0.1776)),
]


@pytest.mark.parametrize("x,n,wilson,_cp", NEWCOMBE)
def test_wilson_matches_newcombe_1998(x, n, wilson, _cp):
    lo, hi = stats.wilson_ci(x, n)
    assert (round(lo, 4), round(hi, 4)) == wilson


@pytest.mark.parametrize("x,n,_w,cp", NEWCOMBE)
def test_clopper_pearson_matches_newcombe_1998(x, n, _w, cp):
    lo, hi = stats.clopper_pearson_ci(x, n)
    assert (round(lo, 4), round(hi, 4)) == cp


def test_wilson_hand_calculation_at_99_8():
    # 30 of 50 at 99.8%: z² = 9.54953, 4x(1 - x/n) = 48,
    # lower = (60 + 9.54953 - 3.09023 × √57.54953) / (2 × 59.54953)
    z2 = Z998**2
    root = Z998 * math.sqrt(z2 + 48)
    lo, hi = stats.wilson_ci(30, 50, 0.998)
    assert lo == pytest.approx((60 + z2 - root) / (2 * (50 + z2)), rel=1e-12)
    assert hi == pytest.approx((60 + z2 + root) / (2 * (50 + z2)), rel=1e-12)
    assert round(lo, 4) == 0.3871 and round(hi, 4) == 0.7808


def test_wilson_edges_are_exact():
    assert stats.wilson_ci(0, 7).lower == 0.0
    assert stats.wilson_ci(7, 7).upper == 1.0
    assert stats.clopper_pearson_ci(0, 7).lower == 0.0
    assert stats.clopper_pearson_ci(7, 7).upper == 1.0


def test_wilson_accepts_non_integer_numerators_and_broadcasts():
    lo, hi = stats.wilson_ci([2.5, 5.0], 10)
    assert isinstance(lo, np.ndarray) and lo.shape == (2,)
    assert lo[0] < 0.25 < hi[0]


def test_scalar_input_gives_floats():
    lo, hi = stats.wilson_ci(5, 10)
    assert type(lo) is float and type(hi) is float


# --------------------------------------------------------------------------- Poisson

POISSON_TABLE = [  # x, exact 95% lower, upper (Armitage and Berry; Documenta Geigy)
    (0, 0.0, 3.6889),
    (1, 0.0253, 5.5716),
    (2, 0.2422, 7.2247),
    (5, 1.6235, 11.6683),
    (10, 4.7954, 18.3904),
]


@pytest.mark.parametrize("x,lower,upper", POISSON_TABLE)
def test_exact_poisson_matches_published_table(x, lower, upper):
    lo, hi = stats.exact_poisson_ci(x)
    assert round(lo, 4) == lower and round(hi, 4) == upper


def test_byar_hand_calculation():
    # x = 65 at 95%: lower = 65 (1 - 1/585 - z/(3√65))³, upper = 66 (1 - 1/594 + z/(3√66))³
    lo = 65 * (1 - 1 / 585 - Z95 / (3 * math.sqrt(65))) ** 3
    hi = 66 * (1 - 1 / 594 + Z95 / (3 * math.sqrt(66))) ** 3
    got = stats.byar_ci(65)
    assert got.lower == pytest.approx(lo, rel=1e-12)
    assert got.upper == pytest.approx(hi, rel=1e-12)
    assert (round(got.lower, 2), round(got.upper, 2)) == (50.16, 82.85)


def test_byar_undefined_lower_limit_is_nan():
    # At 99.8%, x = 1: 1 - 1/9 - 3.0902/3 < 0, so the cube is negative: undefined.
    assert math.isnan(stats.byar_ci(1, 0.998).lower)
    assert math.isnan(stats.byar_ci(0).lower)
    assert stats.byar_ci(0).upper > 0


def test_byar_within_0_2_percent_of_exact_from_10_events():
    # Fingertips technical guide, Appendix 1: "For 95% confidence intervals, Byar's
    # method is within 0.2% of the exact value for numerators of 10 or more".
    x = np.arange(10, 2001)
    by, ex = stats.byar_ci(x), stats.exact_poisson_ci(x)
    assert np.all(np.abs(by.lower / ex.lower - 1) < 0.002)
    assert np.all(np.abs(by.upper / ex.upper - 1) < 0.002)


def test_rate_ci_switches_from_exact_to_byar_at_10():
    v9 = stats.rate_ci(9, 10_000)
    v10 = stats.rate_ci(10, 10_000)
    assert v9.value == 90.0 and v10.value == 100.0
    # 9 events: exact limits 4.1150 and 17.0848 (published table) per 10,000 × 100,000
    assert round(v9.lower, 1) == 41.2 and round(v9.upper, 1) == 170.8
    # 10 events: Byar's limits 4.7874 and 18.3915 (hand: see test_byar_hand_calculation)
    assert v10.lower == pytest.approx(10 * (1 - 1 / 90 - Z95 / (3 * math.sqrt(10))) ** 3 * 10)
    assert v10.upper == pytest.approx(11 * (1 - 1 / 99 + Z95 / (3 * math.sqrt(11))) ** 3 * 10)


def test_rate_ci_zero_events():
    e = stats.rate_ci(0, 1000, multiplier=1000)
    assert e.value == 0 and e.lower == 0
    assert round(e.upper, 4) == 3.6889  # exact upper limit for 0 events, per 1000 of 1000


# --------------------------------------------------------------------------- DSR


def test_dsr_hand_calculation():
    # Two bands, standard weights 1 and 3; counts 10 and 20; populations 1,000 and 4,000.
    # DSR = (10/1000 × 1 + 20/4000 × 3) / 4 = 0.00625 → 625 per 100,000.
    # var = (10 × (1/1000)² + 20 × (3/4000)²) / 4² = 2.125e-5 / 16 = 1.328125e-6.
    # O = 30; Byar limits of 30 by the formula; limit = DSR + √(var/O)(O_lim − O).
    o = 30
    b_lo = o * (1 - 1 / (9 * o) - Z95 / (3 * math.sqrt(o))) ** 3
    b_hi = (o + 1) * (1 - 1 / (9 * (o + 1)) + Z95 / (3 * math.sqrt(o + 1))) ** 3
    var = 1.328125e-6
    e = stats.dsr([10, 20], [1000, 4000], [1, 3])
    assert e.value == pytest.approx(625.0, rel=1e-12)
    assert e.lower == pytest.approx((0.00625 + math.sqrt(var / o) * (b_lo - o)) * 1e5, rel=1e-12)
    assert e.upper == pytest.approx((0.00625 + math.sqrt(var / o) * (b_hi - o)) * 1e5, rel=1e-12)
    assert (round(e.lower, 1), round(e.upper, 1)) == (419.6, 894.9)


def test_dsr_not_calculated_below_10_events():
    e = stats.dsr([4, 5], [1000, 4000], [1, 3])
    assert all(math.isnan(v) for v in e)
    assert not math.isnan(stats.dsr([5, 5], [1000, 4000], [1, 3]).value)


def test_dsr_with_equal_rates_gives_that_rate_with_any_standard():
    # A population with the same rate (2 per 1,000) in every band has that DSR.
    pops = np.full(19, 5000.0)
    counts = pops * 0.002
    e = stats.dsr(counts, pops)
    assert e.value == pytest.approx(200.0, rel=1e-12)


def test_dsr_vectorised_over_areas_and_nan_counts_as_zero():
    counts = np.array([[10, 20], [20, np.nan]])
    e = stats.dsr(counts, [[1000, 4000], [1000, 4000]], [1, 3])
    assert e.value[0] == pytest.approx(625.0)
    assert e.value[1] == pytest.approx(20 / 1000 / 4 * 1e5)


def test_dsr_nonindependent_hand_calculation():
    # One band, w = 1, n = 1,000: 10 people with 1 event, 5 people with 2 (20 events).
    # var = (1² × 10 + 2² × 5) / 1000² = 30e-6 (independent events would give 20e-6).
    o = 20
    b_lo = o * (1 - 1 / (9 * o) - Z95 / (3 * math.sqrt(o))) ** 3
    e = stats.dsr_nonindependent([[10], [5]], [1, 2], [1000], [1])
    assert e.value == pytest.approx(2000.0)
    assert e.lower == pytest.approx((0.02 + math.sqrt(30e-6 / o) * (b_lo - o)) * 1e5)
    ind = stats.dsr([20], [1000], [1])
    assert e.lower < ind.lower and e.upper > ind.upper


def test_dsr_nonindependent_with_single_events_equals_dsr():
    persons = np.array([[12, 30, 7]])
    a = stats.dsr_nonindependent(persons, [1], [1000, 2000, 500], [3, 2, 1])
    b = stats.dsr([12, 30, 7], [1000, 2000, 500], [3, 2, 1])
    assert np.allclose(a, b, rtol=1e-13)


def test_esp2013_reference_data():
    t = stats.esp2013()
    assert len(t) == 19
    assert t.esp2013_population.sum() == 100_000
    assert t.age_band.iloc[0] == "0-4" and t.age_band.iloc[-1] == "90+"
    # Eurostat 2013: 5,000 aged 0-4; 1,000 aged 90+; 19,500 aged 65 and over.
    assert t.esp2013_population.iloc[0] == 5000 and t.esp2013_population.iloc[-1] == 1000
    assert stats.esp2013_weights(list(t.age_band[13:])).sum() == 19_500


# --------------------------------------------------------------------------- ISR


def test_expected_events_and_isr_hand_calculation():
    # Expected = 1000 × 20/10000 + 500 × 90/3000 = 2 + 15 = 17.
    e = stats.expected_events([1000, 500], [20, 90], [10_000, 3_000])
    assert e == pytest.approx(17.0)
    # 9 observed (< 10: exact). Exact 95% limits for 9: 4.1150, 17.0848 (published table).
    r = stats.isr_ratio(9, e, refvalue=100)
    assert r.value == pytest.approx(900 / 17)
    assert round(r.lower * 17 / 100, 3) == 4.115 and round(r.upper * 17 / 100, 3) == 17.085


def test_isr_rate_uses_byar_from_10():
    # 20 observed, 25 expected, reference 500 per 100,000: value 400;
    # lower = 20 (1 - 1/180 - z/(3√20))³ / 25 × 500.
    r = stats.isr_rate(20, 25, 500.0)
    assert r.value == pytest.approx(400.0)
    assert r.lower == pytest.approx(20 * (1 - 1 / 180 - Z95 / (3 * math.sqrt(20))) ** 3 / 25 * 500)


# --------------------------------------------------------------------------- means, ratios


def test_mean_ci_hand_calculation():
    # 2, 4, 6, 8: mean 5, s = √(20/3) = 2.58199, se = 1.29099, t(0.975; 3) = 3.18245
    # (printed t tables: 3.182), half-width 4.10850.
    e = stats.mean_ci([2, 4, 6, 8])
    assert e.value == 5.0
    assert (round(e.lower, 3), round(e.upper, 3)) == (0.891, 9.109)


def test_rate_ratio_log_hand_calculation():
    # RR = 2; se(log RR) = √(1/20 + 1/10) = 0.387298; exp(1.959964 × 0.387298) = 2.136349.
    e = stats.rate_ratio(20, 1000, 10, 1000)
    assert e.value == 2.0
    assert (round(e.lower, 4), round(e.upper, 4)) == (0.9362, 4.2727)


def test_rate_ratio_zero_counts():
    e = stats.rate_ratio(0, 1000, 10, 1000)
    assert e.value == 0.0 and math.isnan(e.lower)
    x = stats.rate_ratio(0, 1000, 10, 1000, method="exact")
    assert x.lower == 0.0 and 0 < x.upper < 1


# --------------------------------------------------------------------------- funnels


def test_funnel_proportion_limits_hand_check():
    # At n = 100 around 50%: the upper 99.8% limit 65.45% is where the Wilson lower
    # 99.8% limit of 65.45/100 reaches 0.5 (by hand: (130.9 + 9.5495 − 3.0902 × 10.0001)
    # / 219.099 = 0.49999).
    f = stats.funnel_proportion_limits([100], 0.5)
    assert round(f.upper99_8.iloc[0], 2) == 65.45
    assert list(f.columns[:6]) == ["n", "baseline", "lower95", "upper95", "lower99_8",
                                   "upper99_8"]
    assert (f.method == "Wilson").all()


def test_funnel_ratio_limits_at_100_events():
    # Exact 95% limits of 100 events: 81.364 and 121.627 (published tables: 81.36, 121.63).
    f = stats.funnel_ratio_limits([100], refvalue=100)
    assert round(f.lower95.iloc[0], 1) == round(100 / 121.627 * 100, 1)
    assert round(f.upper95.iloc[0], 1) == round(100 / 81.364 * 100, 1)


def test_funnel_rate_limits_relation_to_ratio_limits():
    # Rate limits = ratio limits × baseline rate; populations = μ / rate / years.
    r = stats.funnel_ratio_limits([50])
    f = stats.funnel_rate_limits([50], 250.0, years=5)
    assert f.lower95.iloc[0] == pytest.approx(r.lower95.iloc[0] * 250)
    assert f.upper99_8.iloc[0] == pytest.approx(r.upper99_8.iloc[0] * 250)
    mu_hi = 50 / r.lower95.iloc[0]
    assert f.population_lower95.iloc[0] == pytest.approx(mu_hi / 0.0025 / 5)


def test_funnel_significance_labels():
    lim = stats.funnel_proportion_limits([100] * 5, 0.5)
    labels = stats.funnel_significance([70, 62, 50, 39, float("nan")], lim)
    assert labels.tolist() == ["High (0.001)", "High (0.025)", "Not significant",
                               "Low (0.025)", "Not compared"]


# --------------------------------------------------------------------------- SII


def test_sii_exact_on_linear_data_and_deterministic_with_seed():
    pops = [120, 80, 100, 150, 50]
    a = np.array(pops) / 500
    mid = np.cumsum(a) - a / 2
    vals = 40 + 30 * mid  # exactly linear in the cumulative midpoint
    r1 = stats.sii(pops, vals, se=[2] * 5, seed=1, repetitions=5000)
    r2 = stats.sii(pops, vals, se=[2] * 5, seed=1, repetitions=5000)
    assert r1.sii == pytest.approx(30.0, rel=1e-12)
    assert r1.rii == pytest.approx(70 / 40, rel=1e-12)
    assert r1 == r2
    assert r1.sii_lower < 30 < r1.sii_upper


def test_sii_negative_multiplier_reverses():
    vals = [10, 12, 14, 16, 18]
    r = stats.sii([1] * 5, vals, multiplier=-1, se=[1] * 5, repetitions=2000)
    # Midpoints 0.1 … 0.9, slope 10: fitted 9 at 0 and 19 at 1; RII 19/9, inverted 9/19.
    assert r.sii == pytest.approx(-10.0)
    assert r.rii == pytest.approx(9 / 19)


# --------------------------------------------------------------------------- benchmark


@pytest.mark.parametrize(
    "lower,upper,bench,polarity,label",
    [
        (10, 12, 9, "high is good", "Better"),
        (10, 12, 9, "RAG - Low is good", "Worse"),
        (10, 12, 9, None, "Higher"),
        (7, 8, 9, "high is good", "Worse"),
        (7, 8, 9, "low is good", "Better"),
        (7, 8, 9, "BOB", "Lower"),
        (8, 10, 9, "high is good", "Similar"),
        (9, 10, 9, "high is good", "Similar"),  # an interval touching the benchmark
        (float("nan"), 10, 9, None, "Not compared"),
    ],
)
def test_compare_to_benchmark(lower, upper, bench, polarity, label):
    assert stats.compare_to_benchmark(lower, upper, bench, polarity) == label


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "call,needle",
    [
        (lambda: stats.wilson_ci(-1, 10), "column 'x': must be a count >= 0"),
        (lambda: stats.wilson_ci(11, 10), "must not exceed its denominator"),
        (lambda: stats.wilson_ci([1, 2, 30], [10, 10, 10]), "row 2"),
        (lambda: stats.rate_ci(5, 0), "column 'n': must be a population > 0"),
        (lambda: stats.dsr([5, 5], [100, 0], [1, 1]), "column 'pops'"),
        (lambda: stats.byar_ci(3, conf=1.5), "confidence must be in [0.5, 1)"),
        (lambda: stats.isr_ratio(5, 0), "expected count > 0"),
        (lambda: stats.rate_ratio(1, 1, 1, 1, method="score"), "method must be"),
        (lambda: stats.compare_to_benchmark(1, 2, 3, "up"), "polarity"),
        (lambda: stats.sii([1, 2, 3], [1, 2, 3], se=[1, 1, 1]), "between 5 and 100"),
    ],
)
def test_bad_input_raises_one_line_errors(call, needle):
    with pytest.raises(stats.StatsInputError) as info:
        call()
    msg = str(info.value)
    assert needle in msg and "\n" not in msg
    assert isinstance(info.value, DataError) and isinstance(info.value, HwbError)
    assert isinstance(info.value, ValueError)


def test_missing_values_propagate_as_nan():
    lo, hi = stats.wilson_ci([np.nan, 5], [10, 10])
    assert math.isnan(lo[0]) and not math.isnan(lo[1])


# --------------------------------------------------------------------------- frames


def test_proportion_frame_columns_and_values():
    df = pd.DataFrame({"area": ["A", "A", "B"], "x": [40, 41, 0], "n": [130, 133, 20]})
    out = stats.proportion_frame(df, "x", "n", by="area")
    assert list(out.columns[-8:]) == list(stats.INTERVAL_COLUMNS)
    a = out.set_index("area")
    assert round(a.loc["A", "lower95"], 2) == 25.53 and round(a.loc["A", "upper95"], 2) == 36.62
    assert a.loc["B", "lower95"] == 0.0
    assert (out.lower99_8 <= out.lower95).all() and (out.upper99_8 >= out.upper95).all()
    assert (out.confidence == "95%, 99.8%").all() and (out.statistic == "percentage").all()


def test_frame_errors_name_source_row_and_column():
    df = pd.DataFrame({"x": [1, 12], "n": [10, 10]}, index=[7, 8])
    with pytest.raises(stats.StatsInputError) as info:
        stats.proportion_frame(df, "x", "n", source="data/equity/uptake.csv")
    assert str(info.value).startswith("data/equity/uptake.csv, row 8, column 'x'")
    with pytest.raises(stats.StatsInputError, match="missing column"):
        stats.rate_frame(df, "events", "n")


def test_rate_frame_method_per_row():
    out = stats.rate_frame(pd.DataFrame({"x": [9, 10], "n": [10_000, 10_000]}), "x", "n")
    assert out.method.tolist() == ["Exact", "Byars"]
    assert out.statistic.iloc[0] == "rate per 100,000"


def test_dsr_frame_by_band_label_and_suppression_note():
    t = stats.esp2013()
    rows = []
    for area, k in (("A", 2), ("B", 0)):
        for band in t.age_band:
            rows.append({"area": area, "age": band, "deaths": k, "pop": 10_000})
    out = stats.dsr_frame(pd.DataFrame(rows), "deaths", "pop", by="area", band="age")
    a = out.set_index("area")
    # Every band has 2 per 10,000: the DSR is 20 per 100,000 whatever the standard.
    assert a.loc["A", "value"] == pytest.approx(20.0)
    assert a.loc["A", "total_count"] == 38
    assert math.isnan(a.loc["B", "value"])
    assert "not calculated" in a.loc["B", "statistic"]


def test_dsr_frame_nonindependent_matches_function():
    df = pd.DataFrame({
        "band": ["a", "a", "b", "b"], "freq": [1, 2, 1, 2], "people": [10, 5, 8, 1],
        "pop": [1000, 1000, 2000, 2000], "w": [1, 1, 3, 3],
    })
    out = stats.dsr_frame(df, "people", "pop", std_pop="w", band="band", event_freq="freq")
    e = stats.dsr_nonindependent([[10, 8], [5, 1]], [1, 2], [1000, 2000], [1, 3])
    assert out.value.iloc[0] == pytest.approx(e.value)
    assert out.lower95.iloc[0] == pytest.approx(e.lower)
    assert out.total_count.iloc[0] == 30
    assert "non-independent" in out.method.iloc[0]


def test_isr_frame_ratio_and_rate():
    df = pd.DataFrame({"x": [4, 5], "n": [1000, 500], "rx": [20, 90], "rn": [10_000, 3_000]})
    r = stats.isr_frame(df, "x", "n", "rx", "rn", refvalue=100)
    assert r.expected.iloc[0] == pytest.approx(17.0) and r.method.iloc[0] == "Exact"
    q = stats.isr_frame(df, "x", "n", "rx", "rn", kind="rate")
    # reference rate = 110 / 13,000 × 100,000 = 846.15…; value = 9/17 × that.
    assert q.value.iloc[0] == pytest.approx(9 / 17 * 110 / 13_000 * 100_000)


def test_mean_frame_groups():
    df = pd.DataFrame({"g": ["a"] * 4 + ["b"] * 2, "v": [2, 4, 6, 8, 1, 3]})
    out = stats.mean_frame(df, "v", by="g").set_index("g")
    assert out.loc["a", "value"] == 5.0 and out.loc["b", "value"] == 2.0
    assert out.loc["a", "method"] == "Student's t"


def test_compare_frame_uses_chosen_interval():
    # 81/263 = 30.8%: 95% Wilson 25.53 to 36.62 (Newcombe), so 37% is "Lower" at 95%;
    # at 99.8% (z = 3.0902) the upper limit is (162 + 9.5495 + 3.0902 × √233.76) / 545.10
    # = 40.1% by hand, so "Similar" there.
    f = stats.proportion_frame(pd.DataFrame({"x": [81], "n": [263]}), "x", "n")
    assert stats.compare_frame(f, 37.0).comparison.iloc[0] == "Lower"
    c = stats.compare_frame(f, 37.0, level="99_8")
    assert c.comparison.iloc[0] == "Similar" and c.comparison_level.iloc[0] == "99.8%"


def test_funnel_proportion_limits_degenerate_targets():
    # Around 0% or 100% every limit collapses onto the target.
    for p0 in (0.0, 1.0):
        f = stats.funnel_proportion_limits([10, 1000, 10**6], p0)
        vals = f[["lower95", "upper95", "lower99_8", "upper99_8"]].to_numpy()
        assert np.allclose(vals, p0 * 100, atol=1e-4)


def test_sii_point_estimates_without_standard_errors():
    r = stats.sii([1] * 5, [10, 12, 14, 16, 18], multiplier=100)
    assert r.sii == pytest.approx(1000.0) and r.rii == pytest.approx(19 / 9)
    assert math.isnan(r.sii_lower) and r.repetitions == 0


def test_rate_ratio_method_aliases():
    assert stats.rate_ratio(20, 1000, 10, 1000, method="wald-log") == stats.rate_ratio(
        20, 1000, 10, 1000)
    assert stats.rate_ratio(20, 1000, 10, 1000, method="exact-cond") == stats.rate_ratio(
        20, 1000, 10, 1000, method="exact")


def test_confidence_as_percentage_equals_fraction():
    assert stats.wilson_ci(30, 50, 95) == stats.wilson_ci(30, 50, 0.95)
    assert stats.byar_ci(40, 99.8) == stats.byar_ci(40, 0.998)


def test_dsr_frame_matches_esp_by_position_per_group():
    pops = np.full(19, 10_000.0)
    rows = []
    for area, rate in (("A", 0.001), ("B", 0.003)):
        for i in range(19):
            rows.append({"area": area, "deaths": pops[i] * rate, "pop": pops[i]})
    out = stats.dsr_frame(pd.DataFrame(rows), "deaths", "pop", by="area").set_index("area")
    # A constant rate of 1 (3) per 1,000 in every band is a DSR of 100 (300) per 100,000.
    assert out.loc["A", "value"] == pytest.approx(100.0)
    assert out.loc["B", "value"] == pytest.approx(300.0)
    assert (out.method == "Dobson").all()
    with pytest.raises(stats.StatsInputError, match="each group needs 19 rows"):
        stats.dsr_frame(pd.DataFrame(rows[:-1]), "deaths", "pop", by="area")
