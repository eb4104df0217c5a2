"""The local web workbench: a FastAPI app of server-rendered pages over one ledger, each with a JSON twin.

``create_app(db_path)`` builds the app; ``counterclaim serve`` runs it with uvicorn. Pages and their twins:

=======================  ===========================  ==================================================
page                     JSON                         what
=======================  ===========================  ==================================================
``/documents``           ``/api/documents``           full-text search, filters, server-side pagination
``/documents/{id}``      ``/api/documents/{id}``      text with every record highlighted, related documents
``/allegations``         ``/api/allegations``         who accuses whom of what (+ ``/allegations.csv``)
``/figures``             ``/api/figures``             casualty and other figures
``/timeline``            ``/api/timeline``            statements and dated events (``/timeline.svg``)
``/graph``               ``/api/graph``               who accuses whom (``/graph.svg``)
=======================  ===========================  ==================================================

Security: all document text is untrusted. Templates autoescape everything, every response carries a strict
Content-Security-Policy (no inline script or style), the only script is the shipped ``static/workbench.js``.
With a ``token`` every request must present it (``Authorization: Bearer``, the ``cc_token`` cookie, or once
``?token=`` which sets the cookie). Without ``allow_edit`` every request other than GET/HEAD is refused (403); with
it, a state-changing request must be JSON and not cross-site (``web/security.py``: Origin / Sec-Fetch-Site).
Records are shown in the reviewed view (analysts' decisions applied); the review queue is ``/review``
(``web/review.py``).
"""

from __future__ import annotations

import csv
import hmac
import io
import logging
import re
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from counterclaim import __version__
from counterclaim.coverage import analysis_note
from counterclaim.docextras import clean_corrections, document_extras, record_page
from counterclaim.errors import CounterclaimError, LedgerError, NotFound, UsageError
from counterclaim.records import RECORD_TYPES, Record
from counterclaim.review import Reviewer, overlay, review_view
from counterclaim.store import Ledger
from counterclaim.store import web_queries as q
from counterclaim.store.docmeta import fixes, set_fix
from counterclaim.web import review as review_pages
from counterclaim.web import svg
from counterclaim.web.highlight import TYPE_ORDER, segments
from counterclaim.web.security import HeadAsGet, HostGuard, cross_site_refusal
from counterclaim.web.validation import check_changes

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
PAGE_SIZE = 50
CHOICES_TTL_S = 60.0
MAX_PAGE_SIZE = 500
TOKEN_COOKIE = "cc_token"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
SAFE_METHODS = {"GET", "HEAD"}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

STANCE_LABELS = {"assert": "asserts", "deny": "denies", "call_to_investigate": "calls to investigate"}


class ErrorBody(BaseModel):
    """The one error shape of every JSON answer: ``{"error": {"status": 404, "message": "..."}}``."""

    status: int
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


class DocumentMetaEdit(BaseModel):
    """An analyst's correction of a document's metadata (fields left out are not changed)."""

    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    author: str | None = None
    language: str | None = None
    note: str | None = None
class IncidentDecision(BaseModel):
    """An analyst's decision about an incident (see `counterclaim incident --help`)."""

    action: str  # merge | split | move_out | move_in | rename
    others: list[str] = []  # merge: the incidents (ids or labels) merged into this one
    docs: list[str] = []  # split / move_out / move_in: document ids (or prefixes)
    label: str | None = None  # rename


class RecordEdit(BaseModel):
    """A correction: new values for some fields, and/or a rejection (with an optional note)."""

    set: dict[str, Any] | None = None
    rejected: bool | None = None
    note: str | None = None
    by: str | None = None


@dataclass
class Settings:
    db_path: Path
    allow_edit: bool
    token: str | None


class _Ledgers:
    """One ledger connection per worker thread (SQLite connections must not be shared across threads)."""

    def __init__(self, path: Path, readonly: bool) -> None:
        self.path = path
        self.readonly = readonly
        self.local = threading.local()
        self.all: list[Ledger] = []
        self.lock = threading.Lock()

    def get(self) -> Ledger:
        ledger: Ledger | None = getattr(self.local, "ledger", None)
        if ledger is None:
            ledger = Ledger(self.path, readonly=self.readonly)
            q.tune_for_reading(ledger)
            self.local.ledger = ledger
            with self.lock:
                self.all.append(ledger)
        return ledger

    def close(self) -> None:
        with self.lock:
            for ledger in self.all:
                try:
                    ledger.close()
                except Exception:  # noqa: BLE001 - closing at shutdown is best effort
                    pass
            self.all.clear()


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path.endswith((".json", ".csv", ".svg")) or path == "/openapi.json"


def _date(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    if not _DATE.match(value):
        raise UsageError(f"{name} must be a date like 2022-10-04, 2022-10 or 2022 (got {value[:40]!r})")
    return value


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value[:200] or None


def _page_args(page: int, limit: int) -> tuple[int, int]:
    """The page size (bounded) and the number shown for the page (pages are keyset cursors, ``after``)."""
    return max(1, min(limit, MAX_PAGE_SIZE)), max(1, page)


def _pager(request: Request, page: int, limit: int, result: q.Page) -> dict[str, Any]:
    params = {k: v for k, v in request.query_params.items() if k not in {"page", "after", "token"} and v}
    shown = len(result.rows)
    first_row = (page - 1) * limit + 1
    return {
        "page": page, "limit": limit, "total": result.total, "capped": result.capped, "shown": shown,
        "after": result.next, "partial": result.partial, "scanned_to": result.scanned_to,
        "first": "?" + urlencode(params) if page > 1 else None,
        "next": "?" + urlencode({**params, "after": result.next, "page": page + 1}) if result.next else None,
        "first_row": first_row if shown else 0,
        "last_row": first_row + shown - 1,
    }


def _record_fields(record: Record) -> list[tuple[str, str]]:
    """The fields of a record worth showing, as (name, text) pairs in declaration order."""
    out: list[tuple[str, str]] = []
    for key, value in record.data().items():
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        out.append((key, str(value)))
    return out


def _snippet_parts(snippet: str | None) -> list[tuple[str, bool]]:
    """A search snippet as (text, matched) pieces, for the template to escape and mark."""
    if not snippet:
        return []
    parts: list[tuple[str, bool]] = []
    for i, chunk in enumerate(snippet.split(q.SNIPPET_OPEN)):
        if i == 0:
            parts.append((chunk, False))
            continue
        hit, _, rest = chunk.partition(q.SNIPPET_CLOSE)
        parts += [(hit, True), (rest, False)]
    return [(text.replace(q.SNIPPET_CLOSE, ""), hit) for text, hit in parts if text]


def _csv_safe(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def create_app(
    db_path: str | Path, *, allow_edit: bool = False, token: str | None = None, hosts: Iterable[str] | None = None
) -> FastAPI:
    """The workbench over the ledger at ``db_path`` (which must exist). ``hosts``: the only ``Host`` names it
    answers, and the origin edits must come from (``web/security.py``; ``serve`` always gives them)."""
    path = Path(db_path)
    if not path.exists():
        raise LedgerError(f"no ledger at {path} (create one with 'counterclaim analyze FILES --db {path}')")
    try:  # bring the schema (and the list indexes) up to date once, before worker threads open it read-only
        Ledger(path).close()
    except LedgerError as exc:
        if allow_edit:
            raise
        log.warning("cannot update the ledger's schema (%s); serving it as it is, lists may be slower", exc)
    settings = Settings(path, allow_edit, token or None)
    ledgers = _Ledgers(path, readonly=not allow_edit)
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(
        version=__version__, allow_edit=allow_edit, type_order=TYPE_ORDER, stance_labels=STANCE_LABELS,
        record_fields=_record_fields, snippet_parts=_snippet_parts, analysis_note=analysis_note, record_page=record_page,
    )

    app = FastAPI(
        title="counterclaim workbench",
        version=__version__,
        description="Read-only (unless --allow-edit) JSON API over a counterclaim ledger. Every error is "
        '`{"error": {"status": <code>, "message": <text>}}`.',
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        responses={400: {"model": ErrorResponse}, 401: {"model": ErrorResponse}, 403: {"model": ErrorResponse},
                   404: {"model": ErrorResponse}},
    )
    app.state.settings = settings
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.router.add_event_handler("shutdown", ledgers.close)

    cache: dict[str, tuple[float, Any]] = {}

    def cached(key: str, compute: Callable[[], Any]) -> Any:
        """Filter suggestions are read at most once a minute (they scan the ledger)."""
        hit = cache.get(key)
        if hit and time.monotonic() - hit[0] < CHOICES_TTL_S:
            return hit[1]
        value = compute()
        cache[key] = (time.monotonic(), value)
        return value

    def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("nav", request.url.path.split("/")[1] if request.url.path != "/" else "documents")
        html = env.get_template(template).render(request=request, **context)
        return HTMLResponse(html, status_code=status)

    def error(request: Request, status: int, message: str) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)
        return render(request, "error.html", status=status, status_code=status, message=message, nav="")

    # -- middleware: security headers, token, read-only --------------------------------------------------------
    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await _guarded(request, call_next)
        for name, value in SECURITY_HEADERS.items():
            response.headers[name] = value
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    async def _guarded(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if settings.token:
            given = _presented_token(request)
            if given is None or not hmac.compare_digest(given.encode(), settings.token.encode()):
                return error(request, 401, "this workbench needs its access token: open it with ?token=... once, "
                             "or send 'Authorization: Bearer <token>'")
            if request.query_params.get("token") is not None and request.method in SAFE_METHODS:
                rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
                target = request.url.path + ("?" + urlencode(rest) if rest else "")
                redirect = RedirectResponse(target, status_code=303)
                redirect.set_cookie(TOKEN_COOKIE, settings.token, httponly=True, samesite="strict", path="/")
                return redirect
        if request.method not in SAFE_METHODS:
            if not settings.allow_edit:
                return error(request, 403, "this workbench is read-only; start it with 'counterclaim serve --allow-edit' "
                             "to correct records")
            refusal = cross_site_refusal(request.method, request.headers, request.url.scheme)
            if refusal:
                return error(request, 403, refusal)
            if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
                return error(request, 415, "edits must be sent as application/json")
        response = await call_next(request)
        if request.method not in SAFE_METHODS:
            cache.clear()  # a decision changes what the graph, timeline and filter suggestions show
        return response

    def _presented_token(request: Request) -> str | None:
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip()
        if request.query_params.get("token") is not None:
            return request.query_params["token"]
        return request.cookies.get(TOKEN_COOKIE)

    # -- errors: one shape ---------------------------------------------------------------------------------
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no page at {request.url.path} (see /documents, or /openapi.json for the API)"
        if exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        return error(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for item in exc.errors()[:5]:
            where = ".".join(str(x) for x in item.get("loc", ()) if x not in ("query", "path", "body"))
            parts.append(f"{where}: {item.get('msg', 'invalid')}")
        return error(request, 400, "bad request: " + "; ".join(parts))

    @app.exception_handler(CounterclaimError)
    async def project_error(request: Request, exc: CounterclaimError) -> Response:
        status = 404 if isinstance(exc, NotFound) else 400 if isinstance(exc, UsageError) else 500
        if status == 500:
            log.error("workbench error on %s: %s", request.url.path, exc)
        return error(request, status, str(exc))

    # -- documents -----------------------------------------------------------------------------------------
    def documents_data(
        request: Request, q_: str | None, publisher: str | None, language: str | None, since: str | None,
        until: str | None, page: int, limit: int, after: str | None,
    ) -> dict[str, Any]:
        limit, page = _page_args(page, limit)
        filters = {
            "q": _clean(q_), "publisher": _clean(publisher), "language": _clean(language),
            "since": _date(since, "since"), "until": _date(until, "until"),
        }
        result = q.documents_page(
            ledgers.get(), limit=limit, after=after, query=filters["q"], publisher=filters["publisher"],
            language=filters["language"], since=filters["since"], until=filters["until"],
        )
        return {
            "filters": filters, "documents": result.rows,
            "pager": _pager(request, page, limit, result),
        }

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/documents", status_code=307)

    @app.get("/documents", response_class=HTMLResponse, include_in_schema=False)
    def documents_page(
        request: Request, q_: str | None = Query(None, alias="q"), publisher: str | None = None,
        language: str | None = None, since: str | None = None, until: str | None = None, page: int = 1,
        limit: int = PAGE_SIZE, after: str | None = None,
    ) -> HTMLResponse:
        data = documents_data(request, q_, publisher, language, since, until, page, limit, after)
        ledger = ledgers.get()
        return render(request, "documents.html", **data, publishers=cached("publishers", lambda: q.publishers(ledger, 100)),
                      languages=cached("languages", lambda: q.languages(ledger)))

    @app.get("/api/documents", tags=["documents"], summary="Search and list documents")
    def documents_api(
        request: Request, q_: str | None = Query(None, alias="q", description="full-text query (words ANDed, \"phrases\")"),
        publisher: str | None = None, language: str | None = None,
        since: str | None = Query(None, description="published on or after (YYYY[-MM[-DD]])"),
        until: str | None = Query(None, description="published on or before (YYYY[-MM[-DD]])"),
        page: int = Query(1, description="number of this page (for display; pages are cursors)"),
        limit: int = PAGE_SIZE, after: str | None = Query(None, description="cursor of the page: `pager.after` of the previous one"),
    ) -> dict[str, Any]:
        return documents_data(request, q_, publisher, language, since, until, page, limit, after)

    def document_data(doc_id: str) -> dict[str, Any]:
        ledger = ledgers.get()
        doc = ledger.get_document(doc_id)
        reviewed = review_view(ledger, doc_id=doc.id, include_rejected=True)  # rejected ones are shown, flagged
        records = [i.record for i in reviewed]
        return {
            "document": {**doc.export(), **document_extras(doc, fixes(ledger.conn, doc.id).get(doc.id)),
                         "text": doc.text, "author": doc.author, "page_map": doc.meta.get("pages")},
            "sources": ledger.sources(doc.id),
            "records": [{**i.export(), "review": review_pages.review_summary(i)} for i in reviewed],
            "lineage": q.lineage_links(ledger, doc.id),
            "related": q.related_documents(ledger, doc.id),
            "_records": records,
            "_reviews": {i.record.id: review_pages.review_summary(i) for i in reviewed if i.subject},
            "_text": doc.text,
        }

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, doc_id: str) -> HTMLResponse:
        data = document_data(doc_id)
        by_type: dict[str, int] = {}
        for r in data["_records"]:
            by_type[r.TYPE] = by_type.get(r.TYPE, 0) + 1
        return render(
            request, "document.html", doc=data["document"], sources=data["sources"], records=data["_records"],
            reviews=data["_reviews"], segments=segments(data["_text"], data["_records"]), related=data["related"],
            lineage=data["lineage"],
            by_type=by_type, nav="documents",
        )

    @app.get("/api/documents/{doc_id}", tags=["documents"], summary="A document with its text, records and related documents")
    def document_api(doc_id: str) -> dict[str, Any]:
        return {k: v for k, v in document_data(doc_id).items() if not k.startswith("_")}

    @app.post("/api/documents/{doc_id}/meta", tags=["documents"],
              summary="Correct a document's title, date, publisher, author or language (--allow-edit)")
    def document_meta_edit(doc_id: str, edit: DocumentMetaEdit) -> dict[str, Any]:
        values = edit.model_dump(exclude={"note"})
        if all(v is None for v in values.values()):
            raise UsageError("nothing to correct: send {\"title\": ...}, published, publisher, author or language")
        changes = clean_corrections(values)
        ledger = ledgers.get()
        doc = ledger.get_document(doc_id)
        with ledger.transaction() as conn:
            done = [set_fix(conn, doc.id, k, v, edit.note) for k, v in changes.items()]
        return {"doc": doc.id, "corrected": done}

    @app.get("/api/records/{record_id}", tags=["records"], summary="One record (reviewed view; ?raw=true: as extracted)")
    def record_api(record_id: str, raw: bool = False) -> dict[str, Any]:
        ledger = ledgers.get()
        record = ledger.get_record(record_id)
        if raw:
            return record.export()
        items = overlay(ledger, [record], include_rejected=True)
        return {**items[0].export(), "review": review_pages.review_summary(items[0])}

    @app.post("/api/records/{record_id}", tags=["records"], summary="Correct a record or mark it rejected (--allow-edit)")
    def record_edit(record_id: str, edit: RecordEdit) -> dict[str, Any]:
        """The review decisions in the older shape: ``set`` corrects, ``rejected`` rejects (true, with ``note`` as the
        reason) or confirms (false); ``POST /api/review/{id}`` is the full form."""
        if edit.set is None and edit.rejected is None:
            raise UsageError("nothing to change: send {\"set\": {field: value}} or {\"rejected\": true, \"note\": why}")
        if edit.set:
            check_changes(ledgers.get().get_record(record_id).TYPE, edit.set)
        reviewer = Reviewer(ledgers.get())
        item = None
        if edit.set:
            item = reviewer.decide(record_id, "correct", by=edit.by or "web", changes=edit.set, reason=edit.note)
        if edit.rejected is not None:
            action = "reject" if edit.rejected else "confirm"
            item = reviewer.decide(record_id, action, by=edit.by or "web", reason=edit.note)
        assert item is not None
        return {**item.export(), "review": review_pages.review_summary(item)}

    # -- allegations and figures ---------------------------------------------------------------------------
    after_doc = Query(None, description="cursor of the page: `pager.after` of the previous one")
    page_doc = Query(1, description="number of this page (for display; pages are cursors)")

    def allegations_data(
        request: Request, filters: dict[str, str | None], since: str | None, until: str | None, page: int, limit: int,
        after: str | None,
    ) -> dict[str, Any]:
        limit, page = _page_args(page, limit)
        clean = {k: _clean(v) for k, v in filters.items()}
        since, until = _date(since, "since"), _date(until, "until")
        result = q.records_page(
            ledgers.get(), "allegation", limit=limit, after=after, filters=clean, allowed=q.ALLEGATION_FILTERS,
            since=since, until=until,
        )
        return {
            "filters": {**clean, "since": since, "until": until},
            "allegations": review_pages.merge_detached(
                ledgers.get(), "allegation", review_pages.overlay_rows(ledgers.get(), result.rows, filters=clean),
                after=after, next_cursor=result.next, filters=clean, since=since, until=until),
            "pager": _pager(request, page, limit, result),
        }

    @app.get("/allegations", response_class=HTMLResponse, include_in_schema=False)
    def allegations_page(
        request: Request, claimant: str | None = None, accused: str | None = None, act: str | None = None,
        stance: str | None = None, since: str | None = None, until: str | None = None, page: int = 1,
        limit: int = PAGE_SIZE, after: str | None = None,
    ) -> HTMLResponse:
        filters = {"claimant": claimant, "accused": accused, "act": act, "stance": stance}
        data = allegations_data(request, filters, since, until, page, limit, after)
        csv_query = urlencode({k: v for k, v in data["filters"].items() if v})
        return render(request, "allegations.html", **data, csv_query=csv_query, choices=_choices("allegation"))

    def _choices(type_: str) -> dict[str, list[str]]:
        """Suggestions for the filter boxes (from recent records)."""
        def compute() -> dict[str, list[str]]:
            ledger = ledgers.get()
            keys = q.ALLEGATION_FILTERS if type_ == "allegation" else q.FIGURE_FILTERS
            out = {k: q.distinct_values(ledger, type_, k, 200) for k in keys if k != "stance"}
            if type_ == "allegation":
                out["actors"] = sorted(set(out.pop("claimant", [])) | set(out.pop("accused", [])), key=str.lower)
            return out

        result: dict[str, list[str]] = cached("choices:" + type_, compute)
        return result

    @app.get("/api/allegations", tags=["allegations"], summary="Allegations: who accuses whom of what")
    def allegations_api(
        request: Request, claimant: str | None = Query(None, description="canonical actor making the claim"),
        accused: str | None = None, act: str | None = None,
        stance: str | None = Query(None, description="assert | deny | call_to_investigate"),
        since: str | None = Query(None, description="statement published on or after (YYYY[-MM[-DD]])"),
        until: str | None = Query(None, description="statement published on or before (YYYY[-MM[-DD]])"),
        page: int = page_doc, limit: int = PAGE_SIZE, after: str | None = after_doc,
    ) -> dict[str, Any]:
        filters = {"claimant": claimant, "accused": accused, "act": act, "stance": stance}
        return allegations_data(request, filters, since, until, page, limit, after)

    @app.get("/allegations.csv", tags=["allegations"], summary="Allegations as CSV (same filters, every row)",
             response_class=StreamingResponse)
    def allegations_csv(
        claimant: str | None = None, accused: str | None = None, act: str | None = None, stance: str | None = None,
        since: str | None = None, until: str | None = None,
    ) -> StreamingResponse:
        filters = {k: _clean(v) for k, v in
                   {"claimant": claimant, "accused": accused, "act": act, "stance": stance}.items()}
        lo, hi = _date(since, "since"), _date(until, "until")
        columns = ["id", "doc", "doc_published", "doc_publisher", "claimant", "accused", "act", "stance", "time",
                   "place", "evidence", "reporter", "status", "reviewed_by", "reviewed_at", "reason", "start", "end",
                   "sentence"]

        def rows() -> Iterator[str]:
            buf = io.StringIO()
            writer = csv.writer(buf)
            writer.writerow(columns)
            after: str | None = None
            ledger = Ledger(settings.db_path, readonly=True)  # the generator runs outside the request's thread
            try:
                while True:
                    result = q.records_page(ledger, "allegation", limit=1000, after=after, filters=filters,
                                            allowed=q.ALLEGATION_FILTERS, since=lo, until=hi, budget=10**12)
                    rows_ = review_pages.merge_detached(
                        ledger, "allegation", review_pages.overlay_rows(ledger, result.rows, filters=filters),
                        after=after, next_cursor=result.next, filters=filters, since=lo, until=hi)
                    for row in rows_:
                        writer.writerow([_csv_safe(row.get(c)) for c in columns])
                    yield buf.getvalue()
                    buf.seek(0)
                    buf.truncate()
                    if not result.next:
                        return
                    after = result.next
            finally:
                ledger.close()

        return StreamingResponse(rows(), media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": 'attachment; filename="allegations.csv"'})

    def figures_data(
        request: Request, category: str | None, qualifier: str | None, min_value: float | None, since: str | None,
        until: str | None, page: int, limit: int, after: str | None,
    ) -> dict[str, Any]:
        limit, page = _page_args(page, limit)
        filters = {"category": _clean(category), "qualifier": _clean(qualifier)}
        since, until = _date(since, "since"), _date(until, "until")
        result = q.records_page(
            ledgers.get(), "figure", limit=limit, after=after, filters=filters, allowed=q.FIGURE_FILTERS,
            since=since, until=until, min_value=min_value,
        )
        return {
            "filters": {**filters, "min_value": min_value, "since": since, "until": until},
            "figures": review_pages.merge_detached(
                ledgers.get(), "figure", review_pages.overlay_rows(ledgers.get(), result.rows, filters=filters),
                after=after, next_cursor=result.next, filters=filters, since=since, until=until, min_value=min_value),
            "pager": _pager(request, page, limit, result),
        }

    @app.get("/figures", response_class=HTMLResponse, include_in_schema=False)
    def figures_page(
        request: Request, category: str | None = None, qualifier: str | None = None, min_value: float | None = None,
        since: str | None = None, until: str | None = None, page: int = 1, limit: int = PAGE_SIZE,
        after: str | None = None,
    ) -> HTMLResponse:
        data = figures_data(request, category, qualifier, min_value, since, until, page, limit, after)
        return render(request, "figures.html", **data, choices=_choices("figure"))

    @app.get("/api/figures", tags=["figures"], summary="Figures (killed, injured, displaced ...)")
    def figures_api(
        request: Request, category: str | None = None, qualifier: str | None = None, min_value: float | None = None,
        since: str | None = Query(None, description="statement published on or after"),
        until: str | None = Query(None, description="statement published on or before"),
        page: int = page_doc, limit: int = PAGE_SIZE, after: str | None = after_doc,
    ) -> dict[str, Any]:
        return figures_data(request, category, qualifier, min_value, since, until, page, limit, after)

    # -- pictures ------------------------------------------------------------------------------------------
    def timeline_data(precision: str) -> dict[str, Any]:
        if precision not in ("year", "month", "day"):
            raise UsageError(f"precision must be year, month or day (got {precision[:20]!r})")
        data = cached("timeline:" + precision, lambda: q.timeline(ledgers.get(), precision=precision))
        return {
            "precision": precision,
            "statements": [{"period": p, "count": n} for p, n in data["statements"]],
            "events": [{"period": p, "count": n} for p, n in data["events"]],
            "_svg": svg.timeline_svg(data["statements"], data["events"]),
        }

    @app.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
    def timeline_page(request: Request, precision: str = "month") -> HTMLResponse:
        data = timeline_data(precision)
        return render(request, "timeline.html", **data, svg=data["_svg"])

    @app.get("/api/timeline", tags=["pictures"], summary="Statements and dated events per period")
    def timeline_api(precision: str = Query("month", description="year | month | day")) -> dict[str, Any]:
        return {k: v for k, v in timeline_data(precision).items() if not k.startswith("_")}

    @app.get("/timeline.svg", tags=["pictures"], summary="The timeline as SVG", response_class=Response)
    def timeline_image(precision: str = "month") -> Response:
        return Response(timeline_data(precision)["_svg"], media_type="image/svg+xml")

    def graph_data(act: str | None, since: str | None, until: str | None) -> dict[str, Any]:
        filters = {"act": _clean(act), "since": _date(since, "since"), "until": _date(until, "until")}
        edges = cached("graph:" + urlencode({k: v or "" for k, v in filters.items()}),
                       lambda: q.accusation_edges(ledgers.get(), act=filters["act"], since=filters["since"],
                                                  until=filters["until"]))
        return {"filters": filters, "edges": edges, "_svg": svg.graph_svg(edges)}

    @app.get("/graph", response_class=HTMLResponse, include_in_schema=False)
    def graph_page(
        request: Request, act: str | None = None, since: str | None = None, until: str | None = None
    ) -> HTMLResponse:
        data = graph_data(act, since, until)
        return render(request, "graph.html", filters=data["filters"], edges=data["edges"], svg=data["_svg"],
                      choices=_choices("allegation"), query=urlencode({k: v for k, v in data["filters"].items() if v}))

    @app.get("/api/graph", tags=["pictures"], summary="Who accuses whom: claimant → accused edges by stance")
    def graph_api(
        act: str | None = Query(None, description="only allegations of this act"),
        since: str | None = Query(None, description="statements published on or after"),
        until: str | None = Query(None, description="statements published on or before"),
    ) -> dict[str, Any]:
        data = graph_data(act, since, until)
        return {"filters": data["filters"], "edges": data["edges"]}

    @app.get("/graph.svg", tags=["pictures"], summary="The actor graph as SVG", response_class=Response)
    def graph_image(act: str | None = None, since: str | None = None, until: str | None = None) -> Response:
        return Response(graph_data(act, since, until)["_svg"], media_type="image/svg+xml")

    # -- incidents (from `counterclaim link`) ------------------------------------------------------------------
    @app.get("/incidents", response_class=HTMLResponse, include_in_schema=False)
    def incidents_page(request: Request) -> HTMLResponse:
        from counterclaim.web.worldmap import incident_map

        items = q.incidents(ledgers.get())
        return render(request, "incidents.html", incidents=items, map_svg=incident_map(items))

    @app.get("/api/incidents", tags=["incidents"], summary="Incidents built by 'counterclaim link'")
    def incidents_api() -> dict[str, Any]:
        return {"incidents": q.incidents(ledgers.get())}

    @app.get("/incidents/{incident_id}", response_class=HTMLResponse, include_in_schema=False)
    def incident_page(request: Request, incident_id: str) -> HTMLResponse:
        data = q.incident_detail(ledgers.get(), incident_id)
        data["records"] = review_pages.overlay_rows(ledgers.get(), data["records"])  # the reviewed view
        return render(request, "incident.html", **data, nav="incidents")

    @app.post("/api/incidents/{incident_id}/decisions", tags=["incidents"],
              summary="An analyst's decision: merge, split, move a document in or out, rename (--allow-edit)")
    def incident_decision(incident_id: str, decision: IncidentDecision) -> dict[str, Any]:
        from counterclaim.link.cluster import decide

        ledger = ledgers.get()
        new_id = decide(ledger, decision.action, incident_id, others=decision.others, docs=decision.docs,
                        new_label=decision.label)
        return q.incident_detail(ledger, new_id or incident_id)

    @app.get("/api/incidents/{incident_id}", tags=["incidents"], summary="One incident: its figures compared, its records")
    def incident_api(incident_id: str) -> dict[str, Any]:
        data = q.incident_detail(ledgers.get(), incident_id)
        data["records"] = review_pages.overlay_rows(ledgers.get(), data["records"])
        return data

    review_pages.register(app, ledgers.get, render)

    @app.get("/api/summary", tags=["ledger"], summary="Counts of documents and records by type")
    def summary_api() -> dict[str, Any]:
        return {"db": settings.db_path.name, "counts": ledgers.get().counts(), "record_types": list(RECORD_TYPES)}

    app.add_middleware(HeadAsGet)
    if hosts is not None:
        app.add_middleware(HostGuard, hosts=hosts)  # outermost: a foreign Host gets nothing else
    return app
