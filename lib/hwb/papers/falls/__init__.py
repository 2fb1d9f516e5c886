"""The falls savings paper: rebuild a board's "falls prevented" saving, then estimate it defensibly.

Rotherham's Better Care Fund plan (Health and Wellbeing Board, 20 September 2017,
item 15) said that 751 people aged 65+ had an injury due to a fall in 2015/16
against 1,039 in 2011/12, and that the falls prevented over four years saved
"close to £15m (using the mean rate), with an average annual saving of £3.6m",
using The King's Fund's Torbay costings.  Neither the method nor the
intermediate years were published.

This module does three things, each a plain function on tidy DataFrames:

1. **Rebuild the claim**: estimate the missing yearly counts from the
   standardised rates (:func:`estimate_counts`), derive the candidate unit
   costs from the Torbay totals (:func:`unit_costs`), and tabulate which unit
   cost and which arithmetic reproduce both printed figures
   (:func:`sensitivity_table`).
2. **A defensible estimate**: a counterfactual rate from a multi-year
   pre-period adjusted for a comparator's trend (:func:`counterfactual_rates`),
   admissions avoided with exact Poisson intervals (:func:`avoided_admissions`),
   valued at the incremental cost per admission in one stated price year and
   net of the service's own cost (:func:`savings_scenarios`).
3. **National context**: the change in the rate for every district and
   unitary authority against England (:func:`national_change`,
   :func:`national_chart`).

The assumptions behind both estimates are data (:func:`assumptions_log`),
rated red/amber/green for quality and impact.
"""


from __future__ import annotations

from hwb.protocol import BUILTIN_ROOT, Paper
from hwb.sources import cipfa, population_by_year
from hwb.sources.phof_falls import (  # noqa: F401 - re-exported for the notebook and tests
    NATIONAL_FILE,
    NATIONAL_SCHEMA,
    load_national,
    national_change,
)
from hwb.toolkit.change_chart import national_alt, national_chart  # noqa: F401 - re-exported

from . import prices
from .compute import (  # noqa: F401 - the paper's functions, re-exported
    CLAIMS_FILE,
    DISTRICT_UA_PREFIXES,
    PER,
    POPULATION_FILE,
    POPULATION_SCHEMA,
    PRINTED_FILE,
    RAG,
    TORBAY_FILE,
    TORBAY_SCHEMA,
    FallsAnalysis,
    analyse,
    area_rates,
    assumptions_log,
    avoided_admissions,
    check_price_year,
    claim_alternatives,
    consistent_totals,
    counterfactual_rates,
    effective_denominators,
    estimate_counts,
    estimate_sensitivity,
    falls_prevented,
    headline_range,
    load_population,
    load_torbay,
    printed_count,
    printed_text,
    rate_intervals,
    savings_scenarios,
    sensitivity_summary,
    sensitivity_table,
    unit_costs,
)
from .params import (  # noqa: F401 - the parameters and the methods' words, re-exported
    COMPONENT_WORDS,
    COUNT_METHODS,
    COUNT_WORDS,
    COUNTERFACTUAL_WORDS,
    DEFAULT_TITLE,
    ENGLAND,
    FIRST_YEAR,
    LAST_YEAR,
    UNIT_COST_BASES,
    UNIT_COST_WORDS,
    CounterfactualMethod,
    CountMethod,
    FallsParams,
    UnitCostBasis,
    fy_label,
    fy_start,
    years_from_period,
)

PAPER = Paper(
    name="falls",
    title="Falls among older people: the published rates, and a claimed saving rebuilt",
    notebook=BUILTIN_ROOT / "notebooks" / "falls.ipynb",
    params_model=FallsParams,
    params_dir=BUILTIN_ROOT / "params" / "falls",
    printed=BUILTIN_ROOT / "data" / "falls" / "printed_figures.csv",
    claims=BUILTIN_ROOT / "data" / CLAIMS_FILE,
    inputs=tuple(BUILTIN_ROOT / "data" / f for f in (
        NATIONAL_FILE, TORBAY_FILE, POPULATION_FILE, PRINTED_FILE, CLAIMS_FILE,
        prices.DEFLATOR_FILE, cipfa.FILE, population_by_year.MYE_FILE,
        population_by_year.MYEB3_FILE, population_by_year.COUNTY_FILE,
        population_by_year.MYE2019_FILE)),
    description="Any board's emergency admissions for falls aged 65+ (PHOF 2.24i) against "
                "England and its comparable councils, with the admissions a change against the "
                "trend amounts to; where the board printed a saving from falls prevented, "
                "rebuilds it, tests which unit cost and arithmetic reproduce it, and sets a "
                "counterfactual estimate with intervals and an assumptions log beside it.",
)
