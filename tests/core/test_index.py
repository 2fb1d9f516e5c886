"""``outputs/index.html``: every run found, its status and its figures-check counts.

The outputs tree is written here by hand in the shapes the runner writes
(``manifest.json`` for a built run, ``failed.json`` for a failed one), so the
expected rows and totals are sums a reader can do from the fixture.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

from hwb.core import index


def _manifest(run: Path, paper: str, title: str, area: str, board: str, date: str,
              summary: dict[str, int], appendix: bool = True) -> None:
    run.mkdir(parents=True, exist_ok=True)
    (run / "manifest.json").write_text(json.dumps({
        "paper": paper, "paper_title": title,
        "params_file": f"params/{paper}/{run.parent.name}.yaml",
        "params": {"area_name": area, "area_code": "E08000018", "period": run.name,
                   "board_name": board, "meeting_date": date, "agenda_item": "15"},
        "timings": {"started": "2017-09-01T09:00:00+00:00"},
        "figures_summary": {**summary, "recorded": 99}}))
    if appendix:
        (run / "appendix.html").write_text("<!DOCTYPE html><title>x</title>")


def _failed(run: Path, error: str) -> None:
    run.mkdir(parents=True, exist_ok=True)
    (run / "failed.json").write_text(json.dumps({"error": error,
                                                 "params_file": f"params/{run.name}.yaml"}))


@pytest.fixture
def outputs(tmp_path: Path) -> Path:
    out = tmp_path / "outputs"
    _manifest(out / "dtoc" / "rotherham" / "2017-09", "dtoc", "Delayed transfers of care",
              "Rotherham", "Rotherham Health and Wellbeing Board", "2017-09-20",
              {"reproduced": 25, "rounding": 2, "differs": 0, "not compared": 34})
    _manifest(out / "dtoc" / "leicestershire" / "2017-11", "dtoc", "Delayed transfers of care",
              "Leicestershire", "Leicestershire Health and Wellbeing Board", "2018-01-25",
              {"reproduced": 10, "rounding": 1, "differs": 3, "not compared": 4})
    _failed(out / "falls" / "rotherham" / "2015-16",
            "params/falls/rotherham.yaml: key 'month': expected this key to be set (required)")
    # built once, then failed: the failure is newer, the old appendix stays linked
    stale = out / "bcf" / "rotherham" / "2017-19"
    _manifest(stale, "bcf", "Better Care Fund", "Rotherham",
              "Rotherham Health and Wellbeing Board", "2017-09-20",
              {"reproduced": 7, "rounding": 0, "differs": 1, "not compared": 0})
    _failed(stale, "bcf run failed at cell 4 with KeyError")
    old = time.time() - 60
    os.utime(stale / "manifest.json", (old, old))
    # a manifest without its appendix
    _manifest(out / "bcf" / "leicestershire" / "2017-19", "bcf", "Better Care Fund",
              "Leicestershire", "Leicestershire Health and Wellbeing Board", "2018-01-25",
              {"reproduced": 1, "rounding": 0, "differs": 0, "not compared": 0}, appendix=False)
    (out / "screenshots").mkdir()
    (out / "screenshots" / "x.png").write_bytes(b"")
    return out


def test_collect_finds_every_run_with_its_status(outputs: Path) -> None:
    rows = {(e.paper, e.area, e.period): e for e in index.collect(outputs)}
    assert set(rows) == {("dtoc", "rotherham", "2017-09"), ("dtoc", "leicestershire", "2017-11"),
                         ("falls", "rotherham", "2015-16"), ("bcf", "rotherham", "2017-19"),
                         ("bcf", "leicestershire", "2017-19")}
    built = rows[("dtoc", "rotherham", "2017-09")]
    assert (built.status, built.appendix) == ("built", "dtoc/rotherham/2017-09/appendix.html")
    assert built.summary == {"reproduced": 25, "rounding": 2, "differs": 0, "not compared": 34}
    assert built.meeting_date_text == "20 September 2017"
    failed = rows[("falls", "rotherham", "2015-16")]
    assert failed.status == "failed" and "key 'month'" in failed.error and not failed.appendix
    stale = rows[("bcf", "rotherham", "2017-19")]
    assert stale.status == "failed" and stale.error == "bcf run failed at cell 4 with KeyError"
    assert stale.appendix == "bcf/rotherham/2017-19/appendix.html"  # the previous build
    incomplete = rows[("bcf", "leicestershire", "2017-19")]
    assert incomplete.status == "failed" and "appendix.html is missing" in incomplete.error


def test_a_failure_older_than_the_manifest_is_history(outputs: Path) -> None:
    run = outputs / "dtoc" / "rotherham" / "2017-09"
    _failed(run, "an old failure")
    old = time.time() - 60
    os.utime(run / "failed.json", (old, old))
    row = next(e for e in index.collect(outputs) if e.area == "rotherham" and e.paper == "dtoc")
    assert row.status == "built"


def test_totals_count_built_runs_only(outputs: Path) -> None:
    t = index.totals(index.collect(outputs))
    # built: dtoc rotherham (25, 2, 0, 34) + dtoc leicestershire (10, 1, 3, 4)
    assert t == {"built": 2, "failed": 3, "reproduced": 35, "rounding": 3, "differs": 3,
                 "not compared": 38}


def test_write_index_lists_every_run(outputs: Path) -> None:
    path = index.write_index(outputs)
    assert path == outputs / "index.html"
    page = path.read_text(encoding="utf-8")
    text = " ".join(page.split())
    assert "5 appendices: 2 built, 3 failed." in text
    assert ("35 printed figures reproduced, 3 differ only by rounding, 3 differ, "
            "38 not compared.") in text
    assert [h for h in re.findall(r'<a href="([^"#]+)">', page)
            if not h.startswith("boards/")] == [
        "bcf/rotherham/2017-19/appendix.html",
        "dtoc/leicestershire/2017-11/appendix.html",
        "dtoc/rotherham/2017-09/appendix.html"]
    assert "Previous build: Rotherham, 2017-19" in page
    assert "key &#39;month&#39;: expected this key to be set" in page  # escaped
    # one table per paper, each captioned, every header scoped
    assert page.count("<caption>") == 3 and page.count("<table") == 3
    assert len(re.findall(r"<th(?: [^>]*)?>", page)) == len(re.findall(r'<th scope="', page))
    assert "<script" not in page and '<html lang="en-GB">' in page
    assert not list(outputs.glob(".index.*"))  # the temporary file was renamed into place


def test_empty_outputs_say_what_to_do(tmp_path: Path) -> None:
    page = index.write_index(tmp_path / "outputs").read_text(encoding="utf-8")
    assert "No appendices have been built yet" in page and "make reports" in page


def test_unreadable_files_are_failures_not_crashes(tmp_path: Path) -> None:
    run = tmp_path / "p" / "a" / "1"
    run.mkdir(parents=True)
    (run / "manifest.json").write_text("{not json")
    (e,) = index.collect(tmp_path)
    assert (e.status, e.error) == ("failed", "manifest.json is unreadable")


def test_a_page_per_board_lists_its_appendices_of_every_paper(outputs: Path) -> None:
    """Rotherham has three runs in the fixture (DTOC 2017-09 built, falls 2015-16 failed, BCF
    2017-19 failed with an older appendix): its page lists all three and links the two
    appendices that exist, one folder up; Leicestershire's lists its two."""
    path = index.write_index(outputs)
    page = path.read_text(encoding="utf-8")
    assert 'href="boards/rotherham.html">Rotherham Health and Wellbeing Board</a> (3 appendices)' \
        in page
    assert 'href="boards/leicestershire.html">' in page
    board = (outputs / "boards" / "rotherham.html").read_text(encoding="utf-8")
    assert "<h1>Rotherham Health and Wellbeing Board: appendices</h1>" in board
    assert "3 appendices: 1 built, 2 failed." in " ".join(board.split())
    links = re.findall(r'<a href="([^"#]+)">', board)
    assert links == ["../bcf/rotherham/2017-19/appendix.html",
                     "../dtoc/rotherham/2017-09/appendix.html"]
    assert all((outputs / "boards" / h).resolve().is_file() for h in links)
    assert 'href="../accessibility.html"' in board
    assert "leicestershire" not in board
