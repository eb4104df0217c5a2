"""The document frame: what kind of text a document is and who speaks in it, computed once per document.

Every extractor that needs to know who issues the text reads the frame instead of re-parsing bylines and headings:

- **issuer**: the actor whose text it is: the publisher when ingest knows it, else the organ, IGO, court or NGO
  a heading names ("Statement of the Ministry of Foreign Affairs of X", "Press Release: UN High Commissioner for
  Human Rights"), else the state whose organ heads the page ("MINISTRY OF NATIONAL DEFENCE / Republic of X");
- **outlet**: who publishes a report of others' statements ("By Azernews", "(Reuters) -", "..., Azernews reports");
- **genre**: ``statement`` (the issuer's own text: every unattributed sentence is the issuer's), ``release`` (an
  NGO or UN press release about its own findings, written in the third person: "X said in a report published
  today", with staff quoted), or ``news`` (a reporter's text: an unattributed sentence is the narrator's and no
  claim). A byline, a wire credit ("(Reuters)", "(Reporting by ...)") or a dateline whose lead attributes the
  headline's words to their speaker ("BANGKOK - Myanmar's military said on Wednesday ...") makes a news report,
  whatever the headline says;
- **datelines** and **heading_end** (where the heading lines stop).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc

from counterclaim.extract.actors import party
from counterclaim.extract.acts import find_acts
from counterclaim.extract.stance import cues
from counterclaim.nlp.line_breaks import DATELINE
from counterclaim.records import ActorMention

_BY_LINE = re.compile(r"(?m)^By ([A-Z][\w.&'’ -]{1,40}?)\s*$")
#: any byline, of one reporter or several ("By Sarah Haddad in Beirut and Yoav Levin in Jerusalem")
_ANY_BYLINE = re.compile(r"(?m)^By\s+([A-Z][^\n]{2,120})$")
_WIRE_OUTLET = re.compile(r"\(([A-Z][A-Za-z.&' ]{1,30})\)\s+[-–—]")
_REPORTS = re.compile(r"\b([A-Z][\w.]+(?: [A-Z][\w.]+){0,2}) reports?\b")
#: a wire or agency credit: "(Reporting by Idrees Ali)", "Writing by ...", "(AFP)", "/TASS/"
_CREDIT = re.compile(
    r"(?m)^\(?(?:Reporting|Additional reporting|Writing|Editing) by\b|\((?:AFP|AP|Reuters|dpa|Xinhua|TASS|Anadolu)\)"
    r"|/TASS/|\bReuters\b\s*[-–—]"
)
#: the lead of a body that reports what a named actor said: "<Name> said on Wednesday", "..., X said in a report"
_LEAD_SAID = re.compile(r"\b(?:said|says|announced|stated|told|reported)\b")
#: a body written in the first person: "I am horrified", "We call on ...", "We strongly condemn"
_FIRST_PERSON = re.compile(r"(?:^|[.!?]\s+|\n)(?:I|We)\s+(?:am|are|have|strongly|firmly|call|condemn|urge|reject|"
                           r"deplore|welcome|demand|express|reiterate|categorically|once again|note)\b")


@dataclass(frozen=True)
class DocumentFrame:
    genre: str  # statement | release | news
    issuer: str | None  # canonical actor
    outlet: str | None
    home: str | None  # the state whose organ heads the text
    heading_end: int
    datelines: list[tuple[int, int]] = field(default_factory=list)
    rules: tuple[str, ...] = ()  # why the genre was chosen

    @property
    def official(self) -> bool:
        """Whether unattributed sentences are the issuer's (a statement or a release)."""
        return self.genre in ("statement", "release") and self.issuer is not None


def mentions_in(mentions: list[ActorMention], start: int, end: int) -> list[ActorMention]:
    return [m for m in mentions if m.start < end and start < m.end]


def _issuer_mentions(doc: Doc, mentions: list[ActorMention], start: int, end: int) -> list[ActorMention]:
    """The mentions of a heading line that may name who issues the text.

    A heading without a finite verb names its issuer ("Statement of the Ministry of Foreign Affairs of X"); a
    headline with one is about what happened, and names an issuer only as the subject of a verb of speech
    ("X condemns ...", "..., says Amnesty International"), not "Rights group accuses Syrian government of ..." or
    "Eritrean troops massacred civilians".
    """
    found = mentions_in(mentions, start, end)
    span = doc.char_span(start, end, alignment_mode="contract")
    finite = [t for t in span or () if t.pos_ in ("VERB", "AUX") and t.tag_ in ("VBZ", "VBD", "VBP")]
    if not finite:
        return found
    c = cues()
    subjects = [
        (ch.left_edge.idx, ch.right_edge.idx + len(ch.right_edge))
        for t in finite if t.lemma_.lower() in c.speech_lemmas | c.deny_lemmas
        for ch in t.children if ch.dep_ == "nsubj"
    ]
    return [m for m in found if any(s <= m.start and m.end <= e for s, e in subjects)]


@lru_cache(maxsize=1)
def organ_words() -> re.Pattern[str]:
    """The generic organ words of the actor dictionary ("Ministry of Defence", "Foreign Office", "Armed Forces")."""
    from counterclaim.extract.actor_dictionary import load_dictionary

    d = load_dictionary()
    words = {w for w in d.organs if len(w) > 3 and w not in ("side", "party", "forces", "units", "propaganda")}
    alternation = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternation}|ministry|minister)\b", re.I)


def _heading_end(text: str) -> int:
    """Where the heading lines (title, issuer, dateline) stop: at the first line that reads as a sentence."""
    pos = 0
    for line in text[:800].splitlines(keepends=True):
        stripped = line.strip()
        if stripped.endswith((".", "?", "!", "”", '"')) or len(stripped) > 300:
            break
        pos += len(line)
    return pos


def home_state(doc: Doc, mentions: list[ActorMention]) -> str | None:
    """The state whose organ issues the text, from its heading lines: "MINISTRY OF NATIONAL DEFENCE / Republic of
    Colombia", "Ministry of Foreign Affairs/ Nay Pyi Taw / January 22, 2022" (a heading line that opens with an organ
    word and has no finite verb, and one state named in the headings), else None."""
    text = doc.text
    end = _heading_end(text)
    organ = organ_words()
    lead = re.compile(r"(?:(?:statement|press release|comment|communiqu\w*|declaration)\s+(?:of|by|from)\s+)?(?:the\s+)?", re.I)
    finite = [t.idx for t in doc if t.idx < end and t.tag_ in ("VBD", "VBZ", "VBP")]
    issuer_lines = []
    pos = 0
    for ln in text[:end].splitlines(keepends=True):
        line_end = pos + len(ln)
        # a name, not a headline ("Government forces killed at least 21 in ...")
        if (m := lead.match(ln.strip())) and organ.match(ln.strip(), m.end()) and not find_acts(ln, [], []) \
                and not any(pos <= i < line_end for i in finite):
            issuer_lines.append(ln)
        pos = line_end
    if not issuer_lines:
        return None  # a headline about soldiers ("Soldiers Summarily Executed Civilians") names no issuer
    states = [m for m in mentions if m.end <= end and m.kind in ("state", "organ") and m.role != "people"]
    return party(states[0]) if len(states) == 1 or len({party(m) for m in states}) == 1 else None


def _author(doc: Doc, pub: str | None, mentions: list[ActorMention], home: str | None) -> str | None:
    """Who issues the text: the publisher, else the organ, IGO, court or NGO a heading names, else the home state."""
    from counterclaim.extract.actors import canonical_name

    if pub:
        name = canonical_name(pub)
        if name:
            return name
    # the heading lines before the first sentence: "Statement of the Ministry of Foreign Affairs of X"
    pos = 0
    for line in doc.text[:800].splitlines(keepends=True):
        stripped = line.strip()
        end = pos + len(line)
        if stripped.endswith((".", "?", "!", "”", '"')) or len(stripped) > 300:
            break
        for m in _issuer_mentions(doc, mentions, pos, end):
            if m.kind in ("organ", "igo", "court", "ngo") or (m.kind == "person" and m.state):
                return party(m)
        pos = end
    return home


def _outlet(text: str, pub: str | None, mentions: list[ActorMention]) -> str | None:
    """Who publishes the text when it reports others' statements: the publisher, else an outlet the text
    names ("By Azernews", "(Reuters) -", "..., Azernews reports")."""
    if pub:
        return pub
    persons = {m.text for m in mentions if m.kind == "person"}
    for pat in (_BY_LINE, _WIRE_OUTLET, _REPORTS):
        for m in pat.finditer(text[:3000]):
            name = m.group(1).strip()
            if name not in persons:
                return name
    return None


def _heading_issuer(doc: Doc, mentions: list[ActorMention], home: str | None) -> bool:
    """Whether a heading names the issuer as an organ, IGO, court or NGO ("Statement of the MFA"), or the
    text is headed by a state's organ (``home``). A reporter's byline ("By Abdi Hussein Mohamed") rules it out,
    whatever the headline says ("Somali officials accuse AU troops of ...")."""
    bylines = [b.span(1) for b in _ANY_BYLINE.finditer(doc.text[:600])]
    if any(m.kind == "person" and s <= m.start < e for m in mentions for s, e in bylines):
        return False
    pos = 0
    for line in doc.text[:600].splitlines(keepends=True):
        stripped = line.strip()
        end = pos + len(line)
        heading = bool(stripped) and not stripped.endswith((".", "?", "!", "”", '"'))
        titled = len(stripped) < 300 and re.search(
            r"\b(?:statement|press release|communiqu|declaration)\b", stripped, re.I
        ) is not None
        if (heading or titled) and any(
            m.kind in ("organ", "igo", "court", "ngo") for m in _issuer_mentions(doc, mentions, pos, end)
        ):
            return True
        pos = end
    return home is not None  # "MINISTRY OF NATIONAL DEFENCE / Republic of X"


def _news_markers(text: str, heading_end: int, mentions: list[ActorMention], issuer: str | None) -> str | None:
    """Why the text reads as a reporter's, or None: a byline naming a person, a wire credit, or a dateline whose
    lead reports the issuer in the third person ("BANGKOK - Myanmar's military said on Wednesday ...")."""
    bylines = [b.span(1) for b in _ANY_BYLINE.finditer(text[:600])]
    if any(m.kind == "person" and s <= m.start < e for m in mentions for s, e in bylines):
        return "genre:byline"
    if _CREDIT.search(text):
        return "genre:wire_credit"
    for d in DATELINE.finditer(text, 0, 1500):
        lead_end = text.find(".", d.end())
        lead = text[d.end():lead_end if lead_end > 0 else d.end() + 300]
        said = _LEAD_SAID.search(lead)
        if said and issuer is not None and any(
            party(m) == issuer for m in mentions_in(mentions, d.end(), d.end() + said.start())
        ):
            return "genre:dateline_reports_issuer"
    return None


def _release_issuer(text: str, heading_end: int, mentions: list[ActorMention]) -> str | None:
    """The NGO or UN body whose press release this is: the first speaker of the body when it is an NGO, an IGO or
    a court ("X said in a new report published today"; "..., said Y, senior researcher at X")."""
    body = [m for m in mentions if m.start >= heading_end]
    for said in _LEAD_SAID.finditer(text, heading_end, min(len(text), heading_end + 2500)):
        near = [m for m in body if said.start() - 160 <= m.start < said.end() + 120]
        orgs = [m for m in near if m.kind in ("ngo", "igo", "court")]
        if orgs:
            return party(min(orgs, key=lambda m: abs(m.start - said.start())))
        persons = [m for m in near if m.kind == "person"]
        if persons:
            return None  # a person speaks first: the release is not told in an organisation's voice
    return None


def document_frame(doc: Doc, publisher: str | None, mentions: list[ActorMention]) -> DocumentFrame:
    """The frame of one document from its text, ingest's publisher and the (resolved) actor mentions."""
    text = doc.text
    home = home_state(doc, mentions)
    end = _heading_end(text)
    datelines = [m.span() for m in DATELINE.finditer(text)]
    issuer = _author(doc, publisher, mentions, home)
    outlet = _outlet(text, publisher, mentions)
    news = _news_markers(text, end, mentions, issuer)
    if news is not None:
        return DocumentFrame("news", issuer, outlet, home, end, datelines, (news,))
    if issuer is not None and _heading_issuer(doc, mentions, home):
        return DocumentFrame("statement", issuer, outlet, home, end, datelines, ("genre:heading_names_issuer",))
    if issuer is not None and _FIRST_PERSON.search(text[end:end + 3000]):
        return DocumentFrame("statement", issuer, outlet, home, end, datelines, ("genre:first_person",))
    released = _release_issuer(text, end, mentions)
    if released is not None:
        return DocumentFrame("release", released, outlet, home, end, datelines, ("genre:organisation_speaks_first",))
    return DocumentFrame("news", issuer, outlet, home, end, datelines, ("genre:default_news",))
