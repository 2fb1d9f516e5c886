"""Delayed transfers of care (DTOC): the NHS England monthly series by local authority.

The measure, as the Better Care Fund defines it: delayed **days** of patients
aged 18+ in the month, from all acute and non-acute settings, counted against
the local authority where the patient lives, and attributed to the NHS, to
social care, or to both jointly.  Rates are per 100,000 population aged 18+,
per period (month, quarter, year) and per day; the per-day rate is the average
number of beds occupied by delayed patients on a day ("beds delayed per
100,000").

This module is paper-neutral: the DTOC paper and the BCF paper both use it.

* :func:`load_series` reads both shipped files, checks they agree row for row,
  maps every row to an ONS code and returns one tidy row per area and month;
* :func:`aggregate` sums months to financial quarters or years;
* :func:`with_rates` adds rates per 100,000 (per period and per day);
* :func:`by_responsible` turns the table long, one row per responsible
  organisation;
* :func:`national_table` is every Health and Wellbeing Board for one month;
* :func:`printed_populations` and :func:`calendar_year_of` give the 18+
  denominators as the BCF planning template printed them (2014-based
  projections by calendar year), and :func:`implied_denominator` backs out the
  denominator a printed rate implies.

Source: NHS England, *Delayed Transfers of Care* monthly situation reports,
"Total Delayed Days Local Authority" (type B) tables, April 2011 to December
2019, as revised in 2019 (see ``data/dtoc/SOURCE.md``).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from hwb.errors import DataError
from hwb.fmt import decimals_of, parse_number
from hwb.periods import (  # noqa: F401 - re-exported for the papers
    calendar_year_of,
    days_in,
    days_in_month,
    financial_quarter,
    financial_year,
    month_label,
    month_range,
    months_of,
    parse_month_name,
)
from hwb.sources import data

RESPONSIBLE_FILE = "dtoc/dtoc_delayed_days_by_responsible_org_2011-04_to_2019-12.csv"
REASON_FILE = "dtoc/dtoc_delayed_days_by_reason_2011-04_to_2019-12.csv"
PRINTED_POPULATION_FILE = "dtoc/population_18plus_as_printed.csv"
"""18+ denominators as board papers printed them (the BCF template's 2014-based projections)."""
SOURCE = ("NHS England, Delayed Transfers of Care monthly SitRep, total delayed days by local "
          "authority of residence (revised 2019)")

FIRST_MONTH = "2011-04"
"""First month of the shipped DTOC series."""
LAST_MONTH = "2019-12"
"""Last month of the shipped DTOC series (NHS England stopped the collection in March 2020)."""
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
"""A month written ``YYYY-MM``."""
MONTH_FIELDS = ("month", "trend_start", "trend_end", "gap_period", "national_from",
                "national_to")
"""Parameter fields that may hold a month of the series (checked by :func:`check_params`)."""

ORGS = ("nhs", "social_care", "both")
"""The responsible organisation columns, as named in tidy tables."""
ORG_LABELS = {"nhs": "NHS", "social_care": "Social care", "both": "Both (jointly attributable)",
              "total": "Total"}
ENGLAND = "E92000001"
CODES_FROM = "2015-07"
"""The first month whose rows carry ONS codes; earlier months carry NHS England's 3-digit codes."""

COMBINED_POPULATION: Mapping[str, tuple[str, ...]] = {
    "E09000012": ("E09000001",),  # Hackney row includes the City of London
    "E06000052": ("E06000053",),  # Cornwall row includes the Isles of Scilly
}
"""Areas without a row of their own in the series, whose population is added to a neighbour's."""

REASON_COLUMNS = (
    "Awaiting completion of assessment", "Awaiting public funding",
    "Awaiting further NHS non-acute care", "Awaiting residential home placement or availability",
    "Awaiting nursing home placement or availability", "Awaiting care package in own home",
    "Awaiting community equipment and adaptations", "Patient or family choice", "Disputes",
    "Housing - Patients not covered by NHS and Community Care Act", "Other",
)

_RESP_SCHEMA = data.Schema(
    columns=(
        data.Column("Name"),
        data.Column("NHS", "count", nullable=True),
        data.Column("Social Care", "count", nullable=True),
        data.Column("Both", "count", nullable=True),
        data.Column("Period_year", check=lambda v: parse_month_name(v) is not None,
                    rule="expected a month such as 'April 2019'"),
    ),
    key=("Name", "Period_year"),
)
_REASON_SCHEMA = data.Schema(
    columns=(
        data.Column("Code", nullable=True),  # "-" for England
        data.Column("Name"),
        *(data.Column(c, "count", nullable=True) for c in REASON_COLUMNS),
        data.Column("Total Delayed Transfers of Care", "count", nullable=True),
        data.Column("Period", check=lambda v: parse_month_name(v) is not None,
                    rule="expected a month such as 'April 2019'"),
    ),
    key=("Name", "Period"),
    na_values=("-", "", "NA"),  # "Other" is an unquoted NA before April 2017
)

_MONTHS = {name: i for i, name in enumerate(calendar.month_name) if name}


# --- loading --------------------------------------------------------------------------------


def load_series(responsible_path: str | Path | None = None,
                reason_path: str | Path | None = None) -> pd.DataFrame:
    """The monthly series: one row per local authority (and England) and month.

    Reads both files, checks that they line up row for row (same name and
    month) and that NHS + social care + both equals the reason file's total,
    and gives every row an ONS code.

    Parameters
    ----------
    responsible_path, reason_path : path-like, optional
        The two files; default to the shipped copies in ``data/dtoc/``.

    Returns
    -------
    DataFrame
        ``area_code, area_name, month, nhs, social_care, both, total`` sorted by
        month and area; ``month`` is ``"YYYY-MM"``; counts are delayed days (float,
        NaN where the file has ``-``); ``total`` is NaN unless all three parts are known.

    Raises
    ------
    DataError
        A file breaks its layout, the files do not line up, a row's parts do not
        add up to its total, or a name has no ONS code from July 2015.

    Notes
    -----
    Early months carry NHS England's old 3-digit codes.  As ``data/dtoc/SOURCE.md``
    says, a row before July 2015 takes the ONS code its name carries in the
    first month from July 2015; later rows keep their own code (so Dorset is
    ``E10000009`` until its 2019 reorganisation and ``E06000059`` after).
    England's code ``-`` becomes ``E92000001``.

    Examples
    --------
    >>> s = load_series()
    >>> nov = s[(s.area_code == "E10000018") & (s.month == "2017-11")].iloc[0]
    >>> nov.area_name, int(nov.nhs), int(nov.social_care), int(nov.both), int(nov.total)
    ('Leicestershire', 951, 197, 163, 1311)
    """
    return _series(responsible_path, reason_path).frame.copy()


@dataclass(frozen=True)
class _Parsed:
    """A table parsed once per process, with the row positions of each area and each month.

    Selecting an area's or a month's rows from it compares no string of the whole table:
    the positions were found once, when the table was parsed (in the zygote, for the
    kernels forked from it).
    """

    frame: pd.DataFrame
    positions: Mapping[str, Mapping[str, np.ndarray]]
    """By column (``area_code``, ``month``), then by value: the rows' positions, in order."""

    def rows(self, column: str, value: str) -> pd.DataFrame:
        """``frame[frame[column] == value]``, from the positions (the frame's own rows, in order).

        Examples
        --------
        >>> t = _Parsed.of(pd.DataFrame({"area_code": ["a", "b", "a"], "month": ["x"] * 3}))
        >>> t.rows("area_code", "a").index.tolist(), len(t.rows("area_code", "c"))
        ([0, 2], 0)
        """
        pos = self.positions[column].get(value)
        return self.frame.iloc[:0] if pos is None else self.frame.take(pos)

    @classmethod
    def of(cls, frame: pd.DataFrame, columns: tuple[str, ...] = ("area_code", "month")
           ) -> _Parsed:
        """A parsed table and the positions of its rows by each value of ``columns``."""
        return cls(frame, {c: frame.groupby(c, sort=False).indices for c in columns})


def _series(responsible_path: str | Path | None = None,
            reason_path: str | Path | None = None) -> _Parsed:
    """The parsed series (:func:`load_series`), kept for the process."""
    rp = Path(responsible_path) if responsible_path is not None else data.path(RESPONSIBLE_FILE)
    qp = Path(reason_path) if reason_path is not None else data.path(REASON_FILE)
    return _parsed_series(str(rp.resolve()), str(qp.resolve()))


@data.cached_input(maxsize=2)
def _parsed_series(rp: str, qp: str) -> _Parsed:
    return _Parsed.of(_read_series(Path(rp), Path(qp)))


def _read_series(rp: Path, qp: Path) -> pd.DataFrame:
    resp = data.read_csv(rp, _RESP_SCHEMA)
    reason = data.read_csv(qp, _REASON_SCHEMA)
    rname, qname = data.relative_name(rp), data.relative_name(qp)
    if len(resp) != len(reason):
        raise DataError(qname, f"has {len(reason)} rows but {rname} has {len(resp)}; "
                        "the two files must line up row for row")
    off = (resp["Name"].to_numpy() != reason["Name"].to_numpy()) | (
        resp["Period_year"].to_numpy() != reason["Period"].to_numpy())
    if off.any():
        i = int(off.nonzero()[0][0])
        raise DataError(qname, f"does not line up with {rname}: expected "
                        f"{resp['Name'].iloc[i]!r} {resp['Period_year'].iloc[i]!r}", row=i + 2,
                        value=f"{reason['Name'].iloc[i]} {reason['Period'].iloc[i]}")
    out = pd.DataFrame({
        "area_name": resp["Name"].astype(str),
        "month": resp["Period_year"].map(parse_month_name),
        "nhs": resp["NHS"].astype("Float64").astype(float),
        "social_care": resp["Social Care"].astype("Float64").astype(float),
        "both": resp["Both"].astype("Float64").astype(float),
    })
    out["total"] = out[list(ORGS)].sum(axis=1, min_count=len(ORGS))
    out.loc[out[list(ORGS)].isna().any(axis=1), "total"] = np.nan
    q_total = reason["Total Delayed Transfers of Care"].astype("Float64").astype(float)
    bad = out["total"].notna() & q_total.notna() & (out["total"] != q_total)
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(rname, f"NHS + Social Care + Both = {out['total'].iloc[i]:g} but "
                        f"{Path(qname).name} total is {q_total.iloc[i]:g}", row=i + 2,
                        value=out["area_name"].iloc[i])
    out["area_code"] = _ons_codes(reason, out["month"], qname)
    out = out[["area_code", "area_name", "month", *ORGS, "total"]]
    return out.sort_values(["month", "area_code"], kind="stable").reset_index(drop=True)


def _ons_codes(reason: pd.DataFrame, month: pd.Series, file: str) -> pd.Series:
    code = reason["Code"].fillna("").astype(str).str.strip()
    name = reason["Name"].astype(str)
    code = code.where(name != "England", ENGLAND)
    late = month >= CODES_FROM
    bad_late = late & ~code.str.match(r"^E\d{8}$")
    if bad_late.any():
        i = int(bad_late.to_numpy().nonzero()[0][0])
        raise DataError(file, "from July 2015 every row needs a 9-character ONS code",
                        row=i + 2, column="Code", value=code.iloc[i])
    first = (pd.DataFrame({"name": name[late], "month": month[late], "code": code[late]})
             .sort_values("month", kind="stable").drop_duplicates("name"))
    by_name = dict(zip(first["name"], first["code"], strict=True))
    early = ~late
    mapped = name[early].map(by_name)
    if mapped.isna().any():
        i = int(mapped.isna().to_numpy().nonzero()[0][0])
        row = int(mapped.index[i])
        raise DataError(file, "this name has no ONS code in any month from July 2015",
                        row=row + 2, column="Name", value=name.iloc[row])
    out = code.copy()
    out[early] = mapped
    return out


def load_reasons(reason_path: str | Path | None = None) -> pd.DataFrame:
    """Delayed days by reason for delay: one row per area, month and reason (long form).

    The reason file gives each month's delayed days of an area split by the reason for the
    delay (:data:`REASON_COLUMNS`), with no split by responsible organisation within a
    reason.  Codes are mapped to ONS codes as in :func:`load_series`.

    Returns
    -------
    DataFrame
        ``area_code, area_name, month, reason, days``; ``days`` is float, NaN where the file
        has ``-`` or ``NA`` (the reason "Other" before April 2017).

    Examples
    --------
    The file's row for Rotherham, September 2017: 276 days awaiting completion of assessment,
    and 276 + 0 + 159 + 26 + 12 + 106 + 29 + 31 + 4 + 31 + 0 = 674 in all (the
    responsible-organisation file's 530 + 105 + 39).

    >>> r = load_reasons()
    >>> m = r[(r.area_code == "E08000018") & (r.month == "2017-09")].set_index("reason")
    >>> int(m.loc["Awaiting completion of assessment", "days"]), int(m["days"].sum())
    (276, 674)
    """
    return _reasons(reason_path).frame.copy()


def _reasons(reason_path: str | Path | None = None) -> _Parsed:
    """The parsed reason file (:func:`load_reasons`), kept for the process."""
    qp = Path(reason_path) if reason_path is not None else data.path(REASON_FILE)
    return _parsed_reasons(str(qp.resolve()))


@data.cached_input(maxsize=2)
def _parsed_reasons(qp: str) -> _Parsed:
    return _Parsed.of(_read_reasons(Path(qp)))


def _read_reasons(qp: Path) -> pd.DataFrame:
    reason = data.read_csv(qp, _REASON_SCHEMA)
    month = reason["Period"].map(parse_month_name)
    wide = pd.DataFrame({"area_code": _ons_codes(reason, month, data.relative_name(qp)),
                         "area_name": reason["Name"].astype(str), "month": month})
    for c in REASON_COLUMNS:
        wide[c] = reason[c].astype("Float64").astype(float)
    out = wide.melt(id_vars=["area_code", "area_name", "month"], value_vars=list(REASON_COLUMNS),
                    var_name="reason", value_name="days")
    out["reason"] = pd.Categorical(out["reason"], categories=list(REASON_COLUMNS), ordered=True)
    out = out.sort_values(["month", "area_code", "reason"], kind="stable")
    out["reason"] = out["reason"].astype(str)
    return out.reset_index(drop=True)


def area(series: pd.DataFrame | None, area_code: str) -> pd.DataFrame:
    """The monthly rows of one area, in month order.

    Parameters
    ----------
    series : DataFrame or None
        Rows of :func:`load_series`; None for the shipped series, whose area rows were
        indexed when it was parsed (no comparison of every row).
    area_code : str

    Raises
    ------
    DataError
        The code is not in the series.

    Examples
    --------
    >>> area(None, "E08000018").equals(area(load_series(), "E08000018"))
    True
    """
    rows = (_series().rows("area_code", area_code) if series is None
            else series[series["area_code"] == area_code])
    if rows.empty:
        raise DataError(RESPONSIBLE_FILE, f"no local authority with ONS code {area_code!r}")
    return rows.sort_values("month").reset_index(drop=True)


def area_reasons(reasons: pd.DataFrame | None, area_code: str) -> pd.DataFrame:
    """The reason rows of one area, in the file's order (:func:`load_reasons`; none for a code
    the file does not have).

    Parameters
    ----------
    reasons : DataFrame or None
        Rows of :func:`load_reasons`; None for the shipped file, whose area rows were
        indexed when it was parsed.
    area_code : str

    Examples
    --------
    >>> area_reasons(None, "E08000018").equals(area_reasons(load_reasons(), "E08000018"))
    True
    """
    if reasons is None:
        return _reasons().rows("area_code", area_code)
    return reasons[reasons["area_code"] == area_code]


# --- aggregation and rates --------------------------------------------------------------------


def aggregate(monthly: pd.DataFrame, freq: str = "quarter") -> pd.DataFrame:
    """Sum months to months, financial quarters or financial years.

    Parameters
    ----------
    monthly : DataFrame
        Rows of :func:`load_series` (any selection of areas and months).
    freq : {"month", "quarter", "year"}

    Returns
    -------
    DataFrame
        ``area_code, area_name, period, months, days, complete, nhs, social_care,
        both, total``.  ``months`` counts the months present; ``complete`` is
        True when every month of the period is present and known; an incomplete
        period's counts are NaN, never a partial sum.

    Examples
    --------
    Rotherham 2016/17 quarters: the "Numerator (total)" row of the BCF planning
    template, tab 4.4 (1,390, 1,376, 1,558, 2,271):

    >>> s = load_series()
    >>> q = aggregate(s[(s.area_code == "E08000018") & s.month.between("2016-04", "2017-03")])
    >>> q["total"].astype(int).tolist(), q["days"].tolist()
    ([1390, 1376, 1558, 2271], [91, 92, 92, 90])
    """
    labeller = {"month": lambda m: m, "quarter": financial_quarter, "year": financial_year}
    if freq not in labeller:
        raise ValueError(f"freq {freq!r}: expected month, quarter or year")
    df = monthly.copy()
    df["period"] = df["month"].map(labeller[freq])
    keys = ["area_code", "period"]
    g = df.groupby(keys, sort=True)
    out = g[list(ORGS) + ["total"]].sum(min_count=1)
    out["months"] = g["month"].nunique()
    out["known"] = g["total"].count()
    out["area_name"] = g["area_name"].last()
    out = out.reset_index()
    out["days"] = out["period"].map(days_in)
    expected = out["period"].map(lambda p: len(months_of(p)))
    out["complete"] = (out["months"] == expected) & (out["known"] == expected)
    out.loc[~out["complete"], list(ORGS) + ["total"]] = np.nan
    return out[["area_code", "area_name", "period", "months", "days", "complete",
                *ORGS, "total"]].reset_index(drop=True)


def rate(delayed_days: float, population: float, per: float = 100_000) -> float:
    """Delayed days per ``per`` population aged 18+ in the period.

    Examples
    --------
    Rotherham 2016/17 Q1, BCF template tab 4.4: 1,390 days over 204,995 aged 18+,
    printed 678.1:

    >>> round(rate(1390, 204995), 2)
    678.07
    """
    if not population or population <= 0:
        raise ValueError(f"population {population!r}: expected a positive number")
    return float(delayed_days) / float(population) * per


def per_day_rate(delayed_days: float, days: int, population: float, per: float = 100_000) -> float:
    """Average beds occupied by delayed patients on a day, per ``per`` aged 18+.

    Examples
    --------
    Leicestershire, November 2017: 1,311 days in 30 days; with the population
    that the printed monthly rate 240.03 implies (about 546,182) this is the
    printed 8.0:

    >>> round(per_day_rate(1311, 30, 546182), 2)
    8.0
    """
    if days <= 0:
        raise ValueError(f"days {days!r}: expected a positive number")
    return rate(delayed_days, population, per) / days


def beds_per_day(delayed_days: float, days: int) -> float:
    """Average number of patients (beds) delayed on a day.

    Examples
    --------
    >>> round(beds_per_day(2707, 91), 2)
    29.75
    """
    return float(delayed_days) / days


def patients_per_day_at(rate_per_day: float, population: float, per: float = 100_000) -> float:
    """Patients delayed on an average day implied by a per-day rate per ``per``.

    Examples
    --------
    9.4 per 100,000 adults in a population of 205,748 aged 18+:

    >>> round(patients_per_day_at(9.4, 205748), 2)
    19.34
    """
    return float(rate_per_day) * float(population) / per


def with_rates(df: pd.DataFrame, population: float | pd.Series | str = "population",
               per: float = 100_000) -> pd.DataFrame:
    """Add rates per ``per`` aged 18+ per period and per day, for each organisation and the total.

    Parameters
    ----------
    df : DataFrame
        Output of :func:`aggregate` (needs ``days`` and the count columns).
    population : float, Series or str
        One denominator for every row, a Series aligned with ``df``, or the name
        of a column of ``df``.
    per : float

    Returns
    -------
    DataFrame
        ``df`` with ``population``, ``rate_<x>`` and ``rate_per_day_<x>`` for
        ``x`` in ``nhs, social_care, both, total``.
    """
    out = df.copy()
    if isinstance(population, str):
        pop = out[population].astype(float)
    elif isinstance(population, pd.Series):
        pop = population.astype(float).reindex(out.index)
    else:
        pop = pd.Series(float(population), index=out.index)
    out["population"] = pop
    valid = pop.where(pop > 0)
    for col in (*ORGS, "total"):
        out[f"rate_{col}"] = out[col] / valid * per
        out[f"rate_per_day_{col}"] = out[f"rate_{col}"] / out["days"]
    return out


def by_responsible(df: pd.DataFrame) -> pd.DataFrame:
    """One row per period and responsible organisation (NHS, social care, both, total).

    Parameters
    ----------
    df : DataFrame
        Output of :func:`with_rates`.

    Returns
    -------
    DataFrame
        ``area_code, area_name, period, days, population, responsible,
        delayed_days, rate, rate_per_day``; ``responsible`` uses
        :data:`ORG_LABELS`.
    """
    rows = []
    for col in (*ORGS, "total"):
        part = df[["area_code", "area_name", "period", "days", "population"]].copy()
        part["responsible"] = ORG_LABELS[col]
        part["delayed_days"] = df[col]
        part["rate"] = df.get(f"rate_{col}")
        part["rate_per_day"] = df.get(f"rate_per_day_{col}")
        rows.append(part)
    return pd.concat(rows, ignore_index=True)


def population_for_series(areas: pd.DataFrame, populations: pd.DataFrame) -> pd.Series:
    """Denominators for series rows from a population table, combining areas as the series does.

    Parameters
    ----------
    areas : DataFrame
        Has ``area_code``.
    populations : DataFrame
        ``area_code, population`` (e.g. :func:`hwb.sources.population.population_table`);
        England (``E92000001``) is the sum of the English areas when absent.

    Returns
    -------
    Series
        Aligned with ``areas``; NaN where no population exists on the series'
        boundaries (Bournemouth, Poole and the old Dorset county before the
        April 2019 reorganisation have no mid-2019 estimate).

    Notes
    -----
    The City of London and the Isles of Scilly have no rows of their own in the
    series: their populations are added to Hackney and Cornwall
    (:data:`COMBINED_POPULATION`), as the BCF template does for "Cornwall & Scilly".
    """
    pop = populations.set_index("area_code")["population"].astype(float)
    pop = pop[~pop.index.duplicated()]
    pop = pop.copy()
    for main, extra in COMBINED_POPULATION.items():
        if main in pop.index:
            pop[main] = pop[main] + sum(pop.get(e, 0.0) for e in extra)
    if ENGLAND not in pop.index:
        english = [c for c in pop.index if str(c).startswith("E0") or str(c).startswith("E1")]
        absorbed = {e for extras in COMBINED_POPULATION.values() for e in extras}
        pop[ENGLAND] = float(pop[[c for c in english if c not in absorbed]].sum())
    return areas["area_code"].map(pop).astype(float)


def national_table(series: pd.DataFrame | None, month: str, populations: pd.DataFrame,
                   per: float = 100_000) -> pd.DataFrame:
    """Every Health and Wellbeing Board (and England) for one month, with rates.

    Parameters
    ----------
    series : DataFrame or None
        :func:`load_series`; None for the shipped series, whose months' rows were indexed
        when it was parsed.
    month : str
        ``"YYYY-MM"``.
    populations : DataFrame
        ``area_code, population`` aged 18+ (e.g. ``hwb.sources.population.population_table(18)``).
    per : float

    Returns
    -------
    DataFrame
        The columns of :func:`with_rates` plus ``rank`` (1 = highest total rate
        per day among the local authorities with a rate; England unranked),
        sorted by area code with England first.

    Examples
    --------
    >>> from hwb.sources.population import population_table
    >>> t = national_table(load_series(), "2017-11", population_table(18))
    >>> len(t), int(t.loc[t.area_code == "E10000018", "total"].iloc[0])
    (151, 1311)
    """
    rows = _series().rows("month", month) if series is None else series[series["month"] == month]
    if rows.empty:
        raise DataError(RESPONSIBLE_FILE, f"no rows for month {month!r}")
    agg = aggregate(rows, "month")
    agg = with_rates(agg, population_for_series(agg, populations), per)
    la = agg["area_code"] != ENGLAND
    agg["rank"] = agg.loc[la, "rate_per_day_total"].rank(ascending=False, method="min")
    agg["rank"] = agg["rank"].astype("Int64")
    agg["_e"] = ~la
    agg = agg.sort_values(["_e", "area_code"], ascending=[False, True]).drop(columns="_e")
    return agg.reset_index(drop=True)


# --- denominators of each period's own year ---------------------------------------------------


POPULATION_YEARS = (2011, 2019)
"""The mid-years with populations by year (:mod:`hwb.sources.population_by_year`)."""


def population_year(period: str) -> int:
    """The mid-year whose estimate a period divides by: its calendar year, within 2011-2019.

    Months divide by the mid-year of their calendar year; a financial quarter by
    that of its calendar year (:func:`calendar_year_of`).

    Examples
    --------
    >>> population_year("2012-02"), population_year("2016/17 Q4"), population_year("2011-04")
    (2012, 2017, 2011)
    """
    lo, hi = POPULATION_YEARS
    return min(hi, max(lo, calendar_year_of(period)))


def populations_of_year(year: int) -> pd.DataFrame:
    """18+ populations for every series code at mid-``year``, as :func:`national_table` takes them.

    Returns
    -------
    DataFrame
        ``area_code, area_name, population, estimate_year, vintage, file``: every code of
        :func:`hwb.sources.population_by_year.table_all_codes` (old and April 2019
        Dorset codes alike), each authority on its own (:func:`population_for_series` adds
        the City of London to Hackney and the Isles of Scilly to Cornwall, as the series
        counts them), and England (``E92000001``) as the sum over the authorities of the
        year's own boundaries.

    Examples
    --------
    Hackney at mid-2017 with the City of London, as a series row divides by them:

    >>> from hwb.sources import population_by_year as pby
    >>> t = pby.population_table(2017).set_index("area_code")["value"]
    >>> p = populations_of_year(2017)
    >>> hackney = population_for_series(pd.DataFrame({"area_code": ["E09000012"]}), p)
    >>> bool(hackney.iloc[0] == t["E09000012"] + t["E09000001"])
    True
    """
    return _populations_of_year(int(year)).copy()


@data.cached_input(maxsize=16)
def _populations_of_year(year: int) -> pd.DataFrame:
    """:func:`populations_of_year`, computed once per process (a kernel's boards share it)."""
    from hwb.sources import population_by_year as pby

    t = pby.table_all_codes(year, "18+").rename(columns={"value": "population",
                                                        "year": "estimate_year"})
    t = t[["area_code", "area_name", "population", "estimate_year", "vintage", "file"]].copy()
    eng = pby.population(ENGLAND, year, "18+")
    england = pd.DataFrame([{"area_code": ENGLAND, "area_name": "England",
                             "population": eng.value, "estimate_year": int(year),
                             "vintage": eng.vintage, "file": eng.file}])
    return pd.concat([t, england], ignore_index=True)


def by_year_denominators(area_code: str, periods: list[str]
                         ) -> tuple[dict[str, int], dict[str, str], str]:
    """Each period's 18+ denominator from the estimate of its own mid-year, on its boundaries.

    Parameters
    ----------
    area_code : str
        A code of the series (old Dorset codes included; the City of London and the
        Isles of Scilly are counted with Hackney and Cornwall).
    periods : list of str
        Months and financial quarters.

    Returns
    -------
    (dict, dict, str)
        The denominator of each period (to whole persons: interpolated and apportioned
        estimates are not whole), the estimate each used in words
        (``"mid-2017"``), and a source line naming every vintage used.

    Raises
    ------
    DataError
        The area has no estimate on its boundaries for a period's year.

    Examples
    --------
    >>> v, used, src = by_year_denominators("E10000009", ["2017-11", "2019-02"])
    >>> used["2017-11"], used["2019-02"], v["2017-11"]
    ('mid-2017', 'mid-2018', 347806)
    """
    from hwb.fmt import format_number

    values: dict[str, int] = {}
    used: dict[str, str] = {}
    vintages: dict[str, str] = {}
    names: dict[str, str] = {}
    for y in sorted({population_year(p) for p in periods}):
        t = _populations_of_year(y).set_index("area_code")
        if area_code not in t.index:
            raise DataError("population/by_year", f"no 18+ estimate for {area_code} at "
                            f"mid-{y} on the series' boundaries")
        names.update(t["area_name"].astype(str).to_dict())
        r = t.loc[area_code]
        whole = round(float(population_for_series(pd.DataFrame({"area_code": [area_code]}),
                                                  t.reset_index()).iloc[0]))
        for p in periods:
            if population_year(p) == y:
                values[p] = whole
                used[p] = f"mid-{int(r['estimate_year'])}"
        vintages[f"mid-{int(r['estimate_year'])} ({format_number(whole)})"] = str(r["vintage"])
    extra = "".join(f", with {names.get(e, e)}" for e in COMBINED_POPULATION.get(area_code, ()))
    source = ("ONS mid-year estimates of persons aged 18+ for each period's own year, on the "
              f"boundaries of the series{extra}, to whole persons (data/population/by_year/): "
              + "; ".join(f"{k}: {v}" for k, v in vintages.items()))
    return values, used, source


# --- denominators as printed -----------------------------------------------------------------


def printed_populations(path: str | Path | None = None) -> pd.DataFrame:
    """18+ populations as printed in board papers (``data/dtoc/population_18plus_as_printed.csv``).

    Returns
    -------
    DataFrame
        ``area_code, area_name, calendar_year, population_18plus`` (int) and the citation columns.
    """
    p = Path(path) if path is not None else data.path(PRINTED_POPULATION_FILE)
    return _read_printed_populations(str(p.resolve())).copy()


@data.cached_input(maxsize=2)
def _read_printed_populations(name: str) -> pd.DataFrame:
    p = Path(name)
    schema = data.Schema(
        columns=(
            data.Column("area_code", check=lambda v: bool(re.match(r"^E\d{8}$", v)),
                        rule="expected an ONS code such as E08000018"),
            data.Column("area_name"),
            data.Column("calendar_year", "int"),
            data.Column("population_18plus", "count"),
            data.Column("basis"), data.Column("document"), data.Column("item"),
            data.Column("page", nullable=True), data.Column("line"),
        ),
        key=("area_code", "calendar_year"),
    )
    return data.read_csv(p, schema)


def implied_denominator(numerator: float, printed_rate: str,
                        per: float = 100_000) -> tuple[float, float]:
    """The range of denominators that reproduce a printed rate from a known numerator.

    A printed rate ``r`` with ``d`` decimals stands for any value in
    ``[r - 0.5e-d, r + 0.5e-d)``; the denominator is then between
    ``numerator * per / (r + 0.5e-d)`` and ``numerator * per / (r - 0.5e-d)``.

    Examples
    --------
    Leicestershire, November 2017: 1,311 delayed days printed as a rate of 240.03:

    >>> lo, hi = implied_denominator(1311, "240.03")
    >>> round(lo), round(hi)
    (546170, 546193)
    """
    r = parse_number(printed_rate)
    half = 0.5 * 10.0 ** -decimals_of(printed_rate)
    return numerator * per / (r + half), numerator * per / (r - half)


# --- parameter checks against the series -----------------------------------------------------


def check_month(month: str, key: str = "month") -> None:
    """A month of the shipped DTOC series, ``YYYY-MM`` from April 2011 to December 2019.

    Raises
    ------
    ParamProblem
        Not a month, or outside the series.

    Examples
    --------
    >>> check_month("2017-11")
    >>> check_month("2020-01")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hwb.errors.ParamProblem: month: expected a month of the DTOC series, April 2011 to ...
    """
    from hwb.errors import ParamProblem

    if not isinstance(month, str) or not MONTH_RE.match(month):
        raise ParamProblem(key, month, "a month written YYYY-MM, e.g. 2017-11")
    if not FIRST_MONTH <= month <= LAST_MONTH:
        raise ParamProblem(key, month, "a month of the DTOC series, April 2011 to December 2019")


def check_params(params: object) -> None:
    """Data-dependent checks of DTOC parameters: the area is in the series, months within it.

    Raises
    ------
    ParamProblem
        ``area_code`` has no row in the shipped series, or a month field (see
        :data:`MONTH_FIELDS`) is outside April 2011 to December 2019.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> check_params(NS(area_code="E10000018", month="2017-11", trend_end="2018-12"))
    >>> check_params(NS(area_code="E06000053", month="2017-11"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hwb.errors.ParamProblem: area_code: expected an area of the DTOC series ...
    """
    from hwb.errors import ParamProblem

    for key in MONTH_FIELDS:
        v = str(getattr(params, key, "") or "")
        if MONTH_RE.match(v):
            check_month(v, key)
    area_code = getattr(params, "area_code", "")
    if area_code not in _area_codes():
        raise ParamProblem("area_code", area_code,
                           "an area of the DTOC series (data/" + RESPONSIBLE_FILE + "); the "
                           "City of London and the Isles of Scilly are counted with Hackney "
                           "(E09000012) and Cornwall (E06000052)")


def _area_codes() -> frozenset[str]:
    return frozenset(load_series()["area_code"].astype(str))
