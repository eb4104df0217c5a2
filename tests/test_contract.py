"""The export contract in docs/records.md lists every field of every record dataclass."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from counterclaim.records import RECORD_TYPES, Document, Record

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "records.md").read_text("utf-8")
BASE = {f.name for f in fields(Record)}


def section(type_: str) -> str:
    match = re.search(rf"^## {type_}\n(.*?)(?=^## |\Z)", DOC, flags=re.M | re.S)
    assert match, f"docs/records.md has no section '## {type_}'"
    return match.group(1)


@pytest.mark.parametrize("type_", sorted(RECORD_TYPES))
def test_every_record_field_is_documented(type_: str) -> None:
    text = section(type_)
    for f in fields(RECORD_TYPES[type_]):
        if f.name not in BASE:
            assert f"`{f.name}`" in text, f"{type_}.{f.name} is not documented in docs/records.md"


def test_document_export_fields_are_documented() -> None:
    exported = Document.from_text("x").export("a.txt")
    text = section("document")
    for key in exported:
        if key != "type":
            assert f"`{key}`" in text, f"document.{key} is not documented"


def test_export_has_type_doc_source() -> None:
    from counterclaim.records import Figure

    obj = Figure(doc="d1", start=1, end=3, value=12, category="killed").export("a.txt")
    assert obj["type"] == "figure" and obj["doc"] == "d1" and obj["source"] == "a.txt"
    assert {"value", "qualifier", "category", "subject", "about", "parent", "sentence", "start", "end"} <= obj.keys()
