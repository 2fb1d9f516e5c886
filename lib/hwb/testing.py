"""Conformance checks for paper plugins (after scikit-learn's ``check_estimator``).

A paper's own test suite calls :func:`check_paper`::

    from hwb.testing import check_paper
    from my_package.paper import PAPER

    def test_my_paper_conforms():
        assert check_paper(PAPER) == []

It needs no kernel and runs nothing: it reads the notebook, the parameter files, the
printed-figures file and the declared inputs.
"""

from __future__ import annotations

from pathlib import Path

from hwb.errors import HwbError
from hwb.protocol import Paper


def check_paper(paper: Paper) -> list[str]:
    """Every way ``paper`` breaks the plugin contract, as one line each (empty: it conforms).

    Checks that the notebook exists, is on the ``hwb`` kernel and its ``parameters`` cell
    declares exactly the parameter model's fields; that every parameters file parses into
    the model; that the printed-figures file (if any) has the required columns; and that
    every declared input exists.

    Parameters
    ----------
    paper : Paper
        The plugin object (as registered under the ``hwb.papers`` entry point).

    Returns
    -------
    list of str
        Problems found, one line each.
    """
    import nbformat

    from hwb.core.params import load_params
    from hwb.core.runner import notebook_parameters

    problems: list[str] = []
    name = paper.name
    nb_path = Path(paper.notebook)
    if not nb_path.is_file():
        problems.append(f"{name}: notebook {nb_path} does not exist")
    else:
        nb = nbformat.read(nb_path, as_version=4)
        kernel = nb.metadata.get("kernelspec", {}).get("name")
        if kernel != "hwb":
            problems.append(f"{name}: notebook runs on kernel {kernel!r}, not 'hwb'")
        declared = set(notebook_parameters(nb))
        fields = set(paper.params_model.model_fields)
        if declared - fields:
            problems.append(f"{name}: parameters cell declares {sorted(declared - fields)}, "
                            "which the parameter model does not have")
        if fields - declared:
            problems.append(f"{name}: parameters cell lacks {sorted(fields - declared)}")
    files = paper.params_files()
    if not files:
        problems.append(f"{name}: no parameter files in {paper.params_dir}")
    for f in files:
        try:
            load_params(f, paper.params_model)
        except HwbError as e:
            problems.append(f"{name}: {e}")
    if paper.printed is not None:
        problems += _check_printed(name, Path(paper.printed))
    for p in paper.inputs:
        if not Path(p).exists():
            problems.append(f"{name}: declared input {p} does not exist")
    return problems


def _check_printed(name: str, path: Path) -> list[str]:
    from hwb.toolkit.figures import load_printed

    if not path.is_file():
        return [f"{name}: printed-figures file {path} does not exist"]
    try:
        load_printed(path)
    except HwbError as e:
        return [f"{name}: {e}"]
    return []
