"""The falls national summary's parameters: the model its params file and notebook declare."""

from __future__ import annotations

from pydantic import field_validator

from hwb.errors import ParamProblem
from hwb.papers.falls.params import ENGLAND, FIRST_YEAR, LAST_YEAR, fy_start, years_from_period
from hwb.sources.params import BoardParams, SummaryParams

FIRST_POPULATION_YEAR = 2011
"""The first mid-year of the population series (:mod:`hwb.sources.population_by_year`): the
funnel plot divides the period's last year by the 65+ estimate of its own mid-year."""


class NationalFallsParams(SummaryParams):
    """Parameters of the falls national summary: the period, and the boards' appendices."""

    area_code: str = ENGLAND
    area_name: str = "England"
    board_name: str = "Every Health and Wellbeing Board in England"
    paper_title: str = "Falls among older people, every board"
    appendix_links: str = "../../falls"
    """Relative path from this appendix's folder to the boards' falls appendices; ``linked``
    (:class:`~hwb.sources.params.SummaryParams`): ``None`` links every board with published
    rates for the period."""

    @field_validator("period")
    @classmethod
    def _is_run_of_years(cls, v: str) -> str:
        y = years_from_period(v)
        if not y or "-" not in v:
            raise ValueError("financial years written YYYY/YY-YYYY/YY, e.g. 2012/13-2015/16")
        first, last = fy_start(y["national_start"]), fy_start(y["national_end"])
        if first < fy_start(FIRST_YEAR) or last > fy_start(LAST_YEAR):
            raise ValueError(f"years from the one before the period ({y['national_start']}) "
                             f"to its last within the shipped rates, {FIRST_YEAR} to "
                             f"{LAST_YEAR}")
        if last < FIRST_POPULATION_YEAR:
            raise ValueError(f"a last year from {FIRST_POPULATION_YEAR}/"
                             f"{(FIRST_POPULATION_YEAR + 1) % 100:02d} (the population series "
                             f"starts at mid-{FIRST_POPULATION_YEAR})")
        return v


def check(params: BoardParams) -> None:
    """Data-dependent checks: the summary is England's.

    Raises
    ------
    ParamProblem
        The area is not England.
    """
    if params.area_code != ENGLAND:
        raise ParamProblem("area_code", params.area_code,
                           f"{ENGLAND} (England): the summary covers every board")
