"""The national summary's falls context: every district's change in the falls rate, charted.

The data and the change table are :mod:`hwb.sources.phof_falls` and the chart and its text
alternative :func:`hwb.toolkit.change_chart.national_chart`, both shared with the falls
paper (which this paper does not import).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from hwb.sources import phof_falls
from hwb.toolkit.change_chart import national_chart
from hwb.toolkit.figures import Recorder


def record_falls_context(rec: Recorder, start: str, end: str) -> dict[str, Any]:
    """Record England's change and the counts of areas; return the table, chart and its data.

    Returns
    -------
    dict
        ``change`` (:func:`hwb.sources.phof_falls.national_change`), ``figure``, ``alt``,
        ``data`` (the chart's data, display-ready) and ``rates`` (the national table).
    """
    rates = phof_falls.load_national()
    change = phof_falls.national_change(rates, start, end)
    rec.record("falls.england_pct_change", f"England: change in the falls rate, {start} to "
               f"{end}", float(change["comparator_pct_change"].iloc[0]), "percent", 1,
               inputs=[phof_falls.NATIONAL_FILE])
    rec.record("falls.areas", "Districts and unitary authorities with a falls rate in both years",
               len(change), "areas", 0)
    rec.record("falls.areas_fell", f"Districts and unitary authorities whose falls rate fell, "
               f"{start} to {end}", int((change["pct_change"] < 0).sum()), "areas", 0)
    rec.record("falls.areas_better_than_england", "Districts and unitary authorities whose "
               "change was below England's", int((change["vs_comparator"] < 0).sum()),
               "areas", 0)
    fig, alt = national_chart(change, "", "", "England", start, end)
    data = change[["area_name", "dsr_start", "dsr_end", "pct_change"]].rename(columns={
        "area_name": "Area", "dsr_start": f"Rate {start}", "dsr_end": f"Rate {end}",
        "pct_change": "Change (%)"}).set_index("Area")
    return {"change": change, "figure": fig, "alt": alt, "data": data, "rates": rates}


def record_falls_quality(rec: Recorder, rates: pd.DataFrame, change: pd.DataFrame, start: str,
                         end: str) -> None:
    """Record how many districts and unitary authorities lack a rate in either year."""
    district_ua = rates[rates["area_code"].str[:3].isin(phof_falls.DISTRICT_UA_PREFIXES)]
    rec.record("quality.falls_without_both_years", f"Districts and unitary authorities without a "
               f"falls rate in both {start} and {end}",
               district_ua["area_code"].nunique() - len(change), "areas", 0)
