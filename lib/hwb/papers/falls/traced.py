"""Recorded figures for the falls appendix's chart descriptions and key tables.

Every number a chart description states, and every number of a key table, is a recorded
figure (issue 15: every number traceable): the description is written with
:meth:`~hwb.toolkit.figures.Recorder.describe` and the tables carry the
:class:`~hwb.toolkit.figures.Figure` objects themselves, so the appendix marks each number
with ``data-figure`` and links it to its figures-check row when it was printed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from hwb.toolkit.figures import Description, Figure, Recorder


def year_key(period: str) -> str:
    """A financial year as part of a figure id.

    Examples
    --------
    >>> year_key("2011/12"), year_key("Total")
    ('2011_12', 'total')
    """
    return period.replace("/", "_").lower()


def _finite(v: Any) -> bool:
    try:
        return math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def record_years(rec: Recorder, prefix: str, label: str, periods: Sequence[str],
                 values: Sequence[Any], unit: str = "", precision: int = 0,
                 **kw: Any) -> dict[str, Figure]:
    """Record one figure per year with a value, ids ``<prefix>.<year>``; reuse any already
    recorded under that id (a section recording twice is then harmless).

    Examples
    --------
    >>> rec = Recorder(publish=False)
    >>> f = record_years(rec, "rate_area", "York rate", ["2010/11", "2011/12"],
    ...                  [2272.0, float("nan")], "per 100,000")
    >>> {k: (v.id, v.text) for k, v in f.items()}
    {'2010/11': ('rate_area.2010_11', '2,272')}
    """
    out = {}
    for period, v in zip(periods, values, strict=True):
        if not _finite(v):
            continue
        fid = f"{prefix}.{year_key(period)}"
        out[period] = rec.figures.get(fid) or rec.record(
            fid, f"{label}, {period}", float(v), unit, precision, **kw)
    return out


def cells(figures: Mapping[str, Figure], periods: Sequence[str]) -> list[Any]:
    """The figures of ``periods`` as table cells, NaN (shown ``[x]``) where there is none."""
    return [figures.get(p, float("nan")) for p in periods]


def lines_description(rec: Recorder, kind: str, what: str,
                      series: Sequence[tuple[str, Mapping[str, Figure]]],
                      missing_id: str = "", periods: Sequence[str] = ()) -> Description:
    """A line chart's description, one sentence per series, every number a recorded figure.

    The sentences read as :func:`hwb.toolkit.charts.describe_groups` writes them: first and
    last year, direction, lowest and highest.  A series with years missing from ``periods``
    says how many, as a figure recorded under ``<missing_id>.<n>`` (the series' position).

    Examples
    --------
    >>> rec = Recorder(publish=False)
    >>> a = record_years(rec, "a", "A", ["2010/11", "2011/12", "2012/13"], [10.0, 8.0, 12.0])
    >>> str(lines_description(rec, "Line chart", "the rate", [("Ay", a)]))[24:]
    'Ay: from 2010/11 to 2012/13, rising from 10 to 12; lowest 8 (2011/12), highest 12 (2012/13).'
    """
    template = [f"{kind} of {{what}}."]
    values: dict[str, Any] = {"what": what}
    for i, (name, figs) in enumerate(series):
        years = list(figs)
        if not years:
            template.append(f"{{name{i}}}: no data.")
            values[f"name{i}"] = name
            continue
        v = [float(figs[y].value) for y in years]  # type: ignore[arg-type]
        lo = min(range(len(v)), key=v.__getitem__)
        hi = max(range(len(v)), key=v.__getitem__)
        trend = "rising" if v[-1] > v[0] else "falling" if v[-1] < v[0] else "unchanged"
        values.update({f"name{i}": name, f"first{i}": figs[years[0]],
                       f"last{i}": figs[years[-1]], f"lo{i}": figs[years[lo]],
                       f"hi{i}": figs[years[hi]]})
        text = (f"{{name{i}}}: from {years[0]} to {years[-1]}, {trend} from {{first{i}}} to "
                f"{{last{i}}}; lowest {{lo{i}}} ({years[lo]}), highest {{hi{i}}} ({years[hi]})")
        gaps = len([p for p in periods if p not in figs])
        if gaps and missing_id:
            values[f"gaps{i}"] = rec.record(f"{missing_id}.{i}", f"years without a value: "
                                            f"{name}", gaps, "years", 0)
            text += f"; {{gaps{i}}} {'years' if gaps > 1 else 'year'} not available"
        template.append(text + ".")
    return rec.describe(" ".join(template), **values)


def national_description(rec: Recorder, nat: pd.DataFrame, area_name: str,
                         comparator_name: str, start: str, end: str) -> Description:
    """The description of the chart of every area's change (``national_change``'s frame),
    every number a recorded figure.

    Uses the figures ``n_areas``, ``comparator_pct_change`` and, for an area in the chart,
    ``area_pct_change`` and ``area_rank``; records the lowest and highest change and how
    many areas' rates fell.
    """
    df = nat.sort_values("pct_change").reset_index(drop=True)
    lo, hi = df.iloc[0], df.iloc[-1]
    low = rec.record("national_lowest_change", f"lowest % change in the rate, {start} to {end} "
                     f"({lo['area_name']})", float(lo["pct_change"]), "percent", 1)
    high = rec.record("national_highest_change", f"highest % change in the rate, {start} to "
                      f"{end} ({hi['area_name']})", float(hi["pct_change"]), "percent", 1)
    fell = rec.record("national_n_fell", f"districts and unitary authorities whose rate fell, "
                      f"{start} to {end}", int((df["pct_change"] < 0).sum()), "areas", 0)
    text = ("Bar chart of the percentage change in the rate of emergency admissions for falls "
            f"aged 65+ from {start} to {end} in {{n_areas}} districts and unitary authorities, "
            "ranging from {low} ({lo_name}) to {high} ({hi_name}); {fell} of {n_areas} fell. "
            "{comparator}: {comparator_pct_change}.")
    if "area_rank" in rec.figures:
        text += (" {area}: {area_pct_change}, ranked {area_rank} of {n_areas} from the largest "
                 "fall.")
    return rec.describe(text, low=low, high=high, fell=fell, lo_name=str(lo["area_name"]),
                        hi_name=str(hi["area_name"]), comparator=comparator_name,
                        area=area_name)
