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


def paper_named(name: str) -> Paper:
    """The installed paper plugin called ``name`` (entry point group ``hwb.papers``)."""
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
