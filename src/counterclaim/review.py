"""Review: analysts confirm, correct, reject and add records; the reviewed view of the ledger.

Decisions are a layer of their own (:mod:`counterclaim.store.review`): machine records are never edited, so a
re-extraction replaces them freely and the decisions re-attach by span. What every reader of the ledger shows by
default is the *reviewed view* (:func:`review_view`, :func:`overlay`): corrections applied, rejected records hidden,
records added by analysts included, and each record's ``status`` (``machine``, ``confirmed``, ``corrected``,
``rejected``, ``added``) with ``reviewed_by``, ``reviewed_at`` and ``reason``.

What analysts type is validated here: field names against the record type, acts against the act taxonomy
(``data/acts.yaml``), actors against the actor dictionary (``data/actors.yaml`` plus ``$COUNTERCLAIM_ACTORS``),
categories, qualifiers, stances, kinds and dates against their closed lists.
"""

from __future__ import annotations

import dataclasses
import difflib
import getpass
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from counterclaim.errors import NotFound, UsageError
from counterclaim.records import (
    RECORD_TYPES,
    FigureCategories,
    Qualifiers,
    Record,
    Stances,
    make_id,
    record_from_row,
    text_hash,
)
from counterclaim.store import Ledger
from counterclaim.store.review import ReviewStore, Subject, SubjectExists, now

STATUSES = ("machine", "confirmed", "corrected", "rejected", "added")
ACTIONS = ("confirm", "correct", "reject", "add")
ANALYST_ENV = "COUNTERCLAIM_ANALYST"
#: the order of the review queue when records carry no ``confidence``: the most consequential types first
QUEUE_TYPE_ORDER = ("allegation", "figure", "quote", "legal", "date", "actor")

BASE_FIELDS = frozenset({"doc", "start", "end", "sentence", "version", "id"})
#: fields that point at other records (ids), or say how the extractor got a record: not typed by analysts
LINK_FIELDS = frozenset({"victims", "parent", "confidence", "rules"})
#: fields holding canonical actors, checked against the actor dictionary
ACTOR_FIELDS: dict[str, tuple[str, ...]] = {"allegation": ("claimant", "accused", "reporter"), "actor": ("actor", "state")}
LEGAL_KINDS = ("treaty", "judgment", "resolution", "criminal_code", "other")
ACTOR_KINDS = ("state", "organ", "igo", "court", "ngo", "person", "group")
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("allegation", "stance"): Stances,
    ("figure", "qualifier"): Qualifiers,
    ("figure", "category"): FigureCategories,
    ("date", "precision"): ("day", "month", "year"),
    ("actor", "kind"): ACTOR_KINDS,
    ("legal", "kind"): LEGAL_KINDS,
}
_ISO = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
MAX_TEXT = 2000


# -- who ---------------------------------------------------------------------------------------------------------
def analyst_name(by: str | None) -> str:
    """The analyst: ``--by``, else ``$COUNTERCLAIM_ANALYST``, else the login name."""
    name = (by or os.environ.get(ANALYST_ENV) or "").strip()
    if not name:
        try:
            name = getpass.getuser()
        except (OSError, KeyError):
            name = ""
    name = " ".join(name.split())
    if not name:
        raise UsageError(f"who is deciding? give --by NAME (or set ${ANALYST_ENV})")
    if len(name) > 80:
        raise UsageError("the analyst's name is longer than 80 characters")
    return name


# -- validation --------------------------------------------------------------------------------------------------
def record_class(type_: str) -> type[Record]:
    cls = RECORD_TYPES.get(type_)
    if cls is None:
        raise UsageError(f"unknown record type {type_!r}; one of: {', '.join(RECORD_TYPES)}")
    return cls


def editable_fields(type_: str) -> list[str]:
    """The fields of a record type an analyst may set."""
    return [f.name for f in fields(record_class(type_)) if f.name not in BASE_FIELDS | LINK_FIELDS]


def required_fields(type_: str) -> list[str]:
    """Fields an added record must be given (they have no default)."""
    return [
        f.name for f in fields(record_class(type_))
        if f.name not in BASE_FIELDS | LINK_FIELDS
        and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]


def parse_sets(pairs: Iterable[str]) -> dict[str, str]:
    """``--set field=value`` options as a mapping (the last one wins)."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--set takes FIELD=VALUE (got {pair!r}), e.g. --set accused=Russia")
        out[name.strip()] = value.strip()
    return out


def _annotation(type_: str, name: str) -> str:
    return str(next(f.type for f in fields(record_class(type_)) if f.name == name))


def _convert(type_: str, name: str, value: Any) -> Any:
    """A typed value from what was given (text from the CLI, JSON from the web)."""
    ann = _annotation(type_, name).replace(" ", "")
    optional = "None" in ann
    if isinstance(value, str):
        value = value.strip()
        if len(value) > MAX_TEXT:
            raise UsageError(f"{name}: the value is longer than {MAX_TEXT} characters")
    if optional and (value is None or (isinstance(value, str) and value.lower() in ("", "null", "none"))):
        return None
    if ann.startswith("list["):
        items = value if isinstance(value, list) else re.split(r"\s*[;,]\s*", str(value or ""))
        return [str(v).strip() for v in items if str(v).strip()]
    if ann.startswith("float"):
        try:
            number = float(str(value).replace(",", "")) if not isinstance(value, int | float) else float(value)
        except ValueError:
            raise UsageError(f"{name} must be a number (got {value!r})") from None
        if number != number or number in (float("inf"), float("-inf")) or number < 0:
            raise UsageError(f"{name} must be a finite number of 0 or more (got {value!r})")
        return number
    if ann.startswith("bool"):
        if isinstance(value, bool):
            return value
        text = str(value).lower()
        if text in ("true", "yes", "1"):
            return True
        if text in ("false", "no", "0"):
            return False
        raise UsageError(f"{name} must be true or false (got {value!r})")
    if value is None:
        raise UsageError(f"{name} cannot be empty")
    if not isinstance(value, str):
        raise UsageError(f"{name} must be text (got {value!r})")
    if not value and not optional and name not in ("text", "value_text"):
        raise UsageError(f"{name} cannot be empty")
    return value


def _canonical_actor(name: str, allow_new_actor: bool) -> str:
    from counterclaim.extract.actor_dictionary import get_dictionary

    dictionary = get_dictionary()
    canonical = dictionary.canonical(name)
    if canonical:
        return canonical
    if allow_new_actor:
        return name
    known = sorted(dictionary.kinds)
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise UsageError(
        f"unknown actor {name!r}: not in the actor dictionary; {hint}use a canonical name (e.g. Russia, Ukraine, "
        "European Union), add it to your own dictionary ($COUNTERCLAIM_ACTORS), or pass --allow-new-actor"
    )


def _check_act(act: str) -> str:
    from counterclaim.extract.acts import taxonomy

    codes = sorted(taxonomy())
    if act in codes:
        return act
    close = difflib.get_close_matches(act, codes, n=3, cutoff=0.5)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise UsageError(f"unknown act {act!r}{hint}; acts are the codes of the taxonomy: {', '.join(codes)}")


def validate_changes(type_: str, changes: dict[str, Any], *, allow_new_actor: bool = False) -> dict[str, Any]:
    """Typed, checked and canonicalised field values; a :class:`UsageError` naming the first problem otherwise."""
    allowed = editable_fields(type_)
    out: dict[str, Any] = {}
    for name, raw in changes.items():
        if name not in allowed:
            why = "is part of the record's place in the text" if name in BASE_FIELDS else "is not a field"
            if name in LINK_FIELDS:
                why = "is set by the extractor (links to other records, rules, confidence)"
            raise UsageError(f"{name!r} of a {type_} {why}; fields an analyst may set: {', '.join(allowed)}")
        value = _convert(type_, name, raw)
        choices = CHOICES.get((type_, name))
        if choices and value not in choices:
            raise UsageError(f"{name} must be one of {', '.join(choices)} (got {value!r})")
        if type_ == "allegation" and name == "act":
            value = _check_act(value)
        if type_ == "date" and name == "date" and not _ISO.match(value):
            raise UsageError(f"date must be ISO: YYYY-MM-DD, YYYY-MM or YYYY (got {value!r})")
        if name in ACTOR_FIELDS.get(type_, ()) and value is not None:
            if isinstance(value, list):
                value = list(dict.fromkeys(_canonical_actor(v, allow_new_actor) for v in value))
            else:
                value = _canonical_actor(value, allow_new_actor)
        out[name] = value
    if type_ == "date" and "date" in out and "precision" not in out:
        out["precision"] = {4: "year", 7: "month"}.get(len(out["date"]), "day")
    return out


def _check_reason(reason: str | None, required: bool, what: str) -> str | None:
    reason = " ".join((reason or "").split()) or None
    if required and not reason:
        raise UsageError(f"{what} needs a reason (--reason TEXT): the log must say why")
    if reason and len(reason) > MAX_TEXT:
        raise UsageError(f"the reason is longer than {MAX_TEXT} characters")
    return reason


# -- the reviewed view -------------------------------------------------------------------------------------------
@dataclass
class Reviewed:
    """A record as the reviewed view shows it (corrections applied) with the subject of its decisions, if any."""

    record: Record
    subject: Subject | None = None

    @property
    def status(self) -> str:
        return self.subject.status if self.subject else "machine"

    @property
    def orphaned(self) -> bool:
        return bool(self.subject and self.subject.orphaned)

    def review_fields(self) -> dict[str, Any]:
        s = self.subject
        out: dict[str, Any] = {
            "status": self.status, "reviewed_by": s.reviewed_by if s else None,
            "reviewed_at": s.reviewed_at if s else None, "reason": s.reason if s else None,
        }
        if s and s.status == "corrected":
            out["original"] = {k: s.machine.get(k) for k in s.changes if k in s.machine}
        if self.orphaned:
            out["orphaned"] = True
        return out

    def export(self, source: str | None = None) -> dict[str, Any]:
        """The export contract's object plus ``status``, ``reviewed_by``, ``reviewed_at``, ``reason``."""
        return {**self.record.export(source), **self.review_fields()}


def _apply(record: Record, changes: dict[str, Any]) -> Record:
    names = {f.name for f in fields(record)}
    usable = {k: v for k, v in changes.items() if k in names and k not in BASE_FIELDS}
    return dataclasses.replace(record, **usable) if usable else record


def _detached_record(subject: Subject) -> Record:
    """The record of an added or orphaned subject: its machine snapshot (if any) with the changes applied."""
    data = {**subject.machine, **subject.changes}
    base = {"id": subject.id, "doc": subject.doc_id, "start": subject.start, "end": subject.end,
            "sentence": subject.sentence, "version": str(subject.machine.get("version") or "review")}
    cls = record_class(subject.type)
    for name in required_fields(subject.type):  # a snapshot from an older record layout may lack a field
        data.setdefault(name, None if "None" in _annotation(subject.type, name) else "")
    record = record_from_row(cls.TYPE, base, data)
    return record


def overlay(
    ledger: Ledger, records: Sequence[Record], *, include_rejected: bool = False, store: ReviewStore | None = None
) -> list[Reviewed]:
    """Machine records as the reviewed view shows them (rejected ones left out unless ``include_rejected``)."""
    store = store or ReviewStore(ledger)
    subjects = store.by_record([r.id for r in records])
    out: list[Reviewed] = []
    for record in records:
        subject = subjects.get(record.id)
        if subject and subject.status == "rejected" and not include_rejected:
            continue
        out.append(Reviewed(_apply(record, subject.changes) if subject else record, subject))
    return out


def detached(
    ledger: Ledger, *, type_: str | None = None, doc_id: str | None = None, include_rejected: bool = False,
    store: ReviewStore | None = None,
) -> list[Reviewed]:
    """Records that exist only in the review layer: added by analysts, or reviewed and then orphaned."""
    store = store or ReviewStore(ledger)
    out = []
    for subject in store.subjects(type_=type_, doc_id=doc_id, detached=True):
        if subject.status == "rejected" and not include_rejected:
            continue
        out.append(Reviewed(_detached_record(subject), subject))
    return out


def review_view(
    ledger: Ledger, type_: str | None = None, *, doc_id: str | None = None, include_rejected: bool = False,
) -> list[Reviewed]:
    """Every record (of a type / document) in the reviewed view, in document and text order."""
    store = ReviewStore(ledger)
    items = overlay(ledger, ledger.records(type_, doc_id=doc_id), include_rejected=include_rejected, store=store)
    items += detached(ledger, type_=type_, doc_id=doc_id, include_rejected=include_rejected, store=store)
    items.sort(key=lambda r: (r.record.doc, r.record.start, r.record.TYPE, r.record.id))
    return items


def matches(record: Record, where: dict[str, Any]) -> bool:
    """Case-insensitive field match; a list field matches when it contains the value (as ``Ledger.records``)."""
    for key, wanted in where.items():
        if wanted in (None, ""):
            continue
        value = getattr(record, key, None)
        values = value if isinstance(value, list) else [value]
        if not any(str(v).lower() == str(wanted).lower() for v in values if v is not None):
            return False
    return True


# -- decisions ---------------------------------------------------------------------------------------------------
class Reviewer:
    """Records analysts' decisions on one ledger (opened for writing)."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.store = ReviewStore(ledger)
        if not self.store.ready:
            raise UsageError("this ledger is opened read-only; decisions need it writable")

    def resolve(self, record_id: str) -> tuple[Record | None, Subject | None]:
        """The machine record (or ``None``) and the subject of decisions (or ``None``) for an id or unique prefix.

        Ids are those the reviewed view shows: machine record ids, and for added or orphaned records their own id.
        """
        record_id = record_id.strip()
        if not re.fullmatch(r"[0-9a-f]{4,64}", record_id):
            raise NotFound(f"no record with id {record_id[:70]!r} (ids are hex digits, as 'counterclaim review list' "
                           "shows)")
        rows = self.ledger.conn.execute(
            "SELECT id FROM records WHERE id >= ? AND id < ? LIMIT 2", (record_id, record_id + "\uffff")
        ).fetchall()
        detached_hits = self.store.find_prefix(record_id)
        ids = [r[0] for r in rows]
        if len(ids) + len(detached_hits) > 1 and record_id not in ids and not any(s.id == record_id for s in detached_hits):
            raise NotFound(f"'{record_id}' matches several records; give more characters of the id")
        if ids and (record_id in ids or not detached_hits):
            record = self.ledger.get_record(ids[0])
            return record, self.store.by_record([record.id]).get(record.id)
        if detached_hits:
            return None, detached_hits[0]
        raise NotFound(f"no record with id {record_id} (list them with 'counterclaim review list --status all')")

    def _subject_for(self, record: Record | None, subject: Subject | None, analyst: str, at: str) -> tuple[Subject, bool]:
        if subject is not None:
            return subject, False
        assert record is not None
        text = self.ledger.get_document(record.doc).text
        machine = {**record.data(), "version": record.version}
        return Subject(
            id=record.id, doc_id=record.doc, type=record.TYPE, start=record.start, end=record.end,
            span_sha256=text_hash(text[record.start : record.end]), sentence=record.sentence, machine=machine,
            record_id=record.id, status="confirmed", reviewed_by=analyst, reviewed_at=at, created_at=at,
        ), True

    def _current(self, record: Record | None, subject: Subject | None) -> Record:
        if subject is not None and record is None:
            return _detached_record(subject)
        assert record is not None
        return _apply(record, subject.changes) if subject else record

    def decide(
        self, record_id: str, action: str, *, by: str | None = None, reason: str | None = None,
        changes: dict[str, Any] | None = None, allow_new_actor: bool = False,
    ) -> Reviewed:
        """Confirm, correct or reject the record ``record_id``; returns it as the reviewed view now shows it.

        When another analyst's first decision on the same record lands between reading and writing, the decision is
        made again on top of it (both stay in the log)."""
        try:
            return self._decide(record_id, action, by=by, reason=reason, changes=changes,
                                allow_new_actor=allow_new_actor)
        except SubjectExists:
            return self._decide(record_id, action, by=by, reason=reason, changes=changes,
                                allow_new_actor=allow_new_actor)

    def _decide(
        self, record_id: str, action: str, *, by: str | None, reason: str | None, changes: dict[str, Any] | None,
        allow_new_actor: bool,
    ) -> Reviewed:
        if action not in ("confirm", "correct", "reject"):
            raise UsageError(f"unknown decision {action!r}; one of confirm, correct, reject (add: 'review add')")
        analyst = analyst_name(by)
        record, subject = self.resolve(record_id)
        reason = _check_reason(reason, action == "reject", "a rejection")
        type_ = (record.TYPE if record else subject.type if subject else "")
        checked: dict[str, Any] = {}
        if action == "correct":
            if not changes:
                raise UsageError("a correction needs at least one --set FIELD=VALUE (e.g. --set accused=Russia)")
            checked = validate_changes(type_, changes, allow_new_actor=allow_new_actor)
        before_record = self._current(record, subject)
        old_status = subject.status if subject else "machine"
        at = now()
        subject, new = self._subject_for(record, subject, analyst, at)
        if action == "correct":
            merged = {**subject.changes, **checked}
            if not subject.added:  # a value set back to what the extractor said is no correction
                merged = {k: v for k, v in merged.items() if k not in subject.machine or subject.machine[k] != v}
            subject.changes = merged
        if action == "reject":
            subject.status = "rejected"
        elif subject.added:
            subject.status = "added"
        else:
            subject.status = "corrected" if subject.changes else "confirmed"
        subject.reviewed_by, subject.reviewed_at, subject.reason = analyst, at, reason
        touched = sorted(checked)
        before = {"status": old_status, **{k: getattr(before_record, k, None) for k in touched}}
        after = {"status": subject.status, **{k: checked[k] for k in touched}}
        self.store.save(subject, new=new, action=action, record_id=record.id if record else None,
                        before=before, after=after)
        return Reviewed(self._current(record, subject), subject)

    def add(
        self, doc_id: str, type_: str, start: int, end: int, values: dict[str, Any], *, by: str | None = None,
        reason: str | None = None, allow_new_actor: bool = False,
    ) -> Reviewed:
        """Add a record the extractor missed, at ``text[start:end]`` of the document."""
        analyst = analyst_name(by)
        cls = record_class(type_)
        doc = self.ledger.get_document(doc_id)
        if not (0 <= start < end <= len(doc.text)):
            raise UsageError(f"the span {start}..{end} is not inside the document (0..{len(doc.text)})")
        span = doc.text[start:end]
        if not span.strip():
            raise UsageError("the selected span is only white space; select the words the record stands on")
        checked = validate_changes(type_, values, allow_new_actor=allow_new_actor)
        if "text" in editable_fields(type_) and not checked.get("text"):
            checked["text"] = span
        if type_ == "figure" and not checked.get("value_text"):
            checked["value_text"] = span
        missing = [f for f in required_fields(type_) if checked.get(f) in (None, "")]
        if missing:
            raise UsageError(f"an added {type_} needs {', '.join('--set ' + m + '=...' for m in missing)}")
        at = now()
        sentence = sentence_around(doc.text, start, end)
        record_id = make_id("added", type_, doc.id, start, end, analyst, at, sorted(checked.items()))
        record = cls(doc=doc.id, start=start, end=end, sentence=sentence, version="review", id=record_id, **checked)
        subject = Subject(
            id=record_id, doc_id=doc.id, type=type_, start=start, end=end, span_sha256=text_hash(span),
            sentence=sentence, added=True, status="added", changes=record.data(), reason=_check_reason(reason, False, ""),
            reviewed_by=analyst, reviewed_at=at, created_at=at,
        )
        self.store.save(subject, new=True, action="add", record_id=None, before={"status": None},
                        after={"status": "added", **checked, "start": start, "end": end})
        return Reviewed(record, subject)


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding ``text[start:end]``: from the end of the previous sentence to the end of this one."""
    left = max(text.rfind(". ", 0, start), text.rfind("? ", 0, start), text.rfind("! ", 0, start),
               text.rfind("\n", 0, start))
    lo = left + 1 if left >= 0 else 0
    rights = [i for i in (text.find(". ", end), text.find("? ", end), text.find("! ", end), text.find("\n", end)) if i >= 0]
    hi = min(rights) + 1 if rights else len(text)
    return text[lo:hi].strip()


# -- the queue ---------------------------------------------------------------------------------------------------
def queue_key(record: Record) -> tuple[Any, ...]:
    """Lowest confidence first when records carry one; then document, type (allegations first) and position."""
    confidence = getattr(record, "confidence", None)
    order = QUEUE_TYPE_ORDER.index(record.TYPE) if record.TYPE in QUEUE_TYPE_ORDER else len(QUEUE_TYPE_ORDER)
    return (confidence if isinstance(confidence, int | float) else 2.0, record.doc, order, record.start, record.id)


def progress(ledger: Ledger) -> dict[str, dict[str, int]]:
    """Per document: machine ``records``, how many are ``reviewed``, ``added`` and ``orphaned`` decisions."""
    return ReviewStore(ledger).reviewed_counts()


def queue(items: list[Reviewed], status: str) -> list[Reviewed]:
    """The review queue's records for a status filter (``unreviewed``, ``reviewed``, ``orphaned``, ``all`` or one
    status), in queue order (lowest confidence first, see :func:`queue_key`). Used by the CLI and the web queue."""
    if status == "unreviewed":
        items = [i for i in items if i.status == "machine"]
    elif status == "reviewed":
        items = [i for i in items if i.status != "machine"]
    elif status == "orphaned":
        items = [i for i in items if i.orphaned]
    elif status != "all":
        items = [i for i in items if i.status == status]
    return sorted(items, key=lambda i: queue_key(i.record))
