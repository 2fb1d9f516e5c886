"""Periods: months, financial quarters and financial years, and all period arithmetic (once).

The labels are those of the NHS and local-government returns:

==================  ================  =================================================
type                label             meaning
==================  ================  =================================================
:data:`Month`       ``2017-11``       a calendar month
:data:`FinancialQuarter`  ``2016/17 Q1``  April-June 2016 (Q2 July-September, Q3
                                       October-December, Q4 January-March 2017)
:data:`FinancialYear`     ``2016/17``     April 2016 to March 2017
==================  ================  =================================================

Each type is a pydantic-annotated ``str``: a parameter model field typed ``Month`` accepts
``"2017-11"`` and refuses ``"2017-13"`` with a message naming the expected form.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
QUARTER_RE = re.compile(r"^(\d{4})/(\d{2}) Q([1-4])$")
YEAR_RE = re.compile(r"^(\d{4})/(\d{2})$")

_MONTH_NAMES = {name: i for i, name in enumerate(calendar.month_name) if name}


def _fy_ok(start: int, end2: str) -> bool:
    return f"{(start + 1) % 100:02d}" == end2


def is_month(text: str) -> bool:
    """Whether ``text`` is a month label ``YYYY-MM``.

    Examples
    --------
    >>> is_month("2017-11"), is_month("2017-13"), is_month("Nov 2017")
    (True, False, False)
    """
    return bool(MONTH_RE.match(str(text)))


def is_financial_year(text: str) -> bool:
    """Whether ``text`` is a financial year label ``YYYY/YY`` (consecutive years).

    Examples
    --------
    >>> is_financial_year("2016/17"), is_financial_year("2016/18")
    (True, False)
    """
    m = YEAR_RE.match(str(text))
    return bool(m) and _fy_ok(int(m.group(1)), m.group(2))


def is_financial_quarter(text: str) -> bool:
    """Whether ``text`` is a financial quarter label ``YYYY/YY Qn``.

    Examples
    --------
    >>> is_financial_quarter("2016/17 Q4"), is_financial_quarter("2016/17 Q5")
    (True, False)
    """
    m = QUARTER_RE.match(str(text))
    return bool(m) and _fy_ok(int(m.group(1)), m.group(2))


def _validator(test, expected: str):  # type: ignore[no-untyped-def]
    def check(v: str) -> str:
        if not test(v):
            raise ValueError(f"{expected} (got {v!r})")
        return v
    return check


Month = Annotated[str, AfterValidator(_validator(is_month, "a month YYYY-MM such as 2017-11"))]
"""A month label, validated."""
FinancialYear = Annotated[str, AfterValidator(
    _validator(is_financial_year, "a financial year YYYY/YY such as 2017/18"))]
"""A financial-year label, validated."""
FinancialQuarter = Annotated[str, AfterValidator(
    _validator(is_financial_quarter, "a financial quarter such as 2017/18 Q1"))]
"""A financial-quarter label, validated."""
MonthOrQuarter = Annotated[str, AfterValidator(_validator(
    lambda v: is_month(v) or is_financial_quarter(v),
    "a month YYYY-MM or a financial quarter such as 2017/18 Q1"))]
"""A month or financial-quarter label, validated."""


def parse_month_name(text: str) -> str | None:
    """``"April 2019"`` -> ``"2019-04"``; None when it is not a month.

    Examples
    --------
    >>> parse_month_name("April 2019"), parse_month_name("Spring 2019")
    ('2019-04', None)
    """
    parts = str(text).split()
    if len(parts) != 2 or parts[0] not in _MONTH_NAMES or not parts[1].isdigit():
        return None
    return f"{int(parts[1]):04d}-{_MONTH_NAMES[parts[0]]:02d}"


def days_in_month(month: str) -> int:
    """Days in a month given as ``"YYYY-MM"``.

    Examples
    --------
    >>> days_in_month("2017-11"), days_in_month("2016-02")
    (30, 29)
    """
    y, m = int(month[:4]), int(month[5:7])
    return calendar.monthrange(y, m)[1]


def financial_year(month: str) -> str:
    """The financial year (April to March) of a month.

    Examples
    --------
    >>> financial_year("2017-03"), financial_year("2017-04")
    ('2016/17', '2017/18')
    """
    y, m = int(month[:4]), int(month[5:7])
    start = y if m >= 4 else y - 1
    return f"{start}/{(start + 1) % 100:02d}"


def financial_quarter(month: str) -> str:
    """The financial quarter of a month, as the BCF template labels it.

    Examples
    --------
    >>> financial_quarter("2016-04"), financial_quarter("2016-12"), financial_quarter("2017-03")
    ('2016/17 Q1', '2016/17 Q3', '2016/17 Q4')
    """
    m = int(month[5:7])
    q = (m - 4) % 12 // 3 + 1
    return f"{financial_year(month)} Q{q}"


def months_of(period: str) -> list[str]:
    """The months (``"YYYY-MM"``) of a month, financial quarter or financial year.

    Examples
    --------
    >>> months_of("2016/17 Q4")
    ['2017-01', '2017-02', '2017-03']
    >>> len(months_of("2016/17")), months_of("2017-11")
    (12, ['2017-11'])
    """
    period = period.strip()
    if is_month(period):
        return [period]
    if not (is_financial_year(period) or is_financial_quarter(period)):
        raise ValueError(f"period {period!r}: expected a month YYYY-MM, a financial year "
                         "YYYY/YY or a financial quarter YYYY/YY Qn")
    start = int(period[:4])
    months = [f"{start}-{m:02d}" for m in range(4, 13)]
    months += [f"{start + 1}-{m:02d}" for m in (1, 2, 3)]
    if " Q" in period:
        q = int(period.split(" Q")[1])
        return months[(q - 1) * 3 : q * 3]
    return months


def days_in(period: str) -> int:
    """Days in a month, financial quarter or financial year.

    Examples
    --------
    >>> days_in("2016/17 Q1"), days_in("2016/17 Q4"), days_in("2016/17"), days_in("2017-11")
    (91, 90, 365, 30)
    """
    return sum(days_in_month(m) for m in months_of(period))


def shift(month: str, n: int) -> str:
    """The month ``n`` months after ``month`` (before, for negative ``n``).

    Examples
    --------
    >>> shift("2017-11", 2), shift("2017-01", -1)
    ('2018-01', '2016-12')
    """
    y, m = int(month[:4]), int(month[5:7])
    k = y * 12 + (m - 1) + n
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def month_range(start: str, end: str) -> list[str]:
    """Every month from ``start`` to ``end`` inclusive.

    Examples
    --------
    >>> month_range("2016-11", "2017-02")
    ['2016-11', '2016-12', '2017-01', '2017-02']
    """
    out, m = [], start
    while m <= end:
        out.append(m)
        m = shift(m, 1)
    return out


def month_label(month: str) -> str:
    """``"2017-11"`` -> ``"Nov 2017"``.

    Examples
    --------
    >>> month_label("2017-11")
    'Nov 2017'
    """
    return f"{calendar.month_abbr[int(month[5:7])]} {month[:4]}"


def period_label(period: str) -> str:
    """A month, quarter or year in words for prose.

    Examples
    --------
    >>> period_label("2017-11"), period_label("2016/17 Q2"), period_label("2016/17")
    ('Nov 2017', '2016/17 Q2 (Jul-Sep 2016)', '2016/17')
    """
    if is_month(period):
        return month_label(period)
    if is_financial_quarter(period):
        ms = months_of(period)
        first, last = month_label(ms[0]), month_label(ms[-1])
        return f"{period} ({first[:3]}-{last})"
    return period


def month_end(month: str) -> dt.date:
    """The last day of a month.

    Examples
    --------
    >>> month_end("2016-02")
    datetime.date(2016, 2, 29)
    """
    return dt.date(int(month[:4]), int(month[5:7]), days_in_month(month))


def calendar_year_of(period: str) -> int:
    """The calendar year whose population the BCF template uses for a period.

    The template's note: "population projections are based on a calendar year";
    quarters 1-3 of a financial year fall in its first calendar year, quarter 4
    in the next (tab 4.4 prints 204,995 for 2016/17 Q1-Q3 and 205,748 for Q4).

    Examples
    --------
    >>> calendar_year_of("2016/17 Q3"), calendar_year_of("2016/17 Q4"), calendar_year_of("2017-09")
    (2016, 2017, 2017)
    """
    if is_month(period):
        return int(period[:4])
    if is_financial_quarter(period):
        start = int(period[:4])
        return start + 1 if period.endswith("Q4") else start
    raise ValueError(f"period {period!r}: expected a month or a financial quarter")


# --- period labels of board appendices -------------------------------------------------

_DASHED_RE = re.compile(r"^(\d{4})-(\d{2})$")  # a month, or a run of years YYYY-YY
CALENDAR_YEAR_RE = re.compile(r"^(\d{4})$")
_FY_SPAN_RE = re.compile(r"^(\d{4})/(\d{2})-(\d{4})/(\d{2})$")
PERIOD_FORMATS = ("a month YYYY-MM (2017-11), a year YYYY (2019), a financial year YYYY/YY or "
                  "YYYY-YY (2015/16, 2015-16), a run of years YYYY-YY (2017-19) or "
                  "YYYY/YY-YYYY/YY (2012/13-2015/16), or a quarter YYYY/YY Qn")


def _fy_end(y: int, yy: int) -> int | None:
    """The calendar year ending a run of financial years from ``y`` written ``yy``, or None."""
    end = y // 100 * 100 + yy
    if end <= y:
        end += 100
    return end if 1 <= end - y <= 10 else None


def period_span(label: str) -> list[tuple[int, int]]:
    """Every reading of a period label as (first month, last month), months counted from year 0.

    The labels a board appendix's ``period`` may take (:data:`PERIOD_FORMATS`): a month, a
    calendar year, a financial year, a run of financial years or a financial quarter.
    Empty when ``label`` is not a period.  ``2011-12`` has two readings (December 2011
    and the financial year 2011/12).

    Examples
    --------
    >>> def ym(m): return f"{m // 12}-{m % 12 + 1:02d}"
    >>> [(ym(a), ym(b)) for a, b in period_span("2017-19")]
    [('2017-04', '2019-03')]
    >>> [(ym(a), ym(b)) for a, b in period_span("2011-12")]
    [('2011-12', '2011-12'), ('2011-04', '2012-03')]
    >>> [(ym(a), ym(b)) for a, b in period_span("2017/18 Q2")]
    [('2017-07', '2017-09')]
    >>> period_span("not-valid"), period_span("2017-13"), period_span("2017/19")
    ([], [], [])
    """
    label = str(label)
    out: list[tuple[int, int]] = []
    if m := _DASHED_RE.fullmatch(label):
        y, mm = int(m[1]), int(m[2])
        if 1 <= mm <= 12:
            out.append((y * 12 + mm - 1, y * 12 + mm - 1))
        end = _fy_end(y, mm)
        if end is not None:
            out.append((y * 12 + 3, end * 12 + 2))
    elif m := YEAR_RE.fullmatch(label):
        y = int(m[1])
        if _fy_ok(y, m[2]):
            out.append((y * 12 + 3, y * 12 + 14))
    elif m := QUARTER_RE.fullmatch(label):
        y, q = int(m[1]), int(m[3])
        if _fy_ok(y, m[2]):
            out.append((y * 12 + 3 * q, y * 12 + 3 * q + 2))
    elif m := CALENDAR_YEAR_RE.fullmatch(label):
        y = int(m[1])
        out.append((y * 12, y * 12 + 11))
    elif m := _FY_SPAN_RE.fullmatch(label):
        y1, y2 = int(m[1]), int(m[3])
        if _fy_ok(y1, m[2]) and _fy_ok(y2, m[4]) and 0 <= y2 - y1 <= 10:
            out.append((y1 * 12 + 3, y2 * 12 + 14))
    return [(a, b) for a, b in out if 1990 * 12 <= a and b < 2100 * 12]
