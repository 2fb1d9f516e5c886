"""The BCF appendix's actual-performance sections: plan against actual where the paper printed a
plan, and for every board the trend (Making Data Count), the England comparison and the
comparable councils.  Each function records its figures and returns what the section shows."""

from __future__ import annotations

from typing import Any

import pandas as pd

from hwb.fmt import format_number
from hwb.papers import bcf
from hwb.papers.bcf import actuals
from hwb.papers.bcf import charts as bcf_charts
from hwb.sources import ascof, nel
from hwb.toolkit import charts

SRC_DTOC = ("NHS England, Delayed Transfers of Care monthly situation reports, total delayed "
            "days by local authority (revised 2019)")
PLAN_MONTHS = ("2017-04", "2019-03")
"""The months of the 2017-19 plans."""


def _pid(period: str) -> str:
    return period.replace("/", "-").replace(" ", "").lower()


def _late(known: str) -> bool:
    return known.startswith("hindsight")


def _better(diff: float | None, good: str) -> str:
    if diff is None or pd.isna(diff):
        return "no actual"
    if diff == 0:
        return "as planned"
    return "better than plan" if (diff < 0) == (good == "lower") else "worse than plan"


def _pva_rows(app: Any) -> list[dict[str, Any]]:
    """Plan against actual, one row per metric and period (NEL, DTOC by quarter; ASCOF 2018/19)."""
    P, printed = app.params, app.printed  # noqa: N806
    rows: list[dict[str, Any]] = []
    if "nea" in P.metrics_published:
        for _, r in actuals.nel_plan_vs_actual(printed, P.area_code, P.meeting_date).iterrows():
            rows.append({"metric": "nea", "period": r["period"], "plan": r["plan"],
                         "actual": r["actual"], "difference": r["difference"], "good": "lower",
                         "known": r["known"], "decimals": 0})
    if "dtoc" in P.metrics_published:
        pva = bcf.dtoc_plan_vs_actual(printed, bcf.dtoc_actuals(P.area_code))
        pva = pva[pva["kind"] == "plan"]
        for (_, r), k in zip(pva.iterrows(), actuals.dtoc_known(pva, P.meeting_date), strict=True):
            rows.append({"metric": "dtoc", "period": r["period"], "plan": r["template_rate"],
                         "actual": r["actual_rate"], "difference": r["difference"],
                         "good": "lower", "known": k, "decimals": 1})
    if {"res65", "reab91"} & set(P.metrics_published):
        for _, r in actuals.ascof_plan_vs_actual(printed, P.area_code, "2018/19",
                                                 P.meeting_date).iterrows():
            rows.append({"metric": r["metric"], "period": "2018/19", "plan": r["plan"],
                         "actual": r["actual"], "difference": r["difference"], "good": r["good"],
                         "known": r["known"], "decimals": 1})
    return rows


def plan_vs_actual(app: Any) -> list[Any]:
    """Every metric and period the data reach: the plan as printed against the actual."""
    P, rec = app.params, app.rec  # noqa: N806
    rows = _pva_rows(app)
    if not rows:
        return [rec.say("This board's paper printed no plan for the BCF metrics, so no plan can "
                        "be set against the actuals; the actual performance follows.")]
    shown = []
    for r in rows:
        pid, m = _pid(r["period"]), r["metric"]
        late = _late(r["known"])
        what = f"{bcf.METRICS[m]['title']}, {r['period']}"
        actual = rec.record(f"pva.{m}.{pid}.actual", f"{what}: actual", r["actual"], "",
                            r["decimals"], hindsight=late,
                            method="actual as published (see the methods)")
        plan = rec.record(f"pva.{m}.{pid}.plan", f"{what}: plan", r["plan"], "", r["decimals"],
                          method="the plan as printed")
        diff = rec.record(f"pva.{m}.{pid}.difference", f"{what}: actual - plan", r["difference"],
                          "", r["decimals"], hindsight=late, method="actual - plan")
        r["better"] = _better(r["difference"], r["good"])
        shown.append({"Metric": bcf.METRICS[m]["title"], "Period": r["period"], "Plan": plan,
                      "Actual": actual, "Actual - plan": diff,
                      "Against the plan": r["better"], "As known": r["known"]})
    n_worse = sum(r["better"] == "worse than plan" for r in rows)
    n_known = sum(not _late(r["known"]) for r in rows)
    rec.record("pva.compared", "Metric periods with a plan and an actual",
               sum(r["better"] != "no actual" for r in rows))
    rec.record("pva.worse", "Metric periods whose actual was worse than the plan", n_worse,
               hindsight=n_known < len(rows))
    rec.record("pva.known", "Metric periods whose actual was published before the meeting",
               n_known)
    table = charts.table(
        pd.DataFrame(shown), "Plan against actual for every metric and period the data reach: "
        "the plan as printed; actuals from NHS England (non-elective admissions, MAR, apportioned "
        "from CCGs; delayed days, on the template's 18+ populations) and ASCOF 2018/19.",
        f"{app.src_paper}; {nel.SOURCE}; {SRC_DTOC}; {ascof.SOURCE}",
        notes=["A plan carries no interval, and nor do the actuals here: admissions and "
               "delayed days are not independent events. " + ascof.NO_INTERVAL,
               "As known: whether the actual had been published before the board met; "
               "'hindsight' rows could not have been known at the meeting."])
    say = rec.say("Of the {pva.compared} metric periods with a plan and a published actual, "
                  "{pva.worse} were worse than planned; {pva.known} of them had been published "
                  "before the meeting. Whether performance changed is judged below from the "
                  "monthly series, not from these differences.")
    out = [table, say]
    if "nea" in P.metrics_published:
        out.append(_nel_plan_chart(app))
        out.append(rec.say(
            f"The plan for {P.plan_years[0]} differs from the 2016/17 actual admissions, "
            "counted as here, by {nel.plan_vs_2016_17}. The CCG operating plans it was "
            "apportioned from are not published and may count admissions differently from the "
            "Monthly Activity Return, so the gap to the plan says less than whether the monthly "
            "series changed."))
    return out


def _nel_plan_chart(app: Any) -> Any:
    """The NEL plan chart, and how the plan compares with the year before it."""
    P, rec, printed = app.params, app.rec, app.printed  # noqa: N806
    pva = actuals.nel_plan_vs_actual(printed, P.area_code, P.meeting_date)
    base = actuals.nel_quarters(P.area_code)
    base = base[base["period"].str.startswith("2016/17")]["actual"].sum()
    first = pva[pva["period"].str.startswith(P.plan_years[0])]["plan"].sum()
    rec.record("nel.plan_vs_2016_17", f"Plan for {P.plan_years[0]} against the 2016/17 actual "
               "admissions (MAR, apportioned)", (first - base) / base * 100.0, "percent", 1,
               method="(sum of the planned quarters - 2016/17 actual) / 2016/17 actual")
    return bcf_charts.nel_pva_chart(pva, f"{app.src_paper}; {nel.SOURCE}", rec=rec)


def _spc_records(app: Any, key: str, frame: pd.DataFrame, summary: Any, source: str) -> None:
    rec = app.rec
    plan = frame[(frame["x"] >= PLAN_MONTHS[0]) & (frame["x"] <= PLAN_MONTHS[1])]
    known = plan[~plan["known"].map(_late)]
    for verdict, name in (("special cause concern", "concern"),
                          ("special cause improvement", "improvement")):
        rec.record(f"{key}.spc.{name}", f"Plan-period months with {verdict} ({source})",
                   int((plan["verdict"] == verdict).sum()), method=summary.method,
                   hindsight=len(known) < len(plan))
        rec.record(f"{key}.spc.known_{name}", f"Of those, months published before the meeting "
                   f"({source})", int((known["verdict"] == verdict).sum()), method=summary.method)
    rec.record(f"{key}.spc.months", f"Plan-period months charted ({source})",
               int(plan["value"].notna().sum()))
    rec.record(f"{key}.spc.last", f"Variation at the last month charted ({source})",
               summary.variation, method=summary.method, hindsight=_late(frame["known"].iloc[-1]))


def trends(app: Any) -> list[Any]:
    """Non-elective admissions and delayed days a day as XmR charts: does actual performance
    show special cause against 2016/17?"""
    P, rec = app.params, app.rec  # noqa: N806
    from hwb.sources import calendars

    nf, ns = actuals.nel_spc(P.area_code)
    nf["known"] = [actuals.known_label(p, P.meeting_date) for p in nf["published"]]
    _spc_records(app, "actual.nel", nf, ns, "non-elective admissions a day")
    met = P.meeting_date is not None
    nel_chart = bcf_charts.spc_shown(nf, ns, f"Non-elective admissions a day, {P.area_name}",
                                     "admissions a day", f"non-elective admissions a day in "
                                     f"{P.area_name}", nel.SOURCE, rec=rec,
                                     fid="actual.nel.spc")
    if not actuals.dtoc_available(P.area_code):
        return [nel_chart, rec.say(
            "Of the {actual.nel.spc.months} plan-period months of non-elective admissions, "
            "{actual.nel.spc.concern} show special cause concern and "
            "{actual.nel.spc.improvement} special cause improvement; the last month shows "
            "{actual.nel.spc.last}. NHS England's delayed-transfers series has no figures for "
            "this area on its own.")]
    df, ds = bcf.dtoc_spc(P.area_code)
    df["known"] = [actuals.known_label(calendars.published_on("dtoc", m), P.meeting_date)
                   for m in df["x"]]
    _spc_records(app, "actual.dtoc", df, ds, "delayed days a day")
    say = rec.say(
        "Of the {actual.nel.spc.months} plan-period months of non-elective admissions, "
        "{actual.nel.spc.concern} show special cause concern (more admissions than 2016/17's "
        "process would give) and {actual.nel.spc.improvement} special cause improvement"
        + ("; {actual.nel.spc.known_concern} concern months had been published before the "
           "meeting" if met else "") + ". The last month shows {actual.nel.spc.last}. For "
        "delayed days, {actual.dtoc.spc.concern} of {actual.dtoc.spc.months} months show "
        "special cause concern and {actual.dtoc.spc.improvement} improvement"
        + (" ({actual.dtoc.spc.known_concern} concern months known at the meeting)" if met
           else "") + "; the last month shows {actual.dtoc.spc.last}.")
    return [
        nel_chart,
        bcf_charts.spc_shown(df, ds, f"Delayed days a day, {P.area_name}", "delayed days a day",
                             f"delayed days a day in {P.area_name}", SRC_DTOC, rec=rec,
                             fid="actual.dtoc.spc"),
        say]


def england(app: Any) -> list[Any]:
    """The board against England by year: NEL per 1,000 population, delayed days per 100,000
    aged 18+, each year on its own mid-year estimate; ASCOF 2018/19."""
    P, rec = app.params, app.rec  # noqa: N806
    n = actuals.nel_rates(P.area_code)
    d = actuals.dtoc_rates(P.area_code) if actuals.dtoc_available(P.area_code) else None
    rows = []
    for i, a in n.iterrows():
        y = _pid(a["year"])
        pairs = [("nel", a, 2, "Non-elective admissions per 1,000 population")]
        if d is not None:
            pairs.append(("dtoc", d.loc[i], 1, "Delayed days per 100,000 aged 18+"))
        for key, r, dec, what in pairs:
            own = rec.record(f"actual.{key}.rate.{y}", f"{what}, {a['year']}", r["rate"], "",
                             dec, vintage=r["vintage"],
                             method="count / own-year mid-year estimate")
            eng = rec.record(f"actual.{key}.england.{y}", f"{what}, England, {a['year']}",
                             r["england_rate"], "", dec, vintage=r["vintage"])
            rows.append({"Measure": what, "Year": a["year"], P.area_name: own, "England": eng,
                         "Difference": format_number(r["difference"], dec),
                         "Population": r["vintage"]})
    c = ascof.compared(P.area_code)
    for _, r in c.iterrows():
        key = ascof.MEASURES[r["measure"]]["metric"]
        own = rec.record(f"actual.{key}.2018-19", f"{r['title']}, 2018/19", r["value"], "", 1,
                         method="ASCOF as published")
        rec.record(f"actual.{key}.rank", f"{r['title']}: rank among {r['of']} councils "
                   "(1 = best)", r["rank"])
        rec.record(f"actual.{key}.ranked", f"{r['title']}: councils ranked, 2018/19", r["of"])
        rows.append({"Measure": f"{r['title']} (ASCOF {r['measure']})", "Year": "2018/19",
                     P.area_name: own,
                     "England": format_number(r["england"], 1),
                     "Difference": format_number(r["difference"], 1),
                     "Population": "as published by NHS Digital"})
    return [charts.table(
        pd.DataFrame(rows), f"{P.area_name} against England, by year (non-elective admissions "
        "and delayed days) and for 2018/19 (ASCOF).", f"{nel.SOURCE}; {SRC_DTOC}; {ascof.SOURCE}",
        notes=["England's non-elective admissions are the sum over boards (England less NHS "
               "England's direct commissioning).", "Plain differences: no interval, since "
               "admissions and delayed days are not independent events. " + ascof.NO_INTERVAL])]


def neighbours(app: Any) -> list[Any]:
    """The board among its CIPFA nearest neighbours, 2018/19."""
    P, rec = app.params, app.rec  # noqa: N806
    codes, vintage = actuals.neighbours(P.area_code)
    if not codes:
        return [rec.say(f"Comparable councils: {vintage}.")]
    rates = actuals.neighbour_rates(P.area_code, codes)
    t = ascof.load()
    for m in ascof.MEASURES:
        rates[m] = [ascof.value(c, m, t) for c in rates["area_code"]]
    own, near = rates.iloc[0], rates.iloc[1:]
    for col, dec, what in (("nel_rate", 2, "Non-elective admissions per 1,000"),
                           ("dtoc_rate", 1, "Delayed days per 100,000 aged 18+"),
                           ("2A(2)", 1, "ASCOF 2A(2)"), ("2B(1)", 1, "ASCOF 2B(1)")):
        key = col.replace("(", "").replace(")", "").lower()
        rec.record(f"neighbours.{key}.median", f"{what}, 2018/19: median of the comparable "
                   "councils", near[col].median(), "", dec, vintage=vintage)
        rec.record(f"neighbours.{key}.own", f"{what}, 2018/19: {P.area_name}", own[col], "", dec)
    rec.record("neighbours.n", "Comparable councils with data", len(near), vintage=vintage)
    names = t.drop_duplicates("area_code").set_index("area_code")["area_name"]
    rates.insert(1, "name", rates["area_code"].map(names))
    shown = rates.astype(object)
    for col, dec in (("nel_rate", 2), ("dtoc_rate", 1), ("2A(2)", 1), ("2B(1)", 1)):
        cells = [format_number(v, dec) for v in rates[col]]
        # the board's own row holds its recorded figures
        cells[0] = rec.cell(f"neighbours.{col.replace('(', '').replace(')', '').lower()}.own",
                            cells[0])
        shown[col] = cells
    return [charts.table(
        shown.rename(columns={"area_code": "Code", "name": "Council", "nel_rate": "NEL per 1,000",
                              "dtoc_rate": "Delayed days per 100,000 18+"}),
        f"{P.area_name} (first row) and its comparable councils, 2018/19 ({vintage}).",
        f"{nel.SOURCE}; {SRC_DTOC}; {ascof.SOURCE}; {vintage}"),
        rec.say("Among {neighbours.n} comparable councils the median non-elective admissions "
                "rate was {neighbours.nel_rate.median} per 1,000 (" + P.area_name +
                " {neighbours.nel_rate.own}) and the median delayed days "
                "{neighbours.dtoc_rate.median} per 100,000 aged 18+ (" + P.area_name +
                " {neighbours.dtoc_rate.own}).")]


def key_messages(app: Any) -> list[Any]:
    """The actual-performance key messages: the last month's variation and 2018/19 against
    England (every figure recorded by the sections above)."""
    rec = app.rec
    dtoc_line = ("* Delayed transfers: the last month charted shows {actual.dtoc.spc.last}; in "
                 "2018/19 {actual.dtoc.rate.2018-19} delayed days per 100,000 aged 18+ against "
                 "England's {actual.dtoc.england.2018-19}.\n"
                 if actuals.dtoc_available(app.params.area_code) else "")
    return [rec.say(
        "* Non-elective admissions: the last month charted shows {actual.nel.spc.last} against "
        "2016/17; in 2018/19 {actual.nel.rate.2018-19} per 1,000 population against England's "
        "{actual.nel.england.2018-19}.\n" + dtoc_line +
        "* ASCOF 2018/19: residential admissions {actual.res65.2018-19} per 100,000 aged 65+ "
        "(rank {actual.res65.rank} of {actual.res65.ranked}, fewest first); still at home after "
        "reablement {actual.reab91.2018-19}% (rank {actual.reab91.rank} of "
        "{actual.reab91.ranked}, highest first).")]


__all__ = ["england", "key_messages", "neighbours", "plan_vs_actual", "trends"]
