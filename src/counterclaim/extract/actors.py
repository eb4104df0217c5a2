"""Actor mentions → canonical actors (states and their organs, capitals as metonyms, demonyms, IGOs, courts, persons).

Public API (stable; the allegation and quote extractors build on it):

- :func:`canonical_name` (``name -> str | None``): any surface form → canonical actor name.
- :func:`find_actors` (``doc, ctx -> list[ActorMention]``): every actor mention of a document, in text order.
- :func:`actors_in` / :func:`actor_at`: the mentions inside a character span ``[start, end)`` of ``doc.text``.
- :func:`person_named`: the full-named person a surname ("Klaar") or full name refers to in a list of mentions.
- :func:`add_actor_ruler`: an entity ruler from the dictionary, placed before the statistical NER.

Mention kinds: ``state`` (names, official names, capitals used as metonyms), ``organ`` ("Armenian MFA", "armed forces
of Armenia", "the Azerbaijani side": ``actor`` is the state, ``role`` the organ, ``state`` the state), ``igo``,
``court``, ``ngo``, ``group`` (armed groups; peoples: "Azerbaijanis" → actor ``Azerbaijan``, kind ``group``, role
``people``; a bare demonym adjective "Armenian prisoners" → actor ``Armenia``, kind ``group``, role ``adjective``),
``person`` (PERSON entities; ``role`` from an apposition or title, ``state`` the first actor named in that role).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from counterclaim.extract.actor_dictionary import (
    ActorDictionary,
    Surface,
    canonical_name,
    get_dictionary,
    normalise,
)
from counterclaim.extract.context import Context
from counterclaim.records import ActorMention

VERSION = "actors.v3"

__all__ = [
    "VERSION", "actor_at", "actors_in", "add_actor_ruler", "canonical_name", "find_actors", "person_named",
]

_APOS = "['’]"
#: words that make an apposition or a title a person's role
ROLE_WORDS = (
    "spokesperson", "spokesman", "spokeswoman", "spokespeople", "minister", "head", "president", "vice-president",
    "representative", "ambassador", "envoy", "director", "chief", "commander", "official", "secretary", "adviser",
    "advisor", "aide", "prosecutor", "chairman", "chairwoman", "chair", "chairperson", "deputy", "member", "leader",
    "rapporteur", "commissioner", "ombudsman", "ombudsperson", "general", "colonel", "major", "captain", "lieutenant",
    "researcher", "analyst", "journalist", "correspondent", "reporter", "mayor", "governor", "lawyer", "professor",
    "coordinator", "officer", "premier", "chancellor", "king", "emir", "sheikh", "judge", "investigator", "expert",
    "founder", "editor", "author", "activist", "diplomat", "counsellor", "counselor", "attorney", "speaker", "monitor",
    "emissary", "negotiator", "delegate", "high commissioner", "registrar", "witness", "survivor", "doctor", "medic",
    "nurse", "resident", "commentator", "historian", "scholar", "lecturer", "fellow", "manager", "administrator",
)
_ROLE_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ROLE_WORDS) + r")s?\b", re.IGNORECASE)
#: an apposition after a name: ", <role>," / ", <role> said"
_APPOSITION = re.compile(r",\s+(?P<role>[^,;:\n\"“”«»()]{3,160}?)\s*(?=,|;|\.(?:\s|\Z)|\n|\s+(?:said|says|told|stated|added|wrote|has|had|was|is|noted|stressed|tweeted|asked)\b)")
#: title words allowed before a name ("Foreign Ministry spokesperson Maria Zakharova", "Head of the ... Leyla Abdullayeva")
_TITLE_WORD = re.compile(
    r"(?:[A-Z][\w'’.-]*|of|the|and|for|on|in|to|at|then-\w+|current|former|acting|deputy|senior|special|chief|"
    + "|".join(re.escape(w) + "s?" for w in ROLE_WORDS) + r")"
)
_TITLE_BEFORE = re.compile(r"(?<![\w'’-])(?P<role>(?:" + _TITLE_WORD.pattern + r")(?:[ \t]+(?:" + _TITLE_WORD.pattern + r"))*)[ \t]*,?[ \t]*\Z")
#: an apposition with a verb is a clause, not a role (", was quoted by the journalist X,")
_NOT_ROLE = re.compile(
    r"\b(?:was|were|is|are|has|have|had|been|be|will|would|said|says|told|stated|added|who|which|that|when|while|"
    r"quoted|according)\b", re.IGNORECASE,
)
#: capitalised words that make a PERSON entity something else ("Joint Statement", "Press Release")
_NOT_NAME_WORDS = frozenset({
    "statement", "press", "release", "ministry", "department", "office", "council", "court", "republic",
    "committee", "agency", "convention", "treaty", "resolution", "article", "act", "law", "day", "news", "service",
    "government", "army", "forces", "union", "party", "front", "movement", "brigade", "inhuman", "degrading",
    "question", "answer", "share", "search", "privacy", "policy",
})
#: a name right after a title or organ: "Republic of Azerbaijan Leyla Abdullayeva," (the NER misses some)
_NAME_AFTER_TITLE = re.compile(
    r"[ \t]+(?P<name>[A-Z][a-z'’-]+(?:[ \t]+(?:[A-Z][a-z'’-]+|de|van|von|al-[A-Z][a-z]+|bin|ibn)){1,3})"
    r"(?=[ \t]*,|[ \t]+(?:said|says|stated|told|answer(?:ed|s)?|added|noted|wrote|tweeted|stressed)\b)"
)
#: letters of names, accented ones included ("Volker Türk", "Özlem Çelik")
_UPPER = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
_LOWER = "a-z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.islower())
_NAME_WORD = rf"[{_UPPER}][{_LOWER}'’-]+"
_NAME = rf"{_NAME_WORD}(?:[ \t]+(?:{_NAME_WORD}|de|da|dos|van|von|der|al|el|bin|ibn|bint|abu|[A-Z]\.)){{1,3}}"
#: a name followed by an apposition holding a role: "Oleg Nikolenko, spokesperson for ...", "Volker Perthes, the UN envoy"
_NAME_BEFORE_ROLE = re.compile(
    rf"\b(?P<name>{_NAME}),[ \t]+(?:(?:the|a|an)[ \t]+)?(?:[\w’'.-]+[ \t]+){{0,4}}?"
    r"(?i:" + "|".join(re.escape(w) for w in ROLE_WORDS) + r")s?\b",
)
_ROLE_ALT = "|".join(re.escape(w) for w in sorted(ROLE_WORDS, key=len, reverse=True))
_NAME_AFTER_ROLE: dict[int, re.Pattern[str]] = {}


def _name_after_role(d: ActorDictionary) -> re.Pattern[str]:
    """A name after a role apposition: "the spokesperson of the Ministry, Oleh Nikolenko.", "the ministry's
    spokesperson, Maria Zakharova", "the army's spokesman, Brig. Gen. Nabil Abdallah, said" (honorifics left out)."""
    got = _NAME_AFTER_ROLE.get(id(d))
    if got is None:
        lead = _honorific_patterns(d).lead.pattern.removeprefix(r"\A")
        got = re.compile(
            rf"\b(?i:{_ROLE_ALT})s?(?:[ \t]+(?:of|for|at|to|in|with)[ \t]+(?:[\w'’.&-]+[ \t]+){{0,5}}?[\w'’.&-]+)?"
            rf",[ \t]+(?:{lead})?(?P<name>{_NAME})"
            rf"(?=[ \t]*(?:[,.;:)]|\Z)|{_SPEECH_AFTER.pattern})"
        )
        _NAME_AFTER_ROLE[id(d)] = got
    return got


#: a name right after a speech verb: "said Mahmoud Basal, a spokesman ..."
_NAME_AFTER_VERB = re.compile(rf"\b(?:said|says|told|added|stated|according to)[ \t]+(?P<name>{_NAME})(?=[ \t]*[,.;])")
#: a title, then a name, after a speech verb: "said UN High Commissioner for Human Rights Volker Türk.", "said Minister
#: of Foreign Affairs Eka Tkeshelashvili" (where the title ends: :func:`_name_after_verb_title`)
_TITLE_AFTER_VERB_WORD = rf"(?:[{_UPPER}][\w'’-]*|of|for|the|and|(?:{'|'.join(re.escape(w) for w in ROLE_WORDS)})s?)"
_TITLE_AFTER_VERB = re.compile(
    r"\b(?:said|says|told|added|stated|wrote|noted|stressed|warned|according[ \t]+to)[ \t]+"
    rf"(?P<title>{_TITLE_AFTER_VERB_WORD}(?:[ \t]+(?:{_TITLE_AFTER_VERB_WORD}|al-[\w'’-]+|bin|ibn)){{2,12}})"
    r"(?=[ \t]*(?:[,.;:)]|\n|\Z)|[ \t]+[a-z])"  # then a stop or a lowercase word ("... Netanyahu on Monday")
)
#: words that never start or make up a person's name
_NOT_IN_NAME = frozenset({
    "the", "this", "that", "these", "those", "in", "on", "at", "we", "our", "it", "its", "a", "an", "and", "but", "he",
    "she", "they", "their", "his", "her", "if", "as", "for", "from", "with", "by", "to", "of", "after", "before",
    "when", "while", "today", "yesterday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "foreign", "affairs", "human", "rights", "united", "nations", "national", "international",
})
#: "to" after a verb of speaking is no locative: "We spoke to Ahmed Mahat", "according to Sara Kibret"
_SPOKE_TO = re.compile(
    r"\b(?:according|spoke|speak|speaks|speaking|talked|talk|talks|talking|wrote|write|writes|writing|listened)"
    r"[ \t]+to[ \t]+\Z",
    re.IGNORECASE,
)
_PLACE_WORDS = frozenset({
    "state", "province", "region", "district", "village", "city", "town", "camp", "county", "governorate", "oblast",
    "street", "square", "hospital", "school", "university", "mosque", "church", "bridge", "river", "mountain",
    "valley", "airport", "port", "strip", "bank", "hill", "lake", "sea", "gulf", "island", "islands", "corridor",
})
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:" + "|".join(sorted(_PLACE_WORDS)) + r")s?[ \t]+of[ \t]+|\b(?:attacks?|strikes?|assault|offensive|raid|shelling|bombing|siege)[ \t]+(?:on|of)[ \t]+)\Z",
    re.IGNORECASE,
)
_ROLE_WORD_SET = frozenset(ROLE_WORDS) | {"spokesperson", "mr", "mrs", "ms", "dr", "prof", "sir", "lady", "lord"}
#: speech verbs right after a name that make it the subject of a statement ("Israel Katz said")
_SPEECH_AFTER = re.compile(r"[ \t]+(?:said|says|told|stated|added|wrote|noted|stressed|tweeted|asked|warned)\b")
#: speech words right before a name ("said Tirana Hassan", "according to Paris Delacroix")
_SPEECH_BEFORE = re.compile(r"\b(?:said|says|told|added|stated|wrote|asked|according[ \t]+to)[ \t]+\Z", re.IGNORECASE)
#: one surname-like word after a place name ("Tirana Hassan", "Israel Katz", "Paris Delacroix", "Ben-Gvir")
_SURNAME = re.compile(r"[ \t]+(?P<sur>[A-Z](?:[a-z]+|['’][A-Z][a-z]+)(?:-[A-Z]?[a-z]+)?)(?![\w-])")
#: anaphoric organ mentions resolved to the nearest earlier mention: "the ministry", "the Court"
_ANAPHORA = re.compile(
    r"\b[Tt]he\s+(?P<what>[Mm]inistry|[Cc]ourt|[Tt]ribunal|[Pp]rosecutor" + _APOS + r"s\s+[Oo]ffice|[Gg]overnment|"
    r"[Aa]rmy|[Pp]ress\s+[Ss]ervice|[Oo]rgani[sz]ation|[Cc]ouncil|[Cc]ommission|[Mm]ission|[Aa]gency|[Gg]roup)\b"
)
_ANAPHOR_TARGET: dict[str, tuple[str, ...]] = {
    "ministry": ("ministry",), "court": ("court",), "tribunal": ("court",), "prosecutor's office": ("prosecutor",),
    "government": ("government", "state"), "army": ("armed forces", "army"), "press service": ("ministry",),
    "organization": ("igo", "ngo"), "organisation": ("igo", "ngo"), "council": ("council",),
    "commission": ("commission",), "mission": ("mission",), "agency": ("agency",), "group": ("group",),
}


@dataclass(frozen=True)
class _Honorifics:
    lead: re.Pattern[str]  # honorifics opening a name: "Brig. Gen. "
    before: re.Pattern[str]  # honorifics ending right before a position
    dot: re.Pattern[str]  # an honorific whose full stop ends at a position ("Gen" + ".")


_HONORIFICS: dict[int, _Honorifics] = {}


def _honorific_patterns(d: ActorDictionary) -> _Honorifics:
    got = _HONORIFICS.get(id(d))
    if got is None:
        forms = sorted(d.honorifics, key=len, reverse=True)
        alt = "|".join(re.escape(w).replace(r"\-", "-").replace("-", "[-‐ ]") for w in forms) or "(?!)"
        one = rf"(?:{alt})\.?"  # as written (capitalised): "Gen." and "Gen", never "gen"
        got = _Honorifics(
            lead=re.compile(rf"\A(?:{one}[ \t]+)+"),
            before=re.compile(rf"(?<![\w.])(?:{one}[ \t]+)+\Z"),
            dot=re.compile(rf"(?<![\w.])(?:{alt})\Z"),
        )
        _HONORIFICS[id(d)] = got
    return got


#: the full stop of an initial or initialism ("U.S.", "U.N.", "John F. Kennedy") or of a month before its day
#: ("Oct. 3"): it ends no sentence unless a line break follows
_INITIAL_DOT = re.compile(r"(?<![\w.])(?:[A-Z]\.)*[A-Z]\Z")
_MONTH_DOT = re.compile(r"(?<![\w.])(?:Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)\Z")


def honorific_dot(text: str, dot: int) -> bool:
    """Whether the full stop at ``text[dot]`` closes an honorific or rank ("Brig.", "Dr."), an initial or
    initialism ("U.S. Central Command") or a month before its day ("Oct. 3"), not a sentence."""
    if text[dot:dot + 1] != ".":
        return False
    lo = max(0, dot - 12)
    if _honorific_patterns(get_dictionary()).dot.search(text, lo, dot) is not None:
        return True
    if text[dot + 1:dot + 2] == "\n":
        return False
    if _MONTH_DOT.search(text, lo, dot) is not None:
        return re.match(r"[ \t]+\d", text[dot + 1:dot + 4]) is not None
    return _INITIAL_DOT.search(text, lo, dot) is not None


@dataclass
class _Organs:
    bare: re.Pattern[str]  # an organ named without its state: "the Foreign Ministry", "MFA"
    after: re.Pattern[str]  # text right after a state name / adjective: "['s] <organ>"
    before: re.Pattern[str]  # text right before a state name: "<organ> of [the] "


_ORGANS: dict[int, _Organs] = {}
_MATCHERS: dict[tuple[int, int], tuple[Any, ActorDictionary, PhraseMatcher]] = {}


def _organ_patterns(d: ActorDictionary) -> _Organs:
    got = _ORGANS.get(id(d))
    if got is None:
        forms = sorted(d.organs, key=len, reverse=True)
        alt = "|".join(re.escape(f).replace("'", _APOS).replace(r"\ ", r"\s+") for f in forms)
        mod = r"(?:(?:then|former|current|acting|de\s+facto)[-\s]+)?"
        caps = "|".join(re.escape(f).replace("'", _APOS).replace(r"\ ", r"\s+") for f in forms if f[:1].isalpha())
        got = _Organs(
            bare=re.compile(rf"\b(?P<organ>{caps})\b", re.IGNORECASE),
            after=re.compile(rf"(?:{_APOS}s)?(?:\s+|-){mod}(?P<organ>{alt})\b", re.IGNORECASE),
            before=re.compile(rf"(?:\b{mod}(?P<organ>{alt})\s+of\s+(?:the\s+)?)\Z", re.IGNORECASE),
        )
        _ORGANS[id(d)] = got
    return got


def _is_acronym(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= max(2, len(letters) - 1)


def _case_ok(d: ActorDictionary, key: str, text: str) -> bool:
    """Acronyms match as written; other names need an upper-case first letter (no "turkey", "chad", "us")."""
    written = d.written.get(key, set())
    if text.isupper() and len(text) > 3:
        return True  # a headline in capitals
    for w in written:
        if _is_acronym(w):
            if text.replace(" ", "") == w.replace(" ", ""):
                return True
        elif not w[:1].isupper() or text[:1].isupper():
            return True
    return False


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    """spaCy's rule-based English tokenizer (no model), to split dictionary names exactly as documents are split."""
    from spacy.lang.en import English

    return English().tokenizer


def _matcher(doc: Doc, d: ActorDictionary) -> PhraseMatcher:
    key = (id(doc.vocab), id(d))
    got = _MATCHERS.get(key)
    if got is None:
        matcher = PhraseMatcher(doc.vocab, attr="LOWER")
        tok = _tokenizer()
        for norm, written in sorted(d.written.items()):
            matcher.add(norm, [Doc(doc.vocab, words=[t.text for t in tok(w)]) for w in sorted(written)])
        got = (doc.vocab, d, matcher)  # the vocab and dictionary stay referenced, so their ids stay unique
        _MATCHERS[key] = got
    return got[2]


def _dictionary_spans(doc: Doc, d: ActorDictionary) -> list[tuple[Span, Surface]]:
    matcher = _matcher(doc, d)
    spans: list[Span] = []
    for match_id, s, e in matcher(doc):
        key = doc.vocab.strings[match_id]
        span = doc[s:e]
        if _case_ok(d, key, span.text):
            spans.append(Span(doc, s, e, label=match_id))
    out = []
    for span in filter_spans(spans):
        surface = d.surfaces.get(doc.vocab.strings[span.label])
        if surface is not None:
            out.append((span, surface))
    return out


_NAMES_A_THING = re.compile(
    r"[ \t]+(?:Statute|Conventions?|Treaty|Protocols?|Declaration|Agreements?|agreements?|Accords?|accords?|Process|"
    r"Format|format|Memorandum|Charter|Principles|Communiqu[eé]|Summit|summit|talks|Document|Plan|Framework)\b"
)
#: a preposition that makes a state or capital name a place: "in Baku", "from Armenia", "to Kyiv"
_LOCATIVE = re.compile(
    r"\b(?:in|at|near|from|to|into|outside|around|across|throughout|inside|towards?|via|within|across)[ \t]+(?:the[ \t]+)?\Z",
    re.IGNORECASE,
)


def _is_dateline(text: str, start: int, end: int) -> bool:
    """A wire dateline: a place in capitals at the start of a line ("KHARTOUM, June 14 (Reuters) -", "GAZA/JERUSALEM,")."""
    line_start = text.rfind("\n", 0, start) + 1
    head = text[line_start:start]
    return text[start:end].isupper() and re.fullmatch(r"[A-Z /'’-]*", head) is not None


def _inside_longer_person(persons: list[tuple[int, int]], span: Span) -> bool:
    """``persons``: token ranges of the PERSON entities (``doc.ents`` is costly: read it once per document)."""
    return any(s <= span.start and span.end <= e and e - s > len(span) for s, e in persons)


def _first_name_end(d: ActorDictionary, text: str, start: int, end: int) -> tuple[int, bool]:
    """Whether the state or capital name at ``[start, end)`` may be a person's first name ("Tirana Hassan, the
    group's executive director", "said Paris Delacroix.", "Defence Minister Israel Katz said"): ``(end of the
    name, cued)``; ``(-1, False)`` when it may not.

    The name must be followed by one surname-like word (capitalised; not a place, outlet or instrument word of
    ``name_cues.not_surnames``, a role, an organ or a known actor: "Gaza City", "Kyiv Post", "Paris Agreement",
    "Kyiv Mayor ..." stay places) and by no further capitalised word; after "of", "the", a locative or a possessive
    the name is a place. It is *cued* as a person's when a speech verb or a role apposition follows, or a speech verb,
    a title or an honorific comes before; an uncued one is a person only when the text names that person elsewhere.
    """
    no = (-1, False)
    m = _SURNAME.match(text, end)
    if m is None:
        return no
    sur = m.group("sur")
    low = normalise(sur)
    if (
        low in d.not_surnames or low in _PLACE_WORDS or low in _NOT_NAME_WORDS or low in _NOT_IN_NAME
        or low in _ROLE_WORD_SET or low in d.organs or sur in d.honorifics or d.lookup(sur) is not None
    ):
        return no
    if re.match(r"[ \t]+[A-Z]", text[m.end():m.end() + 3]):
        return no  # a longer capitalised phrase ("Azerbaijan Leyla Abdullayeva"): not this rule's to decide
    head = text[max(0, start - 60):start]
    if _LOCATIVE.search(head) or _PLACE_BEFORE.search(head):
        return no
    cue_before = bool(_SPEECH_BEFORE.search(head) or _honorific_patterns(d).before.search(head))
    prev = re.search(r"(?P<w>[\w'’.-]+)[ \t]*\Z", head)
    if prev is not None:
        w = prev.group("w")
        if re.search(r"['’]s\Z", w) or normalise(w) in ("of", "the", "a", "an", "and", "or"):
            return no  # "Israel's Netanyahu", "the Gaza Smith": the place modifies what follows
        if normalise(w).rstrip(".") in _ROLE_WORD_SET or normalise(w).rstrip(".") in d.organs:
            cue_before = True  # "Defence Minister Israel Katz", "spokesman Tirana Hassan"
        elif w[:1].isupper() and not w.endswith(".") and not cue_before:
            return no  # "Ali Tirana Hassan": a longer name this rule does not read
    a = _APPOSITION.match(text, m.end())
    apposition = a is not None and _ROLE_RE.search(a.group("role")) is not None and not _NOT_ROLE.search(a.group("role"))
    return m.end(), bool(_SPEECH_AFTER.match(text, m.end()) or apposition or cue_before)


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per document (spaCy rebuilds it from the tokens on every access)."""
    text: str | None = doc.user_data.get("cc_text")
    if text is None:
        text = doc.text
        doc.user_data["cc_text"] = text
    return text


def sentence_at(doc: Doc, pos: int) -> str:
    """The text of the sentence holding character ``pos`` ("" without sentence boundaries).

    The bounds and the text are computed once per document (``doc.text`` and ``doc.sents`` rebuild on every access).
    """
    cached: tuple[str, list[tuple[int, int]]] | None = doc.user_data.get("cc_sentence_bounds")
    if cached is None:
        bounds = [(s.start_char, s.end_char) for s in doc.sents] if doc.has_annotation("SENT_START") else []
        cached = (doc_text(doc), bounds)
        doc.user_data["cc_sentence_bounds"] = cached
    text, bounds = cached
    i = bisect_right(bounds, (pos, len(text) + 1)) - 1
    if i < 0:
        return ""
    start, end = bounds[i]
    return text[start:end]


_sentence = sentence_at


def find_actors(doc: Doc, ctx: Context) -> list[ActorMention]:
    """Every actor mention of ``doc`` in text order (see the module doc for kinds and fields)."""
    d = get_dictionary()
    text = doc_text(doc)
    organs = _organ_patterns(d)
    found: list[ActorMention] = []

    def add(start: int, end: int, actor: str, kind: str, role: str | None = None, state: str | None = None) -> None:
        found.append(ActorMention(
            doc=ctx.doc_id, start=start, end=end, sentence=_sentence(doc, start), actor=actor, kind=kind,
            text=text[start:end], role=role, state=state,
        ))

    person_ents = [(e.start, e.end) for e in doc.ents if e.label_ == "PERSON"]
    named: list[tuple[int, int]] = []  # persons whose first name is a place ("Tirana Hassan")
    uncued: list[tuple[int, int]] = []
    for span, surface in _dictionary_spans(doc, d):
        if len(span) == 1 and _inside_longer_person(person_ents, span):
            continue
        start, end = span.start_char, span.end_char
        if surface.form in ("name", "alias", "capital", "adj") and _NAMES_A_THING.match(text, end):
            continue  # "Rome Statute", "Minsk agreements", "Ottawa Convention": an instrument, not an actor
        if normalise(span[-1].text) in d.compass and re.match(r"[ \t]+[A-Z]", text[end:end + 3]):
            continue  # "the West Darfur town", "the West Bank": part of a place name, not "the West"
        if surface.kind == "state" and surface.form in ("name", "alias", "capital"):
            name_end, cued = _first_name_end(d, text, start, end)
            if name_end > 0 and cued:
                named.append((start, name_end))  # "Tirana Hassan": a person, not Albania
                continue
            if name_end > 0:
                uncued.append((start, name_end))  # "Israel Katz's office": a person if named so elsewhere
        if surface.form == "capital" and (_LOCATIVE.search(text, max(0, start - 12), start) or _is_dateline(text, start, end)):
            continue  # "in Baku", "KHARTOUM, June 14 -": a place, not the government
        if surface.kind == "organ":
            add(start, end, surface.actor, "organ", surface.role, surface.state)
            continue
        if surface.kind == "state" and surface.form in ("name", "alias", "adj", "capital"):
            m = organs.after.match(text, end) if surface.form != "capital" else None
            if m:
                add(start, m.end(), surface.actor, "organ", d.organs[normalise(m.group("organ"))], surface.actor)
                continue
            if surface.form in ("name", "alias"):
                b = organs.before.search(text, max(0, start - 120), start)
                if b:
                    add(b.start(), end, surface.actor, "organ", d.organs[normalise(b.group("organ"))], surface.actor)
                    continue
            if surface.form == "adj":
                add(start, end, surface.actor, "group", "adjective", surface.actor)
                continue
            role = "capital" if surface.form == "capital" else None
            if role is None and _LOCATIVE.search(text, max(0, start - 12), start):
                role = "place"  # "civilians in Azerbaijan": the state as a place (still an actor mention)
            add(start, end, surface.actor, "state", role, surface.actor)
            continue
        if surface.form == "people":
            add(start, end, surface.actor, "group", "people", surface.state)
            continue
        if surface.kind == "person":  # a person the dictionary knows: its state, the role the text gives
            add(start, end, surface.actor, "person", _person_role(text, start, end)[0], surface.state)
            continue
        add(start, end, surface.actor, surface.kind, None, surface.state)

    known = {normalise(text[s:e]) for s, e in named}
    again = [(s, e) for s, e in uncued if normalise(text[s:e]) in known]
    if again:  # "Israel Katz, the defence minister, said ... Israel Katz's office": the same person
        named += again
        found = [m for m in found if not any(s == m.start for s, _ in again)]
    found.sort(key=lambda m: m.start)
    found = _add_anaphora(text, ctx, found, doc)
    found = _add_persons(doc, ctx, found, named)
    found.sort(key=lambda m: (m.start, -m.end))
    return found


def _overlaps(found: list[ActorMention], start: int, end: int) -> bool:
    return any(m.start < end and start < m.end for m in found)


#: organ roles too generic to attach to the publisher's state when named without a state
_NOT_BARE = frozenset({"side", "government", "armed forces", "separatists", "parliament", "President", "Prime Minister"})


def _add_anaphora(text: str, ctx: Context, found: list[ActorMention], doc: Doc) -> list[ActorMention]:
    """"the ministry", "the Court" → the nearest earlier mention of that kind of body; a bare organ ("the Foreign
    Ministry", "MFA") with no earlier mention → the organ of the publisher's state when the publisher names one."""
    out = list(found)
    d = get_dictionary()
    publisher = d.canonical(ctx.input.publisher) if ctx.input.publisher else None
    if publisher is not None and d.kinds.get(publisher) != "state":
        publisher = None
    for m in _ANAPHORA.finditer(text):
        if _overlaps(out, m.start(), m.end()):
            continue
        what = normalise(m.group("what")).replace("’", "'")
        targets = _ANAPHOR_TARGET.get(what, ())
        previous = [a for a in out if a.end <= m.start() and _fits(a, targets)]
        if what == "group" and _staff_title_after(d, text, m.end()):
            # "..., said X, the group's executive director": an NGO's staff, so the group is the NGO named before
            previous = [a for a in out if a.end <= m.start() and a.kind == "ngo"] or previous
        if not previous:
            continue
        ref = max(previous, key=lambda a: a.end)
        out.append(ActorMention(
            doc=ctx.doc_id, start=m.start(), end=m.end(), sentence=_sentence(doc, m.start()), actor=ref.actor,
            kind=ref.kind, text=m.group(), role=ref.role, state=ref.state,
        ))
    for m in _organ_patterns(d).bare.finditer(text):
        if _overlaps(out, m.start(), m.end()):
            continue
        written = m.group("organ")
        role = d.organs.get(normalise(written))
        if role is None or role in _NOT_BARE or not written[:1].isupper():
            continue
        if len(written.split()) < 2 and not _is_acronym(written):
            continue  # "Police", "Intelligence": too vague without their state
        previous = [a for a in out if a.end <= m.start() and a.kind == "organ" and a.role == role]
        state = max(previous, key=lambda a: a.end).state if previous else publisher
        if state is None:
            continue
        out.append(ActorMention(
            doc=ctx.doc_id, start=m.start(), end=m.end(), sentence=_sentence(doc, m.start()), actor=state,
            kind="organ", text=m.group(), role=role, state=state,
        ))
    return out


def _staff_title_after(d: ActorDictionary, text: str, pos: int) -> bool:
    """Whether "'s <title>" right after ``pos`` names a staff title of an NGO (``name_cues.ngo_titles``)."""
    m = re.match(r"['’]s?[ \t]+((?:[\w-]+[ \t]+){0,2}[\w-]+)", text[pos:pos + 60])
    if m is None:
        return False
    words = normalise(m.group(1)).split()
    return any(" ".join(words[:n]) in d.ngo_titles for n in range(1, len(words) + 1))


def _fits(a: ActorMention, targets: tuple[str, ...]) -> bool:
    """Whether mention ``a`` is a body an anaphor of ``targets`` may refer to (never a place, people or adjective)."""
    role = (a.role or "").lower()
    if role in ("place", "adjective", "people"):
        return False
    name = a.actor.lower()
    for t in targets:
        if t == a.kind or (a.kind == "organ" and t in role) or (a.kind in ("igo", "court", "ngo") and t in name):
            return True
        if t == "state" and a.kind == "organ" and role in ("government", "authorities", "leadership"):
            return True
    return False


#: a sentence end before a title: "... on Monday. Katz said" (not "U.S. envoy", whose full stop follows a capital)
_SENTENCE_STOP = re.compile(r"(?<=[a-z0-9])[.!?][ \t]+")


def _person_role(text: str, start: int, end: int) -> tuple[str | None, int, int]:
    """The role stated next to a name: apposition after it, or a title before it on the same line (honorifics
    skipped: "the army's spokesman, Brig. Gen. Nabil Abdallah" → "spokesman")."""
    m = _APPOSITION.match(text, end)
    if m and _ROLE_RE.search(m.group("role")) and not _NOT_ROLE.search(m.group("role")):
        return m.group("role").strip(), m.start("role"), m.end("role")
    line_start = max(text.rfind("\n", 0, start) + 1, start - 240)  # a title is short: bound the search
    for stop in _SENTENCE_STOP.finditer(text, line_start, start):  # and it does not run over a sentence end
        if not honorific_dot(text, stop.start()):
            line_start = stop.end()
    h = _honorific_patterns(get_dictionary()).before.search(text, line_start, start)
    if h is not None:
        start = h.start()
    b = _TITLE_BEFORE.search(text, line_start, start)
    if b and _ROLE_RE.search(b.group("role")):
        role = b.group("role").strip().rstrip(",").strip()
        # drop a leading sentence fragment: keep from the first capitalised word or role word
        return role, b.start("role"), b.start("role") + len(role)
    return None, -1, -1


def _name_candidates(doc: Doc, found: list[ActorMention], named: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """PERSON entities, plus names the NER missed right after a title or an organ ("... of Azerbaijan Leyla Abdullayeva,")
    or after a role apposition ("the spokesperson of the Ministry, Oleh Nikolenko"), plus ``named``: persons whose first
    name is a place (they replace the PERSON entities inside them: "Katz" of "Israel Katz")."""
    text = doc_text(doc)
    spans = [(s, e) for s, e in named]
    spans += [
        (e.start_char, e.end_char) for e in doc.ents
        if e.label_ == "PERSON" and not any(s < e.end_char and e.start_char < t for s, t in named)
    ]
    anchors = [m.end for m in found if m.kind in ("state", "organ", "igo", "court", "ngo")]
    anchors += [m.end() for m in _ROLE_RE.finditer(text)]
    extra = [m.span("name") for pos in sorted(set(anchors)) if (m := _NAME_AFTER_TITLE.match(text, pos))]
    extra += [m.span("name") for m in _NAME_BEFORE_ROLE.finditer(text)]
    extra += [m.span("name") for m in _NAME_AFTER_VERB.finditer(text)]
    extra += [m.span("name") for m in _name_after_role(get_dictionary()).finditer(text)]
    titled = [span for m in _TITLE_AFTER_VERB.finditer(text) if (span := _name_after_verb_title(text, m))]
    for s, e in extra + titled:
        words = normalise(text[s:e]).split()
        if any(w in _NOT_NAME_WORDS or w in _NOT_IN_NAME for w in words) or _overlaps(found, s, e):
            continue
        if any(get_dictionary().lookup(w) is not None for w in words):
            continue
        if (s, e) in titled:  # the whole name after its title replaces the NER's cuts ("Prosecutor Karim", "Ahmad Khan")
            cut = [(a, b) for a, b in spans if a < e and s < b and (a, b) != (s, e) and (a, b) not in named]
            spans = [x for x in spans if x not in cut]
        if not any(a < e and s < b for a, b in spans):
            spans.append((s, e))
    return sorted(spans)


def _name_after_verb_title(text: str, m: re.Match[str]) -> tuple[int, int] | None:
    """The name ending a title after a speech verb (``_TITLE_AFTER_VERB``): the last two to four words that are no
    office, role or actor words ("Minister of Foreign Affairs | Eka Tkeshelashvili"); the title left before it must
    name a role ("Minister", "High Commissioner"), else the words are not a title ("said Human Rights Watch")."""
    d = get_dictionary()
    words = list(re.finditer(r"\S+", m.group("title")))
    n = 0
    for w in reversed(words):
        low = normalise(w.group())
        if (
            any(p in d.office_words or p in _ROLE_WORD_SET for p in low.split("-"))  # "Director-General"
            or low in _NOT_IN_NAME or low in _NOT_NAME_WORDS
            or w.group().rstrip(".") in d.honorifics or d.lookup(w.group()) is not None
            or not (w.group()[:1].isupper() or re.fullmatch(r"al-[\w'’-]+|bin|ibn", w.group()))
        ):
            break
        n += 1
    if n < 2 or n > 4 or n == len(words):
        return None
    title = m.group("title")[: words[-n].start()]
    if not _ROLE_RE.search(title):
        return None
    return m.start("title") + words[-n].start(), m.start("title") + words[-1].end()


def _add_persons(doc: Doc, ctx: Context, found: list[ActorMention], named: list[tuple[int, int]]) -> list[ActorMention]:
    text = doc_text(doc)
    out = list(found)
    honorifics = _honorific_patterns(get_dictionary())
    persons: list[ActorMention] = [m for m in found if m.kind == "person"]  # persons the dictionary knows
    for start, end in _name_candidates(doc, found, named):
        if "\n" in text[start:end]:  # an entity running over a line break: keep its last line
            start = text.rindex("\n", start, end) + 1
        while start < end and text[start].isspace():
            start += 1
        while True:  # a role word or honorific the NER put into the name: "Spokesperson Wang Lin"
            first = re.match(r"[\w'’.-]+\s+", text[start:end])
            if first is None or first.group().strip().lower().rstrip(".") not in _ROLE_WORD_SET:
                break
            start += first.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        name = text[start:end]
        h = honorifics.lead.match(name)
        if h:
            start += h.end()
        while end > start and text[end - 1] in "'’s" and text[end - 2:end] in ("'s", "’s"):
            end -= 2
        name = text[start:end].strip()
        if not name or _overlaps(found, start, end) or not name[:1].isupper():
            continue
        if get_dictionary().lookup(name) is not None:
            continue
        words = normalise(name).split()
        if any(w in _NOT_NAME_WORDS or w in _PLACE_WORDS for w in words):
            continue
        locative = _LOCATIVE.search(text, max(0, start - 12), start) and not _SPOKE_TO.search(text, max(0, start - 30), start)
        if locative or _PLACE_BEFORE.search(text, max(0, start - 30), start):
            continue  # "in Tula Toli", "the village of Tula Toli", "attack on Khan Shaykhun": a place, not a person
        earlier = sorted((p for p in persons if p.start < start), key=lambda p: p.start)
        full = person_named(earlier, name)
        if full is None and len(words) < 2:
            continue  # a lone capitalised word is a person only as the surname of someone named in full before
        full = full or name
        known = next((p for p in reversed(earlier) if p.actor == full), None)
        role, rs, re_ = _person_role(text, start, end)
        state = None
        if role is not None:
            inner = [a for a in out if rs <= a.start and a.end <= re_ and a.kind != "person"]
            if not inner:  # "The Myanmar junta spokesman Zaw Min Tun", "the ministry's spokesperson, X": the body before
                inner = [
                    a for a in out
                    if a.kind != "person" and a.end <= rs
                    and (rs - a.end <= 2 or re.fullmatch(r"['’]s[ \t]+", text[a.end:rs]))
                ]
            state = inner[0].state or inner[0].actor if inner else None
        elif known is not None:
            role, state = known.role, known.state
        mention = ActorMention(
            doc=ctx.doc_id, start=start, end=end, sentence=_sentence(doc, start), actor=full, kind="person",
            text=text[start:end], role=role, state=state,
        )
        persons.append(mention)
        out.append(mention)
    return out


def person_named(mentions: list[ActorMention], name: str) -> str | None:
    """The full name of the last person in ``mentions`` that ``name`` (a surname or full name) refers to."""
    words = normalise(name).split()
    if not words:
        return None
    for m in reversed(mentions):
        if m.kind != "person":
            continue
        full = normalise(m.actor).split()
        if full == words or (len(full) > len(words) and full[-len(words):] == words):
            return m.actor
    return None


def actors_in(source: Context | list[ActorMention], start: int, end: int) -> list[ActorMention]:
    """The actor mentions lying wholly inside ``[start, end)``, in text order (``source``: a context or a list)."""
    mentions = source.actors if isinstance(source, Context) else source
    return [m for m in mentions if start <= m.start and m.end <= end]


def actor_at(source: Context | list[ActorMention], start: int, end: int) -> ActorMention | None:
    """The longest mention inside ``[start, end)``, or else the shortest one containing that span; ``None`` if none."""
    mentions = source.actors if isinstance(source, Context) else source
    inside = actors_in(mentions, start, end)
    if inside:
        return max(inside, key=lambda m: (m.end - m.start, -m.start))
    around = [m for m in mentions if m.start <= start and end <= m.end]
    return min(around, key=lambda m: m.end - m.start) if around else None


_RULER_LABELS = {
    "state": "GPE", "organ": "ORG", "igo": "ORG", "court": "ORG", "ngo": "ORG", "group": "NORP", "person": "PERSON",
}


def ruler_patterns(d: ActorDictionary | None = None) -> list[dict[str, Any]]:
    """Entity-ruler phrase patterns (label, text, id=canonical actor) for every dictionary form, as written and in capitals."""
    d = d or get_dictionary()
    out: list[dict[str, Any]] = []
    for key, written in sorted(d.written.items()):
        surface = d.surfaces[key]
        label = "NORP" if surface.form in ("adj", "people") else _RULER_LABELS.get(surface.kind, "ORG")
        forms = set(written) | {w.upper() for w in written if len(w) > 3}
        for form in sorted(forms):
            out.append({"label": label, "pattern": form, "id": surface.actor})
    return out


def add_actor_ruler(nlp: Language) -> None:
    """Add the entity ruler built from the actor dictionary (before the statistical NER), case-sensitive phrases."""
    if "counterclaim_actor_ruler" in nlp.pipe_names:
        return
    where: dict[str, Any] = {"before": "ner"} if "ner" in nlp.pipe_names else {}
    ruler = nlp.add_pipe(
        "entity_ruler", name="counterclaim_actor_ruler", config={"phrase_matcher_attr": "ORTH", "validate": False},
        **where,
    )
    ruler.add_patterns(ruler_patterns())  # type: ignore[attr-defined]


def party(m: ActorMention) -> str | None:
    """The actor a mention stands for in an allegation: the state of organs and persons, the organisation of a body
    that is ``part_of`` one (every UN body is the United Nations), else the actor itself."""
    if m.kind == "person":
        return m.state or None
    if m.kind == "outlet":
        return None  # a news agency reports; it is no party
    return m.state if m.kind in ("organ", "igo") and m.state else m.actor
