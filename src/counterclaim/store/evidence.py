"""All SQL of the evidence registry: items, chain of custody, fingerprints and their band index, verification
steps, links to allegations / incidents, seals. Functions take an open ``sqlite3.Connection`` (``Ledger.conn``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from counterclaim.errors import LedgerError, NotFound
from counterclaim.evidence.custody import CustodyEntry, Head, new_entry, record_hash
from counterclaim.evidence.models import EvidenceItem, Link, Step

ITEM_COLUMNS = (
    "id", "sha256", "sha512", "md5", "size", "filename", "original_path", "stored_path", "media_type", "readable",
    "problem", "source_url", "collected_by", "collected_at", "note", "metadata_raw", "metadata", "added_at",
)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Everything inside is committed together or not at all."""
    if conn.in_transaction:
        conn.commit()
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


# -- items ----------------------------------------------------------------------------------------------------
def insert_item(conn: sqlite3.Connection, item: EvidenceItem) -> None:
    values = item.export()
    values["readable"] = int(item.readable)
    values["metadata_raw"] = json.dumps(item.metadata_raw, ensure_ascii=False, sort_keys=True)
    values["metadata"] = json.dumps(item.metadata, ensure_ascii=False, sort_keys=True)
    placeholders = ", ".join("?" for _ in ITEM_COLUMNS)
    try:
        conn.execute(
            f"INSERT INTO evidence_items({', '.join(ITEM_COLUMNS)}) VALUES ({placeholders})",
            [values[c] for c in ITEM_COLUMNS],
        )
    except sqlite3.IntegrityError as exc:
        raise LedgerError(f"evidence item {item.id} is already registered") from exc


def _item(row: sqlite3.Row) -> EvidenceItem:
    data = {c: row[c] for c in ITEM_COLUMNS}
    data["readable"] = bool(data["readable"])
    data["metadata_raw"] = json.loads(data["metadata_raw"] or "{}")
    data["metadata"] = json.loads(data["metadata"] or "{}")
    return EvidenceItem(**data)


def item_by_sha256(conn: sqlite3.Connection, sha256: str) -> EvidenceItem | None:
    row = conn.execute("SELECT * FROM evidence_items WHERE sha256 = ?", (sha256,)).fetchone()
    return _item(row) if row else None


def known_sha256(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT sha256 FROM evidence_items")]


def get_item(conn: sqlite3.Connection, prefix: str) -> EvidenceItem:
    """The item whose id (or SHA-256) starts with ``prefix``."""
    prefix = prefix.strip().lower()
    if len(prefix) < 4:
        raise NotFound(f"evidence id '{prefix}' is too short: give at least 4 characters (see 'evidence list')")
    rows = conn.execute(
        "SELECT * FROM evidence_items WHERE id LIKE ? || '%' OR sha256 LIKE ? || '%' LIMIT 2", (prefix, prefix)
    ).fetchall()
    if not rows:
        raise NotFound(f"no evidence item with id {prefix} (see 'counterclaim evidence list')")
    if len(rows) > 1:
        raise NotFound(f"evidence id {prefix} is ambiguous: give more characters")
    return _item(rows[0])


def list_items(conn: sqlite3.Connection) -> list[EvidenceItem]:
    return [_item(r) for r in conn.execute("SELECT * FROM evidence_items ORDER BY added_at, id")]


def count_items(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM evidence_items").fetchone()[0])


# -- chain of custody -----------------------------------------------------------------------------------------
def _entry(row: sqlite3.Row) -> CustodyEntry:
    return CustodyEntry(
        item=row["item_id"], seq=row["seq"], at=row["at"], actor=row["actor"], action=row["action"],
        note=row["note"], file_sha256=row["file_sha256"], prev_hash=row["prev_hash"],
        record=(row["record_sha256"] if "record_sha256" in row.keys() else "") or "",  # noqa: SIM118 (Row: in = values)
        entry_hash=row["entry_hash"],
    )


def all_custody_entries(conn: sqlite3.Connection) -> list[CustodyEntry]:
    """Every item's entries, in time order (the order of the log's head)."""
    return [_entry(r) for r in conn.execute("SELECT * FROM evidence_custody ORDER BY at, item_id, seq")]


def next_at(conn: sqlite3.Connection, at: str) -> str:
    """``at``, or the time of the log's last entry when the clock went back (the log's time order is its head's)."""
    row = conn.execute("SELECT max(at) FROM evidence_custody").fetchone()
    return max(at, row[0]) if row and row[0] else at


def custody_entries(conn: sqlite3.Connection, item_id: str) -> list[CustodyEntry]:
    rows = conn.execute("SELECT * FROM evidence_custody WHERE item_id = ? ORDER BY seq", (item_id,))
    return [_entry(r) for r in rows]


def append_custody(
    conn: sqlite3.Connection, item_id: str, file_sha256: str, at: str, actor: str, action: str, note: str = "",
    record: str = "",
) -> CustodyEntry:
    """Append one entry to an item's chain (call inside a transaction); ``record``: the hash of the row it records."""
    row = conn.execute(
        "SELECT * FROM evidence_custody WHERE item_id = ? ORDER BY seq DESC LIMIT 1", (item_id,)
    ).fetchone()
    entry = new_entry(item_id, _entry(row) if row else None, next_at(conn, at), actor, action, note, file_sha256,
                      record)
    conn.execute(
        "INSERT INTO evidence_custody(item_id, seq, at, actor, action, note, file_sha256, prev_hash, record_sha256, "
        "entry_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (entry.item, entry.seq, entry.at, entry.actor, entry.action, entry.note, entry.file_sha256,
         entry.prev_hash, entry.record, entry.entry_hash),
    )
    return entry


def item_record(item: EvidenceItem) -> str:
    """The ``record`` of an item's 'registered' entry: its whole row (provenance, hashes, metadata)."""
    return record_hash(item.export())


def stored_item_record(conn: sqlite3.Connection, item_id: str) -> str:
    """:func:`item_record` of the row as stored (read back, so that it hashes exactly as ``check`` will read it)."""
    row = conn.execute("SELECT * FROM evidence_items WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        raise NotFound(f"no evidence item with id {item_id}")
    return item_record(_item(row))


def step_record(step: Step) -> str:
    return record_hash(step.export())


def link_record(link: Link) -> str:
    return record_hash(link.export())


def all_steps(conn: sqlite3.Connection) -> list[Step]:
    rows = conn.execute("SELECT item_id, step, result, analyst, note, at FROM evidence_steps ORDER BY id")
    return [Step(item=r[0], step=r[1], result=r[2], analyst=r[3], note=r[4], at=r[5]) for r in rows]


def all_links(conn: sqlite3.Connection) -> list[Link]:
    rows = conn.execute("SELECT item_id, target_type, target_id, linked_by, note, at FROM evidence_links")
    return [Link(*r) for r in rows]


# -- heads ----------------------------------------------------------------------------------------------------
def insert_head(conn: sqlite3.Connection, head: Head, at: str, reason: str) -> None:
    conn.execute("INSERT INTO evidence_heads(entries, head, at, reason) VALUES (?, ?, ?, ?)",
                 (head.entries, head.head, at, reason))


def recorded_heads(conn: sqlite3.Connection) -> list[tuple[Head, str, str]]:
    """Every head recorded in the ledger: ``(head, at, reason)``."""
    rows = conn.execute("SELECT entries, head, at, reason FROM evidence_heads ORDER BY id")
    return [(Head(r[0], r[1]), r[2], r[3]) for r in rows]


# -- fingerprints ---------------------------------------------------------------------------------------------
def to_signed(value: int) -> int:
    """A 64-bit unsigned hash as SQLite's signed INTEGER."""
    return value - (1 << 64) if value >= (1 << 63) else value


def to_unsigned(value: int) -> int:
    return value + (1 << 64) if value < 0 else value


def bands(value: int) -> tuple[int, int, int, int]:
    """The four 16-bit bands of a 64-bit hash, most significant first."""
    return ((value >> 48) & 0xFFFF, (value >> 32) & 0xFFFF, (value >> 16) & 0xFFFF, value & 0xFFFF)


def insert_fingerprints(
    conn: sqlite3.Connection, item_id: str, hashes: Sequence[tuple[int, float | None, int]]
) -> None:
    """Store ``(idx, at_s, hash)`` rows with their bands (``hash`` unsigned 64-bit)."""
    conn.executemany(
        "INSERT INTO evidence_fingerprints(item_id, idx, at_s, hash, b0, b1, b2, b3) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(item_id, idx, at_s, to_signed(h), *bands(h)) for idx, at_s, h in hashes],
    )


def fingerprints(conn: sqlite3.Connection, item_id: str) -> list[tuple[int, float | None, int]]:
    rows = conn.execute(
        "SELECT idx, at_s, hash FROM evidence_fingerprints WHERE item_id = ? ORDER BY idx", (item_id,)
    )
    return [(r[0], r[1], to_unsigned(r[2])) for r in rows]


def band_candidates(conn: sqlite3.Connection, band_values: Sequence[Iterable[int]]) -> list[tuple[str, int]]:
    """Fingerprints (item id, unsigned hash) sharing at least one band value: ``band_values[k]`` for band ``bk``."""
    found: dict[tuple[str, int], int] = {}
    for k, values in enumerate(band_values):
        vals = sorted(set(values))
        for start in range(0, len(vals), 900):
            chunk = vals[start:start + 900]
            sql = (f"SELECT item_id, idx, hash FROM evidence_fingerprints WHERE b{k} IN "
                   f"({', '.join('?' for _ in chunk)})")
            for item_id, idx, h in conn.execute(sql, chunk):
                found[(item_id, idx)] = to_unsigned(h)
    return [(item_id, h) for (item_id, _idx), h in found.items()]


def fingerprint_counts(conn: sqlite3.Connection, items: Iterable[str]) -> dict[str, int]:
    """Number of fingerprints of each item."""
    out: dict[str, int] = {}
    vals = sorted(set(items))
    for start in range(0, len(vals), 900):
        chunk = vals[start:start + 900]
        sql = (f"SELECT item_id, count(*) FROM evidence_fingerprints WHERE item_id IN ({', '.join('?' for _ in chunk)})"
               " GROUP BY item_id")
        out.update({r[0]: r[1] for r in conn.execute(sql, chunk)})
    return out


def all_fingerprints(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """Every fingerprint (item id, unsigned hash): the brute-force baseline."""
    return [(r[0], to_unsigned(r[1])) for r in conn.execute("SELECT item_id, hash FROM evidence_fingerprints")]


# -- verification steps ---------------------------------------------------------------------------------------
def insert_step(conn: sqlite3.Connection, step: Step) -> None:
    conn.execute(
        "INSERT INTO evidence_steps(item_id, step, result, analyst, note, at) VALUES (?, ?, ?, ?, ?, ?)",
        (step.item, step.step, step.result, step.analyst, step.note, step.at),
    )


def steps(conn: sqlite3.Connection, item_id: str) -> list[Step]:
    rows = conn.execute(
        "SELECT item_id, step, result, analyst, note, at FROM evidence_steps WHERE item_id = ? ORDER BY id",
        (item_id,),
    )
    return [Step(item=r[0], step=r[1], result=r[2], analyst=r[3], note=r[4], at=r[5]) for r in rows]


# -- links ----------------------------------------------------------------------------------------------------
def insert_link(conn: sqlite3.Connection, link: Link) -> bool:
    """Add a link; False when it already existed."""
    cur = conn.execute(
        "INSERT OR IGNORE INTO evidence_links(item_id, target_type, target_id, linked_by, note, at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (link.item, link.target_type, link.target_id, link.linked_by, link.note, link.at),
    )
    return cur.rowcount > 0


def links(conn: sqlite3.Connection, item_id: str) -> list[Link]:
    rows = conn.execute(
        "SELECT item_id, target_type, target_id, linked_by, note, at FROM evidence_links WHERE item_id = ? "
        "ORDER BY at, target_type, target_id", (item_id,),
    )
    return [Link(*r) for r in rows]


def evidence_for_target(conn: sqlite3.Connection, target_type: str, target_id: str) -> list[dict[str, Any]]:
    """The evidence items linked to one allegation or incident, each with its verification status."""
    from counterclaim.evidence.verify import overall_status

    rows = conn.execute(
        "SELECT i.*, l.linked_by AS link_by, l.note AS link_note, l.at AS link_at FROM evidence_links l "
        "JOIN evidence_items i ON i.id = l.item_id WHERE l.target_type = ? AND l.target_id = ? ORDER BY l.at, i.id",
        (target_type, target_id),
    ).fetchall()
    out: list[dict[str, Any]] = []
    for row in rows:
        item = _item(row)
        out.append({
            "id": item.id, "filename": item.filename, "media_type": item.media_type, "sha256": item.sha256,
            "source_url": item.source_url, "collected_by": item.collected_by,
            "status": overall_status(steps(conn, item.id), readable=item.readable),
            "linked_by": row["link_by"], "link_note": row["link_note"], "linked_at": row["link_at"],
        })
    return out


def evidence_for_allegation(conn: sqlite3.Connection, allegation_id: str) -> list[dict[str, Any]]:
    """The evidence linked to allegation record ``allegation_id``: id, filename, media type, sha256, source url,
    collector, overall verification status, and who linked it when with which note. Empty list when none."""
    return evidence_for_target(conn, "allegation", allegation_id)


def evidence_for_incident(conn: sqlite3.Connection, incident_id: str) -> list[dict[str, Any]]:
    return evidence_for_target(conn, "incident", incident_id)


# -- seal -----------------------------------------------------------------------------------------------------
def document_hashes(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every document's id, SHA-256 and the extractor version that last processed it (None if never)."""
    rows = conn.execute(
        "SELECT d.id, d.sha256, d.url, e.version FROM documents d LEFT JOIN extractions e ON e.doc_id = d.id "
        "ORDER BY d.id"
    )
    return [{"id": r[0], "sha256": r[1], "url": r[2], "extractor_version": r[3]} for r in rows]


def extractor_versions(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT DISTINCT version FROM extractions ORDER BY version")]


def insert_seal(conn: sqlite3.Connection, manifest_sha256: str, path: str, documents: int, exports: int, at: str) -> None:
    conn.execute(
        "INSERT INTO evidence_seals(manifest_sha256, path, documents, exports, at) VALUES (?, ?, ?, ?, ?)",
        (manifest_sha256, path, documents, exports, at),
    )


def seals(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute("SELECT * FROM evidence_seals ORDER BY id")]
