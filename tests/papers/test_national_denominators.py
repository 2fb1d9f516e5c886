"""The national league table's denominators (issue 14 item 4, issue 16 item 1) and coverage.

Each month divides by the ONS estimate of persons aged 18+ of its own mid-year on the series'
boundaries, the estimates every board's appendix divides by.  Where the numbers come from
(never from the code under test):

* Delayed days: NHS England's rows as shipped in
  ``data/dtoc/dtoc_delayed_days_by_responsible_org_2011-04_to_2019-12.csv`` (NHS + social
  care + both): Hackney, November 2017, 331 + 202 + 7 = 540; Leicestershire, February 2012,
  739 + 142 + 89 = 970.
* Populations: the shipped ``data/population/by_year/`` files, read here with pandas and
  summed by hand: ages 18 to 90+ of the MYE2 rows, the MYEB3 all-ages totals of a county's
  districts (``district_to_county_2014_2018.csv``).
* Boundaries: the series counts the City of London with Hackney and the Isles of Scilly with
  Cornwall, Bournemouth, Poole and the old Dorset county to April 2019 and Bournemouth,
  Christchurch and Poole and the unitary Dorset from May 2019 (152 boards less 2 without
  rows of their own before, 151 less 2 after).
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pandas as pd
import pytest

from hwb.papers import national as paper

compute = importlib.import_module("hwb.papers.national.compute")

DATA = Path(__file__).resolve().parents[2] / "data" / "population" / "by_year"
AGES_18_PLUS = [str(a) for a in range(18, 91)]
OLD_DORSET = {"E06000028", "E06000029", "E10000009"}
NEW_DORSET = {"E06000058", "E06000059"}
ABSORBED = {"E09000001", "E06000053"}


def _mye(year: int, code: str) -> pd.Series:
    d = pd.read_csv(DATA / "mye2_persons_sya_2011_2014_2018_england.csv.gz",
                    dtype={"code": str})
    return d[(d["year"] == year) & (d["code"] == code)].iloc[0]


def test_hackney_november_2017_with_the_city_of_london() -> None:
    """Hackney's 212,881 aged 18+ at mid-2017 plus the City of London's 6,400 (each the sum of
    its ages 18 to 90+) is 219,281; 540 / 219,281 x 100,000 = 246.259 a month, / 30 days =
    8.2086 a day.  The City has no row, so it is not added twice."""
    hackney = _mye(2017, "E09000012")[AGES_18_PLUS].sum()
    city = _mye(2017, "E09000001")[AGES_18_PLUS].sum()
    assert (hackney, city) == (212_881, 6_400)
    t = paper.league("2017-11").set_index("area_code")
    r = t.loc["E09000012"]
    assert int(r["total"]) == 540 and int(r["population"]) == 219_281
    assert r["rate_total"] == pytest.approx(246.259, abs=5e-4)
    assert r["rate_per_day_total"] == pytest.approx(8.2086, abs=5e-5)
    assert "E09000001" not in t.index


def test_leicestershire_february_2012_is_interpolated_and_scaled() -> None:
    """Mid-2012 is interpolated: a third of the way from mid-2011 to mid-2014, age by age, then
    scaled to the ONS all-ages series.  Leicestershire 18+: 517,281 + (533,105 - 517,281) / 3
    = 522,555.67; all ages 651,179 + (667,905 - 651,179) / 3 = 656,754.33; the MYEB3 mid-2012
    total of its seven districts is 656,182; so 522,555.67 x 656,182 / 656,754.33 =
    522,100.28, 522,100 to whole persons.  970 / 522,100 x 100,000 / 29 days = 6.40649."""
    a, b = _mye(2011, "E10000018"), _mye(2014, "E10000018")
    adults = a[AGES_18_PLUS].sum() + (b[AGES_18_PLUS].sum() - a[AGES_18_PLUS].sum()) / 3
    everyone = a["total"] + (b["total"] - a["total"]) / 3
    myeb3 = pd.read_csv(DATA / "myeb3_all_ages_2011_2018_geog19_england.csv", dtype=str)
    county = pd.read_csv(DATA / "district_to_county_2014_2018.csv", dtype=str)
    districts = county[(county["year"] == "2018") & (county["county_code"] == "E10000018")]
    total = myeb3[myeb3["ladcode19"].isin(districts["district_code"])]["population_2012"]
    hand = adults * total.astype(float).sum() / everyone
    assert round(hand) == 522_100
    t = paper.league("2012-02").set_index("area_code")
    r = t.loc["E10000018"]
    assert int(r["total"]) == 970 and int(r["population"]) == 522_100
    assert r["rate_per_day_total"] == pytest.approx(6.40649, abs=5e-6)
    assert r["vintage"].startswith("interpolated mid-2012")
    assert t["rank"].notna().sum() == 150 and OLD_DORSET <= set(t.index)


def test_a_2012_month_states_the_interpolation_beside_the_table() -> None:
    t = paper.league("2012-02")
    words = paper.vintage_words(t)
    assert words.startswith("Interpolated mid-2012 (between mid-2011 and mid-2014, scaled to")
    assert words.endswith("for every authority.")


def test_2019_months_on_each_months_boundaries() -> None:
    """February 2019: the old three are in the series, at mid-2018 (the latest mid-year on their
    boundaries, apportioned), the other 147 at mid-2019.  December 2019: BCP and the unitary
    Dorset at mid-2019, 149 rows, no old code."""
    feb = paper.league("2019-02").set_index("area_code")
    assert feb["rank"].notna().sum() == 150
    assert set(feb.loc[list(OLD_DORSET), "estimate_year"]) == {2018}
    assert all(v.startswith("apportioned mid-2018") for v in feb.loc[list(OLD_DORSET), "vintage"])
    words = paper.vintage_words(feb.reset_index())
    assert words.startswith("ONS mid-2019 estimate for 147 authorities.")
    assert "for Bournemouth, Poole, Dorset." in words
    dec = paper.league("2019-12").set_index("area_code")
    assert dec["rank"].notna().sum() == 149
    assert NEW_DORSET <= set(dec.index) and not OLD_DORSET & set(dec.index)
    assert paper.vintage_words(dec.reset_index()) == "ONS mid-2019 estimate for every authority."


def test_england_trend_divides_each_month_by_its_own_year() -> None:
    """England's December 2015 point over mid-2015 England (the sum over its authorities'
    18+ rows in the shipped file), its November 2017 point over mid-2017 (43,752,473)."""
    d = pd.read_csv(DATA / "mye2_persons_sya_2011_2014_2018_england.csv.gz", dtype={"code": str})
    upper = d["code"].str[:3].isin(["E06", "E08", "E09", "E10"])
    eng = {y: d[upper & (d["year"] == y)][AGES_18_PLUS].to_numpy().sum() for y in (2015, 2017)}
    assert eng[2017] == 43_752_473
    m = paper.england_trend(paper.dtoc.load_series(), "2017-11", 24).set_index("period")
    assert m.loc["2015-12", "population"] == eng[2015]
    assert m.loc["2017-11", "population"] == eng[2017]


@pytest.mark.parametrize(("month", "ok", "missing"), [
    ("2017-11", 150, NEW_DORSET | ABSORBED),
    ("2012-02", 150, NEW_DORSET | ABSORBED),
    ("2019-12", 149, OLD_DORSET | ABSORBED),
])
def test_coverage_from_the_series_and_the_months_estimates(month: str, ok: int,
                                                           missing: set[str]) -> None:
    cov = paper.coverage(month)
    assert int(cov["ok"].sum()) == ok
    reasons = cov.loc[~cov["ok"]].set_index("area_code")["reason"]
    assert set(reasons.index) == missing
    assert "counts it with Hackney" in reasons["E09000001"]
    assert "counts it with Cornwall" in reasons["E06000053"]
    for code in missing - ABSORBED:
        assert ("from May 2019" if code in NEW_DORSET else "until Apr 2019") in reasons[code]


def test_the_notebook_does_not_reach_into_the_commands() -> None:
    """The paper computes its own coverage (the layer rule: commands run papers, not the
    reverse)."""
    source = (Path(__file__).resolve().parents[2] / "notebooks" / "national.py").read_text()
    assert "hwb.commands" not in source
