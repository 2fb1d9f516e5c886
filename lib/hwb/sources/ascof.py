"""ASCOF 2A(2) and 2B(1), 2018/19, by council: BCF metrics 2 and 3 as published, values only.

NHS Digital's Adult Social Care Outcomes Framework (ASCOF) measures two of the
four BCF 2017-19 metrics:

* **2A(2)** long-term support needs of older adults (65+) met by admission to
  residential and nursing care homes, per 100,000 population 65+ (lower is
  better);
* **2B(1)** proportion of older people (65+) still at home 91 days after
  discharge from hospital into reablement/rehabilitation services (higher is
  better).

The shipped file (``data/ascof/``) has the published *values* only, without
numerators or denominators, so no confidence interval can be computed: a
comparison with England is a plain difference of published values.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from hwb.errors import DataError
from hwb.sources.data import Column, Schema, path, read_csv

FILE = "ascof/ascof_2a2_2b1_2018-19.csv"
"""The extract, under ``data/``."""
ENGLAND = "E92000001"
SOURCE = ("NHS Digital, Adult Social Care Outcomes Framework (ASCOF) 2018/19, measures 2A(2) "
          "and 2B(1), values by council")
"""Citation text for tables and charts."""
MEASURES = {
    "2A(2)": {"metric": "res65", "good": "lower", "decimals": 1,
              "disaggregation": "Total",
              "title": "Permanent admissions of older people (65+) to residential and nursing "
                       "care homes, per 100,000 population 65+"},
    "2B(1)": {"metric": "reab91", "good": "higher", "decimals": 1,
              "disaggregation": "Total",
              "title": "Older people (65+) still at home 91 days after discharge from hospital "
                       "into reablement/rehabilitation (%)"},
}
"""The two measures: the BCF metric each is, direction of good and the published precision.

2B(1) is published as ``Total`` to one decimal; the file's ``65 and over``
row is the same measure to two decimals (every council's ``Total`` is its
rounding), kept for reference.
"""
PUBLISHED_EARLIEST = "2019-10-01"
"""The 2018/19 values were first published by NHS Digital in October 2019 (the annual ASCOF
release; the day is not confirmed in the project's sources): the earliest date they were known."""
NO_INTERVAL = ("ASCOF values are shipped without their numerators and denominators, so no "
               "confidence interval can be computed; differences are plain differences of the "
               "published values.")
"""The caveat every table of these values carries."""

SCHEMA = Schema(
    columns=[
        Column("area_code", check=lambda v: bool(re.match(r"^E\d{8}$", v)),
               rule="an ONS code like E08000018"),
        Column("area_name"),
        Column("level", allowed=frozenset({"Council", "Region", "England"})),
        Column("measure", allowed=frozenset(MEASURES)),
        Column("disaggregation", allowed=frozenset({"Total", "65 and over"})),
        Column("year", check=lambda v: v == "2018/19", rule="the year 2018/19"),
        Column("value", "float", check=lambda v: v >= 0, rule="a non-negative value"),
    ],
    key=("area_code", "measure", "disaggregation"),
)


def load(p: str | Path | None = None) -> pd.DataFrame:
    """The published values: one row per area, measure and disaggregation.

    Examples
    --------
    England's published 2018/19 values (NHS Digital: 577.6 and 82.4):

    >>> t = load()
    >>> e = t[(t.area_code == ENGLAND) & (t.disaggregation == "Total")]
    >>> dict(zip(e.measure, e.value))
    {'2A(2)': 577.6, '2B(1)': 82.4}
    """
    return read_csv(Path(p) if p is not None else path(FILE), SCHEMA)


def value(code: str, measure: str, table: pd.DataFrame | None = None) -> float | None:
    """One area's published value of ``measure`` (``None`` when the area is not in the file).

    Examples
    --------
    >>> value("E08000018", "2A(2)"), value("E08000018", "2B(1)")
    (564.9, 85.6)
    """
    if measure not in MEASURES:
        raise DataError(FILE, f"unknown ASCOF measure; expected one of {', '.join(MEASURES)}",
                        value=measure)
    t = load() if table is None else table
    r = t[(t["area_code"] == code) & (t["measure"] == measure)
          & (t["disaggregation"] == MEASURES[measure]["disaggregation"])]
    return float(r["value"].iloc[0]) if len(r) else None


def compared(code: str, table: pd.DataFrame | None = None,
             neighbours: list[str] | None = None) -> pd.DataFrame:
    """The area's two values beside England's, and its rank among councils (and neighbours).

    Parameters
    ----------
    code : str
        The council (2018/19 codes: Bournemouth, Poole and the old Dorset are separate).
    neighbours : list of str, optional
        Comparable councils (e.g. CIPFA nearest neighbours); their median is added.

    Returns
    -------
    DataFrame
        ``measure, title, value, england, difference, better, rank, of, neighbours_median,
        neighbours_n``: ``difference`` is value - England; ``better`` says whether
        that difference is in the direction of good ("better", "worse", "same");
        ``rank`` is 1 for the best of ``of`` councils (ties share the best rank).

    Examples
    --------
    Rotherham 2018/19: 2A(2) 564.9 against England 577.6 (12.7 lower, better):

    >>> c = compared("E08000018").set_index("measure")
    >>> round(float(c.loc["2A(2)", "difference"]), 1), c.loc["2A(2)", "better"]
    (-12.7, 'better')
    """
    t = load() if table is None else table
    rows = []
    for m, spec in MEASURES.items():
        sub = t[(t["measure"] == m) & (t["disaggregation"] == spec["disaggregation"])]
        councils = sub[sub["level"] == "Council"].set_index("area_code")["value"]
        v, eng = value(code, m, t), value(ENGLAND, m, t)
        ascending = spec["good"] == "lower"
        rank = (int(councils.rank(method="min", ascending=ascending)[code])
                if code in councils.index else None)
        near = councils.reindex([c for c in (neighbours or []) if c in councils.index])
        diff = None if v is None or eng is None else v - eng
        better = (None if diff is None else "same" if round(diff, 6) == 0
                  else "better" if (diff < 0) == ascending else "worse")
        rows.append({"measure": m, "title": spec["title"], "value": v, "england": eng,
                     "difference": diff, "better": better, "rank": rank, "of": len(councils),
                     "neighbours_median": float(near.median()) if len(near) else None,
                     "neighbours_n": len(near)})
    return pd.DataFrame(rows)
