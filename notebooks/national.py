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
# # Delayed transfers of care: every Health and Wellbeing Board in England
#
# Delayed days of patients aged 18+ in one month for every upper-tier local authority, from NHS
# England's monthly series, as rates per 100,000 adults per month and per day, split by the
# organisation responsible; a funnel plot against England with limits that allow for the spread
# between authorities; England's monthly trend as an SPC chart; and the change in the rate of
# falls admissions for every district and unitary authority. Each board's name links to its own
# appendix.

# %% tags=["parameters"]
area_code = "E92000001"  # England
area_name = "England"  # the area as named
period = "2017-11"  # the period this appendix reports
board = ""  # no printed paper: nothing to check against print
board_name = "Every Health and Wellbeing Board in England"  # the boards covered
meeting_date = None  # no meeting
agenda_item = ""  # no agenda item
paper_title = "Delayed transfers of care, every board"  # the paper
ask = "note"  # what the reader is asked to do
month = "2017-11"  # the month of the league table (YYYY-MM)
appendix_links = "../../dtoc"  # from this appendix's folder to the boards' DTOC appendices
linked = None  # area codes whose appendix exists; None links every area with delayed days
falls_start = "2011/12"  # first year of the falls change
falls_end = "2015/16"  # last year of the falls change
trend_months = 24  # months of England's SPC chart, ending at the month

# %%
from IPython.display import Markdown

from hwb.papers import national as paper
from hwb.sources import phof_falls
from hwb.toolkit import charts
from hwb.toolkit.notebook import setup

params, rec, printed = setup("national", globals())
res = paper.compute(params, rec)
words = res.words
Markdown(f"**{board_name}**: *{paper_title}*, {words}. The reader is asked to **{ask}** it.")

# %% [markdown]
# ## Key messages

# %%
paper.key_messages(rec, res)

# %% [markdown]
# ## League table
#
# Every local authority, ranked by delayed patients per day per 100,000 aged 18+ (1 = most
# delays per head). Each name links to the area's own appendix for the month. The same table
# in other orders follows it, each behind a "sorted by" heading.

# %%
ranked, other_orders = paper.league_tables(rec, res)
ranked

# %%
other_orders

# %% [markdown]
# ## Funnel plot
#
# Is an authority's rate further from England's than its size, and the usual spread between
# authorities, would explain?

# %%
fig, alt, chart_data = paper.funnel_chart(res)
charts.chart(fig, f"Delayed patients per day per 100,000 aged 18+ against population aged "
             f"18+, {words}, with funnel limits around England's rate", paper.sources(res), alt,
             chart_data, data_decimals=2)

# %%
paper.funnel_words(rec, res)

# %% [markdown]
# ## England's monthly trend
#
# Is England's rate of delays changing, or varying as it usually does (NHS England's *Making
# Data Count* SPC chart)?

# %%
fig, trend_alt, trend_data = paper.trend_chart(res)
charts.chart(fig, f"Patients delayed per day per 100,000 aged 18+, England, by month, "
             f"{res.spc['first']} to {res.spc['last']}", paper.sources(res), trend_alt, trend_data)

# %%
paper.trend_words(rec, res)

# %% [markdown]
# ## Falls context
#
# How did the rate of emergency admissions for falls among people aged 65+ change in every
# district and unitary authority, set against England?

# %%
falls = res.falls
charts.chart(falls["figure"], f"Change in the directly standardised rate of emergency "
             f"admissions for falls, aged 65+, {falls_start} to {falls_end}, every district and "
             f"unitary authority", f"Public Health Outcomes Framework indicator 2.24i, "
             f"Fingertips (data/{phof_falls.NATIONAL_FILE})", falls["alt"], falls["data"])

# %%
paper.falls_words(rec, res, falls_start, falls_end)

# %% [markdown]
# ## Coverage
#
# Which English upper-tier authorities have no row, no rate or no appendix for the month, and why?

# %%
missing = paper.record_coverage(rec, res.coverage, res.links, month)
charts.table(missing, f"Upper-tier authorities without an appendix for {words}",
             f"data/{paper.dtoc.RESPONSIBLE_FILE}; {paper.population_files(res)}")

# %%
paper.coverage_words(rec)

# %% [markdown]
# ## Methods and definitions

# %%
Markdown(paper.methods_markdown(res))

# %% [markdown]
# ## Assumptions and caveats

# %%
Markdown(paper.caveats_markdown(res))

# %% [markdown]
# ## Data quality

# %%
paper.quality_words(rec)

# %% [markdown]
# ## Figures check
#
# Which printed figures does this appendix check?

# %%
paper.figures_check(rec)

# %% [markdown]
# ## Claims check
#
# Which statements does this appendix make, and do they agree with the tables and charts it
# shows? No board paper is quoted here, so any printed statement is checked in its board's own
# appendix.

# %%
paper.claims_check(rec, res, missing, falls["data"], trend_data, ranked.text, board,
                   paper.PAPER.claims)
