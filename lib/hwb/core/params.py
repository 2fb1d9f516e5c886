"""Typed, frozen parameters, parsed from YAML before anything runs.

A paper's parameter model subclasses :class:`BoardParams`.  :func:`load_params`
reads ``params/<paper>/<area>-<period>.yaml`` with a strict safe loader (no
parameter is ever evaluated as code; a key written twice, anchors and aliases,
nesting deeper than :data:`MAX_DEPTH` and files larger than :data:`MAX_BYTES`
are refused; only regular files are read) and validates it; any problem is one
:class:`~hwb.errors.ParameterError` line naming the file, the key, the value and
what was expected.

Every model checks its parameters against their meaning, not only their type:
the ``period`` label is a period (:func:`period_span`) consistent with the months
the parameters report (:attr:`BoardParams.period_fields`), and ``area_name`` is
the ONS name of ``area_code`` or a declared alias (:data:`AREA_ALIASES`).
:func:`check_board` checks the ``board`` key against the paper's printed figures.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from hwb.errors import ParameterError, ParamProblem

__all__ = ["AREA_ALIASES", "MAX_BYTES", "MAX_DEPTH", "BoardParams", "ParamProblem",
           "check_board", "load_params", "parse_params", "period_span", "slugify"]

MAX_BYTES = 256 * 1024
"""Largest parameters file read (the shipped ones are under 3 KiB)."""
MAX_DEPTH = 8
"""Deepest nesting of YAML collections accepted (the shipped files nest 2 deep)."""
AREA_ALIASES: dict[str, frozenset[str]] = {
    "E92000001": frozenset({"England"}),  # a country, not in the local-authority lookup
    "E06000033": frozenset({"Southend"}),  # NHS England's DTOC series names Southend-on-Sea so
}
"""Names accepted for an area code besides its ONS name.

Besides these, names compare ignoring case, punctuation, ``&``/``and`` and the words
"the", "of", "city" and "county" (``Bristol, City of`` is ``Bristol``)."""
NAMES_FILE = "data/population/mye2019_utla19_persons_single_year_of_age_EW.csv"
"""The ONS upper-tier local authority codes and names (mid-2019, see its SOURCE.md)."""

AREA_CODE = re.compile(r"^(E(06|08|09|10)\d{6}|E92000001)$")
Ask = Literal["note", "receive", "approve", "discuss", "agree"]


class BoardParams(BaseModel):
    """Parameters every board appendix has: which board, meeting, paper and area.

    Papers add their own fields in a subclass; the notebook's ``parameters``
    cell must declare every field (the runner checks).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    area_code: str
    """ONS code of the Health and Wellbeing Board's upper-tier local authority (E06/E08/E09/E10)."""
    area_name: str
    """The area as the board names it."""
    period: str
    """The period the appendix reports (e.g. ``2017-11`` or ``2017-19``)."""
    board: str = ""
    """Key of the printed paper's rows in ``data/<paper>/printed_figures.csv``; blank when none."""
    board_name: str
    meeting_date: dt.date | None = None
    agenda_item: str = ""
    paper_title: str
    ask: Ask = "note"
    """What the board is asked to do."""

    @field_validator("area_code")
    @classmethod
    def _ons_code(cls, v: str) -> str:
        if not AREA_CODE.match(v):
            raise ValueError("an ONS code of an English upper-tier local authority or England "
                             "(E06, E08, E09 or E10 and six digits, or E92000001)")
        return v

    period_fields: ClassVar[tuple[str, ...]] = ()
    """Fields holding the period the parameters report; ``period`` must agree with them.

    Empty (the default): the first of ``month``, ``plan_years``, ``evaluation_years`` and
    ``audit_period`` the model has.  A single reported month must be the label itself; a
    longer period must span the label's months exactly (a calendar-year label, such as
    ``2019`` for the financial year 2019/20, need only overlap them).
    """
    board_required: ClassVar[bool] = False
    """True when the paper cannot be built without a board's printed figures."""

    @model_validator(mode="after")
    def _meaning(self) -> BoardParams:
        _check_text(self)
        _check_files(self)
        _check_period(self)
        _check_area_name(self)
        return self

    @property
    def slug(self) -> str:
        """``<area>/<period>`` as used under ``outputs/<paper>/``."""
        return f"{slugify(self.area_name)}/{slugify(self.period)}"

    def to_notebook(self) -> dict[str, Any]:
        """Parameters as papermill injects them: plain JSON types (dates as ISO text)."""
        return json.loads(self.model_dump_json())

    def digest(self) -> str:
        """SHA-256 of the canonical JSON of the parameters."""
        return hashlib.sha256(json.dumps(self.to_notebook(), sort_keys=True).encode()).hexdigest()


# --- meaning: periods, area names, boards ---------------------------------------------------

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_FY_RE = re.compile(r"^(\d{4})/(\d{2})$")
_QUARTER_RE = re.compile(r"^(\d{4})/(\d{2}) Q([1-4])$")
_YEAR_RE = re.compile(r"^(\d{4})$")
_FY_SPAN_RE = re.compile(r"^(\d{4})/(\d{2})-(\d{4})/(\d{2})$")
PERIOD_FORMATS = ("a month YYYY-MM (2017-11), a year YYYY (2019), a financial year YYYY/YY or "
                  "YYYY-YY (2015/16, 2015-16), a run of years YYYY-YY (2017-19) or "
                  "YYYY/YY-YYYY/YY (2012/13-2015/16), or a quarter YYYY/YY Qn")


def _fy_end(y: int, yy: int) -> int | None:
    """The calendar year ending a run of financial years from ``y`` written ``yy``, or None."""
    end = y // 100 * 100 + yy
    if end <= y:
        end += 100
    return end if 1 <= end - y <= 10 else None


def period_span(label: str) -> list[tuple[int, int]]:
    """Every reading of a period label as (first month, last month), months counted from year 0.

    Empty when ``label`` is not a period.  ``2011-12`` has two readings (December 2011
    and the financial year 2011/12).

    Examples
    --------
    >>> def ym(m): return f"{m // 12}-{m % 12 + 1:02d}"
    >>> [(ym(a), ym(b)) for a, b in period_span("2017-19")]
    [('2017-04', '2019-03')]
    >>> [(ym(a), ym(b)) for a, b in period_span("2011-12")]
    [('2011-12', '2011-12'), ('2011-04', '2012-03')]
    >>> [(ym(a), ym(b)) for a, b in period_span("2017/18 Q2")]
    [('2017-07', '2017-09')]
    >>> period_span("not-valid"), period_span("2017-13"), period_span("2017/19")
    ([], [], [])
    """
    label = str(label)
    out: list[tuple[int, int]] = []
    if m := _MONTH_RE.fullmatch(label):
        y, mm = int(m[1]), int(m[2])
        if 1 <= mm <= 12:
            out.append((y * 12 + mm - 1, y * 12 + mm - 1))
        end = _fy_end(y, mm)
        if end is not None:
            out.append((y * 12 + 3, end * 12 + 2))
    elif m := _FY_RE.fullmatch(label):
        y = int(m[1])
        if (y + 1) % 100 == int(m[2]):
            out.append((y * 12 + 3, y * 12 + 14))
    elif m := _QUARTER_RE.fullmatch(label):
        y, q = int(m[1]), int(m[3])
        if (y + 1) % 100 == int(m[2]):
            out.append((y * 12 + 3 * q, y * 12 + 3 * q + 2))
    elif m := _YEAR_RE.fullmatch(label):
        y = int(m[1])
        out.append((y * 12, y * 12 + 11))
    elif m := _FY_SPAN_RE.fullmatch(label):
        y1, y2 = int(m[1]), int(m[3])
        if (y1 + 1) % 100 == int(m[2]) and (y2 + 1) % 100 == int(m[4]) and 0 <= y2 - y1 <= 10:
            out.append((y1 * 12 + 3, y2 * 12 + 14))
    return [(a, b) for a, b in out if 1990 * 12 <= a and b < 2100 * 12]


def _check_period(p: BoardParams) -> None:
    label = p.period
    spans = period_span(label)
    if not spans:
        raise ValueError(f"period: {label!r}: expected {PERIOD_FORMATS}")
    fields = p.period_fields or tuple(
        f for f in ("month", "plan_years", "evaluation_years", "audit_period")
        if f in type(p).model_fields)[:1]
    for key in fields:
        value = getattr(p, key, None)
        values = [value] if isinstance(value, str) else list(value or [])
        reported = [period_span(str(v)) for v in values if str(v)]
        if not reported or not all(reported):
            continue  # the field's own validator reports a malformed value
        first = min(r[0][0] for r in reported)
        last = max(r[-1][1] for r in reported)
        shown = str(values[0]) if len(values) == 1 else f"{values[0]} to {values[-1]}"
        if first == last:
            if label != shown:
                raise ValueError(f"period: {label!r}: expected the month reported, "
                                 f"{shown!r} (key {key!r})")
        elif (first, last) not in spans and not (
                _YEAR_RE.fullmatch(label) and spans[0][0] <= last and first <= spans[0][1]):
            raise ValueError(f"period: {label!r}: expected a label for the period reported, "
                             f"{shown} (key {key!r})")


_BAD_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def _texts(p: BoardParams) -> Iterator[tuple[str, str]]:
    for key in type(p).model_fields:
        v = getattr(p, key)
        for item in (v if isinstance(v, list | tuple) else [v]):
            if isinstance(item, str):
                yield key, item


def _check_text(p: BoardParams) -> None:
    """No parameter text holds control, line-separator or bidirectional-override characters."""
    for key, text in _texts(p):
        if m := _BAD_CHARS.search(text):
            raise ValueError(f"{key}: {text!r}: expected text without control characters "
                             f"(U+{ord(m[0]):04X} at character {m.start() + 1})")


def _check_files(p: BoardParams) -> None:
    """A ``*_file`` parameter is blank or names an existing regular file under ``data/``."""
    from hwb.sources.data import project_root

    for key in type(p).model_fields:
        v = getattr(p, key)
        if not key.endswith("_file") or not isinstance(v, str) or not v:
            continue
        rel = Path(v)
        if rel.is_absolute() or ".." in rel.parts or "\\" in v or ":" in v:
            raise ValueError(f"{key}: {v!r}: expected blank or a file under data/, written "
                             "relative to it without '..' (e.g. equity/rotherham_services.csv)")
        try:
            found = len(v) <= 255 and (project_root() / "data" / rel).is_file()
        except OSError:  # a name too long for the file system, say
            found = False
        if not found:
            raise ValueError(f"{key}: {v!r}: expected an existing file under data/ "
                             f"(data/{rel.as_posix()} is not a regular file)")


@lru_cache(maxsize=1)
def area_names() -> dict[str, str]:
    """ONS code -> name of every upper-tier local authority (empty when the file is absent)."""
    from hwb.sources.data import project_root

    try:
        with open(project_root() / NAMES_FILE, encoding="utf-8-sig", newline="") as f:
            return {r["utla19_code"]: r["utla19_name"] for r in csv.DictReader(f)}
    except (OSError, KeyError, ValueError):
        return {}


def _same_name(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        words = re.sub(r"[^a-z0-9]+", " ", s.lower().replace("&", " and ")).split()
        return " ".join(sorted(w for w in words if w not in {"the", "of", "city", "county"}))

    return norm(a) == norm(b)


def _check_area_name(p: BoardParams) -> None:
    names = area_names()
    ons = names.get(p.area_code)
    allowed = ([ons] if ons else []) + sorted(AREA_ALIASES.get(p.area_code, ()))
    if not allowed:
        return  # an unknown code: the paper's data check names it
    if not any(_same_name(p.area_name, n) for n in allowed):
        raise ValueError(f"area_name: {p.area_name!r}: expected the name of {p.area_code}, "
                         + " or ".join(repr(n) for n in allowed) + f" ({NAMES_FILE})")


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


def slugify(text: str) -> str:
    """Lower-case, ASCII, dashes: ``"Rotherham 2017/18"`` -> ``"rotherham-2017-18"``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _expected(err: dict[str, Any], model: type[BaseModel]) -> str:
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "one of the declared keys: " + ", ".join(model.model_fields)
    if kind == "missing":
        return "this key to be set (required)"
    if kind.startswith("literal_error"):
        return str(err.get("ctx", {}).get("expected", "one of the allowed values"))
    msg = str(err.get("msg", "a valid value"))
    msg = re.sub(r"^(Input should be|Value error, )\s*", "", msg)
    return msg


def parse_params(data: Any, model: type[BoardParams], file: str) -> BoardParams:
    """Validate a mapping against ``model``; errors name ``file``."""
    if not isinstance(data, dict):
        raise ParameterError(
            file, None, data if data is not None else "empty file", "a YAML mapping of key: value"
        )
    for k in data:
        if not isinstance(k, str):
            raise ParameterError(file, str(k), k, "keys to be text")
    try:
        return model.model_validate(data)
    except ValidationError as e:
        err = e.errors(include_url=False)[0]
        loc = ".".join(str(x) for x in err.get("loc", ())) or None
        value = err.get("input") if err.get("type") != "missing" else None
        expected = _expected(err, model)
        if loc is None and (m := re.match(r"^(\w+): (.*?): expected (.*)$", expected, re.S)):
            loc, value, expected = m[1], data.get(m[1]), m[3]  # a model validator's key
        raise ParameterError(file, loc, value, expected) from None


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
