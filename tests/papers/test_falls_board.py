"""The falls paper for any board: parameters from an area code and a period, the rates, the
comparison with comparable councils, the admissions avoided at the standard age mix, counties.

Expected values are read off the shipped files by hand (PHOF 22401 as shipped in
``data/falls/``: York E06000014 2,272 in 2010/11, 2,143 in 2011/12, 2,038 in 2012/13;
England 2,126, 2,128 and 2,097) or follow from the rules written in each test.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hwb.core.params import load_params
from hwb.errors import ParameterError
from hwb.papers import falls
from hwb.papers.falls import board, tables

ROOT = Path(__file__).resolve().parents[2]
YORK = ROOT / "params" / "falls" / "york-2012-13-to-2015-16.yaml"


@pytest.fixture(scope="module")
def national() -> pd.DataFrame:
    return falls.load_national(ROOT / "data" / falls.NATIONAL_FILE)


def params_for(code: str, period: str = "2012/13-2015/16") -> falls.FallsParams:
    return falls.FallsParams(area_code=code, period=period)


def test_a_params_file_with_an_area_code_and_a_period_is_enough() -> None:
    p = load_params(YORK, falls.FallsParams)
    assert (p.area_name, p.board_name, p.board) == ("York", "York Health and Wellbeing Board", "")
    # the year before the period is the baseline, the two years to it the pre-period, the
    # years after it to 2017/18 (the last shipped) the later years
    assert p.baseline_year == "2011/12" and p.pre_period == ["2010/11", "2011/12"]
    assert p.evaluation_years == ["2012/13", "2013/14", "2014/15", "2015/16"]
    assert p.later_years == ["2016/17", "2017/18"]
    assert (p.national_start, p.national_end) == ("2011/12", "2015/16")


def test_a_later_period_has_no_later_years_and_a_later_pre_period() -> None:
    p = params_for("E06000014", "2014/15-2017/18")
    assert p.baseline_year == "2013/14" and p.pre_period == ["2012/13", "2013/14"]
    assert p.later_years == []


def test_a_shire_county_has_no_rates_and_says_so(national: pd.DataFrame) -> None:
    p = params_for("E10000018")  # Leicestershire
    b = board.board_falls(p, national)
    assert b.rates is None and b.avoided.empty
    assert b.no_rates.startswith("No published rates in the shipped file: Leicestershire is a "
                                 "shire county")
    assert "\n" not in b.no_rates  # one line


def test_a_county_run_does_not_fail(national: pd.DataFrame) -> None:
    run = board.compute(params_for("E10000018"), None)
    assert run.claim is None and run.board.rates is None
    # its comparable councils are listed, each with the reason it has no rate
    nb = run.board.neighbours
    assert bool(nb["is_area"].iloc[0]) and len(nb) == 16
    assert set(nb.loc[nb["area_code"].str.startswith("E10"), "note"]) == {
        "shire county: no published rates in the shipped file"}


def test_a_council_on_2019_boundaries_is_named_missing(national: pd.DataFrame) -> None:
    b = board.board_falls(params_for("E06000058"), national)  # Bournemouth, Christchurch, Poole
    assert b.rates is None and "April 2018 boundaries" in b.no_rates


def test_admissions_avoided_at_the_standard_age_mix_by_hand(national: pd.DataFrame) -> None:
    """York 2012/13: counterfactual rate = pre-period mean (2,272 + 2,143) / 2 = 2,207.5 times
    England's 2,097 over its pre-period mean (2,126 + 2,128) / 2 = 2,127, i.e. 2,176.36; the
    observed rate is 2,038; each times the ONS 65+ population of mid-2012 / 100,000."""
    from hwb.sources import population_by_year

    av = board.avoided_at_standard_age_mix(national, params_for("E06000014")).set_index("period")
    pop = population_by_year.population("E06000014", 2012, "65+").value
    assert av.loc["2012/13", "dsr_expected"] == pytest.approx(2207.5 * 2097 / 2127)
    assert av.loc["2012/13", "avoided"] == pytest.approx(
        (2207.5 * 2097 / 2127 - 2038) * pop / 100_000)
    assert "interpolated mid-2012" in av.loc["2012/13", "vintage"]
    assert av.loc["Total", "avoided"] == pytest.approx(
        av.loc[["2012/13", "2013/14", "2014/15", "2015/16"], "avoided"].sum())


def test_comparable_councils_change_is_read_off_the_file(national: pd.DataFrame) -> None:
    from hwb.sources import cipfa

    nb, note = board.comparable_councils(national, "E08000018", "2011/12", "2015/16")
    assert nb["area_code"].iloc[0] == "E08000018" and len(nb) == 16
    assert set(nb["area_code"].iloc[1:]) == set(cipfa.neighbours("E08000018"))
    assert cipfa.VINTAGE in note
    rotherham = nb.iloc[0]
    assert rotherham["pct_change"] == pytest.approx((1595 / 2407 - 1) * 100)  # -33.7%
    r = falls.area_rates(national, nb["area_code"].iloc[1])
    assert nb["pct_change"].iloc[1] == pytest.approx((r["2015/16"] / r["2011/12"] - 1) * 100)


def test_the_rate_sentence_follows_the_direction_of_the_rates() -> None:
    p = params_for("E06000014")
    # York: 2,143 in 2011/12 to 2,329 in 2015/16 (a rise of 186), of which 2014/15 to 2015/16
    # is 232, more than half: "most of the rise"; 2016/17 (2,256) is below 2,329: "fell again"
    r = pd.Series({"2011/12": 2143.0, "2012/13": 2038.0, "2013/14": 2091.0, "2014/15": 2097.0,
                   "2015/16": 2329.0, "2016/17": 2256.0})
    text = tables.rate_change_template(p, r)
    assert text == ("York's rate rose from {rate_baseline} per 100,000 in 2011/12 to {rate_final} "
                    "in 2015/16; most of the rise came in a single year, and the rate fell "
                    "again to {rate_next} in the next year.")


@pytest.mark.parametrize("period,key", [("2010/11", "baseline_year"),
                                        ("2016/17-2018/19", "evaluation_years")])
def test_years_outside_the_shipped_rates_are_refused(tmp_path: Path, period: str,
                                                     key: str) -> None:
    # the shipped PHOF file covers 2010/11 to 2017/18 (data/falls/SOURCE.md)
    f = tmp_path / "outside.yaml"
    f.write_text(f"area_code: E06000014\nperiod: {period}\n")
    with pytest.raises(ParameterError) as e:
        load_params(f, falls.FallsParams)
    assert f"key '{key}'" in str(e.value) and "2010/11 to 2017/18" in str(e.value)


def test_coverage_of_every_upper_tier_council(national: pd.DataFrame) -> None:
    """data/falls/SOURCE.md: the 26 shire counties are absent, the Isles of Scilly and the City
    of London blank in every year; the file is on April 2018 boundaries, so the two councils
    created in April 2019 (Bournemouth, Christchurch and Poole; Dorset) are absent too. Every
    other upper-tier council of 2019 has rates."""
    from hwb.core.params import area_names

    codes = sorted(c for c in area_names() if c.startswith("E"))
    cov = board.coverage(codes, "2012/13-2015/16", national).set_index("area_code")
    counties = [c for c in codes if c.startswith("E10")]
    assert len(counties) == 26 and not cov.loc[counties, "covered"].any()
    blank = cov.loc[["E06000053", "E09000001"], "reason"]
    assert blank.str.endswith("are blank in every year.").all()
    assert not cov.loc[["E06000058", "E06000059"], "covered"].any()
    assert int(cov["covered"].sum()) == len(codes) - 26 - 4
    assert cov["reason"].str.startswith("No published rates in the shipped file: ").sum() == 30
