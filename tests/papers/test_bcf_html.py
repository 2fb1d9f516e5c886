"""The built BCF appendices: every number traceable (issue 15, item 3).

The three committed appendices (Rotherham and Leicestershire with their printed papers, Coventry
with none) are built once (module fixture) with the command line, as an analyst builds them, and
the HTML is read back: no number of the key messages or of a chart description stands outside a
recorded figure, figure links lead to rows of the figures check, and the key tables' numbers are
recorded figures.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.html_text import pieces as _pieces
from tests.html_text import untraced_numbers

ROOT = Path(__file__).resolve().parents[2]
AREAS = ("rotherham", "leicestershire", "coventry")
PRINTED = ("rotherham", "leicestershire")
"""The appendices with a printed paper, hence a figures check to link to."""
KEY = "hwb-section--key-messages"
MEASURE_WORDS = re.compile(r"\bper 1,000\b|\baged 65\+|\b91 days\b|\bsum to 100\b"
                           r"|\b(?:section |s)75\b|\b\d{4}/\d{2}(?: Q[1-4])?\b")
"""The BCF measures' own words (the ASCOF 2B(1) measure is "still at home 91 days after
reablement"; the mapping's shares "sum to 100"; a section 75 agreement), not figures, besides
:data:`tests.html_text.NOT_FIGURES`; and financial years
and quarters, taken out first because NOT_FIGURES' cited year ("Author 2017") would otherwise
take "The 2017" of "The 2017/18" and leave "/18"."""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from tests.conftest import hwb

    out = tmp_path_factory.mktemp("bcf") / "out"
    for area in AREAS:
        r = hwb("run", "bcf", str(ROOT / "params" / "bcf" / f"{area}-2017-19.yaml"),
                "--outputs", str(out), "--force", "--quiet")
        assert r.returncode == 0, r.stderr
    found = {}
    for area in AREAS:
        files = list((out / "bcf" / area).glob("*/appendix.html"))
        assert len(files) == 1
        found[area] = files[0].read_text(encoding="utf-8")
    return found


def untraced(page: str | list[dict[str, object]], where: str) -> list[str]:
    """Numbers under class ``where`` outside a recorded figure, the measures' words aside (of a
    page, or of its pieces); a figure's disclosure button (``hwb-why``, "How 7,395 was
    computed") restates its figure and is not text of its own."""
    ps = _pieces(page) if isinstance(page, str) else page
    return untraced_numbers([dict(p, text=MEASURE_WORDS.sub(" ", str(p["text"]))) for p in ps
                             if "hwb-why" not in p["classes"]], where)  # type: ignore[operator]


def marked(page: str | list[dict[str, object]], where: str) -> int:
    """Recorded figures marked in the text under class ``where`` (of a page, or its pieces)."""
    ps = _pieces(page) if isinstance(page, str) else page
    return sum(1 for p in ps if where in p["classes"] and p["figure"]  # type: ignore[operator]
               and "hwb-why" not in p["classes"])  # type: ignore[operator]


def test_the_checker_allows_the_measures_words_only() -> None:
    """A hand-made page: "91 days", "per 1,000 population" and "aged 65+" are the measures'
    words, financial years and quarters are periods; "552.1" is a figure; "4.1" and "7" typed in
    are caught."""
    page = (f'<section class="{KEY}"><p>Still at home 91 days after reablement; 4.1 per 1,000 '
            'population; <span data-figure="r">552.1</span> per 100,000 aged 65+, 7 councils. '
            "The 2017/18 plan; In 2018/19 Q1.</p></section>")
    assert untraced(page, KEY) == ["4.1", "7"]


@pytest.mark.parametrize("area", AREAS)
def test_every_number_in_the_key_messages_is_a_figure(pages: dict[str, str], area: str) -> None:
    """The key messages quote, for every board, the last month's variation, the 2018/19 rate and
    England's for non-elective admissions and for delayed days (6), and ASCOF 2A(2) and 2B(1)
    with rank and councils ranked (6); a board with a printed paper adds the four counts of the
    figures check (4); Rotherham, with its template and delayed-transfers plan, adds the two
    pooled-budget remainders, the unexplained remainders, the Improved BCF remainder and the
    planned quarters above plan (6): 12, 16 and 22 figures (sections.key_messages and
    actual_sections.key_messages)."""
    page = pages[area]
    least = {"rotherham": 22, "leicestershire": 16, "coventry": 12}[area]
    assert marked(page, KEY) >= least
    assert untraced(page, KEY) == []


@pytest.mark.parametrize("area", AREAS)
def test_every_number_in_the_sections_sentences_is_a_figure(pages: dict[str, str],
                                                            area: str) -> None:
    """Every sentence a section writes (``rec.say``: the Markdown among a cell's outputs, not the
    notebook's own text) quotes its numbers as recorded figures, in every section."""
    ps = [p for p in _pieces(pages[area]) if "hwb-md" in p["classes"]]  # type: ignore[operator]
    assert marked(ps, "hwb-out") > marked(pages[area], KEY) > 0
    assert untraced(ps, "hwb-out") == []


@pytest.mark.parametrize("area", AREAS)
def test_every_number_in_chart_descriptions_is_a_figure(pages: dict[str, str],
                                                        area: str) -> None:
    """Every board has the two XmR charts (non-elective admissions and delayed days a day), each
    description quoting at least the points, the mean, two limits, a verdict's count and the
    latest point (6); Rotherham adds five series charts (planned admissions, delayed days, the two
    ASCOF metrics, admissions against plan), each quoting first, last, lowest and highest (4):
    at least 12 and 32 figures."""
    page = pages[area]
    charts = 7 if area == "rotherham" else 2
    assert page.count('class="hwb-alt"') == charts
    assert marked(page, "hwb-alt") >= (32 if area == "rotherham" else 12)
    assert untraced(page, "hwb-alt") == []


@pytest.mark.parametrize("area", AREAS)
def test_figure_links_lead_to_figures_check_rows(pages: dict[str, str], area: str) -> None:
    """Each linked figure points at a row of the figures check on the same page; a board with a
    printed paper has linked figures (at least its checks, in the table of every comparison)."""
    page = pages[area]
    links = re.findall(r'<a class="hwb-fig" data-figure="([^"]+)" href="#fig-([^"]+)"', page)
    assert links or area not in PRINTED
    for fid, target in links:
        assert fid == target
        assert f'<tr id="fig-{target}"' in page, target


def _table(page: str, caption: str) -> str:
    i = page.index(caption)
    return page[page.rindex("<table", 0, i):page.index("</table>", i)]


def _num_cells(table: str) -> list[str]:
    return re.findall(r'<td class="num">(.*?)</td>', table)


def _is_marked(cell: str) -> bool:
    return bool(re.match(r'<(?:a|span) class="hwb-fig" data-figure="[^"]+"', cell))


def test_plan_against_actual_cells_are_figures(pages: dict[str, str]) -> None:
    """Rotherham's plan-against-actual table: 8 quarters of non-elective admissions, 8 of
    delayed days and the two ASCOF metrics for 2018/19, each with plan, actual and the
    difference: 18 x 3 = 54 numbers, every one a recorded figure."""
    cells = _num_cells(_table(pages["rotherham"], "Plan against actual for every metric"))
    assert len(cells) == 54
    assert all(_is_marked(c) for c in cells), [c for c in cells if not _is_marked(c)]


@pytest.mark.parametrize("area", AREAS)
def test_england_table_cells_are_figures(pages: dict[str, str], area: str) -> None:
    """The board against England: 4 years x 2 measures (non-elective admissions, delayed days)
    and the two ASCOF measures, the board's and England's value marked: 18 cells; the
    differences are not recorded figures."""
    cells = _num_cells(_table(pages[area], "against England, by year"))
    assert sum(_is_marked(c) for c in cells) == 18


def test_money_remainders_are_figures(pages: dict[str, str]) -> None:
    """Rotherham's money: the reconciliation's 6 sources x 2 years each with the scheme lines'
    sum and, where the source is a funding line (5 x 2), the remainder: 22 recorded figures
    (the funding column is tab 2 as printed), among them the two pooled-budget remainders;
    the 7 areas of spend x 2 years, each with the scheme lines' sum and the remainder: 28; and
    each Improved BCF remainder."""
    page = pages["rotherham"]
    recon = _table(page, "against the scheme lines naming that source")
    assert sum(_is_marked(c) for c in _num_cells(recon)) == 22
    assert recon.count('data-figure="remainder.pooled.') == 2
    areas = _table(page, "Expenditure by area of spend: the summary tab")
    assert sum(_is_marked(c) for c in _num_cells(areas)) == 28
    ibcf = _table(page, "each allocation against the uses itemised for it")
    assert 'data-figure="ibcf.remainder.0"' in ibcf


@pytest.mark.parametrize("area", AREAS)
def test_the_boards_own_row_among_comparable_councils_is_figures(pages: dict[str, str],
                                                                 area: str) -> None:
    """The comparable councils' table: the board's own row (the first) holds its four recorded
    2018/19 values (non-elective admissions, delayed days, ASCOF 2A(2) and 2B(1))."""
    table = _table(pages[area], "and its comparable councils")
    first = table[table.index("<tbody><tr>"):table.index("</tr>", table.index("<tbody><tr>"))]
    assert sum(_is_marked(c) for c in _num_cells(first)) == 4


def test_recomputed_rates_and_intervals_are_figures(pages: dict[str, str]) -> None:
    """Rotherham's rates table: residential admissions (4 periods of tab 4.2), reablement (4 of
    tab 4.3) and delayed days (12 quarters of tab 4.4), each recomputed from its printed parts
    (20 figures), and the two actual years' 95% limits (2015/16 residential admissions and
    reablement: 4 figures); numerators, denominators and the printed rate are as printed."""
    cells = _num_cells(_table(pages["rotherham"], "Each printed rate or proportion recomputed"))
    assert len(cells) == 20 * 6
    assert sum(_is_marked(c) for c in cells) == 24
