"""What a document's export, ``show`` and the web UI say beyond its core columns.

* ``analysis``: ``"not analysed: language fr"`` for a language the extractors do not read (:mod:`.coverage`);
* ``original_publisher``: the outlet a repost names as the origin ("(Reuters)", "originally published by");
* ``encoding``: how its bytes were decoded (``windows-1252``; detected encodings are marked ``(detected)``);
* ``pages``: the page count of a paged source (PDF); each record of it then has ``page``;
* ``corrections``: the analyst's corrections, field → ``{"value", "extracted", "note", "at"}``.
"""

from __future__ import annotations

from typing import Any

from counterclaim.coverage import analysis_note
from counterclaim.ingest.pdf import page_at
from counterclaim.records import Document


def document_extras(doc: Document, corrections: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    encoding = doc.meta.get("encoding")
    if encoding and doc.meta.get("encoding_by") == "detected":
        encoding = f"{encoding} (detected)"
    pages = doc.meta.get("pages")
    return {
        "analysis": analysis_note(doc.language),
        "original_publisher": doc.meta.get("original_publisher"),
        "encoding": encoding,
        "pages": doc.meta.get("page_count") if isinstance(pages, list) else None,
        "corrections": corrections or {},
    }


def record_page(pages: Any, start: int) -> int | None:
    """The page a record starting at ``start`` is on, for a document with a page map (else None)."""
    return page_at(pages, start)
