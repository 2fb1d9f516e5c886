"""Proportions: Wilson score and Clopper-Pearson intervals."""

from __future__ import annotations

from typing import Any

import numpy as np

from hwb.stats._common import CI, _conf, _counts, _out, _positive, _require, _st, _tail, _z


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


