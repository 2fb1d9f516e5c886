"""The ``hwb`` Jupyter kernel: ipykernel on this environment's Python with the hwb extension.

``install()`` writes the kernelspec into the environment (``sys.prefix``), so
JupyterLab and papermill both find it; ``check()`` is called by the runner
before every batch and fails clearly when the kernel would run another Python.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from hwb.errors import HwbError

KERNEL_NAME = "hwb"
DISPLAY_NAME = f"hwb (Python {sys.version_info.major}.{sys.version_info.minor})"


class KernelError(HwbError):
    """The hwb kernel is missing or runs a Python other than this environment's."""

    exit_code = 1


def spec() -> dict:
    """The kernel.json content for this environment."""
    return {
        "argv": [
            sys.executable,
            "-m",
            "ipykernel_launcher",
            "-f",
            "{connection_file}",
            "--ext=hwb.toolkit.ipython_ext",
            # no input history in IPython's sqlite file: the notebook is the record, and a
            # national batch wrote every board's cells to it (6 MB in half an hour)
            "--HistoryManager.enabled=False",
            "--log-level=CRITICAL",
        ],
        "display_name": DISPLAY_NAME,
        "language": "python",
        "env": {
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        },
        "metadata": {"debugger": True, "hwb": {"prefix": sys.prefix},
                     "kernel_provisioner": {"provisioner_name": "hwb-fork"}},
    }


def kernel_dir(prefix: str | None = None) -> Path:
    """Where the kernelspec lives in the environment."""
    return Path(prefix or sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME


def install(prefix: str | None = None) -> Path:
    """Install (or refresh) the ``hwb`` kernelspec into the environment; return its folder."""
    d = kernel_dir(prefix)
    d.mkdir(parents=True, exist_ok=True)
    tmp = d / "kernel.json.tmp"
    tmp.write_text(json.dumps(spec(), indent=1) + "\n")
    os.replace(tmp, d / "kernel.json")
    return d


def check() -> dict:
    """Return the installed kernelspec, or raise :class:`KernelError` naming the problem."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        ks = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        raise KernelError(
            f"the Jupyter kernel '{KERNEL_NAME}' is not installed; "
            "run 'hwb kernel install' (make does this when it builds .venv)"
        ) from None
    exe = ks.argv[0] if ks.argv else ""
    try:
        same = (
            Path(exe).resolve() == Path(sys.executable).resolve()
            or Path(exe).absolute() == Path(sys.executable).absolute()
        )
    except OSError:
        same = False
    if not same:
        raise KernelError(
            f"the Jupyter kernel '{KERNEL_NAME}' ({ks.resource_dir}) runs {exe}, "
            f"not this environment's Python {sys.executable}; "
            "run 'hwb kernel install' to point it here"
        )
    if "--ext=hwb.toolkit.ipython_ext" not in ks.argv:
        raise KernelError(
            f"the Jupyter kernel '{KERNEL_NAME}' does not load the hwb extension; "
            "run 'hwb kernel install'"
        )
    if ks.argv[1:] != spec()["argv"][1:]:
        raise KernelError(
            f"the Jupyter kernel '{KERNEL_NAME}' ({ks.resource_dir}) was installed by another "
            "version of hwb (its command line differs); run 'hwb kernel install'"
        )
    return {"name": KERNEL_NAME, "argv0": exe, "resource_dir": ks.resource_dir}
