"""Tables of the custody component (tamper evidence for the evidence registry). Append new migrations at the end.

* ``evidence_custody.record_sha256``: the SHA-256 of the canonical JSON of the row a custody entry records (the
  item's row for ``registered``, the step for ``verification``, the link for ``linked``), inside the hash chain, so
  an edited provenance field, step or link no longer matches its entry. '' for entries written before.
* ``evidence_heads``: custody heads (entry count + running hash of the whole log, see
  ``counterclaim.evidence.custody``) recorded at each seal; ``evidence check`` re-verifies every one.
* Triggers make steps, links, items and heads append-only too (the hashes detect what gets past them).
"""

MIGRATIONS: list[str] = [
    """
    ALTER TABLE evidence_custody ADD COLUMN record_sha256 TEXT NOT NULL DEFAULT '';

    CREATE TABLE evidence_heads (
        id INTEGER PRIMARY KEY,
        entries INTEGER NOT NULL,
        head TEXT NOT NULL,
        at TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT ''    -- 'seal <manifest_sha256>' ...
    );
    CREATE TRIGGER evidence_heads_no_update BEFORE UPDATE ON evidence_heads BEGIN
        SELECT RAISE(ABORT, 'custody heads are append-only');
    END;
    CREATE TRIGGER evidence_heads_no_delete BEFORE DELETE ON evidence_heads BEGIN
        SELECT RAISE(ABORT, 'custody heads are append-only');
    END;
    CREATE TRIGGER evidence_steps_no_update BEFORE UPDATE ON evidence_steps BEGIN
        SELECT RAISE(ABORT, 'verification steps are append-only');
    END;
    CREATE TRIGGER evidence_steps_no_delete BEFORE DELETE ON evidence_steps BEGIN
        SELECT RAISE(ABORT, 'verification steps are append-only');
    END;
    CREATE TRIGGER evidence_links_no_update BEFORE UPDATE ON evidence_links BEGIN
        SELECT RAISE(ABORT, 'evidence links are append-only');
    END;
    CREATE TRIGGER evidence_links_no_delete BEFORE DELETE ON evidence_links BEGIN
        SELECT RAISE(ABORT, 'evidence links are append-only');
    END;
    CREATE TRIGGER evidence_items_no_update BEFORE UPDATE ON evidence_items BEGIN
        SELECT RAISE(ABORT, 'registered evidence items are append-only');
    END;
    CREATE TRIGGER evidence_items_no_delete BEFORE DELETE ON evidence_items BEGIN
        SELECT RAISE(ABORT, 'registered evidence items are append-only');
    END;
    """,
]
