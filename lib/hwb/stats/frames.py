"""Tidy DataFrame helpers: every interval with its metadata."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from hwb.stats._common import (
    _BYAR_FROM,
    _CONF_LABEL,
    _DSR_MIN_EVENTS,
    INTERVAL_COLUMNS,
    Estimate,
    StatsInputError,
)
from hwb.stats.means import mean_ci
from hwb.stats.poisson import _poisson_method, rate_ci
from hwb.stats.proportions import wilson_ci
from hwb.stats.standardised import (
    _esp_table,
    dsr,
    dsr_nonindependent,
    esp2013_weights,
    isr_rate,
    isr_ratio,
)


def _frame_fail(source: str, rule: str, row: Any = None, column: str | None = None,
                value: Any = None) -> StatsInputError:
    return StatsInputError(source, rule, row=row, column=column, value=value)


def _col(df: pd.DataFrame, name: str, source: str) -> pd.Series:
    if name not in df.columns:
        raise _frame_fail(source, "missing column; have " + ", ".join(map(str, df.columns)),
                          column=name)
    s = pd.to_numeric(df[name], errors="coerce")
    bad = s.isna() & df[name].notna()
    if bad.any():
        i = bad.idxmax()
        raise _frame_fail(source, "must be numeric", row=i, column=name, value=df[name][i])
    return s.astype(float)


def _check_frame(df: pd.DataFrame, source: str, col: str, bad: pd.Series, rule: str) -> None:
    if bad.any():
        i = bad.idxmax()
        raise _frame_fail(source, rule, row=i, column=col, value=df[col][i])


def _grouped(df: pd.DataFrame, by: str | Sequence[str] | None, sums: Sequence[str]
             ) -> pd.DataFrame:
    if by is None:
        return df.copy()
    keys = [by] if isinstance(by, str) else list(by)
    return df.groupby(keys, sort=False, dropna=False)[list(sums)].sum(min_count=1).reset_index()


def _attach(df: pd.DataFrame, est95: Estimate, est998: Estimate, statistic: Any,
            method: Any) -> pd.DataFrame:
    out = df.copy()
    out["value"] = np.asarray(est95.value, dtype=float)
    out["lower95"] = np.asarray(est95.lower, dtype=float)
    out["upper95"] = np.asarray(est95.upper, dtype=float)
    out["lower99_8"] = np.asarray(est998.lower, dtype=float)
    out["upper99_8"] = np.asarray(est998.upper, dtype=float)
    out["statistic"] = statistic
    out["confidence"] = _CONF_LABEL
    out["method"] = method
    return out


def proportion_frame(df: pd.DataFrame, x: str, n: str, *, by: str | Sequence[str] | None = None,
                     multiplier: float = 100.0, source: str = "data") -> pd.DataFrame:
    """Proportions (percentages by default) with Wilson 95% and 99.8% limits, as a tidy frame.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per observation.
    x, n : str
        Numerator and denominator columns.
    by : str or list of str, optional
        Sum ``x`` and ``n`` within these groups first.
    multiplier : float
        100 (default) for percentages, 1 for proportions.
    source : str
        Named in error messages (e.g. the input file).

    Returns
    -------
    pandas.DataFrame
        The rows (or groups) with :data:`INTERVAL_COLUMNS` appended.

    Notes
    -----
    Wilson score interval (:func:`wilson_ci`); PHEindicatormethods
    ``phe_proportion``.

    Examples
    --------
    >>> df = pd.DataFrame({"area": ["A", "B"], "x": [81, 0], "n": [263, 20]})
    >>> out = proportion_frame(df, "x", "n")
    >>> out[["value", "lower95", "upper95"]].round(2).values.tolist()
    [[30.8, 25.53, 36.62], [0.0, 0.0, 16.11]]
    >>> out.method.tolist(), out.confidence.iloc[0]
    (['Wilson', 'Wilson'], '95%, 99.8%')
    """
    d = _grouped(df, by, [x, n])
    xs, ns = _col(d, x, source), _col(d, n, source)
    _check_frame(d, source, x, xs < 0, "numerator must be >= 0")
    _check_frame(d, source, n, ns <= 0, "denominator must be > 0")
    _check_frame(d, source, x, xs > ns, f"numerator must not exceed denominator '{n}'")
    m = float(multiplier)
    value = xs.to_numpy() / ns.to_numpy() * m
    c95 = wilson_ci(xs.to_numpy(), ns.to_numpy(), 0.95)
    c998 = wilson_ci(xs.to_numpy(), ns.to_numpy(), 0.998)
    est95 = Estimate(value, np.asarray(c95.lower) * m, np.asarray(c95.upper) * m)
    est998 = Estimate(value, np.asarray(c998.lower) * m, np.asarray(c998.upper) * m)
    stat = "percentage" if m == 100 else ("proportion" if m == 1 else f"proportion x {m:g}")
    return _attach(d, est95, est998, stat, "Wilson")


def rate_frame(df: pd.DataFrame, x: str, n: str, *, by: str | Sequence[str] | None = None,
               multiplier: float = 100_000, source: str = "data") -> pd.DataFrame:
    """Crude rates with 95% and 99.8% limits (exact below 10 events, Byar from 10).

    Parameters
    ----------
    df : pandas.DataFrame
    x, n : str
        Events and population columns.
    by : str or list of str, optional
        Sum within groups first.
    multiplier : float
        Rate per this many (default 100,000).
    source : str
        Named in error messages.

    Returns
    -------
    pandas.DataFrame
        With :data:`INTERVAL_COLUMNS`; ``method`` is ``"Exact"`` or ``"Byars"``
        per row, as in PHEindicatormethods ``phe_rate``.

    Examples
    --------
    >>> df = pd.DataFrame({"x": [9, 10], "n": [10_000, 10_000]})
    >>> rate_frame(df, "x", "n").method.tolist()
    ['Exact', 'Byars']
    """
    d = _grouped(df, by, [x, n])
    xs, ns = _col(d, x, source), _col(d, n, source)
    _check_frame(d, source, x, xs < 0, "events must be >= 0")
    _check_frame(d, source, n, ns <= 0, "population must be > 0")
    est95 = rate_ci(xs.to_numpy(), ns.to_numpy(), 0.95, multiplier)
    est998 = rate_ci(xs.to_numpy(), ns.to_numpy(), 0.998, multiplier)
    return _attach(d, est95, est998, f"rate per {float(multiplier):,.0f}",
                   _poisson_method(xs.to_numpy()))


def dsr_frame(df: pd.DataFrame, x: str, n: str, *, by: str | Sequence[str] | None = None,
              std_pop: str | Sequence[float] | None = None, band: str | None = None,
              event_freq: str | None = None, multiplier: float = 100_000,
              source: str = "data") -> pd.DataFrame:
    """Directly standardised rates by group, with Dobson 95% and 99.8% limits, as a tidy frame.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per group × band (× event frequency for non-independent events).
    x, n : str
        Event (or, with ``event_freq``, person) counts and population columns.
    by : str or list of str, optional
        Grouping columns (e.g. area, period); one DSR per group.
    std_pop : str or sequence of float, optional
        A column of standard populations, or the weights in band order (matched
        by position within each group).  Default: ESP2013, matched on the
        ``band`` column's labels if ``band`` is given, else by position (19 rows
        per group).
    band : str, optional
        Column of band labels; required with ``event_freq``.
    event_freq : str, optional
        Column of event frequencies: ``x`` is then the number of people with that
        many events, and the limits are adjusted for non-independent events
        (:func:`dsr_nonindependent`).
    multiplier : float
        Rate per this many (default 100,000).
    source : str
        Named in error messages.

    Returns
    -------
    pandas.DataFrame
        One row per group: the ``by`` columns, ``total_count``, ``total_pop``
        and :data:`INTERVAL_COLUMNS`; value and limits NaN (and ``statistic``
        says so) where the total count is below 10.

    Notes
    -----
    Dobson et al. (1991); PHEindicatormethods ``calculate_dsr``.

    Examples
    --------
    >>> df = pd.DataFrame({"area": ["A"] * 2, "x": [10, 20], "n": [1000, 4000], "w": [1, 3]})
    >>> out = dsr_frame(df, "x", "n", by="area", std_pop="w")
    >>> out[["area", "total_count", "value"]].values.tolist()
    [['A', 30.0, 625.0]]
    """
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    d = df.copy()
    xs, ns = _col(d, x, source), _col(d, n, source)
    _check_frame(d, source, x, xs < 0, "counts must be >= 0")
    _check_frame(d, source, n, ns.isna() | (ns <= 0), "population must be > 0")
    d["_w"] = _dsr_weights(d, keys, x, std_pop, band, source)
    d["_x"] = xs.fillna(0.0)
    d["_n"] = ns
    groups = d.groupby(keys, sort=False) if keys else [((), d)]
    rows = []
    for key, g in groups:
        rec = dict(zip(keys, key if isinstance(key, tuple) else (key,), strict=True))
        if event_freq is None:
            total, total_pop, e95, e998, method = _dsr_group(g, multiplier)
        else:
            if band is None:
                raise _frame_fail(source, "band is required with event_freq", column="band")
            total, total_pop, e95, e998, method = _dsr_group_nonindependent(
                g, band, _col(g, event_freq, source), multiplier)
        rec.update(total_count=float(total), total_pop=float(total_pop), value=e95.value,
                   lower95=e95.lower, upper95=e95.upper, lower99_8=e998.lower,
                   upper99_8=e998.upper,
                   statistic=(f"dsr per {float(multiplier):,.0f}" if total >= _DSR_MIN_EVENTS
                              else f"dsr not calculated for total count < {_DSR_MIN_EVENTS}"),
                   confidence=_CONF_LABEL, method=method)
        rows.append(rec)
    return pd.DataFrame(rows, columns=[*keys, "total_count", "total_pop", *INTERVAL_COLUMNS])


def _dsr_weights(d: pd.DataFrame, keys: list[str], x: str,
                 std_pop: str | Sequence[float] | None, band: str | None,
                 source: str) -> pd.Series | np.ndarray:
    """The standard-population weight of each row, as :func:`dsr_frame` describes ``std_pop``.

    A column; ESP2013 matched on the band labels; or weights in band order matched by
    position within each group (ESP2013's 19 bands by default).
    """
    if isinstance(std_pop, str):
        w = _col(d, std_pop, source)
        _check_frame(d, source, std_pop, w.isna() | (w < 0), "standard population must be >= 0")
        return w
    if std_pop is None and band is not None:
        t = _esp_table()
        lookup = dict(zip(t["age_band"], t["esp2013_population"], strict=True))
        w = d[band].astype(str).map(lookup)
        _check_frame(d, source, band, w.isna(), "not an ESP2013 age band (0-4 ... 90+)")
        return w
    weights = esp2013_weights() if std_pop is None else np.asarray(std_pop, dtype=float)
    out = pd.Series(np.nan, index=d.index)
    for _, grp in (d.groupby(keys, sort=False) if keys else [((), d)]):
        idx = grp.index
        if len(idx) != weights.size:
            raise _frame_fail(source, f"each group needs {weights.size} rows (one per band) "
                              f"to match std_pop by position", row=idx[0], column=x,
                              value=len(idx))
        out.loc[idx] = weights
    return out


def _dsr_group(g: pd.DataFrame, multiplier: float,
               ) -> tuple[float, float, Estimate, Estimate, str]:
    """One group's total count and population, and its DSR at 95% and 99.8% (Dobson)."""
    args = (g["_x"].to_numpy(), g["_n"].to_numpy(), g["_w"].to_numpy())
    e95 = dsr(*args, conf=0.95, multiplier=multiplier)
    e998 = dsr(*args, conf=0.998, multiplier=multiplier)
    return g["_x"].sum(), g["_n"].sum(), e95, e998, "Dobson"


def _dsr_group_nonindependent(g: pd.DataFrame, band: str, freq: pd.Series, multiplier: float,
                              ) -> tuple[float, float, Estimate, Estimate, str]:
    """As :func:`_dsr_group` for people counted by event frequency (:func:`dsr_nonindependent`).

    The total count is the events: people × frequency, summed.
    """
    wide = g.assign(_f=freq).pivot_table(index="_f", columns=band, values="_x",
                                         aggfunc="sum", fill_value=0.0, sort=False)
    bands = list(wide.columns)
    first = g.drop_duplicates(band).set_index(band)
    pops = first.loc[bands, "_n"].to_numpy()
    wts = first.loc[bands, "_w"].to_numpy()
    freqs = wide.index.to_numpy(dtype=float)
    e95 = dsr_nonindependent(wide.to_numpy(), freqs, pops, wts, 0.95, multiplier)
    e998 = dsr_nonindependent(wide.to_numpy(), freqs, pops, wts, 0.998, multiplier)
    total = float((wide.to_numpy() * freqs[:, None]).sum())
    return total, pops.sum(), e95, e998, ("Dobson, with confidence adjusted for "
                                          "non-independent events")


def isr_frame(df: pd.DataFrame, x: str, n: str, ref_x: str, ref_n: str, *,
              by: str | Sequence[str] | None = None, kind: str = "ratio", refvalue: float = 1.0,
              multiplier: float = 100_000, source: str = "data") -> pd.DataFrame:
    """Indirectly standardised ratios or rates by group, with 95% and 99.8% limits.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per group × band, with the reference events and population for
        the band on the same row.
    x, n : str
        Local events and population columns.
    ref_x, ref_n : str
        Reference events and population columns.
    by : str or list of str, optional
        Grouping columns.
    kind : {"ratio", "rate"}
        ``"ratio"``: ``O/E × refvalue``; ``"rate"``: ``O/E ×`` the reference
        crude rate per ``multiplier``.
    refvalue : float
        For ratios: 1, or 100 for SMRs.
    multiplier : float
        For rates: per this many.
    source : str
        Named in error messages.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``by`` columns, ``observed``, ``expected`` and
        :data:`INTERVAL_COLUMNS`; method ``"Exact"`` below 10 observed events,
        ``"Byars"`` from 10.

    Notes
    -----
    PHEindicatormethods ``calculate_ISRatio`` and ``calculate_ISRate``.

    Examples
    --------
    >>> df = pd.DataFrame({"x": [4, 5], "n": [1000, 500], "rx": [20, 90], "rn": [10_000, 3_000]})
    >>> out = isr_frame(df, "x", "n", "rx", "rn", refvalue=100)
    >>> out[["observed", "expected", "value"]].round(4).values.tolist()
    [[9.0, 17.0, 52.9412]]
    """
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    d = df.copy()
    for c in (x, n, ref_x, ref_n):
        d[c] = _col(d, c, source)
    _check_frame(d, source, x, d[x] < 0, "events must be >= 0")
    _check_frame(d, source, n, d[n] < 0, "population must be >= 0")
    _check_frame(d, source, ref_n, d[ref_n].isna() | (d[ref_n] <= 0),
                 "reference population must be > 0")
    d["_e"] = d[n].fillna(0.0) * d[ref_x].fillna(0.0) / d[ref_n]
    groups = d.groupby(keys, sort=False) if keys else [((), d)]
    rows = []
    for key, g in groups:
        rec = dict(zip(keys, key if isinstance(key, tuple) else (key,), strict=True))
        o, e = float(g[x].sum()), float(g["_e"].sum())
        if kind == "ratio":
            e95, e998 = isr_ratio(o, e, 0.95, refvalue), isr_ratio(o, e, 0.998, refvalue)
            stat = f"indirectly standardised ratio x {float(refvalue):g}"
        elif kind == "rate":
            ref_rate = float(g[ref_x].sum()) / float(g[ref_n].sum()) * float(multiplier)
            e95, e998 = isr_rate(o, e, ref_rate, 0.95), isr_rate(o, e, ref_rate, 0.998)
            stat = f"indirectly standardised rate per {float(multiplier):,.0f}"
        else:
            raise _frame_fail(source, "kind must be 'ratio' or 'rate'", column="kind",
                              value=kind)
        rec.update(observed=o, expected=e, value=e95.value, lower95=e95.lower,
                   upper95=e95.upper, lower99_8=e998.lower, upper99_8=e998.upper,
                   statistic=stat, confidence=_CONF_LABEL,
                   method="Exact" if o < _BYAR_FROM else "Byars")
        rows.append(rec)
    return pd.DataFrame(rows, columns=[*keys, "observed", "expected", *INTERVAL_COLUMNS])


def mean_frame(df: pd.DataFrame, value: str, *, by: str | Sequence[str] | None = None,
               source: str = "data") -> pd.DataFrame:
    """Means by group with Student's t 95% and 99.8% limits, as a tidy frame.

    Parameters
    ----------
    df : pandas.DataFrame
    value : str
        Column of individual observations.
    by : str or list of str, optional
        Grouping columns.
    source : str
        Named in error messages.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``by`` columns, ``count``, ``sd`` and
        :data:`INTERVAL_COLUMNS`.

    Examples
    --------
    >>> out = mean_frame(pd.DataFrame({"v": [2, 4, 6, 8]}), "v")
    >>> out[["count", "value", "lower95", "upper95"]].round(4).values.tolist()
    [[4.0, 5.0, 0.8915, 9.1085]]
    """
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    d = df.copy()
    d[value] = _col(d, value, source)
    groups = d.groupby(keys, sort=False) if keys else [((), d)]
    rows = []
    for key, g in groups:
        rec = dict(zip(keys, key if isinstance(key, tuple) else (key,), strict=True))
        vals = g[value].dropna().to_numpy()
        if vals.size < 2:
            raise _frame_fail(source, "a mean needs at least two values", row=g.index[0],
                              column=value, value=int(vals.size))
        e95, e998 = mean_ci(vals, 0.95), mean_ci(vals, 0.998)
        rec.update(count=float(vals.size), sd=float(vals.std(ddof=1)), value=e95.value,
                   lower95=e95.lower, upper95=e95.upper, lower99_8=e998.lower,
                   upper99_8=e998.upper, statistic="mean", confidence=_CONF_LABEL,
                   method="Student's t")
        rows.append(rec)
    return pd.DataFrame(rows, columns=[*keys, "count", "sd", *INTERVAL_COLUMNS])
