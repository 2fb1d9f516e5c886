"""Run a paper's notebook for one parameter file and write its appendix, atomically.

One run: parameters are parsed into the paper's frozen model (nothing runs on
bad input), the notebook is executed by papermill on the ``hwb`` kernel, the
executed notebook is exported to HTML, and ``appendix.html``,
``notebook.ipynb``, ``manifest.json``, ``figures.csv`` and ``claims.csv`` are written under
``outputs/<paper>/<area>/<period>/``.  Each file is written to a temporary name
and renamed into place, under a lock, manifest last; a failed run leaves
``failed.json`` and ``failed-notebook.ipynb`` for debugging and never a
half-written appendix.  Runs are cached on a key of the notebook's code, the
parameters, the library's source, the lock file and the input checksums.
"""

from __future__ import annotations

import ast
import contextlib
import csv
import datetime as dt
import fcntl
import hashlib
import io
import json
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hwb import __version__
from hwb.core import manifest as mf
from hwb.core.params import BoardParams, ParamProblem, check_board, load_params
from hwb.core.procs import alive
from hwb.core.registry import Paper
from hwb.errors import HwbError, ParameterError, RunError
from hwb.protocol import (
    CHECK_MIME,
    CLAIM_STATUSES,
    CLAIMS_MIME,
    FIGURE_STATUSES,
    INPUT_MIME,
    figures_of,
    outputs_of,
)
from hwb.sources.data import project_root, relative_name

if TYPE_CHECKING:
    import nbformat

FAILED_FILES = ("failed.json", "failed-notebook.ipynb")
TMP_MARK = ".tmp-"


@dataclass
class Task:
    """One run to do: a paper and one of its parameter files (picklable, for workers).

    :func:`load` fills in the parsed parameters and the cache key the first time a task
    needs them (so the YAML is parsed and the inputs hashed once per run, wherever the task
    goes next), and :func:`check` records that the paper's data checks passed.
    """

    paper: str
    params_file: str
    outputs: str
    force: bool = False
    fork: bool = True  # fork the kernel from a zygote that has imported the stack
    params: BoardParams | None = None  # the parsed parameters (set by load())
    key: str | None = None  # the cache key (set by load())
    checked: bool = False  # the paper's data-dependent checks passed (set by check())


@dataclass
class Result:
    """What a run did."""

    paper: str
    params_file: str
    out_dir: str
    status: str  # "built", "cached" or "failed"
    message: str = ""
    seconds: float = 0.0
    figures: int = 0
    figures_summary: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- preparation -------------------------------------------------------------------------


def notebook_parameters(nb: nbformat.NotebookNode) -> list[str]:
    """Names assigned in the notebook's cell tagged ``parameters``."""
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            names: list[str] = []
            for node in ast.parse(cell.source).body:
                targets = (
                    node.targets
                    if isinstance(node, ast.Assign)
                    else [node.target]
                    if isinstance(node, ast.AnnAssign)
                    else []
                )
                names += [t.id for t in targets if isinstance(t, ast.Name)]
            return names
    return []


def check_declared(
    paper: Paper, params: BoardParams, nb: nbformat.NotebookNode, params_file: str
) -> None:
    """Every parameter must be declared by the notebook's ``parameters`` cell."""
    declared = set(notebook_parameters(nb))
    if not declared:
        raise HwbError(f"{paper.notebook.name}: no cell tagged 'parameters'")
    for key in type(params).model_fields:
        if key not in declared:
            raise ParameterError(
                params_file,
                key,
                getattr(params, key),
                f"a parameter the notebook {paper.notebook.name} declares "
                f"(it declares: {', '.join(sorted(declared))})",
            )


def display_path(p: Path) -> str:
    """A path relative to the project root where possible (for messages and manifests)."""
    return relative_name(p)


class _Node(dict):  # type: ignore[type-arg]
    """A dict with attribute access, like nbformat's NotebookNode (without importing nbformat,
    whose schema validators take seconds to import: a cached rebuild must not pay that)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def read_notebook(path: Path) -> Any:
    """The notebook's cells (sources joined, as nbformat gives them), read as plain JSON."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    cells = []
    for c in raw.get("cells", []):
        src = c.get("source", "")
        cells.append(_Node(c, source="".join(src) if isinstance(src, list) else src))
    return _Node(raw, cells=cells)


def prepare(
    paper: Paper, params_file: Path, data_checks: bool = True
) -> tuple[BoardParams, nbformat.NotebookNode]:
    """Parse and check parameters against the paper's model and notebook; run nothing."""
    name = display_path(params_file)
    params = load_params(params_file, paper.params_model)
    if data_checks:
        check_data(paper, params, name)
    nb = read_notebook(paper.notebook)
    check_declared(paper, params, nb, name)
    return params, nb


def out_dir_for(outputs: Path, paper: Paper, params: BoardParams) -> Path:
    """``outputs/<paper>/<area>/<period>``."""
    return outputs / paper.name / params.slug


# --- cache key -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def library_hash() -> str:
    """SHA-256 over the library's source files (code, templates, package data): over each
    file's path and SHA-256 from :func:`library_files`, the one reading of the library that
    the manifest records too (so a file edited during a run cannot make the two disagree)."""
    h = hashlib.sha256()
    for name, digest in library_files().items():
        h.update(name.encode())
        h.update(digest.encode())
    return h.hexdigest()


@lru_cache(maxsize=1)
def library_files() -> dict[str, str]:
    """SHA-256 of each of the library's source files, by path within it (recorded in the
    manifest, so that ``hwb status`` can say which module changed since a build)."""
    lib = Path(__file__).resolve().parents[1]
    return {p.relative_to(lib).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(lib.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}


def lock_file() -> Path:
    return project_root() / "requirements.lock"


def input_files(paper: Paper) -> list[Path]:
    files = [Path(p) for p in paper.inputs]
    if paper.printed is not None:
        files.append(Path(paper.printed))
    return sorted({p.resolve() for p in files if Path(p).exists()})


def code_hash(nb: nbformat.NotebookNode) -> str:
    """SHA-256 of the notebook's code and markdown cells (not outputs or metadata)."""
    h = hashlib.sha256()
    for cell in nb.cells:
        h.update(cell.cell_type.encode())
        h.update(cell.source.encode())
    return h.hexdigest()


def cache_key(paper: Paper, params: BoardParams, nb: nbformat.NotebookNode) -> str:
    """The run's cache key: notebook cells, parameters, library, lock file and inputs."""
    h = hashlib.sha256()
    for part in (
        code_hash(nb),
        params.digest(),
        library_hash(),
        mf.env_hash(lock_file()),
        json.dumps(
            {display_path(p): mf.file_sha256(p) for p in input_files(paper)}, sort_keys=True
        ),
    ):
        h.update(part.encode())
    return h.hexdigest()


def is_cached(out: Path, key: str) -> bool:
    """True when the outputs in ``out`` were built with ``key`` and are intact."""
    m = mf.read(out / "manifest.json")
    if not m or m.get("cache_key") != key:
        return False
    for name, digest in m.get("outputs", {}).items():
        p = out / name
        if not p.exists() or mf.file_sha256(p) != digest:
            return False
    return True


# --- writing -------------------------------------------------------------------------------


def _tmp_name(target: Path) -> Path:
    return target.with_name(
        f".{target.stem}{TMP_MARK}{os.getpid()}-{os.urandom(3).hex()}{target.suffix}"
    )


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target``, fsync, rename into place."""
    tmp = _tmp_name(target)
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_all_atomic(files: dict[Path, bytes]) -> None:
    """Write every file to a temporary beside it, then rename them all into place.

    A write that fails (a full disk, say) removes every temporary and replaces nothing, so
    the set on disk is the old one or the new one, never a mixture (the manifest last).
    """
    tmps: dict[Path, Path] = {}
    try:
        for target, data in files.items():
            tmp = tmps[target] = _tmp_name(target)
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        for target, tmp in tmps.items():
            os.replace(tmp, target)
    finally:
        for tmp in tmps.values():
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


def clean_leftovers(out: Path) -> None:
    """Remove temporary files a killed run left behind (not those of live processes)."""
    if not out.is_dir():
        return
    for p in out.glob(f".*{TMP_MARK}*"):
        pid = p.name.split(TMP_MARK, 1)[1].split("-", 1)[0]
        if pid.isdigit() and alive(int(pid)) and int(pid) != os.getpid():
            continue
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """An exclusive lock on a run's output folder (two builds at once take turns)."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / ".lock", "a+") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def figures_csv(figs: list[dict[str, Any]]) -> bytes:
    """The run's figures as a tidy CSV (one row per figure)."""
    buf = io.StringIO()
    cols = [
        "id",
        "label",
        "value",
        "text",
        "unit",
        "precision",
        "printed",
        "status",
        "reason",
        "citation",
        "method",
    ]
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    for f in figs:
        p = f.get("printed") or {}
        w.writerow(
            {
                "id": f["id"],
                "label": f["label"],
                "value": "" if f["value"] is None else f["value"],
                "text": f.get("text", ""),
                "unit": f["unit"],
                "precision": f["precision"],
                "printed": p.get("value", ""),
                "status": f["status"],
                "reason": f["reason"],
                "citation": ", ".join(
                    x for x in (p.get("document", ""), p.get("item", ""), p.get("page", "")) if x
                ),
                "method": f.get("method", ""),
            }
        )
    return buf.getvalue().encode()


CLAIMS_CSV_COLUMNS = ("claim_id", "board", "claim_type", "statement", "subject", "status",
                      "reason", "evidence", "citation")
"""The columns of ``claims.csv`` (those of ``hwb.toolkit.claims.RESULT_COLUMNS``)."""


def claims_csv(rows: list[dict[str, Any]]) -> bytes:
    """The run's claims check as a tidy CSV (one row per printed statement)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(CLAIMS_CSV_COLUMNS), lineterminator="\n",
                       extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({c: "" if r.get(c) is None else r.get(c, "") for c in CLAIMS_CSV_COLUMNS})
    return buf.getvalue().encode()


def summarise_claims(rows: list[dict[str, Any]]) -> dict[str, int]:
    """Counts of claims by verdict (holds / does not hold / cannot be tested)."""
    counts = {str(s): 0 for s in CLAIM_STATUSES}
    for r in rows:
        if r.get("status") in counts:
            counts[r["status"]] += 1
    return counts


def summarise(
    figs: list[dict[str, Any]], check_rows: list[dict[str, Any]] | None
) -> dict[str, int]:
    """Counts of figures by check status (printed figures only)."""
    rows = check_rows if check_rows is not None else [f for f in figs if f.get("printed")]
    counts = {str(s): 0 for s in FIGURE_STATUSES}
    for r in rows:
        if r["status"] in counts:
            counts[r["status"]] += 1
    counts["recorded"] = len(figs)
    return counts


# --- execution -------------------------------------------------------------------------------


def execute(
    paper: Paper, params: BoardParams, params_name: str, work: Path
) -> nbformat.NotebookNode:
    """Execute the notebook with papermill on the ``hwb`` kernel; raise :class:`RunError`."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from hwb.core.kernelspec import KERNEL_NAME

    for attempt in range(1, KERNEL_START_TRIES + 1):
        try:
            executed = pm.execute_notebook(
                str(paper.notebook), str(work), parameters=params.to_notebook(),
                kernel_name=KERNEL_NAME, progress_bar=False, request_save_on_cell_execute=False,
                cwd=str(project_root()), log_output=False, start_timeout=120,
                iopub_timeout=IOPUB_TIMEOUT, raise_on_iopub_timeout=True,
                **(KERNEL() if KERNEL is not None else {"kernel_manager_class": _READY_KM}),
            )
            break
        except PapermillExecutionError as e:
            raise RunError(paper.name, params_name, cell=e.exec_count, exception=e.ename,
                           detail=" ".join(str(e.evalue).split())[:300]) from None
        except Exception as e:  # kernel failed to start or died: a port clash is worth a retry
            if attempt < KERNEL_START_TRIES and _start_failure(e):
                time.sleep(0.5 * attempt)
                continue
            raise RunError(paper.name, params_name, exception=type(e).__name__,
                           detail=" ".join(str(e).split())[:300]) from None
    return executed


KERNEL_START_TRIES = 3

_READY_KM = "hwb.core.readyclient.ReadyKernelManager"
"""The kernel manager of a run that starts its own kernel (its client knows when the kernel
is ready without a fixed wait: :mod:`hwb.core.readyclient`)."""

IOPUB_TIMEOUT = 60
"""Seconds to wait for a cell's outputs after the kernel says it is done.  nbclient's default
(4 s, then a warning) drops the outputs still in flight: a summary cell publishing thousands of
recorded figures on a busy machine lost some.  Here the wait is long and running out of it
fails the run (one line, nothing written) instead of losing figures."""

KERNEL: Any = None
"""When set (by :mod:`hwb.core.batch` in its workers), a callable returning ``{"km": ...,
"kc": ...}``: a started kernel, reset for a new run, to execute on instead of a new kernel."""


def _start_failure(e: BaseException) -> bool:
    """A kernel start-up failure (port in use, kernel died before replying, start timeout)."""
    text = f"{type(e).__name__} {e}".lower()
    return any(k in text for k in ("address already in use", "kernel died", "zmqerror",
                                   "timeout waiting for kernel", "kernel didn't respond"))


def load(task: Task) -> tuple[Paper, BoardParams, str]:
    """The task's paper, parameters and cache key: parsed and computed once, then carried by
    the task (the model's own checks only; see :func:`check` for the paper's data checks)."""
    from hwb.core.registry import get

    paper = get(task.paper)
    if task.params is None or task.key is None:
        params, nb = prepare(paper, Path(task.params_file), data_checks=False)
        task.params, task.key = params, cache_key(paper, params, nb)
    return paper, task.params, task.key


def check(task: Task) -> None:
    """Run the paper's data-dependent parameter checks once (raises :class:`ParameterError`)."""
    paper, params, _ = load(task)
    if not task.checked:
        check_data(paper, params, display_path(Path(task.params_file)))
        task.checked = True


def check_data(paper: Paper, params: BoardParams, name: str) -> None:
    """The board's printed figures and the paper's own ``check`` accept the parameters."""
    try:
        check_board(params, paper.printed)
        if paper.check is not None:
            paper.check(params)
    except ParamProblem as e:
        raise ParameterError(name, e.key, e.value, e.expected) from None


def cached(task: Task) -> Result | None:
    """The ``cached`` result of a task whose outputs are up to date, else None (runs nothing)."""
    if task.force:
        return None
    t0 = time.perf_counter()
    # The paper's data checks passed when these outputs were built, and the cache key covers
    # the parameters and the inputs, so an up-to-date run needs only the model's own checks.
    paper, params, key = load(task)
    out = out_dir_for(Path(task.outputs), paper, params)
    if not is_cached(out, key):
        return None
    m = mf.read(out / "manifest.json") or {}
    return Result(paper.name, display_path(Path(task.params_file)), display_path(out), "cached",
                  seconds=time.perf_counter() - t0, figures=len(m.get("figures", [])),
                  figures_summary=m.get("figures_summary", {}))


PRINTED_ENV = "HWB_PRINTED"
"""The kernel's printed-figures file, named by the run (``hwb.toolkit.notebook.ENV_PRINTED``)."""


def kernel_environ(paper: Paper, fork: bool, base: dict[str, str]) -> dict[str, str]:
    """The environment a run's kernel starts with: ``base`` with the zygote flag and the run's
    printed-figures file (so the kernel never asks the registry for it)."""
    from hwb.core.zygote import ENV_FLAG

    env = {**base, ENV_FLAG: "1" if fork else "0"}
    env.pop(PRINTED_ENV, None)
    if paper.printed is not None:
        env[PRINTED_ENV] = str(Path(paper.printed).resolve())
    return env


def run(task: Task) -> Result:
    """Build one appendix; a failure is returned as a ``failed`` result, never raised.

    Parameter errors are raised (:class:`ParameterError`): they are checked for
    every task before any runs, so they do not reach here in a batch.
    """
    hit = cached(task)
    if hit is not None:
        return hit
    t0 = time.perf_counter()
    check(task)
    paper, params, key = load(task)
    env = kernel_environ(paper, task.fork, dict(os.environ))  # the kernel inherits it
    before = os.environ.pop(PRINTED_ENV, None)  # put back after the run: a later notebook
    os.environ.update(env)  # executed in this process must not read this run's file
    pname = display_path(Path(task.params_file))
    out = out_dir_for(Path(task.outputs), paper, params)
    out.mkdir(parents=True, exist_ok=True)
    clean_leftovers(out)
    work = _tmp_name(out / "notebook.ipynb")
    started = dt.datetime.now(dt.UTC)
    git = mf.GitState(project_root())  # answered while the notebook runs
    try:
        t_exec = time.perf_counter()
        executed = execute(paper, params, pname, work)
        exec_s = time.perf_counter() - t_exec
        result = _finish(paper, params, pname, out, key, executed, started, exec_s, t0,
                         _written(work, executed), git)
    except HwbError as e:  # RunError among them
        _record_failure(out, work, pname, str(e))
        return Result(
            paper.name, pname, display_path(out), "failed", str(e), time.perf_counter() - t0
        )
    except OSError as e:  # a full disk, say: the previous set of outputs is kept whole
        msg = (f"{paper.name} {pname}: could not write {display_path(out)}: "
               f"{e.strerror or e}; the previous appendix is kept")
        _record_failure(out, work, pname, msg)
        return Result(paper.name, pname, display_path(out), "failed", msg,
                      time.perf_counter() - t0)
    finally:
        git.close()
        with contextlib.suppress(FileNotFoundError):
            work.unlink()
        os.environ.pop(PRINTED_ENV, None)
        if before is not None:
            os.environ[PRINTED_ENV] = before
    return result


def _written(work: Path, executed: nbformat.NotebookNode) -> bytes:
    """The executed notebook as papermill saved it at the end of the run (``nbformat.writes``:
    validated and serialised once, not again), or serialised here if the file is not there."""
    try:
        return work.read_bytes()
    except OSError:
        import nbformat

        return nbformat.writes(executed).encode()


def _record_failure(out: Path, work: Path, pname: str, message: str) -> None:
    with locked(out), contextlib.suppress(OSError):  # a full disk must not hide the failure
        if work.exists():
            with contextlib.suppress(OSError):
                write_atomic(out / "failed-notebook.ipynb", work.read_bytes())
        write_atomic(
            out / "failed.json",
            mf.write_json(
                out / "failed.json",
                {
                    "error": message,
                    "params_file": pname,
                    "failed_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                },
            ),
        )


def _finish(
    paper: Paper,
    params: BoardParams,
    pname: str,
    out: Path,
    key: str,
    executed: nbformat.NotebookNode,
    started: dt.datetime,
    exec_s: float,
    t0: float,
    notebook: bytes,
    git: mf.GitState,
) -> Result:
    """Export the executed notebook and write the run's set of outputs (``notebook``: the
    executed notebook as saved), manifest last."""
    from hwb.core.html import export_html

    harvest = _harvest(paper, executed)
    recorded = mf.recorded_name(pname)  # never a temporary path: relative, or marked outside
    provenance = _provenance(paper, params, recorded, started, git.result())
    t_html = time.perf_counter()
    meta = {
        "params": params.to_notebook(),
        "provenance": {k: v for k, v in provenance.items() if k != "git"},
        "paper": {"name": paper.name, "title": paper.title},
        "figures_summary": harvest["summary"],
    }
    html = export_html(executed, meta).encode()
    html_s = time.perf_counter() - t_html
    files = {
        "notebook.ipynb": notebook,
        "figures.csv": figures_csv(harvest["figures"]),
        "claims.csv": claims_csv(harvest["claims"]),
        "appendix.html": html,
    }
    t_pdf = time.perf_counter()
    deferred = _DEFERRED.get(os.getpid())  # not in a worker forked from the deferring process
    if deferred is not None:  # the warm server prints it once the command has its answer
        pdf_bytes, pdf_note = None, PDF_PENDING
    else:
        pdf_bytes, pdf_note = _print_pdf(out, html)
    if pdf_bytes is not None:
        files["appendix.pdf"] = pdf_bytes
    timings = {"started": provenance["built"], "execute_s": round(exec_s, 3),
               "export_s": round(html_s, 3), "pdf_s": round(time.perf_counter() - t_pdf, 3)}
    manifest = _manifest(paper, params, recorded, key, executed, harvest, provenance)
    manifest.update(timings=timings, pdf={"printed": pdf_bytes is not None, "note": pdf_note},
                    outputs={n: hashlib.sha256(b).hexdigest() for n, b in files.items()})
    _write_set(out, files, manifest, t0)
    if deferred is not None:
        deferred.append((out, manifest["outputs"]["appendix.html"], provenance["built"]))
    return Result(paper.name, pname, display_path(out), "built",
                  seconds=time.perf_counter() - t0, figures=len(harvest["figures"]),
                  figures_summary=harvest["summary"])


def _harvest(paper: Paper, executed: nbformat.NotebookNode) -> dict[str, Any]:
    """What the notebook published: figures, the figures check, claims and the inputs read."""
    figs = [dict(f) for f in figures_of(executed)]
    check_rows = _harvest_check(executed)
    inputs = {display_path(p): mf.file_sha256(p) for p in input_files(paper)}
    inputs.update({d["path"]: d["sha256"] for d in outputs_of(executed, INPUT_MIME)})
    return {"figures": figs, "check": check_rows, "claims": _harvest_claims(executed),
            "inputs": dict(sorted(inputs.items())), "summary": summarise(figs, check_rows)}


def _provenance(paper: Paper, params: BoardParams, recorded: str,
                started: dt.datetime, git: dict[str, Any]) -> dict[str, Any]:
    """Version, commit (``git``: :func:`hwb.core.manifest.git_state`) and how to rebuild: shown
    in the appendix and kept in the manifest."""
    return {
        "version": __version__,
        "commit": git.get("commit"),
        "dirty": git.get("dirty"),
        "git": git,
        "params_hash": params.digest(),
        "env_hash": mf.env_hash(lock_file()),
        "built": started.isoformat(timespec="seconds"),
        "command": f"hwb run {paper.name} {recorded} --force",
    }


def _manifest(paper: Paper, params: BoardParams, recorded: str, key: str,
              executed: nbformat.NotebookNode, harvest: dict[str, Any],
              provenance: dict[str, Any]) -> dict[str, Any]:
    """The run's manifest, less its timings, PDF note and output checksums."""
    from hwb.core.kernelspec import check as kernel_check

    lock = lock_file()
    return {
        "schema": mf.SCHEMA_VERSION,
        "paper": paper.name,
        "paper_title": paper.title,
        "params_file": recorded,
        "params": params.to_notebook(),
        "params_hash": params.digest(),
        "area_code": params.area_code,
        "area_name": params.area_name,
        "period": params.period,
        "board": params.board,
        "board_name": params.board_name,
        "cache_key": key,
        "hwb_version": __version__,
        "git": provenance["git"],
        "lock_file": {
            "path": display_path(lock),
            "sha256": mf.file_sha256(lock) if lock.exists() else None,
        },
        "env_hash": provenance["env_hash"],
        "inputs": harvest["inputs"],
        "packages": mf.package_versions(),
        "kernel": kernel_check(),
        "notebook": {"path": display_path(paper.notebook), "code_sha256": code_hash(executed)},
        "library": library_files(),
        "command": provenance["command"],
        "figures": harvest["figures"],
        "figures_summary": harvest["summary"],
        "figures_check": harvest["check"] or [],
        "claims": harvest["claims"],
        "claims_summary": summarise_claims(harvest["claims"]),
    }


def _write_set(out: Path, files: dict[str, bytes], manifest: dict[str, Any], t0: float) -> None:
    """Write the set all or nothing (a full disk fails before any file is replaced), the
    manifest last, and remove a failed run's files and any PDF of an older build."""
    with locked(out):
        manifest["timings"]["total_s"] = round(time.perf_counter() - t0, 3)
        write_all_atomic({**{out / n: b for n, b in files.items()},
                          out / "manifest.json": mf.write_json(out / "manifest.json", manifest)})
        for name in FAILED_FILES + (() if "appendix.pdf" in files else ("appendix.pdf",)):
            with contextlib.suppress(FileNotFoundError):
                (out / name).unlink()


# --- the PDF, now or once the command has answered ------------------------------------------

PDF_PENDING = "being printed by the warm server (hwb serve); it follows in a second or two"
"""The manifest's PDF note between a warm server's answer and its PDF."""

_DEFERRED: dict[int, list[tuple[Path, str, str]]] = {}
"""The appendices whose PDF this process prints after answering, by the process's id."""


def defer_pdfs() -> None:
    """Print PDFs after the command has answered (:func:`print_deferred`): the warm server's
    child calls this, so the analyst's ``hwb run`` returns as soon as the appendix is written.
    Worker processes forked from this one print their own PDFs as usual."""
    _DEFERRED[os.getpid()] = []


def print_deferred() -> None:
    """Print the PDF of every appendix this process wrote with :func:`defer_pdfs` on, and add
    it to its set (the PDF, then the manifest naming it), unless a newer build replaced the
    set meanwhile.  A PDF that cannot be printed is noted in the manifest, as in a run."""
    for out, html_sha, built in _DEFERRED.pop(os.getpid(), []):
        if not _same_build(out, html_sha, built):
            continue
        html = (out / "appendix.html").read_bytes()
        t = time.perf_counter()
        pdf_bytes, note = _print_pdf(out, html)
        with locked(out):
            m = mf.read(out / "manifest.json")
            if m is None or not _same_build(out, html_sha, built, m):
                continue
            m["pdf"] = {"printed": pdf_bytes is not None, "note": note}
            m["timings"]["pdf_s"] = round(time.perf_counter() - t, 3)
            files: dict[Path, bytes] = {}
            if pdf_bytes is not None:
                files[out / "appendix.pdf"] = pdf_bytes
                m["outputs"]["appendix.pdf"] = hashlib.sha256(pdf_bytes).hexdigest()
            files[out / "manifest.json"] = mf.write_json(out / "manifest.json", m)
            write_all_atomic(files)


def _same_build(out: Path, html_sha: str, built: str, m: dict[str, Any] | None = None) -> bool:
    m = m if m is not None else mf.read(out / "manifest.json")
    return bool(m) and m.get("outputs", {}).get("appendix.html") == html_sha and \
        m.get("timings", {}).get("started") == built and m.get("pdf", {}).get("note") == PDF_PENDING


def _print_pdf(out: Path, html: bytes) -> tuple[bytes | None, str]:
    """The appendix printed to a tagged PDF by headless Chromium (see :mod:`hwb.core.pdf`),
    or None and why not (no Chromium here, or the print failed: the HTML still stands)."""
    from hwb.core import pdf

    ok, note = pdf.available()
    if not ok:
        return None, note
    page = _tmp_name(out / "appendix.html")  # beside the target, so relative links resolve
    try:
        write_atomic(page, html)
        return pdf.print_pdf(page), ""
    except Exception as e:  # noqa: BLE001 - a failed print must not fail the run
        return None, f"PDF not printed: {type(e).__name__}: {' '.join(str(e).split())[:200]}"
    finally:
        with contextlib.suppress(FileNotFoundError):
            page.unlink()


def _harvest_check(nb: nbformat.NotebookNode) -> list[dict[str, Any]] | None:
    """The figures-check rows the notebook published (last one wins), if any."""
    found = outputs_of(nb, CHECK_MIME)
    return list(found[-1]) if found else None


def _harvest_claims(nb: nbformat.NotebookNode) -> list[dict[str, Any]]:
    """The claims-check rows the notebook published (last one wins); none when it shows none."""
    found = outputs_of(nb, CLAIMS_MIME)
    return [dict(r) for r in found[-1]] if found else []
