"""Public-health statistics, computed as OHID Fingertips computes them.

Every interval here follows the published PHE/OHID method descriptions (the
Fingertips *Public Health Technical Guidance*, its *Technical guide: confidence
intervals* and the APHO *Technical Briefing 3*) and their reference
implementation, the PHEindicatormethods R package:

===========================  =====================================================
statistic                    method
===========================  =====================================================
proportion                   Wilson score (:func:`wilson_ci`); Clopper-Pearson
                             exact on request (:func:`clopper_pearson_ci`)
count, crude rate, ISR       exact Poisson (chi-square) below 10 events, Byar's
                             approximation from 10 (:func:`rate_ci`,
                             :func:`isr_ratio`, :func:`isr_rate`)
directly standardised rate   Dobson's method with Byar's limits for the total
                             count; not calculated below 10 events (:func:`dsr`)
mean                         Student's t (:func:`mean_ci`)
ratio of two rates           log (Wald) or exact conditional (:func:`rate_ratio`)
funnel plot control limits   Wilson-inverted (proportions) and exact Poisson
                             (ratios and rates) at 95% and 99.8%
slope index of inequality    weighted regression on the cumulative population
                             midpoint; CI by simulation (:func:`sii`)
===========================  =====================================================

Quantiles are exact: ``z = scipy.stats.norm.ppf(confidence + (1 - confidence) / 2)``
and ``scipy.stats.chi2.ppf``, never 1.96 or 3.09.

Conventions
-----------
* Scalar-or-array: the interval functions take scalars or array-likes, broadcast
  them with numpy and return floats for scalar input, arrays otherwise, packed
  in a :class:`CI` ``(lower, upper)`` or :class:`Estimate` ``(value, lower,
  upper)`` named tuple.
* ``conf`` is a confidence level in [0.5, 1), e.g. 0.95 or 0.998; a percentage
  in [50, 100) such as 95 or 99.8 is also accepted and divided by 100, as in
  PHEindicatormethods.
* Missing inputs (NaN) give NaN outputs; they are never an error.
* Bad input (a negative count, a numerator above its denominator, a zero or
  negative population, a confidence level outside [0.5, 1)) raises
  :class:`StatsInputError`, which is both a :class:`hwb.errors.DataError` (so the
  command line prints it as one line and exits 2) and a :class:`ValueError`.
  Its message names the function, the argument, the position (or the
  DataFrame row and the source file for the frame helpers) and the rule.
* The ``*_frame`` helpers take a tidy DataFrame and return one with the
  columns :data:`INTERVAL_COLUMNS`: ``value, lower95, upper95, lower99_8,
  upper99_8, statistic, confidence, method``.
"""

from __future__ import annotations

from hwb.stats._common import CI, INTERVAL_COLUMNS, Estimate, StatsInputError, z_value
from hwb.stats.benchmark import compare_frame, compare_to_benchmark
from hwb.stats.frames import dsr_frame, isr_frame, mean_frame, proportion_frame, rate_frame
from hwb.stats.funnels import (
    funnel_proportion_limits,
    funnel_rate_limits,
    funnel_ratio_limits,
    funnel_significance,
)
from hwb.stats.inequality import SIIResult, sii
from hwb.stats.means import mean_ci, rate_ratio
from hwb.stats.overdispersion import (
    Overdispersion,
    overdispersed_funnel,
    overdispersed_limits,
    overdispersion,
)
from hwb.stats.poisson import byar_ci, exact_poisson_ci, poisson_ci, rate_ci
from hwb.stats.proportions import clopper_pearson_ci, wilson_ci
from hwb.stats.spc import SPCSummary, xmr, xmr_frame
from hwb.stats.standardised import (
    dsr,
    dsr_nonindependent,
    esp2013,
    esp2013_weights,
    expected_events,
    isr_rate,
    isr_ratio,
)

__all__ = [
    "CI",
    "Estimate",
    "SIIResult",
    "StatsInputError",
    "INTERVAL_COLUMNS",
    "z_value",
    "wilson_ci",
    "clopper_pearson_ci",
    "byar_ci",
    "exact_poisson_ci",
    "poisson_ci",
    "rate_ci",
    "dsr",
    "dsr_nonindependent",
    "expected_events",
    "isr_ratio",
    "isr_rate",
    "mean_ci",
    "rate_ratio",
    "funnel_proportion_limits",
    "funnel_ratio_limits",
    "funnel_rate_limits",
    "funnel_significance",
    "sii",
    "compare_to_benchmark",
    "compare_frame",
    "esp2013",
    "esp2013_weights",
    "proportion_frame",
    "rate_frame",
    "dsr_frame",
    "isr_frame",
    "mean_frame",
    "SPCSummary",
    "xmr",
    "xmr_frame",
    "Overdispersion",
    "overdispersion",
    "overdispersed_limits",
    "overdispersed_funnel",
]
