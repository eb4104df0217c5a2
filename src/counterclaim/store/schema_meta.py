"""Tables of the meta component: analysts' corrections of document metadata (``counterclaim fix-meta``).

Append new migrations at the end; never edit one that has shipped.
"""

MIGRATIONS: list[str] = [
    # 1: one correction per document and field, beside the value the pipeline had found
    """
    CREATE TABLE meta_fixes (
        doc_id TEXT NOT NULL,           -- no foreign key: a correction outlives its document and is applied again
                                        -- when the same text (same id) is ingested again
        field TEXT NOT NULL,            -- title | publisher | author | published | language
        value TEXT NOT NULL,            -- the analyst's value, which the documents table then holds
        extracted TEXT,                 -- the value found by ingest before the first correction (NULL: none)
        note TEXT,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        PRIMARY KEY (doc_id, field)
    );
    """,
]
