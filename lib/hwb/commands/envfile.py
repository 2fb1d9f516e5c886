"""Keep ``environment.yml`` (for conda users) in step with ``requirements.lock``.

``python -m hwb.commands.envfile`` rewrites ``environment.yml`` from the lock: the
same Python and exactly the same package pins, installed by pip inside the
conda environment (so conda users get the very versions the lock names).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._\-]*)==([^\s;\\]+)")


def lock_pins(text: str) -> dict[str, str]:
    """``name -> version`` for every pinned requirement in a pip lock file."""
    pins = {}
    for line in text.splitlines():
        m = PIN.match(line.strip())
        if m:
            pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def env_pins(text: str) -> dict[str, str]:
    """``name -> version`` for every ``name==version`` line of an environment.yml."""
    pins = {}
    for line in text.splitlines():
        m = PIN.match(line.strip().lstrip("-").strip())
        if m:
            pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def render(lock_text: str, python: str = "3.11") -> str:
    """environment.yml text for the pins of ``lock_text``."""
    lines = [
        "# Generated from requirements.lock by `python -m hwb.commands.envfile`; "
        "do not edit by hand.",
        "# conda env create -f environment.yml && conda activate hwb && pip install --no-deps -e .",
        "name: hwb",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={python}",
        "  - pip",
        "  - pip:",
    ]
    lines += [f"      - {n}=={v}" for n, v in sorted(lock_pins(lock_text).items())]
    return "\n".join(lines) + "\n"


def main(root: Path | None = None) -> int:
    root = root or Path.cwd()
    lock = (root / "requirements.lock").read_text()
    (root / "environment.yml").write_text(render(lock))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
