"""Small-area data: checked against totals ONS and MHCLG publish."""

from __future__ import annotations

import pytest

from hwb.errors import DataError
from hwb.sources import smallarea


def test_sape2019_england_total_is_the_ons_figure():
    # ONS mid-2019 estimate for England: 56,286,961.
    s = smallarea.sape(2019)
    assert int(s[s.lsoa11_code.str.startswith("E")].total_population.sum()) == 56_286_961


def test_rotherham_lsoas_sum_to_the_la_estimates():
    # ONS MYE mid-2019, Rotherham E08000018: 265,411 persons, 207,889 aged 18+, 52,299 aged 65+.
    lsoas = smallarea.utla_lsoas("E08000018").lsoa11_code.tolist()
    assert smallarea.band_population(lsoas, "all ages", 2019) == 265_411
    assert smallarea.band_population(lsoas, "18+", 2019) == 207_889
    assert smallarea.band_population(lsoas, "65+", 2019) == 52_299


def test_imd_deciles_have_a_tenth_of_lsoas_each():
    # IoD: 32,844 LSOAs, each decile 3,284 or 3,285.
    for edition in (2015, 2019):
        counts = smallarea.imd(edition).imd_decile.value_counts()
        assert set(counts) <= {3284, 3285} and counts.sum() == 32_844


def test_mid2015_england_total_is_the_iod_denominator():
    # IoD2019 File 6: England mid-2015 population excluding prisoners, 54,728,204.
    assert int(smallarea.mid2015().total.sum()) == 54_728_204


def test_age_bands():
    assert smallarea.parse_age_band("16+") == (16, None)
    assert smallarea.age_columns("89+") == ["89", "90+"]
    assert len(smallarea.age_columns("0-17")) == 18
    with pytest.raises(DataError):
        smallarea.parse_age_band("adults")


def test_most_deprived_by_count_and_share():
    d = smallarea.most_deprived("E08000018", 2019, "count", 5)
    assert len(d) == 5 and d.imd_rank.is_monotonic_increasing
    s = smallarea.most_deprived("E08000018", 2019, "share", 0.1)
    # the smallest set holding at least a tenth of the population
    assert s.cumulative_share.iloc[-1] >= 0.1 > s.cumulative_share.iloc[-2]
    with pytest.raises(DataError):
        smallarea.most_deprived("E08000018", 2019, "share", 1.5)


def test_expected_share_is_population_ratio():
    # Hand check: one LSOA of Rotherham against all of Rotherham, all ages, mid-2019.
    lsoa = smallarea.utla_lsoas("E08000018").lsoa11_code.iloc[0]
    e = smallarea.expected_shares("E08000018", [lsoa], ["all ages"], 2019)
    x = smallarea.band_population([lsoa], "all ages", 2019)
    assert e.population_total.iloc[0] == 265_411
    assert e.value.iloc[0] == pytest.approx(100 * x / 265_411)
    assert e.lower95.iloc[0] < e.value.iloc[0] < e.upper95.iloc[0]
    with pytest.raises(DataError):
        smallarea.expected_shares("E08000018", ["E01000001"], ["all ages"], 2019)


def test_unknown_authority_is_a_one_line_error():
    with pytest.raises(DataError, match="upper-tier"):
        smallarea.utla_lsoas("E99999999")
