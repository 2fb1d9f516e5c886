"""SPC (Making Data Count) and overdispersed funnel charts in the house style.

Verdicts are carried by marker shape and by text (legend labels naming the
verdict, the last point's verdict written beside it, the variation and
assurance verdicts under the title) as well as by colour, so no reader needs
the colours (WCAG 2.1 SC 1.4.1).  Each chart has a text alternative
(:func:`describe_spc`, :func:`describe_funnel`) to pass to
:func:`hwb.toolkit.charts.chart` as ``alt``.
"""

from __future__ import annotations

from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from hwb.fmt import format_number  # noqa: E402
from hwb.stats import spc  # noqa: E402
from hwb.stats.overdispersion import Overdispersion, overdispersed_limits  # noqa: E402
from hwb.toolkit import charts  # noqa: E402
from hwb.toolkit.charts import PALETTE  # noqa: E402

#: Verdict -> (colour, marker, legend label).  Shapes differ, so colour is never alone.
VERDICT_STYLE = {
    spc.COMMON: (PALETTE[4], "o", "Common cause"),
    spc.IMPROVEMENT: (PALETTE[0], "^", "Special cause: improvement"),
    spc.CONCERN: (PALETTE[1], "X", "Special cause: concern"),
    spc.NEITHER: (PALETTE[3], "D", "Special cause (no direction)"),
}

NOT_ZERO = charts.NOT_ZERO


def _axis_label(unit: str, starts_at_zero: bool) -> str:
    return unit + ("" if starts_at_zero else NOT_ZERO)


def spc_chart(frame: pd.DataFrame, summary: spc.SPCSummary, title: str, unit: str,
              start_at_zero: bool = True, decimals: int = 0) -> Any:
    """An XmR chart of :func:`hwb.stats.spc.xmr`'s frame as a matplotlib Figure.

    Parameters
    ----------
    frame, summary
        From :func:`hwb.stats.xmr`.
    title : str
        The chart's title (the measure).
    unit : str
        The y axis label ("delayed days per 100,000 aged 18+").
    start_at_zero : bool
        Start the y axis at zero (default).  If False the axis fits the data and
        its label says that it does not start at zero.
    decimals : int
        Decimals of the last value written on the chart.

    Returns
    -------
    matplotlib.figure.Figure
        Points by verdict (shape, colour and legend text), the line joining them,
        the mean, process limits and two-sigma lines (labelled), the target from
        the month it was set, and the verdicts under the title.
    """
    fig, ax = plt.subplots(figsize=(8, 5.6))
    pos = np.arange(len(frame))
    y = frame["value"].to_numpy(dtype=float)
    ax.plot(pos, y, color=PALETTE[4], linewidth=1.2, marker="none", label="_series")
    for seg, part in frame.groupby("segment", sort=True):
        idx = pos[frame["segment"].to_numpy() == seg]
        first = seg == frame["segment"].min()
        # the mean, limits and target are lines without markers (as NHSRplotthedots draws
        # them): told apart by line style, colour and legend text; the points carry markers
        ax.plot(idx, part["mean"], color="#222222", linewidth=1.5, marker="",
                label="Mean" if first else "_mean")
        ax.plot(idx, part["upl"], color="#222222", linestyle="--", linewidth=1.2, marker="",
                label="Process limits (mean ± 2.66 × mean moving range)" if first else "_l")
        ax.plot(idx, part["lpl"], color="#222222", linestyle="--", linewidth=1.2, marker="",
                label="_l")
        ax.plot(idx, part["plus2_sigma"], color="#777777", linestyle=":", linewidth=1,
                marker="", label="Two sigma" if first else "_s")
        ax.plot(idx, part["minus2_sigma"], color="#777777", linestyle=":", linewidth=1,
                marker="", label="_s")
    if frame["target"].notna().any():
        ax.plot(pos, frame["target"], color=PALETTE[2], linestyle="-.", linewidth=1.8,
                marker="", label="Target (from when it was set)")
    for verdict, (colour, marker, label) in VERDICT_STYLE.items():
        m = (frame["verdict"] == verdict).to_numpy()
        if m.any():
            ax.scatter(pos[m], y[m], color=colour, marker=marker, s=46 if verdict != spc.COMMON
                       else 22, zorder=3, label=label, edgecolors="white", linewidths=0.5)
    recorded = np.flatnonzero(~np.isnan(y))
    if recorded.size:
        k = recorded[-1]
        ax.annotate(f"{format_number(y[k], decimals)}: {frame['verdict'].iloc[k]}", (k, y[k]),
                    xytext=(6, 8), textcoords="offset points", fontsize=9, ha="right")
    step = label_step(len(frame))
    ax.set_xticks(pos[::step], [str(v) for v in frame["x"].iloc[::step]], rotation=45,
                  ha="right")
    if start_at_zero:
        ax.set_ylim(bottom=min(0.0, float(np.nanmin(frame[["value", "lpl"]].to_numpy()))))
    ax.set_ylabel(_axis_label(unit, start_at_zero))
    ax.set_title(title, loc="left", pad=20, y=1.0)
    verdicts = f"Variation: {summary.variation}"
    if summary.assurance:
        verdicts += f". Assurance against the target: {summary.assurance}"
    ax.text(0, 1.01, verdicts + ".", transform=ax.transAxes, fontsize=9, va="bottom")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0.0, -0.22), ncol=2, frameon=False)
    # The margins fig.tight_layout() finds for this layout, set directly: it measures every text
    # once more, and the chart is cropped to what is drawn (hwb.toolkit.charts.chart) anyway.
    fig.subplots_adjust(**SPC_MARGINS)
    return fig


def label_step(n: int, most: int = 7) -> int:
    """Label every ``step``-th point of the x axis: the smallest step that divides a year of
    months (1, 2, 3, 4, 6, 12, then 24) and leaves at most ``most`` labels, so three years of
    months are labelled every six months (April and October from an April start).  Every
    point is still drawn, and named in the chart's data table; each label and tick is a text
    and lines to lay out and draw, the larger part of an SPC chart's cost.

    Examples
    --------
    >>> [label_step(n) for n in (5, 10, 12, 24, 36, 60, 108)]
    [1, 2, 2, 4, 6, 12, 24]
    """
    for step in (1, 2, 3, 4, 6, 12, 24):
        if -(-n // step) <= most:
            return step
    return -(-n // most)


SPC_MARGINS = {"left": 0.1, "right": 0.98, "bottom": 0.32, "top": 0.9}
"""Subplot margins of :func:`spc_chart` (what ``tight_layout`` chose for the DTOC charts)."""


def describe_spc(frame: pd.DataFrame, summary: spc.SPCSummary, what: str = "the measure",
                 unit: str = "", decimals: int = 1, start_at_zero: bool = True) -> str:
    """The text alternative of :func:`spc_chart`.

    Parameters
    ----------
    frame, summary
        From :func:`hwb.stats.xmr`.
    what : str
        The measure, as in the caption.
    unit, decimals
        How values are written (:func:`hwb.fmt.format_number`).
    start_at_zero : bool
        As given to :func:`spc_chart`: when False the description ends by saying that the
        vertical axis does not start at zero (the house rule,
        :func:`hwb.toolkit.charts.baseline_problems`).

    Returns
    -------
    str
        Period, mean and limits of the last segment, the count of points of each
        verdict, the last point's variation verdict and the assurance verdict.

    Examples
    --------
    >>> from hwb.stats import xmr
    >>> f, s = xmr([10, 12, 11, 13, 12, 11, 14, 12, 13, 30], improvement="increase",
    ...            target=8)
    >>> describe_spc(f, s, "admissions")  # doctest: +NORMALIZE_WHITESPACE
    'SPC (XmR) chart of admissions, 10 points from 0 to 9. Mean 13.8, process limits 9.5 to
    18.1. 9 points common cause, 1 special cause improvement. Latest point (9): 30.0,
    special cause improvement. Assurance against the target of 8.0: consistently passes.'
    """
    xs = frame["x"].astype(str).tolist()
    out = [f"SPC (XmR) chart of {what}, {summary.n_points} points from {xs[0]} to {xs[-1]}"
           + (f" ({summary.n_missing} missing)" if summary.n_missing else "") + "."]
    seg = f" (last of {summary.segments} segments)" if summary.segments > 1 else ""
    if np.isnan(summary.upl):
        out.append(f"Mean {format_number(summary.mean, decimals, unit)}; too few points for "
                   "process limits.")
    else:
        out.append(f"Mean {format_number(summary.mean, decimals, unit)}, process limits "
                   f"{format_number(summary.lpl, decimals, unit)} to "
                   f"{format_number(summary.upl, decimals, unit)}{seg}.")
    counts = frame.loc[frame["verdict"] != spc.NO_DATA, "verdict"].value_counts()
    order = [v for v in (spc.COMMON, spc.IMPROVEMENT, spc.CONCERN, spc.NEITHER) if v in counts]
    parts = [f"{counts[v]} {'point' if counts[v] == 1 else 'points'} {v}" for v in order[:1]]
    parts += [f"{counts[v]} {v}" for v in order[1:]]
    out.append(", ".join(parts) + ".")
    rec = frame[frame["verdict"] != spc.NO_DATA]
    last = rec.iloc[-1]
    out.append(f"Latest point ({last['x']}): {format_number(last['value'], decimals, unit)}, "
               f"{summary.variation}.")
    if summary.assurance:
        out.append(f"Assurance against the target of "
                   f"{format_number(summary.target, decimals, unit)}: {summary.assurance}.")
    if not start_at_zero:
        out.append("The vertical axis does not start at zero.")
    return " ".join(out)


_SIG_STYLE = {
    "Not significant": (PALETTE[4], "o", "Within the 95% limits"),
    "High (0.025)": (PALETTE[1], "^", "Above the 95% limit"),
    "High (0.001)": (PALETTE[1], "X", "Above the 99.8% limit"),
    "Low (0.025)": (PALETTE[0], "v", "Below the 95% limit"),
    "Low (0.001)": (PALETTE[0], "P", "Below the 99.8% limit"),
}


def funnel_chart(frame: pd.DataFrame, result: Overdispersion, title: str, unit: str,
                 multiplier: float = 1.0, variant: str = "tau2",
                 x_label: str = "Expected events") -> Any:
    """A funnel plot of :func:`hwb.stats.overdispersed_funnel`'s frame.

    Parameters
    ----------
    frame, result
        From :func:`hwb.stats.overdispersed_funnel`.
    title, unit : str
        Title and y axis label.
    multiplier, variant
        As used for ``frame`` (see :func:`hwb.stats.overdispersed_limits`).
    x_label : str
        The x axis label (denominator).

    Returns
    -------
    matplotlib.figure.Figure
        Units by position against the limits (shape, colour and legend text),
        the centre line and the 95% and 99.8% limits, labelled with the method,
        φ and τ².  The y axis starts at zero.
    """
    fig, ax = plt.subplots(figsize=(8, 5.6))
    den = frame["denominator"].to_numpy(dtype=float)
    grid = np.linspace(max(den.min() * 0.8, 1e-9), den.max() * 1.05, 200)
    lim = overdispersed_limits(grid, result, multiplier, variant)
    adj = "overdispersion-adjusted" if result.overdispersed else "plain"
    ax.plot(grid, lim["baseline"], color="#222222", linewidth=1.5, label="Centre")
    ax.plot(grid, lim["upper95"], color="#222222", linestyle="--", linewidth=1.2,
            label=f"95% limits ({adj})")
    ax.plot(grid, lim["lower95"], color="#222222", linestyle="--", linewidth=1.2, label="_l")
    ax.plot(grid, lim["upper99_8"], color="#555555", linestyle=":", linewidth=1.4,
            label=f"99.8% limits ({adj})")
    ax.plot(grid, lim["lower99_8"], color="#555555", linestyle=":", linewidth=1.4, label="_l")
    for sig, (colour, marker, label) in _SIG_STYLE.items():
        m = (frame["significance"] == sig).to_numpy()
        if m.any():
            ax.scatter(den[m], frame["value"].to_numpy()[m], color=colour, marker=marker, s=40,
                       zorder=3, label=label, edgecolors="white", linewidths=0.5)
    ax.set_ylim(bottom=0)
    ax.set_xlabel(x_label)
    ax.set_ylabel(unit)
    ax.set_title(title, loc="left", pad=20, y=1.0)
    ax.text(0, 1.01, f"phi = {result.phi:.2f}, tau² = {result.tau2:.4f}; "
            f"{'overdispersed' if result.overdispersed else 'no overdispersion'}",
            transform=ax.transAxes, fontsize=9, va="bottom")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0.0, -0.22), ncol=2, frameon=False)
    fig.tight_layout()
    return fig


def describe_funnel(frame: pd.DataFrame, result: Overdispersion, what: str = "the units",
                    unit: str = "", decimals: int = 1, variant: str = "tau2") -> str:
    """The text alternative of :func:`funnel_chart`, reporting φ and τ².

    Parameters
    ----------
    frame, result
        From :func:`hwb.stats.overdispersed_funnel`.
    what : str
        What the units are and the measure.
    unit, decimals
        How the centre is written.
    variant : {"tau2", "phi"}
        The adjustment the chart used.

    Returns
    -------
    str

    Examples
    --------
    >>> from hwb.stats import overdispersed_funnel
    >>> f, r = overdispersed_funnel([100, 100, 100, 100, 400], [100] * 5)
    >>> describe_funnel(f, r, "5 areas")  # doctest: +ELLIPSIS +NORMALIZE_WHITESPACE
    'Funnel plot of 5 areas (ratio, centre 1.0). Overdispersion: phi = ..., tau² = ...; the
    limits are adjusted for it (additive random effects). 4 within the 95% limits, 1 above
    the 99.8% limit.'
    """
    centre = float(frame["baseline"].iloc[0])
    out = [f"Funnel plot of {what} ({result.kind}, centre "
           f"{format_number(centre, decimals, unit)})."]
    if result.overdispersed:
        out.append(f"Overdispersion: phi = {result.phi:.2f}, tau² = {result.tau2:.4f}; the "
                   "limits are adjusted for it ("
                   + ("multiplicative, by the square root of phi" if variant == "phi"
                      else "additive random effects") + ").")
    else:
        out.append(f"No overdispersion shown (phi = {result.phi:.2f}, tau² = 0): plain limits.")
    counts = frame["significance"].value_counts()
    words = {"Not significant": "within the 95% limits", "High (0.025)": "above the 95% limit",
             "High (0.001)": "above the 99.8% limit", "Low (0.025)": "below the 95% limit",
             "Low (0.001)": "below the 99.8% limit"}
    out.append(", ".join(f"{counts[k]} {v}" for k, v in words.items() if k in counts) + ".")
    return " ".join(out)
