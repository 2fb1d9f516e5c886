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
    """The printed text of an HTML fragment: tags dropped, and the "How computed" buttons
    (hidden in print) with them."""
    fragment = re.sub(r'<button type="button" class="hwb-why"[^>]*></button>', "", fragment)
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
    headings = {f"/H{n}": len(re.findall(rf"<h{n}[\s>]", page)) for n in (1, 2, 3)}
    return {"title": title, "lang": lang, "key_messages": key, "check_rows": rows,
            "charts": len(re.findall(r'role="img"', page)), "headings": headings}


def structure(pdf_path: Path) -> tuple[Counter[str], list[str], dict[str, Any]]:
    """Counts of the structure types in the PDF's StructTreeRoot, the figures' /Alt texts (blank
    for a Figure without one), and what the catalogue says: structure tree, marked content,
    language, outline, whether viewers show the title, and the XMP title."""
    pikepdf = pytest.importorskip("pikepdf")
    pdf = pikepdf.open(pdf_path)
    counts: Counter[str] = Counter()
    alts: list[str] = []
    stack = [pdf.Root.get("/StructTreeRoot")]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                counts[str(node.S)] += 1
                if str(node.S) == "/Figure":
                    alts.append(str(node.get("/Alt", "")))
            if "/K" in node:
                stack.append(node.K)
    mark = pdf.Root.get("/MarkInfo", {})
    prefs = pdf.Root.get("/ViewerPreferences", {})
    root = {"lang": str(pdf.Root.get("/Lang", "")), "outline": "/Outlines" in pdf.Root,
            "struct_tree": "/StructTreeRoot" in pdf.Root,
            "marked": bool(mark.get("/Marked", False)),
            "display_title": bool(prefs.get("/DisplayDocTitle", False)),
            "xmp_title": str(pdf.open_metadata().get("dc:title", ""))}
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
    return problems + pdf_ua_problems(pdf_path, want)


def pdf_ua_problems(pdf_path: Path, want: dict[str, Any]) -> list[str]:
    """The PDF/UA structure checks (see docs/accessibility.md), against what the page holds.

    A structure tree; marked content (/MarkInfo /Marked true); the page's language (/Lang);
    viewers show the document title, not the file name (/ViewerPreferences /DisplayDocTitle),
    which is also the XMP dc:title; an outline; one H1 and as many H1, H2 and H3 tags as the
    page has h1, h2 and h3 headings; paragraphs, lists and tables with rows, header and data
    cells and captions; and alternative text on every Figure (one per chart at least).
    """
    problems = []
    counts, alts, root = structure(pdf_path)
    if not root["struct_tree"]:
        problems.append("no structure tree (StructTreeRoot)")
    if not root["marked"]:
        problems.append("not marked as tagged content (/MarkInfo /Marked is not true)")
    if root["lang"] != want["lang"]:
        problems.append(f"document language {root['lang']}, expected {want['lang']}")
    if not root["display_title"]:
        problems.append("viewers show the file name, not the title "
                        "(/ViewerPreferences /DisplayDocTitle is not true)")
    if root["xmp_title"] != want["title"]:
        problems.append(f"XMP dc:title {root['xmp_title']!r}, expected {want['title']!r}")
    if not root["outline"]:
        problems.append("no document outline (bookmarks)")
    for tag in ("/P", "/L", "/LI", "/Table", "/TR", "/TH", "/TD", "/Caption"):
        if counts[tag] == 0:
            problems.append(f"no {tag} in the structure tree")
    if counts["/H1"] != 1:
        problems.append(f"{counts['/H1']} /H1 tags, expected one")
    for tag, n in want["headings"].items():
        if counts[tag] != n:
            problems.append(f"{counts[tag]} {tag} tags for the page's {n} {tag[1:].lower()}")
    blank = sum(1 for a in alts if not a.strip())
    if blank:
        problems.append(f"{blank} of {len(alts)} Figure tags have no alternative text (/Alt)")
    if len(alts) < want["charts"]:
        problems.append(f"{len(alts)} Figure tags for the page's {want['charts']} charts")
    return problems


def _tagged(figures: list[tuple[str, str | None, list[str]]]) -> bytes:
    """A one-page PDF whose structure tree holds the given Figures: (name, /Alt, kid types)."""
    import io

    pikepdf = pytest.importorskip("pikepdf")
    pdf = pikepdf.new()
    pdf.add_blank_page()
    elems = []
    for _name, alt, kinds in figures:
        kids = pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem,
                                                                   S=pikepdf.Name(k)))
                              for k in kinds])
        d = pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Figure, K=kids)
        if alt is not None:
            d.Alt = alt
        elems.append(pdf.make_indirect(d))
    doc = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem,
                                               S=pikepdf.Name.Document, K=pikepdf.Array(elems)))
    pdf.Root.StructTreeRoot = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.StructTreeRoot, K=doc))
    pdf.docinfo.Title = "Board appendix"
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_finish_retags_a_figure_group_and_keeps_a_chart(tmp_path: Path) -> None:
    """An HTML <figure> printed as a Figure without /Alt around a caption, the chart's Figure and
    paragraphs becomes a Div; a Figure with /Alt stays; one without /Alt and without structure
    kids stays (the read-back then reports it); the title reaches the XMP metadata."""
    from hwb.core.pdf import finish

    target = tmp_path / "a.pdf"
    target.write_bytes(finish(_tagged([("group", None, ["/Caption", "/Figure", "/P"]),
                                       ("chart", "Line chart of delayed days", []),
                                       ("bare", None, [])])))
    counts, alts, root = structure(target)
    assert counts["/Div"] == 1 and counts["/Figure"] == 3  # the chart, the group's kid, bare
    assert "Line chart of delayed days" in alts and alts.count("") == 2
    assert root["xmp_title"] == "Board appendix"
    want = {"title": "Board appendix", "lang": "en-GB", "charts": 1,
            "headings": {"/H1": 0, "/H2": 0, "/H3": 0}}
    problems = pdf_ua_problems(target, want)
    assert "2 of 3 Figure tags have no alternative text (/Alt)" in problems
    assert "not marked as tagged content (/MarkInfo /Marked is not true)" in problems


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
