"""The BCF national summary's parameters: the model its params file and notebook declare."""

from __future__ import annotations

from pydantic import field_validator

from hwb.sources.params import SummaryParams

YEARS = ("2015/16", "2016/17", "2017/18", "2018/19")
"""The financial years with non-elective admissions apportioned to boards
(:data:`hwb.sources.nel.YEARS`) and delayed days; ASCOF is shipped for 2018/19 only."""


class NationalBcfParams(SummaryParams):
    """Parameters of the BCF national summary appendix (England: every board)."""

    year: str = "2018/19"
    """The financial year of the league tables of non-elective admissions and delayed days."""
    appendix_links: str = "../../bcf"
    """Relative path from this appendix's folder to the folder holding the boards' BCF
    appendices (``<area-slug>/<period-slug>/appendix.html`` below it)."""

    @field_validator("year")
    @classmethod
    def _is_year(cls, v: str) -> str:
        if v not in YEARS:
            raise ValueError("a financial year of the BCF actuals: " + ", ".join(YEARS))
        return v

