"""Errors that carry what a user needs to fix the problem.

Every error a user can cause is a :class:`HwbError` whose ``str()`` is one line
naming the file, key or row and what was expected.  The command line prints that
line and exits with :attr:`HwbError.exit_code` (2 for bad input, 1 for a failed
run); anything else is a bug and may show a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class HwbError(Exception):
    """Base class of every error hwb reports to a user in one line."""

    exit_code: int = 2

    def __str__(self) -> str:  # one line, always
        return " ".join(super().__str__().split())


MAX_LINE = 200
"""Longest data-error line: a rule or file name that would make it longer is shortened."""


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _fit(head: str, rule: str, tail: str, limit: int = MAX_LINE) -> str:
    """``head: rule tail`` in at most ``limit`` characters, shortening the rule, then the head.

    Examples
    --------
    >>> _fit("data/x.csv", "missing column(s) " + ", ".join(f"c{i}" for i in range(99)), "", 60)
    'data/x.csv: missing column(s) c0, c1, c2, c3, c4, c5, c6, c…'
    """
    text = f"{head}: {rule}{tail}"
    if len(text) <= limit:
        return text
    if len(head) > limit // 2:  # a long file name keeps its end: the folder and file
        head = "…" + head[-(limit // 2 - 1):]
    room = max(limit - len(head) - len(tail) - 2, 10)
    if len(rule) > room:
        rule = rule[: room - 1].rstrip() + "…"
    return f"{head}: {rule}{tail}"[:limit]


@dataclass
class ParameterError(HwbError):
    """A parameter file is malformed, or a key is unknown, missing or of the wrong type."""

    file: str
    key: str | None
    value: Any = None
    expected: str = ""

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}: " if self.file else ""
        key = f"key '{self.key}'" if self.key else "file"
        got = f" = {_show(self.value)}" if self.value is not None else ""
        return " ".join(f"{where}{key}{got}: expected {self.expected}".split())


@dataclass
class DataError(HwbError):
    """An input table breaks its schema: names file, row, column and the rule."""

    file: str
    rule: str
    row: int | None = None
    column: str | None = None
    value: Any = None

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        got = f" (got {_show(self.value)})" if self.value is not None else ""
        head = " ".join(", ".join(parts).split())
        tail = " " + " ".join(got.split()) if got else ""
        return _fit(head, " ".join(str(self.rule).split()), tail)


@dataclass
class RunError(HwbError):
    """A notebook run failed: names paper, params file, cell and exception."""

    paper: str
    params_file: str
    cell: int | None = None
    exception: str = ""
    detail: str = ""
    exit_code: int = 1

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        cell = f" at cell {self.cell}" if self.cell is not None else ""
        detail = f": {self.detail}" if self.detail else ""
        text = f"{self.paper} {self.params_file}: run failed{cell} with {self.exception}{detail}"
        return " ".join(text.split())


class PaperNotFound(HwbError):
    """An unknown paper name; the message lists the installed ones."""


class ParamProblem(HwbError):
    """A parameter that is well-formed but wrong for the data (raised by ``Paper.check``).

    The runner turns it into a :class:`ParameterError` naming the file; on its own its text is
    ``<key>: expected <what>``.

    Examples
    --------
    >>> str(ParamProblem("area_code", "E99999999", "an area of the series"))
    'area_code: expected an area of the series'
    """

    def __init__(self, key: str, value: Any, expected: str) -> None:
        super().__init__(f"{key}: expected {expected}")
        self.key, self.value, self.expected = key, value, expected
