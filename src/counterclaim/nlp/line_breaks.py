"""A sentence boundary at every paragraph break, set before the parser runs.

The statistical parser reads a headline, a dateline and the first paragraph as one sentence when nothing but line
breaks separates them ("Ethiopia: Eritrean troops massacred civilians, says Amnesty\\n\\n26 February 2021\\n\\nEritrean
troops ... killed hundreds, Amnesty International said"): the headline's subject then governs the paragraph's verbs.
A blank line, or a line break after a line that ends like a heading or a sentence, starts a new sentence; a single
line break inside running text (hard-wrapped lines) does not. A dateline opening a paragraph ("(Nairobi, April 25,
2024) –") is a sentence of its own too.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

VERSION = "line_breaks.v1"

#: a dateline opening a paragraph (the place in it is no actor, and the parser reads it as its own sentence):
#: "GAZA/JERUSALEM, Oct 18 (Reuters) -", "SANA'A, 10 August 2018 -"
DATELINE = re.compile(
    r"(?m)^[A-Z][A-Z'’.\-/ ]{2,60}(?:,[^\n\-–—]{0,40})?(?:\s*\([^)\n]{1,30}\))?\s+[-–—]+\s"
    # in brackets: "(Nairobi, April 25, 2024) –", "GENEVA (12 April 2023) –"
    r"|^(?:[A-Z][A-Za-z'’.\-/ ]{2,40}\s*)?\([^)\n]{4,40}\)\s*[-–—]+\s"
    # a line of its own: "Beirut, 9 March 2018", "GENEVA, April 11"
    r"|^[A-Z][\w'’.\- ]{2,40},\s*(?:\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]+\.?\s+\d{1,2})(?:,?\s+\d{4})?[ \t]*$"
)

#: a line ending in one of these, or in a word with a capital or digit, ends a heading or a sentence
_ENDS = frozenset(".!?:;\"'”’»)]")


def mark_line_breaks(doc: Doc) -> Doc:
    """Set ``is_sent_start`` on the first token after each paragraph break (and each heading line)."""
    for tok in doc[:-1]:
        if "\n" not in tok.text and "\n" not in tok.whitespace_:
            continue
        nxt = doc[tok.i + 1]
        if nxt.is_space:
            continue
        blank = (tok.text + tok.whitespace_).count("\n") >= 2 or (tok.is_space and tok.text.count("\n") >= 2)
        prev = tok if not tok.is_space else (doc[tok.i - 1] if tok.i > 0 else tok)
        ends = prev.text[-1:] in _ENDS or prev.text[:1].isupper() or prev.text[:1].isdigit()
        if blank or ends:
            nxt.is_sent_start = True
    # "(Nairobi, April 25, 2024) – Burkina Faso's armed forces ...": the report starts after its dateline
    for m in DATELINE.finditer(doc.text):
        span = doc.char_span(m.end(), len(doc.text), alignment_mode="expand")
        if span is not None and len(span) and span[0].i > 0 and not span[0].is_space:
            span[0].is_sent_start = True
    return doc


@Language.component("counterclaim_line_breaks_v1")
def line_breaks_component(doc: Doc) -> Doc:
    return mark_line_breaks(doc)
