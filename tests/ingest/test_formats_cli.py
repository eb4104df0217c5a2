"""Through the CLI: a French statement is marked 'not analysed: language fr' (analyze, docs, show, export); a PDF's
records say their page; fix-meta corrections win, survive re-ingest and re-analysis, and show as corrections."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from counterclaim.cli import cli

from .test_formats import make_pdf

FRENCH = """Communiqué du ministère de l'Europe et des Affaires étrangères

Paris, le 12 mars 2022

La France condamne avec la plus grande fermeté le bombardement de la maternité de Marioupol par les forces russes,
qui a fait au moins trois morts, dont un enfant. Ces attaques contre des civils constituent des crimes de guerre.
Les responsables devront rendre des comptes devant la justice internationale.
"""

ENGLISH = """Statement on the shelling of Kharkiv

Kyiv, 2 March 2022

The Ministry of Foreign Affairs of Ukraine strongly condemns the shelling of residential areas of Kharkiv by the
Russian armed forces, which killed at least 12 civilians on 1 March 2022. These attacks are war crimes.
"""

PAGES = [
    "Press release 15 March 2023\n\nThe Commission said on 3 March 2022 that Russian forces shelled residential "
    "areas of Kherson, killing at least 12 civilians and destroying the central market.",
    "The Commission also said that Russian soldiers detained 40 men in a school basement in Yahidne, where "
    "at least 10 people died. The Ministry of Defence of the Russian Federation denied the accusations.",
]


def run(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("in")
    (folder / "fr.txt").write_text(FRENCH, encoding="utf-8")
    (folder / "en.txt").write_text(ENGLISH, encoding="utf-8")
    make_pdf(folder / "report.pdf", PAGES, title=None)
    db = folder.parent / "l.db"
    out = run("analyze", str(folder), "--db", str(db), "--json")
    assert out.exit_code == 0, out.output
    return db, folder


def docs(db: Path) -> dict[str, dict[str, Any]]:
    rows = json.loads(run("docs", "--db", str(db), "--json").stdout)
    return {r["source"].rsplit("/", 1)[-1]: r for r in rows}


def test_french_statement_is_marked_not_analysed(ledger: tuple[Path, Path]) -> None:
    db, folder = ledger
    rows = docs(db)
    assert rows["fr.txt"]["language"] == "fr" and rows["fr.txt"]["analysis"] == "not analysed: language fr"
    assert rows["en.txt"]["analysis"] is None
    table = run("docs", "--db", str(db)).stdout
    assert "not analysed: language fr" in table
    shown = json.loads(run("show", rows["fr.txt"]["id"], "--db", str(db), "--json").stdout)
    assert shown["analysis"] == "not analysed: language fr" and shown["records"] == []
    export = [json.loads(line) for line in run("export", "--db", str(db), "--format", "jsonl").stdout.splitlines()]
    fr = next(o for o in export if o["type"] == "document" and o["id"] == rows["fr.txt"]["id"])
    assert fr["analysis"] == "not analysed: language fr"
    # analyze says so in its summary, and does not try again on the next run
    again = run("analyze", "--db", str(db), "--json", "--reextract")
    summary = json.loads(again.stdout)
    assert {"doc": rows["fr.txt"]["id"], "reason": "not analysed: language fr"} in summary["not_analysed"]
    text = run("analyze", "--db", str(db), "--reextract")
    assert "not analysed: language fr: 1 document(s)" in text.stderr


def test_pdf_records_say_their_page(ledger: tuple[Path, Path]) -> None:
    db, _ = ledger
    pdf = docs(db)["report.pdf"]
    assert pdf["published"] == "2023-03-15"
    export = [json.loads(line) for line in run("export", "--db", str(db), "--format", "jsonl").stdout.splitlines()]
    doc = next(o for o in export if o["type"] == "document" and o["id"] == pdf["id"])
    assert doc["pages"] == 2
    records = [o for o in export if o.get("doc") == pdf["id"]]
    assert records and all(o["page"] in (1, 2) for o in records)
    shown = json.loads(run("show", pdf["id"], "--db", str(db), "--json").stdout)
    second = shown["text"].index("The Commission also said")
    assert {r["page"] for r in shown["records"]} == {1, 2}
    assert all(r["page"] == (1 if r["start"] < second else 2) for r in shown["records"])


def test_fix_meta_wins_survives_and_shows(ledger: tuple[Path, Path]) -> None:
    db, folder = ledger
    en = docs(db)["en.txt"]
    assert en["published"] == "2022-03-02"
    out = run("fix-meta", en["id"][:8], "--db", str(db), "--title", "MFA of Ukraine on Kharkiv",
              "--published", "3 March 2022", "--publisher", "Ministry of Foreign Affairs of Ukraine", "--note", "site")
    assert out.exit_code == 0, out.output
    assert "published: 2022-03-03 (extracted: 2022-03-02)" in out.stdout
    for args in (("ingest", str(folder), "--force"), ("analyze", str(folder), "--force", "--reextract")):
        assert run(*args, "--db", str(db), "--json").exit_code == 0
    row = docs(db)["en.txt"]
    assert (row["title"], row["published"], row["publisher"]) == (
        "MFA of Ukraine on Kharkiv", "2022-03-03", "Ministry of Foreign Affairs of Ukraine")
    shown = run("show", en["id"], "--db", str(db), "--no-text").stdout
    assert "extracted: 2022-03-02" in shown and "extracted: Statement on the shelling of Kharkiv" in shown
    export = [json.loads(line) for line in run("export", "--db", str(db), "--format", "jsonl").stdout.splitlines()]
    doc = next(o for o in export if o["type"] == "document" and o["id"] == en["id"])
    assert doc["published"] == "2022-03-03"
    assert doc["corrections"]["published"]["extracted"] == "2022-03-02"
    assert doc["corrections"]["publisher"]["extracted"] is None
    # a second correction keeps the first extracted value; --undo puts it back
    run("fix-meta", en["id"], "--db", str(db), "--published", "2022-03-04")
    undo = run("fix-meta", en["id"], "--db", str(db), "--undo", "published", "--json")
    assert json.loads(undo.stdout)["undone"] == ["published"]
    assert docs(db)["en.txt"]["published"] == "2022-03-02"


def test_fix_meta_survives_the_document_being_stored_again(tmp_path: Path) -> None:
    from counterclaim.store import Ledger

    (tmp_path / "en.txt").write_text(ENGLISH, encoding="utf-8")
    db = tmp_path / "l.db"
    assert run("ingest", str(tmp_path / "en.txt"), "--db", str(db)).exit_code == 0
    doc_id = docs(db)["en.txt"]["id"]
    assert run("fix-meta", doc_id, "--db", str(db), "--title", "Corrected").exit_code == 0
    with Ledger(db) as ledger, ledger.transaction() as conn:
        conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
    assert run("ingest", str(tmp_path / "en.txt"), "--db", str(db), "--force").exit_code == 0
    assert docs(db)["en.txt"]["title"] == "Corrected"


@pytest.mark.parametrize(("args", "message"), [
    ((), "nothing to correct"),
    (("--published", "sometime"), "cannot read the date"),
    (("--title", "  "), "cannot be empty"),
])
def test_fix_meta_refuses_bad_input(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    (tmp_path / "en.txt").write_text(ENGLISH, encoding="utf-8")
    db = tmp_path / "l.db"
    run("ingest", str(tmp_path / "en.txt"), "--db", str(db))
    out = run("fix-meta", docs(db)["en.txt"]["id"], "--db", str(db), *args)
    assert out.exit_code != 0 and message in out.stderr
