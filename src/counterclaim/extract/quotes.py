"""Quotes attributed to speakers: direct and indirect speech, Q&A answers, multi-paragraph quotes.

- **Direct** quotes are words in quote marks (“ ” " « » ‘ ’ „), a paragraph at most; a quote left open at a
  paragraph end continues in the next paragraph when that one opens with a quote mark (one record per paragraph).
  Scare quotes and slogans (1-4 words without an attribution) are not quotes.
- The **speaker** comes from the attribution after the quote (``,” she stated``; ``,” said X``), or else from the
  clause before it (``X said: “...”``; ``According to X, “...”``; ``Baku described the claims “as ...”``), or else
  from the previous quote when the quote continues it (in the next paragraph, or as the next sentence right after the
  previous quote's postposed attribution: ``“...,” said the ministry's spokesperson, Maria Zakharova. “...”``; a
  rank's full stop, "Brig. Gen.", ends no sentence). Pronouns resolve to the previous quote's speaker or the last
  person named; surnames to the full name used before (:func:`counterclaim.extract.actors.person_named`); organs to
  ``"<organ> of <state>"`` ("Ministry of Foreign Affairs of Azerbaijan"), states and their sides to the state name.
- **Q&A** texts: each answer (``Answer:``, ``A:``, ``Answer (X):``, ``X:``, also in markdown bold: ``**A:**``) is one
  direct quote by the person named as answering (in the marker or in a header such as "X answers the question of ...").
  Interviews whose questions carry no label (a line ending in "?", then the answer; at least two answered questions)
  give the answers to the person the answer line names or to the interviewee introduced before the first question
  ("We spoke to X, ...": ``interview_intro`` in ``data/reporting_verbs.yaml``).
- **Indirect** speech (``X said that ...``, ``..., the ministry said.``, ``according to X, ...``) gives
  ``direct=False`` records whose text is the reported clause.

``start``/``end`` are the quoted words (quote marks excluded); ``verb`` is the reporting verb as written
("said", "wrote on his Twitter account", "according to").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any

import yaml
from spacy.tokens import Doc

from counterclaim.extract.actors import doc_text, honorific_dot, person_named
from counterclaim.extract.actors import sentence_at as _sentence
from counterclaim.extract.context import Context
from counterclaim.extract.quote_marks import OPENERS, QuotedSpan, quoted_spans
from counterclaim.records import ActorMention, Quote

VERSION = "quotes.v3"

_PRONOUNS = {"he", "she", "him", "her", "his"}
_ROLE_NOUNS = {"spokesperson", "spokesman", "spokeswoman", "minister", "envoy", "ambassador", "official", "president",
               "representative", "commander", "officer", "spokespeople", "source"}
_GENERIC_ROLE = re.compile(
    r"\b(?:survivor|witness|resident|villager|mother|father|woman|man|doctor|nurse|medic|teacher|farmer|refugee|"
    r"soldier|fighter|official|diplomat|source|spokes(?:person|man|woman)|volunteer|aid worker|journalist|activist|"
    r"eyewitness|displaced|detainee|prisoner|student|local|elder|commander|officer|paramedic|rescuer|worker)s?\b",
    re.IGNORECASE,
)
#: verbs that come before their subject after a quote: "...,” said X."
_INVERTING = frozenset({
    "said", "says", "added", "adds", "asked", "wrote", "writes", "stated", "continued", "explained", "noted",
    "stressed", "tweeted", "replied", "declared", "insisted", "warned", "recalled", "observed", "remarked",
    "concluded", "commented", "told", "argued", "emphasized", "emphasised", "underlined", "posted",
})
_FEMALE = re.compile(r"\b(?:Ms|Mrs|Miss|Madam|Madame|Dame|Lady)\b\.?|woman\b|\b(?:Queen|Princess|actress)\b")
_MALE = re.compile(r"\b(?:Mr|Sir|Lord)\b\.?|(?<!wo)man\b|\b(?:King|Prince)\b")
_DOC_DETERMINERS = frozenset({"the", "its", "their", "this", "that", "a", "an", "his", "her"})
_INDEFINITE = frozenset({"a", "an", "one", "another", "some", "several", "two", "three", "many", "other"})
_APPOSITION_GAP = re.compile(r",[ \t]+(?:(?:the|a|an)[ \t]+)?(?:[\w’'.-]+[ \t]+){0,3}")
#: between a body and the name of its spokesperson: "the spokesperson of the Ministry, Brig. Gen. X"
_NAME_GAP = re.compile(r",[ \t]+(?:[A-Z][\w-]*\.[ \t]+){0,3}")
_ROLE_ALT = "|".join(sorted(_ROLE_NOUNS, key=len, reverse=True))
_ROLE_AFTER = re.compile(rf"[ \t]+(?:[\w-]+[ \t]+)?(?P<noun>{_ROLE_ALT})\b", re.IGNORECASE)
_ROLE_BEFORE = re.compile(rf"\b(?P<noun>{_ROLE_ALT})[ \t]+(?:for|of|from)[ \t]+(?:the[ \t]+)?\Z", re.IGNORECASE)
_MIN_WORDS = 5  # a quote of fewer words needs its own attribution and a full sentence; else it is a scare quote


@dataclass(frozen=True)
class _Lexicon:
    verb: re.Pattern[str]  # any reporting verb (speech or framing), whole words
    speech: re.Pattern[str]  # speech verbs only
    channel: re.Pattern[str]  # what may follow a verb
    according: re.Pattern[str]
    passive: re.Pattern[str]  # "was quoted (by X) as saying"
    qa_answer: re.Pattern[str]
    qa_question: re.Pattern[str]
    qa_header: re.Pattern[str]
    interview_intro: re.Pattern[str]  # "We spoke to X": an interview whose questions carry no label
    document_nouns: frozenset[str]  # "the report said": a document as speaker


#: markdown emphasis around a Q&A label: "**Q:**", "__Answer__:"
_BOLD = r"(?:\*\*|__|\*)?"


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    """The reporting-verb lexicon (``data/reporting_verbs.yaml``), compiled once."""
    data: dict[str, Any] = yaml.safe_load(
        resources.files("counterclaim.data").joinpath("reporting_verbs.yaml").read_text("utf-8")
    )
    verbs, framing = list(data["verbs"]), list(data["framing"])
    channels = "|".join(f"(?:{c})" for c in data["channels"])
    return _Lexicon(
        verb=re.compile(rf"\b(?:{_alt(verbs + framing)})\b", re.IGNORECASE),
        speech=re.compile(rf"\b(?:{_alt(verbs)})\b", re.IGNORECASE),
        channel=re.compile(rf"\s+(?:{channels})"),
        according=re.compile(r"\b(?:according to|in the words of)\s+", re.IGNORECASE),
        passive=re.compile(r"\b(?:was|were|is|are|has been|have been|had been)\s+quoted\b", re.IGNORECASE),
        qa_answer=re.compile(
            rf"^[ \t]*{_BOLD}(?:{_alt(data['qa_answer'])}){_BOLD}[ \t]*(?:\((?P<who>[^)\n]{{2,80}})\))?[ \t]*{_BOLD}"
            rf"[:.\-–—]{_BOLD}[ \t]*",
            re.IGNORECASE | re.MULTILINE,
        ),
        qa_question=re.compile(
            rf"^[ \t]*{_BOLD}(?:{_alt(data['qa_question'])})\b[^:\n]{{0,80}}:", re.IGNORECASE | re.MULTILINE
        ),
        qa_header=re.compile("|".join(f"(?:{h})" for h in data["qa_header"]), re.IGNORECASE),
        interview_intro=re.compile(
            r"\b(?:" + "|".join(f"(?:{h})" for h in data["interview_intro"]) + r")\b", re.IGNORECASE
        ),
        document_nouns=frozenset(str(n).lower() for n in data.get("document_nouns") or ()),
    )


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


@dataclass
class _Who:
    speaker: str | None
    affiliation: str | None
    role: str | None
    verb: str | None
    rule: str = ""  # how the speaker was found: "quote:after", "quote:before" ...


def _speaker_of(m: ActorMention) -> tuple[str, str | None, str | None]:
    """(speaker, affiliation, role) for an actor mention."""
    if m.kind == "person":
        return m.actor, m.state, m.role
    if m.kind == "organ" and m.role and m.role not in ("side", "government", "capital"):
        state = m.state or m.actor
        return f"{m.role} of {state}", state, m.role
    if m.kind == "group" and m.role in ("adjective", "people"):
        return m.actor, m.state, None
    if m.kind == "igo" and m.state:  # a UN body speaks as the United Nations ("OHCHR" kept as its role)
        return m.state, None, m.actor
    return m.actor, m.state if m.state and m.state != m.actor else None, m.role


class _Resolver:
    """Speaker resolution over one document: mentions, people (named or "an RSF spokesman"), the previous quote."""

    def __init__(self, text: str, actors: list[ActorMention], verbs: set[int] | None = None) -> None:
        self.text = text
        self.actors = actors
        self.verbs = verbs  # start offsets of the tokens tagged as verbs (None: no tagger, trust the lexicon)
        self.previous: _Who | None = None
        self.previous_at = -1  # where the previous quote started
        self.previous_personal = False  # its speaker was a person (or a spokesperson of a body)
        self.attribution_end = -1  # where the last attribution read after a closing mark ended
        self.antecedents = self._antecedents()
        self.genders = self._genders()

    def _antecedents(self) -> list[tuple[int, _Who]]:
        """Who "he"/"she" may refer to: persons, and role nouns of bodies ("An RSF spokesman", "a spokesman for X")."""
        out: list[tuple[int, _Who]] = []
        for m in self.actors:
            if m.kind == "person":
                out.append((m.start, _Who(*_speaker_of(m), None)))
            elif not (m.kind == "group" and m.role == "adjective"):
                after = _ROLE_AFTER.match(self.text, m.end)
                before = _ROLE_BEFORE.search(self.text, max(0, m.start - 60), m.start)
                at = before.start() if before else m.start
                if (after or before) and any(
                    p.kind == "person" and (
                        p.end <= at and _APPOSITION_GAP.fullmatch(self.text, p.end, at)
                        or p.start >= m.end and _NAME_GAP.fullmatch(self.text, m.end, p.start)
                    )
                    for p in self.actors
                ):
                    continue  # "X, spokesperson for the ministry", "the spokesperson of the Ministry, X": X's role
                if after or before:
                    speaker, affiliation, _ = _speaker_of(m)
                    noun = (after or before).group("noun").lower()  # type: ignore[union-attr]
                    out.append((m.start, _Who(speaker, affiliation, noun, None)))
        return sorted(out, key=lambda t: t[0])

    def is_verb(self, pos: int) -> bool:
        """Whether the word at ``pos`` is a verb ("report" the noun is not "report" the verb)."""
        return self.verbs is None or pos in self.verbs

    def mentions(self, start: int, end: int) -> list[ActorMention]:
        return [m for m in self.actors if start <= m.start and m.end <= end]

    def _genders(self) -> dict[str, str]:
        """Speakers whose gender the text states: "Ms", "Mr", "spokeswoman", "chairman" next to the name."""
        out: dict[str, str] = {}
        for m in self.actors:
            if m.kind != "person":
                continue
            near = self.text[max(0, m.start - 6):m.start] + " " + (m.role or "")
            g = _FEMALE.search(near) and "f" or _MALE.search(near) and "m"
            if g:
                out.setdefault(m.actor, g)
        return out

    def pronoun(self, pos: int, gender: str | None = None) -> _Who | None:
        """The nearest person-like antecedent before ``pos`` (of the pronoun's gender when the text states the
        antecedent's), or the previous quote's speaker when that is nearer."""
        def fits(who: _Who) -> bool:
            known = self.genders.get(who.speaker or "")
            return gender is None or known is None or known == gender

        before = [(at, w) for at, w in self.antecedents if at < pos and fits(w)]
        cand = before[-1] if before else None
        p = self.previous
        if p is not None and self.previous_personal and fits(p) and (cand is None or self.previous_at > cand[0]):
            who = _Who(p.speaker, p.affiliation, p.role, None)
        elif cand is not None:
            w = cand[1]
            who = _Who(w.speaker, w.affiliation, w.role, None)
        else:
            return None
        if gender is not None and who.speaker and who.speaker not in self.genders:
            self.genders[who.speaker] = gender  # "..., she said": later "he" is someone else
        return who

    def document_speaker(self, noun: str, phrase: str, pos: int) -> _Who:
        """The speaker of "the <noun> said": the last body named in a sentence before ``pos`` that speaks of such a
        document ("the Ministry of Foreign Affairs said in a statement" → the ministry), else the document itself."""
        n = re.escape(noun)
        issued = re.compile(
            rf"[^.\n]{{0,60}}?\b(?:in|issued|released|published)\s+(?:a|an|its|their)\s+(?:[\w-]+\s+){{0,2}}?{n}\b"
            rf"|['’]s?\s+(?:[\w-]+\s+){{0,2}}?{n}\b", re.IGNORECASE,
        )
        of_body = re.compile(rf"\b{n}\s+(?:issued\s+)?(?:by|of|from)\s+(?:the\s+)?\Z", re.IGNORECASE)
        for m in reversed(self.actors):
            if m.end > pos or pos - m.start > 4000:
                continue
            if m.kind == "person" or m.role in ("adjective", "people", "place", "capital"):
                continue
            if issued.match(self.text, m.end) or of_body.search(self.text, max(0, m.start - 50), m.start):
                return _Who(*_speaker_of(m), None)
        lead = re.match(r"(?:the|its|their|this|that|a|an)\s+", phrase, re.IGNORECASE)
        return _Who(phrase[lead.end():] if lead and phrase.lower().startswith(("its", "their")) else phrase, None, None, None)

    def from_phrase(self, start: int, end: int, pos: int, subject_last: bool = False) -> _Who | None:
        """The speaker named in ``text[start:end]`` (a subject phrase): person, actor, pronoun or role noun."""
        phrase = self.text[start:end]
        ms = [m for m in self.mentions(start, end) if m.role not in ("adjective", "place")]
        persons = [m for m in ms if m.kind == "person"]
        if persons:
            return _Who(*_speaker_of(persons[0]), None)
        if ms:
            return _Who(*_speaker_of(ms[-1] if subject_last else ms[0]), None)
        words = re.findall(r"[\w’'-]+", phrase.lower())
        if words and len(words) <= 3 and (words[0] in _PRONOUNS or (words[0] == "the" and _ROLE_NOUNS & set(words))):
            gender = "f" if words[0] in ("she", "her") else "m" if words[0] in ("he", "him", "his") else None
            return self.pronoun(pos, gender)
        if words and len(words) <= 2 and words[0] in ("it", "they"):
            bodies = [
                m for m in self.actors
                if m.end <= pos and m.kind != "person" and m.role not in ("adjective", "people", "place", "capital")
            ]
            return _Who(*_speaker_of(bodies[-1]), None) if bodies else None
        nouns = lexicon().document_nouns
        if words and len(words) <= 4 and (words[-1] in nouns or " ".join(words[-2:]) in nouns) and words[0] in _DOC_DETERMINERS:
            return self.document_speaker(words[-1], " ".join(phrase.split()).strip(" ,"), pos)
        generic = words and (words[0] in _INDEFINITE or _GENERIC_ROLE.fullmatch(words[0]))
        if generic and len(words) <= 6 and _GENERIC_ROLE.search(phrase):
            return _Who(" ".join(phrase.split()).strip(" ,"), None, None, None)  # "a survivor", "one resident"
        # a surname the NER did not tag
        for w in reversed(re.findall(r"\b[A-Z][\w’'-]+\b", phrase)):
            full = person_named(self.actors, w)
            if full:
                p = next(m for m in reversed(self.actors) if m.kind == "person" and m.actor == full)
                return _Who(*_speaker_of(p), None)
        return None


#: what may lie between an attribution after a quote and the next quote of the same speaker: the full stop only
_NEXT_SENTENCE = re.compile(r"[.!?][ \t]*")
_ATTRIBUTION_END = re.compile(r"[.!?](?:\s|$)|\n|[“«\"]")


def _attribution_end(text: str, close: int) -> int:
    """Where the attribution after a closing mark ends: the sentence end (not the full stop of "Brig. Gen."),
    the line end or the next opening mark."""
    pos = close
    while True:
        m = _ATTRIBUTION_END.search(text, pos)
        if m is None:
            return len(text)
        if not honorific_dot(text, m.start()):
            return m.start()
        pos = m.start() + 1


_DASH_NAME = re.compile(r"[ \t]*[–—][ \t]*(?=[A-Z\u00C0-\u024F])")


def _after(res: _Resolver, lex: _Lexicon, close: int) -> _Who | None:
    """Attribution right after a closing mark: ``,” she stated.`` / ``,” said X, the ...``."""
    text = res.text
    dash = _DASH_NAME.match(text, close)
    if dash is not None:  # “...” – Agnès Callamard (a pull quote signed with a dash)
        line_end = text.find("\n", close)
        line_end = len(text) if line_end < 0 else line_end
        if line_end - dash.end() <= 150 and not lex.speech.search(text, dash.end(), line_end):
            who = res.from_phrase(dash.end(), line_end, close)
            if who is not None and who.speaker:
                res.attribution_end = line_end
                who.verb, who.rule = "–", "quote:dash"
                return who
    stop = _attribution_end(text, close)
    res.attribution_end = stop
    seg_start = close
    while seg_start < stop and text[seg_start] in " \t,;:—–-":
        seg_start += 1
    seg = text[seg_start:stop]
    if not seg or len(seg) > 200:
        return None
    acc = re.match(r"according to\s+", seg, re.IGNORECASE)
    if acc:  # "...,” according to the ministry."
        who = res.from_phrase(seg_start + acc.end(), stop, close)
        if who is not None:
            who.verb = "according to"
        return who
    v = next((v for v in lex.speech.finditer(seg) if res.is_verb(seg_start + v.start())), None)
    if v is None:
        return None
    verb = _verb_phrase(text, lex, seg_start + v.start(), seg_start + v.end())
    if v.start() == 0:  # "said X"
        if v.group().lower() not in _INVERTING or re.match(r"\s+that\b", seg[v.end():]):
            return None  # "” found that the militia ...": not an attribution
        who = res.from_phrase(seg_start + v.end(), min(stop, seg_start + v.end() + 120), close)
    else:  # "X said"
        if v.start() > 140:
            return None
        who = res.from_phrase(seg_start, seg_start + v.start(), close, subject_last=True)
    if who is None:
        return None
    who.verb = verb
    return who


def _verb_phrase(text: str, lex: _Lexicon, s: int, e: int) -> str:
    c = lex.channel.match(text, e)
    return " ".join(text[s:c.end() if c else e].split())


def _clause_start(text: str, pos: int, floor: int) -> int:
    """Start of the sentence holding ``pos`` (not before ``floor``)."""
    best = floor
    for m in re.finditer(r"[.!?]\s+(?=[A-Z“\"«‘])|\n", text[floor:pos + 1]):
        if not honorific_dot(text, floor + m.start()):  # "Brig. Gen. X said:" is one clause
            best = floor + m.end()
    return best


def _before(res: _Resolver, lex: _Lexicon, open_pos: int, floor: int) -> _Who | None:
    """Attribution in the clause before an opening mark: ``X said: “``, ``According to X, “``, ``X described Y “as``."""
    text = res.text
    cs = _clause_start(text, open_pos, floor)
    seg = text[cs:open_pos]
    acc = list(lex.according.finditer(seg))
    if acc:
        a = acc[-1]
        who = res.from_phrase(cs + a.end(), open_pos, open_pos)
        if who is not None:
            who.verb = " ".join(a.group().split())
            return who
    verbs = [v for v in lex.verb.finditer(seg) if res.is_verb(cs + v.start())]
    if not verbs:
        return None
    v = verbs[-1]
    verb = _verb_phrase(text, lex, cs + v.start(), cs + v.end())
    subject_end = cs + v.start()
    p = lex.passive.search(seg, 0, v.start())
    if p is not None:
        subject_end = cs + p.start()  # "X was quoted by Y as saying" → X
    who = res.from_phrase(cs, subject_end, open_pos)
    if who is None:
        return None
    who.verb = verb
    return who


def _sentence_before(res: _Resolver, lex: _Lexicon, open_pos: int, floor: int) -> _Who | None:
    """A quote opening its sentence, attributed by the sentence before: "X said in a statement: / “...”",
    "Nikolenko wrote on Facebook. “...”" (same paragraph, or the paragraph before when it ends with a colon)."""
    text = res.text
    cs = _clause_start(text, open_pos, floor)
    if text[cs:open_pos].strip():
        return None
    end = len(text[:cs].rstrip())
    if end <= floor or text[end - 1] not in ".:" or ("\n" in text[end:open_pos] and text[end - 1] != ":"):
        return None
    who = _before(res, lex, end - 1, floor)
    if who is None or who.verb is None or not lex.speech.match(who.verb):
        return None
    return who


def find_quotes(doc: Doc, ctx: Context) -> list[Quote]:
    """Direct quotes, Q&A answers and indirect speech of ``doc`` with their speakers (see the module doc)."""
    text = doc_text(doc)
    lex = lexicon()
    verbs = {t.idx for t in doc if t.pos_ in ("VERB", "AUX")} if doc.has_annotation("POS") else None
    res = _Resolver(text, sorted(ctx.actors, key=lambda m: m.start), verbs)
    out: list[Quote] = []

    def add(start: int, end: int, who: _Who, direct: bool = True, rule: str = "") -> None:
        while end > start and text[end - 1] in " \t,":
            end -= 1
        out.append(Quote(
            doc=ctx.doc_id, start=start, end=end, sentence=_sentence(doc, start), speaker=who.speaker,
            affiliation=who.affiliation, role=who.role, text=text[start:end], verb=who.verb, direct=direct,
            rules=[rule or who.rule or ("quote:indirect" if not direct else "quote:attributed")],
        ))
        res.previous, res.previous_at = who, start
        res.previous_personal = any(w.speaker == who.speaker for _, w in res.antecedents)

    qa, qa_start = _qa_answers(text, lex, res)
    taken = [(s, e) for s, e, _ in qa]
    items: list[tuple[int, int, _Who | None, QuotedSpan | None]] = [(s, e, w, None) for s, e, w in qa]
    spans = [q for q in quoted_spans(text) if not any(s <= q.start < e for s, e in taken)]
    items += [(q.start, q.end, None, q) for q in spans]
    quoted = taken + [(q.start, q.end) for q in spans if _words(text[q.start:q.end]) >= _MIN_WORDS]
    if qa_start is not None:  # the questions and answers of a Q&A text are not reported speech
        quoted.append((qa_start, len(text)))
    indirect = {c.start: c for c in _indirect(doc, lex, quoted)}
    items += [(c.start, c.end, None, None) for c in indirect.values()]
    items.sort(key=lambda t: t[0])

    items += [(s, e, w, None) for s, e, w in _name_line_quotes(text, res, taken + [(q.start, q.end) for q in spans])]
    items.sort(key=lambda t: t[0])

    def carried(start: int, close: int | None = None) -> _Who | None:
        """A paragraph that opens with a quote mark and names no speaker, right after the paragraph of the last
        quote or reported speech: the same speaker (the convention of news and press releases)."""
        p = res.previous
        if p is None or not p.speaker:
            return None
        para = text.rfind("\n", 0, start) + 1
        if text[para:start].strip(" \t" + "".join(OPENERS)):
            return None  # words before the mark: not a paragraph of speech
        line_end = text.find("\n", start)
        if close is not None and lex.speech.search(text, close, len(text) if line_end < 0 else line_end):
            return None  # the paragraph names its speaker ("..., Bachelet said"), even if we could not resolve it
        before = text[:para].rstrip()
        prev_para = before.rfind("\n") + 1
        if res.previous_at < prev_para and not (para <= res.previous_at):
            return None
        return _Who(p.speaker, p.affiliation, p.role, p.verb, "quote:carried_paragraph")

    def flush(waiting: list[QuotedSpan]) -> None:
        """Paragraphs of a quote left open whose attribution never came (the text may be cut)."""
        who = carried(waiting[0].start) if waiting else None
        if who is not None:
            for w in waiting:
                add(w.start, w.end, who)

    floor = 0
    last_after: tuple[int, _Who] | None = None  # the previous quote's attribution after it: where it ended, who
    pending: list[QuotedSpan] = []  # paragraphs of a quote left open, waiting for the attribution of a later paragraph
    for start, end, qa_who, span in items:
        if span is None and qa_who is None:
            c = indirect[start]
            who = res.from_phrase(c.subject[0], c.subject[1], c.start)
            if who is not None and who.speaker:
                who.verb = c.verb
                add(c.start, c.end, who, direct=False)
            continue
        if span is None:
            if qa_who is not None:
                add(start, end, qa_who)
            floor, pending = end, []
            continue
        if pending and not span.continues:
            flush(pending)  # an open quote whose speaker never came: the previous speaker's, if it follows theirs
            pending = []
        close = span.end + 1 if span.closed else span.end
        who = _after(res, lex, close) if span.closed else None
        said_after = (res.attribution_end, who) if who is not None else None
        if who is None and not span.continues:
            who = _before(res, lex, span.start - 1, floor) or _sentence_before(res, lex, span.start - 1, floor)
        if (
            who is None and not span.continues and last_after is not None and last_after[1] is res.previous
            and _NEXT_SENTENCE.fullmatch(text, last_after[0], span.start - 1)
        ):  # “...,” said X, the ...’s spokesperson. “...”: the next sentence of X's speech
            p = last_after[1]
            who = _Who(p.speaker, p.affiliation, p.role, p.verb, "quote:next_sentence")
        if who is None and span.continues and not pending and res.previous is not None:
            p = res.previous
            who = _Who(p.speaker, p.affiliation, p.role, p.verb, "quote:continues")
        if who is None and span.closed and not span.continues:
            who = carried(span.start, close)
        last_after = said_after
        floor = close
        if who is None or not who.speaker:
            if not span.closed:
                pending.append(span)
            continue
        for waiting in pending:
            add(waiting.start, waiting.end, _Who(who.speaker, who.affiliation, who.role, who.verb, "quote:attributed_later"))
        pending = []
        if _words(text[span.start:span.end]) < _MIN_WORDS and not _is_full_sentence(text, span):
            continue
        if _is_title(text[span.start:span.end]):
            continue
        add(span.start, span.end, who)
    flush(pending)
    out.sort(key=lambda q: q.start)
    return out


#: a line that is only a name, with a title after a comma: "Agnès Callamard, Amnesty International’s Secretary General"
_NAME_LINE_REST = re.compile(r"[ \t]*(?:,[^\n.!?]{0,140})?[ \t]*\Z")
_QUOTE_CHARS = frozenset("“”\"«»„")


def _name_line_quotes(text: str, res: _Resolver, quoted: list[tuple[int, int]]) -> list[tuple[int, int, _Who]]:
    """Pull quotes without marks: a paragraph followed by a line that only names a person (and their title) is
    that person's words ("The list of war crimes ... is extensive" / "Agnès Callamard, Amnesty International's
    Secretary General")."""
    lex = lexicon()
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((pos, pos + len(line.rstrip())))
        pos += len(line) + 1
    out: list[tuple[int, int, _Who]] = []
    for k, ((ps, pe), (ls, le)) in enumerate(pairwise(lines)):
        head = next((m for m in res.actors if m.kind == "person" and ls <= m.start < ls + 4), None)
        if head is None or head.end > le or not _NAME_LINE_REST.match(text, head.end, le):
            continue
        if k == 0 or text[ls:head.start].strip() or _words(text[ps:pe]) < 12:
            continue  # a headline and its byline, or a short caption
        if lex.speech.search(text, head.end, le) or any(s < pe and ps < e for s, e in quoted):
            continue
        para = text[ps:pe]
        if _QUOTE_CHARS & set(para) or _words(para) < 6 or para.lstrip().startswith(("By ", "•", "-", "*")):
            continue
        out.append((ps, pe, _Who(*_speaker_of(head), None, "quote:name_line")))
    return out


@dataclass
class _Indirect:
    start: int  # the reported clause
    end: int
    subject: tuple[int, int]  # the speaker phrase
    verb: str


#: a wire dateline opening a sentence: "KHARTOUM, June 14 (Reuters) - "
_DATELINE = re.compile(r"[A-Z][A-Z'’/. -]+(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\([^)\n]{1,40}\))?\s*[-–—]+\s*")
#: what precedes the reported clause inside the parse's complement: "that", or a short addressee ("SANA that")
_LEAD_THAT = re.compile(r"(?:[^\s,;:]+\s+){0,5}?(?:that|how|whether)\s+")
_ACCORDING_BEFORE = re.compile(r"^\s*According to (?P<who>[^,]{3,120}),\s+(?P<what>.+?)[.!?]?\s*$", re.DOTALL)
_ACCORDING_AFTER = re.compile(r"^\s*(?P<what>.+?),\s+according to (?P<who>[^,]{3,120}?)[.!?]?\s*$", re.DOTALL)


def _indirect(doc: Doc, lex: _Lexicon, quoted: list[tuple[int, int]]) -> list[_Indirect]:
    """Reported speech from the parse: "X said (that) <clause>", "<clause>, X said", "according to X, <clause>"."""
    if not doc.has_annotation("DEP"):
        return []
    text = doc_text(doc)
    out: list[_Indirect] = []

    def keep(start: int, end: int, subject: tuple[int, int], verb: str) -> None:
        while end > start and text[end - 1] in " \t\n,;:.":
            end -= 1
        lead = _DATELINE.match(text, start, end) or _LEAD_THAT.match(text, start, end)
        if lead:
            start = lead.end()
        lo, hi = min(start, subject[0]), max(end, subject[1])
        if _words(text[start:end]) < _MIN_WORDS or "\n" in text[lo:hi]:
            return
        if any(s < end and start < e for s, e in quoted):
            return
        out.append(_Indirect(start, end, subject, verb))

    for sent in doc.sents:
        m = _ACCORDING_BEFORE.match(sent.text) or _ACCORDING_AFTER.match(sent.text)
        if m:
            base = sent.start_char
            keep(base + m.start("what"), base + m.end("what"), (base + m.start("who"), base + m.end("who")), "according to")
            continue
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX") or not lex.speech.fullmatch(tok.text):
                continue
            subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
            if not subj:
                continue
            s_start, s_end = subj[0].left_edge.idx, subj[0].right_edge.idx + len(subj[0].right_edge)
            verb = _verb_phrase(text, lex, tok.idx, tok.idx + len(tok))
            comp = [c for c in tok.children if c.dep_ == "ccomp"]
            if comp:
                c = comp[0]
                c_end = c.right_edge.idx + len(c.right_edge)
                if c.right_edge.dep_ == "cc" or c.right_edge.lower_ in ("and", "or", "but"):
                    c_end = sent.end_char  # "... have been killed and 12,065 wounded": the parse cut a coordination
                keep(c.left_edge.idx, c_end, (s_start, s_end), verb)
            elif tok.dep_ in ("parataxis", "ccomp") and tok.head.i < tok.i and tok.head.dep_ == "ROOT":
                keep(sent.start_char, min(s_start, tok.idx), (s_start, s_end), verb)
    return out


def _is_title(quoted: str) -> bool:
    """A title of a report, book or operation ("Death Sentence to Civilians: The War in Sudan"), not speech."""
    words: list[str] = re.findall(r"[^\W\d_][\w’'-]*", quoted)
    long = [w for w in words if len(w) > 3]
    if not long or quoted.rstrip()[-1:] in ".!?,":
        return False
    capitalised = sum(1 for w in long if w[0].isupper())
    return capitalised / len(long) >= 0.6


def _is_full_sentence(text: str, span: QuotedSpan) -> bool:
    """A short quote counts when it is a sentence of its own: "“We will respond,” he said." (not a scare quote)."""
    inner = text[span.start:span.end].rstrip()
    return bool(inner) and inner[:1].isupper() and inner[-1] in ".!?," and _words(inner) >= 2


_UPPER = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
#: a line opening with a speaker's name: "Maria Zakharova: ...", "**Ahmed Mahat:** ...", "Mahat: ..." (one word: only
#: the surname of a person named in full before)
_SPEAKER_LINE = re.compile(
    rf"^[ \t]*{_BOLD}(?P<who>[{_UPPER}][\w'’.-]+(?:[ \t]+[{_UPPER}][\w'’.-]+){{0,3}}){_BOLD}[ \t]*"
    rf"(?:\([^)\n]{{1,80}}\))?[ \t]*{_BOLD}:{_BOLD}[ \t]*(?=\S)",
    re.MULTILINE,
)


def _label_speaker(res: _Resolver, m: re.Match[str]) -> _Who | None:
    """The speaker a ``_SPEAKER_LINE`` label names: a full name (2-4 words), or the surname of a person named before."""
    who = res.from_phrase(m.start("who"), m.end("who"), m.start())
    if len(m.group("who").split()) >= 2:
        return who or _Who(" ".join(m.group("who").split()), None, None, None)
    full = person_named([a for a in res.actors if a.start < m.start()], m.group("who"))
    return _Who(who.speaker, who.affiliation, who.role, None) if who is not None and who.speaker == full else None


def _qa_answers(text: str, lex: _Lexicon, res: _Resolver) -> tuple[list[tuple[int, int, _Who]], int | None]:
    """Answers of a Q&A text, each attributed to the person named as answering, and where the Q&A part starts.

    An answer opens with an answer label ("Answer:", "A:", "Answer (X):") or with the answering person's name
    ("Maria Zakharova: ..."), after a question label, and runs to the next question or answer. Without question
    labels, see :func:`_interview_answers`.
    """
    questions = [m.start() for m in lex.qa_question.finditer(text)]
    if not questions:
        return _interview_answers(text, lex, res)
    header_who = _qa_header_speaker(text[: questions[0]], lex, res)
    markers: list[tuple[int, int, _Who | None]] = []  # (label start, answer start, speaker)
    for m in lex.qa_answer.finditer(text):
        if m.start() > questions[0]:
            who = None
            if m.group("who"):
                who = res.from_phrase(m.start("who"), m.end("who"), m.start()) or _Who(
                    " ".join(m.group("who").split()), None, None, None
                )
            markers.append((m.start(), m.end(), who or header_who))
    for m in _SPEAKER_LINE.finditer(text):
        if m.start() > questions[0] and m.start() not in questions and all(s != m.start() for s, _, _ in markers):
            who = _label_speaker(res, m)
            if who is not None:
                markers.append((m.start(), m.end(), who))
    bounds = sorted([q for q in questions] + [s for s, _, _ in markers])
    out: list[tuple[int, int, _Who]] = []
    for label, start, who in sorted(markers):
        nxt = [b for b in bounds if b > label]
        end = len(text[: nxt[0] if nxt else len(text)].rstrip())
        if who is None or not who.speaker or end <= start:
            continue
        out.append((start, end, _Who(who.speaker, who.affiliation, who.role, "answer")))
    return out, questions[0] if out else None


#: a question line of an interview without labels: it ends with a question mark and is no quotation
_MAX_QUESTION_WORDS = 60


def _interview_answers(text: str, lex: _Lexicon, res: _Resolver) -> tuple[list[tuple[int, int, _Who]], int | None]:
    """Answers of an interview whose questions carry no label: a line ending in "?" (the question, maybe opening
    with the interviewer's name: "Reuters: ...?"), then the answer, to the next question (the last answer: to the
    end of its paragraph). Each answer is by the person its line names ("Ahmed Mahat: ...", "**Mahat:** ...") or
    else by the interviewee that the line before the first question or the title introduces ("We spoke to X, ...",
    ``interview_intro`` and ``qa_header`` phrases). Only a text with at least two answered questions is an interview.
    """
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]

    def is_question(i: int) -> bool:
        line = text[lines[i][0]:lines[i][1]].strip().strip("*_ \t")  # "**What did you see?**"
        return line.endswith("?") and line[:1] not in OPENERS and _words(line) <= _MAX_QUESTION_WORDS

    runs: list[tuple[int, int]] = []  # (first line, last line) of each question
    for i in range(len(lines)):
        if is_question(i):
            if runs and runs[-1][1] == i - 1:
                runs[-1] = (runs[-1][0], i)
            else:
                runs.append((i, i))
    pairs = [(a, b) for a, b in runs if b + 1 < len(lines)]
    if len(pairs) < 2:
        return [], None
    first = pairs[0][0]
    intro: _Who | None = None
    for i in ([first - 1] if first > 0 else []) + ([0] if first > 1 else []):
        intro = intro or _interview_intro(text, lex, res, *lines[i])
    out: list[tuple[int, int, _Who]] = []
    for k, (_, last_q) in enumerate(pairs):
        a_start = lines[last_q + 1][0]
        if k + 1 < len(pairs):
            a_end = lines[pairs[k + 1][0] - 1][1]
        else:  # the last answer: its paragraph
            j = last_q + 1
            while j + 1 < len(lines) and text.count("\n", lines[j][1], lines[j + 1][0]) < 2:
                j += 1
            a_end = lines[j][1]
        label = _SPEAKER_LINE.match(text, a_start)
        who = _label_speaker(res, label) if label is not None else None
        if label is not None and who is not None:
            a_start = label.end()
        elif label is not None and len(label.group("who").split()) >= 2:
            continue  # an answer by someone not named as a person
        else:
            who = intro
        a_end = len(text[:a_end].rstrip())
        if who is None or not who.speaker or a_end <= a_start or text[a_start] in OPENERS:
            continue
        out.append((a_start, a_end, _Who(who.speaker, who.affiliation, who.role, "answer")))
    if len(out) < 2:
        return [], None
    return out, lines[first][0]


def _interview_intro(text: str, lex: _Lexicon, res: _Resolver, start: int, end: int) -> _Who | None:
    """The interviewee a line introduces: the person named after an interview phrase ("We spoke to X"), else before
    it ("X answered our questions")."""
    cues = [m for m in lex.interview_intro.finditer(text, start, end)] + [m for m in lex.qa_header.finditer(text, start, end)]
    persons = [m for m in res.actors if m.kind == "person" and start <= m.start and m.end <= end]
    if not cues or not persons:
        return None
    cue = min(cues, key=lambda m: m.start())
    after = [m for m in persons if m.start >= cue.end()]
    before = [m for m in persons if m.end <= cue.start()]
    pick = after[0] if after else before[-1] if before else None
    return _Who(*_speaker_of(pick), None) if pick is not None else None


def _qa_header_speaker(header: str, lex: _Lexicon, res: _Resolver) -> _Who | None:
    """The person a Q&A header names as answering ("X answers the question of ..."), else its only person."""
    h = lex.qa_header.search(header)
    persons = [m for m in res.actors if m.kind == "person" and m.end <= len(header)]
    if h is not None:
        before = [m for m in persons if m.end <= h.start()]
        after = [m for m in persons if m.start >= h.end()]
        pick = before[-1] if before else (after[0] if after else None)
        if pick is not None:
            return _Who(*_speaker_of(pick), None)
    if len({m.actor for m in persons}) == 1:
        return _Who(*_speaker_of(persons[0]), None)
    return None
