"""Parameters read strictly from YAML before anything runs.

:func:`load_params` reads ``params/<paper>/<area>-<period>.yaml`` with a strict safe loader
(no parameter is ever evaluated as code; a key written twice, anchors and aliases, nesting
deeper than :data:`MAX_DEPTH` and files larger than :data:`MAX_BYTES` are refused; only
regular files are read) and validates it against the paper's model; any problem is one
:class:`~hwb.errors.ParameterError` line naming the file, the key, the value and what was
expected.  :func:`check_board` checks the ``board`` key against the paper's printed figures.

The parameter base class and its meaning checks live in :mod:`hwb.sources.params` (papers
import :class:`BoardParams` from :mod:`hwb.plugin`); the period labels in :mod:`hwb.periods`.
Both are re-exported here for the kernel and for code written before they moved.
"""

from __future__ import annotations

import csv
import os
import stat
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from hwb.errors import ParameterError, ParamProblem
from hwb.periods import PERIOD_FORMATS, period_span
from hwb.sources.params import (
    AREA_ALIASES,
    AREA_CODE,
    NAMES_FILE,
    Ask,
    BoardParams,
    area_names,
    parse_params,
    slugify,
)

__all__ = ["AREA_ALIASES", "AREA_CODE", "MAX_BYTES", "MAX_DEPTH", "NAMES_FILE",
           "PERIOD_FORMATS", "Ask", "BoardParams", "ParamProblem", "area_names",
           "check_board", "load_params", "parse_params", "period_span", "read_yaml", "slugify"]

MAX_BYTES = 256 * 1024
"""Largest parameters file read (the shipped ones are under 3 KiB)."""
MAX_DEPTH = 8
"""Deepest nesting of YAML collections accepted (the shipped files nest 2 deep)."""


@lru_cache(maxsize=16)
def _printed_boards(path: str, mtime: float) -> frozenset[str]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return frozenset(str(r.get("board") or "").strip() for r in csv.DictReader(f)) - {""}


def check_board(params: BoardParams, printed: Path | None) -> None:
    """The ``board`` key must name rows of the paper's printed figures (``printed``).

    A blank board is allowed unless the model sets ``board_required``.

    Raises
    ------
    ParamProblem
        ``board`` is set but has no rows in ``printed`` (or the paper has none).
    """
    board = params.board
    if not board:
        if type(params).board_required:
            raise ParamProblem("board", board, "a board of the paper's printed figures; this "
                               "paper cannot be built without one")
        return
    try:
        boards = (_printed_boards(str(printed), os.stat(printed).st_mtime) if printed
                  else frozenset())
    except OSError:
        boards = frozenset()
    if board not in boards:
        where = f" ({_rel(printed)})" if printed else ""
        listed = ", ".join(sorted(boards)) if boards else "none: leave board blank"
        raise ParamProblem("board", board,
                           f"a board of the paper's printed figures{where}: {listed}")


def _rel(p: Path) -> str:
    from hwb.sources.data import relative_name

    return relative_name(p)


class _StrictLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses duplicate keys, anchors and aliases, and deep nesting."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(None, f"no YAML anchors or aliases (line {event.start_mark.line + 1})")
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise _Refused(None, f"no YAML anchors or aliases (line {event.start_mark.line + 1})")
        nested = self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent)
        if nested:
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise _Refused(None, f"YAML nested at most {MAX_DEPTH} deep "
                                     f"(line {event.start_mark.line + 1})")
        try:
            return super().compose_node(parent, index)
        finally:
            if nested:
                self._depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                first = seen.get(key)
            except TypeError:
                raise _Refused(str(key), "keys to be text") from None
            if first is not None:
                raise _Refused(str(key), f"the key once (it is set on line {first} and again "
                                         f"on line {line})")
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


class _Refused(Exception):
    def __init__(self, key: str | None, expected: str) -> None:
        self.key, self.expected = key, expected


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a fifo"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def read_yaml(path: str | Path, what: str = "parameters file") -> Any:
    """Read a YAML file strictly; any problem is one :class:`ParameterError` naming it.

    Only a regular file of at most :data:`MAX_BYTES` is read, as UTF-8 (a byte-order mark
    is dropped); duplicate keys, anchors and aliases, nesting deeper than
    :data:`MAX_DEPTH` and tags that would build objects are refused.
    """
    path = Path(path)
    name = _display(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ParameterError(name, None, None, f"an existing {what}") from None
    except OSError as e:
        raise ParameterError(name, None, None, f"a readable {what} ({e.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        kind = next((k for test, k in _KINDS if test(st.st_mode)), "not a regular file")
        raise ParameterError(name, None, None, f"a regular {what}, not {kind}")
    if st.st_size > MAX_BYTES:
        raise ParameterError(name, None, None, f"a {what} of at most {MAX_BYTES // 1024} KiB "
                                               f"(it has {st.st_size} bytes)")
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ParameterError(name, None, None, f"a readable {what} ({e.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ParameterError(name, None, None, f"UTF-8 text (byte {e.start})") from None
    if "\x00" in text:
        raise ParameterError(name, None, None, "UTF-8 text (it contains a NUL byte)")
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except _Refused as e:
        raise ParameterError(name, e.key, None, e.expected) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(e, "problem", None) or "malformed YAML"
        raise ParameterError(name, None, None, f"valid YAML{where}: {problem}") from None
    except RecursionError:
        raise ParameterError(name, None, None, f"YAML nested at most {MAX_DEPTH} deep") from None
    except (ValueError, OverflowError) as e:  # e.g. an integer of more than 4300 digits
        raise ParameterError(name, None, None,
                             f"valid YAML: a value cannot be read ({str(e)[:60]})") from None


def _display(path: Path) -> str:
    """The path as given (symlinks not followed), relative to the project where inside it."""
    try:
        from hwb.sources.data import project_root

        return path.absolute().relative_to(project_root()).as_posix()
    except Exception:  # noqa: BLE001 - a name for a message must never fail
        return str(path)


def load_params(path: str | Path, model: type[BoardParams]) -> BoardParams:
    """Read and validate a parameters YAML file.

    Raises
    ------
    ParameterError
        Not a regular file, too large, unreadable or malformed YAML, a key set twice,
        unknown, missing or ill-typed keys, or a value that contradicts its meaning.
    """
    path = Path(path)
    data = read_yaml(path)
    return parse_params(data, model, _display(path))
