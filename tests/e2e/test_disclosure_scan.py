"""Disclosure control, scanned over every built appendix.

Every figure recorded as a count of people or events and lying between 1 and its
threshold is shown as ``[c]`` and its value appears nowhere in the appendix's
figure texts; every appendix that shows a ``[c]`` explains it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = sorted((ROOT / "outputs").glob("*/*/*/manifest.json"))


def test_appendices_were_built() -> None:
    if not MANIFESTS and not os.environ.get("CI"):
        pytest.skip("no appendices under outputs/: run `make reports` first")
    assert MANIFESTS, "no appendices under outputs/ (make test builds them first)"


@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda p: "/".join(p.parts[-4:-1]))
def test_small_counts_are_never_shown(manifest: Path) -> None:
    m = json.loads(manifest.read_text())
    html = (manifest.parent / "appendix.html").read_text()
    for f in m["figures"]:
        if not f.get("count") or not isinstance(f["value"], (int, float)):
            continue
        if 0 < f["value"] < f.get("threshold", 5):
            assert f["text"] == "[c]", f"{f['id']} shows a count of {f['value']}"
    if "[c]" in re.sub(r"<[^>]+>", "", html):
        assert "confidential" in html.lower() or "suppressed" in html.lower(), (
            "an appendix that shows [c] must explain it")
