"""A kernel client that knows when a kernel is ready without waiting out a silence.

jupyter_client's ``wait_for_ready`` ends with a fixed wait: it reads IOPub until nothing has
come for 0.2 s, so that no message from before the run is mistaken for the run's.  For the
warm server's kernel forked ahead (:class:`hwb.core.zygote.AheadKernel`) that wait was a
sixth of a report's rebuild.  This client waits instead for the kernel's own end of its
``kernel_info`` request on IOPub (the ``idle`` status whose parent is that request): it
proves the IOPub subscription is live, and the kernel publishes nothing after it until it is
asked to execute, so there is nothing left to flush.
"""

from __future__ import annotations

import time
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient

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


class ReadyClient(AsyncKernelClient):  # type: ignore[misc]
    """:class:`AsyncKernelClient` whose ``wait_for_ready`` ends on the kernel's ``idle``."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Ask for ``kernel_info`` until its reply (shell) and its ``idle`` (IOPub) arrive.

        Raises
        ------
        RuntimeError
            When the kernel dies, or has not answered within ``timeout`` seconds.
        """
        deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
        while True:
            msg_id = self.kernel_info()
            reply = await self._reply_to(msg_id, min(1.0, max(deadline - time.monotonic(), 0)))
            if reply is not None and await self._idle_after(msg_id):
                self._handle_kernel_info_reply(reply)
                return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

    async def _reply_to(self, msg_id: str, wait: float) -> dict[str, Any] | None:
        """The shell reply to ``msg_id`` within ``wait`` seconds (older replies are skipped)."""
        end = time.monotonic() + wait
        while True:
            try:
                msg = await self.shell_channel.get_msg(timeout=max(end - time.monotonic(), 0))
            except Empty:
                return None
            if (msg.get("msg_type") == "kernel_info_reply"
                    and msg.get("parent_header", {}).get("msg_id") == msg_id):
                return msg  # type: ignore[no-any-return]

    async def _idle_after(self, msg_id: str) -> bool:
        """Read IOPub up to the ``idle`` that ends ``msg_id``; False if it does not come."""
        while True:
            try:
                msg = await self.iopub_channel.get_msg(timeout=IOPUB_WAIT)
            except Empty:
                return False
            if _is_idle_of(msg, msg_id):
                return True
