"""Numbers traceable to the figures check: recorded figures marked where they land in the text.

:meth:`hwb.toolkit.figures.Recorder.say` returns Markdown whose metadata (``hwb_figures``) says
where each recorded figure sits in the text; the appendix exporter marks each one with
``data-figure`` and links it to its figures-check row.  This module keeps those marks when the
DTOC appendix joins several sentences into one block (:func:`join`), and puts the same marks on
the numbers of a chart's description (:func:`chart`), which the toolkit writes from the data
(:func:`hwb.toolkit.charts.describe_series`, :func:`hwb.toolkit.spc_chart.describe_spc`): each
number the description states is recorded first, then found in the description, in order.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from hwb.toolkit import charts
from hwb.toolkit.figures import Figure


def join(parts: Sequence[Any], sep: str = "\n") -> Any:
    """One Markdown block from several :meth:`Recorder.say` outputs (or plain strings), keeping
    where each recorded figure landed.

    Examples
    --------
    >>> from hwb.toolkit.figures import Recorder
    >>> rec = Recorder(publish=False)
    >>> a = rec.record("x.days", "Days", 674, "days")
    >>> md = join(["**Heading**", rec.say("- {d} days", d=a)])
    >>> md.data, md.metadata["hwb_figures"]
    ('**Heading**\\n- 674 days', [{'id': 'x.days', 'start': 14, 'end': 17}])
    """
    from IPython.display import Markdown

    text: list[str] = []
    spans: list[dict[str, Any]] = []
    pos = 0
    for i, part in enumerate(parts):
        if i:
            text.append(sep)
            pos += len(sep)
        body = part if isinstance(part, str) else part.data
        meta = {} if isinstance(part, str) else (part.metadata or {})
        for sp in meta.get("hwb_figures", []):
            spans.append({"id": sp["id"], "start": sp["start"] + pos, "end": sp["end"] + pos})
        text.append(body)
        pos += len(body)
    return Markdown("".join(text), metadata={"hwb_figures": spans} if spans else None)


def spans_in(text: str, figures: Sequence[Figure],
             start: int = 0) -> list[tuple[int, int, Figure]]:
    """Where each figure's shown text stands in ``text``, searched in order from ``start`` (past
    any words that are not figures, such as the measure's name), as a whole number.

    Raises
    ------
    ValueError
        A figure's text is not in the rest of the description (the caller's list and the
        description disagree: a bug, not a data problem).

    Examples
    --------
    >>> from hwb.toolkit.figures import Recorder
    >>> rec = Recorder(publish=False)
    >>> a, b = rec.record("a", "A", 9.0, "", 0), rec.record("b", "B", 19.0, "", 0)
    >>> [(s, e, f.id) for s, e, f in spans_in("from 19 to 9, then 19", [b, a, b])]
    [(5, 7, 'b'), (11, 12, 'a'), (19, 21, 'b')]
    """
    out = []
    pos = start
    for f in figures:
        t = f.text
        i = text.find(t, pos)
        while i >= 0 and not _whole(text, i, i + len(t)):
            i = text.find(t, i + 1)
        if i < 0:
            raise ValueError(f"figure {f.id} ({t}) is not in the description after "
                             f"position {pos}: {text!r}")
        out.append((i, i + len(t), f))
        pos = i + len(t)
    return out


def _whole(text: str, a: int, b: int) -> bool:
    """``text[a:b]`` is a whole number: no digit, or separator and digit, on either side."""
    before, before2 = text[a - 1:a], text[max(a - 2, 0):max(a - 1, 0)]
    after, after2 = text[b:b + 1], text[b + 1:b + 2]
    if before.isdigit() or (before in (",", ".") and before and before2.isdigit()):
        return False
    return not (after.isdigit() or (after in (",", ".") and after and after2.isdigit()))


def marked_html(text: str, figures: Sequence[Figure], start: int = 0) -> str:
    """``text`` escaped, with each figure marked as the exporter marks one in prose: a link to its
    figures-check row when it has one (a printed figure), else a ``data-figure`` span.

    Examples
    --------
    >>> from hwb.toolkit.figures import Recorder
    >>> rec = Recorder(publish=False)
    >>> marked_html("Mean 9.91 & more", [rec.record("m", "Mean", 9.912, "", 2)])
    'Mean <span class="hwb-fig" data-figure="m">9.91</span> &amp; more'
    """
    out, pos = [], 0
    for a, b, f in spans_in(text, figures, start):
        out.append(html.escape(text[pos:a]))
        out.append(charts.mark_figure(f.id, html.escape(text[a:b]), f.printed is not None))
        pos = b
    out.append(html.escape(text[pos:]))
    return "".join(out)


_ALT_LABEL = '<span class="hwb-alt-label">Description:</span> '


def chart(fig: Any, caption: str, source: str, alt: str, figures: Sequence[Figure],
          data: Any = None, data_decimals: int = 1, start: int = 0) -> Any:
    """:func:`hwb.toolkit.charts.chart` whose shown description marks each recorded figure.

    The chart's accessible name (the SVG title) keeps the plain description; the description
    paragraph under the chart carries the marks (:func:`marked_html`).
    """
    out = charts.chart(fig, caption, source, alt, data, data_decimals)
    plain = _ALT_LABEL + html.escape(alt) + "</p>"
    if plain not in out.text:
        raise ValueError(f"chart {caption!r}: its description paragraph was not found")
    out.text = out.text.replace(plain, _ALT_LABEL + marked_html(alt, figures, start) + "</p>", 1)
    return out


def spc_figures(rec: Any, fid: str, frame: Any, summary: Any, what: str, decimals: int = 2,
                unit: str = "", vintage: str = "", hindsight: bool = False) -> list[Figure]:
    """Record every number :func:`hwb.toolkit.spc_chart.describe_spc` states, in its order.

    Ids under ``fid``: ``.points`` (and ``.missing``), ``.mean``, ``.lower_limit``,
    ``.upper_limit``, ``.points_<verdict>`` for each verdict, ``.latest`` and, with an
    assurance verdict, ``.target``.
    """
    from hwb.stats import spc

    kw = {"method": summary.method, "vintage": vintage, "hindsight": hindsight}
    out = [rec.record(f"{fid}.points", f"Points on the SPC chart of {what}", summary.n_points,
                      "points", 0, **kw)]
    if summary.n_missing:
        out.append(rec.record(f"{fid}.missing", f"Months missing from the SPC chart of {what}",
                              summary.n_missing, "points", 0, **kw))
    out.append(rec.record(f"{fid}.mean", f"SPC mean of {what}", summary.mean, unit, decimals,
                          **kw))
    if summary.upl == summary.upl:  # not NaN: enough points for limits
        out.append(rec.record(f"{fid}.lower_limit", f"SPC lower process limit of {what}",
                              summary.lpl, unit, decimals, **kw))
        out.append(rec.record(f"{fid}.upper_limit", f"SPC upper process limit of {what}",
                              summary.upl, unit, decimals, **kw))
    counts = frame.loc[frame["verdict"] != spc.NO_DATA, "verdict"].value_counts()
    for v in (spc.COMMON, spc.IMPROVEMENT, spc.CONCERN, spc.NEITHER):
        if v in counts:
            out.append(rec.record(f"{fid}.points_{v.replace(' ', '_')}",
                                  f"Points of the SPC chart of {what}: {v}", int(counts[v]),
                                  "points", 0, **kw))
    last = frame[frame["verdict"] != spc.NO_DATA].iloc[-1]
    out.append(rec.record(f"{fid}.latest", f"Latest point of the SPC chart of {what} "
                          f"({last['x']})", float(last["value"]), unit, decimals, **kw))
    if summary.assurance:
        out.append(rec.record(f"{fid}.target", f"Target on the SPC chart of {what}",
                              summary.target, unit, decimals, **kw))
    return out
