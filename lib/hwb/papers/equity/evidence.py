"""Evidence for the equity audit's printed claims (``data/equity/printed_claims.csv``).

Each claim names a subject; :func:`claims_evidence` maps every subject to what the shipped
data and this appendix's recomputation say, for :func:`hwb.toolkit.claims.check_claims`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from hwb.papers.equity import EQUAL, EQUITABLE, UNEQUAL


def _benchmark(key: str, audit: pd.DataFrame, age_matched: pd.DataFrame) -> float:
    """The age-matched expected share of a service where it has one, else the audit's."""
    m = age_matched.set_index("key")
    if key in m.index and pd.notna(m.loc[key, "value"]):
        return float(m.loc[key, "value"])
    return float(audit.set_index("key").loc[key, "expected"])


def claims_evidence(audit: pd.DataFrame, tests: pd.DataFrame, age_matched: pd.DataFrame,
                    method_best: str, printed: pd.DataFrame, msoa_share: float,
                    claims: pd.DataFrame | None = None) -> dict[str, Any]:
    """Every subject of the equity claims, mapped to its evidence.

    Parameters
    ----------
    audit : DataFrame
        The rebuilt detailed table (``key, label, x, n, share, share_lower, share_upper,
        expected, verdict``; percent).
    tests : DataFrame
        The exact tests (``key, label, finding``).
    age_matched : DataFrame
        ``key, value``: the age-matched expected shares (percent; NaN where none).
    method_best : str
        The interval method that reproduces the most printed rows.
    printed : DataFrame
        The board's printed figures (``figure_id, value``).
    msoa_share : float
        The selected MSOAs' share of the authority's residents, mid-2015 (percent).
    claims : DataFrame, optional
        The claims (:func:`hwb.toolkit.claims.load_claims`): approximate claims get their
        unrounded number under their own id.

    Examples
    --------
    >>> a = pd.DataFrame({"key": ["s"], "label": ["S"], "x": [5], "n": [10], "share": [50.0],
    ...                   "share_lower": [23.7], "share_upper": [76.3], "expected": [8.4],
    ...                   "verdict": ["Equitable"]})
    >>> t = pd.DataFrame({"key": ["s"], "label": ["S"], "finding": ["significantly more"]})
    >>> ev = claims_evidence(a, t, pd.DataFrame({"key": ["s"], "value": [math.nan]}),
    ...                      "Wilson 95%", pd.DataFrame({"figure_id": [], "value": []}), 8.6)
    >>> ev["s.share"]["benchmark"], ev["services_equitable"], ev["services_significantly_more"]
    (8.4, ['S'], ['S'])
    """
    labels = audit["label"].tolist()
    verdict = audit["verdict"].tolist()
    ev: dict[str, Any] = {
        "services_analysed": labels,
        "services_equal_or_better": [s for s, v in zip(labels, verdict, strict=True)
                                     if v in (EQUAL, EQUITABLE)],
        "services_equitable": [s for s, v in zip(labels, verdict, strict=True)
                               if v == EQUITABLE],
        "services_unequal": [s for s, v in zip(labels, verdict, strict=True) if v == UNEQUAL],
        "services_below_expected": audit.loc[audit["share"] < audit["expected"],
                                             "label"].tolist(),
        "services_significantly_more": tests.loc[tests["finding"] == "significantly more",
                                                 "label"].tolist(),
        "services_significantly_fewer": tests.loc[tests["finding"] == "significantly fewer",
                                                  "label"].tolist(),
        "method_best": {"is": method_best},
        "methods.msoa_share": {"this": "9", "other": f"{msoa_share:.6f}"},
    }
    for _, r in audit.iterrows():
        ev[f"{r['key']}.share"] = {"value": float(r["share"]),
                                   "benchmark": _benchmark(r["key"], audit, age_matched),
                                   "lower": float(r["share_lower"]),
                                   "upper": float(r["share_upper"])}
    counts = printed[printed["figure_id"].astype(str).str.contains("clients")]
    ev["printed_counts"] = [v for v in counts["value"].tolist() if _is_number(v)]
    if claims is not None:
        ev.update(approximate_evidence(ev, claims))
    return ev


def approximate_evidence(ev: Mapping[str, Any], claims: pd.DataFrame) -> dict[str, Any]:
    """Evidence keyed by claim id for the approximate claims: the unrounded number."""
    out: dict[str, Any] = {}
    for _, c in claims[claims["claim_type"] == "approximate"].iterrows():
        v = ev.get(str(c["subject"]))
        out[str(c["claim_id"])] = v["value"] if isinstance(v, Mapping) else v
    return out


def _is_number(v: Any) -> bool:
    try:
        return not math.isnan(float(str(v).replace(",", "")))
    except ValueError:
        return False
