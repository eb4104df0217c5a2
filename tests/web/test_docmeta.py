"""Document metadata corrections in the workbench (edit mode), the 'not analysed' note and PDF pages in pages."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from counterclaim.store import Ledger
from counterclaim.web.app import create_app

from .conftest import LiveServer


def copy(demo_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "copy.db"
    with Ledger(demo_db, readonly=True) as src, Ledger(db) as dst:
        src.conn.backup(dst.conn)
    return db


def first_doc(db: Path) -> tuple[str, str | None]:
    with Ledger(db, readonly=True) as ledger:
        doc = next(ledger.iter_documents())
        return doc.id, doc.published


def test_correct_metadata_through_the_api(tmp_path: Path, demo_db: Path) -> None:
    db = copy(demo_db, tmp_path)
    doc_id, published = first_doc(db)
    client = TestClient(create_app(db, allow_edit=True))
    r = client.post(f"/api/documents/{doc_id}/meta", json={"published": "4 October 2022", "title": "Fixed title",
                                                           "note": "letterhead"})
    assert r.status_code == 200, r.text
    assert {c["field"]: c["value"] for c in r.json()["corrected"]} == {"published": "2022-10-04", "title": "Fixed title"}
    doc = client.get(f"/api/documents/{doc_id}").json()["document"]
    assert doc["title"] == "Fixed title" and doc["published"] == "2022-10-04"
    assert doc["corrections"]["published"]["extracted"] == published
    page = client.get(f"/documents/{doc_id}").text
    assert "Corrected" in page and "Fixed title" in page
    bad = client.post(f"/api/documents/{doc_id}/meta", json={"published": "soon"})
    assert bad.status_code == 400 and "cannot read the date" in bad.json()["error"]["message"]
    assert client.post(f"/api/documents/{doc_id}/meta", json={}).status_code == 400
    read_only = TestClient(create_app(db))
    assert read_only.post(f"/api/documents/{doc_id}/meta", json={"title": "x"}).status_code == 403
    assert "meta-edit" not in read_only.get(f"/documents/{doc_id}").text


def test_not_analysed_note_and_pdf_pages(tmp_path: Path) -> None:
    from counterclaim.ingest import IngestOptions, ingest_paths

    from ..ingest.test_formats import PAGE_TEXTS, make_pdf
    from ..ingest.test_formats_cli import FRENCH

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "fr.txt").write_text(FRENCH, encoding="utf-8")
    make_pdf(folder / "r.pdf", PAGE_TEXTS)
    db = tmp_path / "l.db"
    with Ledger(db) as ledger:
        ingest_paths(ledger, [str(folder)], IngestOptions(jobs=1))
        from counterclaim.records import Figure

        pdf = next(d for d in ledger.iter_documents() if d.meta.get("pages"))
        start = pdf.text.index("40 men")
        ledger.replace_records(pdf.id, "t", [Figure(doc=pdf.id, start=start, end=start + 6, value=40, version="t")])
    client = TestClient(create_app(db))
    assert "not analysed: language fr" in client.get("/documents").text
    page = client.get(f"/documents/{pdf.id}").text
    assert "page 2" in page and "<dt>Pages</dt><dd>2</dd>" in page


@pytest.mark.browser
def test_correction_form_in_a_real_browser(tmp_path: Path, demo_db: Path) -> None:
    if not Path("/usr/bin/chromium").exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    db = copy(demo_db, tmp_path)
    doc_id, _ = first_doc(db)
    errors: list[str] = []
    with LiveServer(db, allow_edit=True) as live, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        page: Any = browser.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{live.url}/documents/{doc_id}")
        page.fill("#meta-edit input[name=publisher]", "Ministry of Foreign Affairs of Azerbaijan")
        page.fill("#meta-edit input[name=note]", "letterhead")
        with page.expect_navigation():
            page.click("#meta-edit button[type=submit]")
        assert "Ministry of Foreign Affairs of Azerbaijan" in page.inner_text("dl.meta")
        assert "Corrected" in page.inner_text("dl.meta")
        browser.close()
    assert not errors
    with Ledger(db, readonly=True) as ledger:
        assert ledger.get_document(doc_id).publisher == "Ministry of Foreign Affairs of Azerbaijan"


