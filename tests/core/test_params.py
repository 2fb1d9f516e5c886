"""Typed parameters: every bad file is one line naming file, key, value and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from hwb.core.params import BoardParams, load_params, slugify
from hwb.errors import ParameterError

GOOD = """\
area_code: E08000018
area_name: Rotherham
period: 2017-09
board: rotherham-2017-09-20
board_name: Rotherham Health and Wellbeing Board
meeting_date: 2017-09-20
agenda_item: "15"
paper_title: Delayed transfers of care
ask: note
"""


class Extra(BoardParams):
    month: str
    threshold: int = 5


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "area-period.yaml"
    p.write_text(text)
    return p


def test_good_file_is_parsed_and_frozen(tmp_path: Path) -> None:
    p = load_params(write(tmp_path, GOOD + "month: 2017-09\n"), Extra)
    assert p.area_name == "Rotherham" and p.threshold == 5
    assert str(p.meeting_date) == "2017-09-20"
    with pytest.raises(ValidationError, match="frozen"):
        p.area_name = "Leeds"  # type: ignore[misc]
    assert p.slug == "rotherham/2017-09"


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        (GOOD + "month: 2017-09\nmonht: x\n", "monht", "one of the declared keys"),
        (GOOD, "month", "required"),
        (GOOD + "month: 2017-09\nthreshold: five\n", "threshold", "valid integer"),
        (GOOD.replace("ask: note", "ask: decide") + "month: x\n", "ask", "'note'"),
        (
            GOOD.replace('agenda_item: "15"', "agenda_item: 15") + "month: x\n",
            "agenda_item",
            "valid string",
        ),
    ],
)
def test_bad_keys_name_file_key_value_and_expectation(
    tmp_path: Path, text: str, key: str, fragment: str
) -> None:
    f = write(tmp_path, text)
    with pytest.raises(ParameterError) as e:
        load_params(f, Extra)
    msg = str(e.value)
    assert "\n" not in msg
    assert str(f) in msg and f"'{key}'" in msg and fragment in msg


def test_malformed_yaml_names_line(tmp_path: Path) -> None:
    f = write(tmp_path, "area_code: [E08000018\nperiod: x\n")
    with pytest.raises(ParameterError, match=r"valid YAML \(line \d+, column \d+\)"):
        load_params(f, Extra)


def test_yaml_is_never_evaluated(tmp_path: Path) -> None:
    f = write(tmp_path, GOOD + "month: !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(ParameterError, match="valid YAML"):
        load_params(f, Extra)


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "just text\n"])
def test_not_a_mapping(tmp_path: Path, text: str) -> None:
    with pytest.raises(ParameterError, match="a YAML mapping"):
        load_params(write(tmp_path, text), Extra)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="an existing parameters file"):
        load_params(tmp_path / "nope.yaml", Extra)


def test_slugify() -> None:
    assert slugify("Rotherham 2017/18") == "rotherham-2017-18"
    assert slugify("Kingston upon Hull, City of") == "kingston-upon-hull-city-of"


def test_area_code_must_be_an_upper_tier_ons_code(tmp_path: Path) -> None:
    # Rotherham is E08000018; a district code (Blaby E07000129) is not a board's area.
    for bad in ("E07000129", "E0800001", "rotherham"):
        f = write(tmp_path, GOOD.replace("E08000018", bad) + "month: x\n")
        expected = rf"key 'area_code' = '{bad}': expected an ONS code"
        with pytest.raises(ParameterError, match=expected):
            load_params(f, Extra)
