"""Many runs at once: a pool of worker processes, or a Dask cluster, with a progress bar.

Every task's parameters are checked before any run starts (a bad file stops
the batch with one line and nothing written).  Runs then go to a pool of
worker processes (default: the number of cores), each executing notebooks
in-process through papermill and reusing one HTML exporter; the same tasks can
be submitted to a Dask distributed cluster instead.  A failed run does not stop
the others; the batch returns every result and the caller exits non-zero when
any failed.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from hwb.core.registry import Paper, get, papers
from hwb.core.runner import Result, Task, cached, check, prepare, run
from hwb.errors import HwbError


def configured_tasks(
    outputs: Path,
    paper: str | None = None,
    area: str | None = None,
    force: bool = False,
    fork: bool = True,
) -> list[Task]:
    """A task for every parameter file of every installed paper (optionally filtered)."""
    chosen: Iterable[Paper] = [get(paper)] if paper else papers().values()
    tasks = []
    for p in chosen:
        for f in p.params_files():
            tasks.append(Task(p.name, str(f), str(outputs), force, fork))
    if area:
        tasks = [t for t in tasks if _area_matches(t, area)]
    return tasks


def _area_matches(t: Task, area: str) -> bool:
    p = get(t.paper)
    params, _ = prepare(p, Path(t.params_file))
    a = area.lower()
    return (
        a in (params.area_code.lower(), params.area_name.lower()) or params.slug.split("/")[0] == a
    )


def check_all(tasks: Sequence[Task]) -> None:
    """Parse every task's parameters (raises the first :class:`ParameterError`)."""
    for t in tasks:
        check(t)  # parsed once: the task keeps its parameters and cache key


def _warm() -> None:
    """Worker start-up: import the heavy modules, compile the appendix template and start the
    zygote once per worker, not once per report."""
    import papermill  # noqa: F401

    from hwb.core.html import warm
    from hwb.core.zygote import start_zygote

    start_zygote()
    with contextlib.suppress(Exception):  # warming is an optimisation only
        warm()
    gc.collect()
    gc.freeze()  # the warmed modules stay: the worker's collections walk only its runs' objects


_RESET = (
    "get_ipython().reset(new_session=False)\n"
    "import hwb.toolkit.ipython_ext as _hwb_ext\n"
    "_hwb_ext.load_ipython_extension(get_ipython())\n"
    "import matplotlib.pyplot as _hwb_plt\n"
    "_hwb_plt.close('all')\n"
    "del _hwb_ext, _hwb_plt\n"
    "get_ipython().execution_count = 1\n"
)
"""Run in a reused kernel before each notebook: the user namespace emptied, the hwb
extension's fresh start (inputs log, recorder, chart numbering, house style), no figures left
open, and cells numbered from 1 again, as in a new kernel."""


class ReusedKernel:
    """One ``hwb`` kernel kept for a worker's runs, reset before each (see :data:`_RESET`).

    A kernel start costs more than a DTOC notebook's own work, so a national run's
    workers each start one kernel and run every board on it.  What carries over from one
    run to the next is only what the library caches by its arguments (the parsed DTOC
    series, population tables) and the imported modules; the notebook's namespace, the
    recorder and the logged inputs start afresh.  A kernel that died or fails its reset is
    replaced by a new one.
    """

    def __init__(self) -> None:
        self.km: object = None
        self.kc: object = None

    def _start(self) -> None:
        from jupyter_client.manager import KernelManager

        from hwb.core.kernelspec import KERNEL_NAME
        from hwb.sources.data import project_root

        self.close()
        km = KernelManager(kernel_name=KERNEL_NAME,
                           client_class="hwb.core.readyclient.BlockingReadyClient")
        km.start_kernel(cwd=str(project_root()))
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=120)
        self.km, self.kc = km, kc

    def _client(self) -> None:
        """A new client on the kept kernel (the last run's client is closed: nbclient keeps
        no client of a kernel it does not own, and a client it ran on does not take replies
        from another thread reliably)."""
        with contextlib.suppress(Exception):
            self.kc.stop_channels()  # type: ignore[attr-defined]
        kc = self.km.client()  # type: ignore[attr-defined]
        kc.start_channels()
        self.kc = kc

    def __call__(self) -> dict[str, object]:
        """The kernel, reset for a new run (started, or restarted, when need be)."""
        for attempt in (1, 2):
            if self.km is None or not self.km.is_alive():  # type: ignore[attr-defined]
                self._start()
                return {"km": self.km, "kc": self.kc}
            try:
                self._client()
                reply = self.kc.execute_interactive(  # type: ignore[attr-defined]
                    _RESET, store_history=False, timeout=30, output_hook=lambda _m: None)
                if reply["content"]["status"] == "ok":
                    return {"km": self.km, "kc": self.kc}
            except Exception:  # noqa: BLE001 - a kernel that cannot reset is replaced
                if attempt == 2:
                    raise
            self.close()
        return {"km": self.km, "kc": self.kc}  # pragma: no cover - the loop returns

    def close(self) -> None:
        """Stop the kernel (at the worker's exit)."""
        with contextlib.suppress(Exception):
            if self.kc is not None:
                self.kc.stop_channels()  # type: ignore[attr-defined]
        with contextlib.suppress(Exception):
            if self.km is not None:
                self.km.shutdown_kernel(now=True)  # type: ignore[attr-defined]
        self.km = self.kc = None


def _warm_reusing() -> None:
    """Worker start-up for runs on one reused kernel (:class:`ReusedKernel`)."""
    from multiprocessing import util

    from hwb.core import runner

    _warm()
    runner.KERNEL = ReusedKernel()
    # a pool worker leaves by os._exit, past atexit: multiprocessing's finalizers still run
    util.Finalize(runner.KERNEL, runner.KERNEL.close, exitpriority=10)


def _safe_run(task: Task) -> Result:
    try:
        return run(task)
    except HwbError as e:
        return Result(task.paper, task.params_file, "", "failed", str(e))
    except Exception as e:  # a bug: report it against the task, keep the batch going
        return Result(task.paper, task.params_file, "", "failed", f"{type(e).__name__}: {e}")


def run_batch(
    tasks: Sequence[Task],
    workers: int | None = None,
    progress: bool = True,
    scheduler: str | None = None,
    dask_local: bool = False,
    on_result: Callable[[Result], None] | None = None,
    reuse_kernels: bool = False,
) -> list[Result]:
    """Run ``tasks`` in parallel and return their results in task order.

    Parameters
    ----------
    tasks : sequence of Task
    workers : int, optional
        Worker processes (default: the number of cores).
    progress : bool
        Show a progress bar of done, cached and failed runs.
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:port``) to submit to instead.
    dask_local : bool
        Start a Dask ``LocalCluster`` of ``workers`` processes and submit to it.
    on_result : callable, optional
        Called with each result as it arrives.
    reuse_kernels : bool
        Each worker runs all its notebooks on one kernel, reset between runs
        (:class:`ReusedKernel`), instead of starting a kernel per run: for many short
        runs of one paper (a national run).
    """
    n = max(1, workers or os.cpu_count() or 1)
    results: dict[int, Result] = {}
    # Up-to-date runs are answered here, so a no-op rebuild starts no workers at all; every
    # other task's parameters are checked before anything runs (and before any output).
    hits: dict[int, Result] = {}
    todo = []
    for i, t in enumerate(tasks):
        hit = cached(t)
        if hit is not None:
            hits[i] = hit
        else:
            todo.append(i)
    check_all([tasks[i] for i in todo])
    bar = _bar(len(tasks), progress)

    def done(i: int, r: Result) -> None:
        results[i] = r
        if bar is not None:
            c = sum(1 for x in results.values() if x.status == "cached")
            f = sum(1 for x in results.values() if x.status == "failed")
            bar.set_postfix_str(f"built {len(results) - c - f}, cached {c}, failed {f}")
            bar.update(1)
        if on_result:
            on_result(r)

    try:
        for i, hit in hits.items():
            done(i, hit)
        if not todo:
            pass
        elif scheduler or dask_local:
            _run_dask(tasks, todo, n, scheduler, done, reuse_kernels)
        elif n == 1 or len(todo) == 1:
            _run_here(tasks, todo, done, reuse_kernels)
        else:
            start = _warm_reusing if reuse_kernels else _warm
            with ProcessPoolExecutor(max_workers=min(n, len(todo)), initializer=start) as pool:
                futs = {pool.submit(_safe_run, tasks[i]): i for i in todo}
                for fut in as_completed(futs):
                    i = futs[fut]
                    try:
                        r = fut.result()
                    except Exception as e:  # the worker process died (BrokenProcessPool)
                        t = tasks[i]
                        r = Result(t.paper, t.params_file, "", "failed",
                                   f"{t.paper} {t.params_file}: worker process failed "
                                   f"({type(e).__name__}: {e})")
                    done(i, r)
    finally:
        if bar is not None:
            bar.close()
    return [results[i] for i in range(len(tasks))]


def _run_here(tasks: Sequence[Task], todo: Sequence[int], done: Callable[[int, Result], None],
              reuse_kernels: bool) -> None:
    """Run in this process, one after another (on one reused kernel when asked)."""
    from hwb.core import runner

    if not reuse_kernels or len(todo) == 1:
        for i in todo:
            done(i, _safe_run(tasks[i]))
        return
    kernel, before = ReusedKernel(), runner.KERNEL
    runner.KERNEL = kernel
    try:
        for i in todo:
            done(i, _safe_run(tasks[i]))
    finally:
        runner.KERNEL = before
        kernel.close()


def _bar(total: int, show: bool):  # type: ignore[no-untyped-def]
    if not show or total == 0:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="report", desc="hwb reports", dynamic_ncols=True)


def _run_dask(
    tasks: Sequence[Task],
    todo: Sequence[int],
    n: int,
    scheduler: str | None,
    done: Callable[[int, Result], None],
    reuse_kernels: bool = False,
) -> None:
    """Submit the runs to a Dask cluster; every run's files come back and are written here.

    A worker runs each task in a private folder of its own working directory
    (:func:`remote_run`) and returns the result with the run's files; this process writes
    them into its own outputs folder, all or nothing, the manifest last (:func:`land`), so
    nothing depends on a disk the workers share with the client.  A worker that dies
    mid-run returns nothing: the scheduler gives the task to another worker, and after
    its allowed failures (``distributed.scheduler.allowed-failures``) the run is reported
    failed; either way no partial appendix is written.
    """
    from distributed import Client, LocalCluster
    from distributed import as_completed as dask_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    try:
        futs = {}
        for i in todo:
            t = tasks[i]
            futs[client.submit(remote_run, t.paper, _shipped_name(t.params_file),
                               Path(t.params_file).read_bytes(), t.fork, reuse_kernels,
                               pure=False)] = i
        for fut in dask_completed(list(futs)):
            i, t = futs[fut], tasks[futs[fut]]
            try:
                r, rel, files = fut.result()
            except Exception as e:  # noqa: BLE001 - a worker died too often (KilledWorker), say
                r = Result(t.paper, t.params_file, "", "failed",
                           f"{t.paper} {t.params_file}: the cluster could not run it "
                           f"({type(e).__name__}: {' '.join(str(e).split())[:200]})")
                done(i, r)
                continue
            if rel:
                from hwb.core.runner import display_path

                try:
                    out = land(Path(t.outputs), rel, files)
                except (HwbError, OSError) as e:
                    r = Result(t.paper, t.params_file, "", "failed",
                               f"{t.paper} {t.params_file}: its files could not be written "
                               f"here: {' '.join(str(e).split())[:200]}")
                else:
                    r.out_dir = display_path(out)
                    r.params_file = display_path(Path(t.params_file))
            done(i, r)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _shipped_name(params_file: str) -> str:
    """How a worker names a task's parameter file: its project-relative name when it is in
    the project (the worker uses its own checkout's copy when that is the same file), else
    its file name (recorded as outside the project, as on the client)."""
    from hwb.core.runner import display_path

    name = display_path(Path(params_file))
    return name if not Path(name).is_absolute() else Path(name).name


def remote_run(paper: str, params_name: str, params_bytes: bytes, fork: bool = True,
               reuse_kernel: bool = False) -> tuple[Result, str, dict[str, bytes]]:
    """On a worker: run one task in a private folder and return what it wrote.

    Parameters
    ----------
    paper : str
    params_name : str
        :func:`_shipped_name` of the parameter file.
    params_bytes : bytes
        The parameter file's content, as the client read it.
    fork : bool
        Fork the kernel from the worker's zygote.
    reuse_kernel : bool
        Run on the worker process's one kernel, reset between runs (:class:`ReusedKernel`).

    Returns
    -------
    (Result, str, dict)
        The result, the run's folder relative to an outputs folder (``<paper>/<area>/<period>``,
        ``""`` when the run wrote nothing), and its files by name (``appendix.html``,
        ``notebook.ipynb``, ``figures.csv``, ``claims.csv``, ``manifest.json``, or
        ``failed.json`` and ``failed-notebook.ipynb``).  The private folder is removed.
    """
    import shutil
    import tempfile

    from hwb.core import runner
    from hwb.sources.data import project_root

    if reuse_kernel and runner.KERNEL is None:
        runner.KERNEL = ReusedKernel()
    work = Path(tempfile.mkdtemp(prefix="hwb-run-", dir=os.getcwd()))
    try:
        own = project_root() / params_name
        if not Path(params_name).is_absolute() and own.is_file() and \
                own.read_bytes() == params_bytes:
            pfile = own
        else:
            pfile = work / "params" / Path(params_name).name
            pfile.parent.mkdir()
            pfile.write_bytes(params_bytes)
        outputs = work / "outputs"
        r = _safe_run(Task(paper, str(pfile), str(outputs), True, fork))
        r.message = r.message.replace(str(pfile), params_name)  # the client's name, not ours
        runs = sorted({p.parent for name in ("manifest.json", "failed.json")
                       for p in outputs.glob(f"*/*/*/{name}")})
        if len(runs) != 1:
            return r, "", {}
        files = {p.name: p.read_bytes() for p in sorted(runs[0].iterdir())
                 if p.is_file() and not p.name.startswith(".")}  # no lock, no temporaries
        return r, runs[0].relative_to(outputs).as_posix(), files
    finally:
        shutil.rmtree(work, ignore_errors=True)


def land(outputs: Path, rel: str, files: dict[str, bytes]) -> Path:
    """Write a run's files from a worker into ``outputs/<rel>``, as the runner writes its own.

    A built run (its files include ``manifest.json``) replaces the folder's set all or
    nothing, the manifest last, and removes a failed run's files and any PDF of an older
    build; a failed run writes ``failed.json`` (and its notebook) beside the previous
    appendix, which stays whole.

    Raises
    ------
    HwbError
        ``rel`` is not ``<paper>/<area>/<period>`` below ``outputs``, or a file name has a
        folder in it (nothing is written).
    """
    from hwb.core.runner import FAILED_FILES, clean_leftovers, locked, write_all_atomic

    parts = Path(rel).parts
    if len(parts) != 3 or any(p in ("", ".", "..") for p in parts) or Path(rel).is_absolute() \
            or any(Path(n).name != n or n.startswith(".") for n in files):
        raise HwbError(f"a worker returned a run folder {rel!r} or file names "
                       f"{sorted(files)!r}: expected <paper>/<area>/<period> and plain names")
    out = Path(outputs) / rel
    out.mkdir(parents=True, exist_ok=True)
    built = "manifest.json" in files
    order = sorted(files, key=lambda n: n == "manifest.json")  # the manifest last
    with locked(out):
        clean_leftovers(out)
        write_all_atomic({out / n: files[n] for n in order})
        stale = FAILED_FILES + (("appendix.pdf",) if "appendix.pdf" not in files else ())
        for name in stale if built else ():
            with contextlib.suppress(FileNotFoundError):
                (out / name).unlink()
    return out
