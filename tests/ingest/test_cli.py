"""The ingest, docs, show, problems commands through click's CliRunner: JSON outputs and exit codes."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from counterclaim.cli import cli

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"


def run(*args: str, stdin: bytes | None = None) -> Any:
    return CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)


def test_ingest_json_then_again(tmp_path: Path) -> None:
    db = str(tmp_path / "l.db")
    first = run("ingest", str(SEEDS), "--db", db, "--json")
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert (summary["inputs"], summary["new"], summary["problems"]) == (5, 5, [])
    second = run("ingest", str(SEEDS), "--db", db)
    assert second.exit_code == 0 and "nothing changed" in second.stderr
    forced = json.loads(run("ingest", str(SEEDS), "--db", db, "--json", "--force").stdout)
    assert (forced["new"], forced["known"], forced["changed_nothing"]) == (0, 5, True)


def test_strict_and_exit_codes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("The commission documented attacks on schools in the north.")
    (folder / "bad.txt").write_bytes(b"\x00\xff" * 50)
    db = str(tmp_path / "l.db")
    ok = run("ingest", str(folder), "--db", db)
    assert ok.exit_code == 0
    assert f"{folder / 'bad.txt'}" in ok.stderr and "binary" in ok.stderr
    strict = run("ingest", str(folder), "--db", db, "--strict", "--force", "--json")
    assert strict.exit_code == 1
    assert json.loads(strict.stdout)["problems"][0]["source"].endswith("bad.txt")
    nothing = run("ingest", str(folder / "bad.txt"), "--db", str(tmp_path / "n.db"))
    assert nothing.exit_code == 1 and "nothing could be ingested" in nothing.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    none = run("ingest", str(empty), "--db", str(tmp_path / "n.db"))
    assert none.exit_code == 1 and "no input files" in none.stderr


def test_max_size_option(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_text("word " * 400)
    res = run("ingest", str(path), "--db", str(tmp_path / "l.db"), "--max-size", "1k", "--json")
    assert res.exit_code == 1
    assert "--max-size" in res.stderr
    assert run("ingest", str(path), "--db", str(tmp_path / "l.db"), "--max-size", "2k").exit_code == 0
    bad = CliRunner().invoke(cli, ["ingest", str(path), "--db", str(tmp_path / "l.db"), "--max-size", "lots"])
    assert bad.exit_code == 2 and "not a size" in bad.output


def test_stdin(tmp_path: Path, build: Any) -> None:
    db = str(tmp_path / "l.db")
    res = run("ingest", "-", "--db", db, "--json", stdin=build.article_html().encode())
    assert res.exit_code == 0 and json.loads(res.stdout)["new"] == 1
    docs = json.loads(run("docs", "--db", db, "--json").stdout)
    assert docs[0]["source"] == "<stdin>" and docs[0]["title"] == "Shelling of Kharkiv"


def test_docs_json_and_show(tmp_path: Path) -> None:
    db = str(tmp_path / "l.db")
    run("ingest", str(SEEDS), "--db", db)
    docs = json.loads(run("docs", "--db", db, "--json").stdout)
    assert len(docs) == 5
    for row in docs:
        assert {"id", "published", "publisher", "title", "language", "chars"} <= set(row)
        assert row["language"] == "en" and row["chars"] > 0
    dated = [d for d in docs if d["published"]]
    assert dated and all(len(d["published"]) == 10 for d in dated)
    table = run("docs", "--db", db)
    assert table.exit_code == 0 and table.stdout.splitlines()[0].split("\t") == [
        "id", "date", "publisher", "title", "lang", "chars", "note"]
    doc = dated[0]
    shown = run("show", doc["id"][:8], "--db", db)
    assert shown.exit_code == 0 and f"id:        {doc['id']}" in shown.stdout and "source:" in shown.stdout
    as_json = json.loads(run("show", doc["id"], "--db", db, "--json").stdout)
    assert as_json["id"] == doc["id"] and as_json["sources"] and as_json["text"]
    missing = CliRunner().invoke(cli, ["show", "zzzz", "--db", db])
    assert missing.exit_code == 4 and "no document" in missing.output


def test_problems_command(tmp_path: Path) -> None:
    db = str(tmp_path / "l.db")
    (tmp_path / "a.jsonl").write_text('{"text": "One document about the strike on the bridge."}\nnot json\n')
    assert run("ingest", str(tmp_path / "a.jsonl"), "--db", db).exit_code == 0
    rows = json.loads(run("problems", "--db", db, "--json").stdout)
    assert rows[0]["source"].endswith("a.jsonl:2") and "not valid JSON" in rows[0]["reason"]


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(5):
        (folder / f"d{i}.txt").write_text(f"Statement {i} on the attack on the aid convoy near the crossing.")
    (folder / "bad.txt").write_bytes(b"")
    return folder


def test_progress_bar_on_a_terminal(tmp_path: Path, monkeypatch: Any) -> None:
    from counterclaim.cli.ingest_cmds import run_ingest
    from counterclaim.store import Ledger

    tty = _Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    with Ledger(tmp_path / "l.db") as ledger:
        report = run_ingest(ledger, (str(_corpus(tmp_path)),), "10MB", False, False)
    assert report.new == 5 and len(report.problems) == 1
    out = tty.getvalue()
    assert "bad.txt" in out and "empty file" in out  # the problem is printed above the bar


def test_no_progress_when_not_a_terminal(tmp_path: Path, monkeypatch: Any) -> None:
    from counterclaim.cli.ingest_cmds import run_ingest
    from counterclaim.store import Ledger

    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    with Ledger(tmp_path / "l.db") as ledger:
        run_ingest(ledger, (str(_corpus(tmp_path)),), "10MB", False, False)
    lines = pipe.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("counterclaim: skipped:")  # only the problem line, no bar
