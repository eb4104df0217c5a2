"""Incidents: the events that records from one or many documents describe (one place, one time, one kind of act).

**Mentions.** The records of one sentence (allegations, figures, dates, quotes) form a *mention* when the sentence
holds an allegation or a figure. A mention has

* its acts (allegation acts, grouped into families by ``data/incidents.yaml``; figure categories name the act only
  when no allegation does; video evidence counts),
* its event place (:mod:`counterclaim.link.places`: an allegation's place, a figure's "about", or a name after
  "in", "near" ... that is not a dateline, a seat, an adjective or a capital standing for its government), resolved
  on the gazetteer with the document's countries,
* its event time: the dates written in the sentence that are not background ("since the attacks of 7 October"),
  "since 2020" making the interval open; relative dates ("on Monday") come resolved from the dateline by extraction.
  An interval longer than a year ("between 2014 and 2022") is a period, not an event time.

A mention whose only date is background is itself background: it never starts an incident.

**Incidents** are built incrementally: each new document's mentions are compared with the existing incidents of the
same country whose core interval is near theirs (an index on country + start; no pair of mentions is compared), and
join the best compatible one, or start their own. A mention is compatible with an incident when

* their countries agree (the place's country, else the document's countries),
* their act families share one (or one side names no act),
* both timed: the intervals overlap, day-precise ones within a day's tolerance, open ones ("since 2020") only with
  open ones of the same year; a day-precise strike never joins one a year later,
* both placed: the same or a nearby place (``near_km``), or a place inside the region mentioned (same admin1);
* one unplaced: both day-precise and the same day, with a shared act family;
* neither timed nor placed: the same specific act (landmines, videos; not the broad "violence").

An untimed mention joins only when exactly one incident fits (or one already holds its document): it cannot chain
two events. Sentences that lineage aligned (two renderings of one statement) join the same incident whatever their
keys. Incidents keep a *core* interval (the narrowest time their sources give, widened by day-precise times that
overlap it), so a loose mention never widens the incident for the next one.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from counterclaim.link.gazetteer import Gazetteer, Place, gazetteer
from counterclaim.link.places import (
    document_countries,
    event_place_names,
    is_background,
    names_a_date,
    resolve,
    same_place,
)
from counterclaim.records import ActorMention, Allegation, DateMention, Figure, Record

VERSION = "incidents-3"  # bump when the grouping rules change: stored incidents are then rebuilt

MONTHS = {m.lower() for m in calendar.month_name if m} | {m.lower() for m in calendar.month_abbr if m}
DAYS = {d.lower() for d in calendar.day_name}
OPEN_END = "9999-12-31"
MAX_EVENT_DAYS = 366  # a longer interval is a period, not the time of one event
DAY_TOLERANCE = 1


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
    return re.compile(rf"\b(?i:{alt})\s+((?:[A-Z][\w'’-]+)(?:\s+(?:al-|el-|de\s+)?[A-Z][\w'’-]+){{0,2}})")


@dataclass
class Mention:
    """The records of one sentence of one document, with the event keys they give."""

    doc: str
    start: int
    end: int
    sentence: str = ""
    records: list[tuple[str, str]] = field(default_factory=list)  # (record id, type)
    families: set[str] = field(default_factory=set)
    acts: set[str] = field(default_factory=set)
    place: Place | None = None
    countries: list[str] = field(default_factory=list)  # the place's country, else the document's
    t0: str | None = None  # ISO date, inclusive
    t1: str | None = None  # ISO date, inclusive; OPEN_END for "since ..."
    prec: str | None = None  # day | month | year | open
    time_text: str | None = None
    background: bool = False
    grp: int | None = None
    id: int | None = None

    @property
    def specific(self) -> set[str]:
        """Acts specific enough to single out an event without a place or time (not of a broad family)."""
        family = _family_of()
        broad = set(incident_data()["broad_families"])
        return {a for a in self.acts if a in family and family[a] not in broad}

    @property
    def located(self) -> bool:
        return self.place is not None and self.place.feature != "A"


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
    return bool(re.search(r"\b(since|from)\b[^,.;]*$", before)) and not re.search(r"\bfrom\b.*\b(to|until)\b",
                                                                                  sentence[i:].lower())


def days(t0: str, t1: str) -> int:
    return (dt.date.fromisoformat(t1) - dt.date.fromisoformat(t0)).days


def _shift(iso: str, n: int) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=n)).isoformat()


def _precision(t0: str, t1: str) -> str:
    if t1 == OPEN_END:
        return "open"
    n = days(t0, t1)
    return "day" if n <= 7 else "month" if n <= 31 else "year"


def document_mentions(records: Sequence[Record], gaz: Gazetteer | None = None) -> list[Mention]:
    """The mentions of one document's records (see the module docstring)."""
    gaz = gaz or gazetteer()
    by_sentence: dict[str, list[Record]] = {}
    actor_words: set[str] = set()
    state_names: list[str] = []
    for rec in records:
        if isinstance(rec, ActorMention):
            actor_words |= {rec.actor.lower(), rec.text.lower()}
            if rec.kind == "state":
                state_names.append(rec.actor)
            elif rec.state:
                state_names.append(rec.state)
            continue
        if rec.TYPE in ("allegation", "figure", "date", "quote"):
            by_sentence.setdefault(rec.sentence, []).append(rec)
    countries = first = document_countries(state_names, gaz)
    places_of: dict[str, list[Place]] = {}
    for sentence, recs in by_sentence.items():  # the document's places weigh on its countries (twice a state name)
        if not any(isinstance(r, Allegation | Figure) for r in recs):
            continue
        named = [r.place for r in recs if isinstance(r, Allegation) and r.place] + [
            r.about for r in recs if isinstance(r, Figure) and r.about]
        names = event_place_names(sentence, named, _place_re(), gaz, actor_words)
        places_of[sentence] = [p for p in (resolve(n, countries, gaz, sentence) for n in names) if p is not None]
    placed = [p.country for ps in places_of.values() for p in ps if p.country and p.feature in "PRA"]
    countries = [c for c, _ in Counter(_codes(state_names, gaz) + placed * 2).most_common()] or countries
    reference = _reference_year(records)
    data = incident_data()
    family = _family_of()
    out: list[Mention] = []
    for sentence, recs in by_sentence.items():
        if not any(isinstance(r, Allegation | Figure) for r in recs):
            continue
        recs = sorted(recs, key=lambda r: (r.start, r.TYPE))
        m = Mention(recs[0].doc, min(r.start for r in recs), max(r.end for r in recs), sentence,
                    [(r.id, r.TYPE) for r in recs])
        backgrounds = 0
        for r in recs:
            if isinstance(r, Allegation):
                m.acts.add(r.act)
                m.acts |= {data["evidence_acts"][e] for e in r.evidence if e in data["evidence_acts"]}
            elif isinstance(r, DateMention):
                old = r.precision == "year" and reference is not None and int(r.date[:4]) < reference - 3
                if old or is_background(sentence, r.text):
                    backgrounds += 1
                    continue
                t0, t1 = interval(r.date, r.precision)
                if _since(sentence, r.text):
                    if r.precision == "day":  # "since October 7": a day names the event the count runs from
                        backgrounds += 1
                        continue
                    t1 = OPEN_END
                _widen(m, t0, t1, r.text or r.date)
        if not m.t0 and (backgrounds or names_a_date(sentence)):
            m.background = True  # its only date dates another event, or a date that could not be read
        if m.t0 and m.t1 and m.t1 != OPEN_END and days(m.t0, m.t1) > MAX_EVENT_DAYS:
            m.t0 = m.t1 = m.time_text = None  # a period ("between 2014 and 2022"), not an event's time
        m.prec = _precision(m.t0, m.t1) if m.t0 and m.t1 else None
        if not any(a in family for a in m.acts):  # the figures name the act only when no allegation does
            m.acts |= {data["figure_acts"][r.category] for r in recs
                       if isinstance(r, Figure) and r.category in data["figure_acts"]}
        m.families = {family[a] for a in m.acts if a in family}
        places = places_of[sentence] if countries == first else [
            p for p in (resolve(p.name, countries, gaz, sentence) for p in places_of[sentence]) if p is not None]
        at = {p.name: (sentence.find(p.name) if p.name in sentence else len(sentence)) for p in places}
        places.sort(key=lambda p: (p.feature == "A", p.feature == "R", at[p.name]))  # the first town or village
        m.place = next(iter(places), None)
        m.countries = [m.place.country] if m.place and m.place.country else list(countries[:1])
        if m.families or m.located:
            out.append(m)
    return out


def _codes(names: Iterable[str], gaz: Gazetteer) -> list[str]:
    return [c for c in (gaz.country(n) for n in names) if c]


def _reference_year(records: Sequence[Record]) -> int | None:
    """The latest year a document's dates name (its present: older years are history)."""
    years = [int(r.date[:4]) for r in records if isinstance(r, DateMention) and r.date[:4].isdigit()]
    return max(years) if years else None


def _widen(m: Mention, start: str, end: str, text: str) -> None:
    if m.t0 is None or m.t1 is None:
        m.t0, m.t1, m.time_text = start, end, text
        return
    if (end == OPEN_END) != (m.t1 == OPEN_END):  # a closed date wins over a running total's start
        if end != OPEN_END:
            m.t0, m.t1, m.time_text = start, end, text
        return
    m.t0, m.t1 = min(m.t0, start), max(m.t1, end)


@dataclass
class Group:
    """The summary of an incident used to match new mentions: country, place, core interval, act families."""

    id: int
    country: str | None
    place: Place | None
    t0: str | None
    t1: str | None
    prec: str | None
    families: set[str]
    specific: set[str]

    @property
    def located(self) -> bool:
        return self.place is not None and self.place.feature != "A"


def times_fit(m: Mention, g: Group) -> bool:
    """Both timed: overlapping intervals (day-precise ones within a day), open ones only with open ones."""
    if not (m.t0 and m.t1 and g.t0 and g.t1):
        return False
    if (m.t1 == OPEN_END) != (g.t1 == OPEN_END):
        return False
    if m.t1 == OPEN_END:
        return m.t0[:4] == g.t0[:4]
    tol = DAY_TOLERANCE if m.prec == "day" and g.prec == "day" else 0
    return m.t0 <= _shift(g.t1, tol) and g.t0 <= _shift(m.t1, tol)


def compatible(m: Mention, g: Group) -> bool:
    """Whether a mention can belong to an incident (see the module docstring)."""
    if g.country and m.countries and g.country not in m.countries:
        return False
    if m.families and g.families and not m.families & g.families:
        return False
    timed = m.t0 is not None and g.t0 is not None
    if timed and not times_fit(m, g):
        return False
    if m.located and g.located:
        assert m.place is not None and g.place is not None
        return same_place(m.place, g.place)
    if timed:
        return bool(m.families & g.families) and m.prec == "day" and g.prec == "day"
    if m.located or g.located:
        return False
    return bool(m.specific & g.specific) and (m.t0 is None or g.t0 is None)


BIG_CITY = 100_000


def specific_enough(m: Mention, g: Group) -> bool:
    """Without a time, only a shared specific act or a small place (a village, a camp, a town) ties two documents:
    "Gaza" or "Donetsk" and "killings" name too many events."""
    if m.specific & g.specific:
        return True
    p = g.place if g.located else m.place if m.located else None
    return p is not None and p.feature in "PU" and p.population < BIG_CITY


def rank(m: Mention, g: Group) -> tuple[int, int, int]:
    """Higher is better: the same place entry, more shared families, a narrower core."""
    same = int(bool(m.place and g.place and m.place.key == g.place.key))
    width = days(g.t0, g.t1) if g.t0 and g.t1 and g.t1 != OPEN_END else 10**6
    return same, len(m.families & g.families), -width


def absorb(g: Group, m: Mention) -> None:
    """Update an incident's summary with a member: the narrowest time wins; a place fills an unplaced incident."""
    g.families |= m.families
    g.specific |= m.specific
    if g.country is None and m.countries:
        g.country = m.countries[0]
    if m.located and not g.located or g.place is None and m.place is not None:
        g.place = m.place
    if m.t0 and m.t1 and (m.families or not g.families):  # "annexed in 1981" does not date the strike
        if not g.t0 or not g.t1:
            g.t0, g.t1, g.prec = m.t0, m.t1, m.prec
        elif m.t1 != OPEN_END and g.t1 != OPEN_END:
            if days(m.t0, m.t1) < days(g.t0, g.t1):
                g.t0, g.t1, g.prec = m.t0, m.t1, m.prec
            elif m.prec == "day" and g.prec == "day" and times_fit(m, g):  # "the night of 25 to 26 February"
                g.t0, g.t1 = min(g.t0, m.t0), max(g.t1, m.t1)  # widens "26 February"
                g.prec = _precision(g.t0, g.t1)


def times_conflict(m: Mention, g: Group) -> bool:
    """Both timed and not fitting: even aligned sentences then tell two events ("again, a year later")."""
    return bool(m.t0 and g.t0) and not times_fit(m, g)


def can_start(m: Mention) -> bool:
    """Whether a mention may start an incident: not background, and with a time, a place or a specific act."""
    return not m.background and (m.t0 is not None or m.located or bool(m.specific))


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


def label(g: Group, gaz: Gazetteer | None = None) -> str:
    """"Bucha, Mar 2022", "Khojaly: killings and attacks", "Landmine casualties since 2020"."""
    data = incident_data()
    broad = set(data["broad_families"])
    ranked = sorted((f for f in data["family_labels"] if f in g.families), key=lambda f: f in broad)
    if "video" in ranked and len(ranked) > 1:  # "videos: prisoners and detainees"
        ranked.remove("video")
        what = f"{data['family_labels']['video']}: {data['family_labels'][ranked[0]]}"
    else:
        what = data["family_labels"][ranked[0]] if ranked else ""
    when = time_label(g.t0, g.t1)
    place = g.place.name if g.place else None
    if place and g.place and g.place.feature != "A" and g.country and gaz:
        country = gaz.countries.info.get(g.country, {}).get("name")
        if country and g.place.feature in "RU":
            place = f"{place} ({country})"
    if place:
        text = f"{place}, {when}" if when else f"{place}: {what}" if what else place
    else:
        text = f"{what} {when}".strip() or "unplaced incident"
    return text[0].upper() + text[1:]


def keep(mentions: Sequence[Mention]) -> bool:
    """An incident worth listing: told by two documents, or by two sentences of one."""
    return len(mentions) >= 2
