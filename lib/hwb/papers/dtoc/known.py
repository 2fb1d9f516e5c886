"""What a board could have known at its meeting: NHS England's DTOC publication dates.

One rule, in one place: NHS England published each month's Delayed Transfers of
Care statistics on the second Thursday of the second month after the month
(about six weeks after month end; September 2017 on 9 November 2017, November
2017 on 11 January 2018).  A month's figures were known at a meeting when they
were published on or before the meeting date.

The dates come from the shipped publication calendar (``data/calendars/``, read by
:mod:`hwb.sources.calendars`); this rule is the fallback for months the calendar does not
list (before April 2015).
"""

from __future__ import annotations

import datetime as dt

from hwb.sources import dtoc


def published_on(month: str) -> dt.date:
    """The date NHS England published a month's DTOC figures (second Thursday, month + 2).

    Notes
    -----
    NHS England, Delayed Transfers of Care statistics, release calendar: monthly
    releases on the second Thursday, for the month before last (e.g. the
    September 2017 SitRep published 9 November 2017; November 2017 published
    11 January 2018).

    Examples
    --------
    >>> published_on("2017-09"), published_on("2017-11"), published_on("2017-07")
    (datetime.date(2017, 11, 9), datetime.date(2018, 1, 11), datetime.date(2017, 9, 14))
    """
    from hwb.errors import DataError
    from hwb.sources import calendars

    try:  # the shipped calendar (data/calendars/), where it lists the month
        return calendars.published_on("dtoc", month)
    except DataError:
        pass
    y, m = int(month[:4]), int(month[5:7]) + 2
    y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    first = dt.date(y, m, 1)
    first_thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + dt.timedelta(days=7)


def period_published_on(period: str) -> dt.date:
    """A month's or a quarter's publication date (a quarter: that of its last month).

    Examples
    --------
    >>> period_published_on("2017/18 Q1")
    datetime.date(2017, 8, 10)
    """
    return published_on(dtoc.months_of(period)[-1])


def known_at(period: str, meeting: dt.date | None) -> bool:
    """Whether a period's figures were published on or before the meeting (True with no date).

    Examples
    --------
    >>> known_at("2017-07", dt.date(2017, 9, 20)), known_at("2017-09", dt.date(2017, 9, 20))
    (True, False)
    """
    return meeting is None or period_published_on(period) <= meeting


def latest_known(meeting: dt.date | None, last: str = dtoc.LAST_MONTH) -> str:
    """The latest month whose figures were published by the meeting (``last`` with no date).

    Examples
    --------
    >>> latest_known(dt.date(2017, 9, 20)), latest_known(dt.date(2018, 1, 25))
    ('2017-07', '2017-11')
    """
    if meeting is None:
        return last
    months = [m for m in dtoc.month_range(dtoc.FIRST_MONTH, last) if published_on(m) <= meeting]
    return months[-1] if months else dtoc.FIRST_MONTH


def publication_words(period: str, meeting: dt.date | None) -> str:
    """``"published 9 Nov 2017, after the meeting"`` (empty when known at the meeting).

    Examples
    --------
    >>> publication_words("2017-09", dt.date(2017, 9, 20))
    'published 9 Nov 2017, after the meeting'
    >>> publication_words("2017-07", dt.date(2017, 9, 20))
    ''
    """
    if known_at(period, meeting):
        return ""
    d = period_published_on(period)
    return f"published {d.day} {d:%b %Y}, after the meeting"
