"""Shared helpers of hwb.stats: argument checks, quantiles, result types."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np

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
    >>> from hwb.stats import wilson_ci
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


