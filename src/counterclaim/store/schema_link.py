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
]
