"""Cut a document's text into segments for highlighting, from the records' character spans.

Spans may overlap or nest (a figure inside a quote inside an allegation), so the text is cut at every span boundary
into flat, non-overlapping segments; each segment lists the records that cover it, outermost first. The template
renders each covered segment as one ``<mark>`` whose classes name the record types, so no HTML is ever built by
string concatenation from the text (Jinja escapes each segment).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from counterclaim.records import Record

#: drawing order of the types: the last one listed is drawn on top (the segment's main colour)
TYPE_ORDER = ("allegation", "quote", "actor", "legal", "date", "figure")


@dataclass
class Segment:
    """A run of text ``text`` at ``start`` covered by the records ``ids`` of types ``types`` (empty: plain text)."""

    start: int
    text: str
    ids: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)

    @property
    def main(self) -> str:
        """The type that gives the segment its colour (the most specific one covering it)."""
        return max(self.types, key=_rank) if self.types else ""


def _rank(type_: str) -> int:
    return TYPE_ORDER.index(type_) if type_ in TYPE_ORDER else -1


def segments(text: str, records: Sequence[Record]) -> list[Segment]:
    """Flat segments covering ``text`` exactly; records with spans outside the text are clipped or ignored."""
    n = len(text)
    spans = [(max(0, r.start), min(n, r.end), r) for r in records if r.end > r.start and r.start < n and r.end > 0]
    cuts = {0, n}
    for s, e, _ in spans:
        cuts.add(s)
        cuts.add(e)
    points = sorted(cuts)
    # outermost first: longer spans before shorter ones starting at the same place
    spans.sort(key=lambda t: (t[0], -t[1], _rank(t[2].TYPE)))
    out: list[Segment] = []
    for a, b in zip(points, points[1:], strict=False):
        if a >= b:
            continue
        covering = [r for s, e, r in spans if s <= a and e >= b]
        types: list[str] = []
        for r in covering:
            if r.TYPE not in types:
                types.append(r.TYPE)
        seg = Segment(a, text[a:b], [r.id for r in covering], types)
        if out and not out[-1].ids and not seg.ids:
            out[-1].text += seg.text
        else:
            out.append(seg)
    return out
