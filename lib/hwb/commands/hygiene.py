"""Repository hygiene checks run by the pre-commit hooks and ``make lint``.

``python -m hwb.commands.hygiene secrets FILE...``
    fails on text that looks like a private key or an access token;
``python -m hwb.commands.hygiene large --max-kb N FILE...``
    fails on a file larger than N kilobytes.

Each problem is one line naming the file (and line); the exit status is 1 when any is found.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

SECRET_PATTERNS = {
    "a private key": re.compile(r"-----BEGIN (?:RSA |EC |OPENSSH |DSA |PGP )?PRIVATE KEY"),
    "an AWS access key id": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "a GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "a Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}\b"),
    "a password assignment": re.compile(
        r"""(?i)\b(?:password|passwd|secret|api_key|apikey|token)\s*[:=]\s*['"][^'"\s]{8,}['"]"""),
}
"""What a secret looks like: private-key headers, well-known token shapes, quoted passwords."""


def find_secrets(path: Path) -> list[str]:
    """Lines of ``path`` that look like a secret, as ``file:line: what``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.py").write_text('x = 1\\npassword = "hunter2hunter2"\\n')
    >>> [p.split(": ", 1)[1] for p in find_secrets(d / "a.py")]
    ['looks like a password assignment']
    """
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as e:
        return [f"{path}: cannot be read ({e.strerror})"]
    out = []
    for i, line in enumerate(text.splitlines(), 1):
        for what, rx in SECRET_PATTERNS.items():
            if rx.search(line):
                out.append(f"{path}:{i}: looks like {what}")
    return out


def find_large(paths: Iterable[Path], max_kb: int) -> list[str]:
    """Files larger than ``max_kb`` kilobytes, as ``file: N kB (limit M kB)``."""
    out = []
    for p in paths:
        size = p.stat().st_size if p.is_file() else 0
        if size > max_kb * 1024:
            out.append(f"{p}: {size // 1024} kB (limit {max_kb} kB)")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: print each problem on one line; exit 1 when any."""
    ap = argparse.ArgumentParser(prog="python -m hwb.commands.hygiene")
    sub = ap.add_subparsers(dest="check", required=True)
    s = sub.add_parser("secrets")
    s.add_argument("files", nargs="*", type=Path)
    big = sub.add_parser("large")
    big.add_argument("--max-kb", type=int, default=2048)
    big.add_argument("files", nargs="*", type=Path)
    a = ap.parse_args(argv)
    if a.check == "secrets":
        problems = [p for f in a.files for p in find_secrets(f)]
    else:
        problems = find_large(a.files, a.max_kb)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
