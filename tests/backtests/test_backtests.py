"""Back-tests: each built report's ``figures.csv`` against its committed expected figure table.

The printed papers stay the primary oracle (every report's figures check
compares with them); these tables are a regression net that catches any change
to any recorded figure, printed or not, and to any check status.  Each table
``expected/<paper>-<area>-<period>.csv`` holds, per recorded figure, its ``id``,
its ``value`` at the declared display precision and its ``status``; the test
compares the report ``make reports`` built under ``outputs/`` with it: the same
ids, the same values at that precision, the same statuses.  A new or missing
figure id fails with instructions to refresh the table (``refresh.py``) after a
reviewed change.

How the committed tables were checked by hand (from the build of 23 November
2026, against the board packs as printed; "line" is the line of the seed text,
"page" the pack's page stamp):

``dtoc-rotherham-2017-09`` (Rotherham HWB pack, 20 September 2017, item 15, BCF
plan Appendix 2, planning template tab 4.4, page 220): the quarterly rates on
line 16921 are the delayed days on line 16924 over the 18+ populations on line
16927 per 100,000 — 2016/17 Q1: 1,390 / 204,995 x 100,000 = 678.07, printed
678.1 (table: 678.1, reproduced); 2017/18 Q1: 2,400 / 205,748 x 100,000 =
1,166.48, printed 1166.5 (1166.5 at one decimal, reproduced; 1166 at no
decimals as on the summary page 199, line 15431); 2016/17 Q3 days 1,558
(line 16924, reproduced).  The September 2017 delayed days, 674, are the NHS
530 + social care 105 + both 39 of the monthly series (530 + 105 + 39 = 674).
The "not more than 9.4 people delayed" expectation (line 16953) recomputes to
9.3, so it is ``rounding``, as the figures check reports.

``dtoc-leicestershire-2017-11`` (Leicestershire HWB pack, 25 January 2018):
the November rate printed 240.03 per 100,000 for 1,311 delayed days (line
1547) implies a population of 1,311 / 240.03 x 100,000 = 546,182; the
recomputation from the published series and the 18+ population gives 232.33
(``differs``, with the reason in the figures check).  The target of 6.84 per
day (line 1549) is 205.32 / 30 = 6.844 (reproduced at two decimals).

``bcf-rotherham-2017-19`` (Rotherham pack, item 15, BCF planning template,
pages 159-201): the minimum NHS out-of-hospital spend total £9,627,139 for
2017/18 (line 15305) and the mental health line £790,790 for 2018/19 (lines
15293 and 15328) as printed; the Falls Service line 444 (£k, line 14523) from
443.977 at no decimals (reproduced).  The Quarter 1 target of 75 residential
admissions 65+ (lines 12028 and 17009) recomputes as the 2017/18 target 297 / 4
= 74.25, shown 74: ``rounding``.  Of the eight planned quarters (2017/18 Q1 to
2018/19 Q4; ``dtoc.quarters_planned`` 8) the actual rate is above the plan of
tab 4.4 (line 16921) in six: 1,315.7 > 1,166.5, 1,167.0 > 694.1, 714.5 > 694.1,
987.4 > 691.9, 1,008.8 > 691.9 and 1,192.6 > 675.1, but not 594.5 < 676.9 or
652.2 < 684.6 (``dtoc.quarters_above_plan`` 6).

``falls-rotherham-2012-13-2015-16`` (Rotherham pack, item 15, BCF plan narrative,
lines 9989-9996): "over the last 4 years" (claim_years 4, reproduced); "close to
£15m ... with an average annual saving of £3.6m": 15 / 4 = 3.75, not 3.6; a
total printed as 15 (14.5 to 15.5) and an average printed as 3.6 (3.55 to 3.65,
times 4: 14.2 to 14.6) agree only for totals of 14.5 to 14.6 (the table's
``consistent_total_low`` and ``_high``); the rebuild's £16.3m and £4.08m differ,
as the figures check says.  The rate fell from 2,407 to 1,595 per 100,000:
(1,595 - 2,407) / 2,407 = -33.7%.  The falls service line 444 (£k, line 14523)
from 443.977.

``bcf-leicestershire-2017-19`` (Leicestershire pack, BCF plan and section 75
agreement): the 2017/18 section 75 total £52,119,763 (page 185-217, line 9634)
and the funding-sources total £52,120k (page 86-137, line 5785; 52,119.763
rounds to 52,120); the Disabled Facilities Grant £3,349,869 (line 9608) and the
West Leicestershire CCG HART step-down line £403,810 (line 9855), each as
printed.

``equity-rotherham-2015-16`` (Rotherham pack, item 14 Equity Audit, pages
79-99): 135 of 252 children (line 6675) is 53.6%, printed 54%; 385 of 855
adults (line 6536) is 45.0%, printed 45%; the three MSOAs' mid-2015 population
recomputes to 23,355 against "totals 23,360" (line 6204: ``differs``) and to
8.95% of Rotherham, printed 9% (line 6205: reproduced); MoreLife Tier 3 67.1%
(line 7063), Yorkshire Smoke Free expected share 8.4% (line 6913), each as
printed; the EHC lower limit printed 42.5 is 42.56 truncated (line 6989:
``rounding``, as the figures check explains).

``equity-leicestershire-2019`` has no printed figures (a run with a blank
``board``: expected shares only).  Its all-ages expected share is the selected
areas' 71,172 residents over Leicestershire's 706,155 (ONS mid-2019 estimate,
``data/population``): 71,172 / 706,155 = 10.08%.

A report with no table (a paper added later) is reported as skipped locally
(a failure under ``CI``) until its developer reviews a build and runs
``refresh.py``.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from hwb.sources.data import project_root
from tests.backtests.refresh import (
    EXPECTED,
    configured_reports,
    differences,
    expected_name,
    table_from_figures_csv,
)

OUTPUTS = project_root() / "outputs"
REPORTS = configured_reports(OUTPUTS)


def _refresh_hint(paper: str) -> str:
    return (
        "if the change was reviewed against the printed paper, refresh the table: "
        f"`.venv/bin/hwb reports --paper {paper}` then "
        f"`.venv/bin/python tests/backtests/refresh.py {paper}`, review "
        "`git diff tests/backtests/expected/` and commit it"
    )


def _skip_or_fail(msg: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(msg)
    pytest.skip(msg)


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("paper", "report"),
    REPORTS,
    ids=[expected_name(p, r).removesuffix(".csv") for p, r in REPORTS],
)
def test_built_figures_match_the_expected_table(paper: str, report: Path) -> None:
    expected_path = EXPECTED / expected_name(paper, report)
    built_path = report / "figures.csv"
    rel = built_path.relative_to(OUTPUTS.parent)
    if not built_path.is_file():
        _skip_or_fail(f"{rel} is not built: run `make reports` first")
    if not expected_path.is_file():
        _skip_or_fail(
            f"no expected table {expected_path.name} for {rel}; review the build against the "
            f"printed paper, then {_refresh_hint(paper).split(': ', 1)[1]}"
        )
    with open(expected_path, newline="", encoding="utf-8") as f:
        expected = list(csv.DictReader(f))
    problems = differences(expected, table_from_figures_csv(built_path))
    if problems:
        shown = "\n  ".join(problems[:30])
        more = f"\n  ... and {len(problems) - 30} more" if len(problems) > 30 else ""
        pytest.fail(
            f"{rel} differs from {expected_path.relative_to(EXPECTED.parents[2])}:\n  "
            f"{shown}{more}\n{_refresh_hint(paper)}"
        )


def test_every_expected_table_belongs_to_a_configured_report() -> None:
    names = {expected_name(p, r) for p, r in REPORTS}
    orphans = sorted(p.name for p in EXPECTED.glob("*.csv") if p.name not in names)
    assert not orphans, (
        f"expected tables with no configured report (a params file was renamed or removed?): "
        f"{', '.join(orphans)}; delete them or restore the params file"
    )


def test_expected_tables_are_well_formed() -> None:
    tables = sorted(EXPECTED.glob("*.csv"))
    assert tables, "no expected tables committed"
    for path in tables:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        assert rows and list(rows[0]) == ["id", "value", "status"], path.name
        ids = [r["id"] for r in rows]
        assert len(ids) == len(set(ids)), f"{path.name}: duplicated figure id"
        statuses = {r["status"] for r in rows}
        assert statuses <= {"reproduced", "rounding", "differs", "no printed figure"}, path.name


def test_comparison_flags_each_kind_of_change(tmp_path: Path) -> None:
    """A hand-made figures.csv against a hand-made expected table.

    ``a`` is 3.2612 at two decimals, 3.26 as expected; ``b`` is 3.2651, which
    rounds half up to 3.27, not the expected 3.26; ``c`` changed status; ``d``
    is new and ``e`` is no longer recorded.
    """
    built = tmp_path / "figures.csv"
    built.write_text(
        "id,label,value,text,unit,precision,printed,status,reason,citation,method\n"
        "a,,3.2612,,,2,,reproduced,,,\n"
        "b,,3.2651,,,2,,reproduced,,,\n"
        "c,,met,,,0,,differs,,,\n"
        "d,,1.0,,,0,,no printed figure,,,\n"
    )
    expected = [
        {"id": "a", "value": "3.26", "status": "reproduced"},
        {"id": "b", "value": "3.26", "status": "reproduced"},
        {"id": "c", "value": "met", "status": "reproduced"},
        {"id": "e", "value": "7", "status": "no printed figure"},
    ]
    assert differences(expected, table_from_figures_csv(built)) == [
        "1 new figure id(s): d",
        "1 figure id(s) no longer recorded: e",
        "b: value '3.27', expected '3.26'",
        "c: status 'differs', expected 'reproduced'",
    ]
