"""The hwb IPython extension, loaded by the ``hwb`` kernel at start-up.

It makes a notebook behave the same in JupyterLab and under papermill: the
house style for pandas, matplotlib and seaborn, chart/table numbering from 1,
and a fresh figure recorder.  Load it by hand with ``%load_ext hwb.toolkit.ipython_ext``.
"""

from __future__ import annotations

from typing import Any

PANDAS_OPTIONS = {"display.max_columns": 50, "display.width": 120, "display.precision": 4}
"""pandas' display options in an hwb kernel."""


def load_ipython_extension(ip: Any) -> None:
    """Apply the house style and start a fresh recorder."""
    import pandas as pd

    from hwb.sources import data
    from hwb.toolkit import charts, figures

    data.reset_inputs()
    charts.style()
    charts.reset_numbering()
    figures.start(None)
    for k, v in PANDAS_OPTIONS.items():
        pd.set_option(k, v)
    ip.user_ns.setdefault("__hwb_extension__", True)


def unload_ipython_extension(ip: Any) -> None:  # pragma: no cover - nothing to undo
    """Nothing to undo: styles stay as they are."""
