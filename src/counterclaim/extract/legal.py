"""Legal references: treaties, judgments, Security Council resolutions, criminal-code articles.

Regexes built once from ``data/legal_instruments.yaml`` run over ``doc.text``:

- treaties by alias, with an optional year and cited article ("Article 8 of the Rome Statute", "the 1949 Geneva
  Conventions") → ``instrument`` = the canonical id ("Rome Statute (1998), Article 8"), kind ``treaty``;
- numbered resolutions with their body and year ("UN Security Council resolution 822 (1993)", "resolutions 853 and
  874", "General Assembly resolution ES-11/1") → "UNSC Resolution 822 (1993)", kind ``resolution``; unnumbered
  references to a body's resolutions ("the UN Security Council Resolutions") → "UNSC resolutions";
- judgments, orders and rulings by date ("its judgment of 22 April 2010") with the court named in the sentence, and
  cases by name ("Chiragov and Others v. Armenia") → kind ``judgment``;
- national criminal codes with their country and article ("Article 438 of the Criminal Code of Ukraine") → kind
  ``criminal_code``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from spacy.tokens import Doc

from counterclaim.errors import CounterclaimError
from counterclaim.extract.context import Context
from counterclaim.extract.dates import find_date_hits
from counterclaim.extract.spans import SentenceIndex, doc_text
from counterclaim.records import LegalRef

VERSION = "legal.v2"

DATA_FILE = "legal_instruments.yaml"

_NUM = r"(?:(?:A|S)/RES/)?(?:ES-\d+/\d+|S-\d+/\d+|\d+/\d+|\d+)(?:\s*\(\d{4}\))?"
_ARTICLE = (
    r"\b(?P<art>(?:Articles?|Art\.|Arts\.)\s+\d+(?:\s*\(\w{1,3}\))*(?:(?:\s*,\s*|\s+and\s+|\s+or\s+)\d+"
    r"(?:\s*\(\w{1,3}\))*)*)\s+(?:of|to)\s+(?:the\s+|its\s+|their\s+)?"
)
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_MONTH_WORD = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DATE_TEXT = rf"(?:\d{{1,2}}\s+{_MONTH_WORD},?\s+{_YEAR}|{_MONTH_WORD}\s+\d{{1,2}},?\s+{_YEAR})"
_CAP = r"[A-Z][\w'’-]*"


@dataclass(frozen=True)
class LegalData:
    treaty: re.Pattern[str]  # instrument names (case-insensitive)
    treaty_acr: re.Pattern[str]  # acronyms (case-sensitive)
    treaty_of: dict[str, tuple[str, str]]  # normalised alias → (id, kind)
    weak: re.Pattern[str]
    resolution: re.Pattern[str]
    body_before: re.Pattern[str]  # a body name right before "resolution"
    body_any: re.Pattern[str]
    body_of: dict[str, str]
    unnumbered: re.Pattern[str]
    judgment: re.Pattern[str]
    court_any: re.Pattern[str]
    court_of: dict[str, str]
    case: re.Pattern[str]
    code: re.Pattern[str]


def _norm(s: str) -> str:
    return " ".join(s.replace("’", "'").split()).lower()


def _is_acronym(alias: str) -> bool:
    return alias.replace(".", "").isupper()


def _alias_regex(aliases: list[str], scoped: bool = True) -> str:
    """Alternation of aliases, longest first: acronyms case-sensitive, names case-insensitive (``scoped``)."""
    parts = []
    for a in sorted(set(aliases), key=len, reverse=True):
        body = r"\s+".join(re.escape(w) for w in a.split()).replace("'", "['’]").replace("’", "['’]")
        parts.append(body if _is_acronym(a) or not scoped else f"(?i:{body})")
    return "(?:" + "|".join(parts) + ")"


def build_legal_data(data: dict[str, Any]) -> LegalData:
    """Compile the regexes from the YAML data (see docs/data.md, section legal_instruments.yaml)."""
    try:
        treaty_of: dict[str, tuple[str, str]] = {}
        weak_of: dict[str, tuple[str, str]] = {}
        strong_aliases: list[str] = []
        weak_aliases: list[str] = []
        for inst in data["instruments"]:
            for alias in inst["aliases"]:
                treaty_of.setdefault(_norm(str(alias)), (inst["id"], inst.get("kind", "treaty")))
                strong_aliases.append(str(alias))
            for alias in inst.get("weak", []):
                weak_of[_norm(str(alias))] = (inst["id"], inst.get("kind", "treaty"))
                weak_aliases.append(str(alias))
        body_aliases = [str(a) for aliases in data["resolution_bodies"].values() for a in aliases]
        court_aliases = [str(a) for aliases in data["courts"].values() for a in aliases]
        body_of = {_norm(a): body for body, aliases in data["resolution_bodies"].items() for a in aliases}
        court_of = {_norm(a): court for court, aliases in data["courts"].items() for a in aliases}
        codes = [str(c) for c in data["criminal_codes"]]
    except (KeyError, TypeError, AttributeError) as exc:
        raise CounterclaimError(
            f"the legal instruments file is malformed ({exc!r}): check it against docs/data.md"
        ) from exc
    body = _alias_regex(body_aliases)
    # two plain alternations (names case-insensitive, acronyms case-sensitive) are much faster than one with
    # scoped flags and optional prefixes; the article / year around an alias is read by anchored regexes
    names = [a for a in strong_aliases if not _is_acronym(a)]
    acronyms = [a for a in strong_aliases if _is_acronym(a)]
    treaty = re.compile(rf"(?<![\w-])(?P<alias>{_alias_regex(names, scoped=False)})(?![\w-])", re.IGNORECASE)
    treaty_acr = re.compile(rf"(?<![\w-])(?P<alias>{_alias_regex(acronyms)})(?![\w-])")
    weak = re.compile(
        rf"(?:{_ARTICLE}|\b(?i:of|under|to|in|with|by|violat\w*|breach\w*|party\s+to)\s+the\s+)"
        rf"(?P<alias>{_alias_regex(weak_aliases)})\b"
    )
    resolution = re.compile(
        rf"\b[Rr]esolutions?\s+(?:[Nn]o\.?\s*|[Nn]umbers?\s+)?"
        rf"(?P<nums>{_NUM}(?:(?:\s*,\s*|\s+and\s+|\s*&\s*)(?:[Nn]o\.?\s*)?{_NUM})*)"
        rf"(?:\s*\((?P<y>{_YEAR})\)|\s+of\s+(?:\d{{1,2}}\s+{_MONTH_WORD}\s+)?(?P<y2>{_YEAR}))?(?![\w/-])"
    )
    body_before = re.compile(rf"(?P<body>{body})(?:['’]s)?\s+$")
    unnumbered = re.compile(
        rf"(?P<body>{body})(?:['’]s)?\s+[Rr]esolutions\b|\b[Rr]esolutions\s+of\s+the\s+(?P<body2>{body})"
    )
    judgment = re.compile(
        rf"\b(?P<what>[Jj]udge?ments?|[Rr]ulings?|[Dd]ecisions?|[Oo]rders?|[Aa]dvisory\s+[Oo]pinions?|[Vv]erdicts?)"
        rf"\s+(?:of|dated|on)\s+(?P<date>{_DATE_TEXT})"
    )
    case = re.compile(
        rf"\b(?P<case>(?:The\s+)?{_CAP}(?:\s+(?:and\s+Others|and\s+{_CAP}|{_CAP})){{0,3}}\s+v(?:s)?\.?\s+"
        rf"(?:the\s+)?{_CAP}(?:\s+{_CAP}){{0,2}})"
    )
    code = re.compile(
        rf"(?:{_ARTICLE})?(?:(?P<adj>{_CAP})\s+)?(?P<code>{_alias_regex(codes)})"
        rf"(?:\s+of\s+(?:the\s+)?(?P<country>(?:Republic\s+of\s+)?{_CAP}(?:\s+{_CAP}){{0,2}}))?"
    )
    return LegalData(
        body_before=body_before, treaty=treaty, treaty_acr=treaty_acr, treaty_of=treaty_of | weak_of, weak=weak,
        resolution=resolution,
        body_any=re.compile(body), body_of=body_of, unnumbered=unnumbered, judgment=judgment,
        court_any=re.compile(_alias_regex(court_aliases)), court_of=court_of, case=case, code=code,
    )


@lru_cache(maxsize=1)
def load_legal_data() -> LegalData:
    """The shipped instrument dictionary, read and compiled once per process."""
    try:
        raw = resources.files("counterclaim.data").joinpath(DATA_FILE).read_text("utf-8")
        data = yaml.safe_load(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise CounterclaimError(
            f"cannot read the legal instruments file {DATA_FILE}: {exc} (reinstall counterclaim or fix the YAML)"
        ) from exc
    return build_legal_data(data)


def _articles(art: str | None) -> list[str]:
    if not art:
        return []
    return re.findall(r"\d+(?:\s*\(\w{1,3}\))*", art.split(None, 1)[1])


def _with_articles(name: str, art: str | None) -> list[str]:
    arts = [re.sub(r"\s+", "", a) for a in _articles(art)]
    return [f"{name}, Article {a}" for a in arts] or [name]


_CODE_HINT = re.compile(r"\b[Cc]ode\b")
_LEADING_THE = re.compile(r"^(?:the|The)\s+")
_NOT_COUNTRY = frozenset({"Article", "Articles", "Chapter", "Section", "Part"})


_TREATY_PREFIX = re.compile(rf"(?:{_ARTICLE})?(?:(?P<y1>{_YEAR})\s+)?$")
_TREATY_SUFFIX = re.compile(rf"\s+of\s+(?:\d{{1,2}}\s+{_MONTH_WORD}\s+)?{_YEAR}(?![\w-])|\s+\({_YEAR}\)")


def _treaties(text: str, data: LegalData) -> list[tuple[int, int, str, str]]:
    out = []
    for pat in (data.treaty, data.treaty_acr):
        for m in pat.finditer(text):
            inst_id, kind = data.treaty_of[_norm(m["alias"])]
            lo = max(0, m.start() - 80)
            pre = _TREATY_PREFIX.search(text, lo, m.start())
            art = pre["art"] if pre else None
            start = pre.start() if pre and (art or pre["y1"]) else m.start()
            suf = _TREATY_SUFFIX.match(text, m.end())
            end = suf.end() if suf else m.end()
            out += [(start, end, name, kind) for name in _with_articles(inst_id, art)]
    for m in data.weak.finditer(text):
        inst_id, kind = data.treaty_of[_norm(m["alias"])]
        start = m.start("art") if m["art"] else m.start("alias")
        out += [(start, m.end(), name, kind) for name in _with_articles(inst_id, m["art"])]
    return out


def _body_near(text: str, start: int, end: int, sents: SentenceIndex, data: LegalData) -> str | None:
    s, e = sents.bounds(start)
    before = list(data.body_any.finditer(text, s, start))
    if before:
        return data.body_of[_norm(before[-1].group(0))]
    after = data.body_any.search(text, end, min(e, end + 60))
    return data.body_of[_norm(after.group(0))] if after else None


def _resolutions(text: str, data: LegalData, sents: SentenceIndex) -> list[tuple[int, int, str, str]]:
    out: list[tuple[int, int, str, str]] = []
    if "esolution" not in text:
        return out
    for m in data.resolution.finditer(text):
        pre = data.body_before.search(text, max(0, m.start() - 60), m.start())
        start = pre.start() if pre else m.start()
        body = data.body_of[_norm(pre["body"])] if pre else _body_near(text, m.start(), m.end(), sents, data)
        year = m["y"] or m["y2"]
        raws = re.findall(_NUM, m["nums"])
        last_year = re.search(r"\((\d{4})\)", raws[-1]) if raws else None
        year = year or (last_year.group(1) if last_year else None)  # "822, 853 and 874 (1993)"
        for raw in raws:
            num = re.sub(r"\s+", "", raw)
            own_year = re.search(r"\((\d{4})\)", num)
            num = re.sub(r"\(\d{4}\)", "", num)
            b = body or ("UNSC" if num.startswith("S/RES/") else "UNGA" if num.startswith("A/RES/") else None)
            num = re.sub(r"^(?:A|S)/RES/", "", num)
            y = own_year.group(1) if own_year else year
            name = f"{b + ' ' if b else ''}Resolution {num}{f' ({y})' if y else ''}"
            out.append((start, m.end(), name, "resolution"))
    for m in data.unnumbered.finditer(text):
        body = data.body_of[_norm(m["body"] or m["body2"])]
        out.append((m.start(), m.end(), f"{body} resolutions", "resolution"))
    return out


def _judgments(text: str, data: LegalData, sents: SentenceIndex) -> list[tuple[int, int, str, str]]:
    out = []
    for m in data.judgment.finditer(text):
        hits = find_date_hits(m["date"])
        if not hits:
            continue
        iso = hits[0][2]
        s, e = sents.bounds(m.start())
        courts = list(data.court_any.finditer(text, s, e))
        court = None
        if courts:
            nearest = min(courts, key=lambda c: abs(c.start() - m.start()))
            court = data.court_of[_norm(nearest.group(0))]
        what = m["what"].lower().rstrip("s")
        name = f"{court + ', ' if court else ''}{what} of {iso}"
        out.append((m.start(), m.end(), name, "judgment"))
    for m in data.case.finditer(text):
        out.append((m.start("case"), m.end("case"), " ".join(m["case"].split()), "judgment"))
    return out


def _codes(text: str, data: LegalData) -> list[tuple[int, int, str, str]]:
    out: list[tuple[int, int, str, str]] = []
    if not _CODE_HINT.search(text):
        return out
    for m in data.code.finditer(text):
        code = " ".join(w.capitalize() if w.islower() else w for w in m["code"].split())
        country = m["country"]
        adj = m["adj"] if m["adj"] and m["adj"] not in ("The", "the") else None
        if country and country.split()[0] not in _NOT_COUNTRY:
            country = re.sub(r"^Republic\s+of\s+", "", country)
            name = f"{code} of {country}"
        elif adj:
            name = f"{adj} {code}"
        else:
            name = code
            country = None
        end = m.end() if country else m.end("code")
        start = m.start("art") if m["art"] else (m.start("adj") if adj else m.start("code"))
        out += [(start, end, n, "criminal_code") for n in _with_articles(name, m["art"])]
    return out


def find_legal_hits(text: str, doc: Doc | None = None) -> list[tuple[int, int, str, str]]:
    """Every legal reference in ``text``: ``(start, end, instrument, kind)`` in text order, overlaps removed."""
    data = load_legal_data()
    sents = SentenceIndex(doc, text) if doc is not None else _WholeText(text)
    found = _resolutions(text, data, sents) + _judgments(text, data, sents) + _codes(text, data) + _treaties(text, data)
    out: list[tuple[int, int, str, str]] = []
    spans: list[tuple[int, int]] = []
    for hit in found:  # earlier groups win overlaps; one expression may give several records (articles, numbers)
        start, end = hit[0], hit[1]
        if any(s < end and start < e and (s, e) != (start, end) for s, e in spans):
            continue
        if hit in out:
            continue
        out.append(hit)
        spans.append((start, end))
    return sorted(out, key=lambda h: (h[0], h[2]))


class _WholeText(SentenceIndex):
    """A sentence index over plain text that has no parse: the whole text is one sentence."""

    def __init__(self, text: str) -> None:  # noqa: D107 - no super().__init__: nothing to read from a Doc
        self.text = text
        self.starts = [0]
        self.spans = [(0, len(text))]


def find_legal_refs(doc: Doc, ctx: Context) -> list[LegalRef]:
    text = doc_text(doc, ctx.input.text)
    sents = SentenceIndex(doc, text)
    return [
        LegalRef(doc=ctx.doc_id, start=s, end=e, sentence=sents.sentence(s), instrument=name, kind=kind, text=text[s:e])
        for s, e, name, kind in find_legal_hits(text, doc)
    ]
