"""The figure lexicon (``data/figure_lexicon.yaml``) loaded once and compiled into regexes and lookup tables."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from counterclaim.errors import CounterclaimError

LEXICON_FILE = "figure_lexicon.yaml"


def _norm(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def _alternation(phrases: list[str]) -> str:
    """A regex alternation of phrases, longest first, any whitespace between words, whole words only."""
    parts = []
    for p in sorted(set(phrases), key=len, reverse=True):
        body = r"\s+".join(re.escape(w) for w in p.split())
        left = r"\b" if p[:1].isalnum() else ""
        right = r"\b" if p[-1:].isalnum() else ""
        parts.append(f"{left}{body}{right}")
    return "(?:" + "|".join(parts) + ")"


@dataclass(frozen=True)
class FigureLexicon:
    qualifier_before: re.Pattern[str]  # matches at the end of the text before a number
    qualifier_of: dict[str, str]  # normalised phrase → qualifier
    qualifier_after: re.Pattern[str]  # matches at the start of the text after a number
    suffix_qualifier_of: dict[str, str]
    cues: re.Pattern[str]  # any category cue
    cue_category: dict[str, str]  # normalised cue → category
    category_order: tuple[str, ...]
    subject_cues: dict[str, dict[str, str]]  # head word → {cue: category}
    subject_of: dict[str, str]  # normalised counted noun phrase → canonical subject
    max_subject_words: int
    currency_after: re.Pattern[str]
    currency_of: dict[str, str]  # normalised currency mark → code
    damage: re.Pattern[str]
    not_after: re.Pattern[str]
    not_before: re.Pattern[str]
    coordinated_head_wins: tuple[str, ...] = ()  # categories that win in "victims and witnesses"
    status_heads: frozenset[str] = frozenset()  # head categories that give way to a predicate right after
    head_predicates: frozenset[str] = frozenset()  # the predicate categories that beat them
    predicate_gap: re.Pattern[str] = re.compile(r"^\s+$")  # what may stand between the head and the predicate


def _invert(groups: dict[str, list[str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, phrases in groups.items():
        for p in phrases:
            out.setdefault(_norm(str(p)), key)
    return out


def build_lexicon(data: dict[str, Any]) -> FigureLexicon:
    """Compile a lexicon from its YAML data (a dict with the keys documented in docs/data.md)."""
    try:
        qualifiers = _invert(data["qualifiers"])
        suffix = _invert(data["suffix_qualifiers"])
        categories: dict[str, list[str]] = data["categories"]
        cue_category = _invert(categories)
        subject_of = _invert(data["subjects"])
        currency_of = _invert(data["currencies"])
        subject_cues = {
            _norm(head): {_norm(c): cat for c in cues}
            for cat, heads in data.get("subject_cues", {}).items() for head, cues in heads.items()
        }
        not_after = [str(x) for x in data["not_after"]]
        not_before = [str(x) for x in data["not_before"]]
        damage = [str(x) for x in data["damage_cues"]]
        coordinated = tuple(str(x) for x in data.get("coordinated_head_wins", []))
        beats = data.get("predicate_beats_head", {}) or {}
        status_heads = frozenset(str(x) for x in beats.get("heads", []))
        head_predicates = frozenset(str(x) for x in beats.get("predicates", []))
        gap_words = [str(x) for x in data.get("predicate_gap_words", [])]
    except (KeyError, TypeError, AttributeError) as exc:
        raise CounterclaimError(
            f"the figure lexicon is malformed ({exc!r}): check it against docs/data.md, section figure_lexicon.yaml"
        ) from exc
    flags = re.IGNORECASE
    return FigureLexicon(
        qualifier_before=re.compile(rf"(?<![\w-])(?P<q>{_alternation(list(qualifiers))})\s+(?:an?\s+)?$", flags),
        qualifier_of=qualifiers,
        qualifier_after=re.compile(rf"^\s*(?P<q>{_alternation(list(suffix))})", flags),
        suffix_qualifier_of=suffix,
        cues=re.compile(_alternation(list(cue_category)), flags),
        cue_category=cue_category,
        category_order=tuple(categories),
        subject_cues=subject_cues,
        subject_of=subject_of,
        max_subject_words=max(len(p.split()) for p in subject_of),
        currency_after=re.compile(rf"^\s*(?P<c>{_alternation(list(currency_of))})", flags),
        currency_of=currency_of,
        damage=re.compile(_alternation(damage), flags),
        not_after=re.compile(rf"^\s*(?:{_alternation(not_after)})", flags),
        not_before=re.compile(rf"(?<![\w-]){_alternation(not_before)}\.?\s*[:#]?\s*$", flags),
        coordinated_head_wins=coordinated,
        status_heads=status_heads,
        head_predicates=head_predicates,
        predicate_gap=re.compile(rf"^\s+(?:{_alternation(gap_words)}\s+)*$" if gap_words else r"^\s+$", flags),
    )


@lru_cache(maxsize=1)
def load_lexicon() -> FigureLexicon:
    """The shipped figure lexicon, read once per process."""
    try:
        raw = resources.files("counterclaim.data").joinpath(LEXICON_FILE).read_text("utf-8")
        data = yaml.safe_load(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise CounterclaimError(
            f"cannot read the figure lexicon {LEXICON_FILE}: {exc} (reinstall counterclaim or fix the YAML file)"
        ) from exc
    return build_lexicon(data)


def normalise(phrase: str) -> str:
    return _norm(phrase)
