"""Text units for lineage: sentences with their spans, normalised content words, shingles and cheap keys.

Everything here is pure and cheap (regular expressions, no spaCy): lineage runs over whole ledgers, so a document is
cut into sentences and content words in microseconds. Content words are lower-cased, stripped of a few English
suffixes (a crude stemmer that makes "killed"/"killing"/"kills" meet) and filtered by the stop list in
``data/lineage.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from counterclaim.ingest.clean import is_furniture

_SENT_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9А-ЯЁ])|\n+")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
_NUMBER = re.compile(r"\d[\d,.]*")
_PROSE_END = frozenset(".!?…\"”’»:;)")
_SUFFIXES = ("ations", "ation", "ings", "ing", "edly", "ed", "ies", "es", "ly", "s")


@lru_cache(maxsize=1)
def lineage_data() -> dict[str, Any]:
    """The lineage data file (stop words, thresholds), loaded once."""
    text = resources.files("counterclaim.data").joinpath("lineage.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    return frozenset(str(w).lower() for w in lineage_data()["stop_words"] if isinstance(w, str))


@dataclass(frozen=True)
class Sentence:
    """One sentence of a document: its character span, text and normalised content words."""

    index: int
    start: int
    end: int
    text: str
    words: tuple[str, ...]

    @property
    def prose(self) -> bool:
        """Ends like a sentence (not a byline, breadcrumb or headline teaser)."""
        return self.text.rstrip()[-1:] in _PROSE_END

    @property
    def weight(self) -> int:
        """How much the sentence counts in an aligned share: its number of content words."""
        return len(self.words)


@lru_cache(maxsize=262144)
def stem(word: str) -> str:
    """A crude English suffix stripper: enough to let inflected forms of one word meet."""
    if word.isdigit() or len(word) <= 4:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> list[str]:
    """Lower-cased, stemmed words that are not stop words; numbers are kept without separators."""
    stops = stop_words()
    out: list[str] = []
    for match in _WORD.finditer(text):
        raw = match.group(0).lower().replace("’", "'")
        if raw.endswith("'s"):
            raw = raw[:-2]
        if raw in stops or (len(raw) < 2 and not raw.isdigit()):
            continue
        out.append(stem(raw))
    return out


def split_sentences(text: str, min_words: int = 3) -> list[Sentence]:
    """Sentences of ``text`` with exact spans; furniture lines and sentences under ``min_words`` content words dropped."""
    out: list[Sentence] = []
    pos = 0
    pieces: list[tuple[int, int]] = []
    for match in _SENT_END.finditer(text):
        pieces.append((pos, match.start()))
        pos = match.end()
    pieces.append((pos, len(text)))
    for start, end in pieces:
        chunk = text[start:end]
        stripped = chunk.strip()
        if not stripped or is_furniture(stripped):
            continue
        lead = len(chunk) - len(chunk.lstrip())
        start += lead
        end = start + len(stripped)
        words = tuple(content_words(stripped))
        if len(words) < min_words:
            continue
        out.append(Sentence(len(out), start, end, stripped, words))
    return out


def numbers(text: str) -> set[str]:
    """Numbers written in the text, separators removed ("4,000" → "4000"); years and counts alike."""
    out = set()
    for match in _NUMBER.finditer(text):
        digits = re.sub(r"[,.](?=\d{3}\b)", "", match.group(0)).rstrip(".,")
        if len(digits) >= 2:
            out.add(digits)
    return out


def shingles(words: list[str] | tuple[str, ...], n: int = 2) -> set[str]:
    """Word n-grams of content words (unigrams when the text is shorter than ``n``)."""
    if len(words) < n:
        return set(words)
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def normalised_body(text: str) -> str:
    """The text without furniture, case, punctuation and spacing differences: equal for duplicates."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not is_furniture(ln.strip())]
    return " ".join(m.group(0).lower() for ln in lines for m in _WORD.finditer(ln))
