"""The equity appendix section by section.

Each function takes the run's :class:`Appendix`, records the section's figures and returns
what the section shows (headings, tables, charts, sentences), in order, so that the notebook
only calls them.  Every section function has the same shape: ``section(app) -> list`` of
IPython display objects (empty when the section does not apply).  A section that needs the
printed audit (``reproduce_printed``) returns nothing for a board without one; the sections
every board gets (expected shares, the service-count template or the supplied counts, key
messages, checks) word themselves from the parameters.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from IPython.display import Markdown, display

from hwb.fmt import decimals_of
from hwb.papers import equity
from hwb.papers.equity import charts as equity_charts
from hwb.papers.equity import compute, evidence
from hwb.sources import data, smallarea
from hwb.toolkit import charts, claims, disclosure, figures


@dataclass
class Appendix:
    """One run of the equity appendix: its parameters, recorder and printed figures, and the
    tables one section hands to the next.

    Attributes
    ----------
    params : EquityParams
        The run's parameters.
    rec : Recorder
        The run's figure recorder.
    printed, printed_text : DataFrame or None
        The board's printed numbers and words (:func:`hwb.papers.equity.split_printed`);
        None for a board without a printed audit.
    state : dict
        What the sections computed, by name (``audit``, ``exact``, ``age_matched``, ...).
    """

    params: equity.EquityParams
    rec: figures.Recorder
    printed: pd.DataFrame | None = None
    printed_text: pd.DataFrame | None = None
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def reproduces(self) -> bool:
        """Whether this run rebuilds a printed audit."""
        return bool(self.params.reproduce_printed)

    @property
    def source_paper(self) -> str:
        """The printed paper, as a source line."""
        p = self.params
        return f"{p.board_name}, {p.meeting_date}, item {p.agenda_item}: {p.paper_title}"

    @property
    def confidence_label(self) -> str:
        """The confidence level as shown, e.g. ``95%``."""
        return f"{self.params.confidence:.0%}"

    @property
    def population_source(self) -> str:
        """The small-area population estimates used, as a source line."""
        return smallarea.SOURCES[f"sape{self.params.population_year}"]


def start(params: equity.EquityParams, rec: figures.Recorder,
          printed: pd.DataFrame | None) -> Appendix:
    """The appendix of one run, from :func:`hwb.toolkit.notebook.setup`'s three results.

    Parameters
    ----------
    params : EquityParams
        The run's parameters.
    rec : Recorder
        The run's figure recorder.
    printed : DataFrame or None
        The board's printed figures, numbers and words together (None: no printed paper).

    Returns
    -------
    Appendix
        With the printed figures split into numbers and words.
    """
    if printed is None:
        return Appendix(params, rec)
    numbers, words = equity.split_printed(printed)
    return Appendix(params, rec, numbers, words)


def show(outputs: list[Any]) -> None:
    """Display each output of a section in turn.

    Parameters
    ----------
    outputs : list
        What a section function returned: Markdown, tables and charts, in order.
    """
    for out in outputs:
        display(out)


def introduction(app: Appendix) -> list[Any]:
    """What the board is asked to do with this appendix."""
    if app.reproduces:
        return [Markdown(f"**The board is asked to {app.params.ask}** the audit's findings, "
                         "how they were calculated, and what a more exact method says about "
                         "the same services.")]
    return [Markdown(f"**The board is asked to {app.params.ask}** the expected shares of "
                     f"service users from {app.params.areas_label}, and what service counts "
                     "are needed to audit its services against them.")]


# --------------------------------------------------------------------------- the printed audit


def printed_audit(app: Appendix) -> list[Any]:
    """The printed audit read back, and which interval method reproduces its rows."""
    if not app.reproduces:
        return []
    p, rec = app.params, app.rec
    services = data.read_csv(data.path(p.services_file))
    table = equity.printed_table(app.printed, app.printed_text, services)
    candidates = equity.interval_candidates()
    summary = equity.method_summary(equity.method_search(table, candidates,
                                                         p.count_search_max_n))
    best = summary.iloc[0]
    app.state.update(printed_audit=table, candidates=candidates, method_best=str(best["method"]))
    rec.record("method_best", "interval method reproducing the most printed rows",
               str(best["method"]))
    rec.record("method_best_rows", "printed rows it reproduces", int(best["rows_reproduced"]),
               "rows", 0)
    rec.record("method_rows", "printed rows of the detailed table", int(best["rows"]), "rows", 0)
    rec.record("method_candidates", "interval methods tried", len(candidates), "methods", 0)
    for fid in ("methods.confidence", "methods.confidence_conventional"):
        rec.record(fid, "confidence level of every interval in this appendix (a parameter)",
                   100 * p.confidence, "percent", 0)
    rec.record("methods.small_number", "smallest client count shown in this appendix (a "
               "parameter; smaller counts are suppressed)", p.suppression_threshold, "clients", 0)
    return [
        Markdown("""## The printed audit

This section runs only for a board whose audit was printed: it reads the audit's detailed
table back, finds how its intervals and thresholds were calculated, and rebuilds it."""),
        charts.table(
            summary.rename(columns={
                "method": "Interval method and confidence level",
                "rows_reproduced": "Rows whose percentage and interval it reproduces",
                "rows": "Rows"}).astype(str),
            "Which interval method reproduces the printed percentages and intervals: for each "
            "method, the rows for which some whole number of clients gives the printed "
            "percentage and both printed limits.", app.source_paper + ", Table 3; hwb search",
            notes=[f"Counts searched: up to {p.count_search_max_n:,} clients per service."]),
        rec.say("Of {method_candidates} interval methods tried, {method_best} reproduces the "
                "most rows of the detailed table: {method_best_rows} of {method_rows}."),
        Markdown("A row is reproduced when a whole number of clients gives the printed "
                 "percentage and both\nprinted limits once rounded. The row no count reproduces "
                 "is shown next, with the reason."),
    ]


def count_recovery(app: Appendix) -> list[Any]:
    """The whole-number client counts consistent with each printed row."""
    if not app.reproduces:
        return []
    p, rec, conf = app.params, app.rec, app.confidence_label
    wilson = app.state["candidates"][f"Wilson {conf}"]
    recovery = compute.count_recovery(app.state["printed_audit"], app.printed, wilson,
                                      p.confidence, p.count_search_max_n)
    app.state.update(wilson=wilson, recovery=recovery)
    cells = {}
    for i, (_, r) in enumerate(recovery.inputs.iterrows()):
        what = f"{recovery.table['Service'].iloc[i]}: whole-number counts consistent with the "
        cells[(i, "Counts that fit")] = rec.record(
            f"{r['key']}.recovery.pairs", what + "printed percentage and interval",
            len(recovery.pairs[r["key"]]), "counts", 0, method="count recovery")
        cells[(i, "Fit after threshold check")] = rec.record(
            f"{r['key']}.recovery.pairs_after_threshold", what + "printed row and threshold",
            int(r["pairs_after_threshold"]), "counts", 0, method="count recovery")
    shown = charts.table(
        compute.with_figures(recovery.table, cells),
        f"Whole-number client counts consistent with each printed percentage and its "
        f"{conf} Wilson interval.", app.source_paper + ", Table 3; hwb count recovery",
        notes=["'Fit after threshold check' keeps the counts whose number of clients also "
               "gives the printed threshold (column c) and its interval.",
               "Counts are given as ranges, not listed, so that no small count is shown."])
    rec.record("rows_with_counts", "printed rows for which some whole-number count fits",
               recovery.rows_with_counts, "rows", 0)
    rec.record("rows_relaxed", "rows that fit only when trailing zeros are read as not "
               "significant", recovery.rows_relaxed, "rows", 0)
    return [shown, rec.say("Some count fits {rows_with_counts} rows; {rows_relaxed} of them "
                           "only when limits printed with two decimals (Shared Care) are read "
                           "to one.")]


def threshold_rule(app: Appendix) -> list[Any]:
    """How the printed thresholds (column c) and verdicts were calculated."""
    if not app.reproduces:
        return []
    rec, table = app.rec, app.state["printed_audit"]
    bounds = app.state["recovery"].bounds
    heading = Markdown("""## How was the threshold (column c) calculated?

Column (c) is "the expected level for the service to improve health": the smallest share of
the service's own clients whose lower limit would clear the expected share's upper limit.
The expected share's upper limit is printed rounded, so the search asks which unrounded
values reproduce every printed threshold.""")
    shown = charts.table(
        compute.threshold_rule_table(bounds, table),
        "Threshold rule: smallest count whose Wilson lower limit is above the expected share's "
        "upper limit; the range of unrounded upper limits consistent with every printed "
        "threshold.", app.source_paper + ", Table 3; hwb search")
    rec.record("threshold_rows_fit", "printed thresholds reproduced by the rule",
               int(bounds["fits"].sum()), "rows", 0)
    adult = bounds[bounds["expected_upper"] == "8.5"]
    rec.record("adult_upper_min", "lowest unrounded upper limit of the adult expected share "
               "consistent with every adult threshold", float(adult["group_b_min"].iloc[0]),
               "percent", 3)
    rec.record("adult_upper_max", "highest such value", float(adult["group_b_max"].iloc[0]),
               "percent", 3)
    rec.record("adult_upper_as_printed", "the adult expected share's upper limit, as printed",
               float(adult["expected_upper"].iloc[0]), "percent", 1)
    by_overlap, by_point = compute.verdict_rules_reproduced(table)
    rec.record("verdict_rule_overlap", "printed verdicts reproduced by the non-overlap rule",
               by_overlap, "rows", 0)
    rec.record("verdict_rule_point", "printed verdicts reproduced by comparing the share with "
               "the expected share alone (footnote b)", by_point, "rows", 0)
    return [heading, shown, rec.say(
        "The rule reproduces {threshold_rows_fit} of the printed thresholds. For the adult "
        "services it does so only if the unrounded upper limit of the expected share lay "
        "between {adult_upper_min} and {adult_upper_max}, inside the printed "
        "{adult_upper_as_printed} (which is why several printed thresholds have a lower limit "
        "above the printed upper limit of the expected share). "
        "The verdicts follow the non-overlap rule of footnote (d) for {verdict_rule_overlap} "
        "rows; comparing the share with the expected share alone, as footnote (b) reads, "
        "would reproduce only {verdict_rule_point}.")]


def expected_intervals(app: Appendix) -> list[Any]:
    """Whether the printed expected shares' intervals are Wilson intervals on a population."""
    if not app.reproduces:
        return []
    p, rec = app.params, app.rec
    heading = Markdown("""### And the expected shares' intervals?

The expected shares are population shares, so their intervals depend on the size of the
population. For each printed expected share, this finds the population sizes for which a
Wilson interval prints as the audit's limits, beside the actual population of the age band.""")
    checked = compute.expected_interval_check(app.state["printed_audit"], app.state["wilson"],
                                              p.area_code, p.area_name, p.population_year)
    shown = charts.table(
        checked, "Population sizes for which a Wilson interval reproduces each printed "
        "expected share and its limits.", f"{app.source_paper}, Table 3; {app.population_source}",
        notes=["[x] = not available: the postcode districts' populations (2011 Census) are not "
               "shipped.",
               "The audit used mid-2015 populations; mid-"
               f"{p.population_year} is the nearest single-year small-area edition shipped."])
    rec.record("expected_rows_consistent", "printed expected shares whose interval is a Wilson "
               "interval on the band's population", int((checked["Consistent"] == "yes").sum()),
               "rows", 0)
    rec.record("expected_rows_checked", "printed expected shares checked against a population",
               int((checked["Consistent"] != "[x]").sum()), "rows", 0)
    return [heading, shown, rec.say("For {expected_rows_consistent} of the "
                                    "{expected_rows_checked} expected shares with a small-area "
                                    "population, the printed interval is a Wilson interval on a "
                                    "population of the band's size.")]


def rebuilt_audit(app: Appendix) -> list[Any]:
    """The audit's detailed table rebuilt from one recovered count per service."""
    if not app.reproduces:
        return []
    p, rec, conf = app.params, app.rec, app.confidence_label
    heading = Markdown("""## The audit rebuilt

With the method found above, the table is rebuilt from one count per service (any count in
the recovered set gives the same printed figures) and the expected shares as printed.""")
    recovery = app.state["recovery"]
    audit = compute.rebuilt_audit(recovery.inputs, app.state["printed_audit"], p.confidence)
    app.state["audit"] = audit
    printed_ids = set(app.printed["figure_id"]) | set(app.printed_text["figure_id"])
    for figure in compute.rebuilt_audit_figures(audit, printed_ids, recovery, conf):
        rec.record(**figure)
    cells = audit_cell_figures(rec, audit, conf)
    app.state["audit_figures"] = cells
    shown = compute.rebuilt_audit_display(audit, p.suppression_threshold, conf, cells)
    return [heading, charts.table(
        shown, f"The audit's detailed table rebuilt: share of clients from {p.areas_label}, "
        f"with {conf} Wilson score intervals, expected share, verdict and threshold.",
        app.source_paper + ", Table 3; hwb",
        notes=disclosure.shorthand_notes(shown.attrs["shorthand"] or ["[c]"],
                                         p.suppression_threshold)
        + ["Clients: one count consistent with the printed figures, not the service's own "
           "record."])]


def recorded(rec: figures.Recorder, ids: Sequence[str], fid: str, label: str, value: Any,
             unit: str = "", precision: int = 0, **kw: Any) -> figures.Figure:
    """The figure already recorded under the first of ``ids`` with this value (so a number
    shown twice links to one figures-check row, the printed one where there is one), else
    ``value`` recorded as ``fid``.

    Examples
    --------
    >>> rec = figures.Recorder(publish=False)
    >>> a = rec.record("a.t3.share", "A: share", 41.2, "percent", 1)
    >>> recorded(rec, ["a.t3.share"], "a.rebuilt.share", "A: share", 41.2, "percent", 1).id
    'a.t3.share'
    >>> recorded(rec, ["a.t3.share"], "b.rebuilt.share", "B: share", 7.0, "percent", 1).id
    'b.rebuilt.share'
    """
    for i in ids:
        fig = rec.figures.get(i)
        if fig is not None and _same(fig.value, value):
            return fig
    return rec.record(fid, label, value, unit, precision, **kw)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return str(a) == str(b)
    return a is not None and b is not None and math.isclose(float(a), float(b), rel_tol=1e-12)


_CELL_WORDS = {"x": "clients from the areas (a count that fits the printed figures)",
               "n": "clients (a count that fits the printed figures)",
               "verdict": "verdict (b)", "improves": "at a level to improve health (d)"}


def audit_cell_figures(rec: figures.Recorder, audit: pd.DataFrame,
                       confidence_label: str) -> dict[str, dict[str, figures.Figure]]:
    """The recorded figure of every shown cell of the rebuilt audit, by service key and cell.

    A cell the audit printed is its printed figure's recorded one (``<key>.t3.<cell>``, or the
    count quoted in the text, ``<key>.text.clients``); any other is recorded here as
    ``<key>.rebuilt.<cell>`` (counts with ``count=True``, so a small one is shown ``[c]``).
    """
    out: dict[str, dict[str, figures.Figure]] = {}
    method = f"Wilson score, {confidence_label}"
    for _, r in audit.iterrows():
        key, cells = r["key"], {}
        for c in compute.AUDIT_CELLS:
            value = r[c]
            if not isinstance(value, str) and (value is None or math.isnan(float(value))):
                continue
            text_id = {"x": "clients_from_areas", "n": "clients"}.get(c, c)
            label = f"{r['label']}: " + _CELL_WORDS.get(c, compute.FIELD_WORDS.get(c, c))
            if c in ("x", "n"):
                cells[c] = recorded(rec, [f"{key}.text.{text_id}"], f"{key}.rebuilt.{text_id}",
                                    label, int(value), "clients", 0, count=True,
                                    method="count recovery")
            elif c in ("verdict", "improves"):
                cells[c] = recorded(rec, [f"{key}.t3.{c}"], f"{key}.rebuilt.{c}", label,
                                    str(value), method="non-overlapping intervals")
            else:
                dp = 2 if c.startswith("expected") and key == "kts" else 1
                cells[c] = recorded(rec, [f"{key}.t3.{c}"], f"{key}.rebuilt.{c}", label,
                                    float(value), "percent", dp, method=method)
        out[key] = cells
    return out


COVER_COUNTS = (
    ("cover.services_analysed", "analysed"), ("summary.services_analysed", "analysed"),
    ("cover.services_equal_or_better", "equal_or_better"),
    ("summary.services_equal_or_better", "equal_or_better"),
    ("cover.services_equitable", "equitable"), ("summary.services_higher_level", "equitable"),
    ("summary.services_equitable", "equitable"), ("cover.services_unequal", "unequal"),
    ("summary.services_unequal", "unequal"), ("summary.services_significantly_less", "unequal"),
    ("summary.services_equal", "equal"), ("summary.services_below_expected", "below_expected"))
"""The cover report's and summary's counts of services: figure id and the verdict counted."""


def cover_counts(app: Appendix) -> list[Any]:
    """The cover report's counts of services at each verdict, from the rebuilt table."""
    if not app.reproduces:
        return []
    rec, audit = app.rec, app.state["audit"]
    heading = Markdown("""### The cover report's counts

The cover report and the summary count services at each verdict. Yorkshire Smoke Free has two
rows (setting a quit date; 4-week quitters) and one verdict cell.""")
    by_service = equity.summary_counts(audit, "service")
    by_row = equity.summary_counts(audit, "key")
    for fid, verdict in COVER_COUNTS:
        rec.record(fid, f"services: {verdict.replace('_', ' ')} (counting each service once)",
                   by_service[verdict], "services", 0,
                   alternatives={"counting the two smoking rows as two services": by_row[verdict]},
                   method="counted from the rebuilt table")
    rec.record("below_expected_rows", "rows below the expected share", by_row["below_expected"],
               "rows", 0)
    rec.record("below_expected_services", "services below the expected share",
               by_service["below_expected"], "services", 0)
    once = [recorded(rec, [f for f, v in COVER_COUNTS if v == verdict],
                     f"verdict_services.{verdict}", f"services: {verdict.replace('_', ' ')} "
                     "(counting each service once)", n, "services", 0)
            for verdict, n in by_service.items()]
    rows = [recorded(rec, ["below_expected_rows"], f"verdict_rows.{verdict}",
                     f"rows: {verdict.replace('_', ' ')} (counting each row once)", n, "rows", 0)
            for verdict, n in by_row.items()]
    shown = charts.table(pd.DataFrame({
        "Count": list(by_service), "Each service once": once, "Each row once": rows}),
        "Services at each verdict, counted from the rebuilt table.", app.source_paper + "; hwb")
    return [heading, shown, rec.say(
        "The paper counts {cover.services_analysed} services, which counts Yorkshire Smoke Free "
        "once; but its 'services below the expected level' is the number of rows "
        "({below_expected_rows}), not of services ({below_expected_services}).")]


def which_areas(app: Appendix) -> list[Any]:
    """Whether the named MSOAs are the audit's three areas (their mid-2015 population)."""
    if not app.reproduces:
        return []
    p, rec = app.params, app.rec
    heading = Markdown("""### Which three areas?

The audit names three MSOAs but not their codes. The parameters name three; this checks them
against the mid-2015 population the audit printed.""")
    if p.selection_by != "msoa":
        return [heading]
    check = equity.mid2015_msoa_check(p.selected_msoas, p.area_code)
    app.state["msoa_check"] = check
    rec.record("methods.msoa_population", "mid-2015 population of the three MSOAs (IoD2019 "
               "denominators, excluding prisoners)", check["population"], "persons", 0,
               method="sum over the MSOAs' LSOAs")
    rec.record("methods.msoa_share", f"their share of {p.area_name}'s mid-2015 population",
               check["share"], "percent", 0)
    rec.record("methods.msoa_expected", "expected share, all ages", check["share"], "percent", 0)
    rec.record("methods.msoa_to_exceed", "share to exceed for equitable access, all ages",
               check["share"], "percent", 0)
    rec.record("msoa_share_0_15", f"their share of {p.area_name}'s children aged 0-15, "
               "mid-2015", check["share_0_15"], "percent", 1)
    return [heading, rec.say(
        "The three MSOAs held {methods.msoa_population} people in mid-2015 ({methods.msoa_share} "
        "of {area}) and {msoa_share_0_15} of its children aged 0-15 (the audit printed "
        "{morelife.t2.expected} for MoreLife).", area=p.area_name)]


# --------------------------------------------------------------------------- the better method


def better_method(app: Appendix) -> list[Any]:
    """Exact tests of each service against its age-matched expected share, adjusted."""
    if not app.reproduces:
        return []
    p, rec = app.params, app.rec
    audit = app.state["audit"]
    method_constants(rec)
    heading = rec.say("""## A better method

The overlap of two {methods.confidence} intervals is a conservative test: two shares can differ
significantly while their intervals overlap. Below, each service is tested exactly against its
expected share by the exact binomial test. The expected share is a population share from ONS
estimates, a near-census count rather than a sample, so it is taken as fixed: testing it as a
sample would treat the size of the population as evidence. The p-values are adjusted for
testing every service at once (Holm for the family-wise error; Benjamini-Hochberg for the false
discovery rate) and shown to a floor: below {methods.p_floor} the digits say nothing more.""")
    services = data.read_csv(data.path(p.services_file), dtype=str, keep_default_na=False)
    age_matched = equity.age_matched_expected(services, p)
    exact = compute.better_method(audit, age_matched, p.family_alpha)
    app.state.update(age_matched=age_matched, exact=exact)
    for _, r in exact.iterrows():
        rec.record(f"{r['key']}.better.finding", f"{r['label']}: exact test, Holm-adjusted",
                   str(r["finding"]), method=str(r["test"]))
    changed = int(((exact["finding"] != "not significantly different")
                   & (audit["verdict"].to_numpy() == equity.EQUAL)).sum())
    rec.record("better_changed", "services the audit called Equal that differ significantly "
               "from their expected share after adjustment", changed, "services", 0)
    matched_figures = age_matched_figures(rec, audit, age_matched, app.state["audit_figures"],
                                          p.population_year)
    matched = charts.table(
        compute.age_matched_table(audit, age_matched, p.population_year, matched_figures),
        "Expected shares matched to each service's age band, from ONS small-area population "
        "estimates for the selected MSOAs, beside the audit's.",
        f"{app.population_source}; {smallarea.SOURCES['msoa']}; {app.source_paper}, Table 3",
        notes=["Services measured against postcode districts (S60, S61, S65) cannot be "
               "age-matched: no small-area definition of the districts is shipped. They are "
               "tested against the audit's expected share.",
               "Know The Score is matched to one MSOA (Eastwood), named in the service file."])
    matched_words = rec.say(
        "Matched to each service's age band, the adult services' expected share is "
        "{agematched_adults} and Health Trainers' (aged 16 and over) "
        "{agematched_health_trainers}; the audit used the same adult share for both.")
    table = compute.exact_test_table(exact, audit, app.state["recovery"].pairs, p.family_alpha)
    tests = charts.table(
        compute.with_figures(table, exact_test_figures(rec, exact, table, matched_figures,
                                                       app.state["audit_figures"])),
        "Exact tests of each service's share against its expected share, adjusted for "
        "testing all services.", app.source_paper + "; hwb", notes=[
            "The counts are one of those recovered from the printed percentages; the range "
            "shows the p-value over every count consistent with the printed figures.",
            "Exact binomial test, two-sided (method of small p-values); the expected share "
            "is taken as fixed."])
    return [heading, matched, matched_words, tests,
            rec.say("After adjustment, {better_changed} services the audit called Equal differ "
                    "significantly from their expected share.")]


EXACT_TEST_WORDS = (("p (two-sided)", "p", "exact p-value, two-sided, as shown"),
                    ("p over every count that fits", "p_range", "exact p-value over every "
                     "count consistent with the printed figures, as shown"),
                    ("Holm-adjusted", "holm_p", "Holm-adjusted p-value, as shown"),
                    ("BH-adjusted", "bh_p", "Benjamini-Hochberg-adjusted p-value, as shown"))
"""The exact-test table's p-value columns: column, figure id suffix, what it is."""


def exact_test_figures(rec: figures.Recorder, exact: pd.DataFrame, table: pd.DataFrame,
                       matched: list[dict[str, figures.Figure]],
                       cells: dict[str, dict[str, figures.Figure]]
                       ) -> dict[tuple[int, str], figures.Figure]:
    """The figures of the exact-test table, by (row, column): its p-values as shown (words,
    ``<key>.better.<p|p_range|holm_p|bh_p>``), the expected share tested against (the
    age-matched or printed one's figure), the finding and the audit's verdict."""
    out: dict[tuple[int, str], figures.Figure] = {}
    finding, verdict = table.columns[-2], table.columns[-1]
    for i, (_, r) in enumerate(exact.iterrows()):
        key = r["key"]
        for column, suffix, what in EXACT_TEST_WORDS:
            shown = str(table.iloc[i][column])
            out[(i, column)] = rec.record(f"{key}.better.{suffix}", f"{r['label']}: {what}",
                                          shown, "", shown_decimals(shown),
                                          method=str(r["test"]))
        shared = [f.id for f in (matched[i].get("matched"), cells[key]["expected"]) if f]
        out[(i, "Expected share %")] = recorded(
            rec, shared, f"{key}.better.expected", f"{r['label']}: expected share tested "
            "against", float(r["expected"]), "percent", 2)
        out[(i, finding)] = rec[f"{key}.better.finding"]
        out[(i, verdict)] = cells[key]["verdict"]
    return out


def age_matched_figures(rec: figures.Recorder, audit: pd.DataFrame, age_matched: pd.DataFrame,
                        cells: dict[str, dict[str, figures.Figure]], population_year: int
                        ) -> list[dict[str, figures.Figure]]:
    """The figures of the age-matched table, per row of ``audit``: the expected share as
    printed (the rebuilt audit's figure) and the age-matched one (``<key>.agematched``; the
    adults' and Health Trainers' shares, which the text quotes, under their own ids first).
    """
    by_key = age_matched.set_index("key")
    quoted = {"health_trainers": ("agematched_health_trainers", "Health Trainers (16+): "
                                  "expected share matched to its own age band"),
              "rdash": ("agematched_adults", f"adult services (18+): expected share, mid-"
                        f"{population_year}")}
    out = []
    for _, r in audit.iterrows():
        row = {"printed": cells[r["key"]]["expected"]}
        value = float(by_key.loc[r["key"], "value"])
        if not math.isnan(value):
            fid, label = quoted.get(r["key"], (f"{r['key']}.agematched",
                                               f"{r['label']}: expected share matched to its "
                                               "own age band"))
            row["matched"] = rec.record(fid, label, value, "percent", 2,
                                        method=f"{compute.POPULATION_SHARE} (ONS SAPE mid-"
                                        f"{population_year})")
        out.append(row)
    return out


def funnel(app: Appendix) -> list[Any]:
    """Funnel plots of the services around their expected shares."""
    if not app.reproduces:
        return []
    heading = app.rec.say("""### Funnel plot

Each service's share against its number of clients, around the expected share, with
{methods.funnel_inner} and {methods.funnel_outer} limits (Wilson-inverted, as Fingertips draws
them). Services sharing an expected share are drawn together.""")
    fig, points = equity_charts.funnel_chart(app.state["audit"])
    alt, data_shown = equity_charts.describe_funnel(app.rec, points, app.state["audit_figures"])
    return [heading, charts.chart(
        fig, f"Funnel plot: share of clients from {app.params.areas_label} against the number "
        "of clients, with 95% and 99.8% limits around the expected share.",
        app.source_paper + "; hwb", alt, data=data_shown)]


# --------------------------------------------------------------------------- every board


def expected_shares(app: Appendix) -> list[Any]:
    """The selected areas and their expected shares by age band (every board)."""
    p, rec = app.params, app.rec
    selected = equity.selected_lsoas(p)
    shares = equity.board_expected_shares(p, selected["lsoa11_code"].tolist())
    app.state.update(selected=selected, expected_shares=shares)
    rec.record("areas_lsoas", "LSOAs in the selected areas", len(selected), "LSOAs", 0)
    rec.record("areas_population", f"residents of the selected areas, mid-{p.population_year}",
               compute.areas_population(shares, selected), "persons", 0)
    cells = []
    for _, r in shares.iterrows():
        band = compute.band_figure_id(r["age_band"]).removeprefix("expected.")
        cells.append({
            "population_selected": recorded(
                rec, ["areas_population"], f"residents.{band}",
                f"residents of the selected areas, {r['age_band']}, mid-{p.population_year}",
                int(r["population_selected"]), "persons", 0),
            "population_total": rec.record(
                f"residents_authority.{band}", f"residents of {p.area_name}, {r['age_band']}, "
                f"mid-{p.population_year}", int(r["population_total"]), "persons", 0),
            "value": rec.record(compute.band_figure_id(r["age_band"]),
                                f"expected share, {r['age_band']}", float(r["value"]),
                                "percent", 2, method=compute.POPULATION_SHARE)})
    shown = charts.table(
        compute.expected_shares_table(shares, p.area_name, cells),
        f"Expected share of service users from {p.areas_label}, by age band, mid-"
        f"{p.population_year}.",
        f"{app.population_source}; {smallarea.SOURCES[f'imd{p.imd_edition}']}; "
        f"{smallarea.SOURCES['utla']}",
        notes=["An expected share is a population share from ONS estimates, a near-census "
               "count rather than a sample, so it has no interval: services are tested "
               "against it as a fixed value (exact binomial test)."])
    authority_lsoas = len(smallarea.utla_lsoas(p.area_code))
    app.state["whole_authority"] = len(selected) == authority_lsoas
    return [shown, rec.say("The selected areas are {areas_lsoas} " + lsoas_word(len(selected))
                           + " with {areas_population} residents.")]


def lsoas_word(n: int) -> str:
    """``LSOA`` or ``LSOAs`` for ``n`` of them.

    Examples
    --------
    >>> lsoas_word(1), lsoas_word(17)
    ('LSOA', 'LSOAs')
    """
    return "LSOA" if n == 1 else "LSOAs"


TEMPLATE_MEANINGS = ("service name", "ages the service serves, e.g. 18+ or 0-17",
                     "2011 LSOA code of the client's home, or 'elsewhere'", "number of clients")
"""What each column of the service-count template holds, in the template's order."""


def service_counts(app: Appendix) -> list[Any]:
    """The supplied services against their age-matched expected shares, or the template."""
    p = app.params
    if not p.service_counts_file:
        template = data.read_csv(data.path(equity.TEMPLATE_FILE))
        return [charts.table(
            pd.DataFrame({"Column": list(template.columns), "Meaning": list(TEMPLATE_MEANINGS)}),
            "The service-count template (no counts have been supplied for this board).",
            "data/equity/service_counts_template.csv")]
    counts = equity.read_service_counts(p.service_counts_file)
    tested = compute.service_count_tests(
        counts, app.state["selected"]["lsoa11_code"].tolist(), app.state["expected_shares"],
        p.suppression_threshold, p.service_counts_file, p.family_alpha)
    found = tested.attrs["findings"]
    app.rec.record("services_tested", "services tested against their expected share",
                   found["tested"], "services", 0)
    app.rec.record("services_more", "services with significantly more clients from the areas "
                   "than expected (exact test, Holm-adjusted)", found["more"], "services", 0)
    app.rec.record("services_fewer", "services with significantly fewer clients from the "
                   "areas than expected (exact test, Holm-adjusted)", found["fewer"], "services", 0)
    tested = compute.with_figures(tested, service_count_figures(app.rec,
                                                                tested.attrs["results"]))
    return [charts.table(tested, "Services against their age-matched expected share.",
                         p.service_counts_file, notes=disclosure.shorthand_notes(
                             tested.attrs["shorthand"] or ["[c]"], p.suppression_threshold))]


def service_count_figures(rec: figures.Recorder, results: Sequence[dict[str, Any]]
                          ) -> dict[tuple[int, str], figures.Figure]:
    """Record the figures of the supplied services' table, by (row, column) of the table.

    Ids ``services.<service>.<age band>.<cell>``: the counts (``count=True``: a small one is
    shown ``[c]``), the share, the Holm-adjusted p-value as shown (a word: ``< 0.001``); the
    expected share is the age band's recorded one.

    Examples
    --------
    >>> rec = figures.Recorder(publish=False)
    >>> cells = service_count_figures(rec, [{"service": "Stop Smoking", "age_band": "18+",
    ...     "x": 30, "n": 60, "expected": 10.0, "holm": 1e-13}])
    >>> [(c, f.id, f.text) for (i, c), f in cells.items()][:3]  # doctest: +NORMALIZE_WHITESPACE
    [('Clients from the areas', 'services.stop_smoking.18plus.clients_from_areas', '30'),
     ('Clients', 'services.stop_smoking.18plus.clients', '60'),
     ('Share %', 'services.stop_smoking.18plus.share', '50.0%')]
    >>> cells[(0, "Holm-adjusted p (exact binomial)")].text
    '< 0.001'
    """
    out: dict[tuple[int, str], figures.Figure] = {}
    for i, r in enumerate(results):
        band = compute.band_figure_id(str(r["age_band"])).removeprefix("expected.")
        base = f"services.{_slug(str(r['service']))}.{band}"
        if any(f.startswith(base + ".") for f in rec.figures):
            base = f"{base}-{i + 1}"
        what = f"{r['service']} ({r['age_band']})"
        x, n, holm = int(r["x"]), int(r["n"]), equity.format_p(float(r["holm"]))
        cells = {
            "x": rec.record(f"{base}.clients_from_areas", f"{what}: clients from the areas", x,
                            "clients", 0, count=True),
            "n": rec.record(f"{base}.clients", f"{what}: clients", n, "clients", 0, count=True),
            "share": rec.record(f"{base}.share", f"{what}: share of clients from the areas",
                                100 * x / n, "percent", 1),
            "expected": recorded(rec, [compute.band_figure_id(str(r["age_band"]))],
                                 f"{base}.expected", f"{what}: expected share",
                                 float(r["expected"]), "percent", 2),
            "holm": rec.record(f"{base}.holm_p", f"{what}: Holm-adjusted p-value (exact "
                               "binomial test)", holm, "", shown_decimals(holm),
                               method="exact binomial test, Holm's adjustment")}
        out.update({(i, compute.SERVICE_CELLS[c]): f for c, f in cells.items()})
    return out


def shown_decimals(text: str) -> int:
    """The decimals a number shown as words has (a p-value ``0.012``), 0 for other words: the
    precision a word figure is recorded at, so the figures table keeps what was shown.

    Examples
    --------
    >>> shown_decimals("0.012"), shown_decimals("1.0"), shown_decimals("< 0.001")
    (3, 1, 0)
    """
    try:
        float(text)
    except ValueError:
        return 0
    return decimals_of(text)


def _slug(name: str) -> str:
    """A service's name as part of a figure id.

    Examples
    --------
    >>> _slug("Places for People (Tier 2)")
    'places_for_people_tier_2'
    """
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "service"


def postcodes(app: Appendix) -> list[Any]:
    """The audit's unit-postcode lists (Appendix 1) checked against the postcode format."""
    if not app.reproduces:
        return []
    rec = app.rec
    heading = Markdown("""## The postcode lists

The audit's Appendix 1 lists the unit postcodes of each area. Each is checked against the
standard form of a UK postcode.""")
    checked = equity.validate_postcodes(data.read_csv(data.path(equity.POSTCODES_FILE),
                                                      dtype=str))
    rec.record("postcodes_listed", "unit postcodes listed in Appendix 1", len(checked),
               "postcodes", 0)
    rec.record("postcodes_malformed", "malformed entries", int((~checked["valid"]).sum()),
               "entries", 0)
    rec.record("postcodes_duplicated", "entries listed more than once",
               int(checked["duplicate"].sum()), "entries", 0)
    return [heading, charts.table(
        compute.postcode_problems(checked),
        "Appendix 1 entries that are not valid unit postcodes, or are repeated.",
        app.source_paper + ", Appendix 1"),
        rec.say("Appendix 1 lists {postcodes_listed} entries; {postcodes_malformed} are not "
                "valid unit postcodes and {postcodes_duplicated} are repeated.")]


# --------------------------------------------------------------------------- text and checks


def key_messages(app: Appendix) -> list[Any]:
    """The appendix's key messages: the printed audit's, or what a board can do next."""
    if app.reproduces:
        return [app.rec.say(
            "- The printed percentages and intervals are {method_best} intervals "
            "({method_best_rows} of {method_rows} rows reproduce exactly; "
            "{rows_relaxed} more when limits printed with two decimals are read to one).\n"
            "- The verdicts are reproduced by the non-overlap rule ({verdict_rule_overlap} rows), "
            "and the cover report's counts ({cover.services_analysed} services analysed, "
            "{cover.services_equitable} equitable, {cover.services_unequal} unequal) by counting "
            "each service once, except 'below the expected level', which counts rows "
            "({below_expected_rows}, not {below_expected_services} services).\n"
            "- An exact test, adjusted for testing every service, finds {better_changed} of the "
            "'Equal' services significantly different from their expected share.")]
    p, rec = app.params, app.rec
    words = ["- Expected shares are ready for {label}: {areas_lsoas} "
             + lsoas_word(len(app.state["selected"])) + " of {area} with {areas_population} "
             "residents, by age band"
             + (", {expected.all_ages} of the authority's residents of all ages."
                if "expected.all_ages" in rec.figures else ".")]
    if app.state.get("whole_authority"):
        words.append("- The selected areas are the whole authority, so every expected share is "
                     "all of its residents: an audit by area cannot tell services apart here.")
    if p.service_counts_file:
        more = rec["services_more"].value
        words.append("- Of {services_tested} services tested, {services_more} "
                     + ("has" if more == 1 else "have") + " significantly more clients from "
                     "the areas than expected and {services_fewer} significantly fewer (exact "
                     "binomial test, Holm-adjusted).")
    else:
        words.append("- Service counts are needed to audit services: no counts have been "
                     "supplied. Fill in the service-count template shown above, one row per "
                     "service, age band and small area, and name the file in the parameters.")
    return [rec.say("\n".join(words), area=p.area_name, label=p.areas_label)]


def data_quality(app: Appendix) -> list[Any]:
    """What limits the data: the printed audit's inconsistencies, or the small-area data's."""
    if app.reproduces:
        return [app.rec.say(
            "The EHC and Know The Score thresholds cannot be reproduced by any count: their "
            "printed intervals do not match a Wilson interval of their printed share. The "
            "Health Trainers text quotes an 'upper CI' of the expected share that is the "
            "threshold's lower limit.")]
    return [Markdown("Small-area population estimates are modelled by ONS and carry no "
                     "published interval. The LSOA-to-authority lookup is a best fit: an LSOA "
                     "straddling a boundary is counted wholly in one authority.")]


def figures_check(app: Appendix) -> list[Any]:
    """Every printed figure beside its recomputation."""
    return [figures.show_check(app.rec, app.source_paper if app.params.board else "hwb")]


def claims_check(app: Appendix) -> list[Any]:
    """Every printed statement the shipped data can test, with its verdict and reason."""
    printed_claims = claims.load_claims(data.path(equity.CLAIMS_FILE), board=app.params.board)
    if not len(printed_claims):
        return [Markdown("No printed statements of this board are recorded in "
                         "`data/equity/printed_claims.csv`.")]
    found = app.state
    share = found["msoa_check"]["share"] if "msoa_check" in found else math.nan
    ev = (evidence.claims_evidence(found["audit"], found["exact"], found["age_matched"],
                                   found["method_best"], app.printed, float(share),
                                   printed_claims)
          if app.reproduces else {})
    return [claims.show_claims(claims.check_claims(printed_claims, ev),
                               app.source_paper + "; hwb checks on the shipped data")]



METHODS_PRINTED = """\
- **Share of clients**: clients living in the selected areas over all clients, with a Wilson
  score interval (Fingertips' method for proportions).
- **Expected share**: residents of the selected areas over residents of the authority in the
  service's age band (ONS small-area estimates).
- **Audit verdict**: Equitable if the share's lower limit is above the expected share's upper
  limit; Unequal if its upper limit is below the expected share's lower limit; otherwise Equal.
- **Threshold (c)**: the smallest number of clients from the areas whose share's lower limit
  would be above the expected share's upper limit.
- **Better method**: exact binomial test of the clients' share against the expected share,
  a near-census population share taken as fixed; Holm and Benjamini-Hochberg adjustments
  across services; p-values shown to a floor of {methods.p_floor}; funnel limits at
  {methods.funnel_inner} and {methods.funnel_outer}.
- **Deprived areas**: LSOAs ranked by the national IMD rank, or MSOAs named in the parameters."""
"""The methods of an appendix that rebuilds a printed audit (its rules, then the better one)."""

METHODS_ANY_BOARD = """\
- **Expected share**: residents of the selected areas over residents of the authority in the
  service's age band (ONS small-area estimates), a near-census population share: no interval.
- **Share of clients**: clients living in the selected areas over all the service's clients
  (from the service counts, when supplied).
- **Test**: exact binomial test of the clients' share against the expected share of the
  service's age band, taken as fixed; Holm's adjustment across services; p-values shown to a
  floor of {methods.p_floor}.
- **Deprived areas**: the authority's LSOAs ranked by their national rank in the {edition},
  the most deprived first; here {label}."""
"""The methods of an appendix for any board (no printed audit)."""


def methods(app: Appendix) -> list[Any]:
    """The methods and definitions of this appendix."""
    p = app.params
    if app.reproduces:
        method_constants(app.rec)
        return [app.rec.say(METHODS_PRINTED)]
    method_constants(app.rec, "methods.p_floor")
    return [app.rec.say(METHODS_ANY_BOARD, edition=f"IMD {p.imd_edition}", label=p.areas_label)]


METHOD_CONSTANTS = (
    ("methods.p_floor", "smallest p-value shown (smaller ones are shown as below it)",
     equity.P_FLOOR, "", 3, "hwb.papers.equity.format_p"),
    ("methods.funnel_inner", "inner funnel limits", 95.0, "percent", 0,
     "hwb.stats.funnel_proportion_limits (Fingertips: 95% and 99.8%)"),
    ("methods.funnel_outer", "outer funnel limits", 99.8, "percent", 1,
     "hwb.stats.funnel_proportion_limits (Fingertips: 95% and 99.8%)"))
"""The method's fixed numbers the text quotes: id, label, value, unit, precision, where set."""


def method_constants(rec: figures.Recorder, *ids: str) -> None:
    """Record the method's fixed numbers (:data:`METHOD_CONSTANTS`; only ``ids`` when given)
    once, so the text quotes them as figures."""
    for fid, label, value, unit, precision, where in METHOD_CONSTANTS:
        if fid not in rec.figures and (not ids or fid in ids):
            rec.record(fid, label, value, unit, precision, method=f"fixed by the method: {where}")


def caveats(app: Appendix) -> list[Any]:
    """The assumptions and caveats of this appendix."""
    if app.reproduces:
        return [Markdown(
            "- Client counts for the printed audit are recovered from its percentages: they are "
            "counts\n  consistent with what was printed, not the services' records.\n"
            "- Population intervals are nominal: a population estimate is not a sample.\n"
            "- Clients may use several services, so the services are not independent groups.")]
    lines = ([] if app.params.service_counts_file else [
        "- No service counts have been supplied, so no service is audited here: the expected "
        "shares are what each service's share of clients from the areas is to be set against."])
    lines += [
        "- Expected shares are population shares: a population estimate is not a sample, so "
        "they carry no interval.",
        "- Clients may use several services, so the services are not independent groups.",
        f"- The IMD ranks small areas by relative deprivation (here IMD {app.params.imd_edition}"
        "); a client living in a less deprived LSOA may still be deprived."]
    return [Markdown("\n".join(lines))]
