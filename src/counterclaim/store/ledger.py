"""The ledger: the one place that speaks SQL for documents, sources, problems and extracted records.

Other stages have their own store modules (``links.py``, ``evidence.py``) over the same connection.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from counterclaim.errors import LedgerError, NotFound
from counterclaim.records import Document, Record, SourceRef, record_from_row
from counterclaim.store.db import connect
from counterclaim.store.docmeta import apply_fixes

DEFAULT_DB = "counterclaim.db"


@dataclass
class AddResult:
    """What adding a document did: ``new`` document, ``new_source`` for a known text, or ``known`` (nothing)."""

    doc_id: str
    status: str


class Ledger:
    """A counterclaim ledger in one SQLite file."""

    def __init__(self, path: str | Path = DEFAULT_DB, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.conn = connect(self.path, readonly=readonly)

    # -- lifecycle -------------------------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work: everything inside is committed together or not at all."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    # -- documents -------------------------------------------------------------------------------------------
    def add_document(self, doc: Document, source: SourceRef) -> AddResult:
        """Store ``doc`` (if its text is new) and ``source`` (if new for it), in one transaction."""
        try:
            with self.transaction() as conn:
                exists = conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc.id,)).fetchone()
                if not exists:
                    conn.execute(
                        "INSERT INTO documents(id, sha256, title, publisher, author, published, language, url, text,"
                        " chars, meta) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        (doc.id, doc.sha256, doc.title, doc.publisher, doc.author, doc.published, doc.language,
                         doc.url, doc.text, len(doc.text), json.dumps(doc.meta, ensure_ascii=False)),
                    )
                cur = conn.execute(
                    "INSERT OR IGNORE INTO sources(doc_id, source, kind, locator, url) VALUES (?,?,?,?,?)",
                    (doc.id, source.source, source.kind, source.locator or "", source.url),
                )
                if exists:  # metadata this source knows and the first one did not fills the gaps
                    self._fill_missing_metadata(conn, doc)
                else:  # an analyst's corrections of this text, made before it was last removed, win again
                    apply_fixes(conn, doc.id)
        except sqlite3.Error as exc:
            raise LedgerError(f"cannot write document {doc.id} to {self.path}: {exc}") from exc
        if not exists:
            return AddResult(doc.id, "new")
        return AddResult(doc.id, "new_source" if cur.rowcount else "known")

    @staticmethod
    def _fill_missing_metadata(conn: sqlite3.Connection, doc: Document) -> None:
        for column in ("title", "publisher", "author", "published", "language", "url"):
            value = getattr(doc, column)
            if value:
                conn.execute(f"UPDATE documents SET {column} = ? WHERE id = ? AND {column} IS NULL", (value, doc.id))

    def has_document(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def get_document(self, prefix: str) -> Document:
        """The document whose id starts with ``prefix`` (unique prefix required)."""
        rows = self.conn.execute(
            "SELECT * FROM documents WHERE id >= ? AND id < ? LIMIT 2", (prefix, prefix + "\uffff")
        ).fetchall()
        if not rows:
            raise NotFound(f"no document with id starting '{prefix}' (list them with 'counterclaim docs')")
        if len(rows) > 1:
            raise NotFound(f"'{prefix}' matches several documents; give more characters of the id")
        return _document(rows[0])

    def documents(
        self,
        *,
        limit: int | None = None,
        offset: int = 0,
        publisher: str | None = None,
        language: str | None = None,
        since: str | None = None,
        until: str | None = None,
        query: str | None = None,
        with_text: bool = False,
    ) -> list[dict[str, Any]]:
        """Document summaries (no text unless ``with_text``), newest first, with optional filters and FTS query."""
        cols = "d.id, d.title, d.publisher, d.author, d.published, d.language, d.url, d.chars, d.sha256, d.ingested_at"
        if with_text:
            cols += ", d.text"
        sql = f"SELECT {cols}, (SELECT source FROM sources s WHERE s.doc_id = d.id ORDER BY added_at LIMIT 1) AS source FROM documents d"
        where, params = _document_filters(publisher, language, since, until)
        if query:
            sql += " JOIN documents_fts f ON f.rowid = d.rowid"
            where.append("documents_fts MATCH ?")
            params.append(fts_query(query))
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY d.published IS NULL, d.published DESC, d.id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        try:
            return [dict(r) for r in self.conn.execute(sql, params)]
        except sqlite3.OperationalError as exc:
            raise LedgerError(f"cannot search documents: {exc}") from exc

    def count_documents(self, **filters: Any) -> int:
        where, params = _document_filters(
            filters.get("publisher"), filters.get("language"), filters.get("since"), filters.get("until")
        )
        sql = "SELECT count(*) FROM documents d"
        if filters.get("query"):
            sql += " JOIN documents_fts f ON f.rowid = d.rowid"
            where.append("documents_fts MATCH ?")
            params.append(fts_query(filters["query"]))
        if where:
            sql += " WHERE " + " AND ".join(where)
        return int(self.conn.execute(sql, params).fetchone()[0])

    def iter_documents(self, ids: Iterable[str] | None = None, batch: int = 256) -> Iterator[Document]:
        """Stream full documents (all, or the given ids) without loading the whole ledger."""
        if ids is not None:
            id_list = list(ids)
            for i in range(0, len(id_list), batch):
                chunk = id_list[i : i + batch]
                marks = ",".join("?" * len(chunk))
                for row in self.conn.execute(f"SELECT * FROM documents WHERE id IN ({marks})", chunk).fetchall():
                    yield _document(row)
            return
        last = ""
        while True:
            rows = self.conn.execute("SELECT * FROM documents WHERE id > ? ORDER BY id LIMIT ?", (last, batch)).fetchall()
            if not rows:
                return
            for row in rows:
                yield _document(row)
            last = rows[-1]["id"]

    def sources(self, doc_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(
            "SELECT source, kind, locator, url, added_at FROM sources WHERE doc_id = ? ORDER BY added_at, source", (doc_id,)
        )]

    def first_sources(self) -> dict[str, str]:
        """doc id → the first source it was ingested from (for exports)."""
        rows = self.conn.execute(
            "SELECT doc_id, source FROM sources s WHERE rowid = (SELECT min(rowid) FROM sources WHERE doc_id = s.doc_id)"
        )
        return {r[0]: r[1] for r in rows}

    # -- inputs and problems ---------------------------------------------------------------------------------
    def record_problem(self, source: str, reason: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT INTO problems(source, reason) VALUES (?, ?)", (source, reason))

    def problems(self, limit: int = 100) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM problems ORDER BY id DESC LIMIT ?", (limit,))]

    def input_done(self, path: str, size: int, mtime: float) -> bool:
        row = self.conn.execute("SELECT size, mtime FROM inputs_done WHERE path = ?", (path,)).fetchone()
        return row is not None and row[0] == size and abs(row[1] - mtime) < 1e-6

    def mark_input_done(self, path: str, size: int, mtime: float, documents: int) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO inputs_done(path, size, mtime, documents) VALUES (?,?,?,?) "
                "ON CONFLICT(path) DO UPDATE SET size=excluded.size, mtime=excluded.mtime, documents=excluded.documents,"
                " at=strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
                (path, size, mtime, documents),
            )

    # -- extracted records -----------------------------------------------------------------------------------
    def stale_documents(self, version: str) -> list[str]:
        """Ids of documents never extracted, or extracted by another extractor version."""
        rows = self.conn.execute(
            "SELECT d.id FROM documents d LEFT JOIN extractions e ON e.doc_id = d.id "
            "WHERE e.version IS NULL OR e.version != ? ORDER BY d.id",
            (version,),
        )
        return [r[0] for r in rows]

    def replace_records(self, doc_id: str, version: str, records: list[Record]) -> None:
        """Replace every record of ``doc_id`` by ``records`` and mark it extracted by ``version``, atomically.

        Analysts' review decisions on the document are re-attached to the new records at their spans (or listed as
        orphaned) in the same transaction.
        """
        try:
            with self.transaction() as conn:
                conn.execute("DELETE FROM records WHERE doc_id = ?", (doc_id,))
                conn.executemany(
                    "INSERT OR REPLACE INTO records(id, doc_id, type, start, end, sentence, version, data)"
                    " VALUES (?,?,?,?,?,?,?,?)",
                    [
                        (r.id, doc_id, r.TYPE, r.start, r.end, r.sentence, r.version or version,
                         json.dumps(r.data(), ensure_ascii=False))
                        for r in records
                    ],
                )
                conn.execute(
                    "INSERT INTO extractions(doc_id, version, records) VALUES (?,?,?) ON CONFLICT(doc_id) DO UPDATE"
                    " SET version=excluded.version, records=excluded.records, at=strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
                    (doc_id, version, len(records)),
                )
                from counterclaim.store.review import (
                    reattach_document,  # analysts' decisions follow their spans
                )

                reattach_document(conn, doc_id)
        except sqlite3.Error as exc:
            raise LedgerError(f"cannot write records of document {doc_id}: {exc}") from exc

    def records(
        self,
        type_: str | None = None,
        *,
        doc_id: str | None = None,
        where: dict[str, Any] | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Record]:
        """Records, optionally of one type / document; ``where`` matches JSON fields (``{"act": "landmines"}``).

        A list-valued field (``accused``) matches when it contains the value. Text matches are case-insensitive.
        """
        sql = "SELECT r.* FROM records r"
        clauses: list[str] = []
        params: list[Any] = []
        if type_:
            clauses.append("r.type = ?")
            params.append(type_)
        if doc_id:
            clauses.append("r.doc_id = ?")
            params.append(doc_id)
        for key, value in (where or {}).items():
            if not key.replace("_", "").isalnum():
                raise LedgerError(f"bad field name {key!r}")
            clauses.append(
                f"(lower(json_extract(r.data, '$.{key}')) = lower(?) OR EXISTS (SELECT 1 FROM json_each(r.data, '$.{key}') j"
                f" WHERE json_type(r.data, '$.{key}') = 'array' AND lower(j.value) = lower(?)))"
            )
            params += [value, value]
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY r.doc_id, r.start, r.type"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [_record(row) for row in self.conn.execute(sql, params)]

    def get_record(self, record_id: str) -> Record:
        row = self.conn.execute("SELECT * FROM records WHERE id = ?", (record_id,)).fetchone()
        if row is None:
            raise NotFound(f"no record with id {record_id}")
        return _record(row)

    def find_record(self, prefix: str) -> Record:
        """The record whose id is ``prefix`` or starts with it (one only)."""
        prefix = prefix.strip()
        if not prefix:
            raise NotFound("give a record id (or its first characters)")
        rows = self.conn.execute(
            "SELECT * FROM records WHERE id >= ? AND id < ? ORDER BY id LIMIT 2", (prefix, prefix + "\uffff")
        ).fetchall()
        if not rows:
            raise NotFound(f"no record with id {prefix} (ids are in the first column of 'counterclaim allegations')")
        if len(rows) > 1 and rows[0]["id"] != prefix:
            raise NotFound(f"{prefix} is the start of several record ids: give more characters")
        return _record(rows[0])

    def counts(self) -> dict[str, int]:
        """Number of documents, sources, problems and records of each type."""
        out = {
            "documents": self.conn.execute("SELECT count(*) FROM documents").fetchone()[0],
            "sources": self.conn.execute("SELECT count(*) FROM sources").fetchone()[0],
            "problems": self.conn.execute("SELECT count(*) FROM problems").fetchone()[0],
        }
        for type_, n in self.conn.execute("SELECT type, count(*) FROM records GROUP BY type ORDER BY type"):
            out[type_] = n
        return out


def _document_filters(
    publisher: str | None, language: str | None, since: str | None, until: str | None
) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if publisher:
        where.append("d.publisher LIKE ?")
        params.append(f"%{publisher}%")
    if language:
        where.append("d.language = ?")
        params.append(language)
    if since:
        where.append("d.published >= ?")
        params.append(since)
    if until:
        where.append("d.published <= ?")
        params.append(until + "\uffff")
    return where, params


def fts_query(text: str) -> str:
    """Turn what a user types into a safe FTS5 query: words are ANDed, quoted phrases kept, operators neutralised."""
    import shlex

    text = "".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in text)  # NUL and other controls: no terms
    try:
        parts = shlex.split(text)
    except ValueError:
        parts = text.split()
    terms = ['"' + p.replace('"', '""') + '"' for p in parts if p.strip()]
    return " ".join(terms) if terms else '""'


def _document(row: sqlite3.Row) -> Document:
    return Document(
        id=row["id"], sha256=row["sha256"], text=row["text"], title=row["title"], publisher=row["publisher"],
        author=row["author"], published=row["published"], language=row["language"], url=row["url"],
        meta=json.loads(row["meta"] or "{}"),
    )


def _record(row: sqlite3.Row) -> Record:
    base = {k: row[k] for k in ("id", "start", "end", "sentence", "version")}
    base["doc"] = row["doc_id"]
    return record_from_row(row["type"], base, json.loads(row["data"]))
