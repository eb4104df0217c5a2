"""Extraction cases: ``tests/extract/cases/<extractor>/<name>.txt`` with ``<name>.expected.jsonl`` holding the EXACT
set of records expected (an extra record fails as much as a missing one).

- ``quotes/``: one line per direct quote, ``{"speaker": ..., "starts": first words of the quoted text}``;
- ``figures/``: one line per figure mention, ``{"value": ..., "category": ...}`` (a multiset: two mentions of a
  number are two lines);
- ``allegations/``: one line per (claimant, accused, act, stance), as exported by default (records under the
  default ``--min-confidence`` are not shown to users, so they are not expected either).

Adding a case: write a text from a real genre (wire story, NGO release, ministry statement...) and the records an
analyst who checks every record would code in it, following ``shared/gold/GUIDELINES.md``. The texts are written for
the tests; they are not the real development set.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from counterclaim.records import Allegation, Figure, Quote, Record, confident

CASES = Path(__file__).resolve().parent / "cases"


def _cases(kind: str) -> list[str]:
    return sorted(p.stem for p in (CASES / kind).glob("*.txt"))


def _expected(kind: str, name: str) -> list[dict[str, str]]:
    lines = (CASES / kind / f"{name}.expected.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def extract():  # type: ignore[no-untyped-def]
    from counterclaim.extract.context import DocInput
    from counterclaim.extract.pipeline import Extractor

    extractor = Extractor()
    return lambda text: extractor([DocInput(id="case", text=text)])[0]


def _quote_keys(records: list[Record]) -> set[tuple[str, str]]:
    return {(q.speaker or "", " ".join(q.text.split()[:5])) for q in records if isinstance(q, Quote) and q.direct}


@pytest.mark.parametrize("name", _cases("quotes"))
def test_quote_cases(extract, name: str) -> None:  # type: ignore[no-untyped-def]
    got = _quote_keys(extract((CASES / "quotes" / f"{name}.txt").read_text("utf-8")))
    want = {(e["speaker"], " ".join(e["starts"].split()[:5])) for e in _expected("quotes", name)}
    assert got == want, f"missing {want - got}; extra {got - want}"


@pytest.mark.parametrize("name", _cases("figures"))
def test_figure_cases(extract, name: str) -> None:  # type: ignore[no-untyped-def]
    records = extract((CASES / "figures" / f"{name}.txt").read_text("utf-8"))
    got = sorted((float(f.value), f.category) for f in records if isinstance(f, Figure))
    want = sorted((float(e["value"]), e["category"]) for e in _expected("figures", name))
    assert got == want


@pytest.mark.parametrize("name", _cases("allegations"))
def test_allegation_cases(extract, name: str) -> None:  # type: ignore[no-untyped-def]
    from counterclaim.extract.strategies import default_min_confidence

    floor = default_min_confidence()
    records = extract((CASES / "allegations" / f"{name}.txt").read_text("utf-8"))
    got = {
        (a.claimant or "", acc, a.act, a.stance)
        for a in records if isinstance(a, Allegation) and confident(a, floor) for acc in a.accused
    }
    want = {(e["claimant"], e["accused"], e["act"], e["stance"]) for e in _expected("allegations", name)}
    assert got == want, f"missing {want - got}; extra {got - want}"


def test_every_record_says_why_it_exists(extract) -> None:  # type: ignore[no-untyped-def]
    """Allegations carry the strategies that made them and a confidence computed from data/strategies.yaml."""
    from counterclaim.extract.strategies import confidence, strategies

    text = (CASES / "allegations" / "wire_narrator_and_denial.txt").read_text("utf-8")
    allegations = [r for r in extract(text) if isinstance(r, Allegation)]
    assert allegations
    known = set(strategies().by_name)
    for a in allegations:
        assert any(r.startswith("claimant:") for r in a.rules) and any(r.startswith("accused:") for r in a.rules)
        assert all(r in known for r in a.rules), a.rules
        assert a.confidence == confidence(a.rules)
        assert 0.0 <= a.confidence <= 1.0
