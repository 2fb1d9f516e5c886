"""hwb figures accounts for every printed claim: its verdict in the built report, or missing
with the reason."""

from __future__ import annotations

import json
from pathlib import Path

from hwb.commands.figures_report import claims_coverage, format_claims
from hwb.core.params import BoardParams
from hwb.protocol import Paper

HEADER = ("claim_id,board,claim_type,statement,subject,expected,document,item,page,line,"
          "note\n")


def _paper(tmp: Path) -> Paper:
    (tmp / "printed_claims.csv").write_text(
        HEADER
        + 'a.up,b1,trend,"rose",s,direction=up,Pack,10,,101,\n'
        + 'a.top,b1,extreme,"highest",s,extreme=max,Pack,10,,102,\n'
        + 'c.up,b2,trend,"rose",s,direction=up,Pack,11,,201,\n')
    return Paper(name="pp", title="P", notebook=tmp / "n.ipynb", params_model=BoardParams,
                 params_dir=tmp, claims=tmp / "printed_claims.csv")


def test_each_claim_gets_the_verdict_of_its_boards_report_or_a_reason(tmp_path: Path) -> None:
    """Board b1 has a report that checked a.up (holds) but not a.top; b2 has no report."""
    run = tmp_path / "out" / "pp" / "area" / "2017"
    run.mkdir(parents=True)
    (run / "manifest.json").write_text(json.dumps({
        "paper": "pp", "board": "b1",
        "claims": [{"claim_id": "a.up", "status": "holds", "reason": "rose by 3"}]}))
    c = claims_coverage(tmp_path / "out", {"pp": _paper(tmp_path)}).set_index("claim_id")
    assert c.loc["a.up", "status"] == "holds" and c.loc["a.up", "report"] == "pp/area/2017"
    assert c.loc["a.top", "status"] == "missing"
    assert c.loc["a.top", "reason"] == "not checked by pp/area/2017"
    assert c.loc["c.up", "reason"] == "no built report for this board (run hwb reports)"
    assert c.loc["a.up", "citation"] == "Pack, item 10, line 101"
    assert format_claims(c.reset_index()) == (
        "claims pp: 3 printed, 1 holds, 0 does not hold, 0 cannot be tested, 2 missing")
