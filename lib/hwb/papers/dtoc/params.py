"""The DTOC paper's parameters: the model every params file and the notebook declare."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

from pydantic import field_validator

from hwb.sources import dtoc
from hwb.sources.params import BoardParams

PER = 100_000

_MONTH = dtoc.MONTH_RE
_FY = re.compile(r"^\d{4}/\d{2}$")
_QUARTER = re.compile(r"^\d{4}/\d{2} Q[1-4]$")


class DtocParams(BoardParams):
    """Parameters of a DTOC appendix (every field is declared in the notebook)."""

    month: str
    """The month whose performance is set against the target, ``YYYY-MM``."""
    trend_start: str
    """First month of the monthly trend chart, ``YYYY-MM``."""
    trend_end: str
    """Last month of the monthly trend chart, ``YYYY-MM``."""
    quarters_from: str
    """First financial year of the quarterly table, ``YYYY/YY``."""
    quarters_to: str
    """Last financial year of the quarterly table, ``YYYY/YY``."""
    population_basis: Literal["as_printed", "ons_own_year", "ons_mye_2019", "ons_by_year"]
    """18+ denominators: the populations printed in the board's BCF template
    (``data/dtoc/population_18plus_as_printed.csv``), the ONS small-area estimates of each
    month's own year where shipped (``ons_own_year``), the ONS mid-2019 estimates, or the ONS
    mid-year estimate of each period's own year on the series' boundaries, mid-2011 to mid-2019
    (``ons_by_year``, :func:`hwb.sources.dtoc.by_year_denominators`: every board, every month)."""
    gap_period: str
    """Month (``YYYY-MM``) or financial quarter (``YYYY/YY Qn``) of the patients-per-day
    gap between actual delays and the target."""
    target_from: str = ""
    """First month (``YYYY-MM``) the target or expectation was set for; blank: :attr:`month`.
    Months before it are not set against the target."""
    national_from: str = ""
    """England comparison: first month (``YYYY-MM``), blank for none."""
    national_to: str = ""
    """England comparison: last month (``YYYY-MM``), blank for none."""

    @field_validator("month", "trend_start", "trend_end")
    @classmethod
    def _is_month(cls, v: str) -> str:
        if not _MONTH.match(v):
            raise ValueError("a month written YYYY-MM, e.g. 2017-11")
        return v

    @field_validator("national_from", "national_to", "target_from")
    @classmethod
    def _is_month_or_blank(cls, v: str) -> str:
        if v and not _MONTH.match(v):
            raise ValueError("a month written YYYY-MM, or blank")
        return v

    @field_validator("quarters_from", "quarters_to")
    @classmethod
    def _is_fy(cls, v: str) -> str:
        if not _FY.match(v) or (int(v[:4]) + 1) % 100 != int(v[5:]):
            raise ValueError("a financial year written YYYY/YY, e.g. 2016/17")
        return v

    @field_validator("gap_period")
    @classmethod
    def _is_month_or_quarter(cls, v: str) -> str:
        if not (_MONTH.match(v) or _QUARTER.match(v)):
            raise ValueError("a month YYYY-MM or a financial quarter such as '2017/18 Q1'")
        return v



def from_namespace(ns: Mapping[str, object]) -> DtocParams:
    """The notebook's parameters (as papermill injects them: JSON types) as a :class:`DtocParams`.

    Examples
    --------
    >>> p = from_namespace({"area_code": "E08000018", "area_name": "Rotherham",
    ...     "period": "2017-09", "board": "", "board_name": "B", "meeting_date": "2017-09-20",
    ...     "agenda_item": "15", "paper_title": "T", "ask": "note", "month": "2017-09",
    ...     "trend_start": "2016-04", "trend_end": "2019-03", "quarters_from": "2016/17",
    ...     "quarters_to": "2018/19", "population_basis": "as_printed",
    ...     "gap_period": "2017/18 Q1", "target_from": "2017-09", "national_from": "",
    ...     "national_to": ""})
    >>> p.meeting_date.isoformat(), p.gap_period
    ('2017-09-20', '2017/18 Q1')
    """
    import json

    from hwb.sources.params import parse_params

    values = {k: ns[k] for k in DtocParams.model_fields if k in ns}
    missing = [k for k in DtocParams.model_fields if k not in ns]
    if missing:
        from hwb.errors import ParameterError

        raise ParameterError("notebook parameters", missing[0], None,
                             "every field of DtocParams to be declared in the parameters cell")
    # JSON mode lets a strict model read ISO dates written as text
    try:
        return DtocParams.model_validate_json(json.dumps(values))
    except Exception:  # noqa: BLE001 - re-raised as a one-line ParameterError
        return parse_params(values, DtocParams, "notebook parameters")  # type: ignore[return-value]
