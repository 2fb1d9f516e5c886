"""The falls appendix's tables and charts, each built from one :class:`FallsAnalysis`.

Each function returns the displayed object (:func:`hwb.toolkit.charts.table` or
:func:`hwb.toolkit.charts.chart`); the notebook records the figures and calls these.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from hwb.fmt import format_number
from hwb.toolkit import charts
from hwb.toolkit.change_chart import national_chart as change_chart

from . import (
    COUNT_METHODS,
    COUNT_WORDS,
    COUNTERFACTUAL_WORDS,
    UNIT_COST_WORDS,
    FallsAnalysis,
    FallsParams,
    prices,
)
from .text import SRC_RATES, SRC_TORBAY, money, source_paper

AVOIDED_COLUMNS = {
    "period": "Year", "expected": "Expected", "observed": "Observed",
    "observed_lower": "Observed, low", "observed_upper": "Observed, high",
    "avoided": "Avoided", "avoided_low": "Avoided, low", "avoided_high": "Avoided, high",
}
"""The columns of the admissions-avoided chart's data table, in words."""


def avoided_years(A: FallsAnalysis) -> pd.DataFrame:
    """Admissions avoided by year, the claim's years then the later years (no total rows)."""
    return pd.concat(
        [
            A.avoided[A.avoided["period"] != "Total"],
            A.avoided_later[A.avoided_later["period"] != "Total"],
        ]
        if len(A.avoided_later)
        else [A.avoided[A.avoided["period"] != "Total"]]
    )


def rates_chart(P: FallsParams, rates: pd.DataFrame,
                shaded: str = "the years of the claim", alt: str | None = None,
                data: pd.DataFrame | None = None) -> object:
    """The area's standardised rate and the comparator's, every shipped year (a line chart).

    ``rates`` has ``period, area, comparator`` (see :class:`hwb.papers.falls.board.BoardFalls`);
    ``alt`` and ``data``, when given, are the description and the chart's data table (with
    recorded figures: :mod:`hwb.papers.falls.traced`), else both are made from ``rates``.
    """
    rates_long = rates.melt(id_vars="period", var_name="series", value_name="dsr")
    rates_long["series"] = rates_long["series"].map(
        {"area": P.area_name, "comparator": P.comparator_name}
    )
    fig1, ax1 = plt.subplots()
    for series_i, (series_name, series_df) in enumerate(rates_long.groupby("series", sort=False)):
        ax1.plot(
            series_df["period"],
            series_df["dsr"],
            label=series_name,
            linestyle=charts.LINESTYLES[series_i],
            marker=charts.MARKERS[series_i],
            color=charts.PALETTE[series_i],
        )
    ax1.axvspan(P.evaluation_years[0], P.evaluation_years[-1], color="#eeeeee", zorder=0)
    ax1.set_ylabel("per 100,000 aged 65+ (age-standardised)")
    ax1.set_ylim(0, None)
    charts.label_lines(ax1, 0)
    ax1.tick_params(axis="x", rotation=45)
    return charts.chart(
        fig1,
        f"Emergency admissions for falls, aged 65+, per 100,000 (age-standardised): "
        f"{P.area_name} and {P.comparator_name} (shaded: {shaded})",
        SRC_RATES,
        alt if alt is not None else charts.describe_groups(
            "Line chart",
            "emergency admissions for falls per 100,000 aged 65+",
            rates_long,
            "period",
            "dsr",
            "series",
            decimals=0,
        ),
        data=(rates if data is None else data).rename(
            columns={"period": "Year", "area": P.area_name, "comparator": P.comparator_name}
        ),
        data_decimals=0,
    )


def rate_intervals_table(A: FallsAnalysis, ri: object, figures: dict | None = None) -> object:
    """Rate intervals table of the falls appendix.

    ``figures``, when given, holds the recorded figure of each number: column (``count, dsr,
    lower, upper``) to year to figure; the table shows them, marked.
    """
    P = A.params
    SRC_PAPER = source_paper(P)

    def col(name: str) -> list[object]:
        if figures is not None:
            return [figures[name].get(y, float("nan")) for y in ri["period"]]
        return [format_number(v, 0) for v in ri[name]]

    return charts.table(
        pd.DataFrame(
            {
                "Year": ri["period"],
                "Admissions (printed)": col("count"),
                "Rate per 100,000": col("dsr"),
                f"Lower {P.confidence:.0%}": col("lower"),
                f"Upper {P.confidence:.0%}": col("upper"),
                "Method": ri["method"],
            }
        ),
        f"Standardised rates of emergency admissions for falls aged 65+, {P.area_name}, with "
        "intervals in the years whose count was printed",
        f"{SRC_RATES}; {SRC_PAPER}",
        notes=[
            "Dobson's method needs the counts by age, which are not shipped: the rate's variance "
            "is taken as rate squared over the count, so the limits are the rate times Byar's "
            "limits on the count over the count (approximate)."
        ],
    )


def counts_table(A: FallsAnalysis, figures: dict | None = None) -> object:
    """Counts table of the falls appendix.

    ``figures``, when given, holds the recorded figures: column (``dsr, count, count_low,
    count_high``) to year to figure; the table shows them, marked.
    """
    P = A.params
    SRC_PAPER = source_paper(P)
    ct = A.counts[A.counts["period"].isin([P.baseline_year, *P.evaluation_years, *P.later_years])]

    def col(name: str) -> list[object]:
        if figures is not None:
            return [figures[name].get(y, float("nan")) for y in ct["period"]]
        return [format_number(v, 0) for v in ct[name]]

    return charts.table(
        pd.DataFrame(
            {
                "Year": ct["period"],
                "Rate per 100,000": col("dsr"),
                "Admissions (central)": col("count"),
                "Low": col("count_low"),
                "High": col("count_high"),
                "Source": ct["source"],
                "How": ct["basis"],
            }
        ),
        f"Emergency admissions for falls aged 65+, {P.area_name}: printed and estimated counts",
        f"{SRC_PAPER} (printed counts); {SRC_RATES}; the BCF planning template's 65+ population "
        "(later years)",
        notes=[
            "Estimated counts are rate x effective denominator; the low and high columns combine "
            "the interpolation range and the rates' rounding to whole numbers."
        ],
    )


def unit_costs_table(A: FallsAnalysis, figures: dict | None = None) -> object:
    """Unit costs table of the falls appendix.

    ``figures``, when given, holds the recorded figures: column (``per_person,
    per_person_low, per_person_high, priced``) to basis to figure; the table shows them.
    """
    P = A.params

    def col(name: str, values: object) -> list[object]:
        if figures is not None:
            return [figures[name][b] for b in A.costs["basis"]]
        return [format_number(v, 0, "GBP") for v in values]  # type: ignore[attr-defined]

    return charts.table(
        pd.DataFrame(
            {
                "Unit cost": A.costs["label"],
                "Torbay total": [format_number(v, 2, "GBP") + "m" for v in A.costs["total_gbp_m"]],
                "Per person": col("per_person", A.costs["per_person"]),
                "Low": col("per_person_low", A.costs["per_person_low"]),
                "High": col("per_person_high", A.costs["per_person_high"]),
                f"Per person, {P.price_year} prices": col("priced", A.costs_priced["per_person"]),
                "Formula": A.costs["formula"],
            }
        ),
        "Candidate unit costs per fall admission from the Torbay cohort",
        f"{SRC_TORBAY}; {prices.DEFLATOR_SOURCE}",
        notes=[
            "Each Torbay total is printed to £0.1m, so the low and high columns carry ±£0.05m on "
            f"each total used. Costs are in the study's own {A.torbay_price_year} prices except "
            f"the last column, moved to {P.price_year} prices with the GDP deflator "
            f"(x {A.cost_factor:.4f}; {prices.CONVENTION}). The rebuild of the claim uses "
            "the study's own prices, as the paper did; the defensible estimate uses "
            f"{P.price_year} prices throughout."
        ],
    )


def claim_sensitivity_table(
    A: FallsAnalysis, claim_total_printed: object, claim_annual_printed: object
) -> object:
    """Claim sensitivity table of the falls appendix."""
    P = A.params
    SRC_PAPER = source_paper(P)
    sm = A.summary
    return charts.table(
        pd.DataFrame(
            {
                "Arithmetic": sm["count_method"].map(COUNT_WORDS),
                "Unit cost": sm["basis"].map(UNIT_COST_WORDS),
                "Total (£m), range": [
                    f"{format_number(a, 1)} to {format_number(b, 1)}"
                    for a, b in zip(sm["total_min"], sm["total_max"], strict=True)
                ],
                "Annual (£m), range": [
                    f"{format_number(a, 2)} to {format_number(b, 2)}"
                    for a, b in zip(sm["annual_min"], sm["annual_max"], strict=True)
                ],
                "Reproduce total": sm["n_total"],
                "Reproduce annual": sm["n_annual"],
                "Reproduce both": sm["n_both"],
            }
        ),
        f"Sensitivity: the printed total (£{claim_total_printed}m) and annual average "
        f"(£{claim_annual_printed}m) against each arithmetic and unit cost",
        f"hwb recomputation from {SRC_RATES}; {SRC_TORBAY}; {SRC_PAPER}",
        notes=[
            "Each row spans the central, low and high count estimates and the low, central and "
            "high unit cost; the last three columns count how many of those combinations round "
            "to each printed figure (hwb.toolkit.checks.compare).",
            "Arithmetic: " + "; ".join(f"{COUNT_WORDS[k]}: {v}" for k, v in COUNT_METHODS.items())
            + ".",
        ],
    )


def joint_fits_table(A: FallsAnalysis) -> object:
    """Joint fits table of the falls appendix."""
    fits = A.sensitivity[A.sensitivity["both"]]
    shown = fits if len(fits) else A.sensitivity.head(0)
    return charts.table(
        pd.DataFrame(
            {
                "Combination": shown["candidate"],
                "Falls prevented": [format_number(v, 0) for v in shown["falls_prevented"]],
                "Unit cost": [format_number(v, 0, "GBP") for v in shown["unit_cost"]],
                "Total (£m)": [format_number(v, 2) for v in shown["total"]],
                "Annual (£m)": [format_number(v, 2) for v in shown["annual"]],
            }
        ),
        "The combinations that reproduce both printed figures",
        "hwb recomputation",
        notes=[
            "No combination reproduces both."
            if fits.empty
            else "Only these combinations round to both printed figures; each sits where the "
            "rounding of the inputs allows, so the printed saving rests on them."
        ],
    )


def avoided_chart(A: FallsAnalysis, alt: str | None = None) -> object:
    """Avoided chart of the falls appendix (``alt``, when given, is its description)."""
    P = A.params
    SRC_PAPER = source_paper(P)
    av = avoided_years(A)
    fig2, ax2 = plt.subplots()
    xs = np.arange(len(av))
    ax2.plot(
        xs,
        av["expected"],
        label="expected (counterfactual)",
        linestyle="--",
        marker="s",
        color=charts.PALETTE[0],
    )
    ax2.errorbar(
        xs,
        av["observed"],
        yerr=[av["observed"] - av["observed_lower"], av["observed_upper"] - av["observed"]],
        label="observed (printed or estimated)",
        linestyle="-",
        marker="o",
        color=charts.PALETTE[1],
        capsize=3,
    )
    ax2.set_xticks(xs, av["period"])
    ax2.set_ylim(0, None)
    ax2.set_ylabel("emergency admissions for falls, 65+")
    ax2.legend(loc="lower left", frameon=False)
    av_long = av.melt(
        id_vars="period",
        value_vars=["expected", "observed"],
        var_name="series",
        value_name="admissions",
    )
    return charts.chart(
        fig2,
        f"Admissions for falls aged 65+ in {P.area_name}: observed against the "
        f"counterfactual ({COUNTERFACTUAL_WORDS[P.counterfactual_method]}, comparator "
        f"{P.comparator_name})",
        f"hwb recomputation from {SRC_RATES} and {SRC_PAPER}",
        alt if alt is not None else charts.describe_groups(
            "Line chart",
            "admissions for falls aged 65+",
            av_long,
            "period",
            "admissions",
            "series",
            decimals=0,
        ),
        data=av[list(AVOIDED_COLUMNS)].rename(columns=AVOIDED_COLUMNS),
        data_decimals=0,
    )


def avoided_table(A: FallsAnalysis, figures: dict | None = None) -> object:
    """Avoided table of the falls appendix.

    ``figures``, when given, holds the recorded figure of each cell: column (``expected,
    observed, avoided, avoided_low, avoided_high``) to year to figure, and ``total`` to
    column to figure; the table shows them (marked) instead of formatted numbers.
    """
    P = A.params
    SRC_PAPER = source_paper(P)
    years_txt = f"{P.evaluation_years[0]} to {P.evaluation_years[-1]}"
    av = avoided_years(A)
    conf_txt = format_number(P.confidence * 100, 0) + "%"
    method_txt = str(A.avoided["method"].iloc[0])

    def col(name: str) -> list[object]:
        if figures is not None:
            return [figures[name].get(y, float("nan")) for y in av["period"]] + [
                figures["total"][name]]
        return [format_number(v, 0) for v in av[name]] + [
            format_number(A.avoided.iloc[-1][name], 0)]

    return charts.table(
        pd.DataFrame(
            {
                "Year": av["period"].tolist() + ["Total, " + years_txt],
                "Expected": col("expected"),
                "Observed": col("observed"),
                "Avoided": col("avoided"),
                "Low": col("avoided_low"),
                "High": col("avoided_high"),
            }
        ),
        f"Admissions avoided against the counterfactual, by year ({conf_txt} intervals, "
        f"{method_txt})",
        f"hwb recomputation from {SRC_RATES} and {SRC_PAPER}",
        notes=[
            f"Low and high combine {conf_txt} Poisson intervals ({method_txt}) on the observed "
            "count (over its estimation range) and on the pre-period count; together they are "
            "wider than one interval at that level.",
            "The total row covers the years of the claim only; later years are shown for context.",
        ],
    )


def scenarios_table(A: FallsAnalysis, figures: dict | None = None) -> object:
    """Scenarios table of the falls appendix.

    ``figures``, when given, holds the recorded figures: (``claim`` or ``later``, scenario)
    to column (``admissions_avoided, unit_cost, gross, service_cost, net``; money in £m) to
    figure; the table shows them, marked.
    """
    P = A.params
    years_txt = f"{P.evaluation_years[0]} to {P.evaluation_years[-1]}"
    scen_tables = [("claim", "Claim years " + years_txt, A.scenarios)]
    if len(A.scenarios_later):
        scen_tables.append(
            ("later", f"Later years {P.later_years[0]} to {P.later_years[-1]}",
             A.scenarios_later)
        )

    def row(key: str, label: str, r: pd.Series) -> dict[str, object]:
        if figures is not None:
            f = figures[(key, r["scenario"])]
            return {"Years": label, "Scenario": r["scenario"],
                    "Admissions avoided": f["admissions_avoided"], "Unit cost": f["unit_cost"],
                    "Gross (£m)": f["gross"], "Service cost (£m)": f["service_cost"],
                    "Net (£m)": f["net"]}
        return {"Years": label, "Scenario": r["scenario"],
                "Admissions avoided": format_number(r["admissions_avoided"], 0),
                "Unit cost": format_number(r["unit_cost"], 0, "GBP"),
                "Gross": money(r["gross"], 2), "Service cost": money(r["service_cost"], 2),
                "Net": money(r["net"], 2)}

    return charts.table(
        pd.DataFrame([row(key, label, r) for key, label, df in scen_tables
                      for _, r in df.iterrows()]),
        f"Savings from admissions avoided, low / central / high, {P.price_year} prices",
        f"hwb recomputation; {SRC_TORBAY}; {P.falls_service_cost_source}",
        notes=[
            "Low takes the low ends of admissions avoided and of the unit cost; high the high "
            "ends. The service's cost is the same in every scenario (an assumption)."
        ],
    )


def estimate_sensitivity_table(A: FallsAnalysis) -> object:
    """Estimate sensitivity table of the falls appendix."""
    P = A.params
    es = A.estimate_sensitivity
    years_txt = f"{P.evaluation_years[0]} to {P.evaluation_years[-1]}"
    return charts.table(
        pd.DataFrame(
            {
                "Counterfactual": es["counterfactual_method"].map(COUNTERFACTUAL_WORDS),
                "Unit cost": es["basis"].map(UNIT_COST_WORDS),
                "Admissions avoided": [
                    f"{format_number(c, 0)} ({format_number(lo, 0)} to {format_number(hi, 0)})"
                    for c, lo, hi in zip(
                        es["admissions_avoided"], es["avoided_low"], es["avoided_high"], strict=True
                    )
                ],
                "Net saving": [
                    f"{money(c)} ({money(lo)} to {money(hi)})"
                    for c, lo, hi in zip(es["net"], es["net_low"], es["net_high"], strict=True)
                ],
                "This appendix's choice": ["yes" if c else "" for c in es["chosen"]],
            }
        ),
        f"Net saving {years_txt} under each counterfactual and unit cost (central, with low to "
        f"high), {P.price_year} prices",
        f"hwb recomputation; {SRC_TORBAY}",
        notes=[
            "Gross unit costs (the admission plus the 12 months after, or the 12 months after) "
            "count care the person would have had anyway; the incremental cost does not."
        ],
    )


def assumptions_table(al: pd.DataFrame) -> object:
    """The assumptions log (``id, assumption, applies_to, basis, quality, impact``) as a table."""
    return charts.table(
        al.rename(
            columns={
                "id": "Id",
                "assumption": "Assumption",
                "applies_to": "Applies to",
                "basis": "Basis",
                "quality": "Quality (RAG)",
                "impact": "Impact (RAG)",
            }
        ),
        "Assumptions log, rated red / amber / green for quality of evidence and impact",
        "hwb",
        notes=[
            "Quality: green = cited data used as published; amber = derived from "
            "cited data; red = assumed. Impact: red = could change the saving's "
            "sign or order of magnitude; amber = tens of per cent; green = a few "
            "per cent. Ratings are words, not colours."
        ],
    )


def rate_change_facts(P: FallsParams, by_year: pd.Series) -> tuple[float, bool, bool | None]:
    """The rate's change over the evaluation years, whether one year's step is more than half
    of it, and whether the next year with a rate turned back (None when there is none).

    Examples
    --------
    >>> P = FallsParams(area_code="E08000018", period="2012/13-2013/14")
    >>> rate_change_facts(P, pd.Series({"2011/12": 2407.0, "2012/13": 1621.0,
    ...                                 "2013/14": 1595.0, "2014/15": 1961.0}))
    (-812.0, True, True)
    """
    years = [P.baseline_year, *P.evaluation_years]
    base, final = float(by_year[years[0]]), float(by_year[years[-1]])
    change = final - base
    steps = [float(by_year[b]) - float(by_year[a]) for a, b in zip(years, years[1:], strict=False)]
    sign = 1 if change > 0 else -1
    single = bool(change) and len(steps) > 1 and max(x * sign for x in steps) > abs(change) / 2
    later = [y for y in P.later_years if y in by_year.index and pd.notna(by_year[y])]
    if not later or not change:
        return change, single, None
    return change, single, (float(by_year[later[0]]) - final) * sign < 0


def rate_change_template(P: FallsParams, by_year: pd.Series) -> str:
    """The sentence on how the rate moved, worded from the rates (a :meth:`Recorder.say` template).

    Uses the figures ``rate_baseline``, ``rate_final`` and, when a later year has a rate,
    ``rate_next``.  "Most of the fall came in a single year" when one year's step is more
    than half the change from the baseline to the last evaluation year.

    Examples
    --------
    >>> P = FallsParams(area_code="E08000018", period="2012/13-2013/14")
    >>> r = pd.Series({"2011/12": 2407.0, "2012/13": 1621.0, "2013/14": 1595.0,
    ...                "2014/15": 1961.0})
    >>> rate_change_template(P, r)[-71:]
    'a single year, and the rate rose again to {rate_next} in the next year.'
    """
    change, single, reversed_ = rate_change_facts(P, by_year)
    word = "fell" if change < 0 else "rose" if change > 0 else "was unchanged"
    noun = "fall" if change < 0 else "rise"
    clauses = []
    if single:
        clauses.append(f"most of the {noun} came in a single year")
    if reversed_ is not None:
        again = ("rose again" if change < 0 else "fell again") if reversed_ else "was"
        clauses.append(f"the rate {again} {'to ' if again != 'was' else ''}{{rate_next}} in "
                       "the next year")
    text = (f"{P.area_name}'s rate {word} from {{rate_baseline}} per 100,000 in "
            f"{P.baseline_year} to {{rate_final}} in {P.evaluation_years[-1]}")
    return text + ("; " + ", and ".join(clauses) if clauses else "") + "."


def national_chart(P: FallsParams, nat: pd.DataFrame, alt: str | None = None) -> object:
    """Every district's and unitary authority's change in the rate, the area highlighted
    (``alt``, when given, replaces the chart's own description)."""
    fig, own = change_chart(nat, P.area_code, P.area_name, P.comparator_name, P.national_start,
                            P.national_end)
    alt = own if alt is None else alt
    return charts.chart(
        fig,
        f"Change in the rate of emergency admissions for falls aged 65+, {P.national_start} to "
        f"{P.national_end}, every district and unitary authority"
        + (f" ({P.area_name} highlighted)" if (nat["area_code"] == P.area_code).any() else ""),
        SRC_RATES, alt,
        data=nat[["area_name", "dsr_start", "dsr_end", "pct_change", "rank"]].rename(
            columns={"area_name": "Area", "dsr_start": P.national_start,
                     "dsr_end": P.national_end, "pct_change": "% change", "rank": "Rank"}),
        data_decimals=1)


def neighbours_table(P: FallsParams, nb: pd.DataFrame, vintage: str,
                     figures: dict | None = None) -> object:
    """The area and its comparable councils: the rate in two years and its change.

    ``figures``, when given, holds the recorded figures: column (``dsr_start, dsr_end,
    pct_change``) to area code to figure; the table shows them, marked.
    """
    def num(v: float, d: int) -> str:
        return "" if pd.isna(v) else format_number(v, d)

    def col(name: str, d: int) -> list[object]:
        if figures is not None:
            return [figures[name].get(c, "") for c in nb["area_code"]]
        return [num(v, d) for v in nb[name]]

    return charts.table(
        pd.DataFrame({
            "Council": [f"{n} (this board)" if a else n
                        for n, a in zip(nb["area_name"], nb["is_area"], strict=True)],
            P.national_start: col("dsr_start", 0),
            P.national_end: col("dsr_end", 0),
            "% change": col("pct_change", 1),
            "Note": nb["note"],
        }),
        f"Emergency admissions for falls aged 65+ per 100,000 (age-standardised), "
        f"{P.area_name} and its comparable councils, {P.national_start} to {P.national_end}",
        f"{SRC_RATES}; {vintage.rstrip('.')}",
        notes=["Comparable councils are CIPFA's nearest neighbours, a model of a later year "
               "than these rates (named in the source line): councils alike now, not "
               "necessarily then. A blank cell has no rate in the shipped file; the note "
               "says why."])


def standard_avoided_table(P: FallsParams, av: pd.DataFrame,
                           figures: dict | None = None) -> object:
    """Admissions at the standard age mix: expected, observed and avoided, by year.

    ``figures``, when given, holds the recorded figure of each cell (column to year to
    figure, ``total`` to column to figure); the table shows them, marked.
    """
    years = f"{P.evaluation_years[0]} to {P.evaluation_years[-1]}"
    body = av[av["period"] != "Total"]
    total = av[av["period"] == "Total"].iloc[0]
    totals = ("expected", "observed", "avoided")

    def col(name: str, d: int = 0) -> list[object]:
        if figures is not None:
            return [figures[name].get(y, float("nan")) for y in body["period"]] + [
                figures["total"][name] if name in totals else ""]
        return [format_number(v, d) for v in body[name]] + (
            [format_number(total[name], d)] if name in totals else [""])

    return charts.table(
        pd.DataFrame({
            "Year": body["period"].tolist() + ["Total, " + years],
            "Rate": col("dsr_observed"),
            "Counterfactual rate": col("dsr_expected"),
            "Population 65+": col("population"),
            "Expected": col("expected"),
            "Observed": col("observed"),
            "Avoided": col("avoided"),
        }),
        f"Admissions for falls aged 65+ in {P.area_name} at the standard age mix: observed "
        f"against the counterfactual ({COUNTERFACTUAL_WORDS[P.counterfactual_method]}, "
        f"comparator {P.comparator_name})",
        f"hwb recomputation from {SRC_RATES}; population: "
        + "; ".join(sorted(set(body["vintage"]))),
        notes=["Rates are per 100,000 aged 65+, directly standardised. Expected and observed are "
               "the counterfactual rate and the rate times the year's ONS 65+ population: "
               "admissions as if the area's 65+ population had the European standard age mix. "
               "The true count differs by the ratio of the crude to the standardised rate, "
               "which needs the counts the shipped file does not carry; so there are no "
               "intervals. A negative number avoided is an excess."])


def board_key_messages(P: FallsParams, figures: dict, board: object) -> str:
    """The key messages of a board without a printed claim (a :meth:`Recorder.say` template)."""
    if "rate_final" not in figures:
        if "districts_n" in figures:  # a shire county: its districts' rates
            from .districts import key_messages

            return key_messages(P, figures)
        return "- " + str(getattr(board, "no_rates", "")) + "\n"
    lines = [_rate_line(P, figures)]
    if "area_pct_change" in figures:
        lines.append(f"{P.area_name}'s rate changed by {{area_pct_change}} from "
                     f"{P.national_start} to {P.national_end}, against "
                     f"{{comparator_pct_change}} for {P.comparator_name}.")
    if "neighbours_median_change" in figures:
        lines.append("Among its comparable councils with published rates "
                     "({neighbours_with_rates}), the median change was "
                     "{neighbours_median_change}.")
    if "avoided_standard_mix" in figures:
        word = "fewer" if figures["avoided_standard_mix"].value >= 0 else "more"
        lines.append(f"Assuming the difference was caused by a local change (nothing here shows "
                     f"what caused it), and at the standard age mix, the area had about "
                     f"{{avoided_standard_mix_size}} {word} admissions over "
                     f"{P.evaluation_years[0]} to {P.evaluation_years[-1]} than if its rate had "
                     f"followed {P.comparator_name}'s trend; a standardised rate is not a crude "
                     "rate, so this is an approximation without an interval.")
    return "".join(f"- {x}\n" for x in lines)


def _rate_line(P: FallsParams, figures: dict) -> str:
    """The rate's change over the evaluation years, as a key message."""
    return (f"The standardised rate of emergency admissions for falls aged 65+ in {P.area_name} "
            f"went from {{rate_baseline}} per 100,000 in {P.baseline_year} to {{rate_final}} in "
            f"{P.evaluation_years[-1]}.")

