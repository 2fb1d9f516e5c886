"""Statistical process control: NHS England *Making Data Count* XmR charts.

:func:`xmr` computes an XmR (individuals) chart of a monthly (or any ordered)
series as NHS England's *Making Data Count* guidance describes it and as the
NHS-R community's reference implementation, the R package NHSRplotthedots
(``ptd_spc``), computes it: the mean, the moving ranges and their mean, the
process limits at mean ± 2.66 × mean moving range, the four special-cause
rules, and the *variation* and *assurance* verdicts.

Where this module and NHSRplotthedots could differ, it follows NHSRplotthedots
(see ``docs/statistics.md``): sigma is ``2.66 / 3`` × mean moving range (the
package's ``limitclose``), which is ``mMR / 1.1278``, within 0.02% of the
textbook ``mMR / d2`` with ``d2 = 1.128``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from hwb.stats._common import StatsInputError

#: Process limits sit this many mean moving ranges from the mean (3 / 1.128, rounded).
LIMIT = 2.66
#: Moving ranges above this many mean moving ranges are screened out (``screen_outliers``).
MR_SCREEN = 3.267
#: The method, as a results table or appendix quotes it.
METHOD = ("XmR chart (individuals, mean moving range): NHS England and NHS Improvement, "
          "Making Data Count (2019); NHSRplotthedots (NHS-R community)")

COMMON = "common cause"
IMPROVEMENT = "special cause improvement"
CONCERN = "special cause concern"
NEITHER = "special cause neither"
NO_DATA = "no data"
PASS = "consistently passes"
HIT_AND_MISS = "hit and miss"
FAIL = "consistently fails"

_DIRECTIONS = {"increase": 1, "decrease": -1, "neutral": 0}


@dataclass(frozen=True)
class SPCSummary:
    """The verdicts of an XmR chart, for the last point.

    Attributes
    ----------
    variation : str
        The last recorded point's verdict: ``"common cause"``, ``"special
        cause improvement"``, ``"special cause concern"`` or ``"special cause
        neither"`` (neutral direction).
    assurance : str or None
        Against the target at the last point: ``"consistently passes"``,
        ``"hit and miss"``, ``"consistently fails"``; None with no target (or
        a neutral direction).
    n_points : int
        Recorded (non-missing) points.
    n_missing : int
        Missing points (shown, not used).
    improvement : str
        ``"increase"``, ``"decrease"`` or ``"neutral"``.
    target : float or None
        The target at the last point.
    mean, lpl, upl : float
        The last segment's mean and process limits.
    segments : int
        Number of segments (1 + rebases).
    warnings : tuple of str
        E.g. a segment shorter than the run length.
    method : str
        :data:`METHOD`.
    """

    variation: str
    assurance: str | None
    n_points: int
    n_missing: int
    improvement: str
    target: float | None
    mean: float
    lpl: float
    upl: float
    segments: int
    warnings: tuple[str, ...] = field(default=())
    method: str = METHOD


def _runs_flag(sign: np.ndarray, n: int) -> np.ndarray:
    """Points that are part of ``n`` or more consecutive equal non-zero signs."""
    out = np.zeros(sign.size, dtype=bool)
    i = 0
    while i < sign.size:
        j = i
        while j + 1 < sign.size and sign[j + 1] == sign[i]:
            j += 1
        if sign[i] != 0 and j - i + 1 >= n:
            out[i:j + 1] = True
        i = j + 1
    return out


def _trend(y: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Points in a run of ``n`` points each strictly above (or below) the one before.

    Returns the flag and the trend's direction at each point (+1 up, -1 down, 0).
    A tie (equal neighbours) has no direction, so it ends a trend; a point where a
    falling trend turns into a rising one takes the direction of the trend to its
    right, as NHSRplotthedots does.
    """
    flag = np.zeros(y.size, dtype=bool)
    direction = np.zeros(y.size, dtype=int)
    if y.size < n or n < 2:
        return flag, direction
    d = np.sign(np.diff(y)).astype(int)  # d[k] is the step from point k to k + 1
    for end in range(n - 1, y.size):
        steps = d[end - n + 1:end]
        if steps.size and (np.all(steps == 1) or np.all(steps == -1)):
            flag[end - n + 1:end + 1] = True
    for k in np.flatnonzero(flag):
        right = k + 1 < y.size and flag[k + 1]
        direction[k] = d[k] if right else d[k - 1]
    return flag, direction


def _two_in_three(close: np.ndarray, side: np.ndarray) -> np.ndarray:
    """Close-to-limit points in a window of three on one side of the mean with two or more close."""
    out = np.zeros(close.size, dtype=bool)
    for start in range(close.size - 2):
        w = slice(start, start + 3)
        if close[w].sum() >= 2 and abs(side[w].sum()) == 3:
            out[w] |= close[w]
    return out


def _segment(y: np.ndarray, fix_after_n_points: int | None,
             screen_outliers: bool) -> tuple[float, float]:
    """Mean and mean moving range of one segment's recorded points (in order)."""
    base = y if fix_after_n_points is None else y[:fix_after_n_points]
    base = base[~np.isnan(base)]
    if base.size == 0:
        return np.nan, np.nan
    mean = float(base.mean())
    mr = np.abs(np.diff(base))
    if mr.size == 0:
        return mean, np.nan
    amr = float(mr.mean())
    if screen_outliers:
        kept = mr[mr < MR_SCREEN * amr]
        amr = float(kept.mean()) if kept.size else amr
    return mean, amr


def _check_options(improvement: str, run_length: int, trend_length: int,
                   fix_after_n_points: int | None) -> None:
    """Refuse an unknown direction and run, trend or baseline lengths that are not whole >= 2."""
    where = "xmr"
    if improvement not in _DIRECTIONS:
        raise StatsInputError(where, "improvement must be 'increase', 'decrease' or 'neutral'",
                              column="improvement", value=improvement)
    for name, n in (("run_length", run_length), ("trend_length", trend_length)):
        if int(n) != n or n < 2:
            raise StatsInputError(where, f"{name} must be a whole number >= 2", column=name,
                                  value=n)
    if fix_after_n_points is not None and (int(fix_after_n_points) != fix_after_n_points
                                           or fix_after_n_points < 2):
        raise StatsInputError(where, "fix_after_n_points must be a whole number >= 2",
                              column="fix_after_n_points", value=fix_after_n_points)


def _series(values: Any, x: Any) -> tuple[np.ndarray, list[Any], pd.Series]:
    """The values as floats (NaN for missing) and the time axis, checked to match and be in order.

    The axis defaults to a Series' index, or ``0 … n-1``.
    """
    where = "xmr"
    if isinstance(values, pd.Series):
        xs = list(values.index) if x is None else list(x)
        y = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    else:
        try:
            y = np.asarray(values, dtype=float).ravel()
        except (TypeError, ValueError) as exc:
            raise StatsInputError(where, "values must be numbers (NaN for missing)",
                                  column="values", value=values) from exc
        xs = list(range(y.size)) if x is None else list(x)
    if len(xs) != y.size:
        raise StatsInputError(where, "x must have one entry per value", column="x", value=len(xs))
    xser = pd.Series(xs)
    if y.size > 1 and not xser.is_monotonic_increasing:
        raise StatsInputError(where, "x must be in increasing order", column="x", value=xs[:3])
    return y, xs, xser


def _segments(xser: pd.Series, rebase: Sequence[Any]) -> np.ndarray:
    """Segment number of each point, 1, 2, …: a new segment starts at each ``rebase`` x."""
    seg = np.zeros(xser.size, dtype=int)
    for r in rebase:
        hits = np.flatnonzero((xser == r).to_numpy())
        if hits.size == 0:
            raise StatsInputError("xmr", "each rebase point must be one of the x values",
                                  column="rebase", value=r)
        seg[hits[0]:] += 1
    return pd.Series(seg).rank(method="dense").astype(int).to_numpy()


_LIMIT_COLUMNS = ("mean", "mr", "lpl", "upl", "minus2_sigma", "minus1_sigma", "plus1_sigma",
                  "plus2_sigma")
_RULES = ("beyond_limits", "run", "trend", "two_in_three")


def _special_causes(yo: np.ndarray, mean: float, amr: float, run_length: int,
                    trend_length: int) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The four special-cause rules on one segment's recorded points, and the side each points to.

    * *beyond limits*: ``value > upl`` or ``< lpl`` (on a limit is inside).
    * *run*: ``run_length`` or more consecutive points on one side of the mean;
      a point exactly on the mean belongs to neither side and breaks the run.
    * *trend*: ``trend_length`` or more consecutive points each strictly above
      (or each strictly below) the one before; a tie breaks the trend.
    * *two in three*: of three consecutive points all on one side of the mean,
      two or more lie beyond two sigma but inside the limits; those points are
      flagged (a point beyond the limit counts as beyond the limit, not here).

    The side (+1 above, -1 below) is the trend's direction for a trend point, which takes
    precedence over two-in-three and runs, as ``ptd_special_cause_type`` does.
    """
    sigma = LIMIT * amr / 3.0
    side = np.sign(yo - mean).astype(int)
    beyond = (yo > mean + LIMIT * amr) | (yo < mean - LIMIT * amr)
    close = ~beyond & (np.abs(yo - mean) > 2 * sigma)
    run = _runs_flag(side, run_length)
    trend, tdir = _trend(yo, trend_length)
    two = _two_in_three(close, side)
    sides = np.select([beyond, trend, two | run], [side, tdir, side], default=0)
    return {"beyond_limits": beyond, "run": run, "trend": trend, "two_in_three": two}, sides


def _chart(y: np.ndarray, seg: np.ndarray, fix_after_n_points: int | None,
           screen_outliers: bool, run_length: int, trend_length: int,
           ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray, list[str]]:
    """Limits, rule flags and special-cause sides of every point, segment by segment.

    Each segment's mean and limits come from its own recorded points (:func:`_segment`);
    the rules run over the recorded points in order (:func:`_special_causes`).  Returns the
    limit columns, the rule flags, the side of each special cause, and warnings for segments
    shorter than the run and trend rules need.
    """
    cols = {k: np.full(y.size, np.nan) for k in _LIMIT_COLUMNS}
    flags = {k: np.zeros(y.size, dtype=bool) for k in _RULES}
    sides = np.zeros(y.size, dtype=int)
    warnings: list[str] = []
    need = max(run_length, trend_length)
    for g in np.unique(seg):
        idx = np.flatnonzero(seg == g)
        mean, amr = _segment(y[idx], fix_after_n_points, screen_outliers)
        sigma = LIMIT * amr / 3.0
        cols["mean"][idx] = mean
        cols["lpl"][idx] = mean - LIMIT * amr
        cols["upl"][idx] = mean + LIMIT * amr
        for k, m in (("minus2_sigma", -2), ("minus1_sigma", -1), ("plus1_sigma", 1),
                     ("plus2_sigma", 2)):
            cols[k][idx] = mean + m * sigma
        ok = idx[~np.isnan(y[idx])]
        if ok.size < need:
            warnings.append(f"segment {g} has {ok.size} points, fewer than the "
                            f"{need} the run and trend rules need")
        if ok.size == 0:
            continue
        cols["mr"][ok[1:]] = np.abs(np.diff(y[ok]))
        if np.isnan(amr):
            continue
        seg_flags, sides[ok] = _special_causes(y[ok], mean, amr, run_length, trend_length)
        for k, v in seg_flags.items():
            flags[k][ok] = v
    return cols, flags, sides, warnings


def _verdicts(y: np.ndarray, special: np.ndarray, sides: np.ndarray,
              direction: int) -> np.ndarray:
    """Each point's variation verdict: improvement or concern by the side of its special cause.

    "no data" for a missing point, "common cause" without a special cause, "special cause
    neither" when the direction is neutral.
    """
    verdict = np.where(np.isnan(y), NO_DATA, COMMON).astype(object)
    if direction == 0:
        verdict[special] = NEITHER
    else:
        oriented = sides * direction
        verdict[special & (oriented > 0)] = IMPROVEMENT
        verdict[special & (oriented < 0)] = CONCERN
    return verdict


def _targets(xser: pd.Series, target: float | None, target_from: Any) -> np.ndarray:
    """The target at each point: NaN before ``target_from`` (and everywhere with no target)."""
    tgt = np.full(xser.size, np.nan)
    if target is not None:
        start = 0
        if target_from is not None:
            hits = np.flatnonzero((xser >= target_from).to_numpy())
            start = hits[0] if hits.size else xser.size
        tgt[start:] = float(target)
    return tgt


def _assurance(target: float, lpl: float, upl: float, direction: int) -> str | None:
    """The assurance verdict of a target against the last limits (None without one).

    With improvement upwards, a target below the lower limit is consistently passed,
    above the upper limit consistently failed, otherwise hit and miss (mirrored downwards).
    """
    if np.isnan(target) or direction == 0 or np.isnan(upl):
        return None
    if target > upl:
        return FAIL if direction > 0 else PASS
    if target < lpl:
        return PASS if direction > 0 else FAIL
    return HIT_AND_MISS


def xmr(values: Any, x: Any = None, *, improvement: str = "neutral", target: float | None = None,
        target_from: Any = None, rebase: Sequence[Any] = (), fix_after_n_points: int | None = None,
        screen_outliers: bool = True, run_length: int = 7, trend_length: int = 7,
        ) -> tuple[pd.DataFrame, SPCSummary]:
    """An XmR (individuals) chart with the Making Data Count rules and verdicts.

    Parameters
    ----------
    values : array-like or pandas.Series
        The measure, in time order.  NaN marks a missing point (see Notes).
    x : array-like, optional
        The time axis (months, dates, labels), one per value; default the
        Series index, or ``0 … n-1``.  Must be in order.
    improvement : {"increase", "decrease", "neutral"}
        The direction in which the measure improves.
    target : float, optional
        The target, for the assurance verdict.
    target_from : optional
        The ``x`` at which the target was set: earlier points have no target.
    rebase : sequence
        ``x`` values at which the process changed: a new segment starts at each
        and its mean and limits are computed from its own points.
    fix_after_n_points : int, optional
        Compute each segment's mean and limits from its first ``n`` points only.
    screen_outliers : bool
        Leave moving ranges above 3.267 × the mean moving range out of the mean
        moving range (NHSRplotthedots' default, ``screen_outliers = TRUE``).
    run_length, trend_length : int
        Points on one side of the mean, and consecutive rises or falls, that
        make a special cause (Making Data Count: 7 and 7; some trusts use 6).

    Returns
    -------
    frame : pandas.DataFrame
        One row per point: ``x, value, segment, mean, mr, lpl, upl,
        minus2_sigma, minus1_sigma, plus1_sigma, plus2_sigma, target,
        beyond_limits, run, trend, two_in_three, special_cause, verdict``.
    summary : SPCSummary
        The last point's variation verdict, the assurance verdict and the
        method.

    Notes
    -----
    NHS England and NHS Improvement, *Making Data Count: strengthening your
    decisions* (2019) and *Making Data Count: getting started* (2019); the
    NHS-R community's NHSRplotthedots (``ptd_spc``, ``ptd_spc_standard``,
    ``ptd_calculate_point_type``, ``ptd_calculate_assurance_type``), which this
    function follows: the mean ``x̄`` and mean moving range ``mMR`` of each
    segment (:func:`_segment`: with ``screen_outliers`` the moving ranges
    ``≥ 3.267 mMR`` are dropped and ``mMR`` recomputed once), limits
    ``x̄ ± 2.66 mMR``, sigma ``2.66 mMR / 3``; the special-cause rules
    (:func:`_special_causes`), the variation verdict (:func:`_verdicts`) and
    the assurance verdict at the last point (:func:`_assurance`).

    Missing values: a missing point is kept as a row (verdict "no data") but
    takes no part in the mean, the moving ranges or the rules, which run over
    the recorded points in order as if the gap were closed (a missing month
    neither breaks nor extends a run).  NHSRplotthedots drops no rows and lets
    NA propagate; see ``docs/statistics.md``.

    Examples
    --------
    Ten points ``10, 12, 11, 13, 12, 11, 14, 12, 13, 30``: mean 138 / 10 =
    13.8; moving ranges 2, 1, 2, 1, 1, 3, 2, 1, 17 sum to 30, mMR = 30 / 9 =
    3.333; 17 ≥ 3.267 × 3.333 = 10.89 is screened out, leaving 13 / 8 = 1.625.
    Limits 13.8 ± 2.66 × 1.625 = 9.4775 and 18.1225; 30 is beyond the upper
    limit.

    >>> f, s = xmr([10, 12, 11, 13, 12, 11, 14, 12, 13, 30], improvement="increase",
    ...            target=8)
    >>> round(float(f["upl"].iloc[0]), 4), round(float(f["lpl"].iloc[0]), 4)
    (18.1225, 9.4775)
    >>> f["verdict"].iloc[-1], s.variation, s.assurance
    ('special cause improvement', 'special cause improvement', 'consistently passes')
    """
    _check_options(improvement, run_length, trend_length, fix_after_n_points)
    y, xs, xser = _series(values, x)
    seg = _segments(xser, rebase)
    cols, flags, sides, warnings = _chart(y, seg, fix_after_n_points, screen_outliers,
                                          run_length, trend_length)
    special = flags["beyond_limits"] | flags["run"] | flags["trend"] | flags["two_in_three"]
    direction = _DIRECTIONS[improvement]
    verdict = _verdicts(y, special, sides, direction)
    tgt = _targets(xser, target, target_from)
    frame = pd.DataFrame({"x": xs, "value": y, "segment": seg, **cols, "target": tgt,
                          **flags, "special_cause": special, "verdict": verdict})
    frame["verdict"] = frame["verdict"].astype(str)
    recorded = np.flatnonzero(~np.isnan(y))
    if recorded.size == 0:
        raise StatsInputError("xmr", "values has no recorded (non-missing) point",
                              column="values", value=values)
    lpl, upl = float(frame["lpl"].iloc[-1]), float(frame["upl"].iloc[-1])
    summary = SPCSummary(
        variation=str(verdict[recorded[-1]]), assurance=_assurance(tgt[-1], lpl, upl, direction),
        n_points=int(recorded.size), n_missing=int(y.size - recorded.size),
        improvement=improvement, target=None if np.isnan(tgt[-1]) else float(tgt[-1]),
        mean=float(frame["mean"].iloc[-1]), lpl=lpl, upl=upl, segments=int(seg.max()),
        warnings=tuple(warnings))
    return frame, summary


def xmr_frame(frame: pd.DataFrame, value: str, x: str, **kwargs: Any,
              ) -> tuple[pd.DataFrame, SPCSummary]:
    """:func:`xmr` on columns of a tidy frame (sorted by ``x`` first).

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per period.
    value, x : str
        The measure's and the time axis's columns.
    **kwargs
        Passed to :func:`xmr`.

    Returns
    -------
    tuple
        As :func:`xmr`.

    Examples
    --------
    >>> df = pd.DataFrame({"month": [3, 1, 2], "days": [5.0, 4.0, 6.0]})
    >>> f, s = xmr_frame(df, "days", "month")
    >>> f["x"].tolist(), float(f["mean"].iloc[0]), s.n_points
    ([1, 2, 3], 5.0, 3)
    """
    for c in (value, x):
        if c not in frame.columns:
            raise StatsInputError("xmr_frame", "column not in the frame", column=c,
                                  value=list(frame.columns))
    d = frame.sort_values(x, kind="stable")
    return xmr(d[value].to_numpy(dtype=float), d[x].tolist(), **kwargs)
