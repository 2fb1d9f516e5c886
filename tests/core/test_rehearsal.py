"""The zygote's dress rehearsal and the warm server's kernel client.

:func:`hwb.toolkit.notebook.rehearse` runs a paper's notebook in the process kernels are forked
from; it must leave nothing a run can see (the server test compares whole appendices built
with and without it).  :class:`hwb.core.readyclient.ReadyClient` must find a kernel ready, and
leave no message from before on its channels, without jupyter_client's fixed 0.2 s wait.
"""

from __future__ import annotations

import asyncio

import matplotlib
import pandas as pd
import pytest

from hwb.papers import dtoc
from hwb.toolkit import charts, figures, notebook


def test_rehearsal_leaves_settings_numbering_and_figures_as_they_were() -> None:
    before = dict(matplotlib.rcParams)
    width = pd.get_option("display.width")
    charts.reset_numbering()
    dtoc.rehearse()
    assert dict(matplotlib.rcParams) == before
    assert pd.get_option("display.width") == width
    assert charts._counter == {"chart": 0, "table": 0}
    assert figures._PENDING == []


def test_rehearsal_runs_the_notebook_for_real() -> None:
    """It executes every code cell: a typo in a parameter file's name or a cell that fails
    is an error here, where the zygote would only lose speed."""
    with pytest.raises(FileNotFoundError):
        notebook.rehearse(dtoc.PAPER, "no-such-board.yaml")
    notebook.rehearse(dtoc.PAPER, "rotherham-2017-09.yaml")


@pytest.mark.e2e
def test_ready_client_finds_a_started_kernel_ready_with_no_stale_messages() -> None:
    """Against a real ``hwb`` kernel: after ``wait_for_ready`` the first IOPub message is the
    ``busy`` of the next request, and executing ``6 * 7`` gives 42."""
    from queue import Empty

    from jupyter_client.manager import KernelManager

    from hwb.core.kernelspec import KERNEL_NAME
    from hwb.core.readyclient import ReadyClient

    km = KernelManager(kernel_name=KERNEL_NAME)
    km.start_kernel()
    try:
        async def go() -> tuple[dict, list[dict]]:
            kc = ReadyClient()
            kc.load_connection_info(km.get_connection_info())
            kc.start_channels()
            try:
                await kc.wait_for_ready(timeout=60)
                msg_id = kc.execute("6 * 7")
                seen = []
                while True:
                    try:
                        m = await kc.iopub_channel.get_msg(timeout=30)
                    except Empty:
                        break
                    seen.append(m)
                    if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                        break
                return {"id": msg_id}, seen
            finally:
                kc.stop_channels()

        req, seen = asyncio.run(go())
        assert seen[0]["msg_type"] == "status" and seen[0]["content"]["execution_state"] == "busy"
        assert all(m["parent_header"]["msg_id"] == req["id"] for m in seen)
        result = [m for m in seen if m["msg_type"] == "execute_result"]
        assert result and result[0]["content"]["data"]["text/plain"] == "42"
    finally:
        km.shutdown_kernel(now=True)


@pytest.mark.e2e
def test_blocking_ready_client_on_a_kept_kernel_run_after_run() -> None:
    """The batch workers' kernel manager gives :class:`BlockingReadyClient` clients: a new
    one per run finds the kept kernel ready, and its first reply is to its own request."""
    from jupyter_client.manager import KernelManager

    from hwb.core.kernelspec import KERNEL_NAME
    from hwb.core.readyclient import BlockingReadyClient, ReadyClient, ReadyKernelManager

    assert ReadyKernelManager().client_factory is ReadyClient
    km = KernelManager(kernel_name=KERNEL_NAME,
                       client_class="hwb.core.readyclient.BlockingReadyClient")
    km.start_kernel()
    try:
        for n in (6, 7):  # two runs, a new client each, as a worker's boards
            kc = km.client()
            assert isinstance(kc, BlockingReadyClient)
            kc.start_channels()
            try:
                kc.wait_for_ready(timeout=60)
                out: list[str] = []

                def hook(m: dict, out: list[str] = out) -> None:
                    if m["msg_type"] == "execute_result":
                        out.append(m["content"]["data"]["text/plain"])

                reply = kc.execute_interactive(f"{n} * 7", timeout=30, output_hook=hook)
                assert reply["content"]["status"] == "ok" and out == [str(n * 7)]
            finally:
                kc.stop_channels()
    finally:
        km.shutdown_kernel(now=True)
