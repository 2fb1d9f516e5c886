"""The built falls appendices: every number traceable (issue 15, item 3), and a shire county's
districts (issue 16, item 4).

The committed appendices (``params/falls/*.yaml``: Rotherham, with its printed claim, and York,
the published rates only) and a shire county's (Hampshire, from a params file of two lines, as
a national run writes it) are built once (module fixture) with the command line, as an analyst
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
BUILT = [*PARAMS, "hampshire"]
"""The committed appendices, and a shire county's."""
AGED = re.compile(r"\b65\+|\b\d{4}/\d{2}\b")
"""The measure's own words ("aged 65+"), not a figure (as "18+" is for DTOC), and the financial
years (taken out first: "In 2015/16" must not read as a citation's "In 2015")."""


def untraced(page: str, css_class: str) -> list[str]:
    """:func:`tests.html_text.untraced_numbers` with the falls measure's words left out."""
    ps = [{**p, "text": AGED.sub(" ", str(p["text"]))} for p in _pieces(page)]
    return untraced_numbers(ps, css_class)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Both appendices from one command (the county's too, when its params file is given)."""
    from tests.conftest import hwb

    tmp = tmp_path_factory.mktemp("falls")
    county = tmp / "hampshire-2012-13-to-2015-16.yaml"
    county.write_text("area_code: E10000014\nperiod: 2012/13-2015/16\n", encoding="utf-8")
    out = tmp / "out"
    built = hwb("run", "falls", *(str(f) for f in PARAMS.values()), str(county), "--outputs",
                str(out), "--force", "--quiet")
    assert built.returncode == 0, built.stderr
    found = {slug: sorted((out / "falls" / slug).glob("*/appendix.html")) for slug in BUILT}
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
@pytest.mark.parametrize("slug", BUILT)
def test_every_number_is_a_figure(pages: dict[str, str], slug: str, css_class: str) -> None:
    page = pages[slug]
    assert untraced(page, css_class) == []
    marked = [p for p in _pieces(page) if p["figure"] and css_class in p["classes"]]  # type: ignore
    assert len(marked) >= WHERE[css_class]


@pytest.mark.parametrize("slug", BUILT)
def test_every_chart_is_described(pages: dict[str, str], slug: str) -> None:
    """The rates (a county: its districts' changes instead), every area's change, and (with a
    printed claim) admissions avoided."""
    assert pages[slug].count('class="hwb-alt"') == (3 if slug == "rotherham" else 2)


@pytest.mark.parametrize("slug", BUILT)
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


def section(page: str, slug: str) -> str:
    """The HTML of the section whose heading has ``slug``."""
    start = page.index(f'<section class="hwb-section hwb-section--{slug}"')
    return page[start:page.index("</section>", start)]


def test_a_county_shows_its_districts(pages: dict[str, str]) -> None:
    """Hampshire's appendix shows each of its 11 districts' rates (no rate of its own is shipped).

    By hand from the shipped file (``data/falls/phof_22401_...csv``): Basingstoke and Deane
    (E07000084) 1,927 per 100,000 in 2011/12 (line 452) and 1,703 in 2015/16 (line 1760), a
    change of 1,703 - 1,927 = -224 and -224 / 1,927 = -11.6%, "Better" than England in
    2015/16; England 2,128 (line 337) to 2,169 (line 1645), 2,169 / 2,128 - 1 = +1.9%.  The
    district-to-county lookup (``data/population/by_year``) puts E07000084 to E07000094, 11
    districts, in Hampshire (E10000014).
    """
    page = pages["hampshire"]
    part = section(page, "how-did-the-districts-falls-rates-change")
    for fid, text in (("district_rate.e07000084.2011_12", "1,927"),
                      ("district_rate.e07000084.2015_16", "1,703"),
                      ("district_change.e07000084", "-224"),
                      ("district_pct_change.e07000084", "-11.6%"),
                      ("comparator_pct_change", "1.9%"), ("districts_n", "11")):
        assert f'data-figure="{fid}">{text}</span>' in part, fid
    assert "Basingstoke and Deane" in part and ">better<" in part
    assert "cannot be summed" in part and "not in the shipped file" in part
    assert "no confidence intervals" in part
    km = section(page, "key-messages")
    assert "shire county" in km and 'data-figure="districts_n">11<' in km


def test_a_district_has_no_districts_section(pages: dict[str, str]) -> None:
    """York, a unitary authority, gets one line in place of the districts' section."""
    part = section(pages["york"], "how-did-the-districts-falls-rates-change")
    assert "is not a shire county" in part and "<table" not in part
