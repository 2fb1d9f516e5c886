"""``hwb status``: every configured appendix, up to date or stale, and exactly why.

An appendix is up to date when its outputs are intact and the run's cache key
(notebook cells, parameters, library source, lock file, input checksums; see
:func:`hwb.core.runner.cache_key`) is the one its manifest records.  When it is
stale, each part of the key is compared with what the manifest recorded: the
parameters key by key, each input file's SHA-256, the notebook's cells (against
the executed ``notebook.ipynb`` beside the appendix), the lock file's SHA-256
and, where the manifest lists them, the library's modules.  Nothing is run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hwb.core import manifest as mf

UP_TO_DATE = "up to date"
STALE = "stale"
NOT_BUILT = "not built"


@dataclass
class Status:
    paper: str
    params_file: str
    out_dir: str
    state: str
    reasons: list[str] = field(default_factory=list)


def _cells(nb: Any) -> list[tuple[str, str]]:
    return [(c["cell_type"], c["source"]) for c in nb["cells"]
            if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]


def notebook_changes(built_nb: Path, current: Any) -> list[str]:
    """Which cells of the notebook differ from those the appendix was built from (1-based)."""
    from hwb.core.runner import read_notebook

    if not built_nb.exists():
        return ["notebook changed (the built notebook.ipynb is missing, so the cells cannot "
                "be compared)"]
    old, new = _cells(read_notebook(built_nb)), _cells(current)
    out = []
    for i in range(max(len(old), len(new))):
        a = old[i] if i < len(old) else None
        b = new[i] if i < len(new) else None
        if a != b:
            what = "added" if a is None else "removed" if b is None else "changed"
            first = (b or a or ("", ""))[1].strip().splitlines()[:1]
            out.append(f"notebook cell {i + 1} {what}" + (f" ({first[0][:60]!r})" if first else ""))
    return out


def reasons(task: Any) -> Status:
    """The state of one configured appendix and, when stale, every recorded part that changed."""
    from hwb.core import runner
    from hwb.core.registry import get
    from hwb.sources.data import project_root

    paper = get(task.paper)
    params, nb = runner.prepare(paper, Path(task.params_file), data_checks=False)
    out = runner.out_dir_for(Path(task.outputs), paper, params)
    pname = runner.display_path(Path(task.params_file))
    m = mf.read(out / "manifest.json")
    if not m:
        return Status(paper.name, pname, runner.display_path(out), NOT_BUILT,
                      ["no manifest.json: never built here (or the build failed)"])
    key = runner.cache_key(paper, params, nb)
    if runner.is_cached(out, key):
        return Status(paper.name, pname, runner.display_path(out), UP_TO_DATE)
    why: list[str] = []
    for name, digest in m.get("outputs", {}).items():
        p = out / name
        if not p.exists():
            why.append(f"output {name} is missing")
        elif mf.file_sha256(p) != digest:
            why.append(f"output {name} was changed after the build")
    old_p, new_p = m.get("params") or {}, params.to_notebook()
    for k in sorted(set(old_p) | set(new_p)):
        if old_p.get(k) != new_p.get(k):
            why.append(f"parameter {k}: {old_p.get(k)!r} -> {new_p.get(k)!r}")
    root = project_root()
    now_inputs = {runner.display_path(p): mf.file_sha256(p) for p in runner.input_files(paper)}
    for name, digest in sorted((m.get("inputs") or {}).items()):
        p = root / name
        if name in now_inputs or p.exists():
            cur = now_inputs.get(name) or mf.file_sha256(p)
            if cur != digest:
                why.append(f"input file {name} changed (sha256 {digest[:12]} -> {cur[:12]})")
        else:
            why.append(f"input file {name} is gone")
    for name in sorted(set(now_inputs) - set(m.get("inputs") or {})):
        why.append(f"input file {name} is new")
    if (m.get("notebook") or {}).get("code_sha256") != runner.code_hash(nb):
        why += notebook_changes(out / "notebook.ipynb", nb)
    lock = runner.lock_file()
    old_lock = (m.get("lock_file") or {}).get("sha256")
    if old_lock != (mf.file_sha256(lock) if lock.exists() else None):
        why.append(f"lock file {runner.display_path(lock)} changed")
    lib_old = m.get("library")
    if isinstance(lib_old, dict):
        lib_new = runner.library_files()
        for k in sorted(set(lib_old) | set(lib_new)):
            if lib_old.get(k) != lib_new.get(k):
                how = ("added" if k not in lib_old else "removed" if k not in lib_new
                       else "changed")
                why.append(f"library module hwb/{k} {how}")
    if not why:
        why.append("library source changed (this manifest does not list the library's modules, "
                   "so which one cannot be said; rebuild to record them)"
                   if not isinstance(lib_old, dict) else "cache key differs")
    return Status(paper.name, pname, runner.display_path(out), STALE, why)


def status(outputs: Path, paper: str | None = None, area: str | None = None) -> list[Status]:
    """The state of every configured appendix (optionally of one paper and area)."""
    from hwb.core.batch import configured_tasks

    return [reasons(t) for t in configured_tasks(outputs, paper, area)]


def report(rows: list[Status]) -> str:
    """``hwb status`` output: one line per appendix, then its reasons, then a count."""
    lines = []
    for s in rows:
        lines.append(f"{s.state:<11} {s.paper} {s.params_file}  ({s.out_dir})")
        lines += [f"            - {r}" for r in s.reasons]
    n = {k: sum(s.state == k for s in rows) for k in (UP_TO_DATE, STALE, NOT_BUILT)}
    lines.append(f"{n[UP_TO_DATE]} up to date, {n[STALE]} stale, {n[NOT_BUILT]} not built")
    return "\n".join(lines)


def as_json(rows: list[Status]) -> str:
    return json.dumps([s.__dict__ for s in rows], indent=2)
