"""The DTOC charts: the monthly trend and the quarterly series, each with its data and text."""

from __future__ import annotations

import pandas as pd

from hwb.fmt import format_number
from hwb.papers.dtoc.compute import Results, layout
from hwb.papers.dtoc.params import DtocParams
from hwb.sources import dtoc


def trend_chart(res: Results, params: DtocParams) -> tuple[object, pd.DataFrame, str]:
    """The monthly trend as an SPC (XmR) chart, with the target from the month it was set.

    Making Data Count's variation and assurance verdicts are shown by shape and text
    (:func:`hwb.toolkit.spc_chart.spc_chart`); a dotted line marks the months published
    after the meeting.

    Returns
    -------
    (figure, data, alt)
        A matplotlib figure, the chart's data (display-ready) and its text alternative.
    """
    from hwb.toolkit import spc_chart

    m = res.monthly
    x = [dtoc.month_label(p) for p in m["period"]]
    frame = res.spc["frame"].copy()
    frame["x"] = x
    summary = res.spc["summary"]
    what = f"delayed patients per day per 100,000 aged 18+ in {params.area_name}"
    fig = spc_chart.spc_chart(frame, summary, "Patients delayed per day per 100,000 aged 18+",
                              "Patients delayed per day per 100,000 aged 18+", decimals=2)
    late = [i for i, k in enumerate(m["known"]) if not k]
    if late:
        fig.axes[0].axvline(late[0] - 0.5, color="grey", linestyle=":", marker="",
                            label=f"Published after the meeting: {x[late[0]]} on")
        fig.axes[0].legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                           frameon=False)
    table = pd.DataFrame({
        "Month": x,
        "Delayed days": m["total"].map(format_number),
        "Per day per 100,000 aged 18+": m["rate_per_day_total"].map(lambda v: format_number(v, 2)),
        "SPC verdict": frame["verdict"].tolist(),
        "Published by the meeting": m["known"].map({True: "yes", False: "no"}),
    })
    alt = spc_chart.describe_spc(frame, summary, what, decimals=2)
    if late:
        alt += (f" A dotted vertical line marks the months published after the meeting, "
                f"{x[late[0]]} on.")
    return fig, table, alt


def quarterly_chart(res: Results, params: DtocParams) -> tuple[object, pd.DataFrame, str]:
    """Quarterly delayed days per 100,000 aged 18+: actual, plan (where printed) and target.

    The target, a per-day rate, is shown per quarter as the rate times the days
    in the quarter.
    """
    import matplotlib.pyplot as plt

    from hwb.toolkit import charts

    q = res.quarterly
    x = list(q["period"])
    fig, ax = plt.subplots()
    ax.plot(range(len(x)), q["actual_rate"], label="Actual (monthly series)")
    data_cols = {"Quarter": x,
                 "Actual": q["actual_rate"].map(lambda v: format_number(v, 1))}
    words = layout(params.board).target_words
    if "plan_rate" in q.columns and q["plan_rate"].notna().any():
        ax.plot(range(len(x)), q["plan_rate"], label="Plan (BCF template tab 4.4)")
        data_cols["Plan"] = q["plan_rate"].map(lambda v: format_number(v, 1))
    if "target_rate" in q.columns:
        ax.plot(range(len(x)), q["target_rate"], label=f"{words.capitalize()} x days in quarter")
        data_cols[words.capitalize()] = q["target_rate"].map(lambda v: format_number(v, 1))
    ax.set_xticks(range(len(x)), x, rotation=45, ha="right")
    ax.set_ylabel("Delayed days per 100,000\naged 18+ per quarter")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=3, frameon=False)
    alt = charts.describe_series("Line chart", f"delayed days per 100,000 aged 18+ per quarter in "
                                 f"{params.area_name} (actual)", x, q["actual_rate"].tolist(),
                                 decimals=1)
    if "plan_rate" in q.columns and q["plan_rate"].notna().any():
        pq = q[q["plan_rate"].notna()]
        alt += " " + charts.describe_series("The plan line", "planned delayed days per 100,000",
                                            list(pq["period"]), pq["plan_rate"].tolist(),
                                            decimals=1)
    return fig, pd.DataFrame(data_cols), alt
