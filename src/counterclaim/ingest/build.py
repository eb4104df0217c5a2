"""Raw document → stored :class:`Document`: cleaning, metadata found in the text, language."""

from __future__ import annotations

from counterclaim.errors import InputError
from counterclaim.ingest.clean import normalise
from counterclaim.ingest.readers import RawDocument
from counterclaim.records import Document


def build_document(raw: RawDocument) -> Document:
    text = normalise(raw.text or "")
    if not text.strip():
        raise InputError(raw.source.source, "no text left after cleaning")
    return Document.from_text(
        text, title=raw.title, publisher=raw.publisher, author=raw.author, published=raw.published, url=raw.url,
        meta=dict(raw.meta),
    )
