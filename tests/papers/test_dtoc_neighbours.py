"""The board among its CIPFA nearest neighbours (issue 16, item 6).

Hand calculations from the shipped files: delayed days from
``data/dtoc/dtoc_delayed_days_by_responsible_org_2011-04_to_2019-12.csv`` (NHS + social care +
both), 18+ populations from the ONS mid-2017 estimates of ``hwb.sources.population_by_year``,
neighbours from ``data/cipfa/`` (``hwb.sources.cipfa``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hwb.core.params import load_params
from hwb.papers import dtoc as paper
from hwb.sources import cipfa, dtoc
from hwb.sources import population_by_year as pby
from hwb.toolkit import figures

ROOT = Path(__file__).resolve().parents[2]
ROT = ROOT / "params" / "dtoc" / "rotherham-2017-09.yaml"
LEI = ROOT / "params" / "dtoc" / "leicestershire-2017-11.yaml"


@pytest.fixture(scope="module")
def rotherham() -> tuple[figures.Recorder, paper.Neighbours]:
    params = load_params(ROT, paper.DtocParams)
    rec = figures.Recorder(publish=False)
    nb = paper.compute_neighbours(rec, params, "rotherham", "2017-07")
    assert nb is not None
    return rec, nb


def test_rotherham_among_its_neighbours(rotherham: tuple) -> None:
    """September 2017. Rotherham: 530 + 105 + 39 = 674 days over 206,428 aged 18+ (mid-2017)
    = 326.5 per 100,000. Bury, the highest: 1,032 days over 146,515 = 704.4. Barnsley, the
    lowest: 76 over 193,156 = 39.3. Six neighbours are higher than Rotherham (Bury, Dudley,
    Tameside, Bolton, Wakefield, St Helens), so it ranks 7 of 16; the median of the 15
    neighbours is the 8th, Wigan's 578 / 256,574 = 225.3."""
    rec, nb = rotherham
    assert pby.population("E08000018", 2017, "18+").value == 206_428
    assert rec["rotherham.neighbours.rate"].value == pytest.approx(674 / 206_428 * 100_000)
    assert rec["rotherham.neighbours.e08000002.rate"].value == pytest.approx(
        1032 / 146_515 * 100_000)
    assert rec["rotherham.neighbours.e08000016.rate"].text == "39.3"
    assert (rec["rotherham.neighbours.rank"].value, rec["rotherham.neighbours.ranked"].value) \
        == (7, 16)
    assert rec["rotherham.neighbours.median"].value == pytest.approx(578 / 256_574 * 100_000)
    assert set(nb.table["area_code"]) == {"E08000018", *cipfa.neighbours("E08000018")}
    assert nb.vintage == cipfa.VINTAGE and cipfa.VINTAGE in nb.alt


def test_as_known_at_the_meeting(rotherham: tuple) -> None:
    """September 2017 was published after the meeting (9 November 2017): its figures are marked
    hindsight, and July 2017 (the latest month published by 20 September) is recorded beside
    it: Rotherham's 928 days in July / 206,428 aged 18+ x 100,000 = 449.6."""
    rec, nb = rotherham
    assert rec["rotherham.neighbours.rate"].hindsight
    assert cipfa.VINTAGE in rec["rotherham.neighbours.rate"].vintage
    assert rec["rotherham.known.neighbours.rate"].value == pytest.approx(928 / 206_428 * 1e5)
    assert not rec["rotherham.known.neighbours.rate"].hindsight
    assert nb.earlier_month == "2017-07"


def test_the_chart_starts_at_zero_and_does_not_rely_on_colour(rotherham: tuple) -> None:
    from hwb.papers.dtoc.neighbours import neighbours_chart

    _, nb = rotherham
    params = load_params(ROT, paper.DtocParams)
    fig, data = neighbours_chart(nb, params)
    ax = fig.axes[0]
    assert ax.get_xlim()[0] == 0
    assert [t.get_text() for t in ax.get_yticklabels()].count("Rotherham (this board)") == 1
    assert any(p.get_hatch() for p in ax.patches)  # the board's bar is hatched, not only coloured
    assert list(data["Council"])[0] == "Rotherham (this board)" and len(data) == 16
    assert "Per 100,000 aged 18+, Jul 2017" in data.columns


def test_a_council_without_neighbours() -> None:
    """Northamptonshire (E10000021) has no list of its own in the model read on 2019 codes."""
    params = load_params(LEI, paper.DtocParams).model_copy(update={"area_code": "E10000021"})
    assert cipfa.neighbours("E10000021") == []
    assert paper.compute_neighbours(figures.Recorder(publish=False), params, "x",
                                    "2017-11", dtoc.load_series()) is None


def test_a_council_abolished_before_2019_has_no_comparison() -> None:
    """Bournemouth (E06000028) is in the 2017 series but not in the model on 2019 codes."""
    params = load_params(LEI, paper.DtocParams).model_copy(update={"area_code": "E06000028"})
    assert paper.compute_neighbours(figures.Recorder(publish=False), params, "x",
                                    "2017-11", dtoc.load_series()) is None
