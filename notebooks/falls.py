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
# # Falls prevention savings: the claim rebuilt, and a defensible estimate
#
# The Better Care Fund plan told the board how many older people were admitted after a fall in
# the baseline year and in the latest year, and what the falls prevented since had saved the
# health and social care system. It did not publish the method or the years in between.
#
# **The board is asked to note** what the printed saving rests on, which assumptions reproduce
# it, and a range for the saving from a method that does not assume the baseline year would have
# repeated.

# %% tags=["parameters"]
area_code = "E08000018"  # ONS code of the area (district or unitary authority)
area_name = "Rotherham"  # the area as the board names it
period = "2012/13-2015/16"  # the years the claim covers
board = "rotherham-2017-09-20"  # key of the printed figures in data/falls/printed_figures.csv
board_name = "Rotherham Health and Wellbeing Board"  # the board
meeting_date = "2017-09-20"  # date of the meeting (ISO)
agenda_item = "15"  # agenda item of the paper
paper_title = "Better Care Fund Plan 2017-19"  # the paper's title
ask = "note"  # what the board is asked to do
baseline_year = "2011/12"  # the claim's baseline ("highest point")
pre_period = ["2010/11", "2011/12"]  # years whose mean rate starts the counterfactual
evaluation_years = ["2012/13", "2013/14", "2014/15", "2015/16"]  # years the claim sums over
later_years = ["2016/17", "2017/18"]  # years after the claim, shown too
claim_unit_cost_basis = "admission_plus_after"  # Torbay unit cost of the headline rebuild
claim_count_method = "yearly_counts"  # arithmetic of the headline rebuild
unit_cost_basis = "incremental"  # Torbay unit cost of the defensible estimate
price_year = "2017/18"  # price year of the defensible estimate's costs (GDP deflator)
falls_service_cost_year = "2017/18"  # financial year whose prices the service's cost is in
counterfactual_method = "did_ratio"  # did_ratio, did_difference or pre_period_rate
comparator_code = "E92000001"  # comparator whose trend adjusts the counterfactual
comparator_name = "England"  # its name
falls_service_annual_cost_gbp = 443977.0  # the falls service's own cost a year (£)
falls_service_cost_source = "BCF planning template, scheme 5, 2017/18"  # where that cost is from
national_start = "2011/12"  # first year of the national comparison
national_end = "2015/16"  # last year of the national comparison
confidence = 0.95  # confidence level of every interval

# %%
import json

from hwb.toolkit import charts, checks, claims, figures

from hwb.sources import data, population
from hwb.errors import DataError
from hwb.fmt import parse_number
from hwb.papers import falls
from hwb.papers.falls import evidence, tables

P = falls.FallsParams.model_validate_json(json.dumps({
    k: v for k, v in globals().items() if k in falls.FallsParams.model_fields}))
rec = figures.start_for("falls", P.board)
printed = figures.load_printed(data.path(falls.PRINTED_FILE), board=P.board)
A = falls.analyse(P, printed)
SRC_PAPER = falls.text.source_paper(P)
years_txt = f"{P.evaluation_years[0]} to {P.evaluation_years[-1]}"


# %% [markdown]
# ## What did the paper claim?

# %%
n_years = len(P.evaluation_years)
rec.record("input_count_baseline", f"admissions for falls aged 65+ in {P.baseline_year}, as "
           "printed (an input)", A.baseline_count, "admissions", 0, inputs=["admissions_2011_12"])
rec.record("input_count_final", f"admissions for falls aged 65+ in {P.evaluation_years[-1]}, as "
           "printed (an input)", A.final_count, "admissions", 0)
rec.record("claim_years", "years the claim sums over (the evaluation years)", n_years, "years", 0)
claim_total_printed = falls.printed_text(printed, "saving_total")
claim_annual_printed = falls.printed_text(printed, "saving_annual")
rec.say(f"The paper said that {{input_count_final}} people aged 65+ had an injury due to a fall "
        f"in {P.evaluation_years[-1]} against {{input_count_baseline}} in {P.baseline_year}, and "
        f"that the falls prevented over {{claim_years}} years saved close to "
        f"£{claim_total_printed}m (using the mean rate), an average of £{claim_annual_printed}m "
        "a year, using The King's Fund's Torbay costs and counting from the baseline year.")

# %%
spread = parse_number(claim_total_printed) / n_years
rec.record("printed_total_per_year", "the printed total spread over the years counted (£m)",
           spread, "GBP m", 2, method="printed total / years counted")
rec.record("printed_total_per_year_check", "the printed total per year against the printed "
           "annual average", checks.compare(spread, claim_annual_printed).reason)
both_ok = falls.consistent_totals(claim_total_printed, claim_annual_printed, n_years)
rec.record("consistent_total_low", "lowest total consistent with both printed figures (£m)",
           both_ok[0] if both_ok else float("nan"), "GBP m", 2)
rec.record("consistent_total_high", "highest total consistent with both printed figures (£m)",
           both_ok[1] if both_ok else float("nan"), "GBP m", 2)
rec.say("Spread over the {claim_years} years, the printed total is £{printed_total_per_year}m a "
        "year, not the printed annual average ({printed_total_per_year_check}). Both printed "
        "figures hold, within their rounding, only if the true total lay between "
        "£{consistent_total_low}m and £{consistent_total_high}m.")

# %% [markdown]
# The two savings figures above are quoted from the paper (they are its claim, checked in the
# figures check below); every other number is recomputed.
#
# ## How did the falls rate change?

# %%
rec.record("rate_baseline", f"{P.area_name} rate in {P.baseline_year}",
                       float(A.rates.set_index("period").loc[P.baseline_year, "area"]),
                       "per 100,000", 0)
tables.rates_chart(A)

# %%
rec.record("rate_final", f"{P.area_name} rate in {P.evaluation_years[-1]}",
           float(A.rates.set_index("period").loc[P.evaluation_years[-1], "area"]),
           "per 100,000", 0)
rec.record("rate_next", f"{P.area_name} rate in the year after the claim",
           float(A.rates.set_index("period").loc[P.later_years[0], "area"])
           if P.later_years else float("nan"), "per 100,000", 0)
rec.say(f"{P.area_name}'s rate fell from {{rate_baseline}} per 100,000 in {P.baseline_year} to "
        f"{{rate_final}} in {P.evaluation_years[-1]}; most of the fall came in a single year, and "
        f"the rate rose again to {{rate_next}} in the next year.")

# %% [markdown]
# Where the paper printed a count, the standardised rate has an interval: the year's admissions
# as a sample of the underlying risk (the national rates carry no counts, so no other year has
# one).

# %%
ri = falls.rate_intervals(A.rates, {P.baseline_year: A.baseline_count,
                                    P.evaluation_years[-1]: A.final_count}, P.confidence)
for _, r in ri.iterrows():
    fid = "rate_ci_" + r["period"].replace("/", "_")
    rec.record(fid + "_lower", f"{P.area_name} rate {r['period']}, lower limit", r["lower"],
               "per 100,000", 0, method=r["method"])
    rec.record(fid + "_upper", f"{P.area_name} rate {r['period']}, upper limit", r["upper"],
               "per 100,000", 0, method=r["method"])
tables.rate_intervals_table(A, ri)

# %% [markdown]
# ## Which yearly counts does the claim need?
#
# The paper printed counts for two years only. The counts in between are estimated from the
# standardised rate and an "effective" 65+ denominator (count divided by rate in the printed
# years), interpolated between them; the range is what the interpolation and the rounding of the
# rates allow.

# %%
tables.counts_table(A)

# %% [markdown]
# ## What is a fall admission worth, on the Torbay figures?

# %%
rec.record("price_factor", f"GDP deflator factor, {A.torbay_price_year} to {P.price_year} prices",
           A.cost_factor, "ratio", 4, method=falls.prices.CONVENTION)
for _, cost_row in A.costs.iterrows():
    rec.record(f"unit_cost_{cost_row['basis']}", f"cost per person: {cost_row['label']}",
               float(cost_row["per_person"]), "GBP", 0, method=cost_row["formula"])
tables.unit_costs_table(A)

# %% [markdown]
# ## Which unit cost and which arithmetic reproduce the printed saving?
#
# The paper says it used "the mean rate". That may mean the mean cost per person (each Torbay
# total divided by the cohort is a mean) or a mean falls rate over the years; both readings are
# tried: every unit cost below is a mean, and one arithmetic ("mean_rate") applies the years'
# mean rate. Each combination of arithmetic, count estimate (central, low, high) and unit cost
# (central, low, high) is compared with both printed figures.

# %%
rec.record("claim_falls_prevented", "falls prevented in the headline rebuild",
                A.claim_falls_prevented, "admissions", 0,
                method=falls.COUNT_METHODS[P.claim_count_method])
rec.record("saving_total", "total saving, headline rebuild (£m)", A.claim_total / 1e6,
                   "GBP m", 1, alternatives=falls.claim_alternatives(A.sensitivity, "total"),
                   method=f"{falls.COUNT_METHODS[P.claim_count_method]} x "
                          f"{falls.UNIT_COST_BASES[P.claim_unit_cost_basis][0]}")
rec.record("saving_annual", "average annual saving, headline rebuild (£m)",
                    A.claim_annual / 1e6, "GBP m", 2,
                    alternatives=falls.claim_alternatives(A.sensitivity, "annual"),
                    method="the total over the number of years")
fits = A.sensitivity[A.sensitivity["both"]]
rec.record("n_joint_fits", "combinations reproducing both printed figures", len(fits),
           "combinations", 0)
rec.record("n_combinations", "combinations tried", len(A.sensitivity), "combinations", 0)
rec.record("first_joint_fit", "the first combination reproducing both",
           fits["candidate"].iloc[0] if len(fits) else "none")
rec.say(f"Counting each year's fall from the baseline ({falls.COUNT_METHODS[P.claim_count_method]})"
        f" at {falls.UNIT_COST_BASES[P.claim_unit_cost_basis][0]} gives {{claim_falls_prevented}} "
        "falls prevented and a saving of £{saving_total}m, £{saving_annual}m a year. Of "
        "{n_combinations} combinations of arithmetic, count estimate and unit cost, the number "
        "reproducing both printed figures together is {n_joint_fits}: {first_joint_fit}.")

# %%
tables.claim_sensitivity_table(A, claim_total_printed, claim_annual_printed)

# %%
tables.joint_fits_table(A)

# %% [markdown]
# The claim counts every year's difference from the baseline year as a fall prevented: it
# assumes the baseline year would have repeated, gives the whole change to the service, and
# values each admission at gross costs that include care the person would have had anyway.
#
# ## A defensible estimate
#
# What would the admissions have been without the change? The counterfactual starts from the
# area's mean rate over the pre-period and follows the comparator's trend (difference in
# differences on the standardised rates); each year's expected admissions are that rate times the
# year's effective 65+ denominator. Each admission avoided is valued at the incremental Torbay
# cost, and the service's own cost is taken off.

# %%
tables.avoided_chart(A)

# %%
method_txt = str(A.avoided["method"].iloc[0])
tables.avoided_table(A)

# %%
sc = A.scenarios.set_index("scenario")
for scen in ("low", "central", "high"):
    rec.record(f"avoided_{scen}", f"admissions avoided {years_txt}, {scen}",
               float(sc.loc[scen, "admissions_avoided"]), "admissions", 0)
    rec.record(f"net_{scen}", f"net saving {years_txt}, {scen} (£m, {P.price_year} prices)",
               float(sc.loc[scen, "net"]) / 1e6, "GBP m", 1)
rec.record("gross_central", f"gross saving {years_txt}, central (£m)",
           float(sc.loc["central", "gross"]) / 1e6, "GBP m", 1)
rec.record("service_cost_total", f"the falls service's cost over {years_txt} (£m)",
           float(sc.loc["central", "service_cost"]) / 1e6, "GBP m", 1)
rec.record("unit_cost_used", f"cost per admission avoided ({P.unit_cost_basis}, "
           f"{P.price_year} prices)",
           float(sc.loc["central", "unit_cost"]), "GBP", 0)
tables.scenarios_table(A)

# %%
rec.record("confidence_level", "confidence level of the intervals", P.confidence * 100,
           "percent", 0)
rec.say("On this method {avoided_central} admissions were avoided over the claim's years "
        "(low {avoided_low} to high {avoided_high}: {confidence_level} " + method_txt + ", "
        "combined with the range of the estimated counts); at {unit_cost_used} each, less the "
        "service's cost of £{service_cost_total}m, the net saving is £{net_central}m (low "
        "£{net_low}m, high £{net_high}m, which also take the low and high unit cost).")

# %% [markdown]
# How much does the estimate depend on the counterfactual and the unit cost?

# %%
es = A.estimate_sensitivity
tables.estimate_sensitivity_table(A)

# %%
range_low, range_high = falls.headline_range(es)
rec.record("net_range_low", f"net saving {years_txt}, lowest over every counterfactual and unit "
           f"cost (£m, {P.price_year} prices)", range_low / 1e6, "GBP m", 1)
rec.record("net_range_high", f"net saving {years_txt}, highest over every counterfactual and "
           f"unit cost (£m, {P.price_year} prices)", range_high / 1e6, "GBP m", 1)
central_low, central_high = falls.headline_range(es, "net", "net")
rec.record("net_central_range_low", f"net saving {years_txt}, lowest central estimate over "
           f"every counterfactual and unit cost (£m, {P.price_year} prices)", central_low / 1e6,
           "GBP m", 1)
rec.record("net_central_range_high", f"net saving {years_txt}, highest central estimate over "
           f"every counterfactual and unit cost (£m, {P.price_year} prices)", central_high / 1e6,
           "GBP m", 1)
rec.say("Over every counterfactual and unit cost above, the central estimates of the net saving "
        "run from £{net_central_range_low}m to £{net_central_range_high}m, and with their "
        "intervals from £{net_range_low}m to £{net_range_high}m.")

# %% [markdown]
# ## How did other areas' falls rates change?

# %%
nat = A.national
area_row = nat[nat["area_code"] == P.area_code]
rec.record("area_pct_change", f"{P.area_name}: % change in the rate, {P.national_start} to "
           f"{P.national_end}",
           float(area_row["pct_change"].iloc[0]) if len(area_row) else float("nan"), "percent", 1)
rec.record("comparator_pct_change", f"{P.comparator_name}: % change in the rate",
           float(nat["comparator_pct_change"].iloc[0]), "percent", 1)
rec.record("area_rank", "rank of the area's fall (1 = largest)",
           int(area_row["rank"].iloc[0]) if len(area_row) else float("nan"), "", 0)
rec.record("n_areas", "districts and unitary authorities with both years", len(nat), "areas", 0)
fig3, alt3 = falls.national_chart(nat, P.area_code, P.area_name, P.comparator_name,
                                P.national_start, P.national_end)
charts.chart(fig3, f"Change in the rate of emergency admissions for falls aged 65+, "
             f"{P.national_start} to {P.national_end}, every district and unitary authority "
             f"({P.area_name} highlighted)", falls.text.SRC_RATES, alt3,
             data=nat[["area_name", "dsr_start", "dsr_end", "pct_change", "rank"]]
             .rename(columns={"area_name": "Area", "dsr_start": P.national_start,
                              "dsr_end": P.national_end, "pct_change": "% change",
                              "rank": "Rank"}), data_decimals=1)

# %%
rec.say(f"{P.area_name}'s rate changed by {{area_pct_change}} from {P.national_start} to "
        f"{P.national_end}, against {{comparator_pct_change}} for {P.comparator_name}; ranked "
        "{area_rank} of {n_areas} districts and unitary authorities (1 = the largest fall). A "
        "fall this "
        "large, mostly in one year, and followed by a rise, is as likely to reflect how "
        "admissions were recorded as how many people fell.")

# %% [markdown]
# ## Key messages

# %%
rec.say("- The printed saving cannot be rebuilt from the published figures without choosing "
        "an arithmetic and a unit cost. Combinations tried: {n_combinations}; reproducing both "
        "the total and the annual figure: {n_joint_fits} ({first_joint_fit}).\n"
        "- The claim treats the baseline year as what would otherwise have happened. That "
        "ignores the growing 65+ population, so it counts fewer falls prevented "
        "({claim_falls_prevented}) than the counterfactual does ({avoided_central}); but it "
        "values each at a gross cost ({unit_cost_admission_plus_after}) that includes care the "
        "person would have had anyway (incremental: {unit_cost_incremental}; both in the Torbay "
        "study's own prices, as the paper used them). The two errors "
        "partly cancel; neither is visible in the printed paper.\n"
        "- Assuming the falls service caused the whole fall in admissions against the "
        "counterfactual (nothing here shows that it did), and against a counterfactual that "
        "follows " + P.comparator_name + "'s trend from a pre-period rate, valued at incremental "
        "cost and net of the service's cost, the saving over the same years is £{net_central}m "
        "(£{net_low}m to £{net_high}m with the intervals on the counts); with the other "
        "counterfactuals and unit costs as well, it lies between £{net_range_low}m and "
        "£{net_range_high}m, in " + P.price_year + " prices (GDP deflator).\n"
        "- The rate rose again after the claim's last year; the saving may not persist and part "
        "of the fall may be a recording effect (see Data quality).")

# %% [markdown]
# ## Methods and definitions
#
# - **Indicator.** Emergency hospital admissions due to falls in people aged 65 and over (PHOF
#   2.24i, Fingertips 22401): directly age-standardised rates per 100,000, European Standard
#   Population 2013.
# - **Counts.** Printed counts are used where printed; other years are the rate times an
#   effective denominator (count / rate in the printed years), interpolated geometrically between
#   them and grown with the BCF template's 65+ population after the last one.
# - **Rebuilding the claim.** Falls prevented = the sum over the years of (baseline count minus
#   that year's count), and three other arithmetics; times each Torbay unit cost (total / cohort).
#   Each result is compared with the printed figure by rounding to its printed precision
#   (hwb.toolkit.checks.compare).
# - **Counterfactual.** Difference in differences on the standardised rates: the area's mean
#   pre-period rate times the comparator's rate that year over its own pre-period mean (or plus
#   the difference, by parameter).
# - **Intervals.** Poisson intervals on counts by the Fingertips rule (exact below 10 events,
#   Byar's method from 10), at the confidence level stated beside each table.
# - **Costs.** Incremental cost per admission avoided: (admission + 12 months after - 12 months
#   before) / cohort. The defensible estimate is in one price year (a parameter): the Torbay
#   costs and the service's cost are moved to it with the ONS GDP deflator (series YBGB), as the
#   Green Book does; a financial year takes the mean of its two calendar years' deflators,
#   weighted 9:3 by months. The rebuild of the claim keeps the study's own prices, as the paper
#   did. The service's own annual cost is taken off for each year.
# - **Rates' intervals.** Only in the years with a printed count: the rate times Byar's limits
#   on the count over the count (Dobson's method without the age breakdown).

# %% [markdown]
# ## Assumptions and caveats

# %%
tables.assumptions_table(A)

# %% [markdown]
# ## Data quality

# %%
den = A.counts.set_index("period")
pop_first = falls.load_population(P.area_code)
y0 = P.evaluation_years[-1]
rec.record("age_mix_factor", f"crude rate over standardised rate, {y0} (printed count / "
           "(rate x printed 65+ population))",
           float(den.loc[y0, "denominator"] / pop_first[y0]) if y0 in pop_first.index
           else float("nan"), "ratio", 3)
try:
    ons = population.population(P.area_code, 65)
except DataError as e:  # the ONS file is context only, not an input of any figure above
    ons = None
    rec.record("ons_65plus_2019", "ONS mid-2019 estimate of the 65+ population",
               f"not available ({e})")
if ons is not None:
    rec.record("ons_65plus_2019", "ONS mid-2019 estimate of the 65+ population", ons.value,
               "persons", 0, inputs=[ons.file])
rec.record("template_65plus_last", f"BCF template 65+ population, {pop_first.index[-1]} (plan)",
           float(pop_first.iloc[-1]), "persons", 0)
rec.record("falls_service_cost", "falls service expenditure 2017/18 from the template "
                 "(£000)", falls.printed_count(printed, "falls_service_expenditure") / 1000,
                 "GBP thousands", 0)
rec.say("- The national rates are rounded to whole numbers and carry no counts or intervals; "
        "the counts between the printed years are estimates (ranges shown).\n"
        "- The printed count over the standardised rate times the template's 65+ population "
        "gives {age_mix_factor}: below one, as it should be for an area with a younger 65+ "
        "population than the European standard, so the printed counts are consistent with "
        "this indicator.\n"
        "- The template's 65+ population for its last plan year is {template_65plus_last}; ONS "
        "estimated {ons_65plus_2019} in mid-2019.\n"
        "- The falls service's cost in the planning template, {falls_service_cost} thousand "
        "pounds, is checked against the plan's Table 9 in the figures check.")

# %% [markdown]
# ## Figures check

# %%
figures.show_check(rec, SRC_PAPER + "; hwb recomputation")

# %% [markdown]
# ## Claims check
#
# Every statement of the paper that the shipped data can test (`data/falls/printed_claims.csv`),
# with its verdict and the reason computed from the data.

# %%
claims_printed = claims.load_claims(data.path(falls.CLAIMS_FILE), board=P.board)
claims.show_claims(claims.check_claims(claims_printed, evidence.claims_evidence(
    A.rates, A.claim_total, spread, claim_annual_printed,
    str(falls.load_torbay()["document"].iloc[0]), claims_printed)),
    SRC_PAPER + "; hwb checks on the shipped data")
