"""A chart of every area's change in an indicator between two years, one area highlighted.

Used by the falls paper (the board's area among England's districts and unitary authorities)
and the national summary.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def national_chart(change: pd.DataFrame, area_code: str, area_name: str, comparator_name: str,
                   start: str, end: str) -> tuple[Any, str]:
    """A chart of every area's percentage change, the area highlighted, and its text alternative.

    Areas are bars sorted from the largest fall to the largest rise; the
    highlighted area is a darker, hatched bar with a label (never colour
    alone); the comparator's change is a dashed line.

    Returns
    -------
    (matplotlib Figure, str)
        The figure and its alt text, generated from the data.
    """
    import matplotlib.pyplot as plt

    from hwb.fmt import format_number
    from hwb.toolkit.charts import PALETTE

    df = change.reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(9, 4.6))
    x = np.arange(len(df))
    is_area = (df["area_code"] == area_code).to_numpy()
    ax.bar(x[~is_area], df.loc[~is_area, "pct_change"], width=1.0, color="#7f95b3",
           linewidth=0, label="other districts and unitary authorities")
    if is_area.any():
        i = int(np.flatnonzero(is_area)[0])
        v = float(df.loc[i, "pct_change"])
        ax.bar([i], [v], width=max(3.0, len(df) / 80), color=PALETTE[1], hatch="///",
               edgecolor="black", label=area_name)
        ax.annotate(f"{area_name} {format_number(v, 1)}%", (i, v), xytext=(12, -4),
                    textcoords="offset points", fontsize=10, fontweight="bold",
                    arrowprops={"arrowstyle": "-", "color": "black"})
    cp = float(df["comparator_pct_change"].iloc[0])
    ax.axhline(cp, color=PALETTE[0], linestyle="--", linewidth=1.5,
               label=f"{comparator_name} {format_number(cp, 1)}%")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xlim(-1, len(df))
    ax.set_xticks([])
    ax.set_xlabel(f"{len(df)} districts and unitary authorities, sorted by change")
    ax.set_ylabel(f"% change in rate, {start} to {end}")
    ax.legend(loc="upper left", frameon=False)
    alt = national_alt(df, area_code, area_name, comparator_name, start, end)
    return fig, alt


def national_alt(change: pd.DataFrame, area_code: str, area_name: str, comparator_name: str,
                 start: str, end: str) -> str:
    """Text alternative for :func:`national_chart`, generated from the data.

    Examples
    --------
    >>> c = pd.DataFrame({"area_code": ["A", "B", "C"], "area_name": ["Ay", "Bee", "Cee"],
    ...                   "pct_change": [-30.0, -5.0, 12.0], "comparator_pct_change": [2.0] * 3,
    ...                   "rank": [1, 2, 3]})
    >>> national_alt(c, "B", "Bee", "England", "2011/12", "2015/16")[:60]
    'Bar chart of the percentage change in the rate of emergency '
    """
    from hwb.fmt import format_number

    df = change.sort_values("pct_change").reset_index(drop=True)
    lo, hi = df.iloc[0], df.iloc[-1]
    n = len(df)
    cp = float(df["comparator_pct_change"].iloc[0])
    falls = int((df["pct_change"] < 0).sum())
    text = (f"Bar chart of the percentage change in the rate of emergency admissions for falls "
            f"aged 65+ from {start} to {end} in {n} districts and unitary authorities, ranging "
            f"from {format_number(float(lo['pct_change']), 1)}% ({lo['area_name']}) to "
            f"{format_number(float(hi['pct_change']), 1)}% ({hi['area_name']}); {falls} of {n} "
            f"fell. {comparator_name}: {format_number(cp, 1)}%.")
    row = df[df["area_code"] == area_code]
    if len(row):
        r = row.iloc[0]
        text += (f" {area_name}: {format_number(float(r['pct_change']), 1)}%, "
                 f"the {_ordinal(int(r['rank']))} largest fall of {n}.")
    return text


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
