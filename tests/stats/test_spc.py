"""Tests of hwb.stats.spc (Making Data Count XmR charts) on hand-worked series."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from hwb.stats import spc
from hwb.stats._common import StatsInputError


def test_limits_with_and_without_screening():
    """10, 12, 11, 13, 12, 11, 14, 12, 13, 30: mean 13.8; moving ranges sum 30 over 9,
    mMR 3.3333.  Unscreened limits 13.8 ± 2.66 × 3.3333 = 4.9333, 22.6667.  Screened: 17 ≥
    3.267 × 3.3333 = 10.89 dropped, mMR 13 / 8 = 1.625, limits 9.4775, 18.1225; sigma
    2.66 × 1.625 / 3 = 1.44083."""
    y = [10, 12, 11, 13, 12, 11, 14, 12, 13, 30]
    f, _ = spc.xmr(y, screen_outliers=False)
    assert f["lpl"].iloc[0] == pytest.approx(4.93333, abs=1e-4)
    assert f["upl"].iloc[0] == pytest.approx(22.66667, abs=1e-4)
    f, s = spc.xmr(y)
    assert f["lpl"].iloc[0] == pytest.approx(9.4775)
    assert f["upl"].iloc[0] == pytest.approx(18.1225)
    assert f["plus1_sigma"].iloc[0] - 13.8 == pytest.approx(1.44083, abs=1e-5)
    assert f["plus2_sigma"].iloc[0] - 13.8 == pytest.approx(2.88167, abs=1e-5)
    assert f["mr"].iloc[-1] == 17 and math.isnan(f["mr"].iloc[0])
    assert f["beyond_limits"].tolist() == [False] * 9 + [True]
    assert s.mean == pytest.approx(13.8) and s.n_points == 10 and s.segments == 1
    assert "Making Data Count (2019)" in s.method and "NHSRplotthedots" in s.method


def test_run_of_seven_and_point_on_mean_breaks_it():
    """11, 12, 11, 10, 12, 11, 12, then 9, 8, 9, 8, 9, 9, 9: deviations from 10 sum +9 and -9,
    so the mean is exactly 10.  The 4th point (10) is on the mean: the first seven are 3 above,
    one on, 3 above - no run.  The last seven are all below: a run."""
    y = [11, 12, 11, 10, 12, 11, 12, 9, 8, 9, 8, 9, 9, 9]
    f, _ = spc.xmr(y, improvement="increase")
    assert f["mean"].iloc[0] == pytest.approx(10)
    assert f["run"].tolist() == [False] * 7 + [True] * 7
    assert (f["verdict"].iloc[7:] == spc.CONCERN).all()
    # the same with 11 in place of the point on the mean: (now mean 10 + 1/14) 7 above
    y2 = [11, 12, 11, 11, 12, 11, 12, 9, 8, 9, 8, 9, 9, 9]
    f2, _ = spc.xmr(y2, improvement="increase")
    assert f2["run"].iloc[:7].all()
    assert (f2["verdict"].iloc[:7] == spc.IMPROVEMENT).all()


def test_run_length_is_a_parameter():
    """With run_length 8 the 7 points below the mean of the run test are no longer a run."""
    y = [11, 12, 11, 10, 12, 11, 12, 9, 8, 9, 8, 9, 9, 9]
    f, _ = spc.xmr(y, run_length=8)
    assert not f["run"].any()


def test_trend_and_ties():
    """7, 6, 5, 4, 3, 2, 1: six falls, a trend of 7.  Mean 4, mMR 1, limits 1.34 and 6.66, so
    7 and 1 are also beyond the limits.  The middle point (4) is ON the mean, yet it is a
    special cause: the trend's direction (down), improvement when lower is better."""
    f, s = spc.xmr([7, 6, 5, 4, 3, 2, 1], improvement="decrease")
    assert f["trend"].all()
    assert f["verdict"].iloc[3] == spc.IMPROVEMENT
    # 7 is beyond the upper limit: a point beyond a limit is judged by its side (concern)
    assert f["verdict"].iloc[0] == spc.CONCERN
    assert s.variation == spc.IMPROVEMENT  # 1 is below the lower limit
    # a tie breaks the trend: 1,2,3,3,4,5,6,7 rises by 3 then by 5 points, neither 7
    f, _ = spc.xmr([1, 2, 3, 3, 4, 5, 6, 7])
    assert not f["trend"].any()
    f, _ = spc.xmr([1, 2, 3, 4, 5, 6, 7, 7])
    assert f["trend"].tolist() == [True] * 7 + [False]
    f, _ = spc.xmr([1, 2, 3, 4, 5, 6, 7, 7], trend_length=9)
    assert not f["trend"].any()


def test_two_in_three_needs_all_three_on_one_side():
    """Fixed after 8 points 0,1,0,1,0,1,0,1: mean 0.5, mMR 1, sigma 0.88667, two sigma
    1.77333 above the mean is 2.27333, the limit 3.16.  2.3 is between them (close).  In
    2.3, 0.6, 2.3 all three are above the mean: the two 2.3s are flagged; with 0.5 (on the
    mean) in the middle they are not (NHSRplotthedots: abs(sum(side)) == 3)."""
    base = [0, 1, 0, 1, 0, 1, 0, 1]
    f, _ = spc.xmr(base + [2.3, 0.6, 2.3], fix_after_n_points=8, improvement="decrease")
    assert f["mean"].iloc[-1] == pytest.approx(0.5)
    assert f["two_in_three"].tolist() == [False] * 8 + [True, False, True]
    assert f["verdict"].iloc[-1] == spc.CONCERN and f["verdict"].iloc[-2] == spc.COMMON
    f, _ = spc.xmr(base + [2.3, 0.5, 2.3], fix_after_n_points=8)
    assert not f["two_in_three"].any()
    # beyond the limit is not "close": 2.3, 0.6, 3.5 -> 3.5 beyond, only one close point
    f, _ = spc.xmr(base + [2.3, 0.6, 3.5], fix_after_n_points=8)
    assert not f["two_in_three"].any() and f["beyond_limits"].iloc[-1]


def test_neutral_direction():
    f, s = spc.xmr([10, 12, 11, 13, 12, 11, 14, 12, 13, 30])
    assert s.variation == spc.NEITHER and s.assurance is None


def test_missing_values():
    """10, NaN, 12, 11: mean 33 / 3 = 11; moving ranges over recorded points |12 - 10| = 2 and
    1, mMR 1.5; the missing row is kept with verdict 'no data'."""
    f, s = spc.xmr([10, np.nan, 12, 11])
    assert f["mean"].iloc[0] == pytest.approx(11)
    assert f["upl"].iloc[0] == pytest.approx(11 + 2.66 * 1.5)
    assert f["mr"].iloc[2] == 2 and math.isnan(f["mr"].iloc[1])
    assert f["verdict"].iloc[1] == spc.NO_DATA
    assert s.n_points == 3 and s.n_missing == 1


def test_short_series():
    """Three points: limits exist, no run or trend is possible, and the summary warns; one
    point: no moving range, no limits, common cause."""
    f, s = spc.xmr([1, 2, 3])
    assert not f["run"].any() and not f["trend"].any()
    assert s.warnings and "fewer than the 7" in s.warnings[0]
    f, s = spc.xmr([5.0], improvement="increase", target=3)
    assert math.isnan(f["upl"].iloc[0]) and s.variation == spc.COMMON and s.assurance is None


def test_rebase_and_fix_after():
    """Rebased at x = 4: 1,2,1,2 | 11,12,11,12 - means 1.5 and 11.5, each mMR 1 (the jump
    between segments is not a moving range of either), limits ± 2.66."""
    f, s = spc.xmr([1, 2, 1, 2, 11, 12, 11, 12], x=range(8), rebase=[4])
    assert f["segment"].tolist() == [1] * 4 + [2] * 4
    assert f["mean"].tolist() == [1.5] * 4 + [11.5] * 4
    assert f["upl"].iloc[-1] == pytest.approx(14.16) and s.segments == 2
    assert not f["special_cause"].any()
    # fixed after 4 points, no rebase: mean 1.5, mMR 1 -> 11, 12 are beyond 4.16
    f, _ = spc.xmr([1, 2, 1, 2, 11, 12, 11, 12], fix_after_n_points=4)
    assert f["mean"].iloc[-1] == 1.5 and f["beyond_limits"].iloc[4:].all()
    with pytest.raises(StatsInputError):
        spc.xmr([1, 2, 3], x=[0, 1, 2], rebase=[9])


def test_assurance_and_target_from():
    """Mean 11.5, mMR 1 on 11,12,11,12,11,12: limits 8.84 and 14.16.  Lower is better: a
    target of 15 (above the upper limit) is always met; 12 is hit and miss; 8 always
    missed.  Higher is better mirrors it.  The target applies only from target_from."""
    y = [11, 12, 11, 12, 11, 12]
    assert spc.xmr(y, improvement="decrease", target=15)[1].assurance == spc.PASS
    assert spc.xmr(y, improvement="decrease", target=12)[1].assurance == spc.HIT_AND_MISS
    assert spc.xmr(y, improvement="decrease", target=8)[1].assurance == spc.FAIL
    assert spc.xmr(y, improvement="increase", target=8)[1].assurance == spc.PASS
    assert spc.xmr(y, improvement="increase", target=15)[1].assurance == spc.FAIL
    months = pd.period_range("2018-01", periods=6, freq="M")
    f, s = spc.xmr(y, x=months, improvement="decrease", target=12,
                   target_from=pd.Period("2018-04", "M"))
    assert f["target"].isna().tolist() == [True] * 3 + [False] * 3 and s.target == 12


def test_bad_input():
    with pytest.raises(StatsInputError, match="improvement"):
        spc.xmr([1, 2, 3], improvement="up")
    with pytest.raises(StatsInputError, match="increasing order"):
        spc.xmr([1, 2, 3], x=[3, 2, 1])
    with pytest.raises(StatsInputError, match="non-missing"):
        spc.xmr([np.nan, np.nan])


def test_frame_helper():
    df = pd.DataFrame({"m": [2, 1, 3], "v": [6.0, 4.0, 5.0]})
    f, s = spc.xmr_frame(df, "v", "m")
    assert f["value"].tolist() == [4.0, 6.0, 5.0]
    with pytest.raises(StatsInputError):
        spc.xmr_frame(df, "nope", "m")


def test_rule_helpers_agree_with_nhsrplotthedots_unit_tests():
    """Cases from NHSRplotthedots' own tests (tests/testthat/test-ptd_calculate_point_type.R),
    stated there as the expected output of ptd_seven_point_one_side_mean, ptd_seven_point_trend
    with ptd_part_of_seven_trend, and ptd_two_in_three with ptd_part_of_two_in_three; here as
    the points flagged."""
    run = spc._runs_flag
    assert not run(np.array([1] * 6), 7).any()
    assert not run(np.array([1] * 6 + [-1]), 7).any()
    assert run(np.array([1] * 8 + [-1]), 7).tolist() == [True] * 8 + [False]
    assert run(np.array([-1] * 8 + [1]), 7).tolist() == [True] * 8 + [False]
    trend = lambda y: spc._trend(np.array(y, dtype=float), 7)[0].tolist()  # noqa: E731
    assert trend(list(range(1, 7))) == [False] * 6
    assert trend([1, 2, 3, 3, 4, 5, 6]) == [False] * 7
    assert trend(list(range(1, 8))) == [True] * 7
    assert trend([2, *range(1, 8), 3]) == [False] + [True] * 7 + [False]
    assert trend([2, *range(7, 0, -1), 3]) == [False] + [True] * 7 + [False]
    two = lambda c, s: spc._two_in_three(np.array(c, bool), np.array(s)).astype(int).tolist()  # noqa: E731
    for c in ([1, 0, 1], [0, 1, 1], [1, 1, 0]):
        assert two(c, [1, 1, 1]) == c
        assert two(c, [1, -1, 1]) == [0, 0, 0]
    assert two([0, 0, 1, 0, 1, 0, 0], [1] * 7) == [0, 0, 1, 0, 1, 0, 0]
    assert two([0, 0, 1, 1, 0, 0, 0], [1] * 7) == [0, 0, 1, 1, 0, 0, 0]
    assert two([1, 0, 0, 1], [1] * 4) == [0, 0, 0, 0]
    assert two([1, 0, 0, 1, 1], [1] * 5) == [0, 0, 0, 1, 1]
    assert two([0, 0, 1, 0, 1, 0, 0], [1, -1, 1, -1, 1, -1, 1]) == [0] * 7
