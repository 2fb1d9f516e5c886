"""Committed notebooks: outputs stripped, paired with their .py source, parameters declared."""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest

from hwb.core.runner import notebook_parameters

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def code(nb: nbformat.NotebookNode) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_no_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{path.name}: strip outputs"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_in_step_with_its_py_source(path: Path) -> None:
    src = path.with_suffix(".py")
    assert src.exists(), f"{path.name} has no paired {src.name}"
    assert code(jupytext.read(src)) == code(nbformat.read(path, as_version=4)), (
        f"run: jupytext --sync notebooks/{src.name}"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_on_the_hwb_kernel(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.get("kernelspec", {}).get("name") == "hwb"


def test_every_builtin_paper_declares_all_its_parameters() -> None:
    from hwb.core.registry import papers

    for paper in papers().values():
        if not paper.notebook.is_relative_to(ROOT):
            continue
        declared = set(notebook_parameters(nbformat.read(paper.notebook, as_version=4)))
        missing = set(paper.params_model.model_fields) - declared
        assert not missing, f"{paper.name}: parameters cell lacks {sorted(missing)}"
        assert paper.params_files(), f"{paper.name} ships no parameter files"
