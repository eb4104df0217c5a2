"""Tables of the review component: analysts' decisions, kept apart from the machine records.

``review_subjects`` holds one row per reviewed thing (a machine record at a span, or a record an analyst added):
where it is (document, type, span, SHA-256 of the span text), the machine record's fields when it was first
reviewed, the machine record it is attached to now (``NULL`` when the extractor no longer finds it: orphaned), and
the current outcome of its decisions. ``review_log`` is the append-only audit log of every decision (who, when,
before, after, reason) and of every re-attachment after a re-extraction; triggers refuse updates and deletes.

No foreign key points at ``records``: re-extraction replaces the machine records and must never take decisions with
it. Append new migrations at the end; never edit one that has shipped.
"""

MIGRATIONS: list[str] = [
    # 1: subjects of review, their current state, and the append-only audit log
    """
    CREATE TABLE review_subjects (
        id TEXT PRIMARY KEY,              -- the id of the record first reviewed, or of the added record
        doc_id TEXT NOT NULL,
        type TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        span_sha256 TEXT NOT NULL,        -- sha256 of the document text[start:end]
        sentence TEXT NOT NULL DEFAULT '',
        machine TEXT NOT NULL DEFAULT '{}',  -- the machine record's fields when first reviewed ('{}' when added)
        added INTEGER NOT NULL DEFAULT 0,
        record_id TEXT,                   -- the machine record it is attached to now; NULL: orphaned (or added)
        status TEXT NOT NULL CHECK (status IN ('confirmed', 'corrected', 'rejected', 'added')),
        changes TEXT NOT NULL DEFAULT '{}',  -- corrected fields (all fields of an added record)
        reason TEXT,
        reviewed_by TEXT NOT NULL,
        reviewed_at TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX review_subjects_doc ON review_subjects(doc_id, type, start);
    CREATE INDEX review_subjects_record ON review_subjects(record_id);

    CREATE TABLE review_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        subject TEXT NOT NULL,
        record_id TEXT,                   -- the machine record the decision was about, when there was one
        doc_id TEXT NOT NULL,
        type TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('confirm', 'correct', 'reject', 'add', 'reattach', 'orphan')),
        analyst TEXT NOT NULL,
        at TEXT NOT NULL,
        before TEXT NOT NULL DEFAULT '{}',
        after TEXT NOT NULL DEFAULT '{}',
        reason TEXT
    );
    CREATE INDEX review_log_subject ON review_log(subject, seq);
    CREATE TRIGGER review_log_no_update BEFORE UPDATE ON review_log BEGIN
        SELECT RAISE(ABORT, 'the review log is append-only');
    END;
    CREATE TRIGGER review_log_no_delete BEFORE DELETE ON review_log BEGIN
        SELECT RAISE(ABORT, 'the review log is append-only');
    END;
    """,
]
