"""A sentence boundary at every paragraph break, set before the parser runs.

The statistical parser reads a headline, a dateline and the first paragraph as one sentence when nothing but line
breaks separates them ("Ethiopia: Eritrean troops massacred civilians, says Amnesty\\n\\n26 February 2021\\n\\nEritrean
troops ... killed hundreds, Amnesty International said"): the headline's subject then governs the paragraph's verbs.
A blank line, or a line break after a line that ends like a heading or a sentence, starts a new sentence; a single
line break inside running text (hard-wrapped lines) does not, nor does a colon inside a line.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

VERSION = "line_breaks.v1"

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
    return doc


@Language.component("counterclaim_line_breaks_v1")
def line_breaks_component(doc: Doc) -> Doc:
    return mark_line_breaks(doc)
