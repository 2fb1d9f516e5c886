"""The falls summary's words: key messages, section sentences, methods, caveats, claims.

Every number is a recorded figure (:meth:`hwb.toolkit.figures.Recorder.say`); every fact that
could go stale (which boards are covered and why, the limits used) is read from the data or
the code that computes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from hwb.papers.falls.england.charts import AGAINST, BENCHMARK, display_table
from hwb.papers.falls.england.compute import (
    FUNNEL_VARIANT,
    KINDS,
    SIGNIFICANCE_WORDS,
    Results,
)
from hwb.stats.overdispersion import CITATION
from hwb.toolkit.figures import Recorder
from hwb.toolkit.summary import linked_count, own_claim, sig_key


def key_messages(rec: Recorder, res: Results) -> Any:
    """The key messages: England, the spread, the Fingertips benchmark, the funnel, coverage."""
    s, f, c = res.summary, res.funnel_figures, res.coverage_figures
    kinds = [k for k in KINDS if c[f"kind.{k}"].value]
    return rec.say(
        "- England's directly standardised rate of emergency admissions for falls among "
        "people aged 65+ was **{eng}** per 100,000 in {end}, a change of {eng_change} from "
        "{start}."
        "\n- Among the {rated} Health and Wellbeing Boards with published rates, it ranged from "
        "{lo} ({lo_name}) to {hi} ({hi_name}), {ratio} times as high; the median board's was "
        "{median}.\n"
        "- Fingertips compares each board with England (95% confidence): {higher} boards "
        "were higher than England, {similar} similar and {lower} lower.\n"
        "- Against funnel limits that allow for the usual spread between boards (phi = {phi}, "
        "tau² = {tau2}), {out95} boards were outside the 95% limits and {out99} outside the "
        "99.8% limits; plain Poisson limits would put {plain} outside the 99.8% limits.\n"
        "- The rate fell from {start} to {end} in {fell} boards, and {less} changed by less "
        "than England (a larger fall or a smaller rise).\n"
        "- {covered} of the {boards} boards have published rates for the period"
        + (": without them, " + "; ".join(f"{KINDS[k]}, {{{k}}}" for k in kinds) + " (see "
           "Coverage)." if kinds else "."),
        end=res.end, start=res.start, eng=s["eng_end"], eng_change=s["eng_change"],
        rated=s["rated"], lo=s["lowest"], lo_name=s["lowest_name"], hi=s["highest"],
        hi_name=s["highest_name"], ratio=s["ratio"], median=s["median"],
        higher=s["bench_higher"], similar=s["bench_similar"], lower=s["bench_lower"],
        phi=f["phi"], tau2=f["tau2"], out95=f["outside_95"], out99=f["outside_99_8"],
        plain=f["plain_outside_99_8"], fell=s["fell"], less=s["better_than_england"],
        covered=c["covered"], boards=c["boards"], **{k: c[f"kind.{k}"] for k in kinds})


def league_words(rec: Recorder, res: Results) -> Any:
    """The sentence under the league table: the two comparisons with England."""
    s, f = res.summary, res.funnel_figures
    return rec.say(
        "Fingertips' benchmark sets each board's own 95% confidence interval against England's "
        "value, an interval that allows for chance alone: {higher} boards were higher and "
        "{lower} lower. The funnel position also allows for the spread between boards beyond "
        "chance, so fewer boards stand out: {out95} outside its 95% limits.",
        higher=s["bench_higher"], lower=s["bench_lower"], out95=f["outside_95"])


def funnel_words(rec: Recorder, res: Results) -> Any:
    """The sentences under the funnel plot: method and confidence level, φ, τ², the counts."""
    f = res.funnel_figures
    adjusted = res.od.overdispersed
    text = (
        "Method and confidence: Spiegelhalter's funnel at two-sided 95% and 99.8% levels. Each "
        "board's admissions at the standard age mix (rate times population aged 65+ over "
        "100,000) are compared with those England's rate would give it. Chance alone would "
        "make phi about 1; here phi is {phi} (chi-square test of no overdispersion, p {p}) "
        "and tau², the variance between boards on the square-root scale, is {tau2}. "
        + ("So the limits add tau² to each board's Poisson variance: boards differ more than "
           "chance, and only a board outside these limits differs more than boards usually do."
           if adjusted else "So the limits are plain Poisson ones.")
        + " Within the 95% limits: {within} of {n} boards; between the 95% and 99.8% limits: "
        "{above95} above and {below95} below; outside the 99.8% limits: {out99}.")
    if adjusted and FUNNEL_VARIANT == "tau2":
        text += (" The multiplicative adjustment (limits widened by the square root of phi) "
                 "would leave {other} outside the 99.8% limits.")
    return rec.say(text, n=f["n"], phi=f["phi"], p=f["chi2_p_text"], tau2=f["tau2"],
                   within=f["sig_not_significant"], above95=f["sig_high_0_025"],
                   below95=f["sig_low_0_025"], out99=f["outside_99_8"],
                   other=f["other_outside_99_8"])


def trend_words(rec: Recorder, res: Results) -> Any:
    """The sentence under England's trend."""
    tf, s = res.trend_figures, res.summary
    return rec.say(
        "England's rate was {first} in {first_year} and {last} in {last_year}, between {lo} "
        "({lo_year}) and {hi} ({hi_year}); from {start} to {end} it changed by {change}. With "
        "eight yearly points and no counts, no control limits are drawn: the chart shows the "
        "level, not whether a change is beyond chance.",
        first=tf["first"], first_year=str(res.trend["period"].iloc[0]), last=tf["last"],
        last_year=str(res.trend["period"].iloc[-1]), lo=tf["lowest"], lo_year=tf["lowest_year"],
        hi=tf["highest"], hi_year=tf["highest_year"], start=res.start, end=res.end,
        change=s["eng_change"])


def coverage_words(rec: Recorder, res: Results) -> Any:
    """The sentence under the coverage table."""
    c = res.coverage_figures
    parts = " ".join(f"{KINDS[k].capitalize()}: {{{k}}}." for k in KINDS)
    return rec.say(
        "{covered} of the {boards} Health and Wellbeing Boards (upper-tier authorities on "
        "April 2019 codes) have published rates for every year the period needs; {missing} "
        "have none, each with its reason above. " + parts + " Every board still gets an "
        "appendix in a national run, saying why it has no rates; {linked} boards are linked "
        "from this appendix.",
        covered=c["covered"], boards=c["boards"], missing=c["not_covered"], linked=c["linked"],
        **{k: c[f"kind.{k}"] for k in KINDS})


def methods_markdown(res: Results) -> str:
    """How the summary's figures are computed (no numbers: those are recorded figures)."""
    how = ("the additive random-effects variant: tau² is added to each board's own variance, "
           "as in the CQC and SHMI funnels" if FUNNEL_VARIANT == "tau2" else
           "the multiplicative variant: limits widened by the square root of phi")
    return (
        "**The indicator.** Public Health Outcomes Framework indicator 2.24i (Fingertips "
        "22401): emergency hospital admissions of people aged 65+ with an injury caused by a "
        "fall, per 100,000, directly age-standardised to the European Standard Population "
        "2013, as Fingertips publishes it for districts and unitary authorities; read by "
        "`hwb.sources.phof_falls`, as every board's falls appendix reads it.\n\n"
        "**The boards.** Every upper-tier authority on April 2019 codes (the boards a national "
        "run builds). A board has rates when the shipped file has its own row with a rate in "
        "every year its appendix needs (the two years before the period and the period's "
        "years): `hwb.papers.falls.board.coverage`, the rule the boards' appendices use.\n\n"
        f"**League table.** The rate in {res.end}, ranked from the highest; the change from "
        f"{res.start}, the year before the period, as each board's appendix compares it; and "
        "Fingertips' benchmark against England, as published (the shipped file carries it; "
        "the confidence intervals behind it are not shipped, nor the counts that would let the "
        "project's Fingertips DSR method, `hwb.stats.dsr` with Dobson's intervals, recompute "
        "them).\n\n"
        "**Funnel plot.** A directly standardised rate has no count of its own; at the "
        "standard age mix its count is the rate times the population aged 65+ (ONS mid-year "
        f"estimate, {res.vintage}) over 100,000, and England's rate gives the expected count, "
        "the funnel's x axis. The board's ratio of the two is set against funnel limits "
        "around one, drawn on the rate scale. The boards differ by far more than Poisson "
        "chance, so the limits follow "
        f"Spiegelhalter's method for overdispersion ({CITATION}; computed by `hwb.stats`): "
        "z-scores on the square-root scale, winsorised at the 10% and 90% points; phi, the "
        "mean of their squares; tau², the between-board variance (DerSimonian-Laird); 95% and "
        f"99.8% two-sided limits. This appendix uses {how}.\n\n"
        "**England's trend.** England's rate in each shipped year, as published."
    )


def caveats_markdown(res: Results) -> str:
    """Assumptions and caveats of the summary (no numbers)."""
    items = [
        "Standardised rates are not crude rates: they are what the rate would be if each "
        "board's population aged 65+ had the European Standard Population's age mix, so they "
        "compare boards of different ages fairly but do not count admissions. A board's "
        "admissions are its crude rate times its population.",
        "The funnel's counts take the standard age mix for every board. A board with an older "
        "population aged 65+ has more admissions than that for the same standardised rate, "
        "so its true interval is narrower; the funnel positions are approximate, and "
        "Fingertips' benchmark, from the published intervals, is the published comparison.",
        "The shipped rates are rounded to whole numbers; the changes and ranks are computed "
        "from the rounded rates.",
        "Admissions avoided, and what they would save, are estimated in each board's own "
        "appendix (against a counterfactual trend, with the method's limits): they are not "
        "summed here, because boards' estimates rest on different assumptions.",
        "Comparable councils (CIPFA nearest neighbours) are shown in each board's appendix, "
        "not here.",
    ]
    miss = res.coverage[~res.coverage["covered"]]
    for kind, words in KINDS.items():
        names = list(miss.loc[miss["kind"] == kind, "area_name"])
        if names:
            items.append(f"Without rates, {words}: {', '.join(names)}. Coverage gives each "
                         "board's reason.")
    return "\n".join(f"- {x}" for x in items)


def figures_check(rec: Recorder) -> Any:
    """The figures check: no board paper is quoted, so the computed statement that none
    applies (:func:`hwb.toolkit.summary.figures_check`)."""
    from hwb.toolkit import summary

    return summary.figures_check(rec, "national.figures")


# --- the claims check: the appendix's own statements against what it shows ----------------------


def _count(cid: str, section: str, statement: str, fig: Any) -> dict[str, str]:
    return own_claim(cid, section, statement, "count", f"count={fig.value}")


def own_claims(rec: Recorder, res: Results, coverage_shown: pd.DataFrame, trend_data: pd.DataFrame,
               league_html: str, coverage_html: str) -> tuple[pd.DataFrame, dict[str, object]]:
    """The appendix's own statements as claims, and the evidence: the tables and charts shown.

    Each count the prose states (from recorded figures) is set against what the reader can
    count in the tables the appendix shows, so the two cannot drift apart unseen.
    """
    s, f, c = res.summary, res.funnel_figures, res.coverage_figures
    shown = display_table(rec, res).set_index("Board")
    rows, ev = [], {}
    rows.append(_count("national.rated", "Key messages", f"{s['rated']} boards with published "
                       "rates", s["rated"]))
    ev["national.rated"] = list(shown.index)
    for words in ("higher", "similar", "lower"):
        fig = s[f"bench_{words}"]
        than = "to" if words == "similar" else "than"
        rows.append(_count(f"national.benchmark.{words}", "Key messages", f"{fig} boards "
                           f"{words} {than} England (Fingertips)", fig))
        ev[rows[-1]["claim_id"]] = [b for b, v in shown[BENCHMARK].items() if str(v) == words]
    for label, words in SIGNIFICANCE_WORDS.items():
        fig = f[f"sig_{sig_key(label)}"]
        rows.append(_count(f"national.funnel.{sig_key(label)}", "Funnel plot",
                           f"{fig} boards {words}", fig))
        ev[rows[-1]["claim_id"]] = list(shown.index[shown[AGAINST] == words])
    change = res.table.set_index("area_name")["pct_change"]
    rows.append(_count("national.fell", "Key messages", f"the rate fell in {s['fell']} boards",
                       s["fell"]))
    ev["national.fell"] = list(change.index[change < 0])
    rows.append(_count("coverage.not_covered", "Coverage", f"{c['not_covered']} boards have "
                       "no rates", c["not_covered"]))
    ev["coverage.not_covered"] = list(coverage_shown["Board"])
    for kind, words in KINDS.items():
        fig = c[f"kind.{kind}"]
        rows.append(_count(f"coverage.{kind}", "Coverage", f"{words}: {fig}", fig))
        ev[rows[-1]["claim_id"]] = list(coverage_shown["Board"][coverage_shown["Kind"] == words])
    rows.append(_count("coverage.linked", "Coverage", f"{c['linked']} boards are linked",
                       c["linked"]))
    ev["coverage.linked"] = linked_count(league_html) + linked_count(coverage_html)
    tf = res.trend_figures
    rows.append(own_claim("england.highest_year", "England's trend", f"England's highest rate was "
                       f"in {tf['highest_year']}", "consistency",
                       "with=the trend chart's highest year;as=text"))
    top = trend_data["England"].map(lambda v: float(getattr(v, "value", v))).idxmax()
    ev["england.highest_year"] = {"this": str(tf["highest_year"]), "other": str(top)}
    return pd.DataFrame(rows), ev


def claims_check(rec: Recorder, res: Results, coverage_shown: pd.DataFrame,
                 trend_data: pd.DataFrame, league_html: str, coverage_html: str,
                 board: str = "", claims_file: Path | None = None) -> Any:
    """The claims check: printed statements, if any (the summary quotes no board paper, so
    none apply), and the appendix's own statements (:func:`own_claims`)."""
    from hwb.toolkit import summary

    own, ev = own_claims(rec, res, coverage_shown, trend_data, league_html, coverage_html)
    return summary.claims_check(own, ev, board, claims_file)
