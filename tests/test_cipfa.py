"""CIPFA nearest neighbours read on 2019 codes (hwb.sources.cipfa)."""

from __future__ import annotations

import json

import pytest

from hwb.errors import DataError
from hwb.sources import cipfa, data


def _raw() -> dict[str, list[str]]:
    return json.loads(data.path(cipfa.FILE).read_text(encoding="utf-8"))


def test_rotherham_has_its_fifteen_listed_neighbours() -> None:
    """The file's E08000018 entry lists 16 codes, Rotherham itself among them; the other 15
    are its neighbours, among them Darlington (E06000005) and Barnsley (E08000016)."""
    listed = _raw()["E08000018"]
    assert len(listed) == 16 and "E08000018" in listed
    got = cipfa.neighbours("E08000018")
    assert got == sorted(c for c in listed if c != "E08000018")
    assert {"E06000005", "E08000016"} <= set(got)


def test_buckinghamshire_and_northamptonshire_on_2019_codes() -> None:
    """The file lists Buckinghamshire as E06000060 (unitary from April 2020, same area as the
    county E10000002) and Northamptonshire as two successors E06000061/62, which appear in the
    lists of others; on 2019 codes they read as E10000002 and one E10000021."""
    raw = _raw()
    assert "E10000002" not in raw and "E06000060" in raw
    bucks = cipfa.neighbours("E10000002")
    assert bucks == sorted({cipfa.TO_2019.get(c, c) for c in raw["E06000060"]} - {"E10000002"})
    assert cipfa.neighbours("E10000021") == []
    with_both = [k for k, v in raw.items()
                 if k[:3] in cipfa.UPPER_TIER and {"E06000061", "E06000062"} <= set(v)
                 and k not in ("E06000061", "E06000062")]
    assert with_both, "some council lists both successors"
    assert len(cipfa.neighbours(cipfa.TO_2019.get(with_both[0], with_both[0]))) == 14


def test_city_of_london_has_none_and_abolished_councils_are_refused() -> None:
    """The file's E09000001 entry lists only the City itself; Bournemouth (E06000028) was
    abolished in April 2019 and is not in the 2024 model."""
    assert _raw()["E09000001"] == ["E09000001"]
    assert cipfa.neighbours("E09000001") == []
    with pytest.raises(DataError, match="E06000028"):
        cipfa.neighbours("E06000028")


def test_every_council_in_2019_codes() -> None:
    """152 upper-tier keys on 2021-22 geography become 151 on 2019 codes (two successors of
    Northamptonshire become one)."""
    assert len(cipfa.councils()) == 151
    assert not set(cipfa.councils()) & set(cipfa.TO_2019)
