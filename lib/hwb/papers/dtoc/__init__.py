"""The Delayed Transfers of Care (DTOC) board paper: parameters, assembly and figures.

Two published papers are reproduced:

* Rotherham Health and Wellbeing Board, 20 September 2017, item 15 (BCF Plan
  2017-19): the planning template's tab 4.4 quarterly table (2016/17 actuals,
  2017/18-2018/19 plans), the expectation of 9.4 people delayed per 100,000
  adults by September 2017 and its split by responsible organisation, the
  "around 10 patients less delayed a day" gap, and the TRFT percentages;
* Leicestershire Health and Wellbeing Board, 25 January 2018, item 10 (DTOC
  performance): November 2017 delayed days, the monthly and per-day rates
  against the 6.84 target, and the NHS / social care / joint table.

The measure and its aggregation live in :mod:`hwb.sources.dtoc` (shared with the BCF
paper); this module holds what is particular to the paper: its parameter
model, the denominators a board used, and :func:`compute`, which records every
quoted figure and returns the tables and chart data the notebook shows.  With
no printed figures (a national run for any board) the same computation runs
and records the figures without comparisons.
"""

from __future__ import annotations

from hwb.papers.dtoc import known
from hwb.papers.dtoc.charts import (
    quarterly_chart,
    quarterly_chart_html,
    trend_chart,
    trend_chart_html,
)
from hwb.papers.dtoc.compute import (
    CLAIMS_FILE,
    LAYOUTS,
    NATIONAL_AMBITION,
    Denominators,
    Layout,
    Results,
    claims_evidence,
    compute,
    denominators,
    layout,
    own_year,
    period_label,
    prefix,
    quarter_id,
    shipped_vintages,
    small_area_18plus,
)
from hwb.papers.dtoc.neighbours import Neighbours, compute_neighbours, neighbours_html
from hwb.papers.dtoc.params import PER, DtocParams, from_namespace
from hwb.papers.dtoc.reasons import (
    Reasons,
    compute_reasons,
    reason_chart_html,
    reasons_words,
)
from hwb.papers.dtoc.text import (
    DEFINITIONS,
    caveats_markdown,
    claims_check,
    data_quality_markdown,
    key_messages,
    methods_markdown,
    record_check_summary,
    trend_words,
)
from hwb.protocol import BUILTIN_ROOT, Paper
from hwb.sources import cipfa, dtoc, population_by_year
from hwb.sources import population as ons_population

__all__ = [
    "CLAIMS_FILE", "DEFINITIONS", "INPUTS", "LAYOUTS", "NATIONAL_AMBITION", "PAPER", "PER",
    "Denominators", "DtocParams", "Layout", "Reasons", "Results", "caveats_markdown",
    "claims_check", "compute_reasons", "reason_chart_html", "reasons_words", "Neighbours",
    "compute_neighbours", "neighbours_html",
    "claims_evidence", "compute", "data_quality_markdown", "denominators", "dtoc",
    "from_namespace", "key_messages", "known", "layout", "methods_markdown", "own_year",
    "period_label", "prefix", "quarter_id", "quarterly_chart", "quarterly_chart_html",
    "record_check_summary", "shipped_vintages", "small_area_18plus", "trend_chart",
    "trend_chart_html", "trend_words", "rehearse", "warm",
]

INPUTS = (
    BUILTIN_ROOT / "data" / dtoc.RESPONSIBLE_FILE,
    BUILTIN_ROOT / "data" / dtoc.REASON_FILE,
    BUILTIN_ROOT / "data" / dtoc.PRINTED_POPULATION_FILE,
    BUILTIN_ROOT / "data" / ons_population.FILES["utla"],
    BUILTIN_ROOT / "data" / cipfa.FILE,
    BUILTIN_ROOT / "data" / population_by_year.MYE_FILE,
    BUILTIN_ROOT / "data" / population_by_year.MYEB3_FILE,
    BUILTIN_ROOT / "data" / population_by_year.COUNTY_FILE,
)

def warm() -> None:
    """Parse the national series once, in the process kernels are forked from, and draw one
    chart of each kind the appendix draws (:func:`hwb.toolkit.charts.warm`: fonts loaded,
    common text sizes measured)."""
    from hwb.toolkit import charts

    dtoc.load_series()
    dtoc.load_reasons()
    charts.warm()


def rehearse() -> None:
    """Build Rotherham's September 2017 appendix once in the zygote, outputs thrown away
    (:func:`hwb.toolkit.notebook.rehearse`)."""
    from hwb.toolkit import notebook

    notebook.rehearse(PAPER, "rotherham-2017-09.yaml")


PAPER = Paper(
    name="dtoc",
    title="Delayed transfers of care",
    notebook=BUILTIN_ROOT / "notebooks" / "dtoc.ipynb",
    params_model=DtocParams,
    params_dir=BUILTIN_ROOT / "params" / "dtoc",
    printed=BUILTIN_ROOT / "data" / "dtoc" / "printed_figures.csv",
    inputs=INPUTS,
    check=dtoc.check_params,
    warm=warm,
    rehearse=rehearse,
    description=("Delayed days of patients aged 18+ by local authority of residence, by "
                 "responsible organisation, as rates per 100,000 per period and per day, "
                 "against the Better Care Fund plan and NHS England's target."),
)
