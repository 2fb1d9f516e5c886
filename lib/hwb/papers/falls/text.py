"""Sources and formats the falls appendix's text and tables share."""

from __future__ import annotations

from typing import Any

from hwb.fmt import format_number

SRC_RATES = (
    "OHID Fingertips, indicator 22401 (PHOF 2.24i), emergency hospital admissions due "
    "to falls in people aged 65 and over, directly standardised rates"
)
SRC_TORBAY = (
    "The King's Fund (Tian Y, Thompson J, Buck D, Sonola L), Exploring the system-wide "
    "costs of falls in older people in Torbay, August 2013"
)


def source_paper(params: Any) -> str:
    """The board paper as a source line: board, meeting date, item and title."""
    return (
        f"{params.board_name}, {params.meeting_date}, item {params.agenda_item}: "
        f"{params.paper_title}"
    )


def money(v: float, d: int = 1) -> str:
    """£m at ``d`` decimals, for tables.

    Examples
    --------
    >>> money(9_061_234.0)
    '£9.1m'
    """
    return format_number(v / 1e6, d, "GBP") + "m"
