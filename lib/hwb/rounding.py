"""What rounding allows: whether printed parts can add up to a printed total.

A printed figure stands for every unrounded value that rounds to it, so printed parts may sum
to a little more or less than their printed total.  :func:`sum_of_parts` says whether they
do, within what the rounding of the parts allows, as a :class:`Comparison`, the outcome type
of every check (:mod:`hwb.toolkit.checks` holds the others).  It sits on the ground floor so
that a data source can check its own shares (:func:`hwb.sources.ccg_hwb.share_check`) without
importing the toolkit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hwb.fmt import decimals_of, format_number, parse_number
from hwb.protocol import Status

__all__ = ["Comparison", "sum_of_parts"]

_EPS = 1e-9


@dataclass(frozen=True)
class Comparison:
    """The outcome of comparing a computed value with a printed one."""

    status: str
    reason: str
    printed: float
    decimals: int
    difference: float
    project_choice: str = ""
    """When the outcome depends on a choice the project made (a denominator, a data vintage,
    a tolerance), that choice in words; blank when it does not."""


def sum_of_parts(total: str | float, parts: Sequence[str | float]) -> Comparison:
    """A printed total against the sum of its printed parts.

    The tolerance is what rounding implies: each part may be off by half a unit
    of its last place, so the sum may be off by the sum of those halves (plus
    half a unit of the total's own last place).

    Examples
    --------
    >>> sum_of_parts("6.84", ["3.78", "1.33", "1.73"]).status
    'reproduced'
    >>> sum_of_parts("8.00", ["5.80", "1.20", "0.99"]).status
    'rounding'
    >>> sum_of_parts("9.4", ["2.6", "5.5", "1.2"]).status
    'rounding'
    >>> sum_of_parts("100", ["60", "30"]).status
    'differs'
    """
    total_v = parse_number(total)
    s = sum(parse_number(x) for x in parts)
    d_total = decimals_of(str(total))
    slack = sum(0.5 * 10.0 ** -decimals_of(str(x)) for x in parts) + 0.5 * 10.0**-d_total
    diff = s - total_v
    shown = format_number(s, max([decimals_of(str(x)) for x in parts] + [d_total]))
    if abs(diff) <= _EPS + 1e-9 * abs(total_v):
        return Comparison(Status.REPRODUCED.value, f"parts sum to {shown}, the printed total",
                          total_v, d_total, diff)
    if abs(diff) <= slack + _EPS:
        return Comparison(
            Status.ROUNDING.value,
            f"parts sum to {shown} against the printed total {total}: "
            "within the rounding of the parts",
            total_v,
            d_total,
            diff,
        )
    return Comparison(
        Status.DIFFERS.value,
        f"parts sum to {shown} against the printed total {total}: {diff:+.4g}, "
        f"more than rounding allows (±{slack:.3g})",
        total_v,
        d_total,
        diff,
    )
