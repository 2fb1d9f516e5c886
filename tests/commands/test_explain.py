"""``hwb explain`` on a real build: the derivation printed is the one the manifest recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hwb.commands.cli import main
from hwb.commands.explain import explain
from hwb.errors import HwbError
from tests.commands.conftest import RUN


def test_explain_a_recomputed_figure(built: Path) -> None:
    """10.92 patients delayed per day per 100,000 aged 18+ (the appendix's key message): shown
    with its value, method, parameters and the input checksums the build recorded."""
    text = explain("rotherham.actual.total", built, paper="dtoc", area="rotherham")
    m = json.loads((built / RUN / "manifest.json").read_text())
    assert "Shown as:    10.92" in text  # 674 days / 30 / 205,748 x 100,000 = 10.92
    assert "delayed days / 30 days / 18+ population x 100,000" in text
    assert "month = 2017-09" in text and "area_code = E08000018" in text
    for name, digest in m["inputs"].items():
        assert f"{name}  sha256 {digest}" in text


def test_explain_a_printed_figure_gives_citation_and_verdict(built: Path) -> None:
    """A figure the paper printed: the printed value, the citation (document, page, line) and the
    check's verdict and reason, as in the figures check."""
    m = json.loads((built / RUN / "manifest.json").read_text())
    row = next(r for r in m["figures_check"] if r["status"] == "reproduced")
    text = explain(row["figure_id"], built)
    assert f"Printed:     {row['printed']}" in text
    assert f"Citation:    {row['citation']}" in text
    assert "Check:       reproduced" in text


def test_explain_unknown_figure_is_one_line_with_suggestions(built: Path,
                                                             capsys: pytest.CaptureFixture[str]
                                                             ) -> None:
    with pytest.raises(HwbError, match="did you mean rotherham.actual.total"):
        explain("rotherham.actual.totl", built)
    assert main(["explain", "rotherham.actual.totl", "--outputs", str(built)]) != 0
    err = capsys.readouterr().err
    assert err.startswith("hwb: figure 'rotherham.actual.totl'") and "Traceback" not in err


def test_explain_command(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "rotherham.actual.total", "--outputs", str(built)]) == 0
    assert "Method:      delayed days / 30 days" in capsys.readouterr().out
