"""Typed, frozen parameters, parsed from YAML before anything runs.

A paper's parameter model subclasses :class:`BoardParams`.  :func:`load_params`
reads ``params/<paper>/<area>-<period>.yaml`` with ``yaml.safe_load`` (no
parameter is ever evaluated as code) and validates it; any problem is one
:class:`~hwb.errors.ParameterError` line naming the file, the key, the value and
what was expected.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from hwb.errors import ParameterError

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


class ParamProblem(Exception):
    """Raised by a paper's data-dependent parameter check (``Paper.check``).

    The runner turns it into a :class:`~hwb.errors.ParameterError` naming the file.
    """

    def __init__(self, key: str, value: Any, expected: str) -> None:
        super().__init__(f"{key}: expected {expected}")
        self.key, self.value, self.expected = key, value, expected


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
        raise ParameterError(file, loc, value, _expected(err, model)) from None


def load_params(path: str | Path, model: type[BoardParams]) -> BoardParams:
    """Read and validate a parameters YAML file.

    Raises
    ------
    ParameterError
        Unreadable or malformed YAML, unknown, missing or ill-typed keys.
    """
    path = Path(path)
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ParameterError(name, None, None, "an existing parameters file") from None
    except UnicodeDecodeError:
        raise ParameterError(name, None, None, "UTF-8 text") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(e, "problem", None) or "malformed YAML"
        raise ParameterError(name, None, None, f"valid YAML{where}: {problem}") from None
    # YAML turns 2017-09-20 into a date; keep dates as dates, everything else as loaded.
    if isinstance(data, dict):
        data = {k: v for k, v in data.items()}
    return parse_params(data, model, name)
