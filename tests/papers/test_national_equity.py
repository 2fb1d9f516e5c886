"""The equity national summary (``national-equity``): every board's residents in England's most
deprived small areas, checked against hand calculations from the shipped files, the coverage
call the national command makes, and one built summary.

The hand calculations read the shipped files directly: ``data/lookups/
lsoa11_to_utla19_dec2019_EW.csv`` (LSOAs of a board), ``data/imd/`` (IMD deciles, column
"Index of Multiple Deprivation (IMD) Decile" of IoD2019 File 2, ``IMD_decile`` of the IMD 2015
file) and ``data/population/sape2019_lsoa11_persons_single_year_of_age_EW.csv.gz`` (columns
``total_population`` and ``0`` ... ``89``, ``90+``).
"""

from __future__ import annotations

import csv
import inspect
import re

import pytest

from hwb.core.params import load_params
from hwb.core.registry import BUILTIN_ROOT, get
from hwb.papers import equity
from hwb.papers.equity import england
from hwb.sources import smallarea
from hwb.testing import check_paper
from hwb.toolkit.figures import Recorder
from tests.conftest import built_summary

TEMPLATE = BUILTIN_ROOT / "params" / "national-equity" / "england-2019.yaml"
HULL, SCILLY = "E06000010", "E06000053"


@pytest.fixture(scope="module")
def table() -> dict[str, dict]:
    """The summary's table for period 2019 (IMD 2019, mid-2019, IMD 2015 beside it)."""
    t = england.league(england.NationalEquityParams(period="2019"))
    return {str(r["area_code"]): r for r in t.to_dict("records")}


def test_hull_share_in_the_most_deprived_tenth_by_hand(table: dict[str, dict]) -> None:
    """Kingston upon Hull (E06000010) has 166 LSOAs in the lookup; 75 of them are in IMD 2019
    decile 1 and 90 in deciles 1-2.  Their mid-2019 residents (total_population) sum to
    119,278 and 144,057 of Hull's 259,778: 119,278 / 259,778 = 45.915% in England's most
    deprived tenth, 144,057 / 259,778 = 55.454% in its most deprived fifth; third of the 151
    boards (after Middlesbrough's 49.8% and Liverpool's 48.4%)."""
    h = table[HULL]
    assert (h["lsoas"], h["lsoas_decile"], h["lsoas_quintile"]) == (166, 75, 90)
    assert (h["in_decile_all ages"], h["pop_all ages"], h["in_quintile_all ages"]) == (
        119_278, 259_778, 144_057)
    assert h["share_decile_all ages"] == pytest.approx(45.915, abs=5e-4)
    assert h["share_quintile_all ages"] == pytest.approx(55.454, abs=5e-4)
    assert h["rank"] == 3


def test_hull_age_bands_by_hand(table: dict[str, dict]) -> None:
    """Hull's residents aged 0-15 (columns 0 to 15) in its 75 decile-1 LSOAs: 27,876 of 52,239,
    53.362%; aged 65+ (65 to 89 and 90+): 15,813 of 39,323, 40.213%.  A children's service's
    expected share is thirteen points above an older people's service's."""
    h = table[HULL]
    assert (h["in_decile_0-15"], h["pop_0-15"]) == (27_876, 52_239)
    assert (h["in_decile_65+"], h["pop_65+"]) == (15_813, 39_323)
    assert h["share_decile_0-15"] == pytest.approx(53.362, abs=5e-4)
    assert h["share_decile_65+"] == pytest.approx(40.213, abs=5e-4)


def test_england_and_the_other_edition_by_hand(table: dict[str, dict]) -> None:
    """England: 3,284 of its 32,844 LSOAs are in IMD 2019 decile 1, holding 5,588,091 of
    56,286,961 mid-2019 residents, 9.928% (deciles are of LSOAs, not people, so not exactly a
    tenth).  By IMD 2015 (IMD_decile), 75 of Hull's LSOAs are in decile 1 too, holding 118,295
    of the same 259,778 residents: 45.537%."""
    e = table[england.ENGLAND]
    assert (e["lsoas"], e["lsoas_decile"]) == (32_844, 3_284)
    assert (e["in_decile_all ages"], e["pop_all ages"]) == (5_588_091, 56_286_961)
    assert e["share_decile_all ages"] == pytest.approx(9.928, abs=5e-4)
    assert table[HULL]["other_share_decile"] == pytest.approx(100 * 118_295 / 259_778)


def test_scilly_and_the_boards_without_deprived_areas(table: dict[str, dict]) -> None:
    """The Isles of Scilly's one LSOA (E01019077) is in IMD 2019 decile 7: no resident in
    England's most deprived fifth.  Wokingham has none in the tenth either, and every board
    without one shares the last rank."""
    s = table[SCILLY]
    assert (s["lsoas"], s["lsoas_quintile"], s["share_quintile_all ages"]) == (1, 0, 0.0)
    ranks = {table[c]["rank"] for c in table if c != england.ENGLAND
             and table[c]["lsoas_decile"] == 0}
    assert ranks == {table["E06000041"]["rank"]} and len(ranks) == 1


@pytest.mark.parametrize("code", [HULL, "E10000018", SCILLY])
def test_the_equity_papers_own_expected_share(table: dict[str, dict], code: str) -> None:
    """The summary computes every board at once; the equity paper's own expected share
    (smallarea.expected_shares over the board's LSOAs in national decile 1) gives the same
    residents and totals for every band, for a unitary, a county and a one-LSOA authority."""
    sel = smallarea.most_deprived(code, 2019, "national_decile", 1, 2019)["lsoa11_code"]
    own = smallarea.expected_shares(code, sel.tolist(), england.AGE_BANDS, 2019)
    for _, r in own.iterrows():
        band = r["age_band"]
        assert (table[code][f"in_decile_{band}"], table[code][f"pop_{band}"]) == (
            r["population_selected"], r["population_total"]), band


def test_coverage_has_the_signature_the_national_command_calls() -> None:
    """hwb national calls ``<paper>.coverage(area_codes, period)`` and reads ``area_code,
    area_name, covered, reason``: for period 2019 all 151 upper-tier authorities of the
    mid-2019 estimates are covered, and a board's parameters are just its code and the period."""
    from hwb.commands.national import any_board_params, paper_coverage

    assert list(inspect.signature(equity.coverage).parameters) == ["area_codes", "period"]
    cov = paper_coverage("equity", "2019")
    assert len(cov) == 151 and cov["ok"].all()
    assert cov.set_index("area_code").loc[HULL, "area_name"] == "Kingston upon Hull"
    assert any_board_params("equity", HULL, "2015") == {"area_code": HULL, "period": "2015"}


def test_parameters() -> None:
    """The template parses; the period is an IMD edition (2017 is refused, naming the key);
    the summary is England's; the other edition is the one not asked for."""
    from pydantic import ValidationError


    p = load_params(TEMPLATE, england.NationalEquityParams)
    assert (p.imd_edition, p.population_year, p.other) == (2019, 2019, 2015)
    q = england.NationalEquityParams(period="2015")
    assert (q.imd_edition, q.population_year, q.other) == (2015, 2017, 2019)
    with pytest.raises(ValidationError, match="period"):
        england.NationalEquityParams(period="2017")
    with pytest.raises(ValidationError, match="E92000001"):
        england.NationalEquityParams(period="2019", area_code=HULL, area_name="Kingston upon Hull")
    assert check_paper(get("national-equity")) == []


def test_a_small_count_is_not_shown() -> None:
    """Disclosure: a share resting on 1 to 4 residents in the areas is not recorded (shown
    [c]); zero residents is shown (0.0%)."""
    p = england.NationalEquityParams(period="2019", age_bands=["all ages", "90+"])
    rec = Recorder(publish=False)
    row = {"area_code": HULL, "area_name": "Hull", "in_decile_90+": 3, "pop_90+": 400,
           "share_decile_90+": 0.75, "in_decile_all ages": 0, "pop_all ages": 500,
           "share_decile_all ages": 0.0}
    assert england.share_figure(rec, row, "decile", "90+", p) is None
    assert str(england.share_figure(rec, row, "decile", "all ages", p)) == "0.0%"


def test_every_covered_board_is_linked_by_default() -> None:
    """With ``linked`` None every one of the 151 covered boards links to its appendix, a name
    the table breaks at its hyphens (Stockton-on-Tees) too: the link is
    <appendix_links>/<area-slug>/<period-slug>/appendix.html."""
    p = england.NationalEquityParams(period="2019")
    rec = Recorder(publish=False)
    res = england.compute(p, rec)
    page = england.league_table(rec, res, p).text
    assert page.count('<th scope="row"><a href=') == 151
    assert '<a href="../../equity/stockton-on-tees/2019/appendix.html">Stockton-<wbr>' in page


# --- one built summary ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The summary built from its committed parameters into a private outputs folder."""
    folder = built_summary(tmp_path_factory, "national-equity", TEMPLATE, "--no-server")
    with open(folder / "claims.csv", encoding="utf-8") as f:
        claims = list(csv.DictReader(f))
    return {"page": (folder / "appendix.html").read_text(encoding="utf-8"), "claims": claims,
            "figures": (folder / "figures.csv").read_text(encoding="utf-8")}


def test_summary_links_the_boards_it_lists(built: dict[str, object]) -> None:
    """The template links Hull and Leicestershire (the committed 2019 board appendices) from
    outputs/national-equity/england/2019/ three folders up to outputs/equity/; no other board
    is a link."""
    page = str(built["page"])
    hrefs = set(re.findall(r'<th scope="row"><a href="([^"]+)"', page))
    assert hrefs == {"../../../equity/kingston-upon-hull/2019/appendix.html",
                     "../../../equity/leicestershire/2019/appendix.html"}


def test_summary_claims_hold_and_figures_are_recorded(built: dict[str, object]) -> None:
    """Every own statement holds against the tables shown; Hull's share is a recorded figure
    shown as 45.9%; no interval is put on a population share."""
    statuses = {c["claim_id"]: c["status"] for c in built["claims"]}  # type: ignore[union-attr]
    assert statuses and set(statuses.values()) == {"holds"}, statuses
    assert {"boards.none_in_decile", "coverage.linked", "disclosure.residents",
            "boards.young_higher"} <= set(statuses)
    page = str(built["page"])
    assert '<span class="hwb-fig" data-figure="e06000010.share.decile.all_ages">45.9%</span>' \
        in page
    assert "e06000010.share.quintile.65plus" in str(built["figures"])
    assert not re.search(r"95% (confidence )?interval|lower 95|upper 95", page, re.I)


def test_key_messages_numbers_are_figures(built: dict[str, object]) -> None:
    """Every number of the key messages is a recorded figure, apart from the IMD editions,
    the mid-year and the age bands' labels."""
    from tests.html_text import pieces, untraced_numbers

    page = re.sub(r"<div\b[^>]*\bpopover\b.*?</div>|<button\b.*?</button>", " ",
                  str(built["page"]), flags=re.S)  # a figure's "how computed" repeats it
    left = untraced_numbers(pieces(page), "hwb-section--key-messages")
    assert [n for n in left if not re.fullmatch(r"\(?(\d{4}|\d+-\d+|\d+\+)[,.;:)]*", n)] == []
