"""The falls appendix's data-quality section: what the shipped data can and cannot say."""

from __future__ import annotations

from IPython.display import Markdown

from hwb.errors import DataError
from hwb.toolkit.figures import Recorder

from . import load_population, printed_count
from .board import FallsRun


def claim_quality(rec: Recorder, run: FallsRun) -> Markdown:
    """Data quality for a rebuilt claim: the printed counts' fit, the 65+ populations, the cost.

    Records ``age_mix_factor`` (the printed count over the standardised rate times the
    template's 65+ population), the ONS and template 65+ populations and the service's cost.
    """
    from hwb.sources import population

    A, P = run.claim, run.params
    assert A is not None
    den = A.counts.set_index("period")
    template = load_population(P.area_code)
    last = P.evaluation_years[-1]
    rec.record("age_mix_factor", f"crude rate over standardised rate, {last} (printed count / "
               "(rate x printed 65+ population))",
               float(den.loc[last, "denominator"] / template[last]) if last in template.index
               else float("nan"), "ratio", 3)
    try:
        ons = population.population(P.area_code, 65)
    except DataError as e:  # the ONS file is context only, not an input of any figure above
        rec.record("ons_65plus_2019", "ONS mid-2019 estimate of the 65+ population",
                   f"not available ({e})")
    else:
        rec.record("ons_65plus_2019", "ONS mid-2019 estimate of the 65+ population", ons.value,
                   "persons", 0, inputs=[ons.file])
    rec.record("template_65plus_last", f"BCF template 65+ population, {template.index[-1]} "
               "(plan)", float(template.iloc[-1]), "persons", 0)
    rec.record("falls_service_cost", "falls service expenditure 2017/18 from the template "
               "(£000)", printed_count(run.printed, "falls_service_expenditure") / 1000,
               "GBP thousands", 0)
    return rec.say(
        "- The national rates are rounded to whole numbers and carry no counts or intervals; "
        "the counts between the printed years are estimates (ranges shown).\n"
        "- The printed count over the standardised rate times the template's 65+ population "
        "gives {age_mix_factor}: below one, as it should be for an area with a younger 65+ "
        "population than the European standard, so the printed counts are consistent with "
        "this indicator.\n"
        "- The template's 65+ population for its last plan year is {template_65plus_last}; ONS "
        "estimated {ons_65plus_2019} in mid-2019.\n"
        "- The falls service's cost in the planning template, {falls_service_cost} thousand "
        "pounds, is checked against the plan's Table 9 in the figures check.")


def board_quality(rec: Recorder, run: FallsRun) -> Markdown:
    """Data quality for a board without a printed claim: rounding, gaps, populations."""
    B, P = run.board, run.params
    lines = ["The national rates are rounded to whole numbers by the file's publisher and carry "
             "no counts, denominators or intervals."]
    if B.rates is None:
        lines.append(B.no_rates)
    else:
        blank = [y for y, v in zip(B.rates["period"], B.rates["area"], strict=True) if v != v]
        if blank:
            lines.append(f"{P.area_name} has no rate for {', '.join(blank)} in the shipped file.")
    if not B.avoided.empty:
        vintages = sorted(set(B.avoided["vintage"]) - {""})
        lines.append("The 65+ populations are " + "; ".join(vintages) + ".")
    elif B.avoided_note and B.rates is not None:
        lines.append(B.avoided_note)
    lines.append(B.neighbours_note)
    return Markdown("".join(f"- {x}\n" for x in lines if x))
