"""The BCF appendix's money: Rotherham's template, narrative tables, Improved BCF and risk register;
Leicestershire's s75 contributions and the HART reablement split."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from hwb.errors import DataError
from hwb.fmt import parse_number
from hwb.papers.bcf.compute import (  # noqa: F401
    Check,
    check_sum,
    check_twice,
    check_value,
    load_printed,
    row,
    value,
)
from hwb.papers.bcf.params import PRINTED_FILE, SCHEMES_FILE
from hwb.sources import data
from hwb.toolkit import checks

# --- money: Rotherham ------------------------------------------------------------------------

SCHEME_SCHEMA = data.Schema(
    columns=[
        data.Column("scheme_id", "int"), data.Column("scheme_name"), data.Column("scheme_type"),
        data.Column("sub_type"), data.Column("area_of_spend"),
        data.Column("commissioner", allowed=frozenset({"CCG", "Local Authority", "Joint"})),
        data.Column("provider"),
        data.Column("source_of_funding", allowed=frozenset({
            "CCG Minimum Contribution", "Additional CCG Contribution",
            "Local Authority Contribution",
            "Local Authority Social Services", "Improved Better Care Fund",
            "Disabled Facilities Grant"})),
        data.Column("duration"), data.Column("new_existing"),
        data.Column("expenditure_2017_18", "float", nullable=True),
        data.Column("expenditure_2018_19", "float", nullable=True),
        data.Column("page"), data.Column("line"),
    ],
    key=("scheme_id",),
)
AREAS = ("Acute", "Mental Health", "Community Health", "Continuing Care", "Primary Care",
         "Social Care", "Other")


def load_schemes(path: str | Path | None = None) -> pd.DataFrame:
    """Rotherham's expenditure plan (template tab 3): one row per scheme line, tidy by year.

    Returns
    -------
    DataFrame
        The scheme table's columns plus ``area`` (the area of spend without its
        "(specify: ...)" note), in long form: ``year`` and ``expenditure``.

    Examples
    --------
    Tab 3 prints scheme 5, Falls Service, at £443,977 in both years:

    >>> s = load_schemes()
    >>> s[s.scheme_id == 5].expenditure.tolist()
    [443977.0, 443977.0]
    """
    p = data.path(SCHEMES_FILE) if path is None else Path(path)
    df = data.read_csv(p, SCHEME_SCHEMA)
    df["area"] = df["area_of_spend"].map(area_of_spend)
    long = df.melt(id_vars=[c for c in df.columns if not c.startswith("expenditure_")],
                   value_vars=["expenditure_2017_18", "expenditure_2018_19"],
                   var_name="year", value_name="expenditure")
    long["year"] = long["year"].str.replace("expenditure_", "").str.replace("_", "/")
    long["expenditure"] = long["expenditure"].fillna(0.0)
    return long.sort_values(["year", "scheme_id"]).reset_index(drop=True)


def area_of_spend(text: str) -> str:
    """The template's area of spend without the "(specify: ...)" note.

    Examples
    --------
    >>> area_of_spend("Social Care (specify: Private Sector)"), area_of_spend("Acute")
    ('Social Care', 'Acute')

    Returns
    -------
    str
    """
    head = str(text).split("(specify")[0].strip()
    if head not in AREAS:
        raise DataError(SCHEMES_FILE, f"unknown area of spend; expected one of {', '.join(AREAS)}",
                        column="area_of_spend", value=text)
    return head


def spend_by_area(schemes: pd.DataFrame, year: str, where: pd.Series | None = None) -> pd.Series:
    """Scheme expenditure in ``year`` summed by area of spend (all seven areas, zeros kept).

    Returns
    -------
    Series
        Expenditure indexed by the seven areas of spend.

    Examples
    --------
    Tab 3's primary care line is scheme 27, GP Case Management, £2,145,000:

    >>> float(spend_by_area(load_schemes(), "2017/18")["Primary Care"])
    2145000.0
    """
    s = schemes[schemes["year"] == year]
    if where is not None:
        s = s[where.loc[s.index]]
    return s.groupby("area")["expenditure"].sum().reindex(list(AREAS), fill_value=0.0)


SOURCE_OF = {
    "CCG Minimum Contribution": "Total Minimum CCG Contribution",
    "Additional CCG Contribution": "Total Additional CCG Contribution",
    "Local Authority Contribution": "Total Local Authority Contribution exc iBCF",
    "Improved Better Care Fund": "Total iBCF Contribution",
}


def reconcile(printed: pd.DataFrame, schemes: pd.DataFrame, years: Sequence[str]) -> pd.DataFrame:
    """Funding by source against scheme expenditure by source of funding, with the remainder.

    Returns
    -------
    DataFrame
        ``year, source, funding, expenditure, remainder``: ``funding`` from tab 2,
        ``expenditure`` the sum of the scheme lines naming that source; schemes
        naming a source that is not a funding line of tab 2 (``Local Authority
        Social Services``) are listed with no funding.  A last row per year
        compares the pooled budget with all scheme lines.

    Examples
    --------
    The 2018/19 iBCF (£10,103,692) is all on scheme line 40:

    >>> r = reconcile(load_printed("rotherham-2017-09-20"), load_schemes(), ["2018/19"])
    >>> float(r.set_index("source").loc["Improved Better Care Fund", "remainder"])
    0.0
    """
    rows = []
    for y in years:
        s = schemes[schemes["year"] == y]
        by_src = s.groupby("source_of_funding")["expenditure"].sum()
        for src, fund_label in SOURCE_OF.items():
            fund = value(printed, "bcf_income", y, contains=fund_label)
            spent = float(by_src.get(src, 0.0))
            rows.append({"year": y, "source": src, "funding": fund, "expenditure": spent,
                         "remainder": fund - spent})
        for src in sorted(set(by_src.index) - set(SOURCE_OF)):
            rows.append({"year": y, "source": f"{src} (not a funding line of tab 2)",
                         "funding": math.nan, "expenditure": float(by_src[src]),
                         "remainder": math.nan})
        pooled = value(printed, "bcf_income", y, contains="Total BCF pooled budget")
        rows.append({"year": y, "source": "Total BCF pooled budget", "funding": pooled,
                     "expenditure": float(s["expenditure"].sum()),
                     "remainder": pooled - float(s["expenditure"].sum())})
    return pd.DataFrame(rows)


def funding_by_source(printed: pd.DataFrame, years: Sequence[str]) -> pd.DataFrame:
    """Template tab 2: each funding line by year, as printed (pounds).

    Returns
    -------
    DataFrame
        ``source, <year>...`` for the funding lines and totals of tab 2.

    Examples
    --------
    >>> f = funding_by_source(load_printed("rotherham-2017-09-20"), ["2017/18"])
    >>> float(f.set_index("source").loc["Total iBCF Contribution", "2017/18"])
    7317501.0
    """
    inc = printed[printed["measure"] == "bcf_income"]
    out = inc.pivot_table(index="category", columns="period", values="v", aggfunc="first",
                          sort=False)
    return out.reindex(columns=list(years)).reset_index().rename(columns={"category": "source"})


def duration_conflicts(schemes: pd.DataFrame) -> pd.DataFrame:
    """Scheme lines whose stated duration contradicts their expenditure.

    A line marked "2017/18 Only" with expenditure in 2018/19, or "2018/19 Only" with
    expenditure in 2017/18.

    Returns
    -------
    DataFrame
        ``scheme_id, scheme_name, duration, year, expenditure``.

    Examples
    --------
    >>> s = pd.DataFrame({"scheme_id": [40], "scheme_name": ["x"], "duration": ["2017/18 Only"],
    ...                   "year": ["2018/19"], "expenditure": [10103692.0]})
    >>> len(duration_conflicts(s))
    1
    """
    other = {"2017/18 Only": "2018/19", "2018/19 Only": "2017/18"}
    sel = schemes["duration"].map(other).eq(schemes["year"]) & (schemes["expenditure"] > 0)
    return schemes.loc[sel, ["scheme_id", "scheme_name", "duration", "year",
                             "expenditure"]].reset_index(drop=True)


def explain_remainders(recon: pd.DataFrame, printed: pd.DataFrame,
                       schemes: pd.DataFrame) -> pd.DataFrame:
    """Name, for each remainder of :func:`reconcile`, the other figure it equals (to the pound).

    Candidates, per year: the opposite of another source's remainder; the spending on scheme
    lines naming a source that is not a funding line of tab 2; the summary tab's spending that no
    printed scheme line carries (summary total less the scheme lines).

    Returns
    -------
    DataFrame
        ``recon`` plus ``explained_by`` ("" when the remainder is zero, "unexplained" when no
        candidate equals it).

    Examples
    --------
    >>> r = pd.DataFrame({"year": ["y", "y"], "source": ["A", "B"], "funding": [10.0, 5.0],
    ...                   "expenditure": [12.0, 3.0], "remainder": [-2.0, 2.0]})
    >>> p = pd.DataFrame({"measure": ["bcf_expenditure_by_area_of_spend"], "period": ["y"],
    ...                   "category": ["Total"], "v": [15.0], "figure_id": ["t"]})
    >>> s = pd.DataFrame({"year": ["y"], "expenditure": [15.0]})
    >>> explain_remainders(r, p, s)["explained_by"].tolist()
    ['the opposite of the B remainder', 'the opposite of the A remainder']
    """
    out = recon.copy()
    why = []
    for _, r in out.iterrows():
        rem = r["remainder"]
        if pd.isna(rem) or abs(rem) < 0.5:
            why.append("")
            continue
        same = out[(out["year"] == r["year"]) & (out["source"] != r["source"])]
        cands: dict[str, float] = {}
        for _, o in same.iterrows():
            if pd.notna(o["remainder"]) and o["source"] != "Total BCF pooled budget":
                cands[f"the opposite of the {o['source']} remainder"] = -o["remainder"]
            if pd.isna(o["funding"]):
                cands[f"the scheme lines naming {o['source']}"] = o["expenditure"]
        total = value(printed, "bcf_expenditure_by_area_of_spend", r["year"], contains="Total")
        cands["the summary tab's spending on no printed scheme line"] = total - float(
            schemes[schemes["year"] == r["year"]]["expenditure"].sum())
        hit = [k for k, v in cands.items() if abs(v - rem) < 0.5]
        why.append("; ".join(hit) if hit else "unexplained")
    out["explained_by"] = why
    return out


def area_remainders(printed: pd.DataFrame, schemes: pd.DataFrame,
                    years: Sequence[str]) -> pd.DataFrame:
    """The summary tab's expenditure by area of spend against the scheme lines, with remainders.

    Returns
    -------
    DataFrame
        ``year, area, summary, schemes, remainder``.

    Examples
    --------
    Tab 3's acute lines carry £500,000 in 2017/18 (scheme 33, Risk Pool); the summary tab
    prints £635,000:

    >>> a = area_remainders(load_printed("rotherham-2017-09-20"), load_schemes(), ["2017/18"])
    >>> float(a.set_index("area").loc["Acute", "remainder"])
    135000.0
    """
    rows = []
    for y in years:
        by = spend_by_area(schemes, y)
        for a in AREAS:
            pv = value(printed, "bcf_expenditure_by_area_of_spend", y, contains=a)
            rows.append({"year": y, "area": a, "summary": pv, "schemes": float(by[a]),
                         "remainder": pv - float(by[a])})
    return pd.DataFrame(rows)


def money_checks_rotherham(printed: pd.DataFrame, schemes: pd.DataFrame,
                           years: Sequence[str]) -> list[Check]:
    """Every printed total of Rotherham's template tabs 2-3 and the summary tab, recomputed.

    * tab 2 totals from the funding lines;
    * the summary tab's expenditure by area of spend, from the scheme lines;
    * expenditure from the CCG minimum by area, and NHS-commissioned out-of-hospital
      spend (CCG-commissioned schemes funded from the CCG minimum), from the scheme lines;
    * the running balances (funding less the scheme lines naming the source);
    * the minimum mandated social care spend (the 2016/17 baseline uplifted by
      the printed inflation percentages) and the planned uplift.

    Returns
    -------
    list of Check

    Examples
    --------
    Tab 2: £2,310,793 (DFG) + £1,767,000 = £4,077,793, printed:

    >>> cs = money_checks_rotherham(load_printed("rotherham-2017-09-20"), load_schemes(),
    ...                             ["2017/18"])
    >>> cs[0].value, cs[0].comparison.status
    (4077793.0, 'reproduced')
    """
    out: list[Check] = []
    for y in years:
        out.extend(_year_money_checks(printed, schemes, y))
    out.extend(_minimum_mandated_checks(printed, years))
    return out


def _year_money_checks(printed: pd.DataFrame, schemes: pd.DataFrame, y: str) -> list[Check]:
    """One year's tab 2 totals, expenditure by area, CCG-minimum and NHS out-of-hospital spend,
    and running balances (:func:`money_checks_rotherham`)."""
    out: list[Check] = []
    ccg_min = schemes["source_of_funding"] == "CCG Minimum Contribution"
    ccg_comm = schemes["commissioner"] == "CCG"
    inc = {k: row(printed, "bcf_income", y, contains=k) for k in (
        "Disabled Facilities Grant", "Local Authority Additional", "Total Local Authority",
        "Total iBCF", "Total Minimum CCG", "Total Additional CCG", "Total BCF pooled")}
    out.append(check_sum(inc["Total Local Authority"],
                         [inc["Disabled Facilities Grant"], inc["Local Authority Additional"]],
                         f"Total local authority contribution exc iBCF, {y}"))
    out.append(check_sum(inc["Total BCF pooled"],
                         [inc["Total Local Authority"], inc["Total iBCF"],
                          inc["Total Minimum CCG"], inc["Total Additional CCG"]],
                         f"Total BCF pooled budget, {y}"))
    s = schemes[schemes["year"] == y]
    all_by = spend_by_area(schemes, y)
    for a in (*AREAS, "Total"):
        r = row(printed, "bcf_expenditure_by_area_of_spend", y, contains=a)
        v = float(all_by.sum()) if a == "Total" else float(all_by[a])
        alts = ({"the pooled budget (tab 2)": float(inc["Total BCF pooled"]["v"])}
                if a == "Total" else {})
        out.append(check_value(r, v, "sum of the scheme lines (tab 3) in this area of spend",
                               f"Expenditure, {a}, {y}", alts))
    unprinted = value(printed, "bcf_expenditure_by_area_of_spend", y, contains="Total") - float(
        all_by.sum())
    min_by = spend_by_area(schemes, y, ccg_min)
    for a in (*AREAS, "Total"):
        r = row(printed, "bcf_expenditure_from_minimum_ccg_by_area", y, contains=a)
        v = float(min_by.sum()) if a == "Total" else float(min_by[a])
        out.append(check_value(r, v, "scheme lines funded from the CCG minimum",
                               f"Expenditure from the CCG minimum, {a}, {y}"))
    ooh_by = spend_by_area(schemes, y, ccg_min & ccg_comm)
    for a in ("Mental Health", "Community Health", "Continuing Care", "Primary Care",
              "Social Care", "Other", "Total"):
        r = row(printed, "nhs_ooh_spend_from_minimum_by_area", y, contains=a + " (")
        v = float(ooh_by.sum()) if a == "Total" else float(ooh_by[a])
        out.append(check_value(r, v, "CCG-commissioned scheme lines funded from the CCG "
                               "minimum",
                               f"NHS-commissioned out-of-hospital spend, {a}, {y}"))
    sc = row(printed, "planned_social_care_spend_from_ccg_minimum", y)
    out.append(check_value(sc, float(min_by["Social Care"]),
                           "social care scheme lines funded from the CCG minimum",
                           f"Planned social care spend from the CCG minimum, {y}"))
    by_src = s.groupby("source_of_funding")["expenditure"].sum()
    for bal, src, inc_key in (
            ("CCG Minimum Contribution balance", "CCG Minimum Contribution",
             "Total Minimum CCG"),
            ("Additional CCG Contribution balance", "Additional CCG Contribution",
             "Total Additional CCG"),
            ("Local Authority Contribution balance", "Local Authority Contribution",
             "Total Local Authority"),
            ("iBCF balance", "Improved Better Care Fund", "Total iBCF")):
        r = row(printed, "running_balance", y, contains=bal)
        fund = float(inc[inc_key]["v"])
        spent = float(by_src.get(src, 0.0))
        alts = {"funding less the scheme lines, counting the summary tab's spending on no "
                "printed line against this source": fund - spent - unprinted}
        if src == "Local Authority Contribution":
            alts["funding less the lines naming either 'Local Authority Contribution' or "
                 "'Local Authority Social Services'"] = fund - spent - float(
                    by_src.get("Local Authority Social Services", 0.0))
        out.append(check_value(r, fund - spent, "funding (tab 2) less the scheme lines naming "
                               "this source", f"Running balance: {bal}, {y}", alts,
                               inputs=[inc[inc_key]["figure_id"]]))
    r = row(printed, "running_balance", y, contains="BCF Pooled Total")
    pooled = float(inc["Total BCF pooled"]["v"])
    out.append(check_value(r, pooled - float(s["expenditure"].sum()),
                           "pooled budget less all scheme lines",
                           f"Running balance: BCF pooled total, {y}",
                           {"pooled budget less the summary tab's total expenditure":
                            pooled - value(printed, "bcf_expenditure_by_area_of_spend", y,
                                           contains="Total")},
                           inputs=[inc["Total BCF pooled"]["figure_id"]]))
    return out


def _minimum_mandated_checks(printed: pd.DataFrame, years: Sequence[str]) -> list[Check]:
    """The minimum mandated social care spend chained from the 2016/17 baseline by the printed
    uplifts (unrounded), the planned uplifts, and the narrative's social care investment."""
    out: list[Check] = []
    # minimum mandated social care spend and uplifts
    base = row(printed, "minimum_mandated_social_care_from_ccg_minimum", "2016/17")
    prev = float(base["v"])
    prev_printed = float(base["v"])
    prev_sc = prev
    for y in years:
        up = row(printed, "minimum_mandated_uplift_pct", y)
        r = row(printed, "minimum_mandated_social_care_from_ccg_minimum", y)
        cur = prev * (1 + float(up["v"]) / 100)
        out.append(check_value(r, cur, "the previous year's minimum (unrounded) x (1 + uplift)",
                               f"Minimum mandated social care spend from the CCG minimum, {y}",
                               {"the previous year's printed minimum x (1 + uplift)":
                                prev_printed * (1 + float(up["v"]) / 100)},
                               inputs=[base["figure_id"], up["figure_id"]]))
        prev, prev_printed = cur, float(r["v"])
        sc = float(row(printed, "planned_social_care_spend_from_ccg_minimum", y)["v"])
        pu = row(printed, "planned_social_care_uplift_pct", y)
        out.append(check_value(pu, (sc / prev_sc - 1) * 100,
                               "planned social care spend / the previous year's (2016/17: the "
                               "baseline) - 1", f"Planned social care uplift, {y}"))
        prev_sc = sc
    # narrative: social care investment from the CCG minimum
    for y, src in (("2016/17", base), ("2017/18", row(printed,
                   "planned_social_care_spend_from_ccg_minimum", "2017/18"))):
        r = row(printed, "social_care_investment_from_ccg_minimum", y)
        out.append(check_twice(r, src, f"Social care investment from the CCG minimum, {y} "
                               "(narrative, £m)", scale=1e6))
    r = row(printed, "social_care_investment_from_ccg_minimum", "2018/19")
    out.append(check_twice(r, row(printed, "planned_social_care_uplift_pct", "2018/19"),
                           "Social care uplift 2018/19 (narrative)"))
    return out


def table8_checks(printed: pd.DataFrame) -> list[Check]:
    """The plan's Table 8 (investment by theme, £000): theme totals, column totals and splits.

    Returns
    -------
    list of Check

    Examples
    --------
    Theme 1: 790 + 1 = 791 (£000), printed:

    >>> table8_checks(load_printed("rotherham-2017-09-20"))[0].value
    791.0
    """
    out: list[Check] = []
    t8 = printed[printed["measure"].str.startswith("table8")]
    themes = [c for c in t8[t8["measure"] == "table8_total"]["category"] if c != "TOTAL"]
    for th in themes:
        tot = row(printed, "table8_total", "2017/18", contains=th)
        parts = [row(printed, "table8_investment", "2016/17", contains=th)]
        add = t8[(t8["measure"] == "table8_additional_funding") & (t8["category"] == th)]
        if len(add):
            parts.append(add.iloc[0])
        out.append(check_sum(tot, parts, f"Table 8 {th}: 2016/17 investment + additional funding"))
    for measure, period in (("table8_investment", "2016/17"), ("table8_additional_funding",
                                                               "2017/18"),
                            ("table8_total", "2017/18")):
        tot = row(printed, measure, period, contains="TOTAL")
        sel = (t8["measure"] == measure) & (t8["category"] != "TOTAL")
        parts = [r for _, r in t8[sel].iterrows()]
        out.append(check_sum(tot, parts, f"Table 8 TOTAL, {measure.replace('table8_', '')}"))
    tot = row(printed, "table8_total", "2017/18", contains="TOTAL")
    for th in ("THEME 2", "THEME 5", "TOTAL"):
        parts = [row(printed, "table8_by_commissioner", "2017/18", contains=f"{th} {c}")
                 for c in ("RCCG", "RMBC")]
        t = tot if th == "TOTAL" else row(printed, "table8_total", "2017/18", contains=th)
        out.append(check_sum(t, parts, f"Table 8 {th}: RCCG share + RMBC share").again("split"))
    pools = [row(printed, "table8_by_pool", "2017/18", contains=p) for p in ("Pool 1", "Pool 2")]
    out.append(check_sum(tot, pools, "Table 8 TOTAL: Pool 1 + Pool 2").again("pools"))
    for col in ("RCCG", "RMBC"):
        r = row(printed, "table8_by_commissioner", "2017/18", contains=f"TOTAL {col}")
        out.append(check_twice(r, row(printed, "table9_investment", "2017/18",
                                      contains=f"GRAND TOTAL [{col}]"),
                               f"Table 8 total {col} share against Table 9's grand total"))
    return out


TABLE9_SCHEMES: dict[str, tuple[int, ...]] = {
    "Adult Mental Health Liaison [": (1,), "Home Improvement Agency [RMBC]": (3,),
    "Home Improvement Agency [RCCG]": (2,), "Falls Service [": (5,),
    "Home Enabling Services [": (6,), "2 SSO reviewing officers": (7,),
    "Community Stroke Service [": (8,), "Community Neuro Rehab [": (9,),
    "Breathing Space [": (10,), "Expert Patient Programme [": (11,),
    "Otago Exercise Programme [": (30,), "REWS [RMBC]": (14,), "REWS [RCCG]": (12, 13),
    "Community OT [RMBC]": (16,), "Community OT [RCCG]": (15,),
    "Disabled Facilities Grant [": (17,), "Age UK Hospital Discharge [": (18,),
    "Stroke Association Service [": (19,), "Stroke Social Work Support [": (20,),
    "Intermediate Care Pool [RMBC]": (21,), "Intermediate Care Pool [RCCG]": (22, 23),
    "Direct Payments [": (24,), "Care Act Implementation [": (4,), "Residential Care [": (25,),
    "Learning Disability Services [": (26,), "GP Case Management [": (27,),
    "Care Home Support Service [": (28,), "Death in Place of Choice [": (29,),
    "Social Prescribing [": (31,), "Social Work Support (A&E": (32,),
    "Day Care Services [": (36,), "Carers Support Service [RMBC]": (39,),
    "Carers Support Service [RCCG]": (38,), "Joint Commissioning Team [": (34,),
    "IT to support Comm Trans [": (35,), "Risk pool [": (33,),
}
"""Lines of the plan's Table 9 (£000) and the template scheme lines (tab 3) they stand for:
RMBC lines are the council-funded scheme lines, RCCG lines the CCG-funded ones."""


def table9_vs_template(printed: pd.DataFrame, schemes: pd.DataFrame) -> list[Check]:
    """Each line of Table 9 (£000) against the template's scheme lines it stands for (2017/18).

    Where a line differs, every other scheme line with the same source of funding is tried as an
    addition, so a line that folds in another scheme is named.

    Returns
    -------
    list of Check

    Examples
    --------
    Falls Service: tab 3's £443,977 is 444 in £000, as Table 9 prints:

    >>> cs = table9_vs_template(load_printed("rotherham-2017-09-20"), load_schemes())
    >>> c = [c for c in cs if c.label.startswith("Table 9: Falls")][0]
    >>> round(c.value, 3), c.comparison.status
    (443.977, 'reproduced')
    """
    out: list[Check] = []
    s = schemes[schemes["year"] == "2017/18"].set_index("scheme_id")
    for prefix, ids in TABLE9_SCHEMES.items():
        r = row(printed, "table9_investment", "2017/18", contains=prefix)
        v = float(s.loc[list(ids), "expenditure"].sum())
        srcs = set(s.loc[list(ids), "source_of_funding"])
        alts = {f"schemes {', '.join(map(str, ids))} and {k} ({s.loc[k, 'scheme_name']})":
                (v + float(s.loc[k, "expenditure"])) / 1000
                for k in s.index if k not in ids and s.loc[k, "source_of_funding"] in srcs}
        out.append(check_value(r, v / 1000, f"template scheme line(s) {', '.join(map(str, ids))}"
                               " in £000", f"Table 9: {prefix.rstrip(' [')} (£000)", alts,
                               inputs=[f"scheme {i}" for i in ids]))
    return out


def table9_checks(printed: pd.DataFrame, pooled_2017_18: pd.Series) -> list[Check]:
    """The plan's Table 9 (investment by scheme, £000): line totals and the grand totals.

    Returns
    -------
    list of Check

    Examples
    --------
    Home Improvement Agency: 15 + 60 = 75 (£000), printed:

    >>> pr = load_printed("rotherham-2017-09-20")
    >>> table9_checks(pr, row(pr, "bcf_income", "2017/18", contains="Total BCF pooled"))[0].value
    75.0
    """
    out: list[Check] = []
    t9 = printed[printed["measure"] == "table9_investment"]
    cat = t9["category"]
    for _, r in t9[cat.str.endswith("[Total]") & ~cat.str.startswith("GRAND")].iterrows():
        name = r["category"].replace(" [Total]", "")
        parts = [row(printed, "table9_investment", "2017/18", contains=f"{name} [{c}]")
                 for c in ("RMBC", "RCCG")]
        out.append(check_sum(r, parts, f"Table 9 {name}: RMBC + RCCG"))
    for col in ("RMBC", "RCCG"):
        g = row(printed, "table9_investment", "2017/18", contains=f"GRAND TOTAL [{col}]")
        parts = [r for _, r in t9[~cat.str.startswith("GRAND")
                                  & (cat.str.contains(f"[{col}]", regex=False)
                                     | cat.str.contains(f"[{col};", regex=False))].iterrows()]
        out.append(check_sum(g, parts, f"Table 9 grand total, {col}"))
    g = row(printed, "table9_investment", "2017/18", contains="GRAND TOTAL [Total]")
    out.append(check_twice(g, pooled_2017_18, "Table 9 grand total against the pooled budget "
                           "(£000)", scale=1000))
    return out


def ibcf_checks(printed: pd.DataFrame, schemes: pd.DataFrame) -> list[Check]:
    """The Improved BCF (item 15A and the plan's narrative) against the template and its parts.

    Returns
    -------
    list of Check

    Examples
    --------
    The template's iBCF 2017/18, £7,317,501, is the narrative's £7.318m:

    >>> c = ibcf_checks(load_printed("rotherham-2017-09-20"), load_schemes())[0]
    >>> c.value, c.comparison.status
    (7.317501, 'reproduced')
    """
    out: list[Check] = []
    ibcf = {y: row(printed, "bcf_income", y, contains="Total iBCF") for y in ("2017/18", "2018/19")}
    for y in ("2017/18", "2018/19"):
        for _, r in printed[(printed["measure"] == "ibcf_allocation_total")
                            & (printed["period"] == y)].iterrows():
            out.append(check_twice(r, ibcf[y], f"iBCF allocation {y} ({r['category']}, £m)",
                                   scale=1e6))
    grants = {y: row(printed, "ibcf_spring_budget_2017", y, contains="Additional funding")
              for y in ("2017-18", "2018-19", "2019-20")}
    for y, g in grants.items():
        r = row(printed, "ibcf_spring_budget_2017", y, contains="minutes")
        out.append(check_twice(r, g, f"Spring Budget 2017 adult social care grant {y} "
                               "(minutes, £m)", scale=1e6))
    spring = grants["2017-18"]
    fa = row(printed, "ibcf_further_allocation", "2017/18")
    out.append(check_value(fa, (float(ibcf["2017/18"]["v"]) - float(spring["v"])) / 1e6,
                           "the template's iBCF 2017/18 less the Spring Budget grant",
                           "The further iBCF allocation 2017/18 (£m)",
                           inputs=[ibcf["2017/18"]["figure_id"], spring["figure_id"]]))
    items = printed[printed["measure"] == "ibcf_plan_item"]
    pounds = items["v"].where(items["unit"] == "GBP", items["v"] * 1e6)
    spring_items = pounds[~items["category"].str.startswith("7.7")]
    sa = row(printed, "ibcf_spring_allocated", "2017/18")
    out.append(check_value(sa, float(spring_items.sum()) / 1e6,
                           "sum of the uses itemised in sections 7.2-7.6 of item 15A",
                           "Spring Budget iBCF allocated for 2017/18 (£m)",
                           {"the Spring Budget grant": float(spring["v"]) / 1e6},
                           inputs=list(items.loc[spring_items.index, "figure_id"])))
    cf = row(printed, "table9_investment", "2017/18", contains="Improved BCF Contingency Fund")
    rec_ = ibcf_reconcile(printed, schemes)
    out.append(check_value(cf, float(rec_.loc[0, "remainder"]) / 1000,
                           "the Spring Budget grant less the uses itemised in item 15A 7.2-7.6, "
                           "in £000", "Table 9: Improved BCF contingency fund (£000)",
                           inputs=[spring["figure_id"]]))
    wp = row(printed, "ibcf_winter_pressures", "2017/18")
    item = row(printed, "ibcf_plan_item", "2017/18", contains="winter pressures")
    out.append(check_twice(wp, item, "iBCF winter pressures (narrative)"))
    s = schemes[schemes["year"] == "2017/18"].set_index("scheme_id")
    ca = row(printed, "care_act_financial_plan", "2017/18")
    out.append(check_twice(ca, float(s.loc[4, "expenditure"]),
                           "Care Act funding (risk register, £m)", scale=1e6, other_id="scheme 4"))
    rp = row(printed, "risk_pool", "2017/18")
    out.append(check_twice(rp, float(s.loc[33, "expenditure"]), "Risk pool (risk register)",
                           other_id="scheme 33"))
    return out


def ibcf_uses(printed: pd.DataFrame) -> pd.DataFrame:
    """Item 15A's itemised uses of the iBCF, in pounds, by section, with the allocation remainders.

    Returns
    -------
    DataFrame
        ``section, item, amount``; then rows for each allocation less its itemised uses.

    Examples
    --------
    Section 7.2.1 prints "£4m":

    >>> float(ibcf_uses(load_printed("rotherham-2017-09-20")).loc[0, "amount"])
    4000000.0
    """
    items = printed[printed["measure"] == "ibcf_plan_item"].copy()
    items["amount"] = items["v"].where(items["unit"] == "GBP", items["v"] * 1e6)
    items["section"] = items["category"].str.extract(r"^(7\.\d)")[0]
    return items[["section", "category", "amount", "figure_id"]].rename(
        columns={"category": "item"}).reset_index(drop=True)


IBCF_TABLE9 = ("Sustainability/mitigation", "Information Sharing/System Development",
               "Leadership capacity", "Discharge Pathways", "Market capacity",
               "Improved BCF Contingency Fund")


def ibcf_reconcile(printed: pd.DataFrame, schemes: pd.DataFrame) -> pd.DataFrame:
    """The Improved BCF for 2017/18: each allocation against the uses itemised for it.

    Returns
    -------
    DataFrame
        ``allocation, amount, uses, itemised, remainder`` in pounds:

        * the Spring Budget 2017 grant against item 15A's sections 7.2-7.6;
        * the further allocation through the BCF (the template's iBCF less the
          grant) against section 7.7;
        * the template's iBCF against its iBCF scheme lines (tab 3);
        * the template's iBCF against the iBCF lines of the plan's Table 9 (£000).

    Examples
    --------
    The grant, £6,227,348, less the £6,165,000 itemised in sections 7.2-7.6:

    >>> r = ibcf_reconcile(load_printed("rotherham-2017-09-20"), load_schemes())
    >>> float(r.loc[0, "remainder"])
    62348.0
    """
    uses = ibcf_uses(printed)
    ibcf = value(printed, "bcf_income", "2017/18", contains="Total iBCF")
    grant = value(printed, "ibcf_spring_budget_2017", "2017-18", contains="Additional funding")
    s = schemes[(schemes["year"] == "2017/18")
                & (schemes["source_of_funding"] == "Improved Better Care Fund")]
    t9 = sum(value(printed, "table9_investment", "2017/18", contains=c) for c in IBCF_TABLE9)
    rows = [
        ("Spring Budget 2017 adult social care grant (item 15A)", grant,
         "item 15A sections 7.2-7.6", float(uses[uses["section"] != "7.7"]["amount"].sum())),
        ("Further allocation through the BCF (template iBCF less the grant)", ibcf - grant,
         "item 15A section 7.7", float(uses[uses["section"] == "7.7"]["amount"].sum())),
        ("iBCF in the template (tab 2)", ibcf, "iBCF scheme lines of tab 3",
         float(s["expenditure"].sum())),
        ("iBCF in the template (tab 2)", ibcf, "iBCF lines of Table 9 (£000 x 1,000)", t9 * 1000),
    ]
    df = pd.DataFrame(rows, columns=["allocation", "amount", "uses", "itemised"])
    df["remainder"] = df["amount"] - df["itemised"]
    return df




def risk_checks(printed: pd.DataFrame) -> list[Check]:
    """Risk register scores: likelihood x consequence.

    Returns
    -------
    list of Check

    Examples
    --------
    Risk 20, "Non-elective target not met": likelihood 4 x consequence 5 = 20, printed:

    >>> cs = risk_checks(load_printed("rotherham-2017-09-20"))
    >>> [c.value for c in cs if "Non-elective" in c.label]
    [20.0]
    """
    out = []
    for _, r in printed[printed["measure"] == "risk_score"].iterrows():
        lk = row(printed, "risk_likelihood", r["period"], contains=r["category"])
        cq = row(printed, "risk_consequence", r["period"], contains=r["category"])
        out.append(check_value(r, float(lk["v"]) * float(cq["v"]), "likelihood x consequence",
                               f"Risk score: {r['category']}", inputs=[lk["figure_id"],
                                                                      cq["figure_id"]]))
    return out


# --- money: Leicestershire --------------------------------------------------------------------


def _s75(printed: pd.DataFrame, prefix: str) -> pd.Series:
    hits = printed[(printed["measure"] == "s75_financial_contribution")
                   & printed["category"].str.startswith(prefix)]
    if len(hits) != 1:
        raise DataError(PRINTED_FILE, f"expected one s75 contribution starting {prefix!r}, "
                                      f"found {len(hits)}")
    return hits.iloc[0]


S75_PARTNERS = ("NHS East Leicestershire and Rutland CCG", "NHS West Leicestershire CCG",
                "Leicestershire County Council")
S75_LINES = ("CCG Minimum allocation", "Additional CCG Allocation", "Disabled Facilities Grant",
             "IBCF (Additional Adult Social Care Allocation Spring Budget 2017)")
FUNDING_VS_S75 = (
    ("East Leicestershire & Rutland CCG*", "CCG Minimum allocation | NHS East Leicestershire"),
    ("West Leicestershire CCG*", "CCG Minimum allocation | NHS West Leicestershire"),
    ("CCG Minimum Contributions subtotal", "CCG Minimum allocation | Total"),
    ("Disabled Facilities Grants", "Disabled Facilities Grant | Total"),
    ("IBCF (Comprehensive Spending Review - Autumn 2015)",
     "IBCF (Comprehensive Spending Review 2015)"),
    ("IBCF (Adult Social Care Grant Spring Budget 2017)",
     "IBCF (Additional Adult Social Care Allocation Spring Budget 2017) | Total"),
    ("Additional CCG allocations", "Additional CCG Allocation | Total"),
    ("Total BCF Funding", "Total BCF Funding | Total"),
)


def leics_checks(printed: pd.DataFrame) -> list[Check]:
    """Leicestershire's pooled fund: the s75 row and column totals, the funding table (£000)
    against the s75 schedule (£), the subtotals and totals, and the HART split.

    Returns
    -------
    list of Check

    Examples
    --------
    CCG minimum: £15,838,107 + £20,843,463 + nil = £36,681,570, printed:

    >>> c = leics_checks(load_printed("leicestershire-2018-01-25"))[0]
    >>> c.value, c.comparison.status
    (36681570.0, 'reproduced')
    """
    out: list[Check] = []
    for ln in S75_LINES:
        t = _s75(printed, f"{ln} | Total")
        out.append(check_sum(t, [_s75(printed, f"{ln} | {p}") for p in S75_PARTNERS],
                             f"s75 {ln}: total of the partners"))
    for p in (*S75_PARTNERS, "Total"):
        t = _s75(printed, f"Total BCF Funding | {p}")
        out.append(check_sum(t, [_s75(printed, f"{ln} | {p}") for ln in S75_LINES],
                             f"s75 Total BCF Funding: {p}"))
    fs = "bcf_funding_source"
    for fcat, sprefix in FUNDING_VS_S75:
        r = row(printed, fs, "2017/18", contains=fcat)
        c = check_twice(r, _s75(printed, sprefix),
                        f"Funding table (£000) against the s75 schedule (£): {fcat}, 2017/18",
                        scale=1000)
        out.append(c.again("s75") if "total" in fcat.lower() else c)
    for yy in ("2017/18", "2018/19"):
        sub = row(printed, fs, yy, contains="CCG Minimum Contributions subtotal")
        out.append(check_sum(sub, [row(printed, fs, yy, contains="East Leicestershire"),
                                   row(printed, fs, yy, contains="West Leicestershire CCG*")],
                             f"CCG minimum subtotal, {yy}"))
        sub = row(printed, fs, yy, contains="DCLG Funding subtotal")
        out.append(check_sum(sub, [row(printed, fs, yy, contains=c) for c in (
            "Disabled Facilities", "Autumn 2015", "Spring Budget 2017")],
            f"DCLG funding subtotal, {yy}"))
        tot = row(printed, fs, yy, contains="Total BCF Funding")
        out.append(check_sum(tot, [row(printed, fs, yy, contains="CCG Minimum Contributions "
                                       "subtotal"),
                                   row(printed, fs, yy, contains="DCLG Funding subtotal"),
                                   row(printed, fs, yy, contains="Additional CCG")],
                             f"Total BCF funding, {yy}"))
        para = row(printed, "bcf_expenditure_plan_total", yy)
        out.append(check_twice(para, tot, f"BCF expenditure plan (para 16, £m), {yy}", scale=1000))
    out += hart_checks(printed)
    return out


HART_PARTNERS = ("NHS West Leicestershire CCG", "NHS East Leicestershire & Rutland CCG",
                 "Leicestershire County Council")


def hart_table(printed: pd.DataFrame) -> pd.DataFrame:
    """The HART reablement pool 2017/18 by partner: referrals, hours, cost and printed share,
    with each partner's share on each candidate basis and its cost per hour.

    Returns
    -------
    DataFrame
        ``partner, referrals, hours, cost, printed_share, share_referrals, share_hours,
        share_cost, cost_per_hour``.

    Examples
    --------
    West Leicestershire CCG: 10,887 of 126,319 hours is 8.62%:

    >>> h = hart_table(load_printed("leicestershire-2018-01-25")).set_index("partner")
    >>> round(float(h.loc["NHS West Leicestershire CCG", "share_hours"]), 2)
    8.62
    """
    rows = []
    for p in (*HART_PARTNERS, "Total"):
        rows.append({"partner": p,
                     "referrals": value(printed, "hart_anticipated_referrals", "2017/18", p),
                     "hours": value(printed, "hart_reablement_hours", "2017/18", p),
                     "cost": value(printed, "hart_forecast_cost", "2017/18", p),
                     "printed_share": row(printed, "hart_percentage_contribution", "2017/18",
                                          p)["value"]})
    df = pd.DataFrame(rows)
    part = df[df["partner"] != "Total"]
    for basis in ("referrals", "hours", "cost"):
        df[f"share_{basis}"] = df[basis] / float(part[basis].sum()) * 100
    df["cost_per_hour"] = df["cost"] / df["hours"]
    return df


def hart_basis(hart: pd.DataFrame) -> dict[str, list[str]]:
    """For each partner, the bases (referrals, hours, cost, remainder to 100) that reproduce the
    printed share, found with :func:`hwb.toolkit.checks.which_denominator`.

    Examples
    --------
    >>> h = pd.DataFrame({"partner": ["A", "B", "Total"], "referrals": [1, 3, 4],
    ...                   "hours": [30, 70, 100], "cost": [25, 75, 100],
    ...                   "printed_share": ["30.0", "70.0", "100"]})
    >>> hart_basis(h)["A"]
    ['hours']

    Returns
    -------
    dict of str to list of str
        Partner to the bases that reproduce its printed share (empty: none does).
    """
    out: dict[str, list[str]] = {}
    part = hart[hart["partner"] != "Total"]
    for _, r in part.iterrows():
        found = []
        for basis in ("referrals", "hours", "cost"):
            found += [basis for _ in checks.which_denominator(
                r[basis], r["printed_share"], {basis: float(part[basis].sum())}, 100.0)]
        others = part[part["partner"] != r["partner"]]["printed_share"].map(parse_number).sum()
        if found == [] and checks.reproduces(100.0 - others, r["printed_share"]):
            found.append("100 less the other partners' printed shares")
        out[r["partner"]] = found
    return out


def hart_checks(printed: pd.DataFrame) -> list[Check]:
    """HART: totals of referrals, hours and cost; each partner's printed percentage against its
    share of hours (the basis the schedule's shares reproduce best), with referrals, cost and the
    remainder to 100 as alternatives; the BCF-funded step-down cost against the CCGs' HART cost.

    Returns
    -------
    list of Check

    Examples
    --------
    Referrals: 120 + 96 + 2,221 = 2,437, printed:

    >>> hart_checks(load_printed("leicestershire-2018-01-25"))[0].value
    2437.0
    """
    out: list[Check] = []
    for m in ("hart_anticipated_referrals", "hart_reablement_hours", "hart_forecast_cost",
              "hart_percentage_contribution"):
        t = row(printed, m, "2017/18", "Total")
        out.append(check_sum(t, [row(printed, m, "2017/18", p) for p in HART_PARTNERS],
                             f"HART {m.replace('hart_', '').replace('_', ' ')}: total"))
    h = hart_table(printed).set_index("partner")
    shares = {p: parse_number(row(printed, "hart_percentage_contribution", "2017/18", p)["value"])
              for p in HART_PARTNERS}
    for p in HART_PARTNERS:
        r = row(printed, "hart_percentage_contribution", "2017/18", p)
        others = sum(v for k, v in shares.items() if k != p)
        out.append(check_value(r, float(h.loc[p, "share_hours"]),
                               "the partner's share of reablement hours",
                               f"HART share: {p}",
                               {"its share of forecast cost": float(h.loc[p, "share_cost"]),
                                "its share of referrals": float(h.loc[p, "share_referrals"]),
                                "100 less the other partners' printed shares": 100.0 - others}))
    for p in HART_PARTNERS[:2]:
        r = row(printed, "hart_bcf_funded_step_down_reablement", "2017/18", p)
        out.append(check_twice(r, row(printed, "hart_forecast_cost", "2017/18", p),
                               f"BCF-funded step-down reablement: {p}"))
    t = row(printed, "hart_bcf_funded_step_down_reablement", "2017/18", "Total")
    out.append(check_sum(t, [row(printed, "hart_bcf_funded_step_down_reablement", "2017/18", p)
                             for p in HART_PARTNERS[:2]], "BCF-funded step-down reablement: total"))
    return out
