"""What an extractor knows about the document it works on, and what earlier components found in it."""

from __future__ import annotations

from dataclasses import dataclass, field

from counterclaim.records import ActorMention, Allegation, DateMention, Figure, LegalRef, Quote, Record


@dataclass
class DocInput:
    """The input of extraction: a stored document's text and metadata (a pure value, picklable for workers)."""

    id: str
    text: str
    published: str | None = None  # ISO date; anchors relative dates ("on Tuesday", "September 17")
    publisher: str | None = None
    title: str | None = None
    language: str | None = None
    author: str | None = None


@dataclass
class Context:
    """Per-document state shared by the project's spaCy components (``doc._.cc``), filled in pipeline order."""

    input: DocInput
    version: str = ""
    actors: list[ActorMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    legal: list[LegalRef] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    allegations: list[Allegation] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return self.input.id

    def records(self) -> list[Record]:
        out: list[Record] = [*self.actors, *self.dates, *self.figures, *self.legal, *self.quotes, *self.allegations]
        for r in out:
            r.version = r.version or self.version
        return out
