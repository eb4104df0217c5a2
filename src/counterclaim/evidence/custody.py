"""The chain of custody: entries and their hashes.

An entry is ``{item, seq, at, actor, action, note, file_sha256, prev_hash}``. Its ``entry_hash`` is the SHA-256 of
the entry's canonical JSON (keys sorted, no spaces, UTF-8, ``ensure_ascii`` off). ``prev_hash`` is the previous
entry's ``entry_hash`` (64 zeros for the first entry of an item), so editing, removing or reordering an entry breaks
every hash after it. :func:`verify_chain` says which entry broke and how.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class CustodyEntry:
    """One line of an item's chain of custody."""

    item: str
    seq: int
    at: str
    actor: str
    action: str
    note: str
    file_sha256: str
    prev_hash: str
    entry_hash: str = ""

    def hashed_fields(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("entry_hash")
        return data

    def export(self) -> dict[str, Any]:
        return asdict(self)


def canonical_json(data: dict[str, Any]) -> bytes:
    """The bytes that get hashed: sorted keys, compact separators, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(entry: CustodyEntry) -> str:
    return hashlib.sha256(canonical_json(entry.hashed_fields())).hexdigest()


def new_entry(
    item: str, previous: CustodyEntry | None, at: str, actor: str, action: str, note: str, file_sha256: str
) -> CustodyEntry:
    """The next entry after ``previous`` (None for the first), with its hash filled in."""
    draft = CustodyEntry(
        item=item, seq=(previous.seq + 1) if previous else 1, at=at, actor=actor, action=action, note=note,
        file_sha256=file_sha256, prev_hash=previous.entry_hash if previous else GENESIS,
    )
    return CustodyEntry(**{**asdict(draft), "entry_hash": entry_hash(draft)})


@dataclass(frozen=True)
class ChainProblem:
    """What is wrong with one entry of an item's chain."""

    item: str
    seq: int
    kind: str  # edited | broken link | missing entry | wrong file hash
    detail: str


def verify_chain(item: str, file_sha256: str, entries: list[CustodyEntry]) -> list[ChainProblem]:
    """Recompute every hash of an item's chain; return what is wrong (empty when intact)."""
    problems: list[ChainProblem] = []
    if not entries:
        return [ChainProblem(item, 0, "missing entry", "the item has no custody entries (the log was emptied)")]
    prev: CustodyEntry | None = None
    for expected_seq, entry in enumerate(entries, start=1):
        if entry.seq != expected_seq:
            problems.append(ChainProblem(
                item, entry.seq, "missing entry",
                f"entry {expected_seq} is missing (found entry {entry.seq} after entry {expected_seq - 1})",
            ))
        recomputed = entry_hash(entry)
        if recomputed != entry.entry_hash:
            problems.append(ChainProblem(
                item, entry.seq, "edited",
                f"entry {entry.seq} ({entry.action}) was edited: its content hashes to {recomputed[:16]}…, "
                f"the log recorded {entry.entry_hash[:16]}…",
            ))
        expected_prev = prev.entry_hash if prev else GENESIS
        if entry.prev_hash != expected_prev:
            problems.append(ChainProblem(
                item, entry.seq, "broken link",
                f"entry {entry.seq} does not follow entry {entry.seq - 1}: prev_hash {entry.prev_hash[:16]}… "
                f"!= {expected_prev[:16]}…",
            ))
        if entry.file_sha256 != file_sha256:
            problems.append(ChainProblem(
                item, entry.seq, "wrong file hash",
                f"entry {entry.seq} was written for file sha256 {entry.file_sha256[:16]}…, the item records "
                f"{file_sha256[:16]}…",
            ))
        prev = entry
    return problems
