"""Local-authority population by single year of age, from the ONS mid-year estimates.

The shipped files (``data/population/``, see its SOURCE.md) are the ONS mid-2019
mid-year estimates (MYE2, persons) by single year of age 0-89 and 90+, for
upper-tier (UTLA, the Health and Wellbeing Board geography) and lower-tier
(LTLA, district) local authorities on April 2019 boundaries.

Papers ask for "the population of an area in an age range" (18+ for delayed
transfers of care, 65+ for falls) and get back the number together with the
data file it came from, so that every denominator an appendix quotes is cited.

Small-area (LSOA/MSOA) populations are not here: see ``hwb.sources.smallarea``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hwb.errors import DataError
from hwb.sources import data

FILES = {
    "utla": "population/mye2019_utla19_persons_single_year_of_age_EW.csv",
    "ltla": "population/mye2019_ltla19_persons_single_year_of_age_EW.csv",
}
"""The shipped estimates by geography level, relative to ``data/``."""

YEAR = 2019
"""The mid-year (30 June) the shipped estimates refer to."""

SOURCE = ("ONS mid-year population estimates, mid-2019 (MYE2, persons, single year of age), "
          "{level} April 2019 geography")
TOP_AGE = 90
"""The open-ended top age group is "90+"; ages are 0..89 and 90 (meaning 90 and over)."""


@dataclass(frozen=True)
class Population:
    """A population count for one area and age range, with where it came from.

    Attributes
    ----------
    area_code, area_name : str
        ONS code and name of the local authority.
    min_age, max_age : int or None
        The age range, inclusive; ``max_age=None`` means "and over".
    year : int
        The mid-year of the estimate.
    value : int
        Persons in the range.
    source : str
        The dataset, in words.
    file : str
        The data file, relative to the project root.
    """

    area_code: str
    area_name: str
    min_age: int
    max_age: int | None
    year: int
    value: int
    source: str
    file: str

    @property
    def ages(self) -> str:
        """The age range as a reader writes it: ``"18+"``, ``"65-74"``."""
        return age_label(self.min_age, self.max_age)

    @property
    def citation(self) -> str:
        """``"<source> (<file>)"`` for a Source line."""
        return f"{self.source} ({self.file})"


def age_label(min_age: int, max_age: int | None) -> str:
    """An age range as text.

    Examples
    --------
    >>> age_label(18, None), age_label(65, 74), age_label(0, None)
    ('18+', '65-74', 'all ages')
    """
    if max_age is None:
        return "all ages" if min_age == 0 else f"{min_age}+"
    return f"{min_age}-{max_age}"


def _age_columns(min_age: int, max_age: int | None) -> list[str]:
    if min_age < 0 or (max_age is not None and max_age < min_age):
        raise ValueError(f"age range {min_age}..{max_age}: expected 0 <= min_age <= max_age")
    if min_age > TOP_AGE or (max_age is not None and max_age >= TOP_AGE):
        raise ValueError(f"age range {min_age}..{max_age}: single years stop at 89, then a 90+ "
                         "group; use max_age=None for 'and over'")
    top = TOP_AGE if max_age is None else max_age
    return [str(a) if a < TOP_AGE else "90+" for a in range(min_age, top + 1)]


@data.cached_input(maxsize=4)
def _read(path: str, level: str) -> pd.DataFrame:
    df = data.read_csv(path, dtype={f"{level}19_code": str, f"{level}19_name": str})
    code, name = f"{level}19_code", f"{level}19_name"
    ages = [str(a) for a in range(TOP_AGE)] + ["90+"]
    missing = [c for c in [code, name, "total_population", *ages] if c not in df.columns]
    if missing:
        raise DataError(data.relative_name(path), f"missing column(s) {', '.join(missing)}")
    bad = df[ages].sum(axis=1) != df["total_population"]
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(data.relative_name(path), "single years of age do not sum to "
                        "total_population", row=i + 2, value=df[code].iloc[i])
    if df[code].duplicated().any():
        i = int(df[code].duplicated().to_numpy().nonzero()[0][0])
        raise DataError(data.relative_name(path), "area code is duplicated", row=i + 2,
                        column=code, value=df[code].iloc[i])
    return df.rename(columns={code: "area_code", name: "area_name"})


def estimates(level: str = "utla", path: str | Path | None = None) -> pd.DataFrame:
    """The mid-year estimates for every area: one row per area, a column per age.

    Parameters
    ----------
    level : {"utla", "ltla"}
        Upper-tier (Health and Wellbeing Board) or lower-tier (district) authorities.
    path : path-like, optional
        Another file of the same layout (tests); defaults to the shipped file.

    Returns
    -------
    DataFrame
        ``area_code, area_name, total_population, 0 .. 89, 90+`` (England and Wales).
    """
    if level not in FILES:
        raise ValueError(f"level {level!r}: expected one of {', '.join(FILES)}")
    p = Path(path) if path is not None else data.path(FILES[level])
    return _read(str(p), level).copy()


def population_table(min_age: int = 0, max_age: int | None = None, level: str = "utla",
                     path: str | Path | None = None) -> pd.DataFrame:
    """Persons in an age range for every area (tidy: one row per area).

    Parameters
    ----------
    min_age, max_age : int
        Inclusive range; ``max_age=None`` is "and over".
    level : {"utla", "ltla"}
    path : path-like, optional

    Returns
    -------
    DataFrame
        ``area_code, area_name, ages, year, population, source``.

    Notes
    -----
    Persons aged 18+ are the sum of single years 18 .. 89 and the 90+ group, as
    in the denominators of the NHS England delayed transfers of care rates.

    Examples
    --------
    >>> t = population_table(18)
    >>> int(t.loc[t.area_code == "E08000018", "population"].iloc[0])  # SOURCE.md: 207,889
    207889
    """
    df = estimates(level, path)
    cols = _age_columns(min_age, max_age)
    out = pd.DataFrame({
        "area_code": df["area_code"],
        "area_name": df["area_name"],
        "ages": age_label(min_age, max_age),
        "year": YEAR,
        "population": df[cols].sum(axis=1).astype("int64"),
        "source": SOURCE.format(level=level.upper()),
    })
    return out.reset_index(drop=True)


def population(area_code: str, min_age: int = 0, max_age: int | None = None,
               level: str = "utla", path: str | Path | None = None) -> Population:
    """Persons in an age range for one area, with the data file cited.

    Parameters
    ----------
    area_code : str
        ONS code of the local authority (e.g. ``"E10000018"`` Leicestershire).
    min_age, max_age : int
        Inclusive age range; ``max_age=None`` is "and over".
    level : {"utla", "ltla"}
    path : path-like, optional

    Returns
    -------
    Population

    Raises
    ------
    DataError
        The area code is not in the estimates (the message names the file).

    Notes
    -----
    ONS, *Population estimates for the UK, England and Wales, Scotland and
    Northern Ireland: mid-2019*, table MYE2 (persons by single year of age).

    Examples
    --------
    The checks in ``data/population/SOURCE.md``:

    >>> population("E10000018", 18).value, population("E10000018", 65).value
    (564295, 144892)
    >>> p = population("E08000018", 18)
    >>> p.area_name, p.ages, p.value
    ('Rotherham', '18+', 207889)
    """
    t = population_table(min_age, max_age, level, path)
    row = t[t["area_code"] == area_code]
    file = data.relative_name(Path(path) if path is not None else data.path(FILES[level]))
    if row.empty:
        raise DataError(file, f"no {level.upper()} area with code {area_code!r}")
    r = row.iloc[0]
    return Population(area_code=area_code, area_name=str(r["area_name"]), min_age=min_age,
                      max_age=max_age, year=YEAR, value=int(r["population"]),
                      source=str(r["source"]), file=file)
