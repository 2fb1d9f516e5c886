"""A Dask cluster of separate processes on this machine: a scheduler and workers, each started
as its own ``dask`` command in a folder of its own, as on a real cluster (docs/cluster.md).

For trying the ``--scheduler`` path without a cluster, and for the tests and the benchmark
that check it: nothing is shared with the client but the code, so every run's files must come
back to it.

.. code-block:: python

    from hwb.core.cluster import separate_processes

    with separate_processes(Path("/tmp/c"), dict(os.environ)) as c:
        run_batch(tasks, scheduler=c.address)
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

DASK = Path(sys.executable).with_name("dask")
"""The ``dask`` command of this environment."""


@dataclass
class Worker:
    """One ``dask worker`` process and its own folder."""

    name: str
    dir: Path
    proc: subprocess.Popen[bytes]


@dataclass
class LocalProcesses:
    """The running cluster: the scheduler's address, its process and the workers."""

    address: str
    scheduler: subprocess.Popen[bytes]
    workers: list[Worker] = field(default_factory=list)

    @property
    def procs(self) -> list[subprocess.Popen[bytes]]:
        """Every process of the cluster, the scheduler first."""
        return [self.scheduler, *(w.proc for w in self.workers)]


@contextlib.contextmanager
def separate_processes(folder: Path, env: dict[str, str], workers: int = 2,
                       timeout: float = 120) -> Iterator[LocalProcesses]:
    """Start ``dask scheduler`` and ``workers`` × ``dask worker --nthreads 1 --no-nanny``
    under ``folder`` (``scheduler/``, ``worker-a/``, …, each process's working directory),
    wait until every worker has joined, and stop them all on leaving.

    Parameters
    ----------
    folder : Path
        An empty folder for the processes' working directories.
    env : dict
        Their environment (``HWB_NO_PDF=1`` for runs without PDFs).
    workers : int
        Worker processes, one thread each (a worker's kernel runs one notebook at a time).
    timeout : float
        Seconds to wait for the scheduler's address and for the workers to join.

    Raises
    ------
    RuntimeError
        The scheduler did not write its address in time.
    """
    folder.mkdir(parents=True, exist_ok=True)
    sched_file = folder / "scheduler.json"
    (folder / "scheduler").mkdir(exist_ok=True)
    scheduler = subprocess.Popen(
        [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
         "--scheduler-file", str(sched_file)], cwd=folder / "scheduler", env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cluster = LocalProcesses("", scheduler)
    try:
        deadline = time.monotonic() + timeout
        while not sched_file.exists():
            if time.monotonic() > deadline or scheduler.poll() is not None:
                raise RuntimeError(f"the dask scheduler wrote no address to {sched_file}")
            time.sleep(0.2)
        cluster.address = json.loads(sched_file.read_text())["address"]
        for i in range(workers):
            name = chr(ord("a") + i)
            d = folder / f"worker-{name}"
            d.mkdir(exist_ok=True)
            cluster.workers.append(Worker(name, d, subprocess.Popen(
                [str(DASK), "worker", cluster.address, "--nthreads", "1", "--no-nanny",
                 "--name", name, "--local-directory", str(d / "dask")], cwd=d, env=env,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)))
        from distributed import Client

        with Client(cluster.address, timeout=60) as c:
            c.wait_for_workers(workers, timeout=timeout)
        yield cluster
    finally:
        for p in reversed(cluster.procs):
            if p.poll() is None:
                p.terminate()
        for p in cluster.procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
