"""Kernel clients that know when a kernel is ready without waiting out a silence.

jupyter_client's ``wait_for_ready`` ends with a fixed wait: it reads IOPub until nothing has
come for 0.2 s, so that no message from before the run is mistaken for the run's.  nbclient
calls it once per notebook, and that wait was a sixth of the warm server's rebuild of a DTOC
appendix and a seventh of each board's run in a national batch (a new client per board on
the worker's kept kernel).  These clients wait instead for the kernel's own end of their
``kernel_info`` request on IOPub (the ``idle`` status whose parent is that request): it
proves the IOPub subscription is live, and everything the kernel published before it has
been read past, so there is nothing left to flush.

* :class:`ReadyClient`: asynchronous, for the kernel the warm server forks ahead
  (:class:`hwb.core.zygote.AheadKernel`);
* :class:`BlockingReadyClient`: the kernel managers' client (``client_class``) for the
  batch workers' kept kernels (:class:`hwb.core.batch.ReusedKernel`) and for a run's own
  kernel (:class:`ReadyKernelManager`, which papermill is given by :mod:`hwb.core.runner`).
"""

from __future__ import annotations

import time
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.utils import run_sync
from jupyter_core.utils import ensure_async
from traitlets import DottedObjectName, Type

IOPUB_WAIT = 0.2
"""Seconds to wait for the request's ``idle`` on IOPub before asking again (a subscription
that has just connected can miss the first messages)."""


def _is_idle_of(msg: dict[str, Any], msg_id: str) -> bool:
    """Whether ``msg`` is the kernel's ``idle`` status at the end of request ``msg_id``.

    Examples
    --------
    >>> _is_idle_of({"msg_type": "status", "parent_header": {"msg_id": "a"},
    ...              "content": {"execution_state": "idle"}}, "a")
    True
    >>> _is_idle_of({"msg_type": "status", "parent_header": {"msg_id": "a"},
    ...              "content": {"execution_state": "busy"}}, "a")
    False
    """
    return (msg.get("msg_type") == "status"
            and msg.get("parent_header", {}).get("msg_id") == msg_id
            and msg.get("content", {}).get("execution_state") == "idle")


async def wait_until_ready(kc: Any, timeout: float | None = None) -> None:
    """Ask ``kc``'s kernel for ``kernel_info`` until its reply (shell) and its ``idle``
    (IOPub) arrive; for any jupyter_client kernel client, blocking or asynchronous.

    Raises
    ------
    RuntimeError
        When the kernel dies, or has not answered within ``timeout`` seconds.
    """
    deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
    while True:
        msg_id = kc.kernel_info()
        reply = await _reply_to(kc, msg_id, min(1.0, max(deadline - time.monotonic(), 0)))
        if reply is not None and await _idle_after(kc, msg_id):
            kc._handle_kernel_info_reply(reply)
            return
        if not await ensure_async(kc._async_is_alive()):
            raise RuntimeError("Kernel died before replying to kernel_info")
        if time.monotonic() > deadline:
            raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")


async def _reply_to(kc: Any, msg_id: str, wait: float) -> dict[str, Any] | None:
    """The shell reply to ``msg_id`` within ``wait`` seconds (older replies are skipped)."""
    end = time.monotonic() + wait
    while True:
        try:
            msg = await ensure_async(kc.shell_channel.get_msg(
                timeout=max(end - time.monotonic(), 0)))
        except Empty:
            return None
        if (msg.get("msg_type") == "kernel_info_reply"
                and msg.get("parent_header", {}).get("msg_id") == msg_id):
            return msg  # type: ignore[no-any-return]


async def _idle_after(kc: Any, msg_id: str) -> bool:
    """Read IOPub up to the ``idle`` that ends ``msg_id``; False if it does not come."""
    while True:
        try:
            msg = await ensure_async(kc.iopub_channel.get_msg(timeout=IOPUB_WAIT))
        except Empty:
            return False
        if _is_idle_of(msg, msg_id):
            return True


class ReadyClient(AsyncKernelClient):  # type: ignore[misc]
    """:class:`AsyncKernelClient` whose ``wait_for_ready`` ends on the kernel's ``idle``."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """See :func:`wait_until_ready`."""
        await wait_until_ready(self, timeout)


class BlockingReadyClient(BlockingKernelClient):  # type: ignore[misc]
    """:class:`BlockingKernelClient` whose ``wait_for_ready`` ends on the kernel's ``idle``."""

    wait_for_ready = run_sync(wait_until_ready)


class ReadyKernelManager(AsyncKernelManager):  # type: ignore[misc]
    """The kernel manager nbclient makes for a run that starts its own kernel, giving it a
    :class:`ReadyClient` (the kernel spec's provisioner, the zygote's fork, is unchanged)."""

    client_class = DottedObjectName("hwb.core.readyclient.ReadyClient")
    client_factory = Type(ReadyClient, klass=AsyncKernelClient)
