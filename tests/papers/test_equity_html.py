"""The built equity appendices: every number traceable (issue 15, item 3).

The three committed equity appendices (Rotherham's printed audit of 2015-16, and the
expected-shares appendices of Leicestershire and Kingston upon Hull) are built once (module
fixture) with the command line, as an analyst builds them, and the HTML is read back: every
number of the key messages and of each chart's description stands inside a recorded figure,
each link leads to its figures-check row, and the key tables' cells are marked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from hwb.papers.equity import compute, sections
from hwb.toolkit import charts, figures
from tests.html_text import pieces as _pieces
from tests.html_text import untraced_numbers

ROOT = Path(__file__).resolve().parents[2]
PARAMS = {"rotherham": "rotherham-2015-16.yaml", "leicestershire": "leicestershire-2019.yaml",
          "kingston-upon-hull": "kingston-upon-hull-2019.yaml"}
KEY_MESSAGES = "hwb-section--key-messages"
SERVICE_LABELS = sorted(pd.read_csv(ROOT / "data" / "equity" / "rotherham_services.csv")["label"],
                        key=len, reverse=True)
"""The Rotherham services' names as the audit printed them ("EHC (16+)"): words, not figures."""
NAMES = re.compile("|".join(re.escape(s) for s in SERVICE_LABELS) + r"|\bIMD \d{4}\b")
"""Digits that name something (a service, the IMD edition), on top of
:data:`tests.html_text.NOT_FIGURES`."""

MIN_KEY_FIGURES = {"rotherham": 11, "leicestershire": 3, "kingston-upon-hull": 3}
"""Figures the key messages quote. Rotherham: the interval method and the rows it reproduces
(of how many; how many more read to one decimal), the verdict rule's rows, the cover report's
three counts, the rows and services below the expected share and the services whose finding
changes (11). Any board: the LSOAs, their residents and the all-ages expected share (3)."""
FUNNEL_POINTS = 10
"""Rotherham's services sharing an expected share with another (the funnel plot's points):
all 12 rows but Know The Score (4.16%) and MoreLife (11.1%), each alone with its share."""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from tests.conftest import hwb

    out = tmp_path_factory.mktemp("equity-html") / "out"
    found = {}
    for slug, name in PARAMS.items():
        r = hwb("run", "equity", str(ROOT / "params" / "equity" / name), "--outputs", str(out),
                "--force", "--quiet", "--no-server")
        assert r.returncode == 0, r.stderr
        files = list((out / "equity" / slug).glob("*/appendix.html"))
        assert len(files) == 1, files
        found[slug] = files[0].read_text(encoding="utf-8")
    return found


def untraced(page: str, where: str) -> list[str]:
    """:func:`tests.html_text.untraced_numbers`, the services' names and the IMD edition set
    aside (they are names, not figures)."""
    return untraced_numbers([{**p, "text": NAMES.sub(" ", str(p["text"]))}
                             for p in _pieces(page)], where)


def traced(page: str, where: str) -> list[str]:
    """The marked figures' texts under class ``where``."""
    return [str(p["text"]) for p in _pieces(page)
            if where in p["classes"] and p["figure"]]  # type: ignore[operator]


def section(page: str, cls: str) -> str:
    start = page.index(f'<section class="hwb-section {cls}"')
    return page[start:page.index("</section>", start)]


def test_the_checker_finds_an_untraced_number() -> None:
    """A hand-made page: a service's name with its ages and the IMD edition are not figures;
    a marked "41.2%" is traced; "537" is typed in."""
    page = (f'<section class="{KEY_MESSAGES}"><p>EHC (16+): <span data-figure="ehc.t3.share">'
            "41.2%</span> of 537 clients, the most deprived tenth (IMD 2019).</p></section>")
    assert untraced(page, KEY_MESSAGES) == ["537"]
    assert traced(page, KEY_MESSAGES) == ["41.2%"]


@pytest.mark.parametrize("slug", list(PARAMS))
def test_every_number_in_the_key_messages_is_a_figure(pages: dict[str, str], slug: str) -> None:
    assert len(traced(pages[slug], KEY_MESSAGES)) >= MIN_KEY_FIGURES[slug]
    assert untraced(pages[slug], KEY_MESSAGES) == []


@pytest.mark.parametrize("slug", list(PARAMS))
@pytest.mark.parametrize("where", ["hwb-section--methods-and-definitions",
                                   "hwb-section--assumptions-and-caveats",
                                   "hwb-section--data-quality"])
def test_every_number_in_the_summary_sections_is_a_figure(pages: dict[str, str], slug: str,
                                                          where: str) -> None:
    """The methods quote the p-value floor (and, for the printed audit, the funnel's limits)
    as recorded figures; the caveats and data quality state no number of their own."""
    assert where in pages[slug]
    assert untraced(pages[slug], where) == []
    if where.endswith("methods-and-definitions"):
        assert "0.001" in traced(pages[slug], where)


@pytest.mark.parametrize("slug", list(PARAMS))
def test_every_number_in_chart_descriptions_is_a_figure(pages: dict[str, str],
                                                        slug: str) -> None:
    """Only the printed audit has a chart (the funnel plot): each point's share, clients,
    expected share and position are figures."""
    page = pages[slug]
    assert page.count('class="hwb-alt"') == (1 if slug == "rotherham" else 0)
    assert untraced(page, "hwb-alt") == []
    if slug == "rotherham":
        assert len(traced(page, "hwb-alt")) == 4 * FUNNEL_POINTS


@pytest.mark.parametrize("slug", list(PARAMS))
def test_figure_links_lead_to_figures_check_rows(pages: dict[str, str], slug: str) -> None:
    """Each linked figure points at its own row of the figures check on the same page; in the
    printed audit the key messages, the funnel's description and the tables link printed
    figures."""
    page = pages[slug]
    links = re.findall(r'<a class="hwb-fig" data-figure="([^"]+)" href="#fig-([^"]+)"', page)
    for fid, target in links:
        assert fid == target
        assert f'<tr id="fig-{target}"' in page, target
    if slug == "rotherham":
        assert 'data-figure="cover.services_analysed" href="#fig-cover.services_analysed"' in \
            section(page, KEY_MESSAGES)
        alt = page[page.index('class="hwb-alt"'):]
        assert 'data-figure="ehc.t3.share" href="#fig-ehc.t3.share"' in alt[:alt.index("</p>")]
        assert len(links) >= 2 * 4 * FUNNEL_POINTS  # the funnel's figures, there and in tables


def marked_cell(page: str, fid: str, kind: str = "num") -> str | None:
    """The shown text of the table cell holding figure ``fid`` (a link to its figures-check
    row, or a ``data-figure`` span where the page has no row for it), None when no cell does."""
    m = re.search(rf'<td class="{kind}"><(a|span) class="hwb-fig" data-figure="{re.escape(fid)}"'
                  rf'(?: href="#fig-{re.escape(fid)}")?>([^<]*)</\1></td>', page)
    return m[2] if m else None


@pytest.mark.parametrize("slug", list(PARAMS))
def test_key_tables_mark_their_cells(pages: dict[str, str], slug: str) -> None:
    """The expected shares by age band (every board) and the rebuilt audit (the printed one)
    show recorded figures in their cells."""
    page = pages[slug]
    assert marked_cell(page, "expected.all_ages") is not None
    assert marked_cell(page, "residents_authority.18plus") is not None
    if slug == "rotherham":
        assert 'data-figure="ehc.t3.share" href="#fig-ehc.t3.share">41.2%</a></td>' in page
        assert marked_cell(page, "ehc.t3.share") == "41.2%"
        assert marked_cell(page, "afh.t3.verdict", "txt") == "Unequal"
        assert marked_cell(page, "ehc.rebuilt.clients") == "537"
        assert marked_cell(page, "agematched_adults") == "8.47%"
        # the cover report's counts: 11 services as printed, 12 rows of Table 3
        assert marked_cell(page, "cover.services_analysed") == "11"
        assert marked_cell(page, "verdict_rows.analysed") == "12"
        assert marked_cell(page, "kts.better.holm_p", "txt") == "&lt; 0.001"  # 11 of 15 vs 4%


def test_a_suppressed_count_stays_suppressed_in_a_marked_table() -> None:
    """3 of 40 clients: the count, and the share and limits that would give it back, are shown
    `[c]` (not a figure); the 40 clients and the expected share are marked figures."""
    rec = figures.Recorder(publish=False)
    audit = pd.DataFrame({"key": ["s"], "label": ["S (18+)"], "x": [3], "n": [40],
                          "share": [7.5], "share_lower": [2.6], "share_upper": [19.9],
                          "expected": [8.4], "expected_lower": [8.3], "expected_upper": [8.5],
                          "verdict": ["Equal"], "threshold": [22.5], "improves": ["N"]})
    cells = sections.audit_cell_figures(rec, audit, "95%")
    assert cells["s"]["x"].text == "[c]"
    shown = compute.rebuilt_audit_display(audit, 5, "95%", cells)
    row = shown.iloc[0]
    assert [row[c] for c in ("From the areas (a count that fits)", "Share", "Share, lower 95%",
                             "Share, upper 95%")] == ["[c]"] * 4
    assert row["Clients"] is cells["s"]["n"] and row["Expected share"] is cells["s"]["expected"]
    html = charts.table(shown, "Test", "test").text
    assert '<span class="hwb-fig" data-figure="s.rebuilt.clients">40</span>' in html
    assert 'data-figure="s.rebuilt.clients_from_areas"' not in html
    assert shown.attrs["shorthand"] == ["[c]"]


def test_supplied_service_counts_are_marked_and_stay_suppressed() -> None:
    """A board's own counts: A has 30 of 60 clients from areas holding 10% of adults, B 2 of
    20. A's counts, share, expected share and Holm-adjusted p are marked figures (the
    expected share is the age band's own recorded figure); B's count of 2, and its share,
    are `[c]`."""
    rec = figures.Recorder(publish=False)
    band = rec.record("expected.18plus", "expected share, 18+", 10.0, "percent", 2)
    counts = pd.DataFrame({"service": ["A", "A", "B", "B"], "age_band": ["18+"] * 4,
                           "area": ["E01000001", "elsewhere"] * 2, "clients": [30, 30, 2, 18]})
    expected = pd.DataFrame({"age_band": ["18+"], "value": [10.0], "population_selected": [100],
                             "population_total": [1000]})
    tested = compute.service_count_tests(counts, ["E01000001"], expected, 5, "counts.csv")
    shown = compute.with_figures(tested, sections.service_count_figures(
        rec, tested.attrs["results"]))
    a, b = shown.iloc[0], shown.iloc[1]
    assert a["Expected share % (same age band)"] is band
    assert [str(a[c]) for c in ("Clients from the areas", "Clients", "Share %",
                                "Holm-adjusted p (exact binomial)")] == ["30", "60", "50.0%",
                                                                         "< 0.001"]
    assert b["Clients from the areas"] == "[c]" and b["Share %"] == "[c]"
    assert rec["services.b.18plus.clients_from_areas"].text == "[c]"
    assert shown.attrs["findings"] == {"tested": 2, "more": 1, "fewer": 0}
