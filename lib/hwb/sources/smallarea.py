"""Small areas: deprivation (IMD) by LSOA, LSOA lookups and LSOA populations by age.

Shared by any paper that asks "how many of this service's users come from the
most deprived parts of the authority, against how many would be expected from
the population?".  Everything here reads the project's ``data/`` folder through
:mod:`hwb.sources.data`, so each file read is logged with its SHA-256 for the manifest.

Files (see ``data/imd/SOURCE.md``, ``data/lookups/SOURCE.md`` and
``data/population/SOURCE-smallarea.md``):

=================================================================  ==========================
file                                                               what
=================================================================  ==========================
``imd/IoD2015_imd_lsoa11_score_rank_decile.csv.gz``                IMD 2015 score, rank, decile
``imd/IoD2019_File2_domains_lsoa11.csv.gz``                        IMD 2019 rank, decile
``imd/IoD2019_File6_population_denominators_lsoa11.csv.gz``        mid-2015 LSOA populations
``lookups/lsoa11_to_utla19_dec2019_EW.csv``                        LSOA -> upper-tier LA (2019)
``lookups/lsoa11_msoa11_EW.csv.gz``                                LSOA -> MSOA
``population/sape2017_lsoa11_persons_single_year_of_age_EW.csv.gz``  mid-2017 LSOA, single years
``population/sape2019_lsoa11_persons_single_year_of_age_EW.csv.gz``  mid-2019 LSOA, single years
=================================================================  ==========================

LA-level populations are :mod:`hwb.sources.population`; this module is LSOA-level only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from hwb import stats
from hwb.errors import DataError
from hwb.sources import data

IMD_FILES = {
    2015: "imd/IoD2015_imd_lsoa11_score_rank_decile.csv.gz",
    2019: "imd/IoD2019_File2_domains_lsoa11.csv.gz",
}
MID2015_FILE = "imd/IoD2019_File6_population_denominators_lsoa11.csv.gz"
UTLA_LOOKUP = "lookups/lsoa11_to_utla19_dec2019_EW.csv"
MSOA_LOOKUP = "lookups/lsoa11_msoa11_EW.csv.gz"
SAPE_FILES = {
    2017: "population/sape2017_lsoa11_persons_single_year_of_age_EW.csv.gz",
    2019: "population/sape2019_lsoa11_persons_single_year_of_age_EW.csv.gz",
}
TOP_AGE = 90
"""The oldest single year in the files: ``90+`` holds everyone aged 90 and over."""

SOURCES = {
    "imd2015": "MHCLG, English Indices of Deprivation 2015, LSOA IMD scores, ranks and deciles",
    "imd2019": "MHCLG, English Indices of Deprivation 2019, File 2 (LSOA ranks and deciles)",
    "mid2015": "MHCLG, English Indices of Deprivation 2019, File 6 (LSOA mid-2015 populations)",
    "utla": "ONS, LSOA (2011) to Upper Tier Local Authority (2019) best-fit lookup",
    "msoa": "ONS, OA to LSOA to MSOA to LAD (December 2017) lookup",
    "sape2017": "ONS, small area population estimates, mid-2017, LSOA single year of age (persons)",
    "sape2019": "ONS, small area population estimates, mid-2019, LSOA single year of age (persons)",
}


# --------------------------------------------------------------------------- reading


def _edition(year: int, files: dict[int, str], what: str) -> str:
    if year not in files:
        raise DataError(what, f"no {what} for {year}; available: "
                              + ", ".join(str(y) for y in sorted(files)), value=year)
    return files[year]


@data.cached_input(maxsize=4)
def imd(edition: int = 2019) -> pd.DataFrame:
    """IMD rank and decile of every English LSOA (2011 codes).

    Parameters
    ----------
    edition : int
        2015 or 2019.

    Returns
    -------
    pandas.DataFrame
        ``lsoa11_code, lsoa11_name, imd_rank, imd_decile`` (and ``imd_score`` for
        2015).  Rank 1 is the most deprived LSOA in England.

    Notes
    -----
    MHCLG, *English Indices of Deprivation* 2015 and 2019 (OGL v3.0).

    Examples
    --------
    >>> d = imd(2019)
    >>> len(d), int(d.imd_rank.min()), int(d.imd_rank.max())
    (32844, 1, 32844)
    """
    rel = _edition(edition, IMD_FILES, "IMD edition")
    df = data.read_csv(data.path(rel), encoding="utf-8-sig")
    if edition == 2015:
        out = df.rename(columns={"IMD_score": "imd_score", "IMD_rank": "imd_rank",
                                 "IMD_decile": "imd_decile"})
        out = out[["lsoa11_code", "lsoa11_name", "imd_score", "imd_rank", "imd_decile"]]
    else:
        cols = {df.columns[0]: "lsoa11_code", df.columns[1]: "lsoa11_name"}
        for c in df.columns:
            if c.startswith("Index of Multiple Deprivation (IMD) Rank"):
                cols[c] = "imd_rank"
            elif c.startswith("Index of Multiple Deprivation (IMD) Decile"):
                cols[c] = "imd_decile"
        out = df.rename(columns=cols)[["lsoa11_code", "lsoa11_name", "imd_rank", "imd_decile"]]
    if len(out) != 32844 or out["lsoa11_code"].duplicated().any():
        raise DataError(rel, "expected 32,844 distinct English LSOAs", value=len(out))
    return out.reset_index(drop=True)


@data.cached_input(maxsize=1)
def lsoa_to_utla() -> pd.DataFrame:
    """Best-fit lookup from 2011 LSOAs to 2019 upper-tier local authorities (England and Wales).

    Returns
    -------
    pandas.DataFrame
        ``lsoa11_code, lsoa11_name, utla19_code, utla19_name``.

    Examples
    --------
    >>> lk = lsoa_to_utla()
    >>> int((lk.utla19_code == "E08000018").sum())  # Rotherham's LSOAs
    167
    """
    df = data.read_csv(data.path(UTLA_LOOKUP), dtype=str)
    return df.rename(columns={"LSOA11CD": "lsoa11_code", "LSOA11NM": "lsoa11_name",
                              "UTLA19CD": "utla19_code", "UTLA19NM": "utla19_name"})[
        ["lsoa11_code", "lsoa11_name", "utla19_code", "utla19_name"]]


@data.cached_input(maxsize=1)
def lsoa_to_msoa() -> pd.DataFrame:
    """Lookup from 2011 LSOAs to the 2011 MSOAs they nest in (England and Wales).

    Returns
    -------
    pandas.DataFrame
        ``lsoa11_code, lsoa11_name, msoa11_code, msoa11_name``.
    """
    df = data.read_csv(data.path(MSOA_LOOKUP), dtype=str)
    return df.rename(columns={"LSOA11CD": "lsoa11_code", "LSOA11NM": "lsoa11_name",
                              "MSOA11CD": "msoa11_code", "MSOA11NM": "msoa11_name"})


def utla_lsoas(utla_code: str) -> pd.DataFrame:
    """The LSOAs of one upper-tier local authority (the area of a Health and Wellbeing Board).

    Raises
    ------
    DataError
        When the code is not in the lookup.
    """
    lk = lsoa_to_utla()
    out = lk[lk["utla19_code"] == utla_code].reset_index(drop=True)
    if out.empty:
        raise DataError(UTLA_LOOKUP, "no LSOAs for this upper-tier local authority code "
                                     "(expected a 2019 UTLA code such as E08000018)",
                        column="utla19_code", value=utla_code)
    return out


@data.cached_input(maxsize=4)
def sape(year: int = 2019) -> pd.DataFrame:
    """ONS small-area population estimates: persons by single year of age, by LSOA.

    Parameters
    ----------
    year : int
        2017 or 2019 (mid-year).

    Returns
    -------
    pandas.DataFrame
        ``lsoa11_code, lsoa11_name, total_population, 0 ... 89, 90+`` (England and Wales).

    Examples
    --------
    >>> int(sape(2019).query("lsoa11_code.str.startswith('E')").total_population.sum())
    56286961
    """
    rel = _edition(year, SAPE_FILES, "small-area population year")
    df = data.read_csv(data.path(rel))
    ages = [str(a) for a in range(TOP_AGE)] + [f"{TOP_AGE}+"]
    missing = [c for c in ["lsoa11_code", "total_population", *ages] if c not in df.columns]
    if missing:
        raise DataError(rel, f"missing column(s) {', '.join(missing)}")
    bad = df[ages].sum(axis=1) != df["total_population"]
    if bad.any():
        raise DataError(rel, "single years of age do not sum to total_population",
                        row=int(np.flatnonzero(bad.to_numpy())[0]) + 2)
    return df


@data.cached_input(maxsize=1)
def mid2015() -> pd.DataFrame:
    """Mid-2015 LSOA populations in broad bands (the IoD2019 denominators, excluding prisoners).

    Returns
    -------
    pandas.DataFrame
        ``lsoa11_code, lad19_code, total, aged_0_15, aged_16_59, aged_60_plus``.
    """
    df = data.read_csv(data.path(MID2015_FILE), encoding="utf-8-sig", thousands=",")
    df = df.iloc[:, [0, 2, 4, 5, 6, 7]]
    df.columns = ["lsoa11_code", "lad19_code", "total", "aged_0_15", "aged_16_59", "aged_60_plus"]
    return df


# --------------------------------------------------------------------------- age bands


_BAND = re.compile(r"^\s*(\d+)\s*(?:\+|-\s*(\d+)|and over|plus)?\s*$")


def parse_age_band(band: str) -> tuple[int, int | None]:
    """``"18+"`` -> ``(18, None)``, ``"0-17"`` -> ``(0, 17)``, ``"all ages"`` -> ``(0, None)``.

    Examples
    --------
    >>> parse_age_band("18+"), parse_age_band("0-15"), parse_age_band("all ages")
    ((18, None), (0, 15), (0, None))
    """
    text = str(band).strip().lower()
    if text in ("all ages", "all", "0+"):
        return 0, None
    m = _BAND.match(text)
    if not m or ("-" not in text and "+" not in text and "over" not in text and "plus" not in text):
        raise DataError("age band", "expected an age band such as '18+', '0-17' or 'all ages'",
                        value=band)
    lo = int(m.group(1))
    hi = int(m.group(2)) if m.group(2) else None
    if hi is not None and hi < lo:
        raise DataError("age band", "upper age is below the lower age", value=band)
    return lo, hi


def age_columns(band: str) -> list[str]:
    """The single-year columns of an age band (``90+`` is one column).

    Examples
    --------
    >>> age_columns("88+")
    ['88', '89', '90+']
    >>> age_columns("0-2")
    ['0', '1', '2']
    """
    lo, hi = parse_age_band(band)
    top = TOP_AGE - 1 if hi is None else min(hi, TOP_AGE - 1)
    cols = [str(a) for a in range(lo, top + 1)]
    if hi is None or hi >= TOP_AGE:
        cols.append(f"{TOP_AGE}+")
    return cols


def band_population(lsoas: Sequence[str], band: str, year: int = 2019) -> int:
    """Persons in an age band summed over LSOAs.

    Examples
    --------
    >>> band_population(["E01000001"], "all ages", 2019) == int(
    ...     sape(2019).set_index("lsoa11_code").loc["E01000001", "total_population"])
    True
    """
    s = sape(year).set_index("lsoa11_code")
    missing = [c for c in lsoas if c not in s.index]
    if missing:
        raise DataError(SAPE_FILES[year], "LSOA code not in the population file",
                        column="lsoa11_code", value=missing[0])
    return int(s.loc[list(lsoas), age_columns(band)].to_numpy().sum())


# --------------------------------------------------------------------------- deprivation


def ranked_lsoas(utla_code: str, edition: int = 2019, year: int = 2019) -> pd.DataFrame:
    """An authority's LSOAs from most to least deprived, with population and cumulative share.

    Returns
    -------
    pandas.DataFrame
        ``lsoa11_code, lsoa11_name, imd_rank, imd_decile, population, cumulative_share``
        (share of the authority's all-age population in this LSOA and the more deprived ones).
    """
    las = utla_lsoas(utla_code)
    d = las.merge(imd(edition).drop(columns="lsoa11_name"), on="lsoa11_code", how="left")
    if d["imd_rank"].isna().any():
        code = d.loc[d["imd_rank"].isna(), "lsoa11_code"].iloc[0]
        raise DataError(IMD_FILES[edition], "LSOA of the authority has no IMD rank (Welsh "
                                            "authorities are not covered by the English IMD)",
                        column="lsoa11_code", value=code)
    pop = sape(year).set_index("lsoa11_code")["total_population"]
    d["population"] = d["lsoa11_code"].map(pop).astype(int)
    d = d.sort_values(["imd_rank", "lsoa11_code"]).reset_index(drop=True)
    d["cumulative_share"] = d["population"].cumsum() / d["population"].sum()
    return d[["lsoa11_code", "lsoa11_name", "imd_rank", "imd_decile", "population",
              "cumulative_share"]]


def most_deprived(utla_code: str, edition: int = 2019, by: str = "share", value: float = 0.1,
                  year: int = 2019) -> pd.DataFrame:
    """The most deprived LSOAs of an upper-tier local authority, by IMD rank.

    Parameters
    ----------
    utla_code : str
        2019 upper-tier local authority code.
    edition : int
        IMD edition, 2015 or 2019.
    by : {"share", "count", "national_decile"}
        ``"count"``: the ``value`` most deprived LSOAs; ``"share"``: the most
        deprived LSOAs until they hold at least ``value`` (a fraction) of the
        authority's population; ``"national_decile"``: every LSOA in England's
        most deprived ``value`` deciles (1 = the most deprived 10%).
    value : float
        The count, the population share, or the number of national deciles.
    year : int
        Population year for ``"share"`` (2017 or 2019).

    Returns
    -------
    pandas.DataFrame
        The selected rows of :func:`ranked_lsoas`.

    Notes
    -----
    Ranking within the authority by the national IMD rank is the usual local
    practice (e.g. "the most deprived 10% of Rotherham"); the national-decile
    rule gives areas comparable across authorities.
    """
    d = ranked_lsoas(utla_code, edition, year)
    if by == "count":
        k = int(value)
        if k < 1 or k > len(d):
            raise DataError("most_deprived", f"count must be between 1 and {len(d)}",
                            column="value", value=value)
        return d.head(k).reset_index(drop=True)
    if by == "share":
        if not 0 < value <= 1:
            raise DataError("most_deprived", "population share must be in (0, 1]",
                            column="value", value=value)
        k = int(np.searchsorted(d["cumulative_share"].to_numpy(), value - 1e-12) + 1)
        return d.head(min(k, len(d))).reset_index(drop=True)
    if by == "national_decile":
        return d[d["imd_decile"] <= int(value)].reset_index(drop=True)
    raise DataError("most_deprived", "by must be 'count', 'share' or 'national_decile'",
                    column="by", value=by)


def expected_shares(utla_code: str, lsoas: Sequence[str], bands: Sequence[str],
                    year: int = 2019, conf: float = 0.95) -> pd.DataFrame:
    """The share of an authority's residents, by age band, who live in the given LSOAs.

    This is the share of a service's users who would come from those areas if
    use were in proportion to population (the "expected level" of an equity audit).

    Parameters
    ----------
    utla_code : str
        The authority (2019 UTLA code).
    lsoas : sequence of str
        The selected LSOAs (must lie in the authority).
    bands : sequence of str
        Age bands such as ``"18+"``, ``"0-17"``, ``"all ages"``.
    year : int
        Population year.
    conf : float
        Confidence level of the interval.

    Returns
    -------
    pandas.DataFrame
        One row per band: ``age_band, population_selected, population_total,
        value, lower95, upper95, statistic, confidence, method`` (percent).

    Notes
    -----
    The interval is Wilson's (:func:`hwb.stats.wilson_ci`), treating the
    population estimate as a binomial count, as the Rotherham audit did.  A
    population estimate is not a sample, so this interval is nominal: it says
    how little the expected share moves, not how accurate ONS's estimate is.
    """
    all_lsoas = set(utla_lsoas(utla_code)["lsoa11_code"])
    outside = [c for c in lsoas if c not in all_lsoas]
    if outside:
        raise DataError("expected_shares", "selected LSOA is not in the authority",
                        column="lsoa11_code", value=outside[0])
    rows = []
    for band in bands:
        x = band_population(list(lsoas), band, year)
        n = band_population(sorted(all_lsoas), band, year)
        lo, hi = stats.wilson_ci(x, n, conf)
        rows.append({"age_band": band, "population_selected": x, "population_total": n,
                     "value": 100 * x / n, "lower95": 100 * lo, "upper95": 100 * hi,
                     "statistic": "percent of the authority's residents in the band",
                     "confidence": conf, "method": "Wilson"})
    return pd.DataFrame(rows)
