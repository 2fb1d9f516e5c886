"""The BCF national summary paper: actual performance on the four metrics for every board.

League tables of every Health and Wellbeing Board of the 2017-19 BCF (Bournemouth and Poole
each on its own) on non-elective admissions and delayed transfers of care (rates per 100,000 of
the population each counts, on the estimate of the year's own mid-year, with funnel plots whose
limits are adjusted for overdispersion) and on ASCOF 2A(2) and 2B(1) for 2018/19 (published
values only: no limits), England's quarterly non-elective admissions as an SPC chart, and
coverage: which boards have no value for a metric, and why. Each board links to its own BCF
appendix, built by ``hwb national bcf``.

:mod:`~hwb.papers.bcf.england.params` (the parameter model), :mod:`~hwb.papers.bcf.england.compute`
(the numbers, every figure recorded) and :mod:`~hwb.papers.bcf.england.text` (words, tables,
charts, claims).
"""

from __future__ import annotations

from hwb.papers.bcf.england.compute import (
    METRICS,
    Results,
    ascof_table,
    boards,
    compute,
    coverage,
    dtoc_table,
    england_trend,
    funnel_of,
    link_for,
    links,
    nel_table,
)
from hwb.papers.bcf.england.params import NationalBcfParams
from hwb.papers.bcf.england.text import (
    caveats_markdown,
    claims_check,
    coverage_tables,
    coverage_words,
    england_words,
    figures_check,
    funnel_chart,
    funnel_words,
    key_messages,
    league_table,
    methods_markdown,
    metric_section,
    sources,
    trend_chart,
    trend_words,
    values_words,
)
from hwb.protocol import BUILTIN_ROOT, Paper
from hwb.sources import ascof, dtoc, nel, population_by_year

__all__ = [
    "METRICS", "PAPER", "NationalBcfParams", "Results", "ascof_table", "boards",
    "caveats_markdown", "claims_check", "compute", "coverage", "coverage_tables",
    "coverage_words", "dtoc_table", "england_trend", "england_words", "figures_check",
    "funnel_chart", "funnel_of", "funnel_words", "key_messages", "league_table", "link_for",
    "links", "methods_markdown", "metric_section", "nel_table", "sources", "trend_chart",
    "trend_words", "values_words",
]

PAPER = Paper(
    name="national-bcf",
    title="Better Care Fund 2017-19: actual performance of every Health and Wellbeing Board",
    notebook=BUILTIN_ROOT / "notebooks" / "national-bcf.ipynb",
    params_model=NationalBcfParams,
    params_dir=BUILTIN_ROOT / "params" / "national-bcf",
    inputs=tuple(BUILTIN_ROOT / "data" / f for f in (
        nel.EXTRACT_FILE, nel.CHANGES_FILE, "bcf/ccg_hwb_mapping.csv", dtoc.RESPONSIBLE_FILE,
        dtoc.REASON_FILE, ascof.FILE, population_by_year.MYE_FILE,
        population_by_year.MYEB3_FILE, population_by_year.COUNTY_FILE,
        population_by_year.MYE2019_FILE)),
    description=("League tables of every BCF 2017-19 board on the four national metrics "
                 "(non-elective admissions and delayed days per 100,000 with overdispersed "
                 "funnel plots; ASCOF 2A(2) and 2B(1), values only), England's quarterly "
                 "non-elective admissions as an SPC chart, and coverage, each board linking to "
                 "its BCF appendix."),
)
