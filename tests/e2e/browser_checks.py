"""Helpers for the browser checks: where pages are, opening one in Chromium, axe, the printed PDF.

Used by ``conftest.py`` (fixtures) and ``test_browser.py``.  Kept out of
``conftest.py`` so that tests can import them by a name no other test folder uses.
"""


from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUTPUTS = Path(os.environ.get("HWB_OUTPUTS") or ROOT / "outputs")  # where `make reports` wrote
SCREENSHOTS = OUTPUTS / "screenshots"
FIXTURES = Path(__file__).with_name("fixtures")
CHROMIUM = os.environ.get("HWB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]  # WCAG 2.2 AA
# A4 with the print stylesheet's margins (16 mm top, 18 mm bottom, 15 mm each side), in CSS px.
MM = 96 / 25.4
PAGE_CONTENT_WIDTH = round((210 - 30) * MM)
PAGE_CONTENT_HEIGHT = round((297 - 34) * MM)

SAMPLE_PARAMS = {
    "area_code": "E99999999", "area_name": "Sampleshire", "period": "2017-18",
    "board": "sample-2018-06-14", "board_name": "Sampleshire Health and Wellbeing Board",
    "meeting_date": "2018-06-14", "agenda_item": "7",
    "paper_title": "Delayed transfers of care: performance 2017-18", "ask": "note",
}
SAMPLE_PROVENANCE = {
    "version": "0.1.0", "commit": "0123456789abcdef0123456789abcdef01234567", "dirty": False,
    "params_hash": "ab" * 32, "env_hash": "cd" * 32, "built": "2018-06-01T09:30:00+00:00",
    "command": "hwb run sample params/sample/sampleshire-2017-18.yaml --force",
}
# The fixture's printed_figures.csv was written so that one figure reproduces (14,935 is the
# sum of the monthly counts), one differs only by rounding (1,244.5 against 14,935 / 12 =
# 1,244.58), one differs (6.2% against (1,260 - 1,210) / 1,210 = 4.1%) and one is out of scope.
SAMPLE_SUMMARY = {"reproduced": 1, "rounding": 1, "differs": 1, "not compared": 1}


def missing_tool(what: str, how: str) -> None:
    """Skip (locally) or fail (under CI) because a tool the browser checks need is missing."""
    message = f"{what} is not installed: {how}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set, so a skipped browser check is a failure)")
    pytest.skip(message)


# --- the sample appendix -----------------------------------------------------------------------


def build_sample(out_dir: Path) -> Path:
    """Execute the fixture notebook and export it, as the runner would, under ``out_dir``.

    Writes ``sample/sampleshire/2017-18/{appendix.html, manifest.json}`` and a
    failed run ``sample/brokenshire/2017-18/failed.json``, then the index.
    Returns the appendix path.
    """
    import nbformat
    from nbclient import NotebookClient

    from hwb.core.html import export_html
    from hwb.core.index import write_index

    nb = nbformat.read(FIXTURES / "sample_appendix.ipynb", as_version=4)
    NotebookClient(nb, kernel_name="python3", timeout=300,
                   resources={"metadata": {"path": str(FIXTURES)}}).execute()
    meta = {"params": SAMPLE_PARAMS, "provenance": SAMPLE_PROVENANCE,
            "paper": {"name": "sample", "title": "Delayed transfers of care"},
            "figures_summary": {**SAMPLE_SUMMARY, "recorded": 3}}
    run = out_dir / "sample" / "sampleshire" / "2017-18"
    run.mkdir(parents=True, exist_ok=True)
    (run / "appendix.html").write_text(export_html(nb, meta), encoding="utf-8")
    nbformat.write(nb, run / "notebook.ipynb")
    (run / "manifest.json").write_text(json.dumps({
        "paper": "sample", "paper_title": "Delayed transfers of care",
        "params_file": "params/sample/sampleshire-2017-18.yaml", "params": SAMPLE_PARAMS,
        "timings": {"started": SAMPLE_PROVENANCE["built"]},
        "figures_summary": {**SAMPLE_SUMMARY, "recorded": 3}}), encoding="utf-8")
    failed = out_dir / "sample" / "brokenshire" / "2017-18"
    failed.mkdir(parents=True, exist_ok=True)
    (failed / "failed.json").write_text(json.dumps({
        "error": "params/sample/brokenshire-2017-18.yaml: key 'period' = 2017: expected a "
                 "valid string", "params_file": "params/sample/brokenshire-2017-18.yaml"}))
    write_index(out_dir)
    return run / "appendix.html"


def built_appendices() -> list[Path]:
    """The appendices ``make reports`` left under ``outputs/``: all of them, or, when
    ``HWB_BROWSER_MAX`` is set to n (for a quick local run over a national build), the
    first n of each paper."""
    found = sorted(OUTPUTS.glob("*/*/*/appendix.html"))
    limit = os.environ.get("HWB_BROWSER_MAX", "").strip()
    if not limit:
        return found
    per_paper: dict[str, int] = {}
    kept = []
    for p in found:
        paper = p.relative_to(OUTPUTS).parts[0]
        per_paper[paper] = per_paper.get(paper, 0) + 1
        if per_paper[paper] <= int(limit):
            kept.append(p)
    return kept


def screenshot_name(appendix: Path, root: Path) -> str:
    """``<paper>__<area>__<period>.png`` for ``root/<paper>/<area>/<period>/appendix.html``."""
    return "__".join(appendix.parent.relative_to(root).parts) + ".png"


# --- opening a page and watching it -------------------------------------------------------------


@dataclass
class Opened:
    """A loaded page and everything that went wrong while loading it."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return ([f"console: {m}" for m in self.console_errors]
                + [f"failed request: {u}" for u in self.failed_requests]
                + [f"external request (blocked): {u}" for u in self.external_requests])


def open_page(browser: Any, path: Path, *, width: int = 1280, js: bool = True) -> Opened:
    """Load ``path`` from disk, blocking (and recording) any request that is not a local file."""
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  java_script_enabled=js, locale="en-GB")
    page = context.new_page()
    opened = Opened(page)

    def route(r: Any) -> None:
        if r.request.url.startswith(("file:", "data:", "about:")):
            r.continue_()
        else:
            opened.external_requests.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console",
            lambda m: opened.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: opened.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: opened.failed_requests.append(r.url))
    page.goto(path.resolve().as_uri(), wait_until="load")
    return opened


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 A/AA violations on the page (2.0, 2.1 and 2.2 rules)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                       "resultTypes": ["violations"]})
    return list(results.response["violations"])


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(n.get("target", [])) for n in v.get("nodes", [])][:5]
        lines.append(f"{v['id']} ({v.get('impact')}): {v.get('help')}; at {targets}")
    return "\n".join(lines)


# --- the printed PDF ----------------------------------------------------------------------------


def pdf_pages(pdf: bytes, pdftotext: str, tmp: Path) -> list[str]:
    """The text of each page of a PDF, whitespace collapsed."""
    src = tmp / "page.pdf"
    src.write_bytes(pdf)
    text = subprocess.run([pdftotext, "-enc", "UTF-8", str(src), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return [norm(p) for p in pages]


def norm(text: str) -> str:
    """Text without whitespace or hyphens: the PDF wraps lines (even inside long identifiers)
    where the page did, and pdftotext joins a line ending in a hyphen to the next without
    it, so text is compared with every space, line break and hyphen taken out."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text)


TABLES_JS = """
() => Array.from(document.querySelectorAll('table')).filter(t => {
  const s = getComputedStyle(t);
  return s.display !== 'none' && t.getClientRects().length > 0 && t.offsetParent !== null;
}).map(t => {
  const rows = t.tBodies.length ? Array.from(t.tBodies[0].rows) : [];
  const last = rows.length ? rows[rows.length - 1] : null;
  return {
    caption: t.caption ? t.caption.innerText : '',
    first: rows.length ? rows[0].cells[0].innerText : '',
    last: last ? last.cells[0].innerText : '',
    height: t.getBoundingClientRect().height,
    breakInside: getComputedStyle(t).breakInside,
  };
})
"""


def split_tables(opened: Opened, pdftotext: str, tmp: Path) -> tuple[list[str], int]:
    """Print the page to an A4 PDF and list the tables that it splits across pages.

    A table no taller than a page's content area is whole when its caption and
    its first and last rows (row-header text) appear on the same page of the
    PDF's text.  Returns the problems found and the number of pages.
    """
    page = opened.page
    page.set_viewport_size({"width": PAGE_CONTENT_WIDTH, "height": PAGE_CONTENT_HEIGHT})
    page.emulate_media(media="print")
    tables = page.evaluate(TABLES_JS)
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert pdf[:5] == b"%PDF-", "print-to-PDF did not return a PDF"
    pages = pdf_pages(pdf, pdftotext, tmp)
    problems = []
    for t in tables:
        if not t["caption"] or t["height"] > PAGE_CONTENT_HEIGHT * 0.95:
            continue  # a table taller than a page must break; its header row repeats
        cap = norm(t["caption"])[:50]
        where = [i for i, p in enumerate(pages) if cap in p]
        if not where:
            problems.append(f"table {cap!r}: caption not found in the printed PDF")
            continue
        i = where[0]
        for part in ("first", "last"):
            text = norm(t[part])
            if text and text not in pages[i]:
                problems.append(f"table {cap!r}: {part} row {text!r} is not on the caption's "
                                f"page {i + 1}: the table is split across pages")
    return problems, len(pages)
