"""The national CCG-to-HWB mapping 2017-19 (BCF planning template, Rotherham HWB, 20 Sept 2017)."""

from __future__ import annotations

import pandas as pd
import pytest

from hwb.errors import DataError
from hwb.sources import ccg_hwb


@pytest.fixture(scope="module")
def mapping() -> pd.DataFrame:
    return ccg_hwb.load_mapping()


def test_mapping_as_printed(mapping: pd.DataFrame) -> None:
    # the tab lists 889 pairs: 150 HWBs and the 207 CCGs of April 2017
    assert len(mapping) == 889
    assert mapping["hwb_code"].nunique() == 150
    assert mapping["ccg_code"].nunique() == 207
    # printed line: "E08000018 Rotherham 03L NHS Rotherham CCG 97.9% 93.5%"
    r = mapping[(mapping.hwb_code == "E08000018") & (mapping.ccg_code == "03L")].iloc[0]
    assert (r.pct_ccg_in_hwb, r.pct_hwb_in_ccg) == (97.9, 93.5)


@pytest.mark.parametrize("by", ["hwb", "ccg"])
def test_shares_sum_to_100_within_rounding(mapping: pd.DataFrame, by: str) -> None:
    out = ccg_hwb.share_check(mapping, by)
    assert len(out) == (150 if by == "hwb" else 207)
    assert (out["status"] != "differs").all()


def test_rotherham_hwb_shares(mapping: pd.DataFrame) -> None:
    # printed for Rotherham HWB: 3.2 + 0.4 + 1.3 + 93.5 + 1.6 = 100.0
    out = ccg_hwb.share_check(mapping, "hwb").set_index("code")
    assert out.loc["E08000018", "total"] == 100.0
    assert out.loc["E08000018", "status"] == "reproduced"


def test_ccg_to_hwb_by_hand(mapping: pd.DataFrame) -> None:
    # 1,000 for NHS Rotherham CCG: 97.9% live in Rotherham, 1.5% Doncaster, 0.3% Barnsley and
    # 0.3% Sheffield (printed shares), so 979, 15, 3 and 3
    out = ccg_hwb.ccg_to_hwb(pd.DataFrame({"ccg_code": ["03L"], "value": [1000.0]}), mapping)
    got = dict(zip(out.hwb_name, out.value.round(6), strict=True))
    assert got == {"Barnsley": 3.0, "Doncaster": 15.0, "Rotherham": 979.0, "Sheffield": 3.0}


def test_hwb_to_ccg_by_hand(mapping: pd.DataFrame) -> None:
    # 1,000 for Rotherham HWB: 93.5% registered with Rotherham CCG, 3.2% Barnsley, 1.6%
    # Sheffield, 1.3% Doncaster, 0.4% Bassetlaw
    out = ccg_hwb.hwb_to_ccg(pd.DataFrame({"hwb_code": ["E08000018"], "value": [1000.0]}),
                             mapping)
    got = dict(zip(out.ccg_code, out.value.round(6), strict=True))
    assert got == {"02P": 32.0, "02Q": 4.0, "02X": 13.0, "03L": 935.0, "03N": 16.0}


def test_unknown_code_is_a_clear_error(mapping: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="not in the CCG-HWB mapping"):
        ccg_hwb.ccg_to_hwb(pd.DataFrame({"ccg_code": ["ZZZ"], "value": [1.0]}), mapping)


def test_bad_share_names_the_row(tmp_path) -> None:
    p = tmp_path / "m.csv"
    p.write_text("hwb_code,hwb_name,ccg_code,ccg_name,pct_ccg_in_hwb,pct_hwb_in_ccg,line\n"
                 "E08000018,Rotherham,03L,NHS Rotherham CCG,120.0,93.5,18326\n")
    with pytest.raises(DataError, match=r"row 2.*pct_ccg_in_hwb"):
        ccg_hwb.load_mapping(p)
