"""Generic consistency checks: how a computed figure stands against a printed one.

Every paper compares through these functions, so a difference is always found
and explained by code.  A comparison has one of three outcomes:

``reproduced``
    the computed value, rounded half-up to the printed number of decimals,
    equals the printed value;
``rounding``
    it does not, but lies within one unit of the last printed place (the
    printed figure was truncated, or computed from already-rounded inputs);
``differs``
    anything else, with a reason computed here: a named alternative that does
    reproduce the printed value (another denominator, the plan instead of the
    actual, a per-day instead of a per-period figure, ...) or the size of the
    difference.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from hwb.fmt import decimals_of, format_number, parse_number, round_half_up
from hwb.rounding import Comparison, sum_of_parts  # noqa: F401 - re-exported

REPRODUCED = "reproduced"
ROUNDING = "rounding"
DIFFERS = "differs"
NOT_COMPARED = "not compared"
NO_PRINTED = "no printed figure"

STATUSES = (REPRODUCED, ROUNDING, DIFFERS, NOT_COMPARED, NO_PRINTED)

_EPS = 1e-9


def _same(a: float, b: float, decimals: int) -> bool:
    return abs(a - b) <= 0.5 * 10.0 ** (-max(decimals, 0)) * 1e-6 + _EPS


def reproduces(value: float, printed: str | float, decimals: int | None = None) -> bool:
    """True when ``value`` rounded half-up to the printed decimals equals ``printed``.

    Examples
    --------
    >>> reproduces(678.0683, "678.1"), reproduces(8.004, "8.00"), reproduces(8.01, "8.0")
    (True, True, True)
    >>> reproduces(240.7, "240.03")
    False
    """
    p = parse_number(printed)
    d = decimals_of(str(printed)) if decimals is None else decimals
    return _same(round_half_up(value, d), p, d)


def compare(
    value: float,
    printed: str | float,
    *,
    decimals: int | None = None,
    alternatives: Mapping[str, float] | None = None,
    unit: str = "",
    count: bool = False,
    choice: str = "",
) -> Comparison:
    """Compare a computed value with the figure as printed.

    Parameters
    ----------
    value : float
        The value hwb computed from the inputs.
    printed : str or float
        The figure as printed (text keeps its decimals: ``"8.00"``).
    decimals : int, optional
        Printed decimals, when the printed text does not show them.
    alternatives : mapping of str to float, optional
        Other ways the paper might have computed the figure, by name.  When
        the value differs, the first alternative that reproduces the printed
        figure is given as the reason.
    unit : str
        Used only to word the reason.
    count : bool
        A whole-number count: one more or less than printed is a difference, not rounding.
    choice : str
        The project's own choice the computed value rests on (e.g. ``"mid-2019 population
        estimates for a 2017 rate"``).  When the print is not reproduced, the reason says the
        difference may come from that choice, and :attr:`Comparison.project_choice` holds it.

    Returns
    -------
    Comparison

    Examples
    --------
    >>> compare(1390, "1,390").status
    'reproduced'
    >>> compare(8.009, "8.00").status
    'rounding'
    >>> compare(4, "5", count=True).status
    'differs'
    >>> c = compare(7.74, "8.0", alternatives={"October": 8.04})
    >>> c.status, c.reason
    ('differs', 'printed 8.0 is reproduced by October (8.04), not by the computed 7.74')
    >>> c = compare(9.61, "9.4", choice="the mid-2019 adult population")
    >>> c.project_choice, c.reason.endswith("not evidence that the printed figure is wrong")
    ('the mid-2019 adult population', True)
    """
    c = _compare(value, printed, decimals=decimals, alternatives=alternatives, unit=unit,
                 count=count)
    if choice and c.status != REPRODUCED:
        return Comparison(c.status, c.reason + f"; this rests on the project's own choice of "
                          f"{choice}, so it is not evidence that the printed figure is wrong",
                          c.printed, c.decimals, c.difference, choice)
    return c


def _compare(
    value: float,
    printed: str | float,
    *,
    decimals: int | None,
    alternatives: Mapping[str, float] | None,
    unit: str,
    count: bool,
) -> Comparison:
    p = parse_number(printed)
    d = decimals_of(str(printed)) if decimals is None else decimals
    v = float(value)
    shown = _shown(v, d)
    if math.isnan(v):
        return Comparison(DIFFERS, "the computed value is undefined (NaN)", p, d, math.nan)
    diff = v - p
    rounded = round_half_up(v, d)
    if _same(rounded, p, d):
        return Comparison(REPRODUCED, f"computed {shown} rounds to the printed value", p, d, diff)
    # An alternative that reproduces the print exactly explains it better than rounding does.
    for name, alt in (alternatives or {}).items():
        if alt is not None and not math.isnan(float(alt)) and reproduces(float(alt), printed, d):
            return Comparison(
                DIFFERS,
                f"printed {printed} is reproduced by {name} ({_shown(float(alt), d)}), "
                f"not by the computed {shown}",
                p,
                d,
                diff,
            )
    unit_step = 10.0 ** (-d)
    if abs(diff) <= unit_step + _EPS and not (count and d <= 0):
        truncated = math.trunc(v * 10**d) / 10**d
        if _same(truncated, p, d):
            why = f"printed {printed} is the computed {shown} truncated, not rounded"
        else:
            why = (
                f"computed {shown} rounds to {format_number(rounded, d)}; printed {printed} is "
                "within one unit of the last printed place (rounded inputs)"
            )
        return Comparison(ROUNDING, why, p, d, diff)
    return Comparison(DIFFERS, _size_reason(v, p, printed, shown, unit), p, d, diff)


# --- approximate words ----------------------------------------------------------------------

APPROX_TOLERANCE = 0.05
"""Relative tolerance for "around X" and its kin, and how near "almost X" must be: 5%.

See docs/comparison-policy.md for why."""

ABOUT_WORDS = ("around", "about", "approximately", "close to", "c.", "circa", "roughly")
"""Words that say the value is near X, on either side."""
ABOVE_WORDS = ("over", "more than", "above", "in excess of", "exceeds", "at least")
"""Words that say the value is above X (``at least``: at or above)."""
BELOW_WORDS = ("under", "less than", "fewer than", "below", "at most")
"""Words that say the value is below X (``at most``: at or below)."""
NEAR_BELOW_WORDS = ("almost", "nearly", "just under", "approaching")
"""Words that say the value is below X and near it."""
NEAR_ABOVE_WORDS = ("just over", "just above", "just more than")
"""Words that say the value is above X and near it."""
APPROX_WORDS = ABOUT_WORDS + ABOVE_WORDS + BELOW_WORDS + NEAR_BELOW_WORDS + NEAR_ABOVE_WORDS


def _norm_word(word: str) -> str:
    return " ".join(str(word).lower().replace(" ", " ").split())


def approximate_word_in(text: str) -> str:
    """The approximate word a printed phrase qualifies its figure with, or ``""``.

    The longest match wins ("just over" before "over").  Only whole words count.

    Examples
    --------
    >>> approximate_word_in("beds freed up across the country ('around 1050')")
    'around'
    >>> approximate_word_in("just over 1,000 people"), approximate_word_in("overall rate")
    ('just over', '')
    """
    import re

    low = _norm_word(text)
    for w in sorted(APPROX_WORDS, key=len, reverse=True):
        pat = r"(?<![a-z])" + re.escape(w) + (r"(?![a-z])" if w[-1].isalpha() else "")
        if re.search(pat, low):
            return w
    return ""


def approximate(
    word: str, printed: str | float, computed: float, *, tolerance: float = APPROX_TOLERANCE
) -> Comparison:
    """The one rule for a printed figure qualified by an approximate word.

    The unrounded ``computed`` value is compared with the printed ``X``:

    * "around", "about", "approximately", "close to", "c." X: holds when ``computed`` rounds
      half-up to X at X's own printed decimals, or lies within ``tolerance`` (relative) of X;
    * "over", "more than", "above" X: ``computed > X``; "at least" X: ``computed >= X``;
    * "under", "less than", "fewer than", "below" X: ``computed < X``; "at most": ``<=``;
    * "almost", "nearly", "just under" X: ``computed < X`` and within ``tolerance`` of X;
    * "just over" X: ``computed > X`` and within ``tolerance`` of X.

    Holding is ``reproduced``; not holding is ``differs``, and when only the tolerance decided
    it the reason names the tolerance as the project's choice.

    Examples
    --------
    By hand: 10.41 rounds to 10; 1,059 is 9 from 1,050, 0.86% of it, within 5%:

    >>> approximate("around", "10", 10.41).status, approximate("around", "1,050", 1059).status
    ('reproduced', 'reproduced')
    >>> approximate("around", "1,050", 1059).reason
    'around 1,050: computed 1,059 is within 5% of 1,050 (+0.86%)'
    >>> approximate("over", "1,000", 1000.4).status, approximate("over", "1,000", 999.6).status
    ('reproduced', 'differs')
    >>> approximate("nearly", "10", 9.7).status, approximate("nearly", "10", 10.2).status
    ('reproduced', 'differs')
    >>> approximate("about", "20", 22.0).reason  # doctest: +NORMALIZE_WHITESPACE
    "about 20: computed 22 is 10.00% from 20, more than the project's 5% tolerance
    for approximate words"
    """
    w = _norm_word(word)
    if w not in APPROX_WORDS:
        raise ValueError(f"{word!r} is not an approximate word; expected one of "
                         + ", ".join(APPROX_WORDS))
    p = parse_number(printed)
    d = decimals_of(str(printed))
    v = float(computed)
    shown = _shown(v, d)
    x = str(printed).strip()
    if math.isnan(v):
        return Comparison(DIFFERS, f"{w} {x}: the computed value is undefined (NaN)", p, d,
                          math.nan)
    diff = v - p
    rel = diff / p if p else math.inf
    near = abs(rel) <= tolerance + _EPS
    rel_txt = f"{rel:+.2%}" if p else "no relative size for 0"
    tol_txt = f"{tolerance:.0%}"
    choice = f"a {tol_txt} tolerance for approximate words"

    def out(ok: bool, why: str, tol_decided: bool = False) -> Comparison:
        if ok:
            return Comparison(REPRODUCED, f"{w} {x}: {why}", p, d, diff)
        if tol_decided:
            return Comparison(DIFFERS, f"{w} {x}: {why}, more than the project's {tol_txt} "
                              "tolerance for approximate words", p, d, diff, choice)
        return Comparison(DIFFERS, f"{w} {x}: {why}", p, d, diff)

    if w in ABOUT_WORDS:
        if _same(round_half_up(v, d), p, d):
            return out(True, f"computed {shown} rounds to {x}")
        if near:
            return out(True, f"computed {shown} is within {tol_txt} of {x} ({rel_txt})")
        return out(False, f"computed {shown} is {abs(rel):.2%} from {x}", tol_decided=True)
    if w in ABOVE_WORDS:
        ok = v >= p if w == "at least" else v > p + _EPS
        rel_word = "at or above" if w == "at least" else "above"
        return out(ok, f"computed {shown} is {'' if ok else 'not '}{rel_word} {x}")
    if w in BELOW_WORDS:
        ok = v <= p if w == "at most" else v < p - _EPS
        rel_word = "at or below" if w == "at most" else "below"
        return out(ok, f"computed {shown} is {'' if ok else 'not '}{rel_word} {x}")
    side_ok = v < p - _EPS if w in NEAR_BELOW_WORDS else v > p + _EPS
    side = "below" if w in NEAR_BELOW_WORDS else "above"
    if not side_ok:
        return out(False, f"computed {shown} is not {side} {x}")
    if near:
        return out(True, f"computed {shown} is {side} {x} and within {tol_txt} ({rel_txt})")
    return out(False, f"computed {shown} is {side} {x} but {abs(rel):.2%} from it",
               tol_decided=True)


def _shown(v: float, d: int) -> str:
    """The value with two decimals more than printed, trailing zeros dropped down to ``d``."""
    text = format_number(v, d + 2)
    if "." in text:
        head, tail = text.split(".")
        tail = tail.rstrip("0").ljust(d, "0")
        text = head + ("." + tail if tail else "")
    return text


def _size_reason(v: float, p: float, printed: str | float, shown: str, unit: str) -> str:
    scales = ((100.0, "a proportion printed as a percentage, or the reverse"),
              (1000.0, "a scale of thousands"), (1e6, "a scale of millions"))
    if p != 0 and v != 0:
        ratio = abs(v / p)
        for factor, words in scales:
            if min(abs(ratio - factor) / factor, abs(1 / ratio - factor) / factor) < 1e-3:
                return (f"printed {printed} differs from computed {shown} by a factor of "
                        f"{factor:g}: {words}")
    rel = f" ({(v - p) / p:+.1%})" if p else ""
    unit_txt = f" {unit}" if unit else ""
    return f"computed {shown}{unit_txt} against printed {printed}: difference {v - p:+.4g}{rel}"


# --- consistency checks between printed figures ---------------------------------------------


def rate_from_parts(
    numerator: float, denominator: float, printed_rate: str | float, multiplier: float = 100_000
) -> Comparison:
    """Recompute a printed rate (or percentage, ``multiplier=100``) from its parts.

    Examples
    --------
    >>> rate_from_parts(1390, 204995, "678.1").status
    'reproduced'
    """
    if not denominator:
        return Comparison(
            DIFFERS,
            "the denominator is zero or missing",
            parse_number(printed_rate),
            decimals_of(str(printed_rate)),
            math.nan,
        )
    return compare(numerator / denominator * multiplier, printed_rate)


def which_denominator(
    numerator: float,
    printed_rate: str | float,
    candidates: Mapping[str, float],
    multiplier: float = 100.0,
) -> list[str]:
    """Name every candidate denominator that reproduces a printed rate or share.

    So a percentage on an unnamed base gets its base named, or none if no
    candidate fits.

    Examples
    --------
    >>> which_denominator(30, "25.0", {"all clients": 120, "new clients": 100})
    ['all clients']
    """
    return [
        name
        for name, den in candidates.items()
        if den and reproduces(numerator / den * multiplier, printed_rate)
    ]


def _interval(printed: str | float, decimals: int | None = None) -> tuple[float, float]:
    """The unrounded values that round half-up to ``printed``: ``[low, high)``."""
    p = parse_number(printed)
    d = decimals_of(str(printed)) if decimals is None else decimals
    half = 0.5 * 10.0 ** (-d)
    return p - half, p + half


def printed_twice(
    first: str | float, second: str | float, *, computed: float | None = None
) -> Comparison:
    """The same quantity printed in two places: can both be roundings of one value?

    Neither printed value is re-rounded.  With ``computed`` (the unrounded recomputation) the
    computed value is compared with each printed value on its own (:func:`compare`), and the
    two prints agree when both reproduce it.  Without it, each printed value stands for the
    interval of unrounded values that round half-up to it (``1,166`` for [1,165.5, 1,166.5),
    ``1166.5`` for [1,166.45, 1,166.55)); the prints agree when the intervals overlap, so
    some single value prints both ways.  A gap of at most one unit of the coarser place is
    ``rounding``; a larger one ``differs``.

    Examples
    --------
    1,166.475 rounds half-up to 1,166.5 and to 1,166, so the two prints agree (by hand:
    [1,166.45, 1,166.55) and [1,165.5, 1,166.5) overlap on [1,166.45, 1,166.5)):

    >>> printed_twice("1166.5", "1,166").status
    'reproduced'
    >>> printed_twice("1166.5", "1,166", computed=1166.475).status
    'reproduced'
    >>> printed_twice("8.0", "8.00").status
    'reproduced'
    >>> c = printed_twice("1166.4", "1,167")
    >>> c.status
    'rounding'
    >>> c.reason  # doctest: +NORMALIZE_WHITESPACE
    'printed as 1166.4 and as 1,167: no single value rounds to both (1166.4 stands for
    1,166.35 to 1,166.45, 1,167 for 1,166.5 to 1,167.5); the gap is within one unit of the
    coarser place'
    >>> printed_twice("9.4", "9.8").status
    'differs'
    """
    d1, d2 = decimals_of(str(first)), decimals_of(str(second))
    fine, coarse = (first, second) if d1 >= d2 else (second, first)
    dc = min(d1, d2)
    p_coarse = parse_number(coarse)
    if computed is not None and not math.isnan(float(computed)):
        c1, c2 = compare(float(computed), first), compare(float(computed), second)
        shown = _shown(float(computed), max(d1, d2))
        if c1.status == REPRODUCED and c2.status == REPRODUCED:
            return Comparison(REPRODUCED, f"the computed {shown} rounds to {first} and to {second}",
                              p_coarse, dc, float(computed) - p_coarse)
        worst = c1 if c1.status != REPRODUCED else c2
        return Comparison(worst.status, f"printed as {first} and as {second}: " + worst.reason,
                          worst.printed, worst.decimals, worst.difference)
    lo1, hi1 = _interval(fine)
    lo2, hi2 = _interval(coarse)
    df_ = max(d1, d2)
    if lo1 < hi2 - _EPS and lo2 < hi1 - _EPS:
        lo, hi = max(lo1, lo2), min(hi1, hi2)
        if d1 == d2:
            why = f"printed as {first} and as {second}: the same value"
        else:
            why = (f"{fine} and {coarse} are both roundings of any value from "
                   f"{format_number(lo, df_ + 1)} to {format_number(hi, df_ + 1)}")
        return Comparison(REPRODUCED, why, p_coarse, dc, parse_number(fine) - p_coarse)
    gap = max(lo1, lo2) - min(hi1, hi2)
    detail = (f"printed as {first} and as {second}: no single value rounds to both "
              f"({fine} stands for {format_number(lo1, df_ + 1)} to {format_number(hi1, df_ + 1)}, "
              f"{coarse} for {format_number(lo2, dc + 1)} to {format_number(hi2, dc + 1)})")
    if gap <= 10.0 ** (-dc) + _EPS:
        return Comparison(ROUNDING, detail + "; the gap is within one unit of the coarser place",
                          p_coarse, dc, parse_number(fine) - p_coarse)
    return Comparison(DIFFERS, detail, p_coarse, dc, parse_number(fine) - p_coarse)


def days_in_period(period: str) -> int:
    """Days in a month ``"2017-11"``, a financial quarter ``"2016/17 Q1"`` or year ``"2016/17"``
    (:func:`hwb.periods.days_in`).

    Examples
    --------
    >>> days_in_period("2017-11"), days_in_period("2016/17 Q4"), days_in_period("2016/17")
    (30, 90, 365)
    """
    from hwb.periods import days_in

    return days_in(period)


def per_day_vs_per_period(per_period: str | float, per_day: str | float, period: str) -> Comparison:
    """A per-day figure against a per-period figure for the same quantity.

    The per-period value divided by the days in the period should give the
    per-day value.

    Examples
    --------
    >>> per_day_vs_per_period("240.03", "8.0", "2017-11").status
    'reproduced'
    >>> per_day_vs_per_period("205.32", "6.84", "2017-11").status
    'reproduced'
    """
    days = days_in_period(period)
    c = compare(parse_number(per_period) / days, per_day)
    return Comparison(
        c.status, f"{per_period} over {days} days: " + c.reason, c.printed, c.decimals, c.difference
    )


def period_in_document(period_end: str, document_date: str) -> Comparison:
    """A period that ends after the date of the document that reports it as fact.

    ``period_end`` and ``document_date`` are ISO dates (``YYYY-MM-DD``).

    Examples
    --------
    >>> period_in_document("2017-11-30", "2018-01-25").status
    'reproduced'
    >>> period_in_document("2018-03-31", "2018-01-25").status
    'differs'
    """
    if period_end <= document_date:
        return Comparison(
            REPRODUCED,
            f"period ends {period_end}, before the document ({document_date})",
            math.nan,
            0,
            0.0,
        )
    return Comparison(
        DIFFERS,
        f"period ends {period_end}, after the document's date {document_date}",
        math.nan,
        0,
        math.nan,
    )
