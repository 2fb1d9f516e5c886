"""The notebooks' git clean filter: nbstripout's output, without importing nbformat.

``git`` runs a clean filter on every notebook it has to look at (``git status``,
``git add``, ``git diff``).  nbstripout imports nbformat, whose schema
validator takes seconds to import, so a fresh clone's first ``git status``
took half a minute.  This module reproduces nbstripout's default output
(outputs and execution counts cleared, cell ids renumbered ``"0"``, ``"1"``,
..., its default metadata keys removed, then written the way nbformat writes:
lines split, keys sorted, one-space indent, a final newline) with the standard
library only, so one call costs a bare Python start.  ``tests/core/test_git_state.py``
checks it against nbstripout byte for byte.

Run as a script (``python -I -S lib/hwb/core/nbstrip.py``): notebook on stdin,
stripped notebook on stdout.  With ``--process`` it speaks git's long-running
filter protocol, so one process cleans every notebook a git command looks at.
The Makefile installs it as the ``nbstripout`` filter (``filter.nbstripout.process``
and ``.clean``) of the notebooks named in ``.gitattributes``.  It covers nbformat 4
notebooks, the only kind in this project; anything else is handed to
nbstripout itself.
"""

from __future__ import annotations

import json
import sys
from typing import Any

# nbstripout 0.9's default extra keys (``nbstripout._nbstripout.main``)
NB_KEYS = ("signature", "widgets")
CELL_META_KEYS = ("collapsed", "ExecuteTime", "execution", "heading_collapsed", "hidden",
                  "scrolled")
_SPLIT_MIMES = {"application/javascript", "image/svg+xml"}


def _is_json_mime(mime: str) -> bool:
    return mime == "application/json" or (mime.startswith("application/")
                                         and mime.endswith("+json"))


def _join(bundle: dict[str, Any]) -> None:
    for k, v in list(bundle.items()):
        if not _is_json_mime(k) and isinstance(v, list) and all(isinstance(x, str) for x in v):
            bundle[k] = "".join(v)


def _split(bundle: dict[str, Any]) -> None:
    for k, v in list(bundle.items()):
        if isinstance(v, str) and (k.startswith("text/") or k in _SPLIT_MIMES):
            bundle[k] = v.splitlines(True)


def _keep_output(cell: dict[str, Any], default: bool) -> bool:
    meta = cell.get("metadata")
    if meta is None:
        return default
    if "init_cell" in meta:
        return bool(meta["init_cell"])
    by_meta, by_tag = "keep_output" in meta, "keep_output" in meta.get("tags", [])
    if by_meta and by_tag and not meta["keep_output"]:
        raise ValueError("cell metadata contradicts tags: `keep_output` is false, "
                         "but `keep_output` in tags")
    if by_meta or by_tag:
        return bool(meta.get("keep_output", False)) or by_tag
    return default


def strip(nb: dict[str, Any]) -> dict[str, Any]:
    """Strip a notebook (a dict as read from JSON) in place, as nbstripout does by default.

    Examples
    --------
    >>> nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {"widgets": {}},
    ...       "cells": [{"cell_type": "code", "id": "ab12", "execution_count": 3,
    ...                  "metadata": {"scrolled": True}, "source": "1 + 1",
    ...                  "outputs": [{"output_type": "stream", "text": "2"}]}]}
    >>> cell = strip(nb)["cells"][0]
    >>> cell["id"], cell["execution_count"], cell["metadata"], cell["outputs"]
    ('0', None, {}, [])
    >>> nb["metadata"]
    {}
    """
    meta = nb.setdefault("metadata", {})
    # nbformat's reader: rejoin split lines, drop transient values
    for key in ("orig_nbformat", "orig_nbformat_minor", "signature"):
        meta.pop(key, None)
    for cell in nb.get("cells", []):
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
        for att in cell.get("attachments", {}).values():
            _join(att)
        if cell.get("cell_type") == "code":
            for out in cell.get("outputs", []):
                if out.get("output_type") in {"execute_result", "display_data"}:
                    _join(out.get("data", {}))
                elif out.get("output_type") and isinstance(out.get("text", ""), list):
                    out["text"] = "".join(out["text"])
        cell.setdefault("metadata", {}).pop("trusted", None)
    # nbstripout's strip_output with its defaults
    keep = bool(meta["keep_output"]) if "keep_output" in meta else False
    for key in NB_KEYS:
        meta.pop(key, None)
    for i, cell in enumerate(nb.get("cells", [])):
        if "outputs" in cell:
            if not _keep_output(cell, keep):
                cell["outputs"] = []
            for out in cell["outputs"]:
                if "execution_count" in out:
                    out["execution_count"] = None
        if "prompt_number" in cell:
            cell["prompt_number"] = None
        if "execution_count" in cell:
            cell["execution_count"] = None
        if "id" in cell:
            cell["id"] = str(i)
        if isinstance(cell.get("metadata"), dict):
            for key in CELL_META_KEYS:
                cell["metadata"].pop(key, None)
    return nb


def dumps(nb: dict[str, Any]) -> str:
    """The notebook as nbformat writes it (lines split, sorted keys, indent 1, final newline)."""
    for cell in nb.get("cells", []):
        if isinstance(cell.get("source"), str):
            cell["source"] = cell["source"].splitlines(True)
        for att in cell.get("attachments", {}).values():
            _split(att)
        if cell.get("cell_type") == "code":
            for out in cell.get("outputs", []):
                if out.get("output_type") in {"execute_result", "display_data"}:
                    _split(out.get("data", {}))
                elif out.get("output_type") == "stream" and isinstance(out.get("text"), str):
                    out["text"] = out["text"].splitlines(True)
    meta = nb.get("metadata", {})
    for key in ("orig_nbformat", "orig_nbformat_minor", "signature"):
        meta.pop(key, None)
    for cell in nb.get("cells", []):
        cell.get("metadata", {}).pop("trusted", None)
    s = json.dumps(nb, indent=1, sort_keys=True, separators=(",", ": "), ensure_ascii=False)
    return s if s.endswith("\n") else s + "\n"


def clean(data: bytes) -> bytes:
    """The filter itself: a notebook's bytes in, the stripped notebook's bytes out."""
    nb = json.loads(data.decode("utf-8"))
    if not isinstance(nb, dict) or nb.get("nbformat") != 4:
        raise ValueError("not an nbformat 4 notebook")
    return dumps(strip(nb)).encode("utf-8")


def _clean_any(data: bytes) -> bytes:
    try:
        return clean(data)
    except ValueError:  # not a v4 notebook (or not JSON): let nbstripout decide
        import subprocess

        return subprocess.run([sys.executable, "-m", "nbstripout"], input=data,
                              capture_output=True, check=True).stdout


# --- git's long-running filter protocol (gitattributes(5), "Long Running Filter Process") -----

_FLUSH = b"0000"
_MAX = 65516


def _read_pkt(f: Any) -> bytes | None:
    """One pkt-line's payload; None for a flush packet."""
    head = f.read(4)
    if len(head) < 4:
        raise EOFError
    n = int(head, 16)
    return None if n == 0 else f.read(n - 4)


def _read_list(f: Any) -> list[bytes]:
    out = []
    while (pkt := _read_pkt(f)) is not None:
        out.append(pkt)
    return out


def _write_pkt(f: Any, payload: bytes) -> None:
    f.write(b"%04x" % (len(payload) + 4) + payload)


def _write_text(f: Any, *lines: str) -> None:
    for line in lines:
        _write_pkt(f, line.encode() + b"\n")
    f.write(_FLUSH)


def serve(fin: Any, fout: Any) -> None:
    """Answer git's clean (and pass-through smudge) requests until git closes the pipe."""
    hello = [x.strip() for x in _read_list(fin)]
    if b"git-filter-client" not in hello or b"version=2" not in hello:
        raise SystemExit("nbstrip: unexpected handshake from git")
    _write_text(fout, "git-filter-server", "version=2")
    fout.flush()
    _read_list(fin)  # git's capabilities
    _write_text(fout, "capability=clean", "capability=smudge")
    fout.flush()
    while True:
        try:
            header = dict(x.strip().split(b"=", 1) for x in _read_list(fin))
        except EOFError:
            return
        data = b"".join(_read_list(fin))
        try:
            out = _clean_any(data) if header.get(b"command") == b"clean" else data
        except Exception:  # noqa: BLE001 - git reports the failed path itself
            _write_text(fout, "status=error")
            fout.flush()
            continue
        _write_text(fout, "status=success")
        for i in range(0, len(out), _MAX):
            _write_pkt(fout, out[i:i + _MAX])
        fout.write(_FLUSH)
        fout.write(_FLUSH)  # keep the status
        fout.flush()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--process"]:
        serve(sys.stdin.buffer, sys.stdout.buffer)
        return 0
    sys.stdout.buffer.write(_clean_any(sys.stdin.buffer.read()))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
