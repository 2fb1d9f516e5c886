"""The slope index of inequality."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from hwb.stats._common import StatsInputError, _arr, _conf, _first_bad, _positive, _require, _st


class SIIResult(NamedTuple):
    """Slope and relative index of inequality with simulated confidence limits."""

    sii: float
    sii_lower: float
    sii_upper: float
    rii: float
    rii_lower: float
    rii_upper: float
    confidence: float
    repetitions: int


_VALUE_TYPES = {"normal": 0, "rate": 1, "proportion": 2}


def sii(populations: Any, values: Any, multiplier: float = 1.0, *, se: Any = None,
        lower: Any = None, upper: Any = None, value_type: str = "normal",
        conf: float = 0.95, repetitions: int = 100_000, seed: int | None = 0) -> SIIResult:
    """Slope index of inequality (SII) and relative index (RII) across ordered quantiles.

    Parameters
    ----------
    populations : array-like
        Population of each quantile, ordered from most to least deprived (or
        along whatever scale is being summarised); all > 0; 5 to 100 quantiles.
    values : array-like
        The indicator value in each quantile.
    multiplier : float
        Scale for the SII (e.g. 100 for percentages); a negative multiplier
        reverses the direction and inverts the RII, as in PHEindicatormethods.
    se : array-like, optional
        Standard errors of the values (on the transformed scale for rates and
        proportions).  Either ``se`` or both ``lower`` and ``upper``; with
        neither, only the point estimates are returned (limits NaN,
        ``repetitions`` 0).
    lower, upper : array-like, optional
        95% confidence limits of the values, from which
        ``se = (upper − lower) / (2 × z₀.₉₇₅)`` after transformation.
    value_type : {"normal", "rate", "proportion"}
        Distribution for the simulation: normal; log-normal for rates; logit
        for proportions.
    conf : float
        Confidence level of the simulated interval (default 0.95).
    repetitions : int
        Simulations (default 100,000; at least 1,000).
    seed : int or None
        Seed for ``numpy.random.default_rng``; the same seed gives the same
        limits.  ``None`` draws a fresh seed.

    Returns
    -------
    SIIResult
        Point estimates from a population-weighted least-squares fit of the
        values on the midpoint of each quantile's cumulative population share
        (0 to 1): the SII is the slope (value at 1 minus value at 0), the RII
        the ratio of the fitted values at 1 and at 0.  Limits from the
        ``(1 − conf)/2`` and ``1 − (1 − conf)/2`` order statistics of the
        simulated slopes.

    Notes
    -----
    Low A, Low A (2004), "Measuring the gap: quantifying and comparing local
    health inequalities", J Public Health 26:388-95; Fingertips technical guide,
    SII; PHEindicatormethods ``phe_sii``.  The simulation uses numpy's
    generator, not R's, so limits agree with the R package only to simulation
    error.

    Examples
    --------
    Values lying exactly on ``10 + 20 × midpoint`` give SII 20 and RII 30/10 = 3:

    >>> pops = [100] * 5
    >>> vals = [10 + 20 * m for m in (0.1, 0.3, 0.5, 0.7, 0.9)]
    >>> r = sii(pops, vals, se=[1] * 5, repetitions=2000)
    >>> round(r.sii, 6), round(r.rii, 6)
    (20.0, 3.0)
    """
    where = "sii"
    c = _conf(conf, where)
    pa, va = _sii_inputs(populations, values, value_type, repetitions)
    sa = _sii_se(se, lower, upper, value_type, pa.size)
    fit = _quantile_fit(pa)
    m = float(multiplier)
    point_sii, point_rii = _indices(*fit(va), m)
    reps = int(repetitions)
    if sa is None:
        nan = float("nan")
        return SIIResult(point_sii, nan, nan, point_rii, nan, nan, c, 0)
    rng = np.random.default_rng(seed)
    draws = _back(rng.normal(_forward(va, value_type)[:, None], sa[:, None],
                             size=(pa.size, reps)), value_type)
    with np.errstate(divide="ignore", invalid="ignore"):
        sim_sii, sim_rii = _indices(*fit(draws), m)
    sii_lo, sii_hi = _order_limits(sim_sii, c)
    rii_lo, rii_hi = _order_limits(sim_rii, c)
    return SIIResult(point_sii, sii_lo, sii_hi, point_rii, rii_lo, rii_hi, c, reps)


def _sii_inputs(populations: Any, values: Any, value_type: str,
                repetitions: int) -> tuple[np.ndarray, np.ndarray]:
    """Populations and values of :func:`sii` as flat arrays, checked (one line naming the fault)."""
    where = "sii"
    pa = _positive(populations, "populations", where).ravel()
    va = _arr(values, "values", where).ravel()
    q = pa.size
    if va.size != q:
        raise StatsInputError(where, f"values must have one value per quantile ({q})",
                              column="values", value=int(va.size))
    if not 5 <= q <= 100:
        raise StatsInputError(where, "needs between 5 and 100 quantiles", column="populations",
                              value=q)
    if value_type not in _VALUE_TYPES:
        raise StatsInputError(where, "value_type must be 'normal', 'rate' or 'proportion'",
                              column="value_type", value=value_type)
    if int(repetitions) < 1000:
        raise StatsInputError(where, "repetitions must be at least 1000", column="repetitions",
                              value=repetitions)
    if np.isnan(va).any():
        raise StatsInputError(where, "values must not be missing", column="values",
                              row=_first_bad(np.isnan(va)))
    if value_type == "proportion":
        _require((va < 0) | (va > 1), va, "values", where, "must be a proportion in [0, 1]")
    if value_type == "rate":
        _require(va <= 0, va, "values", where, "must be a rate > 0 for value_type 'rate'")
    return pa, va


def _forward(v: np.ndarray, value_type: str) -> np.ndarray:
    """To the scale the simulation is normal on: log for rates, logit for proportions."""
    if value_type == "rate":
        return np.log(v)
    if value_type == "proportion":
        return np.log(v / (1.0 - v))
    return v


def _back(v: np.ndarray, value_type: str) -> np.ndarray:
    """The inverse of :func:`_forward`."""
    if value_type == "rate":
        return np.exp(v)
    if value_type == "proportion":
        return np.exp(v) / (1.0 + np.exp(v))
    return v


def _sii_se(se: Any, lower: Any, upper: Any, value_type: str, q: int) -> np.ndarray | None:
    """Standard errors on the simulation's scale: given, or from 95% limits; None without either.

    From limits, ``se = (upper − lower) / (2 × z₀.₉₇₅)`` after :func:`_forward`.
    """
    where = "sii"
    if se is not None:
        sa = _arr(se, "se", where).ravel()
        _require(sa < 0, sa, "se", where, "must be a standard error >= 0")
    elif lower is not None and upper is not None:
        lo = _forward(_arr(lower, "lower", where).ravel(), value_type)
        hi = _forward(_arr(upper, "upper", where).ravel(), value_type)
        sa = (hi - lo) / float(_st.norm.ppf(0.975)) / 2.0
    else:
        return None  # point estimates only
    if sa.size != q or np.isnan(sa).any():
        raise StatsInputError(where, "standard errors must be given for every quantile",
                              column="se")
    return sa


def _quantile_fit(pa: np.ndarray) -> Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The population-weighted least-squares fit on each quantile's midpoint population share.

    The returned function maps values (one per quantile, or a column of simulations per
    quantile) to the intercept and slope.
    """
    a = pa / pa.sum()
    b = np.cumsum(a) - a / 2.0
    sqrt_a = np.sqrt(a)
    design = np.vstack([sqrt_a, b * sqrt_a])  # 2 x q
    solve = np.linalg.solve(design @ design.T, design)  # 2 x q: (X'X)^-1 X'

    def fit(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        params = solve @ (y * sqrt_a[:, None] if y.ndim == 2 else y * sqrt_a)
        return params[0], params[1]

    return fit


def _indices(icpt: Any, slope: Any, m: float) -> tuple[Any, Any]:
    """SII (slope × multiplier) and RII (fitted value at 1 over at 0), inverted for m < 0."""
    rii = (slope + icpt) / icpt
    if m < 0:
        rii = 1.0 / rii
    if np.ndim(slope) == 0:
        return float(slope) * m, float(rii)
    return slope * m, rii


def _order_limits(sims: np.ndarray, c: float) -> tuple[float, float]:
    """The ``(1 − c)/2`` and ``1 − (1 − c)/2`` order statistics, counted from 1 as R does."""
    ordered = np.sort(sims)
    reps = ordered.size
    upper_p = c + (1.0 - c) / 2.0
    pos_lo = max(int(round(reps * (1.0 - upper_p))) - 1, 0)
    pos_hi = int(round(reps * upper_p)) - 1
    return float(ordered[pos_lo]), float(ordered[pos_hi])


