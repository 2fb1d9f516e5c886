"""The contract between the kernel and the papers: output MIME types, check outcomes, the plugin.

This module sits on the ground floor: it imports nothing of hwb but :mod:`hwb.errors`, so the
kernel (``hwb.core``), the papers and the toolkit can all name the same things.

* MIME types: a notebook publishes its recorded figures, figures check, claims check and the
  inputs it read as display data of these types; the runner harvests them into
  ``manifest.json`` and the HTML exporter hides them.
* :class:`Status`: every outcome a check can have, one vocabulary for the appendix, the
  manifest, ``figures.csv``, the coverage report and ``hwb verify``.
* :class:`Paper`: the object a paper plugin declares (registered by the ``hwb.papers`` entry
  point).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only
    from hwb.sources.params import BoardParams

FIGURE_MIME = "application/vnd.hwb.figure+json"
"""One recorded figure (``Figure.as_dict()``)."""
FIGURES_MIME = "application/vnd.hwb.figures+json"
"""The figures a cell recorded, as one list of ``Figure.as_dict()`` (one message per cell, not
one per figure: a summary records thousands)."""
CHECK_MIME = "application/vnd.hwb.figures-check+json"
"""The figures check: one record per printed figure."""
CLAIMS_MIME = "application/vnd.hwb.claims-check+json"
"""The claims check: one record per printed statement."""
INPUT_MIME = "application/vnd.hwb.input+json"
"""An input file the notebook read, with its SHA-256."""
HIDDEN_MIMES = (FIGURE_MIME, FIGURES_MIME, CHECK_MIME, CLAIMS_MIME, INPUT_MIME)
"""Machine-readable outputs the appendix never shows."""

MARKER_NOTES: dict[str, str] = {
    "[c]": "confidential: the figure is suppressed because it is a small number that "
           "could identify individuals, or because a small number could be worked "
           "out from it",
    "[x]": "not available: the figure is missing from the source or could not be "
           "calculated (for example a directly standardised rate on fewer than 10 "
           "events)",
    "[z]": "not applicable: no figure can exist for this cell",
}
"""What each shorthand marker means (Government Analysis Function, "Symbols in tables")."""

_MARKER_RE = re.compile(r"\[(?:c|x|z)\]")


def markers_in(text: str) -> list[str]:
    """The shorthand markers that occur in ``text``, in the order of :data:`MARKER_NOTES`.

    Examples
    --------
    >>> markers_in("12 [c] 7 [x] [c]")
    ['[c]', '[x]']
    """
    found = set(_MARKER_RE.findall(text))
    return [m for m in MARKER_NOTES if m in found]


def outputs_of(nb: Any, mime: str) -> list[Any]:
    """Every display-data payload of type ``mime`` in an executed notebook, in order.

    Examples
    --------
    >>> nb = {"cells": [{"outputs": [{"data": {INPUT_MIME: {"path": "a"}}}]}, {}]}
    >>> outputs_of(nb, INPUT_MIME)
    [{'path': 'a'}]
    """
    cells = nb["cells"] if isinstance(nb, dict) else nb.cells
    return [o["data"][mime] for c in cells for o in c.get("outputs", [])
            if mime in o.get("data", {})]


def figures_of(nb: Any) -> list[Any]:
    """Every recorded figure an executed notebook published, in order: the per-cell lists
    (:data:`FIGURES_MIME`) and single figures (:data:`FIGURE_MIME`) alike.

    Examples
    --------
    >>> nb = {"cells": [{"outputs": [{"data": {FIGURE_MIME: {"id": "a"}}},
    ...                              {"data": {FIGURES_MIME: [{"id": "b"}, {"id": "c"}]}}]}]}
    >>> [f["id"] for f in figures_of(nb)]
    ['a', 'b', 'c']
    """
    cells = nb["cells"] if isinstance(nb, dict) else nb.cells
    out: list[Any] = []
    for c in cells:
        for o in c.get("outputs", []):
            data = o.get("data", {})
            if FIGURE_MIME in data:
                out.append(data[FIGURE_MIME])
            if FIGURES_MIME in data:
                out.extend(data[FIGURES_MIME])
    return out


BUILTIN_ROOT = Path(__file__).resolve().parents[2]
"""The source checkout holding the built-in papers' notebooks/, params/ and data/."""


class Status(StrEnum):
    """Every outcome of a figure or claim check.

    A ``StrEnum``: each member equals its text, so it serialises to JSON and CSV as that text.

    Examples
    --------
    >>> Status.REPRODUCED == "reproduced"
    True
    >>> Status("does not hold").is_claim
    True
    """

    REPRODUCED = "reproduced"
    """The unrounded recomputation, rounded half-up to the printed decimals, equals the print."""
    ROUNDING = "rounding"
    """Within one unit of the last printed place, not equal."""
    DIFFERS = "differs"
    """Anything else, with a computed reason."""
    NOT_COMPARED = "not compared"
    """A printed figure the appendix does not recompute (out of scope, with the reason)."""
    NO_PRINTED = "no printed figure"
    """A recorded figure with nothing printed to compare it with."""
    HOLDS = "holds"
    """A printed statement the data support."""
    DOES_NOT_HOLD = "does not hold"
    """A printed statement the data contradict."""
    CANNOT_TEST = "cannot be tested"
    """A printed statement the shipped data cannot test (the reason says why)."""

    @property
    def is_claim(self) -> bool:
        """Whether this is a claim verdict (holds / does not hold / cannot be tested)."""
        return self in (Status.HOLDS, Status.DOES_NOT_HOLD, Status.CANNOT_TEST)


FIGURE_STATUSES = (Status.REPRODUCED, Status.ROUNDING, Status.DIFFERS, Status.NOT_COMPARED)
"""The figure-check outcomes an appendix counts, in the order it shows them."""
CLAIM_STATUSES = (Status.HOLDS, Status.DOES_NOT_HOLD, Status.CANNOT_TEST)
"""The claim-check outcomes, in the order an appendix shows them."""


def citation(document: Any = "", item: Any = "", page: Any = "", line: Any = "") -> str:
    """The one way hwb cites a printed figure or statement.

    Parameters
    ----------
    document, item, page, line
        As in ``printed_figures.csv``; blanks are left out.

    Examples
    --------
    >>> citation("Rotherham HWB agenda pack, 20 September 2017", "15", "78", "9983")
    'Rotherham HWB agenda pack, 20 September 2017, item 15, page 78, line 9983'
    >>> citation("A paper", "", "", "")
    'A paper'
    """
    parts = [str(document).strip()]
    for word, value in (("item", item), ("page", page), ("line", line)):
        text = "" if value is None else str(value).strip()
        if text and text.lower() != "nan":
            low = text.lower()
            parts.append(text if low.startswith(word) or low.startswith(word[0] + ".")
                         else f"{word} {text}")
    return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class Paper:
    """A board paper: its notebook, parameter model, parameter files and printed figures.

    Parameters
    ----------
    name : str
        Short name used on the command line and under ``outputs/``.
    title : str
        The paper's title for the index page.
    notebook : Path
        The narrative notebook (``.ipynb``, outputs stripped).
    params_model : type of BoardParams
        The frozen pydantic model its parameter files are parsed into.
    params_dir : Path
        Where its ``<area>-<period>.yaml`` files live.
    printed : Path, optional
        Its printed-figures CSV (see :data:`hwb.toolkit.figures.PRINTED_COLUMNS`).
    inputs : tuple of Path
        Data files its runs depend on (part of the cache key and the manifest).
    check : callable, optional
        Data-dependent parameter checks run before anything executes (an area
        code missing from the data, a period outside it): it raises
        :class:`hwb.errors.ParamProblem`.
    warm : callable, optional
        Work every run repeats that a forked kernel can inherit (parsing a large
        shared input): called once in the zygote before it forks kernels.
    claims : Path, optional
        Its printed-claims CSV (see :mod:`hwb.toolkit.claims`).
    rehearse : callable, optional
        A dress rehearsal, called once in the zygote after every paper's ``warm``: run the
        notebook for one configured board and throw the outputs away
        (:func:`hwb.toolkit.notebook.rehearse`), so that the kernels forked afterwards find
        every lazily filled cache full.  It must leave nothing a run can see.
    """

    name: str
    title: str
    notebook: Path
    params_model: type[BoardParams]
    params_dir: Path
    printed: Path | None = None
    inputs: tuple[Path, ...] = field(default=())
    description: str = ""
    check: Callable[[BoardParams], None] | None = None
    warm: Callable[[], None] | None = None
    claims: Path | None = None
    rehearse: Callable[[], None] | None = None

    def params_files(self) -> list[Path]:
        """Every configured parameter file, sorted."""
        if not self.params_dir.is_dir():
            return []
        return sorted(self.params_dir.glob("*.yaml"))
