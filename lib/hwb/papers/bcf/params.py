"""The BCF paper's parameters and its data files."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, ValidationInfo, field_validator

from hwb.sources.params import BoardParams

PRINTED_FILE = "bcf/printed_figures.csv"
SCHEMES_FILE = "bcf/rotherham_schemes.csv"
ANSWERS_FILE = "bcf/template_answers.csv"

# --- the parameter model -------------------------------------------------------------------


class BcfParams(BoardParams):
    """Parameters of a BCF 2017-19 appendix.

    Fields beyond :class:`~hwb.sources.params.BoardParams` say which parts of the
    BCF the board's paper printed, so the appendix can say where a metric was
    not published rather than leave a gap.
    """

    plan_years: list[Annotated[str, StringConstraints(pattern=r"^20\d\d/\d\d$")]] = [
        "2017/18", "2018/19"]
    """Financial years of the plan, e.g. ``["2017/18", "2018/19"]``."""
    metrics_published: list[Literal["nea", "res65", "reab91", "dtoc"]] = []
    """Which of ``nea``, ``res65``, ``reab91``, ``dtoc`` the board's paper printed."""
    money_tables: list[Literal["template", "narrative", "ibcf", "s75", "hart"]] = []
    """Which money tables the paper printed: ``template`` (Rotherham's planning template tabs 2-3),
    ``narrative`` (Tables 8-9), ``ibcf`` (item 15A), ``s75`` and ``hart`` (Leicestershire)."""
    confidence: float = 0.95
    """Confidence level of every interval."""

    # A board without a printed paper needs only ``area_code``: the area's name comes from the
    # CCG-to-HWB mapping, the rest are the actual-performance appendix's (each can be given).
    area_name: str = Field("", validate_default=True)
    """The area as the board names it (default: as the CCG-to-HWB mapping prints it)."""
    period: str = "2017-19"
    """The plan period."""
    board_name: str = Field("", validate_default=True)
    """The board (default: "<area> Health and Wellbeing Board")."""
    paper_title: str = Field("", validate_default=True)
    """The paper (default: the actual-performance appendix's title)."""

    @field_validator("area_name")
    @classmethod
    def _area_name(cls, v: str, info: ValidationInfo) -> str:
        if v:
            return v
        name = area_name_of(str(info.data.get("area_code", "")))
        if name is None:
            raise ValueError("the area's name (the area code is not in the CCG-HWB mapping)")
        return name

    @field_validator("board_name")
    @classmethod
    def _board_name(cls, v: str, info: ValidationInfo) -> str:
        return v or f"{info.data.get('area_name', '')} Health and Wellbeing Board"

    @field_validator("paper_title")
    @classmethod
    def _paper_title(cls, v: str) -> str:
        return v or DEFAULT_TITLE


DEFAULT_TITLE = "Better Care Fund 2017-19: actual performance on the four national metrics"
"""The title of a board's appendix when no printed paper is named."""


def area_name_of(code: str) -> str | None:
    """The board's name as the BCF 2017-19 CCG-to-HWB mapping prints it (``None`` if absent).

    Examples
    --------
    >>> area_name_of("E08000026"), area_name_of("E06000052"), area_name_of("E99999999")
    ('Coventry', 'Cornwall', None)
    >>> area_name_of("E06000028")  # of the joint board "Bournemouth & Poole"
    'Bournemouth'
    """
    from hwb.sources import ccg_hwb

    m = ccg_hwb.load_mapping(joint="split")  # Bournemouth and Poole each a board of their own
    names = m.loc[m["hwb_code"] == code, "hwb_name"]
    # one code, two names ("Cornwall & Scilly"): the council the code is (the board's area
    # still counts both, as the mapping does)
    return str(names.iloc[0]).split(" & ")[0] if len(names) else None
