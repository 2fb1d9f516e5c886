"""The board appendix as an accessible PDF, printed by headless Chromium.

:func:`print_pdf` opens ``appendix.html`` in a headless Chromium (the
system's ``chromium``, driven by Playwright; Playwright never downloads a
browser) and prints it with Chromium's tagged-PDF output: the PDF carries a
structure tree (headings, paragraphs, lists, tables with header cells,
figures with the charts' text alternatives), a document outline from the
headings, the page's ``<title>`` as the document title and its ``lang`` as
the document language.  The page size, margins, page numbers and the
provenance footer come from the appendix's own print stylesheet (A4,
``@page`` margin boxes), so the PDF is the page as it prints.

Chromium tags an HTML ``<figure>`` as a PDF ``Figure`` without alternative text, around
the chart's own ``Figure`` (which carries the text alternative), its caption and its
description; PDF/UA wants alternative text on every ``Figure``, so :func:`finish` retags such
a group as ``Div`` and copies the document title into the XMP metadata (``dc:title``), where
PDF/UA looks for it.

One browser serves a process (starting one costs about a second): see
:func:`printer`.  Where no Chromium is installed, :func:`available` is False
and the runner writes no PDF (and says so in the manifest).
"""

from __future__ import annotations

import atexit
import os
import shutil
from pathlib import Path
from typing import Any

CHROMIUM_ENV = "HWB_CHROMIUM"
CHROMIUM_DEFAULTS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PDF_NAME = "appendix.pdf"

_printer: Printer | None = None


def chromium_path() -> str | None:
    """The Chromium to print with: ``$HWB_CHROMIUM``, else the system's; None when missing."""
    env = os.environ.get(CHROMIUM_ENV)
    if env:
        return env if Path(env).is_file() and os.access(env, os.X_OK) else None
    for p in CHROMIUM_DEFAULTS:
        if Path(p).is_file() and os.access(p, os.X_OK):
            return p
    found = shutil.which("chromium")
    return found


def available() -> tuple[bool, str]:
    """Whether PDFs can be printed here, and if not, why (a one-line note)."""
    if os.environ.get("HWB_NO_PDF"):
        return False, "PDF printing turned off (HWB_NO_PDF is set)"
    if chromium_path() is None:
        return False, "no Chromium installed (apt-get install chromium), so no PDF was printed"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False, "Playwright for Python is not installed, so no PDF was printed"
    return True, ""


class Printer:
    """One headless Chromium, started on first use and reused for every PDF of the process."""

    def __init__(self) -> None:
        self._pw: Any = None
        self._browser: Any = None
        self._pid = os.getpid()

    def _start(self) -> Any:
        if self._browser is None or self._pid != os.getpid():
            from playwright.sync_api import sync_playwright

            self._pid = os.getpid()
            self._pw = sync_playwright().start()
            self._browser = self._pw.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_ARGS)
        return self._browser

    def print(self, html_file: Path, browser: Any = None) -> bytes:
        """The PDF of the HTML page at ``html_file`` (read from disk, so relative links hold),
        printed by ``browser`` (a Playwright browser) if given, else by this printer's own."""
        browser = browser if browser is not None else self._start()
        context = browser.new_context(java_script_enabled=False, offline=True)
        try:
            page = context.new_page()
            page.goto(Path(html_file).resolve().as_uri(), wait_until="load")
            page.emulate_media(media="print")
            return bytes(page.pdf(format="A4", print_background=True, prefer_css_page_size=True,
                                  tagged=True, outline=True))
        finally:
            context.close()

    def close(self) -> None:
        if self._browser is not None and self._pid == os.getpid():
            try:
                self._browser.close()
                self._pw.stop()
            except Exception:  # noqa: BLE001 - the browser may already be gone at exit
                pass
        self._browser = self._pw = None


def printer() -> Printer:
    """The process's one :class:`Printer` (closed when the process exits)."""
    global _printer
    if _printer is None:
        _printer = Printer()
        atexit.register(_printer.close)
    return _printer


def print_pdf(html_file: Path, browser: Any = None) -> bytes:
    """The accessible PDF of an appendix page.

    Parameters
    ----------
    html_file : Path
        The appendix's HTML file (as written by the runner).
    browser : playwright Browser, optional
        A Chromium already running in this thread (e.g. a test session's); by default the
        process's own, started on first use.

    Returns
    -------
    bytes
        A tagged PDF (``pdfinfo`` reports ``Tagged: yes``), A4, with an outline.

    Notes
    -----
    Chromium's tagged PDF output (Skia's PDF backend, ``--generate-pdf-document-outline``
    through Playwright's ``page.pdf(tagged=True, outline=True)``) builds the structure
    tree from the accessibility tree, so the tags follow the HTML's semantics;
    :func:`finish` then mends what PDF/UA asks beyond that.
    """
    return finish(printer().print(html_file, browser))


def _kids(node: Any) -> list[Any]:
    import pikepdf

    k = node.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def finish(pdf_bytes: bytes) -> bytes:
    """Chromium's tagged PDF with every ``Figure`` tag carrying alternative text, and its title
    in the XMP metadata.

    A ``Figure`` without ``/Alt`` whose content is other structure elements (a caption, the
    chart's own ``Figure``, paragraphs: an HTML ``<figure>``) is a group, retagged ``Div``;
    the document title (the page's ``<title>``) is written to ``dc:title``.  Unchanged when
    pikepdf is not installed.
    """
    try:
        import pikepdf
    except ImportError:  # pragma: no cover - pikepdf is installed with the project
        return pdf_bytes
    import io

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        stack: list[Any] = [pdf.Root.get("/StructTreeRoot")]
        while stack:
            node = stack.pop()
            if not isinstance(node, pikepdf.Dictionary):
                continue
            kids = _kids(node)
            if (node.get("/S") == "/Figure" and "/Alt" not in node and kids
                    and all(isinstance(k, pikepdf.Dictionary) and "/S" in k for k in kids)):
                node.S = pikepdf.Name.Div
            stack.extend(kids)
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta.load_from_docinfo(pdf.docinfo)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()
