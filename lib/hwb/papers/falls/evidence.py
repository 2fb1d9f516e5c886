"""Evidence for the falls paper's printed claims (``data/falls/printed_claims.csv``).

Each claim names a subject; :func:`claims_evidence` maps every subject to what the shipped
data and this appendix's recomputation say, for :func:`hwb.toolkit.claims.check_claims`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pandas as pd

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}


def month_of(text: str) -> dt.date | None:
    """The first "Month YYYY" in a text, as the first day of that month.

    Examples
    --------
    >>> month_of("The King's Fund ... in Torbay. August 2013")
    datetime.date(2013, 8, 1)
    >>> month_of("no date") is None
    True
    """
    m = re.search(r"\b([A-Z][a-z]+) (\d{4})\b", text)
    while m is not None:
        if m.group(1).lower() in MONTHS:
            return dt.date(int(m.group(2)), MONTHS[m.group(1).lower()], 1)
        m = re.search(r"\b([A-Z][a-z]+) (\d{4})\b", text[m.end():])
    return None


def claims_evidence(rates: pd.DataFrame, claim_total_gbp: float, printed_total_per_year: float,
                    printed_annual: str, torbay_document: str,
                    claims: pd.DataFrame | None = None) -> dict[str, Any]:
    """Every subject of the falls claims, mapped to its evidence.

    Parameters
    ----------
    rates : DataFrame
        ``period, area``: the area's directly standardised rate.
    claim_total_gbp : float
        The headline rebuild of the printed saving, £.
    printed_total_per_year : float
        The printed total over the years counted, £m.
    printed_annual : str
        The printed average annual saving (£m, as printed).
    torbay_document : str
        The Torbay report's citation (names its month of publication).
    claims : DataFrame, optional
        The claims: approximate claims get their unrounded number under their own id.

    Examples
    --------
    >>> ev = claims_evidence(pd.DataFrame({"period": ["2011/12"], "area": [2407.0]}), 1.49e7,
    ...                      3.75, "3.6", "Torbay. August 2013")
    >>> ev["printed_total_per_year"], ev["torbay_report"]
    ({'this': '3.75', 'other': '3.6'}, datetime.date(2013, 8, 1))
    """
    ev: dict[str, Any] = {
        "rates.area": rates.set_index("period")["area"].dropna(),
        # the indicator the printed counts fit (PHOF 2.24i): admissions, not people
        "admissions_2015_16": {"of": "emergency admissions"},
        "saving_total": claim_total_gbp / 1e6,
        "printed_total_per_year": {"this": f"{printed_total_per_year:g}",
                                   "other": printed_annual},
        "torbay_report": month_of(torbay_document),
    }
    if claims is not None:
        for _, c in claims[claims["claim_type"] == "approximate"].iterrows():
            ev[str(c["claim_id"])] = ev.get(str(c["subject"]))
    return ev
