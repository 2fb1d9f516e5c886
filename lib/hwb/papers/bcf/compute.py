"""The BCF appendix's recomputations of the metrics.

Printed figures, the generic check wrappers, the four metrics, the narrative about them and
delayed transfers plan against actual, one function per appendix section.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from hwb import periods
from hwb.errors import DataError
from hwb.fmt import parse_number, round_half_up
from hwb.papers.bcf.params import PRINTED_FILE
from hwb.sources import data
from hwb.toolkit import checks, figures

# --- printed figures -----------------------------------------------------------------------


def load_printed(board: str, path: str | Path | None = None) -> pd.DataFrame:
    """The board's printed BCF figures, with the value parsed into ``v``.

    Parameters
    ----------
    board : str
        Board key, e.g. ``"rotherham-2017-09-20"``.
    path : path-like, optional
        Defaults to ``data/bcf/printed_figures.csv``.

    Returns
    -------
    DataFrame
        The columns of :data:`hwb.toolkit.figures.PRINTED_COLUMNS` plus ``v`` (float).

    Examples
    --------
    Rotherham's template tab 4.2 prints the 2017/18 planned rate as 580.2:

    >>> pr = load_printed("rotherham-2017-09-20")
    >>> row(pr, "residential_admissions_65plus_rate", "2017/18", contains="annual")["value"]
    '580.2'
    """
    p = data.path(PRINTED_FILE) if path is None else Path(path)
    df = figures.load_printed(p, board=board)
    df["v"] = df["value"].map(parse_number)
    return df


def row(printed: pd.DataFrame, measure: str, period: str | None = None,
        contains: str | None = None) -> pd.Series:
    """The one printed row of ``measure`` (and ``period``, and a category containing ``contains``).

    Raises
    ------
    DataError
        When no row, or more than one, matches: the printed-figures file is
        missing a figure the paper's computation needs, or is ambiguous.

    Examples
    --------
    >>> df = pd.DataFrame({"figure_id": ["a", "b"], "measure": ["m", "m"],
    ...                    "period": ["2017/18", "2018/19"], "category": ["x", "x"],
    ...                    "v": [1.0, 2.0]})
    >>> row(df, "m", "2018/19")["figure_id"]
    'b'

    Returns
    -------
    Series
        The printed row, with ``v`` its value as a number.
    """
    sel = printed["measure"] == measure
    if period is not None:
        sel &= printed["period"] == period
    if contains is not None:
        sel &= printed["category"].str.contains(contains, regex=False)
    hits = printed[sel]
    if len(hits) != 1:
        what = f"measure={measure!r}" + (f", period={period!r}" if period else "") + (
            f", category containing {contains!r}" if contains else "")
        raise DataError(PRINTED_FILE, f"expected exactly one printed figure with {what}, "
                                      f"found {len(hits)}")
    return hits.iloc[0]


def value(printed: pd.DataFrame, measure: str, period: str | None = None,
          contains: str | None = None) -> float:
    """The printed value of :func:`row` as a number.

    Returns
    -------
    float

    Examples
    --------
    >>> value(load_printed("rotherham-2017-09-20"), "bcf_income", "2017/18",
    ...       contains="Total BCF pooled")
    32389936.0
    """
    return float(row(printed, measure, period, contains)["v"])


# --- checks --------------------------------------------------------------------------------


@dataclass
class Check:
    """A recomputed value for one printed figure, ready for :meth:`Recorder.record`.

    ``comparison`` is the generic :mod:`hwb.toolkit.checks` comparison that was made
    (sum of parts, rate from parts, printed twice, ...), with its own status
    and reason; the recorder makes the final comparison with the printed value,
    using ``alternatives`` to name what the paper did when it differs.
    """

    figure_id: str
    label: str
    value: float
    unit: str = ""
    precision: int = 0
    alternatives: dict[str, float] = field(default_factory=dict)
    method: str = ""
    inputs: list[str] = field(default_factory=list)
    comparison: checks.Comparison | None = None
    printed_id: str = ""
    """The printed figure compared, when ``figure_id`` is a second check of it."""
    approx: str = ""
    """The approximate word the print qualifies the figure with ("around"), if any: compared by
    the one rule, :func:`hwb.toolkit.checks.approximate`."""

    def record_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for :meth:`hwb.toolkit.figures.Recorder.record`."""
        method = self.method
        if self.comparison is not None:
            method = f"{method} [{self.comparison.status}: {self.comparison.reason}]"
        return {"id": self.figure_id, "label": self.label, "value": self.value, "unit": self.unit,
                "precision": self.precision, "alternatives": self.alternatives or None,
                "method": method, "inputs": self.inputs,
                "printed": self.printed_id if self.printed_id else None,
                **({"approx": self.approx} if self.approx else {})}

    def again(self, suffix: str) -> Check:
        """This check as a second comparison of the same printed figure, under ``<id>.<suffix>``."""
        self.printed_id = self.figure_id
        self.figure_id = f"{self.figure_id}.{suffix}"
        return self


def checks_frame(found: Sequence[Check], rec: Any = None) -> pd.DataFrame:
    """The generic comparisons behind a list of checks, one row each (for the appendix).

    Parameters
    ----------
    found : sequence of Check
        The checks made (each recorded first).
    rec : Recorder, optional
        The run's recorder: adds ``recomputed``, each check's recorded figure (shown as its text,
        marked and linked to its figures-check row by :func:`hwb.toolkit.charts.table`).

    Returns
    -------
    DataFrame
        ``figure, what, check, status, reason``; with ``rec``, ``recomputed`` after ``what``.

    Examples
    --------
    >>> c = Check("x", "a total", 3.0, method="sum",
    ...           comparison=checks.sum_of_parts("3", ["1", "2"]))
    >>> checks_frame([c])[["figure", "status"]].to_dict("records")
    [{'figure': 'x', 'status': 'reproduced'}]
    """
    out = pd.DataFrame([{"figure": c.printed_id or c.figure_id, "what": c.label,
                         "check": c.method, "status": c.comparison.status if c.comparison else "",
                         "reason": c.comparison.reason if c.comparison else ""} for c in found],
                       columns=["figure", "what", "check", "status", "reason"])
    if rec is not None:
        out.insert(2, "recomputed", [rec.figures.get(c.figure_id, "[x]") for c in found])
    return out


def _unit(r: pd.Series) -> str:
    u = str(r["unit"])
    if u == "GBP":
        return "GBP"
    if u == "percent":
        return "percent"
    return ""


def _dec(r: pd.Series) -> int:
    from hwb.fmt import decimals_of

    return decimals_of(str(r["value"]))


def _label(r: pd.Series) -> str:
    return f"{r['measure'].replace('_', ' ')}, {r['category']}, {r['period']}"


def check_sum(r: pd.Series, parts: Sequence[pd.Series], label: str = "",
              scale: float = 1.0) -> Check:
    """A printed total against the sum of printed parts (:func:`hwb.toolkit.checks.sum_of_parts`).

    ``scale`` divides the parts' sum when the total is printed in another unit
    (1000 for a total in £000 from parts in £).

    Examples
    --------
    >>> t = pd.Series({"figure_id": "t", "value": "36,682", "v": 36682.0, "unit": "GBP thousands",
    ...                "measure": "m", "category": "c", "period": "2017/18"})
    >>> ps = [pd.Series({"figure_id": i, "value": v, "v": parse_number(v)})
    ...       for i, v in (("a", "15,838"), ("b", "20,843"))]
    >>> c = check_sum(t, ps)
    >>> c.value, c.comparison.status
    (36681.0, 'rounding')

    Returns
    -------
    Check
    """
    vals = [float(p["v"]) for p in parts]
    total = sum(vals) / scale
    if scale == 1.0:
        comp = checks.sum_of_parts(r["value"], [p["value"] for p in parts])
    else:
        comp = checks.compare(total, r["value"])
    return Check(r["figure_id"], label or _label(r), total, _unit(r), _dec(r),
                 method="sum of its printed parts" + (f" / {scale:g}" if scale != 1.0 else ""),
                 inputs=[str(p["figure_id"]) for p in parts], comparison=comp)


def check_twice(r: pd.Series, other: pd.Series | float, label: str = "", scale: float = 1.0,
                other_id: str = "", alternatives: dict[str, float] | None = None) -> Check:
    """The same quantity printed in two places (:func:`hwb.toolkit.checks.printed_twice`).

    ``other`` is the other printed row (or a value computed from inputs);
    ``scale`` converts it to this row's unit (1e6 for £ to £m).

    Examples
    --------
    >>> a = pd.Series({"figure_id": "a", "value": "7.318", "v": 7.318, "unit": "GBP millions",
    ...                "measure": "m", "category": "c", "period": "2017/18"})
    >>> b = pd.Series({"figure_id": "b", "value": "7,317,501", "v": 7317501.0})
    >>> c = check_twice(a, b, scale=1e6)
    >>> round(c.value, 6), c.comparison.status
    (7.317501, 'reproduced')

    Returns
    -------
    Check
    """
    if isinstance(other, pd.Series):
        v = float(other["v"]) / scale
        oid = str(other["figure_id"])
    else:
        v = float(other) / scale
        oid = other_id
    comp = checks.compare(v, r["value"], alternatives=alternatives)
    if isinstance(other, pd.Series) and scale == 1.0:
        comp = checks.printed_twice(r["value"], other["value"])
    return Check(r["figure_id"], label or _label(r), v, _unit(r), _dec(r),
                 alternatives=dict(alternatives or {}),
                 method="the same quantity printed elsewhere"
                 + (f" (/ {scale:g})" if scale != 1 else ""),
                 inputs=[oid] if oid else [], comparison=comp)


def check_value(r: pd.Series, v: float, method: str, label: str = "",
                alternatives: dict[str, float] | None = None,
                inputs: Iterable[str] = ()) -> Check:
    """A printed figure against a value recomputed from inputs (:func:`hwb.toolkit.checks.compare`).

    Returns
    -------
    Check

    Examples
    --------
    >>> r = pd.Series({"figure_id": "r", "value": "580.2", "v": 580.2, "unit": "",
    ...                "measure": "m", "category": "c", "period": "2017/18"})
    >>> c = check_value(r, 297 / 51186 * 1e5, "297 / 51,186 x 100,000")
    >>> c.comparison.status, c.precision
    ('reproduced', 1)
    """
    comp = checks.compare(v, r["value"], alternatives=alternatives)
    return Check(r["figure_id"], label or _label(r), float(v), _unit(r), _dec(r),
                 alternatives=dict(alternatives or {}), method=method, inputs=list(inputs),
                 comparison=comp)


# --- the metrics ---------------------------------------------------------------------------

METRICS: dict[str, dict[str, Any]] = {
    "nea": {
        "title": "Non-elective admissions (general and acute)",
        "definition": ("Total non-elective admissions (general and acute), all ages, into "
                       "hospital; the HWB plan is the CCGs' plans apportioned to the HWB by the "
                       "CCG-to-HWB mapping."),
        "good": "lower", "unit": "admissions",
    },
    "res65": {
        "title": "Permanent admissions of older people to residential and nursing care",
        "definition": ("Long-term support needs of older people (aged 65 and over) met by "
                       "admission to residential and nursing care homes, per 100,000 population "
                       "(ASCOF 2A(2))."),
        "rate": "residential_admissions_65plus_rate",
        "num": "residential_admissions_65plus_numerator",
        "den": "residential_admissions_65plus_denominator",
        "summary": "residential_admissions_65plus_rate_summary",
        "multiplier": 100_000.0, "decimals": 1, "good": "lower",
        "unit": "per 100,000 aged 65+", "statistic": "crude rate",
    },
    "reab91": {
        "title": "Older people still at home 91 days after reablement",
        "definition": ("Proportion of older people (65 and over) who were still at home 91 days "
                       "after discharge from hospital into reablement / rehabilitation services "
                       "(ASCOF 2B(1))."),
        "rate": "reablement_91day_pct", "num": "reablement_91day_numerator",
        "den": "reablement_91day_denominator", "summary": "reablement_91day_pct_summary",
        "multiplier": 100.0, "decimals": 1, "good": "higher", "unit": "percent",
        "statistic": "proportion",
    },
    "dtoc": {
        "title": "Delayed transfers of care",
        "definition": ("Delayed Transfers of Care (delayed days) from hospital per 100,000 "
                       "population (aged 18+), by quarter: all delayed days of patients aged 18+ "
                       "in the quarter, NHS, social care and jointly attributable."),
        "rate": "dtoc_delayed_days_rate_18plus", "num": "dtoc_delayed_days_numerator",
        "den": "dtoc_delayed_days_denominator", "summary": "dtoc_delayed_days_rate_18plus_summary",
        "multiplier": 100_000.0, "decimals": 1, "good": "lower",
        "unit": "delayed days per 100,000 aged 18+", "statistic": "crude rate",
        "independent": False,
    },
}


def metric_frame(printed: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The template's numerators, denominators and printed rates of one metric, one row per period.

    Parameters
    ----------
    printed : DataFrame
        From :func:`load_printed`.
    metric : {"res65", "reab91", "dtoc"}

    Returns
    -------
    DataFrame
        ``period, kind, numerator, denominator, printed, figure_id, num_id, den_id``
        in the template's column order; ``kind`` is ``actual`` or ``plan``.

    Examples
    --------
    Tab 4.3 prints 121, 132, 158 and 162 over 135, 145, 180 and 182:

    >>> f = metric_frame(load_printed("rotherham-2017-09-20"), "reab91")
    >>> f[["period", "kind", "numerator", "denominator"]].values.tolist()[0]
    ['2015/16', 'actual', 121.0, 135.0]
    """
    spec = METRICS[metric]
    rates = printed[(printed["measure"] == spec["rate"])
                    & printed["category"].str.match(r"^(annual|quarterly)")]
    out = []
    for _, r in rates.iterrows():
        num = row(printed, spec["num"], r["period"])
        den = row(printed, spec["den"], r["period"])
        out.append({"period": r["period"], "kind": r["kind"], "numerator": float(num["v"]),
                    "denominator": float(den["v"]), "printed": r["value"],
                    "figure_id": r["figure_id"], "num_id": num["figure_id"],
                    "den_id": den["figure_id"]})
    return pd.DataFrame(out, columns=["period", "kind", "numerator", "denominator", "printed",
                                      "figure_id", "num_id", "den_id"])


def with_intervals(frame: pd.DataFrame, metric: str, conf: float = 0.95) -> pd.DataFrame:
    """Add the value and, where a sampling model holds, its confidence interval to a metric frame.

    Actual proportions get Wilson score limits; actual rates of independent
    events get exact Poisson limits below 10 events and Byar's approximation
    from 10 (:mod:`hwb.stats`).  A plan carries no interval (it is a target,
    not an observation), and nor do delayed days (one person delayed for a
    month is some thirty delayed days: the days are not independent events).

    Returns
    -------
    DataFrame
        ``frame`` plus ``value, lower, upper, statistic, confidence, method``.

    Notes
    -----
    OHID Fingertips, *Public Health Technical Guidance: confidence intervals*
    (which assumes independent events).  The lower and upper limits are NaN
    where no interval applies, and ``method`` says why.

    Examples
    --------
    121 of 135 (Rotherham 2015/16): by hand, z = 1.95996, z² = 3.8415,
    (2·121 + z² ∓ z·√(z² + 4·121·(14/135))) / (2·(135 + z²)) = (245.84 ∓ 14.41) / 277.68:

    >>> f = pd.DataFrame({"numerator": [121.0], "denominator": [135.0]})
    >>> out = with_intervals(f, "reab91")
    >>> [round(x, 1) for x in out.loc[0, ["value", "lower", "upper"]]]
    [89.6, 83.3, 93.7]
    """
    from hwb import stats

    spec = METRICS[metric]
    out = frame.copy()
    x, n = out["numerator"].to_numpy(float), out["denominator"].to_numpy(float)
    if spec["statistic"] == "proportion":
        ci = stats.wilson_ci(x, n, conf)
        out["value"] = x / n * 100.0
        out["lower"] = pd.Series(ci.lower, index=out.index, dtype=float) * 100.0
        out["upper"] = pd.Series(ci.upper, index=out.index, dtype=float) * 100.0
        out["method"] = "Wilson score"
    else:
        est = stats.rate_ci(x, n, conf, spec["multiplier"])
        out["value"] = pd.Series(est.value, index=out.index, dtype=float)
        out["lower"] = pd.Series(est.lower, index=out.index, dtype=float)
        out["upper"] = pd.Series(est.upper, index=out.index, dtype=float)
        out["method"] = ["exact Poisson" if v < 10 else "Byar" for v in x]
    if not spec.get("independent", True):
        out["method"] = "no interval: delayed days are not independent events"
    if "kind" in out:
        out.loc[out["kind"] == "plan", "method"] = "no interval: a plan is not an observation"
    none = out["method"].str.startswith("no interval")
    out.loc[none, ["lower", "upper"]] = math.nan
    out["statistic"] = spec["statistic"]
    out["confidence"] = conf
    return out


def metric_checks(printed: pd.DataFrame, metric: str) -> list[Check]:
    """Each printed rate recomputed from its printed numerator and denominator, and the
    summary-tab value from the unrounded rate.

    Every other denominator printed for the metric is offered as an
    alternative, so a rate on the wrong population is named.

    Returns
    -------
    list of Check

    Examples
    --------
    390 / 50,524 x 100,000 = 771.91, printed 771.9:

    >>> cs = metric_checks(load_printed("rotherham-2017-09-20"), "res65")
    >>> [(round(c.value, 2), c.comparison.status) for c in cs][1]
    (771.91, 'reproduced')
    """
    spec = METRICS[metric]
    frame = metric_frame(printed, metric)
    mult = spec["multiplier"]
    out: list[Check] = []
    dens = dict(zip(frame["period"], frame["denominator"], strict=True))
    for _, f in frame.iterrows():
        v = f["numerator"] / f["denominator"] * mult
        alts = {f"the {p} denominator ({d:,.0f})": f["numerator"] / d * mult
                for p, d in dens.items() if d != f["denominator"]}
        comp = checks.rate_from_parts(f["numerator"], f["denominator"], f["printed"], mult)
        out.append(Check(f["figure_id"], f"{spec['title']}: {f['kind']} {f['period']}", v,
                         "percent" if mult == 100 else "", spec["decimals"], alts,
                         f"numerator / denominator x {mult:,.0f}", [f["num_id"], f["den_id"]],
                         comp))
    for _, s in printed[printed["measure"] == spec["summary"]].iterrows():
        f = frame[frame["period"] == s["period"]].iloc[0]
        v = f["numerator"] / f["denominator"] * mult
        rounded = round_half_up(v, spec["decimals"])
        # Compared with the unrounded recomputation, never with the tab 4 rate re-rounded.
        again = {f"the tab 4 rate as printed ({f['printed']}), rounded again": rounded}
        comp = checks.compare(v, s["value"], alternatives=again)
        out.append(Check(s["figure_id"], f"{spec['title']}: summary tab, {s['period']}", v,
                         "percent" if mult == 100 else "", _dec(s), again,
                         "the unrounded rate from tab 4, at the summary tab's precision",
                         [f["figure_id"]], comp))
    return out


# --- non-elective admissions ---------------------------------------------------------------

QUARTERS = ("Q1", "Q2", "Q3", "Q4")


def nea_checks(printed: pd.DataFrame, years: Sequence[str]) -> list[Check]:
    """Non-elective admissions: annual totals from quarters, the plan after reduction,
    the reduction percentages and the value of the reduction.

    Returns
    -------
    list of Check

    Notes
    -----
    Tab 4.1 of the template: plan after reduction = planned - additional
    reduction; reduction % = reduction / planned; value of the reduction =
    reduction x cost of a non-elective admission for the year.

    Examples
    --------
    The 2017/18 quarters 7,395 + 7,436 + 7,047 + 7,016 make 28,894; the template prints 28,893:

    >>> c = nea_checks(load_printed("rotherham-2017-09-20"), ["2017/18"])[0]
    >>> c.value, c.comparison.status
    (28894.0, 'rounding')
    """
    out: list[Check] = []
    for y in years:
        planned_q = [row(printed, "nea_total_hwb_planned", f"{y} {q}") for q in QUARTERS]
        red_q = [row(printed, "nea_hwb_quarterly_additional_reduction", f"{y} {q}")
                 for q in QUARTERS]
        planned = row(printed, "nea_total_hwb_planned", y)
        red = row(printed, "nea_hwb_quarterly_additional_reduction", y)
        out.append(check_sum(planned, planned_q, f"Planned non-elective admissions, {y}"))
        out.append(check_sum(red, red_q, f"Additional NEA reduction, {y}"))
        for q, p, rq in zip((*QUARTERS, ""), (*planned_q, planned), (*red_q, red), strict=True):
            per = f"{y} {q}".strip()
            after = row(printed, "nea_hwb_plan_after_reduction", per)
            out.append(check_value(after, float(p["v"]) - float(rq["v"]), "planned - reduction",
                                   f"NEA plan after reduction, {per}",
                                   inputs=[p["figure_id"], rq["figure_id"]]))
            pct = row(printed, "nea_hwb_quarterly_plan_reduction_pct", per)
            out.append(check_value(pct, float(rq["v"]) / float(p["v"]) * 100.0,
                                   "reduction / planned x 100", f"NEA plan reduction %, {per}",
                                   inputs=[p["figure_id"], rq["figure_id"]]))
        annual = row(printed, "nea_hwb_plan_reduction_pct", y)
        out.append(check_value(annual, float(red["v"]) / float(planned["v"]) * 100.0,
                               "annual reduction / annual planned x 100",
                               f"HWB plan reduction %, {y}",
                               inputs=[red["figure_id"], planned["figure_id"]]))
        cost = row(printed, "nea_unit_cost", y)
        money = row(printed, "nea_additional_reduction_delivered_through_bcf", y)
        out.append(check_value(money, float(red["v"]) * float(cost["v"]),
                               "annual reduction x cost of a non-elective admission",
                               f"Additional NEA reduction delivered through the BCF (£), {y}",
                               inputs=[red["figure_id"], cost["figure_id"]]))
    return out


# --- narrative figures about the metrics (Rotherham) ----------------------------------------


def narrative_metric_checks(printed: pd.DataFrame) -> list[Check]:
    """Figures about the metrics quoted in the plan's narrative, against the template.

    * counts and percentages printed in both (printed twice);
    * the narrative's 2016/17 rate of permanent admissions, recomputed with each
      candidate 65+ population printed in the template;
    * the year-end target rate, from the target count and each candidate population;
    * the planned reductions in admissions, from the outturn and plans;
    * the national DTOC expectation, total against its three parts.

    Returns
    -------
    list of Check

    Examples
    --------
    329 admissions "or a rate of 663 per 100,000": 329 / 49,625 x 100,000 = 662.97 (the 2015/16
    population) reproduces it:

    >>> cs = narrative_metric_checks(load_printed("rotherham-2017-09-20"))
    >>> c = [c for c in cs if "663" in c.figure_id][0]
    >>> "the 2015/16 65+ population (49,625)" in c.method
    True
    """
    out: list[Check] = []
    res = metric_frame(printed, "res65")
    dens = {f"the {p} 65+ population ({d:,.0f})": d
            for p, d in zip(res["period"], res["denominator"], strict=True)}
    num = dict(zip(res["period"], res["numerator"], strict=True))
    den = dict(zip(res["period"], res["denominator"], strict=True))
    n1516 = row(printed, "residential_admissions_65plus_count", "2015/16")
    tmpl = row(printed, "residential_admissions_65plus_numerator", "2015/16")
    out.append(check_twice(n1516, tmpl, "Permanent admissions 65+, 2015/16 (narrative)"))
    outturn = row(printed, "residential_admissions_65plus_count", "2016/17")
    r663 = row(printed, "residential_admissions_65plus_rate", "2016/17", contains="narrative")
    cands = {k: outturn["v"] / d * 1e5 for k, d in dens.items()}
    named = checks.which_denominator(outturn["v"], r663["value"], dens, 1e5)
    out.append(Check(r663["figure_id"], "Permanent admissions 65+ per 100,000, 2016/17 outturn "
                     "(narrative)", outturn["v"] / den["2016/17"] * 1e5, "", 0, cands,
                     "2016/17 outturn / the 2016/17 65+ population of the template x 100,000; "
                     "denominators that reproduce the print: " + (", ".join(named) or "none"),
                     [outturn["figure_id"]],
                     checks.rate_from_parts(outturn["v"], den["2016/17"], r663["value"])))
    target = row(printed, "residential_admissions_65plus_count", "2017/18", contains="year-end")
    out.append(check_value(target, num["2017/18"], "the template's 2017/18 planned numerator",
                           "Year-end target admissions 2017/18 (narrative)"))
    r589 = row(printed, "residential_admissions_65plus_rate", "2017/18", contains="target")
    cands = {k: target["v"] / d * 1e5 for k, d in dens.items()}
    out.append(Check(r589["figure_id"], "Target rate 2017/18 (narrative)",
                     target["v"] / den["2017/18"] * 1e5, "", 0, cands,
                     "297 / the 2017/18 65+ population x 100,000; denominators that reproduce the "
                     "print: " + (", ".join(checks.which_denominator(target["v"], r589["value"],
                                                                    dens, 1e5)) or "none"),
                     [target["figure_id"]],
                     checks.rate_from_parts(target["v"], den["2017/18"], r589["value"])))
    q1 = row(printed, "residential_admissions_65plus_count", "2017/18 Q1", contains="target")
    out.append(check_value(q1, num["2017/18"] / 4, "the 2017/18 planned admissions / 4",
                           "Quarter 1 target admissions 2017/18 (narrative)",
                           {"the 2017/18 planned admissions / 4, rounded up":
                            float(math.ceil(num["2017/18"] / 4))}))
    for y, before, label in (("2017/18", outturn["v"], "2016/17 outturn - 2017/18 plan"),
                             ("2018/19", num["2017/18"], "2017/18 plan - 2018/19 plan")):
        r = row(printed, "residential_admissions_65plus_reduction", y)
        out.append(check_value(r, before - num[y], label, f"Fewer admissions planned, {y}"))
    # reablement
    reab = metric_frame(printed, "reab91")
    for y in ("2015/16",):
        r = row(printed, "reablement_91day_pct", y, contains="narrative")
        f = reab[reab["period"] == y].iloc[0]
        out.append(Check(r["figure_id"], f"Still at home after 91 days, {y} (narrative)",
                         f["numerator"] / f["denominator"] * 100, "percent", 1, {},
                         "the template's numerator / denominator", [f["num_id"], f["den_id"]],
                         checks.printed_twice(r["value"], f["printed"])))
        ppl = row(printed, "reablement_91day_people_using_service", y)
        out.append(check_value(ppl, f["denominator"], "the template's denominator",
                               f"People offered reablement, {y} (narrative)", inputs=[f["den_id"]]))
    for y in ("2017/18", "2018/19"):
        r = row(printed, "reablement_91day_pct", y, contains="target")
        f = reab[reab["period"] == y].iloc[0]
        out.append(check_value(r, f["numerator"] / f["denominator"] * 100,
                               "the template's planned numerator / denominator",
                               f"Reablement target, {y} (narrative)",
                               inputs=[f["num_id"], f["den_id"]]))
    # DTOC national expectation: total against parts
    tot = row(printed, "dtoc_people_delayed_per_100k_adults", "2017-09", contains="total")
    parts = [row(printed, "dtoc_people_delayed_per_100k_adults", "2017-09", contains=c)
             for c in ("social care", "NHS", "jointly")]
    out.append(check_sum(tot, parts, "People delayed per 100,000 adults: national expectation"))
    return out


# --- plan against actual (DTOC) ----------------------------------------------------------------


def dtoc_plan_vs_actual(printed: pd.DataFrame, actual_days: pd.DataFrame) -> pd.DataFrame:
    """Each quarter of the DTOC trajectory beside the delayed days published by NHS England.

    Parameters
    ----------
    printed : DataFrame
        The board's printed figures.
    actual_days : DataFrame
        ``period`` (``"2017/18 Q1"``) and ``delayed_days``: quarterly totals of
        the monthly NHS England series (``hwb.sources.dtoc``).

    Returns
    -------
    DataFrame
        ``period, kind, template_days, actual_days, denominator, template_rate, actual_rate,
        difference`` (difference: actual less template rate, per 100,000 aged 18+), on the
        template's denominators.  No interval: delayed days are not independent events, and a
        plan is not an observation.

    Examples
    --------
    >>> pva = dtoc_plan_vs_actual(load_printed("rotherham-2017-09-20"), dtoc_actuals("E08000018"))
    >>> pva.set_index("period").loc["2016/17 Q1", ["template_days", "actual_days"]].tolist()
    [1390.0, 1390.0]
    """
    f = metric_frame(printed, "dtoc")
    a = actual_days.set_index("period")["delayed_days"]
    f["actual_days"] = f["period"].map(a).astype(float)
    f["template_rate"] = f["numerator"] / f["denominator"] * 1e5
    f["actual_rate"] = f["actual_days"] / f["denominator"] * 1e5
    f["difference"] = f["actual_rate"] - f["template_rate"]
    return f.rename(columns={"numerator": "template_days"})[
        ["period", "kind", "template_days", "actual_days", "denominator", "template_rate",
         "actual_rate", "difference"]]


def dtoc_actual_checks(printed: pd.DataFrame, actual_days: pd.DataFrame) -> list[Check]:
    """The template's 2016/17 delayed-day numerators (actuals) against NHS England's series.

    Returns
    -------
    list of Check

    Examples
    --------
    >>> cs = dtoc_actual_checks(load_printed("rotherham-2017-09-20"), dtoc_actuals("E08000018"))
    >>> [c.comparison.status for c in cs]
    ['reproduced', 'reproduced', 'reproduced', 'reproduced']
    """
    out = []
    a = actual_days.set_index("period")["delayed_days"]
    for _, r in printed[(printed["measure"] == "dtoc_delayed_days_numerator")
                        & (printed["kind"] == "numerator")
                        & printed["category"].str.contains("actual")].iterrows():
        if r["period"] in a.index:
            out.append(check_value(r, float(a[r["period"]]),
                                   "NHS England monthly delayed days (18+), NHS + social care + "
                                   "both, summed over the quarter",
                                   f"Delayed days, {r['period']} (actual)"))
    return out


def dtoc_actuals(area_code: str) -> pd.DataFrame:
    """Quarterly delayed days (18+) of one area from NHS England's series (:mod:`hwb.sources.dtoc`).

    Returns
    -------
    DataFrame
        ``period, delayed_days, nhs, social_care, both``; complete quarters only.

    Examples
    --------
    >>> q = dtoc_actuals("E08000018")
    >>> int(q.set_index("period").loc["2016/17 Q4", "delayed_days"])
    2271
    """
    from hwb.sources import dtoc

    q = dtoc.aggregate(dtoc.area(dtoc.load_series(), area_code), "quarter")
    q = q[q["complete"]]
    return q.rename(columns={"total": "delayed_days"})[
        ["period", "delayed_days", "nhs", "social_care", "both"]].reset_index(drop=True)


def dtoc_gap_check(printed: pd.DataFrame, area_code: str, period: str = "2017/18 Q1",
                   alternatives_from: Sequence[str] = ("2017-04", "2017-05", "2017-06",
                                                       "2017-07")) -> Check:
    """The narrative's gap to the national expectation, in patients delayed a day.

    Gap = actual delayed days per day - expectation per 100,000 x the 18+ population / 100,000,
    with the latest complete quarter before the plan as "current performance" and each month
    of it (and the month after) as alternatives.

    Returns
    -------
    Check

    Notes
    -----
    The expectation (people delayed per 100,000 adults) and the population (the template's 18+
    denominator for the calendar year of ``period``) are as printed; delayed days are NHS
    England's (:mod:`hwb.sources.dtoc`).

    Examples
    --------
    >>> c = dtoc_gap_check(load_printed("rotherham-2017-09-20"), "E08000018")
    >>> round(c.value, 1), c.comparison.status
    (10.4, 'reproduced')
    """
    from hwb.sources import dtoc

    series = dtoc.area(dtoc.load_series(), area_code)
    gap_row = row(printed, "dtoc_gap_to_national_requirement", "2017/18")
    expectation = value(printed, "dtoc_people_delayed_per_100k_adults", "2017-09",
                        contains="total")
    pop = float(metric_frame(printed, "dtoc").set_index("period").loc[period, "denominator"])

    def gap(p: str, freq: str) -> float:
        agg = dtoc.aggregate(series[series["month"].map(
            periods.financial_quarter if freq == "quarter" else (lambda m: m)) == p], freq)
        return float(agg["total"].iloc[0]) / periods.days_in(p) - expectation * pop / 1e5

    alts = {f"current performance taken as {m}": gap(m, "month") for m in alternatives_from}
    c = check_value(gap_row, gap(period, "quarter"),
                    f"delayed days per day in {period} (NHS England) - {expectation:g} per "
                    f"100,000 x the 18+ population ({pop:,.0f})",
                    "Gap to the national expectation, patients delayed a day (narrative)", alts)
    # printed "around 10 patients": the one rule for approximate words
    c.approx = "around"
    c.comparison = checks.approximate("around", gap_row["value"], c.value)
    return c

def dtoc_per_day(plan_vs_actual: pd.DataFrame) -> pd.DataFrame:
    """Quarterly delayed days per 100,000 aged 18+ as an average per day: the number of people
    delayed on an average day per 100,000 adults, the unit of the national expectation.

    Examples
    --------
    694.1 delayed days per 100,000 over the 92 days of July-September is 7.54 a day:

    >>> f = pd.DataFrame({"period": ["2017/18 Q2"], "template_rate": [694.1],
    ...                   "actual_rate": [1.0]})
    >>> round(float(dtoc_per_day(f).loc[0, "template_per_day"]), 2)
    7.54

    Returns
    -------
    DataFrame
        The input plus ``days, template_per_day, actual_per_day``.
    """
    out = plan_vs_actual.copy()
    out["days"] = out["period"].map(periods.days_in)
    out["template_per_day"] = out["template_rate"] / out["days"]
    out["actual_per_day"] = out["actual_rate"] / out["days"]
    return out


def applies_from(frame: pd.DataFrame, month: str) -> pd.DataFrame:
    """The rows of quarters that end in or after ``month``: a target set for a month applies
    from the quarter holding it, never to earlier quarters.

    Examples
    --------
    >>> f = pd.DataFrame({"period": ["2017/18 Q1", "2017/18 Q2", "2018/19 Q1"]})
    >>> applies_from(f, "2017-09")["period"].tolist()
    ['2017/18 Q2', '2018/19 Q1']
    """
    last = frame["period"].map(lambda p: periods.months_of(p)[-1])
    return frame[last >= month]


def dtoc_spc(area_code: str, start: str = "2016-04", end: str = "2019-03",
             baseline_points: int = 12) -> tuple[pd.DataFrame, Any]:
    """Monthly delayed days a day (NHS England) as a Making Data Count XmR chart, with the mean
    and limits fixed on the template's actual year (2016/17) so that the plan years are judged
    against it (:func:`hwb.stats.spc.xmr`, lower is better).

    Returns
    -------
    frame, summary
        As :func:`hwb.stats.spc.xmr`; ``x`` is the month.

    Notes
    -----
    Delayed days a day (the month's total over its days) removes the months' unequal lengths;
    no population is needed for a within-area chart.  NHS England and NHS Improvement, *Making
    Data Count* (2019): run and trend of 7, limits at the mean ± 2.66 mean moving ranges.

    Examples
    --------
    >>> f, s = dtoc_spc("E08000018")
    >>> f["x"].iloc[0], len(f), s.improvement
    ('2016-04', 36, 'decrease')
    """
    from hwb.sources import dtoc
    from hwb.stats import spc

    s = dtoc.area(dtoc.load_series(), area_code)
    s = s[(s["month"] >= start) & (s["month"] <= end)].sort_values("month")
    per_day = s["total"].to_numpy(float) / s["month"].map(periods.days_in).to_numpy(float)
    return spc.xmr(per_day, list(s["month"]), improvement="decrease",
                   fix_after_n_points=baseline_points)
