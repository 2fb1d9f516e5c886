"""The figure recorder and the generic comparisons, on hand-checked values."""

from __future__ import annotations

import pandas as pd
import pytest

from hwb.errors import DataError
from hwb.fmt import format_number, round_half_up
from hwb.toolkit import checks
from hwb.toolkit.figures import PRINTED_COLUMNS, Recorder, load_printed


def printed(**rows: str) -> pd.DataFrame:
    data = []
    for fid, value in rows.items():
        r = dict.fromkeys(PRINTED_COLUMNS, "")
        r.update(figure_id=fid, value=value, board="b", document="Pack", item="10", page="7")
        data.append(r)
    return pd.DataFrame(data)


def test_round_half_up_is_a_spreadsheets_rounding() -> None:
    # Python's round(0.125, 2) gives 0.12 (binary, half-even); a spreadsheet prints 0.13.
    assert round_half_up(0.125, 2) == 0.13
    assert round_half_up(2.5) == 3 and round_half_up(-2.5) == -3
    assert format_number(1103.75, 1) == "1,103.8"


def test_statuses_against_print() -> None:
    # Leicestershire, November 2017: 1,311 delayed days; 240.03 per 100,000 over 30 days = 8.001.
    rec = Recorder(
        printed(days="1,311", per_day="8.0", joint="1.00", verdict="equitable", unused="5"),
        publish=False,
    )
    assert rec.record("days", "delayed days", 1311, "days").status == "reproduced"
    assert rec.record("per_day", "per day", 240.03 / 30, "", 1).status == "reproduced"
    # 0.99 printed as 1.00 would be within one unit of the last place: rounding, not a difference.
    f = rec.record("joint", "joint", 0.99, "", 2)
    assert f.status == "rounding"
    assert rec.record("verdict", "verdict", "Equitable").status == "reproduced"
    table = rec.check_table().set_index("figure_id")
    assert table.loc["unused", "status"] == "not compared"
    assert table.loc["days", "citation"] == "Pack, item 10, page 7"
    assert rec.summary() == {"reproduced": 3, "rounding": 1, "differs": 0, "not compared": 1}


def test_differs_names_the_alternative_that_reproduces_print() -> None:
    # 1,311 days over a population of 564,295 gives 232.32 per 100,000, not the printed 240.03;
    # a population of 546,182 gives 240.03 (1311 / 546182 * 1e5 = 240.0262...).
    rec = Recorder(printed(rate="240.03"), publish=False)
    f = rec.record(
        "rate",
        "rate",
        1311 / 564295 * 1e5,
        "",
        2,
        alternatives={
            "mid-2019 18+": 1311 / 564295 * 1e5,
            "a population of 546,182": 1311 / 546182 * 1e5,
        },
    )
    assert f.status == "differs"
    assert "a population of 546,182" in f.reason


def test_a_figure_cannot_be_recorded_twice_and_say_refuses_bare_numbers() -> None:
    rec = Recorder(publish=False)
    rec.record("a", "a", 1)
    with pytest.raises(ValueError, match="recorded twice"):
        rec.record("a", "a", 2)
    with pytest.raises(TypeError, match="bare number"):
        rec.say("There were {n} people", n=5)
    assert rec.say("There were {a} people").data == "There were 1 people"


def test_printed_table_is_validated(tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "printed_figures.csv"
    df = printed(a="1", b="x2")
    df.to_csv(p, index=False)
    with pytest.raises(DataError, match=r"row 3, column 'value'.*number as printed"):
        load_printed(p)
    printed(a="1").drop(columns=["page"]).to_csv(p, index=False)
    with pytest.raises(DataError, match="missing column"):
        load_printed(p)


@pytest.mark.parametrize(
    ("total", "parts", "status"),
    [
        ("6.84", ["3.78", "1.33", "1.73"], "reproduced"),  # Leicestershire target split
        ("8.00", ["5.80", "1.20", "0.99"], "rounding"),  # 7.99 against 8.00
        ("100", ["60", "30"], "differs"),
    ],
)
def test_sum_of_parts(total: str, parts: list[str], status: str) -> None:
    assert checks.sum_of_parts(total, parts).status == status


def test_which_denominator_and_per_day() -> None:
    # Rotherham 2016/17 Q1: 1,390 days on 204,995 adults = 678.07 per 100,000, printed 678.1.
    assert checks.which_denominator(1390, "678.1", {"a": 204995, "b": 205748}, 100_000) == ["a"]
    assert checks.days_in_period("2016/17 Q3") == 92
    assert checks.per_day_vs_per_period("205.32", "6.84", "2017-11").status == "reproduced"


def test_small_counts_are_shown_as_c_but_still_compared() -> None:
    # 3 clients is below the default threshold of 5: shown [c]; 5 is shown.
    rec = Recorder(printed(small="3"), publish=False)
    f = rec.record("small", "clients from the three areas", 3, "clients", count=True)
    assert f.text == "[c]" and f.status == "reproduced"
    assert rec.record("five", "clients", 5, "clients", count=True).text == "5"
    assert rec.record("zero", "clients", 0, "clients", count=True).text == "0"
    assert rec.check_table().set_index("figure_id").loc["small", "computed"] == "[c]"
    assert Recorder(publish=False, threshold=10).record("n", "n", 7, count=True).text == "[c]"


def test_an_approximate_claim_is_compared_at_its_stated_precision() -> None:
    # "around 1050 beds", compared at tens: 1,052 rounds to 1,050; 1,059 is 1,050 truncated
    # (within one unit of tens); 1,075 is more than one unit (10) away.
    for value, status in ((1052, "reproduced"), (1059, "rounding"), (1075, "differs")):
        rec = Recorder(printed(beds="1050"), publish=False)
        assert rec.record("beds", "beds freed", value, "beds", decimals=-1).status == status


def test_an_exact_alternative_beats_rounding_and_counts_are_exact() -> None:
    # Printed 8.6%: the computed 8.53 is within one unit (rounding), but the threshold's lower
    # limit 8.61 reproduces it exactly, so the reason names it.
    rec = Recorder(printed(upper="8.6", services="5"), publish=False)
    f = rec.record("upper", "upper limit", 8.53, "percent", 1,
                   alternatives={"the threshold's lower limit": 8.61})
    assert f.status == "differs" and "threshold's lower limit" in f.reason
    # 4 services counted against 5 printed: a count one off is a difference, not rounding.
    assert rec.record("services", "services", 4, "services", count=True).status == "differs"
