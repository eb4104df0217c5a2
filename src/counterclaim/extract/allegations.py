"""Allegations: who (claimant) accuses whom (accused) of which act, with stance, evidence, victims, place, time.

Sentence-level rules over the dependency parse and the actor mentions found earlier in the pipeline:

1. **Acts** come from the trigger lexicon of ``data/acts.yaml`` (:mod:`counterclaim.extract.acts`).
2. **Accusation frames** ("Armenia's claims that ...", "the MFA, which accused the X side of ...", "allegations
   made by ...") report someone else's claim: their holder is the claimant of the acts inside them (``assert``), and
   when the sentence rejects the frame ("false", "groundless", "we reject"), the sentence's speaker gets a ``deny``
   record about the same accused.
3. **Claimant** of everything else: the speaker of the quote holding the trigger, else the subject of the nearest
   verb of speech above it ("X urged ...", "X condemned ..."), else "according to X", else the running speaker:
   in the author's own statement (a heading names an organ) always the author; in a news report the last
   attributed speaker ("Question:"/"Answer:" labels reset it). A speaker who is no known actor ("local officials
   said") makes the claimant unknown rather than someone else, and such records are dropped.
4. **Accused**: the agent of the act ("by X", "X's", "X-made", the subject of the clause), else the agent of an
   earlier act of the same sentence for a passive clause ("... and 200 were taken hostage"), else both parties
   ("both sides"), else the accused of the frame, else the adversary of the victims ("crimes against
   Azerbaijanis"), else another actor of the sentence, else the claimant's adversary (the other of the document's
   two most mentioned parties), else whom the claimant accused last. Records with nobody accused are dropped.
5. **Stance**: ``call_to_investigate`` when the sentence (or the next one, by anaphora: "these need to be
   investigated") calls for investigation or accountability; ``deny`` under a denial verb, a negated act verb, or
   a sentence rejecting the accusation just reported ("X rejected the accusation as baseless"); else ``assert``.
   A hedged assertion ("apparently", "suspected") that never becomes a call is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import pairwise

import yaml
from spacy.tokens import Doc, Span, Token

from counterclaim.extract.actors import party
from counterclaim.extract.acts import ActHit, find_acts
from counterclaim.extract.attribution import (
    UNKNOWN,
    DocState,
    according_to,
    co_subjects,
    sentence_sources,
    sentences,
    speech_claimant,
    speech_verb,
    subject_party,
)
from counterclaim.extract.context import Context
from counterclaim.extract.coreference import mentions_overlap
from counterclaim.extract.document import mentions_in
from counterclaim.extract.stance import cues, evidence_kinds, has_deny_phrase, hedged, is_call
from counterclaim.extract.strategies import confidence
from counterclaim.records import ActorMention, Allegation

VERSION = "allegations.v4"



@lru_cache(maxsize=1)
def _roles() -> tuple[frozenset[str], frozenset[str], re.Pattern[str]]:
    """(victim nouns, target nouns, "<operator verb> by" pattern) from ``data/roles.yaml``, loaded once."""
    data = yaml.safe_load(resources.files("counterclaim.data").joinpath("roles.yaml").read_text("utf-8")) or {}
    ops = "|".join(re.escape(str(v)) for v in data.get("operator_verbs") or ["run"])
    return (
        frozenset(str(w).lower() for w in data.get("victim_nouns") or ()),
        frozenset(str(w).lower() for w in data.get("target_nouns") or ()),
        re.compile(rf"\b(?:{ops})\s+by\s+(?:the\s+)?$", re.I),
    )

_PLACE_AFTER = re.compile(
    r"^['’]s?\s+(?:territor\w*|cities|city|towns?|villages?|lands?|soil|regions?|settlements?|border\w*)\b", re.I
)
_PLACE_BEFORE = re.compile(
    r"\b(?:in|into|inside|within|across|from|to|towards?|on the territory of|territor\w* of)\s+(?:the\s+)?$", re.I
)
_AGAINST_BEFORE = re.compile(r"\bagainst\s+(?:the\s+)?$", re.I)
_BY_BEFORE = re.compile(r"\bby\s+(?:the\s+)?$", re.I)
_MODIFIER_BETWEEN = re.compile(r"^(?:['’]s?)?[\s\-‐–]*(?:(?:made|planted|backed|led|sponsored|laid|controlled)[\s\-‐–]+)?$", re.I)
_CLASSIFIES_PREVIOUS = re.compile(r"\b(?:this|that|it|which)\s+(?:is|was|constitutes|amounts to|would be)\s+(?:a\s+|an\s+)?(?:\w+\s+)?$", re.I)
_ANAPHOR_START = re.compile(
    r"^\W*(?:\w+\W+){0,4}?(?:these|this|those|they|them|it|such)\b(?!\s+(?:who|whom|which|that|\w+ing)\b)", re.I
)
_BOTH_SIDES = re.compile(r"\b(?:both|all|the warring|the two) (?:sides|parties|belligerents)\b", re.I)
_LIST_GAP = re.compile(r"^\)?\s*(?:,|,?\s*and|,?\s*or)\s*(?:the\s+)?$", re.I)
_REL_PRONOUNS = frozenset({"which", "that", "who", "whom"})
_FRAME_SPREAD_VERBS = frozenset({"make", "spread", "circulate", "repeat", "replicate", "voice", "level", "put", "bring"})


@dataclass
class _Frame:
    start: int
    end: int
    holder: str | None
    accused: list[str]
    co_holders: list[str] = field(default_factory=list)  # "the allegations of the US, Britain and France"
    denied_by: Token | None = None  # the object of a denial ("denied any involvement in the killings")
    pronoun: bool = False  # the accusing verb's subject is a pronoun ("He accused Israel of ..."): the speaker


@dataclass
class _Draft:
    hit: ActHit
    claimant: str | None
    accused: list[str]
    stance: str
    sent_index: int
    hedged: bool = False
    in_frame: bool = False
    evidence: list[str] = field(default_factory=list)
    #: the named strategies that made the record, claimant's first then the accused's (see data/strategies.yaml)
    rules: list[str] = field(default_factory=list)


def _role(m: ActorMention, text: str, sent_start: int) -> str:
    """victim | place | agent | operator | other: what a mention is in its sentence, from the words around it
    (``data/roles.yaml``)."""
    before = text[max(sent_start, m.start - 40):m.start]
    after = text[m.end:m.end + 30]
    words = m.text.lower().split()
    nxt = re.match(r"[\s\-‐–]*(\w+)", after)
    victim_nouns, target_nouns, operated_by = _roles()
    if m.role == "people" or (words and words[-1] in victim_nouns):
        return "victim"
    if nxt and nxt.group(1).lower() in victim_nouns and not _BY_BEFORE.search(before):
        return "victim"  # "Armenian prisoners", "Rohingya villagers"
    if _AGAINST_BEFORE.search(before):
        return "victim"
    if operated_by.search(before):
        return "operator"  # "a hospital run by Doctors Without Borders": who runs the place, not who struck it
    if _BY_BEFORE.search(before):
        return "agent"
    if m.role == "adjective" and nxt and nxt.group(1).lower() in target_nouns:
        return "place"  # "a strike on an Afghan hospital"
    if m.role == "place":
        return "place"
    if m.kind == "state" and (_PLACE_BEFORE.search(before) or _PLACE_AFTER.match(after)):
        return "place"
    return "other"


def _hit_root(sent: Span, start: int, end: int) -> Token:
    toks = [t for t in sent if start <= t.idx < end]
    if not toks:
        return sent.root
    for t in toks:
        if not (start <= t.head.idx < end) or t.head is t:
            return t
    return toks[0]


def _frames(sent: Span, state: DocState) -> list[_Frame]:
    c = cues()
    text = state.text
    out: list[_Frame] = []
    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "NOUN" and lemma in c.frame_noun_lemmas:
            scope_tok = tok
            if tok.head.lemma_.lower() in _FRAME_SPREAD_VERBS and tok.dep_ in ("nsubjpass", "dobj", "nsubj"):
                scope_tok = tok.head
            start = tok.idx
            end = scope_tok.right_edge.idx + len(scope_tok.right_edge)
            content = len(text)  # where a "that"-clause (the claim's content, not its holder) begins
            if (that := re.match(r"\s+that\b", text[tok.idx + len(tok):])) is not None:
                end = max(end, sent.end_char)  # "claims that ...": the parse may hang the clause elsewhere
                content = tok.idx + len(tok) + that.end()
            holder: str | None = None
            accused: list[str] = []
            of_parties: list[str] = []
            co_holders: list[str] = []
            prev_end = -1
            for m in state.within(tok.left_edge.idx, end):
                p = party(m)
                if p is None:
                    continue
                before = text[max(sent.start_char, m.start - 30):m.start]
                listed = prev_end >= 0 and _LIST_GAP.match(text[prev_end:m.start]) is not None
                prev_end = m.end
                if listed and holder is not None and p != holder and not accused:
                    co_holders.append(p)  # "by X, Y and Z" / "of X and Y": every listed actor holds the claim
                    continue
                if listed and holder is None and of_parties and not accused:
                    of_parties.append(p)
                    continue
                if m.end <= tok.idx + 1:  # possessive or adjective before the noun: "Armenia's claims"
                    holder = holder or p
                elif _BY_BEFORE.search(before) and m.start < content:
                    holder = p  # "claims by X", not "claims that the market was hit by X"
                elif _AGAINST_BEFORE.search(before) and m.start - tok.idx < 40:
                    accused.append(p)
                elif re.search(r"\bof\s+(?:the\s+)?$", before) and m.start - (tok.idx + len(tok)) < 12:
                    of_parties.append(p)
            # "accusations of the X side made by Y": X is accused; "the claims of the X propaganda": X holds them
            if holder is None and of_parties:
                holder, co_holders = of_parties[0], of_parties[1:]
            else:
                accused.extend(of_parties)
            out.append(_Frame(start, end, holder, accused, co_holders))
        elif tok.pos_ == "VERB" and lemma in c.frame_verb_lemmas:
            passive = any(ch.dep_ == "nsubjpass" for ch in tok.children)
            if passive:  # "X has been accused of war crimes by Y": Y holds the claim, X is accused
                holder = next((p for ch in tok.children if ch.dep_ == "agent" for p in _parties_in(ch, state)), None)
                accused = [p for ch in tok.children if ch.dep_ == "nsubjpass" for p in _head_parties(ch, state)]
                co = [p for ch in tok.children if ch.dep_ == "agent" for p in _parties_in(ch, state)][1:]
            else:
                holder = subject_party(tok, state)
                accused = [p for ch in tok.children if ch.dep_ == "dobj" for p in _parties_in(ch, state)]
                # "Ukraine and Poland accused ...": every actor of the subject holds the claim
                co = co_subjects(tok, state, holder)
            pronoun = any(ch.dep_ == "nsubj" and ch.lower_ in _SPEAKER_PRONOUNS for ch in tok.children)
            out.append(_Frame(tok.idx, tok.right_edge.idx + len(tok.right_edge), holder, accused, co, pronoun=pronoun))
    return out


_SPEAKER_PRONOUNS = frozenset({"he", "she", "they", "we"})


def _denied_objects(sent: Span, frames: list[_Frame]) -> list[_Frame]:
    """The objects of denial verbs that are no reported accusation already ("denied any involvement in the
    killings", "dismissed reports of civilian casualties"): acts named there are what the subject denies."""
    out: list[_Frame] = []
    deny = cues().deny_lemmas
    for tok in sent:
        if tok.lemma_.lower() not in deny or tok.pos_ != "VERB":
            continue
        for ch in tok.children:
            if ch.dep_ != "dobj" or ch.pos_ == "PRON":
                continue
            start, end = ch.left_edge.idx, ch.right_edge.idx + len(ch.right_edge)
            if any(f.start < end and start < f.end for f in frames):
                continue
            out.append(_Frame(start, end, None, [], denied_by=tok))
    return out


def _head_parties(tok: Token, state: DocState) -> list[str]:
    """The actors of a noun phrase without its relative clauses and appositions ("the army, which has been fighting
    the RSF," is the army)."""
    skip = [(ch.left_edge.idx, ch.right_edge.idx + len(ch.right_edge)) for ch in tok.children
            if ch.dep_ in ("relcl", "acl", "appos")]
    out: list[str] = []
    for m in state.within(tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)):
        p = party(m)
        if p is not None and p not in out and not mentions_overlap(m, skip):
            out.append(p)
    return out or _parties_in(tok, state)


def _parties_in(tok: Token, state: DocState) -> list[str]:
    """The actors named in the subtree of ``tok``, in text order."""
    out: list[str] = []
    for m in state.within(tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)):
        p = party(m)
        if p is not None and p not in out:
            out.append(p)
    return out


def _negated(root: Token) -> bool:
    """Whether the act's own verb is negated ("the army did not shell the town"); negated verbs of speech or
    assessment ("is not considered a war crime") do not deny the act."""
    speech = cues().speech_lemmas
    for anc in [root, *root.ancestors]:
        if anc.pos_ in ("VERB", "AUX") and anc.lemma_.lower() in speech:
            return False
        if any(ch.dep_ == "neg" for ch in anc.children):
            return True
        if anc.pos_ in ("VERB", "AUX"):
            return False
    return False


def _deny_verb(root: Token) -> Token | None:
    """The denial verb governing ``root`` ("denied that its aircraft struck ..."); a verb of speech in between
    opens a new assertion ("rejected the accusations and said army airstrikes had killed ...")."""
    c = cues()
    if root.pos_ in ("VERB", "AUX") and root.lemma_.lower() in c.speech_lemmas and root.lemma_.lower() not in c.deny_lemmas:
        return None  # "denied shelling the market, after residents said 40 people were killed": the residents' claim
    for anc in root.ancestors:
        lemma = anc.lemma_.lower()
        if lemma in c.deny_lemmas:
            return anc
        if anc.pos_ in ("VERB", "AUX") and lemma in c.speech_lemmas:
            return None
    return None


def _agents(
    root: Token, hit: ActHit, sent: Span, state: DocState, skip: set[str]
) -> tuple[list[str], list[str]]:
    """Explicit agents of the act: "by X", "X's ...", "X-made ...", X inside the trigger, subject of its clause.

    Also returns the skipped actors (the claimant) found as the clause's subject: "Azerbaijan is under
    occupation" makes the claimant the patient, so the accused is its adversary.
    """
    text = state.text
    found: list[str] = []
    patients: list[str] = []

    def add(m: ActorMention) -> None:
        p = party(m)
        if p is not None and p in skip and p not in patients:
            patients.append(p)
        if p is not None and p not in skip and p not in found:
            found.append(p)

    sent_mentions = mentions_in(state.mentions, sent.start_char, sent.end_char)
    roles = {id(m): _role(m, text, sent.start_char) for m in sent_mentions}
    for m in sent_mentions:
        r = roles[id(m)]
        by_after = r == "agent" and hit.start <= m.start and m.start - hit.end < 60
        inside = r in ("other", "agent") and m.start < hit.end and hit.start < m.end
        modifier = r in ("other", "agent") and m.end <= hit.start and _MODIFIER_BETWEEN.match(text[m.end:hit.start])
        if by_after or inside or modifier:
            add(m)
    if found:
        # "by the FARDC and the FDLR struck": the actors listed with an agent are agents too
        for a, b in pairwise(sent_mentions):
            pa, pb = party(a), party(b)
            if _LIST_GAP.match(text[a.end:b.start]) and roles[id(a)] in ("other", "agent") \
                    and roles[id(b)] in ("other", "agent") and (pa in found) != (pb in found):
                add(a if pb in found else b)
        return found, []
    c = cues()
    for anc in [root, *root.ancestors]:
        if anc.lemma_.lower() in c.speech_lemmas or anc.lemma_.lower() in c.frame_verb_lemmas:
            break
        if anc.pos_ == "NOUN" and anc.lemma_.lower() in c.frame_noun_lemmas:
            break
        if anc.pos_ == "VERB" and anc.lemma_.lower() in c.inquiry_lemmas:
            break  # "the OSCE and the UN investigate these war crimes": the subject is no agent of the crimes
        has_subject = False
        for ch in anc.children:
            if ch.dep_ in ("nsubj", "nsubjpass", "expl", "csubj"):
                has_subject = True
            if ch.dep_ not in ("nsubj", "poss", "attr", "agent"):
                continue
            tok = ch
            if ch.lower_ in _REL_PRONOUNS and anc.dep_ == "relcl":
                tok = anc.head
            for m in state.within(tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)):
                if roles.get(id(m), "other") in ("other", "agent"):
                    add(m)
        if found or patients:
            return found, patients
        if has_subject and anc.pos_ in ("VERB", "AUX"):
            break  # the clause has its own subject: the agent is not further up
    return found, patients


def _victim_parties(sent: Span, state: DocState) -> list[str]:
    out = []
    for m in mentions_in(state.mentions, sent.start_char, sent.end_char):
        if _role(m, state.text, sent.start_char) in ("victim", "place") and (p := party(m)) and p not in out:
            out.append(p)
    return out


def _other_parties(sent: Span, state: DocState, skip: set[str]) -> list[str]:
    out = []
    for m in mentions_in(state.mentions, sent.start_char, sent.end_char):
        if (m.kind == "person" and not m.state) or m.kind in ("igo", "court", "ngo"):
            continue  # international bodies are rarely the accused of a sentence that does not say so
        p = party(m)
        if _role(m, state.text, sent.start_char) in ("other", "agent") and p and p not in skip and p not in out:
            out.append(p)
    return out


def _passive_clause(root: Token) -> bool:
    """Whether the clause of ``root`` is passive without its agent ("200 were taken hostage")."""
    for anc in [root, *root.ancestors]:
        if anc.pos_ in ("VERB", "AUX"):
            deps = {ch.dep_ for ch in anc.children}
            return bool(deps & {"auxpass", "nsubjpass"}) and "agent" not in deps
    return False


def _choose_accused(
    root: Token, hit: ActHit, sent: Span, state: DocState, claimant: str | None, frame: _Frame | None,
    exclude: Iterable[str] = (),
) -> tuple[list[str], str]:
    """The accused of an act and the strategy that found them (the ``accused`` section of data/strategies.yaml)."""
    skip = {p for p in (claimant, *exclude) if p}
    agents, patients = _agents(root, hit, sent, state, skip)
    if agents:
        state.sentence_agents[claimant or ""] = agents
        return agents, "accused:agent"
    # "... killed by Hamas gunmen, and around 200 were taken hostage": the agent named earlier in the sentence
    earlier = state.sentence_agents.get(claimant or "")
    if earlier and not set(earlier) & skip and _passive_clause(root):
        return list(earlier), "accused:earlier_agent"
    if _BOTH_SIDES.search(sent.text) and len(state.parties) == 2:
        return [p for p in state.parties if p not in skip] or list(state.parties), "accused:both_sides"
    if frame and frame.accused:
        return [a for a in frame.accused if a not in skip] or frame.accused[:1], "accused:frame"
    for v in [*patients, *_victim_parties(sent, state)]:
        adv = state.adversary(v)
        if adv and adv not in skip:
            return [adv], "accused:victims_adversary"
    others = _other_parties(sent, state, skip)
    if others:
        return others[:1], "accused:other_party"
    adv = state.adversary(claimant)
    if adv and adv not in skip:
        return [adv], "accused:claimant_adversary"
    # the sentence names no one: the claimant's last accused ("The junta has bombed schools"), else the last one
    for recent, rule in ((state.last_accused.get(claimant or ""), "accused:claimant_last"),
                         (state.last_accused.get(""), "accused:last")):
        if recent and not set(recent) & skip:
            return list(recent), rule
    adv = state.adversary(state.author)
    return ([adv], "accused:issuer_adversary") if adv and adv not in skip else ([], "accused:none")


def _drafts_for_sentence(
    i: int, sent: Span, state: DocState, speaker: str | None, speaker_rule: str = "claimant:running_speaker",
) -> list[_Draft]:
    text = state.text
    stext = sent.text
    base = sent.start_char
    frames = _frames(sent, state)
    for f in frames:
        if f.holder is None and f.pronoun and speaker is not None and speaker not in f.accused:
            f.holder = speaker  # "He accused Israel of using white phosphorus": the speaker of the last sentence
    deny_here = has_deny_phrase(stext) or any(t.lemma_.lower() in cues().deny_lemmas for t in sent)
    if not deny_here:
        frames = [f for f in frames if f.holder is not None]
    frames += _denied_objects(sent, frames)
    frame_spans = [(f.start - base, f.end - base) for f in frames]
    blocked = [(s - base, e - base) for s, e in state.blocked if s < sent.end_char and base < e]
    masked = _mask_peoples(stext, base, state)
    hits = [ActHit(h.act, h.start + base, h.end + base, h.kind) for h in find_acts(masked, frame_spans, blocked)]
    denials = [
        ActHit(act, m.start() + base, m.end() + base, "denial")
        for act, phrases in cues().denial_acts if (m := phrases.search(masked)) is not None
    ]
    if not hits and not denials:
        return []
    question = stext.rstrip().rstrip("”\"'’»").rstrip().endswith("?")
    call = is_call(stext)
    evidence = evidence_kinds(stext)
    according = according_to(sent, state)

    def claimant_of(hit: ActHit, root: Token) -> tuple[str | None, str]:
        quote = state.quote_at(hit.start)
        q_party = state.quote_party(quote) if quote else None
        speech = None if q_party or question else speech_claimant(root, state)
        claimant, how = (
            (q_party, "claimant:quote") if q_party else (speech, "claimant:speech_verb") if speech
            else (according, "claimant:according_to") if according
            else (speaker, speaker_rule)
        )
        if claimant == UNKNOWN:  # a source that is no known actor: the author's only in its own statement
            claimant, how = (speaker, "claimant:issuer_voice") if state.official else (None, "claimant:unknown")
        return claimant, how

    out: list[_Draft] = []
    for hit in denials:  # "no civilian was harmed": the speaker denies the act about itself
        if question or any(h.act == hit.act for h in hits):
            continue
        denier, how = claimant_of(hit, _hit_root(sent, hit.start, hit.end))
        if denier is not None:
            out.append(_Draft(hit, denier, [denier], "deny", i, evidence=evidence,
                              rules=[how, "accused:denier", "stance:denial_phrase"]))
    for hit in hits:
        root = _hit_root(sent, hit.start, hit.end)
        quote = state.quote_at(hit.start)
        sent_claimant, how = claimant_of(hit, root)
        frame = next((f for f in frames if f.start <= hit.start and hit.end <= f.end), None)
        if hit.act == "disinformation":
            frame = None
        if frame is not None and frame.denied_by is not None:
            # "X denied any involvement in the killings": X denies the act of the noun, about itself
            subject = subject_party(frame.denied_by, state)
            denier = subject or sent_claimant
            if denier is not None:
                rules = ["claimant:denial_subject" if subject else how, "accused:denier"]
                out.append(_Draft(hit, denier, [denier], "deny", i, in_frame=True, evidence=evidence, rules=rules))
            continue
        if frame is not None:
            holder = frame.holder or state.adversary(sent_claimant)
            holder_how = ("claimant:frame_pronoun" if frame.pronoun else "claimant:frame_holder") if frame.holder \
                else "claimant:frame_adversary"
            accused, acc_how = _choose_accused(root, hit, sent, state, holder, frame, exclude=frame.co_holders)
            for h in [holder, *frame.co_holders]:
                rules = [holder_how, acc_how]
                out.append(_Draft(hit, h, accused, "assert", i, in_frame=True, evidence=evidence, rules=rules))
                if call and frame.holder is not None:  # "... accused X of Y and called for an investigation"
                    out.append(_Draft(hit, h, accused, "call_to_investigate", i, in_frame=True, evidence=evidence,
                                      rules=[*rules, "stance:call"]))
            if deny_here and sent_claimant and sent_claimant != holder:
                denied = accused or [sent_claimant]
                out.append(_Draft(hit, sent_claimant, denied, "deny", i, in_frame=True, evidence=evidence,
                                  rules=[how, "accused:frame_denied" if accused else "accused:denier", "stance:deny_frame"]))
            continue
        deny_verb = _deny_verb(root)
        if hit.act != "disinformation" and (deny_verb is not None or (not question and _negated(root))):
            subject = subject_party(deny_verb, state) if deny_verb is not None else None
            denier = subject or sent_claimant
            accused, acc_how = _choose_accused(root, hit, sent, state, None, None, exclude=())
            if denier:
                accused, acc_how = [denier], "accused:denier"
            stance_how = "stance:deny_verb" if deny_verb is not None else "stance:negated"
            rules = ["claimant:denial_subject" if subject else how, acc_how, stance_how]
            out.append(_Draft(hit, denier, accused, "deny", i, evidence=evidence, rules=rules))
            continue
        if hit.act == "war_crime" and out == [] and i > 0 and _CLASSIFIES_PREVIOUS.search(text[max(base, hit.start - 40):hit.start]):
            continue  # "this is a war crime": a label for the act just reported, not a new allegation
        accused, acc_how = _choose_accused(root, hit, sent, state, sent_claimant, None)
        stance = "call_to_investigate" if call else "assert"
        local = text[max(base, hit.start - 30):hit.end]
        is_hedged = stance == "assert" and hedged(local)
        rules = [how, acc_how] + (["stance:call"] if call else [])
        out.append(_Draft(hit, sent_claimant, accused, stance, i, hedged=is_hedged, evidence=evidence, rules=rules))
        verb = None if question or quote else speech_verb(root)
        for co in co_subjects(verb, state, sent_claimant) if verb is not None else []:
            co_accused = [a for a in accused if a != co]
            out.append(_Draft(hit, co, co_accused, stance, i, hedged=is_hedged, evidence=evidence,
                              rules=["claimant:coordinated_subject", *rules[1:]]))
    return out


def _mask_peoples(stext: str, base: int, state: DocState) -> str:
    """The sentence with every people's name ("Palestinians") replaced by ``ppl___`` (same length), so the act
    lexicon's ``@people`` macro counts them as victims."""
    chars = list(stext)
    for m in state.within(base, base + len(stext)):
        if m.role == "people" and m.end - m.start >= 3 and m.start >= base:
            n = m.end - m.start
            chars[m.start - base:m.end - base] = list("ppl" + "_" * (n - 3))
    return "".join(chars)


def find_allegations(doc: Doc, ctx: Context) -> list[Allegation]:
    """Allegations of one document (see the module docstring for the rules)."""
    state = DocState(doc, ctx)
    sents = sentences(doc)
    drafts: list[_Draft] = []
    sources = sentence_sources(sents, state)
    for i, sent in enumerate(sents):
        state.bounds = (sent.start_char, sent.end_char)
        state.sentence_agents = {}
        running, rule, speaker_here = sources[i].running, sources[i].rule, sources[i].here
        found = _drafts_for_sentence(i, sent, state, running, rule)
        # a call in this sentence that refers back ("these need to be investigated") turns the previous acts into calls
        if is_call(sent.text) and _ANAPHOR_START.search(sent.text):
            for d in drafts:
                if d.sent_index == i - 1 and d.stance == "assert" and not d.in_frame:
                    if d.hedged:  # "videos apparently showing war crimes ... these need to be investigated"
                        d.stance, d.hedged = "call_to_investigate", False
                        d.rules.append("stance:anaphoric_call")
                    else:  # "X is a war crime. Those responsible must be held to account": both
                        found.append(_Draft(d.hit, d.claimant, list(d.accused), "call_to_investigate", i,
                                            evidence=list(d.evidence), rules=[*d.rules, "stance:anaphoric_call"]))
        elif not found and is_call(sent.text) and _REFERRED_ACTS.search(sent.text):
            found = _anaphoric_calls(i, sent, state, speaker_here, drafts)
        if not any(d.stance == "deny" for d in found):
            found += _anaphoric_denials(i, sent, state, speaker_here, drafts)
        _retarget_disinformation(i, sent, state, found, drafts)
        for d in found:
            if d.stance != "deny" and d.accused and d.claimant:
                state.last_accused[d.claimant] = state.last_accused[""] = list(d.accused)
        drafts.extend(found)
    # an allegation needs its claimant and someone accused; the text names neither for the others
    return [_record(d, sents, state) for d in drafts if not d.hedged and d.claimant and d.accused]




def _anaphoric_denials(i: int, sent: Span, state: DocState, speaker: str | None, drafts: list[_Draft]) -> list[_Draft]:
    """"X rejected the accusation as baseless" after a sentence reporting the accusation: X denies those acts."""
    deny_verbs = [t for t in sent if t.lemma_.lower() in cues().deny_lemmas]
    if not deny_verbs and not has_deny_phrase(sent.text):
        return []
    if not cues().denied_nouns.search(sent.text):
        return []
    denier = next((p for v in deny_verbs if (p := subject_party(v, state)) is not None), None) or speaker
    if denier is None:
        return []
    out = []
    seen: set[str] = set()
    for d in _denied_drafts(i, denier, drafts):
        if d.hit.act not in seen:
            seen.add(d.hit.act)
            hit = ActHit(d.hit.act, sent.start_char, sent.start_char + len(sent.text.rstrip()), "anaphora")
            # the denier speaks for itself, or for the accused (an ally, a proxy)
            accused = [denier] if denier in d.accused else list(d.accused)
            rules = ["claimant:denial_subject" if denier != speaker else "claimant:running_speaker",
                     "accused:denier" if accused == [denier] else "accused:denied_claims", "stance:anaphoric_denial"]
            out.append(_Draft(hit, denier, accused, "deny", i, evidence=evidence_kinds(sent.text), rules=rules))
    return out


#: acts referred back to in a call: "investigate these killings", "those responsible must be held to account"
_REFERRED_ACTS = re.compile(
    r"\b(?:these|those|the|such|all|this|that|grave|serious)\s+(?:\w+\s+){0,2}?(?P<noun>killings|crimes|attacks?|abuses|"
    r"violations|atrocities|massacres?|executions|strikes?|incidents?|acts|allegations|rapes|disappearances|abductions)\b"
    r"|\b(?:those|the ones|anyone|everyone)\s+responsible\b",
    re.I,
)


def _anaphoric_calls(i: int, sent: Span, state: DocState, speaker: str | None, drafts: list[_Draft]) -> list[_Draft]:
    """"Those responsible must be held to account" / "press the junta to investigate these killings": a call about
    the acts the same claimant alleged in the last few sentences (the assertions stay)."""
    quote = state.quote_at(sent.start_char) or state.quote_at(max(sent.start_char, sent.end_char - 2))
    q_party = state.quote_party(quote) if quote else None
    claimant = q_party or speaker
    if claimant is None:
        return []
    rules = ["claimant:quote" if q_party else "claimant:running_speaker", "accused:referred_claims", "stance:anaphoric_call"]
    alleged = [d for d in drafts if i - _LOOKBACK <= d.sent_index < i
               and d.stance == "assert" and d.accused and d.hit.act != "disinformation" and d.claimant not in d.accused]
    # the claimant's own allegations, else (a call by someone who alleged nothing: "the UN chief called for an
    # investigation into the attack") the acts others alleged
    recent = [d for d in alleged if d.claimant == claimant] or alleged
    nouns = {m.group("noun").lower() for m in _REFERRED_ACTS.finditer(sent.text) if m.group("noun")}
    named = [cues().referring_nouns.get(n, ()) for n in sorted(nouns)]
    kinds = {a for acts in named for a in acts}
    if not recent:
        return []
    span = (sent.start_char, sent.start_char + len(sent.text.rstrip()))
    if kinds and not any(d.hit.act in kinds for d in recent):
        # "investigate grave violations" after the killings: the noun's own act, against whom the acts were alleged
        act = next(a for acts in named for a in acts)
        latest = max(recent, key=lambda d: d.sent_index)
        hit = ActHit(act, *span, "anaphora")
        return [_Draft(hit, claimant, list(latest.accused), "call_to_investigate", i, evidence=evidence_kinds(sent.text),
                       rules=rules)]
    if kinds:
        recent = [d for d in recent if d.hit.act in kinds]  # "these killings": the killings alleged, not the rest
    last = max(d.sent_index for d in recent)
    out: list[_Draft] = []
    seen: set[str] = set()
    for d in recent:
        if (d.sent_index == last or kinds) and d.hit.act not in seen:
            seen.add(d.hit.act)
            hit = ActHit(d.hit.act, *span, "anaphora")
            out.append(_Draft(hit, claimant, list(d.accused), "call_to_investigate", i, evidence=evidence_kinds(sent.text),
                              rules=rules))
    return out


#: how many sentences back "the accusation" / "the report" a denial rejects may have been reported
_LOOKBACK = 5


def _denied_drafts(i: int, denier: str, drafts: list[_Draft], *, against_only: bool = False) -> list[_Draft]:
    """The earlier claims a denial by ``denier`` in sentence ``i`` rejects: those made against the denier in the
    last few sentences, else (unless ``against_only``) every claim of the sentence just before."""
    def claim(d: _Draft) -> bool:
        return d.stance == "assert" and d.claimant != denier and bool(d.accused) and d.hit.act != "disinformation"

    against = [d for d in drafts if i - _LOOKBACK <= d.sent_index < i and claim(d) and denier in d.accused]
    if against or against_only:
        return against
    return [d for d in drafts if d.sent_index == i - 1 and claim(d)]


def _retarget_disinformation(i: int, sent: Span, state: DocState, found: list[_Draft], drafts: list[_Draft]) -> None:
    """"Eritrea rejected the report as lies": the lies are told by whoever made the claims against Eritrea just
    before (the report's author), unless the sentence names the liar."""
    if not cues().denied_nouns.search(sent.text):
        return
    named = {p for m in state.within(sent.start_char, sent.end_char) if (p := party(m)) is not None}
    for d in found:
        if d.hit.act != "disinformation" or d.stance != "assert" or d.claimant is None:
            continue
        authors = [p for p in _report_authors(sent, state) if p != d.claimant]
        if authors:  # "dismissed a Human Rights Watch report on army abuses as baseless accusations"
            d.accused = authors
            d.rules = [*d.rules[:1], "accused:report_author", *d.rules[2:]]
            continue
        if set(d.accused) & named:
            continue
        sources = list(dict.fromkeys(
            c.claimant for c in _denied_drafts(i, d.claimant, drafts, against_only=True) if c.claimant
        ))
        if sources:
            d.accused = sources
            d.rules = [*d.rules[:1], "accused:source_of_denied_claims", *d.rules[2:]]


def _report_authors(sent: Span, state: DocState) -> list[str]:
    """The actors whose report, claims or statement a denial verb of the sentence rejects: "X's claims", "a Human
    Rights Watch report", "the report by the UN experts", "the allegations of Western capitals"."""
    c = cues()
    out: list[str] = []
    for verb in (t for t in sent if t.lemma_.lower() in c.deny_lemmas):
        for obj in (ch for ch in verb.children if ch.dep_ in ("dobj", "nsubjpass") and cues().denied_nouns.fullmatch(ch.text)):
            spans = [(obj.left_edge.idx, obj.idx)]  # "X's report", "a Human Rights Watch report"
            spans += [(ch.idx, ch.right_edge.idx + len(ch.right_edge)) for ch in obj.children
                      if ch.dep_ in ("prep", "agent") and ch.lower_ in ("by", "of", "from")]
            for start, end in spans:
                for m in state.within(start, end):
                    if (p := party(m)) is not None and p not in out:
                        out.append(p)
    return out


def _record(d: _Draft, sents: list[Span], state: DocState) -> Allegation:
    sent = sents[d.sent_index]
    victims = [
        f.id for f in state.ctx.figures
        if sent.start_char <= f.start < sent.end_char
        and f.category in ("killed", "injured", "victims", "hostage", "deported", "displaced", "missing", "detained")
    ]
    time = next((dm.date for dm in state.ctx.dates if sent.start_char <= dm.start < sent.end_char), None)
    mention_spans = [(m.start, m.end) for m in state.mentions if m.kind in ("state", "organ")]
    place = next(
        (text for start, end, _label, text in state.places if sent.start_char <= start < sent.end_char
         and not any(s < end and start < t for s, t in [*mention_spans, *state.datelines])),
        None,
    )
    reporter = (state.outlet or state.author) if d.claimant != state.author else None
    rules = list(dict.fromkeys([f"act:{d.hit.kind}", *d.rules]))
    return Allegation(
        doc=state.ctx.doc_id, start=d.hit.start, end=d.hit.end, sentence=sent.text, claimant=d.claimant,
        accused=list(d.accused), act=d.hit.act, stance=d.stance, evidence=list(d.evidence), victims=victims,
        place=place, time=time, reporter=reporter, text=state.text[d.hit.start:d.hit.end],
        rules=rules, confidence=confidence(rules),
    )
