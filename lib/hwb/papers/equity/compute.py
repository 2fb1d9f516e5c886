"""The equity appendix's data logic, one function per appendix section.

Each function takes the tables of the section before it and returns tidy frames or a small
dataclass that the notebook shows and records; none draws or records.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hwb.fmt import format_number
from hwb.papers.equity import (
    IntervalFn,
    adjust_pvalues,
    audit_table,
    denominator_range,
    exact_tests,
    format_p,
    p_range,
    rebuild_inputs,
    recover_row,
    service_totals,
    threshold_bound_search,
    verdict_rule_search,
)
from hwb.sources import smallarea
from hwb.toolkit import disclosure


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


_RECORDED_FIELDS = ("share", "share_lower", "share_upper", "expected", "expected_lower",
                    "expected_upper", "threshold", "threshold_lower", "threshold_upper")
FIELD_WORDS = {"share": "share of clients from the areas", "share_lower": "its lower limit",
                "share_upper": "its upper limit", "expected": "expected share (population)",
                "expected_lower": "expected share, lower limit",
                "expected_upper": "expected share, upper limit",
                "threshold": "threshold share to improve health (c)",
                "threshold_lower": "threshold, lower limit",
                "threshold_upper": "threshold, upper limit"}


def rebuilt_audit(inputs: pd.DataFrame, table: pd.DataFrame, confidence: float) -> pd.DataFrame:
    """The audit's table rebuilt from one recovered count per service.

    Returns :func:`hwb.papers.equity.audit_table` with the printed ``label`` and the
    service (``svc``, ``service``) of each row.
    """
    audit = audit_table(inputs, confidence)
    audit = audit.merge(table[["key", "label", "service"]].rename(columns={"service": "svc"}),
                        on="key")
    audit["service"] = audit["svc"]
    return audit


def _table_figures(audit: pd.DataFrame, have: set[str], method: str) -> list[dict]:
    """The rebuilt Table 3 and Table 2 figures, and the same figures quoted in the text."""
    out: list[dict] = []
    for _, r in audit.iterrows():
        for tab in ("t3", "t2"):
            for f in _RECORDED_FIELDS:
                fid = f"{r['key']}.{tab}.{f}"
                if fid in have:
                    alts = ({"the threshold's lower limit": r["threshold_lower"]}
                            if f == "expected_upper" else None)
                    out.append({"id": fid, "label": f"{r['label']}: {FIELD_WORDS[f]}",
                                "value": float(r[f]), "unit": "percent",
                                "precision": 2 if f.startswith("expected") and r["key"] == "kts"
                                else 1, "alternatives": alts, "method": method})
            for f in ("verdict", "improves"):
                fid = f"{r['key']}.{tab}.{f}"
                if fid in have:
                    what = "verdict (b)" if f == "verdict" else "at a level to improve health (d)"
                    out.append({"id": fid, "label": f"{r['label']}: {what}", "value": str(r[f]),
                                "method": "non-overlapping intervals"})
    for _, r in audit.iterrows():
        for f in _RECORDED_FIELDS[:6]:
            fid = f"{r['key']}.text.{f}"
            if fid in have:
                out.append({"id": fid, "label": f"{r['label']}: {FIELD_WORDS[f]} (as quoted in "
                            "the text)", "value": float(r[f]), "unit": "percent", "precision": 1,
                            "alternatives": {"the threshold's lower limit": r["threshold_lower"]},
                            "method": method})
    return out


def rebuilt_audit_figures(audit: pd.DataFrame, printed_ids: set[str],
                          recovery: CountRecovery, confidence_label: str) -> list[dict]:
    """The figures of the rebuilt audit to record, as keyword arguments of ``Recorder.record``.

    Parameters
    ----------
    audit : DataFrame
        :func:`rebuilt_audit`.
    printed_ids : set of str
        Figure ids printed by the board (numbers and words): only these table figures are
        recorded.
    recovery : CountRecovery
        The recovered counts, for the counts quoted in the text.
    confidence_label : str
        The confidence level as shown, e.g. ``95%``.

    Returns
    -------
    list of dict
        In recording order: the table figures, the same figures quoted in the text, then the
        counts quoted in the text.
    """
    out = _table_figures(audit, printed_ids, f"Wilson score, {confidence_label}")
    by_key = audit.set_index("key")
    out.append({"id": "ehc.text.share_approx",
                "label": "EHC: share of clients from S60, S61 and S65, rounded",
                "value": float(by_key.loc["ehc", "share"]), "unit": "percent", "precision": 0})
    for key, what in (("pfp_adults", "adults"), ("pfp_children", "children")):
        fit = recovery.pairs[key]
        in_set = bool(((fit["x"] == by_key.loc[key, "x"]) & (fit["n"] == by_key.loc[key, "n"]))
                      .any())
        out.append({"id": f"{key}.text.clients",
                    "label": f"{what} engaged: a count that fits the printed table"
                    + (" (the printed count is in the recovered set)" if in_set else ""),
                    "value": int(by_key.loc[key, "n"]), "unit": "clients", "precision": 0,
                    "method": "count recovery"})
        out.append({"id": f"{key}.text.clients_from_areas",
                    "label": f"{what} from the areas: a count that fits",
                    "value": int(by_key.loc[key, "x"]), "unit": "clients", "precision": 0,
                    "method": "count recovery"})
    ysf = recovery.pairs["ysf_quit_date"]
    printed_x = recovery.printed_counts["ysf_quit_date"][0]
    near = int(ysf.iloc[(ysf["x"] - printed_x).abs().argsort()].iloc[0]["x"])
    out.append({"id": "ysf_quit_date.text.clients_from_areas",
                "label": "quit dates set from the areas: the recovered count nearest the "
                "printed one", "value": near, "unit": "clients", "precision": 0,
                "method": "count recovery"})
    return out


AUDIT_CELLS = ("x", "n", "share", "share_lower", "share_upper", "expected", "expected_lower",
               "expected_upper", "verdict", "threshold", "improves")
"""The cells of a row of the rebuilt audit as shown, each a recorded figure where it is shown
(:func:`rebuilt_audit_display`)."""
MARKERS = frozenset({disclosure.CONFIDENTIAL, disclosure.NOT_AVAILABLE,
                     disclosure.NOT_APPLICABLE})


def with_figures(shown: pd.DataFrame, cells: Mapping[tuple[int, str], object]) -> pd.DataFrame:
    """A display frame whose shown numbers are the recorded figures, so each cell is marked.

    A cell the display shows as a marker (``[c]`` suppressed, ``[x]``, ``[z]``) keeps the
    marker: disclosure control decides what is shown, the figure only what it links to.

    Parameters
    ----------
    shown : DataFrame
        The table as shown (text), e.g. from :func:`hwb.toolkit.disclosure.display_frame`.
    cells : mapping
        ``(row position, column) -> Figure`` (or any object shown by its text).

    Examples
    --------
    >>> shown = pd.DataFrame({"n": ["[c]", "40"]})
    >>> with_figures(shown, {(0, "n"): "three", (1, "n"): "forty"})["n"].tolist()
    ['[c]', 'forty']
    """
    out = shown.copy().astype(object)
    for (i, column), fig in cells.items():
        if str(out.iloc[i][column]) not in MARKERS:
            out.iat[i, out.columns.get_loc(column)] = fig
    out.attrs = dict(shown.attrs)
    return out


def rebuilt_audit_display(audit: pd.DataFrame, threshold: int, confidence_label: str,
                          figures: Mapping[str, Mapping[str, object]] | None = None
                          ) -> pd.DataFrame:
    """The rebuilt audit as shown: small counts suppressed, each share and limit in its cell.

    Parameters
    ----------
    audit : DataFrame
        :func:`rebuilt_audit`.
    threshold : int
        Smallest count shown.
    confidence_label : str
        The confidence level as shown, e.g. ``95%``.
    figures : mapping, optional
        Per service key, per cell of :data:`AUDIT_CELLS`, its recorded figure: shown in
        place of the text wherever the cell is not suppressed (:func:`with_figures`).

    The frame's ``attrs["shorthand"]`` lists the shorthand used (for the table's notes).
    """
    show = audit[["label", "x", "n", "share", "share_lower", "share_upper", "expected",
                  "expected_lower", "expected_upper", "verdict", "threshold", "improves"]].copy()
    disp = disclosure.display_frame(
        show, ["x", "n"], rates={"share": "x", "share_lower": "x", "share_upper": "x"},
        threshold=threshold, decimals=1, source="rebuilt audit table")
    dp = [2 if k == "kts" else 1 for k in audit["key"]]
    for column in ("expected", "expected_lower", "expected_upper"):
        disp[column] = [percent_cell(v, d) for v, d in zip(audit[column], dp, strict=True)]
    disp["threshold"] = [percent_cell(v) for v in audit["threshold"]]
    if figures:
        disp = with_figures(disp, {(i, c): figures[k][c]
                                   for i, k in enumerate(audit["key"])
                                   for c in AUDIT_CELLS if c in figures.get(k, {})})
    return disp.rename(columns={
        "label": "Service", "x": "From the areas (a count that fits)",
        "n": "Clients", "share": "Share", "share_lower": f"Share, lower {confidence_label}",
        "share_upper": f"Share, upper {confidence_label}", "expected": "Expected share",
        "expected_lower": f"Expected, lower {confidence_label}",
        "expected_upper": f"Expected, upper {confidence_label}",
        "verdict": "Verdict (b)", "threshold": "Threshold (c)",
        "improves": "Improves health? (d)"})


def threshold_rule_table(bounds: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Which printed thresholds the threshold rule reproduces, and the upper limits it allows.

    Parameters
    ----------
    bounds : DataFrame
        :func:`hwb.papers.equity.threshold_bound_search`.
    table : DataFrame
        :func:`hwb.papers.equity.printed_table`, for the services' labels.

    Returns
    -------
    DataFrame
        Service, the expected upper limit as printed, whether the rule reproduces the printed
        threshold, and the range of unrounded upper limits every row of that expected share
        allows.
    """
    shown = bounds.merge(table[["key", "label"]], on="key")
    return pd.DataFrame({
        "Service": shown["label"],
        "Expected upper limit as printed": shown["expected_upper"] + "%",
        "Reproduces the printed threshold": np.where(shown["fits"], "yes", "no"),
        "Unrounded upper limits every row of this expected share allows": [
            f"{a:.3f}% to {b:.3f}%" if not math.isnan(a) else "none"
            for a, b in zip(shown["group_b_min"], shown["group_b_max"], strict=True)],
    })


def verdict_rules_reproduced(table: pd.DataFrame) -> tuple[int, int]:
    """Printed verdicts reproduced by the non-overlap rule and by the point rule (footnote b).

    Returns ``(non-overlap, point)`` counts of rows, from
    :func:`hwb.papers.equity.verdict_rule_search`.
    """
    reproduced = verdict_rule_search(table).groupby("rule", sort=False)["same"].sum()
    return int(reproduced.iloc[0]), int(reproduced.iloc[1])


POPULATION_SHARE = "residents of the areas over residents of the authority, same age band"
"""How an expected share is computed, as a table shows it (a population share: no interval)."""


def age_matched_table(audit: pd.DataFrame, age_matched: pd.DataFrame, population_year: int,
                      figures: Sequence[Mapping[str, object]] = ()) -> pd.DataFrame:
    """Each service's expected share as printed beside the one matched to its age band.

    The age-matched share is a population share from ONS estimates (near-census), shown
    without an interval: the exact tests take it as fixed.

    Parameters
    ----------
    audit : DataFrame
        :func:`rebuilt_audit`.
    age_matched : DataFrame
        :func:`hwb.papers.equity.age_matched_expected`.
    population_year : int
        Mid-year of the population estimates (for the column name).
    figures : sequence of mapping, optional
        Per row of ``audit``, its recorded figures: ``printed`` (the expected share as
        printed) and ``matched`` (the age-matched one), shown in place of the text
        (:func:`with_figures`; a share that cannot be matched stays ``[x]``).
    """
    by_key = age_matched.set_index("key").loc[audit["key"]]
    columns = {"printed": "Expected share as printed %",
               "matched": f"Age-matched, mid-{population_year} %"}
    shown = pd.DataFrame({
        "Service": audit["label"].to_numpy(), "Age band": by_key["age_band"].to_numpy(),
        columns["printed"]: [percent_cell(v, 2 if k == "kts" else 1) for v, k
                             in zip(audit["expected"], audit["key"], strict=True)],
        columns["matched"]: [percent_cell(v, 2) for v in by_key["value"]],
        "Method": [POPULATION_SHARE if m == "Wilson" else m for m in by_key["method"]]})
    return with_figures(shown, {(i, columns[c]): fig for i, row in enumerate(figures)
                                for c, fig in row.items()})


def exact_test_table(tests: pd.DataFrame, audit: pd.DataFrame,
                     pairs: Mapping[str, pd.DataFrame], family_alpha: float) -> pd.DataFrame:
    """The better method's table: exact p-values, their range over every count, adjusted p.

    Parameters
    ----------
    tests : DataFrame
        :func:`better_method`.
    audit : DataFrame
        :func:`rebuilt_audit`, in the same row order, for the audit's verdicts.
    pairs : mapping of DataFrame
        Per service key, every count consistent with the printed figures.
    family_alpha : float
        The family-wise error rate (for the column name).
    """
    by_key = tests.set_index("key")
    p_ranges = [p_range(pairs[k], float(by_key.loc[k, "expected"]),
                        float(by_key.loc[k, "population_selected"]),
                        float(by_key.loc[k, "population_total"])) for k in tests["key"]]
    return pd.DataFrame({
        "Service": tests["label"], "Test": tests["test"],
        "Expected share %": [percent_cell(v, 2) for v in tests["expected"]],
        "p (two-sided)": [format_p(v) for v in tests["p_two_sided"]],
        "p over every count that fits": [
            a_ if a_ == b_ else f"{a_} to {b_}"
            for a_, b_ in ((format_p(a), format_p(b)) for a, b in p_ranges)],
        "Holm-adjusted": [format_p(v) for v in tests["holm"]],
        "BH-adjusted": [format_p(v) for v in tests["bh"]],
        "Finding (Holm, family error rate " + f"{family_alpha:.0%})": tests["finding"],
        "Audit verdict": audit["verdict"]})


def expected_shares_table(expected: pd.DataFrame, area_name: str,
                          figures: Sequence[Mapping[str, object]] = ()) -> pd.DataFrame:
    """The board's expected shares by age band, as shown.

    An expected share is a population share from ONS estimates, a near-census count rather
    than a sample, so it is shown without an interval (services are tested against it as a
    fixed value).

    Parameters
    ----------
    expected : DataFrame
        :func:`hwb.papers.equity.board_expected_shares`.
    area_name : str
        The authority (for the column name).
    figures : sequence of mapping, optional
        Per row of ``expected``, its recorded figures by column (``population_selected``,
        ``population_total``, ``value``): shown in place of the text (:func:`with_figures`).

    Examples
    --------
    >>> e = pd.DataFrame({"age_band": ["18+"], "population_selected": [55_527],
    ...                   "population_total": [564_295], "value": [9.84]})
    >>> expected_shares_table(e, "Leicestershire").iloc[0].tolist()
    ['18+', '55,527', '564,295', '9.84']
    """
    columns = {"population_selected": "Residents of the areas",
               "population_total": f"Residents of {area_name}", "value": "Expected share %"}
    shown = pd.DataFrame({
        "Age band": expected["age_band"].to_numpy(),
        columns["population_selected"]: [format_number(v)
                                         for v in expected["population_selected"]],
        columns["population_total"]: [format_number(v) for v in expected["population_total"]],
        columns["value"]: [percent_cell(v, 2) for v in expected["value"]]})
    return with_figures(shown, {(i, columns[c]): fig for i, row in enumerate(figures)
                                for c, fig in row.items()})


def areas_population(expected: pd.DataFrame, selected: pd.DataFrame) -> int:
    """Residents of the selected areas: the all-ages band if computed, else the LSOAs' sum.

    Examples
    --------
    >>> areas_population(pd.DataFrame({"age_band": ["18+"], "population_selected": [80]}),
    ...                  pd.DataFrame({"population": [60, 40]}))
    100
    """
    if "all ages" in set(expected["age_band"]):
        return int(expected.loc[expected["age_band"] == "all ages", "population_selected"].iloc[0])
    return int(selected["population"].sum())


def band_figure_id(age_band: str) -> str:
    """The figure id of an age band's expected share.

    Examples
    --------
    >>> band_figure_id("all ages"), band_figure_id("16+")
    ('expected.all_ages', 'expected.16plus')
    """
    return "expected." + age_band.replace(" ", "_").replace("+", "plus")


def service_count_tests(counts: pd.DataFrame, lsoas: list[str], expected: pd.DataFrame,
                        threshold: int, source: str, family_alpha: float = 0.05) -> pd.DataFrame:
    """Supplied service counts tested against the expected share of their own age band.

    Parameters
    ----------
    counts : DataFrame
        :func:`hwb.papers.equity.read_service_counts`.
    lsoas : list of str
        The selected areas' LSOAs.
    expected : DataFrame
        :func:`hwb.papers.equity.board_expected_shares`.
    threshold : int
        Smallest count shown; smaller counts are suppressed.
    source : str
        The counts file, named in the suppression log.
    family_alpha : float
        The family-wise error rate of the Holm-adjusted findings.

    Returns
    -------
    DataFrame
        The table as shown, with ``attrs["shorthand"]`` for its notes,
        ``attrs["findings"]``: how many services are tested, and how many have significantly
        more or fewer clients from the areas than expected (``tested, more, fewer``), and
        ``attrs["results"]``: per row, ``service, age_band, x, n, expected, holm`` (for the
        figures the table's cells show, :data:`SERVICE_CELLS`).

    Examples
    --------
    30 of 60 clients from areas holding 10% of the authority's adults (P(X >= 30) is about
    1e-13) and 2 of 20 against the same 10%:

    >>> c = pd.DataFrame({"service": ["A", "A", "B", "B"], "age_band": ["18+"] * 4,
    ...                   "area": ["E01000001", "elsewhere"] * 2, "clients": [30, 30, 2, 18]})
    >>> e = pd.DataFrame({"age_band": ["18+"], "value": [10.0], "population_selected": [100],
    ...                   "population_total": [1000]})
    >>> service_count_tests(c, ["E01000001"], e, 5, "counts.csv").attrs["findings"]
    {'tested': 2, 'more': 1, 'fewer': 0}
    """
    totals = service_totals(counts, lsoas)
    by_band = expected.set_index("age_band")
    for column, source_column in (("expected", "value"),
                                  ("population_selected", "population_selected"),
                                  ("population_total", "population_total")):
        totals[column] = totals["age_band"].map(by_band[source_column])
    tests = exact_tests(totals)
    tests["holm"] = adjust_pvalues(tests["p_two_sided"], "holm")
    shown = disclosure.display_frame(tests[["service", "age_band", "x", "n"]].assign(
        share=100 * tests["x"] / tests["n"]), ["x", "n"], rates={"share": "x"},
        threshold=threshold, source=source)
    shown["expected"] = [percent_cell(v, 2) for v in tests["expected"]]
    shown["Holm-adjusted p (exact binomial)"] = [format_p(v) for v in tests["holm"]]
    significant = tests["holm"] < family_alpha
    more = 100 * tests["x"] / tests["n"] > tests["expected"]
    shown.attrs["findings"] = {"tested": len(tests), "more": int((significant & more).sum()),
                               "fewer": int((significant & ~more).sum())}
    shown.attrs["results"] = tests[["service", "age_band", "x", "n", "expected", "holm"]].to_dict(
        orient="records")
    return shown.rename(columns={"service": "Service", "age_band": "Age band",
                                 "x": "Clients from the areas", "n": "Clients",
                                 "share": "Share %",
                                 "expected": "Expected share % (same age band)"})


SERVICE_CELLS = {"x": "Clients from the areas", "n": "Clients", "share": "Share %",
                 "expected": "Expected share % (same age band)",
                 "holm": "Holm-adjusted p (exact binomial)"}
"""The cells of :func:`service_count_tests`' table that show a figure, by what they hold."""


def postcode_problems(checked: pd.DataFrame) -> pd.DataFrame:
    """The Appendix 1 entries that are not valid unit postcodes or are repeated, as shown.

    ``checked`` is :func:`hwb.papers.equity.validate_postcodes`.
    """
    bad = checked[~checked["valid"] | checked["duplicate"]]
    return pd.DataFrame({
        "Area": bad["area"], "As printed": bad["postcode_as_printed"],
        "Problem": [p or "listed more than once" for p in bad["problem"]],
        "Line of the pack text": bad["line"]})
