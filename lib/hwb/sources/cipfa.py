"""CIPFA nearest neighbours: the 15 councils most like a council, for comparisons between boards.

The shipped lists are CIPFA's nearest-neighbour model as published on LG Inform
and used by the Office for Local Government (about the 2024 model), on 2021-22
geography. A board paper of 2017-19 is compared on 2019 codes, so two changes are
undone here: Buckinghamshire's unitary council (E06000060, April 2020) covers the
old county exactly and is read as E10000002; North and West Northamptonshire
(E06000061/62, April 2021) together are the old county E10000021, which the
model does not list as one council, so Northamptonshire has no neighbours here,
and in other councils' lists the two successors count as one neighbour,
Northamptonshire. The City of London and the Isles of Scilly have no neighbours
in the model. Councils abolished before 2019 (Bournemouth, Poole, the old
Dorset) are not in it either.
"""

from __future__ import annotations

import json

from hwb.errors import DataError
from hwb.sources import data

FILE = "cipfa/oflog_NN.json"
"""The nearest-neighbour lists, under ``data/``."""
VINTAGE = "CIPFA nearest neighbours, 2024 model"
"""How every appendix labels the comparison group."""
SOURCE = ("CIPFA nearest neighbours model (about the 2024 model), as published on LG Inform "
          "and used by the Office for Local Government; 2021-22 geography read on 2019 codes")
"""Citation for the comparison group."""

TO_2019 = {"E06000060": "E10000002", "E06000061": "E10000021", "E06000062": "E10000021"}
"""2021-22 council codes mapped back to the 2019 council covering them."""
UPPER_TIER = ("E06", "E08", "E09", "E10")
"""Prefixes of upper-tier councils (unitary, metropolitan, London boroughs, counties)."""


@data.cached_input(maxsize=4)
def _lists(path: str) -> dict[str, tuple[str, ...]]:
    try:
        with open(path, encoding="utf-8") as f:
            raw = json.load(f)
    except (OSError, ValueError) as e:
        raise DataError(data.relative_name(path),
                        f"expected a JSON object of code lists ({e})") from None
    data.log_input(path)
    if not isinstance(raw, dict):
        raise DataError(data.relative_name(path), "expected a JSON object of code lists")
    out: dict[str, tuple[str, ...]] = {}
    for council, group in raw.items():
        if council[:3] not in UPPER_TIER:
            continue
        if not isinstance(group, list) or not all(isinstance(c, str) for c in group):
            raise DataError(data.relative_name(path), "expected a list of council codes",
                            column=council)
        if council in ("E06000061", "E06000062"):
            continue  # the two successors of Northamptonshire: no list for the old county
        code = TO_2019.get(council, council)
        mapped = dict.fromkeys(TO_2019.get(c, c) for c in group if TO_2019.get(c, c) != code)
        out[code] = tuple(mapped)
    return out


def neighbours(code: str) -> list[str]:
    """The council's nearest neighbours on 2019 codes, itself excluded.

    Parameters
    ----------
    code : str
        ONS code of an upper-tier council on 2019 boundaries.

    Returns
    -------
    list of str
        Up to 15 codes, sorted (the model's lists are unordered); empty for the
        City of London, the Isles of Scilly and Northamptonshire (see the module
        notes).

    Raises
    ------
    DataError
        The code is not an upper-tier council in the model (e.g. a council
        abolished before 2019).

    Examples
    --------
    >>> neighbours("E08000018")[:3]   # Rotherham
    ['E06000005', 'E06000020', 'E08000001']
    >>> len(neighbours("E08000018")), neighbours("E09000001")
    (15, [])
    """
    p = data.path(FILE)
    lists = _lists(str(p))
    if code == "E10000021":
        return []
    if code not in lists:
        raise DataError(FILE, "expected an upper-tier council on 2019 codes in the CIPFA model",
                        value=code)
    return sorted(lists[code])


def councils() -> list[str]:
    """Every upper-tier council (2019 codes) the model covers, sorted."""
    return sorted({*_lists(str(data.path(FILE))), "E10000021"})
