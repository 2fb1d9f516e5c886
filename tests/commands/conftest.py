"""One DTOC appendix built for real (``hwb run`` into a temporary outputs folder), shared by the
``hwb explain`` and ``hwb status`` tests; tests that change it work on a copy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PARAMS = ROOT / "params" / "dtoc" / "rotherham-2017-09.yaml"
RUN = Path("dtoc") / "rotherham" / "2017-09"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An outputs folder holding the Rotherham DTOC appendix (September 2017)."""
    out = tmp_path_factory.mktemp("outputs")
    env = {**os.environ, "HWB_NO_PDF": "1"}  # the PDF is tested in tests/e2e
    subprocess.run([sys.executable, "-m", "hwb.commands.cli", "run", "dtoc", str(PARAMS),
                    "--outputs", str(out), "--quiet"], check=True, cwd=ROOT, env=env)
    assert (out / RUN / "manifest.json").is_file()
    return out


@pytest.fixture
def copy(built: Path, tmp_path: Path) -> Path:
    """A copy of the built outputs folder that a test may change."""
    dst = tmp_path / "outputs"
    shutil.copytree(built, dst)
    return dst
