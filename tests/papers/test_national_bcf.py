"""The BCF national summary (``national-bcf``): every board's actual performance, 2018/19.

Where the expected values come from (never from the code under test): the shipped files read
here with pandas alone, and the arithmetic written in each test's docstring.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hwb.core.params import load_params
from hwb.papers.bcf import england as paper
from hwb.toolkit import figures
from tests.conftest import built_summary, computed_summary
from tests.html_text import pieces, untraced_numbers

ROOT = Path(__file__).resolve().parents[2]
PARAMS = ROOT / "params" / "national-bcf" / "england-2017-19.yaml"
DATA = ROOT / "data"
YEAR_MONTHS = [f"2018-{m:02d}" for m in range(4, 13)] + [f"2019-{m:02d}" for m in range(1, 4)]


@pytest.fixture(scope="module")
def run() -> tuple[figures.Recorder, paper.Results]:
    return computed_summary(paper, PARAMS)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_summary(tmp_path_factory, "national-bcf", PARAMS)


def _mar_year(code: str) -> int:
    t = pd.read_csv(DATA / "nel" / "mar_nel_commissioner_2012-04_to_2019-12.csv")
    return int(t[t["month"].isin(YEAR_MONTHS) & (t["org_code"] == code)]["nel_ffces"].sum())


def test_plugin_conforms() -> None:
    from hwb.testing import check_paper

    assert check_paper(paper.PAPER) == []


def test_rotherham_nel_rate_by_hand(run: tuple) -> None:
    """Rotherham 2018/19: the mapping's five CCGs' MAR counts for April 2018 to March 2019 times
    the share of each CCG living in Rotherham, 35,611 x 3.4% (02P) + 13,516 x 1.0% (02Q) +
    38,271 x 1.1% (02X) + 29,773 x 97.9% (03L) + 58,066 x 0.8% (03N) = 31,379.21, over the ONS
    mid-2018 estimate of 264,671 residents: 11,855.93 per 100,000."""
    m = pd.read_csv(DATA / "bcf" / "ccg_hwb_mapping.csv")
    shares = m[m["hwb_code"] == "E08000018"].set_index("ccg_code")["pct_ccg_in_hwb"]
    assert shares.to_dict() == {"02P": 3.4, "02Q": 1.0, "02X": 1.1, "03L": 97.9, "03N": 0.8}
    counts = {c: _mar_year(c) for c in shares.index}
    assert counts == {"02P": 35_611, "02Q": 13_516, "02X": 38_271, "03L": 29_773,
                      "03N": 58_066}
    hand = sum(counts[c] * shares[c] / 100 for c in shares.index)
    assert hand == pytest.approx(31_379.21, abs=1e-6)
    _, res = run
    r = res.tables["nel"].set_index("area_code").loc["E08000018"]
    assert r["count"] == pytest.approx(hand, rel=1e-12)
    assert r["population"] == 264_671
    assert r["rate"] == pytest.approx(31_379.21 / 264_671 * 1e5, rel=1e-9)
    assert round(r["rate"], 2) == 11_855.93


def test_bournemouth_and_poole_split_by_hand(run: tuple) -> None:
    """The mapping prints one joint board, 45.9% of NHS Dorset CCG (11J). 11J's 2018/19 MAR
    count is 100,250; Bournemouth's mid-2016 population 197,657 and Poole's 151,500 split it:
    Bournemouth 100,250 x 45.9% x 197,657 / 349,157 = 26,048.85, Poole 100,250 x 45.9% x
    151,500 / 349,157 = 19,965.90 (together 46,014.75 = 100,250 x 45.9%)."""
    assert _mar_year("11J") == 100_250
    _, res = run
    t = res.tables["nel"].set_index("area_code")
    assert t.loc["E06000028", "count"] == pytest.approx(100_250 * 0.459 * 197_657 / 349_157)
    assert t.loc["E06000029", "count"] == pytest.approx(100_250 * 0.459 * 151_500 / 349_157)
    assert round(t.loc["E06000028", "count"], 2) == 26_048.85
    for m in paper.METRICS:  # both councils are boards with every metric
        assert res.tables[m].set_index("area_code").loc[["E06000028", "E06000029"],
                                                        "rate"].notna().all(), m
    assert "E06000028 & E06000029" not in set(res.tables["nel"]["area_code"])


def _dtoc_days(name: str) -> int:
    d = pd.read_csv(DATA / "dtoc" / "dtoc_delayed_days_by_responsible_org_2011-04_to_2019-12.csv")
    words = [pd.Timestamp(f"{m}-01").strftime("%B %Y") for m in YEAR_MONTHS]
    rows = d[(d["Name"] == name) & d["Period_year"].isin(words)]
    assert len(rows) == 12
    return int(sum(rows[c].astype(int).sum() for c in ("NHS", "Social Care", "Both")))


def test_dtoc_rates_by_hand(run: tuple) -> None:
    """Rotherham 2018/19: the series' twelve months (NHS + social care + both) sum to 7,934
    delayed days, over 207,475 aged 18+ at mid-2018: 3,824.08 per 100,000. Hackney's row
    counts the City of London too, so its 5,759 days divide by Hackney's 216,010 and the City's
    7,253 aged 18+: 223,263, 2,579.47 per 100,000; the City has no rate of its own."""
    _, res = run
    t = res.tables["dtoc"].set_index("area_code")
    assert _dtoc_days("Rotherham") == 7_934 == t.loc["E08000018", "count"]
    assert t.loc["E08000018", "population"] == 207_475
    assert round(t.loc["E08000018", "rate"], 2) == 3_824.08
    assert _dtoc_days("Hackney") == 5_759 == t.loc["E09000012", "count"]
    assert t.loc["E09000012", "population"] == 216_010 + 7_253
    assert round(t.loc["E09000012", "rate"], 2) == 2_579.47
    assert np.isnan(t.loc["E09000001", "rate"])
    assert "Hackney" in t.loc["E09000001", "reason"]


def test_ascof_values_as_published(run: tuple) -> None:
    """NHS Digital's published 2018/19 values (data/ascof): Rotherham 564.9 and 85.6, England
    577.6 and 82.4; no funnel for either (values only)."""
    _, res = run
    a, b = (res.tables[m].set_index("area_code") for m in ("2A(2)", "2B(1)"))
    assert (a.loc["E08000018", "rate"], b.loc["E08000018", "rate"]) == (564.9, 85.6)
    assert (a.loc["E92000001", "rate"], b.loc["E92000001", "rate"]) == (577.6, 82.4)
    assert set(res.funnels) == {"nel", "dtoc"}
    assert (res.tables["2A(2)"]["significance"] == "Not compared").all()


def test_funnel_phi_by_hand(run: tuple) -> None:
    """Spiegelhalter (2005) written out on the DTOC table's own counts: z = 2(√O - √E) with E
    the board's population x England's rate, winsorised at the 10% and 90% quantiles, φ their
    mean square, τ² = (nφ - (n - 1)) / (Σw - Σw²/Σw) with w = 4E."""
    _, res = run
    t = res.tables["dtoc"]
    eng = t[t["area_code"] == "E92000001"].iloc[0]
    la = t[(t["area_code"] != "E92000001") & t["rate"].notna()]
    o = la["count"].to_numpy(float)
    e = la["population"].to_numpy(float) * eng["rate"] / 1e5
    z = (np.sqrt(o / e) - 1) * 2 * np.sqrt(e)
    lo, hi = np.quantile(z, [0.1, 0.9])
    phi = np.mean(np.clip(z, lo, hi) ** 2)
    w = 4 * e
    tau2 = (len(z) * phi - (len(z) - 1)) / (w.sum() - (w ** 2).sum() / w.sum())
    _, od = res.funnels["dtoc"]
    assert od.phi == pytest.approx(phi, rel=1e-12)
    assert od.tau2 == pytest.approx(tau2, rel=1e-12)
    assert eng["rate"] == pytest.approx(eng["count"] / eng["population"] * 1e5)


def test_coverage_from_the_data(run: tuple) -> None:
    """The 2017-19 mapping has 150 boards; with Bournemouth and Poole apart, 151. The City of
    London has no delayed days of its own; the Isles of Scilly (with Cornwall) and the two
    councils created in April 2019 were no boards of the 2017-19 BCF."""
    _, res = run
    c = res.coverage
    assert res.summaries["nel"]["boards"].value == 151
    assert sorted(c.loc[c["metric"] == "every metric", "area_code"]) == [
        "E06000053", "E06000058", "E06000059"]
    assert sorted(c.loc[c["metric"] != "every metric", "area_code"]) == ["E09000001"]
    assert [res.summaries[m]["covered"].value for m in paper.METRICS] == [151, 150, 151, 151]


def test_league_table_links_only_the_linked(run: tuple) -> None:
    """With two boards linked, exactly those two rows link, to their own appendix's path."""
    rec = figures.start()
    params = load_params(PARAMS, paper.NationalBcfParams).model_copy(
        update={"linked": ["E08000018", "E06000028"]})
    res = paper.compute(params, rec)
    html = paper.league_table(rec, res, "nel").text
    assert sorted(re.findall(r'<th scope="row"><a href="([^"]+)">', html)) == [
        "../../bcf/bournemouth/2017-19/appendix.html",
        "../../bcf/rotherham/2017-19/appendix.html"]


def test_every_board_links_in_the_built_summary(built: Path) -> None:
    """linked: null links every board: in each of the four league tables, all 151 rows."""
    page = (built / "appendix.html").read_text(encoding="utf-8")
    tables = re.findall(r"<table.*?</table>", page, flags=re.S)
    league = [t for t in tables if ": every board," in t.split("</caption>")[0]]
    assert len(league) == 4
    for t in league:
        rows = re.findall(r'<th scope="row">(.*?)</th>', t)
        assert len(rows) == 151
        assert all(r.startswith('<a href="../../bcf/') and "/2017-19/appendix.html" in r
                   for r in rows)


def test_built_key_messages_traced_and_claims_hold(built: Path) -> None:
    page = (built / "appendix.html").read_text(encoding="utf-8")
    p = pieces(page)
    assert untraced_numbers([x for x in p if x["prose"]], "hwb-section--key-messages") == []
    claims = pd.read_csv(built / "claims.csv")
    assert len(claims) >= 10
    assert (claims["status"] == "holds").all(), claims[claims["status"] != "holds"]
    figs = pd.read_csv(built / "figures.csv")
    rate = figs.set_index("id").loc["nel.e08000018.rate", "value"]
    assert float(rate) == pytest.approx(31_379.21 / 264_671 * 1e5, rel=1e-9)


def test_national_run_boards_are_the_period_s() -> None:
    """``hwb national bcf`` asks the paper which boards to build (hwb.papers.bcf.board): the
    mapping's 150 boards with Bournemouth and Poole apart, so the old Dorset county, Bournemouth
    and Poole are built and no April 2019 council the plans never had (BCP, E06000058; the
    unitary Dorset, E06000059) is asked for; only the City of London lacks a metric."""
    from hwb.papers.bcf.board import coverage

    c = coverage(["E06000058", "E08000018"]).set_index("area_code")
    assert len(c) == 151
    assert {"E06000028", "E06000029", "E10000009"} <= set(c.index)
    assert not {"E06000058", "E06000059", "E06000053"} & set(c.index)
    assert list(c.index[~c["covered"]]) == ["E09000001"]
    assert c.loc["E06000029", "area_name"] == "Poole"
