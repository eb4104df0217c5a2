"""Casualty / victim / damage figures: value, qualifier, category, subject, what it is about, breakdowns."""

from __future__ import annotations

from spacy.tokens import Doc

from counterclaim.extract.context import Context
from counterclaim.records import Figure

VERSION = "figures.v0"


def find_figures(doc: Doc, ctx: Context) -> list[Figure]:
    return []
