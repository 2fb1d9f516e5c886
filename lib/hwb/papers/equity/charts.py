"""The equity appendix's charts: drawn here, shown and described by the notebook."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from hwb.papers.equity import funnel_data
from hwb.toolkit import charts, figures


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


def funnel_chart(audit: pd.DataFrame) -> tuple[Figure, pd.DataFrame]:
    """Funnel plots of the services, one panel per expected share shared by two or more.

    Parameters
    ----------
    audit : DataFrame
        The rebuilt audit: ``key, label, x, n, expected``.

    Returns
    -------
    figure : Figure
    points : DataFrame
        The plotted points: ``key, label, x, n, share, significance, expected`` (percent),
        for :func:`describe_funnel`.
    """
    groups = [g for _, g in audit.groupby("expected", sort=False) if len(g) >= 2]
    fig, axes = plt.subplots(1, len(groups), figsize=(5 * len(groups), 4.2), squeeze=False)
    points = pd.concat([_draw_funnel(axes[0][i], g) for i, g in enumerate(groups)])
    return fig, points.reset_index(drop=True)


def describe_funnel(rec: figures.Recorder, points: pd.DataFrame,
                    cells: Mapping[str, Mapping[str, figures.Figure]]
                    ) -> tuple[figures.Description, pd.DataFrame]:
    """The funnel plot's description and data, every number a recorded figure.

    Parameters
    ----------
    rec : Recorder
        The run's recorder: each point's funnel position is recorded
        (``<key>.funnel.position``, a word).
    points : DataFrame
        :func:`funnel_chart`'s points.
    cells : mapping
        Per service key, the recorded figures of its rebuilt row (``share``, ``n``,
        ``expected``; :func:`hwb.papers.equity.sections.audit_cell_figures`).

    Returns
    -------
    alt : Description
        ``Funnel plot. <service>: <share> of <n> clients against <expected>, <position>; ...``.
    data : DataFrame
        Service, expected share, share and position, each number its recorded figure.
    """
    parts, values, rows = [], {}, []
    for i, r in points.iterrows():
        own = cells[r["key"]]
        position = rec.record(f"{r['key']}.funnel.position",
                              f"{r['label']}: position on the funnel plot (95% and 99.8% "
                              "limits)", str(r["significance"]).lower(),
                              method="Wilson-inverted funnel limits")
        parts.append(f"{{label{i}}}: {{share{i}}} of {{n{i}}} clients against "
                     f"{{expected{i}}}, {{position{i}}}")
        values.update({f"label{i}": str(r["label"]), f"share{i}": own["share"],
                       f"n{i}": own["n"], f"expected{i}": own["expected"],
                       f"position{i}": position})
        rows.append({"Service": r["label"], "Expected share": own["expected"],
                     "Share": own["share"], "Position": position})
    return rec.describe("Funnel plot. " + "; ".join(parts), **values), pd.DataFrame(rows)
