"""Tables of the core component: documents, their sources, rejected inputs, extracted records.

Append new migrations at the end; never edit one that has shipped.
"""

MIGRATIONS: list[str] = [
    # 1: documents, sources, problems, full-text index
    """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,            -- first 16 hex digits of sha256(normalised text)
        sha256 TEXT NOT NULL UNIQUE,
        title TEXT,
        publisher TEXT,
        author TEXT,
        published TEXT,                 -- ISO date or datetime
        language TEXT,
        url TEXT,
        text TEXT NOT NULL,
        chars INTEGER NOT NULL,
        meta TEXT NOT NULL DEFAULT '{}',
        ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX documents_published ON documents(published);
    CREATE INDEX documents_publisher ON documents(publisher);
    CREATE INDEX documents_language ON documents(language);

    CREATE TABLE sources (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        source TEXT NOT NULL,           -- path or URL as given to ingest
        kind TEXT NOT NULL,             -- reader: text | html | jsonl | warc | feed | stdin
        locator TEXT NOT NULL DEFAULT '',  -- line, record offset or entry id inside the source
        url TEXT,
        added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        PRIMARY KEY (doc_id, source, locator)
    );
    CREATE INDEX sources_source ON sources(source);

    CREATE TABLE problems (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );

    -- inputs read to the end: a re-run skips a file whose size and mtime did not change
    CREATE TABLE inputs_done (
        path TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        mtime REAL NOT NULL,
        documents INTEGER NOT NULL,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );

    CREATE VIRTUAL TABLE documents_fts USING fts5(
        title, text, content='documents', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    END;
    CREATE TRIGGER documents_au AFTER UPDATE OF title, text ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    """,
    # 2: extracted records (one table, typed by `type`; type-specific fields in JSON `data`)
    """
    CREATE TABLE records (
        id TEXT PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        type TEXT NOT NULL,             -- quote | figure | date | actor | legal | allegation
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        sentence TEXT NOT NULL DEFAULT '',
        version TEXT NOT NULL,
        data TEXT NOT NULL              -- JSON of the type-specific fields (see counterclaim.records)
    );
    CREATE INDEX records_doc ON records(doc_id, type, start);
    CREATE INDEX records_type ON records(type);

    -- which extractor version last processed each document (stale when it differs from the running one)
    CREATE TABLE extractions (
        doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        version TEXT NOT NULL,
        records INTEGER NOT NULL,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    """,
    # 3: indexes for the web workbench's list pages (keyset walk newest first; the selective record filters)
    """
    CREATE INDEX documents_walk ON documents(coalesce(published, ''), id);
    CREATE INDEX records_allegation_claimant ON records(lower(json_extract(data, '$.claimant'))) WHERE type = 'allegation';
    CREATE INDEX records_allegation_act ON records(lower(json_extract(data, '$.act'))) WHERE type = 'allegation';
    CREATE INDEX records_figure_category ON records(lower(json_extract(data, '$.category'))) WHERE type = 'figure';
    """,
    # 4: the web workbench's accuser + act filter (and related documents) in one index look-up
    """
    CREATE INDEX records_allegation_claimant_act ON records(
        lower(json_extract(data, '$.claimant')), lower(json_extract(data, '$.act'))
    ) WHERE type = 'allegation';
    """,
]
