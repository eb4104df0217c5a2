"""counterclaim: a ledger of sourced claims about war crimes.

Pipeline: ``ingest`` (files → documents) → ``nlp`` (spaCy pipeline) → ``extract`` (records with spans)
→ ``link`` (lineage, incidents, reconciliation) → ``store`` (SQLite ledger) → ``web`` / ``cli``.
"""

__version__ = "0.1.0"
