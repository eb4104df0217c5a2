"""Cleaning of document text: Unicode normalisation, whitespace, and site furniture removal.

Furniture patterns (``data/furniture.yaml``) each match a whole line; they are compiled once into one alternation.
Paragraphs are kept: one blank line between blocks, single line breaks inside them as written.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

import yaml

#: runs of spaces to collapse: two or more, or any space that is not a plain one (single plain spaces are left
#: alone: replacing each of them by itself is most of the cost of cleaning)
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"  # zero-width characters, soft hyphen
_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x85\x0b\x0c]")
#: control characters (but tab and line feed), lone surrogates, private-use characters (icon fonts)
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\U000f0000-\U0010ffff]")


@lru_cache(maxsize=1)
def _furniture() -> re.Pattern[str]:
    data = yaml.safe_load(resources.files("counterclaim.data").joinpath("furniture.yaml").read_text("utf-8"))
    patterns: list[str] = [str(p) for p in data["line_patterns"]]
    for p in patterns:
        re.compile(p)  # a bad pattern is named by its own error, not lost in the alternation
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def is_furniture(line: str) -> bool:
    """True when a whole line is site furniture ("Share this page", "All rights reserved. ...")."""
    stripped = line.strip()
    return bool(stripped) and len(stripped) <= 300 and _furniture().fullmatch(stripped) is not None


def normalise(text: str) -> str:
    """NFC, unified line ends and spaces, no control, private-use or zero-width characters, no furniture lines, paragraphs kept.

    Idempotent: ``normalise(normalise(t)) == normalise(t)``, so a document's id (the hash of this text) is stable.
    """
    text = unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS.sub("\n", text)
    for ch in _INVISIBLE:  # str.replace per character: far faster than str.translate with a dict
        if ch in text:
            text = text.replace(ch, "")
    text = _CONTROLS.sub("", text)
    lines: list[str] = []
    for raw in text.split("\n"):
        line = _SPACES.sub(" ", raw).strip()
        if is_furniture(line):
            continue
        if not line and (not lines or not lines[-1]):
            continue
        lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return unicodedata.normalize("NFC", "\n".join(lines))
