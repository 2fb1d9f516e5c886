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
# # Delayed transfers of care
#
# Delayed days of patients aged 18+ who live in the area, from NHS England's monthly series, as
# rates per 100,000 adults, set beside the figures the board paper printed: its plan, its target
# and its own performance figures.

# %% tags=["parameters"]
area_code = "E08000018"  # ONS code of the Health and Wellbeing Board's local authority
area_name = "Rotherham"  # the area as the board names it
period = "2017-09"  # the period this appendix reports
board = "rotherham-2017-09-20"  # key of the printed paper's rows in data/dtoc/printed_figures.csv
board_name = "Rotherham Health and Wellbeing Board"  # the board
meeting_date = "2017-09-20"  # date of the meeting (ISO)
agenda_item = "15"  # agenda item of the paper
paper_title = "Better Care Fund (BCF) Plan 2017-19 - delayed transfers of care"  # the paper
ask = "note"  # what the board is asked to do
month = "2017-09"  # the month set against the target (YYYY-MM)
trend_start = "2016-04"  # first month of the trend chart
trend_end = "2019-03"  # last month of the trend chart
quarters_from = "2016/17"  # first financial year of the quarterly table
quarters_to = "2018/19"  # last financial year of the quarterly table
population_basis = "as_printed"  # 18+ denominators: as_printed, ons_own_year or ons_mye_2019
gap_period = "2017/18 Q1"  # month or quarter of the patients-per-day gap to the target
target_from = "2017-09"  # first month the target or expectation was set for (blank: month)
national_from = ""  # England comparison: first month, blank for none
national_to = ""  # England comparison: last month, blank for none

# %%
from IPython.display import Markdown, display

from hwb.toolkit import charts, figures

from hwb.sources import data
from hwb.papers import dtoc as paper

params = paper.from_namespace(globals())
rec = figures.start_for("dtoc", board)
printed = figures.load_printed(data.path("dtoc/printed_figures.csv"), board=board) if board else None
res = paper.compute(params, rec, printed)
p = paper.prefix(params)
rs = paper.compute_reasons(rec, params, p, res.known_to, res.denominators)
nb = paper.compute_neighbours(rec, params, p, res.known_to)
words = paper.layout(board).target_words
Markdown(
    f"**{board_name}**"
    + (f", meeting of {params.meeting_date:%d %B %Y}" if params.meeting_date else "")
    + (f", item {agenda_item}" if agenda_item else "")
    + f": *{paper_title}*. The board is asked to **{ask}** the paper."
)

# %% [markdown]
# ## Key messages

# %%
paper.key_messages(rec, params, res, rs, nb)

# %% [markdown]
# ## The month against the target
#
# How many days were residents delayed, who was responsible, and how does the rate per day
# compare with the target the paper set?

# %%
charts.table(
    res.month_table,
    f"Delayed days and rates per 100,000 aged 18+ by responsible organisation, "
    f"{paper.dtoc.month_label(month)}, {area_name}",
    f"{res.sources['series']}; population: {res.sources['population']}; {words} as printed in "
    f"the board paper",
    notes=["Rates per day are the average number of patients delayed on a day per 100,000 adults."],
)

# %% [markdown]
# The target and its split are printed inputs. hwb checks that they add up (below) but cannot
# recompute them.

# %% [markdown]
# ## Do the printed figures agree with each other?
#
# Before setting the printed figures against the data, they are set against each other: parts
# against totals, rates against their numerators and denominators, the same figure printed twice.

# %%
(charts.table(res.consistency, "Consistency checks between the printed figures",
              "the board paper as printed; hwb.toolkit.checks")
 if len(res.consistency) else Markdown("_No printed figures to check against each other._"))

# %% [markdown]
# ## Quarters: actual delays, and the plan where one was printed
#
# What were delayed days and rates per quarter, and, where the board's BCF template printed a
# plan (tab 4.4), how did the actual series turn out against it?

# %%
charts.table(
    res.quarterly_display,
    f"Delayed days and rates per 100,000 aged 18+ by financial quarter, {area_name}, "
    f"{quarters_from} to {quarters_to}",
    f"{res.sources['series']}; population: {res.sources['population']}",
    notes=["Rates per quarter are delayed days per 100,000 aged 18+; 'per day' divides by the "
           "days in the quarter. [x]: not available (no printed figure, or a month missing)."],
)

# %%
against = " and ".join(x for x in ["plan" if "plan_rate" in res.quarterly.columns else "",
                                    words if res.target else ""] if x)
paper.quarterly_chart_html(
    rec, res, params, f"Delayed days per 100,000 aged 18+ per quarter, {area_name}"
    + (f": actual against {against}" if against else ""),
    f"{res.sources['series']}" + (f"; {against} as printed in the board paper" if against
                                   else ""))

# %%
Markdown(" ".join(
    ([f"The per-day {words} is shown per quarter as the {words} times the days in the quarter."]
     if res.target else [])
    + (["The plan's rates were recomputed from the plan's printed numerators and denominators."]
       if "plan_rate" in res.quarterly.columns else [])))

# %% [markdown]
# ## The monthly trend
#
# How have delays moved month by month, is the variation common cause or special cause, and
# can the target be relied on (NHS England's *Making Data Count* SPC chart)?

# %%
paper.trend_chart_html(rec, res, params,
                       f"Patients delayed per day per 100,000 aged 18+, by month, {area_name}",
                       f"{res.sources['series']}; population: {res.sources['population']}")

# %%
paper.trend_words(rec, params, res)

# %% [markdown]
# ## Reasons for delay
#
# Why were residents waiting? NHS England's reason file splits each month's delayed days by the
# reason for the delay. The main reasons are those with the most delayed days over the months
# published by the meeting; each is shown as an SPC chart of its monthly rate per day.

# %%
charts.table(
    rs.table,
    f"Delayed days by reason for delay, {paper.dtoc.month_label(month)}, {area_name}",
    f"{paper.dtoc.SOURCE}; data/{paper.dtoc.REASON_FILE}",
    notes=["Shares are of the delayed days for all reasons. The file gives no split by "
           "responsible organisation within a reason. [x]: the file gives no figure."],
)

# %%
paper.reasons_words(rec, params, rs)

# %%
for reason in rs.main:
    display(paper.reason_chart_html(
        rs, reason, params, lambda mo: paper.known.known_at(mo, params.meeting_date),
        f"{res.sources['series']}; data/{paper.dtoc.REASON_FILE}; population: "
        f"{res.sources['population']}"))

# %% [markdown]
# ## Comparable councils
#
# How did the month compare with the councils most like this one (CIPFA's nearest neighbours)?
# Every council here divides by the ONS estimate of its own adults for the month's year, so the
# rates are comparable with each other (the board's own rate above uses its own denominator).

# %%
(paper.neighbours_html(nb, params, res.sources["series"]) if nb is not None
 else Markdown("_The council has no nearest neighbours in the CIPFA model shipped (the model "
               "lists councils on 2019 codes; the City of London, the Isles of Scilly and "
               "Northamptonshire have no list of their own)._"))

# %% [markdown]
# ## Claims about England
#
# Where the paper quoted a national change, does the England series bear it out?

# %%
(rec.say("England's delayed patients per day fell by {freed} from {a} to {b} in the series "
         "(the printed figure and the comparison are in the figures check).",
         freed=rec[f"{p}.letter_beds_freed"], a=paper.dtoc.month_label(national_from),
         b=paper.dtoc.month_label(national_to))
 if f"{p}.letter_beds_freed" in rec.figures else Markdown("_The paper makes no claim about "
                                                          "England that the series can test._"))

# %% [markdown]
# ## Printed figures the series cannot recompute
#
# Some figures in the paper are on another basis (percentages of occupied bed days, one trust's
# patients). They are listed here with the reason, and set beside what the series can show.

# %%
(charts.table(res.out_of_scope, "Printed DTOC figures not recomputed, and why",
              "the board paper as printed")
 if len(res.out_of_scope) else Markdown("_None._"))

# %%
(charts.table(res.trft, "The trust's (TRFT) reported DTOC percentages as printed, beside delays "
              "of the area's residents in the monthly series",
              f"the board paper as printed; {res.sources['series']}",
              notes=["Not comparable: the trust's figure is a share of its occupied bed days for "
                     "all its patients; the series counts the area's residents in any hospital."])
 if len(res.trft) else Markdown("_The paper prints no trust percentages._"))

# %% [markdown]
# ## Methods and definitions

# %%
Markdown(paper.methods_markdown(board))

# %% [markdown]
# ## Assumptions and caveats

# %%
Markdown(paper.caveats_markdown(params, res))

# %% [markdown]
# ## Data quality

# %%
Markdown(paper.data_quality_markdown(res))

# %% [markdown]
# ## Figures check
#
# Every DTOC figure the paper printed, beside the figure recomputed from the data, with the
# outcome of the comparison and its reason.

# %%
figures.show_check(rec)

# %% [markdown]
# ## Claims check
#
# Every statement the paper makes that the data can test (a trend, a comparison, a definition, a
# date, its own figures against each other), with the verdict and the reason computed for it.

# %%
paper.claims_check(rec, params, res, printed)
