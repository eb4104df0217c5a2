"""Driving an ingest: folders, identity and idempotency, sources, problems, resume."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from counterclaim.ingest import IngestOptions, ingest_paths
from counterclaim.store import Ledger

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"


def test_folder_recursive_mixed_formats(tmp_path: Path, ledger: Ledger, build: Any) -> None:
    root = tmp_path / "case"
    (root / "html" / "deep").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "html" / "deep" / "page.html").write_text(build.article_html())
    build.write_warc(root / "crawl.warc.gz", gzip_records=True, malformed_tail=False)
    (root / "feed.rss").write_text(build.RSS)
    (root / "lines.jsonl").write_text("\n".join(build.jsonl_lines()))
    (root / ".hidden" / "secret.txt").write_text("never read: hidden folder")
    (root / "junk.bin").write_bytes(b"\x00\x01\x02" * 100)
    seen: list[tuple[str, str]] = []
    report = ingest_paths(ledger, [str(root)], on_event=lambda kind, msg: seen.append((kind, msg)))
    # page 1 + warc 3 + feed 2 + jsonl 3 documents; identical texts collapse into one document with two sources
    assert report.documents == 9
    kinds = {row["kind"] for row in ledger.conn.execute("SELECT kind FROM sources")}
    assert kinds == {"html", "warc", "feed", "jsonl"}
    assert not any("secret" in msg for _, msg in seen)
    problem_sources = [s for s, _ in report.problems]
    assert any(s.endswith("junk.bin") for s in problem_sources)
    assert any(s.endswith("lines.jsonl:2") for s in problem_sources)
    assert any(kind == "problem" for kind, _ in seen)
    stored = ledger.problems(100)
    assert len(stored) == len(report.problems)


def test_identity_idempotency_and_second_source(tmp_path: Path, ledger: Ledger) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    seed = sorted(SEEDS.glob("*.txt"))[0]
    shutil.copy(seed, a / "statement.txt")
    (b / "copy.txt").write_text(seed.read_text("utf-8").replace("\n", "\r\n") + "\n\n\n")  # same text once cleaned
    first = ingest_paths(ledger, [str(a)])
    assert (first.new, first.known) == (1, 0)
    again = ingest_paths(ledger, [str(a)])
    assert again.skipped_inputs == 1 and again.changed_nothing
    forced = ingest_paths(ledger, [str(a)], IngestOptions(force=True))
    assert (forced.new, forced.known, forced.changed_nothing) == (0, 1, True)
    other = ingest_paths(ledger, [str(b)])
    assert (other.new, other.new_sources) == (0, 1)
    doc_id = first.doc_ids[0]
    assert other.doc_ids == [doc_id]
    assert {s["source"] for s in ledger.sources(doc_id)} == {str(a / "statement.txt"), str(b / "copy.txt")}
    assert ledger.count_documents() == 1


def test_changed_file_is_reread(tmp_path: Path, ledger: Ledger) -> None:
    path = tmp_path / "s.txt"
    path.write_text("First version of the statement about the shelling.")
    ingest_paths(ledger, [str(path)])
    path.write_text("Second version of the statement about the shelling, corrected.")
    report = ingest_paths(ledger, [str(path)])
    assert report.new == 1 and ledger.count_documents() == 2


def test_ledger_in_input_folder_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text("A statement on the attack on the convoy near the border.")
    with Ledger(tmp_path / "here.db") as ledger:
        ingest_paths(ledger, [str(tmp_path)])
        report = ingest_paths(ledger, [str(tmp_path)], IngestOptions(force=True))
    assert not report.problems and report.inputs == 1


def test_missing_path_and_oversize(tmp_path: Path, ledger: Ledger) -> None:
    big = tmp_path / "big.txt"
    big.write_text("x " * 2000)
    ok = tmp_path / "ok.txt"
    ok.write_text("A short statement on the humanitarian corridor.")
    report = ingest_paths(ledger, [str(tmp_path / "missing"), str(big), str(ok)], IngestOptions(max_bytes=1000))
    assert report.new == 1
    reasons = dict(report.problems)
    assert reasons[str(tmp_path / "missing")] == "no such file or directory"
    assert "over" in reasons[str(big)] or "more than" in reasons[str(big)]


def test_metadata_from_text_reaches_the_ledger(tmp_path: Path, ledger: Ledger) -> None:
    path = tmp_path / "s.txt"
    path.write_text("By Example Wire\nKhartoum, 15 April 2023\nFighting reaches the capital\n\nBody of the report.")
    report = ingest_paths(ledger, [str(path)])
    doc = ledger.get_document(report.doc_ids[0])
    assert (doc.publisher, doc.published, doc.title, doc.language) == (
        "Example Wire", "2023-04-15", "Fighting reaches the capital", "en")


def test_workers_write_what_a_sequential_run_writes(tmp_path: Path, monkeypatch: Any, build: Any) -> None:
    from counterclaim.ingest import prepare

    monkeypatch.setattr(prepare, "POOL_AFTER_INPUTS", 3)
    monkeypatch.setattr(prepare, "WORKER_MAX_BYTES", 4000)  # the bigger files stay in this process
    corpus = tmp_path / "c"
    corpus.mkdir()
    for i in range(30):
        (corpus / f"d{i:02d}.txt").write_text(f"Report {i}\n\n{build.BODY * (1 + i % 3)}")
    (corpus / "d05.txt").write_text(build.BODY)  # duplicate text of another file: one document, two sources
    (corpus / "d07.txt").write_bytes(b"\x00\x01junk" * 20)
    (corpus / "d11.jsonl").write_text("\n".join(build.jsonl_lines()))
    sent: list[str] = []
    real_add = prepare.Preparer.add

    def add(self: Any, job: Any, size: int | None) -> None:
        real_add(self, job, size)
        if job.future is not None:
            sent.append(job.name)

    monkeypatch.setattr(prepare.Preparer, "add", add)
    results = {}
    for jobs in (1, 2):
        with Ledger(tmp_path / f"j{jobs}.db") as ledger:
            report = ingest_paths(ledger, [str(corpus)], IngestOptions(jobs=jobs))
            rows = ledger.conn.execute(
                "SELECT d.id, d.title, d.published, d.language, s.source, s.locator FROM documents d "
                "JOIN sources s ON s.doc_id = d.id ORDER BY s.rowid").fetchall()
            done = ledger.conn.execute("SELECT count(*) FROM inputs_done").fetchone()[0]
            results[jobs] = (report.as_dict(), report.doc_ids, [tuple(r) for r in rows], done)
    assert results[1] == results[2]
    assert 10 < len(sent) < 32  # workers prepared most files, the bigger ones were streamed here
    assert results[1][0]["problems"]  # the junk file and the bad JSONL lines
