"""The built DTOC appendices: numbers traceable (issue 15, item 3) and board text that belongs to
its board (issue 14, item 6).

Both seed appendices are built once (module fixture) with the command line, as an analyst
builds them, and the HTML is read back.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.html_text import pieces as _pieces
from tests.html_text import untraced_numbers

ROOT = Path(__file__).resolve().parents[2]
PARAMS = {"rotherham": ROOT / "params" / "dtoc" / "rotherham-2017-09.yaml",
          "leicestershire": ROOT / "params" / "dtoc" / "leicestershire-2017-11.yaml"}
AREAS = {"rotherham": "Rotherham", "leicestershire": "Leicestershire"}
COMPARISONS = ("hwb-section--comparable-councils",)
"""Sections that set the board beside other councils: other areas' names belong there."""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from tests.conftest import hwb

    out = tmp_path_factory.mktemp("dtoc") / "out"
    for f in PARAMS.values():
        r = hwb("run", "dtoc", str(f), "--outputs", str(out), "--force", "--quiet")
        assert r.returncode == 0, r.stderr
    found = {}
    for slug in PARAMS:
        files = list((out / "dtoc" / slug).glob("*/appendix.html"))
        assert len(files) == 1
        found[slug] = files[0].read_text(encoding="utf-8")
    return found


def test_the_checker_finds_an_untraced_number() -> None:
    """A hand-made page: "674" is a figure, "530" is typed in; dates and the measure's words
    are not figures."""
    page = ('<section class="hwb-section--key-messages"><p>In Sep 2017 (20 September 2017), '
            '<span data-figure="a.days">674</span> days, 530 to the NHS, per 100,000 aged 18+, '
            'in 2017/18 Q1 (ONS mid-2019).</p></section>')
    assert untraced_numbers(_pieces(page), "hwb-section--key-messages") == ["530"]


def test_the_checker_passes_method_words_but_not_a_share() -> None:
    """A confidence level beside its limits and a cited paper's year are the method's words;
    "95% of boards" is a figure typed in."""
    page = ('<section class="hwb-section--key-messages"><p>Spiegelhalter 2005; outside the '
            '99.8% limits and the 95% limits; 95% of boards (Smith and Jones 2010).</p></section>')
    assert untraced_numbers(_pieces(page), "hwb-section--key-messages") == ["95%"]


@pytest.mark.parametrize("slug", list(PARAMS))
def test_every_number_in_the_key_messages_is_a_linked_figure(pages: dict[str, str],
                                                             slug: str) -> None:
    pieces = _pieces(pages[slug])
    traced = [p for p in pieces if "hwb-section--key-messages" in p["classes"]  # type: ignore
              and p["figure"]]
    assert len(traced) >= 8  # the check sees the key messages' figures
    assert untraced_numbers(pieces, "hwb-section--key-messages") == []


@pytest.mark.parametrize("slug", list(PARAMS))
def test_every_number_in_chart_descriptions_is_a_figure(pages: dict[str, str],
                                                        slug: str) -> None:
    page = pages[slug]
    # quarterly, trend, three main reasons, nearest neighbours
    assert page.count('class="hwb-alt"') >= 6
    assert untraced_numbers(_pieces(page), "hwb-alt") == []


@pytest.mark.parametrize("slug", list(PARAMS))
def test_figure_links_lead_to_figures_check_rows(pages: dict[str, str], slug: str) -> None:
    """Each linked figure in prose points at a row of the figures check on the same page, and
    the figures the paper printed (and the key messages quote) are linked, not only marked."""
    page = pages[slug]
    links = re.findall(r'<a class="hwb-fig" data-figure="([^"]+)" href="#fig-([^"]+)"', page)
    assert links
    # every recorded figure has a row (the printed ones' table, then every other recorded
    # figure's), so no mark is left without a link
    assert '<span class="hwb-fig"' not in page
    for fid, target in links:
        assert fid == target
        assert f'<tr id="fig-{target}"' in page, target
    km = page[page.index('<section class="hwb-section hwb-section--key-messages"'):]
    km = km[:km.index("</section>")]
    assert f'data-figure="{slug}.actual.total" href="#fig-{slug}.actual.total"' in km or \
        f'data-figure="{slug}.gap_patients_per_day" href=' in km


# --- board text belongs to its board ---------------------------------------------------------

IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
"""An internal identifier such as ``final_year_repeated`` (snake case)."""


def prose(pieces: list[dict[str, object]]) -> str:
    """The running text outside tables, code, charts' SVG and the comparison sections; paths
    in source lines are file names, not identifiers."""
    text = " ".join(str(p["text"]) for p in pieces if p["prose"]
                    and not any(c in COMPARISONS for c in p["classes"]))  # type: ignore
    return re.sub(r"\S*/\S*", " ", text)


def test_prose_checker_finds_what_it_is_for() -> None:
    """A hand-made page with another board's name and a method id in prose, the same words in
    a table and in a comparison section (both allowed)."""
    page = ("<p>Used admission_plus_after for Rotherham.</p><table><tr><td>"
            "final_year_repeated Leicestershire</td></tr></table>"
            '<section class="hwb-section hwb-section--comparable-councils"><p>Leicestershire'
            "</p></section><p>Source: data/dtoc/population_18plus_as_printed.csv</p>")
    text = prose(_pieces(page))
    assert IDENTIFIER.findall(text) == ["admission_plus_after"]
    assert "Rotherham" in text and "Leicestershire" not in text


@pytest.mark.parametrize("slug", list(PARAMS))
def test_appendix_keeps_to_its_own_board(pages: dict[str, str], slug: str) -> None:
    """Each DTOC appendix names no other board's area in its prose (outside the comparison with
    its nearest neighbours) and shows no internal identifier there (issue 14: the Rotherham
    methods quoted Leicestershire's out-of-area note; the Leicestershire appendix quoted
    Rotherham's denominator note; key messages showed method ids)."""
    text = prose(_pieces(pages[slug]))
    assert AREAS[slug] in text  # the checker sees the appendix's own prose
    others = [a for s, a in AREAS.items() if s != slug and a in text]
    assert not others, f"{slug} appendix names {others} in its prose"
    assert not IDENTIFIER.findall(text), f"{slug}: identifiers {IDENTIFIER.findall(text)}"


@pytest.mark.parametrize("slug", list(PARAMS))
def test_table_numbers_are_marked_figures(pages: dict[str, str], slug: str) -> None:
    """The month table's delayed days and rates, the quarterly series and the reasons table
    hold the recorded figures themselves: each such cell carries the figure's id (and so links
    to its derivation). The month table has three responsible organisations and a total, each
    with days and a rate per day (8 cells), the total's monthly rate (1); every quarter with
    data adds three; each reason with data two."""
    page = pages[slug]
    cell = r'<td class="num"><(?:a|span) class="hwb-fig" data-figure="'
    for fid in (f"{slug}.delayed_days", f"{slug}.delayed_days.nhs", f"{slug}.actual.total",
                f"{slug}.rate_month"):
        assert re.search(cell + re.escape(fid) + '"', page), fid
    assert re.search(cell + rf'{slug}\.(?:actual_days|tab44_days)\.\d{{4}}-\d{{2}}-q\d"', page)
    assert re.search(cell + rf'{slug}\.reason\.', page)
    cells = re.findall(cell, page)
    assert len(cells) >= 9 + 3 + 2
