"""Event places and event times of a sentence, read from its records and resolved on the gazetteer.

A *place mention* is a name the sentence gives as where something happened: an allegation's ``place``, a figure's
``about``, or a capitalised name after "in", "near", "the town of" ... (``data/incidents.yaml`` ``place_cues``).
It is not an event place when it is

* a dateline ("GENEVA (12 April 2023) –", "KYIV, March 3 (Reuters) -") at the start of the sentence,
* where something was said or who is seated there ("told reporters in Geneva", "headquartered in Doha"),
* an adjective ("London-based", "Kremlin-backed"),
* a capital used for its government ("Moscow said", "Kyiv's claims") unless a place cue precedes it ("in Kyiv").

It resolves (:func:`resolve`) to a GeoNames populated place, preferring the document's own countries (the states
its actor records and place mentions name); a region ("Tigray", "the Kherson region") to a region of its country;
a country name to the country; a name the gazetteer does not hold, to that name within the document's main country.

A date is *background* when it dates another event than the sentence's ("since the attacks of 7 October", "the
anniversary of", "the 2020 war"): it gives the sentence no event time.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from counterclaim.link.gazetteer import Gazetteer, Place, fold, places_data

WELL_KNOWN = 100_000  # a place outside the document's countries is believed only when this populous


@lru_cache(maxsize=1)
def _sets() -> dict[str, frozenset[str]]:
    d = places_data()
    return {
        "regions": frozenset(fold(x) for x in d["regions"]),
        "not_places": frozenset(fold(x) for x in d["not_places"]),
        "followers": frozenset(x.lower() for x in d["metonym_followers"]),
        "region_words": frozenset(x.lower() for x in d["region_words"]),
    }


@lru_cache(maxsize=1)
def _seat_re() -> re.Pattern[str]:
    cues = sorted(places_data()["seat_cues"], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")\s+(?:the\s+)?$", re.I)


DATELINE = re.compile(
    r"^\s*(?P<name>[A-Z][A-Za-z'’ .-]{1,40}?)\s*(?:,\s*[A-Z][a-z]+\.? \d{1,2}\s*)?(?:\([^)]{0,60}\))?\s*[—–-]{1,2}\s")
BACKGROUND = re.compile(
    r"\b(?:since|after|following|before|prior to|in the wake of|anniversary of|marks?|marking|remember(?:ing)?|"
    r"commemorat\w*)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,4}(?:war|attacks?|offensive|conflict|invasion|massacre|events|coup|"
    r"escalation|hostilities|ceasefire|truce|takeover|genocide|fighting|crisis|occupation|liberation)\s+(?:of|on|in)\s*$",
    re.I)
ANNIVERSARY = re.compile(r"\banniversar|\bcommemorat|\byears? (?:since|after|ago)\b|\bmarks? \w+ years\b", re.I)
EVENT_AFTER = re.compile(r"^\s*(?:-day\s+)?(?:war|conflict|invasion|offensive|uprising|revolution|elections?)\b", re.I)


def is_dateline(sentence: str, at: int, name: str) -> bool:
    """The name stands at the head of the text as a dateline ("GENEVA (12 April 2023) –")."""
    if at > 3:
        return False
    m = DATELINE.match(sentence)
    return bool(m and fold(m.group("name")).startswith(fold(name)[:4]))


def is_event_place(sentence: str, at: int, name: str, gaz: Gazetteer) -> bool:
    """Whether the name at ``at`` in the sentence is where something happened (see the module docstring)."""
    if is_dateline(sentence, at, name):
        return False
    before = sentence[max(0, at - 40) : at]
    after = sentence[at + len(name) : at + len(name) + 30]
    if _seat_re().search(before):
        return False
    if any(after.lower().startswith(s) for s in places_data()["adjective_suffixes"]):
        return False
    if gaz.capital(name):
        cue = re.search(r"\b(?:in|at|near|outside|on|around|into|of|from)\s+(?:the\s+)?$", before, re.I)
        nxt = re.match(r"\s*([\w’']+)", after)
        follower = (nxt.group(1).lower() if nxt else "") in _sets()["followers"] or after.startswith(("'s", "’s"))
        if follower or not cue:
            return False
    return True


def occurrences(sentence: str, name: str) -> list[int]:
    return [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", sentence)]


def event_place_names(sentence: str, named: Sequence[str], cue_re: re.Pattern[str], gaz: Gazetteer,
                      actor_words: set[str]) -> list[str]:
    """Names in the sentence that are event places: the records' places first, then names after place cues."""
    out: list[str] = []
    seen: set[str] = set()
    candidates: list[tuple[str, int | None]] = [(n, None) for n in named]
    for m in cue_re.finditer(sentence):
        candidates.append((m.group(1), m.start(1)))
    for raw, at in candidates:
        name = _trim(raw, actor_words)
        if not name or fold(name) in seen:
            continue
        spots = [at] if at is not None else occurrences(sentence, name)
        if not spots or not any(is_event_place(sentence, s, name, gaz) for s in spots):
            continue
        seen.add(fold(name))
        out.append(name)
    return out


def _trim(raw: str, actor_words: set[str]) -> str | None:
    value = re.sub(r"^(the )?((town|city|village|district|region|province|settlement|camp) of )?", "", raw.strip(),
                   flags=re.I).strip(" '’\".,;:")
    value = re.sub(r"[’']s$", "", value)
    bad = _sets()["not_places"]
    if fold(value) in bad:
        return None
    words = value.split()
    while words and (fold(words[-1]) in bad or words[-1].lower() in actor_words):
        words.pop()
    while words and fold(words[0]) in bad:
        words.pop(0)
    while words and words[-1].islower():  # "Horn of" left by a cut
        words.pop()
    name = " ".join(words)
    if not name or fold(name) in bad or name.isupper() and len(name) > 4:
        return None
    return name


def document_countries(names: Iterable[str], gaz: Gazetteer) -> list[str]:
    """ISO codes of the states a document names (actor records, country names), most frequent first."""
    counts: Counter[str] = Counter()
    for n in names:
        code = gaz.country(n)
        if code:
            counts[code] += 1
    return [c for c, _ in counts.most_common()]


def resolve(name: str, countries: Sequence[str], gaz: Gazetteer, sentence: str = "") -> Place | None:
    """The gazetteer entry a place name stands for in a document about ``countries`` (see the module docstring)."""
    suffix = re.match(r"(.+?)\s+(" + "|".join(_sets()["region_words"]) + r")$", name, re.I)
    if suffix:  # "Sa'dah Governorate", "Borno State"
        name, sentence = suffix.group(1), f"{suffix.group(1)} {suffix.group(2)}"
    key = fold(name)
    at = sentence.find(name)
    after = sentence[at + len(name) : at + len(name) + 14].lower() if at >= 0 else ""
    region_word = bool(re.match(r"\W*(" + "|".join(_sets()["region_words"]) + r")\b", after))
    code = gaz.country_name(name)
    if key in _sets()["regions"] or region_word:
        cities = gaz.cities(name)
        city = next((p for p in cities if p.country in countries), None) if countries else None
        city = city or next((p for p in cities if p.population >= WELL_KNOWN // 2), None)
        country = code or (city.country if city else (countries[0] if countries else None))
        return Place(name, country, city.admin1 if city else None, None, None, "R")
    if code:
        return gaz.country_place(code)
    if key in gaz.countries.demonyms:
        return None
    cities = gaz.cities(name)
    local = [p for p in cities if p.country in countries]
    local = local or [p for p in cities if p.country in gaz.neighbours(list(countries[:2]))]  # the Golan, Gaza
    if local:
        return replace(local[0], name=name, entry=local[0].name)
    if cities and cities[0].population >= WELL_KNOWN:
        return replace(cities[0], name=name, entry=cities[0].name)
    return Place(name, countries[0] if countries else None, None, None, None, "U")


def distance_km(a: Place, b: Place) -> float:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return math.inf
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(min(1.0, h)))


def same_place(a: Place, b: Place) -> bool:
    """Equal entries, two places within ``near_km``, or a region and a place (or region) of its admin1."""
    if a.key == b.key:
        return True
    if a.country != b.country or a.feature == "A" or b.feature == "A":
        return False
    if a.feature == "P" and b.feature == "P":
        return distance_km(a, b) <= float(places_data()["near_km"])
    if "R" in (a.feature, b.feature):
        return bool(a.admin1 and a.admin1 == b.admin1)
    return False


UNREAD_DATE = re.compile(
    r"\b(?:on|since|from)\s+(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|(?:January|February|March|"
    r"April|May|June|July|August|September|October|November|December)\s+\d|\d{1,2}\s+(?:January|February|March|April|"
    r"May|June|July|August|September|October|November|December)\b)")


def names_a_date(sentence: str) -> bool:
    """The sentence dates its event ("on March 14", "on Saturday") though no date record was read from it."""
    return bool(UNREAD_DATE.search(sentence))


def is_background(sentence: str, text: str) -> bool:
    """A date that dates another event than the sentence's ("since the attacks of 7 October", "the 2020 war")."""
    i = sentence.find(text) if text else -1
    if i < 0:
        return False
    before = sentence[max(0, i - 60) : i]
    after = sentence[i + len(text) : i + len(text) + 20]
    return bool(BACKGROUND.search(before) or EVENT_AFTER.match(after) or ANNIVERSARY.search(sentence))
