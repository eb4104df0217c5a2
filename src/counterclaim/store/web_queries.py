"""Read queries the web workbench needs beyond :class:`~counterclaim.store.Ledger`.

Everything here is bounded: list queries take ``limit``/``offset`` and counts are capped (``COUNT_CAP``), so a page
of a 100,000-document ledger costs the same as a page of a small one. SQL stays in the store package.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from counterclaim.errors import LedgerError, NotFound, UsageError
from counterclaim.store.ledger import Ledger, _document_filters, _record, fts_query

#: counts above this are reported as "more than COUNT_CAP" (an exact count of a big FTS match set is slow)
COUNT_CAP = 10_000

#: JSON fields of allegations and figures the list filters may match (case-insensitive)
ALLEGATION_FILTERS = ("claimant", "accused", "act", "stance")
FIGURE_FILTERS = ("category", "qualifier")

@dataclass
class Page:
    """One page of a list: its rows, the total (``None`` when unknown, capped at ``COUNT_CAP``) and where to go on.

    ``next`` is the keyset cursor of the following page (``None`` on the last one). ``partial`` says the page stopped
    early because the scan budget ran out; ``scanned_to`` is then the publication date it reached.
    """

    rows: list[dict[str, Any]]
    total: int | None
    capped: bool
    next: str | None = None
    partial: bool = False
    scanned_to: str | None = None


#: the order of every list: newest publication first (undated last), then document id; the documents_walk index
WALK_KEY = "coalesce(d.published, '')"
#: documents (without a selective index) read per request at most when looking for filtered records
SCAN_BUDGET = 5000
#: an indexed record filter matching up to this many records is read through its index and sorted; a larger
#: (denser) one is found faster by the walk
INDEX_SORT_LIMIT = 1500
#: FTS match sets up to this size are sorted directly; larger ones are walked in date order
FTS_SORT_LIMIT = 6000


def make_cursor(*parts: object) -> str:
    return "~".join(str(p) for p in parts)


def parse_cursor(cursor: str | None, parts: int) -> list[str] | None:
    """Split a cursor made by :func:`make_cursor` into ``parts`` strings (2 for documents, 2 or 4 for records)."""
    if not cursor:
        return None
    items = cursor.split("~")
    if len(items) not in (2, parts) or not re.fullmatch(r"[0-9a-f]{1,64}", items[1]) or len(items[0]) > 40:
        raise UsageError(f"bad page cursor {cursor[:60]!r}; start again from the first page")
    if len(items) == 4 and (not items[2].isdigit() or not re.fullmatch(r"[0-9a-f]{1,64}", items[3])):
        raise UsageError(f"bad page cursor {cursor[:60]!r}; start again from the first page")
    return items


def _after_doc(key: str, doc_id: str, op: str) -> str:
    """Rows after the cursor document in the walk order, written so that SQLite seeks the documents_walk index."""
    return f"({WALK_KEY} <= ? AND ({WALK_KEY} < ? OR d.id {op} ?))"


def tune_for_reading(ledger: Ledger) -> None:
    """Memory-map the file and keep a larger page cache: list pages read many small rows at random."""
    ledger.conn.execute("PRAGMA mmap_size = 1073741824")
    ledger.conn.execute("PRAGMA cache_size = -65536")


def _capped_count(conn: sqlite3.Connection, sql: str, params: list[Any]) -> tuple[int, bool]:
    row = conn.execute(f"SELECT count(*) FROM ({sql} LIMIT {COUNT_CAP + 1})", params).fetchone()
    n = int(row[0])
    return (COUNT_CAP, True) if n > COUNT_CAP else (n, False)


def _date_clauses(since: str | None, until: str | None) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if since:
        clauses.append(f"{WALK_KEY} >= ?")
        params.append(since)
    if until:  # undated statements ('' in the walk key) are outside every date range
        clauses.append(f"{WALK_KEY} <= ? AND {WALK_KEY} > ''")
        params.append(until + "\uffff")
    return clauses, params


def documents_page(
    ledger: Ledger,
    *,
    limit: int,
    after: str | None = None,
    query: str | None = None,
    publisher: str | None = None,
    language: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Page:
    """Document summaries newest first (keyset pages), filtered like :meth:`Ledger.documents`, with a capped total.

    A full-text query with few matches sorts the matches; one with many walks the date index and keeps the matching
    documents, so both stop after one page.
    """
    where, params = _document_filters(publisher, language, None, None)
    dates, date_params = _date_clauses(since, until)
    where += dates
    params += date_params
    conn = ledger.conn
    source = "documents d"
    if query:
        match = fts_query(query)
        try:
            n = conn.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM documents_fts WHERE documents_fts MATCH ? LIMIT {FTS_SORT_LIMIT + 1})",
                (match,),
            ).fetchone()[0]
        except sqlite3.OperationalError as exc:
            raise LedgerError(f"cannot search documents: {exc}") from exc
        alone = not where
        if n <= FTS_SORT_LIMIT:
            source = "documents_fts f JOIN documents d ON d.rowid = f.rowid"
            where.append("documents_fts MATCH ?")
        else:  # many matches: walk newest first and probe the index for each document
            where.append("EXISTS (SELECT 1 FROM documents_fts f WHERE documents_fts MATCH ? AND f.rowid = d.rowid)")
        params.append(match)
    count_sql: str | None = f"SELECT 1 FROM {source}" + (" WHERE " + " AND ".join(where) if where else "")
    count_params = params
    if query and n > FTS_SORT_LIMIT:
        # counting a large match set combined with other filters would read all of it: say "unknown" instead
        count_sql, count_params = ("SELECT 1 FROM documents_fts WHERE documents_fts MATCH ?", [match]) if alone else (None, [])
    key = parse_cursor(after, 2)
    page_where = list(where)
    page_params = list(params)
    if key:
        page_where.append(_after_doc(key[0], key[1], "<"))
        page_params += [key[0], key[0], key[1]]
    cols = f"d.id, d.title, d.publisher, d.author, d.published, d.language, d.url, d.chars, d.rowid AS rid, {WALK_KEY} AS k"
    sql = (f"SELECT {cols} FROM {source}" + (" WHERE " + " AND ".join(page_where) if page_where else "")
           + f" ORDER BY {WALK_KEY} DESC, d.id DESC LIMIT ?")
    try:
        rows = [dict(r) for r in conn.execute(sql, [*page_params, limit + 1])]
        total: int | None = None
        capped = False
        if count_sql is not None:
            total, capped = _capped_count(conn, count_sql, count_params)
    except sqlite3.OperationalError as exc:
        raise LedgerError(f"cannot search documents: {exc}") from exc
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = make_cursor(rows[-1]["k"], rows[-1]["id"]) if more else None
    if query and rows:
        snippets = _snippets(conn, [r["rid"] for r in rows], fts_query(query))
        for row in rows:
            row["snippet"] = snippets.get(row["rid"])
    for row in rows:
        row.pop("k", None)
        row.pop("rid", None)
    return Page(rows, total, capped, cursor)


#: marks around the matched words in a search snippet (control characters never stored in a document's text)
SNIPPET_OPEN, SNIPPET_CLOSE = "\x02", "\x03"


def _snippets(conn: sqlite3.Connection, rowids: list[int], match: str) -> dict[int, str]:
    """A short extract of each document around the words that matched, with the matches between SNIPPET marks."""
    marks = ",".join("?" * len(rowids))
    rows = conn.execute(
        f"SELECT rowid, snippet(documents_fts, 1, ?, ?, '…', 24) FROM documents_fts "
        f"WHERE documents_fts MATCH ? AND rowid IN ({marks})", [SNIPPET_OPEN, SNIPPET_CLOSE, match, *rowids]
    )
    return {int(r[0]): str(r[1]) for r in rows}


def publishers(ledger: Ledger, limit: int = 200) -> list[str]:
    """Distinct publishers (for the filter's suggestions), most frequent first."""
    rows = ledger.conn.execute(
        "SELECT publisher FROM documents WHERE publisher IS NOT NULL GROUP BY publisher ORDER BY count(*) DESC LIMIT ?",
        (limit,),
    )
    return [r[0] for r in rows]


def languages(ledger: Ledger) -> list[str]:
    rows = ledger.conn.execute(
        "SELECT DISTINCT language FROM documents WHERE language IS NOT NULL ORDER BY language LIMIT 100"
    )
    return [r[0] for r in rows]


#: JSON fields with an expression index (schema_core migration 3): a filter on one of them reads the index first
INDEXED: dict[str, tuple[str, ...]] = {"allegation": ("claimant", "act"), "figure": ("category",)}


def _json_filters(
    filters: dict[str, str | None], allowed: tuple[str, ...], indexed: tuple[str, ...] = ()
) -> tuple[list[str], list[Any], bool]:
    """SQL for case-insensitive matches of JSON fields (list fields match an element); also: did one use an index."""
    clauses: list[str] = []
    params: list[Any] = []
    used_index = False
    for key in allowed:
        value = filters.get(key)
        if not value:
            continue
        if key in indexed:  # the same expression as the index, so SQLite can use it
            clauses.append(f"lower(json_extract(r.data, '$.{key}')) = lower(?)")
            params.append(value)
            used_index = True
            continue
        clauses.append(
            f"(lower(json_extract(r.data, '$.{key}')) = lower(?) OR (json_type(r.data, '$.{key}') = 'array' AND "
            f"EXISTS (SELECT 1 FROM json_each(r.data, '$.{key}') j WHERE lower(j.value) = lower(?))))"
        )
        params += [value, value]
    return clauses, params, used_index


def _record_row(row: sqlite3.Row, doc: dict[str, Any]) -> dict[str, Any]:
    item = _record(row).export()
    item.pop("source", None)
    item["doc_title"] = doc["title"]
    item["doc_publisher"] = doc["publisher"]
    item["doc_published"] = doc["published"]
    item["_k"] = doc["k"]
    return item


def records_page(
    ledger: Ledger,
    type_: str,
    *,
    limit: int,
    after: str | None = None,
    filters: dict[str, str | None] | None = None,
    allowed: tuple[str, ...] = (),
    since: str | None = None,
    until: str | None = None,
    min_value: float | None = None,
    budget: int = SCAN_BUDGET,
) -> Page:
    """Records of one type with their document's title/publisher/date, newest statement first (keyset pages).

    ``since``/``until`` bound the publication date of the statement. A filter on an indexed field (an allegation's
    claimant or act, a figure's category) reads the matching records through the index and sorts them; otherwise
    documents are walked newest first in batches and their records filtered, reading at most ``budget`` documents
    per page: a page that runs out of budget is returned ``partial`` with a cursor to continue from.
    """
    indexed = INDEXED.get(type_, ())
    clauses, params, used_index = _json_filters(filters or {}, allowed, indexed)
    clauses.insert(0, "r.type = ?")
    params.insert(0, type_)
    if min_value is not None:
        clauses.append("CAST(json_extract(r.data, '$.value') AS REAL) >= ?")
        params.append(min_value)
    key = parse_cursor(after, 4)
    try:
        active = sum(1 for v in (filters or {}).values() if v) + (min_value is not None)
        # several filters together are sparse: sorting a few thousand index matches beats walking
        threshold = INDEX_SORT_LIMIT * (4 if active > 1 else 1)
        if used_index and _indexed_matches(ledger, type_, filters or {}, indexed, threshold) <= threshold:
            return _records_by_index(ledger, clauses, params, since, until, key, limit)
        return _records_by_walk(ledger, clauses, params, since, until, key, limit, budget, type_, bool(filters and any(filters.values())) or min_value is not None)
    except sqlite3.OperationalError as exc:
        raise LedgerError(f"cannot list {type_} records: {exc}") from exc


def _indexed_matches(
    ledger: Ledger, type_: str, filters: dict[str, str | None], indexed: tuple[str, ...], cap: int
) -> int:
    """The size (counted up to ``cap`` + 1) of the smallest match set among the indexed filters (index only)."""
    best = cap + 1
    keys = [k for k in indexed if filters.get(k)]
    groups = [keys] if type_ == "allegation" and keys == ["claimant", "act"] else [[k] for k in keys]
    for group in groups:  # claimant and act together: the two-column index (core migration 4)
        where = " AND ".join(f"lower(json_extract(r.data, '$.{k}')) = lower(?)" for k in group)
        row = ledger.conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM records r WHERE r.type = ? AND {where} LIMIT {cap + 1})",
            (type_, *(filters[k] for k in group)),
        ).fetchone()
        best = min(best, int(row[0]))
    return best


def _records_by_index(
    ledger: Ledger, clauses: list[str], params: list[Any], since: str | None, until: str | None,
    key: list[str] | None, limit: int,
) -> Page:
    dates, date_params = _date_clauses(since, until)
    where = clauses + dates
    base_params = params + date_params
    base = "FROM records r CROSS JOIN documents d ON d.id = r.doc_id WHERE " + " AND ".join(where)
    page_sql = base
    page_params = list(base_params)
    if key:
        k, doc = key[0], key[1]
        if len(key) == 4:
            page_sql += (f" AND ({WALK_KEY} < ? OR ({WALK_KEY} = ? AND d.id < ?) OR "
                         f"({WALK_KEY} = ? AND d.id = ? AND (r.start, r.id) > (?, ?)))")
            page_params += [k, k, doc, k, doc, int(key[2]), key[3]]
        else:
            page_sql += " AND " + _after_doc(k, doc, "<")
            page_params += [k, k, doc]
    sql = (f"SELECT r.*, d.title, d.publisher, d.published, {WALK_KEY} AS k {page_sql} "
           f"ORDER BY {WALK_KEY} DESC, d.id DESC, r.start, r.id LIMIT ?")
    rows = [_record_row(r, dict(r)) for r in ledger.conn.execute(sql, [*page_params, limit + 1])]
    total, capped = _capped_count(ledger.conn, f"SELECT 1 {base}", base_params)
    return _finish(rows, limit, total, capped)


def _finish(rows: list[dict[str, Any]], limit: int, total: int | None, capped: bool) -> Page:
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = None
    if more:
        last = rows[-1]
        cursor = make_cursor(last["_k"], last["doc"], last["start"], last["id"])
    for row in rows:
        row.pop("_k", None)
    return Page(rows, total, capped, cursor)


def _records_by_walk(
    ledger: Ledger, clauses: list[str], params: list[Any], since: str | None, until: str | None,
    key: list[str] | None, limit: int, budget: int, type_: str, filtered: bool,
) -> Page:
    """Walk documents newest first (ids from the documents_walk index alone, in growing batches) and filter their
    records; the shown documents' titles are read at the end."""
    conn = ledger.conn
    dates, date_params = _date_clauses(since, until)
    batch = max(1, min(100, budget))
    started_at_top = key is None
    rows: list[tuple[sqlite3.Row, str]] = []
    scanned = 0
    first = True
    last_doc: tuple[str, str] | None = None  # (walk key, id) of the last document read
    partial = False
    while len(rows) <= limit:
        where = list(dates)
        doc_params = list(date_params)
        if key:
            where.append(_after_doc(key[0], key[1], "<=" if first and len(key) == 4 else "<"))
            doc_params += [key[0], key[0], key[1]]
        docs = conn.execute(
            f"SELECT d.id, {WALK_KEY} AS k FROM documents d" + (" WHERE " + " AND ".join(where) if where else "")
            + f" ORDER BY {WALK_KEY} DESC, d.id DESC LIMIT ?", [*doc_params, batch]).fetchall()
        if not docs:
            break
        marks = ",".join("?" * len(docs))
        by_doc: dict[str, list[sqlite3.Row]] = {}
        for row in conn.execute(
            f"SELECT r.* FROM records r INDEXED BY records_doc WHERE r.doc_id IN ({marks}) AND " + " AND ".join(clauses)
            + " ORDER BY r.doc_id, r.start, r.id", [*(d[0] for d in docs), *params]
        ):
            by_doc.setdefault(row["doc_id"], []).append(row)
        for doc_id, k in docs:
            recs = by_doc.get(doc_id, [])
            if first and key and len(key) == 4 and doc_id == key[1]:
                recs = [r for r in recs if (r["start"], r["id"]) > (int(key[2]), key[3])]
            rows += [(r, k) for r in recs]
            last_doc = (k, doc_id)
            if len(rows) > limit:
                break
        first = False
        scanned += len(docs)
        key = [docs[-1][1], docs[-1][0]]
        if len(docs) < batch:
            break
        if scanned >= budget and len(rows) <= limit:
            partial = True
            break
        batch = min(batch * 2, 1600, max(1, budget - scanned))
    summaries = _doc_summaries(conn, {r["doc_id"] for r, _ in rows[: limit + 1]})
    out = [_record_row(r, {**summaries[r["doc_id"]], "k": k}) for r, k in rows]
    if partial:
        return Page([{k: v for k, v in r.items() if k != "_k"} for r in out], None, False,
                    make_cursor(*last_doc) if last_doc else None, True, (last_doc[0] or None) if last_doc else None)
    total: int | None = None
    capped = False
    if not filtered and not since and not until:
        total, capped = _capped_count(conn, "SELECT 1 FROM records r WHERE r.type = ?", [type_])
    elif started_at_top and len(out) <= limit:  # the whole list fits on this first page
        total = len(out)
    return _finish(out, limit, total, capped)


def _doc_summaries(conn: sqlite3.Connection, ids: set[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = conn.execute(f"SELECT id, title, publisher, published FROM documents WHERE id IN ({marks})", list(ids))
    return {r["id"]: dict(r) for r in rows}


def distinct_values(ledger: Ledger, type_: str, key: str, limit: int = 300, sample: int = 5000) -> list[str]:
    """Distinct values of a JSON field (list fields flattened) of one record type, most frequent first.

    Only the ``sample`` most recently written records are read, so the cost does not grow with the ledger (these
    are suggestions for a filter box; any value can still be typed).
    """
    if not key.isidentifier():
        raise LedgerError(f"bad field name {key!r}")
    sql = (
        f"SELECT v, count(*) AS n FROM (SELECT CASE WHEN json_type(r.data, '$.{key}') = 'array' THEN j.value "
        f"ELSE json_extract(r.data, '$.{key}') END AS v FROM (SELECT data FROM records WHERE type = ? "
        f"ORDER BY rowid DESC LIMIT ?) r LEFT JOIN json_each(r.data, '$.{key}') j "
        f"ON json_type(r.data, '$.{key}') = 'array') WHERE v IS NOT NULL "
        "GROUP BY v ORDER BY n DESC, v LIMIT ?"
    )
    return [str(r[0]) for r in ledger.conn.execute(sql, (type_, sample, limit))]


def related_documents(ledger: Ledger, doc_id: str, limit: int = 10, per_key: int = 500) -> list[dict[str, Any]]:
    """Documents with allegations of the same claimant and act as ``doc_id``'s, the most shared keys first.

    Each (claimant, act) key is looked up through the claimant index and reads at most ``per_key`` records, so the
    cost does not grow with the ledger. Lineage links (``lineage_links``) are the other kind of relation.
    """
    keys = ledger.conn.execute(
        "SELECT DISTINCT lower(json_extract(data, '$.claimant')) AS c, lower(json_extract(data, '$.act')) AS a "
        "FROM records WHERE doc_id = ? AND type = 'allegation' AND json_extract(data, '$.claimant') IS NOT NULL "
        "LIMIT 12", (doc_id,)
    ).fetchall()
    shared: dict[str, set[tuple[str, str]]] = {}
    for claimant, act in keys:
        rows = ledger.conn.execute(
            "SELECT doc_id FROM records r WHERE r.type = 'allegation' AND lower(json_extract(r.data, '$.claimant')) = ? "
            "AND lower(json_extract(r.data, '$.act')) = ? AND r.doc_id != ? LIMIT ?", (claimant, act, doc_id, per_key)
        )
        for (other,) in rows:
            shared.setdefault(other, set()).add((claimant, act))
    best = sorted(shared, key=lambda d: -len(shared[d]))[: limit * 5]
    summaries = _doc_summaries(ledger.conn, set(best))
    out = [{**summaries[d], "shared": len(shared[d]),
            "keys": sorted(f"{c} · {a}" for c, a in shared[d])} for d in best if d in summaries]
    out.sort(key=lambda r: (-r["shared"], _desc(r.get("published"))))
    return out[:limit]


def _desc(value: str | None) -> tuple[int, str]:
    """A sort key putting later ISO dates first (and undated last)."""
    if not value:
        return (1, "")
    return (0, "".join(chr(0x10FFFF - ord(ch)) if ch.isdigit() else ch for ch in value))


def timeline(ledger: Ledger, *, precision: str = "month") -> dict[str, list[tuple[str, int]]]:
    """Counts per period of statements (documents by publication date) and dated events (date records)."""
    width = 7 if precision == "month" else 4 if precision == "year" else 10
    docs = ledger.conn.execute(
        f"SELECT substr(published, 1, {width}) AS p, count(*) FROM documents WHERE published IS NOT NULL "
        "AND length(published) >= ? GROUP BY p ORDER BY p",
        (width,),
    ).fetchall()
    from counterclaim.store.review import has_review_tables

    if has_review_tables(ledger.conn):  # the reviewed view: corrected dates, rejected ones left out
        date = ("(CASE WHEN json_type(s.changes, '$.date') IS NOT NULL THEN json_extract(s.changes, '$.date') "
                "ELSE json_extract(r.data, '$.date') END)")
        events = ledger.conn.execute(
            f"SELECT substr({date}, 1, {width}) AS p, count(*) FROM records r LEFT JOIN review_subjects s "
            "ON s.record_id = r.id WHERE r.type = 'date' AND (s.id IS NULL OR s.status != 'rejected') "
            f"AND length({date}) >= ? GROUP BY p ORDER BY p",
            (width,),
        ).fetchall()
    else:
        events = ledger.conn.execute(
            f"SELECT substr(json_extract(data, '$.date'), 1, {width}) AS p, count(*) FROM records WHERE type = 'date' "
            "AND length(json_extract(data, '$.date')) >= ? GROUP BY p ORDER BY p",
            (width,),
        ).fetchall()
    return {"statements": [(r[0], int(r[1])) for r in docs], "events": [(r[0], int(r[1])) for r in events]}


def accusation_edges(
    ledger: Ledger, *, act: str | None = None, since: str | None = None, until: str | None = None, limit: int = 400
) -> list[dict[str, Any]]:
    """Claimant → accused edges from allegations: one row per (claimant, accused, stance) with its count.

    ``act`` keeps one act (through its index); ``since``/``until`` bound the statements' publication dates.
    The reviewed view: analysts' corrections of claimant, accused, stance and act apply, rejected allegations are
    left out (records analysts added are not counted).
    """
    from counterclaim.store.review import has_review_tables

    reviewed = has_review_tables(ledger.conn)

    def field(name: str) -> str:
        if not reviewed:
            return f"json_extract(r.data, '$.{name}')"
        return (f"(CASE WHEN s.id IS NOT NULL AND json_type(s.changes, '$.{name}') IS NOT NULL "
                f"THEN json_extract(s.changes, '$.{name}') ELSE json_extract(r.data, '$.{name}') END)")

    accused = ("CASE WHEN s.id IS NOT NULL AND json_type(s.changes, '$.accused') IS NOT NULL THEN "
               "json_extract(s.changes, '$.accused') ELSE json_extract(r.data, '$.accused') END") if reviewed else "r.data"
    where = ["r.type = 'allegation'", f"{field('claimant')} IS NOT NULL"]
    params: list[Any] = []
    source = "records r"
    if reviewed:
        source += " LEFT JOIN review_subjects s ON s.record_id = r.id"
        where.append("(s.id IS NULL OR s.status != 'rejected')")
    if act:
        where.append(f"lower({field('act')}) = lower(?)" if reviewed else
                     "lower(json_extract(r.data, '$.act')) = lower(?)")
        params.append(act)
    if since or until:
        source += " JOIN documents d ON d.id = r.doc_id"
        dates, date_params = _date_clauses(since, until)
        where += dates
        params += date_params
    each = f"json_each({accused})" if reviewed else "json_each(r.data, '$.accused')"
    sql = (
        f"SELECT {field('claimant')} AS claimant, j.value AS accused, "
        f"{field('stance')} AS stance, count(*) AS n, count(DISTINCT r.doc_id) AS documents "
        f"FROM {source}, {each} j WHERE " + " AND ".join(where)
        + " GROUP BY claimant, accused, stance ORDER BY n DESC LIMIT ?"
    )
    return [dict(r) for r in ledger.conn.execute(sql, (*params, limit))]


# -- lineage and incidents (tables of the link component; empty until `counterclaim link` has run) ----------------
def lineage_links(ledger: Ledger, doc_id: str) -> list[dict[str, Any]]:
    """The lineage links of a document (duplicate / rewrite / partial), each with the other document's summary."""
    from counterclaim.store.links import LinkStore

    try:
        links = LinkStore(ledger).links(doc_id)
    except sqlite3.OperationalError:  # a ledger without the link tables (opened read-only, never migrated)
        return []
    out = []
    for link in links[:50]:
        other = link["other"] if link["doc"] == doc_id else link["doc"]
        row = ledger.conn.execute("SELECT title, publisher, published FROM documents WHERE id = ?", (other,)).fetchone()
        mine, theirs = ((link["share"], link["other_share"]) if link["doc"] == doc_id
                        else (link["other_share"], link["share"]))
        out.append({"id": other, "kind": link["kind"], "share": mine, "other_share": theirs, "pairs": link["pairs"],
                    "method": link["method"], **(dict(row) if row else {})})
    return out


def incidents(ledger: Ledger) -> list[dict[str, Any]]:
    """Every incident (built by ``counterclaim link``), earliest first; empty when there are none."""
    from counterclaim.store.links import LinkStore

    try:
        return LinkStore(ledger).incidents()
    except sqlite3.OperationalError:
        return []


def incident_detail(ledger: Ledger, incident_id: str) -> dict[str, Any]:
    """One incident with its figure comparisons and its records (with their documents' summaries)."""
    from counterclaim.store.links import LinkStore

    store = LinkStore(ledger)
    try:
        incident = store.get_incident(incident_id)
        comparisons = store.comparisons(incident["id"])
        record_ids = store.incident_record_ids(incident["id"])
    except sqlite3.OperationalError as exc:
        raise NotFound(f"no incident {incident_id!r}: this ledger has no incidents (run 'counterclaim link')") from exc
    records = []
    for i in range(0, len(record_ids), 500):
        chunk = record_ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for row in ledger.conn.execute(
            f"SELECT r.*, d.title, d.publisher, d.published FROM records r JOIN documents d ON d.id = r.doc_id "
            f"WHERE r.id IN ({marks}) ORDER BY d.published, r.doc_id, r.start", chunk
        ):
            item = _record(row).export()
            item.pop("source", None)
            item.update(doc_title=row["title"], doc_publisher=row["publisher"], doc_published=row["published"])
            records.append(item)
    return {"incident": incident, "comparisons": comparisons, "records": records}
