"""Property tests: whatever parameter file or data table an analyst supplies, hwb either
accepts it or fails with one clean line (a ``HwbError``), never a traceback."""

from __future__ import annotations

import string
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hwb.core.params import BoardParams, load_params
from hwb.errors import DataError, ParameterError
from hwb.sources.data import Column, Schema, read_csv


class Model(BoardParams):
    month: str
    threshold: int = 5
    rate: float = 1.0


KEYS = list(Model.model_fields) + ["colour", "Month", "area code", "1"]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.dates(),
    st.lists(st.integers(), max_size=3),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(KEYS), scalars, max_size=len(KEYS)))
def test_any_mapping_is_accepted_or_one_clean_line(data: dict) -> None:
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "p.yaml"
        f.write_text(yaml.safe_dump(data, default_flow_style=False))
        try:
            load_params(f, Model)
        except ParameterError as e:
            msg = str(e)
            assert "\n" not in msg and str(f) in msg and "expected" in msg


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=string.printable + "£é\ufeff", max_size=200))
def test_any_text_as_yaml_is_accepted_or_one_clean_line(text: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "p.yaml"
        f.write_text(text)
        try:
            load_params(f, Model)
        except ParameterError as e:
            assert "\n" not in str(e) and str(f) in str(e)


SCHEMA = Schema(
    [Column("area_code"), Column("month"), Column("days", "count"), Column("population", "count")],
    key=["area_code", "month"],
    row_checks=[("days must not exceed population", lambda df: df["days"] <= df["population"])],
)
cells = st.one_of(
    st.integers(-5, 10**7).map(str),
    st.integers(0, 10**7).map(lambda n: f"{n:,}"),
    st.sampled_from(["-", "", " ", "x", "1.5", "E08000018", "NaN", "\ufeff1"]),
    st.text(alphabet=string.ascii_letters + string.digits + ",.- ", max_size=8),
)


@settings(max_examples=200, deadline=None)
@given(
    header=st.lists(
        st.sampled_from(["area_code", "month", "days", "population", "extra", ""]),
        min_size=1,
        max_size=5,
    ),
    rows=st.lists(st.lists(cells, min_size=1, max_size=5), max_size=6),
    bom=st.booleans(),
)
def test_any_table_is_accepted_or_one_clean_line(header: list, rows: list, bom: bool) -> None:
    def q(v: str) -> str:
        return '"' + v.replace('"', '""') + '"'

    text = ",".join(header) + "\n" + "".join(",".join(q(c) for c in r) + "\n" for r in rows)
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "input.csv"
        f.write_bytes(("\ufeff" if bom else "").encode() + text.encode())
        try:
            df = read_csv(f, SCHEMA)
        except DataError as e:
            msg = str(e)
            assert "\n" not in msg and "input.csv" in msg and len(msg) <= 200
        else:
            assert (df["days"].dropna() >= 0).all()
            assert not df.duplicated(["area_code", "month"]).any()


def test_a_wide_table_missing_a_column_is_one_short_line(tmp_path: Path) -> None:
    """The ONS single-year-of-age table has 94 columns; dropping one used to print all 94."""
    cols = ["area_code", "area_name", "total_population"] + [str(a) for a in range(90)] + ["90+"]
    schema = Schema([Column(c) if c in ("area_code", "area_name") else Column(c, "count")
                     for c in cols])
    f = tmp_path / ("a-long-folder-name-" * 8) / "population.csv"
    f.parent.mkdir()
    f.write_text(",".join(c for c in cols if c != "45") + "\n")
    try:
        read_csv(f, schema)
    except DataError as e:
        msg = str(e)
    assert len(msg) <= 200 and msg.endswith(
        "population.csv, row 1, column '45': missing column(s) '45'; expected area_code, "
        "area_name, total_population, 0, 1 … (94 columns)")
    f.write_text(",".join(cols + [f"extra{i}" for i in range(50)]) + "\n")
    try:
        read_csv(f, schema)
    except DataError as e:
        msg = str(e)
    assert msg.endswith("row 1, column 'extra0': unexpected column(s) 'extra0' and 49 more")


def test_a_long_rule_is_shortened_to_200_characters() -> None:
    e = DataError("data/x.csv", "must be one of " + ", ".join(f"code{i}" for i in range(99)),
                  row=3, column="c", value="y" * 500)
    msg = str(e)
    assert len(msg) == 200 and msg.startswith("data/x.csv, row 3, column 'c': must be one of")
    assert msg.endswith("… (got '" + "y" * 76 + "...)")  # the value keeps its 80 characters
