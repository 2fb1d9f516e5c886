"""The national summary paper: DTOC for every Health and Wellbeing Board in one month.

A league table of every upper-tier local authority's delayed days for a month
(rates per 100,000 aged 18+ per month and per day, split by responsible
organisation), a funnel plot of the per-day rates against population, and the
falls context (the change in the falls rate for every district and unitary
authority against England).  Each board links to its own appendix, built by a
national run (:mod:`hwb.national`).
"""

from __future__ import annotations

import re

from pydantic import field_validator

from hwb.core.params import BoardParams
from hwb.core.registry import BUILTIN_ROOT, Paper

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class NationalParams(BoardParams):
    """Parameters of the national summary appendix."""

    month: str
    """The month of the league table, ``YYYY-MM``."""
    appendix_links: str = "../../../dtoc"
    """Relative path from this appendix's folder to the folder of the boards' DTOC appendices
    (``<area-slug>/<month>/appendix.html`` below it)."""

    @field_validator("month")
    @classmethod
    def _is_month(cls, v: str) -> str:
        if not _MONTH.match(v):
            raise ValueError("a month written YYYY-MM, e.g. 2017-11")
        return v


PAPER = Paper(
    name="national",
    title="Delayed transfers of care: every Health and Wellbeing Board in England",
    notebook=BUILTIN_ROOT / "notebooks" / "national.ipynb",
    params_model=NationalParams,
    params_dir=BUILTIN_ROOT / "params" / "national",
    description=("A league table and funnel plot of delayed days per 100,000 adults for every "
                 "Health and Wellbeing Board in one month, with the falls rate trend for every "
                 "district and unitary authority, each board linking to its appendix."),
)
