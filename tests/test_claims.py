"""Claims as data: each claim type on hand-made cases (holds, does not hold, cannot be tested),
loading with one-line errors, the dispatcher, the display table and the runner's harvest."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from hwb.errors import DataError
from hwb.protocol import CLAIMS_MIME
from hwb.toolkit import claims
from hwb.toolkit.claims import CANNOT_TEST, DOES_NOT_HOLD, HOLDS

MONTHS = [f"2017-{m:02d}" for m in range(1, 7)]


def row(ctype: str, expected: str, **kw: str) -> dict[str, str]:
    r = dict.fromkeys(claims.CLAIM_COLUMNS, "")
    r.update(claim_id=kw.pop("claim_id", "c1"), claim_type=ctype, expected=expected,
             statement=kw.pop("statement", "as printed"), subject=kw.pop("subject", "s"),
             document="Pack", item="10", page="7", line="123")
    r.update(kw)
    return r


def check(ctype: str, expected: str, evidence: object) -> claims.ClaimResult:
    return claims.check_claim(row(ctype, expected), evidence)


# --- trend -----------------------------------------------------------------------------------


def test_trend_direction() -> None:
    """Values 10, 12, 11, 14, 15, 17: pairwise slopes have median 1.33 (by hand: 15 slopes,
    the 8th smallest is 4/3), so rising; the change over the span, 1.33 x 5 = 6.7, is 49% of the
    median level 13.5, not flat."""
    s = pd.Series([10.0, 12, 11, 14, 15, 17], index=MONTHS)
    r = check("trend", "direction=up", s)
    assert r.status == HOLDS and "+1.33" in r.reason and "2017-01 to 2017-06" in r.reason
    assert check("trend", "direction=down", s).status == DOES_NOT_HOLD
    assert check("trend", "direction=flat", s).status == DOES_NOT_HOLD
    # a window: 2017-01 to 2017-03 is 10, 12, 11: slopes 2, 0.5, -1 -> median 0.5, change 1.0
    # is 9% of the median 11: up
    assert check("trend", "direction=up; to=2017-03", s).status == HOLDS


def test_trend_flat_and_too_short() -> None:
    """100, 101, 99, 100: slopes 1, -0.5, 0, -2, -0.5, 1 -> median -0.25; change -0.75 is
    0.75% of 100: flat."""
    s = pd.Series([100.0, 101, 99, 100], index=MONTHS[:4])
    assert check("trend", "direction=flat", s).status == HOLDS
    assert check("trend", "direction=up", s).status == DOES_NOT_HOLD
    r = check("trend", "direction=up", s.iloc[:2])
    assert r.status == CANNOT_TEST and "too few points" in r.reason
    assert check("trend", "direction=sideways", s).status == CANNOT_TEST


def test_trend_significant_by_mann_kendall() -> None:
    """Five strictly falling values: S = -10, var = 16.67, Z = -9/4.08 = -2.20, p = 0.027 < 0.05:
    significant. Four values 4, 3, 2, 1: S = -6, var = 4*3*13/18 = 8.67, Z = -5/2.94 = -1.70,
    p = 0.089: not significant although falling."""
    five = pd.Series([9.0, 8, 7, 6, 5], index=MONTHS[:5])
    r = check("trend", "direction=down; significant=yes", five)
    assert r.status == HOLDS and "p = 0.027" in r.reason and "Mann-Kendall S = -10" in r.reason
    four = pd.Series([4.0, 3, 2, 1], index=MONTHS[:4])
    r = check("trend", "direction=down; significant=yes", four)
    assert r.status == DOES_NOT_HOLD and "p = 0.089" in r.reason and "not significant" in r.reason
    assert check("trend", "direction=down", four).status == HOLDS


def test_mann_kendall_ties() -> None:
    """1, 1, 2: S = 0 + 1 + 1 = 2; n(n-1)(2n+5) = 3*2*11 = 66; one tie group of two gives
    t(t-1)(2t+5) = 2*1*9 = 18; var = (66 - 18)/18 = 2.67; Z = (2 - 1)/1.633 = 0.612;
    p = erfc(0.612 / 1.414) = 0.540."""
    s, z, p = claims.mann_kendall([1, 1, 2])
    assert s == 2 and z == pytest.approx(1 / (48 / 18) ** 0.5)
    assert p == pytest.approx(0.5403, abs=1e-3)


# --- extreme ---------------------------------------------------------------------------------


def test_extreme() -> None:
    s = pd.Series([5.0, 9, 7, 9], index=MONTHS[:4])
    r = check("extreme", "extreme=highest; at=2017-02", s)
    assert r.status == HOLDS and "tied with 2017-04" in r.reason
    r = check("extreme", "extreme=peak; at=2017-03", s)
    assert r.status == DOES_NOT_HOLD and "is 9 in 2017-02, 2017-04; 2017-03 has 7" in r.reason
    assert check("extreme", "extreme=lowest; at=2017-01", s).status == HOLDS
    # over a window that leaves out the first month, 2017-03 is the lowest
    assert check("extreme", "extreme=lowest; at=2017-03; from=2017-02", s).status == HOLDS
    r = check("extreme", "extreme=highest; at=2016-12", s)
    assert r.status == CANNOT_TEST and "not in the series" in r.reason


# --- span ------------------------------------------------------------------------------------


def test_span() -> None:
    assert check("span", "months=6; to=2017-06", MONTHS).status == HOLDS
    r = check("span", "months=12", MONTHS)
    assert r.status == DOES_NOT_HOLD and "6 consecutive months" in r.reason and "not 12" in r.reason
    r = check("span", "months=5", [*MONTHS[:2], *MONTHS[3:]])
    assert r.status == DOES_NOT_HOLD and "with gaps" in r.reason
    years = ["2011/12", "2012/13", "2013/14", "2014/15", "2015/16"]
    assert check("span", "years=5; to=2015/16", years).status == HOLDS
    assert check("span", "years=5", MONTHS[:5]).status == DOES_NOT_HOLD
    # a DataFrame with a period column
    df = pd.DataFrame({"period": years, "value": range(5)})
    assert check("span", "years=5", df).status == HOLDS
    assert check("span", "months=3", "not periods").status == CANNOT_TEST


# --- comparison ------------------------------------------------------------------------------


def test_comparison() -> None:
    ev = {"value": 3.27, "benchmark": 3.5}
    assert check("comparison", "relation=lower; benchmark=England", ev).status == HOLDS
    r = check("comparison", "relation=higher; benchmark=England", ev)
    assert r.status == DOES_NOT_HOLD and r.reason == "3.27 is lower than England (3.50)"
    # in line without an interval: the approximate rule (3.40 against 3.5 is 2.9% off)
    assert check("comparison", "relation=in line; benchmark=E", {"value": 3.4, "benchmark": 3.5}
                 ).status == HOLDS
    # significant: the interval's limit must clear the benchmark
    sig = {"value": 3.9, "benchmark": 3.5, "lower": 3.4, "upper": 4.4}
    r = check("comparison", "relation=higher; benchmark=E; significant=yes", sig)
    assert r.status == DOES_NOT_HOLD and "lower limit 3.40 is not above E (3.50)" in r.reason
    assert check("comparison", "relation=in line; benchmark=E", sig).status == HOLDS
    r = check("comparison", "relation=higher; benchmark=E; significant=yes",
              {"value": 3.9, "benchmark": 3.5})
    assert r.status == CANNOT_TEST
    assert check("comparison", "relation=lower; benchmark=E", {"value": None, "benchmark": 3}
                 ).status == CANNOT_TEST


# --- definition ------------------------------------------------------------------------------


def test_definition() -> None:
    r = check("definition", "of=transfers", {"of": "occupied bed days"})
    assert r.status == DOES_NOT_HOLD and "'occupied bed days'" in r.reason
    assert check("definition", "age=65+; is=average", {"age": "65+", "is": "Average"}
                 ).status == HOLDS
    assert check("definition", "age=65+", {"of": "x"}).status == CANNOT_TEST
    # candidates: 1,390 delayed days on 204,995 adults is 678.1 per 100,000 (by hand:
    # 1390 / 204995 x 100000 = 678.07); on 260,000 it would be 534.6
    ev = {"numerator": 1390, "printed": "678.1", "multiplier": 100_000,
          "candidates": {"mid-2016 adults": 204_995, "mid-2019 adults": 260_000}}
    assert check("definition", "of=mid-2016 adults", ev).status == HOLDS
    r = check("definition", "of=mid-2019 adults", ev)
    assert r.status == DOES_NOT_HOLD and "mid-2016 adults (204,995)" in r.reason
    assert check("definition", "of=all ages", ev).status == CANNOT_TEST


# --- count -----------------------------------------------------------------------------------


def test_count() -> None:
    assert check("count", "count=3", ["A", "B", "C"]).status == HOLDS
    r = check("count", "count=17", 16)
    assert r.status == DOES_NOT_HOLD and r.reason == "16 counted, not 17"
    assert check("count", "count=2; relation=ge", ["A", "B", "C"]).status == HOLDS
    # a boolean Series counts its True entries and names them
    flags = pd.Series([True, False, True], index=["A", "B", "C"])
    r = check("count", "count=2", flags)
    assert r.status == HOLDS and "(A, C)" in r.reason
    assert check("count", "count=2", {"a": 1}).status == CANNOT_TEST


# --- date_sequence ---------------------------------------------------------------------------


def test_date_sequence() -> None:
    assert check("date_sequence", "date=2017-09-20", "2017-09-20").status == HOLDS
    r = check("date_sequence", "before=2017-09-20", "2017-11-09")
    assert r.status == DOES_NOT_HOLD and r.reason == "2017-11-09 is after 2017-09-20"
    assert check("date_sequence", "after=2017-09-20", {"date": "2017-11-09"}).status == HOLDS
    ev = {"submitted": "2017-09-11", "meeting": "2017-09-20", "published": "2017-11-09"}
    assert check("date_sequence", "order=submitted<meeting", ev).status == HOLDS
    r = check("date_sequence", "order=published<meeting", ev)
    assert r.status == DOES_NOT_HOLD and "published (2017-11-09) is not before" in r.reason
    assert check("date_sequence", "order=a<meeting", ev).status == CANNOT_TEST


# --- disclosure ------------------------------------------------------------------------------


def test_disclosure() -> None:
    assert check("disclosure", "threshold=5", ["12", "[c]", "0", "5"]).status == HOLDS
    r = check("disclosure", "threshold=10", pd.DataFrame({"a": ["12", "7"], "b": ["[c]", "3"]}))
    assert r.status == DOES_NOT_HOLD and r.reason == \
        "2 of 4 shown cells is a count from 1 to 9 (7, 3)"
    assert check("disclosure", "", ["1"]).status == CANNOT_TEST


# --- consistency -----------------------------------------------------------------------------


def test_consistency() -> None:
    assert check("consistency", "with=tab 4.4", {"this": "1166.5", "other": "1,166"}
                 ).status == HOLDS
    assert check("consistency", "with=tab 4.4", {"this": "9.4", "other": "9.8"}
                 ).status == DOES_NOT_HOLD
    r = check("consistency", "with=the footnote; as=text",
              {"this": "aged 18+", "other": "aged 65+"})
    assert r.status == DOES_NOT_HOLD and "'aged 18+' against 'aged 65+'" in r.reason
    assert check("consistency", "with=x", {"this": "A  b", "other": "a b"}).status == HOLDS
    assert check("consistency", "with=x", {"this": "1", "other": None}).status == CANNOT_TEST


def test_consistency_sum_of_parts_holds() -> None:
    """Exact: 3.78 + 1.33 + 1.73 = 6.84. Within rounding: 2.6 + 5.5 + 1.2 = 9.3 against 9.4;
    each one-decimal part may be off by 0.05 and the total by 0.05, so the sum may be off by
    0.2 (by hand: 3 x 0.05 + 0.05), and 0.1 is inside it."""
    r = check("consistency", "with=its split; as=sum",
              {"total": "6.84", "parts": ["3.78", "1.33", "1.73"]})
    assert r.status == HOLDS and "parts sum to 6.84, the printed total" in r.reason
    assert r.evidence == "3.78 + 1.33 + 1.73 against 6.84"
    r = check("consistency", "with=its split; as=sum",
              {"total": "9.4", "parts": ["2.6", "5.5", "1.2"]})
    assert r.status == HOLDS and "within the rounding of the parts" in r.reason
    # thousands separators and pounds as printed: £1,200 + £800 = £2,000
    assert check("consistency", "with=x; as=sum",
                 {"total": "£2,000", "parts": ["£1,200", "800"]}).status == HOLDS


def test_consistency_sum_of_parts_does_not_hold() -> None:
    """60 + 30 = 90 against 100: whole-number parts allow 0.5 + 0.5 + 0.5 = 1.5, and 10 is
    beyond it. 2.6 + 5.5 + 1.0 = 9.1 against 9.4: 0.3 is beyond the 0.2 rounding allows."""
    r = check("consistency", "with=the table's rows; as=sum",
              {"total": "100", "parts": ["60", "30"]})
    assert r.status == DOES_NOT_HOLD
    assert r.reason.startswith("against the table's rows: parts sum to 90 against the printed "
                               "total 100")
    assert check("consistency", "with=x; as=sum",
                 {"total": "9.4", "parts": ["2.6", "5.5", "1.0"]}).status == DOES_NOT_HOLD


def test_consistency_sum_of_parts_cannot_be_tested() -> None:
    for ev in (None, {"total": "9.4"}, {"this": "9.4", "other": "9.3"},
               {"total": "9.4", "parts": []}, {"total": "9.4", "parts": ["2.6", None]},
               {"total": None, "parts": ["1"]}, {"total": "9.4", "parts": "2.6 5.5"},
               {"total": "about nine", "parts": ["2.6", "5.5"]}):
        assert check("consistency", "with=x; as=sum", ev).status == CANNOT_TEST, ev
    r = check("consistency", "with=x; as=sum", {"total": "about nine", "parts": ["2.6"]})
    assert "not a number as printed" in r.reason


# --- approximate -----------------------------------------------------------------------------


def test_approximate_claim() -> None:
    assert check("approximate", "word=around; value=10", 10.41).status == HOLDS
    assert check("approximate", "word=over; value=1,000", {"value": 999}).status == DOES_NOT_HOLD
    assert check("approximate", "word=sort of; value=10", 10).status == CANNOT_TEST
    assert check("approximate", "word=around; value=10", "n/a").status == CANNOT_TEST


# --- dispatcher, loading, display ------------------------------------------------------------


def test_check_claims_looks_up_evidence_by_id_then_subject() -> None:
    df = pd.DataFrame([
        row("count", "count=2", claim_id="a", subject="services"),
        row("count", "count=3", claim_id="b", subject="services"),
        row("count", "count=1", claim_id="c", subject="nothing"),
    ])
    out = claims.check_claims(df, {"services": ["X", "Y"], "b": ["X", "Y", "Z"]})
    assert list(out["status"]) == ["holds", "holds", "cannot be tested"]
    assert out.loc[2, "reason"] == "no evidence passed for nothing"
    assert out.loc[0, "citation"] == "Pack, item 10, page 7, line 123"
    assert list(out.columns) == [*claims.RESULT_COLUMNS, "document"]
    assert claims.summary(out) == {"holds": 2, "does not hold": 0, "cannot be tested": 1}
    t = claims.claims_table(out)
    assert list(t.columns) == ["Claim", "Statement", "Check", "Reason", "Where printed"]


def _write(tmp_path, rows: list[dict[str, str]]):  # noqa: ANN001, ANN202
    p = tmp_path / "printed_claims.csv"
    pd.DataFrame(rows, columns=list(claims.CLAIM_COLUMNS)).to_csv(p, index=False)
    return p


def test_load_claims_filters_by_board_and_keeps_blank_board_rows(tmp_path) -> None:  # noqa: ANN001
    p = _write(tmp_path, [row("count", "count=1", claim_id="a", board="x"),
                          row("count", "count=1", claim_id="b", board="y"),
                          row("count", "count=1", claim_id="c", board="")])
    assert list(claims.load_claims(p, board="x")["claim_id"]) == ["a", "c"]
    assert len(claims.load_claims(p)) == 3


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ({"claim_type": "vibe"}, "claim_type"),
        ({"claim_id": "Bad Id"}, "claim_id"),
        ({"expected": "direction up"}, "key=value"),
        ({"statement": ""}, "statement"),
    ],
)
def test_load_claims_bad_rows_are_one_line_errors(tmp_path, bad: dict, words: str) -> None:  # noqa: ANN001
    r = row("trend", "direction=up", claim_id="ok")
    r2 = row("trend", "direction=up", claim_id="second")
    r2.update(bad)
    p = _write(tmp_path, [r, r2])
    with pytest.raises(DataError) as e:
        claims.load_claims(p)
    msg = str(e.value)
    assert "\n" not in msg and "row 3" in msg and words in msg


def test_duplicate_claim_id_is_refused(tmp_path) -> None:  # noqa: ANN001
    p = _write(tmp_path, [row("count", "count=1", claim_id="a"),
                          row("count", "count=1", claim_id="a")])
    with pytest.raises(DataError, match="duplicated"):
        claims.load_claims(p)


def test_show_claims_is_a_numbered_table_with_the_counts() -> None:
    out = claims.check_claims(pd.DataFrame([row("count", "count=2")]), {"s": ["A", "B"]})
    html = claims.show_claims(out, publish=False).text
    assert "Claims check" in html and "1 holds, 0 do not hold, 0 cannot be tested" in html
    assert "Pack, item 10, page 7, line 123" in html
    assert "Source: Pack (as printed; each row cites item, page and line)" in html


def test_runner_harvests_claims_into_manifest_rows_and_csv() -> None:
    from hwb.core import runner

    records = claims.check_claims(pd.DataFrame([row("count", "count=2")]),
                                  {"s": ["A", "B"]}).to_dict(orient="records")
    nb = {"cells": [{"outputs": [{"data": {CLAIMS_MIME: records}}]}]}
    rows = runner._harvest_claims(nb)
    assert rows == records
    assert runner.summarise_claims(rows) == {"holds": 1, "does not hold": 0,
                                             "cannot be tested": 0}
    text = runner.claims_csv(rows).decode()
    assert text.splitlines()[0] == ",".join(claims.RESULT_COLUMNS)
    assert "2 counted (A, B)" in text
    assert runner._harvest_claims({"cells": []}) == []
    json.dumps(rows)  # serialisable into manifest.json


def test_the_seed_papers_claims_files_load() -> None:
    """Every paper's printed_claims.csv that exists passes the schema."""
    from hwb.protocol import BUILTIN_ROOT

    found = sorted((BUILTIN_ROOT / "data").glob("*/printed_claims.csv"))
    for p in found:
        df = claims.load_claims(p)
        assert set(df["claim_type"]) <= set(claims.CLAIM_TYPES), p
