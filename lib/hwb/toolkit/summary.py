"""What every national summary appendix shares: links to the boards' appendices, a figures
check with nothing printed to compare, and a claims check of its own statements.

A national summary (the ``national`` paper for DTOC, ``national-<paper>`` for the others)
quotes no board paper.  It lists every board, each name linking to that board's own
appendix when it was built (:func:`appendix_link`, :func:`link_rows`); its figures check
says, computed, that nothing printed applies (:func:`figures_check`); and its claims check
sets each count or verdict its prose states against the tables and charts it shows
(:func:`own_claim`, :func:`claims_check`), so the two cannot drift apart unseen.  Its funnel
plot's overdispersion and the areas against each limit are recorded one way in every summary
(:func:`record_funnel_figures`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from hwb.sources.params import slugify
from hwb.stats.overdispersion import CITATION, Overdispersion
from hwb.toolkit.charts import Html
from hwb.toolkit.figures import Figure, Recorder

__all__ = ["BEYOND_99_8", "FUNNEL_CLASSES", "FUNNEL_VARIANT", "OTHER_VARIANT", "SELF",
           "SIGNIFICANCE_WORDS", "SR_METHOD", "VARIANT_WORDS", "Html", "appendix_link",
           "area_fid", "claims_check", "figures_check", "link_rows", "linked_count",
           "outside_99_8", "own_claim", "record_funnel_figures", "sig_key"]

SELF = "This appendix"
"""The document a summary's own statements are cited to."""

SIGNIFICANCE_WORDS = {
    "High (0.001)": "above the 99.8% limit",
    "High (0.025)": "above the 95% limit",
    "Not significant": "within the 95% limits",
    "Low (0.025)": "below the 95% limit",
    "Low (0.001)": "below the 99.8% limit",
    "Not compared": "not compared",
}
"""How :func:`hwb.stats.funnel_significance`'s labels read in a summary's funnel words."""
FUNNEL_CLASSES = {k: v for k, v in SIGNIFICANCE_WORDS.items() if k != "Not compared"}
"""The five places against a funnel's limits (:data:`SIGNIFICANCE_WORDS` of the areas
compared)."""
BEYOND_99_8 = ("High (0.001)", "Low (0.001)")
"""The labels of the areas outside the 99.8% limits."""

FUNNEL_VARIANT = "tau2"
"""The summaries' overdispersion adjustment of funnel limits: additive random effects
(Spiegelhalter 2005, as the CQC and SHMI funnels); ``"phi"`` would widen them
multiplicatively."""
OTHER_VARIANT = "phi" if FUNNEL_VARIANT == "tau2" else "tau2"
"""The adjustment a summary sets beside its own: how many areas it would put outside."""
VARIANT_WORDS = {"tau2": "additive random effects tau2", "phi": "multiplicative phi"}
"""Each adjustment in a figure's method."""
SR_METHOD = "CQC"
"""The square-root scale of the z-scores (FunnelPlotR ``sr_method = "CQC"``)."""


def sig_key(label: str) -> str:
    """The figure-id part of a funnel significance label.

    Examples
    --------
    >>> sig_key("High (0.001)"), sig_key("Not significant")
    ('high_0_001', 'not_significant')
    """
    return label.lower().replace(" ", "_").replace("(", "").replace(")", "").replace(".", "_")


def area_fid(area_code: str, what: str) -> str:
    """The figure id of one area's figure in a summary: ``e10000018.rate_per_day``
    (:func:`hwb.toolkit.figures.listed_figures` knows these as one area's).

    Examples
    --------
    >>> area_fid("E10000018", "days")
    'e10000018.days'
    """
    return f"{area_code.lower()}.{what}"


def appendix_link(base: str, area_name: str, period: str) -> str:
    """The relative link from a summary to a board's appendix for a period.

    ``base`` is the summary parameter ``appendix_links``: the folder holding the boards'
    ``<area-slug>/<period-slug>/appendix.html``, relative to the summary's own folder.

    Examples
    --------
    >>> appendix_link("../../dtoc/", "Kingston upon Hull, City of", "2017-11")
    '../../dtoc/kingston-upon-hull-city-of/2017-11/appendix.html'
    >>> appendix_link("../../falls", "York", "2012/13-2015/16")
    '../../falls/york/2012-13-2015-16/appendix.html'
    """
    return f"{base.rstrip('/')}/{slugify(area_name)}/{slugify(period)}/appendix.html"


def link_rows(table_html: str, links: dict[str, str]) -> Html:
    """Turn the row headers named in ``links`` into links (other rows are left as text).

    Parameters
    ----------
    table_html : str
        The HTML of a :func:`hwb.toolkit.charts.table` (row headers ``<th scope="row">``).
    links : dict
        Area name -> relative link.

    Examples
    --------
    >>> link_rows('<th scope="row">Hull &amp; East</th>', {"Hull & East": "h/a.html"}).text
    '<th scope="row"><a href="h/a.html">Hull &amp; East</a></th>'

    A name the table let wrap (``<wbr>`` after a hyphen) is still the name:

    >>> link_rows('<th scope="row">Stockton-<wbr>on-<wbr>Tees</th>', {"Stockton-on-Tees": "s"}
    ...           ).text
    '<th scope="row"><a href="s">Stockton-<wbr>on-<wbr>Tees</a></th>'
    """
    def sub(m: re.Match[str]) -> str:
        name = html.unescape(m.group(1).replace("<wbr>", ""))
        if name not in links:
            return m.group(0)
        return f'<th scope="row"><a href="{html.escape(links[name])}">{m.group(1)}</a></th>'

    return Html(re.sub(r'<th scope="row">(.*?)</th>', sub, table_html))


def linked_count(table_html: str) -> int:
    """How many row headers of a shown table are links (a claim's evidence).

    Examples
    --------
    >>> linked_count('<th scope="row"><a href="a">A</a></th><th scope="row">B</th>')
    1
    """
    return table_html.count('<th scope="row"><a href=')


def figures_check(rec: Recorder, figure_id: str) -> Any:
    """The figures check of an appendix that quotes no board paper: the printed figures'
    table if any were given, else the computed statement that none applies.

    ``figure_id`` records how many figures the appendix holds before this one.
    """
    from IPython.display import display

    from hwb.toolkit import figures

    n = rec.record(figure_id, "Figures recorded in this appendix (before this one)",
                   len(rec.figures), "figures", 0)
    if len(rec.check_table()):
        return figures.show_check(rec)
    display(rec.say("No board paper printed these figures, so none is compared with print. "
                    "Every number in this appendix is a recorded figure ({n} of them), listed "
                    "with its method in the run's figures.csv beside this page; each board's "
                    "own appendix checks that board's printed figures.", n=n))
    return figures.show_recorded(rec)


def own_claim(cid: str, section: str, statement: str, ctype: str, expected: str
              ) -> dict[str, str]:
    """One of the appendix's own statements as a claim row, cited to its section.

    Examples
    --------
    >>> own_claim("x.n", "Coverage", "3 boards", "count", "count=3")["document"]
    'This appendix, Coverage'
    """
    return {"claim_id": cid, "board": "", "claim_type": ctype, "statement": statement,
            "subject": cid, "expected": expected, "document": f"{SELF}, {section}", "item": "",
            "page": "", "line": "", "note": ""}


def claims_check(own: pd.DataFrame, evidence: dict[str, object], board: str = "",
                 claims_file: Path | None = None) -> Any:
    """The claims check: printed statements, if any, and the appendix's own statements.

    Printed statements are those of ``claims_file`` for ``board`` (a summary has no board
    paper: ``board`` is blank and none apply, and the caption says so).  The records are
    published for the manifest (:func:`hwb.toolkit.claims.show_claims`).

    Parameters
    ----------
    own : DataFrame
        The appendix's own statements, rows of :func:`own_claim`.
    evidence : dict
        What each is checked against, by claim id (the tables and charts shown).
    """
    from hwb.toolkit import claims

    printed = (claims.load_claims(claims_file, board=board) if board and claims_file
               else pd.DataFrame(columns=list(claims.CLAIM_COLUMNS)))
    results = claims.check_claims(pd.concat([printed, own], ignore_index=True), evidence)
    s = claims.summary(results)
    none = ("no printed statement applies (this appendix quotes no board paper); "
            if printed.empty else f"{len(printed)} printed statements and ")
    caption = (f"Claims check: {none}this appendix's own statements against the tables and "
               f"charts it shows ({s['holds']} {'holds' if s['holds'] == 1 else 'hold'}, "
               f"{s['does not hold']} {'does' if s['does not hold'] == 1 else 'do'} not hold, "
               f"{s['cannot be tested']} cannot be tested)")
    return claims.show_claims(results, "this appendix (statements as written above)",
                              publish=True, caption=caption)


# --- the funnel's figures --------------------------------------------------------------------


def outside_99_8(significance: pd.Series) -> int:
    """How many of the labels are outside the 99.8% limits.

    Examples
    --------
    >>> outside_99_8(pd.Series(["High (0.001)", "High (0.025)", "Low (0.001)"]))
    2
    """
    return int(significance.isin(BEYOND_99_8).sum())


def record_funnel_figures(rec: Recorder, prefix: str, od: Overdispersion,
                          significance: pd.Series, *, who: str = "Boards", unit: str = "boards",
                          between: str = "board", basis: str = "",
                          words: Mapping[str, str] = FUNNEL_CLASSES, explained: bool = True,
                          chi2: bool = True, outside_95: bool = True) -> dict[str, Figure]:
    """Record a summary's funnel: φ, τ², the test of no overdispersion and the areas against
    each limit.

    The figures are ``<prefix>.funnel.<what>``, in this order: ``phi``, ``tau2``,
    ``compared`` (the areas set against the limits, ``od.n``), ``chi2_p``, one count for each
    label of ``words`` (``high_0_001`` ...), ``outside_99_8`` and ``outside_95``.  Their
    method names the citation, the z-scores and the limits used
    (:data:`FUNNEL_VARIANT`'s adjustment, or plain Poisson ones when ``od`` finds no
    overdispersion).

    Parameters
    ----------
    rec : Recorder
        The run's recorder.
    prefix : str
        The figure ids' first part (``national``, ``nel``).
    od : Overdispersion
        The funnel's estimates (:func:`hwb.stats.overdispersed_funnel`).
    significance : Series
        The funnel significance label of each area counted (England and any area left out
        already dropped by the caller).
    who, unit : str
        The areas as the labels start (``"Local authorities"``) and as the counts' unit.
    between : str
        One area, in τ²'s label (``"Between-authority variance tau2"``).
    basis : str
        What the observed counts are, put first in the method when given
        (``"counts at the standard age mix"``).
    words : mapping
        Each significance label counted and how the count's label says it.
    explained : bool
        Whether φ's and τ²'s labels say how each is estimated.
    chi2, outside_95 : bool
        Whether to record the p-value of the test and the count outside the 95% limits.

    Returns
    -------
    dict
        The figures by name: ``phi``, ``tau2``, ``n``, ``chi2_p``, ``sig_<label>`` (of
        :func:`sig_key`), ``outside_99_8``, ``outside_95``.

    Examples
    --------
    Five areas: one above the 99.8% limit and one below it (2 outside the 99.8% limits),
    one above the 95% limit only (so 1 + 2 = 3 outside the 95% limits) and two within.

    >>> from hwb.toolkit.figures import Recorder
    >>> od = Overdispersion(kind="ratio", scale="sqrt", n=5, phi=4.2, tau2=0.0123,
    ...                     chi2_p=0.0021, overdispersed=True, target=1.0, trim=0.1, method="")
    >>> sig = pd.Series(["High (0.001)", "High (0.025)", "Not significant", "Not significant",
    ...                  "Low (0.001)"])
    >>> f = record_funnel_figures(Recorder(publish=False), "x", od, sig)
    >>> [f[k].value for k in ("n", "sig_high_0_025", "sig_not_significant", "outside_99_8",
    ...                       "outside_95")]
    [5, 1, 2, 2, 3]
    >>> f["tau2"].id, f["tau2"].label, f["tau2"].precision
    ('x.funnel.tau2', 'Between-board variance tau2 (DerSimonian-Laird, square-root scale)', 4)
    >>> f["outside_95"].method.endswith("limits: additive random effects tau2")
    True
    """
    how = VARIANT_WORDS[FUNNEL_VARIANT] if od.overdispersed else \
        "plain Poisson (no overdispersion)"
    method = "; ".join([CITATION, *([basis] if basis else []), "z-scores of sqrt(O/E) (CQC "
                        "scale) winsorised at 10% and 90%", f"limits: {how}"])
    phi_how, tau2_how = ((" (winsorised mean of squared z-scores)",
                          " (DerSimonian-Laird, square-root scale)") if explained else ("", ""))
    fid = f"{prefix}.funnel"
    out = {
        "phi": rec.record(f"{fid}.phi", f"Overdispersion factor phi{phi_how}", od.phi, "", 1,
                          method=method),
        "tau2": rec.record(f"{fid}.tau2", f"Between-{between} variance tau2{tau2_how}",
                           od.tau2, "", 4, method=method),
        "n": rec.record(f"{fid}.compared", f"{who} set against the funnel limits", od.n, unit,
                        0),
    }
    if chi2:
        out["chi2_p"] = rec.record(f"{fid}.chi2_p", "P-value of the chi-square test of no "
                                   "overdispersion", od.chi2_p, "", 3, method=method)
    for label, said in words.items():
        out[f"sig_{sig_key(label)}"] = rec.record(
            f"{fid}.{sig_key(label)}", f"{who} {said}", int((significance == label).sum()), unit,
            0, method=method)
    out["outside_99_8"] = rec.record(f"{fid}.outside_99_8", f"{who} outside the 99.8% limits",
                                     outside_99_8(significance), unit, 0, method=method)
    if outside_95:
        beyond = ~significance.isin(["Not significant", "Not compared"])
        out["outside_95"] = rec.record(f"{fid}.outside_95", f"{who} outside the 95% limits",
                                       int(beyond.sum()), unit, 0, method=method)
    return out
