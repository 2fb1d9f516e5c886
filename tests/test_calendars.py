"""Publication calendars: dates checked against the publishers' pages (data/calendars/SOURCE.md)
and the second-Thursday rule worked by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from hwb.errors import DataError
from hwb.sources import calendars


@pytest.mark.parametrize(
    ("period", "published"),
    [
        # the publisher's own pages
        ("2015-10", dt.date(2015, 12, 10)),
        ("2018-03", dt.date(2018, 5, 10)),
        ("2019-04", dt.date(2019, 6, 13)),
        # the rule, by hand: November 2017's Thursdays are the 2nd and 9th -> 9 November
        ("2017-09", dt.date(2017, 11, 9)),
        # September 2017's Thursdays are the 7th and 14th -> 14 September for July 2017
        ("2017-07", dt.date(2017, 9, 14)),
        # January 2018: Thursdays 4th and 11th -> November 2017 data on 11 January 2018
        ("2017-11", dt.date(2018, 1, 11)),
    ],
)
def test_dtoc_release_dates(period: str, published: dt.date) -> None:
    assert calendars.published_on("dtoc", period) == published


def test_the_checked_releases_are_marked_published_and_cited() -> None:
    r = calendars.release("dtoc", "2018-03")
    assert r.basis == "published" and "england.nhs.uk" in r.citation
    assert calendars.release("dtoc", "2017-09").basis == "rule"


def test_as_known_at_the_rotherham_and_leicestershire_meetings() -> None:
    """Rotherham met on 20 September 2017: 'In Sep 2017 ...' could not be known (published
    9 November); July 2017 was (14 September). Leicestershire met on 25 January 2018: November
    2017 was published on 11 January 2018, December 2017 on 8 February 2018."""
    assert calendars.known_at("dtoc", "2017-07", "2017-09-20")
    assert not calendars.known_at("dtoc", "2017-08", "2017-09-20")  # 12 October 2017
    assert not calendars.known_at("dtoc", "2017-09", dt.date(2017, 9, 20))
    assert calendars.latest_known("dtoc", "2018-01-25") == "2017-11"
    assert not calendars.known_at("dtoc", "2017-12", "2018-01-25")
    # published on the meeting day counts as known
    assert calendars.known_at("dtoc", "2017-07", "2017-09-14")


def test_population_estimates() -> None:
    """Mid-2017 estimates came out in June 2018: a January 2018 board had mid-2016 at best."""
    assert calendars.published_on("mye", "mid-2016") == dt.date(2017, 6, 22)
    assert not calendars.known_at("mye", "mid-2017", "2018-01-25")
    assert calendars.known_status("mye", "mid-2017", "2018-06-15") == calendars.UNCERTAIN
    assert calendars.known_at("mye", "mid-2017", "2018-07-01")
    assert calendars.known_at("mye", 2019, "2020-06-24")
    assert calendars.latest_known("mye", "2018-01-25") == "mid-2016"


def test_phof_windows() -> None:
    assert calendars.known_status("phof_falls", "2016/17", "2017-09-20") == calendars.NOT_YET
    assert calendars.known_at("phof_falls", "2015/16", "2017-09-20")
    assert calendars.known_status("phof_falls", "2015/16", "2017-03-01") == calendars.UNCERTAIN


def test_unknown_source_period_or_date_are_one_line_errors() -> None:
    for call in (lambda: calendars.published_on("nosuch", "2017-01"),
                 lambda: calendars.published_on("dtoc", "2030-01"),
                 lambda: calendars.known_at("dtoc", "2017-01", "20 Sept 2017")):
        with pytest.raises(DataError) as e:
            call()
        assert "\n" not in str(e.value)


def test_split_known_separates_hindsight() -> None:
    """Rotherham, 20 September 2017: of June to September 2017, June (published 10 August) and
    July (14 September) were known; August (12 October) and September (9 November) were not."""
    import pandas as pd

    s = pd.Series([1.0, 2.0, 3.0, 4.0], index=["2017-06", "2017-07", "2017-08", "2017-09"])
    known, later = calendars.split_known(s, "dtoc", "2017-09-20")
    assert list(known.index) == ["2017-06", "2017-07"]
    assert list(later.index) == ["2017-08", "2017-09"]
    with pytest.raises(DataError):
        calendars.split_known(s, "dtoc", "not a date")


def test_a_figure_from_later_data_is_marked_hindsight() -> None:
    """'In Sep 2017, residents spent 674 days' under a paper of 20 September 2017: September's
    figures were published on 9 November 2017, so the figures check must say hindsight."""
    import pandas as pd

    from hwb.toolkit.figures import PRINTED_COLUMNS, Recorder

    r = dict.fromkeys(PRINTED_COLUMNS, "")
    r.update(figure_id="days", value="674", board="b", document="Pack")
    rec = Recorder(pd.DataFrame([r]), publish=False)
    late = not calendars.known_at("dtoc", "2017-09", "2017-09-20")
    f = rec.record("days", "delayed days", 674, "days", vintage="NHS England DTOC, 2017-09",
                   hindsight=late)
    assert f.status == "reproduced" and f.hindsight and "hindsight" in f.reason
    assert f.as_dict()["vintage"] == "NHS England DTOC, 2017-09"
