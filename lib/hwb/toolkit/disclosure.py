"""Disclosure control and display helpers for everything hwb renders.

* **Primary suppression**: counts from 1 to ``threshold - 1`` (default 1 to 4) are
  shown as ``[c]`` (:func:`primary_mask`).
* **Secondary suppression**: where a total and its parts are both shown, one
  suppressed cell could be worked out as the total minus the shown parts; a
  second cell is then suppressed in that row or column (:func:`secondary_mask`,
  :func:`suppress_table`).
* **Dependent figures**: a rate or percentage whose numerator is suppressed is
  hidden too (it would give the numerator back), and a DSR on fewer than 10
  events is not shown (:func:`dsr_mask`).
* **Shorthand**: the GOV.UK / Government Analysis Function symbols ``[c]``
  (confidential), ``[x]`` (not available) and ``[z]`` (not applicable), with
  their explanations as data (:data:`MARKERS`, :func:`shorthand_notes`).
* **Display**: :func:`display_frame` turns a tidy frame into the strings a table
  prints, with suppression applied and numbers rounded half-up (:func:`hwb.fmt.round_half_up`);
  :func:`quantify` writes verbal quantifiers ("about two thirds (67%)") from
  the number itself so the words cannot contradict the figure.

Sources: Government Analysis Function, "Symbols in tables, definitions and
how to use them" (GSS guidance, 2021) and "Releasing statistics in
spreadsheets"; ONS, "Review of the dissemination of health statistics:
confidentiality guidance" (2006) and the GSS/ONS disclosure control guidance
for tables produced from administrative data; OHID Fingertips technical
guidance (DSRs not calculated on fewer than 10 events).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from hwb.errors import DataError
from hwb.fmt import format_number, round_half_up
from hwb.protocol import MARKER_NOTES

__all__ = [
    "CONFIDENTIAL",
    "NOT_AVAILABLE",
    "NOT_APPLICABLE",
    "MARKERS",
    "Margin",
    "shorthand_notes",
    "primary_mask",
    "secondary_mask",
    "suppress_series",
    "suppress_table",
    "hide_dependent",
    "dsr_mask",
    "display_frame",
    "quantify",
    "quantify_share",
]

CONFIDENTIAL = "[c]"
NOT_AVAILABLE = "[x]"
NOT_APPLICABLE = "[z]"

#: What each shorthand marker means: the Government Analysis Function's wording
#: ("[c]" confidential, "[x]" not available, "[z]" not applicable), with why hwb uses it.
MARKERS: dict[str, str] = dict(MARKER_NOTES)

DSR_MIN_EVENTS = 10


def shorthand_notes(used: Iterable[str] | None = None, threshold: int = 5) -> list[str]:
    """The explanatory notes for the shorthand markers, to print under a table.

    Parameters
    ----------
    used : iterable of str, optional
        The markers that appear (e.g. ``display_frame(...).attrs["shorthand"]``);
        default all three.
    threshold : int
        The primary suppression threshold in force, quoted in the ``[c]`` note.

    Returns
    -------
    list of str
        One sentence per marker, in the order ``[c]``, ``[x]``, ``[z]``.

    Examples
    --------
    >>> shorthand_notes(["[x]"])[0][:50]
    '[x] = not available: the figure is missing from th'
    >>> shorthand_notes(["[c]"], threshold=5)[0][:60]
    '[c] = confidential: counts from 1 to 4 are suppressed, and o'
    """
    want = set(MARKERS) if used is None else set(used)
    unknown = want - set(MARKERS)
    if unknown:
        raise DataError("shorthand_notes", "unknown shorthand marker; expected [c], [x] or [z]",
                        value=sorted(unknown)[0])
    notes = []
    for m in (CONFIDENTIAL, NOT_AVAILABLE, NOT_APPLICABLE):
        if m not in want:
            continue
        if m == CONFIDENTIAL:
            text = (f"confidential: counts from 1 to {threshold - 1} are suppressed, and other "
                    "figures where a suppressed count could otherwise be worked out from a "
                    "total, or from a rate or percentage")
        else:
            text = MARKERS[m]
        notes.append(f"{m} = {text}.")
    return notes


# --------------------------------------------------------------------------- suppression


def primary_mask(counts: Any, threshold: int = 5, suppress_zero: bool = False) -> np.ndarray:
    """Which counts are suppressed in their own right: ``0 < count < threshold``.

    Parameters
    ----------
    counts : array-like or pandas.Series
        The counts; NaN (missing) is never suppressed (it shows as ``[x]``).
    threshold : int
        Smallest count shown (default 5: counts 1 to 4 are suppressed).
    suppress_zero : bool
        Also suppress zeros.  Default ``False``: a zero is shown.

    Returns
    -------
    numpy.ndarray of bool

    Notes
    -----
    Zeros are shown by default.  A zero identifies no one: ONS's confidentiality
    guidance for health statistics treats small non-zero cells (1 to 4 in the
    usual rule) as the risk, and suppressing zeros as well hides the many
    structural zeros of health tables and pushes secondary suppression onto
    more cells.  A zero can still disclose by *group attribution* (if every
    member of a known group is in one category, a zero elsewhere tells you
    something about each of them); where that applies, set
    ``suppress_zero=True``.

    Examples
    --------
    >>> primary_mask([0, 1, 4, 5, 12, float("nan")]).tolist()
    [False, True, True, False, False, False]
    >>> primary_mask([0, 3], suppress_zero=True).tolist()
    [True, True]
    """
    a = np.asarray(counts, dtype=float)
    if np.any(a < 0):
        i = int(np.flatnonzero(a.ravel() < 0)[0])
        raise DataError("primary_mask", "counts must be >= 0", row=i, value=float(a.ravel()[i]))
    with np.errstate(invalid="ignore"):
        return ~np.isnan(a) & (a < threshold) & ((a > 0) | suppress_zero)


def _complement(values: np.ndarray, hidden: np.ndarray, parts: Sequence[int]) -> int | None:
    """The part to suppress alongside: the smallest non-zero shown part, else a zero part."""
    shown = [i for i in parts if not hidden[i]]
    if not shown:
        return None
    nonzero = [i for i in shown if values[i] > 0]
    pool = nonzero or shown
    return min(pool, key=lambda i: (values[i], i))


def secondary_mask(values: Any, mask: Any, constraints: Sequence[tuple[int, Sequence[int]]]
                   ) -> np.ndarray:
    """Extend a suppression mask so no hidden cell equals a total minus the shown parts.

    Parameters
    ----------
    values : array-like, 1-D
        All cells (parts and totals) flattened.
    mask : array-like of bool, 1-D
        Cells already suppressed.
    constraints : sequence of (total_index, part_indices)
        Each says ``values[total_index] = sum(values[part_indices])``.

    Returns
    -------
    numpy.ndarray of bool
        The extended mask.  A constraint with exactly one unknown cell (a
        suppressed one, or a missing NaN one) would reveal it, so another cell
        of that constraint is suppressed: the smallest non-zero part still shown
        (a zero only if no non-zero part is left; the total if no part is left).
        Repeated over all constraints until nothing changes.

    Notes
    -----
    This is the standard complementary-suppression rule of the GSS/ONS
    guidance for tables with margins: every row and column that holds a
    suppressed cell must hold at least two unknowns.  It does not solve the
    full linear system across several rows and columns at once (an "audit"),
    nor guard the range a suppressed value could take; tables with many
    margins should be checked by the analyst.

    Examples
    --------
    Parts 2, 7, 9 and total 18: the 2 is suppressed, so the 7 is too.

    >>> secondary_mask([2, 7, 9, 18], [True, False, False, False], [(3, [0, 1, 2])]).tolist()
    [True, True, False, False]
    """
    v = np.asarray(values, dtype=float).ravel()
    hidden = np.asarray(mask, dtype=bool).ravel().copy()
    unknown = hidden | np.isnan(v)
    changed = True
    while changed:
        changed = False
        for total, parts in constraints:
            cells = [total, *parts]
            if sum(bool(unknown[i]) for i in cells) != 1 or not any(hidden[i] for i in cells):
                continue
            pick = _complement(v, unknown, parts)
            if pick is None:
                pick = total if not unknown[total] else None
            if pick is None:
                continue
            hidden[pick] = True
            unknown[pick] = True
            changed = True
    return hidden


def suppress_series(parts: Any, total: float | None = None, threshold: int = 5,
                    suppress_zero: bool = False) -> tuple[np.ndarray, bool]:
    """Primary and secondary suppression for one list of parts and its total.

    Parameters
    ----------
    parts : array-like
        The part counts.
    total : float, optional
        Their total, if it is shown; ``None`` when no total is printed.
    threshold, suppress_zero
        As in :func:`primary_mask`.

    Returns
    -------
    (numpy.ndarray of bool, bool)
        The mask for the parts, and whether the total is suppressed.

    Examples
    --------
    >>> mask, total_hidden = suppress_series([3, 12, 40], total=55)
    >>> mask.tolist(), total_hidden
    ([True, True, False], False)
    """
    p = np.asarray(parts, dtype=float).ravel()
    if total is None:
        return primary_mask(p, threshold, suppress_zero), False
    v = np.append(p, float(total))
    m = primary_mask(v, threshold, suppress_zero)
    out = secondary_mask(v, m, [(len(p), list(range(len(p))))])
    return out[:-1], bool(out[-1])


def suppress_table(table: pd.DataFrame, threshold: int = 5, suppress_zero: bool = False,
                   row_total: Any = None, col_total: Any = None) -> pd.DataFrame:
    """Primary and secondary suppression for a wide table of counts with margins.

    Parameters
    ----------
    table : pandas.DataFrame
        Counts, parts in the body; optionally a total row and a total column.
    threshold, suppress_zero
        As in :func:`primary_mask`.
    row_total : label, optional
        Index label of the row holding column totals (e.g. ``"Total"``).
    col_total : label, optional
        Column label of the column holding row totals.

    Returns
    -------
    pandas.DataFrame of bool
        ``True`` where the cell must be shown as ``[c]``.

    Examples
    --------
    >>> t = pd.DataFrame({"F": [3, 20, 23], "M": [10, 15, 25], "Total": [13, 35, 48]},
    ...                  index=["A", "B", "Total"])
    >>> suppress_table(t, row_total="Total", col_total="Total").values.tolist()
    [[True, True, False], [True, True, False], [False, False, False]]
    """
    vals = table.to_numpy(dtype=float)
    nr, nc = vals.shape
    rows = list(table.index)
    cols = list(table.columns)
    ri = rows.index(row_total) if row_total is not None else None
    ci = cols.index(col_total) if col_total is not None else None
    idx = np.arange(nr * nc).reshape(nr, nc)
    constraints: list[tuple[int, list[int]]] = []
    if ci is not None:
        for r in range(nr):
            constraints.append((int(idx[r, ci]), [int(idx[r, c]) for c in range(nc) if c != ci]))
    if ri is not None:
        for c in range(nc):
            constraints.append((int(idx[ri, c]), [int(idx[r, c]) for r in range(nr) if r != ri]))
    m = primary_mask(vals, threshold, suppress_zero).ravel()
    out = secondary_mask(vals.ravel(), m, constraints).reshape(nr, nc)
    return pd.DataFrame(out, index=table.index, columns=table.columns)


def hide_dependent(values: Any, numerator_mask: Any) -> np.ndarray:
    """Hide (set NaN) rates or percentages whose numerator is suppressed.

    Examples
    --------
    >>> hide_dependent([12.5, 40.0], [True, False]).tolist()
    [nan, 40.0]
    """
    v = np.asarray(values, dtype=float).copy()
    v[np.asarray(numerator_mask, dtype=bool)] = np.nan
    return v


def dsr_mask(total_counts: Any, min_events: int = DSR_MIN_EVENTS) -> np.ndarray:
    """Which DSRs are not shown: those on fewer than ``min_events`` (10) events.

    Notes
    -----
    OHID Fingertips technical guidance: DSRs are not calculated when the total
    count is below 10 (the rate is unreliable and the Dobson limits invalid).

    Examples
    --------
    >>> dsr_mask([9, 10, 250]).tolist()
    [True, False, False]
    """
    a = np.asarray(total_counts, dtype=float)
    return ~(a >= min_events)


# --------------------------------------------------------------------------- display frame


@dataclass(frozen=True)
class Margin:
    """A total within a tidy frame: within each group of ``by``, the row whose ``part``
    column equals ``total`` is the sum of the other rows.

    Examples
    --------
    Areas with a "Total" row per sex, and sexes with an "All" row per area:

    >>> Margin(by=("sex",), part="area", total="Total")
    Margin(by=('sex',), part='area', total='Total')
    """

    by: tuple[str, ...]
    part: str
    total: Any


def _margin_constraints(df: pd.DataFrame, margins: Sequence[Margin], source: str
                        ) -> list[tuple[int, list[int]]]:
    pos = pd.Series(np.arange(len(df)), index=df.index)
    constraints: list[tuple[int, list[int]]] = []
    for mg in margins:
        keys = list(mg.by)
        for col in [*keys, mg.part]:
            if col not in df.columns:
                raise DataError(source, "margin column missing", column=col)
        groups = df.groupby(keys, sort=False, dropna=False) if keys else [((), df)]
        for _, g in groups:
            is_total = g[mg.part] == mg.total
            if int(is_total.sum()) != 1:
                if int(is_total.sum()) == 0:
                    continue  # no total printed for this group: nothing to derive from
                raise DataError(source, f"more than one '{mg.total}' row in a group of "
                                f"{keys or 'the frame'}", row=g.index[is_total][1],
                                column=mg.part)
            total = int(pos[g.index[is_total][0]])
            parts = [int(pos[i]) for i in g.index[~is_total]]
            constraints.append((total, parts))
    return constraints


def _fmt(v: float, decimals: int) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return NOT_AVAILABLE
    return format_number(round_half_up(float(v), decimals), decimals)


def display_frame(df: pd.DataFrame, counts: Sequence[str], *,
                  rates: Mapping[str, str | Sequence[str]] | None = None,
                  dsrs: Mapping[str, str] | None = None,
                  margins: Sequence[Margin] = (),
                  threshold: int = 5, suppress_zero: bool = False,
                  decimals: Mapping[str, int] | int = 1,
                  not_applicable: Mapping[str, Any] | None = None,
                  source: str = "table") -> pd.DataFrame:
    """A tidy frame as a table prints it, with disclosure control applied.

    Parameters
    ----------
    df : pandas.DataFrame
        Tidy data: one row per cell of the printed table.
    counts : sequence of str
        Count columns: primary suppression, then secondary suppression over
        ``margins``; printed as whole numbers with thousands separators.
    rates : mapping of str to str or sequence of str, optional
        Rate or percentage column → its numerator count column, or a tuple of
        count columns it depends on (numerator and denominator), all listed in
        ``counts``.  Hidden as ``[c]`` where any of them is suppressed (a rate
        beside a shown denominator gives the numerator back).  List each
        interval column too (``{"value": "x", "lower95": "x", ...}``).
    dsrs : mapping of str to str, optional
        DSR column (or one of its limits) → the column of total events; shown as
        ``[x]`` below 10 events, and as ``[c]`` if that count is suppressed.
    margins : sequence of Margin
        The totals printed in the table, for secondary suppression.
    threshold, suppress_zero
        As in :func:`primary_mask`.
    decimals : int or mapping
        Decimal places for rate and DSR columns (default 1); counts use 0.
    not_applicable : mapping of str to value, optional
        Column → a marker value meaning "no figure can exist" (shown ``[z]``).
    source : str
        Named in error messages.

    Returns
    -------
    pandas.DataFrame
        The same rows and columns; listed columns become strings (``"1,311"``,
        ``"[c]"``, ``"[x]"``, ``"[z]"``), others are unchanged.  The markers
        used are in ``.attrs["shorthand"]``; pass them to :func:`shorthand_notes`.
        The boolean suppression masks are in ``.attrs["suppressed"]``.

    Examples
    --------
    >>> df = pd.DataFrame({"area": ["A", "B", "C", "Total"], "n": [3, 40, 12, 55],
    ...                    "pct": [5.45, 72.73, 21.82, 100.0]})
    >>> out = display_frame(df, ["n"], rates={"pct": "n"}, margins=[Margin((), "area", "Total")])
    >>> out[["n", "pct"]].values.tolist()
    [['[c]', '[c]'], ['40', '72.7'], ['[c]', '[c]'], ['55', '100.0']]
    >>> shorthand_notes(out.attrs["shorthand"])[0][:20]
    '[c] = confidential: '
    """
    rates = {k: ((v,) if isinstance(v, str) else tuple(v)) for k, v in (rates or {}).items()}
    dsrs = dict(dsrs or {})
    _check_display_columns(df, counts, rates, dsrs, source)
    masks = _count_masks(df, counts, margins, threshold, suppress_zero, source)
    cells = _Cells(df, dict(not_applicable or {}))

    def dec(col: str) -> int:
        return decimals.get(col, 1) if isinstance(decimals, Mapping) else int(decimals)

    out = df.copy()
    for c in counts:
        out[c] = cells.render(c, masks[c], 0)
    for rc, nums in rates.items():
        out[rc] = cells.render(rc, np.logical_or.reduce([masks[num] for num in nums]), dec(rc))
    for dc, tot in dsrs.items():
        totals = pd.to_numeric(df[tot], errors="coerce").to_numpy(dtype=float)
        hide = masks.get(tot, np.zeros(len(df), dtype=bool))
        out[dc] = cells.render(dc, hide, dec(dc), dsr_mask(totals))
    out.attrs["shorthand"] = [m for m in (CONFIDENTIAL, NOT_AVAILABLE, NOT_APPLICABLE)
                              if m in cells.used]
    out.attrs["suppressed"] = {k: v.tolist() for k, v in masks.items()}
    return out


def _check_display_columns(df: pd.DataFrame, counts: Sequence[str],
                           rates: Mapping[str, tuple[str, ...]], dsrs: Mapping[str, str],
                           source: str) -> None:
    """Every column :func:`display_frame` is told of exists, and every rate's counts are counts."""
    deps = [d for v in rates.values() for d in v]
    for c in [*counts, *rates, *deps, *dsrs, *dsrs.values()]:
        if c not in df.columns:
            raise DataError(source, "column missing; have " + ", ".join(map(str, df.columns)),
                            column=c)
    for rc, nums in rates.items():
        for num in nums:
            if num not in counts:
                raise DataError(source, f"count '{num}' of rate '{rc}' must be listed in counts",
                                column=rc)


def _count_masks(df: pd.DataFrame, counts: Sequence[str], margins: Sequence[Margin],
                 threshold: int, suppress_zero: bool, source: str) -> dict[str, np.ndarray]:
    """Each count column's suppression: primary, then secondary over the printed margins."""
    masks: dict[str, np.ndarray] = {}
    constraints = _margin_constraints(df, margins, source) if margins else []
    for c in counts:
        vals = pd.to_numeric(df[c], errors="coerce").to_numpy(dtype=float)
        if np.any(vals < 0):
            i = int(np.flatnonzero(vals < 0)[0])
            raise DataError(source, "counts must be >= 0", row=df.index[i], column=c,
                            value=float(vals[i]))
        m = primary_mask(vals, threshold, suppress_zero)
        masks[c] = secondary_mask(vals, m, constraints) if constraints else m
    return masks


class _Cells:
    """Renders a column's cells as printed text, remembering which shorthand markers it used."""

    def __init__(self, df: pd.DataFrame, not_applicable: Mapping[str, Any]) -> None:
        self.df, self.na = df, not_applicable
        self.used: set[str] = set()

    def render(self, col: str, hide: np.ndarray, places: int,
               unavailable: np.ndarray | None = None) -> list[str]:
        """``[z]`` for the not-applicable marker, ``[c]`` where hidden, ``[x]`` where
        unavailable or missing, else the number at ``places`` decimals."""
        vals = pd.to_numeric(self.df[col], errors="coerce").to_numpy(dtype=float)
        cells = []
        for i, v in enumerate(vals):
            if col in self.na and self.df[col].iloc[i] == self.na[col]:
                cells.append(NOT_APPLICABLE)
            elif hide[i]:
                cells.append(CONFIDENTIAL)
            elif (unavailable is not None and unavailable[i]) or math.isnan(v):
                cells.append(NOT_AVAILABLE)
            else:
                cells.append(_fmt(v, places))
        self.used.update(x for x in cells if x in MARKERS)
        return cells


# --------------------------------------------------------------------------- words


_ANCHORS: tuple[tuple[float, str], ...] = (
    (5.0, "one in twenty"),
    (10.0, "one in ten"),
    (20.0, "one in five"),
    (25.0, "a quarter"),
    (30.0, "three in ten"),
    (100.0 / 3.0, "a third"),
    (40.0, "four in ten"),
    (50.0, "half"),
    (60.0, "six in ten"),
    (200.0 / 3.0, "two thirds"),
    (70.0, "seven in ten"),
    (75.0, "three quarters"),
    (80.0, "four in five"),
    (90.0, "nine in ten"),
)


def quantify(percent: float, decimals: int = 0) -> str:
    """Words for a percentage, chosen from the figure as printed, followed by the figure.

    Parameters
    ----------
    percent : float
        A percentage, 0 to 100.
    decimals : int
        Decimal places of the printed figure (rounded half-up).

    Returns
    -------
    str
        E.g. ``"about two thirds (67%)"``.

    Notes
    -----
    The words are a function of the printed (rounded) figure ``d``, so two equal
    printed figures always get the same words and the words never contradict
    them:

    * ``d = 0``: "none" if the value is exactly 0, else "almost none";
    * ``0 < d < 5``: "very few"; ``95 <= d < 100``: "nearly all";
    * ``d = 100``: "all" if exactly 100, else "almost all";
    * otherwise the nearest of 1/20, 1/10, 1/5, 1/4, 3/10, 1/3, 2/5, 1/2, 3/5,
      2/3, 7/10, 3/4, 4/5, 9/10: "about" within 1 point, "just over" or "just
      under" within 3 points, "more than" or "fewer than" beyond.

    Examples
    --------
    >>> quantify(66.7), quantify(52), quantify(96.2), quantify(50)
    ('about two thirds (67%)', 'just over half (52%)', 'nearly all (96%)', 'about half (50%)')
    >>> quantify(85), quantify(0.3), quantify(100)
    ('more than four in five (85%)', 'almost none (0%)', 'all (100%)')
    """
    if percent is None or not math.isfinite(float(percent)):
        raise DataError("quantify", "percent must be a finite number", value=percent)
    p = float(percent)
    if not -1e-9 <= p <= 100 + 1e-9:
        raise DataError("quantify", "percent must be between 0 and 100", value=percent)
    d = round_half_up(p, decimals)
    shown = format_number(d, decimals, "percent")
    if d == 0:
        words = "none" if p == 0 else "almost none"
    elif d == 100:
        words = "all" if p == 100 else "almost all"
    elif d < 5:
        words = "very few"
    elif d >= 95:
        words = "nearly all"
    else:
        anchor, label = min(_ANCHORS, key=lambda a: (abs(d - a[0]), a[0]))
        diff = d - anchor
        if abs(diff) <= 1:
            words = f"about {label}"
        elif diff > 0:
            words = f"{'just over' if diff <= 3 else 'more than'} {label}"
        else:
            words = f"{'just under' if -diff <= 3 else 'fewer than'} {label}"
    return f"{words} ({shown})"


def quantify_share(part: float, whole: float, decimals: int = 0) -> str:
    """:func:`quantify` for ``part`` out of ``whole``.

    Examples
    --------
    >>> quantify_share(26, 50)
    'just over half (52%)'
    """
    if not whole or whole < 0 or part < 0 or part > whole:
        raise DataError("quantify_share", "need 0 <= part <= whole and whole > 0",
                        value=(part, whole))
    return quantify(part / whole * 100.0, decimals)
