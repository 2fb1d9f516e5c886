"""The BCF national summary's words, tables and charts: every number a recorded figure.

Tables carry the recorded :class:`~hwb.toolkit.figures.Figure` objects in their cells (shown
as their text, marked ``data-figure``); chart descriptions are
:meth:`hwb.toolkit.figures.Recorder.describe` templates of recorded figures.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from hwb.papers.bcf.england.compute import (
    ENGLAND,
    METRICS,
    Results,
    fid,
    key,
)
from hwb.sources import ascof, dtoc, nel
from hwb.toolkit.figures import Recorder
from hwb.toolkit.summary import SIGNIFICANCE_WORDS, Html, link_rows, sig_key

AGAINST = "Against England (funnel)"
"""The league table's column of funnel positions."""


def sources(metric: str) -> str:
    """The source line of a metric's table and chart."""
    pop = ("ONS mid-year estimates (hwb.sources.population_by_year)")
    return {"nel": f"{nel.SOURCE} (data/{nel.EXTRACT_FILE}), apportioned to boards with the BCF "
                   f"2017-19 CCG-to-HWB mapping (data/bcf/ccg_hwb_mapping.csv); {pop}",
            "dtoc": f"{dtoc.SOURCE} (data/{dtoc.RESPONSIBLE_FILE}); {pop}"}.get(
                metric, f"{ascof.SOURCE} (data/{ascof.FILE})")


def display_table(rec: Recorder, res: Results, metric: str) -> pd.DataFrame:
    """A metric's league table as shown: every board, by rank, its figures in the cells."""
    t = res.tables[metric]
    la = t[t["area_code"] != ENGLAND].sort_values(["rank", "area_name"], na_position="last",
                                                  kind="stable")
    spec = METRICS[metric]

    def fig(code: str, what: str) -> Any:
        return rec.figures.get(fid(metric, code, what)) or "[x]"

    rows = []
    for _, r in la.iterrows():
        c = str(r["area_code"])
        row: dict[str, Any] = {"Board": str(r["area_name"]), "Rank": fig(c, "rank")}
        if spec["funnel"]:
            row[spec["count"]] = fig(c, "count")
            row[spec["population"]] = fig(c, "population")
            row["Per 100,000"] = fig(c, "rate")
            row[AGAINST] = SIGNIFICANCE_WORDS[str(r["significance"])]
        else:
            row["Value"] = fig(c, "rate")
        row["Why no value"] = str(r["reason"]) or "-"
        rows.append(row)
    return pd.DataFrame(rows)


def league_table(rec: Recorder, res: Results, metric: str) -> Html:
    """A metric's league table, each board's name linked to its appendix where built."""
    from hwb.toolkit import charts

    spec = METRICS[metric]
    year = res.year if spec["funnel"] else "2018/19"
    notes = [f"Rank 1 = highest; {'lower' if spec['good'] == 'lower' else 'higher'} is better. "
             "[x]: no value (see Why no value and Coverage)."]
    if spec["funnel"]:
        notes.append(f"{AGAINST}: the board's rate against funnel limits around England's, "
                     "adjusted for overdispersion (see the funnel plot). The population is the "
                     "ONS estimate of the year's first mid-year.")
    else:
        notes.append(ascof.NO_INTERVAL + " So there are no funnel limits and no interval.")
    body = charts.table(display_table(rec, res, metric), f"{spec['title']}, {year}: every "
                        f"board, {spec['unit']}", sources(metric), notes=notes).text
    res.shown[metric] = link_rows(body, res.links).text
    return Html(res.shown[metric])


def metric_section(rec: Recorder, res: Results, metric: str) -> list[Any]:
    """A metric's section: the league table, England and the spread, then the funnel plot and
    its sentence (counts over populations) or why there is none (ASCOF's values)."""
    from hwb.toolkit import charts

    out = [league_table(rec, res, metric), england_words(rec, res, metric)]
    if not METRICS[metric]["funnel"]:
        return [*out, values_words(rec, metric)]
    fig, alt, data = funnel_chart(rec, res, metric)
    caption = (f"{METRICS[metric]['unit'].capitalize()}, {res.year}, every board's against "
               "England's, with funnel limits adjusted for overdispersion")
    return [*out, charts.chart(fig, caption, sources(metric), alt, data),
            funnel_words(rec, res, metric)]


def england_words(rec: Recorder, res: Results, metric: str) -> Any:
    """England's value and the spread between boards."""
    s = res.summaries[metric]
    return rec.say("England: {eng} {unit}. {covered} of the {boards} boards have a value; they "
                   "range from {lo} ({lo_name}) to {hi} ({hi_name}), the median board {median}.",
                   eng=s["england"], unit=METRICS[metric]["unit"], covered=s["covered"],
                   boards=s["boards"], lo=s["lowest"], lo_name=s["lowest_name"],
                   hi=s["highest"], hi_name=s["highest_name"], median=s["median"])


def funnel_chart(rec: Recorder, res: Results, metric: str) -> tuple[Any, Any, pd.DataFrame]:
    """The funnel plot of a count metric, its recorded description and its data."""
    from hwb.toolkit import spc_chart

    frame, od = res.funnels[metric]
    spec, f = METRICS[metric], res.funnel_figures[metric]
    eng = res.summaries[metric]["england"]
    fig = spc_chart.funnel_chart(frame, od, f"{spec['title']}, {res.year}, against England",
                                 spec["unit"].capitalize(), multiplier=float(eng.value),
                                 x_label="Expected at England's rate for the board's population")
    alt = rec.describe(
        "Funnel plot of {n} boards' " + spec["unit"] + ", " + res.year + ", around England's "
        "{eng}. Overdispersion phi = {phi}, tau² = {tau2}; the limits add tau² to each board's "
        "own Poisson variance. {within} within the 95% limits, {hi95} above and {lo95} below the "
        "95% limits only, {hi99} above and {lo99} below the 99.8% limits.",
        n=f["n"], eng=eng, phi=f["phi"], tau2=f["tau2"], within=f["sig_not_significant"],
        hi95=f["sig_high_0_025"], lo95=f["sig_low_0_025"], hi99=f["sig_high_0_001"],
        lo99=f["sig_low_0_001"])
    t = res.tables[metric]
    la = t[t["area_code"].isin(frame["label"])]
    data = pd.DataFrame({"Board": la["area_name"],
                         "Per 100,000": [rec[fid(metric, c, "rate")] for c in la["area_code"]],
                         "Against England": la["significance"].map(SIGNIFICANCE_WORDS)}
                        ).set_index("Board")
    return fig, alt, data


def funnel_words(rec: Recorder, res: Results, metric: str) -> Any:
    """The sentence under a funnel plot."""
    f = res.funnel_figures[metric]
    return rec.say("Boards' counts spread far beyond Poisson chance (phi = {phi}; 1 would be "
                   "chance alone), so the limits allow for the spread between boards (tau² = "
                   "{tau2}). {out} of the {n} boards lie outside the 99.8% limits: a question "
                   "to ask of the board's data and services, not a verdict."
                   if res.funnels[metric][1].overdispersed else
                   "The boards' counts show no overdispersion (phi = {phi}); the limits are the "
                   "plain Poisson ones. {out} of the {n} boards lie outside the 99.8% limits.",
                   phi=f["phi"], tau2=f["tau2"], out=f["outside_99_8"], n=f["n"])


def values_words(rec: Recorder, metric: str) -> Any:
    """Why an ASCOF measure has no funnel."""
    return rec.say("These are published values only: the shipped ASCOF file has no numerators "
                   "or denominators, so no funnel limits and no interval can be computed, and "
                   "a board's difference from England's {eng} is a plain difference of "
                   "published values.", eng=rec[fid(metric, ENGLAND, "rate")])


def trend_chart(rec: Recorder, res: Results) -> tuple[Any, Any, pd.DataFrame]:
    """England's quarterly non-elective admissions a day per 100,000 as an XmR chart."""
    from hwb.toolkit import spc_chart

    frame = res.spc["frame"].copy()
    frame["x"] = list(res.trend["quarter"])
    unit = "Non-elective admissions a day per 100,000 population"
    fig = spc_chart.spc_chart(frame, res.spc["summary"], f"{unit}, England", unit, decimals=2)
    alt = rec.describe("SPC (XmR) chart of England's non-elective admissions a day per 100,000 "
                       "population, by quarter from {a} ({first}) to {b} ({last}); centre line "
                       "{mean}. {special} quarters show special cause variation; the latest "
                       "quarter's verdict is {variation}.", a=res.spc["first_q"],
                       b=res.spc["last_q"], first=res.spc["first"], last=res.spc["last"],
                       mean=res.spc["mean"], special=res.spc["special"],
                       variation=res.spc["variation"])
    q = res.spc["quarters"]
    data = pd.DataFrame({"Quarter": res.trend["quarter"],
                         "Admissions": [q[k][0] for k in res.trend["quarter"]],
                         "Per day per 100,000": [q[k][1] for k in res.trend["quarter"]],
                         "SPC verdict": frame["verdict"].tolist()}).set_index("Quarter")
    return fig, alt, data


def trend_words(rec: Recorder, res: Results) -> Any:
    """The sentence under England's SPC chart."""
    warnings = " ".join(f"Caution: {w}." for w in res.spc["summary"].warnings)
    return rec.say("From {a} to {b}, {special} of England's quarters showed special cause "
                   "variation; the latest quarter's verdict is {variation}. Fewer admissions "
                   "are an improvement; the quarter's rate is a day's average, so quarters of "
                   "unequal length compare." + (" " + warnings if warnings else ""),
                   a=res.spc["first_q"], b=res.spc["last_q"], special=res.spc["special"],
                   variation=res.spc["variation"])


def key_messages(rec: Recorder, res: Results) -> Any:
    """The key messages: each metric's England value, spread and funnel."""
    lines = []
    figs: dict[str, Any] = {}
    for m, spec in METRICS.items():
        k, s = key(m), res.summaries[m]
        figs.update({f"{k}_eng": s["england"], f"{k}_cov": s["covered"], f"{k}_b": s["boards"],
                     f"{k}_lo": s["lowest"], f"{k}_hi": s["highest"]})
        line = (f"- **{spec.get('plain', spec['title'])}** "
                f"({res.year if spec['funnel'] else '2018/19'}): England {{{k}_eng}} "
                f"{spec['short']}; {{{k}_cov}} of {{{k}_b}} boards with a value, "
                f"from {{{k}_lo}} to {{{k}_hi}}")
        if spec["funnel"]:
            figs[f"{k}_out"] = res.funnel_figures[m]["outside_99_8"]
            line += (f"; {{{k}_out}} outside the funnel's 99.8% limits (adjusted for "
                     "overdispersion).")
        else:
            line += "; values only, so no limits or intervals."
        lines.append(line)
    lines.append("- England's quarterly non-elective admissions a day per 100,000, {q1} to {q2}: "
                 "{variation} (SPC chart, *Making Data Count*).")
    figs.update(q1=res.spc["first_q"], q2=res.spc["last_q"], variation=res.spc["variation"])
    return rec.say("\n".join(lines), **figs)


# --- coverage ------------------------------------------------------------------------------------


def coverage_tables(rec: Recorder, res: Results) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The count of boards covered per metric, and every board or authority not covered, why."""
    counts = pd.DataFrame([{"Metric": spec["title"], "Boards": res.summaries[m]["boards"],
                            "With a value": res.summaries[m]["covered"],
                            "Without": rec.record(f"{key(m)}.not_covered", f"Boards without a "
                                                  f"value: {spec['title']}",
                                                  int(res.summaries[m]["boards"].value
                                                      - res.summaries[m]["covered"].value),
                                                  "boards", 0)}
                           for m, spec in METRICS.items()])
    rec.record("national.linked", "Boards linked to their appendix", len(res.links), "boards", 0)
    rec.record("national.not_boards", "Upper-tier authorities of April 2019 that were no board "
               "of the 2017-19 BCF", int((res.coverage["metric"] == "every metric").sum()),
               "authorities", 0)
    missing = res.coverage.rename(columns={"metric": "Metric", "area_code": "ONS code",
                                           "area_name": "Area", "reason": "Why not covered"})
    return counts, missing[["Area", "ONS code", "Metric", "Why not covered"]]


def coverage_words(rec: Recorder) -> Any:
    """The sentence under the coverage tables, Bournemouth and Poole's treatment with it."""
    return rec.say("{linked} boards are linked from the league tables. {others} upper-tier "
                   "authorities of April 2019 were no board of the 2017-19 BCF and are listed "
                   "above. The 2017-19 mapping prints Bournemouth and Poole as one joint board; "
                   "here each council is a board of its own (as the delayed-days series, ASCOF "
                   "and the population estimates count them), the joint board's share of each "
                   "CCG split between the two by their ONS mid-2016 populations.",
                   linked=rec["national.linked"], others=rec["national.not_boards"])


def methods_markdown(res: Results) -> str:
    """How the figures are computed (no numbers)."""
    return (
        "**Boards.** The Health and Wellbeing Boards of NHS England's BCF 2017-19 CCG-to-HWB "
        "mapping, the joint Bournemouth & Poole split into its two councils "
        "(`hwb.sources.ccg_hwb.split_joint`).\n\n"
        "**Non-elective admissions.** NHS England's Monthly Activity Return, total "
        "non-elective G&A admissions (FFCEs) by CCG, apportioned to boards with the mapping's "
        "share of each CCG's population living in the board: the plans' own method "
        "(`hwb.sources.nel.by_hwb`; CCGs merged after the mapping split between their "
        f"predecessors by their admissions in the year before). {res.year}'s four quarters over "
        "the ONS estimate of all ages at the year's first mid-year, per 100,000; England is "
        "the sum over the boards (England less NHS England's direct commissioning) over "
        "England's population.\n\n"
        "**Delayed transfers of care.** NHS England's monthly delayed days (revised 2019) "
        f"summed over {res.year}, over the ONS estimate aged 18+ at the year's first mid-year "
        "with the areas the series counts with the board (the City of London with Hackney, "
        "the Isles of Scilly with Cornwall), per 100,000.\n\n"
        "**ASCOF 2A(2) and 2B(1).** NHS Digital's published 2018/19 values by council, as "
        "published: no numerators or denominators are shipped, so no limits or intervals.\n\n"
        "**Funnel plots.** Each board's count against that expected at England's rate for its "
        "population, limits adjusted for overdispersion (Spiegelhalter 2005; z-scores on the "
        "square-root scale winsorised at 10% and 90%, phi their mean square, tau² by "
        "DerSimonian-Laird added to each board's Poisson variance; 95% and 99.8% limits; "
        "`hwb.stats.overdispersed_funnel`).\n\n"
        "**England's trend.** An XmR chart (NHS England and NHS Improvement, *Making Data "
        "Count*) of England's quarterly admissions a day per 100,000, each financial year over "
        "its first mid-year's population."
    )


def caveats_markdown(res: Results) -> str:
    """Assumptions and caveats (no numbers)."""
    vintages = sorted({str(v) for m in ("nel", "dtoc") for v in res.tables[m]["vintage"]})
    items = [
        "CCG apportionment is the BCF plans' own method, not a count by residence: a CCG's "
        "admissions are shared by where its registered population lives, whatever the "
        "admission rates of the boards it spans.",
        "Bournemouth and Poole: the mapping's joint board is split by the councils' mid-2016 "
        "populations, the project's assumption (NHS Dorset CCG's admissions of the joint area "
        "are taken to fall in proportion to population).",
        "Population vintages used: " + "; ".join(vintages) + ".",
        "A board's own appendix divides delayed days by its own council's population; this "
        "summary adds the areas the series counts with it (the City of London to Hackney, the "
        "Isles of Scilly to Cornwall), so those two boards' rates differ from their appendices.",
        "Admissions and delayed days are not independent events (one person, many admissions "
        "or days), which is why the funnel limits allow for overdispersion; no interval is put "
        "on a single board's rate. " + ascof.NO_INTERVAL,
    ]
    return "\n".join(f"- {x}" for x in items)


def figures_check(rec: Recorder) -> Any:
    """The figures check, or the computed statement that no printed figure applies."""
    from hwb.toolkit import summary

    return summary.figures_check(rec, "national.figures")


# --- the claims check --------------------------------------------------------------------------


def claims_check(rec: Recorder, res: Results, missing: pd.DataFrame) -> Any:
    """The appendix's own counts against the tables it shows (no board paper is quoted): the
    boards with a value, those beyond the 99.8% limits, the boards linked, the authorities
    that were no board."""
    from hwb.toolkit import summary

    rows, ev = [], {}
    for m, spec in METRICS.items():
        shown = display_table(rec, res, m)
        cov = res.summaries[m]["covered"]
        rows.append(summary.own_claim(f"{key(m)}.covered", spec["title"],
                                      f"{cov} boards have a value", "count",
                                      f"count={cov.value}"))
        ev[rows[-1]["claim_id"]] = list(shown.loc[shown["Why no value"] == "-", "Board"])
        if spec["funnel"]:
            for label in ("High (0.001)", "Low (0.001)"):
                f = res.funnel_figures[m][f"sig_{sig_key(label)}"]
                rows.append(summary.own_claim(f"{key(m)}.funnel.{sig_key(label)}",
                                              spec["title"], f"{f} boards "
                                              f"{SIGNIFICANCE_WORDS[label]}", "count",
                                              f"count={f.value}"))
                ev[rows[-1]["claim_id"]] = list(
                    shown.loc[shown[AGAINST] == SIGNIFICANCE_WORDS[label], "Board"])
        linked = rec["national.linked"]
        rows.append(summary.own_claim(f"{key(m)}.linked", spec["title"], f"{linked} boards are "
                                      "linked", "count", f"count={linked.value}"))
        ev[rows[-1]["claim_id"]] = summary.linked_count(res.shown.get(m, ""))
    others = rec["national.not_boards"]
    rows.append(summary.own_claim("national.not_boards", "Coverage", f"{others} upper-tier "
                                  "authorities of April 2019 were no board of the 2017-19 BCF",
                                  "count", f"count={others.value}"))
    ev["national.not_boards"] = list(missing.loc[missing["Metric"] == "every metric", "Area"])
    return summary.claims_check(pd.DataFrame(rows), ev)
