"""Tests of hwb.toolkit.spc_chart: the SPC and funnel figures draw and say what they show."""

from __future__ import annotations

import pandas as pd

from hwb.stats import overdispersed_funnel, xmr
from hwb.toolkit import spc_chart as sc

MONTHS = pd.period_range("2018-01", periods=10, freq="M").astype(str)
# mean 13.8, screened mMR 1.625, limits 9.4775-18.1225: the last point (30) is beyond
VALUES = [10, 12, 11, 13, 12, 11, 14, 12, 13, 30]


def _legend(fig):
    return [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def test_spc_chart_draws_verdicts_by_shape_and_text():
    f, s = xmr(VALUES, x=list(MONTHS), improvement="decrease", target=20,
               target_from="2018-05")
    fig = sc.spc_chart(f, s, "Delayed days", "days per 100,000")
    labels = _legend(fig)
    assert "Common cause" in labels and "Special cause: concern" in labels
    assert "Mean" in labels and any(lab.startswith("Process limits") for lab in labels)
    assert "Target (from when it was set)" in labels
    markers = {c.get_paths()[0].vertices.tobytes() for c in fig.axes[0].collections}
    assert len(markers) == 2  # two verdicts, two different shapes
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("special cause concern" in t for t in texts)  # the last point, in words
    assert any("Assurance against the target: consistently passes" in t for t in texts)
    assert fig.axes[0].get_ylim()[0] == 0
    # the target line has no value before target_from
    target = [ln for ln in fig.axes[0].get_lines() if ln.get_label().startswith("Target")][0]
    assert pd.isna(target.get_ydata()[:4]).all()


def test_spc_chart_not_from_zero_says_so():
    f, s = xmr(VALUES)
    fig = sc.spc_chart(f, s, "Delayed days", "days", start_at_zero=False)
    assert fig.axes[0].get_ylabel() == "days (axis does not start at zero)"
    assert fig.axes[0].get_ylim()[0] > 0


def test_describe_spc_names_the_verdicts():
    """Lower is better: 30 beyond the upper limit 18.1 is a concern; the target 20 lies above
    the upper limit 18.1225, so it is consistently met."""
    f, s = xmr(VALUES, x=list(MONTHS), improvement="decrease", target=20)
    text = sc.describe_spc(f, s, "delayed days")
    assert "9 points common cause, 1 special cause concern" in text
    assert "Latest point (2018-10): 30.0, special cause concern" in text
    assert "consistently passes" in text and "process limits 9.5 to 18.1" in text


def test_funnel_chart_and_description_report_phi_tau2():
    f, r = overdispersed_funnel([100, 100, 100, 100, 400], [100] * 5)
    fig = sc.funnel_chart(f, r, "Ratio", "O/E")
    assert "Above the 99.8% limit" in _legend(fig)
    assert any("tau²" in t.get_text() for t in fig.axes[0].texts)
    text = sc.describe_funnel(f, r, "5 areas")
    assert f"phi = {r.phi:.2f}" in text and f"tau² = {r.tau2:.4f}" in text
    assert "1 above the 99.8% limit" in text


def test_spc_chart_limits_are_lines_and_the_points_carry_the_markers():
    """As NHSRplotthedots and Making Data Count draw them: the mean, the process limits, the
    two-sigma lines and the target are plain lines (told apart by style and legend text), and
    every month's point has a marker whose shape says its verdict (10 points, 9 common cause
    and 1 special cause, as in the first test)."""
    f, s = xmr(VALUES, x=list(MONTHS), improvement="decrease", target=20,
               target_from="2018-05")
    fig = sc.spc_chart(f, s, "Delayed days", "days per 100,000")
    ax = fig.axes[0]
    lines = [ln for ln in ax.get_lines() if ln.get_label() != "_series"]
    assert len(lines) == 6  # mean, 2 limits, 2 two-sigma lines, target
    assert all(ln.get_marker() in ("", "None", "none", None) for ln in lines)
    assert sum(len(c.get_offsets()) for c in ax.collections) == 10
