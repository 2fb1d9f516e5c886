"""The built DTOC appendices: numbers traceable (issue 15, item 3) and board text that belongs to
its board (issue 14, item 6).

Both seed appendices are built once (module fixture) with the command line, as an analyst
builds them, and the HTML is read back.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

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


# --- the page's text, by where it stands ------------------------------------------------------


class _Text(HTMLParser):
    """Text of an appendix, each piece with the classes around it and whether it lies inside a
    ``data-figure`` element (or a table, code, or a chart's SVG)."""

    VOID = frozenset({"br", "img", "meta", "link", "input", "hr", "wbr", "col", "source"})
    PROSE = frozenset({"p", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
                       "figcaption", "caption", "dd", "dt"})
    SKIP = frozenset({"table", "code", "pre", "script", "style", "kbd", "samp", "svg"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.pieces: list[dict[str, object]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        if tag not in self.VOID:
            self.stack.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if any(t == tag for t, _ in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        tags = {t for t, _ in self.stack}
        self.pieces.append({
            "text": data,
            "classes": " ".join(a.get("class", "") for _, a in self.stack).split(),
            "figure": any("data-figure" in a for _, a in self.stack),
            "prose": bool(self.PROSE & tags) and not self.SKIP & tags,
        })


def _pieces(page: str) -> list[dict[str, object]]:
    p = _Text()
    p.feed(page)
    return p.pieces


NOT_FIGURES = re.compile(
    r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December) \d{4}\b"  # a date
    r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b"  # a month
    r"|\b\d{4}/\d{2}(?: Q[1-4])?\b"  # a financial year or quarter
    r"|\bmid-\d{4}\b"  # a population estimate's vintage
    r"|\b\d{4} model\b"  # the CIPFA model's vintage
    r"|\b18\+|\bper 100,000\b|\b100,000 aged\b"  # the measure's own words
    r"|\(1 = most")  # how the rank reads
"""Digits that are not figures: dates, periods, vintages and the words of the measure."""


def untraced_numbers(pieces: list[dict[str, object]], where: str) -> list[str]:
    """Numbers in text under class ``where`` that no ``data-figure`` element holds."""
    text = " ".join(str(p["text"]) for p in pieces
                    if where in p["classes"] and not p["figure"])  # type: ignore[operator]
    return re.findall(r"\S*\d\S*", NOT_FIGURES.sub(" ", text))


def test_the_checker_finds_an_untraced_number() -> None:
    """A hand-made page: "674" is a figure, "530" is typed in; dates and the measure's words
    are not figures."""
    page = ('<section class="hwb-section--key-messages"><p>In Sep 2017 (20 September 2017), '
            '<span data-figure="a.days">674</span> days, 530 to the NHS, per 100,000 aged 18+, '
            'in 2017/18 Q1 (ONS mid-2019).</p></section>')
    assert untraced_numbers(_pieces(page), "hwb-section--key-messages") == ["530"]


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
