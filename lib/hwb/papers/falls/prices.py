"""One price basis for the falls paper: costs of different years moved with the GDP deflator.

HM Treasury's Green Book expresses costs of different years in one price
basis with the GDP deflator at market prices (ONS series YBGB).  The series
shipped in ``data/prices/`` is by calendar year; a financial year (April to
March) takes the weighted mean of the two calendar years it spans, nine
months in the first and three in the second (:func:`financial_year_index`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hwb.errors import ParameterError
from hwb.sources.data import Column, Schema, read_csv

DEFLATOR_FILE = "prices/gdp_deflator_ybgb_calendar_year_2024_100.csv"
DEFLATOR_SOURCE = ("ONS, GDP deflator at market prices (series YBGB), calendar years, "
                   "2024 = 100, as republished by HM Treasury")
CONVENTION = ("a financial year takes the mean of the deflators of the two calendar years it "
              "spans, weighted 9:3 by its months (April-December, January-March)")

DEFLATOR_SCHEMA = Schema(
    columns=[Column("year", "int"),
             Column("value", "float", check=lambda v: v > 0, rule="a positive index")],
    key=("year",),
)


def load_deflator(path: str | Path | None = None) -> pd.Series:
    """The GDP deflator by calendar year (index, 2024 = 100).

    Raises
    ------
    DataError
        A duplicated year or a value that is not positive (checked by the schema).
    """
    from hwb.sources import data

    p = Path(path) if path is not None else data.path(DEFLATOR_FILE)
    df = read_csv(p, DEFLATOR_SCHEMA)
    return df.set_index("year")["value"].sort_index()


def financial_year_index(deflator: pd.Series, financial_year: str, where: str = "") -> float:
    """The deflator of a financial year ``YYYY/YY``: 9/12 of its first calendar year's plus
    3/12 of the next's.

    Examples
    --------
    2010/11 from 69.1217 (2010) and 70.834 (2011): 0.75 x 69.1217 + 0.25 x 70.834 = 69.5498.

    >>> d = pd.Series({2010: 69.1217, 2011: 70.834})
    >>> round(financial_year_index(d, "2010/11"), 4)
    69.5498

    Raises
    ------
    ParameterError
        A year the deflator does not cover.
    """
    y = int(financial_year[:4])
    if y not in deflator.index or y + 1 not in deflator.index:
        raise ParameterError(where, "price_year", financial_year,
                             f"a financial year within the deflator's calendar years "
                             f"{int(deflator.index.min())}-{int(deflator.index.max())}")
    return 0.75 * float(deflator.loc[y]) + 0.25 * float(deflator.loc[y + 1])


def uplift_factor(deflator: pd.Series, from_year: str, to_year: str, where: str = "") -> float:
    """The factor that moves a cost from one financial year's prices to another's.

    Examples
    --------
    >>> d = pd.Series({2010: 69.1217, 2011: 70.834, 2017: 77.6367, 2018: 79.1606})
    >>> round(uplift_factor(d, "2010/11", "2017/18"), 4)  # 78.0177 / 69.5498
    1.1218
    """
    return (financial_year_index(deflator, to_year, where)
            / financial_year_index(deflator, from_year, where))


def price_costs(costs: pd.DataFrame, factor: float) -> pd.DataFrame:
    """Per-person unit costs (from :func:`hwb.papers.falls.unit_costs`) times a price factor.

    Examples
    --------
    >>> c = pd.DataFrame({"basis": ["a"], "per_person": [100.0], "per_person_low": [90.0],
    ...                   "per_person_high": [110.0]})
    >>> price_costs(c, 1.5)[["per_person", "per_person_low", "per_person_high"]].iloc[0].tolist()
    [150.0, 135.0, 165.0]
    """
    out = costs.copy()
    for c in ("per_person", "per_person_low", "per_person_high"):
        out[c] = out[c] * factor
    return out
