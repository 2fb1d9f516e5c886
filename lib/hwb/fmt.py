"""Numbers as a board paper prints them.

Spreadsheets round half away from zero (2.5 -> 3, 0.125 -> 0.13); Python's
``round`` rounds half to even and works in binary.  Every figure hwb prints or
compares goes through :func:`round_half_up`, on the decimal value of the float's
shortest repr, so that 0.125 rounds as a person expects.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np


def round_half_up(value: float, decimals: int = 0) -> float:
    """Round half away from zero to ``decimals`` places, as a spreadsheet does.

    Parameters
    ----------
    value : float
        The number to round.  NaN and infinities are returned unchanged.
    decimals : int
        Decimal places; negative values round to tens, hundreds, ...

    Returns
    -------
    float

    Examples
    --------
    >>> round_half_up(2.5), round_half_up(-2.5), round_half_up(0.125, 2)
    (3.0, -3.0, 0.13)
    >>> round_half_up(1166.52, 0), round_half_up(15_000_000, -6)
    (1167.0, 15000000.0)
    """
    if value is None or not math.isfinite(float(value)):
        return float("nan") if value is None else float(value)
    try:
        d = Decimal(repr(float(value)))
    except InvalidOperation:  # pragma: no cover - repr of a finite float is always valid
        return float(value)
    q = Decimal(1).scaleb(-decimals)
    return float(d.quantize(q, rounding=ROUND_HALF_UP))


def decimals_of(text: str) -> int:
    """Decimal places shown in a printed number ("8.00" -> 2, "1,311" -> 0, "3.27%" -> 2).

    Examples
    --------
    >>> decimals_of("8.00"), decimals_of("1,311"), decimals_of("-0.5"), decimals_of("3.27%")
    (2, 0, 1, 2)
    """
    text = str(text).strip().replace(",", "").replace("£", "").rstrip("%").strip()
    if "e" in text.lower():
        return 0
    return len(text.split(".", 1)[1]) if "." in text else 0


def parse_number(text: str | float | int) -> float:
    """Parse a printed number: thousands separators, £, % and spaces are ignored.

    Examples
    --------
    >>> parse_number("1,311"), parse_number("£3.6"), parse_number("8.0%")
    (1311.0, 3.6, 8.0)
    """
    if isinstance(text, (int, float, np.integer, np.floating)):
        return float(text)
    cleaned = str(text).strip().replace(",", "").replace("£", "").replace("%", "").strip()
    return float(cleaned)


def format_number(value: float, decimals: int = 0, unit: str = "") -> str:
    """Format a number for a board paper: thousands separators, fixed decimals.

    Percent units get a "%" sign and pounds a "£" prefix.

    Examples
    --------
    >>> format_number(1311, 0), format_number(8.004, 2), format_number(3.27, 1, "percent")
    ('1,311', '8.00', '3.3%')
    >>> format_number(3_600_000, 0, "GBP")
    '£3,600,000'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "[x]"
    text = f"{round_half_up(float(value), decimals):,.{max(decimals, 0)}f}"
    if unit in ("percent", "%"):
        return text + "%"
    if unit in ("GBP", "£"):
        return ("-£" + text[1:]) if text.startswith("-") else "£" + text
    return text
