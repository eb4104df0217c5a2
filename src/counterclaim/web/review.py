"""The workbench's review: the queue page, decisions over JSON, and the reviewed view of list rows.

=============================  ======================================================================
``/review``                    the queue: unreviewed records, lowest confidence first (else by document,
                               type and position), filters, progress per document, keyboard shortcuts
``/api/review/queue``          the same as JSON
``POST /api/review/{id}``      ``{"action": "confirm"|"reject"|"correct", "set": {...}, "reason", "by"}``
``POST /api/review/add``       ``{"doc", "type", "start", "end", "set": {...}, "reason", "by"}``
``/api/review/log``            the audit log
=============================  ======================================================================

Decisions go through :class:`counterclaim.review.Reviewer`, which validates every value on the server. Writes need
``--allow-edit`` (and the token, and a same-origin request: the app's guard checks all three).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cmp_to_key
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from counterclaim.errors import UsageError
from counterclaim.records import RECORD_TYPES, Record
from counterclaim.review import (
    QUEUE_TYPE_ORDER,
    Reviewed,
    Reviewer,
    editable_fields,
    progress,
    queue,
    review_view,
)
from counterclaim.store import Ledger
from counterclaim.store.review import ReviewStore

QUEUE_LIMIT = 200
CONTEXT_CHARS = 160
STATUS_FILTERS = ("unreviewed", "reviewed", "confirmed", "corrected", "rejected", "added", "orphaned", "all")


class Decision(BaseModel):
    """A decision on one record."""

    action: str = Field(description="confirm | reject | correct")
    set: dict[str, Any] | None = Field(None, description="correct: new values of fields ({\"accused\": \"Russia\"})")
    reason: str | None = Field(None, description="why (required to reject)")
    by: str | None = Field(None, description="the analyst's name")
    allow_new_actor: bool = False


class Addition(BaseModel):
    """A record the extractor missed, at ``text[start:end]`` of a document."""

    doc: str
    type: str
    start: int
    end: int
    set: dict[str, Any] = Field(default_factory=dict)
    reason: str | None = None
    by: str | None = None
    allow_new_actor: bool = False


def review_summary(review: Reviewed | None) -> dict[str, Any] | None:
    """The ``review`` object of a record in the workbench's JSON (``None`` for an unreviewed machine record)."""
    if review is None or review.subject is None:
        return None
    return {**review.review_fields(), "rejected": review.status == "rejected"}


def _matches(row: dict[str, Any], filters: dict[str, Any]) -> bool:
    for key, wanted in filters.items():
        if not wanted:
            continue
        value = row.get(key)
        values = value if isinstance(value, list) else [value]
        if not any(str(v).lower() == str(wanted).lower() for v in values if v is not None):
            return False
    return True


def overlay_rows(
    ledger: Ledger, rows: list[dict[str, Any]], *, include_rejected: bool = False,
    filters: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """List rows (record exports) in the reviewed view: corrections applied, ``status`` and ``review`` set,
    rejected rows left out unless ``include_rejected``; a corrected row no longer matching ``filters`` (the list's
    field filters, matched by the query on the machine values) is left out too."""
    subjects = ReviewStore(ledger).by_record([r["id"] for r in rows])
    out = []
    for row in rows:
        subject = subjects.get(row["id"])
        if subject is None:
            out.append({**row, "status": "machine", "review": None})
            continue
        if subject.status == "rejected" and not include_rejected:
            continue
        item = {**row, **{k: v for k, v in subject.changes.items() if k in row}}
        if filters and not _matches(item, filters):
            continue
        fields = {"status": subject.status, "reviewed_by": subject.reviewed_by, "reviewed_at": subject.reviewed_at,
                  "reason": subject.reason}
        out.append({**item, **fields, "review": {**fields, "rejected": subject.status == "rejected",
                                                  "original": {k: subject.machine.get(k) for k in subject.changes}}})
    return out


def _walk_cmp(a: tuple[str, str, float, str], b: tuple[str, str, float, str]) -> int:
    """The order of the list pages: statement date newest first, then document id descending, then position."""
    for x, y, desc in ((a[0], b[0], True), (a[1], b[1], True), (a[2], b[2], False), (a[3], b[3], False)):
        if x != y:
            return (-1 if x > y else 1) if desc else (-1 if x < y else 1)  # type: ignore[operator]
    return 0


def _cursor_key(cursor: str | None) -> tuple[str, str, float, str] | None:
    """A page cursor as a walk key; a document cursor (``k~doc``) stands after every record of that document."""
    from counterclaim.store.web_queries import parse_cursor

    parts = parse_cursor(cursor, 4)
    if not parts:
        return None
    if len(parts) == 2:
        return (parts[0], parts[1], float("inf"), "")
    return (parts[0], parts[1], float(parts[2]), parts[3])


def merge_detached(
    ledger: Ledger, type_: str, rows: list[dict[str, Any]], *, after: str | None, next_cursor: str | None,
    filters: dict[str, Any], since: str | None = None, until: str | None = None, min_value: float | None = None,
) -> list[dict[str, Any]]:
    """Put the records the list's query cannot see into a list page at their place in its order, when they fall
    between the page's cursor and the next page's: those that exist only in the review layer (added by analysts,
    orphaned but signed off) and, with field filters, records corrected into them."""
    from counterclaim.review import detached, overlay

    items = detached(ledger, type_=type_)
    keys = {k for k, v in filters.items() if v}
    if keys:  # records corrected *into* the filters: the query matched the extractor's values and missed them
        corrected = [subj for subj in ReviewStore(ledger).subjects(type_=type_)
                     if subj.record_id and subj.status == "corrected" and keys & subj.changes.keys()
                     and not _matches({**subj.machine}, {k: filters[k] for k in keys})]
        for subj in corrected:
            items += overlay(ledger, [ledger.get_record(subj.record_id or "")])
    if not items:
        return rows
    lo, hi = _cursor_key(after), _cursor_key(next_cursor)
    docs = {d["id"]: d for d in ledger.documents()} if items else {}
    extra = []
    for item in items:
        doc = docs.get(item.record.doc)
        if doc is None:
            continue
        published = doc.get("published") or ""
        if (since and (not published or published < since)) or (until and (not published or published > until + "\uffff")):
            continue
        value = getattr(item.record, "value", None)
        if min_value is not None and (value is None or float(value) < min_value):
            continue
        row = {**item.export(), "doc_title": doc.get("title"), "doc_publisher": doc.get("publisher"),
               "doc_published": doc.get("published")}
        row.pop("source", None)
        if not _matches(row, filters):
            continue
        key = (published, item.record.doc, float(item.record.start), item.record.id)
        if (lo is None or _walk_cmp(lo, key) < 0) and (hi is None or _walk_cmp(key, hi) <= 0):
            row["review"] = {**item.review_fields(), "rejected": False}
            extra.append((key, row))
    if not extra:
        return rows
    keyed = [((r.get("doc_published") or "", r["doc"], float(r["start"]), r["id"]), r) for r in rows] + extra
    def by_key(a: tuple[tuple[str, str, float, str], dict[str, Any]],
               b: tuple[tuple[str, str, float, str], dict[str, Any]]) -> int:
        return _walk_cmp(a[0], b[0])

    keyed.sort(key=cmp_to_key(by_key))
    return [r for _, r in keyed]


def _field_lines(record: Record) -> str:
    """``field=value`` lines of the editable fields (what the correction form starts from)."""
    lines = []
    for name in editable_fields(record.TYPE):
        value = getattr(record, name)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        lines.append(f"{name}={'' if value is None else value}")
    return "\n".join(lines)


def _template_lines(type_: str) -> str:
    from counterclaim.review import required_fields

    wanted = {"allegation": ["claimant", "accused", "act", "stance"], "figure": ["value", "category", "qualifier", "subject"],
              "quote": ["speaker", "affiliation"], "date": ["date"], "actor": ["actor", "kind"],
              "legal": ["instrument", "kind"]}.get(type_, required_fields(type_))
    defaults = {"stance": "assert", "qualifier": "exact", "kind": ""}
    return "\n".join(f"{n}={defaults.get(n, '')}" for n in wanted)


def queue_items(
    ledger: Ledger, *, doc: str | None, type_: str | None, act: str | None, incident: str | None, status: str,
    limit: int = QUEUE_LIMIT,
) -> dict[str, Any]:
    """The queue (filtered, ordered), the documents' progress and, with one document, its text."""
    if status not in STATUS_FILTERS:
        raise UsageError(f"status must be one of {', '.join(STATUS_FILTERS)} (got {status[:20]!r})")
    if type_ and type_ not in RECORD_TYPES:
        raise UsageError(f"type must be one of {', '.join(RECORD_TYPES)} (got {type_[:20]!r})")
    doc_id = ledger.get_document(doc).id if doc else None
    items = review_view(ledger, type_, doc_id=doc_id, include_rejected=True)
    if act:
        items = [i for i in items if getattr(i.record, "act", None) == act]
    if incident:
        from counterclaim.store.links import LinkStore

        store = LinkStore(ledger)
        ids = set(store.incident_record_ids(store.get_incident(incident)["id"]))
        items = [i for i in items if i.record.id in ids or (i.subject and i.subject.record_id in ids)]
    items = queue(items, status)
    total = len(items)
    items = items[:limit]
    texts: dict[str, str] = {}
    for d in {i.record.doc for i in items} | ({doc_id} if doc_id else set()):
        texts[d] = ledger.get_document(d).text
    counts = progress(ledger)
    titles = {d["id"]: d["title"] for d in ledger.documents()}
    docs = [{"id": d, "title": titles.get(d), **c} for d, c in sorted(counts.items(), key=lambda kv: kv[0])]
    if doc_id:
        docs = [d for d in docs if d["id"] == doc_id]
    return {
        "filters": {"doc": doc_id, "type": type_, "act": act, "incident": incident, "status": status},
        "total": total, "items": items, "texts": texts, "progress": docs, "titles": titles,
    }


def register(app: FastAPI, get_ledger: Callable[[], Ledger], render: Callable[..., HTMLResponse]) -> None:
    """Add the review pages and endpoints to the workbench ``app``."""

    def item_json(item: Reviewed) -> dict[str, Any]:
        return {**item.export(), "fields": editable_fields(item.record.TYPE)}

    @app.get("/review", response_class=HTMLResponse, include_in_schema=False)
    def review_page(
        request: Request, doc: str | None = None, type: str | None = None, act: str | None = None,  # noqa: A002
        incident: str | None = None, status: str = "unreviewed",
    ) -> HTMLResponse:
        data = queue_items(get_ledger(), doc=doc or None, type_=type or None, act=act or None,
                           incident=incident or None, status=status)
        rows = []
        for item in data["items"]:
            rec = item.record
            text = data["texts"].get(rec.doc, "")
            rows.append({
                "item": item, "rec": rec, "before": text[max(0, rec.start - CONTEXT_CHARS) : rec.start],
                "span": text[rec.start : rec.end], "after": text[rec.end : rec.end + CONTEXT_CHARS],
                "lines": _field_lines(rec), "title": data["titles"].get(rec.doc),
            })
        from counterclaim.extract.acts import taxonomy

        doc_text = data["texts"].get(data["filters"]["doc"]) if data["filters"]["doc"] else None
        return render(
            request, "review.html", nav="review", rows=rows, filters=data["filters"], total=data["total"],
            progress=data["progress"], doc_text=doc_text, types=list(RECORD_TYPES), type_order=QUEUE_TYPE_ORDER,
            statuses=STATUS_FILTERS, acts=sorted(taxonomy()),
            templates={t: _template_lines(t) for t in RECORD_TYPES},
        )

    @app.get("/api/review/queue", tags=["review"], summary="The review queue (unreviewed records first)")
    def review_queue_api(
        doc: str | None = Query(None, description="document id or unique prefix"),
        type: str | None = Query(None, description="record type"),  # noqa: A002
        act: str | None = Query(None, description="allegations of this act code"),
        incident: str | None = Query(None, description="records of this incident (id prefix or label)"),
        status: str = Query("unreviewed", description=" | ".join(STATUS_FILTERS)),
        limit: int = QUEUE_LIMIT,
    ) -> dict[str, Any]:
        data = queue_items(get_ledger(), doc=doc, type_=type, act=act, incident=incident, status=status,
                           limit=max(1, min(limit, 2000)))
        return {"filters": data["filters"], "total": data["total"], "progress": data["progress"],
                "records": [item_json(i) for i in data["items"]]}

    @app.post("/api/review/add", tags=["review"], summary="Add a record the extractor missed (--allow-edit)")
    def review_add(body: Addition) -> dict[str, Any]:
        item = Reviewer(get_ledger()).add(body.doc, body.type, body.start, body.end, body.set, by=body.by or "web",
                                          reason=body.reason, allow_new_actor=body.allow_new_actor)
        return item_json(item)

    @app.post("/api/review/{record_id}", tags=["review"], summary="Confirm, reject or correct a record (--allow-edit)")
    def review_decide(record_id: str, body: Decision) -> dict[str, Any]:
        item = Reviewer(get_ledger()).decide(record_id, body.action, by=body.by or "web", reason=body.reason,
                                             changes=body.set, allow_new_actor=body.allow_new_actor)
        return item_json(item)

    @app.get("/api/review/log", tags=["review"], summary="The audit log of decisions, oldest first")
    def review_log_api(doc: str | None = None, limit: int | None = None) -> dict[str, Any]:
        ledger = get_ledger()
        doc_id = ledger.get_document(doc).id if doc else None
        return {"log": ReviewStore(ledger).log(doc_id=doc_id, limit=limit)}


__all__ = ["overlay_rows", "queue_items", "register", "review_summary"]
