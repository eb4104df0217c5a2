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
from counterclaim.errors import UsageError
from counterclaim.ingest.metadata import parse_published
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


def clean_corrections(values: dict[str, str | None]) -> dict[str, str]:
    """An analyst's corrections (field → value, None: not given) checked and normalised; :class:`UsageError` when
    one is empty, a date cannot be read or a language is not a code. Dates become ISO (``4 October 2022`` →
    ``2022-10-04``)."""
    changes = {k: " ".join(v.split()) for k, v in values.items() if v is not None}
    if any(not v for v in changes.values()):
        raise UsageError("a correction cannot be empty (use --undo FIELD to go back to the extracted value)")
    if "published" in changes:
        iso = parse_published(changes["published"])
        if iso is None:
            raise UsageError(f"cannot read the date {changes['published']!r}: write it as YYYY-MM-DD")
        changes["published"] = iso
    if "language" in changes and not (changes["language"].isalpha() and len(changes["language"]) <= 3):
        raise UsageError(f"{changes['language']!r} is not a language code such as en or fr")
    return changes
