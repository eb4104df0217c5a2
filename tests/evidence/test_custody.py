from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from counterclaim.evidence.custody import (
    GENESIS,
    CustodyEntry,
    canonical_json,
    entry_hash,
    new_entry,
    verify_chain,
)

SHA = "a" * 64


def chain(n: int, notes: list[str] | None = None) -> list[CustodyEntry]:
    entries: list[CustodyEntry] = []
    for i in range(n):
        note = notes[i] if notes else f"note {i}"
        entries.append(new_entry("item", entries[-1] if entries else None, f"2024-01-0{i % 9 + 1}", "A", "act", note, SHA))
    return entries


def test_first_entry_links_to_genesis_and_hash_is_canonical_json() -> None:
    import hashlib

    e = chain(1)[0]
    assert e.prev_hash == GENESIS and e.seq == 1
    assert e.entry_hash == hashlib.sha256(canonical_json(e.hashed_fields())).hexdigest()
    assert b'"prev_hash":"' + GENESIS.encode() in canonical_json(e.hashed_fields())


@given(st.lists(st.text(max_size=30), min_size=1, max_size=8))
def test_intact_chain_verifies(notes: list[str]) -> None:
    assert verify_chain("item", SHA, chain(len(notes), notes)) == []


@given(st.lists(st.text(max_size=30), min_size=2, max_size=8), st.data())
def test_any_edited_note_is_named(notes: list[str], data: st.DataObject) -> None:
    entries = chain(len(notes), notes)
    k = data.draw(st.integers(0, len(entries) - 1))
    entries[k] = replace(entries[k], note=entries[k].note + "x")
    problems = verify_chain("item", SHA, entries)
    assert [(p.seq, p.kind) for p in problems] == [(k + 1, "edited")]


def test_rehashed_edit_breaks_the_next_link() -> None:
    entries = chain(3)
    forged = replace(entries[1], note="forged")
    entries[1] = replace(forged, entry_hash=entry_hash(forged))
    problems = verify_chain("item", SHA, entries)
    assert [(p.seq, p.kind) for p in problems] == [(3, "broken link")]


def test_deleted_entry_is_named() -> None:
    entries = chain(4)
    del entries[1]
    kinds = {(p.seq, p.kind) for p in verify_chain("item", SHA, entries)}
    assert (3, "missing entry") in kinds and (3, "broken link") in kinds


def test_wrong_file_hash_and_empty_log() -> None:
    assert verify_chain("item", "b" * 64, chain(1))[0].kind == "wrong file hash"
    assert verify_chain("item", SHA, [])[0].kind == "missing entry"
