"""Incidents: records from one or many documents that describe the same event (place + time + act).

Records are first gathered per sentence into *mentions*: the acts the sentence's allegations name (grouped into
families by ``data/incidents.yaml``; figure categories and video evidence count too), its place (the allegation's
``place``, the figure's ``about``, else a capitalised name after "in", "near", "the town of" ... that is not an
actor) and its time (the dates written in the sentence, "since" making the interval open). Two mentions describe
the same incident when

* their places are equal and their times overlap, or
* their acts share a family, their places do not conflict, and their times overlap, or
* their acts share a family, their places are equal, and one of them has no time, or
* their places are equal, one has no time, and one names no act ("the occupation of Khojaly"), or
* they name the same specific act (not one of a broad family such as "violence"), neither names a place, and at
  most one has a time ("landmines killing civilians" in two renderings of one statement).

An open interval ("since 2020") overlaps only another open one starting the same year: "killed since 2020"
is a running total, not the event of any single day after it.

Incidents are the connected groups; each lists every allegation, figure and quote about it, from every source.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from counterclaim.records import Allegation, DateMention, Figure, Quote, Record, make_id
from counterclaim.store import Ledger

VERSION = "incidents-2"  # bump when the grouping rules change: stored incidents are then rebuilt

MONTHS = {m.lower() for m in calendar.month_name if m} | {m.lower() for m in calendar.month_abbr if m}
DAYS = {d.lower() for d in calendar.day_name}
OPEN_END = "9999-12-31"


@lru_cache(maxsize=1)
def incident_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        resources.files("counterclaim.data").joinpath("incidents.yaml").read_text("utf-8")
    )
    return data


@lru_cache(maxsize=1)
def _family_of() -> dict[str, str]:
    return {act: fam for fam, acts in incident_data()["act_families"].items() for act in acts}


@lru_cache(maxsize=1)
def _place_re() -> re.Pattern[str]:
    cues = sorted(incident_data()["place_cues"], key=len, reverse=True)
    alt = "|".join(re.escape(c) for c in cues)
    return re.compile(rf"\b(?:{alt})\s+((?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+){{0,2}})")


@dataclass
class Mention:
    """The records of one sentence of one document, with the event keys they give."""

    doc: str
    sentence: str
    records: list[Record] = field(default_factory=list)
    families: set[str] = field(default_factory=set)
    acts: set[str] = field(default_factory=set)
    place: str | None = None
    start: str | None = None  # ISO date, inclusive
    end: str | None = None  # ISO date, inclusive; OPEN_END for "since ..."
    time_text: str | None = None

    @property
    def span(self) -> tuple[int, int]:
        return min(r.start for r in self.records), max(r.end for r in self.records)


def interval(date: str, precision: str | None = None) -> tuple[str, str]:
    """The days an ISO date (YYYY, YYYY-MM or YYYY-MM-DD) covers."""
    parts = date.split("-")
    if len(parts) == 1 or precision == "year":
        return f"{parts[0]}-01-01", f"{parts[0]}-12-31"
    year, month = int(parts[0]), int(parts[1])
    if len(parts) == 2 or precision == "month":
        last = calendar.monthrange(year, month)[1]
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    return date[:10], date[:10]


def _since(sentence: str, text: str) -> bool:
    i = sentence.find(text) if text else -1
    before = sentence[max(0, i - 40) : i].lower() if i >= 0 else ""
    return bool(re.search(r"\b(since|from|after)\b[^,.;]*$", before))


def place_in(sentence: str, actor_names: set[str]) -> str | None:
    """A specific place named in the sentence (not an actor such as a state, not a month)."""
    for match in _place_re().finditer(sentence):
        words = match.group(1).split()
        while words and (words[-1].lower() in MONTHS | DAYS or words[-1].lower() in actor_names):
            words.pop()
        name = " ".join(words).strip("'’")
        if not name or name.lower() in actor_names or name.lower() in MONTHS | DAYS or name.isupper():
            continue
        return name
    return None


def _clean_place(value: str | None, actor_names: set[str]) -> str | None:
    if not value:
        return None
    value = re.sub(r"^(the )?((town|city|village|district|region|province|settlement) of )?", "", value.strip(),
                   flags=re.I)
    return None if value.lower() in actor_names else value


def build_mentions(records: Iterable[Record]) -> list[Mention]:
    """Mentions (one per document sentence holding an allegation or figure) with their acts, place and time."""
    by_sentence: dict[tuple[str, str], list[Record]] = {}
    actors: set[str] = set()
    for rec in records:
        if rec.TYPE == "actor":
            actors.add(str(getattr(rec, "actor", "")).lower())
            actors.add(str(getattr(rec, "text", "")).lower())
            continue
        by_sentence.setdefault((rec.doc, rec.sentence), []).append(rec)
    data = incident_data()
    family = _family_of()
    out: list[Mention] = []
    for (doc, sentence), recs in by_sentence.items():
        if not any(isinstance(r, Allegation | Figure) for r in recs):
            continue
        m = Mention(doc, sentence, sorted(recs, key=lambda r: r.start))
        places: list[str] = []  # allegation places, then a place named in the sentence, then figures' "about"
        about: list[str] = []
        for r in recs:
            if isinstance(r, Allegation):
                m.acts.add(r.act)
                m.acts |= {data["evidence_acts"][e] for e in r.evidence if e in data["evidence_acts"]}
                if p := _clean_place(r.place, actors):
                    places.append(p)
                if r.time:
                    _widen(m, *interval(r.time), r.time)
            elif isinstance(r, Figure):
                if p := _clean_place(r.about, actors):
                    about.append(p)
            elif isinstance(r, DateMention) and not r.resolved:
                start, end = interval(r.date, r.precision)
                if _since(sentence, r.text):
                    end = OPEN_END
                _widen(m, start, end, r.text or r.date)
        if not any(a in family for a in m.acts):  # the figures name the act only when no allegation does
            m.acts |= {data["figure_acts"][r.category] for r in recs
                       if isinstance(r, Figure) and r.category in data["figure_acts"]}
        m.families = {family[a] for a in m.acts if a in family}
        written = [p for p in places + about if p.lower() in sentence.lower()]  # a place must be in the sentence
        m.place = next((p for p in written if p in places), None) or place_in(sentence, actors) or (
            written[0] if written else None)
        if m.families or m.place:
            out.append(m)
    return out


def _widen(m: Mention, start: str, end: str, text: str) -> None:
    m.start = min(m.start, start) if m.start else start
    m.end = max(m.end, end) if m.end else end
    m.time_text = m.time_text or text


def _times_overlap(a: Mention, b: Mention) -> bool:
    """Closed intervals that overlap, or two open ones ("since 2020") starting in the same year."""
    if not (a.start and b.start and a.end and b.end):
        return False
    if (a.end == OPEN_END) != (b.end == OPEN_END):
        return False
    if a.end == OPEN_END:
        return a.start[:4] == b.start[:4]
    return a.start <= b.end and b.start <= a.end


def _same_place(a: Mention, b: Mention) -> bool:
    return bool(a.place and b.place and a.place.lower() == b.place.lower())


def same_incident(a: Mention, b: Mention) -> bool:
    """Whether two mentions describe one event (see the module docstring for the rules)."""
    places_conflict = bool(a.place and b.place and not _same_place(a, b))
    if places_conflict:
        return False
    overlap = _times_overlap(a, b)
    if _same_place(a, b) and overlap:
        return True
    one_untimed = a.start is None or b.start is None
    if _same_place(a, b) and one_untimed and (not a.families or not b.families):
        return True  # "the occupation of Khojaly": a sentence about the place names no act of its own
    shared = a.families & b.families
    if not shared:
        return False
    if overlap or (_same_place(a, b) and one_untimed):
        return True
    # the same specific act (landmines, videos ...) with no place on either side and a time on at most one
    family = _family_of()
    broad = set(incident_data()["broad_families"])
    same_act = {x for x in a.acts & b.acts if x in family and family[x] not in broad}
    both_timed = a.start is not None and b.start is not None
    return bool(same_act) and not a.place and not b.place and not both_timed


def tie_renderings(
    mentions: Sequence[Mention], aligned: Iterable[tuple[str, int, int, str, int, int]]
) -> list[tuple[int, int]]:
    """Mentions in sentences that lineage aligned (two renderings of one statement) describe the same thing.

    Their acts are shared (a rewrite may name the mines one sentence earlier) and the pairs returned are grouped
    together whatever their keys say.
    """
    index: dict[str, list[int]] = {}
    for i, m in enumerate(mentions):
        index.setdefault(m.doc, []).append(i)

    def within(doc: str, start: int, end: int) -> list[int]:
        return [i for i in index.get(doc, ()) if mentions[i].span[0] < end and start < mentions[i].span[1]]

    ties: list[tuple[int, int]] = []
    for doc, ds, de, other, os_, oe in aligned:
        for i in within(doc, ds, de):
            for j in within(other, os_, oe):
                a, b = mentions[i], mentions[j]
                a.families |= b.families
                b.families |= a.families
                a.start, a.end = a.start or b.start, a.end or b.end
                b.start, b.end = b.start or a.start, b.end or a.end
                ties.append((i, j))
    return ties


def group_mentions(mentions: Sequence[Mention], ties: Iterable[tuple[int, int]] = ()) -> list[list[Mention]]:
    """Connected groups of mentions under :func:`same_incident` (pairs compared within act families and places),
    with the ``ties`` (index pairs) grouped together in any case."""
    parent = list(range(len(mentions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    buckets: dict[str, list[int]] = {}
    for i, m in enumerate(mentions):
        for key in [f"f:{f}" for f in m.families] + ([f"p:{m.place.lower()}"] if m.place else []):
            buckets.setdefault(key, []).append(i)
    for members in buckets.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if find(i) != find(j) and same_incident(mentions[i], mentions[j]):
                    parent[find(j)] = find(i)
    for i, j in ties:
        parent[find(j)] = find(i)
    groups: dict[int, list[Mention]] = {}
    for i, m in enumerate(mentions):
        groups.setdefault(find(i), []).append(m)
    return list(groups.values())


def _fmt_day(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{d} {calendar.month_abbr[m]} {y}"


def time_label(start: str | None, end: str | None) -> str:
    """"25–26 Feb 1992", "Sep 2022", "2020", "since Nov 2020"."""
    if not start or not end:
        return ""
    if end == OPEN_END:
        y, m, d = start.split("-")
        if m == "01" and d == "01":
            return f"since {y}"
        return f"since {calendar.month_abbr[int(m)]} {y}" if d == "01" else f"since {_fmt_day(start)}"
    sy, sm, sd = start.split("-")
    ey, em, ed = end.split("-")
    if (sm, sd, em, ed) == ("01", "01", "12", "31"):
        return sy if sy == ey else f"{sy}–{ey}"
    if sd == "01" and int(ed) == calendar.monthrange(int(ey), int(em))[1]:
        first = f"{calendar.month_abbr[int(sm)]} {sy}"
        last = f"{calendar.month_abbr[int(em)]} {ey}"
        return first if first == last else f"{first}–{last}"
    if start == end:
        return _fmt_day(start)
    if (sy, sm) == (ey, em):
        return f"{int(sd)}–{int(ed)} {calendar.month_abbr[int(sm)]} {sy}"
    return f"{_fmt_day(start)} – {_fmt_day(end)}"


def _incident_time(group: Sequence[Mention]) -> tuple[str | None, str | None]:
    """The most specific time the sources agree on: the narrowest interval, widened by those that overlap it."""
    timed = [m for m in group if m.start and m.end]
    if not timed:
        return None, None
    narrow = min(timed, key=lambda m: (m.end == OPEN_END, _days(m), m.start))
    start, end = str(narrow.start), str(narrow.end)
    if end == OPEN_END:
        return start, end
    for m in timed:  # "the night of 25 to 26 February" widens "February 26"; a whole month or year does not
        if m.end != OPEN_END and _days(m) <= 7 and str(m.start) <= end and start <= str(m.end):
            start, end = min(start, str(m.start)), max(end, str(m.end))
    return start, end


def _days(m: Mention) -> int:
    import datetime as dt

    if not m.start or not m.end or m.end == OPEN_END:
        return 10**6
    return (dt.date.fromisoformat(m.end) - dt.date.fromisoformat(m.start)).days


def describe(group: Sequence[Mention], quotes: Sequence[Quote] = ()) -> dict[str, Any]:
    """The stored form of one incident: id, readable label, place, time, acts, documents and member records."""
    data = incident_data()
    places = Counter(m.place for m in group if m.place)
    place = places.most_common(1)[0][0] if places else None
    fams = Counter(f for m in group for f in m.families)
    acts = sorted({a for m in group for a in m.acts})
    start, end = _incident_time(group)
    when = time_label(start, end)
    ranked = [f for f, _ in sorted(fams.items(), key=lambda kv: (-kv[1], kv[0]))]  # ties by name, not set order
    if "video" in ranked and len(ranked) > 1:  # "videos: prisoners and detainees"
        ranked.remove("video")
        what = f"{data['family_labels']['video']}: {data['family_labels'].get(ranked[0], ranked[0])}"
    else:
        what = data["family_labels"].get(ranked[0], ranked[0]) if ranked else ""
    if place:
        label = f"{place}, {when}" if when else place
        if what and not when:
            label = f"{place}: {what}"
    else:
        label = f"{what} {when}".strip() or "unplaced incident"
    label = label[0].upper() + label[1:]
    records: dict[str, Record] = {}
    for m in group:
        for r in m.records:
            if r.TYPE in ("allegation", "figure", "quote", "date"):
                records[r.id] = r
    spans = {(m.doc, m.sentence) for m in group}
    for q in quotes:
        if any(q.doc == d and (s in q.text or q.text in s or q.sentence == s) for d, s in spans):
            records[q.id] = q
    docs = sorted({m.doc for m in group})
    ident = make_id("incident", place, start, end, *sorted(fams))
    return {
        "id": ident, "label": label, "place": place, "start": start,
        "end": None if end == OPEN_END else end, "acts": acts, "docs": docs,
        "records": [{"id": r.id, "doc": r.doc, "type": r.TYPE} for r in records.values()],
        "figures": [r for r in records.values() if isinstance(r, Figure)],
    }


def keep(group: Sequence[Mention]) -> bool:
    """An incident worth listing: told by two documents, or by two sentences of one."""
    return len({m.doc for m in group}) >= 2 or len(group) >= 2


def build_incidents(ledger: Ledger) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every incident (with its member records) and every figure comparison, from the ledger's records."""
    from counterclaim.link.reconcile import compare_figures

    records: list[Record] = []
    for type_ in ("allegation", "figure", "date", "actor"):
        records += ledger.records(type_)
    quotes = [r for r in ledger.records("quote") if isinstance(r, Quote)]
    incidents, comparisons = [], []
    seen: set[str] = set()
    from counterclaim.store.links import LinkStore

    mentions = build_mentions(records)
    ties = tie_renderings(mentions, LinkStore(ledger).aligned_spans())
    for group in group_mentions(mentions, ties):
        if not keep(group):
            continue
        inc = describe(group, quotes)
        if inc["id"] in seen:
            continue
        seen.add(inc["id"])
        comparisons += compare_figures(inc["id"], inc.pop("figures"))
        incidents.append(inc)
    incidents.sort(key=lambda i: (i["start"] or "9999", i["label"]))
    return incidents, comparisons
