"""The national summary's numbers: one function per appendix section, every figure recorded.

* the league table (:func:`league`, :func:`record_league`, :func:`record_summary`);
* the funnel plot, with limits adjusted for overdispersion (:func:`funnel_of`,
  :func:`funnel_curves`, :func:`record_funnel`);
* England's monthly trend as an SPC chart (:func:`england_trend`, :func:`record_trend`);
* the denominators: each month's delayed days over the ONS estimate of persons aged 18+ of
  its own mid-year, on the series' boundaries (:func:`denominators`, :func:`vintage_words`);
* coverage and data quality (:func:`coverage`, :func:`record_coverage`,
  :func:`record_quality`);
* :func:`compute`, which runs them in the appendix's order and returns :class:`Results`.

The measure and the national table are :mod:`hwb.sources.dtoc`'s (the same numbers the
boards' appendices quote).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from hwb import periods
from hwb.papers.national import falls_context
from hwb.papers.national.params import PER, NationalParams
from hwb.sources import dtoc
from hwb.sources.params import AREA_CODE
from hwb.stats.overdispersion import Overdispersion
from hwb.toolkit.figures import Recorder
from hwb.toolkit.summary import (
    FUNNEL_VARIANT,
    OTHER_VARIANT,
    SR_METHOD,
    VARIANT_WORDS,
    appendix_link,
    outside_99_8,
    record_funnel_figures,
)
from hwb.toolkit.summary import SIGNIFICANCE_WORDS as _WORDS
from hwb.toolkit.summary import area_fid as fid

SIGNIFICANCE_WORDS = {**_WORDS, "Not compared": "not compared (no 18+ population)"}
"""How :func:`hwb.stats.funnel_significance`'s labels read in the appendix."""






# --- the denominators: each month's own mid-year ------------------------------------------------


def denominators(year: int) -> pd.DataFrame:
    """The 18+ denominators of a mid-year for every series row, as every board's appendix has them.

    Parameters
    ----------
    year : int
        The mid-year, 2011 ... 2019: a month's is :func:`hwb.sources.dtoc.population_year`.

    Returns
    -------
    DataFrame
        The rows of :func:`hwb.sources.dtoc.populations_of_year` (``area_code, area_name,
        population, estimate_year, vintage, file``; England the sum over the year's
        authorities) without the City of London and the Isles of Scilly, which the series
        counts with Hackney and Cornwall (:data:`hwb.sources.dtoc.COMBINED_POPULATION`);
        ``population`` is each row's denominator exactly as
        :func:`hwb.sources.dtoc.by_year_denominators` gives it to the board's own appendix (to
        whole persons, the combined areas included), which also logs the files as the run's
        inputs.

    Examples
    --------
    Leicestershire at mid-2017: the shipped ONS mid-2017 estimate's single years 18 to 90+ sum
    to 551,802; Hackney's 212,881 with the City of London's 6,400 is 219,281.

    >>> d = denominators(2017).set_index("area_code")
    >>> int(d.loc["E10000018", "population"]), d.loc["E10000018", "vintage"]
    (551802, 'ONS mid-2017 estimate')
    >>> int(d.loc["E09000012", "population"]), "E09000001" in d.index
    (219281, False)

    Mid-2012 is interpolated (a third of the way from mid-2011's 517,281 to mid-2014's
    533,105, then scaled to the all-ages series), and says so:

    >>> d = denominators(2012).set_index("area_code")
    >>> d.loc["E10000018", "vintage"].split(" (")[0]
    'interpolated mid-2012'
    """
    t = dtoc.populations_of_year(year)
    absorbed = {e for extras in dtoc.COMBINED_POPULATION.values() for e in extras}
    t = t[~t["area_code"].isin(absorbed)].copy()
    june = f"{int(year)}-06"  # any month of the year: by_year_denominators takes periods
    t["population"] = [float(dtoc.by_year_denominators(str(c), [june])[0][june])
                       for c in t["area_code"]]
    return t.reset_index(drop=True)


def month_denominators(month: str) -> pd.DataFrame:
    """:func:`denominators` of the month's own mid-year (:func:`hwb.sources.dtoc.population_year`).

    Examples
    --------
    >>> int(month_denominators("2019-12")["estimate_year"].max())
    2019
    """
    return denominators(dtoc.population_year(month))


def vintage_words(t: pd.DataFrame) -> str:
    """Which estimates the month's rates divide by, in words, from the table's own rows.

    Parameters
    ----------
    t : DataFrame
        :func:`league` (its ``vintage`` column).

    Returns
    -------
    str
        One sentence per vintage, the most used first, naming the authorities that use it:
        "every authority" when one vintage serves all, the names when it serves fewer than
        five, a count otherwise.

    Examples
    --------
    >>> t = pd.DataFrame({"area_code": ["E92000001", "E1", "E2"], "area_name": ["England",
    ...                   "A", "B"], "vintage": ["v", "ONS mid-2017 estimate", "x; y"],
    ...                   "population": [2.0, 1.0, 1.0]})
    >>> vintage_words(t)
    'ONS mid-2017 estimate for A. X; y for B.'
    >>> vintage_words(t.iloc[:2])
    'ONS mid-2017 estimate for every authority.'
    """
    la = t[(t["area_code"] != dtoc.ENGLAND) & t["population"].notna()]
    groups = la.groupby("vintage", sort=False)["area_name"].apply(list)
    parts = []
    for vintage, names in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        who = ("every authority" if len(groups) == 1 else ", ".join(names) if len(names) < 5
               else f"{len(names)} authorities")
        parts.append(f"{vintage[:1].upper()}{vintage[1:]} for {who}.")
    return " ".join(parts)


# --- the league table and the funnel -----------------------------------------------------------


def _rated(t: pd.DataFrame) -> pd.DataFrame:
    return t[(t["area_code"] != dtoc.ENGLAND) & t["rate_total"].notna()]


def _england(t: pd.DataFrame) -> pd.Series:
    return t[t["area_code"] == dtoc.ENGLAND].iloc[0]


def funnel_of(t: pd.DataFrame, variant: str = FUNNEL_VARIANT) -> tuple[pd.DataFrame,
                                                                       Overdispersion]:
    """Each rated authority against England's rate, with limits adjusted for overdispersion.

    Parameters
    ----------
    t : DataFrame
        :func:`hwb.sources.dtoc.national_table` for one month.
    variant : {"tau2", "phi"}
        The adjustment (:func:`hwb.stats.overdispersed_limits`).

    Returns
    -------
    frame : DataFrame
        :func:`hwb.stats.overdispersed_funnel`'s frame, ``label`` the area code: observed
        delayed days against those expected at England's rate for the authority's 18+
        population; ``value`` the authority's rate per day per 100,000, the limits on the
        same scale around England's rate per day.
    od : Overdispersion
        φ, τ², the chi-square test and the method.

    Notes
    -----
    Spiegelhalter DJ (2005), *Handling over-dispersion of performance indicators*, Qual Saf
    Health Care 14:347-351, as :func:`hwb.stats.overdispersed_funnel` implements it (the
    NHS-R community's FunnelPlotR): z-scores of √(O/E) (CQC), winsorised at 10% and 90%,
    φ = mean of their squares, τ² by DerSimonian-Laird.  With no overdispersion (τ² = 0)
    the limits are the plain Poisson ones.

    Examples
    --------
    November 2017: delayed days vary between authorities far beyond Poisson chance.

    >>> f, od = funnel_of(league("2017-11"))
    >>> len(f), od.overdispersed, round(od.phi), round(od.tau2, 3)
    (150, True, 165, 0.04)
    """
    from hwb import stats

    eng, la = _england(t), _rated(t)
    expected = la["population"].to_numpy(dtype=float) * float(eng["rate_total"]) / PER
    return stats.overdispersed_funnel(
        la["total"].to_numpy(dtype=float), expected, "ratio",
        multiplier=float(eng["rate_per_day_total"]), variant=variant, sr_method=SR_METHOD,
        labels=la["area_code"].tolist())


def league(month: str, series: pd.DataFrame | None = None,
           populations: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every local authority in the DTOC series for ``month``, with rates and funnel position.

    Parameters
    ----------
    month : str
        ``YYYY-MM``.
    series : DataFrame, optional
        :func:`hwb.sources.dtoc.load_series`.
    populations : DataFrame, optional
        ``area_code, population`` aged 18+, optionally ``vintage`` (default:
        :func:`month_denominators`, the estimate of the month's own mid-year).

    Returns
    -------
    DataFrame
        :func:`hwb.sources.dtoc.national_table` (England first) plus ``vintage``, ``file`` and
        ``estimate_year`` (the estimate each row divides by, its files and mid-year, blank when
        not given) and
        ``significance``, where
        the area's rate lies against the overdispersion-adjusted funnel limits around
        England's rate (:func:`funnel_of`; England and areas without a population ``"Not
        compared"``), and ``plain_significance``, the same against plain Poisson limits
        (:func:`hwb.stats.funnel_rate_limits`), kept to show the overdispersion.

    Examples
    --------
    Leicestershire, November 2017: 1,311 delayed days (item 10 of the board's
    meeting of 25 January 2018) over its 551,802 aged 18+ at mid-2017,
    1,311 / 551,802 x 100,000 = 237.59 a month, / 30 days = 7.92 a day; every one of the
    150 authorities of the series has a rate:

    >>> t = league("2017-11").set_index("area_code")
    >>> r = t.loc["E10000018"]
    >>> rate, per_day = float(r.rate_total), float(r.rate_per_day_total)
    >>> int(r.total), int(r.population), round(rate, 2), round(per_day, 2)
    (1311, 551802, 237.59, 7.92)
    >>> int(t["rank"].max()), r.vintage
    (150, 'ONS mid-2017 estimate')
    """
    from hwb import stats

    series = series if series is not None else dtoc.load_series()
    populations = populations if populations is not None else month_denominators(month)
    t = dtoc.national_table(series, month, populations[["area_code", "population"]])
    for col, blank in (("vintage", ""), ("file", ""), ("estimate_year", np.nan)):
        by_code = (dict(zip(populations["area_code"], populations[col], strict=True))
                   if col in populations else {})
        t[col] = t["area_code"].map(by_code).fillna(blank)
    la = (t["area_code"] != dtoc.ENGLAND) & t["rate_total"].notna()
    t["significance"] = "Not compared"
    t["plain_significance"] = "Not compared"
    if la.sum() >= 2:
        frame, _ = funnel_of(t)
        t.loc[la, "significance"] = t.loc[la, "area_code"].map(
            dict(zip(frame["label"], frame["significance"], strict=True)))
        lim = stats.funnel_rate_limits(t.loc[la, "total"].to_numpy(),
                                       float(_england(t)["rate_total"]), years=1,
                                       multiplier=PER)
        t.loc[la, "plain_significance"] = stats.funnel_significance(
            t.loc[la, "rate_total"].to_numpy(), lim)
    return t


def funnel_curves(od: Overdispersion, england_rate: float, days: int, max_population: float,
                  min_population: float, variant: str = FUNNEL_VARIANT) -> pd.DataFrame:
    """The 95% and 99.8% funnel limits as curves of per-day rate against 18+ population.

    Parameters
    ----------
    od : Overdispersion
        From :func:`funnel_of`.
    england_rate : float
        England's delayed days per 100,000 aged 18+ in the month (the centre).
    days : int
        Days in the month (rates per day are the monthly rates divided by it).
    max_population, min_population : float
        The population range the curves span (a little beyond it on each side).
    variant : {"tau2", "phi"}
        As :func:`funnel_of`.

    Returns
    -------
    DataFrame
        ``limit, side, population, rate_per_day``: one row per point of each of the four
        curves (``limit`` 95 or 99.8, ``side`` lower or upper), sorted by population.

    Notes
    -----
    At a population N the expected delayed days are E = N × England's rate / 100,000, and
    the limits are :func:`hwb.stats.overdispersed_limits` at E, on the per-day scale.

    Examples
    --------
    >>> from hwb.stats import overdispersion
    >>> _, od = overdispersion([16, 20.25, 25, 30.25, 36], [25] * 5)
    >>> c = funnel_curves(od, 260.0, 30, 1_000_000, 100_000)
    >>> sorted(set(c["limit"])), bool((c[c.side == "upper"].rate_per_day > 260 / 30).all())
    ([95.0, 99.8], True)
    """
    from hwb import stats

    population = np.geomspace(min_population * 0.8, max_population * 1.25, 240)
    lim = stats.overdispersed_limits(population * england_rate / PER, od,
                                     multiplier=england_rate / days, variant=variant)
    rows = [pd.DataFrame({"limit": limit, "side": side, "population": population,
                          "rate_per_day": lim[f"{side}{suffix}"].to_numpy()})
            for limit, suffix in ((95.0, "95"), (99.8, "99_8")) for side in ("lower", "upper")]
    return pd.concat(rows, ignore_index=True).sort_values(["limit", "side", "population"],
                                                          ignore_index=True)


def record_league(rec: Recorder, t: pd.DataFrame, month: str) -> None:
    """Record every number of the league table (one set of figures per area and England)."""
    from hwb.sources.params import area_names

    words = dtoc.month_label(month)
    combined = area_names()
    for _, r in t.iterrows():
        code, name = str(r["area_code"]), str(r["area_name"])
        rec.record(fid(code, "days"), f"{name}: delayed days, {words}", float(r["total"]),
                   "days", 0, inputs=[dtoc.RESPONSIBLE_FILE])
        if pd.isna(r["population"]):
            continue
        with_ = "".join(f", with {combined.get(e, e)}"
                        for e in dtoc.COMBINED_POPULATION.get(code, ()))
        rec.record(fid(code, "population_18plus"), f"{name}: population aged 18+ "
                   f"({r['vintage'] or 'as given'}{with_})", float(r["population"]), "people",
                   0, inputs=[f for f in str(r["file"]).split("; ") if f])
        rec.record(fid(code, "rate"), f"{name}: delayed days per 100,000 aged 18+, {words}",
                   float(r["rate_total"]), "per 100,000", 1,
                   method="delayed days / population aged 18+ x 100,000")
        rec.record(fid(code, "rate_per_day"), f"{name}: delayed patients per day per 100,000 "
                   f"aged 18+, {words}", float(r["rate_per_day_total"]), "per 100,000 per day",
                   2, method="monthly rate / days in the month")
        for org in dtoc.ORGS:
            rec.record(fid(code, f"rate_per_day.{org}"), f"{name}: delayed patients per day per "
                       f"100,000 aged 18+ attributed to {dtoc.ORG_LABELS[org]}, {words}",
                       float(r[f"rate_per_day_{org}"]), "per 100,000 per day", 2)
        if pd.notna(r["rank"]):
            rec.record(fid(code, "rank"), f"{name}: rank by delayed patients per day per "
                       f"100,000 aged 18+ (1 = most), {words}", int(r["rank"]), "", 0)


def record_summary(rec: Recorder, t: pd.DataFrame, month: str) -> dict[str, Any]:
    """Record the England figures and the counts the key messages quote; return them by name."""
    words = dtoc.month_label(month)
    eng = _england(t)
    la = t[t["area_code"] != dtoc.ENGLAND]
    rated = _rated(t)
    out: dict[str, Any] = {}
    out["areas"] = rec.record("national.areas", f"Local authorities in the series, {words}",
                              len(la), "areas", 0)
    out["rated"] = rec.record("national.rated", "Local authorities with an 18+ population "
                              "(ranked)", len(rated), "areas", 0)
    out["unrated"] = rec.record("national.unrated", "Local authorities without an 18+ "
                                "population on the series' boundaries", len(la) - len(rated),
                                "areas", 0)
    for org in dtoc.ORGS:
        out[f"eng_share_{org}"] = rec.record(
            f"england.share.{org}", f"England: share of delayed days attributed to "
            f"{dtoc.ORG_LABELS[org]}, {words}", float(eng[org]) / float(eng["total"]) * 100,
            "percent", 1, method="delayed days attributed / all delayed days")
    hi, lo = rated.loc[rated["rate_per_day_total"].idxmax()], \
        rated.loc[rated["rate_per_day_total"].idxmin()]
    out["highest_name"], out["lowest_name"] = str(hi["area_name"]), str(lo["area_name"])
    out["highest"] = rec[fid(str(hi["area_code"]), "rate_per_day")]
    out["lowest"] = rec[fid(str(lo["area_code"]), "rate_per_day")]
    if float(lo["rate_per_day_total"]) > 0:  # a month where an authority had no delays has none
        out["ratio"] = rec.record("national.highest_to_lowest", "Highest rate per day over the "
                                  "lowest", float(hi["rate_per_day_total"])
                                  / float(lo["rate_per_day_total"]), "times", 1)
    out["median"] = rec.record("national.median_rate_per_day", "Median of the local authorities' "
                               f"rates per day per 100,000 aged 18+, {words}",
                               float(rated["rate_per_day_total"].median()),
                               "per 100,000 per day", 2)
    sc_share = rated["social_care"] / rated["total"] * 100
    out["sc_majority"] = rec.record("national.social_care_majority", "Local authorities where "
                                    "social care was responsible for more than half the delayed "
                                    "days", int((sc_share > 50).sum()), "areas", 0)
    return out


def record_funnel(rec: Recorder, t: pd.DataFrame, od: Overdispersion) -> dict[str, Any]:
    """Record φ, τ², the test of no overdispersion and the counts against the limits.

    Returns
    -------
    dict
        The recorded figures by name: those of
        :func:`hwb.toolkit.summary.record_funnel_figures` (``sig_<label>`` for each of
        :data:`SIGNIFICANCE_WORDS`, against the limits used), ``other_outside_99_8`` (with
        the other adjustment: multiplicative φ when the limits use τ²) and
        ``plain_outside_99_8`` (against plain Poisson limits).
    """
    from hwb.stats.overdispersion import CITATION

    la = t[t["area_code"] != dtoc.ENGLAND]
    out = record_funnel_figures(rec, "national", od, la["significance"],
                                who="Local authorities", unit="areas", between="authority",
                                words=SIGNIFICANCE_WORDS)
    words = VARIANT_WORDS[OTHER_VARIANT]
    alt, _ = funnel_of(t, variant=OTHER_VARIANT)
    out["other_outside_99_8"] = rec.record(
        f"national.funnel.{OTHER_VARIANT}_variant_outside_99_8", "Local authorities outside "
        f"the 99.8% limits with the other adjustment ({words})",
        outside_99_8(alt["significance"]), "areas", 0, method=f"{CITATION}; limits: {words}")
    out["plain_outside_99_8"] = rec.record(
        "national.funnel.plain_outside_99_8", "Local authorities outside plain Poisson 99.8% "
        "limits (no allowance for overdispersion)", outside_99_8(la["plain_significance"]),
        "areas", 0,
        method="exact Poisson limits around England's rate (hwb.stats.funnel_rate_limits)")
    return out


# --- England's monthly trend ---------------------------------------------------------------------


def england_trend(series: pd.DataFrame, month: str, months: int,
                  populations: pd.DataFrame | None = None) -> pd.DataFrame:
    """England's delayed patients per day per 100,000 aged 18+, month by month, to ``month``.

    Parameters
    ----------
    series : DataFrame
        :func:`hwb.sources.dtoc.load_series`.
    month : str
        The last month.
    months : int
        How many months (fewer when the series starts later).
    populations : DataFrame, optional
        ``area_code, population`` aged 18+ for every month (default: each month divides by
        England's 18+ estimate of its own mid-year, :func:`month_denominators`, as the league
        table).

    Returns
    -------
    DataFrame
        :func:`hwb.sources.dtoc.with_rates` of England's months (``period``, ``total``,
        ``rate_per_day_total``, …), in month order.

    Examples
    --------
    >>> m = england_trend(dtoc.load_series(), "2017-11", 24)
    >>> m["period"].iloc[0], m["period"].iloc[-1], len(m)
    ('2015-12', '2017-11', 24)
    """
    first = max(periods.shift(month, -(months - 1)), dtoc.FIRST_MONTH)
    rows = series[(series["area_code"] == dtoc.ENGLAND) & series["month"].between(first, month)]
    agg = dtoc.aggregate(rows, "month")
    if populations is not None:
        pop = dtoc.population_for_series(agg, populations)
    else:
        years = {y: denominators(y).set_index("area_code")["population"]
                 for y in {dtoc.population_year(str(m)) for m in agg["period"]}}
        pop = pd.Series([float(years[dtoc.population_year(str(m))][dtoc.ENGLAND])
                         for m in agg["period"]], index=agg.index)
    agg = dtoc.with_rates(agg, pop, PER)
    return agg.sort_values("period").reset_index(drop=True)


def record_trend(rec: Recorder, monthly: pd.DataFrame) -> dict[str, Any]:
    """The XmR chart of England's monthly rate per day and its recorded verdict.

    Improvement is a decrease (fewer delays); England has no target on this measure, so
    there is no assurance verdict.

    Returns
    -------
    dict
        ``frame`` and ``summary`` (:func:`hwb.stats.xmr`), ``variation`` (the recorded
        verdict), ``first`` and ``last`` (the months' words).
    """
    from hwb import stats

    frame, summary = stats.xmr(monthly["rate_per_day_total"].to_numpy(dtype=float),
                               list(monthly["period"]), improvement="decrease")
    first = dtoc.month_label(str(monthly["period"].iloc[0]))
    last = dtoc.month_label(str(monthly["period"].iloc[-1]))
    variation = rec.record("england.spc_variation", f"England: SPC variation verdict, {last} "
                           "(Making Data Count)", summary.variation, method=summary.method)
    special = int(frame["special_cause"].sum())
    n_special = rec.record("england.spc_special_cause_months", f"England: months of special "
                           f"cause variation, {first} to {last}", special, "months", 0,
                           method=summary.method)
    return {"frame": frame, "summary": summary, "variation": variation, "first": first,
            "last": last, "special": n_special}


# --- coverage and quality ------------------------------------------------------------------------


def _absent_reason(code: str, month: str, names: dict[str, str], first: dict[str, str],
                   last: dict[str, str]) -> str:
    """Why an authority with an estimate has no row in the series for the month."""
    absorbed = {e: m for m, extras in dtoc.COMBINED_POPULATION.items() for e in extras}
    if code in absorbed:
        main = absorbed[code]
        return f"no row of its own: the series counts it with {names.get(main, main)} ({main})"
    if code in first and first[code] > month:
        return (f"the series has this authority from {dtoc.month_label(first[code])} (a "
                "reorganisation); earlier months have its predecessors")
    if code in last and last[code] < month:
        return (f"the series has this authority until {dtoc.month_label(last[code])} (a "
                "reorganisation); later months have its successors")
    return "no row in the series for this month"


def coverage(month: str, series: pd.DataFrame | None = None,
             populations: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every English upper-tier authority for a month: can it have a DTOC appendix, and if not, why.

    Parameters
    ----------
    month : str
        ``YYYY-MM``, a month of the series.
    series : DataFrame, optional
        :func:`hwb.sources.dtoc.load_series`.
    populations : DataFrame, optional
        ``area_code, area_name, population`` aged 18+ on the series' boundaries, every code
        with an estimate (default :func:`hwb.sources.dtoc.populations_of_year` of the month's
        mid-year, the denominators of the boards' appendices and of the league table).

    Returns
    -------
    DataFrame
        ``area_code, area_name, in_series, complete, population, ok, reason``: one row per
        English authority in the series for the month or with an estimate of its year,
        sorted by code.  ``ok``: an appendix can be built; ``reason``: why not, from the
        data (no row of its own, the City of London and the Isles of Scilly being counted
        with Hackney and Cornwall; a reorganisation, Bournemouth, Poole and the old Dorset to
        April 2019, BCP and the unitary Dorset from May 2019; a missing part; no estimate).

    Examples
    --------
    November 2017: the 152 boards of the time less the two without rows of their own, 150;
    BCP and the unitary Dorset are listed (they have estimates on April 2019 boundaries)
    without an appendix:

    >>> c = coverage("2017-11")
    >>> int(c["ok"].sum()), sorted(c.loc[~c["ok"], "area_code"])
    (150, ['E06000053', 'E06000058', 'E06000059', 'E09000001'])
    """
    dtoc.check_month(month)
    series = series if series is not None else dtoc.load_series()
    pops = populations if populations is not None \
        else dtoc.populations_of_year(dtoc.population_year(month))
    pops = pops[pops["area_code"].astype(str).str.match(AREA_CODE.pattern)
                & (pops["area_code"] != dtoc.ENGLAND)]
    pop_by = dict(zip(pops["area_code"], pops["population"], strict=True))
    names = dict(zip(pops["area_code"], pops["area_name"], strict=True))
    rows = series[(series["month"] == month) & (series["area_code"] != dtoc.ENGLAND)]
    out = []
    for _, r in rows.iterrows():
        code, complete = str(r["area_code"]), bool(pd.notna(r["total"]))
        pop = pop_by.get(code)
        reason = (f"{code} is not an upper-tier ONS code" if not AREA_CODE.match(code) else
                  "the series has a missing part (NHS, social care or both) for the month"
                  if not complete else
                  f"no 18+ estimate for mid-{dtoc.population_year(month)} on the series' "
                  "boundaries" if pop is None or not pop > 0 else "")
        out.append((code, str(r["area_name"]), True, complete, pop, reason))
    first = series.groupby("area_code")["month"].min().to_dict()
    last = series.groupby("area_code")["month"].max().to_dict()
    out += [(code, str(names[code]), False, False, pop_by[code],
             _absent_reason(code, month, names, first, last))
            for code in sorted(set(pop_by) - set(rows["area_code"]))]
    df = pd.DataFrame(out, columns=["area_code", "area_name", "in_series", "complete",
                                    "population", "reason"])
    df.insert(5, "ok", df["reason"] == "")
    df = df[df["area_code"].str.startswith("E")]
    return df.sort_values("area_code").reset_index(drop=True)


def record_coverage(rec: Recorder, cov: pd.DataFrame, links: dict[str, str],
                    month: str) -> pd.DataFrame:
    """Record the authorities without an appendix and those linked; return the shown table.

    Parameters
    ----------
    cov : DataFrame
        ``area_code, area_name, ok, reason`` for every upper-tier authority
        (:func:`coverage`).
    """
    words = dtoc.month_label(month)
    missing = cov[~cov["ok"]][["area_name", "area_code", "reason"]].rename(columns={
        "area_name": "Area", "area_code": "ONS code", "reason": "Why there is no appendix"})
    rec.record("national.no_appendix", f"Upper-tier authorities without an appendix, {words}",
               len(missing), "areas", 0)
    rec.record("national.linked", "Authorities linked to an appendix", len(links), "areas", 0)
    return missing.reset_index(drop=True)


def record_quality(rec: Recorder, t: pd.DataFrame, month: str) -> None:
    """Record the number of authorities with a missing part in the month."""
    la = t[t["area_code"] != dtoc.ENGLAND]
    rec.record("quality.incomplete", f"Local authorities with a missing part (NHS, social care "
               f"or both) in {dtoc.month_label(month)}", int(la["total"].isna().sum()),
               "areas", 0)


# --- links ---------------------------------------------------------------------------------------


def link_for(params: NationalParams, area_name: str) -> str:
    """The relative link from this appendix to an area's DTOC appendix for the month.

    Examples
    --------
    >>> p = NationalParams(area_code="E92000001", area_name="England", period="2017-11",
    ...                    board_name="B", paper_title="T", month="2017-11")
    >>> link_for(p, "Kingston upon Hull, City of")
    '../../dtoc/kingston-upon-hull-city-of/2017-11/appendix.html'
    """
    return appendix_link(params.appendix_links, area_name, params.month)


def links(params: NationalParams, t: pd.DataFrame) -> dict[str, str]:
    """Area name -> link, for the areas whose appendix exists (``params.linked``), or every
    area with delayed days in the month when it is ``None``."""
    la = t[(t["area_code"] != dtoc.ENGLAND) & t["total"].notna()]
    if params.linked is not None:
        la = la[la["area_code"].isin(params.linked)]
    return {str(r["area_name"]): link_for(params, str(r["area_name"])) for _, r in la.iterrows()}


# --- the whole appendix --------------------------------------------------------------------------


@dataclass
class Results:
    """What the notebook shows, section by section."""

    month: str
    words: str
    table: pd.DataFrame
    """:func:`league`."""
    summary: dict[str, Any]
    """:func:`record_summary`'s figures."""
    funnel: pd.DataFrame
    """:func:`funnel_of`'s frame."""
    od: Overdispersion
    funnel_figures: dict[str, Any]
    """:func:`record_funnel`'s figures."""
    trend: pd.DataFrame
    """:func:`england_trend`."""
    spc: dict[str, Any]
    """:func:`record_trend`."""
    links: dict[str, str]
    falls: dict[str, Any]
    """:func:`hwb.papers.national.falls_context.record_falls_context`."""
    series: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    coverage: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    """:func:`coverage` of the month."""
    vintage: str = ""
    """:func:`vintage_words` of the table: the estimates its rates divide by."""
    england_vintage: str = ""
    """The estimate England's rate divides by (the sum over the year's authorities)."""


def compute(params: NationalParams, rec: Recorder, series: pd.DataFrame | None = None) -> Results:
    """Every section's figures, recorded in the appendix's order.

    Examples
    --------
    >>> from hwb.toolkit import figures
    >>> p = NationalParams(area_code="E92000001", area_name="England", period="2017-11",
    ...                    board_name="B", paper_title="T", month="2017-11")
    >>> r = compute(p, figures.start())
    >>> r.funnel_figures["outside_99_8"].value, r.funnel_figures["plain_outside_99_8"].value
    (1, 130)
    """
    series = series if series is not None else dtoc.load_series()
    month = params.month
    t = league(month, series)
    record_league(rec, t, month)
    summary = record_summary(rec, t, month)
    frame, od = funnel_of(t)
    funnel_figures = record_funnel(rec, t, od)
    trend = england_trend(series, month, params.trend_months)
    spc = record_trend(rec, trend)
    falls = falls_context.record_falls_context(rec, params.falls_start, params.falls_end)
    record_quality(rec, t, month)
    falls_context.record_falls_quality(rec, falls["rates"], falls["change"], params.falls_start,
                                       params.falls_end)
    return Results(month=month, words=dtoc.month_label(month), table=t, summary=summary,
                   funnel=frame, od=od, funnel_figures=funnel_figures, trend=trend, spc=spc,
                   links=links(params, t), falls=falls, series=series,
                   coverage=coverage(month, series), vintage=vintage_words(t),
                   england_vintage=str(_england(t)["vintage"]))
