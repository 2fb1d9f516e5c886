"""Publication calendars: when each period of a source was first published.

A board decides on what was published before it met.  ``data/calendars/`` holds, for each
source, the date each period's figures were first published (or the window in which they
were), with the citation (see ``data/calendars/SOURCE.md``).  :func:`known_at` says whether
the figures for a period could have been seen on a meeting date; :func:`latest_known` gives
the latest period that could.

Sources: ``"dtoc"`` (NHS England monthly delayed transfers of care), ``"mye"`` (ONS mid-year
population estimates), ``"phof_falls"`` (PHOF 2.24i, emergency admissions for falls, 65+).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from hwb.errors import DataError
from hwb.sources.data import cached_input, path, read_csv

FILES = {
    "dtoc": "calendars/nhse_dtoc_monthly.csv",
    "mye": "calendars/ons_mid_year_estimates.csv",
    "phof_falls": "calendars/phof_falls_22401.csv",
}
"""Each source's calendar, under ``data/``."""

BASES = ("published", "rule", "month", "assumed")
"""How a date is known (see ``data/calendars/SOURCE.md``)."""

KNOWN = "known"
NOT_YET = "not yet published"
UNCERTAIN = "uncertain"


@dataclass(frozen=True)
class Release:
    """One period's first publication."""

    source: str
    period: str
    published: dt.date | None
    earliest: dt.date | None
    latest: dt.date | None
    basis: str
    citation: str

    @property
    def first_possible(self) -> dt.date:
        """The exact date, else the earliest it can have been."""
        d = self.published or self.earliest
        assert d is not None  # the schema requires one of them
        return d


def _iso(v: Any) -> bool:
    if v is None or (isinstance(v, float) and pd.isna(v)) or str(v).strip() == "":
        return True
    try:
        dt.date.fromisoformat(str(v).strip())
    except ValueError:
        return False
    return True


def _schema() -> Any:
    from hwb.sources.data import Column, Schema

    def one_date(df: pd.DataFrame) -> pd.Series:
        return df["published"].notna() | df["earliest"].notna()

    return Schema(
        columns=[
            Column("period"),
            Column("published", nullable=True, check=_iso, rule="a date YYYY-MM-DD"),
            Column("earliest", nullable=True, check=_iso, rule="a date YYYY-MM-DD"),
            Column("latest", nullable=True, check=_iso, rule="a date YYYY-MM-DD"),
            Column("basis", allowed=frozenset(BASES)),
            Column("citation"),
        ],
        key=("period",),
        row_checks=(("a row needs a published or an earliest date", one_date),),
    )


def _date(v: Any) -> dt.date | None:
    if v is None or (isinstance(v, float) and pd.isna(v)) or str(v).strip() == "":
        return None
    return dt.date.fromisoformat(str(v).strip())


@cached_input(maxsize=8)
def _table(source: str) -> dict[str, Release]:
    if source not in FILES:
        raise DataError("data/calendars", f"no publication calendar for source {source!r}; "
                        f"expected one of {', '.join(FILES)}")
    df = read_csv(path(FILES[source]), _schema())
    return {str(r["period"]): Release(source, str(r["period"]), _date(r["published"]),
                                      _date(r["earliest"]), _date(r["latest"]),
                                      str(r["basis"]), str(r["citation"]))
            for _, r in df.iterrows()}


_MYE = re.compile(r"^(?:mid-?)?(\d{4})$", re.IGNORECASE)


def _period_key(source: str, period: Any) -> str:
    if source == "mye":
        m = _MYE.match(str(period).strip())
        return f"mid-{m[1]}" if m else str(period)
    if isinstance(period, (dt.date, pd.Timestamp)):
        return f"{period.year}-{period.month:02d}"
    return str(period).strip()


def release(source: str, period: Any) -> Release:
    """The release of ``period`` of ``source``.

    Raises
    ------
    DataError
        The source has no calendar, or the calendar has no row for the period.
    """
    table = _table(source)
    key = _period_key(source, period)
    if key not in table:
        first, last = next(iter(table)), list(table)[-1]
        raise DataError(FILES[source], f"no release date for period {key!r} (the calendar "
                        f"covers {first} to {last})")
    return table[key]


def published_on(source: str, period: Any) -> dt.date:
    """The date ``period`` of ``source`` was first published.

    When only a window is known (basis ``month`` or ``assumed``), the earliest date it can
    have been; :func:`release` gives the window and the basis.

    Examples
    --------
    September 2017's delayed transfers were published on the second Thursday of November:

    >>> published_on("dtoc", "2017-09")
    datetime.date(2017, 11, 9)
    >>> published_on("mye", "mid-2016"), published_on("mye", 2017)
    (datetime.date(2017, 6, 22), datetime.date(2018, 6, 1))
    """
    return release(source, period).first_possible


def known_status(source: str, period: Any, meeting_date: Any) -> str:
    """``"known"``, ``"not yet published"`` or ``"uncertain"`` on the meeting date.

    Published on the day of the meeting counts as known. A window that straddles the meeting
    date is uncertain.

    Examples
    --------
    >>> known_status("phof_falls", "2015/16", "2017-09-20")
    'known'
    >>> known_status("phof_falls", "2015/16", "2017-01-10")
    'uncertain'
    """
    r = release(source, period)
    meeting = _meeting(meeting_date)
    if r.published is not None:
        return KNOWN if r.published <= meeting else NOT_YET
    if r.latest is not None and r.latest <= meeting:
        return KNOWN
    if r.earliest is not None and r.earliest > meeting:
        return NOT_YET
    return UNCERTAIN


def known_at(source: str, period: Any, meeting_date: Any) -> bool:
    """Whether the board could have seen ``period``'s figures on ``meeting_date``.

    True only when the figures were certainly published by then (an uncertain window is
    False: the appendix then marks the figure as possibly hindsight; :func:`known_status`
    tells the two apart).

    Examples
    --------
    At the Rotherham board of 20 September 2017, July 2017 (published 14 September) was known
    and September 2017 (published 9 November) was not:

    >>> known_at("dtoc", "2017-07", "2017-09-20"), known_at("dtoc", "2017-09", "2017-09-20")
    (True, False)
    """
    return known_status(source, period, meeting_date) == KNOWN


def latest_known(source: str, meeting_date: Any) -> str | None:
    """The latest period of ``source`` certainly published by ``meeting_date`` (None if none).

    Examples
    --------
    >>> latest_known("dtoc", "2017-09-20"), latest_known("dtoc", "2018-01-25")
    ('2017-07', '2017-11')
    >>> latest_known("mye", "2018-01-25")
    'mid-2016'
    """
    table = _table(source)
    known = [p for p in table if known_at(source, p, meeting_date)]
    if not known:
        return None
    return max(known, key=lambda p: table[p].first_possible)


def split_known(series: pd.Series, source: str, meeting_date: Any) -> tuple[pd.Series, pd.Series]:
    """A series indexed by period, split into what was published by the meeting and the rest.

    The second part is hindsight: an appendix shows it apart, and a key message does not
    present it as something the board could have known.  Periods the calendar does not cover
    count as hindsight.

    Examples
    --------
    >>> s = pd.Series([1.0, 2.0, 3.0], index=["2017-07", "2017-08", "2017-09"])
    >>> known, later = split_known(s, "dtoc", "2017-09-20")
    >>> list(known.index), list(later.index)
    (['2017-07'], ['2017-08', '2017-09'])
    """
    meeting = _meeting(meeting_date)  # a bad date is an error, not hindsight
    _table(source)  # so is an unknown source

    def ok(p: Any) -> bool:
        try:
            return known_at(source, p, meeting)
        except DataError:
            return False

    mask = [ok(p) for p in series.index]
    keep = pd.Series(mask, index=series.index, dtype=bool)
    return series[keep], series[~keep]


def _meeting(v: Any) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v).strip()[:10])
    except ValueError:
        raise DataError("meeting_date", f"{v!r} is not a date YYYY-MM-DD") from None
