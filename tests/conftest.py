"""Shared test fixtures: the throwaway third-party paper, installed as a real package; the
command line in a subprocess; a summary paper computed in process or built into a private
outputs folder (the national summaries' module fixtures)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import settings

# Tests leave no stray files: no example database in the tree.
settings.register_profile("hwb", database=None)
settings.load_profile("hwb")

ROOT = Path(__file__).resolve().parents[1]

# The toy plugin is a separate package the tests install; collecting its module for doctests
# would put its source folder on sys.path (and any build metadata there with it).
collect_ignore = ["core/toy_plugin"]
TOY_SRC = Path(__file__).resolve().parent / "core" / "toy_plugin"


@pytest.fixture(scope="session")
def toy(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The toy plugin built and installed with pip into a private site folder.

    Returns the environment to run ``hwb`` with (PYTHONPATH pointing at it), the
    installed package folder and an output folder.
    """
    base = tmp_path_factory.mktemp("toy")
    src = base / "src"
    shutil.copytree(TOY_SRC, src)
    site = base / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(site),
            str(src),
        ],
        check=True,
        capture_output=True,
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = str(site) + os.pathsep + env.get("PYTHONPATH", "")
    env["HWB_ROOT"] = str(ROOT)
    return {"env": env, "pkg": site / "hwb_toy", "site": site, "base": base}


def hwb(
    *args: str, env: dict | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """Run the hwb command line in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "hwb.commands.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or ROOT,
        timeout=600,
    )


def computed_summary(paper: ModuleType, params: Path) -> tuple[Any, Any]:
    """A summary paper's recorder and results, computed in this process from a parameter file.

    ``paper`` is the paper's module (``hwb.papers.national``): its ``PAPER`` names the
    parameters' model and its ``compute`` fills a fresh recorder.
    """
    from hwb.core.params import load_params
    from hwb.toolkit import figures

    rec = figures.start()
    return rec, paper.compute(load_params(params, paper.PAPER.params_model), rec)


def built_summary(tmp_path_factory: pytest.TempPathFactory, paper: str, params: Path,
                  *options: str) -> Path:
    """Build a summary with ``hwb run`` into a private outputs folder; the folder holding its
    appendix (one area and period).  ``options`` are added to the command line."""
    out = tmp_path_factory.mktemp(paper)
    r = hwb("run", paper, str(params), "--outputs", str(out), "--force", "--quiet", *options)
    assert r.returncode == 0, r.stderr
    (folder,) = {p.parent for p in out.glob(f"{paper}/*/*/appendix.html")}
    return folder
