"""A third-party paper: the share of a count in a total, checked against a printed figure."""

from __future__ import annotations

from pathlib import Path

from hwb.core.params import BoardParams
from hwb.plugin import Paper

HERE = Path(__file__).resolve().parent


class ToyParams(BoardParams):
    """The toy paper's parameters: the total the area's count is a share of."""

    total: int


def count_for(area_code: str) -> int:
    """The area's count, read from the plugin's data (logged as a run input)."""
    from hwb.plugin import Column, Schema, read_csv

    schema = Schema([Column("area_code"), Column("count", "count")], key=["area_code"])
    df = read_csv(HERE / "data" / "counts.csv", schema)
    return int(df.loc[df["area_code"] == area_code, "count"].iloc[0])


def share(count: int, total: int) -> float:
    """Percentage of ``total`` that ``count`` is; a count above its total is an error."""
    if count > total:
        raise ValueError(f"count {count} is above its total {total}")
    return 100.0 * count / total


def check(params: ToyParams) -> None:
    """The area must be in the data (checked before anything runs)."""
    import csv

    from hwb.errors import ParamProblem

    with open(HERE / "data" / "counts.csv", encoding="utf-8") as f:
        codes = {row["area_code"] for row in csv.DictReader(f)}
    if params.area_code not in codes:
        raise ParamProblem("area_code", params.area_code,
                           f"an area in the toy data ({', '.join(sorted(codes))})")


PAPER = Paper(
    name="toy",
    title="Toy paper (third-party plugin)",
    notebook=HERE / "toy.ipynb",
    params_model=ToyParams,
    params_dir=HERE / "params",
    printed=HERE / "data" / "printed_figures.csv",
    inputs=(HERE / "data" / "counts.csv",),
    check=check,
)
