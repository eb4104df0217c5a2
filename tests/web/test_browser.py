"""The workbench in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from counterclaim.store import Ledger

from .conftest import LiveServer

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
TOKEN = "browser-test-token-42"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
    yield pg
    context.close()


def _known(db: Path, type_: str) -> tuple[Any, str]:
    """A record of ``type_`` from the ledger (whichever extractor made it) and its evidence text."""
    with Ledger(db, readonly=True) as ledger:
        rec = ledger.records(type_, limit=1)[0]
        text = ledger.get_document(rec.doc).text
    return rec, text[rec.start:rec.end]


def test_search_open_document_and_highlights(page: Any, live: LiveServer, demo_db: Path) -> None:
    figure, figure_text = _known(demo_db, "figure")
    quote, quote_text = _known(demo_db, "quote")
    with Ledger(demo_db, readonly=True) as ledger:
        title = ledger.get_document(figure.doc).title or ""
    page.goto(live.url + "/documents")
    assert page.locator("table.documents tbody tr").count() == 5
    page.fill("input[name=q]", f'"{figure_text}"')
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/documents?q=*")
    link = page.locator(f'a.doc-link[href="/documents/{figure.doc}"]')
    assert link.count() == 1
    link.click()
    page.wait_for_url(f"**/documents/{figure.doc}")
    assert page.locator("h1").first.inner_text() == (title or figure.doc)
    # the figure's span is highlighted: the marks carrying its id spell its evidence text
    marks = page.locator(f'mark.hl[data-rec~="{figure.id}"]')
    assert marks.count() >= 1
    assert "".join(marks.all_inner_texts()) == figure_text
    assert "has-figure" in (marks.first.get_attribute("class") or "")
    # hovering shows the record's fields in the popover; clicking marks its card
    marks.first.hover()
    pop = page.locator("#popover")
    assert pop.is_visible()
    assert figure.value_text in pop.inner_text() or str(int(figure.value)) in pop.inner_text()
    marks.first.click()
    assert "current" in (page.locator(f"#rec-{figure.id}").get_attribute("class") or "")
    # the known quote, in its own document
    page.goto(live.url + f"/documents/{quote.doc}")
    qmarks = page.locator(f'mark.hl[data-rec~="{quote.id}"]')
    assert "".join(qmarks.all_inner_texts()) == quote_text
    assert "has-quote" in (qmarks.first.get_attribute("class") or "")
    # the legend toggles a type off and on
    chip = page.locator('[data-toggle-type="quote"]')
    chip.click()
    assert "hide-quote" in (page.locator("#doctext").get_attribute("class") or "")
    assert page.errors == []  # type: ignore[attr-defined]


def test_filter_allegations_timeline_and_graph(page: Any, live: LiveServer, demo_db: Path) -> None:
    with Ledger(demo_db, readonly=True) as ledger:
        allegations = ledger.records("allegation")
    claimant = next(a.claimant for a in allegations if a.claimant)  # type: ignore[attr-defined]
    expected = sum(1 for a in allegations if (a.claimant or "").lower() == claimant.lower())  # type: ignore[attr-defined]
    page.goto(live.url + "/allegations")
    assert page.locator("table.allegations tbody tr").count() == min(len(allegations), 50)
    page.fill("input[name=claimant]", claimant)
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/allegations?*")
    rows = page.locator("table.allegations tbody tr")
    assert rows.count() == min(expected, 50)
    assert all(c.lower() == claimant.lower() for c in page.locator("td.claimant").all_inner_texts())
    href = page.locator("a.download").get_attribute("href") or ""
    assert href.startswith("/allegations.csv?") and "claimant=" in href
    page.goto(live.url + "/timeline")
    bars = page.locator("svg.timeline rect.bar-event")
    assert bars.count() >= 1
    box = page.locator("svg.timeline").bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100
    page.goto(live.url + "/graph")
    assert page.locator("svg.graph path.edge").count() >= 1
    assert page.locator("svg.graph g.node").count() >= 2
    assert claimant in page.locator("svg.graph").text_content()
    assert page.errors == []  # type: ignore[attr-defined]


def test_hostile_document_runs_nothing(browser: Any, hostile_db: tuple[Path, list[str]]) -> None:
    db, ids = hostile_db
    with LiveServer(db) as server:
        context = browser.new_context()
        page = context.new_page()
        console: list[str] = []
        dialogs: list[str] = []
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in [f"/documents/{i}" for i in ids] + ["/documents", "/allegations", "/graph", "/figures"]:
            page.goto(server.url + path)
            page.wait_for_load_state("load")
            for mark in page.locator("mark.hl").all()[:10]:  # hover and click what the text offers
                mark.hover()
                mark.click()
            for link in page.locator("pre.doctext a, aside a").all():
                assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
            assert page.evaluate("typeof window.__pwned") == "undefined", path
            assert page.title() != "pwned"
            assert page.locator("pre.doctext script, pre.doctext img, pre.doctext iframe, pre.doctext svg").count() == 0
        # the markup is shown as text, and the page's own script does run (so the silence above means something)
        page.goto(server.url + f"/documents/{ids[0]}")
        text = page.locator("#doctext").inner_text()
        assert "<script>" in text or "<img" in text or "onerror" in text
        page.locator("mark.hl").first.hover()
        assert page.locator("#popover").is_visible()
        assert "onerror" in page.locator("#popover").inner_text() or page.locator("#popover .rec").count() >= 1
        context.close()
    assert dialogs == []
    assert not [c for c in console if "pwned" in c or c.startswith("pageerror")]


def test_exposed_server_refuses_requests_without_the_token(browser: Any, demo_db: Path) -> None:
    import httpx

    with LiveServer(demo_db, token=TOKEN) as server:
        assert httpx.get(server.url + "/documents").status_code == 401
        assert httpx.get(server.url + "/api/documents").json()["error"]["status"] == 401
        assert httpx.get(server.url + "/api/documents", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        context = browser.new_context()
        page = context.new_page()
        refused = page.goto(server.url + "/documents")
        assert refused is not None and refused.status == 401
        ok = page.goto(server.url + f"/documents?token={TOKEN}")
        assert ok is not None and ok.status == 200 and "token=" not in page.url
        page.goto(server.url + "/allegations")  # the cookie carries it from now on
        assert page.locator("table.allegations").count() == 1
        context.close()
