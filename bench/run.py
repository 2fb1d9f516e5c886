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
   pair and by ``hwb run --force`` through the warm server (:mod:`hwb.core.server`),
   interleaved, five of each, medians (and the time until the warm run's PDF, printed after
   its answer, is in place); a cold server and ``--no-server`` once each; ``hwb preview``'s
   save-to-reloaded-page time in headless Chromium; and a no-op ``make reports`` (make
   included).  ``--loop-only`` measures just this and rewrites only its section of
   ``docs/benchmarks.md``;
8. provenance: ``git status`` in a fresh clone with the notebooks' clean filter installed
   (as ``make`` installs it), before and after every notebook's modification time changes
   (git then runs the filter on each), and the manifest's git state;
9. beyond one machine: national DTOC for ``--cluster-months`` months (default 1, boards
   only) on a local Dask cluster of separate processes (``dask scheduler`` and two
   ``dask worker --nthreads 1``, each in a folder of its own), every file coming back to the
   client.

Results are printed as ratios and written to ``docs/benchmarks.md`` with the core count.
This is a benchmark, not a test: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
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
NOTES = "<!-- notes: kept by make bench -->"
"""Below this line ``docs/benchmarks.md`` is written by hand and kept when the bench rewrites it."""
LOOP_REPS = int(os.environ.get("HWB_BENCH_REPS", "5"))
# the same measures before this work: the text (#18) and the previous session's run
BEFORE = {"naive": "11.2 / 13.19", "warm": "11.3 / 2.17", "warm_ratio": "1.0x / 6.1x",
          "noop": "1.0 / 0.07", "preview": "- / 2.67"}


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def _pdf_done(out: Path) -> bool:
    for m in out.rglob("manifest.json"):
        note = json.loads(m.read_text()).get("pdf", {}).get("note", "")
        if "being printed" in note:
            return False
    return True


def _warm_run(run: list[str], env: dict[str, str], out: Path) -> tuple[float, float]:
    """One ``hwb run --force`` through the warm server: seconds to its answer (the appendix
    written), and to its PDF in place (printed after the answer); waits for the PDF so the
    next measure does not share the cores with it."""
    t = time.perf_counter()
    subprocess.run(run, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   cwd=ROOT, env=env)
    answer = time.perf_counter() - t
    end = time.monotonic() + 120
    while not _pdf_done(out) and time.monotonic() < end:
        time.sleep(0.05)
    return answer, time.perf_counter() - t


def preview_reload(tmp: Path, env: dict[str, str], reps: int = 3) -> list[float]:
    """Seconds from saving the parameters file to the reloaded page showing the change (the new
    page painted, the edited title in its heading), in headless Chromium, with ``hwb preview``
    on the warm server."""
    try:
        from playwright.sync_api import sync_playwright

        from hwb.core.pdf import CHROMIUM_ARGS, chromium_path
    except ImportError:
        return []
    if chromium_path() is None:
        return []
    params = tmp / "dtoc" / "preview.yaml"
    params.parent.mkdir(parents=True, exist_ok=True)
    text = (ROOT / LOOP_PARAMS).read_text()
    params.write_text(text)
    proc = subprocess.Popen([str(BIN / "hwb"), "preview", str(params), "--port", "0",
                             "--outputs", str(tmp / "preview-out")], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    times: list[float] = []
    try:
        url = ""
        for line in proc.stdout or []:
            if "http://" in line:
                url = line.split()[2]
                break
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(url)
            for i in range(reps):
                title = f"Better Care Fund (BCF) Plan 2017-19 - preview edit {i}"
                t = time.perf_counter()
                params.write_text(text.replace("paper_title: Better Care Fund (BCF) Plan "
                                               "2017-19 - delayed transfers of care",
                                               f"paper_title: {title}"))
                # shown: the new page has painted (its first contentful paint) with the
                # edited title in its heading
                page.wait_for_function(
                    "performance.getEntriesByName('first-contentful-paint').length > 0 && "
                    f"(document.querySelector('h1') || {{}}).textContent?.includes({title!r})",
                    timeout=120_000)
                times.append(time.perf_counter() - t)
                time.sleep(1)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(30)
    return times


def analyst_loop(tmp: Path) -> list[str]:
    """The one-report loop, side by side, as a markdown section."""
    from hwb.core.registry import get

    nb = get("dtoc").notebook
    env = {**os.environ, "HWB_SERVER": "1"}
    env.pop("PYTEST_CURRENT_TEST", None)
    loop_out = tmp / "loop"
    run = [str(BIN / "hwb"), "run", "dtoc", LOOP_PARAMS, "--outputs", str(loop_out),
           "--force", "--quiet"]
    timed([str(BIN / "hwb"), "serve", "stop"], env=env)
    cold = timed(run, env=env)
    _warm_run(run, env, loop_out)  # the first run after a start forks the next one's kernel
    naive, warm, with_pdf = [], [], []
    for i in range(LOOP_REPS):  # interleaved, so both see the same load
        out = tmp / f"loop-naive-{i}.ipynb"
        naive.append(timed([str(BIN / "papermill"), str(nb), str(out), "-f", LOOP_PARAMS,
                            "-k", "hwb", "--cwd", str(ROOT), "--no-progress-bar"])
                     + timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                              str(out)]))
        answer, pdf = _warm_run(run, env, loop_out)
        warm.append(answer)
        with_pdf.append(pdf)
    executed = json.loads(next(loop_out.rglob("manifest.json")).read_text())["timings"]
    reload_s = preview_reload(tmp, env, LOOP_REPS)
    timed([str(BIN / "hwb"), "serve", "stop"], env=env)
    inproc = timed(run + ["--no-server"], env=env)
    # no-op make reports: everything already built in this outputs folder, make included
    reports_out = tmp / "loop-reports"
    which = ""
    built = subprocess.run([str(BIN / "hwb"), "reports", "--outputs", str(reports_out),
                            "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           cwd=ROOT)
    if built.returncode != 0:  # a report that fails is rebuilt every time: no no-op to time
        which = " --paper dtoc"
        subprocess.run([str(BIN / "hwb"), "reports", "--outputs", str(reports_out), "--quiet",
                        "--paper", "dtoc"], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, cwd=ROOT)
    # -o: the venv bootstrap is not part of a no-op (nor rebuilt by a benchmark)
    make = ["make", "-s", "-o", ".venv/.hwb-built", "reports", f"HWB={BIN / 'hwb'}",
            f"ARGS=--outputs {reports_out} --quiet{which}"]
    noop = [timed(make) for _ in range(LOOP_REPS)]
    n, w = median(naive), median(warm)
    print(f"naive {naive}\nwarm {warm}\nwith pdf {with_pdf}\ncold {cold}\ninproc {inproc}\n"
          f"reload {reload_s}\nnoop{which} {noop}\ntimings {executed}", flush=True)
    rows = [
        f"| naive pair (papermill CLI + nbconvert CLI), median of {LOOP_REPS} | "
        f"{BEFORE['naive']} | {n:.2f} | 1.00 | |",
        f"| `hwb run --force`, warm server, median of {LOOP_REPS} (answer: the appendix "
        f"written) | {BEFORE['warm']} ({BEFORE['warm_ratio']}) | {w:.2f} | "
        f"{n / w:.1f}x faster | at least 8x |",
        f"| the same, until its PDF is in place (printed after the answer) | | "
        f"{median(with_pdf):.2f} | {n / median(with_pdf):.1f}x faster | |",
        f"| of which: the notebook executed on the kernel forked ahead (last warm run's "
        f"manifest) | | {executed['execute_s']:.2f} | | |",
        f"| of which: HTML export | | {executed['export_s']:.2f} | | |",
        f"| of which: everything else (client, hand-over, parameters, manifest and files) | | "
        f"{max(warm[-1] - executed['execute_s'] - executed['export_s'], 0):.2f} | | |",
        f"| `hwb run --force`, cold server (started by the run) | | {cold:.2f} | "
        f"{n / cold:.1f}x faster | |",
        f"| `hwb run --force --no-server` (in process, zygote) | | {inproc:.2f} | "
        f"{n / inproc:.1f}x faster | |",
        f"| no-op `make reports{which}` (all cached, make included), median of {LOOP_REPS} | "
        f"{BEFORE['noop']} | {median(noop):.2f} | | at most 0.6 s |",
    ]
    if reload_s:
        rows.append(f"| `hwb preview`: save to reloaded page in Chromium, median of "
                    f"{len(reload_s)} | {BEFORE['preview']} | {median(reload_s):.2f} | | "
                    "at most 1 s |")
    return [
        LOOP_START,
        "## The analyst's loop",
        "",
        f"One DTOC report (`{LOOP_PARAMS}`) rebuilt, every measure in one run of `make bench`"
        f" (`--loop-only` for this section alone), the naive pair and the warm server "
        f"interleaved so that both see the same load; load average at the start "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.  \"Before\": the issue's "
        "figures / the previous session's.",
        "",
        "| measure | before (s) | seconds | ratio to naive | target |",
        "|---|---|---|---|---|",
        *rows,
        LOOP_END,
    ]


def provenance(tmp: Path) -> list[str]:
    """A fresh clone's ``git status`` and the manifest's git state, timed, as table rows."""
    from hwb.core.manifest import git_state

    clone = tmp / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    subprocess.run(["make", "-s", "-C", str(clone), "git-filter", f"BIN={BIN}"], check=True,
                   stdout=subprocess.DEVNULL)

    def status() -> tuple[float, int]:
        t = time.perf_counter()
        out = subprocess.run(["git", "status", "--porcelain"], cwd=clone, check=True,
                             capture_output=True, text=True).stdout
        return time.perf_counter() - t, len(out.splitlines())

    first, lines = status()
    again = [status()[0] for _ in range(LOOP_REPS)]
    notebooks = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=clone, check=True,
                               capture_output=True, text=True).stdout.split()
    later = time.time() + 5
    for nb in notebooks:
        os.utime(clone / nb, (later, later))
    touched, touched_lines = status()
    states = []
    for _ in range(LOOP_REPS):
        t = time.perf_counter()
        state = git_state(clone)
        states.append(time.perf_counter() - t)
    return [
        f"| fresh clone, filter installed: first `git status` | 15-60 s, every notebook "
        f"listed | {first:.3f} | {lines} files listed | empty, fast |",
        f"| the same, median of {LOOP_REPS} more | | {median(again):.3f} | | |",
        f"| after every notebook's modification time changed ({len(notebooks)} notebooks "
        f"filtered) | | {touched:.3f} | {touched_lines} files listed | |",
        f"| manifest's git state (`hwb.core.manifest.git_state`), median of {LOOP_REPS} | "
        f"about 30 s a run, a 20 s timeout | {median(states):.3f} | dirty: "
        f"{state['dirty']} | at most 0.1 s, true |",
    ]


def cluster_run(tmp: Path, months: int, first: str = "2017-04") -> tuple[str, float, int, float]:
    """National DTOC for ``months`` months from ``first`` on a scheduler and two workers
    started as separate processes in folders of their own (:mod:`hwb.core.cluster`): (span,
    wall seconds, appendices back with the client, CPU seconds of the cluster's processes and
    the client's)."""
    import resource

    import psutil

    from hwb.core.cluster import separate_processes
    from hwb.periods import shift

    last = shift(first, months - 1)
    env = {**os.environ, "HWB_NO_PDF": "1"}
    with separate_processes(tmp / "cluster", env, workers=2) as cluster:

        def cpu() -> float:
            total = 0.0
            for p in cluster.procs:
                try:
                    pp = psutil.Process(p.pid)
                    for q in [pp, *pp.children(recursive=True)]:
                        t = q.cpu_times()
                        total += t.user + t.system + t.children_user + t.children_system
                except psutil.NoSuchProcess:
                    pass
            return total

        before, r0 = cpu(), resource.getrusage(resource.RUSAGE_CHILDREN)
        out = tmp / "cluster-out"
        t = time.perf_counter()
        subprocess.run(
            [str(BIN / "hwb"), "national", "dtoc", "--month", first, "--to", last,
             "--scheduler", cluster.address, "--outputs", str(out), "--force", "--no-summary"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - t
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)  # the client and its children
        used = cpu() - before + (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
    back = len(list((out / "national" / "dtoc").glob("*/*/appendix.html")))
    return (f"{first} to {last}" if months > 1 else first, wall, back, used)


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


def resolved_params(paper: str, params_file: str, target: Path) -> str:
    """The parameters as the notebook receives them, written to ``target`` for papermill: a
    parameters file may leave fields to be derived (a board's name from its area code), which
    only hwb's parser does, so the naive pair gets the same values hwb injects (the cost of
    resolving them is not counted against it)."""
    import yaml

    from hwb.core.params import load_params
    from hwb.core.registry import get

    values = load_params(params_file, get(paper).params_model).to_notebook()
    target.write_text(yaml.safe_dump(values, sort_keys=False), encoding="utf-8")
    return str(target)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paper", help="only this paper's reports")
    ap.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    ap.add_argument("--no-national", action="store_true", help="skip the national DTOC run")
    ap.add_argument("--cluster-months", type=int, default=1, metavar="N",
                    help="months of national DTOC on a local Dask cluster (0: skip)")
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
        # 7. the analyst's loop first: one analyst's machine, not one that a national batch
        # has just loaded (the naive pair and the warm server interleaved all the same)
        loop = analyst_loop(tmp)
        # 1. naive loop
        naive = 0.0
        from hwb.core.registry import get

        for i, t in enumerate(tasks):
            nb = get(t.paper).notebook
            out = tmp / f"naive-{i}.ipynb"
            naive += timed(
                [
                    str(BIN / "papermill"),
                    str(nb),
                    str(out),
                    "-f",
                    resolved_params(t.paper, t.params_file, tmp / f"naive-{i}.yaml"),
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
        prov = provenance(tmp)
        cluster = cluster_run(tmp, args.cluster_months) if args.cluster_months > 0 else None
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
        f"| no-op rebuild, the first after the forced build (every report's cache key "
        f"checked: the plugins and the stack imported; a later one is answered from its "
        f"record, as `make reports` below) | {noop:.2f} | | at most 1 s |",
    ]
    if national is not None:
        lines.append(f"| national DTOC, {boards} boards and the summary, {cores} workers | "
                     f"{national:.1f} | {national / max(boards or 1, 1):.2f} s per board | "
                     "at most 60 s |")
    lines += ["", *loop, "", "## Provenance", "",
              "| measure | before | seconds | result | target |", "|---|---|---|---|---|", *prov]
    if cluster is not None:
        span, wall, back, cpu = cluster
        lines += ["", "## Beyond one machine", "",
                  f"National DTOC, {span}, every board, no summaries, on a local Dask cluster "
                  "of separate processes (`dask scheduler`, two `dask worker --nthreads 1 "
                  "--no-nanny`, each in a folder of its own): every run's files come back to "
                  "the client, which writes them.", "",
                  "| appendices back | wall (s) | CPU s (cluster and client) | CPU s per "
                  "appendix | wall per appendix |", "|---|---|---|---|---|",
                  f"| {back} | {wall:.1f} | {cpu:.0f} | {cpu / max(back, 1):.2f} | "
                  f"{wall / max(back, 1):.2f} |"]
    if stats:
        lines += ["", "## Statistics", "", "```", stats, "```"]
    text = "\n".join(lines) + "\n"
    before = Path(args.out).read_text() if Path(args.out).exists() else ""
    if NOTES in before:  # the notes written by hand below the measures are kept
        text += "\n" + NOTES + before.split(NOTES, 1)[1]
    Path(args.out).write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
