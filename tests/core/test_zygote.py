"""Kernels forked from the zygote start clean, carry the preloaded stack, and are reaped."""

from __future__ import annotations

import os

import pytest
from jupyter_client.manager import KernelManager

from hwb.core.zygote import ENV_FLAG

pytestmark = pytest.mark.e2e


def run_code(code: str) -> dict:
    km = KernelManager(kernel_name="hwb")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        reply = kc.execute_interactive(code, timeout=60, user_expressions={"r": "result"})
        value = reply["content"]["user_expressions"]["r"]["data"]["text/plain"]
        pid = km.provisioner.pid
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    return {"value": value, "pid": pid, "process": km.provisioner}


def test_forked_kernels_are_fresh_processes_with_the_stack_preloaded(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(ENV_FLAG, "1")
    first = run_code(
        "leftover = 1\nimport sys\nresult = ('pandas' in sys.modules, 'leftover' in dir())"
    )
    second = run_code(
        "import sys, os\nresult = ('pandas' in sys.modules, 'leftover' in dir(), os.getppid())"
    )
    # pandas was imported by the zygote before the fork, not by this code ...
    assert first["value"].startswith("(True, True")
    # ... and the second kernel is a new process that never saw the first one's names.
    assert second["value"].startswith("(True, False")
    assert first["pid"] != second["pid"]
    # the kernel is the zygote's grandchild, not this process's child
    assert str(os.getpid()) not in second["value"].split(",")[-1]
    # it was reaped after shutdown
    with pytest.raises(ProcessLookupError):
        os.kill(first["pid"], 0)


def test_without_the_flag_the_kernel_is_launched_normally(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(ENV_FLAG, "0")
    r = run_code("import os\nresult = os.getppid()")
    assert r["value"] == str(os.getpid())


def test_a_kernel_exits_when_its_zygote_has_gone() -> None:
    """A forked kernel watches the zygote that forked it: kill the zygote and the kernel
    leaves within a few of its polling intervals (here 0.1 s), instead of living on as an
    orphan in a session of its own.  A stand-in process plays the zygote."""
    import subprocess
    import sys
    import time

    fake_zygote = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    kernel = subprocess.Popen([sys.executable, "-c",
                               "import sys, time; from hwb.core import zygote; "
                               f"zygote._exit_with({fake_zygote.pid}, 0.1); time.sleep(120); "
                               "sys.exit(3)"])
    try:
        time.sleep(1.0)
        assert kernel.poll() is None, "the kernel stays while its zygote lives"
        fake_zygote.kill()
        fake_zygote.wait()
        assert kernel.wait(timeout=30) == 0
    finally:
        for p in (fake_zygote, kernel):
            if p.poll() is None:
                p.kill()
