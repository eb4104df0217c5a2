"""Attribution: who speaks in each sentence of a document, one engine for every consumer.

The sources of a sentence, tried in this order (the names are the ``claimant:*`` strategies of
``data/strategies.yaml``, kept in each allegation's ``rules``):

1. ``quote``: the speaker of the quotation that holds the words, as the quote engine
   (:mod:`counterclaim.extract.quotes`) attributed it, so a quote's speaker and the claimant of its sentence
   never disagree;
2. ``speech_verb``: the subject of the verb of speech governing the words ("X said ...", "X condemned ...", a subject
   the parser missed right before the verb); a speaker who is no known actor ("local officials said") is
   :data:`UNKNOWN`;
3. ``according_to``: "according to X";
4. the running speaker: in the issuer's own text (a statement or a release, see
   :mod:`counterclaim.extract.document`) the issuer (``issuer_voice``); "Question:"/"Answer:" labels reset it; in a
   news report the last attributed speaker, whose weight is low (``carried_speaker``): a reporter's own sentence
   is no claim.

:class:`DocState` holds what the rules know about the whole document: resolved mentions, the two main parties,
the document frame and the quotes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from counterclaim.extract.actors import party
from counterclaim.extract.context import Context
from counterclaim.extract.coreference import mentions_overlap, resolve_mentions
from counterclaim.extract.document import document_frame, mentions_in
from counterclaim.extract.stance import cues
from counterclaim.nlp.line_breaks import DATELINE
from counterclaim.records import ActorMention, Quote

_REL_PRONOUNS = frozenset({"which", "that", "who", "whom"})
_QA_LABEL = re.compile(r"^\s*(Question|Answer|Q|A)\s*[:.-]", re.I)
#: a headline that names its source last: "... not a war crime: Pentagon", "... — Russian defence ministry"
_TRAILING_SOURCE = re.compile(r"(?:[:|]|\s[—–-])\s*(?:the\s+)?(?P<who>[^:—–|\n]{2,60}?)\s*$")


@dataclass(frozen=True)
class SentenceSource:
    """Who a sentence without attribution of its own is given to, and why."""

    running: str | None  # the claimant of an unattributed sentence
    rule: str  # claimant:issuer_voice | claimant:quote_sentence | claimant:headline_source | claimant:carried_speaker
    here: str | None  # the speaker once this sentence's own attribution is read (anaphoric calls and denials)


class DocState:
    """What the rules know about the whole document: mentions, parties, author, quotes."""

    def __init__(self, doc: Doc, ctx: Context) -> None:
        self.doc = doc
        self.ctx = ctx
        self.text = doc.text
        legal = [(r.start, r.end) for r in ctx.legal]
        datelines = self.datelines = [m.span() for m in DATELINE.finditer(self.text)]
        self.mentions = resolve_mentions(doc, sorted(
            (m for m in ctx.actors if not mentions_overlap(m, legal) and not mentions_overlap(m, datelines)),
            key=lambda m: m.start,
        ))
        counts = Counter(
            p for m in self.mentions
            if m.kind in ("state", "organ", "group") and m.role != "place" and (p := party(m)) is not None
        )
        self.parties = [p for p, _ in counts.most_common(2)]
        self.frame = document_frame(doc, ctx.input.publisher, self.mentions)
        self.home = self.frame.home
        self.author = self.frame.issuer
        self.official = self.frame.official  # a statement needs its issuer
        self.outlet = self.frame.outlet
        self.places = [(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents if e.label_ in ("GPE", "LOC", "FAC")]
        self.last_accused: dict[str, list[str]] = {}
        self.sentence_agents: dict[str, list[str]] = {}  # claimant -> explicit agents found in this sentence  # claimant ("" for anyone) -> accused of their last claim
        self.bounds = (0, len(self.text))  # the sentence being read: dependency subtrees are clipped to it
        self.blocked = [(r.start, r.end) for r in ctx.legal] + [
            (m.start, m.end) for m in self.mentions if m.kind in ("igo", "court", "ngo")
        ]

    def within(self, start: int, end: int) -> list[ActorMention]:
        """The mentions in ``[start, end)`` clipped to the current sentence."""
        return mentions_in(self.mentions, max(start, self.bounds[0]), min(end, self.bounds[1]))

    def adversary(self, actor: str | None) -> str | None:
        if actor is None or len(self.parties) < 2 or actor not in self.parties:
            return None
        return self.parties[1] if actor == self.parties[0] else self.parties[0]

    def quote_party(self, q: Quote) -> str | None:
        from counterclaim.extract.actor_dictionary import get_dictionary
        from counterclaim.extract.actors import canonical_name, person_named

        if q.speaker:
            full = person_named(self.mentions, q.speaker)
            for m in self.mentions:
                if m.kind == "person" and m.actor in (full, q.speaker) and m.state:
                    return m.state
        near = mentions_in(self.mentions, q.start - 300, q.end + 300)
        for name in (q.affiliation, q.speaker):
            if name and (c := canonical_name(name)):
                if get_dictionary().kinds.get(c) == "outlet":
                    return None  # "..., RIA reported": the agency relays; the sentence's own speaker claims
                # the mention itself, as resolved here ("the Gaza health ministry, run by Hamas," speaks for Hamas)
                named = [m for m in near if m.text == name or (m.kind == "organ" and m.actor == c)]
                return next((p for m in named if (p := party(m)) is not None), c)
        return None

    def quote_at(self, pos: int) -> Quote | None:
        for q in self.ctx.quotes:
            if q.start <= pos < q.end:
                return q
        return None


def subject_party(verb: Token, state: DocState, content: Token | None = None) -> str | None:
    """The actor of the subject of ``verb`` (climbing from a participle to its head), or None.

    A subject whose subtree holds ``content`` (the reported act) is no speaker: in "Eritrean troops massacred
    civilians, says Amnesty" the parser may make both "troops" and "Amnesty" subjects of "says".
    """
    chain = [verb, verb.head]
    if verb.dep_ == "conj" and passive_only(verb.head) and not passive_only(verb) and verb.head.dep_ == "ccomp":
        # "X said 471 people were killed and accused Y of ...": the parser hung the second verb of X on the
        # reported clause; an active verb does not share a passive one's subject
        chain = [verb, verb.head.head]
    for v in chain:
        for child in v.children:
            if child.dep_ in ("nsubj", "nsubjpass", "agent") or (child.dep_ == "poss" and v.pos_ == "NOUN"):
                if content is not None and child.left_edge.i <= content.i <= child.right_edge.i:
                    continue
                tok = child
                if tok.lower_ in _REL_PRONOUNS and v.dep_ == "relcl":
                    tok = v.head
                span_start, span_end = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)
                if tok is v.head:
                    span_start, span_end = tok.idx, tok.idx + len(tok)
                    # the head noun of a relative clause: its compound/amod modifiers too
                    span_start = tok.left_edge.idx
                for m in state.within(span_start, span_end):
                    if (p := party(m)) is not None:
                        return p
        if v.dep_ not in ("advcl", "xcomp", "conj", "acl", "pcomp") or v.head is v:
            break
    return None


def passive_only(verb: Token) -> bool:
    """Whether ``verb`` has a passive subject and no active one."""
    deps = {ch.dep_ for ch in verb.children}
    return "nsubjpass" in deps and "nsubj" not in deps


#: the claimant of a sentence attributed to a speaker who is not a known actor ("local officials said")
UNKNOWN = "\x00unknown"


def co_subjects(verb: Token, state: DocState, first: str | None) -> list[str]:
    """Actors coordinated with the subject of ``verb`` ("the EU and the United States condemned ...")."""
    out: list[str] = []
    for subj in (ch for ch in verb.children if ch.dep_ == "nsubj"):
        for conj in subj.conjuncts:
            for m in state.within(conj.left_edge.idx, conj.idx + len(conj)):
                p = party(m)
                if p is not None and p != first and p not in out:
                    out.append(p)
    return out


def speech_verb(root: Token) -> Token | None:
    """The nearest verb of speech above ``root`` (not a reporter's "reports")."""
    c = cues()
    for anc in [root, *root.ancestors]:
        if anc.lemma_.lower() in c.reporter_lemmas:
            continue
        is_speech = anc.pos_ in ("VERB", "AUX") and anc.lemma_.lower() in c.speech_lemmas
        if anc.lemma_.lower() in ("make", "adopt"):
            is_speech = is_speech or any(ch.lemma_.lower() in c.speech_noun_lemmas for ch in anc.children)
        if is_speech:
            return anc
    return None


def speech_claimant(root: Token, state: DocState) -> str | None:
    """The actor whose speech verb governs ``root``; :data:`UNKNOWN` when that speaker is not a known actor."""
    c = cues()
    lo, hi = state.bounds
    for anc in [root, *root.ancestors]:
        if not lo <= anc.idx < hi:
            break  # the parse crossed a line break into a heading: the sentence ends here
        if anc.lemma_.lower() in c.reporter_lemmas:
            continue
        is_speech = anc.pos_ in ("VERB", "AUX") and anc.lemma_.lower() in c.speech_lemmas
        if anc.lemma_.lower() == "make" or anc.lemma_.lower() == "adopt":
            is_speech = is_speech or any(ch.lemma_.lower() in c.speech_noun_lemmas for ch in anc.children)
        if not is_speech:
            continue
        if addressed(anc):
            continue  # "the Security Council should ask the ICC to investigate": a demand made of the subject
        if (p := subject_party(anc, state, content=root)) is not None:
            return p
        if any(ch.dep_ == "nsubj" and ch.pos_ in ("NOUN", "PROPN") and not ch.left_edge.i <= root.i <= ch.right_edge.i
               for ch in anc.children):
            return UNKNOWN
        if (p := unparsed_subject(anc, state)) is not None:
            return p
    return None


_DIRECTIVE_MODALS = frozenset({"should", "must", "shall", "ought", "need", "needs"})


def addressed(verb: Token) -> bool:
    """Whether a speech verb is what the speaker demands of its subject ("X should ask ...", "X must condemn ...")."""
    return any(ch.dep_ == "aux" and ch.lower_ in _DIRECTIVE_MODALS for ch in verb.children)


def unparsed_subject(verb: Token, state: DocState) -> str | None:
    """The actor right before a speech verb the parser gave no subject ("Human Rights Watch said on Tuesday that
    ..." attached to a heading above it): the mention that opens the sentence and ends just before the verb."""
    if any(ch.dep_ in ("nsubj", "nsubjpass") for ch in verb.children):
        return None
    before = [m for m in state.within(state.bounds[0], verb.idx) if m.end <= verb.idx]
    if not before:
        return None
    m = before[-1]
    if re.fullmatch(r"\s*(?:,[^,]{1,80},)?\s*", state.text[m.end:verb.idx]) is None:
        return None
    return party(m)


def according_to(sent: Span, state: DocState) -> str | None:
    """The source of "according to X" in the sentence (:data:`UNKNOWN` when X is not a known actor)."""
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < len(sent.doc) and sent.doc[tok.i + 1].lower_ == "to":
            to = sent.doc[tok.i + 1]
            for ch in to.children:
                if ch.dep_ == "pobj":
                    for m in state.within(ch.left_edge.idx, ch.right_edge.idx + len(ch.right_edge)):
                        if (p := party(m)) is not None:
                            return p
                    return UNKNOWN
    return None


def own_speaker(sent: Span, state: DocState) -> tuple[bool, str | None]:
    """The speaker a sentence attributes itself to: ``(True, actor)``, ``(True, None)`` for a source that is no
    known actor ("local officials said", "according to witnesses"), ``(False, None)`` when it names none."""
    c = cues()
    q = state.quote_at(sent.start_char) or state.quote_at(max(sent.start_char, sent.end_char - 2))
    if q is not None and (p := state.quote_party(q)):
        return True, p
    according = according_to(sent, state)
    if according is not None:
        return True, None if according == UNKNOWN else according
    root = sent.root
    if root.lemma_.lower() in c.speech_lemmas and root.lemma_.lower() not in c.reporter_lemmas | c.frame_verb_lemmas:
        p = subject_party(root, state)
        if p is not None:
            return True, p
        if any(ch.dep_ == "nsubj" and ch.pos_ in ("NOUN", "PROPN") for ch in root.children):
            return True, None  # "local officials said": a speaker who is not a known actor
    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.pos_ != "VERB" or lemma not in c.speech_lemmas or lemma in c.frame_verb_lemmas:
            continue
        if lemma in c.reporter_lemmas:
            continue
        if (p := subject_party(tok, state)) is not None:
            return True, p
    return False, None


def sentences(doc: Doc) -> list[Span]:
    """The parser's sentences, split again at line breaks (a heading or a "Question:" line is not one sentence
    with the paragraph after it)."""
    out: list[Span] = []
    if not (doc.has_annotation("SENT_START") or doc.has_annotation("DEP")):
        return [doc[:]] if len(doc) else []  # a pipeline without parser: the text is one sentence

    def emit(start: int, end: int) -> None:
        if out and out[-1].end == start and doc[start - 1].text == ":" and "\n" not in doc[start - 1].whitespace_:
            start = out.pop().start  # "Myanmar: Military air strikes ...": a label and its headline are one
        out.append(doc[start:end])

    for sent in doc.sents:
        start = sent.start
        for tok in sent:
            if "\n" in tok.text:
                if tok.i > start:
                    emit(start, tok.i)
                start = tok.i + 1
        if start < sent.end:
            emit(start, sent.end)
    return [s for s in out if s.text.strip()]


def headline_source(sent: Span, state: DocState) -> str | None:
    """The source a heading line names last ("U.S. strike ... not a war crime: Pentagon"), or None."""
    if sent.start_char >= state.frame.heading_end:
        return None
    m = _TRAILING_SOURCE.search(sent.text)
    if m is None:
        return None
    start = sent.start_char + m.start("who")
    found = [x for x in mentions_in(state.mentions, start, sent.start_char + m.end("who"))]
    if len(found) != 1 or found[0].start > start + 4:
        return None
    return party(found[0])


def sentence_sources(sents: list[Span], state: DocState) -> list[SentenceSource]:
    """The running speaker of every sentence, in order (see the module docstring)."""
    out: list[SentenceSource] = []
    speaker = state.author
    attributed_in = -1  # the paragraph of the last sentence that named its own speaker
    for sent in sents:
        state.bounds = (sent.start_char, sent.end_char)
        paragraph = state.text.count("\n\n", 0, sent.start_char)  # blank-line paragraphs; lines count below
        paragraph = state.text.count("\n", 0, sent.start_char) if "\n\n" not in state.text else paragraph
        qa = _QA_LABEL.match(sent.text)
        if qa:  # "Question:" is the asker's (unknown), "Answer:" the author's, unless a quote names the speaker
            speaker = None if qa.group(1).lower().startswith("q") else state.author
        attributed, own = own_speaker(sent, state)
        here = own if attributed else speaker
        quoted = state.quote_at(sent.start_char) is not None
        headline = None if quoted else headline_source(sent, state)
        running = here if quoted else headline or speaker
        rule = (
            "claimant:quote_sentence" if quoted and running is not None
            else "claimant:headline_source" if headline is not None
            else "claimant:issuer_voice" if state.official and running == state.author
            else "claimant:paragraph_speaker" if attributed_in == paragraph
            else "claimant:carried_speaker"
        )
        if attributed:
            attributed_in = paragraph
        out.append(SentenceSource(running, rule, here))
        if not state.official:
            speaker = here
    state.bounds = (0, len(state.text))
    return out
