"""Actor mentions → canonical actors (states and their organs, capitals as metonyms, demonyms, IGOs, courts, persons)."""

from __future__ import annotations

from spacy.tokens import Doc

from counterclaim.extract.context import Context
from counterclaim.records import ActorMention

VERSION = "actors.v0"


def find_actors(doc: Doc, ctx: Context) -> list[ActorMention]:
    return []


def add_actor_ruler(nlp: Language) -> None:  # noqa: F821
    """Add the entity ruler built from the actor dictionary (before the statistical NER)."""
    return None
