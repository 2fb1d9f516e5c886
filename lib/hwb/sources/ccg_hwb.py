"""The national CCG-to-Health and Wellbeing Board mapping for 2017-19, and apportioning with it.

NHS England's BCF 2017-19 planning template carries a "CCG - HWB Mapping" tab:
for every pair of a clinical commissioning group (CCG) and a Health and
Wellbeing Board (HWB, an upper-tier local authority) whose populations
overlap, the share of the CCG's registered population living in the HWB
(``pct_ccg_in_hwb``) and the share of the HWB's population registered with the
CCG (``pct_hwb_in_ccg``), each printed to one decimal place.

The template used the first share to turn CCG non-elective admission plans into
an HWB plan ("the % contribution of each CCG to the HWB level plan, based on
the CCG-HWB mapping").  :func:`ccg_to_hwb` does the same; :func:`hwb_to_ccg`
goes back the other way with the second share.  :func:`share_check` tests that
each CCG's and each HWB's shares sum to 100 within the rounding of the printed
shares.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd

from hwb.errors import DataError
from hwb.rounding import sum_of_parts
from hwb.sources import data

MAPPING_FILE = "bcf/ccg_hwb_mapping.csv"
"""The mapping as printed, under the project's ``data/`` folder."""


def _hwb_code(v: str) -> bool:
    # a joint board prints its two codes: "E06000028 & E06000029" (Bournemouth and Poole)
    return all(c[:3] in {"E06", "E08", "E09", "E10"} and len(c) == 9
               for c in str(v).split(" & "))


def _pct(v: float) -> bool:
    return 0.0 <= float(v) <= 100.0


SCHEMA = data.Schema(
    columns=[
        data.Column("hwb_code", check=_hwb_code,
                    rule="an ONS upper-tier code E06/E08/E09/E10 (or two joined by ' & ')"),
        data.Column("hwb_name"),
        data.Column("ccg_code", rule="a three-character CCG code",
                    check=lambda v: len(str(v)) == 3),
        data.Column("ccg_name"),
        data.Column("pct_ccg_in_hwb", "float", check=_pct, rule="a percentage from 0 to 100"),
        data.Column("pct_hwb_in_ccg", "float", check=_pct, rule="a percentage from 0 to 100"),
        data.Column("line", "int"),
    ],
    key=("hwb_code", "ccg_code"),
)


def load_mapping(path: str | Path | None = None, joint: str = "as printed") -> pd.DataFrame:
    """Read the CCG-to-HWB mapping, checked against its schema.

    Parameters
    ----------
    path : path-like, optional
        Defaults to ``data/bcf/ccg_hwb_mapping.csv``.
    joint : {"as printed", "split"}
        ``"split"``: the joint board's rows split into its councils (:func:`split_joint`),
        as the non-elective admissions are apportioned.

    Returns
    -------
    DataFrame
        One row per CCG-HWB pair: ``hwb_code, hwb_name, ccg_code, ccg_name,
        pct_ccg_in_hwb, pct_hwb_in_ccg, line``.

    Raises
    ------
    DataError
        A missing column, a code of the wrong form, a share outside 0-100 or a
        pair listed twice, naming the row.

    Examples
    --------
    The tab prints "E08000018 Rotherham 03L NHS Rotherham CCG 97.9% 93.5%":

    >>> m = load_mapping()
    >>> r = m[(m.hwb_code == "E08000018") & (m.ccg_code == "03L")].iloc[0]
    >>> float(r.pct_ccg_in_hwb), float(r.pct_hwb_in_ccg)
    (97.9, 93.5)
    """
    p = data.path(MAPPING_FILE) if path is None else Path(path)
    if joint not in ("as printed", "split"):
        raise ValueError(f"load_mapping: joint must be 'as printed' or 'split', not {joint!r}")
    m = data.read_csv(p, SCHEMA)
    return split_joint(m) if joint == "split" else m


def share_check(mapping: pd.DataFrame, by: Literal["hwb", "ccg"]) -> pd.DataFrame:
    """Do the shares of each HWB (or CCG) sum to 100 within the rounding of the printed shares?

    For ``by="ccg"`` the shares summed are ``pct_ccg_in_hwb`` (where each
    CCG's population lives); for ``by="hwb"`` they are ``pct_hwb_in_ccg``
    (which CCGs each HWB's population is registered with).

    Parameters
    ----------
    mapping : DataFrame
        From :func:`load_mapping`.
    by : {"hwb", "ccg"}

    Returns
    -------
    DataFrame
        ``code, name, pairs, total, status, reason``: one row per HWB or CCG,
        the status from :func:`hwb.rounding.sum_of_parts` against a printed
        total of ``100.0`` (each one-decimal share may be off by 0.05).

    Notes
    -----
    The tolerance is the rounding of the parts: n shares each printed to one
    decimal can sum to anything within n x 0.05 of the true 100.

    Examples
    --------
    >>> m = pd.DataFrame({"hwb_code": ["E08000018"] * 2, "hwb_name": ["Rotherham"] * 2,
    ...                   "ccg_code": ["03L", "02P"], "ccg_name": ["Rotherham", "Barnsley"],
    ...                   "pct_ccg_in_hwb": [97.9, 3.4], "pct_hwb_in_ccg": [96.7, 3.2]})
    >>> share_check(m, "hwb")[["total", "status"]].to_dict("records")
    [{'total': 99.9, 'status': 'rounding'}]
    """
    if by not in ("hwb", "ccg"):
        raise ValueError(f"share_check: by must be 'hwb' or 'ccg', not {by!r}")
    col = "pct_hwb_in_ccg" if by == "hwb" else "pct_ccg_in_hwb"
    rows = []
    for (code, name), g in mapping.groupby([f"{by}_code", f"{by}_name"], sort=True):
        parts = [f"{float(v):.1f}" for v in g[col]]
        c = sum_of_parts("100.0", parts)
        rows.append({"code": code, "name": name, "pairs": len(g),
                     "total": round(sum(float(v) for v in g[col]), 1),
                     "status": c.status, "reason": c.reason})
    return pd.DataFrame(rows, columns=["code", "name", "pairs", "total", "status", "reason"])


def _apportion(values: pd.DataFrame, mapping: pd.DataFrame, src: str, dst: str,
               share: str) -> pd.DataFrame:
    need = {f"{src}_code", "value"}
    if not need.issubset(values.columns):
        raise DataError("apportion input", f"expected columns {src}_code and value",
                        value=list(values.columns))
    unknown = sorted(set(values[f"{src}_code"]) - set(mapping[f"{src}_code"]))
    if unknown:
        raise DataError("apportion input", f"{src.upper()} code not in the CCG-HWB mapping",
                        column=f"{src}_code", value=unknown[0])
    merged = values[[f"{src}_code", "value"]].merge(
        mapping[[f"{src}_code", f"{dst}_code", f"{dst}_name", share]], on=f"{src}_code")
    merged["value"] = merged["value"].astype(float) * merged[share].astype(float) / 100.0
    out = (merged.groupby([f"{dst}_code", f"{dst}_name"], as_index=False)["value"].sum()
           .sort_values(f"{dst}_code").reset_index(drop=True))
    return out


def ccg_to_hwb(values: pd.DataFrame, mapping: pd.DataFrame) -> pd.DataFrame:
    """Apportion CCG-level figures to HWBs by where each CCG's population lives.

    Each CCG's value is split across HWBs in proportion to ``pct_ccg_in_hwb``
    and the pieces summed by HWB: the method of the BCF 2017-19 template's
    non-elective admissions plan.

    Parameters
    ----------
    values : DataFrame
        ``ccg_code, value``.
    mapping : DataFrame
        From :func:`load_mapping`.

    Returns
    -------
    DataFrame
        ``hwb_code, hwb_name, value`` for every HWB that receives a share.

    Notes
    -----
    NHS England, BCF 2017-19 planning template, tab 4 note "*": "calculated as
    the % contribution of each CCG to the HWB level plan, based on the CCG-HWB
    mapping".

    Examples
    --------
    1,000 admissions planned by NHS Rotherham CCG (03L), of whose population
    97.9% live in Rotherham, 1.5% in Doncaster and 0.3% each in Barnsley and
    Sheffield:

    >>> m = pd.DataFrame({"hwb_code": ["E08000018", "E08000017", "E08000016", "E08000019"],
    ...                   "hwb_name": ["Rotherham", "Doncaster", "Barnsley", "Sheffield"],
    ...                   "ccg_code": ["03L"] * 4, "ccg_name": ["NHS Rotherham CCG"] * 4,
    ...                   "pct_ccg_in_hwb": [97.9, 1.5, 0.3, 0.3],
    ...                   "pct_hwb_in_ccg": [93.5, 1.2, 0.3, 0.1]})
    >>> out = ccg_to_hwb(pd.DataFrame({"ccg_code": ["03L"], "value": [1000]}), m)
    >>> dict(zip(out.hwb_name, out.value.round(1)))
    {'Barnsley': 3.0, 'Doncaster': 15.0, 'Rotherham': 979.0, 'Sheffield': 3.0}
    """
    return _apportion(values, mapping, "ccg", "hwb", "pct_ccg_in_hwb")


def hwb_to_ccg(values: pd.DataFrame, mapping: pd.DataFrame) -> pd.DataFrame:
    """Apportion HWB-level figures to CCGs by which CCG each HWB's population is registered with.

    Parameters
    ----------
    values : DataFrame
        ``hwb_code, value``.
    mapping : DataFrame
        From :func:`load_mapping`.

    Returns
    -------
    DataFrame
        ``ccg_code, ccg_name, value``.

    Examples
    --------
    >>> m = pd.DataFrame({"hwb_code": ["E08000018"] * 2, "hwb_name": ["Rotherham"] * 2,
    ...                   "ccg_code": ["03L", "02P"], "ccg_name": ["Rotherham", "Barnsley"],
    ...                   "pct_ccg_in_hwb": [97.9, 3.4], "pct_hwb_in_ccg": [96.8, 3.2]})
    >>> out = hwb_to_ccg(pd.DataFrame({"hwb_code": ["E08000018"], "value": [500]}), m)
    >>> dict(zip(out.ccg_code, out.value.round(1)))
    {'02P': 16.0, '03L': 484.0}
    """
    return _apportion(values, mapping, "hwb", "ccg", "pct_hwb_in_ccg")


def ccgs_of(mapping: pd.DataFrame, hwb_code: str) -> pd.DataFrame:
    """The CCGs serving one HWB, largest share of the HWB's population first.

    Returns
    -------
    DataFrame
        The mapping's rows for ``hwb_code``.

    Examples
    --------
    >>> m = pd.DataFrame({"hwb_code": ["E08000018"] * 2, "hwb_name": ["Rotherham"] * 2,
    ...                   "ccg_code": ["02P", "03L"], "ccg_name": ["Barnsley", "Rotherham"],
    ...                   "pct_ccg_in_hwb": [3.4, 97.9], "pct_hwb_in_ccg": [3.2, 96.8]})
    >>> list(ccgs_of(m, "E08000018").ccg_code)
    ['03L', '02P']
    """
    out = mapping[mapping["hwb_code"] == hwb_code]
    if out.empty:
        raise DataError(MAPPING_FILE, "HWB code not in the CCG-HWB mapping", column="hwb_code",
                        value=hwb_code)
    return out.sort_values("pct_hwb_in_ccg", ascending=False).reset_index(drop=True)


# --- the joint board: Bournemouth & Poole -------------------------------------------------------

JOINT_SPLIT_YEAR = 2016
"""The ONS mid-year estimate that splits a joint board between its councils: mid-2016, the
latest published when the 2017-19 mapping was made."""


def joint_members(mapping: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """The mapping's joint boards (a code of two codes joined by " & ") and their councils.

    Examples
    --------
    >>> joint_members(load_mapping())
    {'E06000028 & E06000029': ('E06000028', 'E06000029')}
    """
    return {str(c): tuple(str(c).split(" & ")) for c in mapping["hwb_code"].unique()
            if " & " in str(c)}


def split_joint(mapping: pd.DataFrame, weights: dict[str, float] | None = None) -> pd.DataFrame:
    """The mapping with each joint board's rows split into one row per council.

    The 2017-19 mapping prints Bournemouth and Poole, which planned the BCF together, as one
    board ("E06000028 & E06000029"). Each of its rows becomes one row per council: the
    share of the CCG living in the joint board (``pct_ccg_in_hwb``) is divided between the
    councils in proportion to their populations (default: the ONS mid-2016 estimate of all
    ages, :data:`JOINT_SPLIT_YEAR`), and the share of the council's population registered with
    the CCG (``pct_hwb_in_ccg``) is the joint board's, since no finer split is published.
    The councils' shares sum to the joint board's, so every CCG is still apportioned whole.

    Parameters
    ----------
    mapping : DataFrame
        :func:`load_mapping` as printed.
    weights : dict, optional
        Council code -> population (the default reads :mod:`hwb.sources.population_by_year`).

    Returns
    -------
    DataFrame
        The same columns; ``hwb_name`` the council's name as the ONS estimate names it.

    Notes
    -----
    An assumption of the project, not of NHS England: the CCG's residents in the joint board
    are taken to live in each council in the councils' shares of the joint population.

    Examples
    --------
    NHS Dorset CCG (11J): 45.9% of its population live in Bournemouth & Poole. Bournemouth's
    197,657 and Poole's 151,500 at mid-2016 give Bournemouth 45.9 x 197,657 / 349,157 = 25.98
    and Poole 19.92:

    >>> m = load_mapping(joint="split")
    >>> r = m[m.ccg_code == "11J"].set_index("hwb_code")
    >>> round(float(r.loc["E06000028", "pct_ccg_in_hwb"]), 2), r.loc["E06000029", "hwb_name"]
    (25.98, 'Poole')
    >>> len(m), m.hwb_code.nunique()
    (890, 151)
    """
    joint = joint_members(mapping)
    if not joint:
        return mapping
    if weights is None:
        from hwb.sources import population_by_year

        weights = {c: float(population_by_year.population(c, JOINT_SPLIT_YEAR, "all").value)
                   for codes in joint.values() for c in codes}
    names = _council_names([c for codes in joint.values() for c in codes])
    parts = [mapping[~mapping["hwb_code"].isin(joint)]]
    for code, members in joint.items():
        rows = mapping[mapping["hwb_code"] == code]
        total = sum(weights[c] for c in members)
        for c in members:
            parts.append(rows.assign(hwb_code=c, hwb_name=names.get(c, c),
                                     pct_ccg_in_hwb=rows["pct_ccg_in_hwb"] * weights[c] / total))
    return (pd.concat(parts, ignore_index=True)
            .sort_values(["line", "hwb_code"], kind="stable").reset_index(drop=True))


def _council_names(codes: list[str]) -> dict[str, str]:
    from hwb.sources import population_by_year

    t = population_by_year.population_table(JOINT_SPLIT_YEAR, "all")
    return {str(c): str(n) for c, n in zip(t["area_code"], t["area_name"], strict=True)
            if c in codes}


def board_code(mapping: pd.DataFrame, hwb_code: str) -> str:
    """The code of the mapping's board that holds ``hwb_code``: itself, or the joint board whose
    council it is (Bournemouth's is "E06000028 & E06000029").

    Examples
    --------
    >>> m = load_mapping()
    >>> board_code(m, "E06000029"), board_code(m, "E08000018")
    ('E06000028 & E06000029', 'E08000018')
    """
    if (mapping["hwb_code"] == hwb_code).any():
        return hwb_code
    return next((j for j, members in joint_members(mapping).items() if hwb_code in members),
                hwb_code)
