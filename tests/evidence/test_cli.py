from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from counterclaim.cli import cli
from counterclaim.records import Allegation, Document, SourceRef
from counterclaim.store import Ledger
from counterclaim.store import evidence as db

pytestmark = pytest.mark.media


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def _allegation(path: Path) -> str:
    with Ledger(path) as ledger:
        doc = Document.from_text("Azerbaijan accused Armenia of shelling civilians in a video posted online.")
        ledger.add_document(doc, SourceRef("statement.txt"))
        rec = Allegation(doc=doc.id, start=0, end=len(doc.text), sentence=doc.text, claimant="Azerbaijan",
                         accused=["Armenia"], act="shelling_civilians")
        ledger.replace_records(doc.id, "test-1", [rec])
        return rec.id


def test_workflow_add_link_verify_show_check(tmp_path: Path, media: dict[str, Path]) -> None:
    dbp = str(tmp_path / "k.db")
    allegation = _allegation(tmp_path / "k.db")
    out = run("evidence", "add", str(media["clip.mp4"]), str(media["photo.jpg"]), "--source-url",
              "https://example.org/p/1", "--collected-by", "A. Analyst", "--note", "posted 2022-09-30", "--db", dbp)
    assert out.count("registered") == 2
    listing = json.loads(run("evidence", "list", "--json", "--db", dbp))
    clip = next(r for r in listing if r["filename"] == "clip.mp4")
    assert clip["status"] == "unverified" and clip["media_type"] == "video"
    assert "linked" in run("evidence", "link", clip["id"], "--allegation", allegation, "--by", "B", "--db", dbp)
    run("evidence", "link", clip["id"], "--incident", "inc-42", "--db", dbp)
    run("evidence", "link", clip["id"], "--allegation", "0000000000000000", "--db", dbp, code=4)
    out = run("evidence", "verify-step", clip["id"][:8], "--step", "geolocation", "--result", "confirmed", "--by",
              "B. Analyst", "--note", "matched to imagery", "--db", dbp)
    assert "partially verified" in out
    run("evidence", "verify-step", clip["id"], "--step", "nonsense", "--result", "confirmed", "--by", "B", "--db",
        dbp, code=2)
    shown = run("evidence", "show", clip["id"], "--db", dbp)
    assert "partially verified" in shown and allegation in shown and "shelling civilians" in shown
    assert "48.464700, 35.046200" in shown and "h264" in shown
    info = json.loads(run("evidence", "show", clip["id"], "--json", "--db", dbp))
    assert [e["action"] for e in info["custody"]] == ["registered", "linked", "linked", "verification"]
    assert info["metadata_raw"]["format"]["format_name"].startswith("mov")
    with Ledger(dbp) as ledger:
        linked = db.evidence_for_allegation(ledger.conn, allegation)
    assert [(e["id"], e["status"]) for e in linked] == [(clip["id"], "partially verified")]
    via_cli = json.loads(run("evidence", "linked", "--allegation", allegation, "--json", "--db", dbp))
    assert [r["id"] for r in via_cli] == [clip["id"]]
    assert [r["id"] for r in json.loads(run("evidence", "linked", "--incident", "inc-42", "--json", "--db", dbp))] \
        == [clip["id"]]
    assert json.loads(run("evidence", "linked", "--incident", "inc-43", "--json", "--db", dbp)) == []
    assert "all intact" in run("evidence", "check", "--db", dbp)
    log = json.loads(run("evidence", "export-log", clip["id"], "--db", dbp))
    assert log[0]["chain_ok"] and len(log[0]["entries"]) == 4
    # the exported log can be re-checked by hand from its documented hash format
    for prev, entry in zip([None, *log[0]["entries"]], log[0]["entries"], strict=False):
        body = {k: v for k, v in entry.items() if k != "entry_hash"}
        canon = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        assert hashlib.sha256(canon).hexdigest() == entry["entry_hash"]
        assert entry["prev_hash"] == (prev["entry_hash"] if prev else "0" * 64)
    html_path = tmp_path / "r.html"
    run("evidence", "report", clip["id"], "--out", str(html_path), "--db", dbp)
    html = html_path.read_text("utf-8")
    assert clip["id"] in html and info["sha256"] in html and "chain is intact" in html and "Geolocation" in html


def test_check_exit_code_and_lines_on_tampering(tmp_path: Path, media: dict[str, Path]) -> None:
    dbp = str(tmp_path / "k.db")
    run("evidence", "add", str(media["photo.jpg"]), "--db", dbp)
    item = json.loads(run("evidence", "list", "--json", "--db", dbp))[0]
    stored = tmp_path / "k.evidence" / "sha256" / item["sha256"][:2] / item["sha256"][2:]
    os.chmod(stored, 0o644)
    stored.write_bytes(stored.read_bytes()[:-1] + b"\x00")
    result = CliRunner().invoke(cli, ["evidence", "check", "--db", dbp])
    assert result.exit_code == 6
    assert f"{item['id']}\tchanged" in result.output and "expected sha256" in result.output
    assert "writable" in result.output


def test_bad_media_clear_error_then_force(tmp_path: Path, media: dict[str, Path]) -> None:
    dbp = str(tmp_path / "k.db")
    result = CliRunner().invoke(cli, ["evidence", "add", str(media["text.jpg"]), "--db", dbp])
    assert result.exit_code == 6
    assert result.output.startswith("counterclaim: error: cannot register") and "--force" in result.output
    assert len(result.output.strip().splitlines()) == 1
    out = run("evidence", "add", str(media["truncated.mp4"]), "--force", "--db", dbp)
    assert "unreadable media" in out
    item = json.loads(run("evidence", "list", "--json", "--db", dbp))[0]
    assert item["status"] == "unreadable media"
    assert "no perceptual fingerprint" in run("evidence", "similar", item["id"], "--db", dbp, code=2)


def test_similar_cli(tmp_path: Path, media: dict[str, Path]) -> None:
    dbp = str(tmp_path / "k.db")
    run("evidence", "add", str(media["clip.mp4"]), str(media["reencoded.webm"]), str(media["unrelated.mp4"]),
        "--db", dbp)
    items = {r["filename"]: r["id"] for r in json.loads(run("evidence", "list", "--json", "--db", dbp))}
    found = json.loads(run("evidence", "similar", items["clip.mp4"], "--json", "--db", dbp))
    assert [r["filename"] for r in found] == ["reencoded.webm"]
    brute = json.loads(run("evidence", "similar", items["clip.mp4"], "--bruteforce", "--json", "--db", dbp))
    assert brute == found


def test_seal_manifest_verifies_by_hand_and_detects_edits(tmp_path: Path, media: dict[str, Path]) -> None:
    dbp = tmp_path / "k.db"
    _allegation(dbp)
    exports = tmp_path / "out"
    (exports / "sub").mkdir(parents=True)
    (exports / "ledger.jsonl").write_text('{"a": 1}\n', encoding="utf-8")
    (exports / "sub" / "doc.csv").write_text("id\n1\n", encoding="utf-8")
    manifest_path = tmp_path / "seal.json"
    out = run("seal", "--db", str(dbp), "--exports", str(exports), "--out", str(manifest_path))
    assert "sealed 1 documents and 2 export files" in out
    manifest = json.loads(manifest_path.read_text("utf-8"))
    with Ledger(dbp) as ledger:
        doc = ledger.conn.execute("SELECT id, text FROM documents").fetchone()
        assert manifest["documents"] == [{"id": doc["id"], "url": None, "extractor_version": "test-1",
                                          "sha256": hashlib.sha256(doc["text"].encode()).hexdigest()}]
        assert db.seals(ledger.conn)[0]["manifest_sha256"] == manifest["manifest_sha256"]
    assert manifest["extractor_versions"] == ["test-1"]
    assert {f["path"] for f in manifest["exports"]} == {"ledger.jsonl", "sub/doc.csv"}
    sums = "".join(f"{f['sha256']}  {f['path']}\n" for f in manifest["exports"])
    assert subprocess.run(["sha256sum", "-c", "-"], input=sums.encode(), cwd=exports, capture_output=True).returncode == 0
    assert subprocess.run(["sha256sum", "-c", "seal.json.sha256"], cwd=tmp_path, capture_output=True).returncode == 0
    assert "matches" in run("seal", "--db", str(dbp), "--exports", str(exports), "--verify", str(manifest_path))
    (exports / "sub" / "doc.csv").write_text("id\n2\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["seal", "--db", str(dbp), "--exports", str(exports), "--verify",
                                      str(manifest_path)])
    assert result.exit_code == 6 and "sub/doc.csv changed" in result.output


def test_batch_add_in_parallel_goes_on_after_a_refused_file(tmp_path: Path, media: dict[str, Path]) -> None:
    dbp = str(tmp_path / "k.db")
    paths = [str(media[n]) for n in ("photo.jpg", "empty.mp4", "clip.mp4", "other.jpg", "photo.jpg")]
    paths.insert(3, str(tmp_path / "missing.mp4"))
    result = CliRunner().invoke(cli, ["evidence", "add", *paths, "--workers", "3", "--db", dbp])
    assert result.exit_code == 6, result.output
    assert result.output.count("\nregistered ") + result.output.startswith("registered ") == 3
    assert "already registered" in result.output
    assert "refused: cannot register" in result.output and "empty.mp4" in result.output
    assert "2 of 6 files were refused" in result.output
    listing = json.loads(run("evidence", "list", "--json", "--db", dbp))
    assert sorted(r["filename"] for r in listing) == ["clip.mp4", "other.jpg", "photo.jpg"]
    assert "all intact" in run("evidence", "check", "--db", dbp)
    assert not any((tmp_path / "k.evidence" / "tmp").iterdir())


def test_report_escapes_user_text_and_unknown_id_is_not_found(tmp_path: Path, media: dict[str, Path]) -> None:
    dbp = str(tmp_path / "k.db")
    run("evidence", "add", str(media["photo.jpg"]), "--note", "<script>alert(1)</script>", "--db", dbp)
    item = json.loads(run("evidence", "list", "--json", "--db", dbp))[0]
    run("evidence", "report", item["id"], "--out", str(tmp_path / "r.html"), "--db", dbp)
    html = (tmp_path / "r.html").read_text("utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Canon" in html and "re-hashed now: matches" in html
    result = CliRunner().invoke(cli, ["evidence", "show", "ffffffffffff", "--db", dbp])
    assert result.exit_code == 4 and "no evidence item" in result.output


@pytest.mark.browser
def test_pdf_report(tmp_path: Path, media: dict[str, Path]) -> None:
    from counterclaim.evidence.report import browser_path

    if not browser_path():
        pytest.skip("Chromium not installed")
    dbp = str(tmp_path / "k.db")
    run("evidence", "add", str(media["photo.jpg"]), "--db", dbp)
    item = json.loads(run("evidence", "list", "--json", "--db", dbp))[0]
    run("evidence", "report", item["id"], "--out", str(tmp_path / "r.pdf"), "--db", dbp)
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
