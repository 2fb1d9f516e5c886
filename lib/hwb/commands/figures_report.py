"""Coverage of printed figures: every printed figure is compared, or out of scope with a reason.

An auditor asks of every board paper: which printed figures does hwb reproduce
from the inputs, which does it not, and why?  The printed figures are data
(``data/<paper>/printed_figures.csv``, columns :data:`hwb.toolkit.figures.PRINTED_COLUMNS`);
each built report's ``manifest.json`` holds its figures check (``figures_check``:
every printed figure of its board, compared or ``not compared`` with its scope
reason) and its recorded figures (each with the printed figure it was checked
against).  This module joins the two.

Each printed row gets one coverage status:

``reproduced``, ``rounding``, ``differs``
    A built report compared it (the status of :func:`hwb.toolkit.checks.compare`).
``out of scope``
    No report compared it and its ``scope`` reads ``out of scope: <why>``.
``missing``
    Neither: a gap.  Either no report for its board was built, the report did
    not recompute it and no scope reason says why, or the report compared a
    printed value that the printed data no longer hold (the report is stale).

``hwb figures`` (:func:`main_figures`) prints the counts per paper and board,
lists the missing figures, writes ``outputs/figures-coverage.csv`` (the counts)
and ``outputs/figures-coverage-detail.csv`` (one row per printed figure) and
exits 1 when any printed figure is missing.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from hwb.core.registry import Paper
from hwb.core.runner import write_atomic
from hwb.errors import DataError
from hwb.protocol import citation
from hwb.toolkit import checks
from hwb.toolkit.figures import load_printed

OUT_OF_SCOPE = "out of scope"
MISSING = "missing"
COMPARED = (checks.REPRODUCED, checks.ROUNDING, checks.DIFFERS)
SCOPE_PREFIX = "out of scope:"

COLUMNS = (
    "paper",
    "board",
    "printed",
    "compared",
    "reproduced",
    "rounding",
    "differs",
    "not_compared_out_of_scope",
    "missing",
)
"""Columns of :func:`coverage` and ``outputs/figures-coverage.csv``."""

DETAIL_COLUMNS = (
    "paper",
    "board",
    "figure_id",
    "printed",
    "computed",
    "unit",
    "status",
    "reason",
    "report",
    "citation",
)
"""Columns of :func:`coverage_detail` and ``outputs/figures-coverage-detail.csv``."""

SUMMARY_FILE = "figures-coverage.csv"
DETAIL_FILE = "figures-coverage-detail.csv"

# When two built reports compared the same printed figure, the worse outcome is kept.
_RANK = {checks.REPRODUCED: 0, checks.ROUNDING: 1, checks.DIFFERS: 2}


def scope_reason(scope: str) -> str:
    """The reason in a ``scope`` cell, or ``""`` when it gives none.

    Parameters
    ----------
    scope : str
        The ``scope`` column of a printed-figures row.

    Returns
    -------
    str
        The whole cell when it reads ``out of scope: <why>`` with a non-blank
        ``<why>``; otherwise ``""`` (blank, or a bare "out of scope" with no reason).

    Examples
    --------
    >>> scope_reason("out of scope: an input to the recomputation")
    'out of scope: an input to the recomputation'
    >>> scope_reason("out of scope:  ")
    ''
    >>> scope_reason("")
    ''
    """
    text = " ".join(str(scope).split())
    if text.lower().startswith(SCOPE_PREFIX) and text[len(SCOPE_PREFIX) :].strip():
        return text
    return ""


def manifests(outputs: Path) -> list[tuple[Path, dict[str, Any]]]:
    """The built reports' manifests under ``outputs/<paper>/<area>/<period>/``, sorted by path.

    Parameters
    ----------
    outputs : Path
        The output folder.

    Returns
    -------
    list of (Path, dict)
        Each ``manifest.json`` path with its parsed content.

    Raises
    ------
    DataError
        A manifest that is not valid JSON or does not name its paper and board.
    """
    found = []
    for p in sorted(Path(outputs).glob("*/*/*/manifest.json")):
        try:
            m = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            why = f"unreadable manifest ({type(e).__name__}); rebuild it"
            raise DataError(str(p), why) from None
        if not isinstance(m, dict) or "paper" not in m or "board" not in m:
            raise DataError(str(p), "a manifest must name its 'paper' and 'board'; rebuild it")
        found.append((p, m))
    return found


def _report_name(outputs: Path, p: Path) -> str:
    try:
        return p.parent.relative_to(outputs).as_posix()
    except ValueError:  # pragma: no cover - manifests() only yields paths under outputs
        return p.parent.as_posix()


def _comparisons(
    outputs: Path, found: list[tuple[Path, dict[str, Any]]]
) -> dict[tuple[str, str, str], list[dict[str, str]]]:
    """Every comparison of a printed figure in the built reports, keyed (paper, board, id)."""
    out: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for p, m in found:
        paper, board = str(m["paper"]), str(m["board"])
        report = _report_name(outputs, p)
        figs = [f for f in m.get("figures") or [] if isinstance(f, dict)]
        alias = {
            str(f["id"]): str(f["printed"]["figure_id"])
            for f in figs
            if f.get("printed") and f["printed"].get("figure_id")
        }
        rows: dict[str, dict[str, str]] = {}
        for r in m.get("figures_check") or []:
            fid = alias.get(str(r.get("figure_id", "")), str(r.get("figure_id", "")))
            rows[fid] = {
                "status": str(r.get("status", "")),
                "reason": str(r.get("reason", "")),
                "printed": str(r.get("printed", "")),
                "computed": str(r.get("computed", "")),
                "report": report,
            }
        for f in figs:  # reports without a figures check still compared these
            pr = f.get("printed") or {}
            fid = str(pr.get("figure_id", ""))
            if fid and fid not in rows:
                rows[fid] = {
                    "status": str(f.get("status", "")),
                    "reason": str(f.get("reason", "")),
                    "printed": str(pr.get("value", "")),
                    "computed": str(f.get("text", "")),
                    "report": report,
                }
        for fid, r in rows.items():
            out.setdefault((paper, board, fid), []).append(r)
    return out


def _classify(row: pd.Series, seen: list[dict[str, str]], built: list[str]) -> dict[str, str]:
    """The coverage status of one printed row, given the reports' rows for it."""
    value = str(row["value"])
    current = [r for r in seen if r["status"] in COMPARED and r["printed"] == value]
    if current:
        best = max(current, key=lambda r: _RANK[r["status"]])
        return {k: best[k] for k in ("status", "reason", "computed", "report")}
    reason = scope_reason(row["scope"])
    if reason:
        report = next((r["report"] for r in seen), "")
        return {"status": OUT_OF_SCOPE, "reason": reason, "computed": "", "report": report}
    stale = [r for r in seen if r["status"] in COMPARED]
    if stale:
        r = stale[0]
        why = (
            f"{r['report']} compared printed value '{r['printed']}' but the printed data now "
            f"say '{value}'; rebuild it"
        )
        return {"status": MISSING, "reason": why, "computed": "", "report": r["report"]}
    if seen:
        why = (
            f"not compared by {seen[0]['report']} and its scope gives no reason; recompute it "
            f"or set scope to 'out of scope: <why>'"
        )
        return {"status": MISSING, "reason": why, "computed": "", "report": seen[0]["report"]}
    if built:
        why = (
            f"not in the figures check of {', '.join(built)} and its scope gives no reason; "
            f"recompute it or set scope to 'out of scope: <why>'"
        )
    else:
        why = "no built report for this board (run hwb reports) and its scope gives no reason"
    return {"status": MISSING, "reason": why, "computed": "", "report": ""}


def _citation(row: pd.Series) -> str:
    return citation(row["document"], row["item"], row["page"], row["line"])


def coverage_detail(outputs: Path, papers: Mapping[str, Paper] | None = None) -> pd.DataFrame:
    """One row per printed figure of every paper: how the built reports account for it.

    Parameters
    ----------
    outputs : Path
        The output folder holding ``<paper>/<area>/<period>/manifest.json``.
    papers : mapping of str to Paper, optional
        The papers to cover (default: every installed paper,
        :func:`hwb.core.registry.papers`).  A paper without a printed-figures
        CSV has no rows.

    Returns
    -------
    DataFrame
        Columns :data:`DETAIL_COLUMNS`, in the order of each paper's CSV.
        ``status`` is ``reproduced``, ``rounding``, ``differs``, ``out of scope``
        or ``missing``; ``reason`` says why (the comparison's reason, the scope
        reason, or what is missing and how to fix it); ``report`` is the built
        report (``<paper>/<area>/<period>``) that accounts for it.

    Notes
    -----
    A printed figure counts as compared only when a built report of its paper
    and board compared it against the value the printed data hold now: a report
    built before a printed value was corrected does not cover the corrected one.
    A figure compared by one report and not by another is compared; when two
    reports compared it, the worse status is kept (``differs`` over ``rounding``
    over ``reproduced``).  Recorded ids that differ from the printed id (a
    figure recorded with ``printed=``) are mapped through the manifest's
    ``figures``.

    Examples
    --------
    >>> import tempfile
    >>> coverage_detail(Path(tempfile.mkdtemp()), papers={}).empty
    True
    """
    from hwb.core.registry import papers as installed

    chosen = installed() if papers is None else papers
    outputs = Path(outputs)
    found = manifests(outputs)
    seen = _comparisons(outputs, found)
    built: dict[tuple[str, str], list[str]] = {}
    for p, m in found:
        built.setdefault((str(m["paper"]), str(m["board"])), []).append(_report_name(outputs, p))
    rows = []
    for name in sorted(chosen):
        paper = chosen[name]
        if paper.printed is None:
            continue
        printed = load_printed(paper.printed)
        for i, row in printed.iterrows():
            if not str(row["board"]).strip():
                raise DataError(
                    str(paper.printed),
                    "board must name the board meeting the figure was printed for",
                    row=int(i) + 2,  # type: ignore[call-overload]
                    column="board",
                    value=row["board"],
                )
            key = (name, str(row["board"]), str(row["figure_id"]))
            got = _classify(row, seen.get(key, []), built.get(key[:2], []))
            rows.append(
                {
                    "paper": name,
                    "board": key[1],
                    "figure_id": key[2],
                    "printed": str(row["value"]),
                    "computed": got["computed"],
                    "unit": str(row["unit"]),
                    "status": got["status"],
                    "reason": got["reason"],
                    "report": got["report"],
                    "citation": _citation(row),
                }
            )
    return pd.DataFrame(rows, columns=list(DETAIL_COLUMNS))


def summarise(detail: pd.DataFrame) -> pd.DataFrame:
    """Counts per paper and board from :func:`coverage_detail`.

    Parameters
    ----------
    detail : DataFrame
        Columns :data:`DETAIL_COLUMNS`.

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`, one row per paper and board, sorted.  ``printed``
        equals ``compared + not_compared_out_of_scope + missing`` and ``compared``
        equals ``reproduced + rounding + differs``.

    Examples
    --------
    >>> d = pd.DataFrame({"paper": ["p"] * 4, "board": ["b"] * 4,
    ...                   "status": ["reproduced", "rounding", "out of scope", "missing"]})
    >>> summarise(d).iloc[0].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'paper': 'p', 'board': 'b', 'printed': 4, 'compared': 2, 'reproduced': 1, 'rounding': 1,
     'differs': 0, 'not_compared_out_of_scope': 1, 'missing': 1}
    """
    rows = []
    for (paper, board), g in detail.groupby(["paper", "board"], sort=True):
        n = g["status"].value_counts()
        counts = {s: int(n.get(s, 0)) for s in (*COMPARED, OUT_OF_SCOPE, MISSING)}
        rows.append(
            {
                "paper": paper,
                "board": board,
                "printed": len(g),
                "compared": sum(counts[s] for s in COMPARED),
                "reproduced": counts[checks.REPRODUCED],
                "rounding": counts[checks.ROUNDING],
                "differs": counts[checks.DIFFERS],
                "not_compared_out_of_scope": counts[OUT_OF_SCOPE],
                "missing": counts[MISSING],
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))


def coverage(outputs: Path, papers: Mapping[str, Paper] | None = None) -> pd.DataFrame:
    """How many printed figures each paper and board has, and how they are accounted for.

    Parameters
    ----------
    outputs : Path
        The output folder holding the built reports' manifests.
    papers : mapping of str to Paper, optional
        The papers to cover (default: every installed paper).

    Returns
    -------
    DataFrame
        Tidy, columns :data:`COLUMNS`: per paper and board, the printed figures,
        those compared (reproduced, differing only by rounding at printed
        precision, differing with a computed reason), those not compared with
        an out-of-scope reason, and the ``missing`` ones (neither: the gaps).

    Notes
    -----
    See :func:`coverage_detail` for how each printed figure is classified.

    Examples
    --------
    >>> import tempfile
    >>> list(coverage(Path(tempfile.mkdtemp()), papers={}).columns)[-2:]
    ['not_compared_out_of_scope', 'missing']
    """
    return summarise(coverage_detail(outputs, papers))


def _csv_bytes(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, lineterminator="\n").encode()


def write_coverage(outputs: Path, papers: Mapping[str, Paper] | None = None) -> Path:
    """Write ``outputs/figures-coverage.csv`` (and the per-figure detail beside it), atomically.

    Parameters
    ----------
    outputs : Path
        The output folder (created if missing).
    papers : mapping of str to Paper, optional
        The papers to cover (default: every installed paper).

    Returns
    -------
    Path
        ``outputs/figures-coverage.csv`` (columns :data:`COLUMNS`);
        ``outputs/figures-coverage-detail.csv`` (columns :data:`DETAIL_COLUMNS`)
        is written beside it.

    Examples
    --------
    >>> import tempfile
    >>> write_coverage(Path(tempfile.mkdtemp()), papers={}).name
    'figures-coverage.csv'
    """
    outputs = Path(outputs)
    outputs.mkdir(parents=True, exist_ok=True)
    detail = coverage_detail(outputs, papers)
    write_atomic(outputs / DETAIL_FILE, _csv_bytes(detail))
    target = outputs / SUMMARY_FILE
    write_atomic(target, _csv_bytes(summarise(detail)))
    return target


_HEAD = (
    ("paper", "Paper"),
    ("board", "Board"),
    ("printed", "Printed"),
    ("compared", "Compared"),
    ("reproduced", "Reproduced"),
    ("rounding", "Rounding"),
    ("differs", "Differs"),
    ("not_compared_out_of_scope", "Out of scope"),
    ("missing", "Missing"),
)


def format_table(summary: pd.DataFrame) -> str:
    """The coverage counts as a plain-text table with a total row.

    Parameters
    ----------
    summary : DataFrame
        Columns :data:`COLUMNS`.

    Returns
    -------
    str
        Right-aligned counts, one line per paper and board.

    Examples
    --------
    >>> s = pd.DataFrame([["dtoc", "b1", 3, 2, 2, 0, 0, 1, 0]], columns=list(COLUMNS))
    >>> print(format_table(s))  # doctest: +NORMALIZE_WHITESPACE
    Paper Board Printed Compared Reproduced Rounding Differs Out of scope Missing
    dtoc  b1          3        2          2        0       0            1       0
    all   all         3        2          2        0       0            1       0
    """
    total = {c: int(summary[c].sum()) for c, _ in _HEAD[2:]}
    body = [[str(r[c]) for c, _ in _HEAD] for _, r in summary.iterrows()]
    body.append(["all", "all", *(str(total[c]) for c, _ in _HEAD[2:])])
    head = [h for _, h in _HEAD]
    widths = [max(len(x) for x in col) for col in zip(head, *body, strict=True)]

    def line(cells: list[str]) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        text = [c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in pairs]
        return " ".join(text).rstrip()

    return "\n".join([line(head), *(line(b) for b in body)])


def main_figures(
    outputs: Path,
    papers: Mapping[str, Paper] | None = None,
    *,
    stream: TextIO | None = None,
    limit: int = 20,
) -> int:
    """``hwb figures``: print the coverage table, list the gaps, write the CSVs.

    Parameters
    ----------
    outputs : Path
        The output folder holding the built reports.
    papers : mapping of str to Paper, optional
        The papers to cover (default: every installed paper).
    stream : text stream, optional
        Where to print (default: standard output).
    limit : int
        At most this many missing figures are listed per paper and board.

    Returns
    -------
    int
        The exit status: 0 when every printed figure is compared or out of
        scope with a reason, 1 when any is missing.
    """
    out = stream if stream is not None else sys.stdout
    outputs = Path(outputs)
    outputs.mkdir(parents=True, exist_ok=True)
    detail = coverage_detail(outputs, papers)
    summary = summarise(detail)
    write_atomic(outputs / DETAIL_FILE, _csv_bytes(detail))
    target = outputs / SUMMARY_FILE
    write_atomic(target, _csv_bytes(summary))
    if summary.empty:
        print("no printed figures: no installed paper declares a printed-figures CSV", file=out)
        print(f"coverage: {target}", file=out)
        return 0
    print(format_table(summary), file=out)
    claims = claims_coverage(outputs, papers)
    write_atomic(outputs / CLAIMS_FILE, _csv_bytes(claims))
    if not claims.empty:
        print(format_claims(claims), file=out)
    gaps = detail[detail["status"] == MISSING]
    for (paper, board), g in gaps.groupby(["paper", "board"], sort=True):
        print(f"\nMISSING {paper} {board}: {len(g)} printed figure(s) neither compared nor "
              f"out of scope with a reason", file=out)
        for _, r in g.head(limit).iterrows():
            print(f"  {r['figure_id']} (printed {r['printed']}; {r['citation']}): {r['reason']}",
                  file=out)
        if len(g) > limit:
            print(f"  ... and {len(g) - limit} more (see {outputs / DETAIL_FILE})", file=out)
    n = len(gaps)
    verdict = (
        f"{n} printed figure(s) missing" if n else "every printed figure is accounted for"
    )
    print(f"\n{verdict}; coverage: {target}; per figure: {outputs / DETAIL_FILE}", file=out)
    return 1 if n else 0


CLAIMS_FILE = "claims-coverage.csv"
CLAIMS_COLUMNS = ("paper", "board", "claim_id", "claim_type", "statement", "citation", "status",
                  "reason", "report")


def _claims_file(paper: Paper) -> Path | None:
    """The paper's printed-claims CSV: as declared, else ``printed_claims.csv`` beside its
    printed figures."""
    if paper.claims is not None:
        return Path(paper.claims)
    if paper.printed is not None:
        guess = Path(paper.printed).with_name("printed_claims.csv")
        return guess if guess.is_file() else None
    return None


def claims_coverage(outputs: Path, papers: Mapping[str, Paper] | None = None) -> pd.DataFrame:
    """Every printed claim of every paper, with its verdict in the built report of its board.

    A claim whose board has no built report is ``missing`` with the reason; a built report that
    did not check it is ``missing`` too, naming the report.

    Parameters
    ----------
    outputs : Path
        The output folder holding the built reports.
    papers : mapping of str to Paper, optional
        The papers to cover (default: every installed paper).

    Returns
    -------
    DataFrame
        One row per printed claim, columns :data:`CLAIMS_COLUMNS`.
    """
    from hwb.core.registry import papers as installed
    from hwb.toolkit.claims import load_claims

    chosen = dict(papers) if papers is not None else installed()
    built: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = {}
    for mp, m in manifests(outputs):
        for row in m.get("claims") or []:
            built.setdefault((m["paper"], m["board"]), []).append(
                (_report_name(outputs, mp), row))
    rows = []
    for name, paper in sorted(chosen.items()):
        path = _claims_file(paper)
        if path is None:
            continue
        claims = load_claims(path)
        for _, c in claims.iterrows():
            seen = {r["claim_id"]: (rep, r) for rep, r in built.get((name, c["board"]), [])}
            hit = seen.get(c["claim_id"])
            cite = citation(c["document"], c["item"], c["page"], c["line"])
            if hit is None:
                reports = sorted({rep for rep, _ in built.get((name, c["board"]), [])})
                why = (f"not checked by {', '.join(reports)}" if reports
                       else "no built report for this board (run hwb reports)")
                rows.append((name, c["board"], c["claim_id"], c["claim_type"], c["statement"],
                             cite, MISSING, why, ""))
            else:
                rep, r = hit
                rows.append((name, c["board"], c["claim_id"], c["claim_type"], c["statement"],
                             cite, str(r.get("status", "")), str(r.get("reason", "")), rep))
    return pd.DataFrame(rows, columns=list(CLAIMS_COLUMNS))


def format_claims(claims: pd.DataFrame) -> str:
    """One line per paper: claims printed, and how many hold, do not hold, cannot be tested or
    are missing.

    Examples
    --------
    >>> df = pd.DataFrame({"paper": ["p", "p", "p"], "status": ["holds", "does not hold",
    ...                    "missing"]})
    >>> print(format_claims(df))
    claims p: 3 printed, 1 holds, 1 does not hold, 0 cannot be tested, 1 missing
    """
    lines = []
    for paper, g in claims.groupby("paper", sort=True):
        n = g["status"].value_counts()
        lines.append(f"claims {paper}: {len(g)} printed, {n.get('holds', 0)} holds, "
                     f"{n.get('does not hold', 0)} does not hold, "
                     f"{n.get('cannot be tested', 0)} cannot be tested, "
                     f"{n.get(MISSING, 0)} missing")
    return "\n".join(lines)
