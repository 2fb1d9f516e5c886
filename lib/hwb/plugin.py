"""What a paper plugin imports: the public facade of hwb for paper authors.

A third-party paper needs only this module::

    from hwb.plugin import BoardParams, Paper, setup, figures, checks, charts, stats

It re-exports the plugin declaration (:class:`Paper`), the parameter base class, the
notebook start-up (:func:`setup`), the recorder and checks, the house charts, disclosure
control, the statistics and the data reader — and nothing of the kernel.
"""

from __future__ import annotations

from hwb import stats
from hwb.errors import DataError, HwbError, ParameterError
from hwb.protocol import BUILTIN_ROOT, Paper, Status, citation
from hwb.sources.data import Column, Schema, read_csv
from hwb.toolkit import charts, checks, disclosure, figures
from hwb.toolkit.figures import Recorder, load_printed
from hwb.toolkit.notebook import setup

__all__ = [
    "BUILTIN_ROOT",
    "Column",
    "DataError",
    "HwbError",
    "Paper",
    "ParameterError",
    "Recorder",
    "Schema",
    "Status",
    "charts",
    "checks",
    "citation",
    "disclosure",
    "figures",
    "load_printed",
    "read_csv",
    "setup",
    "stats",
]
