"""The review layer's SQL: subjects of review, their decisions and the append-only audit log.

A *subject* is what an analyst reviewed: a machine record at a span, or a record the analyst added. It is keyed to
the document, the record type, the span and the SHA-256 of the span text, so that after a re-extraction
(:func:`reattach_document`, run by :meth:`Ledger.replace_records`) it finds the machine record at the same place again
even when the record's id changed. A subject whose record is gone is *orphaned*: kept, listed, never dropped.

Validation of what analysts type and the reviewed view of records live in :mod:`counterclaim.review`.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from counterclaim.errors import LedgerError
from counterclaim.records import RECORD_TYPES, text_hash
from counterclaim.store.ledger import Ledger

#: who the audit log names for what counterclaim itself did (re-attaching decisions after a re-extraction)
SYSTEM = "counterclaim"
#: a machine record whose span overlaps a subject's by at least this share (of their union) may take its decisions
#: when no record of the same type has exactly the same span
MIN_OVERLAP = 0.6


class SubjectExists(LedgerError):
    """Another analyst's first decision on the same record was stored a moment earlier (the caller decides again)."""


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Subject:
    """One reviewed thing and the current outcome of its decisions."""

    id: str
    doc_id: str
    type: str
    start: int
    end: int
    span_sha256: str
    status: str  # confirmed | corrected | rejected | added
    reviewed_by: str
    reviewed_at: str
    sentence: str = ""
    machine: dict[str, Any] = field(default_factory=dict)
    added: bool = False
    record_id: str | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None
    created_at: str = ""

    @property
    def orphaned(self) -> bool:
        """Its machine record is gone (after a re-extraction); added records are never orphaned."""
        return not self.added and self.record_id is None

    def as_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["orphaned"] = self.orphaned
        return out


def _subject(row: sqlite3.Row) -> Subject:
    return Subject(
        id=row["id"], doc_id=row["doc_id"], type=row["type"], start=row["start"], end=row["end"],
        span_sha256=row["span_sha256"], status=row["status"], reviewed_by=row["reviewed_by"],
        reviewed_at=row["reviewed_at"], sentence=row["sentence"], machine=json.loads(row["machine"]),
        added=bool(row["added"]), record_id=row["record_id"], changes=json.loads(row["changes"]),
        reason=row["reason"], created_at=row["created_at"],
    )


def has_review_tables(conn: sqlite3.Connection) -> bool:
    """False for a ledger opened read-only before this counterclaim ever migrated it (nothing reviewed yet)."""
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'review_subjects'").fetchone()
    return row is not None


class ReviewStore:
    """Subjects, decisions and the audit log of one ledger."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.conn = ledger.conn
        self.ready = has_review_tables(self.conn)

    # -- reading ---------------------------------------------------------------------------------------------
    def by_record(self, record_ids: list[str]) -> dict[str, Subject]:
        """The subjects attached to these machine record ids (record id → subject)."""
        out: dict[str, Subject] = {}
        if not self.ready:
            return out
        for i in range(0, len(record_ids), 500):
            chunk = record_ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(f"SELECT * FROM review_subjects WHERE record_id IN ({marks})", chunk):
                out[row["record_id"]] = _subject(row)
        return out

    def get(self, subject_id: str) -> Subject | None:
        if not self.ready:
            return None
        row = self.conn.execute("SELECT * FROM review_subjects WHERE id = ?", (subject_id,)).fetchone()
        return _subject(row) if row else None

    def find_prefix(self, prefix: str) -> list[Subject]:
        """Subjects that are not attached to a machine record (added, orphaned) whose id starts with ``prefix``."""
        if not self.ready:
            return []
        rows = self.conn.execute(
            "SELECT * FROM review_subjects WHERE id >= ? AND id < ? AND record_id IS NULL LIMIT 2",
            (prefix, prefix + "\uffff"),
        )
        return [_subject(r) for r in rows]

    def subjects(
        self, *, doc_id: str | None = None, type_: str | None = None, detached: bool = False,
        orphaned: bool = False,
    ) -> list[Subject]:
        """Subjects (of a document / type); ``detached``: only those without a machine record (added or orphaned);
        ``orphaned``: only orphaned ones."""
        if not self.ready:
            return []
        clauses, params = _equal(doc_id=doc_id, type=type_)
        if detached or orphaned:
            clauses.append("record_id IS NULL")
        if orphaned:
            clauses.append("added = 0")
        sql = "SELECT * FROM review_subjects" + (" WHERE " + " AND ".join(clauses) if clauses else "")
        return [_subject(r) for r in self.conn.execute(sql + " ORDER BY doc_id, start, type, id", params)]

    def log(self, *, doc_id: str | None = None, subject: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """The audit log, oldest first (the last ``limit`` entries when given)."""
        if not self.ready:
            return []
        clauses, params = _equal(doc_id=doc_id, subject=subject)
        sql = "SELECT * FROM review_log" + (" WHERE " + " AND ".join(clauses) if clauses else "") + " ORDER BY seq DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        rows = [dict(r) for r in self.conn.execute(sql, params)]
        rows.reverse()
        for row in rows:
            row["before"] = json.loads(row["before"])
            row["after"] = json.loads(row["after"])
        return rows

    def reviewed_counts(self) -> dict[str, dict[str, int]]:
        """Per document: machine records, how many of them have a decision, added records, orphaned subjects."""
        out: dict[str, dict[str, int]] = {}
        for doc_id, n in self.conn.execute("SELECT doc_id, count(*) FROM records GROUP BY doc_id"):
            out[doc_id] = {"records": n, "reviewed": 0, "added": 0, "orphaned": 0}
        if not self.ready:
            return out
        for doc_id, attached, added, orphaned in self.conn.execute(
            "SELECT doc_id, sum(record_id IS NOT NULL), sum(added), sum(record_id IS NULL AND added = 0) "
            "FROM review_subjects GROUP BY doc_id"
        ):
            row = out.setdefault(doc_id, {"records": 0, "reviewed": 0, "added": 0, "orphaned": 0})
            row.update(reviewed=int(attached or 0), added=int(added or 0), orphaned=int(orphaned or 0))
        return out

    # -- writing ---------------------------------------------------------------------------------------------
    def save(
        self, subject: Subject, *, new: bool, action: str, record_id: str | None, before: dict[str, Any],
        after: dict[str, Any],
    ) -> int:
        """Store the subject's new state and append the decision to the log, in one transaction; the log's seq."""
        try:
            with self.ledger.transaction() as conn:
                values = (
                    subject.doc_id, subject.type, subject.start, subject.end, subject.span_sha256, subject.sentence,
                    json.dumps(subject.machine, ensure_ascii=False), int(subject.added), subject.record_id,
                    subject.status, json.dumps(subject.changes, ensure_ascii=False), subject.reason,
                    subject.reviewed_by, subject.reviewed_at,
                )
                if new:
                    conn.execute(
                        "INSERT INTO review_subjects(doc_id, type, start, end, span_sha256, sentence, machine, added,"
                        " record_id, status, changes, reason, reviewed_by, reviewed_at, id, created_at)"
                        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (*values, subject.id, subject.created_at or subject.reviewed_at),
                    )
                else:
                    conn.execute(
                        "UPDATE review_subjects SET doc_id=?, type=?, start=?, end=?, span_sha256=?, sentence=?,"
                        " machine=?, added=?, record_id=?, status=?, changes=?, reason=?, reviewed_by=?, reviewed_at=?"
                        " WHERE id = ?",
                        (*values, subject.id),
                    )
                cur = conn.execute(
                    "INSERT INTO review_log(subject, record_id, doc_id, type, action, analyst, at, before, after, reason)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (subject.id, record_id, subject.doc_id, subject.type, action, subject.reviewed_by,
                     subject.reviewed_at, json.dumps(before, ensure_ascii=False, default=str),
                     json.dumps(after, ensure_ascii=False, default=str), subject.reason),
                )
                return int(cur.lastrowid or 0)
        except sqlite3.IntegrityError as exc:
            if new and "review_subjects.id" in str(exc):
                raise SubjectExists(f"{subject.id} was reviewed by someone else a moment ago; decide again") from exc
            raise LedgerError(f"cannot store the review decision on {subject.id}: {exc}") from exc
        except sqlite3.Error as exc:
            raise LedgerError(f"cannot store the review decision on {subject.id}: {exc}") from exc


# -- re-attachment after a re-extraction ---------------------------------------------------------------------------
def _key_score(type_: str, machine: dict[str, Any], data: dict[str, Any]) -> int:
    """How many of the type's key fields a candidate record shares with the subject's machine snapshot."""
    cls = RECORD_TYPES.get(type_)
    keys = cls.KEY if cls else ()
    return sum(1 for k in keys if machine.get(k) == data.get(k))


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if inter > 0 and union > 0 else 0.0


def reattach_document(conn: sqlite3.Connection, doc_id: str) -> dict[str, int]:
    """Attach every reviewed subject of ``doc_id`` to the machine record now at its span (inside the caller's
    transaction). Returns counts: ``kept`` (same record), ``moved`` (another record id at the same place),
    ``orphaned`` (no record there any more: kept and listed, never dropped).

    A subject takes, in this order: the record with its previous id; a record of the same type at exactly the same
    span (the one sharing the most key fields); a record of the same type overlapping the span by ``MIN_OVERLAP``.
    The span text must still hash to the subject's ``span_sha256``. Each record takes at most one subject.
    """
    counts = {"kept": 0, "moved": 0, "orphaned": 0}
    if not has_review_tables(conn):
        return counts
    subjects = [
        _subject(r) for r in conn.execute(
            "SELECT * FROM review_subjects WHERE doc_id = ? AND added = 0 ORDER BY created_at, id", (doc_id,)
        )
    ]
    if not subjects:
        return counts
    row = conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
    text = row[0] if row else ""
    records = [
        (r["id"], r["type"], r["start"], r["end"], json.loads(r["data"]))
        for r in conn.execute("SELECT id, type, start, end, data FROM records WHERE doc_id = ?", (doc_id,))
    ]
    by_id = {r[0]: r for r in records}
    taken: set[str] = set()
    at = now()
    for subject in subjects:
        found: str | None = None
        if text_hash(text[subject.start : subject.end]) == subject.span_sha256:
            for rid in (subject.record_id, subject.id):
                rec = by_id.get(rid or "")
                if rec and rid not in taken and rec[1] == subject.type and (rec[2], rec[3]) == (subject.start, subject.end):
                    found = rid
                    break
            if found is None:
                same = [r for r in records if r[0] not in taken and r[1] == subject.type
                        and (r[2], r[3]) == (subject.start, subject.end)]
                near = [r for r in records if r[0] not in taken and r[1] == subject.type
                        and _overlap((r[2], r[3]), (subject.start, subject.end)) >= MIN_OVERLAP]
                pool = same or near
                if pool:
                    best = max(pool, key=lambda r: (_key_score(subject.type, subject.machine, r[4]),
                                                    _overlap((r[2], r[3]), (subject.start, subject.end)), r[0]))
                    found = best[0]
        if found is not None:
            taken.add(found)
        if found == subject.record_id:
            counts["kept"] += 1
            continue
        action = "orphan" if found is None else "reattach"
        counts["orphaned" if found is None else "moved"] += 1
        conn.execute("UPDATE review_subjects SET record_id = ? WHERE id = ?", (found, subject.id))
        conn.execute(
            "INSERT INTO review_log(subject, record_id, doc_id, type, action, analyst, at, before, after, reason)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            (subject.id, found, doc_id, subject.type, action, SYSTEM, at,
             json.dumps({"record_id": subject.record_id}), json.dumps({"record_id": found}),
             "re-extraction: " + ("no machine record at this span any more" if found is None
                                  else "the machine record at this span has a new id")),
        )
    return counts


def _equal(**columns: str | None) -> tuple[list[str], list[Any]]:
    """``column = ?`` clauses and their parameters for the columns given a value (column names are ours, never
    the user's)."""
    given = {k: v for k, v in columns.items() if v}
    return [f"{k} = ?" for k in given], list(given.values())
