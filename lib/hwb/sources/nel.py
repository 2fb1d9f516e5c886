"""Non-elective admissions (BCF metric 1): NHS England's Monthly Activity Return by commissioner.

NHS England's Monthly Activity Return (MAR) counts, for each commissioner and
month, the first finished consultant episodes (FFCEs) of general and acute
(G&A) admissions; BCF metric 1 is "Total Non-elective G&A Admissions (FFCEs)".
The published workbooks (one ``.xls`` a month, sheet "Commissioner") are read
once by :func:`extract` (``python -m hwb.sources.nel --extract DIR``) into one
tidy CSV under ``data/nel/``, so a run needs no spreadsheet reader.

:func:`by_hwb` apportions the CCGs' counts to Health and Wellbeing Boards with
the national CCG-to-HWB mapping of the BCF 2017-19 planning template
(:mod:`hwb.sources.ccg_hwb`), the method the BCF plans used, by financial
quarter.  A CCG formed by a merger after the mapping was made is apportioned
as its predecessors were: its count is split between the predecessors in
proportion to their admissions in the 12 months before the merger
(:func:`change_shares`, the code changes shipped in
``data/nel/ccg_code_changes.csv``), and each part then follows its
predecessor's row of the mapping.  The three Manchester CCGs that merged in
April 2017, before the mapping, count as NHS Manchester CCG.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from hwb import periods
from hwb.errors import DataError, HwbError
from hwb.sources import ccg_hwb
from hwb.sources.data import Column, Schema, path, project_root, read_csv

EXTRACT_FILE = "nel/mar_nel_commissioner_2012-04_to_2019-12.csv"
"""The extract, under ``data/``."""
CHANGES_FILE = "nel/ccg_code_changes.csv"
"""MAR commissioners that are not CCGs of the mapping, and the mapping's CCGs they stand for."""
COLUMN = "Total Non-elective G&A Admissions (FFCEs)"
"""The MAR column of BCF metric 1."""
ENGLAND = "E92000001"
"""The code under which the workbook's England row is kept."""
DIRECT = "X24"
"""NHS England's direct commissioning: in the England total, in no board's area."""
SOURCE = ("NHS England, Monthly Activity Return (MAR), commissioner basis, total non-elective "
          "G&A admissions (FFCEs), revised figures")
"""Citation text for tables and charts."""
YEARS = ("2015/16", "2016/17", "2017/18", "2018/19")
"""The financial years :func:`by_hwb` covers: the BCF metric's years with a mapping."""

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

SCHEMA = Schema(
    columns=[
        Column("month", check=lambda v: bool(_MONTH.match(v)), rule="a month YYYY-MM"),
        Column("org_code", check=lambda v: 3 <= len(v) <= 5 or v == ENGLAND,
               rule=f"a commissioner code of 3 to 5 characters (or {ENGLAND} for England)"),
        Column("org_name"),
        Column("nel_ffces", "count", rule="a count of admissions"),
        Column("published", check=lambda v: bool(_DATE.match(v)), rule="a date YYYY-MM-DD"),
        Column("revised", nullable=True, check=lambda v: bool(_DATE.match(v)),
               rule="a date YYYY-MM-DD or blank"),
        Column("workbook"),
    ],
    key=("month", "org_code"),
)

CHANGES_SCHEMA = Schema(
    columns=[
        Column("org_code", check=lambda v: len(v) == 3, rule="a three-character CCG code"),
        Column("org_name"),
        Column("mapping_ccg", check=lambda v: len(v) == 3, rule="a three-character CCG code"),
        Column("mapping_name"),
        Column("kind", allowed=frozenset({"successor", "predecessor"}),
               rule="successor (a merger after the mapping) or predecessor (one before it)"),
    ],
    key=("org_code", "mapping_ccg"),
)


# --- extraction from the workbooks (needs xlrd; run once, not at run time) -----------------

_DAY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\s+(\d{4})")


def _date(text: object) -> str:
    """A workbook's date line ("9th November 2017") as ISO, blank when absent.

    >>> _date("9th November 2017"), _date("")
    ('2017-11-09', '')
    """
    m = _DAY.search(str(text))
    if not m:
        return ""
    month = periods.parse_month_name(f"{m[2]} {m[3]}")
    return f"{month}-{int(m[1]):02d}" if month else ""


def read_workbook(p: Path) -> pd.DataFrame:
    """One MAR workbook's commissioner rows: month, code, name, NEL FFCEs, dates.

    Raises
    ------
    DataError
        No "Commissioner" sheet, no header row with "Org Code", no NEL column,
        or a period line that is not a month.
    """
    import xlrd  # only the extractor needs it

    try:
        sheet = xlrd.open_workbook(str(p)).sheet_by_name("Commissioner")
    except xlrd.biffh.XLRDError as e:
        raise DataError(p.name, f"not a MAR workbook with a 'Commissioner' sheet ({e})") from None
    label = {str(sheet.cell_value(r, 1)).strip().rstrip(":"): sheet.cell_value(r, 2)
             for r in range(min(14, sheet.nrows))}
    month = periods.parse_month_name(str(label.get("Period", "")).strip())
    if month is None:
        raise DataError(p.name, "expected a 'Period:' line naming a month",
                        value=label.get("Period"))
    header = next((r for r in range(min(40, sheet.nrows))
                   if "Org Code" in [str(v).strip() for v in sheet.row_values(r)]), None)
    if header is None:
        raise DataError(p.name, "no header row with 'Org Code' in the first 40 rows")
    names = [str(v).strip() for v in sheet.row_values(header)]
    if COLUMN not in names:
        raise DataError(p.name, f"no column {COLUMN!r}", row=header + 1)
    code_at, name_at, nel_at = names.index("Org Code"), names.index("Org Name"), names.index(COLUMN)
    rows = []
    for r in range(header + 1, sheet.nrows):
        v = sheet.row_values(r)
        code, name = str(v[code_at]).strip(), str(v[name_at]).strip()
        if not code and name.upper() == "ENGLAND":
            code, name = ENGLAND, "England"
        if not code or v[nel_at] in ("", None):
            continue
        rows.append({"month": month, "org_code": code, "org_name": name,
                     "nel_ffces": int(round(float(v[nel_at])))})
    out = pd.DataFrame(rows)
    out["published"] = _date(label.get("Published", ""))
    out["revised"] = _date(label.get("Revised", ""))
    out["workbook"] = p.name
    return out


def extract(directory: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every workbook ``*.xls`` of ``directory``: the tidy table and each file's SHA-256.

    Returns
    -------
    (DataFrame, DataFrame)
        The rows of :data:`SCHEMA`, sorted by month and code; and
        ``workbook, month, sha256, published, revised`` per file.
    """
    files = sorted(Path(directory).glob("*.xls"))
    if not files:
        raise DataError(str(directory), "no .xls workbooks found")
    parts, sums = [], []
    for f in files:
        t = read_workbook(f)
        parts.append(t)
        sums.append({"workbook": f.name, "month": t["month"].iloc[0],
                     "sha256": hashlib.sha256(f.read_bytes()).hexdigest(),
                     "published": t["published"].iloc[0], "revised": t["revised"].iloc[0]})
    table = pd.concat(parts, ignore_index=True).sort_values(["month", "org_code"])
    dup = table.duplicated(["month", "org_code"])
    if dup.any():
        r = table[dup].iloc[0]
        raise DataError(str(r["workbook"]), "a commissioner listed twice in one month",
                        value=r["org_code"])
    return table.reset_index(drop=True), pd.DataFrame(sums).sort_values("month")


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m hwb.sources.nel --extract DIR [--out FILE] [--sums FILE]``."""
    ap = argparse.ArgumentParser(prog="python -m hwb.sources.nel",
                                 description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--extract", required=True, metavar="DIR", help="folder of MAR .xls workbooks")
    ap.add_argument("--out", default=None, help=f"CSV to write (default data/{EXTRACT_FILE})")
    ap.add_argument("--sums", default=None, help="also write each workbook's SHA-256 as CSV here")
    a = ap.parse_args(argv)
    try:
        table, sums = extract(a.extract)
    except HwbError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    out = Path(a.out) if a.out else project_root() / "data" / EXTRACT_FILE
    tmp = out.with_suffix(".tmp")
    table.to_csv(tmp, index=False, lineterminator="\n")
    tmp.replace(out)
    if a.sums:
        sums.to_csv(a.sums, index=False, lineterminator="\n")
    print(f"{out.name}: {len(table)} rows, {table['month'].nunique()} months "
          f"from {len(sums)} workbooks")
    return 0


# --- reading the extract -------------------------------------------------------------------


def load(p: str | Path | None = None) -> pd.DataFrame:
    """The extract: one row per commissioner and month (and England's row).

    Returns
    -------
    DataFrame
        ``month, org_code, org_name, nel_ffces, published, revised, workbook``.

    Examples
    --------
    NHS Rotherham CCG (03L), September 2017, as the workbook prints it:

    >>> t = load()
    >>> int(t[(t.month == "2017-09") & (t.org_code == "03L")].nel_ffces.iloc[0])
    2513
    """
    t = read_csv(Path(p) if p is not None else path(EXTRACT_FILE), SCHEMA)
    t["nel_ffces"] = t["nel_ffces"].astype(int)
    return t


def load_changes(p: str | Path | None = None) -> pd.DataFrame:
    """CCG code changes between the MAR and the mapping (:data:`CHANGES_FILE`).

    ``kind`` is ``successor`` for a CCG formed by merging the mapping's CCGs
    after the mapping was made (NHS Leeds CCG, 15F, from April 2018), and
    ``predecessor`` for a CCG that merged into one of the mapping's before it
    (NHS Central Manchester CCG, 00W, into NHS Manchester CCG, 14L, April 2017).
    """
    return read_csv(Path(p) if p is not None else path(CHANGES_FILE), CHANGES_SCHEMA)


def change_shares(table: pd.DataFrame, changes: pd.DataFrame) -> pd.DataFrame:
    """The share of each code change: how a MAR count is divided among the mapping's CCGs.

    A predecessor's count goes whole to the mapping CCG it merged into (share 1).
    A successor's count is split among its predecessors in proportion to their
    non-elective admissions in the 12 months before the successor's first
    month in the MAR: the predecessors' own recent share of the activity,
    computed from the extract (no population by CCG is shipped).

    Returns
    -------
    DataFrame
        ``org_code, mapping_ccg, share, basis``.

    Raises
    ------
    DataError
        A successor whose predecessors have no counts in the 12 months before it.

    Examples
    --------
    Leeds North (02V) had 300 admissions and Leeds West (03C) 100 in the year
    before NHS Leeds CCG (15F) first reports, so 15F's count is split 3:1:

    >>> t = pd.DataFrame({"month": ["2017-06", "2017-06", "2018-04"],
    ...                   "org_code": ["02V", "03C", "15F"], "nel_ffces": [300, 100, 420]})
    >>> c = pd.DataFrame({"org_code": ["15F", "15F"], "mapping_ccg": ["02V", "03C"],
    ...                   "kind": ["successor"] * 2})
    >>> change_shares(t, c).share.tolist()
    [0.75, 0.25]
    """
    rows = []
    for _, c in changes.iterrows():
        if c["kind"] == "predecessor":
            rows.append({"org_code": c["org_code"], "mapping_ccg": c["mapping_ccg"],
                         "share": 1.0, "basis": "the whole count: merged into this CCG"})
            continue
        first = table.loc[table["org_code"] == c["org_code"], "month"].min()
        if pd.isna(first):
            continue
        window = periods.month_range(periods.shift(first, -12), periods.shift(first, -1))
        preds = changes.loc[changes["org_code"] == c["org_code"], "mapping_ccg"]
        before = table[table["month"].isin(window) & table["org_code"].isin(preds)]
        total = before["nel_ffces"].sum()
        own = before.loc[before["org_code"] == c["mapping_ccg"], "nel_ffces"].sum()
        if total <= 0:
            raise DataError(CHANGES_FILE, "no admissions for the predecessors in the 12 months "
                            "before the merged CCG's first month", value=c["org_code"])
        rows.append({"org_code": c["org_code"], "mapping_ccg": c["mapping_ccg"],
                     "share": own / total,
                     "basis": f"predecessor's share of admissions {window[0]} to {window[-1]}"})
    return pd.DataFrame(rows, columns=["org_code", "mapping_ccg", "share", "basis"])


def england_annual(table: pd.DataFrame) -> pd.Series:
    """England's total by financial year, from the workbooks' England rows (complete years only).

    Examples
    --------
    >>> t = pd.DataFrame({"month": [f"2015-{m:02d}" for m in range(4, 13)]
    ...                   + [f"2016-{m:02d}" for m in range(1, 5)],
    ...                   "org_code": [ENGLAND] * 13, "nel_ffces": [1] * 13})
    >>> england_annual(t).to_dict()
    {'2015/16': 12}
    """
    e = table[table["org_code"] == ENGLAND].copy()
    e["year"] = e["month"].map(periods.financial_year)
    g = e.groupby("year")["nel_ffces"].agg(["sum", "count"])
    return g.loc[g["count"] == 12, "sum"].astype(int).rename("nel_ffces")


def ccg_months(table: pd.DataFrame, mapping: pd.DataFrame,
               changes: pd.DataFrame) -> pd.DataFrame:
    """Each CCG's monthly count from April 2015 on the mapping's CCGs (see :func:`change_shares`).

    Rows for England and for NHS England's direct commissioning (X24) are
    dropped; a commissioner in neither the mapping nor :data:`CHANGES_FILE`
    is a :class:`DataError`.

    Returns
    -------
    DataFrame
        ``month, ccg_code, value``: ``value`` is a float where a merged CCG
        was split.
    """
    t = table[(table["org_code"] != ENGLAND) & (table["org_code"] != DIRECT)]
    t = t[t["month"] >= "2015-04"]
    known = set(mapping["ccg_code"])
    shares = change_shares(table, changes)
    merged = t.merge(shares[["org_code", "mapping_ccg", "share"]], on="org_code", how="left")
    unknown = merged[merged["mapping_ccg"].isna() & ~merged["org_code"].isin(known)]
    if len(unknown):
        r = unknown.iloc[0]
        raise DataError(EXTRACT_FILE, "a commissioner in neither the CCG-HWB mapping nor the "
                        f"code changes ({CHANGES_FILE})", column="org_code",
                        value=f"{r['org_code']} in {r['month']}")
    split = merged["mapping_ccg"].notna()
    merged["ccg_code"] = merged["mapping_ccg"].where(split, merged["org_code"])
    merged["value"] = merged["nel_ffces"] * merged["share"].where(split, 1.0)
    return merged[["month", "ccg_code", "value"]].reset_index(drop=True)


def by_hwb_months(area_code: str | None = None, table: pd.DataFrame | None = None,
                  mapping: pd.DataFrame | None = None,
                  changes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Monthly non-elective admissions by Health and Wellbeing Board, 2015/16-2018/19.

    Each month's CCG counts (merged CCGs split to their predecessors, see
    :func:`ccg_months`) are apportioned with ``pct_ccg_in_hwb`` by
    :func:`hwb.sources.ccg_hwb.ccg_to_hwb`.

    Parameters
    ----------
    area_code : str, optional
        One board (an ONS code as in the mapping); all boards when omitted.
    mapping : DataFrame, optional
        Default :func:`hwb.sources.ccg_hwb.load_mapping` with the joint board of Bournemouth
        and Poole split into its two councils by population
        (:func:`hwb.sources.ccg_hwb.split_joint`), so each council has its own count.

    Returns
    -------
    DataFrame
        ``hwb_code, hwb_name, month, value, published``: ``value`` unrounded,
        ``published`` the date the month was first published.

    Notes
    -----
    NHS England, BCF 2017-19 planning template, tab 4: the HWB plan is "the %
    contribution of each CCG to the HWB level plan, based on the CCG-HWB
    mapping"; the actual is apportioned the same way.  NHS England's direct
    commissioning (X24) belongs to no board and is left out.
    """
    table = load() if table is None else table
    mapping = ccg_hwb.load_mapping(joint="split") if mapping is None else mapping
    changes = load_changes() if changes is None else changes
    monthly = ccg_months(table, mapping, changes)
    monthly = monthly[monthly["month"].map(periods.financial_year).isin(YEARS)]
    if area_code is not None:
        ccgs = set(ccg_hwb.ccgs_of(mapping, area_code)["ccg_code"])
        monthly = monthly[monthly["ccg_code"].isin(ccgs)]
        mapping = mapping[mapping["hwb_code"] == area_code]
    parts = [ccg_hwb.ccg_to_hwb(g[["ccg_code", "value"]], mapping).assign(month=month)
             for month, g in monthly.groupby("month", sort=True)]
    out = pd.concat(parts, ignore_index=True)
    out["published"] = out["month"].map(table.drop_duplicates("month")
                                        .set_index("month")["published"])
    return (out[["hwb_code", "hwb_name", "month", "value", "published"]]
            .sort_values(["hwb_code", "month"]).reset_index(drop=True))


def by_hwb(area_code: str | None = None, table: pd.DataFrame | None = None,
           mapping: pd.DataFrame | None = None,
           changes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Quarterly non-elective admissions by Health and Wellbeing Board, 2015/16-2018/19.

    The months of :func:`by_hwb_months` summed by financial quarter.

    Returns
    -------
    DataFrame
        ``hwb_code, hwb_name, quarter, value, months, published``: ``value``
        unrounded, ``months`` the months found (3 for a complete quarter),
        ``published`` the date the quarter's last month was first published.

    Examples
    --------
    Rotherham, 2017/18 Q2 (the hand calculation is in ``tests/test_nel.py``):

    >>> q = by_hwb("E08000018")
    >>> round(float(q[q.quarter == "2017/18 Q2"].value.iloc[0]), 3)
    8376.669
    """
    out = by_hwb_months(area_code, table, mapping, changes)
    out["quarter"] = out["month"].map(periods.financial_quarter)
    q = (out.groupby(["hwb_code", "hwb_name", "quarter"], as_index=False)
         .agg(value=("value", "sum"), months=("month", "nunique"),
              published=("published", "max")))
    return q.sort_values(["hwb_code", "quarter"]).reset_index(drop=True)


def england_quarters(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """England's quarterly total from the workbooks' England rows, 2015/16-2018/19.

    Returns
    -------
    DataFrame
        ``quarter, value, months``.
    """
    table = load() if table is None else table
    e = table[table["org_code"] == ENGLAND].copy()
    e = e[e["month"].map(periods.financial_year).isin(YEARS)]
    e["quarter"] = e["month"].map(periods.financial_quarter)
    return (e.groupby("quarter", as_index=False)
            .agg(value=("nel_ffces", "sum"), months=("month", "nunique")))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
