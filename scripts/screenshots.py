"""Regenerate docs/screenshots/*.png: the workbench's main pages in headless Chromium.

Usage:  .venv/bin/python scripts/screenshots.py [--db LEDGER] [--out docs/screenshots]

Without ``--db`` a demo ledger is built in a temporary folder from examples/seeds (ingest + analyze, the real
extractors). The real server (uvicorn) runs on a free loopback port; Debian's /usr/bin/chromium, driven by
Playwright, takes one picture per page. The review pictures (``review.png``: the queue of one statement with
decisions of each kind; ``review-corrected.png``: a corrected record in the document view) are taken on a copy of
the ledger in which the script records a few decisions itself (the given ledger is never changed).
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def build_demo(path: Path) -> None:
    from counterclaim.analyze import analyze_ledger
    from counterclaim.ingest.run import ingest_paths
    from counterclaim.store import Ledger

    with Ledger(path) as ledger:
        ingest_paths(ledger, [str(ROOT / "examples" / "seeds")])
        analyze_ledger(ledger)
        counts = ledger.counts()
    print("demo ledger:", {k: v for k, v in counts.items() if v}, file=sys.stderr)
    for type_ in ("quote", "figure", "date", "allegation"):
        if not counts.get(type_):
            print(f"warning: no {type_} records yet; its views will be empty", file=sys.stderr)


def pick_document(db: Path) -> str:
    """The document with the most records (the richest view)."""
    from counterclaim.store import Ledger

    with Ledger(db, readonly=True) as ledger:
        records = ledger.records()
        if not records:
            return str(ledger.documents(limit=1)[0]["id"])
    by_doc: dict[str, int] = {}
    for r in records:
        by_doc[r.doc] = by_doc.get(r.doc, 0) + 1
    return max(by_doc, key=lambda d: by_doc[d])


def shoot(db: Path, out: Path) -> list[Path]:
    import uvicorn
    from playwright.sync_api import sync_playwright

    from counterclaim.web.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    doc = pick_document(db)
    pages = {
        "documents": ("/documents", None),
        "search": ("/documents?q=war+crimes", None),
        "document": (f"/documents/{doc}", "mark.hl.has-figure, mark.hl"),
        "allegations": ("/allegations", None),
        "figures": ("/figures", None),
        "timeline": ("/timeline?precision=year", None),
        "graph": ("/graph", None),
    }
    out.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1360, "height": 900}, device_scale_factor=1)
            for name, (path, hover) in pages.items():
                page.goto(base + path)
                page.wait_for_load_state("load")
                if hover and page.locator(hover).count():
                    page.locator(hover).first.click()
                target = out / f"{name}.png"
                page.screenshot(path=str(target), full_page=False)
                written.append(target)
                print("wrote", target.relative_to(ROOT) if target.is_relative_to(ROOT) else target, file=sys.stderr)
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return written


def review_demo(db: Path) -> tuple[str, str]:
    """Record decisions of each kind on the allegations of the richest document; (document, corrected record)."""
    from counterclaim.review import Reviewer
    from counterclaim.store import Ledger

    doc = pick_document(db)
    with Ledger(db) as ledger:
        allegations = ledger.records("allegation", doc_id=doc)
        if len(allegations) < 3:
            raise SystemExit(f"the demo document {doc} has fewer than 3 allegations; nothing to review")
        reviewer = Reviewer(ledger)
        reviewer.decide(allegations[0].id, "confirm", by="A. Analyst")
        accused = "Russia" if "Russia" not in allegations[1].accused else "Armenia"  # type: ignore[attr-defined]
        reviewer.decide(allegations[1].id, "correct", by="B. Reviewer", changes={"accused": accused, "act": "torture"},
                        reason="the sentence names the perpetrator")
        reviewer.decide(allegations[2].id, "reject", by="A. Analyst", reason="a question, not an accusation")
    return doc, allegations[1].id


def shoot_review(db: Path, out: Path) -> list[Path]:
    import shutil

    import uvicorn
    from playwright.sync_api import sync_playwright

    from counterclaim.web.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "review.db"
        shutil.copy(db, copy)
        doc, corrected = review_demo(copy)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(create_app(copy, allow_edit=True), host="127.0.0.1", port=port,
                                               log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        written = []
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                page = browser.new_page(viewport={"width": 1360, "height": 900}, device_scale_factor=1)
                page.goto(base + f"/review?doc={doc}&type=allegation&status=all")
                page.fill("#analyst", "A. Analyst")
                page.keyboard.press("Escape")
                page.keyboard.press("j")
                page.keyboard.press("e")  # the correction form of the second record, open
                target = out / "review.png"
                page.screenshot(path=str(target), full_page=False)
                written.append(target)
                page.goto(base + f"/documents/{doc}#rec-{corrected}")
                page.wait_for_load_state("load")
                target = out / "review-corrected.png"
                page.screenshot(path=str(target), full_page=False)
                written.append(target)
                browser.close()
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    for target in written:
        print("wrote", target.relative_to(ROOT) if target.is_relative_to(ROOT) else target, file=sys.stderr)
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, help="an existing ledger (default: build the demo ledger)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.db:
        shoot(args.db, args.out)
        shoot_review(args.db, args.out)
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        build_demo(db)
        shoot(db, args.out)
        shoot_review(db, args.out)


if __name__ == "__main__":
    main()
