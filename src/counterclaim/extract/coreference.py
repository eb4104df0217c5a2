"""Who a mention refers to, resolved once per document for the allegation rules (and any consumer that asks):

- a place or title swallowed by a person's name ("Tirana" in "Tirana Hassan") and "the West" of a place name are
  dropped;
- definite descriptions ("the junta", "the group", "the coalition", "the Ministry") refer to the most recent
  fitting actor (:data:`DEFINITE_KINDS`); "the government", "Government forces", "federal troops" with no state
  named before refer to the state the text is about (the most mentioned, places included);
- a person's state or body comes from the title before the name ("Lebanon's caretaker Foreign Minister X",
  "Coalition spokesman X"), or is the home state of a ministry's own press release;
- an organ "run by" another actor speaks for that actor ("the Gaza health ministry, run by Hamas").
"""

from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Doc

from counterclaim.extract.actors import party
from counterclaim.extract.document import home_state, organ_words
from counterclaim.records import ActorMention


def mentions_overlap(m: ActorMention, spans: list[tuple[int, int]]) -> bool:
    return any(m.start < e and s < m.end for s, e in spans)


#: a definite description that refers back to an actor named earlier ("the junta", "the group", "the coalition")
DEFINITE = re.compile(
    r"\b[Tt]he\s+(?:(?:military|ruling|armed|rebel|paramilitary)\s+)?(?P<what>junta|military|regime|army|group|"
    r"coalition|militia|rebels|paramilitar(?:y|ies)|government|authorities|movement|organi[sz]ation|[Mm]inistry)\b"
    r"(?!\s+[A-Z])"
)
#: a state's forces named without the state: "Government forces", "federal troops", "the security forces"
GENERIC_FORCES = re.compile(
    r"\b(?:[Tt]he\s+)?(?:[Gg]overnment|[Ff]ederal|[Ss]tate|[Ss]ecurity|[Nn]ational|[Aa]rmed)\s+(?P<what>forces|troops|soldiers)\b"
)
DEFINITE_KINDS: dict[str, tuple[str, ...]] = {
    "forces": ("organ", "state"), "troops": ("organ", "state"), "soldiers": ("organ", "state"),
    "junta": ("organ", "state"), "military": ("organ", "state"), "regime": ("organ", "state"),
    "army": ("organ", "state"), "government": ("organ", "state"), "authorities": ("organ", "state"),
    "group": ("group", "ngo"), "militia": ("group",), "rebels": ("group",), "paramilitary": ("group",),
    "paramilitaries": ("group",), "movement": ("group",), "coalition": ("group", "igo", "state"),
    "organisation": ("ngo", "igo", "group"), "organization": ("ngo", "igo", "group"), "ministry": ("organ", "state"),
}
#: a speaker's title after "the group's": an NGO's staff rather than an armed group's
_NGO_TITLE = re.compile(r"^['’]s?\s+(?:executive\s+)?(?:director|researcher|president|secretary|chief|head)\b", re.I)
#: an organ run by another actor: "the Gaza health ministry, run by Hamas," speaks for the one that runs it
_RUN_BY = re.compile(r"^,?\s+(?:which is\s+)?(?:run|controlled|governed|led|operated)\s+by\s+(?:the\s+)?$", re.I)




def resolve_mentions(doc: Doc, mentions: list[ActorMention]) -> list[ActorMention]:
    """The actor mentions cleaned for allegations: a place or title swallowed by a person's name ("Tirana" in
    "Tirana Hassan") and "the West" of a place name ("West Darfur", "the West Bank") are dropped; definite
    descriptions ("the junta", "the group") refer to the most recent fitting actor; an organ "run by" another
    actor speaks for that actor."""
    from dataclasses import replace

    text = doc.text
    persons = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
    kept: list[ActorMention] = []
    for m in mentions:
        if m.kind != "person" and any(s <= m.start and m.end <= e and (s, e) != (m.start, m.end) for s, e in persons):
            continue
        if m.text.lower().endswith("west") and re.match(r"\s+[A-Z]", text[m.end:m.end + 3]):
            continue
        kept.append(m)
    taken = [(m.start, m.end) for m in kept]
    for d in DEFINITE.finditer(text):
        if any(s < d.end() and d.start() < e for s, e in taken):
            continue
        head = doc.char_span(d.start("what"), d.end("what"))
        if head is not None and head[-1].dep_ in ("amod", "compound") and head[-1].head.i > head[-1].i:
            continue  # "the military operations", "the group leaders": a modifier, not the actor
        kept.append(ActorMention(
            doc=mentions[0].doc if mentions else "", start=d.start(), end=d.end(), sentence="", actor="\x00anaphor",
            kind="anaphor", text=d.group(), role=d.group("what").lower(),
        ))
    for g in GENERIC_FORCES.finditer(text):
        if any(s < g.end() and g.start() < e for s, e in taken) or re.match(r"\s+of\b", text[g.end():g.end() + 4]):
            continue  # "the armed forces of X": the state is named
        kept.append(ActorMention(
            doc=mentions[0].doc if mentions else "", start=g.start(), end=g.end(), sentence="", actor="\x00anaphor",
            kind="anaphor", text=g.group(), role=g.group("what").lower(),
        ))
    # the state the text is about (places included): what "the government" or "government forces" refers to when no
    # state was named as an actor before
    states = Counter(p for a in kept if a.kind in ("state", "organ") and a.role != "people" and (p := party(a)))
    main_state = states.most_common(1)[0][0] if states else None
    kept.sort(key=lambda m: m.start)
    out: list[ActorMention] = []
    for m in kept:
        lower = m.text.lower()
        what = m.role if m.kind == "anaphor" else None
        if what is None and (dm := DEFINITE.fullmatch(m.text.strip())) is not None and lower.startswith("the "):
            what = dm.group("what").lower()
        if what is not None and what in DEFINITE_KINDS:
            kinds = DEFINITE_KINDS[what]
            prefer_ngo = what == "group" and _NGO_TITLE.match(text[m.end:m.end + 30]) is not None
            banned = ("place", "people") if "state" in kinds else ("place", "adjective", "people")
            cands = [a for a in out if (a.kind in kinds or ("state" in kinds and a.role == "adjective"))
                     and (a.role or "") not in banned and a.kind != "person"]
            if prefer_ngo and any(a.kind == "ngo" for a in cands):
                cands = [a for a in cands if a.kind == "ngo"]
            # "the coalition" is the last actor called a coalition, if one was ("the Saudi-led coalition"), whatever
            # its kind: "the army" after "the Libyan National Army", "the group" after "the Wagner Group"
            named = [a for a in out if a.kind != "person" and (a.role or "") not in banned
                     and re.search(rf"\b{what}\b", f"{a.text} {a.actor}", re.I)]
            cands = named or cands
            if cands:
                ref = cands[-1]
                m = replace(m, actor=ref.actor, kind=ref.kind, state=ref.state, role=ref.role)
            elif "state" in kinds and main_state is not None and m.kind == "anaphor":
                m = replace(m, actor=main_state, kind="organ", state=main_state, role=what)
            elif m.kind == "anaphor":
                continue
        if m.kind == "anaphor":
            continue
        out.append(m)
    home = home_state(doc, out)
    # "Coalition spokesman Turki al-Maliki", "Lebanon's caretaker Foreign Minister Abdallah Bou Habib": a person
    # whose title names an actor of the text, by name or by its kind
    for i, m in enumerate(out):
        if m.kind == "person" and not m.state:
            line_start = text.rfind("\n", 0, m.start) + 1
            before = text[max(line_start, m.start - 60):m.start]
            title = " ".join(t for t in (m.role, before.rsplit(",", 1)[-1]) if t)
            state = _preposed_party(m, out[:i], text) or _titled_party(title, out[:i])
            if not state and home and m.role and organ_words().search(m.role):
                state = home  # "the Minister of National Defence, X" in that ministry's own press release
            if state:
                out[i] = replace(m, state=state)
    # "the Gaza health ministry, run by Hamas,": the ministry's statements are the group's
    for i, m in enumerate(out):
        nxt = out[i + 1] if i + 1 < len(out) else None
        if m.kind == "organ" and nxt is not None and _RUN_BY.match(text[m.end:nxt.start]) and party(nxt):
            out[i] = replace(m, state=party(nxt))
    return out


#: the words of a title between an actor and a person's name: "'s caretaker Foreign Minister", " Defence Minister"
_TITLE_GAP = re.compile(r"(?:['’]s)?(?:\s+(?:[A-Z][\w.\-]*|[a-z][\w\-]*)){1,5}\s+")


def _preposed_party(m: ActorMention, earlier: list[ActorMention], text: str) -> str | None:
    """The state or body written right before a person's title: "Lebanon's caretaker Foreign Minister X", "Israeli
    military spokesperson Rear Admiral X", "Russian Foreign Ministry spokeswoman X"."""
    if not earlier:
        return None
    prev = earlier[-1]
    if prev.kind == "person" or prev.role in ("place", "people") or m.start - prev.end > 60:
        return None
    gap = text[prev.end:m.start]
    if not _TITLE_GAP.fullmatch(gap) or re.search(r"\b(?:said|says|told|and|of|in|by|with|to|from|that)\b", gap):
        return None
    return party(prev)


def _titled_party(title: str, earlier: list[ActorMention]) -> str | None:
    """The actor a person's title refers to by its kind ("Coalition spokesman", "army spokesman"): the last actor
    named before whose name has that word, as for a definite description."""
    for word in re.findall(r"[A-Za-z]+", title):
        what = word.lower()
        if what not in DEFINITE_KINDS:
            continue
        for a in reversed(earlier):
            if a.kind in DEFINITE_KINDS[what] and re.search(rf"\b{what}\b", f"{a.text} {a.actor}", re.I):
                return party(a)
    return None
