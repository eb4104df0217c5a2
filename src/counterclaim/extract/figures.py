"""Casualty / victim / damage figures: value, qualifier, category, subject, what it is about, breakdowns.

A number (:mod:`counterclaim.extract.numbers`) becomes a figure when it counts people (a counted noun or a
nationality from the lexicon), money, or stands alone before a verb with a category cue ("487 were injured").
Everything else is left out: dates and years, durations and ages, percentages and fractions, article / resolution /
unit / page numbers, counts of things ("15 States").

The category comes from the nearest cue (``data/figure_lexicon.yaml``), tried in this order: the counted noun
("250 landmine victims"), the words just before the number in the same clause ("killing up to 250"), a cue tied to
the counted noun ("8 families were destroyed"), the rest of the clause up to the next figure ("613 people ...
murdered"), and earlier in the sentence when no other figure stands between. Breakdowns ("613 people, including 63
children, 106 women") get ``parent`` = the whole's id and inherit its category.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from counterclaim.extract.context import Context
from counterclaim.extract.dates import date_like_spans
from counterclaim.extract.figure_lexicon import FigureLexicon, load_lexicon, normalise
from counterclaim.extract.numbers import SCALES, Number, find_numbers
from counterclaim.extract.spans import SentenceIndex, doc_text
from counterclaim.records import Figure

VERSION = "figures.v3"

_BREAKDOWN = re.compile(
    r"^[^.;:]{0,40}?,?\s*\b(?:including|includ\w*|among\s+them|among\s+whom|of\s+whom|of\s+them|among\s+those|"
    r"among\s+the\s+(?:dead|victims|killed|wounded|injured)|incl\.)\s*(?:were\s+|are\s+)?$|^\s*[(\[]\s*$",
    re.IGNORECASE,
)
# between two figures of one list ("1,166 were women and 239 were children"): the second shares the first's category
_SIBLING_GAP = re.compile(r"^\s*(?:(?:were|are|was|is)\s+)?[\w'-]*\s*(?:,\s*(?:and\s+)?|and\s+|while\s+)$")
_LIST_GAP = re.compile(r"^\s*(?:[\w'-]+\s+){0,1}?[\w'-]*\s*(?:,\s*(?:and\s+|as\s+well\s+as\s+)?|and\s+|as\s+well\s+as\s+)$")
# between two counts of one coordination ("23 soldiers and 24 civilians have been killed")
_COORD_GAP = re.compile(r"^\s*(?:,\s*(?:and\s+)?|and\s+|as\s+well\s+as\s+)$", re.IGNORECASE)
# right before a part of an earlier whole in the same sentence, however far ("..., including more than 100 civilians")
_INCLUDING_BEFORE = re.compile(
    r"\b(?:including|among\s+them|among\s+whom|of\s+whom|of\s+them)\s*(?:were\s+|are\s+)?$", re.IGNORECASE
)
# "the victims" refers back to an act named before ("summarily executed men ... Among the victims were 20 women")
_DEFINITE_VICTIMS = re.compile(r"the\s+victims?\b", re.IGNORECASE)
_ACT_CATEGORIES = frozenset({"killed", "injured", "missing", "detained", "hostage", "deported", "displaced"})
_ANAPHORA_WINDOW = 300  # characters before "the victims" searched for the act
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]\n]|—|–|\s-\s")
_HYPHEN_WORD = re.compile(r"^-(?!plus\b)[A-Za-z]")
_RANGE_DASH = re.compile(r"^\s*(?:-|–|—|to)\s*$")
_RANGE_AND = re.compile(r"^\s+and\s+$")
_RANGE_BEFORE = re.compile(r"\bbetween\s+$", re.IGNORECASE)
_SCALE_WORD = re.compile(r"\b(?:thousand|million|billion)\b", re.IGNORECASE)
# "children under 18", "men aged over 60", "people older than 65": an age limit, not a count
_AGE_BEFORE = re.compile(
    r"\b(?:children|child|boys|girls|minors|men|women|people|persons|youths?|males|females|those|anyone|everyone|"
    r"civilians|adults)\s+(?:aged\s+)?(?:under|over|below|above|older\s+than|younger\s+than|between)\s+$",
    re.IGNORECASE,
)
# the upper end of an age range ("teenagers aged between 10 and 16", "aged 5 to 12")
_AGE_RANGE_END = re.compile(
    r"\b(?:aged|ages|age)\s+(?:of\s+)?(?:between\s+)?\d{1,3}\s*(?:and|to|-|–)\s*$", re.IGNORECASE
)
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_HEAD_POS = frozenset({"ADJ", "NOUN", "PROPN", "NUM"})
_BEFORE_WINDOW = 60  # characters before a number searched for a cue in the same clause
_AFTER_WINDOW = 160  # characters after a number searched for a cue
_MAX_IMMEDIATE_WORDS = 4  # words between an immediate cue and the number ("the deaths of up to")


@dataclass
class _Cand:
    num: Number
    qstart: int  # start of the qualifier (or of the number)
    end: int  # end of the whole expression (counted noun phrase included)
    qualifier: str = "exact"
    currency: str | None = None
    head: str | None = None  # the counted noun as written (lower case)
    subject: str | None = None
    head_category: str | None = None
    kind: str = "none"  # subject | norp | unknown | none | money
    verb_follows: bool = False  # the number stands alone before a verb ("487 were injured", "two were killed")
    category: str | None = None
    source: str = "default"  # where the category came from: head | before | subject_cue | after | earlier | default
    parent: int | None = None  # index of the whole in the candidate list


class _Tokens:
    """Tokens by character offset (one list of token starts per doc)."""

    def __init__(self, doc: Doc, text: str, actor_spans: list[tuple[int, int]] | None = None) -> None:
        self.doc = doc
        self.text = text
        self.starts = [t.idx for t in doc]
        # tokens inside capitalised actor mentions ("Azerbaijanis", "Ukrainians" as victims)
        self.actor_tokens: set[int] = set()
        for start, end in actor_spans or []:
            self.actor_tokens.update(range(self.from_offset(start), self.from_offset(end)))

    def token_at(self, offset: int) -> Token | None:
        i = bisect_left(self.starts, offset + 1) - 1
        return self.doc[i] if 0 <= i < len(self.doc) else None

    def from_offset(self, offset: int) -> int:
        return bisect_left(self.starts, offset)


def _is_demonym(tok: Token) -> bool:
    if tok.ent_type_ == "NORP":
        return True
    text = tok.text
    return tok.pos_ == "PROPN" and text[:1].isupper() and text.endswith(("ians", "ans", "is", "ese", "ites"))


def _head(cand: _Cand, text: str, toks: _Tokens, lex: FigureLexicon) -> None:
    """Find the counted noun after the number: a lexicon subject, a nationality, an unknown noun, or none."""
    i = toks.from_offset(cand.end)
    doc = toks.doc
    norp: Token | None = None
    last_noun: Token | None = None
    j = i
    while j < len(doc) and j < i + 5:
        tok = doc[j]
        # the longest lexicon phrase starting here (subjects and cue nouns such as "victims", "refugees")
        found = _lexicon_phrase(doc, j, lex)
        if found:
            n, phrase, subject, cat = found
            cand.kind, cand.head, cand.subject = "subject", phrase, subject or "people"
            cand.end = doc[j + n - 1].idx + len(doc[j + n - 1])
            cand.head_category = cat
            _coordinated_head(cand, doc, j + n, lex)
            return
        if tok.pos_ not in _HEAD_POS or tok.is_punct:
            cand.verb_follows = j == i and tok.pos_ in ("AUX", "VERB")
            if cand.verb_follows and tok.lower_ in ("were", "are", "was", "is") and j + 1 < len(doc):
                # "of whom 63 were children": the subject is named after the copula
                named = lex.subject_of.get(doc[j + 1].lower_)
                cand.subject = named if named and named != "peoples" else None
            break
        if tok.pos_ == "NUM":
            break
        if _is_demonym(tok) or tok.i in toks.actor_tokens:
            norp = tok
        if tok.pos_ in ("NOUN", "PROPN"):
            last_noun = tok
        j += 1
    if norp is not None and (last_noun is None or last_noun is norp):  # the nationality is the counted noun
        cand.kind, cand.head, cand.subject, cand.end = "norp", norp.text.lower(), norp.text, norp.idx + len(norp)
    elif last_noun is not None:
        cand.kind, cand.head = "unknown", last_noun.text.lower()


def _lexicon_phrase(doc: Doc, j: int, lex: FigureLexicon) -> tuple[int, str, str | None, str | None] | None:
    """The longest counted noun or cue noun starting at token ``j``: (tokens, phrase, subject, category)."""
    tok = doc[j]
    for n in range(min(lex.max_subject_words, len(doc) - j), 0, -1):
        span = doc[j:j + n]
        phrase = normalise(span.text)
        subject = lex.subject_of.get(phrase)
        if subject == "peoples":
            subject = span.text if span.text[:1].isupper() else None
        cat = lex.cue_category.get(phrase)
        if subject or (cat and cat != "other" and tok.pos_ in ("NOUN", "ADJ", "VERB")):
            return n, phrase, subject, (cat if cat and cat != "other" else None)
    return None


def _coordinated_head(cand: _Cand, doc: Doc, j: int, lex: FigureLexicon) -> None:
    """ "157 victims and witnesses": a category of ``coordinated_head_wins`` in either noun is the head's category."""
    if not lex.coordinated_head_wins or j + 1 >= len(doc) or doc[j].lower_ not in ("and", "or", "&"):
        return
    other = _lexicon_phrase(doc, j + 1, lex)
    if other is None:
        return
    cats = (cand.head_category, other[3])
    win = next((c for c in lex.coordinated_head_wins if c in cats), None)
    if win:
        last = doc[j + other[0]]  # the last token of the second noun (which starts at j + 1)
        cand.head_category, cand.end = win, last.idx + len(last)


def _qualify(cand: _Cand, text: str, lex: FigureLexicon) -> None:
    before = text[max(0, cand.num.start - 40):cand.num.start]
    m = lex.qualifier_before.search(before)
    if m:
        cand.qualifier = lex.qualifier_of[normalise(m["q"])]
        cand.qstart = cand.num.start - (len(before) - m.start("q"))
    if m is None and "dozen" in cand.num.text.lower():  # "a dozen people": about twelve
        cand.qualifier = "approx"
    after = lex.qualifier_after.match(text, cand.num.end, cand.num.end + 20)
    if m is None and after:
        cand.qualifier = lex.suffix_qualifier_of[normalise(after["q"])]
        cand.end = after.end()


def _currency(cand: _Cand, text: str, lex: FigureLexicon) -> None:
    mark = cand.num.currency_mark
    if mark:
        cand.currency = lex.currency_of.get(normalise(mark))
    else:
        m = lex.currency_after.match(text[cand.end:cand.end + 20])
        if m:
            cand.currency = lex.currency_of[normalise(m["c"])]
            cand.end += m.end()
    if cand.currency:
        cand.kind = "money"


def _excluded(num: Number, text: str, lex: FigureLexicon, date_spans: list[tuple[int, int]]) -> bool:
    if any(s < num.end and num.start < e for s, e in date_spans):
        return True
    after = text[num.end:num.end + 30]
    if _HYPHEN_WORD.match(after) or (lex.not_after.match(after) and not num.currency_mark):
        return True
    before = text[max(0, num.start - 40):num.start]
    return bool(lex.not_before.search(before) or _AGE_BEFORE.search(before) or _AGE_RANGE_END.search(before))


def _candidates(toks: _Tokens, ctx: Context, lex: FigureLexicon) -> list[_Cand]:
    text = toks.text
    date_spans = [(d.start, d.end) for d in ctx.dates] + date_like_spans(text)
    out: list[_Cand] = []
    numbers = [n for n in find_numbers(text) if not _excluded(n, text, lex, date_spans)]
    for num, range_start in _merge_ranges(numbers, text):
        cand = _Cand(num=num, qstart=num.start, end=num.end)
        _qualify(cand, text, lex)
        if range_start is not None:  # "between 10,000 and 15,000 people": the lower bound, at least
            cand.qualifier, cand.qstart = "at_least", min(range_start, cand.qstart)
        _currency(cand, text, lex)
        if cand.kind != "money":
            _head(cand, text, toks, lex)
        if _accept_shape(cand):
            out.append(cand)
    return out


def _merge_ranges(numbers: list[Number], text: str) -> list[tuple[Number, int | None]]:
    """Fold "between X and Y" / "X to Y" / "X-Y" into one number (value X, text and span of the whole range)."""
    out: list[tuple[Number, int | None]] = []
    i = 0
    while i < len(numbers):
        first = numbers[i]
        if i + 1 < len(numbers):
            second = numbers[i + 1]
            gap = text[first.end:second.start]
            before = _RANGE_BEFORE.search(text[max(0, first.start - 12):first.start])
            if (_RANGE_DASH.match(gap) or (before and _RANGE_AND.match(gap))) and first.value < second.value * 1000 \
                    and not first.year_like and not second.year_like:
                value = first.value
                scale = _SCALE_WORD.search(second.text)
                if scale and not _SCALE_WORD.search(first.text) and value * SCALES[scale.group(0).lower()] <= second.value:
                    value *= SCALES[scale.group(0).lower()]
                merged = replace(first, end=second.end, value=value, text=text[first.start:second.end],
                                 currency_mark=first.currency_mark or second.currency_mark)
                start = first.start - (len(text[max(0, first.start - 12):first.start]) - before.start()) \
                    if before else first.start
                out.append((merged, start))
                i += 2
                continue
        out.append((first, None))
        i += 1
    return out


def _accept_shape(cand: _Cand) -> bool:
    """Whether the number can be a figure at all (before looking for a category)."""
    num = cand.num
    if cand.kind == "money":
        return True
    if num.bare_scale and cand.qualifier == "exact":
        return False  # "million" alone, without "a" or a qualifier
    if cand.kind == "unknown":
        return False  # counts of things: "15 States", "30 tanks"
    if num.year_like or (num.is_words and num.value < 100 and not num.has_article):
        if cand.kind in ("subject", "norp"):  # "2000 civilians" / "two children", never "in 2000" or "one of"
            return True
        return num.is_words and cand.verb_follows  # "two were wounded"
    return True


def _cue_in(text: str, start: int, end: int, lex: FigureLexicon, last: bool = False) -> tuple[str, int, int] | None:
    """The first (or last) category cue in ``text[start:end]`` as ``(category, start, end)``; hostage beats detained."""
    found = [(lex.cue_category[normalise(m.group(0))], m.start(), m.end()) for m in lex.cues.finditer(text, start, end)]
    if not found:
        return None
    if last:
        return found[-1]
    if found[0][0] == "detained":
        hostage = next((f for f in found[1:] if f[0] == "hostage"), None)
        if hostage:
            return hostage
    return found[0]


def _governs(toks: _Tokens, cue_start: int, cue_end: int, number_start: int) -> bool:
    """Whether a word of the cue is an ancestor of the number in the parse ("killing [up to] 250", "fate of 4,000")."""
    num = toks.token_at(number_start)
    if num is None:
        return False
    ancestors: set[int] = set()
    tok = num
    while tok.head.i != tok.i and tok.dep_ != "conj":  # not across coordination: "displaced and 130,000 remain"
        tok = tok.head
        ancestors.add(tok.i)
    first, last = toks.token_at(cue_start), toks.token_at(cue_end - 1)
    if first is None or last is None:
        return False
    return any(i in ancestors for i in range(first.i, last.i + 1))


def _verb_then_adjunct(toks: _Tokens, cue_end: int, qstart: int) -> bool:
    """A verb cue whose object follows a short adjunct ("interviewed by phone 23 people", "detained for questioning
    12 journalists"): only prepositions, adverbs and their objects stand between. The parser often misses these."""
    last = toks.token_at(cue_end - 1)
    if last is None or last.pos_ != "VERB":
        return False
    between = list(toks.doc[last.i + 1:toks.from_offset(qstart)])
    return bool(between) and all(
        t.pos_ in ("ADP", "ADV", "PART") or (t.pos_ in ("NOUN", "PROPN", "DET") and t.dep_ in ("pobj", "det"))
        for t in between
    )


def _clause_start(text: str, start: int, floor: int) -> int:
    seg = text[floor:start]
    breaks = list(_CLAUSE_BREAK.finditer(seg))
    return floor + breaks[-1].end() if breaks else floor


def _categorise(cands: list[_Cand], toks: _Tokens, sents: SentenceIndex, lex: FigureLexicon) -> None:
    text = toks.text
    wholes = [i for i, c in enumerate(cands) if c.parent is None]
    for k, i in enumerate(wholes):
        cand = cands[i]
        s_start, s_end = sents.bounds(cand.num.start)
        prev_end = max([cands[wholes[k - 1]].end] if k else [s_start])
        prev_end = max(prev_end, s_start)
        nxt = cands[wholes[k + 1]].qstart if k + 1 < len(wholes) else s_end
        next_start = min(nxt, s_end)
        cand.category, cand.source = _category(cand, toks, (prev_end, next_start, s_start), lex)
        if cand.source == "default" and k and prev_end > s_start:
            prev = cands[wholes[k - 1]]
            if prev.category not in (None, "none") and _shares_previous(cand, prev, text, lex):
                cand.category, cand.source = prev.category, "sibling"
    # "23 soldiers and 24 civilians have been killed": a count with no cue of its own, joined by "and" to the next
    # count of the sentence, shares the predicate that follows that count
    for k in range(len(wholes) - 2, -1, -1):
        cand, nxt_cand = cands[wholes[k]], cands[wholes[k + 1]]
        if cand.source != "default" or nxt_cand.source not in ("after", "shared"):
            continue
        gap = text[cand.end:nxt_cand.qstart]
        if sents.bounds(cand.num.start) == sents.bounds(nxt_cand.num.start) and _COORD_GAP.match(gap) \
                and not lex.cues.search(gap):
            cand.category, cand.source = nxt_cand.category, "shared"
    for c in cands:
        if c.parent is not None:  # a part keeps a category its own noun gives ("including 14 witnesses")
            c.category = c.head_category or cands[c.parent].category


def _shares_previous(cand: _Cand, prev: _Cand, text: str, lex: FigureLexicon) -> bool:
    """Whether a count without a cue of its own shares the previous count's category: a sibling in one list
    ("1,166 were women and 239 were children", "20 women and seven children"), or a part introduced by "including"
    further on in the sentence ("500 people have been killed ..., including more than 100 civilians")."""
    if prev.source == "default":
        return False  # the previous count found no cue either: both may share a verb further on (see _categorise)
    gap = text[prev.end:cand.qstart]
    if _SIBLING_GAP.match(gap) and not lex.cues.search(gap):
        # a bare number takes any category; a counted noun only a shared verb's, not the other noun's own
        return cand.kind == "none" or prev.source != "head"
    return _INCLUDING_BEFORE.search(gap) is not None and prev.source != "default"


def _category(cand: _Cand, toks: _Tokens, bounds: tuple[int, int, int], lex: FigureLexicon) -> tuple[str, str]:
    """The category of a whole and where it came from (see ``_Cand.source``)."""
    text = toks.text
    prev_end, next_start, s_start = bounds
    if cand.kind == "money":
        sentence_region = text[max(s_start, cand.qstart - 200):cand.end + 200]
        return ("damage_usd" if cand.currency == "USD" and lex.damage.search(sentence_region) else "other"), "head"
    hi = max(cand.end, min(next_start, cand.end + _AFTER_WINDOW))
    if cand.head_category:
        return _predicate_over_head(cand, text, hi, lex) or _verb_before_head(cand, toks, lex) \
            or cand.head_category, "head"
    # just before, in the same clause ("killing up to 250", "the deaths of 30", "the fate of 4,000")
    lo = _clause_start(text, cand.qstart, max(prev_end, cand.qstart - _BEFORE_WINDOW))
    hit = _cue_in(text, lo, cand.qstart, lex, last=True)
    if hit and len(text[hit[1]:cand.qstart].split()) <= _MAX_IMMEDIATE_WORDS \
            and (_governs(toks, hit[1], hit[2], cand.num.start) or _verb_then_adjunct(toks, hit[2], cand.qstart)):
        return _anaphoric(hit, text, lex), "before"
    window = text[cand.end:hi]
    if cand.head and cand.head in lex.subject_cues:
        for cue, cat in lex.subject_cues[cand.head].items():
            if re.search(rf"\b{re.escape(cue)}\b", window, re.IGNORECASE):
                return cat, "subject_cue"
    hit = _cue_in(text, cand.end, hi, lex)
    if hit:
        return hit[0], "after"
    # earlier in the sentence ("Among the dead are 14 UN staff members", "the death toll rose to 45"), only when no
    # other figure comes first: after one, an earlier cue is that figure's predicate
    hit = _cue_in(text, s_start, cand.qstart, lex, last=True) if prev_end <= s_start else None
    if hit:
        return _anaphoric(hit, text, lex), "earlier"
    return ("none" if cand.kind == "none" else "other"), "default"


def _verb_before_head(cand: _Cand, toks: _Tokens, lex: FigureLexicon) -> str | None:
    """ "the military executed more than 640 detainees": a status noun gives way to the verb right before the count
    that says what happened to them (a ``predicate_beats_head`` predicate governing the number)."""
    if cand.head_category not in lex.status_heads:
        return None
    text = toks.text
    lo = _clause_start(text, cand.qstart, max(0, cand.qstart - _BEFORE_WINDOW))
    hit = _cue_in(text, lo, cand.qstart, lex, last=True)
    if hit is None or hit[0] not in lex.head_predicates or len(text[hit[2]:cand.qstart].split()) > _MAX_IMMEDIATE_WORDS:
        return None
    return hit[0] if _governs(toks, hit[1], hit[2], cand.num.start) else None


def _predicate_over_head(cand: _Cand, text: str, hi: int, lex: FigureLexicon) -> str | None:
    """ "91 detainees had been killed": a status noun gives way to the verb right after it (``predicate_beats_head``)."""
    if cand.head_category not in lex.status_heads:
        return None
    m = lex.cues.search(text, cand.end, hi)
    if m is None or not lex.predicate_gap.match(text[cand.end:m.start()]):
        return None
    cat = lex.cue_category[normalise(m.group(0))]
    return cat if cat in lex.head_predicates else None


def _anaphoric(hit: tuple[str, int, int], text: str, lex: FigureLexicon) -> str:
    """ "Among the victims were 20 women": "the victims" of an act named just before, in the same paragraph, take
    that act's category (the last specific cue in the preceding ``_ANAPHORA_WINDOW`` characters)."""
    cat, start, end = hit
    if cat != "victims" or not _DEFINITE_VICTIMS.match(text, max(0, start - 4), end):
        return cat
    lo = max(text.rfind("\n\n", 0, start) + 1, start - _ANAPHORA_WINDOW)
    found = [lex.cue_category[normalise(m.group(0))] for m in lex.cues.finditer(text, lo, max(lo, start - 4))]
    specific = [c for c in found if c in _ACT_CATEGORIES]
    return specific[-1] if specific else cat


def _breakdowns(cands: list[_Cand], text: str, lex: FigureLexicon) -> None:
    """Mark "613 people, including 63 children, 106 women": the parts get ``parent`` = the whole's index."""
    i = 0
    while i < len(cands) - 1:
        whole = cands[i]
        j = i + 1
        gap = text[whole.end:cands[j].qstart]
        if whole.kind in ("subject", "norp", "none") and _BREAKDOWN.match(gap):
            cands[j].parent = i
            while j + 1 < len(cands) and cands[j + 1].kind in ("subject", "norp"):
                gap = text[cands[j].end:cands[j + 1].qstart]
                if not _LIST_GAP.match(gap) or lex.cues.search(gap):
                    break
                j += 1
                cands[j].parent = i
        i = j


_PREP_PLACE = re.compile(
    r"\b(?:in|at|near|outside|around|on)\s+(?:the\s+(?:town|city|village|camp|refugee\s+camp|region|district|"
    r"province|governorate|state|area|neighbou?rhood|municipality|enclave|port|port\s+city|settlement)\s+of\s+)?"
    r"(?:the\s+)?(?P<place>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})"
)
_PLACE_NOUN_AFTER = re.compile(
    r"\s+(?:camp|market|hospital|school|village|town|city|district|neighbou?rhood|square|street|area|region|"
    r"province|governorate|settlement|kibbutz|refugee\s+camp|prison|airport|port|bridge|mosque|church)\b"
)
_NOT_PLACE = re.compile(
    r"^(?:The|A|An|January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Article|Resolution|Order)\b"
)


def _about(doc: Doc, text: str) -> tuple[list[tuple[int, int, str]], str | None]:
    """Places in the doc (spaCy GPE/LOC/FAC, plus "in/near <Name>" the model missed) and the main one, if clear."""
    places = [(e.start_char, e.end_char, e.text) for e in doc.ents if e.label_ in _PLACE_LABELS]
    for m in _PREP_PLACE.finditer(text):
        s, e = m.span("place")
        if not _NOT_PLACE.match(m["place"]) and not any(ps < e and s < pe for ps, pe, _ in places):
            ent = doc.char_span(s, e, alignment_mode="expand")
            placeish = _PLACE_NOUN_AFTER.match(text, e) is not None  # "the Ardamata camp", "Dahyan market"
            # "in Bucha" tagged ORG by the small model: one capitalised word after "in" is taken as a place
            single_in = m.group(0).lower().startswith("in ") and " " not in m["place"] and not m["place"].isupper()
            ok_types = ("", "GPE", "LOC", "FAC", "PERSON", "ORG") if single_in else ("", "GPE", "LOC", "FAC", "PERSON")
            if ent is None or placeish or all(t.ent_type_ in ok_types for t in ent):
                places.append((s, e, m["place"]))
    places.sort()
    names = [re.sub(r"^(?:the|The)\s+", "", p[2]) for p in places]
    main = None
    counts = Counter(names).most_common(2)
    if counts and counts[0][1] >= 3 and (len(counts) == 1 or counts[0][1] >= 2 * counts[1][1]):
        main = counts[0][0]
    return places, main


def _place_for(
    cand: _Cand, places: list[tuple[int, int, str]], bounds: tuple[int, int], main: str | None
) -> str | None:
    s, e = bounds
    inside = [p for p in places if s <= p[0] and p[1] <= e]
    after = [p for p in inside if p[0] >= cand.end]
    before = [p for p in inside if p[1] <= cand.qstart]
    pick = after[0] if after else (before[-1] if before else None)
    if pick is None:
        return main
    return re.sub(r"^(?:the|The)\s+", "", pick[2])


def find_figures(doc: Doc, ctx: Context) -> list[Figure]:
    lex = load_lexicon()
    text = doc_text(doc, ctx.input.text)
    sents = SentenceIndex(doc, text)
    actor_spans = [(a.start, a.end) for a in ctx.actors if a.text[:1].isupper() and a.kind in ("state", "group")]
    toks = _Tokens(doc, text, actor_spans)
    cands = _candidates(toks, ctx, lex)
    _breakdowns(cands, text, lex)
    _categorise(cands, toks, sents, lex)
    places, main = _about(doc, text)
    records: list[Figure] = []
    ids: dict[int, str] = {}
    last_about: tuple[int, str | None] = (-1, None)  # (paragraph start, place) of the previous figure
    for i, c in enumerate(cands):
        if c.category in (None, "none"):
            continue
        if c.parent is not None and c.parent not in ids:
            continue
        subject = c.subject or (None if c.kind == "money" else "people")
        if c.kind == "money":
            subject = c.currency
        paragraph = text.rfind("\n\n", 0, c.qstart)
        about = _place_for(c, places, sents.bounds(c.num.start), None)
        if about is None:  # no place in the sentence: the previous figure's in the same paragraph, else the main one
            about = last_about[1] if last_about[0] == paragraph and last_about[1] else main
        last_about = (paragraph, about)
        fig = Figure(
            doc=ctx.doc_id, start=c.qstart, end=c.end, sentence=sents.sentence(c.num.start), value=c.num.value,
            value_text=c.num.text, qualifier=c.qualifier, category=c.category or "other", subject=subject,
            about=about, parent=ids.get(c.parent) if c.parent is not None else None,
        )
        ids[i] = fig.id
        records.append(fig)
    return records
