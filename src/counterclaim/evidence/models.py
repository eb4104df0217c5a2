"""One dataclass per evidence record: an item (a registered file), a verification step, a link."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class EvidenceItem:
    """A file in the registry. ``id`` is the first 16 hex digits of its SHA-256."""

    id: str
    sha256: str
    sha512: str
    md5: str
    size: int
    filename: str
    original_path: str
    stored_path: str
    media_type: str  # video | audio | image | unreadable
    readable: bool
    added_at: str
    problem: str | None = None
    source_url: str | None = None
    collected_by: str | None = None
    collected_at: str | None = None
    note: str = ""
    metadata_raw: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)

    def export(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Step:
    """One Berkeley Protocol verification step recorded by an analyst."""

    item: str
    step: str
    result: str  # confirmed | inconclusive | refuted
    analyst: str
    note: str
    at: str

    def export(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Link:
    """An evidence item supports (or is cited for) an allegation record or an incident."""

    item: str
    target_type: str  # allegation | incident
    target_id: str
    linked_by: str
    note: str
    at: str

    def export(self) -> dict[str, Any]:
        return asdict(self)
