"""``make bench``: how hwb's runner compares with the naive way, measured in one run.

Over the same set of reports (every configured parameter file, or ``--paper``):

1. the naive loop: the papermill command line, then the ``jupyter nbconvert``
   command line, per report;
2. ``hwb reports`` cold (fresh output folder, ``--force``), with one worker per core;
3. the floor: a fresh Python importing pandas, seaborn and scipy and saving one chart,
   per report;
4. a no-op rebuild (everything cached);
5. the national DTOC run (every HWB for November 2017, and the summary);
6. the statistics benchmark (one million Wilson intervals), when present;
7. the analyst's loop: one DTOC report (Rotherham, September 2017) rebuilt by the naive
   pair, by ``hwb run --force`` through a cold and then a warm server
   (:mod:`hwb.core.server`), and by ``hwb run --force --no-server``; and a no-op
   ``make reports`` (make included).  ``--loop-only`` measures just this and rewrites
   only its section of ``docs/benchmarks.md``.

Results are printed as ratios and written to ``docs/benchmarks.md`` with the core count.
This is a benchmark, not a test: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FLOOR = (
    "import pandas, seaborn, scipy.stats, matplotlib\n"
    "matplotlib.use('Agg')\n"
    "import matplotlib.pyplot as plt\n"
    "fig, ax = plt.subplots(); ax.plot([1, 2, 3], [2, 1, 3]); fig.savefig({out!r}, format='svg')\n"
)


def timed(cmd: list[str], **kw: object) -> float:
    t = time.perf_counter()
    subprocess.run(
        cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, **kw
    )  # type: ignore[call-overload]
    return time.perf_counter() - t


LOOP_PARAMS = "params/dtoc/rotherham-2017-09.yaml"
LOOP_START = "<!-- analyst's loop: start -->"
LOOP_END = "<!-- analyst's loop: end -->"


def analyst_loop(tmp: Path) -> list[str]:
    """The one-report loop, side by side, as a markdown section."""
    from hwb.core.registry import get

    nb = get("dtoc").notebook
    out = tmp / "loop-naive.ipynb"
    naive = timed([str(BIN / "papermill"), str(nb), str(out), "-f", LOOP_PARAMS, "-k", "hwb",
                   "--cwd", str(ROOT), "--no-progress-bar"])
    naive += timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out)])
    env = {**os.environ, "HWB_SERVER": "1"}
    run = [str(BIN / "hwb"), "run", "dtoc", LOOP_PARAMS, "--outputs", str(tmp / "loop"),
           "--force", "--quiet"]
    timed([str(BIN / "hwb"), "serve", "stop"], env=env)
    cold = timed(run, env=env)
    warm = min(timed(run, env=env) for _ in range(3))
    timed([str(BIN / "hwb"), "serve", "stop"], env=env)
    inproc = timed(run + ["--no-server"], env=env)
    # no-op make reports: everything already built in this outputs folder, make included
    reports_out = tmp / "loop-reports"
    subprocess.run([str(BIN / "hwb"), "reports", "--outputs", str(reports_out), "--quiet"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    # -o: the venv bootstrap is not part of a no-op (nor rebuilt by a benchmark)
    make = ["make", "-s", "-o", ".venv/.hwb-built", "reports",
            f"ARGS=--outputs {reports_out} --quiet"]
    noop = min(timed(make) for _ in range(3))
    return [
        LOOP_START,
        "## The analyst's loop",
        "",
        f"One DTOC report (`{LOOP_PARAMS}`) rebuilt, measured side by side in one run.",
        "",
        "| measure | seconds | ratio to naive | target |",
        "|---|---|---|---|",
        f"| naive pair (papermill CLI + nbconvert CLI) | {naive:.2f} | 1.00 | |",
        f"| `hwb run --force --no-server` (in process, zygote) | {inproc:.2f} | "
        f"{naive / inproc:.1f}x faster | |",
        f"| `hwb run --force`, cold server (started by the run) | {cold:.2f} | "
        f"{naive / cold:.1f}x faster | |",
        f"| `hwb run --force`, warm server (best of 3) | {warm:.2f} | {naive / warm:.1f}x faster "
        f"| at least 8x |",
        f"| no-op `make reports` (all cached, make included, best of 3) | {noop:.2f} | | "
        "at most 0.6 s |",
        LOOP_END,
    ]


def write_loop_only(out: Path) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="hwb-bench-"))
    try:
        section = "\n".join(analyst_loop(tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    text = out.read_text() if out.exists() else "# Benchmarks\n"
    if LOOP_START in text and LOOP_END in text:
        head, rest = text.split(LOOP_START, 1)
        text = head + section + rest.split(LOOP_END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    out.write_text(text)
    print(section)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paper", help="only this paper's reports")
    ap.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    ap.add_argument("--no-national", action="store_true", help="skip the national DTOC run")
    ap.add_argument("--loop-only", action="store_true",
                    help="only the analyst's loop (one report, naive vs the warm server)")
    args = ap.parse_args()
    if args.loop_only:
        return write_loop_only(Path(args.out))

    from hwb.core.batch import configured_tasks

    cores = os.cpu_count() or 1
    tasks = configured_tasks(ROOT / "outputs", args.paper)
    n = len(tasks)
    if n == 0:
        print("no reports configured")
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="hwb-bench-"))
    try:
        # 1. naive loop
        naive = 0.0
        for i, t in enumerate(tasks):
            from hwb.core.registry import get

            nb = get(t.paper).notebook
            out = tmp / f"naive-{i}.ipynb"
            naive += timed(
                [
                    str(BIN / "papermill"),
                    str(nb),
                    str(out),
                    "-f",
                    t.params_file,
                    "-k",
                    "hwb",
                    "--cwd",
                    str(ROOT),
                    "--no-progress-bar",
                ]
            )
            naive += timed(
                [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out)]
            )
        # 2. hwb reports cold
        cold_out = tmp / "cold"
        hwb = [
            str(BIN / "hwb"),
            "reports",
            "--outputs",
            str(cold_out),
            "--force",
            "--quiet",
            "--workers",
            str(cores),
        ] + (["--paper", args.paper] if args.paper else [])
        cold = timed(hwb)
        # 3. floor per report
        floor = sum(
            timed([sys.executable, "-c", FLOOR.format(out=str(tmp / f"floor-{i}.svg"))])
            for i in range(min(n, 4))
        ) / min(n, 4)
        # 4. no-op rebuild
        noop = timed([x for x in hwb if x != "--force"])
        # 5. national DTOC: every HWB's appendix for one month, then the summary
        national = boards = None
        if not args.no_national:
            nat_out = tmp / "national"
            national = timed([str(BIN / "hwb"), "national", "dtoc", "--month", "2017-11",
                              "--outputs", str(nat_out), "--force", "--workers", str(cores)])
            boards = len(list((nat_out / "national" / "dtoc").glob("*/2017-11/appendix.html")))
        # 6. statistics
        stats = ""
        if (ROOT / "bench" / "bench_stats.py").exists():
            stats = subprocess.run(
                [sys.executable, str(ROOT / "bench" / "bench_stats.py")],
                capture_output=True,
                text=True,
                cwd=ROOT,
            ).stdout.strip()
        loop = analyst_loop(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    per_report = cold / n
    papers = ", ".join(sorted({t.paper for t in tasks}))
    target_amortised = 1.3 * floor / cores
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` on {platform.machine()} with {cores} cores, Python "
        f"{platform.python_version()}, over {n} reports ({papers}).",
        "",
        "| measure | seconds | ratio | target |",
        "|---|---|---|---|",
        f"| naive loop (papermill CLI + nbconvert CLI), total | {naive:.1f} | 1.00 | |",
        f"| `hwb reports` cold, {cores} workers, total | {cold:.1f} | {naive / cold:.2f}x faster "
        f"| at least 4x |",
        "| floor: fresh Python importing the stack and saving a chart, per report | "
        f"{floor:.2f} | | |",
        f"| `hwb reports` cold, amortised per report | {per_report:.2f} | "
        f"{per_report / (floor / cores):.2f}x floor/cores | "
        f"at most 1.3x ({target_amortised:.2f} s) |",
        f"| no-op rebuild (all cached) | {noop:.2f} | | at most 1 s |",
    ]
    if national is not None:
        lines.append(f"| national DTOC, {boards} boards and the summary, {cores} workers | "
                     f"{national:.1f} | {national / max(boards or 1, 1):.2f} s per board | "
                     "within 180 s |")
    lines += ["", *loop]
    if stats:
        lines += ["", "## Statistics", "", "```", stats, "```"]
    text = "\n".join(lines) + "\n"
    Path(args.out).write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
