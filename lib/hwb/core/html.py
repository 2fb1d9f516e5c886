"""HTML export of an executed notebook: code and prompts hidden, hwb outputs stripped."""

from __future__ import annotations

from typing import Any

import nbformat
from nbconvert import HTMLExporter

from hwb.data import INPUT_MIME
from hwb.figures import CHECK_MIME, FIGURE_MIME

_HIDDEN = (FIGURE_MIME, INPUT_MIME, CHECK_MIME)

_exporter: HTMLExporter | None = None


def _strip_hwb_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if "outputs" in cell:
            cell.outputs = [o for o in cell.outputs
                            if not any(m in o.get("data", {}) for m in _HIDDEN)]
    return nb


def exporter() -> HTMLExporter:
    """One exporter per process (building one costs more than using it)."""
    global _exporter
    if _exporter is None:
        _exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                                 exclude_output_prompt=True)
    return _exporter


def export_html(nb: nbformat.NotebookNode, meta: dict[str, Any]) -> str:
    """The board appendix as one HTML page.

    Parameters
    ----------
    nb : NotebookNode
        The executed notebook.
    meta : dict
        ``params`` (the run's parameters as JSON) and ``provenance`` (version,
        commit, params_hash, env_hash, built, command).
    """
    body, _ = exporter().from_notebook_node(_strip_hwb_outputs(nb), resources={"hwb": meta})
    return body
