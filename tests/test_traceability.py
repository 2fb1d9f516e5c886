"""Every number traceable: the input rows a figure was recorded with reach ``hwb explain``, and a
chart description written from recorded figures marks each number with its figure id."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hwb.commands.explain import explain_text
from hwb.toolkit import charts
from hwb.toolkit.figures import Description, Recorder, rows_of

PRINTED = pd.DataFrame([{"figure_id": "a.total", "board": "b", "value": "674", "unit": "days",
                         "document": "Board paper", "item": "7", "page": "3", "line": "41"}])


def _manifest(rec: Recorder) -> dict:
    return {"paper": "toy", "area_name": "Rotherham", "period": "2017-09",
            "inputs": {"dtoc/dtoc_2017-09.csv": "ab" * 32, "population/p.csv": "cd" * 32},
            "figures": [f.as_dict() for f in rec.figures.values()],
            "figures_check": rec.check_table().to_dict(orient="records"), "params": {}}


def test_rows_reach_the_figure_the_check_and_explain() -> None:
    """A figure recorded with ``rows=`` keeps, per input file, the rows that fed it; the file
    joins its inputs; the figures-check row and ``hwb explain`` show the rows under the file."""
    rec = Recorder(PRINTED, publish=False)
    frame = pd.DataFrame({"area_code": ["E08000018"] * 2, "month": ["2017-09"] * 2,
                          "responsible": ["NHS", "Social Care"], "line": [40, 41]})
    fig = rec.record("a.total", "Delayed days", 674, "days",
                     rows={"dtoc/dtoc_2017-09.csv": rows_of(frame, ["area_code", "month"]),
                           "population/p.csv": ["E08000018 18+"]})
    want = "2 rows: area_code = E08000018; month = 2017-09; lines 40-41"
    assert fig.rows == {"dtoc/dtoc_2017-09.csv": want, "population/p.csv": "E08000018 18+"}
    assert fig.inputs == ["dtoc/dtoc_2017-09.csv", "population/p.csv"]
    m = _manifest(rec)
    assert m["figures_check"][0]["rows"] == (f"dtoc/dtoc_2017-09.csv: {want}; "
                                            "population/p.csv: E08000018 18+")
    text = explain_text(Path("out/toy/r/2017-09/manifest.json"), m, m["figures"][0],
                        m["figures_check"][0], "a.total")
    assert f"  dtoc/dtoc_2017-09.csv  sha256 {'ab' * 32}\n    rows: {want}" in text
    assert "    rows: E08000018 18+" in text


def test_a_figure_without_rows_is_as_before() -> None:
    rec = Recorder(publish=False)
    fig = rec.record("x", "X", 3.0, "", 1, inputs=["dtoc/dtoc_2017-09.csv"])
    assert fig.rows == {} and fig.rows_text == ""
    m = _manifest(rec)
    text = explain_text(Path("m.json"), m, m["figures"][0], None, "x")
    assert "rows:" not in text and "dtoc/dtoc_2017-09.csv  sha256" in text


def test_rows_of_states_keys_and_lines() -> None:
    """Hand-made: one key value is stated once, several are listed, lines that are not a run
    are listed, and a long list says how many more."""
    f = pd.DataFrame({"k": list("abcd"), "line": [3, 5, 6, 9]})
    assert rows_of(f, ["k"], most=2) == "4 rows: k in a, b and 2 more; lines 3, 5 and 2 more"
    assert rows_of(f.iloc[:1], ["k"]) == "1 row: k = a; line 3"


def test_chart_description_marks_each_recorded_figure() -> None:
    """A description made by ``Recorder.describe``: the shown paragraph links the printed figure
    to its figures-check row and marks the recorded-only one; the SVG title keeps plain text."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rec = Recorder(PRINTED, publish=False)
    total = rec.record("a.total", "Delayed days", 674, "days")
    mean = rec.record("a.mean", "Mean", 9.123, "", 1)
    alt = rec.describe("Bars of delayed days: {t} in all, a mean of {m} a day & rising.",
                       t=total, m=mean)
    assert isinstance(alt, Description) and str(alt) == (
        "Bars of delayed days: 674 in all, a mean of 9.1 a day & rising.")
    fig, ax = plt.subplots()
    ax.bar([0, 1], [1, 2])
    out = charts.chart(fig, "Delayed days", "test", alt).text
    assert ('Description:</span> Bars of delayed days: <a class="hwb-fig" data-figure="a.total" '
            'href="#fig-a.total">674</a> in all, a mean of <span class="hwb-fig" '
            'data-figure="a.mean">9.1</span> a day &amp; rising.</p>') in out
    assert "<title" in out and "674 in all, a mean of 9.1 a day &amp; rising.</title>" in out


def test_describe_refuses_a_bare_number() -> None:
    rec = Recorder(publish=False)
    with pytest.raises(TypeError, match="bare number"):
        rec.describe("{n} days", n=5)


def test_the_figures_check_row_shows_the_rows_used() -> None:
    """The appendix's derivation disclosure on a figures-check row lists, beside each input's
    checksum, the rows of it that fed the figure."""
    from hwb.core.html import link_figures

    rec = Recorder(PRINTED, publish=False)
    rec.record("a.total", "Delayed days", 674, "days",
               rows={"dtoc/dtoc_2017-09.csv": "area_code = E08000018 & month = 2017-09"})
    row = '<tr><th scope="row">a.total</th><td>674</td></tr>'
    out = link_figures(row, [f.as_dict() for f in rec.figures.values()],
                       {"data/dtoc/dtoc_2017-09.csv": "ab" * 32, "data/other.csv": "cd" * 32}, {})
    assert ("<li><code>data/dtoc/dtoc_2017-09.csv</code> sha256 <code>abababababababab</code>, "
            "rows: area_code = E08000018 &amp; month = 2017-09</li>") in out
    assert "other.csv" not in out
