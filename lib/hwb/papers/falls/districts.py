"""A shire county's districts: their published falls rates, since the county's own is not shipped.

The PHOF falls indicator as shipped (``data/falls``) covers districts and unitary authorities
only, so a shire county's board gets no rate of its own.  Its districts are in the file, and
the project's district-to-county lookup (``data/population/by_year``, from the ONS mid-year
estimates' tables) says which they are.  This module gives each district's directly
standardised rate by year, Fingertips' own comparison of it with England, and its change over
the period against England's.

Districts' standardised rates cannot be summed, nor averaged, into the county's: a county
rate needs the counts and populations by age, which the shipped file does not carry.  The
file carries no confidence intervals either (nor counts to compute them), so Fingertips'
significance flag (better / similar / worse than England at 95%) stands in for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from hwb.toolkit.figures import Figure, Recorder

from . import FallsParams, fy_label, fy_start

COUNTY_PREFIX = "E10"
"""Shire counties (ONS codes E10...)."""
COMPARED = {"Better": "better", "Similar": "similar", "Worse": "worse",
            "Not compared": "not compared"}
"""Fingertips' comparison with England (95%), in the appendix's words."""


@dataclass(frozen=True)
class CountyDistricts:
    """What the shipped file says about a shire county's districts (:func:`county_districts`)."""

    county_code: str
    county_name: str
    lookup_years: str
    """The mid-years of the district-to-county lookup read ("2014-2018")."""
    years: list[str]
    """The financial years shown: the national comparison's start to its end."""
    rates: pd.DataFrame
    """``area_code, area_name, period, dsr, compared`` for each district in the file, each
    year (``compared``: Fingertips' comparison with England, in words)."""
    comparator: pd.Series
    """The comparator's rate by year."""
    change: pd.DataFrame
    """``area_code, area_name, dsr_start, dsr_end, change, pct_change`` for each district
    with both years, from the largest fall."""
    missing: list[str]
    """District codes of the lookup that the shipped file lacks."""


def is_county(code: str) -> bool:
    """A shire county's code.

    Examples
    --------
    >>> is_county("E10000014"), is_county("E06000014")
    (True, False)
    """
    return code.startswith(COUNTY_PREFIX)


def districts_of(county_code: str, shipped: set[str] | None = None) -> tuple[list[str], str]:
    """The county's district codes from the project's lookup, and the lookup's mid-years.

    Every district the lookup places in the county in any of its years (2014 to 2018) is a
    candidate: the falls file is on the April 2018 boundaries, while the lookup's later years
    already carry some 2019 mergers (East and West Suffolk).  With ``shipped`` (the codes of
    the falls file), a candidate is kept when it is in the file or belongs to the county in
    the lookup's latest year (so a merged district the file predates is listed as missing).

    Examples
    --------
    >>> codes, years = districts_of("E10000014")  # Hampshire
    >>> len(codes), codes[0], years
    (11, 'E07000084', '2014-2018')
    """
    from hwb.sources import data, population_by_year

    lk = data.read_csv(data.path(population_by_year.COUNTY_FILE),
                       dtype={"district_code": str, "county_code": str})
    rows = lk[lk["county_code"] == county_code]
    if rows.empty:
        return [], ""
    latest = set(rows.loc[rows["year"] == rows["year"].max(), "district_code"])
    codes = set(rows["district_code"])
    if shipped is not None:
        codes = {c for c in codes if c in shipped or c in latest}
    return sorted(codes), f"{rows['year'].min()}-{rows['year'].max()}"


def district_names() -> dict[str, str]:
    """District names on the 2019 codes (the ONS all-ages series' names), for districts the
    falls file predates.

    Examples
    --------
    >>> district_names()["E07000244"]
    'East Suffolk'
    """
    from hwb.sources import data, population_by_year

    df = data.read_csv(data.path(population_by_year.MYEB3_FILE),
                       dtype={"ladcode19": str, "laname19": str})
    return dict(zip(df["ladcode19"], df["laname19"], strict=True))


def county_districts(params: FallsParams, national: pd.DataFrame | None = None
                     ) -> CountyDistricts | None:
    """Each district's rate, its comparison with England and its change, for a shire county.

    Returns None for an area that is not a shire county.  ``national`` is
    :func:`hwb.sources.phof_falls.load_national` (loaded when not given), whose
    ``significance`` gives each district's ``compared``.

    Examples
    --------
    Basingstoke and Deane (E07000084), a district of Hampshire: 1,927 per 100,000 in 2011/12
    and 1,703 in 2015/16, a change of 1,703 - 1,927 = -224, or -224 / 1,927 = -11.6%.

    >>> p = FallsParams(area_code="E10000014", period="2012/13-2015/16")
    >>> c = county_districts(p)
    >>> r = c.change.set_index("area_code").loc["E07000084"]
    >>> [round(float(r[k]), 1) for k in ("dsr_start", "dsr_end", "change", "pct_change")]
    [1927.0, 1703.0, -224.0, -11.6]
    """
    from hwb.sources.phof_falls import load_national

    if not is_county(params.area_code):
        return None
    national = load_national() if national is None else national
    codes, lookup_years = districts_of(params.area_code, set(national["area_code"]))
    years = [fy_label(y) for y in range(fy_start(params.national_start),
                                        fy_start(params.national_end) + 1)]
    rates = national[national["area_code"].isin(codes) & national["period"].isin(years)]
    rates = rates.assign(compared=rates["significance"].map(COMPARED).fillna(""))
    rates = rates.drop(columns="significance").sort_values(["area_name", "period"])
    comp = national[national["area_code"] == params.comparator_code].set_index("period")["dsr"]
    wide = rates.pivot_table(index=["area_code", "area_name"], columns="period", values="dsr",
                             aggfunc="first").reset_index()
    s, e = params.national_start, params.national_end
    both = wide.dropna(subset=[y for y in (s, e) if y in wide.columns]) if {s, e} <= set(
        wide.columns) else wide.iloc[:0]
    change = pd.DataFrame({"area_code": both["area_code"], "area_name": both["area_name"],
                           "dsr_start": both.get(s, pd.Series(dtype=float)).astype(float),
                           "dsr_end": both.get(e, pd.Series(dtype=float)).astype(float)})
    change["change"] = change["dsr_end"] - change["dsr_start"]
    change["pct_change"] = (change["dsr_end"] / change["dsr_start"] - 1) * 100
    change = change.sort_values(["pct_change", "area_name"]).reset_index(drop=True)
    return CountyDistricts(
        county_code=params.area_code, county_name=params.area_name or params.area_code,
        lookup_years=lookup_years,
        years=years, rates=rates.reset_index(drop=True), comparator=comp.reindex(years),
        change=change, missing=[c for c in codes if c not in set(national["area_code"])])


# --- the county appendix's section ------------------------------------------------------------

NOT_A_COUNTY = ("_{name} is not a shire county: its own rate is shown above. This section is "
                "for a shire county, whose own rate the shipped file does not carry._")


def _fid(kind: str, code: str, period: str = "") -> str:
    return f"district_{kind}.{code.lower()}" + (f".{period.replace('/', '_')}" if period else "")


def _get(rec: Recorder, fid: str, *args: Any, **kw: Any) -> Figure:
    """The figure recorded under ``fid``, recorded now when it is not yet."""
    return rec.figures.get(fid) or rec.record(fid, *args, **kw)


def record(rec: Recorder, P: FallsParams, c: CountyDistricts) -> dict[str, Any]:
    """Record every number of the districts' section: each district's rate by year, change and
    % change, the comparator's rates and change, and the counts the words quote.

    Returns the words' values (figures and names) for :meth:`Recorder.say`.
    """
    from .traced import record_years

    for _, r in c.rates.iterrows():
        if pd.notna(r["dsr"]):
            _get(rec, _fid("rate", r["area_code"], r["period"]), f"{r['area_name']} rate, "
                 f"{r['period']}", float(r["dsr"]), "per 100,000", 0)
    record_years(rec, "rate_comparator", f"{P.comparator_name} rate", c.years,
                 list(c.comparator), "per 100,000", 0)
    s, e = P.national_start, P.national_end
    for _, r in c.change.iterrows():
        _get(rec, _fid("change", r["area_code"]), f"{r['area_name']}: change in the rate, "
             f"{s} to {e} (per 100,000)", float(r["change"]), "per 100,000", 0)
        _get(rec, _fid("pct_change", r["area_code"]), f"{r['area_name']}: % change in the "
             f"rate, {s} to {e}", float(r["pct_change"]), "percent", 1)
    cs, ce = (float(c.comparator.get(y, float("nan"))) for y in (s, e))
    values: dict[str, Any] = {
        "county": c.county_name, "comparator": P.comparator_name,
        "comparator_pct_change": _get(rec, "comparator_pct_change",
                                      f"{P.comparator_name}: % change in the rate",
                                      (ce / cs - 1) * 100, "percent", 1),
        "n": _get(rec, "districts_n", f"districts of {c.county_name} with rates in the shipped "
                  "file", int(c.rates["area_code"].nunique()), "districts", 0),
        "n_both": _get(rec, "districts_with_change", f"districts of {c.county_name} with rates "
                       f"in {s} and {e}", len(c.change), "districts", 0),
        "fell": _get(rec, "districts_fell", f"districts of {c.county_name} whose rate fell, {s} "
                     f"to {e}", int((c.change["change"] < 0).sum()), "districts", 0),
        "level": _get(rec, "fingertips_level", "confidence level of Fingertips' comparison "
                      "with England", 95, "percent", 0,
                      method="Fingertips: the area's 95% interval against England's value"),
    }
    if len(c.change):
        lo, hi = c.change.iloc[0], c.change.iloc[-1]
        values.update(lo=rec[_fid("pct_change", lo["area_code"])], lo_name=lo["area_name"],
                      hi=rec[_fid("pct_change", hi["area_code"])], hi_name=hi["area_name"])
    final = c.rates[(c.rates["period"] == e) & (c.rates["compared"] != "")]
    for word in ("better", "similar", "worse"):
        values[word] = _get(rec, f"districts_{word}", f"districts of {c.county_name} "
                            f"{word} than {P.comparator_name} in {e} (Fingertips, 95%)",
                            int((final["compared"] == word).sum()), "districts", 0)
    if c.missing:
        values["missing"] = _get(rec, "districts_missing", "districts of the lookup's latest "
                                 "year absent from the shipped file", len(c.missing),
                                 "districts", 0)
    return values


def words(rec: Recorder, run: Any, c: CountyDistricts | None) -> Any:
    """The districts' section in words (a note for an area that is not a shire county)."""
    from IPython.display import Markdown

    P = run.params
    if c is None:
        return Markdown(NOT_A_COUNTY.format(name=P.area_name))
    v = record(rec, P, c)
    s, e = P.national_start, P.national_end
    text = ("{county} is a shire county, and its own rate is not in the shipped file: the PHOF "
            "falls indicator as shipped covers districts and unitary authorities only. Its "
            "districts' directly standardised rates cannot be summed, or averaged, into a "
            "county rate (that needs the admissions and populations by age, which the file "
            "does not carry), so each district is shown on its own.\n\n"
            "The shipped file has {n} districts of {county}")
    if "lo" in v:
        text += (f". Of the {{n_both}} with rates in {s} and {e}, {{fell}} had a lower rate at "
                 f"the end; the changes ran from {{lo}} ({{lo_name}}) to {{hi}} ({{hi_name}}), "
                 f"against {{comparator_pct_change}} for {{comparator}}")
    text += (f". In {e}, Fingertips judged {{better}} of them better than {{comparator}}, "
             "{similar} similar and {worse} worse. The file carries no confidence intervals "
             "(nor the counts to compute them): Fingertips' comparison with {comparator}, "
             "which rests on each district's {level} interval, stands in for them.")
    if c.missing:
        names = district_names()
        text += (" Not in the file, which is on the April 2018 boundaries: {missing} "
                 "district(s) of the lookup's latest year (" + ", ".join(
                     names.get(m, m) for m in c.missing) + "); their predecessors are shown.")
    return rec.say(text, **v)


def chart(rec: Recorder, run: Any, c: CountyDistricts | None) -> Any:
    """Each district's % change in the rate, England's as a line (a horizontal bar chart)."""
    import matplotlib.pyplot as plt

    from hwb.toolkit import charts

    from .text import SRC_RATES

    if c is None or c.change.empty:
        return None
    P = run.params
    s, e = P.national_start, P.national_end
    df = c.change
    fig, ax = plt.subplots(figsize=(7, 0.4 * len(df) + 1.2))
    ax.barh(range(len(df)), df["pct_change"], color=charts.PALETTE[0])
    cp = rec["comparator_pct_change"]
    ax.axvline(float(cp.value), color=charts.PALETTE[1], linestyle="--",  # type: ignore[arg-type]
               label=f"{P.comparator_name} {cp.text}")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(range(len(df)), df["area_name"])
    ax.invert_yaxis()
    ax.set_xlabel(f"% change in the rate, {s} to {e}")
    ax.legend(loc="lower right", frameon=False)
    lo, hi = df.iloc[0], df.iloc[-1]
    alt = rec.describe(
        f"Bar chart of the percentage change in the rate of emergency admissions for falls "
        f"aged 65+ from {s} to {e} in {{n_both}} districts of {{county}}, from {{lo}} "
        "({lo_name}) to {hi} ({hi_name}); {fell} of {n_both} fell. {comparator}: "
        "{comparator_pct_change}.", n_both=rec["districts_with_change"], county=c.county_name,
        lo=rec[_fid("pct_change", lo["area_code"])], lo_name=lo["area_name"],
        hi=rec[_fid("pct_change", hi["area_code"])], hi_name=hi["area_name"],
        fell=rec["districts_fell"], comparator=P.comparator_name, comparator_pct_change=cp)
    data = pd.DataFrame({
        "District": df["area_name"],
        s: [rec[_fid("rate", k, s)] for k in df["area_code"]],
        e: [rec[_fid("rate", k, e)] for k in df["area_code"]],
        "Change per 100,000": [rec[_fid("change", k)] for k in df["area_code"]],
        "% change": [rec[_fid("pct_change", k)] for k in df["area_code"]]})
    return charts.chart(
        fig, f"Change in the rate of emergency admissions for falls aged 65+, {s} to {e}: the "
        f"districts of {c.county_name}, and {P.comparator_name}", SRC_RATES, alt, data=data)


def _lookup_source(c: CountyDistricts) -> str:
    return (f"districts: the ONS mid-year estimates' district-to-county hierarchy, mid-"
            f"{c.lookup_years.replace('-', ' to mid-')}")


def rates_table(rec: Recorder, run: Any, c: CountyDistricts | None) -> Any:
    """Each district's rate in every year, its change over the period, and England's."""
    from hwb.toolkit import charts

    from .text import SRC_RATES

    if c is None:
        return None
    P = run.params
    changed = set(c.change["area_code"])
    rows = []
    for (code, name), _ in c.rates.groupby(["area_code", "area_name"], sort=False):
        row: dict[str, Any] = {"District": name}
        for y in c.years:
            row[y] = rec.figures.get(_fid("rate", code, y), float("nan"))
        row["Change per 100,000"] = rec[_fid("change", code)] if code in changed else ""
        row["% change"] = rec[_fid("pct_change", code)] if code in changed else ""
        rows.append(row)
    eng: dict[str, Any] = {"District": f"{P.comparator_name} (comparator)"}
    for y in c.years:
        eng[y] = rec.figures.get(f"rate_comparator.{y.replace('/', '_')}", float("nan"))
    eng.update({"Change per 100,000": "", "% change": rec["comparator_pct_change"]})
    return charts.table(
        pd.DataFrame([*rows, eng]),
        f"Emergency admissions for falls aged 65+ per 100,000 (age-standardised), the districts "
        f"of {c.county_name}, {P.national_start} to {P.national_end}",
        f"{SRC_RATES}; {_lookup_source(c)}",
        notes=["Each district's rate is directly standardised to the European Standard "
               "Population 2013: the rates cannot be summed or averaged into the county's, "
               "which needs the admissions and populations by age (not shipped). The county's "
               "own rate is not in the shipped file.",
               "The file carries no confidence intervals; the next table gives Fingertips' "
               "comparison of each rate with England's."])


def compared_table(run: Any, c: CountyDistricts | None) -> Any:
    """Fingertips' comparison of each district's rate with England's, every year, in words."""
    from hwb.toolkit import charts

    from .text import SRC_RATES

    if c is None:
        return None
    P = run.params
    wide = c.rates.pivot_table(index="area_name", columns="period", values="compared",
                               aggfunc="first").reindex(columns=c.years).fillna("")
    return charts.table(
        wide.reset_index().rename(columns={"area_name": "District"}),
        f"Each district of {c.county_name} against {P.comparator_name}, as Fingertips compares "
        "them (better, similar or worse, at 95%)",
        f"{SRC_RATES} (the significance column); {_lookup_source(c)}",
        notes=["Fingertips compares each area's 95% confidence interval with England's value; "
               "the intervals themselves are not in the shipped file."])


def key_messages(P: FallsParams, figures: dict[str, Figure]) -> str:
    """The key messages of a shire county (a :meth:`Recorder.say` template), from the figures
    :func:`record` recorded."""
    s, e = P.national_start, P.national_end
    lines = [f"{P.area_name} is a shire county: its own rate is not in the shipped file, and "
             "its districts' standardised rates cannot be summed into one, so the appendix "
             "shows each of its {districts_n} districts."]
    if figures.get("districts_with_change") and figures["districts_with_change"].value:
        lines.append(f"Of the {{districts_with_change}} districts with rates in {s} and {e}, "
                     f"{{districts_fell}} had a lower rate at the end; {P.comparator_name}'s "
                     f"rate changed by {{comparator_pct_change}}.")
    lines.append(f"In {e}, Fingertips judged {{districts_better}} better than "
                 f"{P.comparator_name}, {{districts_similar}} similar and {{districts_worse}} "
                 "worse.")
    return "".join(f"- {x}\n" for x in lines)
