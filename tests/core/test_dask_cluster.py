"""The Dask path against a real cluster: a ``dask scheduler`` and two ``dask worker``
processes started as separate processes, each worker in its own working directory, none
sharing the client's outputs folder.

What is checked comes from the toy paper (tests/core/toy_plugin): its figure 'share' is the
area's count, 30, over the total in the parameters (30/120 = 25.0%, 30/60 = 50.0%, 30/240 =
12.5%), so each appendix that comes back can be told from the others by its number.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hwb.core.cluster import separate_processes
from hwb.core.runner import TMP_MARK
from tests.core.test_batch_and_faults import params_set
from tests.core.test_faults_worker_kill import whole

pytestmark = pytest.mark.e2e

CLIENT = (
    "import sys, json\n"
    "from hwb.core.batch import run_batch\n"
    "from hwb.core.runner import Task\n"
    "sched, out, files = sys.argv[1], sys.argv[2], sys.argv[3:]\n"
    "rs = run_batch([Task('toy', f, out) for f in files], progress=False, scheduler=sched)\n"
    "print(json.dumps([[r.status, r.out_dir, r.message] for r in rs]))\n"
)


@pytest.fixture
def cluster(toy: dict, tmp_path: Path) -> Iterator[dict]:
    """A scheduler and two workers, each process in its own folder (no shared outputs)."""
    env = {**toy["env"], "HWB_NO_PDF": "1"}
    with separate_processes(tmp_path, env, workers=2) as c:
        yield {"address": c.address, "env": env,
               "workers": [{"name": w.name, "dir": w.dir, "proc": w.proc} for w in c.workers]}


def _client(cluster: dict, out: Path, files: list[Path], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CLIENT, cluster["address"], str(out), *map(str, files)],
        cwd=cwd, env=cluster["env"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _shares(out: Path) -> dict[str, float]:
    found = {}
    for m in sorted(out.glob("toy/toyshire/*/manifest.json")):
        figs = {f["id"]: f["value"] for f in json.loads(m.read_text())["figures"]}
        found[m.parent.name] = figs["share"]
    return found


def test_runs_on_separate_workers_come_back_to_the_client(cluster: dict, toy: dict,
                                                          tmp_path: Path) -> None:
    files = params_set(toy, tmp_path, [120, 60, 240, 120])
    client_dir = tmp_path / "client"
    client_dir.mkdir()
    out = client_dir / "outputs"
    p = _client(cluster, out, files, client_dir)
    stdout, stderr = p.communicate(timeout=600)
    assert p.returncode == 0, stderr[-2000:]
    results = json.loads(stdout.strip().splitlines()[-1])
    assert [r[0] for r in results] == ["built"] * 4
    # every run's set is in the client's outputs, whole, with the number of its own total
    assert _shares(out) == pytest.approx({"2020": 25.0, "2021": 50.0, "2022": 12.5,
                                          "2023": 25.0})
    for year in ("2020", "2021", "2022", "2023"):
        d = out / "toy" / "toyshire" / year
        assert {"appendix.html", "notebook.ipynb", "figures.csv", "claims.csv",
                "manifest.json"} <= {f.name for f in d.iterdir()}
        assert whole(d) and not list(d.glob(f".*{TMP_MARK}*"))
        assert str(d) in {r[1] for r in results} or any(r[1].endswith(f"/{year}")
                                                        for r in results)
    # the workers kept nothing: no outputs folder, no run folder left in their directories
    for w in cluster["workers"]:
        assert not list(w["dir"].glob("outputs")) and not list(w["dir"].glob("hwb-run-*"))


def test_a_worker_killed_mid_run_has_its_run_retried_elsewhere(cluster: dict, toy: dict,
                                                               tmp_path: Path) -> None:
    """SIGKILL of worker a while it has a run in hand (its private run folder exists): the
    scheduler gives the run to worker b; every appendix that arrives is whole, each run is
    built or reported failed in one line, and none is left half-written."""
    totals = [120, 60, 240, 120, 60, 240]
    files = params_set(toy, tmp_path, totals)
    client_dir = tmp_path / "client"
    client_dir.mkdir()
    out = client_dir / "outputs"
    p = _client(cluster, out, files, client_dir)
    a = cluster["workers"][0]
    deadline = time.monotonic() + 300
    while not list(a["dir"].glob("hwb-run-*")):
        assert time.monotonic() < deadline and p.poll() is None, "worker a never started a run"
        time.sleep(0.05)
    os.kill(a["proc"].pid, signal.SIGKILL)
    stdout, stderr = p.communicate(timeout=600)
    results = json.loads(stdout.strip().splitlines()[-1])
    assert all(r[0] in ("built", "failed") for r in results)
    assert all("\n" not in r[2] for r in results)
    built = [r for r in results if r[0] == "built"]
    assert len(built) == len(totals)  # two allowed failures by default: b takes them all
    expected = {f"20{20 + i}": 3000 / t for i, t in enumerate(totals)}
    assert _shares(out) == pytest.approx(expected)
    for d in (out / "toy" / "toyshire").iterdir():
        assert whole(d) and not list(d.glob(f".*{TMP_MARK}*"))
    b = cluster["workers"][1]
    assert not list(b["dir"].glob("outputs")) and not list(b["dir"].glob("hwb-run-*"))
