"""Read queries the web workbench needs beyond :class:`~counterclaim.store.Ledger`.

Everything here is bounded: list queries take ``limit``/``offset`` and counts are capped (``COUNT_CAP``), so a page
of a 100,000-document ledger costs the same as a page of a small one. SQL stays in the store package.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from counterclaim.errors import LedgerError, NotFound, UsageError
from counterclaim.records import Record
from counterclaim.store.ledger import Ledger, _document_filters, _record, fts_query

#: counts above this are reported as "more than COUNT_CAP" (an exact count of a big FTS match set is slow)
COUNT_CAP = 10_000

#: JSON fields of allegations and figures the list filters may match (case-insensitive)
ALLEGATION_FILTERS = ("claimant", "accused", "act", "stance")
FIGURE_FILTERS = ("category", "qualifier")

#: fields an editor may correct (per record type); anything else is refused
EDITABLE: dict[str, tuple[str, ...]] = {
    "allegation": ("claimant", "act", "stance", "place", "time"),
    "figure": ("value", "qualifier", "category", "subject", "about"),
    "quote": ("speaker", "affiliation", "role", "verb"),
    "date": ("date", "precision"),
    "actor": ("actor", "kind", "role", "state"),
    "legal": ("instrument", "kind"),
}


@dataclass
class Page:
    """One page of a list: its rows, the (capped) total and whether the total was capped."""

    rows: list[dict[str, Any]]
    total: int
    capped: bool


def _capped_count(conn: sqlite3.Connection, sql: str, params: list[Any]) -> tuple[int, bool]:
    row = conn.execute(f"SELECT count(*) FROM ({sql} LIMIT {COUNT_CAP + 1})", params).fetchone()
    n = int(row[0])
    return (COUNT_CAP, True) if n > COUNT_CAP else (n, False)


def documents_page(
    ledger: Ledger,
    *,
    limit: int,
    offset: int = 0,
    query: str | None = None,
    publisher: str | None = None,
    language: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Page:
    """Document summaries newest first, filtered like :meth:`Ledger.documents`, with a capped total."""
    where, params = _document_filters(publisher, language, since, until)
    base = "FROM documents d"
    if query:
        base += " JOIN documents_fts f ON f.rowid = d.rowid"
        where.append("documents_fts MATCH ?")
        params.append(fts_query(query))
    if where:
        base += " WHERE " + " AND ".join(where)
    cols = "d.id, d.title, d.publisher, d.author, d.published, d.language, d.url, d.chars"
    # published DESC walks the documents_published index; NULL dates sort last in a descending walk
    sql = f"SELECT {cols} {base} ORDER BY d.published DESC, d.id LIMIT ? OFFSET ?"
    try:
        rows = [dict(r) for r in ledger.conn.execute(sql, [*params, limit, offset])]
        total, capped = _capped_count(ledger.conn, f"SELECT 1 {base}", params)
    except sqlite3.OperationalError as exc:
        raise LedgerError(f"cannot search documents: {exc}") from exc
    return Page(rows, total, capped)


def publishers(ledger: Ledger, limit: int = 200) -> list[str]:
    """Distinct publishers (for the filter's suggestions), most frequent first."""
    rows = ledger.conn.execute(
        "SELECT publisher FROM documents WHERE publisher IS NOT NULL GROUP BY publisher ORDER BY count(*) DESC LIMIT ?",
        (limit,),
    )
    return [r[0] for r in rows]


def languages(ledger: Ledger) -> list[str]:
    rows = ledger.conn.execute(
        "SELECT DISTINCT language FROM documents WHERE language IS NOT NULL ORDER BY language LIMIT 100"
    )
    return [r[0] for r in rows]


def _json_filters(filters: dict[str, str | None], allowed: tuple[str, ...]) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for key in allowed:
        value = filters.get(key)
        if not value:
            continue
        clauses.append(
            f"(lower(json_extract(r.data, '$.{key}')) = lower(?) OR (json_type(r.data, '$.{key}') = 'array' AND "
            f"EXISTS (SELECT 1 FROM json_each(r.data, '$.{key}') j WHERE lower(j.value) = lower(?))))"
        )
        params += [value, value]
    return clauses, params


def records_page(
    ledger: Ledger,
    type_: str,
    *,
    limit: int,
    offset: int = 0,
    filters: dict[str, str | None] | None = None,
    allowed: tuple[str, ...] = (),
    since: str | None = None,
    until: str | None = None,
    date_field: str | None = None,
    min_value: float | None = None,
) -> Page:
    """Records of one type joined with their document's title/publisher/date, newest document first.

    ``since``/``until`` bound the record's own date field (``date_field``, e.g. an allegation's ``time``) or, when
    it has none, its document's publication date. The walk follows the ``documents_published`` index document by
    document, so a page costs what it shows, not the size of the ledger.
    """
    clauses, params = _json_filters(filters or {}, allowed)
    clauses.insert(0, "r.type = ?")
    params.insert(0, type_)
    when = "d.published"
    if date_field:
        when = f"coalesce(json_extract(r.data, '$.{date_field}'), d.published)"
    if since:
        clauses.append(f"{when} >= ?")
        params.append(since)
    if until:
        clauses.append(f"{when} <= ?")
        params.append(until + "\uffff")
    if min_value is not None:
        clauses.append("CAST(json_extract(r.data, '$.value') AS REAL) >= ?")
        params.append(min_value)
    base = "FROM documents d CROSS JOIN records r ON r.doc_id = d.id WHERE " + " AND ".join(clauses)
    sql = (
        "SELECT r.*, d.title AS doc_title, d.publisher AS doc_publisher, d.published AS doc_published "
        f"{base} ORDER BY d.published DESC, d.id, r.start LIMIT ? OFFSET ?"
    )
    try:
        rows = []
        for row in ledger.conn.execute(sql, [*params, limit, offset]):
            item = _record(row).export()
            item.pop("source", None)
            item["doc_title"] = row["doc_title"]
            item["doc_publisher"] = row["doc_publisher"]
            item["doc_published"] = row["doc_published"]
            item["review"] = json.loads(row["data"]).get("review")
            rows.append(item)
        total, capped = _capped_count(ledger.conn, f"SELECT 1 {base}", params)
    except sqlite3.OperationalError as exc:
        raise LedgerError(f"cannot list {type_} records: {exc}") from exc
    return Page(rows, total, capped)


def distinct_values(ledger: Ledger, type_: str, key: str, limit: int = 300) -> list[str]:
    """Distinct values of a JSON field (list fields flattened) of one record type, most frequent first."""
    if not key.isidentifier():
        raise LedgerError(f"bad field name {key!r}")
    sql = (
        f"SELECT v, count(*) AS n FROM (SELECT CASE WHEN json_type(r.data, '$.{key}') = 'array' THEN j.value "
        f"ELSE json_extract(r.data, '$.{key}') END AS v FROM records r LEFT JOIN json_each(r.data, '$.{key}') j "
        f"ON json_type(r.data, '$.{key}') = 'array' WHERE r.type = ?) WHERE v IS NOT NULL "
        "GROUP BY v ORDER BY n DESC, v LIMIT ?"
    )
    return [str(r[0]) for r in ledger.conn.execute(sql, (type_, limit))]


def document_records(ledger: Ledger, doc_id: str) -> list[tuple[Record, dict[str, Any] | None]]:
    """Every record of a document in text order, with its review note (edits / rejection) if any."""
    rows = ledger.conn.execute("SELECT * FROM records WHERE doc_id = ? ORDER BY start, end DESC, type", (doc_id,))
    return [(_record(r), json.loads(r["data"]).get("review")) for r in rows]


def related_documents(ledger: Ledger, doc_id: str, limit: int = 10) -> list[dict[str, Any]]:
    """Documents that share the most allegations (claimant/act) and actors with ``doc_id``.

    A stand-in until lineage links land: two statements about the same accusation by the same claimant, or naming the
    same actors, are what an analyst opens next.
    """
    sql = """
    WITH keys AS (
        SELECT DISTINCT CASE type
            WHEN 'allegation' THEN 'a:' || lower(coalesce(json_extract(data, '$.claimant'), '')) || '|' || json_extract(data, '$.act')
            WHEN 'actor' THEN 'p:' || lower(json_extract(data, '$.actor'))
            WHEN 'legal' THEN 'l:' || lower(json_extract(data, '$.instrument'))
        END AS k
        FROM records WHERE doc_id = ? AND type IN ('allegation', 'actor', 'legal')
    ),
    others AS (
        SELECT r.doc_id, CASE r.type
            WHEN 'allegation' THEN 'a:' || lower(coalesce(json_extract(r.data, '$.claimant'), '')) || '|' || json_extract(r.data, '$.act')
            WHEN 'actor' THEN 'p:' || lower(json_extract(r.data, '$.actor'))
            WHEN 'legal' THEN 'l:' || lower(json_extract(r.data, '$.instrument'))
        END AS k
        FROM records r WHERE r.doc_id != ? AND r.type IN ('allegation', 'actor', 'legal')
    )
    SELECT o.doc_id AS id, d.title, d.publisher, d.published, count(DISTINCT o.k) AS shared,
           sum(CASE WHEN substr(o.k, 1, 2) = 'a:' THEN 1 ELSE 0 END) AS shared_allegations
    FROM others o JOIN keys ON keys.k = o.k JOIN documents d ON d.id = o.doc_id
    GROUP BY o.doc_id ORDER BY shared_allegations DESC, shared DESC, d.published DESC LIMIT ?
    """
    return [dict(r) for r in ledger.conn.execute(sql, (doc_id, doc_id, limit))]


def timeline(ledger: Ledger, *, precision: str = "month") -> dict[str, list[tuple[str, int]]]:
    """Counts per period of statements (documents by publication date) and dated events (date records)."""
    width = 7 if precision == "month" else 4 if precision == "year" else 10
    docs = ledger.conn.execute(
        f"SELECT substr(published, 1, {width}) AS p, count(*) FROM documents WHERE published IS NOT NULL "
        "AND length(published) >= ? GROUP BY p ORDER BY p",
        (width,),
    ).fetchall()
    events = ledger.conn.execute(
        f"SELECT substr(json_extract(data, '$.date'), 1, {width}) AS p, count(*) FROM records WHERE type = 'date' "
        "AND length(json_extract(data, '$.date')) >= ? GROUP BY p ORDER BY p",
        (width,),
    ).fetchall()
    return {"statements": [(r[0], int(r[1])) for r in docs], "events": [(r[0], int(r[1])) for r in events]}


def accusation_edges(ledger: Ledger, *, limit: int = 400) -> list[dict[str, Any]]:
    """Claimant → accused edges from allegations: one row per (claimant, accused, stance) with its count."""
    sql = """
    SELECT json_extract(r.data, '$.claimant') AS claimant, j.value AS accused,
           json_extract(r.data, '$.stance') AS stance, count(*) AS n, count(DISTINCT r.doc_id) AS documents
    FROM records r, json_each(r.data, '$.accused') j
    WHERE r.type = 'allegation' AND json_extract(r.data, '$.claimant') IS NOT NULL
      AND coalesce(json_extract(r.data, '$.review.rejected'), 0) = 0
    GROUP BY claimant, accused, stance ORDER BY n DESC LIMIT ?
    """
    return [dict(r) for r in ledger.conn.execute(sql, (limit,))]


def review_record(
    ledger: Ledger, record_id: str, *, changes: dict[str, Any] | None = None, rejected: bool | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Correct fields of a record and/or mark it rejected; the review note is kept in the record's data.

    A later ``analyze`` that re-extracts the document replaces its records (and so these reviews).
    """
    row = ledger.conn.execute("SELECT type, data FROM records WHERE id = ?", (record_id,)).fetchone()
    if row is None:
        raise NotFound(f"no record with id {record_id}")
    type_, data = row["type"], json.loads(row["data"])
    allowed = EDITABLE.get(type_, ())
    for key in changes or {}:
        if key not in allowed:
            raise UsageError(f"field {key!r} of a {type_} cannot be edited; editable fields: {', '.join(allowed)}")
    review = dict(data.get("review") or {})
    for key, value in (changes or {}).items():
        review.setdefault("original", {}).setdefault(key, data.get(key))
        data[key] = value
    if rejected is not None:
        review["rejected"] = rejected
    if note is not None:
        review["note"] = note
    review["at"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    data["review"] = review
    try:
        with ledger.transaction() as conn:
            conn.execute("UPDATE records SET data = ? WHERE id = ?", (json.dumps(data, ensure_ascii=False), record_id))
    except sqlite3.Error as exc:
        raise LedgerError(f"cannot update record {record_id}: {exc}") from exc
    return {"id": record_id, "type": type_, **data}
