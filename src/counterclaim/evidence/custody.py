"""The chain of custody: entries and their hashes.

An entry is ``{item, seq, at, actor, action, note, file_sha256, prev_hash}``, plus ``record`` when the entry
records data kept in another table: the SHA-256 of the canonical JSON of the item's row (``registered``: its
provenance, hashes and metadata), of the verification step (``verification``) or of the link (``linked``). Its
``entry_hash`` is the SHA-256 of the entry's canonical JSON (keys sorted, no spaces, UTF-8, ``ensure_ascii`` off).
``prev_hash`` is the previous entry's ``entry_hash`` (64 zeros for the first entry of an item), so editing,
removing or reordering an entry breaks every hash after it. :func:`verify_chain` says which entry broke and how.

The **head** of the whole log (:func:`chain_head`) chains every entry of every item in time order
(``head_k = sha256(head_{k-1} + entry_hash_k)``, from 64 zeros): its entry count and last hash, kept outside the
ledger (in each seal, printed by ``counterclaim evidence head``), prove later that no entry was removed, re-hashed or
re-chained since, the last ones included (:func:`verify_head`).
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
    record: str = ""  # sha256 of the canonical JSON of the item row / step / link this entry records ("" if none)
    entry_hash: str = ""

    def hashed_fields(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("entry_hash")
        if not data["record"]:  # entries written before records were chained hash as they always did
            data.pop("record")
        return data

    def export(self) -> dict[str, Any]:
        return {**self.hashed_fields(), "entry_hash": self.entry_hash}


def record_hash(data: dict[str, Any]) -> str:
    """The ``record`` of an entry: SHA-256 of the canonical JSON of a row (item, step or link)."""
    return hashlib.sha256(canonical_json(data)).hexdigest()


def canonical_json(data: dict[str, Any]) -> bytes:
    """The bytes that get hashed: sorted keys, compact separators, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(entry: CustodyEntry) -> str:
    return hashlib.sha256(canonical_json(entry.hashed_fields())).hexdigest()


def new_entry(
    item: str, previous: CustodyEntry | None, at: str, actor: str, action: str, note: str, file_sha256: str,
    record: str = "",
) -> CustodyEntry:
    """The next entry after ``previous`` (None for the first), with its hash filled in."""
    draft = CustodyEntry(
        item=item, seq=(previous.seq + 1) if previous else 1, at=at, actor=actor, action=action, note=note,
        file_sha256=file_sha256, prev_hash=previous.entry_hash if previous else GENESIS, record=record,
    )
    return CustodyEntry(**{**asdict(draft), "entry_hash": entry_hash(draft)})


@dataclass(frozen=True)
class ChainProblem:
    """What is wrong with one entry of an item's chain."""

    item: str
    seq: int
    kind: str  # edited | broken link | missing entry | wrong file hash | out of order
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
        if prev is not None and entry.at < prev.at:
            problems.append(ChainProblem(
                item, entry.seq, "out of order",
                f"entry {entry.seq} ({entry.action}, {entry.at}) is dated before entry {prev.seq} ({prev.at}): "
                "the chain was reordered and re-hashed",
            ))
        if entry.file_sha256 != file_sha256:
            problems.append(ChainProblem(
                item, entry.seq, "wrong file hash",
                f"entry {entry.seq} was written for file sha256 {entry.file_sha256[:16]}…, the item records "
                f"{file_sha256[:16]}…",
            ))
        prev = entry
    return problems


@dataclass(frozen=True)
class Head:
    """The head of the whole custody log: how many entries, and the running hash after the last one."""

    entries: int
    head: str

    def text(self) -> str:
        return f"{self.entries}:{self.head}"

    def export(self) -> dict[str, Any]:
        return {"entries": self.entries, "head": self.head}


def time_order(entries: list[CustodyEntry]) -> list[CustodyEntry]:
    """Every item's entries merged in the order they were written (time, then item, then seq)."""
    return sorted(entries, key=lambda e: (e.at, e.item, e.seq))


def running_heads(entries: list[CustodyEntry]) -> list[str]:
    """``head_k`` after each entry of ``entries`` (already in time order)."""
    out: list[str] = []
    head = GENESIS
    for e in entries:
        head = hashlib.sha256((head + e.entry_hash).encode("ascii")).hexdigest()
        out.append(head)
    return out


def chain_head(entries: list[CustodyEntry]) -> Head:
    """The head of a log (any order: it is put in time order first)."""
    heads = running_heads(time_order(entries))
    return Head(len(heads), heads[-1] if heads else GENESIS)


def parse_head(text: str) -> Head:
    """``ENTRIES:HASH`` as printed by ``counterclaim evidence head``."""
    count, _, digest = text.strip().partition(":")
    digest = digest.strip().lower()
    if not count.strip().isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError(f"'{text}' is not a custody head: give ENTRIES:SHA256 as 'counterclaim evidence head' prints")
    return Head(int(count), digest)


def verify_head(head: Head, entries: list[CustodyEntry]) -> str | None:
    """What is wrong when the log no longer extends ``head`` (None when it does: the first ``head.entries``
    entries in time order still hash to ``head.head``)."""
    ordered = time_order(entries)
    if len(ordered) < head.entries:
        return (f"the custody log had {head.entries} entries at head {head.head[:16]}…, it holds {len(ordered)} "
                "now: entries were deleted")
    heads = running_heads(ordered[: head.entries])
    actual = heads[-1] if heads else GENESIS
    if actual != head.head:
        return (f"the first {head.entries} custody entries hash to {actual[:16]}…, not to the recorded head "
                f"{head.head[:16]}…: entries were edited, deleted, re-hashed or re-chained since")
    return None
