"""Standardised rates: Dobson DSRs, ISRs, the European Standard Population 2013."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from hwb.stats._common import (
    _DSR_MIN_EVENTS,
    Estimate,
    StatsInputError,
    _arr,
    _conf,
    _counts,
    _out,
    _positive,
    _require,
)
from hwb.stats.poisson import byar_ci, poisson_ci


@lru_cache(maxsize=1)
def _esp_table() -> pd.DataFrame:
    with resources.files("hwb.stats.reference").joinpath("esp2013.csv").open("r") as f:
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
    ``hwb/stats/reference/esp2013.csv`` and ``hwb/stats/reference/SOURCE.md``.

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


