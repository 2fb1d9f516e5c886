"""The falls paper's parameters: the model every params file and the notebook declare.

A params file needs only ``area_code`` and ``period``; :class:`FallsParams` derives the rest
(:func:`years_from_period`).  The words the appendix shows for each method are here too, beside
the method names the parameters take.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, Literal

from pydantic import field_validator, model_validator

from hwb.sources.params import BoardParams

ENGLAND = "E92000001"
"""ONS code of England, the default comparator."""

UnitCostBasis = Literal["admission", "after_12m", "admission_plus_after", "incremental"]
CountMethod = Literal["yearly_counts", "final_year_repeated", "straight_line", "mean_rate"]
CounterfactualMethod = Literal["did_ratio", "did_difference", "pre_period_rate"]

UNIT_COST_BASES: dict[str, tuple[str, dict[str, int]]] = {
    "admission": ("the fall admission only", {"admission": 1}),
    "after_12m": ("the 12 months after the fall", {"after_12m": 1}),
    "admission_plus_after": ("the admission plus the 12 months after",
                             {"admission": 1, "after_12m": 1}),
    "incremental": ("incremental: the admission plus the 12 months after, less the 12 months "
                    "before", {"admission": 1, "after_12m": 1, "before_12m": -1}),
}
"""Each candidate unit cost: its words, and the Torbay components it adds (+1) or takes off (-1)."""

COUNT_METHODS: dict[str, str] = {
    "yearly_counts": "the sum over the years of (baseline count minus that year's estimated count)",
    "final_year_repeated": "the last year's fall from the baseline, counted once for every year",
    "straight_line": "counts assumed to fall in a straight line from the baseline to the last year",
    "mean_rate": "the baseline count minus the mean rate of the years applied to the last "
                 "year's population, for every year",
}
"""The arithmetic by which the falls prevented over the years may have been counted."""

COUNT_WORDS: dict[str, str] = {
    "yearly_counts": "yearly counts",
    "final_year_repeated": "last year's fall repeated",
    "straight_line": "straight line",
    "mean_rate": "mean rate",
}
"""Each arithmetic's short name, as the appendix's tables and text show it."""

UNIT_COST_WORDS: dict[str, str] = {
    "admission": "admission only",
    "after_12m": "12 months after",
    "admission_plus_after": "admission plus 12 months after",
    "incremental": "incremental",
}
"""Each unit cost's short name, as the appendix's tables and text show it."""

COMPONENT_WORDS: dict[str, str] = {
    "admission": "admission", "after_12m": "12 months after", "before_12m": "12 months before",
}
"""The Torbay cost components in words (the unit costs' formulas)."""

COUNTERFACTUAL_WORDS: dict[str, str] = {
    "did_ratio": "the comparator's trend, as a ratio",
    "did_difference": "the comparator's trend, as a difference",
    "pre_period_rate": "the pre-period rate held flat",
}
"""Each counterfactual's short name, as the appendix's tables and text show it."""

FIRST_YEAR, LAST_YEAR = "2010/11", "2017/18"
"""The years of the shipped PHOF table."""
DEFAULT_TITLE = "Emergency admissions for falls aged 65+: trend, comparisons and admissions avoided"
"""The appendix's title when the params file names no paper."""

_FY = re.compile(r"^(\d{4})/(\d{2})$")
_RUN = re.compile(r"^(\d{4})/(\d{2})-(\d{4})/(\d{2})$")


def fy_label(start: int) -> str:
    """The financial year starting in April of ``start``.

    Examples
    --------
    >>> fy_label(2011), fy_label(1999)
    ('2011/12', '1999/00')
    """
    return f"{start}/{(start + 1) % 100:02d}"


def years_from_period(period: str) -> dict[str, Any]:
    """The year fields a params file may leave out, derived from its ``period``.

    The evaluation years are the period's years; the baseline is the year before them, the
    pre-period the two years up to the baseline (one when the data start later), the later
    years those after the period up to the last shipped year; the national comparison runs
    from the baseline to the last evaluation year.

    Examples
    --------
    >>> d = years_from_period("2012/13-2015/16")
    >>> d["baseline_year"], d["pre_period"], d["later_years"], d["national_end"]
    ('2011/12', ['2010/11', '2011/12'], ['2016/17', '2017/18'], '2015/16')
    >>> years_from_period("2011/12")["pre_period"], years_from_period("not a period")
    (['2010/11'], {})
    """
    m = _RUN.match(period) or _FY.match(period)
    if m is None:
        return {}
    first = int(m.group(1))
    last = int(m.group(3)) if m.re is _RUN else first
    base = first - 1
    pre = [fy_label(y) for y in range(max(base - 1, fy_start(FIRST_YEAR)), base + 1)]
    return {"baseline_year": fy_label(base), "pre_period": pre,
            "evaluation_years": [fy_label(y) for y in range(first, last + 1)],
            "later_years": [fy_label(y) for y in range(last + 1, fy_start(LAST_YEAR) + 1)],
            "national_start": fy_label(base), "national_end": fy_label(last)}


# --- parameters ------------------------------------------------------------------------------


def _check_fy(value: str, key: str) -> str:
    m = _FY.match(value)
    if not m or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        raise ValueError(f"a financial year like '2011/12' (in {key}), got {value!r}")
    return value


def fy_start(period: str) -> int:
    """Start year of a financial year ``"2011/12"`` -> 2011.

    Examples
    --------
    >>> fy_start("2011/12")
    2011
    """
    return int(_check_fy(period, "period")[:4])


class FallsParams(BoardParams):
    """Parameters of the falls paper: any board's published rates, and a board's claim if any.

    A params file needs only ``area_code`` and ``period`` (``YYYY/YY-YYYY/YY``): the area's
    name comes from the ONS names, the board's name from the area's, and the years from the
    period (:func:`years_from_period`).  The claim's inputs (``board``, the costs) are needed
    only to rebuild a printed saving.
    """

    area_name: str = ""
    board_name: str = ""
    paper_title: str = DEFAULT_TITLE

    baseline_year: str = "2011/12"
    """The year the claim counts savings from (its "highest point")."""
    pre_period: list[str] = ["2010/11", "2011/12"]
    """Years whose mean rate is the counterfactual's starting point (must include the baseline)."""
    evaluation_years: list[str] = ["2012/13", "2013/14", "2014/15", "2015/16"]
    """The years the claim sums savings over."""
    later_years: list[str] = ["2016/17", "2017/18"]
    """Years after the claim's last year, shown for the defensible estimate."""
    claim_unit_cost_basis: UnitCostBasis = "admission_plus_after"
    """The Torbay unit cost of the headline reconstruction (the others are in the sensitivity
    table)."""
    claim_count_method: CountMethod = "yearly_counts"
    """The arithmetic the headline reconstruction uses."""
    unit_cost_basis: UnitCostBasis = "incremental"
    """The unit cost of the defensible estimate."""
    price_year: str = "2017/18"
    """The price year of every cost of the defensible estimate: the Torbay costs and the
    service's cost are moved to it with the GDP deflator (:mod:`hwb.papers.falls.prices`).
    The rebuild of the printed claim stays in the Torbay study's own prices, as the paper
    used them."""
    falls_service_cost_year: str = "2017/18"
    """The financial year whose prices the service's cost is in."""
    counterfactual_method: CounterfactualMethod = "did_ratio"
    """How the expected rate follows the comparator (difference in differences on ratios or on
    differences), or ``pre_period_rate`` to hold the pre-period rate flat."""
    comparator_code: str = ENGLAND
    """Area code of the comparator whose trend adjusts the counterfactual."""
    comparator_name: str = "England"
    falls_service_annual_cost_gbp: float = 0.0
    """The falls service's own cost per year, taken off the gross saving."""
    falls_service_cost_source: str = ""
    """Where that cost comes from, or that it is an assumption."""
    national_start: str = "2011/12"
    """First year of the national comparison of change."""
    national_end: str = "2015/16"
    """Last year of the national comparison of change."""
    confidence: float = 0.95
    """Confidence level of every interval."""

    @model_validator(mode="before")
    @classmethod
    def _fill_from_area_and_period(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        from hwb.sources.params import area_names

        out = dict(data)
        when = out.get("meeting_date")
        if isinstance(when, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", when):
            # JSON mode reads ISO dates; a before-validator hands on Python values (strict)
            out["meeting_date"] = dt.date.fromisoformat(when)
        code = out.get("area_code")
        if not out.get("area_name") and isinstance(code, str):
            out["area_name"] = area_names().get(code, "")
        if not out.get("board_name") and out.get("area_name"):
            out["board_name"] = f"{out['area_name']} Health and Wellbeing Board"
        derived = years_from_period(str(out.get("period", "")))
        for key, value in derived.items():
            out.setdefault(key, value)
        return out

    @field_validator("baseline_year", "price_year", "falls_service_cost_year", "national_start",
                     "national_end")
    @classmethod
    def _one_year(cls, v: str, info: Any) -> str:
        _check_fy(v, info.field_name)
        rated = info.field_name in ("baseline_year", "national_start", "national_end")
        if rated and not fy_start(FIRST_YEAR) <= fy_start(v) <= fy_start(LAST_YEAR):
            raise ValueError(f"a year the shipped rates cover, {FIRST_YEAR} to {LAST_YEAR}")
        return v

    @field_validator("pre_period", "evaluation_years", "later_years")
    @classmethod
    def _years(cls, v: list[str], info: Any) -> list[str]:
        name = info.field_name
        for y in v:
            _check_fy(y, name)
        if [fy_start(y) for y in v] != sorted({fy_start(y) for y in v}):
            raise ValueError(f"distinct financial years in order, got {v}")
        outside = [y for y in v if not fy_start(FIRST_YEAR) <= fy_start(y) <= fy_start(LAST_YEAR)]
        if outside:
            raise ValueError(f"years the shipped rates cover, {FIRST_YEAR} to {LAST_YEAR}; got "
                             f"{', '.join(outside)}")
        base = info.data.get("baseline_year")
        if name == "pre_period" and base and base not in v:
            raise ValueError(f"a list that includes baseline_year {base!r}")
        if name == "evaluation_years":
            if not v:
                raise ValueError("at least one year")
            if base and fy_start(v[0]) <= fy_start(base):
                raise ValueError(f"years after baseline_year {base!r}")
        ev = info.data.get("evaluation_years")
        if name == "later_years" and v and ev and fy_start(v[0]) <= fy_start(ev[-1]):
            raise ValueError(f"years after the last evaluation year {ev[-1]!r}")
        return v

    @field_validator("confidence")
    @classmethod
    def _level(cls, v: float) -> float:
        if not 0 < v < 1:
            raise ValueError("a level between 0 and 1 (e.g. 0.95)")
        return v

    @field_validator("falls_service_annual_cost_gbp")
    @classmethod
    def _cost(cls, v: float) -> float:
        if v < 0 or math.isnan(v):
            raise ValueError("a cost of zero or more")
        return v
