"""Date expressions → ISO dates with precision, resolved against the publication date only where certain."""

from __future__ import annotations

from spacy.tokens import Doc

from counterclaim.extract.context import Context
from counterclaim.records import DateMention

VERSION = "dates.v0"


def find_dates(doc: Doc, ctx: Context) -> list[DateMention]:
    return []
