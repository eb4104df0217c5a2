"""Security without a browser: escaping of hostile text, the token, the exposure rule of `serve`."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from counterclaim.cli import cli
from counterclaim.cli.web_cmds import check_exposure, is_loopback
from counterclaim.errors import UsageError
from counterclaim.web.app import create_app

TOKEN = "s3cret-token-for-tests"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _no_live_markup(html: str) -> None:
    """Only the shipped script; no element carries an event handler, a javascript: URL or inline style."""
    parser = _Tags()
    parser.feed(html)
    scripts = [dict(a) for t, a in parser.tags if t == "script"]
    assert scripts == [{"src": "/static/workbench.js", "defer": None}]
    for tag, attrs in parser.tags:
        assert tag not in ("img", "iframe", "style", "object", "embed", "base"), tag
        for name, value in attrs:
            assert not name.startswith("on") and name != "style", (tag, name)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name, value)


def test_hostile_documents_are_escaped_everywhere(hostile_db: tuple[Path, list[str]]) -> None:
    db, ids = hostile_db
    client = TestClient(create_app(db))
    for doc_id in ids:
        html = client.get(f"/documents/{doc_id}").text
        _no_live_markup(html)
    seen_escaped = False
    for path in ("/documents", "/documents?q=script", "/allegations", "/figures", "/graph", "/timeline"):
        html = client.get(path).text
        _no_live_markup(html)
        seen_escaped = seen_escaped or "&lt;script&gt;" in html
    assert seen_escaped
    svg = client.get("/graph.svg").text
    assert "<script" not in svg and "&lt;script&gt;" in svg and "<img" not in svg
    data = client.get(f"/api/documents/{ids[0]}").json()
    assert "<script" in data["document"]["text"] or "<script" in str(data["records"])  # JSON keeps the text as is
    assert client.get(f"/api/documents/{ids[0]}").headers["content-type"] == "application/json"


def test_token_guards_every_request(demo_db: Path) -> None:
    client = TestClient(create_app(demo_db, token=TOKEN))
    for path in ("/documents", "/api/documents", "/openapi.json", "/static/workbench.js", "/graph.svg", "/nowhere"):
        r = client.get(path)
        assert r.status_code == 401, path
    assert client.get("/api/documents").json()["error"]["status"] == 401
    assert client.get("/api/documents", headers={"Authorization": "Bearer wrong-token-123"}).status_code == 401
    assert client.get("/api/documents", params={"token": "wrong"}).status_code == 401
    ok = client.get("/api/documents", headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200 and ok.json()["documents"]
    # ?token= once: a cookie is set (HttpOnly, SameSite=Strict) and the token leaves the URL
    r = client.get("/documents", params={"token": TOKEN, "q": "war"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/documents?q=war"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert client.get("/documents").status_code == 200  # the cookie now carries it
    assert client.post("/api/records/x", json={"rejected": True}).status_code == 403  # still read-only


def test_exposure_needs_a_token() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1") and is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4") and not is_loopback("example.org")
    check_exposure("127.0.0.1", None)
    check_exposure("0.0.0.0", TOKEN)
    with pytest.raises(UsageError, match="--token"):
        check_exposure("0.0.0.0", None)
    with pytest.raises(UsageError, match="too short"):
        check_exposure("0.0.0.0", "abc")


def test_serve_command_refuses_to_expose_without_token(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COUNTERCLAIM_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--db", str(demo_db), "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "counterclaim: error:" in result.output and "--token" in result.output
    missing = CliRunner().invoke(cli, ["serve", "--db", str(demo_db.parent / "absent.db")])
    assert missing.exit_code == 3 and "no ledger" in missing.output
