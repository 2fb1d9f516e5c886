"""The equity appendix's charts: drawn here, shown and described by the notebook."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from hwb.papers.equity import funnel_data
from hwb.toolkit import charts


def _draw_funnel(ax: plt.Axes, group: pd.DataFrame) -> pd.DataFrame:
    """One panel: the services of ``group`` around their shared expected share."""
    p0 = float(group["expected"].iloc[0])
    lim, pts = funnel_data(group[["key", "label", "x", "n"]], p0)
    ax.plot(lim["n"], lim["lower95"], color=charts.PALETTE[0], linestyle="--", label="95%",
            marker="")
    ax.plot(lim["n"], lim["upper95"], color=charts.PALETTE[0], linestyle="--", marker="")
    ax.plot(lim["n"], lim["lower99_8"], color=charts.PALETTE[1], linestyle=":", label="99.8%",
            marker="")
    ax.plot(lim["n"], lim["upper99_8"], color=charts.PALETTE[1], linestyle=":", marker="")
    ax.axhline(p0, color=charts.PALETTE[4], linewidth=1, label=f"expected {p0:g}%")
    for j, (_, r) in enumerate(pts.iterrows()):
        ax.plot(r["n"], r["share"], marker=charts.MARKERS[j % len(charts.MARKERS)],
                color=charts.PALETTE[2], linestyle="none")
        ax.annotate(r["label"].split(" (")[0], (r["n"], r["share"]), fontsize=8,
                    xytext=(4, 2), textcoords="offset points")
    ax.set_xlabel("clients")
    ax.set_ylabel("% of clients from the areas")
    ax.set_title(f"expected share {p0:g}%")
    ax.legend(fontsize=8)
    return pts.assign(expected=p0)


def funnel_chart(audit: pd.DataFrame) -> tuple[Figure, pd.DataFrame, str]:
    """Funnel plots of the services, one panel per expected share shared by two or more.

    Parameters
    ----------
    audit : DataFrame
        The rebuilt audit: ``key, label, x, n, expected``.

    Returns
    -------
    figure : Figure
    data : DataFrame
        The plotted points: Service, Expected %, Share %, Position.
    alt : str
        The chart's text alternative.
    """
    groups = [g for _, g in audit.groupby("expected", sort=False) if len(g) >= 2]
    fig, axes = plt.subplots(1, len(groups), figsize=(5 * len(groups), 4.2), squeeze=False)
    points = pd.concat([_draw_funnel(axes[0][i], g) for i, g in enumerate(groups)])
    alt = "; ".join(f"{r['label']}: {r['share']:.1f}% of {r['n']:,} clients, "
                    f"{r['significance'].lower()} against {r['expected']:g}%"
                    for _, r in points.iterrows())
    data = pd.DataFrame({"Service": points["label"], "Expected %": points["expected"],
                         "Share %": points["share"].round(1), "Position": points["significance"]})
    return fig, data, "Funnel plot. " + alt
