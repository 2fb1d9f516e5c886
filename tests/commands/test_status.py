"""``hwb status`` on a real build: up to date after the build; stale, with the reason, when a
recorded part of the cache key no longer matches (the record is changed, never the project)."""

from __future__ import annotations

import json
from pathlib import Path

from hwb.commands.status import NOT_BUILT, STALE, UP_TO_DATE, reasons, status
from hwb.core.runner import Task
from tests.commands.conftest import PARAMS, RUN


def _state(out: Path) -> tuple[str, list[str]]:
    s = reasons(Task("dtoc", str(PARAMS), str(out)))
    return s.state, s.reasons


def _edit_manifest(out: Path, fn) -> None:  # type: ignore[no-untyped-def]
    """Make the record that of an older build: ``fn`` changes what it recorded, and the cache
    key is then not today's (as it would not be, had that part really differed)."""
    p = out / RUN / "manifest.json"
    m = json.loads(p.read_text())
    fn(m)
    m["cache_key"] = "0" * 64
    p.write_text(json.dumps(m))


def test_fresh_build_is_up_to_date(built: Path) -> None:
    assert _state(built) == (UP_TO_DATE, [])
    rows = {Path(s.params_file).name: s.state for s in status(built, paper="dtoc")}
    assert rows["rotherham-2017-09.yaml"] == UP_TO_DATE
    assert rows["leicestershire-2017-11.yaml"] == NOT_BUILT


def test_changed_parameter_is_named(copy: Path) -> None:
    _edit_manifest(copy, lambda m: m["params"].update(trend_start="2015-04"))
    state, why = _state(copy)
    assert state == STALE
    assert "parameter trend_start: '2015-04' -> '2016-04'" in why


def test_changed_input_file_is_named(copy: Path) -> None:
    name = "data/dtoc/printed_figures.csv"
    _edit_manifest(copy, lambda m: m["inputs"].update({name: "0" * 64}))
    state, why = _state(copy)
    assert state == STALE
    assert any(w.startswith(f"input file {name} changed (sha256 000000000000 ->") for w in why)


def test_changed_notebook_cell_is_named(copy: Path) -> None:
    nb_path = copy / RUN / "notebook.ipynb"
    nb = json.loads(nb_path.read_text())
    cells = [c for c in nb["cells"]
             if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    cells[2]["source"] = "# an older version of this cell\n"
    nb_path.write_text(json.dumps(nb))
    _edit_manifest(copy, lambda m: m["notebook"].update(code_sha256="0" * 64))
    state, why = _state(copy)
    assert state == STALE
    assert [w for w in why if w.startswith("notebook cell")] == [
        w for w in why if w.startswith("notebook cell 3 changed")]
    assert any(w.startswith("notebook cell 3 changed") for w in why)


def test_changed_library_module_and_lock_are_named(copy: Path) -> None:
    def edit(m: dict) -> None:  # type: ignore[type-arg]
        m["library"]["stats/proportions.py"] = "0" * 64
        m["lock_file"]["sha256"] = "0" * 64
    _edit_manifest(copy, edit)
    state, why = _state(copy)
    assert state == STALE
    assert "library module hwb/stats/proportions.py changed" in why
    assert "lock file requirements.lock changed" in why


def test_edited_output_is_named(copy: Path) -> None:
    (copy / RUN / "figures.csv").write_text("tampered\n")
    state, why = _state(copy)
    assert state == STALE and "output figures.csv was changed after the build" in why
