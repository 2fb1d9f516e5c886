"""The falls savings paper: reconstruction, counterfactual, national context, parameters.

Expected values come from the printed paper (Rotherham Health and Wellbeing
Board agenda pack, 20 September 2017, item 15: 1,039 and 751 admissions,
"close to £15m", "£3.6m"), the King's Fund Torbay totals (£2.5m, £1.2m, £4.2m
for 421 people), the national file's published rates (its SOURCE note:
Rotherham 2,407 in 2011/12 and 1,595 in 2015/16), or hand calculations shown
beside each assertion.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest

from hwb.core.params import load_params
from hwb.errors import DataError, ParameterError
from hwb.papers import falls
from hwb.toolkit import checks

ROOT = Path(__file__).resolve().parents[2]
PARAMS = ROOT / "params" / "falls" / "rotherham-2012-13-to-2015-16.yaml"
EVAL = ["2012/13", "2013/14", "2014/15", "2015/16"]
PRINTED = {"2011/12": 1039.0, "2015/16": 751.0}  # the paper, item 15, lines 9989-9991


@pytest.fixture(scope="module")
def national() -> pd.DataFrame:
    return falls.load_national(ROOT / "data" / falls.NATIONAL_FILE)


@pytest.fixture(scope="module")
def torbay() -> pd.DataFrame:
    return falls.load_torbay(ROOT / "data" / falls.TORBAY_FILE)


@pytest.fixture(scope="module")
def counts(national: pd.DataFrame) -> pd.DataFrame:
    pop = falls.load_population("E08000018", ROOT / "data" / falls.POPULATION_FILE)
    return falls.estimate_counts(falls.area_rates(national, "E08000018"), PRINTED, pop)


@pytest.fixture(scope="module")
def params() -> falls.FallsParams:
    return load_params(PARAMS, falls.FallsParams)  # type: ignore[return-value]


# --- inputs ----------------------------------------------------------------------------------


def test_national_file_reads_the_rates_its_source_note_gives(national: pd.DataFrame) -> None:
    r = falls.area_rates(national, "E08000018")
    assert (r["2011/12"], r["2015/16"]) == (2407.0, 1595.0)
    assert len(national) == 2624  # SOURCE.md: 2,624 rows


def test_population_is_as_printed_in_the_template() -> None:
    pop = falls.load_population("E08000018", ROOT / "data" / falls.POPULATION_FILE)
    # BCF planning template tab 4.2 denominators, line 16905
    assert pop.to_dict() == {"2015/16": 49625.0, "2016/17": 50524.0, "2017/18": 51186.0,
                             "2018/19": 51982.0}


def test_torbay_parts_that_do_not_add_up_are_refused(tmp_path: Path, torbay: pd.DataFrame) -> None:
    bad = torbay.copy()
    bad.loc[bad["component"] == "after_12m_acute", "cost_gbp_m"] = 2.1  # 1.7 + 2.1 + 1.4 != 4.2
    p = tmp_path / "torbay_costs.csv"
    bad.to_csv(p, index=False)
    with pytest.raises(DataError, match="do not add up"):
        falls.load_torbay(p)


def test_a_negative_rate_names_file_row_and_column(tmp_path: Path) -> None:
    src = (ROOT / "data" / falls.NATIONAL_FILE).read_text().splitlines()
    head, first = src[0], src[1].split(",")
    first[3] = "-5"
    p = tmp_path / "rates.csv"
    p.write_text("\n".join([head, ",".join(first)]) + "\n")
    with pytest.raises(DataError) as e:
        falls.load_national(p)
    assert "row 2" in str(e.value) and "'value'" in str(e.value)


# --- 1. rebuilding the claim -----------------------------------------------------------------


def test_unit_costs_are_torbay_totals_over_421(torbay: pd.DataFrame) -> None:
    u = falls.unit_costs(torbay).set_index("basis")
    # £1.2m/421, £4.2m/421, £5.4m/421, (£4.2m + £1.2m - £2.5m)/421
    assert u.loc["admission", "per_person"] == pytest.approx(1_200_000 / 421)
    assert u.loc["after_12m", "per_person"] == pytest.approx(9976.247, abs=1e-3)
    assert u.loc["admission_plus_after", "per_person"] == pytest.approx(12826.603, abs=1e-3)
    assert u.loc["incremental", "per_person"] == pytest.approx(6888.361, abs=1e-3)
    # each total carries ±£0.05m: incremental from (4.15 + 1.15 - 2.55) to (4.25 + 1.25 - 2.45)
    assert u.loc["incremental", "per_person_low"] == pytest.approx(2_750_000 / 421)
    assert u.loc["incremental", "per_person_high"] == pytest.approx(3_050_000 / 421)
    assert u.loc["admission_plus_after", "per_person_low"] == pytest.approx(5_300_000 / 421)


def test_printed_years_keep_their_printed_counts(counts: pd.DataFrame) -> None:
    c = counts.set_index("period")
    assert c.loc["2011/12", "count"] == 1039 and c.loc["2015/16", "count"] == 751
    assert set(c.loc[["2011/12", "2015/16"], "source"]) == {"printed"}


def test_estimated_count_is_rate_times_interpolated_denominator(counts: pd.DataFrame) -> None:
    # D(2011/12) = 1,039 / 2,407 x 100,000 = 43,165.77; D(2015/16) = 751 / 1,595 x 100,000
    # = 47,084.64; two years on, geometric interpolation gives sqrt(D1 x D2) = 45,082.64,
    # so 2013/14 = 1,666 x 45,082.64 / 100,000 = 751.08.
    c = counts.set_index("period")
    assert c.loc["2013/14", "denominator"] == pytest.approx(45082.64, abs=0.01)
    assert c.loc["2013/14", "count"] == pytest.approx(751.08, abs=0.01)
    # range: (1,666 - 0.5) x 43,165.77 / 1e5 = 718.93 to (1,666 + 0.5) x 47,084.64 / 1e5 = 784.67
    assert c.loc["2013/14", "count_low"] == pytest.approx(718.93, abs=0.01)
    assert c.loc["2013/14", "count_high"] == pytest.approx(784.67, abs=0.01)
    # after the last printed year D grows with the template population: 47,084.64 x 50,524/49,625
    assert c.loc["2016/17", "denominator"] == pytest.approx(47084.64 * 50524 / 49625, abs=0.01)


def test_falls_prevented_by_each_arithmetic(counts: pd.DataFrame) -> None:
    # the last year's fall from the baseline, for each of 4 years: (1,039 - 751) x 4 = 1,152
    assert falls.falls_prevented(counts, "2011/12", EVAL, "final_year_repeated") == 1152
    # straight line 1,039 -> 751 over 4 years: 288 x (1 + 2 + 3 + 4) / 4 = 720
    assert falls.falls_prevented(counts, "2011/12", EVAL, "straight_line") == pytest.approx(720)
    # the brief's formula: sum of (1,039 - count) over the 4 years
    c = counts.set_index("period")["count"]
    assert falls.falls_prevented(counts, "2011/12", EVAL) == pytest.approx(
        sum(1039 - c[y] for y in EVAL))


def test_sensitivity_finds_the_only_joint_fit(counts: pd.DataFrame, torbay: pd.DataFrame) -> None:
    costs = falls.unit_costs(torbay)
    s = falls.sensitivity_table(counts, costs, "2011/12", EVAL, "15", "3.6")
    fits = s[s["both"]]
    # Hand: (1,039 - 751) x 4 x £5.3m / 421 = £14.503m (rounds to 15), / 4 = £3.626m (to 3.6)
    assert len(fits) == 1
    f = fits.iloc[0]
    assert (f["count_method"], f["basis"], f["cost_end"]) == (
        "final_year_repeated", "admission_plus_after", "low")
    assert f["total"] == pytest.approx(288 * 4 * 5.3 / 421, abs=1e-9)
    # the brief's own formula with the central gross cost does not reproduce £3.6m a year
    row = s[(s["count_method"] == "yearly_counts") & (s["basis"] == "admission_plus_after")
            & (s["counts_end"] == "central") & (s["cost_end"] == "central")].iloc[0]
    assert row["annual_status"] == checks.DIFFERS


def test_claim_alternatives_put_joint_fits_first(counts: pd.DataFrame,
                                                  torbay: pd.DataFrame) -> None:
    s = falls.sensitivity_table(counts, falls.unit_costs(torbay), "2011/12", EVAL, "15", "3.6")
    alts = falls.claim_alternatives(s, "total")
    c = checks.compare(16.33, "15", alternatives=alts)
    assert c.status == checks.DIFFERS and "last year's fall repeated" in c.reason


# --- 2. the defensible estimate --------------------------------------------------------------


def test_counterfactual_difference_in_differences(national: pd.DataFrame) -> None:
    pre = ["2010/11", "2011/12"]
    # Rotherham pre mean (2,415 + 2,407)/2 = 2,411; England (2,126 + 2,128)/2 = 2,127; England
    # 2015/16 = 2,169: ratio 2,411 x 2,169 / 2,127 = 2,458.61; difference 2,411 + 42 = 2,453
    got = {m: float(falls.counterfactual_rates(national, "E08000018", falls.ENGLAND, pre,
                                               ["2015/16"], m)["dsr_expected"].iloc[0])
           for m in ("did_ratio", "did_difference", "pre_period_rate")}
    assert got["did_ratio"] == pytest.approx(2411 * 2169 / 2127)
    assert got["did_difference"] == pytest.approx(2453.0)
    assert got["pre_period_rate"] == pytest.approx(2411.0)


def test_avoided_admissions_use_byar_limits(national: pd.DataFrame, counts: pd.DataFrame) -> None:
    cf = falls.counterfactual_rates(national, "E08000018", falls.ENGLAND,
                                    ["2010/11", "2011/12"], EVAL)
    a = falls.avoided_admissions(cf, counts, 2059.0).set_index("period")
    # Byar's method by hand for 751 at 95%: 751 (1 - 1/6759 - 1.95996/(3 sqrt 751))^3 = 698.24
    # and 752 (1 - 1/6768 + 1.95996/(3 sqrt 752))^3 = 806.69
    assert a.loc["2015/16", "observed_lower"] == pytest.approx(698.24, abs=0.01)
    assert a.loc["2015/16", "observed_upper"] == pytest.approx(806.69, abs=0.01)
    # expected = counterfactual rate x D(2015/16) = 2,458.61 x 47,084.64 / 1e5 = 1,157.63
    assert a.loc["2015/16", "expected"] == pytest.approx(2411 * 2169 / 2127 * 47084.64 / 1e5,
                                                         abs=0.01)
    assert a.loc["Total", "avoided"] == pytest.approx(a.loc[EVAL, "avoided"].sum())
    assert a.loc["Total", "avoided_low"] < a.loc["Total", "avoided"] < a.loc["Total",
                                                                             "avoided_high"]
    assert set(a["method"]) == {"Byar's method on observed and pre-period counts"}


def test_savings_are_net_of_the_service_cost() -> None:
    a = pd.DataFrame({"period": ["Total"], "avoided": [1000.0], "avoided_low": [800.0],
                      "avoided_high": [1200.0]})
    u = pd.DataFrame({"basis": ["incremental"], "per_person": [2_900_000 / 421],
                      "per_person_low": [2_750_000 / 421], "per_person_high": [3_050_000 / 421]})
    s = falls.savings_scenarios(a, u, "incremental", 443_977, 4).set_index("scenario")
    # central: 1,000 x £6,888.36 - 4 x £443,977 = £6,888,361 - £1,775,908 = £5,112,453
    assert s.loc["central", "net"] == pytest.approx(1000 * 2_900_000 / 421 - 4 * 443_977)
    assert s.loc["low", "net"] < s.loc["central", "net"] < s.loc["high", "net"]


# --- 3. national context ---------------------------------------------------------------------


def test_national_change_covers_every_district_and_ua(national: pd.DataFrame) -> None:
    ch = falls.national_change(national, "2011/12", "2015/16")
    # 326 districts and UAs, less Isles of Scilly and City of London (blank every year)
    assert len(ch) == 324
    r = ch.set_index("area_code").loc["E08000018"]
    assert r["pct_change"] == pytest.approx((1595 / 2407 - 1) * 100)  # -33.73%
    assert r["comparator_pct_change"] == pytest.approx((2169 / 2128 - 1) * 100)  # +1.93%
    assert r["rank"] == 1 + int((ch["pct_change"] < r["pct_change"]).sum())


def test_national_chart_alt_text_names_the_area(national: pd.DataFrame) -> None:
    ch = falls.national_change(national, "2011/12", "2015/16")
    fig, alt = falls.national_chart(ch, "E08000018", "Rotherham", "England", "2011/12",
                                    "2015/16")
    assert "Rotherham: -33.7%" in alt and "England: 1.9%" in alt and "324 districts" in alt
    import matplotlib.pyplot as plt

    plt.close(fig)


# --- parameters, assumptions, plugin ---------------------------------------------------------


def test_params_file_parses(params: falls.FallsParams) -> None:
    assert params.evaluation_years == EVAL and params.falls_service_annual_cost_gbp == 443977


@pytest.mark.parametrize("key,value,expected", [
    ("evaluation_years", ["2012/14"], "a financial year like '2011/12'"),
    ("pre_period", ["2010/11"], "includes baseline_year"),
    ("later_years", ["2014/15"], "after the last evaluation year"),
    ("counterfactual_method", "guess", "did_ratio"),
])
def test_bad_params_name_the_key(tmp_path: Path, key: str, value: object, expected: str) -> None:
    import yaml

    d = yaml.safe_load(PARAMS.read_text())
    d[key] = value
    p = tmp_path / "bad.yaml"
    p.write_text(yaml.safe_dump(d))
    with pytest.raises(ParameterError) as e:
        load_params(p, falls.FallsParams)
    assert f"key '{key}'" in str(e.value) and expected in str(e.value)


def test_costs_move_to_one_price_year_with_the_gdp_deflator(params: falls.FallsParams,
                                                           torbay: pd.DataFrame) -> None:
    # Shipped ONS YBGB (2024 = 100): 2010 69.1217, 2011 70.834, 2017 77.6367, 2018 79.1606.
    # By hand, 2010/11 = 0.75 x 69.1217 + 0.25 x 70.834 = 69.54978; 2017/18 = 0.75 x 77.6367 +
    # 0.25 x 79.1606 = 78.01768; factor 78.01768 / 69.54978 = 1.12175.
    d = falls.prices.load_deflator()
    assert falls.prices.uplift_factor(d, "2010/11", "2017/18") == pytest.approx(1.12175, abs=1e-5)
    assert falls.check_price_year(params, torbay) == "2010/11"


def test_a_price_year_outside_the_deflator_is_refused() -> None:
    d = falls.prices.load_deflator()
    with pytest.raises(ParameterError, match="within the deflator's calendar years 1990-2024"):
        falls.prices.uplift_factor(d, "2010/11", "2024/25", "x.yaml")


def test_assumptions_log_is_rated(params: falls.FallsParams) -> None:
    log = falls.assumptions_log(params)
    assert log["id"].is_unique
    assert set(log["quality"]) <= set(falls.RAG) and set(log["impact"]) <= set(falls.RAG)
    assert len(log) >= 8


def test_paper_plugin_and_notebook_declare_every_parameter() -> None:
    from hwb.core.runner import notebook_parameters

    p = falls.PAPER
    assert p.name == "falls" and p.params_model is falls.FallsParams
    assert p.notebook.exists() and p.printed is not None and p.printed.exists()
    assert all(f.exists() for f in p.inputs)
    declared = set(notebook_parameters(nbformat.read(p.notebook, as_version=4)))
    assert set(falls.FallsParams.model_fields) <= declared
    assert PARAMS in p.params_files()


def test_printed_figures_file_follows_the_contract() -> None:
    from hwb.toolkit.figures import load_printed

    df = load_printed(ROOT / "data" / falls.PRINTED_FILE, board="rotherham-2017-09-20")
    v = df.set_index("figure_id")["value"]
    assert (v["admissions_2011_12"], v["admissions_2015_16"]) == ("1,039", "751")
    assert (v["saving_total"], v["saving_annual"]) == ("15", "3.6")
    assert checks.compare(443977 / 1000, v["falls_service_cost"]).status == checks.REPRODUCED


@pytest.mark.e2e
def test_notebook_run_finds_the_claims_basis(tmp_path: Path) -> None:
    import papermill as pm
    import yaml

    out = tmp_path / "falls.ipynb"
    pm.execute_notebook(str(falls.PAPER.notebook), str(out), kernel_name="hwb",
                        parameters=yaml.safe_load(PARAMS.read_text()) | {
                            "meeting_date": "2017-09-20"},
                        cwd=str(ROOT), progress_bar=False)
    from hwb.protocol import figures_of

    figs = {f["id"]: f for f in figures_of(nbformat.read(out, as_version=4))}
    assert figs["saving_total"]["status"] == checks.DIFFERS
    assert "last year's fall repeated" in figs["saving_total"]["reason"]
    assert figs["falls_service_cost"]["status"] == checks.REPRODUCED
    assert figs["n_joint_fits"]["value"] == 1


def test_printed_total_and_annual_agree_only_in_a_narrow_band() -> None:
    # "close to £15m" covers £14.5m-£15.5m; "£3.6m" a year for 4 years covers £14.2m-£14.6m
    lo, hi = falls.consistent_totals("15", "3.6", 4)  # type: ignore[misc]
    assert (lo, hi) == pytest.approx((14.5, 14.6))
    # 15 / 4 = 3.75 a year, which does not round to 3.6
    assert checks.compare(15 / 4, "3.6").status == checks.DIFFERS


def test_estimate_sensitivity_scales_with_the_torbay_totals(national: pd.DataFrame,
                                                           counts: pd.DataFrame,
                                                           torbay: pd.DataFrame,
                                                           params: falls.FallsParams) -> None:
    es = falls.estimate_sensitivity(national, counts, falls.unit_costs(torbay), params, 2059.0)
    assert len(es) == 12 and es["chosen"].sum() == 1
    service = 443_977 * 4
    for _, g in es.groupby("counterfactual_method"):
        gross = (g.set_index("basis")["net"] + service)
        # gross saving is avoided x total/421, so bases stand as their Torbay totals: 5.4 : 2.9
        assert gross["admission_plus_after"] / gross["incremental"] == pytest.approx(5.4 / 2.9)
        assert gross["after_12m"] / gross["admission"] == pytest.approx(4.2 / 1.2)


# --- claims ----------------------------------------------------------------------------------

SEED_LINES = range(9979, 9999)  # the falls paragraph of item 15 (seed file, cat -n numbering)


def test_claims_are_cited_inside_the_falls_paragraph() -> None:
    from hwb.toolkit import claims

    cl = claims.load_claims(ROOT / "data" / falls.CLAIMS_FILE, board="rotherham-2017-09-20")
    assert len(cl) >= 5
    assert all(int(v) in SEED_LINES for v in cl["line"])


def test_falls_claims_on_the_shipped_rates(national: pd.DataFrame) -> None:
    # Rotherham's DSR (data/falls SOURCE.md): 2,415 in 2010/11 and 2,407 in 2011/12, so 2011/12
    # is not the "highest point" of the shipped years; the printed £15m over 4 years is £3.75m a
    # year, which no value rounds to as well as to the printed £3.6m.
    from hwb.papers.falls import evidence
    from hwb.toolkit import claims

    cl = claims.load_claims(ROOT / "data" / falls.CLAIMS_FILE, board="rotherham-2017-09-20")
    area = falls.area_rates(national, "E08000018")
    rates = pd.DataFrame({"period": area.index, "area": area.to_numpy()})
    ev = evidence.claims_evidence(rates, 14.55e6, 15 / 4, "3.6", "Torbay. August 2013", cl)
    res = claims.check_claims(cl, ev).set_index("claim_id")["status"].astype(str)
    assert res["falls.baseline_highest_point"] == "does not hold"
    assert res["falls.total_vs_annual"] == "does not hold"
    assert res["falls.close_to_15m"] == "holds"  # 14.55 is within the approximate-word rule
    assert res["falls.kings_fund_date"] == "holds"
