"""The derivation on the number itself (issue 15, item 3), used as a reader uses it, in Chromium.

A DTOC appendix is built once with the command line; in headless Chromium with JavaScript
off (the page needs none), the keyboard reaches the first number's "How computed" button,
Enter opens its popover, which shows the same method and inputs as the figure's row in the
figures check, and Escape closes it; axe-core finds no WCAG 2.2 A/AA violation with the
popover open; printing hides the buttons.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.browser_checks import axe_violations, describe_violations, open_page

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def appendix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import hwb

    out = tmp_path_factory.mktemp("popover") / "out"
    r = hwb("run", "dtoc", str(ROOT / "params" / "dtoc" / "leicestershire-2017-11.yaml"),
            "--outputs", str(out), "--force", "--quiet")
    assert r.returncode == 0, r.stderr
    (page,) = out.glob("dtoc/*/*/appendix.html")
    return page


def test_every_prose_figure_has_one_popover(appendix: Path) -> None:
    """Each button names a popover on the page, and each popover says how its figure was
    computed and links back to that figure's row."""
    page = appendix.read_text(encoding="utf-8")
    targets = set(re.findall(r'class="hwb-why" popovertarget="([^"]+)"', page))
    assert targets
    for t in targets:
        m = re.search(rf'<div id="{t}" popover class="hwb-pop".*?</div>', page, re.S)
        assert m, t
        row = re.search(r'<a href="#fig-([^"]+)">Its row in the figures check', m.group(0))
        assert row and f'<tr id="fig-{row.group(1)}"' in page, t
        assert "<dt>Method</dt>" in m.group(0)


def test_keyboard_opens_and_escape_closes(browser, appendix: Path) -> None:  # type: ignore[no-untyped-def]
    opened = open_page(browser, appendix, js=False)
    page = opened.page
    try:
        button = page.locator(".hwb-section--key-messages .hwb-why").first
        box = button.bounding_box()
        assert box and box["width"] >= 24 and box["height"] >= 24, box  # WCAG 2.2 2.5.8
        name = button.get_attribute("aria-label") or ""
        assert re.fullmatch(r"How .+ was computed", name), name
        assert button.inner_text().strip() == ""  # the "i" is the stylesheet's
        target = button.get_attribute("popovertarget")
        pop = page.locator(f"#{target}")
        assert not pop.is_visible()
        button.focus()
        page.keyboard.press("Enter")
        assert pop.is_visible()
        assert "Method" in pop.inner_text()
        page.keyboard.press("Escape")
        assert not pop.is_visible()
        assert opened.problems == []
    finally:
        page.context.close()


def test_open_popover_passes_axe(browser, appendix: Path) -> None:  # type: ignore[no-untyped-def]
    opened = open_page(browser, appendix)
    page = opened.page
    try:
        page.locator(".hwb-why").first.click()
        violations = axe_violations(page)
        assert violations == [], describe_violations(violations)
    finally:
        page.context.close()


def test_print_hides_the_buttons(browser, appendix: Path) -> None:  # type: ignore[no-untyped-def]
    opened = open_page(browser, appendix, js=True)
    page = opened.page
    try:
        page.emulate_media(media="print")
        shown = page.evaluate("() => Array.from(document.querySelectorAll('.hwb-why'))"
                              ".filter(b => getComputedStyle(b).display !== 'none').length")
        assert shown == 0
    finally:
        page.context.close()
