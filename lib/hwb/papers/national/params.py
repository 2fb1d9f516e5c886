"""The national summary's parameters: the model its params file and notebook declare."""

from __future__ import annotations

from pydantic import field_validator

from hwb.errors import ParamProblem
from hwb.periods import is_financial_year, is_month
from hwb.sources import dtoc
from hwb.sources.params import BoardParams, SummaryParams

PER = 100_000
"""Rates are per 100,000 aged 18+."""


class NationalParams(SummaryParams):
    """Parameters of the national summary appendix."""

    month: str
    """The month of the league table, ``YYYY-MM``."""
    appendix_links: str = "../../dtoc"
    """Relative path from this appendix's folder to the folder holding the boards' DTOC
    appendices (``<area-slug>/<month>/appendix.html`` below it)."""
    falls_start: str = "2011/12"
    """First financial year of the falls change."""
    falls_end: str = "2015/16"
    """Last financial year of the falls change."""
    trend_months: int = 24
    """Months of England's SPC chart, ending at :attr:`month` (fewer when the series starts
    later)."""

    @field_validator("month")
    @classmethod
    def _is_month(cls, v: str) -> str:
        if not is_month(v):
            raise ValueError("a month written YYYY-MM, e.g. 2017-11")
        return v

    @field_validator("falls_start", "falls_end")
    @classmethod
    def _is_fy(cls, v: str) -> str:
        if not is_financial_year(v):
            raise ValueError("a financial year written YYYY/YY, e.g. 2011/12")
        return v

    @field_validator("trend_months")
    @classmethod
    def _enough_months(cls, v: int) -> int:
        if not 12 <= v <= 105:
            raise ValueError("a number of months from 12 to 105 (the series' length)")
        return v


def check(params: BoardParams) -> None:
    """Data-dependent checks: England, a month of the DTOC series, falls years with data.

    Raises
    ------
    ParamProblem
        The area is not England, the month is outside April 2011 to December 2019,
        or a falls year has no England rate.
    """
    from hwb.sources import phof_falls

    if params.area_code != dtoc.ENGLAND:
        raise ParamProblem("area_code", params.area_code,
                           f"{dtoc.ENGLAND} (England): the summary covers every board")
    dtoc.check_month(str(getattr(params, "month", "")))
    years = set(phof_falls.load_national().query("area_code == @dtoc.ENGLAND")["period"])
    for key in ("falls_start", "falls_end"):
        v = str(getattr(params, key))
        if v not in years:
            raise ParamProblem(key, v, "a year of the falls rates (data/" + phof_falls.NATIONAL_FILE
                               + "): " + ", ".join(sorted(years)))
