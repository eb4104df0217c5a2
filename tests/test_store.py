from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from counterclaim.errors import LedgerError, NotFound
from counterclaim.records import Allegation, Document, Figure, SourceRef
from counterclaim.store import Ledger
from counterclaim.store.db import connect


def test_wal_and_schema_versions(tmp_path: Path) -> None:
    conn = connect(tmp_path / "a.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    versions = dict(conn.execute("SELECT component, version FROM schema_versions").fetchall())
    assert versions["core"] >= 2
    conn.close()
    # opening again applies nothing new and keeps the data
    conn = connect(tmp_path / "a.db")
    assert dict(conn.execute("SELECT component, version FROM schema_versions").fetchall()) == versions


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    conn = connect(tmp_path / "a.db")
    conn.execute("UPDATE schema_versions SET version = 999 WHERE component = 'core'")
    conn.commit()
    conn.close()
    with pytest.raises(LedgerError, match="newer"):
        connect(tmp_path / "a.db")


def test_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "junk.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LedgerError, match="cannot open ledger"):
        Ledger(bad)


def test_add_document_is_idempotent_and_records_sources(ledger: Ledger) -> None:
    doc = Document.from_text("Some statement text.", title="T")
    assert ledger.add_document(doc, SourceRef("a.txt")).status == "new"
    assert ledger.add_document(doc, SourceRef("a.txt")).status == "known"
    assert ledger.add_document(doc, SourceRef("b.html", kind="html")).status == "new_source"
    assert [s["source"] for s in ledger.sources(doc.id)] == ["a.txt", "b.html"]
    assert ledger.counts()["documents"] == 1
    assert ledger.get_document(doc.id[:6]).text == "Some statement text."
    with pytest.raises(NotFound):
        ledger.get_document("zzzz")


def test_full_text_search(ledger: Ledger) -> None:
    ledger.add_document(Document.from_text("Shelling of the market in the town."), SourceRef("a"))
    ledger.add_document(Document.from_text("A statement on prisoners of war."), SourceRef("b"))
    hits = ledger.documents(query="prisoners")
    assert len(hits) == 1 and hits[0]["source"] == "b"
    assert ledger.documents(query='"of the market"')[0]["source"] == "a"
    assert ledger.documents(query="AND OR NOT (") == []  # operators are neutralised, not a syntax error


def test_records_roundtrip_and_json_filters(ledger: Ledger) -> None:
    doc = Document.from_text("X accused Y of war crimes; 12 people were killed.")
    ledger.add_document(doc, SourceRef("a"))
    fig = Figure(doc=doc.id, start=27, end=29, value=12, category="killed", subject="people")
    alleg = Allegation(doc=doc.id, start=0, end=25, claimant="X", accused=["Y", "Z"], act="war_crime")
    ledger.replace_records(doc.id, "v1", [fig, alleg])
    assert ledger.stale_documents("v1") == []
    assert ledger.stale_documents("v2") == [doc.id]
    got = ledger.records("allegation", where={"accused": "z"})
    assert got == [alleg] or got[0].accused == ["Y", "Z"]
    assert ledger.records("figure", where={"category": "killed"})[0].value == 12
    assert ledger.records("allegation", where={"accused": "Q"}) == []
    # replacing is atomic and complete
    ledger.replace_records(doc.id, "v2", [fig])
    assert ledger.counts().get("allegation", 0) == 0


def test_transaction_rolls_back(ledger: Ledger) -> None:
    with pytest.raises(sqlite3.IntegrityError), ledger.transaction() as conn:
        conn.execute("INSERT INTO problems(source, reason) VALUES ('a', 'b')")
        conn.execute("INSERT INTO problems(id, source, reason) VALUES (1, 'a', 'b')")
    assert ledger.problems() == []
