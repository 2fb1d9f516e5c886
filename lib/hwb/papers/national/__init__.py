"""The national summary paper: DTOC for every Health and Wellbeing Board in one month.

A league table of every upper-tier local authority's delayed days for a month
(rates per 100,000 aged 18+ per month and per day, each month over the ONS estimate of
its own mid-year, split by responsible organisation), a funnel plot of the rates against
England's with limits adjusted for overdispersion, England's monthly trend as an SPC
chart, and the falls context (the change in the falls rate for every district and
unitary authority against England).
Each board links to its own appendix, built by a national run
(:mod:`hwb.commands.national`).

The package is laid out as every paper's: :mod:`~hwb.papers.national.params` (the
parameter model and its data checks), :mod:`~hwb.papers.national.compute` (one function
per appendix section, every figure recorded), :mod:`~hwb.papers.national.charts` and
:mod:`~hwb.papers.national.text`; :mod:`~hwb.papers.national.falls_context` holds the
falls section, read through :mod:`hwb.sources.phof_falls` (shared with the falls paper,
which this paper does not import).
"""

from __future__ import annotations

from hwb.papers.national.charts import (
    SORTS,
    Html,
    display_table,
    funnel_chart,
    league_tables,
    link_rows,
    population_files,
    sources,
    trend_chart,
)
from hwb.papers.national.compute import (
    SIGNIFICANCE_WORDS,
    Results,
    compute,
    coverage,
    denominators,
    england_trend,
    fid,
    funnel_curves,
    funnel_of,
    league,
    link_for,
    links,
    month_denominators,
    record_coverage,
    vintage_words,
)
from hwb.papers.national.params import PER, NationalParams, check
from hwb.papers.national.text import (
    caveats_markdown,
    claims_check,
    coverage_words,
    falls_words,
    figures_check,
    funnel_words,
    key_messages,
    methods_markdown,
    quality_words,
    trend_words,
)
from hwb.protocol import BUILTIN_ROOT, Paper
from hwb.sources import dtoc, phof_falls, population_by_year

__all__ = [
    "PAPER", "PER", "SIGNIFICANCE_WORDS", "SORTS", "Html", "NationalParams", "Results",
    "caveats_markdown", "check", "claims_check", "compute", "coverage", "coverage_words",
    "denominators", "display_table", "dtoc", "england_trend", "falls_words", "fid",
    "figures_check", "funnel_chart", "funnel_curves", "funnel_of", "funnel_words",
    "key_messages", "league", "league_tables", "link_for", "link_rows", "links",
    "methods_markdown", "month_denominators", "population_files", "quality_words",
    "record_coverage", "sources", "trend_chart", "trend_words", "vintage_words",
]

PAPER = Paper(
    name="national",
    title="Delayed transfers of care: every Health and Wellbeing Board in England",
    notebook=BUILTIN_ROOT / "notebooks" / "national.ipynb",
    params_model=NationalParams,
    params_dir=BUILTIN_ROOT / "params" / "national",
    inputs=tuple(BUILTIN_ROOT / "data" / f for f in (
        dtoc.RESPONSIBLE_FILE, dtoc.REASON_FILE, population_by_year.MYE_FILE,
        population_by_year.MYEB3_FILE, population_by_year.COUNTY_FILE,
        population_by_year.MYE2019_FILE, phof_falls.NATIONAL_FILE)),
    description=("A league table and funnel plot (limits adjusted for overdispersion) of "
                 "delayed days per 100,000 adults for every Health and Wellbeing Board in one "
                 "month, England's monthly trend as an SPC chart, and the falls rate trend for "
                 "every district and unitary authority, each board linking to its appendix."),
    check=check,
)
