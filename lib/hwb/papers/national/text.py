"""The national summary's words: key messages, section sentences, methods, caveats, claims.

Every number is a recorded figure (:meth:`hwb.toolkit.figures.Recorder.say`); every fact
that could go stale (which areas are combined, the population year, the limits used) is
read from the data or the code that computes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from hwb.fmt import format_number
from hwb.papers.national.charts import AGAINST, display_table
from hwb.papers.national.compute import FUNNEL_VARIANT, SIGNIFICANCE_WORDS, Results
from hwb.sources import dtoc
from hwb.sources.params import area_names
from hwb.stats import spc
from hwb.stats.overdispersion import CITATION
from hwb.toolkit import summary
from hwb.toolkit.figures import Recorder
from hwb.toolkit.summary import sig_key


def p_text(p: float) -> str:
    """A p-value as the appendix writes it, to a floor.

    Examples
    --------
    >>> p_text(0.0), p_text(0.0123)
    ('< 0.001', '0.012')
    """
    return "< 0.001" if p < 0.001 else format_number(p, 3)


def limits_words(res: Results) -> str:
    """Which funnel limits were used, as a template whose ``{phi}`` and ``{tau2}`` are the
    recorded figures (so they stay traceable in the prose)."""
    if not res.od.overdispersed:
        return ("plain Poisson funnel limits around England's rate (the data show no "
                "overdispersion: phi = {phi}, tau² = 0)")
    how = ("an additive between-authority variance" if FUNNEL_VARIANT == "tau2"
           else "the square root of phi")
    return ("funnel limits around England's rate adjusted for overdispersion (phi = {phi}, "
            f"tau² = {{tau2}}, widened by {how}; Spiegelhalter 2005)")


def key_messages(rec: Recorder, res: Results) -> Any:
    """The key messages: England's month, the spread, the funnel and England's trend."""
    s, f, eng = res.summary, res.funnel_figures, dtoc.ENGLAND.lower()
    were = "was" if f["outside_99_8"].value == 1 else "were"
    funnel = ("- Against " + limits_words(res) + f", {{out99}} of the {{n}} authorities {were} "
              "outside the 99.8% limits ({above99} above, {below99} below) and {out95} outside "
              "the 95% limits ({above95} above, {below95} below).")
    if res.od.overdispersed:
        funnel += (" Plain Poisson limits, which treat every delayed day as an independent "
                   "event, would put {plain} outside the 99.8% limits: authorities differ far "
                   "more than chance alone, so only the adjusted limits say which differ more "
                   "than authorities usually do.")
    return rec.say(
        "- In {month}, England's residents aged 18+ spent **{days}** days delayed in hospital: "
        "**{rate}** patients delayed per day per 100,000 adults.\n"
        "- The NHS was responsible for {nhs} of the delayed days, social care for {sc} and both "
        "jointly for {both}. Social care was responsible for more than half in {scm} of the "
        "{rated} local authorities with a rate.\n"
        "- The rate per day ranged from {lo} ({lo_name}) to {hi} ({hi_name})"
        + (", {ratio} times as high" if "ratio" in s else "")
        + "; the median authority's was {median}.\n" + funnel + "\n"
        "- England's monthly rate per day from {first} to {last}: {variation} "
        "(SPC chart, *Making Data Count*); there is no national target on this measure, so "
        "no assurance verdict.",
        month=res.words, days=rec[f"{eng}.days"], rate=rec[f"{eng}.rate_per_day"],
        nhs=s["eng_share_nhs"], sc=s["eng_share_social_care"], both=s["eng_share_both"],
        scm=s["sc_majority"], rated=s["rated"], lo=s["lowest"], lo_name=s["lowest_name"],
        hi=s["highest"], hi_name=s["highest_name"], ratio=s.get("ratio", ""), median=s["median"],
        phi=f["phi"], tau2=f["tau2"], out99=f["outside_99_8"], n=f["n"],
        above99=f["sig_high_0_001"], below99=f["sig_low_0_001"], out95=f["outside_95"],
        above95=f["sig_high_0_025"], below95=f["sig_low_0_025"], plain=f["plain_outside_99_8"],
        first=res.spc["first"], last=res.spc["last"], variation=res.spc["variation"])


def funnel_words(rec: Recorder, res: Results) -> Any:
    """The sentences under the funnel plot: the method, φ, τ², the test and the counts."""
    f = res.funnel_figures
    template = (
        "The {n} authorities' delayed days were set against those expected at England's rate "
        "for their population aged 18+. Their z-scores (on the square-root scale) spread far "
        "more than Poisson chance allows: the overdispersion factor phi is {phi} (1 would be "
        "chance alone; chi-square test of no overdispersion, p {p}), and the between-authority "
        "variance tau² is {tau2}. {used} At 95% and 99.8%, {within} authorities were within the "
        "95% limits, {above95} above and {below95} below the 95% limits only, and {out99} "
        "outside the 99.8% limits.")
    if res.od.overdispersed and FUNNEL_VARIANT == "tau2":
        template += (" Widening the plain limits by the square root of phi instead "
                     "(Spiegelhalter's multiplicative adjustment) would put {other} outside the "
                     "99.8% limits.")
    return rec.say(
        template, n=f["n"], phi=f["phi"], p=p_text(res.od.chi2_p), tau2=f["tau2"],
        used=("The limits therefore add tau² to each authority's own Poisson variance."
              if res.od.overdispersed else "The limits are the plain Poisson ones."),
        within=f["sig_not_significant"], above95=f["sig_high_0_025"],
        below95=f["sig_low_0_025"], out99=f["outside_99_8"], other=f["other_outside_99_8"])


def trend_words(rec: Recorder, res: Results) -> Any:
    """The sentence under England's SPC chart (with the chart's warnings, e.g. too few points)."""
    warnings = " ".join(f"Caution: {w}." for w in res.spc["summary"].warnings)
    return rec.say(
        "From {first} to {last}, {special} of England's months showed special cause variation; "
        "the latest month's verdict is {variation}. Improvement is fewer delays; with no "
        "national target on this measure there is no assurance verdict." + (" {warnings}"
                                                                            if warnings else ""),
        first=res.spc["first"], last=res.spc["last"], special=res.spc["special"],
        variation=res.spc["variation"], warnings=warnings)


def falls_words(rec: Recorder, res: Results, start: str, end: str) -> Any:
    """The sentence under the falls chart."""
    return rec.say("From {a} to {b}, England's falls rate changed by {eng}. It fell in {fell} of "
                   "{n} districts and unitary authorities, and {better} changed by less than "
                   "England (a larger fall or a smaller rise).", a=start, b=end,
                   eng=rec["falls.england_pct_change"], fell=rec["falls.areas_fell"],
                   n=rec["falls.areas"], better=rec["falls.areas_better_than_england"])


def coverage_words(rec: Recorder) -> Any:
    """The sentence under the coverage table."""
    return rec.say("{n} authorities have no appendix for the month; {linked} are linked from the "
                   "league table.", n=rec["national.no_appendix"], linked=rec["national.linked"])


def combined_areas() -> str:
    """The areas the series counts with a neighbour, in words, from the data.

    Examples
    --------
    >>> combined_areas()
    "the City of London's population is added to Hackney's and the Isles of Scilly's to Cornwall's"
    """
    def name(code: str) -> str:
        n = str(area_names().get(code, code))
        return f"the {n}" if n.split()[0] in ("City", "Isles") else n  # "the City of London"

    pairs = [(name(e), name(m)) for m, extra in dtoc.COMBINED_POPULATION.items() for e in extra]
    return " and ".join(f"{e}'s{' population is added' if i == 0 else ''} to {m}'s"
                        for i, (e, m) in enumerate(pairs))


def methods_markdown(res: Results) -> str:
    """How the summary's figures are computed (no numbers: those are recorded figures)."""
    od = res.od
    how = ("the additive random-effects variant: tau² is added to each authority's own "
           "variance, as in the CQC and SHMI funnels" if FUNNEL_VARIANT == "tau2" else
           "the multiplicative variant: limits widened by the square root of phi")
    return (
        "**Delayed days.** NHS England's monthly delayed days for patients aged 18+, by the "
        "local authority where they live, split by the organisation responsible (NHS, social "
        "care, or both jointly): the same series and the same code (`hwb.sources.dtoc`) as every "
        "board's appendix.\n\n"
        "**Rates.** Delayed days divided by the population aged 18+, times 100,000, per month; "
        "the rate per day divides that by the days in the month: the average number of beds "
        "occupied by delayed patients on a day per 100,000 adults. Each month divides by the "
        "ONS estimate of its own mid-year (the calendar year's 30 June) on the series' "
        "boundaries, to whole persons, the denominators every board's appendix uses "
        "(`hwb.sources.dtoc`): mid-2011 and mid-2014 to mid-2019 as ONS published them, "
        "mid-2012 and mid-2013 interpolated between mid-2011 and mid-2014 age by age and "
        "scaled to the ONS all-ages series. Bournemouth, Poole and the old Dorset county, "
        "which the series counts to April 2019, divide 2018's and 2019's months by mid-2018, "
        "apportioned from the published Bournemouth, Christchurch and Poole in the mid-2017 "
        "shares (ONS published mid-2018 on the new boundaries only); Bournemouth, "
        "Christchurch and Poole and the unitary Dorset, counted from May 2019, by mid-2019. "
        f"This month: {res.vintage} The series has no rows for some authorities: "
        f"{combined_areas()}, as the series' rows count them. England's population is the "
        "sum of the English local authorities; England's trend divides each month by its own "
        "mid-year's.\n\n"
        "**Funnel plot.** Each authority's delayed days are set against those expected at "
        "England's rate for its 18+ population (an indirectly standardised ratio). Because "
        "delayed days are not independent events, the limits follow Spiegelhalter's method "
        f"for overdispersion ({CITATION}; computed by `hwb.stats`): z-scores on the "
        "square-root scale, winsorised at the 10% and 90% points; phi, the mean of their "
        "squares; tau², the between-authority variance (DerSimonian-Laird); 95% and 99.8% "
        f"two-sided limits. This appendix uses {how}. "
        + ("The data are overdispersed, so the adjusted limits are used throughout. "
           if od.overdispersed else
           "The data show no overdispersion, so the limits are the plain exact Poisson ones. ")
        + "The curves are drawn against population: at each population the expected days "
        "give the limits.\n\n"
        f"**England's trend.** An SPC chart of the monthly rate per day ({spc.METHOD}; "
        "computed by `hwb.stats`): the mean, process limits at the mean "
        "plus or minus 2.66 mean moving ranges, and the special-cause rules (a point beyond a "
        "limit, a run of points on one side of the mean, a trend, two of three points beyond "
        "two sigma). Fewer delays are an improvement.\n\n"
        "**Falls.** The directly standardised rate of emergency hospital admissions for falls, "
        "persons aged 65+, per 100,000 (Public Health Outcomes Framework indicator 2.24i, "
        "Fingertips), for every district and unitary authority: the percentage change between "
        "two years, set against England's (read by `hwb.sources`, as in the falls paper)."
    )


def caveats_markdown(res: Results) -> str:
    """Assumptions and caveats of the summary (no numbers)."""
    items = [
        "Delayed days are not independent events: one patient delayed for a month contributes "
        "thirty days. The funnel limits allow for the spread between authorities beyond "
        "chance; an authority outside them differs from England by more than authorities "
        "usually do, which is a question to ask, not a verdict on its services. No interval is "
        "put on a single authority's delayed days.",
        "Each month divides by the estimate of its own mid-year, so a month's rates and ranks "
        "are per head of that year's adults; a month between two mid-years uses the earlier "
        "or later one by its calendar year, not a blend. Interpolated (mid-2012, mid-2013) and "
        "apportioned (Bournemouth, Poole and the old Dorset at mid-2018) estimates are the "
        "project's, not ONS's, and the table's note names them when they are used.",
        "The series is NHS England's revised data as re-published in 2019; papers written at "
        "the time used the figures first published, divided by the populations they had.",
        "Each board's appendix built by a national run divides by the same estimates as this "
        "table; an appendix of a printed board paper may state other denominators (those "
        "printed) in its methods, and its rates then differ from those here. "
        f"Both use the series' areas: {combined_areas()}.",
    ]
    return "\n".join(f"- {x}" for x in items)


def quality_words(rec: Recorder) -> Any:
    """The data quality section."""
    return rec.say(
        "- Both NHS England files were checked row for row on loading: the same area and month "
        "on every row, and NHS + social care + both equal to the all-reasons total (the load "
        "stops with the row number otherwise). Rows before July 2015 carry NHS England's old "
        "codes and get the ONS code that the same name carries from July 2015.\n"
        "- Local authorities with a missing part in the month: {incomplete}. A missing part "
        "leaves the total, the rate and the rank blank.\n"
        "- Every authority of the series in the month has an 18+ estimate of the month's "
        "mid-year on its boundaries, or Coverage says why it has none.\n"
        "- Districts and unitary authorities left out of the falls chart because the shipped "
        "Fingertips extract has no rate for one of the two years (its SOURCE note lists the "
        "blanks): {falls_gap}.",
        incomplete=rec["quality.incomplete"], falls_gap=rec["quality.falls_without_both_years"])


def figures_check(rec: Recorder) -> Any:
    """The figures check, or the computed statement that no printed figure applies."""
    return summary.figures_check(rec, "national.figures")


# --- the claims check: the appendix's own statements against what it shows ----------------------


_claim = summary.own_claim


def own_claims(rec: Recorder, res: Results, missing: pd.DataFrame, falls_data: pd.DataFrame,
               trend_data: pd.DataFrame, ranked_html: str,
               ) -> tuple[pd.DataFrame, dict[str, object]]:
    """The appendix's own statements as claims, and the evidence: the tables and charts shown.

    Each count or verdict the prose states (from recorded figures) is set against what the
    reader can count in the table or chart data the appendix shows, so the two cannot drift
    apart unseen.

    Returns
    -------
    (DataFrame, dict)
        Claim rows in :data:`hwb.toolkit.claims.CLAIM_COLUMNS` and the evidence by claim id.
    """
    f = res.funnel_figures
    shown = display_table(rec, res.table, "rank").set_index("Area")[AGAINST]
    rows, ev = [], {}
    for label in ("High (0.001)", "Low (0.001)", "High (0.025)", "Low (0.025)",
                  "Not significant"):
        key = sig_key(label)
        fig = f[f"sig_{key}"]
        words = SIGNIFICANCE_WORDS[label]
        rows.append(_claim(f"national.funnel.{key}", "Key messages and Funnel plot",
                           f"{fig} authorities {words}", "count", f"count={fig.value}"))
        ev[rows[-1]["claim_id"]] = list(shown.index[shown == words])
    rows.append(_claim("national.rated", "Key messages", f"{res.summary['rated']} local "
                       "authorities with a rate", "count", f"count={res.summary['rated'].value}"))
    ranks = display_table(rec, res.table, "rank").set_index("Area")["Rank"]
    ev["national.rated"] = list(ranks.index[ranks != "[x]"])
    cov = rec["national.no_appendix"]
    rows.append(_claim("national.no_appendix", "Coverage", f"{cov} authorities have no appendix "
                       "for the month", "count", f"count={cov.value}"))
    ev["national.no_appendix"] = list(missing["Area"])
    linked = rec["national.linked"]
    rows.append(_claim("national.linked", "Coverage", f"{linked} are linked from the league "
                       "table", "count", f"count={linked.value}"))
    ev["national.linked"] = summary.linked_count(ranked_html)
    fell = rec["falls.areas_fell"]
    rows.append(_claim("falls.areas_fell", "Falls context", f"It fell in {fell} of "
                       f"{rec['falls.areas']} districts and unitary authorities", "count",
                       f"count={fell.value}"))
    change = falls_data.iloc[:, -1].astype(float)
    ev["falls.areas_fell"] = list(falls_data.index[change < 0])
    rows.append(_claim("england.spc_variation", "Key messages and England's monthly trend",
                       f"England's monthly rate per day: {res.spc['variation']}", "consistency",
                       "with=the SPC chart's latest point;as=text"))
    ev["england.spc_variation"] = {"this": str(res.spc["variation"]),
                                   "other": str(trend_data["SPC verdict"].iloc[-1])}
    return pd.DataFrame(rows), ev


def claims_check(rec: Recorder, res: Results, missing: pd.DataFrame, falls_data: pd.DataFrame,
                 trend_data: pd.DataFrame, ranked_html: str, board: str = "",
                 claims_file: Path | None = None) -> Any:
    """The claims check: printed statements, if any, and the appendix's own statements.

    Printed statements are those of ``claims_file`` for ``board`` (the national summary has
    no board paper: ``board`` is blank and the paper ships no claims file, so none apply, and
    the caption says so).  The records are published for the manifest
    (:func:`hwb.toolkit.claims.show_claims`); the table shown has this appendix's own caption.
    """
    cl, ev = own_claims(rec, res, missing, falls_data, trend_data, ranked_html)
    return summary.claims_check(cl, ev, board, claims_file)
