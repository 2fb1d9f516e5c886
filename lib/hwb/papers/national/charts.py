"""The national summary's charts and tables: the league table (with links, in several orders),
the funnel plot with overdispersion-adjusted limits, and England's SPC chart."""

from __future__ import annotations

from typing import Any

import pandas as pd

from hwb.fmt import format_number
from hwb.papers.national.compute import (
    FUNNEL_VARIANT,
    SIGNIFICANCE_WORDS,
    Results,
    fid,
    funnel_curves,
)
from hwb.sources import dtoc
from hwb.toolkit.figures import Figure, Recorder
from hwb.toolkit.summary import Html, link_rows

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

AGAINST = "Against England (funnel)"
"""The league table's column of funnel positions."""


def population_files(res: Results) -> str:
    """The population files the month's rates divide by, as a source line lists them.

    Examples
    --------
    >>> r = Results.__new__(Results)
    >>> r.table = pd.DataFrame({"file": ["population/a.csv; population/b.csv", "population/a.csv"]})
    >>> population_files(r)
    'data/population/a.csv; data/population/b.csv'
    """
    files = sorted({f for fs in res.table["file"].astype(str) for f in fs.split("; ") if f})
    return "; ".join(f"data/{f}" for f in files)


def sources(res: Results) -> str:
    """The league table's and funnel plot's source line: the series and the month's estimates."""
    years = sorted({f"mid-{int(y)}" for y in res.table.get("estimate_year", pd.Series(dtype=int))
                    .dropna()})
    return (f"{dtoc.SOURCE} (data/{dtoc.RESPONSIBLE_FILE}); population: ONS mid-year "
            f"estimates of persons aged 18+ ({', '.join(years) or 'as given'}; "
            f"{population_files(res)})")


def display_table(rec: Recorder, t: pd.DataFrame, sort: str = "rank") -> pd.DataFrame:
    """The league table as shown: the recorded figures (shown as their text and marked with
    their ids, so each number links to its derivation), in one of :data:`SORTS`' orders;
    ``[x]`` where an area has no such figure.

    England is not in it (its figures are in the key messages and the funnel plot).
    """
    _, col, asc = SORTS[sort]
    la = t[t["area_code"] != dtoc.ENGLAND].copy()
    la = la.sort_values([col, "area_name"], ascending=[asc, True], na_position="last",
                        kind="stable")

    def txt(code: str, what: str) -> Figure | str:
        f = rec.figures.get(fid(code, what))
        return f if f is not None else "[x]"

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
            AGAINST: SIGNIFICANCE_WORDS[str(r["significance"])],
        })
    return pd.DataFrame(rows)


def table_notes(res: Results) -> list[str]:
    """The league table's notes: what the rates are, and which funnel limits were used."""
    adj = ("limits adjusted for overdispersion" if res.od.overdispersed
           else "plain Poisson limits (the data show no overdispersion)")
    return ["Rates are per 100,000 population aged 18+; 'per day' divides the month's rate by "
            "the days in the month. [x]: no rate (no 18+ population on the series' boundaries).",
            f"Aged 18+: the estimate of the month's own mid-year, on the series' boundaries. "
            f"{res.vintage} England: {res.england_vintage}.",
            f"{AGAINST}: where the rate lies against funnel {adj}, around England's rate "
            "(see the funnel plot)."]


def league_tables(rec: Recorder, res: Results) -> tuple[Html, Html]:
    """The league table by rank, and the same table in every other order (each folded).

    Returns
    -------
    (Html, Html)
        The ranked table with each area's name linking to its appendix, and the other
        orders, each behind a "Sorted by" disclosure.
    """
    from hwb.toolkit import charts

    def one(key: str) -> str:
        body = charts.table(display_table(rec, res.table, key),
                            f"Delayed transfers of care by Health and Wellbeing Board, "
                            f"{res.words}, sorted by {SORTS[key][0]}", sources(res),
                            notes=table_notes(res)).text
        return link_rows(body, res.links).text

    ranked = one("rank")  # first: the table shown first takes the first number
    others = [f'<details class="hwb-sorted"><summary>Sorted by {SORTS[k][0]}</summary>'
              f"{one(k)}</details>" for k in SORTS if k != "rank"]
    return Html(ranked), Html("\n".join(others))


_MARKERS = {"High (0.001)": ("^", 1, True), "High (0.025)": ("^", 1, False),
            "Not significant": ("o", 4, True), "Low (0.025)": ("v", 2, False),
            "Low (0.001)": ("v", 2, True)}
"""Shape, palette index and fill of each funnel position (never colour alone)."""


def funnel_chart(res: Results) -> tuple[Any, str, pd.DataFrame]:
    """Funnel plot of per-day rates against 18+ population, with its text alternative and data.

    The limits are :func:`hwb.papers.national.compute.funnel_curves` (adjusted for
    overdispersion when the data show it); the text alternative is
    :func:`hwb.toolkit.spc_chart.describe_funnel` (it states φ and τ²) with the range.

    Returns
    -------
    (matplotlib Figure, str, DataFrame)
        The figure, its alt text generated from the data, and the chart data.
    """
    import matplotlib.pyplot as plt

    from hwb.toolkit.charts import PALETTE
    from hwb.toolkit.spc_chart import describe_funnel

    t, od = res.table, res.od
    eng = t[t["area_code"] == dtoc.ENGLAND].iloc[0]
    la = t[(t["area_code"] != dtoc.ENGLAND) & t["rate_total"].notna()]
    curves = funnel_curves(od, float(eng["rate_total"]), dtoc.days_in_month(res.month),
                           float(la["population"].max()), float(la["population"].min()))
    adj = "adjusted for overdispersion" if od.overdispersed else "plain Poisson"
    fig, ax = plt.subplots(figsize=(9, 5.6))
    styles = {95.0: ("--", PALETTE[0], f"95% limits ({adj})"),
              99.8: (":", PALETTE[3], f"99.8% limits ({adj})")}
    for (limit, side), c in curves.groupby(["limit", "side"], sort=True):
        ls, colour, name = styles[float(limit)]
        ax.plot(c["population"], c["rate_per_day"], linestyle=ls, color=colour, linewidth=1.6,
                marker="", label=name if side == "upper" else None)
    ax.axhline(float(eng["rate_per_day_total"]), color="black", linewidth=1.0, marker="",
               label=f"England {format_number(float(eng['rate_per_day_total']), 2)}")
    for label, (mk, colour_index, filled) in _MARKERS.items():
        pts = la[la["significance"] == label]
        colour = PALETTE[colour_index]
        if len(pts):
            ax.scatter(pts["population"], pts["rate_per_day_total"], marker=mk, s=30,
                       facecolors=colour if filled else "white", edgecolors=colour,
                       linewidths=1.2, zorder=3,
                       label=f"{SIGNIFICANCE_WORDS[label]} ({len(pts)})")
    ax.set_xscale("log")
    years = sorted({int(y) for y in la["estimate_year"].dropna()}) \
        if "estimate_year" in la else []
    ax.set_xlabel(f"Population aged 18+ ({', '.join(f'mid-{y}' for y in years) or 'as given'}"
                  ", log scale)")
    ax.set_ylabel("Delayed patients per day per 100,000 aged 18+")
    ax.set_ylim(bottom=0)
    ax.set_title(f"phi = {format_number(od.phi, 1)}, tau² = {format_number(od.tau2, 4)}; "
                 f"limits {adj}", loc="left", fontsize=9)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, frameon=False,
              fontsize=9)
    hi = la.loc[la["rate_per_day_total"].idxmax()]
    lo = la.loc[la["rate_per_day_total"].idxmin()]
    alt = (describe_funnel(res.funnel, od, f"delayed patients per day per 100,000 aged 18+ in "
                           f"{res.words} against population aged 18+ for {len(la)} local "
                           "authorities, around England's rate", decimals=2,
                           variant=FUNNEL_VARIANT)
           + f" Rates range from {format_number(float(lo['rate_per_day_total']), 2)} "
             f"({lo['area_name']}) to {format_number(float(hi['rate_per_day_total']), 2)} "
             f"({hi['area_name']}).")
    data = la[["area_name", "population", "rate_per_day_total", "significance"]].copy()
    data["significance"] = data["significance"].map(SIGNIFICANCE_WORDS)
    data["population"] = data["population"].astype("int64")
    data = data.rename(columns={"area_name": "Area", "population": "Aged 18+",
                                "rate_per_day_total": "Per 100,000 per day",
                                "significance": "Against England"})
    data = data.sort_values("Aged 18+", kind="stable").set_index("Area")
    return fig, alt, data


def trend_chart(res: Results) -> tuple[Any, str, pd.DataFrame]:
    """England's monthly rate per day as an SPC (XmR) chart, its text alternative and data.

    Making Data Count's variation verdict is shown by shape and text
    (:func:`hwb.toolkit.spc_chart.spc_chart`); there is no target, so no assurance.
    """
    from hwb.toolkit import spc_chart

    m = res.trend
    frame = res.spc["frame"].copy()
    frame["x"] = [dtoc.month_label(p) for p in m["period"]]
    summary = res.spc["summary"]
    unit = "Patients delayed per day per 100,000 aged 18+"
    fig = spc_chart.spc_chart(frame, summary, f"{unit}, England", unit, decimals=2)
    alt = spc_chart.describe_spc(frame, summary, "delayed patients per day per 100,000 aged "
                                 "18+ in England", decimals=2)
    data = pd.DataFrame({
        "Month": frame["x"],
        "Delayed days": m["total"].map(format_number),
        "Per day per 100,000 aged 18+": m["rate_per_day_total"].map(
            lambda v: format_number(v, 2)),
        "SPC verdict": frame["verdict"].tolist(),
    }).set_index("Month")
    return fig, alt, data
