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
# # Equity audits: residents of England's most deprived small areas, every board
#
# An equity audit compares the share of a service's users who live in the most deprived areas
# with the share of residents who live there: the expected share if use followed population.
# For every Health and Wellbeing Board, this summary gives that expected share for England's
# most deprived tenth and fifth of small areas, for all ages and for each age band of the
# boards' audits, and the number of the board's small areas there. Each board's name links to
# its own equity appendix, where it can run its own audit with its service counts.

# %% tags=["parameters"]
area_code = "E92000001"  # England
area_name = "England"  # the area as named
period = "2019"  # the IMD edition (2019 or 2015); its population year follows
board = ""  # no printed paper: nothing to check against print
board_name = "Every Health and Wellbeing Board in England"  # the boards covered
meeting_date = None  # no meeting
agenda_item = ""  # no agenda item
paper_title = "Equity audits: residents of the most deprived areas, every board"  # the paper
ask = "note"  # what the reader is asked to do
age_bands = ["all ages", "0-15", "0-17", "16+", "18+", "65+"]  # the audits' age bands
other_edition = True  # also show the other IMD edition's shares, on the same residents
appendix_links = "../../equity"  # from this appendix's folder to the boards' equity appendices
linked = None  # area codes whose appendix exists; None links every covered board

# %%
from IPython.display import Markdown

from hwb.papers.equity import england as paper
from hwb.toolkit import charts
from hwb.toolkit.notebook import setup

params, rec, printed = setup("national-equity", globals())
res = paper.compute(params, rec)
Markdown(f"**{board_name}**: *{paper_title}*, IMD {params.imd_edition} on mid-"
         f"{params.population_year} residents. The reader is asked to **{ask}** it.")

# %% [markdown]
# ## Key messages

# %%
paper.key_messages(rec, res, params)

# %% [markdown]
# ## League table
#
# Every board, ranked by the share of its residents living in England's most deprived tenth of
# small areas (1 = the largest share). Each name links to the board's own equity appendix.

# %%
ranked = paper.league_table(rec, res, params)
ranked

# %% [markdown]
# ## Expected shares by age band
#
# The share of a service's users who would come from England's most deprived small areas if
# use followed population, for a service of each age band: the age-matched expected share a
# board's audit sets each service against.

# %%
paper.band_table(rec, res, params, "decile")

# %%
paper.band_table(rec, res, params, "quintile")

# %% [markdown]
# ## How the boards differ
#
# How are the boards' shares of residents in England's most deprived tenth spread?

# %%
fig, alt, chart_data = paper.distribution_chart(rec, res, params)
charts.chart(fig, f"Boards by the share of their residents living in England's most deprived "
             f"tenth of small areas (IMD {params.imd_edition}, mid-{params.population_year})",
             paper.source(params), alt, chart_data)

# %% [markdown]
# ## Coverage
#
# Which English upper-tier authorities have no shares, or a note, and why?

# %%
missing = paper.record_coverage(rec, res.coverage, res.links)
charts.table(missing, "Upper-tier authorities without shares or with a note",
             paper.source(params))

# %%
paper.coverage_words(rec)

# %% [markdown]
# ## Methods and definitions

# %%
Markdown(paper.methods_markdown(params))

# %% [markdown]
# ## Assumptions and caveats

# %%
Markdown(paper.caveats_markdown(params, rec.threshold))

# %% [markdown]
# ## Figures check
#
# Which printed figures does this appendix check?

# %%
paper.figures_check(rec)

# %% [markdown]
# ## Claims check
#
# Which statements does this appendix make, and do they agree with the tables and chart it
# shows? No board paper is quoted here, so any printed statement is checked in its board's own
# appendix.

# %%
paper.claims_check(rec, res, params, missing, ranked.text, paper.PAPER.claims)
