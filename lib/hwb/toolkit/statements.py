"""Statements held to the right test for the quantity: no difference claimed from an interval
that does not fit it.

A Poisson (Byar) or binomial interval assumes independent events.  Delayed days are not: one
patient delayed for a month is thirty delayed days, so an interval on delayed days (or on
patients delayed per day, their average) is far too narrow, and "the whole interval lies
above the plan" claims a difference the data cannot show.  Plans and targets are not
observations and carry no interval at all.  :func:`unfit_interval_claims` finds sentences
that make such a claim; the tests run it over every statement the appendices print and every
string the papers and notebooks write (issue 17, "the right test for the quantity").
"""

from __future__ import annotations

import html
import re

__all__ = ["NOT_INDEPENDENT", "prose_of_html", "sentences", "unfit_interval_claims"]

NOT_INDEPENDENT = re.compile(
    r"delayed[- ]days?|days? (?:of )?delay(?:ed)?|bed[- ]days?|"
    r"(?:patients?|people) delayed (?:per|a|each) day|delayed patients? (?:per|a|each) day",
    re.I)
"""Quantities that are not counts of independent events (each day of one stay is counted)."""
_INTERVAL = re.compile(
    r"\binterval|\b(?:confidence|control|Poisson|Byar'?s?|binomial|exact|99\.8%|95%) "
    r"(?:limits?|intervals?)|\blimits?\b|\bByar|\bPoisson|significan", re.I)
_CLAIM = re.compile(
    r"\b(?:above|below|higher|lower|outside|exceeds?|exceeded|clears?|cleared|more|less|better"
    r"|worse|differs?|different)(?: than| from)? (?:the )?(?:\S+ ){0,2}?(?:plans?|targets?|"
    r"ambitions?|England|national|average|mean|limits?|intervals?|comparators?|benchmarks?|"
    r"regions?|rates?)\b|significantly|statistically significant|whole interval|"
    r"(?:wholly|entirely) (?:above|below)", re.I)
_FITS = re.compile(r"overdispers|\bphi\b|\btau|random[- ]effects|process limits|\bSPC\b|"
                   r"XmR|special cause|common cause", re.I)
"""Intervals that fit counts that are not independent: overdispersion-adjusted funnel limits,
SPC process limits."""
_PLAN_INTERVAL = re.compile(
    r"\b(?:plans?|targets?|ambitions?)(?:'s)? (?:\S+ ){0,3}(?:interval|limits)|"
    r"(?:interval|limits) (?:\w+ ){0,2}(?:around|on|of) the (?:plan|target|ambition)", re.I)
_NOT_A_CLAIM = re.compile(
    r"\b(?:no|not|never|nor|without|cannot|can't|instead of|would|could|rather than|"
    r"does not|do not|is not|are not)\b", re.I)


def sentences(text: str) -> list[str]:
    """``text`` split into sentences (at a full stop, question or exclamation mark and space).

    Examples
    --------
    >>> sentences("Rates rose. In 5 quarters the interval lies above the plan! Fine")
    ['Rates rose.', 'In 5 quarters the interval lies above the plan!', 'Fine']
    """
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9])", " ".join(str(text).split()))
    return [p for p in parts if p]


def prose_of_html(page: str) -> list[tuple[str, str]]:
    """The statements of an appendix page: ``(section text, passage)`` for each paragraph, list
    item, caption and chart description (not table cells, which carry labels, not claims, nor
    the derivations of figures), tags removed.

    Examples
    --------
    >>> prose_of_html('<section><h2>Delayed days</h2><p>Rose <b>3%</b>.</p><li>Fell.</li>'
    ...               '<table><tr><td>9</td></tr></table><div id="w" popover class="hwb-pop">'
    ...               '<p>How computed: above the 95% limit</p></div></section>')
    [('Rose 3%. Fell.', 'Rose 3%.'), ('Rose 3%. Fell.', 'Fell.')]
    """
    body = re.sub(r"<(script|style|table|details)\b.*?</\1>", " ", page, flags=re.S | re.I)
    # a figure's derivation popover: its label and method, not a statement
    body = re.sub(r"<div\b[^>]*\bpopover\b[^>]*>.*?</div>", " ", body, flags=re.S | re.I)
    out = []
    for section in re.split(r"<section\b", body, flags=re.I):
        blocks = [" ".join(html.unescape(re.sub(r"<[^>]+>", "", b)).split())
                  for _, b in re.findall(r"<(p|li|figcaption|dd)\b[^>]*>(.*?)</\1>", section,
                                         flags=re.S | re.I)]
        blocks = [b for b in blocks if b]
        out += [(" ".join(blocks), b) for b in blocks]
    return out


def unfit_interval_claims(text: str, context: str = "") -> list[str]:
    """Sentences of ``text`` that claim a difference from an interval that does not fit.

    ``text`` is one passage (a paragraph, a list item, a chart description); ``context`` is
    what it stands in (its appendix section), which names the quantity when the passage does
    not.  Where the passage or its context names a quantity that is not a count of
    independent events (:data:`NOT_INDEPENDENT`: delayed days, bed days, patients delayed per
    day), a sentence is flagged that claims a difference from an interval (above, below,
    outside, higher than the plan, the limits, England, ...; "significantly"; "the whole
    interval") unless the passage uses an interval that fits such counts (funnel limits
    adjusted for overdispersion, SPC process limits).  In any passage, a sentence that gives
    a plan or target an interval is flagged.  Negated and hypothetical sentences ("no
    interval is put on", "plain Poisson limits would put 127 outside") say what is not done
    and are not flagged.

    Notes
    -----
    Spiegelhalter D (2005), "Funnel plots for comparing institutional performance", Stat Med
    24:1185-1202 (overdispersion of counts that are not independent); NHS England, *Making
    Data Count* (2019): a plan or target is a line to be judged against, not an estimate.

    Examples
    --------
    >>> unfit_interval_claims("Delayed days rose. In 5 quarters the whole interval lies above "
    ...                       "the plan.")
    ['In 5 quarters the whole interval lies above the plan.']
    >>> unfit_interval_claims("Delayed days per 100,000 were 674 (Byar 95% CI 624 to 726), "
    ...                       "higher than England.")[0][:21]
    'Delayed days per 100,'
    >>> unfit_interval_claims("No interval is put on a single authority's delayed days.")
    []
    >>> unfit_interval_claims("Falls were significantly lower than England (95% CI).")
    []
    >>> unfit_interval_claims("3 authorities lie above the 99.8% limits.", context="Delayed "
    ...                       "days by authority, funnel limits adjusted for overdispersion.")
    ['3 authorities lie above the 99.8% limits.']
    >>> unfit_interval_claims("The plan's 95% interval is 2,300 to 2,500.")
    ["The plan's 95% interval is 2,300 to 2,500."]
    """
    out = []
    about_days = bool(NOT_INDEPENDENT.search(f"{text} {context}")) and not _FITS.search(text)
    for s in sentences(text):
        if _NOT_A_CLAIM.search(s):
            continue
        on_days = about_days and _INTERVAL.search(s) and _CLAIM.search(s)
        on_plan = _PLAN_INTERVAL.search(s)
        if on_days or on_plan:
            out.append(s)
    return out
