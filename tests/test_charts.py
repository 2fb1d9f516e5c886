"""House style: numbered, sourced, accessible charts and tables; a palette readable on white.

Expected values come from outside the code: contrast ratios published by WebAIM's
contrast checker and the WCAG 2.1 definitions, marker meanings from the Government
Analysis Function's guidance on symbols in tables, and numbers worked by hand.
"""

from __future__ import annotations

import math
import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from hwb.toolkit import charts


@pytest.fixture(autouse=True)
def _fresh_numbering() -> None:
    charts.reset_numbering()


def _line_chart() -> plt.Figure:
    charts.style()
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3], [3.0, 4.0, 2.0], label="Area")
    ax.plot([1, 2, 3], [1.0, 2.0, 5.0], label="England")
    ax.set_ylim(bottom=0)
    return fig


# --- contrast ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fg", "bg", "published"), [
    ("#000000", "#ffffff", 21.0),  # WCAG 2.1: the maximum ratio
    ("#ffffff", "#ffffff", 1.0),  # WCAG 2.1: the minimum ratio
    ("#767676", "#ffffff", 4.54),  # WebAIM contrast checker: the lightest grey passing AA
    ("#777777", "#ffffff", 4.48),  # WebAIM: one step lighter, fails AA for text
    ("#0000ff", "#ffffff", 8.59),  # WebAIM: pure blue on white
])
def test_contrast_ratio_matches_published_values(fg: str, bg: str, published: float) -> None:
    assert round(charts.contrast_ratio(fg, bg), 2) == published


def test_contrast_ratio_is_symmetric_and_accepts_short_hex() -> None:
    assert charts.contrast_ratio("#fff", "#000") == charts.contrast_ratio("#000000", "#ffffff")


def test_contrast_ratio_rejects_a_non_hex_colour() -> None:
    with pytest.raises(ValueError, match="'navy'"):
        charts.contrast_ratio("navy")


@pytest.mark.parametrize("colour", charts.PALETTE)
def test_every_palette_colour_has_3_to_1_contrast_on_white(colour: str) -> None:
    """WCAG 2.1 SC 1.4.11 (non-text contrast): graphical objects need 3:1."""
    assert charts.contrast_ratio(colour, "#ffffff") >= 3.0


def test_palette_line_styles_and_markers_pair_up() -> None:
    """Each series differs from every other in colour, line style and marker."""
    n = len(charts.PALETTE)
    assert len(set(charts.PALETTE)) == n
    assert len(set(map(str, charts.LINESTYLES))) == n
    assert len(set(charts.MARKERS)) == n


def test_style_cycles_line_style_and_marker_with_colour() -> None:
    fig = _line_chart()
    a, b = fig.axes[0].get_lines()
    plt.close(fig)
    assert a.get_color() == charts.PALETTE[0] and b.get_color() == charts.PALETTE[1]
    assert a.get_linestyle() != b.get_linestyle()
    assert (a.get_marker(), b.get_marker()) == (charts.MARKERS[0], charts.MARKERS[1])


def test_label_lines_writes_each_series_name_at_its_end() -> None:
    fig = _line_chart()
    ax = fig.axes[0]
    charts.label_lines(ax, decimals=1)
    texts = {t.get_text(): t.xy for t in ax.texts}
    plt.close(fig)
    # the last points plotted above: (3, 2.0) and (3, 5.0)
    assert texts == {"Area 2.0": (3, 2.0), "England 5.0": (3, 5.0)}


# --- charts --------------------------------------------------------------------------------------


def test_chart_is_numbered_captioned_sourced_and_named() -> None:
    out = charts.chart(_line_chart(), "Delayed days", "NHS England, extracted 1 June 2018",
                       "Line chart of delayed days <rising>").text
    assert '<span class="hwb-num">Chart 1.</span> Delayed days' in out
    assert "Source: NHS England, extracted 1 June 2018" in out
    svg_open = re.search(r"<svg\b[^>]*>", out).group(0)
    assert 'role="img"' in svg_open and 'aria-labelledby="chart-1-title"' in svg_open
    assert '<title id="chart-1-title">Line chart of delayed days &lt;rising&gt;</title>' in out
    assert '<p class="hwb-alt" id="chart-1-alt">' in out  # visible text alternative
    assert "<rising>" not in out  # escaped


def test_two_charts_on_one_page_share_no_ids() -> None:
    page = (charts.chart(_line_chart(), "One", "S", "A").text
            + charts.chart(_line_chart(), "Two", "S", "B").text)
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert "Chart 2.</span> Two" in page
    # every reference (clip paths, xlink) points at an id defined on the page
    refs = re.findall(r"url\(#([^)]+)\)", page) + re.findall(r'href="#([^"]+)"', page)
    assert refs and set(refs) <= set(ids)
    # matplotlib's bare "*" style rule is scoped to its own chart
    assert not re.search(r"<style[^>]*>\s*\*", page)


def test_chart_data_table_formats_floats_at_the_given_precision() -> None:
    data = pd.DataFrame({"Month": ["Apr", "May"], "Rate": [1103.8333, float("nan")],
                         "Days": [1311, 14935]})
    out = charts.chart(_line_chart(), "Rates", "S", "A", data=data, data_decimals=1).text
    assert "<caption id=\"chart-1-data\">Data for chart 1: Rates</caption>" in out
    # 1103.8333 to one decimal is 1,103.8; integers get thousands separators
    assert '<td class="num">1,103.8</td>' in out and '<td class="num">14,935</td>' in out
    assert '<td class="num">[x]</td>' in out and "not available" in out


def test_chart_refuses_a_blank_text_alternative() -> None:
    fig = _line_chart()
    with pytest.raises(ValueError, match="alt"):
        charts.chart(fig, "Caption", "Source", "  ")
    plt.close(fig)


# --- tables --------------------------------------------------------------------------------------


def test_table_has_caption_scopes_and_numbering() -> None:
    df = pd.DataFrame({"Area": ["Rotherham", "England"], "Rate": ["10.92", "12.65"]})
    charts.table(df, "First", "S")
    out = charts.table(df, "Rates per 100,000", "ONS; NHS England").text
    assert '<caption id="table-2-caption">Table 2. Rates per 100,000</caption>' in out
    assert out.count('scope="col"') == 2 and out.count('scope="row"') == 2
    assert '<th scope="row">Rotherham</th><td class="num">10.92</td>' in out
    assert "Source: ONS; NHS England" in out
    assert 'role="region" aria-labelledby="table-2-caption" tabindex="0"' in out


def test_table_explains_the_markers_it_uses_once() -> None:
    df = pd.DataFrame({"Reason": ["A", "B", "C"], "Days": ["412", "[c]", None]})
    out = charts.table(df, "Reasons", "S").text
    assert '<td class="num">[c]</td>' in out and '<td class="num">[x]</td>' in out
    assert out.count("confidential") == 1 and out.count("not available") == 1
    assert "not applicable" not in out  # [z] is not used
    own = charts.table(df, "Reasons", "S", notes=["[c] fewer than 5 people."]).text
    assert "confidential" not in own  # the caller's own note already explains [c]


def test_marker_meanings_follow_the_analysis_function_guidance() -> None:
    """Government Analysis Function, "Symbols in tables": [c] confidential, [x] not
    available, [z] not applicable."""
    notes = charts.marker_notes()
    assert notes["[c]"].startswith("confidential")
    assert notes["[x]"].startswith("not available")
    assert notes["[z]"].startswith("not applicable")


def test_marker_wording_comes_from_disclosure_when_it_defines_it() -> None:
    disclosure = pytest.importorskip("hwb.toolkit.disclosure")
    markers = getattr(disclosure, "MARKERS", None)
    if not isinstance(markers, dict):
        pytest.skip("hwb.toolkit.disclosure defines no MARKERS mapping")
    notes = charts.marker_notes()
    for marker, meaning in markers.items():
        assert notes[marker if marker.startswith("[") else f"[{marker}]"] == meaning


# --- text alternatives ---------------------------------------------------------------------------


def test_describe_series_reads_the_data() -> None:
    # first 600.0, last 1,103.8 -> rising; the minimum is the first point, the maximum the last
    text = charts.describe_series("Line chart", "delayed days per 100,000",
                                  ["Apr 2016", "Oct 2016", "Mar 2017"], [600.0, 850.25, 1103.8])
    assert text == ("Line chart of delayed days per 100,000 from Apr 2016 to Mar 2017, rising "
                    "from 600.0 to 1,103.8; lowest 600.0 (Apr 2016), highest 1,103.8 (Mar 2017).")


def test_describe_series_leaves_out_and_counts_missing_values() -> None:
    text = charts.describe_series("Bar chart", "uptake", ["A", "B", "C", "D"],
                                  [None, 40.0, math.nan, 35.5], unit="percent", decimals=1)
    assert text == ("Bar chart of uptake from B to D, falling from 40.0% to 35.5%; lowest 35.5% "
                    "(D), highest 40.0% (B); 2 values not available.")


def test_describe_series_with_mismatched_lengths_names_the_problem() -> None:
    with pytest.raises(ValueError, match="3 x values but 2 y values"):
        charts.describe_series("Line chart", "x", [1, 2, 3], [1.0, 2.0])


def test_describe_groups_one_sentence_per_series() -> None:
    df = pd.DataFrame({"m": ["Apr", "May", "Apr", "May"], "v": [5.0, 5.0, 2.0, 3.0],
                       "s": ["Area", "Area", "England", "England"]})
    text = charts.describe_groups("Line chart", "rates", df, "m", "v", "s", decimals=0)
    assert text == ("Line chart of rates, 2 series. Area: from Apr to May, unchanged from 5 to 5; "
                    "lowest 5 (Apr), highest 5 (Apr). England: from Apr to May, rising from 2 "
                    "to 3; lowest 2 (Apr), highest 3 (May).")
    with pytest.raises(KeyError, match="'area'"):
        charts.describe_groups("Line chart", "rates", df, "m", "v", "area")


def _viewbox(svg: str) -> list[float]:
    return [float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split()]


def test_chart_is_cropped_as_matplotlib_crops_it_with_one_draw() -> None:
    """The crop is matplotlib's own ``savefig(bbox_inches="tight")`` (the reference), here a
    legend hung below the axes and a label beyond the figure's right edge, both outside the
    8 x 4.2 in figure; the white background reaches the whole crop."""
    import io

    def fig() -> plt.Figure:
        f, ax = plt.subplots(figsize=(8, 4.2))
        ax.plot([0, 1, 2], [3.0, 5.0, 4.0], label="Series")
        ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.3))
        ax.text(1.05, 0.5, "a label past the right edge of the figure", transform=ax.transAxes)
        return f

    ref = fig()
    buf = io.StringIO()
    ref.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(ref)
    want = _viewbox(buf.getvalue())
    svg = charts._draw_svg(fig())
    got = _viewbox(svg)
    assert got[2] == pytest.approx(want[2], abs=0.01)  # width, pt
    assert got[3] == pytest.approx(want[3], abs=0.01)  # height, pt
    assert got[2] > 8 * 72 and got[3] > 4.2 * 72  # bigger than the figure: nothing cut off
    x0, y0, w, h = got
    bg = re.search(r'<g id="patch_1">\s*<path d="([^"]+)"', svg).group(1).split()
    corners = [float(v) for v in bg if v not in ("M", "L", "z")]
    assert min(corners[0::2]) == pytest.approx(x0, abs=1e-3)
    assert max(corners[0::2]) == pytest.approx(x0 + w, abs=1e-3)
    assert min(corners[1::2]) == pytest.approx(y0, abs=1e-3)
    assert max(corners[1::2]) == pytest.approx(y0 + h, abs=1e-3)


def test_text_sizes_and_layouts_kept_across_charts_change_nothing_drawn(monkeypatch) -> None:
    """The renderer that keeps measured text sizes for the next chart
    (``charts._renderer_class``) and the table of text layouts (``charts._layouts_kept``) draw
    the same SVG, byte for byte, as matplotlib's own SVG renderer measuring and laying out
    every text afresh: the reference is the chart drawn with the plain ``RendererSVG`` and no
    layout table; then the same chart twice with both (the second time every size and layout
    comes from the tables)."""
    import contextlib

    from matplotlib.backends.backend_svg import RendererSVG

    def fig() -> plt.Figure:
        charts.style()
        f, ax = plt.subplots(figsize=(8, 4.2))
        ax.plot([0, 1, 2], [3.0, 5.0, 4.0], label="Series")
        ax.set_title("A title, mathtext $x^2$ too", loc="left")
        ax.set_xticks([0, 1, 2], ["Apr 2016", "May 2016", "Jun 2016"], rotation=45, ha="right")
        ax.set_ylabel("Two lines\nof label")
        ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.3), fontsize=8)
        ax.text(1, 4.5, "bold words", fontweight="bold", fontsize=9)
        ax.annotate("4.0: last", (2, 4.0), xytext=(6, 8), textcoords="offset points",
                    ha="right", rotation=10)
        return f

    monkeypatch.setattr(charts, "_RENDERER", RendererSVG)
    monkeypatch.setattr(charts, "_layouts_kept", contextlib.nullcontext)
    want = charts._draw_svg(fig())
    monkeypatch.undo()
    monkeypatch.setattr(charts, "_RENDERER", None)
    charts._TEXT_SIZES.clear()
    charts._FONT_HEIGHTS.clear()
    charts._LAYOUTS.clear()
    first = charts._draw_svg(fig())
    assert charts._TEXT_SIZES and charts._FONT_HEIGHTS and charts._LAYOUTS  # measured, kept
    again = charts._draw_svg(fig())
    assert first == want
    assert again == want
    plt.close("all")


def test_layouts_are_kept_only_while_a_chart_is_drawn() -> None:
    """matplotlib's own text layout is back once a chart is drawn (and if drawing fails)."""
    from matplotlib.text import Text

    own = Text._get_layout
    with pytest.raises(RuntimeError), charts._layouts_kept():
        assert Text._get_layout is not own
        raise RuntimeError
    assert Text._get_layout is own
