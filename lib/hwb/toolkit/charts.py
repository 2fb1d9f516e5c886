"""House style for charts and tables: numbered, captioned, sourced and accessible.

Notebooks show every chart with :func:`chart` and every table with
:func:`table`.  Each is numbered in order ("Chart 1.", "Table 2."), carries a
caption and a "Source:" line, and is rendered as accessible HTML: charts as
inline SVG with ``role="img"``, a ``<title>`` and a visible text alternative,
plus the chart's data as a table; tables with ``<caption>`` and header scopes.
All text taken from data is escaped.

Colour is never the only carrier of meaning: :func:`style` cycles line styles
and markers together with the colours of :data:`PALETTE`, and
:func:`label_lines` writes each series' name at the end of its line.  Every
colour of :data:`PALETTE` has a contrast ratio of at least 3:1 against white
(WCAG 2.1 success criterion 1.4.11, non-text contrast); see
:func:`contrast_ratio`.

Suppression and shorthand markers follow the Government Analysis Function's
guidance on symbols in tables: ``[c]`` confidential (suppressed), ``[x]`` not
available, ``[z]`` not applicable.  A table that shows one gets a note saying
what it means (:data:`MARKER_NOTES`).
"""

from __future__ import annotations

import contextlib
import html
import io
import math
import re
from collections.abc import Iterator, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from hwb.protocol import MARKER_NOTES, markers_in  # noqa: E402

# Okabe-Ito, darkened where needed for >= 3:1 contrast on white; used with line styles and markers.
PALETTE = ("#0b5394", "#b35900", "#00784a", "#a3195b", "#5c5c5c", "#7a5d00")
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1)))
MARKERS = ("o", "s", "^", "D", "v", "P")

_counter = {"chart": 0, "table": 0}

NOT_ZERO = " (axis does not start at zero)"
"""What a value axis label adds when the axis does not start at zero (:func:`baseline_problems`)."""
NOT_ZERO_WORDS = re.compile(r"(?:does|do) not start at zero|not starting at zero|"
                            r"not from zero|non-zero baseline", re.I)
"""How a label or a description says that the value axis does not start at zero."""


def reset_numbering() -> None:
    """Start chart and table numbers again from 1 (the extension does this per run)."""
    _counter["chart"] = 0
    _counter["table"] = 0


def style() -> None:
    """Apply the house style to matplotlib/seaborn (called by the IPython extension).

    Lines cycle colour, line style and marker together, so that two series are
    told apart without colour.  Text stays text in the SVG output (selectable,
    read by screen readers) and element ids are deterministic.
    """
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook", palette=list(PALETTE))
    matplotlib.rcParams.update({
        "svg.fonttype": "none",  # text stays text in SVG: selectable, readable by screen readers
        "svg.hashsalt": "hwb",  # deterministic ids
        "font.family": "sans-serif",
        "font.size": 11,
        "axes.titlesize": 12,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "figure.figsize": (8, 4.2),
        "figure.dpi": 100,
        "lines.linewidth": 2.0,
        "lines.markersize": 5.5,
        "axes.prop_cycle": (matplotlib.cycler(color=list(PALETTE))
                            + matplotlib.cycler(linestyle=list(LINESTYLES))
                            + matplotlib.cycler(marker=list(MARKERS))),
    })


def marker_notes() -> dict[str, str]:
    """The meaning of each marker (:data:`hwb.protocol.MARKER_NOTES`).

    Examples
    --------
    >>> sorted(marker_notes())
    ['[c]', '[x]', '[z]']
    """
    return dict(MARKER_NOTES)


def _luminance(colour: str) -> float:
    h = colour.strip().lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    if not re.fullmatch(r"[0-9a-fA-F]{6}", h):
        raise ValueError(f"colour {colour!r}: expected a hex colour such as '#0b5394'")
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(foreground: str, background: str = "#ffffff") -> float:
    """WCAG 2.1 contrast ratio of two hex colours, from 1 (none) to 21 (black on white).

    Parameters
    ----------
    foreground, background : str
        Hex colours, ``"#rrggbb"`` or ``"#rgb"``.

    Returns
    -------
    float
        ``(L1 + 0.05) / (L2 + 0.05)`` with ``L1`` the lighter relative luminance.

    Notes
    -----
    Relative luminance and contrast ratio as defined in WCAG 2.1 (W3C, 2018),
    "relative luminance" and "contrast ratio" definitions; text needs 4.5:1
    (SC 1.4.3), chart lines and markers 3:1 (SC 1.4.11).

    Examples
    --------
    >>> contrast_ratio("#000000"), round(contrast_ratio("#767676"), 2)
    (21.0, 4.54)
    """
    a, b = _luminance(foreground), _luminance(background)
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


def _draw_svg(fig: Any) -> str:
    """The figure drawn once as SVG, cropped to what is drawn (as ``bbox_inches="tight"``).

    ``savefig(bbox_inches="tight")`` lays the figure out and measures every text on one
    renderer, then draws it on another, measuring every text again.  Here the figure is drawn
    once, the box of what was drawn is measured on the same renderer (whose text sizes are
    already known), and the SVG's ``viewBox`` is set to that box with matplotlib's usual
    padding (``savefig.pad_inches``); the white figure background is stretched to it.
    """
    from matplotlib.backends.backend_mixed import MixedModeRenderer

    engine = fig.get_layout_engine()
    if engine is not None:
        # Laid out once here (the placeholder that fig.tight_layout() leaves does nothing).
        engine.execute(fig)
        fig.set_layout_engine(None)
    buf = io.StringIO()
    dpi = fig.dpi
    width, height = fig.get_size_inches()
    fig.dpi = 72  # SVG units are points, as matplotlib's own SVG printer sets
    try:
        renderer = MixedModeRenderer(fig, width, height, dpi,
                                     _renderer_class()(width * 72, height * 72, buf,
                                                       image_dpi=dpi, metadata={"Date": None}))
        with _layouts_kept():
            fig.draw(renderer)
            renderer.finalize()
            box = fig.get_tightbbox(renderer).padded(matplotlib.rcParams["savefig.pad_inches"])
    finally:
        fig.dpi = dpi
    svg = buf.getvalue()
    x0, y0, w, h = (72 * box.x0, 72 * (height - box.y1), 72 * box.width, 72 * box.height)
    full_w, full_h = _num(72 * width), _num(72 * height)
    svg = re.sub(r'width="[^"]*" height="[^"]*" viewBox="[^"]*"',
                 f'width="{_num(w)}pt" height="{_num(h)}pt" '
                 f'viewBox="{_num(x0)} {_num(y0)} {_num(w)} {_num(h)}"', svg, count=1)
    # the figure's background (drawn first: patch_1, a rectangle over the figure) fills the box
    a, b, c, d = _num(x0), _num(y0), _num(x0 + w), _num(y0 + h)
    whole = (rf'(<g id="patch_1">\s*<path d=")M 0 {re.escape(full_h)}\s+L {re.escape(full_w)} '
             rf'{re.escape(full_h)}\s+L {re.escape(full_w)} 0\s+L 0 0\s+z\s*"')
    return re.sub(whole, rf'\g<1>M {a} {d} L {c} {d} L {c} {b} L {a} {b} z"', svg, count=1)


_TEXT_SIZES: dict[tuple[Any, ...], tuple[float, float, float]] = {}
"""Text sizes measured by the chart renderer, kept from chart to chart (:func:`_renderer_class`)."""
_FONT_HEIGHTS: dict[tuple[Any, ...], tuple[float, float, float]] = {}
"""Font ascent, descent and line gap per font (:func:`_renderer_class`)."""


def _renderer_class() -> type:
    """matplotlib's SVG renderer that keeps what it measured for the next chart.

    matplotlib measures each text (its width, height and descent, and its font's ascent and
    descent) once per renderer, and every chart gets a new renderer, so the tick labels,
    legends and titles that every chart of an appendix (and every board of a national run)
    shares were measured again for each chart: a third of a chart's drawing.  A size depends
    only on the text, its font properties and the hinting settings (the SVG is always
    measured at 72 dpi, the points of its coordinates), so this renderer looks each up in a
    table kept by the kernel.  What is drawn is unchanged.
    """
    global _RENDERER
    if _RENDERER is None:
        from matplotlib.backends.backend_svg import RendererSVG

        class _KeepingSizes(RendererSVG):  # type: ignore[misc]
            def get_text_width_height_descent(self, s: str, prop: Any,
                                              ismath: Any) -> tuple[float, float, float]:
                rc = matplotlib.rcParams
                key = (s, prop.copy(), ismath, rc["text.hinting"], rc["text.hinting_factor"],
                       rc["mathtext.fontset"])
                got = _TEXT_SIZES.get(key)
                if got is None:
                    if len(_TEXT_SIZES) > 50_000:
                        _TEXT_SIZES.clear()
                    got = _TEXT_SIZES[key] = super().get_text_width_height_descent(s, prop,
                                                                                   ismath)
                return got

            def _get_font_height_metrics(self, prop: Any) -> tuple[Any, Any, Any]:
                # what matplotlib.text.Text._get_layout computes for a font (at 72 dpi)
                key = (prop.copy(),)
                got = _FONT_HEIGHTS.get(key)
                if got is None:
                    got = _FONT_HEIGHTS[key] = _font_heights(prop)
                return got

        _RENDERER = _KeepingSizes
    return _RENDERER


_RENDERER: type | None = None

_LAYOUTS: dict[tuple[Any, ...], tuple[Any, Any, Any]] = {}
"""Text layouts worked out while charts were drawn, kept chart to chart (:func:`_layouts_kept`)."""


def _layout_key(text: Any, renderer: Any) -> tuple[Any, ...] | None:
    """Everything ``Text._get_layout`` reads: the text, its font, alignment and rotation, the
    figure's dpi, the renderer's kind and the settings text sizes depend on (as the size table
    of :func:`_renderer_class` keys them); None for wrapped or TeX text (not kept)."""
    if text.get_wrap() or text.get_usetex():
        return None
    rc = matplotlib.rcParams
    return (text.get_text(), text._fontproperties.copy(), text.get_figure(root=True).dpi,
            text.get_rotation(), text.get_rotation_mode(), text.get_horizontalalignment(),
            text.get_verticalalignment(), text._multialignment, text._linespacing,
            text.get_parse_math(), type(getattr(renderer, "_renderer", renderer)),
            rc["text.hinting"], rc["text.hinting_factor"], rc["mathtext.fontset"])


@contextlib.contextmanager
def _layouts_kept() -> Iterator[None]:
    """While a chart is drawn and its box measured, each text's layout is looked up in a table
    kept by the kernel (:data:`_LAYOUTS`).

    matplotlib lays a text out (its lines' sizes, alignment, rotated box) each time it is drawn
    or measured: a tick label some five times a chart (its draw, the axis label's placement,
    the spines, the box of what was drawn), a legend's texts at every level of its boxes, and
    the same labels again on the next chart.  A layout is a function of what
    :func:`_layout_key` lists, so it is computed once per key; each caller gets its own copy of
    the box.  What is drawn is unchanged.  matplotlib's ``Text._get_layout`` is replaced only
    inside this block (the kernel draws one chart at a time).
    """
    from matplotlib.text import Text

    measure = Text.__dict__["_get_layout"]

    def kept(self: Any, renderer: Any) -> tuple[Any, Any, Any]:
        key = _layout_key(self, renderer)
        if key is None:
            return measure(self, renderer)
        got = _LAYOUTS.get(key)
        if got is None:
            if len(_LAYOUTS) > 50_000:
                _LAYOUTS.clear()
            got = _LAYOUTS[key] = measure(self, renderer)
        bbox, lines, box = got
        return bbox.frozen(), list(lines), box

    Text._get_layout = kept
    try:
        yield
    finally:
        Text._get_layout = measure


def _font_heights(prop: Any) -> tuple[Any, Any, Any]:
    """A font's ascent, descent and line gap in points, as ``Text._get_layout`` reads them
    from its OS/2 or hhea table (None, None, None when it has neither: matplotlib then
    measures the text "lp")."""
    from matplotlib.font_manager import fontManager, get_font

    font = get_font(fontManager._find_fonts_by_props(prop))
    for table_name, gap, ascent, descent in (
            ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
            ("hhea", "lineGap", "ascent", "descent")):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        scale = prop.get_size_in_points() / font.get_sfnt_table("head")["unitsPerEm"]
        return table[ascent] * scale, -table[descent] * scale, table[gap] * scale
    return None, None, None


def warm() -> None:
    """Draw one chart of each common kind in the house style, unshown, so that a process
    forked afterwards (a kernel from the zygote, :mod:`hwb.core.zygote`) finds matplotlib's
    fonts loaded, its SVG renderer ready and the usual labels' sizes measured
    (:func:`_renderer_class`): the first chart of a fresh kernel otherwise costs about
    2.5 times the next.  matplotlib's settings are left as they were.

    Examples
    --------
    >>> before = dict(matplotlib.rcParams)
    >>> warm()
    >>> dict(matplotlib.rcParams) == before, any(k[0] == "Apr 2011" for k in _TEXT_SIZES)
    (True, True)
    """
    labels = [f"{m} {y}" for y in range(2011, 2020) for m in ("Jan", "Feb", "Mar", "Apr", "May",
                                                              "Jun", "Jul", "Aug", "Sep", "Oct",
                                                              "Nov", "Dec")]
    with matplotlib.rc_context():
        style()
        fig, ax = plt.subplots(figsize=(8, 5.6))
        ax.plot(range(12), [float(i % 5) for i in range(12)], label="Series")
        ax.plot(range(12), [2.0] * 12, linestyle="--", marker="", label="Mean")
        ax.scatter(range(12), [float(i % 5) for i in range(12)], marker="^", label="Points")
        ax.set_xticks(range(12), labels[:12], rotation=45, ha="right")
        ax.set_title("Title", loc="left", pad=20, y=1.0)
        ax.text(0, 1.01, "Verdicts.", transform=ax.transAxes, fontsize=9, va="bottom")
        ax.annotate("1.00: common cause", (11, 1.0), xytext=(6, 8), textcoords="offset points",
                    fontsize=9, ha="right")
        ax.set_ylabel("Per 100,000 aged 18+")
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0.0, -0.22), ncol=2,
                  frameon=False)
        _draw_svg(fig)
        plt.close(fig)
        fig, ax = plt.subplots()
        ax.barh([0, 1], [3.0, 4.0], hatch=["///", None], edgecolor="white")
        ax.set_yticks([0, 1], ["A council (this board)", "Another"])
        ax.get_yticklabels()[0].set_fontweight("bold")
        ax.text(4.0, 1, " 4.0", va="center", fontsize=9)
        _draw_svg(fig)
        plt.close(fig)


def _num(v: float) -> str:
    """A coordinate as matplotlib's SVG writer prints one (``576``, ``403.2``)."""
    return f"{v:f}".rstrip("0").rstrip(".")


def _svg(fig: Any, prefix: str) -> str:
    """The figure as inline SVG whose ids (and references to them) start with ``prefix``.

    Several charts share one page, and matplotlib numbers ids per figure, so
    unprefixed ids would collide (and clip paths would point at the wrong chart).
    """
    svg = _draw_svg(fig)
    plt.close(fig)
    svg = svg[svg.find("<svg"):]  # drop the XML prolog and doctype
    # Every id and every reference to one (``clip-path="url(#...)"``, ``xlink:href="#..."``)
    # gets the prefix.  matplotlib's SVG writer puts one space before each attribute, so plain
    # replacements find them: three passes of a regular expression over the whole SVG cost a
    # twentieth of drawing the chart.
    svg = (svg.replace(' id="', f' id="{prefix}').replace("url(#", f"url(#{prefix}")
           .replace('href="#', f'href="#{prefix}'))
    # matplotlib's stylesheet uses a bare "*" selector: keep it inside this chart.
    svg = re.sub(r"(<style[^>]*>\s*(?:<!\[CDATA\[)?\s*)\*\s*\{", rf"\1#{prefix}svg *{{", svg,
                 count=1)
    svg = re.sub(r"<svg\b", f'<svg id="{prefix}svg"', svg, count=1)
    return svg


class _Html:
    """Rich output shown as HTML in JupyterLab and in the exported appendix."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_html_(self) -> str:
        return self.text

    def __repr__(self) -> str:  # the text/plain fallback: no object address in outputs
        return ""


Html = _Html
"""Rich output shown as HTML (``Html(text)``), for papers and toolkit modules that build it."""


def chart(fig: Any, caption: str, source: str, alt: str, data: pd.DataFrame | None = None,
          data_decimals: int = 1) -> _Html:
    """Show a matplotlib figure as a numbered, accessible chart.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The chart; it is closed once rendered.
    caption : str
        What the chart shows ("Delayed days per 100,000 aged 18+, by month").
    source : str
        Dataset and extract date, shown as "Source: ...".
    alt : str
        Text alternative, generated from the data by the caller (see
        :func:`describe_series`).  It is the SVG's accessible name and is also
        shown under the chart.  Made by :meth:`hwb.toolkit.figures.Recorder.describe`,
        each recorded figure in the shown text is marked (:func:`marked_description`).
    data : DataFrame, optional
        The chart's data, shown as a table under a "Chart data" disclosure
        (the data-table view of the chart).  Every chart in an appendix should
        pass it.
    data_decimals : int
        Decimals for float columns of ``data``.

    Raises
    ------
    ValueError
        ``alt`` is blank, or the chart breaks the baseline rule (:func:`baseline_problems`:
        bars start at zero; a value axis that leaves zero out says so on the axis and in
        ``alt``).

    Returns
    -------
    object
        Displayed as HTML: ``<figure>`` with a numbered ``<figcaption>``, the
        SVG (``role="img"``, ``<title>``), the text alternative, the Source
        line and the data table.
    """
    if not str(alt).strip():
        raise ValueError(f"chart {caption!r}: alt (the text alternative) must not be blank")
    problems = baseline_problems(fig, alt)
    if problems:
        plt.close(fig)
        raise ValueError(f"chart {caption!r}: {problems[0]}")
    _counter["chart"] += 1
    n = _counter["chart"]
    prefix = f"hwb-c{n}-"
    svg = _svg(fig, prefix)
    title_id = f"chart-{n}-title"
    alt_id = f"chart-{n}-alt"
    svg = re.sub(r"<svg\b", f'<svg role="img" aria-labelledby="{title_id}"', svg, count=1)
    svg = re.sub(r"(<svg[^>]*>)", rf'\1<title id="{title_id}">{html.escape(alt)}</title>', svg,
                 count=1)
    parts = [
        f'<figure class="hwb-chart" id="chart-{n}" aria-describedby="{alt_id}">',
        f'<figcaption><span class="hwb-num">Chart {n}.</span> {html.escape(caption)}'
        "</figcaption>",
        f'<div class="hwb-svg">{svg}</div>',
        f'<p class="hwb-alt" id="{alt_id}"><span class="hwb-alt-label">Description:</span> '
        f"{marked_description(alt)}</p>",
        f'<p class="hwb-source">Source: {html.escape(source)}</p>',
    ]
    if data is not None:
        shown = _format_frame(data, data_decimals)
        body = _table_html(shown, f"Data for chart {n}: {caption}", row_header=True,
                           caption_id=f"chart-{n}-data")
        parts.append('<details class="hwb-chart-data"><summary>Chart data (table)</summary>'
                     f'<div class="hwb-scroll" role="region" aria-labelledby="chart-{n}-data" '
                     f'tabindex="0">{body}</div>{_notes_html(body, ())}</details>')
    parts.append("</figure>")
    return _Html("\n".join(parts))


def _includes_zero(lo: float, hi: float) -> bool:
    lo, hi = min(lo, hi), max(lo, hi)
    slack = 1e-9 * max(abs(hi - lo), 1.0)
    return lo <= slack and hi >= -slack


def baseline_problems(fig: Any, alt: str) -> list[str]:
    """Where a chart could mislead by its baseline; empty when it keeps the house rule.

    The rule (issue 17: charts that do not mislead): bars start at zero, so the value axis of
    a bar chart (y for vertical bars, x for horizontal) includes zero and is not logarithmic;
    a chart of lines or points whose value axis leaves zero out says so on that axis (its
    label, :data:`NOT_ZERO`) and in its description (``alt``), in words such as "does not
    start at zero" (:data:`NOT_ZERO_WORDS`).

    Notes
    -----
    Government Analysis Function, *Data visualisation: charts* (2023): bar charts must start
    at zero, since the bar's length is the value; a line chart may start elsewhere when
    that is clearly labelled.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> _ = ax.bar([0, 1], [7000, 7400]); _ = ax.set_ylim(6900, 7500)
    >>> baseline_problems(fig, "Bars")
    ['bars on chart axes 1 do not start at zero (the y axis runs from 6,900 to 7,500)']
    >>> _ = ax.set_ylim(0, 7500); baseline_problems(fig, "Bars")
    []
    >>> plt.close(fig)
    """
    problems = []
    for n, ax in enumerate(fig.axes, start=1):
        bars = [c for c in ax.containers if isinstance(c, matplotlib.container.BarContainer)]
        for c in bars:
            axis = "x" if getattr(c, "orientation", "vertical") == "horizontal" else "y"
            lo, hi = ax.get_xlim() if axis == "x" else ax.get_ylim()
            scale = ax.get_xscale() if axis == "x" else ax.get_yscale()
            if scale != "linear" or not _includes_zero(lo, hi):
                problems.append(f"bars on chart axes {n} do not start at zero (the {axis} axis "
                                f"runs from {_axis_value(lo)} to {_axis_value(hi)}"
                                + (f", {scale} scale" if scale != "linear" else "") + ")")
                break
        drawn = [ln for ln in ax.get_lines() if ln.get_visible() and len(ln.get_ydata()) > 1]
        if bars or not (drawn or ax.collections):
            continue
        lo, hi = ax.get_ylim()
        if _includes_zero(lo, hi):
            continue
        where = f"the y axis of chart axes {n} runs from {_axis_value(lo)} to {_axis_value(hi)}"
        if not NOT_ZERO_WORDS.search(ax.get_ylabel()):
            problems.append(f"{where} but its label ({ax.get_ylabel()!r}) does not say that it "
                            "does not start at zero")
        if not NOT_ZERO_WORDS.search(str(alt)):
            problems.append(f"{where} but the description does not say that it does not start "
                            "at zero")
    return problems


def _axis_value(v: float) -> str:
    from hwb.fmt import format_number

    return format_number(v, 0 if abs(v) >= 100 else 2)


def marked_description(alt: str) -> str:
    """A chart description as HTML: escaped, with each recorded figure it states marked.

    A :class:`hwb.toolkit.figures.Description` knows where its figures stand: each is marked
    as the appendix marks a figure in prose, a link to its figures-check row when it has one
    (``<a class="hwb-fig" data-figure="id" href="#fig-id">``), else a ``data-figure`` span.
    Plain text is only escaped.

    Examples
    --------
    >>> from hwb.toolkit.figures import Description
    >>> marked_description(Description("Mean 9.91 & more", [{"id": "m", "start": 5, "end": 9}]))
    'Mean <span class="hwb-fig" data-figure="m">9.91</span> &amp; more'
    >>> marked_description("3 < 4")
    '3 &lt; 4'
    """
    out, pos = [], 0
    for sp in sorted(getattr(alt, "spans", ()), key=lambda x: x["start"]):
        a, b = int(sp["start"]), int(sp["end"])
        out.append(html.escape(alt[pos:a]))
        out.append(mark_figure(str(sp["id"]), html.escape(alt[a:b]), bool(sp.get("linked"))))
        pos = b
    out.append(html.escape(alt[pos:]))
    return "".join(out)


def mark_figure(figure_id: str, shown: str, linked: bool) -> str:
    """A recorded figure's shown text (already HTML) marked with its id, as the appendix marks
    every figure: a link to its figures-check row when it has one (a printed figure), else a
    ``data-figure`` span.

    Examples
    --------
    >>> mark_figure("a.b", "9.9", True)
    '<a class="hwb-fig" data-figure="a.b" href="#fig-a.b">9.9</a>'
    >>> mark_figure("a.b", "9.9", False)
    '<span class="hwb-fig" data-figure="a.b">9.9</span>'
    """
    q = html.escape(figure_id, quote=True)
    return (f'<a class="hwb-fig" data-figure="{q}" href="#fig-{q}">{shown}</a>' if linked
            else f'<span class="hwb-fig" data-figure="{q}">{shown}</span>')


def _format_frame(df: pd.DataFrame, decimals: int) -> pd.DataFrame:
    """Floats at ``decimals`` places and integers with thousands separators, as text."""
    from hwb.fmt import format_number

    out = df.reset_index(drop=not _named_index(df)).copy()
    for c in out.columns:
        col = out[c]
        if pd.api.types.is_bool_dtype(col):
            continue
        if pd.api.types.is_integer_dtype(col):
            out[c] = [format_number(v, 0) for v in col]
        elif pd.api.types.is_float_dtype(col):
            out[c] = [format_number(v, decimals) for v in col]
    return out


def _named_index(df: pd.DataFrame) -> bool:
    return any(n is not None for n in df.index.names)


_LONG_TOKEN = re.compile(r"\S{16,}")
_BREAK_AFTER = re.compile(r"([._/\\-])")


def _breakable(text: str) -> str:
    """Escaped text in which long identifiers and paths may wrap after ``. _ / \\ -``.

    Ordinary words never break mid-word; ``rotherham.tab44_days.2018-19-q3`` or
    ``data/dtoc/population.csv`` get ``<wbr>`` after each separator so a wide
    table still fits an A4 page.

    Examples
    --------
    >>> _breakable("see data/dtoc/population_18plus.csv now")
    'see data/<wbr>dtoc/<wbr>population_<wbr>18plus.<wbr>csv now'
    """
    out, last = [], 0
    for m in _LONG_TOKEN.finditer(text):
        out.append(html.escape(text[last:m.start()]))
        parts = _BREAK_AFTER.split(m.group(0))
        out.append("".join(html.escape(p) + ("<wbr>" if _BREAK_AFTER.fullmatch(p) else "")
                           for p in parts if p))
        last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def _is_figure(v: Any) -> bool:
    """A recorded figure (:class:`hwb.toolkit.figures.Figure`): it has an id, a shown text
    and a printed value or none."""
    return all(hasattr(v, a) for a in ("id", "text", "printed", "precision"))


def _cell(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return "[x]"
    if _is_figure(v):  # a recorded figure in a table: its text, marked with its id
        return mark_figure(str(v.id), _breakable(v.text), v.printed is not None)
    return _breakable(str(v))


_NUMERIC = re.compile(r"[-−–]?[£]?[-−–]?[\d,.]+(?:%|[kmbn]| ?[cxz]\])?|\[[cxz]\]")


def _is_num(v: Any) -> bool:
    if isinstance(v, bool):
        return False
    if _is_figure(v):
        v = v.text
    return isinstance(v, (int, float)) or bool(_NUMERIC.fullmatch(str(v).strip()))


def _table_html(df: pd.DataFrame, caption: str, row_header: bool = True,
                caption_id: str = "") -> str:
    rows_in = list(df.itertuples(index=False, name=None))
    # a column whose every shown value is a number (or a marker) is right-aligned, header too
    numeric = [bool(rows_in) and all(_is_num(r[j]) or _cell(r[j]) in ("", "[x]") for r in rows_in)
               and any(_is_num(r[j]) for r in rows_in) for j in range(len(df.columns))]
    num_class = ' class="num"'
    head = "".join(
        f'<th scope="col"{num_class if numeric[j] and not (j == 0 and row_header) else ""}>'
        f"{html.escape(str(c))}</th>" for j, c in enumerate(df.columns))
    rows = []
    for r in rows_in:
        cells = []
        for j, v in enumerate(r):
            text = _cell(v)
            if j == 0 and row_header:
                cells.append(f'<th scope="row">{text}</th>')
            else:
                cells.append(f'<td class="{"num" if _is_num(v) else "txt"}">{text}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    cid = f' id="{caption_id}"' if caption_id else ""
    return (f'<table class="hwb-table"><caption{cid}>{html.escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _notes_html(body: str, notes: Sequence[str]) -> str:
    text = " ".join(notes)
    parts = [f'<p class="hwb-note">{html.escape(x)}</p>' for x in notes]
    meanings = marker_notes()
    explained = [m for m in markers_in(body) if m not in text]
    if explained:
        parts.append('<p class="hwb-note hwb-markers">Symbols: '
                     + "; ".join(f"<span class=\"hwb-marker\">{html.escape(m)}</span> "
                                 f"{html.escape(meanings[m])}" for m in explained) + ".</p>")
    return "".join(parts)


def table(df: pd.DataFrame, caption: str, source: str, notes: Sequence[str] = (),
          row_header: bool = True) -> _Html:
    """Show a DataFrame as a numbered, accessible table.

    Parameters
    ----------
    df : DataFrame
        Values already formatted for display (strings at printed precision,
        suppressed cells as ``[c]``); missing values are shown as ``[x]``.  A recorded
        figure (what :meth:`hwb.toolkit.figures.Recorder.record` returns) in a cell is
        shown as its text and marked with its id (:func:`mark_figure`), so the number
        links to its row in the figures check.
    caption : str
        What the table shows; rendered as ``<caption>`` "Table n. ...".
    source : str
        Dataset and extract date, shown as "Source: ...".
    notes : sequence of str
        Notes under the table.  A note explaining each marker the table uses
        (``[c]``, ``[x]``, ``[z]``) is added unless a note already names it.
    row_header : bool
        The first column holds row headers (``<th scope="row">``).

    Returns
    -------
    object
        Displayed as HTML.

    Examples
    --------
    >>> reset_numbering()
    >>> t = table(pd.DataFrame({"Area": ["A"], "Count": ["[c]"]}), "Counts", "Test data")
    >>> '<caption id="table-1-caption">Table 1. Counts</caption>' in t.text
    True
    >>> "[c]</span> confidential" in t.text
    True
    >>> from hwb.toolkit.figures import Recorder
    >>> days = Recorder(publish=False).record("a.days", "Delayed days", 1234, "days", 0)
    >>> t = table(pd.DataFrame({"Area": ["A"], "Days": [days]}), "Days", "Test data")
    >>> '<td class="num"><span class="hwb-fig" data-figure="a.days">1,234</span></td>' in t.text
    True
    """
    _counter["table"] += 1
    n = _counter["table"]
    body = _table_html(df.reset_index(drop=True), f"Table {n}. {caption}", row_header,
                       caption_id=f"table-{n}-caption")
    # A focusable, named region: a wide table scrolls sideways, and a keyboard user must be
    # able to reach it (WCAG 2.1.1; the "scrollable region" pattern of Inclusive Components).
    return _Html(f'<div class="hwb-table-wrap" id="table-{n}">'
                 f'<div class="hwb-scroll" role="region" aria-labelledby="table-{n}-caption" '
                 f'tabindex="0">{body}</div>'
                 f'<p class="hwb-source">Source: {html.escape(source)}</p>'
                 f"{_notes_html(body, notes)}</div>")


def label_lines(ax: Any, decimals: int | None = None, unit: str = "") -> None:
    """Write each line's label at its right-hand end, so no reader needs the colour key.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes whose labelled lines (``label=`` not starting with ``_``) are annotated.
    decimals : int, optional
        Also print the last value at this precision (``"Rotherham 1,103.8"``).
    unit : str
        Unit for that value (see :func:`hwb.fmt.format_number`).
    """
    from hwb.fmt import format_number

    for line in ax.get_lines():
        label = line.get_label()
        if not label or label.startswith("_"):
            continue
        xs, ys = line.get_xdata(), line.get_ydata()
        if len(xs) == 0:
            continue
        text = label if decimals is None else f"{label} {format_number(ys[-1], decimals, unit)}"
        ax.annotate(text, (xs[-1], ys[-1]), xytext=(6, 0), textcoords="offset points",
                    va="center", ha="left", color=line.get_color(), fontsize=10)


def _finite(x: Sequence[Any], y: Sequence[Any]) -> list[tuple[Any, float]]:
    out = []
    for xi, yi in zip(x, y, strict=True):
        try:
            v = float(yi)
        except (TypeError, ValueError):
            continue
        if math.isfinite(v):
            out.append((xi, v))
    return out


def describe_series(kind: str, what: str, x: Sequence[Any], y: Sequence[float],
                    unit: str = "", decimals: int = 1) -> str:
    """A text alternative for a line or bar chart, generated from its data.

    Parameters
    ----------
    kind : str
        "Line chart", "Bar chart", ...
    what : str
        The measure, as in the caption ("delayed days per 100,000 aged 18+").
    x, y : sequences
        The categories (or dates) and values, in the order plotted.  Missing
        values are left out and counted.
    unit, decimals : str, int
        How values are written (see :func:`hwb.fmt.format_number`).

    Returns
    -------
    str
        First and last point, direction, lowest and highest.

    Examples
    --------
    >>> describe_series("Line chart", "delayed days per 100,000", ["Apr 2016", "Mar 2017"],
    ...                 [600.0, 1103.8])  # doctest: +NORMALIZE_WHITESPACE
    'Line chart of delayed days per 100,000 from Apr 2016 to Mar 2017, rising from 600.0
    to 1,103.8; lowest 600.0 (Apr 2016), highest 1,103.8 (Mar 2017).'
    >>> describe_series("Bar chart", "uptake", ["A", "B", "C"], [50, float("nan"), 40],
    ...                 unit="percent", decimals=0)  # doctest: +NORMALIZE_WHITESPACE
    'Bar chart of uptake from A to C, falling from 50% to 40%; lowest 40% (C),
    highest 50% (A); 1 value not available.'
    """
    from hwb.fmt import format_number

    if len(x) != len(y):
        raise ValueError(f"describe_series({what!r}): {len(x)} x values but {len(y)} y values")
    points = _finite(x, y)
    missing = len(y) - len(points)
    if not points:
        return f"{kind} of {what}: no data."
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    first, last = ys[0], ys[-1]
    trend = "rising" if last > first else "falling" if last < first else "unchanged"
    lo = min(range(len(ys)), key=ys.__getitem__)
    hi = max(range(len(ys)), key=ys.__getitem__)

    def f(v: float) -> str:
        return format_number(v, decimals, unit)

    text = (f"{kind} of {what} from {xs[0]} to {xs[-1]}, {trend} from {f(first)} to {f(last)}; "
            f"lowest {f(ys[lo])} ({xs[lo]}), highest {f(ys[hi])} ({xs[hi]})")
    if missing:
        text += f"; {missing} value{'s' if missing > 1 else ''} not available"
    return text + "."


def describe_groups(kind: str, what: str, frame: pd.DataFrame, x: str, y: str, by: str,
                    unit: str = "", decimals: int = 1) -> str:
    """A text alternative for a chart of several series: one sentence per series.

    Parameters
    ----------
    kind, what : str
        As in :func:`describe_series`.
    frame : DataFrame
        Tidy data: one row per point.
    x, y, by : str
        Columns for the horizontal axis, the value and the series.

    Examples
    --------
    >>> df = pd.DataFrame({"month": ["Apr", "May", "Apr", "May"], "days": [10.0, 12.0, 8.0, 6.0],
    ...                    "area": ["A", "A", "B", "B"]})
    >>> describe_groups("Line chart", "delayed days", df, "month", "days", "area",
    ...                 decimals=0)  # doctest: +NORMALIZE_WHITESPACE
    'Line chart of delayed days, 2 series. A: from Apr to May, rising from 10 to 12;
    lowest 10 (Apr), highest 12 (May). B: from Apr to May, falling from 8 to 6;
    lowest 6 (May), highest 8 (Apr).'
    """
    for col in (x, y, by):
        if col not in frame.columns:
            raise KeyError(f"describe_groups({what!r}): no column {col!r} in the data")
    groups = list(dict.fromkeys(frame[by]))
    parts = [f"{kind} of {what}, {len(groups)} series."]
    for g in groups:
        sub = frame[frame[by] == g]
        sentence = describe_series("", "", list(sub[x]), list(sub[y]), unit, decimals)
        sentence = sentence.removeprefix(" of  ").removeprefix(" of : ")
        parts.append(f"{g}: {sentence}")
    return " ".join(parts)
