"""Quotes attributed to speakers: direct and indirect speech, Q&A answers, multi-paragraph quotes."""

from __future__ import annotations

from spacy.tokens import Doc

from counterclaim.extract.context import Context
from counterclaim.records import Quote

VERSION = "quotes.v0"


def find_quotes(doc: Doc, ctx: Context) -> list[Quote]:
    return []
