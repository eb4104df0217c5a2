"""An ingest killed with SIGKILL midway (worker processes running) leaves a consistent ledger, and running it again
finishes the job."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from counterclaim.store import Ledger

FILES = 3000
RUN = [sys.executable, "-c", "from counterclaim.cli import main; main()"]


def count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux /proc; empty elsewhere)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_sigkill_midway_then_resume(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for shard in range(10):
        (corpus / f"s{shard}").mkdir(parents=True)
    for i in range(FILES):
        (corpus / f"s{i % 10}" / f"doc{i:05d}.txt").write_text(
            f"Statement number {i} on the shelling of the village.\n\n"
            f"The ministry said that {i} shells hit residential areas and called for an investigation.\n"
        )
    db = tmp_path / "ledger.db"
    proc = subprocess.Popen([*RUN, "ingest", str(corpus), "--db", str(db), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while count(db) < FILES // 2:  # past the point where worker processes have started
            assert proc.poll() is None, "ingest finished before it could be killed; make the corpus larger"
            assert time.monotonic() < deadline, "ingest made no progress"
            time.sleep(0.05)
        workers = children(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    if Path("/proc").is_dir():
        assert workers, "no worker processes were running when the ingest was killed"
        gone = time.monotonic() + 30
        while any(Path(f"/proc/{w}").exists() for w in workers) and time.monotonic() < gone:
            time.sleep(0.1)
        assert not any(Path(f"/proc/{w}").exists() for w in workers), "workers outlived the killed ingest"
    stored = count(db)
    assert 0 < stored < FILES

    with Ledger(db) as ledger:  # opens (WAL recovery) and is consistent
        conn = ledger.conn
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        orphans = conn.execute("SELECT count(*) FROM documents WHERE id NOT IN (SELECT doc_id FROM sources)")
        assert orphans.fetchone()[0] == 0  # every document row has its source
        conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")  # raises if broken
        done = conn.execute("SELECT count(*), coalesce(sum(documents), 0) FROM inputs_done").fetchone()
        assert done[1] <= stored  # an input is marked done only after its documents are stored

    rerun = subprocess.run([*RUN, "ingest", str(corpus), "--db", str(db), "--json", "-q"],
                           capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert count(db) == FILES
    with Ledger(db) as ledger:
        assert ledger.conn.execute("SELECT count(*) FROM sources").fetchone()[0] == FILES
        assert ledger.conn.execute("SELECT count(*) FROM inputs_done").fetchone()[0] == FILES
        assert ledger.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
