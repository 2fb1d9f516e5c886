"""Funnel plot control limits and significance."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from hwb.stats._common import StatsInputError, _counts, _positive, _st


def _wilson_funnel(n: np.ndarray, p0: float, p: float, side: str) -> np.ndarray:
    """PHEindicatormethods ``sigma_adjustment``: the proportion whose Wilson limit is ``p0``."""
    z2 = float(_st.norm.ppf(p)) ** 2
    first = p0 * (n / z2 + 1.0)
    disc = ((-8.0 * p0 * (n / z2 + 1.0)) ** 2
            - 64.0 * (1.0 / z2 + 1.0 / n) * p0
            * (n * (p0 * (n / z2 + 2.0) - 1.0) + z2 * (p0 - 1.0)))
    adj = np.sqrt(np.maximum(disc, 0.0))  # >= 0 for p0 in [0, 1]; clamp rounding at p0 = 1
    last = 1.0 / z2 + 1.0 / n
    sign = -1.0 if side == "low" else 1.0
    return (first + sign * adj / 8.0) / last / n


def funnel_proportion_limits(n: Any, p0: float, multiplier: float = 100.0) -> pd.DataFrame:
    """Funnel-plot control limits for a proportion around a target ``p0``, against ``n``.

    Parameters
    ----------
    n : float or array-like
        Denominators (the funnel's x axis), ``> 0``.
    p0 : float
        The target or average proportion, in [0, 1] (e.g. England's value, or
        ``Σx / Σn`` over the areas plotted).
    multiplier : float
        100 for percentages (default), 1 for proportions.

    Returns
    -------
    pandas.DataFrame
        One row per ``n``: ``n, baseline, lower95, upper95, lower99_8,
        upper99_8, statistic, method``.  Each limit is the proportion at which
        that area's own Wilson interval would just touch ``p0``; limits are
        clipped to [0, multiplier].

    Notes
    -----
    Fingertips funnel plot guidance ("PHE Technical Guide: Funnel plots");
    PHEindicatormethods ``calculate_funnel_limits(statistic = "proportion")``
    (``sigma_adjustment``), with z for 0.975 and 0.999.

    Examples
    --------
    >>> f = funnel_proportion_limits([100, 10_000], 0.5)
    >>> [round(v, 2) for v in f.lower95], [round(v, 2) for v in f.upper99_8]
    ([40.2, 49.02], [65.45, 51.55])
    """
    where = "funnel_proportion_limits"
    na = np.atleast_1d(_positive(n, "n", where, "a denominator > 0"))
    p = float(p0)
    if not 0.0 <= p <= 1.0:
        raise StatsInputError(where, "p0 must be a proportion in [0, 1]", column="p0", value=p0)
    m = float(multiplier)
    out = {"n": na, "baseline": np.full(na.shape, p * m)}
    for col, prob, side in (("lower95", 0.975, "low"), ("upper95", 0.975, "high"),
                            ("lower99_8", 0.999, "low"), ("upper99_8", 0.999, "high")):
        with np.errstate(invalid="ignore"):
            out[col] = np.clip(_wilson_funnel(na, p, prob, side) * m, 0.0, m)
    df = pd.DataFrame(out)
    df["statistic"] = "proportion" if m == 1 else f"proportion x {m:g}"
    df["method"] = "Wilson"
    return df


def _exact_mean_bounds(obs: np.ndarray, tail: float) -> tuple[np.ndarray, np.ndarray]:
    """Poisson means at which ``P(X >= obs) = tail`` (low) and ``P(X <= obs) = tail`` (high)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(obs == 0, 0.0, _st.chi2.ppf(tail, 2.0 * obs) / 2.0)
        high = _st.chi2.ppf(1.0 - tail, 2.0 * obs + 2.0) / 2.0
    return low, high


def funnel_ratio_limits(observed: Any, refvalue: float = 1.0) -> pd.DataFrame:
    """Funnel-plot control limits for an indirectly standardised ratio, against observed events.

    Parameters
    ----------
    observed : float or array-like
        Observed event counts (the x axis), ``>= 0``.
    refvalue : float
        1 for ratios, 100 for SMRs on the ×100 scale.

    Returns
    -------
    pandas.DataFrame
        ``observed, baseline, lower95, upper95, lower99_8, upper99_8,
        statistic, method``.  At ``O`` observed events, the lower 95% limit is
        ``O / μ`` where ``μ`` is the Poisson mean with ``P(X <= O) = 0.025``,
        the upper ``O / μ`` with ``P(X >= O) = 0.025`` (0.001 for 99.8%).  For
        ``O = 0`` the upper limits are infinite.

    Notes
    -----
    PHEindicatormethods ``calculate_funnel_limits(statistic = "ratio",
    ratio_type = "isr")`` (``poisson_funnel``, a bisection to 1e-7 on the same
    Poisson tail equations); here the means come from exact chi-square quantiles,
    ``μ = χ²(p; 2O)/2`` and ``χ²(1 − p; 2O + 2)/2``.

    Examples
    --------
    >>> f = funnel_ratio_limits([10, 100])
    >>> [round(v, 4) for v in f.lower95], [round(v, 4) for v in f.upper95]
    ([0.5438, 0.8222], [2.0853, 1.229])
    """
    where = "funnel_ratio_limits"
    oa = np.atleast_1d(_counts(observed, "observed", where))
    r = float(refvalue)
    out = {"observed": oa, "baseline": np.full(oa.shape, r)}
    for suffix, tail in (("95", 0.025), ("99_8", 0.001)):
        low, high = _exact_mean_bounds(oa, tail)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"lower{suffix}"] = oa / high * r
            out[f"upper{suffix}"] = np.where(oa == 0, np.inf, oa / np.where(low > 0, low, 1) * r)
    df = pd.DataFrame(out)[["observed", "baseline", "lower95", "upper95", "lower99_8",
                            "upper99_8"]]
    df["statistic"] = "ratio" if r == 1 else f"ratio x {r:g}"
    df["method"] = "Poisson"
    return df


def funnel_rate_limits(events: Any, baseline_rate: float, years: float = 1.0,
                       multiplier: float = 100_000) -> pd.DataFrame:
    """Funnel-plot control limits for a rate around a baseline, against the number of events.

    Parameters
    ----------
    events : float or array-like
        Event counts (the x axis), ``>= 0``.
    baseline_rate : float
        The average (or England) rate, per ``multiplier``.
    years : float
        Years of data the counts cover; the populations returned are annual.
    multiplier : float
        Rate per this many (default 100,000).

    Returns
    -------
    pandas.DataFrame
        ``events, baseline, lower95, upper95, lower99_8, upper99_8`` (rates per
        ``multiplier``) and ``population_lower95`` … ``population_upper99_8``:
        the annual population at which ``events`` would lie on that limit, to
        plot the funnel against population.  Also ``statistic, method``.

    Notes
    -----
    PHEindicatormethods ``calculate_funnel_limits(statistic = "rate")``: with
    baseline rate ``r`` per person, the lower limit at ``E`` events is
    ``E r / μ_high`` (population ``μ_high / r / years``) and the upper
    ``E r / μ_low``, with ``μ`` the exact Poisson bounds of :func:`funnel_ratio_limits`.

    Examples
    --------
    >>> f = funnel_rate_limits([100], 500.0, years=3)
    >>> [round(float(f[c].iloc[0]), 2) for c in ("lower95", "upper95", "population_lower95")]
    [411.09, 614.52, 8108.45]
    """
    where = "funnel_rate_limits"
    ea = np.atleast_1d(_counts(events, "events", where))
    b = float(baseline_rate)
    if not b > 0:
        raise StatsInputError(where, "baseline_rate must be > 0", column="baseline_rate",
                              value=baseline_rate)
    y = float(years)
    if not y > 0:
        raise StatsInputError(where, "years must be > 0", column="years", value=years)
    m = float(multiplier)
    per_person = b / m
    out: dict[str, Any] = {"events": ea, "baseline": np.full(ea.shape, b)}
    pops: dict[str, Any] = {}
    for suffix, tail in (("95", 0.025), ("99_8", 0.001)):
        low, high = _exact_mean_bounds(ea, tail)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"lower{suffix}"] = ea * per_person / high * m
            out[f"upper{suffix}"] = np.where(ea == 0, np.inf,
                                             ea * per_person / np.where(low > 0, low, 1) * m)
            pops[f"population_lower{suffix}"] = high / per_person / y
            pops[f"population_upper{suffix}"] = low / per_person / y
    df = pd.DataFrame(out)[["events", "baseline", "lower95", "upper95", "lower99_8",
                            "upper99_8"]]
    for col in ("population_lower95", "population_upper95", "population_lower99_8",
                "population_upper99_8"):
        df[col] = pops[col]
    df["statistic"] = f"rate per {m:,.0f}"
    df["method"] = "Poisson"
    return df


def funnel_significance(value: Any, limits: pd.DataFrame) -> np.ndarray:
    """Where each point lies against its funnel limits (limits computed at the point's own x).

    Parameters
    ----------
    value : array-like
        The plotted values, on the same scale as the limits.
    limits : pandas.DataFrame
        From one of the ``funnel_*_limits`` functions, one row per value.

    Returns
    -------
    numpy.ndarray of str
        ``"High (0.001)"``, ``"High (0.025)"``, ``"Low (0.001)"``, ``"Low (0.025)"``,
        ``"Not significant"``, or ``"Not compared"`` where the value is missing:
        the labels of PHEindicatormethods ``assign_funnel_significance``.

    For ratio funnels, testing the point ``O/E`` against the limits at its own
    ``O`` is the same as asking whether the exact Poisson interval of ``O/E``
    excludes 1.  (PHEindicatormethods ``assign_funnel_significance`` uses Byar's
    limits from 10 events for that test, so a point within 0.2% of a limit may
    be classed differently.)

    Examples
    --------
    >>> lim = funnel_proportion_limits([100, 100, 100], 0.5)
    >>> funnel_significance([70, 55, 38], lim).tolist()
    ['High (0.001)', 'Not significant', 'Low (0.025)']
    """
    v = np.asarray(value, dtype=float)
    if len(limits) != v.size:
        raise StatsInputError("funnel_significance", "limits must have one row per value",
                              column="limits", value=len(limits))
    lo95, hi95 = limits["lower95"].to_numpy(), limits["upper95"].to_numpy()
    lo99, hi99 = limits["lower99_8"].to_numpy(), limits["upper99_8"].to_numpy()
    return np.select(
        [np.isnan(v), v > hi99, v > hi95, v < lo99, v < lo95],
        ["Not compared", "High (0.001)", "High (0.025)", "Low (0.001)", "Low (0.025)"],
        default="Not significant",
    )


