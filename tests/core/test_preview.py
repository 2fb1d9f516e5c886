"""``hwb preview``: in a real Chromium, saving the parameters file reloads the page with the
new appendix, and the served page passes the same accessibility rules as the appendix.

The preview runs as its own process, as an analyst starts it (the warm server is off under
pytest, so it builds in its own process).  The edit changes what the board is asked to do
(``ask: note`` to ``ask: approve``), which the appendix's opening paragraph states.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser_checks import (
    CHROMIUM,
    CHROMIUM_ARGS,
    axe_violations,
    describe_violations,
    missing_tool,
)

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PARAMS = ROOT / "params" / "dtoc" / "rotherham-2017-09.yaml"
PLACE = "Reasons-for-delay"  # a heading's id, two thirds of the way down a DTOC appendix
BUILD_TIMEOUT = 600  # seconds: a first build on a busy machine (not a timing assertion)
pytestmark = pytest.mark.e2e


@pytest.fixture
def browser() -> Iterator[Any]:
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        missing_tool(f"Chromium ({CHROMIUM})", "apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[dict[str, Any]]:
    params = tmp_path / "dtoc" / "preview.yaml"  # the folder names the paper
    params.parent.mkdir()
    params.write_text(PARAMS.read_text())
    proc = subprocess.Popen([str(BIN / "hwb"), "preview", str(params), "--port", "0",
                             "--outputs", str(tmp_path / "out")],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout or []],
                     daemon=True).start()
    try:
        yield {"params": params, "proc": proc, "lines": lines, "out": tmp_path / "out"}
    finally:
        proc.terminate()
        proc.wait(30)


def wait_for_line(lines: queue.Queue[str], pattern: str) -> re.Match[str]:
    end = time.monotonic() + BUILD_TIMEOUT
    seen = []
    while time.monotonic() < end:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        seen.append(line)
        found = re.search(pattern, line)
        if found:
            return found
    raise AssertionError(f"no line matching {pattern!r}; the preview said: {''.join(seen)}")


def test_saving_the_params_file_reloads_the_page_with_the_new_appendix(
        preview: dict[str, Any], browser: Any) -> None:
    url = wait_for_line(preview["lines"], r"(http://127\.0\.0\.1:\d+/\S+)").group(1)
    page = browser.new_page()
    page.goto(url, wait_until="load")
    body = page.locator("body")
    assert "The board is asked to note the paper." in body.inner_text()
    page.evaluate("window.hwbBeforeTheEdit = true")
    # the reader is 50 px into the reasons for delay, far down the page: the reload keeps
    # that place
    page.evaluate(f"document.getElementById({PLACE!r}).scrollIntoView(); window.scrollBy(0, 50)")
    assert page.evaluate("window.scrollY") > 2000

    params: Path = preview["params"]
    params.write_text(params.read_text().replace("ask: note", "ask: approve"))
    page.wait_for_function(
        "document.body.textContent.includes('The board is asked to approve the paper.')",
        timeout=BUILD_TIMEOUT * 1000)
    # a new page, not an edited one: the reload dropped what the old page held
    assert page.evaluate("window.hwbBeforeTheEdit === undefined")
    page.wait_for_load_state("load")
    top = page.evaluate(f"document.getElementById({PLACE!r}).getBoundingClientRect().top")
    assert abs(top + 50) <= 2, f"the heading is at {top} px after the reload, not -50"
    assert "The board is asked to approve the paper." in body.inner_text()
    wait_for_line(preview["lines"], r"save to reloaded page \d+\.\d+ s")

    # the appendix on disk has no script; the served copy adds one and nothing a reader meets
    on_disk = next(preview["out"].rglob("appendix.html")).read_text()
    assert "<script" not in on_disk and "asked to <strong>approve" in on_disk
    assert page.locator("script").count() == 1
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)


def test_the_version_request_answers_when_the_next_build_is_published(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page keeps one request open (``/__hwb/version?seen=N``) and it is answered by the
    build after ``N``, not by a timer; asked about the build it already shows, it is answered
    only after the wait with that same build; without ``seen``, at once.  The build is a stub
    (no kernel, no browser): this is the preview's own bookkeeping."""
    import json
    import urllib.request

    from hwb.commands import preview as pv

    monkeypatch.setattr(pv, "build", lambda argv: 0)
    p = pv.Preview("dtoc", tmp_path / "dtoc" / "p.yaml", tmp_path, tmp_path)
    p.build()  # build 1, shown by the page
    httpd = pv.serve(p, 0)
    url = f"http://127.0.0.1:{httpd.server_address[1]}{pv.VERSION_PATH}"
    answers: queue.Queue[dict[str, Any]] = queue.Queue()

    def ask(query: str) -> None:
        with urllib.request.urlopen(url + query, timeout=60) as r:
            answers.put(json.load(r))

    try:
        assert p.wait(None)["version"] == 1
        assert p.wait(1, timeout=0.01)["version"] == 1  # nothing newer: the same build
        waiter = threading.Thread(target=ask, args=("?seen=1",))
        waiter.start()
        time.sleep(0.2)  # the request is open and waiting
        assert answers.empty()
        p.build()  # build 2 published: the open request is answered with it
        waiter.join(30)
        assert answers.get(timeout=1)["version"] == 2
        ask("")
        assert answers.get(timeout=1)["version"] == 2
    finally:
        httpd.shutdown()
