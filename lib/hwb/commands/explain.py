"""``hwb explain FIGURE_ID``: how a figure in a built appendix was derived, from its manifest.

Reads ``outputs/<paper>/<area>/<period>/manifest.json`` (written by the runner)
and prints, for the figure: its value and unit and the text the appendix shows,
the method, the input files that fed it (with the SHA-256 each had when the
appendix was built, and the rows of each that fed it when the notebook recorded them), the
run's parameters, and, when the board paper printed it, the printed value, the citation and
the figures check's verdict and reason.
Nothing is recomputed: this is the record of the build.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

from hwb.errors import HwbError


def manifests(outputs: Path, paper: str | None = None, area: str | None = None
              ) -> list[tuple[Path, dict[str, Any]]]:
    """Every readable manifest under ``outputs`` (optionally of one paper and area)."""
    found = []
    for p in sorted(Path(outputs).glob("*/*/*/manifest.json")):
        try:
            m = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if paper and m.get("paper") != paper:
            continue
        if area and area.lower() not in (str(m.get("area_code", "")).lower(),
                                         str(m.get("area_name", "")).lower(),
                                         p.parent.parent.name.lower()):
            continue
        found.append((p, m))
    return found


def find(figure_id: str, outputs: Path, paper: str | None = None, area: str | None = None
         ) -> list[tuple[Path, dict[str, Any], dict[str, Any] | None, dict[str, Any] | None]]:
    """``(manifest path, manifest, recorded figure, figures-check row)`` for each build that has
    the figure (recorded, or printed and listed in the figures check)."""
    hits = []
    for path, m in manifests(outputs, paper, area):
        fig = next((f for f in m.get("figures", []) if f.get("id") == figure_id), None)
        row = next((r for r in m.get("figures_check", []) if r.get("figure_id") == figure_id),
                   None)
        if fig is not None or row is not None:
            hits.append((path, m, fig, row))
    return hits


def _input_lines(fig: dict[str, Any] | None, m: dict[str, Any]) -> list[str]:
    """Each input file the figure names, with its SHA-256 and the rows of it that fed the figure
    (the recorder's ``rows``); every file the run read when the figure names none."""
    inputs: dict[str, str] = m.get("inputs", {})
    rows: dict[str, str] = dict((fig or {}).get("rows") or {})
    lines = []
    for name in list((fig or {}).get("inputs") or []):
        if isinstance(name, dict):  # {"path": ..., "rows": ...}
            rows.setdefault(str(name.get("path", "")), str(name.get("rows", "")))
            name = str(name.get("path", ""))
        path = next((k for k in inputs if k == name or k.endswith("/" + name)), None)
        digest = inputs.get(path or "", "not recorded")
        lines.append(f"  {path or name}  sha256 {digest}")
        if rows.get(name):
            lines.append(f"    rows: {rows[name]}")
    if not lines:
        lines.append("  (the figure names no input files; the run read:)")
        lines += [f"  {k}  sha256 {v}" for k, v in inputs.items()]
    return lines


def explain_text(path: Path, m: dict[str, Any], fig: dict[str, Any] | None,
                 row: dict[str, Any] | None, figure_id: str) -> str:
    """The derivation of one figure in one build, as lines of text."""
    out = [f"{figure_id}  ({m.get('paper')}, {m.get('area_name')} {m.get('period')}; "
           f"{path.parent.as_posix()})"]
    label = (fig or {}).get("label") or (row or {}).get("label", "")
    out.append(f"What:        {label}")
    if fig is not None:
        out.append(f"Value:       {fig.get('value')} {fig.get('unit', '')}".rstrip())
        out.append(f"Shown as:    {fig.get('text', '')}")
        out.append(f"Method:      {fig.get('method') or 'not recorded'}")
    else:
        out.append("Value:       not recomputed by this paper (printed figure only)")
    out.append("Inputs:")
    out += _input_lines(fig, m)
    out.append("Parameters:")
    out += [f"  {k} = {v}" for k, v in sorted((m.get("params") or {}).items())]
    out.append(f"  (file {m.get('params_file')}, hash {m.get('params_hash')})")
    printed = (fig or {}).get("printed") or {}
    if row is not None or printed:
        out.append(f"Printed:     {(row or {}).get('printed', printed.get('value', ''))}")
        out.append(f"Citation:    {(row or {}).get('citation') or printed.get('citation', '')}")
        out.append(f"Check:       {(row or fig or {}).get('status')}")
        out.append(f"Reason:      {(row or fig or {}).get('reason') or '-'}")
    else:
        out.append("Printed:     the board paper printed no such figure (recorded only)")
    out.append(f"Built:       {(m.get('timings') or {}).get('started')} by hwb "
               f"{m.get('hwb_version')}, commit {(m.get('git') or {}).get('commit')}")
    return "\n".join(out)


def explain(figure_id: str, outputs: Path, paper: str | None = None,
            area: str | None = None) -> str:
    """The derivation of ``figure_id`` in every matching build; :class:`HwbError` when none.

    Parameters
    ----------
    figure_id : str
        A recorded figure's id, e.g. ``rotherham.actual.total``.
    outputs : Path
        The outputs folder the appendices were built in.
    paper, area : str, optional
        Narrow the search to one paper and area (code, name or folder).
    """
    hits = find(figure_id, outputs, paper, area)
    if not hits:
        known = sorted({f["id"] for _, m in manifests(outputs, paper, area)
                        for f in m.get("figures", []) if "id" in f})
        near = difflib.get_close_matches(figure_id, known, n=3)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise HwbError(f"figure {figure_id!r}: not in any built manifest under {outputs}"
                       f"{' for paper ' + paper if paper else ''}"
                       f"{' and area ' + area if area else ''}{hint}")
    return "\n\n".join(explain_text(p, m, f, r, figure_id) for p, m, f, r in hits)
