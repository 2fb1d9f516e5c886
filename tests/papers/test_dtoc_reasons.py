"""Reasons for delay in the DTOC appendix (issue 17, item 5): NHS England's reason file.

Expected values are read by hand from the shipped file,
``data/dtoc/dtoc_delayed_days_by_reason_2011-04_to_2019-12.csv`` (line numbers as ``cat -n``
gives them; columns in the file's order: assessment, public funding, further NHS non-acute
care, residential home, nursing home, care package, equipment, patient or family choice,
disputes, housing, other, total).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hwb.core.params import load_params
from hwb.errors import DataError
from hwb.papers import dtoc as paper
from hwb.papers.dtoc import reasons
from hwb.sources import data, dtoc
from hwb.toolkit import figures

ROOT = Path(__file__).resolve().parents[2]
ROT = ROOT / "params" / "dtoc" / "rotherham-2017-09.yaml"
LEI = ROOT / "params" / "dtoc" / "leicestershire-2017-11.yaml"


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return dtoc.load_reasons()


def _run(params_file: Path) -> tuple[figures.Recorder, paper.Results, paper.Reasons]:
    params = load_params(params_file, paper.DtocParams)
    printed = figures.load_printed(data.path("dtoc/printed_figures.csv"), board=params.board)
    rec = figures.Recorder(printed, publish=False)
    res = paper.compute(params, rec, printed)
    rs = paper.compute_reasons(rec, params, paper.prefix(params), res.known_to, res.denominators)
    return rec, res, rs


@pytest.fixture(scope="module")
def rotherham() -> tuple[figures.Recorder, paper.Results, paper.Reasons]:
    return _run(ROT)


@pytest.fixture(scope="module")
def leicestershire() -> tuple[figures.Recorder, paper.Results, paper.Reasons]:
    return _run(LEI)


def test_reason_rows_add_up_to_the_responsible_total(table: pd.DataFrame) -> None:
    """Leicestershire, November 2017 (line 12685): 251 + 171 + 125 + 192 + 239 + 154 + 13 + 133
    + 33 + 0 + 0 = 1,311, the total of the responsible-organisation file (951 + 197 + 163)."""
    t = reasons.month_by_reason(table, "E10000018", "2017-11")
    assert t["days"].astype(int).tolist() == [251, 171, 125, 192, 239, 154, 13, 133, 33, 0, 0]
    assert t["days"].sum() == 1311
    # 239 / 1,311 = 18.23% awaiting a nursing home placement
    assert t.set_index("reason").loc["Awaiting nursing home placement or availability",
                                     "share"] == pytest.approx(18.2304, abs=1e-4)


def test_other_is_missing_before_april_2017(table: pd.DataFrame) -> None:
    """Rotherham, March 2017 (line 10262): "Other" is an unquoted NA (the reason was added in
    April 2017); the other ten reasons still add up to the total of 987, so shares are of 987."""
    t = reasons.month_by_reason(table, "E08000018", "2017-03").set_index("reason")
    assert pd.isna(t.loc["Other", "days"]) and pd.isna(t.loc["Other", "share"])
    assert t["days"].sum() == 987
    assert t.loc["Patient or family choice", "share"] == pytest.approx(224 / 987 * 100)


def test_a_bad_reason_file_is_one_line_naming_the_row(tmp_path: Path) -> None:
    src = (ROOT / "data" / dtoc.REASON_FILE).read_text().splitlines()
    bad = tmp_path / "reasons.csv"
    bad.write_text("\n".join([src[0], src[1].replace("April 2019", "Aprill 2019"), *src[2:5]])
                   + "\n")
    with pytest.raises(DataError, match="row 2") as e:
        dtoc.load_reasons(bad)
    assert "\n" not in str(e.value)


def test_rotherham_month_and_the_month_known_at_the_meeting(rotherham: tuple) -> None:
    """The meeting (20 September 2017) could see July 2017, not September (published 9 November
    2017). September (line 14638): 276 of 674 days awaiting completion of assessment, 40.9%;
    July (line 7696): 376 of 928, 376 / 928 = 40.5%. September's figures are hindsight."""
    rec, _, rs = rotherham
    sep = rec["rotherham.reason.assessment.days"]
    jul = rec["rotherham.known.reason.assessment.days"]
    assert (sep.value, jul.value) == (276, 376)
    assert sep.hindsight and not jul.hindsight
    assert "first published 2017-11-09" in sep.vintage
    assert rec["rotherham.known.reason.assessment.share"].text == "40.5%"
    assert rec["rotherham.reason.assessment.share"].text == "40.9%"
    assert list(rs.table.columns) == [
        "Reason for delay",
        "Delayed days, Jul 2017 (published by the meeting)",
        "Share, Jul 2017 (published by the meeting)",
        "Delayed days, Sep 2017 (published after the meeting)",
        "Share, Sep 2017 (published after the meeting)"]
    assert len(rs.table) == 11


def test_rotherham_main_reasons_are_chosen_on_what_the_meeting_could_see(rotherham: tuple) -> None:
    """Main reasons over April 2016 to July 2017 (16 months, the trend's months published by
    the meeting), summed by hand from the file's Rotherham rows:
    assessment 193+144+182+97+33+194+67+117+137+119+129+325+246+394+509+376 = 3,262;
    further NHS non-acute care 101+55+97+124+216+154+224+90+256+306+242+197+232+223+136+114
    = 2,767; patient or family choice 94+35+92+56+89+58+103+79+13+66+115+224+90+131+67+111
    = 1,423 (next: equipment 699, nursing home 539, care package 479)."""
    rec, _, rs = rotherham
    assert rs.window == ("2016-04", "2017-07")
    assert rs.main == ["Awaiting completion of assessment",
                       "Awaiting further NHS non-acute care", "Patient or family choice"]
    assert [rec[f"rotherham.reason_main.{s}.days"].value
            for s in ("assessment", "nhs_non_acute", "choice")] == [3262, 2767, 1423]


def test_trends_are_spc_without_intervals(rotherham: tuple) -> None:
    """Each main reason's trend is an XmR chart of the monthly rate per day per 100,000 aged
    18+ over the 36 trend months: September 2017, assessment: 276 / 30 / 205,748 x 100,000 =
    4.47. Its verdict is recorded over the whole trend and as at the meeting (to July 2017)."""
    rec, _, rs = rotherham
    e = rs.trends["Awaiting completion of assessment"]
    rates = e["rates"].set_index("period")
    assert len(rates) == 36
    assert rates.loc["2017-09", "rate_per_day"] == pytest.approx(276 / 30 / 205_748 * 100_000)
    assert not any(c in rates.columns for c in ("lower95", "upper95"))
    assert rec["rotherham.reason.assessment.spc.points"].value == 36
    assert "rotherham.reason.assessment.spc_variation_at_meeting" in rec.figures
    assert rec["rotherham.reason.assessment.spc.mean"].value == pytest.approx(
        e["summary"].mean)


def test_leicestershire_month_was_known_at_the_meeting(leicestershire: tuple) -> None:
    """November 2017 was published on 11 January 2018, before the meeting of 25 January: one
    month in the table, nothing marked as hindsight."""
    rec, _, rs = leicestershire
    assert rec["leicestershire.reason.nursing_home.days"].value == 239
    assert not rec["leicestershire.reason.nursing_home.days"].hindsight
    assert not any(f.startswith("leicestershire.known.reason.") for f in rec.figures)
    assert [c for c in rs.table.columns if c.startswith("Delayed days")] == [
        "Delayed days, Nov 2017 (published by the meeting)"]
