"""The falls paper's computations: the claim rebuilt, the defensible estimate, the inputs.

Plain functions on tidy DataFrames (see the package docstring for the method);
:func:`analyse` runs them all for one board with a printed claim.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from hwb.errors import DataError
from hwb.sources.data import Column, Schema, read_csv
from hwb.sources.phof_falls import NATIONAL_FILE, load_national, national_change
from hwb.toolkit import checks

from . import prices
from .params import (
    _FY,
    COMPONENT_WORDS,
    COUNT_METHODS,
    COUNT_WORDS,
    UNIT_COST_BASES,
    UNIT_COST_WORDS,
    CounterfactualMethod,
    CountMethod,
    FallsParams,
    UnitCostBasis,
    fy_start,
)

TORBAY_FILE = "falls/torbay_costs.csv"
POPULATION_FILE = "falls/rotherham_population_65plus.csv"
PRINTED_FILE = "falls/printed_figures.csv"
CLAIMS_FILE = "falls/printed_claims.csv"
"""The paper's printed statements, tested in the claims check."""

DISTRICT_UA_PREFIXES = ("E06", "E07", "E08", "E09")
"""Unitary authorities, non-metropolitan districts, metropolitan districts, London boroughs."""
PER = 100_000.0
"""The rates are per 100,000 aged 65+."""



# --- loading ---------------------------------------------------------------------------------

TORBAY_SCHEMA = Schema(
    columns=[
        Column("component"),
        Column("label"),
        Column("cost_gbp_m", "float", check=lambda v: v >= 0, rule="a cost cannot be negative"),
        Column("rounding_gbp_m", "float", check=lambda v: v >= 0, rule="expected a half-width"),
        Column("cohort_n", "count", check=lambda v: v > 0, rule="the cohort cannot be empty"),
        Column("price_basis"),
        Column("document"),
    ],
    key=("component",),
)

POPULATION_SCHEMA = Schema(
    columns=[
        Column("area_code"), Column("area_name"),
        Column("period", check=lambda v: bool(_FY.match(v)), rule="expected a year like 2015/16"),
        Column("population_65plus", "count", check=lambda v: v > 0,
               rule="a population must be positive"),
        Column("kind"), Column("basis"), Column("document"), Column("item"), Column("page"),
        Column("line"),
    ],
    key=("area_code", "period"),
)


def _data_path(p: str | Path | None, default: str) -> Path:
    from hwb.sources import data

    return Path(p) if p is not None else data.path(default)


def load_torbay(path: str | Path | None = None) -> pd.DataFrame:
    """The Torbay cost totals (King's Fund, August 2013), checked.

    Returns
    -------
    DataFrame
        ``component, label, cost_gbp_m, rounding_gbp_m, cohort_n, price_basis, document``.

    Raises
    ------
    DataError
        A component the unit costs need is missing, or the three parts of the
        12 months after do not add up to its total within their rounding.
    """
    p = _data_path(path, TORBAY_FILE)
    df = read_csv(p, TORBAY_SCHEMA)
    need = {"before_12m", "admission", "after_12m"}
    missing = need - set(df["component"])
    if missing:
        raise DataError(p.name, f"missing component(s) {', '.join(sorted(missing))}",
                        column="component")
    parts = df[df["component"].str.startswith("after_12m_")]
    if len(parts):
        total = df.loc[df["component"] == "after_12m", "cost_gbp_m"].iloc[0]
        c = checks.sum_of_parts(f"{total:.1f}", [f"{v:.1f}" for v in parts["cost_gbp_m"]])
        if c.status == checks.DIFFERS:
            raise DataError(p.name, "the parts of after_12m do not add up: " + c.reason)
    return df


def load_population(area_code: str, path: str | Path | None = None) -> pd.Series:
    """An area's population aged 65+ by financial year, as printed (isolated so another
    population source can replace it).

    Returns
    -------
    Series
        Persons aged 65+, indexed by ``period``.
    """
    p = _data_path(path, POPULATION_FILE)
    df = read_csv(p, POPULATION_SCHEMA)
    df = df[df["area_code"] == area_code]
    if df.empty:
        raise DataError(p.name, f"no rows for area {area_code}", column="area_code")
    return df.set_index("period")["population_65plus"].astype(float).rename("population_65plus")


def area_rates(national: pd.DataFrame, area_code: str) -> pd.Series:
    """One area's rates by period (``dsr`` indexed by period).

    Raises
    ------
    DataError
        The area is not in the national file.
    """
    s = national[national["area_code"] == area_code].set_index("period")["dsr"]
    if s.empty:
        raise DataError(NATIONAL_FILE, f"no rows for area {area_code}", column="area_code")
    return s.sort_index()


# --- 1. rebuilding the claim -----------------------------------------------------------------


def unit_costs(torbay: pd.DataFrame) -> pd.DataFrame:
    """Candidate costs per fall admission from the Torbay totals, with their rounding range.

    Each per-person cost is a combination of the cohort's cost totals divided
    by the cohort size.  The totals are printed to £0.1m, so each carries
    ±£0.05m; the low and high ends take every component at the end of its
    range that lowers (or raises) the combination.

    Parameters
    ----------
    torbay : DataFrame
        From :func:`load_torbay`.

    Returns
    -------
    DataFrame
        ``basis, label, total_gbp_m, total_low_gbp_m, total_high_gbp_m, per_person,
        per_person_low, per_person_high, cohort_n, formula``; per-person costs in £.

    Notes
    -----
    Tian Y, Thompson J, Buck D, Sonola L. *Exploring the system-wide costs of
    falls in older people in Torbay*. The King's Fund, 2013.  The incremental
    cost (after + admission - before) is the saving a prevented admission can
    plausibly release; the gross costs count care the person would have had
    anyway.

    Examples
    --------
    The admission alone: £1.2m over 421 people is £2,850 each (1,200,000 / 421
    = 2,850.36), between £1.15m/421 = £2,731.59 and £1.25m/421 = £2,969.12.

    >>> t = pd.DataFrame({"component": ["before_12m", "admission", "after_12m"],
    ...                   "cost_gbp_m": [2.5, 1.2, 4.2], "rounding_gbp_m": [0.05] * 3,
    ...                   "cohort_n": [421] * 3})
    >>> u = unit_costs(t).set_index("basis")
    >>> u.loc["admission", ["per_person", "per_person_low", "per_person_high"]].round(2).tolist()
    [2850.36, 2731.59, 2969.12]
    >>> float(u.loc["incremental", "total_gbp_m"]), float(u.loc["incremental", "total_low_gbp_m"])
    (2.9, 2.75)
    """
    t = torbay.set_index("component")
    n = int(t["cohort_n"].iloc[0])
    if (t["cohort_n"] != n).any():
        raise DataError(TORBAY_FILE, "every component must have the same cohort_n",
                        column="cohort_n")
    rows = []
    for basis, (label, parts) in UNIT_COST_BASES.items():
        total = sum(sign * t.loc[c, "cost_gbp_m"] for c, sign in parts.items())
        slack = sum(t.loc[c, "rounding_gbp_m"] for c in parts)
        lo, hi = total - slack, total + slack
        formula = " ".join(f"{'+' if s > 0 else '-'} {COMPONENT_WORDS[c]}"
                           for c, s in parts.items()).lstrip("+ ")
        rows.append({"basis": basis, "label": label, "total_gbp_m": round(total, 10),
                     "total_low_gbp_m": round(lo, 10), "total_high_gbp_m": round(hi, 10),
                     "per_person": total * 1e6 / n, "per_person_low": lo * 1e6 / n,
                     "per_person_high": hi * 1e6 / n, "cohort_n": n,
                     "formula": f"({formula}) / {n}"})
    return pd.DataFrame(rows)


def effective_denominators(rates: pd.Series, anchors: Mapping[str, float],
                           population: pd.Series | None = None) -> pd.DataFrame:
    """The population that turns each year's standardised rate into a count.

    A directly standardised rate is not a crude rate, so count = DSR x population
    does not hold; but count = DSR x *D* does, for an "effective denominator"
    *D* = population x (crude rate / DSR).  *D* is known exactly where a count
    was printed (the anchors: *D* = count / DSR x 100,000).  Between two anchors
    it is interpolated geometrically (a constant yearly growth); the range is
    the two anchors' values, which bound it if the 65+ population changes in one
    direction between them.  After the last anchor it grows with the printed
    65+ population (the age mix within 65+ held at the last anchor's); before the
    first it is extrapolated back at the anchors' growth.

    Parameters
    ----------
    rates : Series
        The area's DSR per 100,000 indexed by financial year.
    anchors : mapping of str to float
        Printed counts by year (at least one).
    population : Series, optional
        The area's 65+ population by year, for years after the last anchor.

    Returns
    -------
    DataFrame
        ``period, denominator, denominator_low, denominator_high, basis`` for
        every year of ``rates``.

    Examples
    --------
    Two anchors 4 years apart: 1,000 admissions at a rate of 2,000 (D = 50,000)
    and 1,000 at 1,600 (D = 62,500): D grows by (62,500/50,000)^(1/4) a year,
    so two years in it is 50,000 x 1.25^0.5 = 55,901.7.

    >>> r = pd.Series([2000.0, 1800.0, 1700.0, 1650.0, 1600.0],
    ...               index=["2011/12", "2012/13", "2013/14", "2014/15", "2015/16"])
    >>> d = effective_denominators(r, {"2011/12": 1000, "2015/16": 1000}).set_index("period")
    >>> round(float(d.loc["2013/14", "denominator"]), 1)
    55901.7
    >>> d.loc["2013/14", ["denominator_low", "denominator_high"]].tolist()
    [50000.0, 62500.0]
    """
    if not anchors:
        raise ValueError("effective_denominators: at least one printed count is needed")
    years = sorted(rates.index, key=fy_start)
    for y in anchors:
        if y not in rates.index or pd.isna(rates[y]):
            raise DataError(NATIONAL_FILE, f"no rate for the printed count's year {y}",
                            column="period")
    d_anchor = {y: float(c) / float(rates[y]) * PER for y, c in anchors.items()}
    ays = sorted(d_anchor, key=fy_start)
    first, last = ays[0], ays[-1]
    span = fy_start(last) - fy_start(first)
    growth = (d_anchor[last] / d_anchor[first]) ** (1 / span) if span else 1.0
    rows = []
    for y in years:
        t = fy_start(y)
        if y in d_anchor:
            d, lo, hi, basis = d_anchor[y], d_anchor[y], d_anchor[y], "printed count / rate"
        elif fy_start(first) < t < fy_start(last):
            prev = max((a for a in ays if fy_start(a) < t), key=fy_start)
            nxt = min((a for a in ays if fy_start(a) > t), key=fy_start)
            gap = fy_start(nxt) - fy_start(prev)
            g = (d_anchor[nxt] / d_anchor[prev]) ** (1 / gap)
            d = d_anchor[prev] * g ** (t - fy_start(prev))
            lo, hi = sorted((d_anchor[prev], d_anchor[nxt]))
            basis = f"interpolated between {prev} and {nxt}"
        elif t > fy_start(last):
            if population is not None and y in population.index and last in population.index:
                d = d_anchor[last] * float(population[y]) / float(population[last])
                basis = f"{last} value grown with the printed 65+ population"
            else:
                d = d_anchor[last] * growth ** (t - fy_start(last))
                basis = f"{last} value extrapolated at the anchors' growth"
            lo, hi = min(d, d_anchor[last]), max(d, d_anchor[last] * growth ** (t - fy_start(last)))
        else:
            d = d_anchor[first] / growth ** (fy_start(first) - t)
            lo, hi = min(d, d_anchor[first]), max(d, d_anchor[first])
            basis = f"{first} value extrapolated back at the anchors' growth"
        rows.append({"period": y, "denominator": d, "denominator_low": lo,
                     "denominator_high": hi, "basis": basis})
    return pd.DataFrame(rows)


def estimate_counts(rates: pd.Series, anchors: Mapping[str, float],
                    population: pd.Series | None = None, rate_rounding: float = 0.5
                    ) -> pd.DataFrame:
    """Yearly admission counts: printed where printed, otherwise rate x effective denominator.

    The range of an estimated count takes the effective denominator's range
    (see :func:`effective_denominators`) and the rate's rounding (the national
    file's rates are rounded to whole numbers, so ±0.5).

    Parameters
    ----------
    rates : Series
        DSR per 100,000 by financial year.
    anchors : mapping
        Printed counts by year.
    population : Series, optional
        65+ population by year (for years after the last anchor).
    rate_rounding : float
        Half-width of the rates' rounding.

    Returns
    -------
    DataFrame
        ``period, dsr, denominator, count, count_low, count_high, source, basis``.

    Examples
    --------
    >>> r = pd.Series([2000.0, 1800.0, 1600.0], index=["2011/12", "2012/13", "2013/14"])
    >>> c = estimate_counts(r, {"2011/12": 1000, "2013/14": 1000}).set_index("period")
    >>> float(c.loc["2011/12", "count"]), c.loc["2011/12", "source"]
    (1000.0, 'printed')

    In 2012/13 D = sqrt(50,000 x 62,500) = 55,901.7, so 1,800 x 55,901.7 / 100,000
    = 1,006.2; the range is 1,799.5 x 50,000 / 100,000 = 899.75 to
    1,800.5 x 62,500 / 100,000 = 1,125.3.

    >>> [round(float(v), 2) for v in c.loc["2012/13", ["count", "count_low", "count_high"]]]
    [1006.23, 899.75, 1125.31]
    """
    den = effective_denominators(rates, anchors, population).set_index("period")
    rows = []
    for y in den.index:
        dsr = float(rates[y])
        if y in anchors:
            c = lo = hi = float(anchors[y])
            source = "printed"
        else:
            c = dsr * den.loc[y, "denominator"] / PER
            lo = (dsr - rate_rounding) * den.loc[y, "denominator_low"] / PER
            hi = (dsr + rate_rounding) * den.loc[y, "denominator_high"] / PER
            source = "estimated"
        rows.append({"period": y, "dsr": dsr, "denominator": float(den.loc[y, "denominator"]),
                     "count": float(c), "count_low": float(lo), "count_high": float(hi),
                     "source": source, "basis": den.loc[y, "basis"]})
    return pd.DataFrame(rows)


def falls_prevented(counts: pd.DataFrame, baseline_year: str, years: Sequence[str],
                    method: CountMethod = "yearly_counts", end: str = "central") -> float:
    """Falls prevented over ``years`` against the baseline year, by one arithmetic.

    Parameters
    ----------
    counts : DataFrame
        From :func:`estimate_counts` (``period, dsr, denominator, count, count_low, count_high``).
    baseline_year : str
        The year every later year is compared with.
    years : sequence of str
        The years summed.
    method : str
        One of :data:`COUNT_METHODS`.
    end : {"central", "low", "high"}
        Which end of the estimated counts: ``low`` counts give more falls prevented.

    Returns
    -------
    float

    Examples
    --------
    Baseline 1,000; then 900, 800 (printed). Yearly counts: 100 + 200 = 300;
    the last year repeated: 200 x 2 = 400; a straight line: 100 + 200 = 300.

    >>> c = pd.DataFrame({"period": ["2011/12", "2012/13", "2013/14"], "dsr": [2000.0, 1800, 1600],
    ...                   "denominator": [50000.0] * 3, "count": [1000.0, 900, 800],
    ...                   "count_low": [1000.0, 900, 800], "count_high": [1000.0, 900, 800]})
    >>> [falls_prevented(c, "2011/12", ["2012/13", "2013/14"], m)
    ...  for m in ("yearly_counts", "final_year_repeated", "straight_line")]
    [300.0, 400.0, 300.0]
    """
    col = {"central": "count", "low": "count_low", "high": "count_high"}[end]
    c = counts.set_index("period")
    base = float(c.loc[baseline_year, "count"])
    years = list(years)
    n = len(years)
    last = float(c.loc[years[-1], col])
    if method == "yearly_counts":
        return float(sum(base - float(c.loc[y, col]) for y in years))
    if method == "final_year_repeated":
        return (base - last) * n
    if method == "straight_line":
        return float(sum((base - last) * (i + 1) / n for i in range(n)))
    if method == "mean_rate":
        rate_col = {"central": 0.0, "low": -0.5, "high": 0.5}[end]
        mean_rate = float(np.mean([float(c.loc[y, "dsr"]) for y in years])) - rate_col
        return (base - mean_rate * float(c.loc[years[-1], "denominator"]) / PER) * n
    raise ValueError(f"unknown count method {method!r}; expected one of {', '.join(COUNT_METHODS)}")


def sensitivity_table(counts: pd.DataFrame, costs: pd.DataFrame, baseline_year: str,
                      years: Sequence[str], printed_total: str, printed_annual: str,
                      scale: float = 1e6) -> pd.DataFrame:
    """Every arithmetic x unit cost x end of range, with whether it reproduces each printed figure.

    The total is the falls prevented times the unit cost; the annual average
    is the total over the number of years.  Each is compared with the printed
    figure by :func:`hwb.toolkit.checks.compare` (reproduced when it rounds to the
    printed value at the printed precision).

    Parameters
    ----------
    counts, costs : DataFrame
        From :func:`estimate_counts` and :func:`unit_costs`.
    baseline_year, years
        As for :func:`falls_prevented`.
    printed_total, printed_annual : str
        The printed total and annual figures, as printed, in units of ``scale``.
    scale : float
        Units of the printed figures (1e6 for £m).

    Returns
    -------
    DataFrame
        ``candidate, count_method, counts_end, basis, cost_end, unit_cost, falls_prevented,
        total, annual, total_status, annual_status, both`` (money in units of
        ``scale``), ordered with the candidates that reproduce both first.

    Examples
    --------
    >>> c = pd.DataFrame({"period": ["2011/12", "2012/13"], "dsr": [2000.0, 1800],
    ...                   "denominator": [50000.0] * 2, "count": [1000.0, 900],
    ...                   "count_low": [1000.0, 900], "count_high": [1000.0, 900]})
    >>> u = pd.DataFrame({"basis": ["x"], "per_person": [10000.0], "per_person_low": [9000.0],
    ...                   "per_person_high": [11000.0]})
    >>> s = sensitivity_table(c, u, "2011/12", ["2012/13"], "1.0", "1.0")
    >>> s.loc[s["both"], "cost_end"].tolist()[:1]
    ['central']
    """
    rows = []
    n = len(years)
    for method in COUNT_METHODS:
        ends = ("central", "low", "high")
        for cend in ends:
            fp = falls_prevented(counts, baseline_year, years, method, cend)  # type: ignore[arg-type]
            for _, u in costs.iterrows():
                for kend, col in (("central", "per_person"), ("low", "per_person_low"),
                                  ("high", "per_person_high")):
                    unit = float(u[col])
                    total = fp * unit / scale
                    annual = total / n
                    ts = checks.compare(total, printed_total).status
                    as_ = checks.compare(annual, printed_annual).status
                    rows.append({
                        "candidate": f"{COUNT_WORDS[method]} ({cend} counts) x "
                                     f"{UNIT_COST_WORDS.get(u['basis'], u['basis'])} ({kend} cost)",
                        "count_method": method, "counts_end": cend, "basis": u["basis"],
                        "cost_end": kend, "unit_cost": unit, "falls_prevented": fp,
                        "total": total, "annual": annual, "total_status": ts,
                        "annual_status": as_,
                        "both": ts == checks.REPRODUCED and as_ == checks.REPRODUCED})
    df = pd.DataFrame(rows).drop_duplicates(subset=["count_method", "basis", "falls_prevented",
                                                    "unit_cost"])
    order = df["both"].map({True: 0, False: 1})
    return (df.assign(_o=order).sort_values(["_o"], kind="stable").drop(columns="_o")
            .reset_index(drop=True))


def consistent_totals(printed_total: str, printed_annual: str, n_years: int
                      ) -> tuple[float, float] | None:
    """The totals that round to the printed total and, over ``n_years``, to the printed average.

    A figure printed to *d* decimals stands for any value within half a unit
    of its last place, so the printed total and annual average are consistent
    only for totals in the overlap of [total ± half a unit] and
    n_years x [annual ± half a unit].

    Returns
    -------
    (low, high) or None
        The range of consistent totals (in the printed units), or None when
        the two printed figures cannot both be right.

    Examples
    --------
    "15" covers 14.5 to 15.5; "3.6" over 4 years covers 14.2 to 14.6; so 14.5 to 14.6.

    >>> [round(v, 6) for v in consistent_totals("15", "3.6", 4)]
    [14.5, 14.6]
    >>> consistent_totals("15", "3.0", 4) is None
    True
    """
    from hwb.fmt import decimals_of, parse_number

    t, a = parse_number(printed_total), parse_number(printed_annual)
    ht, ha = 0.5 * 10.0 ** -decimals_of(printed_total), 0.5 * 10.0 ** -decimals_of(printed_annual)
    lo, hi = max(t - ht, (a - ha) * n_years), min(t + ht, (a + ha) * n_years)
    return (lo, hi) if lo < hi else None


def sensitivity_summary(sens: pd.DataFrame) -> pd.DataFrame:
    """The sensitivity table by arithmetic and unit cost: range of total and annual, and fits.

    Returns
    -------
    DataFrame
        ``count_method, basis, total_min, total_max, annual_min, annual_max, n_total, n_annual,
        n_both`` (counts of end-of-range combinations reproducing each printed figure).
    """
    g = sens.groupby(["count_method", "basis"], sort=False)
    out = g.agg(total_min=("total", "min"), total_max=("total", "max"),
                annual_min=("annual", "min"), annual_max=("annual", "max"),
                n_total=("total_status", lambda s: int((s == checks.REPRODUCED).sum())),
                n_annual=("annual_status", lambda s: int((s == checks.REPRODUCED).sum())),
                n_both=("both", "sum")).reset_index()
    out["n_both"] = out["n_both"].astype(int)
    order = {m: i for i, m in enumerate(COUNT_METHODS)}
    border = {b: i for i, b in enumerate(UNIT_COST_BASES)}
    return (out.assign(_a=out["count_method"].map(order), _b=out["basis"].map(border))
            .sort_values(["_a", "_b"]).drop(columns=["_a", "_b"]).reset_index(drop=True))


# --- 2. the defensible estimate --------------------------------------------------------------


def counterfactual_rates(national: pd.DataFrame, area_code: str, comparator_code: str,
                         pre_period: Sequence[str], years: Sequence[str],
                         method: CounterfactualMethod = "did_ratio") -> pd.DataFrame:
    """The rate the area would have had without the change: pre-period rate, comparator trend.

    ``did_ratio``: expected = area's pre-period mean x (comparator's rate that
    year / comparator's pre-period mean), a difference in differences on the
    log scale.  ``did_difference``: expected = area's pre-period mean +
    (comparator's rate - comparator's pre-period mean).  ``pre_period_rate``:
    the area's pre-period mean, unchanged.

    Parameters
    ----------
    national : DataFrame
        From :func:`load_national`.
    area_code, comparator_code : str
    pre_period, years : sequence of str
    method : str

    Returns
    -------
    DataFrame
        ``period, dsr_observed, comparator_dsr, comparator_index, dsr_expected,
        dsr_difference, method``.

    Notes
    -----
    Difference in differences (e.g. Angrist and Pischke, *Mostly Harmless
    Econometrics*, 2009, ch. 5) on the directly standardised rates: the
    comparator's change stands for what would have happened anyway.

    Examples
    --------
    Area pre-period mean 2,000; comparator pre-period mean 1,000 rising to
    1,100 (+10%): expected 2,200 on ratios, 2,100 on differences.

    >>> n = pd.DataFrame({"area_code": ["A"] * 3 + ["E"] * 3, "area_name": [""] * 6,
    ...                   "period": ["2010/11", "2011/12", "2012/13"] * 2,
    ...                   "dsr": [2000.0, 2000, 1500, 1000, 1000, 1100]})
    >>> [float(counterfactual_rates(n, "A", "E", ["2010/11", "2011/12"], ["2012/13"], m)
    ...  ["dsr_expected"].iloc[0]) for m in ("did_ratio", "did_difference", "pre_period_rate")]
    [2200.0, 2100.0, 2000.0]
    """
    area = area_rates(national, area_code)
    comp = area_rates(national, comparator_code)
    for y in list(pre_period) + list(years):
        for s, who in ((area, area_code), (comp, comparator_code)):
            if y not in s.index or pd.isna(s[y]):
                raise DataError(NATIONAL_FILE, f"no rate for {who} in {y}", column="value")
    a0 = float(np.mean([area[y] for y in pre_period]))
    c0 = float(np.mean([comp[y] for y in pre_period]))
    rows = []
    for y in years:
        cy = float(comp[y])
        if method == "did_ratio":
            exp = a0 * cy / c0
        elif method == "did_difference":
            exp = a0 + (cy - c0)
        elif method == "pre_period_rate":
            exp = a0
        else:
            raise ValueError(f"unknown counterfactual method {method!r}")
        rows.append({"period": y, "dsr_observed": float(area[y]), "comparator_dsr": cy,
                     "comparator_index": cy / c0, "dsr_expected": exp,
                     "dsr_difference": exp - float(area[y]), "method": method})
    return pd.DataFrame(rows)


def rate_intervals(rates: pd.DataFrame, counts: Mapping[str, float],
                   confidence: float = 0.95) -> pd.DataFrame:
    """Intervals on the area's standardised rate in the years whose count is shipped.

    Parameters
    ----------
    rates : DataFrame
        ``period, area``: the area's DSR per 100,000.
    counts : mapping
        Financial year -> the year's admissions (the printed counts).
    confidence : float

    Returns
    -------
    DataFrame
        ``period, dsr, count, lower, upper, method``.

    Notes
    -----
    Dobson's method (Dobson et al. 1991; as Fingertips) needs the age-specific
    counts, which are not shipped.  With the total count O only, the DSR's
    variance is taken as DSR² / O (exact when every event carries the same
    weight), so the limits are DSR x L / O and DSR x U / O, with L and U
    Byar's limits on O.  The intervals describe the year's admissions as a
    sample of the underlying risk; they are approximate.

    Examples
    --------
    100 admissions and a rate of 1,000: Byar's 95% limits on 100 are 81.36 and
    121.63, so the rate's are 813.6 and 1,216.3.

    >>> r = rate_intervals(pd.DataFrame({"period": ["2011/12"], "area": [1000.0]}),
    ...                    {"2011/12": 100})
    >>> [round(float(v), 1) for v in r[["lower", "upper"]].iloc[0]]
    [813.6, 1216.3]
    """
    from hwb import stats

    rows = []
    r = rates.set_index("period")["area"]
    for y, o in counts.items():
        ci = stats.byar_ci(int(round(o)), conf=confidence)
        rows.append({"period": y, "dsr": float(r[y]), "count": float(o),
                     "lower": float(r[y]) * float(ci.lower) / o,
                     "upper": float(r[y]) * float(ci.upper) / o,
                     "method": f"Dobson's method on the total count (Byar), {confidence:.0%}"})
    return pd.DataFrame(rows)


def _poisson_ci(count: float, confidence: float) -> tuple[float, float, str]:
    """Limits of a count by :func:`hwb.stats.poisson_ci` (exact below 10, Byar from 10)."""
    from hwb import stats

    x = int(round(count))
    ci = stats.poisson_ci(x, conf=confidence)
    method = "exact Poisson" if x < 10 else "Byar's method"
    return float(ci.lower), float(ci.upper), method


def avoided_admissions(cf: pd.DataFrame, counts: pd.DataFrame, pre_counts: float,
                       confidence: float = 0.95) -> pd.DataFrame:
    """Admissions avoided each year: expected (counterfactual) minus observed, with intervals.

    Expected = counterfactual rate x the year's effective denominator.  The
    range combines two Poisson intervals at ``confidence``: the observed
    count's (taken from the low and high ends of an estimated count's range,
    see :func:`estimate_counts`), and the pre-period count's (which scales the
    counterfactual rate).  The low end takes the low pre-period rate and the
    high observed count; the high end the reverse, so the range is wider than
    a single interval at ``confidence``.

    Parameters
    ----------
    cf : DataFrame
        From :func:`counterfactual_rates`.
    counts : DataFrame
        From :func:`estimate_counts`, covering ``cf``'s years.
    pre_counts : float
        Admissions in the pre-period (printed or estimated), for the precision of its rate.
    confidence : float

    Returns
    -------
    DataFrame
        One row a year and a ``Total`` row: ``period, expected, observed, observed_lower,
        observed_upper, avoided, avoided_low, avoided_high, confidence, method``.

    Notes
    -----
    Exact Poisson limits (Garwood 1936) as recommended by PHE/OHID Fingertips
    for counts; for a total the observed counts are summed first (a sum of
    Poisson counts is Poisson).
    """
    c = counts.set_index("period")
    plo, phi, pmethod = _poisson_ci(pre_counts, confidence)
    rl, rh = plo / round(pre_counts), phi / round(pre_counts)
    rows = []
    for _, r in cf.iterrows():
        y = r["period"]
        if y not in c.index:
            raise DataError(NATIONAL_FILE, f"no count estimate for {y}", column="period")
        d = float(c.loc[y, "denominator"])
        exp = float(r["dsr_expected"]) * d / PER
        obs = float(c.loc[y, "count"])
        lo = _poisson_ci(float(c.loc[y, "count_low"]), confidence)[0]
        hi = _poisson_ci(float(c.loc[y, "count_high"]), confidence)[1]
        rows.append({"period": y, "expected": exp, "observed": obs, "observed_lower": lo,
                     "observed_upper": hi, "avoided": exp - obs, "avoided_low": exp * rl - hi,
                     "avoided_high": exp * rh - lo})
    df = pd.DataFrame(rows)
    sub = c.loc[list(cf["period"])]
    exp_t, obs_t = float(df["expected"].sum()), float(df["observed"].sum())
    lo = _poisson_ci(float(sub["count_low"].sum()), confidence)[0]
    _, hi, method = _poisson_ci(float(sub["count_high"].sum()), confidence)
    total = {"period": "Total", "expected": exp_t, "observed": obs_t, "observed_lower": lo,
             "observed_upper": hi, "avoided": exp_t - obs_t, "avoided_low": exp_t * rl - hi,
             "avoided_high": exp_t * rh - lo}
    df = pd.concat([df, pd.DataFrame([total])], ignore_index=True)
    df["confidence"] = confidence
    df["method"] = f"{method} on observed and pre-period counts"
    if pmethod != method:
        df["method"] = f"{method} (observed), {pmethod} (pre-period)"
    return df


def savings_scenarios(avoided: pd.DataFrame, costs: pd.DataFrame, basis: UnitCostBasis,
                      service_cost_per_year: float, n_years: int) -> pd.DataFrame:
    """Low, central and high savings, gross and net of the service's own cost.

    Low takes the low end of admissions avoided and of the unit cost; high the
    high ends; central the central values.

    Parameters
    ----------
    avoided : DataFrame
        From :func:`avoided_admissions` (its ``Total`` row is used).
    costs : DataFrame
        From :func:`unit_costs`.
    basis : str
        The unit cost used.
    service_cost_per_year : float
        The service's own cost, £ a year.
    n_years : int

    Returns
    -------
    DataFrame
        ``scenario, admissions_avoided, unit_cost, gross, service_cost, net``, £.

    Examples
    --------
    >>> a = pd.DataFrame({"period": ["Total"], "avoided": [100.0], "avoided_low": [50.0],
    ...                   "avoided_high": [150.0]})
    >>> u = pd.DataFrame({"basis": ["incremental"], "per_person": [7000.0],
    ...                   "per_person_low": [6500.0], "per_person_high": [7500.0]})
    >>> savings_scenarios(a, u, "incremental", 100_000, 2)["net"].tolist()
    [125000.0, 500000.0, 925000.0]
    """
    tot = avoided.set_index("period").loc["Total"]
    u = costs.set_index("basis").loc[basis]
    service = service_cost_per_year * n_years
    rows = []
    ends = (("low", "avoided_low", "per_person_low"), ("central", "avoided", "per_person"),
            ("high", "avoided_high", "per_person_high"))
    for name, a, k in ends:
        gross = float(tot[a]) * float(u[k])
        rows.append({"scenario": name, "admissions_avoided": float(tot[a]),
                     "unit_cost": float(u[k]), "gross": gross, "service_cost": service,
                     "net": gross - service})
    return pd.DataFrame(rows)


def estimate_sensitivity(national: pd.DataFrame, counts: pd.DataFrame, costs: pd.DataFrame,
                         params: FallsParams, pre_counts: float,
                         service_cost_per_year: float | None = None) -> pd.DataFrame:
    """The defensible estimate under every counterfactual method and unit cost.

    Returns
    -------
    DataFrame
        ``counterfactual_method, basis, admissions_avoided, avoided_low, avoided_high,
        net, net_low, net_high`` (£) over the evaluation years; the parameters' own choice is
        flagged in ``chosen``.  ``service_cost_per_year`` (£, in the costs' prices) defaults
        to the parameter's.
    """
    if service_cost_per_year is None:
        service_cost_per_year = params.falls_service_annual_cost_gbp
    rows = []
    for method in ("did_ratio", "did_difference", "pre_period_rate"):
        cf = counterfactual_rates(national, params.area_code, params.comparator_code,
                                  params.pre_period, params.evaluation_years,
                                  method)  # type: ignore[arg-type]
        av = avoided_admissions(cf, counts, pre_counts, params.confidence)
        for basis in UNIT_COST_BASES:
            sc = savings_scenarios(av, costs, basis,  # type: ignore[arg-type]
                                   service_cost_per_year,
                                   len(params.evaluation_years)).set_index("scenario")
            rows.append({"counterfactual_method": method, "basis": basis,
                         "admissions_avoided": sc.loc["central", "admissions_avoided"],
                         "avoided_low": sc.loc["low", "admissions_avoided"],
                         "avoided_high": sc.loc["high", "admissions_avoided"],
                         "net": sc.loc["central", "net"], "net_low": sc.loc["low", "net"],
                         "net_high": sc.loc["high", "net"],
                         "chosen": method == params.counterfactual_method
                         and basis == params.unit_cost_basis})
    return pd.DataFrame(rows)


# --- 3. national context ---------------------------------------------------------------------


# --- assumptions -----------------------------------------------------------------------------

RAG = ("red", "amber", "green")


def assumptions_log(params: FallsParams, price_basis: str = "") -> pd.DataFrame:
    """The assumptions of both estimates, each rated for quality of evidence and impact (RAG).

    Quality: green = cited data used as published; amber = derived or
    interpolated from cited data; red = assumed without local evidence.
    Impact: the effect on the saving if the assumption is wrong: red = could
    change its sign or its order of magnitude; amber = tens of per cent;
    green = a few per cent.

    Returns
    -------
    DataFrame
        ``id, assumption, applies_to, basis, quality, impact``.
    """
    cf = {"did_ratio": "the comparator's proportional change in rate",
          "did_difference": "the comparator's change in rate (per 100,000)",
          "pre_period_rate": "no change (the pre-period rate held flat)"
          }[params.counterfactual_method]
    rows = [
        ("A1", "The printed counts are this indicator's emergency admissions for falls aged 65+ "
               "(the paper words them as people with an injury due to a fall).",
         "both", "the indicator's definition; the printed counts fit its rates with a plausible "
                 "65+ age mix (see Data quality)",
         "amber", "amber"),
        ("A2", "Counts in years without a printed count follow the standardised rate times an "
               "effective 65+ denominator interpolated between the printed years.",
         "both", "derived from cited rates and printed counts", "amber", "amber"),
        ("A3", f"Without the falls service the area's rate would have followed {cf}, starting "
               f"from its mean over {', '.join(params.pre_period)}.",
         "defensible estimate", "difference in differences on published rates; parallel "
                                "trends cannot be tested with so short a pre-period",
         "amber", "red"),
        ("A4", "The whole change in the area's rate against the counterfactual is due to the "
               "falls service (and not to coding, recording or other services).",
         "both", "assumed; the steep one-year drop and later rebound suggest recording effects",
         "red", "red"),
        ("A5", "The claim counts every year's fall from the baseline year as prevented "
               "(the baseline year would have repeated).",
         "claim reconstruction", "the paper's own method as described", "red", "red"),
        ("A6", "A prevented admission saves the Torbay incremental cost (admission plus the "
               "12 months after, less the 12 months before).",
         "defensible estimate", "The King's Fund 2013 (Torbay, one area, one cohort)", "amber",
         "amber"),
        ("A7", f"Torbay costs apply to {params.area_name}.", "both",
         "assumed; no local costing published", "red", "amber"),
        ("A8", f"The defensible estimate's costs are in {params.price_year} prices: the Torbay "
               f"costs and the service's {params.falls_service_cost_year} cost moved with the GDP "
               "deflator (" + prices.CONVENTION + "). The claim's rebuild keeps the Torbay "
               "study's own prices, as the paper did.",
         "both", (price_basis + "; " if price_basis else "") + prices.DEFLATOR_SOURCE,
         "green", "amber"),
        ("A9", "The falls service's cost is the same in every year evaluated.",
         "defensible estimate", params.falls_service_cost_source or "stated as an assumption",
         "red", "amber"),
        ("A10", "The Torbay totals are exact to their printed £0.1m; the range carries ±£0.05m "
                "on each total.", "both", "The King's Fund 2013 as printed", "green", "green"),
        ("A11", "The age mix within 65+ after the last printed count stays as it was then.",
         "defensible estimate (later years)", "derived; printed 65+ population", "amber",
         "green"),
    ]
    df = pd.DataFrame(rows, columns=["id", "assumption", "applies_to", "basis", "quality",
                                     "impact"])
    assert df["quality"].isin(RAG).all() and df["impact"].isin(RAG).all()
    return df


def check_price_year(params: FallsParams, torbay: pd.DataFrame, file: str = "") -> str:
    """The Torbay costs' own price year, read from their ``price_basis`` text.

    Raises
    ------
    DataError
        The price basis does not name its year as ``YYYY/YY prices``.
    """
    basis = str(torbay["price_basis"].iloc[0])
    own = re.search(r"(\d{4}/\d{2}) prices", basis)
    if own is None:
        raise DataError(TORBAY_FILE, "price_basis must name its price year as 'YYYY/YY prices'",
                        column="price_basis", value=basis)
    return own.group(1)


def headline_range(es: pd.DataFrame, column_low: str = "net_low",
                   column_high: str = "net_high") -> tuple[float, float]:
    """The range of the net saving over every counterfactual and unit cost.

    By default the lowest low end and the highest high end of
    :func:`estimate_sensitivity`: the headline range carries the choice of
    counterfactual and of unit cost as well as the intervals on the counts.
    With both columns ``"net"``, the range of the central estimates.

    Examples
    --------
    >>> es = pd.DataFrame({"net": [4.0, 12.0], "net_low": [2.0, 5.0], "net_high": [9.0, 18.0]})
    >>> headline_range(es), headline_range(es, "net", "net")
    ((2.0, 18.0), (4.0, 12.0))
    """
    return float(es[column_low].min()), float(es[column_high].max())


def printed_count(printed: pd.DataFrame, figure_id: str) -> float:
    """A printed count from the board's printed figures (inputs of the reconstruction)."""
    from hwb.fmt import parse_number

    return parse_number(printed_text(printed, figure_id))


@dataclass(frozen=True)
class FallsAnalysis:
    """Every table of one run of the falls paper (see :func:`analyse`)."""

    params: FallsParams
    rates: pd.DataFrame
    """``period, area, comparator``: the two DSR series."""
    counts: pd.DataFrame
    """From :func:`estimate_counts`."""
    costs: pd.DataFrame
    """From :func:`unit_costs`."""
    sensitivity: pd.DataFrame
    """From :func:`sensitivity_table`."""
    summary: pd.DataFrame
    """From :func:`sensitivity_summary`."""
    claim_falls_prevented: float
    claim_total: float
    """The headline reconstruction's total, £."""
    counterfactual: pd.DataFrame
    """From :func:`counterfactual_rates` for the evaluation and later years."""
    avoided: pd.DataFrame
    """From :func:`avoided_admissions`, evaluation years."""
    avoided_later: pd.DataFrame
    """From :func:`avoided_admissions`, later years (empty when none)."""
    scenarios: pd.DataFrame
    """From :func:`savings_scenarios`, evaluation years."""
    scenarios_later: pd.DataFrame
    """From :func:`savings_scenarios`, later years (empty when none)."""
    national: pd.DataFrame
    """From :func:`national_change`."""
    estimate_sensitivity: pd.DataFrame
    """From :func:`estimate_sensitivity`."""
    assumptions: pd.DataFrame
    baseline_count: float
    final_count: float
    price_basis: str
    pre_period_count: float
    costs_priced: pd.DataFrame
    """:attr:`costs` moved to the price year (the defensible estimate's unit costs)."""
    torbay_price_year: str
    """The Torbay costs' own price year."""
    cost_factor: float
    """GDP deflator factor from the Torbay price year to ``params.price_year``."""
    service_cost_factor: float
    """GDP deflator factor from the service cost's year to ``params.price_year``."""
    service_cost_per_year: float
    """The service's cost a year in ``params.price_year`` prices, £."""

    @property
    def claim_annual(self) -> float:
        """The headline reconstruction's average a year, £."""
        return self.claim_total / len(self.params.evaluation_years)


def analyse(params: FallsParams, printed: pd.DataFrame, *, national: pd.DataFrame | None = None,
            torbay: pd.DataFrame | None = None, population: pd.Series | None = None,
            deflator: pd.Series | None = None, params_file: str = "") -> FallsAnalysis:
    """Run the whole paper for one board: reconstruction, defensible estimate, national context.

    Parameters
    ----------
    params : FallsParams
    printed : DataFrame
        The board's printed figures (:func:`hwb.toolkit.figures.load_printed`); the
        printed counts of the baseline and last evaluation year are inputs.
    national, torbay, population, deflator : optional
        Loaded inputs (loaded from ``data/falls/`` when not given).
    params_file : str
        Named in a parameter error.

    Returns
    -------
    FallsAnalysis
    """
    national = load_national() if national is None else national
    torbay = load_torbay() if torbay is None else torbay
    population = load_population(params.area_code) if population is None else population
    torbay_year = check_price_year(params, torbay, params_file)
    price_basis = str(torbay["price_basis"].iloc[0])
    deflator = prices.load_deflator() if deflator is None else deflator
    cost_factor = prices.uplift_factor(deflator, torbay_year, params.price_year, params_file)
    service_factor = prices.uplift_factor(deflator, params.falls_service_cost_year,
                                          params.price_year, params_file)
    service_cost = params.falls_service_annual_cost_gbp * service_factor
    base_id = "admissions_" + params.baseline_year.replace("/", "_")
    final_id = "admissions_" + params.evaluation_years[-1].replace("/", "_")
    base_n, final_n = printed_count(printed, base_id), printed_count(printed, final_id)
    area = area_rates(national, params.area_code)
    comp = area_rates(national, params.comparator_code)
    rates = pd.DataFrame({"period": area.index, "area": area.to_numpy(),
                          "comparator": comp.reindex(area.index).to_numpy()})
    counts = estimate_counts(area.dropna(), {params.baseline_year: base_n,
                                             params.evaluation_years[-1]: final_n}, population)
    costs = unit_costs(torbay)
    priced = prices.price_costs(costs, cost_factor)
    years = params.evaluation_years
    p_total = printed_text(printed, "saving_total")
    p_annual = printed_text(printed, "saving_annual")
    sens = sensitivity_table(counts, costs, params.baseline_year, years, p_total, p_annual)
    fp = falls_prevented(counts, params.baseline_year, years, params.claim_count_method)
    unit = float(costs.set_index("basis").loc[params.claim_unit_cost_basis, "per_person"])
    cf_all = counterfactual_rates(national, params.area_code, params.comparator_code,
                                  params.pre_period, years + params.later_years,
                                  params.counterfactual_method)
    c = counts.set_index("period")
    pre_n = float(c.loc[params.pre_period, "count"].sum())
    cf_eval = cf_all[cf_all["period"].isin(years)]
    avoided = avoided_admissions(cf_eval, counts, pre_n, params.confidence)
    scen = savings_scenarios(avoided, priced, params.unit_cost_basis, service_cost, len(years))
    if params.later_years:
        cf_later = cf_all[cf_all["period"].isin(params.later_years)]
        avoided_later = avoided_admissions(cf_later, counts, pre_n, params.confidence)
        scen_later = savings_scenarios(avoided_later, priced, params.unit_cost_basis,
                                       service_cost, len(params.later_years))
    else:
        avoided_later, scen_later = pd.DataFrame(), pd.DataFrame()
    nat = national_change(national, params.national_start, params.national_end,
                          params.comparator_code)
    return FallsAnalysis(
        params=params, rates=rates, counts=counts, costs=costs, sensitivity=sens,
        summary=sensitivity_summary(sens), claim_falls_prevented=fp, claim_total=fp * unit,
        counterfactual=cf_all, avoided=avoided, avoided_later=avoided_later, scenarios=scen,
        scenarios_later=scen_later, national=nat,
        estimate_sensitivity=estimate_sensitivity(national, counts, priced, params, pre_n,
                                                  service_cost),
        assumptions=assumptions_log(params, price_basis), baseline_count=base_n,
        final_count=final_n, price_basis=price_basis, pre_period_count=pre_n,
        costs_priced=priced, torbay_price_year=torbay_year, cost_factor=cost_factor,
        service_cost_factor=service_factor, service_cost_per_year=service_cost)


def printed_text(printed: pd.DataFrame, figure_id: str) -> str:
    """A printed figure's value as printed (text), from the board's printed figures."""
    row = printed[printed["figure_id"] == figure_id]
    if row.empty:
        raise DataError(PRINTED_FILE, f"no printed figure {figure_id!r} for this board",
                        column="figure_id")
    return str(row["value"].iloc[0])


def claim_alternatives(sens: pd.DataFrame, column: str, scale: float = 1e6) -> dict[str, float]:
    """Every sensitivity candidate by name, joint fits first, as ``alternatives`` for
    :func:`hwb.toolkit.checks.compare` (values in the printed units, e.g. £m)."""
    ordered = pd.concat([sens[sens["both"]], sens[~sens["both"]]])
    return {str(r["candidate"]): float(r[column]) for _, r in ordered.iterrows()}
