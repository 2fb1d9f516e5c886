"""Fork each report's kernel from a process that has already imported the scientific stack.

Almost all of a report's cost is starting Python and importing pandas,
seaborn and scipy.  A *zygote* is a helper process that imports them once and
then, on request, forks a child that becomes a fresh ipykernel: every report
still starts from a clean namespace (a new process, a new kernel app, the hwb
extension loaded as usual) but skips the imports.

:class:`ForkProvisioner` is a jupyter_client kernel provisioner (entry point
``hwb-fork`` in the group ``jupyter_client.kernel_provisioners``) named by the
``hwb`` kernelspec.  It forks from a zygote only when the runner asks for it
(environment variable ``HWB_FORK=1``, set by ``hwb run``/``hwb reports``); an
analyst's kernel in JupyterLab is launched the ordinary way, so edits to the
library are picked up on every kernel restart.

The zygote is Linux-only (it uses ``fork`` and ``PR_SET_CHILD_SUBREAPER`` to
reap its grandchildren); elsewhere the provisioner always launches normally.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import gc
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from jupyter_client.provisioning.local_provisioner import LocalProvisioner

from hwb.core.procs import alive

ENV_FLAG = "HWB_FORK"
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
PRELOAD = ("numpy", "pandas", "scipy.stats", "matplotlib", "matplotlib.pyplot", "seaborn",
           "IPython", "ipykernel.kernelapp", "nbformat", "pydantic", "yaml", "hwb.toolkit.charts",
           "hwb.toolkit.figures", "hwb.stats", "hwb.toolkit.disclosure", "hwb.toolkit.checks",
           "hwb.sources.data")


# --- the zygote process ----------------------------------------------------------------------


def _exit_with(zygote: int, interval: float = 2.0) -> None:
    """In a kernel: exit once the zygote that forked it has gone.

    A forked kernel is a grandchild in a session of its own, so ipykernel's parent
    poller cannot see its client; the zygote lives exactly as long as its client
    (see :func:`serve`), so a kernel whose zygote has gone has no client left and
    would otherwise live on as an orphan.
    """
    import threading

    def watch() -> None:
        while alive(zygote):
            time.sleep(interval)
        os._exit(0)

    threading.Thread(target=watch, name="hwb-zygote-watch", daemon=True).start()


def _become_kernel(argv: list[str], env: dict[str, str], cwd: str | None,
                   zygote: int = 0) -> None:
    """In the forked grandchild: take the request's environment and run ipykernel."""
    if zygote:
        _exit_with(zygote)
    os.environ.clear()
    os.environ.update(env)
    for entry in reversed(env.get("PYTHONPATH", "").split(os.pathsep)):
        if entry and entry not in sys.path:
            sys.path.insert(0, entry)
    if cwd:
        os.chdir(cwd)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from ipykernel import kernelapp

    args = argv[argv.index("ipykernel_launcher") + 1:] if "ipykernel_launcher" in argv else argv[1:]
    kernelapp.launch_new_instance(argv=args)


def _reap(*_: Any) -> None:
    with contextlib.suppress(ChildProcessError):
        while True:
            pid, _status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                return


def _spawn(req: dict[str, Any]) -> int:
    zygote = os.getpid()
    r, w = os.pipe()
    first = os.fork()
    if first == 0:  # child: a new session, then the kernel in a grandchild
        try:
            os.close(r)
            os.setsid()
            grand = os.fork()
            if grand == 0:
                os.close(w)
                try:
                    _become_kernel(req["argv"], req["env"], req.get("cwd"), zygote)
                finally:
                    os._exit(0)
            os.write(w, str(grand).encode())
        finally:
            os._exit(0)
    os.close(w)
    data = b""
    while chunk := os.read(r, 64):
        data += chunk
    os.close(r)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(first, 0)
    return int(data or b"0")


def _warm_papers(rehearse: bool = False) -> None:
    """Run each installed paper's ``warm`` hook, then (in the zygote, ``rehearse``) its
    ``rehearse`` hook; a failing hook only costs speed."""
    try:
        from hwb.core.registry import papers

        installed = papers()
    except Exception:  # a broken plugin is reported by the run itself, not here
        return
    for paper in installed.values():
        if paper.warm is not None:
            with contextlib.suppress(Exception):
                paper.warm()
    for paper in installed.values():
        if rehearse and paper.rehearse is not None:
            with contextlib.suppress(Exception):
                paper.rehearse()
    from hwb.sources.data import reset_inputs

    reset_inputs()


def serve(sock_path: str, parent: int) -> None:
    """Import the stack, then fork a kernel for each request until the parent goes away."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    import importlib

    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    _warm_papers(rehearse=True)
    # What was imported and warmed lives as long as the kernels: moved out of the collector's
    # reach, so a kernel's collections (a full one at every IPython reset, as a reused kernel
    # does between boards) walk only what the kernel made itself, and the forked pages stay
    # shared (a collection writes to every object it visits)
    gc.collect()
    gc.freeze()
    signal.signal(signal.SIGCHLD, _reap)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(sock_path)
    srv.listen(8)
    srv.settimeout(1.0)
    try:
        print("ready", flush=True)
    except BrokenPipeError:  # the process that started us has gone: nothing to serve
        return
    while os.getppid() == parent:
        try:
            conn, _ = srv.accept()
        except (TimeoutError, InterruptedError):
            continue
        with conn:
            conn.settimeout(30)
            buf = b""
            while not buf.endswith(b"\n"):
                chunk = conn.recv(65536)
                if not chunk:
                    break
                buf += chunk
            try:
                pid = _spawn(json.loads(buf))
                conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
            except Exception as e:  # report to the client; keep serving
                conn.sendall(json.dumps({"error": f"{type(e).__name__}: {e}"}).encode() + b"\n")
    srv.close()


# --- the client side -------------------------------------------------------------------------


class _Zygote:
    """One zygote per client process, started on first use."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self.ready = False
        self.dir = ""
        self.sock = ""
        self.owner = 0  # the process that started it, once adopted (see adopt())

    def _running(self) -> bool:
        if self.proc is None:
            return False
        if self.owner and self.owner != os.getpid():  # forked from the owner: not our child
            return ForkedProcess(self.proc.pid).poll() is None
        return self.proc.poll() is None

    def start(self) -> None:
        """Start the zygote process without waiting for it to finish its imports."""
        if self._running():
            return
        self.ready = False
        self.dir = tempfile.mkdtemp(prefix="hwb-zygote-")
        self.sock = str(Path(self.dir) / "sock")
        env = dict(os.environ)
        for var in THREAD_VARS:  # a forked process must not inherit a BLAS thread pool
            env.setdefault(var, "1")
        env.pop(ENV_FLAG, None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "hwb.core.zygote", self.sock, str(os.getpid())],
            env=env, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        atexit.register(self.stop)

    def ensure(self) -> str:
        """The zygote's socket, once it has imported the stack (started if need be)."""
        self.start()
        if not self.ready:
            assert self.proc is not None and self.proc.stdout is not None
            line = self.proc.stdout.readline()
            if line.strip() != b"ready":
                raise RuntimeError("the hwb zygote failed to start")
            self.ready = True
        return self.sock

    def fork(self, argv: list[str], env: dict[str, str], cwd: str | None) -> int:
        sock = self.ensure()
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as c:
            c.settimeout(60)
            c.connect(sock)
            c.sendall(json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode() + b"\n")
            buf = b""
            while not buf.endswith(b"\n"):
                chunk = c.recv(65536)
                if not chunk:
                    break
                buf += chunk
        reply = json.loads(buf)
        if "error" in reply:
            raise RuntimeError(f"the hwb zygote could not fork a kernel: {reply['error']}")
        return int(reply["pid"])

    def stop(self) -> None:
        if self.owner and self.owner != os.getpid():  # a forked child leaves it to the owner
            return
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(5)
        with contextlib.suppress(OSError):
            Path(self.sock).unlink()
            Path(self.dir).rmdir()


_zygote = _Zygote()


def start_zygote() -> None:
    """Start this process's zygote now (a worker does it while it waits for its first task)."""
    if sys.platform.startswith("linux"):
        _zygote.start()


def adopt() -> None:
    """Wait until this process's zygote is ready, and let processes forked from this one
    (the warm server's children, :mod:`hwb.core.server`) fork their kernels from it."""
    if sys.platform.startswith("linux"):
        _zygote.ensure()
        _zygote.owner = os.getpid()


# --- a kernel forked ahead of its run (the warm server's) -------------------------------------

VOLATILE_ENV = ("PWD", "OLDPWD", "_", "SHLVL", "PYTEST_CURRENT_TEST", "JPY_PARENT_PID")
"""Variables that differ between two shells of one user without changing what a kernel does."""

_ahead: dict[str, Any] | None = None


def _env_key(env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if k not in VOLATILE_ENV}


def prelaunch(env: dict[str, str], cwd: str) -> None:
    """Fork the next run's kernel now, with ``env`` and ``cwd``, so that the run finds it ready.

    Called by the warm server (:mod:`hwb.core.server`) after it hands a request to a child:
    the kernel starts while nothing waits for it.  The kernel is a fresh process like any
    other the zygote forks (it has run nothing); :func:`take_ahead` gives it to one run only,
    and only when the run would have started its kernel with the same environment and folder.
    """
    global _ahead
    if not sys.platform.startswith("linux"):
        return
    from jupyter_client.connect import write_connection_file
    from jupyter_client.kernelspec import KernelSpecManager

    from hwb.core.kernelspec import KERNEL_NAME

    discard_ahead()
    spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    fd, name = tempfile.mkstemp(prefix="hwb-kernel-", suffix=".json")
    os.close(fd)
    name, info = write_connection_file(name, ip="127.0.0.1", key=os.urandom(16).hex().encode(),
                                       kernel_name=KERNEL_NAME)
    argv = [a.replace("{connection_file}", name) for a in spec.argv]
    kenv = {**env, **spec.env}
    pid = _zygote.fork(argv, kenv, cwd)
    _ahead = {"pid": pid, "file": name, "info": dict(info), "env": _env_key(env), "cwd": cwd}


def discard_ahead() -> None:
    """Stop the kernel forked ahead, if any (the server calls this when it exits)."""
    global _ahead
    if _ahead is not None:
        ForkedProcess(_ahead["pid"]).kill()
        with contextlib.suppress(OSError):
            os.unlink(_ahead["file"])
    _ahead = None


def forget_ahead() -> None:
    """In the server, after forking a child: the kernel forked ahead is now the child's."""
    global _ahead
    _ahead = None


class AheadKernel:
    """The part of a kernel manager that nbclient uses, for a kernel forked ahead of its run:
    a client for it, alive while its process is, interrupted by a signal, shut down by
    killing it."""

    has_kernel = True

    def __init__(self, ahead: dict[str, Any]) -> None:
        self.process = ForkedProcess(ahead["pid"])
        self.file = ahead["file"]
        self.info = ahead["info"]
        self.clients: list[Any] = []

    def client(self) -> Any:
        from hwb.core.readyclient import ReadyClient

        kc = ReadyClient()
        kc.load_connection_info(self.info)
        self.clients.append(kc)
        return kc

    def is_alive(self) -> bool:
        return self.process.poll() is None

    def interrupt_kernel(self) -> None:
        self.process.send_signal(signal.SIGINT)

    def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        for kc in self.clients:
            with contextlib.suppress(Exception):
                kc.stop_channels()
        self.process.kill()

    def cleanup_resources(self, restart: bool = False) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self.file)


_taken: list[AheadKernel] = []


def take_ahead() -> dict[str, Any]:
    """``{"km": ...}`` for the kernel forked ahead when it was started with this process's
    environment (the run's: ``HWB_FORK``, ``HWB_PRINTED`` and the rest) and the project
    folder; else ``{}`` (the run starts its own).  Each kernel serves one run; nbclient
    connects to it and waits until it is ready, as for a kernel it started."""
    global _ahead
    ahead, _ahead = _ahead, None
    if ahead is None:
        return {}
    km = AheadKernel(ahead)
    from hwb.sources.data import project_root

    if (ahead["env"] != _env_key(dict(os.environ)) or ahead["cwd"] != str(project_root())
            or not km.is_alive()):
        km.shutdown_kernel()
        km.cleanup_resources()
        return {}
    _taken.append(km)
    return {"km": km}


def release_taken() -> None:
    """Stop the kernels this process took (nbclient leaves a kernel it was given running)."""
    while _taken:
        km = _taken.pop()
        km.shutdown_kernel()
        km.cleanup_resources()


class ForkedProcess:
    """The Popen-like handle of a kernel forked by the zygote (not our child: polled by pid)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def _alive(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        with contextlib.suppress(OSError):
            stat = Path(f"/proc/{self.pid}/stat").read_text()
            if stat.rsplit(")", 1)[1].split()[0] == "Z":
                return False
        return True

    def poll(self) -> int | None:
        if self.returncode is None and not self._alive():
            self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.02)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkProvisioner(LocalProvisioner):  # type: ignore[misc]
    """Launch the kernel by forking from a zygote when ``HWB_FORK=1``; otherwise as usual."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        if os.environ.get(ENV_FLAG) != "1" or not sys.platform.startswith("linux"):
            return await super().launch_kernel(cmd, **kwargs)
        env = {str(k): str(v) for k, v in (kwargs.get("env") or os.environ).items()}
        cwd = kwargs.get("cwd")
        pid = _zygote.fork(list(cmd), env, str(cwd) if cwd else None)
        self.process = ForkedProcess(pid)
        self.pid = pid
        try:
            self.pgid = os.getpgid(pid)
        except OSError:
            self.pgid = None
        self.cwd = cwd or os.getcwd()
        return self.connection_info


if __name__ == "__main__":  # pragma: no cover - the zygote process itself
    serve(sys.argv[1], int(sys.argv[2]))
