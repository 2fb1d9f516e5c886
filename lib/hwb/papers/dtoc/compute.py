"""The DTOC computation: one function per appendix section, each recording its figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from hwb.errors import DataError
from hwb.fmt import format_number, parse_number
from hwb.papers.dtoc import known
from hwb.papers.dtoc.params import _MONTH, _QUARTER, PER, DtocParams
from hwb.sources import dtoc, smallarea
from hwb.sources import population as ons_population
from hwb.sources.params import BoardParams, slugify
from hwb.toolkit import checks
from hwb.toolkit.figures import Figure, Recorder

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
    if params.population_basis == "ons_by_year":
        values, used, source = dtoc.by_year_denominators(params.area_code, periods)
        return Denominators("ons_by_year", source, values, used)
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
    spc: dict[str, object] = field(default_factory=dict)
    nat: pd.DataFrame = field(default_factory=pd.DataFrame)
    national_vintage: str = ""
    """The SPC chart of the monthly rate per day (:func:`spc_of`): ``frame``, ``summary``, and
    ``frame_at_meeting``, ``summary_at_meeting`` when later months were published after it."""
    """The latest month whose figures NHS England had published by the meeting."""
    target_from: str = ""
    """The first month the target or expectation applies to."""


def _first_rows(printed: pd.DataFrame) -> dict[str, int]:
    """The position of each printed figure id's first row.

    Examples
    --------
    >>> _first_rows(pd.DataFrame({"figure_id": ["a", "b", "a"]}))
    {'a': 0, 'b': 1}
    """
    first: dict[str, int] = {}
    for i, fid in enumerate(printed["figure_id"].tolist()):
        first.setdefault(fid, i)
    return first


def _where(row: pd.Series) -> str:
    """A printed figure's item and page (its line where the pack prints no pages)."""
    item = str(row.get("item", "")).split()[0] if str(row.get("item", "")).strip() else ""
    page = str(row.get("page", "")).strip()
    where = f"page {page}" if page else f"line {row.get('line', '')}"
    return f"item {item}, {where}" if item else where


def _consistency_row(what: str, c: checks.Comparison, figures: str) -> dict[str, str]:
    return {"Check": what, "Printed figures": figures, "Result": c.status, "Reason": c.reason}


@dataclass
class _Run:
    """What the sections of one run share: inputs, and what earlier sections found."""

    params: DtocParams
    rec: Recorder
    printed: pd.DataFrame
    series: pd.DataFrame | None
    lay: Layout
    p: str
    rows: pd.DataFrame
    den: Denominators
    quarters: list[str]
    trend: list[str]
    meeting: dt.date | None
    known_to: str
    target_from: str
    consistency: list[dict[str, str]] = field(default_factory=list)
    mr: pd.Series = field(default_factory=pd.Series)
    days: int = 0
    month_words: str = ""
    implied: float | None = None
    printed_rate: str | None = None
    actual_per_day: dict[str, float] = field(default_factory=dict)
    target: dict[str, float] = field(default_factory=dict)
    target_text: dict[str, str] = field(default_factory=dict)
    spc: dict[str, object] = field(default_factory=dict)
    printed_at: dict[str, int] = field(default_factory=dict)
    """Where each printed figure id's first row is in :attr:`printed` (:func:`_first_rows`)."""

    def printed_row(self, fid: str) -> pd.Series:
        """The first printed row of a figure id."""
        return self.printed.iloc[self.printed_at[fid]]

    def printed_value(self, fid: str) -> str | None:
        """A figure's printed value (its first row), None when the board printed none."""
        i = self.printed_at.get(fid)
        return None if i is None else str(self.printed["value"].iat[i])


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
        :func:`hwb.sources.dtoc.load_series` (the shipped series when not given: its rows are
        selected from the index kept beside it, :func:`hwb.sources.dtoc.area`).

    Returns
    -------
    Results
    """
    printed = printed if printed is not None else pd.DataFrame(columns=["figure_id", "value"])
    fy_start, fy_end = int(params.quarters_from[:4]), int(params.quarters_to[:4])
    quarters = [f"{y}/{(y + 1) % 100:02d} Q{q}" for y in range(fy_start, fy_end + 1)
                for q in (1, 2, 3, 4)]
    trend = dtoc.month_range(params.trend_start, params.trend_end)
    periods = sorted({params.month, params.gap_period, *quarters, *trend})
    r = _Run(params=params, rec=rec, printed=printed, series=series, lay=layout(params.board),
             p=prefix(params), rows=dtoc.area(series, params.area_code),
             den=denominators(params, periods), quarters=quarters, trend=trend,
             meeting=params.meeting_date, known_to=known.latest_known(params.meeting_date),
             target_from=params.target_from or params.month, printed_at=_first_rows(printed))
    for section in (_month, _targets, _month_table, _gap, _quarterly, _trend, _national,
                    _england, _not_recomputed, _implied_summary):
        section(r)
    src_series = f"{dtoc.SOURCE}; data/{dtoc.RESPONSIBLE_FILE}"
    return Results(
        month_table=r.month_table,
        consistency=pd.DataFrame(r.consistency, columns=["Check", "Printed figures", "Result",
                                                         "Reason"]),
        quarterly=r.quarterly, quarterly_display=r.quarterly_display, monthly=r.monthly,
        national=r.nat, trft=r.trft, out_of_scope=r.out_of_scope, denominators=r.den,
        target=r.target, target_text=r.target_text, known_to=r.known_to,
        target_from=r.target_from, spc=r.spc,
        sources={"series": src_series, "population": r.den.source,
                 "national": f"{src_series}; ONS mid-year estimates of persons aged 18+ of "
                             f"the month's own year, every board ({r.national_vintage})"},
    )


def _month(ctx: _Run) -> None:
    """The month: delayed days by responsible organisation, rates, the implied denominator."""
    params = ctx.params
    rec = ctx.rec
    p = ctx.p
    rows = ctx.rows
    den = ctx.den
    meeting = ctx.meeting
    consistency = ctx.consistency
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
    printed_rate = ctx.printed_value(rate_id)
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
        _record_latest_known(rec, p, rows, ctx.known_to, den, params)
    ctx.mr = mr
    ctx.days = days
    ctx.month_words = month_words
    ctx.implied = implied
    ctx.printed_rate = printed_rate
    ctx.actual_per_day = actual_per_day


def _targets(ctx: _Run) -> None:
    """The targets (printed inputs), their checks, and printed repeats of a figure."""
    params = ctx.params
    rec = ctx.rec
    p = ctx.p
    lay = ctx.lay
    mr = ctx.mr
    days = ctx.days
    month_words = ctx.month_words
    implied = ctx.implied
    printed_rate = ctx.printed_rate
    consistency = ctx.consistency
    target: dict[str, float] = {}
    target_text: dict[str, str] = {}
    for org, fid in lay.target.items():
        v = ctx.printed_value(fid)
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
    month_rate_text = ctx.printed_value(lay.target_month_rate) if lay.target_month_rate \
        else None
    if month_rate_text is not None:
        stated = ctx.printed_value(lay.target_per_day_stated) or target_text.get("total")
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
    act_text = {o: ctx.printed_value(f) for o, f in act_ids.items()}
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
        t = ctx.printed_value(fid)
        base_id = f"{p}.{base}"
        if t is None or base_id not in rec.figures:
            continue
        basefig = rec.figures[base_id]
        bp = basefig.printed.value if basefig.printed else None
        if bp is not None:
            consistency.append(_consistency_row(
                f"{basefig.label}: printed at {_where(ctx.printed_row(fid))} and at "
                f"{_where(ctx.printed_row(basefig.printed.figure_id))}",
                checks.printed_twice(t, bp), f"{t} and {bp}"))
        alts = None
        if base_id.endswith("actual.total") and implied:
            alts = {f"the 18+ population the printed monthly rate implies "
                    f"({format_number(implied)})": dtoc.per_day_rate(mr["total"], days, implied)}
        rec.record(fid, basefig.label + " (printed again)", basefig.value, basefig.unit,
                   basefig.precision, alternatives=alts, method=f"the figure {base_id}")
    ctx.target = target
    ctx.target_text = target_text


def _month_table(ctx: _Run) -> None:
    """The month against the target, by responsible organisation."""
    mr = ctx.mr
    lay = ctx.lay
    rec, p = ctx.rec, ctx.p
    actual_per_day = ctx.actual_per_day
    target_text = ctx.target_text
    month_rows = []
    for org in (*dtoc.ORGS, "total"):
        days_id = f"{p}.delayed_days" + ("" if org == "total" else f".{org}")
        month_rows.append({
            "Responsible": dtoc.ORG_LABELS[org],
            "Delayed days": rec.cell(days_id, format_number(mr[org])),
            "Per 100,000 aged 18+ in the month": (
                rec.cell(f"{p}.rate_month", format_number(mr[f"rate_{org}"], 2))
                if org == "total" else format_number(mr[f"rate_{org}"], 2)),
            "Per 100,000 aged 18+ per day": rec.cell(f"{p}.actual.{org}",
                                                     format_number(actual_per_day[org], 2)),
            f"{lay.target_words.capitalize()} per day (as printed)": target_text.get(org, "[x]"),
        })
    month_table = pd.DataFrame(month_rows)
    ctx.month_table = month_table


def _gap(ctx: _Run) -> None:
    """The gap in patients per day between actual delays and the target."""
    params = ctx.params
    rec = ctx.rec
    p = ctx.p
    lay = ctx.lay
    rows = ctx.rows
    den = ctx.den
    meeting = ctx.meeting
    tgt_total = ctx.target.get("total")
    target_text = ctx.target_text
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


def _quarterly(ctx: _Run) -> None:
    """The quarterly table (and the BCF template tab 4.4 where printed)."""
    rec = ctx.rec
    p = ctx.p
    lay = ctx.lay
    rows = ctx.rows
    den = ctx.den
    quarters = ctx.quarters
    meeting = ctx.meeting
    tgt_total = ctx.target.get("total")
    target_from = ctx.target_from
    consistency = ctx.consistency
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
        tab_days = ctx.printed_value(f"{p}.tab44_days.{qid}") if lay.tab44 else None
        tab_pop = ctx.printed_value(f"{p}.tab44_population.{qid}") if lay.tab44 else None
        tab_rate = ctx.printed_value(f"{p}.tab44_rate.{qid}") if lay.tab44 else None
        kind = "actual"
        if lay.tab44 and tab_days is not None:
            kind = str(ctx.printed_row(f"{p}.tab44_days.{qid}")["kind"])
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
            summ = ctx.printed_value(summ_id)
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
    quarterly_display = _quarterly_display(quarterly, lay, rec, p)
    ctx.quarterly = quarterly
    ctx.quarterly_display = quarterly_display


def _trend(ctx: _Run) -> None:
    """The monthly trend, its extremes and the months against the target."""
    rec = ctx.rec
    p = ctx.p
    lay = ctx.lay
    rows = ctx.rows
    den = ctx.den
    trend = ctx.trend
    meeting = ctx.meeting
    tgt_total = ctx.target.get("total")
    target_from = ctx.target_from
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
    ctx.monthly = monthly
    if len(monthly):
        ctx.spc = _spc(rec, p, lay, monthly, tgt_total, target_from, ctx.known_to)


def spc_of(monthly: pd.DataFrame, target: float | None, target_from: str,
           last: str | None = None) -> tuple[pd.DataFrame, object]:
    """The XmR chart of the monthly rate per day (improvement: fewer delays), to ``last``.

    The target applies from ``target_from`` (NHS England's Making Data Count; see
    :func:`hwb.stats.spc.xmr`); months after ``last`` are left out.
    """
    from hwb import stats

    m = monthly if last is None else monthly[monthly["period"] <= last]
    x = list(m["period"])
    start = next((mo for mo in x if mo >= target_from), None)
    return stats.xmr(m["rate_per_day_total"].to_numpy(dtype=float), x, improvement="decrease",
                     target=target if start else None, target_from=start)


def _spc(rec: Recorder, p: str, lay: Layout, monthly: pd.DataFrame, target: float | None,
         target_from: str, known_to: str) -> dict[str, object]:
    """Record the SPC verdicts: over the whole trend, and as the board could have seen them."""
    frame, summary = spc_of(monthly, target, target_from)
    last = dtoc.month_label(monthly["period"].iloc[-1])
    rec.record(f"{p}.spc_variation", f"SPC variation verdict, {last} (Making Data Count)",
               summary.variation, method=summary.method)
    if summary.assurance:
        rec.record(f"{p}.spc_assurance", f"SPC assurance against the {lay.target_words}, {last}",
                   summary.assurance, method=summary.method)
    out: dict[str, object] = {"frame": frame, "summary": summary}
    seen = monthly[monthly["period"] <= known_to]
    if len(seen) and len(seen) < len(monthly):
        f2, s2 = spc_of(monthly, target, target_from, known_to)
        words = f"{dtoc.month_label(known_to)}, the latest month published by the meeting"
        rec.record(f"{p}.spc_variation_at_meeting", f"SPC variation verdict, {words}",
                   s2.variation, method=s2.method)
        if s2.assurance:
            rec.record(f"{p}.spc_assurance_at_meeting", f"SPC assurance against the "
                       f"{lay.target_words}, {words}", s2.assurance, method=s2.method)
        out.update(frame_at_meeting=f2, summary_at_meeting=s2)
    return out


def _national(ctx: _Run) -> None:
    """National context for the month, every board on the 18+ estimate of the month's own year.

    The denominators are :func:`hwb.sources.dtoc.populations_of_year` of the month's mid-year,
    as the national appendix and the comparable councils divide by them.
    """
    params = ctx.params
    rec = ctx.rec
    series = ctx.series
    p = ctx.p
    month_words = ctx.month_words
    pops = dtoc.populations_of_year(dtoc.population_year(params.month))
    vintage = str(pops.loc[pops["area_code"] == dtoc.ENGLAND, "vintage"].iloc[0])
    nat = dtoc.national_table(series, params.month, pops[["area_code", "population"]])
    here = nat[nat["area_code"] == params.area_code]
    eng = nat[nat["area_code"] == dtoc.ENGLAND].iloc[0]
    ranked = int(nat["rank"].notna().sum())
    rec.record(f"{p}.england_rate_per_day", f"England: delayed patients per day per 100,000 "
               f"aged 18+, {month_words} ({vintage}, 18+)", eng["rate_per_day_total"],
               "per 100,000 per day", 2)
    if len(here) and pd.notna(here["rank"].iloc[0]):
        rec.record(f"{p}.national_rate_per_day", f"{params.area_name}: delayed patients per day "
                   f"per 100,000 aged 18+, {month_words} ({vintage}, 18+, as for every board)",
                   here["rate_per_day_total"].iloc[0], "per 100,000 per day", 2)
        rec.record(f"{p}.national_rank", f"Rank among {ranked} local authorities (1 = most "
                   f"delays per head), {month_words}", int(here["rank"].iloc[0]), "", 0)
        rec.record(f"{p}.national_ranked", "Local authorities with a rate", ranked, "", 0)
    ctx.nat = nat
    ctx.national_vintage = vintage


def _england(ctx: _Run) -> None:
    """England: beds freed between two months."""
    params = ctx.params
    rec = ctx.rec
    series = ctx.series
    p = ctx.p
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


def _not_recomputed(ctx: _Run) -> None:
    """Printed figures the series cannot recompute (the trust's percentages, other bases)."""
    params = ctx.params
    printed = ctx.printed
    p = ctx.p
    rows = ctx.rows
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
    ctx.trft = trft
    ctx.out_of_scope = out_of_scope


def _implied_summary(ctx: _Run) -> None:
    """How many differing printed figures the implied population reproduces."""
    rec = ctx.rec
    p = ctx.p
    implied = ctx.implied
    if implied:
        named = [f for f in rec.figures.values() if f.status == checks.DIFFERS
                 and "population the printed monthly rate implies" in f.reason]
        differing = [f for f in rec.figures.values() if f.status == checks.DIFFERS]
        rec.record(f"{p}.reproduced_with_implied", "Differing printed figures that the population "
                   "implied by the printed rate reproduces", len(named), "figures", 0)
        rec.record(f"{p}.differing_so_far", "Printed figures that differ",
                   len(differing), "figures", 0)


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


def _quarterly_display(q: pd.DataFrame, lay: Layout, rec: Recorder, p: str) -> pd.DataFrame:
    """The quarterly table as shown; each recorded figure in it is the figure itself (marked
    and linked in the appendix, :meth:`Recorder.cell`)."""
    def f(v: object, d: int = 0) -> str:
        return "[x]" if v is None or (isinstance(v, float) and pd.isna(v)) else \
            format_number(float(v), d)  # type: ignore[arg-type]

    def recorded(col: str, ids: tuple[str, ...], d: int) -> list[Figure | str]:
        out = []
        for period, v in zip(q["period"], q[col], strict=True):
            shown = f(v, d)
            qid = quarter_id(str(period))
            cells = [rec.cell(f"{p}.{i}.{qid}", shown) for i in ids]
            out.append(next((c for c in cells if not isinstance(c, str)), shown))
        return out

    out = pd.DataFrame({
        "Quarter": q["period"],
        "Days": q["days"].map(f),
        "18+ population": q["population"].map(f),
        "Delayed days (series)": recorded("actual_days", ("actual_days", "tab44_days"), 0),
        "Rate per 100,000 (series)": recorded("actual_rate", ("actual_rate", "tab44_rate"), 1),
        "Per day (series)": recorded("actual_rate_per_day", ("actual_rate_per_day",), 2),
        "Published by the meeting": q["known"].map({True: "yes", False: "no"}),
    })
    if lay.tab44 and "printed_days" in q.columns:
        out.insert(1, "Tab 4.4 row", q["kind"])
        out["Tab 4.4 delayed days (printed)"] = q["printed_days"].fillna("[x]")
        out["Tab 4.4 rate (printed)"] = q["printed_rate"].fillna("[x]")
        if "plan_rate_per_day" not in q.columns:
            q = q.assign(plan_rate_per_day=float("nan"))
        out["Plan per day (recomputed)"] = recorded("plan_rate_per_day", ("plan_rate_per_day",), 2)
    return out



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
    # the categories the series attributes delays to, and the national ambition's definition
    ev[f"{p}.responsible_categories"] = [dtoc.ORG_LABELS[o] for o in dtoc.ORGS]
    ev[f"{p}.national_ambition"] = {"is": NATIONAL_AMBITION}
    if "kind" in q.columns and (q["kind"] == "plan").any():
        first_plan = dtoc.months_of(q.loc[q["kind"] == "plan", "period"].iloc[0])[0]
        ev[f"{p}.first_plan_month"] = {"date": dt.date(int(first_plan[:4]),
                                                       int(first_plan[5:7]), 1)}
    # a printed total against its printed split by responsible organisation (the paper's own
    # figures: the target or expectation, and the actual where the board printed one)
    lay = layout(params.board)
    splits = {f"{p}.{lay.target_words}_sum_of_parts": lay.target,
              f"{p}.actual_sum_of_parts": {o: f"{p}.actual.{o}" for o in (*dtoc.ORGS, "total")}}
    for cid, ids in splits.items():
        if ids and all(ids.get(o) in pv for o in (*dtoc.ORGS, "total")):
            ev[cid] = {"total": pv[ids["total"]], "parts": [pv[ids[o]] for o in dtoc.ORGS]}
    if f"{p}.actual.total" in rec.figures and "total" in res.target:
        ev[f"{p}.not_achieved"] = {"value": _value(rec, f"{p}.actual.total"),
                                   "benchmark": res.target["total"]}
    if f"{p}.implied_population_18plus" in rec.figures:
        ev[f"{p}.rate_month"] = {"of": "population aged 18+"}
    ev[f"{p}.november_published"] = {"date": known.published_on(params.month)}
    return ev
