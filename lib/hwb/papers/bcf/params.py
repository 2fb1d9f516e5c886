"""The BCF paper's parameters and its data files."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

from hwb.core.params import BoardParams

PRINTED_FILE = "bcf/printed_figures.csv"
SCHEMES_FILE = "bcf/rotherham_schemes.csv"
ANSWERS_FILE = "bcf/template_answers.csv"

# --- the parameter model -------------------------------------------------------------------


class BcfParams(BoardParams):
    """Parameters of a BCF 2017-19 appendix.

    Fields beyond :class:`~hwb.core.params.BoardParams` say which parts of the
    BCF the board's paper printed, so the appendix can say where a metric was
    not published rather than leave a gap.
    """

    plan_years: list[Annotated[str, StringConstraints(pattern=r"^20\d\d/\d\d$")]]
    """Financial years of the plan, e.g. ``["2017/18", "2018/19"]``."""
    metrics_published: list[Literal["nea", "res65", "reab91", "dtoc"]]
    """Which of ``nea``, ``res65``, ``reab91``, ``dtoc`` the board's paper printed."""
    money_tables: list[Literal["template", "narrative", "ibcf", "s75", "hart"]]
    """Which money tables the paper printed: ``template`` (Rotherham's planning template tabs 2-3),
    ``narrative`` (Tables 8-9), ``ibcf`` (item 15A), ``s75`` and ``hart`` (Leicestershire)."""
    confidence: float = 0.95
    """Confidence level of every interval."""
