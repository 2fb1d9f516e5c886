"""Rewrite the back-tests' expected figure tables from the reports built under ``outputs/``.

Run it only after a reviewed change to a paper's figures (a new figure, a
corrected input, a changed precision), and review the diff of
``tests/backtests/expected/`` before committing it::

    .venv/bin/hwb reports --paper dtoc          # build the report(s) first
    .venv/bin/python tests/backtests/refresh.py dtoc
    git diff tests/backtests/expected/

With no argument every configured report that has been built is refreshed;
with paper names only those papers' reports.  The expected tables are a
regression net: the printed papers stay the primary oracle, so a change to a
figure that is compared with print should also show in its figures check.

Each table, ``expected/<paper>-<area>-<period>.csv``, has one row per recorded
figure: ``id``, ``value`` at the figure's declared display precision (see
:func:`at_precision`) and ``status`` (its check against print).
"""

from __future__ import annotations

import csv
import io
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "expected"
COLUMNS = ("id", "value", "status")


def at_precision(value: str, precision: str) -> str:
    """A ``figures.csv`` value as text at its declared precision (words unchanged).

    Numbers are rounded half away from zero (:func:`hwb.fmt.round_half_up`, as
    the appendix shows them) and written with ``precision`` decimals, without
    thousands separators or units; minus zero is written as zero; a blank
    (undefined) value stays blank.

    Examples
    --------
    >>> at_precision("674.0", "0"), at_precision("3.2649", "2"), at_precision("0.125", "2")
    ('674', '3.26', '0.13')
    >>> at_precision("-0.001", "1"), at_precision("1234567.0", "-3"), at_precision("met", "0")
    ('0.0', '1235000', 'met')
    """
    from hwb.fmt import round_half_up

    if value == "":
        return ""
    try:
        x = float(value)
    except ValueError:
        return value
    if not math.isfinite(x):
        return value
    p = int(precision or 0)
    r = round_half_up(x, p)
    if r == 0:
        r = 0.0
    return f"{r:.{max(p, 0)}f}"


def table_from_figures_csv(path: Path) -> list[dict[str, str]]:
    """The expected-table rows (``id, value, status``) of one built ``figures.csv``."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [
        {"id": r["id"], "value": at_precision(r["value"], r["precision"]), "status": r["status"]}
        for r in rows
    ]


def differences(expected: list[dict[str, str]], built: list[dict[str, str]]) -> list[str]:
    """What differs between an expected table and a built one (rows ``id, value, status``).

    New ids and ids no longer recorded are listed first, then each value and
    status that changed, in the expected table's order; empty when they agree.

    Examples
    --------
    >>> e = [{"id": "a", "value": "3.27", "status": "reproduced"}]
    >>> differences(e, [{"id": "a", "value": "3.27", "status": "reproduced"}])
    []
    >>> differences(e, [{"id": "a", "value": "3.26", "status": "rounding"}])
    ["a: value '3.26', expected '3.27'", "a: status 'rounding', expected 'reproduced'"]
    """
    exp = {r["id"]: r for r in expected}
    got = {r["id"]: r for r in built}
    problems = []
    new = [i for i in got if i not in exp]
    gone = [i for i in exp if i not in got]
    if new:
        problems.append(f"{len(new)} new figure id(s): {', '.join(new[:10])}")
    if gone:
        problems.append(f"{len(gone)} figure id(s) no longer recorded: {', '.join(gone[:10])}")
    for fid, e in exp.items():
        b = got.get(fid)
        if b is None:
            continue
        if b["value"] != e["value"]:
            problems.append(f"{fid}: value {b['value']!r}, expected {e['value']!r}")
        if b["status"] != e["status"]:
            problems.append(f"{fid}: status {b['status']!r}, expected {e['status']!r}")
    return problems


def expected_name(paper: str, report: Path) -> str:
    """``<paper>-<area>-<period>.csv`` for the report folder ``outputs/<paper>/<area>/<period>``."""
    return f"{paper}-{report.parent.name}-{report.name}.csv"


def configured_reports(outputs: Path, only: list[str] | None = None) -> list[tuple[str, Path]]:
    """(paper, report folder) for every configured run of the installed papers, sorted."""
    from hwb.core.registry import papers
    from hwb.core.runner import out_dir_for, prepare

    found = []
    for name, paper in papers().items():
        if only and name not in only:
            continue
        for f in paper.params_files():
            params, _ = prepare(paper, f)
            found.append((name, out_dir_for(outputs, paper, params)))
    return sorted(found)


def write_table(rows: list[dict[str, str]], target: Path) -> None:
    """Write an expected table (LF line ends, header :data:`COLUMNS`)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(buf.getvalue(), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Refresh the expected tables of the built reports (of the papers named, or all)."""
    from hwb.sources.data import project_root

    only = list(sys.argv[1:] if argv is None else argv)
    outputs = project_root() / "outputs"
    done = 0
    for paper, report in configured_reports(outputs, only or None):
        src = report / "figures.csv"
        if not src.is_file():
            print(f"not built, skipped: {src.relative_to(outputs.parent)}")
            continue
        target = EXPECTED / expected_name(paper, report)
        write_table(table_from_figures_csv(src), target)
        print(f"wrote {target.relative_to(HERE.parents[1])}")
        done += 1
    if done == 0:
        print("no built report found: run `hwb reports` first", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
