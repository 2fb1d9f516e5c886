"""The paper registry: papers are plugins declared by the ``hwb.papers`` entry point.

A paper is one :class:`Paper` object.  Built-in papers are declared in this
project's ``pyproject.toml``; a third party adds one with its own package and
entry point.  The core never imports a paper by name.
"""

from __future__ import annotations

import functools
from importlib.metadata import EntryPoint, entry_points

from hwb.errors import HwbError, PaperNotFound
from hwb.protocol import BUILTIN_ROOT, Paper

GROUP = "hwb.papers"

__all__ = ["BUILTIN_ROOT", "GROUP", "Paper", "get", "names", "papers"]


@functools.cache
def _declared() -> tuple[EntryPoint, ...]:
    """The ``hwb.papers`` entry points, read once per process (reading every installed
    package's metadata costs about 10 ms; the warm server, whose children inherit this,
    restarts when a package is installed or removed: :func:`hwb.core.server.fingerprint`)."""
    return tuple(sorted(entry_points(group=GROUP), key=lambda e: e.name))


def _load(ep: EntryPoint) -> Paper:
    try:
        obj = ep.load()
    except Exception as e:  # a broken plugin is the plugin's bug; say whose
        raise HwbError(
            f"paper plugin '{ep.name}' ({ep.value}) failed to load: {type(e).__name__}: {e}"
        ) from e
    if callable(obj) and not isinstance(obj, Paper):
        obj = obj()
    if not isinstance(obj, Paper):
        raise HwbError(f"paper plugin '{ep.name}' ({ep.value}) is not a hwb.plugin.Paper")
    if obj.name != ep.name:
        raise HwbError(f"paper plugin '{ep.name}' names itself '{obj.name}'; they must agree")
    return obj


def names() -> list[str]:
    """Names of the installed papers, without loading them."""
    return sorted({ep.name for ep in _declared()})


def papers() -> dict[str, Paper]:
    """All installed papers by name, sorted (a plugin that fails to load is an error)."""
    return {ep.name: _load(ep) for ep in _declared()}


def get(name: str) -> Paper:
    """The installed paper called ``name`` (only that plugin is loaded).

    An unknown name is an error that lists the installed ones.
    """
    eps = [ep for ep in _declared() if ep.name == name]
    if not eps:
        raise PaperNotFound(
            f"unknown paper '{name}'; installed papers: {', '.join(names()) or 'none'}"
        )
    return _load(eps[0])
