"""Smaller holes of issue 16, each through the CLI (or the API) as a careless user or a hostile input would hit it."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from counterclaim.cli import cli
from counterclaim.ingest.readers import read_bytes
from counterclaim.records import Allegation, Document, Figure, SourceRef
from counterclaim.store import Ledger

TEXT = "The ministry said that the shelling of the town of Tartar killed three civilians on Monday."
ESC = "\x1b[2J\x1b]0;pwned\x07\x1b[31m"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"uncaught {type(result.exception).__name__}: {result.exception}")
    return result.exit_code, result.output


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "l.db"
    with Ledger(path) as ledger:
        doc = Document.from_text(TEXT, title=f"Statement {ESC}on Tartar", publisher=f"MFA{ESC}")
        ledger.add_document(doc, SourceRef(f"/in/{ESC}statement.txt"))
        alleg = Allegation(doc=doc.id, start=0, end=len(TEXT), sentence=TEXT, claimant="Azerbaijan",
                           accused=["Armenia"], act="attack_on_civilians")
        fig = Figure(doc=doc.id, start=TEXT.index("three"), end=TEXT.index("three") + 5, value=3, category="killed",
                     sentence=TEXT)
        ledger.replace_records(doc.id, "test-1", [alleg, fig])
    return path


def test_nul_in_a_search_query_is_no_server_error(db: Path) -> None:
    from counterclaim.web.app import create_app

    client = TestClient(create_app(db), raise_server_exceptions=False)
    for q in ("a\x00b", "\x00", "shelling\x00"):
        r = client.get("/api/documents", params={"q": q})
        assert r.status_code == 200, (q, r.text)
    assert len(client.get("/api/documents", params={"q": "shelling\x00"}).json()["documents"]) == 1
    code, out = run("search", "shel\x00ling", "--db", str(db))
    assert code == 0, out


def test_terminal_escapes_are_never_printed_raw(db: Path, tmp_path: Path) -> None:
    with Ledger(db, readonly=True) as ledger:
        doc_id = ledger.documents()[0]["id"]
    for args in (("docs",), ("show", doc_id), ("problems",), ("figures",), ("allegations",)):
        code, out = run(*args, "--db", str(db))
        assert code == 0, out
        assert "\x1b" not in out and "\x07" not in out, (args, out)
    code, out = run("show", doc_id, "--db", str(db))
    assert "\\x1b[31m" in out  # shown escaped, not hidden
    bad = tmp_path / f"in{ESC}"
    bad.mkdir()
    (bad / f"empty{ESC}.txt").write_text("", "utf-8")
    code, out = run("ingest", str(bad), "--db", str(db))
    assert "\x1b" not in out and "\\x1b" in out, out


def test_html_nested_deeper_than_the_parser_keeps(tmp_path: Path) -> None:
    body = "<p>" + TEXT + " The ministry called for an independent international investigation.</p>"
    for depth in (300, 1500, 20000):
        html = ("<html><head><title>Deep</title><script>var tracking = 1;</script></head><body><nav>MENU</nav>"
                + "<div>" * depth + body * 3 + "</div>" * depth + "</body></html>")
        docs = list(read_bytes(html.encode(), "deep.html"))
        assert len(docs) == 1 and hasattr(docs[0], "text"), (depth, docs)
        text = docs[0].text  # type: ignore[union-attr]
        assert text.count("shelling of the town") == 3, depth
        assert "MENU" not in text and "tracking" not in text


def test_feed_with_an_inline_doctype_is_a_feed() -> None:
    feed = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY publisher "MFA">]>
<rss version="2.0"><channel><title>MFA news</title>
<item><title>Statement one</title><link>https://example.org/1</link><description>The ministry said that the shelling
of the town killed three civilians on Monday.</description></item>
<item><title>Statement two</title><link>https://example.org/2</link><description>The ministry denied the
accusations of torture of prisoners and called them fabricated.</description></item></channel></rss>"""
    docs = list(read_bytes(feed, "news.xml"))
    assert [getattr(d, "title", None) for d in docs] == ["Statement one", "Statement two"]
    assert all("<" not in d.text and "ENTITY" not in d.text for d in docs)  # type: ignore[union-attr]


def test_db_that_is_not_a_ledger_is_one_line(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("my notes\n", "utf-8")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE contacts(name TEXT)")
    for path in (text, other):
        for args in (("docs",), ("allegations",), ("evidence", "list"), ("summary",), ("ingest", str(text))):
            code, out = run(*args, "--db", str(path))
            assert code == 3 and out.startswith("counterclaim: error:") and out.count("\n") == 1, (args, out)
    with sqlite3.connect(other) as conn:  # never migrated into
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["contacts"]


def test_ingest_of_nothing_creates_no_ledger(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    for verb in ("ingest", "analyze"):
        code, out = run(verb, str(tmp_path / "nosuchdir"), "--db", str(db))
        assert code == 2 and "no such file or directory" in out, out
        assert not db.exists() and not os.path.exists(str(db) + "-wal")


@pytest.mark.parametrize("args, words", [
    (("docs", "--since", "yesterday"), "is not a date"),
    (("docs", "--since", "2024-13-45"), "is not a date"),
    (("docs", "--until", "2024-02-30"), "is not a date"),
    (("allegations", "--act", "shellling"), "unknown act"),
    (("figures", "--category", "dead"), "killed"),
    (("allegations", "--claimant", "Azerbajan"), "did you mean 'Azerbaijan'"),
    (("allegations", "--accused", "Armenai"), "did you mean 'Armenia'"),
    (("actors", "--actor", "Nobody At All"), "counterclaim actors"),
])
def test_filters_refuse_what_can_match_nothing(db: Path, args: tuple[str, ...], words: str) -> None:
    code, out = run(*args, "--db", str(db))
    assert code == 2 and words in out, out


def test_valid_filters_still_work(db: Path) -> None:
    code, out = run("allegations", "--accused", "Armenia", "--act", "attack_on_civilians", "--db", str(db))
    assert code == 0 and "Azerbaijan" in out
    code, out = run("docs", "--since", "2020", "--until", "2030-12-31", "--db", str(db))
    assert code == 0
    code, out = run("figures", "--category", "killed", "--db", str(db))
    assert code == 0 and "killed" in out
