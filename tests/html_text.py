"""Reading a built appendix's text back: which numbers stand outside a recorded figure.

Shared by the papers' HTML tests (issue 15, item 3: every number traceable). :func:`pieces`
splits a page into text pieces, each with the classes around it and whether it lies inside a
``data-figure`` element; :func:`untraced_numbers` lists the numbers under a class that no
figure holds (dates, periods, vintages and the measure's own words are not figures:
:data:`NOT_FIGURES`).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _Text(HTMLParser):
    """Text of an appendix, each piece with the classes around it and whether it lies inside a
    ``data-figure`` element (or a table, code, or a chart's SVG)."""

    VOID = frozenset({"br", "img", "meta", "link", "input", "hr", "wbr", "col", "source"})
    PROSE = frozenset({"p", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
                       "figcaption", "caption", "dd", "dt"})
    SKIP = frozenset({"table", "code", "pre", "script", "style", "kbd", "samp", "svg"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.pieces: list[dict[str, object]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        if tag not in self.VOID:
            self.stack.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if any(t == tag for t, _ in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        tags = {t for t, _ in self.stack}
        self.pieces.append({
            "text": data,
            "classes": " ".join(a.get("class", "") for _, a in self.stack).split(),
            "figure": any("data-figure" in a for _, a in self.stack),
            # a figure's derivation popover (method, inputs, parameter names) is not prose
            "prose": bool(self.PROSE & tags) and not self.SKIP & tags
            and not any("popover" in a for _, a in self.stack),
        })


def pieces(page: str) -> list[dict[str, object]]:
    """The text pieces of ``page`` in order (see :class:`_Text`)."""
    p = _Text()
    p.feed(page)
    return p.pieces


NOT_FIGURES = re.compile(
    r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December) \d{4}\b"  # a date
    r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b"  # a month
    r"|\b\d{4}/\d{2}(?: Q[1-4])?\b"  # a financial year or quarter
    r"|\bmid-\d{4}\b"  # a population estimate's vintage
    r"|\b\d{4} model\b"  # the CIPFA model's vintage
    r"|\b(?:9[05]|99(?:\.8)?)% (?:limits|confidence|control|interval)"  # a method's level
    r"|\b[A-Z][a-z]+(?: (?:and|&) [A-Z][a-z]+| et al\.?)? (?:19|20)\d{2}\b(?![/-])"  # a citation
    r"|\b(?:18|65)\+|\bper 100,000\b|\b100,000 aged\b"  # the measure's own words
    r"|\(1 = most")  # how the rank reads
"""Digits that are not figures: dates, periods, vintages and the words of the measure."""


def untraced_numbers(pieces: list[dict[str, object]], where: str) -> list[str]:
    """Numbers in text under class ``where`` that no ``data-figure`` element holds.

    The "How 10.92 was computed" button after a figure (``hwb-why``) repeats the figure's
    own text for screen readers and is not counted."""
    text = " ".join(str(p["text"]) for p in pieces
                    if where in p["classes"] and not p["figure"]  # type: ignore[operator]
                    and "hwb-why" not in p["classes"])  # type: ignore[operator]
    return re.findall(r"\S*\d\S*", NOT_FIGURES.sub(" ", text))
