"""National runs: generated parameter files, area coverage, data checks and the summary's parts.

Where the numbers come from (never from the code under test):

* England had 152 upper-tier local authorities (so 152 Health and Wellbeing
  Boards) until 1 April 2019, when the Bournemouth, Dorset and Poole (Structural
  Changes) Order 2018 replaced Bournemouth, Poole and Dorset County Council
  (E06000028, E06000029, E10000009) with Bournemouth, Christchurch and Poole
  (E06000058) and a unitary Dorset (E06000059): 151 from then on.
* NHS England's DTOC tables have no separate rows for the City of London and the
  Isles of Scilly (they are counted with Hackney and Cornwall), and they carry the
  three old authorities to April 2019 and the two new ones from May 2019.  Each
  board's appendix divides by the estimate of each period's own year on the
  series' boundaries (``population_basis: ons_by_year``), which exists for the old
  authorities too (to mid-2018).  Hence for November 2017 and February 2012:
  152 - 2 = 150 rows in the series and 150 appendices; for November 2019,
  151 - 2 = 149.
* Leicestershire, November 2017: 1,311 delayed days (951 NHS, 197 social care,
  163 both), printed in item 10 of the Leicestershire Health and Wellbeing
  Board's meeting of 25 January 2018; 551,802 aged 18+ at mid-2017 (the ONS mid-2017
  estimate, ``data/population/by_year/SOURCE.md``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from scipy.stats import chi2

from hwb.commands.national import (
    TEMPLATES,
    board_params,
    coverage,
    read_template,
    template_path,
    write_board_params,
)
from hwb.core.params import ParamProblem, load_params
from hwb.core.registry import get
from hwb.core.runner import out_dir_for, prepare
from hwb.errors import HwbError
from hwb.papers import national as paper
from hwb.papers.dtoc import DtocParams
from hwb.sources.dtoc import check_params

OLD_DORSET = {"E06000028", "E06000029", "E10000009"}
NEW_DORSET = {"E06000058", "E06000059"}
ABSORBED = {"E09000001", "E06000053"}  # City of London (Hackney), Isles of Scilly (Cornwall)


def test_generated_params_validate_against_the_dtoc_model(tmp_path: Path) -> None:
    files, cov = write_board_params("dtoc", "2017-11", tmp_path)
    assert len(files) == 150  # 152 boards - 2 without rows of their own
    assert all(f.parent == tmp_path / "national" / "params" / "dtoc" for f in files)
    codes = set()
    for f in files:
        p = load_params(f, DtocParams)
        assert p.board == "" and p.month == p.period == p.gap_period == "2017-11"
        assert p.board_name == f"{p.area_name} Health and Wellbeing Board"
        assert p.population_basis == "ons_by_year"  # each period's own mid-year estimate
        check_params(p)  # every generated area is in the series
        codes.add(p.area_code)
    assert OLD_DORSET <= codes and not codes & (NEW_DORSET | ABSORBED)
    assert "E10000018" in codes and "E08000035" in codes  # Leicestershire, Leeds
    # the runner accepts them: the notebook declares every field
    prepare(get("dtoc"), files[0])


def test_limit_takes_the_first_boards_by_area_code(tmp_path: Path) -> None:
    files, _ = write_board_params("dtoc", "2017-11", tmp_path, limit=3)
    # the first three ONS codes of the register: Hartlepool, Middlesbrough, Redcar and Cleveland
    assert [load_params(f, DtocParams).area_code for f in files] == [
        "E06000001", "E06000002", "E06000003"]
    assert files[0].name == "hartlepool-2017-11.yaml"


def test_coverage_lists_the_areas_without_an_appendix_and_why() -> None:
    cov = coverage("2017-11")
    # every board that existed in November 2017 is listed, ok or not
    existing = cov[~cov["area_code"].isin(NEW_DORSET)]
    assert len(existing) == 152
    missing = cov[~cov["ok"]].set_index("area_code")["reason"]
    assert set(missing.index) == NEW_DORSET | ABSORBED
    assert "counts it with Hackney" in missing["E09000001"]
    assert "counts it with Cornwall" in missing["E06000053"]
    assert all("from May 2019" in missing[c] for c in NEW_DORSET)


def test_coverage_of_a_2012_month_is_every_board_of_the_series() -> None:
    cov = coverage("2012-02")
    assert int(cov["ok"].sum()) == 150
    assert OLD_DORSET <= set(cov.loc[cov["ok"], "area_code"])
    assert set(cov.loc[~cov["ok"], "area_code"]) == NEW_DORSET | ABSORBED


def test_coverage_after_the_reorganisation() -> None:
    cov = coverage("2019-11")
    # the 151 boards from April 2019, and the three old authorities with the reason they have none
    assert len(cov) == 154
    assert set(cov.loc[~cov["ok"], "area_code"]) == ABSORBED | OLD_DORSET
    assert NEW_DORSET <= set(cov.loc[cov["ok"], "area_code"])
    reasons = cov.set_index("area_code")["reason"]
    assert all("until Apr 2019" in reasons[c] for c in OLD_DORSET)


def test_board_params_move_the_windows_to_the_month_within_the_series() -> None:
    t = read_template(template_path(TEMPLATES["dtoc"]))
    p = DtocParams.model_validate(board_params(t, "E08000035", "Leeds", "2012-02"))
    # the template's trend runs 22 months before its month to 13 after (2016-01..2018-12
    # around 2017-11): from 2012-02 that is 2010-04 (before the series: April 2011) to 2013-03
    assert (p.trend_start, p.trend_end) == ("2011-04", "2013-03")
    assert (p.quarters_from, p.quarters_to) == ("2011/12", "2011/12")
    assert (p.national_from, p.national_to, p.meeting_date) == ("", "", None)
    late = DtocParams.model_validate(board_params(t, "E08000035", "Leeds", "2019-12"))
    assert (late.trend_start, late.trend_end) == ("2018-02", "2019-12")


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("area_code", "E06000053", "DTOC series"),  # Isles of Scilly: no row of its own
    ("month", "2011-03", "April 2011 to December 2019"),
    ("trend_end", "2020-01", "April 2011 to December 2019"),
])
def test_dtoc_check_rejects_areas_and_months_outside_the_series(key: str, value: str,
                                                                 expected: str) -> None:
    template = read_template(template_path(TEMPLATES["dtoc"]))
    t = board_params(template, "E10000018", "Leicestershire", "2017-11")
    # model_copy skips the model's own checks (area_name must be the code's, period the month's),
    # so this reaches the data check
    p = DtocParams.model_validate(t).model_copy(update={key: value})
    with pytest.raises(ParamProblem, match=expected) as e:
        check_params(p)
    assert e.value.key == key


def test_unknown_paper_and_bad_limit_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(HwbError, match="national runs exist for: dtoc"):
        write_board_params("falls", "2017-11", tmp_path)
    with pytest.raises(HwbError, match="key 'limit' = 0"):
        write_board_params("dtoc", "2017-11", tmp_path, limit=0)
    with pytest.raises(HwbError, match="key 'month' = '2020-01'"):
        write_board_params("dtoc", "2020-01", tmp_path)


def test_summary_check_wants_england_and_falls_years_with_data() -> None:
    p = load_params(paper.PAPER.params_files()[0], paper.NationalParams)
    paper.check(p)
    with pytest.raises(ParamProblem, match="England"):
        paper.check(p.model_copy(update={"area_code": "E10000018"}))
    with pytest.raises(ParamProblem, match="a year of the falls rates") as e:
        paper.check(p.model_copy(update={"falls_start": "2008/09"}))
    assert e.value.key == "falls_start"


def test_league_leicestershire_november_2017() -> None:
    """Each month over the estimate of its own mid-year (issue 14 item 4): Leicestershire's
    1,311 delayed days of November 2017 over the ONS mid-2017 estimate of its persons aged 18+,
    551,802 (the sum of ages 18 to 90+ of its 2017 row in the shipped
    ``data/population/by_year/mye2_persons_sya_2011_2014_2018_england.csv.gz``):
    1,311 / 551,802 x 100,000 = 237.585 a month, / 30 days = 7.9195 a day.  All 150 rows of
    the series have a rate (the old Bournemouth, Poole and Dorset county too, mid-2017)."""
    t = paper.league("2017-11").set_index("area_code")
    r = t.loc["E10000018"]
    assert [int(r[c]) for c in ("total", "nhs", "social_care", "both")] == [1311, 951, 197, 163]
    assert int(r["population"]) == 551_802
    assert r["rate_total"] == pytest.approx(237.585, abs=5e-4)
    assert r["rate_per_day_total"] == pytest.approx(7.9195, abs=5e-5)
    assert r["vintage"] == "ONS mid-2017 estimate"
    assert t["rank"].notna().sum() == 150
    assert "Not compared" not in set(t.loc[list(OLD_DORSET), "significance"])


def test_funnel_curves_are_the_overdispersion_adjusted_limits() -> None:
    """Five units with E = 25 and O/E = 0.64 ... 1.44 have tau2 = 0.0078 (the hand calculation in
    hwb.stats.overdispersion).  At an England rate of 260 per 100,000 a month of 30 days, the
    population with E = 25 expected days is 25 / 260 x 100,000 = 9,615.38; there the upper 95%
    limit is (1 + 1.959964 x sqrt(1/100 + 0.0078))^2 = 1.261492^2 = 1.591362 times England's
    8.6667 per day: 13.7918."""
    from hwb.stats import overdispersion

    _, od = overdispersion([16, 20.25, 25, 30.25, 36], [25] * 5)
    pop = 25 / 260 * 100_000
    c = paper.funnel_curves(od, 260.0, 30, 1_000_000, pop / 0.8)  # the grid starts at pop
    up = c[(c["limit"] == 95.0) & (c["side"] == "upper")].iloc[0]
    assert up["population"] == pytest.approx(pop, rel=1e-9)
    assert up["rate_per_day"] == pytest.approx(13.7918, abs=5e-4)


def test_funnel_curves_without_overdispersion_are_exact_poisson() -> None:
    """Units all at O = E show no overdispersion (phi = 0): the curves are the plain exact
    Poisson limits, upper 95% = chi-squared 97.5% point with 2E + 2 degrees of freedom over 2E."""
    from hwb.stats import overdispersion

    _, od = overdispersion([25] * 5, [25] * 5)
    assert not od.overdispersed
    c = paper.funnel_curves(od, 260.0, 30, 1_000_000, 100_000)
    up = c[(c["limit"] == 95.0) & (c["side"] == "upper")].iloc[len(c) // 8]
    e = up["population"] * 260 / 100_000
    assert up["rate_per_day"] == pytest.approx(chi2.ppf(0.975, 2 * e + 2) / (2 * e) * 260 / 30,
                                               rel=1e-9)


def test_links_resolve_to_the_runner_output_folders() -> None:
    """A link from the national run's summary folder lands in the folder the runner writes
    a board's appendix to (``hwb.core.runner.out_dir_for``)."""
    root = Path("outputs") / "national"
    t = read_template(template_path(TEMPLATES["dtoc"]))
    leeds = DtocParams.model_validate(board_params(t, "E08000035", "Leeds", "2017-11"))
    target = out_dir_for(root, get("dtoc"), leeds) / "appendix.html"
    summary = load_params(paper.PAPER.params_files()[0], paper.NationalParams)
    from_national_run = summary.model_copy(update={"appendix_links": "../../../dtoc"})
    here = out_dir_for(Path("outputs"), get("national"), summary)  # by hwb reports
    there = root / "national" / "england" / "2017-11"  # by hwb national
    for folder, p in ((here, summary), (there, from_national_run)):
        link = paper.link_for(p, "Leeds")
        assert (folder / link).resolve() == target.resolve()


# --- the command: back-series months, other papers, the coverage file --------------------------


def test_month_span_of_a_back_series_year() -> None:
    """April 2017 to March 2018 is one financial year: 12 months, in order."""
    from hwb.commands.national import month_span

    months = month_span("2017-04", "2018-03")
    assert len(months) == 12 and months[0] == "2017-04" and months[-1] == "2018-03"
    assert len(month_span("2011-04", "2019-12")) == 105  # 9 x 12 - 3 months of 2011
    with pytest.raises(HwbError, match="key 'to'"):
        month_span("2018-03", "2017-04")


def test_a_paper_runnable_for_any_board_takes_just_a_code_and_a_period() -> None:
    """The falls paper's model accepts an area code and a period alone (its helper's design);
    the national command then writes nothing else."""
    from hwb.commands.national import any_board_params

    p = any_board_params("falls", "E06000014", "2012/13-2015/16")  # York
    assert p == {"area_code": "E06000014", "period": "2012/13-2015/16"}
    assert get("falls").params_model.model_validate(p).area_name == "York"


def test_coverage_file_and_sentence(tmp_path: Path) -> None:
    """November 2017: 150 boards (152 less the two counted with neighbours); the file lists
    every area of the population table (154 codes, old and new Dorset), covered or not."""
    from hwb.commands.national import coverage_sentence, write_coverage

    cov = coverage("2017-11")
    f = write_coverage(cov, "dtoc", "2017-11", tmp_path)
    lines = f.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "area_code,area_name,covered,reason" and len(lines) == 1 + 154
    text = coverage_sentence(cov, "2017-11")
    assert text.startswith("2017-11: 150 boards covered; 4 areas not:")
    assert "City of London (no row of its own" in text
