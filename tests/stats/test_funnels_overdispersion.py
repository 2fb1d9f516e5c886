"""Tests of hwb.stats.overdispersion (Spiegelhalter 2005, as FunnelPlotR) by hand calculation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hwb.stats._common import StatsInputError
from hwb.stats.overdispersion import overdispersed_funnel, overdispersed_limits, overdispersion

OBS = [16, 20.25, 25, 30.25, 36]
E = [25] * 5


def test_cqc_ratio_phi_tau2_by_hand():
    """E = 25: s = 1/(2 × 5) = 0.1.  √(O/E) = 0.8, 0.9, 1.0, 1.1, 1.2 so z = −2 … 2.  Type-7
    quantiles at 0.1 and 0.9 of five points: −2 + 0.4 × 1 = −1.6 and 1.6.  φ = (1.6² × 2 +
    1 + 1) / 5 = 7.12 / 5 = 1.424.  w = 100 each: Σw − Σw²/Σw = 500 − 100 = 400; τ² = (7.12 −
    4) / 400 = 0.0078.  Adjusted z of the top unit: 0.2 / √(0.01 + 0.0078) = 1.49906.
    χ² test: P(χ²₄ ≥ 7.12) = e^(−3.56)(1 + 3.56) = 0.12968."""
    f, r = overdispersion(OBS, E)
    assert f["z"].tolist() == pytest.approx([-2, -1, 0, 1, 2])
    assert f["winsorised_z"].tolist() == pytest.approx([-1.6, -1, 0, 1, 1.6])
    assert r.phi == pytest.approx(1.424)
    assert r.tau2 == pytest.approx(0.0078)
    assert f["adjusted_z"].iloc[-1] == pytest.approx(1.49906, abs=1e-5)
    assert r.chi2_p == pytest.approx(math.exp(-3.56) * 4.56, rel=1e-9)
    assert r.overdispersed and r.scale == "sqrt"


def test_cqc_limits_by_hand():
    """At E = 25: √(0.01 + 0.0078) = 0.1334166; × 1.959964 = 0.2614918; limits (1 ∓ that)²
    = 0.545394, 1.591362.  At 99.8%: × 3.090232 = 0.4122884; 0.345405, 1.994558."""
    _, r = overdispersion(OBS, E)
    lim = overdispersed_limits([25], r)
    assert lim["lower95"].iloc[0] == pytest.approx(0.545394, abs=2e-6)
    assert lim["upper95"].iloc[0] == pytest.approx(1.591362, abs=2e-6)
    assert lim["lower99_8"].iloc[0] == pytest.approx(0.345405, abs=2e-6)
    assert lim["upper99_8"].iloc[0] == pytest.approx(1.994558, abs=2e-6)
    assert lim["tau2"].iloc[0] == pytest.approx(0.0078)
    assert "tau2" in lim["method"].iloc[0] and "Spiegelhalter" in lim["method"].iloc[0]
    # phi variant: ± z √1.424 × 0.1 = ± 0.233885 at 95%: (0.766115², 1.233885²)
    lim = overdispersed_limits([25], r, variant="phi")
    assert lim["lower95"].iloc[0] == pytest.approx(0.766115 ** 2, abs=2e-6)
    assert lim["upper95"].iloc[0] == pytest.approx(1.233885 ** 2, abs=2e-6)


def test_no_overdispersion_gives_plain_poisson():
    """With alpha = 0.05 the χ² test (p = 0.1297) does not reject: plain exact Poisson limits
    against E = 25: χ²(0.025; 50)/50 = 32.3574/50 = 0.647148 and χ²(0.975; 52)/50 =
    73.8099/50 = 1.476198 (quantiles from tables)."""
    _, r = overdispersion(OBS, E, alpha=0.05)
    assert not r.overdispersed
    lim = overdispersed_limits([25], r)
    assert lim["lower95"].iloc[0] == pytest.approx(0.647148, abs=1e-5)
    assert lim["upper95"].iloc[0] == pytest.approx(1.476198, abs=1e-5)
    assert lim["tau2"].iloc[0] == 0 and "plain Poisson" in lim["method"].iloc[0]
    # units that agree exactly with E: nφ = 0 < n − 1, so τ² = 0 under either rule
    _, r = overdispersion([25, 25, 25], [25, 25, 25])
    assert r.tau2 == 0 and not r.overdispersed


def test_shmi_log_scale():
    """SHMI: y = log(O/E), s = 1/√E.  O/E = e^(−0.4), 1, e^(0.4) at E = 25 (s = 0.2): z = −2, 0,
    2; trim 0 keeps them; φ = 8/3; w = 25: Σw − Σw²/Σw = 75 − 25 = 50; τ² = (8 − 2)/50 = 0.12;
    95% limits at E = 25: exp(± 1.959964 × √(0.04 + 0.12)) = exp(± 0.783986)."""
    o = [25 * math.exp(-0.4), 25, 25 * math.exp(0.4)]
    _, r = overdispersion(o, [25, 25, 25], sr_method="SHMI", trim=0)
    assert r.phi == pytest.approx(8 / 3) and r.tau2 == pytest.approx(0.12)
    lim = overdispersed_limits([25], r)
    assert lim["upper95"].iloc[0] == pytest.approx(math.exp(0.783986), abs=1e-5)
    assert lim["lower95"].iloc[0] == pytest.approx(math.exp(-0.783986), abs=1e-5)


def test_proportion_arcsine():
    """Proportions 0.1, 0.5, 0.9 of n = 100: pooled p = 0.5, asin √0.5 = π/4; s = 0.05;
    z = (asin √0.1 − π/4)/0.05 = (0.3217506 − 0.7853982)/0.05 = −9.27295, 0, +9.27295; trim 0:
    φ = 2 × 85.98767 / 3 = 57.32511; w = 400: Σw − Σw²/Σw = 800; τ² = (171.97534 − 2)/800
    = 0.2124692.  Upper 95% limit at n = 100: sin²(π/4 + 1.959964 √(0.0025 + 0.2124692))."""
    _, r = overdispersion([10, 50, 90], [100, 100, 100], "proportion", trim=0)
    assert r.target == 0.5 and r.scale == "arcsine"
    assert r.phi == pytest.approx(57.32511, rel=1e-6)
    assert r.tau2 == pytest.approx(0.2124692, rel=1e-6)
    lim = overdispersed_limits([100], r, multiplier=100)
    half = 1.959964 * math.sqrt(0.0025 + 0.2124692)
    assert lim["upper95"].iloc[0] == pytest.approx(100 * math.sin(min(math.pi / 4 + half,
                                                                      math.pi / 2)) ** 2)
    assert lim["lower95"].iloc[0] == pytest.approx(100 * math.sin(max(math.pi / 4 - half,
                                                                      0)) ** 2)
    assert lim["baseline"].iloc[0] == 50


def test_rate_is_ratio_to_pooled_rate():
    """Rates: 30, 50 and 70 events in 10,000 people each: pooled rate 0.005, expected 50 each,
    so identical to the O/E ratios 0.6, 1, 1.4 at E = 50, scaled by 0.005 × 100,000 = 500."""
    _, rr = overdispersion([30, 50, 70], [10_000] * 3, "rate")
    _, ro = overdispersion([30, 50, 70], [50] * 3)
    assert rr.phi == pytest.approx(ro.phi) and rr.tau2 == pytest.approx(ro.tau2)
    lr = overdispersed_limits([10_000], rr, multiplier=100_000)
    lo = overdispersed_limits([50], ro)
    assert lr["upper95"].iloc[0] == pytest.approx(500 * lo["upper95"].iloc[0])


def test_funnel_flags_against_own_limits():
    """A unit far out: O/E = 4 at E = 100 among four at 1.  z of √4 − 1 over 1/20 = 20;
    with τ² from the winsorised z's it is still beyond the 99.8% limit."""
    f, r = overdispersed_funnel([100, 100, 100, 100, 400], [100] * 5, labels=list("abcde"))
    assert f["significance"].tolist()[-1] == "High (0.001)"
    assert set(f["significance"].iloc[:4]) == {"Not significant"}
    assert (f["confidence"] == "95%, 99.8%").all() and f["label"].tolist()[0] == "a"


def test_bad_input():
    with pytest.raises(StatsInputError, match="kind"):
        overdispersion([1, 2], [1, 2], "odds")
    with pytest.raises(StatsInputError, match="above its denominator"):
        overdispersion([5, 2], [3, 4], "proportion")
    with pytest.raises(StatsInputError, match="denominator"):
        overdispersion([1, 2], [0, 2])
    _, r = overdispersion(OBS, E)
    with pytest.raises(StatsInputError, match="variant"):
        overdispersed_limits([1], r, variant="x")
    assert np.isfinite(r.phi)
