"""Falls for any board: the published rates, England, comparable councils, admissions avoided.

Every board with published rates gets this part of the appendix, whether or not its paper
claimed a saving: the area's directly standardised rate (PHOF 2.24i) against England, the
change against every district and unitary authority, the same change among its comparable
councils (CIPFA nearest neighbours), and, where no printed count anchors the rates, the
admissions avoided at the standard age mix (:func:`avoided_at_standard_age_mix`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from hwb.errors import DataError
from hwb.sources.phof_falls import NATIONAL_FILE, load_national, national_change

from . import (
    PER,
    FallsAnalysis,
    FallsParams,
    analyse,
    area_rates,
    counterfactual_rates,
    fy_start,
)

COUNTY_PREFIX = "E10"
"""Shire counties: absent from the shipped PHOF file (their districts are in it)."""


@dataclass(frozen=True)
class BoardFalls:
    """What the shipped data say about one board's falls rates (see :func:`board_falls`)."""

    params: FallsParams
    rates: pd.DataFrame | None
    """``period, area, comparator``: the two rate series; None when the area has none."""
    no_rates: str
    """Why the area has no rates in the shipped file ("" when it has)."""
    national: pd.DataFrame
    """From :func:`hwb.sources.phof_falls.national_change`."""
    neighbours: pd.DataFrame
    """From :func:`comparable_councils`."""
    neighbours_note: str
    """The comparison's vintage and source, or why there is none."""
    avoided: pd.DataFrame
    """From :func:`avoided_at_standard_age_mix` (empty for a board with a printed claim)."""
    avoided_note: str
    """Why there is no population-based estimate ("" when there is one)."""


@dataclass(frozen=True)
class FallsRun:
    """One run of the falls paper: every board's part, and a printed claim's when there is one."""

    params: FallsParams
    board: BoardFalls
    claim: FallsAnalysis | None
    """The rebuild of the board's printed saving (None when the board printed none)."""
    printed: pd.DataFrame | None


def no_rates_reason(national: pd.DataFrame, params: FallsParams) -> str:
    """Why the shipped file gives no usable rates for the area, or "" when it does.

    Examples
    --------
    >>> n = pd.DataFrame({"area_code": ["E08000018"], "area_name": ["Rotherham"],
    ...                   "period": ["2011/12"], "dsr": [2407.0]})
    >>> p = FallsParams(area_code="E10000018", period="2012/13-2015/16")
    >>> no_rates_reason(n, p)[:40]
    'No published rates in the shipped file: '
    """
    code, name = params.area_code, params.area_name
    head = "No published rates in the shipped file: "
    if code.startswith(COUNTY_PREFIX):
        return (head + f"{name} is a shire county, and the PHOF falls indicator (22401) as "
                "shipped covers districts and unitary authorities only.")
    rows = national[national["area_code"] == code]
    if rows.empty:
        return (head + f"{name} ({code}) is not among its districts and unitary authorities "
                "(the file is on the April 2018 boundaries).")
    have = set(rows.dropna(subset=["dsr"])["period"])
    if not have:
        return head + f"the rates for {name} are blank in every year."
    needed = [*params.pre_period, *params.evaluation_years]
    missing = [y for y in needed if y not in have]
    if missing:
        return head + f"{name} has no rate for {', '.join(missing)}."
    return ""


def comparable_councils(national: pd.DataFrame, area_code: str, start: str,
                        end: str) -> tuple[pd.DataFrame, str]:
    """The change in the rate among the area's comparable councils (CIPFA nearest neighbours).

    Returns
    -------
    (DataFrame, str)
        ``area_code, area_name, dsr_start, dsr_end, pct_change, is_area, note`` (the area
        first, then its neighbours by change; a neighbour without rates keeps its reason in
        ``note``), and the comparison's vintage and source, or why there is none.
    """
    empty = pd.DataFrame(columns=["area_code", "area_name", "dsr_start", "dsr_end",
                                  "pct_change", "is_area", "note"])
    try:
        from hwb.sources import cipfa
    except ImportError:
        return empty, "Comparable councils (CIPFA nearest neighbours) are not shipped."
    try:
        codes = list(cipfa.neighbours(area_code))
    except DataError as e:
        return empty, f"No comparable councils: {e}"
    from hwb.sources.params import area_names

    names = area_names()
    wide = national.pivot_table(index="area_code", columns="period", values="dsr",
                                aggfunc="first")
    shipped = dict(zip(national["area_code"], national["area_name"], strict=False))
    rows = []
    for code in [area_code, *codes]:
        name = names.get(code) or shipped.get(code, code)
        a = b = float("nan")
        note = ""
        if code.startswith(COUNTY_PREFIX):
            note = "shire county: no published rates in the shipped file"
        elif code not in wide.index:
            note = "not in the shipped file (April 2018 boundaries)"
        else:
            a, b = (float(wide.loc[code].get(y, float("nan"))) for y in (start, end))
            if pd.isna(a) or pd.isna(b):
                note = f"no rate for {start if pd.isna(a) else end}"
        rows.append({"area_code": code, "area_name": name, "dsr_start": a, "dsr_end": b,
                     "pct_change": (b / a - 1) * 100 if not note else float("nan"),
                     "is_area": code == area_code, "note": note})
    df = pd.DataFrame(rows)
    df = pd.concat([df[df["is_area"]], df[~df["is_area"]].sort_values(
        ["pct_change", "area_name"], na_position="last")], ignore_index=True)
    return df, f"Comparable councils: {cipfa.VINTAGE} ({cipfa.SOURCE})."


def avoided_at_standard_age_mix(national: pd.DataFrame, params: FallsParams) -> pd.DataFrame:
    """Admissions avoided against the counterfactual, at the standard age mix, by year.

    Without a printed count, a standardised rate does not give a count: the count is the
    rate times the 65+ population times the ratio of the crude to the standardised rate,
    which depends on the area's age mix within 65+.  This takes that ratio as one (the age
    mix of the European Standard Population): expected = counterfactual rate x 65+
    population / 100,000, observed = rate x population / 100,000, avoided = the difference.

    Returns
    -------
    DataFrame
        ``period, population, vintage, dsr_observed, dsr_expected, expected, observed,
        avoided`` for each evaluation year, then a ``Total`` row.

    Raises
    ------
    DataError
        The population series does not cover a year (``hwb.sources.population_by_year``).

    Examples
    --------
    A counterfactual rate of 2,200 against an observed 2,000 per 100,000 in 50,000 people
    aged 65+: 1,100 expected, 1,000 observed, 100 avoided at the standard age mix.
    """
    from hwb.sources import population_by_year

    p = params
    cf = counterfactual_rates(national, p.area_code, p.comparator_code, p.pre_period,
                              p.evaluation_years, p.counterfactual_method)
    rows = []
    for _, r in cf.iterrows():
        est = population_by_year.population(p.area_code, fy_start(r["period"]), "65+")
        pop = float(est.value)
        rows.append({"period": r["period"], "population": pop, "vintage": est.vintage,
                     "dsr_observed": float(r["dsr_observed"]),
                     "dsr_expected": float(r["dsr_expected"]),
                     "expected": float(r["dsr_expected"]) * pop / PER,
                     "observed": float(r["dsr_observed"]) * pop / PER})
    df = pd.DataFrame(rows)
    df["avoided"] = df["expected"] - df["observed"]
    total = {"period": "Total", "population": float("nan"), "vintage": "",
             "dsr_observed": float("nan"), "dsr_expected": float("nan"),
             "expected": float(df["expected"].sum()), "observed": float(df["observed"].sum()),
             "avoided": float(df["avoided"].sum())}
    return pd.concat([df, pd.DataFrame([total])], ignore_index=True)


def board_falls(params: FallsParams, national: pd.DataFrame | None = None,
                with_estimate: bool = True) -> BoardFalls:
    """Every board's part of the falls appendix, from the shipped national file.

    Parameters
    ----------
    params : FallsParams
    national : DataFrame, optional
        From :func:`hwb.sources.phof_falls.load_national` (loaded when not given).
    with_estimate : bool
        Compute :func:`avoided_at_standard_age_mix` (a board whose printed counts anchor
        the rates has a better estimate and skips it).

    Returns
    -------
    BoardFalls
        A shire county, or an area without rates for the years asked, has ``rates`` None
        and the reason in ``no_rates``: the appendix says so rather than failing.
    """
    national = load_national() if national is None else national
    p = params
    reason = no_rates_reason(national, p)
    rates = None
    if not reason:
        area = area_rates(national, p.area_code)
        comp = area_rates(national, p.comparator_code)
        rates = pd.DataFrame({"period": area.index, "area": area.to_numpy(),
                              "comparator": comp.reindex(area.index).to_numpy()})
    nat = national_change(national, p.national_start, p.national_end, p.comparator_code)
    neighbours, note = comparable_councils(national, p.area_code, p.national_start,
                                           p.national_end)
    avoided, avoided_note = pd.DataFrame(), ""
    if reason:
        avoided_note = reason
    elif with_estimate:
        try:
            avoided = avoided_at_standard_age_mix(national, p)
        except DataError as e:
            avoided_note = f"No population-based estimate: {e}"
    return BoardFalls(params=p, rates=rates, no_rates=reason, national=nat,
                      neighbours=neighbours, neighbours_note=note, avoided=avoided,
                      avoided_note=avoided_note)


def compute(params: FallsParams, printed: pd.DataFrame | None) -> FallsRun:
    """The whole falls appendix for one board: every board's part, and the claim if printed.

    Raises
    ------
    DataError
        A shipped input is malformed (a board without rates is not an error).
    """
    national = load_national()
    claimed = printed is not None and len(printed) > 0
    board = board_falls(params, national, with_estimate=not claimed)
    claim = None
    if claimed and board.rates is not None:
        claim = analyse(params, printed, national=national)
    elif claimed:
        raise DataError(NATIONAL_FILE, board.no_rates, column="area_code",
                        value=params.area_code)
    return FallsRun(params=params, board=board, claim=claim, printed=printed)


def coverage(area_codes: list[str], period: str,
             national: pd.DataFrame | None = None) -> pd.DataFrame:
    """Which boards the shipped rates cover for ``period``, and why the others are not.

    For a national run: every board still gets an appendix (one that says it has no rates),
    but a summary can count the boards covered and give each other board its reason.

    Returns
    -------
    DataFrame
        ``area_code, area_name, covered, reason`` ("" when covered).

    Examples
    --------
    >>> c = coverage(["E06000014", "E10000018"], "2012/13-2015/16")
    >>> c["covered"].tolist(), c["reason"].iloc[1][:60]
    ([True, False], 'No published rates in the shipped file: Leicestershire is a ')
    """
    national = load_national() if national is None else national
    rows = []
    for code in area_codes:
        p = FallsParams(area_code=code, period=period)
        reason = no_rates_reason(national, p)
        rows.append({"area_code": code, "area_name": p.area_name, "covered": not reason,
                     "reason": reason})
    return pd.DataFrame(rows, columns=["area_code", "area_name", "covered", "reason"])
