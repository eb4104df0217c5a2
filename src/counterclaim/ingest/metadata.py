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
        # 04 October 2022, 4 Oct. 2022, 26th February 2018, 12 de marzo de 2021
        re.compile(rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:de\s+)?{m},?\s+(?:de\s+)?(?P<year>\d{{4}})", re.I),
        # October 4, 2022 / Oct 4 2022
        re.compile(rf"{m}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})", re.I),
        # 2022-10-04 (optionally with a time)
        re.compile(r"(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?)?"),
        # 04.10.2022 (day first, the European convention; slashes are ambiguous and not read)
        re.compile(r"(?P<day>\d{1,2})\.(?P<mnum>\d{1,2})\.(?P<year>\d{4})"),
    )
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
        return None, None
    found = find_date(m.group("date"))
    iso = found[0] if found and found[1] == 0 and found[2] == len(m.group("date")) else None
    date_like = iso or re.fullmatch(rf"(?:{_month_alternation()})\.?\s+\d{{1,2}}|\d{{1,2}}\s+(?:{_month_alternation()})\.?",
                                    m.group("date"), re.I)
    if not date_like:
        return None, None
    return iso, m.group("agency")


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


def find_metadata(text: str) -> TextMetadata:
    """Dateline date, byline author/publisher, a title and the language of a cleaned text."""
    rules = _rules()
    meta = TextMetadata()
    for line, start, end in header_lines(text, rules.header_lines):
        roles = byline(line)
        if roles:
            if meta.published is None and (found := find_date(line)):  # "By Jane Doe, 24 February 2023"
                meta.published = found[0]
                meta.spans["published"] = (start, end)
            for role, value in roles:
                if getattr(meta, role) is None:
                    setattr(meta, role, value)
                    meta.spans[role] = (start, end)
            continue
        wire_date, agency = wire_dateline(line)
        if wire_date and meta.published is None:
            meta.published = wire_date
            meta.spans["published"] = (start, end)
        if agency and meta.publisher is None:
            meta.publisher = agency
            meta.spans["publisher"] = (start, end)
        iso = dateline_date(line)
        if iso:  # a second dateline ("Updated 5 October 2022") is not a title either
            if meta.published is None:
                meta.published = iso
                meta.spans["published"] = (start, end)
            continue
        if meta.title is None:
            meta.title = title_from_line(line)
            meta.spans["title"] = (start, end)
    meta.language = detect_language(text)
    return meta
