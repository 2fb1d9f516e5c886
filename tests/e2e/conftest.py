"""Helpers for the browser checks: a headless system Chromium, a sample appendix, page checks.

The browser is Debian's ``chromium`` (``apt-get install chromium``) driven by
Playwright for Python with ``executable_path`` set: Playwright never downloads
a browser.  Where Chromium (or ``pdftotext`` from ``poppler-utils``, used to
read the printed PDF) is missing the browser tests are skipped with a message
saying what to install; when the environment variable ``CI`` is set a missing
tool is a failure instead, so CI cannot pass by skipping.

The sample appendix is built here from ``fixtures/sample_appendix.ipynb``
(executed with nbclient on the ``python3`` kernel, exported with
:func:`hwb.core.html.export_html`), so the browser checks do not depend on
the papers; the appendices ``make reports`` built under ``outputs/`` are
checked too.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser_checks import CHROMIUM, CHROMIUM_ARGS, build_sample, missing_tool


def _chromium_ok() -> bool:
    return Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless system Chromium for the session."""
    if not _chromium_ok():
        missing_tool(f"Chromium ({CHROMIUM})", "apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_tool("Playwright for Python", "it is in the dev dependencies (requirements.lock)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def pdftotext() -> str:
    """Path of ``pdftotext`` (poppler-utils), to read the printed PDF page by page."""
    exe = shutil.which("pdftotext")
    if exe is None:
        missing_tool("pdftotext", "apt-get install -y poppler-utils")
    return str(exe)


@pytest.fixture(scope="session")
def sample_outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An outputs/ folder holding the sample appendix, a failed run and the index."""
    out = tmp_path_factory.mktemp("outputs")
    build_sample(out)
    return out
