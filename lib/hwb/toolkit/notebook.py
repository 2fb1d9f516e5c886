"""Notebook start-up: one call that every paper's notebook makes first.

.. code-block:: python

    from hwb.toolkit.notebook import setup
    params, rec, printed = setup("dtoc", globals())

``setup`` validates the parameters cell against the paper's parameter model, starts the
run's figure recorder with the printed figures of the params' ``board`` (loaded once) and
returns the three.  Under ``hwb run`` the runner tells the kernel which printed-figures file
the run uses (``HWB_PRINTED``); in JupyterLab the paper's own file is used.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pandas as pd

from hwb.errors import HwbError, PaperNotFound, ParameterError
from hwb.protocol import Paper
from hwb.toolkit import figures

ENV_PRINTED = "HWB_PRINTED"
"""Environment variable through which the runner names the run's printed-figures file."""


@functools.cache
def paper_named(name: str) -> Paper:
    """The installed paper plugin called ``name`` (entry point group ``hwb.papers``), looked
    up once per process (a kernel forked from the zygote inherits the zygote's answer)."""
    eps = list(entry_points(group="hwb.papers", name=name))
    if not eps:
        raise PaperNotFound(f"unknown paper '{name}'")
    obj = eps[0].load()
    if not isinstance(obj, Paper):
        raise HwbError(f"paper plugin '{name}' is not a hwb.plugin.Paper")
    return obj


def notebook_params(paper: Paper, ns: Mapping[str, Any]) -> Any:
    """The notebook's parameters (JSON types, as papermill injects them) as the paper's model.

    A field missing from the parameters cell, or a value the model refuses, is a one-line
    :class:`~hwb.errors.ParameterError` naming the field.
    """
    model = paper.params_model
    missing = [k for k in model.model_fields if k not in ns]
    if missing:
        raise ParameterError("notebook parameters", missing[0], None,
                             f"every field of {model.__name__} in the parameters cell")
    values = {k: ns[k] for k in model.model_fields}
    from pydantic import ValidationError

    try:  # JSON mode lets a strict model read ISO dates written as text
        return model.model_validate_json(json.dumps(values, default=str))
    except ValidationError as e:
        err = e.errors(include_url=False)[0]
        key = ".".join(str(x) for x in err.get("loc", ())) or None
        raise ParameterError("notebook parameters", key, err.get("input"),
                             err.get("msg", "a valid value")) from None


def printed_path(paper: Paper) -> Path | None:
    """The run's printed-figures file: the runner's ``HWB_PRINTED``, else the paper's own."""
    env = os.environ.get(ENV_PRINTED)
    if env:
        return Path(env)
    return paper.printed


def setup(paper: Paper | str, ns: Mapping[str, Any],
          threshold: int = figures.DISCLOSURE_THRESHOLD) -> tuple[Any, figures.Recorder,
                                                                  pd.DataFrame | None]:
    """Start a paper's notebook: ``(params, recorder, printed)``.

    Parameters
    ----------
    paper : Paper or str
        The paper plugin, or its registered name.
    ns : mapping
        The notebook's namespace (``globals()``), holding the parameters cell's names.
    threshold : int
        Disclosure threshold for counts recorded with ``count=True``.

    Returns
    -------
    params
        The validated, frozen parameter model.
    recorder : Recorder
        The run's figure recorder, holding the printed figures of ``params.board``.
    printed : DataFrame or None
        Those printed figures (``None`` when the board has no printed paper).
    """
    p = paper_named(paper) if isinstance(paper, str) else paper
    params = notebook_params(p, ns)
    board = getattr(params, "board", "")
    path = printed_path(p)
    printed = figures.load_printed(path, board=board) if board and path else None
    rec = figures.start(printed, threshold)
    return params, rec, printed


def rehearse(paper: Paper, params_file: str) -> None:
    """Run ``paper``'s notebook once in this process, its outputs built and thrown away.

    The zygote (:mod:`hwb.core.zygote`) calls this through the paper's ``rehearse`` hook
    before it forks kernels: everything a first run fills lazily (the libraries' caches, the
    font and text-size caches, pandas' and matplotlib's first-call set-up) is then filled in
    every kernel forked from it, and a DTOC rebuild's cells take about a tenth less.  Each
    code cell runs as in a kernel (the parameters cell with ``params_file``'s values, as the
    runner injects them); what a cell displays, or its last expression, is rendered as the
    exporter would ask for it (``_repr_html_``, ``_repr_markdown_``) and dropped.  Nothing a
    run can see is kept: no figure is published (there is no kernel) and the recorded inputs
    are reset by the zygote.

    Parameters
    ----------
    paper : Paper
        The paper plugin.
    params_file : str
        One of its parameter files (a name in ``paper.params_dir``).
    """
    import IPython.display
    import matplotlib
    import yaml

    from hwb.sources.params import parse_params
    from hwb.toolkit import charts
    from hwb.toolkit.ipython_ext import PANDAS_OPTIONS

    path = paper.params_dir / params_file
    params = parse_params(yaml.safe_load(path.read_text()), paper.params_model, str(path))
    cells = json.loads(paper.notebook.read_text())["cells"]
    ns: dict[str, Any] = {"__name__": "__main__"}
    shown = IPython.display.display
    IPython.display.display = _render_all  # type: ignore[assignment]
    options = [x for kv in PANDAS_OPTIONS.items() for x in kv]
    try:
        with matplotlib.rc_context(), pd.option_context(*options):
            charts.style()  # as the kernel's extension does; the settings are put back after
            charts.reset_numbering()
            _run_cells(cells, ns, params.to_notebook(), paper.notebook.name)
    finally:
        IPython.display.display = shown  # type: ignore[assignment]
        figures._PENDING.clear()
        charts.reset_numbering()


def _run_cells(cells: list[dict[str, Any]], ns: dict[str, Any], params: dict[str, Any],
               name: str) -> None:
    """Execute the code ``cells`` in ``ns`` as a kernel would: ``params`` after the parameters
    cell, and each cell's last expression evaluated and rendered (:func:`_render_all`)."""
    import ast

    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, name, "exec"), ns)  # noqa: S102 - the paper's own notebook
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            ns.update(params)
        if last is not None:
            _render_all(eval(compile(ast.Expression(last.value), name, "eval"), ns))  # noqa: S307


def _render_all(*objs: Any, **_: Any) -> None:
    """Render each object as a notebook would show it, and drop the result."""
    for obj in objs:
        for name in ("_repr_html_", "_repr_markdown_"):
            method = getattr(obj, name, None)
            if callable(method):
                method()
