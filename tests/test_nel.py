"""Non-elective admissions (MAR) extract and its apportionment to boards (hwb.sources.nel)."""

from __future__ import annotations

import pandas as pd
import pytest

from hwb.errors import DataError
from hwb.sources import ccg_hwb, nel


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return nel.load()


def test_england_annual_totals_reproduce_the_checked_totals(table) -> None:
    """The totals checked against NHS England's annual MAR figures (data/nel/SOURCE.md):
    2015/16 5,885,604; 2016/17 6,022,019; 2017/18 6,243,151; 2018/19 6,597,740."""
    got = nel.england_annual(table)
    assert got["2015/16"] == 5_885_604
    assert got["2016/17"] == 6_022_019
    assert got["2017/18"] == 6_243_151
    assert got["2018/19"] == 6_597_740


def test_commissioners_sum_to_england_every_month(table) -> None:
    """Each workbook's commissioner rows (CCGs or PCTs, X24, YDD82) add up to its England row."""
    eng = table[table.org_code == nel.ENGLAND].set_index("month")["nel_ffces"]
    rest = table[table.org_code != nel.ENGLAND].groupby("month")["nel_ffces"].sum()
    assert len(eng) == 93
    assert (rest - eng).abs().max() == 0


def test_rotherham_2017_18_q2_by_hand(table) -> None:
    """Rotherham (E08000018), 2017/18 Q2, from the shipped CSV and mapping:

    CCG (July + August + September 2017) x % of the CCG in Rotherham
      02P Barnsley   2,831 + 2,555 + 2,588 =  7,974 x 3.4% =   271.116
      02Q Bassetlaw  1,014 + 1,030 + 1,020 =  3,064 x 1.0% =    30.640
      02X Doncaster  3,330 + 3,244 + 3,141 =  9,715 x 1.1% =   106.865
      03L Rotherham  2,839 + 2,672 + 2,513 =  8,024 x 97.9% = 7,855.496
      03N Sheffield  4,693 + 4,803 + 4,573 = 14,069 x 0.8% =   112.552
                                                      total  8,376.669
    The quarter's last month (September 2017) was first published on 9 November 2017.
    """
    q = nel.by_hwb("E08000018", table)
    row = q[q.quarter == "2017/18 Q2"].iloc[0]
    assert row["value"] == pytest.approx(8376.669, abs=1e-6)
    assert row["months"] == 3
    assert row["published"] == "2017-11-09"
    assert list(q.quarter) == sorted(q.quarter) and len(q) == 16


def test_boards_sum_to_england_less_direct_commissioning(table) -> None:
    """Over all 150 boards of the mapping (151 codes: the joint Bournemouth & Poole is split
    into its two councils), a quarter's apportioned total is England less X24, short only by the
    rounding of the one-decimal shares (under 0.01% of about 1.4 million a quarter)."""
    q = nel.by_hwb(None, table)
    assert q.hwb_code.nunique() == 151
    assert {"E06000028", "E06000029"} <= set(q.hwb_code)
    total = q.groupby("quarter")["value"].sum()
    eng = nel.england_quarters(table).set_index("quarter")["value"]
    x24 = table[table.org_code == nel.DIRECT].assign(
        quarter=lambda d: d.month.map(nel.periods.financial_quarter)).groupby("quarter")[
        "nel_ffces"].sum()
    gap = (eng - x24.reindex(eng.index) - total) / eng
    assert gap.abs().max() < 1e-4


def _toy():
    mapping = pd.DataFrame({
        "hwb_code": ["E06000038", "E06000041", "E06000041"],
        "hwb_name": ["Reading", "Wokingham", "Wokingham"],
        "ccg_code": ["10W", "11D", "10W"], "ccg_name": ["South Reading", "Wokingham", "SR"],
        "pct_ccg_in_hwb": [80.0, 100.0, 20.0], "pct_hwb_in_ccg": [100.0, 90.0, 10.0],
        "line": [1, 2, 3]})
    changes = pd.DataFrame({"org_code": ["15A", "15A"], "org_name": ["BW", "BW"],
                            "mapping_ccg": ["10W", "11D"], "mapping_name": ["SR", "W"],
                            "kind": ["successor", "successor"]})
    months = [f"2017-{m:02d}" for m in range(4, 13)] + ["2018-01", "2018-02", "2018-03"]
    rows = [{"month": m, "org_code": c, "org_name": c, "nel_ffces": n, "published": "2018-06-01"}
            for m in months for c, n in (("10W", 30), ("11D", 10))]
    rows += [{"month": m, "org_code": "15A", "org_name": "BW", "nel_ffces": 200,
              "published": "2018-08-09"} for m in ("2018-04", "2018-05", "2018-06")]
    return pd.DataFrame(rows), mapping, changes


def test_merged_ccg_is_split_by_its_predecessors_admissions() -> None:
    """South Reading (10W) had 12 x 30 = 360 and Wokingham (11D) 12 x 10 = 120 admissions in
    2017/18, so the merged CCG (15A) is split 3:1. In 2018/19 Q1 15A has 3 x 200 = 600:
    10W's part 450 goes 80% to Reading (360) and 20% to Wokingham (90); 11D's 150 all to
    Wokingham: Reading 360, Wokingham 240."""
    table, mapping, changes = _toy()
    shares = nel.change_shares(table, changes).set_index("mapping_ccg")["share"]
    assert shares.to_dict() == {"10W": 0.75, "11D": 0.25}
    q = nel.by_hwb(None, table, mapping, changes)
    got = q[q.quarter == "2018/19 Q1"].set_index("hwb_name")["value"].to_dict()
    assert got == pytest.approx({"Reading": 360.0, "Wokingham": 240.0})


def test_unknown_commissioner_is_one_line_error() -> None:
    table, mapping, changes = _toy()
    with pytest.raises(DataError, match="15A in 2018-04"):
        nel.ccg_months(table, mapping, changes.iloc[0:0])


def test_every_commissioner_from_2015_is_mapped(table) -> None:
    """From April 2015 no MAR commissioner is outside the mapping and the code changes."""
    m = nel.ccg_months(table, ccg_hwb.load_mapping(), nel.load_changes())
    assert set(m.ccg_code) <= set(ccg_hwb.load_mapping().ccg_code)


def test_workbook_date_lines() -> None:
    assert nel._date("13th June 2019") == "2019-06-13"
    assert nel._date("1st February 2018") == "2018-02-01"
