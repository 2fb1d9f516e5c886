"""What a paper plugin imports: the public facade of hwb for paper authors.

A third-party paper needs only this module::

    from hwb.plugin import BoardParams, Paper, setup, figures, checks, charts, stats

It re-exports the plugin declaration (:class:`Paper`), the parameter base class (with
:func:`parse_params`, :class:`ParamProblem` and :func:`slugify`), the notebook start-up
(:func:`setup`), the recorder and checks, the house charts, disclosure control, the
statistics and the data reader — and nothing of the kernel.
"""

from __future__ import annotations

from hwb import stats
from hwb.errors import DataError, HwbError, ParameterError, ParamProblem
from hwb.protocol import BUILTIN_ROOT, Paper, Status, citation
from hwb.sources.data import Column, Schema, read_csv
from hwb.sources.params import BoardParams, parse_params, slugify
from hwb.toolkit import charts, checks, disclosure, figures
from hwb.toolkit.figures import Recorder, load_printed
from hwb.toolkit.notebook import setup

__all__ = [
    "BUILTIN_ROOT",
    "BoardParams",
    "Column",
    "DataError",
    "HwbError",
    "Paper",
    "ParamProblem",
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
    "parse_params",
    "read_csv",
    "setup",
    "slugify",
    "stats",
]
