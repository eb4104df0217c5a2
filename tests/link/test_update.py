from __future__ import annotations

from collections.abc import Callable

from counterclaim.link.update import update_links
from counterclaim.store import Ledger
from counterclaim.store.links import LinkStore

from .texts import FURNITURE_COPY, ORIGINAL, PARTIAL, REWRITE, UNRELATED_SAME_TOPIC


def kinds(ledger: Ledger) -> dict[frozenset[str], str]:
    return {frozenset((lk["doc"], lk["other"])): lk["kind"] for lk in LinkStore(ledger).links()}


def test_links_are_stored_oriented_and_incremental(ledger: Ledger, add: Callable[..., str]) -> None:
    orig = add(ORIGINAL, "orig", "2024-05-12")
    copy = add(FURNITURE_COPY, "copy", "2024-05-13")
    rewrite = add(REWRITE, "rewrite", "2024-05-14")
    unrelated = add(UNRELATED_SAME_TOPIC, "rsf", "2024-05-14")
    first = update_links(ledger, use_embeddings=False)
    assert first.documents == 4
    got = kinds(ledger)
    assert got[frozenset((orig, copy))] == "duplicate"
    assert got[frozenset((orig, rewrite))] == "rewrite"
    assert not any(unrelated in pair for pair in got)
    links = LinkStore(ledger).links(orig)
    assert all(lk["other"] == orig for lk in links)  # the original is the earlier one: the others point to it

    again = update_links(ledger, use_embeddings=False)
    assert again.documents == 0 and again.candidates == 0

    partial = add(PARTIAL, "partial", "2024-05-20")
    third = update_links(ledger, use_embeddings=False)
    assert third.documents == 1
    got = kinds(ledger)
    assert got[frozenset((partial, orig))] == "partial"
    assert not any(unrelated in pair for pair in got)


def test_aligned_pairs_point_at_the_sentences(ledger: Ledger, add: Callable[..., str]) -> None:
    orig = add(ORIGINAL, "orig", "2024-05-12")
    rewrite = add(REWRITE, "rewrite", "2024-05-14")
    update_links(ledger, use_embeddings=False)
    store = LinkStore(ledger)
    pairs = store.link_pairs(rewrite, orig)
    assert len(pairs) >= 5
    rtext, otext = ledger.get_document(rewrite).text, ledger.get_document(orig).text
    matched = [(rtext[p["doc_start"]:p["doc_end"]], otext[p["other_start"]:p["other_end"]]) for p in pairs]
    assert any("38" in r and "38" in o for r, o in matched)
    assert any("Security Council" in r and "Security Council" in o for r, o in matched)
