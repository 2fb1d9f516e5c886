"""The national summary paper: DTOC for every Health and Wellbeing Board in one month.

A league table of every upper-tier local authority's delayed days for a month
(rates per 100,000 aged 18+ per month and per day, split by responsible
organisation), a funnel plot of the per-day rates against population, and the
falls context (the change in the falls rate for every district and unitary
authority against England).  Each board links to its own appendix, built by a
national run (:mod:`hwb.commands.national`).

The measure and the national table are :mod:`hwb.sources.dtoc`'s (the same numbers the
boards' appendices quote); the funnel limits are :func:`hwb.stats.funnel_rate_limits`;
the falls change is :func:`hwb.sources.phof_falls.national_change`, shared with the falls
paper (papers do not import one another).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pydantic import field_validator

from hwb.core.params import BoardParams, ParamProblem, slugify
from hwb.fmt import format_number
from hwb.protocol import BUILTIN_ROOT, Paper
from hwb.sources import dtoc
from hwb.sources import population as ons_population
from hwb.toolkit.figures import Recorder

_MONTH = dtoc.MONTH_RE
_FY = re.compile(r"^\d{4}/\d{2}$")
PER = 100_000
SIGNIFICANCE_WORDS = {
    "High (0.001)": "above the 99.8% limit",
    "High (0.025)": "above the 95% limit",
    "Not significant": "within the 95% limits",
    "Low (0.025)": "below the 95% limit",
    "Low (0.001)": "below the 99.8% limit",
    "Not compared": "not compared (no 18+ population)",
}
"""How :func:`hwb.stats.funnel_significance`'s labels read in the appendix."""


class NationalParams(BoardParams):
    """Parameters of the national summary appendix."""

    month: str
    """The month of the league table, ``YYYY-MM``."""
    appendix_links: str = "../../dtoc"
    """Relative path from this appendix's folder to the folder holding the boards' DTOC
    appendices (``<area-slug>/<month>/appendix.html`` below it)."""
    linked: list[str] | None = None
    """Area codes whose appendix exists (a national run lists them); ``None`` links every
    area with a rate."""
    falls_start: str = "2011/12"
    """First financial year of the falls change."""
    falls_end: str = "2015/16"
    """Last financial year of the falls change."""

    @field_validator("month")
    @classmethod
    def _is_month(cls, v: str) -> str:
        if not _MONTH.match(v):
            raise ValueError("a month written YYYY-MM, e.g. 2017-11")
        return v

    @field_validator("falls_start", "falls_end")
    @classmethod
    def _is_fy(cls, v: str) -> str:
        if not _FY.match(v) or (int(v[:4]) + 1) % 100 != int(v[5:]):
            raise ValueError("a financial year written YYYY/YY, e.g. 2011/12")
        return v


def check(params: BoardParams) -> None:
    """Data-dependent checks: England, a month of the DTOC series, falls years with data.

    Raises
    ------
    ParamProblem
        The area is not England, the month is outside April 2011 to December 2019,
        or a falls year has no England rate.
    """
    from hwb.sources import phof_falls

    if params.area_code != dtoc.ENGLAND:
        raise ParamProblem("area_code", params.area_code,
                           f"{dtoc.ENGLAND} (England): the summary covers every board")
    dtoc.check_month(str(getattr(params, "month", "")))
    years = set(phof_falls.load_national().query("area_code == @dtoc.ENGLAND")["period"])
    for key in ("falls_start", "falls_end"):
        v = str(getattr(params, key))
        if v not in years:
            raise ParamProblem(key, v, "a year of the falls rates (data/" + phof_falls.NATIONAL_FILE
                               + "): " + ", ".join(sorted(years)))


# --- the league table ------------------------------------------------------------------------


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
        ``area_code, population`` aged 18+ (default: ONS mid-2019).

    Returns
    -------
    DataFrame
        :func:`hwb.sources.dtoc.national_table` (England first) plus ``significance``:
        where the area's monthly rate lies against the Poisson funnel limits
        around England's rate at the area's own delayed days
        (:func:`hwb.stats.funnel_significance`; England ``"Not compared"``).

    Examples
    --------
    Leicestershire, November 2017: 1,311 delayed days (item 10 of the board's
    meeting of 25 January 2018):

    >>> t = league("2017-11")
    >>> int(t.loc[t.area_code == "E10000018", "total"].iloc[0]), int(t["rank"].max())
    (1311, 147)
    """
    from hwb import stats

    series = series if series is not None else dtoc.load_series()
    populations = populations if populations is not None \
        else ons_population.population_table(18)
    t = dtoc.national_table(series, month, populations)
    eng = t[t["area_code"] == dtoc.ENGLAND].iloc[0]
    la = (t["area_code"] != dtoc.ENGLAND) & t["rate_total"].notna()
    sig = pd.Series("Not compared", index=t.index, dtype=object)
    if la.any():
        lim = stats.funnel_rate_limits(t.loc[la, "total"].to_numpy(), float(eng["rate_total"]),
                                       years=1, multiplier=PER)
        sig[la] = stats.funnel_significance(t.loc[la, "rate_total"].to_numpy(), lim)
    t["significance"] = sig
    return t


def funnel_curves(england_rate: float, days: int, max_population: float,
                  min_population: float) -> pd.DataFrame:
    """The 95% and 99.8% funnel limits as curves of per-day rate against 18+ population.

    Parameters
    ----------
    england_rate : float
        England's delayed days per 100,000 aged 18+ in the month (the baseline).
    days : int
        Days in the month (rates per day are the monthly rates divided by it).
    max_population, min_population : float
        The population range the curves should span.

    Returns
    -------
    DataFrame
        ``limit, side, population, rate_per_day``: one row per point of each of the
        four curves (``limit`` 95 or 99.8, ``side`` lower or upper), sorted by population.

    Notes
    -----
    Exact Poisson limits for a rate (PHEindicatormethods ``calculate_funnel_limits``,
    ``statistic = "rate"``), computed by :func:`hwb.stats.funnel_rate_limits` at a grid
    of delayed-day counts; each count gives the population at which it would lie on a
    limit, so the curves are drawn against population.

    Examples
    --------
    >>> c = funnel_curves(260.0, 30, 1_000_000, 100_000)
    >>> sorted(set(c["limit"])), bool((c[c.side == "upper"].rate_per_day > 260 / 30).all())
    ([95.0, 99.8], True)
    """
    from hwb import stats

    lo_events = max(1.0, england_rate / PER * min_population * 0.5)
    hi_events = england_rate / PER * max_population * 2.0
    events = np.unique(np.round(np.geomspace(lo_events, hi_events, 240)))
    lim = stats.funnel_rate_limits(events, england_rate, years=1, multiplier=PER)
    rows = []
    for limit, suffix in ((95.0, "95"), (99.8, "99_8")):
        for side in ("lower", "upper"):
            part = pd.DataFrame({"limit": limit, "side": side,
                                 "population": lim[f"population_{side}{suffix}"],
                                 "rate_per_day": lim[f"{side}{suffix}"] / days})
            part = part[np.isfinite(part["rate_per_day"]) & (part["population"] > 0)
                        & part["population"].between(min_population * 0.8,
                                                     max_population * 1.25)]
            rows.append(part)
    return pd.concat(rows, ignore_index=True).sort_values(["limit", "side", "population"],
                                                          ignore_index=True)


def fid(area_code: str, what: str) -> str:
    """The figure id of one area's figure: ``e10000018.rate_per_day``.

    Examples
    --------
    >>> fid("E10000018", "days")
    'e10000018.days'
    """
    return f"{area_code.lower()}.{what}"


def record_league(rec: Recorder, t: pd.DataFrame, month: str) -> None:
    """Record every number of the league table (one set of figures per area and England)."""
    words = dtoc.month_label(month)
    for _, r in t.iterrows():
        code, name = str(r["area_code"]), str(r["area_name"])
        rec.record(fid(code, "days"), f"{name}: delayed days, {words}", float(r["total"]),
                   "days", 0, inputs=[dtoc.RESPONSIBLE_FILE])
        if pd.isna(r["population"]):
            continue
        rec.record(fid(code, "population_18plus"), f"{name}: population aged 18+ (ONS mid-2019)",
                   float(r["population"]), "people", 0, inputs=[ons_population.FILES["utla"]])
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
    eng = t[t["area_code"] == dtoc.ENGLAND].iloc[0]
    la = t[t["area_code"] != dtoc.ENGLAND]
    rated = la[la["rate_total"].notna()]
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
    for label in SIGNIFICANCE_WORDS:
        key = label.lower().replace(" ", "_").replace("(", "").replace(")", "").replace(".", "_")
        out[f"sig_{key}"] = rec.record(f"national.funnel.{key}", "Local authorities "
                                       f"{SIGNIFICANCE_WORDS[label]}",
                                       int((la["significance"] == label).sum()), "areas", 0)
    return out


# --- the league table as HTML (links, and the same table in other orders) ----------------------


SORTS: dict[str, tuple[str, str, bool]] = {
    "rank": ("delayed patients per day per 100,000 aged 18+, highest first", "rate_per_day_total",
             False),
    "name": ("area name", "area_name", True),
    "population": ("population aged 18+, largest first", "population", False),
    "days": ("delayed days, most first", "total", False),
    "nhs": ("NHS-attributed delays per day per 100,000, highest first", "rate_per_day_nhs",
            False),
    "social_care": ("social-care-attributed delays per day per 100,000, highest first",
                    "rate_per_day_social_care", False),
    "both": ("jointly attributed delays per day per 100,000, highest first", "rate_per_day_both",
             False),
}
"""The orders the league table is shown in: key -> (words, column, ascending)."""


def link_for(params: NationalParams, area_name: str) -> str:
    """The relative link from this appendix to an area's DTOC appendix for the month.

    Examples
    --------
    >>> p = NationalParams(area_code="E92000001", area_name="England", period="2017-11",
    ...                    board_name="B", paper_title="T", month="2017-11")
    >>> link_for(p, "Kingston upon Hull, City of")
    '../../dtoc/kingston-upon-hull-city-of/2017-11/appendix.html'
    """
    base = params.appendix_links.rstrip("/")
    return f"{base}/{slugify(area_name)}/{slugify(params.month)}/appendix.html"


def display_table(rec: Recorder, t: pd.DataFrame, sort: str = "rank") -> pd.DataFrame:
    """The league table as shown: recorded figures' text, in one of :data:`SORTS`' orders.

    England is not in it (its figures are in the key messages and the funnel plot).
    """
    _, col, asc = SORTS[sort]
    la = t[t["area_code"] != dtoc.ENGLAND].copy()
    la = la.sort_values([col, "area_name"], ascending=[asc, True], na_position="last",
                        kind="stable")

    def txt(code: str, what: str) -> str:
        f = rec.figures.get(fid(code, what))
        return f.text if f is not None else "[x]"

    rows = []
    for _, r in la.iterrows():
        c = str(r["area_code"])
        rows.append({
            "Area": str(r["area_name"]),
            "Rank": txt(c, "rank"),
            "Delayed days": txt(c, "days"),
            "Aged 18+": txt(c, "population_18plus"),
            "Per 100,000 in the month": txt(c, "rate"),
            "Per 100,000 per day": txt(c, "rate_per_day"),
            "NHS per day": txt(c, "rate_per_day.nhs"),
            "Social care per day": txt(c, "rate_per_day.social_care"),
            "Both per day": txt(c, "rate_per_day.both"),
            "Against England (funnel)": SIGNIFICANCE_WORDS[str(r["significance"])],
        })
    return pd.DataFrame(rows)


@dataclass
class Html:
    """Rich output shown as HTML (in JupyterLab and the exported appendix)."""

    text: str

    def _repr_html_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return ""


def link_rows(table_html: str, links: dict[str, str]) -> Html:
    """Turn the row headers named in ``links`` into links (other rows are left as text).

    Parameters
    ----------
    table_html : str
        The HTML of a :func:`hwb.toolkit.charts.table` (row headers ``<th scope="row">``).
    links : dict
        Area name -> relative link.

    Examples
    --------
    >>> link_rows('<th scope="row">Hull &amp; East</th>', {"Hull & East": "h/a.html"}).text
    '<th scope="row"><a href="h/a.html">Hull &amp; East</a></th>'
    """
    def sub(m: re.Match[str]) -> str:
        name = html.unescape(m.group(1))
        if name not in links:
            return m.group(0)
        return (f'<th scope="row"><a href="{html.escape(links[name])}">{m.group(1)}</a></th>')

    return Html(re.sub(r'<th scope="row">(.*?)</th>', sub, table_html))


# --- the funnel chart ------------------------------------------------------------------------


def funnel_chart(t: pd.DataFrame, month: str) -> tuple[Any, str, pd.DataFrame]:
    """Funnel plot of per-day rates against 18+ population, with its text alternative and data.

    Returns
    -------
    (matplotlib Figure, str, DataFrame)
        The figure, its alt text generated from the data, and the chart data.
    """
    import matplotlib.pyplot as plt

    from hwb.toolkit.charts import PALETTE

    eng = t[t["area_code"] == dtoc.ENGLAND].iloc[0]
    la = t[(t["area_code"] != dtoc.ENGLAND) & t["rate_total"].notna()]
    days = dtoc.days_in_month(month)
    curves = funnel_curves(float(eng["rate_total"]), days, float(la["population"].max()),
                           float(la["population"].min()))
    fig, ax = plt.subplots(figsize=(9, 5.6))
    styles = {95.0: ("--", PALETTE[0], "95% limits"), 99.8: (":", PALETTE[3], "99.8% limits")}
    for (limit, side), c in curves.groupby(["limit", "side"], sort=True):
        ls, colour, name = styles[float(limit)]
        ax.plot(c["population"], c["rate_per_day"], linestyle=ls, color=colour, linewidth=1.6,
                marker="", label=name if side == "upper" else None)
    ax.axhline(float(eng["rate_per_day_total"]), color="black", linewidth=1.0, marker="",
               label=f"England {format_number(float(eng['rate_per_day_total']), 2)}")
    # shape and fill say which side and which limit (never colour alone)
    markers = {"High (0.001)": ("^", PALETTE[1], True), "High (0.025)": ("^", PALETTE[1], False),
               "Not significant": ("o", PALETTE[4], True), "Low (0.025)": ("v", PALETTE[2], False),
               "Low (0.001)": ("v", PALETTE[2], True)}
    for label, (mk, colour, filled) in markers.items():
        pts = la[la["significance"] == label]
        if len(pts):
            ax.scatter(pts["population"], pts["rate_per_day_total"], marker=mk, s=30,
                       facecolors=colour if filled else "white", edgecolors=colour,
                       linewidths=1.2, zorder=3,
                       label=f"{SIGNIFICANCE_WORDS[label]} ({len(pts)})")
    ax.set_xscale("log")
    ax.set_xlabel("Population aged 18+ (ONS mid-2019, log scale)")
    ax.set_ylabel("Delayed patients per day per 100,000 aged 18+")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, frameon=False,
              fontsize=9)
    counts = la["significance"].value_counts()
    parts = [f"{int(counts.get(k, 0))} {SIGNIFICANCE_WORDS[k]}" for k in markers
             if int(counts.get(k, 0))]
    hi = la.loc[la["rate_per_day_total"].idxmax()]
    lo = la.loc[la["rate_per_day_total"].idxmin()]
    eng_text = format_number(float(eng["rate_per_day_total"]), 2)
    alt = (f"Funnel plot of delayed patients per day per 100,000 aged 18+ in "
           f"{dtoc.month_label(month)} against population aged 18+ for {len(la)} local "
           f"authorities, with England's rate of {eng_text}"
           f" and Poisson 95% and 99.8% limits around it. Rates range from "
           f"{format_number(float(lo['rate_per_day_total']), 2)} ({lo['area_name']}) to "
           f"{format_number(float(hi['rate_per_day_total']), 2)} ({hi['area_name']}). "
           + "; ".join(parts) + ".")
    data = la[["area_name", "population", "rate_per_day_total", "significance"]].copy()
    data["significance"] = data["significance"].map(SIGNIFICANCE_WORDS)
    data["population"] = data["population"].astype("int64")
    data = data.rename(columns={"area_name": "Area", "population": "Aged 18+",
                                "rate_per_day_total": "Per 100,000 per day",
                                "significance": "Against England"})
    data = data.sort_values("Aged 18+", kind="stable").set_index("Area")
    return fig, alt, data


PAPER = Paper(
    name="national",
    title="Delayed transfers of care: every Health and Wellbeing Board in England",
    notebook=BUILTIN_ROOT / "notebooks" / "national.ipynb",
    params_model=NationalParams,
    params_dir=BUILTIN_ROOT / "params" / "national",
    inputs=tuple(BUILTIN_ROOT / "data" / f for f in (
        dtoc.RESPONSIBLE_FILE, dtoc.REASON_FILE, ons_population.FILES["utla"],
        "falls/phof_22401_falls65_dsr_district_ua_2010-11_to_2017-18.csv")),
    description=("A league table and funnel plot of delayed days per 100,000 adults for every "
                 "Health and Wellbeing Board in one month, with the falls rate trend for every "
                 "district and unitary authority, each board linking to its appendix."),
    check=check,
)


# --- notebook helpers ---------------------------------------------------------------------------


def from_namespace(ns: dict[str, Any]) -> NationalParams:
    """The notebook's parameters (its ``parameters`` cell, as papermill left it) as a model.

    Raises
    ------
    ParameterError
        A field of :class:`NationalParams` is not declared, or a value is invalid.

    Examples
    --------
    >>> p = from_namespace({"area_code": "E92000001", "area_name": "England",
    ...     "period": "2017-11", "board": "", "board_name": "B", "meeting_date": None,
    ...     "agenda_item": "", "paper_title": "T", "ask": "note", "month": "2017-11",
    ...     "appendix_links": "../../dtoc", "linked": None, "falls_start": "2011/12",
    ...     "falls_end": "2015/16"})
    >>> p.month, p.linked
    ('2017-11', None)
    """
    import json

    from hwb.core.params import parse_params
    from hwb.errors import ParameterError

    missing = [k for k in NationalParams.model_fields if k not in ns]
    if missing:
        raise ParameterError("notebook parameters", missing[0], None,
                             "every field of NationalParams to be declared in the parameters cell")
    values = {k: ns[k] for k in NationalParams.model_fields}
    try:
        return NationalParams.model_validate_json(json.dumps(values))
    except Exception:  # noqa: BLE001 - re-raised as a one-line ParameterError
        return parse_params(values, NationalParams, "notebook parameters")  # type: ignore[return-value]


def links(params: NationalParams, t: pd.DataFrame) -> dict[str, str]:
    """Area name -> link, for the areas whose appendix exists (or every rated area)."""
    la = t[(t["area_code"] != dtoc.ENGLAND) & t["rate_total"].notna()]
    if params.linked is not None:
        la = la[la["area_code"].isin(params.linked)]
    return {str(r["area_name"]): link_for(params, str(r["area_name"])) for _, r in la.iterrows()}


def methods_markdown() -> str:
    """How the summary's figures are computed (no numbers: those are recorded figures)."""
    return (
        "**Delayed days.** NHS England's monthly delayed days for patients aged 18+, by the "
        "local authority where they live, split by the organisation responsible (NHS, social "
        "care, or both jointly): the same series and the same code (`hwb.sources.dtoc`) as every "
        "board's appendix.\n\n"
        "**Rates.** Delayed days divided by the population aged 18+ (ONS mid-2019 estimates, "
        "the only local-authority estimate by age that hwb ships), times 100,000, per month; "
        "the rate per day divides that by the days in the month: the average number of beds "
        "occupied by delayed patients on a day per 100,000 adults. The City of London and the "
        "Isles of Scilly have no rows of their own: their populations are added to Hackney's "
        "and Cornwall's. England's population is the sum of the English local authorities.\n\n"
        "**Funnel plot.** Each authority's monthly rate is set against exact Poisson limits "
        "around England's rate at its own delayed days (`hwb.stats.funnel_rate_limits`, as "
        "PHEindicatormethods `calculate_funnel_limits` with `statistic = \"rate\"`; 95% and "
        "99.8% two-sided limits), and classed as `hwb.stats.funnel_significance` does "
        "(PHEindicatormethods `assign_funnel_significance`). The curves are drawn against "
        "population: each count of delayed days gives the population at which it would lie on "
        "a limit.\n\n"
        "**Falls.** The directly standardised rate of emergency hospital admissions for falls, "
        "persons aged 65+, per 100,000 (Public Health Outcomes Framework indicator 2.24i, "
        "Fingertips), for every district and unitary authority: the percentage change between "
        "two years, set against England's (the falls paper's `national_change`)."
    )


def caveats_markdown() -> str:
    """Assumptions and caveats of the summary (no numbers)."""
    items = [
        "The funnel limits treat delayed days as independent Poisson events. They are not: one "
        "patient delayed for a month contributes thirty days, so the counts are overdispersed "
        "and far more authorities fall outside the limits than chance alone would put there. "
        "Read the funnel as a picture of spread, not as a test; an overdispersion-adjusted "
        "funnel (Spiegelhalter, *Statistics in Medicine* 2005; 24:1185-1202) would widen the "
        "limits.",
        "One population year (mid-2019) is used for every month. For months far from 2019 the "
        "denominators are less accurate, and the ranks are ranks of delays per head of the "
        "2019 population.",
        "Authorities replaced in a reorganisation before mid-2019 have no mid-2019 estimate on "
        "their old boundaries: in the months before it they have delayed days but no rate, no "
        "rank and no appendix (see Coverage).",
        "The series is NHS England's revised data as re-published in 2019; papers written at "
        "the time used the figures first published.",
        "Each board's appendix is built with the same series and the ONS mid-2019 population "
        "of its own authority. For Hackney and Cornwall the appendix uses the authority's own "
        "population, while this table adds the City of London's and the Isles of Scilly's, as "
        "the series' rows do; their rates here are slightly lower.",
    ]
    return "\n".join(f"- {x}" for x in items)
