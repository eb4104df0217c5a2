"""Metadata found in the document text itself: dateline dates, bylines, publisher lines, a title, the language.

Used when the source (HTML meta tags, a feed entry, a JSONL field) says nothing. Only the header lines of the text
are examined (see ``data/metadata.yaml``): a date inside a sentence is an event, not the publication date. Each value
found comes with the character span of the line it was read from, so the claim "published 2022-10-04" is itself
traceable to the text.

Dates are read with a strict regex and a month table, not a fuzzy parser: no relative dates ("yesterday"), no
guessing of day/month order in numeric dates except ISO ``YYYY-MM-DD`` and ``DD.MM.YYYY``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@dataclass
class TextMetadata:
    """What the header of a text says about it. ``spans`` maps a field to the (start, end) of its evidence line."""

    published: str | None = None
    author: str | None = None
    publisher: str | None = None
    title: str | None = None
    language: str | None = None
    original_publisher: str | None = None  # the outlet a repost says the text comes from ("(Reuters)", "originally published by")
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Rules:
    header_lines: int
    dateline_max_words: int
    dateline_max_chars: int
    months: dict[str, int]
    byline: re.Pattern[str]
    outlet_words: frozenset[str]
    staff_suffix: re.Pattern[str]
    particles: frozenset[str]
    title_max: int
    title_cut: int
    lang_sample: int
    lang_min_letters: int
    date_patterns: tuple[re.Pattern[str], ...]
    agencies: dict[str, str]  # lower case → as written
    publisher_line: re.Pattern[str]
    original: re.Pattern[str]
    title_min_letter_share: float
    label_max_words: int
    category_max_words: int
    caption_markers: tuple[str, ...]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data: dict[str, Any] = yaml.safe_load(
        resources.files("counterclaim.data").joinpath("metadata.yaml").read_text("utf-8")
    )
    months = {str(name).lower(): int(num) for num, names in data["months"].items() for name in names}
    month_alt = "|".join(sorted((re.escape(m) for m in months), key=len, reverse=True))
    prefixes = "|".join(sorted((re.escape(p) for p in data["byline_prefixes"]), key=len, reverse=True))
    suffixes = "|".join(sorted((re.escape(s) for s in data["staff_suffixes"]), key=len, reverse=True))
    m = rf"\b(?P<month>{month_alt})\.?"
    date_patterns = (
        # 04 October 2022, 4 Oct. 2022, 26th February 2018, 12 de marzo de 2021, 26, February 2020
        re.compile(rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\.?,?\s+(?:de\s+)?{m},?\s+(?:de\s+)?(?P<year>\d{{4}})", re.I),
        # October 4, 2022 / Oct 4 2022
        re.compile(rf"{m}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})", re.I),
        # 2022-10-04 (optionally with a time)
        re.compile(r"(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?)?"),
        # 04.10.2022 (day first, the European convention; slashes are ambiguous and not read)
        re.compile(r"(?P<day>\d{1,2})\.(?P<mnum>\d{1,2})\.(?P<year>\d{4})"),
        # 2022/01/22 (year first: unambiguous)
        re.compile(r"(?<![\d/])(?P<year>\d{4})/(?P<mnum>\d{1,2})/(?P<day>\d{1,2})(?![\d/])"),
    )
    publisher_prefixes = "|".join(sorted((re.escape(p) for p in data["publisher_prefixes"]), key=len, reverse=True))
    original = "|".join(sorted((re.escape(p) for p in data["original_publisher_phrases"]), key=len, reverse=True))
    return _Rules(
        header_lines=int(data["header_lines"]),
        dateline_max_words=int(data["dateline_max_words"]),
        dateline_max_chars=int(data["dateline_max_chars"]),
        months=months,
        byline=re.compile(rf"^(?:{prefixes})\s*(?P<name>\S.*?)\s*$", re.I),
        outlet_words=frozenset(w.lower() for w in data["outlet_words"]),
        staff_suffix=re.compile(rf"(?:^|\s+)(?:{suffixes})$", re.I),
        particles=frozenset(data["name_particles"]),
        title_max=int(data["title_max_chars"]),
        title_cut=int(data["title_cut_chars"]),
        lang_sample=int(data["language_sample_chars"]),
        lang_min_letters=int(data["language_min_letters"]),
        date_patterns=date_patterns,
        agencies={str(a).lower(): str(a) for a in data["wire_agencies"]},
        publisher_line=re.compile(rf"^(?:{publisher_prefixes})\s*(?:the\s+)?(?P<name>[A-Z].{{1,100}}?)[\s.]*$", re.I),
        original=re.compile(rf"(?i:\b(?:{original})\s+(?:the\s+)?)(?P<name>[A-Z][\w&'’.-]*(?:\s+(?:of\s+|the\s+|and\s+)?"
                            rf"[A-Z][\w&'’.-]*){{0,5}})"),
        title_min_letter_share=float(data["title_min_letter_share"]),
        label_max_words=int(data["label_max_words"]),
        category_max_words=int(data["category_max_words"]),
        caption_markers=tuple(str(c).lower() for c in data["caption_markers"]),
    )


_DIGIT = re.compile(r"\d")


# -- dates ---------------------------------------------------------------------------------------------------------
def _date_from_match(m: re.Match[str], months: dict[str, int]) -> str | None:
    groups = m.groupdict()
    try:
        month = int(groups["mnum"]) if groups.get("mnum") else months[groups["month"].lower()]
        date = dt.date(int(groups["year"]), month, int(groups["day"]))
    except (KeyError, ValueError):
        return None
    if not 1900 <= date.year <= 2100:
        return None
    return date.isoformat()


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first full date (day, month, year) written in ``text``: (ISO date, start, end), or None."""
    rules = _rules()
    best: tuple[str, int, int] | None = None
    if not _DIGIT.search(text):  # no date without a number; the month alternation is the costly part
        return None
    for pattern in rules.date_patterns:
        for m in pattern.finditer(text):
            iso = _date_from_match(m, rules.months)
            if iso and (best is None or m.start() < best[1]):
                best = (iso, m.start(), m.end())
                break
    return best


def dateline_date(line: str) -> str | None:
    """The ISO date of a dateline ("Press release 04 October 2022", "Baku, 12 March 2021"), else None.

    A dateline is short: a lead-in of a few words, the date, and at most a time or a short tail after it.
    """
    rules = _rules()
    if len(line) > rules.dateline_max_chars:
        return None
    found = find_date(line)
    if found is None:
        return None
    iso, start, end = found
    lead, tail = line[:start], line[end:]
    if len(re.findall(r"\w+", lead)) > rules.dateline_max_words:
        return None
    if re.search(r"[.!?]\s", lead):  # a sentence before the date
        return None
    # after the date: nothing, a time ("10:45", "10:45 GMT+4"), or a separator and a few words ("| Baku")
    if tail.strip() and not re.fullmatch(r"\s*(?:[,|/·•–—-]\s*)?(?:\d{1,2}[:.]\d{2}\S*\s*)?(?:\S+\s*){0,3}", tail):
        return None
    return iso


_WIRE = re.compile(
    r"^(?P<place>[^\W\d_][\w'’ ./-]{1,40}?),\s*(?P<date>[^()\n]{3,30}?)\s*(?:\((?P<agency>[A-Z][\w .&'-]{1,30})\)\s*)?"
    r"[-–—]{1,2}\s"
)


#: a press-release dateline in brackets: "GENEVA (12 April 2023) –", "(Nairobi, April 25, 2024) –"
_BRACKETED = re.compile(
    r"^(?:(?P<place>[^\W\d_][\w'’ ./-]{1,40}?)\s*)?\((?:(?P<inner>[^\W\d_][\w'’ ./-]{1,40}?),\s*)?"
    r"(?P<date>[^()\n]{3,30}?)\)\s*[-–—]{1,2}\s"
)


#: "MOSCOW, December 30. /TASS/." (TASS and RIA write the outlet between slashes)
_SLASHED = re.compile(r"^(?P<place>[A-Z][A-Z'’ .-]{1,40}),\s*(?P<date>[^/\n]{3,30}?)\.?\s*/(?P<agency>[A-Z][\w -]{1,20})/")
#: "KYIV, Ukraine (AP) —", "GENEVA (Reuters) -", "(AFP) -": a place (and region), the outlet in brackets, a dash
_PAREN_AGENCY = re.compile(
    r"^(?:(?P<place>[^\W\d_][\w'’ ./-]{1,40}?)(?:,\s*(?P<region>[^\W\d_][\w'’ .-]{1,30}?))?\s*)?"
    r"\((?P<agency>[^()\d\n]{2,30})\)\s*[-–—]{1,2}\s"
)
#: "Damascus, SANA -", "Riyadh, SPA --": a place, a listed outlet, a dash
_COMMA_AGENCY = re.compile(r"^(?P<place>[^\W\d_][\w'’ .-]{1,40}?),\s*(?P<agency>[A-Z][\w.-]{1,20}?)\s*[-–—]{1,2}")


def _agency(name: str, *, listed_only: bool) -> str | None:
    """The outlet as written when ``name`` is a news agency (listed, or looking like one unless ``listed_only``)."""
    name = " ".join(name.split()).strip(" .")
    known = _rules().agencies.get(name.lower())
    if known or listed_only:
        return known
    if re.fullmatch(r"[A-Z][\w&.'-]*(?: [A-Z][\w&.'-]*){0,3}", name) and find_date(name) is None:
        return name
    return None


def _other_wire(line: str) -> tuple[str | None, str | None]:
    """The outlet forms of wire datelines that carry no full date: slashed, bracketed, after a comma."""
    m = _SLASHED.match(line)
    if m and (agency := _agency(m.group("agency"), listed_only=False)):
        found = find_date(m.group("date"))
        iso = found[0] if found and found[1] == 0 and found[2] == len(m.group("date")) else None
        return iso, agency
    m = _PAREN_AGENCY.match(line)
    if m:
        place = m.group("place")
        capitals = bool(place) and place == place.upper() and place[0].isalpha()
        agency = _agency(m.group("agency"), listed_only=not capitals)
        if agency and (place is None or place[0].isupper()):
            return None, agency
    m = _COMMA_AGENCY.match(line)
    if m and m.group("place")[0].isupper() and (agency := _agency(m.group("agency"), listed_only=True)):
        return None, agency
    return None, None


def wire_dateline(line: str) -> tuple[str | None, str | None]:
    """(ISO date, agency) of a wire-style dateline opening a paragraph, else (None, None).

    "GAZA, Oct 12 (Reuters) - Hamas accused ..." → (None, "Reuters") (no year: no date);
    "SANA'A, 10 August 2018 - An airstrike ..." → ("2018-08-10", None); a press release's "GENEVA (12 April 2023) –"
    or "(Nairobi, April 25, 2024) –" → (date, None). The place must be written in capitals or capitalised, and a
    dash must follow the date (or the agency), as news agencies write it.
    """
    m = _WIRE.match(line)
    if not m or not m.group("place")[0].isupper():
        b = _BRACKETED.match(line)
        place = b and (b.group("place") or b.group("inner"))
        if b and place and place[0].isupper():
            found = find_date(b.group("date"))
            if found and found[1] == 0 and found[2] == len(b.group("date")):
                return found[0], None
        return _other_wire(line)
    date_text, agency = m.group("date"), m.group("agency")
    trailing = re.fullmatch(r"(?P<date>.+?),\s*(?P<agency>[A-Z][\w.-]{1,20})", date_text)
    if agency is None and trailing and _agency(trailing.group("agency"), listed_only=True):
        date_text, agency = trailing.group("date"), _agency(trailing.group("agency"), listed_only=True)
    found = find_date(date_text)
    iso = found[0] if found and found[1] == 0 and found[2] == len(date_text) else None
    date_like = iso or re.fullmatch(rf"(?:{_month_alternation()})\.?\s+\d{{1,2}}|\d{{1,2}}\s+(?:{_month_alternation()})\.?",
                                    date_text, re.I)
    if not date_like:
        return _other_wire(line)
    return iso, agency


@lru_cache(maxsize=1)
def _month_alternation() -> str:
    return "|".join(sorted((re.escape(m) for m in _rules().months), key=len, reverse=True))


def parse_published(value: str | None) -> str | None:
    """A date given by a source (ISO, RFC 822 from feeds and HTTP, or a written date) → ISO, else None."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed.date().isoformat() if len(value) <= 10 else parsed.isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    found = find_date(value)
    return found[0] if found else None


# -- bylines ---------------------------------------------------------------------------------------------------------
def _is_name_token(token: str, particles: frozenset[str]) -> bool:
    if token.lower() in particles or re.fullmatch(r"(?:al|el|de|d|o)['’-]\w+", token, re.I):
        return True
    return bool(re.fullmatch(r"[^\W\d_][\w'’.-]*", token)) and token[0].isupper()


def classify_byline(name: str) -> tuple[str, str] | None:
    """``("author" | "publisher", cleaned name)`` for the name part of a byline, or None when it is not a name.

    The rule is documented in ``data/metadata.yaml``: outlet words, domains, acronyms and single tokens are outlets;
    two to five capitalised tokens are a person.
    """
    rules = _rules()
    name = re.sub(r"\s+", " ", name).strip(" ,;:|–—-")
    if not name or len(name) > 80 or re.search(r"[!?;:\"“”()]", name):
        return None
    staff = rules.staff_suffix.search(name)
    if staff:
        outlet = name[: staff.start()].strip(" ,")
        return ("publisher", outlet) if outlet and outlet[0].isupper() else None
    tokens = name.split()
    words = {t.lower().strip(".,'’") for t in tokens}
    if len(tokens) == 1 and re.fullmatch(r"[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}", name, re.I):
        return "publisher", name
    if not tokens[0][0].isupper():
        return None
    if words & rules.outlet_words:
        return "publisher", name
    if len(tokens) == 1 and (re.fullmatch(r"[A-Z]{2,6}", name) or _is_name_token(name, frozenset())):
        return "publisher", name
    if 2 <= len(tokens) <= 5 and all(_is_name_token(t, rules.particles) for t in tokens):
        return "author", name
    return None


def split_byline(name: str) -> list[tuple[str, str]]:
    """A byline's name part → roles: "Jane Doe, Reuters" → [author Jane Doe, publisher Reuters]."""
    found: list[tuple[str, str]] = []
    parts = [p for p in re.split(r"\s*[,|/•·–—]\s*|\s+-\s+|\s+for\s+", name) if p]
    people: list[str] = []
    for part in parts:
        if find_date(part) or re.fullmatch(r"(?:(?:updated|published|posted|last updated):?\s*)?\d.*", part, re.I):
            continue  # "By Jane Doe, 24 February 2023 | 10:45": the date is the dateline's business
        for person in re.split(r"\s+(?:and|&)\s+", part):
            role = classify_byline(person)
            if role is None:
                return []
            if role[0] == "author":
                people.append(role[1])
            elif people and " " not in role[1] and "." not in role[1] and not role[1].isupper() \
                    and role[1].lower() not in _rules().agencies:
                continue  # "By Daniel Brooks, Jerusalem": a place after the reporter's name, not an outlet
            else:
                found.append(role)
    if people:
        found.insert(0, ("author", ", ".join(people)))
    return found


def byline(line: str) -> list[tuple[str, str]]:
    """Roles named by a byline line ("By Vugar Khalilov" → [("author", "Vugar Khalilov")]), else []."""
    m = _rules().byline.match(line.strip())
    if not m:
        return []
    return split_byline(m.group("name"))


# -- title, language -----------------------------------------------------------------------------------------------
def title_from_line(line: str) -> str:
    rules = _rules()
    if len(line) <= rules.title_max:
        return line
    cut = line[: rules.title_cut].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


_LETTERS = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (py3langid), or None when the text is too short or too unclear."""
    rules = _rules()
    # prose lines say more than headers, bylines and datelines; fall back to the start of the text
    prose = [line for line in text[: rules.lang_sample * 6].split("\n") if len(line) >= 80]
    sample = ("\n".join(prose) if prose else text)[: rules.lang_sample]
    if len(_LETTERS.findall(sample)) < rules.lang_min_letters:
        return None
    lang, prob = _identifier().classify(sample)
    return str(lang) if prob >= 0.5 else None


# -- all together ----------------------------------------------------------------------------------------------------
def header_lines(text: str, limit: int) -> list[tuple[str, int, int]]:
    """The first ``limit`` non-blank lines of ``text`` with their (start, end) offsets."""
    out: list[tuple[str, int, int]] = []
    pos = 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append((stripped, start + lead, start + lead + len(stripped)))
            if len(out) >= limit:
                break
    return out


_SEGMENTS = re.compile(r"\s*\|\s*|/\s+|\s+/")
_BULLET = re.compile(r"^[•·▪●◦‣∙*–-]\s")
_ADDRESS = re.compile(r"^\d+\s+(?:\w+\s+){0,4}(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Lane|Ln|Dr|Drive|Way|"
                      r"Square|Sq|Plaza|Place)\b.{0,20}$|^[^\W\d_][\w .'-]{1,40}, [^\W\d_][\w .'-]{1,30}\s\d{4,6}(?:-\d{4})?$")
_BREADCRUMB = re.compile(r"^(?:home|start|accueil|news)\s*(?:/|>|»|›|\|)", re.I)
_CSS_UNIT = re.compile(r"\b\d+\s?(?:px|pt|em|rem)\b", re.I)
#: a letterhead: an organ's name alone on a line ("Office of the Prosecutor General of Ukraine", "MINISTRY OF
#: NATIONAL DEFENCE"): it names the publisher, it is not the title
_LETTERHEAD = re.compile(
    r"^(?:the\s+)?(?:ministry|office|embassy|permanent mission|mission|government|department|presidency|"
    r"press service|spokesperson|consulate|prosecutor|general staff|armed forces|state department|foreign office|"
    r"president)\b", re.I)
_SMALL_WORDS = {"of", "the", "and", "for", "on", "in", "to", "de", "du", "des", "la", "le", "al", "el", "at", "&"}


def _letterhead(line: str) -> str | None:
    """The organ named by a letterhead line, title-cased when written in capitals; else None."""
    words = line.strip(" .:").split()
    if not _LETTERHEAD.match(line) or not 2 <= len(words) <= 10 or find_date(line):
        return None
    if any(w[0].islower() and w.lower() not in _SMALL_WORDS for w in words):
        return None  # a verb or a common noun: a headline about a ministry, not its letterhead
    if line.isupper():
        words = [w.lower() if w.lower() in _SMALL_WORDS and i else w.capitalize() for i, w in enumerate(words)]
    return " ".join(words)


def _segmented(line: str) -> tuple[str | None, str | None]:
    """(ISO date, publisher) of "Ministry of Foreign Affairs/ Nay Pyi Taw / January 22, 2022"-style lines."""
    parts = [p for p in _SEGMENTS.split(line) if p]
    if len(parts) < 2 or any(len(p) > 70 for p in parts):
        return None, None
    iso = None
    for part in parts:
        found = find_date(part)
        if found and len(part) - (found[2] - found[1]) <= 12:  # the segment is a date (and a time, a weekday)
            iso = found[0]
            break
    if iso is None:
        return None, None
    outlet = None
    words = _rules().outlet_words
    for part in parts:
        if not find_date(part) and ({w.lower().strip(".,") for w in part.split()} & words):
            outlet = part.strip()
            break
    return iso, outlet


def title_kind(line: str) -> str:
    """"title" (a heading or a lede), "label" (a short heading: used only when there is no title) or "junk"
    (page furniture that is never a title: widgets, section labels in capitals, captions, bullets, addresses,
    breadcrumbs). The rules are documented in ``data/metadata.yaml``."""
    rules = _rules()
    stripped = line.strip()
    visible = [c for c in stripped if not c.isspace()]
    letters = sum(1 for c in visible if c.isalpha())
    if not visible or letters / len(visible) < rules.title_min_letter_share or _CSS_UNIT.search(stripped):
        return "junk"
    lower = stripped.lower()
    if _BULLET.match(stripped) or _ADDRESS.match(stripped) or _BREADCRUMB.match(stripped):
        return "junk"
    if any(marker in lower for marker in rules.caption_markers):
        return "junk"
    words = stripped.split()
    if stripped.isupper() and len(words) <= rules.label_max_words:
        return "junk"  # "RUSSIAN - UKRAINE WAR", "KEY POINTS"
    if len(words) <= rules.category_max_words:  # "War Crimes", "Press Statement"; "More text." is no heading
        return "label" if stripped[0].isupper() and not stripped.endswith((".", "!", "?")) else "junk"
    return "title"


def _choose_title(candidates: list[tuple[str, int, int]]) -> tuple[str, int, int] | None:
    """The title comes before the body: a heading (a title line of reasonable length that is not a sentence or a
    quote) above the first prose line wins, then a short label above it ("Press Statement"), then the first prose
    line (a lede, cut); furniture never wins."""
    rules = _rules()
    label: tuple[str, int, int] | None = None
    lede: tuple[str, int, int] | None = None
    for line, start, end in candidates:
        kind = title_kind(line)
        if kind == "title":
            if len(line) <= rules.title_max and not line.endswith((".", "…", "!", "?", "”", '"', ":", ";")):
                if lede is None:
                    return line, start, end
            elif lede is None:
                lede = (line, start, end)
        elif kind == "label" and label is None and lede is None:
            label = (line, start, end)
    return label or lede


#: an NGO's or UN body's own release names itself in its first sentence: "(Nairobi) – The Malian army killed ...,
#: Human Rights Watch said today." / "..., Amnesty International said in a new report published today."
_SELF_NAMED = re.compile(
    r"[,;]\s+(?P<org>(?:the\s+)?[A-Z][\w'’&-]*(?:\s+(?:of\s+|for\s+|the\s+|and\s+)?[A-Z][\w'’&-]*){0,8})\s+"
    r"(?:said|says|stated|announced)\s+(?:today|in a (?:new |joint )?(?:report|statement|briefing)[^.]{0,40}?today)\b")
_BRACKETED_PLACE = re.compile(r"^\((?P<place>[A-Z][\w'’ ,.-]{1,40})\)\s*[-–—]{1,2}\s")


def _self_named(line: str, first_prose: bool) -> str | None:
    """The organisation a press release names as its author in its opening sentence, else None."""
    if not (_BRACKETED_PLACE.match(line) or first_prose):
        return None
    first_sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", line, maxsplit=1)[0]
    m = _SELF_NAMED.search(first_sentence)
    if not m:
        return None
    org = re.sub(r"^the\s+", "", m.group("org"), flags=re.I)
    role = classify_byline(org)  # an organisation (outlet or organ words), never a person who "said today"
    return org if role is not None and role[0] == "publisher" and len(org.split()) >= 2 else None


def _set(meta: TextMetadata, name: str, value: str | None, start: int, end: int) -> None:
    if value and getattr(meta, name) is None:
        setattr(meta, name, value)
        meta.spans[name] = (start, end)


def find_metadata(text: str) -> TextMetadata:
    """Dateline date, byline author/publisher, a title, an original publisher and the language of a cleaned text."""
    rules = _rules()
    meta = TextMetadata()
    candidates: list[tuple[str, int, int]] = []
    prose_seen = False
    for line, start, end in header_lines(text, rules.header_lines):
        roles = byline(line)
        if roles:
            if meta.published is None and (found := find_date(line)):  # "By Jane Doe, 24 February 2023"
                _set(meta, "published", found[0], start, end)
            for role, value in roles:
                _set(meta, role, value, start, end)
            continue
        named = rules.publisher_line.match(line)
        if named and not find_date(line):  # "Press Release: UN High Commissioner for Human Rights"
            _set(meta, "publisher", named.group("name"), start, end)
            continue
        if rules.agencies.get(line.strip(" .").lower()):  # "Reuters" alone on a line, under a repost's headline
            _set(meta, "publisher", rules.agencies[line.strip(" .").lower()], start, end)
            continue
        organ = _letterhead(line)
        if organ:
            _set(meta, "publisher", organ, start, end)
            continue
        wire_date, agency = wire_dateline(line)
        _set(meta, "published", wire_date, start, end)
        _set(meta, "publisher", agency, start, end)
        iso = dateline_date(line)
        if iso:  # a second dateline ("Updated 5 October 2022") is not a title either
            _set(meta, "published", iso, start, end)
            continue
        seg_date, seg_outlet = _segmented(line)
        if seg_date:  # "Ministry of Foreign Affairs/ Nay Pyi Taw / January 22, 2022"
            _set(meta, "published", seg_date, start, end)
            _set(meta, "publisher", seg_outlet, start, end)
            continue
        if meta.publisher is None and (org := _self_named(line, first_prose=not prose_seen)):
            _set(meta, "publisher", org, start, end)
        prose_seen = prose_seen or (title_kind(line) == "title" and line.endswith((".", "”", '"')))
        candidates.append((line, start, end))
    chosen = _choose_title(candidates)
    if chosen:
        _set(meta, "title", title_from_line(chosen[0]), chosen[1], chosen[2])
    original = rules.original.search(text)
    if original:
        name = original.group("name").strip(" .,'’")
        line_start = text.rfind("\n", 0, original.start()) + 1
        line_end = text.find("\n", original.end())
        _set(meta, "original_publisher", name, line_start, line_end if line_end >= 0 else len(text))
    meta.language = detect_language(text)
    return meta
