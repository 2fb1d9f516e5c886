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

from IPython.display import display

from hwb.papers import bcf
from hwb.papers.bcf import actual_sections, sections
from hwb.papers.bcf import evidence as bcf_evidence
from hwb.toolkit import charts, claims, figures

P = bcf.BcfParams.model_validate_json(json.dumps({
    k: v for k, v in globals().items() if k in bcf.BcfParams.model_fields}))
rec = figures.start_for("bcf", P.board)
app = sections.Appendix(P, rec, bcf.load_printed(P.board))


def show(outputs: list) -> None:
    """Display each output of an appendix section in turn."""
    for out in outputs:
        display(out)

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
show(sections.metric_status(app))

# %% [markdown]
# ### Non-elective admissions
#
# A board's plan for non-elective admissions is the CCGs' plans apportioned to its area with the
# national CCG-to-HWB mapping. The CCG plans themselves are not printed, so the quarters are taken
# as printed; the annual totals, the plan after any additional reduction, the reduction
# percentages and the value of the reduction are recomputed.

# %%
show(sections.nea(app))

# %% [markdown]
# ### Rates and proportions with their intervals

# %%
show(sections.intervals(app))

# %% [markdown]
# ### Delayed transfers of care: plan against actual
#
# Where the template was printed, its actual-year numerators are checked against NHS England's
# published delayed days, and for the plan years the actual delayed days published afterwards are
# set against the trajectory, on the template's own 18+ populations.

# %%
show(sections.dtoc(app))

# %%
show(sections.trajectories(app))

# %% [markdown]
# ### What the narrative says about the metrics
#
# Where a plan's narrative quotes counts, rates and targets, each is set against the template, and a
# rate quoted without its population is recomputed with every 65+ population the template printed.

# %%
show(sections.narrative(app))

# %% [markdown]
# ## Actual performance
#
# ### Plan against actual
#
# Where the paper printed a plan, each planned period is set against the actual published
# afterwards: non-elective admissions from NHS England's Monthly Activity Return, apportioned
# from the board's CCGs with the same CCG-to-HWB mapping the plan used; delayed days from NHS
# England's series on the template's own populations; residential admissions and reablement from
# ASCOF 2018/19. Each row says whether the actual had been published when the board met.

# %%
show(actual_sections.plan_vs_actual(app))

# %% [markdown]
# ### Did performance change? Special cause against 2016/17
#
# A difference from a plan does not say whether performance changed. Each monthly series is
# drawn as a Making Data Count XmR chart, its mean and limits fixed on 2016/17, the year before
# the plans: a point beyond a limit, a run or a trend is special cause; otherwise the variation
# is what the 2016/17 process would give.

# %%
show(actual_sections.trends(app))

# %% [markdown]
# ### Against England and comparable councils
#
# Non-elective admissions per 1,000 population and delayed days per 100,000 aged 18+, each year
# on its own mid-year population estimate; ASCOF 2018/19 as published (values only, so no
# intervals). Comparable councils are the CIPFA nearest neighbours.

# %%
show(actual_sections.england(app))

# %%
show(actual_sections.neighbours(app))

# %% [markdown]
# ## The money
#
# ### Funding, expenditure by scheme and the pooled budget

# %%
show(sections.money(app))

# %%
show(sections.spend_by_area(app))

# %% [markdown]
# ### The plan's narrative tables, the Improved BCF and the risk register

# %%
show(sections.narrative_money(app))

# %% [markdown]
# ### Section 75 contributions and the HART reablement split

# %%
show(sections.hart(app))

# %%
show(sections.hart_basis(app))

# %% [markdown]
# ## CCG to HWB
#
# The non-elective admissions plan and the CCG contributions are set per CCG; the national mapping
# in the template says how each CCG's population divides between boards. Each board's and each
# CCG's shares should sum to 100, within the rounding of one-decimal shares.

# %%
show(sections.mapping(app))

# %% [markdown]
# ## Key messages

# %%
show(sections.key_messages(app))

# %%
show(actual_sections.key_messages(app))

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
#   interval. Whether actual delays changed is judged with a Making Data Count XmR chart of the
#   monthly delayed days a day, its mean and limits fixed on the template's actual year
#   (`hwb.stats.spc`). Every chart's value axis starts at zero.
# * A target or expectation applies only from the period it was set for: the national delayed
#   transfers expectation, set for September 2017, is not applied to earlier quarters.
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
# * Actual non-elective admissions are first finished consultant episodes of the Monthly
#   Activity Return (revised figures), apportioned from CCGs with the plan's own mapping; a CCG
#   formed by a merger after the mapping is split between its predecessors by their admissions
#   in the year before (`data/nel/SOURCE.md`). NHS England's direct commissioning belongs to no
#   board. The plan may rest on a different count than the MAR (its CCG operating plans are not
#   published), so the plan's level against the year before it is shown.
# * ASCOF 2A(2) and 2B(1) are published values without numerators or denominators: compared as
#   plain differences, without intervals; ASCOF's rates use ONS estimates, the plan's the
#   template's projections.
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
charts.table(bcf.checks_frame(app.found, rec), "Every comparison made: the generic check behind "
             "each recomputed figure.", app.src_paper)

# %%
figures.show_check(rec, app.src_paper)

# %% [markdown]
# ## Claims check
#
# Every statement of the paper that the shipped data can test (`data/bcf/printed_claims.csv`),
# with its verdict and the reason computed from the data, or why it cannot be tested.

# %%
claims.show_claims(bcf_evidence.check_board_claims(app.printed, P.board, P.meeting_date,
                                                   P.confidence), app.src_paper)
