"""Funnel plots with overdispersion: winsorised φ and the random-effects τ².

When units (local authorities, trusts) differ by more than chance alone, plain
Poisson or binomial funnel limits label most of them "outliers".  Spiegelhalter
(2005) adjusts the limits: z-scores on a variance-stabilising scale, winsorised
at 10% and 90%, estimate the overdispersion factor φ = mean(z²); either the
limits are widened multiplicatively by √φ, or (the NHS SHMI and CQC choice) an
additive between-unit variance τ² (DerSimonian-Laird) is added to each unit's
own sampling variance.  This module follows the NHS-R community's FunnelPlotR
(``transformed_zscore``, ``winsorisation``, ``phi_func``, ``tau_func``,
``build_limits_lookup``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from hwb.stats._common import StatsInputError, _st
from hwb.stats.funnels import funnel_proportion_limits

KINDS = ("ratio", "proportion", "rate")
SR_METHODS = ("SHMI", "CQC")
CITATION = ("Spiegelhalter DJ (2005), Handling over-dispersion of performance indicators, "
            "Qual Saf Health Care 14:347-351; FunnelPlotR (NHS-R community)")


@dataclass(frozen=True)
class Overdispersion:
    """The overdispersion of a set of units, as a funnel plot reports it.

    Attributes
    ----------
    kind : str
        ``"ratio"`` (O/E), ``"proportion"`` or ``"rate"``.
    scale : str
        The transformation: ``"log"`` (SHMI), ``"sqrt"`` (CQC) or ``"arcsine"``.
    n : int
        Units used.
    phi : float
        Winsorised overdispersion factor, ``mean(z_w²)``.
    tau2 : float
        Between-unit variance on the transformed scale (0: none).
    chi2_p : float
        ``P(χ²(n − 1) ≥ n φ)``, the test of no overdispersion.
    overdispersed : bool
        Whether the adjusted limits are used (else the plain Poisson/binomial).
    target : float
        The funnel's centre on the original scale (1 for ratios, the pooled
        proportion or rate).
    trim : float
        Winsorisation fraction at each end.
    method : str
        The limits used, with the citation.
    """

    kind: str
    scale: str
    n: int
    phi: float
    tau2: float
    chi2_p: float
    overdispersed: bool
    target: float
    trim: float
    method: str


def _transform(kind: str, sr_method: str, num: np.ndarray, den: np.ndarray,
               ) -> tuple[str, float, np.ndarray, np.ndarray, float]:
    """(scale, transformed target, Y, s, target on the original scale)."""
    if kind == "proportion":
        p0 = num.sum() / den.sum()
        return "arcsine", float(np.arcsin(np.sqrt(p0))), np.arcsin(np.sqrt(num / den)), \
            1.0 / (2.0 * np.sqrt(den)), float(p0)
    # ratio (den = expected) or rate (den = population; expected at the pooled rate)
    target = 1.0
    if kind == "rate":
        target = float(num.sum() / den.sum())
        den = den * target
    if sr_method == "SHMI":
        with np.errstate(divide="ignore"):
            return "log", 0.0, np.log(num / den), 1.0 / np.sqrt(den), target
    return "sqrt", 1.0, np.sqrt(num / den), 1.0 / (2.0 * np.sqrt(den)), target


def overdispersion(numerator: Any, denominator: Any, kind: str = "ratio", *,
                   sr_method: str = "CQC", trim: float = 0.1, alpha: float | None = None,
                   labels: Any = None) -> tuple[pd.DataFrame, Overdispersion]:
    """z-scores, winsorised φ and τ² for a set of units.

    Parameters
    ----------
    numerator, denominator : array-like
        Observed events and, for ``kind="ratio"``, expected events (O/E); for
        ``"proportion"`` the denominators; for ``"rate"`` the populations
        (person-years).
    kind : {"ratio", "proportion", "rate"}
    sr_method : {"CQC", "SHMI"}
        Ratios and rates: square-root scale (CQC, default) or log scale (SHMI).
    trim : float
        Winsorise the z-scores at the ``trim`` and ``1 − trim`` quantiles
        (FunnelPlotR ``trim_by``, default 0.1).
    alpha : float, optional
        None (default, FunnelPlotR): overdispersed when ``n φ > n − 1`` (τ² > 0).
        A level such as 0.05: only when the chi-square test rejects at it.
    labels : array-like, optional
        Unit names.

    Returns
    -------
    frame : pandas.DataFrame
        One row per unit: ``label, numerator, denominator, value, y, s, z,
        winsorised_z, adjusted_z, method``.  ``value`` is O/E, the proportion
        or the rate per person; ``adjusted_z = (y − target) / √(s² + τ²)``.
    result : Overdispersion

    Notes
    -----
    Spiegelhalter (2005), sections 3-4; FunnelPlotR: ``y = √(O/E)``, ``s =
    1/(2√E)`` (CQC) or ``y = log(O/E)``, ``s = 1/√E`` (SHMI); proportions ``y =
    asin √p``, ``s = 1/(2√n)`` around ``asin √(Σx/Σn)``.  ``z = (y − y₀)/s``,
    winsorised at quantiles (linear interpolation, R's type 7); ``φ = Σ z_w² / n``;
    ``τ² = max(0, (nφ − (n − 1)) / (Σw − Σw²/Σw))``, ``w = 1/s²``, and 0 when
    ``nφ < n − 1``.  Rates are treated as ratios to the expected count at the
    pooled rate.

    Examples
    --------
    Five units with E = 25 (s = 0.1) and O/E = 0.64, 0.81, 1, 1.21, 1.44: √(O/E)
    = 0.8 … 1.2, z = −2, −1, 0, 1, 2; winsorised at ±1.6; φ = (2 × 2.56 + 2) / 5
    = 1.424; τ² = (7.12 − 4) / (500 − 100) = 0.0078.

    >>> f, r = overdispersion([16, 20.25, 25, 30.25, 36], [25] * 5)
    >>> round(r.phi, 3), round(r.tau2, 4), r.overdispersed
    (1.424, 0.0078, True)
    """
    where = "overdispersion"
    if kind not in KINDS:
        raise StatsInputError(where, f"kind must be one of {KINDS}", column="kind", value=kind)
    if sr_method not in SR_METHODS:
        raise StatsInputError(where, f"sr_method must be one of {SR_METHODS}",
                              column="sr_method", value=sr_method)
    if not 0 <= trim < 0.5:
        raise StatsInputError(where, "trim must be in [0, 0.5)", column="trim", value=trim)
    num = np.asarray(numerator, dtype=float).ravel()
    den = np.asarray(denominator, dtype=float).ravel()
    if num.size != den.size or num.size < 2:
        raise StatsInputError(where, "numerator and denominator must be of one length >= 2",
                              column="denominator", value=den.size)
    for name, a in (("numerator", num), ("denominator", den)):
        bad = np.flatnonzero(~np.isfinite(a) | (a < 0) | ((a == 0) if name == "denominator"
                                                          else False))
        if bad.size:
            raise StatsInputError(where, f"{name} must be finite and >= 0 (denominator > 0)",
                                  column=name, row=int(bad[0]), value=a[bad[0]])
    if kind == "proportion" and np.any(num > den):
        i = int(np.flatnonzero(num > den)[0])
        raise StatsInputError(where, "numerator above its denominator", column="numerator",
                              row=i, value=num[i])
    scale, y0, y, s, target = _transform(kind, sr_method, num, den)
    z = (y - y0) / s
    finite = np.isfinite(z)
    lz, uz = np.quantile(z[finite], [trim, 1.0 - trim])
    zw = np.clip(z, lz, uz)
    n = int(finite.sum())
    phi = float(np.sum(zw[finite] ** 2) / n)
    w = 1.0 / s[finite] ** 2
    tau2 = 0.0 if n * phi < n - 1 else max(0.0, float((n * phi - (n - 1))
                                                 / (w.sum() - (w ** 2).sum() / w.sum())))
    p = float(_st.chi2.sf(n * phi, n - 1))
    od = tau2 > 0 if alpha is None else (p < alpha and tau2 > 0)
    method = (f"{'overdispersion-adjusted (additive tau2, ' + scale + ' scale)' if od else 'plain'}"
              f" limits; {CITATION}")
    result = Overdispersion(kind=kind, scale=scale, n=n, phi=phi, tau2=tau2, chi2_p=p,
                            overdispersed=bool(od), target=target, trim=float(trim),
                            method=method)
    value = num / den
    with np.errstate(invalid="ignore"):
        adj = (y - y0) / np.sqrt(s ** 2 + (tau2 if od else 0.0))
    frame = pd.DataFrame({
        "label": list(labels) if labels is not None else list(range(num.size)),
        "numerator": num, "denominator": den, "value": value, "y": y, "s": s, "z": z,
        "winsorised_z": zw, "adjusted_z": adj})
    frame["method"] = method
    return frame, result


def overdispersed_limits(x: Any, result: Overdispersion, multiplier: float = 1.0,
                         variant: str = "tau2") -> pd.DataFrame:
    """Funnel limits at 95% and 99.8% for the denominators ``x``, adjusted for overdispersion.

    Parameters
    ----------
    x : array-like
        Expected events (ratios), denominators (proportions) or populations
        (rates), where the limits are wanted (the x axis).
    result : Overdispersion
        From :func:`overdispersion`.
    multiplier : float
        Scale of the plotted values (100 for percentages or SMR × 100; 100,000
        for rates per 100,000).
    variant : {"tau2", "phi"}
        Additive random effects (default, SHMI and CQC) or the multiplicative
        ``√φ`` widening.  Without overdispersion both give the plain limits.

    Returns
    -------
    pandas.DataFrame
        ``x, baseline, lower95, upper95, lower99_8, upper99_8, statistic,
        confidence, method, phi, tau2``.

    Notes
    -----
    FunnelPlotR ``build_limits_lookup``: CQC ``(1 ± z √(1/(4E) + τ²))²``; SHMI
    ``exp(± z √(1/E + τ²))``; proportions ``sin²(asin √p₀ ± z √(1/(4n) + τ²))``.
    The φ variant uses ``± z √φ s``.  Plain limits: exact Poisson against the
    expected count, ``χ²(0.025; 2E)/(2E)`` and ``χ²(0.975; 2E + 2)/(2E)`` (as
    FunnelPlotR), and for proportions the Wilson-inverted binomial limits of
    :func:`hwb.stats.funnel_proportion_limits`.  z from the normal quantiles
    0.975 and 0.999.

    Examples
    --------
    The five units of :func:`overdispersion` (τ² = 0.0078), at E = 25: √(0.01 +
    0.0078) = 0.133417; 1.959964 × 0.133417 = 0.261492; limits 0.738508² =
    0.5454 and 1.261492² = 1.5914.

    >>> _, r = overdispersion([16, 20.25, 25, 30.25, 36], [25] * 5)
    >>> lim = overdispersed_limits([25], r)
    >>> round(float(lim.lower95[0]), 4), round(float(lim.upper95[0]), 4)
    (0.5454, 1.5914)
    """
    where = "overdispersed_limits"
    if variant not in ("tau2", "phi"):
        raise StatsInputError(where, "variant must be 'tau2' or 'phi'", column="variant",
                              value=variant)
    xa = np.atleast_1d(np.asarray(x, dtype=float))
    if np.any(~(xa > 0)):
        raise StatsInputError(where, "x must be > 0", column="x", value=xa[~(xa > 0)][0])
    m = float(multiplier)
    out: dict[str, Any] = {"x": xa, "baseline": np.full(xa.shape, result.target * m)}
    if result.kind == "proportion" and not result.overdispersed:
        plain = funnel_proportion_limits(xa, result.target, multiplier=m)
        for c in ("lower95", "upper95", "lower99_8", "upper99_8"):
            out[c] = plain[c].to_numpy()
        method = "plain binomial (Wilson-inverted) limits"
    else:
        e = xa * result.target if result.kind == "rate" else xa  # expected events
        for suffix, p in (("95", 0.975), ("99_8", 0.999)):
            z = float(_st.norm.ppf(p))
            if not result.overdispersed:
                lo = _st.chi2.ppf(1 - p, 2 * e) / 2 / e
                hi = _st.chi2.ppf(p, 2 * e + 2) / 2 / e
                method = "plain Poisson limits against the expected count"
            else:
                if result.scale == "arcsine":
                    s = 1.0 / (2.0 * np.sqrt(xa))
                elif result.scale == "sqrt":
                    s = 1.0 / (2.0 * np.sqrt(e))
                else:
                    s = 1.0 / np.sqrt(e)
                half = (z * np.sqrt(result.phi) * s if variant == "phi"
                        else z * np.sqrt(s ** 2 + result.tau2))
                if result.scale == "arcsine":
                    t0 = np.arcsin(np.sqrt(result.target))
                    lo = np.sin(np.clip(t0 - half, 0, np.pi / 2)) ** 2 / result.target
                    hi = np.sin(np.clip(t0 + half, 0, np.pi / 2)) ** 2 / result.target
                elif result.scale == "sqrt":
                    lo = np.clip(1 - half, 0, None) ** 2
                    hi = (1 + half) ** 2
                else:
                    lo, hi = np.exp(-half), np.exp(half)
                what = ("multiplicative phi" if variant == "phi"
                        else "additive random effects tau2")
                method = f"overdispersion-adjusted ({what}, {result.scale} scale) limits"
            # lo, hi are relative to the target: scale back
            out[f"lower{suffix}"] = lo * result.target * m
            out[f"upper{suffix}"] = hi * result.target * m
    df = pd.DataFrame(out)
    df["statistic"] = result.kind if m == 1 else f"{result.kind} x {m:g}"
    df["confidence"] = "95%, 99.8%"
    df["method"] = f"{method}; {CITATION}"
    df["phi"] = result.phi
    df["tau2"] = result.tau2 if result.overdispersed else 0.0
    return df


def overdispersed_funnel(numerator: Any, denominator: Any, kind: str = "ratio",
                         multiplier: float = 1.0, variant: str = "tau2", **kwargs: Any,
                         ) -> tuple[pd.DataFrame, Overdispersion]:
    """Each unit against the (overdispersion-adjusted) limits at its own denominator.

    Parameters
    ----------
    numerator, denominator, kind, **kwargs
        As :func:`overdispersion`.
    multiplier, variant
        As :func:`overdispersed_limits`.

    Returns
    -------
    frame : pandas.DataFrame
        :func:`overdispersion`'s frame with ``value`` on the plotted scale
        (× ``multiplier``; for rates per ``multiplier`` people), the limits at
        the unit's own denominator, ``significance`` (the labels of
        :func:`hwb.stats.funnel_significance`), ``confidence`` and ``method``.
    result : Overdispersion

    Examples
    --------
    >>> f, r = overdispersed_funnel([16, 20.25, 25, 30.25, 36], [25] * 5)
    >>> f["significance"].tolist()
    ['Not significant', 'Not significant', 'Not significant', 'Not significant', 'Not significant']
    """
    from hwb.stats.funnels import funnel_significance

    frame, result = overdispersion(numerator, denominator, kind, **kwargs)
    lim = overdispersed_limits(frame["denominator"], result, multiplier, variant)
    out = frame.drop(columns=["method"]).copy()
    out["value"] = out["value"] * float(multiplier)
    for c in ("baseline", "lower95", "upper95", "lower99_8", "upper99_8"):
        out[c] = lim[c].to_numpy()
    out["significance"] = funnel_significance(out["value"], lim)
    out["confidence"] = "95%, 99.8%"
    out["method"] = lim["method"].to_numpy()
    return out, result
