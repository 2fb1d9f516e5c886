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


# --- strict YAML: duplicate keys, anchors, depth, size, path kinds -----------------------------


def one_line(e: pytest.ExceptionInfo) -> str:
    text = str(e.value)
    assert "\n" not in text and "Traceback" not in text
    return text


def test_a_key_written_twice_names_the_key_and_both_lines(tmp_path: Path) -> None:
    # GOOD sets period on line 3; the file sets it again on line 11 (GOOD has 9 lines, month 10)
    p = write(tmp_path, GOOD + "month: 2017-09\nperiod: 2017-10\n")
    with pytest.raises(ParameterError) as e:
        load_params(p, Extra)
    assert one_line(e).endswith(
        "key 'period': expected the key once (it is set on line 3 and again on line 11)")


def test_anchors_and_aliases_are_refused(tmp_path: Path) -> None:
    p = write(tmp_path, GOOD + "month: &m 2017-09\nthreshold: *m\n")
    with pytest.raises(ParameterError, match=r"no YAML anchors or aliases \(line 10\)") as e:
        load_params(p, Extra)
    one_line(e)


def test_deep_nesting_is_one_line_not_a_recursion_error(tmp_path: Path) -> None:
    for depth in (9, 5000):  # MAX_DEPTH is 8; 5000 would overflow a recursive composer
        p = write(tmp_path, GOOD + "month: " + "[" * depth + "]" * depth + "\n")
        with pytest.raises(ParameterError, match="nested at most 8 deep") as e:
            load_params(p, Extra)
        one_line(e)


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    p = write(tmp_path, GOOD + "month: 2017-09\n# " + "x" * 300_000 + "\n")
    with pytest.raises(ParameterError, match=r"at most 256 KiB \(it has \d+ bytes\)"):
        load_params(p, Extra)


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)  # opening it for reading would block: it must never be opened
    kinds = ((tmp_path, "a directory"), (fifo, "a fifo"), (Path("/dev/null"), "a device"))
    for path, kind in kinds:
        with pytest.raises(ParameterError) as e:
            load_params(path, Extra)
        assert one_line(e) == f"{path}: file: expected a regular parameters file, not {kind}"


def test_byte_order_mark_is_dropped_and_bad_bytes_named(tmp_path: Path) -> None:
    p = tmp_path / "bom.yaml"
    p.write_bytes(b"\xef\xbb\xbf" + (GOOD + "month: 2017-09\n").encode())
    assert load_params(p, Extra).area_code == "E08000018"
    p.write_bytes(b"area_code: \xff\n")
    with pytest.raises(ParameterError, match=r"expected UTF-8 text \(byte 11\)"):
        load_params(p, Extra)


# --- meaning: period, area name, board -----------------------------------------------------


@pytest.mark.parametrize(("period", "expected"), [
    ("not-valid", "expected a month YYYY-MM"),
    ("2017-13", "expected a month YYYY-MM"),
    ("2017/19", "expected a month YYYY-MM"),
    ("2017-10", "expected the month reported, '2017-09' (key 'month')"),
    ("2017", "expected the month reported, '2017-09' (key 'month')"),
])
def test_period_label_must_be_a_period_and_the_month_reported(
        tmp_path: Path, period: str, expected: str) -> None:
    p = write(tmp_path, GOOD.replace("period: 2017-09", f"period: '{period}'") + "month: 2017-09\n")
    with pytest.raises(ParameterError) as e:
        load_params(p, Extra)
    assert f"key 'period' = '{period}': {expected}" in one_line(e)


class Plan(BoardParams):
    plan_years: list[str]


@pytest.mark.parametrize(("period", "ok"), [
    ("2017-19", True),            # 2017/18 and 2018/19, as the BCF papers write it
    ("2017/18-2018/19", True),
    ("2018-20", False),           # overlaps by a year, but is not the plan's period
    ("2017-18", False),
    ("2017", True),               # a calendar year need only overlap (equity writes 2019)
    ("2020", False),
])
def test_period_of_several_years_spans_the_years_reported(
        tmp_path: Path, period: str, ok: bool) -> None:
    text = (GOOD.replace("period: 2017-09", f"period: '{period}'")
            + "plan_years: [2017/18, 2018/19]\n")
    p = write(tmp_path, text)
    if ok:
        assert load_params(p, Plan).period == period
    else:
        with pytest.raises(ParameterError) as e:
            load_params(p, Plan)
        assert one_line(e).endswith(
            f"key 'period' = '{period}': expected a label for the period reported, "
            "2017/18 to 2018/19 (key 'plan_years')")


def test_period_span_reads_every_format_by_hand() -> None:
    from hwb.periods import period_span

    # months counted from year 0: 2017-11 is 2017 * 12 + 10 = 24214
    assert period_span("2017-11") == [(24214, 24214)]
    # 2015-16 is the financial year April 2015 (24183) to March 2016 (24194)
    assert period_span("2015-16") == period_span("2015/16") == [(24183, 24194)]
    assert period_span("2012/13-2015/16") == [(2012 * 12 + 3, 2016 * 12 + 2)]
    assert period_span("2019") == [(2019 * 12, 2019 * 12 + 11)]
    assert period_span("2017-11\n") == period_span(" 2017-11") == period_span("") == []


@pytest.mark.parametrize(("name", "ok"), [
    ("Rotherham", True), ("ROTHERHAM", True), ("Leicestershire", False), ("Rotherham ", True),
    ("Rötherham", False),
])
def test_area_name_must_be_the_ons_name_of_the_code(tmp_path: Path, name: str, ok: bool) -> None:
    p = write(tmp_path, GOOD.replace("area_name: Rotherham", f"area_name: '{name}'")
              + "month: 2017-09\n")
    if ok:
        load_params(p, Extra)
        return
    with pytest.raises(ParameterError) as e:
        load_params(p, Extra)
    assert f"key 'area_name' = '{name}': expected the name of E08000018, 'Rotherham'" in one_line(e)


def test_area_aliases_and_punctuation(tmp_path: Path) -> None:
    # ONS: "Southend-on-Sea" (E06000033), "Bristol, City of" (E06000023); NHS England's series
    # writes "Southend" (a declared alias) and "Bristol"
    for code, name in (("E06000033", "Southend"), ("E06000033", "Southend on Sea"),
                       ("E06000023", "Bristol"), ("E92000001", "England")):
        text = GOOD.replace("E08000018", code).replace("area_name: Rotherham", f"area_name: {name}")
        load_params(write(tmp_path, text + "month: 2017-09\n"), Extra)


def test_board_must_have_printed_figures(tmp_path: Path) -> None:
    from hwb.core.params import ParamProblem, check_board

    printed = tmp_path / "printed_figures.csv"
    printed.write_text("figure_id,board,value\na,rotherham-2017-09-20,1\nb,other-board,2\n")
    p = load_params(write(tmp_path, GOOD + "month: 2017-09\n"), Extra)
    check_board(p, printed)
    check_board(p.model_copy(update={"board": ""}), printed)  # blank: no printed paper
    with pytest.raises(ParamProblem) as e:
        check_board(p.model_copy(update={"board": "nosuch"}), printed)
    assert e.value.key == "board"
    assert e.value.expected.endswith(": other-board, rotherham-2017-09-20")
    with pytest.raises(ParamProblem, match="none: leave board blank"):
        check_board(p, None)

    class Required(Extra):
        board_required = True

    with pytest.raises(ParamProblem, match="cannot be built without one"):
        check_board(Required.model_validate({**p.model_dump(), "board": ""}), printed)


def test_param_problem_is_an_hwb_error_importable_from_params() -> None:
    from hwb.core.params import ParamProblem as FromParams
    from hwb.errors import HwbError, ParamProblem

    assert FromParams is ParamProblem and issubclass(ParamProblem, HwbError)


def test_one_definition_of_the_parameter_names() -> None:
    """Issue 20: the parameter base class lives below the papers (hwb.sources.params, a layer
    papers and the kernel may both import), papers find it in hwb.plugin, and core.params
    re-exports the same objects; period labels are read by hwb.periods alone."""
    import hwb.core.params as core
    import hwb.periods
    import hwb.plugin
    import hwb.sources.params as base

    for name in ("BoardParams", "parse_params", "slugify"):
        assert getattr(core, name) is getattr(base, name) is getattr(hwb.plugin, name)
    assert core.area_names is base.area_names and core.AREA_CODE is base.AREA_CODE
    assert core.period_span is hwb.periods.period_span
    assert not hasattr(base, "period_span")
