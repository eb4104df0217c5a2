"""Ingestion: files, folders and streams → normalised documents with provenance, stored in the ledger.

``ingest_paths`` walks the inputs, picks a reader per file by content and extension, cleans the text, finds
metadata, and writes each document in its own transaction, so an interrupted run leaves a consistent ledger and a
re-run resumes. A bad input is reported (one line: file and reason) and recorded; the rest goes on.
"""

from counterclaim.ingest.run import IngestOptions, IngestReport, ingest_paths

__all__ = ["IngestOptions", "IngestReport", "ingest_paths"]
