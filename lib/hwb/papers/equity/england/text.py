"""The equity national summary's tables, chart and words: the league table (each board linked
to its appendix), the expected shares by age band, the distribution chart, coverage, methods,
caveats and the checks of figures and of the appendix's own statements.

Every number shown is a recorded figure (a table cell holds the :class:`Figure`, prose is
:meth:`~hwb.toolkit.figures.Recorder.say`, the chart's description
:meth:`~hwb.toolkit.figures.Recorder.describe`).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pandas as pd

from hwb.papers.equity.england.compute import (
    CUT_WORDS,
    CUTS,
    Results,
    files,
    record_board_bands,
)
from hwb.papers.equity.england.params import ENGLAND, NationalEquityParams
from hwb.sources import smallarea
from hwb.toolkit import charts, claims
from hwb.toolkit.figures import Figure, Recorder

SUPPRESSED = "[c]"


class Html:
    """Rich output shown as HTML (in JupyterLab and the exported appendix)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_html_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return ""


def with_links(table_html: str, links: dict[str, str]) -> str:
    """A table's row headers named in ``links`` made into links (the others left as text).

    A header is matched by its text: the break opportunities the table puts in long names
    (``Stockton-<wbr>on-<wbr>Tees``) and entities do not count.

    Examples
    --------
    >>> with_links('<th scope="row">Hull</th><th scope="row">Leeds</th>', {"Hull": "h.html"})
    '<th scope="row"><a href="h.html">Hull</a></th><th scope="row">Leeds</th>'
    >>> with_links('<th scope="row">A-<wbr>on-<wbr>B &amp; C</th>', {"A-on-B & C": "a.html"})
    '<th scope="row"><a href="a.html">A-<wbr>on-<wbr>B &amp; C</a></th>'
    """
    def one(m: re.Match[str]) -> str:
        target = links.get(html.unescape(re.sub(r"<[^>]*>", "", m.group(1))))
        return m.group(0) if target is None else \
            f'<th scope="row"><a href="{html.escape(target)}">{m.group(1)}</a></th>'

    return re.sub(r'<th scope="row">(.*?)</th>', one, table_html)


def source(params: NationalEquityParams, other: bool = False) -> str:
    """The source line of the tables and the chart: the IMD, the populations, the lookup."""
    eds = [params.imd_edition] + ([params.other] if other and params.other else [])
    used = sorted({f for e in eds for f in files(e, params.population_year)})
    return (f"{'; '.join(smallarea.SOURCES[f'imd{e}'] for e in eds)}; "
            f"{smallarea.SOURCES[f'sape{params.population_year}']}; "
            f"{smallarea.SOURCES['utla']} ({'; '.join(f'data/{f}' for f in used)})")


def _cell(figs: dict[str, Any], key: str) -> Figure | str:
    f = figs.get(key)
    return f if f is not None else SUPPRESSED


# --- tables ---------------------------------------------------------------------------------------


def league_frame(res: Results, params: NationalEquityParams) -> pd.DataFrame:
    """The league table as shown: one row per board, the recorded figures in its cells."""
    rows = []
    for _, r in res.table[res.table["area_code"] != ENGLAND].iterrows():
        f = res.figures[str(r["area_code"])]
        row = {"Board": str(r["area_name"]), "Rank": f["rank"], "Residents": f["residents"],
               "Small areas": f["lsoas"]}
        for cut in CUTS:
            row[f"Small areas in England's {CUT_WORDS[cut]}"] = f[f"lsoas_{cut}"]
        for cut in CUTS:
            row[f"% in England's {CUT_WORDS[cut]}"] = _cell(f, f"share_{cut}_all ages")
        if params.other is not None:
            for cut in CUTS:
                row[f"% in the {CUT_WORDS[cut]} by IMD {params.other}"] = f[f"other_{cut}"]
        rows.append(row)
    return pd.DataFrame(rows)


def league_table(rec: Recorder, res: Results, params: NationalEquityParams) -> Html:
    """The league table, each board's name linking to its appendix where it exists."""
    ed, yr = params.imd_edition, params.population_year
    notes = [f"Residents: ONS small-area estimates, mid-{yr}, summed over the board's small "
             f"areas (LSOAs, 2011 boundaries; the 2019 best-fit lookup). England's most deprived "
             f"tenth and fifth: the small areas in IMD {ed} deciles 1 and 1 to 2 of all England's "
             "small areas. Rank: by the share in the most deprived tenth, largest first; equal "
             "shares share a rank."]
    if params.other is not None:
        notes.append(f"By IMD {params.other}: the same residents (mid-{yr}) in the small areas "
                     f"of that edition's deciles, so only the ranking of areas differs.")
    body = charts.table(league_frame(res, params),
                        f"Residents living in England's most deprived small areas, every board "
                        f"(IMD {ed}, mid-{yr})", source(params, other=True), notes=notes).text
    return Html(with_links(body, res.links))


def band_frame(res: Results, params: NationalEquityParams, cut: str) -> pd.DataFrame:
    """Expected shares by age band for one cut: England first, then every board by rank."""
    rows = []
    is_eng = res.table["area_code"] == ENGLAND
    for _, r in pd.concat([res.table[is_eng], res.table[~is_eng]]).iterrows():
        f = res.figures[str(r["area_code"])]
        rows.append({"Area": str(r["area_name"]),
                     **{f"Aged {b}" if b != "all ages" else "All ages":
                        _cell(f, f"share_{cut}_{b}") for b in params.age_bands}})
    return pd.DataFrame(rows)


def band_table(rec: Recorder, res: Results, params: NationalEquityParams, cut: str) -> Html:
    """The age-matched expected shares of one cut, every board's recorded first
    (:func:`~hwb.papers.equity.england.compute.record_board_bands`)."""
    record_board_bands(rec, res, params, cut)
    body = charts.table(
        band_frame(res, params, cut),
        f"Expected share of a service's users from England's {CUT_WORDS[cut]} of small areas "
        f"if use followed population, by age band, percent (IMD {params.imd_edition}, "
        f"mid-{params.population_year})", source(params),
        notes=["Each cell: residents of the band living in those small areas over all the "
               "board's residents of the band (the equity paper's expected share). "
               f"{SUPPRESSED}: fewer than {rec.threshold} residents in those areas."]).text
    return Html(with_links(body, res.links))


# --- the chart ----------------------------------------------------------------------------------


BIN = 5.0
"""Width of the chart's bins, percentage points."""


def distribution_chart(rec: Recorder, res: Results, params: NationalEquityParams
                       ) -> tuple[Any, Any, pd.DataFrame]:
    """A histogram of the boards' shares of residents in England's most deprived tenth, its
    recorded description and its data."""
    import matplotlib.pyplot as plt

    from hwb.toolkit.charts import PALETTE

    b = res.table[res.table["area_code"] != ENGLAND]
    share = b["share_decile_all ages"]
    edges = [BIN * k for k in range(int(share.max() // BIN) + 2)]
    counts = pd.cut(share, edges, right=False).value_counts(sort=False)
    labels = [f"{lo:g} to under {hi:g}" for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
    fig, ax = plt.subplots(figsize=(9, 4.8))
    ax.bar(range(len(counts)), counts.to_numpy(), color=PALETTE[0], width=0.85)
    ax.set_xticks([k - 0.5 for k in range(len(edges))], [f"{e:g}" for e in edges])
    ax.set_xlabel(f"% of residents living in England's most deprived tenth of small areas "
                  f"(bins of {BIN:g} points)")
    ax.set_ylabel("Boards")
    eng = res.figures[ENGLAND]["share_decile_all ages"]
    ax.axvline(float(eng.value) / BIN - 0.5, color="black", linewidth=1.0, marker="",
               linestyle="--", label=f"England {eng}")
    ax.legend(loc="upper right", frameon=False)
    s = res.summary
    first = rec.record("chart.first_bin", "Boards in the chart's first bin", int(counts.iloc[0]),
                       "", 0)
    alt = rec.describe(
        "A histogram of the {n} boards' shares of residents living in England's most deprived "
        "tenth of small areas, in bins of {bin} percentage points. {first} boards are in the "
        "first bin, {none} of them with no such small area at all; the median board's share is "
        "{median}, England's {eng}; the largest is {hi_name}'s, {hi}.",
        n=s["n"], bin=f"{BIN:g}", first=first, none=s["none"], median=s["median"], eng=eng,
        hi_name=s["highest_name"], hi=res.figures[s["highest_code"]]["share_decile_all ages"])
    data = pd.DataFrame({"Share of residents, %": labels,
                         "Boards": [rec.record(f"chart.bin_{k}", f"Boards with a share from "
                                               f"{labels[k]} %", int(v), "", 0)
                                    for k, v in enumerate(counts.to_numpy())]})
    return fig, alt, data.set_index("Share of residents, %")


# --- words ----------------------------------------------------------------------------------------


def key_messages(rec: Recorder, res: Results, params: NationalEquityParams) -> Any:
    """The key messages: England's share, the spread, the age pattern, the two editions."""
    s, eng = res.summary, res.figures[ENGLAND]
    text = ("- In England, {eng} of residents live in the most deprived tenth of small areas "
            "(IMD {ed}, mid-{yr}) and {eng5} in the most deprived fifth.\n"
            "- Of the {n} boards, {none} have no small area in the most deprived tenth; {above} "
            "have a larger share of residents there than England. The median board's share is "
            "{median}; the largest is {hi_name}'s, {hi}.\n")
    if "young" in s:
        text += ("- Children are over-represented there: in England {eng_young} of residents "
                 "aged {young} live in the most deprived tenth, and in {young_higher} of the "
                 "{with_any} boards with such areas the share of residents aged {young} is "
                 "larger than the all-ages share. A service for children should be held to "
                 "its own age band's expected share, not the all-ages one.\n")
    if "higher_now" in s:
        text += ("- On the same residents, {higher_now} boards have a larger share in the most "
                 "deprived tenth by IMD {ed} than by IMD {other}, and {lower_now} a smaller "
                 "one.\n")
    return rec.say(text, eng=eng["share_decile_all ages"], ed=str(params.imd_edition),
                   yr=str(params.population_year), eng5=eng["share_quintile_all ages"],
                   n=s["n"], none=s["none"], above=s["above"], median=s["median"],
                   hi_name=s["highest_name"],
                   hi=res.figures[s["highest_code"]]["share_decile_all ages"],
                   eng_young=eng.get(f"share_decile_{s.get('young')}", ""),
                   young=s.get("young", ""), young_higher=s.get("young_higher", ""),
                   with_any=s.get("with_any", ""), higher_now=s.get("higher_now", ""),
                   lower_now=s.get("lower_now", ""), other=str(params.other or ""))


def coverage_words(rec: Recorder) -> Any:
    """The sentence under the coverage table."""
    return rec.say("{covered} upper-tier authorities have shares and {not_covered} have none; "
                   "{noted} covered authority has a note (the table). {linked} boards are linked "
                   "to their own equity appendix.",
                   covered=rec["coverage.covered"], not_covered=rec["coverage.not_covered"],
                   noted=rec["coverage.noted"], linked=rec["coverage.linked"])


def methods_markdown(params: NationalEquityParams) -> str:
    """How the summary's figures are computed (no numbers: those are recorded figures)."""
    ed, yr, bands = params.imd_edition, params.population_year, ", ".join(params.age_bands)
    other = (f" Beside it, the same residents are counted in the small areas of IMD "
             f"{params.other}'s deciles, so that a change between the columns is the ranking "
             "of areas, not the population." if params.other else "")
    return (
        f"**Small areas.** Every English LSOA (2011 boundaries) is given to its board by the ONS "
        f"best-fit lookup of LSOAs to the upper-tier authorities of 2019, and its IMD {ed} "
        "decile of all England's LSOAs (MHCLG's deciles; decile 1 is the most deprived tenth "
        "of small areas, deciles 1 and 2 the most deprived fifth)." + other + "\n\n"
        f"**Residents.** ONS small-area population estimates for mid-{yr}, persons by single "
        f"year of age, summed into the age bands of the boards' equity audits ({bands}; the "
        "oldest single year is 90 and over).\n\n"
        "**Expected share.** For each board and band, the residents of that band living in the "
        "board's small areas in the cut, over all the board's residents of the band: the share "
        "of a service's users who would come from those areas if use followed population. It "
        "is the equity paper's own expected share (`hwb.sources.smallarea.expected_shares`) "
        "with the areas chosen by England's deciles rather than the board's own most deprived "
        "tenth, computed for every board at once; the tests check one against the other.\n\n"
        "**Each board's appendix** picks the most deprived tenth of its own residents instead "
        "(by the same IMD rank), which is local practice for an audit; this summary's national "
        "cut makes boards comparable with each other.")


def caveats_markdown(params: NationalEquityParams, threshold: int) -> str:
    """Assumptions and caveats (no numbers other than the parameters')."""
    items = [
        "These are population shares, not samples: every resident counted by the estimate is "
        "in them, so no interval or significance test is put on them. The estimates have their "
        "own error, which ONS does not publish as intervals for small areas.",
        "The IMD ranks small areas, not people: not every resident of a deprived area is "
        "deprived, and many deprived people live elsewhere. A share here says where a board's "
        "residents live, not how many are deprived.",
        "LSOAs are assigned to boards by the best-fit lookup: an LSOA that straddles a "
        "boundary is given wholly to one authority. "
        f"IMD {params.imd_edition}'s deciles rank England's LSOAs as they were for that edition; "
        "the estimates are on the same 2011 LSOAs.",
        f"Disclosure: a share whose residents in the areas number from 1 to {threshold - 1} is "
        f"shown as {SUPPRESSED}; whole-board residents are published estimates (the claims "
        "check tests that no count shown is smaller).",
    ]
    return "\n".join(f"- {x}" for x in items)


def figures_check(rec: Recorder) -> Any:
    """The figures check: no board paper printed these figures, so the statement of how many
    are recorded (displayed) and the table of those not of one board (returned; the rest are
    in figures.csv)."""
    from IPython.display import display

    from hwb.toolkit import figures

    if len(rec.check_table()):
        return figures.show_check(rec)
    n = rec.record("national.figures", "Figures recorded in this appendix (before this one)",
                   len(rec.figures), "", 0)
    said = rec.say("This summary quotes no board paper, so none of its {n} recorded figures is "
                   "compared with print; each board's own appendix checks its printed figures. "
                   "Every figure, with its method and input rows, is in the run's figures.csv "
                   "beside this page; those not of one board are listed here.", n=n)
    display(said)
    return figures.show_recorded(rec)


# --- the claims check: the appendix's own statements against what it shows --------------------


def _claim(cid: str, section: str, statement: str, ctype: str, expected: str) -> dict[str, str]:
    return {"claim_id": cid, "board": "", "claim_type": ctype, "statement": statement,
            "subject": cid, "expected": expected, "document": f"This appendix, {section}",
            "item": "", "page": "", "line": "", "note": ""}


def own_claims(rec: Recorder, res: Results, params: NationalEquityParams, shown: pd.DataFrame,
               missing: pd.DataFrame, league_html: str) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The appendix's own statements as claims, with the tables shown as evidence."""
    s = res.summary
    decile = f"% in England's {CUT_WORDS['decile']}"
    value = shown.set_index("Board")[decile].map(lambda f: getattr(f, "value", None))
    lsoas = shown.set_index("Board")[f"Small areas in England's {CUT_WORDS['decile']}"].map(
        lambda f: f.value)
    eng = float(res.figures[ENGLAND]["share_decile_all ages"].value)
    rows = [_claim("boards.none_in_decile", "Key messages", f"{s['none']} have no small area in "
                   "the most deprived tenth", "count", f"count={s['none'].value}"),
            _claim("boards.above_england", "Key messages", f"{s['above']} have a larger share "
                   "of residents there than England", "count", f"count={s['above'].value}"),
            _claim("boards.highest", "Key messages", f"the largest is {s['highest_name']}'s",
                   "consistency", "with=the league table's first row;as=text"),
            _claim("coverage.linked", "Coverage", f"{rec['coverage.linked']} boards are linked",
                   "count", f"count={rec['coverage.linked'].value}"),
            _claim("coverage.noted", "Coverage", f"{rec['coverage.noted']} covered authority "
                   "has a note", "count", f"count={rec['coverage.noted'].value}"),
            _claim("disclosure.residents", "Assumptions and caveats", "a share on fewer "
                   f"residents than {rec.threshold} is not shown; no resident count shown is "
                   "that small", "disclosure", f"threshold={rec.threshold}")]
    young = s.get("young")
    if young is not None:
        e_young = res.figures[ENGLAND][f"share_decile_{young}"]
        rows.append(_claim("england.young_higher", "Key messages", f"in England {e_young} of "
                           f"residents aged {young} live in the most deprived tenth (more than "
                           "of all residents)", "comparison", "relation=higher;benchmark=the "
                           "all-ages share"))
        rows.append(_claim("boards.young_higher", "Key messages", f"in {s['young_higher']} of "
                           f"the {s['with_any']} boards with such areas the share of residents "
                           f"aged {young} is larger", "count",
                           f"count={s['young_higher'].value}"))
    ev: dict[str, Any] = {
        "boards.none_in_decile": list(lsoas.index[lsoas == 0]),
        "boards.above_england": list(value.index[value.astype(float) > eng]),
        "boards.highest": {"this": s["highest_name"], "other": str(shown["Board"].iloc[0])},
        "coverage.linked": league_html.count('<th scope="row"><a href='),
        "coverage.noted": list(missing.loc[missing["Shares"] == "shown", "Area"]),
        "disclosure.residents": [str(f) for f in shown["Residents"]],
    }
    if young is not None:
        ev["england.young_higher"] = {"value": float(e_young.value), "benchmark": eng}
        bands = band_frame(res, params, "decile").set_index("Area").drop(index="England")
        v = bands.map(lambda f: getattr(f, "value", float("nan"))).astype(float)
        some = v.index[v["All ages"].to_numpy() > 0]
        ev["boards.young_higher"] = list(some[(v.loc[some, f"Aged {young}"]
                                              > v.loc[some, "All ages"]).to_numpy()])
    return pd.DataFrame(rows), ev


def claims_check(rec: Recorder, res: Results, params: NationalEquityParams,
                 missing: pd.DataFrame, league_html: str, claims_file: Path | None = None
                 ) -> Any:
    """The claims check: printed statements, if any (none: no board paper is quoted), and the
    appendix's own statements against the tables it shows."""
    printed = (claims.load_claims(claims_file, board=params.board)
               if params.board and claims_file else pd.DataFrame(columns=list(
                   claims.CLAIM_COLUMNS)))
    cl, ev = own_claims(rec, res, params, league_frame(res, params), missing, league_html)
    results = claims.check_claims(pd.concat([printed, cl], ignore_index=True), ev)
    n = claims.summary(results)
    caption = ("Claims check: no printed statement applies (this appendix quotes no board "
               "paper); this appendix's own statements against the tables it shows "
               f"({n['holds']} {'holds' if n['holds'] == 1 else 'hold'}, {n['does not hold']} "
               f"{'does' if n['does not hold'] == 1 else 'do'} not hold, "
               f"{n['cannot be tested']} cannot be tested)")
    return claims.show_claims(results, "this appendix (statements as written above)",
                              publish=True, caption=caption)
