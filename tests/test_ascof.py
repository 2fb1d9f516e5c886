"""ASCOF 2A(2) and 2B(1), 2018/19 (hwb.sources.ascof)."""

from __future__ import annotations

import pytest

from hwb.errors import DataError
from hwb.sources import ascof


def test_england_values_are_the_published_figures() -> None:
    """NHS Digital's England figures for 2018/19: 2A(2) 577.6 per 100,000; 2B(1) 82.4%."""
    assert ascof.value(ascof.ENGLAND, "2A(2)") == 577.6
    assert ascof.value(ascof.ENGLAND, "2B(1)") == 82.4


def test_2b1_total_is_the_two_decimal_value_rounded() -> None:
    t = ascof.load()
    b = t[t.measure == "2B(1)"].pivot(index="area_code", columns="disaggregation", values="value")
    assert len(b) == 152 + 9 + 1
    assert ((b["Total"] - b["65 and over"]).abs() <= 0.05 + 1e-9).all()


def test_seed_boards_against_england_by_hand() -> None:
    """From the shipped CSV: Leicestershire 2A(2) 575.6 - 577.6 = -2.0 (lower: better);
    2B(1) 87.5 - 82.4 = +5.1 (higher: better). Rank 1 is the best council of 152."""
    c = ascof.compared("E10000018").set_index("measure")
    assert c.loc["2A(2)", "difference"] == pytest.approx(-2.0)
    assert c.loc["2B(1)", "difference"] == pytest.approx(5.1)
    assert set(c["better"]) == {"better"}
    assert c.loc["2A(2)", "of"] == 152
    t = ascof.load()
    res = t[(t.measure == "2A(2)") & (t.level == "Council")]
    assert c.loc["2A(2)", "rank"] == 1 + int((res.value < 575.6).sum())


def test_neighbours_median() -> None:
    """Rotherham's 2A(2) beside two named councils: Barnsley and Doncaster; median by hand."""
    t = ascof.load()
    v = {k: ascof.value(k, "2A(2)", t) for k in ("E08000016", "E08000017")}
    c = ascof.compared("E08000018", t, neighbours=list(v)).set_index("measure")
    assert c.loc["2A(2)", "neighbours_median"] == pytest.approx(sum(v.values()) / 2)
    assert c.loc["2A(2)", "neighbours_n"] == 2


def test_unknown_measure_and_area() -> None:
    with pytest.raises(DataError, match="unknown ASCOF measure"):
        ascof.value("E08000018", "2C(1)")
    assert ascof.value("E06000058", "2A(2)") is None  # BCP did not exist in 2018/19
