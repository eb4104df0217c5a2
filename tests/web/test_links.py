"""Lineage and incident views over the link component's tables (written here through its store, LinkStore)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from counterclaim.store import Ledger
from counterclaim.store.links import LinkStore
from counterclaim.web.app import create_app


@pytest.fixture(scope="module")
def linked_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    db = tmp_path_factory.mktemp("links") / "linked.db"
    with Ledger(demo_db, readonly=True) as src, Ledger(db) as dst:
        src.conn.backup(dst.conn)
    with Ledger(db) as ledger:
        ids = [d["id"] for d in ledger.documents()]
        store = LinkStore(ledger)
        pair = {"doc_start": 0, "doc_end": 10, "other_start": 0, "other_end": 10, "score": 0.9, "lexical": 0.8}
        store.save_links([(i, np.zeros(4, dtype=np.uint64), []) for i in ids[:2]], "test",
                         [{"doc": ids[0], "other": ids[1], "kind": "rewrite", "share": 0.4, "other_share": 0.25,
                           "pairs": [pair, pair]}])
        figures = ledger.records("figure", limit=2)
        store.replace_incidents(
            [{"id": "inc0001", "label": "<b>Shelling</b> of the town", "place": "Town", "start": "2022-09-13",
              "end": "2022-09-14", "acts": ["shelling"], "docs": ids[:2],
              "records": [{"id": f.id, "doc": f.doc, "type": "figure"} for f in figures]}],
            [{"incident": "inc0001", "category": "killed", "verdict": "differ",
              "values": [{"doc": f.doc, "value": f.value, "qualifier": "exact", "figure": f.id, "value_text": f.value_text,
                          "start": f.start, "end": f.end, "sentence": f.sentence} for f in figures]}],
        )
    return db, ids


def test_lineage_on_the_document_page(linked_db: tuple[Path, list[str]]) -> None:
    db, ids = linked_db
    client = TestClient(create_app(db))
    api = client.get(f"/api/documents/{ids[1]}").json()
    assert api["lineage"] == [{**api["lineage"][0], "id": ids[0], "kind": "rewrite", "share": 0.25, "other_share": 0.4,
                               "pairs": 2}]
    html = client.get(f"/documents/{ids[0]}").text
    assert "Lineage" in html and f'href="/documents/{ids[1]}"' in html and "40% of this text" in html
    assert client.get(f"/api/documents/{ids[2]}").json()["lineage"] == []


def test_incident_pages(linked_db: tuple[Path, list[str]], demo_db: Path) -> None:
    db, _ = linked_db
    client = TestClient(create_app(db))
    listed = client.get("/api/incidents").json()["incidents"]
    assert [i["id"] for i in listed] == ["inc0001"] and listed[0]["records"] == 2
    html = client.get("/incidents").text
    assert "&lt;b&gt;Shelling&lt;/b&gt;" in html and 'href="/incidents/inc0001"' in html
    detail = client.get("/api/incidents/inc0001").json()
    assert detail["comparisons"][0]["verdict"] == "differ" and len(detail["records"]) == 2
    page = client.get("/incidents/inc0001").text
    assert "verdict-differ" in page and page.count("#rec-") >= 4
    assert client.get("/api/incidents/nothing").status_code == 404
    # a ledger without incidents says how to make them
    empty = TestClient(create_app(demo_db))
    assert empty.get("/api/incidents").json() == {"incidents": []}
    assert "counterclaim link" in empty.get("/incidents").text
