"""Loading shipped data: the project's ``data/`` folder, schema checks and checksums.

Every input a notebook reads goes through :func:`read_csv` (or :func:`path`
plus :func:`log_input`), which records the file and its SHA-256 so that the
run's manifest lists exactly what the figures were computed from.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from hwb.errors import DataError
from hwb.protocol import INPUT_MIME

ENV_ROOT = "HWB_ROOT"


def project_root() -> Path:
    """The project directory: ``$HWB_ROOT``, else the first parent of the cwd holding ``data/``
    and ``pyproject.toml``, else the source checkout this package was installed from."""
    env = os.environ.get(ENV_ROOT)
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for d in (here, *here.parents):
        if (d / "data").is_dir() and (d / "pyproject.toml").is_file():
            return d
    src = Path(__file__).resolve().parents[3]  # lib/hwb/sources/data.py -> project root
    if (src / "data").is_dir():
        return src
    raise DataError(str(here), "cannot find the project's data/ folder; set HWB_ROOT")


def path(relative: str | Path) -> Path:
    """Absolute path of a file under the project's ``data/`` folder (must exist)."""
    p = project_root() / "data" / relative
    if not p.exists():
        raise DataError(f"data/{relative}", "file not found")
    return p


@lru_cache(maxsize=256)
def _sha(p: str, mtime_ns: int, size: int) -> str:
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sha256(p: str | Path) -> str:
    """SHA-256 of a file (cached on path, modification time in nanoseconds and size)."""
    st = os.stat(p)
    return _sha(str(p), st.st_mtime_ns, st.st_size)


def relative_name(p: str | Path) -> str:
    """A path as messages and manifests name it: relative to the project root where it is
    inside the project, else absolute."""
    p = Path(p).resolve()
    try:
        return p.relative_to(project_root()).as_posix()
    except (ValueError, DataError):
        return p.as_posix()


_inputs: dict[str, str] = {}
_capturing: list[dict[str, tuple[str, str]]] = []
"""The files logged inside each :func:`cached_input` call now running, innermost last: path
to (name, SHA-256)."""


def log_input(p: str | Path) -> str:
    """Record that the current run read ``p``; publish it for the manifest; return its SHA-256."""
    digest = sha256(p)
    name = relative_name(p)
    for files in _capturing:
        files[str(p)] = (name, digest)
    if _inputs.get(name) != digest:
        _inputs[name] = digest
        try:
            from IPython import get_ipython
            from IPython.display import publish_display_data

            if get_ipython() is not None:
                publish_display_data(
                    {INPUT_MIME: {"path": name, "sha256": digest}, "text/plain": ""},
                    metadata={"hwb": "input"},
                )
        except ImportError:  # pragma: no cover
            pass
    return digest


def reset_inputs() -> None:
    """Forget the inputs logged so far: a new run starts (the IPython extension calls this)."""
    _inputs.clear()


F = TypeVar("F", bound=Callable[..., Any])


def _stamp(p: str) -> tuple[int, int] | None:
    try:
        st = os.stat(p)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def cached_input(maxsize: int = 8) -> Callable[[F], F]:
    """Keep a loader's results for the process, and log its files on every call.

    The cache of a function that reads shipped data: the result is kept per arguments
    (the ``maxsize`` most recent), together with the files the call logged through
    :func:`log_input` (directly or in loaders it called) and each file's modification
    time and size. A later call with the same arguments logs those files again, in the
    order first read, so that every run's manifest lists what its figures came from even
    when another run in the same process (a national batch's kept kernel, or the warm
    server's zygote) read the file first; a file that has changed since is read afresh.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = f.write_text("a\\n1\\n")
    >>> calls = []
    >>> @cached_input(maxsize=2)
    ... def load(p):
    ...     calls.append(p)
    ...     log_input(p)
    ...     return p.read_text()
    >>> reset_inputs(); load(f) == load(f), len(calls), list(_inputs) == [relative_name(f)]
    (True, 1, True)
    >>> reset_inputs(); _ = load(f); len(calls), list(_inputs) == [relative_name(f)]
    (1, True)
    """
    def decorate(fn: F) -> F:
        kept: OrderedDict[Any, tuple[Any, tuple[tuple[str, Any, str, str], ...]]] = OrderedDict()

        @wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            key = (args, tuple(sorted(kwargs.items())))
            hit = kept.get(key)
            if hit is not None and all(_stamp(p) == s for p, s, _, _ in hit[1]):
                kept.move_to_end(key)
                for p, _, name, digest in hit[1]:
                    if _inputs.get(name) != digest:
                        log_input(p)  # first in this run
                    else:  # logged already (the file is unchanged): only callers capturing
                        for files in _capturing:
                            files[p] = (name, digest)
                return hit[0]
            _capturing.append({})
            try:
                out = fn(*args, **kwargs)
            finally:
                files = _capturing.pop()
            kept[key] = (out, tuple((p, _stamp(p), *nd) for p, nd in files.items()))
            kept.move_to_end(key)
            while len(kept) > maxsize:
                kept.popitem(last=False)
            return out

        wrapper.cache_clear = kept.clear  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


# --- schemas -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One declared column of an input table.

    ``kind`` is ``"str"``, ``"int"``, ``"float"`` or ``"count"`` (a non-negative
    number that may be missing when ``nullable``).  ``allowed`` restricts values.
    """

    name: str
    kind: str = "str"
    nullable: bool = False
    allowed: frozenset[str] | None = None
    check: Callable[[Any], bool] | None = None
    rule: str = ""


@dataclass(frozen=True)
class Schema:
    """A table's declared columns, key and extra rules."""

    columns: Sequence[Column]
    key: Sequence[str] = ()
    extra_columns: bool = False
    na_values: Sequence[str] = ("-", "")
    row_checks: Sequence[tuple[str, Callable[[pd.DataFrame], pd.Series]]] = field(default=())


def read_csv(p: str | Path, schema: Schema | None = None, **kwargs: Any) -> pd.DataFrame:
    """Read a CSV input, log its checksum and validate it against ``schema``.

    Byte-order marks are removed; with a schema, thousands separators in number
    columns are accepted and ``"-"`` or blank mean missing (a documented
    coercion); anything else that breaks the schema raises :class:`DataError`
    naming file, row (as in a spreadsheet: the header is row 1) and column.
    """
    p = Path(p)
    name = relative_name(p)
    if not p.exists():
        raise DataError(name, "file not found")
    if not p.is_file():
        raise DataError(name, "expected a regular file (a CSV table), not a directory or device")
    log_input(p)
    opts: dict[str, Any] = {"encoding": "utf-8-sig"}
    if schema is not None:
        opts.update(dtype=str, keep_default_na=False)
    opts.update(kwargs)
    try:
        df = pd.read_csv(p, **opts)
    except UnicodeDecodeError as e:
        raise DataError(name, f"not UTF-8 text (byte {e.start}); save it as UTF-8 CSV") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise DataError(name, f"not a readable CSV: {' '.join(str(e).split())}") from None
    if not {"header", "names", "skiprows"} & set(kwargs):
        _check_header(p, name)
    if schema is None:
        return df
    return validate(df, schema, name)


def _check_header(p: Path, name: str) -> None:
    """A column named twice in the header (pandas would rename the second ``x.1``)."""
    import csv
    import gzip

    opener = gzip.open if str(p).endswith(".gz") else open
    with opener(p, "rt", encoding="utf-8-sig", newline="") as f:
        header = [c.strip() for c in next(csv.reader(f), [])]
    seen: set[str] = set()
    for c in header:
        if c in seen and c:
            raise DataError(name, "column named twice in the header", row=1, column=c)
        seen.add(c)


def validate(df: pd.DataFrame, schema: Schema, name: str) -> pd.DataFrame:
    """Check and coerce a table read as text against ``schema`` (see :func:`read_csv`).

    The columns as declared; each column's values (:func:`_column`); a key that is unique;
    the schema's row checks.  The first problem is one :class:`DataError` naming the file's
    row (the header is row 1), the column and the value.
    """
    df = df.rename(columns=lambda c: str(c).strip())
    _check_columns(df, schema, name)
    out = df.copy()
    for col in schema.columns:
        out[col.name] = _column(out[col.name], col, set(schema.na_values), name)
    if schema.key:
        dup = out.duplicated(list(schema.key), keep="first")
        if dup.any():
            i = _first(dup)
            key = ", ".join(f"{k}={out[k].iloc[i]!r}" for k in schema.key)
            raise DataError(name, f"duplicated key ({key})", row=i + 2)
    for rule, fn in schema.row_checks:
        ok = fn(out).fillna(True).astype(bool)
        if not ok.all():
            raise DataError(name, rule, row=_first(~ok) + 2)
    return out


def _first(mask: pd.Series) -> int:
    """Position of the first True."""
    return int(mask.to_numpy().nonzero()[0][0])


def _check_columns(df: pd.DataFrame, schema: Schema, name: str) -> None:
    """Every declared column is there; no other is, unless the schema allows extra columns."""
    declared = [c.name for c in schema.columns]
    missing = [c for c in declared if c not in df.columns]
    if missing:
        more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
        shown = ", ".join(declared) if len(declared) <= 6 else (
            ", ".join(declared[:5]) + f" … ({len(declared)} columns)")
        raise DataError(
            name, f"missing column(s) {missing[0]!r}{more}; expected {shown}", row=1,
            column=missing[0])
    extra = [c for c in df.columns if c not in declared]
    if extra and not schema.extra_columns:
        more = f" and {len(extra) - 1} more" if len(extra) > 1 else ""
        raise DataError(name, f"unexpected column(s) {extra[0]!r}{more}", row=1,
                        column=str(extra[0]))


def _column(values: pd.Series, col: Column, na: set[str], name: str) -> pd.Series:
    """One column checked and coerced: required values, numbers, allowed values, its check."""
    raw = values.astype(str).str.strip()
    missing_mask = raw.isin(na)
    if not col.nullable and missing_mask.any():
        i = _first(missing_mask)
        raise DataError(name, "a value is required", row=i + 2, column=col.name,
                        value=raw.iloc[i])
    if col.kind in ("int", "float", "count"):
        out = _numbers(raw, missing_mask, col, name)
    else:
        out = raw.where(~missing_mask, None)
    if col.allowed is not None:
        bad = out.notna() & ~out.astype(str).isin(col.allowed)
        if bad.any():
            i = _first(bad)
            raise DataError(
                name,
                f"unknown value; expected one of {', '.join(sorted(col.allowed))}"
                if len(col.allowed) <= 8
                else "unknown code",
                row=i + 2, column=col.name, value=out.iloc[i])
    if col.check is not None:
        rule_fn = col.check
        ok = out.map(lambda v, f=rule_fn: v is None or pd.isna(v) or f(v))
        if not ok.all():
            i = _first(~ok)
            raise DataError(name, col.rule or "value fails its check", row=i + 2,
                            column=col.name, value=out.iloc[i])
    return out


def _numbers(raw: pd.Series, missing_mask: pd.Series, col: Column, name: str) -> pd.Series:
    """A numeric column (thousands commas allowed): finite, whole for ``int`` and ``count``,
    not negative for ``count``; ``Int64`` when an integer column has missing values."""
    cleaned = raw.str.replace(",", "", regex=False).where(~missing_mask, None)
    nums = pd.to_numeric(cleaned, errors="coerce")
    limit = 2.0**53 if col.kind in ("int", "count") else float("inf")
    whole = col.kind in ("int", "count")
    for bad, rule in (
            (nums.isna() & ~missing_mask, f"expected a number ({col.kind})"),
            (nums.notna() & ~(nums.abs() < limit),
             f"expected a finite number ({col.kind}) below {limit:.3g}"),
            ((nums < 0) if col.kind == "count" else None, "counts cannot be negative"),
            ((nums.notna() & (nums != nums.round())) if whole else None,
             "expected a whole number")):
        if bad is not None and bad.any():
            i = _first(bad)
            raise DataError(name, rule, row=i + 2, column=col.name, value=raw.iloc[i])
    if whole:
        return nums.astype("Int64") if nums.isna().any() else nums.astype("int64")
    return nums.astype(float)
