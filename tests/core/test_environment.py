"""environment.yml pins exactly what requirements.lock pins, and the project metadata agrees."""

from __future__ import annotations

import tomllib
from pathlib import Path

from hwb.commands.envfile import env_pins, lock_pins, render

ROOT = Path(__file__).resolve().parents[2]


def test_environment_yml_matches_the_lock() -> None:
    lock = lock_pins((ROOT / "requirements.lock").read_text())
    env = env_pins((ROOT / "environment.yml").read_text())
    assert lock, "the lock pins nothing"
    assert env == lock, "run `python -m hwb.commands.envfile` after changing the lock"


def test_environment_yml_is_what_the_generator_writes() -> None:
    assert (ROOT / "environment.yml").read_text() == render(
        (ROOT / "requirements.lock").read_text()
    )


def test_lock_has_hashes_and_covers_the_required_packages() -> None:
    text = (ROOT / "requirements.lock").read_text()
    pins = lock_pins(text)
    for name in (
        "jupyterlab",
        "papermill",
        "pandas",
        "seaborn",
        "scipy",
        "nbconvert",
        "pydantic",
        "ipykernel",
        "distributed",
        "pytest",
    ):
        assert name in pins, name
    blocks = [b for b in text.split("\n") if "==" in b and not b.lstrip().startswith("#")]
    assert all(b.rstrip().endswith("\\") for b in blocks), "every pin carries --hash lines"


def test_pyproject_declares_python_311_and_the_console_script() -> None:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert meta["project"]["requires-python"].startswith(">=3.11")
    assert meta["project"]["scripts"]["hwb"] == "hwb.commands.cli:main"
    assert set(meta["project"]["entry-points"]["hwb.papers"]) >= {"dtoc"}
