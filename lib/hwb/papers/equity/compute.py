"""The equity appendix's data logic, one function per appendix section.

Each function takes the tables of the section before it and returns tidy frames or a small
dataclass that the notebook shows and records; none draws or records.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hwb.fmt import format_number
from hwb.papers.equity import (
    IntervalFn,
    adjust_pvalues,
    denominator_range,
    exact_tests,
    rebuild_inputs,
    recover_row,
    threshold_bound_search,
)
from hwb.sources import smallarea


def percent_cell(value: float | None, decimals: int = 1) -> str:
    """A percentage for a table cell, ``[x]`` when missing.

    Examples
    --------
    >>> percent_cell(41.26, 1), percent_cell(float("nan")), percent_cell(None)
    ('41.3', '[x]', '[x]')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "[x]"
    return format_number(value, decimals)


@dataclass
class CountRecovery:
    """The whole-number counts consistent with each printed row, and the rebuilt inputs.

    Attributes
    ----------
    pairs : dict of DataFrame
        Per service key, the ``x, n`` pairs that reproduce the printed percentage and interval.
    how : dict of str
        Per service key, how the pairs were found (exact, or trailing zeros dropped).
    bounds : DataFrame
        :func:`hwb.papers.equity.threshold_bound_search` on those pairs.
    printed_counts : dict of tuple
        The counts printed in the text, ``key -> (clients from the areas, clients)``.
    inputs : DataFrame
        :func:`hwb.papers.equity.rebuild_inputs`: one count per service.
    table : DataFrame
        The section's table: service, printed figures, counts that fit, how found.
    """

    pairs: dict[str, pd.DataFrame]
    how: dict[str, str]
    bounds: pd.DataFrame
    printed_counts: dict[str, tuple[float, float]]
    inputs: pd.DataFrame
    table: pd.DataFrame

    @property
    def rows_with_counts(self) -> int:
        """Printed rows for which some whole-number count fits."""
        return int(sum(len(v) > 0 for v in self.pairs.values()))

    @property
    def rows_relaxed(self) -> int:
        """Rows that fit only when trailing zeros are read as not significant."""
        return int(sum(v == "trailing zeros dropped" for v in self.how.values()))


def printed_text_counts(printed: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """The client counts printed in the text (sections 4.3.1, 4.3.2 and 4.4).

    Returns ``key -> (clients from the areas, clients)``; NaN where the text gives none.

    Examples
    --------
    >>> pf = pd.DataFrame({"figure_id": ["pfp_adults.text.clients_from_areas",
    ...     "pfp_adults.text.clients", "pfp_children.text.clients_from_areas",
    ...     "pfp_children.text.clients", "ysf_quit_date.text.clients_from_areas"],
    ...     "value": ["1", "2", "3", "4", "5"]})
    >>> printed_text_counts(pf)["pfp_children"]
    (3.0, 4.0)
    """
    pv = dict(zip(printed["figure_id"], printed["value"], strict=True))
    return {
        "pfp_adults": (float(pv["pfp_adults.text.clients_from_areas"]),
                       float(pv["pfp_adults.text.clients"])),
        "pfp_children": (float(pv["pfp_children.text.clients_from_areas"]),
                         float(pv["pfp_children.text.clients"])),
        "ysf_quit_date": (float(pv["ysf_quit_date.text.clients_from_areas"]), float("nan")),
    }


def count_recovery(table: pd.DataFrame, printed: pd.DataFrame, wilson: IntervalFn,
                   confidence: float, max_n: int) -> CountRecovery:
    """Recover the counts behind every printed row and rebuild one count per service.

    Parameters
    ----------
    table : DataFrame
        :func:`hwb.papers.equity.printed_table`.
    printed : DataFrame
        The board's printed figures (numbers), for the counts quoted in the text.
    wilson : callable
        The interval method found to reproduce the table.
    confidence : float
        Confidence level of the intervals.
    max_n : int
        Largest number of clients tried.

    Returns
    -------
    CountRecovery

    Notes
    -----
    Counts are given as ranges, never listed, so that no small count is shown.
    """
    recovered = {r["key"]: recover_row(r, wilson, max_n) for _, r in table.iterrows()}
    pairs = {k: v[0] for k, v in recovered.items()}
    how = {k: v[1] for k, v in recovered.items()}
    bounds = threshold_bound_search(table, pairs, confidence)
    printed_counts = printed_text_counts(printed)
    inputs = rebuild_inputs(table, pairs, bounds, printed_counts, confidence)
    by_key = table.set_index("key")
    rows = []
    for _, r in inputs.iterrows():
        fit, row = pairs[r["key"]], by_key.loc[r["key"]]
        rows.append({
            "Service": row["label"],
            "Printed": f"{row['share']}% ({row['share_lower']}%, {row['share_upper']}%)",
            "Counts that fit": str(len(fit)),
            "Clients (n) range": (f"{fit['n'].min():,} to {fit['n'].max():,}" if len(fit)
                                  else "none"),
            "Fit after threshold check": str(r["pairs_after_threshold"]),
            "How found": how[r["key"]],
        })
    return CountRecovery(pairs, how, bounds, printed_counts, inputs, pd.DataFrame(rows))


def expected_interval_check(table: pd.DataFrame, wilson: IntervalFn, area_code: str,
                            area_name: str, population_year: int) -> pd.DataFrame:
    """Which population sizes make each printed expected share's interval a Wilson interval.

    Parameters
    ----------
    table : DataFrame
        :func:`hwb.papers.equity.printed_table`.
    wilson : callable
        The Wilson interval at the appendix's confidence level.
    area_code, area_name : str
        The authority, whose population in each age band is compared.
    population_year : int
        Mid-year of the small-area population estimates.

    Returns
    -------
    DataFrame
        One row per printed expected share: the share as printed, age band, basis, the
        population sizes that reproduce it, the authority's population in the band and
        whether it lies in that range (``yes``/``no``, ``[x]`` where no population is shipped).
    """
    distinct = table.drop_duplicates(["expected", "expected_lower", "expected_upper", "age_band"])
    all_lsoas = smallarea.utla_lsoas(area_code)["lsoa11_code"].tolist()
    rows = []
    for _, r in distinct.iterrows():
        rng = denominator_range(r["expected"], r["expected_lower"], r["expected_upper"], wilson)
        actual = (smallarea.band_population(all_lsoas, r["age_band"], population_year)
                  if r["basis"] == "msoa" else None)
        inside = None if actual is None or rng is None else rng[0] <= actual <= rng[1]
        rows.append({"Expected share as printed": f"{r['expected']}% ({r['expected_lower']}%, "
                                                   f"{r['expected_upper']}%)",
                     "Age band": r["age_band"], "Basis": r["basis"],
                     "Population sizes that reproduce it": "none" if rng is None else
                     f"{format_number(rng[0])} to {format_number(rng[1])}"
                     + (" or more" if rng[1] >= 1e6 else ""),
                     f"{area_name} population in the band, mid-{population_year}":
                         "[x]" if actual is None else format_number(actual),
                     "Consistent": "[x]" if inside is None else ("yes" if inside else "no")})
    return pd.DataFrame(rows)


def better_method(audit: pd.DataFrame, age_matched: pd.DataFrame,
                  family_alpha: float = 0.05) -> pd.DataFrame:
    """Exact binomial test of each service against its expected share, Holm and BH adjusted.

    Parameters
    ----------
    audit : DataFrame
        The rebuilt table: ``key, label, x, n, expected`` (percent).
    age_matched : DataFrame
        ``key, population_selected, population_total``: the age band's residents of the
        areas and of the authority, where the service is measured on small areas (NaN
        elsewhere: the audit's expected share is used).
    family_alpha : float
        The family-wise error rate of the Holm-adjusted finding.

    Returns
    -------
    DataFrame
        :func:`hwb.papers.equity.exact_tests` with ``holm``, ``bh``, ``direction`` (more /
        fewer) and ``finding``.

    Examples
    --------
    11 of 15 against 4.16% (P(X >= 11) below 1e-10) and 1 of 10 against 10%:

    >>> a = pd.DataFrame({"key": ["a", "b"], "label": ["A", "B"], "x": [11, 1], "n": [15, 10],
    ...                   "expected": [4.16, 10.0]})
    >>> m = pd.DataFrame({"key": ["a", "b"], "population_selected": [np.nan, np.nan],
    ...                   "population_total": [np.nan, np.nan]})
    >>> better_method(a, m)["finding"].tolist()
    ['significantly more', 'not significantly different']
    """
    tests = exact_tests(audit[["key", "label", "x", "n", "expected"]].merge(
        age_matched[["key", "population_selected", "population_total"]], on="key", how="left"))
    tests["holm"] = adjust_pvalues(tests["p_two_sided"], "holm")
    tests["bh"] = adjust_pvalues(tests["p_two_sided"], "bh")
    tests["direction"] = np.where(100 * tests["x"] / tests["n"] > tests["expected"], "more",
                                  "fewer")
    tests["finding"] = np.where(tests["holm"] < family_alpha,
                                np.where(tests["direction"] == "more", "significantly more",
                                         "significantly fewer"),
                                "not significantly different")
    return tests
