"""The built falls appendices: every number traceable (issue 15, item 3).

The committed appendices (``params/falls/*.yaml``: Rotherham, with its printed claim, and York,
the published rates only) are built once (module fixture) with the command line, as an analyst
builds them, and the HTML is read back: no number in the key messages or in a chart's
description stands outside a ``data-figure`` element, every figure link leads to a row of the
figures check, and the key tables carry marked figures.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.html_text import pieces as _pieces
from tests.html_text import untraced_numbers

ROOT = Path(__file__).resolve().parents[2]
PARAMS = {"rotherham": ROOT / "params" / "falls" / "rotherham-2012-13-to-2015-16.yaml",
          "york": ROOT / "params" / "falls" / "york-2012-13-to-2015-16.yaml"}
AGED = re.compile(r"\b65\+")
"""The measure's own words ("aged 65+"), not a figure (as "18+" is for DTOC)."""


def untraced(page: str, css_class: str) -> list[str]:
    """:func:`tests.html_text.untraced_numbers` with the falls measure's words left out."""
    ps = [{**p, "text": AGED.sub(" ", str(p["text"]))} for p in _pieces(page)]
    return untraced_numbers(ps, css_class)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Both appendices from one command (the county's too, when its params file is given)."""
    from tests.conftest import hwb

    out = tmp_path_factory.mktemp("falls") / "out"
    built = hwb("run", "falls", *(str(f) for f in PARAMS.values()), "--outputs", str(out),
                "--force", "--quiet")
    assert built.returncode == 0, built.stderr
    found = {slug: sorted((out / "falls" / slug).glob("*/appendix.html")) for slug in PARAMS}
    assert all(len(f) == 1 for f in found.values()), found
    return {slug: f[0].read_text(encoding="utf-8") for slug, f in found.items()}


def test_the_falls_words_are_not_taken_for_figures() -> None:
    """A hand-made page: "aged 65+" is the measure, "2,407" is a figure, "1,595" is typed in."""
    page = ('<p class="hwb-alt">Rates aged 65+: <span data-figure="rate_area.2011_12">2,407'
            "</span> in 2011/12, 1,595 in 2015/16.</p>")
    assert untraced(page, "hwb-alt") == ["1,595"]


WHERE = {"hwb-section--key-messages": 4, "hwb-alt": 12}
"""Where no number may stand outside a figure, and how many figures each holds at least (so the
check sees them): the key messages, and every chart's description."""


@pytest.mark.parametrize("css_class", list(WHERE))
@pytest.mark.parametrize("slug", list(PARAMS))
def test_every_number_is_a_figure(pages: dict[str, str], slug: str, css_class: str) -> None:
    page = pages[slug]
    assert untraced(page, css_class) == []
    marked = [p for p in _pieces(page) if p["figure"] and css_class in p["classes"]]  # type: ignore
    assert len(marked) >= WHERE[css_class]


@pytest.mark.parametrize("slug", list(PARAMS))
def test_every_chart_is_described(pages: dict[str, str], slug: str) -> None:
    """The rates, every area's change, and (with a printed claim) admissions avoided."""
    assert pages[slug].count('class="hwb-alt"') == (3 if slug == "rotherham" else 2)


@pytest.mark.parametrize("slug", list(PARAMS))
def test_figure_links_lead_to_figures_check_rows(pages: dict[str, str], slug: str) -> None:
    """Each figure link points at a figures-check row on the same page; Rotherham's printed
    figures (its claim) are linked, York printed none."""
    page = pages[slug]
    links = re.findall(r'<a class="hwb-fig" data-figure="([^"]+)" href="#fig-([^"]+)"', page)
    for fid, target in links:
        assert fid == target
        assert f'<tr id="fig-{target}"' in page, target
    assert bool(links) == (slug == "rotherham")


@pytest.mark.parametrize("slug", list(PARAMS))
def test_key_tables_mark_their_figures(pages: dict[str, str], slug: str) -> None:
    """The comparable councils' table (every board) and the admissions-avoided table carry
    recorded figures in their cells."""
    page = pages[slug]
    cells = re.findall(r'<td class="num"><(?:a|span) class="hwb-fig" data-figure="([^"]+)"', page)
    assert any(c.startswith("neighbour_pct_change.") for c in cells)
    want = "avoided_year_avoided." if slug == "rotherham" else "standard_mix_avoided."
    assert any(c.startswith(want) for c in cells)
    # York's 2015/16 rate in its own comparable councils' row, as shipped (2,329)
    if slug == "york":
        assert ('<span class="hwb-fig" data-figure="neighbour_dsr_end.e06000014">2,329</span>'
                in page)
