"""Provenance from git: committed notebooks in the filter's form, a clean fresh clone.

The notebooks' clean filter (``lib/hwb/core/nbstrip.py``) must give nbstripout's
output byte for byte (nbstripout is the reference: the pre-commit hook runs it),
every tracked notebook must already be in that form (else a fresh clone's
``git status`` lists it as modified), and a fresh clone with the filter
installed the Makefile's way must stay clean after building a report.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hwb.core import nbstrip
from hwb.core.manifest import git_state

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(),
                                reason="needs git and the project's repository")


def tracked_notebooks() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    return [ROOT / p for p in out]


def executed_like(src: Path) -> bytes:
    """A notebook as Jupyter saves it after a run: outputs, counts, random ids, UI metadata."""
    nb = json.loads(src.read_text(encoding="utf-8"))
    nb["metadata"]["widgets"] = {"state": {}}
    nb["metadata"]["signature"] = "sha256:0"
    for i, cell in enumerate(nb["cells"]):
        cell["id"] = f"c{i:07x}"
        cell["metadata"].update({"scrolled": True, "ExecuteTime": {"end": "x"}, "trusted": True})
        if cell["cell_type"] == "code":
            cell["execution_count"] = i + 1
            cell["outputs"] = [
                {"output_type": "stream", "name": "stdout", "text": "a\nb\n"},
                {"output_type": "execute_result", "execution_count": i + 1, "metadata": {},
                 "data": {"text/plain": "line 1\nline 2", "image/svg+xml": "<svg>\n</svg>",
                          "application/json": {"k": [1, 2]}}},
            ]
    nb["cells"][-1]["metadata"]["tags"] = ["keep_output"]
    return json.dumps(nb, indent=2).encode()  # not nbformat's layout either


def test_every_committed_notebook_is_in_the_filters_form() -> None:
    files = tracked_notebooks()
    assert len(files) >= 5, files
    for p in files:
        committed = subprocess.run(["git", "show", f"HEAD:{p.relative_to(ROOT).as_posix()}"],
                                   cwd=ROOT, capture_output=True, check=True).stdout
        assert nbstrip.clean(committed) == committed, f"{p.name}: not as the filter writes it"


def test_filter_gives_nbstripouts_bytes(tmp_path: Path) -> None:
    """Every tracked notebook, and each again as an executed notebook, through both tools."""
    nbstripout = BIN / "nbstripout"
    if not nbstripout.exists():
        pytest.skip("nbstripout not installed")
    cases = {}
    for i, p in enumerate(tracked_notebooks()):
        cases[f"{i}-as-committed.ipynb"] = p.read_bytes()
        cases[f"{i}-executed.ipynb"] = executed_like(p)
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    # one nbstripout process strips all the copies in place (git's config is not consulted
    # for extra keys outside a repository: its defaults, which nbstrip reproduces)
    subprocess.run([str(nbstripout), *sorted(cases)], cwd=tmp_path, check=True,
                   env={**os.environ, "GIT_DIR": str(tmp_path / "no-repo")})
    for name, data in cases.items():
        ours = nbstrip.clean(data)
        assert ours == (tmp_path / name).read_bytes(), name
        assert nbstrip.clean(ours) == ours, name  # idempotent


def test_filter_speaks_gits_process_protocol(tmp_path: Path) -> None:
    """``git add`` through the long-running filter stores the stripped notebook."""
    repo = tmp_path / "r"
    repo.mkdir()
    (repo / "lib" / "hwb" / "core").mkdir(parents=True)
    shutil.copy(ROOT / "lib" / "hwb" / "core" / "nbstrip.py", repo / "lib" / "hwb" / "core")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    shutil.copy(ROOT / ".gitattributes", repo / ".gitattributes")
    subprocess.run(["make", "-s", "-f", str(ROOT / "Makefile"), "-C", str(repo), "git-filter",
                    f"BIN={BIN}"], check=True, capture_output=True)
    src = tracked_notebooks()[0]
    (repo / "a.ipynb").write_bytes(executed_like(src))
    subprocess.run([*git, "add", "a.ipynb"], check=True)
    stored = subprocess.run([*git, "show", ":a.ipynb"], check=True, capture_output=True).stdout
    assert stored == nbstrip.clean(executed_like(src))
    assert b'"outputs": []' in stored


def test_fresh_clone_is_clean_after_building_a_report(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    subprocess.run(["make", "-s", "-C", str(clone), "git-filter", f"BIN={BIN}"], check=True,
                   capture_output=True)
    assert subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=clone,
                          capture_output=True, text=True, check=True).stdout == ""
    # the clone's own (committed) library, data and notebook
    env = {**os.environ, "HWB_ROOT": str(clone), "PYTHONPATH": str(clone / "lib")}
    env.pop("HWB_FORK", None)
    done = subprocess.run([str(BIN / "hwb"), "run", "dtoc", "params/dtoc/rotherham-2017-09.yaml",
                           "--force", "--quiet", "--no-fork"], cwd=clone, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    status = subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True,
                            text=True, check=True).stdout
    assert status == "", status
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=clone, capture_output=True,
                          text=True, check=True).stdout.strip()
    assert git_state(clone) == {"commit": head, "dirty": False}
    manifest = json.loads(next((clone / "outputs").rglob("manifest.json")).read_text())
    assert manifest["git"] == {"commit": head, "dirty": False}


def test_git_state_sees_an_edit_and_outside_git(tmp_path: Path) -> None:
    repo = tmp_path / "r"
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    repo.mkdir()
    assert git_state(repo) == {"commit": None, "dirty": None}
    subprocess.run([*git, "init", "-q"], check=True)
    (repo / "a.txt").write_text("one\n")
    subprocess.run([*git, "add", "a.txt"], check=True)
    subprocess.run([*git, "commit", "-qm", "a"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    (repo / "untracked.txt").write_text("not counted\n")
    assert git_state(repo) == {"commit": head, "dirty": False}
    (repo / "a.txt").write_text("two\n")
    state = git_state(repo)
    assert state["commit"] == head and state["dirty"] is True and len(state["diff_sha256"]) == 64


def test_the_state_asked_before_a_run_is_the_trees_as_the_run_started(tmp_path: Path) -> None:
    """A run asks for the state before its notebook executes and reads it afterwards
    (``GitState``): an edit made meanwhile is not in it, and an answer never read is reaped."""
    from hwb.core.manifest import GitState

    repo = tmp_path / "r"
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    repo.mkdir()
    subprocess.run([*git, "init", "-q"], check=True)
    (repo / "a.txt").write_text("one\n")
    subprocess.run([*git, "add", "a.txt"], check=True)
    subprocess.run([*git, "commit", "-qm", "a"], check=True)
    asked = GitState(repo)
    asked._proc.wait()  # type: ignore[union-attr]  # git has answered: the run goes on
    (repo / "a.txt").write_text("two\n")
    assert asked.result()["dirty"] is False
    assert git_state(repo)["dirty"] is True
    unread = GitState(repo)
    unread.close()
    assert unread._proc is not None and unread._proc.returncode is not None
