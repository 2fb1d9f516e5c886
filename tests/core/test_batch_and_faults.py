"""Batches (process pool and Dask), crash safety and concurrent builds, with the toy paper.

The toy paper's figure 'share' is 30/120 = 25.0%; see tests/core/toy_plugin.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hwb.core.runner import TMP_MARK, clean_leftovers, write_atomic

pytestmark = pytest.mark.e2e


def text_of(path: Path) -> bytes:
    """An appendix's bytes without its tags (numbers in prose carry links to their rows)."""
    return re.sub(rb"<[^>]+>", b"", path.read_bytes())


def params_set(toy: dict, tmp_path: Path, totals: list[int]) -> list[Path]:
    src = (toy["pkg"] / "params" / "toyshire-2020.yaml").read_text()
    files = []
    for i, t in enumerate(totals):
        f = tmp_path / f"toy-{i}.yaml"
        f.write_text(
            src.replace("total: 120", f"total: {t}").replace(
                'period: "2020"', f'period: "20{20 + i}"'
            )
        )
        files.append(f)
    return files


def test_dask_local_cluster_runs_the_batch_and_a_failure_does_not_stop_it(
    toy: dict, tmp_path: Path
) -> None:
    # totals 120 and 60 build (25.0% and 50.0%); total 10 is below the count of 30 and fails.
    code = (
        "import sys, json\n"
        "from hwb.core.batch import run_batch\n"
        "from hwb.core.runner import Task\n"
        "files, out = sys.argv[1:-1], sys.argv[-1]\n"
        "rs = run_batch([Task('toy', f, out) for f in files], workers=2, progress=False,"
        " dask_local=True)\n"
        "print(json.dumps([r.status for r in rs]))\n"
    )
    files = params_set(toy, tmp_path, [120, 60, 10])
    out = tmp_path / "out"
    r = subprocess.run(
        [sys.executable, "-c", code, *map(str, files), str(out)],
        env=toy["env"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    assert json.loads(r.stdout.strip().splitlines()[-1]) == ["built", "built", "failed"]
    m = json.loads((out / "toy" / "toyshire" / "2021" / "manifest.json").read_text())
    assert {f["id"]: f["value"] for f in m["figures"]}["share"] == pytest.approx(50.0)


def test_sigkill_mid_run_leaves_previous_appendix_and_rerun_cleans_up(
    toy: dict, tmp_path: Path
) -> None:
    from tests.conftest import hwb

    f = params_set(toy, tmp_path, [120])[0]
    out = tmp_path / "out"
    assert (
        hwb("run", "toy", str(f), "--outputs", str(out), "--quiet", env=toy["env"]).returncode == 0
    )
    run_dir = out / "toy" / "toyshire" / "2020"
    before = (run_dir / "appendix.html").read_bytes()
    for delay in (0.5, 2.0, 3.5):
        p = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "hwb.commands.cli",
                "run",
                "toy",
                str(f),
                "--outputs",
                str(out),
                "--force",
                "--quiet",
            ],
            env=toy["env"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(delay)
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
        html = (run_dir / "appendix.html").read_bytes()
        assert html == before or b"Of 120 people" in text_of(run_dir / "appendix.html")
    r = hwb("run", "toy", str(f), "--outputs", str(out), "--force", "--quiet", env=toy["env"])
    assert r.returncode == 0
    assert not list(run_dir.glob(f".*{TMP_MARK}*"))
    assert b"Of 120 people, 25.0% were counted." in text_of(run_dir / "appendix.html")


def test_two_builds_at_once_do_not_corrupt_each_other(toy: dict, tmp_path: Path) -> None:
    f = params_set(toy, tmp_path, [120])[0]
    out = tmp_path / "out"
    cmd = [
        sys.executable,
        "-m",
        "hwb.commands.cli",
        "run",
        "toy",
        str(f),
        "--outputs",
        str(out),
        "--force",
        "--quiet",
    ]
    ps = [
        subprocess.Popen(cmd, env=toy["env"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    assert [p.wait(timeout=600) for p in ps] == [0, 0]
    run_dir = out / "toy" / "toyshire" / "2020"
    m = json.loads((run_dir / "manifest.json").read_text())
    from hwb.core.manifest import file_sha256

    for name, digest in m["outputs"].items():
        assert file_sha256(run_dir / name) == digest, (
            f"{name} is not the one the manifest describes"
        )


def test_write_atomic_and_leftover_cleaning(tmp_path: Path) -> None:
    target = tmp_path / "appendix.html"
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    dead = tmp_path / f".appendix{TMP_MARK}999999-abcdef.html"  # pid 999999: no such process
    dead.write_text("half")
    live = tmp_path / f".appendix{TMP_MARK}{os.getppid()}-abcdef.html"
    live.write_text("in progress")
    clean_leftovers(tmp_path)
    assert not dead.exists() and live.exists()


def test_labels_from_data_render_inert(toy: dict, tmp_path: Path) -> None:
    """A <script> in a data label is escaped in tables and figures."""
    import pandas as pd

    from hwb.toolkit import charts

    html = charts.table(
        pd.DataFrame({"Service": ["<script>alert(1)</script>"], "n": [5]}), "<b>caption</b>", "src"
    ).text
    assert "<script" not in html and "&lt;script&gt;alert(1)" in html
    assert "<b>caption</b>" not in html


@pytest.mark.e2e
def test_sigkill_of_the_parent_mid_batch_leaves_every_appendix_whole(
    toy: dict, tmp_path: Path
) -> None:
    """Three reports built, then rebuilt by a batch whose parent is SIGKILLed mid-way (its
    workers are orphaned, not killed): each appendix is the old one or a complete new one, and
    the next run completes and cleans up."""
    from tests.conftest import hwb

    files = params_set(toy, tmp_path, [120, 130, 140])
    out = tmp_path / "out"
    assert hwb("run", "toy", *map(str, files), "--outputs", str(out), "--quiet",
               env=toy["env"]).returncode == 0
    dirs = [out / "toy" / "toyshire" / f"20{20 + i}" for i in range(3)]
    before = [(d / "appendix.html").read_bytes() for d in dirs]
    p = subprocess.Popen(
        [sys.executable, "-m", "hwb.commands.cli", "run", "toy", *map(str, files),
         "--outputs", str(out), "--force", "--quiet", "--workers", "2"],
        env=toy["env"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(3.0)
    os.kill(p.pid, signal.SIGKILL)  # the parent only
    p.wait()
    time.sleep(2.0)
    try:
        os.killpg(p.pid, signal.SIGKILL)  # then whatever it left running
    except ProcessLookupError:
        pass
    for d, old, total in zip(dirs, before, (120, 130, 140), strict=True):
        html = (d / "appendix.html").read_bytes()
        assert html == old or f"Of {total} people".encode() in text_of(d / "appendix.html")
    r = hwb("run", "toy", *map(str, files), "--outputs", str(out), "--force", "--quiet",
            env=toy["env"])
    assert r.returncode == 0, r.stderr
    for d, total in zip(dirs, (120, 130, 140), strict=True):
        assert not list(d.glob(f".*{TMP_MARK}*"))
        assert f"Of {total} people".encode() in text_of(d / "appendix.html")


def test_reused_kernel_gives_the_files_a_new_kernel_gives(toy: dict, tmp_path: Path) -> None:
    """Runs on one kernel reset between them (``reuse_kernels``, as national runs do) write the
    same figures.csv and claims.csv as runs on a new kernel each, the share of each is its own
    (30/120 = 25.0%, 30/60 = 50.0%: nothing carries over from the run before), and every
    notebook numbers its cells from 1."""
    code = (
        "import sys, json\n"
        "from hwb.core.batch import run_batch\n"
        "from hwb.core.runner import Task\n"
        "reuse, out, files = sys.argv[1] == '1', sys.argv[2], sys.argv[3:]\n"
        "rs = run_batch([Task('toy', f, out, True) for f in files], workers=1, progress=False,"
        " reuse_kernels=reuse)\n"
        "print(json.dumps([r.status for r in rs]))\n"
    )
    files = params_set(toy, tmp_path, [120, 60, 120])
    outs = {}
    for reuse in ("0", "1"):
        out = tmp_path / f"out-{reuse}"
        r = subprocess.run([sys.executable, "-c", code, reuse, str(out), *map(str, files)],
                           env=toy["env"], capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stderr[-2000:]
        assert json.loads(r.stdout.strip().splitlines()[-1]) == ["built"] * 3
        outs[reuse] = out / "toy" / "toyshire"
    shares = []
    for year in ("2020", "2021", "2022"):
        fresh, reused = outs["0"] / year, outs["1"] / year
        for name in ("figures.csv", "claims.csv"):
            assert (reused / name).read_bytes() == (fresh / name).read_bytes()
        m = json.loads((reused / "manifest.json").read_text())
        shares.append({f["id"]: f["value"] for f in m["figures"]}["share"])
        nb = json.loads((reused / "notebook.ipynb").read_text())
        counts = [c["execution_count"] for c in nb["cells"] if c["cell_type"] == "code"]
        assert counts[0] == 1 and counts == sorted(counts)
    assert shares == pytest.approx([25.0, 50.0, 25.0])
