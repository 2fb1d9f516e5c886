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
from hwb.papers.equity import sections
from hwb.papers.equity.sections import show
from hwb.toolkit.notebook import setup

params, rec, printed = setup("equity", globals())
appendix = sections.start(params, rec, printed)
show(sections.introduction(appendix))

# %%
show(sections.printed_audit(appendix))

# %%
show(sections.count_recovery(appendix))

# %%
show(sections.threshold_rule(appendix))

# %%
show(sections.expected_intervals(appendix))

# %%
show(sections.rebuilt_audit(appendix))

# %%
show(sections.cover_counts(appendix))

# %%
show(sections.which_areas(appendix))

# %%
show(sections.better_method(appendix))

# %%
show(sections.funnel(appendix))

# %% [markdown]
# ## Expected shares from national data, matched to each service's age group
#
# The expected share depends on the age group a service serves. These come from ONS
# small-area population estimates for the selected areas, for each age band.

# %%
show(sections.expected_shares(appendix))

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
show(sections.service_counts(appendix))

# %%
show(sections.postcodes(appendix))

# %% [markdown]
# ## Key messages

# %%
show(sections.key_messages(appendix))

# %% [markdown]
# ## Methods and definitions

# %%
show(sections.methods(appendix))

# %% [markdown]
# ## Assumptions and caveats

# %%
show(sections.caveats(appendix))

# %% [markdown]
# ## Data quality

# %%
show(sections.data_quality(appendix))

# %% [markdown]
# ## Figures check

# %%
show(sections.figures_check(appendix))

# %% [markdown]
# ## Claims check
#
# Every statement of the audit that the shipped data can test (`data/equity/printed_claims.csv`),
# with its verdict and the reason computed from the data.

# %%
show(sections.claims_check(appendix))
