"""The appendix exporter, without a browser: what the page shows and what it must never show.

The notebook here is built by hand with the outputs a run produces (recorded
figures, logged inputs, a chart, a table, warnings on stderr), so every expected
string is either in the input or a hand conversion of it (dates, the ask).
The browser checks of the same page are in ``tests/e2e/test_browser.py``.
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest

from hwb.core import html as appendix
from hwb.protocol import CHECK_MIME, FIGURE_MIME
from hwb.sources.data import INPUT_MIME
from hwb.toolkit import charts

META = {
    "params": {"area_code": "E08000018", "area_name": "Rotherham", "period": "2017-09",
               "board": "rotherham-2017-09-20",
               "board_name": "Rotherham Health and Wellbeing Board",
               "meeting_date": "2017-09-20", "agenda_item": "15",
               "paper_title": "Better Care Fund Plan 2017-19: delayed transfers of care",
               "ask": "approve"},
    "provenance": {"version": "0.1.0", "commit": "f" * 40, "dirty": True,
                   "params_hash": "1" * 64, "env_hash": "2" * 64,
                   "built": "2017-09-01T10:05:00+01:00",
                   "command": "hwb run dtoc params/dtoc/rotherham-2017-09.yaml --force"},
    "paper": {"name": "dtoc", "title": "Delayed transfers of care"},
    "figures_summary": {"reproduced": 25, "rounding": 2, "differs": 0, "not compared": 34,
                        "recorded": 40},
}


def _display(data: dict, output_type: str = "display_data") -> nbformat.NotebookNode:
    if output_type == "execute_result":
        return nbformat.v4.new_output("execute_result", data=data, execution_count=1)
    return nbformat.v4.new_output("display_data", data=data)


@pytest.fixture
def notebook() -> nbformat.NotebookNode:
    charts.reset_numbering()
    charts.style()
    fig, ax = plt.subplots()
    ax.plot([1, 2], [1.0, 2.0], label="Rotherham")
    ax.set_ylim(bottom=0)  # the house rule: a value axis without zero must say so
    chart = charts.chart(fig, "Delayed days", "NHS England", "Line chart rising from 1 to 2",
                         data=pd.DataFrame({"x": [1, 2], "y": [1.0, 2.0]})).text
    tab = charts.table(pd.DataFrame({"Reason": ["A", "B"], "Days": ["412", "[c]"]}),
                       "Delays by reason", "NHS England").text
    code = nbformat.v4.new_code_cell("secret_code = 1  # never shown")
    code.outputs = [
        _display({FIGURE_MIME: {"id": "total"}, "text/plain": ""}),
        _display({INPUT_MIME: {"path": "data/x.csv"}, "text/plain": ""}),
        _display({CHECK_MIME: [{"figure_id": "total"}], "text/plain": ""}),
        nbformat.v4.new_output("stream", name="stderr", text="UserWarning: noisy\n"),
        nbformat.v4.new_output("stream", name="stdout", text="printed by the notebook\n"),
        _display({"text/plain": "<Figure size 800x420 with 1 Axes>"}, "execute_result"),
        _display({"text/html": chart, "text/plain": ""}),
        _display({"text/html": tab, "text/plain": ""}),
        _display({"text/markdown": "- **674** delayed days", "text/plain": ""}),
    ]
    params = nbformat.v4.new_code_cell("area_name = 'Rotherham'", metadata={"tags": ["parameters"]})
    hidden = nbformat.v4.new_markdown_cell("A draft note", metadata={"tags": ["remove-cell"]})
    cells = [
        nbformat.v4.new_markdown_cell("# DTOC in Rotherham\n\nThe board is asked to approve."),
        params,
        nbformat.v4.new_markdown_cell("## Key messages\n\nWhat happened?\n\n## The month\n\nText."),
        code,
        hidden,
        nbformat.v4.new_markdown_cell("# A second title\n\nMore text.\n\n### Detail\n\nx"),
        nbformat.v4.new_markdown_cell("## Figures check\n\nEach printed figure."),
    ]
    return nbformat.v4.new_notebook(cells=cells)


@pytest.fixture
def page(notebook: nbformat.NotebookNode) -> str:
    return appendix.export_html(notebook, META)


def test_title_block_comes_from_the_parameters(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in page
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", page, re.S) == [
        "Better Care Fund Plan 2017-19: delayed transfers of care"]
    assert '<p class="hwb-subtitle">DTOC in Rotherham</p>' in page  # the notebook's own title
    assert "Rotherham Health and Wellbeing Board" in page
    assert '<time datetime="2017-09-20">20 September 2017</time>' in page  # 2017-09-20 by hand
    assert "<dt>Agenda item</dt><dd>15</dd>" in page
    assert "The Board is asked to <strong>approve</strong>" in page
    assert "Rotherham <span class=\"hwb-code\">(E08000018)</span>" in page
    # 25 + 2 + 0 + 34 = 61 printed figures
    assert ("61 printed figures: 25 reproduced, 2 differ only by rounding, 0 differ, "
            "34 not compared.") in page


def test_provenance_footer(page: str) -> None:
    footer = page[page.index('<footer class="hwb-footer">'):]
    assert "f" * 40 + " (with uncommitted changes)" in footer
    assert "1" * 64 in footer and "2" * 64 in footer
    assert "<code>hwb run dtoc params/dtoc/rotherham-2017-09.yaml --force</code>" in footer
    assert "1 September 2017, 09:05 UTC" in footer  # 10:05 BST (UTC+1) is 09:05 UTC
    assert "0.1.0" in footer


def test_no_code_prompts_machine_outputs_or_warnings(page: str) -> None:
    for absent in ("secret_code", "area_name = ", "In&nbsp;[", "Out[", "UserWarning",
                   "<Figure size", FIGURE_MIME, INPUT_MIME, '"figure_id"', "A draft note",
                   'class="anchor-link"', "¶"):
        assert absent not in page, absent
    assert "printed by the notebook" in page  # stdout is the notebook speaking: kept
    assert "<strong>674</strong> delayed days" in page  # markdown output rendered


def test_self_contained_without_scripts(page: str) -> None:
    assert "<script" not in page.lower()
    assert not re.search(r'(?:src|href)\s*=\s*["\']?(?:https?:)?//', page)
    assert not re.search(r"@import|url\(\s*['\"]?https?:", page)
    assert page.count("<style>") == 1


def test_landmarks_skip_link_and_one_h1(page: str) -> None:
    assert '<a class="hwb-skip" href="#main">Skip to main content</a>' in page
    assert len(re.findall(r'<main\b[^>]*\bid="main"', page)) == 1
    assert page.count('<header class="hwb-masthead">') == 1
    assert page.count("<h1") == 1
    assert "<h2" in page and "A second title</h2>" in page  # later h1 demoted to h2


def test_sections_are_wrapped_and_listed(page: str) -> None:
    for slug in ("key-messages", "the-month", "a-second-title", "figures-check"):
        assert f'<section class="hwb-section hwb-section--{slug}">' in page
    nav = re.search(r'<nav class="hwb-contents".*?</nav>', page, re.S).group(0)
    assert re.findall(r">([^<>]+)</a></li>", nav) == [
        "Key messages", "The month", "A second title", "Figures check"]
    assert 'See the figures check</a>' in page  # the cover links to the check section


def test_markers_explained_in_the_footer(page: str) -> None:
    footer = page[page.index('<footer class="hwb-footer">'):]
    assert '<span class="hwb-marker">[c]</span> confidential' in footer
    assert "[z]" not in footer  # not used on this page


def test_exporter_is_built_once_per_process() -> None:
    assert appendix.exporter() is appendix.exporter()


def test_export_leaves_the_notebook_alone_and_is_deterministic(
        notebook: nbformat.NotebookNode) -> None:
    before = nbformat.writes(notebook)
    first = appendix.export_html(notebook, META)
    assert nbformat.writes(notebook) == before
    assert appendix.export_html(notebook, META) == first


def test_missing_metadata_is_shown_as_not_recorded(notebook: nbformat.NotebookNode) -> None:
    page = appendix.export_html(notebook, {"params": {"area_name": "Rotherham",
                                                      "paper_title": "A paper"}})
    assert "<h1>A paper</h1>" in page
    assert page.count("not recorded") == 5  # commit, two hashes, build time, command
    assert "printed figures:" not in page


def test_ask_wording_and_dates() -> None:
    assert appendix._date_text("2018-01-25") == ("2018-01-25", "25 January 2018")
    assert appendix._date_text(None) == ("", "")
    assert set(appendix.ASK_OBJECT) == {"note", "receive", "approve", "discuss", "agree"}


def test_split_markdown_keeps_fenced_code_whole() -> None:
    src = "intro\n\n```\n## not a heading\n```\n\n## Real heading\n\ntext"
    chunks = appendix._split_markdown(src)
    assert [(lvl, head) for lvl, head, _ in chunks] == [(0, ""), (2, "Real heading")]
    assert "## not a heading" in chunks[0][2]


def test_house_colours_meet_wcag_text_contrast() -> None:
    """Every colour the stylesheet uses for text has at least 4.5:1 (WCAG 2.1 SC 1.4.3) on
    white and on the pale grey of the key-messages box and footer; the focus highlight is
    a background, with dark text on it."""
    from hwb.toolkit.charts import contrast_ratio

    css = (appendix.TEMPLATES / "hwb" / "hwb.css").read_text(encoding="utf-8")
    var = dict(re.findall(r"--hwb-([a-z-]+):\s*(#[0-9a-fA-F]{6})", css))
    for name in ("blue", "dark-blue", "text", "secondary", "red", "amber-text", "green"):
        for background in ("#ffffff", var["pale"], var["wash"]):
            assert contrast_ratio(var[name], background) >= 4.5, (name, background)
    assert contrast_ratio(var["text"], var["focus"]) >= 4.5
    assert contrast_ratio("#ffffff", var["blue"]) >= 4.5  # the masthead's white text


def test_figures_check_rows_link_to_their_derivation() -> None:
    """Each figures-check row is the anchor ``fig-<id>`` with ``data-figure``; a recorded figure's
    row carries a closed disclosure with the method, the inputs the run logged (with their
    SHA-256) and the parameters, all from the notebook's recorded outputs and ``meta``."""
    fig = {"id": "rotherham.actual.total", "text": "10.92", "unit": "per 100,000 per day",
           "method": "delayed days / 30 days / 18+ population x 100,000", "inputs": []}
    table = ('<table><tbody><tr><th scope="row">rotherham.<wbr>actual.<wbr>total</th>'
             '<td>10.92</td></tr><tr><th scope="row">rotherham.printed_only</th><td>3.5</td>'
             "</tr></tbody></table>")
    code = nbformat.v4.new_code_cell("x = 1")
    code.outputs = [_display({FIGURE_MIME: fig, "text/plain": ""}),
                    _display({INPUT_MIME: {"path": "data/dtoc/a.csv", "sha256": "ab" * 32},
                              "text/plain": ""}),
                    _display({"text/html": table, "text/plain": ""})]
    other = nbformat.v4.new_code_cell("y = 1")
    other.outputs = [_display({"text/html": table.replace("rotherham.", "elsewhere."),
                               "text/plain": ""})]
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# T\n\n## Key messages\n\nx"), other,
        nbformat.v4.new_markdown_cell("## Figures check\n\nEach printed figure."), code])
    page = appendix.export_html(nb, META)
    check = page.split('hwb-section--figures-check">', 1)[1]
    assert '<tr id="fig-rotherham.actual.total" data-figure="rotherham.actual.total">' in check
    assert '<tr id="fig-rotherham.printed_only" data-figure="rotherham.printed_only">' in check
    assert 'id="fig-elsewhere' not in page  # only the figures check's rows are figures
    derivation = re.search(r'<details class="hwb-derivation">(.*?)</details>', check, re.S)
    assert derivation and check.count("hwb-derivation") == 1  # the printed-only row has none
    text = derivation.group(1)
    assert "delayed days / 30 days / 18+ population x 100,000" in text
    assert "<code>data/dtoc/a.csv</code> sha256 <code>abababababababab</code>" in text
    assert "area_code=E08000018" in text and "10.92 per 100,000 per day" in text


def test_numbers_said_in_prose_carry_their_figure_id() -> None:
    """A figure put into prose by ``rec.say`` carries ``data-figure``; it links to its row in
    the figures check (``#fig-<id>``) only when the page has that row (here the check's
    data names "rate" but the page shows no figures-check table, so both are marked only:
    a mark never links to nothing)."""
    from hwb.toolkit.figures import Recorder

    rec = Recorder(publish=False)
    days = rec.record("days", "Delayed days", 674, unit="days")
    rate = rec.record("rate", "Rate", 10.9195, unit="per 100,000 per day", precision=2)
    said = rec.say("- **{days}** days, **{rate}** a day", days=days, rate=rate)
    data, md = said._repr_markdown_()
    code = nbformat.v4.new_code_cell("x")
    code.outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": data},
                                           metadata={"text/markdown": md}),
                    _display({CHECK_MIME: [{"figure_id": "rate"}], "text/plain": ""})]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T\n\n## K\n\nx"), code])
    page = appendix.export_html(nb, META)
    assert '<span class="hwb-fig" data-figure="days">674</span>' in page
    assert '<span class="hwb-fig" data-figure="rate">10.92</span>' in page
    assert 'href="#fig-' not in page
