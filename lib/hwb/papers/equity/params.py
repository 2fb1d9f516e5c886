"""The equity paper's parameters, and what any board's appendix derives from three of them.

A board with no printed audit needs only ``area_code`` and ``period`` (or ``area_code``,
``population_year`` and ``imd_edition``): :func:`board_defaults` fills in the rest from the
period (:data:`PERIODS`), the ONS name of the area and the selection rule, so that a
national run can build every board's appendix from an area code and a period.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import model_validator

from hwb.sources.params import BoardParams, area_names


class EquityParams(BoardParams):
    """Parameters of an equity audit appendix (one board, one audit).

    Any board's appendix needs only ``area_code`` and ``period`` (``"2019"``: IMD 2019 and
    mid-2019 populations; ``"2015"``: IMD 2015, see :data:`PERIODS`), or ``area_code``,
    ``population_year`` and ``imd_edition``: the rest (the IMD edition and population year,
    or the period; the area's name, the board, the paper's title and the areas' label) is
    filled in when left out (:func:`board_defaults`).
    """

    audit_period: str = "2015-16"
    """The period the service counts cover."""
    confidence: float = 0.95
    """Confidence level of every interval (the audit used 95%)."""
    reproduce_printed: bool = False
    """Rebuild the printed audit of ``board`` from its printed percentages (Rotherham)."""
    services_file: str = ""
    """Service metadata of the printed audit under ``data/`` (key, label, age band, basis)."""
    count_search_max_n: int = 3000
    """Largest number of clients tried when recovering counts from a printed percentage."""
    imd_edition: Literal[2015, 2019] = 2019
    """English Indices of Deprivation edition used to pick the most deprived areas."""
    selection_by: Literal["share", "count", "national_decile", "msoa"] = "share"
    """How the deprived areas are picked: by population share, by number of LSOAs, by national
    IMD decile, or by naming MSOAs (``selected_msoas``)."""
    selection_value: float = 0.1
    """The share (fraction), count, or number of national deciles for ``selection_by``."""
    selected_msoas: list[str] = []
    """MSOA codes making up the areas when ``selection_by`` is ``msoa``."""
    population_year: Literal[2017, 2019] = 2019
    """Mid-year of the ONS small-area population estimates used for expected shares."""
    age_bands: list[str] = ["all ages", "0-15", "0-17", "16+", "18+", "65+"]
    """Age bands of the expected-share table (services are matched to these)."""
    areas_label: str = ""
    """How the appendix names the selected areas (blank: from the selection rule)."""
    service_counts_file: str = ""
    """Service-user counts under ``data/`` (see the template); blank when none are supplied."""
    suppression_threshold: int = 5
    """Smallest client count shown; counts from 1 to one less are suppressed."""
    family_alpha: float = 0.05
    """Error rate controlled across all services by the multiple-testing adjustment."""

    @model_validator(mode="before")
    @classmethod
    def _defaults_for_any_board(cls, values: Any) -> Any:
        return board_defaults(values) if isinstance(values, Mapping) else values


PERIODS: dict[str, dict[str, int]] = {
    "2019": {"imd_edition": 2019, "population_year": 2019},
    "2015": {"imd_edition": 2015, "population_year": 2017},
}
"""What a period of a board's appendix means when the parameters give only the period: the IMD
edition that picks the deprived areas and the mid-year of the small-area populations.  IMD
2015 takes mid-2017, the earliest single-year-of-age small-area estimates shipped (its own
mid-2012 denominators are not), as Rotherham's audit appendix does."""

DEFAULT_TITLE = "Equity audit of commissioned services (expected shares)"
"""The paper title of an appendix for a board without a printed audit."""
_SHARE_WORDS = {0.1: "tenth", 0.2: "fifth", 0.25: "quarter", 0.5: "half"}


def plain_area_name(ons_name: str) -> str:
    """An ONS authority name as a board writes it ("Bristol, City of" -> "Bristol").

    Examples
    --------
    >>> plain_area_name("Kingston upon Hull, City of"), plain_area_name("Herefordshire, County of")
    ('Kingston upon Hull', 'Herefordshire')
    """
    return re.sub(r",\s*(City|County) of$", "", ons_name.strip())


def areas_label_for(area_name: str, selection_by: str, value: float, edition: int) -> str:
    """How the appendix names the selected areas, from the selection rule.

    Examples
    --------
    >>> areas_label_for("Leicestershire", "share", 0.1, 2019)
    "the most deprived tenth of Leicestershire's population (IMD 2019)"
    >>> areas_label_for("St Helens", "share", 0.15, 2015)
    "the most deprived 15% of St Helens' population (IMD 2015)"
    >>> areas_label_for("Leeds", "count", 20, 2019)
    'the 20 most deprived LSOAs of Leeds (IMD 2019)'
    >>> areas_label_for("Leeds", "national_decile", 1, 2019)
    "Leeds' LSOAs in England's most deprived 10% (IMD 2019)"
    """
    own = f"{area_name}'" if area_name.endswith("s") else f"{area_name}'s"
    if selection_by == "share":
        part = _SHARE_WORDS.get(round(float(value), 6), f"{float(value):.0%}")
        return f"the most deprived {part} of {own} population (IMD {edition})"
    if selection_by == "count":
        return f"the {int(value)} most deprived LSOAs of {area_name} (IMD {edition})"
    if selection_by == "national_decile":
        return f"{own} LSOAs in England's most deprived {int(value) * 10}% (IMD {edition})"
    return f"the selected MSOAs of {area_name}"


def board_defaults(values: Mapping[str, Any]) -> dict[str, Any]:
    """An equity parameters mapping with what any board's appendix can derive filled in.

    From ``period`` (:data:`PERIODS`: ``imd_edition`` and ``population_year``), or from
    ``population_year`` (the period), from ``area_code`` (the ONS name) and the selection
    rule: ``area_name``, ``board_name``, ``paper_title``, ``period``, ``audit_period`` and a
    blank or absent ``areas_label``.  Given values are kept.

    Raises
    ------
    ValueError
        ``period`` is given with neither ``population_year`` nor ``imd_edition`` and is not
        one of :data:`PERIODS` (the model reports it as one line naming ``period``).

    Examples
    --------
    >>> d = board_defaults({"area_code": "E06000010", "period": "2015"})
    >>> d["imd_edition"], d["population_year"], d["audit_period"]
    (2015, 2017, '2015-16')
    >>> d = board_defaults({"area_code": "E06000010", "population_year": 2017,
    ...                     "imd_edition": 2015})
    >>> d["area_name"], d["board_name"], d["period"], d["audit_period"]
    ('Kingston upon Hull', 'Kingston upon Hull Health and Wellbeing Board', '2017', '2017-18')
    >>> d["areas_label"]
    "the most deprived tenth of Kingston upon Hull's population (IMD 2015)"
    """
    out = dict(values)
    period = out.get("period")
    if period is not None and "population_year" not in out and "imd_edition" not in out:
        if str(period) not in PERIODS:
            raise ValueError(f"period: {period!r}: expected "
                             + " or ".join(repr(k) for k in PERIODS)
                             + " (the IMD edition), or population_year and imd_edition "
                             "given with it")
        out.update(PERIODS[str(period)])
    when = out.get("meeting_date")
    if isinstance(when, str) and when:  # a JSON date (the notebook's parameters) stays a date
        with contextlib.suppress(ValueError):
            out["meeting_date"] = dt.date.fromisoformat(when)
    ons = area_names().get(str(out.get("area_code", "")))
    if ons and not out.get("area_name"):
        out["area_name"] = plain_area_name(ons)
    name = out.get("area_name")
    if not name:
        return out  # an unknown code: the model's own checks name it
    year = out.get("population_year", cls_default("population_year"))
    out.setdefault("board_name", f"{name} Health and Wellbeing Board")
    out.setdefault("paper_title", DEFAULT_TITLE)
    out.setdefault("period", str(year))
    start = int(out["period"]) if re.fullmatch(r"\d{4}", str(out["period"])) else int(year)
    out.setdefault("audit_period", f"{start}-{(start + 1) % 100:02d}")
    if not out.get("areas_label"):
        out["areas_label"] = areas_label_for(
            str(name), str(out.get("selection_by", cls_default("selection_by"))),
            out.get("selection_value", cls_default("selection_value")),
            int(out.get("imd_edition", cls_default("imd_edition"))))
    return out


def cls_default(field: str) -> Any:
    """The default of one :class:`EquityParams` field."""
    return EquityParams.model_fields[field].default
