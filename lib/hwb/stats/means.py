"""Means and ratios of rates."""

from __future__ import annotations

from typing import Any

import numpy as np

from hwb.stats._common import (
    Estimate,
    StatsInputError,
    _arr,
    _conf,
    _counts,
    _out,
    _positive,
    _st,
    _tail,
    _z,
)
from hwb.stats.proportions import clopper_pearson_ci


def mean_ci(values: Any, conf: float = 0.95) -> Estimate:
    """Mean with a Student's t confidence interval.

    Parameters
    ----------
    values : array-like
        At least two observations; NaN values are dropped.
    conf : float
        Confidence level (default 0.95).

    Returns
    -------
    Estimate
        ``mean ± t(1 − α/2; n − 1) × s / √n`` with ``s`` the sample standard
        deviation (``ddof = 1``).

    Notes
    -----
    APHO Technical Briefing 3; PHEindicatormethods ``phe_mean``.

    Examples
    --------
    >>> [round(v, 4) for v in mean_ci([2, 4, 6, 8])]
    [5.0, 0.8915, 9.1085]
    """
    where = "mean_ci"
    c = _conf(conf, where)
    a = _arr(values, "values", where).ravel()
    a = a[~np.isnan(a)]
    if a.size < 2:
        raise StatsInputError(where, "needs at least two non-missing values", column="values",
                              value=int(a.size))
    m = float(a.mean())
    se = float(a.std(ddof=1)) / np.sqrt(a.size)
    t = float(_st.t.ppf(_tail(c)[1], a.size - 1))
    return Estimate(m, float(m - t * se), float(m + t * se))


_RR_METHODS = {"log": "log", "wald": "log", "wald-log": "log", "exact": "exact",
               "exact-cond": "exact", "conditional": "exact"}


def rate_ratio(x1: Any, n1: Any, x2: Any, n2: Any, conf: float = 0.95, method: str = "log"
               ) -> Estimate:
    """Ratio of two rates ``(x1/n1) / (x2/n2)`` with confidence limits.

    Parameters
    ----------
    x1, n1 : float or array-like
        Events and population (or person-years) of the group of interest.
    x2, n2 : float or array-like
        Events and population of the comparator.
    conf : float
        Confidence level (default 0.95).
    method : {"log", "exact"}
        (Aliases: ``"wald"``, ``"wald-log"``; ``"exact-cond"``, ``"conditional"``.)
        ``"log"``: Wald limits on the log scale, ``RR × exp(±z √(1/x1 + 1/x2))``
        (undefined, NaN, when either count is 0).  ``"exact"``: the exact
        conditional method: given ``x1 + x2`` events, ``x1`` is binomial with
        ``π = n1λ1 / (n1λ1 + n2λ2)``; Clopper-Pearson limits for ``π`` become
        ``π/(1−π) × n2/n1``.

    Returns
    -------
    Estimate

    Notes
    -----
    Breslow and Day (1987), *Statistical methods in cancer research II*, s. 2.2
    and 3.4 (the conditional binomial); Rothman KJ, Greenland S, *Modern
    epidemiology* (log limits).  The log method agrees with statsmodels
    ``confint_poisson_2indep(method="wald-log")``.

    Examples
    --------
    >>> [round(v, 4) for v in rate_ratio(20, 1000, 10, 1000)]
    [2.0, 0.9362, 4.2727]
    """
    where = "rate_ratio"
    c = _conf(conf, where)
    a1, a2 = _counts(x1, "x1", where), _counts(x2, "x2", where)
    p1, p2 = _positive(n1, "n1", where), _positive(n2, "n2", where)
    a1, p1, a2, p2 = np.broadcast_arrays(a1, p1, a2, p2)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = (a1 / p1) / (a2 / p2)
        method = _RR_METHODS.get(str(method).lower(), method)
        if method == "log":
            z = _z(c)
            se = np.sqrt(1.0 / a1 + 1.0 / a2)
            ok = (a1 > 0) & (a2 > 0)
            lower = np.where(ok, value * np.exp(-z * se), np.nan)
            upper = np.where(ok, value * np.exp(z * se), np.nan)
        elif method == "exact":
            tot = a1 + a2
            safe = np.where(tot > 0, tot, 1.0)
            pl, pu = clopper_pearson_ci(np.minimum(a1, safe), safe, c)
            pl, pu = np.asarray(pl), np.asarray(pu)
            k = p2 / p1
            lower = np.where(tot > 0, pl / (1.0 - pl) * k, np.nan)
            upper = np.where(tot > 0, np.where(pu >= 1.0, np.inf, pu / (1.0 - pu) * k), np.nan)
        else:
            raise StatsInputError(where, "method must be 'log' or 'exact'", column="method",
                                  value=method)
    return Estimate(_out(value), _out(lower), _out(upper))


