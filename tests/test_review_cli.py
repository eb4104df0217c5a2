"""``counterclaim review`` end to end through the installed command, on the demo corpus."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds"


def cc(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("counterclaim", path=str(Path(sys.executable).parent)) or "counterclaim"
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=600,
                          env={"PATH": str(Path(sys.executable).parent), "HOME": str(Path.home()),
                               "PYTHONPATH": str(ROOT / "src"), "COUNTERCLAIM_ANALYST": "Tester"})


def ok(*args: str) -> str:
    out = cc(*args)
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("review") / "demo.db"
    ok("analyze", str(SEEDS), "--db", str(path), "--json")
    return path


def _allegations(db: Path, *extra: str) -> list[dict[str, object]]:
    return json.loads(ok("allegations", "--db", str(db), "--json", "--limit", "1000", *extra))  # type: ignore[no-any-return]


def test_review_round_trip_survives_a_version_bump(db: Path, tmp_path: Path) -> None:
    d = str(db)
    queue = json.loads(ok("review", "list", "--db", d, "--type", "allegation", "--json"))
    assert queue and all(r["status"] == "machine" for r in queue)
    first, second, third = queue[0]["id"], queue[1]["id"], queue[2]["id"]
    ok("review", "confirm", first, "--db", d, "--by", "Ana")
    corrected = json.loads(ok("review", "correct", second, "--set", "accused=Russian Federation", "--set",
                              "act=torture", "--reason", "the text names Russia", "--db", d, "--by", "Ben", "--json"))
    assert corrected["accused"] == ["Russia"] and corrected["status"] == "corrected"
    ok("review", "reject", third, "--reason", "not an accusation", "--db", d)
    doc = queue[0]["doc"]
    shown = json.loads(ok("show", str(doc), "--db", d, "--json", "--no-text"))
    sentence_start = next(r["start"] for r in shown["records"] if r["type"] == "allegation")
    added = json.loads(ok("review", "add", str(doc), "--type", "allegation", "--start", str(sentence_start),
                          "--end", str(sentence_start + 20), "--set", "claimant=Azerbaijan", "--set", "accused=Armenia",
                          "--set", "act=landmines", "--db", d, "--json"))
    assert added["status"] == "added" and added["reviewed_by"] == "Tester"

    def check() -> None:
        view = {r["id"]: r for r in _allegations(db)}
        assert view[first]["status"] == "confirmed" and view[first]["reviewed_by"] == "Ana"
        assert third not in view
        assert view[added["id"]]["act"] == "landmines"
        reviewed = [r for r in view.values() if r["status"] == "corrected"]
        assert len(reviewed) == 1 and reviewed[0]["accused"] == ["Russia"] and reviewed[0]["act"] == "torture"
        assert any(r["id"] == third for r in _allegations(db, "--raw"))
        by_accused = _allegations(db, "--accused", "Russia", "--act", "torture")
        assert [r["status"] for r in by_accused] == ["corrected"]

    check()
    # an upgrade: every document's extraction is stale, analyze re-extracts it and the decisions re-attach
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE extractions SET version = '0.0.0+old'")
    summary = json.loads(ok("analyze", "--db", d, "--json"))
    assert summary["extracted_documents"] == 5 and summary["review"]["newly_orphaned"] == 0
    check()
    ok("analyze", "--reextract", "--db", d, "--json")
    check()

    log = json.loads(ok("review", "log", "--db", d, "--json"))
    assert [e["action"] for e in log] == ["confirm", "correct", "reject", "add"]
    assert log[1]["before"]["act"] != "torture" and log[1]["after"] == {"status": "corrected", "accused": ["Russia"],
                                                                           "act": "torture"}
    text = ok("review", "log", "--db", d)
    assert "the text names Russia" in text and "Ben" in text

    # exports: every format carries status and reviewer; rejected only with --include-rejected
    objects = [json.loads(x) for x in ok("export", "--db", d).splitlines()]
    records = {o["id"]: o for o in objects if o["type"] == "allegation"}
    assert third not in records and records[first]["status"] == "confirmed"
    kept = [json.loads(x) for x in ok("export", "--db", d, "--include-rejected", "--type", "allegation").splitlines()]
    assert next(o for o in kept if o["id"] == third)["reason"] == "not an accusation"
    for fmt in ("csv", "parquet"):
        ok("export", "--db", d, "--format", fmt, "--out", str(tmp_path / fmt))
        assert (tmp_path / fmt / f"review_decision.{fmt}").exists()
    assert "status" in (tmp_path / "csv" / "allegation.csv").read_text().splitlines()[0].split(",")


def test_bad_input_gets_one_clear_line(db: Path) -> None:
    d = str(db)
    rid = json.loads(ok("review", "list", "--db", d, "--type", "allegation", "--json", "--status", "all"))[0]["id"]
    for args, message in (
        (("correct", rid, "--set", "act=not_an_act"), "unknown act 'not_an_act'"),
        (("correct", rid, "--set", "accused=Narnia"), "unknown actor 'Narnia'"),
        (("correct", rid, "--set", "accused"), "--set takes FIELD=VALUE"),
        (("confirm", "ffffffffffff"), "no record with id ffffffffffff"),
        (("reject", rid), "Missing option '--reason'"),
    ):
        out = cc("review", *args, "--db", d)
        assert out.returncode != 0
        assert message in out.stderr and "Traceback" not in out.stderr


def test_orphans_are_announced(tmp_path: Path, db: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    rid = json.loads(ok("review", "list", "--db", str(copy), "--type", "date", "--json"))[0]["id"]
    ok("review", "confirm", rid, "--db", str(copy))
    from counterclaim.records import text_hash
    from counterclaim.store import Ledger

    with Ledger(copy) as ledger:  # as if the date had been found at the very end of the text by an older extractor
        text = ledger.get_document(ledger.get_record(rid).doc).text
        n = len(text)
        ledger.conn.execute("UPDATE review_subjects SET start = ?, end = ?, span_sha256 = ? WHERE id = ?",
                            (n - 2, n, text_hash(text[n - 2:]), rid))
        ledger.conn.commit()
    summary = json.loads(ok("analyze", "--reextract", "--db", str(copy), "--json"))
    assert summary["review"] == {"orphaned": 1, "newly_orphaned": 1}
    again = cc("analyze", "--reextract", "--db", str(copy))
    assert again.returncode == 0 and "lost their record" not in again.stderr  # announced once, when it happens
    out = cc("review", "list", "--db", str(copy))
    assert "lost their record in a re-extraction" in out.stderr
    orphans = json.loads(ok("review", "list", "--status", "orphaned", "--db", str(copy), "--json"))
    assert [o["id"] for o in orphans] == [rid] and orphans[0]["orphaned"] is True


def test_export_gold_is_scored_by_eval(db: Path, tmp_path: Path) -> None:
    d = str(tmp_path / "g.db")
    shutil.copy(db, d)
    progress = json.loads(ok("review", "progress", "--db", d, "--json"))
    doc = next(p["doc"] for p in progress if p["reviewed"] == p["added"] == 0)  # one nobody has reviewed yet
    refused = cc("review", "export-gold", doc, "--out", str(tmp_path / "gold"), "--db", d)
    assert refused.returncode != 0 and "unreviewed record" in refused.stderr
    queue = json.loads(ok("review", "list", "--db", d, "--doc", doc, "--json", "--limit", "1000"))
    scored = [r for r in queue if r["type"] in ("allegation", "figure", "quote", "date")]
    reject = next(r for r in scored if r["type"] == "figure")
    ok("review", "reject", reject["id"], "--reason", "not a count", "--db", d)
    ok("review", "confirm", *[r["id"] for r in scored if r["id"] != reject["id"]], "--db", d)
    ok("review", "export-gold", doc, "--out", str(tmp_path / "gold"), "--db", d)
    gold = json.loads((tmp_path / "gold" / f"{doc}.gold.json").read_text())
    assert gold["doc"] == f"{doc}.txt" and {"quotes", "figures", "allegations", "dates"} <= gold.keys()
    assert len(gold["figures"]) == sum(1 for r in scored if r["type"] == "figure") - 1
    scores = json.loads(ok("eval", str(tmp_path / "gold"), "--db", str(tmp_path / "scratch.db"), "--json"))
    # the extractor against its own reviewed output: everything found, the one rejected figure an extra
    assert scores["allegations"]["recall"] == 1.0 and scores["dates"]["f1"] == 1.0
    assert scores["figures"]["recall"] == 1.0 and scores["figures"]["predicted"] == scores["figures"]["gold"] + 1


def test_compare_and_show_give_the_reviewed_view(db: Path, tmp_path: Path) -> None:
    d = str(tmp_path / "c.db")
    shutil.copy(db, d)
    incidents = json.loads(ok("incidents", "--db", d, "--no-embed", "--json"))
    incident = next(i for i in incidents if i["records"])
    raw = json.loads(ok("compare", incident["id"], "--db", d, "--no-embed", "--json", "--raw"))
    figures = [r for r in raw["records"] if r["type"] == "figure" and not r.get("parent") and r["category"] != "other"]
    if len(figures) < 2:
        pytest.skip("the demo incident has fewer than two figures to compare")
    fixed = figures[0]
    dropped = next((f for f in figures[1:] if f["doc"] == fixed["doc"]), figures[1])
    ok("review", "correct", fixed["id"], "--set", f"value={int(fixed['value']) + 1}", "--reason", "annex", "--db", d)
    ok("review", "reject", dropped["id"], "--reason", "not about this incident", "--db", d)
    reviewed = json.loads(ok("compare", incident["id"], "--db", d, "--no-embed", "--json"))
    values = {v["figure"]: v["value"] for c in reviewed["comparisons"] for v in c["values"]}
    assert values[fixed["id"]] == fixed["value"] + 1 and dropped["id"] not in values
    assert {r["id"]: r["status"] for r in reviewed["records"]}[fixed["id"]] == "corrected"
    machine = {v["figure"]: v["value"] for c in raw["comparisons"] for v in c["values"]}
    assert machine[fixed["id"]] == fixed["value"] and dropped["id"] in machine
    shown = json.loads(ok("show", fixed["doc"], "--db", d, "--json", "--no-text"))
    statuses = {r["id"]: r["status"] for r in shown["records"]}
    assert statuses[fixed["id"]] == "corrected" and dropped["id"] not in statuses
    assert "reviewed:" in ok("show", fixed["doc"], "--db", d, "--no-text")
    raw_show = json.loads(ok("show", dropped["doc"], "--db", d, "--json", "--no-text", "--raw"))
    assert dropped["id"] in {r["id"] for r in raw_show["records"]}
