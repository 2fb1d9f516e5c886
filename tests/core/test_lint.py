"""The code is ruff clean (configuration in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_ruff_is_clean() -> None:
    ruff = Path(sys.executable).parent / "ruff"
    r = subprocess.run([str(ruff), "check", "lib", "tests", "bench"], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout[-3000:]


def test_import_layers_hold() -> None:
    """The layer and independence contracts in pyproject.toml hold (lint-imports)."""
    li = Path(sys.executable).parent / "lint-imports"
    r = subprocess.run([str(li), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stdout[-3000:]


def test_pre_commit_hooks_are_local_and_name_the_house_checks() -> None:
    """The hooks run the tools already in .venv (no hook repository is downloaded), and cover
    ruff, the notebooks' strip filter, the jupytext pairing, the layers, secrets and big files."""
    import yaml

    cfg = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert {r["repo"] for r in cfg["repos"]} == {"local"}
    ids = {h["id"] for r in cfg["repos"] for h in r["hooks"]}
    assert {"ruff", "nbstripout", "jupytext-sync", "lint-imports", "secrets",
            "large-files"} <= ids
