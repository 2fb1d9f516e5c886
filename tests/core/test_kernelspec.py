"""The hwb kernel: installed into the environment, and refused when it runs another Python."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from hwb.core import kernelspec


def test_installed_kernel_runs_this_python_with_the_extension() -> None:
    info = kernelspec.check()
    assert Path(info["argv0"]).resolve() == Path(sys.executable).resolve()


def test_a_kernel_on_another_python_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = tmp_path / "kernels" / "hwb"
    d.mkdir(parents=True)
    spec = kernelspec.spec()
    spec["argv"][0] = "/usr/bin/python3-not-this-env"
    (d / "kernel.json").write_text(json.dumps(spec))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    with pytest.raises(kernelspec.KernelError, match="not this environment's Python"):
        kernelspec.check()


def test_install_writes_a_spec_that_loads_the_extension(tmp_path: Path) -> None:
    d = kernelspec.install(prefix=str(tmp_path))
    spec = json.loads((d / "kernel.json").read_text())
    assert spec["argv"][0] == sys.executable
    assert "--ext=hwb.toolkit.ipython_ext" in spec["argv"]
    assert d == tmp_path / "share" / "jupyter" / "kernels" / "hwb"


def test_a_kernel_installed_by_another_version_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A spec whose command line differs from this version's (here: without the flag that
    keeps IPython's input history out of its sqlite file) is one line asking for a
    reinstall, not a run on a kernel configured otherwise."""
    from hwb.core import kernelspec

    spec = kernelspec.spec()
    spec["argv"].remove("--HistoryManager.enabled=False")
    d = tmp_path / "kernels" / "hwb"
    d.mkdir(parents=True)
    (d / "kernel.json").write_text(json.dumps(spec))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    with pytest.raises(kernelspec.KernelError, match="another version of hwb"):
        kernelspec.check()
