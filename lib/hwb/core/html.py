"""The board appendix: an executed notebook as one accessible, printable HTML page.

:func:`export_html` renders the executed notebook through the ``hwb``
nbconvert template (``templates/hwb``): code and prompts hidden, hwb's
machine-readable outputs (recorded figures, inputs, the figures-check rows)
dropped, a title block built from the run's parameters, a contents list, the
notebook's own sections, and a provenance footer.  The page is self-contained:
inline CSS, no scripts, no external resources, a print stylesheet for A4.

Accessibility follows WCAG 2.1 AA: ``lang``, landmarks (banner, main,
contentinfo), a skip link, one ``h1`` with the notebook's headings below it,
charts as SVG with ``role="img"`` and a text alternative (see
:mod:`hwb.toolkit.charts`), tables with captions and header scopes, and the shorthand
markers ``[c] [x] [z]`` explained wherever they appear.

One exporter serves every export in a process (building one costs more than
using it): see :func:`exporter`.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import nbformat
from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

from hwb.protocol import CHECK_MIME, FIGURE_MIME, FIGURES_MIME, INPUT_MIME, citation

_HIDDEN = (FIGURE_MIME, FIGURES_MIME, INPUT_MIME, CHECK_MIME)
TEMPLATES = Path(__file__).with_name("templates")
TEMPLATE_NAME = "hwb"
REMOVE_TAGS = frozenset({"remove-cell", "remove_cell", "hide-cell"})
REMOVE_OUTPUT_TAGS = frozenset({"remove-output", "remove_output", "hide-output"})
ASK_OBJECT = {
    "note": "the analysis in this appendix.",
    "receive": "this appendix.",
    "approve": "the recommendations supported by this appendix.",
    "discuss": "the findings in this appendix.",
    "agree": "the recommendations supported by this appendix.",
}
STATUS_WORDS = ("reproduced", "rounding", "differs", "not compared")

_exporter: HTMLExporter | None = None
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ANCHOR = re.compile(r'<a class="anchor-link" href="#[^"]*">.*?</a>', re.S)
_H2 = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', re.S)
_STATUS_CELL = re.compile(r'<td class="txt">(reproduced|rounding|differs|not compared)</td>')


def _b64(text: str) -> str:
    return base64.b64encode(str(text).encode("utf-8")).decode("ascii")


class AppendixExporter(HTMLExporter):
    """nbconvert's HTML exporter without its BeautifulSoup pass.

    ``HTMLExporter.from_notebook_node`` re-parses the whole page to add default
    alt text and ``tabindex`` to JupyterLab's classes; the ``hwb`` template
    writes its own alt text and uses none of those classes, and the re-parse
    was about 85% of the export time of a large appendix.
    """

    def from_notebook_node(  # type: ignore[override]
        self, nb: nbformat.NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


def exporter() -> HTMLExporter:
    """The process's one HTML exporter, configured with the ``hwb`` template.

    Returns
    -------
    nbconvert.HTMLExporter
        Built on first use and reused: building one (template discovery,
        Jinja environment) costs more than an export.
    """
    global _exporter
    if _exporter is None:
        ex = AppendixExporter(
            template_name=TEMPLATE_NAME,
            extra_template_basedirs=[str(TEMPLATES)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            embed_images=True,
            optimistic_validation=True,  # the notebook validated once, not after every
        )                                # preprocessor (eleven times: a third of an export)
        ex.register_filter("hwb_b64", _b64)
        _exporter = ex
    return _exporter


def warm() -> None:
    """Build the exporter and compile its templates now (e.g. before worker processes fork),
    so that the first appendix a worker exports does not pay for it."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Warm\n\n## Up")])
    export_html(nb, {})


def slugify(text: str) -> str:
    """Section class name from a heading: ``"Key messages"`` -> ``"key-messages"``.

    Examples
    --------
    >>> slugify("Methods and *definitions*"), slugify("Figures check")
    ('methods-and-definitions', 'figures-check')
    """
    text = re.sub(r"<[^>]+>|[*_`\[\]]", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def _split_markdown(source: str) -> list[tuple[int, str, str]]:
    """Markdown split into chunks that each start at an ATX heading.

    Returns ``(level, heading text, chunk)`` with level 0 for text before the
    first heading; fenced code blocks are left whole.
    """
    chunks: list[tuple[int, str, list[str]]] = [(0, "", [])]
    in_fence = False
    for line in source.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        m = None if in_fence else _ATX.match(line)
        if m and len(m.group(1)) <= 2:
            chunks.append((len(m.group(1)), m.group(2), [line]))
        else:
            chunks[-1][2].append(line)
    return [(lvl, head, "\n".join(lines)) for lvl, head, lines in chunks
            if lvl or "\n".join(lines).strip()]


_MARK = re.compile("\ue000(\\d+)\ue001(.*?)\ue002", re.S)


def _link_spans(output: Any, checked: set[str], marks: list[tuple[str, bool]]) -> None:
    """Mark each recorded figure in a ``rec.say`` markdown output (its metadata gives where each
    landed) for :func:`_unmark`: private-use characters around it that markdown leaves alone
    (inline HTML in markdown does not survive nbconvert's renderer whole)."""
    md = output.get("metadata", {})
    spans = md.get("hwb_figures") or md.get("text/markdown", {}).get("hwb_figures")
    text = output.get("data", {}).get("text/markdown")
    if not spans or not isinstance(text, str):
        return
    for sp in sorted(spans, key=lambda x: x["start"], reverse=True):
        a, b = int(sp["start"]), int(sp["end"])
        marks.append((str(sp["id"]), str(sp["id"]) in checked))
        text = f"{text[:a]}\ue000{len(marks) - 1}\ue001{text[a:b]}\ue002{text[b:]}"
    output["data"]["text/markdown"] = text


def _unmark(body: str, marks: list[tuple[str, bool]]) -> str:
    """Each marked figure as ``data-figure``, linked to its figures-check row when it has one."""
    def tag(m: re.Match[str]) -> str:
        fid, linked = marks[int(m.group(1))]
        q = html.escape(fid, quote=True)
        if linked:
            return f'<a class="hwb-fig" data-figure="{q}" href="#fig-{q}">{m.group(2)}</a>'
        return f'<span class="hwb-fig" data-figure="{q}">{m.group(2)}</span>'

    return re.sub("[\ue000-\ue002]", "", _MARK.sub(tag, body))


def prepare(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, str]:
    """The notebook as the template renders it, and the notebook's own title.

    - outputs carrying hwb's machine-readable mimetypes, ``stderr`` streams and
      cells tagged ``remove-cell`` (outputs of ``remove-output``) are dropped;
    - the notebook's first level-1 heading is taken out (the title block shows
      the paper's title; the notebook's becomes the subtitle) and any later
      level-1 heading becomes level 2, so the page has one ``h1``;
    - markdown cells are split so that every level-2 heading starts a cell
      whose metadata ``hwb_section`` names the section (the template wraps
      each in ``<section>`` and prints it on a new page).

    Parameters
    ----------
    nb : NotebookNode
        The executed notebook (not modified).

    Returns
    -------
    (NotebookNode, str)
        The prepared copy and the notebook's title ('' when it has none).
    """
    nb = nbformat.from_dict(nb)
    from hwb.protocol import outputs_of

    checked = {str(r.get("figure_id")) for rows in outputs_of(nb, CHECK_MIME) for r in rows}
    marks: list[tuple[str, bool]] = []
    cells = []
    title = ""
    for i, cell in enumerate(nb.cells):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & REMOVE_TAGS:
            continue
        if cell.cell_type == "code":
            outputs = [] if tags & REMOVE_OUTPUT_TAGS else cell.get("outputs", [])
            cell.outputs = [
                o for o in outputs
                if not any(m in o.get("data", {}) for m in _HIDDEN)
                and not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
            for o in cell.outputs:
                _link_spans(o, checked, marks)
            cells.append(cell)
            continue
        if cell.cell_type != "markdown":
            cells.append(cell)
            continue
        for k, (level, head, chunk) in enumerate(_split_markdown(cell.source)):
            if level == 1 and not title:
                title = re.sub(r"[*_`]", "", head).strip()
                chunk = chunk.split("\n", 1)[1] if "\n" in chunk else ""
                if not chunk.strip():
                    continue
                level = 0
            elif level == 1:
                chunk = "#" + chunk  # demote: one h1 per page
                level = 2
            new = nbformat.v4.new_markdown_cell(chunk)
            new.metadata = dict(cell.get("metadata", {}))
            new.attachments = cell.get("attachments", {})
            if level == 2:
                new.metadata["hwb_section"] = slugify(head)
            new.id = f"hwb-{i}-{k}"  # deterministic: the same notebook gives the same page
            cells.append(new)
    nb.cells = cells
    nb.metadata["hwb_marks"] = marks
    return nb, title


def _date_text(value: Any) -> tuple[str, str]:
    """``("2017-09-20", "20 September 2017")`` from an ISO date; blanks when missing."""
    if value in (None, ""):
        return "", ""
    try:
        d = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value), str(value)
    return d.isoformat(), f"{d.day} {d:%B %Y}"


def _built_text(value: Any) -> str:
    if not value:
        return ""
    try:
        t = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if t.tzinfo is not None:
        t = t.astimezone(dt.UTC)
        return f"{t.day} {t:%B %Y}, {t:%H:%M} UTC"
    return f"{t.day} {t:%B %Y}, {t:%H:%M}"


def summary_text(summary: dict[str, Any] | None) -> str:
    """One sentence from a figures-check summary (the manifest's ``figures_summary``).

    Examples
    --------
    >>> summary_text({"reproduced": 10, "rounding": 1, "differs": 2, "not compared": 0})
    '13 printed figures: 10 reproduced, 1 differs only by rounding, 2 differ, 0 not compared.'
    >>> summary_text({"reproduced": 0, "rounding": 0, "differs": 0, "not compared": 0})
    ''
    """
    if not summary:
        return ""
    n = {k: int(summary.get(k, 0) or 0) for k in STATUS_WORDS}
    total = sum(n.values())
    if total == 0:
        return ""
    return (f"{total} printed figure{'s' if total != 1 else ''}: {n['reproduced']} reproduced, "
            f"{n['rounding']} differ{'s' if n['rounding'] == 1 else ''} only by rounding, "
            f"{n['differs']} differ{'s' if n['differs'] == 1 else ''}, "
            f"{n['not compared']} not compared.")


def view(meta: dict[str, Any], notebook_title: str = "") -> dict[str, Any]:
    """What the template shows about the meeting and the run, from ``meta``.

    Parameters
    ----------
    meta : dict
        As passed to :func:`export_html`.
    notebook_title : str
        The notebook's own title (shown as a subtitle when it differs).

    Returns
    -------
    dict
        Plain strings and lists; the template escapes them.
    """
    import hwb

    p = dict(meta.get("params") or {})
    prov = dict(meta.get("provenance") or {})
    paper = dict(meta.get("paper") or {})
    iso, date_text = _date_text(p.get("meeting_date"))
    board_name = str(p.get("board_name") or "Health and Wellbeing Board")
    title = str(p.get("paper_title") or paper.get("title") or notebook_title or "Board appendix")
    ask = str(p.get("ask") or "note")
    kind = str(paper.get("title") or "Board appendix")
    subtitle = (notebook_title if notebook_title.strip().lower()
                not in ("", title.strip().lower(), kind.strip().lower()) else "")
    commit = str(prov.get("commit") or "not recorded")
    if prov.get("dirty"):
        commit += " (with uncommitted changes)"
    provenance = [
        ("hwb version", str(prov.get("version") or hwb.__version__), False),
        ("Commit", commit, True),
        ("Parameters hash", str(prov.get("params_hash") or "not recorded"), True),
        ("Environment hash", str(prov.get("env_hash") or "not recorded"), True),
        ("Built", _built_text(prov.get("built")) or "not recorded", False),
        ("Rebuild with", str(prov.get("command") or "not recorded"), True),
    ]
    short = title if len(title) <= 80 else title[:79].rstrip() + "…"
    footer_bits = [short, date_text]
    return {
        "version": str(prov.get("version") or hwb.__version__),
        "board_name": board_name,
        "meeting_date_iso": iso,
        "meeting_date_text": date_text,
        "agenda_item": str(p.get("agenda_item") or ""),
        "paper_title": title,
        "paper_kind": kind,
        "subtitle": subtitle,
        "area_name": str(p.get("area_name") or ""),
        "area_code": str(p.get("area_code") or ""),
        "period": str(p.get("period") or ""),
        "ask": ask,
        "ask_object": ASK_OBJECT.get(ask, "this appendix."),
        "summary_text": summary_text(meta.get("figures_summary")),
        "provenance": provenance,
        "page_title": " – ".join(x for x in (title, board_name, date_text) if x) + " (appendix)",
        "print_footer": " · ".join(x for x in footer_bits if x).replace("\\", "/"),
    }


def _contents(body: str) -> tuple[str, str]:
    """The contents list for the page's h2 sections, and the figures-check anchor if any."""
    items = []
    check = ""
    main = body.split('<footer class="hwb-footer">', 1)[0]
    for hid, inner in _H2.findall(main):
        text = re.sub(r"<[^>]+>", "", inner).strip()
        if slugify(text) == "figures-check":
            check = hid
        items.append(f'<li><a href="#{html.escape(hid)}">{text}</a></li>')
    if len(items) < 2:
        return "", check
    return ('<nav class="hwb-contents" aria-labelledby="hwb-contents-h">'
            '<h2 id="hwb-contents-h">Contents</h2><ol>' + "".join(items) + "</ol></nav>"), check


def _symbols(body: str) -> str:
    from hwb.protocol import MARKER_NOTES, markers_in

    found = markers_in(body)
    if not found:
        return ""
    notes = dict(MARKER_NOTES)
    items = "".join(f'<li><span class="hwb-marker">{html.escape(m)}</span> '
                    f"{html.escape(notes[m])}</li>" for m in found)
    return (f'<p class="hwb-symbols-lead">Symbols used in the tables of this appendix:</p>'
            f'<ul class="hwb-symbols">{items}</ul>')


_ROW_HEAD = re.compile(r'<tr><th scope="row">(.*?)</th>', re.S)


def _derivation(fig: dict[str, Any], inputs: dict[str, str], params: dict[str, Any]) -> str:
    """A closed disclosure (details/summary: keyboard and screen reader work, no script) with how
    a recorded figure was computed: method, inputs with their SHA-256 (and the rows of each that
    fed it, when recorded), parameters, shown value."""
    return (f'<details class="hwb-derivation"><summary>How computed'
            f'<span class="hwb-vh"> ({html.escape(str(fig.get("id", "")))})</span></summary>'
            f"{_derivation_list(fig, inputs, params)}</details>")


def _param_text(v: Any) -> str:
    """A parameter's value as a derivation shows it: a list of more than five values (a
    summary's linked boards) as its count, so that each of thousands of rows does not repeat it
    (the run's parameters file and manifest hold it whole).

    Examples
    --------
    >>> _param_text(["a", "b"]), _param_text(list("abcdefg")), _param_text(2019)
    ("['a', 'b']", '7 values', '2019')
    """
    if isinstance(v, (list, tuple)) and len(v) > 5:
        return f"{len(v)} values"
    return str(v)


def _derivation_list(fig: dict[str, Any], inputs: dict[str, str], params: dict[str, Any]) -> str:
    """The derivation's definition list: value, method, inputs with their SHA-256 (and the rows
    of each that fed it, when recorded), parameters, and what it was compared with when it was
    printed."""
    e = html.escape
    named = [str(x.get("path", x) if isinstance(x, dict) else x) for x in fig.get("inputs") or []]
    files = [(k, v) for k, v in inputs.items()
             if not named or any(k == n or k.endswith("/" + n) for n in named)]
    rows = {str(k): str(v) for k, v in (fig.get("rows") or {}).items()}
    items = "".join(f"<li><code>{e(k)}</code> sha256 <code>{e(v[:16])}</code>"
                    + "".join(f", rows: {e(r)}" for n, r in rows.items()
                              if k == n or k.endswith("/" + n)) + "</li>"
                    for k, v in files) or "<li>not recorded</li>"
    pars = ", ".join(f"{e(str(k))}={e(_param_text(v))}" for k, v in sorted(params.items())
                     if v != "")
    printed = fig.get("printed") or {}
    cited = (citation(*(str(printed.get(k) or "") for k in ("document", "item", "page", "line")))
             if isinstance(printed, dict) and printed else "")
    against = (f'<dt>Printed</dt><dd>{e(str(printed.get("value", "")))} '
               f'({e(cited)}): {e(str(fig.get("status", "")))}'
               + (f"; {e(str(fig.get('reason')))}" if fig.get("reason") else "") + "</dd>"
               if isinstance(printed, dict) and printed else "")
    return (f'<dl><dt>Value</dt><dd>{e(str(fig.get("text", "")))} {e(str(fig.get("unit", "")))}'
            f'</dd><dt>Method</dt><dd>{e(str(fig.get("method") or "not recorded"))}</dd>'
            f"<dt>Inputs</dt><dd><ul>{items}</ul></dd>"
            f'<dt>Parameters</dt><dd>{pars or "none"}</dd>{against}</dl>')


def link_figures(body: str, figs: list[dict[str, Any]], inputs: dict[str, str],
                 params: dict[str, Any]) -> str:
    """Give each figures-check row of a recorded or printed figure the anchor ``fig-<id>`` and
    ``data-figure="<id>"``, and each recorded figure's row its derivation (see :func:`_derivation`).

    Examples
    --------
    >>> row = '<tr><th scope="row">a.<wbr>b</th><td>x</td></tr>'
    >>> link_figures(row, [], {}, {})
    '<tr id="fig-a.b" data-figure="a.b"><th scope="row">a.<wbr>b</th><td>x</td></tr>'
    """
    by_id = {str(f.get("id")): f for f in figs}
    seen: set[str] = set()

    def row(m: re.Match[str]) -> str:
        fid = html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip()
        if not fid or " " in fid or fid in seen:
            return m.group(0)
        seen.add(fid)
        extra = _derivation(by_id[fid], inputs, params) if fid in by_id else ""
        q = html.escape(fid, quote=True)
        return f'<tr id="fig-{q}" data-figure="{q}"><th scope="row">{m.group(1)}{extra}</th>'

    return _ROW_HEAD.sub(row, body)


_FIG_MARK = re.compile(r'<(a|span) class="hwb-fig" data-figure="([^"]+)"(?: href="#fig-[^"]*")?>'
                       r'(.*?)</\1>', re.S)


def link_marks(body: str) -> str:
    """Every marked figure a link to its figures-check row when the page has one
    (``<tr id="fig-<id>">``), else a ``data-figure`` span: a mark never links to nothing.

    Examples
    --------
    >>> page = ('<span class="hwb-fig" data-figure="a">1</span> '
    ...         '<a class="hwb-fig" data-figure="b" href="#fig-b">2</a><tr id="fig-a">')
    >>> print(link_marks(page).replace("> <", ">\\n<"))
    <a class="hwb-fig" data-figure="a" href="#fig-a">1</a>
    <span class="hwb-fig" data-figure="b">2</span><tr id="fig-a">
    """
    rows = set(re.findall(r'<tr id="fig-([^"]+)"', body))

    def one(m: re.Match[str]) -> str:
        q = m.group(2)
        if q in rows:
            return f'<a class="hwb-fig" data-figure="{q}" href="#fig-{q}">{m.group(3)}</a>'
        return f'<span class="hwb-fig" data-figure="{q}">{m.group(3)}</span>'

    return _FIG_MARK.sub(one, body)


_LINKED_MARK = re.compile(r'(<a class="hwb-fig" data-figure="([^"]+)" href="#fig-[^"]*">'
                          r"(.*?)</a>)", re.S)
_TABLE = re.compile(r"<table\b.*?</table>", re.S)


def explain_marks(body: str, figs: list[dict[str, Any]], inputs: dict[str, str],
                  params: dict[str, Any]) -> str:
    """The derivation on the number itself: after each linked figure in the prose and the chart
    descriptions (table cells link to their row and are left as they are), a small button that
    opens a popover with how it was computed and what it was compared with.

    The HTML ``popover`` attribute does it without a script: the button is reached with the
    keyboard and announced with its name ("How 10.92 was computed"; the "i" it shows is drawn
    by the stylesheet, so the page's text is the prose's own), Escape or a click
    elsewhere closes the popover, and a browser without popovers still has the number's link
    to its figures-check row.  Print hides the buttons (the PDF's numbers link to the rows).
    One popover per figure, placed at the end of ``<main>``.
    """
    by_id = {str(f.get("id")): f for f in figs}
    tables = [(m.start(), m.end()) for m in _TABLE.finditer(body)]
    used: dict[str, str] = {}

    def in_table(pos: int) -> bool:
        return any(a <= pos < b for a, b in tables)

    def one(m: re.Match[str]) -> str:
        fid = html.unescape(m.group(2))
        if fid not in by_id or in_table(m.start()):
            return m.group(0)
        pid = used.setdefault(fid, f"why-{len(used) + 1}")
        shown = re.sub(r"<[^>]+>", "", m.group(3))
        # the name is the label; the visible "i" is CSS, so the page's text stays the prose's
        return (f'{m.group(1)}<button type="button" class="hwb-why" popovertarget="{pid}" '
                f'aria-label="How {shown} was computed"></button>')

    out = _LINKED_MARK.sub(one, body)
    if not used:
        return out
    e = html.escape
    pops = []
    for fid, pid in used.items():
        fig = by_id[fid]
        q = e(fid, quote=True)
        pops.append(f'<div id="{pid}" popover class="hwb-pop" role="dialog" '
                    f'aria-labelledby="{pid}-h"><p class="hwb-pop-head" id="{pid}-h">'
                    f'How computed: {e(str(fig.get("label", fid)))}</p>'
                    f"{_derivation_list(fig, inputs, params)}"
                    f'<p><a href="#fig-{q}">Its row in the figures check</a> · '
                    f'<button type="button" popovertarget="{pid}" popovertargetaction="hide">'
                    "Close</button></p></div>")
    return out.replace("</main>", "".join(pops) + "</main>", 1)


def export_html(nb: nbformat.NotebookNode, meta: dict[str, Any]) -> str:
    """The board appendix as one self-contained HTML page.

    Parameters
    ----------
    nb : NotebookNode
        The executed notebook (not modified).
    meta : dict
        ``params`` (the run's parameters as JSON: ``area_code, area_name, period,
        board, board_name, meeting_date, agenda_item, paper_title, ask``, ...),
        ``provenance`` (``version, commit, params_hash, env_hash, built,
        command``), ``paper`` (``name, title``) and ``figures_summary`` (counts
        by check status).  Missing keys are shown as "not recorded".

    Returns
    -------
    str
        The HTML page.

    Notes
    -----
    Rendered with the ``hwb`` nbconvert template; see the module docstring for
    what the page guarantees.
    """
    from hwb.protocol import figures_of, outputs_of

    figs = [dict(f) for f in figures_of(nb)]
    inputs = {str(d.get("path", "")): str(d.get("sha256", "")) for d in outputs_of(nb, INPUT_MIME)}
    prepared, title = prepare(nb)
    v = view(meta, title)
    body, _ = exporter().from_notebook_node(prepared, resources={"hwb": v})
    body = _ANCHOR.sub("", body)
    body = _unmark(body, list(prepared.metadata.get("hwb_marks", [])))
    body = _STATUS_CELL.sub(
        lambda m: f'<td class="txt hwb-status hwb-status--{slugify(m.group(1))}">{m.group(1)}</td>',
        body)
    start = body.find('<section class="hwb-section hwb-section--figures-check">')
    if start >= 0:  # only the figures check's rows are figures
        end = body.find("</section>", start)
        end = len(body) if end < 0 else end
        body = body[:start] + link_figures(body[start:end], figs, dict(sorted(inputs.items())),
                                           dict(meta.get("params") or {})) + body[end:]
    body = explain_marks(link_marks(body), figs, dict(sorted(inputs.items())),
                         dict(meta.get("params") or {}))
    contents, check = _contents(body)
    link = f' <a href="#{html.escape(check)}">See the figures check</a>.' if check else ""
    body = body.replace("<!--hwb:checklink-->", link, 1)
    body = body.replace("<!--hwb:contents-->", contents, 1)
    body = body.replace("<!--hwb:symbols-->", _symbols(body), 1)
    return body
