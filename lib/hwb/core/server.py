"""A warm ``hwb`` server that outlives a command, so the analyst's ``hwb run`` starts hot.

Most of a single ``hwb run``'s time is not the notebook: it is starting Python,
importing papermill, nbconvert and the scientific stack, and starting the
zygote (:mod:`hwb.core.zygote`) that forks the kernel.  The server pays that
once.  It is started by the first ``hwb run`` in a project, listens on a unix
socket under ``.hwb/`` in the project (``server.sock``, described by
``server.json``; the folder ignores itself in git), and for each request
forks a child that runs the command line exactly as ``hwb`` would, with the
client's working directory, environment and terminal (its stdin, stdout and
stderr are passed over the socket), then reports the exit code.

The client (:func:`run_via_server`) imports only the standard library.  It
computes a fingerprint of what the server has imported — every file of the
library's source, the project's notebooks, the lock file, the Python and
``PYTHONPATH`` — and when the running server's fingerprint differs, stops it
and starts a new one, so a run through the server never uses stale code.
The server exits after ``HWB_SERVER_IDLE`` seconds without a request (default
900), on ``hwb serve stop``, or when its directory is removed.

Set ``HWB_SERVER=0`` (or pass ``--no-server``) to run in the command's own
process.  Linux only (it forks); elsewhere ``hwb run`` runs in process.
"""

from __future__ import annotations

import array
import contextlib
import gc
import json
import os
import select
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

from hwb.core.procs import alive

# The client imports only what it needs to hand over a request (hashlib, fcntl and subprocess
# are imported where a server is started): ``hwb run`` starts in tens of milliseconds.

LIB = Path(__file__).resolve().parents[1]  # lib/hwb
STATE_DIR = ".hwb"
IDLE_VAR = "HWB_SERVER_IDLE"
ENABLE_VAR = "HWB_SERVER"
DEFAULT_IDLE = 900.0
START_TIMEOUT = 120.0
PRELOAD = ("hwb.core.batch", "hwb.core.runner", "hwb.core.index", "hwb.core.readyclient",
           "hwb.core.kernelspec", "papermill", "nbclient", "nbformat", "tqdm", "zmq",
           "jupyter_client.manager", "jupyter_client.asynchronous", "hwb.core.pdf",
           "playwright.sync_api", "psutil", "jupyter_client.localinterfaces")


# --- where ------------------------------------------------------------------------------------


def project_root() -> Path:
    """The project directory, by the rule of :func:`hwb.sources.data.project_root` (which
    this module does not import: it pulls in pandas)."""
    env = os.environ.get("HWB_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for d in (here, *here.parents):
        if (d / "data").is_dir() and (d / "pyproject.toml").is_file():
            return d
    return LIB.parents[1]


def state_dir(root: Path) -> Path:
    d = root / STATE_DIR
    d.mkdir(exist_ok=True)
    ignore = d / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")
    return d


def socket_path(root: Path) -> str:
    p = str(root / STATE_DIR / "server.sock")
    if len(p.encode()) < 100:  # AF_UNIX paths are limited to 108 bytes
        return p
    import hashlib

    h = hashlib.sha256(str(root).encode()).hexdigest()[:16]
    return str(Path("/tmp") / f"hwb-server-{h}.sock")


def watched(root: Path) -> list[str]:
    """The files a server's code depends on: the library's source, the project's notebooks and
    the lock file (also what ``hwb preview`` watches, with the parameters file)."""
    files: list[str] = []
    for base, dirs, names in os.walk(LIB):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        files += [os.path.join(base, n) for n in names if not n.endswith(".pyc")]
    nbs = root / "notebooks"
    with contextlib.suppress(OSError):
        files += [str(nbs / n) for n in os.listdir(nbs) if n.endswith(".ipynb")]
    files.append(str(root / "requirements.lock"))
    return sorted(files)


def stamp(files: list[str]) -> str:
    """Each file's name, size and modification time in nanoseconds (what ``make`` trusts;
    any write changes it), as one string: a few hundred ``stat`` calls, no reading."""
    parts = []
    for f in files:
        try:
            st = os.stat(f)
            parts.append(f"{f}\0{st.st_size}\0{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{f}\0-")
    return "\n".join(parts)


def fingerprint(root: Path) -> str:
    """A digest of what a server has loaded: the interpreter, ``PYTHONPATH``, the project, and
    the :func:`stamp` of every :func:`watched` file and of the installed packages' folders (an
    edit, a checkout, a new lock file or a package installed changes it, and the next run
    starts a new server)."""
    files = watched(root) + _package_dirs()
    text = f"{sys.executable}\0{os.environ.get('PYTHONPATH', '')}\0{root}\0{stamp(files)}"
    try:
        from _sha256 import sha256  # the C implementation, without hashlib's OpenSSL start-up
    except ImportError:  # pragma: no cover - other Pythons
        from hashlib import sha256
    return sha256(text.encode()).hexdigest()


def enabled(argv: list[str]) -> bool:
    """Whether ``hwb run`` goes through the server: on Linux, unless ``--no-server`` or
    ``HWB_SERVER=0``; under pytest only with ``HWB_SERVER=1`` (no stray servers from tests)."""
    flag = os.environ.get(ENABLE_VAR)
    if flag is None:
        flag = "0" if "PYTEST_CURRENT_TEST" in os.environ else "1"
    return sys.platform.startswith("linux") and flag != "0" and "--no-server" not in argv


# --- the client -------------------------------------------------------------------------------


def _info(root: Path) -> dict[str, Any] | None:
    try:
        return json.loads((root / STATE_DIR / "server.json").read_text())
    except (OSError, ValueError):
        return None


def _connect(path: str, timeout: float | None = 5.0) -> socket.socket | None:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(path)
    except OSError:
        s.close()
        return None
    return s


def _recv_line(s: socket.socket) -> bytes:
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
    return buf


def stop(root: Path | None = None) -> bool:
    """Stop the project's server; True if one was running."""
    root = root or project_root()
    info = _info(root)
    if not info:
        return False
    s = _connect(info.get("socket", socket_path(root)))
    if s is not None:
        with s:
            with contextlib.suppress(OSError):
                s.sendall(json.dumps({"op": "stop"}).encode() + b"\n")
                _recv_line(s)
    pid = int(info.get("pid", 0))
    end = time.monotonic() + 10
    while pid and alive(pid) and time.monotonic() < end:
        time.sleep(0.02)
    if pid and alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    with contextlib.suppress(FileNotFoundError):
        (root / STATE_DIR / "server.json").unlink()
    return True


def status(root: Path | None = None) -> dict[str, Any] | None:
    """The running server's ``server.json`` (pid, socket, fingerprint, started), if any."""
    root = root or project_root()
    info = _info(root)
    if info and alive(int(info.get("pid", 0))):
        info["current"] = info.get("fingerprint") == fingerprint(root)
        return info
    return None


def ensure(root: Path | None = None, entry: str = "") -> dict[str, Any]:
    """A running server for this project and this code, started (or restarted) if need be.

    ``entry`` (``module:function``) is the command line the server runs for each request;
    the caller names it (the core does not import the commands layer above it).
    """
    import fcntl
    import subprocess

    root = root or project_root()
    fp = fingerprint(root)
    d = state_dir(root)
    with open(d / "server.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one client starts the server; the others wait
        info = _info(root)
        if info and info.get("fingerprint") == fp and alive(int(info["pid"])):
            s = _connect(info["socket"])
            if s is not None:
                s.close()
                return info
        if info:
            stop(root)
        sock = socket_path(root)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(sock)
        log = open(d / "server.log", "ab")  # noqa: SIM115 - handed to the server process
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("HWB_FORK", None)
        cmd = [sys.executable, "-m", "hwb.core.server", str(root), sock, fp, entry]
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env,
                                cwd=root, start_new_session=True)
        log.close()
        end = time.monotonic() + START_TIMEOUT
        while time.monotonic() < end:
            info = _info(root)
            if info and info.get("pid") == proc.pid and info.get("fingerprint") == fp:
                return info
            if proc.poll() is not None:
                break
            time.sleep(0.02)
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        raise RuntimeError(f"the hwb server did not start (see {d / 'server.log'})")


def run_via_server(argv: list[str], entry: str) -> int | None:
    """Run ``entry(ARGV, server=False)`` (``module:function``, the ``hwb`` command line) in the
    project's warm server; None when it cannot (the caller runs in process)."""
    if not enabled(argv):
        return None
    root = project_root()
    try:
        info = ensure(root, entry)
    except (OSError, RuntimeError) as e:
        print(f"hwb: running without the server ({e})", file=sys.stderr)
        return None
    s = _connect(info["socket"], timeout=None)
    if s is None:
        return None
    req = {"op": "run", "argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}
    with s:
        fds = [0, 1, 2]
        s.sendmsg([json.dumps(req).encode() + b"\n"],
                  [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))])
        try:
            reply = _recv_line(s)
        except KeyboardInterrupt:
            with contextlib.suppress(OSError):
                s.close()
            print("hwb: interrupted", file=sys.stderr)
            return 130
    try:
        return int(json.loads(reply)["rc"])
    except (ValueError, KeyError, TypeError):
        print("hwb: the server failed during the run; see .hwb/server.log", file=sys.stderr)
        return 1


# --- a no-op hwb reports, answered from a stamp ---------------------------------------------


def _reports_record(root: Path, argv: list[str]) -> Path:
    try:
        from _sha256 import sha256
    except ImportError:  # pragma: no cover - other Pythons
        from hashlib import sha256
    key = json.dumps([argv, os.getcwd(), sys.executable, os.environ.get("PYTHONPATH", ""),
                      os.environ.get("HWB_ROOT", "")])
    return root / STATE_DIR / f"reports-{sha256(key.encode()).hexdigest()[:16]}.json"


def reports_up_to_date(argv: list[str]) -> str | None:
    """The summary line of the last ``hwb reports`` with these arguments when nothing it
    depended on has changed since, else None (the caller runs the command).

    The record (:func:`record_reports`) lists every file the build depended on or wrote:
    the library, notebooks and lock (:func:`watched`), each paper's notebook, inputs,
    printed figures and parameter files, the parameter folders and the installed packages'
    folders (a new file there is a change), and every output file.  Their sizes and
    modification times (ns) are compared here with ``stat`` alone, so a no-op rebuild
    imports neither pandas nor papermill.  ``--force`` always builds.
    """
    if "--force" in argv:
        return None
    root = project_root()
    try:
        rec = json.loads(_reports_record(root, argv).read_text())
    except (OSError, ValueError):
        return None
    if rec.get("stamp") != stamp(rec.get("files", [])):
        return None
    return str(rec.get("line")) or None


def record_reports(argv: list[str], files: list[str], line: str) -> None:
    """Remember a successful ``hwb reports``: what it depended on and wrote, and its summary
    line as a no-op rebuild would print it (see :func:`reports_up_to_date`)."""
    root = project_root()
    files = sorted({*files, *watched(root), *_package_dirs()})
    target = _reports_record(root, argv)
    state_dir(root)
    tmp = target.with_name(f".{target.name}.{os.getpid()}")
    tmp.write_text(json.dumps({"files": files, "stamp": stamp(files), "line": line}))
    os.replace(tmp, target)


def _package_dirs() -> list[str]:
    """The folders of installed packages (installing or removing one changes their times)."""
    return [p for p in sys.path if p and os.path.isdir(p) and "site-packages" in p]


# --- the server -------------------------------------------------------------------------------


def _entry(entry: str) -> Any:
    import importlib

    module, _, name = entry.partition(":")
    return getattr(importlib.import_module(module), name)


def _child(conn: socket.socket, req: dict[str, Any], fds: list[int], entry: str,
           answered: int = -1) -> None:
    """In the forked child: become the client's ``hwb`` process for one command (and write a
    byte to the server's ``answered`` pipe once the client has its answer)."""
    from hwb.core import runner, zygote

    rc = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        for target, fd in zip((0, 1, 2), fds, strict=False):
            os.dup2(fd, target)
        os.environ.clear()
        os.environ.update(req["env"])
        os.chdir(req["cwd"])
        runner.KERNEL = zygote.take_ahead  # the kernel forked ahead for this run, if it fits
        runner.defer_pdfs()
        rc = _entry(entry)(list(req["argv"]), server=False)
    except SystemExit as e:
        rc = e.code if isinstance(e.code, int) else 1
    except BaseException as e:  # noqa: BLE001 - reported to the client, never raised here
        with contextlib.suppress(Exception):
            print(f"hwb: {type(e).__name__}: {e}", file=sys.stderr)
    finally:
        with contextlib.suppress(Exception):
            zygote.release_taken()
            zygote.discard_ahead()  # forked ahead for a run that did not need it
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        with contextlib.suppress(OSError):
            conn.sendall(json.dumps({"rc": rc}).encode() + b"\n")
            conn.close()
        with contextlib.suppress(OSError):
            os.write(answered, b".")  # the server may fork the next run's kernel now
        _after_answer(fds)
        os._exit(rc if isinstance(rc, int) else 1)


def _after_answer(fds: list[int]) -> None:
    """The client has its answer: let go of its terminal (a pipe reading our output ends with
    the client), then print the PDFs of the appendices written (:func:`runner.defer_pdfs`)."""
    from hwb.core import runner

    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_RDWR)
        for target in (0, 1, 2):
            os.dup2(null, target)
        for fd in {*fds, null} - {0, 1, 2}:
            with contextlib.suppress(OSError):
                os.close(fd)
    try:
        runner.print_deferred()
    except Exception as e:  # noqa: BLE001 - the run has answered; the log says why
        _log(f"PDF after the run: {type(e).__name__}: {e}")


def _log(line: str) -> None:
    with contextlib.suppress(OSError), open(project_root() / STATE_DIR / "server.log", "a") as f:
        f.write(f"{time.strftime('%H:%M:%S')} [{os.getpid()}] {line}\n")


def _warm(entry: str) -> None:
    import importlib

    from hwb.core import zygote

    zygote.start_zygote()  # imports the stack in its own process meanwhile

    for name in (*PRELOAD, entry.partition(":")[0]):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    with contextlib.suppress(Exception):
        from hwb.core import html, index

        html.warm()
        index.warm()
    with contextlib.suppress(Exception):
        from hwb.core.registry import papers

        papers()
    zygote._warm_papers()  # the papers' data (a run's parameter checks read it) in memory
    with contextlib.suppress(Exception):
        from hwb.core import kernelspec, manifest, runner

        runner.library_files()  # read once per server (a change restarts it)
        from jupyter_client import localinterfaces

        localinterfaces.localhost()  # a kernel client's address: found once, not per run
        manifest.package_versions()
        kernelspec.check()
    zygote.adopt()


def _fork_ahead(req: dict[str, Any], root: Path) -> None:
    """Fork the kernel for the next ``hwb run`` of the same paper (:func:`zygote.prelaunch`)."""
    from hwb.core import runner, zygote
    from hwb.core.registry import get

    argv = list(req.get("argv", []))
    if len(argv) < 2 or argv[0] != "run" or "--no-fork" in argv:
        return
    env = runner.kernel_environ(get(argv[1]), True, dict(req["env"]))
    zygote.prelaunch(env, str(root))


def serve(root: Path, sock_path: str, fp: str, entry: str) -> None:
    """Warm up, then answer requests until idle, stopped, or the project's state is gone."""
    from hwb.core import zygote

    _warm(entry)
    gc.collect()
    gc.freeze()  # what was warmed is never collected: each command's fork walks only its own
    idle = float(os.environ.get(IDLE_VAR, DEFAULT_IDLE))
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(sock_path)
    srv.bind(sock_path)
    srv.listen(16)
    srv.settimeout(1.0)
    info = {"pid": os.getpid(), "socket": sock_path, "fingerprint": fp,
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    state = root / STATE_DIR / "server.json"
    tmp = state.with_name(f".server.json.{os.getpid()}")
    tmp.write_text(json.dumps(info))
    os.replace(tmp, state)
    last = time.monotonic()
    running: set[int] = set()
    # The next run's kernel is forked once the run before has answered (its child writes to
    # this pipe, or exits): forked at once it would start on the cores the run is using.
    answered_r, answered_w = os.pipe()
    os.set_blocking(answered_r, False)
    ahead_for: dict[str, Any] | None = None
    try:
        while True:
            with contextlib.suppress(ChildProcessError):
                while running:
                    pid, _ = os.waitpid(-1, os.WNOHANG)
                    if pid == 0:
                        break
                    running.discard(pid)
                    last = time.monotonic()
            if running:
                last = time.monotonic()
            if time.monotonic() - last > idle or _info(root) != info:
                return
            ready, _, _ = select.select([srv, answered_r], [], [], 1.0)
            if answered_r in ready:
                with contextlib.suppress(BlockingIOError):
                    os.read(answered_r, 4096)
            if ahead_for is not None and (answered_r in ready or not running):
                with contextlib.suppress(Exception):
                    _fork_ahead(ahead_for, root)
                ahead_for = None
            if srv not in ready:
                continue
            try:
                conn, _ = srv.accept()
            except (TimeoutError, InterruptedError):
                continue
            last = time.monotonic()
            conn.settimeout(30)
            msg, anc, _flags, _addr = conn.recvmsg(1 << 20, socket.CMSG_SPACE(3 * 4))
            fds: list[int] = []
            for level, kind, data in anc:
                if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                    a = array.array("i")
                    a.frombytes(data[: len(data) - len(data) % a.itemsize])
                    fds += list(a)
            while not msg.endswith(b"\n"):
                chunk = conn.recv(1 << 20)
                if not chunk:
                    break
                msg += chunk
            try:
                req = json.loads(msg)
            except ValueError:
                conn.close()
                continue
            if req.get("op") == "stop":
                conn.sendall(b'{"stopped": true}\n')
                conn.close()
                return
            if req.get("op") == "ping":
                conn.sendall(json.dumps(info).encode() + b"\n")
                conn.close()
                continue
            conn.settimeout(None)
            pid = os.fork()
            if pid == 0:
                srv.close()
                os.close(answered_r)
                _child(conn, req, fds, entry, answered_w)
            running.add(pid)
            conn.close()
            for fd in fds:
                os.close(fd)
            zygote.forget_ahead()  # the child has it now
            ahead_for = req
    finally:
        os.close(answered_r)
        os.close(answered_w)
        zygote.discard_ahead()
        srv.close()
        with contextlib.suppress(OSError):
            os.unlink(sock_path)
        if _info(root) == info:
            with contextlib.suppress(OSError):
                state.unlink()


if __name__ == "__main__":  # pragma: no cover - the server process itself
    serve(Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4])
