"""The equity audit: interval method, decision rules, count recovery, expected shares.

Expected values come from the printed audit (Rotherham Health and Wellbeing Board,
20 September 2017, item 14, Table 3 and sections 4.1-4.6) or from hand calculations
explained beside them.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from hwb import stats
from hwb.core.params import load_params
from hwb.core.registry import BUILTIN_ROOT
from hwb.papers import equity as E
from hwb.sources import data
from hwb.toolkit import figures


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    printed, text = E.split_printed(
        figures.load_printed(data.path(E.PRINTED_FILE), board="rotherham-2017-09-20"))
    services = data.read_csv(data.path(E.SERVICES_FILE))
    return E.printed_table(printed, text, services)


def test_printed_table_reads_table_3(table):
    # Table 3, first row: EHC 41.2% (37.1%, 45.4%), expected 42.2% (42.0%, 42.4%), Equal.
    ehc = table.set_index("key").loc["ehc"]
    assert (ehc.share, ehc.share_lower, ehc.share_upper) == ("41.2", "37.1", "45.4")
    assert ehc.verdict == "Equal" and ehc.improves == "N"
    # 4-week quitters share the smoking service's merged verdict cell.
    assert table.set_index("key").loc["ysf_4wk_quitters", "shared_cell"]


def test_know_the_score_is_eleven_of_fifteen():
    # Printed 73.3% (48.0%, 89.1%): 11/15 = 73.33%; no other count up to 3,000 fits.
    got = E.recover_counts("73.3", "48.0", "89.1", stats.wilson_ci, 3000)
    assert got.values.tolist() == [[11, 15]]


def test_printed_counts_are_in_the_recovered_sets():
    # Section 4.3.2 prints 135 of 252 children; Table 3 prints 53.6% (47.4%, 59.6%).
    got = E.recover_counts("53.6", "47.4", "59.6", stats.wilson_ci, 3000)
    assert got.values.tolist() == [[135, 252]]
    # Section 4.3.1 prints 385 of 855 adults; Table 3 prints 45.0% (41.7%, 48.4%).
    got = E.recover_counts("45.0", "41.7", "48.4", stats.wilson_ci, 3000)
    assert ((got.x == 385) & (got.n == 855)).any()


def test_wilson_reproduces_more_rows_than_any_other_method(table):
    s = E.method_summary(E.method_search(table, E.interval_candidates(), 3000))
    assert s.method.iloc[0] == "Wilson 95%"
    # 11 of the 12 rows; Shared Care prints "46.40%, 56.10%", which fit only read to one decimal.
    assert int(s.rows_reproduced.iloc[0]) == 11
    got, how = E.recover_row(table.set_index("key").loc["shared_care"], stats.wilson_ci, 3000)
    assert how == "trailing zeros dropped" and len(got) > 0


def test_smallest_equitable_count_hand_worked():
    # 15 clients, bound 4.32%: Wilson lower limit of 2/15 is 3.7%, of 3/15 is 7.05%
    # ((2x + z² - z√(z² + 4x(1 - x/n))) / (2(n + z²)) with x = 3, n = 15, z = 1.96).
    assert E.smallest_equitable_count(15, 0.0432) == 3
    assert E.smallest_equitable_count(10, 0.99) is None


def test_verdicts_follow_non_overlapping_intervals(table):
    vr = E.verdict_rule_search(table)
    by_rule = vr.groupby("rule")["same"].sum()
    assert by_rule["intervals do not overlap (lower > upper)"] == 12
    # footnote (b) read literally (share against expected share) gets the four 'Equal' rows wrong
    assert by_rule["share against expected share (footnote b)"] == 8


def test_verdict_examples_from_the_printed_table():
    # Active for Health 5.2% (3.6%, 7.5%) against 8.4% (8.3%, 8.5%): Unequal.
    assert E.verdict(3.6, 7.5, 8.3, 8.5) == E.UNEQUAL
    # Smoking quit dates 7.3% (6.3%, 8.5%): the intervals touch at 8.5: Equal.
    assert E.verdict(6.3, 8.5, 8.3, 8.5) == E.EQUAL
    assert E.verdict(55.5, 77.0, 10.8, 11.3) == E.EQUITABLE


def test_rebuilt_table_gives_the_cover_report_counts(table):
    w = E.interval_candidates()["Wilson 95%"]
    pairs = {r["key"]: E.recover_row(r, w, 3000)[0] for _, r in table.iterrows()}
    bounds = E.threshold_bound_search(table, pairs)
    inputs = E.rebuild_inputs(table, pairs, bounds, {"pfp_children": (135, 252)})
    a = E.audit_table(inputs)
    s = E.summary_counts(a, "service")
    # Cover report and summary: 11 services, 9 at least equal, 6 equitable, 3 equal, 2 unequal.
    assert (s["analysed"], s["equal_or_better"], s["equitable"], s["equal"], s["unequal"]) == (
        11, 9, 6, 3, 2)
    # "5 services ... below the expected level" counts the two smoking rows separately.
    assert E.summary_counts(a, "key")["below_expected"] == 5
    # Table 3 thresholds (c): RDaSH 10.5%, Lifeline 12.3%, MoreLife 20.0%, Health Trainers 10.3%.
    t = a.set_index("key").threshold
    for key, printed in (("rdash", 10.5), ("lifeline", 12.3), ("morelife", 20.0),
                         ("health_trainers", 10.3)):
        assert round(t[key], 1) == printed


def test_threshold_bound_hand_worked():
    # Active for Health, 501 clients: 55/501 has Wilson lower limit 8.532%, 56/501 8.699%;
    # the printed threshold 11.2% (8.7%, 14.2%) is 56/501 (11.18%), so the expected upper
    # limit lies in [8.532%, 8.699%).
    row = {"threshold": "11.2", "threshold_lower": "8.7", "threshold_upper": "14.2"}
    (a, b), = E.bound_intervals(501, row)
    assert a == pytest.approx(100 * stats.wilson_ci(55, 501).lower)
    assert b == pytest.approx(100 * stats.wilson_ci(56, 501).lower)


def test_exact_tests_and_adjustment():
    # Binomial: 11 of 15 against 4.16% has P(X >= 11) below 1e-10 (hand: C(15,11) 0.0416^11 ...).
    t = E.exact_tests(pd.DataFrame({"key": ["kts"], "x": [11], "n": [15], "expected": [4.16]}))
    assert t.p_more.iloc[0] < 1e-10 and t.test.iloc[0] == "exact binomial"
    # With population counts, the population share is taken as fixed (a near-census count):
    # 10 of 20 against 100 of 1,000 is the binomial test against 10%, whose one-sided
    # P(X >= 10 | n=20, p=0.1) is 7.15e-6 (sum of C(20,k) 0.1^k 0.9^(20-k), k >= 10, by hand).
    f = E.exact_tests(pd.DataFrame({"key": ["s"], "x": [10], "n": [20], "expected": [9.0],
                                    "population_selected": [100], "population_total": [1000]}))
    assert f.test.iloc[0].startswith("exact binomial") and f.expected.iloc[0] == 10.0
    assert f.p_more.iloc[0] == pytest.approx(7.15e-6, rel=1e-2)
    # p-values are shown to a floor.
    assert (E.format_p(2.1e-296), E.format_p(0.0123)) == ("< 0.001", "0.012")
    # Holm on 0.01, 0.04, 0.03, 0.005 (hand: 0.02, 0.03, 0.06, 0.06 in sorted order).
    assert np.allclose(E.holm([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02])


def test_funnel_points():
    lim, pts = E.funnel_data(pd.DataFrame({"key": ["a", "b"], "x": [50, 10], "n": [100, 100]}),
                             10.0)
    assert pts.significance.tolist()[0] == "High (0.001)"
    assert lim.lower95.iloc[-1] < 10 < lim.upper95.iloc[-1]


def test_postcodes_from_appendix_1():
    pcs = data.read_csv(data.path(E.POSTCODES_FILE), dtype=str)
    v = E.validate_postcodes(pcs)
    # Appendix 1 prints "S61 AW" and "S61 BW": inward codes without their digit.
    assert sorted(v.loc[~v.valid, "postcode_as_printed"]) == ["S61 AW", "S61 BW"]


def test_service_counts_schema_rejects_bad_area(tmp_path, monkeypatch):
    monkeypatch.setenv("HWB_ROOT", str(tmp_path))
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "c.csv").write_text("service,age_band,area,clients\nS,18+,X1,3\n")
    with pytest.raises(Exception, match="LSOA"):
        E.read_service_counts("c.csv")


def test_params_files_parse():
    for f in sorted((BUILTIN_ROOT / "params" / "equity").glob("*.yaml")):
        p = load_params(f, E.EquityParams)
        assert not math.isnan(p.confidence)
    assert E.PAPER.name == "equity" and E.PAPER.notebook.name == "equity.ipynb"


def test_rotherham_msoas_match_the_printed_population():
    # Methods: the three MSOAs' mid-2015 population "totals 23,360", "9%" of Rotherham;
    # MoreLife expected share (children) printed 11.1%.
    chk = E.mid2015_msoa_check(["E02001591", "E02001593", "E02001594"], "E08000018")
    assert abs(chk["population"] - 23_360) <= 5
    assert round(chk["share"]) == 9 and round(chk["share_0_15"], 1) == 11.1


def test_notebook_parameters_cell_declares_every_field():
    import nbformat

    nb = nbformat.read(BUILTIN_ROOT / "notebooks" / "equity.ipynb", 4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    names = {line.split("=")[0].strip() for line in cell.source.splitlines() if "=" in line}
    assert names == set(E.EquityParams.model_fields)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_age_matched_expected_uses_each_service_band():
    # Health Trainers serve 16+, the other adult services 18+: their expected shares differ,
    # and each is the selected MSOAs' population over Rotherham's in that band.
    p = load_params(BUILTIN_ROOT / "params" / "equity" / "rotherham-2015-16.yaml", E.EquityParams)
    services = data.read_csv(data.path(E.SERVICES_FILE), dtype=str, keep_default_na=False)
    m = E.age_matched_expected(services, p).set_index("key")
    assert m.loc["health_trainers", "age_band"] == "16+"
    assert m.loc["health_trainers", "value"] != m.loc["rdash", "value"]
    r = m.loc["rdash"]
    assert r.value == pytest.approx(100 * r.population_selected / r.population_total)
    assert math.isnan(m.loc["ehc", "value"])  # postcode districts: not small areas


def test_choose_counts_prefers_the_printed_count():
    pairs = pd.DataFrame({"x": [384, 385, 386], "n": [853, 855, 857]})
    assert E.choose_counts(pairs, 385, 855) == (385, 855, "printed count")
    assert E.choose_counts(pairs, 386, math.nan)[:2] == (386, 857)
    assert E.choose_counts(pairs)[:2] == (385, 855)  # the median of three
    with pytest.raises(Exception, match="no whole-number count"):
        E.choose_counts(pairs.iloc[0:0])


def test_claims_are_cited_inside_the_audit() -> None:
    from hwb.toolkit import claims

    cl = claims.load_claims(BUILTIN_ROOT / "data" / E.CLAIMS_FILE, board="rotherham-2017-09-20")
    assert len(cl) >= 15
    # item 14 of the seed agenda pack runs from line 5999 to about 7297 (cat -n numbering)
    assert all(5999 <= int(v) <= 7297 for v in cl["line"])


def test_comparison_claims_use_the_age_matched_share() -> None:
    from hwb.papers.equity import evidence
    from hwb.toolkit import claims

    # Hand-made: 26 of 501 clients (5.19%, Wilson 95% 3.56% to 7.49%) against an age-matched
    # share of 8.47%: "significantly less" holds because the upper limit is below 8.47%.
    lo, hi = stats.wilson_ci(26, 501)
    a = pd.DataFrame({"key": ["afh"], "label": ["AfH"], "x": [26], "n": [501],
                      "share": [100 * 26 / 501], "share_lower": [100 * lo],
                      "share_upper": [100 * hi], "expected": [8.4], "verdict": ["Unequal"]})
    t = pd.DataFrame({"key": ["afh"], "label": ["AfH"], "finding": ["significantly fewer"]})
    ev = evidence.claims_evidence(a, t, pd.DataFrame({"key": ["afh"], "value": [8.47]}),
                                  "Wilson 95%", pd.DataFrame({"figure_id": [], "value": []}), 8.95)
    row = {"claim_id": "c", "claim_type": "comparison",
           "expected": "relation=lower;benchmark=residents;significant=yes"}
    r = claims.check_claim(row, ev["afh.share"])
    assert str(r.status) == "holds" and "8.47" in r.reason
