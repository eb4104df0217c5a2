"""Small helpers shared by the regex-driven extractors (dates, figures, legal): sentences and entities by offset."""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Span


def doc_text(doc: Doc, known: str | None = None) -> str:
    """``doc.text`` without rebuilding it from the tokens (slow) when ``known`` (the input text) is the same text."""
    if known is not None and len(doc) and len(known) == doc[-1].idx + len(doc[-1].text_with_ws):
        return known
    if not len(doc):
        return known or ""
    return doc.text


class SentenceIndex:
    """Find the sentence around a character offset in O(log n) (the doc's sentences, or the whole text if unparsed)."""

    def __init__(self, doc: Doc, text: str | None = None) -> None:
        self.text = text if text is not None else doc.text
        if doc.has_annotation("SENT_START"):
            spans = [(s.start_char, s.end_char) for s in doc.sents]
        else:
            spans = [(0, len(doc.text))]
        self.starts = [s for s, _ in spans]
        self.spans = spans

    def bounds(self, offset: int) -> tuple[int, int]:
        """``(start, end)`` of the sentence holding ``offset`` (the last one when past the end)."""
        if not self.spans:
            return (0, len(self.text))
        i = max(0, bisect_right(self.starts, offset) - 1)
        return self.spans[i]

    def sentence(self, offset: int) -> str:
        start, end = self.bounds(offset)
        return self.text[start:end].strip()


def entities(doc: Doc, labels: frozenset[str]) -> list[Span]:
    """The doc's named entities with one of ``labels`` (in text order)."""
    return [e for e in doc.ents if e.label_ in labels]
