"""The run manifest: everything needed to re-derive and audit an appendix.

``manifest.json`` records the git commit (with a dirty marker and a hash of
the diff when the tree has uncommitted changes), the parameters and their hash,
every input file with its SHA-256, the lock file's hash, versions of Python and
the key packages, the kernel, timings, and every recorded figure.
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
import sys
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

KEY_PACKAGES = (
    "hwb",
    "pandas",
    "numpy",
    "scipy",
    "matplotlib",
    "seaborn",
    "papermill",
    "nbconvert",
    "nbclient",
    "nbformat",
    "ipykernel",
    "jupyter_client",
    "pydantic",
    "pyyaml",
    "jupytext",
)
SCHEMA_VERSION = 1


def _git(root: Path, *args: str) -> str | None:
    """``git``'s output, or None when git is missing or fails (not a repository)."""
    try:
        out = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    except OSError:
        return None
    return out.stdout if out.returncode == 0 else None


def git_state(root: Path) -> dict[str, Any]:
    """Commit, and whether the tracked files differ from it (with a SHA-256 of the diff if so).

    One ``git status`` answers both: git compares the index's stat data first and
    runs the notebooks' clean filter (``lib/hwb/core/nbstrip.py``, one process for
    the whole command) only on files whose stat data changed, so the answer costs
    milliseconds and is git's own, never cut short by a timeout.  Untracked files
    do not count.  Outside a git repository both are None.
    """
    return GitState(root).result()


class GitState:
    """:func:`git_state`, asked now and read later: a run starts ``git status`` before its
    notebook executes and reads the answer when it writes the manifest, so the 40-60 ms that
    git takes overlap the kernel's work (the state is the tree's as the run started).

    :meth:`close` (also called by :meth:`result`) reaps the process; a run that fails calls it.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._state: dict[str, Any] | None = None
        try:
            self._proc: subprocess.Popen[str] | None = subprocess.Popen(
                ["git", "status", "--porcelain=v2", "--branch", "--untracked-files=no"],
                cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        except OSError:
            self._proc = None

    def result(self) -> dict[str, Any]:
        """``{"commit", "dirty"}`` (and ``diff_sha256`` when dirty), as :func:`git_state`."""
        if self._state is None:
            status = None
            if self._proc is not None:
                out, _ = self._proc.communicate()
                status = out if self._proc.returncode == 0 else None
            self._state = _parse_status(self.root, status)
        return self._state

    def close(self) -> None:
        """Stop and reap ``git status`` if its answer was never read."""
        if self._proc is not None and self._proc.returncode is None:
            self._proc.kill()
            self._proc.communicate()


def _parse_status(root: Path, status: str | None) -> dict[str, Any]:
    if status is None:
        return {"commit": None, "dirty": None}
    commit = None
    changed = False
    for line in status.splitlines():
        if line.startswith("# branch.oid "):
            oid = line.split(" ", 2)[2].strip()
            commit = None if oid == "(initial)" else oid
        elif line and not line.startswith("#"):
            changed = True
    state: dict[str, Any] = {"commit": commit, "dirty": changed}
    if changed:
        # the raw diff: no textconv (a diff driver may be slow) and no external diff tool
        diff = _git(root, "diff", "HEAD", "--no-textconv", "--no-ext-diff", "--binary") or ""
        state["diff_sha256"] = hashlib.sha256(diff.encode()).hexdigest()
    return state


@lru_cache(maxsize=1)
def package_versions() -> dict[str, str]:
    """Versions of Python and the key packages."""
    out = {"python": platform.python_version()}
    for name in KEY_PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def file_sha256(p: Path) -> str:
    """SHA-256 of a file's bytes (:func:`hwb.sources.data.sha256`, cached on path, mtime and
    size, so a run hashes each input once)."""
    from hwb.sources.data import sha256

    return sha256(p)


def env_hash(lock: Path) -> str:
    """A hash of the environment: the lock file, the Python version and the platform (the lock
    read once per process while its size and modification time stay the same)."""
    try:
        st = Path(lock).stat()
    except OSError:
        return _env_hash(str(lock), -1, -1)
    return _env_hash(str(lock), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=8)
def _env_hash(lock: str, size: int, mtime_ns: int) -> str:
    h = hashlib.sha256()
    if size >= 0:
        h.update(Path(lock).read_bytes())
    h.update(f"{sys.version_info[:3]} {platform.machine()}".encode())
    return h.hexdigest()


def write_json(p: Path, data: dict[str, Any]) -> bytes:
    """Serialise ``data`` deterministically (sorted keys, 1-space indent); return the bytes."""
    return (
        json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    ).encode()


OUTSIDE = "(outside the project)"
"""How a manifest marks a file that is not inside the project (a temporary copy, say)."""


def recorded_name(name: str) -> str:
    """A file's name as a manifest records it: project-relative, or marked as outside.

    Examples
    --------
    >>> recorded_name("params/dtoc/rotherham-2017-09.yaml")
    'params/dtoc/rotherham-2017-09.yaml'
    >>> recorded_name("/somewhere/else/x.yaml")
    '(outside the project)/x.yaml'
    """
    p = Path(name)
    return f"{OUTSIDE}/{p.name}" if p.is_absolute() else p.as_posix()


def read(p: Path) -> dict[str, Any] | None:
    """A manifest, or None when missing or unreadable."""
    try:
        return json.loads(Path(p).read_text())
    except (OSError, ValueError):
        return None
