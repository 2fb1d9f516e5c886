"""Public-health statistics, computed as OHID Fingertips computes them.

Every interval here follows the published PHE/OHID method descriptions (the
Fingertips *Public Health Technical Guidance*, its *Technical guide: confidence
intervals* and the APHO *Technical Briefing 3*) and their reference
implementation, the PHEindicatormethods R package:

===========================  =====================================================
statistic                    method
===========================  =====================================================
proportion                   Wilson score (:func:`wilson_ci`); Clopper-Pearson
                             exact on request (:func:`clopper_pearson_ci`)
count, crude rate, ISR       exact Poisson (chi-square) below 10 events, Byar's
                             approximation from 10 (:func:`rate_ci`,
                             :func:`isr_ratio`, :func:`isr_rate`)
directly standardised rate   Dobson's method with Byar's limits for the total
                             count; not calculated below 10 events (:func:`dsr`)
mean                         Student's t (:func:`mean_ci`)
ratio of two rates           log (Wald) or exact conditional (:func:`rate_ratio`)
funnel plot control limits   Wilson-inverted (proportions) and exact Poisson
                             (ratios and rates) at 95% and 99.8%
slope index of inequality    weighted regression on the cumulative population
                             midpoint; CI by simulation (:func:`sii`)
===========================  =====================================================

Quantiles are exact: ``z = scipy.stats.norm.ppf(confidence + (1 - confidence) / 2)``
and ``scipy.stats.chi2.ppf``, never 1.96 or 3.09.

Conventions
-----------
* Scalar-or-array: the interval functions take scalars or array-likes, broadcast
  them with numpy and return floats for scalar input, arrays otherwise, packed
  in a :class:`CI` ``(lower, upper)`` or :class:`Estimate` ``(value, lower,
  upper)`` named tuple.
* ``conf`` is a confidence level in [0.5, 1), e.g. 0.95 or 0.998; a percentage
  in [50, 100) such as 95 or 99.8 is also accepted and divided by 100, as in
  PHEindicatormethods.
* Missing inputs (NaN) give NaN outputs; they are never an error.
* Bad input (a negative count, a numerator above its denominator, a zero or
  negative population, a confidence level outside [0.5, 1)) raises
  :class:`StatsInputError`, which is both a :class:`hwb.errors.DataError` (so the
  command line prints it as one line and exits 2) and a :class:`ValueError`.
  Its message names the function, the argument, the position (or the
  DataFrame row and the source file for the frame helpers) and the rule.
* The ``*_frame`` helpers take a tidy DataFrame and return one with the
  columns :data:`INTERVAL_COLUMNS`: ``value, lower95, upper95, lower99_8,
  upper99_8, statistic, confidence, method``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from hwb.errors import DataError


class _Lazy:
    """A module imported on first use: scipy.stats costs over a second to import, and a cached
    rebuild, which only lists the papers, needs none of it."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        import importlib

        return getattr(importlib.import_module(self._name), attr)


_st = _Lazy("scipy.stats")

__all__ = [
    "CI",
    "Estimate",
    "SIIResult",
    "StatsInputError",
    "INTERVAL_COLUMNS",
    "z_value",
    "wilson_ci",
    "clopper_pearson_ci",
    "byar_ci",
    "exact_poisson_ci",
    "poisson_ci",
    "rate_ci",
    "dsr",
    "dsr_nonindependent",
    "expected_events",
    "isr_ratio",
    "isr_rate",
    "mean_ci",
    "rate_ratio",
    "funnel_proportion_limits",
    "funnel_ratio_limits",
    "funnel_rate_limits",
    "funnel_significance",
    "sii",
    "compare_to_benchmark",
    "compare_frame",
    "esp2013",
    "esp2013_weights",
    "proportion_frame",
    "rate_frame",
    "dsr_frame",
    "isr_frame",
    "mean_frame",
]

#: Columns every tidy interval frame carries, in this order.
INTERVAL_COLUMNS = (
    "value",
    "lower95",
    "upper95",
    "lower99_8",
    "upper99_8",
    "statistic",
    "confidence",
    "method",
)

_CONF_LABEL = "95%, 99.8%"
_BYAR_FROM = 10  # Fingertips: exact Poisson below 10 events, Byar's method from 10
_DSR_MIN_EVENTS = 10  # Fingertips: DSRs are not calculated below 10 events


class CI(NamedTuple):
    """A confidence interval: ``lower`` and ``upper`` limits (floats or arrays)."""

    lower: Any
    upper: Any


class Estimate(NamedTuple):
    """A point estimate with its confidence limits (floats or arrays)."""

    value: Any
    lower: Any
    upper: Any


class StatsInputError(DataError, ValueError):
    """Bad input to a statistics function.

    A :class:`hwb.errors.DataError` whose ``file`` is the function (or, for the
    frame helpers, the data source), ``column`` the argument or column, ``row``
    the position or DataFrame index of the first offending value and ``rule`` what
    was expected.  Also a :class:`ValueError`, so ordinary Python code may catch it
    as one.

    Examples
    --------
    >>> try:
    ...     wilson_ci(-1, 10)
    ... except StatsInputError as e:
    ...     print(e)
    wilson_ci, column 'x': must be a count >= 0 (got -1.0)
    """


# --------------------------------------------------------------------------- helpers


def _conf(conf: float, where: str) -> float:
    try:
        c = float(conf)
    except (TypeError, ValueError):
        raise StatsInputError(where, "confidence must be a number in [0.5, 1)", column="conf",
                              value=conf) from None
    if 1.0 < c < 100.0:
        c = c / 100.0
    if not (0.5 <= c < 1.0):
        raise StatsInputError(where, "confidence must be in [0.5, 1), e.g. 0.95, or a "
                              "percentage in [50, 100), e.g. 95", column="conf", value=conf)
    return c


def z_value(conf: float = 0.95) -> float:
    """The two-sided standard normal quantile for a confidence level.

    ``z = Φ⁻¹(conf + (1 - conf) / 2)``, the expression PHEindicatormethods uses.

    Parameters
    ----------
    conf : float
        Confidence level, e.g. 0.95 or 0.998 (or 95, 99.8).

    Returns
    -------
    float

    Examples
    --------
    >>> round(z_value(0.95), 6), round(z_value(99.8), 6)
    (1.959964, 3.090232)
    """
    c = _conf(conf, "z_value")
    return _z(c)


def _arr(value: Any, name: str, where: str) -> np.ndarray:
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise StatsInputError(where, "must be numeric", column=name, value=value) from None
    return a


def _first_bad(bad: np.ndarray) -> int | None:
    if bad.ndim == 0:
        return None
    return int(np.flatnonzero(bad.ravel())[0])


def _require(bad: np.ndarray, values: np.ndarray, name: str, where: str, rule: str) -> None:
    """Raise when any element of ``bad`` is true (NaN comparisons are false, so NaN passes)."""
    if np.any(bad):
        bad = np.asarray(bad)
        i = _first_bad(bad)
        v = values if i is None else np.broadcast_to(values, bad.shape).ravel()[i]
        raise StatsInputError(where, rule, row=i, column=name, value=float(v))


def _counts(value: Any, name: str, where: str) -> np.ndarray:
    a = _arr(value, name, where)
    _require(a < 0, a, name, where, "must be a count >= 0")
    _require(np.isinf(a), a, name, where, "must be finite")
    return a


def _positive(value: Any, name: str, where: str, what: str = "a population > 0") -> np.ndarray:
    a = _arr(value, name, where)
    _require(a <= 0, a, name, where, f"must be {what}")
    _require(np.isinf(a), a, name, where, "must be finite")
    return a


def _out(a: np.ndarray) -> Any:
    """A 0-d result as a Python float, anything else as an array."""
    a = np.asarray(a, dtype=float)
    return float(a) if a.ndim == 0 else a


def _tail(conf: float) -> tuple[float, float]:
    """Lower and upper tail probabilities as PHEindicatormethods writes them."""
    return (1.0 - conf) / 2.0, conf + (1.0 - conf) / 2.0


@lru_cache(maxsize=64)
def _z(conf: float) -> float:
    """``scipy.stats.norm.ppf(conf + (1 - conf) / 2)``, cached per confidence level."""
    return float(_st.norm.ppf(_tail(conf)[1]))


# --------------------------------------------------------------------------- proportions


def wilson_ci(x: Any, n: Any, conf: float = 0.95) -> CI:
    """Wilson score confidence interval for a proportion ``x / n``.

    Parameters
    ----------
    x : float or array-like
        Numerators (cases with the condition), ``0 <= x <= n``; need not be
        whole numbers (e.g. weighted counts).
    n : float or array-like
        Denominators, ``n > 0``.
    conf : float
        Confidence level (default 0.95).

    Returns
    -------
    CI
        ``(lower, upper)`` as proportions in [0, 1]; multiply by 100 for
        percentages.  ``x = 0`` gives a lower limit of exactly 0 and ``x = n``
        an upper limit of exactly 1.

    Notes
    -----
    Wilson EB (1927), J Am Stat Assoc 22:209-12; Newcombe RG, Altman DG,
    "Proportions and their differences", in *Statistics with confidence* (2nd
    edn, 2000), pp 46-48.  The formula is that of the Fingertips technical guide
    (Appendix 3) and PHEindicatormethods ``wilson_lower``/``wilson_upper``::

        (2x + z² ∓ z √(z² + 4x(1 − x/n))) / (2(n + z²))

    Examples
    --------
    Newcombe (1998, Stat Med 17:857-72), example (a): 81 of 263.

    >>> lo, hi = wilson_ci(81, 263)
    >>> round(lo, 4), round(hi, 4)
    (0.2553, 0.3662)
    >>> wilson_ci(0, 20).lower, wilson_ci(20, 20).upper
    (0.0, 1.0)
    """
    where = "wilson_ci"
    c = _conf(conf, where)
    xa = _counts(x, "x", where)
    na = _positive(n, "n", where, "a denominator > 0")
    xa, na = np.broadcast_arrays(xa, na)
    _require(xa > na, xa, "x", where, "must not exceed its denominator n")
    z = _z(c)
    z2 = z * z
    with np.errstate(invalid="ignore", divide="ignore"):
        root = z * np.sqrt(z2 + 4.0 * xa * (1.0 - xa / na))
        den = 2.0 * (na + z2)
        lower = (2.0 * xa + z2 - root) / den
        upper = (2.0 * xa + z2 + root) / den
    lower = np.where(xa == 0, 0.0, np.clip(lower, 0.0, 1.0))  # clip: rounding near 0 and 1
    upper = np.where(xa == na, 1.0, np.clip(upper, 0.0, 1.0))
    return CI(_out(lower), _out(upper))


def clopper_pearson_ci(x: Any, n: Any, conf: float = 0.95) -> CI:
    """Clopper-Pearson ("exact") binomial confidence interval for ``x / n``.

    Parameters
    ----------
    x : float or array-like
        Numerators, ``0 <= x <= n``.
    n : float or array-like
        Denominators, ``n > 0``.
    conf : float
        Confidence level (default 0.95).

    Returns
    -------
    CI
        ``(lower, upper)`` proportions; 0 when ``x = 0``, 1 when ``x = n``.

    Notes
    -----
    Clopper CJ, Pearson ES (1934), Biometrika 26:404-13, by the beta-quantile
    identity: lower = B⁻¹(α/2; x, n−x+1), upper = B⁻¹(1−α/2; x+1, n−x).
    Fingertips prefers Wilson for proportions; use this where a guaranteed
    coverage is asked for.

    Examples
    --------
    Newcombe (1998), example (b): 15 of 148.

    >>> lo, hi = clopper_pearson_ci(15, 148)
    >>> round(lo, 4), round(hi, 4)
    (0.0578, 0.1617)
    """
    where = "clopper_pearson_ci"
    c = _conf(conf, where)
    xa = _counts(x, "x", where)
    na = _positive(n, "n", where, "a denominator > 0")
    xa, na = np.broadcast_arrays(xa, na)
    _require(xa > na, xa, "x", where, "must not exceed its denominator n")
    lo_p, hi_p = _tail(c)
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = _st.beta.ppf(lo_p, xa, na - xa + 1.0)
        upper = _st.beta.ppf(hi_p, xa + 1.0, na - xa)
    lower = np.where(xa == 0, 0.0, lower)
    upper = np.where(xa == na, 1.0, upper)
    return CI(_out(lower), _out(upper))


# --------------------------------------------------------------------------- Poisson counts


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


# --------------------------------------------------------------------------- standardisation


@lru_cache(maxsize=1)
def _esp_table() -> pd.DataFrame:
    with resources.files("hwb.reference").joinpath("esp2013.csv").open("r") as f:
        df = pd.read_csv(f, dtype={"age_band": str})
    return df


def esp2013() -> pd.DataFrame:
    """The 2013 European Standard Population in 19 five-year bands (0-4 … 85-89, 90+).

    Returns
    -------
    pandas.DataFrame
        Columns ``age_band``, ``age_lower``, ``age_upper`` (NaN for 90+) and
        ``esp2013_population``; the populations sum to 100,000.

    Notes
    -----
    Eurostat, *Revision of the European Standard Population: report of
    Eurostat's task force* (2013 edition, KS-RA-13-028), as used by ONS, PHE and
    Fingertips.  The shipped copy and its citation are in
    ``hwb/reference/esp2013.csv`` and ``hwb/reference/SOURCE.md``.

    Examples
    --------
    >>> t = esp2013()
    >>> len(t), int(t.esp2013_population.sum()), t.age_band.iloc[-1]
    (19, 100000, '90+')
    """
    return _esp_table().copy()


def esp2013_weights(bands: Sequence[str] | None = None) -> np.ndarray:
    """ESP2013 populations as an array, for all 19 bands or for the named ones.

    Parameters
    ----------
    bands : sequence of str, optional
        Band labels as in :func:`esp2013` (``"65-69"``, …, ``"90+"``).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> esp2013_weights(["65-69", "70-74", "75-79", "80-84", "85-89", "90+"]).sum()
    np.float64(19500.0)
    """
    t = _esp_table()
    if bands is None:
        return t["esp2013_population"].to_numpy(dtype=float)
    lookup = dict(zip(t["age_band"], t["esp2013_population"], strict=True))
    missing = [b for b in bands if b not in lookup]
    if missing:
        raise StatsInputError("esp2013_weights", "unknown ESP2013 age band; expected one of "
                              + ", ".join(t["age_band"]), column="bands", value=missing[0])
    return np.array([lookup[b] for b in bands], dtype=float)


def _dsr_inputs(counts: Any, pops: Any, std_pops: Any, where: str
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xa = _counts(counts, "counts", where)
    na = _positive(pops, "pops", where)
    wa = esp2013_weights() if std_pops is None else _arr(std_pops, "std_pops", where)
    _require(wa < 0, wa, "std_pops", where, "must be a standard population >= 0")
    if xa.ndim == 0:
        raise StatsInputError(where, "counts and pops must be arrays over the age bands",
                              column="counts")
    if xa.shape[-1] != wa.shape[-1] or np.broadcast_shapes(na.shape, wa.shape)[-1] != xa.shape[-1]:
        raise StatsInputError(where, f"counts, pops and std_pops must have the same number of "
                              f"bands (got {xa.shape[-1]}, {na.shape[-1]}, {wa.shape[-1]})",
                              column="std_pops")
    return xa, na, wa


def _dobson(value: np.ndarray, var: np.ndarray, total: np.ndarray, conf: float,
            multiplier: float) -> Estimate:
    """Dobson limits from the DSR, its variance and the total count (Byar limits on the total)."""
    by = byar_ci(total, conf)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.sqrt(var / total) * multiplier
        lower = value + scale * (np.asarray(by.lower) - total)
        upper = value + scale * (np.asarray(by.upper) - total)
    small = total < _DSR_MIN_EVENTS
    nan = np.nan
    return Estimate(_out(np.where(small, nan, value)), _out(np.where(small, nan, lower)),
                    _out(np.where(small, nan, upper)))


def dsr(counts: Any, pops: Any, std_pops: Any = None, conf: float = 0.95,
        multiplier: float = 100_000) -> Estimate:
    """Directly standardised rate with Dobson's confidence limits.

    Parameters
    ----------
    counts : array-like, shape (..., bands)
        Events in each standardisation band (e.g. age band); NaN counts are
        treated as 0, as PHEindicatormethods does.  Leading axes are separate
        areas or periods.
    pops : array-like, shape (..., bands)
        Local populations in each band, all > 0.
    std_pops : array-like, shape (bands,), optional
        Standard population weights; default the 19-band ESP2013
        (:func:`esp2013_weights`).
    conf : float
        Confidence level (default 0.95).
    multiplier : float
        Rate per this many (default 100,000).

    Returns
    -------
    Estimate
        ``(value, lower, upper)``.  All three are NaN when the total count is
        below 10: Fingertips does not calculate DSRs on fewer than 10 events.

    Notes
    -----
    With weights ``wᵢ``, counts ``Oᵢ``, populations ``nᵢ`` and ``O = ΣOᵢ``::

        DSR   = Σ wᵢ Oᵢ / nᵢ / Σ wᵢ × multiplier
        var   = Σ wᵢ² Oᵢ / nᵢ² / (Σ wᵢ)²
        limit = DSR + √(var / O) (O_limit − O) × multiplier

    where ``O_lower``, ``O_upper`` are Byar's limits for ``O``.  Dobson AJ,
    Kuulasmaa K, Eberle E, Scherer J (1991), "Confidence intervals for weighted
    sums of Poisson parameters", Stat Med 10:457-62; Fingertips technical guide,
    Appendix 4; PHEindicatormethods ``calculate_dsr``.

    Examples
    --------
    Two bands with standard weights 1 and 3: counts 10 and 20 in populations
    1,000 and 4,000 give (10/1000 × 1 + 20/4000 × 3) / 4 = 0.00625, i.e. 625 per
    100,000.

    >>> round(dsr([10, 20], [1000, 4000], [1, 3]).value, 6)
    625.0
    >>> dsr([4, 5], [1000, 4000], [1, 3]).value  # 9 events: not calculated
    nan
    """
    where = "dsr"
    xa, na, wa = _dsr_inputs(counts, pops, std_pops, where)
    xa = np.nan_to_num(xa, nan=0.0)
    m = float(multiplier)
    wsum = wa.sum(axis=-1)
    value = (xa * wa / na).sum(axis=-1) / wsum * m
    var = (xa * (wa / na) ** 2).sum(axis=-1) / wsum**2
    total = xa.sum(axis=-1)
    return _dobson(value, var, total, _conf(conf, where), m)


def dsr_nonindependent(persons: Any, freqs: Any, pops: Any, std_pops: Any = None,
                       conf: float = 0.95, multiplier: float = 100_000) -> Estimate:
    """DSR of events that are not independent (people with repeat events), Dobson-adjusted.

    Parameters
    ----------
    persons : array-like, shape (..., frequencies, bands)
        Number of distinct people who had exactly ``freqs[k]`` events, by band.
    freqs : array-like, shape (frequencies,)
        The event frequencies (1, 2, 3, …).
    pops : array-like, shape (..., bands)
        Local populations by band (> 0).
    std_pops : array-like, shape (bands,), optional
        Standard population; default ESP2013.
    conf : float
        Confidence level (default 0.95).
    multiplier : float
        Rate per this many (default 100,000).

    Returns
    -------
    Estimate
        The DSR of all events (the same value as :func:`dsr` on the event
        counts ``Σₖ fₖ persons[k]``) with limits widened for repeat events; NaN
        below 10 events in total.

    Notes
    -----
    The Dobson variance becomes ``Σₖ fₖ² Σᵢ wᵢ² pₖᵢ / nᵢ² / (Σ wᵢ)²``: a person
    with f events contributes f² to the variance.  Fingertips Public Health
    Technical Guidance, DSR chapter; PHEindicatormethods ``calculate_dsr(...,
    independent_events = FALSE)``.

    Examples
    --------
    Ten people with one event each and five with two (20 events) in one band:

    >>> e = dsr_nonindependent([[10], [5]], [1, 2], [1000], [1])
    >>> round(e.value, 6), round(dsr([20], [1000], [1]).value, 6)
    (2000.0, 2000.0)
    """
    where = "dsr_nonindependent"
    pa = _counts(persons, "persons", where)
    fa = _arr(freqs, "freqs", where)
    _require(fa < 0, fa, "freqs", where, "must be an event frequency >= 0")
    if pa.ndim < 2 or pa.shape[-2] != fa.shape[-1]:
        raise StatsInputError(where, "persons must have shape (..., len(freqs), bands)",
                              column="persons")
    pa = np.nan_to_num(pa, nan=0.0)
    events = (pa * fa[:, None]).sum(axis=-2)
    xa, na, wa = _dsr_inputs(events, pops, std_pops, where)
    m = float(multiplier)
    wsum = wa.sum(axis=-1)
    value = (xa * wa / na).sum(axis=-1) / wsum * m
    per_freq = (pa * (wa / na)[..., None, :] ** 2).sum(axis=-1) / wsum[..., None] ** 2
    var = (per_freq * fa**2).sum(axis=-1)
    total = xa.sum(axis=-1)
    return _dobson(value, var, total, _conf(conf, where), m)


def expected_events(pops: Any, ref_counts: Any, ref_pops: Any) -> Any:
    """Expected events for indirect standardisation: ``Σ nᵢ × Rᵢ / Nᵢ``.

    Parameters
    ----------
    pops : array-like, shape (..., bands)
        Local populations by band.
    ref_counts : array-like, shape (bands,)
        Events in the reference (e.g. England) population by band; NaN counts
        as 0, as in PHEindicatormethods.
    ref_pops : array-like, shape (bands,)
        Reference populations by band (> 0).

    Returns
    -------
    float or numpy.ndarray
        Summed over the last axis.

    Notes
    -----
    APHO Technical Briefing 3; PHEindicatormethods ``calculate_ISRatio``.

    Examples
    --------
    >>> expected_events([1000, 500], [20, 90], [10_000, 3_000])
    17.0
    """
    where = "expected_events"
    na = _counts(pops, "pops", where)
    ra = np.nan_to_num(_counts(ref_counts, "ref_counts", where), nan=0.0)
    rp = _positive(ref_pops, "ref_pops", where)
    return _out((np.nan_to_num(na, nan=0.0) * ra / rp).sum(axis=-1))


def isr_ratio(observed: Any, expected: Any, conf: float = 0.95, refvalue: float = 1.0
              ) -> Estimate:
    """Indirectly standardised ratio (e.g. SMR) ``O / E × refvalue`` with limits.

    Parameters
    ----------
    observed : float or array-like
        Observed events, ``>= 0``.
    expected : float or array-like
        Expected events (:func:`expected_events`), ``> 0``.
    conf : float
        Confidence level (default 0.95).
    refvalue : float
        1 for a ratio, 100 for the usual SMR scale.

    Returns
    -------
    Estimate
        Limits: exact Poisson limits of ``O`` below 10, Byar's from 10, over ``E``.

    Notes
    -----
    Fingertips technical guidance; PHEindicatormethods ``calculate_ISRatio``.

    Examples
    --------
    >>> [round(v, 2) for v in isr_ratio(9, 4.5, refvalue=100)]
    [200.0, 91.45, 379.66]
    """
    where = "isr_ratio"
    oa = _counts(observed, "observed", where)
    ea = _positive(expected, "expected", where, "an expected count > 0")
    oa, ea = np.broadcast_arrays(oa, ea)
    lim = poisson_ci(oa, conf)
    r = float(refvalue)
    return Estimate(_out(oa / ea * r), _out(np.asarray(lim.lower) / ea * r),
                    _out(np.asarray(lim.upper) / ea * r))


def isr_rate(observed: Any, expected: Any, ref_rate: Any, conf: float = 0.95) -> Estimate:
    """Indirectly standardised rate ``O / E × reference rate`` with limits.

    Parameters
    ----------
    observed : float or array-like
        Observed events.
    expected : float or array-like
        Expected events (> 0).
    ref_rate : float or array-like
        The reference population's crude rate, already per the multiplier
        (e.g. ``Σ ref_counts / Σ ref_pops × 100000``).
    conf : float
        Confidence level (default 0.95).

    Returns
    -------
    Estimate
        Same exact/Byar rule on the observed count as :func:`isr_ratio`.

    Notes
    -----
    PHEindicatormethods ``calculate_ISRate``.

    Examples
    --------
    >>> [round(v, 2) for v in isr_rate(20, 25, 500.0)]
    [400.0, 244.23, 617.8]
    """
    rr = _arr(ref_rate, "ref_rate", "isr_rate")
    e = isr_ratio(observed, expected, conf, 1.0)
    return Estimate(_out(np.asarray(e.value) * rr), _out(np.asarray(e.lower) * rr),
                    _out(np.asarray(e.upper) * rr))


# --------------------------------------------------------------------------- means, ratios


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


# --------------------------------------------------------------------------- funnel plots


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


# --------------------------------------------------------------------------- inequality


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

    def fwd(v: np.ndarray) -> np.ndarray:
        if value_type == "rate":
            return np.log(v)
        if value_type == "proportion":
            return np.log(v / (1.0 - v))
        return v

    def back(v: np.ndarray) -> np.ndarray:
        if value_type == "rate":
            return np.exp(v)
        if value_type == "proportion":
            return np.exp(v) / (1.0 + np.exp(v))
        return v

    if se is not None:
        sa = _arr(se, "se", where).ravel()
        _require(sa < 0, sa, "se", where, "must be a standard error >= 0")
    elif lower is not None and upper is not None:
        lo = fwd(_arr(lower, "lower", where).ravel())
        hi = fwd(_arr(upper, "upper", where).ravel())
        sa = (hi - lo) / float(_st.norm.ppf(0.975)) / 2.0
    else:
        sa = None  # point estimates only
    if sa is not None and (sa.size != q or np.isnan(sa).any()):
        raise StatsInputError(where, "standard errors must be given for every quantile",
                              column="se")

    a = pa / pa.sum()
    b = np.cumsum(a) - a / 2.0
    sqrt_a = np.sqrt(a)
    design = np.vstack([sqrt_a, b * sqrt_a])  # 2 x q
    solve = np.linalg.solve(design @ design.T, design)  # 2 x q: (X'X)^-1 X'
    m = float(multiplier)

    def fit(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        params = solve @ (y * sqrt_a[:, None] if y.ndim == 2 else y * sqrt_a)
        return params[0], params[1]

    icpt, slope = fit(va)
    point_sii = float(slope) * m
    point_rii = float((slope + icpt) / icpt)
    if m < 0:
        point_rii = 1.0 / point_rii

    reps = int(repetitions)
    if sa is None:
        nan = float("nan")
        return SIIResult(point_sii, nan, nan, point_rii, nan, nan, c, 0)
    rng = np.random.default_rng(seed)
    draws = back(rng.normal(fwd(va)[:, None], sa[:, None], size=(q, reps)))
    s_icpt, s_slope = fit(draws)
    sim_sii = np.sort(s_slope * m)
    with np.errstate(divide="ignore", invalid="ignore"):
        sim_rii = (s_slope + s_icpt) / s_icpt
        if m < 0:
            sim_rii = 1.0 / sim_rii
    sim_rii = np.sort(sim_rii)
    upper_p = c + (1.0 - c) / 2.0
    pos_lo = int(round(reps * (1.0 - upper_p))) - 1  # R's 1-based order statistic
    pos_hi = int(round(reps * upper_p)) - 1
    pos_lo = max(pos_lo, 0)
    return SIIResult(point_sii, float(sim_sii[pos_lo]), float(sim_sii[pos_hi]), point_rii,
                     float(sim_rii[pos_lo]), float(sim_rii[pos_hi]), c, reps)


# --------------------------------------------------------------------------- benchmarking

_POLARITY = {
    None: "none",
    "none": "none",
    "not applicable": "none",
    "bob": "none",
    "rag - high is good": "high",
    "high is good": "high",
    "high_is_good": "high",
    "high": "high",
    "rag - low is good": "low",
    "low is good": "low",
    "low_is_good": "low",
    "low": "low",
}


def compare_to_benchmark(lower: Any, upper: Any, benchmark: Any, polarity: str | None = None
                         ) -> Any:
    """The Fingertips comparison of an interval with a benchmark (e.g. England).

    Parameters
    ----------
    lower, upper : float or array-like
        The confidence limits of the local value (Fingertips compares at 95%,
        and at 99.8% where a profile asks for it).
    benchmark : float or array-like
        The benchmark value (England, the region, a target).
    polarity : str or None
        ``"high is good"`` (Fingertips "RAG - High is good"), ``"low is good"``
        ("RAG - Low is good"), or ``None``/``"none"``/``"BOB"`` when higher is
        neither better nor worse.

    Returns
    -------
    str or numpy.ndarray of str
        With a polarity: ``"Better"``, ``"Similar"`` or ``"Worse"``; without:
        ``"Higher"``, ``"Similar"``, ``"Lower"``; ``"Not compared"`` where any of
        the three inputs is missing.  "Higher" means the whole interval lies
        above the benchmark (``lower > benchmark``); an interval touching the
        benchmark is "Similar".

    Notes
    -----
    Fingertips Public Health Technical Guidance, "Comparing indicator values
    against a benchmark" (the interval-overlap test against the benchmark value).

    Examples
    --------
    >>> compare_to_benchmark(10.2, 12.0, 9.8, "high is good")
    'Better'
    >>> compare_to_benchmark([1, 5, 1], [3, 7, 3], [4, 4, float("nan")]).tolist()
    ['Lower', 'Higher', 'Not compared']
    """
    key = polarity.strip().lower() if isinstance(polarity, str) else polarity
    if key not in _POLARITY:
        raise StatsInputError("compare_to_benchmark", "polarity must be 'high is good', "
                              "'low is good' or None", column="polarity", value=polarity)
    pol = _POLARITY[key]
    lo = np.asarray(lower, dtype=float)
    hi = np.asarray(upper, dtype=float)
    bm = np.asarray(benchmark, dtype=float)
    lo, hi, bm = np.broadcast_arrays(lo, hi, bm)
    higher, lower_lbl = {"none": ("Higher", "Lower"), "high": ("Better", "Worse"),
                         "low": ("Worse", "Better")}[pol]
    missing = np.isnan(lo) | np.isnan(hi) | np.isnan(bm)
    out = np.select([missing, lo > bm, hi < bm], ["Not compared", higher, lower_lbl],
                    default="Similar")
    return str(out) if out.ndim == 0 else out


def compare_frame(df: pd.DataFrame, benchmark: Any, polarity: str | None = None,
                  level: str = "95") -> pd.DataFrame:
    """Add the Fingertips benchmark comparison to a tidy interval frame.

    Parameters
    ----------
    df : pandas.DataFrame
        A frame with ``lower95``/``upper95`` (and ``lower99_8``/``upper99_8``)
        columns, e.g. from :func:`proportion_frame`.
    benchmark : float, array-like or str
        The benchmark value(s), or the name of a column holding them.
    polarity : str or None
        As in :func:`compare_to_benchmark`.
    level : {"95", "99_8"}
        Which interval to compare.

    Returns
    -------
    pandas.DataFrame
        A copy with ``benchmark``, ``comparison`` and ``comparison_level``
        (``"95%"`` or ``"99.8%"``) columns.

    Examples
    --------
    >>> f = proportion_frame(pd.DataFrame({"x": [81, 40], "n": [263, 100]}), "x", "n")
    >>> compare_frame(f, 25.0, "high is good").comparison.tolist()
    ['Better', 'Better']
    >>> compare_frame(f, 35.0, None).comparison.tolist()
    ['Similar', 'Similar']
    """
    if level not in ("95", "99_8"):
        raise StatsInputError("compare_frame", "level must be '95' or '99_8'", column="level",
                              value=level)
    out = df.copy()
    bench = out[benchmark] if isinstance(benchmark, str) else benchmark
    out["benchmark"] = np.broadcast_to(np.asarray(bench, dtype=float), (len(out),))
    out["comparison"] = compare_to_benchmark(out[f"lower{level}"].to_numpy(dtype=float),
                                             out[f"upper{level}"].to_numpy(dtype=float),
                                             out["benchmark"].to_numpy(dtype=float), polarity)
    out["comparison_level"] = "95%" if level == "95" else "99.8%"
    return out


# --------------------------------------------------------------------------- tidy frames


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
    if isinstance(std_pop, str):
        w = _col(d, std_pop, source)
        _check_frame(d, source, std_pop, w.isna() | (w < 0), "standard population must be >= 0")
        d["_w"] = w
    elif std_pop is None and band is not None:
        t = _esp_table()
        lookup = dict(zip(t["age_band"], t["esp2013_population"], strict=True))
        d["_w"] = d[band].astype(str).map(lookup)
        _check_frame(d, source, band, d["_w"].isna(), "not an ESP2013 age band (0-4 ... 90+)")
    else:
        weights = esp2013_weights() if std_pop is None else np.asarray(std_pop, dtype=float)
        d["_w"] = np.nan
        for _, grp in (d.groupby(keys, sort=False) if keys else [((), d)]):
            idx = grp.index
            if len(idx) != weights.size:
                raise _frame_fail(source, f"each group needs {weights.size} rows (one per band) "
                                  f"to match std_pop by position", row=idx[0], column=x,
                                  value=len(idx))
            d.loc[idx, "_w"] = weights
    d["_x"] = xs.fillna(0.0)
    d["_n"] = ns
    groups = d.groupby(keys, sort=False) if keys else [((), d)]
    rows = []
    for key, g in groups:
        rec = dict(zip(keys, key if isinstance(key, tuple) else (key,), strict=True))
        if event_freq is None:
            total_pop = g["_n"].sum()
            args95 = (g["_x"].to_numpy(), g["_n"].to_numpy(), g["_w"].to_numpy())
            e95 = dsr(*args95, conf=0.95, multiplier=multiplier)
            e998 = dsr(*args95, conf=0.998, multiplier=multiplier)
            total = g["_x"].sum()
            method = "Dobson"
        else:
            if band is None:
                raise _frame_fail(source, "band is required with event_freq", column="band")
            f = _col(g, event_freq, source)
            wide = g.assign(_f=f).pivot_table(index="_f", columns=band, values="_x",
                                              aggfunc="sum", fill_value=0.0, sort=False)
            bands = list(wide.columns)
            first = g.drop_duplicates(band).set_index(band)
            pops = first.loc[bands, "_n"].to_numpy()
            wts = first.loc[bands, "_w"].to_numpy()
            freqs = wide.index.to_numpy(dtype=float)
            e95 = dsr_nonindependent(wide.to_numpy(), freqs, pops, wts, 0.95, multiplier)
            e998 = dsr_nonindependent(wide.to_numpy(), freqs, pops, wts, 0.998, multiplier)
            total = float((wide.to_numpy() * freqs[:, None]).sum())
            total_pop = pops.sum()
            method = "Dobson, with confidence adjusted for non-independent events"
        rec.update(total_count=float(total), total_pop=float(total_pop), value=e95.value,
                   lower95=e95.lower, upper95=e95.upper, lower99_8=e998.lower,
                   upper99_8=e998.upper,
                   statistic=(f"dsr per {float(multiplier):,.0f}" if total >= _DSR_MIN_EVENTS
                              else f"dsr not calculated for total count < {_DSR_MIN_EVENTS}"),
                   confidence=_CONF_LABEL, method=method)
        rows.append(rec)
    return pd.DataFrame(rows, columns=[*keys, "total_count", "total_pop", *INTERVAL_COLUMNS])


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
