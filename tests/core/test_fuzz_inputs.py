"""A generated corpus of malformed inputs made from the shipped files.

Every shipped parameters file is mutated key by key (removed, written twice, retyped, odd
unicode, huge, nested, paths of the wrong kind) and as a whole (empty, other encodings, the
wrong kind of path); a sample of shipped data files is mutated column by column and cell by
cell.  The invariant: each case is accepted, or is refused with one ``HwbError`` line of exit
status 2 naming the file (a data error in at most 200 characters) -- never another exception
-- and nothing is written or run (the loaders are called in-process, as ``hwb run`` calls them
before anything executes; a handful go through the ``hwb`` command itself).

``python -m pytest tests/core/test_fuzz_inputs.py -s`` prints the corpus size and what each
class of mutation returned.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from hwb.core.registry import get
from hwb.core.runner import prepare
from hwb.errors import HwbError
from hwb.sources.data import project_root, read_csv

ROOT = project_root()
PARAMS = sorted((ROOT / "params").glob("*/*.yaml"))
FULL = {sorted(d.glob("*.yaml"))[-1] for d in {p.parent for p in PARAMS}}
"""Value mutations are made on one file of each paper; every file gets removal and repeats."""
PAPERS = {d.name: get(d.name) for d in {p.parent for p in PARAMS}}

# --- parameters -------------------------------------------------------------------------------

HUGE = "x" * 300_000  # over the 256 KiB limit
LONG = "x" * 20_000  # under it
VALUES: dict[str, list[str]] = {  # class -> YAML text of the replacement value
    "retyped": ["7", "1.5", "true", "null", "[a, b]", "{a: 1}", "'x'", "2017-01-01", "-0",
                ".nan", "''"],
    "odd unicode": [json.dumps(s) for s in (
        "\u202eRotherham", "Rotherham\u200b", "\uff32\uff4f\uff54\uff48\uff45\uff52",
        "\U0001f642", "a\u2028b", "caf\u00e9", "\u0000", "2017\u201011", "\ud7ff")],
    "huge": [HUGE, LONG, "9" * 5000],
    "nested": ["[" * 20 + "]" * 20, "{a: {b: {c: {d: {e: {f: {g: {h: {i: 1}}}}}}}}}",
               "[[1, [2, [3]]]]"],
    "wrong path kind": ["/dev/zero", "../../../etc/passwd", "data", "params/dtoc", "'~'",
                        "C:\\\\x"],
    "yaml tags": ["!!python/object/apply:os.system ['true']", "!!binary aGk=", "!!set {a}",
                  "&anchor 1"],
}


def top_keys(lines: list[str]) -> list[tuple[int, str]]:
    """(line index, key) of every top-level ``key: value`` line."""
    out = []
    for i, line in enumerate(lines):
        if line and not line[0].isspace() and not line.startswith("#") and ":" in line:
            out.append((i, line.split(":", 1)[0]))
    return out


def param_cases() -> Iterator[tuple[str, str, Path, Callable[[Path], None]]]:
    """(class, case id, shipped file, write(target)) for every mutation of every file."""
    for src in PARAMS:
        text = src.read_text(encoding="utf-8")
        lines = text.splitlines()
        for i, key in top_keys(lines):
            def removed(t: Path, i: int = i, lines: list[str] = lines) -> None:
                t.write_text("\n".join(lines[:i] + lines[i + 1:]) + "\n", encoding="utf-8")

            def twice(t: Path, i: int = i, lines: list[str] = lines, text: str = text) -> None:
                t.write_text(text + lines[i] + "\n", encoding="utf-8")

            yield "removed", f"{src.name}:{key}", src, removed
            yield "duplicated", f"{src.name}:{key}", src, twice
            if src not in FULL:
                continue
            for cls, values in VALUES.items():
                # one value of each class per key, turning through the class's values by key
                for v in (values[(i + len(key)) % len(values)],):
                    def put(t: Path, i: int = i, key: str = key, v: str = v,
                            lines: list[str] = lines) -> None:
                        new = lines[:i] + [f"{key}: {v}"] + lines[i + 1:]
                        t.write_text("\n".join(new) + "\n", encoding="utf-8")

                    yield cls, f"{src.name}:{key}={v[:20]!r}", src, put
        whole: dict[str, Callable[[Path], None]] = {
            "empty": lambda t: t.write_text(""),
            "comments only": lambda t: t.write_text("# nothing\n"),
            "byte-order mark": lambda t, s=text: t.write_bytes(b"\xef\xbb\xbf" + s.encode()),
            "UTF-16": lambda t, s=text: t.write_bytes(s.encode("utf-16")),
            "Latin-1 byte": lambda t, s=text: t.write_bytes(s.encode() + b"x: \xe9\n"),
            "CRLF": lambda t, s=text: t.write_bytes(s.replace("\n", "\r\n").encode()),
            "truncated": lambda t, s=text: t.write_text(s[: len(s) // 2]),
            "a list": lambda t: t.write_text("- a\n- b\n"),
            "a scalar": lambda t: t.write_text("hello\n"),
            "two documents": lambda t, s=text: t.write_text(s + "---\n" + s),
            "tab indented": lambda t, s=text: t.write_text("\t" + s),
            "binary": lambda t: t.write_bytes(bytes(range(256))),
            "a directory": lambda t: t.mkdir(),
            "a fifo": lambda t: os.mkfifo(t),
            "a symlink to a directory": lambda t: t.symlink_to(t.parent),
            "a dangling symlink": lambda t: t.symlink_to(t.parent / "nowhere.yaml"),
            "a symlink to a device": lambda t: t.symlink_to("/dev/zero"),
        }
        for name, write in whole.items():
            yield "whole file", f"{src.name}:{name}", src, write


PARAM_CASES = list(param_cases())

# --- data -------------------------------------------------------------------------------------


def _loaders() -> dict[str, Callable[[Path], object]]:
    from hwb.papers import falls
    from hwb.toolkit import figures

    out: dict[str, Callable[[Path], object]] = {
        "falls/torbay_costs.csv": lambda p: read_csv(p, falls.TORBAY_SCHEMA),
        "falls/rotherham_population_65plus.csv": lambda p: read_csv(p, falls.POPULATION_SCHEMA),
        falls.NATIONAL_FILE: lambda p: read_csv(p, falls.NATIONAL_SCHEMA),
    }
    for paper in ("bcf", "dtoc", "equity", "falls"):
        out[f"{paper}/printed_figures.csv"] = figures.load_printed
    return out


def _split(line: str) -> list[str]:
    import csv

    return next(csv.reader([line]))


def _join(cells: list[str]) -> str:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(cells)
    return buf.getvalue()


CELLS = ["", "x", "-1", "1e400", "9" * 1000, "\u202e12", "\u00bd", "NaN", " 3 ", "1,2,3",
         "\x00", '"']


def data_cases() -> Iterator[tuple[str, str, str, Callable[[Path], None]]]:
    """(class, case id, data file, write(target)); 12 data rows of each file are kept."""
    for rel in _loaders():
        lines = (ROOT / "data" / rel).read_text(encoding="utf-8-sig").splitlines()[:13]
        header, rows = _split(lines[0]), [_split(x) for x in lines[1:]]

        def table(h: list[str], rs: list[list[str]]) -> str:
            return "\n".join([_join(h)] + [_join(r) for r in rs]) + "\n"

        for j, col in enumerate(header):
            yield "column removed", f"{rel}:{col}", rel, lambda t, j=j, h=header, rs=rows: (
                t.write_text(table(h[:j] + h[j + 1:], [r[:j] + r[j + 1:] for r in rs])))
            yield "column duplicated", f"{rel}:{col}", rel, lambda t, j=j, h=header, rs=rows: (
                t.write_text(table(h + [h[j]], [r + [r[j]] for r in rs])))
            yield "column renamed", f"{rel}:{col}", rel, lambda t, j=j, h=header, rs=rows: (
                t.write_text(table(h[:j] + [h[j] + "\u00a0x"] + h[j + 1:], rs)))
            for v in CELLS:
                for i in (0,):
                    def cell(t: Path, i: int = i, j: int = j, v: str = v,
                             h: list[str] = header, rows: list[list[str]] = rows) -> None:
                        rs = [list(r) for r in rows]
                        rs[i][j] = v
                        t.write_text(table(h, rs))

                    yield "cell retyped", f"{rel}:{col}[{i}]={v[:10]!r}", rel, cell
        h, rs = header, rows
        whole: dict[str, Callable[[Path], None]] = {
            "row duplicated": lambda t, h=h, rs=rs: t.write_text(table(h, rs + rs[:1])),
            "header only": lambda t, h=h: t.write_text(table(h, [])),
            "empty": lambda t: t.write_text(""),
            "short row": lambda t, h=h, rs=rs: t.write_text(table(h, rs + [rs[0][:1]])),
            "long row": lambda t, h=h, rs=rs: t.write_text(table(h, rs + [rs[0] + ["extra"]])),
            "not UTF-8": lambda t, h=h, rs=rs: t.write_bytes(table(h, rs).encode() + b"\xff\n"),
            "byte-order mark": lambda t, h=h, rs=rs: t.write_bytes(b"\xef\xbb\xbf"
                                                                   + table(h, rs).encode()),
            "a directory": lambda t: t.mkdir(),
            "missing": lambda t: None,
        }
        for name, write in whole.items():
            yield "whole file", f"{rel}:{name}", rel, write


DATA_CASES = list(data_cases())

# --- the invariant ----------------------------------------------------------------------------


def _outcome(fn: Callable[[], object], target: Path, limit: int | None) -> str:
    try:
        fn()
    except HwbError as e:
        msg = str(e)
        problems = []
        if e.exit_code != 2:
            problems.append(f"exit {e.exit_code}")
        if "\n" in msg or "Traceback" in msg:
            problems.append("not one line")
        if target.name not in msg:
            problems.append("does not name the file")
        if limit is not None and len(msg) > limit:
            problems.append(f"{len(msg)} characters")
        return "refused" if not problems else f"BAD ({', '.join(problems)}): {msg[:300]}"
    except Exception as e:  # noqa: BLE001 - the invariant is that nothing else escapes
        return f"BAD {type(e).__name__}: {str(e)[:300]}"
    return "accepted"


def _report(title: str, tally: dict[str, Counter]) -> None:
    print(f"\n{title}: {sum(sum(c.values()) for c in tally.values())} cases")
    for cls, c in sorted(tally.items()):
        print(f"  {cls:<20} {sum(c.values()):>5}: " + ", ".join(
            f"{k} {n}" for k, n in sorted(c.items())))


def test_every_mutated_parameters_file_is_accepted_or_refused_in_one_line(
        tmp_path: Path) -> None:
    assert len(PARAM_CASES) > 500
    tally: dict[str, Counter] = {}
    bad = []
    accepted_whole: list[tuple[str, Path]] = []
    for n, (cls, case, src, write) in enumerate(PARAM_CASES):
        target = tmp_path / str(n) / src.name
        target.parent.mkdir()
        write(target)
        paper = PAPERS[src.parent.name]
        result = _outcome(lambda p=paper, t=target: prepare(p, t), target, None)
        tally.setdefault(cls, Counter())[result.split(" ")[0]] += 1
        if result.startswith("BAD"):
            bad.append(f"{cls} {case}: {result}")
        if cls == "whole file" and result == "accepted":
            accepted_whole.append((case.split(":", 1)[1], src))
    _report("parameters", tally)
    assert not bad, "\n".join(bad[:20])
    # what must be refused is refused: every key written twice, every nesting too deep, every
    # value too large for the file, every tag that would build an object, every wrong path kind
    assert tally["duplicated"]["accepted"] == 0
    assert tally["nested"]["accepted"] == tally["yaml tags"]["accepted"] == 0
    # of the whole-file mutations a byte-order mark and CRLF line ends are harmless for every
    # file; a file cut in half may be accepted (papers derive the rest from an area code), but
    # only as the file's own first half: every key it still sets, bar the one cut mid-value,
    # reads as in the whole file
    kinds = Counter(kind for kind, _ in accepted_whole)
    assert kinds["byte-order mark"] == kinds["CRLF"] == len(PARAMS)
    assert set(kinds) <= {"byte-order mark", "CRLF", "truncated"}
    for kind, src in accepted_whole:
        if kind == "truncated":
            text = src.read_text(encoding="utf-8")
            whole, half = yaml.safe_load(text), yaml.safe_load(text[: len(text) // 2]) or {}
            kept = list(half)[:-1]
            assert {k: half[k] for k in kept} == {k: whole[k] for k in kept}, src.name


def test_every_mutated_data_file_is_accepted_or_refused_in_one_short_line(
        tmp_path: Path) -> None:
    assert len(DATA_CASES) > 500
    loaders = _loaders()
    tally: dict[str, Counter] = {}
    bad = []
    for n, (cls, case, rel, write) in enumerate(DATA_CASES):
        target = tmp_path / str(n) / Path(rel).name
        target.parent.mkdir()
        write(target)
        result = _outcome(lambda t=target, f=loaders[rel]: f(t), target, 200)
        tally.setdefault(cls, Counter())[result.split(" ")[0]] += 1
        if result.startswith("BAD"):
            bad.append(f"{cls} {case}: {result}")
    _report("data", tally)
    assert not bad, "\n".join(bad[:20])
    # a column named twice is always refused; a column removed or renamed is refused unless
    # the loader reads no such column
    assert tally["column duplicated"]["accepted"] == 0


def _first_line(text: str, key: str) -> int:
    return next(i for i, x in enumerate(text.splitlines(), 1) if x.startswith(f"{key}:"))


def _set(key: str, value: str) -> Callable[[str], str]:
    return lambda s: re.sub(rf"(?m)^{key}: .*$", f"{key}: {value}", s)


@pytest.mark.parametrize(("paper", "edit", "expected"), [
    ("dtoc", lambda s: s + "month: 2017-12\n",
     lambda s: f"key 'month': expected the key once (it is set on line {_first_line(s, 'month')} "
               f"and again on line {len(s.splitlines()) + 1})"),
    ("dtoc", _set("period", "not-valid"),
     lambda s: "key 'period' = 'not-valid': expected a month YYYY-MM"),
    ("bcf", _set("board", "nosuch"),
     lambda s: "key 'board' = 'nosuch': expected a board of the paper's printed figures"),
    ("falls", _set("area_name", "Barnsley"),
     lambda s: "key 'area_name' = 'Barnsley': expected the name of E08000018, 'Rotherham'"),
    ("equity", None, lambda s: "file: expected a regular parameters file, not a directory"),
])
def test_through_the_command_exit_2_one_line_nothing_written(
        tmp_path: Path, paper: str, edit: Callable[[str], str] | None,
        expected: Callable[[str], str]) -> None:
    src = sorted((ROOT / "params" / paper).glob("rotherham-*.yaml"))[-1]
    target = tmp_path / src.name
    want = f"hwb: {target}: {expected(src.read_text(encoding='utf-8'))}"
    if edit is None:
        target.mkdir()
    else:
        target.write_text(edit(src.read_text(encoding="utf-8")), encoding="utf-8")
    out = tmp_path / "outputs"
    r = subprocess.run([sys.executable, "-m", "hwb.commands.cli", "run", paper, str(target),
                        "--outputs", str(out), "--force", "--quiet"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith(want)
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert not out.exists()
