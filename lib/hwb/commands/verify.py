"""Re-derive every recorded figure and compare it with the manifest and the printed paper.

For each manifest under ``outputs/``: input files and the lock file are checked
against the checksums the manifest recorded (drift is reported, never ignored);
the run is re-executed from its parameters in a temporary directory (from the
parameters the manifest recorded when its parameters file has moved, gone or
changed, and the table says so); and each
figure is compared with the manifest (strings exactly, numbers at the figure's
declared display precision) and its check against print with the manifest's
(a printed figure that differed, with its reason, already is explained; one
whose status changed is not).  The result is one table, printed and written as
``outputs/verify/verify.csv`` and ``verify.html``; the exit status is 0 only when
nothing unexplained differs.  A manifest that cannot be read, is not an hwb
manifest, names a paper that is not installed or whose parameters no longer
validate is one ``cannot verify`` row with the reason: the audit goes on.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import math
import tempfile
from pathlib import Path
from typing import Any

import yaml

from hwb.core import manifest as mf
from hwb.core.batch import run_batch
from hwb.core.params import load_params
from hwb.core.runner import Task, prepare, write_atomic
from hwb.errors import HwbError
from hwb.fmt import round_half_up
from hwb.sources.data import project_root, relative_name

SAME, CHANGED, MISSING, NEW, STATUS, DRIFT, FAILED, CANNOT, FROM_RECORD = (
    "same",
    "CHANGED",
    "MISSING",
    "NEW",
    "CHECK CHANGED",
    "DRIFT",
    "RUN FAILED",
    "cannot verify",
    "from record",
)
EXPLAINED = (SAME, FROM_RECORD)
"""Results that do not make verify fail: a run re-derived from the recorded parameters
because its parameters file moved or went is said so, and its figures are still compared."""
COLUMNS = (
    "paper",
    "area",
    "period",
    "figure",
    "manifest",
    "recomputed",
    "printed",
    "check",
    "result",
    "detail",
)


def find_manifests(outputs: Path, paper: str | None = None, area: str | None = None) -> list[Path]:
    """Manifests under ``outputs/<paper>/<area>/<period>/``, filtered."""
    found = sorted(outputs.glob("*/*/*/manifest.json"))
    out = []
    for p in found:
        m = mf.read(p) or {}
        if paper and m.get("paper") != paper:
            continue
        if area and area.lower() not in (
            str(m.get("area_code", "")).lower(),
            str(m.get("area_name", "")).lower(),
            p.parent.parent.name,
        ):
            continue
        out.append(p)
    return out


def _same_value(a: Any, b: Any, precision: int) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    if a is None or b is None:
        return a is None and b is None
    fa, fb = float(a), float(b)
    if math.isnan(fa) or math.isnan(fb):
        return math.isnan(fa) and math.isnan(fb)
    return round_half_up(fa, precision) == round_half_up(fb, precision)


def drift(m: dict[str, Any]) -> list[dict[str, str]]:
    """Inputs and lock file whose checksum differs from the manifest's."""
    root = project_root()
    rows = []
    base = {"paper": m["paper"], "area": m.get("area_name", ""), "period": m.get("period", "")}
    for name, digest in sorted(m.get("inputs", {}).items()):
        p = root / name
        now = mf.file_sha256(p) if p.exists() else "missing"
        if now != digest:
            rows.append(
                {
                    **base,
                    "figure": "",
                    "manifest": digest[:12],
                    "recomputed": now[:12],
                    "printed": "",
                    "check": "",
                    "result": DRIFT,
                    "detail": f"input {name} changed since the manifest was written",
                }
            )
    lock = m.get("lock_file", {})
    if lock.get("path"):
        p = root / lock["path"]
        now = mf.file_sha256(p) if p.exists() else "missing"
        if now != lock.get("sha256"):
            rows.append(
                {
                    **base,
                    "figure": "",
                    "manifest": str(lock.get("sha256"))[:12],
                    "recomputed": now[:12],
                    "printed": "",
                    "check": "",
                    "result": DRIFT,
                    "detail": f"lock file {lock['path']} changed since the manifest was written",
                }
            )
    return rows


def compare_figures(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, str]]:
    """Compare the figures of a manifest with those of a fresh run, one row per figure."""
    base = {
        "paper": old["paper"],
        "area": old.get("area_name", ""),
        "period": old.get("period", ""),
    }
    a = {f["id"]: f for f in old.get("figures", [])}
    b = {f["id"]: f for f in new.get("figures", [])}
    rows = []
    for fid in list(a) + [k for k in b if k not in a]:
        fo, fn = a.get(fid), b.get(fid)
        printed = ((fo or fn or {}).get("printed") or {}).get("value", "")
        row = {
            **base,
            "figure": fid,
            "manifest": fo["text"] if fo else "",
            "recomputed": fn["text"] if fn else "",
            "printed": printed,
            "check": (fn or fo or {}).get("status", ""),
        }
        if fo is None:
            row.update(result=NEW, detail="recorded now but not in the manifest")
        elif fn is None:
            row.update(result=MISSING, detail="in the manifest but no longer recorded")
        elif not _same_value(fo["value"], fn["value"], int(fo.get("precision", 0))):
            row.update(result=CHANGED, detail=f"{fo['label']}: {fo['text']} became {fn['text']}")
        elif fo.get("status") != fn.get("status"):
            row.update(
                result=STATUS,
                detail=f"check against print was {fo.get('status')}, "
                f"now {fn.get('status')}: {fn.get('reason', '')}",
            )
        else:
            row.update(
                result=SAME, detail=fn.get("reason", "") if fn.get("status") == "differs" else ""
            )
        rows.append(row)
    return rows


def compare_claims(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, str]]:
    """Compare the claims check of a manifest with that of a fresh run, one row per claim.

    A claim's row is named ``claim:<id>``; its verdict (holds / does not hold / cannot be
    tested) must be re-derived unchanged.

    Examples
    --------
    >>> old = {"paper": "p", "claims": [{"claim_id": "a", "status": "holds", "reason": "r"}]}
    >>> new = {"paper": "p", "claims": [{"claim_id": "a", "status": "does not hold",
    ...                                  "reason": "fell by 2"}]}
    >>> [(r["figure"], r["result"], r["detail"]) for r in compare_claims(old, new)]
    [('claim:a', 'CHECK CHANGED', 'claim was holds, now does not hold: fell by 2')]
    """
    base = {"paper": old["paper"], "area": old.get("area_name", ""),
            "period": old.get("period", ""), "printed": ""}
    a = {c["claim_id"]: c for c in old.get("claims") or []}
    b = {c["claim_id"]: c for c in new.get("claims") or []}
    rows = []
    for cid in list(a) + [k for k in b if k not in a]:
        co, cn = a.get(cid), b.get(cid)
        row = {**base, "figure": f"claim:{cid}", "manifest": (co or {}).get("status", ""),
               "recomputed": (cn or {}).get("status", ""),
               "check": (cn or co or {}).get("status", "")}
        if co is None:
            row.update(result=NEW, detail="checked now but not in the manifest")
        elif cn is None:
            row.update(result=MISSING, detail="in the manifest but no longer checked")
        elif co.get("status") != cn.get("status"):
            row.update(result=STATUS, detail=f"claim was {co.get('status')}, now "
                                             f"{cn.get('status')}: {cn.get('reason', '')}")
        else:
            row.update(result=SAME, detail="")
        rows.append(row)
    return rows


def verify(
    outputs: Path,
    paper: str | None = None,
    area: str | None = None,
    workers: int | None = None,
    progress: bool = True,
) -> int:
    """Re-derive every figure; print and write the table; return the exit status."""
    manifests = find_manifests(outputs, paper, area)
    if not manifests:
        raise HwbError(f"no manifests under {outputs} to verify; run 'make reports' first")
    rows: list[dict[str, str]] = []
    root = project_root()
    with tempfile.TemporaryDirectory(prefix="hwb-verify-") as tmp:
        olds, tasks = [], []
        for i, p in enumerate(manifests):
            m = mf.read(p)
            try:
                task, notes = task_for(m, p, Path(tmp), i)
            except HwbError as e:
                rows.append(_row(m if isinstance(m, dict) else {}, CANNOT,
                                 f"{relative_name(p)}: {e}", p))
                continue
            rows += drift(m) + notes
            olds.append(m)
            tasks.append(task)
        results = run_batch(tasks, workers=workers, progress=progress) if tasks else []
        for m, r in zip(olds, results, strict=True):
            if r.status == "failed":
                rows.append(
                    {
                        "paper": m["paper"],
                        "area": m.get("area_name", ""),
                        "period": m.get("period", ""),
                        "figure": "",
                        "manifest": "",
                        "recomputed": "",
                        "printed": "",
                        "check": "",
                        "result": FAILED,
                        "detail": r.message,
                    }
                )
                continue
            run_dir = Path(r.out_dir)
            new = mf.read((run_dir if run_dir.is_absolute() else root / run_dir) / "manifest.json")
            rows += compare_figures(m, new or {})
            rows += compare_claims(m, new or {})
    out = outputs / "verify"
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / "verify.csv", _csv(rows))
    write_atomic(out / "verify.html", _html(rows))
    bad = [r for r in rows if r["result"] not in EXPLAINED]
    _print(rows, bad, out)
    for r in rows:
        if r["result"] == FROM_RECORD:
            print(f"{r['result']}: {r['paper']} {r['area']} {r['period']}: {r['detail']}")
    return 1 if bad else 0


def _row(m: dict[str, Any], result: str, detail: str, path: Path | None = None) -> dict[str, str]:
    area = str(m.get("area_name") or (path.parent.parent.name if path else ""))
    period = str(m.get("period") or (path.parent.name if path else ""))
    paper = str(m.get("paper") or (path.parent.parent.parent.name if path else ""))
    return {"paper": paper, "area": area, "period": period, "figure": "", "manifest": "",
            "recomputed": "", "printed": "", "check": "", "result": result, "detail": detail}


def task_for(m: Any, path: Path, tmp: Path, i: int) -> tuple[Task, list[dict[str, str]]]:
    """The run that re-derives manifest ``m`` (read from ``path``), and rows saying how.

    The parameters file the manifest names is used when it is inside the project and still
    holds the recorded parameters; otherwise the recorded parameters are written to ``tmp``
    and used (a ``from record`` row says so; a changed file is also a ``DRIFT`` row).

    Raises
    ------
    HwbError
        The manifest is unreadable or not an hwb manifest, its paper is not installed, or
        its parameters no longer validate: the caller makes it a ``cannot verify`` row.
    """
    from hwb.core.registry import get

    if m is None:
        raise HwbError("expected a readable JSON manifest")
    need = ("paper", "params", "params_hash", "figures")
    if not isinstance(m, dict) or any(k not in m for k in need) or not isinstance(
            m.get("params"), dict) or m.get("schema") != mf.SCHEMA_VERSION:
        raise HwbError(f"expected an hwb manifest (schema {mf.SCHEMA_VERSION}, with "
                       + ", ".join(need) + ")")
    paper = get(str(m["paper"]))
    root = project_root()
    rec = str(m.get("params_file") or "")
    current = root / rec if rec and not Path(rec).is_absolute() and not rec.startswith(
        mf.OUTSIDE) else None
    notes: list[dict[str, str]] = []
    if current is not None and current.is_file():
        try:
            same = load_params(current, paper.params_model).digest() == m["params_hash"]
        except HwbError:
            same = False
        if same:
            prepare(paper, current)
            return Task(paper.name, str(current), str(tmp), force=True), notes
        notes.append(_row(m, DRIFT, f"parameters file {rec} changed since the manifest was "
                                    "written; re-derived from the recorded parameters", path))
    else:
        why = "is outside the project" if rec.startswith(mf.OUTSIDE) else (
            "has moved or gone" if rec else "is not recorded")
        notes.append(_row(m, FROM_RECORD, f"parameters file {rec or '(none)'} {why}; "
                                          "re-derived from the parameters the manifest recorded",
                          path))
    fields = paper.params_model.model_fields
    data = {}
    for k, v in m["params"].items():
        ann = str(fields[k].annotation) if k in fields else ""
        data[k] = dt.date.fromisoformat(v) if "date" in ann and isinstance(v, str) else v
    copy = tmp / "params" / f"{i}-{Path(rec).name or 'recorded.yaml'}"
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    try:
        load_params(copy, paper.params_model)
        prepare(paper, copy)
    except HwbError as e:
        raise HwbError(f"the recorded parameters no longer validate: {e}") from None
    return Task(paper.name, str(copy), str(tmp), force=True), notes


def _csv(rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode()


def _html(rows: list[dict[str, str]]) -> bytes:
    head = "".join(f'<th scope="col">{c}</th>' for c in COLUMNS)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(r[c]))}</td>" for c in COLUMNS) + "</tr>"
        for r in rows
    )
    bad = sum(r["result"] not in EXPLAINED for r in rows)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>hwb verify</title>'
        f"<style>body{{font-family:sans-serif;margin:2rem}}td,th{{border:1px solid #666;"
        f"padding:.2rem .4rem;text-align:left}}table{{border-collapse:collapse}}</style></head>"
        f"<body><main><h1>hwb verify</h1><p>{len(rows)} rows; {bad} unexplained.</p>"
        f"<table><caption>Every recorded figure re-derived from the inputs</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></main></body></html>"
    ).encode()


def _print(rows: list[dict[str, str]], bad: list[dict[str, str]], out: Path) -> None:
    by_run: dict[tuple[str, str, str], dict[str, int]] = {}
    for r in rows:
        k = (r["paper"], r["area"], r["period"])
        c = by_run.setdefault(k, {"figures": 0, "same": 0, "unexplained": 0, "printed_differs": 0})
        if r["figure"]:
            c["figures"] += 1
        if r["result"] == SAME:
            c["same"] += 1
            if r["check"] == "differs":
                c["printed_differs"] += 1
        elif r["result"] not in EXPLAINED:
            c["unexplained"] += 1
    print(
        f"{'paper':<8} {'area':<22} {'period':<10} {'figures':>7} {'same':>6} "
        f"{'differs from print (explained)':>31} {'unexplained':>11}"
    )
    for (p, a, per), c in sorted(by_run.items()):
        print(
            f"{p:<8} {a[:22]:<22} {per:<10} {c['figures']:>7} {c['same']:>6} "
            f"{c['printed_differs']:>31} {c['unexplained']:>11}"
        )
    for r in bad:
        fig = f" figure {r['figure']}" if r["figure"] else ""
        print(f"{r['result']}: {r['paper']} {r['area']} {r['period']}{fig}: {r['detail']}")
    print(
        f"verify: {len(bad)} unexplained difference(s); table in {out}/verify.csv and verify.html"
    )
