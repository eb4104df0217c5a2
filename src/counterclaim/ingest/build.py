"""Raw document → stored :class:`Document`: cleaning, metadata found in the text, language.

Metadata given by the source (HTML meta tags, feed entry, JSONL fields) wins; what the source does not say is looked
for in the header of the text (:mod:`counterclaim.ingest.metadata`). ``meta["from_text"]`` lists the fields found in
the text, with the span of the line that says it, so every metadata value stays traceable.
"""

from __future__ import annotations

from counterclaim.errors import InputError
from counterclaim.ingest.clean import normalise
from counterclaim.ingest.metadata import find_metadata, parse_published
from counterclaim.ingest.readers import RawDocument
from counterclaim.records import Document


def _clean_field(value: str | None, limit: int = 300) -> str | None:
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value[:limit] or None


def _same_outlet(a: str, b: str | None) -> bool:
    """"Azernews" and "AZERNEWS.az", "Reuters" and "Thomson Reuters": the same outlet written twice."""
    if b is None:
        return False
    x, y = ("".join(ch for ch in v.lower() if ch.isalnum()) for v in (a, b))
    return bool(x and y) and (x in y or y in x)


def build_document(raw: RawDocument) -> Document:
    """Clean the raw text and fill its metadata; raises :class:`InputError` when no text is left."""
    text = normalise(raw.text or "")
    if not text.strip():
        raise InputError(raw.source.source if not raw.source.locator else f"{raw.source.source}:{raw.source.locator}",
                         "no text left after cleaning")
    found = find_metadata(text)
    meta: dict[str, object] = dict(raw.meta)
    published = parse_published(raw.published)
    if raw.published and published is None:
        meta["published_raw"] = raw.published
    fields = {
        "title": _clean_field(raw.title), "publisher": _clean_field(raw.publisher),
        "author": _clean_field(raw.author), "published": published,
    }
    from_text: dict[str, list[int]] = {}
    for name in ("title", "publisher", "author", "published"):
        if fields[name] is None and getattr(found, name) is not None:
            fields[name] = getattr(found, name)
            start, end = found.spans[name]
            from_text[name] = [start, end]
    if from_text:
        meta["from_text"] = from_text
    from_format: list[str] = []
    for name, value in raw.fallback.items():  # a PDF's or Word file's properties fill what the text does not say
        cleaned = parse_published(value) if name == "published" else _clean_field(value)
        # a title someone typed into the file's properties beats the first line of the text (often a running
        # head or a lede); dates and bylines written in the text beat the file's creation date and owner
        guessed_title = name == "title" and "title" in from_text
        if name in fields and (fields[name] is None or guessed_title) and cleaned:
            fields[name] = cleaned
            from_format.append(name)
            if guessed_title:
                from_text.pop("title")
    if from_format:
        meta["from_properties"] = from_format
    if not from_text:
        meta.pop("from_text", None)
    original, evidence = found.original_publisher, "original_publisher"
    if original is None and found.publisher and "publisher" not in from_text and fields["publisher"]:
        original, evidence = found.publisher, "publisher"  # "(Reuters)" in a story the site's own name heads
    if original and not _same_outlet(original, fields["publisher"]):
        meta["original_publisher"] = original
        start, end = found.spans[evidence]
        from_text["original_publisher"] = [start, end]
        meta["from_text"] = from_text
    if "pages" in meta and text != raw.text:  # offsets of pages are only valid in the text the reader made
        meta.pop("pages")
    return Document.from_text(
        text, title=fields["title"], publisher=fields["publisher"], author=fields["author"],
        published=fields["published"], language=found.language, url=_clean_field(raw.url, 2000), meta=meta,
    )
