"""The BCF appendix's charts: matplotlib figures built from tidy frames, and their accessible wraps.

Every chart's value axis starts at zero (issue 17: a ±3% seasonal pattern drawn on an axis
from 7,000 to 7,400 looks like a collapse).  A chart that must start elsewhere says so in its
axis label and its text alternative (:data:`BASELINE_NOTE`).
"""

from __future__ import annotations

from typing import Any

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


def nea_chart(printed: pd.DataFrame, source: str) -> Any:
    """The non-elective admissions plan as an accessible bar chart with its data."""
    plan = nea_plan(printed)
    alt = tk.describe_series("Bar chart (axis from zero)", "planned non-elective admissions",
                             list(plan["period"]), list(plan["v"]), decimals=0)
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


def dtoc_chart(pva: pd.DataFrame, source: str) -> Any:
    """Plan against actual delayed days as an accessible line chart with its data (no intervals:
    delayed days are not independent events, and a plan is not an observation)."""
    alt = tk.describe_series("Line chart (axis from zero)",
                             "actual delayed days per 100,000 aged 18+", list(pva["period"]),
                             list(pva["actual_rate"]))
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


def metric_chart(frame: pd.DataFrame, spec: dict[str, Any], source: str, conf_text: str) -> Any:
    """One metric's actual and plan as an accessible chart with its data."""
    alt = tk.describe_series("Line chart (axis from zero)", spec["title"].lower(),
                             list(frame["period"]), list(frame["value"]))
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


def nel_pva_chart(pva: pd.DataFrame, source: str) -> Any:
    """Plan against actual non-elective admissions as an accessible chart with its data."""
    alt = tk.describe_series("Bar and line chart (axis from zero)",
                             "actual non-elective admissions", list(pva["period"]),
                             list(pva["actual"]), decimals=0)
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
              source: str) -> Any:
    """The XmR chart with its text alternative and data (month, value, verdict, as known)."""
    from hwb.toolkit import spc_chart

    alt = spc_chart.describe_spc(frame, summary, what, "", decimals=1)
    data = pd.DataFrame({"Month": frame["x"], unit: frame["value"].map(
        lambda v: format_number(v, 1)), "Verdict": frame["verdict"]})
    if "known" in frame:
        data["As known"] = frame["known"]
    return tk.chart(spc_figure(frame, summary, title, unit), f"{title}: XmR chart, mean and "
                    "limits fixed on 2016/17 (Making Data Count).", source, alt, data)


FIGURES = ("nea_figure", "dtoc_figure", "metric_figure", "nel_pva_figure", "spc_figure")
"""Every figure builder of the appendix (the axis test draws each)."""
