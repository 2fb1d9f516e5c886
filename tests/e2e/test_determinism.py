"""Two builds of the same report from the same inputs are identical, apart from the build time.

The DTOC appendix for Rotherham (``params/dtoc/rotherham-2017-09.yaml``) is
built twice with ``hwb run ... --force`` into two temporary output folders, one
after the other.  Then:

* ``figures.csv`` is byte for byte the same;
* ``appendix.html`` is byte for byte the same once the one wall-clock value the
  page shows is masked: the provenance footer's ``Built`` entry, which
  :func:`hwb.core.html.view` renders from the manifest's ``provenance.built``
  as ``<div><dt>Built</dt><dd>23 November 2026, 00:50 UTC</dd></div>``
  (exactly one such entry must be present, so the mask hides nothing else);
* the manifests' ``figures``, ``figures_check`` and ``figures_summary`` are
  equal, as are their input checksums and cache keys.

The charts are inline SVG, so this also checks that matplotlib writes no dates
or random ids into them (the appendix is compared whole).

"The same inputs" is the run's cache key (the notebook's code, the parameters,
the library's source, the lock file and the input checksums).  When the cache
keys differ, something changed between the builds and the comparison says
nothing about determinism: the test is skipped with that reason (a failure
under ``CI``).  In a shared working tree another developer may commit between
the two builds without touching those inputs; the footer's ``Commit`` entry
then differs too, so it is masked only when the two manifests record different
git states.

Set ``HWB_DETERMINISM=all`` to check every configured report of every paper
the same way (each is built twice: several minutes on two cores).  On
23 November 2026 the BCF, falls and equity Rotherham reports passed the same
comparison as DTOC, built from one commit.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hwb.sources.data import project_root

pytestmark = pytest.mark.e2e

ROOT = project_root()
DEFAULT = ("dtoc", Path("params/dtoc/rotherham-2017-09.yaml"))


def _cases() -> list[tuple[str, Path]]:
    if os.environ.get("HWB_DETERMINISM", "").lower() != "all":
        return [DEFAULT]
    from hwb.core.registry import papers

    return [(name, f) for name, p in papers().items() for f in p.params_files()]


CASES = _cases()
BUILT = re.compile(r"<div><dt>Built</dt><dd>[^<]*</dd></div>")
MASK = "<div><dt>Built</dt><dd>(masked)</dd></div>"
COMMIT = re.compile(r"<div><dt>Commit</dt><dd><code>[^<]*</code></dd></div>")
COMMIT_MASK = "<div><dt>Commit</dt><dd><code>(masked)</code></dd></div>"


def _build(paper: str, params: Path, out: Path) -> Path:
    r = subprocess.run(
        [sys.executable, "-m", "hwb.commands.cli", "run", paper, str(params), "--outputs", str(out)]
        + ["--force", "--quiet", "--workers", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert r.returncode == 0, f"hwb run {paper} {params} failed: {r.stderr.strip()[-2000:]}"
    found = sorted(out.glob("*/*/*/manifest.json"))
    assert len(found) == 1, f"expected one report under {out}, found {len(found)}"
    return found[0].parent


@pytest.fixture(scope="module", params=CASES, ids=[f"{p}-{f.stem}" for p, f in CASES])
def two_builds(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    paper, params = request.param
    a = _build(paper, params, tmp_path_factory.mktemp("build_a"))
    b = _build(paper, params, tmp_path_factory.mktemp("build_b"))
    ka = json.loads((a / "manifest.json").read_text())["cache_key"]
    kb = json.loads((b / "manifest.json").read_text())["cache_key"]
    if ka != kb:
        msg = "the inputs (cache key) changed between the two builds; rerun"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return a, b


def test_figures_csv_is_identical(two_builds: tuple[Path, Path]) -> None:
    a, b = two_builds
    assert (a / "figures.csv").read_bytes() == (b / "figures.csv").read_bytes()


def test_appendix_is_identical_apart_from_the_build_time(two_builds: tuple[Path, Path]) -> None:
    a, b = two_builds
    ha = (a / "appendix.html").read_text(encoding="utf-8")
    hb = (b / "appendix.html").read_text(encoding="utf-8")
    assert len(BUILT.findall(ha)) == 1 and len(BUILT.findall(hb)) == 1
    ma, mb = BUILT.sub(MASK, ha), BUILT.sub(MASK, hb)
    ga = json.loads((a / "manifest.json").read_text())["git"]
    gb = json.loads((b / "manifest.json").read_text())["git"]
    if ga != gb:  # another commit landed between the builds (see the module docstring)
        assert len(COMMIT.findall(ma)) == 1 and len(COMMIT.findall(mb)) == 1
        ma, mb = COMMIT.sub(COMMIT_MASK, ma), COMMIT.sub(COMMIT_MASK, mb)
    if ma != mb:
        la, lb = ma.split(">"), mb.split(">")
        first = next(
            (i for i, (x, y) in enumerate(zip(la, lb, strict=False)) if x != y),
            min(len(la), len(lb)),
        )
        pytest.fail(
            "appendix.html differs between builds beyond the build time; first difference:\n"
            f"  a: {'>'.join(la[first : first + 2])[:300]}\n"
            f"  b: {'>'.join(lb[first : first + 2])[:300]}"
        )


def test_manifest_figures_are_identical(two_builds: tuple[Path, Path]) -> None:
    a, b = two_builds
    ma = json.loads((a / "manifest.json").read_text())
    mb = json.loads((b / "manifest.json").read_text())
    assert ma["figures"], "the report recorded no figures"
    for key in ("figures", "figures_check", "figures_summary", "inputs", "cache_key"):
        assert ma[key] == mb[key], key
    assert ma["outputs"]["figures.csv"] == mb["outputs"]["figures.csv"]
