"""A third-party paper: the share of a count in a total, checked against a printed figure."""

from __future__ import annotations

from pathlib import Path

from hwb.core.params import BoardParams
from hwb.core.registry import Paper

HERE = Path(__file__).resolve().parent


class ToyParams(BoardParams):
    """The toy paper's parameters: a count and its total."""

    count: int
    total: int


def share(count: int, total: int) -> float:
    """Percentage of ``total`` that ``count`` is."""
    return 100.0 * count / total


PAPER = Paper(
    name="toy",
    title="Toy paper (third-party plugin)",
    notebook=HERE / "toy.ipynb",
    params_model=ToyParams,
    params_dir=HERE / "params",
    printed=HERE / "data" / "printed_figures.csv",
)
