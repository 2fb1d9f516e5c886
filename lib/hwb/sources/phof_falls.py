"""PHOF 2.24i: emergency admissions for falls aged 65+, directly standardised rates by area.

The national table (every district and unitary authority, every year) and the
change between two years for each area against a comparator.  Shared by the
falls paper and the national summary, which must not import one another.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from hwb.errors import DataError
from hwb.sources.data import Column, Schema, read_csv

NATIONAL_FILE = "falls/phof_22401_falls65_dsr_district_ua_2010-11_to_2017-18.csv"
"""The national table, under ``data/``."""
ENGLAND = "E92000001"
"""ONS code of England, the default comparator."""
DISTRICT_UA_PREFIXES = ("E06", "E07", "E08", "E09")
"""Unitary authorities, non-metropolitan districts, metropolitan districts, London boroughs."""

SIGNIFICANCE = ("Better", "Similar", "Worse", "Not compared")
"""Fingertips' comparison of an area's rate with England's (95%), as the file words it."""

_FY = re.compile(r"^(\d{4})/(\d{2})$")

NATIONAL_SCHEMA = Schema(
    columns=[
        Column("area_code", check=lambda v: bool(re.match(r"^E\d{8}$", v)),
               rule="expected an ONS area code like E08000018"),
        Column("area_name"),
        Column("period", check=lambda v: bool(_FY.match(v)), rule="expected a year like 2011/12"),
        Column("value", "float", nullable=True, check=lambda v: v >= 0,
               rule="a rate cannot be negative"),
        Column("measure"),
        Column("significance", nullable=True, allowed=frozenset(SIGNIFICANCE)),
    ],
    key=("area_code", "period"),
    extra_columns=True,
    na_values=("", "NA", "-"),
)


def load_national(path: str | Path | None = None) -> pd.DataFrame:
    """The national falls rates (PHOF 2.24i) as a tidy table.

    Parameters
    ----------
    path : path-like, optional
        Defaults to ``data/falls/phof_22401_...csv``.

    Returns
    -------
    DataFrame
        ``area_code, area_name, period, dsr, significance``: the directly standardised
        rate per 100,000 aged 65+ (missing where Fingertips has none) and Fingertips'
        comparison of it with England's at 95% (one of :data:`SIGNIFICANCE`; missing where
        the file has none), made from the rates' published confidence intervals, which the
        file does not carry.

    Raises
    ------
    DataError
        A bad area code, year, rate or comparison, a duplicated area and year, or a
        measure other than an age-standardised rate.
    """
    from hwb.sources import data

    p = Path(path) if path is not None else data.path(NATIONAL_FILE)
    df = read_csv(p, NATIONAL_SCHEMA)
    bad = ~df["measure"].str.contains("standardised rate", case=False)
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(p.name, "expected an age-standardised rate per 100,000", row=i + 2,
                        column="measure", value=df["measure"].iloc[i])
    return (df.rename(columns={"value": "dsr"})
            [["area_code", "area_name", "period", "dsr", "significance"]]
            .reset_index(drop=True))


def national_change(national: pd.DataFrame, start: str, end: str,
                    comparator_code: str = ENGLAND) -> pd.DataFrame:
    """Change in the rate from ``start`` to ``end`` for every district and UA with both years.

    Returns
    -------
    DataFrame
        ``area_code, area_name, dsr_start, dsr_end, change, pct_change,
        comparator_pct_change, vs_comparator, rank`` (rank 1 = largest fall), sorted by
        ``pct_change``.

    Examples
    --------
    >>> n = pd.DataFrame({"area_code": ["E92000001", "E92000001", "E08000001", "E08000001"],
    ...                   "area_name": ["England", "England", "A", "A"],
    ...                   "period": ["2011/12", "2015/16"] * 2, "dsr": [2000.0, 2200, 1000, 800]})
    >>> r = national_change(n, "2011/12", "2015/16").iloc[0]
    >>> [round(float(r[k]), 6) for k in ("pct_change", "comparator_pct_change", "vs_comparator")]
    [-20.0, 10.0, -30.0]
    """
    wide = national.pivot_table(index=["area_code", "area_name"], columns="period", values="dsr",
                                aggfunc="first")
    for y in (start, end):
        if y not in wide.columns:
            raise DataError(NATIONAL_FILE, f"no rates for {y}", column="period")
    comp = wide.xs(comparator_code, level="area_code") if comparator_code in \
        wide.index.get_level_values(0) else None
    if comp is None or comp.empty:
        raise DataError(NATIONAL_FILE, f"no rows for comparator {comparator_code}",
                        column="area_code")
    cpct = (float(comp[end].iloc[0]) / float(comp[start].iloc[0]) - 1) * 100
    w = wide.reset_index()
    w = w[w["area_code"].str[:3].isin(DISTRICT_UA_PREFIXES)]
    w = w.dropna(subset=[start, end])
    out = pd.DataFrame({"area_code": w["area_code"], "area_name": w["area_name"],
                        "dsr_start": w[start].astype(float), "dsr_end": w[end].astype(float)})
    out["change"] = out["dsr_end"] - out["dsr_start"]
    out["pct_change"] = (out["dsr_end"] / out["dsr_start"] - 1) * 100
    out["comparator_pct_change"] = cpct
    out["vs_comparator"] = out["pct_change"] - cpct
    out = out.sort_values(["pct_change", "area_code"]).reset_index(drop=True)
    out["rank"] = out["pct_change"].rank(method="min").astype(int)
    return out
