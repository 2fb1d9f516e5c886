"""No appendix claims a difference from an interval that does not fit the quantity (issue 17,
"Done when"): every statement the built appendices print, and every string the papers and
notebooks write, scanned by ``hwb.toolkit.statements.unfit_interval_claims``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from hwb.toolkit.statements import prose_of_html, unfit_interval_claims
from tests.e2e.browser_checks import built_appendices

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("text", [
    # the BCF appendix before issue 17 (Poisson intervals around delayed days against the plan)
    "In 5 quarters the whole interval lies above the plan.",
    "Delayed days per 100,000 aged 18+ were 674 (95% Byar interval 624 to 726), above the plan.",
    "Patients delayed per day were significantly higher than England.",
    "The 99.8% Poisson limits of bed days lie below the national rate.",
    "The target's 95% interval runs from 9.0 to 10.4.",
])
def test_unfit_claims_are_found(text: str) -> None:
    assert unfit_interval_claims(f"Delayed days rose. {text} See table 3.") == [text]


@pytest.mark.parametrize("text", [
    "No interval is put on a single authority's delayed days.",
    "Plain Poisson limits, which treat every delayed day as an independent event, would put 127 "
    "outside the 99.8% limits.",
    "no interval: delayed days are not independent events (crude rate)",
    "Falls admissions were significantly lower than England (95% Byar interval 410 to 470).",
    "Emergency admissions for falls: in 3 years the whole 95% interval lies below the plan.",
    "Delayed days rose above the plan in 5 quarters (special cause concern on the SPC chart).",
])
def test_fitting_or_negated_statements_pass(text: str) -> None:
    assert unfit_interval_claims(text) == []


def _strings(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            out.append((node.lineno, "".join(v.value if isinstance(v, ast.Constant) else "{}"
                                             for v in node.values)))
    return out


SOURCES = sorted((ROOT / "lib" / "hwb" / "papers").rglob("*.py")) + sorted(
    (ROOT / "notebooks").glob("*.py"))


def test_no_paper_or_notebook_writes_an_unfit_claim() -> None:
    assert SOURCES
    found = [f"{p.relative_to(ROOT)}:{line}: {s}" for p in SOURCES for line, text in _strings(p)
             for s in unfit_interval_claims(text)]
    assert found == []


BUILT = list(built_appendices())


@pytest.mark.parametrize("appendix", BUILT, ids=[str(p.parent) for p in BUILT])
def test_no_built_appendix_prints_an_unfit_claim(appendix: Path) -> None:
    passages = prose_of_html(appendix.read_text(encoding="utf-8"))
    assert passages, "the appendix has statements to scan"
    assert [s for section, p in passages for s in unfit_interval_claims(p, section)] == []
