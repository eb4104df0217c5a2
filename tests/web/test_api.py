"""The JSON API and the pages through FastAPI's TestClient: filters, pagination, one error shape, headers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from counterclaim.errors import LedgerError
from counterclaim.store import Ledger
from counterclaim.web.app import CSP, create_app


@pytest.fixture(scope="module")
def client(demo_db: Path) -> TestClient:
    return TestClient(create_app(demo_db))


def test_missing_ledger_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LedgerError, match="no ledger"):
        create_app(tmp_path / "nothing.db")


def test_documents_list_search_and_filters(client: TestClient) -> None:
    everything = client.get("/api/documents").json()
    assert everything["pager"]["total"] == 5 and len(everything["documents"]) == 5
    dates = [d["published"] for d in everything["documents"] if d["published"]]
    assert dates == sorted(dates, reverse=True)
    doc = everything["documents"][0]
    word = next(w for w in (doc["title"] or "").split() if len(w) > 5 and w.isalpha())
    found = client.get("/api/documents", params={"q": word}).json()
    assert doc["id"] in [d["id"] for d in found["documents"]]
    hit = next(d for d in found["documents"] if d["id"] == doc["id"])
    assert "\x02" in hit["snippet"] and "\x03" in hit["snippet"]
    assert f"<mark>{word.lower()}</mark>" in client.get("/documents", params={"q": word}).text.lower()
    assert client.get("/api/documents", params={"q": "zzzqqqxxnotaword"}).json()["documents"] == []
    # operators and quotes typed by a user are harmless
    assert client.get("/api/documents", params={"q": 'war" OR NEAR( *'}).status_code == 200
    # keyset pages of 2 walk the same list
    seen: list[str] = []
    after = None
    for number in range(1, 5):
        page = client.get("/api/documents", params={"limit": 2, "page": number, "after": after}).json()
        seen += [d["id"] for d in page["documents"]]
        after = page["pager"]["after"]
        if not after:
            break
    assert seen == [d["id"] for d in everything["documents"]] and number == 3
    assert client.get("/api/documents", params={"after": "x~y~z"}).status_code == 400
    if doc["published"]:
        year = doc["published"][:4]
        since = client.get("/api/documents", params={"since": year}).json()["documents"]
        assert since and all(d["published"] >= year for d in since)
    if doc["language"]:
        lang = client.get("/api/documents", params={"language": doc["language"]}).json()["documents"]
        assert all(d["language"] == doc["language"] for d in lang)


def test_html_pages_render_with_security_headers(client: TestClient) -> None:
    for path in ("/documents", "/allegations", "/figures", "/timeline", "/graph", "/documents?q=war"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-security-policy"] == CSP
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "<script>" not in r.text and " onclick=" not in r.text and "style=" not in r.text
    assert client.get("/").status_code == 200  # redirected to /documents


def test_document_view_highlights_every_record(client: TestClient, demo_db: Path) -> None:
    with Ledger(demo_db, readonly=True) as ledger:
        records = ledger.records()
    doc_id = records[0].doc
    api = client.get(f"/api/documents/{doc_id}").json()
    text = api["document"]["text"]
    assert {r["id"] for r in api["records"]} == {r.id for r in records if r.doc == doc_id}
    html = client.get(f"/documents/{doc_id}").text
    for rec in api["records"]:
        assert f'id="rec-{rec["id"]}"' in html
        if rec["end"] > rec["start"]:
            assert rec["id"] in html.split('id="doctext"')[1].split("</pre>")[0]
    assert len(text) > 0


def test_one_error_shape(client: TestClient) -> None:
    for path, status in (("/api/documents/zzzzzz", 404), ("/api/documents?since=yesterday", 400),
                         ("/api/documents?page=abc", 400), ("/api/nothing", 404), ("/api/timeline?precision=x", 400)):
        r = client.get(path)
        assert r.status_code == status, path
        body = r.json()
        assert set(body) == {"error"} and body["error"]["status"] == status and body["error"]["message"]
    page = client.get("/documents/zzzzzz")
    assert page.status_code == 404 and "no document" in page.text and page.headers["content-type"].startswith("text/html")


def test_read_only_refuses_every_write(client: TestClient, demo_db: Path) -> None:
    with Ledger(demo_db, readonly=True) as ledger:
        rec = ledger.records(limit=1)[0]
    for method in ("post", "put", "delete", "patch"):
        r = client.request(method.upper(), f"/api/records/{rec.id}", json={"rejected": True})
        assert r.status_code == 403, method
        assert "read-only" in r.json()["error"]["message"]


def test_edit_mode_rejects_and_corrects_records(tmp_path: Path, demo_db: Path) -> None:
    db = tmp_path / "copy.db"
    with Ledger(demo_db, readonly=True) as src, Ledger(db) as dst:
        src.conn.backup(dst.conn)
    client = TestClient(create_app(db, allow_edit=True))
    with Ledger(db, readonly=True) as ledger:
        alleg = ledger.records("allegation", limit=1)[0]
    # an act outside the taxonomy is refused and changes nothing (issue 14)
    refused = client.post(f"/api/records/{alleg.id}", json={"set": {"act": "shelling"}})
    assert refused.status_code == 400 and "unknown act 'shelling'" in refused.json()["error"]["message"]
    new_act = "torture" if alleg.act != "torture" else "genocide"  # type: ignore[attr-defined]
    r = client.post(f"/api/records/{alleg.id}", json={"set": {"act": new_act}, "note": "checked", "by": "Ana"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["act"] == new_act and body["status"] == "corrected" and body["reviewed_by"] == "Ana"
    assert body["review"]["original"]["act"] == alleg.act  # type: ignore[attr-defined]
    assert client.get(f"/api/records/{alleg.id}").json()["act"] == new_act
    assert client.get(f"/api/records/{alleg.id}", params={"raw": "true"}).json()["act"] == alleg.act  # type: ignore[attr-defined]
    rows = client.get("/api/allegations", params={"limit": 500}).json()["allegations"]
    assert any(a["id"] == alleg.id and a["act"] == new_act and a["status"] == "corrected" for a in rows)
    # rejecting needs a reason (the note); the rejected record leaves the lists, the queue still shows it
    assert client.post(f"/api/records/{alleg.id}", json={"rejected": True}).status_code == 400
    assert client.post(f"/api/records/{alleg.id}", json={"rejected": True, "note": "not a claim"}).status_code == 200
    rows = client.get("/api/allegations", params={"limit": 500}).json()["allegations"]
    assert alleg.id not in {a["id"] for a in rows}  # type: ignore[attr-defined]
    queue = client.get("/api/review/queue", params={"status": "rejected"}).json()["records"]
    assert [q["id"] for q in queue] == [alleg.id] and queue[0]["reason"] == "not a claim"  # type: ignore[attr-defined]
    bad = client.post(f"/api/records/{alleg.id}", json={"set": {"doc": "x"}})
    assert bad.status_code == 400 and "place in the text" in bad.json()["error"]["message"]
    # a form post (what a cross-site page can send without a preflight) is refused
    assert client.post(f"/api/records/{alleg.id}", data={"rejected": "true"}).status_code == 415
    assert client.post("/api/records/nope", json={"rejected": True}).status_code == 404


def test_allegations_filters_and_csv(client: TestClient) -> None:
    rows = client.get("/api/allegations", params={"limit": 500}).json()["allegations"]
    assert rows, "the demo ledger has allegations"
    claimant = next(a["claimant"] for a in rows if a["claimant"])
    picked = client.get("/api/allegations", params={"claimant": claimant.upper(), "limit": 500}).json()["allegations"]
    assert picked and all(a["claimant"].lower() == claimant.lower() for a in picked)
    accused = next(a["accused"][0] for a in rows if a["accused"])
    got = client.get("/api/allegations", params={"accused": accused, "limit": 500}).json()["allegations"]
    assert got and all(accused.lower() in [x.lower() for x in a["accused"]] for a in got)
    stance = rows[0]["stance"]
    assert all(a["stance"] == stance for a in client.get("/api/allegations", params={"stance": stance}).json()["allegations"])
    none = client.get("/api/allegations", params={"until": "1900"}).json()
    assert none["allegations"] == [] and none["pager"]["total"] == 0
    r = client.get("/allegations.csv", params={"claimant": claimant})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(r.text)))
    assert len(table) == len(picked) and all(t["claimant"].lower() == claimant.lower() for t in table)
    html = client.get("/allegations", params={"claimant": claimant}).text
    assert html.count('<tr class="st-') == len(picked)


def test_figures_view(client: TestClient) -> None:
    rows = client.get("/api/figures", params={"limit": 500}).json()["figures"]
    assert rows
    big = max(f["value"] for f in rows)
    top = client.get("/api/figures", params={"min_value": big}).json()["figures"]
    assert top and all(f["value"] >= big for f in top)
    category = rows[0]["category"]
    assert all(f["category"] == category for f in client.get("/api/figures", params={"category": category}).json()["figures"])


def test_timeline_and_graph(client: TestClient) -> None:
    tl = client.get("/api/timeline", params={"precision": "year"}).json()
    assert tl["statements"] or tl["events"]
    assert sum(e["count"] for e in tl["events"]) > 0
    svg = client.get("/timeline.svg")
    assert svg.status_code == 200 and svg.text.startswith("<svg") and "bar-event" in svg.text
    graph = client.get("/api/graph").json()["edges"]
    assert graph and all(e["n"] >= 1 for e in graph)
    picture = client.get("/graph.svg").text
    assert picture.count('class="edge ') >= 1 and "marker-end" in picture
    # filters: one act keeps only its allegations; a range before every statement leaves nothing
    act = client.get("/api/allegations", params={"limit": 1}).json()["allegations"][0]["act"]
    with_act = client.get("/api/allegations", params={"act": act, "limit": 500}).json()["allegations"]
    edges = client.get("/api/graph", params={"act": act}).json()["edges"]
    expected = sum(len(a["accused"]) for a in with_act if a["claimant"])  # the list already leaves rejected ones out
    assert sum(e["n"] for e in edges) == expected
    assert client.get("/api/graph", params={"until": "1900"}).json()["edges"] == []
    assert "No allegations yet" in client.get("/graph.svg", params={"until": "1900"}).text
    # statement bars of the timeline open the documents of their period
    assert 'href="/documents?since=' in client.get("/timeline").text


def test_openapi_is_served_without_any_cdn(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/documents", "/api/documents/{doc_id}", "/api/allegations", "/api/figures", "/api/timeline",
                 "/api/graph", "/allegations.csv"):
        assert path in spec["paths"], path
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404
