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
# organisation responsible; a funnel plot against England; and the change in the rate of falls
# admissions for every district and unitary authority. Each board's name links to its own
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
linked = None  # area codes whose appendix exists; None links every area with a rate
falls_start = "2011/12"  # first year of the falls change
falls_end = "2015/16"  # last year of the falls change

# %%
from IPython.display import Markdown

from hwb.toolkit import charts, figures
from hwb.commands import national as runs
from hwb.papers.national import falls_context
from hwb.sources import phof_falls
from hwb.papers import national as paper

params = paper.from_namespace(globals())
rec = figures.start_for("national", board)
series = paper.dtoc.load_series()
t = paper.league(month, series)
paper.record_league(rec, t, month)
s = paper.record_summary(rec, t, month)
words = paper.dtoc.month_label(month)
eng = paper.dtoc.ENGLAND.lower()
Markdown(f"**{board_name}**: *{paper_title}*, {words}. The reader is asked to **{ask}** it.")

# %% [markdown]
# ## Key messages

# %%
rec.say(
    "- In {month}, England's residents aged 18+ spent **{days}** days delayed in hospital: "
    "**{rate}** patients delayed per day per 100,000 adults.\n"
    "- The NHS was responsible for {nhs} of the delayed days, social care for {sc} and both "
    "jointly for {both}. Social care was responsible for more than half in {scm} of the {rated} "
    "local authorities with a rate.\n"
    "- The rate per day ranged from {lo} ({lo_name}) to {hi} ({hi_name}), {ratio} times as high; "
    "the median authority's was {median}.\n"
    "- Against Poisson funnel limits around England's rate, {above} authorities were above the "
    "99.8% limit and {below} below it; {within} were within the 95% limits. Delayed days are "
    "not independent events, so the limits are too narrow (see the caveats).",
    month=words, days=rec[f"{eng}.days"], rate=rec[f"{eng}.rate_per_day"],
    nhs=s["eng_share_nhs"], sc=s["eng_share_social_care"], both=s["eng_share_both"],
    scm=s["sc_majority"], rated=s["rated"], lo=s["lowest"], lo_name=s["lowest_name"],
    hi=s["highest"], hi_name=s["highest_name"], ratio=s["ratio"], median=s["median"],
    above=s["sig_high_0_001"], below=s["sig_low_0_001"], within=s["sig_not_significant"])

# %% [markdown]
# ## League table
#
# Every local authority, ranked by delayed patients per day per 100,000 aged 18+ (1 = most
# delays per head). Each name links to the area's own appendix for the month. The same table
# in other orders follows it, each behind a "sorted by" heading.

# %%
link_map = paper.links(params, t)
source = (f"{paper.dtoc.SOURCE} (data/{paper.dtoc.RESPONSIBLE_FILE}); population: "
          f"{paper.ons_population.SOURCE.format(level='UTLA')} "
          f"(data/{paper.ons_population.FILES['utla']})")
notes = ["Rates are per 100,000 population aged 18+; 'per day' divides the month's rate by the "
         "days in the month. [x]: no rate (no 18+ population on the series' boundaries).",
         "Against England: where the monthly rate lies against Poisson funnel limits around "
         "England's rate (see the funnel plot)."]
html = charts.table(paper.display_table(rec, t, "rank"),
                    f"Delayed transfers of care by Health and Wellbeing Board, {words}, sorted "
                    f"by {paper.SORTS['rank'][0]}", source, notes=notes).text
paper.link_rows(html, link_map)

# %%
parts = []
for key, (how, _, _) in paper.SORTS.items():
    if key == "rank":
        continue
    body = charts.table(paper.display_table(rec, t, key),
                        f"Delayed transfers of care by Health and Wellbeing Board, {words}, "
                        f"sorted by {how}", source, notes=notes).text
    parts.append(f'<details class="hwb-sorted"><summary>Sorted by {how}</summary>'
                 f"{paper.link_rows(body, link_map).text}</details>")
paper.Html("\n".join(parts))

# %% [markdown]
# ## Funnel plot
#
# Is an authority's rate further from England's than its size alone would explain?

# %%
fig, alt, chart_data = paper.funnel_chart(t, month)
charts.chart(fig, f"Delayed patients per day per 100,000 aged 18+ against population aged "
             f"18+, {words}, with funnel limits around England's rate", source, alt, chart_data,
             data_decimals=2)

# %% [markdown]
# ## Falls context
#
# How did the rate of emergency admissions for falls among people aged 65+ change in every
# district and unitary authority, set against England?

# %%
falls_ctx = falls_context.record_falls_context(rec, falls_start, falls_end)
fig, falls_alt, falls_data = falls_ctx["figure"], falls_ctx["alt"], falls_ctx["data"]
charts.chart(fig, f"Change in the directly standardised rate of emergency admissions for falls, "
             f"aged 65+, {falls_start} to {falls_end}, every district and unitary authority",
             f"Public Health Outcomes Framework indicator 2.24i, Fingertips "
             f"(data/{phof_falls.NATIONAL_FILE})", falls_alt, falls_data)

# %%
rec.say("From {a} to {b}, England's falls rate changed by {eng}. It fell in {fell} of {n} "
        "districts and unitary authorities, and {better} changed by less than England (a "
        "larger fall or a smaller rise).", a=falls_start, b=falls_end,
        eng=rec["falls.england_pct_change"], fell=rec["falls.areas_fell"], n=rec["falls.areas"],
        better=rec["falls.areas_better_than_england"])

# %% [markdown]
# ## Coverage
#
# Which English upper-tier authorities have no row, no rate or no appendix for the month, and why?

# %%
cov = runs.coverage(month, series)
missing = cov[~cov["ok"]][["area_name", "area_code", "reason"]].rename(columns={
    "area_name": "Area", "area_code": "ONS code", "reason": "Why there is no appendix"})
rec.record("national.no_appendix", f"Upper-tier authorities without an appendix, {words}",
           len(missing), "areas", 0)
linked_n = rec.record("national.linked", "Authorities linked to an appendix", len(link_map),
                      "areas", 0)
charts.table(missing, f"Upper-tier authorities without an appendix for {words}",
             f"data/{paper.dtoc.RESPONSIBLE_FILE}; data/{paper.ons_population.FILES['utla']}")

# %%
rec.say("{n} authorities have no appendix for the month; {linked} are linked from the league "
        "table.", n=rec["national.no_appendix"], linked=linked_n)

# %% [markdown]
# ## Methods and definitions

# %%
Markdown(paper.methods_markdown())

# %% [markdown]
# ## Assumptions and caveats

# %%
Markdown(paper.caveats_markdown())

# %% [markdown]
# ## Data quality

# %%
la_rows = t[t["area_code"] != paper.dtoc.ENGLAND]
rec.record("quality.incomplete", f"Local authorities with a missing part (NHS, social care or "
           f"both) in {words}", int(la_rows["total"].isna().sum()), "areas", 0)
falls_context.record_falls_quality(rec, falls_ctx["rates"], falls_ctx["change"], falls_start,
                                   falls_end)
rec.say(
    "- Both NHS England files were checked row for row on loading: the same area and month on "
    "every row, and NHS + social care + both equal to the all-reasons total (the load stops "
    "with the row number otherwise). Rows before July 2015 carry NHS England's old codes and "
    "get the ONS code that the same name carries from July 2015.\n"
    "- Local authorities with a missing part in the month: {incomplete}. A missing part leaves "
    "the total, the rate and the rank blank.\n"
    "- The ONS estimates were checked on loading: the single years of age add up to each "
    "area's total.\n"
    "- Districts and unitary authorities left out of the falls chart because the shipped "
    "Fingertips extract has no rate for one of the two years (its SOURCE note lists the "
    "blanks): {falls_gap}.",
    incomplete=rec["quality.incomplete"], falls_gap=rec["quality.falls_without_both_years"])

# %% [markdown]
# ## Figures check
#
# Which printed figures does this appendix check?

# %%
n_figures = rec.record("national.figures", "Figures recorded in this appendix (before this one)",
                       len(rec.figures), "figures", 0)
(figures.show_check(rec) if len(rec.check_table()) else
 rec.say("No board paper printed these figures, so none is compared with print. Every number "
         "in this appendix is a recorded figure ({n} of them), listed with its method in the "
         "run's figures.csv beside this page; each board's own appendix checks that board's "
         "printed figures.", n=n_figures))
