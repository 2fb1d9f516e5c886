"""The BCF appendix section by section: each function records its figures and returns what the
section shows (tables, charts, sentences), so the notebook only calls them in order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from hwb import periods
from hwb.fmt import format_number
from hwb.papers import bcf
from hwb.papers.bcf import charts as bcf_charts
from hwb.sources import ccg_hwb, data
from hwb.toolkit import charts, figures

SRC_DTOC_TEXT = (
    "NHS England, Delayed Transfers of Care monthly situation reports, total delayed "
    "days by local authority (revised 2019)"
)


EXPECTATION_MONTH = "2017-09"
"""The month the printed national DTOC expectation was set for (the plan's narrative)."""


def _gbp(v: float) -> str:
    """Pounds for tables ([x] when undefined)."""
    return format_number(v, 0, "GBP")


def _slug(text: str) -> str:
    """Words as part of a figure id, lower case and hyphenated.

    Examples
    --------
    >>> _slug("Local Authority Social Services (not a funding line)")
    'local-authority-social-services-not-a-funding-line'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _pounds(rec: figures.Recorder, id: str, label: str, value: float, method: str,
            held: str = "") -> Any:
    """A table's amount as a recorded figure: the figure ``held`` when it already shows the same
    pounds (a check of the same sum), else recorded under ``id``; undefined stays ``[x]``."""
    if pd.isna(value):
        return "[x]"
    if held:
        cell = rec.cell(held, _gbp(value))
        if not isinstance(cell, str):
            return cell
    return rec.record(id, label, value, "GBP", 0, method=method)


@dataclass
class Appendix:
    """One run of the appendix: its parameters, recorder and printed figures, and what the
    sections share (the checks made, the metric tables, the scheme lines)."""

    params: Any
    rec: figures.Recorder
    printed: pd.DataFrame
    found: list[Any] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def src_paper(self) -> str:
        p = self.params
        if p.meeting_date is None:  # no printed paper: the appendix itself
            return f"{p.board_name}: {p.paper_title}"
        return f"{p.board_name}, {p.meeting_date}, item {p.agenda_item}: {p.paper_title}"

    @property
    def conf_text(self) -> str:
        return f"{self.params.confidence:.0%}"

    def show(self, cs: list[Any]) -> None:
        """Record each check (compared with its printed figure) and keep it for the checks table."""
        for c in cs:
            self.rec.record(**c.record_kwargs())
        self.found.extend(cs)


def metric_status(app: Appendix) -> list[Any]:
    """The four metrics: definitions, direction of good, and whether the paper printed each."""
    P, rec = app.params, app.rec  # noqa: N806
    SRC_PAPER = app.src_paper  # noqa: N806
    shown: list[Any] = []
    metric_status = pd.DataFrame(
        [
            {
                "Metric": bcf.METRICS[m]["title"],
                "Definition": bcf.METRICS[m]["definition"],
                "Direction of good": bcf.METRICS[m]["good"] + " is better",
                "In this paper": rec.record(
                    f"published.{m}",
                    f"Whether the paper printed: {bcf.METRICS[m]['title']}",
                    "printed"
                    if m in P.metrics_published
                    else "not published in this board's paper",
                ).text,
            }
            for m in ("nea", "res65", "reab91", "dtoc")
        ]
    )
    shown.append(
        charts.table(
            metric_status,
            "The four BCF metrics: definitions as in the planning requirements, "
            "direction of good, and whether this board's paper printed them.",
            SRC_PAPER,
        )
    )
    return shown


def nea(app: Appendix) -> list[Any]:
    """The non-elective admissions plan: checks and the plan chart."""
    P, rec, printed = app.params, app.rec, app.printed  # noqa: N806
    SRC_PAPER = app.src_paper  # noqa: N806
    shown: list[Any] = []
    if "nea" in P.metrics_published:
        nea_checks = bcf.nea_checks(printed, P.plan_years)
        app.show(nea_checks)
        nea_chart = bcf_charts.nea_chart(printed, SRC_PAPER, rec=rec)
    else:
        nea_chart = rec.say("Non-elective admissions were {published.nea}.")
    shown.append(nea_chart)
    return shown


def intervals(app: Appendix) -> list[Any]:
    """Each printed rate recomputed, with an interval where a sampling model holds."""
    P, rec, printed = app.params, app.rec, app.printed  # noqa: N806
    SRC_PAPER, CONF_TXT = app.src_paper, app.conf_text  # noqa: N806
    shown: list[Any] = []
    metric_tables = app.state.setdefault("metric_tables", {})
    for mi in ("res65", "reab91", "dtoc"):
        if mi in P.metrics_published:
            app.show(bcf.metric_checks(printed, mi))
            metric_tables[mi] = bcf.with_intervals(bcf.metric_frame(printed, mi), mi, P.confidence)
    interval_rows = []
    for mi, ti in metric_tables.items():
        spec_i = bcf.METRICS[mi]
        for _, ri in ti.iterrows():
            pid_i = ri["period"].replace("/", "-").replace(" ", "").lower()
            limits = {}
            for end in ("lower", "upper") if pd.notna(ri["lower"]) else ():
                limits[end] = rec.record(
                    f"{mi}.{pid_i}.{end}",
                    f"{spec_i['title']}, {ri['period']} {ri['kind']}: "
                    f"{end} {CONF_TXT} confidence limit",
                    ri[end],
                    "",
                    spec_i["decimals"],
                    method=f"{ri['method']}, {CONF_TXT}",
                )
            interval_rows.append(
                {
                    "Metric": spec_i["title"],
                    "Period": ri["period"],
                    "Actual or plan": ri["kind"],
                    "Numerator": format_number(ri["numerator"], 0),
                    "Denominator": format_number(ri["denominator"], 0),
                    "Printed": ri["printed"],
                    "Recomputed": rec.record(
                        f"{ri['figure_id']}.unrounded",
                        f"{spec_i['title']}, {ri['period']} {ri['kind']}: recomputed from the "
                        "printed numerator and denominator, two more decimals than printed",
                        ri["value"], "", spec_i["decimals"] + 2,
                        method="printed numerator / printed denominator"),
                    f"Lower {CONF_TXT}": limits.get("lower", "[x]"),
                    f"Upper {CONF_TXT}": limits.get("upper", "[x]"),
                    "Method": f"{ri['method']} ({ri['statistic']})",
                }
            )
    shown.append(
        charts.table(
            pd.DataFrame(interval_rows),
            f"Each printed rate or proportion recomputed from its printed numerator and "
            f"denominator, with a {CONF_TXT} confidence interval where a sampling model holds "
            f"(Wilson score for proportions; Byar, or exact Poisson below 10 events, for rates "
            f"of independent events).",
            SRC_PAPER,
            notes=[
                "[x]: no interval. A plan is a target, not an observation, so it carries no "
                "interval; delayed days are not independent events (one person delayed for "
                "a month is some thirty delayed days), so no Poisson interval fits them."
            ],
        )
        if interval_rows
        else rec.say(
            "No rates or proportions were printed: "
            "residential admissions {published.res65}, "
            "reablement {published.reab91}, delayed transfers "
            "{published.dtoc}."
        )
    )
    return shown


def dtoc(app: Appendix) -> list[Any]:
    """Delayed transfers: actual numerators, the gap, plan against actual and the chart."""
    P, rec, printed = app.params, app.rec, app.printed  # noqa: N806
    SRC_PAPER, SRC_DTOC = app.src_paper, SRC_DTOC_TEXT  # noqa: N806
    shown: list[Any] = []
    if "dtoc" in P.metrics_published:
        dtoc_q = bcf.dtoc_actuals(P.area_code)
        app.show(bcf.dtoc_actual_checks(printed, dtoc_q))
        if "template" in P.money_tables:
            app.show([bcf.dtoc_gap_check(printed, P.area_code)])
        pva = bcf.dtoc_plan_vs_actual(printed, dtoc_q)
        for _, rd in pva[pva["kind"] == "plan"].iterrows():
            pid_d = rd["period"].replace("/", "-").replace(" ", "").lower()
            rec.record(
                f"dtoc.actual_rate.{pid_d}",
                f"Actual delayed days per 100,000 aged 18+, {rd['period']}",
                rd["actual_rate"],
                "",
                1,
                method="NHS England delayed days / the template's 18+ population x 100,000",
            )
        plan_q = pva[pva["kind"] == "plan"].dropna(subset=["actual_rate"])
        rec.record(
            "dtoc.quarters_planned", "Planned quarters with published actual delays", len(plan_q)
        )
        rec.record(
            "dtoc.quarters_above_plan",
            "Planned quarters whose actual delays were above the plan (lower is better)",
            int((plan_q["difference"] > 0).sum()),
        )
        shown.append(
            rec.say(
                "Of the {dtoc.quarters_planned} planned quarters with published actuals, "
                "{dtoc.quarters_above_plan} had more delays than planned. These are plain "
                "differences: no interval is put around delayed days, which are not "
                "independent events, and none around a plan."
            )
        )
        shown.append(_dtoc_spc_say(app))
        shown.append(_dtoc_per_day_say(app, pva))
        dtoc_chart = bcf_charts.dtoc_chart(pva, f"{SRC_PAPER}; {SRC_DTOC}", rec=rec)
    else:
        dtoc_chart = rec.say(
            "Delayed transfers of care were {published.dtoc} (the board's DTOC paper reports them)."
        )
    shown.append(dtoc_chart)
    return shown


def _dtoc_spc_say(app: Appendix) -> Any:
    """The sentence on special cause in the plan-year months of delayed days a day."""
    P, rec = app.params, app.rec  # noqa: N806
    spc_frame, spc_summary = bcf.dtoc_spc(P.area_code)
    in_plan = spc_frame[spc_frame["x"] >= periods.months_of(P.plan_years[0])[0]]
    for key, verdict in (("concern", "special cause concern"),
                         ("improvement", "special cause improvement")):
        rec.record(f"dtoc.spc.{key}_months", f"Plan-year months showing {verdict} against "
                   "the 2016/17 baseline (delayed days a day)",
                   int((in_plan["verdict"] == verdict).sum()), method=spc_summary.method)
    rec.record("dtoc.spc.months", "Plan-year months with published delays",
               int(in_plan["value"].notna().sum()))
    rec.record("dtoc.spc.last", "Variation at the last month charted",
               spc_summary.variation, method=spc_summary.method)
    return (
        rec.say(
            "Whether actual performance changed is judged with a statistical process "
            "control (XmR) chart of the monthly delayed days a day, its mean and limits "
            "fixed on 2016/17 (NHS England, Making Data Count): of the {dtoc.spc.months} "
            "plan-year months, {dtoc.spc.concern_months} show special cause concern and "
            "{dtoc.spc.improvement_months} special cause improvement; the last month "
            "charted shows {dtoc.spc.last}."
        )
    )


def _dtoc_per_day_say(app: Appendix, pva: pd.DataFrame) -> Any:
    """The planned quarters as people delayed a day against the national expectation."""
    rec, printed = app.rec, app.printed
    per_day = bcf.dtoc_per_day(pva)
    expectation = bcf.value(
        printed, "dtoc_people_delayed_per_100k_adults", EXPECTATION_MONTH, contains="total"
    )
    # the national expectation is for September 2017: it applies from 2017/18 Q2 only
    plan_days = bcf.applies_from(per_day[per_day["kind"] == "plan"], EXPECTATION_MONTH)
    rec.record(
        "dtoc.plan_per_day.max",
        "Highest planned quarter from the expectation's month, as people delayed on an "
        "average day per 100,000 aged 18+",
        plan_days["template_per_day"].max(),
        "",
        1,
        method="planned quarterly rate / days in the quarter",
    )
    rec.record(
        "dtoc.plan_per_day.min",
        "Lowest planned quarter from the expectation's month, as people delayed on an "
        "average day per 100,000 aged 18+",
        plan_days["template_per_day"].min(),
        "",
        1,
        method="planned quarterly rate / days in the quarter",
    )
    rec.record(
        "dtoc.expectation",
        "National expectation: people delayed per 100,000 adults",
        expectation,
        "",
        1,
        method="as printed in the plan's narrative",
    )
    return (
        rec.say(
            f"As an average per day, the planned quarters from "
            f"{periods.financial_quarter(EXPECTATION_MONTH)} (the national expectation is "
            f"for {periods.month_label(EXPECTATION_MONTH)} on, so it is not applied to "
            "earlier quarters) range from "
            "{dtoc.plan_per_day.min} to {dtoc.plan_per_day.max} people delayed per "
            "100,000 aged 18+, against the national expectation of not more than "
            "{dtoc.expectation}."
        )
    )


def trajectories(app: Appendix) -> list[Any]:
    """Residential admissions and reablement: actual and plan charts."""
    metric_tables = app.state.get("metric_tables", {})
    rec = app.rec
    SRC_PAPER, CONF_TXT = app.src_paper, app.conf_text  # noqa: N806
    shown: list[Any] = []
    traj_charts = [
        bcf_charts.metric_chart(metric_tables[mt], bcf.METRICS[mt], SRC_PAPER, CONF_TXT,
                                rec=rec, fid=f"{mt}.chart")
        if mt in metric_tables
        else rec.say(f"{bcf.METRICS[mt]['title']}: {{published.{mt}}}.")
        for mt in ("res65", "reab91")
    ]
    for ct in traj_charts:
        shown.append(ct)
    return shown


def narrative(app: Appendix) -> list[Any]:
    """The narrative's figures about the metrics against the template."""
    P, rec, printed = app.params, app.rec, app.printed  # noqa: N806
    SRC_PAPER = app.src_paper  # noqa: N806
    shown: list[Any] = []
    if "res65" in P.metrics_published:
        narrative_checks = bcf.narrative_metric_checks(printed)
        app.show(narrative_checks)
        narrative_tbl = bcf.checks_frame(narrative_checks, rec)
    else:
        narrative_tbl = pd.DataFrame(columns=["figure", "what", "check", "status", "reason"])
    shown.append(
        charts.table(
            narrative_tbl, "Narrative figures about the metrics against the template.", SRC_PAPER
        )
        if len(narrative_tbl)
        else rec.say(
            "The paper printed no narrative about the metrics: residential admissions "
            "{published.res65}."
        )
    )
    return shown


def money(app: Appendix) -> list[Any]:
    """Funding by source and the reconciliation of the pooled budget with the scheme lines."""
    P, rec, printed = app.params, app.rec, app.printed  # noqa: N806
    SRC_PAPER = app.src_paper  # noqa: N806
    gbp = _gbp
    shown: list[Any] = []
    if "template" in P.money_tables:
        schemes = app.state["schemes"] = bcf.load_schemes()
        app.show(bcf.money_checks_rotherham(printed, schemes, P.plan_years))
        funding = bcf.funding_by_source(printed, P.plan_years)
        shown.append(
            charts.table(
                funding.assign(**{y: funding[y].map(gbp) for y in P.plan_years}),
                "Funding by source (template tab 2), as printed.",
                SRC_PAPER,
            )
        )
        recon = bcf.explain_remainders(
            bcf.reconcile(printed, schemes, P.plan_years), printed, schemes
        )
        rec.record(
            "remainders.unexplained",
            "Reconciliation remainders equal to no other figure",
            int((recon["explained_by"] == "unexplained").sum()),
        )
        remainders = recon["remainder"].map(gbp).astype(object)
        spent = recon["expenditure"].map(gbp).astype(object)
        for i_rm, rm in recon.iterrows():
            yid, what = rm["year"].replace("/", "-"), f"{rm['source']}, {rm['year']}"
            pooled = rm["source"] == "Total BCF pooled budget"
            total = bcf.row(printed, "bcf_expenditure_by_area_of_spend", rm["year"],
                            contains="Total")["figure_id"] if pooled else ""
            spent[i_rm] = _pounds(rec, f"money.recon.{yid}.{_slug(rm['source'])}.expenditure",
                                  f"Printed scheme lines naming {what}", rm["expenditure"],
                                  "sum of tab 3 lines", held=total)
            if pooled:
                remainders[i_rm] = rec.record(
                    f"remainder.pooled.{yid}",
                    f"Pooled budget less the printed scheme lines, {rm['year']}",
                    rm["remainder"],
                    "GBP",
                    0,
                    method="tab 2 pooled budget - sum of tab 3 lines",
                )
            else:
                remainders[i_rm] = _pounds(
                    rec, f"money.recon.{yid}.{_slug(rm['source'])}.remainder",
                    f"{what}: funding less the scheme lines naming it", rm["remainder"],
                    "tab 2 funding line - sum of the tab 3 lines naming it")
        money_tbl = charts.table(
            recon.assign(
                funding=recon["funding"].map(gbp),
                expenditure=spent,
                remainder=remainders,
            )[["source", "year", "funding", "expenditure", "remainder", "explained_by"]],
            "Funding by source (template tab 2) against the scheme lines naming that source "
            "(tab 3), with the remainder and the other figure it equals.",
            SRC_PAPER,
            notes=["[x]: the scheme lines name a source that is not one of tab 2's funding lines."],
        )
    else:
        money_tbl = rec.say("This board's paper printed no planning template.")
    shown.append(money_tbl)
    return shown


def spend_by_area(app: Appendix) -> list[Any]:
    """Expenditure by area of spend, the template's answers and every scheme line."""
    schemes = app.state["schemes"] if "schemes" in app.state else bcf.load_schemes()
    P, rec, printed = app.params, app.rec, app.printed  # noqa: N806
    SRC_PAPER = app.src_paper  # noqa: N806
    gbp = _gbp
    shown: list[Any] = []
    if "template" in P.money_tables:
        areas = bcf.area_remainders(printed, schemes, P.plan_years)
        by_lines, left = [], []
        for _, ra in areas.iterrows():
            aid = f"money.area.{ra['year'].replace('/', '-')}.{_slug(ra['area'])}"
            check = bcf.row(printed, "bcf_expenditure_by_area_of_spend", ra["year"],
                            contains=ra["area"])["figure_id"]
            by_lines.append(_pounds(rec, f"{aid}.schemes", f"Printed scheme lines for "
                                    f"{ra['area']}, {ra['year']}", ra["schemes"],
                                    "sum of tab 3 lines by area of spend", held=check))
            left.append(_pounds(rec, f"{aid}.remainder", f"Summary tab less the printed scheme "
                                f"lines, {ra['area']}, {ra['year']}", ra["remainder"],
                                "summary tab - sum of tab 3 lines"))
        area_tbl = charts.table(
            areas.assign(
                summary=areas["summary"].map(gbp),
                schemes=by_lines,
                remainder=left,
            )[["area", "year", "summary", "schemes", "remainder"]],
            "Expenditure by area of spend: the summary tab against the printed scheme lines.",
            SRC_PAPER,
            notes=[
                "A remainder is spending the summary tab counts that no printed "
                "scheme line carries."
            ],
        )
        sch_show = schemes.assign(expenditure=schemes["expenditure"].map(gbp))[
            [
                "scheme_id",
                "scheme_name",
                "scheme_type",
                "area_of_spend",
                "commissioner",
                "provider",
                "source_of_funding",
                "duration",
                "year",
                "expenditure",
            ]
        ]
        shown.append(area_tbl)
        answers = data.read_csv(data.path(bcf.ANSWERS_FILE), dtype=str)
        shown.append(
            charts.table(
                answers[answers["area"] == P.area_name][
                    ["question_key", "category", "period", "answer", "line"]
                ].rename(
                    columns={
                        "question_key": "Question",
                        "category": "Detail",
                        "period": "Year",
                        "answer": "Answer as printed",
                        "line": "Line",
                    }
                ),
                "The template's yes/no answers: national conditions and specific funding "
                "requirements.",
                SRC_PAPER,
            )
        )
        conflicts = bcf.duration_conflicts(schemes)
        rec.record(
            "schemes.duration_conflicts",
            "Scheme lines whose duration contradicts their expenditure",
            len(conflicts),
        )
        if len(conflicts):
            shown.append(
                charts.table(
                    conflicts.assign(expenditure=conflicts["expenditure"].map(gbp)),
                    "Scheme lines with expenditure in a year their stated duration excludes.",
                    SRC_PAPER,
                )
            )
        shown.append(
            charts.table(
                sch_show, "Every scheme line of the expenditure plan (template tab 3).", SRC_PAPER
            )
        )
    return shown


def narrative_money(app: Appendix) -> list[Any]:
    """Tables 8 and 9, the risk register and the Improved BCF."""
    schemes = app.state["schemes"] if "schemes" in app.state else bcf.load_schemes()
    P, rec, printed = app.params, app.rec, app.printed  # noqa: N806
    SRC_PAPER = app.src_paper  # noqa: N806
    gbp = _gbp
    shown: list[Any] = []
    if "narrative" in P.money_tables:
        app.show(bcf.table8_checks(printed))
        app.show(bcf.table9_vs_template(printed, schemes))
        app.show(
            bcf.table9_checks(
                printed,
                bcf.row(printed, "bcf_income", P.plan_years[0], contains="Total BCF pooled"),
            )
        )
        app.show(bcf.risk_checks(printed))
    if "ibcf" in P.money_tables:
        app.show(bcf.ibcf_checks(printed, schemes))
        ibcf_rec = bcf.ibcf_reconcile(printed, schemes)
        ibcf_left = []
        for i_ib, r_ib in ibcf_rec.iterrows():
            ibcf_left.append(rec.record(
                f"ibcf.remainder.{i_ib}",
                f"{r_ib['allocation']} less {r_ib['uses']}",
                r_ib["remainder"],
                "GBP",
                0,
                method="allocation - sum of the itemised uses",
            ))
        shown.append(
            charts.table(
                ibcf_rec.assign(
                    amount=ibcf_rec["amount"].map(gbp),
                    itemised=ibcf_rec["itemised"].map(gbp),
                    remainder=ibcf_left,
                ),
                "Improved BCF 2017/18: each allocation against the uses itemised for it, with the "
                "remainder.",
                SRC_PAPER,
                notes=[
                    "Table 9's 'Improved BCF Contingency Fund' is compared with the first "
                    "remainder in "
                    "the figures check."
                ],
            )
        )
        uses = bcf.ibcf_uses(printed)
        shown.append(
            charts.table(
                uses.assign(amount=uses["amount"].map(gbp))[["section", "item", "amount"]],
                "The Improved BCF's itemised uses (item 15A).",
                SRC_PAPER,
            )
        )
    return shown


def hart(app: Appendix) -> list[Any]:
    """The s75 contributions and the HART reablement split."""
    P, rec, printed = app.params, app.rec, app.printed  # noqa: N806
    SRC_PAPER = app.src_paper  # noqa: N806
    gbp = _gbp
    shown: list[Any] = []
    if "hart" in P.money_tables:
        app.show(bcf.leics_checks(printed))
        s75 = printed[printed["measure"] == "s75_financial_contribution"][["category", "value"]]
        shown.append(
            charts.table(
                s75.rename(
                    columns={
                        "category": "Funding line | partner",
                        "value": "Contribution 2017/18 (£)",
                    }
                ),
                "Section 75 schedule of financial contributions to the pooled fund, "
                "2017/18, as printed.",
                SRC_PAPER,
            )
        )
        hart = bcf.hart_table(printed)
        basis = bcf.hart_basis(hart)
        for p_name, b in basis.items():
            rec.record(
                f"hart.basis.{p_name.split()[1].lower()}",
                f"Basis that reproduces the printed HART share of {p_name}",
                ", ".join(b) or "none of referrals, hours or cost",
                method="hwb.toolkit.checks.which_denominator on each basis",
            )
        hart_show = hart.copy()
        for col in ("referrals", "hours"):
            hart_show[col] = hart_show[col].map(lambda v: format_number(v, 0))
        hart_show["cost"] = hart_show["cost"].map(gbp)
        for col in ("share_referrals", "share_hours", "share_cost"):
            hart_show[col] = hart_show[col].map(lambda v: format_number(v, 2, "percent"))
        hart_show["cost_per_hour"] = hart_show["cost_per_hour"].map(
            lambda v: format_number(v, 2, "GBP")
        )
        hart_tbl = charts.table(
            hart_show,
            "HART reablement 2017/18: each partner's printed share "
            "beside its share of referrals, of hours and of cost.",
            SRC_PAPER,
        )
    else:
        hart_tbl = rec.say("This board's paper printed no s75 schedule.")
    shown.append(hart_tbl)
    return shown


def hart_basis(app: Appendix) -> list[Any]:
    """What the printed HART shares are shares of."""
    P, rec = app.params, app.rec  # noqa: N806
    shown: list[Any] = []
    if "hart" in P.money_tables:
        hart_say = rec.say(
            "The printed HART shares of the two CCGs are their shares of reablement "
            "hours (West: {hart.basis.west}; East: {hart.basis.east}); the council's "
            "share is {hart.basis.county}, not its share of hours or of cost."
        )
    else:
        hart_say = rec.say("No HART split was printed for this board.")
    shown.append(hart_say)
    return shown


def mapping(app: Appendix) -> list[Any]:
    """The CCG-to-HWB mapping: shares summing to 100 and the area's CCGs."""
    P, rec = app.params, app.rec  # noqa: N806
    shown: list[Any] = []
    mapping = ccg_hwb.load_mapping()
    hwb_shares = ccg_hwb.share_check(mapping, "hwb")
    ccg_shares = ccg_hwb.share_check(mapping, "ccg")
    for who, tm in (("hwb", hwb_shares), ("ccg", ccg_shares)):
        rec.record(f"mapping.{who}.n", f"{who.upper()}s in the mapping", len(tm))
        rec.record(
            f"mapping.{who}.differs",
            f"{who.upper()}s whose shares do not sum to 100 within rounding",
            int((tm["status"] == "differs").sum()),
        )
    board = ccg_hwb.board_code(mapping, P.area_code)  # Bournemouth's: the joint board's rows
    own = ccg_hwb.ccgs_of(mapping, board)
    own_total = hwb_shares.set_index("code").loc[board]
    rec.record(
        "mapping.own.total",
        f"Sum of {P.area_name}'s shares by CCG",
        own_total["total"],
        "percent",
        1,
        method="sum of the printed % of HWB in CCG",
    )
    shown.append(
        rec.say(
            "The mapping lists {mapping.hwb.n} boards and {mapping.ccg.n} CCGs; "
            "{mapping.hwb.differs} boards and {mapping.ccg.differs} CCGs have shares that do "
            "not sum to 100 within rounding. The area's own shares sum to "
            "{mapping.own.total}."
        )
    )
    shown.append(
        charts.table(
            own[["ccg_code", "ccg_name", "pct_ccg_in_hwb", "pct_hwb_in_ccg"]].rename(
                columns={
                    "ccg_code": "CCG",
                    "ccg_name": "Name",
                    "pct_ccg_in_hwb": "% of the CCG in the area",
                    "pct_hwb_in_ccg": "% of the area in the CCG",
                }
            ),
            f"CCGs serving {P.area_name} (CCG to Health and Well-Being Board mapping for 2017-19).",
            "NHS England, BCF 2017-19 planning template, CCG - HWB mapping tab "
            "(NHAIS data supplied by "
            "NHS Digital)",
        )
    )
    return shown


def key_messages(app: Appendix) -> list[Any]:
    """The key messages and the count of printed figures by verdict."""
    P, rec = app.params, app.rec  # noqa: N806
    shown: list[Any] = []
    summary = rec.summary()
    rec.record("n.reproduced", "printed figures reproduced", summary["reproduced"])
    rec.record("n.rounding", "printed figures that differ only by rounding", summary["rounding"])
    rec.record("n.differs", "printed figures that differ", summary["differs"])
    rec.record(
        "n.not_compared",
        "printed figures not compared (inputs or out of scope)",
        summary["not compared"],
    )
    if "template" in P.money_tables:
        shown.append(
            rec.say(
                "* The 2017/18 pooled budget is larger than the printed scheme lines by "
                "{remainder.pooled.2017-18}: iBCF spending the summary tab counts but no "
                "printed scheme line carries. In 2018/19 the remainder is "
                "{remainder.pooled.2018-19}. Every other remainder of the reconciliation "
                "equals another printed amount (remainders left unexplained: "
                "{remainders.unexplained}).\n"
                "* The Spring Budget grant less the uses itemised in the Improved BCF plan leaves "
                "{ibcf.remainder.0}, the plan's Improved BCF contingency fund."
            )
        )
    if "dtoc" in P.metrics_published:
        shown.append(
            rec.say(
                "* Delayed transfers: {dtoc.quarters_above_plan} of the "
                "{dtoc.quarters_planned} planned quarters with published actuals had more "
                "delays than planned."
            )
        )
    if not P.board:
        return shown
    shown.append(
        rec.say(
            "Of the printed figures, {n.reproduced} reproduce exactly, {n.rounding} differ only by "
            "rounding and {n.differs} differ; {n.not_compared} are inputs to the recomputation or "
            "cannot be recomputed (each with its reason in the figures check)."
        )
    )
    return shown
