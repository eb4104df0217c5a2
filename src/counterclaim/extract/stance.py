"""Stance and attribution cues (``data/stance_cues.yaml``), compiled once: denial, calls to investigate, hedges,
accusation frames, verbs of speech and evidence kinds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from counterclaim.extract.acts import PhraseSet, _load_yaml, compile_phrases, macros


@dataclass(frozen=True)
class Cues:
    deny_lemmas: frozenset[str]
    deny_phrases: PhraseSet | None
    frame_noun_lemmas: frozenset[str]
    frame_verb_lemmas: frozenset[str]
    accountability: PhraseSet | None
    directives: PhraseSet | None
    call_phrases: PhraseSet | None
    negators: PhraseSet | None
    hedges: PhraseSet | None
    speech_lemmas: frozenset[str]
    speech_noun_lemmas: frozenset[str]
    reporter_lemmas: frozenset[str]
    inquiry_lemmas: frozenset[str]
    referring_nouns: dict[str, frozenset[str]]
    evidence: tuple[tuple[str, PhraseSet], ...]
    denied_nouns: re.Pattern[str]  # what a denial rejects: "the accusations", "the images"
    denial_acts: tuple[tuple[str, PhraseSet], ...]  # act -> denials that name no act ("no civilian was harmed")


def _lemmas(data: dict[str, object], key: str) -> frozenset[str]:
    value = data.get(key) or []
    return frozenset(str(x).lower() for x in value) if isinstance(value, list) else frozenset()


@lru_cache(maxsize=1)
def cues() -> Cues:
    """The stance cues, loaded and compiled once per process."""
    data = _load_yaml("stance_cues.yaml")
    mac = macros()

    def pat(key: str) -> PhraseSet | None:
        return compile_phrases(data.get(key), mac)

    evidence = tuple(
        (str(kind), p) for kind, phrases in (data.get("evidence") or {}).items()
        if (p := compile_phrases(phrases, mac)) is not None
    )
    return Cues(
        deny_lemmas=_lemmas(data, "deny_lemmas"), deny_phrases=pat("deny_phrases"),
        frame_noun_lemmas=_lemmas(data, "frame_noun_lemmas"), frame_verb_lemmas=_lemmas(data, "frame_verb_lemmas"),
        accountability=pat("accountability"), directives=pat("directives"), call_phrases=pat("call_phrases"),
        negators=pat("negators"), hedges=pat("hedges"), speech_lemmas=_lemmas(data, "speech_lemmas"),
        speech_noun_lemmas=_lemmas(data, "speech_noun_lemmas"), reporter_lemmas=_lemmas(data, "reporter_lemmas"),
        inquiry_lemmas=_lemmas(data, "inquiry_lemmas"),
        referring_nouns={
            str(noun).lower(): frozenset(str(a) for a in acts)
            for noun, acts in (data.get("referring_nouns") or {}).items()
        },
        evidence=evidence,
        denied_nouns=re.compile(
            r"\b(?:" + "|".join(re.escape(str(n)) for n in data.get("denied_nouns") or ["accusations"]) + r")\b", re.I
        ),
        denial_acts=tuple(
            (str(act), p) for act, phrases in (data.get("denial_acts") or {}).items()
            if (p := compile_phrases(phrases, mac)) is not None
        ),
    )


def _negated_before(text: str, pos: int, c: Cues) -> bool:
    if c.negators is None:
        return False
    # the clause before the cue: "so far not a single person in Armenia has been held accountable"
    window = re.split(r"[,;:()]", text[max(0, pos - 80):pos])[-1]
    return bool(c.negators.search(window))


def is_call(text: str) -> bool:
    """Whether a sentence calls for investigation or accountability (a negated cue does not count).

    Questions are not calls: "What appeals have they made regarding the investigation?" asks, it does not demand.
    """
    c = cues()
    if text.rstrip().rstrip("”\"'’»").rstrip().endswith("?"):
        return False
    if c.call_phrases is not None:
        for m in c.call_phrases.finditer(text):
            if not _negated_before(text, m.start(), c):
                return True
    if c.accountability is None or c.directives is None or not c.directives.search(text):
        return False
    return any(not _negated_before(text, m.start(), c) for m in c.accountability.finditer(text))


def hedged(text: str) -> bool:
    c = cues()
    return bool(c.hedges and c.hedges.search(text))


def has_deny_phrase(text: str) -> bool:
    c = cues()
    return bool(c.deny_phrases and c.deny_phrases.search(text))


def evidence_kinds(text: str) -> list[str]:
    """The kinds of evidence a sentence cites (video, social_media, witnesses, investigation, court_ruling...)."""
    return [kind for kind, p in cues().evidence if p.search(text)]
