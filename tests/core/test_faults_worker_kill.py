"""SIGKILL of one worker of a batch: the batch reports that run as failed in one line and
goes on, every appendix on disk is a whole set that agrees with its manifest, and the next
run completes.  The toy paper's figure 'share' is count/total (see tests/core/toy_plugin)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hwb.core.runner import TMP_MARK
from tests.core.test_batch_and_faults import params_set

pytestmark = pytest.mark.e2e


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def whole(run_dir: Path) -> bool:
    """No appendix yet, or every output the manifest lists is the one it describes."""
    if not (run_dir / "manifest.json").exists():
        return not (run_dir / "appendix.html").exists()
    m = json.loads((run_dir / "manifest.json").read_text())
    return all(hashlib.sha256((run_dir / n).read_bytes()).hexdigest() == d
               for n, d in m["outputs"].items())


def test_sigkill_of_a_worker_mid_batch(toy: dict, tmp_path: Path) -> None:
    files = params_set(toy, tmp_path, [120, 60, 240])
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "hwb.commands.cli", "run", "toy", *map(str, files),
           "--outputs", str(out), "--workers", "2", "--no-server", "--quiet"]
    p = subprocess.Popen(cmd, env=toy["env"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    deadline = time.monotonic() + 300
    workers: list[int] = []
    while time.monotonic() < deadline and p.poll() is None:
        workers = children(p.pid)
        if len(workers) >= 2:
            break
        time.sleep(0.2)
    assert workers, "the batch started no worker processes"
    time.sleep(1.0)
    os.kill(workers[0], signal.SIGKILL)
    _, err = p.communicate(timeout=600)
    assert "Traceback" not in err
    failed = [x for x in err.splitlines() if x.startswith("FAILED")]
    assert p.returncode == (1 if failed else 0)
    assert all(x.count("\n") == 0 and "toy" in x for x in failed)
    runs = [out / "toy" / "toyshire" / f"20{20 + i}" for i in range(3)]
    assert all(whole(d) for d in runs)
    r = subprocess.run(cmd, env=toy["env"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    for d, total in zip(runs, (120, 60, 240), strict=True):
        assert whole(d) and not list(d.glob(f".*{TMP_MARK}*"))
        m = json.loads((d / "manifest.json").read_text())
        # the toy area's count is 30: 30/120 = 25%, 30/60 = 50%, 30/240 = 12.5%
        share = {f["id"]: f["value"] for f in m["figures"]}["share"]
        assert share == pytest.approx(3000 / total)
