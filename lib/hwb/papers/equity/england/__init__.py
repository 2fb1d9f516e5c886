"""The equity national summary paper, ``national-equity``: for every Health and Wellbeing
Board, the share of its residents (all ages and each age band of the equity audits) living in
England's most deprived tenth and fifth of small areas, the number of its small areas there,
and so the age-matched expected share a service's users would have if use followed
population; a league table linking each board to its own equity appendix, the distribution
across boards, coverage, methods, caveats and the checks.

Laid out as every summary paper: :mod:`~hwb.papers.equity.england.params` (the model),
:mod:`~hwb.papers.equity.england.compute` (every figure recorded) and
:mod:`~hwb.papers.equity.england.text` (tables, chart, words, checks).  It lives inside the
equity package and uses the equity paper's own coverage and area names; it imports no other
paper.
"""

from __future__ import annotations

from hwb.papers.equity.england.compute import (
    CUT_WORDS,
    CUTS,
    Results,
    band_key,
    board_shares,
    compute,
    fid,
    league,
    link_for,
    links,
    record_board_bands,
    record_coverage,
    share_figure,
    small_areas,
)
from hwb.papers.equity.england.params import AGE_BANDS, ENGLAND, NationalEquityParams
from hwb.papers.equity.england.text import (
    band_table,
    caveats_markdown,
    claims_check,
    coverage_words,
    distribution_chart,
    figures_check,
    key_messages,
    league_frame,
    league_table,
    methods_markdown,
    source,
)
from hwb.protocol import BUILTIN_ROOT, Paper
from hwb.sources import smallarea

__all__ = [
    "AGE_BANDS", "CUTS", "CUT_WORDS", "ENGLAND", "PAPER", "NationalEquityParams", "Results",
    "band_key", "band_table", "board_shares", "caveats_markdown", "claims_check",
    "compute", "coverage_words", "distribution_chart", "fid", "figures_check", "key_messages",
    "league", "league_frame", "league_table", "link_for", "links", "methods_markdown",
    "record_board_bands", "record_coverage", "share_figure", "small_areas", "source",
]

PAPER = Paper(
    name="national-equity",
    title="Equity audits: residents of England's most deprived small areas, every board",
    notebook=BUILTIN_ROOT / "notebooks" / "national-equity.ipynb",
    params_model=NationalEquityParams,
    params_dir=BUILTIN_ROOT / "params" / "national-equity",
    inputs=tuple(BUILTIN_ROOT / "data" / f for f in (
        smallarea.IMD_FILES[2015], smallarea.IMD_FILES[2019], smallarea.UTLA_LOOKUP,
        smallarea.SAPE_FILES[2017], smallarea.SAPE_FILES[2019],
        "population/mye2019_utla19_persons_single_year_of_age_EW.csv")),
    description=("For every Health and Wellbeing Board: the share of its residents, all ages "
                 "and by age band, in England's most deprived tenth and fifth of small areas "
                 "(IMD 2019, and IMD 2015 beside it), its small areas there, a league table "
                 "linking each board to its equity appendix, the distribution, and coverage."),
)
