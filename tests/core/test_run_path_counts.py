"""One run parses its parameters file once and hashes each input once (issue 20, item 4).

Before the run carried its parameters and cache key, a forced ``hwb run`` read the same
YAML four times (the cache check, the batch's check, the run's cache check and the run)
and hashed the inputs for each cache key and again for the manifest.  The notebook itself
is not executed here (``execute`` returns the unexecuted notebook): the counts are the
run path's, around the kernel.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import nbformat
import pytest

from hwb.core import batch, runner
from hwb.core import params as params_module
from hwb.sources import data

PARAMS = Path(__file__).resolve().parents[2] / "params" / "dtoc" / "rotherham-2017-09.yaml"


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {"yaml": [], "sha": []}
    read_yaml = params_module.read_yaml

    def counting_read_yaml(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen["yaml"].append(Path(path).name)
        return read_yaml(path, *args, **kwargs)

    sha = data._sha.__wrapped__

    def counting_sha(p: str, mtime_ns: int, size: int) -> str:
        seen["sha"].append(p)
        return sha(p, mtime_ns, size)

    monkeypatch.setattr(params_module, "read_yaml", counting_read_yaml)
    monkeypatch.setattr(data, "_sha", lru_cache(maxsize=256)(counting_sha))
    monkeypatch.setattr(runner, "execute",
                        lambda paper, *_: nbformat.read(paper.notebook, as_version=4))
    monkeypatch.setenv("HWB_NO_PDF", "1")
    monkeypatch.delenv("HWB_PRINTED", raising=False)
    return seen


def test_a_forced_run_parses_its_yaml_once_and_hashes_each_input_once(
        counted: dict[str, list[str]], tmp_path: Path) -> None:
    task = runner.Task("dtoc", str(PARAMS), str(tmp_path), force=True)
    [result] = batch.run_batch([task], workers=1, progress=False)
    assert result.status == "built", result.message
    assert counted["yaml"].count(PARAMS.name) == 1
    assert counted["sha"], "the inputs were hashed"
    assert len(counted["sha"]) == len(set(counted["sha"]))  # none twice
    # the task carries what was parsed and computed, for wherever it goes next
    assert task.params is not None and task.params.area_code == "E08000018"
    assert task.key is not None and task.checked
    # the run told its kernel its printed-figures file, and took the name back afterwards: a
    # notebook executed later in this process (papermill in a test) reads its own paper's file
    assert "HWB_PRINTED" not in os.environ


def test_an_up_to_date_run_parses_once_too(counted: dict[str, list[str]],
                                          tmp_path: Path) -> None:
    batch.run_batch([runner.Task("dtoc", str(PARAMS), str(tmp_path), force=True)], workers=1,
                    progress=False)
    counted["yaml"].clear()
    [result] = batch.run_batch([runner.Task("dtoc", str(PARAMS), str(tmp_path))], workers=1,
                               progress=False)
    assert result.status == "cached"
    assert counted["yaml"].count(PARAMS.name) == 1


def test_the_kernel_is_told_the_runs_printed_figures_file() -> None:
    """The run names the printed-figures file in the kernel's environment (HWB_PRINTED, read
    by hwb.toolkit.notebook.setup), so the kernel does not look the paper up again."""
    from hwb.core.registry import get

    paper = get("dtoc")
    env = runner.kernel_environ(paper, True, {"HWB_PRINTED": "stale.csv", "HOME": "h"})
    assert env["HWB_PRINTED"] == str(Path(paper.printed).resolve())
    assert env["HWB_FORK"] == "1" and env["HOME"] == "h"
    assert runner.kernel_environ(paper, False, {})["HWB_FORK"] == "0"
