"""Tests for hwb.toolkit.disclosure.

Expected values come from the rules themselves applied by hand to small tables
(each test states the table and the reasoning), from the GOV.UK shorthand
definitions, and from hypothesis properties: after suppression, no row or
column of parts with its total has exactly one unknown cell.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from hwb.errors import DataError
from hwb.toolkit import disclosure as dc


def test_markers_are_the_gov_uk_shorthand():
    assert dc.CONFIDENTIAL == "[c]" and dc.NOT_AVAILABLE == "[x]" and dc.NOT_APPLICABLE == "[z]"
    assert dc.MARKERS["[c]"].startswith("confidential")
    assert dc.MARKERS["[x]"].startswith("not available")
    assert dc.MARKERS["[z]"].startswith("not applicable")


def test_shorthand_notes_quote_threshold_and_keep_order():
    notes = dc.shorthand_notes(["[z]", "[c]"], threshold=10)
    assert notes[0].startswith("[c] = confidential: counts from 1 to 9 are suppressed")
    assert notes[1].startswith("[z] = not applicable")
    with pytest.raises(DataError):
        dc.shorthand_notes(["[q]"])


def test_primary_mask_default_suppresses_1_to_4_not_zero():
    assert dc.primary_mask([0, 1, 2, 3, 4, 5, 6]).tolist() == [False] + [True] * 4 + [False] * 2
    assert dc.primary_mask([0, 4, 7], threshold=8, suppress_zero=True).tolist() == [True] * 3
    with pytest.raises(DataError, match="counts must be >= 0"):
        dc.primary_mask([3, -1])


def test_secondary_suppression_single_row():
    # Parts 2, 7, 9 with total 18: showing 7, 9 and 18 gives 2 = 18 − 7 − 9, so the
    # smallest other part (7) is suppressed as well.
    mask, tot = dc.suppress_series([2, 7, 9], total=18)
    assert mask.tolist() == [True, True, False] and tot is False


def test_secondary_suppression_prefers_non_zero_complement():
    # Parts 0, 3, 8, 20 with total 31: the 3 is primary; a suppressed 0 would still be
    # known to be 0 in many tables, so the complement is the 8.
    mask, _ = dc.suppress_series([0, 3, 8, 20], total=31)
    assert mask.tolist() == [False, True, True, False]


def test_no_total_means_no_secondary_suppression():
    mask, tot = dc.suppress_series([2, 7, 9])
    assert mask.tolist() == [True, False, False] and tot is False


def test_suppressed_total_forces_a_part():
    # A total of 4 is itself suppressed; parts 1 and 3 are also primary, nothing left to add.
    mask, tot = dc.suppress_series([1, 3], total=4)
    assert mask.tolist() == [True, True] and tot is True
    # Total 3 (primary) with parts 0 and 3... the 3 is primary too: two unknowns, fine.
    mask, tot = dc.suppress_series([0, 3], total=3)
    assert tot is True and mask.tolist() == [False, True]


def test_two_way_table_cascade():
    # Body (rows A, B; cols F, M) = [[3, 10], [20, 15]] with margins.
    # Row A: 3 primary → suppress 10.  Column F: 3 → suppress 20.  Column M: 10 → 15.
    # Row B then has 20 and 15 hidden (two unknowns): stable.
    t = pd.DataFrame({"F": [3, 20, 23], "M": [10, 15, 25], "Total": [13, 35, 48]},
                     index=["A", "B", "Total"])
    m = dc.suppress_table(t, row_total="Total", col_total="Total")
    assert m.loc["A"].tolist() == [True, True, False]
    assert m.loc["B"].tolist() == [True, True, False]
    assert not m.loc["Total"].any()


def test_missing_value_counts_as_an_unknown():
    # Parts 2, NaN, 9 with total 18: two unknowns already, no complement needed.
    mask, _ = dc.suppress_series([2, np.nan, 9], total=18)
    assert mask.tolist() == [True, False, False]


def _unknowns_ok(values, mask, constraints):
    unknown = np.asarray(mask) | np.isnan(values)
    for total, parts in constraints:
        cells = [total, *parts]
        if sum(unknown[i] for i in cells) == 1:
            return False
    return True


@settings(max_examples=200, deadline=None)
@given(hs.lists(hs.lists(hs.integers(0, 30), min_size=2, max_size=6), min_size=2, max_size=6)
       .filter(lambda rows: len({len(r) for r in rows}) == 1))
def test_no_suppressed_cell_derivable_from_a_margin(rows):
    body = pd.DataFrame(rows, columns=[f"c{i}" for i in range(len(rows[0]))])
    body["Total"] = body.sum(axis=1)
    body.loc["Total"] = body.sum(axis=0)
    m = dc.suppress_table(body, row_total="Total", col_total="Total")
    vals = body.to_numpy(float)
    nr, nc = vals.shape
    idx = np.arange(nr * nc).reshape(nr, nc)
    cons = [(idx[r, -1], list(idx[r, :-1])) for r in range(nr)]
    cons += [(idx[-1, c], list(idx[:-1, c])) for c in range(nc)]
    assert _unknowns_ok(vals.ravel(), m.to_numpy().ravel(), cons)
    # primary cells are always among the suppressed
    prim = (vals > 0) & (vals < 5)
    assert np.all(m.to_numpy()[prim])


def test_hide_dependent_and_dsr_mask():
    assert np.isnan(dc.hide_dependent([1.5, 2.5], [True, False])[0])
    assert dc.dsr_mask([0, 9, 10, 11]).tolist() == [True, True, False, False]


def test_display_frame_tidy_with_two_margins():
    # Tidy frame: area × sex with "Total" areas and "All" sexes.
    rows = []
    body = {("A", "F"): 3, ("A", "M"): 10, ("B", "F"): 20, ("B", "M"): 15}
    for (a, s), n in body.items():
        rows.append({"area": a, "sex": s, "n": n})
    for a in ("A", "B"):
        rows.append({"area": a, "sex": "All", "n": body[(a, "F")] + body[(a, "M")]})
    for s in ("F", "M"):
        rows.append({"area": "Total", "sex": s, "n": body[("A", s)] + body[("B", s)]})
    rows.append({"area": "Total", "sex": "All", "n": 48})
    df = pd.DataFrame(rows)
    df["pop"] = 1000
    df["rate"] = df.n / df["pop"] * 1000
    out = dc.display_frame(
        df, ["n"], rates={"rate": "n"},
        margins=[dc.Margin(("area",), "sex", "All"), dc.Margin(("sex",), "area", "Total")],
    )
    shown = dict(zip(zip(out.area, out.sex, strict=True), out.n, strict=True))
    # Same cascade as test_two_way_table_cascade.
    assert shown[("A", "F")] == "[c]" and shown[("A", "M")] == "[c]"
    assert shown[("B", "F")] == "[c]" and shown[("B", "M")] == "[c]"
    assert shown[("A", "All")] == "13" and shown[("Total", "All")] == "48"
    rate = dict(zip(zip(out.area, out.sex, strict=True), out.rate, strict=True))
    assert rate[("A", "F")] == "[c]" and rate[("Total", "All")] == "48.0"
    assert out.attrs["shorthand"] == ["[c]"]


def test_display_frame_dsr_and_markers():
    df = pd.DataFrame({"area": ["A", "B", "C"], "events": [4, 8, 1311],
                       "dsr": [12.3, 25.06, 678.0683], "note": ["", "", ""]})
    out = dc.display_frame(df, ["events"], dsrs={"dsr": "events"}, decimals={"dsr": 1})
    assert out.events.tolist() == ["[c]", "8", "1,311"]
    # A: events suppressed → [c]; B: 8 events, DSR not calculated → [x]; C: shown, half-up.
    assert out.dsr.tolist() == ["[c]", "[x]", "678.1"]
    assert out.attrs["shorthand"] == ["[c]", "[x]"]


def test_display_frame_not_applicable_and_errors():
    df = pd.DataFrame({"n": [7, -1]})
    with pytest.raises(DataError, match="row 1, column 'n'"):
        dc.display_frame(df, ["n"], source="data/x.csv")
    df = pd.DataFrame({"n": [7, 0], "pct": [50.0, -99.0]})
    out = dc.display_frame(df, ["n"], rates={"pct": "n"}, not_applicable={"pct": -99.0})
    assert out.pct.tolist() == ["50.0", "[z]"]
    with pytest.raises(DataError, match="must be listed in counts"):
        dc.display_frame(df, [], rates={"pct": "n"})


def test_display_rounds_half_up():
    # 2.25 rounds to 2.3 half-up (banker's rounding would give 2.2).
    out = dc.display_frame(pd.DataFrame({"n": [20], "r": [2.25]}), ["n"], rates={"r": "n"})
    assert out.r.iloc[0] == "2.3"


@pytest.mark.parametrize(
    "pct,text",
    [
        (66.7, "about two thirds (67%)"),
        (52, "just over half (52%)"),
        (96.4, "nearly all (96%)"),
        (47.6, "just under half (48%)"),
        (49.2, "about half (49%)"),
        (50.4, "about half (50%)"),
        (25, "about a quarter (25%)"),
        (33.3, "about a third (33%)"),
        (3, "very few (3%)"),
        (0, "none (0%)"),
        (0.4, "almost none (0%)"),
        (99.6, "almost all (100%)"),
        (100, "all (100%)"),
        (85, "more than four in five (85%)"),
        (44, "more than four in ten (44%)"),
    ],
)
def test_quantify(pct, text):
    assert dc.quantify(pct) == text


def test_quantify_rounds_the_figure_half_up_and_uses_decimals():
    assert dc.quantify(52.25, 1) == "just over half (52.3%)"
    assert dc.quantify_share(2, 3) == "about two thirds (67%)"
    with pytest.raises(DataError):
        dc.quantify(120)


@settings(max_examples=300, deadline=None)
@given(hs.floats(0, 100, allow_nan=False))
def test_quantify_words_never_contradict_the_figure(p):
    text = dc.quantify(p)
    shown = float(text.rsplit("(", 1)[1].rstrip("%)"))
    fractions = {"half": 50, "a quarter": 25, "a third": 100 / 3, "two thirds": 200 / 3,
                 "three quarters": 75, "one in ten": 10, "one in five": 20, "four in five": 80,
                 "nine in ten": 90, "one in twenty": 5, "three in ten": 30, "four in ten": 40,
                 "six in ten": 60, "seven in ten": 70}
    for label, v in sorted(fractions.items(), key=lambda kv: -len(kv[0])):
        if text.endswith(f" {label} ({text.rsplit('(', 1)[1]}"):
            if text.startswith("just over") or text.startswith("more than"):
                assert shown > v
            elif text.startswith("just under") or text.startswith("fewer than"):
                assert shown < v
            elif text.startswith("about"):
                assert abs(shown - v) <= 1
            break
    if text.startswith("nearly all"):
        assert 95 <= shown < 100
    if text.startswith("very few"):
        assert 0 < shown < 5


def test_display_frame_rate_hidden_when_denominator_suppressed():
    # 6 of 8 = 75%: the 8 (in a denominator column with threshold 10) is suppressed, and
    # 75% beside a shown 6 would give it back, so the percentage is hidden too.
    df = pd.DataFrame({"x": [6, 60], "n": [8, 80], "pct": [75.0, 75.0]})
    out = dc.display_frame(df, ["x", "n"], rates={"pct": ("x", "n")}, threshold=10)
    assert out.x.tolist() == ["[c]", "60"]  # 6 < 10 as well
    assert out.n.tolist() == ["[c]", "80"] and out.pct.tolist() == ["[c]", "75.0"]
    out = dc.display_frame(df, ["x", "n"], rates={"pct": ("x", "n")}, threshold=7)
    assert out.x.tolist() == ["[c]", "60"] and out.n.tolist() == ["8", "80"]
    assert out.pct.tolist() == ["[c]", "75.0"]
