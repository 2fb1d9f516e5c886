"""Printed statements as data, and one generic check per claim type.

A board paper's testable statements are rows of ``data/<paper>/printed_claims.csv`` (the
schema is in docs/claims.md).  The notebook passes the evidence for each claim (a tidy Series
or DataFrame, or recorded values) to :func:`check_claims`; each claim type has one check
function here, reused by every paper, returning a :class:`ClaimResult` whose status is
"holds", "does not hold" or "cannot be tested", always with a reason computed from the
evidence (numbers in a reason are formatted from the data, never typed).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hwb.errors import DataError
from hwb.fmt import decimals_of, format_number, parse_number
from hwb.protocol import CLAIMS_MIME, Status, citation
from hwb.toolkit import checks

HOLDS = Status.HOLDS
DOES_NOT_HOLD = Status.DOES_NOT_HOLD
CANNOT_TEST = Status.CANNOT_TEST

CLAIM_COLUMNS = ("claim_id", "board", "claim_type", "statement", "subject", "expected",
                 "document", "item", "page", "line", "note")
"""The columns of ``printed_claims.csv``, in order."""

CLAIM_TYPES = ("trend", "extreme", "span", "comparison", "definition", "count",
               "date_sequence", "disclosure", "consistency", "approximate")
"""Every claim type a check function exists for."""

FLAT_TOLERANCE = 0.05
""""Flat": the change the Theil-Sen slope implies over the span is within 5% of the median."""

SIGNIFICANCE = 0.05
"""Two-sided level of the Mann-Kendall test for a "significant" trend."""

_ID = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")


# --- loading ---------------------------------------------------------------------------------


def _schema() -> Any:
    from hwb.sources.data import Column, Schema

    return Schema(
        columns=[
            Column("claim_id", check=lambda v: bool(_ID.match(str(v))),
                   rule="lower-case letters, digits, '_', '.', '-'"),
            Column("board", nullable=True),
            Column("claim_type", allowed=frozenset(CLAIM_TYPES)),
            Column("statement"),
            Column("subject"),
            Column("expected", nullable=True, check=_parses,
                   rule="expected must be key=value pairs separated by ';'"),
            Column("document"),
            Column("item", nullable=True),
            Column("page", nullable=True),
            Column("line", nullable=True),
            Column("note", nullable=True),
        ],
        key=("claim_id",),
        na_values=("",),
    )


def _parses(text: Any) -> bool:
    try:
        parse_expected(text)
    except ValueError:
        return False
    return True


def load_claims(path: str | Path, board: str | None = None) -> pd.DataFrame:
    """Read a paper's printed claims, checked against :data:`CLAIM_COLUMNS`.

    Parameters
    ----------
    path : path-like
        ``data/<paper>/printed_claims.csv``.
    board : str, optional
        Keep this board's rows and the rows with a blank ``board`` (claims in every paper).

    Raises
    ------
    DataError
        One line naming file, row and column: a missing column, an unknown claim type, a
        blank or duplicated ``claim_id``, an ``expected`` that is not ``key=value`` pairs.
    """
    from hwb.sources.data import read_csv

    df = read_csv(path, _schema())
    for col in CLAIM_COLUMNS:
        df[col] = df[col].fillna("").astype(str)
    if board is not None:
        df = df[(df["board"] == board) | (df["board"] == "")].reset_index(drop=True)
    return df


def parse_expected(text: Any) -> dict[str, str]:
    """The ``expected`` column as a dict: ``key=value`` pairs separated by ``;``.

    Examples
    --------
    >>> parse_expected("direction=up; significant=yes")
    {'direction': 'up', 'significant': 'yes'}
    >>> parse_expected("")
    {}
    """
    out: dict[str, str] = {}
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return out
    for part in str(text).split(";"):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            raise ValueError(f"{part!r} is not key=value")
        k, v = part.split("=", 1)
        k = k.strip().lower()
        if not k:
            raise ValueError(f"{part!r} has no key")
        out[k] = v.strip()
    return out


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimResult:
    """The verdict on one printed statement."""

    claim_id: str
    status: Status
    reason: str
    evidence: str = ""

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["status"] = str(self.status)
        return d


def _res(row: Mapping[str, Any], status: Status, reason: str, evidence: str = "") -> ClaimResult:
    return ClaimResult(str(row.get("claim_id", "")), status, reason, evidence)


def _num(v: float, d: int | None = None) -> str:
    """A number for a reason: as many decimals as it needs (up to 2), thousands separated."""
    v = float(v)
    if d is None:
        d = 0 if float(v).is_integer() else (1 if abs(v) >= 100 else 2)
    return format_number(v, d)


# --- periods ---------------------------------------------------------------------------------


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})/(\d{2}) Q([1-4])$")
_FYEAR = re.compile(r"^(\d{4})/(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def period_ordinal(period: Any) -> tuple[str, int]:
    """The kind of a period label and its position in a sequence of that kind.

    Examples
    --------
    >>> period_ordinal("2017-03"), period_ordinal("2016/17 Q4"), period_ordinal("2016/17")
    (('month', 24206), ('quarter', 8067), ('year', 2016))
    """
    if isinstance(period, (pd.Timestamp, dt.date)):
        return "month", period.year * 12 + period.month - 1
    text = str(period).strip()
    if m := _MONTH.match(text):
        return "month", int(m[1]) * 12 + int(m[2]) - 1
    if m := _QUARTER.match(text):
        return "quarter", int(m[1]) * 4 + int(m[3]) - 1
    if m := _FYEAR.match(text):
        return "year", int(m[1])
    if m := _YEAR.match(text):
        return "year", int(m[1])
    raise ValueError(f"{period!r} is not a period (YYYY-MM, YYYY/YY or YYYY/YY Qn)")


def _as_series(evidence: Any) -> pd.Series | None:
    if isinstance(evidence, pd.Series):
        s = evidence
    elif isinstance(evidence, pd.DataFrame):
        if {"period", "value"} <= set(evidence.columns):
            s = evidence.set_index("period")["value"]
        elif evidence.shape[1] == 1:
            s = evidence.iloc[:, 0]
        else:
            return None
    elif isinstance(evidence, Mapping):
        s = pd.Series(dict(evidence))
    else:
        return None
    s = pd.to_numeric(s, errors="coerce").dropna()
    s.index = [str(i) if not isinstance(i, (pd.Timestamp, dt.date)) else i.strftime("%Y-%m")
               for i in s.index]
    return s


def _window(s: pd.Series, exp: Mapping[str, str]) -> pd.Series:
    lo, hi = exp.get("from"), exp.get("to")
    keys = [period_ordinal(i)[1] for i in s.index]
    keep = [True] * len(s)
    if lo:
        k = period_ordinal(lo)[1]
        keep = [a and b >= k for a, b in zip(keep, keys, strict=True)]
    if hi:
        k = period_ordinal(hi)[1]
        keep = [a and b <= k for a, b in zip(keep, keys, strict=True)]
    out = s[keep]
    order = np.argsort([period_ordinal(i)[1] for i in out.index], kind="stable")
    return out.iloc[order]


def _span_text(s: pd.Series) -> str:
    return f"{len(s)} periods, {s.index[0]} to {s.index[-1]}" if len(s) else "no periods"


# --- trend -----------------------------------------------------------------------------------


def theil_sen_slope(values: Sequence[float]) -> float:
    """Median of the pairwise slopes ``(x_j - x_i) / (j - i)`` over equally spaced points.

    Notes
    -----
    Sen, P. K. (1968) "Estimates of the regression coefficient based on Kendall's tau",
    JASA 63, 1379-1389.

    Examples
    --------
    Slopes of (1, 3, 2): (3-1)/1 = 2, (2-1)/2 = 0.5, (2-3)/1 = -1; median 0.5.

    >>> theil_sen_slope([1, 3, 2])
    0.5
    """
    x = np.asarray(values, dtype=float)
    n = len(x)
    slopes = [(x[j] - x[i]) / (j - i) for i in range(n) for j in range(i + 1, n)]
    return float(np.median(slopes)) if slopes else math.nan


def mann_kendall(values: Sequence[float]) -> tuple[int, float, float]:
    """Mann-Kendall trend test: the statistic S, its Z score and the two-sided p-value.

    ``S`` is the number of later-higher pairs minus later-lower pairs; its variance, corrected
    for ties, is ``(n(n-1)(2n+5) - sum t(t-1)(2t+5)) / 18``; ``Z = (S - sign(S)) / sqrt(var)``
    (continuity correction) and ``p = erfc(|Z| / sqrt 2)``.

    Notes
    -----
    Mann, H. B. (1945) "Nonparametric tests against trend", Econometrica 13, 245-259;
    Kendall, M. G. (1975) Rank Correlation Methods, 4th edn, Griffin; the variance with ties
    as in Hipel, K. W. and McLeod, A. I. (1994) Time Series Modelling of Water Resources and
    Environmental Systems, Elsevier, section 23.3.  It makes no assumption that the values
    are Poisson counts (a Poisson interval on serially dependent monthly counts would be
    wrong), only that, with no trend, every ordering is equally likely.

    Examples
    --------
    By hand for 1, 2, 3, 4, 5: S = 10 (all pairs rise), var = 5*4*15/18 = 16.67,
    Z = 9/4.082 = 2.205, p = erfc(2.205 / 1.414) = 0.0275.

    >>> s, z, p = mann_kendall([1, 2, 3, 4, 5])
    >>> s, round(z, 2), round(p, 3)
    (10, 2.2, 0.027)
    """
    x = np.asarray(values, dtype=float)
    n = len(x)
    s = int(sum(np.sign(x[j] - x[i]) for i in range(n) for j in range(i + 1, n)))
    _, counts = np.unique(x, return_counts=True)
    ties = sum(t * (t - 1) * (2 * t + 5) for t in counts if t > 1)
    var = (n * (n - 1) * (2 * n + 5) - ties) / 18.0
    if var <= 0:
        return s, 0.0, 1.0
    z = (s - np.sign(s)) / math.sqrt(var)
    return s, float(z), float(math.erfc(abs(z) / math.sqrt(2)))


def _spc_trend(values: Sequence[float]) -> tuple[bool, str] | None:
    """The SPC trend rule, when :mod:`hwb.stats.spc` provides one; else None."""
    try:
        from hwb.stats import spc  # type: ignore[attr-defined]
    except ImportError:
        return None
    fn = getattr(spc, "trend_rule", None) or getattr(spc, "trend", None)
    if fn is None:
        return None
    try:
        out = fn(list(values))
    except Exception:  # noqa: BLE001 - an unexpected signature: fall back to Mann-Kendall
        return None
    flagged = bool(np.any(np.asarray(out, dtype=bool))) if not isinstance(out, bool) else out
    return flagged, "the SPC trend rule (hwb.stats.spc)"


def check_trend(row: Mapping[str, Any], evidence: Any) -> ClaimResult:
    """A direction claim: up, down or flat over the span, optionally "significant".

    Examples
    --------
    By hand: the six pairwise slopes of 5, 6, 7, 9 are 1, 1, 4/3, 1, 3/2, 2; their median is
    (1 + 4/3) / 2 = 1.17.

    >>> s = pd.Series([5.0, 6, 7, 9], index=["2017-01", "2017-02", "2017-03", "2017-04"])
    >>> r = check_trend({"claim_id": "t", "expected": "direction=up"}, s)
    >>> str(r.status), r.reason
    ('holds', 'rising: the Theil-Sen slope is +1.17 a period over 4 periods, 2017-01 to 2017-04')
    """
    exp = parse_expected(row.get("expected", ""))
    want = exp.get("direction", "").lower()
    if want not in ("up", "down", "flat"):
        return _res(row, CANNOT_TEST, f"expected direction {want!r} is not up, down or flat")
    s = _as_series(evidence)
    if s is None:
        return _res(row, CANNOT_TEST, "the evidence is not a series of values by period")
    s = _window(s, exp)
    span = _span_text(s)
    if len(s) < 3:
        return _res(row, CANNOT_TEST, f"too few points for a trend ({span})", span)
    slope = theil_sen_slope(s.to_numpy())
    level = float(np.median(s.to_numpy()))
    change = slope * (len(s) - 1)
    rel = change / level if level else math.inf
    if abs(rel) <= FLAT_TOLERANCE:
        got = "flat"
    else:
        got = "up" if slope > 0 else "down"
    words = {"up": "rising", "down": "falling", "flat": "flat"}
    why = (f"the Theil-Sen slope is {slope:+.3g} a period over {span}")
    if got == "flat":
        why += f" (a change of {rel:+.1%} of the median level {_num(level)})"
    if exp.get("significant", "").lower() in ("yes", "true", "1"):
        spc = _spc_trend(s.to_numpy())
        if spc is not None:
            sig, method = spc
            sig_txt = f"{method} {'signals' if sig else 'does not signal'} a trend"
        else:
            stat, _z, p = mann_kendall(s.to_numpy())
            sig = p < SIGNIFICANCE
            sig_txt = (f"Mann-Kendall S = {stat}, two-sided p = {p:.3f} "
                       f"({'' if sig else 'not '}significant at {SIGNIFICANCE:.0%})")
        ok = got == want and want != "flat" and sig
        if want == "flat":
            ok = got == "flat" and not sig
        return _res(row, HOLDS if ok else DOES_NOT_HOLD,
                    f"{words[got]}: {why}; {sig_txt}", span)
    status = HOLDS if got == want else DOES_NOT_HOLD
    return _res(row, status, f"{words[got]}: {why}", span)


# --- extreme ---------------------------------------------------------------------------------


def check_extreme(row: Mapping[str, Any], evidence: Any) -> ClaimResult:
    """"Highest", "lowest" or "peak" at a period, over the span of the series.

    Examples
    --------
    >>> s = pd.Series([5.0, 9, 7], index=["2017-01", "2017-02", "2017-03"])
    >>> check_extreme({"claim_id": "e", "expected": "extreme=highest; at=2017-03"}, s).reason
    'the highest of 3 periods, 2017-01 to 2017-03 is 9 in 2017-02; 2017-03 has 7'
    """
    exp = parse_expected(row.get("expected", ""))
    kind = exp.get("extreme", "").lower()
    if kind == "peak":
        kind = "highest"
    if kind not in ("highest", "lowest"):
        return _res(row, CANNOT_TEST, f"expected extreme {kind!r} is not highest, lowest or peak")
    s = _as_series(evidence)
    if s is None or not len(s):
        return _res(row, CANNOT_TEST, "the evidence is not a series of values by period")
    s = _window(s, exp)
    span = _span_text(s)
    at = exp.get("at", "")
    if at not in s.index:
        return _res(row, CANNOT_TEST, f"{at or 'the period'} is not in the series ({span})", span)
    best = s.max() if kind == "highest" else s.min()
    where = [str(i) for i in s.index[s == best]]
    v_at = float(s[at])
    if v_at == best:
        tie = f" (tied with {', '.join(w for w in where if w != at)})" if len(where) > 1 else ""
        return _res(row, HOLDS, f"{at} has {_num(v_at)}, the {kind} of {span}{tie}", span)
    return _res(row, DOES_NOT_HOLD, f"the {kind} of {span} is {_num(best)} in "
                f"{', '.join(where)}; {at} has {_num(v_at)}", span)


# --- span ------------------------------------------------------------------------------------


def _periods_of(evidence: Any) -> list[str] | None:
    if isinstance(evidence, pd.DataFrame):
        vals = evidence["period"] if "period" in evidence.columns else evidence.index
    elif isinstance(evidence, pd.Series):
        vals = evidence.index
    elif isinstance(evidence, (list, tuple, pd.Index, np.ndarray)):
        vals = evidence
    else:
        return None
    return [v.strftime("%Y-%m") if isinstance(v, (pd.Timestamp, dt.date)) else str(v)
            for v in vals]


def check_span(row: Mapping[str, Any], evidence: Any) -> ClaimResult:
    """"Over the last N months/quarters/years": do the figure's periods make that span?

    Examples
    --------
    >>> r = check_span({"claim_id": "s", "expected": "months=3; to=2017-06"},
    ...                ["2017-03", "2017-04", "2017-05"])
    >>> str(r.status), r.reason
    ('does not hold', '3 consecutive months, 2017-03 to 2017-05, ending 2017-05, not 2017-06')
    """
    exp = parse_expected(row.get("expected", ""))
    unit = next((u for u in ("months", "quarters", "years") if u in exp), None)
    if unit is None:
        return _res(row, CANNOT_TEST, "expected names no months=, quarters= or years=")
    n = int(parse_number(exp[unit]))
    periods = _periods_of(evidence)
    if not periods:
        return _res(row, CANNOT_TEST, "the evidence lists no periods")
    try:
        ords = sorted({period_ordinal(p) for p in periods}, key=lambda t: t[1])
    except ValueError as e:
        return _res(row, CANNOT_TEST, str(e))
    kinds = {k for k, _ in ords}
    kind = unit.rstrip("s")
    by_label = {period_ordinal(p): p for p in periods}
    first, last = by_label[ords[0]], by_label[ords[-1]]
    if kinds != {kind}:
        return _res(row, DOES_NOT_HOLD, f"the figure uses {', '.join(sorted(kinds))} periods, "
                    f"not {unit}", f"{first} to {last}")
    nums = [o for _, o in ords]
    gaps = [b for a, b in zip(nums, nums[1:], strict=False) if b != a + 1]
    desc = f"{len(nums)} {'consecutive ' if not gaps else ''}{unit}, {first} to {last}"
    if gaps:
        return _res(row, DOES_NOT_HOLD, f"{desc} with gaps", desc)
    if len(nums) != n:
        return _res(row, DOES_NOT_HOLD, f"{desc}, not {n}", desc)
    to = exp.get("to")
    if to and period_ordinal(to)[1] != nums[-1]:
        return _res(row, DOES_NOT_HOLD, f"{desc}, ending {last}, not {to}", desc)
    return _res(row, HOLDS, desc, desc)


# --- comparison ------------------------------------------------------------------------------


def _get(ev: Mapping[str, Any], key: str) -> float | None:
    v = ev.get(key)
    if v is None:
        return None
    try:
        f = parse_number(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def check_comparison(row: Mapping[str, Any], evidence: Any) -> ClaimResult:
    """Higher / lower than, or in line with, a named benchmark.

    Examples
    --------
    >>> r = check_comparison({"claim_id": "c", "expected": "relation=higher; benchmark=England"},
    ...                      {"value": 12.4, "benchmark": 10.1})
    >>> str(r.status), r.reason
    ('holds', '12.40 is higher than England (10.10)')
    >>> check_comparison({"claim_id": "c", "expected": "relation=in line; benchmark=England"},
    ...                  {"value": 12.4, "benchmark": 10.1, "lower": 9.8, "upper": 15.0}).reason
    'England (10.10) is inside the interval 9.80 to 15 of 12.40'
    """
    exp = parse_expected(row.get("expected", ""))
    rel = " ".join(exp.get("relation", "").lower().split())
    name = exp.get("benchmark", "the benchmark")
    if rel not in ("higher", "lower", "in line"):
        return _res(row, CANNOT_TEST, f"expected relation {rel!r} is not higher, lower or in line")
    if not isinstance(evidence, Mapping):
        return _res(row, CANNOT_TEST, "the evidence is not a mapping with value and benchmark")
    v, b = _get(evidence, "value"), _get(evidence, "benchmark")
    if v is None or b is None:
        return _res(row, CANNOT_TEST, f"no value or no {name} figure in the shipped data")
    lo, hi = _get(evidence, "lower"), _get(evidence, "upper")
    sig = exp.get("significant", "").lower() in ("yes", "true", "1")
    ev_txt = f"{_num(v)} against {name} {_num(b)}"
    if rel == "in line":
        if lo is not None and hi is not None:
            ok = lo <= b <= hi
            return _res(row, HOLDS if ok else DOES_NOT_HOLD,
                        f"{name} ({_num(b)}) is {'inside' if ok else 'outside'} the interval "
                        f"{_num(lo)} to {_num(hi)} of {_num(v)}", ev_txt)
        c = checks.approximate("around", format_number(b, decimals_of(_num(b))), v)
        ok = c.status == checks.REPRODUCED
        return _res(row, HOLDS if ok else DOES_NOT_HOLD, f"against {name}: {c.reason}", ev_txt)
    higher = rel == "higher"
    if sig:
        bound = lo if higher else hi
        if bound is None:
            return _res(row, CANNOT_TEST, "a significant difference needs the interval of the "
                        "value (lower, upper); none was passed", ev_txt)
        ok = bound > b if higher else bound < b
        word = "lower" if higher else "upper"
        return _res(row, HOLDS if ok else DOES_NOT_HOLD,
                    f"the {word} limit {_num(bound)} is {'' if ok else 'not '}"
                    f"{'above' if higher else 'below'} {name} ({_num(b)})", ev_txt)
    ok = v > b if higher else v < b
    if v == b:
        return _res(row, DOES_NOT_HOLD, f"{_num(v)} equals {name} ({_num(b)})", ev_txt)
    actual = "higher" if v > b else "lower"
    status = HOLDS if ok else DOES_NOT_HOLD
    return _res(row, status, f"{_num(v)} is {actual} than {name} ({_num(b)})", ev_txt)


# --- definition ------------------------------------------------------------------------------


def _norm(text: Any) -> str:
    return " ".join(str(text).lower().replace("–", "-").split())


def check_definition(row: Mapping[str, Any], evidence: Any) -> ClaimResult:
    """What a rate or share is of, its age band, or what a named figure is.

    Examples
    --------
    >>> r = check_definition({"claim_id": "d", "expected": "of=aged 18+"},
    ...     {"numerator": 30, "printed": "25.0", "multiplier": 100,
    ...      "candidates": {"aged 18+": 100, "aged 65+": 120}})
    >>> str(r.status), r.reason
    ('does not hold', 'printed 25.0 is reproduced with aged 65+ (120), not with aged 18+ (100)')
    """
    exp = parse_expected(row.get("expected", ""))
    if not exp:
        return _res(row, CANNOT_TEST, "expected names nothing to test")
    if not isinstance(evidence, Mapping):
        return _res(row, CANNOT_TEST, "the evidence is not a mapping")
    if "candidates" in evidence:
        want = exp.get("of", "")
        cands = dict(evidence["candidates"])
        num = float(evidence["numerator"])
        printed = evidence["printed"]
        mult = float(evidence.get("multiplier", 100.0))
        fits = checks.which_denominator(num, printed, cands, mult)
        named = ", ".join(f"{k} ({_num(cands[k])})" for k in fits) or "none of the candidates"
        ev_txt = f"{_num(num)} per {', '.join(cands)}"
        if want not in cands:
            return _res(row, CANNOT_TEST, f"{want!r} is not among the shipped denominators; "
                        f"printed {printed} is reproduced with {named}", ev_txt)
        if want in fits:
            return _res(row, HOLDS, f"printed {printed} is reproduced with {want} "
                        f"({_num(cands[want])})", ev_txt)
        return _res(row, DOES_NOT_HOLD, f"printed {printed} is reproduced with {named}, "
                    f"not with {want} ({_num(cands[want])})", ev_txt)
    missing = [k for k in exp if k not in evidence]
    if missing:
        return _res(row, CANNOT_TEST, f"the shipped data do not say {', '.join(missing)}")
    wrong = [k for k in exp if _norm(exp[k]) != _norm(evidence[k])]
    ev_txt = "; ".join(f"{k}={evidence[k]}" for k in exp)
    if wrong:
        return _res(row, DOES_NOT_HOLD, "; ".join(
            f"{k}: printed {exp[k]!r}, the data say {evidence[k]!r}" for k in wrong), ev_txt)
    return _res(row, HOLDS, "; ".join(f"{k}: {evidence[k]}" for k in exp) + ", as printed",
                ev_txt)


# --- count -----------------------------------------------------------------------------------


def check_count(row: Mapping[str, Any], evidence: Any) -> ClaimResult:
    """"N services", "N below": the number of things the data give.

    Examples
    --------
    >>> r = check_count({"claim_id": "n", "expected": "count=3"}, ["A", "B"])
    >>> str(r.status), r.reason
    ('does not hold', '2 counted (A, B), not 3')
    """
    exp = parse_expected(row.get("expected", ""))
    if "count" not in exp:
        return _res(row, CANNOT_TEST, "expected names no count=")
    n = parse_number(exp["count"])
    rel = exp.get("relation", "eq").lower()
    names = ""
    if isinstance(evidence, (int, np.integer)) and not isinstance(evidence, bool):
        got = int(evidence)
    elif isinstance(evidence, (list, tuple, set, pd.Index, pd.Series, np.ndarray)):
        items = list(evidence.index[evidence.astype(bool)]) if isinstance(
            evidence, pd.Series) and evidence.dtype == bool else list(evidence)
        got = len(items)
        shown = [str(i) for i in items[:8]]
        names = f" ({', '.join(shown)}{', ...' if len(items) > 8 else ''})" if items else ""
    else:
        return _res(row, CANNOT_TEST, "the evidence is not a list of things or a number")
    ok = {"eq": got == n, "ge": got >= n, "le": got <= n}.get(rel)
    if ok is None:
        return _res(row, CANNOT_TEST, f"relation {rel!r} is not eq, ge or le")
    word = {"eq": "", "ge": "at least ", "le": "at most "}[rel]
    text = f"{got} counted{names}"
    return _res(row, HOLDS if ok else DOES_NOT_HOLD,
                text + ("" if ok else f", not {word}{_num(n)}"), text)


# --- dates -----------------------------------------------------------------------------------


def _date(v: Any) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v).strip()[:10])
    except ValueError:
        return None


def check_date_sequence(row: Mapping[str, Any], evidence: Any) -> ClaimResult:
    """A date, or an order of events.

    Examples
    --------
    >>> r = check_date_sequence({"claim_id": "o", "expected": "order=plan<meeting"},
    ...                         {"plan": "2017-09-11", "meeting": "2017-09-20"})
    >>> str(r.status), r.reason
    ('holds', 'plan 2017-09-11 < meeting 2017-09-20')
    >>> check_date_sequence({"claim_id": "b", "expected": "before=2017-09-20"},
    ...                     "2017-11-09").reason
    '2017-11-09 is after 2017-09-20'
    """
    exp = parse_expected(row.get("expected", ""))
    if "order" in exp:
        names = [n.strip() for n in exp["order"].split("<")]
        if not isinstance(evidence, Mapping):
            return _res(row, CANNOT_TEST, "the evidence is not a mapping of names to dates")
        dates = {n: _date(evidence.get(n)) for n in names}
        missing = [n for n, d in dates.items() if d is None]
        if missing:
            return _res(row, CANNOT_TEST, f"no date for {', '.join(missing)}")
        chain = " < ".join(f"{n} {dates[n]}" for n in names)
        bad = [(a, b) for a, b in zip(names, names[1:], strict=False) if not dates[a] < dates[b]]
        if bad:
            a, b = bad[0]
            return _res(row, DOES_NOT_HOLD, f"{a} ({dates[a]}) is not before {b} ({dates[b]})",
                        chain)
        return _res(row, HOLDS, chain, chain)
    key = next((k for k in ("date", "before", "after") if k in exp), None)
    if key is None:
        return _res(row, CANNOT_TEST, "expected names no date=, before=, after= or order=")
    want = _date(exp[key])
    got = _date(evidence.get("date") if isinstance(evidence, Mapping) else evidence)
    if want is None:
        return _res(row, CANNOT_TEST, f"expected {key}={exp[key]!r} is not a date YYYY-MM-DD")
    if got is None:
        return _res(row, CANNOT_TEST, "no date in the evidence")
    if got == want:
        rel = "the same day as"
    else:
        rel = "before" if got < want else "after"
    ok = {"date": got == want, "before": got < want, "after": got > want}[key]
    return _res(row, HOLDS if ok else DOES_NOT_HOLD,
                f"{got} is {rel} {want}" if key != "date" or not ok else f"{got}, as printed",
                str(got))


# --- disclosure ------------------------------------------------------------------------------


def check_disclosure(row: Mapping[str, Any], evidence: Any) -> ClaimResult:
    """"Counts below N are suppressed": no shown count lies between 1 and N-1.

    Examples
    --------
    >>> r = check_disclosure({"claim_id": "x", "expected": "threshold=5"}, ["12", "[c]", "3", 0])
    >>> str(r.status), r.reason
    ('does not hold', '1 of 4 shown cells is a count from 1 to 4 (3)')
    """
    exp = parse_expected(row.get("expected", ""))
    if "threshold" not in exp:
        return _res(row, CANNOT_TEST, "expected names no threshold=")
    t = parse_number(exp["threshold"])
    if isinstance(evidence, pd.DataFrame):
        cells = list(evidence.to_numpy().ravel())
    elif isinstance(evidence, (pd.Series, list, tuple, np.ndarray)):
        cells = list(evidence)
    else:
        return _res(row, CANNOT_TEST, "the evidence is not the cells as shown")
    small = []
    for c in cells:
        try:
            v = parse_number(c)
        except (TypeError, ValueError):
            continue  # [c], [x], text
        if not math.isnan(v) and 0 < v < t:
            small.append(_num(v))
    desc = f"{len(cells)} shown cells"
    if small:
        return _res(row, DOES_NOT_HOLD, f"{len(small)} of {desc} is a count from 1 to "
                    f"{_num(t - 1)} ({', '.join(small[:8])})", desc)
    return _res(row, HOLDS, f"none of {desc} is a count from 1 to {_num(t - 1)}", desc)


# --- consistency -----------------------------------------------------------------------------


def check_consistency(row: Mapping[str, Any], evidence: Any) -> ClaimResult:
    """A statement against another in the same paper: footnote vs column, text vs template, or
    (``as=sum``) a stated total against the sum of its stated parts.

    With ``as=sum`` the evidence is ``{"total": printed, "parts": [printed, ...]}`` and the
    claim holds when the parts can add up to the total within what the rounding of the printed
    figures allows (:func:`hwb.rounding.sum_of_parts`).

    Examples
    --------
    >>> r = check_consistency({"claim_id": "k", "expected": "with=tab 4.4"},
    ...                       {"this": "1166.5", "other": "1,166"})
    >>> print(r.status, "|", r.reason)  # doctest: +NORMALIZE_WHITESPACE
    holds | against tab 4.4: 1166.5 and 1,166 are both roundings of any value from
    1,166.45 to 1,166.50
    >>> r = check_consistency({"claim_id": "s", "expected": "with=its parts; as=sum"},
    ...                       {"total": "9.4", "parts": ["2.6", "5.5", "1.2"]})
    >>> print(r.status, "|", r.reason)  # doctest: +NORMALIZE_WHITESPACE
    holds | against its parts: parts sum to 9.3 against the printed total 9.4: within the
    rounding of the parts
    """
    exp = parse_expected(row.get("expected", ""))
    other = exp.get("with", "the other statement")
    if exp.get("as", "") == "sum":
        return _sum_of_parts(row, evidence, other)
    if not isinstance(evidence, Mapping) or "this" not in evidence or "other" not in evidence:
        return _res(row, CANNOT_TEST, "the evidence needs 'this' and 'other'")
    a, b = evidence["this"], evidence["other"]
    if a is None or b is None:
        return _res(row, CANNOT_TEST, f"{other} is not in the shipped data")
    as_ = exp.get("as", "")
    ev_txt = f"{a} and {b}"
    if as_ != "text":
        try:
            parse_number(a), parse_number(b)
        except (TypeError, ValueError):
            as_ = "text"
    if as_ == "text":
        ok = _norm(a) == _norm(b)
        return _res(row, HOLDS if ok else DOES_NOT_HOLD,
                    f"against {other}: {'the same' if ok else f'{a!r} against {b!r}'}", ev_txt)
    c = checks.printed_twice(a, b, computed=evidence.get("computed"))
    ok = c.status == checks.REPRODUCED
    return _res(row, HOLDS if ok else DOES_NOT_HOLD, f"against {other}: {c.reason}", ev_txt)


def _sum_of_parts(row: Mapping[str, Any], evidence: Any, other: str) -> ClaimResult:
    """``as=sum``: a printed total against the sum of its printed parts."""
    if not isinstance(evidence, Mapping) or "total" not in evidence or "parts" not in evidence:
        return _res(row, CANNOT_TEST, "the evidence needs 'total' and 'parts'")
    total, parts = evidence["total"], evidence["parts"]
    if total is None or parts is None or isinstance(parts, str) or not len(parts) \
            or any(x is None for x in parts):
        return _res(row, CANNOT_TEST, f"the total or a part of {other} is not in the shipped "
                    "data")
    try:
        parse_number(total)
        for x in parts:
            parse_number(x)
    except (TypeError, ValueError):
        return _res(row, CANNOT_TEST, f"the total {total!r} or a part of {list(parts)!r} is not "
                    "a number as printed")
    ev_txt = f"{' + '.join(str(x) for x in parts)} against {total}"
    c = checks.sum_of_parts(total, list(parts))
    ok = c.status in (checks.REPRODUCED, checks.ROUNDING)
    return _res(row, HOLDS if ok else DOES_NOT_HOLD, f"against {other}: {c.reason}", ev_txt)


# --- approximate -----------------------------------------------------------------------------


def check_approximate(row: Mapping[str, Any], evidence: Any) -> ClaimResult:
    """A figure qualified by an approximate word, by :func:`hwb.toolkit.checks.approximate`.

    Examples
    --------
    >>> print(check_approximate({"claim_id": "a", "expected": "word=around; value=1,050"},
    ...                         1059).status)
    holds
    """
    exp = parse_expected(row.get("expected", ""))
    if "word" not in exp or "value" not in exp:
        return _res(row, CANNOT_TEST, "expected needs word= and value=")
    if isinstance(evidence, Mapping):
        evidence = evidence.get("value")
    try:
        v = float(evidence)
    except (TypeError, ValueError):
        return _res(row, CANNOT_TEST, "no computed value in the evidence")
    try:
        c = checks.approximate(exp["word"], exp["value"], v)
    except ValueError as e:
        return _res(row, CANNOT_TEST, str(e))
    return _res(row, HOLDS if c.status == checks.REPRODUCED else DOES_NOT_HOLD, c.reason,
                _num(v))


# --- dispatch --------------------------------------------------------------------------------


CHECKS: dict[str, Callable[[Mapping[str, Any], Any], ClaimResult]] = {
    "trend": check_trend,
    "extreme": check_extreme,
    "span": check_span,
    "comparison": check_comparison,
    "definition": check_definition,
    "count": check_count,
    "date_sequence": check_date_sequence,
    "disclosure": check_disclosure,
    "consistency": check_consistency,
    "approximate": check_approximate,
}
"""The check function of each claim type."""


def check_claim(row: Mapping[str, Any], evidence: Any) -> ClaimResult:
    """Check one claim row against its evidence (``None``: cannot be tested)."""
    ctype = str(row.get("claim_type", ""))
    if ctype not in CHECKS:
        return _res(row, CANNOT_TEST, f"no check for claim type {ctype!r}")
    if evidence is None:
        return _res(row, CANNOT_TEST, f"no evidence passed for {row.get('subject', '')}")
    return CHECKS[ctype](row, evidence)


RESULT_COLUMNS = ("claim_id", "board", "claim_type", "statement", "subject", "status", "reason",
                  "evidence", "citation")
"""The columns of ``claims.csv``; :func:`check_claims` adds ``document`` (for the table's
Source line)."""


def check_claims(claims_df: pd.DataFrame, evidence: Mapping[str, object]) -> pd.DataFrame:
    """Check every claim; evidence is looked up by ``claim_id``, then by ``subject``.

    Examples
    --------
    >>> cl = pd.DataFrame([{"claim_id": "a", "board": "", "claim_type": "count",
    ...     "statement": "two services", "subject": "services", "expected": "count=2",
    ...     "document": "Paper", "item": "5", "page": "3", "line": "40", "note": ""}])
    >>> out = check_claims(cl, {"services": ["A", "B"]})
    >>> out.loc[0, "status"], out.loc[0, "citation"]
    ('holds', 'Paper, item 5, page 3, line 40')
    """
    rows = []
    for _, r in claims_df.iterrows():
        row = r.to_dict()
        cid, subj = str(row.get("claim_id", "")), str(row.get("subject", ""))
        ev = evidence.get(cid) if cid in evidence else evidence.get(subj)
        res = check_claim(row, ev)
        rows.append({
            "claim_id": cid,
            "board": row.get("board", ""),
            "claim_type": row.get("claim_type", ""),
            "statement": row.get("statement", ""),
            "subject": subj,
            "status": str(res.status),
            "reason": res.reason,
            "evidence": res.evidence,
            "citation": citation(row.get("document", ""), row.get("item", ""),
                                 row.get("page", ""), row.get("line", "")),
            "document": row.get("document", ""),
        })
    return pd.DataFrame(rows, columns=[*RESULT_COLUMNS, "document"])


def summary(results: pd.DataFrame) -> dict[str, int]:
    """Claims by verdict, every verdict present (zero when none)."""
    counts = results["status"].value_counts() if len(results) else pd.Series(dtype=int)
    return {str(s): int(counts.get(str(s), 0)) for s in (HOLDS, DOES_NOT_HOLD, CANNOT_TEST)}


def claims_table(results: pd.DataFrame) -> pd.DataFrame:
    """The display table of a claims check: Claim, Statement, Check, Reason, Where printed."""
    return results.rename(columns={"claim_id": "Claim", "statement": "Statement",
                                   "status": "Check", "reason": "Reason",
                                   "citation": "Where printed"})[
        ["Claim", "Statement", "Check", "Reason", "Where printed"]].reset_index(drop=True)


def show_claims(results: pd.DataFrame, source: str = "", *, publish: bool = True,
                caption: str = "") -> Any:
    """The "Claims check" table, and the claim records published for the runner to harvest.

    The records go out as display data of type :data:`hwb.protocol.CLAIMS_MIME`; the runner
    writes them to ``manifest["claims"]`` and ``claims.csv``.  ``caption`` replaces the
    default caption (an appendix whose claims are not all printed ones words its own); the
    table takes the next table number either way, once.
    """
    from hwb.toolkit import charts

    s = summary(results)
    caption = caption or (f"Claims check: every testable printed statement and its verdict "
               f"({s['holds']} {'holds' if s['holds'] == 1 else 'hold'}, "
               f"{s['does not hold']} {'does' if s['does not hold'] == 1 else 'do'} not hold, "
               f"{s['cannot be tested']} cannot be tested with the data shipped).")
    if publish:
        try:
            from IPython import get_ipython
            from IPython.display import publish_display_data

            if get_ipython() is not None:
                publish_display_data(
                    {CLAIMS_MIME: results.to_dict(orient="records"), "text/plain": ""},
                    metadata={"hwb": "claims-check"})
        except ImportError:  # pragma: no cover
            pass
    if not source:
        docs = (sorted({str(d) for d in results["document"] if str(d).strip()})
                if "document" in results.columns else [])
        source = (f"{'; '.join(docs)} (as printed; each row cites item, page and line); "
                  if docs else "the board paper as printed; ") + "hwb checks on the shipped data"
    return charts.table(claims_table(results), caption, source)


__all__ = [
    "CANNOT_TEST", "CHECKS", "CLAIM_COLUMNS", "CLAIM_TYPES", "DOES_NOT_HOLD", "HOLDS",
    "ClaimResult", "DataError", "check_approximate", "check_claim", "check_claims",
    "check_comparison", "check_consistency", "check_count", "check_date_sequence",
    "check_definition", "check_disclosure", "check_extreme", "check_span", "check_trend",
    "claims_table", "load_claims", "mann_kendall", "parse_expected", "period_ordinal",
    "show_claims", "summary", "theil_sen_slope",
]
