"""Cleaning of document text: Unicode normalisation, whitespace, and site furniture removal."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=1)
def _furniture() -> tuple[re.Pattern[str], ...]:
    data = yaml.safe_load(resources.files("counterclaim.data").joinpath("furniture.yaml").read_text("utf-8"))
    return tuple(re.compile(p, re.IGNORECASE) for p in data["line_patterns"])


def is_furniture(line: str) -> bool:
    """True when a whole line is site furniture ("Share this page", "All rights reserved. ...")."""
    stripped = line.strip()
    return bool(stripped) and any(p.fullmatch(stripped) for p in _furniture())


def normalise(text: str) -> str:
    """NFC, unified line ends and spaces, no furniture lines, paragraphs kept (one blank line between them)."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\ufeff", "")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    lines: list[str] = []
    for raw in text.split("\n"):
        line = re.sub(r"[ \t\u2000-\u200b\u3000]+", " ", raw).strip()
        if is_furniture(line):
            continue
        if not line and (not lines or not lines[-1]):
            continue
        lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)
