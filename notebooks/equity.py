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
# # Equity audit: do services reach people from the most deprived areas?
#
# An equity audit asks whether a service's clients come from the most deprived areas at
# least in proportion to the share of the population living there. If the share of clients is
# significantly higher, the service is called *equitable*; if the two are statistically
# similar, *equal*; if it is significantly lower, *unequal*.
#
# **The board is asked to note** the audit's findings, how they were calculated, and what a
# more exact method says about the same services.

# %% tags=["parameters"]
area_code = "E08000018"  # ONS code of the upper-tier local authority
area_name = "Rotherham"  # the area as the board names it
period = "2015-16"  # the period of the appendix
board = "rotherham-2017-09-20"  # key of the printed figures in data/equity/
board_name = "Rotherham Health and Wellbeing Board"  # the board
meeting_date = "2017-09-20"  # date of the meeting (ISO)
agenda_item = "14"  # agenda item of the paper
paper_title = "Equity Audit (Public Health RMBC Services Equity Audit 2015-16)"  # the paper
ask = "note"  # what the board is asked to do
audit_period = "2015-16"  # the period the service counts cover
confidence = 0.95  # confidence level of every interval
reproduce_printed = True  # rebuild the printed audit of `board` from its printed percentages
services_file = "equity/rotherham_services.csv"  # service metadata of the printed audit
count_search_max_n = 3000  # largest number of clients tried when recovering counts
imd_edition = 2015  # IMD edition used to pick or rank the deprived areas
selection_by = "msoa"  # share, count, national_decile or msoa
selection_value = 3.0  # share (fraction), count or deciles for selection_by
selected_msoas = ["E02001591", "E02001593", "E02001594"]  # MSOAs when selection_by is msoa
population_year = 2017  # mid-year of the ONS small-area population estimates
age_bands = ["all ages", "0-15", "0-17", "16+", "18+"]  # age bands of the expected shares
areas_label = "Eastwood, Canklow & Town Centre, and Ferham & Masbrough"  # the areas' name
service_counts_file = ""  # service-user counts under data/ (blank: none supplied)
suppression_threshold = 5  # smallest client count shown
family_alpha = 0.05  # error rate controlled across services by the adjustment

# %%
import json
import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from IPython.display import Markdown, display

from hwb.toolkit import charts, claims, disclosure, figures

from hwb.sources import data, smallarea
from hwb.fmt import format_number
from hwb.papers import equity
from hwb.papers.equity import charts as equity_charts
from hwb.papers.equity import compute, evidence

P = equity.EquityParams.model_validate_json(json.dumps({
    k: v for k, v in globals().items() if k in equity.EquityParams.model_fields}))
if P.board:
    rec = figures.start_for("equity", P.board)
    printed, printed_text = equity.split_printed(
        figures.load_printed(data.path(equity.PRINTED_FILE), board=P.board))
else:
    printed = printed_text = None
    rec = figures.start(None)
SRC_PAPER = f"{P.board_name}, {P.meeting_date}, item {P.agenda_item}: {P.paper_title}"
SRC_POP = smallarea.SOURCES[f"sape{P.population_year}"]
SRC_IMD = smallarea.SOURCES[f"imd{P.imd_edition}"]
conf_txt = f"{P.confidence:.0%}"


def pct(v: float, d: int = 1) -> str:
    """A percentage for a table."""
    return "[x]" if v is None or (isinstance(v, float) and math.isnan(v)) else format_number(v, d)


# %%
if P.reproduce_printed:
    display(Markdown("""## The printed audit

This section runs only for a board whose audit was printed: it reads the audit's detailed
table back, finds how its intervals and thresholds were calculated, and rebuilds it."""))

# %%
if P.reproduce_printed:
    services = data.read_csv(data.path(P.services_file))
    printed_audit = equity.printed_table(printed, printed_text, services)
    cands = equity.interval_candidates()
    search = equity.method_search(printed_audit, cands, P.count_search_max_n)
    msum = equity.method_summary(search)
    best = msum.iloc[0]
    rec.record("method_best", "interval method reproducing the most printed rows",
               str(best["method"]))
    rec.record("method_best_rows", "printed rows it reproduces", int(best["rows_reproduced"]),
               "rows", 0)
    rec.record("method_rows", "printed rows of the detailed table", int(best["rows"]), "rows", 0)
    rec.record("method_candidates", "interval methods tried", len(cands), "methods", 0)
    for fid in ("methods.confidence", "methods.confidence_conventional"):
        rec.record(fid, "confidence level of every interval in this appendix (a parameter)",
                   100 * P.confidence, "percent", 0)
    rec.record("methods.small_number", "smallest client count shown in this appendix (a "
               "parameter; smaller counts are suppressed)", P.suppression_threshold, "clients", 0)
    display(charts.table(
        msum.rename(columns={"method": "Interval method and confidence level",
                             "rows_reproduced": "Rows whose percentage and interval it reproduces",
                             "rows": "Rows"}).astype(str),
        "Which interval method reproduces the printed percentages and intervals: for each "
        "method, the rows for which some whole number of clients gives the printed "
        "percentage and both printed limits.", SRC_PAPER + ", Table 3; hwb search",
        notes=[f"Counts searched: up to {P.count_search_max_n:,} clients per service."]))
    display(rec.say("Of {method_candidates} interval methods tried, {method_best} reproduces the "
                    "most rows of the detailed table: {method_best_rows} of {method_rows}."))

# %%
if P.reproduce_printed:
    display(Markdown("""A row is reproduced when a whole number of clients gives the printed percentage and both
printed limits once rounded. The row no count reproduces is shown next, with the reason."""))

# %%
if P.reproduce_printed:
    wilson = cands[f"Wilson {conf_txt}"]
    recovery = compute.count_recovery(printed_audit, printed, wilson, P.confidence, P.count_search_max_n)
    pairs, bounds, rebuilt_inputs = recovery.pairs, recovery.bounds, recovery.inputs
    printed_counts = recovery.printed_counts
    display(charts.table(recovery.table,
        f"Whole-number client counts consistent with each printed percentage and its "
        f"{conf_txt} Wilson interval.", SRC_PAPER + ", Table 3; hwb count recovery",
        notes=["'Fit after threshold check' keeps the counts whose number of clients also "
               "gives the printed threshold (column c) and its interval.",
               "Counts are given as ranges, not listed, so that no small count is shown."]))
    rec.record("rows_with_counts", "printed rows for which some whole-number count fits",
               recovery.rows_with_counts, "rows", 0)
    rec.record("rows_relaxed", "rows that fit only when trailing zeros are read as not "
               "significant", recovery.rows_relaxed, "rows", 0)
    display(rec.say("Some count fits {rows_with_counts} rows; {rows_relaxed} of them only when "
                    "limits printed with two decimals (Shared Care) are read to one."))

# %%
if P.reproduce_printed:
    display(Markdown("""## How was the threshold (column c) calculated?

Column (c) is "the expected level for the service to improve health": the smallest share of
the service's own clients whose lower limit would clear the expected share's upper limit.
The expected share's upper limit is printed rounded, so the search asks which unrounded
values reproduce every printed threshold."""))

# %%
if P.reproduce_printed:
    display(charts.table(compute.threshold_rule_table(bounds, printed_audit),
        "Threshold rule: smallest count whose Wilson lower limit is above the expected share's "
        "upper limit; the range of unrounded upper limits consistent with every printed "
        "threshold.", SRC_PAPER + ", Table 3; hwb search"))
    n_thr = int(bounds["fits"].sum())
    rec.record("threshold_rows_fit", "printed thresholds reproduced by the rule", n_thr, "rows", 0)
    adult = bounds[bounds["expected_upper"] == "8.5"]
    rec.record("adult_upper_min", "lowest unrounded upper limit of the adult expected share "
               "consistent with every adult threshold", float(adult["group_b_min"].iloc[0]),
               "percent", 3)
    rec.record("adult_upper_max", "highest such value", float(adult["group_b_max"].iloc[0]),
               "percent", 3)
    rec.record("adult_upper_as_printed", "the adult expected share's upper limit, as printed",
               float(adult["expected_upper"].iloc[0]), "percent", 1)
    by_overlap, by_point = compute.verdict_rules_reproduced(printed_audit)
    rec.record("verdict_rule_overlap", "printed verdicts reproduced by the non-overlap rule",
               by_overlap, "rows", 0)
    rec.record("verdict_rule_point", "printed verdicts reproduced by comparing the share with "
               "the expected share alone (footnote b)", by_point, "rows", 0)
    display(rec.say(
        "The rule reproduces {threshold_rows_fit} of the printed thresholds. For the adult "
        "services it does so only if the unrounded upper limit of the expected share lay "
        "between {adult_upper_min} and {adult_upper_max}, inside the printed {adult_upper_as_printed} "
        "(which is why several printed thresholds have a lower limit above the printed upper "
        "limit of the expected share). "
        "The verdicts follow the non-overlap rule of footnote (d) for {verdict_rule_overlap} "
        "rows; comparing the share with the expected share alone, as footnote (b) reads, "
        "would reproduce only {verdict_rule_point}."))

# %%
if P.reproduce_printed:
    display(Markdown("""### And the expected shares' intervals?

The expected shares are population shares, so their intervals depend on the size of the
population. For each printed expected share, this finds the population sizes for which a
Wilson interval prints as the audit's limits, beside the actual population of the age band."""))

# %%
if P.reproduce_printed:
    expected_intervals = compute.expected_interval_check(printed_audit, wilson, P.area_code, P.area_name,
                                         P.population_year)
    display(charts.table(expected_intervals, "Population sizes for which a Wilson interval reproduces each "
                         "printed expected share and its limits.",
                         f"{SRC_PAPER}, Table 3; {SRC_POP}",
                         notes=["[x] = not available: the postcode districts' populations "
                                "(2011 Census) are not shipped.",
                                "The audit used mid-2015 populations; mid-"
                                f"{P.population_year} is the nearest single-year small-area "
                                "edition shipped."]))
    rec.record("expected_rows_consistent", "printed expected shares whose interval is a Wilson "
               "interval on the band's population", int((expected_intervals["Consistent"] == "yes").sum()),
               "rows", 0)
    rec.record("expected_rows_checked", "printed expected shares checked against a population",
               int((expected_intervals["Consistent"] != "[x]").sum()), "rows", 0)
    display(rec.say("For {expected_rows_consistent} of the {expected_rows_checked} expected "
                    "shares with a small-area population, the printed interval is a Wilson "
                    "interval on a population of the band's size."))

# %%
if P.reproduce_printed:
    display(Markdown("""## The audit rebuilt

With the method found above, the table is rebuilt from one count per service (any count in
the recovered set gives the same printed figures) and the expected shares as printed."""))

# %%
if P.reproduce_printed:
    audit = compute.rebuilt_audit(rebuilt_inputs, printed_audit, P.confidence)
    printed_ids = set(printed["figure_id"]) | set(printed_text["figure_id"])
    for figure in compute.rebuilt_audit_figures(audit, printed_ids, recovery, conf_txt):
        rec.record(**figure)
    disp = compute.rebuilt_audit_display(audit, P.suppression_threshold, conf_txt)
    display(charts.table(disp, f"The audit's detailed table rebuilt: share of clients from "
                         f"{P.areas_label}, with {conf_txt} Wilson score intervals, expected "
                         "share, verdict and threshold.", SRC_PAPER + ", Table 3; hwb",
                         notes=disclosure.shorthand_notes(disp.attrs["shorthand"] or ["[c]"],
                                                          P.suppression_threshold)
                         + ["Clients: one count consistent with the printed figures, not the "
                            "service's own record."]))

# %%
if P.reproduce_printed:
    display(Markdown("""### The cover report's counts

The cover report and the summary count services at each verdict. Yorkshire Smoke Free has two
rows (setting a quit date; 4-week quitters) and one verdict cell."""))

# %%
if P.reproduce_printed:
    by_service = equity.summary_counts(audit, "service")
    by_row = equity.summary_counts(audit, "key")
    pairs_ids = [("cover.services_analysed", "analysed"), ("summary.services_analysed", "analysed"),
                 ("cover.services_equal_or_better", "equal_or_better"),
                 ("summary.services_equal_or_better", "equal_or_better"),
                 ("cover.services_equitable", "equitable"),
                 ("summary.services_higher_level", "equitable"),
                 ("summary.services_equitable", "equitable"),
                 ("cover.services_unequal", "unequal"), ("summary.services_unequal", "unequal"),
                 ("summary.services_significantly_less", "unequal"),
                 ("summary.services_equal", "equal"),
                 ("summary.services_below_expected", "below_expected")]
    for fid, k in pairs_ids:
        rec.record(fid, f"services: {k.replace('_', ' ')} (counting each service once)",
                   by_service[k], "services", 0,
                   alternatives={"counting the two smoking rows as two services": by_row[k]},
                   method="counted from the rebuilt table")
    display(charts.table(pd.DataFrame({
        "Count": list(by_service), "Each service once": [str(v) for v in by_service.values()],
        "Each row once": [str(v) for v in by_row.values()]}),
        "Services at each verdict, counted from the rebuilt table.", SRC_PAPER + "; hwb"))
    rec.record("below_expected_rows", "rows below the expected share", by_row["below_expected"],
               "rows", 0)
    rec.record("below_expected_services", "services below the expected share",
               by_service["below_expected"], "services", 0)
    display(rec.say("The paper counts {cover.services_analysed} services, which counts Yorkshire "
                    "Smoke Free once; but its 'services below the expected level' "
                    "is the number of rows ({below_expected_rows}), not of services "
                    "({below_expected_services})."))

# %%
if P.reproduce_printed:
    display(Markdown("""### Which three areas?

The audit names three MSOAs but not their codes. The parameters name three; this checks them
against the mid-2015 population the audit printed."""))

# %%
if P.reproduce_printed and P.selection_by == "msoa":
    chk = equity.mid2015_msoa_check(P.selected_msoas, P.area_code)
    rec.record("methods.msoa_population", "mid-2015 population of the three MSOAs (IoD2019 "
               "denominators, excluding prisoners)", chk["population"], "persons", 0,
               method="sum over the MSOAs' LSOAs")
    rec.record("methods.msoa_share", "their share of Rotherham's mid-2015 population",
               chk["share"], "percent", 0)
    rec.record("methods.msoa_expected", "expected share, all ages", chk["share"], "percent", 0)
    rec.record("methods.msoa_to_exceed", "share to exceed for equitable access, all ages",
               chk["share"], "percent", 0)
    rec.record("msoa_share_0_15", "their share of Rotherham's children aged 0-15, mid-2015",
               chk["share_0_15"], "percent", 1)
    display(rec.say("The three MSOAs held {methods.msoa_population} people in mid-2015 "
                    "({methods.msoa_share} of Rotherham) and {msoa_share_0_15} of its "
                    "children aged 0-15 (the audit printed {morelife.t2.expected} for MoreLife)."))

# %%
if P.reproduce_printed:
    display(Markdown("""## A better method

The overlap of two 95% intervals is a conservative test: two shares can differ significantly
while their intervals overlap. Below, each service is tested exactly against its expected
share by the exact binomial test. The expected share is a population share from ONS estimates,
a near-census count rather than a sample, so it is taken as fixed: testing it as a sample
would treat the size of the population as evidence. The p-values are adjusted for testing
every service at once (Holm for the family-wise error; Benjamini-Hochberg for the false
discovery rate) and shown to a floor: below 0.001 the digits say nothing more."""))

# %%
if P.reproduce_printed:
    services_all = data.read_csv(data.path(P.services_file), dtype=str, keep_default_na=False)
    age_matched = equity.age_matched_expected(services_all, P)
    exact = compute.better_method(audit, age_matched, P.family_alpha)
    for _, r in exact.iterrows():
        rec.record(f"{r['key']}.better.finding", f"{r['label']}: exact test, Holm-adjusted",
                   str(r["finding"]), method=str(r["test"]))
    n_diff_overlap = int(((exact["finding"] != "not significantly different")
                          & (audit["verdict"].to_numpy() == equity.EQUAL)).sum())
    rec.record("better_changed", "services the audit called Equal that differ significantly "
               "from their expected share after adjustment", n_diff_overlap, "services", 0)
    age_matched_by_key = age_matched.set_index("key")
    display(charts.table(compute.age_matched_table(audit, age_matched, P.population_year, conf_txt),
        "Expected shares matched to each service's age band, from ONS small-area population "
        "estimates for the selected MSOAs, beside the audit's.",
        f"{SRC_POP}; {smallarea.SOURCES['msoa']}; {SRC_PAPER}, Table 3",
        notes=["Services measured against postcode districts (S60, S61, S65) cannot be "
               "age-matched: no small-area definition of the districts is shipped. They are "
               "tested against the audit's expected share.",
               "Know The Score is matched to one MSOA (Eastwood), named in the service file."]))
    rec.record("agematched_health_trainers", "Health Trainers (16+): expected share matched to "
               "its own age band", float(age_matched_by_key.loc["health_trainers", "value"]), "percent", 2,
               method=f"ONS SAPE mid-{P.population_year}")
    rec.record("agematched_adults", "adult services (18+): expected share, mid-"
               f"{P.population_year}", float(age_matched_by_key.loc["rdash", "value"]), "percent", 2)
    display(rec.say("Matched to each service's age band, the adult services' expected share is "
                    "{agematched_adults} and Health Trainers' (aged 16 and over) "
                    "{agematched_health_trainers}; the audit used the same adult share for both."))
    display(charts.table(compute.exact_test_table(exact, audit, pairs, P.family_alpha),
        "Exact tests of each service's share against its expected share, adjusted for "
        "testing all services.", SRC_PAPER + "; hwb", notes=[
            "The counts are one of those recovered from the printed percentages; the range "
            "shows the p-value over every count consistent with the printed figures.",
            "Exact binomial test, two-sided (method of small p-values); the expected share "
            "is taken as fixed."]))
    display(rec.say("After adjustment, {better_changed} services the audit called Equal differ "
                    "significantly from their expected share."))

# %%
if P.reproduce_printed:
    display(Markdown("""### Funnel plot

Each service's share against its number of clients, around the expected share, with 95% and
99.8% limits (Wilson-inverted, as Fingertips draws them). Services sharing an expected share
are drawn together."""))

# %%
if P.reproduce_printed:
    funnel, funnel_points, funnel_alt = equity_charts.funnel_chart(audit)
    display(charts.chart(funnel, f"Funnel plot: share of clients from {P.areas_label} against "
                         "the number of clients, with 95% and 99.8% limits around the expected "
                         "share.", SRC_PAPER + "; hwb", funnel_alt, data=funnel_points))

# %% [markdown]
# ## Expected shares from national data, matched to each service's age group
#
# The expected share depends on the age group a service serves. These come from ONS
# small-area population estimates for the selected areas, for each age band.

# %%
sel = equity.selected_lsoas(P)
expected_shares = equity.board_expected_shares(P, sel["lsoa11_code"].tolist())
rec.record("areas_lsoas", "LSOAs in the selected areas", len(sel), "LSOAs", 0)
rec.record("areas_population", f"residents of the selected areas, mid-{P.population_year}",
           compute.areas_population(expected_shares, sel), "persons", 0)
for _, r in expected_shares.iterrows():
    rec.record(compute.band_figure_id(r["age_band"]), f"expected share, {r['age_band']}",
               float(r["value"]), "percent", 2, method=f"Wilson score, {conf_txt}")
display(charts.table(compute.expected_shares_table(expected_shares, P.area_name, conf_txt),

    f"Expected share of service users from {P.areas_label}, by age band, mid-"
    f"{P.population_year}.", f"{SRC_POP}; {SRC_IMD}; {smallarea.SOURCES['utla']}",
    notes=["The interval treats the population estimate as a binomial count (as the audit "
           "did); it is nominal, not a measure of the estimate's accuracy."]))
display(rec.say("The selected areas are {areas_lsoas} LSOAs with {areas_population} residents."))

# %% [markdown]
# ## Service counts: what to supply
#
# To audit services, supply a CSV with one row per service, age band and area:
# `service` (name), `age_band` (the ages the service serves: `18+`, `0-17`, `16+`, ...),
# `area` (the 2011 LSOA code where clients live, or `elsewhere` for clients living in the
# authority outside any listed LSOA) and `clients` (a whole number). The template is
# `data/equity/service_counts_template.csv`; name the file in the parameter
# `service_counts_file`. Each service is then compared with the expected share for its own age
# band.

# %%
if P.service_counts_file:
    counts = equity.read_service_counts(P.service_counts_file)
    sd = compute.service_count_tests(counts, sel["lsoa11_code"].tolist(), expected_shares,
                                     P.suppression_threshold, P.service_counts_file)
    display(charts.table(sd, "Services against their age-matched expected share.",
                         P.service_counts_file, notes=disclosure.shorthand_notes(
                             sd.attrs["shorthand"] or ["[c]"], P.suppression_threshold)))
else:
    template = data.read_csv(data.path(equity.TEMPLATE_FILE))
    display(charts.table(pd.DataFrame({"Column": list(template.columns), "Meaning": [
        "service name", "ages the service serves, e.g. 18+ or 0-17",
        "2011 LSOA code of the client's home, or 'elsewhere'", "number of clients"]}),
        "The service-count template (no counts have been supplied for this board).",
        "data/equity/service_counts_template.csv"))

# %%
if P.reproduce_printed:
    display(Markdown("""## The postcode lists

The audit's Appendix 1 lists the unit postcodes of each area. Each is checked against the
standard form of a UK postcode."""))

# %%
if P.reproduce_printed:
    pcs = data.read_csv(data.path(equity.POSTCODES_FILE), dtype=str)
    postcodes_checked = equity.validate_postcodes(pcs)
    rec.record("postcodes_listed", "unit postcodes listed in Appendix 1", len(postcodes_checked), "postcodes", 0)
    rec.record("postcodes_malformed", "malformed entries", int((~postcodes_checked["valid"]).sum()), "entries", 0)
    rec.record("postcodes_duplicated", "entries listed more than once",
               int(postcodes_checked["duplicate"].sum()), "entries", 0)
    display(charts.table(compute.postcode_problems(postcodes_checked),
        "Appendix 1 entries that are not valid unit postcodes, or are repeated.",
        SRC_PAPER + ", Appendix 1"))
    display(rec.say("Appendix 1 lists {postcodes_listed} entries; {postcodes_malformed} are not "
                    "valid unit postcodes and {postcodes_duplicated} are repeated."))

# %% [markdown]
# ## Key messages

# %%
if P.reproduce_printed:
    display(rec.say(
        "- The printed percentages and intervals are {method_best} intervals "
        "({method_best_rows} of {method_rows} rows reproduce exactly; "
        "{rows_relaxed} more when limits printed with two decimals are read to one).\n"
        "- The verdicts are reproduced by the non-overlap rule ({verdict_rule_overlap} rows), "
        "and the cover report's counts by counting each service once, except 'below the "
        "expected level', which counts rows.\n"
        "- An exact test, adjusted for testing every service, finds {better_changed} of the "
        "'Equal' services significantly different from their expected share."))
else:
    display(rec.say("- Expected shares for {areas_lsoas} LSOAs of {area_name_fig} are ready; "
                    "supply service counts to audit services.",
                    area_name_fig=P.area_name))

# %% [markdown]
# ## Methods and definitions
#
# - **Share of clients**: clients living in the selected areas over all clients, with a Wilson
#   score interval (Fingertips' method for proportions).
# - **Expected share**: residents of the selected areas over residents of the authority in the
#   service's age band (ONS small-area estimates).
# - **Audit verdict**: Equitable if the share's lower limit is above the expected share's upper
#   limit; Unequal if its upper limit is below the expected share's lower limit; otherwise Equal.
# - **Threshold (c)**: the smallest number of clients from the areas whose share's lower limit
#   would be above the expected share's upper limit.
# - **Better method**: exact binomial test of the clients' share against the expected share,
#   a near-census population share taken as fixed; Holm and Benjamini-Hochberg adjustments
#   across services; p-values shown to a floor of 0.001; funnel limits at 95% and 99.8%.
# - **Deprived areas**: LSOAs ranked by the national IMD rank, or MSOAs named in the parameters.
#
# ## Assumptions and caveats
#
# - Client counts for the printed audit are recovered from its percentages: they are counts
#   consistent with what was printed, not the services' records.
# - Population intervals are nominal: a population estimate is not a sample.
# - Clients may use several services, so the services are not independent groups.
#
# ## Data quality

# %%
if P.reproduce_printed:
    display(rec.say("The EHC and Know The Score thresholds cannot be reproduced by any count: "
                    "their printed intervals do not match a Wilson interval of their printed "
                    "share. The Health Trainers text quotes an 'upper CI' of the expected share "
                    "that is the threshold's lower limit."))
else:
    display(Markdown("Small-area population estimates are modelled by ONS and carry no "
                     "published interval. The LSOA-to-authority lookup is a best fit: an LSOA "
                     "straddling a boundary is counted wholly in one authority."))

# %% [markdown]
# ## Figures check

# %%
figures.show_check(rec, SRC_PAPER if P.board else "hwb")

# %% [markdown]
# ## Claims check
#
# Every statement of the audit that the shipped data can test (`data/equity/printed_claims.csv`),
# with its verdict and the reason computed from the data.

# %%
claims_printed = claims.load_claims(data.path(equity.CLAIMS_FILE), board=P.board)
claims_evidence = (evidence.claims_evidence(audit, exact, age_matched, str(best["method"]), printed,
                                            float(chk["share"]), claims_printed)
                   if P.reproduce_printed else {})
if len(claims_printed):
    display(claims.show_claims(claims.check_claims(claims_printed, claims_evidence),
                               SRC_PAPER + "; hwb checks on the shipped data"))
else:
    display(Markdown("No printed statements of this board are recorded in "
                     "`data/equity/printed_claims.csv`."))
