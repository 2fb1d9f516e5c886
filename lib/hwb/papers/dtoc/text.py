"""The DTOC appendix's words: definitions, methods, caveats, key messages, claims check."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from hwb.fmt import decimals_of, parse_number
from hwb.papers.dtoc import known
from hwb.papers.dtoc.compute import (
    CLAIMS_FILE,
    Results,
    claims_evidence,
    layout,
    period_label,
    prefix,
    quarter_id,
)
from hwb.papers.dtoc.params import DtocParams
from hwb.sources import dtoc
from hwb.sources.params import BoardParams
from hwb.toolkit import checks
from hwb.toolkit.figures import Recorder

DEFINITIONS: dict[str, tuple[tuple[str, str], ...]] = {"rotherham-2017-09-20": (
    ("Rotherham BCF Plan 2017-19, section 14 (agenda pack of 20 September 2017, item 15, "
     "page 169)",
     "This plan is the number of delayed Transfers of Care (delayed days) from hospital per "
     "100,000 population (aged 18+). Delayed transfer of care from acute or non-acute (including "
     "community and mental health) care occurs when a patient is ready to depart from such care "
     "and is still occupying a bed. The definitions for this target are set nationally by the BCF "
     "programme."),
    ("Rotherham BCF planning template, tab 4.4 note (page 220)",
     "Delayed Transfers Of Care (delayed days) from hospital per 100,000 population (aged 18+) "
     "population projections are based on a calendar year using the 2014 based Sub-National "
     "Population Projections for Local Authorities in England."),
), "leicestershire-2018-01-25": (
    ("Leicestershire, item 10, paragraphs 17-18 (agenda pack of 25 January 2018)",
     "DTOC data is captured in three categories: Patients who are delayed due to NHS reasons; "
     "Patients who are delayed due to Local Authority reasons; Patients whose delay is jointly "
     "attributable. Delayed days from all inpatient settings of care and against all three "
     "categories are brought together to measure overall performance for each local area. Any "
     "Leicestershire residents delayed in out of area hospitals also count towards "
     "Leicestershire's overall performance."),
    ("Leicestershire, item 10, paragraph 20",
     "The national target has been apportioned across each Health and Wellbeing Board area and "
     "translated into a rate per 100,000 population for each local area."),
)}
"""The definitions as each board's paper prints them: board -> ((where, quotation), ...)."""


def methods_markdown(board: str = "") -> str:
    """The methods and definitions section, quoting this board's paper (and no other's)."""
    quotes = "\n\n".join(f"> {q}\n>\n> — {w}" for w, q in DEFINITIONS.get(board, ()))
    return (
        ("**Definitions, as the paper gives them.**\n\n" + quotes + "\n\n" if quotes else "")
        +
        "**How hwb computes them.** Delayed days are NHS England's monthly delayed days for "
        "patients aged 18+ by the local authority where they live, split by the organisation "
        "responsible for the delay (NHS, social care, or both jointly). A quarter is the sum of "
        "its three months, and a quarter with a missing month has no value. The rate per period "
        "is delayed days divided by the population aged 18+, times 100,000. The rate per day is "
        "that rate divided by the days in the period: the average number of beds occupied by "
        "delayed patients on a day per 100,000 adults, which is what the papers call \"people "
        "delayed in hospital per 100,000 adults\" and \"beds delayed per 100,000 population\". "
        "Patients delayed per day are delayed days divided by days in the period. Each printed "
        "figure is compared with the recomputed one by `hwb.toolkit.checks`: reproduced (equal at "
        "the printed precision), rounding (within one unit of the last printed place) or differs, "
        "with the reason the comparison finds (another denominator, another month).\n\n"
        "**Reasons for delay.** NHS England's reason file gives each month's delayed days of "
        "the area by the reason for the delay; it has no split by responsible organisation "
        "within a reason, so the two are shown side by side. The main reasons are the three with "
        "the most delayed days over the trend's months published by the meeting. Each is shown "
        "as a Making Data Count SPC (XmR) chart of its rate per day per 100,000 aged 18+, with "
        "no confidence interval: delayed days are not independent events (one patient delayed "
        "for a month is thirty delayed days).\n\n"
        "**Comparable councils.** The council's nearest neighbours in CIPFA's model, as "
        "published on LG Inform and used by the Office for Local Government, read on 2019 "
        "council codes. Every council in "
        "the comparison divides its delayed days by the ONS estimate of its own adults for the "
        "month's year, so their rates are comparable with each other; the rate elsewhere in "
        "this appendix may use the board's own denominator."
    )


def caveats_markdown(params: DtocParams, res: Results) -> str:
    """Assumptions and caveats for this run (no figures: those are said with the recorder)."""
    items = [
        "The series is NHS England's **revised** data as re-published in 2019. Papers written "
        "in 2017-18 used the figures first published, which were sometimes revised later.",
        "The papers' targets and expectations (and their split by organisation) are NHS "
        "England's apportionment of the national ambition to each area. They are printed "
        "inputs and hwb does not recompute them. hwb checks that their parts add up and that "
        "their per-day and per-month forms agree.",
        "Percentages of occupied bed days (such as the national 3.5% ambition) cannot be "
        "computed from a series of delayed days by local authority: it has no bed days, and a "
        "trust's patients are not one area's residents. Any the paper prints are listed as not "
        "compared.",
        "NHS England published each month's figures about six weeks after the month ended (the "
        "second Thursday of the month after next). Figures for months published after the "
        "meeting are marked as such: the board could not have known them.",
    ]
    if res.target_from:
        items.append(f"The {layout(params.board).target_words} is set against months from "
                     f"{dtoc.month_label(res.target_from)}, the first it was set for; earlier "
                     "months are shown but not judged against it.")
    if res.denominators.basis == "as_printed":
        items.append("Denominators are the 18+ populations printed in the board's BCF planning "
                     "template (2014-based projections for the calendar year). They are inputs, "
                     "used as printed.")
    elif res.denominators.basis == "ons_own_year":
        items.append("Denominators are ONS small-area estimates of persons aged 18+ of each "
                     "month's own year where hwb ships one, summed to the authority; months of "
                     "other years use the nearest shipped year (the source line of each table "
                     "names the estimates used). The paper's own denominator is not printed. "
                     "The population its rate implies is tested against every shipped estimate "
                     "in the consistency checks, and shown beside each rate as a named "
                     "alternative, never used as an input.")
    else:
        items.append("Denominators are the ONS mid-2019 estimates of persons aged 18+. That is "
                     "the authority-level estimate hwb ships for every area, and it is used "
                     "for every month. The paper's own denominator is not printed. The "
                     "population its rate implies is shown beside each rate as a named "
                     "alternative, never used as an input. For rates over several years, one "
                     "population year makes the trend a trend in delayed days, not a change in "
                     "rates.")
    if params.gap_period and res.target:
        items.append(f"The gap in patients per day compares {params.gap_period} with the target "
                     "level. The papers do not say which period they compared; the figures check "
                     "shows which months would give the printed figure.")
    return "\n".join(f"- {x}" for x in items)


def data_quality_markdown(res: Results) -> str:
    """What was checked in the inputs (no figures)."""
    gaps = res.monthly[res.monthly["total"].isna()]["period"].tolist()
    lines = [
        "- Both NHS England files were checked row for row: same area and month on every row, "
        "and NHS + social care + both equal to the all-reasons total. The load stops with the "
        "row number if either check fails.",
        "- Rows before July 2015 carry NHS England's old 3-digit codes. They get the ONS code "
        "that the same name carries from July 2015.",
        "- Missing values (`-`, and `NA` in the reason file's \"Other\" column before it existed) "
        "stay missing. A quarter with a missing month is not summed.",
    ]
    lines.append("- Every month of the trend is present." if not gaps else
                 "- Months missing from the trend: " + ", ".join(dtoc.month_label(g) for g in gaps)
                 + ".")
    return "\n".join(lines)


def record_check_summary(rec: Recorder, params: BoardParams) -> dict[str, object]:
    """Record how the board's printed figures came out (for the key messages).

    Returns the recorded figures by outcome: ``reproduced``, ``rounding``,
    ``differs``, ``not compared``.  Call it after every comparison is recorded.
    """
    p = prefix(params)
    counts = rec.summary()
    words = {checks.REPRODUCED: "reproduced", checks.ROUNDING: "differing only by rounding",
             checks.DIFFERS: "differing", checks.NOT_COMPARED: "not compared"}
    return {status: rec.record(f"{p}.printed_{status.replace(' ', '_')}",
                               f"Printed figures {words[status]}", counts[status], "figures", 0)
            for status in words}


def _comparison_messages(rec: Recorder, params: DtocParams, res: Results, rs: object,
                         nb: object, put: Callable[..., None]) -> None:
    """The key messages that set the board beside others: England's boards, the main reason
    for delay, the nearest neighbours (each through ``put(known_then, template, **values)``)."""
    p = prefix(params)
    meeting = params.meeting_date
    month = dtoc.month_label(params.month)
    month_known = known.known_at(params.month, meeting)
    if f"{p}.national_rank" in rec.figures:
        put(month_known, "- Among {n} local authorities in {month}, the area ranked **{rank}** "
            "(1 = most delays per head), at {rate} per day per 100,000 against {eng} for England "
            "(ONS 18+ estimates of the month's own year for every area).",
            n=rec[f"{p}.national_ranked"],
            month=month, rank=rec[f"{p}.national_rank"], rate=rec[f"{p}.national_rate_per_day"],
            eng=rec[f"{p}.england_rate_per_day"])
    main = getattr(rs, "main", None)
    if main:
        w0, w1 = rs.window  # type: ignore[union-attr]
        put(True, "- The main reason for delay from {start} to {end}{words} was {reason}: "
            "**{days}** delayed days.", start=dtoc.month_label(w0), end=dtoc.month_label(w1),
            words=" (the months published by the meeting)" if meeting else "",
            reason=main[0][:1].lower() + main[0][1:],
            days=rs.figures[main[0]])  # type: ignore[union-attr]
    if nb is not None and f"{p}.neighbours.rank" in rec.figures:
        put(month_known, "- Among the council and its nearest neighbours ({vintage}), it ranked "
            "**{rank}** of {of} for delayed days per 100,000 aged 18+ in {month} (1 = most "
            "delays per head; each council on the ONS estimate of its own adults).",
            vintage=nb.vintage, rank=rec[f"{p}.neighbours.rank"],  # type: ignore[attr-defined]
            of=rec[f"{p}.neighbours.ranked"], month=month)
        if f"{p}.known.neighbours.rank" in rec.figures:
            put(True, "- In {known_month}, the latest month published by the meeting, the "
                "council ranked **{rank}** of {of} among itself and its nearest neighbours "
                "({vintage}) for delayed days per 100,000 aged 18+ (1 = most delays per head).",
                known_month=dtoc.month_label(res.known_to), vintage=nb.vintage,  # type: ignore
                rank=rec[f"{p}.known.neighbours.rank"], of=rec[f"{p}.known.neighbours.ranked"])


def key_messages(rec: Recorder, params: DtocParams, res: Results, rs: object = None,
                 nb: object = None) -> object:
    """The key messages: what the board could have known at the meeting, then hindsight.

    Every number is a recorded figure (``rec.say``), and the Markdown returned keeps where each
    landed (:func:`hwb.papers.dtoc.linking.join`), so the appendix marks each with
    ``data-figure`` and links it to its figures-check row; a message about a month published
    after the meeting goes under *Known only with hindsight*.  With the reasons section
    (:func:`hwb.papers.dtoc.compute_reasons`) and the nearest neighbours
    (:func:`hwb.papers.dtoc.compute_neighbours`), the main reason for delay and the rank among
    comparable councils are key messages too.
    """
    from hwb.papers.dtoc import linking

    p = prefix(params)
    words = layout(params.board).target_words
    meeting = params.meeting_date
    month = dtoc.month_label(params.month)
    at_meeting: list[object] = []
    later: list[object] = []

    def put(known_then: bool, template: str, **values: object) -> None:
        (at_meeting if known_then else later).append(rec.say(template, **values))

    month_known = known.known_at(params.month, meeting)
    if f"{p}.known.delayed_days" in rec.figures:
        put(True, "- The latest month published by the meeting was {known_month}: residents "
            "aged 18+ spent **{days}** days delayed in hospital, **{rate}** patients delayed per "
            "day per 100,000 aged 18+.", known_month=dtoc.month_label(res.known_to),
            days=rec[f"{p}.known.delayed_days"], rate=rec[f"{p}.known.actual.total"])
    put(month_known, "- In {month}, residents aged 18+ spent **{days}** days delayed in hospital: "
        "{nhs} attributed to the NHS, {sc} to social care and {both} to both.", month=month,
        days=rec[f"{p}.delayed_days"], nhs=rec[f"{p}.delayed_days.nhs"],
        sc=rec[f"{p}.delayed_days.social_care"], both=rec[f"{p}.delayed_days.both"])
    if "total" in res.target:
        printed_target = res.target_text["total"]
        target = rec.record(f"{p}.{words}_as_printed", f"The {words} per day per 100,000 aged "
                            "18+, as printed (an input, not recomputed)",
                            parse_number(printed_target), "per 100,000 per day",
                            decimals_of(printed_target), method="as printed in the board paper")
        put(month_known, "- That is **{actual}** patients delayed per day per 100,000 aged 18+ "
            "(18+ population {pop}), against the {words} of {target}.",
            actual=rec[f"{p}.actual.total"], pop=rec[f"{p}.population_18plus"], words=words,
            target=target)
    else:
        put(month_known, "- That is **{actual}** patients delayed per day per 100,000 aged 18+.",
            actual=rec[f"{p}.actual.total"])
    if f"{p}.gap_patients_per_day" in rec.figures:
        put(known.known_at(params.gap_period, meeting),
            "- In {gap_period}, an average of {per_day} patients were delayed each day, against "
            "{at_target} at the {words}: a gap of **{gap}** patients a day.",
            gap_period=period_label(params.gap_period),
            per_day=rec[f"{p}.patients_per_day.{quarter_id(params.gap_period)}"],
            at_target=rec[f"{p}.patients_per_day_at_target"], words=words,
            gap=rec[f"{p}.gap_patients_per_day"])
    if f"{p}.implied_population_18plus" in rec.figures:
        higher = rec[f"{p}.population_vs_implied_pct"].value > 0
        put(True, "- The paper prints no denominator. Its monthly rate implies an 18+ population "
            "of about {implied}. The population used here is {pct} {direction}, so the rates "
            "here are {other} than the printed ones. Of the {differing} printed figures that "
            "differ, {named} reproduce exactly with the implied population (figures check).",
            implied=rec[f"{p}.implied_population_18plus"],
            pct=rec[f"{p}.population_vs_implied_pct"], direction="higher" if higher else "lower",
            other="lower" if higher else "higher", differing=rec[f"{p}.differing_so_far"],
            named=rec[f"{p}.reproduced_with_implied"])
    _comparison_messages(rec, params, res, rs, nb, put)
    outcome = record_check_summary(rec, params)
    put(True, "- Figures check: of the printed DTOC figures for this board, {rep} reproduced, "
        "{rnd} differ only by rounding, {dif} differ and {nc} are not compared (the table at the "
        "end gives each one and why).", rep=outcome["reproduced"], rnd=outcome["rounding"],
        dif=outcome["differs"], nc=outcome["not compared"])
    when = f" ({meeting.day} {meeting:%B %Y})" if meeting else ""
    out: list[object] = [f"**What the board could have known at the meeting{when}.**", "",
                         *at_meeting, "", "**Known only with hindsight** (figures NHS England "
                         "published after the meeting).", ""]
    out += later or ["- Nothing: every month used in these messages was published before the "
                     "meeting."]
    return linking.join(out)



def claims_check(rec: Recorder, params: DtocParams, res: Results,
                 printed: pd.DataFrame | None = None) -> object:
    """The Claims check table of the board's printed statements (``hwb.toolkit.claims``)."""
    from IPython.display import Markdown

    if not params.board:
        return Markdown("_No printed statements for this run: it reproduces no board paper._")
    try:
        from hwb.toolkit import claims
    except ImportError:  # pragma: no cover - a build without the claims checks
        return Markdown("_The claims check is not available in this build._")
    from hwb.sources import data

    cl = claims.load_claims(data.path(CLAIMS_FILE), board=params.board)
    return claims.show_claims(claims.check_claims(cl, claims_evidence(rec, params, res,
                                                                      printed)))


def trend_words(rec: Recorder, params: DtocParams, res: Results) -> object:
    """The SPC verdicts in words: as the board could have seen them, and over the whole trend."""
    p = prefix(params)
    words = layout(params.board).target_words
    text = ("Over the whole trend the rate per day was highest at {hi} and lowest at {lo}. "
            "The SPC chart's latest month shows {variation}")
    values: dict[str, object] = {"hi": rec[f"{p}.trend_highest"], "lo": rec[f"{p}.trend_lowest"],
                                 "variation": rec[f"{p}.spc_variation"]}
    if f"{p}.spc_assurance" in rec.figures:
        text += "; against the {words} (from {start}), assurance: {assurance}"
        values.update(words=words, start=dtoc.month_label(res.target_from),
                      assurance=rec[f"{p}.spc_assurance"])
    text += "."
    if f"{p}.spc_variation_at_meeting" in rec.figures:
        text += (" As the board could have seen it, to {known} (the latest month published by "
                 "the meeting): {variation_then}")
        values.update(known=dtoc.month_label(res.known_to),
                      variation_then=rec[f"{p}.spc_variation_at_meeting"])
        if f"{p}.spc_assurance_at_meeting" in rec.figures:
            text += ", assurance {assurance_then}"
            values["assurance_then"] = rec[f"{p}.spc_assurance_at_meeting"]
        text += "."
    return rec.say(text, **values)
