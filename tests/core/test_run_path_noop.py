"""A no-op ``hwb reports`` is answered from the record of the last build, by ``stat`` alone,
and any change to what the build depended on or wrote sends it back to the full check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hwb.core import server

ARGV = ["reports", "--outputs", "out", "--quiet"]
LINE = "0 built, 2 cached, 0 failed; index: out/index.html"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    monkeypatch.setenv("HWB_ROOT", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notebooks").mkdir()
    files = {"params": tmp_path / "a.yaml", "appendix": tmp_path / "out" / "appendix.html"}
    files["appendix"].parent.mkdir()
    for f in files.values():
        f.write_text("x")
    server.record_reports(ARGV, [str(f) for f in files.values()], LINE)
    return files


def test_nothing_changed_answers_with_the_last_builds_line(project: dict[str, Path]) -> None:
    assert server.reports_up_to_date(ARGV) == LINE
    assert server.reports_up_to_date([*ARGV, "--force"]) is None  # --force always builds
    assert server.reports_up_to_date(["reports", "--quiet"]) is None  # other arguments


@pytest.mark.parametrize("change", ["edit", "delete"])
@pytest.mark.parametrize("which", ["params", "appendix"])
def test_an_input_or_an_output_changed_goes_to_the_full_check(
        project: dict[str, Path], which: str, change: str) -> None:
    f = project[which]
    if change == "delete":
        f.unlink()
    else:
        f.write_text("y")
        os.utime(f, ns=(1, 1_000_000_001))
    assert server.reports_up_to_date(ARGV) is None


def test_the_check_imports_neither_pandas_nor_papermill(project: dict[str, Path]) -> None:
    """The command line answers a no-op rebuild before it loads the stack."""
    code = ("import sys\nfrom hwb.commands.cli import main\nrc = main(sys.argv[1:])\n"
            "print(rc, 'pandas' in sys.modules, 'papermill' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, *ARGV], capture_output=True, text=True,
                          env={**os.environ}, cwd=project["params"].parent, check=True)
    assert done.stdout.splitlines() == [LINE, "0 False False"]
