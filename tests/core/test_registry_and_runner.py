"""The registry, the runner and verify, driven through the command line with a third-party paper.

The toy paper (tests/core/toy_plugin) is a separate package with its own
``hwb.papers`` entry point, installed with pip into a private folder: the core
never imports it by name.  Its printed figures say 120 people in all and a share
of 25.0%; its data give Toyshire a count of 30, and 30/120 = 25.0%.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import hwb

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def built(toy: dict, tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("out")
    params = toy["pkg"] / "params" / "toyshire-2020.yaml"
    r = hwb("run", "toy", str(params), "--outputs", str(out), "--quiet", env=toy["env"])
    assert r.returncode == 0, r.stderr
    return {**toy, "out": out, "params": params, "run_dir": out / "toy" / "toyshire" / "2020"}


def test_papers_lists_the_third_party_plugin(toy: dict) -> None:
    r = hwb("papers", env=toy["env"])
    assert r.returncode == 0, r.stderr
    assert "toy" in r.stdout and "Toy paper (third-party plugin)" in r.stdout
    assert "toyshire-2020.yaml" in r.stdout


def test_unknown_paper_lists_known_ones(toy: dict) -> None:
    r = hwb("run", "nosuch", "x.yaml", env=toy["env"])
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "unknown paper 'nosuch'" in r.stderr and "toy" in r.stderr


def test_run_writes_appendix_manifest_and_figures(built: dict) -> None:
    d = built["run_dir"]
    # appendix.pdf is written when a headless browser is available (its own tests cover it)
    assert sorted(p.name for p in d.iterdir()
                  if not p.name.startswith(".") and p.name != "appendix.pdf") == [
        "appendix.html",
        "claims.csv",
        "figures.csv",
        "manifest.json",
        "notebook.ipynb",
    ]
    m = json.loads((d / "manifest.json").read_text())
    figs = {f["id"]: f for f in m["figures"]}
    # 30 / 120 = 25.0 %, printed as 25.0: reproduced; 120 printed as 120.
    assert figs["share"]["value"] == pytest.approx(25.0) and figs["share"]["status"] == "reproduced"
    assert figs["total"]["status"] == "reproduced"
    assert m["figures_summary"]["reproduced"] == 2
    # the toy shows no claims check: an empty claims table, every verdict counted as zero
    assert m["claims"] == [] and m["claims_summary"] == {
        "holds": 0, "does not hold": 0, "cannot be tested": 0}
    assert (d / "claims.csv").read_text().startswith("claim_id,board,claim_type,")
    assert m["kernel"]["name"] == "hwb"
    assert any(k.endswith("counts.csv") for k in m["inputs"])
    assert len(m["params_hash"]) == 64 and m["git"]["commit"]
    html = (d / "appendix.html").read_text()
    import re

    assert "Of 120 people, 25.0% were counted." in re.sub(r"<[^>]+>", "", html)
    assert 'data-figure="total"' in html  # the number links to its derivation
    assert "count_for(area_code)" not in html  # code is hidden


def test_second_run_is_cached(built: dict) -> None:
    r = hwb(
        "run",
        "toy",
        str(built["params"]),
        "--outputs",
        str(built["out"]),
        "--quiet",
        env=built["env"],
    )
    assert r.returncode == 0 and "0 built, 1 cached" in r.stdout


def test_unknown_key_exits_2_and_writes_nothing(built: dict, tmp_path: Path) -> None:
    bad = tmp_path / "toyshire-2020.yaml"
    bad.write_text(built["params"].read_text() + "colour: red\n")
    out = tmp_path / "out"
    r = hwb("run", "toy", str(bad), "--outputs", str(out), env=built["env"])
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and "'colour'" in lines[0]
    assert not out.exists()


def test_failing_cell_keeps_previous_appendix_and_records_failure(
    built: dict, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    shutil.copytree(built["out"], out)
    run_dir = out / "toy" / "toyshire" / "2020"
    before = (run_dir / "appendix.html").read_bytes()
    bad = tmp_path / "toyshire-2020.yaml"  # a total below the count: the library raises ValueError
    bad.write_text(built["params"].read_text().replace("total: 120", "total: 20"))
    r = hwb("run", "toy", str(bad), "--outputs", str(out), "--quiet", env=built["env"])
    assert r.returncode == 1
    assert (
        "toy" in r.stderr
        and str(bad) in r.stderr
        and "ValueError" in r.stderr
        and "cell" in r.stderr
    )
    assert (run_dir / "appendix.html").read_bytes() == before
    failed = json.loads((run_dir / "failed.json").read_text())
    assert "ValueError" in failed["error"]
    assert (run_dir / "failed-notebook.ipynb").exists()
    assert not list(run_dir.glob(".*.tmp-*"))


def test_verify_passes_then_names_the_figure_after_an_input_changes(built: dict) -> None:
    r = hwb("verify", "--outputs", str(built["out"]), "--workers", "1", env=built["env"])
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 unexplained" in r.stdout
    counts = built["pkg"] / "data" / "counts.csv"
    original = counts.read_text()
    try:
        counts.write_text(original.replace(",30", ",36"))
        r = hwb("verify", "--outputs", str(built["out"]), "--workers", "1", env=built["env"])
        assert r.returncode == 1
        assert "CHANGED: toy Toyshire 2020 figure share" in r.stdout
        assert "DRIFT" in r.stdout and "counts.csv" in r.stdout
    finally:
        counts.write_text(original)


def test_an_area_missing_from_the_data_is_a_parameter_error(built: dict, tmp_path: Path) -> None:
    bad = tmp_path / "elsewhere-2020.yaml"
    bad.write_text(built["params"].read_text().replace("E10000099", "E10000098"))
    out = tmp_path / "out"
    r = hwb("run", "toy", str(bad), "--outputs", str(out), env=built["env"])
    assert r.returncode == 2
    assert "key 'area_code' = 'E10000098': expected an area in the toy data" in r.stderr
    assert not out.exists()
