"""The parameters every board appendix has, and their meaning checked against the shipped data.

A paper's parameter model subclasses :class:`BoardParams` (papers import it from
:mod:`hwb.plugin`).  Every model checks its parameters against their meaning, not only their
type: no text holds control characters; a ``*_file`` parameter names a file under ``data/``;
the ``period`` label is a period (:func:`hwb.periods.period_span`) consistent with the months
the parameters report (:attr:`BoardParams.period_fields`); and ``area_name`` is the ONS name
of ``area_code`` or a declared alias (:data:`AREA_ALIASES`), read from the shipped ONS file
(:data:`NAMES_FILE`).

Reading a parameters file strictly and naming a problem in one line is the kernel's job
(:mod:`hwb.core.params`, which re-exports these names).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from hwb import periods
from hwb.errors import ParameterError
from hwb.sources.data import project_root

__all__ = ["AREA_ALIASES", "AREA_CODE", "NAMES_FILE", "Ask", "BoardParams", "SummaryParams",
           "area_names", "parse_params", "slugify"]

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


class SummaryParams(BoardParams):
    """Parameters of a national summary appendix: England, and links to the boards' own
    appendices (a national run sets both link fields; see ``hwb national``)."""

    appendix_links: str = ""
    """Relative path from the summary's folder to the folder holding the boards' appendices
    (``<area-slug>/<period-slug>/appendix.html`` below it); each summary paper sets its
    default (``../../<paper>``, the board appendices ``hwb reports`` builds)."""
    linked: list[str] | None = None
    """Area codes whose appendix exists (a national run lists them); ``None`` links every
    area with data."""

    @field_validator("area_code")
    @classmethod
    def _is_england(cls, v: str) -> str:
        if v != ENGLAND:
            raise ValueError(f"{ENGLAND} (England): the summary covers every board")
        return v


ENGLAND = "E92000001"
"""England's area code: the area of every national summary."""


# --- meaning: text, files, periods, area names ---------------------------------------

def _check_period(p: BoardParams) -> None:
    """``period`` is a period label that spans the months the parameters report."""
    label = p.period
    spans = periods.period_span(label)
    if not spans:
        raise ValueError(f"period: {label!r}: expected {periods.PERIOD_FORMATS}")
    fields = p.period_fields or tuple(
        f for f in ("month", "plan_years", "evaluation_years", "audit_period")
        if f in type(p).model_fields)[:1]
    for key in fields:
        value = getattr(p, key, None)
        values = [value] if isinstance(value, str) else list(value or [])
        reported = [periods.period_span(str(v)) for v in values if str(v)]
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
                periods.CALENDAR_YEAR_RE.fullmatch(label)
                and spans[0][0] <= last and first <= spans[0][1]):
            raise ValueError(f"period: {label!r}: expected a label for the period reported, "
                             f"{shown} (key {key!r})")


_BAD_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def _texts(p: BoardParams) -> Iterator[tuple[str, str]]:
    """Every text value of the parameters (list items too), with its key."""
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
    try:
        with open(project_root() / NAMES_FILE, encoding="utf-8-sig", newline="") as f:
            return {r["utla19_code"]: r["utla19_name"] for r in csv.DictReader(f)}
    except (OSError, KeyError, ValueError):
        return {}


def _same_name(a: str, b: str) -> bool:
    """Two area names agree ignoring case, punctuation, ``&``/``and`` and filler words."""
    def norm(s: str) -> str:
        words = re.sub(r"[^a-z0-9]+", " ", s.lower().replace("&", " and ")).split()
        return " ".join(sorted(w for w in words if w not in {"the", "of", "city", "county"}))

    return norm(a) == norm(b)


def _check_area_name(p: BoardParams) -> None:
    """``area_name`` is the ONS name of ``area_code`` or one of its aliases."""
    names = area_names()
    ons = names.get(p.area_code)
    allowed = ([ons] if ons else []) + sorted(AREA_ALIASES.get(p.area_code, ()))
    if not allowed:
        return  # an unknown code: the paper's data check names it
    if not any(_same_name(p.area_name, n) for n in allowed):
        raise ValueError(f"area_name: {p.area_name!r}: expected the name of {p.area_code}, "
                         + " or ".join(repr(n) for n in allowed) + f" ({NAMES_FILE})")


def slugify(text: str) -> str:
    """Lower-case, ASCII, dashes: ``"Rotherham 2017/18"`` -> ``"rotherham-2017-18"``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


# --- one line per problem ------------------------------------------------------------------


def _expected(err: dict[str, Any], model: type[BaseModel]) -> str:
    """What a pydantic error says was expected, in the words of a one-line error."""
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
