"""Date expressions → ISO dates with precision, resolved against the publication date only where certain.

Regexes over ``doc.text`` (no per-token loop) find, in priority order:

- day ranges ("25 to 26 February 1992", "3 March – 5 April 2022", "March 3-5, 2022") → one record per end;
- full dates ("22 April 2010", "February 26, 1992", "2022-02-24", "24.02.2022");
- months ("October 2020"), year ranges ("1988-1994", "from 1988 to 1994") → one record per end;
- years in event context ("in 2020", "the war of 2020", "since 2014"), never citation years ("the 1949 Geneva
  Conventions", "a 2003 book", "resolution 2334 (2016)") nor decades ("the 90s", "late 1980s");
- day-month dates without a year ("September 17", "between March 1 and 20"), months without a year after a
  preposition ("since October", "between April and June", "at the end of March") and weekdays ("on Tuesday"), only
  when they can be resolved: from an explicit dated anchor shortly before in the same passage, or else from the
  publication date. Such records have ``resolved=True``. When the publication date is not known, a press-release
  dateline opening the text ("GENEVA (12 April 2023) –", "(Nairobi, April 25, 2024) –") stands in for it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from spacy.tokens import Doc

from counterclaim.extract.context import Context
from counterclaim.extract.spans import SentenceIndex, doc_text
from counterclaim.records import DateMention

VERSION = "dates.v3"

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Month names are matched case-sensitively (capitalised or upper case) so that the verb "may" is never a month.
_MONTH_NAMES = sorted(MONTHS, key=len, reverse=True)
_MON = "(?:" + "|".join(f"{m.capitalize()}|{m.upper()}" for m in _MONTH_NAMES) + r")\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_DASH = r"\s*(?:-|–|—|to|until|till|and|through)\s*"

_P_DAY_RANGE = re.compile(
    rf"\b(?P<d1>{_DAY}){_DASH}(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m>{_MON})(?:,?\s+(?P<y>{_YEAR}))?(?![\w-])"
)
_P_DAY_MONTH_RANGE = re.compile(
    rf"\b(?P<d1>{_DAY})\s+(?:of\s+)?(?P<m1>{_MON}){_DASH}(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MON})"
    rf"(?:,?\s+(?P<y>{_YEAR}))?(?![\w-])"
)
_P_MONTH_DAY_RANGE = re.compile(
    rf"\b(?P<m>{_MON})\s+(?P<d1>{_DAY}){_DASH}(?P<d2>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?(?![\w-])"
)
_P_DAY_MONTH = re.compile(rf"\b(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MON})(?:,?\s+(?P<y>{_YEAR}))?(?![\w-])")
_P_MONTH_DAY = re.compile(rf"\b(?P<m>{_MON})\s+(?P<d>{_DAY})(?![\d:])(?:,?\s+(?P<y>{_YEAR}))?(?![\w-])")
_P_MONTH_RANGE = re.compile(
    rf"\b(?P<m1>{_MON})(?:\s+(?P<y1>{_YEAR}))?{_DASH}(?P<m2>{_MON}),?\s+(?:of\s+)?(?P<y>{_YEAR})(?![\w-])"
)
_P_MONTH_YEAR = re.compile(rf"\b(?P<m>{_MON}),?\s+(?:of\s+)?(?P<y>{_YEAR})(?![\w-])")
_P_ISO = re.compile(rf"(?<![\w./-])(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?![\w/-])")
_P_DOTTED = re.compile(rf"(?<![\w./:-])(?P<d>0?[1-9]|[12]\d|3[01])\.(?P<m>0?[1-9]|1[0-2])\.(?P<y>{_YEAR})(?![\w./-])")
_P_SLASHED = re.compile(rf"(?<![\w./:-])(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})/(?P<y>{_YEAR})(?![\w./-])")
_P_YEAR_RANGE = re.compile(
    rf"(?:\b(?:from|between)\s+)?(?<![\w./:-])(?P<y1>{_YEAR})(?:\s*(?:-|–|—)\s*|\s+(?:to|and|until)\s+)"
    rf"(?P<y2>{_YEAR}|\d\d)(?![\w'’/.-]|\.\d)"
)
# A bare year counts as a date only after an event preposition or a season ("in 2020", "the war of 2020").
_P_EVENT_YEAR = re.compile(
    r"\b(?:in|of|since|during|until|till|by|from|through|throughout|after|before|around|circa|early|late|mid|"
    r"spring|summer|autumn|fall|winter|year)[\s-]+(?:of\s+)?"
    rf"(?P<y>{_YEAR})(?![\w'’/-]|\.\d|\s*(?:-|–)\s*\d)"
)
# A year right before an event noun is an event date too ("the 2014 annexation", "the 2020 war"), unlike a year
# before a document or instrument ("the 1949 Geneva Conventions", "a 2003 book").
_P_YEAR_EVENT_NOUN = re.compile(
    rf"(?<![\w'’/.-])(?P<y>{_YEAR})\s+(?:[A-Z][\w-]+\s+)?(?i:war|wars|annexation|invasion|attacks?|massacres?|"
    r"offensive|counter-offensive|conflict|genocide|coup|uprising|revolution|escalation|elections?|protests?|"
    r"referendum|hostilities|clashes|bombings?|siege|fighting|ethnic cleansing|deportations?|occupation|"
    r"airstrikes?|strikes?|shelling|raids?|incursion|takeover|crackdown|exodus)\b"
)
_P_MORE_YEARS = re.compile(rf"\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s*&\s*)(?P<y>{_YEAR})(?![\w'’/-]|\.\d)")
_P_WEEKDAY = re.compile(
    r"\b(?P<rel>(?i:on|last|this past|early on|late on|on the night of|overnight on))\s+"
    r"(?P<w>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_P_YESTERDAY = re.compile(r"\byesterday\b", re.IGNORECASE)
# A month without a year counts only after a preposition or a "part of" phrase ("since October", "in March", "at the
# end of March", "mid-June"): a bare capitalised "May" or "March" is too often a verb or a name. The lookahead
# leaves "October 8" and "October 2023" to the patterns above.
_MONTH_LEAD = (
    r"(?i:in|since|during|until|till|by|from|through|throughout|before|after|early|late|mid|"
    r"(?:the\s+)?(?:end|beginning|start|middle|first\s+half|second\s+half|first\s+days|last\s+days)\s+of)"
)
_NO_DAY_OR_YEAR = r"(?![\w-]|,?\s*(?:of\s+)?\d)"
# full names only: "by Jan Egeland", "in Jun's words" are people, not months
_FULL_MON = "(?:" + "|".join(f"{m.capitalize()}|{m.upper()}" for m in sorted(
    (m for m in MONTHS if m in ("may", "june", "july") or len(m) > 4), key=len, reverse=True)) + ")"
_P_BARE_MONTH = re.compile(rf"\b{_MONTH_LEAD}[\s-]+(?P<m>{_FULL_MON}){_NO_DAY_OR_YEAR}")
# Two months without a year ("between April and June", "from November to February"): one record per end.
_P_MONTH_PAIR = re.compile(
    rf"\b(?i:between|from)\s+(?P<m1>{_FULL_MON})(?:\s*(?:-|–|—)\s*|\s+(?i:and|to|until|till|through)\s+)"
    rf"(?P<m2>{_FULL_MON}){_NO_DAY_OR_YEAR}"
)
# A press-release dateline opening a line: a place, then the date in or before parentheses and a dash
# ("GENEVA (12 April 2023) –", "(Nairobi, April 25, 2024) –"). It stands in for a missing publication date.
_P_DATELINE_LEAD = re.compile(r"(?m)^[ \t]*\(?[A-Z][\w.'’/-]*(?:[ \t]+[A-Z][\w.'’/-]*){0,3}[ \t]*(?:,|\()[ \t]*")
_P_DATELINE_END = re.compile(r"[ \t]*\)?[ \t]*(?:[–—-]|$)", re.MULTILINE)
#: how far into the text a dateline may stand
DATELINE_WINDOW = 1000

# A date right after the name of an instrument is its citation date ("the Geneva Conventions of 12 August 1949").
_CITATION_BEFORE = re.compile(
    r"\b(?:Conventions?|Protocols?|Covenant|Statute|Treaty|Charter|Agreement|Accords?)\b[^.;:,()\n]{0,25}$"
)
_CITATION_YEAR_BEFORE = re.compile(r"(?:\b(?:No\.?|Resolution|resolution|[Aa]rticle|[Ll]aw)\s+\S+\s+of\s+)$")

#: a day-month date without a year is at most this many days after the publication date (else the year before)
FUTURE_DAYS = 31
#: how far back (characters) an explicit dated anchor may lend its year to a day-month date without one
ANCHOR_WINDOW = 500


@dataclass
class _Hit:
    start: int
    end: int
    dates: list[tuple[str, str, bool]]  # (iso, precision, resolved)


def _day(s: str) -> int:
    return int(re.sub(r"\D", "", s))


def _month(s: str) -> int:
    return MONTHS[s.rstrip(".").lower()]


def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:  # 31 February: not a date
        return None


def _parse_published(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


class _Resolver:
    """Supplies the year of a day-month date: from a dated anchor shortly before, else from the publication date."""

    def __init__(self, published: dt.date | None) -> None:
        self.published = published
        self.anchors: list[tuple[int, dt.date]] = []  # (offset, explicit full date) in text order

    def add_anchor(self, offset: int, iso: str) -> None:
        # the publication date (often the dateline) is no narrative anchor: later dates are resolved from it
        # looking back, not forward ("since October" in a July article is last October)
        if len(iso) == 10 and (self.published is None or iso != self.published.isoformat()):
            self.anchors.append((offset, dt.date.fromisoformat(iso)))

    def year_for(self, offset: int, month: int, day: int, text: str) -> int | None:
        before = [(o, d) for o, d in self.anchors if o < offset and offset - o <= ANCHOR_WINDOW]
        if before:
            o, anchor = before[-1]
            same_passage = "\n\n" not in text[o:offset]
            if same_passage and (month, day) >= (anchor.month, anchor.day):
                return anchor.year
        return self._year_from_published(month, day)

    def year_for_month(self, offset: int, month: int, text: str) -> int | None:
        """The year of a month named without one ("since October"): as for a day-month date, from its first day."""
        return self.year_for(offset, month, 1, text)

    def _year_from_published(self, month: int, day: int) -> int | None:
        if self.published is None:
            return None
        pub = self.published
        try:
            candidate = dt.date(pub.year, month, day)
        except ValueError:
            return None
        # reports look back: the date is taken in the window from 11 months before to 1 month after publication
        if (candidate - pub).days > FUTURE_DAYS:
            return pub.year - 1
        if (pub - candidate).days > 365 - FUTURE_DAYS:
            return pub.year + 1
        return pub.year


def _taken(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _is_citation(text: str, start: int) -> bool:
    return bool(_CITATION_BEFORE.search(text[max(0, start - 60):start]))


def _explicit_hits(text: str) -> list[_Hit]:
    """Dates whose text gives the year (or which need none): ranges, full dates, months, years."""
    hits: list[_Hit] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, dates: list[tuple[str, str, bool]]) -> None:
        if not dates or _taken(taken, start, end):
            return
        taken.append((start, end))
        hits.append(_Hit(start, end, dates))

    for m in _P_DAY_MONTH_RANGE.finditer(text):
        if m["y"]:
            y = int(m["y"])
            a, b = _iso(y, _month(m["m1"]), _day(m["d1"])), _iso(y, _month(m["m2"]), _day(m["d2"]))
            add(m.start(), m.end(), [(x, "day", False) for x in (a, b) if x])
    for pat in (_P_DAY_RANGE, _P_MONTH_DAY_RANGE):
        for m in pat.finditer(text):
            if m["y"] and _day(m["d1"]) < _day(m["d2"]):
                y, mo = int(m["y"]), _month(m["m"])
                a, b = _iso(y, mo, _day(m["d1"])), _iso(y, mo, _day(m["d2"]))
                add(m.start(), m.end(), [(x, "day", False) for x in (a, b) if x])
    for pat in (_P_DAY_MONTH, _P_MONTH_DAY):
        for m in pat.finditer(text):
            if m["y"] and not _is_citation(text, m.start()):
                iso = _iso(int(m["y"]), _month(m["m"]), _day(m["d"]))
                add(m.start(), m.end(), [(iso, "day", False)] if iso else [])
    for m in _P_ISO.finditer(text):
        iso = _iso(int(m["y"]), int(m["m"]), int(m["d"]))
        add(m.start(), m.end(), [(iso, "day", False)] if iso else [])
    for m in _P_DOTTED.finditer(text):
        iso = _iso(int(m["y"]), int(m["m"]), int(m["d"]))
        add(m.start(), m.end(), [(iso, "day", False)] if iso else [])
    for m in _P_SLASHED.finditer(text):
        first, second = int(m["a"]), int(m["b"])
        if first > 12 >= second:  # unambiguous day/month
            iso = _iso(int(m["y"]), second, first)
        elif second > 12 >= first:  # unambiguous month/day
            iso = _iso(int(m["y"]), first, second)
        else:
            continue  # 03/04/2022 could be either: no record rather than a guess
        add(m.start(), m.end(), [(iso, "day", False)] if iso else [])
    for m in _P_MONTH_RANGE.finditer(text):  # "from February to April 2022", "December 2021 - March 2022"
        y2 = int(m["y"])
        y1 = int(m["y1"]) if m["y1"] else y2
        span_ends = ((y1, _month(m["m1"])), (y2, _month(m["m2"])))
        if span_ends[0] < span_ends[1]:
            add(m.start(), m.end(), [(f"{y:04d}-{mo:02d}", "month", False) for y, mo in span_ends])
    for m in _P_MONTH_YEAR.finditer(text):
        if not _is_citation(text, m.start()):
            add(m.start(), m.end(), [(f"{int(m['y']):04d}-{_month(m['m']):02d}", "month", False)])
    for m in _P_YEAR_RANGE.finditer(text):
        y1 = int(m["y1"])
        y2 = int(m["y2"]) if len(m["y2"]) == 4 else (y1 // 100) * 100 + int(m["y2"])
        if y1 < y2 <= y1 + 100 and not _CITATION_YEAR_BEFORE.search(text[max(0, m.start() - 30):m.start()]):
            add(m.start(), m.end(), [(f"{y1:04d}", "year", False), (f"{y2:04d}", "year", False)])
    for m in _P_YEAR_EVENT_NOUN.finditer(text):
        add(m.start("y"), m.end("y"), [(m["y"], "year", False)])
    for m in _P_EVENT_YEAR.finditer(text):
        ys = m.start("y")
        if _CITATION_YEAR_BEFORE.search(text[max(0, m.start() - 30):m.start()] + text[m.start():ys]):
            continue
        add(ys, m.end("y"), [(m["y"], "year", False)])
        pos = m.end("y")
        while more := _P_MORE_YEARS.match(text, pos):  # "in 2022 and 2023", "in 2014, 2015 or 2016"
            add(more.start("y"), more.end("y"), [(more["y"], "year", False)])
            pos = more.end("y")
    return hits


# "on March 1 and 20 people died": a day followed by a noun is a count, not the end of a range
_COUNT_AFTER = re.compile(r"\s+(?!of\b|in\b|at\b|on\b|and\b|to\b|when\b|while\b|as\b)[a-z]")


def _resolved_days(
    ends: list[tuple[int, int]], offset: int, text: str, resolver: _Resolver
) -> list[tuple[str, str, bool]]:
    """(month, day) pairs without a year → resolved ISO days; none at all when either end cannot be resolved."""
    out: list[tuple[str, str, bool]] = []
    for month, day in ends:
        year = resolver.year_for(offset, month, day, text)
        iso = _iso(year, month, day) if year else None
        if iso is None:
            return []
        out.append((iso, "day", True))
    return out


def _relative_hits(text: str, explicit: list[_Hit], resolver: _Resolver) -> list[_Hit]:
    """Day-month dates without a year, weekdays and "yesterday", where they can be resolved."""
    taken = [(h.start, h.end) for h in explicit]
    hits: list[_Hit] = []

    def add(start: int, end: int, dates: list[tuple[str, str, bool]]) -> None:
        if dates and not _taken(taken, start, end):
            taken.append((start, end))
            hits.append(_Hit(start, end, dates))

    for m in _P_DAY_MONTH_RANGE.finditer(text):  # "3 March to 5 April": each end resolved on its own
        if not m["y"] and not _is_citation(text, m.start()):
            ends = [(_month(m["m1"]), _day(m["d1"])), (_month(m["m2"]), _day(m["d2"]))]
            if ends[0] < ends[1]:
                add(m.start(), m.end(), _resolved_days(ends, m.start(), text, resolver))
    for pat in (_P_DAY_RANGE, _P_MONTH_DAY_RANGE):  # "between March 1 and 20", "27 and 31 March"
        for m in pat.finditer(text):
            if m["y"] or _day(m["d1"]) >= _day(m["d2"]) or _is_citation(text, m.start()) \
                    or (pat is _P_MONTH_DAY_RANGE and _COUNT_AFTER.match(text, m.end())):
                continue
            mo = _month(m["m"])
            add(m.start(), m.end(), _resolved_days([(mo, _day(m["d1"])), (mo, _day(m["d2"]))], m.start(), text,
                                                   resolver))
    for m in _P_MONTH_PAIR.finditer(text):  # "between April and June"
        m1, m2 = _month(m["m1"]), _month(m["m2"])
        y2 = resolver.year_for_month(m.start(), m2, text)
        if y2 is not None and m1 != m2:
            y1 = y2 if m1 < m2 else y2 - 1  # "from November to February": November of the year before
            add(m.start(), m.end(), [(f"{y1:04d}-{m1:02d}", "month", True), (f"{y2:04d}-{m2:02d}", "month", True)])
    for pat in (_P_DAY_MONTH, _P_MONTH_DAY):
        for m in pat.finditer(text):
            if m["y"] or _taken(taken, m.start(), m.end()) or _is_citation(text, m.start()):
                continue
            month, day = _month(m["m"]), _day(m["d"])
            year = resolver.year_for(m.start(), month, day, text)
            iso = _iso(year, month, day) if year else None
            if iso:
                taken.append((m.start(), m.end()))
                hits.append(_Hit(m.start(), m.end(), [(iso, "day", True)]))
    for m in _P_BARE_MONTH.finditer(text):  # "since October", "at the end of March"
        month = _month(m["m"])
        year = resolver.year_for_month(m.start("m"), month, text)
        if year is not None:
            end = m.end("m") - m["m"].endswith(".")  # "the end of March." without the full stop
            add(m.start("m"), end, [(f"{year:04d}-{month:02d}", "month", True)])
    pub = resolver.published
    if pub is None:
        return hits
    for m in _P_WEEKDAY.finditer(text):
        if _taken(taken, m.start(), m.end()):
            continue
        target = WEEKDAYS.index(m["w"].lower())
        back = (pub.weekday() - target) % 7
        if m["rel"].lower() in ("last", "this past") and back == 0:
            back = 7
        when = pub - dt.timedelta(days=back)
        hits.append(_Hit(m.start(), m.end(), [(when.isoformat(), "day", True)]))
    for m in _P_YESTERDAY.finditer(text):
        if not _taken(taken, m.start(), m.end()):
            hits.append(_Hit(m.start(), m.end(), [((pub - dt.timedelta(days=1)).isoformat(), "day", True)]))
    return hits


def dateline_date(text: str) -> dt.date | None:
    """The date of a press-release dateline near the top ("GENEVA (12 April 2023) –"), or None."""
    for lead in _P_DATELINE_LEAD.finditer(text, 0, DATELINE_WINDOW):
        for pat in (_P_DAY_MONTH, _P_MONTH_DAY):
            m = pat.match(text, lead.end())
            if m and m["y"] and _P_DATELINE_END.match(text, m.end()):
                iso = _iso(int(m["y"]), _month(m["m"]), _day(m["d"]))
                if iso:
                    return dt.date.fromisoformat(iso)
    return None


def find_date_hits(text: str, published: str | None = None) -> list[tuple[int, int, str, str, bool]]:
    """Every date in ``text``: ``(start, end, iso, precision, resolved)`` in text order (a pure function of the text)."""
    explicit = _explicit_hits(text)
    resolver = _Resolver(_parse_published(published) or dateline_date(text))
    for h in sorted(explicit, key=lambda h: h.start):
        for iso, _prec, _res in h.dates:
            resolver.add_anchor(h.start, iso)
    hits = explicit + _relative_hits(text, explicit, resolver)
    out = [(h.start, h.end, iso, prec, res) for h in hits for iso, prec, res in h.dates]
    return sorted(out, key=lambda t: (t[0], t[2]))


def find_dates(doc: Doc, ctx: Context) -> list[DateMention]:
    text = doc_text(doc, ctx.input.text)
    sents = SentenceIndex(doc, text)
    return [
        DateMention(
            doc=ctx.doc_id, start=start, end=end, sentence=sents.sentence(start), date=iso, precision=prec,
            text=text[start:end], resolved=resolved,
        )
        for start, end, iso, prec, resolved in find_date_hits(text, ctx.input.published)
    ]


_DATE_LIKE = (
    _P_DAY_MONTH_RANGE, _P_DAY_RANGE, _P_MONTH_DAY_RANGE, _P_DAY_MONTH, _P_MONTH_DAY, _P_MONTH_RANGE, _P_MONTH_YEAR,
    _P_ISO,
    _P_DOTTED, _P_SLASHED, _P_YEAR_RANGE,
)


def date_like_spans(text: str) -> list[tuple[int, int]]:
    """Spans of every date-shaped expression, resolvable or not (the figure parser skips numbers inside them)."""
    return [(m.start(), m.end()) for pat in _DATE_LIKE for m in pat.finditer(text)]
