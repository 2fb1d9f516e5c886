"""Evidence for the BCF papers' printed statements (``data/bcf/printed_claims.csv``).

:func:`claims_evidence` gathers, for each claim of one board, what the shipped data say —
printed figures from ``printed_figures.csv``, the template's parts, NHS England's funding lines —
keyed as :func:`hwb.toolkit.claims.check_claims` looks it up (claim id, then subject).  The
verdicts themselves are the generic claim checks'; nothing here decides one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

CLAIMS_FILE = "bcf/printed_claims.csv"


def _printed(printed: pd.DataFrame, figure_id: str) -> str | None:
    """The value of one printed figure as printed, or None when it is not in the file."""
    sel = printed.loc[printed["figure_id"] == figure_id, "value"]
    return None if sel.empty else str(sel.iloc[0])


def _v(printed: pd.DataFrame, figure_id: str) -> float:
    return float(printed.loc[printed["figure_id"] == figure_id, "v"].iloc[0])


def _pair(printed: pd.DataFrame, value_id: str, benchmark_id: str) -> dict[str, float]:
    """A printed value and the printed benchmark it is compared with."""
    return {"value": _v(printed, value_id), "benchmark": _v(printed, benchmark_id)}


def series(printed: pd.DataFrame, prefix: str) -> pd.Series:
    """Printed values whose id is ``<prefix>.<period>``, indexed by period in time order.

    Examples
    --------
    >>> f = pd.DataFrame({"figure_id": ["a.2015-16", "a.2014-15", "a.2015-16.x"],
    ...                   "period": ["2015/16", "2014/15", "2015/16"], "v": [401.0, 469.0, 1.0]})
    >>> series(f, "a").to_dict()
    {'2014/15': 469.0, '2015/16': 401.0}
    """
    ids = printed["figure_id"].str.fullmatch(rf"{prefix}\.\d{{4}}-\d{{2}}")
    sel = printed[ids]
    return pd.Series(sel["v"].to_numpy(float), index=sel["period"]).sort_index()


def _difference(printed: pd.DataFrame, first_id: str, second_id: str) -> str:
    """The first printed count less the second, as a whole number."""
    return f"{_v(printed, first_id) - _v(printed, second_id):.0f}"


def _candidates(printed: pd.DataFrame, measure_prefix: str) -> dict[str, float]:
    """The template's 65+ populations by plan year, named as a claim's ``of=`` names them."""
    out = {}
    for _, r in printed[printed["figure_id"].str.startswith(measure_prefix)].iterrows():
        out[f"the {r['period']} population aged 65+"] = float(r["v"])
    return out


def _poisson_interval(count: float, conf: float) -> tuple[float, float]:
    from hwb import stats

    est = stats.rate_ci([count], [1.0], conf, 1.0)
    return float(est.lower[0]), float(est.upper[0])


def rotherham_evidence(printed: pd.DataFrame, meeting_date: str,
                       conf: float = 0.95) -> dict[str, Any]:
    """Evidence for Rotherham's claims (BCF plan 2017-19, item 15).

    Examples
    --------
    By hand: 329 admissions over each printed 65+ population x 100,000 gives 663.0 on 49,625
    (2015/16) and 651.2 on 50,524 (2016/17):

    >>> from hwb.papers.bcf import load_printed
    >>> ev = rotherham_evidence(load_printed("rotherham-2017-09-20"), "2017-09-20")
    >>> ev["rot.res65.rate_663_population"]["candidates"]["the 2015/16 population aged 65+"]
    49625.0
    """
    cand = _candidates(printed, "rot.res65.den.")
    pooled = [_v(printed, f"rot.bcf-income.{y}.total-bcf-pooled-budget")
              for y in ("2017-18", "2018-19")]
    minimum = [_v(printed, f"rot.bcf-income.{y}.total-minimum-ccg-contribution-nhs-rothe")
               for y in ("2017-18", "2018-19")]
    lo, hi = _poisson_interval(_v(printed, "rot.res65.count.2016-17"), conf)
    outturn = pd.Series({"2015/16": _v(printed, "rot.reab91.pct.2015-16.narrative-outturn"),
                         "2016/17": _v(printed, "rot.reab91.pct.2016-17.narrative-outturn")})
    return {
        "rot.social-care-investment-total.2016-17": _pair(printed,
            "rot.social-care-investment-total.2016-17",
            "rot.social-care-investment-total.2015-16"),
        "rot.bcf_pooled_budget": None,
        "rot.res65.count.2015-16": _pair(printed,
            "rot.res65.count.2015-16",
            "rot.res65.count.2014-15"),
        "rot.res65.count_2015_16_vs_template": {
            "this": _printed(printed, "rot.res65.count.2015-16"),
            "other": _printed(printed, "rot.res65.num.2015-16")},
        "rot.day_care.count.2015-16": None,
        "rot.reab91.pct.2016-17.narrative-outturn": {"value": outturn["2016/17"],
                                                     "benchmark": outturn["2015/16"]},
        "rot.reab91.slight_increase_2015_16": outturn[["2015/16"]],
        "reab91": None,
        "rot.reab91.definition_narrative": {"age": "65 and over"},
        "rot.reab91.outturn_2015_16_vs_template": {
            "this": _printed(printed, "rot.reab91.pct.2015-16.narrative-outturn"),
            "other": _printed(printed,
                              "rot.reab91.pct.2015-16.annual-template-column-15-16-actual")},
        "rot.reab91.people.2016-17": _pair(printed,
            "rot.reab91.people.2016-17",
            "rot.reab91.people.2015-16"),
        "rot.reab91.people_2015_16_vs_template": {
            "this": _printed(printed, "rot.reab91.people.2015-16"),
            "other": _printed(printed, "rot.reab91.den.2015-16")},
        "rot.residential-intermediate-care-utilisation": series(
            printed, "rot.residential-intermediate-care-utilisation"),
        "rot.res65.rate_663_population": {
            "numerator": _v(printed, "rot.res65.count.2016-17"), "printed": "663",
            "candidates": cand, "multiplier": 100_000},
        "rot.res65.significant_improvement": {
            "value": _v(printed, "rot.res65.count.2016-17"),
            "benchmark": _v(printed, "rot.res65.count.2015-16"), "lower": lo, "upper": hi},
        "rot.res65.q1_below_target": {
            "value": _v(printed, "rot.res65.count.2017-18q1.narrative-to-date"),
            "benchmark": _v(printed, "rot.res65.count.2017-18q1.narrative-quarter-1-target")},
        "rot.res65.target_rate_589": {
            "numerator": _v(printed, "rot.res65.count.2017-18"),
            "printed": _printed(printed, "rot.res65.rate.2017-18.narrative-target-rate"),
            "candidates": cand, "multiplier": 100_000},
        "rot.res65.target_vs_template": {
            "this": _printed(printed, "rot.res65.count.2017-18"),
            "other": _printed(printed, "rot.res65.num.2017-18")},
        "rot.res65.fewer_2017_18": {
            "this": _printed(printed, "rot.res65.reduction.2017-18"),
            "other": _difference(printed, "rot.res65.count.2016-17", "rot.res65.count.2017-18")},
        "rot.res65.fewer_2018_19": {
            "this": _printed(printed, "rot.res65.reduction.2018-19"),
            "other": _difference(printed, "rot.res65.num.2017-18", "rot.res65.num.2018-19")},
        "rot.reab91.target_2017_18_vs_template": {
            "this": _printed(printed, "rot.reab91.pct.2017-18.narrative-target"),
            "other": _printed(printed,
                              "rot.reab91.pct.2017-18.annual-template-column-17-18-plan")},
        "rot.reab91.target_2018_19_vs_template": {
            "this": _printed(printed, "rot.reab91.pct.2018-19.narrative-target"),
            "other": _printed(printed,
                              "rot.reab91.pct.2018-19.annual-template-column-18-19-plan")},
        "rot.social-care-investment-from-ccg-minimum.2017-18": _pair(printed,
            "rot.social-care-investment-from-ccg-minimum.2017-18",
            "rot.social-care-investment-from-ccg-minimum.2016-17"),
        "rot.social_care_from_minimum.in_line": {
            "value": _v(printed, "rot.social-care-investment-from-ccg-minimum.2018-19"),
            "benchmark": (pooled[1] / pooled[0] - 1) * 100,
            "note": f"the CCG minimum grows {(minimum[1] / minimum[0] - 1) * 100:.2f}%"},
        "meeting_date": {"date": meeting_date},
    }


def rotherham_scheme_evidence(schemes: pd.DataFrame) -> dict[str, Any]:
    """Evidence for the risk register's and scheme narratives' claims, from the template's
    expenditure plan (tab 3, :func:`hwb.papers.bcf.load_schemes`); ``None`` where the shipped
    data hold nothing on the subject (the verdict is then "cannot be tested").

    Examples
    --------
    >>> from hwb.papers.bcf import load_schemes
    >>> ev = rotherham_scheme_evidence(load_schemes())
    >>> ev["rot.template.risk_pool_years"]
    ['2017/18', '2018/19']
    """
    lines = schemes.drop_duplicates("scheme_id")
    spent = schemes[schemes["expenditure"].fillna(0) > 0]
    pool = spent[spent["scheme_name"].str.fullmatch("Risk Pool", case=False)]
    one_year = lines[lines["duration"].str.contains("Only", na=False)]
    infra = one_year[one_year["scheme_type"].str.startswith("16.")
                     | one_year["scheme_name"].str.contains(
                         r"\bIT\b|infrastructure|commissioning", case=False, regex=True)]
    status = lines["new_existing"].str.strip().str.lower()
    return {
        "rot.template.risk_pool_lines": sorted(
            f"scheme {i}: {n}" for i, n in pool[["scheme_id", "scheme_name"]]
            .drop_duplicates().itertuples(index=False)),
        "rot.template.risk_pool_years": sorted(pool["year"].unique()),
        "rot.template.non_recurrent_infrastructure": [
            f"scheme {i}: {n}" for i, n in infra[["scheme_id", "scheme_name"]]
            .itertuples(index=False)],
        "rot.template.existing_schemes": {"value": int((status == "existing").sum()),
                                          "benchmark": int((status == "new").sum())},
        "rot.plan_2015_16": None,
        "rot.ae_delivery_board": None,
        "rot.discharge_mou": None,
        "rot.ackroyd_house_beds": None,
        "rot.woodlands_beds": None,
        "rot.shaftesbury_house": None,
    }


def leicestershire_evidence(printed: pd.DataFrame, meeting_date: str) -> dict[str, Any]:
    """Evidence for Leicestershire's claims (BCF s75 agreement, item 14).

    Examples
    --------
    >>> from hwb.papers.bcf import load_printed
    >>> leicestershire_evidence(load_printed("leicestershire-2018-01-25"), "2018-01-25")[
    ...     "lei.s75.years"]
    ['2017/18', '2018/19']
    """
    funding = printed[printed["measure"] == "bcf_funding_source"]
    return {
        "lei.s75.years": sorted(funding["period"].unique()),
        # as printed in the report: paragraph 6 (line 5695) and paragraph 9 (line 5720)
        "lei.dates": {"ccg_approval": "2017-12-12", "nhse_approval": "2017-12-20",
                      "meeting": meeting_date},
    }


def claims_evidence(printed: pd.DataFrame, board: str, meeting_date: str,
                    conf: float = 0.95) -> Mapping[str, Any]:
    """The evidence for one board's claims, keyed by claim id or subject."""
    if board.startswith("rotherham"):
        from hwb.papers.bcf.money import load_schemes

        return {**rotherham_evidence(printed, meeting_date, conf),
                **rotherham_scheme_evidence(load_schemes())}
    if board.startswith("leicestershire"):
        return leicestershire_evidence(printed, meeting_date)
    return {}


def check_board_claims(printed: pd.DataFrame, board: str, meeting_date: str,
                       conf: float = 0.95) -> pd.DataFrame:
    """Every claim of one board checked on its evidence (:func:`hwb.toolkit.claims.check_claims`).

    Examples
    --------
    >>> from hwb.papers.bcf import load_printed
    >>> r = check_board_claims(load_printed("leicestershire-2018-01-25"),
    ...                        "leicestershire-2018-01-25", "2018-01-25")
    >>> r[["claim_id", "status"]].values.tolist()[0]
    ['lei.s75.span', 'holds']
    """
    from hwb.sources import data
    from hwb.toolkit import claims

    found = claims.load_claims(data.path(CLAIMS_FILE), board=board)
    return claims.check_claims(found, claims_evidence(printed, board, meeting_date, conf))
