"""The falls summary's numbers: one function per appendix section, every figure recorded.

* which boards the shipped rates cover, and why the others are not (:func:`boards`,
  :func:`hwb.papers.falls.board.coverage`, :func:`record_coverage`);
* the league table: each covered board's rate in the period's last year, the Fingertips
  benchmark against England, the change over the period (:func:`league`,
  :func:`record_league`, :func:`record_summary`);
* the funnel plot of the rates against the admissions expected at England's rate, limits
  adjusted for overdispersion (:func:`funnel_of`, :func:`record_funnel`);
* England's trend over the shipped years (:func:`england_trend`, :func:`record_trend`);
* :func:`compute`, which runs them in the appendix's order and returns :class:`Results`.

The rates are :mod:`hwb.sources.phof_falls`'s, as every board's falls appendix reads them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hwb.papers.falls.board import COUNTY_PREFIX, coverage
from hwb.papers.falls.england.params import NationalFallsParams
from hwb.papers.falls.params import ENGLAND, fy_start, years_from_period
from hwb.sources import phof_falls
from hwb.sources.params import slugify
from hwb.stats.overdispersion import CITATION, Overdispersion
from hwb.toolkit.figures import Figure, Recorder
from hwb.toolkit.summary import (
    FUNNEL_CLASSES,
    FUNNEL_VARIANT,
    OTHER_VARIANT,
    SR_METHOD,
    VARIANT_WORDS,
    outside_99_8,
    record_funnel_figures,
)
from hwb.toolkit.summary import area_fid as fid

SIGNIFICANCE_WORDS = FUNNEL_CLASSES
"""How :func:`hwb.stats.funnel_significance`'s labels read in the appendix."""

PER = 100_000
"""Rates are per 100,000 aged 65+."""

BENCHMARK_WORDS = {"Better": "lower", "Similar": "similar", "Worse": "higher",
                   "Not compared": "not compared"}
"""Fingertips' comparison with England at 95% (the shipped ``significance`` column) in the
summary's words: for this indicator a lower rate is better, so "Better" is lower."""



KINDS = {
    "shire_county": "shire counties (the shipped file has their districts, not the county)",
    "not_in_file": "not in the shipped file (it is on the April 2018 boundaries)",
    "blank": "blank in every year of the shipped file",
    "year_missing": "a year of the period missing",
}
"""Why a board has no rates, grouped (each board's own reason is :func:`coverage`'s)."""





def years(period: str) -> tuple[str, str]:
    """The change's first and last years: the year before the period, and its last year (as
    every board's appendix compares them, :func:`hwb.papers.falls.params.years_from_period`).

    Examples
    --------
    >>> years("2012/13-2015/16")
    ('2011/12', '2015/16')
    """
    y = years_from_period(period)
    return str(y["national_start"]), str(y["national_end"])


# --- the boards and their coverage --------------------------------------------------------------


def boards() -> pd.DataFrame:
    """Every upper-tier authority on April 2019 codes, the boards a national run builds.

    Examples
    --------
    >>> len(boards())
    151
    """
    from hwb.sources import population_by_year

    return population_by_year.population_table(2019)[["area_code", "area_name"]] \
        .reset_index(drop=True)


def reason_kind(code: str, national: pd.DataFrame, reason: str) -> str:
    """Which of :data:`KINDS` a board's reason for no rates is ("" when it has rates).

    Examples
    --------
    >>> n = pd.DataFrame({"area_code": ["E09000001"], "period": ["2015/16"], "dsr": [np.nan]})
    >>> reason_kind("E10000018", n, "x"), reason_kind("E09000001", n, "x")
    ('shire_county', 'blank')
    >>> reason_kind("E06000058", n, "x"), reason_kind("E06000058", n, "")
    ('not_in_file', '')
    """
    if not reason:
        return ""
    if code.startswith(COUNTY_PREFIX):
        return "shire_county"
    rows = national[national["area_code"] == code]
    if rows.empty:
        return "not_in_file"
    return "blank" if rows["dsr"].isna().all() else "year_missing"


def board_coverage(period: str, national: pd.DataFrame) -> pd.DataFrame:
    """:func:`hwb.papers.falls.board.coverage` of every board, with the reason's kind.

    Returns
    -------
    DataFrame
        ``area_code, area_name, covered, reason, kind``.
    """
    b = boards()
    cov = coverage(list(b["area_code"]), period, national)
    names = dict(zip(b["area_code"], b["area_name"], strict=True))
    cov["area_name"] = [n or names[c] for c, n in zip(cov["area_code"], cov["area_name"],
                                                      strict=True)]
    cov["kind"] = [reason_kind(c, national, r) for c, r in zip(cov["area_code"], cov["reason"],
                                                              strict=True)]
    return cov


def benchmarks(national: pd.DataFrame) -> pd.DataFrame:
    """Fingertips' published comparison with England for every area and year.

    The shipped file keeps Fingertips' ``significance`` (95%, against England's value, from
    the published confidence intervals, which the file does not carry).

    Parameters
    ----------
    national : DataFrame
        :func:`hwb.sources.phof_falls.load_national`.

    Returns
    -------
    DataFrame
        ``area_code, period, benchmark`` (:data:`BENCHMARK_WORDS`' words).

    Examples
    --------
    >>> b = benchmarks(phof_falls.load_national()).set_index(["area_code", "period"])["benchmark"]
    >>> b[("E08000018", "2011/12")], b[("E08000018", "2015/16")]
    ('higher', 'lower')
    """
    out = national[["area_code", "period"]].copy()
    out["benchmark"] = national["significance"].map(BENCHMARK_WORDS).fillna("not compared")
    return out.reset_index(drop=True)


# --- the league table and the funnel ------------------------------------------------------------


def england_rate(national: pd.DataFrame, year: str) -> float:
    """England's rate in ``year``.

    Examples
    --------
    >>> england_rate(phof_falls.load_national(), "2015/16")
    2169.0
    """
    r = national[(national["area_code"] == ENGLAND) & (national["period"] == year)]["dsr"]
    return float(r.iloc[0])


def league(period: str, national: pd.DataFrame, cov: pd.DataFrame,
           bench: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every covered board's rate in the period's last year, its change and benchmark.

    Parameters
    ----------
    period : str
        ``YYYY/YY-YYYY/YY``; the change runs from the year before it to its last year.
    national : DataFrame
        :func:`hwb.sources.phof_falls.load_national`.
    cov : DataFrame
        :func:`board_coverage` (the covered boards are the table's rows).
    bench : DataFrame, optional
        :func:`benchmarks` (of ``national`` when not given).

    Returns
    -------
    DataFrame
        ``area_code, area_name, dsr_start, dsr_end, change, pct_change, benchmark,
        population, vintage, observed, expected, rank`` sorted by rank (1 = the highest rate
        in the last year), then the funnel's ``significance`` and ``plain_significance``
        (:func:`funnel_of`). ``observed`` is the rate times the population aged 65+ over
        100,000 (the count at the standard age mix: the file has no counts), ``expected`` the
        same at England's rate.

    Examples
    --------
    Rotherham (E08000018): 2,407 in 2011/12, 1,595 in 2015/16, a fall of 33.7%.

    >>> n = phof_falls.load_national()
    >>> t = league("2012/13-2015/16", n, board_coverage("2012/13-2015/16", n))
    >>> r = t.set_index("area_code").loc["E08000018"]
    >>> float(r["dsr_start"]), float(r["dsr_end"]), round(float(r["pct_change"]), 1)
    (2407.0, 1595.0, -33.7)
    >>> r["benchmark"]
    'lower'
    """
    from hwb.sources import population_by_year

    start, end = years(period)
    bench = benchmarks(national) if bench is None else bench
    covered = cov[cov["covered"]]
    wide = national.pivot_table(index="area_code", columns="period", values="dsr",
                                aggfunc="first")
    b = bench[bench["period"] == end].set_index("area_code")["benchmark"]
    pops = population_by_year.population_table(fy_start(end), "65+")
    pop = pops.set_index("area_code")
    t = pd.DataFrame({"area_code": covered["area_code"].to_numpy(),
                      "area_name": covered["area_name"].to_numpy()})
    t["dsr_start"] = [float(wide.loc[c, start]) for c in t["area_code"]]
    t["dsr_end"] = [float(wide.loc[c, end]) for c in t["area_code"]]
    t["change"] = t["dsr_end"] - t["dsr_start"]
    t["pct_change"] = (t["dsr_end"] / t["dsr_start"] - 1) * 100
    t["benchmark"] = t["area_code"].map(b).fillna("not compared")
    t["population"] = t["area_code"].map(pop["value"]).astype(float)
    t["vintage"] = t["area_code"].map(pop["vintage"]).fillna("")
    t["observed"] = t["dsr_end"] * t["population"] / PER
    t["expected"] = england_rate(national, end) * t["population"] / PER
    t["rank"] = t["dsr_end"].rank(method="min", ascending=False).astype(int)
    t = t.sort_values(["rank", "area_name"]).reset_index(drop=True)
    t["significance"], t["plain_significance"] = "Not compared", "Not compared"
    ok = t["population"].notna()
    if ok.sum() >= 2:
        frame, od = funnel_of(t[ok], england_rate(national, end))
        t.loc[ok, "significance"] = frame["significance"].to_numpy()
        t.loc[ok, "plain_significance"] = plain_significance(frame, od)
    return t


def funnel_of(t: pd.DataFrame, england: float, variant: str = FUNNEL_VARIANT
              ) -> tuple[pd.DataFrame, Overdispersion]:
    """Each board's rate against England's, limits adjusted for overdispersion.

    Parameters
    ----------
    t : DataFrame
        ``observed, expected, area_code`` (:func:`league`).
    england : float
        England's rate in the year: the funnel's centre.
    variant : {"tau2", "phi"}
        The adjustment (:func:`hwb.stats.overdispersed_limits`).

    Returns
    -------
    frame : DataFrame
        :func:`hwb.stats.overdispersed_funnel`'s frame, ``label`` the area code, ``value`` the
        board's rate (the ratio observed / expected times England's rate).
    od : Overdispersion

    Notes
    -----
    A directly standardised rate is a weighted sum of age-specific rates; without the counts
    by age (the shipped file has none) its variance is approximated by that of a Poisson count
    at the standard age mix, rate x population aged 65+ / 100,000 (Fingertips' DSR intervals,
    Dobson's method, need the counts by age). Against that count, the funnel is the
    indirectly standardised ratio's (observed over expected at England's rate),
    Spiegelhalter DJ (2005), *Handling over-dispersion of performance indicators*, Qual Saf
    Health Care 14:347-351, as :func:`hwb.stats.overdispersed_funnel` implements it:
    z-scores of sqrt(O/E) (CQC), winsorised at 10% and 90%, phi the mean of their squares,
    tau² by DerSimonian-Laird.

    Examples
    --------
    >>> t = pd.DataFrame({"observed": [100.0, 110, 90, 100], "expected": [100.0] * 4,
    ...                   "area_code": list("abcd")})
    >>> f, od = funnel_of(t, 2000.0)
    >>> f["value"].tolist(), od.overdispersed
    ([2000.0, 2200.0, 1800.0, 2000.0], False)
    """
    from hwb import stats

    return stats.overdispersed_funnel(
        t["observed"].to_numpy(dtype=float), t["expected"].to_numpy(dtype=float), "ratio",
        multiplier=float(england), variant=variant, sr_method=SR_METHOD,
        labels=t["area_code"].tolist())


def plain_significance(frame: pd.DataFrame, od: Overdispersion) -> np.ndarray:
    """The funnel labels against plain (exact Poisson) limits, no allowance for overdispersion.

    Examples
    --------
    >>> t = pd.DataFrame({"observed": [100.0, 200, 50, 100], "expected": [100.0] * 4,
    ...                   "area_code": list("abcd")})
    >>> f, od = funnel_of(t, 2000.0)
    >>> plain_significance(f, od).tolist()
    ['Not significant', 'High (0.001)', 'Low (0.001)', 'Not significant']
    """
    from hwb import stats

    plain = dataclasses.replace(od, overdispersed=False)
    lim = stats.overdispersed_limits(frame["denominator"], plain,
                                     float(frame["baseline"].iloc[0]))
    return stats.funnel_significance(frame["value"], lim)


def record_league(rec: Recorder, t: pd.DataFrame, period: str) -> None:
    """Record every board's figures of the league table."""
    start, end = years(period)
    src = [phof_falls.NATIONAL_FILE]
    for _, r in t.iterrows():
        c, name = str(r["area_code"]), str(r["area_name"])
        rows = {phof_falls.NATIONAL_FILE: [f"{c} {start}", f"{c} {end}"]}
        rec.record(fid(c, "dsr_end"), f"{name}: falls admissions per 100,000 aged 65+ "
                   f"(directly standardised), {end}", float(r["dsr_end"]), "", 0, inputs=src,
                   rows=rows)
        rec.record(fid(c, "dsr_start"), f"{name}: falls admissions per 100,000 aged 65+ "
                   f"(directly standardised), {start}", float(r["dsr_start"]), "", 0,
                   inputs=src)
        rec.record(fid(c, "pct_change"), f"{name}: change in the falls rate, {start} to {end}",
                   float(r["pct_change"]), "percent", 1, method="rate in the last year over "
                   "rate in the first, less one")
        rec.record(fid(c, "rank"), f"{name}: rank of the falls rate among the boards, {end} "
                   "(1 = highest)", int(r["rank"]), "", 0)
        rec.record(fid(c, "benchmark"), f"{name}: against England, {end} (Fingertips, 95%)",
                   str(r["benchmark"]), inputs=src)
        if pd.notna(r["population"]):
            rec.record(fid(c, "population_65plus"), f"{name}: population aged 65+, "
                       f"mid-{fy_start(end)}", float(r["population"]), "people", 0,
                       vintage=str(r["vintage"]))


def record_summary(rec: Recorder, t: pd.DataFrame, national: pd.DataFrame,
                   period: str) -> dict[str, Figure]:
    """Record England's rates, the spread, the benchmark counts and the changes.

    Returns
    -------
    dict
        The recorded figures by name.
    """
    start, end = years(period)
    src = [phof_falls.NATIONAL_FILE]
    eng_start, eng_end = england_rate(national, start), england_rate(national, end)
    out: dict[str, Figure] = {
        "eng_start": rec.record("england.dsr_start", f"England: falls admissions per 100,000 "
                                f"aged 65+, {start}", eng_start, "", 0, inputs=src),
        "eng_end": rec.record("england.dsr_end", f"England: falls admissions per 100,000 aged "
                              f"65+, {end}", eng_end, "", 0, inputs=src),
        "eng_change": rec.record("england.pct_change", f"England: change in the falls rate, "
                                 f"{start} to {end}", (eng_end / eng_start - 1) * 100,
                                 "percent", 1, inputs=src),
        "rated": rec.record("national.rated", f"Boards with published rates for {start} to "
                            f"{end}", len(t), "boards", 0),
    }
    hi, lo = t.loc[t["dsr_end"].idxmax()], t.loc[t["dsr_end"].idxmin()]
    out["highest"] = rec[fid(str(hi["area_code"]), "dsr_end")]
    out["highest_name"] = rec.record("national.highest_name", f"Board with the highest rate, "
                                     f"{end}", str(hi["area_name"]))
    out["lowest"] = rec[fid(str(lo["area_code"]), "dsr_end")]
    out["lowest_name"] = rec.record("national.lowest_name", f"Board with the lowest rate, {end}",
                                    str(lo["area_name"]))
    out["ratio"] = rec.record("national.highest_to_lowest", "Highest board rate over the "
                              "lowest", float(hi["dsr_end"]) / float(lo["dsr_end"]), "times", 1)
    out["median"] = rec.record("national.median", f"Median board rate, {end}",
                               float(t["dsr_end"].median()), "", 0)
    for key, words in BENCHMARK_WORDS.items():
        w = words.replace(" ", "_")
        out[f"bench_{w}"] = rec.record(
            f"national.benchmark.{w}", f"Boards whose rate was {words} than England's, {end} "
            "(Fingertips, 95%)" if key != "Not compared" else f"Boards not compared with "
            f"England, {end}", int((t["benchmark"] == words).sum()), "boards", 0, inputs=src,
            method=f"the shipped Fingertips comparison '{key}'")
    out["fell"] = rec.record("national.fell", f"Boards whose rate fell, {start} to {end}",
                             int((t["pct_change"] < 0).sum()), "boards", 0)
    out["better_than_england"] = rec.record(
        "national.changed_less_than_england", f"Boards whose rate changed by less than "
        f"England's, {start} to {end}",
        int((t["pct_change"] < (eng_end / eng_start - 1) * 100).sum()), "boards", 0)
    return out


def record_funnel(rec: Recorder, t: pd.DataFrame, od: Overdispersion, england: float
                  ) -> dict[str, Figure]:
    """Record φ, τ², the test and the boards against each limit (the adjusted, the other
    adjustment, and plain Poisson).

    Returns
    -------
    dict
        Those of :func:`hwb.toolkit.summary.record_funnel_figures` and ``chi2_p_text`` (the
        p-value as written), ``other_outside_99_8``, ``plain_outside_99_8``.
    """
    la = t[t["significance"] != "Not compared"]
    out = record_funnel_figures(rec, "national", od, la["significance"],
                                basis="counts at the standard age mix")
    out["chi2_p_text"] = rec.record(
        "national.funnel.chi2_p_shown", "P-value of the chi-square test of no overdispersion, "
        "as written (to a floor of 0.001)",
        "< 0.001" if od.chi2_p < 0.001 else f"= {od.chi2_p:.3f}", method=out["chi2_p"].method)
    frame, _ = funnel_of(la, england, variant=OTHER_VARIANT)
    out["other_outside_99_8"] = rec.record(
        f"national.funnel.{OTHER_VARIANT}_variant_outside_99_8", "Boards outside the 99.8% "
        "limits with the other adjustment", outside_99_8(frame["significance"]), "boards", 0,
        method=f"{CITATION}; limits: {VARIANT_WORDS[OTHER_VARIANT]}")
    out["plain_outside_99_8"] = rec.record(
        "national.funnel.plain_outside_99_8", "Boards outside plain Poisson 99.8% limits (no "
        "allowance for overdispersion)", outside_99_8(la["plain_significance"]), "boards", 0,
        method="exact Poisson limits against the expected count")
    return out


# --- England's trend -----------------------------------------------------------------------------


def england_trend(national: pd.DataFrame) -> pd.DataFrame:
    """England's rate in every shipped year, in year order.

    Examples
    --------
    >>> m = england_trend(phof_falls.load_national())
    >>> m["period"].iloc[0], float(m["dsr"].iloc[0]), m["period"].iloc[-1], float(m["dsr"].iloc[-1])
    ('2010/11', 2126.0, '2017/18', 2170.0)
    """
    e = national[(national["area_code"] == ENGLAND) & national["dsr"].notna()]
    return e[["period", "dsr"]].sort_values("period").reset_index(drop=True)


def record_trend(rec: Recorder, trend: pd.DataFrame) -> dict[str, Figure]:
    """Record England's rate in every year, its lowest and highest years.

    Returns
    -------
    dict
        ``year.<period>`` for each year, ``lowest``/``lowest_year``, ``highest``/
        ``highest_year``, ``first``/``last`` (the figures of the first and last years).
    """
    out: dict[str, Figure] = {}
    for _, r in trend.iterrows():
        y = str(r["period"])
        out[f"year.{y}"] = rec.record(f"england.dsr.{slugify(y)}", f"England: falls admissions "
                                      f"per 100,000 aged 65+, {y}", float(r["dsr"]), "", 0,
                                      inputs=[phof_falls.NATIONAL_FILE])
    lo, hi = trend.loc[trend["dsr"].idxmin()], trend.loc[trend["dsr"].idxmax()]
    out["lowest"], out["highest"] = out[f"year.{lo['period']}"], out[f"year.{hi['period']}"]
    out["lowest_year"] = rec.record("england.lowest_year", "England: year of the lowest falls "
                                    "rate", str(lo["period"]))
    out["highest_year"] = rec.record("england.highest_year", "England: year of the highest "
                                     "falls rate", str(hi["period"]))
    out["first"] = out[f"year.{trend['period'].iloc[0]}"]
    out["last"] = out[f"year.{trend['period'].iloc[-1]}"]
    return out


# --- coverage and links --------------------------------------------------------------------------


def record_coverage(rec: Recorder, cov: pd.DataFrame, links: dict[str, str]) -> dict[str, Figure]:
    """Record the boards covered, not covered (by kind) and linked.

    Returns
    -------
    dict
        ``boards, covered, not_covered, linked`` and ``kind.<kind>`` for each of
        :data:`KINDS`.
    """
    out = {"boards": rec.record("coverage.boards", "Health and Wellbeing Boards (upper-tier "
                                "authorities, April 2019)", len(cov), "boards", 0),
           "covered": rec.record("coverage.covered", "Boards with published rates for the "
                                 "period", int(cov["covered"].sum()), "boards", 0),
           "not_covered": rec.record("coverage.not_covered", "Boards without published rates "
                                     "for the period", int((~cov["covered"]).sum()), "boards",
                                     0),
           "linked": rec.record("coverage.linked", "Boards linked to their appendix",
                                len(links), "boards", 0)}
    for kind, words in KINDS.items():
        out[f"kind.{kind}"] = rec.record(f"coverage.{kind}", f"Boards without rates: {words}",
                                         int((cov["kind"] == kind).sum()), "boards", 0)
    return out


def link_for(params: NationalFallsParams, area_name: str) -> str:
    """The relative link from this appendix to a board's falls appendix for the period.

    Examples
    --------
    >>> p = NationalFallsParams(period="2012/13-2015/16")
    >>> link_for(p, "Kingston upon Hull, City of")
    '../../falls/kingston-upon-hull-city-of/2012-13-2015-16/appendix.html'
    """
    from hwb.toolkit.summary import appendix_link

    return appendix_link(params.appendix_links, area_name, params.period)


def links(params: NationalFallsParams, cov: pd.DataFrame) -> dict[str, str]:
    """Board name -> link, for the boards whose appendix exists (``params.linked``; a board
    without rates has one too, saying so), or every covered board when it is ``None``."""
    rows = cov[cov["covered"]] if params.linked is None \
        else cov[cov["area_code"].isin(params.linked)]
    return {str(n): link_for(params, str(n)) for n in rows["area_name"]}


# --- the whole appendix --------------------------------------------------------------------------


@dataclass
class Results:
    """What the notebook shows, section by section."""

    period: str
    start: str
    end: str
    table: pd.DataFrame
    """:func:`league`."""
    summary: dict[str, Figure]
    funnel: pd.DataFrame
    od: Overdispersion
    funnel_figures: dict[str, Figure]
    england: float
    """England's rate in the last year (the funnel's centre)."""
    trend: pd.DataFrame
    trend_figures: dict[str, Figure]
    coverage: pd.DataFrame
    """:func:`board_coverage`."""
    coverage_figures: dict[str, Figure]
    links: dict[str, str]
    vintage: str
    """The population estimates the funnel divides by."""


def compute(params: NationalFallsParams, rec: Recorder,
            national: pd.DataFrame | None = None) -> Results:
    """Every section's figures, recorded in the appendix's order.

    Examples
    --------
    >>> from hwb.toolkit import figures
    >>> r = compute(NationalFallsParams(period="2012/13-2015/16"), figures.start())
    >>> r.summary["rated"].value, r.coverage_figures["kind.shire_county"].value
    (121, 26)
    """
    national = phof_falls.load_national() if national is None else national
    period = params.period
    start, end = years(period)
    cov = board_coverage(period, national)
    t = league(period, national, cov)
    record_league(rec, t, period)
    summary = record_summary(rec, t, national, period)
    eng = england_rate(national, end)
    ok = t[t["significance"] != "Not compared"]
    frame, od = funnel_of(ok, eng)
    funnel_figures = record_funnel(rec, t, od, eng)
    trend = england_trend(national)
    trend_figures = record_trend(rec, trend)
    lk = links(params, cov)
    coverage_figures = record_coverage(rec, cov, lk)
    vintage = "; ".join(sorted(set(t["vintage"]) - {""}))
    return Results(period=period, start=start, end=end, table=t, summary=summary, funnel=frame,
                   od=od, funnel_figures=funnel_figures, england=eng, trend=trend,
                   trend_figures=trend_figures, coverage=cov, coverage_figures=coverage_figures,
                   links=lk, vintage=vintage)
