"""HTML export of an executed notebook: code and prompts hidden, hwb outputs stripped."""

from __future__ import annotations

from typing import Any

import nbformat
from nbconvert import HTMLExporter

from hwb.data import INPUT_MIME
from hwb.figures import FIGURE_MIME

_exporter: HTMLExporter | None = None


def _strip_hwb_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if "outputs" in cell:
            cell.outputs = [o for o in cell.outputs
                            if FIGURE_MIME not in o.get("data", {}) and INPUT_MIME not in o.get("data", {})]
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
