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
# # Falls among older people: every Health and Wellbeing Board in England
#
# Emergency hospital admissions for falls among people aged 65+ (Public Health Outcomes
# Framework indicator 2.24i, directly standardised) for every board whose authority has
# published rates: a league table with Fingertips' comparison with England and the change
# over the period, a funnel plot with limits that allow for the spread between boards,
# England's trend, and which boards have no rates and why. Each board's name links to its
# own falls appendix.

# %% tags=["parameters"]
area_code = "E92000001"  # England
area_name = "England"  # the area as named
period = "2012/13-2015/16"  # the financial years of the period (the change starts the year before)
board = ""  # no printed paper: nothing to check against print
board_name = "Every Health and Wellbeing Board in England"  # the boards covered
meeting_date = None  # no meeting
agenda_item = ""  # no agenda item
paper_title = "Falls among older people, every board"  # the paper
ask = "note"  # what the reader is asked to do
appendix_links = "../../falls"  # from this appendix's folder to the boards' falls appendices
linked = None  # area codes whose appendix exists; None links every board with rates

# %%
from IPython.display import Markdown

from hwb.papers.falls import england as paper
from hwb.toolkit import charts
from hwb.toolkit.notebook import setup

params, rec, printed = setup("national-falls", globals())
res = paper.compute(params, rec)
Markdown(f"**{board_name}**: *{paper_title}*, {period} (the change from {res.start}). The "
         f"reader is asked to **{ask}** it.")

# %% [markdown]
# ## Key messages

# %%
paper.key_messages(rec, res)

# %% [markdown]
# ## League table
#
# Every board with published rates, ranked by its directly standardised rate in the period's
# last year (1 = the highest), with Fingertips' comparison with England and the change over
# the period. Each name links to the board's own falls appendix, where its comparable
# councils and the admissions a change amounts to are.

# %%
ranked = paper.league_table(rec, res)
ranked

# %%
paper.league_words(rec, res)

# %% [markdown]
# ## Funnel plot
#
# Is a board's rate further from England's than its size, and the usual spread between
# boards, would explain?

# %%
fig, alt, chart_data = paper.funnel_chart(rec, res)
charts.chart(fig, f"Emergency admissions for falls per 100,000 aged 65+ (directly "
             f"standardised), {res.end}, against the admissions expected at England's rate, "
             f"with funnel limits around England's rate", paper.funnel_source(res), alt, chart_data)

# %%
paper.funnel_words(rec, res)

# %% [markdown]
# ## England's trend
#
# How has England's rate changed over the years the shipped file covers?

# %%
fig, trend_alt, trend_data = paper.trend_chart(rec, res)
charts.chart(fig, "Emergency admissions for falls per 100,000 aged 65+ (directly "
             "standardised), England, by financial year", paper.source(res), trend_alt,
             trend_data)

# %%
paper.trend_words(rec, res)

# %% [markdown]
# ## Coverage
#
# Which boards have no published rates for the period, and why?

# %%
missing = paper.coverage_table(res)
shown_coverage = paper.show_coverage(res)
shown_coverage

# %%
paper.coverage_words(rec, res)

# %% [markdown]
# ## Methods and definitions

# %%
Markdown(paper.methods_markdown(res))

# %% [markdown]
# ## Assumptions and caveats

# %%
Markdown(paper.caveats_markdown(res))

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
paper.claims_check(rec, res, missing, trend_data, ranked.text, shown_coverage.text, board,
                   paper.PAPER.claims)
