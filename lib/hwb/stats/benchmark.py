"""Comparison with a benchmark (Fingertips RAG labels)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from hwb.stats._common import StatsInputError

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
    >>> from hwb.stats import proportion_frame
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


