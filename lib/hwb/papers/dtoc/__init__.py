"""The Delayed Transfers of Care (DTOC) board paper: parameters, assembly and figures.

Two published papers are reproduced:

* Rotherham Health and Wellbeing Board, 20 September 2017, item 15 (BCF Plan
  2017-19): the planning template's tab 4.4 quarterly table (2016/17 actuals,
  2017/18-2018/19 plans), the expectation of 9.4 people delayed per 100,000
  adults by September 2017 and its split by responsible organisation, the
  "around 10 patients less delayed a day" gap, and the TRFT percentages;
* Leicestershire Health and Wellbeing Board, 25 January 2018, item 10 (DTOC
  performance): November 2017 delayed days, the monthly and per-day rates
  against the 6.84 target, and the NHS / social care / joint table.

The measure and its aggregation live in :mod:`hwb.sources.dtoc` (shared with the BCF
paper); this module holds what is particular to the paper: its parameter
model, the denominators a board used, and :func:`compute`, which records every
quoted figure and returns the tables and chart data the notebook shows.  With
no printed figures (a national run for any board) the same computation runs
and records the figures without comparisons.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import field_validator

from hwb.core.params import BoardParams, slugify
from hwb.errors import DataError
from hwb.fmt import format_number, parse_number
from hwb.papers.dtoc import known
from hwb.protocol import BUILTIN_ROOT, Paper
from hwb.sources import dtoc, smallarea
from hwb.sources import population as ons_population
from hwb.toolkit import checks
from hwb.toolkit.figures import Recorder

PER = 100_000

_MONTH = dtoc.MONTH_RE
_FY = re.compile(r"^\d{4}/\d{2}$")
_QUARTER = re.compile(r"^\d{4}/\d{2} Q[1-4]$")


class DtocParams(BoardParams):
    """Parameters of a DTOC appendix (every field is declared in the notebook)."""

    month: str
    """The month whose performance is set against the target, ``YYYY-MM``."""
    trend_start: str
    """First month of the monthly trend chart, ``YYYY-MM``."""
    trend_end: str
    """Last month of the monthly trend chart, ``YYYY-MM``."""
    quarters_from: str
    """First financial year of the quarterly table, ``YYYY/YY``."""
    quarters_to: str
    """Last financial year of the quarterly table, ``YYYY/YY``."""
    population_basis: Literal["as_printed", "ons_own_year", "ons_mye_2019"]
    """18+ denominators: the populations printed in the board's BCF template
    (``data/dtoc/population_18plus_as_printed.csv``), the ONS small-area estimates of each
    month's own year where shipped (``ons_own_year``), or the ONS mid-2019 estimates."""
    gap_period: str
    """Month (``YYYY-MM``) or financial quarter (``YYYY/YY Qn``) of the patients-per-day
    gap between actual delays and the target."""
    target_from: str = ""
    """First month (``YYYY-MM``) the target or expectation was set for; blank: :attr:`month`.
    Months before it are not set against the target."""
    national_from: str = ""
    """England comparison: first month (``YYYY-MM``), blank for none."""
    national_to: str = ""
    """England comparison: last month (``YYYY-MM``), blank for none."""

    @field_validator("month", "trend_start", "trend_end")
    @classmethod
    def _is_month(cls, v: str) -> str:
        if not _MONTH.match(v):
            raise ValueError("a month written YYYY-MM, e.g. 2017-11")
        return v

    @field_validator("national_from", "national_to", "target_from")
    @classmethod
    def _is_month_or_blank(cls, v: str) -> str:
        if v and not _MONTH.match(v):
            raise ValueError("a month written YYYY-MM, or blank")
        return v

    @field_validator("quarters_from", "quarters_to")
    @classmethod
    def _is_fy(cls, v: str) -> str:
        if not _FY.match(v) or (int(v[:4]) + 1) % 100 != int(v[5:]):
            raise ValueError("a financial year written YYYY/YY, e.g. 2016/17")
        return v

    @field_validator("gap_period")
    @classmethod
    def _is_month_or_quarter(cls, v: str) -> str:
        if not (_MONTH.match(v) or _QUARTER.match(v)):
            raise ValueError("a month YYYY-MM or a financial quarter such as '2017/18 Q1'")
        return v


# --- board layouts: where a board's printed figures sit ----------------------------------------


@dataclass(frozen=True)
class Layout:
    """Which printed figures of a board play which part in the paper.

    ``target`` maps ``total, nhs, social_care, both`` to the printed per-day
    target (or expectation) for :attr:`DtocParams.month`; ``repeats`` maps a
    printed figure that repeats another to the suffix of the recorded figure it
    repeats; ``tab44`` says the board printed a BCF template tab 4.4 table.
    """

    target: Mapping[str, str] = field(default_factory=dict)
    target_words: str = "target"
    repeats: Mapping[str, str] = field(default_factory=dict)
    tab44: bool = False
    target_month_rate: str = ""
    """A printed monthly target rate (per period) to check against the per-day target."""
    target_per_day_stated: str = ""
    """A printed per-day target stated apart from the split table."""


LAYOUTS: dict[str, Layout] = {
    "rotherham-2017-09-20": Layout(
        target={"total": "rotherham.expectation.total", "nhs": "rotherham.expectation.nhs",
                "social_care": "rotherham.expectation.social_care",
                "both": "rotherham.expectation.both"},
        target_words="expectation",
        repeats={"rotherham.expectation.total_template": "expectation.total"},
        tab44=True,
    ),
    "leicestershire-2018-01-25": Layout(
        target={"total": "leicestershire.target.total", "nhs": "leicestershire.target.nhs",
                "social_care": "leicestershire.target.social_care",
                "both": "leicestershire.target.both"},
        repeats={
            "leicestershire.rate_per_day_text": "actual.total",
            "leicestershire.annual_report_rate_per_day": "actual.total",
            "leicestershire.target_per_day_text": "target_per_day",
            "leicestershire.annual_report_target_per_day": "target_per_day",
        },
        target_month_rate="leicestershire.target_rate_month",
        target_per_day_stated="leicestershire.target_per_day",
    ),
}


def layout(board: str) -> Layout:
    """The layout of a board's printed figures (empty for a board with none)."""
    return LAYOUTS.get(board, Layout())


def prefix(params: BoardParams) -> str:
    """Figure ids of a run start with the area's slug: ``rotherham.``, ``leicestershire.``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> prefix(SimpleNamespace(area_name="Rotherham"))
    'rotherham'
    """
    return slugify(params.area_name)


def period_label(period: str) -> str:
    """A month as a reader writes it, a quarter as printed.

    Examples
    --------
    >>> period_label("2017-11"), period_label("2017/18 Q1")
    ('Nov 2017', '2017/18 Q1')
    """
    return dtoc.month_label(period) if _MONTH.match(period) else period


def quarter_id(period: str) -> str:
    """A period as it appears in figure ids.

    Examples
    --------
    >>> quarter_id("2016/17 Q1"), quarter_id("2017-11")
    ('2016-17-q1', '2017-11')
    """
    return period.replace("/", "-").replace(" ", "-").lower()


# --- denominators ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Denominators:
    """The 18+ population for each period of a run, and where it came from."""

    basis: str
    source: str
    by_period: dict[str, int]
    vintage: dict[str, str] = field(default_factory=dict)
    """The estimate each period used, in words (``"mid-2017"``), where it varies by period."""

    def __call__(self, period: str) -> int:
        return self.by_period[period]


def own_year(year: int, shipped: tuple[int, ...] = tuple(smallarea.SAPE_FILES)) -> int:
    """The shipped estimate year for a calendar year: its own, else the nearest (earlier on a tie).

    Examples
    --------
    >>> own_year(2017), own_year(2016), own_year(2018), own_year(2019), own_year(2020)
    (2017, 2017, 2017, 2019, 2019)
    """
    return min(shipped, key=lambda s: (abs(s - year), s))


def small_area_18plus(area_code: str, year: int) -> int:
    """Persons aged 18+ in an area (with any area the series counts with it), mid-``year``.

    The ONS small-area estimates summed over the area's LSOAs (best-fit lookup
    to upper-tier authorities).

    Examples
    --------
    >>> small_area_18plus("E10000018", 2017), small_area_18plus("E10000018", 2019)
    (551802, 564295)
    """
    codes = (area_code, *dtoc.COMBINED_POPULATION.get(area_code, ()))
    return sum(smallarea.band_population(smallarea.utla_lsoas(c)["lsoa11_code"].tolist(), "18+",
                                         year) for c in codes)


def shipped_vintages(area_code: str) -> dict[str, int]:
    """Every shipped 18+ estimate for an area, named by vintage (for testing implied denominators).

    Examples
    --------
    >>> list(shipped_vintages("E10000018"))[0]
    'ONS small-area estimates, mid-2017 (551,802)'
    """
    out = {}
    for y in sorted(smallarea.SAPE_FILES):
        v = small_area_18plus(area_code, y)
        out[f"ONS small-area estimates, mid-{y} ({format_number(v)})"] = v
    pop = ons_population.population(area_code, 18).value + sum(
        ons_population.population(c, 18).value for c in dtoc.COMBINED_POPULATION.get(area_code, ()))
    out[f"ONS mid-year estimates, mid-{ons_population.YEAR} ({format_number(pop)})"] = pop
    t = dtoc.printed_populations()
    for _, r in t[t["area_code"] == area_code].iterrows():
        v = int(r["population_18plus"])
        out[f"as printed for {int(r['calendar_year'])} ({format_number(v)})"] = v
    return out


def denominators(params: DtocParams, periods: list[str],
                 printed_path: str | Path | None = None) -> Denominators:
    """The 18+ population for each period, on the parameters' basis.

    Raises
    ------
    DataError
        ``as_printed`` and the board printed no population for a period's calendar year.
    """
    if params.population_basis == "as_printed":
        t = dtoc.printed_populations(printed_path)
        t = t[t["area_code"] == params.area_code]
        by_year = dict(zip(t["calendar_year"].astype(int), t["population_18plus"].astype(int),
                           strict=True))
        out = {}
        for p in periods:
            y = dtoc.calendar_year_of(p)
            if y not in by_year:
                raise DataError(dtoc.PRINTED_POPULATION_FILE, f"no printed 18+ population for "
                                f"{params.area_code} in {y} (needed for {p}); printed years: "
                                f"{', '.join(map(str, sorted(by_year))) or 'none'}")
            out[p] = by_year[y]
        basis = str(t["basis"].iloc[0])
        return Denominators("as_printed", f"{basis}, as printed in the board paper "
                            f"(data/{dtoc.PRINTED_POPULATION_FILE})", out)
    if params.population_basis == "ons_own_year":
        years = {p: own_year(dtoc.calendar_year_of(p)) for p in periods}
        value = {y: small_area_18plus(params.area_code, y) for y in sorted(set(years.values()))}
        used = ", ".join(f"mid-{y} ({format_number(v)})" for y, v in value.items())
        extra_names = "".join(f" with {ons_population.population(c, 18).area_name}"
                              for c in dtoc.COMBINED_POPULATION.get(params.area_code, ()))
        source = (f"ONS small-area population estimates of persons aged 18+, LSOAs summed to the "
                  f"upper-tier authority{extra_names}: each month's own mid-year estimate where "
                  f"shipped, otherwise the nearest shipped year; used here: {used}")
        return Denominators("ons_own_year", source, {p: value[y] for p, y in years.items()},
                            {p: f"mid-{y}" for p, y in years.items()})
    pop = ons_population.population(params.area_code, 18)
    extra = [ons_population.population(c, 18)
             for c in dtoc.COMBINED_POPULATION.get(params.area_code, ())]
    value = pop.value + sum(e.value for e in extra)
    source = pop.citation + "".join(
        f"; with {e.area_name} ({format_number(e.value)}), which the series counts with it"
        for e in extra)
    return Denominators("ons_mye_2019", source, {p: value for p in periods})


# --- the computation --------------------------------------------------------------------------


@dataclass
class Results:
    """What the notebook shows: tables (display-ready and raw) and chart data."""

    month_table: pd.DataFrame
    consistency: pd.DataFrame
    quarterly: pd.DataFrame
    quarterly_display: pd.DataFrame
    monthly: pd.DataFrame
    national: pd.DataFrame
    trft: pd.DataFrame
    out_of_scope: pd.DataFrame
    denominators: Denominators
    target: dict[str, float]
    target_text: dict[str, str]
    sources: dict[str, str]
    known_to: str = ""
    """The latest month whose figures NHS England had published by the meeting."""
    target_from: str = ""
    """The first month the target or expectation applies to."""


def _printed_value(printed: pd.DataFrame, fid: str) -> str | None:
    row = printed[printed["figure_id"] == fid] if len(printed) else printed
    return None if row is None or row.empty else str(row["value"].iloc[0])


def _where(printed: pd.DataFrame, fid: str) -> str:
    """A printed figure's item and page (its line where the pack prints no pages)."""
    row = printed[printed["figure_id"] == fid].iloc[0]
    item = str(row.get("item", "")).split()[0] if str(row.get("item", "")).strip() else ""
    page = str(row.get("page", "")).strip()
    where = f"page {page}" if page else f"line {row.get('line', '')}"
    return f"item {item}, {where}" if item else where


def _consistency_row(what: str, c: checks.Comparison, figures: str) -> dict[str, str]:
    return {"Check": what, "Printed figures": figures, "Result": c.status, "Reason": c.reason}


def compute(params: DtocParams, rec: Recorder, printed: pd.DataFrame | None = None,
            series: pd.DataFrame | None = None) -> Results:
    """Record every figure of the appendix and build its tables.

    Parameters
    ----------
    params : DtocParams
    rec : Recorder
        The run's recorder (with the board's printed figures, if any).
    printed : DataFrame, optional
        The board's printed figures (``hwb.toolkit.figures.load_printed``); needed for
        the board-specific parts (targets, tab 4.4, repeats, consistency checks).
    series : DataFrame, optional
        :func:`hwb.sources.dtoc.load_series` (loaded when not given).

    Returns
    -------
    Results
    """
    printed = printed if printed is not None else pd.DataFrame(columns=["figure_id", "value"])
    series = series if series is not None else dtoc.load_series()
    lay = layout(params.board)
    p = prefix(params)
    rows = dtoc.area(series, params.area_code)
    src_series = f"{dtoc.SOURCE}; data/{dtoc.RESPONSIBLE_FILE}"
    consistency: list[dict[str, str]] = []

    # ---- periods and denominators
    fy_start, fy_end = int(params.quarters_from[:4]), int(params.quarters_to[:4])
    quarters = [f"{y}/{(y + 1) % 100:02d} Q{q}" for y in range(fy_start, fy_end + 1)
                for q in (1, 2, 3, 4)]
    trend = dtoc.month_range(params.trend_start, params.trend_end)
    periods = sorted({params.month, params.gap_period, *quarters, *trend})
    den = denominators(params, periods)
    meeting = params.meeting_date
    known_to = known.latest_known(meeting)
    target_from = params.target_from or params.month

    # ---- the month: delayed days by responsible organisation
    m = dtoc.with_rates(dtoc.aggregate(rows[rows["month"] == params.month], "month"),
                        den(params.month))
    if m.empty or not bool(m["complete"].iloc[0]):
        raise DataError(dtoc.RESPONSIBLE_FILE, f"no complete row for {params.area_code} in "
                        f"{params.month}")
    mr = m.iloc[0]
    days = int(mr["days"])
    late = known.publication_words(params.month, meeting)
    month_words = dtoc.month_label(params.month) + (f" ({late})" if late else "")
    pop_m = den(params.month)
    rec.record(f"{p}.population_18plus", f"Population aged 18+ used for {month_words}", pop_m,
               "persons", 0, method=den.source)
    rec.record(f"{p}.delayed_days", f"Delayed days in {month_words}", mr["total"], "days", 0,
               method="NHS + social care + both, from the monthly series",
               inputs=[dtoc.RESPONSIBLE_FILE])
    for org in dtoc.ORGS:
        rec.record(f"{p}.delayed_days.{org}", f"Delayed days in {month_words}: "
                   f"{dtoc.ORG_LABELS[org]}", mr[org], "days", 0, inputs=[dtoc.RESPONSIBLE_FILE])
    # the denominator a printed monthly rate implies, as a named alternative (never the input)
    implied = None
    rate_id = f"{p}.rate_month"
    printed_rate = _printed_value(printed, rate_id)
    if printed_rate is not None:
        lo, hi = dtoc.implied_denominator(float(mr["total"]), printed_rate)
        implied = (lo + hi) / 2
        rec.record(f"{p}.implied_population_18plus",
                   f"18+ population implied by the printed rate {printed_rate} "
                   f"(range {format_number(lo)} to {format_number(hi)})", implied, "persons", 0,
                   method="delayed days x 100,000 / printed rate (which denominator reproduces it)")
        shipped = shipped_vintages(params.area_code)
        vintages = {f"the population used here ({format_number(pop_m)})": pop_m, **shipped}
        fits = checks.which_denominator(float(mr["total"]), printed_rate, vintages,
                                        multiplier=PER)
        closest = min(shipped, key=lambda k: abs(shipped[k] - implied))
        consistency.append({
            "Check": "Which 18+ population reproduces the printed monthly rate",
            "Printed figures": f"{format_number(mr['total'])} days at {printed_rate} per 100,000",
            "Result": checks.REPRODUCED if fits else checks.DIFFERS,
            "Reason": ("reproduced by " + ", ".join(fits)) if fits else
            (f"no shipped estimate reproduces it: the printed rate implies "
             f"{format_number(lo)} to {format_number(hi)}; the closest shipped estimate is "
             f"{closest}, {format_number(abs(shipped[closest] / implied - 1) * 100, 1)}% "
             f"{'above' if shipped[closest] > implied else 'below'} it"),
        })
        rec.record(f"{p}.population_vs_implied_pct", "How far the 18+ population used here is "
                   "above the one the printed rate implies", (pop_m / implied - 1) * 100,
                   "percent", 1, method="(population used / implied population - 1) x 100")
    rec.record(rate_id, f"Delayed days per 100,000 aged 18+ in {month_words}", mr["rate_total"],
               "per 100,000", 2, method=f"delayed days / 18+ population x 100,000; {den.source}")
    actual_per_day: dict[str, float] = {}
    for org in (*dtoc.ORGS, "total"):
        v = float(mr[f"rate_per_day_{org}"])
        actual_per_day[org] = v
        alts = ({f"the 18+ population the printed monthly rate implies "
                 f"({format_number(implied)})": dtoc.per_day_rate(mr[org], days, implied)}
                if implied else None)
        rec.record(f"{p}.actual.{org}", f"Delayed patients per day per 100,000 aged 18+, "
                   f"{month_words}: {dtoc.ORG_LABELS[org]}", v, "per 100,000 per day", 2,
                   alternatives=alts, method=f"delayed days / {days} days / 18+ population x "
                   "100,000")
    if late:
        _record_latest_known(rec, p, rows, known_to, den, params)

    # ---- targets (printed inputs) and their checks
    target: dict[str, float] = {}
    target_text: dict[str, str] = {}
    for org, fid in lay.target.items():
        v = _printed_value(printed, fid)
        if v is not None:
            target[org] = parse_number(v)
            target_text[org] = v
    parts = [target_text[o] for o in dtoc.ORGS if o in target_text]
    if "total" in target_text and len(parts) == 3:
        c = checks.sum_of_parts(target_text["total"], parts)
        consistency.append(_consistency_row(
            f"{lay.target_words.capitalize()}: NHS + social care + both against the total",
            c, f"{' + '.join(parts)} against {target_text['total']}"))
        rec.record(f"{p}.{lay.target_words}.total" if lay.target_words == "expectation"
                   else f"{p}.target.total",
                   f"{lay.target_words.capitalize()} per day per 100,000 aged 18+ "
                   "(sum of its printed parts)", sum(parse_number(x) for x in parts),
                   "per 100,000 per day", max(len(x.split(".")[1]) if "." in x else 0
                                              for x in parts),
                   method="sum of the printed NHS, social care and joint parts")
    month_rate_text = _printed_value(printed, lay.target_month_rate) if lay.target_month_rate \
        else None
    if month_rate_text is not None:
        stated = _printed_value(printed, lay.target_per_day_stated) or target_text.get("total")
        c = checks.per_day_vs_per_period(month_rate_text, stated, params.month)
        consistency.append(_consistency_row("Monthly target rate against the per-day target", c,
                                            f"{month_rate_text} per month, {stated} per day"))
        rec.record(f"{p}.target_per_day", f"Target per day per 100,000 aged 18+ (printed monthly "
                   f"target {month_rate_text} over {days} days)",
                   parse_number(month_rate_text) / days, "per 100,000 per day", 2,
                   printed=lay.target_per_day_stated or None,
                   method="printed monthly target rate / days in the month")
        rec.record(lay.target_month_rate, f"Target delayed days per 100,000 aged 18+ in "
                   f"{month_words} (printed per-day target x {days} days)",
                   parse_number(stated) * days, "per 100,000", 2,
                   method="printed per-day target x days in the month")
    # actual parts against the printed actual total (a consistency check of the paper's own table)
    act_ids = {o: f"{p}.actual.{o}" for o in (*dtoc.ORGS, "total")}
    act_text = {o: _printed_value(printed, f) for o, f in act_ids.items()}
    if all(act_text.values()):
        c = checks.sum_of_parts(act_text["total"], [act_text[o] for o in dtoc.ORGS])
        consistency.append(_consistency_row(
            "Actual: NHS + social care + both against the total", c,
            f"{' + '.join(act_text[o] for o in dtoc.ORGS)} against {act_text['total']}"))
        # and the printed per-day total against the printed monthly rate
        if printed_rate is not None:
            c = checks.per_day_vs_per_period(printed_rate, act_text["total"], params.month)
            consistency.append(_consistency_row("Monthly rate against the per-day rate", c,
                                                f"{printed_rate} per month, {act_text['total']} "
                                                "per day"))
    # printed repeats of a figure
    for fid, base in lay.repeats.items():
        t = _printed_value(printed, fid)
        base_id = f"{p}.{base}"
        if t is None or base_id not in rec.figures:
            continue
        basefig = rec.figures[base_id]
        bp = basefig.printed.value if basefig.printed else None
        if bp is not None:
            consistency.append(_consistency_row(
                f"{basefig.label}: printed at {_where(printed, fid)} and at "
                f"{_where(printed, basefig.printed.figure_id)}",
                checks.printed_twice(t, bp), f"{t} and {bp}"))
        alts = None
        if base_id.endswith("actual.total") and implied:
            alts = {f"the 18+ population the printed monthly rate implies "
                    f"({format_number(implied)})": dtoc.per_day_rate(mr["total"], days, implied)}
        rec.record(fid, basefig.label + " (printed again)", basefig.value, basefig.unit,
                   basefig.precision, alternatives=alts, method=f"the figure {base_id}")

    # ---- the month against the target
    tgt_total = target.get("total")
    month_rows = []
    for org in (*dtoc.ORGS, "total"):
        month_rows.append({
            "Responsible": dtoc.ORG_LABELS[org],
            "Delayed days": format_number(mr[org]),
            "Per 100,000 aged 18+ in the month": format_number(mr[f"rate_{org}"], 2),
            "Per 100,000 aged 18+ per day": format_number(actual_per_day[org], 2),
            f"{lay.target_words.capitalize()} per day (as printed)": target_text.get(org, "[x]"),
        })
    month_table = pd.DataFrame(month_rows)

    # ---- the gap in patients per day
    gap_rows = rows[rows["month"].isin(dtoc.months_of(params.gap_period))]
    gap_agg = dtoc.aggregate(gap_rows, "quarter" if _QUARTER.match(params.gap_period)
                             else "month")
    if tgt_total is not None and not gap_agg.empty and bool(gap_agg["complete"].iloc[0]):
        g = gap_agg.iloc[0]
        gpop = den(params.gap_period)
        allowed = dtoc.patients_per_day_at(tgt_total, gpop)
        rec.record(f"{p}.patients_per_day_at_target", f"Patients delayed per day at the "
                   f"{lay.target_words} of {target_text['total']} per 100,000 "
                   f"({format_number(gpop)} aged 18+)", allowed, "patients per day", 1,
                   method="target per day x 18+ population / 100,000")
        gap_late = known.publication_words(params.gap_period, meeting)
        rec.record(f"{p}.patients_per_day.{quarter_id(params.gap_period)}",
                   f"Patients delayed per day, {period_label(params.gap_period)}"
                   + (f" ({gap_late})" if gap_late else ""),
                   dtoc.beds_per_day(g["total"], int(g["days"])), "patients per day", 1,
                   method="delayed days / days in the period")
        alts = {}
        for mo in [*dtoc.months_of(params.gap_period), params.month]:
            mrow = rows[rows["month"] == mo]
            if len(mrow) and pd.notna(mrow["total"].iloc[0]):
                alts[f"the gap in {dtoc.month_label(mo)}"] = (
                    dtoc.beds_per_day(mrow["total"].iloc[0], dtoc.days_in_month(mo))
                    - dtoc.patients_per_day_at(tgt_total, den(mo) if mo in den.by_period
                                               else gpop))
        rec.record(f"{p}.gap_patients_per_day", f"Gap between actual delays "
                   f"({period_label(params.gap_period)}) and the {lay.target_words}, patients per "
                   "day",
                   dtoc.beds_per_day(g["total"], int(g["days"])) - allowed, "patients per day", 0,
                   alternatives=alts, method="actual patients delayed per day minus patients "
                   "per day at the target")

    # ---- quarterly table (and the BCF template tab 4.4 where printed)
    qrows = rows[rows["month"].isin([mo for q in quarters for mo in dtoc.months_of(q)])]
    qagg = dtoc.aggregate(qrows, "quarter").set_index("period").reindex(quarters)
    qagg["days"] = [dtoc.days_in(q) for q in quarters]
    qagg["population"] = [den(q) for q in quarters]
    qagg = dtoc.with_rates(qagg.reset_index(names="period"), "population")
    qrecs = []
    for _, r in qagg.iterrows():
        q = r["period"]
        qid = quarter_id(q)
        row: dict[str, object] = {"period": q, "days": int(r["days"]),
                                  "known": known.known_at(q, meeting),
                                  "population": int(r["population"]),
                                  "actual_days": r["total"], "actual_rate": r["rate_total"],
                                  "actual_rate_per_day": r["rate_per_day_total"]}
        tab_days = _printed_value(printed, f"{p}.tab44_days.{qid}") if lay.tab44 else None
        tab_pop = _printed_value(printed, f"{p}.tab44_population.{qid}") if lay.tab44 else None
        tab_rate = _printed_value(printed, f"{p}.tab44_rate.{qid}") if lay.tab44 else None
        kind = "actual"
        if lay.tab44 and tab_days is not None:
            kind = str(printed.loc[printed["figure_id"] == f"{p}.tab44_days.{qid}",
                                   "kind"].iloc[0])
        row["kind"] = kind
        if pd.notna(r["total"]):
            label = f"Delayed days, {q} (monthly series)"
            if kind == "actual" and tab_days is not None:
                rec.record(f"{p}.tab44_days.{qid}", label, r["total"], "days", 0,
                           inputs=[dtoc.RESPONSIBLE_FILE], method="sum of the quarter's months")
            else:
                rec.record(f"{p}.actual_days.{qid}", label, r["total"], "days", 0,
                           inputs=[dtoc.RESPONSIBLE_FILE], method="sum of the quarter's months")
            rate_label = f"Delayed days per 100,000 aged 18+, {q} (monthly series)"
            if kind == "actual" and tab_rate is not None:
                rec.record(f"{p}.tab44_rate.{qid}", rate_label, r["rate_total"], "per 100,000",
                           1, method="series delayed days / printed 18+ population x 100,000")
            else:
                rec.record(f"{p}.actual_rate.{qid}", rate_label, r["rate_total"], "per 100,000",
                           1, method=f"series delayed days / 18+ population x 100,000; "
                           f"{den.source}")
            rec.record(f"{p}.actual_rate_per_day.{qid}", f"Delayed patients per day per 100,000 "
                       f"aged 18+, {q} (monthly series)", r["rate_per_day_total"],
                       "per 100,000 per day", 2, method="quarterly rate / days in the quarter")
        if kind == "plan" and tab_days is not None and tab_pop is not None:
            plan_rate = dtoc.rate(parse_number(tab_days), parse_number(tab_pop))
            if tab_rate is not None:
                consistency.append(_consistency_row(
                    f"Tab 4.4 {q} plan rate from its printed numerator and denominator",
                    checks.rate_from_parts(parse_number(tab_days), parse_number(tab_pop),
                                           tab_rate), f"{tab_days} / {tab_pop} against {tab_rate}"))
            rec.record(f"{p}.tab44_rate.{qid}", f"Planned delayed days per 100,000 aged 18+, {q} "
                       "(recomputed from the printed plan numerator and denominator)", plan_rate,
                       "per 100,000", 1, method="printed plan days / printed 18+ population x "
                       "100,000")
            rec.record(f"{p}.plan_rate_per_day.{qid}", f"Planned delayed patients per day per "
                       f"100,000 aged 18+, {q}", plan_rate / int(r["days"]),
                       "per 100,000 per day", 2, method="plan rate / days in the quarter")
            summ_id = f"{p}.summary_rate.{qid}"
            summ = _printed_value(printed, summ_id)
            if summ is not None:
                consistency.append(_consistency_row(
                    f"{q} plan rate printed in tab 4.4 and in the summary tab",
                    checks.printed_twice(tab_rate, summ), f"{tab_rate} and {summ}"))
                rec.record(summ_id, f"Planned rate, {q}, as the summary tab shows it",
                           plan_rate, "per 100,000", 0, method="printed plan days / printed "
                           "18+ population x 100,000, to whole numbers")
            row.update(plan_days=parse_number(tab_days), plan_rate=plan_rate,
                       plan_rate_per_day=plan_rate / int(r["days"]))
        if tab_days is not None:
            row.update(printed_days=tab_days, printed_population=tab_pop, printed_rate=tab_rate)
        if tgt_total is not None:
            row["target_rate"] = (tgt_total * int(r["days"])
                                  if dtoc.months_of(q)[-1] >= target_from else float("nan"))
        qrecs.append(row)
    quarterly = pd.DataFrame(qrecs)
    quarterly_display = _quarterly_display(quarterly, lay)

    # ---- monthly trend
    tr = dtoc.aggregate(rows[rows["month"].isin(trend)], "month")
    tr = dtoc.with_rates(tr, tr["period"].map(den))
    monthly = tr[["period", "days", "nhs", "social_care", "both", "total", "population",
                  "rate_total", "rate_per_day_total", "rate_per_day_nhs",
                  "rate_per_day_social_care", "rate_per_day_both"]].copy()
    monthly["known"] = monthly["period"].map(lambda mo: known.known_at(mo, meeting))
    if len(monthly):
        hi = monthly.loc[monthly["rate_per_day_total"].idxmax()]
        lo = monthly.loc[monthly["rate_per_day_total"].idxmin()]
        rec.record(f"{p}.trend_highest", f"Highest monthly rate per day per 100,000 aged 18+ "
                   f"({dtoc.month_label(hi['period'])})", hi["rate_per_day_total"],
                   "per 100,000 per day", 2)
        rec.record(f"{p}.trend_lowest", f"Lowest monthly rate per day per 100,000 aged 18+ "
                   f"({dtoc.month_label(lo['period'])})", lo["rate_per_day_total"],
                   "per 100,000 per day", 2)
        applies = monthly[monthly["period"] >= target_from]
        if tgt_total is not None and len(applies):
            n_met = int((applies["rate_per_day_total"] <= tgt_total).sum())
            rec.record(f"{p}.trend_months_at_or_below_target", f"Months from "
                       f"{dtoc.month_label(applies['period'].iloc[0])} (the first the "
                       f"{lay.target_words} was set for) to {dtoc.month_label(trend[-1])} at or "
                       f"below the {lay.target_words}", n_met, "months", 0)
            rec.record(f"{p}.trend_months", f"Months in the trend from the first the "
                       f"{lay.target_words} was set for", len(applies), "months", 0)

    # ---- national context for the month (ONS mid-2019 18+ populations for every board)
    nat = dtoc.national_table(series, params.month, ons_population.population_table(18))
    here = nat[nat["area_code"] == params.area_code]
    eng = nat[nat["area_code"] == dtoc.ENGLAND].iloc[0]
    ranked = int(nat["rank"].notna().sum())
    rec.record(f"{p}.england_rate_per_day", f"England: delayed patients per day per 100,000 "
               f"aged 18+, {month_words} (ONS mid-2019 18+)", eng["rate_per_day_total"],
               "per 100,000 per day", 2)
    if len(here) and pd.notna(here["rank"].iloc[0]):
        rec.record(f"{p}.national_rate_per_day", f"{params.area_name}: delayed patients per day "
                   f"per 100,000 aged 18+, {month_words} (ONS mid-2019 18+, as for every board)",
                   here["rate_per_day_total"].iloc[0], "per 100,000 per day", 2)
        rec.record(f"{p}.national_rank", f"Rank among {ranked} local authorities (1 = most "
                   f"delays per head), {month_words}", int(here["rank"].iloc[0]), "", 0)
        rec.record(f"{p}.national_ranked", "Local authorities with a rate", ranked, "", 0)

    # ---- England: beds freed between two months
    if params.national_from and params.national_to:
        e = dtoc.area(series, dtoc.ENGLAND).set_index("month")
        per_day = {mo: dtoc.beds_per_day(e.loc[mo, "total"], dtoc.days_in_month(mo))
                   for mo in e.index}
        start = per_day[params.national_from]
        alts = {f"the fall to {dtoc.month_label(mo)}": start - per_day[mo]
                for mo in dtoc.month_range(params.national_from, max(e.index))
                if mo != params.national_to and mo <= "2017-12"}
        fid = f"{p}.letter_beds_freed"
        rec.record(fid, f"England: fall in patients delayed per day from "
                   f"{dtoc.month_label(params.national_from)} to "
                   f"{dtoc.month_label(params.national_to)}", start - per_day[params.national_to],
                   "beds", 0, alternatives=alts, method="delayed days per day in the first month "
                   "minus the same in the last (England row of the series)")

    # ---- printed figures the series cannot recompute
    trft = pd.DataFrame()
    trft_rows = printed[printed["figure_id"].astype(str).str.startswith(f"{p}.trft_pct.20")]
    if len(trft_rows):
        out = []
        for _, tr_ in trft_rows.iterrows():
            mo = str(tr_["period"])
            srow = rows[rows["month"] == mo]
            out.append({"Month": dtoc.month_label(mo),
                        "TRFT DTOC (as printed)": tr_["value"] + "%",
                        f"{params.area_name} residents: delayed days (series)":
                            format_number(srow["total"].iloc[0]) if len(srow) else "[x]",
                        "Patients delayed per day (series)":
                            format_number(dtoc.beds_per_day(srow["total"].iloc[0],
                                                            dtoc.days_in_month(mo)), 1)
                            if len(srow) else "[x]"})
        trft = pd.DataFrame(out)
    if "scope" in printed.columns:
        oos = printed[printed["scope"].astype(str).str.startswith("out of scope")
                      & ~printed["figure_id"].astype(str).str.contains(".tab44_", regex=False)]
        out_of_scope = pd.DataFrame({
            "Figure": oos["measure"], "Period": oos["period"],
            "Printed": oos["value"] + oos["unit"].map(lambda u: "%" if u == "percent" else ""),
            "Why it is not recomputed": oos["scope"].str.replace("out of scope: ", "",
                                                                 regex=False),
        }).reset_index(drop=True)
    else:
        out_of_scope = pd.DataFrame(columns=["Figure", "Period", "Printed",
                                             "Why it is not recomputed"])

    if implied:
        named = [f for f in rec.figures.values() if f.status == checks.DIFFERS
                 and "population the printed monthly rate implies" in f.reason]
        differing = [f for f in rec.figures.values() if f.status == checks.DIFFERS]
        rec.record(f"{p}.reproduced_with_implied", "Differing printed figures that the population "
                   "implied by the printed rate reproduces", len(named), "figures", 0)
        rec.record(f"{p}.differing_so_far", "Printed figures that differ",
                   len(differing), "figures", 0)

    return Results(
        month_table=month_table,
        consistency=pd.DataFrame(consistency, columns=["Check", "Printed figures", "Result",
                                                       "Reason"]),
        quarterly=quarterly, quarterly_display=quarterly_display, monthly=monthly,
        national=nat, trft=trft, out_of_scope=out_of_scope, denominators=den, target=target,
        target_text=target_text, known_to=known_to, target_from=target_from,
        sources={"series": src_series, "population": den.source,
                 "national": f"{src_series}; {ons_population.SOURCE.format(level='UTLA')}"},
    )


def _record_latest_known(rec: Recorder, p: str, rows: pd.DataFrame, month: str,
                         den: Denominators, params: DtocParams) -> None:
    """Record the latest month the board could have seen (when the paper's month came later)."""
    r = dtoc.aggregate(rows[rows["month"] == month], "month")
    if r.empty or not bool(r["complete"].iloc[0]):
        return
    pop = den(month) if month in den.by_period else den(params.month)
    r = dtoc.with_rates(r, pop).iloc[0]
    pub = known.published_on(month)
    words = f"{dtoc.month_label(month)} (the latest month published by the meeting, on " \
            f"{pub.day} {pub:%b %Y})"
    rec.record(f"{p}.known.delayed_days", f"Delayed days in {words}", r["total"], "days", 0,
               inputs=[dtoc.RESPONSIBLE_FILE])
    rec.record(f"{p}.known.actual.total", f"Delayed patients per day per 100,000 aged 18+, "
               f"{words}", r["rate_per_day_total"], "per 100,000 per day", 2,
               method=f"delayed days / {int(r['days'])} days / 18+ population x 100,000")


def _quarterly_display(q: pd.DataFrame, lay: Layout) -> pd.DataFrame:
    def f(v: object, d: int = 0) -> str:
        return "[x]" if v is None or (isinstance(v, float) and pd.isna(v)) else \
            format_number(float(v), d)  # type: ignore[arg-type]

    out = pd.DataFrame({
        "Quarter": q["period"],
        "Days": q["days"].map(f),
        "18+ population": q["population"].map(f),
        "Delayed days (series)": q["actual_days"].map(f),
        "Rate per 100,000 (series)": q["actual_rate"].map(lambda v: f(v, 1)),
        "Per day (series)": q["actual_rate_per_day"].map(lambda v: f(v, 2)),
        "Published by the meeting": q["known"].map({True: "yes", False: "no"}),
    })
    if lay.tab44 and "printed_days" in q.columns:
        out.insert(1, "Tab 4.4 row", q["kind"])
        out["Tab 4.4 delayed days (printed)"] = q["printed_days"].fillna("[x]")
        out["Tab 4.4 rate (printed)"] = q["printed_rate"].fillna("[x]")
        out["Plan per day (recomputed)"] = q.get("plan_rate_per_day",
                                                 pd.Series(index=q.index, dtype=float)).map(
            lambda v: f(v, 2))
    return out


# --- the plugin -------------------------------------------------------------------------------

INPUTS = (
    BUILTIN_ROOT / "data" / dtoc.RESPONSIBLE_FILE,
    BUILTIN_ROOT / "data" / dtoc.REASON_FILE,
    BUILTIN_ROOT / "data" / dtoc.PRINTED_POPULATION_FILE,
    BUILTIN_ROOT / "data" / ons_population.FILES["utla"],
)

def warm() -> None:
    """Parse the national series once, in the process kernels are forked from."""
    dtoc.load_series()


PAPER = Paper(
    name="dtoc",
    title="Delayed transfers of care",
    notebook=BUILTIN_ROOT / "notebooks" / "dtoc.ipynb",
    params_model=DtocParams,
    params_dir=BUILTIN_ROOT / "params" / "dtoc",
    printed=BUILTIN_ROOT / "data" / "dtoc" / "printed_figures.csv",
    inputs=INPUTS,
    check=dtoc.check_params,
    warm=warm,
    description=("Delayed days of patients aged 18+ by local authority of residence, by "
                 "responsible organisation, as rates per 100,000 per period and per day, "
                 "against the Better Care Fund plan and NHS England's target."),
)


# --- charts -----------------------------------------------------------------------------------


def trend_chart(res: Results, params: DtocParams) -> tuple[object, pd.DataFrame, str]:
    """The monthly trend: delayed patients per day per 100,000 aged 18+, against the target.

    Returns
    -------
    (figure, data, alt)
        A matplotlib figure, the chart's data (display-ready) and its text alternative.
    """
    import matplotlib.pyplot as plt

    from hwb.toolkit import charts

    m = res.monthly
    x = [dtoc.month_label(p) for p in m["period"]]
    fig, ax = plt.subplots()
    ax.plot(range(len(x)), m["rate_per_day_total"], label="Actual (monthly series)")
    tgt = res.target.get("total")
    periods = list(m["period"])
    t0 = next((i for i, mo in enumerate(periods) if mo >= res.target_from), len(periods))
    if tgt is not None and t0 < len(periods):
        ax.hlines(tgt, t0, len(x) - 1, color=charts.PALETTE[1], linestyle="--",
                  label=f"{layout(params.board).target_words.capitalize()} ({tgt:g}), from "
                        f"{x[t0]}")
    late = [i for i, k in enumerate(m["known"]) if not k]
    if late:
        ax.axvline(late[0] - 0.5, color="grey", linestyle=":", marker="",
                   label=f"Published after the meeting: {x[late[0]]} on")
    ticks = list(range(0, len(x), 3))
    ax.set_xticks(ticks, [x[i] for i in ticks], rotation=45, ha="right")
    ax.set_ylabel("Patients delayed per day\nper 100,000 aged 18+")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.32), ncol=2, frameon=False)
    table = pd.DataFrame({
        "Month": x,
        "Delayed days": m["total"].map(format_number),
        "Per day per 100,000 aged 18+": m["rate_per_day_total"].map(lambda v: format_number(v, 2)),
        "Published by the meeting": m["known"].map({True: "yes", False: "no"}),
    })
    alt = charts.describe_series("Line chart", "delayed patients per day per 100,000 aged 18+ in "
                                 f"{params.area_name}", x, m["rate_per_day_total"].tolist(),
                                 decimals=2)
    if tgt is not None and t0 < len(periods):
        words = layout(params.board).target_words
        alt += f" A dashed horizontal line marks the {words} of {tgt:g} from {x[t0]}."
    if late:
        alt += (f" A dotted vertical line marks the months published after the meeting, "
                f"{x[late[0]]} on.")
    return fig, table, alt


def quarterly_chart(res: Results, params: DtocParams) -> tuple[object, pd.DataFrame, str]:
    """Quarterly delayed days per 100,000 aged 18+: actual, plan (where printed) and target.

    The target, a per-day rate, is shown per quarter as the rate times the days
    in the quarter.
    """
    import matplotlib.pyplot as plt

    from hwb.toolkit import charts

    q = res.quarterly
    x = list(q["period"])
    fig, ax = plt.subplots()
    ax.plot(range(len(x)), q["actual_rate"], label="Actual (monthly series)")
    data_cols = {"Quarter": x,
                 "Actual": q["actual_rate"].map(lambda v: format_number(v, 1))}
    words = layout(params.board).target_words
    if "plan_rate" in q.columns and q["plan_rate"].notna().any():
        ax.plot(range(len(x)), q["plan_rate"], label="Plan (BCF template tab 4.4)")
        data_cols["Plan"] = q["plan_rate"].map(lambda v: format_number(v, 1))
    if "target_rate" in q.columns:
        ax.plot(range(len(x)), q["target_rate"], label=f"{words.capitalize()} x days in quarter")
        data_cols[words.capitalize()] = q["target_rate"].map(lambda v: format_number(v, 1))
    ax.set_xticks(range(len(x)), x, rotation=45, ha="right")
    ax.set_ylabel("Delayed days per 100,000\naged 18+ per quarter")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=3, frameon=False)
    alt = charts.describe_series("Line chart", f"delayed days per 100,000 aged 18+ per quarter in "
                                 f"{params.area_name} (actual)", x, q["actual_rate"].tolist(),
                                 decimals=1)
    if "plan_rate" in q.columns and q["plan_rate"].notna().any():
        pq = q[q["plan_rate"].notna()]
        alt += " " + charts.describe_series("The plan line", "planned delayed days per 100,000",
                                            list(pq["period"]), pq["plan_rate"].tolist(),
                                            decimals=1)
    return fig, pd.DataFrame(data_cols), alt


# --- notebook helpers -------------------------------------------------------------------------


def from_namespace(ns: Mapping[str, object]) -> DtocParams:
    """The notebook's parameters (as papermill injects them: JSON types) as a :class:`DtocParams`.

    Examples
    --------
    >>> p = from_namespace({"area_code": "E08000018", "area_name": "Rotherham",
    ...     "period": "2017-09", "board": "", "board_name": "B", "meeting_date": "2017-09-20",
    ...     "agenda_item": "15", "paper_title": "T", "ask": "note", "month": "2017-09",
    ...     "trend_start": "2016-04", "trend_end": "2019-03", "quarters_from": "2016/17",
    ...     "quarters_to": "2018/19", "population_basis": "as_printed",
    ...     "gap_period": "2017/18 Q1", "target_from": "2017-09", "national_from": "",
    ...     "national_to": ""})
    >>> p.meeting_date.isoformat(), p.gap_period
    ('2017-09-20', '2017/18 Q1')
    """
    import json

    from hwb.core.params import parse_params

    values = {k: ns[k] for k in DtocParams.model_fields if k in ns}
    missing = [k for k in DtocParams.model_fields if k not in ns]
    if missing:
        from hwb.errors import ParameterError

        raise ParameterError("notebook parameters", missing[0], None,
                             "every field of DtocParams to be declared in the parameters cell")
    # JSON mode lets a strict model read ISO dates written as text
    try:
        return DtocParams.model_validate_json(json.dumps(values))
    except Exception:  # noqa: BLE001 - re-raised as a one-line ParameterError
        return parse_params(values, DtocParams, "notebook parameters")  # type: ignore[return-value]


DEFINITIONS: dict[str, tuple[tuple[str, str], ...]] = {"rotherham-2017-09-20": (
    ("Rotherham BCF Plan 2017-19, section 14 (agenda pack of 20 September 2017, item 15, "
     "page 169)",
     "This plan is the number of delayed Transfers of Care (delayed days) from hospital per "
     "100,000 population (aged 18+). Delayed transfer of care from acute or non-acute (including "
     "community and mental health) care occurs when a patient is ready to depart from such care "
     "and is still occupying a bed. The definitions for this target are set nationally by the BCF "
     "programme."),
    ("Rotherham BCF planning template, tab 4.4 note (page 220)",
     "Delayed Transfers Of Care (delayed days) from hospital per 100,000 population (aged 18+) "
     "population projections are based on a calendar year using the 2014 based Sub-National "
     "Population Projections for Local Authorities in England."),
), "leicestershire-2018-01-25": (
    ("Leicestershire, item 10, paragraphs 17-18 (agenda pack of 25 January 2018)",
     "DTOC data is captured in three categories: Patients who are delayed due to NHS reasons; "
     "Patients who are delayed due to Local Authority reasons; Patients whose delay is jointly "
     "attributable. Delayed days from all inpatient settings of care and against all three "
     "categories are brought together to measure overall performance for each local area. Any "
     "Leicestershire residents delayed in out of area hospitals also count towards "
     "Leicestershire's overall performance."),
    ("Leicestershire, item 10, paragraph 20",
     "The national target has been apportioned across each Health and Wellbeing Board area and "
     "translated into a rate per 100,000 population for each local area."),
)}
"""The definitions as each board's paper prints them: board -> ((where, quotation), ...)."""


def methods_markdown(board: str = "") -> str:
    """The methods and definitions section, quoting this board's paper (and no other's)."""
    quotes = "\n\n".join(f"> {q}\n>\n> — {w}" for w, q in DEFINITIONS.get(board, ()))
    return (
        ("**Definitions, as the paper gives them.**\n\n" + quotes + "\n\n" if quotes else "")
        +
        "**How hwb computes them.** Delayed days are NHS England's monthly delayed days for "
        "patients aged 18+ by the local authority where they live, split by the organisation "
        "responsible for the delay (NHS, social care, or both jointly). A quarter is the sum of "
        "its three months, and a quarter with a missing month has no value. The rate per period "
        "is delayed days divided by the population aged 18+, times 100,000. The rate per day is "
        "that rate divided by the days in the period: the average number of beds occupied by "
        "delayed patients on a day per 100,000 adults, which is what the papers call \"people "
        "delayed in hospital per 100,000 adults\" and \"beds delayed per 100,000 population\". "
        "Patients delayed per day are delayed days divided by days in the period. Each printed "
        "figure is compared with the recomputed one by `hwb.toolkit.checks`: reproduced (equal at "
        "the printed precision), rounding (within one unit of the last printed place) or differs, "
        "with the reason the comparison finds (another denominator, another month)."
    )


def caveats_markdown(params: DtocParams, res: Results) -> str:
    """Assumptions and caveats for this run (no figures: those are said with the recorder)."""
    items = [
        "The series is NHS England's **revised** data as re-published in 2019. Papers written "
        "in 2017-18 used the figures first published, which were sometimes revised later.",
        "The papers' targets and expectations (and their split by organisation) are NHS "
        "England's apportionment of the national ambition to each area. They are printed "
        "inputs and hwb does not recompute them. hwb checks that their parts add up and that "
        "their per-day and per-month forms agree.",
        "Percentages of occupied bed days (such as the national 3.5% ambition) cannot be "
        "computed from a series of delayed days by local authority: it has no bed days, and a "
        "trust's patients are not one area's residents. Any the paper prints are listed as not "
        "compared.",
        "NHS England published each month's figures about six weeks after the month ended (the "
        "second Thursday of the month after next). Figures for months published after the "
        "meeting are marked as such: the board could not have known them.",
    ]
    if res.target_from:
        items.append(f"The {layout(params.board).target_words} is set against months from "
                     f"{dtoc.month_label(res.target_from)}, the first it was set for; earlier "
                     "months are shown but not judged against it.")
    if res.denominators.basis == "as_printed":
        items.append("Denominators are the 18+ populations printed in the board's BCF planning "
                     "template (2014-based projections for the calendar year). They are inputs, "
                     "used as printed.")
    elif res.denominators.basis == "ons_own_year":
        items.append("Denominators are ONS small-area estimates of persons aged 18+ of each "
                     "month's own year where hwb ships one, summed to the authority; months of "
                     "other years use the nearest shipped year (the source line of each table "
                     "names the estimates used). The paper's own denominator is not printed. "
                     "The population its rate implies is tested against every shipped estimate "
                     "in the consistency checks, and shown beside each rate as a named "
                     "alternative, never used as an input.")
    else:
        items.append("Denominators are the ONS mid-2019 estimates of persons aged 18+. That is "
                     "the authority-level estimate hwb ships for every area, and it is used "
                     "for every month. The paper's own denominator is not printed. The "
                     "population its rate implies is shown beside each rate as a named "
                     "alternative, never used as an input. For rates over several years, one "
                     "population year makes the trend a trend in delayed days, not a change in "
                     "rates.")
    if params.gap_period and res.target:
        items.append(f"The gap in patients per day compares {params.gap_period} with the target "
                     "level. The papers do not say which period they compared; the figures check "
                     "shows which months would give the printed figure.")
    return "\n".join(f"- {x}" for x in items)


def data_quality_markdown(res: Results) -> str:
    """What was checked in the inputs (no figures)."""
    gaps = res.monthly[res.monthly["total"].isna()]["period"].tolist()
    lines = [
        "- Both NHS England files were checked row for row: same area and month on every row, "
        "and NHS + social care + both equal to the all-reasons total. The load stops with the "
        "row number if either check fails.",
        "- Rows before July 2015 carry NHS England's old 3-digit codes. They get the ONS code "
        "that the same name carries from July 2015.",
        "- Missing values (`-`, and `NA` in the reason file's \"Other\" column before it existed) "
        "stay missing. A quarter with a missing month is not summed.",
    ]
    lines.append("- Every month of the trend is present." if not gaps else
                 "- Months missing from the trend: " + ", ".join(dtoc.month_label(g) for g in gaps)
                 + ".")
    return "\n".join(lines)


def record_check_summary(rec: Recorder, params: BoardParams) -> dict[str, object]:
    """Record how the board's printed figures came out (for the key messages).

    Returns the recorded figures by outcome: ``reproduced``, ``rounding``,
    ``differs``, ``not compared``.  Call it after every comparison is recorded.
    """
    p = prefix(params)
    counts = rec.summary()
    words = {checks.REPRODUCED: "reproduced", checks.ROUNDING: "differing only by rounding",
             checks.DIFFERS: "differing", checks.NOT_COMPARED: "not compared"}
    return {status: rec.record(f"{p}.printed_{status.replace(' ', '_')}",
                               f"Printed figures {words[status]}", counts[status], "figures", 0)
            for status in words}


def key_messages(rec: Recorder, params: DtocParams, res: Results) -> str:
    """The key messages: what the board could have known at the meeting, then hindsight.

    Every number is a recorded figure (``rec.say``); a message about a month
    published after the meeting goes under *Known only with hindsight*.
    """
    p = prefix(params)
    words = layout(params.board).target_words
    meeting = params.meeting_date
    month = dtoc.month_label(params.month)
    at_meeting: list[str] = []
    later: list[str] = []

    def put(known_then: bool, template: str, **values: object) -> None:
        (at_meeting if known_then else later).append(rec.say(template, **values).data)

    month_known = known.known_at(params.month, meeting)
    if f"{p}.known.delayed_days" in rec.figures:
        put(True, "- The latest month published by the meeting was {known_month}: residents "
            "aged 18+ spent **{days}** days delayed in hospital, **{rate}** patients delayed per "
            "day per 100,000 aged 18+.", known_month=dtoc.month_label(res.known_to),
            days=rec[f"{p}.known.delayed_days"], rate=rec[f"{p}.known.actual.total"])
    put(month_known, "- In {month}, residents aged 18+ spent **{days}** days delayed in hospital: "
        "{nhs} attributed to the NHS, {sc} to social care and {both} to both.", month=month,
        days=rec[f"{p}.delayed_days"], nhs=rec[f"{p}.delayed_days.nhs"],
        sc=rec[f"{p}.delayed_days.social_care"], both=rec[f"{p}.delayed_days.both"])
    if "total" in res.target:
        put(month_known, "- That is **{actual}** patients delayed per day per 100,000 aged 18+ "
            "(18+ population {pop}), against the {words} of {target}.",
            actual=rec[f"{p}.actual.total"], pop=rec[f"{p}.population_18plus"], words=words,
            target=res.target_text["total"])
    else:
        put(month_known, "- That is **{actual}** patients delayed per day per 100,000 aged 18+.",
            actual=rec[f"{p}.actual.total"])
    if f"{p}.gap_patients_per_day" in rec.figures:
        put(known.known_at(params.gap_period, meeting),
            "- In {gap_period}, an average of {per_day} patients were delayed each day, against "
            "{at_target} at the {words}: a gap of **{gap}** patients a day.",
            gap_period=period_label(params.gap_period),
            per_day=rec[f"{p}.patients_per_day.{quarter_id(params.gap_period)}"],
            at_target=rec[f"{p}.patients_per_day_at_target"], words=words,
            gap=rec[f"{p}.gap_patients_per_day"])
    if f"{p}.implied_population_18plus" in rec.figures:
        higher = rec[f"{p}.population_vs_implied_pct"].value > 0
        put(True, "- The paper prints no denominator. Its monthly rate implies an 18+ population "
            "of about {implied}. The population used here is {pct} {direction}, so the rates "
            "here are {other} than the printed ones. Of the {differing} printed figures that "
            "differ, {named} reproduce exactly with the implied population (figures check).",
            implied=rec[f"{p}.implied_population_18plus"],
            pct=rec[f"{p}.population_vs_implied_pct"], direction="higher" if higher else "lower",
            other="lower" if higher else "higher", differing=rec[f"{p}.differing_so_far"],
            named=rec[f"{p}.reproduced_with_implied"])
    if f"{p}.national_rank" in rec.figures:
        put(month_known, "- Among {n} local authorities in {month}, the area ranked **{rank}** "
            "(1 = most delays per head), at {rate} per day per 100,000 against {eng} for England "
            "(ONS mid-2019 18+ populations for every area).", n=rec[f"{p}.national_ranked"],
            month=month, rank=rec[f"{p}.national_rank"], rate=rec[f"{p}.national_rate_per_day"],
            eng=rec[f"{p}.england_rate_per_day"])
    outcome = record_check_summary(rec, params)
    put(True, "- Figures check: of the printed DTOC figures for this board, {rep} reproduced, "
        "{rnd} differ only by rounding, {dif} differ and {nc} are not compared (the table at the "
        "end gives each one and why).", rep=outcome["reproduced"], rnd=outcome["rounding"],
        dif=outcome["differs"], nc=outcome["not compared"])
    when = f" ({meeting.day} {meeting:%B %Y})" if meeting else ""
    out = [f"**What the board could have known at the meeting{when}.**", "", *at_meeting, "",
           "**Known only with hindsight** (figures NHS England published after the meeting).",
           ""]
    out += later or ["- Nothing: every month used in these messages was published before the "
                     "meeting."]
    return "\n".join(out)


# --- claims: the evidence each printed statement is tested on ---------------------------------

CLAIMS_FILE = "dtoc/printed_claims.csv"
"""The printed statements of the DTOC papers (``data/dtoc/printed_claims.csv``)."""

NATIONAL_AMBITION = "no more than 3.5%"
"""NHS England's DTOC ambition for 2017/18 as a ceiling: no more than 3.5% of occupied bed days
delayed (Integration and Better Care Fund policy framework 2017-19, national condition 4)."""


def _value(rec: Recorder, fid: str) -> float | None:
    return rec.figures[fid].value if fid in rec.figures else None


def claims_evidence(rec: Recorder, params: DtocParams, res: Results,
                    printed: pd.DataFrame | None = None,
                    series: pd.DataFrame | None = None) -> dict[str, object]:
    """The evidence for each printed claim of the board, by claim id or subject.

    Every value comes from the recorded figures, the results tables, the printed
    figures or the series; a claim with no evidence here is "cannot be tested".
    """
    p = prefix(params)
    printed = printed if printed is not None else pd.DataFrame(columns=["figure_id", "value"])
    monthly = res.monthly.set_index("period")["rate_per_day_total"]
    ev: dict[str, object] = {f"{p}.monthly_rate_per_day": monthly,
                             f"{p}.delayed_days": {"of": "residents"}}
    series = series if series is not None else dtoc.load_series()
    e = dtoc.area(series, dtoc.ENGLAND).set_index("month")
    ev["england.patients_per_day"] = pd.Series(
        {mo: dtoc.beds_per_day(e.loc[mo, "total"], dtoc.days_in_month(mo)) for mo in e.index
         if pd.notna(e.loc[mo, "total"])})
    # the paper's own printed values
    pv = {str(f): str(v) for f, v in zip(printed["figure_id"], printed["value"], strict=True)}
    trft = {str(r["period"]): parse_number(str(r["value"])) for _, r in printed.iterrows()
            if str(r["figure_id"]).startswith(f"{p}.trft_pct.20")}
    if trft:
        ev[f"{p}.trft_pct"] = pd.Series(trft).sort_index()
    if f"{p}.pct_transfers_delayed_2016-09" in pv and f"{p}.national_average_pct" in pv:
        ev[f"{p}.pct_transfers_delayed_2016-09"] = {"of": "occupied bed days"}
        ev[f"{p}.pct_lower_than_national"] = {
            "value": parse_number(pv[f"{p}.pct_transfers_delayed_2016-09"]),
            "benchmark": parse_number(pv[f"{p}.national_average_pct"])}
    if f"{p}.national_ambition_pct" in pv:
        ev[f"{p}.ambition_more_than"] = {"is": NATIONAL_AMBITION}
        ev[f"{p}.trft_under_target"] = {"this": "under 3.5%", "other": "more than 3.5%"}
    # tab 4.4: definition holds where its rates reproduce on delayed days over 18+ populations
    q = res.quarterly
    tab_ok = [rec.figures[f].status == checks.REPRODUCED for f in rec.figures
              if f.startswith(f"{p}.tab44_rate.") and rec.figures[f].printed]
    if tab_ok:
        ev[f"{p}.tab44_rate"] = {"of": "delayed days" if all(tab_ok) else "not reproduced",
                                 "age": "18+", "per": "100,000"}
    if "plan_rate" in q.columns and "total" in res.target:
        plan = q[q["plan_rate"].notna()]
        first = plan.iloc[0]
        ev[f"{p}.tab44_rate.{quarter_id(first['period'])}"] = {
            "value": first["plan_rate"], "benchmark": first["actual_rate"]}
        applies = plan[[dtoc.months_of(x)[-1] >= res.target_from for x in plan["period"]]]
        if len(applies):
            ev[f"{p}.trajectory_meets_expectation"] = {
                "value": float(applies["plan_rate_per_day"].max()),
                "benchmark": res.target["total"]}
            ev[f"{p}.trajectory_decrease"] = {
                "value": float(applies["plan_rate_per_day"].iloc[0]),
                "benchmark": float(first["actual_rate_per_day"])}
    for fid in (f"{p}.expectation.total", f"{p}.gap_patients_per_day",
                f"{p}.letter_beds_freed"):
        if fid in rec.figures:
            ev[fid] = _value(rec, fid)
    # a printed monthly rate against its printed per-day form
    if params.month in dtoc.month_range(dtoc.FIRST_MONTH, dtoc.LAST_MONTH):
        days = dtoc.days_in_month(params.month)
        for cid, rate_id, day_id in (
                (f"{p}.month_rate_per_day", f"{p}.rate_month", f"{p}.rate_per_day_text"),
                (f"{p}.target_month_per_day", f"{p}.target_rate_month",
                 f"{p}.target_per_day_text")):
            if rate_id in pv and day_id in pv:
                ev[cid] = {"this": pv[day_id],
                           "other": f"{parse_number(pv[rate_id]) / days:.3f}"}
    if f"{p}.actual.total" in rec.figures and "total" in res.target:
        ev[f"{p}.not_achieved"] = {"value": _value(rec, f"{p}.actual.total"),
                                   "benchmark": res.target["total"]}
    if f"{p}.implied_population_18plus" in rec.figures:
        ev[f"{p}.rate_month"] = {"of": "population aged 18+"}
    ev[f"{p}.november_published"] = {"date": known.published_on(params.month)}
    return ev


def claims_check(rec: Recorder, params: DtocParams, res: Results,
                 printed: pd.DataFrame | None = None) -> object:
    """The Claims check table of the board's printed statements (``hwb.toolkit.claims``)."""
    from IPython.display import Markdown

    if not params.board:
        return Markdown("_No printed statements for this run: it reproduces no board paper._")
    try:
        from hwb.toolkit import claims
    except ImportError:  # the claims checks are not in this build yet
        return Markdown("_The claims check is not available in this build._")
    from hwb.sources import data

    cl = claims.load_claims(data.path(CLAIMS_FILE), board=params.board)
    return claims.show_claims(claims.check_claims(cl, claims_evidence(rec, params, res,
                                                                      printed)))
