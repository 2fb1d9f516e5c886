"""The falls national summary paper (``national-falls``): every board with published rates.

A league table of every Health and Wellbeing Board whose upper-tier authority has the Public
Health Outcomes Framework falls indicator (2.24i, emergency admissions for falls aged 65+,
directly standardised) for the period: its rate in the period's last year, Fingertips'
benchmark against England, the change over the period; a funnel plot of the rates against
the population aged 65+ with limits adjusted for overdispersion; England's trend; and which
boards are not covered and why (:func:`hwb.papers.falls.board.coverage`, the boards'
own rule). Each board links to its own falls appendix, built by a national run
(``hwb national falls --period ...``, :mod:`hwb.commands.national`).

Laid out as every paper: :mod:`~hwb.papers.falls.england.params`,
:mod:`~hwb.papers.falls.england.compute` (one function per section, every figure recorded),
:mod:`~hwb.papers.falls.england.charts` and :mod:`~hwb.papers.falls.england.text`. It is
part of the falls package (it reads the boards' coverage rule from it), not another paper.
"""

from __future__ import annotations

from hwb.papers.falls.england.charts import (
    AGAINST,
    BENCHMARK,
    Html,
    coverage_table,
    display_table,
    funnel_chart,
    funnel_source,
    league_table,
    link_rows,
    show_coverage,
    source,
    trend_chart,
)
from hwb.papers.falls.england.compute import (
    BENCHMARK_WORDS,
    KINDS,
    PER,
    SIGNIFICANCE_WORDS,
    Results,
    benchmarks,
    board_coverage,
    boards,
    compute,
    england_rate,
    england_trend,
    fid,
    funnel_of,
    league,
    link_for,
    links,
    plain_significance,
    reason_kind,
    years,
)
from hwb.papers.falls.england.params import NationalFallsParams, check
from hwb.papers.falls.england.text import (
    caveats_markdown,
    claims_check,
    coverage_words,
    figures_check,
    funnel_words,
    key_messages,
    league_words,
    methods_markdown,
    trend_words,
)
from hwb.protocol import BUILTIN_ROOT, Paper
from hwb.sources import phof_falls, population_by_year

__all__ = [
    "AGAINST", "BENCHMARK", "BENCHMARK_WORDS", "KINDS", "PAPER", "PER", "SIGNIFICANCE_WORDS",
    "Html", "NationalFallsParams", "Results", "benchmarks", "board_coverage", "boards",
    "caveats_markdown", "check", "claims_check", "compute", "coverage_table", "coverage_words",
    "display_table", "england_rate", "england_trend", "fid", "figures_check", "funnel_chart",
    "funnel_of", "funnel_source", "funnel_words", "key_messages", "league",
    "league_table", "league_words", "link_for", "link_rows", "links", "methods_markdown",
    "plain_significance", "reason_kind", "show_coverage", "source", "trend_chart",
    "trend_words", "years",
]

PAPER = Paper(
    name="national-falls",
    title="Falls among older people: every Health and Wellbeing Board in England",
    notebook=BUILTIN_ROOT / "notebooks" / "national-falls.ipynb",
    params_model=NationalFallsParams,
    params_dir=BUILTIN_ROOT / "params" / "national-falls",
    inputs=tuple(BUILTIN_ROOT / "data" / f for f in (
        phof_falls.NATIONAL_FILE, population_by_year.MYE_FILE, population_by_year.MYEB3_FILE,
        population_by_year.COUNTY_FILE, population_by_year.MYE2019_FILE)),
    description=("A league table of every Health and Wellbeing Board with published falls "
                 "rates (PHOF 2.24i, aged 65+, directly standardised) with Fingertips' "
                 "benchmark against England and the change over the period, a funnel plot "
                 "with limits adjusted for overdispersion, England's trend, and which boards "
                 "are not covered and why, each board linking to its falls appendix."),
    check=check,
)
