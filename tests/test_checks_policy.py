"""The comparison policy (docs/comparison-policy.md), on cases worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from hwb.toolkit import checks
from hwb.toolkit.figures import PRINTED_COLUMNS, Recorder


def _printed(**rows: str) -> pd.DataFrame:
    data = []
    for fid, value in rows.items():
        r = dict.fromkeys(PRINTED_COLUMNS, "")
        r.update(figure_id=fid, value=value, board="b", document="Pack", item="1", page="2")
        data.append(r)
    return pd.DataFrame(data)


# --- 1. the unrounded recomputation ----------------------------------------------------------


def test_printed_twice_never_re_rounds_a_print() -> None:
    """1,166.475 rounds half-up to 1,166.5 (one decimal) and to 1,166 (none).

    The old check re-rounded the finer print 1166.5 to 1,167 and called 1,166 "truncated".
    By hand: 1166.5 stands for [1,166.45, 1,166.55), 1,166 for [1,165.5, 1,166.5); they overlap
    on [1,166.45, 1,166.5), so one value prints both ways.
    """
    c = checks.printed_twice("1166.5", "1,166")
    assert c.status == checks.REPRODUCED
    assert "truncated" not in c.reason
    assert checks.printed_twice("1,166", "1166.5").status == checks.REPRODUCED
    c = checks.printed_twice("1166.5", "1,166", computed=1166.475)
    assert c.status == checks.REPRODUCED and "1,166.475" in c.reason
    # and the unrounded value reproduces the whole-number print directly
    assert checks.compare(1166.475, "1,166").status == checks.REPRODUCED


def test_printed_twice_with_computed_reports_the_print_it_does_not_reproduce() -> None:
    """1,166.52 rounds to 1,166.5 but to 1,167, not 1,166: within one unit of 1,166."""
    c = checks.printed_twice("1166.5", "1,166", computed=1166.52)
    assert c.status == checks.ROUNDING and c.reason.startswith("printed as 1166.5 and as 1,166")


def test_printed_twice_gaps() -> None:
    """1166.4 stands for [1,166.35, 1,166.45), 1,167 for [1,166.5, 1,167.5): a gap of 0.05,
    within one unit (1) of the coarser place, so rounding; 9.4 and 9.8 (one decimal each) are
    0.3 apart after their half-units, more than one unit (0.1): differs."""
    assert checks.printed_twice("1166.4", "1,167").status == checks.ROUNDING
    assert checks.printed_twice("9.4", "9.8").status == checks.DIFFERS
    assert checks.printed_twice("9.4", "9.40").status == checks.REPRODUCED
    # 9.45 stands for [9.445, 9.455) and 9.4 for [9.35, 9.45): they overlap on [9.445, 9.45).
    assert checks.printed_twice("9.4", "9.45").status == checks.REPRODUCED


def test_rounding_half_up_at_the_half_way_point() -> None:
    """1,166.5 rounds half-up to 1,167; 1,166.4999 to 1,166."""
    assert checks.compare(1166.5, "1,167").status == checks.REPRODUCED
    assert checks.compare(1166.4999, "1,166").status == checks.REPRODUCED
    assert checks.compare(1166.5, "1,166").status == checks.ROUNDING


# --- 2. approximate words --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "printed", "computed", "holds"),
    [
        # "around 10" for 10.41: rounds to 10 (and 4.1% from it)
        ("around", "10", 10.41, True),
        # "around 1050" for 1,059: 9/1050 = 0.86% <= 5%
        ("around", "1050", 1059, True),
        ("around", "1,050", 1052, True),
        # 1,075 is 25/1050 = 2.4%: still within 5%
        ("around", "1,050", 1075, True),
        # 1,110 is 60/1050 = 5.7%: outside
        ("around", "1,050", 1110, False),
        # "about 20" for 22: 10% from 20, does not round to 20
        ("about", "20", 22.0, False),
        # "approximately 3.5" for 3.54: rounds to 3.5
        ("approximately", "3.5", 3.54, True),
        ("c.", "£3.6", 3.62, True),
        ("close to", "100", 95.0, True),  # exactly 5%
        ("close to", "100", 94.9, False),  # 5.1%
        # "over"/"more than": strictly above, no tolerance
        ("over", "1,000", 1000.4, True),
        ("over", "1,000", 1000.0, False),
        ("more than", "3.5", 3.4, False),
        ("just over", "1,000", 1030, True),
        ("just over", "1,000", 1100, False),  # 10% above: not "just"
        # "almost"/"nearly": below and within 5%
        ("almost", "10", 9.7, True),
        ("nearly", "10", 10.2, False),
        ("nearly", "200", 180, False),  # 10% below
        ("under", "5", 4.99, True),
        ("under", "5", 5.0, False),
    ],
)
def test_one_rule_for_approximate_words(word: str, printed: str, computed: float,
                                        holds: bool) -> None:
    c = checks.approximate(word, printed, computed)
    assert (c.status == checks.REPRODUCED) is holds, c.reason


def test_around_10_and_around_1050_are_decided_by_the_same_rule() -> None:
    """The issue's pair: before, one was 'reproduced' and the other 'differs'."""
    a = checks.approximate("around", "10", 10.41)
    b = checks.approximate("around", "1050", 1059)
    assert a.status == b.status == checks.REPRODUCED
    assert b.reason == "around 1050: computed 1,059 is within 5% of 1050 (+0.86%)"


def test_a_tolerance_verdict_names_the_tolerance_as_the_projects_choice() -> None:
    c = checks.approximate("about", "20", 22.0)
    assert c.status == checks.DIFFERS
    assert "the project's 5% tolerance" in c.reason and c.project_choice
    # a strict word never rests on the tolerance
    assert checks.approximate("over", "1,000", 999).project_choice == ""


def test_unknown_approximate_word_is_refused() -> None:
    with pytest.raises(ValueError, match="not an approximate word"):
        checks.approximate("roughly speaking", "10", 10)


def test_the_recorder_uses_the_one_rule() -> None:
    rec = Recorder(_printed(beds="1050", patients="10"), publish=False)
    assert rec.record("beds", "beds freed", 1059, "beds", approx="around").status == "reproduced"
    assert rec.record("patients", "patients", 10.41, approx="around").status == "reproduced"


# --- 3. the project's own choice -------------------------------------------------------------


def test_a_difference_from_the_projects_denominator_says_so() -> None:
    """9.4 printed; 9.61 computed on mid-2019 adults: not reproduced, and the reason must say
    the difference rests on the project's denominator, not that the paper is wrong."""
    c = checks.compare(9.61, "9.4", choice="mid-2019 adults for a 2017 rate")
    assert c.status == checks.DIFFERS
    assert c.project_choice == "mid-2019 adults for a 2017 rate"
    assert "not evidence that the printed figure is wrong" in c.reason
    # a reproduced figure carries no such caveat
    assert checks.compare(9.41, "9.4", choice="x").project_choice == ""
    rec = Recorder(_printed(rate="9.4"), publish=False)
    f = rec.record("rate", "rate", 9.61, "per 100,000", 1, choice="mid-2019 adults")
    assert f.status == "differs" and "project's own choice of mid-2019 adults" in f.reason


def test_the_approximate_word_is_found_in_the_printed_phrase() -> None:
    assert checks.approximate_word_in("gap in delays ('around 10 patients less delayed')") == \
        "around"
    assert checks.approximate_word_in("nearly 200 falls") == "nearly"
    assert checks.approximate_word_in("just over 1,000") == "just over"
    assert checks.approximate_word_in("moreover, the overall rate") == ""
