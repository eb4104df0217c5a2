"""Allegations: who (claimant) accuses whom (accused) of which act, with stance, evidence, victims, place, time."""

from __future__ import annotations

from spacy.tokens import Doc

from counterclaim.extract.context import Context
from counterclaim.records import Allegation

VERSION = "allegations.v0"


def find_allegations(doc: Doc, ctx: Context) -> list[Allegation]:
    return []
