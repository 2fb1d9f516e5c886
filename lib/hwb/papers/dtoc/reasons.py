"""Reasons for delay: the month's delayed days by reason, and the trend of the main reasons.

NHS England's reason file (``data/dtoc/dtoc_delayed_days_by_reason_2011-04_to_2019-12.csv``,
read by :func:`hwb.sources.dtoc.load_reasons`) splits each month's delayed days of an area by
the reason for the delay.  It has no split by responsible organisation within a reason (that
file is separate, and the two cannot be crossed), so the appendix shows reasons and responsible
organisations side by side, never one within the other.

The main reasons are the three with the most delayed days over the trend's months that were
published by the meeting: what the board could have known.  Each is shown as NHS England's
*Making Data Count* SPC chart of the monthly rate per day per 100,000 aged 18+ (the same
measure as the appendix's trend), with no interval: delayed days are not independent events
(one patient delayed for a month is thirty delayed days).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from hwb.papers.dtoc import known
from hwb.papers.dtoc.params import PER, DtocParams
from hwb.sources import dtoc
from hwb.toolkit.figures import Figure, Recorder

SLUGS = {
    "Awaiting completion of assessment": "assessment",
    "Awaiting public funding": "public_funding",
    "Awaiting further NHS non-acute care": "nhs_non_acute",
    "Awaiting residential home placement or availability": "residential_home",
    "Awaiting nursing home placement or availability": "nursing_home",
    "Awaiting care package in own home": "care_package",
    "Awaiting community equipment and adaptations": "equipment",
    "Patient or family choice": "choice",
    "Disputes": "disputes",
    "Housing - Patients not covered by NHS and Community Care Act": "housing",
    "Other": "other",
}
"""Each reason of the file (:data:`hwb.sources.dtoc.REASON_COLUMNS`) as it appears in figure ids."""
MAIN = 3
"""How many main reasons get a trend chart."""


def month_by_reason(reasons: pd.DataFrame, area_code: str, month: str) -> pd.DataFrame:
    """An area's delayed days by reason in one month, with each reason's share of the total.

    The share is of the days of the reasons the file gives (their sum is the all-reasons total
    on every row of the shipped file); a reason the file leaves blank ("Other" before April
    2017) has no days and no share.

    Examples
    --------
    Rotherham, September 2017 (the file's row): 276 of the 674 days were awaiting completion of
    assessment, 276 / 674 = 40.95%; 159 awaiting further NHS non-acute care, 23.59%.

    >>> from hwb.sources import dtoc
    >>> t = month_by_reason(dtoc.load_reasons(), "E08000018", "2017-09").set_index("reason")
    >>> int(t["days"].sum()), int(t.loc["Awaiting completion of assessment", "days"])
    (674, 276)
    >>> round(float(t.loc["Awaiting completion of assessment", "share"]), 2)
    40.95
    """
    rows = reasons[(reasons["area_code"] == area_code) & (reasons["month"] == month)]
    out = rows[["reason", "days"]].reset_index(drop=True).copy()
    total = out["days"].sum(min_count=1)
    out["share"] = out["days"] / total * 100
    return out


def main_reasons(reasons: pd.DataFrame, area_code: str, months: Sequence[str],
                 n: int = MAIN) -> pd.DataFrame:
    """The ``n`` reasons with the most delayed days over ``months`` (ties: the file's order).

    Examples
    --------
    Rotherham, April to July 2017, summed by hand from the file's rows: awaiting completion of
    assessment 246 + 394 + 509 + 376 = 1,525; awaiting further NHS non-acute care
    232 + 223 + 136 + 114 = 705; patient or family choice 90 + 131 + 67 + 111 = 399 (next:
    community equipment 46 + 79 + 69 + 88 = 282).

    >>> from hwb.sources import dtoc
    >>> m = main_reasons(dtoc.load_reasons(), "E08000018", dtoc.month_range("2017-04", "2017-07"))
    >>> [(r, int(d)) for r, d in zip(m["reason"], m["days"])]  # doctest: +NORMALIZE_WHITESPACE
    [('Awaiting completion of assessment', 1525), ('Awaiting further NHS non-acute care', 705),
     ('Patient or family choice', 399)]
    """
    rows = reasons[(reasons["area_code"] == area_code) & reasons["month"].isin(list(months))]
    sums = rows.groupby("reason", sort=False)["days"].sum(min_count=1)
    order = {r: i for i, r in enumerate(dtoc.REASON_COLUMNS)}
    ranked = sorted(((r, d) for r, d in sums.items() if pd.notna(d)),
                    key=lambda t: (-t[1], order[t[0]]))
    return pd.DataFrame(ranked[:n], columns=["reason", "days"])


def reason_rates(reasons: pd.DataFrame, area_code: str, reason: str, months: Sequence[str],
                 population: Callable[[str], float]) -> pd.DataFrame:
    """One reason's monthly delayed days and rate per day per 100,000 aged 18+.

    Examples
    --------
    Rotherham, September 2017, awaiting completion of assessment: 276 days / 30 days /
    205,748 aged 18+ (the BCF template's 2017 denominator) x 100,000 = 4.47 per day.

    >>> from hwb.sources import dtoc
    >>> t = reason_rates(dtoc.load_reasons(), "E08000018", "Awaiting completion of assessment",
    ...                  ["2017-09"], lambda m: 205_748)
    >>> int(t["days"].iloc[0]), round(float(t["rate_per_day"].iloc[0]), 2)
    (276, 4.47)
    """
    rows = reasons[(reasons["area_code"] == area_code) & (reasons["reason"] == reason)]
    by_month = rows.set_index("month")["days"]
    out = pd.DataFrame({"period": list(months)})
    out["days"] = [float(by_month.get(m, float("nan"))) for m in months]
    out["rate_per_day"] = [d / dtoc.days_in_month(m) / population(m) * PER
                           for m, d in zip(out["period"], out["days"], strict=True)]
    return out


@dataclass
class Reasons:
    """What the reasons section shows."""

    table: pd.DataFrame
    """The month's delayed days and shares by reason (display-ready), and the latest month
    published by the meeting beside it when that is another month."""
    main: list[str]
    """The main reasons, most delayed days first (over the months known at the meeting)."""
    window: tuple[str, str]
    """First and last month the main reasons were chosen on."""
    trends: dict[str, dict[str, object]] = field(default_factory=dict)
    """Per main reason: ``rates`` (:func:`reason_rates`), ``frame``, ``summary``, ``figures``
    (the numbers of its chart description, recorded), and ``verdict_at_meeting`` where later
    months were published after the meeting."""
    figures: dict[str, Figure] = field(default_factory=dict)
    """Figures the words quote (main-reason totals over the window), by reason."""


def _lower_first(text: str) -> str:
    """A reason inside a sentence: its first letter in lower case, the rest as written.

    Examples
    --------
    >>> _lower_first("Awaiting further NHS non-acute care")
    'awaiting further NHS non-acute care'
    """
    return text[:1].lower() + text[1:]


def _vintage(month: str) -> str:
    d = known.published_on(month)
    return f"NHS England DTOC monthly SitRep, {dtoc.month_label(month)}, first published {d}"


def compute_reasons(rec: Recorder, params: DtocParams, p: str, known_to: str,
                    population: Callable[[str], float],
                    reasons: pd.DataFrame | None = None) -> Reasons:
    """Record the reasons section's figures and build its table and trends.

    Parameters
    ----------
    rec : Recorder
    params : DtocParams
    p : str
        The run's figure-id prefix (:func:`hwb.papers.dtoc.prefix`).
    known_to : str
        The latest month published by the meeting (``Results.known_to``).
    population : callable
        The 18+ population of a month (``Results.denominators``).
    reasons : DataFrame, optional
        :func:`hwb.sources.dtoc.load_reasons` (loaded when not given).
    """
    from hwb import stats
    from hwb.papers.dtoc import linking

    reasons = dtoc.area_reasons(reasons, params.area_code)  # the shipped file's when not given
    meeting = params.meeting_date
    months = [params.month]
    if known_to != params.month and not known.known_at(params.month, meeting):
        months.insert(0, known_to)
    cols: dict[str, list[Figure | str]] = {}
    for mo in months:
        t = month_by_reason(reasons, params.area_code, mo)
        late = not known.known_at(mo, meeting)
        head = dtoc.month_label(mo) + (" (published after the meeting)" if late else
                                       " (published by the meeting)" if meeting else "")
        pre = f"{p}.known.reason" if mo != params.month else f"{p}.reason"
        days, shares = [], []
        for _, r in t.iterrows():
            slug = SLUGS[r["reason"]]
            kw = {"inputs": [dtoc.REASON_FILE], "vintage": _vintage(mo), "hindsight": late}
            if pd.isna(r["days"]):
                days.append("[x]")
                shares.append("[x]")
                continue
            d = rec.record(f"{pre}.{slug}.days", f"Delayed days in {dtoc.month_label(mo)}: "
                           f"{r['reason']}", float(r["days"]), "days", 0,
                           method="the reason file's row for the area and month", **kw)
            s = rec.record(f"{pre}.{slug}.share", f"Share of delayed days in "
                           f"{dtoc.month_label(mo)}: {r['reason']}", float(r["share"]),
                           "percent", 1, method="delayed days for the reason / delayed days for "
                           "all reasons x 100", **kw)
            days.append(d)  # the figures themselves: the table marks each one
            shares.append(s)
        cols[f"Delayed days, {head}"] = days
        cols[f"Share, {head}"] = shares
        reason_names = list(t["reason"])
    table = pd.DataFrame({"Reason for delay": reason_names, **cols})
    trend = dtoc.month_range(params.trend_start, params.trend_end)
    seen = [mo for mo in trend if mo <= known_to] or trend
    main = main_reasons(reasons, params.area_code, seen)
    window = (seen[0], seen[-1])
    words = f"{dtoc.month_label(window[0])} to {dtoc.month_label(window[1])}"
    out = Reasons(table=table, main=list(main["reason"]), window=window)
    for reason, total in zip(main["reason"], main["days"], strict=True):
        slug = SLUGS[reason]
        out.figures[reason] = rec.record(
            f"{p}.reason_main.{slug}.days", f"Delayed days, {words}: {reason}", float(total),
            "days", 0, inputs=[dtoc.REASON_FILE], vintage=_vintage(window[1]),
            hindsight=not known.known_at(window[1], meeting),
            method="sum of the reason's monthly delayed days (months published by the meeting)")
        rates = reason_rates(reasons, params.area_code, reason, trend, population)
        frame, summary = stats.xmr(rates["rate_per_day"].to_numpy(dtype=float), trend,
                                   improvement="decrease")
        frame["x"] = [dtoc.month_label(m) for m in trend]
        late = not known.known_at(trend[-1], meeting)
        what = f"patients delayed per day per 100,000 aged 18+, {_lower_first(reason)}"
        figs = linking.spc_figures(rec, f"{p}.reason.{slug}.spc", frame, summary, what,
                                   vintage=_vintage(trend[-1]), hindsight=late)
        rec.record(f"{p}.reason.{slug}.spc_variation", f"SPC variation verdict, "
                   f"{dtoc.month_label(trend[-1])}: {reason}", summary.variation,
                   method=summary.method, vintage=_vintage(trend[-1]), hindsight=late)
        entry: dict[str, object] = {"rates": rates, "frame": frame, "summary": summary,
                                    "figures": figs, "what": what}
        before = [i for i, mo in enumerate(trend) if mo <= known_to]
        if before and len(before) < len(trend):
            f2, s2 = stats.xmr(rates["rate_per_day"].to_numpy(dtype=float)[:len(before)],
                               trend[:len(before)], improvement="decrease")
            entry["verdict_at_meeting"] = rec.record(
                f"{p}.reason.{slug}.spc_variation_at_meeting", f"SPC variation verdict, "
                f"{dtoc.month_label(known_to)} (the latest month published by the meeting): "
                f"{reason}", s2.variation, method=s2.method, vintage=_vintage(known_to))
        out.trends[reason] = entry
    return out


def reason_chart(rs: Reasons, reason: str, params: DtocParams,
                 meeting_known: Callable[[str], bool]) -> tuple[object, pd.DataFrame, str]:
    """One main reason's SPC chart, its data and its text alternative.

    Returns
    -------
    (figure, data, alt)
    """
    from hwb.fmt import format_number
    from hwb.toolkit import spc_chart

    e = rs.trends[reason]
    frame, summary, rates = e["frame"], e["summary"], e["rates"]
    title = f"Patients delayed per day per 100,000 aged 18+: {_lower_first(reason)}"
    fig = spc_chart.spc_chart(frame, summary, title, "Patients delayed per day per 100,000 "
                              "aged 18+", decimals=2)
    alt = spc_chart.describe_spc(frame, summary, f"{e['what']} in {params.area_name}",
                                 decimals=2)
    data = pd.DataFrame({
        "Month": frame["x"].tolist(),
        "Delayed days": rates["days"].map(format_number).tolist(),
        "Per day per 100,000 aged 18+": rates["rate_per_day"].map(
            lambda v: format_number(v, 2)).tolist(),
        "SPC verdict": frame["verdict"].tolist(),
        "Published by the meeting": ["yes" if meeting_known(m) else "no"
                                     for m in rates["period"]],
    })
    return fig, data, alt


def describe_start(rs: Reasons, reason: str, params: DtocParams) -> int:
    """Where the numbers of a reason chart's description start (past the measure's name)."""
    return len(f"SPC (XmR) chart of {rs.trends[reason]['what']} in {params.area_name}, ")


def reasons_words(rec: Recorder, params: DtocParams, rs: Reasons) -> object:
    """The main reasons in words, each number a recorded figure (:meth:`Recorder.say`)."""
    window = f"{dtoc.month_label(rs.window[0])} to {dtoc.month_label(rs.window[1])}"
    if not rs.main:
        return rec.say(f"No reason for delay has delayed days in {window}.")
    names = {f"r{i}": _lower_first(r) for i, r in enumerate(rs.main)}
    days = {f"d{i}": rs.figures[r] for i, r in enumerate(rs.main)}
    items = [f"{{r{i}}} ({{d{i}}} days)" for i in range(len(rs.main))]
    listed = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    known_words = (" (the months published by the meeting)" if params.meeting_date else "")
    text = f"From {{window}}{known_words}, the main reasons for delay were {listed}. "
    verdicts = {}
    parts = []
    for i, r in enumerate(rs.main):
        e = rs.trends[r]
        verdicts[f"v{i}"] = rec[f"{rec_prefix(rs, r)}.spc_variation"]
        part = f"{{r{i}}}: {{v{i}}}"
        if "verdict_at_meeting" in e:
            verdicts[f"m{i}"] = e["verdict_at_meeting"]
            part += f" (at the meeting: {{m{i}}})"
        parts.append(part)
    text += ("Their SPC charts' latest months show " + "; ".join(parts) + ". The reason file "
             "gives no split by responsible organisation within a reason.")
    return rec.say(text, window=window, **names, **days, **verdicts)


def rec_prefix(rs: Reasons, reason: str) -> str:
    """The figure-id stem of a main reason's trend (``<area>.reason.<slug>``)."""
    fid = rs.trends[reason]["figures"][0].id  # <area>.reason.<slug>.spc.points
    return fid.rsplit(".", 2)[0]


def reason_chart_html(rs: Reasons, reason: str, params: DtocParams,
                      meeting_known: Callable[[str], bool], source: str) -> object:
    """A main reason's SPC chart as the appendix shows it, every number of its description a
    recorded figure marked for the figures check (:func:`hwb.papers.dtoc.linking.chart`)."""
    from hwb.papers.dtoc import linking

    fig, data, alt = reason_chart(rs, reason, params, meeting_known)
    return linking.chart(fig, f"{reason}: patients delayed per day per 100,000 aged 18+, by "
                         f"month, {params.area_name}", source, alt, rs.trends[reason]["figures"],
                         data, start=describe_start(rs, reason, params))
