"""The act taxonomy (``data/acts.yaml``) and its trigger lexicon, compiled once into regular expressions.

Phrase syntax (documented in docs/data.md): words separated by spaces (a hyphen also matches), ``word*`` for a prefix,
``a|b`` for alternatives, ``@name`` for a macro's phrases and ``~N`` for up to N words in between.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from counterclaim.errors import InputError

_SEP = r"[\s\-‐–]+"
_MAX_MACRO_DEPTH = 3


@dataclass(frozen=True)
class Act:
    """One code of the taxonomy with its compiled trigger lists."""

    code: str
    label: str
    description: str
    rome_statute: str | None
    ihl: str | None
    triggers: PhraseSet | None
    weak: PhraseSet | None
    frame_only: PhraseSet | None
    exclude: PhraseSet | None
    suppresses: tuple[str, ...]
    absorbs: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActHit:
    """A trigger found in a text: the act, its span (offsets into the searched text) and how strong it is."""

    act: str
    start: int
    end: int
    kind: str  # trigger | weak | frame_only


def _term(term: str, macros: Mapping[str, list[str]], depth: int) -> str:
    alts = []
    for alt in term.split("|"):
        if not alt:
            continue
        if alt.startswith("@"):
            name = alt[1:]
            if name not in macros:
                raise InputError("acts.yaml", f"unknown macro @{name}", "define it under `macros:`")
            if depth >= _MAX_MACRO_DEPTH:
                raise InputError("acts.yaml", f"macro @{name} nests too deep", "macros may use macros 3 levels deep")
            alts.append(_alternation(macros[name], macros, depth + 1))
        elif alt.endswith("*"):
            alts.append(re.escape(alt[:-1]) + r"\w*")
        else:
            alts.append(re.escape(alt))
    return "(?:" + "|".join(alts) + ")"


def phrase_regex(phrase: str, macros: Mapping[str, list[str]] | None = None, depth: int = 0) -> str:
    """The regular expression (without flags) of one phrase of the trigger syntax."""
    macros = macros or {}
    parts: list[str] = []
    pending_sep = ""
    for tok in phrase.split():
        m = re.fullmatch(r"~(\d+)", tok)
        if m:
            pending_sep = r"(?:[\W_]+\w+){0," + str(int(m.group(1))) + r"}?[\W_]+"
            continue
        if parts:
            parts.append(pending_sep or _SEP)
        pending_sep = ""
        parts.append(_term(tok, macros, depth))
    if not parts:
        raise InputError("acts.yaml", f"empty trigger phrase {phrase!r}")
    # a word boundary at both ends, unless the phrase starts/ends with a non-word character
    return r"(?<![\w])" + "".join(parts) + r"(?![\w])"


def _alternation(phrases: Iterable[str], macros: Mapping[str, list[str]], depth: int = 0) -> str:
    return "(?:" + "|".join(phrase_regex(p, macros, depth) for p in phrases) + ")"


_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class _Words:
    spans: tuple[tuple[int, str], ...]  # (start, lowercased word)
    words: frozenset[str]
    heads: frozenset[str]  # the first three letters of every word


@lru_cache(maxsize=256)
def _words(text: str) -> _Words:
    """The words of ``text`` (cached: one sentence is searched by many phrase sets)."""
    spans = tuple((m.start(), m.group().lower()) for m in _WORD.finditer(text))
    return _Words(spans, frozenset(w for _, w in spans), frozenset(w[:3] for _, w in spans))


def _anchors(phrase: str, macros: Mapping[str, list[str]], depth: int = 0) -> tuple[set[str], set[str]]:
    """Exact words and prefixes one of which starts every match of ``phrase`` (its first term)."""
    first = phrase.split()[0]
    exact: set[str] = set()
    prefixes: set[str] = set()
    for alt in first.split("|"):
        if not alt:
            continue
        if alt.startswith("@"):
            if depth < _MAX_MACRO_DEPTH:
                for sub in macros.get(alt[1:], []):
                    e, p = _anchors(sub, macros, depth + 1)
                    exact |= e
                    prefixes |= p
            continue
        star = alt.endswith("*")
        word = alt.rstrip("*").lower()
        head = _WORD.match(word)
        if head is None:
            continue
        if star and head.end() == len(word):
            prefixes.add(word)
        else:
            exact.add(head.group())
    return exact, prefixes


class PhraseSet:
    """Compiled phrases of the trigger syntax: one regular expression, tried only where a word can start a match
    (so a sentence costs one word scan plus a few anchored matches, not one full scan per phrase)."""

    def __init__(self, phrases: list[str], macros: Mapping[str, list[str]]) -> None:
        self.pattern = re.compile(_alternation(phrases, macros), re.IGNORECASE)
        self.exact: set[str] = set()
        prefixes: set[str] = set()
        for ph in phrases:
            e, p = _anchors(ph, macros)
            self.exact |= e
            prefixes |= p
        self.prefixes = tuple(sorted(prefixes))
        self.heads = frozenset(p[:3] for p in prefixes if len(p) >= 3)
        self.short = any(len(p) < 3 for p in prefixes)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Matches in text order, none starting inside an earlier one."""
        w = _words(text)
        if not self.short and self.exact.isdisjoint(w.words) and self.heads.isdisjoint(w.heads):
            return
        last_end = -1
        for start, word in w.spans:
            if start < last_end or not (word in self.exact or word.startswith(self.prefixes)):
                continue
            m = self.pattern.match(text, start)
            if m is not None:
                last_end = m.end()
                yield m

    def search(self, text: str) -> re.Match[str] | None:
        return next(self.finditer(text), None)


def compile_phrases(phrases: Iterable[str] | None, macros: Mapping[str, list[str]] | None = None) -> PhraseSet | None:
    """The phrases compiled for fast search, case-insensitive (None for an empty list)."""
    items = [str(p) for p in (phrases or [])]
    if not items:
        return None
    return PhraseSet(items, macros or {})


def _load_yaml(name: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(resources.files("counterclaim.data").joinpath(name).read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(name, f"cannot read the data file: {exc}", "reinstall counterclaim") from exc
    if not isinstance(data, dict):
        raise InputError(name, "the data file is not a YAML mapping")
    return data


@lru_cache(maxsize=1)
def macros() -> dict[str, list[str]]:
    return {str(k): [str(x) for x in v] for k, v in (_load_yaml("acts.yaml").get("macros") or {}).items()}


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, Act]:
    """The act taxonomy, loaded and compiled once per process."""
    data = _load_yaml("acts.yaml")
    mac = macros()
    out: dict[str, Act] = {}
    for code, spec in (data.get("acts") or {}).items():
        spec = spec or {}
        out[str(code)] = Act(
            code=str(code), label=str(spec.get("label", code)), description=str(spec.get("description", "")),
            rome_statute=spec.get("rome_statute"), ihl=spec.get("ihl"),
            triggers=compile_phrases(spec.get("triggers"), mac), weak=compile_phrases(spec.get("weak"), mac),
            frame_only=compile_phrases(spec.get("frame_only"), mac), exclude=compile_phrases(spec.get("exclude"), mac),
            suppresses=tuple(str(s) for s in spec.get("suppresses") or ()),
            absorbs=tuple(str(s) for s in spec.get("absorbs") or ()),
        )
    return out


def _overlaps(a: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def find_acts(
    text: str, in_frame: Iterable[tuple[int, int]] = (), blocked: Iterable[tuple[int, int]] = ()
) -> list[ActHit]:
    """Act triggers in ``text`` (one sentence).

    ``in_frame`` are spans of reported accusations (where ``frame_only`` phrases count); ``blocked`` are spans where
    no trigger counts (legal references, actor names). Weak triggers count only when nothing else was found;
    suppressed acts are dropped when the suppressing act is in the sentence.
    """
    frames, blocks = list(in_frame), list(blocked)
    acts = taxonomy()
    hits: list[ActHit] = []
    weak: list[ActHit] = []
    for act in acts.values():
        excluded = [m.span() for m in act.exclude.finditer(text)] if act.exclude else []
        for kind, pat in (("trigger", act.triggers), ("frame_only", act.frame_only), ("weak", act.weak)):
            if pat is None:
                continue
            for m in pat.finditer(text):
                span = m.span()
                if _overlaps(span, blocks) or _overlaps(span, excluded):
                    continue
                if kind == "frame_only" and not any(s <= span[0] and span[1] <= e for s, e in frames):
                    continue
                (weak if kind == "weak" else hits).append(ActHit(act.code, span[0], span[1], kind))
    if not hits:
        hits = weak
    present = {h.act for h in hits}
    suppressed = {s for code in present for s in acts[code].suppresses}
    hits = [h for h in hits if h.act not in suppressed]
    # an act absorbs another whose trigger overlaps its own ("indiscriminate air strikes on neighbourhoods")
    hits = [h for h in hits if not any(
        h.act in acts[o.act].absorbs and o.start < h.end and h.start < o.end for o in hits if o is not h)]
    # one hit per act and overlapping span: keep the longest
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[ActHit] = []
    for h in hits:
        if any(k.act == h.act and k.start < h.end and h.start < k.end for k in kept):
            continue
        kept.append(h)
    return kept
