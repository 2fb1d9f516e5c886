"""A small national run end to end: three boards and the summary, in a temporary folder.

``python -m hwb.commands.national dtoc --month 2017-11 --limit 3`` (what ``hwb national``
and ``make national`` run) builds the first three boards by area code
(E06000001-3: Hartlepool, Middlesbrough, Redcar and Cleveland, the first codes
of the ONS register) and the national summary.  Checked here:

* the three board appendices exist where the runner puts them, under
  ``national/dtoc/<area>/2017-11/``, apart from the board appendices of ``hwb reports``;
* the summary's league table lists every authority in the series for the month
  (150 rows: 152 boards, less the City of London and the Isles of Scilly, which
  NHS England counts with Hackney and Cornwall), each in every sorted copy;
* every link in the summary to an ``appendix.html`` resolves to an existing file,
  and exactly the three built boards are linked;
* the national index lists the boards and the summary; the page has no script.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from hwb.sources.data import project_root

pytestmark = pytest.mark.e2e

ROOT = project_root()
BOARDS = ("hartlepool", "middlesbrough", "redcar-cleveland")


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("national-outputs")
    r = subprocess.run(
        [sys.executable, "-m", "hwb.commands.national", "dtoc", "--month", "2017-11",
         "--limit", "3",
         "--outputs", str(out), "--workers", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=1200,
    )
    assert r.returncode == 0, f"national run failed: {r.stderr.strip()[-3000:]}"
    assert "3 board appendices" in r.stdout and "0 failed" in r.stdout, r.stdout
    # the summary line: all 150 boards of the series covered, and why the four others are not
    assert "2017-11: 150 boards covered; 4 areas not" in r.stdout, r.stdout
    cov = (out / "national" / "coverage" / "dtoc-2017-11.csv").read_text(encoding="utf-8")
    assert cov.count("\n") == 1 + 154 and "counts it with Hackney" in cov
    return out / "national"


def test_board_appendices_are_under_national(national: Path) -> None:
    for b in BOARDS:
        assert (national / "dtoc" / b / "2017-11" / "appendix.html").is_file(), b
    assert len(list((national / "params" / "dtoc").glob("*.yaml"))) == 3


def test_summary_links_resolve_to_the_built_appendices(national: Path) -> None:
    summary = national / "national" / "england" / "2017-11" / "appendix.html"
    page = summary.read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+/appendix\.html)">', page)
    targets = {(summary.parent / h).resolve() for h in links}
    assert targets == {(national / "dtoc" / b / "2017-11" / "appendix.html").resolve()
                       for b in BOARDS}
    assert all(t.is_file() for t in targets)
    assert "<script" not in page.lower()


def test_summary_league_table_is_complete(national: Path) -> None:
    page = (national / "national" / "england" / "2017-11" / "appendix.html").read_text(
        encoding="utf-8")
    first = page.split("sorted by delayed patients per day", 1)[1].split("</table>", 1)[0]
    assert first.count('<th scope="row">') == 150
    # Leicestershire's 1,311 delayed days (item 10, 25 January 2018) is in every order
    sorted_copies = page.count('<details class="hwb-sorted">')
    assert sorted_copies >= 5
    assert page.count(">1,311<") >= 1 + sorted_copies


def test_national_index_lists_boards_and_summary(national: Path) -> None:
    index = (national / "index.html").read_text(encoding="utf-8")
    for b in BOARDS:
        assert f"dtoc/{b}/2017-11/appendix.html" in index
    assert "national/england/2017-11/appendix.html" in index
