"""The equity paper for any board: parameters from three keys, expected shares for every
upper-tier authority, service counts tested against a fixed population share, and the built
appendices' text (their own board only, no internal identifiers, no interval on a quantity
it does not fit).

Hand calculations are in each test's docstring, from the shipped files (``data/lookups``,
``data/imd``, ``data/population``).
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd
import pytest

from hwb.core.params import area_names, load_params
from hwb.core.registry import BUILTIN_ROOT
from hwb.papers import equity
from hwb.papers.equity import compute
from hwb.sources import smallarea
from hwb.toolkit import statements

PARAMS = BUILTIN_ROOT / "params" / "equity"
HULL = PARAMS / "kingston-upon-hull-2019.yaml"
BUILDS = {"rotherham/2015-16": "rotherham-2015-16.yaml",
          "leicestershire/2019": "leicestershire-2019.yaml",
          "kingston-upon-hull/2019": "kingston-upon-hull-2019.yaml"}
OWN = {"rotherham/2015-16": "Rotherham", "leicestershire/2019": "Leicestershire",
       "kingston-upon-hull/2019": "Kingston upon Hull"}
IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
"""An internal identifier such as ``final_year_repeated`` or ``age_band`` (snake case)."""


def test_three_keys_make_a_board_appendix() -> None:
    """The Hull file holds only area_code, population_year and imd_edition; the name is the
    ONS name of E06000010 ("Kingston upon Hull, City of") as a board writes it, the period the
    population year, the audit period the financial year starting in it."""
    keys = {line.split(":")[0] for line in HULL.read_text().splitlines()
            if line and not line.startswith("#")}
    assert keys == {"area_code", "population_year", "imd_edition"}
    p = load_params(HULL, equity.EquityParams)
    assert (p.area_name, p.board_name, p.period, p.audit_period) == (
        "Kingston upon Hull", "Kingston upon Hull Health and Wellbeing Board", "2019", "2019-20")
    assert p.areas_label == "the most deprived tenth of Kingston upon Hull's population (IMD 2019)"
    assert not p.reproduce_printed and not p.board and not p.service_counts_file
    assert p.slug == "kingston-upon-hull/2019"


def test_given_values_are_kept() -> None:
    """Derived values fill only what is missing: Rotherham's file names its own label."""
    p = load_params(PARAMS / "rotherham-2015-16.yaml", equity.EquityParams)
    assert p.areas_label == "Eastwood, Canklow & Town Centre, and Ferham & Masbrough"
    assert p.board_name == "Rotherham Health and Wellbeing Board"


def test_hull_expected_share_by_hand() -> None:
    """Hull (E06000010) has 166 LSOAs in the 2019 lookup.  Ranked by IMD 2019 rank, the 16 most
    deprived hold 9.98% of the mid-2019 residents, short of a tenth; with the 17th they hold
    27,354 of 259,778 residents: 27,354 / 259,778 = 10.530%."""
    p = load_params(HULL, equity.EquityParams)
    selected = equity.selected_lsoas(p)
    shares = equity.board_expected_shares(p, selected["lsoa11_code"].tolist()).set_index(
        "age_band")
    assert len(selected) == 17 and len(smallarea.utla_lsoas(p.area_code)) == 166
    row = shares.loc["all ages"]
    assert (row.population_selected, row.population_total) == (27_354, 259_778)
    assert row.value == pytest.approx(100 * 27_354 / 259_778)


@pytest.mark.parametrize("edition", [2015, 2019])
def test_every_upper_tier_authority_has_expected_shares(edition: int) -> None:
    """All 151 English upper-tier authorities of the 2019 lookup (E06, E08, E09, E10) get a
    selection and an expected share in (0, 100] from both IMD editions; only the Isles of
    Scilly (one LSOA) is its own most deprived tenth, so its share is 100%."""
    codes = sorted(c for c in area_names() if re.match(r"E(06|08|09|10)", c))
    assert len(codes) == 151
    whole = []
    for code in codes:
        sel = smallarea.most_deprived(code, edition, "share", 0.1, 2019)
        e = smallarea.expected_shares(code, sel["lsoa11_code"].tolist(), ["all ages"], 2019)
        value = float(e["value"].iloc[0])
        assert 0 < value <= 100, code
        if value == 100:
            whole.append(code)
    assert whole == ["E06000053"]


def test_service_counts_are_tested_against_a_fixed_share() -> None:
    """Service A: 30 of 60 clients from areas holding 100 of 1,000 adults (10%).  Under the
    exact binomial test against p = 0.1 fixed, P(X >= 30 | 60, 0.1) is about 1e-13, and Holm
    over two services at most doubles it: significantly more.  Service B: 2 of 20 is exactly
    10%: not significant.  No Fisher test of clients against residents: the share is fixed."""
    counts = pd.DataFrame({"service": ["A", "A", "B", "B"], "age_band": ["18+"] * 4,
                           "area": ["E01000001", "elsewhere"] * 2, "clients": [30, 30, 2, 18]})
    expected = pd.DataFrame({"age_band": ["18+"], "value": [9.0], "population_selected": [100],
                             "population_total": [1000]})
    shown = compute.service_count_tests(counts, ["E01000001"], expected, 5, "counts.csv")
    assert shown.attrs["findings"] == {"tested": 2, "more": 1, "fewer": 0}
    assert shown["Expected share % (same age band)"].tolist() == ["10.00", "10.00"]
    assert shown["Holm-adjusted p (exact binomial)"].tolist() == ["< 0.001", "1.0"]


def test_population_shares_are_shown_without_an_interval() -> None:
    """An expected share is a near-census population share: the tables show it plainly, with
    no Wilson limits around it (issue 17: intervals only where a sampling model holds)."""
    e = pd.DataFrame({"age_band": ["18+"], "population_selected": [10], "population_total": [100],
                      "value": [10.0], "lower95": [5.0], "upper95": [17.0], "method": ["Wilson"]})
    table = compute.expected_shares_table(e, "Somewhere")
    assert not [c for c in table.columns if "Lower" in c or "Upper" in c]
    audit = pd.DataFrame({"key": ["s"], "label": ["S"], "expected": [8.4]})
    matched = compute.age_matched_table(audit, e.assign(key="s"), 2019)
    assert not [c for c in matched.columns if "Lower" in c or "Upper" in c]
    assert matched["Method"].iloc[0] == compute.POPULATION_SHARE


# --- the built appendices ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Each equity appendix built from its committed parameters (a private outputs folder)."""
    from tests.conftest import hwb

    out = tmp_path_factory.mktemp("equity-out")
    pages = {}
    for slug, name in BUILDS.items():
        r = hwb("run", "equity", str(PARAMS / name), "--outputs", str(out), "--force", "--quiet",
                "--no-server")
        assert r.returncode == 0, r.stderr
        pages[slug] = (out / "equity" / slug / "appendix.html").read_text(encoding="utf-8")
    return pages


def prose(page: str) -> str:
    """The appendix's running text: paragraphs, list items, captions (no tables, no code, no
    file paths: a path in a source line names a file, it is not an identifier in prose; no
    figure's "how computed" button or pop-up, which lists the run's parameters by name)."""
    body = re.sub(r"<div\b[^>]*\bpopover\b.*?</div>|<button\b.*?</button>", " ", page,
                  flags=re.S | re.I)
    body = re.sub(r"<(script|style|table|details|code|pre)\b.*?</\1>", " ", body,
                  flags=re.S | re.I)
    blocks = re.findall(r"<(p|li|figcaption|dd|h[1-6])\b[^>]*>(.*?)</\1>", body,
                        flags=re.S | re.I)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", b)) for _, b in blocks)
    return re.sub(r"\S*/\S*", " ", " ".join(text.split()))


def test_prose_checker_finds_what_it_is_for() -> None:
    """A hand-made page: a snake-case key and another board's name in a paragraph are found;
    the same in code, in a table, in a path or in a figure's pop-up are not."""
    page = ("<p>Set selection_by for Rotherham.</p><p><code>age_band</code> and "
            "data/equity/service_counts_template.csv</p><table><tr><td>Leeds audit_period</td>"
            "</tr></table><p>17<button type=\"button\">How 17 was computed</button> LSOAs</p>"
            "<div id=\"why-1\" popover class=\"hwb-pop\"><dl><dd>area_code=E08000035, "
            "Leeds</dd></dl></div>")
    text = prose(page)
    assert IDENTIFIER.findall(text) == ["selection_by"]
    assert "Rotherham" in text and "Leeds" not in text


@pytest.mark.parametrize("slug", list(BUILDS))
def test_appendix_keeps_to_its_own_board(built: dict[str, str], slug: str) -> None:
    """No other upper-tier authority is named in the appendix's prose (word for word, so the
    Rotherham service "Yorkshire Smoke Free" does not count as York), and no internal
    identifier (method id, snake-case key) is shown there."""
    text = prose(built[slug])
    assert OWN[slug] in text
    names = {equity.plain_area_name(n) for n in area_names().values()} - {OWN[slug]}
    others = sorted(n for n in names if re.search(rf"\b{re.escape(n)}\b", text))
    assert not others, f"{slug} names {others}"
    assert not IDENTIFIER.findall(text), IDENTIFIER.findall(text)


@pytest.mark.parametrize("slug", list(BUILDS))
def test_no_difference_claimed_from_an_unfit_interval(built: dict[str, str], slug: str) -> None:
    """Every statement of the appendix passes the library's scan for intervals that do not fit
    the quantity (issue 17)."""
    assert statements.unfit_interval_claims(prose(built[slug])) == []


def test_a_board_without_counts_is_told_what_to_supply(built: dict[str, str]) -> None:
    """The Hull appendix (no printed audit, no counts) shows its expected shares and the
    template, says counts are needed, and none of the printed audit's sections."""
    text = prose(built["kingston-upon-hull/2019"])
    assert "Service counts are needed to audit services" in text
    assert "The service-count template (no counts have been supplied for this board)" in \
        built["kingston-upon-hull/2019"]  # the table's caption
    assert "printed audit" not in text and "Threshold (c)" not in text
    assert "Equity audit of commissioned services (expected shares)" in text
    assert not math.isnan(float(re.search(r"with ([\d,]+) residents", text)[1].replace(",", "")))


def test_coverage_names_every_board_for_a_national_run() -> None:
    """Every one of the 151 upper-tier authorities can have an appendix; the one with a
    single small area (Isles of Scilly, E06000053: 1 LSOA in the 2019 lookup) says why its
    audit by area cannot tell services apart; Rotherham has 167 LSOAs (the lookup's doctest)."""
    c = equity.coverage().set_index("area_code")
    assert len(c) == 151 and c["covered"].all()
    assert c.loc["E08000018", "lsoas"] == 167
    assert c.loc[c["reason"] != "", "area_name"].tolist() == ["Isles of Scilly"]


def test_coverage_takes_the_codes_and_period_a_national_run_passes() -> None:
    """The national command calls ``coverage(area_codes, period)`` and reads ``area_code,
    area_name, covered, reason``.  Cardiff (W06000015) is in the England and Wales lookup with
    214 LSOAs, none ranked by the English IMD; E99999999 is in no lookup; a period other than
    the two IMD editions is refused in one line."""
    from hwb.errors import ParameterError

    c = equity.coverage(["W06000015", "E08000018", "E99999999"], "2015").set_index("area_code")
    assert {"area_code", "area_name", "covered", "reason"} <= {*c.columns, c.index.name}
    assert c["covered"].tolist() == [True, False, False]  # sorted: E08, E99, W06
    assert c.loc["W06000015", "reason"].startswith("214 of its 214 small areas have no IMD 2015")
    assert "no small areas" in c.loc["E99999999", "reason"]
    with pytest.raises(ParameterError, match="period"):
        equity.coverage(None, "2017")


@pytest.mark.parametrize(("period", "edition", "year"), [("2019", 2019, 2019),
                                                         ("2015", 2015, 2017)])
def test_an_area_code_and_a_period_make_a_board_appendix(period: str, edition: int,
                                                         year: int) -> None:
    """What a national run writes (area code and period) is a whole parameter set: period
    2019 is IMD 2019 on mid-2019 populations, 2015 is IMD 2015 on mid-2017 (the earliest
    single-year small-area estimates shipped); the audit period is the financial year that
    starts in the period's year.  A period that names no IMD edition is refused, naming it."""
    from pydantic import ValidationError

    p = equity.EquityParams.model_validate({"area_code": "E08000035", "period": period})
    assert (p.imd_edition, p.population_year, p.area_name, p.slug) == (
        edition, year, "Leeds", f"leeds/{period}")
    assert p.audit_period == f"{period}-{int(period[2:]) + 1}"
    assert p.areas_label == f"the most deprived tenth of Leeds' population (IMD {edition})"
    with pytest.raises(ValidationError, match="period: '2017'"):
        equity.EquityParams.model_validate({"area_code": "E08000035", "period": "2017"})
