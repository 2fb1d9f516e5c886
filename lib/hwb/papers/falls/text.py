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


INDICATOR = (
    "- **Indicator.** Emergency hospital admissions due to falls in people aged 65 and over "
    "(PHOF 2.24i, Fingertips 22401): directly age-standardised rates per 100,000, European "
    "Standard Population 2013.\n"
)

CLAIM_METHODS = (
    "- **Counts.** Printed counts are used where printed; other years are the rate times an "
    "effective denominator (count / rate in the printed years), interpolated geometrically "
    "between them and grown with the BCF template's 65+ population after the last one.\n"
    "- **Rebuilding the claim.** Falls prevented = the sum over the years of (baseline count "
    "minus that year's count), and three other arithmetics; times each Torbay unit cost (total "
    "/ cohort). Each result is compared with the printed figure by rounding to its printed "
    "precision (hwb.toolkit.checks.compare).\n"
    "- **Counterfactual.** Difference in differences on the standardised rates: the area's mean "
    "pre-period rate times the comparator's rate that year over its own pre-period mean (or "
    "plus the difference, by parameter).\n"
    "- **Intervals.** Poisson intervals on counts by the Fingertips rule (exact below 10 events, "
    "Byar's method from 10), at the confidence level stated beside each table.\n"
    "- **Costs.** Incremental cost per admission avoided: (admission + 12 months after - 12 "
    "months before) / cohort. The defensible estimate is in one price year (a parameter): the "
    "Torbay costs and the service's cost are moved to it with the ONS GDP deflator (series "
    "YBGB), as the Green Book does; a financial year takes the mean of its two calendar years' "
    "deflators, weighted 9:3 by months. The rebuild of the claim keeps the study's own prices, "
    "as the paper did. The service's own annual cost is taken off for each year.\n"
    "- **Rates' intervals.** Only in the years with a printed count: the rate times Byar's "
    "limits on the count over the count (Dobson's method without the age breakdown).\n"
)

BOARD_METHODS = (
    "- **Comparisons.** The change in the rate between two years for every district and "
    "unitary authority in the shipped file, and for the board's comparable councils (CIPFA's "
    "nearest neighbours, whose model's vintage the table names). Shire counties are absent "
    "from the shipped file (their districts are in it), so a county has no rate of its own.\n"
    "- **A shire county's districts.** Each district the project's district-to-county lookup "
    "(the ONS mid-year estimates' hierarchy) places in the county, with its rate in every year "
    "of the comparison, Fingertips' comparison with England (better, similar or worse, from "
    "the district's interval) and its change. The districts' directly standardised rates are "
    "not summed or averaged: a county rate needs the admissions and populations by age.\n"
    "- **Counterfactual.** Difference in differences on the standardised rates: the area's mean "
    "pre-period rate times the comparator's rate that year over its own pre-period mean.\n"
    "- **Admissions avoided.** The counterfactual rate and the observed rate times the year's "
    "ONS 65+ population (the mid-year estimate of the financial year's first calendar year, "
    "interpolated for mid-2012 and mid-2013, as the source line says). A directly standardised "
    "rate is not a crude rate: this is the number of admissions at the standard age mix, and "
    "the true count differs by the ratio of the crude to the standardised rate, which the "
    "shipped data cannot give.\n"
    "- **Intervals.** None: the shipped file carries no counts, and an interval on a "
    "standardised rate needs its count.\n"
)


def methods_markdown(with_claim: bool) -> str:
    """The methods and definitions section: the claim's methods when a claim is rebuilt.

    Examples
    --------
    >>> "Rebuilding the claim" in methods_markdown(True), "Rebuilding" in methods_markdown(False)
    (True, False)
    """
    return INDICATOR + (CLAIM_METHODS if with_claim else BOARD_METHODS)


def board_assumptions(params: Any) -> Any:
    """The assumptions of the estimate for a board without a printed claim (RAG rated).

    Returns
    -------
    DataFrame
        ``id, assumption, applies_to, basis, quality, impact`` as
        :func:`hwb.papers.falls.assumptions_log`.
    """
    import pandas as pd

    rows = [
        ("B1", "Without a local change the area's rate would have followed "
               f"{params.comparator_name}'s proportional change, starting from its mean over "
               f"{', '.join(params.pre_period)}.", "admissions avoided",
         "difference in differences on published rates; parallel trends cannot be tested "
         "with so short a pre-period", "amber", "red"),
        ("B2", "The whole difference from the counterfactual is due to a local change (and not "
               "to coding, recording or chance).", "admissions avoided", "assumed", "red", "red"),
        ("B3", "The area's 65+ population has the European standard age mix (a standardised "
               "rate times the population is then a count).", "admissions avoided",
         "assumed; the shipped file has no counts to test it", "red", "amber"),
        ("B4", "The ONS mid-year estimate of the financial year's first calendar year stands "
               "for the year.", "admissions avoided", "ONS mid-year estimates (two interpolated)",
         "amber", "green"),
        ("B5", "Comparable councils in CIPFA's later model were comparable in these years.",
         "comparisons", "assumed; the model's vintage is named", "amber", "amber"),
    ]
    return pd.DataFrame(rows, columns=["id", "assumption", "applies_to", "basis", "quality",
                                       "impact"])
