"""hwb.sources.dtoc: the NHS England delayed-days series, its aggregation and rates.

Expected values are figures printed in the board papers (cited by document,
item and page), the checks in ``data/dtoc/SOURCE.md``, or hand calculations
written out in the test.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hwb.errors import DataError
from hwb.sources import dtoc
from hwb.sources.population import population_table
from hwb.toolkit import checks

ROTHERHAM, LEICESTERSHIRE = "E08000018", "E10000018"


@pytest.fixture(scope="module")
def series() -> pd.DataFrame:
    return dtoc.load_series()


def test_rotherham_2016_17_quarters_are_the_bcf_template_numerators(series: pd.DataFrame) -> None:
    # Rotherham agenda pack, 20 September 2017, item 15, planning template tab 4.4 (page 220):
    # "Numerator (total) 1,390 1,376 1,558 2,271"
    rows = series[(series.area_code == ROTHERHAM) & series.month.between("2016-04", "2017-03")]
    q = dtoc.aggregate(rows, "quarter")
    assert q["period"].tolist() == ["2016/17 Q1", "2016/17 Q2", "2016/17 Q3", "2016/17 Q4"]
    assert q["total"].tolist() == [1390, 1376, 1558, 2271]


def test_rotherham_2016_17_rates_reproduce_the_printed_rates(series: pd.DataFrame) -> None:
    # tab 4.4: rates 678.1 671.2 760.0 1103.8 on denominators 204,995 x3 and 205,748
    rows = series[(series.area_code == ROTHERHAM) & series.month.between("2016-04", "2017-03")]
    q = dtoc.with_rates(dtoc.aggregate(rows, "quarter"),
                        pd.Series([204_995, 204_995, 204_995, 205_748]))
    for computed, printed in zip(q["rate_total"], ["678.1", "671.2", "760.0", "1103.8"],
                                 strict=True):
        assert checks.compare(computed, printed).status == checks.REPRODUCED


def test_leicestershire_november_2017(series: pd.DataFrame) -> None:
    # Leicestershire agenda pack, 25 January 2018, item 10, paragraph 21: "1,311 days delayed"
    row = series[(series.area_code == LEICESTERSHIRE) & (series.month == "2017-11")].iloc[0]
    assert row.total == 1311
    assert row.nhs + row.social_care + row.both == 1311


def test_leicestershire_per_day_rates_with_the_implied_population() -> None:
    # The paper's 240.03 per 100,000 for 1,311 days implies 1,311 x 100,000 / 240.03 = 546,182
    # aged 18+; with it, 951, 197 and 163 days over 30 days give the printed 5.80, 1.20, 0.99.
    implied = 1311 * 100_000 / 240.03
    for days, printed in [(951, "5.80"), (197, "1.20"), (163, "0.99"), (1311, "8.00")]:
        assert checks.reproduces(dtoc.per_day_rate(days, 30, implied), printed)


def test_leicestershire_with_the_ons_population_differs_and_the_check_says_why() -> None:
    # by hand: 1,311 / 30 / 564,295 x 100,000 = 7.744 (ONS mid-2019 18+ from data/population)
    ons = dtoc.per_day_rate(1311, 30, 564_295)
    assert round(ons, 3) == 7.744
    c = checks.compare(ons, "8.00", alternatives={
        "the implied population": dtoc.per_day_rate(1311, 30, 1311 * 100_000 / 240.03)})
    assert c.status == checks.DIFFERS and "the implied population" in c.reason


def test_england_2016_17_total(series: pd.DataFrame) -> None:
    # SOURCE.md: 2,254,821 delayed days in England in 2016/17 (NHS England: "about 2.25 million")
    rows = series[(series.area_code == dtoc.ENGLAND) & series.month.between("2016-04", "2017-03")]
    y = dtoc.aggregate(rows, "year")
    assert y["total"].tolist() == [2_254_821]
    assert y["days"].tolist() == [365]


def test_early_months_take_the_ons_code_of_their_name(series: pd.DataFrame) -> None:
    # April 2011 rows carry NHS England's 3-digit codes (Leicestershire "508", Rotherham "206")
    april = series[series.month == "2011-04"].set_index("area_name")["area_code"]
    assert april["Leicestershire"] == LEICESTERSHIRE
    assert april["Rotherham"] == ROTHERHAM
    assert april["England"] == dtoc.ENGLAND
    # Dorset changed code at the 2019 reorganisation; earlier rows keep the July 2015 code
    dorset = series[series.area_name == "Dorset"].groupby("area_code")["month"].agg(["min", "max"])
    assert dorset.loc["E10000009", "min"] == "2011-04"
    assert dorset.loc["E06000059", "min"] == "2019-05"


def test_every_month_has_england_and_the_local_authorities(series: pd.DataFrame) -> None:
    # SOURCE.md: 105 months; England plus 150 local authorities (149 from May 2019)
    counts = series.groupby("month").size()
    assert len(counts) == 105
    assert counts["2019-04"] == 151 and counts["2019-05"] == 150


def test_missing_values_stay_missing_and_incomplete_quarters_are_not_summed(
        series: pd.DataFrame) -> None:
    # Poole, April 2019 is "-" in every column (SOURCE.md)
    poole = series[(series.area_name == "Poole")]
    assert poole.loc[poole.month == "2019-04", "total"].isna().all()
    q = dtoc.aggregate(poole[poole.month.between("2019-01", "2019-04")], "quarter")
    q1 = q[q.period == "2019/20 Q1"].iloc[0]
    assert not q1.complete and pd.isna(q1.total) and q1.months == 1


def test_periods_by_hand() -> None:
    assert dtoc.days_in("2016/17 Q1") == 30 + 31 + 30
    assert dtoc.days_in("2016/17 Q4") == 31 + 28 + 31
    assert dtoc.days_in("2015/16 Q4") == 31 + 29 + 31
    assert dtoc.financial_quarter("2017-01") == "2016/17 Q4"
    assert dtoc.months_of("2017/18 Q1") == ["2017-04", "2017-05", "2017-06"]


def test_gap_of_around_ten_patients_by_hand(series: pd.DataFrame) -> None:
    # Rotherham BCF Plan, section 14 (page 169): "around 10 patients less delayed a day".
    # 2017/18 Q1: 2,707 days over 91 days = 29.75 a day; at 9.4 per 100,000 of 205,748 adults
    # 19.34 a day; the gap is 10.41.
    rows = series[(series.area_code == ROTHERHAM) & series.month.between("2017-04", "2017-06")]
    q = dtoc.aggregate(rows, "quarter").iloc[0]
    gap = dtoc.beds_per_day(q.total, q.days) - dtoc.patients_per_day_at(9.4, 205_748)
    assert q.total == 2707
    assert round(gap, 2) == 10.41
    assert checks.reproduces(gap, "10")


def test_national_table_for_one_month(series: pd.DataFrame) -> None:
    pops = population_table(18)
    t = dtoc.national_table(series, "2017-11", pops)
    assert len(t) == 151 and t.iloc[0].area_code == dtoc.ENGLAND
    by = t.set_index("area_code")
    # Hackney's row includes the City of London, so its denominator does too
    p = pops.set_index("area_code")["population"]
    assert by.loc["E09000012", "population"] == p["E09000012"] + p["E09000001"]
    assert by.loc["E06000052", "population"] == p["E06000052"] + p["E06000053"]
    # no mid-2019 population on the old boundaries: no rate, no rank
    assert pd.isna(by.loc["E06000028", "rate_total"]) and pd.isna(by.loc["E06000028", "rank"])
    # rank 1 is the highest rate per day
    top = by["rate_per_day_total"].drop(dtoc.ENGLAND).idxmax()
    assert by.loc[top, "rank"] == 1
    # the England row is NHS England's own total, which is more than the sum of the local
    # authorities (data/dtoc/SOURCE.md: 164 to 1,067 days a month); it is never less
    assert by.loc[dtoc.ENGLAND, "total"] > by.drop(dtoc.ENGLAND)["total"].sum()


# --- bad input -------------------------------------------------------------------------------

RESP_HEAD = '"Name","NHS","Social Care","Both","Period_year"\n'
REASON_HEAD = ('"Code","Name",' + ",".join(f'"{c}"' for c in dtoc.REASON_COLUMNS)
               + ',"Total Delayed Transfers of Care","Period"\n')


def _reason_row(code: str, name: str, total: str, period: str, other: str = '"0"') -> str:
    cells = ['"0"'] * (len(dtoc.REASON_COLUMNS) - 1) + [other]
    return f'"{code}","{name}",' + ",".join(cells) + f',"{total}","{period}"\n'


def _write(tmp_path: Path, resp: str, reason: str) -> tuple[Path, Path]:
    a, b = tmp_path / "resp.csv", tmp_path / "reason.csv"
    a.write_text(RESP_HEAD + resp, encoding="utf-8")
    b.write_text(REASON_HEAD + reason, encoding="utf-8")
    return a, b


def test_small_files_load_with_codes_and_na(tmp_path: Path) -> None:
    a, b = _write(
        tmp_path,
        '"Toyshire","5","3","2","June 2015"\n"Toyshire","1","1","1","July 2015"\n',
        _reason_row("999", "Toyshire", "10", "June 2015", other="NA")
        + _reason_row("E06000099", "Toyshire", "3", "July 2015"),
    )
    s = dtoc.load_series(a, b)
    assert s["area_code"].tolist() == ["E06000099", "E06000099"]
    assert s["total"].tolist() == [10, 3]


def test_files_that_do_not_line_up_are_refused(tmp_path: Path) -> None:
    a, b = _write(tmp_path, '"Toyshire","5","3","2","July 2015"\n',
                  _reason_row("E06000099", "Elsewhere", "10", "July 2015"))
    with pytest.raises(DataError) as e:
        dtoc.load_series(a, b)
    assert "row 2" in str(e.value) and "line up" in str(e.value)


def test_parts_that_do_not_add_up_are_refused(tmp_path: Path) -> None:
    a, b = _write(tmp_path, '"Toyshire","5","3","2","July 2015"\n',
                  _reason_row("E06000099", "Toyshire", "11", "July 2015"))
    with pytest.raises(DataError) as e:
        dtoc.load_series(a, b)
    assert "row 2" in str(e.value) and "= 10" in str(e.value) and "11" in str(e.value)


def test_a_name_without_an_ons_code_is_refused(tmp_path: Path) -> None:
    a, b = _write(tmp_path, '"Toyshire","5","3","2","June 2015"\n',
                  _reason_row("999", "Toyshire", "10", "June 2015"))
    with pytest.raises(DataError) as e:
        dtoc.load_series(a, b)
    assert "no ONS code" in str(e.value) and "Toyshire" in str(e.value)


def test_a_bad_month_is_refused(tmp_path: Path) -> None:
    a, b = _write(tmp_path, '"Toyshire","5","3","2","Juli 2015"\n',
                  _reason_row("E06000099", "Toyshire", "10", "Juli 2015"))
    with pytest.raises(DataError) as e:
        dtoc.load_series(a, b)
    assert "Period_year" in str(e.value) and "row 2" in str(e.value)


def test_calendar_year_of_quarters_follows_tab44() -> None:
    # tab 4.4 prints 204,995 (2016) for 2016/17 Q1-Q3 and 205,748 (2017) for Q4
    assert [dtoc.calendar_year_of(f"2016/17 Q{q}") for q in (1, 2, 3, 4)] == [2016] * 3 + [2017]
    assert dtoc.calendar_year_of("2017-09") == 2017


def test_printed_populations_are_the_tab44_denominators() -> None:
    # Rotherham agenda pack, 20 September 2017, item 15, tab 4.4 (page 220, line 16927)
    t = dtoc.printed_populations()
    rot = t[t.area_code == ROTHERHAM].set_index("calendar_year")["population_18plus"]
    assert rot.to_dict() == {2016: 204_995, 2017: 205_748, 2018: 206_394, 2019: 206_937}


def test_implied_denominator_by_hand() -> None:
    # 1,311 x 100,000 / 240.035 = 546,170.4 and 1,311 x 100,000 / 240.025 = 546,193.1
    lo, hi = dtoc.implied_denominator(1311, "240.03")
    assert (round(lo, 1), round(hi, 1)) == (546_170.4, 546_193.1)


# --- national figures of a sample of boards, by hand from the shipped files --------------------


def _shipped_18plus(code: str, year: int) -> int:
    """Persons aged 18 to 90+ in one row of the shipped MYE2 file, summed with the csv module
    (not the library): data/population/by_year/mye2_persons_sya_2011_2014_2018_england.csv.gz,
    columns 18 ... 90 (90 is 90 and over)."""
    import csv
    import gzip

    from hwb.sources.data import project_root

    path = project_root() / "data/population/by_year/mye2_persons_sya_2011_2014_2018_england.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["code"] == code and int(row["year"]) == year:
                return sum(int(row[str(a)]) for a in range(18, 91))
    raise AssertionError(f"{code} {year} not in the shipped file")


@pytest.mark.parametrize(("code", "month", "parts", "days", "year", "with_code"), [
    # Dorset county (old boundaries), November 2017: file row "Dorset","1196","469","120"
    ("E10000009", "2017-11", (1196, 469, 120), 30, 2017, None),
    # Hackney with the City of London, November 2017: "Hackney","331","202","7"
    ("E09000012", "2017-11", (331, 202, 7), 30, 2017, "E09000001"),
    # Hartlepool, April 2011 (the first month): "Hartlepool","97","0","0"
    ("E06000001", "2011-04", (97, 0, 0), 30, 2011, None),
])
def test_national_rates_of_sample_boards_by_hand(code: str, month: str, parts: tuple,
                                                 days: int, year: int,
                                                 with_code: str | None) -> None:
    """A national run's rate for a board, by hand from the shipped files.

    Delayed days: NHS + social care + both from the board's row of
    ``data/dtoc/dtoc_delayed_days_by_responsible_org_2011-04_to_2019-12.csv`` (quoted in the
    parameters).  Denominator (``population_basis: ons_by_year``): the ONS mid-year estimate
    of the month's own calendar year, persons 18+, summed over single years 18..90+ of the
    shipped MYE2 file (:func:`_shipped_18plus`), plus the City of London's for Hackney (the
    series counts it with Hackney).  Rate per day = days / days in month / 18+ x 100,000.
    """
    total = sum(parts)
    pop = _shipped_18plus(code, year) + (_shipped_18plus(with_code, year) if with_code else 0)
    hand = total / days / pop * 100_000
    values, used, source = dtoc.by_year_denominators(code, [month])
    assert values[month] == pop and used[month] == f"mid-{year}"
    assert f"mid-{year} ({pop:,})" in source
    t = dtoc.national_table(dtoc.load_series(), month, dtoc.populations_of_year(year))
    row = t.set_index("area_code").loc[code]
    assert int(row["total"]) == total and int(row["population"]) == pop
    assert row["rate_per_day_total"] == pytest.approx(hand, rel=1e-12)
