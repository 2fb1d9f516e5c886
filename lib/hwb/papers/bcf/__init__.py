"""The Better Care Fund 2017-19 paper: the four national metrics and the money, reproduced.

Two board papers: Rotherham's BCF plan 2017-19 with NHS England's planning
template and the Improved BCF plan (Rotherham Health and Wellbeing Board,
20 September 2017, items 15 and 15A), and Leicestershire's BCF section 75
pooled-budget agreement (Leicestershire Health and Wellbeing Board, 25 January
2018, item 14).

Every figure as printed is a row of ``data/bcf/printed_figures.csv``.  The
functions here recompute each printed figure that has parts to recompute it
from and return *checks*: one :class:`Check` per printed figure, holding the
recomputed value, the other ways the paper might have computed it
(``alternatives``) and the generic :mod:`hwb.toolkit.checks` comparison that was made.
The notebook records each check with :meth:`hwb.toolkit.figures.Recorder.record`, which
compares it with the printed value.  Printed figures that are inputs (a
numerator, a scheme's budget line) carry ``scope = "out of scope: input ..."``.

The four metrics (NHS England, *BCF planning requirements 2017-19*, annex on
metrics):

* non-elective admissions (general and acute), the HWB plan apportioned from
  CCG plans by the CCG-to-HWB mapping (:mod:`hwb.sources.ccg_hwb`);
* permanent admissions of older people (65+) to residential and nursing care
  homes per 100,000 population 65+ (ASCOF 2A(2));
* proportion of older people (65+) still at home 91 days after discharge from
  hospital into reablement/rehabilitation services (ASCOF 2B(1));
* delayed transfers of care (delayed days) from hospital per 100,000
  population aged 18+, by quarter.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import StringConstraints

from hwb.core.params import BoardParams
from hwb.errors import DataError
from hwb.fmt import parse_number, round_half_up
from hwb.protocol import BUILTIN_ROOT, Paper
from hwb.sources import data
from hwb.toolkit import checks, figures

PRINTED_FILE = "bcf/printed_figures.csv"
SCHEMES_FILE = "bcf/rotherham_schemes.csv"
ANSWERS_FILE = "bcf/template_answers.csv"

# --- the parameter model -------------------------------------------------------------------


class BcfParams(BoardParams):
    """Parameters of a BCF 2017-19 appendix.

    Fields beyond :class:`~hwb.core.params.BoardParams` say which parts of the
    BCF the board's paper printed, so the appendix can say where a metric was
    not published rather than leave a gap.
    """

    plan_years: list[Annotated[str, StringConstraints(pattern=r"^20\d\d/\d\d$")]]
    """Financial years of the plan, e.g. ``["2017/18", "2018/19"]``."""
    metrics_published: list[Literal["nea", "res65", "reab91", "dtoc"]]
    """Which of ``nea``, ``res65``, ``reab91``, ``dtoc`` the board's paper printed."""
    money_tables: list[Literal["template", "narrative", "ibcf", "s75", "hart"]]
    """Which money tables the paper printed: ``template`` (Rotherham's planning template tabs 2-3),
    ``narrative`` (Tables 8-9), ``ibcf`` (item 15A), ``s75`` and ``hart`` (Leicestershire)."""
    confidence: float = 0.95
    """Confidence level of every interval."""


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


def checks_frame(found: Sequence[Check]) -> pd.DataFrame:
    """The generic comparisons behind a list of checks, one row each (for the appendix).

    Returns
    -------
    DataFrame
        ``figure, what, check, status, reason``.

    Examples
    --------
    >>> c = Check("x", "a total", 3.0, method="sum",
    ...           comparison=checks.sum_of_parts("3", ["1", "2"]))
    >>> checks_frame([c])[["figure", "status"]].to_dict("records")
    [{'figure': 'x', 'status': 'reproduced'}]
    """
    return pd.DataFrame([{"figure": c.printed_id or c.figure_id, "what": c.label,
                          "check": c.method, "status": c.comparison.status if c.comparison else "",
                          "reason": c.comparison.reason if c.comparison else ""} for c in found],
                        columns=["figure", "what", "check", "status", "reason"])


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


# --- money: Rotherham ------------------------------------------------------------------------

SCHEME_SCHEMA = data.Schema(
    columns=[
        data.Column("scheme_id", "int"), data.Column("scheme_name"), data.Column("scheme_type"),
        data.Column("sub_type"), data.Column("area_of_spend"),
        data.Column("commissioner", allowed=frozenset({"CCG", "Local Authority", "Joint"})),
        data.Column("provider"),
        data.Column("source_of_funding", allowed=frozenset({
            "CCG Minimum Contribution", "Additional CCG Contribution",
            "Local Authority Contribution",
            "Local Authority Social Services", "Improved Better Care Fund",
            "Disabled Facilities Grant"})),
        data.Column("duration"), data.Column("new_existing"),
        data.Column("expenditure_2017_18", "float", nullable=True),
        data.Column("expenditure_2018_19", "float", nullable=True),
        data.Column("page"), data.Column("line"),
    ],
    key=("scheme_id",),
)
AREAS = ("Acute", "Mental Health", "Community Health", "Continuing Care", "Primary Care",
         "Social Care", "Other")


def load_schemes(path: str | Path | None = None) -> pd.DataFrame:
    """Rotherham's expenditure plan (template tab 3): one row per scheme line, tidy by year.

    Returns
    -------
    DataFrame
        The scheme table's columns plus ``area`` (the area of spend without its
        "(specify: ...)" note), in long form: ``year`` and ``expenditure``.

    Examples
    --------
    Tab 3 prints scheme 5, Falls Service, at £443,977 in both years:

    >>> s = load_schemes()
    >>> s[s.scheme_id == 5].expenditure.tolist()
    [443977.0, 443977.0]
    """
    p = data.path(SCHEMES_FILE) if path is None else Path(path)
    df = data.read_csv(p, SCHEME_SCHEMA)
    df["area"] = df["area_of_spend"].map(area_of_spend)
    long = df.melt(id_vars=[c for c in df.columns if not c.startswith("expenditure_")],
                   value_vars=["expenditure_2017_18", "expenditure_2018_19"],
                   var_name="year", value_name="expenditure")
    long["year"] = long["year"].str.replace("expenditure_", "").str.replace("_", "/")
    long["expenditure"] = long["expenditure"].fillna(0.0)
    return long.sort_values(["year", "scheme_id"]).reset_index(drop=True)


def area_of_spend(text: str) -> str:
    """The template's area of spend without the "(specify: ...)" note.

    Examples
    --------
    >>> area_of_spend("Social Care (specify: Private Sector)"), area_of_spend("Acute")
    ('Social Care', 'Acute')

    Returns
    -------
    str
    """
    head = str(text).split("(specify")[0].strip()
    if head not in AREAS:
        raise DataError(SCHEMES_FILE, f"unknown area of spend; expected one of {', '.join(AREAS)}",
                        column="area_of_spend", value=text)
    return head


def spend_by_area(schemes: pd.DataFrame, year: str, where: pd.Series | None = None) -> pd.Series:
    """Scheme expenditure in ``year`` summed by area of spend (all seven areas, zeros kept).

    Returns
    -------
    Series
        Expenditure indexed by the seven areas of spend.

    Examples
    --------
    Tab 3's primary care line is scheme 27, GP Case Management, £2,145,000:

    >>> float(spend_by_area(load_schemes(), "2017/18")["Primary Care"])
    2145000.0
    """
    s = schemes[schemes["year"] == year]
    if where is not None:
        s = s[where.loc[s.index]]
    return s.groupby("area")["expenditure"].sum().reindex(list(AREAS), fill_value=0.0)


SOURCE_OF = {
    "CCG Minimum Contribution": "Total Minimum CCG Contribution",
    "Additional CCG Contribution": "Total Additional CCG Contribution",
    "Local Authority Contribution": "Total Local Authority Contribution exc iBCF",
    "Improved Better Care Fund": "Total iBCF Contribution",
}


def reconcile(printed: pd.DataFrame, schemes: pd.DataFrame, years: Sequence[str]) -> pd.DataFrame:
    """Funding by source against scheme expenditure by source of funding, with the remainder.

    Returns
    -------
    DataFrame
        ``year, source, funding, expenditure, remainder``: ``funding`` from tab 2,
        ``expenditure`` the sum of the scheme lines naming that source; schemes
        naming a source that is not a funding line of tab 2 (``Local Authority
        Social Services``) are listed with no funding.  A last row per year
        compares the pooled budget with all scheme lines.

    Examples
    --------
    The 2018/19 iBCF (£10,103,692) is all on scheme line 40:

    >>> r = reconcile(load_printed("rotherham-2017-09-20"), load_schemes(), ["2018/19"])
    >>> float(r.set_index("source").loc["Improved Better Care Fund", "remainder"])
    0.0
    """
    rows = []
    for y in years:
        s = schemes[schemes["year"] == y]
        by_src = s.groupby("source_of_funding")["expenditure"].sum()
        for src, fund_label in SOURCE_OF.items():
            fund = value(printed, "bcf_income", y, contains=fund_label)
            spent = float(by_src.get(src, 0.0))
            rows.append({"year": y, "source": src, "funding": fund, "expenditure": spent,
                         "remainder": fund - spent})
        for src in sorted(set(by_src.index) - set(SOURCE_OF)):
            rows.append({"year": y, "source": f"{src} (not a funding line of tab 2)",
                         "funding": math.nan, "expenditure": float(by_src[src]),
                         "remainder": math.nan})
        pooled = value(printed, "bcf_income", y, contains="Total BCF pooled budget")
        rows.append({"year": y, "source": "Total BCF pooled budget", "funding": pooled,
                     "expenditure": float(s["expenditure"].sum()),
                     "remainder": pooled - float(s["expenditure"].sum())})
    return pd.DataFrame(rows)


def funding_by_source(printed: pd.DataFrame, years: Sequence[str]) -> pd.DataFrame:
    """Template tab 2: each funding line by year, as printed (pounds).

    Returns
    -------
    DataFrame
        ``source, <year>...`` for the funding lines and totals of tab 2.

    Examples
    --------
    >>> f = funding_by_source(load_printed("rotherham-2017-09-20"), ["2017/18"])
    >>> float(f.set_index("source").loc["Total iBCF Contribution", "2017/18"])
    7317501.0
    """
    inc = printed[printed["measure"] == "bcf_income"]
    out = inc.pivot_table(index="category", columns="period", values="v", aggfunc="first",
                          sort=False)
    return out.reindex(columns=list(years)).reset_index().rename(columns={"category": "source"})


def duration_conflicts(schemes: pd.DataFrame) -> pd.DataFrame:
    """Scheme lines whose stated duration contradicts their expenditure.

    A line marked "2017/18 Only" with expenditure in 2018/19, or "2018/19 Only" with
    expenditure in 2017/18.

    Returns
    -------
    DataFrame
        ``scheme_id, scheme_name, duration, year, expenditure``.

    Examples
    --------
    >>> s = pd.DataFrame({"scheme_id": [40], "scheme_name": ["x"], "duration": ["2017/18 Only"],
    ...                   "year": ["2018/19"], "expenditure": [10103692.0]})
    >>> len(duration_conflicts(s))
    1
    """
    other = {"2017/18 Only": "2018/19", "2018/19 Only": "2017/18"}
    sel = schemes["duration"].map(other).eq(schemes["year"]) & (schemes["expenditure"] > 0)
    return schemes.loc[sel, ["scheme_id", "scheme_name", "duration", "year",
                             "expenditure"]].reset_index(drop=True)


def explain_remainders(recon: pd.DataFrame, printed: pd.DataFrame,
                       schemes: pd.DataFrame) -> pd.DataFrame:
    """Name, for each remainder of :func:`reconcile`, the other figure it equals (to the pound).

    Candidates, per year: the opposite of another source's remainder; the spending on scheme
    lines naming a source that is not a funding line of tab 2; the summary tab's spending that no
    printed scheme line carries (summary total less the scheme lines).

    Returns
    -------
    DataFrame
        ``recon`` plus ``explained_by`` ("" when the remainder is zero, "unexplained" when no
        candidate equals it).

    Examples
    --------
    >>> r = pd.DataFrame({"year": ["y", "y"], "source": ["A", "B"], "funding": [10.0, 5.0],
    ...                   "expenditure": [12.0, 3.0], "remainder": [-2.0, 2.0]})
    >>> p = pd.DataFrame({"measure": ["bcf_expenditure_by_area_of_spend"], "period": ["y"],
    ...                   "category": ["Total"], "v": [15.0], "figure_id": ["t"]})
    >>> s = pd.DataFrame({"year": ["y"], "expenditure": [15.0]})
    >>> explain_remainders(r, p, s)["explained_by"].tolist()
    ['the opposite of the B remainder', 'the opposite of the A remainder']
    """
    out = recon.copy()
    why = []
    for _, r in out.iterrows():
        rem = r["remainder"]
        if pd.isna(rem) or abs(rem) < 0.5:
            why.append("")
            continue
        same = out[(out["year"] == r["year"]) & (out["source"] != r["source"])]
        cands: dict[str, float] = {}
        for _, o in same.iterrows():
            if pd.notna(o["remainder"]) and o["source"] != "Total BCF pooled budget":
                cands[f"the opposite of the {o['source']} remainder"] = -o["remainder"]
            if pd.isna(o["funding"]):
                cands[f"the scheme lines naming {o['source']}"] = o["expenditure"]
        total = value(printed, "bcf_expenditure_by_area_of_spend", r["year"], contains="Total")
        cands["the summary tab's spending on no printed scheme line"] = total - float(
            schemes[schemes["year"] == r["year"]]["expenditure"].sum())
        hit = [k for k, v in cands.items() if abs(v - rem) < 0.5]
        why.append("; ".join(hit) if hit else "unexplained")
    out["explained_by"] = why
    return out


def area_remainders(printed: pd.DataFrame, schemes: pd.DataFrame,
                    years: Sequence[str]) -> pd.DataFrame:
    """The summary tab's expenditure by area of spend against the scheme lines, with remainders.

    Returns
    -------
    DataFrame
        ``year, area, summary, schemes, remainder``.

    Examples
    --------
    Tab 3's acute lines carry £500,000 in 2017/18 (scheme 33, Risk Pool); the summary tab
    prints £635,000:

    >>> a = area_remainders(load_printed("rotherham-2017-09-20"), load_schemes(), ["2017/18"])
    >>> float(a.set_index("area").loc["Acute", "remainder"])
    135000.0
    """
    rows = []
    for y in years:
        by = spend_by_area(schemes, y)
        for a in AREAS:
            pv = value(printed, "bcf_expenditure_by_area_of_spend", y, contains=a)
            rows.append({"year": y, "area": a, "summary": pv, "schemes": float(by[a]),
                         "remainder": pv - float(by[a])})
    return pd.DataFrame(rows)


def money_checks_rotherham(printed: pd.DataFrame, schemes: pd.DataFrame,
                           years: Sequence[str]) -> list[Check]:
    """Every printed total of Rotherham's template tabs 2-3 and the summary tab, recomputed.

    * tab 2 totals from the funding lines;
    * the summary tab's expenditure by area of spend, from the scheme lines;
    * expenditure from the CCG minimum by area, and NHS-commissioned out-of-hospital
      spend (CCG-commissioned schemes funded from the CCG minimum), from the scheme lines;
    * the running balances (funding less the scheme lines naming the source);
    * the minimum mandated social care spend (the 2016/17 baseline uplifted by
      the printed inflation percentages) and the planned uplift.

    Returns
    -------
    list of Check

    Examples
    --------
    Tab 2: £2,310,793 (DFG) + £1,767,000 = £4,077,793, printed:

    >>> cs = money_checks_rotherham(load_printed("rotherham-2017-09-20"), load_schemes(),
    ...                             ["2017/18"])
    >>> cs[0].value, cs[0].comparison.status
    (4077793.0, 'reproduced')
    """
    out: list[Check] = []
    ccg_min = schemes["source_of_funding"] == "CCG Minimum Contribution"
    ccg_comm = schemes["commissioner"] == "CCG"
    for y in years:
        inc = {k: row(printed, "bcf_income", y, contains=k) for k in (
            "Disabled Facilities Grant", "Local Authority Additional", "Total Local Authority",
            "Total iBCF", "Total Minimum CCG", "Total Additional CCG", "Total BCF pooled")}
        out.append(check_sum(inc["Total Local Authority"],
                             [inc["Disabled Facilities Grant"], inc["Local Authority Additional"]],
                             f"Total local authority contribution exc iBCF, {y}"))
        out.append(check_sum(inc["Total BCF pooled"],
                             [inc["Total Local Authority"], inc["Total iBCF"],
                              inc["Total Minimum CCG"], inc["Total Additional CCG"]],
                             f"Total BCF pooled budget, {y}"))
        s = schemes[schemes["year"] == y]
        all_by = spend_by_area(schemes, y)
        for a in (*AREAS, "Total"):
            r = row(printed, "bcf_expenditure_by_area_of_spend", y, contains=a)
            v = float(all_by.sum()) if a == "Total" else float(all_by[a])
            alts = ({"the pooled budget (tab 2)": float(inc["Total BCF pooled"]["v"])}
                    if a == "Total" else {})
            out.append(check_value(r, v, "sum of the scheme lines (tab 3) in this area of spend",
                                   f"Expenditure, {a}, {y}", alts))
        unprinted = value(printed, "bcf_expenditure_by_area_of_spend", y, contains="Total") - float(
            all_by.sum())
        min_by = spend_by_area(schemes, y, ccg_min)
        for a in (*AREAS, "Total"):
            r = row(printed, "bcf_expenditure_from_minimum_ccg_by_area", y, contains=a)
            v = float(min_by.sum()) if a == "Total" else float(min_by[a])
            out.append(check_value(r, v, "scheme lines funded from the CCG minimum",
                                   f"Expenditure from the CCG minimum, {a}, {y}"))
        ooh_by = spend_by_area(schemes, y, ccg_min & ccg_comm)
        for a in ("Mental Health", "Community Health", "Continuing Care", "Primary Care",
                  "Social Care", "Other", "Total"):
            r = row(printed, "nhs_ooh_spend_from_minimum_by_area", y, contains=a + " (")
            v = float(ooh_by.sum()) if a == "Total" else float(ooh_by[a])
            out.append(check_value(r, v, "CCG-commissioned scheme lines funded from the CCG "
                                   "minimum",
                                   f"NHS-commissioned out-of-hospital spend, {a}, {y}"))
        sc = row(printed, "planned_social_care_spend_from_ccg_minimum", y)
        out.append(check_value(sc, float(min_by["Social Care"]),
                               "social care scheme lines funded from the CCG minimum",
                               f"Planned social care spend from the CCG minimum, {y}"))
        by_src = s.groupby("source_of_funding")["expenditure"].sum()
        for bal, src, inc_key in (
                ("CCG Minimum Contribution balance", "CCG Minimum Contribution",
                 "Total Minimum CCG"),
                ("Additional CCG Contribution balance", "Additional CCG Contribution",
                 "Total Additional CCG"),
                ("Local Authority Contribution balance", "Local Authority Contribution",
                 "Total Local Authority"),
                ("iBCF balance", "Improved Better Care Fund", "Total iBCF")):
            r = row(printed, "running_balance", y, contains=bal)
            fund = float(inc[inc_key]["v"])
            spent = float(by_src.get(src, 0.0))
            alts = {"funding less the scheme lines, counting the summary tab's spending on no "
                    "printed line against this source": fund - spent - unprinted}
            if src == "Local Authority Contribution":
                alts["funding less the lines naming either 'Local Authority Contribution' or "
                     "'Local Authority Social Services'"] = fund - spent - float(
                        by_src.get("Local Authority Social Services", 0.0))
            out.append(check_value(r, fund - spent, "funding (tab 2) less the scheme lines naming "
                                   "this source", f"Running balance: {bal}, {y}", alts,
                                   inputs=[inc[inc_key]["figure_id"]]))
        r = row(printed, "running_balance", y, contains="BCF Pooled Total")
        pooled = float(inc["Total BCF pooled"]["v"])
        out.append(check_value(r, pooled - float(s["expenditure"].sum()),
                               "pooled budget less all scheme lines",
                               f"Running balance: BCF pooled total, {y}",
                               {"pooled budget less the summary tab's total expenditure":
                                pooled - value(printed, "bcf_expenditure_by_area_of_spend", y,
                                               contains="Total")},
                               inputs=[inc["Total BCF pooled"]["figure_id"]]))
    # minimum mandated social care spend and uplifts
    base = row(printed, "minimum_mandated_social_care_from_ccg_minimum", "2016/17")
    prev = float(base["v"])
    prev_printed = float(base["v"])
    prev_sc = prev
    for y in years:
        up = row(printed, "minimum_mandated_uplift_pct", y)
        r = row(printed, "minimum_mandated_social_care_from_ccg_minimum", y)
        cur = prev * (1 + float(up["v"]) / 100)
        out.append(check_value(r, cur, "the previous year's minimum (unrounded) x (1 + uplift)",
                               f"Minimum mandated social care spend from the CCG minimum, {y}",
                               {"the previous year's printed minimum x (1 + uplift)":
                                prev_printed * (1 + float(up["v"]) / 100)},
                               inputs=[base["figure_id"], up["figure_id"]]))
        prev, prev_printed = cur, float(r["v"])
        sc = float(row(printed, "planned_social_care_spend_from_ccg_minimum", y)["v"])
        pu = row(printed, "planned_social_care_uplift_pct", y)
        out.append(check_value(pu, (sc / prev_sc - 1) * 100,
                               "planned social care spend / the previous year's (2016/17: the "
                               "baseline) - 1", f"Planned social care uplift, {y}"))
        prev_sc = sc
    # narrative: social care investment from the CCG minimum
    for y, src in (("2016/17", base), ("2017/18", row(printed,
                   "planned_social_care_spend_from_ccg_minimum", "2017/18"))):
        r = row(printed, "social_care_investment_from_ccg_minimum", y)
        out.append(check_twice(r, src, f"Social care investment from the CCG minimum, {y} "
                               "(narrative, £m)", scale=1e6))
    r = row(printed, "social_care_investment_from_ccg_minimum", "2018/19")
    out.append(check_twice(r, row(printed, "planned_social_care_uplift_pct", "2018/19"),
                           "Social care uplift 2018/19 (narrative)"))
    return out


def table8_checks(printed: pd.DataFrame) -> list[Check]:
    """The plan's Table 8 (investment by theme, £000): theme totals, column totals and splits.

    Returns
    -------
    list of Check

    Examples
    --------
    Theme 1: 790 + 1 = 791 (£000), printed:

    >>> table8_checks(load_printed("rotherham-2017-09-20"))[0].value
    791.0
    """
    out: list[Check] = []
    t8 = printed[printed["measure"].str.startswith("table8")]
    themes = [c for c in t8[t8["measure"] == "table8_total"]["category"] if c != "TOTAL"]
    for th in themes:
        tot = row(printed, "table8_total", "2017/18", contains=th)
        parts = [row(printed, "table8_investment", "2016/17", contains=th)]
        add = t8[(t8["measure"] == "table8_additional_funding") & (t8["category"] == th)]
        if len(add):
            parts.append(add.iloc[0])
        out.append(check_sum(tot, parts, f"Table 8 {th}: 2016/17 investment + additional funding"))
    for measure, period in (("table8_investment", "2016/17"), ("table8_additional_funding",
                                                               "2017/18"),
                            ("table8_total", "2017/18")):
        tot = row(printed, measure, period, contains="TOTAL")
        sel = (t8["measure"] == measure) & (t8["category"] != "TOTAL")
        parts = [r for _, r in t8[sel].iterrows()]
        out.append(check_sum(tot, parts, f"Table 8 TOTAL, {measure.replace('table8_', '')}"))
    tot = row(printed, "table8_total", "2017/18", contains="TOTAL")
    for th in ("THEME 2", "THEME 5", "TOTAL"):
        parts = [row(printed, "table8_by_commissioner", "2017/18", contains=f"{th} {c}")
                 for c in ("RCCG", "RMBC")]
        t = tot if th == "TOTAL" else row(printed, "table8_total", "2017/18", contains=th)
        out.append(check_sum(t, parts, f"Table 8 {th}: RCCG share + RMBC share").again("split"))
    pools = [row(printed, "table8_by_pool", "2017/18", contains=p) for p in ("Pool 1", "Pool 2")]
    out.append(check_sum(tot, pools, "Table 8 TOTAL: Pool 1 + Pool 2").again("pools"))
    for col in ("RCCG", "RMBC"):
        r = row(printed, "table8_by_commissioner", "2017/18", contains=f"TOTAL {col}")
        out.append(check_twice(r, row(printed, "table9_investment", "2017/18",
                                      contains=f"GRAND TOTAL [{col}]"),
                               f"Table 8 total {col} share against Table 9's grand total"))
    return out


TABLE9_SCHEMES: dict[str, tuple[int, ...]] = {
    "Adult Mental Health Liaison [": (1,), "Home Improvement Agency [RMBC]": (3,),
    "Home Improvement Agency [RCCG]": (2,), "Falls Service [": (5,),
    "Home Enabling Services [": (6,), "2 SSO reviewing officers": (7,),
    "Community Stroke Service [": (8,), "Community Neuro Rehab [": (9,),
    "Breathing Space [": (10,), "Expert Patient Programme [": (11,),
    "Otago Exercise Programme [": (30,), "REWS [RMBC]": (14,), "REWS [RCCG]": (12, 13),
    "Community OT [RMBC]": (16,), "Community OT [RCCG]": (15,),
    "Disabled Facilities Grant [": (17,), "Age UK Hospital Discharge [": (18,),
    "Stroke Association Service [": (19,), "Stroke Social Work Support [": (20,),
    "Intermediate Care Pool [RMBC]": (21,), "Intermediate Care Pool [RCCG]": (22, 23),
    "Direct Payments [": (24,), "Care Act Implementation [": (4,), "Residential Care [": (25,),
    "Learning Disability Services [": (26,), "GP Case Management [": (27,),
    "Care Home Support Service [": (28,), "Death in Place of Choice [": (29,),
    "Social Prescribing [": (31,), "Social Work Support (A&E": (32,),
    "Day Care Services [": (36,), "Carers Support Service [RMBC]": (39,),
    "Carers Support Service [RCCG]": (38,), "Joint Commissioning Team [": (34,),
    "IT to support Comm Trans [": (35,), "Risk pool [": (33,),
}
"""Lines of the plan's Table 9 (£000) and the template scheme lines (tab 3) they stand for:
RMBC lines are the council-funded scheme lines, RCCG lines the CCG-funded ones."""


def table9_vs_template(printed: pd.DataFrame, schemes: pd.DataFrame) -> list[Check]:
    """Each line of Table 9 (£000) against the template's scheme lines it stands for (2017/18).

    Where a line differs, every other scheme line with the same source of funding is tried as an
    addition, so a line that folds in another scheme is named.

    Returns
    -------
    list of Check

    Examples
    --------
    Falls Service: tab 3's £443,977 is 444 in £000, as Table 9 prints:

    >>> cs = table9_vs_template(load_printed("rotherham-2017-09-20"), load_schemes())
    >>> c = [c for c in cs if c.label.startswith("Table 9: Falls")][0]
    >>> round(c.value, 3), c.comparison.status
    (443.977, 'reproduced')
    """
    out: list[Check] = []
    s = schemes[schemes["year"] == "2017/18"].set_index("scheme_id")
    for prefix, ids in TABLE9_SCHEMES.items():
        r = row(printed, "table9_investment", "2017/18", contains=prefix)
        v = float(s.loc[list(ids), "expenditure"].sum())
        srcs = set(s.loc[list(ids), "source_of_funding"])
        alts = {f"schemes {', '.join(map(str, ids))} and {k} ({s.loc[k, 'scheme_name']})":
                (v + float(s.loc[k, "expenditure"])) / 1000
                for k in s.index if k not in ids and s.loc[k, "source_of_funding"] in srcs}
        out.append(check_value(r, v / 1000, f"template scheme line(s) {', '.join(map(str, ids))}"
                               " in £000", f"Table 9: {prefix.rstrip(' [')} (£000)", alts,
                               inputs=[f"scheme {i}" for i in ids]))
    return out


def table9_checks(printed: pd.DataFrame, pooled_2017_18: pd.Series) -> list[Check]:
    """The plan's Table 9 (investment by scheme, £000): line totals and the grand totals.

    Returns
    -------
    list of Check

    Examples
    --------
    Home Improvement Agency: 15 + 60 = 75 (£000), printed:

    >>> pr = load_printed("rotherham-2017-09-20")
    >>> table9_checks(pr, row(pr, "bcf_income", "2017/18", contains="Total BCF pooled"))[0].value
    75.0
    """
    out: list[Check] = []
    t9 = printed[printed["measure"] == "table9_investment"]
    cat = t9["category"]
    for _, r in t9[cat.str.endswith("[Total]") & ~cat.str.startswith("GRAND")].iterrows():
        name = r["category"].replace(" [Total]", "")
        parts = [row(printed, "table9_investment", "2017/18", contains=f"{name} [{c}]")
                 for c in ("RMBC", "RCCG")]
        out.append(check_sum(r, parts, f"Table 9 {name}: RMBC + RCCG"))
    for col in ("RMBC", "RCCG"):
        g = row(printed, "table9_investment", "2017/18", contains=f"GRAND TOTAL [{col}]")
        parts = [r for _, r in t9[~cat.str.startswith("GRAND")
                                  & (cat.str.contains(f"[{col}]", regex=False)
                                     | cat.str.contains(f"[{col};", regex=False))].iterrows()]
        out.append(check_sum(g, parts, f"Table 9 grand total, {col}"))
    g = row(printed, "table9_investment", "2017/18", contains="GRAND TOTAL [Total]")
    out.append(check_twice(g, pooled_2017_18, "Table 9 grand total against the pooled budget "
                           "(£000)", scale=1000))
    return out


def ibcf_checks(printed: pd.DataFrame, schemes: pd.DataFrame) -> list[Check]:
    """The Improved BCF (item 15A and the plan's narrative) against the template and its parts.

    Returns
    -------
    list of Check

    Examples
    --------
    The template's iBCF 2017/18, £7,317,501, is the narrative's £7.318m:

    >>> c = ibcf_checks(load_printed("rotherham-2017-09-20"), load_schemes())[0]
    >>> c.value, c.comparison.status
    (7.317501, 'reproduced')
    """
    out: list[Check] = []
    ibcf = {y: row(printed, "bcf_income", y, contains="Total iBCF") for y in ("2017/18", "2018/19")}
    for y in ("2017/18", "2018/19"):
        for _, r in printed[(printed["measure"] == "ibcf_allocation_total")
                            & (printed["period"] == y)].iterrows():
            out.append(check_twice(r, ibcf[y], f"iBCF allocation {y} ({r['category']}, £m)",
                                   scale=1e6))
    grants = {y: row(printed, "ibcf_spring_budget_2017", y, contains="Additional funding")
              for y in ("2017-18", "2018-19", "2019-20")}
    for y, g in grants.items():
        r = row(printed, "ibcf_spring_budget_2017", y, contains="minutes")
        out.append(check_twice(r, g, f"Spring Budget 2017 adult social care grant {y} "
                               "(minutes, £m)", scale=1e6))
    spring = grants["2017-18"]
    fa = row(printed, "ibcf_further_allocation", "2017/18")
    out.append(check_value(fa, (float(ibcf["2017/18"]["v"]) - float(spring["v"])) / 1e6,
                           "the template's iBCF 2017/18 less the Spring Budget grant",
                           "The further iBCF allocation 2017/18 (£m)",
                           inputs=[ibcf["2017/18"]["figure_id"], spring["figure_id"]]))
    items = printed[printed["measure"] == "ibcf_plan_item"]
    pounds = items["v"].where(items["unit"] == "GBP", items["v"] * 1e6)
    spring_items = pounds[~items["category"].str.startswith("7.7")]
    sa = row(printed, "ibcf_spring_allocated", "2017/18")
    out.append(check_value(sa, float(spring_items.sum()) / 1e6,
                           "sum of the uses itemised in sections 7.2-7.6 of item 15A",
                           "Spring Budget iBCF allocated for 2017/18 (£m)",
                           {"the Spring Budget grant": float(spring["v"]) / 1e6},
                           inputs=list(items.loc[spring_items.index, "figure_id"])))
    cf = row(printed, "table9_investment", "2017/18", contains="Improved BCF Contingency Fund")
    rec_ = ibcf_reconcile(printed, schemes)
    out.append(check_value(cf, float(rec_.loc[0, "remainder"]) / 1000,
                           "the Spring Budget grant less the uses itemised in item 15A 7.2-7.6, "
                           "in £000", "Table 9: Improved BCF contingency fund (£000)",
                           inputs=[spring["figure_id"]]))
    wp = row(printed, "ibcf_winter_pressures", "2017/18")
    item = row(printed, "ibcf_plan_item", "2017/18", contains="winter pressures")
    out.append(check_twice(wp, item, "iBCF winter pressures (narrative)"))
    s = schemes[schemes["year"] == "2017/18"].set_index("scheme_id")
    ca = row(printed, "care_act_financial_plan", "2017/18")
    out.append(check_twice(ca, float(s.loc[4, "expenditure"]),
                           "Care Act funding (risk register, £m)", scale=1e6, other_id="scheme 4"))
    rp = row(printed, "risk_pool", "2017/18")
    out.append(check_twice(rp, float(s.loc[33, "expenditure"]), "Risk pool (risk register)",
                           other_id="scheme 33"))
    return out


def ibcf_uses(printed: pd.DataFrame) -> pd.DataFrame:
    """Item 15A's itemised uses of the iBCF, in pounds, by section, with the allocation remainders.

    Returns
    -------
    DataFrame
        ``section, item, amount``; then rows for each allocation less its itemised uses.

    Examples
    --------
    Section 7.2.1 prints "£4m":

    >>> float(ibcf_uses(load_printed("rotherham-2017-09-20")).loc[0, "amount"])
    4000000.0
    """
    items = printed[printed["measure"] == "ibcf_plan_item"].copy()
    items["amount"] = items["v"].where(items["unit"] == "GBP", items["v"] * 1e6)
    items["section"] = items["category"].str.extract(r"^(7\.\d)")[0]
    return items[["section", "category", "amount", "figure_id"]].rename(
        columns={"category": "item"}).reset_index(drop=True)


IBCF_TABLE9 = ("Sustainability/mitigation", "Information Sharing/System Development",
               "Leadership capacity", "Discharge Pathways", "Market capacity",
               "Improved BCF Contingency Fund")


def ibcf_reconcile(printed: pd.DataFrame, schemes: pd.DataFrame) -> pd.DataFrame:
    """The Improved BCF for 2017/18: each allocation against the uses itemised for it.

    Returns
    -------
    DataFrame
        ``allocation, amount, uses, itemised, remainder`` in pounds:

        * the Spring Budget 2017 grant against item 15A's sections 7.2-7.6;
        * the further allocation through the BCF (the template's iBCF less the
          grant) against section 7.7;
        * the template's iBCF against its iBCF scheme lines (tab 3);
        * the template's iBCF against the iBCF lines of the plan's Table 9 (£000).

    Examples
    --------
    The grant, £6,227,348, less the £6,165,000 itemised in sections 7.2-7.6:

    >>> r = ibcf_reconcile(load_printed("rotherham-2017-09-20"), load_schemes())
    >>> float(r.loc[0, "remainder"])
    62348.0
    """
    uses = ibcf_uses(printed)
    ibcf = value(printed, "bcf_income", "2017/18", contains="Total iBCF")
    grant = value(printed, "ibcf_spring_budget_2017", "2017-18", contains="Additional funding")
    s = schemes[(schemes["year"] == "2017/18")
                & (schemes["source_of_funding"] == "Improved Better Care Fund")]
    t9 = sum(value(printed, "table9_investment", "2017/18", contains=c) for c in IBCF_TABLE9)
    rows = [
        ("Spring Budget 2017 adult social care grant (item 15A)", grant,
         "item 15A sections 7.2-7.6", float(uses[uses["section"] != "7.7"]["amount"].sum())),
        ("Further allocation through the BCF (template iBCF less the grant)", ibcf - grant,
         "item 15A section 7.7", float(uses[uses["section"] == "7.7"]["amount"].sum())),
        ("iBCF in the template (tab 2)", ibcf, "iBCF scheme lines of tab 3",
         float(s["expenditure"].sum())),
        ("iBCF in the template (tab 2)", ibcf, "iBCF lines of Table 9 (£000 x 1,000)", t9 * 1000),
    ]
    df = pd.DataFrame(rows, columns=["allocation", "amount", "uses", "itemised"])
    df["remainder"] = df["amount"] - df["itemised"]
    return df


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
    out["days"] = out["period"].map(checks.days_in_period)
    out["template_per_day"] = out["template_rate"] / out["days"]
    out["actual_per_day"] = out["actual_rate"] / out["days"]
    return out


def risk_checks(printed: pd.DataFrame) -> list[Check]:
    """Risk register scores: likelihood x consequence.

    Returns
    -------
    list of Check

    Examples
    --------
    Risk 20, "Non-elective target not met": likelihood 4 x consequence 5 = 20, printed:

    >>> cs = risk_checks(load_printed("rotherham-2017-09-20"))
    >>> [c.value for c in cs if "Non-elective" in c.label]
    [20.0]
    """
    out = []
    for _, r in printed[printed["measure"] == "risk_score"].iterrows():
        lk = row(printed, "risk_likelihood", r["period"], contains=r["category"])
        cq = row(printed, "risk_consequence", r["period"], contains=r["category"])
        out.append(check_value(r, float(lk["v"]) * float(cq["v"]), "likelihood x consequence",
                               f"Risk score: {r['category']}", inputs=[lk["figure_id"],
                                                                      cq["figure_id"]]))
    return out


# --- money: Leicestershire --------------------------------------------------------------------


def _s75(printed: pd.DataFrame, prefix: str) -> pd.Series:
    hits = printed[(printed["measure"] == "s75_financial_contribution")
                   & printed["category"].str.startswith(prefix)]
    if len(hits) != 1:
        raise DataError(PRINTED_FILE, f"expected one s75 contribution starting {prefix!r}, "
                                      f"found {len(hits)}")
    return hits.iloc[0]


S75_PARTNERS = ("NHS East Leicestershire and Rutland CCG", "NHS West Leicestershire CCG",
                "Leicestershire County Council")
S75_LINES = ("CCG Minimum allocation", "Additional CCG Allocation", "Disabled Facilities Grant",
             "IBCF (Additional Adult Social Care Allocation Spring Budget 2017)")
FUNDING_VS_S75 = (
    ("East Leicestershire & Rutland CCG*", "CCG Minimum allocation | NHS East Leicestershire"),
    ("West Leicestershire CCG*", "CCG Minimum allocation | NHS West Leicestershire"),
    ("CCG Minimum Contributions subtotal", "CCG Minimum allocation | Total"),
    ("Disabled Facilities Grants", "Disabled Facilities Grant | Total"),
    ("IBCF (Comprehensive Spending Review - Autumn 2015)",
     "IBCF (Comprehensive Spending Review 2015)"),
    ("IBCF (Adult Social Care Grant Spring Budget 2017)",
     "IBCF (Additional Adult Social Care Allocation Spring Budget 2017) | Total"),
    ("Additional CCG allocations", "Additional CCG Allocation | Total"),
    ("Total BCF Funding", "Total BCF Funding | Total"),
)


def leics_checks(printed: pd.DataFrame) -> list[Check]:
    """Leicestershire's pooled fund: the s75 row and column totals, the funding table (£000)
    against the s75 schedule (£), the subtotals and totals, and the HART split.

    Returns
    -------
    list of Check

    Examples
    --------
    CCG minimum: £15,838,107 + £20,843,463 + nil = £36,681,570, printed:

    >>> c = leics_checks(load_printed("leicestershire-2018-01-25"))[0]
    >>> c.value, c.comparison.status
    (36681570.0, 'reproduced')
    """
    out: list[Check] = []
    for ln in S75_LINES:
        t = _s75(printed, f"{ln} | Total")
        out.append(check_sum(t, [_s75(printed, f"{ln} | {p}") for p in S75_PARTNERS],
                             f"s75 {ln}: total of the partners"))
    for p in (*S75_PARTNERS, "Total"):
        t = _s75(printed, f"Total BCF Funding | {p}")
        out.append(check_sum(t, [_s75(printed, f"{ln} | {p}") for ln in S75_LINES],
                             f"s75 Total BCF Funding: {p}"))
    fs = "bcf_funding_source"
    for fcat, sprefix in FUNDING_VS_S75:
        r = row(printed, fs, "2017/18", contains=fcat)
        c = check_twice(r, _s75(printed, sprefix),
                        f"Funding table (£000) against the s75 schedule (£): {fcat}, 2017/18",
                        scale=1000)
        out.append(c.again("s75") if "total" in fcat.lower() else c)
    for yy in ("2017/18", "2018/19"):
        sub = row(printed, fs, yy, contains="CCG Minimum Contributions subtotal")
        out.append(check_sum(sub, [row(printed, fs, yy, contains="East Leicestershire"),
                                   row(printed, fs, yy, contains="West Leicestershire CCG*")],
                             f"CCG minimum subtotal, {yy}"))
        sub = row(printed, fs, yy, contains="DCLG Funding subtotal")
        out.append(check_sum(sub, [row(printed, fs, yy, contains=c) for c in (
            "Disabled Facilities", "Autumn 2015", "Spring Budget 2017")],
            f"DCLG funding subtotal, {yy}"))
        tot = row(printed, fs, yy, contains="Total BCF Funding")
        out.append(check_sum(tot, [row(printed, fs, yy, contains="CCG Minimum Contributions "
                                       "subtotal"),
                                   row(printed, fs, yy, contains="DCLG Funding subtotal"),
                                   row(printed, fs, yy, contains="Additional CCG")],
                             f"Total BCF funding, {yy}"))
        para = row(printed, "bcf_expenditure_plan_total", yy)
        out.append(check_twice(para, tot, f"BCF expenditure plan (para 16, £m), {yy}", scale=1000))
    out += hart_checks(printed)
    return out


HART_PARTNERS = ("NHS West Leicestershire CCG", "NHS East Leicestershire & Rutland CCG",
                 "Leicestershire County Council")


def hart_table(printed: pd.DataFrame) -> pd.DataFrame:
    """The HART reablement pool 2017/18 by partner: referrals, hours, cost and printed share,
    with each partner's share on each candidate basis and its cost per hour.

    Returns
    -------
    DataFrame
        ``partner, referrals, hours, cost, printed_share, share_referrals, share_hours,
        share_cost, cost_per_hour``.

    Examples
    --------
    West Leicestershire CCG: 10,887 of 126,319 hours is 8.62%:

    >>> h = hart_table(load_printed("leicestershire-2018-01-25")).set_index("partner")
    >>> round(float(h.loc["NHS West Leicestershire CCG", "share_hours"]), 2)
    8.62
    """
    rows = []
    for p in (*HART_PARTNERS, "Total"):
        rows.append({"partner": p,
                     "referrals": value(printed, "hart_anticipated_referrals", "2017/18", p),
                     "hours": value(printed, "hart_reablement_hours", "2017/18", p),
                     "cost": value(printed, "hart_forecast_cost", "2017/18", p),
                     "printed_share": row(printed, "hart_percentage_contribution", "2017/18",
                                          p)["value"]})
    df = pd.DataFrame(rows)
    part = df[df["partner"] != "Total"]
    for basis in ("referrals", "hours", "cost"):
        df[f"share_{basis}"] = df[basis] / float(part[basis].sum()) * 100
    df["cost_per_hour"] = df["cost"] / df["hours"]
    return df


def hart_basis(hart: pd.DataFrame) -> dict[str, list[str]]:
    """For each partner, the bases (referrals, hours, cost, remainder to 100) that reproduce the
    printed share, found with :func:`hwb.toolkit.checks.which_denominator`.

    Examples
    --------
    >>> h = pd.DataFrame({"partner": ["A", "B", "Total"], "referrals": [1, 3, 4],
    ...                   "hours": [30, 70, 100], "cost": [25, 75, 100],
    ...                   "printed_share": ["30.0", "70.0", "100"]})
    >>> hart_basis(h)["A"]
    ['hours']

    Returns
    -------
    dict of str to list of str
        Partner to the bases that reproduce its printed share (empty: none does).
    """
    out: dict[str, list[str]] = {}
    part = hart[hart["partner"] != "Total"]
    for _, r in part.iterrows():
        found = []
        for basis in ("referrals", "hours", "cost"):
            found += [basis for _ in checks.which_denominator(
                r[basis], r["printed_share"], {basis: float(part[basis].sum())}, 100.0)]
        others = part[part["partner"] != r["partner"]]["printed_share"].map(parse_number).sum()
        if found == [] and checks.reproduces(100.0 - others, r["printed_share"]):
            found.append("100 less the other partners' printed shares")
        out[r["partner"]] = found
    return out


def hart_checks(printed: pd.DataFrame) -> list[Check]:
    """HART: totals of referrals, hours and cost; each partner's printed percentage against its
    share of hours (the basis the schedule's shares reproduce best), with referrals, cost and the
    remainder to 100 as alternatives; the BCF-funded step-down cost against the CCGs' HART cost.

    Returns
    -------
    list of Check

    Examples
    --------
    Referrals: 120 + 96 + 2,221 = 2,437, printed:

    >>> hart_checks(load_printed("leicestershire-2018-01-25"))[0].value
    2437.0
    """
    out: list[Check] = []
    for m in ("hart_anticipated_referrals", "hart_reablement_hours", "hart_forecast_cost",
              "hart_percentage_contribution"):
        t = row(printed, m, "2017/18", "Total")
        out.append(check_sum(t, [row(printed, m, "2017/18", p) for p in HART_PARTNERS],
                             f"HART {m.replace('hart_', '').replace('_', ' ')}: total"))
    h = hart_table(printed).set_index("partner")
    shares = {p: parse_number(row(printed, "hart_percentage_contribution", "2017/18", p)["value"])
              for p in HART_PARTNERS}
    for p in HART_PARTNERS:
        r = row(printed, "hart_percentage_contribution", "2017/18", p)
        others = sum(v for k, v in shares.items() if k != p)
        out.append(check_value(r, float(h.loc[p, "share_hours"]),
                               "the partner's share of reablement hours",
                               f"HART share: {p}",
                               {"its share of forecast cost": float(h.loc[p, "share_cost"]),
                                "its share of referrals": float(h.loc[p, "share_referrals"]),
                                "100 less the other partners' printed shares": 100.0 - others}))
    for p in HART_PARTNERS[:2]:
        r = row(printed, "hart_bcf_funded_step_down_reablement", "2017/18", p)
        out.append(check_twice(r, row(printed, "hart_forecast_cost", "2017/18", p),
                               f"BCF-funded step-down reablement: {p}"))
    t = row(printed, "hart_bcf_funded_step_down_reablement", "2017/18", "Total")
    out.append(check_sum(t, [row(printed, "hart_bcf_funded_step_down_reablement", "2017/18", p)
                             for p in HART_PARTNERS[:2]], "BCF-funded step-down reablement: total"))
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
            dtoc.financial_quarter if freq == "quarter" else (lambda m: m)) == p], freq)
        return float(agg["total"].iloc[0]) / dtoc.days_in(p) - expectation * pop / 1e5

    alts = {f"current performance taken as {m}": gap(m, "month") for m in alternatives_from}
    c = check_value(gap_row, gap(period, "quarter"),
                    f"delayed days per day in {period} (NHS England) - {expectation:g} per "
                    f"100,000 x the 18+ population ({pop:,.0f})",
                    "Gap to the national expectation, patients delayed a day (narrative)", alts)
    # printed "around 10 patients": the one rule for approximate words
    c.approx = "around"
    c.comparison = checks.approximate("around", gap_row["value"], c.value)
    return c


PAPER = Paper(
    name="bcf",
    title="Better Care Fund 2017-19: the four metrics and the money, reproduced and reconciled",
    notebook=BUILTIN_ROOT / "notebooks" / "bcf.ipynb",
    params_model=BcfParams,
    params_dir=BUILTIN_ROOT / "params" / "bcf",
    printed=BUILTIN_ROOT / "data" / "bcf" / "printed_figures.csv",
    inputs=(BUILTIN_ROOT / "data" / "bcf" / "printed_figures.csv",
            BUILTIN_ROOT / "data" / "bcf" / "printed_claims.csv",
            BUILTIN_ROOT / "data" / "dtoc" /
            "dtoc_delayed_days_by_responsible_org_2011-04_to_2019-12.csv",
            BUILTIN_ROOT / "data" / "dtoc" / "dtoc_delayed_days_by_reason_2011-04_to_2019-12.csv",
            BUILTIN_ROOT / "data" / "bcf" / "rotherham_schemes.csv",
            BUILTIN_ROOT / "data" / "bcf" / "ccg_hwb_mapping.csv",
            BUILTIN_ROOT / "data" / "bcf" / "template_answers.csv"),
    description=("Rotherham's BCF plan 2017-19 and planning template (HWB 20 September 2017, "
                 "items 15 and 15A) and Leicestershire's BCF s75 agreement (HWB 25 January 2018, "
                 "item 14)."),
)
