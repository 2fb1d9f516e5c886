"""hwb.sources.population: local-authority populations by age from the ONS mid-year estimates.

Expected values come from ``data/population/SOURCE.md`` (checked when the files
were prepared against ONS's published totals) or are worked by hand from a
small file written in the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hwb.errors import DataError
from hwb.sources import population as pop


def test_rotherham_and_leicestershire_18_plus_match_the_source_note() -> None:
    # SOURCE.md: Rotherham 207,889 aged 18+; Leicestershire 564,295 aged 18+ and 144,892 aged 65+
    assert pop.population("E08000018", 18).value == 207_889
    assert pop.population("E10000018", 18).value == 564_295
    assert pop.population("E10000018", 65).value == 144_892


def test_england_total_is_the_ons_published_figure() -> None:
    # ONS mid-2019 estimate for England: 56,286,961
    for level in ("utla", "ltla"):
        t = pop.population_table(0, None, level)
        assert int(t.loc[t.area_code.str.startswith("E"), "population"].sum()) == 56_286_961


def test_a_population_cites_its_file_and_age_range() -> None:
    p = pop.population("E08000018", 18)
    assert p.area_name == "Rotherham"
    assert p.ages == "18+"
    assert p.year == 2019
    assert p.file == "data/population/mye2019_utla19_persons_single_year_of_age_EW.csv"
    assert "mid-2019" in p.citation and p.file in p.citation


def test_unknown_area_names_the_file() -> None:
    with pytest.raises(DataError) as e:
        pop.population("E99999999", 18)
    assert "mye2019_utla19" in str(e.value) and "E99999999" in str(e.value)


@pytest.mark.parametrize("ages", [(-1, None), (65, 18), (18, 95), (91, None)])
def test_impossible_age_ranges_are_refused(ages: tuple[int, int | None]) -> None:
    with pytest.raises(ValueError):
        pop.population("E08000018", *ages)


def _toy_file(tmp_path: Path, bump_total: int = 0) -> Path:
    ages = [str(a) for a in range(90)] + ["90+"]
    values = [1] * 18 + [10] * 47 + [100] * 25 + [1000]  # 0-17: 1 each; 18-64: 10; 65-89: 100
    total = sum(values) + bump_total
    head = "utla19_code,utla19_name,total_population," + ",".join(ages)
    row = f"E06000099,Toyshire,{total}," + ",".join(map(str, values))
    f = tmp_path / "toy.csv"
    f.write_text(head + "\n" + row + "\n", encoding="utf-8")
    return f


def test_age_ranges_sum_single_years_by_hand(tmp_path: Path) -> None:
    f = _toy_file(tmp_path)
    # by hand: 18-64 is 47 years of 10 = 470; 65+ is 25 x 100 + 1,000 = 3,500; 18+ = 3,970
    assert pop.population("E06000099", 18, 64, path=f).value == 470
    assert pop.population("E06000099", 65, path=f).value == 3_500
    assert pop.population("E06000099", 18, path=f).value == 3_970
    assert pop.population("E06000099", 0, 17, path=f).value == 18


def test_a_file_whose_ages_do_not_add_up_is_refused_naming_the_row(tmp_path: Path) -> None:
    f = _toy_file(tmp_path, bump_total=5)
    with pytest.raises(DataError) as e:
        pop.population_table(18, path=f)
    assert "row 2" in str(e.value) and "total_population" in str(e.value)


def test_age_label() -> None:
    assert pop.age_label(18, None) == "18+"
    assert pop.age_label(65, 74) == "65-74"
    assert pop.age_label(0, None) == "all ages"
