# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: hwb
#     language: python
#     name: hwb
# ---

# %% [markdown]
# # Better Care Fund 2017-19: the metrics and the money, reproduced and reconciled
#
# The board received a paper on its Better Care Fund (BCF) for 2017-19: a plan with the national
# metrics it is judged by, or the agreement that pools the money between the NHS and the council,
# and how that money is spent. This appendix recomputes every printed figure that can be
# recomputed from the paper's own parts or from published national data, and shows where the
# printed figures do not agree. Table 1 says which metrics this board's paper printed.
#
# **The board is asked to note** which printed figures reproduce, which differ and why, and the
# remainders left when the money is reconciled.

# %% tags=["parameters"]
area_code = "E08000018"  # ONS code of the Health and Wellbeing Board's area
area_name = "Rotherham"  # the area as the board names it
period = "2017-19"  # the plan period
board = "rotherham-2017-09-20"  # key of the printed figures in data/bcf/printed_figures.csv
board_name = "Rotherham Health and Wellbeing Board"  # the board
meeting_date = "2017-09-20"  # date of the meeting (ISO)
agenda_item = "15 and 15A"  # agenda item(s) of the paper
paper_title = "Better Care Fund Plan 2017-19 and Improved Better Care Fund 2017-19"  # the paper
ask = "note"  # what the board is asked to do
plan_years = ["2017/18", "2018/19"]  # financial years of the plan
metrics_published = ["nea", "res65", "reab91", "dtoc"]  # metrics the paper printed
money_tables = ["template", "narrative", "ibcf"]  # money tables the paper printed
confidence = 0.95  # confidence level of every interval

# %%
import json

import pandas as pd
from IPython.display import display

from hwb.sources import ccg_hwb, data

from hwb.toolkit import charts, claims, figures
from hwb.fmt import format_number
from hwb.papers import bcf
from hwb.papers.bcf import charts as bcf_charts
from hwb.papers.bcf import evidence as bcf_evidence

P = bcf.BcfParams.model_validate_json(json.dumps({
    k: v for k, v in globals().items() if k in bcf.BcfParams.model_fields}))
rec = figures.start_for("bcf", P.board)
printed = bcf.load_printed(P.board)
SRC_PAPER = f"{P.board_name}, {P.meeting_date}, item {P.agenda_item}: {P.paper_title}"
SRC_DTOC = ("NHS England, Delayed Transfers of Care monthly situation reports, total delayed days "
            "by local authority (revised 2019)")
CONF_TXT = f"{P.confidence:.0%}"
found: list[bcf.Check] = []


def show_checks(cs: list[bcf.Check]) -> None:
    """Record each check (compared with its printed figure) and keep it for the checks table."""
    for c in cs:
        rec.record(**c.record_kwargs())
    found.extend(cs)


def gbp(v: float) -> str:
    """Pounds for tables ([x] when undefined)."""
    return format_number(v, 0, "GBP")


# %% [markdown]
# ## The metrics
#
# The BCF is judged on four national metrics. Where a board's paper includes NHS England's planning
# template, the template prints for each a numerator, a denominator and the rate or proportion,
# for the last actual year and for each planned period, and its summary tab prints the plan again
# at lower precision. Each rate is recomputed here from its printed parts. An actual rate of
# independent events gets an interval showing the chance variation expected around a count of
# that size; plans, and delayed days, get none.

# %%
metric_status = pd.DataFrame([
    {"Metric": bcf.METRICS[m]["title"], "Definition": bcf.METRICS[m]["definition"],
     "Direction of good": bcf.METRICS[m]["good"] + " is better",
     "In this paper": rec.record(f"published.{m}", f"Whether the paper printed: "
                                 f"{bcf.METRICS[m]['title']}",
                                 "printed" if m in P.metrics_published else
                                 "not published in this board's paper").text}
    for m in ("nea", "res65", "reab91", "dtoc")])
charts.table(metric_status, "The four BCF metrics: definitions as in the planning requirements, "
             "direction of good, and whether this board's paper printed them.", SRC_PAPER)

# %% [markdown]
# ### Non-elective admissions
#
# A board's plan for non-elective admissions is the CCGs' plans apportioned to its area with the
# national CCG-to-HWB mapping. The CCG plans themselves are not printed, so the quarters are taken
# as printed; the annual totals, the plan after any additional reduction, the reduction
# percentages and the value of the reduction are recomputed.

# %%
if "nea" in P.metrics_published:
    nea_checks = bcf.nea_checks(printed, P.plan_years)
    show_checks(nea_checks)
    nea_chart = bcf_charts.nea_chart(printed, SRC_PAPER)
else:
    nea_chart = rec.say("Non-elective admissions were {published.nea}.")
nea_chart

# %% [markdown]
# Actual non-elective admissions are neither printed nor in the project's data, so plan against
# actual cannot be shown for this metric.

# %% [markdown]
# ### Rates and proportions with their intervals

# %%
metric_tables = {}
for mi in ("res65", "reab91", "dtoc"):
    if mi in P.metrics_published:
        show_checks(bcf.metric_checks(printed, mi))
        metric_tables[mi] = bcf.with_intervals(bcf.metric_frame(printed, mi), mi, P.confidence)
interval_rows = []
for mi, ti in metric_tables.items():
    spec_i = bcf.METRICS[mi]
    for _, ri in ti.iterrows():
        pid_i = ri["period"].replace("/", "-").replace(" ", "").lower()
        for end in ("lower", "upper") if pd.notna(ri["lower"]) else ():
            rec.record(f"{mi}.{pid_i}.{end}", f"{spec_i['title']}, {ri['period']} {ri['kind']}: "
                       f"{end} {CONF_TXT} confidence limit", ri[end], "", spec_i["decimals"],
                       method=f"{ri['method']}, {CONF_TXT}")
        interval_rows.append({
            "Metric": spec_i["title"], "Period": ri["period"], "Actual or plan": ri["kind"],
            "Numerator": format_number(ri["numerator"], 0),
            "Denominator": format_number(ri["denominator"], 0), "Printed": ri["printed"],
            "Recomputed": format_number(ri["value"], spec_i["decimals"] + 2),
            f"Lower {CONF_TXT}": format_number(ri["lower"], spec_i["decimals"]),
            f"Upper {CONF_TXT}": format_number(ri["upper"], spec_i["decimals"]),
            "Method": f"{ri['method']} ({ri['statistic']})"})
charts.table(pd.DataFrame(interval_rows),
             f"Each printed rate or proportion recomputed from its printed numerator and "
             f"denominator, with a {CONF_TXT} confidence interval where a sampling model holds "
             f"(Wilson score for proportions; Byar, or exact Poisson below 10 events, for rates "
             f"of independent events).", SRC_PAPER,
             notes=["[x]: no interval. A plan is a target, not an observation, so it carries no "
                    "interval; delayed days are not independent events (one person delayed for "
                    "a month is some thirty delayed days), so no Poisson interval fits them."]
             ) if interval_rows else rec.say("No rates or proportions were printed: "
                                             "residential admissions {published.res65}, "
                                             "reablement {published.reab91}, delayed transfers "
                                             "{published.dtoc}.")

# %% [markdown]
# ### Delayed transfers of care: plan against actual
#
# Where the template was printed, its actual-year numerators are checked against NHS England's
# published delayed days, and for the plan years the actual delayed days published afterwards are
# set against the trajectory, on the template's own 18+ populations.

# %%
if "dtoc" in P.metrics_published:
    dtoc_q = bcf.dtoc_actuals(P.area_code)
    show_checks(bcf.dtoc_actual_checks(printed, dtoc_q))
    if "template" in P.money_tables:
        show_checks([bcf.dtoc_gap_check(printed, P.area_code)])
    pva = bcf.dtoc_plan_vs_actual(printed, dtoc_q)
    for _, rd in pva[pva["kind"] == "plan"].iterrows():
        pid_d = rd["period"].replace("/", "-").replace(" ", "").lower()
        rec.record(f"dtoc.actual_rate.{pid_d}", f"Actual delayed days per 100,000 aged 18+, "
                   f"{rd['period']}", rd["actual_rate"], "", 1,
                   method="NHS England delayed days / the template's 18+ population x 100,000")
    plan_q = pva[pva["kind"] == "plan"].dropna(subset=["actual_rate"])
    rec.record("dtoc.quarters_planned", "Planned quarters with published actual delays",
               len(plan_q))
    rec.record("dtoc.quarters_above_plan", "Planned quarters whose actual delays were above the "
               "plan (lower is better)", int((plan_q["difference"] > 0).sum()))
    display(rec.say("Of the {dtoc.quarters_planned} planned quarters with published actuals, "
                    "{dtoc.quarters_above_plan} had more delays than planned. These are plain "
                    "differences: no interval is put around delayed days, which are not "
                    "independent events, and none around a plan. Whether the monthly delays "
                    "show special cause variation is a question for a statistical process "
                    "control chart of the monthly series (NHS England, Making Data Count), "
                    "which the board's delayed transfers appendix shows."))
    per_day = bcf.dtoc_per_day(pva)
    expectation = bcf.value(printed, "dtoc_people_delayed_per_100k_adults", "2017-09",
                            contains="total")
    plan_days = per_day[per_day["kind"] == "plan"]
    rec.record("dtoc.plan_per_day.max", "Highest planned quarter, as people delayed on an average "
               "day per 100,000 aged 18+", plan_days["template_per_day"].max(), "", 1,
               method="planned quarterly rate / days in the quarter")
    rec.record("dtoc.plan_per_day.min", "Lowest planned quarter, as people delayed on an average "
               "day per 100,000 aged 18+", plan_days["template_per_day"].min(), "", 1,
               method="planned quarterly rate / days in the quarter")
    rec.record("dtoc.expectation", "National expectation: people delayed per 100,000 adults",
               expectation, "", 1, method="as printed in the plan's narrative")
    display(rec.say("As an average per day, the planned quarters range from "
                    "{dtoc.plan_per_day.min} to {dtoc.plan_per_day.max} people delayed per "
                    "100,000 aged 18+, against the national expectation of not more than "
                    "{dtoc.expectation}."))
    dtoc_chart = bcf_charts.dtoc_chart(pva, f"{SRC_PAPER}; {SRC_DTOC}")
else:
    dtoc_chart = rec.say("Delayed transfers of care were {published.dtoc} (the board's DTOC "
                         "paper reports them).")
dtoc_chart

# %%
traj_charts = [bcf_charts.metric_chart(metric_tables[mt], bcf.METRICS[mt], SRC_PAPER, CONF_TXT)
               if mt in metric_tables else rec.say(f"{bcf.METRICS[mt]['title']}: "
                                                   f"{{published.{mt}}}.")
               for mt in ("res65", "reab91")]
for ct in traj_charts:
    display(ct)

# %% [markdown]
# Actual residential admissions and reablement outcomes for the plan years (ASCOF returns) are not
# in the project's data, so for these two metrics only the printed actual year is shown against
# the plans.
#
# ### What the narrative says about the metrics
#
# Where a plan's narrative quotes counts, rates and targets, each is set against the template, and a
# rate quoted without its population is recomputed with every 65+ population the template printed.

# %%
if "res65" in P.metrics_published:
    narrative_checks = bcf.narrative_metric_checks(printed)
    show_checks(narrative_checks)
    narrative_tbl = bcf.checks_frame(narrative_checks)
else:
    narrative_tbl = pd.DataFrame(columns=["figure", "what", "check", "status", "reason"])
charts.table(narrative_tbl, "Narrative figures about the metrics against the template.",
             SRC_PAPER) if len(narrative_tbl) else rec.say(
    "The paper printed no narrative about the metrics: residential admissions "
    "{published.res65}.")

# %% [markdown]
# ## The money
#
# ### Funding, expenditure by scheme and the pooled budget

# %%
if "template" in P.money_tables:
    schemes = bcf.load_schemes()
    show_checks(bcf.money_checks_rotherham(printed, schemes, P.plan_years))
    funding = bcf.funding_by_source(printed, P.plan_years)
    display(charts.table(funding.assign(**{y: funding[y].map(gbp) for y in P.plan_years}),
                         "Funding by source (template tab 2), as printed.", SRC_PAPER))
    recon = bcf.explain_remainders(bcf.reconcile(printed, schemes, P.plan_years), printed,
                                   schemes)
    rec.record("remainders.unexplained", "Reconciliation remainders equal to no other figure",
               int((recon["explained_by"] == "unexplained").sum()))
    for _, rm in recon.iterrows():
        if rm["source"] == "Total BCF pooled budget":
            rec.record(f"remainder.pooled.{rm['year'].replace('/', '-')}",
                       f"Pooled budget less the printed scheme lines, {rm['year']}",
                       rm["remainder"], "GBP", 0, method="tab 2 pooled budget - sum of tab 3 lines")
    money_tbl = charts.table(
        recon.assign(funding=recon["funding"].map(gbp), expenditure=recon["expenditure"].map(gbp),
                     remainder=recon["remainder"].map(gbp))[
            ["source", "year", "funding", "expenditure", "remainder", "explained_by"]],
        "Funding by source (template tab 2) against the scheme lines naming that source "
        "(tab 3), with the remainder and the other figure it equals.", SRC_PAPER,
        notes=["[x]: the scheme lines name a source that is not one of tab 2's funding lines."])
else:
    money_tbl = rec.say("This board's paper printed no planning template.")
money_tbl

# %%
if "template" in P.money_tables:
    areas = bcf.area_remainders(printed, schemes, P.plan_years)
    area_tbl = charts.table(
        areas.assign(summary=areas["summary"].map(gbp), schemes=areas["schemes"].map(gbp),
                     remainder=areas["remainder"].map(gbp))[
            ["area", "year", "summary", "schemes", "remainder"]],
        "Expenditure by area of spend: the summary tab against the printed scheme lines.",
        SRC_PAPER, notes=["A remainder is spending the summary tab counts that no printed "
                          "scheme line carries."])
    sch_show = schemes.assign(expenditure=schemes["expenditure"].map(gbp))[
        ["scheme_id", "scheme_name", "scheme_type", "area_of_spend", "commissioner", "provider",
         "source_of_funding", "duration", "year", "expenditure"]]
    display(area_tbl)
    answers = data.read_csv(data.path(bcf.ANSWERS_FILE), dtype=str)
    display(charts.table(answers[answers["area"] == P.area_name][
        ["question_key", "category", "period", "answer", "line"]].rename(columns={
            "question_key": "Question", "category": "Detail", "period": "Year",
            "answer": "Answer as printed", "line": "Line"}),
        "The template's yes/no answers: national conditions and specific funding requirements.",
        SRC_PAPER))
    conflicts = bcf.duration_conflicts(schemes)
    rec.record("schemes.duration_conflicts", "Scheme lines whose duration contradicts their "
               "expenditure", len(conflicts))
    if len(conflicts):
        display(charts.table(conflicts.assign(expenditure=conflicts["expenditure"].map(gbp)),
                             "Scheme lines with expenditure in a year their stated duration "
                             "excludes.", SRC_PAPER))
    display(charts.table(sch_show, "Every scheme line of the expenditure plan (template tab 3).",
                         SRC_PAPER))

# %% [markdown]
# ### The plan's narrative tables, the Improved BCF and the risk register

# %%
if "narrative" in P.money_tables:
    show_checks(bcf.table8_checks(printed))
    show_checks(bcf.table9_vs_template(printed, schemes))
    show_checks(bcf.table9_checks(printed, bcf.row(printed, "bcf_income", P.plan_years[0],
                                                   contains="Total BCF pooled")))
    show_checks(bcf.risk_checks(printed))
if "ibcf" in P.money_tables:
    show_checks(bcf.ibcf_checks(printed, schemes))
    ibcf_rec = bcf.ibcf_reconcile(printed, schemes)
    for i_ib, r_ib in ibcf_rec.iterrows():
        rec.record(f"ibcf.remainder.{i_ib}", f"{r_ib['allocation']} less {r_ib['uses']}",
                   r_ib["remainder"], "GBP", 0, method="allocation - sum of the itemised uses")
    display(charts.table(
        ibcf_rec.assign(amount=ibcf_rec["amount"].map(gbp), itemised=ibcf_rec["itemised"].map(gbp),
                        remainder=ibcf_rec["remainder"].map(gbp)),
        "Improved BCF 2017/18: each allocation against the uses itemised for it, with the "
        "remainder.", SRC_PAPER,
        notes=["Table 9's 'Improved BCF Contingency Fund' is compared with the first remainder in "
               "the figures check."]))
    uses = bcf.ibcf_uses(printed)
    display(charts.table(uses.assign(amount=uses["amount"].map(gbp))[["section", "item",
                                                                      "amount"]],
                         "The Improved BCF's itemised uses (item 15A).", SRC_PAPER))

# %% [markdown]
# ### Section 75 contributions and the HART reablement split

# %%
if "hart" in P.money_tables:
    show_checks(bcf.leics_checks(printed))
    s75 = printed[printed["measure"] == "s75_financial_contribution"][["category", "value"]]
    display(charts.table(s75.rename(columns={"category": "Funding line | partner",
                                             "value": "Contribution 2017/18 (£)"}),
                         "Section 75 schedule of financial contributions to the pooled fund, "
                         "2017/18, as printed.", SRC_PAPER))
    hart = bcf.hart_table(printed)
    basis = bcf.hart_basis(hart)
    for p_name, b in basis.items():
        rec.record(f"hart.basis.{p_name.split()[1].lower()}",
                   f"Basis that reproduces the printed HART share of {p_name}",
                   ", ".join(b) or "none of referrals, hours or cost",
                   method="hwb.toolkit.checks.which_denominator on each basis")
    hart_show = hart.copy()
    for col in ("referrals", "hours"):
        hart_show[col] = hart_show[col].map(lambda v: format_number(v, 0))
    hart_show["cost"] = hart_show["cost"].map(gbp)
    for col in ("share_referrals", "share_hours", "share_cost"):
        hart_show[col] = hart_show[col].map(lambda v: format_number(v, 2, "percent"))
    hart_show["cost_per_hour"] = hart_show["cost_per_hour"].map(lambda v: format_number(v, 2,
                                                                                       "GBP"))
    hart_tbl = charts.table(hart_show, "HART reablement 2017/18: each partner's printed share "
                            "beside its share of referrals, of hours and of cost.", SRC_PAPER)
else:
    hart_tbl = rec.say("This board's paper printed no s75 schedule.")
hart_tbl

# %%
if "hart" in P.money_tables:
    hart_say = rec.say("The printed HART shares of the two CCGs are their shares of reablement "
                       "hours (West: {hart.basis.west}; East: {hart.basis.east}); the council's "
                       "share is {hart.basis.county}, not its share of hours or of cost.")
else:
    hart_say = rec.say("No HART split was printed for this board.")
hart_say

# %% [markdown]
# ## CCG to HWB
#
# The non-elective admissions plan and the CCG contributions are set per CCG; the national mapping
# in the template says how each CCG's population divides between boards. Each board's and each
# CCG's shares should sum to 100, within the rounding of one-decimal shares.

# %%
mapping = ccg_hwb.load_mapping()
hwb_shares = ccg_hwb.share_check(mapping, "hwb")
ccg_shares = ccg_hwb.share_check(mapping, "ccg")
for who, tm in (("hwb", hwb_shares), ("ccg", ccg_shares)):
    rec.record(f"mapping.{who}.n", f"{who.upper()}s in the mapping", len(tm))
    rec.record(f"mapping.{who}.differs", f"{who.upper()}s whose shares do not sum to 100 within "
               "rounding", int((tm["status"] == "differs").sum()))
own = ccg_hwb.ccgs_of(mapping, P.area_code)
own_total = hwb_shares.set_index("code").loc[P.area_code]
rec.record("mapping.own.total", f"Sum of {P.area_name}'s shares by CCG", own_total["total"],
           "percent", 1, method="sum of the printed % of HWB in CCG")
display(rec.say("The mapping lists {mapping.hwb.n} boards and {mapping.ccg.n} CCGs; "
                "{mapping.hwb.differs} boards and {mapping.ccg.differs} CCGs have shares that do "
                "not sum to 100 within rounding. The area's own shares sum to "
                "{mapping.own.total}."))
charts.table(own[["ccg_code", "ccg_name", "pct_ccg_in_hwb", "pct_hwb_in_ccg"]].rename(columns={
    "ccg_code": "CCG", "ccg_name": "Name", "pct_ccg_in_hwb": "% of the CCG in the area",
    "pct_hwb_in_ccg": "% of the area in the CCG"}),
    f"CCGs serving {P.area_name} (CCG to Health and Well-Being Board mapping for 2017-19).",
    "NHS England, BCF 2017-19 planning template, CCG - HWB mapping tab (NHAIS data supplied by "
    "NHS Digital)")

# %% [markdown]
# ## Key messages

# %%
summary = rec.summary()
rec.record("n.reproduced", "printed figures reproduced", summary["reproduced"])
rec.record("n.rounding", "printed figures that differ only by rounding", summary["rounding"])
rec.record("n.differs", "printed figures that differ", summary["differs"])
rec.record("n.not_compared", "printed figures not compared (inputs or out of scope)",
           summary["not compared"])
if "template" in P.money_tables:
    display(rec.say("* The 2017/18 pooled budget is larger than the printed scheme lines by "
                    "{remainder.pooled.2017-18}: iBCF spending the summary tab counts but no "
                    "printed scheme line carries. In 2018/19 the remainder is "
                    "{remainder.pooled.2018-19}. Every other remainder of the reconciliation "
                    "equals another printed amount (remainders left unexplained: "
                    "{remainders.unexplained}).\n"
                    "* The Spring Budget grant less the uses itemised in item 15A leaves "
                    "{ibcf.remainder.0}, the plan's Improved BCF contingency fund."))
if "dtoc" in P.metrics_published:
    display(rec.say("* Delayed transfers: {dtoc.quarters_above_plan} of the "
                    "{dtoc.quarters_planned} planned quarters with published actuals had more "
                    "delays than planned."))
rec.say("Of the printed figures, {n.reproduced} reproduce exactly, {n.rounding} differ only by "
        "rounding and {n.differs} differ; {n.not_compared} are inputs to the recomputation or "
        "cannot be recomputed (each with its reason in the figures check).")

# %% [markdown]
# ## Methods and definitions
#
# * Rates are the numerator divided by the denominator, times 100,000 (residential admissions,
#   delayed days) or 100 (reablement), rounded half away from zero to the printed decimals.
# * Intervals follow OHID Fingertips technical guidance: Wilson score for proportions; Byar's
#   method (exact Poisson below 10 events) for rates. The confidence level is stated beside each.
#   They are shown only for actual figures counting independent events: plans and targets carry
#   no interval, and delayed days (not independent) none.
# * Plan against actual is a plain difference; no statement about a difference rests on an
#   interval. Every chart's value axis starts at zero.
# * Totals are checked against the sum of their printed parts, allowing for the rounding of the
#   parts; the same figure printed twice is checked at the coarser precision; where a printed
#   figure differs, each other way the paper might have computed it is tried and named.
# * Scheme expenditure is summed by area of spend (the "(specify: ...)" note dropped), by source
#   of funding and, for NHS-commissioned out-of-hospital spend, over CCG-commissioned lines
#   funded from the CCG minimum.
#
# ## Assumptions and caveats
#
# * The CCG non-elective admission plans and the 2014-based population projections used by the
#   template are not published with the paper; those printed figures are inputs here.
# * Plan years' delayed days are compared on the template's own populations.
#
# ## Data quality
#
# * Inputs with no independent source are listed as "not compared" in the figures check, each with
#   its reason.
# * Scheme lines whose stated duration contradicts their expenditure are listed under the money
#   tables.
# * Some template values sit one row or column away from their label in the published text; where
#   a placement was inferred the printed-figures file says so, and the recomputation from the
#   scheme lines tests it.

# %% [markdown]
# ## Figures check

# %%
charts.table(bcf.checks_frame(found), "Every comparison made: the generic check behind each "
             "recomputed figure.", SRC_PAPER)

# %%
figures.show_check(rec, SRC_PAPER)

# %% [markdown]
# ## Claims check
#
# Every statement of the paper that the shipped data can test (`data/bcf/printed_claims.csv`),
# with its verdict and the reason computed from the data, or why it cannot be tested.

# %%
claims.show_claims(bcf_evidence.check_board_claims(printed, P.board, P.meeting_date,
                                                   P.confidence), SRC_PAPER)
