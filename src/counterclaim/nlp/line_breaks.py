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
from typing import cast

import numpy
from spacy.attrs import IDX, IS_SPACE, SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from thinc.types import Ints2d

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

_BREAK = re.compile(r"[ \t]*\n\s*")

#: a line ending in one of these, or in a word with a capital or digit, ends a heading or a sentence
_ENDS = frozenset(".!?:;\"'”’»)]")


def mark_line_breaks(doc: Doc) -> Doc:
    """Set ``is_sent_start`` on the first token after each paragraph break (and each heading line).

    Works on the text, not token by token: only the few tokens after line breaks are touched."""
    text = doc.text
    if len(doc) < 2:
        return doc
    offsets = doc.to_array(IDX)  # the character offset of every token, for a binary search
    starts: list[int] = []
    for m in _BREAK.finditer(text):
        if m.end() >= len(text) or m.start() == 0:
            continue
        words = text[max(0, m.start() - 80):m.start()].split()
        last = words[-1] if words else ""
        blank = m.group().count("\n") >= 2
        if blank or last[-1:] in _ENDS or last[:1].isupper() or last[:1].isdigit():
            starts.append(m.end())
    # "(Nairobi, April 25, 2024) – Burkina Faso's armed forces ...": the report starts after its dateline
    starts += [m.end() for m in DATELINE.finditer(text)]
    marks = doc.to_array(SENT_START)
    spaces = doc.to_array(IS_SPACE)
    for char in starts:
        i = int(numpy.searchsorted(offsets, char))
        if 0 < i < len(doc) and int(offsets[i]) == char and not spaces[i]:
            marks[i] = 1
    doc.from_array([SENT_START], cast(Ints2d, marks.reshape(-1, 1)))  # one write: setting tokens one by one costs O(n) each
    return doc


@Language.component("counterclaim_line_breaks_v1")
def line_breaks_component(doc: Doc) -> Doc:
    return mark_line_breaks(doc)
