"""A shire county's districts in the falls paper (issue 16, item 4), from the shipped files."""

from __future__ import annotations

import pytest

from hwb.papers.falls import FallsParams
from hwb.papers.falls.districts import county_districts, districts_of


def hampshire() -> object:
    return county_districts(FallsParams(area_code="E10000014", period="2012/13-2015/16"))


def test_a_district_rate_and_its_change_by_hand() -> None:
    """Basingstoke and Deane (E07000084), from the shipped PHOF file
    (``data/falls/phof_22401_...csv``): 1,927 per 100,000 in 2011/12 (line 452), 1,703 in
    2015/16 (line 1760), "Better" than England in 2015/16; change 1,703 - 1,927 = -224, or
    -224 / 1,927 = -11.62%.  England: 2,128 (line 337) and 2,169 (line 1645)."""
    c = hampshire()
    r = c.change.set_index("area_code").loc["E07000084"]
    assert (r["dsr_start"], r["dsr_end"], r["change"]) == (1927.0, 1703.0, -224.0)
    assert r["pct_change"] == pytest.approx(-224 / 1927 * 100)
    rates = c.rates.set_index(["area_code", "period"])
    assert rates.loc[("E07000084", "2015/16"), "compared"] == "better"
    assert (c.comparator["2011/12"], c.comparator["2015/16"]) == (2128.0, 2169.0)
    assert c.years == ["2011/12", "2012/13", "2013/14", "2014/15", "2015/16"]


def test_the_county_has_its_districts_and_no_rate() -> None:
    """Hampshire's 11 districts, E07000084 to E07000094 in the lookup, all in the file; the
    county itself (E10000014) is not."""
    c = hampshire()
    assert sorted(c.rates["area_code"].unique()) == [f"E070000{n}" for n in range(84, 95)]
    assert "E10000014" not in set(c.rates["area_code"]) and c.missing == []
    assert c.change["pct_change"].is_monotonic_increasing  # from the largest fall


def test_merged_districts_are_named_missing_and_predecessors_shown() -> None:
    """Suffolk: the lookup's mid-2018 rows already carry East and West Suffolk (E07000244,
    E07000245, April 2019); the falls file, on April 2018 boundaries, has their predecessors
    (Forest Heath, St Edmundsbury, Suffolk Coastal, Waveney) and Babergh, Ipswich and Mid
    Suffolk: 7 districts shown, 2 missing."""
    c = county_districts(FallsParams(area_code="E10000029", period="2012/13-2015/16"))
    assert c.missing == ["E07000244", "E07000245"]
    assert c.rates["area_code"].nunique() == 7
    codes, years = districts_of("E10000029")
    assert len(codes) == 9 and years == "2014-2018"


def test_not_a_county() -> None:
    assert county_districts(FallsParams(area_code="E06000014", period="2012/13-2015/16")) is None
