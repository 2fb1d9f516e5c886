"""The appendix PDF, read back: tagged and titled, the text there, the structure tagged.

The PDF is printed by :func:`hwb.core.pdf.print_pdf` (headless Chromium's
tagged-PDF output) from the sample appendix, and every ``appendix.pdf`` that
``make reports`` left beside an appendix under ``outputs/`` is read back the
same way.  What is expected comes from the HTML page the PDF was printed from
(its ``<title>``, ``lang``, key messages and figures-check rows), never from
the PDF itself.
"""

from __future__ import annotations

import html as htmllib
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser_checks import built_appendices, missing_tool, norm


def _tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        missing_tool(name, "apt-get install -y poppler-utils")
    return str(exe)


def _text(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _section(page: str, slug: str) -> str:
    m = re.search(rf'<section class="hwb-section hwb-section--{slug}">(.*?)</section>', page, re.S)
    return m.group(1) if m else ""


def expected(page: str) -> dict[str, Any]:
    """What the PDF of this HTML page must hold, read from the page."""
    title = _text(re.search(r"<title>(.*?)</title>", page, re.S).group(1))  # type: ignore[union-attr]
    lang = re.search(r'<html lang="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    key = [_text(li) for li in re.findall(r"<li>(.*?)</li>", _section(page, "key-messages"), re.S)]
    check = re.sub(r"<details.*?</details>", "", _section(page, "figures-check"), flags=re.S)
    rows = [_text(th) for th in re.findall(r'<th scope="row">(.*?)</th>', check, re.S)]
    return {"title": title, "lang": lang, "key_messages": key, "check_rows": rows,
            "charts": len(re.findall(r'role="img"', page))}


def structure(pdf_path: Path) -> tuple[Counter[str], list[str], dict[str, Any]]:
    """Counts of the structure types in the PDF's StructTreeRoot, the figures' /Alt texts, and
    the catalogue's language and whether it has an outline."""
    pikepdf = pytest.importorskip("pikepdf")
    pdf = pikepdf.open(pdf_path)
    counts: Counter[str] = Counter()
    alts: list[str] = []
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                counts[str(node.S)] += 1
                if str(node.S) == "/Figure" and "/Alt" in node:
                    alts.append(str(node.Alt))
            if "/K" in node:
                stack.append(node.K)
    root = {"lang": str(pdf.Root.get("/Lang", "")), "outline": "/Outlines" in pdf.Root}
    pdf.close()
    return counts, alts, root


def check_pdf(pdf_path: Path, page: str) -> list[str]:
    """Problems with a PDF printed from ``page`` (empty when it passes every read-back)."""
    want = expected(page)
    problems = []
    info = subprocess.run([_tool("pdfinfo"), str(pdf_path)], check=True, capture_output=True,
                          text=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    fields = {k.strip(): v.strip() for k, v in fields.items()}
    if fields.get("Tagged") != "yes":
        problems.append(f"not tagged (pdfinfo Tagged: {fields.get('Tagged')})")
    if fields.get("Title") != want["title"]:
        problems.append(f"title {fields.get('Title')!r}, expected {want['title']!r}")
    if "(A4)" not in fields.get("Page size", ""):
        problems.append(f"page size {fields.get('Page size')!r}, expected A4")
    text = subprocess.run([_tool("pdftotext"), "-enc", "UTF-8", str(pdf_path), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = [norm(p) for p in text.split("\f") if p.strip()]
    # content order (-raw): a cell's wrapped text stays together, where layout order
    # interleaves the columns of a narrow table
    raw = subprocess.run([_tool("pdftotext"), "-raw", "-enc", "UTF-8", str(pdf_path), "-"],
                         check=True, capture_output=True, text=True).stdout
    flat = norm(raw.replace("\f", ""))
    for item in want["key_messages"] + want["check_rows"]:
        if norm(item) not in flat:
            problems.append(f"text missing from the PDF: {item[:80]!r}")
    if not want["check_rows"] and "<td" in _section(page, "figures-check"):
        problems.append("the page has no figures-check rows to look for")
    n = len(pages)
    if norm(f"Page 1 of {n}") not in pages[0] or norm(f"Page {n} of {n}") not in pages[-1]:
        problems.append(f"no page numbers 'Page i of {n}' at the foot of the pages")
    if norm("Rebuild with") not in flat or norm("Parameters hash") not in flat:
        problems.append("the provenance footer is missing")
    counts, alts, root = structure(pdf_path)
    if root["lang"] != want["lang"]:
        problems.append(f"document language {root['lang']}, expected {want['lang']}")
    if not root["outline"]:
        problems.append("no document outline (bookmarks)")
    for tag in ("/H1", "/H2", "/P", "/L", "/LI", "/Table", "/TR", "/TH", "/TD", "/Caption"):
        if counts[tag] == 0:
            problems.append(f"no {tag} in the structure tree")
    if counts["/H1"] != 1:
        problems.append(f"{counts['/H1']} /H1 tags, expected one")
    if want["charts"] and not any(a.strip() for a in alts):
        problems.append("the charts have no alternative text (/Alt) in the PDF")
    return problems


@pytest.fixture(scope="module")
def sample_pdf(sample_outputs: Path, browser: Any) -> Path:
    from hwb.core import pdf

    ok, why = pdf.available()
    if not ok:
        missing_tool("Chromium for PDF printing", why)
    page = sample_outputs / "sample" / "sampleshire" / "2017-18" / "appendix.html"
    target = page.with_name("appendix.pdf")
    target.write_bytes(pdf.print_pdf(page, browser))  # the session's Chromium, as the runner's
    return target


def test_sample_pdf_reads_back(sample_pdf: Path) -> None:
    """The sample appendix's PDF is tagged, titled with the page's title, in its language, A4,
    with the key messages, every figures-check row, page numbers, the provenance footer and a
    structure tree of headings, lists and tables."""
    page = sample_pdf.with_name("appendix.html").read_text(encoding="utf-8")
    assert expected(page)["key_messages"], "the sample page has key messages to look for"
    assert check_pdf(sample_pdf, page) == []


def test_sample_pdf_figures_have_alt_text(sample_pdf: Path) -> None:
    """Each chart's text alternative in the page is the /Alt of a Figure in the PDF."""
    page = sample_pdf.with_name("appendix.html").read_text(encoding="utf-8")
    labels = []
    for ref in re.findall(r'<svg role="img" aria-labelledby="([^"]+)"', page):
        m = re.search(rf'id="{re.escape(ref)}"[^>]*>(.*?)</', page, re.S)
        assert m, f"chart title {ref} not found in the page"
        labels.append(_text(m.group(1)))
    assert labels, "the sample page has charts"
    _, alts, _ = structure(sample_pdf)
    for label in labels:
        assert any(norm(label)[:40] in norm(a) for a in alts), label


BUILT = [p for p in built_appendices()]


@pytest.mark.parametrize("appendix", BUILT, ids=[str(p.parent) for p in BUILT])
def test_built_pdf_reads_back(appendix: Path) -> None:
    """Every appendix ``make reports`` built has its PDF beside it, and it passes the read-back."""
    from hwb.core import pdf

    target = appendix.with_name("appendix.pdf")
    if not target.exists():
        ok, why = pdf.available()
        assert not ok, f"{target} is missing although PDFs can be printed here"
        pytest.skip(why)
    assert check_pdf(target, appendix.read_text(encoding="utf-8")) == []
