"""Upper-tier local-authority populations for each mid-year 2011-2019, on that year's boundaries.

Every rate should divide by the estimate of its own year.  This module gives, for
any upper-tier authority in England (the Health and Wellbeing Board geography) and
any mid-year from 2011 to 2019, the persons in an age range together with the
*vintage* of the figure, so an appendix can say which estimate it divided by:

- mid-2011 and mid-2014 ... mid-2018: the ONS mid-year estimates (MYE2, persons,
  single year of age) as first published, shipped in ``data/population/by_year/``
  (mid-2011 came by district and is summed to counties there; see its SOURCE.md);
- mid-2019: the project's existing mid-2019 file
  (``data/population/mye2019_utla19_persons_single_year_of_age_EW.csv``);
- mid-2012 and mid-2013: **interpolated** (ONS published no by-age figure in the
  shipped files): linear between mid-2011 and mid-2014 age by age, then scaled so
  the all-ages total equals the ONS all-ages series (MYEB3) for that year.

Boundaries: before April 2019 Bournemouth (E06000028), Poole (E06000029) and
Dorset county (E10000009) are separate; from mid-2019 they are Bournemouth,
Christchurch and Poole (E06000058) and the unitary Dorset (E06000059).
``population_table(year, ages, boundaries="year")`` gives the authorities in
force at 30 June of the year; ``boundaries="2019"`` gives April 2019 codes for
every year (before mid-2018, BCP and Dorset are exact sums of the published
district rows).  The mid-2018 file is on the April 2019 codes, so the old three
at mid-2018 are **apportioned** (the published mid-2018 BCP split age by age in
the mid-2017 proportions of Bournemouth, Poole and Christchurch), labelled so.
``population()`` accepts either code set wherever it exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from hwb.errors import DataError
from hwb.sources import data

FOLDER = "population/by_year"
MYE_FILE = f"{FOLDER}/mye2_persons_sya_2011_2014_2018_england.csv.gz"
MYEB3_FILE = f"{FOLDER}/myeb3_all_ages_2011_2018_geog19_england.csv"
COUNTY_FILE = f"{FOLDER}/district_to_county_2014_2018.csv"
MYE2019_FILE = "population/mye2019_utla19_persons_single_year_of_age_EW.csv"
"""The shipped files, relative to ``data/``."""

YEARS = range(2011, 2020)
"""The mid-years covered: 2011 ... 2019."""

INTERPOLATED = (2012, 2013)
TOP_AGE = 90
"""Age 90 means "90 and over"."""

AGES = [str(a) for a in range(TOP_AGE + 1)]
UPPER_TIER = ("E06", "E08", "E09", "E10")
OLD_DORSET = ("E06000028", "E06000029", "E10000009")
NEW_DORSET = ("E06000058", "E06000059")
CHRISTCHURCH = "E07000048"
ENGLAND = "E92000001"
"""``population(ENGLAND, year)`` is the sum over the upper-tier authorities."""


@dataclass(frozen=True)
class PopulationEstimate:
    """Persons in an age range in one authority at one mid-year, with its vintage.

    Attributes
    ----------
    area_code, area_name : str
        ONS code and name of the upper-tier authority on the year's boundaries.
    year : int
        The mid-year (30 June).
    ages : str
        The age range as asked, normalised: ``"18+"``, ``"65+"``, ``"all"``, ``"65-74"``, ``"5"``.
    value : float
        Persons in the range (a whole number for published estimates; interpolated
        and apportioned figures are not rounded).
    vintage : str
        What the figure is, in words, for the appendix: ``"ONS mid-2017 estimate"``,
        ``"interpolated mid-2012 (...)"``.
    file : str
        The data file(s) it came from, relative to the project root.
    """

    area_code: str
    area_name: str
    year: int
    ages: str
    value: float
    vintage: str
    file: str

    @property
    def citation(self) -> str:
        """``"<vintage> (<file>)"`` for a Source line."""
        return f"{self.vintage} ({self.file})"


def parse_ages(ages: str | int) -> tuple[int, int]:
    """The inclusive single-year range of an age label (90 means 90 and over).

    Examples
    --------
    >>> parse_ages("18+"), parse_ages("all"), parse_ages("65-74"), parse_ages(5)
    ((18, 90), (0, 90), (65, 74), (5, 5))
    """
    text = str(ages).strip().lower()
    if text == "all":
        return 0, TOP_AGE
    m = re.fullmatch(r"(\d+)\+|(\d+)(?:-(\d+))?", text)
    if m is None:
        raise DataError("ages", f"{ages!r}: expected 'all', '18+', '65-74' or a single age")
    if m.group(1) is not None:
        lo, hi = int(m.group(1)), TOP_AGE
    else:
        lo = int(m.group(2))
        hi = int(m.group(3)) if m.group(3) is not None else lo
    if not 0 <= lo <= hi <= TOP_AGE:
        raise DataError("ages", f"{ages!r}: ages run 0 to {TOP_AGE} (90 and over), low to high")
    return lo, hi


def _label(lo: int, hi: int) -> str:
    if (lo, hi) == (0, TOP_AGE):
        return "all"
    if hi == TOP_AGE:
        return f"{lo}+"
    return str(lo) if lo == hi else f"{lo}-{hi}"


def interpolate(v2011: float, v2014: float, year: int) -> float:
    """Linear interpolation between the mid-2011 and mid-2014 values.

    Examples
    --------
    >>> interpolate(100, 130, 2012), interpolate(100, 130, 2013)
    (110.0, 120.0)
    """
    return v2011 + (v2014 - v2011) * (year - 2011) / 3


@data.cached_input(maxsize=1)
def _mye() -> pd.DataFrame:
    return data.read_csv(data.path(MYE_FILE), dtype={"code": str, "name": str})


@data.cached_input(maxsize=1)
def _myeb3() -> pd.DataFrame:
    return data.read_csv(data.path(MYEB3_FILE), dtype={"ladcode19": str, "laname19": str})


@data.cached_input(maxsize=1)
def _counties() -> pd.DataFrame:
    return data.read_csv(data.path(COUNTY_FILE), dtype={"district_code": str, "county_code": str})


def _rel(name: str) -> str:
    return data.relative_name(data.path(name))


def _published(year: int, boundaries: str) -> pd.DataFrame:
    df = _mye()
    df = df[(df["year"] == year) & df["code"].str[:3].isin(UPPER_TIER)]
    out = df[["code", "name"] + AGES].astype({a: float for a in AGES}).reset_index(drop=True)
    out["vintage"] = f"ONS mid-{year} estimate"
    out["file"] = _rel(MYE_FILE)
    if year == 2018 and boundaries == "year":
        out = pd.concat([out[~out["code"].isin(NEW_DORSET)], _old_dorset_2018()], ignore_index=True)
    elif year < 2018 and boundaries == "2019":
        out = pd.concat([out[~out["code"].isin(OLD_DORSET)], _new_dorset(year)], ignore_index=True)
    return out


def _new_dorset(year: int) -> pd.DataFrame:
    """BCP and the unitary Dorset before 2019, as sums of the published district rows."""
    y = _mye()
    y = y[y["year"] == year].set_index("code")
    parts = y[AGES].astype(float)
    bcp = parts.loc[["E06000028", "E06000029", CHRISTCHURCH]].sum()
    dorset = parts.loc["E10000009"] - parts.loc[CHRISTCHURCH]
    rows = pd.DataFrame([bcp, dorset])
    rows.insert(0, "name", ["Bournemouth, Christchurch and Poole", "Dorset"])
    rows.insert(0, "code", list(NEW_DORSET))
    rows["vintage"] = (f"ONS mid-{year} estimate, on April 2019 boundaries (Bournemouth + Poole + "
                       "Christchurch; Dorset county less Christchurch)")
    rows["file"] = _rel(MYE_FILE)
    return rows.reset_index(drop=True)


def _old_dorset_2018() -> pd.DataFrame:
    """Bournemouth, Poole and old Dorset at mid-2018, apportioned from the 2019-code file."""
    df = _mye()
    y17 = df[df["year"] == 2017].set_index("code")
    y18 = df[df["year"] == 2018].set_index("code")
    parts = y17.loc[["E06000028", "E06000029", CHRISTCHURCH], AGES].astype(float)
    share = parts / parts.sum()
    bcp = y18.loc["E06000058", AGES].astype(float)
    split = share.mul(bcp, axis=1)
    dorset = y18.loc["E06000059", AGES].astype(float) + split.loc[CHRISTCHURCH]
    rows = pd.DataFrame([split.loc["E06000028"], split.loc["E06000029"], dorset])
    rows.insert(0, "name", [y17.loc[c, "name"] for c in OLD_DORSET])
    rows.insert(0, "code", list(OLD_DORSET))
    rows["vintage"] = ("apportioned mid-2018 (ONS mid-2018 Bournemouth, Christchurch and Poole "
                       "split age by age in the mid-2017 shares of Bournemouth, Poole and "
                       "Christchurch)")
    rows["file"] = _rel(MYE_FILE)
    return rows.reset_index(drop=True)


def _myeb3_totals(year: int) -> pd.Series:
    """MYEB3 all-ages totals for upper-tier areas (and the old Dorset trio as one group)."""
    b = _myeb3().set_index("ladcode19")[f"population_{year}"].astype(float)
    c = _counties()
    c = c[c["year"] == 2018].set_index("district_code")["county_code"]
    county = b[b.index.isin(c.index)].groupby(c).sum()
    totals = pd.concat([b[~b.index.isin(c.index)], county])
    totals["dorset group"] = totals[list(NEW_DORSET)].sum()
    return totals


def _interpolated(year: int, boundaries: str) -> pd.DataFrame:
    a = _published(2011, boundaries).set_index("code")
    b = _published(2014, boundaries).set_index("code")
    if set(a.index) != set(b.index):
        raise DataError(MYE_FILE, "mid-2011 and mid-2014 upper-tier codes differ")
    est = a[AGES] + (b.loc[a.index, AGES] - a[AGES]) * (year - 2011) / 3
    totals = _myeb3_totals(year)
    group = pd.Series(est.index, index=est.index).where(~est.index.isin(OLD_DORSET), "dorset group")
    missing = sorted(set(group) - set(totals.index))
    if missing:
        raise DataError(MYEB3_FILE, f"no all-ages total for {', '.join(missing)} in {year}")
    interp_total = est.sum(axis=1).groupby(group).sum()
    factor = (totals[interp_total.index] / interp_total)
    est = est.mul(group.map(factor), axis=0)
    out = est.reset_index()
    out.insert(1, "name", a.loc[est.index, "name"].to_numpy())
    where = ", on April 2019 boundaries" if boundaries == "2019" else ""
    out["vintage"] = (f"interpolated mid-{year} (between mid-2011 and mid-2014, "
                      f"scaled to the MYEB3 all-ages series{where})")
    out["file"] = f"{_rel(MYE_FILE)}; {_rel(MYEB3_FILE)}"
    return out


def _mid2019() -> pd.DataFrame:
    df = data.read_csv(data.path(MYE2019_FILE), dtype={"utla19_code": str, "utla19_name": str})
    df = df[df["utla19_code"].str[:3].isin(UPPER_TIER)]
    out = df.rename(columns={"utla19_code": "code", "utla19_name": "name", "90+": str(TOP_AGE)})
    out = out[["code", "name"] + AGES].astype({a: float for a in AGES}).reset_index(drop=True)
    out["vintage"] = "ONS mid-2019 estimate"
    out["file"] = _rel(MYE2019_FILE)
    return out


BOUNDARIES = ("year", "2019")
"""``"year"``: the authorities in force at 30 June of the year; ``"2019"``: April 2019 codes."""


@data.cached_input(maxsize=32)
def _by_age(year: int, boundaries: str) -> pd.DataFrame:
    if year not in YEARS:
        raise DataError("year", f"{year!r}: populations by year cover mid-2011 to mid-2019")
    if boundaries not in BOUNDARIES:
        raise DataError("boundaries", f"{boundaries!r}: expected 'year' or '2019'")
    if year in INTERPOLATED:
        return _interpolated(year, boundaries)
    if year == 2019:
        return _mid2019()
    return _published(year, boundaries)


def population_table(year: int, ages: str | int = "18+", boundaries: str = "year") -> pd.DataFrame:
    """Persons in ``ages`` for every upper-tier authority in England at mid-``year``.

    Parameters
    ----------
    year : int
        Mid-year 2011 ... 2019.
    ages : str or int
        ``"18+"``, ``"65+"``, ``"all"``, a range ``"65-74"`` or a single age.
    boundaries : {"year", "2019"}
        ``"year"`` (default): the authorities in force at 30 June of ``year`` —
        Bournemouth, Poole and Dorset county to mid-2018 (mid-2018 apportioned,
        see the module notes), BCP and the unitary Dorset at mid-2019.
        ``"2019"``: April 2019 codes for every year (before 2018 BCP and Dorset are
        exact sums of the published district rows).

    Returns
    -------
    pandas.DataFrame
        One row per authority (152 to mid-2018, 151 on 2019 codes), sorted by
        code: ``area_code``, ``area_name``, ``year``, ``ages``, ``value``,
        ``vintage``, ``file``.

    Notes
    -----
    Mid-2012 and mid-2013 are linear interpolations between mid-2011 and mid-2014
    by single year of age, scaled so each authority's all-ages total equals the
    ONS MYEB3 series (Bournemouth, Poole and old Dorset are scaled together to
    the MYEB3 total of BCP plus Dorset, the only total on 2019 codes).
    """
    lo, hi = parse_ages(ages)
    df = _by_age(int(year), boundaries)
    return pd.DataFrame({
        "area_code": df["code"], "area_name": df["name"], "year": int(year),
        "ages": _label(lo, hi), "value": df[AGES[lo:hi + 1]].sum(axis=1),
        "vintage": df["vintage"], "file": df["file"],
    }).sort_values("area_code").reset_index(drop=True)


def population(area_code: str, year: int, ages: str | int = "18+") -> PopulationEstimate:
    """Persons in ``ages`` in one upper-tier authority at mid-``year``, with its vintage.

    ``area_code`` may be ``"E92000001"`` (England: the sum over authorities), a
    code in force at mid-``year`` or an April 2019 code
    (E06000058 BCP, E06000059 Dorset, for any year); the old Bournemouth, Poole and
    Dorset county codes are accepted to mid-2018.

    Raises
    ------
    DataError
        Year outside 2011-2019, bad age label, or a code that is not an upper-tier
        authority of England at that year (one line).
    """
    table = population_table(year, ages)
    if area_code == ENGLAND:
        # mid-2018 as published (2019 codes), so no apportioned row enters England's sum
        table = population_table(year, ages, boundaries="2019") if int(year) == 2018 else table
        first = table.iloc[0]
        vintages = sorted(set(table["vintage"]))
        vintage = (f"{vintages[0]}, summed over upper-tier authorities" if len(vintages) == 1
                   else f"{first['vintage'].split(' (')[0]}, summed over upper-tier authorities "
                        f"(includes: {'; '.join(vintages)})")
        return PopulationEstimate(area_code=ENGLAND, area_name="England", year=int(year),
                                  ages=str(first["ages"]), value=float(table["value"].sum()),
                                  vintage=vintage, file="; ".join(sorted(set(table["file"]))))
    row = table[table["area_code"] == area_code]
    if row.empty:
        table = population_table(year, ages, boundaries="2019")
        row = table[table["area_code"] == area_code]
    if row.empty:
        hint = ""
        if area_code in OLD_DORSET and int(year) >= 2019:
            hint = " (from April 2019 use E06000058 BCP or E06000059 Dorset)"
        raise DataError("area_code", f"{area_code!r} is not an upper-tier authority of England "
                        f"at mid-{int(year)}{hint}")
    r = row.iloc[0]
    return PopulationEstimate(area_code=str(r["area_code"]), area_name=str(r["area_name"]),
                              year=int(year), ages=str(r["ages"]), value=float(r["value"]),
                              vintage=str(r["vintage"]), file=str(r["file"]))


def table_all_codes(year: int, ages: str | int = "18+") -> pd.DataFrame:
    """Every upper-tier code a series of ``year`` may carry, old and April 2019, with a population.

    A monthly series counts each authority on the boundaries of its month, and its
    months do not change codes on 30 June: NHS England's DTOC series carries
    Bournemouth, Poole and the old Dorset county to April 2019, and BCP and the
    unitary Dorset from May 2019.  This table gives both code sets for any year:
    the authorities in force at mid-``year`` (:func:`population_table`), plus

    - from mid-2019, Bournemouth, Poole and the old Dorset county at **mid-2018**
      (the latest mid-year on their boundaries; apportioned, see the module notes),
      the vintage saying so;
    - before mid-2019, BCP and the unitary Dorset on April 2019 boundaries
      (exact sums of the published district rows; mid-2018 as published).

    Parameters
    ----------
    year : int
        Mid-year 2011 ... 2019.
    ages : str or int
        As :func:`population_table`.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`population_table`, one row per code (154 codes), sorted
        by code; ``year`` is the mid-year of the estimate used (2018 for the old
        Dorset trio in 2019).

    Examples
    --------
    Old and new Dorset codes in both years (the 2019 old codes are mid-2018):

    >>> t = table_all_codes(2019).set_index("area_code")
    >>> int(t.loc["E10000009", "year"]), int(t.loc["E06000059", "year"]), len(t)
    (2018, 2019, 154)
    >>> t17 = table_all_codes(2017).set_index("area_code")
    >>> p = population_table(2017).set_index("area_code")["value"]
    >>> bool(t17.loc["E10000009", "value"] == p["E10000009"]), len(t17)
    (True, 154)
    """
    own = population_table(year, ages)
    if int(year) >= 2019:
        extra = population_table(2018, ages)
        extra = extra[extra["area_code"].isin(OLD_DORSET)].copy()
        extra["vintage"] = extra["vintage"] + (
            "; the latest mid-year on these boundaries (from mid-2019 the area is part of "
            "Bournemouth, Christchurch and Poole or the unitary Dorset)")
    else:
        extra = population_table(year, ages, boundaries="2019")
        extra = extra[extra["area_code"].isin(NEW_DORSET)]
    extra = extra[~extra["area_code"].isin(own["area_code"])]
    return (pd.concat([own, extra], ignore_index=True)
            .sort_values("area_code").reset_index(drop=True))
