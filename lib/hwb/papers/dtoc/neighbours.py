"""The board among its comparable councils: CIPFA nearest neighbours (issue 16, item 6).

The month's delayed days per 100,000 aged 18+ for the board's council and the 15 councils
CIPFA's nearest-neighbour model finds most like it (:mod:`hwb.sources.cipfa`, labelled with
the model's vintage).  Every council divides by the ONS estimate of persons aged 18+ of the
month's own mid-year on the series' boundaries
(:func:`hwb.sources.dtoc.populations_of_year`), so the group shares one denominator source;
the board's own rate elsewhere in the appendix may use another (the board's printed one).
No interval is drawn: delayed days are not independent events.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from hwb.papers.dtoc import known
from hwb.papers.dtoc.params import DtocParams
from hwb.sources import dtoc
from hwb.sources.params import area_names
from hwb.toolkit.figures import Figure, Recorder


def neighbour_table(series: pd.DataFrame | None, area_code: str, month: str,
                    codes: list[str]) -> pd.DataFrame:
    """The month's delayed days and rate per 100,000 aged 18+ for a council and its neighbours.

    Returns
    -------
    DataFrame
        ``area_code, area_name, days, population, rate, is_area, rank`` (rank 1 = most delayed
        days per head among the councils with a rate), the council first, then its
        neighbours by rate, highest first.

    Examples
    --------
    Rotherham, September 2017: 674 delayed days over the ONS mid-2017 estimate of its 18+
    population, 206,428 (the shipped estimate), 674 / 206,428 x 100,000 = 326.51.

    >>> from hwb.sources import dtoc
    >>> t = neighbour_table(dtoc.load_series(), "E08000018", "2017-09", ["E08000016"])
    >>> r = t.iloc[0]
    >>> r.area_name, int(r.days), int(r.population), round(float(r.rate), 2)
    ('Rotherham', 674, 206428, 326.51)
    """
    pops = dtoc.populations_of_year(dtoc.population_year(month))
    nat = dtoc.national_table(series, month, pops[["area_code", "population"]])
    names = area_names()
    nat = nat.set_index("area_code")
    rows = []
    for code in [area_code, *codes]:
        r = nat.loc[code] if code in nat.index else None
        days = float(r["total"]) if r is not None else float("nan")
        pop = float(r["population"]) if r is not None else float("nan")
        rows.append({"area_code": code, "area_name": names.get(code, code), "days": days,
                     "population": pop, "rate": days / pop * 100_000,
                     "is_area": code == area_code})
    out = pd.DataFrame(rows)
    out["rank"] = out["rate"].rank(ascending=False, method="min").astype("Int64")
    return pd.concat([out[out["is_area"]], out[~out["is_area"]].sort_values(
        ["rate", "area_name"], ascending=[False, True], na_position="last")],
        ignore_index=True)


@dataclass
class Neighbours:
    """What the comparison shows: the table of each month, the figures of its description."""

    month: str
    table: pd.DataFrame
    vintage: str
    source: str
    earlier: pd.DataFrame | None = None
    """The latest month published by the meeting, when the appendix's month came later."""
    figures: list[Figure] = field(default_factory=list)
    """The numbers of the chart's description, recorded, in the order it states them."""
    alt: str = ""
    start: int = 0
    """Where the numbers of :attr:`alt` start (past the measure's name and the vintage)."""
    population: str = ""
    earlier_month: str = ""


def _slug(code: str) -> str:
    return code.lower()


def compute_neighbours(rec: Recorder, params: DtocParams, p: str, known_to: str,
                       series: pd.DataFrame | None = None) -> Neighbours | None:
    """Record the comparison's figures; None when the council has no neighbours in the model (the
    City of London, the Isles of Scilly, Northamptonshire) or is not in it (a council abolished
    before 2019, such as Bournemouth, Poole and the old Dorset).

    Parameters
    ----------
    rec, params
    p : str
        The run's figure-id prefix.
    known_to : str
        The latest month published by the meeting.
    series : DataFrame, optional
        :func:`hwb.sources.dtoc.load_series` (the shipped series when not given).
    """
    from hwb.errors import DataError
    from hwb.sources import cipfa

    try:
        codes = list(cipfa.neighbours(params.area_code))
    except DataError:  # not a council of the model on 2019 codes (abolished before 2019)
        return None
    if not codes:
        return None
    meeting = params.meeting_date
    year = dtoc.population_year(params.month)
    pops = dtoc.populations_of_year(year)
    group = pops[pops["area_code"].isin([params.area_code, *codes])]
    vint = ", ".join(dict.fromkeys(group["vintage"].astype(str)))
    out = Neighbours(month=params.month, vintage=cipfa.VINTAGE, source=cipfa.SOURCE,
                     table=neighbour_table(series, params.area_code, params.month, codes),
                     population=f"persons aged 18+, {vint}, on the series' boundaries")
    month = dtoc.month_label(params.month)
    late = not known.known_at(params.month, meeting)
    kw = {"vintage": f"{cipfa.VINTAGE}; NHS England DTOC monthly SitRep, {month}, first "
                     f"published {known.published_on(params.month)}", "hindsight": late,
          "inputs": [dtoc.RESPONSIBLE_FILE, cipfa.FILE]}
    method = f"delayed days / ONS mid-{year} 18+ population x 100,000, for every council"
    t = out.table
    rates: dict[str, Figure] = {}
    for _, r in t.iterrows():
        if pd.isna(r["rate"]):
            continue
        fid = f"{p}.neighbours.rate" if r["is_area"] else \
            f"{p}.neighbours.{_slug(r['area_code'])}.rate"
        rates[r["area_code"]] = rec.record(
            fid, f"Delayed days per 100,000 aged 18+, {month}: {r['area_name']}", r["rate"],
            "per 100,000", 1, method=method, **kw)
    ranked = t[t["rate"].notna()]
    here = t.iloc[0]
    others = ranked[~ranked["is_area"]]
    n = rec.record(f"{p}.neighbours.count", f"CIPFA nearest neighbours with a rate, {month}",
                   len(others), "councils", 0, **kw)
    figs = [n]
    text = (f"Bar chart of delayed days per 100,000 aged 18+ in {month} for {params.area_name} "
            f"and its nearest neighbours ({cipfa.VINTAGE}): {n} neighbours with a rate.")
    out.alt = text
    start = len(text) - len(f"{n} neighbours with a rate.")
    if pd.notna(here["rate"]):
        rank = rec.record(f"{p}.neighbours.rank", f"Rank among the council and its CIPFA "
                          f"nearest neighbours, {month} (1 = most delays per head)",
                          int(here["rank"]), "", 0, **kw)
        of = rec.record(f"{p}.neighbours.ranked", f"Councils ranked, {month}", len(ranked), "",
                        0, **kw)
        figs += [rates[params.area_code], rank, of]
        out.alt += (f" {params.area_name}: {rates[params.area_code]}, ranked {rank} of {of} "
                    "(1 = most delays per head).")
    if len(others):
        med = rec.record(f"{p}.neighbours.median", f"Median of the neighbours' rates, {month}",
                         float(others["rate"].median()), "per 100,000", 1, method="median of "
                         "the 15 neighbours' delayed days per 100,000 aged 18+", **kw)
        hi, lo = others.iloc[0], others.iloc[-1]
        figs += [med, rates[hi["area_code"]], rates[lo["area_code"]]]
        out.alt += (f" The neighbours' median: {med}. Highest: {hi['area_name']}, "
                    f"{rates[hi['area_code']]}; lowest: {lo['area_name']}, "
                    f"{rates[lo['area_code']]}.")
    out.figures = figs
    out.start = start
    if known_to != params.month and late:
        e = neighbour_table(series, params.area_code, known_to, codes)
        out.earlier = e
        out.earlier_month = known_to
        kw2 = {"vintage": f"{cipfa.VINTAGE}; NHS England DTOC monthly SitRep, "
                          f"{dtoc.month_label(known_to)}, first published "
                          f"{known.published_on(known_to)}", "inputs": kw["inputs"]}
        if pd.notna(e["rate"].iloc[0]):
            rec.record(f"{p}.known.neighbours.rate", f"Delayed days per 100,000 aged 18+, "
                       f"{dtoc.month_label(known_to)} (the latest month published by the "
                       f"meeting): {params.area_name}", float(e["rate"].iloc[0]),
                       "per 100,000", 1, method=method, **kw2)
            rec.record(f"{p}.known.neighbours.rank", f"Rank among the council and its CIPFA "
                       f"nearest neighbours, {dtoc.month_label(known_to)} (1 = most delays per "
                       "head)", int(e["rank"].iloc[0]), "", 0, **kw2)
            rec.record(f"{p}.known.neighbours.ranked", f"Councils ranked, "
                       f"{dtoc.month_label(known_to)}", int(e["rate"].notna().sum()), "", 0,
                       **kw2)
    return out


def neighbours_chart(nb: Neighbours, params: DtocParams) -> tuple[object, pd.DataFrame]:
    """Horizontal bars from zero, the board's bar darker, hatched and labelled (never colour
    alone); and the chart's data table (both months when the appendix's month came after
    the meeting)."""
    import matplotlib.pyplot as plt

    from hwb.fmt import format_number
    from hwb.toolkit.charts import PALETTE

    t = nb.table[nb.table["rate"].notna()].sort_values("rate")
    fig, ax = plt.subplots(figsize=(8, 0.32 * len(t) + 1.2))
    y = range(len(t))
    area = t["is_area"].tolist()
    ax.barh(list(y), t["rate"].tolist(), color=[PALETTE[1] if a else PALETTE[0] for a in area],
            hatch=["///" if a else None for a in area], edgecolor="white")  # one call: cheaper
    for i, v in enumerate(t["rate"]):
        ax.text(v, i, f" {format_number(v, 1)}", va="center", fontsize=9)
    ax.set_yticks(list(y), [f"{n} (this board)" if a else n for n, a in
                            zip(t["area_name"], t["is_area"], strict=True)])
    for lab, a in zip(ax.get_yticklabels(), t["is_area"], strict=True):
        if a:
            lab.set_fontweight("bold")
    ax.set_xlim(left=0)
    ax.set_xlabel(f"Delayed days per 100,000 aged 18+, {dtoc.month_label(nb.month)}")
    ax.grid(axis="y", visible=False)
    month = dtoc.month_label(nb.month)
    data = pd.DataFrame({
        "Council": [f"{n} (this board)" if a else n for n, a in
                    zip(nb.table["area_name"], nb.table["is_area"], strict=True)],
        f"Delayed days, {month}": nb.table["days"].map(format_number),
        "18+ population": nb.table["population"].map(format_number),
        f"Per 100,000 aged 18+, {month}": nb.table["rate"].map(lambda v: format_number(v, 1)),
        f"Rank, {month}": nb.table["rank"].map(lambda v: "[x]" if pd.isna(v) else str(int(v))),
    })
    if nb.earlier is not None:
        e = nb.earlier.set_index("area_code").reindex(nb.table["area_code"])
        em = dtoc.month_label(nb.earlier_month)
        data[f"Per 100,000 aged 18+, {em}"] = e["rate"].map(
            lambda v: format_number(v, 1)).tolist()
        data[f"Rank, {em}"] = e["rank"].map(
            lambda v: "[x]" if pd.isna(v) else str(int(v))).tolist()
    return fig, data


def neighbours_html(nb: Neighbours, params: DtocParams, series_source: str) -> object:
    """The comparison as the appendix shows it: a numbered, accessible chart whose description's
    numbers are recorded figures (:func:`hwb.papers.dtoc.linking.chart`)."""
    from hwb.papers.dtoc import linking

    fig, data = neighbours_chart(nb, params)
    late = not known.known_at(nb.month, params.meeting_date)
    caption = (f"Delayed days per 100,000 aged 18+, {dtoc.month_label(nb.month)}"
               + (" (published after the meeting)" if late else "")
               + f": {params.area_name} among its nearest neighbours ({nb.vintage})")
    source = f"{series_source}; population: {nb.population}; comparison group: {nb.source}"
    return linking.chart(fig, caption, source, nb.alt, nb.figures, data,
                         start=nb.start)
