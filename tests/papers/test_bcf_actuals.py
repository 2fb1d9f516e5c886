"""BCF actual performance: plan against actual, special cause, England and neighbours.

Expected values are hand calculations from the shipped files (data/nel, data/ascof,
data/bcf/printed_figures.csv), written in each docstring.
"""

from __future__ import annotations

import pandas as pd
import pytest

from hwb.core.params import load_params
from hwb.core.registry import BUILTIN_ROOT
from hwb.papers import bcf
from hwb.papers.bcf import actuals

ROT = "rotherham-2017-09-20"


@pytest.fixture(scope="module")
def rot() -> pd.DataFrame:
    return bcf.load_printed(ROT)


def test_nel_plan_against_actual_rotherham(rot) -> None:
    """2017/18 Q2: plan 7,436 (template tab 4, line 15403); actual 8,376.669 (by hand in
    tests/test_nel.py); 8,376.669 - 7,436 = 940.669, 12.65% of the plan. September 2017 was first
    published on 9 November 2017, after the meeting of 20 September: hindsight. 2017/18 Q1's
    last month (June) was published on 10 August 2017: known at the meeting."""
    f = actuals.nel_plan_vs_actual(rot, "E08000018", "2017-09-20").set_index("period")
    assert f.loc["2017/18 Q2", "plan"] == 7436
    assert f.loc["2017/18 Q2", "difference"] == pytest.approx(940.669, abs=1e-6)
    assert f.loc["2017/18 Q2", "pct_difference"] == pytest.approx(940.669 / 7436 * 100)
    assert f.loc["2017/18 Q2", "known"] == "hindsight (published 2017-11-09)"
    assert f.loc["2017/18 Q1", "known"] == "known at the meeting"
    assert len(f) == 8 and f["actual"].notna().all()


def test_ascof_plan_against_actual_rotherham(rot) -> None:
    """2018/19 plans (tab 4.2 and 4.3): residential 287 / 51,982 x 100,000 = 552.11;
    reablement 162 / 182 = 89.01%. ASCOF 2018/19: 564.9 and 85.6. Both worse than plan
    (564.9 - 552.11 = +12.79, higher is worse; 85.6 - 89.01 = -3.41, lower is worse),
    and both published in October 2019, after the meeting."""
    f = actuals.ascof_plan_vs_actual(rot, "E08000018", meeting="2017-09-20").set_index("measure")
    assert f.loc["2A(2)", "plan"] == pytest.approx(287 / 51982 * 1e5)
    assert f.loc["2A(2)", "difference"] == pytest.approx(564.9 - 287 / 51982 * 1e5)
    assert f.loc["2B(1)", "difference"] == pytest.approx(85.6 - 162 / 182 * 100)
    assert set(f["better"]) == {"worse than plan"}
    assert set(f["known"]) == {"hindsight (published October 2019)"}


def test_nel_spc_baseline_is_2016_17() -> None:
    """The XmR mean is fixed on the 12 months April 2016 - March 2017: the mean of those
    months' admissions a day (each month's apportioned count over its days)."""
    from hwb import periods
    from hwb.sources import nel

    m = nel.by_hwb_months("E08000018")
    base = m[(m.month >= "2016-04") & (m.month <= "2017-03")]
    mean = (base.value / base.month.map(periods.days_in)).mean()
    frame, summary = actuals.nel_spc("E08000018")
    assert frame["mean"].iloc[-1] == pytest.approx(mean)
    assert summary.improvement == "decrease" and len(frame) == 36


def test_nel_rates_against_england() -> None:
    """Rotherham 2017/18: 33,982.24 admissions (sum of the four quarters) over the mid-2017
    population 263,375 x 1,000 = 129.03 per 1,000."""
    r = actuals.nel_rates("E08000018").set_index("year")
    assert r.loc["2017/18", "population"] == 263375
    assert r.loc["2017/18", "rate"] == pytest.approx(
        r.loc["2017/18", "admissions"] / 263375 * 1000)
    q = actuals.nel_quarters("E08000018")
    assert r.loc["2017/18", "admissions"] == pytest.approx(
        q[q.period.str.startswith("2017/18")].actual.sum())


def test_known_label_boundaries() -> None:
    """Published on the meeting day is not known at the meeting (published the same day the
    papers went out is too late); the day before is."""
    assert actuals.known_label("2017-09-20", "2017-09-20").startswith("hindsight")
    assert actuals.known_label("2017-09-19", "2017-09-20") == "known at the meeting"


def test_params_with_only_an_area_code(tmp_path) -> None:
    """A board without a printed paper: the name comes from the CCG-HWB mapping."""
    p = load_params(BUILTIN_ROOT / "params" / "bcf" / "coventry-2017-19.yaml", bcf.BcfParams)
    assert (p.area_name, p.board, p.metrics_published, p.meeting_date) == (
        "Coventry", "", [], None)
    assert p.board_name == "Coventry Health and Wellbeing Board"
    bad = tmp_path / "x.yaml"
    bad.write_text("area_code: E08000099\n")
    from hwb.errors import ParameterError

    with pytest.raises(ParameterError, match="area_name"):
        load_params(bad, bcf.BcfParams)


def test_dtoc_availability() -> None:
    """NHS England's DTOC series counts the City of London with Hackney (no row of its own), so
    the City's appendix shows non-elective admissions and ASCOF only."""
    assert actuals.dtoc_available("E08000018")
    assert not actuals.dtoc_available("E09000001")


def test_hackney_divides_by_hackney_and_the_city() -> None:
    """The series counts the City of London's delays in Hackney's row, so Hackney's board rate
    divides by both 18+ populations, as the national summary does. 2018/19: 5,759 delayed days
    (April 2018-March 2019 in the shipped series) over 216,010 (Hackney, ONS mid-2018, 18+)
    + 7,253 (City of London) = 223,263, so 5,759 / 223,263 x 100,000 = 2,579.47."""
    d = actuals.dtoc_rates("E09000012").set_index("year")
    assert d.loc["2018/19", "delayed_days"] == 5759
    assert d.loc["2018/19", "population"] == 216010 + 7253
    assert d.loc["2018/19", "rate"] == pytest.approx(2579.469, abs=0.001)
    assert "City of London" in d.loc["2018/19", "vintage"]
