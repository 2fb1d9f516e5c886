"""The falls national summary (``national-falls``): league table, funnel, coverage, links.

Where the numbers come from (never from the code under test), all read by hand from the
shipped Fingertips file (data/falls/phof_22401_falls65_dsr_district_ua_2010-11_to_2017-18.csv)
and the ONS estimates:

* Rotherham (E08000018): 2,407 per 100,000 aged 65+ in 2011/12 and 1,595 in 2015/16, Fingertips
  "Worse" then "Better"; change 1,595 / 2,407 - 1 = -33.73%.
* York (E06000014): 2,143 in 2011/12 and 2,329 in 2015/16; change 2,329 / 2,143 - 1 = +8.68%.
* England (E92000001): 2,128 in 2011/12 and 2,169 in 2015/16; change 2,169 / 2,128 - 1 = +1.93%;
  lowest 2,097 (2012/13), highest 2,199 (2014/15).
* Among the boards in 2015/16: highest Liverpool 3,422, lowest Isle of Wight 1,236; 3,422 /
  1,236 = 2.77.
* Coverage: the 151 upper-tier authorities on April 2019 codes less the 26 shire counties (E10,
  not in the file), the City of London and the Isles of Scilly (blank in every year) and
  Bournemouth, Christchurch and Poole and the unitary Dorset (April 2019 codes; the file is on
  April 2018 boundaries): 151 - 30 = 121. Recounted in the test from the raw CSV.
* φ and τ² are recomputed from Spiegelhalter (2005)'s formulas written out in the test, on
  counts at the standard age mix (rate x 65+ population / 100,000 against England's rate).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hwb.errors import ParamProblem
from hwb.papers.falls import england as paper
from hwb.toolkit import figures
from tests.conftest import built_summary, computed_summary

ROOT = Path(__file__).resolve().parents[2]
PARAMS = ROOT / "params" / "national-falls" / "england-2012-13-2015-16.yaml"
RAW = ROOT / "data" / "falls" / "phof_22401_falls65_dsr_district_ua_2010-11_to_2017-18.csv"
AGED = re.compile(r"\b65\+")
"""The measure's own words ("aged 65+"), not a figure."""


@pytest.fixture(scope="module")
def run() -> tuple[figures.Recorder, paper.Results]:
    return computed_summary(paper, PARAMS)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_summary(tmp_path_factory, "national-falls", PARAMS)


def test_plugin_conforms() -> None:
    from hwb.testing import check_paper

    assert check_paper(paper.PAPER) == []


def test_rotherham_york_and_england_by_hand(run: tuple) -> None:
    """The docstring's hand calculations, as the league table and the recorder hold them."""
    rec, res = run
    t = res.table.set_index("area_code")
    assert (t.loc["E08000018", "dsr_start"], t.loc["E08000018", "dsr_end"]) == (2407, 1595)
    assert round(rec["e08000018.pct_change"].value, 2) == -33.73
    assert str(rec["e08000018.pct_change"]) == "-33.7%"
    assert rec["e08000018.benchmark"].value == "lower"  # Fingertips "Better", lower is better
    assert round(rec["e06000014.pct_change"].value, 2) == 8.68
    assert rec["england.dsr_end"].value == 2169 and rec["england.dsr_start"].value == 2128
    assert round(rec["england.pct_change"].value, 2) == 1.93
    s = res.summary
    assert (s["highest_name"].value, s["highest"].value) == ("Liverpool", 3422)
    assert (s["lowest_name"].value, s["lowest"].value) == ("Isle of Wight", 1236)
    assert round(s["ratio"].value, 2) == 2.77
    assert rec["e08000012.rank"].value == 1
    tf = res.trend_figures
    assert (tf["lowest"].value, tf["lowest_year"].value) == (2097, "2012/13")
    assert (tf["highest"].value, tf["highest_year"].value) == (2199, "2014/15")


def test_coverage_recounted_from_the_raw_file(run: tuple) -> None:
    """121 of 151, recounted here: a board is covered when the raw CSV has its own row with a
    rate in 2010/11 to 2015/16 (the years a 2012/13-2015/16 appendix needs)."""
    rec, res = run
    with RAW.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    need = {"2010/11", "2011/12", "2012/13", "2013/14", "2014/15", "2015/16"}
    rated = {}
    for r in rows:
        if r["value"].strip() not in ("", "NA", "-"):  # the file's blanks
            rated.setdefault(r["area_code"], set()).add(r["period"])
    codes = list(paper.boards()["area_code"])
    covered = {c for c in codes if need <= rated.get(c, set())}
    assert len(codes) == 151 and len(covered) == 121
    assert set(res.table["area_code"]) == covered
    c = res.coverage_figures
    assert (c["boards"].value, c["covered"].value, c["not_covered"].value) == (151, 121, 30)
    assert c["kind.shire_county"].value == sum(x.startswith("E10") for x in codes) == 26
    blank = res.coverage.set_index("area_code")["kind"]
    assert blank["E09000001"] == blank["E06000053"] == "blank"
    assert blank["E06000058"] == blank["E06000059"] == "not_in_file"
    assert c["kind.year_missing"].value == 0


def test_phi_and_tau2_by_hand(run: tuple) -> None:
    """Spiegelhalter's estimates, written out here, on the counts at the standard age mix."""
    _, res = run
    t = res.table
    o = (t["dsr_end"] * t["population"] / 100_000).to_numpy(float)
    e = (2169 * t["population"] / 100_000).to_numpy(float)
    z = (np.sqrt(o / e) - 1) * 2 * np.sqrt(e)
    lo, hi = np.quantile(z, [0.1, 0.9])
    n = len(z)
    phi = np.mean(np.clip(z, lo, hi) ** 2)
    w = 4 * e
    tau2 = (n * phi - (n - 1)) / (w.sum() - (w ** 2).sum() / w.sum())
    assert res.od.overdispersed and res.od.n == 121
    assert res.od.phi == pytest.approx(phi, rel=1e-12)
    assert res.od.tau2 == pytest.approx(tau2, rel=1e-12)
    # the centre is England's rate, each board's value its own rate
    f = res.funnel.set_index("label")
    assert f["baseline"].iloc[0] == pytest.approx(2169)
    assert f.loc["E08000018", "value"] == pytest.approx(1595)
    # plain Poisson limits call many more boards outliers than the adjusted ones
    ff = res.funnel_figures
    assert ff["plain_outside_99_8"].value > ff["outside_99_8"].value


def test_links_none_links_every_covered_board(run: tuple) -> None:
    _, res = run
    p = paper.NationalFallsParams(period="2012/13-2015/16")
    lk = paper.links(p, res.coverage)
    assert len(lk) == 121
    assert lk["Rotherham"] == "../../falls/rotherham/2012-13-2015-16/appendix.html"
    q = paper.NationalFallsParams(period="2012/13-2015/16", linked=["E08000018", "E10000018"])
    assert sorted(paper.links(q, res.coverage)) == ["Leicestershire", "Rotherham"]


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="YYYY/YY-YYYY/YY"):
        paper.NationalFallsParams(period="2015/16")
    with pytest.raises(ValueError, match="2010/11 to 2017/18"):
        paper.NationalFallsParams(period="2010/11-2012/13")
    p = paper.NationalFallsParams(period="2012/13-2015/16")
    with pytest.raises(ParamProblem):
        paper.check(p.model_copy(update={"area_code": "E08000018"}))


def test_built_summary_links_the_linked_boards(built: Path) -> None:
    """The committed params link York and Rotherham (the boards `hwb reports` builds) and no
    other board; every own claim holds; no number in the key messages or the chart
    descriptions stands outside a recorded figure."""
    from tests.html_text import pieces, untraced_numbers

    page = (built / "appendix.html").read_text(encoding="utf-8")
    for slug, name in (("rotherham", "Rotherham"), ("york", "York")):
        href = f'<a href="../../../falls/{slug}/2012-13-2015-16/appendix.html">{name}</a>'
        assert page.count(href) == 1, name  # the league table only: both have rates
    assert page.count('<th scope="row"><a href=') == 2
    assert '<th scope="row">Liverpool</th>' in page
    claims = pd.read_csv(built / "claims.csv")
    assert len(claims) >= 15 and set(claims["status"]) == {"holds"}
    figs = pd.read_csv(built / "figures.csv").set_index("id")
    assert figs.loc["e08000018.dsr_end", "text"] == "1,595"
    assert figs.loc["coverage.covered", "text"] == "121"
    ps = pieces(page)
    for p in ps:
        p["text"] = AGED.sub(" ", str(p["text"]))
    for css in ("hwb-section--key-messages", "hwb-alt"):
        assert untraced_numbers(ps, css) == [], css
    assert 'data-figure="e08000018.pct_change"' in page
