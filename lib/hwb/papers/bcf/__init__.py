"""The Better Care Fund 2017-19 paper: the four national metrics and the money, reproduced.

Two board papers: Rotherham's BCF plan 2017-19 with NHS England's planning
template and the Improved BCF plan (Rotherham Health and Wellbeing Board,
20 September 2017, items 15 and 15A), and Leicestershire's BCF section 75
pooled-budget agreement (Leicestershire Health and Wellbeing Board, 25 January
2018, item 14).

Every figure as printed is a row of ``data/bcf/printed_figures.csv``.  The
functions here recompute each printed figure that has parts to recompute it
from and return *checks*: one :class:`Check` per printed figure, holding the
recomputed value, the other ways the paper might have computed it
(``alternatives``) and the generic :mod:`hwb.toolkit.checks` comparison that was made.
The notebook records each check with :meth:`hwb.toolkit.figures.Recorder.record`, which
compares it with the printed value.  Printed figures that are inputs (a
numerator, a scheme's budget line) carry ``scope = "out of scope: input ..."``.

The four metrics (NHS England, *BCF planning requirements 2017-19*, annex on
metrics):

* non-elective admissions (general and acute), the HWB plan apportioned from
  CCG plans by the CCG-to-HWB mapping (:mod:`hwb.sources.ccg_hwb`);
* permanent admissions of older people (65+) to residential and nursing care
  homes per 100,000 population 65+ (ASCOF 2A(2));
* proportion of older people (65+) still at home 91 days after discharge from
  hospital into reablement/rehabilitation services (ASCOF 2B(1));
* delayed transfers of care (delayed days) from hospital per 100,000
  population aged 18+, by quarter.
"""

from __future__ import annotations

from hwb.papers.bcf.compute import (
    METRICS,
    QUARTERS,
    Check,
    _dec,
    _label,
    _unit,
    applies_from,
    check_sum,
    check_twice,
    check_value,
    checks_frame,
    dtoc_actual_checks,
    dtoc_actuals,
    dtoc_gap_check,
    dtoc_per_day,
    dtoc_plan_vs_actual,
    dtoc_spc,
    load_printed,
    metric_checks,
    metric_frame,
    narrative_metric_checks,
    nea_checks,
    row,
    value,
    with_intervals,
)
from hwb.papers.bcf.money import (
    AREAS,
    FUNDING_VS_S75,
    HART_PARTNERS,
    IBCF_TABLE9,
    S75_LINES,
    S75_PARTNERS,
    SCHEME_SCHEMA,
    SOURCE_OF,
    TABLE9_SCHEMES,
    _minimum_mandated_checks,
    _s75,
    _year_money_checks,
    area_of_spend,
    area_remainders,
    duration_conflicts,
    explain_remainders,
    funding_by_source,
    hart_basis,
    hart_checks,
    hart_table,
    ibcf_checks,
    ibcf_reconcile,
    ibcf_uses,
    leics_checks,
    load_schemes,
    money_checks_rotherham,
    reconcile,
    risk_checks,
    spend_by_area,
    table8_checks,
    table9_checks,
    table9_vs_template,
)
from hwb.papers.bcf.params import ANSWERS_FILE, PRINTED_FILE, SCHEMES_FILE, BcfParams
from hwb.protocol import BUILTIN_ROOT, Paper

PAPER = Paper(
    name="bcf",
    title="Better Care Fund 2017-19: the four metrics and the money, reproduced and reconciled",
    notebook=BUILTIN_ROOT / "notebooks" / "bcf.ipynb",
    params_model=BcfParams,
    params_dir=BUILTIN_ROOT / "params" / "bcf",
    printed=BUILTIN_ROOT / "data" / "bcf" / "printed_figures.csv",
    inputs=(BUILTIN_ROOT / "data" / "bcf" / "printed_figures.csv",
            BUILTIN_ROOT / "data" / "bcf" / "printed_claims.csv",
            BUILTIN_ROOT / "data" / "dtoc" /
            "dtoc_delayed_days_by_responsible_org_2011-04_to_2019-12.csv",
            BUILTIN_ROOT / "data" / "dtoc" / "dtoc_delayed_days_by_reason_2011-04_to_2019-12.csv",
            BUILTIN_ROOT / "data" / "bcf" / "rotherham_schemes.csv",
            BUILTIN_ROOT / "data" / "bcf" / "ccg_hwb_mapping.csv",
            BUILTIN_ROOT / "data" / "bcf" / "template_answers.csv"),
    description=("Rotherham's BCF plan 2017-19 and planning template (HWB 20 September 2017, "
                 "items 15 and 15A) and Leicestershire's BCF s75 agreement (HWB 25 January 2018, "
                 "item 14)."),
)

__all__ = [
    "dtoc_spc",
    "applies_from",
    "ANSWERS_FILE",
    "AREAS",
    "BcfParams",
    "Check",
    "FUNDING_VS_S75",
    "HART_PARTNERS",
    "IBCF_TABLE9",
    "METRICS",
    "PRINTED_FILE",
    "QUARTERS",
    "S75_LINES",
    "S75_PARTNERS",
    "SCHEMES_FILE",
    "SCHEME_SCHEMA",
    "SOURCE_OF",
    "TABLE9_SCHEMES",
    "_dec",
    "_label",
    "_minimum_mandated_checks",
    "_s75",
    "_unit",
    "_year_money_checks",
    "area_of_spend",
    "area_remainders",
    "check_sum",
    "check_twice",
    "check_value",
    "checks_frame",
    "dtoc_actual_checks",
    "dtoc_actuals",
    "dtoc_gap_check",
    "dtoc_per_day",
    "dtoc_plan_vs_actual",
    "duration_conflicts",
    "explain_remainders",
    "funding_by_source",
    "hart_basis",
    "hart_checks",
    "hart_table",
    "ibcf_checks",
    "ibcf_reconcile",
    "ibcf_uses",
    "leics_checks",
    "load_printed",
    "load_schemes",
    "metric_checks",
    "metric_frame",
    "money_checks_rotherham",
    "narrative_metric_checks",
    "nea_checks",
    "reconcile",
    "risk_checks",
    "row",
    "spend_by_area",
    "table8_checks",
    "table9_checks",
    "table9_vs_template",
    "value",
    "with_intervals",
    "PAPER",
]
