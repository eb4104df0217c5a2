"""Keyset pages of the web queries: every path (index, walk, budget) gives the same rows in the same order."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterclaim.errors import UsageError
from counterclaim.records import Allegation, Document, Figure, Quote, SourceRef
from counterclaim.store import Ledger
from counterclaim.store import web_queries as q
from counterclaim.web.highlight import segments

CLAIMANTS = ["Ukraine", "Russia", "Sudan", "Yemen"]
ACTS = ["shelling", "torture", "siege"]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = random.Random(3)
    path = tmp_path_factory.mktemp("q") / "small.db"
    with Ledger(path) as ledger:
        for i in range(60):
            published = None if i % 11 == 0 else f"20{10 + i % 7}-0{1 + i % 9}-1{i % 10}"
            text = f"Statement {i}: the ministry accused its enemy of shelling that killed {i + 3} civilians."
            doc = Document.from_text(text, title=f"Statement {i}", publisher=f"Ministry {i % 4}", published=published)
            ledger.add_document(doc, SourceRef(f"t{i}"))
            recs = [
                Allegation(doc=doc.id, start=0, end=10 + k, claimant=rng.choice(CLAIMANTS), accused=[rng.choice(CLAIMANTS)],
                           act=rng.choice(ACTS), stance=rng.choice(["assert", "deny"]))
                for k in range(rng.randint(0, 3))
            ]
            recs.append(Figure(doc=doc.id, start=text.index("killed"), end=len(text) - 1, value=float(i + 3),
                               category=rng.choice(["killed", "injured"])))
            ledger.replace_records(doc.id, "t", recs)
    return path


def _walk(ledger: Ledger, type_: str, limit: int, **kw: object) -> list[str]:
    ids: list[str] = []
    after = None
    for _ in range(500):
        page = q.records_page(ledger, type_, limit=limit, after=after, **kw)  # type: ignore[arg-type]
        ids += [r["id"] for r in page.rows]
        after = page.next
        if not after:
            return ids
    raise AssertionError("pages never end")


def _expected(ledger: Ledger, type_: str, keep: object = None) -> list[str]:
    docs = {d["id"]: d for d in ledger.documents()}
    recs = [r for r in ledger.records(type_) if keep is None or keep(r)]  # type: ignore[operator]
    recs.sort(key=lambda r: (r.id,))
    recs.sort(key=lambda r: r.start)
    recs.sort(key=lambda r: (docs[r.doc]["published"] or "", r.doc), reverse=True)
    return [r.id for r in recs]


@pytest.mark.parametrize("limit", [1, 4, 50])
@pytest.mark.parametrize("index_limit", [0, 1500])
def test_pages_follow_one_order_whatever_the_path(
    small: Path, limit: int, index_limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(q, "INDEX_SORT_LIMIT", index_limit)  # 0: the indexed filter goes through the walk
    with Ledger(small, readonly=True) as ledger:
        assert _walk(ledger, "allegation", limit) == _expected(ledger, "allegation")
        # an indexed filter (claimant), an unindexed one (accused), both, and a tiny scan budget
        f = {"claimant": "ukraine"}
        assert _walk(ledger, "allegation", limit, filters=f, allowed=q.ALLEGATION_FILTERS) == _expected(
            ledger, "allegation", lambda r: r.claimant == "Ukraine")
        f = {"accused": "RUSSIA", "stance": "deny"}
        keep = lambda r: "Russia" in r.accused and r.stance == "deny"  # noqa: E731
        assert _walk(ledger, "allegation", limit, filters=f, allowed=q.ALLEGATION_FILTERS) == _expected(ledger, "allegation", keep)
        assert _walk(ledger, "allegation", limit, filters=f, allowed=q.ALLEGATION_FILTERS, budget=5) == _expected(
            ledger, "allegation", keep)
        assert _walk(ledger, "figure", limit, min_value=30.0, since="2012") == _expected(
            ledger, "figure", lambda r: r.value >= 30)[: len(_walk(ledger, "figure", limit, min_value=30.0, since="2012"))]


def test_budget_makes_partial_pages(small: Path) -> None:
    with Ledger(small, readonly=True) as ledger:
        page = q.records_page(ledger, "allegation", limit=50, filters={"accused": "nobody"},
                              allowed=q.ALLEGATION_FILTERS, budget=10)
        assert page.rows == [] and page.partial and page.next and page.total is None


@pytest.mark.parametrize("fts_limit", [0, 6000])
def test_document_pages_and_counts(small: Path, fts_limit: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(q, "FTS_SORT_LIMIT", fts_limit)  # 0: every search walks the dates and probes the index
    with Ledger(small, readonly=True) as ledger:
        hits: list[str] = []
        after = None
        while True:
            page = q.documents_page(ledger, limit=3, after=after, query="ministry shelling", publisher="Ministry 1")
            hits += [d["id"] for d in page.rows]
            after = page.next
            if not after:
                break
        expected_hits = [d["id"] for d in sorted(ledger.documents(query="ministry shelling", publisher="Ministry 1"),
                                                 key=lambda d: (d["published"] or "", d["id"]), reverse=True)]
        assert hits == expected_hits and len(hits) == 15
        ids: list[str] = []
        after = None
        while True:
            page = q.documents_page(ledger, limit=7, after=after)
            assert page.total == 60 and not page.capped
            ids += [d["id"] for d in page.rows]
            after = page.next
            if not after:
                break
        expected = [d["id"] for d in sorted(ledger.documents(), key=lambda d: (d["published"] or "", d["id"]), reverse=True)]
        assert ids == expected
        found = q.documents_page(ledger, limit=50, query="statement 17")
        assert found.total is not None and found.total >= 1
        assert q.documents_page(ledger, limit=50, since="2014", until="2014").rows
        assert all(d["published"].startswith("2014") for d in q.documents_page(ledger, limit=50, since="2014", until="2014").rows)
        with pytest.raises(UsageError):
            q.documents_page(ledger, limit=5, after="2014~not hex!")


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=0, max_size=60), st.lists(st.tuples(st.integers(-5, 70), st.integers(0, 40)), max_size=8))
def test_segments_cover_the_text_exactly(text: str, spans: list[tuple[int, int]]) -> None:
    records = [Quote(doc="d", start=s, end=s + n, speaker=None, text="") for s, n in spans]
    segs = segments(text, records)
    assert "".join(s.text for s in segs) == text
    for seg in segs:  # a segment is covered by exactly the records whose span contains it
        inside = {r.id for r in records if r.start <= seg.start and r.end >= seg.start + len(seg.text) and r.end > r.start}
        assert set(seg.ids) == inside or not seg.text
