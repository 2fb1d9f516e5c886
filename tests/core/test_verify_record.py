"""``hwb verify`` from the record: a moved, gone or changed parameters file is re-derived from
the parameters the manifest recorded (and the table says so); a manifest that cannot be read
or is not hwb's is one ``cannot verify`` row, never an abort of the audit."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from hwb.commands import verify as v
from hwb.core import manifest as mf
from hwb.core.params import load_params
from hwb.core.registry import get
from hwb.sources.data import project_root

PARAMS = "params/bcf/rotherham-2017-19.yaml"


def manifest(params_file: str = PARAMS) -> dict:
    paper = get("bcf")
    p = load_params(project_root() / PARAMS, paper.params_model)
    return {"schema": mf.SCHEMA_VERSION, "paper": "bcf", "params": p.to_notebook(),
            "params_hash": p.digest(), "params_file": params_file, "figures": [],
            "area_name": p.area_name, "period": p.period}


def test_a_parameters_file_still_as_recorded_is_used(tmp_path: Path) -> None:
    task, notes = v.task_for(manifest(), tmp_path / "m.json", tmp_path, 0)
    assert notes == [] and task.params_file == str(project_root() / PARAMS)


@pytest.mark.parametrize(("recorded", "why"), [
    ("params/bcf/moved-away.yaml", "has moved or gone"),
    ("(outside the project)/x.yaml", "is outside the project"),
    ("", "is not recorded"),
])
def test_a_moved_or_gone_parameters_file_is_re_derived_from_the_record(
        tmp_path: Path, recorded: str, why: str) -> None:
    m = manifest(recorded)
    task, notes = v.task_for(m, tmp_path / "m.json", tmp_path, 3)
    assert [n["result"] for n in notes] == [v.FROM_RECORD]
    assert why in notes[0]["detail"] and "re-derived from the parameters the manifest recorded" \
        in notes[0]["detail"]
    # the copy holds exactly the recorded parameters (dates as dates, lists as lists)
    copy = load_params(task.params_file, get("bcf").params_model)
    assert copy.digest() == m["params_hash"]
    assert Path(task.params_file).parent == tmp_path / "params"


def test_a_changed_parameters_file_is_drift_and_re_derived_from_the_record(
        tmp_path: Path) -> None:
    m = manifest()
    m["params"] = {**m["params"], "confidence": 0.9}
    m["params_hash"] = "not the file's"
    task, notes = v.task_for(m, tmp_path / "m.json", tmp_path, 0)
    assert [n["result"] for n in notes] == [v.DRIFT]
    assert notes[0]["detail"].startswith(f"parameters file {PARAMS} changed since")
    assert load_params(task.params_file, get("bcf").params_model).confidence == 0.9


@pytest.mark.parametrize(("content", "reason"), [
    ("{not json", "expected a readable JSON manifest"),
    ('["a", "list"]', "expected an hwb manifest"),
    ('{"schema": 1, "paper": "bcf"}', "expected an hwb manifest"),
    (json.dumps({**manifest(), "schema": 99}), "expected an hwb manifest (schema 1"),
    (json.dumps({**manifest(), "paper": "nosuch"}), "unknown paper 'nosuch'"),
    (json.dumps({**manifest("gone.yaml"), "params": {**manifest()["params"], "period": "x"}}),
     "the recorded parameters no longer validate: "),
])
def test_unreadable_or_foreign_manifests_are_one_row_each_never_an_abort(
        tmp_path: Path, capsys: pytest.CaptureFixture, content: str, reason: str) -> None:
    out = tmp_path / "outputs"
    for area in ("a-area", "b-area"):  # two bad manifests: the audit reports both
        d = out / "bcf" / area / "2017-19"
        d.mkdir(parents=True)
        (d / "manifest.json").write_text(content)
    assert v.verify(out, progress=False) == 1
    with open(out / "verify" / "verify.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["result"] for r in rows] == [v.CANNOT, v.CANNOT]
    assert all(reason in r["detail"] and "manifest.json: " in r["detail"] for r in rows)
    printed = capsys.readouterr().out
    assert printed.count("cannot verify: ") == 2


def test_a_manifest_never_records_a_temporary_path() -> None:
    assert mf.recorded_name("/tmp/hwb-verify-x/params/0-x.yaml") == "(outside the project)/0-x.yaml"
    assert mf.recorded_name(PARAMS) == PARAMS
