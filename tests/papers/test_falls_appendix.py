"""The built falls appendices: a board's text names no other board, shows no internal
identifier, and states the headline range, the price basis and the causal assumption.

Three appendices are built: Rotherham's (a printed claim), York's (no paper: the shipped rates
only) and Leicestershire's (a shire county, absent from the shipped rates).  Where values are
asserted they come from the shipped files by hand (stated beside each assertion).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
ROTHERHAM = ROOT / "params" / "falls" / "rotherham-2012-13-to-2015-16.yaml"
YORK = ROOT / "params" / "falls" / "york-2012-13-to-2015-16.yaml"

SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
"""An internal identifier such as ``final_year_repeated`` or ``did_ratio``."""
COMPARISONS = ("How did other areas' falls rates change?",
               "How did comparable councils' falls rates change?")
"""The sections whose purpose is to name other areas."""
CHECKS = ("Figures check", "Claims check")
"""Sections that list figure and claim ids by design (their anchors)."""
TORBAY_STUDY = re.compile(r"Torbay (?:cost|costs|study|cohort|total|totals|figures|unit)\b|"
                          r"older people in Torbay")
"""The King's Fund's Torbay study is a source, not a board's area."""


class _Sections(HTMLParser):
    """The page's text by h2 section: ``(section, in_table, text)``, without SVG, scripts,
    styles, folded details (a figure's derivation), a figure's "how computed" button and
    pop-up, or the page footer."""

    SKIP = {"svg", "script", "style", "details", "footer", "button"}

    def __init__(self) -> None:
        super().__init__()
        self.skip = self.table = 0
        self.in_h2 = False
        self.section = ""
        self.chunks: list[tuple[str, bool, str]] = []
        self.divs: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.skip += tag in self.SKIP
        self.table += tag == "table"
        if tag == "div":
            self.divs.append(any(k == "popover" for k, _ in attrs))
            self.skip += self.divs[-1]
        if tag == "h2":
            self.in_h2, self.section = True, ""

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in self.SKIP
        self.table -= tag == "table"
        if tag == "div" and self.divs:
            self.skip -= self.divs.pop()
        if tag == "h2":
            self.in_h2 = False
            self.section = self.section.strip()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.in_h2:
            self.section += data
        else:
            self.chunks.append((self.section, bool(self.table), data))


def sections_of(page: Path) -> list[tuple[str, bool, str]]:
    p = _Sections()
    p.feed(page.read_text(encoding="utf-8"))
    return p.chunks


def text_of(page: Path, *, tables: bool, skip: tuple[str, ...]) -> str:
    chunks = sections_of(page)
    return " ".join(t for s, in_table, t in chunks if s not in skip and (tables or not in_table))


def numbers(folder: Path) -> pd.Series:
    """The numeric figures of a built appendix, by id."""
    figs = pd.read_csv(folder / "figures.csv", dtype=str).set_index("id")["value"]
    return pd.to_numeric(figs, errors="coerce")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from tests.conftest import hwb

    out = tmp_path_factory.mktemp("falls")
    county = out / "leicestershire.yaml"
    county.write_text("area_code: E10000018\nperiod: 2012/13-2015/16\n", encoding="utf-8")
    folders = {}
    for name, params in (("rotherham", ROTHERHAM), ("york", YORK), ("leicestershire", county)):
        r = hwb("run", "falls", str(params), "--outputs", str(out / name), "--force", "--quiet")
        assert r.returncode == 0, r.stdout + r.stderr
        (folders[name],) = {p.parent for p in (out / name).glob("falls/*/*/appendix.html")}
    return folders


def test_the_section_reader_sees_prose_and_tables() -> None:
    p = _Sections()
    p.feed("<h2>A</h2><p>x did_ratio</p><table><td>Bury</td></table><details>a_b</details>")
    assert p.chunks == [("A", False, "x did_ratio"), ("A", True, "Bury")]
    assert SNAKE.findall("the did_ratio and final_year_repeated, not hwb.toolkit.checks") == [
        "did_ratio", "final_year_repeated"]


@pytest.mark.parametrize("board", ["rotherham", "york", "leicestershire"])
def test_no_internal_identifier_outside_the_checks(built: dict[str, Path], board: str) -> None:
    text = text_of(built[board] / "appendix.html", tables=True, skip=CHECKS)
    assert "Key messages" in " ".join(s for s, _, _ in sections_of(built[board] / "appendix.html"))
    assert not SNAKE.findall(text), sorted(set(SNAKE.findall(text)))


@pytest.mark.parametrize("board,own", [("rotherham", "Rotherham"), ("york", "York"),
                                       ("leicestershire", "Leicestershire")])
def test_no_other_board_named_outside_comparisons(built: dict[str, Path], board: str,
                                                  own: str) -> None:
    from hwb.core.params import area_names

    text = TORBAY_STUDY.sub(" ", text_of(built[board] / "appendix.html", tables=False,
                                         skip=COMPARISONS + CHECKS))
    assert own in text
    others = sorted(n for n in set(area_names().values()) - {own}
                    if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text))
    assert not others, others


def test_rotherham_headline_carries_every_counterfactual_and_unit_cost(
        built: dict[str, Path]) -> None:
    """The key message's range is the lowest low end and the highest high end of the
    net-saving table under every counterfactual and unit cost (Table 8: £1.7m for the pre-period
    rate at the admission-only cost, £27.0m for the ratio counterfactual at the gross cost),
    wider than the chosen method's own interval (£6.8m to £14.2m); it says in words that the
    service is assumed to have caused the change, and names one price year."""
    folder = built["rotherham"]
    figs = pd.read_csv(folder / "figures.csv", dtype=str).set_index("id")["text"]
    chunks = sections_of(folder / "appendix.html")
    key = " ".join(t for s, _, t in chunks if s == "Key messages")
    table = " ".join(t for s, in_table, t in chunks if s == "A defensible estimate" and in_table)
    money = sorted(float(x) for x in re.findall(r"£(\d+\.\d)m", table))
    assert (figs["net_range_low"], figs["net_range_high"]) == (f"{money[0]:.1f}",
                                                               f"{money[-1]:.1f}")
    assert float(figs["net_range_low"]) < float(figs["net_low"])
    assert float(figs["net_range_high"]) > float(figs["net_high"])
    assert re.search(rf"between £\s*{figs['net_range_low']}\s*m and £\s*"
                     rf"{figs['net_range_high']}\s*m, in 2017/18 prices \(GDP deflator\)", key)
    assert "Assuming the falls service caused the whole fall in admissions" in key


def test_rotherham_estimate_is_in_one_price_year(built: dict[str, Path]) -> None:
    """The incremental cost is (£4.2m + £1.2m - £2.5m) / 421 = £6,888.36 in the study's
    2010/11 prices; the GDP deflator (YBGB: 2010 69.1217, 2011 70.834, 2017 77.6367, 2018
    79.1606; a financial year 9:3) moves it by 78.01768 / 69.54978 = 1.12175 to £7,727 in
    2017/18 prices; the service's 2017/18 cost is already in them: 4 x £443,977 = £1.8m."""
    figs = numbers(built["rotherham"])
    factor = (0.75 * 77.6367 + 0.25 * 79.1606) / (0.75 * 69.1217 + 0.25 * 70.834)
    assert figs["price_factor"] == pytest.approx(factor, abs=1e-9)
    assert figs["unit_cost_used"] == pytest.approx(2_900_000 / 421 * factor, abs=1e-6)
    assert figs["service_cost_total"] == pytest.approx(4 * 443_977 / 1e6, abs=1e-9)


def test_rotherham_rates_have_intervals_where_counts_are_printed(built: dict[str, Path]) -> None:
    """Byar's 95% limits on the printed 1,039 (2011/12) scaled by the rate 2,407 / 1,039."""
    from hwb import stats

    figs = numbers(built["rotherham"])
    ci = stats.byar_ci(1039, conf=0.95)
    assert figs["rate_ci_2011_12_lower"] == pytest.approx(2407 * float(ci.lower) / 1039)
    assert figs["rate_ci_2011_12_upper"] == pytest.approx(2407 * float(ci.upper) / 1039)


def test_the_county_appendix_says_in_one_line_that_it_has_no_rates(
        built: dict[str, Path]) -> None:
    text = text_of(built["leicestershire"] / "appendix.html", tables=False, skip=())
    assert ("No published rates in the shipped file: Leicestershire is a shire county, and the "
            "PHOF falls indicator (22401) as shipped covers districts and unitary authorities "
            "only.") in text
    assert not (built["leicestershire"] / "figures.csv").read_text().count("rate_final")


def test_york_states_the_limits_of_the_standard_age_mix(built: dict[str, Path]) -> None:
    text = text_of(built["york"] / "appendix.html", tables=False, skip=())
    assert "a standardised rate is not a crude rate" in text
    assert "Assuming the difference" in text and "nothing here shows what caused it" in text
    comparison = text_of(built["york"] / "appendix.html", tables=True, skip=())
    assert "CIPFA nearest neighbours, 2024 model" in comparison  # the comparison's vintage
