"""The data log lists every shipped input with its current checksum, and every data folder
has its SOURCE note."""

from __future__ import annotations

from pathlib import Path

from hwb.commands.datalog import BEGIN, END, inventory

ROOT = Path(__file__).resolve().parents[2]


def test_data_log_inventory_is_current() -> None:
    text = (ROOT / "docs" / "data.md").read_text()
    shown = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert shown == inventory(ROOT), "run `python -m hwb.commands.datalog` and review the change"


def test_every_data_folder_has_a_source_note() -> None:
    for d in sorted(p for p in (ROOT / "data").iterdir() if p.is_dir()):
        assert list(d.glob("SOURCE*.md")), f"data/{d.name} has no SOURCE.md"
