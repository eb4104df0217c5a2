"""Tables of the link component. Append new migrations at the end; never edit one that has shipped."""

MIGRATIONS: list[str] = [
    # 1: lineage fingerprints, links with their aligned sentence pairs, sentence embedding cache,
    #    incidents with their records, and per-incident figure comparisons
    """
    CREATE TABLE link_fingerprints (
        doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        signature BLOB NOT NULL,
        keys TEXT NOT NULL,
        version TEXT NOT NULL
    );
    CREATE TABLE links (
        doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        other TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('duplicate', 'rewrite', 'partial')),
        share REAL NOT NULL,
        other_share REAL NOT NULL,
        pairs INTEGER NOT NULL,
        method TEXT NOT NULL,
        PRIMARY KEY (doc, other)
    );
    CREATE INDEX links_other ON links(other);
    CREATE TABLE link_pairs (
        doc TEXT NOT NULL,
        other TEXT NOT NULL,
        doc_start INTEGER NOT NULL,
        doc_end INTEGER NOT NULL,
        other_start INTEGER NOT NULL,
        other_end INTEGER NOT NULL,
        score REAL NOT NULL,
        lexical REAL NOT NULL,
        FOREIGN KEY (doc, other) REFERENCES links(doc, other) ON DELETE CASCADE
    );
    CREATE INDEX link_pairs_link ON link_pairs(doc, other);
    CREATE TABLE sentence_embeddings (
        hash TEXT NOT NULL,
        model TEXT NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (hash, model)
    ) WITHOUT ROWID;
    CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        place TEXT,
        start TEXT,
        end TEXT,
        acts TEXT NOT NULL,
        docs TEXT NOT NULL
    );
    CREATE TABLE incident_records (
        incident TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
        record TEXT NOT NULL,
        doc TEXT NOT NULL,
        type TEXT NOT NULL,
        PRIMARY KEY (incident, record)
    );
    CREATE INDEX incident_records_record ON incident_records(record);
    CREATE TABLE comparisons (
        incident TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
        category TEXT NOT NULL,
        vals TEXT NOT NULL,
        verdict TEXT NOT NULL,
        PRIMARY KEY (incident, category)
    );
    CREATE TABLE link_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: incidents built incrementally: per-sentence mentions with their resolved place and event time, groups
    #    (the incident's summary: country, place, core interval, act families) indexed by country and start, the
    #    extraction each document was grouped from, and analysts' decisions (merge, split, move, rename) that are
    #    re-applied after every update; incidents carry the group, the place's coordinates and the decision flag.
    """
    CREATE TABLE incident_mentions (
        id INTEGER PRIMARY KEY,
        doc TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        records TEXT NOT NULL,
        families TEXT NOT NULL,
        acts TEXT NOT NULL,
        specific TEXT NOT NULL,
        place TEXT,
        place_key TEXT,
        countries TEXT NOT NULL,
        t0 TEXT,
        t1 TEXT,
        prec TEXT,
        time_text TEXT,
        background INTEGER NOT NULL DEFAULT 0,
        grp INTEGER
    );
    CREATE INDEX incident_mentions_doc ON incident_mentions(doc, start);
    CREATE INDEX incident_mentions_grp ON incident_mentions(grp);
    CREATE TABLE incident_groups (
        id INTEGER PRIMARY KEY,
        country TEXT,
        place TEXT,
        place_key TEXT,
        admin1 TEXT,
        lat REAL,
        lon REAL,
        cell TEXT,
        t0 TEXT,
        t1 TEXT,
        prec TEXT,
        families TEXT NOT NULL,
        specific TEXT NOT NULL,
        dirty INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX incident_groups_time ON incident_groups(country, t0);
    CREATE INDEX incident_groups_place ON incident_groups(country, place_key);
    CREATE INDEX incident_groups_cell ON incident_groups(cell, prec, t0);
    CREATE INDEX incident_groups_admin1 ON incident_groups(country, admin1, prec, t0);
    CREATE INDEX incident_groups_dirty ON incident_groups(dirty) WHERE dirty = 1;
    CREATE TABLE incident_docs (doc TEXT PRIMARY KEY, seen TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE incident_decisions (
        id INTEGER PRIMARY KEY,
        action TEXT NOT NULL CHECK (action IN ('merge', 'split', 'move_in', 'move_out', 'rename')),
        doc TEXT NOT NULL,
        start INTEGER NOT NULL,
        args TEXT NOT NULL,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    ALTER TABLE incidents ADD COLUMN grp INTEGER;
    ALTER TABLE incidents ADD COLUMN country TEXT;
    ALTER TABLE incidents ADD COLUMN admin1 TEXT;
    ALTER TABLE incidents ADD COLUMN lat REAL;
    ALTER TABLE incidents ADD COLUMN lon REAL;
    ALTER TABLE incidents ADD COLUMN feature TEXT;
    ALTER TABLE incidents ADD COLUMN sources INTEGER;
    ALTER TABLE incidents ADD COLUMN decided TEXT;
    CREATE INDEX incidents_grp ON incidents(grp);
    CREATE INDEX link_pairs_other ON link_pairs(other);
    """,
]
