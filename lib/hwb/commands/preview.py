"""``hwb preview PARAMS``: the appendix on localhost, rebuilt and reloaded on every save.

Like ``quarto preview``: the appendix of one parameters file is built (through the warm
server, :mod:`hwb.core.server`, when it can be used), served from a private outputs folder
by the standard library's HTTP server, and rebuilt when the parameters file, the paper's
notebook, the library or the lock file changes (their sizes and modification times are
polled every :data:`POLL_S`).  The page reloads itself: the served copy of ``appendix.html``
carries one small inline script that waits on ``/__hwb/version`` for the next build number
and reloads when it changes, keeping the scroll position.  The page
is otherwise the appendix as built (the file on disk has no script; its accessibility is
the appendix's own).  The terminal reports each rebuild and the time from the save to the
browser fetching the new page.

The page learns of a new build at once: it keeps one request to ``/__hwb/version?seen=N``
open, which the preview answers as soon as the build after ``N`` is published (or after
:data:`WAIT_S` with the same build, when the page asks again); asked without ``seen`` it
answers at once.  The watcher polls every :data:`POLL_S`, so a save is seen within 20 ms
(a poll is a ``stat`` of each of the 150-odd watched files: about 0.3 ms).

PDFs are not printed for a preview (``HWB_NO_PDF``); the preview's outputs are its own
(default ``.hwb/preview`` in the project), never the project's ``outputs/``.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import time
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

VERSION_PATH = "/__hwb/version"
POLL_S = 0.02
WAIT_S = 20.0
RELOAD_SCRIPT = """<script>
(function () {
  var seen = %d, key = "hwb-preview-scroll";
  var y = sessionStorage.getItem(key);
  if (y !== null) { window.scrollTo(0, +y); sessionStorage.removeItem(key); }
  function wait() {
    fetch("%s?seen=" + seen, {cache: "no-store"}).then(function (r) { return r.json(); })
      .then(function (v) {
        if (v.version !== seen) { sessionStorage.setItem(key, window.scrollY); location.reload(); }
        else { wait(); }
      }).catch(function () { setTimeout(wait, 250); });
  }
  wait();
})();
</script>"""
"""Injected before ``</body>`` of the served appendix only (``%d``: the build it shows)."""


class Preview:
    """One preview: what to build, the build number, and timings for the terminal."""

    def __init__(self, paper: str, params: Path, outputs: Path, root: Path) -> None:
        self.paper, self.params, self.outputs, self.root = paper, params, outputs, root
        self.version = 0
        self.status: dict[str, Any] = {"version": 0, "ok": False, "message": "building"}
        self.page: str | None = None  # the appendix, relative to the outputs folder
        self.saved_at: float | None = None  # wall-clock time of the save being shown
        self.lock = threading.Lock()
        self.published = threading.Condition(self.lock)  # notified when a build is published

    def watched(self) -> list[str]:
        from hwb.core import server

        return sorted({str(self.params.resolve()), *server.watched(self.root),
                       *self.notebooks()})

    def notebooks(self) -> list[str]:
        from hwb.core.registry import get

        return [str(Path(get(self.paper).notebook))]

    def build(self) -> None:
        """Build the appendix (cached when nothing it depends on changed) and publish it."""
        argv = ["run", self.paper, str(self.params), "--outputs", str(self.outputs), "--quiet"]
        t = time.perf_counter()
        rc = build(argv)
        seconds = time.perf_counter() - t
        page = _find_page(self.outputs, self.paper)
        with self.lock:
            self.version += 1
            if page is not None:
                self.page = page
            self.status = {"version": self.version, "ok": rc == 0, "seconds": round(seconds, 3),
                           "message": "built" if rc == 0 else "the build failed (see terminal)"}
            self.published.notify_all()
        word = "rebuilt" if rc == 0 else "FAILED"
        print(f"hwb preview: {word} in {seconds:.2f} s (build {self.version})", flush=True)

    def wait(self, seen: int | None, timeout: float = WAIT_S) -> dict[str, Any]:
        """The status once the build after ``seen`` is published (at once when ``seen`` is
        None or already older; after ``timeout`` seconds the status as it is)."""
        with self.published:
            if seen is not None:
                self.published.wait_for(lambda: self.version != seen, timeout)
            return dict(self.status)

    def reloaded(self) -> None:
        """The browser fetched the page of the latest build: say how long since the save."""
        with self.lock:
            saved, self.saved_at = self.saved_at, None
        if saved is not None:
            print(f"hwb preview: save to reloaded page {time.time() - saved:.2f} s", flush=True)


def build(argv: list[str]) -> int:
    """One ``hwb run`` through the warm server, else in this process."""
    from hwb.core.server import run_via_server

    rc = run_via_server(argv, entry="hwb.commands.cli:main")
    if rc is None:
        from hwb.commands.cli import main

        rc = main(argv, server=False)
    return rc


def _find_page(outputs: Path, paper: str) -> str | None:
    pages = sorted((outputs / paper).glob("**/appendix.html"), key=lambda p: p.stat().st_mtime)
    return pages[-1].relative_to(outputs).as_posix() if pages else None


class Handler(SimpleHTTPRequestHandler):
    """The outputs folder as files, the appendix with the reload script, and the version."""

    preview: Preview

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        p = self.preview
        path, _, query = self.path.partition("?")
        if path == VERSION_PATH:
            seen = parse_qs(query).get("seen", [""])[0]
            status = p.wait(int(seen) if seen.lstrip("-").isdigit() else None)
            return self._send(json.dumps(status).encode(), "application/json")
        if path == "/" and p.page:
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", "/" + p.page)
            self.end_headers()
            return None
        if p.page and path == "/" + p.page:
            with p.lock:
                version = p.version
            html = (p.outputs / p.page).read_text(encoding="utf-8")
            script = RELOAD_SCRIPT % (version, VERSION_PATH)
            html = html.replace("</body>", script + "\n</body>", 1)
            p.reloaded()
            return self._send(html.encode(), "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def stamps(files: list[str]) -> dict[str, tuple[int, int] | None]:
    out: dict[str, tuple[int, int] | None] = {}
    for f in files:
        try:
            st = os.stat(f)
            out[f] = (st.st_size, st.st_mtime_ns)
        except OSError:
            out[f] = None
    return out


def watch(preview: Preview, stop: threading.Event) -> None:
    """Rebuild whenever a watched file changes (the list is read again after each build)."""
    files = preview.watched()
    before = stamps(files)
    while not stop.wait(POLL_S):
        now = stamps(files)
        if now == before:
            continue
        changed = [f for f in files if now.get(f) != before.get(f)]
        mtimes = [os.stat(f).st_mtime for f in changed if now.get(f) is not None]
        with preview.lock:
            preview.saved_at = min(mtimes) if mtimes else time.time()
        print(f"hwb preview: {', '.join(_short(f, preview.root) for f in changed)} changed",
              flush=True)
        preview.build()
        files = preview.watched()
        before = stamps(files)


def _short(f: str, root: Path) -> str:
    try:
        return Path(f).relative_to(root).as_posix()
    except ValueError:
        return f


def serve(preview: Preview, port: int) -> ThreadingHTTPServer:
    handler = type("PreviewHandler", (Handler,), {"preview": preview})
    httpd = ThreadingHTTPServer(("127.0.0.1", port),
                                partial(handler, directory=str(preview.outputs)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def main_preview(args: argparse.Namespace) -> int:
    from hwb.core.registry import get
    from hwb.core.server import project_root, state_dir

    root = project_root()
    params = args.params.resolve()
    paper = args.paper or params.parent.name
    get(paper)  # an unknown paper is one line, before anything starts
    if not params.is_file():
        from hwb.errors import ParameterError

        raise ParameterError(str(args.params), None, None, "an existing parameters file")
    outputs = Path(args.outputs).resolve() if args.outputs else state_dir(root) / "preview"
    outputs.mkdir(parents=True, exist_ok=True)
    os.environ["HWB_NO_PDF"] = "1"  # a preview is the page; the PDF comes with hwb run
    preview = Preview(paper, params, outputs, root)
    preview.build()
    httpd = serve(preview, args.port)
    url = f"http://127.0.0.1:{httpd.server_address[1]}/{preview.page or ''}"
    print(f"hwb preview: {url} (Ctrl-C to stop)", flush=True)
    stop = threading.Event()
    try:
        watch(preview, stop)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        httpd.shutdown()
    return 0
