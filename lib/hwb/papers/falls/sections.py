"""The falls appendix, one function per section: each records its figures and returns what it shows.

Every function takes the run's recorder and the :class:`~hwb.papers.falls.board.FallsRun`;
the notebook calls them in order.  A section a board's data cannot support returns one
line saying why (a board without a printed claim, a shire county without rates).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from IPython.display import Markdown

from hwb.fmt import decimals_of, parse_number
from hwb.toolkit import checks
from hwb.toolkit.figures import Recorder

from . import (
    COUNT_METHODS,
    UNIT_COST_BASES,
    consistent_totals,
    headline_range,
    prices,
    printed_text,
    rate_intervals,
    tables,
    traced,
)
from .board import FallsRun

NO_CLAIM = ("_This board's paper printed no saving from falls prevented, so there is no claim "
            "to rebuild here._")


def _years(run: FallsRun) -> str:
    ev = run.params.evaluation_years
    return f"{ev[0]} to {ev[-1]}"


def _note(text: str) -> Markdown:
    return Markdown(f"_{text}_")


def question(run: FallsRun) -> Markdown:
    """The question this board's appendix answers, and what the board is asked to do."""
    if run.claim is None:
        return Markdown(
            f"How have emergency admissions for falls among people aged 65 and over in "
            f"{run.params.area_name} changed, against {run.params.comparator_name} and "
            "comparable councils, and how many admissions would a change against that trend "
            "amount to? The figures are the published standardised rates; the board's own "
            "paper printed no saving to check." + (f"\n\n**{run.board.no_rates}**"
                                                    if run.board.no_rates else ""))
    return Markdown(
        "The Better Care Fund plan told the board how many older people were admitted after a "
        "fall in the baseline year and in the latest year, and what the falls prevented since "
        "had saved the health and social care system. It did not publish the method or the "
        "years in between.\n\n**The board is asked to note** what the printed saving rests on, "
        "which assumptions reproduce it, and a range for the saving from a method that does not "
        "assume the baseline year would have repeated.")


# --- what the paper claimed ------------------------------------------------------------------


def claim(rec: Recorder, run: FallsRun) -> Markdown:
    """What the paper claimed: its counts, its years and its two savings figures."""
    A, P = run.claim, run.params
    if A is None:
        return Markdown(NO_CLAIM)
    rec.record("input_count_baseline", f"admissions for falls aged 65+ in {P.baseline_year}, as "
               "printed (an input)", A.baseline_count, "admissions", 0,
               inputs=["admissions_2011_12"])
    rec.record("input_count_final", f"admissions for falls aged 65+ in {P.evaluation_years[-1]}, "
               "as printed (an input)", A.final_count, "admissions", 0)
    rec.record("claim_years", "years the claim sums over (the evaluation years)",
               len(P.evaluation_years), "years", 0)
    for key, what in (("saving_total", "total saving"), ("saving_annual", "average annual "
                                                           "saving")):
        text = printed_text(run.printed, key)
        rec.record(
            f"quoted_{key}", f"the paper's {what} as printed (£m)", parse_number(text),
            "GBP m", decimals_of(text), method=f"as printed (quoted); the rebuild is {key} in "
            "the figures check")
    return rec.say(
        f"The paper said that {{input_count_final}} people aged 65+ had an injury due to a fall "
        f"in {P.evaluation_years[-1]} against {{input_count_baseline}} in {P.baseline_year}, and "
        "that the falls prevented over {claim_years} years saved close to £{quoted_saving_total}m"
        " (using the mean rate), an average of £{quoted_saving_annual}m a year, using The King's "
        "Fund's Torbay costs and counting from the baseline year.")


def printed_total_per_year(run: FallsRun) -> float:
    """The printed total over the years it counts (£m)."""
    return parse_number(printed_text(run.printed, "saving_total")) / len(
        run.params.evaluation_years)


def claim_consistency(rec: Recorder, run: FallsRun) -> Markdown | None:
    """Whether the printed total and the printed annual average agree with each other."""
    if run.claim is None:
        return None
    total, annual = (printed_text(run.printed, k) for k in ("saving_total", "saving_annual"))
    spread = printed_total_per_year(run)
    rec.record("printed_total_per_year", "the printed total spread over the years counted (£m)",
               spread, "GBP m", 2, method="printed total / years counted")
    rec.record("printed_total_per_year_check", "the printed total per year against the printed "
               "annual average", checks.compare(spread, annual).reason)
    both = consistent_totals(total, annual, len(run.params.evaluation_years))
    rec.record("consistent_total_low", "lowest total consistent with both printed figures (£m)",
               both[0] if both else float("nan"), "GBP m", 2)
    rec.record("consistent_total_high", "highest total consistent with both printed figures (£m)",
               both[1] if both else float("nan"), "GBP m", 2)
    return rec.say(
        "Spread over the {claim_years} years, the printed total is £{printed_total_per_year}m a "
        "year, not the printed annual average ({printed_total_per_year_check}). Both printed "
        "figures hold, within their rounding, only if the true total lay between "
        "£{consistent_total_low}m and £{consistent_total_high}m.\n\n"
        "The two savings figures above are quoted from the paper (they are its claim, checked "
        "in the figures check below); every other number is recomputed.")


# --- the rates -------------------------------------------------------------------------------


def rates_chart(rec: Recorder, run: FallsRun) -> Any:
    """The area's standardised rate beside the comparator's, every shipped year."""
    B, P = run.board, run.params
    if B.rates is None:
        return _note(B.no_rates)
    by_year = B.rates.set_index("period")["area"]
    rec.record("rate_baseline", f"{P.area_name} rate in {P.baseline_year}",
               float(by_year[P.baseline_year]), "per 100,000", 0)
    periods = list(B.rates["period"])
    area = traced.record_years(rec, "rate_area", f"{P.area_name} rate", periods,
                               list(B.rates["area"]), "per 100,000", 0)
    comp = traced.record_years(rec, "rate_comparator", f"{P.comparator_name} rate", periods,
                               list(B.rates["comparator"]), "per 100,000", 0)
    alt = traced.lines_description(
        rec, "Line chart", "emergency admissions for falls per 100,000 aged 65+",
        [(P.area_name, area), (P.comparator_name, comp)], "rates_chart_missing", periods)
    data = pd.DataFrame({"period": periods, "area": traced.cells(area, periods),
                         "comparator": traced.cells(comp, periods)})
    return tables.rates_chart(P, B.rates, "the years of the claim" if run.claim is not None
                              else "the years evaluated", alt=alt, data=data)


def rate_change(rec: Recorder, run: FallsRun) -> Markdown | None:
    """How the rate moved over the claim's years, in words computed from the rates."""
    B, P = run.board, run.params
    if B.rates is None:
        return None
    by_year = B.rates.set_index("period")["area"]
    later = [y for y in P.later_years if y in by_year.index and by_year.notna()[y]]
    rec.record("rate_final", f"{P.area_name} rate in {P.evaluation_years[-1]}",
               float(by_year[P.evaluation_years[-1]]), "per 100,000", 0)
    rec.record("rate_next", f"{P.area_name} rate in the year after the claim",
               float(by_year[later[0]]) if later else float("nan"), "per 100,000", 0)
    return rec.say(tables.rate_change_template(P, by_year))


def rate_intervals_table(rec: Recorder, run: FallsRun) -> Any:
    """Intervals on the standardised rate in the years whose count was printed."""
    A, P = run.claim, run.params
    if A is None:
        return _note("The shipped rates carry no counts, so the standardised rates have no "
                     "intervals here (an interval needs the count of admissions).")
    ri = rate_intervals(A.rates, {P.baseline_year: A.baseline_count,
                                  P.evaluation_years[-1]: A.final_count}, P.confidence)
    counts = {P.baseline_year: "input_count_baseline", P.evaluation_years[-1]: "input_count_final"}
    figs: dict[str, dict[str, Any]] = {"count": {}, "dsr": {}, "lower": {}, "upper": {}}
    for _, r in ri.iterrows():
        y = r["period"]
        fid = "rate_ci_" + y.replace("/", "_")
        for end in ("lower", "upper"):
            figs[end][y] = rec.record(f"{fid}_{end}", f"{P.area_name} rate {y}, {end} limit",
                                      r[end], "per 100,000", 0, method=r["method"])
        if counts.get(y) in rec.figures:
            figs["count"][y] = rec[counts[y]]
        figs["dsr"].update(traced.record_years(rec, "rate_area", f"{P.area_name} rate", [y],
                                               [r["dsr"]], "per 100,000", 0))
    return tables.rate_intervals_table(A, ri, figs)


# --- rebuilding the claim --------------------------------------------------------------------


def counts(rec: Recorder, run: FallsRun) -> Any:
    """The yearly counts the claim needs: printed where printed, estimated between."""
    A, P = run.claim, run.params
    if A is None:
        return Markdown(NO_CLAIM)
    ct = A.counts[A.counts["period"].isin([P.baseline_year, *P.evaluation_years,
                                           *P.later_years])]
    periods = list(ct["period"])
    figs = {"dsr": traced.record_years(rec, "rate_area", f"{P.area_name} rate", periods,
                                       list(ct["dsr"]), "per 100,000", 0)}
    for c, w in (("count", "central"), ("count_low", "low"), ("count_high", "high")):
        figs[c] = traced.record_years(rec, f"counts_{w}", f"admissions for falls aged 65+, "
                                      f"{P.area_name}, printed or estimated ({w})", periods,
                                      list(ct[c]), "admissions", 0)
    return tables.counts_table(A, figs)


def unit_costs(rec: Recorder, run: FallsRun) -> Any:
    """The Torbay unit costs per fall admission, in the study's prices and the price year."""
    A, P = run.claim, run.params
    if A is None:
        return Markdown(NO_CLAIM)
    rec.record("price_factor", f"GDP deflator factor, {A.torbay_price_year} to {P.price_year} "
               "prices", A.cost_factor, "ratio", 4, method=prices.CONVENTION)
    figs: dict[str, dict[str, Any]] = {"per_person": {}, "per_person_low": {},
                                       "per_person_high": {}, "priced": {}}
    priced = A.costs_priced["per_person"].tolist()
    for i, (_, c) in enumerate(A.costs.iterrows()):
        b = c["basis"]
        figs["per_person"][b] = rec.record(f"unit_cost_{b}", f"cost per person: {c['label']}",
                                           float(c["per_person"]), "GBP", 0,
                                           method=c["formula"])
        for end in ("low", "high"):
            figs[f"per_person_{end}"][b] = rec.record(
                f"unit_cost_{b}_{end}", f"cost per person: {c['label']}, {end} (the Torbay "
                "totals' rounding)", float(c[f"per_person_{end}"]), "GBP", 0,
                method=c["formula"])
        figs["priced"][b] = rec.record(
            f"unit_cost_{b}_priced", f"cost per person: {c['label']}, {P.price_year} prices",
            float(priced[i]), "GBP", 0, method=f"{c['formula']}, x {prices.CONVENTION}")
    return tables.unit_costs_table(A, figs)


def claim_rebuild(rec: Recorder, run: FallsRun) -> Markdown:
    """Which unit cost and which arithmetic reproduce the printed saving."""
    A, P = run.claim, run.params
    if A is None:
        return Markdown(NO_CLAIM)
    from . import claim_alternatives

    count_words = COUNT_METHODS[P.claim_count_method]
    cost_words = UNIT_COST_BASES[P.claim_unit_cost_basis][0]
    rec.record("claim_falls_prevented", "falls prevented in the headline rebuild",
               A.claim_falls_prevented, "admissions", 0, method=count_words)
    rec.record("saving_total", "total saving, headline rebuild (£m)", A.claim_total / 1e6,
               "GBP m", 1, alternatives=claim_alternatives(A.sensitivity, "total"),
               method=f"{count_words} x {cost_words}")
    rec.record("saving_annual", "average annual saving, headline rebuild (£m)",
               A.claim_annual / 1e6, "GBP m", 2,
               alternatives=claim_alternatives(A.sensitivity, "annual"),
               method="the total over the number of years")
    fits = A.sensitivity[A.sensitivity["both"]]
    rec.record("n_joint_fits", "combinations reproducing both printed figures", len(fits),
               "combinations", 0)
    rec.record("n_combinations", "combinations tried", len(A.sensitivity), "combinations", 0)
    rec.record("first_joint_fit", "the first combination reproducing both",
               fits["candidate"].iloc[0] if len(fits) else "none")
    return rec.say(
        "The paper says it used \"the mean rate\". That may mean the mean cost per person (each "
        "Torbay total divided by the cohort is a mean) or a mean falls rate over the years; both "
        "readings are tried: every unit cost below is a mean, and one arithmetic (the mean rate) "
        "applies the years' mean rate. Each combination of arithmetic, count estimate (central, "
        "low, high) and unit cost (central, low, high) is compared with both printed figures."
        "\n\n"
        f"Counting each year's fall from the baseline ({count_words}) at {cost_words} gives "
        "{claim_falls_prevented} falls prevented and a saving of £{saving_total}m, "
        "£{saving_annual}m a year. Of {n_combinations} combinations of arithmetic, count "
        "estimate and unit cost, the number reproducing both printed figures together is "
        "{n_joint_fits}: {first_joint_fit}.")


def claim_sensitivity(run: FallsRun) -> Any:
    """Every arithmetic and unit cost against both printed figures."""
    if run.claim is None:
        return None
    total, annual = (printed_text(run.printed, k) for k in ("saving_total", "saving_annual"))
    return tables.claim_sensitivity_table(run.claim, total, annual)


def joint_fits(run: FallsRun) -> Any:
    """The combinations that reproduce both printed figures."""
    return None if run.claim is None else tables.joint_fits_table(run.claim)


# --- the defensible estimate -----------------------------------------------------------------


def estimate_method(run: FallsRun) -> Markdown:
    """What the defensible estimate assumes, in words."""
    if run.claim is None:
        return Markdown(
            "What would the admissions have been had the area's rate followed "
            f"{run.params.comparator_name}'s trend? The counterfactual starts from the area's "
            "mean rate over the pre-period and follows the comparator's trend (difference in "
            "differences on the standardised rates). With no printed count, the rates are "
            "turned into admissions with the ONS estimate of the year's 65+ population, as if "
            "the area's 65+ population had the standard age mix: a standardised rate is not a "
            "crude rate, so these are admissions at the standard age mix, not a count.")
    return Markdown(
        "The claim counts every year's difference from the baseline year as a fall prevented: it "
        "assumes the baseline year would have repeated, gives the whole change to the service, "
        "and values each admission at gross costs that include care the person would have had "
        "anyway.\n\nWhat would the admissions have been without the change? The counterfactual "
        "starts from the area's mean rate over the pre-period and follows the comparator's trend "
        "(difference in differences on the standardised rates); each year's expected admissions "
        "are that rate times the year's effective 65+ denominator. Each admission avoided is "
        "valued at the incremental Torbay cost, and the service's own cost is taken off.")


AVOIDED_WORDS = {
    "expected": "expected admissions (counterfactual)",
    "observed": "observed admissions (printed or estimated)",
    "avoided": "admissions avoided", "avoided_low": "admissions avoided, low",
    "avoided_high": "admissions avoided, high",
}
"""The admissions-avoided table's columns, as the figures' labels say them."""


def _avoided_figures(rec: Recorder, run: FallsRun) -> dict[str, Any]:
    """The recorded figures of the admissions-avoided chart and table (a printed claim):
    column to year to figure, and ``total`` to column to figure (the claim's years)."""
    A, P = run.claim, run.params
    assert A is not None
    av = tables.avoided_years(A)
    periods = list(av["period"])
    out: dict[str, Any] = {
        c: traced.record_years(rec, f"avoided_year_{c}", f"{w}, {P.area_name}", periods,
                               list(av[c]), "admissions", 0)
        for c, w in AVOIDED_WORDS.items()}
    total = A.avoided.iloc[-1]
    out["total"] = {c: rec.figures.get(f"avoided_total_{c}") or rec.record(
        f"avoided_total_{c}", f"{w}, {P.area_name}, total {_years(run)}", float(total[c]),
        "admissions", 0) for c, w in AVOIDED_WORDS.items()}
    return out


def _standard_mix_figures(rec: Recorder, run: FallsRun) -> dict[str, Any]:
    """The recorded figures of the admissions at the standard age mix (no printed claim):
    column to year to figure, and ``total`` to column to figure."""
    B, P = run.board, run.params
    body = B.avoided[B.avoided["period"] != "Total"]
    periods = list(body["period"])
    vintage = "; ".join(sorted(set(B.avoided["vintage"]) - {""}))
    out: dict[str, Any] = {"dsr_observed": {p: rec.figures[f"rate_area.{traced.year_key(p)}"]
                                            for p in periods
                                            if f"rate_area.{traced.year_key(p)}" in rec.figures}}
    words = {"dsr_expected": ("counterfactual rate", "per 100,000", {}),
             "population": ("ONS 65+ population", "persons", {"vintage": vintage}),
             "expected": ("expected admissions at the standard age mix", "admissions", {}),
             "observed": ("observed admissions at the standard age mix (rate x population)",
                          "admissions", {}),
             "avoided": ("admissions avoided at the standard age mix", "admissions", {})}
    for c, (w, unit, kw) in words.items():
        out[c] = traced.record_years(rec, f"standard_mix_{c}", f"{P.area_name}: {w}", periods,
                                     list(body[c]), unit, 0, **kw)
    total = B.avoided.set_index("period").loc["Total"]
    avoided = float(total["avoided"])
    out["total"] = {
        "avoided": rec.record(
            "avoided_standard_mix", f"admissions avoided {_years(run)} at the standard age "
            "mix (DSR x 65+ population)", avoided, "admissions", 0,
            method="(counterfactual rate - rate) x ONS 65+ population / 100,000",
            vintage=vintage),
        "size": rec.record("avoided_standard_mix_size", "the size of that difference "
                           "(admissions)", abs(avoided), "admissions", 0),
        "expected": rec.record("expected_standard_mix", f"expected admissions {_years(run)} at "
                               "the standard age mix", float(total["expected"]), "admissions",
                               0),
        "observed": rec.record("observed_standard_mix", f"observed admissions {_years(run)} at "
                               "the standard age mix", float(total["observed"]), "admissions",
                               0)}
    return out


def avoided_chart(rec: Recorder, run: FallsRun) -> Any:
    """Observed admissions against the counterfactual, by year (every number recorded)."""
    if run.claim is not None:
        figs = _avoided_figures(rec, run)
        alt = traced.lines_description(
            rec, "Line chart", "admissions for falls aged 65+",
            [("Expected", figs["expected"]), ("Observed", figs["observed"])])
        return tables.avoided_chart(run.claim, alt)
    B = run.board
    if B.avoided.empty:
        return _note(B.avoided_note)
    return tables.standard_avoided_table(run.params, B.avoided, _standard_mix_figures(rec, run))


def avoided_table(rec: Recorder, run: FallsRun) -> Any:
    """Admissions avoided by year with their intervals (or, without counts, in words)."""
    if run.claim is not None:
        return tables.avoided_table(run.claim, _avoided_figures(rec, run))
    B, P = run.board, run.params
    if B.avoided.empty:
        return None
    avoided = rec["avoided_standard_mix"].value
    return rec.say(
        f"Assuming the difference from the counterfactual was caused by what changed locally "
        f"(nothing here shows what caused it), and at the standard age mix, {P.area_name} had "
        f"about {{avoided_standard_mix_size}} {'fewer' if avoided >= 0 else 'more'} emergency "
        f"admissions for falls over {_years(run)} than the {{expected_standard_mix}} its "
        f"pre-period rate following {P.comparator_name}'s trend implies. No interval is given: "
        "the shipped rates carry no counts.")


def scenarios(rec: Recorder, run: FallsRun) -> Any:
    """Savings low, central and high, gross and net of the service's cost."""
    A, P = run.claim, run.params
    if A is None:
        return None
    sc = A.scenarios.set_index("scenario")
    years = _years(run)
    for scen in ("low", "central", "high"):
        rec.record(f"avoided_{scen}", f"admissions avoided {years}, {scen}",
                   float(sc.loc[scen, "admissions_avoided"]), "admissions", 0)
        rec.record(f"net_{scen}", f"net saving {years}, {scen} (£m, {P.price_year} prices)",
                   float(sc.loc[scen, "net"]) / 1e6, "GBP m", 1)
    rec.record("gross_central", f"gross saving {years}, central (£m)",
               float(sc.loc["central", "gross"]) / 1e6, "GBP m", 1)
    rec.record("service_cost_total", f"the falls service's cost over {years} (£m)",
               float(sc.loc["central", "service_cost"]) / 1e6, "GBP m", 1)
    rec.record("unit_cost_used", f"cost per admission avoided ({P.unit_cost_basis}, "
               f"{P.price_year} prices)", float(sc.loc["central", "unit_cost"]), "GBP", 0)
    return tables.scenarios_table(A, _scenario_figures(rec, run))


def _scenario_figures(rec: Recorder, run: FallsRun) -> dict[tuple[str, str], dict[str, Any]]:
    """The savings table's recorded figures: (claim or later years, scenario) to column to
    figure, money in £m at two decimals as the table shows it."""
    A, P = run.claim, run.params
    assert A is not None
    spans = {"claim": (_years(run), A.scenarios)}
    if len(A.scenarios_later):
        spans["later"] = (f"{P.later_years[0]} to {P.later_years[-1]}", A.scenarios_later)
    words = {"admissions_avoided": ("admissions avoided", "admissions", 0, 1),
             "unit_cost": ("cost per admission avoided", "GBP", 0, 1),
             "gross": ("gross saving (£m)", "GBP m", 2, 1e6),
             "service_cost": ("the falls service's cost (£m)", "GBP m", 2, 1e6),
             "net": ("net saving (£m)", "GBP m", 2, 1e6)}
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for key, (years, df) in spans.items():
        for _, r in df.iterrows():
            out[(key, r["scenario"])] = {
                c: rec.record(f"scenario_{key}_{r['scenario']}.{c}", f"{w}, {years}, "
                              f"{r['scenario']} ({P.price_year} prices)", float(r[c]) / div,
                              unit, d)
                for c, (w, unit, d, div) in words.items()}
    return out


def scenarios_words(rec: Recorder, run: FallsRun) -> Markdown | None:
    """The defensible estimate in words."""
    A, P = run.claim, run.params
    if A is None:
        return None
    rec.record("confidence_level", "confidence level of the intervals", P.confidence * 100,
               "percent", 0)
    return rec.say(
        "On this method {avoided_central} admissions were avoided over the claim's years "
        "(low {avoided_low} to high {avoided_high}: {confidence_level} "
        + str(A.avoided["method"].iloc[0]) + ", combined with the range of the estimated "
        "counts); at {unit_cost_used} each, less the service's cost of £{service_cost_total}m, "
        "the net saving is £{net_central}m (low £{net_low}m, high £{net_high}m, which also take "
        "the low and high unit cost).")


def estimate_sensitivity(rec: Recorder, run: FallsRun) -> Any:
    """The net saving under every counterfactual and unit cost, and its whole range."""
    A, P = run.claim, run.params
    if A is None:
        return None
    es = A.estimate_sensitivity
    years = _years(run)
    low, high = headline_range(es)
    rec.record("net_range_low", f"net saving {years}, lowest over every counterfactual and unit "
               f"cost (£m, {P.price_year} prices)", low / 1e6, "GBP m", 1)
    rec.record("net_range_high", f"net saving {years}, highest over every counterfactual and "
               f"unit cost (£m, {P.price_year} prices)", high / 1e6, "GBP m", 1)
    c_low, c_high = headline_range(es, "net", "net")
    rec.record("net_central_range_low", f"net saving {years}, lowest central estimate over "
               f"every counterfactual and unit cost (£m, {P.price_year} prices)", c_low / 1e6,
               "GBP m", 1)
    rec.record("net_central_range_high", f"net saving {years}, highest central estimate over "
               f"every counterfactual and unit cost (£m, {P.price_year} prices)", c_high / 1e6,
               "GBP m", 1)
    return tables.estimate_sensitivity_table(A)


def estimate_sensitivity_words(rec: Recorder, run: FallsRun) -> Markdown | None:
    """The range of the net saving over every counterfactual and unit cost, in words."""
    if run.claim is None:
        return None
    return rec.say(
        "Over every counterfactual and unit cost above, the central estimates of the net saving "
        "run from £{net_central_range_low}m to £{net_central_range_high}m, and with their "
        "intervals from £{net_range_low}m to £{net_range_high}m.")


# --- other areas -----------------------------------------------------------------------------


def national(rec: Recorder, run: FallsRun) -> Any:
    """The change in the rate in every district and unitary authority, the area highlighted."""
    B, P = run.board, run.params
    nat = B.national
    row = nat[nat["area_code"] == P.area_code]
    have = len(row) > 0
    if "comparator_pct_change" not in rec.figures:  # a county's districts record it first
        rec.record("comparator_pct_change", f"{P.comparator_name}: % change in the rate",
                   float(nat["comparator_pct_change"].iloc[0]), "percent", 1)
    rec.record("n_areas", "districts and unitary authorities with both years", len(nat),
               "areas", 0)
    if have:
        rec.record("area_pct_change", f"{P.area_name}: % change in the rate, "
                   f"{P.national_start} to {P.national_end}",
                   float(row["pct_change"].iloc[0]), "percent", 1)
        rec.record("area_rank", "rank of the area's fall (1 = largest)",
                   int(row["rank"].iloc[0]), "", 0)
    alt = traced.national_description(rec, nat, P.area_name, P.comparator_name,
                                      P.national_start, P.national_end)
    return tables.national_chart(P, nat, alt)


def national_words(rec: Recorder, run: FallsRun) -> Markdown:
    """The area's change against the comparator and its rank, in words."""
    P = run.params
    if "area_pct_change" not in rec.figures:
        return rec.say(f"{P.comparator_name}'s rate changed by {{comparator_pct_change}} from "
                       f"{P.national_start} to {P.national_end}. " + run.board.no_rates)
    text = (f"{P.area_name}'s rate changed by {{area_pct_change}} from {P.national_start} to "
            f"{P.national_end}, against {{comparator_pct_change}} for {P.comparator_name}; "
            "ranked {area_rank} of {n_areas} districts and unitary authorities (1 = the largest "
            "fall).")
    by_year = run.board.rates.set_index("period")["area"] if run.board.rates is not None else None
    change, single, turned = tables.rate_change_facts(P, by_year) if by_year is not None else (
        0.0, False, None)
    if change < 0 and single and turned:
        text += (" A fall this large, mostly in one year, and followed by a rise, is as likely "
                 "to reflect how admissions were recorded as how many people fell.")
    return rec.say(text)


def neighbours(rec: Recorder, run: FallsRun) -> Any:
    """The change in the rate among the area's comparable councils (CIPFA nearest neighbours)."""
    B, P = run.board, run.params
    nb = B.neighbours
    if nb.empty:
        return _note(B.neighbours_note)
    others = nb[~nb["is_area"]]
    with_rates = others.dropna(subset=["pct_change"])
    rec.record("neighbours_n", "comparable councils (CIPFA nearest neighbours)", len(others),
               "councils", 0, vintage=B.neighbours_note.removeprefix("Comparable councils: "))
    rec.record("neighbours_with_rates", "comparable councils with published rates in both years",
               len(with_rates), "councils", 0)
    area = nb[nb["is_area"]].dropna(subset=["pct_change"])
    if len(with_rates):
        rec.record("neighbours_median_change", "median % change in the rate among comparable "
                   "councils", float(with_rates["pct_change"].median()), "percent", 1)
    if len(area) and len(with_rates):
        a = float(area["pct_change"].iloc[0])
        rec.record("neighbours_rank", "rank of the area's change among itself and its comparable "
                   "councils with rates (1 = largest fall)",
                   1 + int((with_rates["pct_change"] < a).sum()), "", 0)
    figs: dict[str, dict[str, Any]] = {"dsr_start": {}, "dsr_end": {}, "pct_change": {}}
    words = {"dsr_start": (f"rate {P.national_start}", "per 100,000", 0),
             "dsr_end": (f"rate {P.national_end}", "per 100,000", 0),
             "pct_change": (f"% change in the rate, {P.national_start} to {P.national_end}",
                            "percent", 1)}
    for _, r in nb.iterrows():
        for c, (w, unit, d) in words.items():
            if pd.notna(r[c]):
                figs[c][r["area_code"]] = rec.record(
                    f"neighbour_{c}.{r['area_code'].lower()}", f"{r['area_name']}: {w}",
                    float(r[c]), unit, d)
    return tables.neighbours_table(P, nb, B.neighbours_note, figs)


def neighbours_words(rec: Recorder, run: FallsRun) -> Markdown | None:
    """The area among its comparable councils, in words."""
    P = run.params
    if "neighbours_n" not in rec.figures:
        return None
    text = ("Of {neighbours_n} comparable councils, {neighbours_with_rates} have published "
            "rates in both years")
    if "neighbours_median_change" in rec.figures:
        text += "; their median change was {neighbours_median_change}"
    text += "."
    if "neighbours_rank" in rec.figures:
        text += (f" {P.area_name}'s change ranks {{neighbours_rank}} among them and itself "
                 "(1 = the largest fall).")
    if run.board.neighbours["note"].iloc[1:].astype(bool).any():
        text += (" Councils without rates are shire counties (absent from the shipped file) or "
                 "on boundaries the file does not use, or blank; the table says which.")
    return rec.say(text)


# --- key messages, caveats, data quality, checks ---------------------------------------------


def key_messages(rec: Recorder, run: FallsRun) -> Markdown:
    """The appendix's key messages, each from recorded figures."""
    P = run.params
    if run.claim is None:
        return rec.say(tables.board_key_messages(P, rec.figures, run.board))
    fewer = "fewer" if rec["claim_falls_prevented"].value < rec["avoided_central"].value \
        else "more"
    _, _, turned = tables.rate_change_facts(P, run.board.rates.set_index("period")["area"])
    last = ("- The rate rose again after the claim's last year; the saving may not persist and "
            "part of the fall may be a recording effect (see Data quality)." if turned else
            "- Part of the fall may be a recording effect (see Data quality).")
    return rec.say(
        "- The printed saving cannot be rebuilt from the published figures without choosing "
        "an arithmetic and a unit cost. Combinations tried: {n_combinations}; reproducing both "
        "the total and the annual figure: {n_joint_fits} ({first_joint_fit}).\n"
        "- The claim treats the baseline year as what would otherwise have happened. That "
        f"ignores the growing 65+ population, so it counts {fewer} falls prevented "
        "({claim_falls_prevented}) than the counterfactual does ({avoided_central}); but it "
        "values each at a gross cost ({unit_cost_admission_plus_after}) that includes care the "
        "person would have had anyway (incremental: {unit_cost_incremental}; both in the Torbay "
        "study's own prices, as the paper used them). The two errors "
        + ("partly cancel" if fewer == "fewer" else "add up")
        + "; neither is visible in the printed paper.\n"
        "- Assuming the falls service caused the whole fall in admissions against the "
        "counterfactual (nothing here shows that it did), and against a counterfactual that "
        "follows " + P.comparator_name + "'s trend from a pre-period rate, valued at incremental "
        "cost and net of the service's cost, the saving over the same years is £{net_central}m "
        "(£{net_low}m to £{net_high}m with the intervals on the counts); with the other "
        "counterfactuals and unit costs as well, it lies between £{net_range_low}m and "
        "£{net_range_high}m, in " + P.price_year + " prices (GDP deflator).\n" + last)


def methods(run: FallsRun) -> Markdown:
    """Methods and definitions."""
    from .text import methods_markdown

    return Markdown(methods_markdown(run.claim is not None))


def assumptions(run: FallsRun) -> Any:
    """The assumptions log, rated for quality and impact."""
    if run.claim is not None:
        return tables.assumptions_table(run.claim.assumptions)
    if run.board.rates is None:
        return _note(run.board.no_rates)
    from .text import board_assumptions

    return tables.assumptions_table(board_assumptions(run.params))


def data_quality(rec: Recorder, run: FallsRun) -> Markdown:
    """Data quality: what the shipped data can and cannot say."""
    from .quality import board_quality, claim_quality

    if run.claim is None:
        return board_quality(rec, run)
    return claim_quality(rec, run)


def figures_check(rec: Recorder, run: FallsRun) -> Any:
    """The figures check: every printed figure beside its recomputation."""
    from hwb.toolkit import figures

    from .text import source_paper

    if run.claim is None:  # the (empty) check is still published for the run's manifest
        figures.show_check(rec, "hwb recomputation from the shipped data")
        return Markdown("_The board's paper printed no falls figures to check: every figure in "
                        "this appendix is recomputed from the shipped data._")
    return figures.show_check(rec, source_paper(run.params) + "; hwb recomputation")


def claims_check(run: FallsRun) -> Any:
    """The claims check: every testable printed statement and its verdict."""
    if run.claim is None:
        return Markdown("_The board's paper printed no statements about falls to test._")
    from hwb.sources import data
    from hwb.toolkit import claims

    from . import CLAIMS_FILE, load_torbay
    from .evidence import claims_evidence
    from .text import source_paper

    P, A = run.params, run.claim
    printed = claims.load_claims(data.path(CLAIMS_FILE), board=P.board)
    evidence = claims_evidence(A.rates, A.claim_total, printed_total_per_year(run),
                               printed_text(run.printed, "saving_annual"),
                               str(load_torbay()["document"].iloc[0]), printed)
    return claims.show_claims(claims.check_claims(printed, evidence),
                              source_paper(P) + "; hwb checks on the shipped data")

