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
# # Better Care Fund 2017-19: actual performance of every Health and Wellbeing Board
#
# The four national metrics of the 2017-19 Better Care Fund for every board: non-elective
# admissions (NHS England's Monthly Activity Return, apportioned from CCGs with the plans' own
# mapping) and delayed transfers of care, as rates per 100,000 with funnel plots against
# England; residential admissions and reablement (ASCOF 2A(2) and 2B(1), published values
# only); England's quarterly non-elective admissions as an SPC chart; and which boards have no
# value, and why. Each board's name links to its own BCF appendix.

# %% tags=["parameters"]
area_code = "E92000001"  # England
area_name = "England"  # the area as named
period = "2017-19"  # the plan period (the boards' appendices' period)
board = ""  # no printed paper: nothing to check against print
board_name = "Every Health and Wellbeing Board in England"  # the boards covered
meeting_date = None  # no meeting
agenda_item = ""  # no agenda item
paper_title = "Better Care Fund 2017-19 actual performance, every board"  # the paper
ask = "note"  # what the reader is asked to do
year = "2018/19"  # the financial year of the admissions and delayed days tables
appendix_links = "../../bcf"  # from this appendix's folder to the boards' BCF appendices
linked = None  # area codes whose appendix exists; None links every board

# %%
from IPython.display import Markdown, display

from hwb.papers.bcf import england as paper
from hwb.toolkit import charts
from hwb.toolkit.notebook import setup

params, rec, printed = setup("national-bcf", globals())
res = paper.compute(params, rec)


def show(outputs: list) -> None:
    """Display each output of a section in turn."""
    for out in outputs:
        display(out)


Markdown(f"**{board_name}**: *{paper_title}*, {year} (ASCOF 2018/19). The reader is asked to "
         f"**{ask}** it.")

# %% [markdown]
# ## Key messages

# %%
paper.key_messages(rec, res)

# %% [markdown]
# ## Non-elective admissions
#
# Every board ranked by admissions per 100,000 population (1 = most), then the funnel plot:
# is a board further from England than its size and the usual spread between boards explain?

# %%
show(paper.metric_section(rec, res, "nel"))

# %% [markdown]
# ## Delayed transfers of care

# %%
show(paper.metric_section(rec, res, "dtoc"))

# %% [markdown]
# ## Residential and nursing care admissions (ASCOF 2A(2))

# %%
show(paper.metric_section(rec, res, "2A(2)"))

# %% [markdown]
# ## Still at home 91 days after reablement (ASCOF 2B(1))

# %%
show(paper.metric_section(rec, res, "2B(1)"))

# %% [markdown]
# ## England's quarterly non-elective admissions
#
# Is England's rate changing, or varying as it usually does (*Making Data Count* SPC chart)?

# %%
fig, alt, data = paper.trend_chart(rec, res)
charts.chart(fig, "Non-elective admissions a day per 100,000 population, England, by quarter",
             paper.sources("nel"), alt, data, data_decimals=2)

# %%
paper.trend_words(rec, res)

# %% [markdown]
# ## Coverage
#
# How many boards does each metric cover, and why are any not covered?

# %%
counts, missing = paper.coverage_tables(rec, res)
charts.table(counts, "Boards covered by each metric", "The tables above")

# %%
charts.table(missing, "Boards without a value for a metric, and upper-tier authorities that "
             "were no board of the 2017-19 BCF", "The tables above; ONS mid-2019 estimates")

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
# ## Figures check

# %%
paper.figures_check(rec)

# %% [markdown]
# ## Claims check
#
# Do this appendix's own counts agree with the tables it shows?

# %%
paper.claims_check(rec, res, missing)
