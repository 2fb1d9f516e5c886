"""The falls summary's tables and charts: the league table (names linking to each board's
appendix), the funnel plot and England's trend, each chart with its description made of
recorded figures (:meth:`hwb.toolkit.figures.Recorder.describe`)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from hwb.fmt import format_number
from hwb.papers.falls.england.compute import (
    FUNNEL_VARIANT,
    KINDS,
    SIGNIFICANCE_WORDS,
    Results,
    fid,
)
from hwb.papers.falls.params import fy_start
from hwb.sources import phof_falls
from hwb.toolkit.figures import Figure, Recorder
from hwb.toolkit.summary import Html, link_rows

AGAINST = "Against England (funnel)"
"""The league table's column of funnel positions."""
BENCHMARK = "Against England (Fingertips)"
"""The league table's column of Fingertips' published comparison."""


def source(res: Results) -> str:
    """The source line of the table and charts."""
    return (f"Public Health Outcomes Framework indicator 2.24i, Fingertips "
            f"(data/{phof_falls.NATIONAL_FILE})")


def funnel_source(res: Results) -> str:
    """The funnel's source line: the rates and the population estimates."""
    from hwb.sources import population_by_year

    return (f"{source(res)}; population aged 65+: {res.vintage} "
            f"(data/{population_by_year.MYE_FILE})")


def display_table(rec: Recorder, res: Results) -> pd.DataFrame:
    """The league table as shown: recorded figures in every numeric cell, by rank."""
    def cell(code: str, what: str) -> Figure | str:
        f = rec.figures.get(fid(code, what))
        return f if f is not None else "[x]"

    rows = []
    for _, r in res.table.iterrows():
        c = str(r["area_code"])
        rows.append({
            "Board": str(r["area_name"]),
            "Rank": cell(c, "rank"),
            f"Rate {res.end}": cell(c, "dsr_end"),
            BENCHMARK: cell(c, "benchmark"),
            f"Rate {res.start}": cell(c, "dsr_start"),
            "Change (%)": cell(c, "pct_change"),
            AGAINST: SIGNIFICANCE_WORDS.get(str(r["significance"]), "not compared"),
        })
    return pd.DataFrame(rows)


def table_notes(res: Results) -> list[str]:
    """The league table's notes: what the rates are, and both comparisons with England."""
    return [
        "Rates: emergency admissions for falls, persons aged 65+, directly age-standardised "
        "to the European Standard Population 2013, per 100,000, as Fingertips publishes them "
        "(rounded to whole numbers in the shipped file). Rank 1 is the highest rate.",
        f"{BENCHMARK}: Fingertips' own comparison of the board's 95% confidence interval with "
        "England's value (lower, similar or higher; a lower rate is better). The intervals "
        "themselves are not in the shipped file, and no counts are, so they cannot be "
        "recomputed here.",
        f"Change: from {res.start} (the year before the period) to {res.end}.",
        f"{AGAINST}: where the rate lies against funnel limits adjusted for overdispersion "
        "around England's rate (see the funnel plot; approximate, as the counts are not "
        "shipped).",
    ]


def league_table(rec: Recorder, res: Results) -> Html:
    """The league table, each board's name linking to its appendix when it exists."""
    from hwb.toolkit import charts

    body = charts.table(display_table(rec, res), f"Emergency admissions for falls aged 65+ "
                        f"by Health and Wellbeing Board, {res.end}, with the change from "
                        f"{res.start}, ranked by rate", source(res), notes=table_notes(res)).text
    return link_rows(body, res.links)


def coverage_table(res: Results) -> pd.DataFrame:
    """The boards without rates for the period, with the reason each has (from
    :func:`hwb.papers.falls.board.coverage`) and its kind."""
    miss = res.coverage[~res.coverage["covered"]]
    return pd.DataFrame({"Board": miss["area_name"].to_numpy(),
                         "ONS code": miss["area_code"].to_numpy(),
                         "Kind": [KINDS[k] for k in miss["kind"]],
                         "Why there are no rates": miss["reason"].to_numpy()})


def show_coverage(res: Results) -> Html:
    """The coverage table, each board linking to its appendix when one was built."""
    from hwb.toolkit import charts

    body = charts.table(coverage_table(res), f"Health and Wellbeing Boards without published "
                        f"falls rates for {res.period} (every year its appendix needs)",
                        source(res)).text
    return link_rows(body, res.links)


def funnel_chart(rec: Recorder, res: Results) -> tuple[Any, Any, pd.DataFrame]:
    """Funnel plot of the boards' rates against the admissions expected at England's rate,
    its description and data.

    The chart is :func:`hwb.toolkit.spc_chart.funnel_chart` of the funnel frame: x is each
    board's expected admissions (population aged 65+ x England's rate / 100,000, the
    standard age mix), y its rate, with the 95% and 99.8% limits used.

    Returns
    -------
    (matplotlib Figure, Description, DataFrame)
    """
    from hwb.toolkit.spc_chart import funnel_chart as draw

    t, od = res.table, res.od
    la = t[t["significance"] != "Not compared"]
    fig = draw(res.funnel, od, f"Falls admissions per 100,000 aged 65+, {res.end}, around "
               f"England's {format_number(res.england, 0)}",
               "Falls admissions per 100,000 aged 65+ (standardised)",
               multiplier=res.england, variant=FUNNEL_VARIANT,
               x_label=f"Admissions expected at England's rate (population aged 65+, "
                       f"mid-{fy_start(res.end)}, at the standard age mix)")
    f, s = res.funnel_figures, res.summary
    alt = rec.describe(
        "Funnel plot of the directly standardised falls rate in {end} against the admissions "
        "expected at England's rate (population aged 65+ at the standard age mix) for {n} "
        "boards, around England's rate of {eng}, with 95% limits and 99.8% "
        "limits adjusted for overdispersion (phi = {phi}, tau² = {tau2}). {within} boards are "
        "within the 95% limits, {hi95} above and {lo95} below the 95% limits only, {hi99} "
        "above and {lo99} below the 99.8% limits. Rates range from {lo} ({lo_name}) to {hi} "
        "({hi_name}).",
        end=res.end, n=f["n"], eng=s["eng_end"], phi=f["phi"], tau2=f["tau2"],
        within=f["sig_not_significant"], hi95=f["sig_high_0_025"], lo95=f["sig_low_0_025"],
        hi99=f["sig_high_0_001"], lo99=f["sig_low_0_001"], lo=s["lowest"],
        lo_name=s["lowest_name"], hi=s["highest"], hi_name=s["highest_name"])
    data = pd.DataFrame({
        "Board": la["area_name"].to_numpy(),
        "Aged 65+": [rec[fid(c, "population_65plus")] for c in la["area_code"]],
        "Expected at England's rate": [format_number(v, 0) for v in la["expected"]],
        f"Rate {res.end}": [rec[fid(c, "dsr_end")] for c in la["area_code"]],
        "Against England": [SIGNIFICANCE_WORDS[str(v)] for v in la["significance"]],
        "_pop": la["population"].to_numpy(),
    }).sort_values("_pop", kind="stable").drop(columns="_pop").set_index("Board")
    return fig, alt, data


def trend_chart(rec: Recorder, res: Results) -> tuple[Any, Any, pd.DataFrame]:
    """England's rate by year, its description and data (the period's years shaded)."""
    import matplotlib.pyplot as plt

    from hwb.toolkit.charts import PALETTE, label_lines

    m = res.trend
    x = list(m["period"])
    fig, ax = plt.subplots(figsize=(8, 4.2))
    ax.plot(x, m["dsr"], color=PALETTE[0], marker="o", linewidth=2, label="England")
    if res.start in x and res.end in x:
        ax.axvspan(x.index(res.start), x.index(res.end), color=PALETTE[4], alpha=0.12,
                   label=f"{res.start} to {res.end}")
    label_lines(ax, decimals=0)
    ax.set_ylim(0, float(m["dsr"].max()) * 1.15)
    ax.set_xlim(-0.5, len(x) - 0.2)
    ax.set_ylabel("Falls admissions per 100,000 aged 65+ (standardised)")
    ax.set_xlabel("Financial year")
    ax.legend(loc="lower right", frameon=False, fontsize=9)
    tf = res.trend_figures
    alt = rec.describe(
        "Line chart of England's directly standardised rate of emergency admissions for falls "
        "aged 65+, {first_year} to {last_year}: {first} in {first_year}, {last} in "
        "{last_year}; the lowest {lo} in {lo_year}, the highest {hi} in {hi_year}. The years "
        "from {start} to {end} are shaded.",
        first_year=x[0], last_year=x[-1], first=tf["first"], last=tf["last"], lo=tf["lowest"],
        lo_year=tf["lowest_year"], hi=tf["highest"], hi_year=tf["highest_year"],
        start=res.start, end=res.end)
    data = pd.DataFrame({"Year": x, "England": [tf[f"year.{y}"] for y in x]}).set_index("Year")
    return fig, alt, data
