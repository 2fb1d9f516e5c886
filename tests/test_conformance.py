"""hwb.testing.check_paper: every built-in paper and the third-party toy conform; a broken
paper is reported line by line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hwb.core.params import BoardParams
from hwb.core.registry import names, papers
from hwb.protocol import Paper, Status, citation
from hwb.testing import check_paper

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", names())
def test_every_builtin_paper_conforms(name: str) -> None:
    assert check_paper(papers()[name]) == []


def test_the_third_party_toy_paper_conforms(toy: dict) -> None:
    code = ("import sys; from hwb.testing import check_paper; from hwb_toy import PAPER; "
            "p = check_paper(PAPER); print(p); sys.exit(1 if p else 0)")
    r = subprocess.run([sys.executable, "-c", code], env=toy["env"], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


class _Params(BoardParams):
    extra: int


def test_a_broken_paper_is_reported_one_problem_a_line(tmp_path: Path) -> None:
    """A missing notebook, an empty params folder, a missing printed file and input."""
    paper = Paper(name="broken", title="Broken", notebook=tmp_path / "none.ipynb",
                  params_model=_Params, params_dir=tmp_path / "params",
                  printed=tmp_path / "printed.csv", inputs=(tmp_path / "in.csv",))
    problems = check_paper(paper)
    assert len(problems) == 4
    assert all("\n" not in p and p.startswith("broken: ") for p in problems)
    assert any("none.ipynb does not exist" in p for p in problems)
    assert any("in.csv does not exist" in p for p in problems)


def test_a_notebook_that_does_not_declare_a_field_is_named(tmp_path: Path) -> None:
    dtoc = papers()["dtoc"]
    paper = Paper(name="dtoc-extra", title="x", notebook=dtoc.notebook, params_model=_Params,
                  params_dir=tmp_path)
    problems = check_paper(paper)
    assert any("lacks ['extra']" in p for p in problems)
    assert any("declares" in p and "month" in p for p in problems)


def test_status_words_are_the_texts_the_appendix_shows() -> None:
    assert [str(s) for s in Status] == [
        "reproduced", "rounding", "differs", "not compared", "no printed figure",
        "holds", "does not hold", "cannot be tested"]


def test_one_citation_form() -> None:
    """Document, then item, page and line, blanks left out (as a board member cites a pack)."""
    assert citation("Pack", "10", "", "1440") == "Pack, item 10, line 1440"
    assert citation("Pack", "item 10", "p. 78", "") == "Pack, item 10, p. 78"
