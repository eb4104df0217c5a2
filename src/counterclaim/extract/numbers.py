"""Number expressions in running text → values: "613", "4,000", "1.5 million", "$170m", "a million", "two hundred".

Pure functions over strings; :func:`find_numbers` returns every candidate, and the figure parser decides which
of them count something. Vague plurals ("dozens", "hundreds of thousands") are never numbers.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
SCALES: dict[str, float] = {
    "hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "mln": 1e6, "mn": 1e6, "bn": 1e9, "m": 1e6, "k": 1e3,
}

_NUMWORD = "|".join(sorted([*UNITS, *TENS, "hundred", "thousand", "million", "billion", "trillion", "dozen"],
                           key=len, reverse=True))
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CUR_BEFORE = r"(?:US\$|\$|€|£|USD|EUR|GBP)\s?"

_P_DIGITS = re.compile(
    rf"(?<![\w.,/:#№\\-])(?P<cur>{_CUR_BEFORE})?(?P<num>{_DIGITS})"
    r"(?:\s*(?P<scale>thousand|million|billion|trillion|mln|mn|bn)\b|(?P<short>bn|m|k)\b)?"
    r"(?![\w/:]|[.,]\d)"
)
_P_WORDS = re.compile(
    rf"\b(?:(?P<art>a|an|one|half\s+a)\s+)?(?P<w>(?:{_NUMWORD})(?:(?:\s+and\s+|\s+|-)(?:{_NUMWORD}))*)\b(?!-\w)",
    re.IGNORECASE,
)


@dataclass
class Number:
    """A number expression: ``text[start:end]`` (currency mark and scale word included)."""

    start: int
    end: int
    value: float
    text: str
    currency_mark: str | None = None  # "$", "€", "USD " ... written before the number
    is_words: bool = False  # spelt out ("two hundred", "a million")
    bare_scale: bool = False  # a scale word without a count ("more than million")
    has_article: bool = False  # "a million", "half a million"
    year_like: bool = False  # four digits between 1800 and 2100 without separators


def parse_words(words: str) -> float | None:
    """The value of spelt-out numbers ("two hundred and fifty", "forty-five thousand"); None if not a number."""
    total, current = 0.0, 0.0
    seen = False
    for w in re.split(r"[\s-]+", words.lower()):
        if w == "and" or not w:
            continue
        if w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w == "dozen":
            current = (current or 1) * 12
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in SCALES:
            total += (current or 1) * SCALES[w]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_digits(num: str, scale: str | None = None) -> float:
    value = float(num.replace(",", ""))
    if scale:
        value *= SCALES[scale.lower()]
    return value


def find_numbers(text: str) -> list[Number]:
    """Every number expression in ``text``, in text order (overlaps resolved in favour of the digit form)."""
    out: list[Number] = []
    for m in _P_DIGITS.finditer(text):
        scale = m["scale"] or m["short"]
        if m["short"] and not m["cur"]:  # "5m" means five million only as money; "5 k" is too loose otherwise
            continue
        num = m["num"]
        year_like = not scale and not m["cur"] and re.fullmatch(r"1[89]\d\d|20\d\d|2100", num) is not None
        out.append(Number(m.start(), m.end(), parse_digits(num, scale), m.group(0), currency_mark=m["cur"],
                          year_like=year_like))
    starts = [n.start for n in out]  # digit numbers, in text order and non-overlapping
    for m in _P_WORDS.finditer(text):
        k = bisect_left(starts, m.end()) - 1
        if k >= 0 and out[k].end > m.start():
            continue
        value = parse_words(m["w"])
        if value is None:
            continue
        art = (m["art"] or "").lower()
        words = m["w"].lower().split()
        bare = all(w in SCALES for w in words)
        if art.startswith("half"):
            value *= 0.5
        start = m.start() if art else m.start("w")
        if art in ("a", "an") and not bare:  # "a two ..." is not a number phrase
            start = m.start("w")
        out.append(Number(start, m.end(), value, text[start:m.end()], is_words=True,
                          bare_scale=bare and not art, has_article=bool(art) and bare))
    return sorted(out, key=lambda n: n.start)
