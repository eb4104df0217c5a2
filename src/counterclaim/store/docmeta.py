"""SQL for document metadata beyond the core columns: analysts' corrections, page maps of paged documents.

A correction (``counterclaim fix-meta``) is kept in ``meta_fixes`` beside the value ingest had found, and written
into the ``documents`` row, so every reader (lists, filters, the extractor's date resolution, the export) sees the
corrected value. Re-ingesting the same text never overwrites it (ingest only fills empty columns), a document
stored again after being removed gets its corrections back (:func:`apply_fixes`), and re-analysis does not touch
documents at all.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from counterclaim.errors import LedgerError, UsageError

#: document columns an analyst may correct
FIXABLE: tuple[str, ...] = ("title", "publisher", "author", "published", "language")


def set_fix(conn: sqlite3.Connection, doc_id: str, field: str, value: str, note: str | None = None) -> dict[str, Any]:
    """Record ``field = value`` for ``doc_id`` (inside the caller's transaction) and return the correction."""
    if field not in FIXABLE:
        raise UsageError(f"cannot correct {field!r}: only {', '.join(FIXABLE)}")
    row = conn.execute(f"SELECT {field} FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        raise LedgerError(f"no document {doc_id}")
    earlier = conn.execute("SELECT extracted FROM meta_fixes WHERE doc_id = ? AND field = ?",
                           (doc_id, field)).fetchone()
    extracted = earlier[0] if earlier is not None else row[0]
    conn.execute(
        "INSERT INTO meta_fixes(doc_id, field, value, extracted, note) VALUES (?,?,?,?,?) "
        "ON CONFLICT(doc_id, field) DO UPDATE SET value = excluded.value, note = excluded.note,"
        " at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
        (doc_id, field, value, extracted, note),
    )
    conn.execute(f"UPDATE documents SET {field} = ? WHERE id = ?", (value, doc_id))
    return {"field": field, "value": value, "extracted": extracted, "note": note}


def undo_fix(conn: sqlite3.Connection, doc_id: str, field: str) -> bool:
    """Drop the correction of ``field`` and put the extracted value back; False when there was none."""
    row = conn.execute("SELECT extracted FROM meta_fixes WHERE doc_id = ? AND field = ?", (doc_id, field)).fetchone()
    if row is None:
        return False
    conn.execute(f"UPDATE documents SET {field} = ? WHERE id = ?", (row[0], doc_id))
    conn.execute("DELETE FROM meta_fixes WHERE doc_id = ? AND field = ?", (doc_id, field))
    return True


def apply_fixes(conn: sqlite3.Connection, doc_id: str) -> None:
    """Write the corrections of ``doc_id`` into its row (a document stored again gets them back)."""
    for field, value in conn.execute("SELECT field, value FROM meta_fixes WHERE doc_id = ?", (doc_id,)).fetchall():
        if field in FIXABLE:
            conn.execute(f"UPDATE documents SET {field} = ? WHERE id = ?", (value, doc_id))


def fixes(conn: sqlite3.Connection, doc_id: str | None = None) -> dict[str, dict[str, dict[str, Any]]]:
    """doc id → field → ``{"value", "extracted", "note", "at"}`` (one document, or all); {} on an old ledger."""
    sql = "SELECT doc_id, field, value, extracted, note, at FROM meta_fixes"
    try:
        rows = conn.execute(sql + (" WHERE doc_id = ?" if doc_id else ""), (doc_id,) if doc_id else ()).fetchall()
    except sqlite3.OperationalError:  # a ledger opened read-only before the meta component was added
        return {}
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(r[0], {})[r[1]] = {"value": r[2], "extracted": r[3], "note": r[4], "at": r[5]}
    return out


def page_maps(conn: sqlite3.Connection) -> dict[str, list[list[int]]]:
    """doc id → ``[[page, start offset], ...]`` of every paged document (PDFs)."""
    rows = conn.execute(
        "SELECT id, json_extract(meta, '$.pages') FROM documents WHERE json_extract(meta, '$.pages') IS NOT NULL"
    )
    return {r[0]: json.loads(r[1]) for r in rows}
