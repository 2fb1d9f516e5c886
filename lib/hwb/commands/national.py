"""National runs: a paper's appendix for every Health and Wellbeing Board, then a summary.

``hwb national dtoc --month 2017-11`` does three things:

1. **Parameters.**  From the paper's template parameter file
   (:data:`TEMPLATES`) it writes one file per English upper-tier local
   authority that has data for the month, under
   ``outputs/national/params/<paper>/`` (generated, never committed): the area
   fields replaced, ``board: ""`` (no printed figures to check), the board
   named "<Area> Health and Wellbeing Board", and the month's windows moved to
   the chosen month (:func:`board_params`).
2. **Runs.**  It runs them with :func:`hwb.core.batch.run_batch` into
   ``outputs/national/`` (so ``outputs/national/dtoc/<area>/<month>/``, apart
   from the board appendices under ``outputs/dtoc/``).
3. **Summary.**  It builds the national summary appendix (the ``national``
   paper: league table, funnel plot, falls context) into
   ``outputs/national/national/england/<month>/``, linking only to the
   appendices that exist, and writes ``outputs/national/index.html``.

``hwb national bcf|falls|equity [--period P]`` does the same for a paper whose
parameters are just an area code and a period (:func:`any_board_params`): every
upper-tier authority, with the paper's own coverage reasons, then that paper's
summary, the paper ``national-<paper>`` (:func:`summary_paper`), made from its
committed parameter file.

Which areas can have an appendix, and why the others cannot, is data
(:func:`coverage`), not a list typed here.
"""

from __future__ import annotations

import sys
import time
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hwb.errors import HwbError, ParameterError

if TYPE_CHECKING:  # the command line builds its parser from this module: keep its import light
    import pandas as pd



TEMPLATES: dict[str, str] = {
    "dtoc": "params/dtoc/leicestershire-2017-11.yaml",
}
"""The template parameter file of each paper that has national runs (from the project root).

Leicestershire's DTOC file is the template because its denominators are the
ONS mid-2019 estimates, which exist for every area (Rotherham's are the
populations printed in its own BCF template)."""

SUMMARY_TEMPLATE = "params/national/england-dtoc-2017-11.yaml"
"""The DTOC national summary's committed parameter file (its month is replaced)."""


def summary_paper(paper: str) -> str:
    """The name of a paper's national summary paper: ``national`` for DTOC (the first one),
    ``national-<paper>`` for every other.

    Examples
    --------
    >>> summary_paper("dtoc"), summary_paper("falls")
    ('national', 'national-falls')
    """
    return "national" if paper == "dtoc" else f"national-{paper}"


def summary_template(paper: str) -> Path | None:
    """The committed parameter file a paper's national summary is made from: DTOC's
    :data:`SUMMARY_TEMPLATE`, else the first parameter file of the registered paper
    :func:`summary_paper` names (``None`` when no such paper is installed: the national run
    then builds the boards and their coverage only)."""
    from hwb.core.registry import get, names

    if paper == "dtoc":
        return template_path(SUMMARY_TEMPLATE)
    name = summary_paper(paper)
    if name not in names():
        return None
    files = get(name).params_files()
    return files[0] if files else None

EVERY_PAPER = ("dtoc", "bcf", "falls", "equity")
"""What ``hwb national all`` builds, in this order: DTOC for ``--month``, each other paper for
its default period (that of its first committed parameter file)."""

NATIONAL_DIR = "national"
"""National runs go under ``<outputs>/national/``."""



# --- months ------------------------------------------------------------------------------------


def template_path(relative: str) -> Path:
    """A template parameter file of the built-in papers, as a path.

    Examples
    --------
    >>> template_path(TEMPLATES["dtoc"]).is_file()
    True
    """
    from hwb.core.registry import BUILTIN_ROOT

    return BUILTIN_ROOT / relative


def shift_month(month: str, months: int) -> str:
    """The month ``months`` after (or before, when negative) ``month``.

    Examples
    --------
    >>> shift_month("2017-11", -22), shift_month("2017-11", 13)
    ('2016-01', '2018-12')
    """
    y, m = int(month[:4]), int(month[5:7])
    k = y * 12 + (m - 1) + months
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def months_between(start: str, end: str) -> int:
    """Whole months from ``start`` to ``end`` (negative when ``end`` is earlier).

    Examples
    --------
    >>> months_between("2017-11", "2016-01"), months_between("2017-11", "2018-12")
    (-22, 13)
    """
    return (int(end[:4]) - int(start[:4])) * 12 + int(end[5:7]) - int(start[5:7])


def _fy_start(fy: str) -> int:
    return int(fy[:4])


def _fy(start: int) -> str:
    return f"{start}/{(start + 1) % 100:02d}"


# --- the DTOC series: which areas have data -----------------------------------------------------


@lru_cache(maxsize=1)
def _series() -> pd.DataFrame:
    from hwb.sources import dtoc

    return dtoc.load_series()


def coverage(month: str, series: pd.DataFrame | None = None,
             populations: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every English upper-tier authority for a month: can it have an appendix, and if not, why.

    The command's check of ``month`` (a one-line error naming the command line), then
    :func:`hwb.papers.national.compute.coverage`, the one copy of the rule (the national
    appendix shows the same table).

    Examples
    --------
    >>> c = coverage("2017-11")
    >>> int(c["ok"].sum()), sorted(c.loc[~c["ok"], "area_code"])
    (150, ['E06000053', 'E06000058', 'E06000059', 'E09000001'])
    """
    from hwb.papers.national.compute import coverage as series_coverage

    check = _month_or_error(month)
    return series_coverage(check, series if series is not None else _series(), populations)


def _month_or_error(month: str) -> str:
    from hwb.core.params import ParamProblem
    from hwb.sources.dtoc import check_month

    try:
        check_month(month)
    except ParamProblem as e:
        raise ParameterError("command line", "month", month, e.expected) from None
    return month


# --- parameter files ----------------------------------------------------------------------------


def read_template(path: Path) -> dict[str, Any]:
    """A template parameter file as a mapping (dates kept as ISO text).

    Raises
    ------
    ParameterError
        The file is missing or is not a YAML mapping.
    """
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ParameterError(str(path), None, None, "an existing template parameters file") \
            from None
    if not isinstance(data, dict):
        raise ParameterError(str(path), None, data, "a YAML mapping of key: value")
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


def board_params(template: dict[str, Any], area_code: str, area_name: str,
                 month: str) -> dict[str, Any]:
    """A board's DTOC parameters for ``month``, from the template.

    The area fields are replaced, ``board`` is blank (no printed figures), the
    meeting fields are cleared, and the month and its windows move to
    ``month``: the trend and the quarterly table keep the template's span
    around its month, clipped to the series.  The England comparison between
    two months (a letter quoted by one board) is dropped.

    Examples
    --------
    >>> t = {"area_code": "E10000018", "area_name": "Leicestershire", "period": "2017-11",
    ...      "board": "leicestershire-2018-01-25", "board_name": "x", "meeting_date": "2018-01-25",
    ...      "agenda_item": "10", "paper_title": "Delayed Transfers of Care Performance",
    ...      "ask": "receive", "month": "2017-11", "trend_start": "2016-01",
    ...      "trend_end": "2018-12", "quarters_from": "2016/17", "quarters_to": "2017/18",
    ...      "population_basis": "ons_mye_2019", "gap_period": "2017-11",
    ...      "national_from": "2017-02", "national_to": "2017-09"}
    >>> p = board_params(t, "E08000035", "Leeds", "2012-02")
    >>> p["board_name"], p["board"], p["trend_start"], p["trend_end"]
    ('Leeds Health and Wellbeing Board', '', '2011-04', '2013-03')
    >>> p["quarters_from"], p["quarters_to"], p["gap_period"], p["national_from"]
    ('2011/12', '2011/12', '2012-02', '')
    """
    from hwb.sources import dtoc

    t = dict(template)
    base = str(t.get("month", month))
    lo = months_between(base, str(t.get("trend_start", base)))
    hi = months_between(base, str(t.get("trend_end", base)))
    start = max(dtoc.FIRST_MONTH, min(dtoc.LAST_MONTH, shift_month(month, lo)))
    end = max(dtoc.FIRST_MONTH, min(dtoc.LAST_MONTH, shift_month(month, hi)))
    fy_base = _fy_start(dtoc.financial_year(base))
    fy_month = _fy_start(dtoc.financial_year(month))
    first_fy, last_fy = _fy_start(dtoc.financial_year(dtoc.FIRST_MONTH)), \
        _fy_start(dtoc.financial_year(dtoc.LAST_MONTH))
    q_from = fy_month + _fy_start(str(t.get("quarters_from", _fy(fy_base)))) - fy_base
    q_to = fy_month + _fy_start(str(t.get("quarters_to", _fy(fy_base)))) - fy_base
    q_from, q_to = max(first_fy, q_from), min(last_fy, q_to)
    t.update({
        "area_code": area_code,
        "area_name": area_name,
        "period": month,
        "board": "",
        "board_name": f"{area_name} Health and Wellbeing Board",
        "meeting_date": None,
        "agenda_item": "",
        "ask": "note",
        "month": month,
        "trend_start": start,
        "trend_end": end,
        "quarters_from": _fy(q_from),
        "quarters_to": _fy(max(q_from, q_to)),
        "gap_period": month,
        "population_basis": "ons_by_year",
        "national_from": "",
        "national_to": "",
    })
    return t


def params_dir(outputs: Path, paper: str) -> Path:
    """``<outputs>/national/params/<paper>/``: where generated parameter files go."""
    return Path(outputs) / NATIONAL_DIR / "params" / paper


def write_board_params(paper: str, month: str, outputs: Path,
                       limit: int | None = None) -> tuple[list[Path], pd.DataFrame]:
    """Write a parameter file for every area that can have an appendix for ``month``.

    Parameters
    ----------
    paper : str
        A paper with a template in :data:`TEMPLATES`.
    month : str
        ``YYYY-MM``.
    outputs : Path
        The outputs folder (files go under ``national/params/<paper>/``).
    limit : int, optional
        Only the first ``limit`` areas in area-code order (a quick run).

    Returns
    -------
    (list of Path, DataFrame)
        The files written, in area-code order, and :func:`coverage` for the month.
    """
    import yaml

    from hwb.core.params import slugify

    if paper not in TEMPLATES:
        raise HwbError(f"no national run for paper '{paper}'; national runs exist for: "
                       f"{', '.join(sorted(TEMPLATES))}")
    if limit is not None and limit < 1:
        raise ParameterError("command line", "limit", limit, "a whole number of boards, 1 or more")
    cov = coverage(month)
    template = read_template(template_path(TEMPLATES[paper]))
    out = params_dir(outputs, paper)
    out.mkdir(parents=True, exist_ok=True)
    chosen = cov[cov["ok"]]
    if limit is not None:
        chosen = chosen.head(limit)
    files = []
    for _, r in chosen.iterrows():
        p = board_params(template, str(r["area_code"]), str(r["area_name"]), month)
        f = out / f"{slugify(str(r['area_name']))}-{month}.yaml"
        text = (f"# generated by hwb national {paper} --month {month} from "
                f"{TEMPLATES[paper]}; not committed\n"
                + yaml.safe_dump(p, sort_keys=False, allow_unicode=True))
        if not f.exists() or f.read_text(encoding="utf-8") != text:
            f.write_text(text, encoding="utf-8")
        files.append(f)
    return files, cov


# --- the other papers: any board from an area code and a period ---------------------------------


def default_period(paper: str) -> str:
    """The period of a paper's first committed parameter file, as its model reads it (a file
    may leave the period to be derived, as the equity paper's derives it from the IMD
    edition); '' when the paper has no parameter file.

    Examples
    --------
    >>> default_period("equity"), default_period("falls")
    ('2019', '2012/13-2015/16')
    """
    from hwb.core.params import load_params
    from hwb.core.registry import get

    files = get(paper).params_files()
    return str(load_params(files[0], get(paper).params_model).period or "") if files else ""


def any_board_params(paper: str, area_code: str, period: str) -> dict[str, Any]:
    """A paper's parameters for any board: just ``area_code`` and ``period`` (or the code alone
    when ``period`` is blank), if its model takes them (the rest from the code and the paper's
    defaults); else a one-line error saying so.

    A paper is runnable for every board when its parameter model accepts a mapping of only
    these two keys (the falls paper does); the command then needs nothing particular to it.

    Raises
    ------
    HwbError
        The paper's model needs more than an area code and a period (not yet runnable for
        every board), naming the first missing or refused field.

    Examples
    --------
    >>> any_board_params("falls", "E08000035", "2012/13-2015/16")
    {'area_code': 'E08000035', 'period': '2012/13-2015/16'}
    """
    from pydantic import ValidationError

    from hwb.core.registry import get

    values = {"area_code": area_code, **({"period": period} if period else {})}
    try:
        get(paper).params_model.model_validate(values)
    except ValidationError as e:
        first = e.errors()[0]
        field = ".".join(str(x) for x in first.get("loc", ())) or "?"
        raise HwbError(f"paper '{paper}' is not yet runnable for every board: its parameters "
                       f"need more than an area code and a period ({field}: "
                       f"{first.get('msg', 'refused')}); national runs exist for dtoc and any "
                       "paper whose parameters are just those two") from None
    return values


def paper_coverage(paper: str, period: str) -> pd.DataFrame:
    """Every upper-tier authority (April 2019 codes) for a paper other than DTOC, with the
    paper's own reason where it has a ``coverage(area_codes, period)`` function.

    Returns
    -------
    DataFrame
        ``area_code, area_name, ok, reason``, as :func:`coverage`: ``ok`` says the board gets
        an appendix with data; a board the paper's data do not cover still gets one (saying
        so) when the paper builds for it, and its reason is kept for the summary.
    """
    import importlib

    import pandas as pd

    from hwb.sources import population_by_year as pby

    t = pby.population_table(2019)
    codes = [str(c) for c in t["area_code"]]
    names = dict(zip(t["area_code"], t["area_name"], strict=True))
    module = next((m for m in (f"hwb.papers.{paper}", f"hwb.papers.{paper}.board")
                   if hasattr(_try_import(importlib, m), "coverage")), None)
    if module is None:
        return pd.DataFrame({"area_code": codes, "area_name": [names[c] for c in codes],
                             "ok": True, "reason": ""})
    cov = importlib.import_module(module).coverage(codes, period)
    cov = cov.rename(columns={"covered": "ok"})
    cov["area_name"] = [n or names[c] for c, n in zip(cov["area_code"], cov["area_name"],
                                                      strict=True)]
    return cov[["area_code", "area_name", "ok", "reason"]]


def _try_import(importlib: Any, name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def write_any_board_params(paper: str, period: str, outputs: Path, limit: int | None = None
                           ) -> tuple[list[Path], pd.DataFrame]:
    """A parameter file per board for a paper runnable for any board (see
    :func:`any_board_params`): every upper-tier authority, covered by the data or not."""
    import yaml

    from hwb.core.params import slugify

    if limit is not None and limit < 1:
        raise ParameterError("command line", "limit", limit, "a whole number of boards, 1 or more")
    cov = paper_coverage(paper, period)
    out = params_dir(outputs, paper)
    out.mkdir(parents=True, exist_ok=True)
    chosen = cov if limit is None else cov.head(limit)
    files = []
    for _, r in chosen.iterrows():
        p = any_board_params(paper, str(r["area_code"]), period)
        f = out / f"{slugify(str(r['area_name']))}-{slugify(period)}.yaml"
        text = (f"# generated by hwb national {paper} --period {period}; not committed\n"
                + yaml.safe_dump(p, sort_keys=False, allow_unicode=True))
        if not f.exists() or f.read_text(encoding="utf-8") != text:
            f.write_text(text, encoding="utf-8")
        files.append(f)
    return files, cov


def write_summary_params(month: str, outputs: Path, linked: list[str],
                         paper: str = "dtoc") -> Path:
    """A paper's national summary parameter file for ``month`` (a period for papers other than
    DTOC; blank keeps the template's), linking to the ``linked`` areas.

    The links are relative to ``<outputs>/national/<summary paper>/england/<period>/``: three
    folders up is ``<outputs>/national/``, where the boards' appendices are, under
    ``<paper>/``.
    """
    import yaml

    from hwb.core.params import slugify

    source = summary_template(paper)
    if source is None:
        raise HwbError(f"paper '{paper}' has no national summary paper "
                       f"('{summary_paper(paper)}' is not installed)")
    t = read_template(source)
    if month:
        t["period"] = month
    if paper == "dtoc":
        t["month"] = month
    t.update({"appendix_links": f"../../../{paper}", "linked": sorted(linked)})
    out = params_dir(outputs, summary_paper(paper))
    out.mkdir(parents=True, exist_ok=True)
    what = f"--month {month}" if paper == "dtoc" else f"--period {month}" if month else ""
    f = out / f"england-{paper}-{slugify(month or str(t.get('period') or 'default'))}.yaml"
    try:
        shown = source.relative_to(template_path("."))
    except ValueError:
        shown = Path(source.name)
    text = (f"# generated by hwb national {paper} {what} from {shown.as_posix()}; "
            "not committed\n" + yaml.safe_dump(t, sort_keys=False, allow_unicode=True))
    if not f.exists() or f.read_text(encoding="utf-8") != text:
        f.write_text(text, encoding="utf-8")
    return f


# --- the command --------------------------------------------------------------------------------


def write_coverage(cov: pd.DataFrame, paper: str, month: str, outputs: Path) -> Path:
    """``<outputs>/national/coverage/<paper>-<month>.csv``: every area, covered or not, and why.

    Columns ``area_code, area_name, covered, reason`` (the rows of :func:`coverage`), written
    atomically; the national summary and the index can cite it.
    """
    from hwb.core.runner import write_atomic

    folder = Path(outputs) / NATIONAL_DIR / "coverage"
    folder.mkdir(parents=True, exist_ok=True)
    from hwb.core.params import slugify

    target = folder / f"{paper}-{slugify(month or 'default')}.csv"
    table = cov[["area_code", "area_name", "ok", "reason"]].rename(columns={"ok": "covered"})
    write_atomic(target, table.to_csv(index=False).encode("utf-8"))
    return target


def coverage_sentence(cov: pd.DataFrame, month: str) -> str:
    """How many boards a month covers and why any are not, in one sentence.

    Examples
    --------
    >>> import pandas as pd
    >>> cov = pd.DataFrame({"area_code": ["E1", "E2", "E3"], "area_name": ["A", "B", "C"],
    ...                     "ok": [True, False, False], "reason": ["", "x", "x"]})
    >>> coverage_sentence(cov, "2017-11")
    '2017-11: 1 board covered; 2 areas not: B, C (x).'
    """
    ok = int(cov["ok"].sum())
    out = cov[~cov["ok"]]
    parts = [f"{', '.join(g['area_name'])} ({reason})"
             for reason, g in out.groupby("reason", sort=False)]
    return (f"{month}: {ok} board{'s' if ok != 1 else ''} covered"
            + (f"; {len(out)} area{'s' if len(out) != 1 else ''} not: {'; '.join(parts)}."
               if len(out) else "."))


class CpuMeter:
    """CPU seconds (user + system) of this process and every descendant while it runs.

    The kernels are forked by each worker's zygote and are not waited for by this
    process, so ``getrusage`` misses them: the meter samples the process tree
    (``psutil``) every ``interval`` seconds and keeps each process's last reading, so a
    process that lived less than one interval may be missed (a kernel lives for a whole
    national run, a worker for all its boards).
    """

    def __init__(self, interval: float = 0.25) -> None:
        import threading

        self.interval = interval
        self.seen: dict[tuple[int, float], float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        for p in [me, *me.children(recursive=True)]:
            try:
                t = p.cpu_times()
                self.seen[(p.pid, p.create_time())] = t.user + t.system
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> CpuMeter:
        self._sample()
        self.start = sum(self.seen.values())
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    @property
    def seconds(self) -> float:
        """CPU seconds used since the meter started."""
        return sum(self.seen.values()) - self.start


def main_national(paper: str, month: str, outputs: Path, limit: int | None = None,
                  workers: int | None = None, force: bool = False, pdf: bool = False,
                  to: str | None = None, scheduler: str | None = None,
                  summary: bool = True) -> int:
    """``hwb national <paper> --month YYYY-MM``: every board's appendix, then the summary.

    Parameters
    ----------
    paper : str
        ``dtoc``, or a paper runnable for any board from its area code and period
        (:func:`any_board_params`), or ``all`` (:data:`EVERY_PAPER`, one after another; the
        worst exit status).
    month : str
        DTOC: ``YYYY-MM``, April 2011 to December 2019; another paper: its period (blank:
        that of its first parameter file).
    outputs : Path
        The outputs folder; everything goes under ``<outputs>/national/``.
    limit : int, optional
        Build only the first ``limit`` boards (by area code), for a quick run.
    workers : int, optional
        Worker processes (default: the number of cores).
    force : bool
        Rebuild even when the cache says a run is up to date.
    pdf : bool
        Print each board's appendix to PDF too (off by default: the PDF doubles a board's
        cost and the HTML appendix is the record).
    to : str, optional
        Last month of a back-series: every board for every month from ``month`` to ``to``,
        in one batch (so a cluster is kept busy), then each month's summary.
    scheduler : str, optional
        A Dask scheduler's address (``tcp://host:port``): the runs go to its workers and
        their files come back here (see docs/cluster.md).
    summary : bool
        Build each month's national summary (``--no-summary``: the boards only), the paper
        :func:`summary_paper` names, when it is installed.

    Returns
    -------
    int
        0 when every run was built or cached, 1 when any failed.
    """
    if paper == "all":
        if to is not None:
            raise ParameterError("command line", "to", to, "no --to with 'all' (a back-series "
                                 "is DTOC's: hwb national dtoc --month M --to M2)")
        return max(main_national(p, month if p == "dtoc" else "", outputs, limit, workers,
                                 force, pdf, None, scheduler, summary) for p in EVERY_PAPER)
    with CpuMeter() as meter:
        return _national(paper, month, outputs, limit, workers, force, pdf, meter, to=to,
                         scheduler=scheduler, summary=summary)


def _national(paper: str, month: str, outputs: Path, limit: int | None, workers: int | None,
              force: bool, pdf: bool, meter: CpuMeter, to: str | None = None,
              scheduler: str | None = None, summary: bool = True) -> int:
    import os

    import yaml

    from hwb.core.batch import run_batch
    from hwb.core.index import write_index
    from hwb.core.runner import Task

    t0 = time.perf_counter()
    if not pdf:
        os.environ["HWB_NO_PDF"] = "1"
    root = Path(outputs) / NATIONAL_DIR
    if paper not in TEMPLATES:  # any board from an area code and a period, or a clear no
        period = month or default_period(paper)
        any_board_params(paper, "E08000035", period)  # runnable for every board, or say why not
        months = [period]
        if summary and summary_template(paper) is None:
            print(f"no national summary for {paper}: '{summary_paper(paper)}' is not installed; "
                  "the boards and their coverage only", file=sys.stderr)
            summary = False
    else:
        months = month_span(month, to)
    plan = []  # (month, files, coverage, coverage file)
    for m in months:
        files, cov = (write_board_params(paper, m, Path(outputs), limit) if paper in TEMPLATES
                      else write_any_board_params(paper, m, Path(outputs), limit))
        plan.append((m, files, cov, write_coverage(cov, paper, m, Path(outputs))))
        what = "no appendix" if paper in TEMPLATES else "an appendix without the data"
        for _, r in cov[~cov["ok"]].iterrows():
            print(f"{what} for {r['area_name']} ({r['area_code']}) in "
                  f"{m or 'its default period'}: {r['reason']}", file=sys.stderr)
    every = [f for _, files, _, _ in plan for f in files]
    tasks = [Task(paper, str(f), str(root), force, True) for f in every]
    # one kernel per worker, reset between boards: a kernel start costs more than a board
    results = run_batch(tasks, workers=workers, progress=sys.stderr.isatty(),
                        reuse_kernels=True, scheduler=scheduler)
    t_boards = time.perf_counter() - t0
    by_file = dict(zip(every, results, strict=True))
    summaries = []
    if summary:
        for m, files, _, _ in plan:
            built = [str(yaml.safe_load(f.read_text(encoding="utf-8"))["area_code"])
                     for f in files if by_file[f].status in ("built", "cached")]
            summaries.append(Task(summary_paper(paper),
                                  str(write_summary_params(m, Path(outputs), built, paper)),
                                  str(root), force, True))
    sres = run_batch(summaries, workers=workers, progress=False, scheduler=scheduler) \
        if summaries else []
    results = [*results, *sres]
    index = write_index(root)
    failed = [r for r in results if r.status == "failed"]
    for r in failed:
        print(f"FAILED {r.message}", file=sys.stderr)
    n_built = sum(r.status == "built" for r in results)
    n_cached = sum(r.status == "cached" for r in results)
    meter._sample()
    total, cpu = time.perf_counter() - t0, meter.seconds
    per = t_boards / len(every) if every else 0.0
    for m, _, cov, cov_file in plan:
        print(coverage_sentence(cov, m or f"{paper}, its default period")
              + f" (every area and reason: {cov_file})")
    span = (months[0] or "(its default period)") if len(months) == 1 else \
        f"{months[0]} to {months[-1]} ({len(months)} months)"
    where = (f"summary: {Path(sres[0].out_dir) / 'appendix.html' if sres[0].out_dir else 'failed'}"
             if len(sres) == 1 else f"{len(sres)} summaries")
    print(f"national {paper} {span}: {len(every)} board appendices, {n_built} built, "
          f"{n_cached} cached, {len(failed)} failed in {total:.1f} s wall, {cpu:.1f} CPU s "
          f"here (boards {t_boards:.1f} s, {per:.2f} s per board); {where}; index: {index}")
    return 1 if failed else 0


def month_span(first: str, last: str | None = None) -> list[str]:
    """Every month from ``first`` to ``last`` (just ``first`` when ``last`` is None).

    Examples
    --------
    >>> month_span("2018-11", "2019-02")
    ['2018-11', '2018-12', '2019-01', '2019-02']
    >>> month_span("2011-04")
    ['2011-04']
    """
    if last is None:
        return [first]
    _month_or_error(first)
    _month_or_error(last)
    if last < first:
        raise ParameterError("command line", "to", last, f"a month from {first} on")
    return [shift_month(first, k) for k in range(months_between(first, last) + 1)]


def add_arguments(parser: Any) -> None:
    """The options of ``hwb national`` (for :mod:`argparse`)."""
    parser.add_argument("paper", help="the paper to run for every board: dtoc, or any paper "
                        "whose parameters are just an area code and a period (bcf, falls, "
                        "equity), or all of them; then each one's national summary")
    parser.add_argument("--month", "--period", dest="month", default="",
                        help="dtoc: the month, YYYY-MM (April 2011 to December 2019); other "
                        "papers: their period (default: that of their first parameter file)")
    parser.add_argument("--limit", type=int, default=None,
                        help="build only the first N boards by area code (a quick run)")
    parser.add_argument("--outputs", type=Path, default=Path("outputs"),
                        help="the outputs folder (runs go under <outputs>/national/)")
    parser.add_argument("--workers", type=int, default=None,
                        help="worker processes (default: the number of cores)")
    parser.add_argument("--force", action="store_true", help="rebuild cached runs")
    parser.add_argument("--pdf", action="store_true",
                        help="print every board's appendix to PDF too (off by default)")
    parser.add_argument("--to", default=None, metavar="YYYY-MM",
                        help="last month of a back-series: every month from --month to this")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="run on a Dask cluster (tcp://host:port); files come back here")
    parser.add_argument("--no-summary", dest="summary", action="store_false",
                        help="build the boards' appendices only, no national summary")


def main(argv: list[str] | None = None) -> int:
    """``python -m hwb.commands.national dtoc --month 2017-11 [--limit N]``; errors are one line."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m hwb.commands.national",
                                     description="Every board's appendix for a month, then the "
                                     "national summary.")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return main_national(args.paper, args.month, args.outputs, args.limit, args.workers,
                             args.force, args.pdf, args.to, args.scheduler, args.summary)
    except HwbError as e:
        print(f"hwb national: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
