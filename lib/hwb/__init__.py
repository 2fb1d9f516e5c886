"""hwb: reproducible analysis for English Health and Wellbeing Boards."""

from __future__ import annotations

from typing import Any

__all__ = ["__version__"]


def __getattr__(name: str) -> Any:
    """``hwb.__version__``, looked up on first use (importlib.metadata is slow to import, and
    the ``hwb run`` client, which hands its work to the warm server, never needs it)."""
    if name != "__version__":
        raise AttributeError(f"module 'hwb' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("hwb")
    except PackageNotFoundError:  # pragma: no cover - a source tree without install
        value = "0+unknown"
    globals()["__version__"] = value
    return value
