"""The pre-commit hygiene checks find what they are for and pass the repository itself."""

from __future__ import annotations

import subprocess
from pathlib import Path

from hwb.commands.hygiene import find_large, find_secrets, main

ROOT = Path(__file__).resolve().parents[2]


def test_a_private_key_header_and_a_token_are_found(tmp_path: Path) -> None:
    f = tmp_path / "k.txt"
    header = "-----BEGIN RSA " + "PRIVATE KEY-----"  # split so this file is not a find
    f.write_text("ok\n" + header + "\nghp_" + "a" * 36 + "\n")
    found = find_secrets(f)
    assert [x.split(":")[1] for x in found] == ["2", "3"]


def test_a_file_over_the_limit_is_named(tmp_path: Path) -> None:
    small, big = tmp_path / "s", tmp_path / "b"
    small.write_bytes(b"x" * 1024)
    big.write_bytes(b"x" * 3 * 1024)
    assert find_large([small, big], max_kb=2) == [f"{big}: 3 kB (limit 2 kB)"]
    assert main(["large", "--max-kb", "2", str(small), str(big)]) == 1


def test_the_tracked_tree_has_no_secrets_and_no_large_files_outside_data() -> None:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    paths = [ROOT / f for f in files if (ROOT / f).is_file()]
    text = [p for p in paths if p.suffix in {".py", ".md", ".yaml", ".yml", ".toml", ".txt"}]
    assert [s for p in text for s in find_secrets(p)] == []
    assert find_large([p for p in paths if not str(p.relative_to(ROOT)).startswith("data/")],
                      2048) == []
