"""``outputs/index.html``: every appendix by paper, board and period.

Each run leaves ``outputs/<paper>/<area>/<period>/manifest.json`` (and
``appendix.html``) when it was built, or ``failed.json`` (``{"error": ...,
"params_file": ...}``) when it failed.  :func:`collect` reads them into rows;
:func:`write_index` renders the page with the same house style and
accessibility rules as the appendices (``templates/hwb/outputs_index.html.j2``).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hwb.core.html import STATUS_WORDS, TEMPLATES, _built_text, _date_text

BUILT = "built"
FAILED = "failed"


@dataclass
class Entry:
    """One appendix (built or failed) found under ``outputs/``."""

    paper: str
    area: str
    period: str
    status: str
    paper_title: str = ""
    area_name: str = ""
    area_code: str = ""
    board_name: str = ""
    meeting_date: str = ""
    meeting_date_text: str = ""
    agenda_item: str = ""
    params_file: str = ""
    appendix: str = ""
    """Link to the appendix, relative to ``outputs/`` ('' when there is none)."""
    built: str = ""
    error: str = ""
    summary: dict[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """"<area name>, <period>" for link text."""
        return f"{self.area_name or self.area}, {self.period}"


def _read(p: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _summary(raw: Any) -> dict[str, int]:
    if not isinstance(raw, dict):
        return {}
    out = {}
    for k in STATUS_WORDS:
        try:
            out[k] = int(raw.get(k, 0) or 0)
        except (TypeError, ValueError):
            out[k] = 0
    return out


def collect(outputs_dir: str | Path) -> list[Entry]:
    """Every run found under ``outputs_dir``, sorted by paper, board, area and period.

    Parameters
    ----------
    outputs_dir : path-like
        The ``outputs/`` folder.

    Returns
    -------
    list of Entry
        A run with ``failed.json`` newer than its ``manifest.json`` (or with no
        manifest) is ``failed``; one whose manifest has no ``appendix.html`` is
        ``failed`` too; otherwise ``built``.  A failed run that has an older
        appendix keeps the link to it.
    """
    root = Path(outputs_dir)
    runs: set[Path] = set()
    for name in ("manifest.json", "failed.json"):
        runs.update(p.parent for p in root.glob(f"*/*/*/{name}"))
    entries = []
    for run in runs:
        paper, area, period = run.relative_to(root).parts
        manifest_p, failed_p = run / "manifest.json", run / "failed.json"
        m = _read(manifest_p) if manifest_p.exists() else None
        f = _read(failed_p) if failed_p.exists() else None
        if failed_p.exists() and f is None:
            f = {"error": "failed.json is unreadable"}
        if manifest_p.exists() and m is None and f is None:
            f = {"error": "manifest.json is unreadable"}
        params = dict((m or {}).get("params") or {})
        e = Entry(paper=str((m or {}).get("paper") or paper), area=area, period=period,
                  status=BUILT)
        e.paper_title = str((m or {}).get("paper_title") or "")
        e.area_name = str(params.get("area_name") or (m or {}).get("area_name") or "")
        e.area_code = str(params.get("area_code") or (m or {}).get("area_code") or "")
        e.period = str(params.get("period") or (m or {}).get("period") or period)
        e.board_name = str(params.get("board_name") or (m or {}).get("board_name") or "")
        e.meeting_date, e.meeting_date_text = _date_text(params.get("meeting_date"))
        e.agenda_item = str(params.get("agenda_item") or "")
        e.params_file = str((m or {}).get("params_file") or (f or {}).get("params_file") or "")
        e.summary = _summary((m or {}).get("figures_summary"))
        timings = (m or {}).get("timings") or {}
        e.built = _built_text(timings.get("started") if isinstance(timings, dict) else "")
        if (run / "appendix.html").exists() and m is not None:
            e.appendix = (run / "appendix.html").relative_to(root).as_posix()
        failed_newer = f is not None and (
            m is None or failed_p.stat().st_mtime >= manifest_p.stat().st_mtime)
        if failed_newer:
            e.status = FAILED
            e.error = str(f.get("error") or "the run failed") if f else "the run failed"
        elif m is not None and not e.appendix:
            e.status = FAILED
            e.error = "manifest.json is present but appendix.html is missing"
        entries.append(e)
    entries.sort(key=lambda e: (e.paper, e.board_name, e.area, e.period))
    return entries


def _group(entries: list[Entry]) -> list[dict[str, Any]]:
    papers: dict[str, dict[str, Any]] = {}
    for e in entries:
        g = papers.setdefault(e.paper, {"name": e.paper, "title": "", "entries": []})
        g["title"] = g["title"] or e.paper_title
        g["entries"].append(e)
    for g in papers.values():
        g["title"] = g["title"] or g["name"]
        g["id"] = "paper-" + "".join(c if c.isalnum() else "-" for c in g["name"].lower())
    return list(papers.values())


def totals(entries: list[Entry]) -> dict[str, int]:
    """Counts of runs by status and of printed figures by check status (built runs only).

    Examples
    --------
    >>> t = totals([Entry("p", "a", "1", BUILT, summary={"reproduced": 3, "differs": 1}),
    ...             Entry("p", "b", "1", FAILED)])
    >>> t["built"], t["failed"], t["reproduced"], t["differs"], t["rounding"]
    (1, 1, 3, 1, 0)
    """
    out = {BUILT: 0, FAILED: 0, **{k: 0 for k in STATUS_WORDS}}
    for e in entries:
        out[e.status] = out.get(e.status, 0) + 1
        if e.status == BUILT:
            for k in STATUS_WORDS:
                out[k] += int(e.summary.get(k, 0))
    return out


@functools.cache
def _templates() -> Any:
    """The pages' Jinja environment, made once per process: it keeps the compiled templates
    (compiling them was most of writing the index after a run) and recompiles one whose
    file has changed."""
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES / "hwb")),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True)


def warm() -> None:
    """Compile the pages' templates now (the warm server does, before its first run)."""
    for name in ("outputs_index.html.j2", "accessibility.html.j2"):
        _templates().get_template(name)


def render(entries: list[Entry], heading: str = "Board appendices", base: str = "",
           boards: list[dict[str, Any]] | None = None) -> str:
    """The index page for ``entries`` as HTML.

    ``heading`` titles the page, ``base`` prefixes every link (``"../"`` for a page one
    folder down), and ``boards`` lists the per-board pages (``name, href, count``).
    """
    import hwb

    return _templates().get_template("outputs_index.html.j2").render(
        papers=_group(entries), totals=totals(entries), n=len(entries),
        statuses=STATUS_WORDS, version=hwb.__version__, heading=heading, base=base,
        boards=boards or [])


BOARDS_DIR = "boards"
"""Per-board pages go under ``<outputs>/boards/<area>.html``."""


def by_board(entries: list[Entry]) -> dict[str, list[Entry]]:
    """Entries grouped by board: the area folder name (its slug), sorted.

    Examples
    --------
    >>> g = by_board([Entry("dtoc", "leeds", "2017-11", BUILT), Entry("falls", "leeds", "x",
    ...               BUILT), Entry("dtoc", "york", "2017-11", BUILT)])
    >>> {k: len(v) for k, v in g.items()}
    {'leeds': 2, 'york': 1}
    """
    out: dict[str, list[Entry]] = {}
    for e in entries:
        out.setdefault(e.area, []).append(e)
    return dict(sorted(out.items()))


def _board_name(rows: list[Entry]) -> str:
    named = [e.board_name for e in rows if e.board_name] or [e.area_name for e in rows
                                                              if e.area_name]
    return named[0] if named else rows[0].area


STATEMENT = "accessibility.html"
STATEMENT_REVIEWED = "2026-12-01"
"""When the accessibility statement's text (``templates/hwb/accessibility.html.j2``) was last
reviewed against the appendices (a fixed date, so that the page is the same on every build)."""


def render_statement() -> str:
    """The accessibility statement page (``outputs/accessibility.html``) as HTML."""
    import hwb

    return _templates().get_template("accessibility.html.j2").render(
        version=hwb.__version__, reviewed_text=_date_text(STATEMENT_REVIEWED)[1])


def write_index(outputs_dir: str | Path) -> Path:
    """Write ``outputs_dir/index.html`` listing every appendix, a page per board listing its
    appendices of every paper and period (``boards/<area>.html``, linked from the index), and
    the accessibility statement (``accessibility.html``); return the index's path.

    Parameters
    ----------
    outputs_dir : path-like
        The ``outputs/`` folder (created if missing).

    Returns
    -------
    Path
        The index page, written atomically (temporary file, then rename).
    """
    from hwb.core.runner import (
        write_atomic,  # the one atomic writer (readable by all, like outputs)
    )

    root = Path(outputs_dir)
    root.mkdir(parents=True, exist_ok=True)
    entries = collect(root)
    groups = by_board(entries)
    boards = []
    if groups:
        (root / BOARDS_DIR).mkdir(exist_ok=True)
    for area, rows in groups.items():
        name = _board_name(rows)
        page = root / BOARDS_DIR / f"{area}.html"
        write_atomic(page, render(rows, heading=f"{name}: appendices", base="../").encode())
        boards.append({"name": name, "href": f"{BOARDS_DIR}/{area}.html", "count": len(rows)})
    text = render(entries, boards=boards)
    target = root / "index.html"
    write_atomic(target, text.encode("utf-8"))
    write_atomic(root / STATEMENT, render_statement().encode("utf-8"))
    return target
