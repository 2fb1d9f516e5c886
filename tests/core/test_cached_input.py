"""Loaders kept for the process still log their files in every run (``data.cached_input``).

A kernel kept for many boards (a national batch) or forked from the warm server's zygote
finds the loaders' results already cached; each run's manifest and derivations must still
list every file its figures came from, exactly as a fresh kernel's do.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hwb.sources import data


def _logged(fn: Callable[[], object]) -> list[str]:
    data.reset_inputs()
    fn()
    return list(data._inputs)


@pytest.fixture
def table(tmp_path: Path) -> Path:
    p = tmp_path / "t.csv"
    p.write_text("a,b\n1,2\n")
    return p


def test_a_cache_hit_logs_the_files_the_first_call_read(table: Path, tmp_path: Path) -> None:
    other = tmp_path / "u.csv"
    other.write_text("c\n3\n")
    reads: list[str] = []

    @data.cached_input(maxsize=2)
    def inner(p: str) -> object:
        reads.append(p)
        return data.read_csv(p)

    @data.cached_input(maxsize=2)
    def outer() -> object:
        reads.append("outer")
        data.read_csv(other)
        return inner(str(table))

    first = _logged(outer)
    assert first == [data.relative_name(other), data.relative_name(table)]
    assert _logged(outer) == first  # the outer hit logs both, in the order first read
    assert _logged(lambda: inner(str(table))) == [data.relative_name(table)]
    assert reads == ["outer", str(table)]  # each read once


def test_a_changed_file_is_read_again(table: Path) -> None:
    reads: list[int] = []

    @data.cached_input(maxsize=1)
    def load() -> int:
        reads.append(1)
        return len(data.read_csv(table))

    assert load() == 1
    table.write_text("a,b\n1,2\n3,4\n")  # another size: the kept result is stale
    assert load() == 2 and len(reads) == 2
    assert load() == 2 and len(reads) == 2


def test_only_the_most_recent_results_are_kept(table: Path) -> None:
    reads: list[int] = []

    @data.cached_input(maxsize=2)
    def load(n: int) -> int:
        reads.append(n)
        data.log_input(table)
        return n

    for n in (1, 2, 1, 3, 1, 2):
        load(n)
    assert reads == [1, 2, 3, 2]  # 2 was the least recently used when 3 came


def test_a_failed_call_keeps_nothing_and_leaves_logging_as_it_was(table: Path) -> None:
    @data.cached_input()
    def broken() -> None:
        data.read_csv(table)
        raise ValueError("bad")

    with pytest.raises(ValueError):
        broken()
    assert data._capturing == []


# Each loader and a file its figures come from (the data/ folder's own file names): the file
# a warm-server appendix left out of its derivations before the decorator (calendar and
# mid-year estimates), and one for each other loader.
SHIPPED = {
    "dtoc series": "data/dtoc/dtoc_delayed_days_by_responsible_org_2011-04_to_2019-12.csv",
    "dtoc denominators": "data/population/by_year/mye2_persons_sya_2011_2014_2018_england.csv.gz",
    "calendar": "data/calendars/nhse_dtoc_monthly.csv",
    "cipfa": "data/cipfa/oflog_NN.json",
    "population by year": "data/population/by_year/mye2_persons_sya_2011_2014_2018_england.csv.gz",
    "population": "data/population/mye2019_utla19_persons_single_year_of_age_EW.csv",
}


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_the_shipped_loaders_log_their_files_on_every_run(name: str) -> None:
    """The loaders behind the bug found by the warm-server comparison (a run on a forked
    kernel listed fewer derivation inputs than a plain kernel's): a second run, its results
    cached, logs the same files as the first, among them the file it reads."""
    from hwb.sources import calendars, cipfa, dtoc, population, population_by_year

    calls: dict[str, Callable[[], object]] = {
        "dtoc series": dtoc.load_series,
        "dtoc denominators": lambda: dtoc.by_year_denominators("E08000018", ["2017-09"]),
        "calendar": lambda: calendars.release("dtoc", "2017-09"),
        "cipfa": lambda: cipfa.neighbours("E08000018"),
        "population by year": lambda: population_by_year.population("E08000018", 2017),
        "population": population.estimates,
    }
    first = _logged(calls[name])
    assert SHIPPED[name] in first
    assert _logged(calls[name]) == first
