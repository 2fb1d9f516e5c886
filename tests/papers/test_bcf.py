"""The BCF 2017-19 paper: every expected value is printed in the board packs or worked by hand.

Rotherham HWB agenda pack, 20 September 2017, items 15 and 15A; Leicestershire HWB agenda pack,
25 January 2018, item 14.
"""

from __future__ import annotations

import pandas as pd
import pytest

from hwb.core.params import load_params
from hwb.core.registry import BUILTIN_ROOT
from hwb.errors import DataError, ParameterError
from hwb.papers import bcf
from hwb.toolkit import checks, figures

ROT = "rotherham-2017-09-20"
LEI = "leicestershire-2018-01-25"
YEARS = ["2017/18", "2018/19"]


@pytest.fixture(scope="module")
def rot() -> pd.DataFrame:
    return bcf.load_printed(ROT)


@pytest.fixture(scope="module")
def lei() -> pd.DataFrame:
    return bcf.load_printed(LEI)


@pytest.fixture(scope="module")
def schemes() -> pd.DataFrame:
    return bcf.load_schemes()


def _by_id(cs: list[bcf.Check]) -> dict[str, bcf.Check]:
    return {c.figure_id: c for c in cs}


def test_residential_rates_reproduce_tab_4_2(rot: pd.DataFrame) -> None:
    # tab 4.2 prints 808.1 771.9 580.2 552.1 from 401/49,625, 390/50,524, 297/51,186, 287/51,982
    cs = [c for c in bcf.metric_checks(rot, "res65") if ".rate." in c.figure_id]
    assert [checks.compare(c.value, p).status for c, p in
            zip(cs, ["808.1", "771.9", "580.2", "552.1"], strict=True)] == ["reproduced"] * 4


def test_summary_tab_uses_the_unrounded_dtoc_rate(rot: pd.DataFrame) -> None:
    # 2,400 / 205,748 x 100,000 = 1,166.475 (by hand): tab 4.4 prints 1166.5, the summary tab
    # 1,166 - the unrounded rate, not 1166.5 rounded again (which would be 1,167)
    c = _by_id(bcf.metric_checks(rot, "dtoc"))["rot.dtoc.summary.2017-18q1"]
    assert round(c.value, 3) == 1166.475
    assert checks.compare(c.value, "1166").status == "reproduced"
    assert c.alternatives and list(c.alternatives.values())[0] == 1166.5


def test_reablement_interval_is_wilson(rot: pd.DataFrame) -> None:
    # 121 of 135 (2015/16 actual) = 89.6%; Wilson 95% by hand, z = 1.959964: (242 + 3.8415 -+
    # z*sqrt(3.8415 + 4*121*14/135)) / (2*138.8415) = (245.84 -+ 14.41) / 277.68 -> 83.3% to 93.7%
    t = bcf.with_intervals(bcf.metric_frame(rot, "reab91"), "reab91")
    r = t[t.period == "2015/16"].iloc[0]
    assert (round(r.value, 1), round(r.lower, 1), round(r.upper, 1)) == (89.6, 83.3, 93.7)
    assert r.method == "Wilson score" and r.confidence == 0.95


def test_plans_and_delayed_days_carry_no_interval(rot: pd.DataFrame) -> None:
    # issue 17: a plan (158 of 180 for 2017/18) is a target, not an observation; delayed days
    # (2,400 planned for 2017/18 Q1) are not independent events, so no Poisson interval
    reab = bcf.with_intervals(bcf.metric_frame(rot, "reab91"), "reab91").set_index("period")
    assert reab.loc["2017/18", ["lower", "upper"]].isna().all()
    assert reab.loc["2017/18", "value"] == pytest.approx(158 / 180 * 100)
    dtoc = bcf.with_intervals(bcf.metric_frame(rot, "dtoc"), "dtoc")
    assert dtoc[["lower", "upper"]].isna().all().all()
    assert "actual_lower" not in bcf.dtoc_plan_vs_actual(rot, bcf.dtoc_actuals("E08000018"))


def test_nea_annual_total_is_not_the_sum_of_quarters(rot: pd.DataFrame) -> None:
    # 7,395 + 7,436 + 7,047 + 7,016 = 28,894 by hand; the template prints 28,893
    c = _by_id(bcf.nea_checks(rot, YEARS))["rot.nea.planned.2017-18"]
    assert c.value == 28894
    assert c.comparison.status == "rounding"


def test_narrative_rate_used_the_2015_population(rot: pd.DataFrame) -> None:
    # 329 admissions "or a rate of 663 per 100,000": 329 / 49,625 x 100,000 = 662.97 (the 2015/16
    # population), not 329 / 50,524 x 100,000 = 651.18 (2016/17)
    cs = [c for c in bcf.narrative_metric_checks(rot) if "663" in c.figure_id]
    assert len(cs) == 1
    c = checks.compare(cs[0].value, "663", alternatives=cs[0].alternatives)
    assert c.status == "differs" and "2015/16 65+ population (49,625)" in c.reason


def test_pooled_budget_and_its_remainder(rot: pd.DataFrame, schemes: pd.DataFrame) -> None:
    # tab 2: 4,077,793 + 7,317,501 + 18,592,437 + 2,402,205 = 32,389,936 (printed)
    c = _by_id(bcf.money_checks_rotherham(rot, schemes, YEARS))
    assert c["rot.bcf-income.2017-18.total-bcf-pooled-budget"].value == 32_389_936
    # 2017/18 iBCF scheme lines 40-44 print 2,000,000 + 1,000,000 + 500,000 + 500,000 + 200,000 =
    # 4,200,000 of 7,317,501: 3,117,501 of the pooled budget is on no printed line (by hand)
    r = bcf.reconcile(rot, schemes, YEARS).set_index(["year", "source"])
    assert r.loc[("2017/18", "Total BCF pooled budget"), "remainder"] == 3_117_501
    assert r.loc[("2018/19", "Total BCF pooled budget"), "remainder"] == 0
    a = bcf.area_remainders(rot, schemes, YEARS)
    assert a[a.year == "2017/18"]["remainder"].sum() == 3_117_501


def test_ooh_spend_reproduces_the_summary_tab(rot: pd.DataFrame, schemes: pd.DataFrame) -> None:
    # NHS-commissioned out-of-hospital spend from the minimum: printed £9,627,139 and £9,782,139
    c = _by_id(bcf.money_checks_rotherham(rot, schemes, YEARS))
    for fid, printed in (("2017-18", 9_627_139), ("2018-19", 9_782_139)):
        hit = [v for k, v in c.items() if k.startswith(f"rot.nhs-ooh-spend-from-minimum-by-area."
                                                       f"{fid}.total")]
        assert [h.value for h in hit] == [printed]


def test_minimum_mandated_social_care_chain(rot: pd.DataFrame, schemes: pd.DataFrame) -> None:
    # 6,496,000 x 1.0179 = 6,612,278.4 (printed 6,612,278); x 1.019 = 6,737,911.7 (printed
    # 6,737,912, not 6,612,278 x 1.019 = 6,737,911.3)
    cs = [c for c in bcf.money_checks_rotherham(rot, schemes, YEARS)
          if c.figure_id.startswith("rot.minimum-mandated-social-care")]
    assert [round(c.value, 1) for c in cs] == [6_612_278.4, 6_737_911.7]


def test_hart_shares_are_shares_of_hours(lei: pd.DataFrame) -> None:
    # hours: 10,887 / 126,319 = 8.62% (printed 8.6), 8,641 / 126,319 = 6.84% (printed 6.8); the
    # council's 84.6 is 100 - 8.6 - 6.8, while its share of hours is 84.54%
    basis = bcf.hart_basis(bcf.hart_table(lei))
    assert basis["NHS West Leicestershire CCG"] == ["hours"]
    assert basis["NHS East Leicestershire & Rutland CCG"] == ["hours"]
    assert basis["Leicestershire County Council"] == ["100 less the other partners' printed shares"]


def test_s75_total_funding(lei: pd.DataFrame) -> None:
    # 17,033,580 + 22,210,736 + 12,875,447 = 52,119,763 (printed)
    c = _by_id(bcf.leics_checks(lei))
    tot = [v for k, v in c.items() if "total-bcf-funding-total" in k]
    assert [t.value for t in tot] == [52_119_763]
    assert tot[0].comparison.status == "reproduced"


def test_every_printed_figure_is_compared_or_scoped(rot, lei, schemes) -> None:
    for board, printed in ((ROT, rot), (LEI, lei)):
        rec = figures.Recorder(printed, publish=False)
        if board == ROT:
            cs = [c for m in ("res65", "reab91", "dtoc") for c in bcf.metric_checks(printed, m)]
            cs += bcf.nea_checks(printed, YEARS) + bcf.narrative_metric_checks(printed)
            cs += bcf.money_checks_rotherham(printed, schemes, YEARS) + bcf.table8_checks(printed)
            cs += bcf.table9_checks(printed, bcf.row(printed, "bcf_income", "2017/18",
                                                     contains="Total BCF pooled"))
            cs += bcf.ibcf_checks(printed, schemes) + bcf.risk_checks(printed)
            cs += bcf.table9_vs_template(printed, schemes)
            cs += [bcf.dtoc_gap_check(printed, "E08000018")]
            cs += bcf.dtoc_actual_checks(printed, bcf.dtoc_actuals("E08000018"))
        else:
            cs = bcf.leics_checks(printed)
        for c in cs:
            rec.record(**c.record_kwargs())
        t = rec.check_table()
        unscoped = t[(t.status == "not compared") & ~t.reason.str.startswith("out of scope")]
        assert unscoped.empty, unscoped.figure_id.tolist()


def test_dtoc_actual_numerators_match_nhs_england(rot: pd.DataFrame) -> None:
    # the template's 2016/17 numerators 1,390 1,376 1,558 2,271 are NHS England's quarterly sums
    cs = bcf.dtoc_actual_checks(rot, bcf.dtoc_actuals("E08000018"))
    assert [c.value for c in cs] == [1390, 1376, 1558, 2271]


def test_params_files_load_and_bad_keys_fail(tmp_path) -> None:
    for f in sorted((BUILTIN_ROOT / "params" / "bcf").glob("*.yaml")):
        assert load_params(f, bcf.BcfParams).plan_years == YEARS
    bad = tmp_path / "bad.yaml"
    bad.write_text((BUILTIN_ROOT / "params" / "bcf" / "rotherham-2017-19.yaml").read_text()
                   + "colour: blue\n")
    with pytest.raises(ParameterError, match="colour"):
        load_params(bad, bcf.BcfParams)


def test_missing_printed_figure_is_a_clear_error(rot: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="expected exactly one printed figure"):
        bcf.row(rot, "no_such_measure", "2017/18")


def test_paper_is_registered() -> None:
    from hwb.core.registry import get

    p = get("bcf")
    assert p.params_model is bcf.BcfParams and p.notebook.name == "bcf.ipynb"


def test_table9_carers_line_folds_in_day_care(rot: pd.DataFrame, schemes: pd.DataFrame) -> None:
    # Table 9 prints Carers Support Service [RMBC] 50 (£000); the template's council-funded carers
    # line (scheme 39) is £15,000, and with the council-funded day care line (scheme 37, £35,000)
    # the two make £50,000
    c = [c for c in bcf.table9_vs_template(rot, schemes) if "Carers Support Service [RMBC]" in
         c.label][0]
    assert c.value == 15
    cmp = checks.compare(c.value, "50", alternatives=c.alternatives)
    assert cmp.status == "differs" and "schemes 39 and 37 (Day Care Services)" in cmp.reason


def test_ibcf_contingency_is_the_grant_remainder(rot: pd.DataFrame, schemes: pd.DataFrame) -> None:
    # item 15A: grant £6,227,348; sections 7.2-7.6 itemise £6,165,000 (4,000,000 + 22 smaller
    # items); 6,227,348 - 6,165,000 = 62,348, Table 9's "Improved BCF Contingency Fund" 62 (£000)
    r = bcf.ibcf_reconcile(rot, schemes)
    assert (r.loc[0, "amount"], r.loc[0, "itemised"], r.loc[0, "remainder"]) == (
        6_227_348, 6_165_000, 62_348)


def test_duration_conflict_scheme_40(schemes: pd.DataFrame) -> None:
    # tab 3 prints scheme 40 as "2017/18 Only £2,000,000 £10,103,692 New"
    c = bcf.duration_conflicts(schemes)
    assert c[["scheme_id", "year", "expenditure"]].values.tolist() == [[40, "2018/19", 10103692.0]]


def test_dtoc_plan_vs_actual_from_the_raw_series(rot: pd.DataFrame) -> None:
    # the raw NHS England file, read independently: Rotherham April-June 2017, NHS + social care +
    # both, against the plan's 2,400 delayed days in 2017/18 Q1
    raw = pd.read_csv(BUILTIN_ROOT / "data" / "dtoc" /
                      "dtoc_delayed_days_by_responsible_org_2011-04_to_2019-12.csv",
                      na_values=["-"])
    q1 = raw[(raw["Name"] == "Rotherham")
             & raw["Period_year"].isin(["April 2017", "May 2017", "June 2017"])]
    days = float(q1[["NHS", "Social Care", "Both"]].to_numpy().sum())
    pva = bcf.dtoc_plan_vs_actual(rot, bcf.dtoc_actuals("E08000018")).set_index("period")
    assert pva.loc["2017/18 Q1", "actual_days"] == days
    assert pva.loc["2017/18 Q1", "template_days"] == 2400
    assert pva.loc["2017/18 Q1", "actual_rate"] == pytest.approx(days / 205_748 * 1e5)


def test_every_remainder_is_explained(rot: pd.DataFrame, schemes: pd.DataFrame) -> None:
    # by hand from tabs 2 and 3, 2017/18: CCG minimum 18,592,437 - lines 19,474,642 = -882,205;
    # additional CCG 2,402,205 - lines 1,520,000 = +882,205 (the same amount); council
    # 4,077,793 - lines naming "Local Authority Contribution" 50,000 = 4,027,793, the lines naming
    # "Local Authority Social Services"
    r = bcf.explain_remainders(bcf.reconcile(rot, schemes, YEARS), rot, schemes)
    r = r.set_index(["year", "source"])
    assert r.loc[("2017/18", "CCG Minimum Contribution"), "remainder"] == -882_205
    assert r.loc[("2017/18", "Additional CCG Contribution"), "remainder"] == 882_205
    assert r.loc[("2017/18", "Local Authority Contribution"), "remainder"] == 4_027_793
    assert "unexplained" not in set(r["explained_by"])


def test_dtoc_gap_of_around_ten_patients(rot: pd.DataFrame) -> None:
    # by hand: Rotherham delayed days April-June 2017 (NHS England) 757 + 1,034 + 916 = 2,707 over
    # 91 days = 29.75 a day; the expectation 9.4 per 100,000 adults x 205,748 = 19.34; the gap is
    # 10.41 patients a day, the narrative's "around 10"
    c = bcf.dtoc_gap_check(rot, "E08000018")
    assert round(c.value, 2) == 10.41
    assert c.comparison.status == "reproduced"


@pytest.mark.parametrize(("key", "bad", "expected"), [
    ("money_tables", ["templat"], "'template', 'narrative', 'ibcf', 's75' or 'hart'"),
    ("metrics_published", ["dtoc", "delays"], "'nea', 'res65', 'reab91' or 'dtoc'"),
    ("plan_years", ["2017-18"], "pattern"),
])
def test_bad_parameter_values_name_key_and_expectation(tmp_path, key, bad, expected) -> None:
    import yaml

    d = yaml.safe_load((BUILTIN_ROOT / "params" / "bcf" / "rotherham-2017-19.yaml").read_text())
    d[key] = bad
    p = tmp_path / "bad.yaml"
    p.write_text(yaml.safe_dump(d))
    with pytest.raises(ParameterError) as e:
        load_params(p, bcf.BcfParams)
    assert key in str(e.value) and expected in str(e.value)


def _value_axes(fig) -> list:
    return [ax for ax in fig.axes if ax.get_ylabel()]


def test_every_chart_starts_at_zero_or_declares_its_baseline(rot: pd.DataFrame) -> None:
    # issue 17: the non-elective plan (7,395 ... in 2017/18 Q1) drawn from 7,000 made a ±3%
    # seasonal pattern look like a collapse; every value axis starts at 0 or says where it starts
    from hwb.papers.bcf import actuals
    from hwb.papers.bcf import charts as bcf_charts

    frames = {
        "nea_figure": (bcf_charts.nea_plan(rot),),
        "dtoc_figure": (bcf.dtoc_plan_vs_actual(rot, bcf.dtoc_actuals("E08000018")),),
        "metric_figure": (bcf.with_intervals(bcf.metric_frame(rot, "reab91"), "reab91"),
                          "percent"),
        "nel_pva_figure": (actuals.nel_plan_vs_actual(rot, "E08000018", "2017-09-20"),),
        "spc_figure": (*actuals.nel_spc("E08000018"), "NEL a day", "admissions a day"),
    }
    assert set(frames) == set(bcf_charts.FIGURES)
    for name, args in frames.items():
        fig = getattr(bcf_charts, name)(*args)
        for ax in _value_axes(fig):
            bottom = ax.get_ylim()[0]
            assert bottom == 0 or bcf_charts.BASELINE_NOTE in ax.get_ylabel(), (name, bottom)
    notebook = (BUILTIN_ROOT / "notebooks" / "bcf.py").read_text()
    assert "plt.subplots" not in notebook  # every chart is drawn by the tested builders


def test_claims_rate_of_663_used_the_2015_population(rot: pd.DataFrame) -> None:
    # item 15 line 12022: "329 new admissions (or a rate of 663 per 100,000 per population)" for
    # 2016/17; by hand 329 / 49,625 x 100,000 = 662.97 (the 2015/16 65+ population) while
    # 329 / 50,524 x 100,000 = 651.2 (2016/17): the claimed 2016/17 basis does not hold
    from hwb.papers.bcf import evidence

    r = evidence.check_board_claims(rot, ROT, "2017-09-20").set_index("claim_id")
    assert r.loc["rot.res65.rate_663_population", "status"] == "does not hold"
    assert "2015/16" in r.loc["rot.res65.rate_663_population", "reason"]
    # "a slight increase of 1.9% in line with the overall increase in BCF funding": the pooled
    # budget rises 35,522,651 / 32,389,936 - 1 = 9.67%, not 1.9% (line 14408)
    assert r.loc["rot.social_care_from_minimum.in_line", "status"] == "does not hold"
    # 45 admissions to date below the Quarter 1 target of 75 (line 12026)
    assert r.loc["rot.res65.q1_below_target", "status"] == "holds"
    assert set(r["status"]) <= {"holds", "does not hold", "cannot be tested"}


def test_every_claim_cites_a_line_of_its_paper() -> None:
    from hwb.toolkit import claims

    cl = claims.load_claims(BUILTIN_ROOT / "data" / "bcf" / "printed_claims.csv")
    assert set(cl["board"]) == {ROT, LEI}
    assert cl["line"].astype(int).between(5646, 18886).all()
    assert cl["claim_id"].is_unique


def test_expectation_applies_from_september_2017(rot: pd.DataFrame) -> None:
    # issue 14: the national expectation (9.4 people delayed per 100,000, line 11982) is for
    # September 2017; 2017/18 Q1 (2,400 days / 205,748 x 100,000 / 91 = 12.82 a day) is before
    # it. From Q2, by hand: 1,428 / 205,748 x 100,000 / 92 = 7.544 is the highest
    pva = bcf.dtoc_plan_vs_actual(rot, bcf.dtoc_actuals("E08000018"))
    per_day = bcf.dtoc_per_day(pva[pva["kind"] == "plan"])
    applied = bcf.applies_from(per_day, "2017-09")
    assert "2017/18 Q1" not in set(applied["period"])
    assert applied["template_per_day"].max() == pytest.approx(1428 / 205_748 * 1e5 / 92)


def test_dtoc_special_cause_against_the_2016_17_baseline() -> None:
    # issue 17: plan against actual says whether actual delays show special cause. By hand from
    # NHS England's series for Rotherham, delayed days a day: 2016/17's twelve months average
    # 18.09; January to September 2017 (20.8, 22.9, 31.8, 25.2, 33.4, 30.5, 29.9, 25.8, 22.5)
    # are nine months above it, a run of 7 or more: special cause concern (lower is better)
    f, s = bcf.dtoc_spc("E08000018")
    assert s.mean == pytest.approx(18.086, abs=0.001)
    v = f.set_index("x")["verdict"]
    assert (v["2017-01":"2017-09"] == "special cause concern").all()
    assert v["2016-04"] == "common cause"


def test_descriptions_of_recorded_figures_keep_the_toolkit_wording() -> None:
    """Issue 15: the BCF chart descriptions quote recorded figures but say what the toolkit's
    describe_series and describe_spc say, word for word. Tab 4.4's 2016/17 quarters 678.1,
    671.2, 760.0 and 1,103.8 (line 16921) and a missing quarter: first 678.1, last 1,103.8,
    lowest 671.2, highest 1,103.8, 1 missing; a point already recorded at the same text (Q2) is
    quoted as that figure, not recorded again."""
    from hwb.papers.bcf import charts as bcf_charts
    from hwb.stats import xmr
    from hwb.toolkit import charts, spc_chart

    rec = figures.Recorder(publish=False)
    x = ["2016/17 Q1", "2016/17 Q2", "2016/17 Q3", "2016/17 Q4", "2017/18 Q1"]
    y = [678.1, 671.2, 760.0, 1103.8, float("nan")]
    rec.record("q2", "2016/17 Q2", 671.2, "", 1)
    d = bcf_charts.series_description(rec, "c", "Line chart", "delayed days", x, y,
                                      ids=[None, "q2", None, None, None])
    assert str(d) == charts.describe_series("Line chart", "delayed days", x, y)
    assert [(sp["id"], d[sp["start"]:sp["end"]]) for sp in d.spans] == [
        ("c.first", "678.1"), ("c.last", "1,103.8"), ("q2", "671.2"), ("c.highest", "1,103.8"),
        ("c.missing", "1")]
    assert "c.lowest" not in rec.figures
    f, s = xmr([10, 12, 11, 13, 12, 11, 14, 12, 13, 30, float("nan")], improvement="decrease",
               target=20)
    d = bcf_charts.spc_description(rec, "s", f, s, "admissions")
    assert str(d) == spc_chart.describe_spc(f, s, "admissions")
    assert all(d[sp["start"]:sp["end"]] == rec.figures[sp["id"]].text for sp in d.spans)
    assert {"s.points", "s.missing", "s.mean", "s.latest", "s.target"} <= set(rec.figures)
