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
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from hwb.core.registry import Paper, get, papers
from hwb.core.runner import Result, Task, cached, prepare, run
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
        prepare(get(t.paper), Path(t.params_file))


def _warm() -> None:
    """Worker start-up: import the heavy modules, compile the appendix template and start the
    zygote once per worker, not once per report."""
    import papermill  # noqa: F401

    from hwb.core.html import warm
    from hwb.core.zygote import start_zygote

    start_zygote()
    with contextlib.suppress(Exception):  # warming is an optimisation only
        warm()


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
            _run_dask(tasks, todo, n, scheduler, done)
        elif n == 1 or len(todo) == 1:
            for i in todo:
                done(i, _safe_run(tasks[i]))
        else:
            with ProcessPoolExecutor(max_workers=min(n, len(todo)), initializer=_warm) as pool:
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
) -> None:
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
        futs = {client.submit(_safe_run, tasks[i], pure=False): i for i in todo}
        index = {f.key: i for f, i in futs.items()}
        for fut in dask_completed(list(futs)):
            done(index[fut.key], fut.result())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
