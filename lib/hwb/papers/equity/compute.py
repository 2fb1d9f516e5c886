"""The equity appendix's better method: exact tests of every service, adjusted for multiplicity."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hwb.papers.equity import adjust_pvalues, exact_tests


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
