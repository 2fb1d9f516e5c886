"""The paper registry: papers are plugins declared by the ``hwb.papers`` entry point.

A paper is one :class:`Paper` object.  Built-in papers are declared in this
project's ``pyproject.toml``; a third party adds one with its own package and
entry point.  The core never imports a paper by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

from hwb.core.params import BoardParams
from hwb.errors import HwbError, PaperNotFound

GROUP = "hwb.papers"
BUILTIN_ROOT = Path(__file__).resolve().parents[3]
"""The source checkout holding the built-in papers' notebooks/, params/ and data/."""


@dataclass(frozen=True)
class Paper:
    """A board paper: its notebook, parameter model, parameter files and printed figures.

    Parameters
    ----------
    name : str
        Short name used on the command line and under ``outputs/``.
    title : str
        The paper's title for the index page.
    notebook : Path
        The narrative notebook (``.ipynb``, outputs stripped).
    params_model : type of BoardParams
        The frozen pydantic model its parameter files are parsed into.
    params_dir : Path
        Where its ``<area>-<period>.yaml`` files live.
    printed : Path, optional
        Its printed-figures CSV (see :data:`hwb.toolkit.figures.PRINTED_COLUMNS`).
    inputs : tuple of Path
        Data files its runs depend on (part of the cache key and the manifest).
    check : callable, optional
        Data-dependent parameter checks run before anything executes (an area
        code missing from the data, a period outside it): it raises
        :class:`hwb.core.params.ParamProblem`.
    warm : callable, optional
        Work every run repeats that a forked kernel can inherit (parsing a large
        shared input): called once in the zygote before it forks kernels.
    """

    name: str
    title: str
    notebook: Path
    params_model: type[BoardParams]
    params_dir: Path
    printed: Path | None = None
    inputs: tuple[Path, ...] = field(default=())
    description: str = ""
    check: Callable[[BoardParams], None] | None = None
    warm: Callable[[], None] | None = None

    def params_files(self) -> list[Path]:
        """Every configured parameter file, sorted."""
        if not self.params_dir.is_dir():
            return []
        return sorted(self.params_dir.glob("*.yaml"))


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
        raise HwbError(f"paper plugin '{ep.name}' ({ep.value}) is not a hwb.core.registry.Paper")
    if obj.name != ep.name:
        raise HwbError(f"paper plugin '{ep.name}' names itself '{obj.name}'; they must agree")
    return obj


def names() -> list[str]:
    """Names of the installed papers, without loading them."""
    return sorted({ep.name for ep in entry_points(group=GROUP)})


def papers() -> dict[str, Paper]:
    """All installed papers by name, sorted (a plugin that fails to load is an error)."""
    return {ep.name: _load(ep) for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name)}


def get(name: str) -> Paper:
    """The installed paper called ``name`` (only that plugin is loaded).

    An unknown name is an error that lists the installed ones.
    """
    eps = [ep for ep in entry_points(group=GROUP) if ep.name == name]
    if not eps:
        raise PaperNotFound(
            f"unknown paper '{name}'; installed papers: {', '.join(names()) or 'none'}"
        )
    return _load(eps[0])
