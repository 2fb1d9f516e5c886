"""House style for charts and tables: numbered, captioned, sourced and accessible.

Notebooks show every chart with :func:`chart` and every table with
:func:`table`.  Each is numbered in order ("Chart 1.", "Table 2."), carries a
caption and a "Source:" line, and is rendered as accessible HTML: charts as
inline SVG with a text alternative, tables with ``<caption>`` and header scopes.
All text taken from data is escaped.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

# Okabe-Ito, darkened where needed for >= 3:1 contrast on white; used with line styles and markers.
PALETTE = ("#0b5394", "#b35900", "#00784a", "#a3195b", "#5c5c5c", "#7a5d00")
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1)))
MARKERS = ("o", "s", "^", "D", "v", "P")

_counter = {"chart": 0, "table": 0}


def reset_numbering() -> None:
    """Start chart and table numbers again from 1 (the extension does this per run)."""
    _counter["chart"] = 0
    _counter["table"] = 0


def style() -> None:
    """Apply the house style to matplotlib/seaborn (called by the IPython extension)."""
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
        "axes.prop_cycle": matplotlib.cycler(color=list(PALETTE)),
    })


def _svg(fig: Any) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.find("<svg"):]  # drop the XML prolog and doctype
    return svg


class _Html:
    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_html_(self) -> str:
        return self.text


def chart(fig: Any, caption: str, source: str, alt: str, data: pd.DataFrame | None = None) -> _Html:
    """Show a matplotlib figure as a numbered, accessible chart.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    caption : str
        What the chart shows ("Delayed days per 100,000 aged 18+, by month").
    source : str
        Dataset and extract date, shown as "Source: ...".
    alt : str
        Text alternative, generated from the data by the caller (see :func:`describe_series`).
    data : DataFrame, optional
        The chart's data, shown as a table under a "Chart data" disclosure.
    """
    _counter["chart"] += 1
    n = _counter["chart"]
    svg = _svg(fig)
    label_id = f"chart-{n}-alt"
    svg = re.sub(r"<svg\b", f'<svg role="img" aria-labelledby="{label_id}"', svg, count=1)
    svg = re.sub(r"(<svg[^>]*>)", rf'\1<title id="{label_id}">{html.escape(alt)}</title>', svg,
                 count=1)
    parts = [
        f'<figure class="hwb-chart" id="chart-{n}">',
        f"<figcaption><strong>Chart {n}.</strong> {html.escape(caption)}</figcaption>",
        svg,
        f'<p class="hwb-alt">{html.escape(alt)}</p>',
        f'<p class="hwb-source">Source: {html.escape(source)}</p>',
    ]
    if data is not None:
        parts.append("<details><summary>Chart data</summary>"
                     + _table_html(data, f"Data for chart {n}.") + "</details>")
    parts.append("</figure>")
    return _Html("\n".join(parts))


def _cell(v: Any) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return "[x]"
    return html.escape(str(v))


def _table_html(df: pd.DataFrame, caption: str, row_header: bool = True) -> str:
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in df.columns)
    rows = []
    for _, r in df.iterrows():
        cells = []
        for j, v in enumerate(r.tolist()):
            if j == 0 and row_header:
                cells.append(f'<th scope="row">{_cell(v)}</th>')
            else:
                num = isinstance(v, (int, float)) or bool(re.fullmatch(r"[£\-]?[\d,.]+%?", str(v)))
                cells.append(f'<td class="{"num" if num else "txt"}">{_cell(v)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="hwb-table"><caption>{html.escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def table(df: pd.DataFrame, caption: str, source: str, notes: Sequence[str] = (),
          row_header: bool = True) -> _Html:
    """Show a DataFrame as a numbered, accessible table.

    Values should already be formatted for display (strings at printed
    precision, suppressed cells as ``[c]``); the first column is the row header.
    """
    _counter["table"] += 1
    n = _counter["table"]
    body = _table_html(df.reset_index(drop=True), f"Table {n}. {caption}", row_header)
    notes_html = "".join(f'<p class="hwb-note">{html.escape(x)}</p>' for x in notes)
    return _Html(f'<div class="hwb-table-wrap" id="table-{n}">{body}'
                 f'<p class="hwb-source">Source: {html.escape(source)}</p>{notes_html}</div>')


def describe_series(kind: str, what: str, x: Sequence[Any], y: Sequence[float],
                    unit: str = "", decimals: int = 1) -> str:
    """A text alternative for a line or bar chart, generated from its data.

    Examples
    --------
    >>> describe_series("Line chart", "delayed days per 100,000", ["Apr 2016", "Mar 2017"], [600.0, 1103.8])
    'Line chart of delayed days per 100,000 from Apr 2016 to Mar 2017, rising from 600.0 to 1,103.8; lowest 600.0 (Apr 2016), highest 1,103.8 (Mar 2017).'
    """
    from hwb.fmt import format_number

    ys = [float(v) for v in y]
    if not ys:
        return f"{kind} of {what}: no data."
    first, last = ys[0], ys[-1]
    trend = "rising" if last > first else "falling" if last < first else "unchanged"
    lo = min(range(len(ys)), key=ys.__getitem__)
    hi = max(range(len(ys)), key=ys.__getitem__)
    f = lambda v: format_number(v, decimals, unit)  # noqa: E731
    return (f"{kind} of {what} from {x[0]} to {x[-1]}, {trend} from {f(first)} to {f(last)}; "
            f"lowest {f(ys[lo])} ({x[lo]}), highest {f(ys[hi])} ({x[hi]}).")
