"""Tables of the evidence component. Append new migrations at the end; never edit one that has shipped.

* ``evidence_items``: one row per registered file (content-addressed: ``id`` is the first 16 hex digits of its
  SHA-256), with its hashes, verbatim and normalised metadata and who collected it from where.
* ``evidence_custody``: the append-only chain of custody. Each entry carries ``prev_hash`` (the previous entry's
  ``entry_hash``, 64 zeros for the first) and ``entry_hash`` = sha256 of the canonical JSON of the entry (see
  ``counterclaim.evidence.custody``). Triggers refuse UPDATE and DELETE; the hash chain detects what gets past them.
* ``evidence_fingerprints``: perceptual hashes (64-bit pHash, one per image, several per video) split into four
  16-bit bands ``b0..b3``, each indexed: the multi-index hashing lookup of ``counterclaim.evidence.fingerprint``.
* ``evidence_steps``: Berkeley Protocol verification steps (history; the latest per step and analyst counts).
* ``evidence_links``: evidence item -> allegation record or incident id.
* ``evidence_seals``: manifests written by ``counterclaim seal`` (their hash, for later proof).
"""

MIGRATIONS: list[str] = [
    # 1: items, custody chain, fingerprints, verification steps, links, seals
    """
    CREATE TABLE evidence_items (
        id TEXT PRIMARY KEY,               -- first 16 hex digits of sha256
        sha256 TEXT NOT NULL UNIQUE,
        sha512 TEXT NOT NULL,
        md5 TEXT NOT NULL,
        size INTEGER NOT NULL,
        filename TEXT NOT NULL,            -- the original's file name as given
        original_path TEXT NOT NULL,       -- where it was copied from
        stored_path TEXT NOT NULL,         -- relative to the store root: sha256/ab/cdef...
        media_type TEXT NOT NULL,          -- video | audio | image | unreadable
        readable INTEGER NOT NULL DEFAULT 1,
        problem TEXT,                      -- why the media could not be read (registered with --force)
        source_url TEXT,
        collected_by TEXT,
        collected_at TEXT,
        note TEXT NOT NULL DEFAULT '',
        metadata_raw TEXT NOT NULL DEFAULT '{}',   -- verbatim ffprobe JSON / EXIF dump
        metadata TEXT NOT NULL DEFAULT '{}',       -- normalised fields
        added_at TEXT NOT NULL
    );
    CREATE INDEX evidence_items_added ON evidence_items(added_at);

    CREATE TABLE evidence_custody (
        item_id TEXT NOT NULL REFERENCES evidence_items(id),
        seq INTEGER NOT NULL,              -- 1, 2, 3 ... per item
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        file_sha256 TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        entry_hash TEXT NOT NULL,
        PRIMARY KEY (item_id, seq)
    );
    CREATE TRIGGER evidence_custody_no_update BEFORE UPDATE ON evidence_custody BEGIN
        SELECT RAISE(ABORT, 'the chain of custody is append-only');
    END;
    CREATE TRIGGER evidence_custody_no_delete BEFORE DELETE ON evidence_custody BEGIN
        SELECT RAISE(ABORT, 'the chain of custody is append-only');
    END;

    CREATE TABLE evidence_fingerprints (
        item_id TEXT NOT NULL REFERENCES evidence_items(id),
        idx INTEGER NOT NULL,              -- frame number in extraction order (0 for an image)
        at_s REAL,                         -- frame time in seconds (NULL for an image)
        hash INTEGER NOT NULL,             -- 64-bit pHash as a signed SQLite integer
        b0 INTEGER NOT NULL, b1 INTEGER NOT NULL, b2 INTEGER NOT NULL, b3 INTEGER NOT NULL,
        PRIMARY KEY (item_id, idx)
    );
    CREATE INDEX evidence_fp_b0 ON evidence_fingerprints(b0);
    CREATE INDEX evidence_fp_b1 ON evidence_fingerprints(b1);
    CREATE INDEX evidence_fp_b2 ON evidence_fingerprints(b2);
    CREATE INDEX evidence_fp_b3 ON evidence_fingerprints(b3);

    CREATE TABLE evidence_steps (
        id INTEGER PRIMARY KEY,
        item_id TEXT NOT NULL REFERENCES evidence_items(id),
        step TEXT NOT NULL,
        result TEXT NOT NULL,              -- confirmed | inconclusive | refuted
        analyst TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL
    );
    CREATE INDEX evidence_steps_item ON evidence_steps(item_id, step);

    CREATE TABLE evidence_links (
        item_id TEXT NOT NULL REFERENCES evidence_items(id),
        target_type TEXT NOT NULL,         -- allegation | incident
        target_id TEXT NOT NULL,
        linked_by TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL,
        PRIMARY KEY (item_id, target_type, target_id)
    );
    CREATE INDEX evidence_links_target ON evidence_links(target_type, target_id);

    CREATE TABLE evidence_seals (
        id INTEGER PRIMARY KEY,
        manifest_sha256 TEXT NOT NULL,
        path TEXT NOT NULL,
        documents INTEGER NOT NULL,
        exports INTEGER NOT NULL,
        at TEXT NOT NULL
    );
    """,
]
