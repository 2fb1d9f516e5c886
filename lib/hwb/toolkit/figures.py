"""Record every quoted figure, and check it against the figure as printed.

A notebook never types a number into markdown.  It records each figure it
quotes with :meth:`Recorder.record` (id, label, value, unit, display
precision, and the printed figure it is checked against) and writes sentences
with :meth:`Recorder.say`, which fills the text from recorded figures.

The figures a cell records are published to the notebook as one display output of
mimetype :data:`FIGURES_MIME` when the cell ends; the runner harvests those into
``manifest.json`` and the HTML exporter hides them.  Printed figures are data: one CSV per paper,
``data/<paper>/printed_figures.csv`` (see :data:`PRINTED_COLUMNS`), each row
cited by document, agenda item and page.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from hwb.errors import DataError
from hwb.fmt import format_number, parse_number
from hwb.protocol import CHECK_MIME, FIGURES_MIME, citation
from hwb.toolkit import checks

DISCLOSURE_THRESHOLD = 5
"""Counts below this (and above zero) are never shown: rendered as ``[c]``."""
PRINTED_COLUMNS = (
    "figure_id",  # unique within the paper; the id the notebook records the figure under
    "board",  # board key, e.g. "rotherham-2017-09-20"; params name the board they build
    "area",
    "period",
    "measure",
    "category",
    "value",  # as printed, text: "8.00" keeps its two decimals
    "unit",
    "kind",  # kind: actual, plan, target, claim, ...
    "document",
    "item",
    "page",
    "line",  # citation
    "scope",  # blank when a paper compares it; otherwise "out of scope: <why>"
)
TEXT_UNITS = frozenset({"text", "Y/N", "date", "financial year"})
"""Units of printed figures that are words, not numbers (a verdict, a yes/no, a date)."""
_ID = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")


@dataclass(frozen=True)
class Printed:
    """A figure as printed in a board paper, with its citation."""

    figure_id: str
    value: str
    unit: str = ""
    kind: str = ""
    document: str = ""
    item: str = ""
    page: str = ""
    line: str = ""
    measure: str = ""

    @property
    def citation(self) -> str:
        """Document, item, page and line (:func:`hwb.protocol.citation`)."""
        return citation(self.document, self.item, self.page, self.line)


@dataclass
class Figure:
    """One recorded figure, with the outcome of its check against print."""

    id: str
    label: str
    value: float | int | str | None
    unit: str
    precision: int
    status: str = checks.NO_PRINTED
    reason: str = ""
    printed: Printed | None = None
    method: str = ""
    inputs: list[str] = field(default_factory=list)
    count: bool = False
    """A count of people or events: suppressed as ``[c]`` when below the threshold."""
    threshold: int = DISCLOSURE_THRESHOLD
    vintage: str = ""
    """The data vintage the value was computed from (e.g. "NHS England DTOC, September 2017,
    published 2017-11-09"); blank when not stated."""
    hindsight: bool = False
    """Computed from data first published after the meeting (``hwb.sources.calendars``)."""
    rows: dict[str, str] = field(default_factory=dict)
    """For each input file (as the input log names it, relative to ``data/``), the rows or
    keys of it that fed the figure, in words (``"area_code = E08000018, month = 2017-09"``)."""

    @property
    def rows_text(self) -> str:
        """The input rows as one line: ``file: rows; file: rows`` (blank when none recorded)."""
        return "; ".join(f"{k}: {v}" for k, v in self.rows.items())

    @property
    def suppressed(self) -> bool:
        """True for a count of 1 to threshold - 1, which is never shown (GOV.UK ``[c]``)."""
        return (
            self.count
            and isinstance(self.value, (int, float))
            and not math.isnan(float(self.value))
            and 0 < float(self.value) < self.threshold
        )

    @property
    def text(self) -> str:
        """The value as the appendix shows it (``[c]`` for a suppressed small count)."""
        if self.suppressed:
            return "[c]"
        if isinstance(self.value, str):
            return self.value
        return format_number(self.value, self.precision, self.unit)  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if isinstance(self.value, float) and math.isnan(self.value):
            d["value"] = None
        d["text"] = self.text
        return d

    def __str__(self) -> str:
        return self.text

    def __format__(self, spec: str) -> str:
        return format(self.text, spec)

    def _repr_markdown_(self) -> str:
        return f"**{html.escape(self.text)}** {html.escape(self.label)}"


def load_printed(path: str | Path, board: str | None = None) -> pd.DataFrame:
    """Read a paper's printed figures, checked against :data:`PRINTED_COLUMNS`.

    Parameters
    ----------
    path : path-like
        ``data/<paper>/printed_figures.csv``.
    board : str, optional
        Keep only this board's rows.

    Raises
    ------
    DataError
        Missing columns, a blank or duplicated ``figure_id``, or a value that is not a number.
    """
    from hwb.sources.data import read_csv  # local import: data imports figures for input logging

    df = read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in PRINTED_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(str(path), f"missing column(s) {', '.join(missing)}")
    for i, row in df.iterrows():
        fid = row["figure_id"]
        if not _ID.match(fid):
            raise DataError(
                str(path),
                "figure_id must be lower-case letters, digits, '_', '.', '-'",
                row=int(i) + 2,
                column="figure_id",
                value=fid,
            )
        if row["unit"] in TEXT_UNITS:
            continue
        try:
            parse_number(row["value"])
        except ValueError:
            raise DataError(str(path), "value must be a number as printed (or the unit one of "
                            + ", ".join(sorted(TEXT_UNITS)) + ")", row=int(i) + 2,
                            column="value", value=row["value"]) from None
    dup = df["figure_id"][df["figure_id"].duplicated()]
    if len(dup):
        first = dup.index[0]
        raise DataError(
            str(path),
            "figure_id is duplicated",
            row=int(first) + 2,
            column="figure_id",
            value=dup.iloc[0],
        )
    if board is not None:
        df = df[df["board"] == board].reset_index(drop=True)
    return df


class Description(str):
    """Text of a chart description that remembers where each recorded figure stands in it.

    A ``str`` (anything that takes a description takes it); ``spans`` lists ``id, start,
    end, linked`` per figure, ``linked`` when the figure has a figures-check row (it was
    printed).  Made by :meth:`Recorder.describe`.
    """

    spans: list[dict[str, Any]]

    def __new__(cls, text: str, spans: Sequence[Mapping[str, Any]] = ()) -> Description:
        out = super().__new__(cls, text)
        out.spans = [dict(sp) for sp in spans]
        return out


def _checked_value(id: str, value: Any, recorded: Mapping[str, Figure]) -> Any:
    """The value to record (a numpy scalar as Python), after checking the id is new and valid."""
    if not _ID.match(id):
        raise ValueError(f"figure id {id!r}: use lower-case letters, digits, '_', '.', '-'")
    if id in recorded:
        raise ValueError(f"figure id {id!r} recorded twice in one run")
    if isinstance(value, bool):
        raise TypeError(f"figure {id!r}: record a number or a word, not a bool")
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalar -> Python
    return value


def _against_print(value: float | int | str | None, p: Printed, *, approx: str,
                   decimals: int | None, alternatives: Mapping[str, float] | None, unit: str,
                   count: bool, choice: str) -> tuple[str, str]:
    """Status and reason of a recorded value against its printed figure.

    A word compares case-blind; an undefined number differs; a number qualified by an
    approximate word goes by :func:`hwb.toolkit.checks.approximate`, any other by
    :func:`hwb.toolkit.checks.compare`.
    """
    if isinstance(value, str):
        same = value.strip().lower() == p.value.strip().lower()
        return (checks.REPRODUCED if same else checks.DIFFERS,
                "" if same else f"computed '{value}' against printed '{p.value}'")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return checks.DIFFERS, "the computed value is undefined"
    if approx:
        c = checks.approximate(approx, p.value, float(value))
    else:
        c = checks.compare(float(value), p.value, decimals=decimals, alternatives=alternatives,
                           unit=unit, count=count, choice=choice)
    return c.status, c.reason


def _rows_text(rows: str | Sequence[Any]) -> str:
    """Rows given as words kept as they are; a list of keys joined with commas."""
    if isinstance(rows, str):
        return rows
    return ", ".join(str(r) for r in rows)


def rows_of(frame: pd.DataFrame, keys: Sequence[str], *, line: str | None = "line",
            most: int = 12) -> str:
    """The rows of an input frame that fed a figure, in words, for :meth:`Recorder.record`.

    Each key column with one value is stated once (``area_code = E08000018``); a key with
    several values lists them (at most ``most``, then how many more); the file's ``line``
    column, when the frame has it, gives the file lines.

    Examples
    --------
    >>> df = pd.DataFrame({"area_code": ["E08000018"] * 3, "month": ["2017-07", "2017-08",
    ...                    "2017-09"], "line": [12, 13, 14]})
    >>> rows_of(df, ["area_code", "month"])
    '3 rows: area_code = E08000018; month in 2017-07, 2017-08, 2017-09; lines 12-14'
    >>> rows_of(df.iloc[:0], ["area_code"])
    'no rows'
    """
    if frame.empty:
        return "no rows"
    parts = [f"{len(frame)} row{'s' if len(frame) != 1 else ''}"]
    keyed = []
    for k in keys:
        values = list(dict.fromkeys(frame[k].astype(str)))
        if len(values) == 1:
            keyed.append(f"{k} = {values[0]}")
        else:
            shown = ", ".join(values[:most]) + (f" and {len(values) - most} more"
                                                if len(values) > most else "")
            keyed.append(f"{k} in {shown}")
    text = parts[0] + (": " + "; ".join(keyed) if keyed else "")
    if line and line in frame.columns:
        lines = sorted(int(v) for v in frame[line])
        span = (f"line {lines[0]}" if len(lines) == 1 else
                f"lines {lines[0]}-{lines[-1]}" if lines[-1] - lines[0] + 1 == len(lines)
                else "lines " + ", ".join(map(str, lines[:most]))
                + (f" and {len(lines) - most} more" if len(lines) > most else ""))
        text += f"; {span}"
    return text


class Recorder:
    """Collects the figures of one notebook run and checks each against print.

    Parameters
    ----------
    printed : DataFrame, optional
        Rows of :data:`PRINTED_COLUMNS` for the board being built.
    publish : bool
        Publish each figure as a display output (the runner harvests them).
        Off in unit tests that use a recorder without a kernel.
    threshold : int
        Disclosure threshold for figures recorded with ``count=True``.
    """

    def __init__(
        self,
        printed: pd.DataFrame | None = None,
        *,
        publish: bool = True,
        threshold: int = DISCLOSURE_THRESHOLD,
    ) -> None:
        self.threshold = threshold
        self.figures: dict[str, Figure] = {}
        self.publish = publish
        self._printed: dict[str, Printed] = {}
        self._scope: dict[str, str] = {}
        if printed is not None:
            for _, row in printed.iterrows():
                p = Printed(**{k: str(row.get(k, "")) for k in Printed.__dataclass_fields__})
                self._printed[p.figure_id] = p
                self._scope[p.figure_id] = str(row.get("scope", ""))

    # -- recording -------------------------------------------------------------------------

    def record(
        self,
        id: str,
        label: str,
        value: float | int | str | None,
        unit: str = "",
        precision: int = 0,
        *,
        printed: str | None = None,
        alternatives: Mapping[str, float] | None = None,
        method: str = "",
        inputs: Sequence[str] = (),
        count: bool = False,
        decimals: int | None = None,
        approx: str = "",
        choice: str = "",
        vintage: str = "",
        hindsight: bool = False,
        rows: Mapping[str, str | Sequence[Any]] | None = None,
    ) -> Figure:
        """Record a figure and, where it was printed, compare it.

        Parameters
        ----------
        id : str
            Unique within the run.  When the printed-figures table has a row
            with this ``figure_id`` (or ``printed`` names one) the figure is
            compared with it.
        label : str
            What the figure is, in words a board member reads.
        value : number or str
            The computed value (strings for categorical figures such as a verdict).
        unit : str
            ``"percent"`` and ``"GBP"`` are formatted with their sign.
        precision : int
            Decimals shown in the appendix.
        printed : str, optional
            The ``figure_id`` of the printed figure, when it differs from ``id``.
        alternatives : mapping, optional
            Other ways the paper may have computed it (see :func:`hwb.toolkit.checks.compare`).
        method : str
            How it was computed, for the methods column of the figures check.
        inputs : sequence of str
            Input files or figure ids it was computed from.
        count : bool
            The figure counts people or events: when it is between 1 and the
            recorder's disclosure threshold it is shown as ``[c]`` (the value is
            still compared, and kept in the manifest, which is not published).
        decimals : int, optional
            The precision to compare at when the printed text does not show it:
            ``-1`` compares "around 1050" at tens.
        approx : str, optional
            The approximate word the print qualifies the figure with ("around", "over",
            "nearly", ...): compared by the one rule, :func:`hwb.toolkit.checks.approximate`.
        choice : str, optional
            The project's own choice the value rests on (a denominator, a vintage): a
            difference says so (:func:`hwb.toolkit.checks.compare`).
        vintage : str, optional
            The data vintage the value rests on, kept with the figure in the manifest.
        hindsight : bool, optional
            The value uses data first published after the meeting
            (:func:`hwb.sources.calendars.known_at` is False): the figures check says so.
        rows : mapping, optional
            Which rows of which input file fed the figure: file (relative to ``data/``) to
            the rows or keys, in words or as a list of keys (:func:`rows_of` writes them
            from a frame).  Each file is added to ``inputs``; ``hwb explain`` shows them.
        """
        value = _checked_value(id, value, self.figures)
        row_text = {str(k): _rows_text(v) for k, v in (rows or {}).items()}
        fig = Figure(id=id, label=label, value=value, unit=unit, precision=int(precision),
                     method=method,
                     inputs=list(inputs) + [k for k in row_text if k not in inputs],
                     count=count, threshold=self.threshold, vintage=vintage,
                     hindsight=bool(hindsight), rows=row_text)
        pid = printed or id
        if printed is not None and printed not in self._printed:
            raise KeyError(f"figure {id!r}: no printed figure {printed!r} for this board")
        if pid in self._printed:
            fig.printed = self._printed[pid]
            fig.status, fig.reason = _against_print(
                value, fig.printed, approx=approx, decimals=decimals, alternatives=alternatives,
                unit=unit, count=count, choice=choice)
        if fig.hindsight and fig.printed is not None:
            fig.reason = ((fig.reason + "; ") if fig.reason else "") + (
                "hindsight: the recomputation uses data first published after the meeting")
        self.figures[id] = fig
        if self.publish:
            _publish(fig)
        return fig

    def __getitem__(self, id: str) -> Figure:
        return self.figures[id]

    def cell(self, id: str, shown: str) -> Figure | str:
        """What a table cell holds: the recorded figure ``id`` when it shows as ``shown``
        (so :func:`hwb.toolkit.charts.table` marks it and links it to its derivation), else
        ``shown`` as it is (a figure not recorded, or recorded at another precision).

        Examples
        --------
        >>> rec = Recorder(publish=False)
        >>> _ = rec.record("a.days", "Delayed days", 1234, "days", 0)
        >>> rec.cell("a.days", "1,234").id, rec.cell("a.days", "1,234.0"), rec.cell("b", "[x]")
        ('a.days', '1,234.0', '[x]')
        """
        f = self.figures.get(id)
        return f if f is not None and f.text == shown else shown

    def _fill(self, template: str, values: Mapping[str, Any]) -> tuple[str, list[dict[str, Any]]]:
        """The template filled from figures, and where each figure landed (``id, start, end``).

        ``{name}`` is a figure passed by keyword, else the recorded figure of that id; a
        bare number is refused (numbers must be recorded first); passed text is allowed.
        """
        parts: list[str] = []
        spans: list[dict[str, Any]] = []
        pos = 0
        for m in re.finditer(r"{([a-zA-Z0-9_.\-]+)}", template):
            name = m.group(1)
            v = values.get(name, self.figures.get(name))
            if v is None:
                raise KeyError(f"say(): {{{name}}} is neither passed nor a recorded figure")
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                raise TypeError(f"say(): {{{name}}} is a bare number; record it as a figure first")
            parts.append(template[pos:m.start()])
            start = sum(len(x) for x in parts)
            if isinstance(v, Figure):
                spans.append({"id": v.id, "start": start, "end": start + len(str(v)),
                              "linked": v.printed is not None})
            parts.append(str(v))
            pos = m.end()
        return "".join(parts) + template[pos:], spans

    def say(self, template: str, **values: Any) -> Any:
        """Markdown from a template whose every number is a recorded figure.

        ``{name}`` placeholders are filled with figures passed by keyword, or by
        recorded id when not passed.  Passing a bare number is refused: numbers
        must be recorded first.

        Returns an IPython Markdown object (displayed when last in a cell) whose metadata
        ``hwb_figures`` says where each figure landed (the appendix links each one to its
        figures-check row).
        """
        text, spans = self._fill(template, values)
        from IPython.display import Markdown

        spans = [{k: sp[k] for k in ("id", "start", "end")} for sp in spans]
        return Markdown(text, metadata={"hwb_figures": spans} if spans else None)

    def describe(self, template: str, **values: Any) -> Description:
        """A chart's text description whose every number is a recorded figure.

        Filled as :meth:`say` fills a sentence; the result is text (the chart's accessible
        name takes it as it is) that remembers where each figure stands, so
        :func:`hwb.toolkit.charts.chart` marks each number of the shown description with
        ``data-figure`` and links it to its figures-check row when it was printed.

        Examples
        --------
        >>> rec = Recorder(publish=False)
        >>> first = rec.record("trend.first", "First month", 9.123, "", 1)
        >>> d = rec.describe("A line chart rising from {a} to {trend.last}.", a=first,
        ...                  **{"trend.last": rec.record("trend.last", "Last", 12.0, "", 1)})
        >>> str(d), [(sp["id"], d[sp["start"]:sp["end"]]) for sp in d.spans]
        ('A line chart rising from 9.1 to 12.0.', [('trend.first', '9.1'), ('trend.last', '12.0')])
        """
        text, spans = self._fill(template, values)
        return Description(text, spans)

    # -- the figures check ---------------------------------------------------------------------

    def check_table(self) -> pd.DataFrame:
        """Every printed figure for the board beside the recomputed one, plus recorded-only figures.

        Columns: ``figure_id, label, printed, computed, unit, status, reason, citation,
        rows`` (the input rows that fed the figure, :attr:`Figure.rows_text`; the appendix
        shows them in each row's derivation, not as a column).
        A printed figure the notebook did not recompute is listed as ``not compared``
        with the reason from its ``scope`` column.
        """
        rows = []
        for fid, p in self._printed.items():
            fig = self.figures.get(fid) or next(
                (f for f in self.figures.values() if f.printed and f.printed.figure_id == fid), None
            )
            if fig is None:
                rows.append(
                    {
                        "figure_id": fid,
                        "label": p.measure.replace("_", " "),
                        "printed": p.value,
                        "computed": "",
                        "unit": p.unit,
                        "status": checks.NOT_COMPARED,
                        "reason": self._scope.get(fid) or "not recomputed by this paper",
                        "citation": p.citation,
                        "rows": "",
                    }
                )
            else:
                rows.append(
                    {
                        "figure_id": fig.id,
                        "label": fig.label,
                        "printed": p.value,
                        "computed": fig.text,
                        "unit": fig.unit,
                        "status": fig.status,
                        "reason": fig.reason,
                        "citation": p.citation,
                        "rows": fig.rows_text,
                    }
                )
        return pd.DataFrame(
            rows,
            columns=[
                "figure_id",
                "label",
                "printed",
                "computed",
                "unit",
                "status",
                "reason",
                "citation",
                "rows",
            ],
        )

    def summary(self) -> dict[str, int]:
        """Counts of printed figures by check status."""
        counts = self.check_table()["status"].value_counts().to_dict()
        return {
            s: int(counts.get(s, 0))
            for s in (checks.REPRODUCED, checks.ROUNDING, checks.DIFFERS, checks.NOT_COMPARED)
        }


_PENDING: list[dict[str, Any]] = []
"""Figures recorded in the running cell, not yet published (:func:`_flush`)."""
_HOOKED: set[int] = set()
"""The shells whose ``post_run_cell`` event publishes the pending figures."""


def _publish(fig: Figure) -> None:
    """Queue a recorded figure (as it stands now) for the cell's one figures message.

    One display message per figure cost about 3 ms each in the kernel and the executor, and a
    national summary records thousands; the cell's figures go out together when it ends
    (IPython's ``post_run_cell`` event, which runs before the cell's reply, so the message
    belongs to that cell).
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return
    ip = get_ipython()
    if ip is None:
        return
    if id(ip) not in _HOOKED:
        ip.events.register("post_run_cell", _flush)
        _HOOKED.add(id(ip))
    _PENDING.append(fig.as_dict())


def _flush(*_: Any) -> None:
    """Publish the running cell's recorded figures as one :data:`FIGURES_MIME` message."""
    if not _PENDING:
        return
    from IPython.display import publish_display_data

    batch = list(_PENDING)
    _PENDING.clear()
    publish_display_data({FIGURES_MIME: batch, "text/plain": ""}, metadata={"hwb": "figures"})


# The recorder of the current kernel: the IPython extension starts one per run.
def start(printed: pd.DataFrame | None = None, threshold: int = DISCLOSURE_THRESHOLD) -> Recorder:
    """A fresh recorder for this notebook run, holding the printed figures it is checked against."""
    return Recorder(printed, threshold=threshold)


def start_for(paper: str, board: str, threshold: int = DISCLOSURE_THRESHOLD) -> Recorder:
    """Start the run's recorder with the printed figures of ``board`` from the paper's
    printed-figures CSV (as its plugin declares it); none when ``board`` is blank."""
    from hwb.toolkit.notebook import paper_named, printed_path

    printed = printed_path(paper_named(paper))
    if not board or printed is None:
        return start(None, threshold)
    return start(load_printed(printed, board=board), threshold)


def _differ(n: int) -> str:
    return "differs" if n == 1 else "differ"


LISTED_AT_MOST = 1000
"""An appendix recording more figures than this (a national summary: every board's figures)
lists only those not of one area in its figures check (:func:`listed_figures`); the rest are
in the run's figures.csv and ``hwb explain``."""

_ONE_AREA = re.compile(r"(?:^|\.)e(?!92)\d{8}(?:\.|$)")
"""The id of one area's figure in a summary (``e08000018.days``, ``nel.e08000018.rate``): an
area code as one of its parts; England (E92) is not one area's."""


def listed_figures(rec: Recorder) -> list[Figure]:
    """The recorded figures without a printed value that the figures check lists, each with a
    row of its own that its marks in the page link to: all of them, or, past
    :data:`LISTED_AT_MOST`, those not of one area (ids such as ``e08000018.days`` are left to
    figures.csv).

    Examples
    --------
    >>> rec = Recorder(publish=False)
    >>> _ = rec.record("e08000018.days", "Days", 5, "days", 0), rec.record("n", "N", 1, "", 0)
    >>> [f.id for f in listed_figures(rec)]
    ['e08000018.days', 'n']
    >>> [bool(_ONE_AREA.search(i)) for i in ("nel.e08000018.rate", "e92000001.rate", "e1.x")]
    [True, False, False]
    """
    other = [f for f in rec.figures.values() if f.printed is None]
    if len(other) <= LISTED_AT_MOST:
        return other
    return [f for f in other if not _ONE_AREA.search(f.id)]


def show_recorded(rec: Recorder) -> Any:
    """The figures check's second table: every other figure the appendix records (no printed
    value to compare), each a row that the figure's marks link to, with its derivation in the
    appendix (method, inputs and rows, parameters).  Shown open, so the PDF has the rows its
    numbers link to.
    """
    from hwb.toolkit import charts

    listed = listed_figures(rec)
    other = sum(f.printed is None for f in rec.figures.values())
    if not listed:
        return charts.Html("")
    shown = pd.DataFrame({"Figure": [f.id for f in listed], "What": [f.label for f in listed],
                          "Value": [f.text for f in listed], "Unit": [f.unit for f in listed]})
    left = other - len(listed)
    notes = ([f"{left:,} figures of single areas are not listed here: each is in the run's "
              "figures.csv beside this page, with its method and input rows, and `hwb explain "
              "FIGURE_ID` shows its derivation."] if left else [])
    return charts.table(shown, f"Every other figure this appendix records ({len(listed):,}, "
                        "none of them printed), with how each was computed", "hwb recomputation",
                        notes=notes)


def show_check(rec: Recorder, source: str = "") -> Any:
    """The figures-check table of a run, as a numbered accessible table, then every other
    recorded figure (:func:`show_recorded`)."""
    from hwb.toolkit import charts

    df = rec.check_table()
    shown = df.drop(columns="rows").rename(
        columns={
            "figure_id": "Figure",
            "label": "What",
            "printed": "Printed",
            "computed": "Recomputed",
            "unit": "Unit",
            "status": "Check",
            "reason": "Reason",
            "citation": "Where printed",
        }
    )
    s = rec.summary()
    caption = (
        f"Figures check: every printed figure beside the recomputed one "
        f"({s['reproduced']} reproduced, {s['rounding']} {_differ(s['rounding'])} only by "
        f"rounding, {s['differs']} {_differ(s['differs'])}, {s['not compared']} not compared)."
    )
    if rec.publish:
        try:
            from IPython import get_ipython
            from IPython.display import publish_display_data

            if get_ipython() is not None:
                publish_display_data(
                    {CHECK_MIME: df.to_dict(orient="records"), "text/plain": ""},
                    metadata={"hwb": "figures-check"},
                )
        except ImportError:  # pragma: no cover
            pass
    checked = charts.table(shown, caption, source or "the board paper as printed; hwb "
                           "recomputation")
    return charts.Html(checked.text + show_recorded(rec).text)
