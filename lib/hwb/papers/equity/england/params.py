"""The equity national summary's parameters: the model its params file and notebook declare."""

from __future__ import annotations

from pydantic import field_validator

from hwb.papers.equity.params import PERIODS
from hwb.sources.params import ENGLAND, SummaryParams

AGE_BANDS = ["all ages", "0-15", "0-17", "16+", "18+", "65+"]
"""The age bands of the boards' equity appendices (the equity paper's default)."""


class NationalEquityParams(SummaryParams):
    """Parameters of the equity national summary: the period, the age bands, the links."""

    area_code: str = ENGLAND
    area_name: str = "England"
    board_name: str = "Every Health and Wellbeing Board in England"
    paper_title: str = "Equity audits: residents of the most deprived areas, every board"
    age_bands: list[str] = AGE_BANDS
    """Age bands of the expected shares (those of the boards' audits)."""
    other_edition: bool = True
    """Also show each board's shares by the other IMD edition (2015 beside 2019, or 2019
    beside 2015), on the same populations, so that the two editions can be compared."""
    appendix_links: str = "../../equity"
    """Relative path from this appendix's folder to the folder holding the boards' equity
    appendices (``<area-slug>/<period-slug>/appendix.html`` below it)."""

    @field_validator("period")
    @classmethod
    def _is_edition(cls, v: str) -> str:
        if v not in PERIODS:
            raise ValueError(" or ".join(repr(k) for k in PERIODS)
                             + " (the IMD edition; its population year follows)")
        return v

    @field_validator("age_bands")
    @classmethod
    def _bands(cls, v: list[str]) -> list[str]:
        from hwb.errors import DataError
        from hwb.sources import smallarea

        if not v or v[0] != "all ages":
            raise ValueError("a list of age bands starting with 'all ages'")
        for band in v:
            try:
                smallarea.parse_age_band(band)
            except DataError as e:
                raise ValueError(str(e)) from None
        return v

    @property
    def imd_edition(self) -> int:
        """The IMD edition that ranks the small areas (from the period)."""
        return PERIODS[self.period]["imd_edition"]

    @property
    def population_year(self) -> int:
        """The mid-year of the small-area populations (from the period)."""
        return PERIODS[self.period]["population_year"]

    @property
    def other(self) -> int | None:
        """The other IMD edition shown beside it, or None."""
        if not self.other_edition:
            return None
        return next(p["imd_edition"] for p in PERIODS.values()
                    if p["imd_edition"] != self.imd_edition)
