"""The review queue in a real headless Chromium, driven with the keyboard (issue 14)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from counterclaim.store import Ledger

from .conftest import LiveServer
from .test_browser import browser  # noqa: F401 - the shared Chromium fixture

pytestmark = pytest.mark.browser


def _statuses(page: Any) -> dict[str, str]:
    return {el.get_attribute("data-id"): el.get_attribute("data-status") for el in page.locator(".qitem").all()}


def test_review_queue_with_the_keyboard(browser: Any, demo_db: Path, tmp_path: Path) -> None:  # noqa: F811
    db = tmp_path / "review.db"
    with Ledger(demo_db, readonly=True) as src, Ledger(db) as dst:
        src.conn.backup(dst.conn)
        allegations = dst.records("allegation")
    per_doc: dict[str, int] = {}
    for a in allegations:
        per_doc[a.doc] = per_doc.get(a.doc, 0) + 1
    doc = max(per_doc, key=lambda d: per_doc[d])
    assert per_doc[doc] >= 3
    with LiveServer(db, allow_edit=True) as server:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server.url + f"/review?doc={doc}&type=allegation")
        page.fill("#analyst", "Ana")
        page.keyboard.press("Escape")  # leave the name box: keys now drive the queue
        progress = page.locator(f'#progress li[data-doc="{doc}"] .count')
        reviewed_before = int(progress.inner_text().split()[0])
        ids = [el.get_attribute("data-id") for el in page.locator(".qitem").all()[:3]]
        assert "current" in (page.locator(f"#q-{ids[0]}").get_attribute("class") or "")
        # confirm the first
        page.keyboard.press("c")
        page.wait_for_selector(f'#q-{ids[0]}[data-status="confirmed"]')
        assert "current" in (page.locator(f"#q-{ids[1]}").get_attribute("class") or "")
        # correct the second one's accused
        page.keyboard.press("e")
        box = page.locator(f"#q-{ids[1]} textarea")
        box.fill(re.sub(r"^accused=.*$", "accused=Russian Federation", box.input_value(), flags=re.M))
        page.keyboard.press("Control+Enter")
        page.wait_for_selector(f'#q-{ids[1]}[data-status="corrected"]')
        assert page.locator(f'#q-{ids[1]} dd[data-field="accused"]').inner_text() == "Russia"
        # reject the third, with a reason
        page.keyboard.press("x")
        page.keyboard.type("a question, not an accusation")
        page.keyboard.press("Enter")
        page.wait_for_selector(f'#q-{ids[2]}[data-status="rejected"]')
        assert progress.inner_text().startswith(f"{reviewed_before + 3} of ")
        # a wrong value is refused on the server and said on the page
        nxt = page.locator(".qitem.current")
        page.keyboard.press("e")
        area = nxt.locator("textarea")
        area.fill(re.sub(r"^act=.*$", "act=not_an_act", area.input_value(), flags=re.M))
        page.keyboard.press("Control+Enter")
        page.wait_for_selector(".qitem.current .error:not([hidden])")
        assert "unknown act" in nxt.locator(".error").inner_text()
        page.keyboard.press("Escape")
        # add a missed record by selecting words of the text with the mouse
        page.locator("#review-text").dblclick()
        selected = page.evaluate("window.getSelection().toString()")
        assert selected.strip()
        page.keyboard.press("a")
        form = page.locator("#add-form")
        assert form.is_visible()
        form.locator("select[name=type]").select_option("allegation")
        form.locator("textarea").fill("claimant=Azerbaijan\naccused=Armenia\nact=landmines\nstance=assert")
        form.locator("button[type=submit]").click()
        page.wait_for_selector("#add-form[data-added]")
        added = form.get_attribute("data-added")
        # reload: every decision is there
        page.goto(server.url + f"/review?doc={doc}&status=all")
        seen = _statuses(page)
        assert (seen[ids[0]], seen[ids[1]], seen[ids[2]], seen[added]) == ("confirmed", "corrected", "rejected", "added")
        with Ledger(db, readonly=True) as ledger:
            text = ledger.get_document(doc).text
            row = ledger.conn.execute("SELECT start, end, reviewed_by FROM review_subjects WHERE id = ?", (added,)).fetchone()
        assert text[row[0]:row[1]] == selected and row[2] == "Ana"
        # the extractor is upgraded and analyze runs again: the decisions are still there
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE extractions SET version = '0.0.0+old'")
        from counterclaim.analyze import analyze_ledger

        with Ledger(db) as ledger:
            done, _ = analyze_ledger(ledger)
        assert done >= 1
        page.goto(server.url + f"/review?doc={doc}&status=all")
        seen = _statuses(page)
        assert (seen[ids[0]], seen[ids[1]], seen[ids[2]], seen[added]) == ("confirmed", "corrected", "rejected", "added")
        page.goto(server.url + f"/documents/{doc}")
        assert page.locator(f"#rec-{ids[1]} .flag").inner_text() == "corrected"
        assert page.locator(f'#rec-{ids[1]} dd[data-field="accused"]').inner_text() == "Russia"
        context.close()
    assert errors == []
