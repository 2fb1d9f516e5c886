"""The ``hwb`` command line.

``hwb papers`` lists installed papers; ``hwb run PAPER PARAMS...`` builds
appendices; ``hwb reports`` builds every configured one; ``hwb verify``
re-derives every figure; ``hwb kernel install|check`` manages the Jupyter kernel.
Errors a user can fix print one line and exit 2 (bad input) or 1 (a failed run).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# Nothing of hwb's is imported here: ``hwb run`` hands its request to the warm server
# (hwb.core.server, standard library only) before anything else is loaded.


def _outputs(args: argparse.Namespace) -> Path:
    from hwb.sources.data import project_root

    return Path(args.outputs) if args.outputs else project_root() / "outputs"


def cmd_papers(args: argparse.Namespace) -> int:
    from hwb.core.registry import papers
    from hwb.core.runner import display_path

    found = papers()
    if not found:
        print("no papers installed")
        return 0
    for p in found.values():
        files = p.params_files()
        print(f"{p.name:<8} {p.title}")
        print(f"         notebook: {display_path(p.notebook)}")
        print(f"         params:   {', '.join(display_path(f) for f in files) or '(none)'}")
    return 0


def _report(results: list, out: Path) -> int:  # type: ignore[type-arg]
    failed = [r for r in results if r.status == "failed"]
    built = sum(r.status == "built" for r in results)
    cached = sum(r.status == "cached" for r in results)
    index = out / "index.html"
    if built or failed or not index.exists():  # a no-op rebuild leaves the index as it is
        from hwb.core.index import write_index

        index = write_index(out)
    for r in failed:
        print(f"FAILED {r.message}", file=sys.stderr)
    print(f"{built} built, {cached} cached, {len(failed)} failed; index: {index}")
    return 1 if failed else 0


def cmd_run(args: argparse.Namespace) -> int:
    from hwb.core.batch import run_batch
    from hwb.core.kernelspec import check
    from hwb.core.registry import get
    from hwb.core.runner import Task

    get(args.paper)
    check()
    out = _outputs(args)
    tasks = [Task(args.paper, str(Path(f)), str(out), args.force, not args.no_fork)
             for f in args.params]
    results = run_batch(tasks, workers=args.workers, progress=not args.quiet)
    return _report(results, out)


def cmd_preview(args: argparse.Namespace) -> int:
    from hwb.commands.preview import main_preview

    return main_preview(args)


def cmd_serve(args: argparse.Namespace) -> int:
    from hwb.core import server

    if args.action == "stop":
        print("stopped" if server.stop() else "no server running")
    elif args.action == "start":
        info = server.ensure(entry="hwb.commands.cli:main")
        print(f"hwb server {info['pid']} on {info['socket']}")
    else:
        found = server.status()
        if found is None:
            print("no server running")
        else:
            state = "current" if found["current"] else "stale (restarted on the next run)"
            print(f"hwb server {found['pid']} since {found['started']}, {state}")
    return 0


def cmd_reports(args: argparse.Namespace) -> int:
    from hwb.core.batch import configured_tasks, run_batch
    from hwb.core.kernelspec import check

    check()
    out = _outputs(args)
    tasks = configured_tasks(out, args.paper, args.area, args.force, fork=not args.no_fork)
    results = run_batch(
        tasks,
        workers=args.workers,
        progress=not args.quiet,
        scheduler=args.scheduler,
        dask_local=args.dask == "local",
    )
    rc = _report(results, out)
    if rc == 0 and getattr(args, "argv", None) is not None:
        _record_reports(args.argv, tasks, results, out)
    return rc


def _record_reports(argv: list[str], tasks: list, results: list, out: Path) -> None:  # type: ignore[type-arg]
    """What this build depended on and wrote, for the next no-op ``hwb reports``."""
    from hwb.core.registry import get
    from hwb.core.server import record_reports
    from hwb.sources.data import project_root

    files: set[Path] = {out / "index.html"}
    for t in tasks:
        paper = get(t.paper)
        files |= {Path(t.params_file), paper.notebook, paper.params_dir, *map(Path, paper.inputs)}
        if paper.printed is not None:
            files.add(Path(paper.printed))
    for r in results:
        d = project_root() / r.out_dir  # display_path: relative to the project, or absolute
        files |= {p for p in d.iterdir() if not p.name.startswith(".")} if d.is_dir() else set()
    line = f"0 built, {len(results)} cached, 0 failed; index: {out / 'index.html'}"
    record_reports(argv, [str(p.resolve()) for p in files], line)


def cmd_verify(args: argparse.Namespace) -> int:
    from hwb.commands.verify import verify
    from hwb.core.kernelspec import check

    check()
    return verify(_outputs(args), paper=args.paper, area=args.area, workers=args.workers)


def cmd_national(args: argparse.Namespace) -> int:
    from hwb.commands.national import main_national
    from hwb.core.kernelspec import check

    check()
    from hwb.sources.data import project_root

    # the default "outputs" means the project's outputs/ folder, wherever hwb is run from
    outputs = project_root() / "outputs" if args.outputs == Path("outputs") else args.outputs
    return main_national(args.paper, args.month, outputs, args.limit, args.workers, args.force,
                         pdf=getattr(args, "pdf", False), to=getattr(args, "to", None),
                         scheduler=getattr(args, "scheduler", None),
                         summary=getattr(args, "summary", True))


def cmd_figures(args: argparse.Namespace) -> int:
    from hwb.commands.figures_report import main_figures

    return main_figures(_outputs(args))


def cmd_kernel(args: argparse.Namespace) -> int:
    from hwb.core import kernelspec

    if args.action == "install":
        print(f"installed kernel '{kernelspec.KERNEL_NAME}' in {kernelspec.install()}")
    else:
        info = kernelspec.check()
        print(f"kernel '{info['name']}' runs {info['argv0']}")
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from hwb.commands.explain import explain

    print(explain(args.figure_id, _outputs(args), args.paper, args.area))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from hwb.commands.status import STALE, as_json, report, status

    rows = status(_outputs(args), args.paper, args.area)
    print(as_json(rows) if args.json else report(rows))
    return 1 if any(s.state == STALE for s in rows) else 0


def cmd_index(args: argparse.Namespace) -> int:
    from hwb.core.index import write_index

    print(write_index(_outputs(args)))
    return 0


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="hwb", description=__doc__.splitlines()[0] if __doc__ else "")
    from hwb import __version__

    ap.add_argument("--version", action="version", version=f"hwb {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    sub.add_parser("papers", help="list installed papers").set_defaults(fn=cmd_papers)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--outputs", help="output folder (default: outputs/ in the project)")
        p.add_argument(
            "--workers", type=int, default=None, help="worker processes (default: cores)"
        )
        p.add_argument("--force", action="store_true", help="rebuild even when cached")
        p.add_argument("--quiet", action="store_true", help="no progress bar")
        p.add_argument("--no-fork", action="store_true",
                       help="start each kernel as a new process instead of forking it from a "
                            "process that has already imported the libraries")

    r = sub.add_parser("run", help="build appendices for one paper from parameter files")
    r.add_argument("paper")
    r.add_argument("params", nargs="+", type=Path)
    common(r)
    r.add_argument("--no-server", action="store_true",
                   help="run in this process, not in the project's warm server (hwb serve)")
    r.set_defaults(fn=cmd_run)

    pv = sub.add_parser("preview", help="serve one appendix on localhost, rebuilt and reloaded "
                                         "when its parameters, notebook or the library change")
    pv.add_argument("params", type=Path, help="the parameters file to preview")
    pv.add_argument("--paper", help="the paper (default: the params file's folder name)")
    pv.add_argument("--port", type=int, default=4848, help="port on 127.0.0.1 (0: any free)")
    pv.add_argument("--outputs", help="output folder (default: .hwb/preview in the project)")
    pv.set_defaults(fn=cmd_preview)

    sv = sub.add_parser("serve", help="the warm server that runs `hwb run` (started on first use)")
    sv.add_argument("action", choices=["start", "stop", "status"])
    sv.set_defaults(fn=cmd_serve)

    rep = sub.add_parser("reports", help="build every configured appendix and the index page")
    rep.add_argument("--paper")
    rep.add_argument("--area", help="area code, name or slug")
    rep.add_argument("--scheduler", help="submit to a Dask scheduler at this address")
    rep.add_argument("--dask", choices=["local"], help="start a local Dask cluster")
    common(rep)
    rep.set_defaults(fn=cmd_reports)

    v = sub.add_parser("verify", help="re-derive every figure and compare with manifests and print")
    v.add_argument("--paper")
    v.add_argument("--area")
    v.add_argument("--outputs")
    v.add_argument("--workers", type=int, default=None)
    v.set_defaults(fn=cmd_verify)

    from hwb.commands.national import add_arguments

    na = sub.add_parser("national", help="one paper's appendix for every board, and a summary")
    add_arguments(na)
    na.set_defaults(fn=cmd_national)

    fg = sub.add_parser("figures", help="every printed figure: compared or out of scope")
    fg.add_argument("--outputs")
    fg.set_defaults(fn=cmd_figures)

    k = sub.add_parser("kernel", help="install or check the hwb Jupyter kernel")
    k.add_argument("action", choices=["install", "check"])
    k.set_defaults(fn=cmd_kernel)

    ex = sub.add_parser("explain", help="how a figure in a built appendix was derived")
    ex.add_argument("figure_id")
    ex.add_argument("--paper")
    ex.add_argument("--area", help="area code, name or slug")
    ex.add_argument("--outputs")
    ex.set_defaults(fn=cmd_explain)

    st = sub.add_parser("status", help="every configured appendix: up to date or stale, and why")
    st.add_argument("--paper")
    st.add_argument("--area", help="area code, name or slug")
    st.add_argument("--outputs")
    st.add_argument("--json", action="store_true", help="as JSON")
    st.set_defaults(fn=cmd_status)

    i = sub.add_parser("index", help="rebuild outputs/index.html")
    i.add_argument("--outputs")
    i.set_defaults(fn=cmd_index)
    return ap


def main(argv: list[str] | None = None, server: bool = True) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if server and argv[:1] == ["run"]:  # the analyst's loop: hand it to the warm server
        from hwb.core.server import run_via_server

        rc = run_via_server(argv, entry="hwb.commands.cli:main")
        if rc is not None:
            return rc
    from hwb.errors import HwbError

    if argv[:1] == ["reports"]:  # a no-op rebuild: answered from its record, nothing imported
        from hwb.core.server import reports_up_to_date

        line = reports_up_to_date(argv)
        if line is not None:
            print(line)
            return 0
    args = parser().parse_args(argv)
    args.argv = argv
    try:
        return int(args.fn(args) or 0)
    except HwbError as e:
        print(f"hwb: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("hwb: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
