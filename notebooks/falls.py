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
# # Falls among older people: the published rates, and what a claimed saving rests on
#
# How have emergency admissions for falls among people aged 65 and over changed in the area,
# against England and comparable councils? Where the board's paper claimed a saving from falls
# prevented: what does the printed saving rest on, which assumptions reproduce it, and what range
# does a method give that does not assume the baseline year would have repeated?

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
import hwb.toolkit.notebook
from hwb.papers.falls import sections
from hwb.papers.falls.board import compute

params, rec, printed = hwb.toolkit.notebook.setup("falls", globals())
run = compute(params, printed)
sections.question(run)

# %% [markdown]
# ## What did the paper claim?

# %%
sections.claim(rec, run)

# %%
sections.claim_consistency(rec, run)

# %% [markdown]
# ## How did the falls rate change?

# %%
sections.rates_chart(rec, run)

# %%
sections.rate_change(rec, run)

# %% [markdown]
# Where the paper printed a count, the standardised rate has an interval: the year's admissions
# as a sample of the underlying risk (the national rates carry no counts, so no other year has
# one).

# %%
sections.rate_intervals_table(rec, run)

# %% [markdown]
# ## How did the districts' falls rates change?
#
# For a shire county: each of its districts' published rates, since the county's own is not in
# the shipped file.

# %%
from hwb.papers.falls import districts

county = districts.county_districts(params)
districts.words(rec, run, county)

# %%
districts.chart(rec, run, county)

# %%
districts.rates_table(rec, run, county)

# %%
districts.compared_table(run, county)

# %% [markdown]
# ## Which yearly counts does the claim need?
#
# A saving from falls prevented needs a count for every year. Where a paper printed counts for
# some years only, the counts in between are estimated from the standardised rate and an
# "effective" 65+ denominator (count divided by rate in the printed years), interpolated between
# them; the range is what the interpolation and the rounding of the rates allow.

# %%
sections.counts(rec, run)

# %% [markdown]
# ## What is a fall admission worth, on the Torbay figures?

# %%
sections.unit_costs(rec, run)

# %% [markdown]
# ## Which unit cost and which arithmetic reproduce the printed saving?

# %%
sections.claim_rebuild(rec, run)

# %%
sections.claim_sensitivity(run)

# %%
sections.joint_fits(run)

# %% [markdown]
# ## A defensible estimate

# %%
sections.estimate_method(run)

# %%
sections.avoided_chart(rec, run)

# %%
sections.avoided_table(rec, run)

# %%
sections.scenarios(rec, run)

# %%
sections.scenarios_words(rec, run)

# %% [markdown]
# How much does the estimate depend on the counterfactual and the unit cost?

# %%
sections.estimate_sensitivity(rec, run)

# %%
sections.estimate_sensitivity_words(rec, run)

# %% [markdown]
# ## How did other areas' falls rates change?

# %%
sections.national(rec, run)

# %%
sections.national_words(rec, run)

# %% [markdown]
# ## How did comparable councils' falls rates change?
#
# The board's comparable councils are CIPFA's nearest neighbours: councils alike in population,
# deprivation and services, from a model named with its vintage beside the table.

# %%
sections.neighbours(rec, run)

# %%
sections.neighbours_words(rec, run)

# %% [markdown]
# ## Key messages

# %%
sections.key_messages(rec, run)

# %% [markdown]
# ## Methods and definitions

# %%
sections.methods(run)

# %% [markdown]
# ## Assumptions and caveats

# %%
sections.assumptions(run)

# %% [markdown]
# ## Data quality

# %%
sections.data_quality(rec, run)

# %% [markdown]
# ## Figures check

# %%
sections.figures_check(rec, run)

# %% [markdown]
# ## Claims check
#
# Every statement of the paper that the shipped data can test, with its verdict and the reason
# computed from the data.

# %%
sections.claims_check(run)
