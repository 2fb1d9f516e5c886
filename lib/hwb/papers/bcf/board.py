"""What a national BCF run needs of the paper: the boards of the period and their coverage
(:func:`hwb.papers.bcf.actuals.coverage`), where ``hwb national`` looks for it."""

from __future__ import annotations

from hwb.papers.bcf.actuals import coverage

__all__ = ["coverage"]
