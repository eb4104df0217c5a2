"""Typed records: one dataclass per record type.

The export contract (docs/records.md) is generated from these classes: :meth:`Record.export` gives the JSON object
written by ``counterclaim export``. Every extracted record carries its document id, the exact character span
``start``/``end`` in the stored document text, the sentence it was found in and the extractor version.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar

Qualifiers = ("exact", "approx", "up_to", "at_least", "more_than", "less_than")
FigureCategories = (
    "killed", "injured", "missing", "detained", "hostage", "displaced", "deported",
    "victims", "witnesses", "damage_usd", "other",
)
Stances = ("assert", "deny", "call_to_investigate")


def text_hash(text: str) -> str:
    """SHA-256 hex digest of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_id(*parts: object) -> str:
    """A short stable id from the parts (type, document, span, key fields)."""
    raw = json.dumps([str(p) for p in parts], ensure_ascii=False)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


@dataclass
class SourceRef:
    """Where a document was ingested from: a path or URL, the reader used, and a locator inside it."""

    source: str
    kind: str = "file"  # file | html | jsonl | warc | feed | stdin
    locator: str | None = None  # line number, WARC record offset, feed entry id ...
    url: str | None = None  # the original URL when the input says it


@dataclass
class Document:
    """A document as stored: normalised text plus provenance metadata."""

    TYPE: ClassVar[str] = "document"

    id: str
    sha256: str
    text: str
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) or datetime
    language: str | None = None
    url: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_text(cls, text: str, **metadata: Any) -> Document:
        """Build a document whose id is the hash of its (already normalised) text."""
        digest = text_hash(text)
        return cls(id=digest[:16], sha256=digest, text=text, **metadata)

    def export(self, source: str | None = None) -> dict[str, Any]:
        return {
            "type": self.TYPE, "id": self.id, "source": source, "title": self.title,
            "publisher": self.publisher, "author": self.author, "published": self.published,
            "language": self.language, "url": self.url, "sha256": self.sha256, "chars": len(self.text),
        }


@dataclass(kw_only=True)
class Record:
    """Base of every extracted record: document, span, sentence and extractor version."""

    TYPE: ClassVar[str] = "record"
    #: fields that make two records of this type the same claim at the same span (used for the id)
    KEY: ClassVar[tuple[str, ...]] = ()

    doc: str
    start: int
    end: int
    sentence: str = ""
    version: str = ""
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = make_id(self.TYPE, self.doc, self.start, self.end, *(getattr(self, k) for k in self.KEY))

    def data(self) -> dict[str, Any]:
        """The type-specific fields (everything but the base fields)."""
        base = {"doc", "start", "end", "sentence", "version", "id"}
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in base}

    def export(self, source: str | None = None) -> dict[str, Any]:
        """The JSON object of the export contract."""
        out: dict[str, Any] = {"type": self.TYPE, "id": self.id, "doc": self.doc, "source": source}
        out.update(asdict(self))
        return out


@dataclass(kw_only=True)
class Quote(Record):
    TYPE: ClassVar[str] = "quote"
    KEY: ClassVar[tuple[str, ...]] = ("speaker",)

    speaker: str | None
    affiliation: str | None = None
    role: str | None = None
    text: str
    verb: str | None = None  # reporting verb as written: "said", "wrote on his Twitter account"
    direct: bool = True
    #: how the speaker was found (quote:after, quote:before, quote:continues, quote:carried_paragraph, ...)
    rules: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class Figure(Record):
    TYPE: ClassVar[str] = "figure"
    KEY: ClassVar[tuple[str, ...]] = ("value", "category")

    value: float
    value_text: str = ""
    qualifier: str = "exact"
    category: str = "other"
    subject: str | None = None
    about: str | None = None
    parent: str | None = None  # id of the figure this one is a part of ("613 people, including 63 children")


@dataclass(kw_only=True)
class DateMention(Record):
    TYPE: ClassVar[str] = "date"
    KEY: ClassVar[tuple[str, ...]] = ("date",)

    date: str  # ISO: YYYY-MM-DD, YYYY-MM or YYYY
    precision: str = "day"  # day | month | year
    text: str = ""
    resolved: bool = False  # True when the year/day came from the publication date, not the text


@dataclass(kw_only=True)
class ActorMention(Record):
    TYPE: ClassVar[str] = "actor"
    KEY: ClassVar[tuple[str, ...]] = ("actor",)

    actor: str  # canonical name: "Armenia", "European Union", "Leyla Abdullayeva"
    kind: str = "state"  # state | organ | igo | court | ngo | person | group
    text: str = ""
    role: str | None = None  # for persons and organs: "spokesperson", "Ministry of Foreign Affairs"
    state: str | None = None  # the state an organ or person belongs to


@dataclass(kw_only=True)
class LegalRef(Record):
    TYPE: ClassVar[str] = "legal"
    KEY: ClassVar[tuple[str, ...]] = ("instrument",)

    instrument: str  # canonical name or id: "Geneva Conventions (1949)", "UNSC Resolution 822 (1993)"
    kind: str = "treaty"  # treaty | judgment | resolution | criminal_code | other
    text: str = ""


@dataclass(kw_only=True)
class Allegation(Record):
    TYPE: ClassVar[str] = "allegation"
    KEY: ClassVar[tuple[str, ...]] = ("claimant", "act", "stance")

    claimant: str | None
    accused: list[str] = field(default_factory=list)
    act: str = "other"
    stance: str = "assert"
    evidence: list[str] = field(default_factory=list)  # video | social_media | witnesses | investigation | court_ruling ...
    victims: list[str] = field(default_factory=list)  # ids of figures counting the victims
    place: str | None = None
    time: str | None = None  # ISO date of the act when the sentence gives one
    reporter: str | None = None  # who reports the claim when it is not the claimant's own text
    text: str = ""
    #: the named strategies that made the record (act trigger, claimant, accused, stance; data/strategies.yaml)
    rules: list[str] = field(default_factory=list)
    confidence: float = 1.0  # in [0, 1], from the strategies' weights; `--min-confidence` filters on it


def confident(record: Record, floor: float) -> bool:
    """Whether a record is shown at ``--min-confidence floor`` (records without a confidence always are)."""
    return float(getattr(record, "confidence", 1.0)) >= floor


RECORD_TYPES: dict[str, type[Record]] = {
    cls.TYPE: cls for cls in (Quote, Figure, DateMention, ActorMention, LegalRef, Allegation)
}


def record_from_row(type_: str, base: dict[str, Any], data: dict[str, Any]) -> Record:
    """Rebuild a record from its stored base columns and JSON data (unknown keys are ignored)."""
    cls = RECORD_TYPES[type_]
    names = {f.name for f in fields(cls)}
    kwargs = {k: v for k, v in {**data, **base}.items() if k in names}
    return cls(**kwargs)
