"""The BCF national summary's numbers: every board's actual performance, England and the funnels.

* the boards: the 2017-19 CCG-to-HWB mapping's, Bournemouth and Poole each on its own
  (:func:`boards`);
* one table per metric (:func:`nel_table`, :func:`dtoc_table`, :func:`ascof_table`): the
  count, the population of the year's own mid-year, the rate, England's row, and why a board
  has no value;
* the funnel of the two count metrics, limits adjusted for overdispersion (:func:`funnel_of`);
* England's quarterly non-elective admissions as an SPC chart (:func:`england_trend`);
* coverage (:func:`coverage`): per board and metric, covered or why not, and the upper-tier
  authorities of April 2019 that were not boards of the 2017-19 BCF;
* :func:`compute`, which records every figure in the appendix's order.

The counts are those of the boards' own appendices (:mod:`hwb.papers.bcf.actuals`,
:mod:`hwb.sources.nel`, :mod:`hwb.sources.dtoc`, :mod:`hwb.sources.ascof`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from hwb import periods
from hwb.errors import DataError
from hwb.papers.bcf.england.params import NationalBcfParams
from hwb.sources.params import ENGLAND
from hwb.stats.overdispersion import Overdispersion
from hwb.toolkit.figures import Recorder
from hwb.toolkit.summary import FUNNEL_VARIANT, SR_METHOD, record_funnel_figures

PER = 100_000
"""Rates are per 100,000 of the population the metric counts."""

METRICS: dict[str, dict[str, Any]] = {
    "nel": {"title": "Non-elective admissions", "count": "Admissions", "ages": "all",
            "unit": "admissions per 100,000 population (all ages)", "decimals": 0,
            "population": "Population (all ages)", "good": "lower", "funnel": True,
            "short": "admissions per 100,000 population"},
    "dtoc": {"title": "Delayed transfers of care", "count": "Delayed days", "ages": "18+",
             "unit": "delayed days per 100,000 population aged 18+", "decimals": 1,
             "population": "Population aged 18+", "good": "lower", "funnel": True,
             "short": "delayed days per 100,000 adults"},
    "2A(2)": {"title": "Permanent admissions to residential and nursing care (65+)",
              "unit": "admissions per 100,000 population 65+ (ASCOF 2A(2))", "decimals": 1,
              "good": "lower", "funnel": False, "short": "per 100,000 older people",
              "plain": "Residential and nursing care admissions of older people"},
    "2B(1)": {"title": "Still at home 91 days after reablement (65+)",
              "unit": "percent (ASCOF 2B(1))", "decimals": 1, "good": "higher",
              "funnel": False, "short": "percent",
              "plain": "Older people still at home three months after reablement"},
}
"""The four BCF 2017-19 metrics as the summary shows them: key -> words, unit, decimals and
whether a funnel applies (counts over populations) or the values stand alone (ASCOF)."""



def key(metric: str) -> str:
    """The figure-id part of a metric.

    Examples
    --------
    >>> key("2A(2)"), key("nel")
    ('ascof_2a2', 'nel')
    """
    return "ascof_" + metric.lower().replace("(", "").replace(")", "") if "(" in metric \
        else metric


def fid(metric: str, code: str, what: str) -> str:
    """The figure id of one board's figure.

    Examples
    --------
    >>> fid("nel", "E08000018", "rate")
    'nel.e08000018.rate'
    """
    return f"{key(metric)}.{code.lower()}.{what}"


# --- the boards -----------------------------------------------------------------------------


def boards() -> pd.DataFrame:
    """The boards of the 2017-19 BCF: the CCG-to-HWB mapping's, the joint Bournemouth & Poole
    split into its two councils (:func:`hwb.sources.ccg_hwb.split_joint`).

    Returns
    -------
    DataFrame
        ``area_code, area_name, mapping_name`` sorted by code: ``area_name`` as the BCF
        appendix names the board (the council the code is: "Cornwall" of "Cornwall & Scilly").

    Examples
    --------
    >>> b = boards()
    >>> len(b), b.set_index("area_code").loc["E06000029", "area_name"]
    (151, 'Poole')
    """
    from hwb.sources import ccg_hwb

    m = ccg_hwb.load_mapping(joint="split").drop_duplicates("hwb_code")
    return pd.DataFrame({"area_code": m["hwb_code"].astype(str),
                         "area_name": m["hwb_name"].astype(str).str.split(" & ").str[0],
                         "mapping_name": m["hwb_name"].astype(str)}
                        ).sort_values("area_code").reset_index(drop=True)


def population(codes: list[str], year: int, ages: str) -> tuple[float, str]:
    """The ONS estimate of ``ages`` at mid-``year`` summed over ``codes``, and its vintage.

    Examples
    --------
    >>> v, vintage = population(["E08000018"], 2018, "all")
    >>> int(v), vintage
    (264671, 'ONS mid-2018 estimate')
    """
    from hwb.sources import population_by_year

    est = [population_by_year.population(c, year, ages) for c in codes]
    return float(sum(e.value for e in est)), str(est[0].vintage)


def _nel_extras(codes: set[str]) -> dict[str, tuple[str, ...]]:
    """Areas a mapping board counts with it that are no board of their own (the Isles of
    Scilly in "Cornwall & Scilly"), from the DTOC series' combined areas."""
    from hwb.sources import dtoc

    return {c: tuple(e for e in extra if e not in codes)
            for c, extra in dtoc.COMBINED_POPULATION.items() if set(extra) - codes}


def _with_rates(rows: list[dict[str, Any]], england: dict[str, Any]) -> pd.DataFrame:
    t = pd.DataFrame([england, *rows])
    t["rate"] = t["count"] / t["population"] * PER
    la = (t["area_code"] != ENGLAND) & t["rate"].notna()
    t["rank"] = np.nan
    t.loc[la, "rank"] = t.loc[la, "rate"].rank(ascending=False, method="min")
    return t


def nel_table(year: str, quarters: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every board's non-elective admissions in ``year`` per 100,000 population (all ages).

    Parameters
    ----------
    year : str
        A financial year of :data:`hwb.sources.nel.YEARS`.
    quarters : DataFrame, optional
        :func:`hwb.sources.nel.by_hwb` of every board (default: read).

    Returns
    -------
    DataFrame
        ``area_code, area_name, count, population, vintage, reason, rate, rank``, England
        first: the count is the board's CCGs' MAR counts apportioned with the mapping (four
        complete quarters), the population the ONS estimate of the year's first mid-year
        (mid-2018 for 2018/19), with the Isles of Scilly for "Cornwall & Scilly";
        England is the sum over the boards (England less NHS England's direct commissioning)
        over England's population. ``reason`` is blank when the board has a rate.

    Examples
    --------
    Rotherham 2018/19: its five CCGs' MAR counts for April 2018 to March 2019 times the
    mapping's shares, 35,611 x 3.4% + 13,516 x 1.0% + 38,271 x 1.1% + 29,773 x 97.9% + 58,066
    x 0.8% = 31,379.21 admissions, over 264,671 people at mid-2018: 11,855.9 per 100,000:

    >>> t = nel_table("2018/19").set_index("area_code")
    >>> round(float(t.loc["E08000018", "rate"]), 1), int(t["rank"].max())
    (11855.9, 151)
    """
    from hwb.papers.bcf import actuals

    q = actuals._all_boards() if quarters is None else quarters
    q = q[q["quarter"].str.startswith(year)]
    b = boards()
    extras = _nel_extras(set(b["area_code"]))
    start = int(year[:4])
    rows = []
    for _, r in b.iterrows():
        code = str(r["area_code"])
        own = q[q["hwb_code"] == code]
        pop, vintage = population([code, *extras.get(code, ())], start, "all")
        complete = len(own) == 4 and bool((own["months"] == 3).all())
        rows.append({"area_code": code, "area_name": str(r["area_name"]),
                     "count": float(own["value"].sum()) if complete else np.nan,
                     "population": pop, "vintage": vintage,
                     "reason": "" if complete else f"no complete year of MAR counts, {year}"})
    eng_pop, eng_vintage = population([ENGLAND], start, "all")
    eng = {"area_code": ENGLAND, "area_name": "England", "count": float(q["value"].sum()),
           "population": eng_pop, "vintage": eng_vintage, "reason": ""}
    return _with_rates(rows, eng)


def dtoc_table(year: str, series: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every board's delayed days in ``year`` per 100,000 population aged 18+.

    Returns
    -------
    DataFrame
        As :func:`nel_table`: the count is the year's delayed days (NHS England's series,
        every month present), the population the ONS 18+ estimate of the year's first
        mid-year with the areas the series counts with the board (the City of London with
        Hackney, the Isles of Scilly with Cornwall); England is the series' England rows
        over England's 18+ population.

    Examples
    --------
    Rotherham 2018/19: the series' twelve months sum to 7,934 delayed days, over 207,475 aged
    18+ at mid-2018: 3,824.1 per 100,000:

    >>> t = dtoc_table("2018/19").set_index("area_code")
    >>> int(t.loc["E08000018", "count"]), round(float(t.loc["E08000018", "rate"]), 1)
    (7934, 3824.1)
    >>> t.loc["E09000001", "reason"]
    'no row of its own: the series counts it with Hackney'
    """
    from hwb.sources import dtoc

    series = dtoc.load_series() if series is None else series
    months = periods.months_of(year)
    start = int(year[:4])
    absorbed = {e: m for m, extra in dtoc.COMBINED_POPULATION.items() for e in extra}
    b = boards()
    names = dict(zip(b["area_code"], b["area_name"], strict=True))
    rows = []
    for _, r in b.iterrows():
        code, reason, days = str(r["area_code"]), "", np.nan
        try:
            own = dtoc.area(series, code)
            own = own[own["month"].isin(months)]
            if len(own) == len(months) and own["total"].notna().all():
                days = float(own["total"].sum())
            else:
                reason = f"the series lacks a month of {year}"
        except DataError:
            main = absorbed.get(code)
            reason = (f"no row of its own: the series counts it with {names.get(main, main)}"
                      if main else f"no row in the series for {year}")
        pop, vintage = population([code, *dtoc.COMBINED_POPULATION.get(code, ())], start, "18+")
        rows.append({"area_code": code, "area_name": str(r["area_name"]), "count": days,
                     "population": pop, "vintage": vintage, "reason": reason})
    eng_rows = dtoc.area(series, ENGLAND)
    eng_pop, eng_vintage = population([ENGLAND], start, "18+")
    eng = {"area_code": ENGLAND, "area_name": "England",
           "count": float(eng_rows[eng_rows["month"].isin(months)]["total"].sum()),
           "population": eng_pop, "vintage": eng_vintage, "reason": ""}
    return _with_rates(rows, eng)


def ascof_table(measure: str) -> pd.DataFrame:
    """Every board's published ASCOF value for 2018/19 (values only: no count, no interval).

    Returns
    -------
    DataFrame
        ``area_code, area_name, rate, rank, reason`` (``rate`` the published value; rank 1 =
        highest), England first.

    Examples
    --------
    >>> t = ascof_table("2A(2)").set_index("area_code")
    >>> float(t.loc["E08000018", "rate"]), float(t.loc["E92000001", "rate"])
    (564.9, 577.6)
    """
    from hwb.sources import ascof

    table = ascof.load()
    rows = []
    for _, r in boards().iterrows():
        v = ascof.value(str(r["area_code"]), measure, table)
        rows.append({"area_code": str(r["area_code"]), "area_name": str(r["area_name"]),
                     "rate": np.nan if v is None else v,
                     "reason": "" if v is not None else "no published value in the ASCOF file"})
    t = pd.DataFrame([{"area_code": ENGLAND, "area_name": "England",
                       "rate": ascof.value(ENGLAND, measure, table), "reason": ""}, *rows])
    la = t["area_code"] != ENGLAND
    t["rank"] = np.nan
    t.loc[la, "rank"] = t.loc[la, "rate"].rank(ascending=False, method="min")
    return t


# --- the funnel ------------------------------------------------------------------------------


def funnel_of(t: pd.DataFrame) -> tuple[pd.DataFrame, Overdispersion]:
    """Each board with a rate against England's, limits adjusted for overdispersion.

    Observed counts against those expected at England's rate for the board's population
    (an indirectly standardised ratio); ``value`` and the limits on the rate scale.

    Notes
    -----
    Spiegelhalter DJ (2005), *Handling over-dispersion of performance indicators*, Qual Saf
    Health Care 14:347-351, as :func:`hwb.stats.overdispersed_funnel` implements it:
    z-scores of √(O/E), winsorised at 10% and 90%, φ their mean square, τ² by
    DerSimonian-Laird, the limits adding τ² to each board's own Poisson variance.

    Examples
    --------
    >>> f, od = funnel_of(dtoc_table("2018/19"))
    >>> len(f), od.overdispersed
    (150, True)
    """
    from hwb import stats

    eng = t[t["area_code"] == ENGLAND].iloc[0]
    la = t[(t["area_code"] != ENGLAND) & t["rate"].notna()]
    expected = la["population"].to_numpy(float) * float(eng["rate"]) / PER
    return stats.overdispersed_funnel(la["count"].to_numpy(float), expected, "ratio",
                                      multiplier=float(eng["rate"]), variant=FUNNEL_VARIANT,
                                      sr_method=SR_METHOD, labels=la["area_code"].tolist())


def with_significance(t: pd.DataFrame, frame: pd.DataFrame | None) -> pd.DataFrame:
    """``t`` with ``significance``: each board's place against the funnel ("Not compared"
    without a rate, for England, or when no funnel applies)."""
    t = t.copy()
    t["significance"] = "Not compared"
    if frame is not None:
        by = dict(zip(frame["label"], frame["significance"], strict=True))
        has = t["area_code"].isin(by)
        t.loc[has, "significance"] = t.loc[has, "area_code"].map(by)
    return t


# --- England's quarterly trend --------------------------------------------------------------


def england_trend(quarters: pd.DataFrame | None = None) -> pd.DataFrame:
    """England's non-elective admissions a day per 100,000 population, by quarter 2015/16-2018/19.

    England is the sum over the boards (as the league table); each quarter divides by its
    days and by England's population at the mid-year its financial year starts in.

    Returns
    -------
    DataFrame
        ``quarter, admissions, days, population, rate``.

    Examples
    --------
    >>> e = england_trend()
    >>> e["quarter"].iloc[0], len(e)
    ('2015/16 Q1', 16)
    """
    from hwb.papers.bcf import actuals

    q = actuals._all_boards() if quarters is None else quarters
    g = q.groupby("quarter", as_index=False)["value"].sum().sort_values("quarter")
    rows = []
    for _, r in g.iterrows():
        quarter = str(r["quarter"])
        days = sum(periods.days_in(m) for m in periods.months_of(quarter))
        pop, _ = population([ENGLAND], int(quarter[:4]), "all")
        rows.append({"quarter": quarter, "admissions": float(r["value"]), "days": days,
                     "population": pop, "rate": float(r["value"]) / days / pop * PER})
    return pd.DataFrame(rows)


# --- coverage ---------------------------------------------------------------------------------


def coverage(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per metric, every board without a value and why; then the April 2019 authorities that
    were not boards of the 2017-19 BCF.

    Parameters
    ----------
    tables : dict
        Metric -> its table (:func:`nel_table`, :func:`dtoc_table`, :func:`ascof_table`).

    Returns
    -------
    DataFrame
        ``metric, area_code, area_name, reason``.

    Examples
    --------
    >>> c = coverage({"dtoc": dtoc_table("2018/19")})
    >>> sorted(c.loc[c.metric == "Delayed transfers of care", "area_code"])
    ['E09000001']
    >>> c.loc[c.area_code == "E06000058", "reason"].iloc[0].split(";")[0]
    'not a board of the 2017-19 BCF: created in April 2019'
    """
    from hwb.sources import dtoc, population_by_year

    rows = [{"metric": METRICS[m]["title"], "area_code": str(r["area_code"]),
             "area_name": str(r["area_name"]), "reason": str(r["reason"])}
            for m, t in tables.items() for _, r in t.iterrows()
            if r["area_code"] != ENGLAND and pd.isna(r["rate"])]
    b = boards()
    mapping_name = dict(zip(b["area_code"], b["mapping_name"], strict=True))
    absorbed = {e: m for m, extra in dtoc.COMBINED_POPULATION.items() for e in extra}
    t2019 = population_by_year.population_table(2019, "all")
    for _, r in t2019.iterrows():
        code = str(r["area_code"])
        if code in mapping_name or not code.startswith("E") or code == ENGLAND:
            continue
        if code in absorbed:
            reason = (f"no board of its own: counted with {mapping_name[absorbed[code]]} in "
                      "the mapping and every metric")
        elif code in population_by_year.NEW_DORSET:
            reason = ("not a board of the 2017-19 BCF: created in April 2019; its "
                      "predecessors Bournemouth, Poole and Dorset are boards here")
        else:
            reason = "not in the 2017-19 CCG-to-HWB mapping"
        rows.append({"metric": "every metric", "area_code": code,
                     "area_name": str(r["area_name"]), "reason": reason})
    return pd.DataFrame(rows, columns=["metric", "area_code", "area_name", "reason"])


# --- links -----------------------------------------------------------------------------------


def link_for(params: NationalBcfParams, area_name: str) -> str:
    """The relative link from this appendix to a board's BCF appendix.

    Examples
    --------
    >>> p = NationalBcfParams(area_code="E92000001", area_name="England", period="2017-19",
    ...                       board_name="B", paper_title="T")
    >>> link_for(p, "Kingston upon Hull, City of")
    '../../bcf/kingston-upon-hull-city-of/2017-19/appendix.html'
    """
    from hwb.toolkit.summary import appendix_link

    return appendix_link(params.appendix_links, area_name, params.period)


def links(params: NationalBcfParams) -> dict[str, str]:
    """Board name -> link, for the boards in ``params.linked`` (every board when ``None``)."""
    b = boards()
    if params.linked is not None:
        b = b[b["area_code"].isin(params.linked)]
    return {str(n): link_for(params, str(n)) for n in b["area_name"]}


# --- recording ---------------------------------------------------------------------------------


def record_table(rec: Recorder, metric: str, t: pd.DataFrame, year: str) -> None:
    """Record every number of a metric's league table (each board and England)."""
    from hwb.sources import ascof, dtoc, nel

    spec = METRICS[metric]
    files = {"nel": [nel.EXTRACT_FILE], "dtoc": [dtoc.RESPONSIBLE_FILE]}.get(metric,
                                                                            [ascof.FILE])
    for _, r in t.iterrows():
        code, name = str(r["area_code"]), str(r["area_name"])
        if pd.isna(r["rate"]):
            continue
        if spec["funnel"]:
            rec.record(fid(metric, code, "count"), f"{name}: {spec['count'].lower()}, {year}",
                       float(r["count"]), spec["count"].lower(), 0, inputs=files)
            rec.record(fid(metric, code, "population"), f"{name}: {spec['population'].lower()} "
                       f"({r['vintage']})", float(r["population"]), "people", 0)
            rec.record(fid(metric, code, "rate"), f"{name}: {spec['unit']}, {year}",
                       float(r["rate"]), "per 100,000", spec["decimals"],
                       method="count / population x 100,000", vintage=str(r["vintage"]))
        else:
            rec.record(fid(metric, code, "rate"), f"{name}: {spec['unit']}, 2018/19",
                       float(r["rate"]), "", spec["decimals"], inputs=files,
                       method="as published (values only, no interval)")
        if pd.notna(r["rank"]):
            rec.record(fid(metric, code, "rank"), f"{name}: rank by {spec['unit']} "
                       "(1 = highest)", int(r["rank"]), "", 0)


def record_summary(rec: Recorder, metric: str, t: pd.DataFrame) -> dict[str, Any]:
    """Record the metric's counts and spread; return them by name."""
    la = t[(t["area_code"] != ENGLAND)]
    rated = la[la["rate"].notna()]
    k, dec = key(metric), METRICS[metric]["decimals"]
    hi = rated.loc[rated["rate"].idxmax()]
    lo = rated.loc[rated["rate"].idxmin()]
    return {
        "england": rec[fid(metric, ENGLAND, "rate")],
        "covered": rec.record(f"{k}.covered", f"Boards with a value: {METRICS[metric]['title']}",
                              len(rated), "boards", 0),
        "boards": rec.record(f"{k}.boards", "Boards of the 2017-19 BCF", len(la), "boards", 0),
        "median": rec.record(f"{k}.median", f"Median board: {METRICS[metric]['unit']}",
                             float(rated["rate"].median()), "", dec),
        "highest": rec[fid(metric, str(hi["area_code"]), "rate")],
        "highest_name": str(hi["area_name"]),
        "lowest": rec[fid(metric, str(lo["area_code"]), "rate")],
        "lowest_name": str(lo["area_name"]),
    }


def record_trend(rec: Recorder, trend: pd.DataFrame) -> dict[str, Any]:
    """England's quarterly rate as an XmR chart (fewer admissions an improvement), recorded."""
    from hwb import stats

    frame, summary = stats.xmr(trend["rate"].to_numpy(float), list(trend["quarter"]),
                               improvement="decrease")
    first, last = str(trend["quarter"].iloc[0]), str(trend["quarter"].iloc[-1])
    quarters = {}
    for _, r in trend.iterrows():
        q = str(r["quarter"])
        qid = q.replace("/", "-").replace(" ", "-").lower()
        quarters[q] = (
            rec.record(f"england.nel_trend.{qid}.admissions", f"England: non-elective "
                       f"admissions, {q} (sum over the boards)", float(r["admissions"]),
                       "admissions", 0),
            rec.record(f"england.nel_trend.{qid}.rate", f"England: non-elective admissions a "
                       f"day per 100,000, {q}", float(r["rate"]), "", 2,
                       method="admissions / days in the quarter / population x 100,000"))
    return {
        "frame": frame, "summary": summary, "first_q": first, "last_q": last,
        "quarters": quarters, "first": quarters[first][1], "last": quarters[last][1],
        "mean": rec.record("england.nel_trend.mean", "England: mean of the quarters (SPC centre "
                           "line)", float(frame["mean"].iloc[0]), "", 2, method=summary.method),
        "variation": rec.record("england.nel_trend.variation", f"England: SPC variation "
                                f"verdict, {last}", summary.variation, method=summary.method),
        "special": rec.record("england.nel_trend.special", "England: quarters of special "
                              "cause variation", int(frame["special_cause"].sum()), "quarters",
                              0, method=summary.method),
    }


# --- the whole appendix ------------------------------------------------------------------------


@dataclass
class Results:
    """What the notebook shows, section by section."""

    year: str
    tables: dict[str, pd.DataFrame]
    """Metric -> its table with ``significance``."""
    summaries: dict[str, dict[str, Any]]
    funnels: dict[str, tuple[pd.DataFrame, Overdispersion]]
    funnel_figures: dict[str, dict[str, Any]]
    trend: pd.DataFrame
    spc: dict[str, Any]
    links: dict[str, str]
    coverage: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    shown: dict[str, str] = field(default_factory=dict)
    """Metric -> the HTML of its league table as shown (the claims check counts its links)."""


def compute(params: NationalBcfParams, rec: Recorder) -> Results:
    """Every section's figures, recorded in the appendix's order.

    Examples
    --------
    >>> from hwb.toolkit import figures
    >>> p = NationalBcfParams(area_code="E92000001", area_name="England", period="2017-19",
    ...                       board_name="B", paper_title="T")
    >>> r = compute(p, figures.start())
    >>> r.summaries["nel"]["covered"].value, r.summaries["dtoc"]["covered"].value
    (151, 150)
    """
    year = params.year
    raw = {"nel": nel_table(year), "dtoc": dtoc_table(year),
           "2A(2)": ascof_table("2A(2)"), "2B(1)": ascof_table("2B(1)")}
    tables, summaries, funnels, funnel_figures = {}, {}, {}, {}
    for m, t in raw.items():
        frame = None
        if METRICS[m]["funnel"]:
            frame, od = funnel_of(t)
            funnels[m] = (frame, od)
        tables[m] = with_significance(t, frame)
        record_table(rec, m, tables[m], year)
        summaries[m] = record_summary(rec, m, tables[m])
        if m in funnels:
            la = tables[m][tables[m]["area_code"] != ENGLAND]
            funnel_figures[m] = record_funnel_figures(rec, key(m), funnels[m][1],
                                                      la["significance"], explained=False,
                                                      chi2=False, outside_95=False)
    trend = england_trend()
    spc = record_trend(rec, trend)
    return Results(year=year, tables=tables, summaries=summaries, funnels=funnels,
                   funnel_figures=funnel_figures, trend=trend, spc=spc, links=links(params),
                   coverage=coverage(raw))
