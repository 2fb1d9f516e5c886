"""A full disk (a small tmpfs as the outputs folder): the run fails in one line, the previous
appendix and its manifest are kept whole and agree, no temporary is left, and once there is
room again the next run completes.  Needs root (to mount a tmpfs); skipped otherwise."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hwb.core.runner import TMP_MARK, write_all_atomic
from hwb.sources.data import project_root

pytestmark = pytest.mark.e2e
PARAMS = "params/falls/rotherham-2012-13-to-2015-16.yaml"  # the quickest shipped paper


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    mnt = tmp_path / "outputs"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mnt)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def fill(mnt: Path, leave: int) -> Path:
    """Fill ``mnt`` but for ``leave`` bytes."""
    st = os.statvfs(mnt)
    filler = mnt / "filler"
    filler.write_bytes(b"\0" * max(st.f_bavail * st.f_frsize - leave, 0))
    return filler


def consistent(run_dir: Path) -> dict:
    m = json.loads((run_dir / "manifest.json").read_text())
    for name, digest in m["outputs"].items():
        assert hashlib.sha256((run_dir / name).read_bytes()).hexdigest() == digest, name
    assert not list(run_dir.glob(f".*{TMP_MARK}*"))
    return m


def hwb_run(out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hwb.commands.cli", "run", "falls", PARAMS,
                           "--outputs", str(out), "--force", "--quiet"],
                          cwd=project_root(), capture_output=True, text=True, timeout=600)


def test_a_full_disk_keeps_the_previous_appendix_and_the_next_run_completes(
        tmpfs: Path) -> None:
    assert hwb_run(tmpfs).returncode == 0
    run_dir = tmpfs / "falls" / "rotherham" / "2012-13-2015-16"
    before = consistent(run_dir)
    filler = fill(tmpfs, 100_000)  # the executed notebook alone is about 350 kB
    r = hwb_run(tmpfs)
    assert r.returncode == 1
    failed = [x for x in r.stderr.splitlines() if x.startswith("FAILED")]
    assert len(failed) == 1 and "No space left on device" in failed[0]
    assert "Traceback" not in r.stderr
    assert consistent(run_dir)["timings"] == before["timings"]  # the old set, whole
    filler.unlink()
    assert hwb_run(tmpfs).returncode == 0
    after = consistent(run_dir)
    assert after["timings"]["started"] >= before["timings"]["started"]
    assert not (run_dir / "failed.json").exists()


def test_a_set_of_outputs_is_replaced_all_or_nothing(tmpfs: Path) -> None:
    old = {tmpfs / n: n.encode() for n in ("notebook.ipynb", "appendix.html", "manifest.json")}
    write_all_atomic(old)
    fill(tmpfs, 300_000)
    new = {p: b"x" * 200_000 for p in old}  # the first fits, the second does not
    with pytest.raises(OSError, match="No space left"):
        write_all_atomic(new)
    assert {p: p.read_bytes() for p in old} == old
    assert sorted(p.name for p in tmpfs.iterdir()) == ["appendix.html", "filler",
                                                        "manifest.json", "notebook.ipynb"]
