"""Populations by year: hand-checked values from the shipped files."""

from __future__ import annotations

import pytest

from hwb.errors import DataError
from hwb.sources import population_by_year as pby


def test_rotherham_mid2017_published() -> None:
    """Rotherham E08000018, mid-2017 (ONS MYE2 row of the shipped file).

    Summing the file's row by hand: all ages 263,375; ages 18-90+ 206,428;
    ages 65-90+ 51,023.
    """
    p = pby.population("E08000018", 2017, "18+")
    assert (p.value, p.vintage, p.ages) == (206428, "ONS mid-2017 estimate", "18+")
    assert p.file.endswith("by_year/mye2_persons_sya_2011_2014_2018_england.csv.gz")
    assert pby.population("E08000018", 2017, "all").value == 263375
    assert pby.population("E08000018", 2017, "65+").value == 51023


def test_leicestershire_mid2011_summed_from_districts() -> None:
    """Leicestershire E10000018, mid-2011, summed from its seven districts (Nomis file).

    18+ by district: Blaby 74,079 + Charnwood 133,493 + Harborough 67,039
    + Hinckley and Bosworth 84,207 + Melton 40,083 + North West Leicestershire
    73,716 + Oadby and Wigston 44,664 = 517,281.
    """
    assert pby.population("E10000018", 2011, "18+").value == 517281


def test_city_of_london_mid2015_and_rotherham_mid2019() -> None:
    """City of London E09000001 mid-2015 65+ is 1,360 and 65-74 is 769 (MYE2 2015 row);
    Rotherham mid-2019 18+ is 207,889 (the project's mid-2019 file, as its SOURCE.md states).
    """
    assert pby.population("E09000001", 2015, "65+").value == 1360
    assert pby.population("E09000001", 2015, "65-74").value == 769
    p = pby.population("E08000018", 2019, "18+")
    assert (p.value, p.vintage) == (207889, "ONS mid-2019 estimate")
    assert p.file.endswith("mye2019_utla19_persons_single_year_of_age_EW.csv")


def test_interpolation_isles_of_scilly_by_hand() -> None:
    """Isles of Scilly E06000053, 65+.

    Shipped: mid-2011 all ages 2,224, 65+ 515; mid-2014 all ages 2,280, 65+ 569;
    MYEB3 all ages mid-2012 2,279, mid-2013 2,265.
    mid-2012: linear 65+ = 515 + (569 - 515)/3 = 533; linear all ages
    = 2224 + 56/3 = 2242.667; scaled 533 * 2279 / 2242.667 = 541.636.
    mid-2013: 515 + 2*54/3 = 551; 2224 + 2*56/3 = 2261.333; 551 * 2265 / 2261.333 = 551.893.
    """
    p12 = pby.population("E06000053", 2012, "65+")
    assert p12.value == pytest.approx(533 * 2279 / (2224 + 56 / 3))
    assert p12.value == pytest.approx(541.636, abs=1e-3)
    assert p12.vintage.startswith("interpolated mid-2012 (between mid-2011 and mid-2014")
    p13 = pby.population("E06000053", 2013, "65+")
    assert p13.value == pytest.approx(551.893, abs=1e-3)
    assert pby.population("E06000053", 2012, "all").value == pytest.approx(2279)


def test_interpolated_england_total_matches_myeb3() -> None:
    """England's all-ages sum over upper-tier areas equals MYEB3's English sums:
    53,493,729 (2012) and 53,865,817 (2013), as the shared SOURCE.md records."""
    assert pby.population_table(2012, "all")["value"].sum() == pytest.approx(53493729)
    assert pby.population_table(2013, "all")["value"].sum() == pytest.approx(53865817)


def test_dorset_boundaries() -> None:
    """Old Dorset, Bournemouth and Poole to mid-2018; BCP and the unitary Dorset on 2019 codes.

    Mid-2016 65+ (MYE2 2016 rows): Bournemouth 35,260 + Poole 33,469 + Christchurch 15,525
    = 84,254 for BCP; Dorset county 119,714 - Christchurch 15,525 = 104,189 for the new Dorset.
    The apportioned mid-2018 trio adds up to BCP plus the new Dorset (same persons).
    """
    bcp = pby.population("E06000058", 2016, "65+")
    assert bcp.value == 84254
    assert "April 2019 boundaries" in bcp.vintage
    assert pby.population("E06000059", 2016, "65+").value == 104189
    assert pby.population("E10000009", 2016, "65+").value == 119714
    t = pby.population_table(2018, "18+").set_index("area_code")["value"]
    new = pby.population_table(2018, "18+", boundaries="2019").set_index("area_code")["value"]
    assert "E06000058" not in t.index and "E10000009" not in new.index
    old = t[["E06000028", "E06000029", "E10000009"]].sum()
    assert old == pytest.approx(new[["E06000058", "E06000059"]].sum())
    assert "apportioned" in pby.population("E10000009", 2018).vintage
    assert pby.population("E06000058", 2018).vintage == "ONS mid-2018 estimate"
    assert pby.population("E06000028", 2014, "18+").value == 157194
    with pytest.raises(DataError, match="E06000058"):
        pby.population("E06000028", 2019)


def test_bcp_mid2012_scaled_to_myeb3() -> None:
    """On 2019 codes BCP has its own MYEB3 total: mid-2012 all ages 382,788."""
    assert pby.population("E06000058", 2012, "all").value == pytest.approx(382788)


def test_every_year_has_every_authority() -> None:
    """152 upper-tier authorities to mid-2018 on the year's boundaries, 151 on 2019 codes;
    England's all-ages sum is the same either way (mid-2018: 55,977,178)."""
    counts = {y: len(pby.population_table(y, "all")) for y in pby.YEARS}
    assert counts == {2011: 152, 2012: 152, 2013: 152, 2014: 152, 2015: 152, 2016: 152,
                      2017: 152, 2018: 152, 2019: 151}
    assert all(len(pby.population_table(y, "all", boundaries="2019")) == 151 for y in pby.YEARS)
    assert pby.population_table(2018, "all")["value"].sum() == pytest.approx(55977178)


def test_england() -> None:
    """England 18+ at mid-2017 is 43,752,473 (ONS published figure, as the data index records);
    all ages at mid-2012 is the MYEB3 English sum 53,493,729."""
    e = pby.population("E92000001", 2017, "18+")
    assert (e.value, e.area_name) == (43752473, "England")
    assert e.vintage == "ONS mid-2017 estimate, summed over upper-tier authorities"
    assert pby.population("E92000001", 2012, "all").value == pytest.approx(53493729)


@pytest.mark.parametrize("code, year, ages, msg", [
    ("E08000018", 2010, "18+", "mid-2011 to mid-2019"),
    ("E08000018", 2020, "18+", "mid-2011 to mid-2019"),
    ("E99999999", 2015, "18+", "not an upper-tier authority"),
    ("E08000018", 2015, "eighteen", "expected 'all'"),
    ("E08000018", 2015, "70-65", "low to high"),
    ("E10000009", 2019, "65+", "from April 2019 use E06000058"),
])
def test_bad_input_is_one_line(code: str, year: int, ages: str, msg: str) -> None:
    with pytest.raises(DataError, match=msg) as e:
        pby.population(code, year, ages)
    assert "\n" not in str(e.value)
