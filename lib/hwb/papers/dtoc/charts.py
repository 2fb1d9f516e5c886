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


def _actual_rate_id(p: str, rec: object, kind: str, qid: str) -> str:
    """The recorded figure of a quarter's actual rate: tab 4.4's id where the board printed the
    actual there, else the series' own (a plan quarter's tab 4.4 id holds the plan)."""
    tab = f"{p}.tab44_rate.{qid}"
    if kind != "plan" and tab in rec.figures:  # type: ignore[attr-defined]
        return tab
    return f"{p}.actual_rate.{qid}"


def _described(rec: object, periods: list[str], values: list[float], ids: list[str]) -> list:
    """The recorded figures :func:`hwb.toolkit.charts.describe_series` quotes, in its order:
    first, last, lowest, highest (of the points with a value)."""
    pts = [(i, float(v)) for i, v in enumerate(values) if v == v]
    if not pts:
        return []
    ys = [v for _, v in pts]
    lo = min(range(len(ys)), key=ys.__getitem__)
    hi = max(range(len(ys)), key=ys.__getitem__)
    return [rec.figures[ids[pts[k][0]]] for k in (0, -1, lo, hi)]  # type: ignore[attr-defined]


def quarterly_chart_html(rec: object, res: Results, params: DtocParams, caption: str,
                         source: str) -> object:
    """:func:`quarterly_chart` as the appendix shows it: every number of its description is a
    quarter's recorded rate, marked and linked to the figures check
    (:func:`hwb.papers.dtoc.linking.chart`)."""
    from hwb.papers.dtoc import linking
    from hwb.papers.dtoc.compute import prefix, quarter_id

    p = prefix(params)
    fig, data, alt = quarterly_chart(res, params)
    q = res.quarterly
    figs = _described(rec, list(q["period"]), q["actual_rate"].tolist(),
                      [_actual_rate_id(p, rec, k, quarter_id(x))
                       for k, x in zip(q["kind"], q["period"], strict=True)])
    missing = int(q["actual_rate"].isna().sum())
    if missing:
        figs.append(rec.record(f"{p}.quarterly_chart.missing",  # type: ignore[attr-defined]
                               "Quarters without an actual rate on the quarterly chart", missing,
                               "quarters", 0))
    if "plan_rate" in q.columns and q["plan_rate"].notna().any():
        pq = q[q["plan_rate"].notna()]
        figs += _described(rec, list(pq["period"]), pq["plan_rate"].tolist(),
                           [f"{p}.tab44_rate.{quarter_id(x)}" for x in pq["period"]])
    start = len(f"Line chart of delayed days per 100,000 aged 18+ per quarter in "
                f"{params.area_name} (actual) from ")
    return linking.chart(fig, caption, source, alt, figs, data, start=start)


def trend_chart_html(rec: object, res: Results, params: DtocParams, caption: str,
                     source: str) -> object:
    """:func:`trend_chart` as the appendix shows it: the numbers of its SPC description are
    recorded (:func:`hwb.papers.dtoc.linking.spc_figures`), marked and linked."""
    from hwb.papers.dtoc import known, linking
    from hwb.papers.dtoc.compute import prefix

    fig, data, alt = trend_chart(res, params)
    frame = res.spc["frame"].copy()
    frame["x"] = [dtoc.month_label(m) for m in res.monthly["period"]]
    what = f"delayed patients per day per 100,000 aged 18+ in {params.area_name}"
    last = res.monthly["period"].iloc[-1]
    figs = linking.spc_figures(rec, f"{prefix(params)}.spc", frame, res.spc["summary"],
                               "the monthly rate per day per 100,000 aged 18+",
                               hindsight=not known.known_at(last, params.meeting_date),
                               vintage=f"NHS England DTOC monthly SitRep, "
                               f"{dtoc.month_label(res.monthly['period'].iloc[0])} to "
                               f"{dtoc.month_label(last)}")
    return linking.chart(fig, caption, source, alt, figs, data,
                         start=len(f"SPC (XmR) chart of {what}, "))
