"""Every board appendix and the index, checked as web pages in headless Chromium.

For each page: it loads with no console errors and no failed or external
requests; axe-core finds no WCAG 2.2 A/AA violations; the structure a screen
reader relies on is there (language, landmarks, skip link, one h1 and no
skipped heading levels, table captions and header scopes); every chart has an
accessible name, a visible text alternative and a data table; print-to-PDF on
A4 works, starts sections on new pages and keeps each table that fits on a
page whole.  A screenshot of each page is saved under ``outputs/screenshots/``
for review.

The pages are the sample appendix built from ``fixtures/`` by ``conftest.py``
and every ``outputs/<paper>/<area>/<period>/appendix.html`` (with
``outputs/index.html``) left by ``make reports``.  The last tests check the
checks: each must fail on a page built to break it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser_checks import (
    OUTPUTS,
    SAMPLE_PARAMS,
    SCREENSHOTS,
    Opened,
    axe_violations,
    built_appendices,
    describe_violations,
    open_page,
    screenshot_name,
    split_tables,
)

pytestmark = pytest.mark.browser

APPENDICES = ["sample"] + [p.relative_to(OUTPUTS).as_posix() for p in built_appendices()]
INDEXES = ["sample"] + (["outputs"] if (OUTPUTS / "index.html").exists() else [])

STRUCTURE_JS = """
() => {
  const q = s => Array.from(document.querySelectorAll(s));
  const levels = q('h1, h2, h3, h4, h5, h6').map(h => [Number(h.tagName[1]), h.innerText.trim()]);
  const skipped = [];
  for (let i = 1; i < levels.length; i++) {
    if (levels[i][0] > levels[i - 1][0] + 1) skipped.push(levels[i - 1][1] + ' -> ' + levels[i][1]);
  }
  return {
    lang: document.documentElement.lang,
    title: document.title,
    h1: q('h1').length,
    firstHeading: levels.length ? levels[0][0] : 0,
    skipped: skipped,
    main: q('main').length,
    banner: q('body > header').length,
    contentinfo: q('body > footer').length,
    scripts: q('script').length,
    captionless: q('table').filter(t => !t.caption || !t.caption.textContent.trim()).length,
    unscoped: q('th').filter(th => !['col', 'row', 'colgroup', 'rowgroup']
                                     .includes(th.getAttribute('scope'))).length,
    noAlt: q('img').filter(i => !(i.getAttribute('alt') || '').trim()).length,
    unlabelled: q('.hwb-unlabelled').length,
    codeInputs: q('.jp-InputArea, .input_area, .highlight, .jp-InputPrompt, .prompt').length,
    tableNumbers: q('table > caption').map(c => c.textContent.trim())
                   .filter(t => /^Table \\d+\\./.test(t))
                   .map(t => Number(t.match(/^Table (\\d+)/)[1])),
    text: document.body.innerText,
  };
}
"""

CHARTS_JS = """
() => Array.from(document.querySelectorAll('figure.hwb-chart')).map(f => {
  const svg = f.querySelector('svg');
  const ids = svg ? (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean) : [];
  const name = ids.map(id => (document.getElementById(id) || {textContent: ''}).textContent)
                  .join(' ').trim() || (svg && svg.getAttribute('aria-label')) || '';
  const alt = f.querySelector('.hwb-alt');
  const data = f.querySelector('details table');
  return {
    id: f.id,
    caption: (f.querySelector('figcaption') || {innerText: ''}).innerText.trim(),
    role: svg ? svg.getAttribute('role') : null,
    name: name,
    altText: alt ? alt.innerText.trim() : '',
    altVisible: !!alt && alt.offsetHeight > 0,
    source: (f.querySelector('.hwb-source') || {innerText: ''}).innerText.trim(),
    dataRows: data ? data.tBodies[0].rows.length : 0,
    dataCaption: data && data.caption ? data.caption.textContent.trim() : '',
  };
})
"""

PRINT_JS = """
() => {
  const q = s => Array.from(document.querySelectorAll(s));
  const avoid = el => ['avoid', 'avoid-page'].includes(getComputedStyle(el).breakInside);
  const sections = q('main > section.hwb-section');
  return {
    splittable: q('table, figure.hwb-chart, .hwb-table-wrap').filter(el => !avoid(el))
                 .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')),
    sections: sections.length,
    newPage: sections.slice(2).filter(s => getComputedStyle(s).breakBefore === 'page').length,
    tooWide: q('table, figure, pre').filter(el => el.getBoundingClientRect().right
                                                  > document.documentElement.clientWidth + 1)
               .map(el => (el.querySelector('caption, figcaption') || el).textContent.trim()
                          .slice(0, 60)),
  };
}
"""


def _appendix(which: str, sample_outputs: Path) -> tuple[Path, Path]:
    if which == "sample":
        run = sample_outputs / "sample" / "sampleshire" / "2017-18"
        return run / "appendix.html", sample_outputs
    return OUTPUTS / which, OUTPUTS


MAX_SHOT = 16_000  # px: Chromium's texture limit; taller pages are shot from the top


def _screenshot(opened: Opened, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    size = opened.page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    opened.page.screenshot(path=str(path), full_page=True, timeout=120_000,
                           clip={"x": 0, "y": 0, "width": size[0],
                                 "height": min(size[1], MAX_SHOT)})
    return path


def structure_problems(s: dict[str, Any]) -> list[str]:
    """What is wrong with a page's structure (from STRUCTURE_JS)."""
    checks = [
        (s["lang"] == "en-GB", f"html lang is {s['lang']!r}, expected 'en-GB'"),
        (bool(s["title"].strip()), "the page has no <title>"),
        (s["h1"] == 1, f"{s['h1']} h1 elements, expected exactly one"),
        (s["firstHeading"] == 1, "the first heading is not the h1"),
        (not s["skipped"], f"heading levels skipped: {s['skipped']}"),
        (s["main"] == 1, f"{s['main']} <main> landmarks, expected one"),
        (s["banner"] == 1, "no page <header> (banner landmark)"),
        (s["contentinfo"] == 1, "no page <footer> (contentinfo landmark)"),
        (s["scripts"] == 0, f"{s['scripts']} <script> elements: the page must not need JavaScript"),
        (s["captionless"] == 0, f"{s['captionless']} table(s) without a <caption>"),
        (s["unscoped"] == 0, f"{s['unscoped']} <th> without scope"),
        (s["noAlt"] == 0, f"{s['noAlt']} image(s) without a text alternative"),
        (s["unlabelled"] == 0, f"{s['unlabelled']} image(s) not shown through "
         "hwb.toolkit.charts.chart"),
        (s["codeInputs"] == 0, "code cells or prompts are shown"),
        (s["tableNumbers"] == list(range(1, len(s["tableNumbers"]) + 1)),
         f"tables are not numbered 1, 2, 3, ...: {s['tableNumbers']}"),
    ]
    return [msg for ok, msg in checks if not ok]


def chart_problems(charts: list[dict[str, Any]]) -> list[str]:
    """What is missing from a page's charts (from CHARTS_JS)."""
    problems = []
    for n, c in enumerate(charts, start=1):
        where = f"chart {c['id'] or n}"
        if not c["caption"].startswith(f"Chart {n}."):
            problems.append(f"{where}: caption {c['caption']!r} should start 'Chart {n}.'")
        if c["role"] != "img" or not c["name"]:
            problems.append(f"{where}: the SVG needs role=img and an accessible name")
        if not (c["altText"] and c["altVisible"]):
            problems.append(f"{where}: no visible text alternative")
        if not c["source"].startswith("Source:"):
            problems.append(f"{where}: no 'Source:' line")
        if c["dataRows"] == 0 or not c["dataCaption"]:
            problems.append(f"{where}: no data table view (pass data= to hwb.toolkit.charts.chart)")
    return problems


def marker_problems(text: str) -> list[str]:
    """Each shorthand marker shown on the page must be explained on the page."""
    from hwb.toolkit.charts import marker_notes

    problems = []
    for marker, meaning in marker_notes().items():
        if marker in text and meaning.split(":")[0] not in text:
            problems.append(f"{marker} is used but its meaning ({meaning!r}) is not given")
    return problems


@pytest.mark.parametrize("which", APPENDICES)
def test_appendix_in_browser(which: str, browser: Any, pdftotext: str, sample_outputs: Path,
                             tmp_path: Path) -> None:
    """One appendix: loads cleanly, accessible, charts described, prints whole tables."""
    path, root = _appendix(which, sample_outputs)
    opened = open_page(browser, path)
    try:
        problems = list(opened.problems)
        shot = _screenshot(opened, ("sample-fixture__" if which == "sample" else "")
                           + screenshot_name(path, root))
        assert shot.stat().st_size > 10_000, "the screenshot is (nearly) empty"
        s = opened.page.evaluate(STRUCTURE_JS)
        problems += structure_problems(s)
        problems += marker_problems(s["text"])
        charts = opened.page.evaluate(CHARTS_JS)
        problems += chart_problems(charts)
        # Skip link: the first thing the keyboard reaches, and it leads to <main>.
        opened.page.keyboard.press("Tab")
        focused = opened.page.evaluate(
            "() => [document.activeElement.className, document.activeElement.getAttribute('href')]")
        if focused != ["hwb-skip", "#main"]:
            problems.append(f"the first Tab stop is {focused}, not the skip link to #main")
        violations = axe_violations(opened.page)
        if violations:
            problems.append("axe-core WCAG 2.2 A/AA violations:\n"
                            + describe_violations(violations))
        opened.page.emulate_media(media="print")
        pr = opened.page.evaluate(PRINT_JS)
        if pr["splittable"]:
            problems.append(f"in print these may split across pages: {pr['splittable']}")
        if pr["sections"] > 2 and pr["newPage"] != pr["sections"] - 2:
            problems.append("in print not every section after the first starts a new page")
        split, pages = split_tables(opened, pdftotext, tmp_path)
        problems += split
        # after split_tables the viewport is the A4 content width, in print media
        wide = opened.page.evaluate(PRINT_JS)["tooWide"]
        if wide:
            problems.append(f"wider than an A4 page, so cut off in print: {wide}")
        if pages < 1:
            problems.append("the printed PDF has no pages")
    finally:
        opened.page.context.close()
    assert not problems, f"{path}:\n" + "\n".join(problems)
    if which == "sample":
        assert len(charts) == 1 and s["tableNumbers"] == [1, 2]


def test_sample_appendix_shows_meeting_and_provenance(browser: Any, sample_outputs: Path) -> None:
    """The title block and footer show what the run's parameters and provenance say."""
    path, _ = _appendix("sample", sample_outputs)
    opened = open_page(browser, path)
    try:
        text = opened.page.inner_text("body")
        title = opened.page.inner_text("h1")
    finally:
        opened.page.context.close()
    assert title == SAMPLE_PARAMS["paper_title"]
    for expected in ("Sampleshire Health and Wellbeing Board", "14 June 2018", "Agenda item",
                     "The Board is asked to note",
                     # the fixture's printed figures: 1 of each outcome (see conftest.py)
                     "4 printed figures: 1 reproduced, 1 differs only by rounding, 1 differs, "
                     "1 not compared.",
                     "0123456789abcdef0123456789abcdef01234567", "ab" * 32,
                     "hwb run sample params/sample/sampleshire-2017-18.yaml --force",
                     "1 June 2018, 09:30 UTC",
                     # figures recorded in the notebook: 14,935 = sum of the 12 monthly counts;
                     # (1,260 - 1,210) / 1,210 = 4.13% -> 4.1%
                     "14,935 delayed days in the year", "changed by 4.1%"):
        assert expected in text, expected
    assert "import " not in text and "rec.record" not in text  # no code


@pytest.mark.parametrize("which", INDEXES)
def test_index_in_browser(which: str, browser: Any, pdftotext: str, sample_outputs: Path,
                          tmp_path: Path) -> None:
    """The index: loads cleanly, accessible, links to every built appendix, prints."""
    root = sample_outputs if which == "sample" else OUTPUTS
    opened = open_page(browser, root / "index.html")
    try:
        problems = list(opened.problems)
        _screenshot(opened, "index-sample-fixture.png" if which == "sample" else "index.png")
        s = opened.page.evaluate(STRUCTURE_JS)
        problems += structure_problems(s)
        links = opened.page.evaluate(
            "() => Array.from(document.querySelectorAll('main a[href$=\"appendix.html\"]'))"
            ".map(a => a.getAttribute('href'))")
        missing = [p.parent.relative_to(root).as_posix() for p in root.glob("*/*/*/appendix.html")
                   if p.relative_to(root).as_posix() not in links]
        if missing:
            problems.append(f"appendices not linked from the index: {missing}")
        for href in links:
            if not (root / href).is_file():
                problems.append(f"broken link {href}")
        violations = axe_violations(opened.page)
        if violations:
            problems.append("axe-core WCAG 2.2 A/AA violations:\n"
                            + describe_violations(violations))
        split, _ = split_tables(opened, pdftotext, tmp_path)
        problems += split
    finally:
        opened.page.context.close()
    assert not problems, "\n".join(problems)
    if which == "sample":
        assert "1 built, 1 failed" in s["text"]
        assert "expected a valid string" in s["text"]  # the failed run's error, from failed.json


@pytest.mark.parametrize("which", INDEXES)
def test_accessibility_statement(which: str, browser: Any, sample_outputs: Path) -> None:
    """The accessibility statement beside the index: accessible itself (WCAG 2.2 AA), says what
    was tested, what does not meet the standard and how to report a problem, and is linked from
    the index and from every appendix (the link resolves to the statement)."""
    root = sample_outputs if which == "sample" else OUTPUTS
    statement = root / "accessibility.html"
    assert statement.is_file(), "the index writer writes accessibility.html"
    opened = open_page(browser, statement)
    try:
        problems = list(opened.problems)
        s = opened.page.evaluate(STRUCTURE_JS)
        problems += structure_problems(s)
        violations = axe_violations(opened.page)
        if violations:
            problems.append("axe-core WCAG 2.2 A/AA violations:\n"
                            + describe_violations(violations))
        headings = opened.page.evaluate(
            "() => Array.from(document.querySelectorAll('h2')).map(h => h.textContent.trim())")
    finally:
        opened.page.context.close()
    assert not problems, "\n".join(problems)
    for h in ("What was tested and how", "What is known not to meet the standard",
              "Reporting a problem"):
        assert h in headings, h
    assert 'href="accessibility.html"' in (root / "index.html").read_text(encoding="utf-8")
    for appendix in root.glob("*/*/*/appendix.html"):
        hrefs = re.findall(r'href="([^"]*accessibility\.html)"', appendix.read_text("utf-8"))
        assert hrefs, f"{appendix} does not link the accessibility statement"
        assert (appendix.parent / hrefs[0]).resolve() == statement.resolve(), appendix


# --- the checks can fail -------------------------------------------------------------------------


def _page(tmp_path: Path, body: str, css: str = "") -> Path:
    p = tmp_path / "page.html"
    p.write_text(f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>t</title>'
                 f"<style>{css}</style></head><body>{body}</body></html>", encoding="utf-8")
    return p


def _long_table(rows: int, caption: str = "Table 1. Test") -> str:
    body = "".join(f'<tr><th scope="row">Row {i}</th><td>{i}</td></tr>' for i in range(1, rows + 1))
    return (f"<table><caption>{caption}</caption><thead><tr><th scope='col'>Name</th>"
            f"<th scope='col'>Value</th></tr></thead><tbody>{body}</tbody></table>")


@pytest.mark.parametrize(("rule", "split_expected"), [("auto", True), ("avoid", False)])
def test_split_check_sees_a_table_cut_by_a_page_break(rule: str, split_expected: bool,
                                                      browser: Any, pdftotext: str,
                                                      tmp_path: Path) -> None:
    """A 25-row table placed 800 px down an A4 page (content about 994 px tall) cannot fit
    in the remaining space: without ``break-inside: avoid`` Chromium splits it and the
    check must say so; with it, the table moves whole to page 2."""
    p = _page(tmp_path, '<div style="height:800px"></div>' + _long_table(25),
              f"table {{ break-inside: {rule}; }} td, th {{ padding: 4px; }}")
    opened = open_page(browser, p)
    try:
        problems, pages = split_tables(opened, pdftotext, tmp_path)
    finally:
        opened.page.context.close()
    assert pages == 2
    assert bool(problems) is split_expected, problems


def test_axe_reports_an_image_without_alt(browser: Any, tmp_path: Path) -> None:
    """axe-core runs with the WCAG tags: an image without alt is WCAG 1.1.1 ("image-alt")."""
    img = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNk"
           "YAAAAAYAAjCB0C8AAAAASUVORK5CYII=")
    opened = open_page(browser, _page(tmp_path, f'<main><h1>t</h1><img src="{img}"></main>'))
    try:
        ids = [v["id"] for v in axe_violations(opened.page)]
    finally:
        opened.page.context.close()
    assert "image-alt" in ids


def test_external_requests_are_caught(browser: Any, tmp_path: Path) -> None:
    """A page that fetches from the network is reported (and the fetch blocked)."""
    opened = open_page(browser, _page(
        tmp_path, '<main><h1>t</h1><img alt="x" src="https://example.invalid/x.png"></main>'))
    try:
        problems = opened.problems
    finally:
        opened.page.context.close()
    assert any("https://example.invalid/x.png" in p for p in problems)
