"""The incidents map and the analysts' decision form in a real headless Chromium (Debian's /usr/bin/chromium)."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from counterclaim.store import Ledger
from counterclaim.store.links import LinkStore

from .test_incidents import corpus  # noqa: F401  (the fixture: a ledger of several conflicts)

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"


class _Server:
    def __init__(self, db: Path) -> None:
        import uvicorn

        from counterclaim.web.app import create_app

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(create_app(db, allow_edit=True), host="127.0.0.1",
                                                    port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> _Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "the workbench did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def page() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        pg = browser.new_page(viewport={"width": 1280, "height": 900})
        pg.errors = []  # type: ignore[attr-defined]
        pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
        pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)  # type: ignore[attr-defined]
        yield pg
        browser.close()


def test_map_and_rename_in_the_browser(page: Any, corpus: tuple[Ledger, dict[str, str]]) -> None:  # noqa: F811
    ledger, ids = corpus
    gaza = next(i for i in LinkStore(ledger).incidents() if ids["gaza"] in i["docs"])
    with _Server(ledger.path) as server:
        page.goto(server.url + "/incidents")
        dot = page.locator(f'a[href="/incidents/{gaza["id"]}"] circle.map-dot')
        assert dot.count() == 1 and dot.bounding_box()["width"] > 0
        dot.click()
        page.wait_for_url(f"**/incidents/{gaza['id']}")
        page.select_option("form.incident-decision select[name=action]", "rename")
        page.fill("form.incident-decision input[name=value]", "Jabalia block strike")
        page.click("form.incident-decision button[type=submit]")
        page.wait_for_function("document.querySelector('h1').textContent.includes('Jabalia block strike')")
        assert not page.errors  # type: ignore[attr-defined]
    assert LinkStore(ledger).get_incident("Jabalia block strike")["decided"]
