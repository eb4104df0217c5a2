"""Fixtures of the web tests: a demo ledger (the seed corpus, analysed) and a hostile document.

The demo ledger goes through the real path (ingest + analyze). While an extractor has not landed (or cannot load its
data), the fixture tops the ledger up with records found by plain patterns in the text, so the views always have a
quote, a figure, dates and allegations to show; tests read whatever records the ledger holds, never fixed values.
"""

from __future__ import annotations

import logging
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from counterclaim.records import Allegation, DateMention, Figure, Quote, Record
from counterclaim.store import Ledger

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "seeds"
log = logging.getLogger(__name__)

HOSTILE_TEXT = """Statement <script>window.__pwned = 1; document.title = "pwned";</script> on the shelling
The ministry said that <img src=x onerror="window.__pwned = 2"> forces killed 12 civilians.
Read <a href="javascript:window.__pwned = 3">the report</a> and </pre><script>window.__pwned = 4</script>
<svg onload="window.__pwned = 5"></svg><iframe src="javascript:window.__pwned = 6"></iframe>
"Quoted <b onmouseover=window.__pwned=7>words</b>" said <style>body{display:none}</style> the spokesperson.
"""
HOSTILE_HTML = """<html><head><title>Hostile <script>window.__pwned=8</script> page</title>
<script>window.__pwned = 9; document.title = "pwned";</script></head>
<body><article><h1>Ministry statement on the attack</h1>
<p onclick="window.__pwned=10">The ministry accused the armed forces of shelling the town on 12 March 2023,
killing 14 civilians. <img src="x" onerror="window.__pwned=11"> <a href="javascript:window.__pwned=12">More</a>.</p>
<p>Witnesses said the strikes hit a school &lt;script&gt;window.__pwned=13&lt;/script&gt; and a hospital.</p>
</article></body></html>
"""


def ingest(ledger: Ledger, *paths: Path) -> None:
    from counterclaim.ingest.run import ingest_paths

    ingest_paths(ledger, [str(p) for p in paths])


def try_analyze(ledger: Ledger) -> None:
    """The real extraction; a broken extractor (work in progress elsewhere) must not stop the web tests."""
    try:
        from counterclaim.analyze import analyze_ledger

        analyze_ledger(ledger)
    except Exception as exc:  # noqa: BLE001 - any failure of work in progress elsewhere; the views are tested here
        log.warning("analyze failed, the web tests use pattern records only: %s", exc)


def _sentence(text: str, start: int, end: int) -> str:
    a = max(text.rfind(".", 0, start), text.rfind("\n", 0, start)) + 1
    b_candidates = [i for i in (text.find(".", end), text.find("\n", end)) if i != -1]
    b = min(b_candidates) + 1 if b_candidates else len(text)
    return text[a:b].strip()


def pattern_records(doc_id: str, text: str) -> list[Record]:
    """Records found by plain patterns: quotes in curly or straight quotes, counts of people, years, accusations."""
    out: list[Record] = []
    for m in re.finditer(r"[“\"]([^”\"\n]{20,}?)[”\"]", text):
        out.append(Quote(doc=doc_id, start=m.start(), end=m.end(), speaker=None, text=m.group(1),
                         sentence=_sentence(text, m.start(), m.end()), version="webtest"))
    for m in re.finditer(r"\b(\d[\d,]*)\s+(people|civilians|inhabitants|persons)\b", text):
        value = float(m.group(1).replace(",", ""))
        out.append(Figure(doc=doc_id, start=m.start(), end=m.end(), value=value, value_text=m.group(0),
                          category="killed" if "kill" in text[m.end():m.end() + 40] else "other",
                          sentence=_sentence(text, m.start(), m.end()), version="webtest"))
    for m in re.finditer(r"\b(19[5-9]\d|20[0-4]\d)\b", text):
        out.append(DateMention(doc=doc_id, start=m.start(), end=m.end(), date=m.group(1), precision="year",
                               text=m.group(0), sentence=_sentence(text, m.start(), m.end()), version="webtest"))
    for m in re.finditer(r"\b(Armenia|Azerbaijan)n?\b[^.\n]{0,80}?\b(accus\w+|denie\w*|investigat\w+)", text):
        claimant = m.group(1)
        accused = "Azerbaijan" if claimant == "Armenia" else "Armenia"
        verb = m.group(2).lower()
        stance = "deny" if verb.startswith("deni") else "call_to_investigate" if verb.startswith("investig") else "assert"
        out.append(Allegation(doc=doc_id, start=m.start(), end=m.end(), claimant=claimant, accused=[accused],
                              act="war_crimes", stance=stance, text=m.group(0),
                              sentence=_sentence(text, m.start(), m.end()), version="webtest"))
    return out


def top_up(ledger: Ledger) -> None:
    """Add pattern records of the types the ledger has none of (keeping the extracted ones)."""
    counts = ledger.counts()
    missing = {t for t in ("quote", "figure", "date", "allegation") if not counts.get(t)}
    if not missing:
        return
    for doc in list(ledger.iter_documents()):
        existing = ledger.records(doc_id=doc.id)
        extra = [r for r in pattern_records(doc.id, doc.text) if r.TYPE in missing]
        if extra:
            version = existing[0].version if existing else "webtest"
            ledger.replace_records(doc.id, version, existing + extra)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """The real app under uvicorn on 127.0.0.1 in a background thread."""

    def __init__(self, db: Path, **kwargs: Any) -> None:
        import uvicorn

        from counterclaim.web.app import create_app

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(db, **kwargs), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the workbench server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web") / "demo.db"
    with Ledger(path) as ledger:
        ingest(ledger, SEEDS)
        try_analyze(ledger)
        top_up(ledger)
    return path


@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A ledger of hostile documents (a text file with literal markup, an HTML page) with records over the markup."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "hostile.txt").write_text(HOSTILE_TEXT, "utf-8")
    (folder / "hostile.html").write_text(HOSTILE_HTML, "utf-8")
    path = folder / "hostile.db"
    ids: list[str] = []
    with Ledger(path) as ledger:
        ingest(ledger, folder / "hostile.txt", folder / "hostile.html")
        for doc in list(ledger.iter_documents()):
            ids.append(doc.id)
            text = doc.text
            records: list[Record] = pattern_records(doc.id, text)
            i = text.find("<script")
            if i >= 0:  # a record whose span and fields are markup
                records.append(Quote(doc=doc.id, start=i, end=text.find("</script>", i) + 9, speaker="<img src=x onerror=\"window.__pwned=20\">",
                                     text=text[i:i + 40], sentence=text[i:i + 60], version="webtest"))
            records.append(Allegation(doc=doc.id, start=0, end=min(20, len(text)),
                                      claimant="<script>window.__pwned=21</script>",
                                      accused=["<img src=x onerror=window.__pwned=22>"], act="shelling",
                                      sentence="<b onmouseover=window.__pwned=23>x</b>", version="webtest"))
            ledger.replace_records(doc.id, "webtest", records)
    return path, ids


@pytest.fixture
def live(demo_db: Path) -> Iterator[LiveServer]:
    with LiveServer(demo_db) as server:
        yield server
