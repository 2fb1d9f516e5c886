"""The warm server: reused while the code is unchanged, replaced when it changes, same results.

Runs in a fresh clone of the repository (its own library on PYTHONPATH), so that
editing a library file there is a real change to the code the server loaded.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PARAMS = "params/dtoc/rotherham-2017-09.yaml"
pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("git") is None
                                 or not (ROOT / ".git").exists(),
                                 reason="needs Linux (fork), git and the project's repository")]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z")


@pytest.fixture
def clone(tmp_path: Path):  # type: ignore[no-untyped-def]
    repo = tmp_path / "p"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(repo)], check=True)
    env = {**os.environ, "HWB_ROOT": str(repo), "PYTHONPATH": str(repo / "lib"),
           "HWB_SERVER": "1", "HWB_SERVER_IDLE": "300"}
    env.pop("HWB_FORK", None)
    yield repo, env
    subprocess.run([str(BIN / "hwb"), "serve", "stop"], cwd=repo, env=env, capture_output=True)


def hwb(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(BIN / "hwb"), *args], cwd=repo, env=env, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    return done


def server_pid(repo: Path) -> int:
    return int(json.loads((repo / ".hwb" / "server.json").read_text())["pid"])


def test_server_reused_then_replaced_when_the_library_changes(clone) -> None:  # type: ignore[no-untyped-def]
    repo, env = clone
    hwb(repo, env, "run", "dtoc", PARAMS, "--outputs", "o1", "--force", "--quiet")
    first = server_pid(repo)
    assert _alive(first)
    hwb(repo, env, "run", "dtoc", PARAMS, "--outputs", "o1", "--force", "--quiet")
    assert server_pid(repo) == first  # unchanged code: the same warm server
    lib_file = repo / "lib" / "hwb" / "fmt.py"
    lib_file.write_text(lib_file.read_text() + "\n# an edit\n")
    hwb(repo, env, "run", "dtoc", PARAMS, "--outputs", "o1", "--force", "--quiet")
    second = server_pid(repo)
    assert second != first and _alive(second)
    end = time.monotonic() + 15
    while _alive(first) and time.monotonic() < end:
        time.sleep(0.1)
    assert not _alive(first)  # the stale server is gone
    assert "current" in hwb(repo, env, "serve", "status").stdout
    assert hwb(repo, env, "serve", "stop").stdout.strip() == "stopped"
    assert not (repo / ".hwb" / "server.json").exists()
    # git ignores the server's folder
    assert subprocess.run(["git", "status", "--porcelain", "--", ".hwb"], cwd=repo,
                          capture_output=True, text=True, check=True).stdout == ""


BUILT = re.compile(r"<div><dt>Built</dt><dd>[^<]*</dd></div>")


def test_run_through_the_server_gives_the_same_appendix(clone) -> None:  # type: ignore[no-untyped-def]
    """A run on the kernel the warm server forked ahead (from a zygote that warmed the papers'
    data and rehearsed the DTOC notebook: :func:`hwb.toolkit.notebook.rehearse`) writes the
    same figures and, apart from the build time, the same appendix as a run on a kernel
    started the ordinary way (``--no-server --no-fork``): nothing the zygote did shows."""
    repo, env = clone
    hwb(repo, env, "run", "dtoc", PARAMS, "--outputs", "cold", "--force", "--quiet")
    assert (repo / ".hwb" / "server.json").exists()
    hwb(repo, env, "run", "dtoc", PARAMS, "--outputs", "via", "--force", "--quiet")
    hwb(repo, env, "run", "dtoc", PARAMS, "--outputs", "direct", "--force", "--quiet",
        "--no-server", "--no-fork")
    via = next((repo / "via").rglob("figures.csv")).read_bytes()
    direct = next((repo / "direct").rglob("figures.csv")).read_bytes()
    assert via.count(b"\n") > 5
    assert via == direct
    pages = [next((repo / d).rglob("appendix.html")).read_text() for d in ("via", "direct")]
    assert all(len(BUILT.findall(p)) == 1 for p in pages)
    assert BUILT.sub("", pages[0]) == BUILT.sub("", pages[1])


def _ahead_files(tmp: Path) -> set[str]:
    return {p.name for p in tmp.glob("hwb-kernel-*.json")}


def _wait_for_ahead(tmp: Path, not_in: set[str]) -> set[str]:
    end = time.monotonic() + 120  # a kernel fork on a busy machine: not a timing assertion
    while time.monotonic() < end:
        found = _ahead_files(tmp) - not_in
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("the server forked no kernel ahead of the next run")


def test_each_run_leaves_a_kernel_forked_ahead_for_the_next(clone, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Once a run has answered, the server forks the next run's kernel (its connection file
    is written to the server's temporary folder); the next run takes that kernel, which goes
    when the run ends, and leaves a new one."""
    repo, env = clone
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**env, "TMPDIR": str(tmp)}
    hwb(repo, env, "run", "dtoc", PARAMS, "--outputs", "o", "--force", "--quiet")
    first = _wait_for_ahead(tmp, set())
    assert len(first) == 1
    hwb(repo, env, "run", "dtoc", PARAMS, "--outputs", "o", "--force", "--quiet")
    second = _wait_for_ahead(tmp, first)
    assert len(second) == 1 and not (_ahead_files(tmp) & first)


def test_a_bad_parameter_file_reports_through_the_server(clone) -> None:  # type: ignore[no-untyped-def]
    """The child writes to the client's own stderr and the exit code comes back."""
    repo, env = clone
    bad = repo / "bad.yaml"
    bad.write_text("area_code: [\n")
    done = subprocess.run([str(BIN / "hwb"), "run", "dtoc", str(bad), "--outputs", "o"],
                          cwd=repo, env=env, capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    assert "bad.yaml" in done.stderr and "Traceback" not in done.stderr


def test_fingerprint_changes_with_the_library_a_notebook_or_the_lock(tmp_path: Path) -> None:
    """What the client compares with the running server's: every watched file's size and
    modification time, so an edit to any of the three kinds of file restarts the server,
    and nothing else does."""
    from hwb.core import server

    root = tmp_path / "p"
    (root / "notebooks").mkdir(parents=True)
    nb = root / "notebooks" / "x.ipynb"
    nb.write_text("{}")
    lock = root / "requirements.lock"
    lock.write_text("a==1\n")
    before = server.fingerprint(root)
    assert server.fingerprint(root) == before  # nothing changed, the same server
    (root / "notebooks" / "notes.txt").write_text("not a notebook")
    assert server.fingerprint(root) == before
    assert str(nb) in server.watched(root) and str(lock) in server.watched(root)
    assert any(f.endswith("core/server.py") for f in server.watched(root))
    seen = {before}
    for path, text in ((nb, '{"cells": []}'), (lock, "a==2\n")):
        path.write_text(text)
        os.utime(path, ns=(1, 1_000_000_001))  # a new modification time, whatever the clock
        now = server.fingerprint(root)
        assert now not in seen
        seen.add(now)
