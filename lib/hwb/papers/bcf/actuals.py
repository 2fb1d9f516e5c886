"""Actual performance on the BCF metrics, for any board, and the plan against it where printed.

Non-elective admissions from NHS England's Monthly Activity Return apportioned from CCGs
(:mod:`hwb.sources.nel`), delayed transfers of care from NHS England's series
(:mod:`hwb.sources.dtoc`), and ASCOF 2A(2) and 2B(1) for 2018/19 (:mod:`hwb.sources.ascof`).

Whether actual performance changed is judged with a Making Data Count XmR chart
(:func:`hwb.stats.spc.xmr`) of the monthly series as a daily average, its mean and
limits fixed on 2016/17, the year before the 2017-19 plans: the same baseline for
non-elective admissions and delayed days.  A plan carries no interval; a plan against
its actual is a plain difference.  An actual published after the board met is marked
as hindsight.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from hwb import periods
from hwb.sources.data import cached_input

BASELINE = ("2016-04", 12)
"""First month and length of the SPC baseline: 2016/17, the year before the plans."""
SPC_END = "2019-03"
"""Last month charted: the end of the plan period."""


def _date(v: Any) -> dt.date | None:
    if v is None or v == "" or (isinstance(v, float) and pd.isna(v)):
        return None
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))


def known_label(published: Any, meeting: Any, shown: str = "") -> str:
    """"known at the meeting" or "hindsight (published ...)" for a figure first published then.

    Examples
    --------
    >>> known_label("2017-11-09", "2017-09-20"), known_label("2017-08-10", "2017-09-20")
    ('hindsight (published 2017-11-09)', 'known at the meeting')
    >>> known_label("2017-11-09", None)
    'no meeting date'
    """
    pub, met = _date(published), _date(meeting)
    if met is None:
        return "no meeting date"
    if pub is None:
        return "publication date not known"
    return ("known at the meeting" if pub < met
            else f"hindsight (published {shown or pub.isoformat()})")


# --- non-elective admissions --------------------------------------------------------------


@cached_input(maxsize=1)
def _all_boards() -> pd.DataFrame:
    """Every board's quarters (:func:`hwb.sources.nel.by_hwb`), read once per process
    (:func:`hwb.sources.data.cached_input`)."""
    from hwb.sources import nel

    return nel.by_hwb(None)


def nel_quarters(area_code: str) -> pd.DataFrame:
    """Quarterly non-elective admissions of one board, 2015/16-2018/19: ``period, actual,
    published`` (:func:`hwb.sources.nel.by_hwb`).

    Examples
    --------
    >>> q = nel_quarters("E08000018")
    >>> round(float(q.set_index("period").loc["2017/18 Q2", "actual"]), 3)
    8376.669
    """
    from hwb.sources import nel

    q = nel.by_hwb(area_code)
    q = q[q["months"] == 3]
    return q.rename(columns={"quarter": "period", "value": "actual"})[
        ["period", "actual", "published"]].reset_index(drop=True)


def nel_plan_vs_actual(printed: pd.DataFrame, area_code: str,
                       meeting: Any = None) -> pd.DataFrame:
    """Each planned quarter of non-elective admissions beside the MAR actual.

    Returns
    -------
    DataFrame
        ``period, plan, actual, difference, pct_difference, published, known``:
        difference = actual - plan (more admissions than planned is positive;
        fewer is better), ``pct_difference`` relative to the plan; ``known``
        from :func:`known_label`.  No interval: a plan is not an observation.

    Examples
    --------
    Rotherham 2017/18 Q2: planned 7,436, actual 8,376.669 (the test's hand calculation):

    >>> from hwb.papers.bcf.compute import load_printed
    >>> f = nel_plan_vs_actual(load_printed("rotherham-2017-09-20"), "E08000018", "2017-09-20")
    >>> r = f.set_index("period").loc["2017/18 Q2"]
    >>> round(float(r.difference), 3), r.known
    (940.669, 'hindsight (published 2017-11-09)')
    """
    from hwb.papers.bcf.charts import nea_plan

    plan = nea_plan(printed).rename(columns={"v": "plan"})
    out = plan.merge(nel_quarters(area_code), on="period", how="left")
    out["difference"] = out["actual"] - out["plan"]
    out["pct_difference"] = out["difference"] / out["plan"] * 100.0
    out["known"] = [known_label(p, meeting) for p in out["published"]]
    return out[["period", "plan", "actual", "difference", "pct_difference", "published",
                "known"]]


def nel_spc(area_code: str) -> tuple[pd.DataFrame, Any]:
    """Monthly non-elective admissions a day as a Making Data Count XmR chart, mean and limits
    fixed on 2016/17 (:data:`BASELINE`), lower is better.

    Returns
    -------
    frame, summary
        As :func:`hwb.stats.spc.xmr`; ``x`` is the month, ``published`` added.

    Notes
    -----
    Admissions a day (the month's count over its days) removes the months' unequal
    lengths.  NHS England and NHS Improvement, *Making Data Count* (2019): run and
    trend of 7, limits at the mean ± 2.66 mean moving ranges.

    Examples
    --------
    >>> f, s = nel_spc("E08000018")
    >>> f["x"].iloc[0], len(f), s.improvement
    ('2016-04', 36, 'decrease')
    """
    from hwb.sources import nel
    from hwb.stats import spc

    m = nel.by_hwb_months(area_code)
    m = m[(m["month"] >= BASELINE[0]) & (m["month"] <= SPC_END)]
    per_day = m["value"].to_numpy(float) / m["month"].map(periods.days_in).to_numpy(float)
    frame, summary = spc.xmr(per_day, list(m["month"]), improvement="decrease",
                             fix_after_n_points=BASELINE[1])
    frame["published"] = list(m["published"])
    return frame, summary


def nel_rates(area_code: str) -> pd.DataFrame:
    """Non-elective admissions per 1,000 population (all ages), board and England, by year.

    England is the sum over boards (England less NHS England's direct commissioning,
    which no board's count holds).  Each year's population is the ONS mid-year
    estimate of the year it starts (mid-2017 for 2017/18), with its vintage.

    Returns
    -------
    DataFrame
        ``year, admissions, population, rate, england_admissions, england_population,
        england_rate, difference, vintage``.  No interval: one person's repeated
        admissions are not independent events.
    """
    from hwb.sources import nel, population_by_year

    q = _all_boards().copy()
    q["year"] = q["quarter"].str[:7]
    by = q.groupby(["hwb_code", "year"])["value"].sum()
    rows = []
    for year in nel.YEARS:
        start = int(year[:4])
        own = population_by_year.population(area_code, start, "all")
        eng = population_by_year.population("E92000001", start, "all")
        adm, eng_adm = float(by.loc[(area_code, year)]), float(by.xs(year, level="year").sum())
        rows.append({"year": year, "admissions": adm, "population": own.value,
                     "rate": adm / own.value * 1000.0, "england_admissions": eng_adm,
                     "england_population": eng.value,
                     "england_rate": eng_adm / eng.value * 1000.0, "vintage": own.vintage})
    out = pd.DataFrame(rows)
    out["difference"] = out["rate"] - out["england_rate"]
    return out


# --- delayed transfers ----------------------------------------------------------------------


def dtoc_available(area_code: str) -> bool:
    """Whether NHS England's delayed-transfers series has the area (the City of London, for one,
    is counted with Hackney)."""
    from hwb.errors import DataError
    from hwb.sources import dtoc

    try:
        dtoc.area(dtoc.load_series(), area_code)
    except DataError:
        return False
    return True


def dtoc_known(pva: pd.DataFrame, meeting: Any) -> pd.Series:
    """For each quarter of a DTOC plan-against-actual frame, whether its last month's delays
    were published before the meeting (:mod:`hwb.sources.calendars`)."""
    from hwb.sources import calendars

    return pva["period"].map(lambda p: known_label(
        calendars.published_on("dtoc", periods.months_of(p)[-1]), meeting))


def dtoc_rates(area_code: str) -> pd.DataFrame:
    """Delayed days per 100,000 aged 18+, board and England, by financial year 2015/16-2018/19,
    on each year's own mid-year 18+ estimate.

    The series counts the City of London's delays in Hackney's row and Scilly's in Cornwall's
    (:data:`hwb.sources.dtoc.COMBINED_POPULATION`), so those boards divide by the two
    populations together, as the national summary does.

    Returns
    -------
    DataFrame
        ``year, delayed_days, population, rate, england_rate, difference, vintage``.
    """
    from hwb.sources import dtoc, population_by_year
    from hwb.sources.params import area_names

    series = dtoc.load_series()
    rows = []
    for year in ("2015/16", "2016/17", "2017/18", "2018/19"):
        start = int(year[:4])
        months = periods.months_of(year)
        own = dtoc.area(series, area_code)
        eng = dtoc.area(series, "E92000001")
        days = float(own[own["month"].isin(months)]["total"].sum())
        eng_days = float(eng[eng["month"].isin(months)]["total"].sum())
        pop = population_by_year.population(area_code, start, "18+")
        value = pop.value + sum(population_by_year.population(e, start, "18+").value
                                for e in dtoc.COMBINED_POPULATION.get(area_code, ()))
        eng_pop = population_by_year.population("E92000001", start, "18+")
        added = [area_names().get(e, e) for e in dtoc.COMBINED_POPULATION.get(area_code, ())]
        vintage = pop.vintage + (f", with {' and '.join(added)}'s added (the series counts "
                                 "its delays in this row)" if added else "")
        rows.append({"year": year, "delayed_days": days, "population": value,
                     "rate": days / value * 1e5, "england_rate": eng_days / eng_pop.value * 1e5,
                     "vintage": vintage})
    out = pd.DataFrame(rows)
    out["difference"] = out["rate"] - out["england_rate"]
    return out


# --- ASCOF 2A(2), 2B(1) --------------------------------------------------------------------


def ascof_plan_vs_actual(printed: pd.DataFrame, area_code: str,
                         year: str = "2018/19", meeting: Any = None) -> pd.DataFrame:
    """The template's plan for ``year`` of residential admissions and reablement beside ASCOF.

    Returns
    -------
    DataFrame
        ``metric, measure, title, plan, actual, difference, good, better, known``;
        difference = actual - plan; ``better`` says whether actual beat the plan in
        the direction of good.  Values only: no interval (ASCOF ships no counts,
        and a plan is not an observation).

    Examples
    --------
    Rotherham 2018/19: residential admissions planned 287 / 51,982 x 100,000 = 552.1,
    ASCOF 2A(2) 564.9:

    >>> from hwb.papers.bcf.compute import load_printed
    >>> f = ascof_plan_vs_actual(load_printed("rotherham-2017-09-20"), "E08000018")
    >>> r = f.set_index("measure").loc["2A(2)"]
    >>> round(float(r.plan), 1), float(r.actual), r.better
    (552.1, 564.9, 'worse than plan')
    """
    from hwb.papers.bcf.compute import metric_frame
    from hwb.sources import ascof

    rows = []
    for measure, spec in ascof.MEASURES.items():
        f = metric_frame(printed, spec["metric"])
        f = f[(f["period"] == year) & (f["kind"] == "plan")]
        if f.empty:
            continue
        mult = 100.0 if spec["metric"] == "reab91" else 100_000.0
        plan = float(f["numerator"].iloc[0] / f["denominator"].iloc[0] * mult)
        actual = ascof.value(area_code, measure)
        diff = None if actual is None else actual - plan
        better = (None if diff is None else
                  "better than plan" if (diff < 0) == (spec["good"] == "lower") and diff != 0
                  else "same as plan" if diff == 0 else "worse than plan")
        rows.append({"metric": spec["metric"], "measure": measure, "title": spec["title"],
                     "plan": plan, "actual": actual, "difference": diff, "good": spec["good"],
                     "better": better,
                     "known": known_label(ascof.PUBLISHED_EARLIEST, meeting, "October 2019")})
    return pd.DataFrame(rows, columns=["metric", "measure", "title", "plan", "actual",
                                       "difference", "good", "better", "known"])


def neighbours(area_code: str) -> tuple[list[str], str]:
    """The board's CIPFA nearest neighbours and the model's vintage, or ``([], reason)`` when
    the project does not ship them (:mod:`hwb.sources.cipfa`)."""
    try:
        from hwb.sources import cipfa  # type: ignore[attr-defined]
    except ImportError:
        return [], "CIPFA nearest neighbours are not shipped with this version of the project"
    try:
        return list(cipfa.neighbours(area_code)), str(cipfa.VINTAGE)
    except Exception as e:  # a board the model does not cover  # noqa: BLE001
        return [], f"no CIPFA nearest neighbours for {area_code} ({' '.join(str(e).split())})"


def neighbour_rates(area_code: str, codes: list[str], year: str = "2018/19") -> pd.DataFrame:
    """NEL per 1,000 and delayed days per 100,000 18+ for the board and its comparable councils
    in ``year``: ``area_code, nel_rate, dtoc_rate``, the board first."""
    from hwb.sources import dtoc, population_by_year

    q = _all_boards()
    q = q[q["quarter"].str.startswith(year)].groupby("hwb_code")["value"].sum()
    series = dtoc.load_series()
    months = periods.months_of(year)
    rows = []
    for code in [area_code, *codes]:
        if code not in q.index:
            continue
        try:
            pop = population_by_year.population(code, int(year[:4]), "all").value
            adults = population_by_year.population(code, int(year[:4]), "18+").value
            d = dtoc.area(series, code)
        except Exception:  # noqa: BLE001  (a code the population or DTOC series lacks)
            continue
        days = float(d[d["month"].isin(months)]["total"].sum())
        rows.append({"area_code": code, "nel_rate": float(q[code]) / pop * 1000.0,
                     "dtoc_rate": days / adults * 1e5})
    return pd.DataFrame(rows, columns=["area_code", "nel_rate", "dtoc_rate"])


# --- national runs: the boards of the period ---------------------------------------------------


def coverage(area_codes: list[str], period: str = "2017-19", year: str = "2018/19"
             ) -> pd.DataFrame:
    """The boards a national BCF run builds, and whether each has every metric's actual.

    The BCF 2017-19 boards are the CCG-to-HWB mapping's (Bournemouth and Poole each on its
    own, :func:`hwb.sources.ccg_hwb.split_joint`), not the April 2019 authorities: the
    ``area_codes`` a national run asks about are replaced by the period's own boards, so that
    Bournemouth, Poole and the old Dorset get their appendices and no authority created after
    the plans (Bournemouth, Christchurch and Poole; the unitary Dorset) or counted with another
    (the Isles of Scilly) is asked for. The BCF national summary lists those with the reason.

    Parameters
    ----------
    area_codes : list of str
        The upper-tier codes a national run asks about (its own enumeration); every one that
        is a board is among the rows.
    period : str
        The plan period (only 2017-19 has a mapping).
    year : str
        The year whose actuals decide ``covered`` (the summary's league tables).

    Returns
    -------
    DataFrame
        ``area_code, area_name, covered, reason``: ``covered`` when the board has a value for
        all four metrics in ``year`` (ASCOF: 2018/19); ``reason`` names each missing one.

    Examples
    --------
    >>> c = coverage(["E08000018"]).set_index("area_code")
    >>> len(c), bool(c.loc["E08000018", "covered"]), bool(c.loc["E06000028", "covered"])
    (151, True, True)
    >>> c.loc["E09000001", "reason"]
    'Delayed transfers of care: no row of its own: the series counts it with Hackney'
    """
    from hwb.papers.bcf import england  # the summary's tables: one reading of the data

    tables = {"nel": england.nel_table(year), "dtoc": england.dtoc_table(year),
              "2A(2)": england.ascof_table("2A(2)"), "2B(1)": england.ascof_table("2B(1)")}
    missing = england.coverage(tables)
    missing = missing[missing["metric"] != "every metric"]
    why = missing.groupby("area_code").apply(
        lambda g: "; ".join(f"{m}: {r}" for m, r in zip(g["metric"], g["reason"], strict=True)),
        include_groups=False)
    b = england.boards()
    return pd.DataFrame({"area_code": b["area_code"], "area_name": b["area_name"],
                         "covered": ~b["area_code"].isin(why.index),
                         "reason": b["area_code"].map(why).fillna("")}).reset_index(drop=True)
