"""The review queue and decisions over HTTP (TestClient), and the cross-site request refusal."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from counterclaim.store import Ledger
from counterclaim.web.app import create_app
from counterclaim.web.security import cross_site_refusal


@pytest.fixture
def edit_db(tmp_path: Path, demo_db: Path) -> Path:
    db = tmp_path / "edit.db"
    with Ledger(demo_db, readonly=True) as src, Ledger(db) as dst:
        src.conn.backup(dst.conn)
    return db


def test_cross_site_requests_are_refused() -> None:
    host = {"host": "127.0.0.1:8765"}
    assert cross_site_refusal("POST", {**host, "origin": "http://127.0.0.1:8765"}, "http") is None
    assert cross_site_refusal("POST", host, "http") is None  # not a browser page (curl, scripts)
    assert cross_site_refusal("GET", {**host, "origin": "https://evil.example"}, "http") is None
    for headers in ({"origin": "https://evil.example"}, {"origin": "null"}, {"origin": "http://127.0.0.1:9999"},
                    {"origin": "http://localhost:8765"}, {"sec-fetch-site": "cross-site"},
                    {"sec-fetch-site": "same-site"}):
        assert "cross-site request refused" in (cross_site_refusal("POST", {**host, **headers}, "http") or ""), headers
    assert cross_site_refusal("POST", {"host": "example.org", "origin": "https://example.org:443"}, "https") is None


def test_cross_origin_post_is_refused_by_the_app(edit_db: Path) -> None:
    client = TestClient(create_app(edit_db, allow_edit=True))
    with Ledger(edit_db, readonly=True) as ledger:
        rec = ledger.records("allegation", limit=1)[0]
    for path, body in ((f"/api/review/{rec.id}", {"action": "confirm"}), (f"/api/records/{rec.id}", {"rejected": False})):
        r = client.post(path, json=body, headers={"Origin": "https://evil.example"})
        assert r.status_code == 403 and "cross-site" in r.json()["error"]["message"]
        r = client.post(path, json=body, headers={"Sec-Fetch-Site": "cross-site"})
        assert r.status_code == 403
    assert client.get("/api/review/log").json()["log"] == []  # nothing was decided
    ok = client.post(f"/api/review/{rec.id}", json={"action": "confirm", "by": "Ana"},
                     headers={"Origin": "http://testserver"})
    assert ok.status_code == 200 and ok.json()["status"] == "confirmed"


def test_queue_decisions_and_validation(edit_db: Path) -> None:
    client = TestClient(create_app(edit_db, allow_edit=True))
    queue = client.get("/api/review/queue", params={"type": "allegation"}).json()
    assert queue["records"] and all(r["status"] == "machine" for r in queue["records"])
    doc = queue["records"][0]["doc"]
    before = next(p for p in queue["progress"] if p["id"] == doc)
    first, second = queue["records"][0]["id"], queue["records"][1]["id"]
    r = client.post(f"/api/review/{first}", json={"action": "correct", "set": {"accused": "Russian Federation"},
                                                  "reason": "named in the text", "by": "Ana"})
    assert r.status_code == 200, r.text
    assert r.json()["accused"] == ["Russia"] and r.json()["status"] == "corrected"
    for body, message in (
        ({"action": "correct", "set": {"act": "not_an_act"}}, "unknown act"),
        ({"action": "correct", "set": {"accused": "Narnia"}}, "unknown actor"),
        ({"action": "reject"}, "needs a reason"),
        ({"action": "delete"}, "unknown decision"),
    ):
        bad = client.post(f"/api/review/{second}", json=body)
        assert bad.status_code == 400 and message in bad.json()["error"]["message"], body
    assert client.post("/api/review/ffffffffffffffff", json={"action": "confirm"}).status_code == 404
    added = client.post("/api/review/add", json={"doc": doc, "type": "allegation", "start": 0, "end": 12,
                                                 "set": {"claimant": "Azerbaijan", "accused": "Armenia",
                                                         "act": "landmines"}, "by": "Ben"})
    assert added.status_code == 200, added.text
    assert added.json()["status"] == "added"
    bad_add = client.post("/api/review/add", json={"doc": doc, "type": "allegation", "start": 0, "end": 10**7,
                                                   "set": {"claimant": "Azerbaijan"}})
    assert bad_add.status_code == 400
    after = client.get("/api/review/queue", params={"doc": doc, "status": "all"}).json()
    progress = after["progress"][0]
    assert progress["reviewed"] == before["reviewed"] + 1 and progress["added"] == 1
    statuses = {r["id"]: r["status"] for r in after["records"]}
    assert statuses[first] == "corrected" and statuses[added.json()["id"]] == "added"
    assert first not in {r["id"] for r in client.get("/api/review/queue", params={"doc": doc}).json()["records"]}
    log = client.get("/api/review/log").json()["log"]
    assert [(e["analyst"], e["action"]) for e in log] == [("Ana", "correct"), ("Ben", "add")]
    page = client.get("/review", params={"doc": doc, "status": "all"})
    assert page.status_code == 200 and 'id="review-text"' in page.text and "reviewed" in page.text
    # the document page shows the decision and the reason
    doc_page = client.get(f"/documents/{doc}").text
    assert "corrected" in doc_page and "named in the text" in doc_page


def test_read_only_queue_shows_but_refuses_decisions(demo_db: Path) -> None:
    client = TestClient(create_app(demo_db))
    page = client.get("/review")
    assert page.status_code == 200 and "--allow-edit" in page.text
    rec = client.get("/api/review/queue").json()["records"][0]
    assert client.post(f"/api/review/{rec['id']}", json={"action": "confirm"}).status_code == 403
    assert client.get("/review", params={"status": "bogus"}).status_code == 400


def test_lists_csv_and_graph_show_corrections(edit_db: Path) -> None:
    client = TestClient(create_app(edit_db, allow_edit=True))
    rows = client.get("/api/allegations", params={"limit": 500}).json()["allegations"]
    target = next(r for r in rows if r["act"] != "torture" and r["claimant"])
    old_act = target["act"]
    before = client.get("/api/graph", params={"act": "torture"}).json()["edges"]
    assert client.post(f"/api/review/{target['id']}", json={"action": "correct", "set": {"act": "torture"}}).status_code == 200
    old = client.get("/api/allegations", params={"act": old_act, "limit": 500}).json()["allegations"]
    assert target["id"] not in {r["id"] for r in old}  # the filter matched the machine value; the row is corrected
    new = client.get("/api/allegations", params={"act": "torture", "limit": 500}).json()["allegations"]
    assert [r["status"] for r in new if r["id"] == target["id"]] == ["corrected"]  # corrected into the filter
    every = {r["id"]: r for r in client.get("/api/allegations", params={"limit": 500}).json()["allegations"]}
    assert every[target["id"]]["act"] == "torture" and every[target["id"]]["status"] == "corrected"
    csv_text = client.get("/allegations.csv").text
    line = next(x for x in csv_text.splitlines() if x.startswith(target["id"]))
    assert ",torture," in line and ",corrected," in line
    after = client.get("/api/graph", params={"act": "torture"}).json()["edges"]
    assert sum(e["n"] for e in after) == sum(e["n"] for e in before) + len(target["accused"])


def test_timeline_leaves_rejected_dates_out(edit_db: Path) -> None:
    client = TestClient(create_app(edit_db, allow_edit=True))
    with Ledger(edit_db, readonly=True) as ledger:
        date = ledger.records("date")[0]
    year = date.date[:4]  # type: ignore[attr-defined]

    def count() -> int:
        events = client.get("/api/timeline", params={"precision": "year"}).json()["events"]
        return sum(e["count"] for e in events if e["period"] == year)

    before = count()
    assert client.post(f"/api/review/{date.id}", json={"action": "reject", "reason": "a citation date"}).status_code == 200
    assert count() == before - 1


def test_added_records_take_their_place_in_the_lists(edit_db: Path) -> None:
    client = TestClient(create_app(edit_db, allow_edit=True))
    first = client.get("/api/allegations", params={"limit": 3}).json()
    doc = first["allegations"][0]["doc"]
    start = first["allegations"][0]["start"]
    added = client.post("/api/review/add", json={
        "doc": doc, "type": "allegation", "start": start, "end": start + 5,
        "set": {"claimant": "Azerbaijan", "accused": "Armenia", "act": "hostage_taking"}}).json()
    # the first page of the list holds it, next to the record at the same place; the following page does not
    page1 = client.get("/api/allegations", params={"limit": 3}).json()
    ids = [r["id"] for r in page1["allegations"]]
    assert added["id"] in ids and ids.index(added["id"]) <= ids.index(first["allegations"][0]["id"]) + 1
    assert next(r for r in page1["allegations"] if r["id"] == added["id"])["status"] == "added"
    if page1["pager"]["after"]:
        page2 = client.get("/api/allegations", params={"limit": 3, "after": page1["pager"]["after"]}).json()
        assert added["id"] not in [r["id"] for r in page2["allegations"]]
    # filters apply to it: its act finds it, another act does not
    assert [r["id"] for r in client.get("/api/allegations", params={"act": "hostage_taking"}).json()["allegations"]
            if r["status"] == "added"] == [added["id"]]
    assert added["id"] not in [r["id"] for r in client.get("/api/allegations", params={"act": "genocide"}).json()["allegations"]]
    assert added["id"] in client.get("/allegations.csv").text
