"""The equity national summary's numbers: every board's residents in England's most deprived
small areas, by age band, every figure recorded.

* the small areas (:func:`small_areas`): every English LSOA with its board, its national IMD
  decile and its residents in each age band;
* each board's shares (:func:`board_shares`): of its residents in each band, the share living
  in England's most deprived tenth and fifth of small areas, the expected share of a service
  for that band if its use followed population (the equity paper's own definition,
  :func:`hwb.sources.smallarea.expected_shares`, computed for every board at once);
* the league table (:func:`league`, :func:`record_league`), England's figures and the
  summary (:func:`record_summary`), coverage (:func:`record_coverage`) and the links;
* :func:`compute`, which runs them in the appendix's order and returns :class:`Results`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from hwb.papers.equity import coverage, plain_area_name
from hwb.papers.equity.england.params import ENGLAND, NationalEquityParams
from hwb.sources import smallarea
from hwb.sources.data import cached_input
from hwb.sources.params import area_names
from hwb.toolkit.figures import Figure, Recorder
from hwb.toolkit.summary import appendix_link
from hwb.toolkit.summary import area_fid as fid

CUTS: dict[str, int] = {"decile": 1, "quintile": 2}
"""The national cuts: England's most deprived decile (IMD decile 1) and quintile (1 and 2)."""
CUT_WORDS = {"decile": "most deprived tenth", "quintile": "most deprived fifth"}
"""How the appendix names each cut of England's small areas."""


def band_key(band: str) -> str:
    """The figure-id part of an age band.

    Examples
    --------
    >>> band_key("all ages"), band_key("0-15"), band_key("65+")
    ('all_ages', '0_15', '65plus')
    """
    return band.strip().lower().replace(" ", "_").replace("-", "_").replace("+", "plus")



def files(edition: int, year: int) -> list[str]:
    """The shipped files the shares are computed from (relative to ``data/``)."""
    return [smallarea.UTLA_LOOKUP, smallarea.IMD_FILES[edition], smallarea.SAPE_FILES[year]]


# --- the small areas and each board's shares ----------------------------------------------------


@cached_input(maxsize=4)
def small_areas(edition: int, year: int, bands: tuple[str, ...]) -> pd.DataFrame:
    """Every English LSOA with its board, its national IMD decile and its residents by band.

    Parameters
    ----------
    edition : int
        IMD edition (2015 or 2019): deciles of England's 32,844 LSOAs, 1 the most deprived.
    year : int
        Mid-year of the small-area population estimates (2017 or 2019).
    bands : tuple of str
        Age bands (:func:`hwb.sources.smallarea.age_columns`).

    Returns
    -------
    pandas.DataFrame
        ``lsoa11_code, area_code, imd_decile`` and one column per band (residents).

    Examples
    --------
    >>> a = small_areas(2019, 2019, ("all ages",))
    >>> len(a), int(a["all ages"].sum()), int((a.imd_decile == 1).sum())
    (32844, 56286961, 3284)
    """
    lk = smallarea.lsoa_to_utla()
    lk = lk[lk["lsoa11_code"].str.startswith("E")]
    d = lk.merge(smallarea.imd(edition)[["lsoa11_code", "imd_decile"]], on="lsoa11_code")
    d = d.rename(columns={"utla19_code": "area_code"})[["lsoa11_code", "area_code",
                                                        "imd_decile"]]
    pop = smallarea.sape(year).set_index("lsoa11_code").loc[d["lsoa11_code"]]
    for band in bands:
        d[band] = pop[smallarea.age_columns(band)].sum(axis=1).to_numpy().astype("int64")
    return d.reset_index(drop=True)


def board_shares(areas: pd.DataFrame, bands: list[str]) -> pd.DataFrame:
    """For every board and England: residents by band, and the share living in each cut.

    Parameters
    ----------
    areas : pandas.DataFrame
        :func:`small_areas`.
    bands : list of str
        Its band columns.

    Returns
    -------
    pandas.DataFrame
        One row per area (the boards, then England, ``E92000001``): ``area_code, lsoas``,
        ``lsoas_<cut>`` (small areas in the cut), and per band and cut ``pop_<band>`` (all
        residents in the band), ``in_<cut>_<band>`` (those living in the cut's areas) and
        ``share_<cut>_<band>`` (percent): the expected share of a service for that band if
        its use followed population.

    Examples
    --------
    Two boards: A's two areas hold 10 and 30 residents, the first in decile 1; B's one
    area, 60 residents, is in decile 2.  A: 10 / 40 = 25% in the decile; B: none in the
    decile, all in the quintile; England: 10 / 100 in the decile, 70 / 100 in the quintile.

    >>> a = pd.DataFrame({"lsoa11_code": ["1", "2", "3"], "area_code": ["A", "A", "B"],
    ...                   "imd_decile": [1, 5, 2], "all ages": [10, 30, 60]})
    >>> s = board_shares(a, ["all ages"]).set_index("area_code")
    >>> s["share_decile_all ages"].tolist(), s["share_quintile_all ages"].tolist()
    ([25.0, 0.0, 10.0], [25.0, 100.0, 70.0])
    """
    d = areas.copy()
    d_eng = d.assign(area_code=ENGLAND)
    both = pd.concat([d, d_eng], ignore_index=True)
    cols: dict[str, Any] = {"lsoas": both.groupby("area_code", sort=False).size()}
    g = both.groupby("area_code", sort=False)
    for cut, k in CUTS.items():
        inside = both["imd_decile"] <= k
        cols[f"lsoas_{cut}"] = inside.groupby(both["area_code"], sort=False).sum()
    for band in bands:
        cols[f"pop_{band}"] = g[band].sum()
        for cut, k in CUTS.items():
            inside = both[band].where(both["imd_decile"] <= k, 0)
            cols[f"in_{cut}_{band}"] = inside.groupby(both["area_code"], sort=False).sum()
    out = pd.DataFrame(cols)
    for band in bands:
        for cut in CUTS:
            out[f"share_{cut}_{band}"] = 100 * out[f"in_{cut}_{band}"] / out[f"pop_{band}"]
    return out.rename_axis("area_code").reset_index()


def league(params: NationalEquityParams) -> pd.DataFrame:
    """Every board's shares for the period, and by the other edition where asked.

    Returns
    -------
    pandas.DataFrame
        :func:`board_shares` of the period's edition and population year, with
        ``area_name`` (as the board's own appendix names it), ``rank`` (1 = the largest
        share of residents in England's most deprived tenth; ties share the smaller rank)
        and, with :attr:`~NationalEquityParams.other_edition`, ``other_share_<cut>`` (all
        ages, the other edition on the same populations).  England's row is last.
    """
    bands = list(params.age_bands)
    t = board_shares(small_areas(params.imd_edition, params.population_year, tuple(bands)),
                     bands)
    if params.other is not None:
        o = board_shares(small_areas(params.other, params.population_year, ("all ages",)),
                         ["all ages"]).set_index("area_code")
        for cut in CUTS:
            t[f"other_share_{cut}"] = t["area_code"].map(o[f"share_{cut}_all ages"])
    names = area_names()
    t["area_name"] = [("England" if c == ENGLAND else plain_area_name(str(names.get(c, c))))
                      for c in t["area_code"]]
    boards = t["area_code"] != ENGLAND
    t["rank"] = np.nan
    t.loc[boards, "rank"] = t.loc[boards, "share_decile_all ages"].rank(ascending=False,
                                                                         method="min")
    t = t.sort_values(["rank", "area_name"], na_position="last", kind="stable")
    return t.reset_index(drop=True)


# --- the recorded figures -----------------------------------------------------------------------


def share_figure(rec: Recorder, t: pd.Series, cut: str, band: str, params: NationalEquityParams,
                  ) -> Figure | None:
    """Record one area's share of a band in a cut; None when the residents in the cut are a
    small count (1 to the threshold less one), which the appendix does not show."""
    x = int(t[f"in_{cut}_{band}"])
    if 0 < x < rec.threshold:
        return None
    code, name = str(t["area_code"]), str(t["area_name"])
    return rec.record(
        fid(code, f"share.{cut}.{band_key(band)}"),
        f"{name}: share of residents aged {band} living in England's {CUT_WORDS[cut]} of "
        f"small areas (IMD {params.imd_edition}, mid-{params.population_year})",
        float(t[f"share_{cut}_{band}"]), "percent", 1,
        method=f"{x:,} of {int(t[f'pop_{band}']):,} residents aged {band} in small areas of IMD "
               f"deciles 1 to {CUTS[cut]}, over all residents aged {band}",
        rows={smallarea.SAPE_FILES[params.population_year]: f"LSOAs of {code}",
              smallarea.IMD_FILES[params.imd_edition]: f"IMD deciles 1 to {CUTS[cut]}"})


def record_bands(rec: Recorder, t: pd.Series, params: NationalEquityParams, cut: str,
                 bands: list[str], figs: dict[str, Any]) -> None:
    """Record one area's shares of ``bands`` in ``cut`` into ``figs`` (by short name)."""
    for band in bands:
        figs[f"share_{cut}_{band}"] = share_figure(rec, t, cut, band, params)


def record_area(rec: Recorder, t: pd.Series, params: NationalEquityParams,
                bands: list[str] | None = None) -> dict[str, Any]:
    """Record one area's figures (a board or England; the shares of ``bands``, default every
    band); return them by short name."""
    code, name = str(t["area_code"]), str(t["area_name"])
    ed = params.imd_edition
    rows = {smallarea.UTLA_LOOKUP: f"utla19_code = {code}" if code != ENGLAND else
            "every English LSOA"}
    figs: dict[str, Any] = {
        "lsoas": rec.record(fid(code, "lsoas"), f"{name}: small areas (LSOAs)",
                            int(t["lsoas"]), "", 0, rows=rows),
        "residents": rec.record(fid(code, "residents"), f"{name}: residents, all ages, "
                                f"mid-{params.population_year}", int(t["pop_all ages"]),
                                "", 0, count=True,
                                rows={smallarea.SAPE_FILES[params.population_year]:
                                      f"LSOAs of {code}"}),
    }
    for cut in CUTS:
        figs[f"lsoas_{cut}"] = rec.record(
            fid(code, f"lsoas.{cut}"), f"{name}: small areas in England's {CUT_WORDS[cut]} "
            f"(IMD {ed})", int(t[f"lsoas_{cut}"]), "", 0, rows=rows)
        record_bands(rec, t, params, cut, list(params.age_bands) if bands is None else bands,
                     figs)
        if params.other is not None:
            figs[f"other_{cut}"] = rec.record(
                fid(code, f"share.{cut}.all_ages.imd{params.other}"),
                f"{name}: share of residents, all ages, living in England's {CUT_WORDS[cut]} "
                f"of small areas by IMD {params.other} (mid-{params.population_year})",
                float(t[f"other_share_{cut}"]), "percent", 1,
                rows={smallarea.IMD_FILES[params.other]: f"IMD deciles 1 to {CUTS[cut]}"})
    if not pd.isna(t["rank"]):
        figs["rank"] = rec.record(fid(code, "rank"), f"{name}: rank by share of residents in "
                                  f"England's most deprived tenth (1 = largest)",
                                  int(t["rank"]), "", 0)
    return figs


def record_league(rec: Recorder, t: pd.DataFrame, params: NationalEquityParams,
                  ) -> dict[str, dict[str, Any]]:
    """Record every area's figures (:func:`record_area`), by area code: England's shares in
    every band, the boards' all-ages shares (their other bands are recorded with the band
    tables, :func:`record_board_bands`, so that no notebook cell publishes thousands)."""
    return {str(r["area_code"]): record_area(rec, r, params, None if r["area_code"] == ENGLAND
                                             else ["all ages"]) for _, r in t.iterrows()}


def record_board_bands(rec: Recorder, res: Results, params: NationalEquityParams,
                       cut: str) -> None:
    """Record every board's shares in ``cut`` for the bands other than all ages."""
    rest = [b for b in params.age_bands if b != "all ages"]
    for _, r in res.table[res.table["area_code"] != ENGLAND].iterrows():
        record_bands(rec, r, params, cut, rest, res.figures[str(r["area_code"])])


def record_summary(rec: Recorder, t: pd.DataFrame, params: NationalEquityParams
                   ) -> dict[str, Any]:
    """The summary figures: how many boards, how their shares spread, and the age pattern."""
    b = t[t["area_code"] != ENGLAND]
    eng = t[t["area_code"] == ENGLAND].iloc[0]
    s = b["share_decile_all ages"]
    hi = b.iloc[0]
    out: dict[str, Any] = {
        "n": rec.record("boards.n", "Boards in the table", len(b), "", 0),
        "none": rec.record("boards.none_in_decile", "Boards with no small area in England's "
                           "most deprived tenth", int((b["lsoas_decile"] == 0).sum()), "", 0),
        "above": rec.record("boards.above_england", "Boards with a larger share of residents "
                            "in England's most deprived tenth than England's",
                            int((s > float(eng["share_decile_all ages"])).sum()), "", 0),
        "median": rec.record("boards.median_share", "Median board's share of residents in "
                             "England's most deprived tenth", float(s.median()), "percent", 1),
        "highest_name": str(hi["area_name"]),
        "highest_code": str(hi["area_code"]),
    }
    young = next((band for band in params.age_bands if band in ("0-15", "0-17")), None)
    if young is not None:
        some = b[b["lsoas_decile"] > 0]
        out["young"] = young
        out["young_higher"] = rec.record(
            "boards.young_higher", f"Boards whose share of residents aged {young} in England's "
            "most deprived tenth exceeds their all-ages share",
            int((some[f"share_decile_{young}"] > some["share_decile_all ages"]).sum()), "", 0)
        out["with_any"] = rec.record("boards.with_any", "Boards with a small area in England's "
                                     "most deprived tenth", len(some), "", 0)
    if params.other is not None:
        diff = b["share_decile_all ages"] - b["other_share_decile"]
        out["higher_now"] = rec.record(
            "boards.higher_by_edition", f"Boards with a larger share in the most deprived "
            f"tenth by IMD {params.imd_edition} than by IMD {params.other}",
            int((diff > 0).sum()), "", 0)
        out["lower_now"] = rec.record(
            "boards.lower_by_edition", f"Boards with a smaller share in the most deprived "
            f"tenth by IMD {params.imd_edition} than by IMD {params.other}",
            int((diff < 0).sum()), "", 0)
    return out


def record_coverage(rec: Recorder, cov: pd.DataFrame, links: dict[str, str]) -> pd.DataFrame:
    """Record how many boards are covered and linked; return the table of the others and of
    covered boards with a note."""
    rec.record("coverage.covered", "Upper-tier authorities with shares", int(cov["covered"].sum()),
               "", 0)
    rec.record("coverage.not_covered", "Upper-tier authorities without shares",
               int((~cov["covered"]).sum()), "", 0)
    rec.record("coverage.noted", "Covered authorities with a note", int(
        (cov["covered"] & (cov["reason"] != "")).sum()), "", 0)
    rec.record("coverage.linked", "Boards linked to their equity appendix", len(links), "", 0)
    shown = cov[cov["reason"] != ""]
    return pd.DataFrame({"Area": shown["area_name"], "ONS code": shown["area_code"],
                         "Shares": np.where(shown["covered"], "shown", "none"),
                         "Why": shown["reason"]}).reset_index(drop=True)


# --- links ----------------------------------------------------------------------------------------


def link_for(params: NationalEquityParams, area_name: str) -> str:
    """The relative link from this appendix to a board's equity appendix for the period.

    Examples
    --------
    >>> p = NationalEquityParams(period="2019")
    >>> link_for(p, "Kingston upon Hull")
    '../../equity/kingston-upon-hull/2019/appendix.html'
    """
    return appendix_link(params.appendix_links, area_name, params.period)


def links(params: NationalEquityParams, cov: pd.DataFrame) -> dict[str, str]:
    """Board name -> link, for the covered boards whose appendix exists (``params.linked``;
    ``None``: every covered board)."""
    ok = cov[cov["covered"]]
    if params.linked is not None:
        ok = ok[ok["area_code"].isin(params.linked)]
    return {str(n): link_for(params, str(n)) for n in ok["area_name"]}


# --- the whole appendix ---------------------------------------------------------------------------


@dataclass
class Results:
    """What the notebook shows, section by section."""

    table: pd.DataFrame
    """:func:`league`."""
    figures: dict[str, dict[str, Any]]
    """:func:`record_league`, by area code."""
    summary: dict[str, Any]
    """:func:`record_summary`."""
    coverage: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    """:func:`hwb.papers.equity.coverage` of the period."""
    links: dict[str, str] = field(default_factory=dict)


def compute(params: NationalEquityParams, rec: Recorder) -> Results:
    """Every section's figures, recorded in the appendix's order."""
    t = league(params)
    figs = record_league(rec, t, params)
    summary = record_summary(rec, t, params)
    cov = coverage(None, params.period)
    return Results(table=t, figures=figs, summary=summary, coverage=cov,
                   links=links(params, cov))
