"""Counts and crude rates: exact Poisson and Byar intervals, the Fingertips rule."""

from __future__ import annotations

from typing import Any

import numpy as np

from hwb.stats._common import (
    _BYAR_FROM,
    CI,
    Estimate,
    _conf,
    _counts,
    _out,
    _positive,
    _st,
    _tail,
    _z,
)


def byar_ci(x: Any, conf: float = 0.95) -> CI:
    """Byar's approximation to the exact Poisson limits for an observed count.

    Parameters
    ----------
    x : float or array-like
        Observed counts, ``x >= 0``.
    conf : float
        Confidence level (default 0.95).

    Returns
    -------
    CI
        ``(lower, upper)`` limits for the expected count.  Where the formula
        gives a negative lower limit (very small counts, high confidence) the
        limit is undefined and returned as NaN, as PHEindicatormethods does;
        for ``x = 0`` the lower limit is also NaN (use :func:`exact_poisson_ci`).

    Notes
    -----
    Breslow NE, Day NE, *Statistical methods in cancer research II* (IARC,
    1987); Fingertips technical guide, Appendix 1::

        lower = x (1 − 1/(9x) − z/(3√x))³
        upper = (x+1) (1 − 1/(9(x+1)) + z/(3√(x+1)))³

    Fingertips uses it for counts of 10 or more, where it is within 0.2% of the
    exact limits at 95% confidence (for 10 events the exact limits are 4.7954
    and 18.3904; by hand, 10 × (1 − 1/90 − 1.959964/(3√10))³ = 4.7874).

    Examples
    --------
    >>> lo, hi = byar_ci(10)
    >>> round(lo, 4), round(hi, 4)
    (4.7874, 18.3915)
    """
    where = "byar_ci"
    c = _conf(conf, where)
    xa = _counts(x, "x", where)
    z = _z(c)
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = xa * (1.0 - 1.0 / (9.0 * xa) - z / (3.0 * np.sqrt(xa))) ** 3
        x1 = xa + 1.0
        upper = x1 * (1.0 - 1.0 / (9.0 * x1) + z / (3.0 * np.sqrt(x1))) ** 3
    lower = np.where((xa == 0) | (lower < 0), np.nan, lower)
    return CI(_out(lower), _out(upper))


def exact_poisson_ci(x: Any, conf: float = 0.95) -> CI:
    """Exact Poisson confidence limits for an observed count, from chi-square quantiles.

    Parameters
    ----------
    x : float or array-like
        Observed counts, ``x >= 0``.
    conf : float
        Confidence level (default 0.95).

    Returns
    -------
    CI
        ``lower = χ²(α/2; 2x) / 2`` (0 when ``x = 0``) and
        ``upper = χ²(1 − α/2; 2x + 2) / 2``.

    Notes
    -----
    Armitage P, Berry G, *Statistical methods in medical research* (4th edn,
    2002); Fingertips technical guide, Appendix 2; PHEindicatormethods
    ``phe_rate`` for counts below 10.

    Examples
    --------
    The classical table (e.g. Armitage and Berry) gives 0.0253 to 5.5716 for one
    event and 0 to 3.6889 for none:

    >>> [round(v, 4) for v in exact_poisson_ci(1)], round(exact_poisson_ci(0).upper, 4)
    ([0.0253, 5.5716], 3.6889)
    """
    where = "exact_poisson_ci"
    c = _conf(conf, where)
    xa = _counts(x, "x", where)
    lo_p, hi_p = _tail(c)
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = _st.chi2.ppf(lo_p, 2.0 * xa) / 2.0
        upper = _st.chi2.ppf(hi_p, 2.0 * xa + 2.0) / 2.0
    lower = np.where(xa == 0, 0.0, lower)
    return CI(_out(lower), _out(upper))


def poisson_ci(x: Any, conf: float = 0.95) -> CI:
    """Limits for an observed count by the Fingertips rule: exact below 10, Byar from 10.

    Parameters
    ----------
    x : float or array-like
        Observed counts, ``x >= 0``.
    conf : float
        Confidence level (default 0.95).

    Returns
    -------
    CI

    Notes
    -----
    PHE Fingertips technical guidance; PHEindicatormethods ``phe_rate`` and
    ``calculate_ISRatio`` (``if_else(x < 10, exact, Byars)``).

    Examples
    --------
    >>> poisson_ci(9) == exact_poisson_ci(9), poisson_ci(10) == byar_ci(10)
    (True, True)
    """
    xa = _counts(x, "x", "poisson_ci")
    ex = exact_poisson_ci(xa, conf)
    by = byar_ci(xa, conf)
    small = xa < _BYAR_FROM
    return CI(_out(np.where(small, ex.lower, by.lower)),
              _out(np.where(small, ex.upper, by.upper)))


def _poisson_method(x: np.ndarray) -> np.ndarray:
    return np.where(np.asarray(x) < _BYAR_FROM, "Exact", "Byars")


def rate_ci(x: Any, n: Any, conf: float = 0.95, multiplier: float = 100_000) -> Estimate:
    """Crude rate ``x / n × multiplier`` with its confidence limits.

    Parameters
    ----------
    x : float or array-like
        Events, ``x >= 0``.
    n : float or array-like
        Population or person-years at risk, ``n > 0``.
    conf : float
        Confidence level (default 0.95).
    multiplier : float
        Rate per this many (default 100,000).

    Returns
    -------
    Estimate
        ``(value, lower, upper)``; limits by exact Poisson below 10 events and
        by Byar's method from 10, divided by ``n``.

    Notes
    -----
    Fingertips technical guidance; PHEindicatormethods ``phe_rate``.

    Examples
    --------
    Nine events in 10,000: the exact 95% limits for 9 events are 4.1154 and
    17.0848.

    >>> [round(v, 2) for v in rate_ci(9, 10_000)]
    [90.0, 41.15, 170.85]
    """
    where = "rate_ci"
    xa = _counts(x, "x", where)
    na = _positive(n, "n", where)
    xa, na = np.broadcast_arrays(xa, na)
    lim = poisson_ci(xa, conf)
    m = float(multiplier)
    return Estimate(_out(xa / na * m), _out(np.asarray(lim.lower) / na * m),
                    _out(np.asarray(lim.upper) / na * m))


