"""The equity audit paper: do services reach people from the most deprived areas?

An equity audit compares the share of a service's clients who live in some
deprived areas with the share of the population that lives there (the
*expected* share).  Rotherham's Health and Wellbeing Board (20 September 2017,
item 14) received one for its public-health services; this module

1. reads the audit's printed table back into a tidy frame (:func:`printed_table`);
2. finds which interval method and decision rule reproduce the printed
   intervals, thresholds and verdicts (:func:`method_search`,
   :func:`threshold_bound_search`, :func:`verdict_rule_search`), and recovers the
   whole-number client counts consistent with each printed percentage and
   interval (:func:`recover_counts`);
3. rebuilds the table and the cover report's summary counts with that method
   (:func:`audit_table`, :func:`summary_counts`);
4. puts a better method beside it: an exact test of each service against its
   expected share (with the expected share's own uncertainty where it is
   estimated), an adjustment for testing many services at once, funnel-plot
   data and age-matched expected shares for any upper-tier authority from ONS
   small-area populations and the IMD (:func:`exact_tests`,
   :func:`adjust_pvalues`, :func:`funnel_data`, :func:`board_expected_shares`);
5. validates the audit's unit-postcode lists (:func:`validate_postcodes`).

Every interval here comes from :mod:`hwb.stats`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from hwb import stats
from hwb.errors import DataError
from hwb.fmt import decimals_of, parse_number
from hwb.papers.equity.params import DEFAULT_TITLE as DEFAULT_TITLE
from hwb.papers.equity.params import EquityParams, area_names
from hwb.papers.equity.params import areas_label_for as areas_label_for
from hwb.papers.equity.params import board_defaults as board_defaults
from hwb.papers.equity.params import plain_area_name as plain_area_name
from hwb.protocol import BUILTIN_ROOT, Paper
from hwb.sources import data, smallarea
from hwb.toolkit import figures

PRINTED_FILE = "equity/printed_figures.csv"
CLAIMS_FILE = "equity/printed_claims.csv"
"""The audit's printed statements, tested in the claims check."""
SERVICES_FILE = "equity/rotherham_services.csv"
POSTCODES_FILE = "equity/postcodes_appendix1.csv"
TEMPLATE_FILE = "equity/service_counts_template.csv"

EQUITABLE, EQUAL, UNEQUAL = "Equitable", "Equal", "Unequal"

IntervalFn = Callable[[Any, Any], tuple[Any, Any]]


# --------------------------------------------------------------------------- printed table


def split_printed(printed: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The printed figures as (numbers, words): verdicts, Y/N answers and labels have a unit in
    :data:`hwb.toolkit.figures.TEXT_UNITS`."""
    is_text = printed["unit"].isin(figures.TEXT_UNITS)
    return printed[~is_text].reset_index(drop=True), printed[is_text].reset_index(drop=True)


_FIELDS = ("share", "share_lower", "share_upper", "expected", "expected_lower", "expected_upper",
           "threshold", "threshold_lower", "threshold_upper", "verdict", "improves")


def printed_table(printed: pd.DataFrame, printed_text: pd.DataFrame,
                  services: pd.DataFrame) -> pd.DataFrame:
    """The audit's detailed table (Table 3) as one row per service, values as printed text.

    Parameters
    ----------
    printed, printed_text : pandas.DataFrame
        Printed numbers and words (:data:`hwb.toolkit.figures.PRINTED_COLUMNS`), figure ids
        ``<key>.t3.<field>``.
    services : pandas.DataFrame
        Service metadata: ``key, service, label, age_band, basis, areas, row_order``.

    Returns
    -------
    pandas.DataFrame
        ``key, service, label, age_band, basis`` and the printed text of
        :data:`_FIELDS` (blank where not printed).  A verdict printed once for
        two rows sharing a cell is given to both, with ``shared_cell`` True.
    """
    allp = pd.concat([printed, printed_text], ignore_index=True)
    vals = dict(zip(allp["figure_id"], allp["value"], strict=True))
    rows = []
    for _, s in services.sort_values("row_order").iterrows():
        row: dict[str, Any] = {c: s[c] for c in ("key", "service", "label", "age_band", "basis",
                                                 "areas")}
        shared = False
        for f in _FIELDS:
            v = vals.get(f"{s['key']}.t3.{f}", "")
            if not v and f in ("verdict", "improves"):
                # the printed table merges the cells of rows of the same service
                sib = services[(services["service"] == s["service"])
                               & (services["key"] != s["key"])]
                for k in sib["key"]:
                    if vals.get(f"{k}.t3.{f}"):
                        v, shared = vals[f"{k}.t3.{f}"], True
            row[f] = v.replace("*", "").strip()
        row["shared_cell"] = shared
        rows.append(row)
    return pd.DataFrame(rows)


def _num(text: str) -> float:
    return parse_number(text) if str(text).strip() else math.nan


# --------------------------------------------------------------------------- rounding helpers


def _matches(values: np.ndarray, printed: str, scale: float = 100.0) -> np.ndarray:
    """Which proportions, times ``scale``, round half-up to the printed text."""
    p = parse_number(printed)
    d = decimals_of(printed)
    half = 0.5 * 10.0 ** (-d)
    v = np.asarray(values, dtype=float) * scale
    eps = 1e-9
    return (v >= p - half - eps) & (v < p + half - eps)


# --------------------------------------------------------------------------- interval methods


def _level(fn: Callable[..., Any], conf: float, x: Any, n: Any) -> tuple[Any, Any]:
    return tuple(fn(x, n, conf))  # type: ignore[return-value]


def _statsmodels(confint: Callable[..., Any], method: str, x: Any, n: Any) -> tuple[Any, Any]:
    lo, hi = confint(x, n, alpha=0.05, method=method)
    return np.clip(lo, 0, 1), np.clip(hi, 0, 1)


def interval_candidates(levels: Sequence[float] = (0.90, 0.95, 0.99)) -> dict[str, IntervalFn]:
    """Interval methods a spreadsheet or a statistics package might have used, by name.

    Wilson and Clopper-Pearson come from :mod:`hwb.stats`; the Wald ("normal"),
    Agresti-Coull and Jeffreys intervals from ``statsmodels`` (skipped when it is
    not installed).

    Returns
    -------
    dict of str to callable
        ``name -> f(x, n)`` returning ``(lower, upper)`` proportions.
    """
    out: dict[str, IntervalFn] = {}
    for c in levels:
        tag = f"{c:.0%}"
        out[f"Wilson {tag}"] = partial(_level, stats.wilson_ci, c)
        out[f"Clopper-Pearson {tag}"] = partial(_level, stats.clopper_pearson_ci, c)
    try:
        from statsmodels.stats.proportion import proportion_confint
    except ImportError:  # pragma: no cover - statsmodels is a dev dependency
        return out
    for method, name in (("normal", "Wald (normal)"), ("agresti_coull", "Agresti-Coull"),
                         ("jeffreys", "Jeffreys")):
        out[f"{name} 95%"] = partial(_statsmodels, proportion_confint, method)
    return out


def candidate_pairs(share: str, n_max: int, n_min: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Whole-number ``(x, n)``, ``n_min <= n <= n_max``, whose ``100 x / n`` prints as ``share``.

    Examples
    --------
    >>> x, n = candidate_pairs("73.3", 20)
    >>> list(zip(x.tolist(), n.tolist()))
    [(11, 15)]
    """
    p = parse_number(share) / 100.0
    half = 0.5 * 10.0 ** (-decimals_of(share)) / 100.0
    n = np.arange(max(n_min, 1), n_max + 1)
    lo = np.maximum(np.ceil((p - half) * n - 1e-9), 0).astype(int)
    hi = np.minimum(np.floor((p + half) * n + 1e-9), n).astype(int)
    k = np.maximum(hi - lo + 1, 0)
    nn = np.repeat(n, k)
    start = np.repeat(lo, k)
    offs = np.arange(k.sum()) - np.repeat(np.cumsum(k) - k, k)
    xx = start + offs
    keep = _matches(xx / nn, share)
    return xx[keep], nn[keep]


def recover_counts(share: str, lower: str, upper: str, method: IntervalFn,
                   n_max: int = 3000, n_min: int = 1) -> pd.DataFrame:
    """Whole-number counts consistent with a printed percentage and its printed interval.

    Parameters
    ----------
    share, lower, upper : str
        The percentage and its limits as printed (``"73.3"``, ``"48.0"``, ``"89.1"``).
    method : callable
        ``f(x, n) -> (lower, upper)`` proportions, e.g. ``hwb.stats.wilson_ci``.
    n_max, n_min : int
        Range of denominators searched.

    Returns
    -------
    pandas.DataFrame
        ``x, n`` of every pair whose percentage and interval, rounded half-up to
        the printed decimals, equal the printed ones (empty when none fits).

    Examples
    --------
    Know The Score: 73.3% (48.0%, 89.1%) is 11 of 15 and nothing else up to 3,000.

    >>> recover_counts("73.3", "48.0", "89.1", stats.wilson_ci).values.tolist()
    [[11, 15]]
    """
    x, n = candidate_pairs(share, n_max, n_min)
    if len(x) == 0:
        return pd.DataFrame({"x": pd.Series(dtype=int), "n": pd.Series(dtype=int)})
    lo, hi = method(x.astype(float), n.astype(float))
    ok = _matches(np.asarray(lo), lower) & _matches(np.asarray(hi), upper)
    return pd.DataFrame({"x": x[ok], "n": n[ok]}).reset_index(drop=True)


def denominator_range(share: str, lower: str, upper: str, method: IntervalFn,
                      n_min: float = 100.0, n_max: float = 1e6,
                      steps: int = 4000) -> tuple[float, float] | None:
    """The denominators for which ``method`` reproduces a printed share and interval.

    For large denominators (a population) a whole-number search is too slow and
    unnecessary: this scans a geometric grid of ``n`` and, for each, shares across
    the printed share's rounding window (``x = p n`` need not be whole), and keeps
    the ``n`` at which some share prints as ``share`` with limits printing as
    ``lower`` and ``upper``.

    Returns
    -------
    (n_low, n_high) or None
        The smallest and largest such ``n`` on the grid (None when none).

    Examples
    --------
    An expected share printed 8.4% (8.3%, 8.5%): the lower limit must print as
    8.3, so the half-width is at most 0.15 points, and 1.96 √(0.084 × 0.916 / n)
    <= 0.0015 gives n >= 131,000 or so; small half-widths are allowed up to the
    end of the grid.

    >>> lo, hi = denominator_range("8.4", "8.3", "8.5", stats.wilson_ci)
    >>> 130_000 < lo < 133_000 and hi == 1e6
    True
    """
    p = parse_number(share) / 100
    half = 0.5 * 10.0 ** (-decimals_of(share)) / 100
    ps = np.linspace(p - half, p + half, 41)[:-1] + half / 40
    ns = np.geomspace(n_min, n_max, steps)
    P, N = np.meshgrid(ps, ns)
    lo, hi = method(P * N, N)
    ok = (_matches(np.asarray(lo), lower) & _matches(np.asarray(hi), upper)).any(axis=1)
    if not ok.any():
        return None
    return float(ns[ok].min()), float(ns[ok].max())


def method_search(table: pd.DataFrame, candidates: Mapping[str, IntervalFn],
                  n_max: int = 3000) -> pd.DataFrame:
    """For every candidate interval method and printed row: how many counts reproduce it.

    Returns
    -------
    pandas.DataFrame
        ``method, key, pairs`` (number of consistent ``(x, n)``), one row per method
        and service; a method reproduces a row when ``pairs > 0``.
    """
    rows = []
    for name, fn in candidates.items():
        for _, r in table.iterrows():
            k = len(recover_counts(r["share"], r["share_lower"], r["share_upper"], fn, n_max))
            rows.append({"method": name, "key": r["key"], "pairs": k})
    return pd.DataFrame(rows)


def method_summary(search: pd.DataFrame) -> pd.DataFrame:
    """Rows reproduced by each candidate method, best first (``method, rows_reproduced, rows``)."""
    g = search.groupby("method", sort=False)
    out = pd.DataFrame({"rows_reproduced": g["pairs"].apply(lambda s: int((s > 0).sum())),
                        "rows": g.size()}).reset_index()
    return out.sort_values(["rows_reproduced", "method"], ascending=[False, True]).reset_index(
        drop=True)


# --------------------------------------------------------------------------- threshold and verdict


def smallest_equitable_count(n: int, bound: float, conf: float = 0.95,
                             strict: bool = True) -> int | None:
    """The smallest client count whose Wilson lower limit clears ``bound``.

    Parameters
    ----------
    n : int
        Clients of the service.
    bound : float
        The proportion to clear (the upper limit of the expected share).
    conf : float
        Confidence level.
    strict : bool
        ``lower > bound`` (True) or ``lower >= bound``.

    Returns
    -------
    int or None
        None when even ``x = n`` does not clear it.

    Examples
    --------
    Know The Score: 15 clients, expected share's upper limit 4.32%.  Two of 15 has
    a Wilson lower limit of 3.7%; three of 15 (20.0%) has 7.1%.

    >>> smallest_equitable_count(15, 0.0432)
    3
    """
    x = np.arange(0, int(n) + 1, dtype=float)
    lo = np.asarray(stats.wilson_ci(x, np.full_like(x, float(n)), conf).lower)
    ok = lo > bound if strict else lo >= bound
    idx = np.flatnonzero(ok)
    return int(idx[0]) if idx.size else None


def threshold_matches(x_thr: int | None, n: int, row: Mapping[str, Any], conf: float) -> bool:
    """Does ``x_thr / n`` with its Wilson interval print as the row's threshold and limits?"""
    if x_thr is None or not row["threshold"]:
        return False
    lo, hi = stats.wilson_ci(x_thr, n, conf)
    ok = bool(_matches(np.array([x_thr / n]), row["threshold"])[0])
    if row["threshold_lower"]:
        ok = ok and bool(_matches(np.array([lo]), row["threshold_lower"])[0])
    if row["threshold_upper"]:
        ok = ok and bool(_matches(np.array([hi]), row["threshold_upper"])[0])
    return ok


def bound_intervals(n: int, row: Mapping[str, Any],
                    conf: float = 0.95) -> list[tuple[float, float]]:
    """Values of the expected share's unrounded upper limit that give the printed threshold.

    Under the rule "the smallest count whose Wilson lower limit exceeds the
    expected share's upper limit ``b``", a printed threshold of ``x'`` clients out
    of ``n`` means ``L(x' - 1) <= b < L(x')`` (``L`` the Wilson lower limit).
    Every ``x'`` whose own percentage and interval print as the row's threshold
    gives one such interval (percent).

    Examples
    --------
    Active for Health, 501 clients, threshold printed 11.2% (8.7%, 14.2%): 56 of
    501, so ``b`` lies between the Wilson lower limits of 55/501 and 56/501.

    >>> row = {"threshold": "11.2", "threshold_lower": "8.7", "threshold_upper": "14.2"}
    >>> [(round(a, 3), round(b, 3)) for a, b in bound_intervals(501, row)]
    [(8.532, 8.709)]
    """
    if not row["threshold"]:
        return []
    x, nn = candidate_pairs(row["threshold"], int(n), int(n))
    out = []
    for xt in x.tolist():
        if not threshold_matches(xt, int(n), row, conf) or xt == 0:
            continue
        lo_prev = stats.wilson_ci(xt - 1, int(n), conf).lower * 100
        lo_this = stats.wilson_ci(xt, int(n), conf).lower * 100
        out.append((float(lo_prev), float(lo_this)))
    return out


def threshold_bound_search(table: pd.DataFrame, pairs: Mapping[str, pd.DataFrame],
                           conf: float = 0.95, steps: int = 2001) -> pd.DataFrame:
    """Which unrounded upper limits of the expected share reproduce each printed threshold.

    For each row, the expected share's upper limit is known only to printed
    precision (8.5 means 8.45 to 8.55).  This scans that range and keeps the
    values ``b`` for which some recovered count gives the printed threshold
    under the rule of :func:`smallest_equitable_count`; rows printing the same
    expected share must agree on ``b``.

    Returns
    -------
    pandas.DataFrame
        ``key, expected_upper, fits, b_min, b_max`` (percent) per row, and
        ``group_b_min, group_b_max``: the values every row of the same expected
        share allows (NaN when they allow none in common).
    """
    rows = []
    grids: dict[str, np.ndarray] = {}
    for _, r in table.iterrows():
        u = r["expected_upper"]
        half = 0.5 * 10.0 ** (-decimals_of(u))
        grid = np.linspace(parse_number(u) - half, parse_number(u) + half, steps)[:-1]
        ok = np.zeros(grid.size, dtype=bool)
        for n in pairs[r["key"]]["n"].unique():
            for a, b in bound_intervals(int(n), r, conf):
                ok |= (grid >= a) & (grid < b)
        grids[r["key"]] = ok
        rows.append({"key": r["key"], "expected_upper": u, "fits": bool(ok.any()),
                     "b_min": float(grid[ok].min()) if ok.any() else math.nan,
                     "b_max": float(grid[ok].max()) if ok.any() else math.nan, "_grid": grid})
    out = pd.DataFrame(rows)
    gmin, gmax = [], []
    for _, r in out.iterrows():
        same = table["expected_upper"] == r["expected_upper"]
        keys = [k for k in table.loc[same, "key"] if grids[k].any()]
        ok = np.logical_and.reduce([grids[k] for k in keys]) if keys else np.zeros(1, bool)
        gmin.append(float(r["_grid"][ok].min()) if ok.any() else math.nan)
        gmax.append(float(r["_grid"][ok].max()) if ok.any() else math.nan)
    out["group_b_min"], out["group_b_max"] = gmin, gmax
    return out.drop(columns="_grid")


def relaxed(text: str) -> str:
    """A printed number with trailing zeros after the first decimal dropped ("46.40" -> "46.4").

    Examples
    --------
    >>> relaxed("46.40"), relaxed("8.00"), relaxed("4.16")
    ('46.4', '8.0', '4.16')
    """
    t = str(text).strip()
    if "." not in t:
        return t
    head, tail = t.split(".", 1)
    tail = tail.rstrip("0") or "0"
    return f"{head}.{tail}"


def recover_row(row: Mapping[str, Any], method: IntervalFn, n_max: int) -> tuple[pd.DataFrame, str]:
    """Counts for one printed row; if none fit, again with trailing zeros read as not significant.

    Returns the pairs and how they were found (``"as printed"``,
    ``"trailing zeros dropped"`` or ``"none fits"``).
    """
    got = recover_counts(row["share"], row["share_lower"], row["share_upper"], method, n_max)
    if len(got):
        return got, "as printed"
    alt = [relaxed(row[c]) for c in ("share", "share_lower", "share_upper")]
    if alt != [row[c] for c in ("share", "share_lower", "share_upper")]:
        got = recover_counts(*alt, method, n_max)
        if len(got):
            return got, "trailing zeros dropped"
    return got, "none fits"


def rebuild_inputs(table: pd.DataFrame, pairs: Mapping[str, pd.DataFrame],
                   bounds: pd.DataFrame, printed_counts: Mapping[str, tuple[float, float]],
                   conf: float = 0.95) -> pd.DataFrame:
    """Counts and expected shares to rebuild the printed table from.

    For each row: the recovered counts narrowed to those whose ``n`` gives the
    printed threshold with the expected share's upper limit inside the range
    all rows of that expected share allow (:func:`threshold_bound_search`);
    one of them chosen by :func:`choose_counts`; the expected share and lower
    limit as printed; the upper limit the middle of the allowed range (as
    printed where no range is allowed).

    Returns
    -------
    pandas.DataFrame
        ``key, service, x, n, how, pairs, pairs_after_threshold, n_min, n_max,
        expected, expected_lower, expected_upper, bound_source``.
    """
    b = bounds.set_index("key")
    rows = []
    for _, r in table.iterrows():
        cand = pairs[r["key"]]
        lo, hi = b.loc[r["key"], "group_b_min"], b.loc[r["key"], "group_b_max"]
        if not math.isnan(lo):
            good = [n for n in cand["n"].unique()
                    if any(a <= hi and lo < c for a, c in bound_intervals(int(n), r, conf))]
            narrowed = cand[cand["n"].isin(good)] if good else cand
            upper, src = (lo + hi) / 2, "middle of the range every threshold allows"
        else:
            narrowed, upper, src = cand, _num(r["expected_upper"]), "as printed"
        px, pn = printed_counts.get(r["key"], (math.nan, math.nan))
        x, n, how = choose_counts(narrowed, px, pn)
        rows.append({"key": r["key"], "service": r["service"], "x": x, "n": n, "how": how,
                     "pairs": len(cand), "pairs_after_threshold": len(narrowed),
                     "n_min": int(narrowed["n"].min()), "n_max": int(narrowed["n"].max()),
                     "expected": _num(r["expected"]), "expected_lower": _num(r["expected_lower"]),
                     "expected_upper": upper, "bound_source": src})
    return pd.DataFrame(rows)


def verdict(lower: float, upper: float, exp_lower: float, exp_upper: float) -> str:
    """The audit's verdict from non-overlapping intervals.

    ``Equitable`` when the service's lower limit is above the expected share's
    upper limit, ``Unequal`` when its upper limit is below the expected share's
    lower limit, ``Equal`` when the intervals overlap.

    Examples
    --------
    >>> verdict(48.0, 89.1, 4.00, 4.32), verdict(3.6, 7.5, 8.3, 8.5), verdict(6.3, 8.5, 8.3, 8.5)
    ('Equitable', 'Unequal', 'Equal')
    """
    if lower > exp_upper:
        return EQUITABLE
    if upper < exp_lower:
        return UNEQUAL
    return EQUAL


def verdict_point(share: float, expected: float) -> str:
    """The alternative reading of footnote (b): the share against the expected share alone.

    Examples
    --------
    >>> verdict_point(41.2, 42.2), verdict_point(45.0, 42.2)
    ('Unequal', 'Equitable')
    """
    return EQUITABLE if share > expected else UNEQUAL if share < expected else EQUAL


def verdict_rule_search(table: pd.DataFrame) -> pd.DataFrame:
    """Each candidate verdict rule against each printed verdict.

    Returns ``rule, key, printed, computed, same``.
    """
    rows = []
    for _, r in table.iterrows():
        cands = {
            "intervals do not overlap (lower > upper)": verdict(
                _num(r["share_lower"]), _num(r["share_upper"]), _num(r["expected_lower"]),
                _num(r["expected_upper"])),
            "share against expected share (footnote b)": verdict_point(
                _num(r["share"]), _num(r["expected"])),
        }
        for rule, v in cands.items():
            rows.append({"rule": rule, "key": r["key"], "printed": r["verdict"], "computed": v,
                         "same": v.lower() == str(r["verdict"]).lower()})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- the rebuilt table


def choose_counts(pairs: pd.DataFrame, printed_x: float | None = None,
                  printed_n: float | None = None) -> tuple[int, int, str]:
    """One count from a recovered set, to rebuild the table with.

    The printed count when the paper gives it and it is in the set; otherwise the
    member with the median ``n`` (every member reproduces the printed share and
    interval, so the choice changes nothing printed).

    Returns
    -------
    (x, n, how)
    """
    if pairs.empty:
        raise DataError("recover_counts", "no whole-number count reproduces the printed figures")
    has_x = printed_x is not None and not math.isnan(printed_x)
    has_n = printed_n is not None and not math.isnan(printed_n)
    if has_n:
        hit = pairs[pairs["n"] == printed_n]
        if has_x:
            hit = hit[hit["x"] == printed_x]
        if not hit.empty:
            return int(hit["x"].iloc[0]), int(hit["n"].iloc[0]), "printed count"
    if has_x:
        hit = pairs[pairs["x"] == printed_x].sort_values("n")
        if not hit.empty:
            m = hit.iloc[len(hit) // 2]
            return int(m["x"]), int(m["n"]), "printed numerator, median of the recovered set"
    m = pairs.sort_values(["n", "x"]).iloc[len(pairs) // 2]
    return int(m["x"]), int(m["n"]), "median of the recovered set"


def audit_table(counts: pd.DataFrame, conf: float = 0.95) -> pd.DataFrame:
    """The audit's table computed from counts and expected shares, by the audit's own method.

    Parameters
    ----------
    counts : pandas.DataFrame
        ``key, x, n, expected, expected_lower, expected_upper`` (percentages).
    conf : float
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        Adds ``share, share_lower, share_upper`` (Wilson), ``threshold_x,
        threshold, threshold_lower, threshold_upper`` (smallest count whose
        Wilson lower limit is above the expected upper limit), ``verdict``,
        ``improves`` (Y/N), ``below_expected``, ``method``.
    """
    out = counts.copy()
    lo, hi = stats.wilson_ci(out["x"].to_numpy(float), out["n"].to_numpy(float), conf)
    out["share"] = 100 * out["x"] / out["n"]
    out["share_lower"], out["share_upper"] = 100 * np.asarray(lo), 100 * np.asarray(hi)
    thr = [smallest_equitable_count(int(n), eu / 100, conf)
           for n, eu in zip(out["n"], out["expected_upper"], strict=True)]
    out["threshold_x"] = thr
    tl, tu = [], []
    for t, n in zip(thr, out["n"], strict=True):
        if t is None:
            tl.append(math.nan)
            tu.append(math.nan)
        else:
            a, b = stats.wilson_ci(t, int(n), conf)
            tl.append(100 * a)
            tu.append(100 * b)
    out["threshold"] = [100 * t / n if t is not None else math.nan
                        for t, n in zip(thr, out["n"], strict=True)]
    out["threshold_lower"], out["threshold_upper"] = tl, tu
    out["verdict"] = [verdict(a, b, c, d) for a, b, c, d in zip(
        out["share_lower"], out["share_upper"], out["expected_lower"], out["expected_upper"],
        strict=True)]
    out["improves"] = np.where(out["verdict"] == EQUITABLE, "Y", "N")
    out["below_expected"] = out["share"] < out["expected"]
    out["method"] = f"Wilson score, {conf:.0%}"
    return out


def summary_counts(table: pd.DataFrame, group: str = "service") -> dict[str, int]:
    """The cover report's counts of services at each verdict.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`audit_table`, with a ``service`` column naming the service
        each row belongs to (two rows of one service count once).
    group : str
        Column that identifies a service; pass ``"key"`` to count rows.

    Returns
    -------
    dict
        ``analysed, equal_or_better, equitable, equal, unequal, below_expected``.
        A service with rows of different verdicts takes its worst verdict; it is
        below expected if any row is.

    Examples
    --------
    >>> t = pd.DataFrame({"service": ["A", "B", "B", "C"],
    ...                   "verdict": ["Equitable", "Equal", "Equal", "Unequal"],
    ...                   "below_expected": [False, True, True, True]})
    >>> s = summary_counts(t)
    >>> s["analysed"], s["equal_or_better"], s["equal"], s["unequal"], s["below_expected"]
    (3, 2, 1, 1, 2)
    """
    rank = {EQUITABLE: 0, EQUAL: 1, UNEQUAL: 2}
    g = table.groupby(group, sort=False)
    worst = g["verdict"].agg(lambda s: max(s, key=lambda v: rank[v]))
    below = g["below_expected"].any()
    return {
        "analysed": int(len(worst)),
        "equal_or_better": int((worst != UNEQUAL).sum()),
        "equitable": int((worst == EQUITABLE).sum()),
        "equal": int((worst == EQUAL).sum()),
        "unequal": int((worst == UNEQUAL).sum()),
        "below_expected": int(below.sum()),
    }


# --------------------------------------------------------------------------- the better method


def exact_tests(df: pd.DataFrame) -> pd.DataFrame:
    """Exact binomial tests of each service's share against its expected share.

    Parameters
    ----------
    df : pandas.DataFrame
        ``key, x, n, expected`` (percent) and optionally ``population_selected,
        population_total``: the population counts the expected share comes from.

    Returns
    -------
    pandas.DataFrame
        Adds ``p_two_sided``, ``p_more`` (one-sided: more clients from the areas
        than expected), ``p_fewer`` and ``test``; where population counts are
        given, ``expected`` is their share (percent).

    Notes
    -----
    The exact binomial test of the clients from the areas, ``x`` of ``n``,
    against the expected share ``p0`` (``scipy.stats.binomtest``; two-sided
    p-value by the method of small p-values; Clopper & Pearson 1934).  The
    expected share is a population share from ONS mid-year estimates: a
    near-census count, not a sample, so it is taken as fixed.  Testing it as a
    sample (Fisher's exact test of clients against residents) would treat the
    estimate's size as evidence and give p-values of 1e-296 that mean nothing.

    Examples
    --------
    11 of 15 clients against 4.16%: P(X >= 11) is below 1e-10.

    >>> t = exact_tests(pd.DataFrame({"key": ["a"], "x": [11], "n": [15], "expected": [4.16]}))
    >>> t.test.iloc[0], bool(t.p_more.iloc[0] < 1e-10)
    ('exact binomial', True)

    10 of 20 against 100 of 1,000 residents is tested against 10%:

    >>> t = exact_tests(pd.DataFrame({"key": ["b"], "x": [10], "n": [20], "expected": [9.0],
    ...                               "population_selected": [100], "population_total": [1000]}))
    >>> float(t.expected.iloc[0]), t.test.iloc[0]
    (10.0, 'exact binomial (expected share from population estimates)')
    """
    from scipy import stats as _st  # imported on use: a second to import
    out = df.copy()
    two, more, fewer, test, expected = [], [], [], [], []
    for _, r in out.iterrows():
        x, n = int(r["x"]), int(r["n"])
        ps, pt = r.get("population_selected"), r.get("population_total")
        if ps is not None and pt is not None and pd.notna(ps) and pd.notna(pt):
            p0 = float(ps) / float(pt)
            test.append("exact binomial (expected share from population estimates)")
        else:
            p0 = float(r["expected"]) / 100
            test.append("exact binomial")
        expected.append(100 * p0)
        two.append(_st.binomtest(x, n, p0, alternative="two-sided").pvalue)
        more.append(_st.binomtest(x, n, p0, alternative="greater").pvalue)
        fewer.append(_st.binomtest(x, n, p0, alternative="less").pvalue)
    out["expected"] = expected
    out["p_two_sided"], out["p_more"], out["p_fewer"], out["test"] = two, more, fewer, test
    return out


P_FLOOR = 0.001
"""Smallest p-value shown as a number; smaller ones are shown as "< 0.001"."""


def format_p(p: float, floor: float = P_FLOOR) -> str:
    """A p-value for a table, shown to a floor.

    Below ``floor`` a p-value says only that chance is implausible; its digits
    depend on the tail of a model, not on the data, so they are not shown.

    Examples
    --------
    >>> format_p(2.1e-296), format_p(0.0123), format_p(0.5), format_p(1.0)
    ('< 0.001', '0.012', '0.50', '1.0')
    >>> format_p(float("nan"))
    '[x]'
    """
    if p is None or math.isnan(p):
        return "[x]"
    if p < floor:
        return f"< {floor:g}"
    return f"{p:.2g}" if p < 0.1 else (f"{p:.2f}" if p < 1 else "1.0")


def p_range(pairs: pd.DataFrame, expected: float, population_selected: float = math.nan,
            population_total: float = math.nan) -> tuple[float, float]:
    """Smallest and largest two-sided exact p-value over every count in a recovered set.

    Shows whether a test's conclusion depends on which of the counts consistent
    with the printed figures is the true one.

    Examples
    --------
    >>> lo, hi = p_range(pd.DataFrame({"x": [11], "n": [15]}), 4.16)
    >>> lo == hi and lo < 1e-10
    True
    """
    if pairs.empty:
        return math.nan, math.nan
    df = pairs[["x", "n"]].copy()
    df["key"] = "row"
    df["expected"] = expected
    if not (math.isnan(population_selected) or math.isnan(population_total)):
        df["population_selected"] = population_selected
        df["population_total"] = population_total
    p = exact_tests(df)["p_two_sided"]
    return float(p.min()), float(p.max())


def holm(p: Sequence[float]) -> np.ndarray:
    """Holm's step-down adjusted p-values (controls the family-wise error rate).

    Notes
    -----
    Holm S (1979), "A simple sequentially rejective multiple test procedure",
    Scand J Statist 6:65-70.

    Examples
    --------
    Four p-values 0.01, 0.04, 0.03, 0.005: sorted, multiplied by 4, 3, 2, 1 and
    made non-decreasing: 0.005×4 = 0.02, 0.01×3 = 0.03, 0.03×2 = 0.06, 0.04×1 → 0.06.

    >>> [round(float(v), 3) for v in holm([0.01, 0.04, 0.03, 0.005])]
    [0.03, 0.06, 0.06, 0.02]
    """
    a = np.asarray(p, dtype=float)
    m = a.size
    order = np.argsort(a, kind="stable")
    adj = np.maximum.accumulate((m - np.arange(m)) * a[order])
    out = np.empty(m)
    out[order] = np.minimum(adj, 1.0)
    return out


def adjust_pvalues(p: Sequence[float], method: str = "holm") -> np.ndarray:
    """Adjust p-values for testing many services at once.

    ``"holm"`` (family-wise error, :func:`holm`) or ``"bh"`` (false discovery
    rate, Benjamini & Hochberg 1995, ``scipy.stats.false_discovery_control``).

    Examples
    --------
    >>> [round(float(v), 4) for v in adjust_pvalues([0.01, 0.04, 0.03, 0.005], "bh")]
    [0.02, 0.04, 0.04, 0.02]
    """
    from scipy import stats as _st  # imported on use: a second to import
    if method == "holm":
        return holm(p)
    if method == "bh":
        return np.asarray(_st.false_discovery_control(np.asarray(p, dtype=float), method="bh"))
    raise DataError("adjust_pvalues", "method must be 'holm' or 'bh'", value=method)


def funnel_data(df: pd.DataFrame, expected: float, n_points: int = 200) -> tuple[pd.DataFrame,
                                                                                 pd.DataFrame]:
    """Funnel-plot limits around one expected share, and each service's position.

    Parameters
    ----------
    df : pandas.DataFrame
        ``key, x, n`` of the services sharing this expected share.
    expected : float
        The expected share, percent.

    Returns
    -------
    (limits, points)
        ``limits``: :func:`hwb.stats.funnel_proportion_limits` over a grid of n;
        ``points``: the services with ``share`` and ``significance`` (95% and 99.8%).
    """
    nmax = max(int(df["n"].max() * 1.1), 20)
    grid = np.unique(np.geomspace(5, nmax, n_points).round())
    limits = stats.funnel_proportion_limits(grid, expected / 100)
    pts = df.copy()
    pts["share"] = 100 * pts["x"] / pts["n"]
    own = stats.funnel_proportion_limits(pts["n"].to_numpy(float), expected / 100)
    pts["significance"] = stats.funnel_significance(pts["share"].to_numpy(), own)
    return limits, pts


# --------------------------------------------------------------------------- small areas


def selected_lsoas(p: EquityParams) -> pd.DataFrame:
    """The deprived areas of the parameters' authority, as LSOAs with their IMD rank."""
    if p.selection_by == "msoa":
        if not p.selected_msoas:
            raise DataError("params", "selection_by is 'msoa' but selected_msoas is empty",
                            column="selected_msoas")
        lk = smallarea.lsoa_to_msoa()
        ls = lk[lk["msoa11_code"].isin(p.selected_msoas)]
        missing = sorted(set(p.selected_msoas) - set(ls["msoa11_code"]))
        if missing:
            raise DataError(smallarea.MSOA_LOOKUP, "unknown MSOA code", column="selected_msoas",
                            value=missing[0])
        ranked = smallarea.ranked_lsoas(p.area_code, p.imd_edition, p.population_year)
        out = ranked[ranked["lsoa11_code"].isin(ls["lsoa11_code"])]
        if len(out) != len(ls):
            raise DataError("params", "a selected MSOA lies outside the authority",
                            column="selected_msoas")
        return out.reset_index(drop=True)
    return smallarea.most_deprived(p.area_code, p.imd_edition, p.selection_by,
                                   p.selection_value, p.population_year)


def board_expected_shares(p: EquityParams, lsoas: Sequence[str] | None = None) -> pd.DataFrame:
    """Expected shares by age band for the parameters' authority and selected areas."""
    if lsoas is None:
        lsoas = selected_lsoas(p)["lsoa11_code"].tolist()
    return smallarea.expected_shares(p.area_code, list(lsoas), p.age_bands, p.population_year,
                                     p.confidence)


def age_matched_expected(services: pd.DataFrame, p: EquityParams) -> pd.DataFrame:
    """Each service's expected share from ONS small-area populations, in its own age band.

    Parameters
    ----------
    services : pandas.DataFrame
        ``key, age_band, basis`` and optionally ``msoas`` (semicolon-separated MSOA codes
        when a service's areas are a subset of the selected ones, e.g. one area only).
    p : EquityParams
        The authority, the selected areas and the population year.

    Returns
    -------
    pandas.DataFrame
        ``key, age_band, population_selected, population_total, value, lower95,
        upper95, method`` (percent); NaN, with the reason in ``method``, for rows
        whose areas are not defined by LSOAs (``basis`` other than ``msoa`` or ``lsoa``).
    """
    sel = selected_lsoas(p)["lsoa11_code"].tolist()
    lk = smallarea.lsoa_to_msoa()
    rows = []
    for _, s in services.iterrows():
        if s["basis"] not in ("msoa", "lsoa"):
            rows.append({"key": s["key"], "age_band": s["age_band"],
                         "population_selected": math.nan, "population_total": math.nan,
                         "value": math.nan, "lower95": math.nan, "upper95": math.nan,
                         "method": f"not available: areas defined as {s['basis']} areas, "
                                   "not small areas"})
            continue
        own = str(s.get("msoas", "") or "").strip()
        lsoas = (lk.loc[lk["msoa11_code"].isin(own.split(";")), "lsoa11_code"].tolist()
                 if own and own != "nan" else sel)
        e = smallarea.expected_shares(p.area_code, lsoas, [s["age_band"]], p.population_year,
                                      p.confidence).iloc[0]
        rows.append({"key": s["key"], "age_band": s["age_band"],
                     "population_selected": int(e["population_selected"]),
                     "population_total": int(e["population_total"]), "value": e["value"],
                     "lower95": e["lower95"], "upper95": e["upper95"], "method": e["method"]})
    return pd.DataFrame(rows)


def coverage(area_codes: Sequence[str] | None = None, period: str = "2019") -> pd.DataFrame:
    """Which boards can have an equity appendix for a period, and why any cannot.

    Parameters
    ----------
    area_codes : sequence of str, optional
        The areas asked about (a national run passes every upper-tier authority); default
        every English upper-tier authority (E06, E08, E09, E10) of the ONS names file.
    period : str
        A period of :data:`hwb.papers.equity.params.PERIODS` (``"2019"`` or ``"2015"``):
        which IMD edition ranks the small areas.

    Returns
    -------
    pandas.DataFrame
        ``area_code, area_name, lsoas, covered, reason``, in area-code order: ``lsoas`` the
        authority's small areas in the 2019 LSOA lookup; ``covered`` True for every
        authority whose small areas all have a rank in the period's IMD edition and a
        population; ``reason`` why an area is not covered, or a note on a covered one (the
        Isles of Scilly, one small area, whose most deprived areas are the whole authority).

    Raises
    ------
    ParameterError
        ``period`` is not one of :data:`~hwb.papers.equity.params.PERIODS`.

    Examples
    --------
    >>> c = coverage()
    >>> len(c), int(c.covered.sum()), c.loc[c.lsoas == 1, "area_name"].tolist()
    (151, 151, ['Isles of Scilly'])
    >>> coverage(["E08000018", "W06000015"], "2015")[["lsoas", "covered"]].values.tolist()
    [[167, True], [214, False]]
    """
    from hwb.errors import ParameterError
    from hwb.papers.equity.params import PERIODS

    if str(period) not in PERIODS:
        raise ParameterError("equity coverage", "period", period,
                             " or ".join(repr(k) for k in PERIODS))
    names = area_names()
    if area_codes is None:
        area_codes = [c for c in names if re.match(r"E(06|08|09|10)\d{6}$", c)]
    edition = PERIODS[str(period)]["imd_edition"]
    lookup = smallarea.lsoa_to_utla()
    ranked = set(smallarea.imd(edition)["lsoa11_code"])
    lookup = lookup.assign(ranked=lookup["lsoa11_code"].isin(ranked))
    counts = lookup.groupby("utla19_code")["ranked"].agg(["size", "sum"])
    rows = []
    for code in sorted(set(map(str, area_codes))):
        n = int(counts["size"].get(code, 0))
        unranked = n - int(counts["sum"].get(code, 0))
        reason = ("no small areas in the 2019 LSOA lookup (not an English upper-tier "
                  "authority of April 2019)" if n == 0 else
                  f"{unranked} of its {n} small areas have no IMD {edition} rank (the English "
                  "indices cover England only)" if unranked else
                  "one small area: the most deprived areas are the whole authority"
                  if n == 1 else "")
        rows.append({"area_code": code,
                     "area_name": plain_area_name(str(names.get(code, ""))),
                     "lsoas": n, "covered": n > 0 and unranked == 0, "reason": reason})
    return pd.DataFrame(rows, columns=["area_code", "area_name", "lsoas", "covered", "reason"])


def mid2015_msoa_check(msoas: Sequence[str], lad_code: str) -> dict[str, float]:
    """Mid-2015 population of some MSOAs and their share of the district, all ages and 0-15.

    Used to check which MSOAs an audit used against the population it printed.
    """
    lk = smallarea.lsoa_to_msoa()
    m15 = smallarea.mid2015()
    la = m15[m15["lad19_code"] == lad_code]
    if la.empty:
        raise DataError(smallarea.MID2015_FILE, "no LSOAs for this district", value=lad_code)
    sel = la[la["lsoa11_code"].isin(lk.loc[lk["msoa11_code"].isin(msoas), "lsoa11_code"])]
    return {"population": float(sel["total"].sum()), "district": float(la["total"].sum()),
            "share": 100 * sel["total"].sum() / la["total"].sum(),
            "aged_0_15": float(sel["aged_0_15"].sum()),
            "district_0_15": float(la["aged_0_15"].sum()),
            "share_0_15": 100 * sel["aged_0_15"].sum() / la["aged_0_15"].sum()}


# --------------------------------------------------------------------------- service counts


COUNTS_SCHEMA = data.Schema(
    columns=[data.Column("service"), data.Column("age_band"),
             data.Column("area", rule="an LSOA code (E01...) or 'elsewhere'",
                         check=lambda v: bool(re.fullmatch(r"E01\d{6}|elsewhere", str(v)))),
             data.Column("clients", "count")],
    key=("service", "age_band", "area"),
)
"""The service-count CSV: one row per service, area (LSOA, or ``elsewhere`` for clients
living in the authority outside any listed LSOA) and age band of the service's clients."""


def read_service_counts(relative: str) -> pd.DataFrame:
    """Read and validate a service-count CSV under ``data/`` (see :data:`COUNTS_SCHEMA`)."""
    df = data.read_csv(data.path(relative), COUNTS_SCHEMA)
    for band in df["age_band"].unique():
        smallarea.parse_age_band(band)
    return df


def service_totals(counts: pd.DataFrame, lsoas: Sequence[str]) -> pd.DataFrame:
    """Clients per service and age band, and how many live in the selected LSOAs.

    Examples
    --------
    >>> c = pd.DataFrame({"service": ["S"] * 3, "age_band": ["18+"] * 3,
    ...                   "area": ["E01000001", "E01000002", "elsewhere"], "clients": [5, 7, 30]})
    >>> service_totals(c, ["E01000001"])[["key", "x", "n"]].values.tolist()
    [['S', 5, 42]]
    """
    c = counts.copy()
    c["in_areas"] = c["area"].isin(list(lsoas))
    g = c.groupby(["service", "age_band"], sort=False)
    out = pd.DataFrame({"x": g.apply(lambda d: int(d.loc[d["in_areas"], "clients"].sum()),
                                     include_groups=False),
                        "n": g["clients"].sum().astype(int)}).reset_index()
    out.insert(0, "key", out["service"])
    return out


# --------------------------------------------------------------------------- postcodes


POSTCODE = re.compile(r"^(?:[A-PR-UWYZ][0-9]{1,2}|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}"
                      r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
                      r" [0-9][ABD-HJLNP-UW-Z]{2}$")
"""A UK unit postcode in its standard form: outward code, one space, inward code
(Office for National Statistics, *Postcode products user guide*: inward code is a digit
then two letters, never C, I, K, M, O or V)."""


def validate_postcodes(df: pd.DataFrame, column: str = "postcode_as_printed") -> pd.DataFrame:
    """Check each printed unit postcode; say what is wrong with the malformed ones.

    Returns
    -------
    pandas.DataFrame
        Adds ``valid`` and ``problem`` and ``duplicate`` (listed more than once).

    Examples
    --------
    >>> pcs = pd.DataFrame({"postcode_as_printed": ["S61 1AE", "S61 AW", "S60 1CI"]})
    >>> v = validate_postcodes(pcs)
    >>> v.valid.tolist(), v.problem.tolist()[1]
    ([True, False, False], 'inward code is not a digit then two letters')
    """
    out = df.copy()
    probs = []
    for raw in out[column].astype(str):
        pc = raw.strip().upper()
        if POSTCODE.match(pc):
            probs.append("")
            continue
        parts = pc.split()
        if len(parts) != 2:
            probs.append("not an outward and an inward code separated by one space")
        elif not re.fullmatch(r"[0-9][A-Z]{2}", parts[1]):
            probs.append("inward code is not a digit then two letters")
        elif not re.fullmatch(r"[0-9][ABD-HJLNP-UW-Z]{2}", parts[1]):
            probs.append("inward code uses a letter never used there (C, I, K, M, O or V)")
        else:
            probs.append("outward code is not a valid district")
    out["problem"] = probs
    out["valid"] = out["problem"] == ""
    out["duplicate"] = out[column].str.strip().str.upper().duplicated(keep=False)
    return out


# --------------------------------------------------------------------------- plugin


PAPER = Paper(
    name="equity",
    title="Equity audit: do services reach the most deprived areas?",
    notebook=BUILTIN_ROOT / "notebooks" / "equity.ipynb",
    params_model=EquityParams,
    params_dir=BUILTIN_ROOT / "params" / "equity",
    printed=BUILTIN_ROOT / "data" / "equity" / "printed_figures.csv",
    claims=BUILTIN_ROOT / "data" / CLAIMS_FILE,
    inputs=tuple(BUILTIN_ROOT / "data" / f for f in (
        PRINTED_FILE, CLAIMS_FILE, SERVICES_FILE, POSTCODES_FILE, TEMPLATE_FILE,
        smallarea.IMD_FILES[2015], smallarea.IMD_FILES[2019], smallarea.MID2015_FILE,
        smallarea.UTLA_LOOKUP, smallarea.MSOA_LOOKUP, smallarea.SAPE_FILES[2017],
        smallarea.SAPE_FILES[2019])),
    description="Rebuilds a board's equity audit of its services (shares of clients from the "
                "most deprived areas, intervals, thresholds and verdicts), finds the method "
                "behind the printed figures, and adds exact tests, a multiple-testing "
                "adjustment, funnel plots and age-matched expected shares for any authority.",
)
