"""The national summary appendix: overdispersed funnel, England's SPC chart, claims, prose.

Where the numbers come from (never from the code under test):

* φ and τ² are recomputed in the test from Spiegelhalter (2005)'s formulas written out by hand
  (square-root z-scores against England's rate, winsorised at the 10% and 90% quantiles,
  DerSimonian-Laird τ²), on the league table's own counts and populations.
* England's November 2017 rate: 155,137 delayed days (the sum of the series' English rows)
  over 43,752,473 aged 18+ (the ONS mid-2017 estimate summed over the upper-tier authorities)
  over 30 days x 100,000 = 11.8193 per day.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hwb.core.params import load_params
from hwb.papers import national as paper
from hwb.toolkit import figures
from tests.conftest import built_summary, computed_summary

ROOT = Path(__file__).resolve().parents[2]
PARAMS = ROOT / "params" / "national" / "england-dtoc-2017-11.yaml"

IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
"""An internal identifier such as ``high_0_001`` or ``overdispersed_funnel`` (snake case)."""


@pytest.fixture(scope="module")
def run() -> tuple[figures.Recorder, paper.Results]:
    return computed_summary(paper, PARAMS)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_summary(tmp_path_factory, "national", PARAMS)


def test_phi_and_tau2_by_hand(run: tuple) -> None:
    """Spiegelhalter's estimates, written out here, on the table's counts and populations."""
    _, res = run
    t = res.table
    eng = t[t["area_code"] == "E92000001"].iloc[0]
    la = t[(t["area_code"] != "E92000001") & t["rate_total"].notna()]
    o = la["total"].to_numpy(float)
    e = la["population"].to_numpy(float) * eng["rate_total"] / 100_000
    z = (np.sqrt(o / e) - 1) * 2 * np.sqrt(e)
    lo, hi = np.quantile(z, [0.1, 0.9])
    n = len(z)
    phi = np.mean(np.clip(z, lo, hi) ** 2)
    w = 4 * e
    tau2 = (n * phi - (n - 1)) / (w.sum() - (w ** 2).sum() / w.sum())
    assert res.od.overdispersed
    assert res.od.phi == pytest.approx(phi, rel=1e-12)
    assert res.od.tau2 == pytest.approx(tau2, rel=1e-12)
    assert round(res.od.phi) == 165 and round(res.od.tau2, 3) == 0.04


def test_funnel_centre_is_englands_rate_and_limits_contain_tau2(run: tuple) -> None:
    """The centre is England's rate per day (11.8193, hand: 155,137 / 43,752,473 / 30 x 1e5);
    each authority's 95% upper limit is (1 + 1.959964 sqrt(1/(4E) + tau2))^2 x centre."""
    _, res = run
    f = res.funnel
    assert f["baseline"].iloc[0] == pytest.approx(155_137 / 43_752_473 / 30 * 1e5, rel=1e-12)
    assert f["baseline"].iloc[0] == pytest.approx(11.8193, abs=5e-5)
    half = 1.959964 * np.sqrt(1 / (4 * f["denominator"]) + res.od.tau2)
    assert np.allclose(f["upper95"], (1 + half) ** 2 * f["baseline"], rtol=1e-6)


def test_counts_against_the_adjusted_limits(run: tuple) -> None:
    """Every authority is in exactly one class; the counts of the key messages are the
    table's; under plain Poisson limits far more fall outside 99.8% than adjusted (the
    issue counted 127 of 147 on mid-2019 populations; on each month's own mid-year all 150 rows
    of the series have a rate)."""
    rec, res = run
    f = res.funnel_figures
    classes = ("high_0_001", "high_0_025", "not_significant", "low_0_025", "low_0_001")
    assert sum(f[f"sig_{k}"].value for k in classes) == 150
    assert f["outside_99_8"].value == f["sig_high_0_001"].value + f["sig_low_0_001"].value
    assert f["outside_95"].value == 150 - f["sig_not_significant"].value
    assert f["plain_outside_99_8"].value == 130
    assert f["outside_99_8"].value < f["plain_outside_99_8"].value
    shown = paper.display_table(rec, res.table)["Against England (funnel)"]
    assert (shown == "within the 95% limits").sum() == f["sig_not_significant"].value


def test_england_trend_is_24_months_of_spc(run: tuple) -> None:
    """24 months to November 2017; the last point is England's rate of the league table."""
    rec, res = run
    assert res.trend["period"].iloc[0] == "2015-12"
    assert res.trend["period"].iloc[-1] == "2017-11" and len(res.trend) == 24
    assert res.trend["rate_per_day_total"].iloc[-1] == pytest.approx(
        rec["e92000001.rate_per_day"].value, rel=1e-12)
    assert res.spc["summary"].assurance is None  # no target: no assurance verdict
    assert rec["england.spc_variation"].value == res.spc["summary"].variation


class _Prose(HTMLParser):
    """Text outside tables, charts' SVG, scripts, styles, folded tables and the figures'
    derivation popovers (``<div popover>``: method, inputs and parameter names)."""

    SKIP = {"table", "svg", "script", "style", "details", "button"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.text: list[str] = []
        self.open: list[bool] = []  # per open div: a popover or not

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "div":
            self.open.append(any(k == "popover" for k, _ in attrs))
            self.depth += self.open[-1]
        self.depth += tag in self.SKIP

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.open:
            self.depth -= self.open.pop()
        self.depth -= tag in self.SKIP

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.text.append(data)


def _prose(page: Path) -> str:
    p = _Prose()
    p.feed(page.read_text(encoding="utf-8"))
    return re.sub(r"\S*/\S*", " ", " ".join(p.text))  # file names in source lines are paths


def test_prose_checker_finds_identifiers() -> None:
    p = _Prose()
    p.feed("<p>Against high_0_001 limits.</p><table><td>national.funnel.low_0_001</td></table>")
    assert IDENTIFIER.findall(" ".join(p.text)) == ["high_0_001"]


def test_built_appendix_prose_has_no_internal_identifiers(built: Path) -> None:
    text = _prose(built / "appendix.html")
    assert "Key messages" in text and "Claims check" in text  # the checker sees the prose
    assert not IDENTIFIER.findall(text), IDENTIFIER.findall(text)


def test_built_appendix_states_phi_tau2_and_the_adjusted_limits(built: Path) -> None:
    """Every sentence that says "outside/above/below ... limits" names the adjusted limits or is
    the one sentence on what plain Poisson limits would do; phi and tau2 are beside them."""
    text = _prose(built / "appendix.html")
    figs = pd.read_csv(built / "figures.csv").set_index("id")
    phi = figs.loc["national.funnel.phi", "text"]
    tau2 = figs.loc["national.funnel.tau2", "text"]
    # each figure in prose is its own element (traceable), so allow spaces around it
    assert re.search(rf"phi = \s*{re.escape(phi)}\s*, tau² = \s*{re.escape(tau2)}", text)
    assert "adjusted for overdispersion" in text and "99.8%" in text and "95%" in text
    poisson = [s for s in re.split(r"(?<=[.;])\s", text) if "Poisson" in s
               and re.search(r"\b(above|below|outside)\b", s)]
    assert poisson and all("would" in s or "adjust" in s for s in poisson), poisson
    # the stale caveat (issue 20): no claim that board appendices use unadjusted populations
    assert "own population" not in text
    assert "the City of London's population is added to Hackney's" in text


def test_claims_check_holds_on_the_built_appendix(built: Path) -> None:
    """The claims check: no printed statement applies; every own statement holds."""
    cl = pd.read_csv(built / "claims.csv", dtype=str).fillna("")
    assert len(cl) >= 9 and set(cl["status"]) == {"holds"}
    assert set(cl["board"]) == {""}
    assert cl["citation"].str.startswith("This appendix, ").all()
    html = (built / "appendix.html").read_text(encoding="utf-8")
    assert "no printed statement applies (this appendix quotes no board paper)" in html


def test_a_month_with_an_authority_without_delays_has_no_ratio() -> None:
    """April 2011, the series' first month: an authority recorded no delayed days, so the
    highest-to-lowest ratio is undefined and is neither recorded nor written; England's chart
    has one point, and its sentence carries the SPC warning about too few points."""
    p = load_params(PARAMS, paper.NationalParams).model_copy(
        update={"month": "2011-04", "period": "2011-04"})
    rec = figures.start()
    res = paper.compute(p, rec)
    assert res.summary["lowest"].value == 0
    assert "national.highest_to_lowest" not in rec.figures
    assert "times as high" not in paper.key_messages(rec, res).data
    assert len(res.trend) == 1
    assert "Caution:" in paper.trend_words(rec, res).data


def test_league_table_numbers_are_marked_figures(built: Path) -> None:
    """Every league-table number is the recorded figure itself (issue 15, item 3): Rotherham's
    (E08000018) delayed days and rate per day carry their ids in the ranked table and in each
    of the six other orders (7 copies), and no number in the key messages stands outside a
    figure."""
    from tests.html_text import pieces, untraced_numbers

    page = (built / "appendix.html").read_text(encoding="utf-8")
    for what in ("days", "rate_per_day"):
        fid = paper.fid("E08000018", what)
        assert page.count(f'<td class="num"><span class="hwb-fig" data-figure="{fid}">') == \
            len(paper.SORTS), fid
    assert untraced_numbers(pieces(page), "hwb-section--key-messages") == []
