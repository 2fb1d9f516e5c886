"""Coverage of printed figures (``hwb figures``) on small hand-made printed CSVs and manifests.

The toy paper prints ten figures for board ``b1`` and two for board ``b2``; one
hand-made manifest (``toy/area/2020``) is the built report of ``b1``; ``b2`` has
no report.  How each printed row should be classified, worked by hand:

====  =====================================================  ===============
row   what the printed data and the manifest say             coverage
====  =====================================================  ===============
a     compared, reproduced                                   reproduced
b     compared, differs only by rounding                     rounding
c     compared, differs with a reason                        differs
d     not compared; scope "out of scope: an input"           out of scope
e     not compared; scope blank                              missing
h     recorded as ``h_alias`` with ``printed="h"``,          reproduced
      reproduced
i     compared against printed "10"; the CSV now says "11"   missing (stale)
j     not compared; scope "out of scope:" with no reason     missing
k     in no figures check at all; scope blank                missing
m     in no figures check; scope gives a reason              out of scope
f     board b2 (no report); scope gives a reason             out of scope
g     board b2 (no report); scope blank                      missing
====  =====================================================  ===============

So b1: 10 printed, 4 compared (2 reproduced, 1 rounding, 1 differs), 2 out of
scope, 4 missing; b2: 2 printed, 0 compared, 1 out of scope, 1 missing.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from hwb.commands import figures_report as cov
from hwb.core.params import BoardParams
from hwb.core.registry import Paper
from hwb.errors import DataError
from hwb.toolkit.figures import PRINTED_COLUMNS

OOS = "out of scope: an input to the recomputation"

PRINTED = [
    # figure_id, board, value, scope
    ("a", "b1", "120", ""),
    ("b", "b1", "25.0", ""),
    ("c", "b1", "7", ""),
    ("d", "b1", "3", OOS),
    ("e", "b1", "4", ""),
    ("h", "b1", "8.5", ""),
    ("i", "b1", "11", ""),
    ("j", "b1", "12", "out of scope:"),
    ("k", "b1", "13", ""),
    ("m", "b1", "14", "out of scope: a national figure"),
    ("f", "b2", "5", "out of scope: printed for another board's meeting"),
    ("g", "b2", "6", ""),
]


def _printed_csv(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=PRINTED_COLUMNS)
        w.writeheader()
        for fid, board, value, scope in rows:
            w.writerow(
                {
                    **{c: "" for c in PRINTED_COLUMNS},
                    "figure_id": fid,
                    "board": board,
                    "value": value,
                    "document": "Toy board pack",
                    "item": "5",
                    "page": "12",
                    "line": "40",
                    "scope": scope,
                }
            )
    return path


def _paper(tmp: Path, name: str = "toy", rows: list | None = None) -> Paper:
    return Paper(
        name=name,
        title="Toy paper",
        notebook=tmp / "toy.ipynb",
        params_model=BoardParams,
        params_dir=tmp / "params",
        printed=_printed_csv(tmp / f"{name}_printed.csv", PRINTED if rows is None else rows),
    )


def _check(fid: str, printed: str, status: str, reason: str = "") -> dict:
    return {
        "figure_id": fid,
        "label": "",
        "printed": printed,
        "computed": "",
        "unit": "",
        "status": status,
        "reason": reason,
        "citation": "",
    }


def _fig(fid: str, printed_id: str | None, printed: str, status: str) -> dict:
    return {
        "id": fid,
        "label": fid,
        "value": 1,
        "text": "1",
        "unit": "",
        "precision": 0,
        "status": status,
        "reason": "",
        "printed": None if printed_id is None else {"figure_id": printed_id, "value": printed},
    }


def _manifest(out: Path, rel: str, paper: str, board: str, figs: list, check: list) -> Path:
    d = out / rel
    d.mkdir(parents=True, exist_ok=True)
    m = {"paper": paper, "board": board, "figures": figs, "figures_check": check}
    (d / "manifest.json").write_text(json.dumps(m))
    return d / "manifest.json"


B1_FIGS = [
    _fig("a", "a", "120", "reproduced"),
    _fig("b", "b", "25.0", "rounding"),
    _fig("c", "c", "7", "differs"),
    _fig("h_alias", "h", "8.5", "reproduced"),
    _fig("i", "i", "10", "reproduced"),
    _fig("unprinted", None, "", "no printed figure"),
]
B1_CHECK = [
    _check("a", "120", "reproduced"),
    _check("b", "25.0", "rounding", "24.96 shows as 25.0"),
    _check("c", "7", "differs", "computed 9 against printed 7"),
    _check("d", "3", "not compared", OOS),
    _check("e", "4", "not compared", "not recomputed by this paper"),
    _check("h_alias", "8.5", "reproduced"),
    _check("i", "10", "reproduced"),
    _check("j", "12", "not compared", "out of scope:"),
]


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, dict[str, Paper]]:
    out = tmp_path / "outputs"
    _manifest(out, "toy/area/2020", "toy", "b1", B1_FIGS, B1_CHECK)
    return out, {"toy": _paper(tmp_path)}


def test_counts_per_board_match_the_hand_classification(setup: tuple) -> None:
    out, papers = setup
    got = cov.coverage(out, papers).set_index("board")
    assert list(cov.coverage(out, papers).columns) == list(cov.COLUMNS)
    assert got.loc["b1"].to_dict() == {
        "paper": "toy",
        "printed": 10,
        "compared": 4,
        "reproduced": 2,
        "rounding": 1,
        "differs": 1,
        "not_compared_out_of_scope": 2,
        "missing": 4,
    }
    assert got.loc["b2"].to_dict() == {
        "paper": "toy",
        "printed": 2,
        "compared": 0,
        "reproduced": 0,
        "rounding": 0,
        "differs": 0,
        "not_compared_out_of_scope": 1,
        "missing": 1,
    }


def test_each_printed_row_gets_the_hand_worked_status(setup: tuple) -> None:
    out, papers = setup
    d = cov.coverage_detail(out, papers).set_index("figure_id")
    assert d["status"].to_dict() == {
        "a": "reproduced",
        "b": "rounding",
        "c": "differs",
        "d": "out of scope",
        "e": "missing",
        "h": "reproduced",
        "i": "missing",
        "j": "missing",
        "k": "missing",
        "m": "out of scope",
        "f": "out of scope",
        "g": "missing",
    }
    assert d.loc["c", "reason"] == "computed 9 against printed 7"
    assert d.loc["d", "reason"] == OOS
    assert d.loc["a", "report"] == "toy/area/2020"
    assert d.loc["a", "citation"] == "Toy board pack, item 5, page 12, line 40"
    # Each gap says what is wrong and how to close it.
    assert "'10'" in d.loc["i", "reason"] and "'11'" in d.loc["i", "reason"]
    assert "rebuild" in d.loc["i", "reason"]
    assert "out of scope: <why>" in d.loc["e", "reason"]
    assert "toy/area/2020" in d.loc["k", "reason"]
    assert "no built report" in d.loc["g", "reason"]


def test_worse_status_kept_when_two_reports_compare_one_figure(tmp_path: Path) -> None:
    rows = [("a", "b1", "120", "")]
    out = tmp_path / "out"
    _manifest(out, "toy/x/2020", "toy", "b1", [], [_check("a", "120", "reproduced")])
    _manifest(out, "toy/x/2021", "toy", "b1", [], [_check("a", "120", "differs", "9 vs 7")])
    d = cov.coverage_detail(out, {"toy": _paper(tmp_path, rows=rows)})
    assert d.loc[0, "status"] == "differs" and d.loc[0, "report"] == "toy/x/2021"


def test_figures_without_a_figures_check_still_count(tmp_path: Path) -> None:
    rows = [("a", "b1", "120", ""), ("z", "b1", "1", "")]
    out = tmp_path / "out"
    _manifest(out, "toy/x/2020", "toy", "b1", [_fig("a", "a", "120", "rounding")], [])
    got = cov.coverage(out, {"toy": _paper(tmp_path, rows=rows)}).iloc[0]
    assert (got["compared"], got["rounding"], got["missing"]) == (1, 1, 1)


def test_another_papers_or_boards_report_does_not_cover_a_figure(tmp_path: Path) -> None:
    rows = [("a", "b1", "120", "")]
    out = tmp_path / "out"
    _manifest(out, "other/x/2020", "other", "b1", [], [_check("a", "120", "reproduced")])
    _manifest(out, "toy/y/2020", "toy", "b9", [], [_check("a", "120", "reproduced")])
    d = cov.coverage_detail(out, {"toy": _paper(tmp_path, rows=rows)})
    assert d.loc[0, "status"] == "missing"


def test_paper_without_printed_figures_has_no_rows(tmp_path: Path) -> None:
    p = Paper("bare", "Bare", tmp_path / "n.ipynb", BoardParams, tmp_path)
    assert cov.coverage(tmp_path, {"bare": p}).empty


def test_write_coverage_writes_the_same_table(setup: tuple) -> None:
    out, papers = setup
    path = cov.write_coverage(out, papers)
    assert path == out / "figures-coverage.csv"
    back = pd.read_csv(path, dtype={"paper": str, "board": str})
    pd.testing.assert_frame_equal(back, cov.coverage(out, papers), check_dtype=False)
    detail = pd.read_csv(out / "figures-coverage-detail.csv", dtype=str, keep_default_na=False)
    assert len(detail) == len(PRINTED) and list(detail.columns) == list(cov.DETAIL_COLUMNS)
    assert not list(out.glob(".*tmp*"))  # atomic write left no temporary file


def test_main_figures_fails_naming_each_gap(setup: tuple) -> None:
    out, papers = setup
    buf = io.StringIO()
    assert cov.main_figures(out, papers, stream=buf) == 1
    text = buf.getvalue()
    lines = text.splitlines()
    assert lines[0].split() == [
        "Paper", "Board", "Printed", "Compared", "Reproduced", "Rounding", "Differs", "Out",
        "of", "scope", "Missing",
    ]  # fmt: skip
    assert lines[1].split() == ["toy", "b1", "10", "4", "2", "1", "1", "2", "4"]
    assert lines[3].split() == ["all", "all", "12", "4", "2", "1", "1", "3", "5"]
    assert "MISSING toy b1: 4 printed figure(s)" in text
    for fid in ("e (printed 4;", "i (printed 11;", "j (printed 12;", "k (printed 13;"):
        assert fid in text
    assert "MISSING toy b2: 1 printed figure(s)" in text and "g (printed 6;" in text
    assert "5 printed figure(s) missing" in text
    assert (out / "figures-coverage.csv").is_file()


def test_main_figures_passes_when_everything_is_accounted_for(tmp_path: Path) -> None:
    rows = [("a", "b1", "120", ""), ("d", "b1", "3", OOS)]
    out = tmp_path / "out"
    _manifest(out, "toy/x/2020", "toy", "b1", [], [_check("a", "120", "differs", "why")])
    buf = io.StringIO()
    assert cov.main_figures(out, {"toy": _paper(tmp_path, rows=rows)}, stream=buf) == 0
    assert "every printed figure is accounted for" in buf.getvalue()


def test_unreadable_manifest_is_a_one_line_error_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "out" / "toy" / "x" / "2020" / "manifest.json"
    bad.parent.mkdir(parents=True)
    bad.write_text("{not json")
    with pytest.raises(DataError, match=r"toy/x/2020/manifest.json: unreadable manifest"):
        cov.coverage(tmp_path / "out", {"toy": _paper(tmp_path)})
    bad.write_text(json.dumps({"figures": []}))
    with pytest.raises(DataError, match="must name its 'paper' and 'board'"):
        cov.coverage(tmp_path / "out", {"toy": _paper(tmp_path)})


def test_blank_board_is_an_error_naming_the_row(tmp_path: Path) -> None:
    p = _paper(tmp_path, rows=[("a", "b1", "1", ""), ("z", "", "2", "")])
    with pytest.raises(DataError, match=r"toy_printed.csv, row 3, column 'board'"):
        cov.coverage(tmp_path / "out", {"toy": p})


@pytest.mark.parametrize(
    ("scope", "reason"),
    [
        ("out of scope: an input", "out of scope: an input"),
        ("Out of scope:   national  figure", "Out of scope: national figure"),
        ("out of scope", ""),
        ("out of scope:", ""),
        ("not needed", ""),
        ("", ""),
    ],
)
def test_scope_reason_needs_the_prefix_and_a_reason(scope: str, reason: str) -> None:
    assert cov.scope_reason(scope) == reason
