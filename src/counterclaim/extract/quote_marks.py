"""Quote marks: the stretches of a text between matching quote marks, paragraph by paragraph.

Marks: “ ” « » „ “ " " ‘ ’ 「 」 and British-style straight single quotes ('...,' said X), which close only after
punctuation so that apostrophes ("neighbour's", "Houthis'") never end a quote. A quote left open at the end of a
paragraph runs to the paragraph end; the next paragraph opening with a mark continues it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: opening mark → closing mark
OPENERS = {"“": "”", "«": "»", "„": "“", '"': '"', "‘": "’", "「": "」"}

__all__ = ["OPENERS", "QuotedSpan", "quoted_spans"]


@dataclass
class QuotedSpan:
    """The quoted words of one paragraph (marks excluded)."""

    start: int  # first quoted character
    end: int  # after the last quoted character
    closed: bool  # a closing mark was found (False: the quote runs to the paragraph end)
    continues: bool = False  # this paragraph continues a quote left open in the previous one


def quoted_spans(text: str) -> list[QuotedSpan]:
    """Every stretch of text between matching quote marks, per paragraph (line), inner marks ignored.

    A quote still open at the end of its line runs to the line end (``closed=False``); the next non-empty line that
    opens with a quote mark continues it (``continues=True``).
    """
    out: list[QuotedSpan] = []
    pos = 0
    left_open = False
    for line in text.split("\n"):
        if not line.strip():
            pos += len(line) + 1
            continue
        i, n = 0, len(line)
        unclosed = False
        while i < n:
            ch = line[i]
            if ch == "'" and _is_opener(line, i):  # British style 'quote,' said X: closed by ' after punctuation
                m = _STRAIGHT_SINGLE_CLOSE.search(line, i + 2)
                if m is not None:
                    out.append(QuotedSpan(pos + i + 1, pos + m.start() + 1, True, left_open and not line[:i].strip()))
                    i = m.end()
                    continue
            if ch in OPENERS and _is_opener(line, i):
                j = _find_close(line, i + 1, OPENERS[ch])
                cont = left_open and not line[:i].strip()
                if j < 0:
                    out.append(QuotedSpan(pos + i + 1, pos + len(line.rstrip()), False, cont))
                    unclosed = True
                    break
                out.append(QuotedSpan(pos + i + 1, pos + j, True, cont))
                i = j + 1
                continue
            i += 1
        left_open = unclosed
        pos += len(line) + 1
    return [s for s in out if s.end > s.start]


#: the end of a quote in straight single marks: punctuation, then ' not followed by a letter ("...civilians,' said")
_STRAIGHT_SINGLE_CLOSE = re.compile(r"[,.!?…](')(?![\w])")


def _is_opener(line: str, i: int) -> bool:
    ch = line[i]
    before = line[i - 1] if i > 0 else " "
    after = line[i + 1] if i + 1 < len(line) else " "
    if after.isspace():
        return False
    if ch in ("‘", '"', "'"):
        return not before.isalnum() and (ch != "'" or after.isalnum())
    return True


def _find_close(line: str, k: int, close: str) -> int:
    while True:
        j = line.find(close, k)
        if j < 0:
            return -1
        if close == "’" and j + 1 < len(line) and line[j + 1].isalpha():
            k = j + 1  # an apostrophe inside a word
            continue
        return j
