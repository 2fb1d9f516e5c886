"""The BCF appendix's charts: matplotlib figures built from tidy frames, and their accessible wraps.

Every chart's value axis starts at zero (issue 17: a ±3% seasonal pattern drawn on an axis
from 7,000 to 7,400 looks like a collapse).  A chart that must start elsewhere says so in its
axis label and its text alternative (:data:`BASELINE_NOTE`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from hwb.fmt import format_number
from hwb.toolkit import charts as tk

BASELINE_NOTE = "axis starts at"
"""Words an axis label and a text alternative carry when the value axis does not start at 0."""


def _plt() -> Any:
    import matplotlib.pyplot as plt

    return plt


def _from_zero(ax: Any) -> None:
    """Start the value axis at zero, keeping the top matplotlib chose."""
    ax.set_ylim(bottom=0)


def nea_plan(printed: pd.DataFrame) -> pd.DataFrame:
    """The planned non-elective admissions by quarter, as printed: ``period, v``.

    Examples
    --------
    >>> f = pd.DataFrame({"measure": ["nea_total_hwb_planned"] * 2,
    ...                   "period": ["2017/18 Q1", "2017/18"], "v": [7395.0, 29000.0]})
    >>> nea_plan(f).values.tolist()
    [['2017/18 Q1', 7395.0]]
    """
    sel = printed[(printed["measure"] == "nea_total_hwb_planned")
                  & printed["period"].str.contains(" Q")]
    return sel[["period", "v"]].reset_index(drop=True)


def nea_figure(plan: pd.DataFrame) -> Any:
    """Bar chart of the planned admissions per quarter, from zero."""
    fig, ax = _plt().subplots()
    ax.bar(plan["period"], plan["v"], color="#1d70b8", label="plan")
    ax.set_ylabel("non-elective admissions per quarter (plan)")
    ax.tick_params(axis="x", rotation=45)
    _from_zero(ax)
    return fig


def _alt(rec: Any, fid: str, kind: str, what: str, x: list[Any], y: list[Any],
         decimals: int = 1, ids: list[str | None] | None = None) -> Any:
    """A series chart's description: with a recorder, each number a recorded figure
    (:func:`series_description`); without, the toolkit's plain text."""
    if rec is None:
        return tk.describe_series(kind, what, x, y, decimals=decimals)
    return series_description(rec, fid, kind, what, x, y, decimals=decimals, ids=ids)


def _pid(period: str) -> str:
    """A period as figure ids spell it (``"2017/18 Q1"`` -> ``"2017-18q1"``)."""
    return period.replace("/", "-").replace(" ", "").lower()


def nea_chart(printed: pd.DataFrame, source: str, *, rec: Any = None) -> Any:
    """The non-elective admissions plan as an accessible bar chart with its data; with the run's
    recorder, every number of its description is a recorded figure (``nea.plan_chart.*``)."""
    plan = nea_plan(printed)
    alt = _alt(rec, "nea.plan_chart", "Bar chart (axis from zero)",
               "planned non-elective admissions", list(plan["period"]), list(plan["v"]),
               decimals=0)
    return tk.chart(nea_figure(plan), "Planned non-elective admissions (general and acute) by "
                    "quarter, 2017-19.", source, alt,
                    plan.assign(v=plan["v"].map(lambda v: format_number(v, 0))).rename(
                        columns={"period": "Quarter", "v": "Planned admissions"}))


def dtoc_figure(pva: pd.DataFrame) -> Any:
    """The template's delayed-days trajectory and the actual rate by quarter, from zero."""
    fig, ax = _plt().subplots()
    ax.plot(pva["period"], pva["template_rate"], marker="s", linestyle="--",
            label="template (2016/17 actual, then plan)")
    ax.plot(pva["period"], pva["actual_rate"], marker="o", linestyle="-",
            label="actual (NHS England)")
    ax.set_ylabel("delayed days per 100,000 aged 18+")
    ax.tick_params(axis="x", rotation=45)
    ax.legend()
    _from_zero(ax)
    return fig


def dtoc_chart(pva: pd.DataFrame, source: str, *, rec: Any = None) -> Any:
    """Plan against actual delayed days as an accessible line chart with its data (no intervals:
    delayed days are not independent events, and a plan is not an observation).  With the run's
    recorder, a planned quarter's actual is quoted as ``dtoc.actual_rate.<quarter>`` and any
    other number is recorded under ``dtoc.chart``."""
    alt = _alt(rec, "dtoc.chart", "Line chart (axis from zero)",
               "actual delayed days per 100,000 aged 18+", list(pva["period"]),
               list(pva["actual_rate"]),
               ids=[f"dtoc.actual_rate.{_pid(p)}" if k == "plan" else None
                    for p, k in zip(pva["period"], pva["kind"], strict=True)])
    shown = pva[["period", "kind", "template_days", "actual_days", "denominator",
                 "template_rate", "actual_rate", "difference"]].round(1)
    return tk.chart(dtoc_figure(pva), "Delayed days per 100,000 aged 18+ by quarter: the "
                    "template's trajectory and the actual delays published by NHS England.",
                    source, alt, shown)


def metric_figure(frame: pd.DataFrame, unit: str) -> Any:
    """Actual (with its interval where one applies) and plan of one metric, from zero."""
    fig, ax = _plt().subplots()
    for kind, style, mk in (("actual", "-", "o"), ("plan", "--", "s")):
        sel = frame[frame["kind"] == kind]
        err = None
        if sel["lower"].notna().all():
            err = [sel["value"] - sel["lower"], sel["upper"] - sel["value"]]
        ax.errorbar(sel["period"], sel["value"], yerr=err, linestyle=style, marker=mk,
                    capsize=3, label=kind if err is None else f"{kind} (with interval)")
    ax.set_ylabel(unit)
    ax.legend()
    _from_zero(ax)
    return fig


def metric_chart(frame: pd.DataFrame, spec: dict[str, Any], source: str, conf_text: str, *,
                 rec: Any = None, fid: str = "") -> Any:
    """One metric's actual and plan as an accessible chart with its data.  With the run's
    recorder, a period's recomputed rate is quoted as its checked figure (``figure_id``) where
    it shows the same text, any other number recorded under ``fid``."""
    alt = _alt(rec, fid, "Line chart (axis from zero)", spec["title"].lower(),
               list(frame["period"]), list(frame["value"]), ids=list(frame["figure_id"])
               if "figure_id" in frame else None)
    return tk.chart(metric_figure(frame, spec["unit"]),
                    f"{spec['title']}: actual and plan (actual with its {conf_text} confidence "
                    "interval where a sampling model holds; a plan has none).", source, alt,
                    frame[["period", "kind", "numerator", "denominator", "value", "lower",
                           "upper"]].round(2))


def nel_pva_figure(pva: pd.DataFrame) -> Any:
    """Planned (bars) and actual (points) non-elective admissions per quarter, from zero."""
    fig, ax = _plt().subplots()
    ax.bar(pva["period"], pva["plan"], color="#1d70b8", label="plan (as printed)")
    ax.plot(pva["period"], pva["actual"], marker="o", linestyle="-", color="#d4351c",
            label="actual (MAR, apportioned)")
    ax.set_ylabel("non-elective admissions per quarter")
    ax.tick_params(axis="x", rotation=45)
    ax.legend()
    _from_zero(ax)
    return fig


def nel_pva_chart(pva: pd.DataFrame, source: str, *, rec: Any = None) -> Any:
    """Plan against actual non-elective admissions as an accessible chart with its data.  With
    the run's recorder, each quarter's actual is quoted as ``pva.nea.<quarter>.actual``."""
    alt = _alt(rec, "nea.pva_chart", "Bar and line chart (axis from zero)",
               "actual non-elective admissions", list(pva["period"]), list(pva["actual"]),
               decimals=0, ids=[f"pva.nea.{_pid(p)}.actual" for p in pva["period"]])
    shown = pva.assign(**{c: pva[c].map(lambda v: format_number(v, 0))
                          for c in ("plan", "actual", "difference")},
                       pct_difference=pva["pct_difference"].map(
                           lambda v: format_number(v, 1, "percent")))
    return tk.chart(nel_pva_figure(pva), "Non-elective admissions by quarter: the plan as "
                    "printed (bars) and the actual admissions of the board's CCGs apportioned "
                    "with the CCG-to-HWB mapping (points).", source, alt,
                    shown.rename(columns={"period": "Quarter", "plan": "Plan",
                                          "actual": "Actual", "difference": "Actual - plan",
                                          "pct_difference": "% of plan", "known": "As known"})[
                        ["Quarter", "Plan", "Actual", "Actual - plan", "% of plan",
                         "As known"]])


def spc_figure(frame: pd.DataFrame, summary: Any, title: str, unit: str) -> Any:
    """An XmR chart (:func:`hwb.toolkit.spc_chart.spc_chart`), value axis from zero."""
    from hwb.toolkit import spc_chart

    return spc_chart.spc_chart(frame, summary, title, unit, start_at_zero=True, decimals=1)


def spc_shown(frame: pd.DataFrame, summary: Any, title: str, unit: str, what: str,
              source: str, *, rec: Any = None, fid: str = "") -> Any:
    """The XmR chart with its text alternative and data (month, value, verdict, as known).

    Months are shown as ``"Apr 2016"``.  With the run's recorder, every number of the
    description is a recorded figure under ``fid`` (:func:`spc_description`).
    """
    from hwb import periods
    from hwb.toolkit import spc_chart

    frame = frame.assign(x=[periods.month_label(m) if periods.is_month(str(m)) else m
                            for m in frame["x"]])
    alt = (spc_chart.describe_spc(frame, summary, what, "", decimals=1) if rec is None
           else spc_description(rec, fid, frame, summary, what, decimals=1))
    data = pd.DataFrame({"Month": frame["x"], unit: frame["value"].map(
        lambda v: format_number(v, 1)), "Verdict": frame["verdict"]})
    if "known" in frame:
        data["As known"] = frame["known"]
    return tk.chart(spc_figure(frame, summary, title, unit), f"{title}: XmR chart, mean and "
                    "limits fixed on 2016/17 (Making Data Count).", source, alt, data)


# --- descriptions whose every number is a recorded figure (issue 15: every number traceable) --


def _point_figure(rec: Any, fid: str, role: str, what: str, x: Any, y: float, unit: str,
                  decimals: int, known: str | None) -> Any:
    """The recorded figure a description quotes for one point: the point's own recorded figure
    (``known``) when it shows the same text, else a new figure ``<fid>.<role>``."""
    held = rec.cell(known, format_number(y, decimals, unit)) if known else None
    if held is not None and not isinstance(held, str):
        return held
    if f"{fid}.{role}" in rec.figures:
        return rec.figures[f"{fid}.{role}"]
    return rec.record(f"{fid}.{role}", f"{what.capitalize()}: the chart's {role} point ({x})",
                      y, unit, decimals, method="as plotted (the chart's data)")


def series_description(rec: Any, fid: str, kind: str, what: str, x: list[Any], y: list[Any],
                       unit: str = "", decimals: int = 1,
                       ids: list[str | None] | None = None) -> Any:
    """The text of :func:`hwb.toolkit.charts.describe_series`, each number a recorded figure.

    Parameters
    ----------
    rec : Recorder
        The run's recorder.
    fid : str
        Prefix of the figures recorded here: ``<fid>.first``, ``.last``, ``.lowest``,
        ``.highest`` and ``.missing`` (a point already recorded under ``ids`` at the same
        shown text is quoted as that figure instead).
    kind, what, x, y, unit, decimals
        As for :func:`hwb.toolkit.charts.describe_series`.
    ids : list, optional
        For each point, the id of the figure that already holds it (or None).

    Returns
    -------
    Description
        From :meth:`hwb.toolkit.figures.Recorder.describe`: pass it as ``alt`` to
        :func:`hwb.toolkit.charts.chart`, which marks each number.

    Examples
    --------
    >>> from hwb.toolkit.figures import Recorder
    >>> rec = Recorder(publish=False)
    >>> d = series_description(rec, "c", "Bar chart", "uptake", ["A", "B", "C"],
    ...                        [50, float("nan"), 40], unit="percent", decimals=0)
    >>> str(d)  # doctest: +NORMALIZE_WHITESPACE
    'Bar chart of uptake from A to C, falling from 50% to 40%; lowest 40% (C),
    highest 50% (A); 1 value not available.'
    >>> [sp["id"] for sp in d.spans]
    ['c.first', 'c.last', 'c.lowest', 'c.highest', 'c.missing']
    """
    x, y = list(x), list(y)
    ids = list(ids) if ids is not None else [None] * len(y)
    pts = []
    for i, v in enumerate(y):
        try:
            f = float(v)
        except (TypeError, ValueError):
            continue
        if math.isfinite(f):
            pts.append((i, f))
    if not pts:
        return rec.describe(f"{kind} of {what}: no data.")
    ys = [v for _, v in pts]
    at = {"first": 0, "last": len(pts) - 1, "lowest": min(range(len(ys)), key=ys.__getitem__),
          "highest": max(range(len(ys)), key=ys.__getitem__)}
    figs = {role: _point_figure(rec, fid, role, what, x[pts[k][0]], pts[k][1], unit, decimals,
                                ids[pts[k][0]]) for role, k in at.items()}
    first, last = ys[0], ys[-1]
    trend = "rising" if last > first else "falling" if last < first else "unchanged"
    text = (f"{kind} of {what} from {x[pts[0][0]]} to {x[pts[-1][0]]}, {trend} from {{first}} "
            f"to {{last}}; lowest {{lowest}} ({x[pts[at['lowest']][0]]}), highest {{highest}} "
            f"({x[pts[at['highest']][0]]})")
    missing = len(y) - len(pts)
    if missing:
        figs["missing"] = rec.record(f"{fid}.missing", f"{what.capitalize()}: points not "
                                     "available on the chart", missing, "points")
        text += f"; {{missing}} value{'s' if missing > 1 else ''} not available"
    return rec.describe(text + ".", **figs)


def spc_description(rec: Any, fid: str, frame: pd.DataFrame, summary: Any, what: str,
                    unit: str = "", decimals: int = 1) -> Any:
    """The text of :func:`hwb.toolkit.spc_chart.describe_spc` (value axis from zero), each number
    a recorded figure.

    Figures recorded under ``fid``: ``.points`` (and ``.missing``, ``.segments``), ``.mean``,
    ``.lower_limit``, ``.upper_limit``, ``.points_<verdict>`` per verdict charted, ``.latest``
    and, with an assurance verdict, ``.target``.

    Examples
    --------
    >>> from hwb.stats import xmr
    >>> from hwb.toolkit.figures import Recorder
    >>> f, s = xmr([10, 12, 11, 13, 12, 11, 14, 12, 13, 30], improvement="increase")
    >>> d = spc_description(Recorder(publish=False), "a", f, s, "admissions")
    >>> str(d)  # doctest: +NORMALIZE_WHITESPACE
    'SPC (XmR) chart of admissions, 10 points from 0 to 9. Mean 13.8, process limits 9.5 to
    18.1. 9 points common cause, 1 special cause improvement. Latest point (9): 30.0,
    special cause improvement.'
    >>> [sp["id"] for sp in d.spans][:3]
    ['a.points', 'a.mean', 'a.lower_limit']
    """
    from hwb.stats import spc

    def rec_(key: str, label: str, value: Any, u: str = unit, dec: int = decimals) -> Any:
        return rec.record(f"{fid}.{key}", f"{label} of the SPC chart of {what}", value, u, dec,
                          method=summary.method)

    xs = frame["x"].astype(str).tolist()
    figs = {"points": rec_("points", "Points", summary.n_points, "points", 0)}
    text = f"SPC (XmR) chart of {what}, {{points}} points from {xs[0]} to {xs[-1]}"
    if summary.n_missing:
        figs["missing"] = rec_("missing", "Missing points", summary.n_missing, "points", 0)
        text += " ({missing} missing)"
    figs["mean"] = rec_("mean", "Mean", summary.mean)
    if np.isnan(summary.upl):
        text += ". Mean {mean}; too few points for process limits."
    else:
        figs["lower_limit"] = rec_("lower_limit", "Lower process limit", summary.lpl)
        figs["upper_limit"] = rec_("upper_limit", "Upper process limit", summary.upl)
        seg = ""
        if summary.segments > 1:
            figs["segments"] = rec_("segments", "Segments", summary.segments, "segments", 0)
            seg = " (last of {segments} segments)"
        text += f". Mean {{mean}}, process limits {{lower_limit}} to {{upper_limit}}{seg}."
    counts = frame.loc[frame["verdict"] != spc.NO_DATA, "verdict"].value_counts()
    order = [v for v in (spc.COMMON, spc.IMPROVEMENT, spc.CONCERN, spc.NEITHER) if v in counts]
    parts = []
    for n, v in enumerate(order):
        key = "points_" + v.replace(" ", "_")
        figs[key] = rec_(key, f"Points charted as {v}", int(counts[v]), "points", 0)
        noun = ("point " if counts[v] == 1 else "points ") if n == 0 else ""
        parts.append(f"{{{key}}} {noun}{v}")
    last = frame[frame["verdict"] != spc.NO_DATA].iloc[-1]
    figs["latest"] = rec_("latest", f"Latest point ({last['x']})", float(last["value"]))
    text += " " + ", ".join(parts) + f". Latest point ({last['x']}): {{latest}}, " \
        f"{summary.variation}."
    if summary.assurance:
        figs["target"] = rec_("target", "Target", summary.target)
        text += f" Assurance against the target of {{target}}: {summary.assurance}."
    return rec.describe(text, **figs)


FIGURES = ("nea_figure", "dtoc_figure", "metric_figure", "nel_pva_figure", "spc_figure")
"""Every figure builder of the appendix (the axis test draws each)."""
